#!/usr/bin/python3
"""global unix-bind on real sockets: `prefix` is put before the path of a
unix bind line (the socket exists at PREFIX+PATH, not at PATH, and
traffic through it reaches the server), `mode` sets its permission bits,
`uid`/`gid` its owner (65534:65533 when run as root, else the test's
own ids, which any user may set); a
stats socket is not prefixed and keeps its own mode, as in HAProxy; a
line with `mode` only leaves the other bits alone; cfgc --dump writes the
settings back without the prefix, which is already in the paths."""
import os
import socket
import stat
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

s1 = T.free_port()
srv = T.Server("srv", ("127.0.0.1", s1))
pfx = T.tmp("ux-")
sock = T.tmp("stats.sock")
# as root, ids the socket would not get otherwise; else the test's own
uid, gid = (65534, 65533) if os.getuid() == 0 else (os.getuid(), os.getgid())
plan = T.compile_cfg("""
global
    unix-bind prefix %(pfx)s mode 640 uid %(uid)d gid %(gid)d
    stats socket %(sock)s mode 600
defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend f
    bind unix@front.sock
    default_backend b
backend b
    server s 127.0.0.1:%(s1)d
""" % locals())
run = T.Cfgrun(plan)
path = pfx + "front.sock"
T.check(T.wait_until(lambda: os.path.exists(path) and os.path.exists(sock)),
        "the unix listener is at the prefixed path %s" % path)
T.check(not os.path.exists("front.sock") and
        not os.path.exists(T.tmp("front.sock")),
        "nothing at the unprefixed path")
st = os.stat(path)
T.check(stat.S_ISSOCK(st.st_mode), "it is a socket")
T.check(stat.S_IMODE(st.st_mode) == 0o640,
        "unix-bind mode 640 (got %o)" % stat.S_IMODE(st.st_mode))
T.check(st.st_uid == uid and st.st_gid == gid,
        "owner %d:%d (got %d:%d)" % (uid, gid, st.st_uid, st.st_gid))
T.check(stat.S_IMODE(os.stat(sock).st_mode) == 0o600,
        "the stats socket keeps its own mode 600, unprefixed")
payload = b"through the prefixed unix socket\n" * 50
reply, _ = T.exchange(path, payload, socket.AF_UNIX)
name, _mp, echo = T.greeting(reply)
T.check(name == "srv" and echo == payload,
        "traffic through it reaches the server intact (%r)" % name)
dump = subprocess.run([T.CFGC, "--dump", plan],
                      capture_output=True, text=True, timeout=T.TIMEOUT)
T.check("    unix-bind mode 640 uid %d gid %d\n" % (uid, gid) in dump.stdout,
        "--dump writes unix-bind without the prefix")
T.check("unix@%s" % path in dump.stdout or '"%s"' % path in dump.stdout
        or path in dump.stdout, "--dump writes the prefixed path")
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")

# mode only: the owner is left alone, the mode set.
plan = T.compile_cfg("""
global
    unix-bind mode 0604
defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend f
    bind %(p)s
    default_backend b
backend b
    server s 127.0.0.1:%(s1)d
""" % {"p": T.tmp("plain.sock"), "s1": s1}, name="mode.cfg")
run = T.Cfgrun(plan)
T.check(T.wait_until(lambda: os.path.exists(T.tmp("plain.sock"))),
        "a path without prefix is used as written")
T.check(stat.S_IMODE(os.stat(T.tmp("plain.sock")).st_mode) == 0o604,
        "unix-bind mode 0604 alone")
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
