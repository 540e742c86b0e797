#!/usr/bin/python3
"""plan_mutants.py PLAN COUNT SEED OUTDIR: write COUNT mutants of PLAN
into OUTDIR (PLAN-NNNN.plan), deterministic for one SEED. Each mutant
changes one to three places past the 72-byte header: a bit flipped, a
byte set to a control character or NUL (strings), or an aligned 32-bit
word set to an edge value (0, 1, 2^31-1, 2^31, 2^32-1, a small number, a
random one). The fuzz target fixes the size and digest, so mutants reach
the verifier's table checks; most are refused, the ones that verify must
round-trip (fuzz_plan.c)."""
import os
import random
import struct
import sys

HEADER = 72
EDGE = (0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe,
        1000001, 86400000 * 25)


def mutate(img, rnd):
    b = bytearray(img)
    for _ in range(rnd.randint(1, 3)):
        kind = rnd.randrange(3)
        if kind == 0:
            i = rnd.randrange(HEADER, len(b))
            b[i] ^= 1 << rnd.randrange(8)
        elif kind == 1:
            i = rnd.randrange(HEADER, len(b))
            b[i] = rnd.choice((0, 0x0a, 0x0d, 0x09, 0x20, 0x23, 0x22, 0x7f))
        else:
            i = rnd.randrange(HEADER // 4, len(b) // 4) * 4
            v = rnd.choice(EDGE + (rnd.randrange(16), rnd.getrandbits(32)))
            b[i:i + 4] = struct.pack("<I", v)
    return bytes(b)


def main():
    plan, count, seed, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    img = open(plan, "rb").read()
    rnd = random.Random("%s:%s" % (seed, os.path.basename(plan)))
    base = os.path.join(out, os.path.basename(plan))
    for n in range(count):
        with open("%s-%04d.plan" % (base, n), "wb") as f:
            f.write(mutate(img, rnd))


main()
