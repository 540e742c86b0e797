#!/usr/bin/python3
"""SIGTERM and SIGINT stop cfgrun with exit status 0 within a second, even
with connections open (idle and busy); SIGPIPE does not kill it; the
listeners are gone afterwards."""
import os
import signal
import socket
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

sp = T.free_port()
srv = T.Server("s", ("127.0.0.1", sp))

for sig in (signal.SIGTERM, signal.SIGINT):
    name = signal.Signals(sig).name
    fe = T.free_port()
    plan = T.compile_cfg("""
defaults
    timeout connect 2s
    timeout client 30s
    timeout server 30s
listen busy
    bind 127.0.0.1:%d
    server s 127.0.0.1:%d
""" % (fe, sp), name + ".cfg")
    run = T.Cfgrun(plan)
    idle = T.connect(("127.0.0.1", fe))
    T.check(idle.recv(100).startswith(b"s mptcp="), "%s: idle connection established" % name)

    # A client that vanishes without reading: writes to it get EPIPE.
    gone = T.connect(("127.0.0.1", fe))
    gone.sendall(b"x" * 200000)
    gone.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
    gone.close()                                    # RST

    busy = T.connect(("127.0.0.1", fe))
    stop = threading.Event()

    def pump():
        try:
            while not stop.is_set():
                busy.sendall(b"y" * 65536)
                busy.recv(65536)
        except OSError:
            pass

    t = threading.Thread(target=pump, daemon=True)
    t.start()
    time.sleep(0.3)
    T.check(run.proc.poll() is None, "%s: alive after a client reset (SIGPIPE ignored)" % name)
    rc, took = run.stop(sig)
    stop.set()
    T.check(rc == 0, "%s: exit status 0 (got %r)" % (name, rc))
    T.check(took < 1.0, "%s: stopped in %.3fs (< 1s)" % (name, took))
    T.check("stopping on %s" % name in run.stderr(), "%s: says why it stops" % name)
    try:
        T.connect(("127.0.0.1", fe), timeout=1).close()
        T.check(False, "%s: listener closed after exit" % name)
    except OSError:
        T.check(True, "%s: listener closed after exit" % name)
    for s in (idle, busy):
        s.close()
    t.join(5)
srv.close()
T.done()
