#!/usr/bin/python3
"""Dynamic server limits (server minconn, backend fullconn): a server with
`minconn 2 maxconn 4` in a backend whose fullconn is 8 accepts 2
connections while the backend is lightly loaded (a third waits in the
queue although maxconn is 4), and 4 once the backend carries fullconn
connections or more. fullconn is given, or HAProxy's default: a tenth of
the maxconn of the frontends that may use the backend (a listen section
itself, default_backend and use_backend rules, each frontend once).
Concurrency is counted at the server itself."""
import os
import socket
import sys
import threading

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T


class Counting:
    """A server greeting with its name, echoing, and counting the
    connections open at it now."""

    def __init__(self, name, port):
        self.live = 0
        self.lock = threading.Lock()
        self.srv = T.Server(name, ("127.0.0.1", port), handler=self._serve)
        self.name = name

    def _serve(self, c):
        with self.lock:
            self.live += 1
        try:
            c.sendall(("%s mptcp=0\n" % self.name).encode())
            while c.recv(4096):
                pass
        except OSError:
            pass
        finally:
            with self.lock:
                self.live -= 1


pa, pb, pc = T.free_ports(3)
fa, fb, fc, fc2 = T.free_ports(4)
srv = {"A": Counting("A", pa), "B": Counting("B", pb), "C": Counting("C", pc)}
sock = T.tmp("stats.sock")
plan = T.compile_cfg("""
global
    stats socket %(sock)s
defaults
    timeout connect 2s
    timeout client 20s
    timeout server 20s
    timeout queue 20s
listen given
    bind 127.0.0.1:%(fa)d
    fullconn 8
    server A 127.0.0.1:%(pa)d minconn 2 maxconn 4
listen self
    bind 127.0.0.1:%(fb)d
    maxconn 80
    server B 127.0.0.1:%(pb)d minconn 2 maxconn 4
frontend f1
    bind 127.0.0.1:%(fc)d
    maxconn 40
    default_backend rules
frontend f2
    bind 127.0.0.1:%(fc2)d
    maxconn 40
    use_backend rules if TRUE
    use_backend rules
backend rules
    server C 127.0.0.1:%(pc)d minconn 2 maxconn 4
""" % dict(sock=sock, fa=fa, fb=fb, fc=fc, fc2=fc2, pa=pa, pb=pb, pc=pc), "minconn.cfg")
run = T.Cfgrun(plan)


def beconn(be):
    """The backend's current connections (show stat scur)."""
    return int(T.stat_rows(sock)[(be, "BACKEND")]["scur"])


label_be = {"fullconn 8": "given", "listen maxconn 80": "self"}


def scenario(label, port, s):
    # light load: 3 connections on the backend, limit max(2, 3*4/8) = 2
    held = [T.client(port) for _ in range(2)]
    T.check([T.greeted(c) for c in held] == [s.name] * 2,
            "%s: two connections served" % label)
    third = T.client(port)
    T.check(T.greeted(third, 0.5) is None,
            "%s: a third waits at minconn although maxconn is 4" % label)
    T.check(s.live == 2, "%s: 2 connections at the server (%d)"
            % (label, s.live))
    held.append(third)
    # full load: 9 connections (>= fullconn 8), the limit is maxconn 4
    held += [T.client(port) for _ in range(6)]
    be = label_be[label]
    T.check(T.wait_until(lambda: beconn(be) == 9),
            "%s: 9 connections on the backend" % label)
    held.pop(0).close()
    T.check(T.wait_until(lambda: s.live == 4), "%s: at full load the server "
            "takes 4 connections (%d)" % (label, s.live))
    waiting = [c for c in held[1:] if T.greeted(c, 0.05) is None]
    T.check(len(waiting) >= 4, "%s: the others still wait (%d)"
            % (label, len(waiting)))
    T.check(T.greeted(waiting[0], 0.5) is None and s.live == 4,
            "%s: never above maxconn (%d)" % (label, s.live))
    for c in held:
        c.close()
    T.check(T.wait_until(lambda: s.live == 0), "%s: all closed" % label)


scenario("fullconn 8", fa, srv["A"])
scenario("listen maxconn 80", fb, srv["B"])


def mixed(label):
    """The same through two frontends (maxconn 40 each, default_backend
    and twice use_backend: fullconn 8): 3 connections then 9."""
    s = srv["C"]
    held = [T.client(fc), T.client(fc2)]
    T.check(sorted(T.greeted(c) for c in held) == ["C", "C"],
            "%s: two connections served" % label)
    third = T.client(fc)
    T.check(T.greeted(third, 0.5) is None and s.live == 2,
            "%s: a third waits at minconn (%d)" % (label, s.live))
    held.append(third)
    held += [T.client((fc, fc2)[i % 2]) for i in range(6)]
    T.check(T.wait_until(lambda: beconn("rules") == 9),
            "%s: 9 connections on the backend" % label)
    held.pop(0).close()
    T.check(T.wait_until(lambda: s.live == 4),
            "%s: 4 connections at full load (%d)" % (label, s.live))
    for c in held:
        c.close()
    T.check(T.wait_until(lambda: s.live == 0), "%s: all closed" % label)


mixed("two frontends")
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
