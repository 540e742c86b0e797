#!/usr/bin/python3
"""Log targets: UDP syslog in RFC 3164 (`<PRI>Mmm dd hh:mm:ss
haproxy[pid]: ` then the tcplog line) and RFC 5424, a unix datagram
socket, raw lines on stderr, level filtering, `log global` in a proxy,
`option dontlognull`; a syslog that is not there never stops traffic."""
import os
import re
import socket
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

sp = T.free_port()
srv = T.Server("s1", ("127.0.0.1", sp))
fe, fe2, fe3, u1, u2, u3, dead = T.free_ports(7)


def udp(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    s.settimeout(T.TIMEOUT)
    return s


def unix_dgram(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    s.settimeout(T.TIMEOUT)
    return s


def recv(s, timeout=T.TIMEOUT):
    s.settimeout(timeout)
    try:
        return s.recv(65536).decode()
    except socket.timeout:
        return None


r3164, r5424, rerr = udp(u1), udp(u2), udp(u3)
devlog = T.tmp("devlog")
rux = unix_dgram(devlog)
plan = T.compile_cfg("""
global
    log 127.0.0.1:%d local0
    log 127.0.0.1:%d format rfc5424 local1 info
    log 127.0.0.1:%d local2 err
defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s
listen glob
    bind 127.0.0.1:%d
    log global
    option tcplog
    option dontlognull
    server s1 127.0.0.1:%d
listen own
    bind 127.0.0.1:%d
    log unix@%s local3
    log stderr format raw local0
    log 127.0.0.1:%d local0
    option tcplog
    server s1 127.0.0.1:%d
listen quiet
    bind 127.0.0.1:%d
    server s1 127.0.0.1:%d
""" % (u1, u2, u3, fe, sp, fe2, devlog, dead, sp, fe3, sp), "log.cfg")
run = T.Cfgrun(plan)
pid = run.proc.pid

reply, _ = T.exchange(("127.0.0.1", fe), b"hello")
T.check(reply.endswith(b"hello"), "traffic through 'glob'")
m = recv(r3164)
T.check(m is not None, "RFC 3164 datagram received")
pat = (r"^<134>(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 1-3][0-9] "
       r"\d\d:\d\d:\d\d haproxy\[%d\]: 127\.0\.0\.1:\d+ \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d\.\d{3}\] "
       r"glob glob/s1 0/\d+/\d+ \d+ -- \d+/\d+/\d+/\d+/0 0/0\n?$" % pid)
T.check(m is not None and re.match(pat, m) is not None,
        "RFC 3164: <134> (local0.info), date, haproxy[pid], tcplog line (%r)" % m)
m = recv(r5424)
pat = (r"^<142>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d \S+ haproxy %d - - "
       r"127\.0\.0\.1:\d+ .* glob glob/s1 " % pid)
T.check(m is not None and re.match(pat, m) is not None,
        "RFC 5424: <142>1 (local1.info), ISO date, host, app, pid (%r)" % m)
T.check(recv(rerr, 0.5) is None, "a target at level err gets no info line")

# dontlognull: a connection without a byte either way is not logged.
srv.greet = False
c = T.connect(("127.0.0.1", fe))
c.close()
time.sleep(0.3)
T.check(recv(r3164, 0.5) is None, "dontlognull: empty connection not logged")
srv.greet = True

# Own targets: unix datagram, raw stderr; a UDP target nobody listens to.
for i in range(20):
    reply, _ = T.exchange(("127.0.0.1", fe2), b"x%d" % i)
T.check(reply.endswith(b"x19"), "'own' serves with an unreachable syslog among its targets")
m = recv(rux)
T.check(m is not None and re.match(r"^<158>\w{3} [ 1-3]\d \d\d:\d\d:\d\d haproxy\[%d\]: .* own own/s1 " % pid, m),
        "unix datagram target gets local3.info (%r)" % m)
lines = [l for l in run.wait_logs(20) if " own own/s1 " in l]
T.check(len(lines) == 20 and re.match(r"^127\.0\.0\.1:\d+ \[", lines[0]) is not None,
        "raw lines on stderr, no syslog header (%d lines)" % len(lines))
T.check(recv(r3164, 0.3) is None, "'own' without 'log global' does not use the global targets")

# A proxy without targets keeps the bare stderr line.
T.exchange(("127.0.0.1", fe3), b"q")
T.check(any(" quiet quiet/s1 " in l for l in run.wait_logs(21)), "no targets: line on stderr")

# The syslog socket disappears: traffic goes on.
rux.close()
os.unlink(devlog)
t0 = time.monotonic()
for i in range(20):
    T.exchange(("127.0.0.1", fe2), b"y")
T.check(time.monotonic() - t0 < 2.0, "missing unix syslog: 20 connections in %.2fs" % (time.monotonic() - t0))
rc, _ = run.stop()
T.check(rc == 0, "exit 0")
srv.close()
T.done()
