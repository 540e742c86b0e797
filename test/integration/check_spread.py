#!/usr/bin/python3
"""global `max-spread-checks`: cfgrun starts the first health checks of
its servers spread over each server's interval, or over
max-spread-checks when that is shorter. Four servers checked every 20s
(a TCP connect check): with max-spread-checks 400ms all four are checked
within a few hundred milliseconds of the start, in their order; without
it the third and fourth ones (due 10s and 15s after the start) are not
checked in the first two seconds."""
import os
import select
import socket
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

N = 4
CFG = """
global
%s
defaults
    timeout connect 2s
    timeout client 5s
    timeout server 5s
backend b
%s
frontend f
    bind 127.0.0.1:%d
    default_backend b
"""


def run(spread):
    ports = T.free_ports(N + 1)
    lsn = []
    for p in ports[:N]:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", p))
        s.listen(16)
        lsn.append(s)
    servers = "\n".join("    server s%d 127.0.0.1:%d check inter 20s" % (i, p)
                        for i, p in enumerate(ports[:N]))
    glob = "    max-spread-checks %s" % spread if spread else ""
    plan = T.compile_cfg(CFG % (glob, servers, ports[N]),
                         "spread%s.cfg" % (spread or "none"))
    rt = T.Cfgrun(plan)
    t0 = time.monotonic()
    first = {}

    def poll(limit):
        r, _, _ = select.select([s for s in lsn if s not in first], [], [], 0.05)
        for s in r:
            c, _ = s.accept()
            c.close()
            first[s] = time.monotonic() - t0
        return len(first) >= limit

    return rt, lsn, first, poll


rt, lsn, first, poll = run("400ms")
T.check(T.wait_until(lambda: poll(N), timeout=3), "bounded: all %d servers "
        "checked within 3s (%s)" % (N, sorted(first.values())))
order = [first[s] for s in lsn if s in first]
T.check(order == sorted(order), "checked in server order (%s)" % order)
T.check(len(order) == N and order[-1] < 1.5, "the last first check within "
        "1.5s of ready (%.3fs; unbounded it is due at 15s)"
        % (order[-1] if order else -1))
T.check(rt.stop()[0] == 0, "exit 0")
for s in lsn:
    s.close()

rt, lsn, first, poll = run(None)
T.wait_until(lambda: poll(N), timeout=2)
T.check(lsn[0] in first, "unbounded: the first server checked at once")
T.check(lsn[2] not in first and lsn[3] not in first,
        "unbounded: servers 3 and 4 not checked in the first 2s (%s)"
        % sorted(first.values()))
T.check(rt.stop()[0] == 0, "exit 0")
for s in lsn:
    s.close()
T.done()
