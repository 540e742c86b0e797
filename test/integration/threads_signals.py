#!/usr/bin/python3
"""Signals with nbthread 2, whatever thread carries the streams: SIGHUP
reloads under load three times with no failed connection and every new
connection on the new plan afterwards; SIGUSR1 closes the listeners and
waits for every open stream, on every thread, before exiting 0; SIGTERM
with streams open on both threads exits 0 at once."""
import os
import signal
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import threads_lib as TL

sps = T.free_ports(2)
for i, p in enumerate(sps):
    T.Server("s%d" % i, ("127.0.0.1", p))
CFG = TL.global_section(2) + """
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
listen fe
    bind 127.0.0.1:%d
    server s%d 127.0.0.1:%d
"""


def cfg(fe, gen):
    return CFG % (fe, gen % 2, sps[gen % 2])


def hold_many(fe, n):
    """n streams open through cfgrun, each greeted by its server."""
    out = []
    for _ in range(n):
        s, name = T.hold(("127.0.0.1", fe))
        if name is not None:
            out.append(s)
    return out


def echoes(s, what):
    s.sendall(what)
    got = b""
    while len(got) < len(what):
        d = s.recv(100)
        if not d:
            break
        got += d
    return got == what


# 1. SIGHUP under load.
fe = T.free_port()
plan = T.compile_cfg(cfg(fe, 0), "tsig.cfg")
run = T.Cfgrun(plan)
TL.check_threads(run, 2, "reload: nbthread 2")
stop = threading.Event()
lock = threading.Lock()
res = {"ok": 0, "fail": 0, "errors": [], "seen": []}


def client():
    n = 0
    while (not stop.is_set() or n == 0) and n < 5000:
        n += 1
        payload = b"ping-%d" % n
        try:
            reply, _ = T.exchange(("127.0.0.1", fe), payload)
            name, _, rest = T.greeting(reply)
            good = name is not None and rest == payload
        except OSError as e:
            good, name = False, str(e)
        with lock:
            if good:
                res["ok"] += 1
                res["seen"].append((time.monotonic(), name))
            else:
                res["fail"] += 1
                res["errors"] = (res["errors"] + [name])[:5]


ths = [threading.Thread(target=client, daemon=True) for _ in range(6)]
for t in ths:
    t.start()
RELOADS = 3
last_reload = None
for gen in range(1, RELOADS + 1):
    time.sleep(0.3)
    T.compile_cfg(cfg(fe, gen), "tsig%d.cfg" % gen, out=plan)
    digest = subprocess.run([T.CFGC, "--digest", plan], capture_output=True,
                            text=True, timeout=T.TIMEOUT).stdout.split()[0]
    run.proc.send_signal(signal.SIGHUP)
    run.wait_for(r"reloaded plan %s \(generation %d" % (digest, gen + 1))
    last_reload = time.monotonic()
time.sleep(0.5)
stop.set()
for t in ths:
    t.join(T.TIMEOUT * 2)
T.log("reload: %d ok, %d failed" % (res["ok"], res["fail"]))
T.check(res["ok"] >= 50 and res["fail"] == 0,
        "no connection failed during %d reloads (%d ok, errors %s)"
        % (RELOADS, res["ok"], res["errors"]))
want = "s%d" % (RELOADS % 2)
after = [n for t, n in res["seen"] if t > last_reload + 0.2]
T.check(after and all(n == want for n in after),
        "after the last reload every thread sends connections to %s (%d, saw %s)"
        % (want, len(after), sorted(set(after))))
rc, _ = run.stop()
T.check(rc == 0, "reload: exit 0 on SIGTERM")

# 2. SIGUSR1 drains the streams of every thread.
fe = T.free_port()
plan = T.compile_cfg(cfg(fe, 0), "tsoft.cfg")
run = T.Cfgrun(plan)
TL.check_threads(run, 2, "soft stop: nbthread 2")
HELD = 10
streams = hold_many(fe, HELD)
T.check(len(streams) == HELD, "soft stop: %d streams open" % len(streams))
run.proc.send_signal(signal.SIGUSR1)
run.wait_for(r"soft stop: listeners closed")
try:
    T.connect(("127.0.0.1", fe), timeout=1).close()
    T.check(False, "soft stop: new connections refused")
except ConnectionRefusedError:
    T.check(True, "soft stop: new connections refused")
ok = True
for i, s in enumerate(streams):
    ok = echoes(s, b"still-%d" % i) and ok
T.check(ok, "soft stop: every open stream still carries data")
for s in streams[:-1]:
    s.close()
time.sleep(0.5)
T.check(run.proc.poll() is None, "soft stop: still running while one stream is open")
T.check(echoes(streams[-1], b"last"), "soft stop: the last stream still works")
streams[-1].close()
try:
    rc = run.proc.wait(timeout=T.TIMEOUT)
except subprocess.TimeoutExpired:
    rc = None
T.check(rc == 0, "soft stop: exit 0 once every stream ended (%r)" % rc)
T.check("soft stop: every connection ended" in run.stderr(), "soft stop: says the drain is over")

# 3. SIGTERM with streams open: out at once.
fe = T.free_port()
plan = T.compile_cfg(cfg(fe, 0), "tterm.cfg")
run = T.Cfgrun(plan)
TL.check_threads(run, 2, "SIGTERM: nbthread 2")
streams = hold_many(fe, HELD)
rc, took = run.stop(signal.SIGTERM)
T.check(rc == 0 and took < 1.0, "SIGTERM with %d streams open: exit 0 in %.3fs (rc %r)"
        % (len(streams), took, rc))
for s in streams:
    s.close()
T.done()
