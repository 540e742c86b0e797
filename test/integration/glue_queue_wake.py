#!/usr/bin/python3
"""Server state changes move queued streams, as HAProxy: a server coming
back (stats socket `enable server`, `set server ... state ready`, or its
checks saying UP) takes streams waiting in its backend's queue at once; a
server leaving service hands the streams queued on it back to the
balancer (DOWN with `option redispatch`, or maintenance); the state lines
give the real "requeued" and "in queue" numbers."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

names = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"]
ports = dict(zip(names, T.free_ports(len(names))))
srv = {n: T.Server(n, ("127.0.0.1", ports[n])) for n in names if n != "D"}
fe = dict(zip(["en", "rdy", "chk", "src", "mnt", "nord"], T.free_ports(6)))
sock = T.tmp("admin.sock")
cfg = dict(ports, sock=sock, **{"fe_" + k: v for k, v in fe.items()})
plan = T.compile_cfg("""
global
    stats socket %(sock)s level admin
defaults
    timeout connect 1s
    timeout client 20s
    timeout server 20s
    timeout queue 8s
listen en
    bind 127.0.0.1:%(fe_en)d
    server A 127.0.0.1:%(A)d maxconn 1
    server B 127.0.0.1:%(B)d maxconn 1 disabled
listen rdy
    bind 127.0.0.1:%(fe_rdy)d
    server A 127.0.0.1:%(A)d maxconn 1
    server B 127.0.0.1:%(B)d maxconn 1 disabled
listen chk
    bind 127.0.0.1:%(fe_chk)d
    server C 127.0.0.1:%(C)d maxconn 1
    server D 127.0.0.1:%(D)d maxconn 1 check inter 100 fall 1 rise 1
listen src
    bind 127.0.0.1:%(fe_src)d
    balance source
    option redispatch
    server E 127.0.0.1:%(E)d maxconn 1 check inter 100 fall 1 rise 1
    server F 127.0.0.1:%(F)d maxconn 1 check inter 100 fall 1 rise 1
listen mnt
    bind 127.0.0.1:%(fe_mnt)d
    balance source
    server G 127.0.0.1:%(G)d maxconn 1
    server H 127.0.0.1:%(H)d maxconn 1
listen nord
    bind 127.0.0.1:%(fe_nord)d
    balance source
    server I 127.0.0.1:%(I)d maxconn 1 check inter 100 fall 1 rise 1
    server J 127.0.0.1:%(J)d maxconn 1 check inter 100 fall 1 rise 1
""" % cfg, "wake.cfg")
run = T.Cfgrun(plan)


def seen(pattern):
    """The match of pattern in cfgrun's output within 2 s, else None."""
    try:
        return run.wait_for(pattern, 2.0)
    except RuntimeError:
        return None


def queued_behind(port, n):
    """One stream holding the only usable slot, then n queued ones."""
    first = T.client(port)
    name = T.greeted(first)
    rest, waiting = [], True
    for i in range(n):
        # One at a time: with several threads, connections made at once
        # may reach the queue in either order.
        rest.append(T.client(port))
        waiting = T.greeted(rest[-1], 0.3 if i == 0 else 0.1) is None and waiting
    T.check(waiting, "%d stream(s) queued behind %s" % (n, name))
    return first, name, rest


# 1. enable server: B takes a stream from the backend's queue at once.
first, name, (c2, c3) = queued_behind(fe["en"], 2)
T.check(name == "A", "en: A serves while B is disabled")
T.stats_cmd(sock, "enable server en/B")
T.check(T.greeted(c2, 1.0) == "B", "en: enabled B takes the oldest queued stream")
T.check(T.greeted(c3, 0.3) is None, "en: the next one still waits (B maxconn 1)")
T.check(seen(r"Server en/B is UP \(leaving forced maintenance\)\. "
                     r"2 active and 0 backup servers online\. "
                     r"1 sessions requeued, 0 total in queue\."),
        "en: the UP line counts the stream B took")
for c in (first, c2, c3):
    c.close()

# 2. set server ... state ready: the same.
first, name, (c2,) = queued_behind(fe["rdy"], 1)
T.stats_cmd(sock, "set server rdy/B state ready")
T.check(T.greeted(c2, 1.0) == "B", "ready: B takes the queued stream at once")
first.close()
c2.close()

# 3. D comes UP by its checks: it takes the queued stream at once.
run.wait_for(r"Server chk/D is DOWN")
first, name, (c2,) = queued_behind(fe["chk"], 1)
srv["D"] = T.Server("D", ("127.0.0.1", ports["D"]))
run.wait_for(r"Server chk/D is UP")
T.check(T.greeted(c2, 1.0) == "D", "check UP: D takes the queued stream at once")
T.check(seen(r"Server chk/D is UP, .* 1 sessions requeued, "
                     r"0 total in queue\."),
        "check UP: the line counts it")
first.close()
c2.close()

# 4. DOWN with option redispatch: the streams queued on the server (source
#    hashing sends every local client there) go to the other one.
first, x, (c2, c3) = queued_behind(fe["src"], 2)
y = "F" if x == "E" else "E"
srv[x].close()        # stops listening; its stream stays open
T.check(seen(r"Server src/%s is DOWN, .* 1 sessions active, "
                     r"2 requeued, 0 remaining in queue\." % x),
        "redispatch: DOWN line says 2 requeued, 0 remaining")
T.check(T.greeted(c2, 1.0) == y, "redispatch: first queued stream served by %s" % y)
T.check(T.greeted(c3, 0.3) is None, "redispatch: second waits for %s" % y)
c2.close()
T.check(T.greeted(c3) == y, "redispatch: second served by %s" % y)
for c in (first, c3):
    c.close()

# 5. Maintenance always hands the queued streams back (no redispatch here).
first, x, (c2,) = queued_behind(fe["mnt"], 1)
y = "H" if x == "G" else "G"
T.stats_cmd(sock, "set server mnt/%s state maint" % x)
T.check(seen(r"Server mnt/%s is going DOWN for maintenance\. "
                     r"1 active and 0 backup servers left\. 1 sessions active, "
                     r"1 requeued, 0 remaining in queue\." % x),
        "maint: line says 1 requeued")
T.check(T.greeted(c2, 1.0) == y, "maint: queued stream served by %s" % y)
for c in (first, c2):
    c.close()

# 6. DOWN without redispatch: the streams stay queued on their server (as
#    in HAProxy) and the line says so.
first, x, (c2,) = queued_behind(fe["nord"], 1)
srv[x].close()
T.check(seen(r"Server nord/%s is DOWN, .* 1 sessions active, "
                     r"0 requeued, 1 remaining in queue\." % x),
        "no redispatch: line says 0 requeued, 1 remaining")
T.check(T.greeted(c2, 0.5) is None, "no redispatch: the stream keeps waiting")
for c in (first, c2):
    c.close()

rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
