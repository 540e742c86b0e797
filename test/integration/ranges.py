#!/usr/bin/python3
"""A port range on bind opens one listener per port, and every port of the
range answers and proxies."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

N = 12
ports = T.free_ports(N)
sp = T.free_port()
srv = T.Server("s", ("127.0.0.1", sp))
plan = T.compile_cfg("""
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:%d-%d
    default_backend be
backend be
    server s 127.0.0.1:%d
""" % (ports[0], ports[-1], sp))
run = T.Cfgrun(plan)
err = run.stderr()
T.check(err.count("listening on 127.0.0.1:") == N,
        "%d listeners announced for a range of %d ports" % (err.count("listening on"), N))
bad = []
for p in ports:
    payload = b"port %d\n" % p
    reply, _ = T.exchange(("127.0.0.1", p), payload)
    name, _, echo = T.greeting(reply)
    if name != "s" or echo != payload:
        bad.append(p)
T.check(not bad, "every port of %d-%d answers and proxies both ways (bad: %s)"
        % (ports[0], ports[-1], bad))
after = ports[-1] + 1
T.check("listening on 127.0.0.1:%d" % after not in err,
        "the port after the range (%d) is not opened" % after)
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
srv.close()
T.done()
