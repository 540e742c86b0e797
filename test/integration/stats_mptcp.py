#!/usr/bin/python3
"""MPTCP really used or fallen back, counted per frontend and server:
`show stat` has mptcp_conn and mptcp_fallback at the end of each row of an
MPTCP listener or server (empty for plain TCP ones), and the log line
says mptcp=C/S for the client and server sides."""
import os
import socket
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

why = T.mptcp_state()
if why:
    T.skip(why)
mp_srv, tcp_srv = T.free_ports(2)
servers = [T.Server("m", ("127.0.0.1", mp_srv), proto=T.IPPROTO_MPTCP),
           T.Server("t", ("127.0.0.1", tcp_srv))]
fe, fe_tcp = T.free_ports(2)
sock = T.tmp("mp.sock")
plan = T.compile_cfg("""
global
    stats socket %s level admin
defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s
listen mp
    bind mptcp@127.0.0.1:%d
    server m mptcp@127.0.0.1:%d
listen plain
    bind 127.0.0.1:%d
    server t 127.0.0.1:%d
""" % (sock, fe, mp_srv, fe_tcp, tcp_srv), "mp.cfg")
run = T.Cfgrun(plan)

# 3 MPTCP clients, 2 plain TCP clients on the MPTCP listener.
for proto in (T.IPPROTO_MPTCP,) * 3 + (0,) * 2:
    reply, mp = T.exchange(("127.0.0.1", fe), b"x", proto=proto)
    T.check(T.greeting(reply)[0] == "m", "served (client mptcp=%s)" % mp)
T.exchange(("127.0.0.1", fe_tcp), b"y")

c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c.settimeout(T.TIMEOUT)
c.connect(sock)
c.sendall(b"show stat\n")
lines = [l for l in T.recv_all(c).decode().splitlines() if l]
c.close()
head = lines[0][2:].rstrip(",").split(",")
rows = {}
for l in lines[1:]:
    f = l.split(",")
    rows[(f[0], f[1])] = dict(zip(head, f))
fr = rows[("mp", "FRONTEND")]
T.check((fr["mptcp_conn"], fr["mptcp_fallback"]) == ("3", "2"),
        "MPTCP frontend: 3 really MPTCP, 2 fell back (%s/%s)" % (fr["mptcp_conn"], fr["mptcp_fallback"]))
sr = rows[("mp", "m")]
T.check((sr["mptcp_conn"], sr["mptcp_fallback"]) == ("5", "0"),
        "MPTCP server: 5 MPTCP connections (%s/%s)" % (sr["mptcp_conn"], sr["mptcp_fallback"]))
T.check(rows[("mp", "BACKEND")]["mptcp_conn"] == "5", "backend sums its servers")
T.check(rows[("plain", "FRONTEND")]["mptcp_conn"] == "" and rows[("plain", "t")]["mptcp_conn"] == "",
        "plain TCP rows leave the MPTCP columns empty")
lines = run.wait_logs(6)
mp_lines = [l for l in lines if " mp mp/m " in l]
T.check(sum(" mptcp=1/1 " in l + " " for l in mp_lines) == 3 and
        sum(" mptcp=0/1 " in l + " " for l in mp_lines) == 2,
        "log lines say mptcp=1/1 (3) and mptcp=0/1 (2): %s" % [l.split(" 0/0")[-1] for l in mp_lines])
T.check(all("mptcp=" not in l for l in lines if " plain " in l), "plain TCP log lines unchanged")
rc, _ = run.stop()
T.check(rc == 0, "exit 0")
for s in servers:
    s.close()
T.done()
