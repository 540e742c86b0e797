#!/usr/bin/python3
"""http-request use-service prometheus-exporter on real sockets.

A frontend answers /metrics itself (the rule's condition) and sends every
other path to its server; a listen section with a password-protected
stats page serves /metrics without the password, as HAProxy does (the
rule runs before the stats page). A scrape is Prometheus text: HELP/TYPE
lines, haproxy_process_* and per-proxy samples labelled proxy="NAME",
whose counters follow the traffic sent before; ?scope= keeps one group;
keep-alive goes on after a scrape; HEAD has the head only; the server
never sees the scrapes."""
import base64
import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

fe, app_p, st = (T.free_port() for _ in range(3))
app = H.Origin(("127.0.0.1", app_p), lambda r: H.ok(b"app"))
plan = T.compile_cfg("""
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend web
    bind 127.0.0.1:%(fe)d
    http-request use-service prometheus-exporter if { path /metrics }
    default_backend app
backend app
    server s1 127.0.0.1:%(app_p)d
listen stats
    bind 127.0.0.1:%(st)d
    stats enable
    stats uri /stats
    stats auth admin:pw
    http-request use-service prometheus-exporter if { path /metrics }
""" % locals())
run = T.Cfgrun(plan)


def get(port, path, conn=None, method="GET", extra=b""):
    c = conn or H.connect(port)
    c.sendall(b"%s %s HTTP/1.1\r\nHost: x\r\n%s\r\n" %
              (method.encode(), path.encode(), extra))
    code, h, body = H.recv_response(c, method)
    return c, code, h, body


def sample(text, metric, labels):
    m = re.search(r"^%s\{%s\} (\S+)$" % (re.escape(metric), re.escape(labels)),
                  text, re.M)
    return float(m.group(1)) if m else None


for i in range(3):
    c, code, h, body = get(fe, "/page%d" % i)
    T.check(code == 200 and body == b"app", "request %d reaches the server" % i)
    c.close()

c, code, h, body = get(fe, "/metrics")
text = body.decode()
T.check(code == 200, "/metrics answered 200 (%s)" % code)
T.check(h.get("content-type", [""])[0].startswith("text/plain; version=0.0.4"),
        "Prometheus content type (%s)" % h.get("content-type"))
T.check("# TYPE haproxy_process_current_connections gauge" in text and
        "# HELP haproxy_frontend_sessions_total" in text,
        "HELP and TYPE lines of process and frontend metrics")
n = sample(text, "haproxy_backend_sessions_total", 'proxy="app"')
T.check(n == 3, "backend app counted the 3 requests sent before (%r)" % n)
T.check(sample(text, "haproxy_server_sessions_total", 'proxy="app",server="s1"') == 3,
        "server s1 counted them too")
T.check(sample(text, "haproxy_frontend_current_sessions", 'proxy="web"') is not None,
        "a sample for frontend web")
c, code, h, body = get(fe, "/x", conn=c)
T.check(code == 200 and body == b"app", "keep-alive goes on after a scrape")
c, code, h, body = get(fe, "/metrics?scope=frontend", conn=c)
text = body.decode()
T.check(code == 200 and "haproxy_frontend_" in text and
        "haproxy_backend_" not in text and "haproxy_process_" not in text,
        "?scope=frontend keeps the frontend metrics only")
c, code, h, body = get(fe, "/metrics", conn=c, method="HEAD")
T.check(code == 200 and body == b"" and int(h["content-length"][0]) > 0,
        "HEAD: the head with the length, no body")
c.close()
T.check(not any(r["target"].startswith("/metrics") for r in app.requests),
        "the server never saw a scrape (%r)" %
        [r["target"] for r in app.requests])

c, code, h, body = get(st, "/metrics")
T.check(code == 200 and b"haproxy_process_" in body,
        "the listen section serves /metrics without the stats password")
c.close()
c, code, h, body = get(st, "/stats")
T.check(code == 401, "its stats page still asks for the password (%s)" % code)
c.close()
auth = b"Authorization: Basic " + base64.b64encode(b"admin:pw") + b"\r\n"
c, code, h, body = get(st, "/stats;csv", extra=auth)
T.check(code == 200 and b"# pxname" in body, "and answers with it")
c.close()

run.stop()
T.done()
