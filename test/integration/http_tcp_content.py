#!/usr/bin/python3
"""tcp-request content rules in mode http proxies, on real sockets.

They run on every request head before the http-request rules, as HAProxy
runs them for each request of an HTTP connection: conditions read the
connection (src) and the request (path, hdr); reject closes the
connection without an answer and the server never sees the request;
accept goes on to the http-request rules; a keep-alive connection whose
second request a rule rejects is closed then. A frontend whose address
list leaves the client out refuses every request (the apt-cacher
pattern: accept if white_list, then reject)."""
import os
import socket
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

fe, fe_white, fe_black, app_p = (T.free_port() for _ in range(4))
app = H.Origin(("127.0.0.1", app_p), lambda r: H.ok(b"app"))
plan = T.compile_cfg("""
global
    log stderr format raw local0
defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend web
    bind 127.0.0.1:%(fe)d
    tcp-request content reject if { path_beg /forbidden }
    tcp-request content accept if { src 127.0.0.1 } { hdr(x-ok) yes }
    tcp-request content reject
    http-request deny if { path /deny }
    default_backend app
frontend white
    bind 127.0.0.1:%(fe_white)d
    acl white_list src 10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 127.0.0.1
    tcp-request content accept if white_list
    tcp-request content reject
    default_backend app
frontend black
    bind 127.0.0.1:%(fe_black)d
    acl white_list src 10.0.0.0/8 172.16.0.0/12 192.168.0.0/16
    tcp-request content accept if white_list
    tcp-request content reject
    default_backend app
backend app
    server s1 127.0.0.1:%(app_p)d
""" % locals())
run = T.Cfgrun(plan)


def send(c, path, extra=b""):
    c.sendall(b"GET %s HTTP/1.1\r\nHost: x\r\n%s\r\n" % (path.encode(), extra))
    return H.recv_response(c)


def refused(c):
    """The connection ends without a byte of answer (FIN or reset)."""
    try:
        c.settimeout(T.TIMEOUT)
        return c.recv(100) == b""
    except ConnectionResetError:
        return True


OK = b"X-Ok: yes\r\n"
c = H.connect(fe)
code, h, body = send(c, "/a", OK)
T.check(code == 200 and body == b"app", "accept on src and hdr: served (%s)" % code)
code, h, body = send(c, "/deny", OK)
T.check(code == 403, "the http-request rules run after an accept (%s)" % code)
c.close()

c = H.connect(fe)
code, h, body = send(c, "/b", OK)
T.check(code == 200, "first request of a keep-alive connection served")
c.sendall(b"GET /forbidden/x HTTP/1.1\r\nHost: x\r\nX-Ok: yes\r\n\r\n")
T.check(refused(c), "its second request, on path_beg /forbidden, closes it without an answer")
c.close()

c = H.connect(fe)
c.sendall(b"GET /c HTTP/1.1\r\nHost: x\r\n\r\n")
T.check(refused(c), "no X-Ok header: the final reject closes without an answer")
c.close()
T.check(not any(r["target"] in ("/c",) or r["target"].startswith("/forbidden")
                for r in app.requests),
        "the server never saw a rejected request (%r)" % [r["target"] for r in app.requests])

c = H.connect(fe_white)
code, h, body = send(c, "/w")
T.check(code == 200 and body == b"app", "127.0.0.1 in the white list: served")
c.close()
c = H.connect(fe_black)
c.sendall(b"GET /k HTTP/1.1\r\nHost: x\r\n\r\n")
T.check(refused(c), "a client outside the white list: refused")
c.close()
lines = run.wait_logs(6)
T.check(any(" PR" in l and "black" in l for l in lines) or
        any("black" in l and "PR" in l for l in lines),
        "the refused request is logged with PR (%r)" % [l for l in lines if "black" in l])

run.stop()
T.done()
