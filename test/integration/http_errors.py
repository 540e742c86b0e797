#!/usr/bin/python3
"""HTTP mode's refusals and error answers, byte for byte as Debian's
HAProxy sends them (run side by side on the same requests when it is
installed): a badly framed request is answered 400 and never reaches a
server; a request too slow to come is answered 408; a server that closes
or answers garbage gives 502, one too slow 504, none at all 503; a
request with both Transfer-Encoding and Content-Length reaches the
server without its Content-Length."""
import os
import shutil
import socket
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H


def handler(req):
    t = req["target"]
    if t == "/close":
        return None
    if t == "/garbage":
        def garbage(c):
            c.sendall(b"HTTP/1.1 abc\r\n\r\n")
            return False
        return garbage
    if t == "/slow":
        def slow(c):
            time.sleep(2.5)
            return False
        return slow
    return H.ok(req["body"] or b"fine")


CFG = """
defaults
    mode http
    timeout connect 2s
    timeout client 1s
    timeout server 1s
frontend web
    bind 127.0.0.1:%(fe)d
    default_backend app
backend app
    server s1 127.0.0.1:%(be_p)d
backend none
    server dead 127.0.0.1:%(dead)d
frontend web_none
    bind 127.0.0.1:%(fe_none)d
    default_backend none
"""


def raw(port, data, wait_close=True):
    c = socket.create_connection(("127.0.0.1", port))
    c.settimeout(T.TIMEOUT)
    c.sendall(data)
    out = b""
    try:
        while True:
            d = c.recv(65536)
            if not d:
                break
            out += d
    except socket.timeout:
        out += b"<no close>"
    c.close()
    return out


def run_one(kind):
    """Start the proxy of `kind` (cfgrun or haproxy) with its own origin;
    returns (answers, origin, stop)."""
    fe, fe_none, be_p = (T.free_port() for _ in range(3))
    dead = T.dead_port()
    origin = H.Origin(("127.0.0.1", be_p), handler)
    cfg = CFG % locals()
    if kind == "cfgrun":
        run = T.Cfgrun(T.compile_cfg(cfg, name="errors.cfg"))
        stop = run.stop
    else:
        path = T.tmp("haproxy.cfg")
        with open(path, "w") as f:
            f.write(cfg)
        p = subprocess.Popen(["haproxy", "-db", "-f", path],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        T.wait_until(lambda: _listening(fe))

        def stop():
            p.terminate()
            p.wait(timeout=T.TIMEOUT)
            return 0, 0
    answers = {
        "400-cl": raw(fe, b"POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                          b"Content-Length: 6\r\n\r\nhello!"),
        "400-space": raw(fe, b"GET /x HTTP/1.1\r\nHost : x\r\n\r\n"),
        "400-te": raw(fe, b"POST /x HTTP/1.1\r\nHost: x\r\n"
                          b"Transfer-Encoding: chunked, identity\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
        "408": raw(fe, b"GET /x HTTP/1.1\r\nHost: x\r\n"),
        "502-close": raw(fe, b"GET /close HTTP/1.1\r\nHost: x\r\n\r\n"),
        "502-garbage": raw(fe, b"GET /garbage HTTP/1.1\r\nHost: x\r\n\r\n"),
        "504": raw(fe, b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"),
        "503": raw(fe_none, b"GET /x HTTP/1.1\r\nHost: x\r\n\r\n"),
    }
    return answers, origin, stop


def _listening(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


ours, origin, stop = run_one("cfgrun")
for k, v in sorted(ours.items()):
    T.check(v.startswith(b"HTTP/1.1 %s " % k[:3].encode()), "%s answered: %r" % (k, v[:40]))
bad_targets = [r["target"] for r in origin.requests]
T.check(bad_targets.count("/x") == 0,
        "no refused request reached the server (%s)" % bad_targets)

# Both Transfer-Encoding and Content-Length: chunked wins, the length goes.
fe2, be2 = T.free_port(), T.free_port()
o2 = H.Origin(("127.0.0.1", be2), handler)
run2 = T.Cfgrun(T.compile_cfg("""
defaults
    mode http
    timeout connect 2s
    timeout client 5s
    timeout server 5s
listen l
    bind 127.0.0.1:%d
    server s 127.0.0.1:%d
""" % (fe2, be2), name="smuggle.cfg"))
c = H.connect(fe2)
c.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
          b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
st, h, body = H.recv_response(c)
T.check(st == 200 and body == b"hello", "TE + CL: the chunked body is what counts (%r)" % body)
got = [r for r in o2.requests if r["target"] == "/echo"]
T.check(got and "content-length" not in got[0]["headers"],
        "TE + CL: Content-Length not forwarded")
c.close()
run2.stop()
stop()

# A setting cfgc compiles but this cfgrun does not run yet is refused at
# start, never run without it.
nc = T.compile_cfg("""
defaults
    mode http
    timeout connect 2s
    timeout client 5s
    timeout server 5s
listen l
    bind 127.0.0.1:%d
    option httplog clf
    server s 127.0.0.1:%d
""" % (T.free_port(), T.free_port()), name="notyet.cfg")
rc, out = T.run_cfgrun(nc)
T.check(rc != 0 and "'option httplog clf' is compiled by cfgc but not run by this cfgrun yet" in out,
        "a plan with a setting cfgrun does not run is refused (rc %s):\n%s" % (rc, out))

# tune.bufsize other than the 16384 bytes cfgrun's buffers hold: refused.
big = T.compile_cfg("""
global
    tune.bufsize 32768
defaults
    mode http
    timeout connect 2s
    timeout client 5s
    timeout server 5s
listen l
    bind 127.0.0.1:%d
    server s 127.0.0.1:%d
""" % (T.free_port(), T.free_port()), name="bufsize.cfg")
rc, out = T.run_cfgrun(big)
T.check(rc != 0 and "tune.bufsize 32768" in out, "tune.bufsize cfgrun does not run: refused")

# tune.http.maxhdr below the default is applied: one header too many, 431.
fe3, be3 = T.free_port(), T.free_port()
o3 = H.Origin(("127.0.0.1", be3), handler)
run3 = T.Cfgrun(T.compile_cfg("""
global
    tune.http.maxhdr 4
defaults
    mode http
    timeout connect 2s
    timeout client 5s
    timeout server 5s
listen l
    bind 127.0.0.1:%d
    server s 127.0.0.1:%d
""" % (fe3, be3), name="maxhdr.cfg"))
ok4 = raw(fe3, b"GET /x HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nConnection: close\r\n\r\n")
bad5 = raw(fe3, b"GET /x HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n")
T.check(ok4.startswith(b"HTTP/1.1 200"), "tune.http.maxhdr 4: four header lines pass")
T.check(bad5.startswith(b"HTTP/1.1 431") or bad5.startswith(b"HTTP/1.1 400"),
        "tune.http.maxhdr 4: five are refused (%r)" % bad5[:30])
run3.stop()

if shutil.which("haproxy"):
    theirs, _, hstop = run_one("haproxy")
    hstop()
    for k in sorted(ours):
        T.check(ours[k] == theirs[k],
                "%s: same bytes as HAProxy\n  ours:   %r\n  theirs: %r" %
                (k, ours[k], theirs[k]))
else:
    T.log("haproxy not installed: byte comparison skipped")
T.done()
