#!/usr/bin/python3
"""Descriptor exhaustion: with a low ulimit-n, cfgrun lowers maxconn so
that its streams, its health checks and its stats socket all fit, stops
accepting at that maxconn (the excess waits in the listen backlog) and
takes the waiting connections once the first ones end. A burst of 300
held connections against ulimit-n 300 with 100 checked servers: none is
reset or closed, no stream or check fails for want of a descriptor (before, the
checks' sockets were not counted: streams failed with "cannot create a
socket: Too many open files" and live servers went DOWN), and every
connection is served once load drops."""
import os
import re
import socket
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

N, ULIMIT, NCHECKS = 300, 300, 100
be, fe = T.free_ports(2)
srv = T.Server("s", ("127.0.0.1", be), backlog=512)
stats = T.tmp("stats.sock")      # counted: 1 + 64 clients
cfg = """
global
    ulimit-n %d
    stats socket %s
defaults
    timeout connect 2s
    timeout client 30s
    timeout server 30s
listen l
    bind 127.0.0.1:%d
    balance first
""" % (ULIMIT, stats, fe)
cfg += "".join("    server c%d 127.0.0.1:%d check inter 100ms\n" % (i, be)
               for i in range(NCHECKS))
run = T.Cfgrun(T.compile_cfg(cfg, "fdburst.cfg"))
m = re.search(r"maxconn \d+ lowered to (\d+)", run.stderr())
T.check(m is not None, "maxconn lowered to fit ulimit-n %d" % ULIMIT)
maxconn = int(m.group(1)) if m else 0
# 2 per stream + 100 checks + 1+64 for the stats socket + listener,
# threads and margin must fit in the limit.
T.check(0 < maxconn and 2 * maxconn + NCHECKS + 65 <= ULIMIT,
        "maxconn %d leaves room for %d checks and the stats socket"
        % (maxconn, NCHECKS))

socks = []
for _ in range(N):
    s = socket.socket()
    s.setblocking(False)
    s.connect_ex(("127.0.0.1", fe))
    socks.append(s)

state = {}                      # index -> "greeted" | "closed"


def poll():
    """Read what arrived on every socket not yet settled."""
    for i, s in enumerate(socks):
        if i in state:
            continue
        try:
            d = s.recv(64)
            state[i] = "greeted" if d.startswith(b"s mptcp=") else "closed"
        except BlockingIOError:
            pass
        except OSError:
            state[i] = "closed"
    return state


T.wait_until(lambda: len(poll()) >= maxconn, timeout=20)
T.check(sum(v == "greeted" for v in state.values()) == maxconn,
        "%d connections served at once (maxconn)" % maxconn)
T.check(all(v == "greeted" for v in state.values()),
        "none closed or reset at the limit: %s"
        % sorted(set(state.values())))
T.check(len(state) == maxconn, "the other %d wait in the backlog"
        % (N - maxconn))

# Load drops: the served ones leave, the waiting ones are taken.
done = 0
for _ in range(N):              # bounded: each round closes >= 1
    served = [i for i, v in state.items() if v == "greeted"]
    if not served:
        break
    for i in served:
        socks[i].close()
        state[i] = "done"
        done += 1
    T.wait_until(lambda: len(poll()) > done or len(state) == N, timeout=20)
T.check(done == N and all(v == "done" for v in state.values()),
        "all %d connections served once load dropped (%d)" % (N, done))
err = run.stderr()
T.check("Too many open files" not in err,
        "no descriptor ran out (streams, checks): %s"
        % [l for l in err.splitlines() if "Too many" in l][:3])
run.stop()
srv.close()
T.done()
