#!/usr/bin/python3
"""The issue's "done when" scenario, end to end through cfgc: a config the
project has never seen mixes a bind port range, mptcp4@, IPv6 and unix
listeners with an mptcp@ server and a plain server. It compiles (twice, to
identical bytes), and cfgrun proxies bytes both ways with round robin,
MPTCP on both hops where asked (checked with MPTCP_INFO on the sockets)."""
import os
import socket
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

if not T.have_cfgc():
    T.fail("cfgc is not built at %s" % T.CFGC)
    T.done()
why = T.mptcp_state()
if why:
    T.skip(why)
if not T.have_ipv6():
    T.skip("this host has no IPv6 loopback (::1)")

rng = T.free_ports(3)
mp_in = T.free_port()
v6_in = T.free_port("::1", socket.AF_INET6)
mp_srv, tcp_srv = T.free_port(), T.free_port()
sockdir = T.tmp("")
os.environ["EDGE_SOCKDIR"] = sockdir.rstrip("/")

srv_mp = T.Server("app-mptcp", ("127.0.0.1", mp_srv), proto=T.IPPROTO_MPTCP)
srv_tcp = T.Server("app-tcp", ("127.0.0.1", tcp_srv))

cfg = """# an edge proxy the project has never seen
global
    maxconn 500

defaults edge
    mode tcp
    timeout connect 3s
    timeout client  1m
    timeout server  1m

frontend edge-in from edge
    bind 127.0.0.1:%(lo)d-%(hi)d
    bind mptcp4@127.0.0.1:%(mp_in)d
    bind ipv6@[::1]:%(v6_in)d
    bind "unix@${EDGE_SOCKDIR}/edge.sock"
    maxconn 200
    default_backend apps

backend apps from edge
    balance roundrobin
    server app-mptcp mptcp@127.0.0.1:%(mp_srv)d
    server app-tcp   127.0.0.1:%(tcp_srv)d
""" % dict(lo=rng[0], hi=rng[-1], mp_in=mp_in, v6_in=v6_in, mp_srv=mp_srv,
           tcp_srv=tcp_srv)

plan = T.compile_cfg(cfg, "edge.cfg")
plan2 = T.compile_cfg(cfg, "edge.cfg", T.tmp("again.plan"))
T.check(open(plan, "rb").read() == open(plan2, "rb").read(),
        "two compilations give identical bytes")

run = T.Cfgrun(plan)
entries = [("range port %d" % p, ("127.0.0.1", p), socket.AF_INET, False) for p in rng]
entries += [("mptcp4@ listener", ("127.0.0.1", mp_in), socket.AF_INET, True),
            ("IPv6 listener", ("::1", v6_in), socket.AF_INET6, False),
            ("unix listener", os.path.join(sockdir, "edge.sock"), socket.AF_UNIX, False)]

seen = []
for label, addr, fam, want_mp in entries:
    for k in range(2):             # two connections per entry: both servers
        payload = ("%s #%d\n" % (label, k)).encode() * 300
        proto = T.IPPROTO_MPTCP if fam != socket.AF_UNIX else 0
        reply, cli_mp = T.exchange(addr, payload, fam, proto)
        name, srv_mp_flag, echo = T.greeting(reply)
        seen.append(name)
        T.check(echo == payload, "%s #%d: %d bytes both ways via %s" % (label, k, len(payload), name))
        if fam != socket.AF_UNIX:
            T.check(cli_mp == want_mp, "%s: client hop %s" % (label, "MPTCP" if want_mp else "TCP"))
        T.check(srv_mp_flag == (name == "app-mptcp"),
                "%s: server hop to %s is %s" % (label, name, "MPTCP" if name == "app-mptcp" else "TCP"))

T.check(seen == ["app-mptcp", "app-tcp"] * len(entries),
        "round robin alternates over the two servers: %s" % seen)
lines = run.wait_logs(len(seen))
T.check(len(lines) == len(seen) and all(" -- " in l for l in lines),
        "%d connections, %d log lines, all normal ends" % (len(seen), len(lines)))
rc, took = run.stop()
T.check(rc == 0 and took < 1.0, "SIGTERM: exit 0 in %.3fs" % took)
T.done()
