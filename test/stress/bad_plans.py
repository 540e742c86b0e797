#!/usr/bin/python3
"""A reload with each kind of bad plan while traffic flows.

The plan file is replaced by a truncated plan, one with a wrong digest,
one of another format version (its digest made right, so that the
version is what is refused), garbage of a plan's size, an empty file, a
FIFO with no writer, a directory, and nothing at all; cfgrun is sent
SIGHUP after each. Each reload must be refused with its reason, the
running generation kept (the refusal says "keeping plan generation 1"),
and echo transfers keep coming back intact between them. A good plan
afterwards is taken as generation 2."""
import hashlib
import re
import os
import random
import signal
import struct
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stresslib as S

T = S.T
RSS_BOUND_MB = 32
S.timed_out(120)

fe = T.free_port()
be = T.free_ports(2)
backend = S.Backend("echo", be)
plan = T.compile_cfg(S.tcp_proxy(fe, be[0]), "good1.cfg")
with open(plan, "rb") as f:
    good = f.read()


def with_digest(b):
    """b with its header's digest field (bytes 40..71) made right: the
    SHA-256 of the file with that field zeroed."""
    z = b[:40] + bytes(32) + b[72:]
    return b[:40] + hashlib.sha256(z).digest() + b[72:]


def put_bytes(b):
    def put():
        with open(plan + ".new", "wb") as f:
            f.write(b)
        os.replace(plan + ".new", plan)
    return put


def clear():
    if os.path.isdir(plan) and not os.path.islink(plan):
        os.rmdir(plan)
    elif os.path.lexists(plan):
        os.unlink(plan)


flipped = bytearray(good)
flipped[-1] ^= 0xff
major = struct.unpack_from("<H", good, 8)[0]
other_version = bytearray(good)
struct.pack_into("<H", other_version, 8, major - 1)
# (kind, how to put it in place, what the refusal must name)
KINDS = [
    ("truncated", put_bytes(good[:len(good) // 2]), r"size|truncat|short"),
    ("wrong digest", put_bytes(bytes(flipped)), r"digest"),
    ("wrong version", put_bytes(with_digest(bytes(other_version))), r"version|major"),
    ("garbage", put_bytes(random.Random(1).randbytes(len(good))), r"magic|not a plan"),
    ("empty", put_bytes(b""), r"empty|size|short|truncat"),
    ("FIFO", lambda: os.mkfifo(plan), r"FIFO"),
    ("directory", lambda: os.mkdir(plan), r"directory"),
    ("missing", lambda: None, r"No such file|missing|not found"),
]

run = T.Cfgrun(plan)
load = S.Load(fe, workers=8, size=16384, what="echo transfers across the bad reloads")
T.check(load.wait_count(50), "traffic flows before the first reload")
T.log("bad_plans: %d kinds of bad plan, each sent a SIGHUP under load" % len(KINDS))
for n, (kind, put, reason) in enumerate(KINDS, 1):
    clear()
    put()
    run.proc.send_signal(signal.SIGHUP)
    ok = T.wait_until(lambda: run.stderr().count("reload refused") >= n, 10)
    refusals = [l for l in run.stderr().splitlines() if "reload refused" in l]
    line = refusals[-1] if ok else "(no refusal within 10 s)"
    T.log("  %s: %s" % (kind, line))
    T.check(ok and "keeping plan generation 1" in line and
            re.search(reason, line) is not None,
            "%s plan refused with its reason, generation 1 kept" % kind)
    T.check(load.wait_count(20), "%s: generation 1 keeps serving" % kind)
clear()
T.compile_cfg(S.tcp_proxy(fe, be[1]), "good2.cfg", out=plan)
run.proc.send_signal(signal.SIGHUP)
run.wait_for(r"reloaded plan [0-9a-f]{64} \(generation 2:", 10)
T.check(load.wait_count(50), "traffic flows on generation 2")
load.stop(100)
S.report_memory(run, RSS_BOUND_MB)
S.alive(run, "the bad reloads")
T.done()
