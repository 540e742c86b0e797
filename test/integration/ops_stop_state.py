#!/usr/bin/python3
"""server-state-file with load-server-state-from-file global: the state
a first cfgrun shows with `show servers state` (maintenance, weight,
DOWN) is what a second one starts with, for the backends that load it
only; a missing file is reported, not fatal. `grace` keeps accepting a
while after SIGUSR1; `hard-stop-after` ends a soft stop that a client
holds open."""
import os
import signal
import socket
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

ports = T.free_ports(3)
servers = [T.Server(n, ("127.0.0.1", p)) for n, p in zip("ABC", ports)]
dead = T.dead_port()
fe, fe2 = T.free_ports(2)
sock = T.tmp("stop.sock")
state_file = T.tmp("servers.state")
CFG = """
global
    stats socket %s level admin
{glob}
defaults
    mode tcp
    timeout connect 2s
    timeout client 20s
    timeout server 20s
{dflt}
frontend front
    bind 127.0.0.1:%d
    default_backend back
frontend front2
    bind 127.0.0.1:%d
    default_backend other
backend back
    server s1 127.0.0.1:%d
    server s2 127.0.0.1:%d weight 10
    server s3 127.0.0.1:{s3} check inter 10s rise 2 fall 2
backend other
    load-server-state-from-file none
    server s1 127.0.0.1:%d
""" % (sock, fe, fe2, ports[0], ports[1], ports[2])

# -- a first cfgrun: changes through the socket, then its state saved
plan = T.compile_cfg(CFG.format(glob="", dflt="", s3=dead), "stop1.cfg")
run = T.Cfgrun(plan)
T.check(T.wait_until(lambda: T.stat_rows(sock)[("back", "s3")]["status"].startswith("DOWN")),
        "s3 (nothing listens) is DOWN")
T.stats_cmd(sock, "disable server back/s1")
T.stats_cmd(sock, "set weight back/s2 5")
T.stats_cmd(sock, "disable server other/s1")
saved = T.stats_cmd(sock, "show servers state")
with open(state_file, "w") as f:
    f.write(saved)
run.stop()

# -- a second one loads it (s3 now points at a live server: the file
# says DOWN and a single passed check cannot raise it: rise 2)
plan2 = T.compile_cfg(CFG.format(
    glob="    server-state-file %s\n    grace 1s\n    hard-stop-after 1500ms" % state_file,
    dflt="    load-server-state-from-file global", s3=ports[2]), "stop2.cfg")
run = T.Cfgrun(plan2)
r = T.stat_rows(sock)
T.check(r[("back", "s1")]["status"] == "MAINT", "s1 starts in maintenance (%s)" % r[("back", "s1")]["status"])
T.check(r[("back", "s2")]["weight"] == "5", "s2 starts at weight 5 (%s)" % r[("back", "s2")]["weight"])
T.check(r[("back", "s3")]["status"].startswith("DOWN"), "s3 starts DOWN (%s)" % r[("back", "s3")]["status"])
T.check(r[("other", "s1")]["status"] != "MAINT", "backend 'other' (none) ignores the file")
T.check("state of 3 servers loaded" in run.stderr(), "the load is logged")
T.check(set(T.greeting(T.exchange(("127.0.0.1", fe), b"x")[0])[0] for _ in range(4)) == {"B"},
        "only s2 serves")

# -- grace, then hard-stop-after with a client holding a connection
held = T.connect(("127.0.0.1", fe))
T.check(T.greeted(held) == "B", "a held connection")
t0 = time.monotonic()
run.proc.send_signal(signal.SIGUSR1)
run.wait_for(r"still accepting for grace 1000 ms")
T.check(T.greeting(T.exchange(("127.0.0.1", fe), b"x")[0])[0] == "B",
        "during grace a new connection is served")
run.wait_for(r"listeners closed")
took = time.monotonic() - t0
T.check(took >= 0.8, "the listeners closed after the grace (%.2f s)" % took)
try:
    rc = run.proc.wait(timeout=T.TIMEOUT)
except Exception:
    rc = None
took = time.monotonic() - t0
T.check(rc == 0, "cfgrun exits although a connection is held (rc %s)" % rc)
T.check(2.2 <= took < 4.5, "after grace + hard-stop-after (%.2f s)" % took)
T.check("hard-stop-after: soft stop still waiting for 1 connection(s)" in run.stderr(),
        "hard-stop-after says what it closed")
held.close()

# -- a missing state file: said, and the configuration's state is used
os.unlink(state_file)
run = T.Cfgrun(plan2)
T.check("server-state-file %s: No such file" % state_file in run.stderr(),
        "a missing state file is reported")
T.check(T.stat_rows(sock)[("back", "s1")]["status"] != "MAINT", "and not fatal")
run.stop()
for s in servers:
    s.close()
T.done()
