#!/usr/bin/python3
"""http-request normalize-uri on real sockets: each normalizer changes
the target the server receives (cases read from HAProxy 2.6), later
rules and routing see the normalized target (an ACL on /admin can no
longer be passed with /%61dmin or /x/../admin), strict answers 400
without reaching the server, and "*" is left alone."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

NORMS = ["path-merge-slashes", "path-strip-dot", "path-strip-dotdot",
         "path-strip-dotdot full", "percent-decode-unreserved",
         "percent-decode-unreserved strict", "percent-to-uppercase",
         "percent-to-uppercase strict", "query-sort-by-name"]
ports = T.free_ports(len(NORMS) + 2)
guard, origin_p = ports[-2], ports[-1]
origin = H.Origin(("127.0.0.1", origin_p),
                  lambda r: H.ok(r["target"].encode()))
fes = "".join("""
frontend f%d
    bind 127.0.0.1:%d
    http-request normalize-uri %s
    default_backend be
""" % (i, ports[i], n) for i, n in enumerate(NORMS))
plan = T.compile_cfg("""
global
    expose-experimental-directives
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
%(fes)s
frontend guard
    bind 127.0.0.1:%(guard)d
    http-request normalize-uri percent-decode-unreserved strict
    http-request normalize-uri path-merge-slashes
    http-request normalize-uri path-strip-dot
    http-request normalize-uri path-strip-dotdot full
    http-request deny if { path_beg /admin }
    http-request set-header X-Path %%[path]
    default_backend be
backend be
    server s 127.0.0.1:%(origin_p)d
""" % locals())
run = T.Cfgrun(plan)


def get(port, target, method="GET"):
    c = H.connect(port)
    c.sendall(b"%s %s HTTP/1.1\r\nHost: h\r\n\r\n" %
              (method.encode(), target.encode()))
    st, _, body = H.recv_response(c, method)
    c.close()
    return st, body.decode()


CASES = {
    "path-merge-slashes": [("///foo///bar///", "/foo/bar/"),
                           ("//foo?bar=///", "/foo?bar=///"),
                           ("http://h//a//b?x=//", "http://h/a/b?x=//")],
    "path-strip-dot": [("//./", "//"), ("/a/./.", "/a/"),
                       ("/a/.?x=/./", "/a/?x=/./"),
                       ("/.well-known/", "/.well-known/")],
    "path-strip-dotdot": [("/a/b/..", "/a/"), ("/../..", "/../../"),
                          ("/foo//../../bar/", "/bar/"),
                          ("/a/b/..?q=/../", "/a/?q=/../"),
                          ("http://h/a/../b", "http://h/b")],
    "path-strip-dotdot full": [("/../..", "/"),
                               ("/foo/../../bar/", "/bar/")],
    "percent-decode-unreserved": [("/%61%2e%7E%5f%2D", "/a.~_-"),
                                  ("/%3f%3F", "/%3f%3F"),
                                  ("/%%36%36", "/%66"),
                                  ("/?%61=%62", "/?a=b")],
    "percent-decode-unreserved strict": [("/%61", "/a"),
                                         ("/%%36%36", None),
                                         ("/?a=%zz", None)],
    "percent-to-uppercase": [("/%aa%Bb%c", "/%AA%BB%c"),
                             ("/%zz%ab", "/%zz%AB")],
    "percent-to-uppercase strict": [("/%aa", "/%AA"), ("/%a", None)],
    "query-sort-by-name": [("/?b&a=&a", "/?a=&a&b"), ("/?b&&a&", "/?&a&b"),
                           ("/p?a=5&b=3&a=1", "/p?a=5&a=1&b=3"),
                           ("/?", "/?")],
}
for i, n in enumerate(NORMS):
    for target, want in CASES[n]:
        seen = len(origin.requests)
        st, body = get(ports[i], target)
        if want is None:
            T.check(st == 400 and len(origin.requests) == seen,
                    "%s %s: 400 without reaching the server (got %s)" %
                    (n, target, st))
        else:
            T.check(st == 200 and body == want,
                    "%s %s -> %s (got %s %r)" % (n, target, want, st, body))
    st, body = get(ports[i], "*", "OPTIONS")
    T.check(st == 200 and body == "*", "%s leaves OPTIONS * alone" % n)

# Later rules judge the normalized target.
for target in ["/%61dmin/x", "//admin", "/./admin", "/x/../admin",
               "/x/%2e%2e/admin"]:
    st, _ = get(guard, target)
    T.check(st == 403, "guard: %s is /admin once normalized: 403 (got %s)"
            % (target, st))
seen = len(origin.requests)
st, body = get(guard, "/x/./y//z/../%7Eu")
T.check(st == 200 and body == "/x/y/~u", "guard: chain of four (got %s %r)"
        % (st, body))
T.check(origin.requests[-1]["headers"].get("x-path") == ["/x/y/~u"],
        "guard: later rules see the normalized path")
st, _ = get(guard, "/%zz")
T.check(st == 400, "guard: strict first rule: 400 (got %s)" % st)
run.stop()
origin.close()
T.done()
