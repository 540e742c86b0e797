#!/usr/bin/python3
"""A stderr nobody reads does not stall the proxy: cfgrun's stderr is a
pipe that is never read, so it fills after a few hundred log lines; the
connections after that must be served as fast as before (lines beyond the
buffer are dropped and counted in show info's Log_dropped)."""
import os
import socket
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

sp = T.free_port()
srv = T.Server("s", ("127.0.0.1", sp))
fe = T.free_port()
sock = T.tmp("stall.sock")
plan = T.compile_cfg("""
global
    stats socket %s level admin
defaults
    timeout connect 2s
    timeout client 30s
    timeout server 30s
listen stall
    bind 127.0.0.1:%d
    server s 127.0.0.1:%d
""" % (sock, fe, sp), "stall.cfg")
rfd, wfd = os.pipe()
proc = subprocess.Popen([T.CFGRUN, plan], stdin=subprocess.DEVNULL,
                        stdout=wfd, stderr=wfd)
T._children.append(proc)
os.close(wfd)
deadline = time.monotonic() + T.TIMEOUT
while not os.path.exists(sock) and time.monotonic() < deadline:
    time.sleep(0.02)
time.sleep(0.2)

N = 5000                         # ~150 bytes of log each: far beyond a pipe
t0 = time.monotonic()
slowest = 0.0
for i in range(N):
    t1 = time.monotonic()
    s = T.connect(("127.0.0.1", fe), timeout=2)
    s.recv(100)
    s.close()
    slowest = max(slowest, time.monotonic() - t1)
took = time.monotonic() - t0
T.check(proc.poll() is None, "still running with a full stderr pipe")
T.check(slowest < 1.0, "%d connections in %.2fs, slowest %.3fs" % (N, took, slowest))
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c.settimeout(T.TIMEOUT)
c.connect(sock)
c.sendall(b"show info\n")
info = dict(l.split(": ", 1) for l in T.recv_all(c).decode().splitlines() if ": " in l)
c.close()
T.check(int(info.get("Log_dropped", "0")) > 0, "dropped lines are counted (%s)" % info.get("Log_dropped"))
proc.terminate()
# Read the pipe so that the exit-time flush can finish.
os.set_blocking(rfd, False)
deadline = time.monotonic() + T.TIMEOUT
while proc.poll() is None and time.monotonic() < deadline:
    try:
        os.read(rfd, 1 << 16)
    except BlockingIOError:
        time.sleep(0.01)
T.check(proc.returncode == 0, "exit 0 (%r)" % proc.returncode)
os.close(rfd)
srv.close()
T.done()
