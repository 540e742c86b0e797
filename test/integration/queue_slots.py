#!/usr/bin/python3
"""Server maxconn and queues, as HAProxy: streams beyond a server's maxconn
wait in a queue and are served first come, first served when a connection
ends; `timeout queue` expires them (sQ); a bind `maxconn` stops accepting on that listener
only; the listen() backlog follows bind backlog, then maxconn."""
import os
import re
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

from queuelib import order, named, client, served, closed


fe_q, fe_to, fe_bind, sp1, sp2, sp4 = (T.free_port() for _ in range(6))
for p in (sp1, sp2, sp4):
    T.Server("s%d" % p, ("127.0.0.1", p), handler=named)
plan = T.compile_cfg("""
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
listen queued
    bind 127.0.0.1:%(fe_q)d
    server one 127.0.0.1:%(sp1)d maxconn 1
listen queue_timeout
    bind 127.0.0.1:%(fe_to)d
    timeout queue 400ms
    server one 127.0.0.1:%(sp2)d maxconn 1
listen bindmax
    bind 127.0.0.1:%(fe_bind)d maxconn 1 backlog 7
    server one 127.0.0.1:%(sp4)d
""" % dict(fe_q=fe_q, fe_to=fe_to, fe_bind=fe_bind, sp1=sp1,
           sp2=sp2, sp4=sp4))
run = T.Cfgrun(plan)

# 1. maxconn 1: the first is served, the next two wait and get the slot in
#    their order of arrival as connections end.
a = client(fe_q, "A")
T.check(served(a, "A"), "first client served at once")
b = client(fe_q, "B")
time.sleep(0.1)
c = client(fe_q, "C")
time.sleep(0.3)
T.check(order == ["A"], "B and C wait while A holds the only slot: %s" % order)
a.close()
T.check(served(b, "B"), "B served when A ends")
T.check(order == ["A", "B"], "C still waits: %s" % order)
b.close()
T.check(served(c, "C"), "C served when B ends")
c.close()
T.check(order == ["A", "B", "C"], "served first come, first served: %s" % order)
lines = run.wait_logs(3)
T.check(len(lines) == 3 and all(" -- " in l for l in lines),
        "three normal ends logged: %s" % lines)
tw = [re.search(r"\] queued queued/one (-?\d+)/", l) for l in lines]
tw = [int(m.group(1)) if m else None for m in tw]
T.check(len(tw) == 3 and tw[0] == 0 and all(t is not None and t >= 200 for t in tw[1:]),
        "Tw logs the time spent queued: %s" % tw)
T.check(len(lines) == 3 and lines[2].endswith(" 0/1"),
        "C had one stream before it in the backend queue: %s" % lines[2:])

# 2. timeout queue: a stream that waits too long is closed, logged sQ.
order.clear()
a = client(fe_to, "A")
T.check(served(a, "A"), "slot holder served")
t0 = time.monotonic()
b = client(fe_to, "B")
T.check(closed(b), "queued client closed on queue timeout")
took = time.monotonic() - t0
T.check(0.3 <= took < 2.0, "closed after about 400 ms (%.2fs)" % took)
lines = run.wait_logs(4)
T.check(any(re.search(r" 4\d\d/-1/4\d\d 0 sQ ", l) and "queue timeout" in l
            for l in lines),
        "queue timeout logged sQ: %s" % lines[-1:])
T.check(order == ["A"], "the expired client never reached the server")
a.close()
b.close()

# 3. bind maxconn 1: a second connection is not taken before the first ends.
order.clear()
a = client(fe_bind, "A")
T.check(served(a, "A"), "first connection on the bind served")
b = client(fe_bind, "B")
T.check(not served(b, "B", 0.5), "second one waits in the kernel's backlog")
T.check(order == ["A"], "server saw one connection only: %s" % order)
a.close()
T.check(served(b, "B"), "second one served once the first ended")
b.close()

# 4. listen() backlog: bind backlog first, then maxconn (ss shows it).
try:
    ss = subprocess.run(["ss", "-Hltn"], capture_output=True, text=True,
                        timeout=T.TIMEOUT).stdout
except (OSError, subprocess.TimeoutExpired):
    ss = ""
if ss:
    def backlog(port):
        for l in ss.splitlines():
            f = l.split()
            if len(f) >= 4 and f[3].endswith(":%d" % port):
                return int(f[2])
        return None
    T.check(backlog(fe_bind) == 7, "bind backlog 7 used (%s)" % backlog(fe_bind))
    T.check(backlog(fe_q) == 1024, "default backlog 1024 (%s)" % backlog(fe_q))
else:
    T.log("ss not available: backlog not checked")

rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
