#!/usr/bin/python3
"""The converters host_only, port_only, sha1, sha2, hex2i and the fetches
date, be_name and acl() on real sockets: an http-request return answers
with them, a backend sets a header its server receives, an http-response
rule of the frontend sees the backend's name, acl(a,b,!c) decides a rule
and gives a value; cfgc refuses a sha2 size and a date unit HAProxy does
not have, an acl() of an unknown ACL and be_name in a frontend's
http-request value (as HAProxy does), with their locations."""
import hashlib
import os
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

fe, p_app = T.free_port(), T.free_port()
o_app = H.Origin(("127.0.0.1", p_app), lambda req: H.ok(b"app"))

plan = T.compile_cfg(r"""
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:%(fe)d
    http-request return status 200 content-type text/plain lf-string "h=%%[req.hdr(host),host_only] p=%%[req.hdr(host),port_only] s1=%%[req.hdr(x),sha1,hex] s2=%%[req.hdr(x),sha2,hex] s5=%%[req.hdr(x),sha2(512),base64] i=%%[req.hdr(y),hex2i]" if { path /echo }
    http-request return status 200 content-type text/plain lf-string "%%[date] %%[date(3600)] %%[date(-2000,ms)] %%[date(0,us)]" if { path /date }
    acl p_acl path_beg /acl
    acl has_x req.hdr(x) -m found
    acl is_json req.hdr(accept) -m sub json
    http-request return status 209 content-type text/plain lf-string "both" if { acl(p_acl,has_x,!is_json) }
    http-request return status 200 content-type text/plain lf-string "v=%%[acl(p_acl,has_x)]" if p_acl
    http-request return status 421 if { req.hdr(host),host_only -m str www.example.com } { req.hdr(host),port_only 8443 }
    http-response set-header X-Backend %%[be_name]
    http-response set-header X-Frontend %%[fe_name]
    default_backend app
backend app
    http-request set-header X-Served-By %%[be_name]
    http-request set-header X-Host-Hash %%[req.hdr(host),host_only,sha2(224),hex]
    server s 127.0.0.1:%(p_app)d
""" % locals())
run = T.Cfgrun(plan)


def get(path, hdrs):
    c = H.connect(fe)
    c.sendall(b"GET " + path + b" HTTP/1.1\r\n" + hdrs + b"\r\n")
    st, head, body = H.recv_response(c)
    c.close()
    return st, head, body


x = b"ab:ca:d%41e"
st, _, body = get(b"/echo", b"Host: WWW.Example.COM:8080\r\nX: " + x +
                  b"\r\nY: 1aF\r\n")
want = ("h=www.example.com p=8080 s1=%s s2=%s s5=%s i=431" % (
    hashlib.sha1(x).hexdigest().upper(), hashlib.sha256(x).hexdigest().upper(),
    __import__("base64").b64encode(hashlib.sha512(x).digest()).decode()))
T.check(st == 200 and body.decode() == want,
        "host_only, port_only, sha1, sha2, hex2i in a return "
        "(%r %r)" % (st, body))
st, _, body = get(b"/echo", b"Host: [2001:DB8::1]\r\nX: a\r\nY: zz\r\n")
T.check(st == 200 and body.decode().startswith("h=[2001:db8::1] p=0 ") and
        body.decode().endswith(" i="), "an IPv6 literal keeps its brackets, no "
        "port is 0, hex2i of no hex gives nothing (%r)" % body)

before = time.time()
st, _, body = get(b"/date", b"Host: a\r\n")
after = time.time()
parts = [int(v) for v in body.split()]
T.check(st == 200 and len(parts) == 4, "date answers four numbers (%r)" % body)
if len(parts) == 4:
    T.check(int(before) <= parts[0] <= int(after) + 1, "date is the epoch "
            "(%r in [%r, %r])" % (parts[0], before, after))
    T.check(parts[1] == parts[0] + 3600 or parts[1] == parts[0] + 3601,
            "date(3600) is an hour later (%r %r)" % (parts[0], parts[1]))
    T.check(int(before * 1000) - 2000 - 5 <= parts[2] <=
            int(after * 1000) - 2000 + 5, "date(-2000,ms) in milliseconds "
            "(%r)" % parts[2])
    T.check(int(before * 1e6) - 5000 <= parts[3] <= int(after * 1e6) + 5000,
            "date(0,us) in microseconds (%r)" % parts[3])

st, _, body = get(b"/acl", b"Host: a\r\nX: 1\r\n")
T.check(st == 209 and body == b"both", "acl(p_acl,has_x,!is_json) holds "
        "(%r %r)" % (st, body))
st, _, body = get(b"/acl", b"Host: a\r\nX: 1\r\nAccept: text/json\r\n")
T.check(st == 200 and body == b"v=1", "a '!' ACL that matches fails acl(); "
        "acl(p_acl,has_x) as a value is 1 (%r %r)" % (st, body))
st, _, body = get(b"/acl", b"Host: a\r\n")
T.check(st == 200 and body == b"v=0", "acl() is 0 when one ACL fails "
        "(%r %r)" % (st, body))

st, _, _ = get(b"/x", b"Host: www.example.com:8443\r\n")
T.check(st == 421, "an ACL on host_only and port_only matched (%r)" % st)

st, head, body = get(b"/app", b"Host: Shop.Example:81\r\n")
T.check(st == 200 and body == b"app", "to the backend (%r %r)" % (st, body))
hdrs = o_app.requests[-1]["headers"] if o_app.requests else {}
T.check(hdrs.get("x-served-by") == ["app"], "be_name in the backend's rule "
        "is the backend (%r)" % hdrs.get("x-served-by"))
T.check(hdrs.get("x-host-hash") == [hashlib.sha224(b"shop.example").hexdigest()
                                    .upper()],
        "host_only then sha2(224) (%r)" % hdrs.get("x-host-hash"))
T.check(head.get("x-frontend") == ["fe"], "fe_name (%r)" % head)
T.check(head.get("x-backend") == ["app"], "be_name in the frontend's "
        "response rule is the backend that served (%r)" % head)
run.stop()

# Sizes and units HAProxy does not have are refused where they are written.
for expr, what in (("req.hdr(x),sha2(100)", "sha2 takes 224, 256, 384 or 512"),
                   ("date(5,h)", "unit of s, ms or us"),
                   ("acl(nope)", "no ACL named 'nope'"),
                   ("acl", "expects ACL names in parentheses"),
                   ("be_name", "needs the backend")):
    cfg = T.tmp("bad.cfg")
    with open(cfg, "w") as f:
        f.write("defaults\n    mode http\nfrontend f\n    bind :%d\n"
                "    http-request set-header X %%[%s]\n" % (fe, expr))
    r = subprocess.run([T.CFGC, cfg, "-o", cfg + ".plan"], capture_output=True,
                       text=True, timeout=T.TIMEOUT)
    out = r.stdout + r.stderr
    T.check(r.returncode != 0 and "bad.cfg:5:" in out and what in out,
            "%s refused with a location (%r)" % (expr, out[:300]))

o_app.close()
T.done()
