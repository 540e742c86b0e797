#!/usr/bin/python3
"""nbthread N: cfgrun runs N threads, each with its own event loop, all
accepting on the same listeners and sharing one plan and one running
state: every thread really serves connections, a server's maxconn holds
across threads, a queued stream gets the slot a stream of another thread
frees, and reload, soft stop and fast stop take every thread along."""
import os
import re
import signal
import socket
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T


def tasks(run):
    """Threads of cfgrun: main's, and those named cfgrun/N (sanitizers
    may add threads of their own)."""
    names = []
    for tid in os.listdir("/proc/%d/task" % run.proc.pid):
        with open("/proc/%d/task/%s/comm" % (run.proc.pid, tid)) as f:
            names.append(f.read().strip())
    return 1 + sum(1 for n in names if re.match(r"cfgrun/\d+$", n))


def activity(sock):
    """`show activity` as {name: (total, [per thread])}."""
    out = {}
    for line in T.stats_cmd(sock, "show activity").splitlines():
        m = re.match(r"(\w+): (\d+) \[([\d ]*)\]$", line)
        if m:
            out[m.group(1)] = (int(m.group(2)),
                               [int(x) for x in m.group(3).split()])
    return out


def config(n, fe, sp, sock, extra=""):
    return """
global
%s
    stats socket %s level admin
defaults
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout queue 20s
listen l
    bind 127.0.0.1:%d
    server s 127.0.0.1:%d%s
""" % ("    nbthread %d" % n if n else "", sock, fe, sp, extra)


sp = T.free_port()
srv = T.Server("s", ("127.0.0.1", sp), backlog=256)

# ---- nbthread 1 and 2: threads, show info, no warning --------------------
for n in (1, 2):
    fe = T.free_port()
    sock = T.tmp("stats%d.sock" % n)
    run = T.Cfgrun(T.compile_cfg(config(n, fe, sp, sock), "nb%d.cfg" % n))
    # threads name themselves once running: poll (bounded) for the count
    T.wait_until(lambda: tasks(run) == n)
    T.check(tasks(run) == n, "nbthread %d: %d thread(s) in /proc (found %d)"
            % (n, n, tasks(run)))
    T.check("Nbthread: %d\n" % n in T.stats_cmd(sock, "show info"),
            "nbthread %d: show info says Nbthread: %d" % (n, n))
    T.check("this version runs one thread" not in run.stderr(),
            "nbthread %d: no 'one thread' warning" % n)
    T.check(re.search(r"ready: maxconn \d+, %d threads?," % n, run.stderr())
            is not None, "nbthread %d: the ready line counts threads" % n)
    if n == 1:
        T.check(T.server_names(("127.0.0.1", fe), 3) == ["s"] * 3,
                "nbthread 1: traffic flows")
        rc, _ = run.stop()
        T.check(rc == 0, "nbthread 1: stops cleanly")
        continue

    # Every thread accepts: short connections until each thread took some
    # (the losers of an accept race see EAGAIN), bounded.
    made = 0
    act = activity(sock)
    while made < 400 and min(act["accepted"][1]) == 0:
        names = T.server_names(("127.0.0.1", fe), 20)
        T.check(names == ["s"] * 20, "nbthread 2: 20 short connections served")
        made += 20
        act = activity(sock)
    T.check(min(act["accepted"][1]) > 0,
            "nbthread 2: both threads accepted connections %s after %d"
            % (act["accepted"][1], made))
    T.check(act["accepted"][0] == made,
            "nbthread 2: accepted total %d == %d made"
            % (act["accepted"][0], made))

    # Many connections open at once, all served, bytes intact.
    held = []
    for i in range(40):
        s, name = T.hold(("127.0.0.1", fe))
        T.check(name == "s", "nbthread 2: held connection %d greeted" % i)
        held.append(s)
    live = activity(sock)["streams"]
    T.check(live[0] == 40, "nbthread 2: 40 streams live over the threads")
    # The accepting thread hands each connection to the thread running
    # the fewest streams: the load is even whoever won the accepts.
    T.check(min(live[1]) >= 18, "nbthread 2: streams spread evenly %s"
            % live[1])
    for i, s in enumerate(held):
        s.sendall(b"x%d\n" % i)
    ok = 0
    for i, s in enumerate(held):
        want = b"x%d\n" % i
        got = b""
        while len(got) < len(want):
            d = s.recv(64)
            if not d:
                break
            got += d
        ok += got == want
        s.close()
    T.check(ok == 40, "nbthread 2: 40 concurrent echoes intact (%d)" % ok)
    T.check(T.wait_until(lambda: activity(sock)["streams"][0] == 0),
            "nbthread 2: every stream ended")
    rc, _ = run.stop()
    T.check(rc == 0, "nbthread 2: SIGTERM stops every thread, exit 0")
    T.check("stopping on SIGTERM" in run.stderr(), "nbthread 2: said stopping")

# ---- more threads than cfgrun runs: said, capped at 64 -------------------
fe = T.free_port()
run = T.Cfgrun(T.compile_cfg(config(65, fe, sp, T.tmp("s65.sock")), "nb65.cfg"))
T.check("warning: nbthread 65: cfgrun runs at most 64 threads; running 64"
        in run.stderr(), "nbthread 65: the cap is said at start")
T.wait_until(lambda: tasks(run) == 64)
found = tasks(run)
T.check(found == 64, "nbthread 65: 64 threads run (found %d)" % found)
T.check(T.server_names(("127.0.0.1", fe), 5) == ["s"] * 5,
        "nbthread 65: traffic flows")
rc, _ = run.stop()
T.check(rc == 0, "nbthread 65: SIGTERM joins 64 threads, exit 0")

# ---- maxconn 1 across threads, cross-thread wake-ups --------------------
busy = {"now": 0, "max": 0, "served": 0}
blk = threading.Lock()


def slow(c):
    """Count concurrent connections; greet, hold a moment, close."""
    with blk:
        busy["now"] += 1
        busy["max"] = max(busy["max"], busy["now"])
    try:
        c.sendall(b"q mptcp=0\n")
        time.sleep(0.02)
    finally:
        with blk:
            busy["now"] -= 1
            busy["served"] += 1


qp = T.free_port()
qsrv = T.Server("q", ("127.0.0.1", qp), handler=slow, backlog=256)
fe = T.free_port()
sock = T.tmp("statsq.sock")
run = T.Cfgrun(T.compile_cfg(config(2, fe, qp, sock, " maxconn 1"), "q.cfg"))
rounds = 0
total = 0
while rounds < 10:
    rounds += 1
    names = []

    def one():
        c = T.client(fe)
        name = T.greeted(c, timeout=15)
        c.close()
        with blk:
            names.append(name)
    ts = [threading.Thread(target=one) for _ in range(16)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    T.check(names == ["q"] * 16,
            "maxconn 1, 2 threads: round %d: 16 queued clients served" % rounds)
    total += 16
    if activity(sock)["granted_remote"][0] > 0 and rounds >= 2:
        break
T.check(busy["max"] == 1,
        "maxconn 1 never exceeded with 2 threads (server saw %d at once)"
        % busy["max"])
act = activity(sock)
T.check(act["granted_remote"][0] > 0,
        "a queued stream was woken by a slot freed on another thread %s"
        % act["granted_remote"][1])
T.check(min(act["accepted"][1]) > 0,
        "both threads took queued clients %s" % act["accepted"][1])
row = T.stat_rows(sock)[("l", "s")]
T.check(row["smax"] == "1", "show stat: smax 1 (found %s)" % row["smax"])
T.check(row["stot"] == str(total), "show stat: stot %s == %d" % (row["stot"], total))
T.check(T.wait_until(lambda: busy["served"] == total), "server served all")

# ---- reload and soft stop with 2 threads --------------------------------
s_old, name = T.hold(("127.0.0.1", fe))
T.check(name == "q", "a connection held across the reload")
run.proc.send_signal(signal.SIGHUP)
run.wait_for(r"reloaded plan")
T.check(T.server_names(("127.0.0.1", fe), 10) == ["q"] * 10,
        "after reload: every thread serves the new generation")
T.check("released" not in run.stderr(),
        "the old generation waits for its connection")
s_old.close()
run.wait_for(r"plan generation 1 released")
s_held, name = T.hold(("127.0.0.1", fe))
T.check(name == "q", "a connection held across the soft stop")
run.proc.send_signal(signal.SIGUSR1)
run.wait_for(r"soft stop: listeners closed")
try:
    c = socket.create_connection(("127.0.0.1", fe), timeout=2)
    c.close()
    refused = False
except OSError:
    refused = True
T.check(refused, "soft stop: new connections refused on every thread")
time.sleep(0.2)
T.check(run.proc.poll() is None, "soft stop: waits for the held connection")
s_held.close()
try:
    rc = run.proc.wait(timeout=T.TIMEOUT)
except Exception:
    rc = None
T.check(rc == 0, "soft stop: exit 0 once the last connection ended (rc %s)" % rc)
qsrv.close()
srv.close()
T.done()
