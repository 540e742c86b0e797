#!/usr/bin/python3
"""Descriptor exhaustion and recovery.

cfgrun runs under `ulimit -n 256` (its hard limit too, so it cannot raise
it): it lowers maxconn to what fits. Then:
  - held: 3 x maxconn connections are opened and each sends a message;
    at most maxconn are served at once (the rest wait in the listen
    backlog, neither reset nor closed); as the served ones close, the
    waiting ones are served, until every message came back intact;
  - burst: 2,000 echo transfers started at once: every one intact, none
    reset, cfgrun never logging "Too many open files";
  - after: transfers, the stats socket and the descriptor count are as
    before the burst."""
import asyncio
import os
import resource
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stresslib as S

T = S.T
NOFILE = 256
BURST = int(os.environ.get("HAPC_STRESS_BURST", "2000"))
RSS_BOUND_MB = 32
S.timed_out(180)
S.raise_nofile(4 * BURST + 1000)

fe, be = T.free_ports(2)
stats = T.tmp("stats.sock")
backend = S.Backend("echo", [be])
plan = T.compile_cfg("""
global
    maxconn 4000
    stats socket %s level admin
defaults
    mode tcp
    timeout connect 5s
    timeout client 60s
    timeout server 60s
listen fe
    bind 127.0.0.1:%d backlog 4096
    server s 127.0.0.1:%d
""" % (stats, fe, be), "fd.cfg")


def small_nofile():
    resource.setrlimit(resource.RLIMIT_NOFILE, (NOFILE, NOFILE))


run = T.Cfgrun(plan, preexec=small_nofile)
maxconn = int(re.search(r"ready: maxconn (\d+)", run.stderr()).group(1))
T.log("fd_exhaust: ulimit -n %d, cfgrun's maxconn lowered to %d" % (NOFILE, maxconn))
T.check(maxconn < NOFILE // 2, "maxconn lowered below ulimit-n / 2 (%d)" % maxconn)
fds_idle = len(S.fds(run.proc.pid, "pipe:")[1])

held = S.Tally("held connections, 3 x maxconn (%d)" % (3 * maxconn))
burst = S.Tally("burst of %d transfers at once" % BURST)
peak_fds = [0]


async def held_phase():
    n = 3 * maxconn
    conns = []
    for i in range(n):
        r, w = await S.connect(fe, 30)
        w.write(S.body(i, 1024))
        conns.append((i, r, w))
    # Served: those whose echo comes; cfgrun serves at most maxconn at once.
    waiting = conns
    rounds = 0
    while waiting and rounds < 10:           # bounded: 3 rounds expected
        rounds += 1
        got = await asyncio.gather(*(S.read_exactly(r, 1024, 2) for _, r, _ in waiting),
                                   return_exceptions=True)
        served = [(c, g) for c, g in zip(waiting, got) if isinstance(g, bytes) and g]
        peak_fds[0] = max(peak_fds[0], S.fds(run.proc.pid))
        T.log("  round %d: %d served, %d waiting" % (rounds, len(served),
                                                    len(waiting) - len(served)))
        if len(served) > maxconn:
            T.fail("more than maxconn served at once (%d)" % len(served))
        for (i, r, w), g in served:
            if g == S.body(i, 1024):
                held.ok(1024)
            else:
                held.bad(1024, "echo differs (%d bytes)" % len(g))
            w.close()
        done = {id(c) for c, _ in served}
        waiting = [c for c in waiting if id(c) not in done]
    for i, r, w in waiting:
        held.bad(1024, "never served")
        w.close()


async def burst_phase():
    async def watch(stop):
        while not stop.is_set():
            peak_fds[0] = max(peak_fds[0], S.fds(run.proc.pid))
            await asyncio.sleep(0.02)        # sampling pace, not a wait for state
    stop = asyncio.Event()
    watcher = asyncio.ensure_future(watch(stop))
    await asyncio.gather(*(S.echo(burst, fe, 10000 + i, 4096, timeout=60)
                           for i in range(BURST)))
    stop.set()
    await watcher


asyncio.run(held_phase())
held.check(3 * maxconn)
asyncio.run(burst_phase())
burst.check(BURST)
T.log("  cfgrun held at most %d descriptors (limit %d)" % (peak_fds[0], NOFILE))
T.check("Too many open files" not in run.stderr(),
        "cfgrun never met EMFILE (it stops accepting first)")
after = S.Load(fe, workers=8, size=16384, what="transfers after the burst")
T.check(after.wait_count(200), "transfers go on after the burst")
after.stop(200)
T.check("CurrConns" in T.stats_cmd(stats, "show info"), "the stats socket answers")
# (pipes: the splice pool the transfers filled, kept for the next ones)
T.check(T.wait_until(lambda: len(S.fds(run.proc.pid, "pipe:")[1]) <= fds_idle, 10),
        "descriptors other than pipes back to %d once idle (%d; %d pipes)"
        % (fds_idle, len(S.fds(run.proc.pid, "pipe:")[1]),
           S.fds(run.proc.pid, "pipe:")[0]))
S.report_memory(run, RSS_BOUND_MB)
S.alive(run, "descriptor exhaustion")
T.done()
