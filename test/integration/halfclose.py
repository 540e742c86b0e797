#!/usr/bin/python3
"""Half-close both ways: a FIN from one side reaches the other after the
data, and the opposite direction keeps flowing until it ends too."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

REPLY = os.urandom(300 * 1024)
hc = T.HalfClose(REPLY)
run = T.Cfgrun(hc.plan)

# 1. The client sends and shuts its write side; the reply still arrives.
req = os.urandom(50 * 1024)
request, got = hc.client_fin(req)
T.check(request == req, "server got the whole request, then EOF")
T.check(T.sha256(got) == T.sha256(REPLY),
        "client got the whole %d-byte reply after its own FIN" % len(REPLY))

# 2. The server says goodbye first; the client can still send.
late = b"still talking after your FIN\n" * 1000
first, rest, server_late = hc.server_fin(late)
T.check(first == hc.GREETING, "client got the server's data then EOF")
T.check(server_late == late,
        "server received %d bytes sent after its FIN" % len(server_late or b""))
T.check(rest == b"", "nothing more after EOF")

lines = run.wait_logs(2)
T.check(len(lines) == 2 and all(" -- " in l for l in lines),
        "both connections logged as normal ends: %s" % lines)
T.check(any(" %d -- " % len(REPLY) in l for l in lines),
        "log counts the %d bytes sent to the client" % len(REPLY))
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
