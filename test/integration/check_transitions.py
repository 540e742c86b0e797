#!/usr/bin/python3
"""Health check transitions through cfgc and cfgrun (TCP connect checks):
a server that stops listening goes DOWN after `fall` failed checks, with
HAProxy's log line, and gets no traffic; restarted, it comes back UP after
`rise` good checks; when every server is down the backend says it has no
server available and connections are closed; backups serve only while no
active server is up (the first backup, or all with option allbackups); a
`disabled` server gets nothing."""
import os
import re
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

INTER = 0.1       # seconds, `inter 100` below
ports = T.free_ports(6)
srv = {}


def start(i):
    srv[i] = T.Server("s%d" % i, ("127.0.0.1", ports[i]))


for i in range(6):
    start(i)
fe, fb, fa = T.free_port(), T.free_port(), T.free_port()
plan = T.compile_cfg("""
defaults
    timeout connect 1s
    timeout client 10s
    timeout server 10s
listen be
    bind 127.0.0.1:%d
    server s0 127.0.0.1:%d check inter 100 fall 3 rise 2
    server s1 127.0.0.1:%d check inter 100 fall 3 rise 2
    server s5 127.0.0.1:%d disabled
listen bk
    bind 127.0.0.1:%d
    server a2 127.0.0.1:%d check inter 100 fall 1 rise 1
    server b3 127.0.0.1:%d check inter 100 fall 1 rise 1 backup
    server b4 127.0.0.1:%d check inter 100 fall 1 rise 1 backup
listen bka
    bind 127.0.0.1:%d
    option allbackups
    server a2 127.0.0.1:%d check inter 100 fall 1 rise 1
    server b3 127.0.0.1:%d backup
    server b4 127.0.0.1:%d backup
""" % (fe, ports[0], ports[1], ports[5], fb, ports[2], ports[3], ports[4],
       fa, ports[2], ports[3], ports[4]))
run = T.Cfgrun(plan)
addr = ("127.0.0.1", fe)

seq = T.server_names(addr, 6)
T.check(sorted(set(seq)) == ["s0", "s1"],
        "both checked servers serve, the disabled one does not: %s" % seq)

# Like HAProxy, a checked server starts UP with just enough health that
# its first failed check takes it DOWN; one passed check gives it full
# health. Wait until s1 has taken two checks beyond the 3 client
# connections (the second starts only once the first passed) (bounded).
T.wait_until(lambda: srv[1].accepted >= 3 + 2)
# s1 stops listening: DOWN after 3 failed checks, 100 ms apart.
t0 = time.monotonic()
srv[1].close()
DOWN = (r'Server be/s1 is DOWN, reason: Layer4 connection problem, '
        r'info: "Connection refused", check duration: \d+ms\. '
        r'1 active and 0 backup servers left\. \d+ sessions active, '
        r'0 requeued, 0 remaining in queue\.')
m = run.wait_for(DOWN)
took = time.monotonic() - t0
T.check(m is not None, "DOWN line as HAProxy logs it: %s" % m.group(0))
T.check(took >= 2 * INTER * 0.8,
        "not DOWN before `fall` checks failed (%.2fs)" % took)
T.check(took < 3 * INTER + 2.0, "DOWN within fall*inter and slack (%.2fs)" % took)
seq = T.server_names(addr, 8)
T.check(seq == ["s0"] * 8, "no traffic to the DOWN server: %s" % seq)

# s1 listens again: UP after 2 good checks.
start(1)
m = run.wait_for(r'Server be/s1 is UP, reason: Layer4 check passed, check '
                 r'duration: \d+ms\. 2 active and 0 backup servers online\. '
                 r'0 sessions requeued, 0 total in queue\.')
T.check(m is not None, "UP line as HAProxy logs it")
seq = T.server_names(addr, 6)
T.check(sorted(set(seq)) == ["s0", "s1"], "s1 serves again: %s" % seq)

# Both down: the backend has no server left.
srv[0].close()
srv[1].close()
run.wait_for(r"backend be has no server available!")
T.check(T.closed_without_data(addr),
        "a connection with no server available is closed without data")
line = [l for l in run.log_lines() if " be/<NOSRV> " in l or " be/-" in l
        or "no server available" in l]
T.check(bool(line), "the refused connection is logged: %s" % line[-1:])
T.check(srv[5].accepted == 0, "the disabled server never got a connection")

# Backups: only while the active server is down; the first backup only.
# (Test servers greet with their own names: s2 is a2, s3 b3, s4 b4.)
bk, bka = ("127.0.0.1", fb), ("127.0.0.1", fa)
seq = T.server_names(bk, 4)
T.check(seq == ["s2"] * 4, "backups idle while the active serves: %s" % seq)
srv[2].close()
run.wait_for(r"Server bk/a2 is DOWN")
seq = T.server_names(bk, 4)
T.check(seq == ["s3"] * 4, "the first backup takes over alone: %s" % seq)
run.wait_for(r"Server bka/a2 is DOWN")
seq = T.server_names(bka, 4)
T.check(sorted(seq) == ["s3", "s3", "s4", "s4"],
        "option allbackups: every backup serves: %s" % seq)
srv[3].close()
m = run.wait_for(r"Backup Server bk/b3 is DOWN, reason: Layer4 connection "
                 r"problem.*0 active and 1 backup servers left")
T.check(m is not None, "backup DOWN line names the backup")
seq = T.server_names(bk, 3)
T.check(seq == ["s4"] * 3, "the next backup steps in: %s" % seq)
start(2)
run.wait_for(r"Server bk/a2 is UP")
seq = T.server_names(bk, 3)
T.check(seq == ["s2"] * 3, "the active is back, backups idle: %s" % seq)

rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
