#!/usr/bin/python3
"""Connection failures and timeouts close the client and are logged with
HAProxy's termination states: refused connect (SC), connect timeout (sC),
client inactivity (cD), server inactivity (sD)."""
import os
import socket
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T


def silent(c):
    """Accept and never answer; return when the peer goes away."""
    T.recv_all(c)


refused_port = T.free_port()            # nothing listens there
fe_ref, fe_cto, fe_cli, fe_srv = (T.free_port() for _ in range(4))
silent_port = T.free_port()
srv = T.Server("silent", ("127.0.0.1", silent_port), handler=silent)

# A listener whose accept queue is full: the kernel drops further SYNs, so
# a connect to it neither succeeds nor fails until the timeout.
full = socket.socket()
full.bind(("127.0.0.1", 0))
full.listen(0)
full_port = full.getsockname()[1]
fillers = []
for _ in range(2):
    f = socket.socket()
    f.settimeout(0.3)
    try:
        f.connect(("127.0.0.1", full_port))
    except OSError:
        pass
    fillers.append(f)
probe = socket.socket()
probe.settimeout(0.5)
try:
    probe.connect(("127.0.0.1", full_port))
    blackhole = False
except socket.timeout:
    blackhole = True
except OSError:
    blackhole = False
probe.close()

plan = T.compile_cfg("""
defaults
    timeout connect 300ms
    timeout client 10s
    timeout server 10s
listen refused
    bind 127.0.0.1:%(fe_ref)d
    server dead 127.0.0.1:%(refused_port)d
listen connect_timeout
    bind 127.0.0.1:%(fe_cto)d
    server hole 127.0.0.1:%(full_port)d
listen client_timeout
    bind 127.0.0.1:%(fe_cli)d
    timeout client 300ms
    server silent 127.0.0.1:%(silent_port)d
listen server_timeout
    bind 127.0.0.1:%(fe_srv)d
    timeout server 300ms
    server silent 127.0.0.1:%(silent_port)d
""" % locals())
run = T.Cfgrun(plan)


def closed_within(port, payload, lo, hi, label):
    t0 = time.monotonic()
    closed = T.closed_without_data(("127.0.0.1", port), payload, timeout=3)
    took = time.monotonic() - t0
    T.check(closed and lo <= took <= hi,
            "%s: client closed after %.2fs (expected %.1f-%.1fs)" % (label, took, lo, hi))


def logged(frontend, term):
    lines = [l for l in run.wait_logs(0) if " %s " % frontend in l]
    deadline = time.monotonic() + T.TIMEOUT
    while not lines and time.monotonic() < deadline:
        time.sleep(0.02)
        lines = [l for l in run.log_lines() if " %s " % frontend in l]
    T.check(bool(lines) and (" %s " % term) in lines[-1],
            "%s logged with termination state %s: %s" % (frontend, term,
                                                         lines[-1] if lines else "no line"))
    return lines[-1] if lines else ""


closed_within(fe_ref, b"hi", 0, 1.0, "refused server")
line = logged("refused", "SC")
T.check("Connection refused" in line, "the log says why: connection refused")

if blackhole:
    closed_within(fe_cto, b"hi", 0.25, 2.0, "connect timeout 300ms")
    logged("connect_timeout", "sC")
else:
    T.log("note: this host answers connects to a full accept queue; "
          "connect timeout not exercised")

closed_within(fe_cli, b"", 0.25, 2.0, "client timeout 300ms")
logged("client_timeout", "cD")

closed_within(fe_srv, b"request", 0.25, 2.0, "server timeout 300ms")
logged("server_timeout", "sD")

T.check(run.proc.poll() is None, "cfgrun still running after the failures")
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
for f in fillers:
    f.close()
full.close()
T.done()
