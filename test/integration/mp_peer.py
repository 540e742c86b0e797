#!/usr/bin/python3
"""mp_peer: the two ends of the MPTCP multipath test, run inside its
namespaces (by mptcp_multipath.py through `ip netns exec`).

    mp_peer.py serve HOST PORT
        TCP echo server: every connection gets back every byte it sends;
        at EOF the write side is shut and the connection closed. Prints
        "listening" once bound.

    mp_peer.py client HOST PORT BYTES RATE
        One MPTCP connection to HOST:PORT: sends BYTES random bytes paced
        at RATE bytes/s (so the transfer is still running when a path is
        cut), shuts its write side, reads the echo to EOF. Prints JSON
        lines on stdout: {"mptcp": bool} once connected, then every 50 ms
        {"sent", "recv", "subflows", "t"} (t: CLOCK_MONOTONIC when the
        counts were taken; subflows: MPTCP_INFO's count of
        extra subflows), finally {"done", "sent", "recv", "sha_sent",
        "sha_recv", "error"}. Exits 0 when the echo is complete.
"""
import hashlib
import json
import os
import socket
import sys
import threading
import time

SOL_MPTCP = 284
MPTCP_INFO = 1
IPPROTO_MPTCP = getattr(socket, "IPPROTO_MPTCP", 262)
CHUNK = 1 << 16
DEADLINE = 90.0          # seconds, the whole client run


def say(**kw):
    sys.stdout.write(json.dumps(kw) + "\n")
    sys.stdout.flush()


def serve(host, port):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((host, port))
    ls.listen(16)
    say(listening=True)

    def echo(c):
        try:
            while True:
                d = c.recv(CHUNK)
                if not d:
                    break
                c.sendall(d)
            c.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        finally:
            c.close()

    while True:
        c, _ = ls.accept()
        c.settimeout(DEADLINE)
        threading.Thread(target=echo, args=(c,), daemon=True).start()


def extra_subflows(s):
    """MPTCP_INFO's mptcpi_subflows (the first byte): subflows beyond the
    initial one; -1 when the socket is not MPTCP."""
    try:
        return s.getsockopt(SOL_MPTCP, MPTCP_INFO, 256)[0]
    except OSError:
        return -1


def client(host, port, total, rate):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_MPTCP)
    s.settimeout(DEADLINE)
    s.connect((host, port))
    say(mptcp=extra_subflows(s) >= 0)
    st = {"sent": 0, "recv": 0, "error": None}
    h_sent, h_recv = hashlib.sha256(), hashlib.sha256()
    t0 = time.monotonic()

    def sender():
        try:
            while st["sent"] < total:
                # pace: never ahead of RATE bytes/s since the start
                ahead = st["sent"] / rate - (time.monotonic() - t0)
                if ahead > 0:
                    time.sleep(ahead)
                d = os.urandom(min(CHUNK, total - st["sent"]))
                h_sent.update(d)
                s.sendall(d)
                st["sent"] += len(d)
            s.shutdown(socket.SHUT_WR)
        except OSError as e:
            st["error"] = "send: %s" % e

    def receiver():
        try:
            while True:
                d = s.recv(CHUNK)
                if not d:
                    break
                h_recv.update(d)
                st["recv"] += len(d)
        except OSError as e:
            st["error"] = "recv: %s" % e

    ts = threading.Thread(target=sender, daemon=True)
    tr = threading.Thread(target=receiver, daemon=True)
    ts.start()
    tr.start()
    while tr.is_alive() and time.monotonic() - t0 < DEADLINE:
        say(sent=st["sent"], recv=st["recv"], subflows=extra_subflows(s),
            t=time.monotonic())
        tr.join(0.05)
    if tr.is_alive():
        st["error"] = st["error"] or "no EOF within %.0f s" % DEADLINE
    say(done=True, sent=st["sent"], recv=st["recv"],
        sha_sent=h_sent.hexdigest(), sha_recv=h_recv.hexdigest(),
        error=st["error"], seconds=round(time.monotonic() - t0, 3))
    s.close()
    return 0 if st["error"] is None and st["recv"] == total else 1


def main(argv):
    if len(argv) == 4 and argv[1] == "serve":
        return serve(argv[2], int(argv[3]))
    if len(argv) == 6 and argv[1] == "client":
        return client(argv[2], int(argv[3]), int(argv[4]), float(argv[5]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
