#!/usr/bin/python3
"""Round robin: consecutive connections alternate over the servers in
order; weights give proportional, interleaved shares; weight 0 gets none.
A listen section with its own servers uses them."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

fe, lw = T.free_port(), T.free_port()
ports = [T.free_port() for _ in range(4)]
servers = [T.Server("s%d" % i, ("127.0.0.1", p)) for i, p in enumerate(ports)]
plan = T.compile_cfg("""
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:%d
    default_backend three
backend three
    balance roundrobin
    server s0 127.0.0.1:%d
    server s1 127.0.0.1:%d
    server s2 127.0.0.1:%d
listen weighted
    bind 127.0.0.1:%d
    server s0 127.0.0.1:%d weight 2
    server s1 127.0.0.1:%d weight 1
    server s3 127.0.0.1:%d weight 0
""" % (fe, ports[0], ports[1], ports[2], lw, ports[0], ports[1], ports[3]))
run = T.Cfgrun(plan)


def names(port, n):
    out = []
    for i in range(n):
        reply, _ = T.exchange(("127.0.0.1", port), b"ping %d" % i)
        name, _, echo = T.greeting(reply)
        if echo != b"ping %d" % i:
            name = "bad-echo"
        out.append(name)
    return out


seq = names(fe, 9)
T.check(seq == ["s0", "s1", "s2"] * 3, "three servers in turn: %s" % seq)
seq = names(lw, 9)
T.check(seq.count("s0") == 6 and seq.count("s1") == 3,
        "weights 2:1 give 6 and 3 of 9: %s" % seq)
T.check("s3" not in seq, "weight 0 server gets nothing")
T.check(all(seq[i:i + 3].count("s1") == 1 for i in range(0, 9, 3)),
        "weighted turns are interleaved, not in bursts")
T.check(servers[3].accepted == 0, "s3 never accepted a connection")
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
