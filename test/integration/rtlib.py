"""rtlib: shared helpers of the runtime integration tests.

Everything here is real: plans are compiled from configuration text by
cfgc (the path users take), cfgrun runs as a child process, test servers
and clients are plain sockets on loopback. Every wait has a deadline, every
child is killed when the test exits, ports are picked at random among free
ones.

A test script imports this module, does its checks with check()/fail(),
and ends with done(), which exits 0, 1 (some check failed) or 77 (skip).
"""
import atexit
import hashlib
import os
import random
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

SOL_MPTCP = 284
MPTCP_INFO = 1
IPPROTO_MPTCP = getattr(socket, "IPPROTO_MPTCP", 262)
TIMEOUT = 5.0            # seconds, any single wait

TOP_BUILDDIR = os.environ.get("top_builddir", os.getcwd())
TOP_SRCDIR = os.environ.get("top_srcdir",
                            os.path.join(os.path.dirname(__file__), "..", ".."))
CFGC = os.environ.get("CFGC", os.path.join(TOP_BUILDDIR, "cfgc"))
CFGRUN = os.environ.get("CFGRUN", os.path.join(TOP_BUILDDIR, "cfgrun"))

_children = []
_failures = []
_tmpdir = tempfile.mkdtemp(prefix="hapc-it-")


def _cleanup():
    for p in _children:
        if p.poll() is None:
            p.kill()
            try:
                p.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                pass
    for root, dirs, files in os.walk(_tmpdir, topdown=False):
        for f in files:
            os.unlink(os.path.join(root, f))
        for d in dirs:
            os.rmdir(os.path.join(root, d))
    os.rmdir(_tmpdir)


def _on_alarm(*_):
    print("FAIL: test took too long", flush=True)
    _cleanup()
    os._exit(1)


atexit.register(_cleanup)
# A hung test is a failure, not a hang: the harness gets an answer.
signal.signal(signal.SIGALRM, _on_alarm)
signal.alarm(120)


def tmp(name):
    """A path in this test's private temporary directory."""
    return os.path.join(_tmpdir, name)


def log(msg):
    print(msg, flush=True)


def check(cond, what):
    """Record one assertion; returns cond."""
    if cond:
        log("ok: " + what)
    else:
        log("FAIL: " + what)
        _failures.append(what)
    return cond


def fail(what):
    check(False, what)


def skip(why):
    log("SKIP: " + why)
    sys.exit(77)


def done():
    if _failures:
        log("%d check(s) failed" % len(_failures))
        sys.exit(1)
    log("all checks passed")
    sys.exit(0)


# ---- hosts and ports ----------------------------------------------------

def have_ipv6():
    try:
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s.bind(("::1", 0))
        s.close()
        return True
    except OSError:
        return False


def mptcp_state():
    """None when MPTCP sockets work here, else the reason they do not."""
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_MPTCP)
        s.close()
        return None
    except OSError as e:
        return "MPTCP sockets are refused by this host: %s" % e


def is_mptcp(sock):
    """True only on a real MPTCP connection (MPTCP_INFO answers)."""
    try:
        sock.getsockopt(SOL_MPTCP, MPTCP_INFO, 256)
        return True
    except OSError:
        return False


def _port_span():
    """Ports to pick from: below the kernel's ephemeral range when there is
    room (outgoing connections cannot steal them between check and use)."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            lo, hi = (int(x) for x in f.read().split())
    except (OSError, ValueError):
        lo, hi = 32768, 60999
    if lo - 1 - 10000 >= 5000:
        return 10000, lo - 1
    if 65535 - hi >= 5000:
        return hi + 1, 65535
    return 1024, 65535


_given = set()    # ports this test was given: never handed out twice


def free_ports(n=1, host="127.0.0.1", family=socket.AF_INET):
    """n consecutive ports, all free for TCP on host (random base), none
    given before in this process (two calls of free_port() could draw
    the same port: a test then bound it twice, as CI once saw)."""
    lo, hi = _port_span()
    for _ in range(200):
        base = random.randint(lo, hi - n)
        if _given.intersection(range(base, base + n)):
            continue
        socks = []
        try:
            for p in range(base, base + n):
                s = socket.socket(family, socket.SOCK_STREAM)
                socks.append(s)
                s.bind((host, p))
            _given.update(range(base, base + n))
            return list(range(base, base + n))
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no %d free consecutive ports" % n)


def free_port(host="127.0.0.1", family=socket.AF_INET):
    return free_ports(1, host, family)[0]


_held = []


def dead_port(host="127.0.0.1"):
    """A port that refuses connections for the whole test: bound by this
    process and never listening, so no other test can take it between
    the pick and the use (a free port merely checked can be)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((host, 0))
    _held.append(s)
    return s.getsockname()[1]


# ---- plans --------------------------------------------------------------

def have_cfgc():
    return os.access(CFGC, os.X_OK)


def compile_cfg(text, name="test.cfg", out=None):
    """Compile configuration text (written to `name` in the temporary
    directory) with cfgc into `out` (default: name + ".plan"); returns the
    plan's path. Raises with cfgc's diagnostics when it refuses the text."""
    cfg = tmp(name)
    with open(cfg, "w") as f:
        f.write(text)
    out = out or cfg + ".plan"
    r = subprocess.run([CFGC, cfg, "-o", out], capture_output=True,
                       text=True, timeout=TIMEOUT)
    if r.returncode != 0:
        raise RuntimeError("cfgc refused the configuration (exit %d):\n%s%s"
                           % (r.returncode, r.stdout, r.stderr))
    return out


# ---- cfgrun -------------------------------------------------------------

_SANITIZER = re.compile(r"ERROR: (Address|Leak)Sanitizer|runtime error:")


def _sanitizer_check(output, what):
    """In --enable-asan/--enable-ubsan builds, any report is a failure."""
    m = _SANITIZER.search(output)
    if m:
        fail("%s: sanitizer report:\n%s" % (what, output[m.start():m.start() + 2000]))

_sanitized = []


def sanitized():
    """True when cfgrun is an AddressSanitizer build (scripts/asan.sh): its
    allocator keeps freed memory in quarantine and pads every block, so a
    bound on cfgrun's resident size cannot be judged there."""
    if not _sanitized:
        with open(CFGRUN, "rb") as f:
            _sanitized.append(b"__asan_init" in f.read())
    return _sanitized[0]


class Cfgrun:
    """cfgrun as a child process; stderr goes to a file we can read."""

    def __init__(self, plan, args=(), pass_fds=(), wait_ready=True,
                 preexec=None, env=None):
        self.errpath = tmp("cfgrun%d.err" % random.randint(0, 1 << 30))
        self.errf = open(self.errpath, "w")
        self.proc = subprocess.Popen([CFGRUN] + list(args) + [plan],
                                     stdin=subprocess.DEVNULL,
                                     stdout=self.errf, stderr=self.errf,
                                     pass_fds=pass_fds,
                                     preexec_fn=preexec,
                                     env=None if env is None else
                                     dict(os.environ, **env))
        _children.append(self.proc)
        if wait_ready:
            self.wait_for(r"cfgrun: ready")

    def stderr(self):
        with open(self.errpath) as f:
            return f.read()

    def wait_for(self, pattern, timeout=TIMEOUT):
        """Wait until stderr matches pattern; returns the match."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = re.search(pattern, self.stderr())
            if m:
                return m
            if self.proc.poll() is not None:
                m = re.search(pattern, self.stderr())
                if m:
                    return m
                raise RuntimeError("cfgrun exited with %d before '%s':\n%s"
                                   % (self.proc.returncode, pattern,
                                      self.stderr()))
            time.sleep(0.02)
        raise RuntimeError("timed out waiting for '%s' in cfgrun's output:\n%s"
                           % (pattern, self.stderr()))

    def log_lines(self):
        """The per-connection log lines (not the 'cfgrun:' messages)."""
        return [l for l in self.stderr().splitlines()
                if l and not l.startswith("cfgrun:")]

    def wait_logs(self, n, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = self.log_lines()
            if len(lines) >= n:
                return lines
            time.sleep(0.02)
        return self.log_lines()

    def reload(self):
        """SIGHUP, then wait until cfgrun logs that it reloaded; returns
        whether it did."""
        n = self.stderr().count("reloaded plan")
        self.proc.send_signal(signal.SIGHUP)
        return wait_until(lambda: self.stderr().count("reloaded plan") > n)

    def stop(self, sig=signal.SIGTERM, timeout=TIMEOUT):
        """Send sig; returns (exit status, seconds it took)."""
        t0 = time.monotonic()
        self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = None
        took = time.monotonic() - t0
        _sanitizer_check(self.stderr(), "cfgrun")
        return rc, took


def run_cfgrun(plan, args=(), timeout=TIMEOUT, pass_fds=()):
    """Run cfgrun expecting it to exit by itself; returns (rc, output)."""
    r = subprocess.run([CFGRUN] + list(args) + [plan], capture_output=True,
                       text=True, timeout=timeout, pass_fds=pass_fds)
    _sanitizer_check(r.stdout + r.stderr, "cfgrun " + " ".join(args))
    return r.returncode, r.stdout + r.stderr


# ---- test servers -------------------------------------------------------

class Server:
    """A listening test server in a thread.

    Each accepted connection first receives the greeting
    "<name> mptcp=<0|1>\\n" (mptcp=1 when MPTCP_INFO answers on the accepted
    socket), then gets back every byte it sends (echo); at EOF the server
    shuts its write side and closes. Connections are counted.
    `handler(conn)`, when given, serves each connection instead (the server
    closes the socket after it returns)."""

    def __init__(self, name, addr, family=socket.AF_INET, proto=0,
                 greet=True, backlog=64, handler=None):
        self.name = name
        self.handler = handler
        self.greet = greet
        self.accepted = 0
        self.mptcp_seen = []
        self.sock = socket.socket(family, socket.SOCK_STREAM, proto)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(addr)
        self.sock.listen(backlog)
        self.sock.settimeout(0.2)
        self.stopped = False
        t = threading.Thread(target=self._loop, daemon=True)
        t.start()

    def _loop(self):
        while not self.stopped:
            try:
                c, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.accepted += 1
            threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    def _serve(self, c):
        c.settimeout(30)
        try:
            if self.handler:
                self.handler(c)
                return
            m = is_mptcp(c)
            self.mptcp_seen.append(m)
            if self.greet:
                c.sendall(("%s mptcp=%d\n" % (self.name, int(m))).encode())
            while True:
                d = c.recv(65536)
                if not d:
                    break
                c.sendall(d)
            c.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        finally:
            c.close()

    def close(self):
        self.stopped = True
        self.sock.close()


def connect(addr, family=socket.AF_INET, proto=0, timeout=TIMEOUT):
    s = socket.socket(family, socket.SOCK_STREAM, proto)
    s.settimeout(timeout)
    s.connect(addr)
    return s


def recv_all(s, limit=1 << 28):
    """Read until EOF (bounded by the socket timeout and limit)."""
    chunks, n = [], 0
    while n < limit:
        d = s.recv(1 << 16)
        if not d:
            break
        chunks.append(d)
        n += len(d)
    return b"".join(chunks)


def exchange(addr, payload, family=socket.AF_INET, proto=0):
    """Connect, send payload, shut down writing, read to EOF.
    Returns (reply bytes, True if the client socket was MPTCP)."""
    s = connect(addr, family, proto)
    try:
        mp = is_mptcp(s)
        s.sendall(payload)
        s.shutdown(socket.SHUT_WR)
        return recv_all(s), mp
    finally:
        s.close()


def closed_without_data(addr, payload=b"hello", family=socket.AF_INET,
                        timeout=TIMEOUT):
    """Connect, send payload and wait: True when cfgrun closes the
    connection (EOF or reset) without sending a byte, within timeout. A
    reset may already come while connect() waits for the handshake (a
    rule that decides on the server's first bytes can be that quick)."""
    try:
        s = connect(addr, family, timeout=timeout)
    except ConnectionResetError:
        return True
    try:
        s.sendall(payload)
        return s.recv(1 << 16) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False
    finally:
        s.close()


def greeting(reply):
    """(server name, mptcp flag, echoed bytes) of a Server reply."""
    head, _, rest = reply.partition(b"\n")
    m = re.match(rb"(\S+) mptcp=([01])$", head)
    if not m:
        return None, None, reply
    return m.group(1).decode(), m.group(2) == b"1", rest


def sha256(b):
    return hashlib.sha256(b).hexdigest()


def abns_addr(name):
    """HAProxy's abns@: the abstract name padded with NULs to full size."""
    raw = b"\0" + name.encode()
    return raw + b"\0" * (108 - len(raw))



# ---- balancing and health checks ----------------------------------------

def wait_until(pred, timeout=TIMEOUT, step=0.02):
    """Poll pred() until it is true or timeout seconds passed; returns
    its last value. A socket error in pred() (a port not open yet after
    a reload) counts as not yet."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            v = pred()
        except OSError:
            v = False
        if v or time.monotonic() >= deadline:
            return v
        time.sleep(step)


def hold(addr, family=socket.AF_INET, source=None):
    """Connect to a Server through cfgrun and read its greeting, keeping
    the connection open. Returns (socket, server name); the name is None
    when cfgrun closed the connection instead (the socket is then closed)."""
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(TIMEOUT)
    if source:
        s.bind((source, 0))
    s.connect(addr)
    line = b""
    try:
        while not line.endswith(b"\n"):
            d = s.recv(1)
            if not d:
                break
            line += d
    except (ConnectionResetError, socket.timeout):
        pass
    name, _, _ = greeting(line)
    if name is None:
        s.close()
    return s, name


def server_names(addr, n, source=None):
    """The Server names greeting n successive short connections (None for
    one cfgrun closed without a greeting)."""
    out = []
    for _ in range(n):
        s, name = hold(addr, source=source)
        s.close()
        out.append(name)
    return out


# ---- stats socket and queued clients ------------------------------------

def stats_cmd(path, cmd):
    """Send one command line to the stats socket at `path` (unix), return
    the whole answer (cfgrun closes after a command without a prompt)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(TIMEOUT)
    try:
        s.connect(path)
        s.sendall(cmd.encode() + b"\n")
        return recv_all(s).decode()
    finally:
        s.close()


def stat_rows(path):
    """`show stat` as {(pxname, svname): {column: value}}."""
    lines = [l for l in stats_cmd(path, "show stat").splitlines() if l]
    head = lines[0][2:].rstrip(",").split(",")
    return {(f[0], f[1]): dict(zip(head, f))
            for f in (l.split(",") for l in lines[1:])}


def greeted(s, timeout=TIMEOUT):
    """The name in a Server's greeting on connected socket s when it
    arrives within timeout seconds; None when nothing came (still waiting,
    e.g. queued: the socket stays usable), or cfgrun closed or reset the
    connection."""
    if not select.select([s], [], [], timeout)[0]:
        return None
    line = b""
    try:
        while not line.endswith(b"\n"):
            d = s.recv(1)
            if not d:
                return None
            line += d
    except (socket.timeout, ConnectionResetError):
        return None
    return greeting(line)[0]


def client(port, host="127.0.0.1"):
    """A connection to cfgrun that has not read anything yet."""
    return connect((host, port))


class HalfClose:
    """Half-close both ways through cfgrun, on two proxies of one plan.

    listen client_fin: its server reads the request up to the client's FIN,
    waits, then sends `reply` and its own FIN. listen server_fin: its server
    sends GREETING and its FIN at once, then reads what the client still
    sends until the client's FIN. .plan is the compiled plan (written as
    `name`); run cfgrun over it, then call client_fin() and server_fin()."""

    GREETING = b"bye early\n"

    def __init__(self, reply, name="halfclose.cfg"):
        self.reply = reply
        self.seen = {}                   # "request", "late": what servers read
        self.fe_client_fin, self.fe_server_fin, sp1, sp2 = free_ports(4)
        Server("a", ("127.0.0.1", sp1), handler=self._reply_after_eof)
        Server("b", ("127.0.0.1", sp2), handler=self._fin_first)
        self.plan = compile_cfg("""
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
listen client_fin
    bind 127.0.0.1:%d
    server a 127.0.0.1:%d
listen server_fin
    bind 127.0.0.1:%d
    server b 127.0.0.1:%d
""" % (self.fe_client_fin, sp1, self.fe_server_fin, sp2), name=name)

    def _reply_after_eof(self, c):
        self.seen["request"] = recv_all(c)
        time.sleep(0.3)
        c.sendall(self.reply)
        c.shutdown(socket.SHUT_WR)

    def _fin_first(self, c):
        c.sendall(self.GREETING)
        c.shutdown(socket.SHUT_WR)
        self.seen["late"] = recv_all(c)

    def client_fin(self, req):
        """Send req and FIN to listen client_fin, read the reply to EOF;
        returns (what the server read before its reply, what the client
        read)."""
        s = connect(("127.0.0.1", self.fe_client_fin))
        s.sendall(req)
        s.shutdown(socket.SHUT_WR)
        got = recv_all(s)
        s.close()
        return self.seen.get("request"), got

    def server_fin(self, late):
        """Read listen server_fin's greeting to the server's FIN, then send
        late and FIN and read to EOF; returns (what the client read first,
        what it read after its own FIN, what the server read after its FIN
        or None when that did not arrive within TIMEOUT)."""
        s = connect(("127.0.0.1", self.fe_server_fin))
        first = recv_all(s)
        s.sendall(late)
        s.shutdown(socket.SHUT_WR)
        rest = recv_all(s)
        s.close()
        wait_until(lambda: "late" in self.seen)
        return first, rest, self.seen.get("late")
