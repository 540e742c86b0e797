#!/usr/bin/python3
"""http-request return and deny with `file` and `lf-file` payloads on
real sockets: the file's bytes as the body (one of 15.5 kB, beyond the
room kept for rewrites, sent whole), an lf-file evaluated per request,
an empty file answering with no body and no content-type, deny with a
file and its status; cfgc refuses a payload without content-type and
one larger than a buffer, and warns when it runs into the rewrite
room."""
import hashlib
import os
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

page = T.tmp("page.html")
big = bytes((0x41 + i % 26) for i in range(15499)) + b"\n"
with open(page, "wb") as f:
    f.write(big)
lf = T.tmp("hello.lf")
with open(lf, "w") as f:
    f.write("hello %[src] you asked for %[path]\n")
empty = T.tmp("empty")
open(empty, "w").close()
fe, origin_p = T.free_ports(2)
origin = H.Origin(("127.0.0.1", origin_p), lambda r: H.ok(b"origin"))
plan = T.compile_cfg("""
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend web
    bind 127.0.0.1:%(fe)d
    http-request return content-type text/html file %(page)s if { path /page }
    http-request return content-type text/plain lf-file %(lf)s if { path_beg /lf }
    http-request return status 204 file %(empty)s hdr x-empty yes if { path /empty }
    http-request deny deny_status 451 content-type text/plain file %(lf)s if { path /gone }
    default_backend be
backend be
    server s 127.0.0.1:%(origin_p)d
""" % locals())
run = T.Cfgrun(plan)

c = H.connect(fe)
for _ in range(2):     # twice on one connection: keep-alive holds
    c.sendall(b"GET /page HTTP/1.1\r\nHost: x\r\n\r\n")
    st, h, body = H.recv_response(c)
    T.check(st == 200 and h.get("content-type") == ["text/html"] and
            hashlib.sha256(body).digest() == hashlib.sha256(big).digest(),
            "file: %d bytes sent whole (got %s, %d bytes)" %
            (len(big), st, len(body)))
c.sendall(b"GET /lf/x HTTP/1.1\r\nHost: x\r\n\r\n")
st, h, body = H.recv_response(c)
T.check(st == 200 and body == b"hello 127.0.0.1 you asked for /lf/x\n",
        "lf-file evaluated per request (got %s %r)" % (st, body))
c.sendall(b"GET /empty HTTP/1.1\r\nHost: x\r\n\r\n")
st, h, body = H.recv_response(c)
T.check(st == 204 and body == b"" and "content-type" not in h and
        h.get("x-empty") == ["yes"], "empty file: no body, no type, "
        "its hdr line (got %s %r)" % (st, h))
c.sendall(b"GET /gone HTTP/1.1\r\nHost: x\r\n\r\n")
st, h, body = H.recv_response(c)
T.check(st == 451 and body.startswith(b"hello "),
        "deny with a file and deny_status (got %s %r)" % (st, body))
c.close()
T.check(len(origin.requests) == 0, "the origin saw none of them")


def cfgc(rule, name):
    cfg = T.tmp(name)
    with open(cfg, "w") as f:
        f.write("defaults\n mode http\n timeout client 1s\n timeout server 1s\n"
                " timeout connect 1s\nfrontend f\n bind 127.0.0.1:%d\n"
                " http-request %s\n" % (fe, rule))
    r = subprocess.run([os.environ.get("CFGC", "cfgc"), "-c", cfg],
                       capture_output=True, text=True)
    return r.returncode, r.stderr


huge = T.tmp("huge")
with open(huge, "wb") as f:
    f.write(b"x" * 20000)
rc, err = cfgc("return file %s" % page, "notype.cfg")
T.check(rc != 0 and "needs its 'content-type'" in err,
        "a payload without content-type refused: " + err.strip()[:120])
rc, err = cfgc("return content-type a/b file %s" % huge, "huge.cfg")
T.check(rc != 0 and "error[too-large]" in err and ":8:" in err,
        "a payload beyond tune.bufsize refused: " + err.strip()[:120])
rc, err = cfgc("return content-type a/b file %s" % page, "room.cfg")
T.check(rc == 0 and "warning[too-large]" in err,
        "a payload in the rewrite room warned: " + err.strip()[:120])
run.stop()
origin.close()
T.done()
