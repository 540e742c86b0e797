#!/usr/bin/python3
"""Half-close both ways: a FIN from one side reaches the other after the
data, and the opposite direction keeps flowing until it ends too."""
import os
import socket
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

REPLY = os.urandom(300 * 1024)
seen = {}


def reply_after_eof(c):
    """Read the whole request up to the client's FIN, wait, then answer."""
    req = T.recv_all(c)
    seen["request"] = req
    time.sleep(0.3)
    c.sendall(REPLY)
    c.shutdown(socket.SHUT_WR)


def fin_first(c):
    """Send a greeting and FIN at once, then keep reading the client."""
    c.sendall(b"bye early\n")
    c.shutdown(socket.SHUT_WR)
    seen["late"] = T.recv_all(c)


fe1, fe2, sp1, sp2 = (T.free_port() for _ in range(4))
s1 = T.Server("a", ("127.0.0.1", sp1), handler=reply_after_eof)
s2 = T.Server("b", ("127.0.0.1", sp2), handler=fin_first)
plan = T.compile_cfg("""
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
listen client_fin
    bind 127.0.0.1:%d
    server a 127.0.0.1:%d
listen server_fin
    bind 127.0.0.1:%d
    server b 127.0.0.1:%d
""" % (fe1, sp1, fe2, sp2))
run = T.Cfgrun(plan)

# 1. The client sends and shuts its write side; the reply still arrives.
req = os.urandom(50 * 1024)
s = T.connect(("127.0.0.1", fe1))
s.sendall(req)
s.shutdown(socket.SHUT_WR)
got = T.recv_all(s)
s.close()
T.check(seen.get("request") == req, "server got the whole request, then EOF")
T.check(T.sha256(got) == T.sha256(REPLY),
        "client got the whole %d-byte reply after its own FIN" % len(REPLY))

# 2. The server says goodbye first; the client can still send.
s = T.connect(("127.0.0.1", fe2))
first = T.recv_all(s)
T.check(first == b"bye early\n", "client got the server's data then EOF")
late = b"still talking after your FIN\n" * 1000
s.sendall(late)
s.shutdown(socket.SHUT_WR)
rest = T.recv_all(s)
s.close()
deadline = time.monotonic() + T.TIMEOUT
while "late" not in seen and time.monotonic() < deadline:
    time.sleep(0.02)
T.check(seen.get("late") == late,
        "server received %d bytes sent after its FIN" % len(seen.get("late", b"")))
T.check(rest == b"", "nothing more after EOF")

lines = run.wait_logs(2)
T.check(len(lines) == 2 and all(" -- " in l for l in lines),
        "both connections logged as normal ends: %s" % lines)
T.check(any(" %d -- " % len(REPLY) in l for l in lines),
        "log counts the %d bytes sent to the client" % len(REPLY))
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
