#!/usr/bin/python3
"""http-request replace-path REGEX FORMAT on real sockets: the path (not
the query) is rewritten when the regex matches it, \\N groups filled in,
left alone otherwise (the whole path becomes the format's result, the
regex unanchored, as in HAProxy); rules run in order, a later one sees the rewritten
path; the line reads back from --dump."""
import os
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

fe, po = T.free_port(), T.free_port()
origin = H.Origin(("127.0.0.1", po), lambda req: H.ok(b"o"))
plan = T.compile_cfg(r"""
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:%d
    http-request replace-path /couchdb(/)?(.*) /\2
    http-request replace-path ^/v1/(.*)$ /api/\1 if { req.hdr(x-api) -m found }
    http-request set-header X-Seen %%[path]
    default_backend be
backend be
    server s 127.0.0.1:%d
""" % (fe, po))
run = T.Cfgrun(plan)


def through(target, hdrs=b""):
    c = H.connect(fe)
    c.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\n" + hdrs + b"\r\n")
    st, _, _ = H.recv_response(c)
    c.close()
    req = origin.requests[-1]
    return st, req["target"], req["headers"].get("x-seen")


st, target, seen = through(b"/couchdb/db/_all_docs?limit=2")
T.check(st == 200 and target == "/db/_all_docs?limit=2",
        "the groups fill the new path, the query is kept (%r)" % target)
T.check(seen == ["/db/_all_docs"], "a later rule sees the new path (%r)" % seen)
st, target, _ = through(b"/other/couchdb")
T.check(target == "/", "the regex is not anchored and, as in HAProxy, the "
        "whole path becomes the format's result (%r)" % target)
st, target, _ = through(b"/plain?x=1")
T.check(target == "/plain?x=1", "no match: the path is left alone (%r)" % target)
st, target, _ = through(b"/v1/users", b"X-Api: 1\r\n")
T.check(target == "/api/users", "a conditional replace-path applies (%r)" % target)
st, target, _ = through(b"/v1/users")
T.check(target == "/v1/users", "its condition false: untouched (%r)" % target)
dump = subprocess.run([T.CFGC, "--dump", plan], capture_output=True, text=True)
T.check("http-request replace-path /couchdb(/)?(.*) " in dump.stdout,
        "--dump prints the rule:\n" + dump.stdout)
again = T.tmp("again.cfg")
with open(again, "w") as f:
    f.write(dump.stdout)
plan2 = T.compile_cfg(open(again).read(), "again2.cfg")
dump2 = subprocess.run([T.CFGC, "--dump", plan2], capture_output=True, text=True)
T.check(dump2.stdout == dump.stdout, "and compiles back to the same plan text")
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
