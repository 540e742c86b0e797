#!/usr/bin/python3
"""HTTP/1.1 mode on real sockets: requests reach the server as a proxy
sends them (hop-by-hop headers out), keep-alive and pipelining on the
client side, Content-Length and chunked bodies both ways, responses
without a body (HEAD, 204, 304), 100-continue, an Upgrade switching to
a tunnel, and one httplog line per request in HAProxy's format."""
import os
import re
import socket
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

fe, be_p = T.free_port(), T.free_port()


def handler(req):
    t = req["target"]
    if t == "/head":
        return b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
    if t == "/204":
        return b"HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n"
    if t == "/304":
        return b"HTTP/1.1 304 Not Modified\r\nContent-Length: 55\r\n\r\n"
    if t == "/chunked":
        return H.chunked([b"abc", b"defgh", b"x" * 3000], b"X-Trailer: t\r\n")
    if t == "/echo":
        return H.ok(req["body"])
    if t == "/continue":
        return b"HTTP/1.1 100 Continue\r\n\r\n" + H.ok(b"after-100")
    if t == "/eof":
        def send_until_close(c):
            c.sendall(b"HTTP/1.1 200 OK\r\n\r\nuntil-close")
            return False
        return send_until_close
    if t == "/ws":
        def upgrade(c):
            c.sendall(b"HTTP/1.1 101 Switching Protocols\r\n"
                      b"Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
            while True:
                d = c.recv(65536)
                if not d:
                    return False
                c.sendall(b"echo:" + d)
        return upgrade
    if t == "/race2":
        # A server closing a kept connection just as a request comes:
        # only a request that arrives on a fresh connection is answered.
        if sum(r["conn"] == req["conn"] for r in origin.requests) > 1:
            return None
    return H.ok(("you asked " + t).encode())


origin = H.Origin(("127.0.0.1", be_p), handler)
plan = T.compile_cfg("""
global
    log stderr format raw local0
defaults
    mode http
    log global
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend web
    bind 127.0.0.1:%(fe)d
    default_backend app
backend app
    server s1 127.0.0.1:%(be_p)d
""" % locals())
run = T.Cfgrun(plan)

# One connection, two requests, then a pipelined pair.
c = H.connect(fe)
c.sendall(b"GET /one HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n"
          b"Keep-Alive: timeout=5\r\nX-Mine: 1\r\n\r\n")
st, h, body = H.recv_response(c)
T.check(st == 200 and body == b"you asked /one", "first request answered (%s %r)" % (st, body))
T.check("connection" not in h or h["connection"] != ["close"],
        "keep-alive kept for an HTTP/1.1 client")
c.sendall(b"GET /two HTTP/1.1\r\nHost: x\r\n\r\n")
st, h, body = H.recv_response(c)
T.check(st == 200 and body == b"you asked /two", "second request on the same connection")
c.sendall(b"GET /p1 HTTP/1.1\r\nHost: x\r\n\r\nGET /p2 HTTP/1.1\r\nHost: x\r\n\r\n")
st1, _, b1 = H.recv_response(c)
st2, _, b2 = H.recv_response(c)
T.check((b1, b2) == (b"you asked /p1", b"you asked /p2"),
        "pipelined requests answered in order (%r %r)" % (b1, b2))
r1 = [r for r in origin.requests if r["target"] == "/one"][0]
T.check("keep-alive" not in r1["headers"] and r1["headers"].get("x-mine") == ["1"],
        "hop-by-hop headers removed, others kept")
r2 = [r for r in origin.requests if r["target"] == "/two"][0]
T.check("connection" not in r1["headers"],
        "HTTP/1.1 to the server: its connection is kept (no connection: close)")
T.check(r2["conn"] == r1["conn"],
        "the next request reuses the idle server connection (http-reuse safe)")

# Bodies: Content-Length and chunked requests; chunked response.
c.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world")
st, _, body = H.recv_response(c)
T.check(body == b"hello world", "Content-Length request body forwarded")
c.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
          b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n")
st, _, body = H.recv_response(c)
T.check(body == b"hello world", "chunked request body forwarded (%r)" % body)
c.sendall(b"GET /chunked HTTP/1.1\r\nHost: x\r\n\r\n")
st, h, body = H.recv_response(c)
T.check(body == b"abcdefgh" + b"x" * 3000 and h.get("transfer-encoding") == ["chunked"],
        "chunked response forwarded with its framing")

# Responses without a body.
c.sendall(b"HEAD /head HTTP/1.1\r\nHost: x\r\n\r\n")
st, h, _ = H.recv_response(c, "HEAD")
T.check(st == 200 and h.get("content-length") == ["1000"], "HEAD response: no body expected")
for path, code in (("/204", 204), ("/304", 304)):
    c.sendall(b"GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path.encode())
    st, _, _ = H.recv_response(c)
    T.check(st == code, "%d has no body" % code)
c.sendall(b"GET /after HTTP/1.1\r\nHost: x\r\n\r\n")
st, _, body = H.recv_response(c)
T.check(body == b"you asked /after", "the connection is still in step after them")

# 100-continue: the interim response goes through, then the final one.
c.sendall(b"POST /continue HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
          b"Content-Length: 3\r\n\r\nabc")
st, _, _ = H.recv_response(c)
T.check(st == 100, "100 Continue passed on")
st, _, body = H.recv_response(c)
T.check(st == 200 and body == b"after-100", "then the final response")
c.close()

# The kept server connection closed under a request: sent again once on a
# new connection (a request without a body), the client sees no error.
c = H.connect(fe)
c.sendall(b"GET /race1 HTTP/1.1\r\nHost: x\r\n\r\n")
st, _, body = H.recv_response(c)
c.sendall(b"GET /race2 HTTP/1.1\r\nHost: x\r\n\r\n")
st, _, body = H.recv_response(c)
T.check(st == 200 and body == b"you asked /race2",
        "a request whose kept server connection closed is sent again (%s %r)" % (st, body))
r2 = [r for r in origin.requests if r["target"] == "/race2"]
T.check(len(r2) == 2 and r2[0]["conn"] != r2[1]["conn"],
        "... on a new server connection")
c.close()

# HTTP/1.0 without keep-alive: closed after the response.
c = H.connect(fe)
c.sendall(b"GET /old HTTP/1.0\r\n\r\n")
st, h, body = H.recv_response(c)
T.check(st == 200 and H.closed(c), "HTTP/1.0 request: answered then closed")
c.close()

# A response delimited by the server's close.
c = H.connect(fe)
c.sendall(b"GET /eof HTTP/1.1\r\nHost: x\r\n\r\n")
st, h, body = H.recv_response(c)
T.check(st == 200 and body == b"until-close", "body until close forwarded, then closed")
c.close()

# Upgrade: a tunnel both ways after 101.
c = H.connect(fe)
c.sendall(b"GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
st, h, _ = H.recv_response(c)
T.check(st == 101, "101 Switching Protocols passed on")
c.sendall(b"ping")
got = c._rest
while len(got) < len(b"echo:ping"):
    got += c.recv(100)
T.check(got == b"echo:ping", "bytes flow both ways after the upgrade (%r)" % got)
c.close()

# One httplog line per request.
lines = run.wait_logs(15)
pat = re.compile(r'^127\.0\.0\.1:\d+ \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d\.\d{3}\] web app/s1 '
                 r'\d+/\d+/\d+/\d+/\d+ 200 \d+ - - ---- \d+/\d+/\d+/\d+/0 0/0 "GET /one HTTP/1\.1"$')
T.check(any(pat.match(l) for l in lines), "httplog line of /one:\n" + "\n".join(lines[:3]))
T.check(sum('"GET /p' in l for l in lines) == 2, "each pipelined request logged")
rc, _ = run.stop()
T.check(rc == 0, "cfgrun exits 0 on SIGTERM")
T.done()
