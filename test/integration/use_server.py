#!/usr/bin/python3
"""use-server on real sockets, in both modes: in an HTTP backend a rule
sends the request to the server it names whatever the balancer would
pick; a rule naming a server in maintenance is passed over for the next
rule, then for normal balancing; use-server wins over a valid
persistence cookie, as in HAProxy (which still reads the cookie). In a TCP backend a rule on the port the client
reached (through acl(), and fe_name) picks the server of every
connection. cfgc --dump writes the
rules back. HAProxy 2.6 gave the same answers to the same HTTP
requests (side by side)."""
import os
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

fe, tcp1, tcp2 = T.free_port(), T.free_port(), T.free_port()
ports = [T.free_port() for _ in range(4)]
origins = [H.Origin(("127.0.0.1", ports[k]),
                    (lambda n: lambda req: H.ok(n.encode()))("s%d" % (k + 1)))
           for k in range(3)]
tsrv = [T.Server("t%d" % (k + 1), ("127.0.0.1", T.free_port()))
        for k in range(2)]

cfg = r"""
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    mode http
    bind 127.0.0.1:%(fe)d
    default_backend app
backend app
    mode http
    balance roundrobin
    cookie SRV insert indirect
    use-server s2 if { req.hdr(x-pin) two }
    use-server s4 if { path /maint }
    use-server s3 if { path /maint }
    use-server s3 unless { path_beg / }
    server s1 127.0.0.1:%(p1)d cookie c1
    server s2 127.0.0.1:%(p2)d cookie c2
    server s3 127.0.0.1:%(p3)d cookie c3
    server s4 127.0.0.1:%(p4)d cookie c4 disabled
frontend tcpfe
    mode tcp
    bind 127.0.0.1:%(tcp1)d
    bind 127.0.0.1:%(tcp2)d
    default_backend tcpbe
backend tcpbe
    mode tcp
    balance roundrobin
    acl on2 dst_port %(tcp2)d
    use-server t2 if { acl(on2) }
    use-server t1 if { fe_name tcpfe } { dst_port %(tcp1)d }
    server t1 127.0.0.1:%(t1)d
    server t2 127.0.0.1:%(t2)d
""" % dict(fe=fe, tcp1=tcp1, tcp2=tcp2, p1=ports[0], p2=ports[1], p3=ports[2],
           p4=ports[3], t1=tsrv[0].sock.getsockname()[1],
           t2=tsrv[1].sock.getsockname()[1])
plan = T.compile_cfg(cfg)
dump = subprocess.run([T.CFGC, "--dump", plan], capture_output=True,
                      text=True, timeout=T.TIMEOUT).stdout
T.check("use-server s2 if { req.hdr(x-pin) -m str -- two }" in dump and
        "use-server s3 unless { path -m beg -- / }" in dump and
        "use-server t2 if { acl(on2) -m bool }" in dump,
        "cfgc --dump writes the use-server rules back (%r)" %
        [l for l in dump.splitlines() if "use-server" in l])
run = T.Cfgrun(plan)


def get(path, hdrs=b""):
    c = H.connect(fe)
    c.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: a\r\n" + hdrs + b"\r\n")
    st, head, body = H.recv_response(c)
    c.close()
    return st, head, body.decode()


pinned = [get(b"/p", b"X-Pin: two\r\n")[2] for _ in range(6)]
T.check(pinned == ["s2"] * 6, "use-server s2 takes every pinned request "
        "(%r)" % pinned)
free = [get(b"/p")[2] for _ in range(6)]
T.check(sorted(set(free)) == ["s1", "s2", "s3"], "without a rule that "
        "applies, roundrobin over the three servers (%r)" % free)
maint = [get(b"/maint")[2] for _ in range(4)]
T.check(maint == ["s3"] * 4, "a rule naming a server in maintenance is "
        "passed over for the next one (%r)" % maint)
st, head, body = get(b"/p", b"X-Pin: two\r\nCookie: SRV=c1\r\n")
T.check(st == 200 and body == "s2", "use-server wins over a valid "
        "persistence cookie (%r %r)" % (st, body))
st, head, body = get(b"/p", b"Cookie: SRV=c1\r\n")
T.check(st == 200 and body == "s1", "the cookie decides when no rule "
        "applies (%r %r)" % (st, body))
st, head, body = get(b"/p", b"X-Pin: two\r\nCookie: SRV=c4\r\n")
T.check(st == 200 and body == "s2", "a cookie naming a server in "
        "maintenance leaves use-server to decide (%r %r)" % (st, body))

names1 = T.server_names(("127.0.0.1", tcp1), 4)
names2 = T.server_names(("127.0.0.1", tcp2), 4)
T.check(names1 == ["t1"] * 4, "TCP: use-server on fe_name and the first "
        "port picks t1 every time (%r)" % names1)
T.check(names2 == ["t2"] * 4, "TCP: use-server on the second port picks t2 "
        "every time (%r)" % names2)
run.stop()

# An unknown server is refused where it is named.
bad = T.tmp("bad.cfg")
with open(bad, "w") as f:
    f.write("backend b\n    mode http\n    use-server nope if TRUE\n"
            "    server s1 127.0.0.1:%d\n" % ports[0])
r = subprocess.run([T.CFGC, bad, "-o", bad + ".plan"], capture_output=True,
                   text=True, timeout=T.TIMEOUT)
out = r.stdout + r.stderr
T.check(r.returncode != 0 and "bad.cfg:3:16:" in out and "nope" in out,
        "use-server of an unknown server refused with its location (%r)"
        % out[:300])

for o in origins:
    o.close()
for s in tsrv:
    s.close()
T.done()
