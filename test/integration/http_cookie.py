#!/usr/bin/python3
"""Cookie-based persistence (`cookie NAME ...`, `server ... cookie V`) on
real sockets: insert mode sets the answering server's cookie, a request
carrying it sticks to that server against roundrobin (also when the
cookie changes on one keep-alive connection), a cookie naming an unknown
or DOWN server is balanced; indirect keeps the cookie from the server
and sets it only when needed, with its attributes and nocache; postonly;
rewrite and prefix change the server's own Set-Cookie and prefix is
stripped from the request; the httplog line shows the cookie states."""
import os
import re
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

ports = T.free_ports(11)
fe_ins, fe_ind, fe_rw, fe_pfx, fe_post, fe_q, fe_idle, fe_pres, fe_pas, p1, p2 = ports
gate = threading.Event()
p_dead = T.dead_port()


def handler_of(name):
    def handler(req):
        extra = b""
        if req["target"].startswith("/sc"):
            extra = b"Set-Cookie: JSESSIONID=xyz; path=/app\r\n"
        if req["target"] == "/slow":
            gate.wait(T.TIMEOUT)
        if req["target"].startswith("/own"):
            extra = b"Set-Cookie: SRV=theirs; path=/\r\n"
        return H.ok(("%s %s" % (name, req["target"])).encode(), extra)
    return handler


o1 = H.Origin(("127.0.0.1", p1), handler_of("s1"))
o2 = H.Origin(("127.0.0.1", p2), handler_of("s2"))
frontends = "".join(
    "frontend f_%s\n    bind 127.0.0.1:%d\n    default_backend b_%s\n" % (n, p, n)
    for n, p in (("ins", fe_ins), ("ind", fe_ind), ("rw", fe_rw), ("pfx", fe_pfx),
                 ("post", fe_post), ("q", fe_q), ("idle", fe_idle),
                 ("pres", fe_pres), ("pas", fe_pas)))
servers = """    balance roundrobin
    server s1 127.0.0.1:%(p1)d cookie a
    server s2 127.0.0.1:%(p2)d cookie b
""" % locals()
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
%(frontends)sbackend b_q
    cookie SRV insert
    timeout queue 5s
    server s1 127.0.0.1:%(p1)d cookie a maxconn 1
    server s2 127.0.0.1:%(p2)d cookie b maxconn 1
backend b_ins
    cookie SRV insert
%(servers)s    server s3 127.0.0.1:%(p_dead)d cookie c check inter 100 fall 1
backend b_ind
    cookie SRV insert indirect nocache httponly secure domain .example.com domain .example.org attr SameSite=Lax
%(servers)sbackend b_rw
    cookie JSESSIONID rewrite
%(servers)sbackend b_pfx
    cookie JSESSIONID prefix
%(servers)sbackend b_idle
    cookie SRV insert indirect maxidle 30s maxlife 1h
%(servers)sbackend b_pres
    cookie SRV insert preserve
%(servers)sbackend b_pas
    cookie SRV
%(servers)sbackend b_post
    cookie SRV insert postonly
%(servers)s""" % locals())
run = T.Cfgrun(plan)
# b_ins's s3 is dead but UP until its first check: roundrobin would send a
# request there first (then redispatch it), so start once it is DOWN.
run.wait_for(r"Server b_ins/s3 is DOWN")


def get(c, target, cookie=None, method="GET", host_port=None):
    """One request on connection c: (status, headers, body)."""
    extra = b"Cookie: %s\r\n" % cookie.encode() if cookie else b""
    body = b""
    if method == "POST":
        extra += b"Content-Length: 0\r\n"
    c.sendall(b"%s %s HTTP/1.1\r\nHost: x\r\n%s\r\n" %
              (method.encode(), target.encode(), extra))
    return H.recv_response(c, method)


def who(body):
    return body.split(b" ", 1)[0].decode()


def mine(body):
    """The cookie value of the server that answered."""
    return "a" if who(body) == "s1" else "b"


def last_req(origin, target):
    return [r for r in origin.requests if r["target"] == target][-1]


def srv_of(name):
    return o1 if name == "s1" else o2

# ---- insert ---------------------------------------------------------------
c = H.connect(fe_ins)
seen = {}
for i in range(2):
    st, h, body = get(c, "/ins%d" % i)
    s = who(body)
    want = "SRV=%s; path=/" % mine(body)
    T.check(st == 200 and h.get("set-cookie") == [want],
            "insert: Set-Cookie of the server that answered (%s: %r)" % (s, h.get("set-cookie")))
    seen[s] = 1
T.check(len(seen) == 2, "roundrobin without a cookie reaches both servers")

# Sticky: the cookie beats roundrobin, on one connection, also when it
# changes between requests (the kept server connection does not win).
names = []
for i in range(8):
    ck = "a" if i % 4 < 2 else "b"
    st, h, body = get(c, "/stick%d" % i, "x=1; SRV=%s" % ck)
    names.append((ck, who(body), h.get("set-cookie")))
T.check(all((ck == "a") == (s == "s1") and sc is None for ck, s, sc in names),
        "a request carrying the cookie goes to its server, nothing set again: %r" % names)
T.check(last_req(o2, "/stick7")["headers"]["cookie"] == ["x=1; SRV=b"],
        "insert without indirect: the server sees the cookie as sent")
c.close()
many = [who(get(H.connect(fe_ins), "/many%d" % i, "SRV=b")[2]) for i in range(6)]
T.check(many == ["s2"] * 6, "six new connections with SRV=b all reach s2: %r" % many)

# Unknown value: balanced, and the right cookie set.
c = H.connect(fe_ins)
got = set()
for i in range(4):
    st, h, body = get(c, "/unk%d" % i, "SRV=zz")
    got.add(who(body))
    T.check(h.get("set-cookie") == ["SRV=%s; path=/" % mine(body)],
            "unknown cookie: the answering server's cookie is set (%r)" % h.get("set-cookie"))
T.check(got == {"s1", "s2"}, "a cookie naming no server is balanced: %r" % got)

# A DOWN server's cookie: balanced over the servers UP.
run.wait_for(r"Server b_ins/s3 is DOWN")
got = set()
for i in range(4):
    st, h, body = get(c, "/down%d" % i, "SRV=c")
    T.check(st == 200, "cookie of a DOWN server: answered (%s)" % st)
    got.add(who(body))
T.check(got == {"s1", "s2"}, "a cookie naming a DOWN server is balanced: %r" % got)
# The server's own cookie of that name is replaced by ours.
st, h, body = get(c, "/own", None)
T.check(h.get("set-cookie") == ["SRV=%s; path=/" % mine(body)],
        "insert: the server's own SRV cookie is removed (%r)" % h.get("set-cookie"))
c.close()

# ---- insert indirect nocache + attributes ----------------------------------
c = H.connect(fe_ind)
st, h, body = get(c, "/ind0")
T.check(h.get("set-cookie") == ["SRV=%s; path=/; domain=.example.com; domain=.example.org; "
                                "HttpOnly; Secure; SameSite=Lax" % mine(body)],
        "indirect: cookie with its attributes (%r)" % h.get("set-cookie"))
T.check(h.get("cache-control") == ["private"], "nocache: Cache-control: private (%r)" % h.get("cache-control"))
st, h, body = get(c, "/ind1", "x=1; SRV=b; y=2")
T.check(who(body) == "s2" and "set-cookie" not in h and "cache-control" not in h,
        "indirect: a valid cookie sticks and is not set again (%s %r)" % (who(body), h))
T.check(last_req(o2, "/ind1")["headers"].get("cookie") == ["x=1; y=2"],
        "indirect: the cookie is removed from the request (%r)" % last_req(o2, "/ind1")["headers"].get("cookie"))
st, h, body = get(c, "/ind2", "SRV=a")
T.check(who(body) == "s1" and "cookie" not in last_req(o1, "/ind2")["headers"],
        "indirect: a Cookie line holding only ours is removed")
c.close()

# ---- postonly ---------------------------------------------------------------
c = H.connect(fe_post)
st, h, body = get(c, "/p0")
T.check(st == 200 and "set-cookie" not in h, "postonly: no cookie on a GET (%r)" % h.get("set-cookie"))
st, h, body = get(c, "/p1", method="POST")
T.check(h.get("set-cookie") == ["SRV=%s; path=/" % mine(body)],
        "postonly: the cookie on a POST (%r)" % h.get("set-cookie"))
c.close()

# ---- preserve, passive ------------------------------------------------------
c = H.connect(fe_pres)
st, h, body = get(c, "/pr0")
T.check(h.get("set-cookie") == ["SRV=%s; path=/" % mine(body)], "preserve: inserted as usual")
st, h, body = get(c, "/own-pr")
T.check(h.get("set-cookie") == ["SRV=theirs; path=/"],
        "preserve: the server's own cookie goes on and none is added (%r)" % h.get("set-cookie"))
c.close()
c = H.connect(fe_pas)
names = [who(get(c, "/pas%d" % i, "SRV=a")[2]) for i in range(4)]
st, h, body = get(c, "/own-pas")
T.check(names == ["s1"] * 4 and h.get("set-cookie") == ["SRV=theirs; path=/"],
        "passive: the cookie sticks, the server's own goes on (%r %r)" % (names, h.get("set-cookie")))
c.close()

# ---- rewrite ----------------------------------------------------------------
c = H.connect(fe_rw)
st, h, body = get(c, "/sc0")
T.check(h.get("set-cookie") == ["JSESSIONID=%s; path=/app" % mine(body)],
        "rewrite: the server's cookie value becomes its own (%r)" % h.get("set-cookie"))
st, h, body = get(c, "/rw1")
T.check("set-cookie" not in h, "rewrite: nothing added when the server sets nothing")
for i in range(4):
    st, h, body = get(c, "/rw-s%d" % i, "JSESSIONID=b")
    T.check(who(body) == "s2", "rewrite: the cookie sticks to s2 (%s)" % who(body))
T.check(last_req(o2, "/rw-s3")["headers"]["cookie"] == ["JSESSIONID=b"],
        "rewrite: the request's cookie goes on as sent")
c.close()

# ---- prefix -----------------------------------------------------------------
c = H.connect(fe_pfx)
st, h, body = get(c, "/sc1")
T.check(h.get("set-cookie") == ["JSESSIONID=%s~xyz; path=/app" % mine(body)],
        "prefix: the server's value is prefixed (%r)" % h.get("set-cookie"))
for i in range(4):
    st, h, body = get(c, "/px%d" % i, "k=v; JSESSIONID=b~xyz; z=1")
    T.check(who(body) == "s2", "prefix: sticks to s2 (%s)" % who(body))
T.check(last_req(o2, "/px3")["headers"]["cookie"] == ["k=v; JSESSIONID=xyz; z=1"],
        "prefix: the application sees its own value (%r)" % last_req(o2, "/px3")["headers"]["cookie"])
st, h, body = get(c, "/sc2", "JSESSIONID=a~xyz")
T.check(who(body) == "s1" and h.get("set-cookie") == ["JSESSIONID=a~xyz; path=/app"],
        "prefix: the server's new cookie is prefixed again (%r)" % h.get("set-cookie"))
c.close()

# ---- maxconn: a full server's cookie waits in that server's queue -----------
ca, cb = H.connect(fe_q), H.connect(fe_q)
ca.sendall(b"GET /slow HTTP/1.1\r\nHost: x\r\nCookie: SRV=b\r\n\r\n")
T.check(T.wait_until(lambda: any(r["target"] == "/slow" for r in o2.requests)),
        "the slow request reached s2")
cb.sendall(b"GET /q HTTP/1.1\r\nHost: x\r\nCookie: SRV=b\r\n\r\n")
T.check(not T.wait_until(lambda: any(r["target"] == "/q" for r in o1.requests + o2.requests),
                         timeout=0.5),
        "a request for a full server (maxconn 1) waits instead of going elsewhere")
gate.set()
st, h, body = H.recv_response(ca)
T.check(who(body) == "s2", "the slow request answered by s2")
st, h, body = H.recv_response(cb)
T.check(st == 200 and who(body) == "s2", "the queued request then reaches s2 (%s %r)" % (st, body))
ca.close()
cb.close()

# ---- maxidle / maxlife: dates in the inserted value --------------------------
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def enc(t):
    """A date as HAProxy writes it in a cookie: seconds / 4 in 5 base64
    characters, most significant first."""
    v = int(t) >> 2
    return "".join(B64[(v >> (24 - 6 * i)) & 63] for i in range(5))


D5 = "([A-Za-z0-9+/]{5})"      # a date: '+' and '/' are digits too


def dec(d):
    v = 0
    for ch in d:
        v = (v << 6) | B64.index(ch)
    return v << 2


c = H.connect(fe_idle)
now = time.time()
st, h, body = get(c, "/d0")
m = re.match(r"^SRV=([ab])\|" + D5 + r"\|" + D5 + "; path=/$", (h.get("set-cookie") or [""])[0])
T.check(m is not None and m.group(1) == mine(body),
        "maxidle/maxlife: the value carries two dates (%r)" % h.get("set-cookie"))
T.check(m is not None and all(abs(dec(m.group(i)) - now) <= 8 for i in (2, 3)),
        "both dates are now (%r, now %d)" % (m and (dec(m.group(2)), dec(m.group(3))), now))
now = int(time.time())
st, h, body = get(c, "/d1", "SRV=b|%s|%s" % (enc(now + 60), enc(now - 10)))
T.check(who(body) == "s2" and "set-cookie" not in h,
        "a fresh cookie sticks, nothing to refresh (%s %r)" % (who(body), h.get("set-cookie")))
st, h, body = get(c, "/d2", "SRV=b|%s|%s" % (enc(now - 12), enc(now - 100)))
want = r"^SRV=b\|" + D5 + r"\|%s; path=/$" % re.escape(enc(now - 100))
sc = (h.get("set-cookie") or [""])[0]
T.check(who(body) == "s2" and re.match(want, sc) and dec(re.match(want, sc).group(1)) >= now,
        "a cookie seen before: last date refreshed, first date kept (%r)" % sc)
got = set()
for i in range(4):
    st, h, body = get(c, "/d3-%d" % i, "SRV=b|%s|%s" % (enc(now - 100), enc(now - 100)))
    got.add(who(body))
T.check(got == {"s1", "s2"}, "idle longer than maxidle: ignored, balanced (%r)" % got)
st, h, body = get(c, "/d4", "SRV=b|%s|%s" % (enc(now), enc(now - 7300)))
T.check(re.match(r"^SRV=[ab]\|", (h.get("set-cookie") or [""])[0]) is not None,
        "older than maxlife: ignored and a new cookie set (%r)" % h.get("set-cookie"))
st, h, body = get(c, "/d5", "SRV=b|%s" % enc(now + 3 * 86400))
T.check(h.get("set-cookie") is not None, "a last date days ahead: ignored (%r)" % h.get("set-cookie"))
c.close()

# ---- log: the cookie characters of %tsc -------------------------------------
def tsc(target):
    """The termination state logged for the request of target."""
    pat = r' \d+ - - (\S{4}) .*"\w+ %s HTTP/1\.1"' % re.escape(target)
    try:
        return run.wait_for(pat).group(1)
    except RuntimeError:
        return None


for target, want in (("/ins0", "--NI"), ("/stick1", "--VN"), ("/unk0", "--II"),
                     ("/down0", "--DI"), ("/own", "--NI"), ("/ind1", "--VN"),
                     ("/p0", "--NN"), ("/sc0", "--NR"), ("/rw1", "--NN"),
                     ("/rw-s0", "--VN"), ("/px0", "--VN"), ("/d0", "--NI"),
                     ("/d1", "--VN"), ("/d2", "--VU"), ("/d3-0", "--EI"),
                     ("/d4", "--OI"), ("/d5", "--EI"), ("/own-pr", "--NP"),
                     ("/pas0", "----")):
    T.check(tsc(target) == want, "log of %s shows %s (%s)" % (target, want, tsc(target)))
rc, _ = run.stop()
T.check(rc == 0, "cfgrun stops cleanly (%s)" % rc)
T.done()
