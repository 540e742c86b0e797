#!/usr/bin/python3
"""Global and frontend maxconn: at the limit cfgrun stops accepting (new
clients wait in the kernel's queue, unanswered), and resumes as soon as a
connection ends."""
import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

sp = T.free_port()
srv = T.Server("s", ("127.0.0.1", sp))


def answered(s, wait):
    """True when the server's greeting arrives on s within `wait` seconds."""
    s.settimeout(wait)
    try:
        return s.recv(100).startswith(b"s mptcp=")
    except OSError:
        return False


def scenario(label, cfg_global, cfg_fe, limit, port):
    plan = T.compile_cfg("""
global
%s
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:%d
%s
    default_backend be
backend be
    server s 127.0.0.1:%d
""" % (cfg_global, port, cfg_fe, sp), label + ".cfg")
    run = T.Cfgrun(plan)
    held = []
    for i in range(limit):
        s = T.connect(("127.0.0.1", port))
        T.check(answered(s, T.TIMEOUT), "%s: connection %d of %d served" % (label, i + 1, limit))
        held.append(s)
    extra = T.connect(("127.0.0.1", port))      # the kernel completes it
    T.check(not answered(extra, 0.5), "%s: connection %d waits at the limit" % (label, limit + 1))
    held.pop(0).close()
    T.check(answered(extra, T.TIMEOUT), "%s: it is served once one closes" % label)
    held.append(extra)
    for s in held:
        s.close()
    # Back below the limit: new connections are served at once.
    s = T.connect(("127.0.0.1", port))
    T.check(answered(s, T.TIMEOUT), "%s: accepting again after the burst" % label)
    s.close()
    rc, _ = run.stop()
    T.check(rc == 0, "%s: exit 0 on SIGTERM" % label)


scenario("global", "    maxconn 2", "", 2, T.free_port())
scenario("frontend", "", "    maxconn 3", 3, T.free_port())
srv.close()
T.done()
