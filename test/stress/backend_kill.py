#!/usr/bin/python3
"""Backends killed during large transfers.

10 clients echo 64 MB each through a TCP proxy and 10 download 64 MB each
through an HTTP proxy (checked as they arrive, never held whole). Once every one of them has received its first
megabyte (intact), both backend processes are killed (SIGKILL). Every
client must then see a clean end: its connection closed or reset within
a bound, never hung, and the bytes it did get an intact prefix of what
it should have got. While the backends are down a new TCP connection is
closed without data and a GET is answered 503. Once they are back, the
20 large transfers (16 MB) all come through intact; cfgrun never stopped
and its peak RSS is bounded (a transfer's size does not show in it)."""
import asyncio
import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stresslib as S

T = S.T
N = 10                   # transfers of each kind
SIZE = 64 * S.MB         # far more than the sockets and cfgrun buffer
AFTER_SIZE = 16 * S.MB   # the transfers once the backends are back
FIRST = S.MB             # read before the kill
STALL = 10               # s: no byte for this long is a hung transfer
END_BOUND = 30           # s: every client reads its end within this
RSS_BOUND_MB = 64
S.timed_out(180)
S.raise_nofile(10000)

tcp_fe, http_fe, echo_be, http_be = T.free_ports(4)
echo_backend = S.Backend("echo", [echo_be])
http_backend = S.Backend("http", [http_be])
plan = T.compile_cfg("""
defaults
    timeout connect 2s
    timeout client 60s
    timeout server 60s
listen tcp
    mode tcp
    bind 127.0.0.1:%d
    server s 127.0.0.1:%d
listen web
    mode http
    bind 127.0.0.1:%d
    server s 127.0.0.1:%d
""" % (tcp_fe, echo_be, http_fe, http_be), "kill.cfg")
run = T.Cfgrun(plan)

cut = S.Tally("transfers cut by the kill (clean end, intact prefix)")
inflight = []
ends = {}


async def first_then_rest(kind, r, seed, killed, t_kill):
    """Read the first MB, wait for the kill, read on to the end within a
    bound; account the transfer."""
    expect = S.Expect(seed, SIZE)
    while expect.n < FIRST and expect.intact:
        d = await asyncio.wait_for(r.read(S.CHUNK), 30)
        if not d:
            break
        expect.feed(d)
    if expect.n < FIRST or not expect.intact:
        cut.bad(SIZE, "%s: first MB not intact (%d bytes)" % (kind, expect.n))
        return
    inflight.append(1)
    await killed.wait()
    end = await S.read_into(r, expect, STALL)
    took = time.monotonic() - t_kill[0]
    if end in ("eof", "reset") and expect.intact and took <= END_BOUND:
        cut.ok(SIZE, took)
        ends[kind + " " + end] = ends.get(kind + " " + end, 0) + 1
        cut_at.append(expect.n)
    else:
        cut.bad(SIZE, "%s: %s after %d bytes, %.1f s after the kill"
                % (kind, end, expect.n, took))


cut_at = []


async def tcp_cut(seed, killed, t_kill):
    r, w = await S.connect(tcp_fe)
    async def send():
        try:
            for c in S.chunks(seed, SIZE):
                w.write(c)
                await w.drain()
        except OSError:
            pass                  # the far end went away: expected here
    sender = asyncio.ensure_future(send())
    await first_then_rest("TCP", r, seed, killed, t_kill)
    sender.cancel()
    w.close()


async def http_cut(seed, killed, t_kill):
    r, w = await S.connect(http_fe)
    status = await S.get_head(r, w, seed, SIZE, 30)
    if status != b"200":
        T.fail("HTTP %d: 200 before the kill (%s)" % (seed, status))
    await first_then_rest("HTTP", r, seed, killed, t_kill)
    w.close()


async def phase_cut():
    killed = asyncio.Event()
    t_kill = [0.0]
    tasks = [asyncio.ensure_future(tcp_cut(i, killed, t_kill)) for i in range(N)] + \
        [asyncio.ensure_future(http_cut(N + i, killed, t_kill)) for i in range(N)]
    # Bounded: every client holds its first MB, or 60 s passed.
    deadline = time.monotonic() + 60
    while len(inflight) < 2 * N and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    T.check(len(inflight) == 2 * N, "all %d transfers in flight before the kill (%d)"
            % (2 * N, len(inflight)))
    t_kill[0] = time.monotonic()
    echo_backend.kill()
    http_backend.kill()
    killed.set()
    await asyncio.gather(*tasks, return_exceptions=True)


async def while_down():
    r, w = await S.connect(tcp_fe)
    try:
        got = await asyncio.wait_for(r.read(1), END_BOUND)
    except ConnectionResetError:
        got = b""
    T.check(got == b"", "backend down: a TCP connection is closed without data")
    w.close()
    r, w = await S.connect(http_fe)
    status = await S.get_head(r, w, 1, 10, END_BOUND)
    T.check(status == b"503", "backend down: a GET is answered 503 (%s)" % status)
    w.close()


after = S.Tally("large transfers once the backends are back")


async def phase_after():
    await asyncio.gather(*[S.echo(after, tcp_fe, 100 + i, AFTER_SIZE) for i in range(N)],
                         *[S.http_get(after, http_fe, 200 + i, AFTER_SIZE)
                           for i in range(N)])


T.log("backend_kill: %d TCP echoes and %d HTTP downloads of %d MB, backends killed"
      % (N, N, SIZE // S.MB))
asyncio.run(phase_cut())
cut.check(2 * N)
T.log("  ends seen by the clients: %s; cut after %.1f to %.1f MB of %d"
      % (ends, min(cut_at or [0]) / S.MB, max(cut_at or [0]) / S.MB, SIZE // S.MB))
T.check(max(cut_at or [SIZE]) < SIZE, "every transfer was cut short by the kill")
S.alive(run, "the backends were killed")
asyncio.run(while_down())
echo_backend.start()
http_backend.start()
asyncio.run(phase_after())
after.check(2 * N)
S.report_memory(run, RSS_BOUND_MB)
S.alive(run, "the whole scenario")
T.done()
