#!/usr/bin/python3
"""Balancing algorithms through cfgc and cfgrun: static-rr takes turns,
leastconn goes to the least loaded server, first fills servers in order up
to their maxconn, source keeps a client IP on one server (map-based and
consistent) while spreading different IPs, random reaches every server."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

ports = T.free_ports(3)
servers = [T.Server("s%d" % i, ("127.0.0.1", p)) for i, p in enumerate(ports)]
fe = {k: T.free_port() for k in ("srr", "lc", "first", "srcmap", "srcch",
                                 "rand")}


def listen(name, algo, extra="", srv_extra=""):
    text = "listen %s\n    bind 127.0.0.1:%d\n    balance %s\n%s" % (
        name, fe[name], algo, extra)
    for i, p in enumerate(ports):
        text += "    server s%d 127.0.0.1:%d%s\n" % (i, p, srv_extra)
    return text


plan = T.compile_cfg("""
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
""" + listen("srr", "static-rr")
    + listen("lc", "leastconn")
    + listen("first", "first", srv_extra=" maxconn 2")
    + listen("srcmap", "source", "    hash-type map-based\n")
    + listen("srcch", "source", "    hash-type consistent\n")
    + listen("rand", "random(2)"))
run = T.Cfgrun(plan)


def addr(name):
    return ("127.0.0.1", fe[name])


# static-rr: plain turns in declaration order.
seq = T.server_names(addr("srr"), 9)
T.check(seq == ["s0", "s1", "s2"] * 3, "static-rr takes turns: %s" % seq)

# leastconn: with s0 and s1 busy, s2 is next; when s1's connection ends,
# s1 is the least loaded again.
held = [T.hold(addr("lc")) for _ in range(3)]
names = [n for _, n in held]
T.check(sorted(names) == ["s0", "s1", "s2"],
        "leastconn spreads three held connections: %s" % names)
busy = {n: s for s, n in held}
busy["s1"].close()
T.wait_until(lambda: any(" lc/s1 " in l for l in run.log_lines()))
s, n = T.hold(addr("lc"))
T.check(n == "s1", "leastconn sends to the server whose connection ended: %s" % n)
s.close()
for k in ("s0", "s2"):
    busy[k].close()

# first: each server takes up to its maxconn (2) before the next one.
held = [T.hold(addr("first")) for _ in range(6)]
names = [n for _, n in held]
T.check(names == ["s0", "s0", "s1", "s1", "s2", "s2"],
        "first fills servers in order up to maxconn: %s" % names)
held[0][0].close()
T.wait_until(lambda: any(" first/s0 " in l for l in run.log_lines()))
s, n = T.hold(addr("first"))
T.check(n == "s0", "first goes back to s0 once it has room: %s" % n)
s.close()
for s, _ in held[1:]:
    s.close()

# source: one client IP always lands on one server; many IPs spread.
for kind in ("srcmap", "srcch"):
    seq = T.server_names(addr(kind), 6, source="127.0.0.1")
    T.check(len(set(seq)) == 1 and seq[0] is not None,
            "%s: one client IP, one server: %s" % (kind, seq))
    seen, unstable = {}, []
    for i in range(2, 40):
        ip = "127.0.0.%d" % i
        names = T.server_names(addr(kind), 2, source=ip)
        if names[0] != names[1] or names[0] is None:
            unstable.append((ip, names))
        seen[ip] = names[0]
    T.check(not unstable, "%s: every client IP stays on its server %s"
            % (kind, unstable))
    T.check(len(set(seen.values())) == 3,
            "%s: 38 client IPs reach all three servers: %s"
            % (kind, sorted(set(seen.values()))))
    T.check(all(seen[ip] == T.server_names(addr(kind), 1, source=ip)[0]
                for ip in list(seen)[:10]),
            "%s: the same IPs map to the same servers again" % kind)

# random(2): every server gets some of 60 connections, nothing else.
seq = T.server_names(addr("rand"), 60)
T.check(set(seq) == {"s0", "s1", "s2"},
        "random reaches every server: %s" % sorted(set(map(str, seq))))
T.check(min(seq.count(n) for n in ("s0", "s1", "s2")) >= 5,
        "random spreads 60 connections: %s"
        % [seq.count(n) for n in ("s0", "s1", "s2")])

rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
