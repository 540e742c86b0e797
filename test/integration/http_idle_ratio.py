#!/usr/bin/python3
"""Idle server connections are bounded by the descriptor limit, as
HAProxy's tune.pool-low-fd-ratio (20%) and pool-high-fd-ratio (25%) bound
them: with `ulimit-n 300`, 90 keep-alive clients that each made one
request and stay open leave at most 60 server connections open behind
them (before: one per client, 90), and every client can still send its
next request (a new server connection where its own was not kept)."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

NCLI = 90
LOW = 300 // 5

be_p, fe_p = T.free_ports(2)
origin = H.Origin(("127.0.0.1", be_p))
CFG = """
global
    ulimit-n 300
    maxconn 100
    nbthread 1
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout http-keep-alive 30s
frontend fe
    bind 127.0.0.1:%d
    default_backend be
backend be
    server s 127.0.0.1:%d
""" % (fe_p, be_p)
plan = T.compile_cfg(CFG, "idle_ratio.cfg")
run = T.Cfgrun(plan)


def server_conns():
    """Established connections to the origin (cfgrun's side of them)."""
    n = 0
    for path in ("/proc/%d/net/tcp" % run.proc.pid,):
        with open(path) as f:
            next(f)
            for line in f:
                c = line.split()
                if c[3] == "01" and int(c[2].split(":")[1], 16) == be_p:
                    n += 1
    return n


def get(s):
    s.sendall(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n")
    st, _, body = H.recv_response(s)
    return st, body


clients = []
for i in range(NCLI):
    s = H.connect(fe_p)
    st, body = get(s)
    T.check(st == 200 and body == b"hello", "client %d: first request answered" % i)
    clients.append(s)

n = server_conns()
T.log("%d idle clients keep %d server connections open (limit %d)" % (NCLI, n, LOW))
T.check(1 <= n <= LOW + 1,
        "server connections kept idle stay within 20%% of ulimit-n (%d <= %d)" % (n, LOW + 1))
T.check(origin.conns < NCLI + 1 and n < NCLI,
        "some clients kept their server connection (%d opened for %d clients)" % (origin.conns, NCLI))

for i, s in enumerate(clients):
    st, body = get(s)
    T.check(st == 200 and body == b"hello", "client %d: second request answered" % i)
T.check(T.wait_until(lambda: server_conns() <= LOW + 1),
        "after the second round, still within the bound (%d)" % server_conns())
for s in clients:
    s.close()
run.stop()
origin.close()
T.done()
