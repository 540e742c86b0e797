#!/usr/bin/python3
"""ulimit-n sets cfgrun's descriptor limit; strict-limits makes a limit
that cannot be had stop cfgrun instead of lowering maxconn (a maxconn
needing more descriptors than the kernel ever allows: fs.nr_open)."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

fe, be = T.free_port(), T.free_port()
BODY = """
defaults
    timeout connect 2s
    timeout client 5s
    timeout server 5s
listen l
    bind 127.0.0.1:%d
    server s 127.0.0.1:%d
""" % (fe, be)
with open("/proc/sys/fs/nr_open") as f:
    nr_open = int(f.read())
huge = nr_open // 2 + 1000

run = T.Cfgrun(T.compile_cfg("global\n    ulimit-n 777\n" + BODY, name="u.cfg"))
limits = open("/proc/%d/limits" % run.proc.pid).read()
line = [l for l in limits.splitlines() if l.startswith("Max open files")][0]
T.check(line.split()[3] == "777", "ulimit-n 777: RLIMIT_NOFILE is 777 (%s)" % line)
run.stop()

rc, out = T.run_cfgrun(T.compile_cfg("global\n    maxconn %d\n    strict-limits\n" % huge
                                     + BODY, name="s.cfg"))
T.check(rc != 0 and "strict-limits: maxconn %d needs" % huge in out,
        "strict-limits: an impossible limit stops cfgrun (rc %s):\n%s" % (rc, out))

run = T.Cfgrun(T.compile_cfg("global\n    maxconn %d\n" % huge + BODY, name="n.cfg"))
T.check("lowered to" in run.stderr(), "without strict-limits maxconn is lowered")
run.stop()
T.done()
