#!/usr/bin/python3
"""`show stat` fills qcur and qmax from the queues: a backend row counts
the streams in the backend's queue (every server full), a server row
those queued on that server (hash balancing), qmax keeps the highest."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

pa, pb, fe1, fe2 = T.free_ports(4)
T.Server("A", ("127.0.0.1", pa))
T.Server("B", ("127.0.0.1", pb))
sock = T.tmp("admin.sock")
plan = T.compile_cfg("""
global
    stats socket %s level admin
defaults
    timeout connect 1s
    timeout client 20s
    timeout server 20s
    timeout queue 8s
listen rr
    bind 127.0.0.1:%d
    server A 127.0.0.1:%d maxconn 1
listen src
    bind 127.0.0.1:%d
    balance source
    server A 127.0.0.1:%d maxconn 1
    server B 127.0.0.1:%d maxconn 1
""" % (sock, fe1, pa, fe2, pa, pb), "statq.cfg")
run = T.Cfgrun(plan)


def q(px, sv):
    r = T.stat_rows(sock)[(px, sv)]
    return r["qcur"], r["qmax"]


T.check(q("rr", "BACKEND") == ("0", "0"), "idle backend: qcur 0, qmax 0")

# Backend queue: A holds one stream, two more wait.
c1 = T.client(fe1)
T.check(T.greeted(c1) == "A", "rr: first stream served")
# One at a time: with several threads, two connections made at once may
# reach the queue in either order.
c2 = T.client(fe1)
T.wait_until(lambda: q("rr", "BACKEND")[0] == "1")
c3 = T.client(fe1)
T.wait_until(lambda: q("rr", "BACKEND")[0] == "2")
T.check(q("rr", "BACKEND") == ("2", "2"), "rr: backend qcur 2, qmax 2 (%s)"
        % (q("rr", "BACKEND"),))
T.check(q("rr", "A") == ("0", "0"), "rr: nothing queued on A itself")
c1.close()
T.check(T.greeted(c2) == "A", "rr: second stream served")
T.check(q("rr", "BACKEND") == ("1", "2"), "rr: qcur 1, qmax stays 2 (%s)"
        % (q("rr", "BACKEND"),))
c2.close()
T.check(T.greeted(c3) == "A", "rr: third stream served")
T.check(q("rr", "BACKEND") == ("0", "2"), "rr: qcur back to 0")
c3.close()

# Server queue: source hashing puts every local client on one server.
c1 = T.client(fe2)
x = T.greeted(c1)
c2 = T.client(fe2)
T.wait_until(lambda: q("src", x)[0] == "1")
T.check(q("src", x) == ("1", "1"), "src: qcur 1, qmax 1 on %s (%s)"
        % (x, q("src", x)))
T.check(q("src", "BACKEND") == ("0", "0"), "src: backend queue empty")
c1.close()
T.check(T.greeted(c2) == x, "src: queued stream served by %s" % x)
T.check(q("src", x) == ("0", "1"), "src: qcur 0, qmax 1")
c2.close()

rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
