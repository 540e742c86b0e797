#!/usr/bin/python3
"""Stats socket `disable health B/S` / `enable health B/S` (admin): the
server's health checks stop (no check connection reaches it, its state
stays as it was, as in HAProxy 2.6) and resume."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

fe, ps = T.free_ports(2)
srv = T.Server("app", ("127.0.0.1", ps))
sock = T.tmp("admin.sock")
plan = T.compile_cfg("""
global
    stats socket %s level admin
defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:%d
    default_backend be
backend be
    server s 127.0.0.1:%d check inter 100ms
    server t 127.0.0.1:%d
""" % (sock, fe, ps, ps))
run = T.Cfgrun(plan)


def cmd(c):
    return T.stats_cmd(sock, c)


n0 = srv.accepted
T.check(T.wait_until(lambda: srv.accepted >= n0 + 3), "checks run every 100 ms")
T.check(cmd("disable health be/s") == "\n", "disable health answers an empty line")
n1 = srv.accepted
# (one check already under way may still land)
T.check(not T.wait_until(lambda: srv.accepted > n1 + 1, timeout=0.8),
        "at most the check under way in 800 ms once disabled (%d -> %d)"
        % (n1, srv.accepted))
stat = [l for l in cmd("show stat").splitlines() if l.startswith("be,s,")]
T.check(stat and ",UP," in stat[0], "the server keeps its state (%r)" % stat)
T.check(cmd("disable health be/t") == "\n", "an unchecked server: nothing to do")
T.check(cmd("disable health be/nope") == "No such server.\n\n", "unknown server")
T.check(cmd("enable health be/s") == "\n", "enable health")
n2 = srv.accepted
T.check(T.wait_until(lambda: srv.accepted >= n2 + 2), "checks resume")
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
