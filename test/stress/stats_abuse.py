#!/usr/bin/python3
"""The stats socket abused by many clients while traffic flows.

A proxy of 50 servers carries echo transfers without pause (8 clients)
while the stats socket gets, one phase after the other:
  - 64 clients (its whole `stats maxconn`) each sending one 60 kB line of
    `show stat;` repeated and never reading, held while 300 transfers go
    through; meanwhile 200 more clients ask `show info`: each is answered,
    told to try later, or refused at connect, none left hanging;
  - 20 clients sending a 1 MB line with no end: each closed;
  - a flood of 2,000 `show stat` from 16 clients at once: every answer
    complete (the header and all 52 rows).
Every transfer must come back intact, none slower than a bound (stats work
must not stall traffic), cfgrun's peak RSS stays within a bound and its
resident size comes back down once the attackers leave."""
import asyncio
import os
import socket
import struct
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stresslib as S

T = S.T
SERVERS = 50
NONREADERS = 64
EXTRA = 200
HUGE = 20
FLOOD = int(os.environ.get("HAPC_STRESS_FLOOD", "2000"))
GROWTH_BOUND_MB = 32
SLOWEST_BOUND = 2.0        # s, a proxied transfer during the attack
S.timed_out(180)
S.raise_nofile(10000)

fe, be = T.free_ports(2)
sock = T.tmp("stats.sock")
backend = S.Backend("echo", [be])
servers = "".join("    server s%d 127.0.0.1:%d\n" % (i, be) for i in range(SERVERS))
plan = T.compile_cfg("""
global
    stats socket %s level admin
defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s
listen fe
    bind 127.0.0.1:%d
    balance roundrobin
%s""" % (sock, fe, servers), "stats.cfg")
run = T.Cfgrun(plan)
load = S.Load(fe, workers=8, size=16384, what="echo transfers during the attack")
T.check(load.wait_count(50), "traffic flows before the attack")
base_kb = S.status_kb(run.proc.pid, "VmRSS")

extra = {}                 # how each extra client ended: count
huge = S.Tally("1 MB lines with no end (closed by cfgrun)")
flood = S.Tally("show stat flood, complete answers")
ROWS = {"fe,FRONTEND", "fe,BACKEND"} | {"fe,s%d" % i for i in range(SERVERS)}


async def unix(wait=True):
    """A connection to the stats socket. wait: connect as a blocking client
    does (waiting in the backlog, 10 s at most); else refused at once when
    the backlog is full (EAGAIN), as a non-blocking client sees it."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        if wait:
            # blocking, bounded by SO_SNDTIMEO (a unix connect honours it)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO,
                         struct.pack("ll", 10, 0))
            await asyncio.get_running_loop().run_in_executor(None, s.connect, sock)
        else:
            s.setblocking(False)
            err = s.connect_ex(sock)
            if err:
                raise OSError(err, os.strerror(err))
    except OSError:
        s.close()
        raise
    s.setblocking(False)
    return await asyncio.open_unix_connection(sock=s, limit=1 << 20)


async def extra_client():
    try:
        r, w = await unix(wait=False)
    except OSError as e:
        kind = "refused at connect (%s)" % os.strerror(e.errno)
        extra[kind] = extra.get(kind, 0) + 1
        return
    try:
        w.write(b"show info\n")
        ans = await asyncio.wait_for(r.read(1 << 20), 10)
        kind = "answered" if b"CurrConns" in ans else \
            "told: %s" % ans.decode(errors="replace").strip()[:40] if ans else "closed"
    except OSError as e:               # told and closed before it wrote
        kind = "closed (%s)" % os.strerror(e.errno)
    except asyncio.TimeoutError:
        kind = "left hanging"
    extra[kind] = extra.get(kind, 0) + 1
    w.close()


async def nonreaders_phase():
    line = b"show stat;" * 6000 + b"\n"
    held = []
    for _ in range(NONREADERS):
        r, w = await unix()
        w.write(line)
        held.append(w)
    await asyncio.gather(*(extra_client() for _ in range(EXTRA)))
    ok = await asyncio.get_running_loop().run_in_executor(None, load.wait_count, 300)
    T.check(ok, "300 transfers through while %d stats clients do not read" % NONREADERS)
    for w in held:
        w.close()


async def huge_client():
    blob = b"x" * (1 << 20)
    try:
        r, w = await unix()
    except (OSError, asyncio.TimeoutError) as e:
        huge.bad(len(blob), "connect: " + type(e).__name__)
        return
    try:
        w.write(blob)
        await asyncio.wait_for(r.read(), 10)
        huge.ok(len(blob))                # closed (with a message or not)
    except OSError:                       # reset, or closed before it all went
        huge.ok(len(blob))
    except asyncio.TimeoutError:
        huge.bad(len(blob), "not closed within 10 s")
    w.close()


async def flood_worker(n):
    for _ in range(n):
        try:
            r, w = await unix()
            w.write(b"show stat\n")
            ans = await asyncio.wait_for(r.read(), 10)
            w.close()
            rows = {",".join(l.split(",")[:2]) for l in ans.decode().splitlines()
                    if l and not l.startswith("#")}
            if ans.startswith(b"# pxname,") and rows == ROWS:
                flood.ok(len(ans))
            else:
                flood.bad(len(ans), "incomplete answer (%d rows)" % len(rows))
        except (OSError, asyncio.TimeoutError) as e:
            flood.bad(0, type(e).__name__)


def wait_served():
    """The stats socket serves again (the previous phase's clients gone)."""
    def answers():
        return "CurrConns" in T.stats_cmd(sock, "show info")
    return T.wait_until(answers, 10)


T.log("stats_abuse: %d non-reading clients, %d more, %d 1 MB lines, a flood of %d"
      % (NONREADERS, EXTRA, HUGE, FLOOD))
asyncio.run(nonreaders_phase())
T.log("  the %d extra clients: %s" % (EXTRA, extra))
T.check("left hanging" not in extra, "no extra client left hanging")
T.check(wait_served(), "the stats socket serves once the non-readers left")
async def huge_phase():
    await asyncio.gather(*(huge_client() for _ in range(HUGE)))


async def flood_phase():
    await asyncio.gather(*(flood_worker(FLOOD // 16) for _ in range(16)))


asyncio.run(huge_phase())
huge.check(HUGE)
T.check(wait_served(), "the stats socket serves after the long lines")
asyncio.run(flood_phase())
flood.check(FLOOD // 16 * 16)
load.stop(300)
T.check(load.tally.slowest < SLOWEST_BOUND, "no transfer slower than %.0f s during "
        "the attack (%.2f s)" % (SLOWEST_BOUND, load.tally.slowest))
S.report_memory(run, GROWTH_BOUND_MB, base_kb=base_kb)
T.check(T.wait_until(lambda: S.status_kb(run.proc.pid, "VmRSS") - base_kb < 8 * 1024, 10),
        "resident size back within 8 MB of the start once the attackers left "
        "(%.1f MB above)" % ((S.status_kb(run.proc.pid, "VmRSS") - base_kb) / 1024))
S.alive(run, "the stats socket abuse")
T.done()
