#!/usr/bin/python3
"""A plan asking for more threads than cfgrun runs says so at start (the
setting is never ignored silently), and cfgrun still serves; nbthread 1
gives no such warning."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

sp = T.free_port()
srv = T.Server("s", ("127.0.0.1", sp))
WARN = "warning: the plan asks for nbthread 4; this version runs one thread"

for n in (4, 1):
    fe = T.free_port()
    plan = T.compile_cfg("""
global
    nbthread %d
defaults
    timeout connect 2s
    timeout client 30s
    timeout server 30s
listen l
    bind 127.0.0.1:%d
    server s 127.0.0.1:%d
""" % (n, fe, sp), "nbthread%d.cfg" % n)
    run = T.Cfgrun(plan)
    said = "the plan asks for nbthread" in run.stderr()
    if n > 1:
        T.check(WARN in run.stderr(), "nbthread %d: warned at start" % n)
    else:
        T.check(not said, "nbthread 1: no warning")
    T.check(T.greeting(T.exchange(("127.0.0.1", fe), b"hi")[0])[0] == "s",
            "nbthread %d: traffic flows" % n)
    rc, _ = run.stop()
    T.check(rc == 0, "nbthread %d: stops cleanly" % n)
srv.close()
T.done()
