#!/usr/bin/python3
"""200 reloads under continuous load.

While 8 clients make echo transfers without pause, a new plan (another
server port and timeout each time, so each has a digest of its own) is
compiled by cfgc, put in place by rename and cfgrun is sent SIGHUP, 200
times; each reload must be logged with the new plan's digest and
generation before the next. Every transfer must come back intact; after
the storm cfgrun holds no more descriptors than before it and its memory
has not grown past a bound (a generation's leftovers would add up over
200 of them)."""
import os
import signal
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stresslib as S

T = S.T
RELOADS = int(os.environ.get("HAPC_STRESS_RELOADS", "200"))
GROWTH_BOUND_MB = 16
S.timed_out(240)

fe = T.free_port()
be = T.free_ports(2)
backend = S.Backend("echo", be)


def compile_gen(gen, path):
    T.compile_cfg(S.tcp_proxy(fe, be[gen % 2], "s%d" % (gen % 2),
                              "%dms" % (10000 + gen)),
                  "gen%d.cfg" % (gen % 2), out=path + ".new")
    os.replace(path + ".new", path)
    with open(path, "rb") as f:
        return f.read(72)[40:72].hex()      # the header's digest field


plan = T.tmp("storm.plan")
compile_gen(1, plan)
run = T.Cfgrun(plan)
fds_before = len(S.fds(run.proc.pid, "pipe:")[1])
load = S.Load(fe, workers=8, size=16384, what="echo transfers during the reloads")
T.check(load.wait_count(50), "traffic flows before the first reload")

T.log("reload_storm: %d reloads under load" % RELOADS)
base_kb = None
refused = 0
for gen in range(2, RELOADS + 2):
    digest = compile_gen(gen, plan)
    run.proc.send_signal(signal.SIGHUP)
    try:
        run.wait_for(r"reloaded plan %s \(generation %d:" % (digest, gen), 10)
    except RuntimeError as e:
        refused += 1
        T.fail("reload %d: %s" % (gen - 1, str(e)[-300:]))
        break
    if gen == 11:
        base_kb = S.status_kb(run.proc.pid, "VmHWM")
T.check(refused == 0, "all %d reloads taken, each logged with its digest" % RELOADS)
T.check(load.wait_count(50), "traffic flows after the last reload")
load.stop(RELOADS)
T.log("  %d reloads done" % (gen - 1))
S.report_memory(run, GROWTH_BOUND_MB, base_kb=base_kb)
# Sockets, files, event loops: as many as before the storm; pipes are the
# splice pool the transfers filled (bounded by how many ran at once).
T.check(T.wait_until(lambda: len(S.fds(run.proc.pid, "pipe:")[1]) <= fds_before, 10),
        "no descriptor left behind by %d generations (%d other than pipes "
        "before, %d after)" % (RELOADS, fds_before,
                               len(S.fds(run.proc.pid, "pipe:")[1])))
T.log("  %d pipe descriptors kept by the splice pool" % S.fds(run.proc.pid, "pipe:")[0])
S.alive(run, "%d reloads" % RELOADS)
rc, _ = run.stop()
T.check(rc == 0, "cfgrun stopped cleanly (%s)" % rc)
T.done()
