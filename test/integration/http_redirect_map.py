#!/usr/bin/python3
"""http-request redirect ... ignore-empty on real sockets: mass redirects
from a map (the manual's recipe): a path the map knows is redirected to
its new place, one it does not know is not redirected at all but goes on
to the server, on one keep-alive connection; --dump writes the option
back."""
import os
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

fe, origin_p = T.free_ports(2)
srv = H.Origin(("127.0.0.1", origin_p), lambda r: H.ok(b"served " +
                                                      r["target"].encode()))
moved = T.tmp("moved.map")
with open(moved, "w") as f:
    f.write("/old-a /new-a\n/old-b https://elsewhere.example/b\n")
plan = T.compile_cfg("""
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend web
    bind 127.0.0.1:%(fe)d
    http-request redirect code 301 location %%[path,map_str(%(moved)s)] ignore-empty
    default_backend be
backend be
    server s 127.0.0.1:%(origin_p)d
""" % locals())
run = T.Cfgrun(plan)
c = H.connect(fe)
for path, want in (("/old-a", "/new-a"),
                   ("/old-b", "https://elsewhere.example/b")):
    c.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    st, h, body = H.recv_response(c)
    T.check(st == 301 and h.get("location") == [want],
            "%s is redirected to %s (%s %r)" % (path, want, st,
                                                h.get("location")))
c.sendall(b"GET /kept HTTP/1.1\r\nHost: x\r\n\r\n")
st, h, body = H.recv_response(c)
T.check(st == 200 and body == b"served /kept" and "location" not in h,
        "a path the map does not know is not redirected (%s %r)" % (st, body))
c.close()
dump = subprocess.run([T.CFGC, "--dump", plan], capture_output=True,
                      text=True, timeout=60).stdout
T.check(" ignore-empty" in dump, "--dump writes ignore-empty back")
T.done()
