#!/usr/bin/python3
"""The sample language on real sockets: a map file routes requests
(use_backend %[req.hdr(host),lower,map(FILE,default)]), regsub rewrites
a header on its way to the server, a variable set by one rule is read by
a later ACL and by the log line, log-format %[...] items with converters,
an ACL's -f pattern file, and cfgc's located refusal of a malformed map."""
import os
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

fe, p_api, p_www, p_def = T.free_port(), T.free_port(), T.free_port(), T.free_port()


def origin(name):
    return lambda req: H.ok(name.encode())


o_api = H.Origin(("127.0.0.1", p_api), origin("api"))
o_www = H.Origin(("127.0.0.1", p_www), origin("www"))
o_def = H.Origin(("127.0.0.1", p_def), origin("default"))

hosts = T.tmp("hosts.map")
with open(hosts, "w") as f:
    f.write("# host to backend\napi.example.com be_api\n\n"
            "www.example.com   be_www\nold.example.com be_gone\n")
blocked = T.tmp("blocked.lst")
with open(blocked, "w") as f:
    f.write("# paths nobody may see\n/private\n/admin\n")

plan = T.compile_cfg(r"""
global
    log stderr format raw local0
defaults
    mode http
    log global
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:%(fe)d
    log-format "S %%[var(txn.tier)] %%{+Q}[req.hdr(host),lower] %%[path,regsub(/+,_,g)] %%[req.hdr(none)] %%[path,length,mul(2)]"
    acl blocked path_beg -f %(blocked)s
    http-request deny deny_status 403 if blocked
    http-request set-var(txn.tier) req.hdr(x-tier),lower
    acl gold var(txn.tier) -m str gold
    http-request return status 402 content-type text/plain lf-string "pay %%[var(txn.tier),upper]" if { var(txn.tier) -m str bronze }
    http-request set-header X-Gold yes if gold
    http-request set-header X-Path %%[path,regsub(^/v[0-9]+/,/,)]
    use_backend %%[req.hdr(host),lower,map(%(hosts)s,be_default)]
backend be_api
    server s 127.0.0.1:%(p_api)d
backend be_www
    server s 127.0.0.1:%(p_www)d
backend be_default
    server s 127.0.0.1:%(p_def)d
""" % locals())
run = T.Cfgrun(plan)


def get(path, hdrs):
    c = H.connect(fe)
    c.sendall(b"GET " + path + b" HTTP/1.1\r\n" + hdrs + b"\r\n")
    st, _, body = H.recv_response(c)
    c.close()
    return st, body


st, body = get(b"/v2/users", b"Host: API.Example.COM\r\nX-Tier: Gold\r\n")
T.check(st == 200 and body == b"api", "map routes the lowercased host to "
        "be_api (%r %r)" % (st, body))
hdrs = o_api.requests[-1]["headers"]
T.check(hdrs.get("x-path") == ["/users"], "regsub rewrote the path into "
        "X-Path (%r)" % hdrs.get("x-path"))
T.check(hdrs.get("x-gold") == ["yes"], "a variable set by one rule matched a "
        "later ACL (%r)" % hdrs.get("x-gold"))
st, body = get(b"/x", b"Host: www.example.com\r\n")
T.check(st == 200 and body == b"www", "second map entry (%r)" % body)
T.check("x-gold" not in o_www.requests[-1]["headers"],
        "no X-Gold without the tier")
st, body = get(b"/x", b"Host: unknown.example\r\n")
T.check(st == 200 and body == b"default", "map default value (%r)" % body)
st, body = get(b"/x", b"Host: old.example.com\r\n")
T.check(st == 503, "a mapped name that is no backend: the rule does not "
        "apply and there is no default_backend (%r)" % st)
st, body = get(b"/x", b"Host: a\r\nX-Tier: BRONZE\r\n")
T.check(st == 402 and body == b"pay BRONZE", "return with a variable and a "
        "converter (%r %r)" % (st, body))
st, body = get(b"/admin/panel", b"Host: api.example.com\r\n")
T.check(st == 403, "-f pattern file denies /admin (%r)" % st)
st, body = get(b"/adm", b"Host: api.example.com\r\n")
T.check(st == 200, "a path not in the file passes (%r)" % st)

lines = [l for l in run.wait_logs(7) if l.startswith("S ")]
T.check(len(lines) >= 1 and lines[0] == 'S gold "api.example.com" _v2_users - 18',
        "log line with variables and converters (%r)" % lines[:1])
T.check(any(l == 'S - "www.example.com" _x - 4' for l in lines),
        "absent samples log '-' (%r)" % lines)
run.stop()

# A malformed map file is refused with the map word's location.
bad = T.tmp("bad.map")
with open(bad, "w") as f:
    f.write("10.0.0.0/8 1\nnot-an-ip 2\n")
cfg = T.tmp("badmap.cfg")
with open(cfg, "w") as f:
    f.write("defaults\n    mode http\nfrontend f\n    bind :%d\n"
            "    http-request set-header X %%[src,map_ip(%s)]\n" % (fe, bad))
r = subprocess.run([T.CFGC, cfg, "-o", cfg + ".plan"], capture_output=True,
                   text=True, timeout=T.TIMEOUT)
out = r.stdout + r.stderr
T.check(r.returncode != 0 and "badmap.cfg:5:" in out and "line 2" in out and
        "not-an-ip" in out, "malformed map refused with a location (%r)"
        % out[:300])

for o in (o_api, o_www, o_def):
    o.close()
T.done()
