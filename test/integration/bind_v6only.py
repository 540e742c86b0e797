#!/usr/bin/python3
"""bind options v4v6 and v6only on a wildcard IPv6 listener: v6only takes
IPv6 clients only (an IPv4 client is refused by the kernel), v4v6 takes
IPv4 clients too, whatever the host's default (net.ipv6.bindv6only)."""
import os
import socket
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

if not T.have_ipv6():
    T.skip("no IPv6 loopback here")
p_only, p_both, ps = T.free_ports(3)
srv = T.Server("app", ("127.0.0.1", ps))
plan = T.compile_cfg("""
defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend only6
    bind [::]:%d v6only
    default_backend app
frontend both
    bind [::]:%d v6only v4v6
    default_backend app
backend app
    server s 127.0.0.1:%d
""" % (p_only, p_both, ps))
run = T.Cfgrun(plan)


def reaches(host, port):
    """The server's name through cfgrun, or None when refused."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        s, name = T.hold((host, port), family=family)
    except OSError:
        return None
    s.close()
    return name


T.check(reaches("::1", p_only) == "app", "v6only: an IPv6 client is served")
T.check(reaches("127.0.0.1", p_only) is None,
        "v6only: an IPv4 client is refused")
T.check(reaches("127.0.0.1", p_both) == "app",
        "v4v6 (after v6only: the last wins): an IPv4 client is served")
T.check(reaches("::1", p_both) == "app", "v4v6: an IPv6 client is served")
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
