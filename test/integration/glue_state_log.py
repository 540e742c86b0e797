#!/usr/bin/python3
"""Server state lines reach the configured log targets as HAProxy sends
them (the backend's targets, the global ones with `log global`): DOWN and
maintenance at alert, UP at notice, "has no server available!" at emerg;
they stay on stderr as before."""
import os
import socket
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

p1, p2, fe, fe2, u = T.free_ports(5)
srv = {1: T.Server("s1", ("127.0.0.1", p1)), 2: T.Server("s2", ("127.0.0.1", p2))}
rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rx.bind(("127.0.0.1", u))
sock = T.tmp("admin.sock")
plan = T.compile_cfg("""
global
    log 127.0.0.1:%d local0
    stats socket %s level admin
defaults
    timeout connect 1s
    timeout client 10s
    timeout server 10s
listen be
    bind 127.0.0.1:%d
    log global
    server s1 127.0.0.1:%d check inter 100 fall 1 rise 1
    server s2 127.0.0.1:%d
listen nolog
    bind 127.0.0.1:%d
    server s3 127.0.0.1:%d
""" % (u, sock, fe, p1, p2, fe2, p2), "statelog.cfg")
run = T.Cfgrun(plan)
got = []


def datagram(needle, timeout=3.0):
    """The first syslog datagram containing needle (read as they come)."""
    for d in got:
        if needle in d:
            return d
    rx.settimeout(timeout)
    try:
        while True:
            d = rx.recv(65536).decode(errors="replace")
            got.append(d)
            if needle in d:
                return d
    except socket.timeout:
        return None


def pri(d):
    return d[:d.index(">") + 1] if d and d.startswith("<") else None


srv[1].close()
d = datagram("Server be/s1 is DOWN, reason: Layer4 connection problem")
T.check(d is not None, "DOWN line sent to the global syslog target")
T.check(pri(d) == "<129>", "DOWN at alert, facility local0 (%s)" % pri(d))
T.check(d is not None and d.rstrip().endswith("0 requeued, 0 remaining in queue."),
        "the whole line: %r" % d)
T.check(run.wait_for(r"cfgrun: Server be/s1 is DOWN"), "DOWN line still on stderr")

T.stats_cmd(sock, "disable server be/s2")
d = datagram("Server be/s2 is going DOWN for maintenance")
T.check(pri(d) == "<129>", "maintenance at alert (%s)" % pri(d))
d = datagram("backend be has no server available!")
T.check(pri(d) == "<128>", "no server available at emerg (%s)" % pri(d))

srv[1] = T.Server("s1", ("127.0.0.1", p1))
d = datagram("Server be/s1 is UP, reason: Layer4 check passed")
T.check(pri(d) == "<133>", "UP at notice (%s)" % pri(d))
T.stats_cmd(sock, "enable server be/s2")
d = datagram("Server be/s2 is UP (leaving forced maintenance)")
T.check(pri(d) == "<133>", "leaving maintenance at notice (%s)" % pri(d))

# A proxy without `log global` keeps its state lines off the global target.
T.stats_cmd(sock, "disable server nolog/s3")
T.check(run.wait_for(r"cfgrun: Server nolog/s3 is going DOWN for maintenance"),
        "nolog: line on stderr")
T.check(datagram("nolog/s3", 0.5) is None,
        "nolog: nothing sent to the global target")

rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
