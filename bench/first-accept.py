#!/usr/bin/python3
"""Time a proxy from its start to the first connection it accepts and serves.

    first-accept.py --port P [--host H] [--timeout S] -- CMD ARGS...

Starts CMD, then tries to connect to H:P in a tight loop (every 0.5 ms,
bounded by --timeout, default 60 s). Once a connection is accepted it sends
one HTTP/1.0 request and reads the reply to its end (the proxy's backend
must be an HTTP server). Prints one line:

    CONNECT_S SERVED_S PEAK_RSS_KB CPU_S

seconds from the start of CMD to the first successful connect(), to the
end of the first reply, CMD's peak resident set (VmHWM of its process,
read right after the reply), and the CPU time (user + system) CMD used in
its whole life: start-up, one reply, stop. The CPU time hardly depends on
other load on the machine, the wall times do. CMD is then stopped
(SIGTERM, SIGKILL after 5 s). Exit 1 if CMD dies or the deadline passes
first.
"""
import argparse
import os
import signal
import socket
import subprocess
import sys
import time


def vmhwm_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1


def stop(p):
    """SIGTERM p (SIGKILL after 5 s), reap it; returns its CPU seconds."""
    p.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 5
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid == p.pid:
            p.returncode = os.waitstatus_to_exitcode(status)
            return ru.ru_utime + ru.ru_stime
        if time.monotonic() > deadline:
            p.kill()
            deadline = float("inf")
        time.sleep(0.01)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    if not cmd:
        ap.error("no command")

    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = t0 + a.timeout
        s = None
        while time.monotonic() < deadline:
            if p.poll() is not None:
                print("first-accept: %s exited with %d before accepting"
                      % (cmd[0], p.returncode), file=sys.stderr)
                return 1
            c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                c.connect((a.host, a.port))
                s = c
                break
            except OSError:
                c.close()
                time.sleep(0.0005)
        if s is None:
            print("first-accept: nothing accepted on %s:%d within %.0f s"
                  % (a.host, a.port, a.timeout), file=sys.stderr)
            return 1
        t_conn = time.monotonic() - t0
        s.settimeout(max(1.0, deadline - time.monotonic()))
        s.sendall(b"GET / HTTP/1.0\r\nHost: bench\r\n\r\n")
        reply = b""
        while True:
            d = s.recv(65536)
            if not d:
                break
            reply += d
        s.close()
        t_served = time.monotonic() - t0
        if not reply.startswith(b"HTTP/1.1 200") and not reply.startswith(b"HTTP/1.0 200"):
            print("first-accept: unexpected reply %r" % reply[:80], file=sys.stderr)
            return 1
        rss = vmhwm_kb(p.pid)
        cpu = stop(p)
        print("%.4f %.4f %d %.4f" % (t_conn, t_served, rss, cpu))
        return 0
    finally:
        if p.poll() is None:
            stop(p)


if __name__ == "__main__":
    sys.exit(main())
