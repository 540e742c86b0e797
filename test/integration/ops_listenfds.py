#!/usr/bin/python3
"""systemd's socket activation variables (LISTEN_PID, LISTEN_FDS,
LISTEN_FDNAMES), this test standing in for systemd: two sockets passed
as descriptors 3 and 4 serve as `bind fd@3` and `stats socket fd@4`, the
start says how many came, and the variables are gone from cfgrun's
environment (show env); an `fd@5` beyond what LISTEN_FDS says is refused
at start with a message naming the range; a passed socket nothing uses is
reported; variables meant for another process (LISTEN_PID) are left
alone."""
import os
import socket
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

# Keep descriptors 3 to 5 taken by /dev/null so that no socket of ours
# lands there by chance; start() puts the passed sockets there.
NULLFD = os.open(os.devnull, os.O_RDONLY)
for fd in (3, 4, 5):
    os.dup2(NULLFD, fd)

sp = T.free_port()
srv = T.Server("s", ("127.0.0.1", sp))


def plan_for(fe_fd, stats_fd, name):
    return T.compile_cfg("""
global
    stats socket fd@%d level admin
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
listen web
    bind fd@%d
    server s 127.0.0.1:%d
""" % (stats_fd, fe_fd, sp), name)


def systemd_sockets(n, tag):
    """n listening sockets as systemd opens them: TCP for the frontend,
    then unix ones (the stats socket). Returns [(socket, address)]."""
    out = []
    web = socket.socket()
    web.bind(("127.0.0.1", 0))
    web.listen(16)
    out.append((web, ("127.0.0.1", web.getsockname()[1])))
    for i in range(1, n):
        u = socket.socket(socket.AF_UNIX)
        path = T.tmp("%s%d.sock" % (tag, i))
        u.bind(path)
        u.listen(16)
        out.append((u, path))
    return out


def start(plan, socks, pid_self=True, ready=True):
    """cfgrun as systemd starts it: socks at descriptors 3, 4, ... and the
    variables set (LISTEN_PID the child's own pid, or another one's)."""
    for i, (s, _) in enumerate(socks):
        os.dup2(s.fileno(), 3 + i)

    def pre():
        os.environ["LISTEN_PID"] = str(os.getpid() if pid_self else 1)
        os.environ["LISTEN_FDS"] = str(len(socks))
        os.environ["LISTEN_FDNAMES"] = ":".join("s%d" % i for i in range(len(socks)))
    try:
        return T.Cfgrun(plan, pass_fds=tuple(range(3, 3 + len(socks))),
                        preexec=pre, wait_ready=ready)
    finally:
        for fd in (3, 4, 5):
            os.dup2(NULLFD, fd)


socks = systemd_sockets(2, "two")
run = start(plan_for(3, 4, "two.cfg"), socks)
stats = socks[1][1]
T.check("socket activation: systemd passed 2 sockets, fd@3 to fd@4" in run.stderr(),
        "the start says what systemd passed (%r)" % run.stderr()[:400])
reply, _ = T.exchange(socks[0][1], b"hi\n")
T.check(T.greeting(reply)[0] == "s", "fd@3 serves the frontend")
T.check(T.stats_cmd(stats, "show env LISTEN_FDS") == "Variable not found\n\n" and
        T.stats_cmd(stats, "show env LISTEN_PID") == "Variable not found\n\n" and
        T.stats_cmd(stats, "show env LISTEN_FDNAMES") == "Variable not found\n\n",
        "fd@4 serves the stats, and the variables are gone from the environment")
T.check("warning" not in run.stderr(), "no warning: every passed socket is used")
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")

# an fd@ beyond the sockets passed: refused at start, the range named
run = start(plan_for(5, 4, "five.cfg"), socks, ready=False)
T.check(T.wait_until(lambda: run.proc.poll() is not None), "fd@5 with LISTEN_FDS=2: cfgrun exits")
T.check(run.proc.returncode == 1, "with status 1 (%r)" % run.proc.returncode)
T.check("cannot use fd@5: systemd passed fd@3 to fd@4 (LISTEN_FDS=2" in run.stderr(),
        "the message names fd@5 and the range passed (%r)" % run.stderr()[-300:])

# three passed, two used: the third is reported
socks3 = systemd_sockets(3, "three")
run = start(plan_for(3, 4, "unused.cfg"), socks3)
T.check("warning: systemd passed a socket as fd@5, which no bind and no stats "
        "socket uses" in run.stderr(), "an unused passed socket is reported (%r)"
        % run.stderr()[:500])
rc, _ = run.stop()
T.check(rc == 0, "exit 0")

# LISTEN_PID of another process: the variables are not for cfgrun, left
# in the environment; fd@N works as any inherited descriptor
run = start(plan_for(3, 4, "other.cfg"), socks, pid_self=False)
T.check("socket activation" not in run.stderr(), "nothing said about systemd")
T.check(T.stats_cmd(stats, "show env LISTEN_FDS") == "LISTEN_FDS=2\n\n",
        "the variables stay in the environment")
reply, _ = T.exchange(socks[0][1], b"hi\n")
T.check(T.greeting(reply)[0] == "s", "fd@3 still serves")
rc, _ = run.stop()
T.check(rc == 0, "exit 0")
for s, _ in socks + socks3:
    s.close()
T.done()
