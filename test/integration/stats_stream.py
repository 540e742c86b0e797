#!/usr/bin/python3
"""Stats socket answers are produced as the client reads them (issue 11's
amplification): `show stat` on 3,000 servers streams complete and in
order; the `<iid> <type> <sid>` filters and `up`/`no-maint`; 64 clients
each asking for about 6,500 `show stat` answers and never reading keep
cfgrun's memory within a few MB while proxied traffic keeps flowing, and
the memory is given back once they leave."""
import os
import socket
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

NSRV = 3000
sp = T.free_port()
srv = T.Server("s", ("127.0.0.1", sp))
fe = T.free_port()
sock = T.tmp("stream.sock")
lines = ["    server s%d 127.0.0.1:%d" % (i + 1, sp) for i in range(NSRV)]
plan = T.compile_cfg("""
global
    stats socket %s level admin
    stats timeout 60s
defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s
frontend front
    bind 127.0.0.1:%d
    default_backend big
backend big
    balance roundrobin
%s
listen small
    bind 127.0.0.1:%d
    server a 127.0.0.1:%d
    server b 127.0.0.1:%d
""" % (sock, fe, "\n".join(lines), T.free_port(), sp, sp), "stream.cfg")
run = T.Cfgrun(plan)


def rss_kb():
    with open("/proc/%d/status" % run.proc.pid) as f:
        for l in f:
            if l.startswith("VmRSS:"):
                return int(l.split()[1])
    return 0


def rows(cmd):
    out = T.stats_cmd(sock, cmd)
    T.check(out.endswith("\n\n"), "%r: the answer ends with its empty line" % cmd)
    ls = [l for l in out.splitlines() if l]
    T.check(ls[0].startswith("# pxname,svname,"), "%r: CSV header first" % cmd)
    return [l.split(",")[:2] for l in ls[1:]]


# -- a long answer, complete and in order
r = rows("show stat")
want = ([["front", "FRONTEND"]] + [["big", "s%d" % (i + 1)] for i in range(NSRV)]
        + [["big", "BACKEND"], ["small", "FRONTEND"], ["small", "a"],
           ["small", "b"], ["small", "BACKEND"]])
T.check(r == want, "show stat on %d servers: every row once, in order (%d rows)"
        % (NSRV, len(r)))
r = rows("show stat;show stat")
T.check(r.count(["big", "s%d" % NSRV]) == 2 and len(r) == 2 * len(want) + 1,
        "two chained show stat: two complete answers (%d lines)" % len(r))

# -- filters: iid (position or name), type mask, sid
T.check(rows("show stat 3 -1 -1") == want[-4:], "iid 3: only the third proxy")
T.check(rows("show stat small -1 -1") == want[-4:], "a proxy by name")
T.check(rows("show stat -1 1 -1") == [["front", "FRONTEND"], ["small", "FRONTEND"]],
        "type 1: frontends only")
T.check(rows("show stat 2 4 7") == [["big", "s7"]], "type 4 sid 7: one server")
T.check(rows("show stat -1 6 2") == [["big", "s2"], ["big", "BACKEND"],
                                     ["small", "b"], ["small", "BACKEND"]],
        "type 6 sid 2: server 2 and the backends")
T.check("No such proxy" in T.stats_cmd(sock, "show stat nope -1 -1"),
        "an unknown proxy name is answered")
T.stats_cmd(sock, "disable server small/a")
T.check(rows("show stat 3 4 -1 no-maint") == [["small", "b"]],
        "no-maint hides a server in maintenance")
T.check(rows("show stat 3 4 -1 up") == [["small", "b"]], "up hides it too")
T.stats_cmd(sock, "enable server small/a")

# -- 64 clients that ask for ~6,500 answers each and never read
base = rss_kb()
line = b"show stat;" * 6500 + b"\n"
attackers = []
for i in range(64):
    a = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    a.connect(sock)             # blocking: waits while the backlog is full
    a.settimeout(T.TIMEOUT)
    a.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    a.sendall(line)
    attackers.append(a)
peak = 0
worst = 0.0
for i in range(40):
    t0 = time.monotonic()
    s = T.connect(("127.0.0.1", fe))
    T.check(T.greeted(s) == "s", "proxied connection %d is served" % i)
    s.sendall(b"ping")
    got = b""
    while len(got) < 4:
        d = s.recv(4)
        if not d:
            break
        got += d
    s.close()
    T.check(got == b"ping", "proxied connection %d echoes" % i)
    worst = max(worst, time.monotonic() - t0)
    peak = max(peak, rss_kb())
T.log("rss before %d kB, peak during the attack %d kB, slowest proxied "
      "exchange %.3f s" % (base, peak, worst))
if T.sanitized():
    T.log("memory bounds not judged: cfgrun is an ASan build")
else:
    T.check(peak - base < 12 * 1024,
            "64 clients not reading: cfgrun grows by %d kB (< 12 MB)" % (peak - base))
# (an ASan build is several times slower: the bound scales with it)
bound = 3.0 if T.sanitized() else 1.0
T.check(worst < bound, "proxied traffic flows during the attack (slowest %.3f s, "
        "bound %.0f s)" % (worst, bound))
for a in attackers:
    a.close()
def answers():
    try:
        return "CurrConns" in T.stats_cmd(sock, "show info")
    except OSError:
        return False            # still full: refused until they are closed


T.check(T.wait_until(answers),
        "the socket answers once the attackers left")
if not T.sanitized():
    T.wait_until(lambda: rss_kb() - base < 4 * 1024)
    after = rss_kb()
    T.log("rss after the attackers left: %d kB" % after)
    T.check(after - base < 4 * 1024,
            "memory given back: %d kB above the start (< 4 MB)" % (after - base))
run.stop()
srv.close()
T.done()
