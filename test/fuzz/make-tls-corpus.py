#!/usr/bin/env python3
"""make-tls-corpus.py DIR: write ClientHellos for the fuzz_tls_hello target
into DIR: real ones made by Python's ssl module (TLS 1.3 and 1.2, with and
without SNI and ALPN), every prefix of one of them, and damaged copies
(bytes flipped or set to edge values, fixed seed so that every run tests
the same inputs)."""
import os
import random
import ssl
import sys


def client_hello(sni, alpn, maxver):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    if maxver:
        ctx.maximum_version = maxver
    if alpn:
        ctx.set_alpn_protocols(alpn)
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    conn = ctx.wrap_bio(inc, out, server_hostname=sni)
    try:
        conn.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return out.read()


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: make-tls-corpus.py DIR\n")
        return 2
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    hellos = []
    for sni in (None, "example.com", "a" * 60 + "." + "b" * 60 + ".test"):
        for alpn in (None, ["http/1.1"], ["h2", "http/1.1"]):
            for ver in (None, ssl.TLSVersion.TLSv1_2):
                hellos.append(client_hello(sni, alpn, ver))
    n = 0

    def put(data):
        nonlocal n
        with open(os.path.join(d, "h%04d.bin" % n), "wb") as f:
            f.write(data)
        n += 1

    for h in hellos:
        put(h)
    for i in range(len(hellos[4])):
        put(hellos[4][:i])
    rnd = random.Random(7)
    for _ in range(600):
        h = bytearray(rnd.choice(hellos))
        for _ in range(rnd.randint(1, 4)):
            i = rnd.randrange(len(h))
            h[i] = rnd.choice((0, 0xff, 0x7f, 0x80, rnd.randrange(256)))
        put(bytes(h))
    print("%d inputs" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
