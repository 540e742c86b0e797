"""mp_netns: throw-away network namespaces for the MPTCP multipath test.

A Topology makes two namespaces named hapc-mp-<pid>-cli and -prx, joined by
two veth pairs (two paths, two private subnets that exist only between
these namespaces: nothing in them routes anywhere else). Everything it
made is deleted by close(), which runs at exit, on SIGTERM/SIGINT/SIGHUP
and on the test's alarm too; namespaces left behind by a run that was
killed outright (name carrying a pid that no longer exists) are deleted
by the next run.
"""
import atexit
import os
import re
import signal
import subprocess

PREFIX = "hapc-mp-"


def ip(*args, check=True):
    """Run `ip ARGS...`; returns the CompletedProcess (raises on failure
    when check, with ip's message)."""
    r = subprocess.run(["ip"] + list(args), capture_output=True, text=True,
                       timeout=10)
    if check and r.returncode != 0:
        raise RuntimeError("ip %s: %s" % (" ".join(args),
                                          (r.stderr or r.stdout).strip()))
    return r


def _kill_inside(ns):
    """SIGKILL what still runs in namespace ns (the test's own children:
    nothing else enters these namespaces)."""
    r = ip("netns", "pids", ns, check=False)
    for pid in r.stdout.split():
        try:
            os.kill(int(pid), signal.SIGKILL)
        except (OSError, ValueError):
            pass


def _sweep_stale():
    """Delete the namespaces (and what runs in them) of earlier runs that
    were killed before they could clean up: their pid is gone."""
    r = ip("netns", "list", check=False)
    for line in r.stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        m = re.match(re.escape(PREFIX) + r"(\d+)-", name)
        if m and not os.path.exists("/proc/%s" % m.group(1)):
            _kill_inside(name)
            ip("netns", "del", name, check=False)


class Topology:
    """Client and proxy namespaces; path N is the veth pair cN (client
    side, 10.200.N.1/24) - pN (proxy side, 10.200.N.2/24), N = 1, 2."""

    def __init__(self):
        _sweep_stale()
        self.cli = "%s%d-cli" % (PREFIX, os.getpid())
        self.prx = "%s%d-prx" % (PREFIX, os.getpid())
        self.procs = []
        self.made = []
        self._closed = False
        atexit.register(self.close)
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._on_signal)
        for ns in (self.cli, self.prx):
            ip("netns", "add", ns)
            self.made.append(ns)
            ip("-n", ns, "link", "set", "lo", "up")
            # Replies may come back on the other path: no reverse-path drop.
            for conf in ("all", "default", "lo"):
                self.sysctl(ns, "net/ipv4/conf/%s/rp_filter" % conf, "0")
        for n in (1, 2):
            ip("link", "add", "c%d" % n, "netns", self.cli, "type", "veth",
               "peer", "name", "p%d" % n, "netns", self.prx)
            ip("-n", self.cli, "addr", "add", self.cli_addr(n) + "/24",
               "dev", "c%d" % n)
            ip("-n", self.prx, "addr", "add", self.prx_addr(n) + "/24",
               "dev", "p%d" % n)
            for ns, dev in ((self.cli, "c%d" % n), (self.prx, "p%d" % n)):
                self.sysctl(ns, "net/ipv4/conf/%s/rp_filter" % dev, "0")
                ip("-n", ns, "link", "set", dev, "up")

    @staticmethod
    def cli_addr(n):
        return "10.200.%d.1" % n

    @staticmethod
    def prx_addr(n):
        return "10.200.%d.2" % n

    def sysctl(self, ns, key, value):
        """Write /proc/sys/KEY inside namespace ns."""
        subprocess.run(["ip", "netns", "exec", ns, "sh", "-c",
                        "echo %s > /proc/sys/%s" % (value, key)],
                       check=True, capture_output=True, timeout=10)

    def popen(self, ns, argv, **kw):
        """Start argv inside namespace ns (killed by close())."""
        p = subprocess.Popen(["ip", "netns", "exec", ns] + list(argv), **kw)
        self.procs.append(p)
        return p

    def run(self, ns, argv, timeout=10):
        """Run argv inside ns; returns its stdout (text), raises on failure."""
        r = subprocess.run(["ip", "netns", "exec", ns] + list(argv),
                           capture_output=True, text=True, timeout=timeout)
        if r.returncode != 0:
            raise RuntimeError("%s in %s: %s" % (" ".join(argv), ns,
                                                 (r.stderr or r.stdout).strip()))
        return r.stdout

    def dev_bytes(self, ns, dev):
        """(rx_bytes, tx_bytes) counters of dev inside ns."""
        out = self.run(ns, ["cat", "/sys/class/net/%s/statistics/rx_bytes" % dev,
                            "/sys/class/net/%s/statistics/tx_bytes" % dev])
        rx, tx = (int(x) for x in out.split())
        return rx, tx

    def _on_signal(self, signum, _frame):
        self.close()
        os._exit(128 + signum)

    def close(self):
        """Kill what runs in the namespaces, then delete them (and with
        them their veth pairs). Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                try:
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    pass
        for ns in self.made:
            # Anything still inside (a stray child) keeps the namespace
            # alive after the name is gone.
            _kill_inside(ns)
            ip("netns", "del", ns, check=False)
