#!/usr/bin/python3
"""Stream timeouts beyond client/server, as HAProxy in TCP mode: `timeout
tunnel` replaces both once the server is connected; `timeout client-fin`
and `timeout server-fin` apply to a side once it is half-closed."""
import os
import socket
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T


def read_then_hold(c):
    """Read to the client's FIN, then stay silent with our side open."""
    T.recv_all(c)
    time.sleep(6)


def fin_then_hold(c):
    """Say hello, send FIN at once, then keep reading silently."""
    c.sendall(b"hello\n")
    c.shutdown(socket.SHUT_WR)
    T.recv_all(c)


def eof_time(s, limit=8):
    """Seconds until s reads EOF (or a reset), None past limit."""
    t0 = time.monotonic()
    s.settimeout(limit)
    try:
        while s.recv(4096):
            pass
    except ConnectionResetError:
        pass
    except socket.timeout:
        return None
    return time.monotonic() - t0


fe_t, fe_cf, fe_sf, st, scf, ssf = (T.free_port() for _ in range(6))
T.Server("t", ("127.0.0.1", st))
T.Server("cf", ("127.0.0.1", scf), handler=read_then_hold)
T.Server("sf", ("127.0.0.1", ssf), handler=fin_then_hold)
plan = T.compile_cfg("""
defaults
    timeout connect 2s
    timeout client 5s
    timeout server 5s
listen tunnel
    bind 127.0.0.1:%(fe_t)d
    timeout client 300ms
    timeout server 300ms
    timeout tunnel 1500ms
    server t 127.0.0.1:%(st)d
listen client_fin
    bind 127.0.0.1:%(fe_cf)d
    timeout client-fin 400ms
    server cf 127.0.0.1:%(scf)d
listen server_fin
    bind 127.0.0.1:%(fe_sf)d
    timeout server-fin 400ms
    server sf 127.0.0.1:%(ssf)d
""" % dict(fe_t=fe_t, fe_cf=fe_cf, fe_sf=fe_sf, st=st, scf=scf, ssf=ssf))
run = T.Cfgrun(plan)

# 1. tunnel: idle longer than client/server timeouts but within the tunnel
#    timeout, the connection lives; then it dies at the tunnel timeout.
s = T.connect(("127.0.0.1", fe_t))
s.recv(100)                      # greeting
time.sleep(0.8)
s.sendall(b"still here")
T.check(s.recv(100) == b"still here", "alive after 0.8 s idle (tunnel 1.5 s)")
took = eof_time(s)
s.close()
T.check(took is not None and 1.3 <= took < 3.0,
        "closed at the tunnel timeout (%s s)" % took)
lines = run.wait_logs(1)
T.check(len(lines) == 1 and (" cD " in lines[0] or " sD " in lines[0]),
        "tunnel timeout logged as an inactivity timeout: %s" % lines)

# 2. client-fin: after the client's FIN, 400 ms of silence ends it, not 5 s.
s = T.connect(("127.0.0.1", fe_cf))
s.sendall(b"bye")
s.shutdown(socket.SHUT_WR)
took = eof_time(s)
s.close()
T.check(took is not None and 0.3 <= took < 2.0,
        "half-closed client released at timeout client-fin (%s s)" % took)
lines = run.wait_logs(2)
T.check(len(lines) == 2 and " cD " in lines[1], "logged cD: %s" % lines[1:])

# 3. server-fin: after the server's FIN, 400 ms of silence ends it.
s = T.connect(("127.0.0.1", fe_sf))
took = eof_time(s)
T.check(took is not None and took < 2.0,
        "server FIN passed on to the client (%s s)" % took)
t0 = time.monotonic()
lines = run.wait_logs(3)
waited = time.monotonic() - t0
s.close()
T.check(len(lines) == 3 and " sD " in lines[2] and waited < 2.0,
        "half-closed server released at timeout server-fin: %s" % lines[2:])

rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
