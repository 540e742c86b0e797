#!/usr/bin/python3
"""maxqueue, as HAProxy: a server chosen by hashing (balance source) that
is at its maxconn queues the stream in its own queue; once that queue holds
maxqueue streams the next client is refused at once (SQ), while the queued
one still gets the slot when it frees."""
import os
import re
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

from queuelib import order, named, client, served, closed


fe_mq, sp3 = T.free_port(), T.free_port()
T.Server("s", ("127.0.0.1", sp3), handler=named)
plan = T.compile_cfg("""
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
listen maxqueue
    bind 127.0.0.1:%d
    balance source
    server one 127.0.0.1:%d maxconn 1 maxqueue 1
""" % (fe_mq, sp3))
run = T.Cfgrun(plan)

order.clear()
a = client(fe_mq, "A")
T.check(served(a, "A"), "slot holder served")
b = client(fe_mq, "B")
time.sleep(0.2)
t0 = time.monotonic()
c = client(fe_mq, "C")
T.check(closed(c, 2), "third client refused with the queue at maxqueue")
T.check(time.monotonic() - t0 < 1.0, "refused at once, not after a timeout")
lines = run.wait_logs(1)
T.check(any(" SQ " in l and "maxqueue 1" in l for l in lines),
        "queue overflow logged SQ: %s" % lines[-1:])
a.close()
T.check(served(b, "B"), "the queued client still gets the slot")
b.close()
c.close()

lines = run.wait_logs(3)
T.check(len(lines) == 3 and lines[2].endswith(" 0/0") and " -- " in lines[2]
        and re.search(r"maxqueue/one [1-9]\d*/", lines[2]) is not None,
        "the queued stream logs its wait: %s" % lines[2:])
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
