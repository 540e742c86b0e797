#!/usr/bin/python3
"""nbthread N runs N threads that all serve traffic: with nbthread 2 and
4, /proc shows that many threads in cfgrun, `show info` says Nbthread N,
and under a bulk load from several concurrent clients at least two of the
threads spend CPU time (each one's own clock in /proc/PID/task/TID), so
connections are not all carried by one loop. Every byte still arrives."""
import os
import socket
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import threads_lib as TL

CHUNK = b"x" * (1 << 20)
PER_CONN = 4 << 20           # bytes the server sends on each connection
CLIENTS = 8
LOAD_SECONDS = 1.0
MAX_CONNS = 400              # per client: the load loop stays bounded
BUSY_NS = 5 * 10**6          # a thread "served" if it gained 5 ms of CPU


def source(c):
    """Send PER_CONN bytes at once, then close."""
    left = PER_CONN
    while left > 0:
        n = min(left, len(CHUNK))
        c.sendall(CHUNK[:n])
        left -= n
    c.shutdown(socket.SHUT_WR)


def pull(addr):
    """Connect through cfgrun and read to EOF; returns the byte count."""
    s = T.connect(addr)
    buf = bytearray(1 << 18)
    n = 0
    try:
        while True:
            r = s.recv_into(buf)
            if not r:
                break
            n += r
    finally:
        s.close()
    return n


sp = T.free_port()
T.Server("src", ("127.0.0.1", sp), handler=source)


def scenario(n):
    fe = T.free_port()
    sock = T.tmp("spread%d.sock" % n)
    plan = T.compile_cfg(TL.global_section(n, stats=sock) + """
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
listen bulk
    bind 127.0.0.1:%d
    server src 127.0.0.1:%d
""" % (fe, sp), "spread%d.cfg" % n)
    run = T.Cfgrun(plan)
    label = "nbthread %d" % n
    TL.check_threads(run, n, label)
    info = TL.show_info(sock)
    T.check(info.get("Nbthread") == str(n),
            "%s: show info says Nbthread: %s" % (label, info.get("Nbthread")))

    pid = run.proc.pid
    before = TL.cpu_ns(pid)
    stop = time.monotonic() + LOAD_SECONDS
    lock = threading.Lock()
    res = {"ok": 0, "bad": 0, "err": []}

    def client():
        for _ in range(MAX_CONNS):
            if time.monotonic() >= stop:
                break
            try:
                got = pull(("127.0.0.1", fe))
                good = got == PER_CONN
                why = "%d bytes" % got
            except OSError as e:
                good, why = False, str(e)
            with lock:
                if good:
                    res["ok"] += 1
                else:
                    res["bad"] += 1
                    res["err"] = (res["err"] + [why])[:3]

    ths = [threading.Thread(target=client, daemon=True) for _ in range(CLIENTS)]
    for t in ths:
        t.start()
    for t in ths:
        t.join(30)
    gained = TL.cpu_growth(before, TL.cpu_ns(pid))
    busy = sorted((g for g in gained.values() if g >= BUSY_NS), reverse=True)
    T.log("%s: %d connections, CPU ms per thread: %s" % (
        label, res["ok"], sorted((g // 10**6 for g in gained.values()), reverse=True)))
    T.check(res["ok"] >= CLIENTS and res["bad"] == 0,
            "%s: every connection got its %d bytes (%d ok, %d bad %s)"
            % (label, PER_CONN, res["ok"], res["bad"], res["err"]))
    T.check(len(busy) >= 2,
            "%s: at least two threads carried the load (%d threads above %d ms)"
            % (label, len(busy), BUSY_NS // 10**6))
    rc, _ = run.stop()
    T.check(rc == 0, "%s: exit 0 on SIGTERM" % label)


for n in (2, 4):
    scenario(n)

T.done()
