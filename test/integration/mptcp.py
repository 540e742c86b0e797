#!/usr/bin/python3
"""MPTCP on both hops where asked, TCP where not, verified on the sockets:
getsockopt(SOL_MPTCP, MPTCP_INFO) succeeds only on a real MPTCP connection.
The client checks its socket to cfgrun's listener; the test servers check
the socket cfgrun connected to them and report it in their greeting."""
import os
import socket
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

why = T.mptcp_state()
if why:
    T.skip(why)

mp_in, tcp_in, mix_in = T.free_port(), T.free_port(), T.free_port()
mp_srv, tcp_srv = T.free_port(), T.free_port()
v6 = T.have_ipv6()
mp6_in = T.free_port("::1", socket.AF_INET6) if v6 else 0
bind6 = "    bind mptcp6@[::1]:%d\n" % mp6_in if v6 else ""

srv_mp = T.Server("mp", ("127.0.0.1", mp_srv), proto=T.IPPROTO_MPTCP)
srv_tcp = T.Server("tcp", ("127.0.0.1", tcp_srv))

plan = T.compile_cfg("""
defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend mp_in
    bind mptcp4@127.0.0.1:%(mp_in)d
%(bind6)s    default_backend to_mp

frontend tcp_in
    bind 127.0.0.1:%(tcp_in)d
    default_backend to_mp

listen mix
    bind mptcp@127.0.0.1:%(mix_in)d
    server plain 127.0.0.1:%(tcp_srv)d

backend to_mp
    server m mptcp@127.0.0.1:%(mp_srv)d
""" % locals())

run = T.Cfgrun(plan)
cases = [
    # label, address, family, client proto, client hop MPTCP?, server, server hop MPTCP?
    ("mptcp4@ listener to mptcp@ server", ("127.0.0.1", mp_in), socket.AF_INET,
     T.IPPROTO_MPTCP, True, "mp", True),
    ("TCP listener to mptcp@ server", ("127.0.0.1", tcp_in), socket.AF_INET,
     T.IPPROTO_MPTCP, False, "mp", True),
    ("mptcp@ listener to TCP server", ("127.0.0.1", mix_in), socket.AF_INET,
     T.IPPROTO_MPTCP, True, "tcp", False),
]
if v6:
    cases.append(("mptcp6@ listener to mptcp@ server", ("::1", mp6_in),
                  socket.AF_INET6, T.IPPROTO_MPTCP, True, "mp", True))

for label, addr, fam, proto, want_cli, want_srv, want_srv_mp in cases:
    payload = ("%s\n" % label).encode() * 500
    # The client always asks for MPTCP: only an MPTCP listener can grant it.
    reply, cli_mp = T.exchange(addr, payload, fam, proto)
    name, srv_mp_flag, echo = T.greeting(reply)
    T.check(echo == payload, "%s: bytes both ways (%d)" % (label, len(payload)))
    T.check(name == want_srv, "%s: reached server %s (got %r)" % (label, want_srv, name))
    T.check(cli_mp == want_cli, "%s: client hop MPTCP_INFO %s"
            % (label, "answers" if want_cli else "refused (plain TCP)"))
    T.check(srv_mp_flag == want_srv_mp, "%s: server hop MPTCP_INFO %s"
            % (label, "answers" if want_srv_mp else "refused (plain TCP)"))

rc, _ = run.stop()
T.check(rc == 0, "cfgrun exits 0 on SIGTERM")
T.check("TCP_MAXSEG" not in run.stderr(), "no TCP_MAXSEG warning")
srv_mp.close()
srv_tcp.close()
T.done()
