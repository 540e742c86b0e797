#!/usr/bin/python3
"""MPTCP multipath through cfgrun: a transfer survives the loss of the path
it started on, with every byte intact.

Two network namespaces made for this run (mp_netns.Topology): the client's
and the proxy's, joined by two veth pairs (path 1: 10.200.1.0/24, path 2:
10.200.2.0/24). cfgrun listens on mptcp4@10.200.1.2 in the proxy namespace
and forwards to a TCP echo server on the proxy namespace's loopback. The
client's path manager has a `subflow` endpoint on path 2, so each MPTCP
connection opens a second subflow there. The client streams 30 MB (paced,
so the cut lands mid-transfer) and reads the echo back; once the second
subflow is up on both sides, path 1 is cut (the client's link is set down).
The echo must then complete through path 2 alone: same byte count, same
SHA-256 both ways, and path 2's counters carry what was sent after the cut.
Skips (77) only when this host cannot make namespaces or has no MPTCP.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import mp_netns

HERE = os.path.dirname(os.path.abspath(__file__))
PEER = [sys.executable, os.path.join(HERE, "mp_peer.py")]
TOTAL = 30 * 1000 * 1000          # bytes each way
RATE = 8 * 1000 * 1000            # bytes/s the client sends at
LPORT, BPORT = 8000, 9000         # inside the namespaces: always free
CUT_AT = TOTAL // 5               # echoed bytes before path 1 is cut

if os.geteuid() != 0:
    T.skip("network namespaces need root (run as root or in a privileged container)")
if not shutil.which("ip") or not shutil.which("ss"):
    T.skip("iproute2 (ip, ss) is not installed")
if T.mptcp_state():
    T.skip(T.mptcp_state())

try:
    net = mp_netns.Topology()
except (RuntimeError, subprocess.SubprocessError) as e:
    T.skip("cannot build the test namespaces: %s" % e)

# The test's alarm must delete the namespaces too, not only rtlib's files.
def _on_alarm(*_):
    net.close()
    T._on_alarm()


signal.signal(signal.SIGALRM, _on_alarm)
signal.alarm(110)

try:
    net.run(net.cli, [sys.executable, "-c",
                      "import socket; socket.socket(socket.AF_INET, "
                      "socket.SOCK_STREAM, 262).close()"])
except RuntimeError as e:
    T.skip("MPTCP sockets are refused in a fresh namespace: %s" % e)
try:
    for ns in (net.cli, net.prx):
        mp_netns.ip("-n", ns, "mptcp", "limits", "set", "subflow", "2",
                    "add_addr_accepted", "2")
    mp_netns.ip("-n", net.cli, "mptcp", "endpoint", "add", net.cli_addr(2),
                "dev", "c2", "subflow")
except RuntimeError as e:
    T.skip("this ip/kernel cannot configure the MPTCP path manager: %s" % e)
# Path 2 reaches the proxy's path-1 address too (the subflow keeps the
# destination of the connection): same prefix as path 1's own route, worse
# metric, so the first subflow takes path 1 and the route outlives the cut.
mp_netns.ip("-n", net.cli, "route", "add", "10.200.1.0/24", "via",
            net.prx_addr(2), "dev", "c2", "metric", "200")

# ---- echo backend and cfgrun in the proxy namespace -----------------------
backend = net.popen(net.prx, PEER + ["serve", "127.0.0.1", str(BPORT)],
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
T.check(backend.stdout.readline().strip() == '{"listening": true}',
        "echo backend listening in the proxy namespace")

plan = T.compile_cfg("""
defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s

frontend mp
    bind mptcp4@%s:%d
    default_backend echo

backend echo
    server e 127.0.0.1:%d
""" % (net.prx_addr(1), LPORT, BPORT))
errpath = T.tmp("cfgrun.err")
with open(errpath, "w") as errf:
    cfgrun = net.popen(net.prx, [T.CFGRUN, plan], stdin=subprocess.DEVNULL,
                       stdout=errf, stderr=errf)


def cfgrun_err():
    with open(errpath) as f:
        return f.read()


deadline = time.monotonic() + T.TIMEOUT
while "cfgrun: ready" not in cfgrun_err():
    if cfgrun.poll() is not None or time.monotonic() > deadline:
        T.fail("cfgrun ready in the proxy namespace:\n" + cfgrun_err())
        T.done()
    time.sleep(0.02)
T.log("cfgrun ready on mptcp4@%s:%d" % (net.prx_addr(1), LPORT))

# ---- the transfer ---------------------------------------------------------
client = net.popen(net.cli, PEER + ["client", net.prx_addr(1), str(LPORT),
                                    str(TOTAL), str(RATE)],
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
events = []                 # parsed JSON lines, appended by the reader
cond = threading.Condition()


def reader():
    for line in client.stdout:
        try:
            ev = json.loads(line)
        except ValueError:
            ev = {"junk": line}
        with cond:
            events.append(ev)
            cond.notify_all()
    with cond:
        events.append({"eof": True})
        cond.notify_all()


threading.Thread(target=reader, daemon=True).start()


def wait_event(pred, timeout, start=0):
    """The first event from index start on satisfying pred (None at the
    deadline or at EOF)."""
    deadline = time.monotonic() + timeout
    i = start
    with cond:
        while True:
            while i < len(events):
                ev = events[i]
                i += 1
                if pred(ev):
                    return ev
                if ev.get("eof"):
                    return None
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            cond.wait(left)


ev = wait_event(lambda e: "mptcp" in e, T.TIMEOUT)
T.check(ev is not None and ev["mptcp"], "client's connection to cfgrun is MPTCP")
ev = wait_event(lambda e: e.get("subflows", 0) >= 1 and e.get("recv", 0) >= CUT_AT,
                T.TIMEOUT * 2)
if not T.check(ev is not None, "an extra subflow is up and %d bytes came back "
               "before the cut" % CUT_AT):
    T.log("last events: %s" % events[-3:])
    T.log("client stderr: %s" % client.stderr.read() if client.poll() is not None else "")
    T.done()
before = ev


def ss(ns, *filt):
    return [l for l in net.run(ns, ["ss", "-Htn", "state", "established"]
                               + list(filt)).splitlines() if l.strip()]


first = ss(net.cli, "src", net.cli_addr(1), "dst", "%s:%d" % (net.prx_addr(1), LPORT))
T.check(len(first) == 1, "client side: the first subflow runs over path 1 (%d)" % len(first))
cli_sub = ss(net.cli, "src", net.cli_addr(2), "dst", "%s:%d" % (net.prx_addr(1), LPORT))
prx_sub = ss(net.prx, "src", "%s:%d" % (net.prx_addr(1), LPORT), "dst", net.cli_addr(2))
T.check(len(cli_sub) == 1, "client side: one subflow from %s over path 2 (%d)"
        % (net.cli_addr(2), len(cli_sub)))
T.check(len(prx_sub) == 1, "proxy side: cfgrun's listener took the path-2 subflow (%d)"
        % len(prx_sub))

rx0, tx0 = net.dev_bytes(net.cli, "c2")
with cond:
    seen = len(events)
mp_netns.ip("-n", net.cli, "link", "set", "c1", "down")
t_cut = time.monotonic()
# The first progress report counted after the cut (the clock is the
# same in every namespace): its counts are at least those at the cut, so
# what remains after them crossed path 2 or nothing did. A report counted
# just before the cut but read after it would undercount path 2.
cut = wait_event(lambda e: ("sent" in e and e.get("t", 0) >= t_cut) or
                 e.get("done"), T.TIMEOUT, seen)
if not T.check(cut is not None and "sent" in cut, "client still reporting after the cut"):
    T.done()
T.log("path 1 cut at about sent=%d recv=%d" % (cut["sent"], cut["recv"]))
T.check(TOTAL - cut["sent"] >= TOTAL // 6,
        "the cut comes mid-transfer: %d of %d bytes still to send"
        % (TOTAL - cut["sent"], TOTAL))

end = wait_event(lambda e: e.get("done"), 80)
if not T.check(end is not None, "the client finished within 80 s of the cut"):
    T.log("last events: %s" % events[-3:])
    T.log("ss (client):\n%s" % net.run(net.cli, ["ss", "-tniM"]))
    T.log("cfgrun:\n%s" % cfgrun_err())
    T.done()
T.log("done %.1f s after the cut: %s" % (time.monotonic() - t_cut, end))
T.check(end["error"] is None, "no socket error on the client (%s)" % end["error"])
T.check(end["sent"] == TOTAL and end["recv"] == TOTAL,
        "every byte both ways: sent %d, echoed %d of %d" % (end["sent"], end["recv"], TOTAL))
T.check(end["sha_sent"] == end["sha_recv"], "SHA-256 of the echo matches what was sent")
rx1, tx1 = net.dev_bytes(net.cli, "c2")
# Every byte written after the cut left through path 2 (path 1 is down);
# bytes written earlier but still queued only add to it.
T.check(tx1 - tx0 >= TOTAL - cut["sent"],
        "path 2 carried what was sent after the cut (%d >= %d bytes)"
        % (tx1 - tx0, TOTAL - cut["sent"]))
# What came back after the cut crossed path 2 too, except what already sat
# in the client's receive queue at the cut (read later, counted late):
# ask for half, which still rules out any other way in.
T.check(rx1 - rx0 >= (TOTAL - cut["recv"]) // 2,
        "path 2 carried what came back after the cut (%d >= %d bytes)"
        % (rx1 - rx0, (TOTAL - cut["recv"]) // 2))
client.wait(timeout=T.TIMEOUT)
T.check(client.returncode == 0, "client exit status 0 (%s)" % client.returncode)

T.check(cfgrun.poll() is None, "cfgrun still running")
cfgrun.send_signal(signal.SIGTERM)
try:
    rc = cfgrun.wait(timeout=T.TIMEOUT)
except subprocess.TimeoutExpired:
    rc = None
T.check(rc == 0, "cfgrun exits 0 on SIGTERM (%s)" % rc)
T._sanitizer_check(cfgrun_err(), "cfgrun")
T.done()
