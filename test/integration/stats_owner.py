#!/usr/bin/python3
"""`uid N` and `gid N`, or `user NAME` and `group NAME`, on a unix
`stats socket` line (run as root): the socket file has the owner, group
and mode asked for when cfgrun listens, names looked up by cfgrun; a
reload to a plan asking for another owner gives it the new one, the
socket answers; a name unknown on the host stops cfgrun at start with a
message naming the socket; cfgc refuses an owner for a TCP socket, a
word that is no id and a missing name, each at its place in the line."""
import grp
import os
import pwd
import stat
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

if os.geteuid() != 0:
    T.skip("changing a socket file's owner needs root")

one = T.tmp("owner1.sock")
two = T.tmp("owner2.sock")
fe, sp = T.free_ports(2)
PROXY = """defaults
    mode tcp
    timeout connect 1s
    timeout client 5s
    timeout server 5s
listen l
    bind 127.0.0.1:%d
    server s 127.0.0.1:%d
""" % (fe, sp)
CFG = """
global
    stats socket %s mode 640 uid %%d gid %%d level admin
    stats socket %s gid 4242
""" % (one, two) + PROXY.replace("%", "%%")


def owner(path):
    st = os.stat(path)
    return st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode), stat.S_ISSOCK(st.st_mode)


plan = T.compile_cfg(CFG % (1234, 99), "owner.cfg")
run = T.Cfgrun(plan)
T.check(owner(one) == (1234, 99, 0o640, True),
        "owner1.sock: uid 1234, gid 99, mode 640 (%s)" % (owner(one),))
T.check(owner(two)[:2] == (0, 4242),
        "owner2.sock: gid 4242, the owner left as made (root) (%s)" % (owner(two),))
T.check("Pid: %d" % run.proc.pid in T.stats_cmd(one, "show info"),
        "the socket answers")
T.compile_cfg(CFG % (4321, 98), "owner.cfg", out=plan)
T.check(run.reload(), "reloaded")
T.check(owner(one)[:2] == (4321, 98), "after a reload: the new plan's owner (%s)"
        % (owner(one),))
T.check("Pid: %d" % run.proc.pid in T.stats_cmd(one, "show info"),
        "the socket kept across the reload answers")
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")

# -- names, looked up by cfgrun
three = T.tmp("owner3.sock")
NAMED = """
global
    stats socket %s uid 7 user %%s group %%s mode 600
""" % three + PROXY
daemon, nobody = pwd.getpwnam("daemon"), pwd.getpwnam("nobody")
nogroup = grp.getgrnam("nogroup")
plan = T.compile_cfg(NAMED % ("daemon", "nogroup"), "named.cfg")
run = T.Cfgrun(plan)
T.check(owner(three) == (daemon.pw_uid, nogroup.gr_gid, 0o600, True),
        "owner3.sock: user daemon (the last of uid 7 and user wins), group nogroup (%s)"
        % (owner(three),))
T.check("Pid: %d" % run.proc.pid in T.stats_cmd(three, "show info"),
        "the socket answers")
T.compile_cfg(NAMED % ("nobody", "daemon"), "named.cfg", out=plan)
T.check(run.reload(), "reloaded")
T.check(owner(three)[:2] == (nobody.pw_uid, grp.getgrnam("daemon").gr_gid),
        "after a reload: user nobody, group daemon (%s)" % (owner(three),))
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
for who, what in (("nosuchuser-hapc", "daemon"), ("daemon", "nosuchgroup-hapc")):
    plan = T.compile_cfg(NAMED % (who, what), "named-bad.cfg")
    rc, out = T.run_cfgrun(plan)
    name = who if who.startswith("nosuch") else what
    T.check(rc != 0 and "stats socket unix@%s (line 3)" % three in out and
            "'%s': no such" % name in out,
            "an unknown name (%s) stops cfgrun at start, naming the socket (rc %s): %s"
            % (name, rc, out.strip().splitlines()[-1:]))
    T.check(not os.path.exists(three), "and leaves no socket file behind")

# -- refused by cfgc, located
bad = T.tmp("owner-bad.cfg")
with open(bad, "w") as f:
    f.write("global\n"
            "    stats socket ipv4@127.0.0.1:%d user daemon\n"
            "    stats socket ipv4@127.0.0.1:%d uid 3\n"
            "    stats socket /tmp/y.sock gid abc\n"
            "    stats socket /tmp/z.sock group\n" % (T.free_port(), T.free_port()))
r = subprocess.run([T.CFGC, "-c", bad], capture_output=True, text=True,
                   timeout=T.TIMEOUT)
err = r.stdout + r.stderr
T.check(r.returncode != 0, "cfgc refuses them (exit %d)" % r.returncode)
T.check(":2:" in err and "'stats socket ... user' gives a unix socket file its owner" in err,
        "user NAME on a TCP socket: refused")
T.check(":3:" in err and "is no unix path" in err, "uid on a TCP socket: refused")
T.check(":4:34: error[invalid-value]" in err and "found 'abc'" in err,
        "gid abc: a numeric id expected, at the value")
T.check(":5:30: error[missing-argument]" in err and "expects a name" in err,
        "group without a name: refused at the word")
T.done()
