#!/usr/bin/python3
"""The pid file is removed when cfgrun exits (fast stop, soft stop, as a
daemon), as HAProxy does, but only while it still names our process: a
file another process has rewritten since is left alone."""
import os
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

sp = T.free_port()
T.Server("s1", ("127.0.0.1", sp))
CFG = """
global
%s
defaults
    timeout connect 1s
    timeout client 5s
    timeout server 5s
listen p
    bind 127.0.0.1:%d
    server s1 127.0.0.1:%d
"""


def start(pidfile, extra=""):
    fe = T.free_port()
    plan = T.compile_cfg(CFG % ("    pidfile %s%s" % (pidfile, extra), fe, sp),
                         os.path.basename(pidfile) + ".cfg")
    return plan, fe


def pid_in(path):
    try:
        return int(open(path).read().strip())
    except (OSError, ValueError):
        return None


# 1. SIGTERM
pf = T.tmp("term.pid")
plan, _ = start(pf)
run = T.Cfgrun(plan)
T.check(pid_in(pf) == run.proc.pid, "pid file written with our pid")
rc, _ = run.stop(signal.SIGTERM)
T.check(rc == 0, "exit 0 on SIGTERM")
T.check(not os.path.exists(pf), "pid file removed on SIGTERM")

# 2. SIGUSR1 (soft stop, nothing to drain)
pf = T.tmp("usr1.pid")
plan, _ = start(pf)
run = T.Cfgrun(plan)
rc, _ = run.stop(signal.SIGUSR1)
T.check(rc == 0, "exit 0 after soft stop")
T.check(not os.path.exists(pf), "pid file removed after soft stop")

# 3. rewritten by someone else: kept
pf = T.tmp("other.pid")
plan, _ = start(pf)
run = T.Cfgrun(plan)
with open(pf + ".new", "w") as f:
    f.write("1\n")
os.rename(pf + ".new", pf)
rc, _ = run.stop(signal.SIGTERM)
T.check(rc == 0, "exit 0 on SIGTERM")
T.check(pid_in(pf) == 1, "a pid file naming another process is left alone")

# 4. daemon
pf = T.tmp("daemon.pid")
plan, fe = start(pf, "\n    daemon")
r = subprocess.run([T.CFGRUN, "-q", plan], capture_output=True, text=True,
                   timeout=T.TIMEOUT)
T.check(r.returncode == 0, "daemon started: %s" % r.stderr.strip())
pid = pid_in(pf)
T.check(pid is not None, "daemon wrote its pid")
if pid:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    T.check(T.wait_until(lambda: not os.path.exists(pf)),
            "pid file removed when the daemon stops")
    if os.path.exists(pf) or os.path.exists("/proc/%d" % pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

T.done()
