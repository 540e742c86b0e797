#!/usr/bin/python3
"""Health checks with nbthread 2: while clients keep connecting (through
both threads), a server that stops listening goes DOWN and is logged
DOWN exactly once, gets no traffic, and is logged UP exactly once when it
comes back; `show stat` agrees with the log."""
import os
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import threads_lib as TL

ports = T.free_ports(2)
srv = {}


def start(i):
    srv[i] = T.Server("s%d" % i, ("127.0.0.1", ports[i]))


start(0)
start(1)
fe = T.free_port()
sock = T.tmp("tchecks.sock")
plan = T.compile_cfg(TL.global_section(2, stats=sock) + """
defaults
    timeout connect 1s
    timeout client 10s
    timeout server 10s
listen be
    bind 127.0.0.1:%d
    server s0 127.0.0.1:%d check inter 100 fall 2 rise 2
    server s1 127.0.0.1:%d check inter 100 fall 2 rise 2
""" % (fe, ports[0], ports[1]), "tchecks.cfg")
run = T.Cfgrun(plan)
TL.check_threads(run, 2, "nbthread 2")
addr = ("127.0.0.1", fe)

# Background traffic from a few clients for the whole test.
stop = threading.Event()
seen = []
lock = threading.Lock()


def traffic():
    for _ in range(2000):
        if stop.is_set():
            break
        t0 = time.monotonic()
        try:
            reply, _ = T.exchange(addr, b"x")
            name = T.greeting(reply)[0]
        except OSError:
            name = None
        with lock:
            seen.append((t0, name))
        time.sleep(0.005)


ths = [threading.Thread(target=traffic, daemon=True) for _ in range(4)]
for t in ths:
    t.start()
time.sleep(0.3)

DOWN = r"Server be/s1 is DOWN"
UP = r"Server be/s1 is UP"
srv[1].close()
run.wait_for(DOWN)
t_down = time.monotonic()
# New connections (ours and the background clients') go to s0 only; the
# background clients that were sent to s1 just before it went DOWN sit in
# their retries meanwhile.
fresh = T.server_names(addr, 10)
time.sleep(0.5)                         # several more failed checks
T.check(TL.count_lines(run, DOWN) == 1,
        "DOWN logged once (%d lines)" % TL.count_lines(run, DOWN))
rows = T.stat_rows(sock)
T.check(rows[("be", "s1")]["status"].startswith("DOWN"),
        "show stat says s1 DOWN (%s)" % rows[("be", "s1")]["status"])
t_restart = time.monotonic()
start(1)
run.wait_for(UP)
t_up = time.monotonic()
time.sleep(0.8)                         # several more good checks
with lock:
    down = fresh + [n for t, n in seen if t_down + 0.05 < t < t_restart]
T.check(down and all(n == "s0" for n in down),
        "no traffic to the DOWN server from any thread (%d connections, saw %s)"
        % (len(down), sorted(set(map(str, down)))))
T.check(TL.count_lines(run, UP) == 1, "UP logged once (%d lines)" % TL.count_lines(run, UP))
T.check(TL.count_lines(run, DOWN) == 1, "still one DOWN line")
with lock:
    late = [n for t, n in seen if t > t_up + 0.1]
T.check("s1" in late, "s1 serves again once UP")
stop.set()
for t in ths:
    t.join(10)
rows = T.stat_rows(sock)
T.check(rows[("be", "s1")]["status"].startswith("UP"),
        "show stat says s1 UP (%s)" % rows[("be", "s1")]["status"])
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
