#!/usr/bin/python3
"""State across a reload: a server disabled or re-weighted through the
stats socket, its UP/DOWN state with its health and clocks, and its
counters, and an address set with `set server addr` stay as they were
across SIGHUP when the server is unchanged in the new plan; a server whose configuration changed starts from the new
plan, a new one from scratch."""
import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

ports = T.free_ports(3)
# greetings: A (s1's port), B (s2's), C (s4's, then s1's)
servers = [T.Server(n, ("127.0.0.1", p)) for n, p in zip("ABC", ports)]
dead = T.dead_port()            # nothing listens there
fe = T.free_port()
sock = T.tmp("state.sock")
CFG = """
global
    stats socket %s level admin
defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend front
    bind 127.0.0.1:%d
    default_backend back
backend back
    balance roundrobin
    server s1 127.0.0.1:%%d weight 10
    server s2 127.0.0.1:%d weight 10
    server s3 127.0.0.1:%d check inter 300 fall 1 rise 1
%%s""" % (sock, fe, ports[1], dead)
plan = T.compile_cfg(CFG % (ports[0], ""), "state.cfg")
run = T.Cfgrun(plan)


def rows():
    return T.stat_rows(sock)


def srv(name):
    return rows()[("back", name)]


def served(n):
    out = []
    for _ in range(n):
        reply, _ = T.exchange(("127.0.0.1", fe), b"x")
        out.append(T.greeting(reply)[0])
    return out


def reload(text):
    T.compile_cfg(text, "state.cfg", out=plan)
    T.check(run.reload(), "the reload is done")


# -- changes through the socket, traffic, a server going DOWN
T.check(T.wait_until(lambda: srv("s3")["status"].startswith("DOWN")),
        "s3 (nothing listens) goes DOWN")
T.stats_cmd(sock, "disable server back/s1")
T.stats_cmd(sock, "set weight back/s2 5")
T.check(set(served(6)) == {"B"}, "only s2 serves: s1 in maintenance, s3 down")
T.check(T.wait_until(lambda: srv("s2")["scur"] == "0"), "the connections ended")
before = srv("s2")
T.check(before["stot"] == "6" and before["weight"] == "5",
        "s2 counted 6 sessions at weight 5 (%s, %s)" % (before["stot"], before["weight"]))
T.check(T.wait_until(lambda: int(srv("s3")["lastchg"]) >= 2),
        "s3's last change is 2 s old")

# -- reload: the same servers and a new one
reload(CFG % (ports[0], "    server s4 127.0.0.1:%d\n" % ports[2]))
r = rows()
T.check(r[("back", "s1")]["status"] == "MAINT", "s1 is still in maintenance (%s)" % r[("back", "s1")]["status"])
T.check(r[("back", "s2")]["weight"] == "5", "s2 keeps weight 5 (%s)" % r[("back", "s2")]["weight"])
T.check(r[("back", "s2")]["stot"] == "6", "s2 keeps its counters (stot %s)" % r[("back", "s2")]["stot"])
T.check(r[("back", "s3")]["status"].startswith("DOWN") and int(r[("back", "s3")]["lastchg"]) >= 2,
        "s3 is still DOWN since before the reload (%s, lastchg %s)"
        % (r[("back", "s3")]["status"], r[("back", "s3")]["lastchg"]))
T.check(r[("back", "s4")]["status"] == "no check" and r[("back", "s4")]["stot"] == "0",
        "the new s4 starts in service with no sessions (%s)" % r[("back", "s4")]["status"])
T.check(r[("back", "BACKEND")]["status"] == "UP", "the backend is UP")
T.check("2 unchanged servers keep" in run.stderr() or "3 unchanged servers keep" in run.stderr(),
        "the reload says which servers kept their state")
got = served(6)
T.check(set(got) == {"B", "C"},
        "traffic follows the kept states: %s" % got)

# -- reload with s1 changed (another port): the plan's state again
reload(CFG % (ports[2], ""))
r = rows()
T.check(r[("back", "s1")]["status"] == "no check", "s1 changed in the plan: READY again (%s)" % r[("back", "s1")]["status"])
want = str(6 + got.count("B"))
T.check(r[("back", "s2")]["weight"] == "5" and r[("back", "s2")]["stot"] == want,
        "s2 unchanged: weight 5, %s sessions (%s, %s)" % (want, r[("back", "s2")]["weight"], r[("back", "s2")]["stot"]))
T.check(("back", "s4") not in r, "s4 is gone")

# -- an address set on the socket stays while the server is unchanged
A = "127.0.0.1:%d" % ports[0]
T.stats_cmd(sock, "set server back/s2 addr 127.0.0.1 port %d" % ports[0])
T.stats_cmd(sock, "set server back/s1 addr 127.0.0.1 port %d" % ports[0])
T.check(srv("s2")["addr"] == A and srv("s1")["addr"] == A,
        "both servers moved to A's address (%s, %s)" % (srv("s2")["addr"], srv("s1")["addr"]))
reload(CFG % (ports[1], ""))        # s1 changed (another port), s2 not
r = rows()
T.check(r[("back", "s2")]["addr"] == A,
        "s2 unchanged: keeps the address set on the socket (%s)" % r[("back", "s2")]["addr"])
T.check(r[("back", "s1")]["addr"] == "127.0.0.1:%d" % ports[1],
        "s1 changed in the plan: the plan's address (%s)" % r[("back", "s1")]["addr"])
T.stats_cmd(sock, "disable server back/s1")
got = served(4)
T.check(set(got) == {"A"}, "s2's traffic goes to the address kept (%s)" % got)
reload(CFG % (ports[1], ""))        # a second reload keeps it too
T.check(srv("s2")["addr"] == A, "and over a second reload (%s)" % srv("s2")["addr"])
run.stop()
for s in servers:
    s.close()
T.done()
