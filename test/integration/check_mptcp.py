#!/usr/bin/python3
"""Health checks of an MPTCP server go over MPTCP (the test server sees
MPTCP_INFO answer on the check connections), with `port` sending them to
another MPTCP port; a plain server is checked over plain TCP."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

why = T.mptcp_state()
if why:
    T.skip(why)

p_mp, p_mpchk, p_tcp = T.free_ports(3)
srv_mp = T.Server("mp", ("127.0.0.1", p_mp), proto=T.IPPROTO_MPTCP)
chk_mp = T.Server("mpchk", ("127.0.0.1", p_mpchk), proto=T.IPPROTO_MPTCP)
srv_tcp = T.Server("tcp", ("127.0.0.1", p_tcp))
fe = T.free_port()
plan = T.compile_cfg("""
defaults
    timeout connect 1s
    timeout client 10s
    timeout server 10s
listen be
    bind 127.0.0.1:%d
    server m1 mptcp4@127.0.0.1:%d check inter 100 port %d
    server t1 127.0.0.1:%d check inter 100
""" % (fe, p_mp, p_mpchk, p_tcp))
run = T.Cfgrun(plan)

T.check(T.wait_until(lambda: len(chk_mp.mptcp_seen) >= 3 and
                     len(srv_tcp.mptcp_seen) >= 3),
        "checks reached the check port and the TCP server")
T.check(srv_mp.accepted == 0, "the check `port` keeps checks off the data port")
T.check(all(chk_mp.mptcp_seen), "MPTCP server checked over MPTCP: %s"
        % chk_mp.mptcp_seen[:5])
T.check(not any(srv_tcp.mptcp_seen), "TCP server checked over TCP: %s"
        % srv_tcp.mptcp_seen[:5])
chk_mp.close()
m = run.wait_for(r"Server be/m1 is DOWN, reason: Layer4 connection problem")
T.check(m is not None, "the check port closed takes m1 DOWN")
seq = T.server_names(("127.0.0.1", fe), 4)
T.check(seq == ["tcp"] * 4, "no traffic to the DOWN MPTCP server: %s" % seq)

rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
