#!/usr/bin/python3
"""userlist sections, http_auth / http_auth_group ACLs and http-request
auth on real sockets: 401 with WWW-Authenticate Basic (the realm given,
else the proxy's name) without credentials or with a wrong password, the
server reached with good ones (insecure-password, SHA-512, yescrypt and
MD5 crypt(3) hashes), a group check, the connection kept after a 401;
stats http-request deny / auth on a stats page (realm "HAProxy
Statistics" by default), run only for the page's requests."""
import base64
import ctypes
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

lc = ctypes.CDLL("libcrypt.so.1")
lc.crypt.restype = ctypes.c_char_p
lc.crypt_gensalt.restype = ctypes.c_char_p


def crypt(pw, setting):
    return lc.crypt(pw.encode(), setting.encode()).decode()


sha512 = crypt("s3cret", "$6$saltsalt$")
yes = crypt("yes-pw", lc.crypt_gensalt(b"$y$", 0, None, 0).decode())
md5 = crypt("md5-pw", "$1$abcdefgh$")
fe, fe2, app_p, stp = T.free_port(), T.free_port(), T.free_port(), T.free_port()
app = H.Origin(("127.0.0.1", app_p), lambda r: H.ok(b"app"))
plan = T.compile_cfg("""
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
userlist people
    group admins users alice
    group staff
    user alice insecure-password 'wonder land'
    user bob password '%(sha512)s' groups staff
    user carol password '%(yes)s'
    user dave password '%(md5)s' groups staff
frontend web
    bind 127.0.0.1:%(fe)d
    acl authed http_auth(people)
    acl admin http_auth_group(people) admins
    http-request auth realm "Private area" if !authed
    http-request deny if { path_beg /admin } !admin
    default_backend app
frontend plain
    bind 127.0.0.1:%(fe2)d
    http-request auth unless { http_auth_group(people) staff admins }
    default_backend app
backend app
    server s1 127.0.0.1:%(app_p)d
listen stats
    bind 127.0.0.1:%(stp)d
    stats enable
    stats uri /st
    stats http-request deny if { path_beg /st/no }
    stats http-request auth unless { http_auth(people) }
    stats admin if { http_auth_group(people) admins }
    server s2 127.0.0.1:%(app_p)d
""" % locals())
run = T.Cfgrun(plan)


def get(port, path, user=None, pw=None, conn=None):
    c = conn or H.connect(port)
    extra = b""
    if user is not None:
        extra = b"Authorization: Basic %s\r\n" % base64.b64encode(
            ("%s:%s" % (user, pw)).encode())
    c.sendall(b"GET %s HTTP/1.1\r\nHost: x\r\n%s\r\n" % (path.encode(), extra))
    st, h, body = H.recv_response(c)
    return c, st, h, body


c, st, h, body = get(fe, "/a")
T.check(st == 401 and h.get("www-authenticate") == ['Basic realm="Private area"'],
        "no credentials: 401 asking for Basic, realm as given (%r %r)" %
        (st, h.get("www-authenticate")))
T.check(b"401 Unauthorized" in body and h.get("content-length") == ["112"] and
        h.get("cache-control") == ["no-cache"],
        "the 401 page HAProxy sends (112 bytes, no-cache)")
c, st, h, body = get(fe, "/a", "alice", "wonder land", conn=c)
T.check(st == 200 and body == b"app",
        "the connection stays after a 401; good insecure password: 200 (%r)" % st)
c.close()
for user, pw, what in (("bob", "s3cret", "SHA-512"), ("carol", "yes-pw", "yescrypt"),
                       ("dave", "md5-pw", "MD5")):
    c, st, h, body = get(fe, "/b", user, pw)
    T.check(st == 200 and body == b"app", "%s hash, right password: 200 (%r)" % (what, st))
    c.close()
    c, st, h, body = get(fe, "/b", user, pw + "x")
    T.check(st == 401, "%s hash, wrong password: 401 (%r)" % (what, st))
    c.close()
for user, pw in (("alice", "wonder"), ("nobody", "x"), ("alice", "")):
    c, st, h, body = get(fe, "/c", user, pw)
    T.check(st == 401, "user %r password %r: 401 (%r)" % (user, pw, st))
    c.close()
c = H.connect(fe)
c.sendall(b"GET /d HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer abc\r\n\r\n")
st, h, body = H.recv_response(c)
T.check(st == 401, "another scheme than Basic: 401 (%r)" % st)
c.close()

# Groups: alice is in admins (group ... users), bob in staff (user ... groups).
c, st, h, body = get(fe, "/admin/x", "alice", "wonder land")
T.check(st == 200, "http_auth_group: alice in admins passes (%r)" % st)
c.close()
c, st, h, body = get(fe, "/admin/x", "bob", "s3cret")
T.check(st == 403, "http_auth_group: bob, not in admins, is denied (%r)" % st)
c.close()

# No realm: the proxy's name; any of the groups listed.
c, st, h, body = get(fe2, "/p")
T.check(st == 401 and h.get("www-authenticate") == ['Basic realm="plain"'],
        "no realm: the proxy's name (%r)" % h.get("www-authenticate"))
c.close()
for user, pw, want in (("dave", "md5-pw", 200), ("alice", "wonder land", 200),
                       ("carol", "yes-pw", 401)):
    c, st, h, body = get(fe2, "/p", user, pw)
    T.check(st == want, "group staff or admins: %s gets %r (%r)" % (user, want, st))
    c.close()
# stats http-request: only for the stats page's requests.
c, st_, h, body = get(stp, "/st")
T.check(st_ == 401 and h.get("www-authenticate") == ['Basic realm="HAProxy Statistics"'],
        "stats http-request auth: 401, the stats realm by default (%r %r)" %
        (st_, h.get("www-authenticate")))
c, st_, h, body = get(stp, "/st;csv", "bob", "s3cret", conn=c)
T.check(st_ == 200 and b"pxname" in body, "good credentials: the stats CSV (%r)" % st_)
c.close()
# stats admin if COND: alice (admins) gets the admin forms, bob not.
c, st_, h, body = get(stp, "/st", "alice", "wonder land")
T.check(st_ == 200 and b'<form method="post"' in body,
        "stats admin if http_auth_group: admins get the admin form (%r)" % st_)
c.close()
c, st_, h, body = get(stp, "/st", "bob", "s3cret")
T.check(st_ == 200 and b'<form method="post"' not in body,
        "... and the others do not (%r)" % st_)
c.close()
c, st_, h, body = get(stp, "/st/no", "bob", "s3cret")
T.check(st_ == 403, "stats http-request deny comes first (%r)" % st_)
c.close()
c, st_, h, body = get(stp, "/other")
T.check(st_ == 200 and body == b"app",
        "a request that is not for the page is proxied, no rule applies (%r)" % st_)
c.close()
T.check(not any(r["target"] == "/c" for r in app.requests),
        "refused requests never reach the server")
run.stop()
T.done()
