#!/usr/bin/python3
"""A reload that cannot be done leaves the running plan serving: a
corrupted plan, a missing file and a plan whose new listener cannot bind
are refused with the reason, the old listener and server keep working,
and a good plan afterwards is taken."""
import os
import signal
import socket
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

sp = T.free_ports(2)
servers = [T.Server("s%d" % i, ("127.0.0.1", p)) for i, p in enumerate(sp)]
fe, busy = T.free_ports(2)
CFG = """
defaults
    timeout connect 2s
    timeout client 30s
    timeout server 30s
listen b
    bind 127.0.0.1:%d
%s    server s 127.0.0.1:%d
"""
plan = T.compile_cfg(CFG % (fe, "", sp[0]), "bad.cfg")
run = T.Cfgrun(plan)


def served_by():
    reply, _ = T.exchange(("127.0.0.1", fe), b"x")
    return T.greeting(reply)[0]


T.check(served_by() == "s0", "first plan serves")
good = open(plan, "rb").read()

# 1. Corrupted: one byte flipped in the middle, digest no longer matches.
bad = bytearray(good)
bad[len(bad) // 2] ^= 0xff
# Replaced by rename, as cfgc does: the running plan's file is mapped and
# must not change under it.
with open(plan + ".tmp", "wb") as f:
    f.write(bad)
os.rename(plan + ".tmp", plan)
run.proc.send_signal(signal.SIGHUP)
run.wait_for(r"reload refused: .*digest does not match.*keeping plan generation 1")
T.check(served_by() == "s0", "corrupted plan refused, old plan still serves")

# 2. Missing file.
os.unlink(plan)
run.proc.send_signal(signal.SIGHUP)
run.wait_for(r"reload refused: .*No such file or directory.*keeping plan generation 1")
T.check(served_by() == "s0", "missing plan refused, old plan still serves")

# 3. A new listener on a port someone else holds.
holder = socket.socket()
holder.bind(("127.0.0.1", busy))
holder.listen(1)
T.compile_cfg(CFG % (fe, "    bind 127.0.0.1:%d\n" % busy, sp[1]), "bad2.cfg", out=plan)
run.proc.send_signal(signal.SIGHUP)
run.wait_for(r"cannot bind to 127.0.0.1:%d.*\n.*reload refused: the new plan's listeners cannot be opened" % busy)
T.check(served_by() == "s0", "unbindable plan refused, old plan still serves")
holder.close()

# 4. A good plan afterwards is taken.
T.compile_cfg(CFG % (fe, "", sp[1]), "good.cfg", out=plan)
run.proc.send_signal(signal.SIGHUP)
run.wait_for(r"reloaded plan [0-9a-f]{64} \(generation 2")
T.check(served_by() == "s1", "a good plan after refused ones is taken")
rc, _ = run.stop()
T.check(rc == 0, "exit 0")
for s in servers:
    s.close()
T.done()
