#!/usr/bin/python3
"""Files that are not regular never block cfgc or cfgrun: a FIFO (with no
writer), a directory or a unix socket where a plan is expected is refused
at once by `cfgrun -c`, by `cfgc --dump`, when cfgrun starts and when it
reloads (the running plan keeps serving, a good plan afterwards is
taken); an errorfile that is a FIFO is refused by cfgc; a configuration
given as a FIFO is read as HAProxy reads it, and /dev/zero as a
configuration is refused at a size bound instead of filling memory."""
import os
import signal
import socket
import subprocess
import sys
import threading

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

fifo = T.tmp("plan.fifo")
os.mkfifo(fifo)
dirp = T.tmp("plan.dir")
os.mkdir(dirp)
sockp = T.tmp("plan.sock")
us = socket.socket(socket.AF_UNIX)
us.bind(sockp)

KINDS = ((fifo, "a FIFO"), (dirp, "a directory"), (sockp, "a socket"))


def run(argv):
    """argv's exit status and output; a hang fails the test (bounded)."""
    try:
        r = subprocess.run(argv, capture_output=True, text=True,
                           timeout=T.TIMEOUT)
    except subprocess.TimeoutExpired:
        T.fail("%s blocked on a non-regular file" % " ".join(argv))
    return r.returncode, r.stdout + r.stderr


for path, kind in KINDS:
    rc, out = run([T.CFGRUN, "-c", path])
    T.check(rc != 0 and "not a regular file (%s)" % kind in out,
            "cfgrun -c refuses %s: rc=%d %r" % (kind, rc, out))
    rc, out = run([T.CFGC, "--dump", path])
    T.check(rc == 2 and "not a regular file (%s)" % kind in out,
            "cfgc --dump refuses %s: rc=%d %r" % (kind, rc, out))
    rc, out = run([T.CFGRUN, path])
    T.check(rc != 0 and "not a regular file (%s)" % kind in out,
            "cfgrun refuses to start on %s: rc=%d %r" % (kind, rc, out))

# Reload: the plan path replaced by each kind in turn, then a good plan.
sp = T.free_ports(2)
servers = [T.Server("s%d" % i, ("127.0.0.1", p)) for i, p in enumerate(sp)]
fe = T.free_port()
CFG = """
defaults
    timeout connect 2s
    timeout client 30s
    timeout server 30s
listen b
    bind 127.0.0.1:%d
    server s 127.0.0.1:%d
"""
plan = T.compile_cfg(CFG % (fe, sp[0]), "nonreg.cfg")
good = plan + ".good"
os.rename(plan, good)
os.link(good, plan)
daemon = T.Cfgrun(plan)


def served_by():
    reply, _ = T.exchange(("127.0.0.1", fe), b"x")
    return T.greeting(reply)[0]


T.check(served_by() == "s0", "first plan serves")
for n, (path, kind) in enumerate(KINDS):
    os.unlink(plan)
    os.rename(path, plan)
    daemon.proc.send_signal(signal.SIGHUP)
    # The reload is refused at once; the next one (below) proves thread 0
    # is not stuck in open().
    daemon.wait_for(r"reload refused: .*not a regular file \(%s\).*"
                    r"keeping plan generation 1" % kind)
    T.check(served_by() == "s0", "%s refused at reload, old plan serves"
            % kind)
    os.rename(plan, path)
    os.link(good, plan)
T.compile_cfg(CFG % (fe, sp[1]), "nonreg2.cfg", out=plan)
daemon.proc.send_signal(signal.SIGHUP)
daemon.wait_for(r"reloaded plan [0-9a-f]{64} \(generation 2")
T.check(served_by() == "s1", "a good plan after the refused ones is taken")
rc, _ = daemon.stop()
T.check(rc == 0, "exit 0")

# cfgc: an errorfile that is a FIFO is refused without blocking.
efile = T.tmp("503.fifo")
os.mkfifo(efile)
cfg = T.tmp("errfifo.cfg")
with open(cfg, "w") as f:
    f.write("defaults\n    mode http\n    errorfile 503 %s\n" % efile)
rc, out = run([T.CFGC, "-c", cfg])
T.check(rc == 1 and "errfifo.cfg:3:" in out and "errorfile" in out,
        "cfgc refuses a FIFO errorfile at its line: rc=%d %r" % (rc, out))

# A configuration given as a FIFO is read (HAProxy reads `-f fifo` too).
cfifo = T.tmp("cfg.fifo")
os.mkfifo(cfifo)


def feed():
    with open(cfifo, "w") as f:
        f.write(CFG % (fe, sp[0]))


w = threading.Thread(target=feed, daemon=True)
w.start()
rc, out = run([T.CFGC, "-c", cfifo])
T.check(rc == 0, "a configuration read from a FIFO checks: rc=%d %r"
        % (rc, out))
w.join(T.TIMEOUT)

# /dev/zero as a configuration: refused at the size bound, not read forever.
rc, out = run([T.CFGC, "-c", "/dev/zero"])
T.check(rc == 2 and "larger than 64 MiB" in out,
        "/dev/zero as a configuration is refused: rc=%d %r" % (rc, out))
for s in servers:
    s.close()
us.close()
T.done()
