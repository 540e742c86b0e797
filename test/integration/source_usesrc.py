#!/usr/bin/python3
"""`source ADDR usesrc client|clientip` (root only: transparent sockets
need CAP_NET_ADMIN): cfgrun connects to the server from the client's own
address. A client bound to 127.0.0.7 reaches the server from 127.0.0.7
with another port under `usesrc clientip`; a client bound to
127.0.0.8:P reaches it from 127.0.0.8:P under `usesrc client` (set on the
server line, as `--dump` writes it); health checks still come from the
source address (127.0.0.5)."""
import os
import socket
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

if os.geteuid() != 0:
    T.skip("transparent sockets need root")
peers = {}


def handler_for(name):
    def h(c):
        peer = c.getpeername()
        peers.setdefault(name, []).append(peer)
        c.sendall(("%s %s:%d\n" % (name, peer[0], peer[1])).encode())
    return h


ports = T.free_ports(2)
servers = [T.Server(n, ("127.0.0.1", p), handler=handler_for(n))
           for n, p in zip("ab", ports)]
fe = T.free_ports(2)
CFG = """
defaults
    timeout connect 2s
    timeout client 5s
    timeout server 5s
backend ip
    source 127.0.0.5 usesrc clientip
    server a 127.0.0.1:%d check inter 300ms
backend full
    server b 127.0.0.1:%d source 0.0.0.0 usesrc client
frontend f1
    bind 127.0.0.1:%d
    default_backend ip
frontend f2
    bind 127.0.0.1:%d
    default_backend full
""" % (ports[0], ports[1], fe[0], fe[1])
plan = T.compile_cfg(CFG, "usesrc.cfg")
run = T.Cfgrun(plan)


def seen_from(port, src):
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.settimeout(T.TIMEOUT)
    c.bind(src)
    local = c.getsockname()
    c.connect(("127.0.0.1", port))
    c.shutdown(socket.SHUT_WR)
    reply = T.recv_all(c).decode()
    c.close()
    return local, reply.split()


local, (n, addr) = seen_from(fe[0], ("127.0.0.7", 0))
T.check(n == "a" and addr.startswith("127.0.0.7:") and
        addr != "127.0.0.7:%d" % local[1],
        "usesrc clientip: the server sees the client's IP, another port "
        "(%s, client %s:%d)" % (addr, local[0], local[1]))
local, (n, addr) = seen_from(fe[1], ("127.0.0.8", 0))
T.check(n == "b" and addr == "127.0.0.8:%d" % local[1],
        "usesrc client: the server sees the client's IP and port (%s)" % addr)
T.check(T.wait_until(lambda: any(p[0] == "127.0.0.5" for p in peers.get("a", []))),
        "checks come from the source address 127.0.0.5")
rc, _ = run.stop()
T.check(rc == 0, "exit 0")
for s in servers:
    s.close()
T.done()
