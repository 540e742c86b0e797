#!/usr/bin/python3
"""Stats socket `set maxconn server B/S N` and `set rate-limit
connections|sessions global N` (level admin), with HAProxy 2.6's answers:
a lowered server limit makes the next clients queue (show stat qcur,
slim) and a raised one lets them in at once; a rate limit caps how many
connections cfgrun accepts per second, measured by polling show info's
CumConns against the clock, and 0 lifts it; a server's limit stays across
a reload that keeps the server as it was, and so does a rate limit; the
configuration's maxconnrate and maxsessrate set the limits (a reload to
the same values keeps what the socket set). enable|disable agent answer
as HAProxy does for a server without an agent check."""
import os
import signal
import socket
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

fe, ps = T.free_ports(2)
srv = T.Server("app", ("127.0.0.1", ps), backlog=128)
sock, user = T.tmp("admin.sock"), T.tmp("user.sock")
CFG = """
global
    nbthread 2
    stats socket %s level admin
    stats socket %s level user
defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout queue 20s
frontend fe
    bind 127.0.0.1:%d
    default_backend be
backend be
    server s 127.0.0.1:%d maxconn 10
""" % (sock, user, fe, ps)
plan = T.compile_cfg(CFG, "limits.cfg")
run = T.Cfgrun(plan)


def cmd(c):
    return T.stats_cmd(sock, c)


def row():
    return T.stat_rows(sock)[("be", "s")]


def queued():
    """Clients waiting: in the server's queue, or in the backend's (the
    balancer finds no server with a free slot)."""
    rows = T.stat_rows(sock)
    return int(rows[("be", "s")]["qcur"]) + int(rows[("be", "BACKEND")]["qcur"])


def pending():
    """A client connected (the kernel's backlog takes it) but not served
    yet: the socket, to poll with T.greeted()."""
    return socket.create_connection(("127.0.0.1", fe), timeout=T.TIMEOUT)


# ---- set maxconn server --------------------------------------------------
T.check(row()["slim"] == "10", "slim is the configured maxconn")
held = [T.hold(("127.0.0.1", fe))[0] for _ in range(2)]
T.check(cmd("set maxconn server be/s 2") == "\n", "set maxconn server answers an empty line")
T.check(row()["slim"] == "2", "show stat's slim follows")
w = pending()
T.check(T.wait_until(lambda: queued() == 1),
        "at the lowered limit a third client queues")
T.check(T.greeted(w, timeout=0.3) is None, "and is not served")
T.check(cmd("set maxconn server be/s 3") == "\n", "raised by one")
T.check(T.greeted(w) == "app", "the queued client is served at once")
T.check(queued() == 0 and row()["scur"] == "3", "queue empty, 3 connections")
w2 = pending()
T.check(T.wait_until(lambda: queued() == 1), "a fourth client queues")
T.check(cmd("set maxconn server be/s 0") == "\n", "0: no limit")
T.check(T.greeted(w2) == "app", "the queued client is served")
for s in held + [w, w2]:
    s.close()
T.check(cmd("set maxconn server be/s x") ==
        "maxconn string empty or preceded by garbage\n", "garbage: HAProxy's answer")
T.check(cmd("set maxconn server be/s 5x") ==
        "Trailing garbage in maxconn string\n", "trailing garbage")
T.check(cmd("set maxconn server be/s") == "Require <maxconn>.\n\n", "no value")
T.check(cmd("set maxconn server be/nope 3") == "No such server.\n\n", "unknown server")
T.check(cmd("set maxconn server be/s -1") == "Value out of range.\n\n",
        "a negative limit is refused")
T.check(T.stats_cmd(user, "set maxconn server be/s 3").startswith("Permission denied"),
        "level admin needed")
T.check(cmd("set maxconn server be/s 7") == "\n", "set to 7")
n = run.stderr().count("reloaded plan")
run.proc.send_signal(signal.SIGHUP)
T.check(T.wait_until(lambda: run.stderr().count("reloaded plan") > n), "reloaded (same plan)")
T.check(row()["slim"] == "7", "the limit set on the socket stays across a reload")
T.check(cmd("set maxconn server be/s 10") == "\n", "back to 10")

# ---- agent ---------------------------------------------------------------
T.check(cmd("disable agent be/s") == "\n" and cmd("enable agent be/s") == "\n",
        "enable|disable agent: an empty line, as HAProxy for a server without agent")
T.check(cmd("disable agent be/nope") == "No such server.\n\n", "agent: unknown server")
T.check(cmd("set server be/s agent up") ==
        "agent checks are not enabled on this server.\n\n", "set server agent")

# ---- set rate-limit ------------------------------------------------------
T.check(cmd("set rate-limit connections global") == "Expects an integer value.\n\n",
        "rate-limit without a value")
T.check(cmd("set rate-limit connections global -1") == "Value out of range.\n\n",
        "a negative rate")
T.check(cmd("set rate-limit connections").startswith("'set rate-limit' only supports :\n"),
        "rate-limit without 'global'")
T.check(T.stats_cmd(user, "set rate-limit connections global 1").startswith("Permission denied"),
        "level admin needed")


def info(name):
    for l in cmd("show info").splitlines():
        k, _, v = l.partition(": ")
        if k == name:
            return int(v)
    raise AssertionError("no %s in show info" % name)


def accept_curve(n, limit):
    """Connect n clients at once; poll CumConns until all n are accepted
    (bounded). Returns [(seconds since the clients connected, accepted)]."""
    base = info("CumConns")
    t0 = time.monotonic()
    socks = [pending() for _ in range(n)]
    samples = []
    deadline = t0 + n / max(limit, 1) + 8
    while time.monotonic() < deadline:
        got = info("CumConns") - base
        samples.append((time.monotonic() - t0, got))
        if got >= n:
            break
        time.sleep(0.05)
    for s in socks:
        s.close()
    return samples


def over_limit(samples, limit, slack=1):
    """Samples where more were accepted than the limit allows. The rate is
    read over a sliding second (this second's count plus the share of the
    previous second's that the sliding second still covers, as HAProxy
    reads it), so up to twice `limit` may come within one second across
    a second's boundary, then `limit` a second."""
    return [(t, c) for t, c in samples if c > 2 * limit + limit * t + slack]


for kind, key in (("connections", "ConnRateLimit"), ("sessions", "SessRateLimit")):
    T.check(cmd("set rate-limit %s global 4" % kind) == "\n",
            "set rate-limit %s global 4" % kind)
    T.check(info(key) == 4, "show info %s: 4" % key)
    T.check(T.wait_until(lambda: info("ConnRate") == 0 and info("SessRate") == 0),
            "the rates fall to 0 first")
    curve = accept_curve(16, 4)
    T.check(curve[-1][1] == 16, "%s: all 16 clients accepted in the end (%r)"
            % (kind, curve[-1]))
    T.check(not over_limit(curve, 4), "%s: about 4 a second "
            "(accepted over time: %r)" % (kind, curve))
    T.check(curve[-1][0] >= 1.9, "%s: 16 at 4/s take 2 s at least (%.2f)"
            % (kind, curve[-1][0]))
    T.check(cmd("set rate-limit %s global 0" % kind) == "\n", "%s: limit lifted" % kind)
    T.check(T.wait_until(lambda: info("ConnRate") == 0), "the rate falls to 0")
    curve = accept_curve(12, 1000)
    T.check(curve[-1][1] == 12 and curve[-1][0] < 1.0,
            "%s: without the limit 12 are accepted within a second (%r)"
            % (kind, curve[-1]))

T.check(cmd("set rate-limit connections global 3") == "\n", "a limit again")


def reload(text=None):
    if text:
        T.compile_cfg(text, "limits.cfg", out=plan)
    n = run.stderr().count("reloaded plan")
    run.proc.send_signal(signal.SIGHUP)
    T.check(T.wait_until(lambda: run.stderr().count("reloaded plan") > n), "reloaded")


reload()
T.check(info("ConnRateLimit") == 3, "the rate limit belongs to the process: a reload keeps it")

# ---- maxconnrate, maxsessrate in the configuration -------------------------
reload(CFG.replace("    nbthread 2\n", "    nbthread 2\n    maxconnrate 4\n    maxsessrate 9\n"))
T.check(info("ConnRateLimit") == 4 and info("SessRateLimit") == 9,
        "a reload to a plan with maxconnrate 4, maxsessrate 9 sets them")
T.check(T.wait_until(lambda: info("ConnRate") == 0), "the rate falls to 0")
curve = accept_curve(16, 4)
T.check(curve[-1][1] == 16 and not over_limit(curve, 4) and curve[-1][0] >= 1.9,
        "maxconnrate 4 caps accepts at about 4 a second (%r)" % curve[-1:])
T.check(cmd("set rate-limit sessions global 0") == "\n", "sessions limit lifted on the socket")
reload()
T.check(info("SessRateLimit") == 0 and info("ConnRateLimit") == 4,
        "a reload of the same configuration keeps what the socket set")
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
