#!/usr/bin/python3
"""balance leastconn counts what HAProxy counts (issue 11): two clients
hold connections on server A (slow to answer), a third holds an idle,
half-closed one on server B; then short connections, each ending when the
client has read the server's close, must all go to B (A has 2, B has 1,
and 2 while one runs). HAProxy 2.6.12 sends all of them to B.

Before, cfgrun gave the client its FIN (closing the client socket) before
the server stopped counting, so a client reconnecting at once, accepted by
the other thread, could be balanced while B still counted the connection
that had just ended: A and B tied at 2 and 3 or 4 of 100 went to A, each
waiting behind its slow replies (4 runs of 4 failed; 4 of 4 pass now)."""
import os
import socket
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

SHORT = 100
b_first_eof = threading.Event()
b_conns = []


def serve_a(c):
    """A: greets, echoes each chunk after 0.2 s, closes at EOF."""
    c.sendall(b"A mptcp=0\n")
    while True:
        d = c.recv(65536)
        if not d:
            break
        time.sleep(0.2)
        c.sendall(d)
    c.shutdown(socket.SHUT_WR)


def serve_b(c):
    """B: greets and echoes; its first connection stays open after the
    client's FIN (idle, half-closed), the others close at EOF."""
    b_conns.append(c)
    first = len(b_conns) == 1
    c.sendall(b"B mptcp=0\n")
    while True:
        d = c.recv(65536)
        if not d:
            break
        c.sendall(d)
    if first:
        b_first_eof.set()
        while not stop.is_set():
            stop.wait(0.1)
    else:
        c.shutdown(socket.SHUT_WR)


stop = threading.Event()
pa, pb = T.free_ports(2)
A = T.Server("A", ("127.0.0.1", pa), greet=False, handler=serve_a)
B = T.Server("B", ("127.0.0.1", pb), greet=False, handler=serve_b)
fe = T.free_port()
plan = T.compile_cfg("""
global
    nbthread 2
defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s
listen lc
    bind 127.0.0.1:%d
    balance leastconn
    server A 127.0.0.1:%d
    server B 127.0.0.1:%d
""" % (fe, pa, pb))
run = T.Cfgrun(plan)
addr = ("127.0.0.1", fe)

# Ties go round robin from an empty start: A, B, A.
held = [T.hold(addr) for _ in range(3)]
names = [n for _, n in held]
T.check(names == ["A", "B", "A"], "three held connections: %s" % names)
for s, n in held:
    if n == "B":
        s.shutdown(socket.SHUT_WR)
T.check(b_first_eof.wait(T.TIMEOUT), "B saw the held client's FIN")

got = []
for _ in range(SHORT):
    s, n = T.hold(addr)
    echo = b""
    if n:
        s.sendall(b"x")
        echo = s.recv(1)
        s.shutdown(socket.SHUT_WR)
        echo += T.recv_all(s)       # up to the server's close
    s.close()
    got.append(n)
    if echo != b"x":
        T.check(False, "short connection to %s echoed %r" % (n, echo))
        break
T.check(got.count("B") == SHORT,
        "leastconn sends every short connection to B: %d of %d (%s)" %
        (got.count("B"), len(got), "".join(n or "-" for n in got)))
stop.set()
for s, _ in held:
    s.close()
rc, _ = run.stop()
T.check(rc == 0, "cfgrun exits 0 on SIGTERM: %s" % rc)
T.done()
