#!/usr/bin/python3
"""Content switching in TCP mode: use_backend by source address (IPv4,
CIDR, IPv6 and v4-mapped patterns), by the port reached, with 'unless',
'!', '||' and nbsrv-based failover; tcp-request connection accept and
reject (a rejected client is closed at once and not logged). Clients
connect from different loopback addresses (127.0.0.x)."""
import os
import socket
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

p1, p1b, sp = T.free_port(), T.free_port(), T.free_port()
names = ["b1", "b2", "b3", "b4", "b5", "prim2", "b7"]
ports = dict((n, T.free_port()) for n in names)
servers = [T.Server(n, ("127.0.0.1", ports[n])) for n in names]
dead_p = T.free_port()
v6 = T.have_ipv6()
p6 = T.free_port("::1", socket.AF_INET6) if v6 else 0
v6_bind = "    bind [::1]:%d\n" % p6 if v6 else ""

sock = T.tmp("stats.sock")
cfg = """
global
    stats socket %(sock)s
defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:%(p1)d
    bind 127.0.0.1:%(p1b)d
%(v6_bind)s    acl from2 src 127.0.0.2
    acl from3 src 127.0.0.3/32
    acl from3 src 10.0.0.0/8
    acl low_port src_port lt 1024
    acl mapped src ::ffff:127.0.0.7
    tcp-request connection accept if { src 127.0.0.8 }
    tcp-request connection reject if { src 127.0.0.8/29 }
    use_backend b2 if from2 !low_port
    use_backend b3 if { src 127.0.0.4 } || from3
    use_backend b5 if { nbsrv(prim) ge 1 } { src 127.0.0.5 }
    use_backend b1 if { src 127.0.0.5 }
    use_backend prim2 if { nbsrv(prim2) gt 0 } { src 127.0.0.6 }
    use_backend b7 if mapped || { src ::1 }
    use_backend b4 unless { dst_port %(p1)d }
    default_backend b1
backend b1
    server s 127.0.0.1:%(b1)d
backend b2
    server s 127.0.0.1:%(b2)d
backend b3
    server s 127.0.0.1:%(b3)d
backend b4
    server s 127.0.0.1:%(b4)d
backend b5
    server s 127.0.0.1:%(b5)d
backend prim
    server s 127.0.0.1:%(dead_p)d disabled
backend prim2
    server s 127.0.0.1:%(prim2)d
backend b7
    server s 127.0.0.1:%(b7)d
"""
d = dict(locals())
d.update(ports)
plan = T.compile_cfg(cfg % d)
run = T.Cfgrun(plan)


def via(source, port=p1):
    s, name = T.hold(("127.0.0.1", port), source=source)
    if name:
        s.close()
    return name


T.check(via("127.0.0.1") == "b1", "no rule applies: default_backend")
T.check(via("127.0.0.2") == "b2", "src 127.0.0.2 and !low_port: b2")
T.check(via("127.0.0.3") == "b3", "a line of a named ACL (/32): b3")
T.check(via("127.0.0.4") == "b3", "first alternative of '||': b3")
T.check(via("127.0.0.5") == "b1",
        "nbsrv(prim) is 0 (its only server is disabled): failover rule")
T.check(via("127.0.0.6") == "prim2", "nbsrv(prim2) gt 0: prim2")
T.check(via("127.0.0.7") == "b7", "IPv6 pattern ::ffff:127.0.0.7 takes 127.0.0.7")
T.check(via("127.0.0.1", p1b) == "b4", "unless { dst_port P1 } on the other port: b4")
T.check(via("127.0.0.2", p1b) == "b2", "an earlier rule wins over a later one")
T.check(via("127.0.0.8") == "b1", "tcp-request connection accept stops the rules")

logs_before = len(run.wait_logs(10))
s = socket.socket()
s.bind(("127.0.0.9", 0))
s.settimeout(T.TIMEOUT)
try:
    # the reset may come before connect() returns
    s.connect(("127.0.0.1", p1))
    got = s.recv(100)
except ConnectionResetError:
    got = b""
s.close()
T.check(got == b"", "tcp-request connection reject closes at once, no data")
T.check(via("127.0.0.1") == "b1", "next client served after a reject")
logs = run.wait_logs(logs_before + 1)
T.check(not [l for l in logs if "127.0.0.9" in l],
        "a rejected connection is not logged")
dcon = T.stat_rows(sock)[("fe", "FRONTEND")]["dcon"]
T.check(dcon == "1", "show stat counts the rejected connection in dcon (%s)"
        % dcon)
T.check(T.wait_until(lambda: sum(sv.accepted for sv in servers) == 11),
        "no server saw the rejected client (%d accepted)" %
        sum(sv.accepted for sv in servers))

if v6:
    s6, name = T.hold(("::1", p6), family=socket.AF_INET6)
    s6.close()
    T.check(name == "b7", "IPv6 client ::1 matches { src ::1 }")
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
