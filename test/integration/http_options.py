#!/usr/bin/python3
"""HTTP options that change what is logged or when a server is involved:
option dontlog-normal (only errors logged), option http-ignore-probes (an
empty connection is neither answered nor logged), option
http-buffer-request (the body is awaited, under timeout http-request,
before a server is chosen), option abortonclose (a client gone before the
response started is not served)."""
import os
import socket
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H


def handler(req):
    if req["target"] == "/slow":
        def slow(c):
            time.sleep(1.5)
            try:
                c.sendall(H.ok(b"late"))
            except OSError:
                pass
            return False
        return slow
    return H.ok(b"len=%d" % len(req["body"]))


fe_q, fe_p, fe_b, fe_a, be_p = (T.free_port() for _ in range(5))
dead = T.dead_port()
origin = H.Origin(("127.0.0.1", be_p), handler)
run = T.Cfgrun(T.compile_cfg("""
global
    log stderr format raw local0
defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend quiet
    bind 127.0.0.1:%(fe_q)d
    option dontlog-normal
    use_backend none if { path /fail }
    default_backend app
frontend probes
    bind 127.0.0.1:%(fe_p)d
    option http-ignore-probes
    timeout http-request 300ms
    default_backend app
frontend buffered
    bind 127.0.0.1:%(fe_b)d
    option http-buffer-request
    timeout http-request 500ms
    default_backend app
frontend aborting
    bind 127.0.0.1:%(fe_a)d
    default_backend abort_app
backend app
    server s 127.0.0.1:%(be_p)d
backend abort_app
    option abortonclose
    server s 127.0.0.1:%(be_p)d
backend none
    server dead 127.0.0.1:%(dead)d
""" % locals()))


def req(port, data):
    c = H.connect(port)
    c.sendall(data)
    st, _, body = H.recv_response(c)
    c.close()
    return st, body


# dontlog-normal: the 200 is not logged, the 503 is.
st, _ = req(fe_q, b"GET /ok HTTP/1.1\r\nHost: x\r\n\r\n")
T.check(st == 200, "dontlog-normal: request served")
st, _ = req(fe_q, b"GET /fail HTTP/1.1\r\nHost: x\r\n\r\n")
T.check(st == 503, "dontlog-normal: failing request answered 503")
lines = run.wait_logs(1)
T.check(any('"GET /fail' in l for l in lines), "the error is logged")
T.check(not any('"GET /ok' in l for l in lines), "the normal request is not")

# http-ignore-probes: an empty connection closes silently at the timeout.
c = socket.create_connection(("127.0.0.1", fe_p))
c.settimeout(T.TIMEOUT)
data = c.recv(1000)
T.check(data == b"", "ignore-probes: no 408 for an empty connection (%r)" % data)
c.close()
# A request that started gets its 408 as usual.
c = socket.create_connection(("127.0.0.1", fe_p))
c.settimeout(T.TIMEOUT)
c.sendall(b"GET / HTTP/1.1\r\n")
data = c.recv(1000)
T.check(data.startswith(b"HTTP/1.1 408"), "ignore-probes: a started request still gets 408")
c.close()

# http-buffer-request: a whole body is served; one that never completes is
# a 408 and never reaches a server.
st, body = req(fe_b, b"POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
T.check(st == 200 and body == b"len=5", "buffer-request: body delivered")
before = len(origin.requests)
c = socket.create_connection(("127.0.0.1", fe_b))
c.settimeout(T.TIMEOUT)
c.sendall(b"POST /stuck HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
data = c.recv(1000)
T.check(data.startswith(b"HTTP/1.1 408"), "buffer-request: an incomplete body gets 408 (%r)" % data[:20])
c.close()
T.check(not any(r["target"] == "/stuck" for r in origin.requests[before:]),
        "buffer-request: the incomplete request never reached the server")

# abortonclose: the client leaves while the server works.
c = socket.create_connection(("127.0.0.1", fe_a))
c.sendall(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
T.wait_until(lambda: any(r["target"] == "/slow" for r in origin.requests))
c.shutdown(socket.SHUT_WR)
c.settimeout(T.TIMEOUT)
t0 = time.monotonic()
data = c.recv(1000)
T.check(data == b"" and time.monotonic() - t0 < 1.2,
        "abortonclose: closed at once, no late answer (%r)" % data[:20])
c.close()
T.check(T.wait_until(lambda: any('"GET /slow' in l and " CC-- " in l
                                 for l in run.log_lines())),
        "abortonclose: logged CC:\n" + "\n".join(run.log_lines()[-2:]))
run.stop()
T.done()
