#!/usr/bin/env python3
"""route.py: `cfgc --route` and `cfgc --route-test` on a shop's
configuration compiled here (host and path switching, a map, a deny on
the client address, a redirect, set-header, an SNI rule, a backend's own
rewrite, servers disabled and backup).

  route.py CFGC [TOP_SRCDIR]   exit 0 pass, 1 fail

With TOP_SRCDIR, samples/shop.routes must hold for samples/shop.cfg.
"""
import os
import re
import subprocess
import sys
import tempfile

CONFIG = """global
    maxconn 100

defaults
    mode http
    timeout client 5s
    timeout connect 5s
    timeout server 5s

frontend web
    bind 127.0.0.1:8080
    option forwardfor
    acl blocked src 10.66.0.0/16
    acl is_api hdr(host) -i api.example
    acl static path_beg /static/ /img/
    http-request deny if blocked
    http-request redirect location https://shop.example%[path] code 301 if { hdr(host) -i old.example }
    http-request set-header X-Route %[req.hdr(host),lower,map_str({MAP},unknown)]
    http-request del-header X-Debug
    use_backend secure if {{ ssl_fc_sni -i secure.example }}
    use_backend api if is_api
    use_backend static if static
    default_backend shop

frontend admin
    bind 127.0.0.1:8081
    monitor-uri /alive
    tcp-request content reject if {{ path /.env }}
    http-request return status 200 content-type text/plain string ok if {{ path /health }}
    http-request auth realm ops unless {{ hdr(authorization) -m found }}
    default_backend shop

frontend raw
    mode tcp
    bind 127.0.0.1:8082
    default_backend shop

backend shop
    server s1 127.0.0.1:9001
    server s2 127.0.0.1:9002 disabled
    server s3 127.0.0.1:9003 backup

backend api
    http-request return status 429 hdr Retry-After 30 if {{ path_beg /slow }}
    http-request set-path /v2%[path]
    http-request deny status 410 if {{ path_beg /v2/old }}
    use-server a2 if {{ req.hdr(x-canary) -m found }}
    server a1 127.0.0.1:9101
    server a2 127.0.0.1:9102

backend secure
    server sec1 127.0.0.1:9301

backend static
    server st1 127.0.0.1:9201
"""

PASSING = """# the shop's routing, as the team means it
GET http://shop.example/cart => backend shop => header X-Route: shop
GET http://Shop.Example/cart => header X-Route: shop
GET http://api.example/users?id=3 -H 'Cookie: a=b' \\
    --src 192.0.2.7:4000 => backend api => header X-Forwarded-For: 192.0.2.7
GET http://www.example/static/app.css => backend static => header X-Route: unknown
GET http://old.example/a/b => status 301 => location https://shop.example/a/b
GET http://shop.example/ --src 10.66.3.4 => status 403
GET http://shop.example/ -H "X-Debug: 1" => no-header X-Debug
GET https://secure.example/login => backend secure
GET http://api.example/slow => status 429 => header Retry-After: 30
GET http://api.example/old => status 410
GET http://api.example/c -H 'X-Canary: 1' => backend api => server a2
GET /health -H 'Host: admin' --frontend admin => status 200
GET /other -H 'Host: admin' --frontend admin => status 401
GET /.env -H 'Host: admin' --frontend admin => close
GET /alive --frontend admin => status 200
"""

FAILING = """GET http://shop.example/cart => backend shop
GET http://api.example/c -H 'X-Canary: 1' => server a2
# the next one is wrong on purpose: api.example goes to api
GET http://api.example/cart => backend shop
GET http://shop.example/never-run => backend nowhere
"""

MALFORMED = """GET http://shop.example/cart => backend shop
GET http://shop.example/ => colour blue
GET http://shop.example/ --src
"""

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what)


def run(cfgc, *args):
    r = subprocess.run([cfgc] + list(args), capture_output=True, text=True,
                       timeout=60)
    return r.returncode, r.stdout, r.stderr


def leaving(out):
    """The lines of 'request as it leaves:' (stripped)."""
    if "request as it leaves:\n" not in out:
        return []
    tail = out.split("request as it leaves:\n", 1)[1]
    return [l.strip() for l in tail.splitlines() if l.startswith("  ")]


def main():
    cfgc = sys.argv[1]
    with tempfile.TemporaryDirectory() as d:
        mp = os.path.join(d, "hosts.map")
        with open(mp, "w") as f:
            f.write("shop.example shop\napi.example api\n")
        cfg = os.path.join(d, "shop.cfg")
        with open(cfg, "w") as f:
            f.write(CONFIG.replace("{MAP}", mp).replace("{{", "{")
                    .replace("}}", "}"))
        plan = os.path.join(d, "shop.plan")
        rc, out, err = run(cfgc, cfg, "-o", plan)
        check(rc == 0, "the configuration compiles: " + err)

        # 1. default backend: the trace, the servers, the head as it leaves
        rc, out, err = run(cfgc, "--route", plan, "GET http://shop.example/cart")
        check(rc == 0, "--route exits 0: %d %s" % (rc, err))
        check("frontend web, client 127.0.0.1:50000" in out, "frontend line")
        check(re.search(r"^  no +web +line 16 +http-request deny .*if blocked$",
                        out, re.M), "the deny rule is traced as not matched:\n" + out)
        check(re.search(r"^  match +web +line 18 +http-request set-header X-Route",
                        out, re.M), "set-header traced as matched")
        check(re.search(r"^  no +web +line 21 +use_backend api if is_api$", out,
                        re.M), "use_backend api traced as not matched")
        check("result: forwarded to backend shop\n" in out, "backend shop")
        check("backend: shop (default_backend)\n" in out, "default_backend said")
        check("servers: s1 [s2: disabled] [s3: backup, active servers up]\n"
              in out, "eligible servers:\n" + out)
        check(leaving(out) == ["GET /cart HTTP/1.1", "Host: shop.example",
                               "X-Route: shop", "X-Forwarded-For: 127.0.0.1"],
              "the request as it leaves: %r" % leaving(out))
        check("fresh state" in out, "the output says the state is fresh")

        # 2. host switching, the backend's own rewrite, -H, --src
        rc, out, err = run(cfgc, "--route", plan,
                           "GET http://api.example/users?id=3",
                           "-H", "Cookie: a=b", "--src", "192.0.2.7:4000")
        check(rc == 0 and "result: forwarded to backend api\n" in out,
              "api by host: " + out + err)
        check("backend: api (use_backend, line 21)\n" in out,
              "the deciding use_backend line: " + out)
        check("servers: a1 a2\n" in out and "use-server" not in out,
              "no use-server rule applies: " + out)
        rc2, out2, err2 = run(cfgc, "--route", plan, "GET http://api.example/",
                              "-H", "X-Canary: yes")
        check("use-server: a2 (a use-server rule names it)\n" in out2,
              "use-server: " + out2)
        check(re.search(r"^  match +api +line \d+ +http-request set-path /v2",
                        out, re.M), "the backend's rule is traced")
        check(leaving(out) == ["GET /v2/users?id=3 HTTP/1.1",
                               "Host: api.example", "Cookie: a=b",
                               "X-Route: api", "X-Forwarded-For: 192.0.2.7"],
              "api request as it leaves: %r" % leaving(out))

        # 3. a -H Host wins over the URL's authority; path_beg
        rc, out, err = run(cfgc, "--route", plan, "GET http://api.example/img/a.png",
                           "-H", "Host: shop.example")
        check("result: forwarded to backend static\n" in out,
              "path_beg with the Host from -H: " + out)
        check("Host: api.example" not in out, "no second Host line")

        # 4. redirect, deny
        rc, out, err = run(cfgc, "--route", plan, "GET http://old.example/a/b")
        check(rc == 0 and "result: local reply 301 Moved Permanently (redirect)"
              in out and "  Location: https://shop.example/a/b\n" in out,
              "redirect: " + out)
        check(re.search(r"^  match +web +line 17 +http-request redirect", out,
                        re.M), "redirect traced as matched")
        check("line 18" not in out, "rules after a final one are not run")
        rc, out, err = run(cfgc, "--route", plan, "GET http://shop.example/",
                           "--src", "10.66.3.4")
        check("result: local reply 403 Forbidden (deny)" in out and
              "backend:" not in out, "deny on src: " + out)

        # 5. TLS: an https URL's host is the SNI; --sni sets one
        rc, out, err = run(cfgc, "--route", plan, "GET https://secure.example/")
        check("TLS sni secure.example" in out and
              "result: forwarded to backend secure" in out, "sni: " + out)
        rc, out, err = run(cfgc, "--route", plan, "GET http://shop.example/",
                           "--sni", "secure.example")
        check("result: forwarded to backend secure" in out, "--sni: " + out)

        # 6. another frontend: return, auth
        rc, out, err = run(cfgc, "--route", plan, "GET /alive", "--frontend",
                           "admin")
        check("result: local reply 200 OK (monitor-uri, before any rule)"
              in out and "http-request" not in out, "monitor-uri: " + out)
        rc, out, err = run(cfgc, "--route", plan, "GET /other", "-H",
                           "Host: admin", "--frontend", "admin")
        rc, out, err = run(cfgc, "--route", plan, "GET /.env", "-H",
                           "Host: admin", "--frontend", "admin")
        check(re.search(r"^  match +admin +line \d+ +tcp-request content "
                        r"reject if", out, re.M) and
              "result: connection closed without a reply (reject)" in out,
              "tcp-request content reject: " + out)
        rc, out, err = run(cfgc, "--route", plan, "GET /other", "-H",
                           "Host: admin", "--frontend", "admin")
        check("result: local reply 401" in out and
              'WWW-Authenticate: Basic realm="ops"' in out, "auth: " + out)

        # 7. bad requests and options: exit 2, a message, no trace
        for args, msg in [
                (["GET"], "the request must be 'METHOD URL"),
                (["GET shop.example/"], "the URL must start with"),
                (["GET /", "-H", "NoColon"], "a header must be 'Name: value'"),
                (["GET /", "-H", "Bad Name: x"],
                 "cfgrun would refuse this request with 400"),
                (["GET /", "--src", "1.2.3"], "--src expects IP[:PORT]"),
                (["GET /", "--frontend", "nope"], "no frontend named 'nope'"),
                (["GET /", "--frontend", "raw"], "'raw' is not in HTTP mode")]:
            rc, out, err = run(cfgc, "--route", plan, *args)
            check(rc == 2 and msg in err and not out,
                  "%r: exit 2 with %r, got %d %r %r" % (args, msg, rc, err, out))
        rc, out, err = run(cfgc, "--src", "1.2.3.4", cfg)
        check(rc == 2 and "go with --route" in err, "--src without --route")
        rc, out, err = run(cfgc, "--route", os.path.join(d, "none.plan"), "GET /")
        check(rc == 2 and "none.plan" in err, "missing plan: " + err)

        # 8. --route-test: passing, failing, malformed
        def tfile(name, text):
            p = os.path.join(d, name)
            with open(p, "w") as f:
                f.write(text)
            return p

        good = tfile("good.routes", PASSING)
        rc, out, err = run(cfgc, "--route-test", good, plan)
        check(rc == 0 and "15 entries met their expectations" in out,
              "passing file: %d %s %s" % (rc, out, err))
        bad = tfile("bad.routes", FAILING)
        rc, out, err = run(cfgc, "--route-test", bad, plan)
        check(rc == 1, "failing file exits 1: %d" % rc)
        check(err.startswith(bad + ":4: expected backend 'shop', got 'api'\n"),
              "located mismatch: " + err)
        check("trace of %s:4" % bad in err and
              re.search(r"match +web +line 21 +use_backend api", err),
              "the trace follows the mismatch: " + err)
        check("nowhere" not in err, "the run stops at the first mismatch")
        ugly = tfile("ugly.routes", MALFORMED)
        rc, out, err = run(cfgc, "--route-test", ugly, plan)
        check(rc == 2 and err.startswith(ugly + ":2: error: unknown expectation"),
              "malformed file: %d %r" % (rc, err))
        check(ugly + ":3: error: an entry needs '=>" in err,
              "every syntax error is reported: " + err)
        check("met" not in out, "a malformed file runs nothing")
        for text, msg in [("GET / => status 7\n", ":1: error: 'status' expects"),
                          ("GET / 'x\n", ":1: error: unterminated single"),
                          ("GET http://a/ -H 'Host: b' => backend shop\n"
                           "GET /x\n", ":2: error: an entry needs '=>"),
                          ("# nothing\n", "error: no entries"),
                          ("GET / --src => backend shop\n",
                           ":1: error: an option is missing its value"),
                          ("GET / --via x => backend shop\n",
                           ":1: error: unknown option"),
                          ("GET http://shop.example/ => server a2\n",
                           None),
                          ("GET nohost => backend shop\n",
                           ":1: error: the URL must start")]:
            p = tfile("t.routes", text)
            rc, out, err = run(cfgc, "--route-test", p, plan)
            if msg is None:     # a mismatch, not a syntax error
                check(rc == 1 and ":1: expected server 'a2' (use-server), "
                      "got no use-server rule" in err, "%r: %d %r" %
                      (text, rc, err))
                continue
            check(rc == 2 and msg in err, "%r: %d %r" % (text, rc, err))
        rc, out, err = run(cfgc, "--route-test", os.path.join(d, "no.routes"),
                           plan)
        check(rc == 2 and "no.routes" in err, "missing test file")
        # 9. the sample the README and cfgc(1) point to
        if len(sys.argv) > 2:
            top = sys.argv[2]
            splan = os.path.join(d, "sample.plan")
            rc, out, err = run(cfgc, os.path.join(top, "samples/shop.cfg"),
                               "-o", splan)
            check(rc == 0, "samples/shop.cfg compiles: " + err)
            rc, out, err = run(cfgc, "--route-test",
                               os.path.join(top, "samples/shop.routes"), splan)
            check(rc == 0 and "entries met their expectations" in out,
                  "samples/shop.routes holds: %s %s" % (out, err))
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("route: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
