#!/usr/bin/python3
"""close-spread-time: a soft stop closes idle HTTP keep-alive client
connections at moments spread over the window, not all at once, and a
request in flight is still answered (with `Connection: close` once the
window is over). Without close-spread-time the window is hard-stop-after;
with neither, idle connections close at once; `infinite` closes nothing
early. A reload closes the old
generation's keep-alive clients over the old plan's close-spread-time
and leaves them alone without it."""
import os
import select
import signal
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

N = 12                 # idle keep-alive clients per run
release = threading.Event()


def handler(req):
    if req["target"] == "/slow":
        # held until the test lets it go (bounded by T.TIMEOUT)
        release.wait(T.TIMEOUT)
    return H.ok(b"hello " + req["target"].encode())


origin = H.Origin(("127.0.0.1", T.free_port()), handler)
op = origin.sock.getsockname()[1]


def cfg(fe, glob):
    return """
global
%s
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout http-keep-alive 30s
frontend fe
    bind 127.0.0.1:%d
    default_backend be
backend be
    server o 127.0.0.1:%d
""" % (glob, fe, op)


def keepalive_clients(fe, n):
    """n connections, each having had one answered keep-alive request."""
    out, bad = [], []
    for i in range(n):
        c = H.connect(fe)
        c.sendall(b"GET /%d HTTP/1.1\r\nHost: x\r\n\r\n" % i)
        st, h, body = H.recv_response(c)
        if st != 200 or "close" in h.get("connection", [""])[0]:
            bad.append((st, h))
        out.append(c)
    T.check(not bad, "%d keep-alive answers before the stop (%r)" % (n, bad))
    return out


def close_times(socks, t0, limit):
    """Seconds after t0 at which each socket saw its peer close (None for
    those still open when `limit` seconds have passed)."""
    when = {c: None for c in socks}
    deadline = t0 + limit
    while any(v is None for v in when.values()) and time.monotonic() < deadline:
        open_ = [c for c, v in when.items() if v is None]
        r, _, _ = select.select(open_, [], [], max(0.0, deadline - time.monotonic()))
        now = time.monotonic()
        for c in r:
            try:
                d = c.recv(4096)
            except OSError:
                d = b""
            if not d:
                when[c] = now - t0
    return [when[c] for c in socks]


def exit_code(run):
    """cfgrun's exit status once it exits by itself (None: it did not)."""
    try:
        return run.proc.wait(timeout=T.TIMEOUT)
    except Exception:
        return None


def fmt(ts):
    return ", ".join("-" if t is None else "%.2f" % t for t in sorted(ts, key=lambda x: x or 99))


# ---- 1. SIGUSR1 with close-spread-time 2s ------------------------------
fe = T.free_port()
plan = T.compile_cfg(cfg(fe, "    close-spread-time 2s\n    hard-stop-after 20s"), "spread.cfg")
run = T.Cfgrun(plan)
idle = keepalive_clients(fe, N)
slow = H.connect(fe)
slow.sendall(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
T.wait_until(lambda: any(r["target"] == "/slow" for r in origin.requests))
t0 = time.monotonic()
run.proc.send_signal(signal.SIGUSR1)
run.wait_for(r"soft stop: closing HTTP client connections over 2000 ms")
ts = close_times(idle, t0, 2.0 + 3.0)
done = [t for t in ts if t is not None]
T.check(len(done) == N, "every idle keep-alive connection closed within the window (%s)" % fmt(ts))
T.check(done and max(done) < 2.0 + 1.0,
        "none closed past the window's end (%s)" % fmt(ts))
T.check(done and max(done) - min(done) >= 0.6,
        "the closes are spread over the window, not all at once (%s)" % fmt(ts))
T.check(len({int(t * 4) for t in done}) >= 3,
        "closes fall in at least 3 different quarter-seconds (%s)" % fmt(ts))
T.check(run.proc.poll() is None, "cfgrun still waits for the request in flight")
# the last idle close may come before the window's end: answer after it
T.wait_until(lambda: time.monotonic() >= t0 + 2.0 + 0.3, timeout=5)
release.set()
st, h, body = H.recv_response(slow)
T.check(st == 200 and body == b"hello /slow",
        "the request in flight is answered (%r %r)" % (st, body))
T.check(h.get("connection") == ["close"],
        "past the window its answer says Connection: close (%r)" % h)
T.check(H.closed(slow), "and its connection closes after it")
rc = exit_code(run)
T.check(rc == 0, "cfgrun exits 0 once the last connection ended (%r)" % rc)
release.clear()

# ---- 2. hard-stop-after alone gives the window -------------------------
fe = T.free_port()
plan = T.compile_cfg(cfg(fe, "    hard-stop-after 2s"), "hsa.cfg")
run = T.Cfgrun(plan)
idle = keepalive_clients(fe, N)
t0 = time.monotonic()
run.proc.send_signal(signal.SIGUSR1)
run.wait_for(r"soft stop: closing HTTP client connections over 2000 ms")
ts = close_times(idle, t0, 2.0 + 3.0)
done = [t for t in ts if t is not None]
T.check(len(done) == N and max(done) - min(done) >= 0.6,
        "with hard-stop-after only, closes are spread over it (%s)" % fmt(ts))
rc = exit_code(run)
T.check(rc == 0, "exits 0 (%r)" % rc)

# ---- 3. neither: idle connections close at once -----------------------
fe = T.free_port()
plan = T.compile_cfg(cfg(fe, ""), "none.cfg")
run = T.Cfgrun(plan)
idle = keepalive_clients(fe, 4)
slow = H.connect(fe)
slow.sendall(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
T.wait_until(lambda: sum(r["target"] == "/slow" for r in origin.requests) >= 2)
t0 = time.monotonic()
run.proc.send_signal(signal.SIGUSR1)
ts = close_times(idle, t0, 3.0)
T.check(all(t is not None and t < 1.0 for t in ts),
        "without a window idle keep-alive connections close at once (%s)" % fmt(ts))
release.set()
st, h, body = H.recv_response(slow)
T.check(st == 200 and h.get("connection") == ["close"],
        "the request in flight is answered with Connection: close (%r %r)" % (st, h))
rc = exit_code(run)
T.check(rc == 0, "exits 0 once it ended (%r)" % rc)
release.clear()

# ---- 4. reload: the old generation's clients over its window -----------
fe = T.free_port()
path = T.tmp("reload.plan")
T.compile_cfg(cfg(fe, "    close-spread-time 1500"), "r1.cfg", out=path)
run = T.Cfgrun(path)
idle = keepalive_clients(fe, N)
T.compile_cfg(cfg(fe, "    close-spread-time 1500\n    description second"), "r2.cfg", out=path)
t0 = time.monotonic()
T.check(run.reload(), "reloaded")
run.wait_for(r"plan generation 1: closing its HTTP client connections over 1500 ms")
ts = close_times(idle, t0, 1.5 + 3.0)
done = [t for t in ts if t is not None]
T.check(len(done) == N and max(done) < 1.5 + 1.0 and max(done) - min(done) >= 0.4,
        "a reload closes the old generation's idle clients over its window (%s)" % fmt(ts))
run.wait_for(r"plan generation 1 released")
c = H.connect(fe)
c.sendall(b"GET /new HTTP/1.1\r\nHost: x\r\n\r\n")
st, h, _ = H.recv_response(c)
T.check(st == 200 and "close" not in h.get("connection", [""])[0],
        "the new generation keeps its clients alive (%r %r)" % (st, h))
c.close()
T.check(run.proc.poll() is None, "cfgrun goes on")
run.stop()

# ... and without close-spread-time, they are left alone.
T.compile_cfg(cfg(fe, ""), "r3.cfg", out=path)
run = T.Cfgrun(path)
idle = keepalive_clients(fe, 3)
T.compile_cfg(cfg(fe, "    description second"), "r4.cfg", out=path)
T.check(run.reload(), "reloaded")
ts = close_times(idle, time.monotonic(), 1.0)
T.check(all(t is None for t in ts),
        "without close-spread-time a reload leaves keep-alive clients open (%s)" % fmt(ts))
idle[0].sendall(b"GET /again HTTP/1.1\r\nHost: x\r\n\r\n")
st, _, body = H.recv_response(idle[0])
T.check(st == 200 and body == b"hello /again", "and they are still served (%r)" % st)
run.stop()
# ---- 5. close-spread-time infinite: nothing is closed early -----------
fe = T.free_port()
plan = T.compile_cfg(cfg(fe, "    close-spread-time infinite"), "inf.cfg")
run = T.Cfgrun(plan)
idle = keepalive_clients(fe, 3)
run.proc.send_signal(signal.SIGUSR1)
run.wait_for(r"soft stop: close-spread-time infinite")
ts = close_times(idle, time.monotonic(), 1.0)
T.check(all(t is None for t in ts),
        "infinite: idle keep-alive clients stay open (%s)" % fmt(ts))
idle[0].sendall(b"GET /inf HTTP/1.1\r\nHost: x\r\n\r\n")
st, h, body = H.recv_response(idle[0])
T.check(st == 200 and "close" not in h.get("connection", [""])[0],
        "infinite: a request is answered without Connection: close (%r %r)"
        % (st, h))
run.stop()
origin.close()
T.done()
