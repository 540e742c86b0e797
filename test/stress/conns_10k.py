#!/usr/bin/python3
"""10,000 concurrent connections held open and echoed through cfgrun.

Every connection is opened and checked with a first message (1 kB echoed
back, SHA-256 compared) and kept open; once all 10,000 are held at the
same time (cfgrun then holds a client and a server socket for each: its
descriptor count is checked), a second message (4 kB) goes through each,
and each is closed with a FIN that must come back. Fails on any lost or
corrupted message and when cfgrun's peak RSS passes its bound."""
import asyncio
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stresslib as S

T = S.T
N = int(os.environ.get("HAPC_STRESS_CONNS", "10000"))
S.timed_out(240)
# cfgrun needs two descriptors a connection and a few of its own; without
# CAP_SYS_RESOURCE the hard limit cannot be raised (a container's often
# is 20,000): then as many connections as it allows, said in the output.
nofile = S.raise_nofile(2 * N + 200)
if nofile < 2 * N + 200:
    N = (nofile - 200) // 2
    T.log("NOTE: RLIMIT_NOFILE's hard limit is %d here and cannot be raised: "
          "%d connections instead" % (nofile, N))
RSS_BOUND_MB = 32 + N * 32 // 1024      # a base plus 32 kB a connection

fe, be = T.free_ports(2)
backend = S.Backend("echo", [be])
plan = T.compile_cfg("""
global
    maxconn %d
defaults
    mode tcp
    timeout connect 5s
    timeout client 120s
    timeout server 120s
listen fe
    bind 127.0.0.1:%d backlog 4096
    maxconn %d
    server s 127.0.0.1:%d
""" % (N + 100, fe, N + 100, be), "conns.cfg")
run = T.Cfgrun(plan)

first = S.Tally("first message on each of %d connections" % N)
second = S.Tally("second message while all %d are held" % N)
closing = S.Tally("FIN echoed at close")


async def one_message(tally, r, w, seed, size):
    data = S.body(seed, size)
    try:
        w.write(data)
        got = await S.read_exactly(r, size, 30)
        if got == data:
            tally.ok(size)
            return True
        tally.bad(size, "echo differs (%d of %d bytes)" % (len(got), size))
    except (OSError, asyncio.TimeoutError) as e:
        tally.bad(size, type(e).__name__)
    return False


async def open_one(i, limit):
    try:
        r, w = await S.connect(fe, 30, limit)
    except (OSError, asyncio.TimeoutError) as e:
        first.bad(1024, "connect: " + type(e).__name__)
        return None
    if not await one_message(first, r, w, i, 1024):
        w.close()
        return None
    return r, w


async def close_one(r, w):
    try:
        w.write_eof()
        rest = await asyncio.wait_for(r.read(1), 30)
        if rest == b"":
            closing.ok(0)
        else:
            closing.bad(0, "data after the echo")
    except (OSError, asyncio.TimeoutError) as e:
        closing.bad(0, type(e).__name__)
    finally:
        w.close()


async def main():
    limit = asyncio.Semaphore(256)
    conns = await asyncio.gather(*(open_one(i, limit) for i in range(N)))
    held = [c for c in conns if c]
    nfd = S.fds(run.proc.pid)
    T.log("  %d connections held at once; cfgrun has %d descriptors open"
          % (len(held), nfd))
    T.check(len(held) == N, "all %d connections held at once (%d)" % (N, len(held)))
    T.check(nfd >= 2 * len(held), "cfgrun holds a client and a server socket "
            "for each (%d descriptors for %d)" % (nfd, len(held)))
    await asyncio.gather(*(one_message(second, r, w, N + i, 4096)
                           for i, (r, w) in enumerate(held)))
    await asyncio.gather(*(close_one(r, w) for r, w in held))


T.log("conns_10k: %d concurrent connections through cfgrun" % N)
asyncio.run(main())
first.check(N)
second.check(N)
closing.check(N)
S.report_memory(run, RSS_BOUND_MB)
# Everything closed: cfgrun gives the descriptors back.
T.check(T.wait_until(lambda: S.fds(run.proc.pid) < 100, 30),
        "cfgrun closed every connection's sockets (%d descriptors left)"
        % S.fds(run.proc.pid))
S.alive(run, "%d connections" % N)
rc, _ = run.stop()
T.check(rc == 0, "cfgrun stopped cleanly (%s)" % rc)
T.done()
