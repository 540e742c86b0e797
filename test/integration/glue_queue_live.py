#!/usr/bin/python3
"""Queues follow the servers' live state, not the plan: a freed slot of a
server put in maintenance (stats socket) or marked DOWN by its checks does
not take a queued stream, which waits for a usable server instead; and
`option redispatch` counts the servers usable now (one usable server left:
retries keep HAProxy's turn-around instead of redispatching at once)."""
import os
import re
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

pa, pb, pc, pd, pf = T.free_ports(5)
dead = T.dead_port()
srv = {n: T.Server(n, ("127.0.0.1", p))
       for n, p in (("A", pa), ("B", pb), ("C", pc), ("D", pd), ("F", pf))}
fe1, fe2, fe3 = T.free_ports(3)
sock = T.tmp("admin.sock")
plan = T.compile_cfg("""
global
    stats socket %(sock)s level admin
defaults
    timeout connect 300ms
    timeout client 20s
    timeout server 20s
    timeout queue 8s
listen maint
    bind 127.0.0.1:%(fe1)d
    balance roundrobin
    server A 127.0.0.1:%(pa)d maxconn 1
    server B 127.0.0.1:%(pb)d maxconn 1
listen down
    bind 127.0.0.1:%(fe2)d
    balance roundrobin
    retries 1
    server C 127.0.0.1:%(pc)d maxconn 1 check inter 100 fall 1 rise 1
    server D 127.0.0.1:%(pd)d maxconn 1 check inter 100 fall 1 rise 1
listen redisp
    bind 127.0.0.1:%(fe3)d
    balance roundrobin
    option redispatch
    retries 2
    server E 127.0.0.1:%(dead)d
    server F 127.0.0.1:%(pf)d
""" % dict(sock=sock, fe1=fe1, fe2=fe2, fe3=fe3, pa=pa, pb=pb, pc=pc, pd=pd,
           pf=pf, dead=dead), "live.cfg")
run = T.Cfgrun(plan)

# 1. A in maintenance: its freed slot is not handed to the queued stream.
# One after the other: with several threads, two connections made at once
# may reach the balancer in either order.
c1 = T.client(fe1)
g1 = T.greeted(c1)
c2 = T.client(fe1)
T.check((g1, T.greeted(c2)) == ("A", "B"),
        "maint: A and B each take one stream")
c3 = T.client(fe1)
T.check(T.greeted(c3, 0.3) is None, "maint: third stream queued")
T.check(T.stats_cmd(sock, "disable server maint/A").strip() == "",
        "maint: A put in maintenance")
c1.close()
T.check(T.greeted(c3, 0.6) is None,
        "maint: A's freed slot does not serve the queued stream")
T.check(srv["A"].accepted == 1, "maint: A got no new connection (%d)"
        % srv["A"].accepted)
c2.close()
T.check(T.greeted(c3) == "B", "maint: the queued stream is served by B")
c3.close()

# 2. C DOWN by its checks (it stops listening, its stream stays open).
run.wait_for(r"Server down/D is UP|cfgrun: ready")
c1 = T.client(fe2)
g1 = T.greeted(c1)
c2 = T.client(fe2)
T.check((g1, T.greeted(c2)) == ("C", "D"),
        "down: C and D each take one stream")
c3 = T.client(fe2)
T.check(T.greeted(c3, 0.3) is None, "down: third stream queued")
srv["C"].close()
run.wait_for(r"Server down/C is DOWN")
c1.close()
T.check(T.greeted(c3, 1.5) is None,
        "down: the DOWN server's freed slot does not take the queued stream")
c2.close()
T.check(T.greeted(c3) == "D", "down: the queued stream is served by D")
c3.close()

# 3. redispatch counts usable servers: F in maintenance leaves E alone, so
#    the two retries to E (refused) wait the turn-around (300 ms each).
T.stats_cmd(sock, "set server redisp/F state maint")
t0 = time.monotonic()
T.check(T.closed_without_data(("127.0.0.1", fe3)),
        "redispatch: refused everywhere, closed")
took = time.monotonic() - t0
T.check(took >= 0.5, "redispatch: turn-around kept with one usable server "
        "(%.2fs)" % took)
lines = [l for l in run.log_lines() if " redisp " in l]
T.check(lines and re.search(r" SC \d+/\d+/\d+/\d+/\+?2 ", lines[-1]),
        "redispatch: two retries logged: %s" % lines[-1:])
T.check(srv["F"].accepted == 0, "redispatch: F in maintenance never used")

rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
