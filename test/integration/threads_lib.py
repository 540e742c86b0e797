"""threads_lib.py: what the nbthread tests share.

How many threads a cfgrun process runs, how much CPU each of them used,
the global section that asks for N threads, and `show info` as a dict.
Everything is read from /proc and from cfgrun's own stats socket; nothing
in cfgrun is stubbed.
"""
import os
import re

import rtlib as T

_CLK_TCK = os.sysconf("SC_CLK_TCK")


def tasks(pid):
    """The thread ids of process pid (empty once it is gone)."""
    try:
        return sorted(int(t) for t in os.listdir("/proc/%d/task" % pid))
    except OSError:
        return []


def is_tsan(pid):
    """True when pid runs a ThreadSanitizer build: its runtime adds one
    thread of its own next to the program's once threads exist."""
    try:
        with open("/proc/%d/maps" % pid) as f:
            return "libtsan" in f.read()
    except OSError:
        return False


def program_threads(pid):
    """How many threads the program itself runs (the sanitizer's
    background thread left out)."""
    n = len(tasks(pid))
    if n > 1 and is_tsan(pid):
        n -= 1
    return n


def check_threads(run, n, label):
    """Check that cfgrun (a T.Cfgrun) runs exactly n threads; give it a
    moment to start them after `ready`. Returns the check's result."""
    pid = run.proc.pid
    T.wait_until(lambda: program_threads(pid) == n, timeout=2.0)
    got = program_threads(pid)
    return T.check(got == n, "%s: cfgrun runs %d threads (/proc/%d/task: %d)"
                   % (label, n, pid, got))


def cpu_ns(pid):
    """{tid: nanoseconds on CPU so far} for every thread of pid: from
    schedstat when the kernel has it (ns resolution), else from utime +
    stime in stat (clock ticks)."""
    out = {}
    for tid in tasks(pid):
        base = "/proc/%d/task/%d/" % (pid, tid)
        try:
            with open(base + "schedstat") as f:
                out[tid] = int(f.read().split()[0])
                continue
        except (OSError, ValueError, IndexError):
            pass
        try:
            with open(base + "stat") as f:
                rest = f.read().rsplit(")", 1)[1].split()
            # fields after "(comm)": state is field 3, utime 14, stime 15
            out[tid] = (int(rest[11]) + int(rest[12])) * 10**9 // _CLK_TCK
        except (OSError, ValueError, IndexError):
            pass
    return out


def cpu_growth(before, after):
    """{tid: ns gained} between two cpu_ns() samples."""
    return {t: after[t] - before.get(t, 0) for t in after}


def global_section(n, stats=None, extra=""):
    """A global section asking for n threads (and a stats socket at the
    path `stats` when given)."""
    s = "global\n    nbthread %d\n" % n
    if stats:
        s += "    stats socket %s level admin\n" % stats
    return s + extra


def show_info(path):
    """`show info` as {field: value}."""
    out = {}
    for line in T.stats_cmd(path, "show info").splitlines():
        k, sep, v = line.partition(":")
        if sep:
            out[k.strip()] = v.strip()
    return out


def count_lines(run, pattern):
    """How many lines of cfgrun's stderr match pattern."""
    rx = re.compile(pattern)
    return sum(1 for l in run.stderr().splitlines() if rx.search(l))
