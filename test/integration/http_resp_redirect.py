#!/usr/bin/python3
"""http-response redirect on real sockets: a server's 410 becomes a 301
to a location built from the response (a header and %[status]), the
server's body is not forwarded, and other responses pass through
untouched on the same connection."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H


def origin(r):
    if r["target"] == "/old":
        return (b"HTTP/1.1 410 Gone\r\nContent-Length: 9\r\n"
                b"X-Where: /new\r\n\r\nserver's")
    return H.ok(b"fine")


fe, origin_p = T.free_ports(2)
srv = H.Origin(("127.0.0.1", origin_p), origin)
plan = T.compile_cfg("""
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend web
    bind 127.0.0.1:%(fe)d
    default_backend be
backend be
    http-response redirect location %%[res.hdr(x-where)]?was=%%[status] code 301 if { status 410 }
    server s 127.0.0.1:%(origin_p)d
""" % locals())
run = T.Cfgrun(plan)
c = H.connect(fe)
c.sendall(b"GET /ok HTTP/1.1\r\nHost: x\r\n\r\n")
st, h, body = H.recv_response(c)
T.check(st == 200 and body == b"fine", "a 200 passes (got %s %r)" % (st, body))
c.sendall(b"GET /old HTTP/1.1\r\nHost: x\r\n\r\n")
st, h, body = H.recv_response(c)
T.check(st == 301 and h.get("location") == ["/new?was=410"] and
        b"server's" not in body,
        "the 410 became a 301 to /new?was=410 (got %s %r %r)" % (st, h, body))
c.close()
run.stop()
srv.close()
T.done()
