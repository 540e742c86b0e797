#!/usr/bin/python3
"""`show stat` counts what clients did, with nbthread 2: after several
clients made many connections at once (spread over both threads), each
sending its own amount of bytes, the frontend, backend and server rows
hold exactly that many sessions and bytes in and out (no update lost to
two threads counting at once), and nothing is left current."""
import os
import random
import sys
import threading

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import threads_lib as TL

CLIENTS, EACH = 6, 40
sps = T.free_ports(2)
for i, p in enumerate(sps):
    T.Server("s%d" % i, ("127.0.0.1", p))
fe = T.free_port()
sock = T.tmp("tstats.sock")
plan = T.compile_cfg(TL.global_section(2, stats=sock) + """
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend front
    bind 127.0.0.1:%d
    default_backend back
backend back
    balance roundrobin
    server s0 127.0.0.1:%d
    server s1 127.0.0.1:%d
""" % (fe, sps[0], sps[1]), "tstats.cfg")
run = T.Cfgrun(plan)
TL.check_threads(run, 2, "nbthread 2")

lock = threading.Lock()
tot = {"conns": 0, "sent": 0, "got": 0, "bad": 0}


def worker(seed):
    rnd = random.Random(seed)
    for _ in range(EACH):
        payload = os.urandom(rnd.randint(1, 200000))
        try:
            reply, _ = T.exchange(("127.0.0.1", fe), payload)
            good = T.greeting(reply)[2] == payload
        except OSError:
            reply, good = b"", False
        with lock:
            tot["conns"] += 1
            tot["sent"] += len(payload)
            tot["got"] += len(reply)
            tot["bad"] += 0 if good else 1


ths = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(CLIENTS)]
for t in ths:
    t.start()
for t in ths:
    t.join(60)
n = CLIENTS * EACH
T.check(tot["conns"] == n and tot["bad"] == 0,
        "%d exchanges, every echo intact (%d bad)" % (tot["conns"], tot["bad"]))
# Counters are added when a stream ends, just after the client saw EOF:
# wait for every stream's log line before reading them.
T.check(len(run.wait_logs(n)) == n, "%d streams logged" % n)
# A stream's slot and current counts are given back after its line is
# written (once its sockets are closed): wait for the last one (bounded).
T.wait_until(lambda: all(r["scur"] == "0"
                         for k, r in T.stat_rows(sock).items()
                         if k[0] in ("front", "back")))

rows = T.stat_rows(sock)
f, b = rows[("front", "FRONTEND")], rows[("back", "BACKEND")]
s0, s1 = rows[("back", "s0")], rows[("back", "s1")]
T.check(f["stot"] == str(n) and b["stot"] == str(n),
        "frontend and backend stot %d (%s, %s)" % (n, f["stot"], b["stot"]))
T.check(int(s0["stot"]) + int(s1["stot"]) == n and s0["stot"] == s1["stot"],
        "servers' stot add up to %d, half each (%s + %s)" % (n, s0["stot"], s1["stot"]))
for name, row in (("frontend", f), ("backend", b)):
    T.check(int(row["bin"]) == tot["sent"] and int(row["bout"]) == tot["got"],
            "%s bin/bout = bytes clients sent/received (%s/%s, want %d/%d)"
            % (name, row["bin"], row["bout"], tot["sent"], tot["got"]))
T.check(int(s0["bin"]) + int(s1["bin"]) == tot["sent"] and
        int(s0["bout"]) + int(s1["bout"]) == tot["got"],
        "servers' bin/bout add up to the clients' bytes")
T.check(all(r["scur"] == "0" for r in (f, b, s0, s1)),
        "no session left current (%s)" % [r["scur"] for r in (f, b, s0, s1)])
info = TL.show_info(sock)
T.check(info.get("CumConns") == str(n) and info.get("CurrConns") == "0",
        "show info: CumConns %d, CurrConns 0 (%s, %s)"
        % (n, info.get("CumConns"), info.get("CurrConns")))
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
