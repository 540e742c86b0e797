#!/usr/bin/python3
"""File descriptors follow maxconn: cfgrun raises RLIMIT_NOFILE to hold
2 * maxconn + listeners, and when the hard limit forbids it, it lowers
maxconn and says so (instead of failing on accept later)."""
import os
import resource
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

fe = T.free_port()
plan = T.compile_cfg("""
global
    maxconn 1000
    nbthread 2
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
listen l
    bind 127.0.0.1:%d
    server s 127.0.0.1:1
""" % fe)


def limited(soft, hard):
    """Start cfgrun with RLIMIT_NOFILE soft/hard; returns (run, soft now)."""
    saved = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, saved[1]))
    try:
        run = T.Cfgrun(plan, preexec=lambda: resource.setrlimit(
            resource.RLIMIT_NOFILE, (soft, hard)))
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, saved)
    with open("/proc/%d/limits" % run.proc.pid) as f:
        line = [l for l in f if l.startswith("Max open files")][0]
    return run, int(line.split()[3])


run, now = limited(256, 4096)
T.check(now >= 2 * 1000 + 1, "soft limit raised from 256 to %d for maxconn 1000" % now)
T.check("ready: maxconn 1000" in run.stderr(), "maxconn kept at 1000")
run.stop()

run, now = limited(256, 256)
err = run.stderr()
if now >= 2 * 1000 + 1:
    # Privileged (CAP_SYS_RESOURCE): cfgrun may raise the hard limit too.
    T.check("ready: maxconn 1000" in err,
            "hard limit raised by a privileged cfgrun (%d), maxconn kept" % now)
else:
    T.check(now == 256, "hard limit 256 kept (%d)" % now)
    T.check("maxconn 1000 lowered to" in err and "RLIMIT_NOFILE" in err,
            "maxconn lowered with a warning: %s"
            % [l for l in err.splitlines() if "lowered" in l])
    T.check("ready: maxconn 108" in err,
            "maxconn = (256 - 1 listener - 32 spare - 2 threads x 3) / 2 = 108")
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
