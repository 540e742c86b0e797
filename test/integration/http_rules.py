#!/usr/bin/python3
"""HTTP rules and settings on real sockets: http-request deny, return,
redirect and set-header; http-response set-header; use_backend on a
header; option forwardfor; option httpclose and http-server-close; the
stats page (Basic auth, HTML, ;csv) on a listen section; timeout
http-keep-alive closing an idle client."""
import base64
import os
import socket
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

fe, app_p, api_p, st, fe_close, fe_sc = (T.free_port() for _ in range(6))
fe_err, dead = T.free_port(), T.dead_port()
page = T.tmp("503.http")
with open(page, "wb") as f:
    f.write(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
            b"Content-Length: 9\r\nConnection: close\r\n\r\nour page\n")
app = H.Origin(("127.0.0.1", app_p), lambda r: H.ok(b"app"))
api = H.Origin(("127.0.0.1", api_p), lambda r: H.ok(b"api"))
plan = T.compile_cfg("""
global
    log stderr format raw local0
defaults
    mode http
    log global
    option httplog
    option forwardfor
    timeout connect 2s
    timeout client 10s
    timeout server 10s
    timeout http-keep-alive 300ms
frontend web
    bind 127.0.0.1:%(fe)d
    http-request deny if { path_beg /admin }
    http-request return status 200 content-type text/plain string "pong" if { path /ping }
    http-request redirect location /new code 301 if { path /old }
    http-request set-header X-Via hapc
    http-response set-header X-Frontend %%ft
    use_backend api if { hdr(host) -i api.example }
    default_backend app
frontend closing
    bind 127.0.0.1:%(fe_close)d
    option httpclose
    default_backend app
frontend serverclose
    bind 127.0.0.1:%(fe_sc)d
    option http-server-close
    default_backend app
frontend errors
    bind 127.0.0.1:%(fe_err)d
    monitor-uri /health
    errorfile 503 %(page)s
    default_backend nowhere
backend nowhere
    server dead 127.0.0.1:%(dead)d
backend app
    server s1 127.0.0.1:%(app_p)d
backend api
    http-request set-header X-Backend api
    server s2 127.0.0.1:%(api_p)d
listen stats
    bind 127.0.0.1:%(st)d
    stats enable
    stats uri /stats
    stats auth admin:pw
    stats refresh 5s
""" % locals())
run = T.Cfgrun(plan)


def get(port, path, host="x", extra=b"", conn=None, method="GET"):
    c = conn or H.connect(port)
    c.sendall(b"%s %s HTTP/1.1\r\nHost: %s\r\n%s\r\n" %
              (method.encode(), path.encode(), host.encode(), extra))
    st_, h, body = H.recv_response(c, method)
    return c, st_, h, body


c, code, h, body = get(fe, "/admin/x")
T.check(code == 403 and b"403 Forbidden" in body, "http-request deny: 403 page")
T.check(H.closed(c), "a denied request closes the connection")
c.close()
T.check(not any(r["target"].startswith("/admin") for r in app.requests),
        "the denied request never reached a server")

c, code, h, body = get(fe, "/ping")
T.check(code == 200 and body == b"pong" and h.get("content-type") == ["text/plain"],
        "http-request return: our own 200 with its body (%r %r)" % (code, body))
c, code, h, body = get(fe, "/x", conn=c)
T.check(code == 200 and body == b"app", "keep-alive goes on after a return")
c.close()

c, code, h, body = get(fe, "/old")
T.check(code == 301 and h.get("location") == ["/new"],
        "http-request redirect: 301 to /new (%s %s)" % (code, h.get("location")))
c.close()

c, code, h, body = get(fe, "/hello")
r = [x for x in app.requests if x["target"] == "/hello"][0]
T.check(r["headers"].get("x-via") == ["hapc"], "http-request set-header reaches the server")
T.check(r["headers"].get("x-forwarded-for") == ["127.0.0.1"],
        "option forwardfor: X-Forwarded-For carries the client's address")
T.check(h.get("x-frontend") == ["web"], "http-response set-header with %%ft (%s)" % h.get("x-frontend"))
c.close()

c, code, h, body = get(fe, "/v1", host="API.example")
T.check(body == b"api", "use_backend on hdr(host) -i")
r = [x for x in api.requests if x["target"] == "/v1"][0]
T.check(r["headers"].get("x-backend") == ["api"] and r["headers"].get("x-via") == ["hapc"],
        "frontend then backend http-request rules both apply")
c.close()

# Connection modes.
c, code, h, body = get(fe_close, "/c1")
T.check(code == 200 and h.get("connection") == ["close"] and H.closed(c),
        "option httpclose: connection: close, then closed")
c.close()
r = [x for x in app.requests if x["target"] == "/c1"][0]
T.check(r["headers"].get("connection") == ["close"], "option httpclose: the server is told too")
c, code, h, body = get(fe_sc, "/s1")
c, code2, h, body = get(fe_sc, "/s2", conn=c)
T.check(code == code2 == 200, "option http-server-close: the client stays")
r1 = [x for x in app.requests if x["target"] == "/s1"][0]
r2 = [x for x in app.requests if x["target"] == "/s2"][0]
T.check(r1["headers"].get("connection") == ["close"] and r1["conn"] != r2["conn"],
        "option http-server-close: a new server connection per request")
# timeout http-keep-alive 300ms: the idle client is closed.
t0 = time.monotonic()
T.check(H.closed(c, timeout=3), "timeout http-keep-alive closes an idle client")
T.check(time.monotonic() - t0 < 2.5, "... after about 300 ms")
c.close()

# errorfile and monitor-uri.
c, code, h, body = get(fe_err, "/x")
T.check(code == 503 and body == b"our page\n", "errorfile 503: the file's response is sent (%r)" % body)
c.close()
c, code, h, body = get(fe_err, "/health")
T.check(code == 200 and b"Service ready" in body, "monitor-uri: 200 from cfgrun itself")
c, code, h, body = get(fe_err, "/health", conn=c)
T.check(code == 200, "monitor-uri keeps the connection")
c.close()

# The stats page.
c, code, h, body = get(st, "/stats")
T.check(code == 401 and "www-authenticate" in h, "stats auth: 401 without credentials")
c.close()
auth = b"Authorization: Basic " + base64.b64encode(b"admin:pw") + b"\r\n"
c, code, h, body = get(st, "/stats", extra=auth)
T.check(code == 200 and b"<table" in body and b">app<" in body.replace(b"</a>", b"<") or b"app" in body,
        "stats page: HTML with the proxies (%d bytes)" % len(body))
T.check(h.get("refresh") == ["5"], "stats refresh: Refresh header (%s)" % h.get("refresh"))
c, code, h, body = get(st, "/stats;csv", extra=auth, conn=c)
T.check(code == 200 and body.startswith(b"# pxname,svname,") and b"\napp,s1," in body,
        "stats page ;csv: show stat rows")
c.close()

lines = run.wait_logs(10)
T.check(any('"GET /hello HTTP/1.1"' in l and " 200 " in l for l in lines),
        "httplog lines written")
T.check(any('"GET /admin/x HTTP/1.1"' in l and " 403 " in l for l in lines),
        "the denied request is logged with 403")
run.stop()
T.done()
