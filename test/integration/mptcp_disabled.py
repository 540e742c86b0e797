#!/usr/bin/python3
"""Where the kernel refuses MPTCP, cfgrun says so and why: an MPTCP
listener stops the start (exit 1, like HAProxy), an MPTCP server fails
each connection with the reason in its log line, plain TCP still works.
Runs in a private network namespace with net.mptcp.enabled=0, so the host
is untouched."""
import os
import socket
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

if os.environ.get("HAPC_IN_NETNS") != "1":
    try:
        ok = subprocess.run(["unshare", "-n", "true"], capture_output=True,
                            timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    if not ok:
        print("SKIP: cannot create a network namespace here (unshare -n needs privileges)")
        sys.exit(77)
    os.environ["HAPC_IN_NETNS"] = "1"
    os.execvp("unshare", ["unshare", "-n", sys.executable, os.path.abspath(__file__)])

import rtlib as T

r = subprocess.run(["ip", "link", "set", "lo", "up"], capture_output=True)
if r.returncode != 0:
    T.skip("cannot bring up lo in the namespace: %s" % r.stderr.decode().strip())
try:
    with open("/proc/sys/net/mptcp/enabled", "w") as f:
        f.write("0\n")
except OSError as e:
    T.skip("no net.mptcp.enabled switch to turn off (%s)" % e)

# The switch is really off: the kernel answers ENOPROTOOPT.
try:
    socket.socket(socket.AF_INET, socket.SOCK_STREAM, T.IPPROTO_MPTCP).close()
    T.skip("MPTCP sockets still work with net.mptcp.enabled=0")
except OSError as e:
    import errno
    T.check(e.errno == errno.ENOPROTOOPT, "kernel refuses MPTCP with ENOPROTOOPT")

lp = T.free_port()
plan = T.compile_cfg("""
frontend fe
    bind mptcp4@127.0.0.1:%d
    default_backend be
backend be
    server s 127.0.0.1:%d
""" % (lp, T.free_port()), "listener.cfg")
rc, out = T.run_cfgrun(plan)
T.check(rc == 1, "MPTCP listener refused: exit 1 (got %d)" % rc)
T.check("MPTCP is disabled on this host (sysctl net.mptcp.enabled=0)" in out,
        "message names the sysctl: " + out.strip().splitlines()[-1])
T.check("mptcp4@127.0.0.1:%d" % lp in out, "message names the address")

lp, sp = T.free_port(), T.free_port()
srv = T.Server("plain", ("127.0.0.1", sp))
plan = T.compile_cfg("""
defaults
    timeout connect 2s
    timeout client 5s
    timeout server 5s
frontend fe
    bind 127.0.0.1:%d
    default_backend be
backend be
    server m mptcp@127.0.0.1:%d
""" % (lp, sp), "server.cfg")
run = T.Cfgrun(plan)
for i in range(3):
    T.check(T.closed_without_data(("127.0.0.1", lp)),
            "connection %d: client closed without data" % i)
lines = run.wait_logs(3)
T.check(len(lines) == 3, "one log line per refused connection (%d)" % len(lines))
T.check(all(" SC " in l and "MPTCP is disabled on this host" in l for l in lines),
        "each line says SC and why: " + (lines[0] if lines else "none"))
T.check(srv.accepted == 0, "the server was never reached")
T.check(run.proc.poll() is None, "cfgrun keeps running")
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
