#!/usr/bin/python3
"""Socket activation: `bind fd@3` uses the descriptor cfgrun inherits,
already bound and listening (or bound only: cfgrun listens); a descriptor
that is not open or not a socket is refused with exit 1."""
import os
import socket
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

# Keep descriptor 3 taken by /dev/null so no socket of ours lands there
# by chance; as_fd3() puts a copy of the descriptor under test there.
NULLFD = os.open(os.devnull, os.O_RDONLY)
os.dup2(NULLFD, 3)

sp = T.free_port()
srv = T.Server("s", ("127.0.0.1", sp))
plan = T.compile_cfg("""
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
listen activated
    bind fd@3
    server s 127.0.0.1:%d
""" % sp)




def as_fd3(fd):
    """Put a copy of `fd` at descriptor 3 of this process (for pass_fds)."""
    os.dup2(fd, 3)
    os.set_inheritable(3, True)


def release_fd3():
    os.dup2(NULLFD, 3)


for listening in (True, False):
    label = "listening socket" if listening else "bound, not listening"
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    port = ls.getsockname()[1]
    if listening:
        ls.listen(16)
    as_fd3(ls.fileno())
    run = T.Cfgrun(plan, pass_fds=(3,))
    release_fd3()
    ls.close()                     # only cfgrun holds the socket now
    reply, _ = T.exchange(("127.0.0.1", port), b"activated\n")
    name, _, echo = T.greeting(reply)
    T.check(name == "s" and echo == b"activated\n",
            "fd@3 (%s) on port %d proxies both ways" % (label, port))
    T.check("listening on fd@3" in run.stderr(), "fd@3 announced")
    rc, _ = run.stop()
    T.check(rc == 0, "exit 0 on SIGTERM")

# fd 3 not open at all (pass_fds=() closes it in the child).
rc, out = T.run_cfgrun(plan)
T.check(rc == 1 and "fd@3" in out and "not open" in out,
        "fd@3 not open: exit 1, " + out.strip().splitlines()[-1])

# fd 3 is a file, not a socket.
f = open(T.tmp("notasocket"), "w")
as_fd3(f.fileno())
rc, out = T.run_cfgrun(plan, pass_fds=(3,))
release_fd3()
f.close()
T.check(rc == 1 and "not a socket" in out,
        "fd@3 a file: exit 1, " + out.strip().splitlines()[-1])

# fd 3 is a datagram socket.
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
as_fd3(u.fileno())
rc, out = T.run_cfgrun(plan, pass_fds=(3,))
release_fd3()
u.close()
T.check(rc == 1 and "not a stream socket" in out,
        "fd@3 a UDP socket: exit 1, " + out.strip().splitlines()[-1])
srv.close()
T.done()
