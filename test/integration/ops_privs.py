#!/usr/bin/python3
"""`user`, `group` and `chroot` (root only): the listeners, log socket and
stats socket are opened first, then cfgrun runs as nobody:nogroup without
supplementary groups, chrooted in an empty directory; it still serves,
logs, answers on the stats socket, and reloads its plan (read through the
directory kept from before the chroot)."""
import os
import pwd
import grp
import signal
import socket
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

if os.geteuid() != 0:
    T.skip("needs root to change user and chroot")
try:
    nobody = pwd.getpwnam("nobody")
    nogroup = grp.getgrnam("nogroup")
except KeyError:
    T.skip("no nobody/nogroup on this host")

jail = tempfile.mkdtemp(prefix="hapc-jail-")
pubdir = tempfile.mkdtemp(prefix="hapc-plan-")
os.chmod(jail, 0o755)
os.chmod(pubdir, 0o755)
sp = T.free_ports(2)
servers = [T.Server("s%d" % i, ("127.0.0.1", p)) for i, p in enumerate(sp)]
fe, logp = T.free_ports(2)
stats_path = T.tmp("privs.sock")
syslog = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
syslog.bind(("127.0.0.1", logp))
syslog.settimeout(T.TIMEOUT)
CFG = """
global
    user nobody
    group nogroup
    chroot %s
    log 127.0.0.1:%d local0
    stats socket %s mode 666 level admin
defaults
    timeout connect 2s
    timeout client 30s
    timeout server 30s
listen p
    bind 127.0.0.1:%d
    log global
    server s 127.0.0.1:%d
"""
plan = os.path.join(pubdir, "privs.plan")
T.compile_cfg(CFG % (jail, logp, stats_path, fe, sp[0]), "privs.cfg", out=plan)
os.chmod(plan, 0o644)
# LeakSanitizer needs /proc, which the chroot hides (sanitizer builds).
asan = os.environ.get("ASAN_OPTIONS", "")
run = T.Cfgrun(plan, env={"ASAN_OPTIONS": (asan + ":" if asan else "") + "detect_leaks=0"})
pid = run.proc.pid
status = open("/proc/%d/status" % pid).read()
fields = dict(l.split(":\t", 1) for l in status.splitlines() if ":\t" in l)
T.check(fields["Uid"].split()[0] == str(nobody.pw_uid) and
        fields["Uid"].split()[1] == str(nobody.pw_uid), "runs as nobody (%s)" % fields["Uid"])
T.check(fields["Gid"].split()[0] == str(nogroup.gr_gid), "group nogroup (%s)" % fields["Gid"])
T.check(fields["Groups"].split() in ([], [str(nogroup.gr_gid)]),
        "no supplementary root group (%r)" % fields["Groups"])
T.check(os.readlink("/proc/%d/root" % pid) == jail, "chrooted in the jail")

reply, _ = T.exchange(("127.0.0.1", fe), b"x")
T.check(T.greeting(reply)[0] == "s0", "serves after dropping privileges")
m = syslog.recv(4096).decode()
T.check(" p p/s " in m, "logs to UDP syslog from inside the chroot")
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c.settimeout(T.TIMEOUT)
c.connect(stats_path)
c.sendall(b"show info\n")
T.check(b"Pid: %d" % pid in T.recv_all(c), "stats socket answers")
c.close()

T.compile_cfg(CFG % (jail, logp, stats_path, fe, sp[1]), "privs2.cfg", out=plan)
os.chmod(plan, 0o644)
run.proc.send_signal(signal.SIGHUP)
run.wait_for(r"reloaded plan [0-9a-f]{64} \(generation 2")
reply, _ = T.exchange(("127.0.0.1", fe), b"x")
T.check(T.greeting(reply)[0] == "s1", "reloads inside the chroot, as nobody")
rc, _ = run.stop()
T.check(rc == 0, "exit 0")
for d in (jail,):
    os.rmdir(d)
for f in os.listdir(pubdir):
    os.unlink(os.path.join(pubdir, f))
os.rmdir(pubdir)
for s in servers:
    s.close()
T.done()
