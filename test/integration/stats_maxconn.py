#!/usr/bin/python3
"""Stats socket `set maxconn frontend|global` and `disable|enable frontend`
(level admin), answers as HAProxy 2.6 gives them: a lowered limit leaves
new clients waiting in the kernel's backlog until it is raised again; a
disabled frontend accepts nothing (show stat says STOP) until enabled."""
import os
import socket
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

fe, ps = T.free_ports(2)
srv = T.Server("app", ("127.0.0.1", ps))
sock = T.tmp("admin.sock")
plan = T.compile_cfg("""
global
    stats socket %s level admin
defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s
frontend fe
    bind 127.0.0.1:%d
    maxconn 100
    default_backend be
backend be
    server s 127.0.0.1:%d
""" % (sock, fe, ps))
run = T.Cfgrun(plan)


def cmd(c):
    return T.stats_cmd(sock, c)


def pending():
    """A client connected (the kernel's backlog takes it) but not served
    yet: the socket, to poll with greeted()."""
    s = socket.create_connection(("127.0.0.1", fe), timeout=T.TIMEOUT)
    s.setblocking(False)
    return s


def greeted(s):
    try:
        return bool(s.recv(64))
    except BlockingIOError:
        return False


def not_greeted_for(s, seconds=0.4):
    """True when s gets nothing for `seconds` (a bound on a negative)."""
    return not T.wait_until(lambda: greeted(s), timeout=seconds)


held = [T.hold(("127.0.0.1", fe))[0] for _ in range(3)]
T.check(cmd("set maxconn frontend fe 3").strip() == "", "set maxconn frontend answers an empty line")
w = pending()
T.check(not_greeted_for(w), "at the lowered limit a fourth client waits")
T.check(cmd("set maxconn frontend fe 10").strip() == "", "raised again")
T.check(T.wait_until(lambda: greeted(w)), "the waiting client is served once the limit is raised")
w.close()
T.check(cmd("set maxconn frontend nope 1") == "No such frontend.\n\n", "unknown frontend")
T.check(cmd("set maxconn frontend") == "A frontend name is expected.\n\n", "no frontend name")
T.check(cmd("set maxconn global 999999999") == "Value out of range.\n\n",
        "above the start-up maxconn: out of range")
T.check(cmd("set maxconn global 3").strip() == "", "set maxconn global")
w = pending()
T.check(not_greeted_for(w), "at the global limit a fourth client waits")
T.check(cmd("set maxconn global 0").strip() == "", "0 goes back to the start-up value")
T.check(T.wait_until(lambda: greeted(w)), "and the waiting client is served")
w.close()

T.check(cmd("disable frontend fe").strip() == "", "disable frontend")
T.check(cmd("disable frontend fe") == "All sockets are already disabled.\n\n",
        "twice: HAProxy's answer")
stat = cmd("show stat")
T.check(any(l.startswith("fe,FRONTEND,") and ",STOP," in l for l in stat.splitlines()),
        "show stat says STOP")
w = pending()
T.check(not_greeted_for(w), "a disabled frontend serves nobody")
T.check(cmd("enable frontend fe").strip() == "", "enable frontend")
T.check(cmd("enable frontend fe") == "All sockets are already enabled.\n\n", "twice")
T.check(T.wait_until(lambda: greeted(w)), "the waiting client is served")
w.close()
for s in held:
    s.close()
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
