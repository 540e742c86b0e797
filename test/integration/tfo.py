#!/usr/bin/python3
"""tfo on bind and server lines, on real sockets in a network namespace
of the test's own (net.ipv4.tcp_fastopen=3 there, the host untouched):
a client sending its bytes with the SYN (MSG_FASTOPEN) through a TCP
proxy to a Fast Open origin. With `bind ... tfo` and `server ... tfo` the
namespace's TcpExt counters show Fast Open accepted (by cfgrun and the
origin) and used (by the client and by cfgrun) once the cookies are
known; without them, none. Needs root and `ip netns`."""
import os
import re
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

if os.geteuid() != 0:
    T.skip("needs root for a network namespace")
ns = "hapc-tfo-%d" % os.getpid()
if subprocess.run(["ip", "netns", "add", ns], capture_output=True).returncode:
    T.skip("ip netns add failed")
procs = []


def inside(argv, **kw):
    p = subprocess.Popen(["ip", "netns", "exec", ns] + argv, **kw)
    procs.append(p)
    return p


def cleanup():
    for p in procs:
        if p.poll() is None:
            p.kill()
            p.wait()
    subprocess.run(["ip", "netns", "del", ns], capture_output=True)


try:
    subprocess.run(["ip", "-n", ns, "link", "set", "lo", "up"], check=True)
    subprocess.run(["ip", "netns", "exec", ns, "sysctl", "-qw",
                    "net.ipv4.tcp_fastopen=3"], check=True)
    ORIGIN = """
import socket, sys, threading
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.setsockopt(socket.IPPROTO_TCP, socket.TCP_FASTOPEN, 16)
ls.bind(("127.0.0.1", int(sys.argv[1])))
ls.listen(16)
print("listening", flush=True)
def serve(c):
    d = c.recv(100)
    c.sendall(b"pong:" + d)
    c.close()
while True:
    c, _ = ls.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
"""
    CLIENT = """
import socket, sys
out = []
for i in range(4):
    s = socket.socket()
    # blocking: without a cookie yet, sendto waits for the handshake
    s.sendto(b"ping%d" % i, socket.MSG_FASTOPEN, ("127.0.0.1", int(sys.argv[1])))
    s.settimeout(5)
    got = b""
    while True:
        d = s.recv(100)
        if not d:
            break
        got += d
    out.append(got.decode())
    s.close()
print(" ".join(out))
"""

    def counters():
        text = subprocess.run(["ip", "netns", "exec", ns, "cat",
                               "/proc/net/netstat"], capture_output=True,
                              text=True).stdout.splitlines()
        for head, vals in zip(text[::2], text[1::2]):
            if head.startswith("TcpExt:"):
                d = dict(zip(head.split()[1:], map(int, vals.split()[1:])))
                return d.get("TCPFastOpenPassive", 0), d.get("TCPFastOpenActive", 0)
        return 0, 0

    def run(tfo, fe, op):
        origin = inside([sys.executable, "-c", ORIGIN, str(op)],
                        stdout=subprocess.PIPE, text=True)
        T.check(origin.stdout.readline().strip() == "listening", "origin up")
        plan = T.compile_cfg("""
defaults
    mode tcp
    timeout connect 2s
    timeout client 5s
    timeout server 5s
listen p
    bind 127.0.0.1:%d%s
    server o 127.0.0.1:%d%s
""" % (fe, tfo, op, tfo), "tfo%d.cfg" % fe)
        errp = T.tmp("tfo%d.err" % fe)
        errf = open(errp, "w")
        run = inside([T.CFGRUN, plan], stdout=errf, stderr=errf)
        T.check(T.wait_until(lambda: "cfgrun: ready" in open(errp).read()),
                "cfgrun ready in the namespace")
        before = counters()
        r = subprocess.run(["ip", "netns", "exec", ns, sys.executable, "-c",
                            CLIENT, str(fe)], capture_output=True, text=True,
                           timeout=30)
        after = counters()
        run.terminate()
        run.wait(timeout=T.TIMEOUT)
        origin.kill()
        origin.wait()
        T.check(r.stdout.split() == ["pong:ping%d" % i for i in range(4)],
                "four requests answered through cfgrun (%r %r)"
                % (r.stdout, r.stderr))
        return after[0] - before[0], after[1] - before[1]

    fe1, op1, fe2, op2 = T.free_ports(4)
    passive, active = run(" tfo", fe1, op1)
    # cookies come with the first connection: the next three carry data
    # in the SYN twice over (client -> cfgrun, cfgrun -> origin)
    T.check(passive >= 6 and active >= 6,
            "with tfo: Fast Open accepted %d times, used %d times (>= 6 each)"
            % (passive, active))
    passive, active = run("", fe2, op2)
    T.check(passive == 0 and active == 0,
            "without tfo: no Fast Open (%d accepted, %d used)"
            % (passive, active))
finally:
    cleanup()
T.done()
