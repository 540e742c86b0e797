#!/usr/bin/env python3
"""make-dns-corpus.py DIR: write DNS answers for the fuzz_dns target into
DIR: answers to "app.test" A and AAAA (addresses, a CNAME chain through
compression pointers, NXDOMAIN, truncated), every prefix of one of them,
malformed ones (pointer loops, records past the end, wrong lengths) and
damaged copies (bytes flipped or set to edge values, fixed seed so that
every run tests the same inputs)."""
import os
import random
import socket
import struct
import sys


def name(n):
    return b"".join(bytes([len(l)]) + l.encode() for l in n.split(".")) + b"\0"


def answer(qid, qtype, records, flags=0x8180):
    """An answer to "app.test": fuzz_dns asks for A with an even id,
    AAAA with an odd one."""
    head = struct.pack("!HHHHHH", qid, flags, 1, len(records), 0, 0)
    return head + name("app.test") + struct.pack("!HH", qtype, 1) + b"".join(records)


def rr(owner, rtype, data, ttl=60):
    return owner + struct.pack("!HHIH", rtype, 1, ttl, len(data)) + data


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    ptr = b"\xc0\x0c"
    seeds = {
        "a": answer(0x1234, 1, [rr(ptr, 1, socket.inet_aton("127.0.0.1")),
                                rr(ptr, 1, socket.inet_aton("10.0.0.2"))]),
        "aaaa": answer(0x1235, 28, [rr(ptr, 28, socket.inet_pton(
            socket.AF_INET6, "2001:db8::1"))]),
        "cname": answer(0x2222, 1, [
            rr(ptr, 5, b"\x04real\xc0\x10"),
            rr(b"\x04real\xc0\x10", 1, socket.inet_aton("192.0.2.7"))]),
        "nx": answer(0x3332, 1, [], flags=0x8183),
        "tc": answer(0x4444, 1, [], flags=0x8380),
        "refused": answer(0x5554, 1, [], flags=0x8185),
        "loop": answer(0x6666, 1, [rr(b"\xc0\x1a", 1, b"\x7f\0\0\1")]),
        "forward": answer(0x6668, 1, [rr(b"\xc0\x40", 1, b"\x7f\0\0\1")]),
        "rdlen": answer(0x7776, 1, [ptr + struct.pack("!HHIH", 1, 1, 60, 40)
                                    + b"\x7f\0\0\1"]),
        "alen": answer(0x7778, 1, [rr(ptr, 1, b"\x7f\0\0\1\2")]),
    }
    for k, v in seeds.items():
        with open(os.path.join(out, k + ".bin"), "wb") as f:
            f.write(v)
    whole = seeds["cname"]
    for n in range(len(whole)):
        with open(os.path.join(out, "prefix-%03d.bin" % n), "wb") as f:
            f.write(whole[:n])
    rnd = random.Random(53)
    for i in range(300):
        b = bytearray(rnd.choice(list(seeds.values())))
        for _ in range(rnd.randint(1, 4)):
            p = rnd.randrange(len(b))
            b[p] = rnd.choice([0, 0xff, 0xc0, 0x3f, 0x40, rnd.randrange(256)])
        with open(os.path.join(out, "damaged-%03d.bin" % i), "wb") as f:
            f.write(bytes(b))


if __name__ == "__main__":
    main()
