#!/usr/bin/python3
"""splice(2) forwarding: a 50 MB transfer each way arrives intact (sha256)
with splice on by default (auto: a direction whose buffer fills moves to
pipes), and pipes are really used (cfgrun holds pooled pipes afterwards;
with CFGRUN_SPLICE=off it holds none); with CFGRUN_SPLICE=always, half-
close in both directions keeps its order and data; over MPTCP too."""
import os
import socket
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

BIG = 50 * 1024 * 1024


def pipes_of(proc):
    """Pipes open in process `proc` (from /proc/PID/fd)."""
    n = 0
    d = "/proc/%d/fd" % proc.pid
    for f in os.listdir(d):
        try:
            if os.readlink(os.path.join(d, f)).startswith("pipe:"):
                n += 1
        except OSError:
            pass
    return n


def bulk(port, family=socket.AF_INET, host="127.0.0.1", proto=0, size=BIG):
    """Send `size` random bytes through the echo server, reading the echo
    at the same time; True when the echo is byte for byte the same."""
    data = os.urandom(1 << 20)
    digest_out = T.hashlib.sha256()
    s = T.connect((host, port), family, proto, timeout=30)
    s.recv(len("e mptcp=0\n"))           # greeting
    def writer():
        sent = 0
        while sent < size:
            chunk = data[:min(len(data), size - sent)]
            digest_out.update(chunk)
            s.sendall(chunk)
            sent += len(chunk)
        s.shutdown(socket.SHUT_WR)
    t = threading.Thread(target=writer)
    t.start()
    digest_in = T.hashlib.sha256()
    got = 0
    while True:
        d = s.recv(1 << 16)
        if not d:
            break
        digest_in.update(d)
        got += len(d)
    t.join()
    s.close()
    return got == size and digest_in.hexdigest() == digest_out.hexdigest()


fe, sp = T.free_port(), T.free_port()
T.Server("e", ("127.0.0.1", sp))
cfg = """
defaults
    timeout connect 2s
    timeout client 30s
    timeout server 30s
listen bulk
    bind 127.0.0.1:%d
    server e 127.0.0.1:%d
""" % (fe, sp)
plan = T.compile_cfg(cfg)

# 1. Default (auto): intact, and pipes were used.
run = T.Cfgrun(plan)
T.check(pipes_of(run.proc) == 0, "no pipe before any traffic")
t0 = time.monotonic()
T.check(bulk(fe), "50 MB each way intact with splice (auto)")
T.log("auto: %.2fs" % (time.monotonic() - t0))
T.check(pipes_of(run.proc) >= 2, "pipes were used (%d kept in the pool)" %
        pipes_of(run.proc))
lines = run.wait_logs(1)
T.check(len(lines) == 1 and " %d -- " % (BIG + 10) in lines[0],
        "logged as a normal end with every byte counted: %s" % lines)
run.stop()

# 2. CFGRUN_SPLICE=off: intact, and no pipe at all (the check above can fail).
run = T.Cfgrun(plan, env={"CFGRUN_SPLICE": "off"})
t0 = time.monotonic()
T.check(bulk(fe), "50 MB each way intact with splice off")
T.log("off: %.2fs" % (time.monotonic() - t0))
T.check(pipes_of(run.proc) == 0, "no pipe with CFGRUN_SPLICE=off")
run.stop()

# 3. CFGRUN_SPLICE=always: half-close both ways, order and data kept.
hc = T.HalfClose(os.urandom(300 * 1024), name="hc.cfg")
run = T.Cfgrun(hc.plan, env={"CFGRUN_SPLICE": "always"})
req = os.urandom(200 * 1024)
request, got = hc.client_fin(req)
T.check(request == req, "server got the whole request, then EOF")
T.check(got == hc.reply, "client got the whole reply after its own FIN")
late = b"after your FIN\n" * 5000
first, rest, server_late = hc.server_fin(late)
T.check(first == hc.GREETING and rest == b"", "server's data then EOF")
T.check(server_late == late, "client's data after the server's FIN intact")
T.check(pipes_of(run.proc) >= 2, "the half-closed streams used pipes")
lines = run.wait_logs(2)
T.check(len(lines) == 2 and all(" -- " in l for l in lines),
        "both logged as normal ends: %s" % lines)
run.stop()

# 4. MPTCP on both sides (this kernel splices MPTCP sockets).
why = T.mptcp_state()
if why:
    T.log("MPTCP part skipped: " + why)
else:
    fe3, s3 = T.free_port(), T.free_port()
    T.Server("e", ("127.0.0.1", s3), proto=T.IPPROTO_MPTCP)
    plan3 = T.compile_cfg("""
defaults
    timeout connect 2s
    timeout client 30s
    timeout server 30s
listen mp
    bind mptcp4@127.0.0.1:%d
    server e mptcp4@127.0.0.1:%d
""" % (fe3, s3), name="mp.cfg")
    run = T.Cfgrun(plan3, env={"CFGRUN_SPLICE": "always"})
    T.check(bulk(fe3, proto=T.IPPROTO_MPTCP, size=8 * 1024 * 1024),
            "8 MB each way intact over MPTCP with splice")
    T.check(pipes_of(run.proc) >= 2, "MPTCP streams used pipes")
    run.stop()
T.done()
