#!/usr/bin/python3
"""How many threads cfgrun runs when the configuration does not say: as
HAProxy, one per CPU the process may run on (its affinity mask, here
inherited from this script), at most 64; with `nbthread 1`, one. Both
serve traffic and stop cleanly."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import threads_lib as TL

sp = T.free_port()
T.Server("s", ("127.0.0.1", sp))
cpus = min(len(os.sched_getaffinity(0)), 64)
for n, glob, label in ((cpus, "", "nbthread unset (%d CPUs)" % cpus),
                       (1, TL.global_section(1), "nbthread 1")):
    fe = T.free_port()
    plan = T.compile_cfg(glob + """
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
listen l
    bind 127.0.0.1:%d
    server s 127.0.0.1:%d
""" % (fe, sp), "default%d.cfg" % n)
    run = T.Cfgrun(plan)
    TL.check_threads(run, n, label)
    T.check(T.greeting(T.exchange(("127.0.0.1", fe), b"hi")[0])[0] == "s",
            "%s: traffic flows" % label)
    rc, _ = run.stop()
    T.check(rc == 0, "%s: exit 0 on SIGTERM" % label)
T.done()
