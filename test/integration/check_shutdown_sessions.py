#!/usr/bin/python3
"""on-marked-down shutdown-sessions and on-marked-up
shutdown-backup-sessions through cfgc and cfgrun (two threads): a server
marked DOWN by its checks has its established connections closed (log
termination state "DD"), while a server without the option keeps them;
an active server with on-marked-up coming back UP closes the connections
of its backend's backups ("UD"), and a backend without it keeps them.
Entering maintenance from the stats socket kills too, as in HAProxy."""
import os
import re
import select
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

ports = T.free_ports(8)
srv = {}


def start(i):
    srv[i] = T.Server("s%d" % i, ("127.0.0.1", ports[i]))


for i in range(8):
    start(i)
fd, fc, fu, fn, fm = (T.free_port() for _ in range(5))
sock = T.tmp("shut.sock")
plan = T.compile_cfg("""
global
    nbthread 2
    stats socket %s level admin
defaults
    timeout connect 1s
    timeout client 20s
    timeout server 20s
listen d
    bind 127.0.0.1:%d
    server s0 127.0.0.1:%d check inter 100 fall 1 rise 1 on-marked-down shutdown-sessions
listen c
    bind 127.0.0.1:%d
    server s1 127.0.0.1:%d check inter 100 fall 1 rise 1
listen u
    bind 127.0.0.1:%d
    default-server inter 100 fall 1 rise 1
    server a2 127.0.0.1:%d check on-marked-up shutdown-backup-sessions
    server b3 127.0.0.1:%d check backup
listen n
    bind 127.0.0.1:%d
    default-server inter 100 fall 1 rise 1
    server a4 127.0.0.1:%d check
    server b5 127.0.0.1:%d check backup
listen m
    bind 127.0.0.1:%d
    server s6 127.0.0.1:%d on-marked-down shutdown-sessions
    server s7 127.0.0.1:%d
""" % (sock, fd, ports[0], fc, ports[1], fu, ports[2], ports[3], fn,
       ports[4], ports[5], fm, ports[6], ports[7]))
T.check(os.path.exists(plan), "the plan compiles")
run = T.Cfgrun(plan)


def echoes(s):
    """The held connection still carries bytes both ways."""
    line = b""
    try:
        s.sendall(b"ping\n")
        while not line.endswith(b"\n") and len(line) < 100:
            d = s.recv(1)
            if not d:
                break
            line += d
    except OSError:
        return False
    return line == b"ping\n"


def closed(s):
    """cfgrun closed the held connection (bounded wait)."""
    if not select.select([s], [], [], T.TIMEOUT)[0]:
        return False
    try:
        return s.recv(100) == b""
    except ConnectionResetError:
        return True


# ---- on-marked-down ------------------------------------------------------
hd, name_d = T.hold(("127.0.0.1", fd))
hc, name_c = T.hold(("127.0.0.1", fc))
T.check((name_d, name_c) == ("s0", "s1"), "held: %s %s" % (name_d, name_c))
T.check(echoes(hd) and echoes(hc), "both held connections carry bytes")
srv[0].close()
srv[1].close()
run.wait_for(r"Server d/s0 is DOWN")
run.wait_for(r"Server c/s1 is DOWN")
T.check(closed(hd), "on-marked-down shutdown-sessions: the connection to "
        "the DOWN server is closed")
T.check(echoes(hc), "without the option the connection to a DOWN server "
        "stays")
m = run.wait_for(r"\S+ \[[^]]*\] d d/s0 [^\n]* DD [^\n]*")
T.check(m is not None, "logged with termination state DD: %s" % m.group(0))
hc.close()

# ---- on-marked-up --------------------------------------------------------
srv[2].close()
srv[4].close()
run.wait_for(r"Server u/a2 is DOWN")
run.wait_for(r"Server n/a4 is DOWN")
hu, name_u = T.hold(("127.0.0.1", fu))
hn, name_n = T.hold(("127.0.0.1", fn))
T.check((name_u, name_n) == ("s3", "s5"),
        "the backups serve while the actives are down: %s %s"
        % (name_u, name_n))
start(2)
start(4)
run.wait_for(r"Server u/a2 is UP")
run.wait_for(r"Server n/a4 is UP")
T.check(closed(hu), "on-marked-up shutdown-backup-sessions: the backup's "
        "connection is closed when the active comes back")
T.check(echoes(hn), "without the option the backup keeps its connection")
m = run.wait_for(r"\S+ \[[^]]*\] u u/b3 [^\n]* UD [^\n]*")
T.check(m is not None, "logged with termination state UD: %s" % m.group(0))
T.check(T.server_names(("127.0.0.1", fu), 2) == ["s2", "s2"],
        "new connections go to the active again")
hn.close()

# ---- maintenance ---------------------------------------------------------
h6, n6 = T.hold(("127.0.0.1", fm))
h7, n7 = T.hold(("127.0.0.1", fm))
T.check(sorted([n6, n7]) == ["s6", "s7"], "both serve: %s %s" % (n6, n7))
held = {n6: h6, n7: h7}
T.stats_cmd(sock, "disable server m/s6")
T.stats_cmd(sock, "disable server m/s7")
T.check(closed(held["s6"]), "maintenance closes the connections of a "
        "server with on-marked-down shutdown-sessions")
T.check(echoes(held["s7"]), "and not those of a server without it")
for s in (h6, h7):
    s.close()

rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
