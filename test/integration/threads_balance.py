#!/usr/bin/python3
"""Balancing keeps one shared view with nbthread 2: roundrobin over three
equal servers gives each exactly a third of the connections even when
several clients connect at once (the two threads pick from one rotation,
not one each); leastconn spreads connections held open evenly and sends
the next ones to the server whose connections ended, whichever thread
accepted them."""
import collections
import os
import sys
import threading

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import threads_lib as TL

sps = T.free_ports(3)
for i, p in enumerate(sps):
    T.Server("s%d" % i, ("127.0.0.1", p))
fe_rr, fe_lc = T.free_port(), T.free_port()


def listen(name, port, algo):
    return "listen %s\n    bind 127.0.0.1:%d\n    balance %s\n" % (name, port, algo) + \
        "".join("    server s%d 127.0.0.1:%d\n" % (i, p) for i, p in enumerate(sps))


plan = T.compile_cfg(TL.global_section(2) + """
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
""" + listen("rr", fe_rr, "roundrobin") + listen("lc", fe_lc, "leastconn"),
    "tbalance.cfg")
run = T.Cfgrun(plan)
TL.check_threads(run, 2, "nbthread 2")

# roundrobin: 6 clients x 15 short connections at once -> 30 per server.
CLIENTS, EACH = 6, 15
names = []
lock = threading.Lock()


def rr_client():
    got = T.server_names(("127.0.0.1", fe_rr), EACH)
    with lock:
        names.extend(got)


ths = [threading.Thread(target=rr_client, daemon=True) for _ in range(CLIENTS)]
for t in ths:
    t.start()
for t in ths:
    t.join(30)
count = collections.Counter(names)
want = CLIENTS * EACH // 3
T.check(len(names) == CLIENTS * EACH and
        all(count["s%d" % i] == want for i in range(3)),
        "roundrobin from concurrent clients: %d each (%s)" % (want, dict(count)))

# leastconn: 12 connections held open, one after the other -> 4 each.
held = [T.hold(("127.0.0.1", fe_lc)) for _ in range(12)]
count = collections.Counter(n for _, n in held)
T.check(all(count["s%d" % i] == 4 for i in range(3)),
        "leastconn spreads 12 held connections 4/4/4 (%s)" % dict(count))
# s1's four end; the next four must all go to s1 (0 against 4 and 4).
for s, n in held:
    if n == "s1":
        s.close()
T.wait_until(lambda: TL.count_lines(run, r" lc lc/s1 ") >= 4, timeout=3)
again = [T.hold(("127.0.0.1", fe_lc)) for _ in range(4)]
got = [n for _, n in again]
T.check(got == ["s1"] * 4, "leastconn refills the server whose connections ended: %s" % got)
# Then it alternates back to an even 5/5/5 spread.
more = [T.hold(("127.0.0.1", fe_lc)) for _ in range(3)]
count = collections.Counter(n for _, n in [h for h in held if h[1] != "s1"] + again + more)
T.check(all(count["s%d" % i] == 5 for i in range(3)),
        "leastconn keeps the spread even: %s" % dict(count))
for s, _ in held + again + more:
    s.close()

rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
