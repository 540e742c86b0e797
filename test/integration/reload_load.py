#!/usr/bin/python3
"""SIGHUP reloads under load refuse or reset no connection: while client
threads make bounded connections in a loop, the plan is recompiled (cfgc
replaces the file by rename) five times with a different server and a
listener that comes and goes, and cfgrun is told to reload each time.
Every connection must get its whole echo back; after the last reload new
connections reach the new plan's server; the extra listener follows the
plan; each reload is logged with the new plan's digest."""
import os
import socket
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

RELOADS = 5
MIN_CONNS = 500
THREADS = 4

ports = T.free_ports(2)
fe, extra = ports
srv_ports = T.free_ports(2)
servers = [T.Server("s%d" % i, ("127.0.0.1", p)) for i, p in enumerate(srv_ports)]

CFG = """
defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s
listen fe
    bind 127.0.0.1:%d
%s    server s%d 127.0.0.1:%d
"""


def cfg(gen):
    i = gen % 2
    bind = "    bind 127.0.0.1:%d\n" % extra if i == 1 else ""
    return CFG % (fe, bind, i, srv_ports[i])


plan = T.compile_cfg(cfg(0), "reload.cfg")
run = T.Cfgrun(plan)

stop = threading.Event()
lock = threading.Lock()
stats = {"ok": 0, "fail": 0, "errors": [], "seen": []}


def client():
    n = 0
    while not stop.is_set() or n == 0:
        n += 1
        payload = b"ping-%d" % n
        try:
            reply, _ = T.exchange(("127.0.0.1", fe), payload)
            name, _, rest = T.greeting(reply)
            good = name is not None and rest == payload
        except OSError as e:
            good, name = False, "%s" % e
        with lock:
            if good:
                stats["ok"] += 1
                stats["seen"].append((time.monotonic(), name))
            else:
                stats["fail"] += 1
                if len(stats["errors"]) < 5:
                    stats["errors"].append(repr(name))


threads = [threading.Thread(target=client, daemon=True) for _ in range(THREADS)]
for t in threads:
    t.start()

reload_times = []
for gen in range(1, RELOADS + 1):
    time.sleep(0.3)
    T.compile_cfg(cfg(gen), "reload%d.cfg" % gen, out=plan)
    digest = subprocess.run([T.CFGC, "--digest", plan], capture_output=True,
                            text=True, timeout=T.TIMEOUT).stdout.split()[0]
    run.proc.send_signal(1)                    # SIGHUP
    run.wait_for(r"reloaded plan %s \(generation %d" % (digest, gen + 1))
    reload_times.append(time.monotonic())
    want_extra = gen % 2 == 1
    try:
        T.connect(("127.0.0.1", extra), timeout=1).close()
        has_extra = True
    except OSError:
        has_extra = False
    T.check(has_extra == want_extra,
            "reload %d: extra listener %s" % (gen, "open" if want_extra else "closed"))

# Keep the load on until enough connections went through.
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    with lock:
        if stats["ok"] + stats["fail"] >= MIN_CONNS:
            break
    time.sleep(0.05)
time.sleep(0.3)
stop.set()
for t in threads:
    t.join(T.TIMEOUT * 2)

total = stats["ok"] + stats["fail"]
T.log("connections: %d ok, %d failed during %d reloads" % (stats["ok"], stats["fail"], RELOADS))
T.check(total >= MIN_CONNS, "at least %d connections made (%d)" % (MIN_CONNS, total))
T.check(stats["fail"] == 0, "no connection failed during %d reloads (errors: %s)"
        % (RELOADS, stats["errors"]))
last = "s%d" % (RELOADS % 2)
after = [n for t, n in stats["seen"] if t > reload_times[-1] + 0.2]
T.check(after and all(n == last for n in after),
        "after the last reload every connection reaches %s (%d connections, saw %s)"
        % (last, len(after), sorted(set(after))))
reply, _ = T.exchange(("127.0.0.1", fe), b"end")
T.check(T.greeting(reply)[0] == last, "a new connection reaches the new plan's server")
rc, _ = run.stop()
T.check(rc == 0, "cfgrun exits 0 after the reloads")
T.check("released" in run.stderr(), "old plan generations are released")
for s in servers:
    s.close()
T.done()
