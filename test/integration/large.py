#!/usr/bin/python3
"""20 MB each way at the same time arrive intact (SHA-256), through a
16 KiB buffer per direction: back-pressure works and nothing is lost, and
several such streams run concurrently."""
import os
import sys
import threading

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

SIZE = 20 * 1024 * 1024
fe, sp = T.free_port(), T.free_port()
srv = T.Server("big", ("127.0.0.1", sp), greet=False)   # plain echo
plan = T.compile_cfg("""
defaults
    timeout connect 2s
    timeout client 20s
    timeout server 20s
frontend fe
    bind 127.0.0.1:%d
    default_backend be
backend be
    server big 127.0.0.1:%d
""" % (fe, sp))
run = T.Cfgrun(plan)

results = {}


def one(i):
    data = os.urandom(SIZE // (1 if i == 0 else 4))
    s = T.connect(("127.0.0.1", fe), timeout=30)
    got = []

    def reader():
        got.append(T.recv_all(s))

    t = threading.Thread(target=reader)
    t.start()             # read while writing: the echo would stall otherwise
    s.sendall(data)
    s.shutdown(2 - 1)     # SHUT_WR
    t.join(60)
    s.close()
    results[i] = (T.sha256(data), T.sha256(got[0]) if got else None,
                  len(got[0]) if got else -1)


one(0)
want, have, n = results[0]
T.check(want == have, "20 MB echoed intact through cfgrun (%d bytes back)" % n)

threads = [threading.Thread(target=one, args=(i,)) for i in range(1, 5)]
for t in threads:
    t.start()
for t in threads:
    t.join(90)
T.check(all(results.get(i, (1, 2))[0] == results.get(i, (1, 2))[1] for i in range(1, 5)),
        "4 concurrent 5 MB streams intact")
lines = run.wait_logs(5)
T.check(any(" %d -- " % SIZE in l for l in lines), "log line counts 20 MB back to the client")
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
