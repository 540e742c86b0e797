#!/usr/bin/python3
"""2,000 slowloris clients beside working ones.

1,000 clients trickle bytes to a TCP proxy (one byte every half second):
every byte comes back, and the whole trickle is compared at the end.
1,000 clients trickle an HTTP request head that never ends: each is
answered 408 and closed by `timeout http-request` (not before it, and
within a bound after it). Meanwhile working clients make echo transfers
through the TCP proxy and GETs through the HTTP one without pause: every
one must come back intact. cfgrun's peak RSS is bounded."""
import asyncio
import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stresslib as S

T = S.T
SLOW = int(os.environ.get("HAPC_STRESS_SLOW", "1000"))   # of each kind
TRICKLE = 16                 # bytes each TCP slowloris sends
STEP = 0.5                   # seconds between two trickled bytes
HTTP_REQ_TIMEOUT = 3         # s
RSS_BOUND_MB = 96
S.timed_out(180)
S.raise_nofile(8 * SLOW + 1000)

tcp_fe, http_fe, echo_be, http_be = T.free_ports(4)
echo_backend = S.Backend("echo", [echo_be])
http_backend = S.Backend("http", [http_be])
plan = T.compile_cfg("""
global
    maxconn %d
defaults
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    timeout http-request %ds
listen tcp
    mode tcp
    bind 127.0.0.1:%d backlog 4096
    server s 127.0.0.1:%d
listen web
    mode http
    bind 127.0.0.1:%d backlog 4096
    server s 127.0.0.1:%d
""" % (4 * SLOW + 500, HTTP_REQ_TIMEOUT, tcp_fe, echo_be, http_fe, http_be),
    "slowloris.cfg")
run = T.Cfgrun(plan)

tcp_slow = S.Tally("TCP slowloris, %d bytes trickled each" % TRICKLE)
http_slow = S.Tally("HTTP slowloris, a head that never ends (408 expected)")
http_closed_at = []
http_reset = []


async def tcp_slowloris(i, limit):
    data = S.body(i, TRICKLE)
    w = None
    try:
        r, w = await S.connect(tcp_fe, 30, limit)
        for k in range(TRICKLE):
            w.write(data[k:k + 1])
            await asyncio.sleep(STEP)       # the client's pace, not a wait for state
        w.write_eof()
        got = await S.read_exactly(r, TRICKLE + 1, 30)
        if got == data:
            tcp_slow.ok(TRICKLE)
        else:
            tcp_slow.bad(TRICKLE, "echo differs (%d of %d bytes)" % (len(got), TRICKLE))
    except (OSError, asyncio.TimeoutError) as e:
        tcp_slow.bad(TRICKLE, type(e).__name__)
    finally:
        if w:
            w.close()


async def http_slowloris(i, limit):
    head = b"GET /obj/10/%d HTTP/1.1\r\nHost: stress\r\nX-Slow: " % i
    w = None
    try:
        r, w = await S.connect(http_fe, 30, limit)
        t0 = time.monotonic()
        w.write(head)
        answer = asyncio.ensure_future(S.read_exactly(r, 1 << 16, 30))
        # At most 4x the timeout's worth of bytes: cfgrun must cut first.
        for k in range(int(4 * HTTP_REQ_TIMEOUT / STEP)):
            if answer.done():
                break
            w.write(b"a")
            await asyncio.wait([answer], timeout=STEP)
        try:
            got = await asyncio.wait_for(answer, 30)
        except ConnectionResetError:
            # cfgrun closed with trickled bytes unread: the kernel's reset
            # may overtake the 408 (the client kept writing); still a cut.
            got = b"(reset)"
            http_reset.append(1)
        took = time.monotonic() - t0
        http_closed_at.append(took)
        if got[:13] in (b"HTTP/1.1 408 ", b"(reset)") and \
                took >= HTTP_REQ_TIMEOUT - 0.2:
            http_slow.ok(len(head))
        else:
            http_slow.bad(len(head), "after %.1f s: %r" % (took, got[:20]))
    except (OSError, asyncio.TimeoutError) as e:
        http_slow.bad(len(head), type(e).__name__)
    finally:
        if w:
            w.close()


async def main():
    limit = asyncio.Semaphore(256)
    await asyncio.gather(*[tcp_slowloris(i, limit) for i in range(SLOW)],
                         *[http_slowloris(i, limit) for i in range(SLOW)])


T.log("slowloris: %d TCP and %d HTTP slow clients beside working ones" % (SLOW, SLOW))
echo_load = S.Load(tcp_fe, workers=8, size=65536, what="working TCP echo transfers (64 kB)")
http_load = S.Load(http_fe, workers=8, size=65536, kind="http",
                   what="working HTTP GETs (64 kB)")
asyncio.run(main())
echo_load.stop(100)
http_load.stop(100)
tcp_slow.check(SLOW)
http_slow.check(SLOW)
if http_closed_at:
    T.log("  HTTP slowloris cut after %.1f to %.1f s (timeout http-request %d s); "
          "%d read the 408, %d saw the reset first"
          % (min(http_closed_at), max(http_closed_at), HTTP_REQ_TIMEOUT,
             len(http_closed_at) - len(http_reset), len(http_reset)))
    T.check(max(http_closed_at) < HTTP_REQ_TIMEOUT + 5,
            "every HTTP slowloris cut within 5 s after timeout http-request")
S.report_memory(run, RSS_BOUND_MB)
S.alive(run, "the slowloris clients")
T.done()
