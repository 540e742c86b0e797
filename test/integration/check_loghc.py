#!/usr/bin/python3
"""option log-health-checks: with it, every health check whose result or
health changed is logged as HAProxy does ("Health check for server be/s1
failed, reason: ..., status: 1/2 UP."), on stderr and to the backend's log
target, before the DOWN/UP line; a backend without it logs only the state
lines; steady checks that change nothing log nothing."""
import os
import re
import socket
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

sp, sq, fe, fq, lp = T.free_ports(5)
srv = {"s1": T.Server("s1", ("127.0.0.1", sp)),
       "q1": T.Server("q1", ("127.0.0.1", sq))}
syslog = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
syslog.bind(("127.0.0.1", lp))
syslog.settimeout(0.2)

plan = T.compile_cfg("""
defaults
    mode tcp
    timeout connect 1s
    timeout client 10s
    timeout server 10s
    option log-health-checks
listen be
    bind 127.0.0.1:%d
    log 127.0.0.1:%d local0
    server s1 127.0.0.1:%d check inter 100 fall 2 rise 2
listen quiet
    bind 127.0.0.1:%d
    no option log-health-checks
    server q1 127.0.0.1:%d check inter 100 fall 2 rise 2
""" % (fe, lp, sp, fq, sq))
run = T.Cfgrun(plan)

# Servers start UP at `rise`: the first passing check takes the health
# to the full and is logged, as HAProxy does; then steady passing checks
# change nothing and log nothing.
run.wait_for(r'Health check for server be/s1 succeeded, reason: Layer4 '
             r'check passed, check duration: \d+ms, status: 2/2 UP\.')
time.sleep(0.5)
T.check(run.stderr().count("Health check") == 1,
        "passing checks of an UP server are logged once:\n%s" % run.stderr())

# The check running when the server goes away may fail otherwise than
# "Connection refused" (reset, timeout): any Layer4 reason will do.
HC = (r'Health check for server be/s1 failed, reason: Layer4 [^,]+'
      r'(?:, info: "[^"]*")?, check duration: \d+ms, status: %s\.')
srv["s1"].close()
srv["q1"].close()
down = run.wait_for(r'Server be/s1 is DOWN, reason: Layer4 connection '
                    r'problem')
run.wait_for(r'Server quiet/q1 is DOWN')
err = run.stderr()
first = re.search(HC % "1/2 UP", err)
last = re.search(HC % "0/2 DOWN", err)
T.check(first is not None, "first failed check logged, still UP 1/2:\n%s" % err)
T.check(last is not None, "second failed check logged, DOWN 0/2")
T.check(first is not None and last is not None and
        first.start() < last.start() < down.start(),
        "the failed-check lines come before the DOWN line")
T.check("quiet/q1" not in "".join(l for l in err.splitlines(True)
                                  if "Health check" in l),
        "no per-check line without the option (no option in the proxy)")

# Once DOWN at 0, the same failure again changes nothing: no new line.
n = len(re.findall(r"Health check for server be/s1", err))
time.sleep(0.5)
T.check(len(re.findall(r"Health check for server be/s1", run.stderr())) == n,
        "repeated identical failures of a DOWN server are not logged")

# Back: one succeeded line per rise step, then the UP line.
srv["s1"] = T.Server("s1", ("127.0.0.1", sp))
up = run.wait_for(r'Server be/s1 is UP')
err = run.stderr()
ok1 = re.search(r'Health check for server be/s1 succeeded, reason: Layer4 '
                r'check passed, check duration: \d+ms, status: 1/2 DOWN\.',
                err)
ok2 = re.search(r'Health check for server be/s1 succeeded, reason: Layer4 '
                r'check passed, check duration: \d+ms, status: 2/2 UP\.',
                err[ok1.start():] if ok1 else "")
T.check(ok1 is not None and ok2 is not None,
        "both passing checks of the rise logged")
T.check(ok1.start() + ok2.start() < up.start(),
        "the succeeded lines come before the UP line")

# The same lines reach the backend's log target.
got = []
deadline = time.monotonic() + T.TIMEOUT
while time.monotonic() < deadline and len(got) < 5:
    try:
        msg = syslog.recv(65536).decode()
    except socket.timeout:
        continue
    if "Health check for server be/s1" in msg:
        got.append(msg)
T.check(len(got) == 5, "5 check lines sent to the log target: %s" % got)
T.check(all(m.startswith("<133>") for m in got),
        "sent at notice on local0 (<133>): %s" % got[:1])

rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
