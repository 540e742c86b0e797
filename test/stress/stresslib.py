"""stresslib: what the stress scenarios (test/stress/*.py, `make stress`)
share on top of test/integration/rtlib.py (plans compiled by cfgc, cfgrun
as a child, free ports, bounded waits).

- Backend: test/stress/backend.py in a process of its own (echo or HTTP).
- Clients are asyncio coroutines in the scenario's process; each transfer
  carries chunks(seed, size), generated again on the receiving side and
  compared as it arrives (a corrupted prefix is told from a cut one) and
  by SHA-256 at the end (Expect); each is counted in a Tally (what was
  sent, what came back intact, the failures with their first reasons).
- Memory: cfgrun's peak resident size is VmHWM in /proc/PID/status; each
  scenario runs its own cfgrun, so the peak is that scenario's.
Every wait has a deadline; every loop is bounded by a count or a deadline.
"""
import asyncio
import hashlib
import os
import random
import resource
import select
import signal
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import rtlib as T   # noqa: E402  (re-exported: scenarios use S.T)

MB = 1024 * 1024


def raise_nofile(n=200000):
    """Raise RLIMIT_NOFILE to n (the hard limit too when root may)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(n, soft), max(n, hard)))
    except (ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(n, hard), hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


CHUNK = 65536


def chunks(seed, size):
    """The SIZE bytes a transfer numbered SEED carries, chunk by chunk
    (deterministic, so both ends produce them without holding them
    whole; random, so a swapped or repeated chunk is seen)."""
    for i in range(0, size, CHUNK):
        yield random.Random((seed << 32) | (i // CHUNK)).randbytes(min(CHUNK, size - i))


def body(seed, size):
    return b"".join(chunks(seed, size))


class Expect:
    """Checks a stream of received bytes against chunks(seed, size) as it
    arrives: feed() returns False once a byte differs (or comes past
    the end); complete() when all came and the SHA-256 digests agree."""

    def __init__(self, seed, size):
        self.size, self.n, self.intact = size, 0, True
        self.gen, self.pending = chunks(seed, size), b""
        self.got, self.want = hashlib.sha256(), hashlib.sha256()

    def feed(self, data):
        self.n += len(data)
        self.got.update(data)
        while data and self.intact:
            if not self.pending:
                self.pending = next(self.gen, b"")
                self.want.update(self.pending)
                if not self.pending:
                    self.intact = False       # past the end
                    break
            k = min(len(data), len(self.pending))
            if data[:k] != self.pending[:k]:
                self.intact = False
            data, self.pending = data[k:], self.pending[k:]
        return self.intact

    def complete(self):
        return self.intact and self.n == self.size and \
            self.got.digest() == self.want.digest()


def sha(b):
    return hashlib.sha256(b).hexdigest()


def timed_out(seconds):
    """Give a scenario `seconds` in all (rtlib's alarm fails it after)."""
    signal.alarm(seconds)


# ---- the backend process --------------------------------------------------

class Backend:
    """backend.py MODE PORTS in its own process; started at once and
    waited for (its "ready" line) within rtlib's TIMEOUT."""

    def __init__(self, mode, ports):
        self.mode, self.ports = mode, list(ports)
        self.start()

    def start(self):
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "backend.py"), self.mode]
            + [str(p) for p in self.ports],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
        T._children.append(self.proc)
        if not select.select([self.proc.stdout], [], [], T.TIMEOUT * 2)[0]:
            raise RuntimeError("backend %s did not start" % self.mode)
        line = self.proc.stdout.readline()
        if not line.startswith(b"ready"):
            raise RuntimeError("backend %s: %r" % (self.mode, line))

    def kill(self):
        self.proc.kill()
        self.proc.wait(T.TIMEOUT)


def tcp_proxy(fe, be, server="s", client="10s"):
    """Configuration text: a TCP proxy on 127.0.0.1:fe to one server."""
    return """
defaults
    mode tcp
    timeout connect 2s
    timeout client %s
    timeout server 10s
listen fe
    bind 127.0.0.1:%d
    server %s 127.0.0.1:%d
""" % (client, fe, server, be)


# ---- cfgrun's memory ------------------------------------------------------

def status_kb(pid, field):
    """A kB field of /proc/PID/status (VmHWM: peak resident, VmRSS: now)."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def fds(pid, kind=None):
    """How many descriptors PID has open; with kind (a prefix of what
    /proc/PID/fd/N links to, "pipe:"), (how many are of that kind, the
    links of the others)."""
    d = "/proc/%d/fd" % pid
    if kind is None:
        return len(os.listdir(d))
    links = []
    for f in os.listdir(d):
        try:
            links.append(os.readlink(os.path.join(d, f)))
        except OSError:
            pass                  # closed meanwhile
    return (sum(1 for l in links if l.startswith(kind)),
            sorted(l for l in links if not l.startswith(kind)))


# ---- counting transfers ---------------------------------------------------

class Tally:
    """Transfers of one kind: how many were sent (and their bytes), how
    many came back intact, the failures (the first few reasons kept)."""

    def __init__(self, what):
        self.what = what
        self.sent = self.sent_bytes = self.intact = self.failed = 0
        self.slowest = 0.0         # seconds, the longest intact transfer
        self.reasons = {}
        self.lock = threading.Lock()

    def ok(self, nbytes, took=0.0):
        with self.lock:
            self.slowest = max(self.slowest, took)
            self.sent += 1
            self.sent_bytes += nbytes
            self.intact += 1

    def bad(self, nbytes, reason):
        with self.lock:
            self.sent += 1
            self.sent_bytes += nbytes
            self.failed += 1
            self.reasons[reason] = self.reasons.get(reason, 0) + 1

    def line(self):
        s = "%s: sent %d (%.1f MB), intact %d, failed %d" % (
            self.what, self.sent, self.sent_bytes / MB, self.intact, self.failed)
        if self.slowest:
            s += ", slowest %.2f s" % self.slowest
        if self.reasons:
            top = sorted(self.reasons.items(), key=lambda kv: -kv[1])[:5]
            s += " [%s]" % "; ".join("%dx %s" % (n, r) for r, n in top)
        return s

    def check(self, minimum=1):
        """Print the line; fail on any lost or corrupted transfer, or when
        fewer than `minimum` were made."""
        T.log("  " + self.line())
        T.check(self.failed == 0, "%s: no transfer lost or corrupted" % self.what)
        T.check(self.sent >= minimum,
                "%s: at least %d transfers made (%d)" % (self.what, minimum, self.sent))


def report_memory(run, bound_mb, base_kb=None):
    """Print cfgrun's peak RSS and fail above bound_mb (above base_kb when
    given: the growth is what is bounded then)."""
    peak = status_kb(run.proc.pid, "VmHWM")
    now = status_kb(run.proc.pid, "VmRSS")
    if base_kb is None:
        T.log("  cfgrun peak RSS %.1f MB (now %.1f MB), bound %d MB"
              % (peak / 1024, now / 1024, bound_mb))
        T.check(peak <= bound_mb * 1024, "cfgrun peak RSS within %d MB" % bound_mb)
    else:
        T.log("  cfgrun peak RSS %.1f MB (now %.1f MB, %.1f MB at the start), "
              "growth bound %d MB" % (peak / 1024, now / 1024, base_kb / 1024, bound_mb))
        T.check(peak - base_kb <= bound_mb * 1024,
                "cfgrun peak RSS grew by at most %d MB (%.1f)"
                % (bound_mb, (peak - base_kb) / 1024))
    return peak


def alive(run, what):
    T.check(run.proc.poll() is None, "cfgrun still running after %s" % what)


# ---- asyncio clients ------------------------------------------------------

async def connect(port, timeout=30, limit=None):
    """An asyncio connection to 127.0.0.1:port; with `limit`, at most that
    many connects in progress at once (a burst of thousands of SYNs would
    otherwise overflow the SYN queue and wait for retransmits)."""
    if limit is not None:
        async with limit:
            return await asyncio.wait_for(
                asyncio.open_connection("127.0.0.1", port, limit=1 << 20), timeout)
    return await asyncio.wait_for(
        asyncio.open_connection("127.0.0.1", port, limit=1 << 20), timeout)


async def read_exactly(r, n, timeout):
    """n bytes, or what came before EOF (shorter), within timeout."""
    try:
        return await asyncio.wait_for(r.readexactly(n), timeout)
    except asyncio.IncompleteReadError as e:
        return e.partial


async def read_into(r, expect, timeout, until_eof=True):
    """Feed what r reads to expect until EOF (until_eof) or until expect
    has its size; each read within timeout. Returns how it ended:
    "eof", "complete", "reset", "corrupt" or "timeout"."""
    try:
        while until_eof or expect.n < expect.size:
            d = await asyncio.wait_for(r.read(CHUNK), timeout)
            if not d:
                return "eof"
            if not expect.feed(d):
                return "corrupt"
        return "complete"
    except ConnectionResetError:
        return "reset"
    except asyncio.TimeoutError:
        return "timeout"


async def echo(tally, port, seed, size, timeout=30, limit=None):
    """One echo transfer: send chunks(seed, size), shut writing, read to
    EOF; intact when what came back is exactly what was sent."""
    w = None
    t0 = time.monotonic()
    try:
        r, w = await connect(port, timeout, limit)
        async def send():
            for c in chunks(seed, size):
                w.write(c)
                await w.drain()
            w.write_eof()
        sender = asyncio.ensure_future(send())
        expect = Expect(seed, size)
        end = await read_into(r, expect, timeout)
        await asyncio.wait_for(sender, timeout)
        if end == "eof" and expect.complete():
            tally.ok(size, time.monotonic() - t0)
        else:
            tally.bad(size, "echo: %s after %d of %d bytes" % (end, expect.n, size))
    except (OSError, asyncio.TimeoutError) as e:
        tally.bad(size, type(e).__name__)
    finally:
        if w:
            w.close()


async def get_head(r, w, seed, size, timeout):
    """Send `GET /obj/SIZE/SEED` (keep-alive) and read the answer's head;
    returns its status (bytes)."""
    w.write(b"GET /obj/%d/%d HTTP/1.1\r\nHost: stress\r\n\r\n" % (size, seed))
    head = await asyncio.wait_for(r.readuntil(b"\r\n\r\n"), timeout)
    return head.split(b" ", 2)[1]


async def http_get(tally, port, seed, size, timeout=30, limit=None):
    """One GET of chunks(seed, size) on its own connection; intact when
    the status is 200 and the body is exactly that."""
    w = None
    t0 = time.monotonic()
    try:
        r, w = await connect(port, timeout, limit)
        status = await get_head(r, w, seed, size, timeout)
        expect = Expect(seed, size)
        end = await read_into(r, expect, timeout, until_eof=False)
        if status == b"200" and end == "complete":
            tally.ok(size, time.monotonic() - t0)
        else:
            tally.bad(size, "GET: status %s, %s after %d of %d bytes"
                      % (status.decode(), end, expect.n, size))
    except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError,
            asyncio.LimitOverrunError, IndexError) as e:
        tally.bad(size, type(e).__name__)
    finally:
        if w:
            w.close()


class Load:
    """Continuous traffic in a thread of its own (its own event loop):
    `workers` coroutines each make transfers of `size` bytes one after the
    other until stop(), echo transfers (kind "echo") or GETs (kind "http");
    at most `cap` transfers in all (bounded)."""

    def __init__(self, port, workers=8, size=16384, cap=200000, what="load",
                 kind="echo"):
        self.port, self.workers, self.size, self.cap = port, workers, size, cap
        self.transfer = {"echo": echo, "http": http_get}[kind]
        self.tally = Tally(what)
        self.stopping = threading.Event()
        self.seq = 0
        self.thread = threading.Thread(target=lambda: asyncio.run(self._main()),
                                       daemon=True)
        self.thread.start()

    async def _worker(self):
        while not self.stopping.is_set() and self.seq < self.cap:
            self.seq += 1
            await self.transfer(self.tally, self.port, self.seq, self.size,
                                timeout=15)

    async def _main(self):
        await asyncio.gather(*(self._worker() for _ in range(self.workers)))

    def count(self):
        return self.tally.sent

    def wait_count(self, n, timeout=60):
        """Wait (bounded) until n more transfers were made; True if so."""
        target = self.count() + n
        return T.wait_until(lambda: self.count() >= target, timeout)

    def stop(self, minimum=1):
        self.stopping.set()
        self.thread.join(60)
        T.check(not self.thread.is_alive(), "%s: clients finished" % self.tally.what)
        self.tally.check(minimum)
