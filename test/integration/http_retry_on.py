#!/usr/bin/python3
"""retry-on, retries and option redispatch in HTTP mode on real sockets.
Origins fail in scripted ways (close without answering, answer 503 or
404, send junk, stay silent past timeout server) and the checks count
the attempts each origin saw, the answer the client got and the log
line's retries field (%rc, '+' after a redispatch): a listed failure is
sent again (to the same server, or another one when redispatch applies)
at most `retries` times, with its body; an unlisted one is not; a body
larger than the buffer is never retried; `retry-on none` does not even
retry a refused connection, while the default (conn-failure) does."""
import os
import re
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H


class Script:
    """An origin whose k-th request (1-based) gets behaviour[k] (the last
    one repeats): "ok", "503", "404", "close", "junk", "slow" or "hold"
    (answers once `release` is set)."""

    def __init__(self, port, name, behaviour):
        self.name, self.behaviour, self.n = name, behaviour, 0
        self.lock = threading.Lock()
        self.release = threading.Event()
        self.origin = H.Origin(("127.0.0.1", port), self.handle)

    def handle(self, req):
        with self.lock:
            self.n += 1
            what = self.behaviour[min(self.n, len(self.behaviour)) - 1]
        if what == "close":
            return None
        if what == "hold":
            self.release.wait(T.TIMEOUT)
            return H.ok(b"held")
        if what == "slow":
            time.sleep(1.0)
            return None
        if what == "junk":
            return lambda c: c.sendall(b"this is not HTTP\r\n\r\n") and False
        if what == "e503":          # no body at all: Content-Length: 0
            return b"HTTP/1.1 503 Nope\r\nContent-Length: 0\r\n\r\n"
        if what == "ok0":
            return b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
        if what in ("503", "404"):
            body = b"%s says %s" % (self.name.encode(), what.encode())
            return (b"HTTP/1.1 %s Nope\r\nContent-Length: %d\r\n\r\n" %
                    (what.encode(), len(body))) + body
        body = b"%s:%d:%s" % (self.name.encode(), len(req["body"]),
                              req["body"][:16])
        return H.ok(body)

    def count(self):
        with self.lock:
            return self.n


ports = T.free_ports(30)
fe = dict(zip(["empty", "s503", "redisp", "junk", "slow", "post", "big",
               "none", "dflt", "unlisted", "s404", "tcpnone", "tcpdflt",
               "late", "empty0", "chash"], ports[:16]))
sp = iter(ports[16:])
dead = T.dead_port()

o = {
    "empty": Script(next(sp), "e1", ["close"]),
    "s503": Script(next(sp), "f1", ["503"]),
    "bad": Script(next(sp), "bad", ["503"]),
    "good": Script(next(sp), "good", ["ok"]),
    "junk": Script(next(sp), "j1", ["junk", "ok"]),
    "slow": Script(next(sp), "w1", ["slow", "ok"]),
    "post": Script(next(sp), "p1", ["close", "ok"]),
    "plain": Script(next(sp), "u1", ["503", "ok"]),
    "s404": Script(next(sp), "n1", ["404", "404", "ok"]),
    "late": Script(next(sp), "q1", ["hold", "close", "ok"]),
    "empty0": Script(next(sp), "z1", ["e503", "ok0"]),
    "cbad": Script(next(sp), "cbad", ["503"]),
    "c2": Script(next(sp), "c2", ["ok"]),
    "c3": Script(next(sp), "c3", ["ok"]),
}
sock = T.tmp("retry.sock")


def listen(name, lines, servers):
    out = ["listen %s" % name, "    bind 127.0.0.1:%d" % fe[name]]
    out += ["    " + l for l in lines]
    for n, port in servers:
        out.append("    server %s 127.0.0.1:%s" % (n, port))
    return "\n".join(out)


def srv(key):
    return (o[key].name, o[key].origin.sock.getsockname()[1])


cfg = """
global
    stats socket @SOCK@ level admin
defaults
    mode http
    log stderr format raw local0
    log-format "%f %s %ST %rc"
    timeout connect 200ms
    timeout client 10s
    timeout server 10s
""" + "\n".join([
    listen("empty", ["retries 2", "retry-on empty-response"], [srv("empty")]),
    listen("s503", ["retries 3", "retry-on 503"], [srv("s503")]),
    listen("redisp", ["retries 3", "retry-on 503", "option redispatch",
                      "balance roundrobin"], [srv("bad"), srv("good")]),
    listen("junk", ["retry-on junk-response"], [srv("junk")]),
    listen("slow", ["retry-on response-timeout", "timeout server 300ms"],
           [srv("slow")]),
    listen("post", ["retry-on all-retryable-errors",
                    "option http-buffer-request"], [srv("post")]),
    listen("big", ["retries 2", "retry-on empty-response"], [srv("empty")]),
    listen("none", ["retries 3", "retry-on none"], [("d1", dead)]),
    listen("dflt", ["retries 3"], [("d2", dead)]),
    listen("unlisted", ["retry-on 404 empty-response"], [srv("plain")]),
    listen("s404", ["retries 3", "retry-on 404"], [srv("s404")]),
    listen("empty0", ["retry-on 503"], [srv("empty0")]),
    listen("chash", ["balance uri", "hash-type consistent", "retries 1",
                     "retry-on 503", "option redispatch"],
           [srv("c2"), srv("cbad"), srv("c3")]),
    listen("late", ["retry-on empty-response", "timeout queue 10s"],
           [(srv("late")[0], "%d maxconn 1" % srv("late")[1])]),
]) + """
defaults tcp
    mode tcp
    log stderr format raw local0
    option tcplog
    timeout connect 200ms
    timeout client 10s
    timeout server 10s
""" + "\n".join([
    listen("tcpnone", ["retries 3", "retry-on none"], [("d3", dead)]),
    listen("tcpdflt", ["retries 3"], [("d4", dead)]),
]) + "\n"
cfg = cfg.replace("@SOCK@", sock)
run = T.Cfgrun(T.compile_cfg(cfg, "retry_on.cfg"))


def ask(name, method=b"GET", body=b""):
    c = H.connect(fe[name])
    try:
        extra = b"Content-Length: %d\r\n" % len(body) if body else b""
        c.sendall(b"%s /r HTTP/1.1\r\nHost: x\r\n%s\r\n" % (method, extra))
        if body:
            c.sendall(body)
        st, _, got = H.recv_response(c)
        return st, got
    finally:
        c.close()


def logged(name):
    """The log line of the last request through `name`: [fe, srv, ST, rc]."""
    lines = []
    T.wait_until(lambda: any(l.startswith(name + " ")
                             for l in run.log_lines()))
    lines = [l.split() for l in run.log_lines() if l.startswith(name + " ")]
    if not lines:
        T.fail("no log line for %s in:\n%s" % (name, run.stderr()[-2000:]))
    return lines[-1]


# empty-response: 1 + 2 retries to the only server, then 502
st, _ = ask("empty")
T.check(st == 502, "empty-response: 502 once retries are spent (%s)" % st)
T.check(T.wait_until(lambda: o["empty"].count() == 3),
        "empty-response: the server saw 3 attempts (%d)" % o["empty"].count())
T.check(logged("empty")[2:] == ["502", "2"], "empty-response logged %s"
        % logged("empty"))

# 503 without redispatch: the same server 1 + 3 times, its last 503 forwarded
st, body = ask("s503")
T.check(st == 503 and body == b"f1 says 503",
        "retry-on 503: the last answer is forwarded: %s %s" % (st, body))
T.check(o["s503"].count() == 4, "retry-on 503: 4 attempts (%d)" % o["s503"].count())
T.check(logged("s503")[2:] == ["503", "3"], "503 logged %s" % logged("s503"))

# 503 with redispatch under roundrobin: the other server answers at once
for i in range(4):
    st, body = ask("redisp")
    T.check(st == 200 and body.startswith(b"good:"),
            "redispatch: request %d answered by the good server: %s %s"
            % (i, st, body))
# the redispatch's pick takes the good server's turn, so every request
# meets the bad one first, as in HAProxy
T.check(o["bad"].count() == 4 and o["good"].count() == 4,
        "redispatch: each request tried the bad server, then the good one: "
        "%d, %d" % (o["bad"].count(), o["good"].count()))
T.check(any(l[1:] == ["good", "200", "+1"] for l in
            [l.split() for l in run.log_lines() if l.startswith("redisp ")]),
        "redispatch logged '+1': %s" % [l for l in run.log_lines()
                                        if l.startswith("redisp ")])

# junk-response: the second connection answers properly
st, body = ask("junk")
T.check(st == 200 and o["junk"].count() == 2,
        "junk-response retried: %s %s, %d attempts" % (st, body, o["junk"].count()))
T.check(logged("junk")[2:] == ["200", "1"], "junk logged %s" % logged("junk"))

# response-timeout: the silent first attempt is retried after timeout server
t0 = time.monotonic()
st, body = ask("slow")
took = time.monotonic() - t0
T.check(st == 200 and o["slow"].count() == 2 and 0.25 < took < 5,
        "response-timeout retried: %s %s, %d attempts in %.2fs"
        % (st, body, o["slow"].count(), took))
T.check(logged("slow")[2:] == ["200", "1"], "slow logged %s" % logged("slow"))

# a POST body is sent again whole (http-buffer-request: the body is in
# hand when the server is chosen, which retrying a body needs)
payload = b"k=v&" * 500
st, body = ask("post", b"POST", payload)
T.check(st == 200 and body == b"p1:%d:%s" % (len(payload), payload[:16]),
        "the POST body reached the second attempt whole: %s %s" % (st, body))
T.check(o["post"].count() == 2, "POST retried once (%d)" % o["post"].count())

# a body larger than the buffer is never retried
before = o["empty"].count()
big = b"x" * 100000
st, _ = ask("big", b"POST", big)
T.check(st == 502, "a 100 kB body is not retried: 502 (%s)" % st)
T.check(T.wait_until(lambda: o["empty"].count() == before + 1) and
        logged("big")[3] == "0",
        "one attempt only, retries 0: %d attempts, %s"
        % (o["empty"].count() - before, logged("big")))

# retry-on none: a refused connection is not retried; the default is
st, _ = ask("none")
T.check(st == 503 and logged("none")[3] == "0",
        "retry-on none: 503 at once, retries 0: %s %s" % (st, logged("none")))
st, _ = ask("dflt")
T.check(st == 503 and logged("dflt")[3] == "3",
        "default conn-failure: 3 connection retries: %s %s"
        % (st, logged("dflt")))

# an unlisted status is forwarded as is
st, body = ask("unlisted")
T.check(st == 503 and o["plain"].count() == 1 and logged("unlisted")[3] == "0",
        "503 not listed: forwarded, no retry: %s %s %d"
        % (st, body, o["plain"].count()))

# 404 listed: the third attempt succeeds
st, body = ask("s404")
T.check(st == 200 and o["s404"].count() == 3 and logged("s404")[2:] == ["200", "2"],
        "retry-on 404: answered on the third attempt: %s %d %s"
        % (st, o["s404"].count(), logged("s404")))


# a body that arrives while its request waits in the queue (nothing sent
# to a server yet) still makes the request retryable, as HAProxy judges
# at the first byte it sends
held = H.connect(fe["late"])
held.sendall(b"GET /hold HTTP/1.1\r\nHost: x\r\n\r\n")
T.check(T.wait_until(lambda: o["late"].count() == 1), "late: the slot is held")
late = H.connect(fe["late"])
payload = b"a=1&b=2&" * 100
late.sendall(b"POST /late HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n"
             % len(payload))


def queued():
    rows = T.stat_rows(sock)
    return int(rows[("late", "q1")]["qcur"]) + int(rows[("late", "BACKEND")]["qcur"])


T.check(T.wait_until(lambda: queued() == 1),
        "late: the POST waits in the queue, its body not sent yet")
late.sendall(payload)


def peer_read_all(c):
    """True when cfgrun's end of connection c has nothing left unread
    (its receive queue in /proc/net/tcp is empty)."""
    want = "0100007F:%04X 0100007F:%04X" % (c.getpeername()[1],
                                            c.getsockname()[1])
    with open("/proc/net/tcp") as f:
        for line in f:
            parts = line.split()
            if " ".join(parts[1:3]) == want:
                return int(parts[4].split(":")[1], 16) == 0
    return False


T.check(T.wait_until(lambda: peer_read_all(late)),
        "late: cfgrun read the body while the request was queued")
o["late"].release.set()
st, _, body = H.recv_response(late)
T.check(st == 200 and body == b"q1:%d:%s" % (len(payload), payload[:16]),
        "late: retried after an empty response with its body: %s %s" % (st, body))
T.check(o["late"].count() == 3, "late: held, closed, answered (%d)"
        % o["late"].count())
T.check(H.recv_response(held)[0] == 200, "late: the held request answered")
held.close()
late.close()

# bodiless answers (Content-Length: 0): the 503 is retried, the empty 200
# ends the request at once (logged, the connection ready for the next)
c = H.connect(fe["empty0"])
for i in range(2):
    c.sendall(b"GET /z%d HTTP/1.1\r\nHost: x\r\n\r\n" % i)
    st, _, body = H.recv_response(c)
    T.check(st == 200 and body == b"", "Content-Length: 0 answer %d: %s" % (i, st))
c.close()
T.check(o["empty0"].count() == 3, "the empty 503 was retried once (%d attempts)"
        % o["empty0"].count())
T.check(T.wait_until(lambda: sum(l.startswith("empty0 ")
                                 for l in run.log_lines()) == 2),
        "both bodiless requests logged before cfgrun stops: %s"
        % [l for l in run.log_lines() if l.startswith("empty0 ")])

# consistent hashing: the redispatch (here the last and only retry) walks
# on along the ring past the failing server, as HAProxy's does (side by
# side on 40 URIs: the same answers and the same 9 redispatches)
answers = []
for k in range(30):
    c = H.connect(fe["chash"])
    c.sendall(b"GET /k%d HTTP/1.1\r\nHost: x\r\n\r\n" % k)
    answers.append(H.recv_response(c)[0])
    c.close()
T.check(answers == [200] * 30, "consistent redispatch avoids the failing "
        "server: %s" % answers)
T.check(T.wait_until(lambda: sum(l.startswith("chash ") for l in
                                 run.log_lines()) == 30),
        "chash: 30 lines logged")
redisp = [l for l in run.log_lines()
          if l.startswith("chash ") and l.endswith(" +1")]
T.check(o["cbad"].count() > 0 and len(redisp) == o["cbad"].count(),
        "each request meeting the failing server was redispatched once: "
        "%d attempts, %d '+1' lines" % (o["cbad"].count(), len(redisp)))

# TCP mode: retry-on is about connections only, but `none` (or a list
# without conn-failure) stops connection retries there too, as HAProxy
# 2.6 does (side by side: %rc 0)
def tcp_retries(name):
    c = H.connect(fe[name])
    c.sendall(b"x")
    T.check(H.closed(c), "%s: closed by cfgrun" % name)
    c.close()
    pat = re.compile(r" %s %s/\S+ .* \d+/\d+/\d+/\d+/(\+?\d+) " % (name, name))
    T.wait_until(lambda: any(pat.search(l) for l in run.log_lines()))
    m = [pat.search(l) for l in run.log_lines() if pat.search(l)]
    return m[-1].group(1) if m else None


T.check(tcp_retries("tcpnone") == "0", "TCP retry-on none: no connection retry")
T.check(tcp_retries("tcpdflt") == "3", "TCP default: 3 connection retries")

run.stop()
for s in o.values():
    s.origin.close()
T.done()
