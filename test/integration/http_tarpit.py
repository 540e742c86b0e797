#!/usr/bin/python3
"""http-request tarpit on real sockets: the request is held for timeout
tarpit (the frontend's own), or in a backend for its timeout connect when
no timeout tarpit is set, then answered 500 or deny_status; a frontend
without either answers at once (as HAProxy 2.6 does); the held request
never reaches a server. The hold is measured by polling the socket with
select() up to a deadline, never by sleeping."""
import os
import select
import socket
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

fe, fe0, app_p = T.free_port(), T.free_port(), T.free_port()
app = H.Origin(("127.0.0.1", app_p), lambda r: H.ok(b"app"))
plan = T.compile_cfg("""
defaults
    mode http
    timeout client 10s
    timeout server 10s
    timeout connect 900ms
frontend web
    bind 127.0.0.1:%(fe)d
    timeout tarpit 400ms
    http-request tarpit deny_status 403 if { path /fe }
    default_backend app
frontend bare
    bind 127.0.0.1:%(fe0)d
    http-request tarpit
    default_backend app
backend app
    http-request tarpit if { path /be }
    server s1 127.0.0.1:%(app_p)d
""" % locals())
run = T.Cfgrun(plan)


def held(port, path):
    """(seconds until the first byte of the answer, status)."""
    c = H.connect(port)
    t0 = time.monotonic()
    c.sendall(b"GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path.encode())
    deadline = t0 + T.TIMEOUT
    while time.monotonic() < deadline:
        r, _, _ = select.select([c], [], [], 0.01)
        if r:
            break
    dt = time.monotonic() - t0
    st, h, body = H.recv_response(c)
    c.close()
    return dt, st


dt, st = held(fe, "/fe")
T.check(st == 403, "tarpit deny_status 403 answers 403 (%r)" % st)
T.check(0.38 <= dt < 2.0, "held for timeout tarpit 400ms (%.3f s)" % dt)
dt, st = held(fe, "/be")
T.check(st == 500, "a backend's tarpit answers 500 by default (%r)" % st)
T.check(0.87 <= dt < 2.5, "held for the backend's timeout connect 900ms (%.3f s)" % dt)
dt, st = held(fe0, "/x")
T.check(st == 500 and dt < 0.3,
        "a frontend without timeout tarpit: answered at once (%r, %.3f s)" % (st, dt))
dt, st = held(fe, "/ok")
T.check(st == 200 and dt < 0.3, "other requests pass untouched (%r, %.3f s)" % (st, dt))
T.check([r["target"] for r in app.requests] == ["/ok"],
        "tarpitted requests never reach the server (%s)" %
        [r["target"] for r in app.requests])
run.stop()
T.done()
