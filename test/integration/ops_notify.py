#!/usr/bin/python3
"""sd_notify: with NOTIFY_SOCKET (a path, then an abstract '@' name)
cfgrun sends READY=1 with its MAINPID once it listens, RELOADING=1 (with
MONOTONIC_USEC) then READY=1 around a reload, STOPPING=1 on stop. Without
NOTIFY_SOCKET it runs as usual."""
import os
import signal
import socket
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

fe = T.free_port()
plan = T.compile_cfg("""
defaults
    timeout connect 2s
    timeout client 30s
    timeout server 30s
listen n
    bind 127.0.0.1:%d
    server s 127.0.0.1:%d
""" % (fe, T.free_port()), "notify.cfg")


def recv(sock):
    try:
        return sock.recv(4096).decode()
    except socket.timeout:
        return ""


for kind in ("path", "abstract"):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.settimeout(T.TIMEOUT)
    if kind == "path":
        addr = T.tmp("notify.sock")
        sock.bind(addr)
        env = addr
    else:
        name = "hapc-notify-%d" % os.getpid()
        sock.bind("\0" + name)
        env = "@" + name
    run = T.Cfgrun(plan, env={"NOTIFY_SOCKET": env})
    m = recv(sock)
    T.check("READY=1" in m.splitlines() and "MAINPID=%d" % run.proc.pid in m.splitlines(),
            "%s: READY=1 and MAINPID after start (%r)" % (kind, m))
    run.proc.send_signal(signal.SIGHUP)
    m1, m2 = recv(sock), recv(sock)
    T.check(m1.startswith("RELOADING=1\nMONOTONIC_USEC="), "%s: RELOADING=1 on SIGHUP (%r)" % (kind, m1))
    T.check(m2.startswith("READY=1"), "%s: READY=1 after the reload (%r)" % (kind, m2))
    rc, _ = run.stop()
    m = recv(sock)
    T.check(m.startswith("STOPPING=1"), "%s: STOPPING=1 on SIGTERM (%r)" % (kind, m))
    T.check(rc == 0, "%s: exit 0" % kind)
    sock.close()

run = T.Cfgrun(plan, env={"NOTIFY_SOCKET": ""})
rc, _ = run.stop()
T.check(rc == 0, "runs and stops without NOTIFY_SOCKET")
T.done()
