#!/usr/bin/python3
"""Stats socket commands (run by thread 0) change what every thread does,
with nbthread 2 and clients connecting at once: `disable server` stops
new connections to it from any thread, `enable server` brings it back,
`set weight` changes the roundrobin shares exactly, and when the only
server left is full, the clients of both threads that wait in the
backend's queue are all served as soon as a server in maintenance is made
ready again (thread 0 wakes the threads that hold them)."""
import collections
import os
import sys
import threading

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import threads_lib as TL

sps = T.free_ports(2)
for i, p in enumerate(sps):
    T.Server("s%d" % i, ("127.0.0.1", p))
fe, fq = T.free_port(), T.free_port()
sock = T.tmp("tadmin.sock")
plan = T.compile_cfg(TL.global_section(2, stats=sock) + """
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
    timeout queue 10s
listen be
    bind 127.0.0.1:%d
    balance roundrobin
    server s0 127.0.0.1:%d
    server s1 127.0.0.1:%d
listen q
    bind 127.0.0.1:%d
    server s0 127.0.0.1:%d maxconn 1
    server s1 127.0.0.1:%d
""" % (fe, sps[0], sps[1], fq, sps[0], sps[1]), "tadmin.cfg")
run = T.Cfgrun(plan)
TL.check_threads(run, 2, "nbthread 2")
addr = ("127.0.0.1", fe)


def crowd(clients, each):
    """`clients` threads making `each` short connections at once; the
    Counter of the servers that greeted them (None: not served)."""
    names = []
    lock = threading.Lock()

    def one():
        got = T.server_names(addr, each)
        with lock:
            names.extend(got)

    ths = [threading.Thread(target=one, daemon=True) for _ in range(clients)]
    for t in ths:
        t.start()
    for t in ths:
        t.join(30)
    return collections.Counter(names)


c = crowd(4, 10)
T.check(c == {"s0": 20, "s1": 20}, "both servers share 40 connections 20/20: %s" % dict(c))

T.check(T.stats_cmd(sock, "disable server be/s1").strip() == "", "disable server be/s1 accepted")
c = crowd(4, 10)
T.check(c == {"s0": 40}, "disabled s1 gets nothing from any thread: %s" % dict(c))

T.stats_cmd(sock, "enable server be/s1")
T.stats_cmd(sock, "set weight be/s0 3")
c = crowd(4, 10)
T.check(c == {"s0": 30, "s1": 10},
        "weights 3 and 1 give 30/10 of 40 concurrent connections: %s" % dict(c))
T.stats_cmd(sock, "set weight be/s0 1")

# q/s1 in maintenance, q/s0 full (maxconn 1, held): clients of both
# threads wait in the backend's queue; `set server ... state ready` on s1
# lets them all through.
T.stats_cmd(sock, "set server q/s1 state maint")
holder, name = T.hold(("127.0.0.1", fq))
T.check(name == "s0", "q: the holder takes s0's only slot (%s)" % name)
waiting = [T.client(fq) for _ in range(8)]
T.check(all(T.greeted(s, 0.3) is None for s in waiting),
        "q: with s0 full and s1 in maintenance the clients wait")
T.stats_cmd(sock, "set server q/s1 state ready")
names = [T.greeted(s) for s in waiting]
T.check(names == ["s1"] * 8, "q: once s1 is ready every waiting client is served: %s" % names)
for s in waiting + [holder]:
    s.close()
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
