#!/usr/bin/python3
"""Server limits and queues hold across threads (nbthread 2): a server
with maxconn 1 never has two connections from cfgrun at once however many
clients arrive together on different threads, and each queued client is
handed the slot promptly when the holder ends, whichever thread carries it
(a lost wake-up shows as a client waiting until its queue timeout); a
burst of queued clients expires at `timeout queue`, each logged sQ once;
maxqueue refuses at once the clients beyond it, as with one thread."""
import os
import socket
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import threads_lib as TL

CLIENTS = 16

# A server counting how many connections it has at once. Each client says
# its name, gets "served NAME", then says "bye"; the server counts the
# connection as ended when it reads "bye" and answers "ok": the client
# closes only after that, so cfgrun frees the slot only after the server
# stopped counting it, and any overlap the server sees is cfgrun's doing.
conc = {"cur": 0, "max": 0, "served": 0}
clock = threading.Lock()


def line(c):
    b = b""
    while not b.endswith(b"\n"):
        d = c.recv(1)
        if not d:
            return None
        b += d
    return b


def counting(c):
    name = line(c)
    if name is None:
        return
    with clock:
        conc["cur"] += 1
        conc["max"] = max(conc["max"], conc["cur"])
        conc["served"] += 1
    try:
        time.sleep(0.02)
        c.sendall(b"served " + name)
        line(c)                          # "bye" (or EOF)
    finally:
        with clock:
            conc["cur"] -= 1
    c.sendall(b"ok\n")
    T.recv_all(c)


def one_client(port, name, out):
    """Connect, wait for the slot, say bye, close; records the seconds
    from connect to service (None when never served)."""
    t0 = time.monotonic()
    try:
        s = T.connect(("127.0.0.1", port), timeout=15)
        s.sendall(name.encode() + b"\n")
        got = line(s)
        if got != b"served " + name.encode() + b"\n":
            out[name] = None
            s.close()
            return
        out[name] = time.monotonic() - t0
        s.sendall(b"bye\n")
        line(s)
        s.close()
    except OSError:
        out[name] = None


sp_limit, sp_to, sp_mq = T.free_port(), T.free_port(), T.free_port()
T.Server("limit", ("127.0.0.1", sp_limit), handler=counting)
fe_limit, fe_to, fe_mq = T.free_port(), T.free_port(), T.free_port()

from queuelib import named, client, served, closed, order  # noqa: E402
T.Server("to", ("127.0.0.1", sp_to), handler=named)
T.Server("mq", ("127.0.0.1", sp_mq), handler=named)

plan = T.compile_cfg(TL.global_section(2) + """
defaults
    timeout connect 2s
    timeout client 20s
    timeout server 20s
listen limit
    bind 127.0.0.1:%(fe_limit)d
    timeout queue 15s
    server one 127.0.0.1:%(sp_limit)d maxconn 1
listen qtimeout
    bind 127.0.0.1:%(fe_to)d
    timeout queue 500ms
    server one 127.0.0.1:%(sp_to)d maxconn 1
listen maxqueue
    bind 127.0.0.1:%(fe_mq)d
    balance source
    server one 127.0.0.1:%(sp_mq)d maxconn 1 maxqueue 2
""" % dict(fe_limit=fe_limit, sp_limit=sp_limit, fe_to=fe_to, sp_to=sp_to,
           fe_mq=fe_mq, sp_mq=sp_mq), "tqueue.cfg")
run = T.Cfgrun(plan)
TL.check_threads(run, 2, "nbthread 2")

# 1. maxconn 1 under a crowd arriving at once.
waits = {}
ths = [threading.Thread(target=one_client, args=(fe_limit, "c%d" % i, waits),
                        daemon=True) for i in range(CLIENTS)]
t0 = time.monotonic()
for t in ths:
    t.start()
for t in ths:
    t.join(30)
took = time.monotonic() - t0
never = sorted(n for n, w in waits.items() if w is None)
T.check(len(waits) == CLIENTS and not never,
        "all %d clients served through one slot (never served: %s)" % (CLIENTS, never))
T.check(conc["max"] == 1,
        "the server never had more than 1 connection at once (max %d)" % conc["max"])
T.check(conc["served"] == CLIENTS, "the server saw %d connections (%d)"
        % (CLIENTS, conc["served"]))
# Each hand-over costs a round trip or two: 16 of them take well under a
# second when every wake-up reaches the thread of the queued stream.
T.check(took < 8.0, "the queue drained promptly (%.2fs for %d clients)" % (took, CLIENTS))
lines = run.wait_logs(CLIENTS)
rows = [l for l in lines if " limit limit/one " in l]
T.check(len(rows) == CLIENTS and all(" -- " in l for l in rows),
        "%d streams logged, each ended normally (%d)" % (CLIENTS, len(rows)))

# 2. timeout queue: a slot holder, then a burst of queued clients that all
#    expire at about 500 ms, each logged sQ exactly once.
order.clear()
holder = client(fe_to, "H")
T.check(served(holder, "H"), "queue timeout: the slot holder is served")
BURST = 8
socks = [client(fe_to, "q%d" % i) for i in range(BURST)]
t0 = time.monotonic()
ends = [None] * BURST


def wait_close(i):
    if closed(socks[i], 5):
        ends[i] = time.monotonic() - t0


ths = [threading.Thread(target=wait_close, args=(i,), daemon=True) for i in range(BURST)]
for t in ths:
    t.start()
for t in ths:
    t.join(10)
T.check(all(e is not None and 0.3 <= e < 2.5 for e in ends),
        "every queued client closed at the queue timeout: %s"
        % ["%.2f" % e if e is not None else None for e in ends])
T.check(order == ["H"], "no expired client reached the server: %s" % order)
T.wait_until(lambda: TL.count_lines(run, r" sQ ") >= BURST, timeout=3)
n_sq = TL.count_lines(run, r" qtimeout qtimeout/\S+ .* sQ ")
T.check(n_sq == BURST, "each expiry logged sQ once (%d lines for %d clients)" % (n_sq, BURST))
holder.close()
for s in socks:
    s.close()

# 3. maxqueue 2: a holder and two queued; the next clients are refused at
#    once (SQ) whatever thread takes them; the queued two are still served
#    in their order.
order.clear()
a = client(fe_mq, "A")
T.check(served(a, "A"), "maxqueue: the slot holder is served")
b = client(fe_mq, "B")
time.sleep(0.1)
c = client(fe_mq, "C")
time.sleep(0.2)
extra = [client(fe_mq, "x%d" % i) for i in range(6)]
t0 = time.monotonic()
refused = [closed(s, 2) for s in extra]
T.check(all(refused) and time.monotonic() - t0 < 2.0,
        "6 clients beyond maxqueue refused at once (%s)" % refused)
a.close()
T.check(served(b, "B"), "first queued client served when the holder ends")
b.close()
T.check(served(c, "C"), "second queued client served next")
c.close()
T.check(order == ["A", "B", "C"], "served in arrival order: %s" % order)
for s in extra:
    s.close()
T.wait_until(lambda: TL.count_lines(run, r" maxqueue maxqueue/one .* SQ ") >= 6, timeout=3)
T.check(TL.count_lines(run, r" maxqueue maxqueue/one .* SQ ") == 6,
        "each refusal logged SQ once")

rc, took = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
