#!/usr/bin/python3
"""cfgc --route agrees with cfgrun: each request is traced offline by
`cfgc --route` and sent for real through cfgrun on the same plan; the
backend whose origin receives it, the request head that origin reads
(line for line) or the local reply's status and Location must be what
--route printed."""
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

fe, p_shop, p_api, p_static = T.free_ports(4)
origins = {name: H.Origin(("127.0.0.1", port), lambda req: H.ok(b"o"))
           for name, port in (("shop", p_shop), ("api", p_api),
                              ("static", p_static))}
mp = T.tmp("hosts.map")
with open(mp, "w") as f:
    f.write("shop.example shop\napi.example api\n")
plan = T.compile_cfg("""
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend web
    bind 127.0.0.1:%d
    option forwardfor
    acl is_api hdr(host) -i api.example
    acl static path_beg /static/ /img/
    http-request deny if { hdr(x-block) -m found }
    http-request redirect location https://shop.example%%[path] code 302 if { hdr(host) -i old.example }
    http-request set-header X-Route %%[req.hdr(host),lower,map_str(%s,unknown)]
    http-request del-header X-Debug
    http-request replace-header User-Agent (.*)bot(.*) \\1robot\\2
    http-request set-header X-Tier static if { path_beg /assets/ }
    use_backend static if { hdr(x-tier) static }
    use_backend api if is_api
    use_backend static if static
    default_backend shop
backend shop
    server s1 127.0.0.1:%d
backend api
    http-request set-path /v2%%[path]
    http-request add-header X-Api %%[url_param(id)] if { url_param(id) -m found }
    server a1 127.0.0.1:%d
backend static
    option http-server-close
    server st1 127.0.0.1:%d
""" % (fe, mp, p_shop, p_api, p_static))
run = T.Cfgrun(plan)

# (request, header lines, the backend HAProxy picks, or None)
CASES = [
    ("GET http://shop.example/cart", [], "shop"),
    # use_backend sees the header a rule set (HAProxy 2.6 agrees)
    ("GET http://shop.example/assets/app.js", [], "static"),
    ("GET http://api.example/users?id=3", ["Cookie: a=b", "X-Debug: 1"],
     "api"),
    ("POST http://www.example/static/up", ["Content-Length: 0",
                                           "User-Agent: somebot/1.0"],
     "static"),
    ("GET http://Shop.Example/a", ["Connection: keep-alive",
                                   "X-Forwarded-For: 192.0.2.1"], "shop"),
    ("GET http://old.example/x/y?z", [], None),
    ("GET http://shop.example/", ["X-Block: 1"], None),
]


def route(req, hdrs):
    args = [T.CFGC, "--route", plan, req, "--src", "127.0.0.1"]
    for h in hdrs:
        args += ["-H", h]
    r = subprocess.run(args, capture_output=True, text=True, timeout=T.TIMEOUT)
    T.check(r.returncode == 0, "cfgc --route %r: %s" % (req, r.stderr))
    return r.stdout


def section(out, title):
    """The indented lines under `title:` in --route's output."""
    if title + ":\n" not in out:
        return []
    lines = []
    for l in out.split(title + ":\n", 1)[1].splitlines():
        if not l.startswith("  "):
            break
        lines.append(l[2:])
    return lines


for req, hdrs, want in CASES:
    out = route(req, hdrs)
    method, url = req.split(" ")
    m = re.match(r"https?://([^/]*)(.*)", url)
    head = "%s %s HTTP/1.1\r\nHost: %s\r\n" % (method, m.group(2) or "/",
                                              m.group(1))
    head += "".join(h + "\r\n" for h in hdrs) + "\r\n"
    seen = {n: len(o.requests) for n, o in origins.items()}
    c = H.connect(fe)
    c.sendall(head.encode())
    st, rh, _ = H.recv_response(c)
    c.close()
    got = [n for n, o in origins.items() if len(o.requests) > seen[n]]
    fwd = re.search(r"^result: forwarded to backend (\S+)$", out, re.M)
    T.check((fwd and fwd.group(1)) == want, "%s: backend %s expected, "
            "--route says %s" % (req, want, fwd and fwd.group(1)))
    if fwd:
        T.check(got == [fwd.group(1)], "%s: --route says backend %s, cfgrun "
                "sent it to %r" % (req, fwd.group(1), got))
        if got == [fwd.group(1)]:
            real = origins[got[0]].requests[-1]["head"].decode()
            real = real.split("\r\n")[:-2]
            T.check(real == section(out, "request as it leaves"),
                    "%s: the head the origin read %r, --route printed %r"
                    % (req, real, section(out, "request as it leaves")))
    else:
        rep = re.search(r"^result: local reply (\d+) ", out, re.M)
        T.check(rep and got == [] and st == int(rep.group(1)),
                "%s: --route says %s, cfgrun answered %r (origins %r)"
                % (req, rep and rep.group(0), st, got))
        after = out[rep.end():] if rep else ""
        loc = re.findall(r"^  Location: (.*)$", after, re.M)
        T.check(loc == rh.get("location", []), "%s: Location %r vs %r" %
                (req, loc, rh.get("location")))
T.check(len(CASES) == 7, "all cases ran")
T.done()
