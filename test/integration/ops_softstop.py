#!/usr/bin/python3
"""SIGUSR1 is a soft stop: the listeners close at once (new connections
are refused), a stream that is open keeps working to its end, and cfgrun
exits 0 when the last one ends. With no stream open it exits at once."""
import os
import signal
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

sp = T.free_port()
srv = T.Server("s", ("127.0.0.1", sp))
fe = T.free_port()
plan = T.compile_cfg("""
defaults
    timeout connect 2s
    timeout client 30s
    timeout server 30s
listen soft
    bind 127.0.0.1:%d
    server s 127.0.0.1:%d
""" % (fe, sp), "soft.cfg")

run = T.Cfgrun(plan)
open_stream = T.connect(("127.0.0.1", fe))
T.check(open_stream.recv(100).startswith(b"s mptcp="), "stream established before the soft stop")
run.proc.send_signal(signal.SIGUSR1)
run.wait_for(r"soft stop: listeners closed, waiting for 1 connection")
try:
    T.connect(("127.0.0.1", fe), timeout=1).close()
    T.check(False, "new connections are refused during the soft stop")
except ConnectionRefusedError:
    T.check(True, "new connections are refused during the soft stop")
time.sleep(0.3)
T.check(run.proc.poll() is None, "still running while a stream is open")
open_stream.sendall(b"still here")
got = b""
while len(got) < 10:
    d = open_stream.recv(100)
    if not d:
        break
    got += d
T.check(got == b"still here", "the open stream still carries data (%r)" % got)
open_stream.shutdown(2)
open_stream.close()
try:
    rc = run.proc.wait(timeout=T.TIMEOUT)
except Exception:
    rc = None
T.check(rc == 0, "exits 0 once the last stream ended (got %r)" % rc)
T.check("soft stop: every connection ended" in run.stderr(), "says the drain is over")

# Nothing open: the soft stop ends at once.
run = T.Cfgrun(plan)
t0 = time.monotonic()
rc, took = run.stop(signal.SIGUSR1)
T.check(rc == 0 and took < 1.0, "idle soft stop exits 0 at once (rc %r, %.3fs)" % (rc, took))
srv.close()
T.done()
