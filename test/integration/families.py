#!/usr/bin/python3
"""Bytes flow both ways through IPv4, IPv6, unix, abns and abnsz listeners,
to IPv4 and IPv6 servers, and every connection gets one log line."""
import os
import socket
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

if not T.have_ipv6():
    T.skip("this host has no IPv6 loopback (::1)")

p4 = T.free_port()
p6 = T.free_port("::1", socket.AF_INET6)
s4 = T.free_port()
s6 = T.free_port("::1", socket.AF_INET6)
upath = T.tmp("fe.sock")
abns = "hapc-it-%d" % os.getpid()

srv4 = T.Server("srv4", ("127.0.0.1", s4))
srv6 = T.Server("srv6", ("::1", s6), socket.AF_INET6)

plan = T.compile_cfg("""
defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend fe4
    bind 127.0.0.1:%(p4)d
    bind unix@%(upath)s
    default_backend be4

frontend fe6
    bind [::1]:%(p6)d
    bind abns@%(abns)s
    bind abnsz@%(abns)sz
    default_backend be6

backend be4
    server s4 127.0.0.1:%(s4)d

backend be6
    server s6 [::1]:%(s6)d
""" % locals())

run = T.Cfgrun(plan)
err = run.stderr()
T.check("listening on 127.0.0.1:%d" % p4 in err, "IPv4 listener announced")
T.check("listening on [::1]:%d" % p6 in err, "IPv6 listener announced")
T.check("listening on unix@%s" % upath in err, "unix listener announced")

cases = [
    ("IPv4", ("127.0.0.1", p4), socket.AF_INET, "srv4"),
    ("IPv6", ("::1", p6), socket.AF_INET6, "srv6"),
    ("unix", upath, socket.AF_UNIX, "srv4"),
    ("abns", T.abns_addr(abns), socket.AF_UNIX, "srv6"),
    ("abnsz", b"\0" + (abns + "z").encode(), socket.AF_UNIX, "srv6"),
]
for label, addr, fam, want in cases:
    payload = ("hello through %s\n" % label).encode() * 100
    reply, _ = T.exchange(addr, payload, fam)
    name, mp, echo = T.greeting(reply)
    T.check(name == want, "%s listener reaches %s (got %r)" % (label, want, name))
    T.check(echo == payload, "%s: the %d bytes sent come back intact" % (label, len(payload)))

lines = run.wait_logs(len(cases))
T.check(len(lines) == len(cases), "one log line per connection (%d)" % len(lines))
T.check(any(l.startswith("127.0.0.1:") and " fe4 be4/s4 " in l for l in lines),
        "log line names client, frontend and backend/server")
T.check(any(l.startswith("[::1]:") for l in lines), "IPv6 client logged in brackets")
T.check(all(" -- " in l for l in lines), "every connection ended normally (--)")

rc, took = run.stop()
T.check(rc == 0, "SIGTERM: exit status 0 (got %r)" % rc)
T.check(not os.path.exists(upath), "unix socket path removed at exit")
srv4.close()
srv6.close()
T.done()
