#!/usr/bin/python3
"""A server killed while a stream is queued (two servers, maxconn 1,
`option redispatch`): the stream that gets its freed slot before its
checks notice fails to connect and is redispatched, not back to the dead
server (HAProxy picks another server than the last one): it waits for B's
slot in the backend's queue and is served by B instead of failing."""
import os
import socket
import sys
import threading

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

pa, pb, fe = T.free_ports(3)
conns = []


def keep(c):
    """Greet, then hold the connection until the test kills the server."""
    conns.append(c)
    c.sendall(b"A mptcp=0\n")
    threading.Event().wait(30)


a = T.Server("A", ("127.0.0.1", pa), handler=keep)
b = T.Server("B", ("127.0.0.1", pb))
plan = T.compile_cfg("""
defaults
    timeout connect 500ms
    timeout client 20s
    timeout server 20s
    timeout queue 8s
    retries 3
    option redispatch
listen kill
    bind 127.0.0.1:%d
    balance roundrobin
    server A 127.0.0.1:%d maxconn 1 check inter 2s fall 1 rise 1
    server B 127.0.0.1:%d maxconn 1 check inter 2s fall 1 rise 1
""" % (fe, pa, pb), "kill.cfg")
run = T.Cfgrun(plan)

# One after the other: with several threads, two connections made at once
# may reach the balancer in either order.
c1 = T.client(fe)
g1 = T.greeted(c1)
c2 = T.client(fe)
T.check((g1, T.greeted(c2)) == ("A", "B"), "A and B take one stream each")
c3 = T.client(fe)
T.check(T.greeted(c3, 0.3) is None, "third stream queued")
# Kill A: no more listener, its connections reset.
a.close()


def refused():
    try:
        T.connect(("127.0.0.1", pa), timeout=0.5).close()
        return False
    except OSError:
        return True


T.check(T.wait_until(refused), "A's port refuses connections")
for c in conns:
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
    c.close()
T.check(T.greeted(c1, 1.0) is None, "A's stream ends with A")
c1.close()
T.check(T.greeted(c3, 0.5) is None, "the queued stream waits for B")
c2.close()
T.check(T.greeted(c3) == "B", "the queued stream is served by B")
c3.close()
lines = run.wait_logs(3)
T.check(not any(" sQ " in l or " SC " in l for l in lines),
        "no queue timeout, no connection failure: %s" % lines)

rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
