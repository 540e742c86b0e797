#!/usr/bin/python3
"""`source` in a backend (inherited from defaults) and on server lines:
cfgrun binds the server-side socket to that address before it connects,
for traffic and health checks. Each server answers with the peer address
it sees: 127.0.0.2 from the defaults' source, 127.0.0.3 from a server's
own, 127.0.0.4 with a fixed port for another, 127.0.0.1 from a backend
without one; a checked server sees its checks come from its source."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

peers = {}


def handler_for(name):
    def h(c):
        peer = c.getpeername()
        peers.setdefault(name, []).append(peer)
        c.sendall(("%s %s:%d\n" % (name, peer[0], peer[1])).encode())
    return h


ports = T.free_ports(5)
servers = [T.Server(n, ("127.0.0.1", p), handler=handler_for(n))
           for n, p in zip("abcdk", ports)]
fe = T.free_ports(4)
fixed = T.free_port("127.0.0.4")
CFG = """
defaults
    timeout connect 2s
    timeout client 5s
    timeout server 5s
    source 127.0.0.2
listen inherit
    bind 127.0.0.1:%d
    server a 127.0.0.1:%d
listen own
    bind 127.0.0.1:%d
    server b 127.0.0.1:%d source 127.0.0.3
    server k 127.0.0.1:%d source 127.0.0.5 check inter 200ms backup
listen fixed
    bind 127.0.0.1:%d
    server c 127.0.0.1:%d source 127.0.0.4:%d
defaults
    timeout connect 2s
    timeout client 5s
    timeout server 5s
listen none
    bind 127.0.0.1:%d
    server d 127.0.0.1:%d
""" % (fe[0], ports[0], fe[1], ports[1], ports[4], fe[2], ports[2], fixed,
       fe[3], ports[3])
plan = T.compile_cfg(CFG, "source.cfg")
run = T.Cfgrun(plan)


def seen(port):
    reply, _ = T.exchange(("127.0.0.1", port), b"")
    name, addr = reply.decode().split()
    return name, addr


n, addr = seen(fe[0])
T.check(n == "a" and addr.startswith("127.0.0.2:"),
        "defaults' source: a sees %s" % addr)
n, addr = seen(fe[1])
T.check(n == "b" and addr.startswith("127.0.0.3:"),
        "server's own source: b sees %s" % addr)
n, addr = seen(fe[2])
T.check(n == "c" and addr == "127.0.0.4:%d" % fixed,
        "source with a port: c sees %s (want port %d)" % (addr, fixed))
n, addr = seen(fe[3])
T.check(n == "d" and addr.startswith("127.0.0.1:"),
        "no source: d sees %s" % addr)
T.check(T.wait_until(lambda: len(peers.get("k", [])) >= 2),
        "k is health-checked (%d checks)" % len(peers.get("k", [])))
T.check(all(p[0] == "127.0.0.5" for p in peers["k"]),
        "checks come from k's source (%s)" % sorted({p[0] for p in peers["k"]}))
rc, _ = run.stop()
T.check(rc == 0, "exit 0")
for s in servers:
    s.close()
T.done()
