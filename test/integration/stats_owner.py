#!/usr/bin/python3
"""`uid N` and `gid N` on a unix `stats socket` line (run as root): the
socket file has the owner, group and mode asked for when cfgrun listens,
a reload to a plan asking for another owner gives it the new one, the
socket answers; cfgc refuses user/group names, an owner for a TCP
socket and a word that is no id, each at its place in the line."""
import os
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
CFG = """
global
    stats socket %s mode 640 uid %%d gid %%d level admin
    stats socket %s gid 4242
defaults
    mode tcp
    timeout connect 1s
    timeout client 5s
    timeout server 5s
listen l
    bind 127.0.0.1:%d
    server s 127.0.0.1:%d
""" % (one, two, fe, sp)


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

# -- refused by cfgc, located
bad = T.tmp("owner-bad.cfg")
with open(bad, "w") as f:
    f.write("global\n"
            "    stats socket /tmp/x.sock user haproxy\n"
            "    stats socket ipv4@127.0.0.1:%d uid 3\n"
            "    stats socket /tmp/y.sock gid abc\n"
            "    stats socket /tmp/z.sock group adm\n" % T.free_port())
r = subprocess.run([T.CFGC, "-c", bad], capture_output=True, text=True,
                   timeout=T.TIMEOUT)
err = r.stdout + r.stderr
T.check(r.returncode != 0, "cfgc refuses them (exit %d)" % r.returncode)
T.check(":2:30: error[unsupported]: 'stats socket ... user' (a name)" in err and
        "with 'uid'" in err, "user NAME: unsupported, at the word, uid suggested")
T.check(":3:" in err and "is no unix path" in err, "uid on a TCP socket: refused")
T.check(":4:34: error[invalid-value]" in err and "found 'abc'" in err,
        "gid abc: a numeric id expected, at the value")
T.check(":5:30: error[unsupported]" in err and "with 'gid'" in err,
        "group NAME: unsupported, gid suggested")
T.done()
