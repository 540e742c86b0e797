#!/usr/bin/python3
"""option prefer-last-server on real sockets, as HAProxy 2.6 runs the same
configuration: with `http-reuse never` (the server connection belongs to
the client's session) the requests of one keep-alive client connection
under roundrobin all go to the server the first one used, over the one
server connection kept between them, while without the option they
alternate between the two servers, and so they do with the option under
the default `http-reuse safe` (HAProxy parks the connection in the
server's idle list, leaving the session none to prefer); new client
connections are still balanced; a preferred server put in maintenance is
left for the balancer's choice."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

f_pref, f_plain, f_safe, p1, p2 = T.free_ports(5)


def handler_of(name):
    return lambda req: H.ok(name.encode())


o1 = H.Origin(("127.0.0.1", p1), handler_of("s1"))
o2 = H.Origin(("127.0.0.1", p2), handler_of("s2"))
sock = T.tmp("admin.sock")
plan = T.compile_cfg("""
global
    stats socket %(sock)s level admin
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
listen pref
    bind 127.0.0.1:%(f_pref)d
    balance roundrobin
    option prefer-last-server
    http-reuse never
    server s1 127.0.0.1:%(p1)d
    server s2 127.0.0.1:%(p2)d
listen safe
    bind 127.0.0.1:%(f_safe)d
    balance roundrobin
    option prefer-last-server
    server s1 127.0.0.1:%(p1)d
    server s2 127.0.0.1:%(p2)d
listen plain
    bind 127.0.0.1:%(f_plain)d
    balance roundrobin
    server s1 127.0.0.1:%(p1)d
    server s2 127.0.0.1:%(p2)d
""" % locals(), "prefer_last.cfg")
run = T.Cfgrun(plan)


def served_by(c, n):
    """The servers answering n requests sent one after the other on c."""
    out = []
    for i in range(n):
        c.sendall(b"GET /%d HTTP/1.1\r\nHost: x\r\n\r\n" % i)
        st, _, body = H.recv_response(c)
        out.append(body.decode() if st == 200 else None)
    return out


c = H.connect(f_plain)
got = served_by(c, 4)
c.close()
T.check(got in (["s1", "s2", "s1", "s2"], ["s2", "s1", "s2", "s1"]),
        "without the option one connection's requests alternate: %s" % got)

c = H.connect(f_safe)
got = served_by(c, 4)
c.close()
T.check(got in (["s1", "s2", "s1", "s2"], ["s2", "s1", "s2", "s1"]),
        "with the option under http-reuse safe they alternate: %s" % got)

conns = o1.conns + o2.conns
c = H.connect(f_pref)
got = served_by(c, 4)
T.check(got[0] in ("s1", "s2") and got == [got[0]] * 4,
        "with prefer-last-server they stay on one server: %s" % got)
T.check(o1.conns + o2.conns == conns + 1,
        "over one server connection (%d new)" % (o1.conns + o2.conns - conns))
d = H.connect(f_pref)
other = served_by(d, 2)
T.check(other[0] != got[0] and other == [other[0]] * 2,
        "another client connection is balanced to the other server: %s"
        % other)
d.close()
# the preferred server in maintenance: the balancer chooses again
T.check(T.stats_cmd(sock, "disable server pref/%s" % got[0]).strip() == "",
        "pref/%s in maintenance" % got[0])
after = served_by(c, 2)
T.check(after == [other[0]] * 2,
        "a preferred server in maintenance is left: %s" % after)
c.close()

rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
