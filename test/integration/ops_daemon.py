#!/usr/bin/python3
"""`daemon` and `pidfile`: cfgrun returns 0 only once the daemon listens;
the pid file names the daemon, which runs in its own session and serves;
a daemon that cannot start makes the command fail with the reason on the
terminal; unknown `user`/`group` names are refused before anything
starts."""
import atexit
import os
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

sp = T.free_port()
srv = T.Server("s1", ("127.0.0.1", sp))
fe = T.free_port()
pidfile = T.tmp("cfgrun.pid")
CFG = """
global
%s
defaults
    timeout connect 2s
    timeout client 30s
    timeout server 30s
listen d
    bind 127.0.0.1:%d
    server s1 127.0.0.1:%d
"""
daemons = []


def kill_daemons():
    for pid in daemons:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


atexit.register(kill_daemons)


def alive(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            return "\nState:\tZ" not in f.read()
    except OSError:
        return False


plan = T.compile_cfg(CFG % ("    daemon\n    pidfile %s" % pidfile, fe, sp), "daemon.cfg")
t0 = time.monotonic()
rc, out = T.run_cfgrun(plan)
took = time.monotonic() - t0
T.check(rc == 0, "daemon start returns 0 (%r, %s)" % (rc, out.strip()[-200:]))
T.check(took < 2.0, "the parent returns at once (%.2fs)" % took)
pid = int(open(pidfile).read().strip())
daemons.append(pid)
T.check(alive(pid), "pid file names a live process (%d)" % pid)
T.check(os.getsid(pid) == pid, "the daemon leads its own session")
reply, _ = T.exchange(("127.0.0.1", fe), b"ping")
T.check(T.greeting(reply)[0] == "s1" and reply.endswith(b"ping"), "the daemon serves")
T.check(os.readlink("/proc/%d/fd/2" % pid) == "/dev/null", "the daemon's stderr is /dev/null")

# A second daemon on the same port cannot start: the error reaches us.
plan2 = T.compile_cfg(CFG % ("    daemon\n    pidfile %s" % T.tmp("other.pid"), fe, sp), "daemon2.cfg")
rc, out = T.run_cfgrun(plan2)
T.check(rc == 1 and "cannot bind to 127.0.0.1:%d" % fe in out,
        "failed daemon start: exit 1 with the reason (%r)" % out.strip()[-200:])
T.check(not os.path.exists(T.tmp("other.pid")), "no pid file for a daemon that did not start")

os.kill(pid, signal.SIGTERM)
deadline = time.monotonic() + T.TIMEOUT
while alive(pid) and time.monotonic() < deadline:
    time.sleep(0.02)
T.check(not alive(pid), "SIGTERM stops the daemon")

# Names that do not exist: refused before listening.
for stmt, word in (("user hapc-no-such-user", "no such user"),
                   ("group hapc-no-such-group", "no such group")):
    p = T.compile_cfg(CFG % ("    " + stmt, fe, sp), "names.cfg")
    rc, out = T.run_cfgrun(p)
    T.check(rc == 1 and word in out and stmt.split()[1] in out,
            "'%s' refused: %r" % (stmt, out.strip()[-160:]))
    T.check("listening on" not in out, "'%s': nothing opened first" % stmt)
srv.close()
T.done()
