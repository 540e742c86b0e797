#!/usr/bin/python3
"""Numeric `uid` and `gid` (root only): ids that no passwd or group entry
names are switched to after the listener is opened; cfgrun then runs with
exactly those ids, with no supplementary groups left, and still serves."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

if os.geteuid() != 0:
    T.skip("needs root to change ids")
UID, GID = 43210, 43211
sp = T.free_ports(1)
server = T.Server("s0", ("127.0.0.1", sp[0]))
fe = T.free_ports(1)[0]
CFG = """
global
    uid %d
    gid %d
defaults
    timeout connect 2s
    timeout client 30s
    timeout server 30s
listen p
    bind 127.0.0.1:%d
    server s 127.0.0.1:%d
"""
plan = T.compile_cfg(CFG % (UID, GID, fe, sp[0]), "ids.cfg")
os.chmod(plan, 0o644)
asan = os.environ.get("ASAN_OPTIONS", "")
run = T.Cfgrun(plan, env={"ASAN_OPTIONS": (asan + ":" if asan else "") + "detect_leaks=0"})
pid = run.proc.pid
status = open("/proc/%d/status" % pid).read()
fields = dict(l.split(":\t", 1) for l in status.splitlines() if ":\t" in l)
T.check(fields["Uid"].split() == [str(UID)] * 4, "uid %d (%s)" % (UID, fields["Uid"]))
T.check(fields["Gid"].split() == [str(GID)] * 4, "gid %d (%s)" % (GID, fields["Gid"]))
T.check(fields["Groups"].split() in ([], [str(GID)]),
        "no supplementary root group (%r)" % fields["Groups"])
reply, _ = T.exchange(("127.0.0.1", fe), b"x")
T.check(T.greeting(reply)[0] == "s0", "serves after switching ids")
rc, _ = run.stop()
T.check(rc == 0, "exit 0")
server.close()
T.done()
