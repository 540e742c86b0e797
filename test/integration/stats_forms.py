#!/usr/bin/python3
"""Stats sockets in every address form at once: an fd@N descriptor passed
by the parent (as systemd socket activation and test harnesses do), a
unix path with `expose-fd listeners`, abns@, ipv4@ and ipv6@ TCP; each
socket's level decides which commands run (user looks, operator looks,
admin changes), `help` lists what the level allows; the fd@ socket is
kept across a reload."""
import os
import signal
import socket
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

sp = T.free_port()
srv = T.Server("s", ("127.0.0.1", sp))
fe, tcp4 = T.free_ports(2)
path = T.tmp("forms.sock")
abns = "hapc-forms-%d" % os.getpid()
six = T.have_ipv6()
tcp6 = T.free_port("::1", socket.AF_INET6) if six else 0

# the parent's socket: bound and listening before cfgrun starts
parent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
parent_path = T.tmp("parent.sock")
parent.bind(parent_path)
parent.listen(8)
pfd = parent.fileno()
os.set_inheritable(pfd, True)

CFG = """
global
    stats socket fd@%d level admin
    stats socket %s mode 660 level admin expose-fd listeners
    stats socket abns@%s level user
    stats socket ipv4@127.0.0.1:%d level operator
%s
defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s
listen front
    bind 127.0.0.1:%d
    server s1 127.0.0.1:%d
    server s2 127.0.0.1:%d
"""
six_line = "    stats socket ipv6@[::1]:%d level user" % tcp6 if six else ""
plan = T.compile_cfg(CFG % (pfd, path, abns, tcp4, six_line, fe, sp, sp),
                     "forms.cfg")
run = T.Cfgrun(plan, pass_fds=(pfd,))


def ask(addr, family, cmd):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(T.TIMEOUT)
    s.connect(addr)
    s.sendall(cmd.encode() + b"\n")
    out = T.recv_all(s).decode()
    s.close()
    return out


FORMS = [("fd@ from the parent", parent_path, socket.AF_UNIX, "admin"),
         ("unix path", path, socket.AF_UNIX, "admin"),
         ("abns@", T.abns_addr(abns), socket.AF_UNIX, "user"),
         ("ipv4@", ("127.0.0.1", tcp4), socket.AF_INET, "operator")]
if six:
    FORMS.append(("ipv6@", ("::1", tcp6), socket.AF_INET6, "user"))
else:
    T.log("no IPv6 on loopback: ipv6@ not tried")

for name, addr, fam, level in FORMS:
    info = ask(addr, fam, "show info")
    T.check("Pid: %d" % run.proc.pid in info, "%s: show info answers" % name)
    help_ = ask(addr, fam, "help")
    T.check(("disable server" in help_) == (level == "admin"),
            "%s (%s): help lists the admin commands only at admin" % (name, level))
    out = ask(addr, fam, "disable server front/s2")
    if level == "admin":
        T.check(out == "\n", "%s: admin may disable a server (%r)" % (name, out))
        T.check(ask(addr, fam, "enable server front/s2") == "\n",
                "%s: and enable it again" % name)
    else:
        T.check(out.startswith("Permission denied"),
                "%s: %s may not disable a server (%r)" % (name, level, out[:40]))
    T.check(ask(addr, fam, "show stat -1 4 2").count("\nfront,s2,") == 1,
            "%s: show stat with filters" % name)
T.check("DRAIN" not in ask(path, socket.AF_UNIX, "show stat"), "no server left changed")

# -- reload: the inherited socket is kept (same descriptor)
T.compile_cfg(CFG % (pfd, path, abns, tcp4, "", fe, sp, sp), "forms.cfg",
              out=plan)
run.proc.send_signal(signal.SIGHUP)
T.check(T.wait_until(lambda: "reloaded plan" in run.stderr()), "reloaded")
T.check("Pid: " in ask(parent_path, socket.AF_UNIX, "show info"),
        "the fd@ socket answers after the reload")
if six:
    try:
        ask(("::1", tcp6), socket.AF_INET6, "show info")
        T.fail("the ipv6@ socket left out of the new plan still answers")
    except OSError:
        T.check(True, "the ipv6@ socket left out of the new plan is closed")

# -- a descriptor that is not a socket: cfgrun refuses to start
bad = T.compile_cfg(CFG % (0, path + "2", abns + "x", T.free_port(), "",
                           T.free_port(), sp, sp), "forms-bad.cfg", out=T.tmp("bad.plan"))
rc, out = T.run_cfgrun(bad)
T.check(rc != 0 and "stats socket (line 3)" in out and "fd@0" in out,
        "fd@0 (not a socket) is refused with its line: %r" % out.strip()[-120:])
run.stop()
srv.close()
T.done()
