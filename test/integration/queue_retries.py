#!/usr/bin/python3
"""retries and option redispatch, as HAProxy: a refused connect is retried
on the same server after a turn-around of min(timeout connect, 1s); with
option redispatch and more than one server the retry goes to another
server at once; out of retries the client is closed and SC logged with
the retry count."""
import os
import re
import socket
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

fe_rd, fe_norr, fe_late, live, late = (T.free_port() for _ in range(5))
dead = T.dead_port()
T.Server("live", ("127.0.0.1", live))
plan = T.compile_cfg("""
defaults
    timeout connect 300ms
    timeout client 10s
    timeout server 10s
listen redisp
    bind 127.0.0.1:%(fe_rd)d
    retries 3
    option redispatch
    server dead 127.0.0.1:%(dead)d
    server live 127.0.0.1:%(live)d
listen noredisp
    bind 127.0.0.1:%(fe_norr)d
    retries 2
    server dead 127.0.0.1:%(dead)d
listen late
    bind 127.0.0.1:%(fe_late)d
    retries 3
    timeout connect 2s
    server late 127.0.0.1:%(late)d
""" % dict(fe_rd=fe_rd, fe_norr=fe_norr, fe_late=fe_late, dead=dead,
           live=live, late=late))
run = T.Cfgrun(plan)

# 1. Round robin sends the first connection to "dead" (declaration order);
#    redispatch moves it to "live" at once.
t0 = time.monotonic()
reply, _ = T.exchange(("127.0.0.1", fe_rd), b"ping")
took = time.monotonic() - t0
name, _, rest = T.greeting(reply)
T.check(name == "live" and rest == b"ping",
        "refused by the first server, served by the second: %r" % reply)
T.check(took < 0.25, "redispatched without a turn-around (%.2fs)" % took)
lines = run.wait_logs(1)
T.check(len(lines) == 1 and "redisp/live" in lines[0] and " -- " in lines[0],
        "logged on the server that served it: %s" % lines)
T.check(len(lines) == 1 and "/+1 " in lines[0],
        "retry count +1 (redispatched) in the log: %s" % lines)

# 2. Without redispatch: the same server is tried 1 + 2 times, 300 ms
#    apart, then the client is closed and SC logged.
t0 = time.monotonic()
T.check(T.closed_without_data(("127.0.0.1", fe_norr)),
        "client closed when the retries are exhausted")
took = time.monotonic() - t0
T.check(0.5 <= took < 2.0, "two turn-arounds of 300 ms (%.2fs)" % took)
lines = run.wait_logs(2)
T.check(len(lines) == 2 and " SC " in lines[1] and "noredisp/dead" in lines[1]
        and "Connection refused" in lines[1],
        "SC logged with the reason: %s" % lines[1:])
T.check(len(lines) == 2 and "/1/2 0/0" in lines[1],
        "two retries counted in the log: %s" % lines[1:])

# 3. A server that starts listening during the retries gets the
#    connection, and the client's early bytes are intact.
def start_late():
    time.sleep(0.5)
    T.Server("late", ("127.0.0.1", late))


threading.Thread(target=start_late, daemon=True).start()
t0 = time.monotonic()
reply, _ = T.exchange(("127.0.0.1", fe_late), b"early bytes")
took = time.monotonic() - t0
name, _, rest = T.greeting(reply)
T.check(name == "late" and rest == b"early bytes",
        "connection landed once the server came up: %r" % reply)
T.check(0.9 <= took < 3.0, "after a 1 s turn-around (%.2fs)" % took)
lines = run.wait_logs(3)
T.check(len(lines) == 3 and " -- " in lines[2], "normal end logged: %s" % lines[2:])
m = re.search(r" (-?\d+)/(-?\d+)/(\d+) \d+ -- .*/(\d+) 0/0$", lines[2]) if len(lines) == 3 else None
T.check(m is not None and int(m.group(2)) >= 900 and int(m.group(4)) >= 1,
        "Tc counts the turn-around and retries are logged: %s" % lines[2:])

rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
