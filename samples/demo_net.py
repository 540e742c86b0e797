#!/usr/bin/env python3
"""Tiny demo peers for hapc's sample: a named backend and a client.

  demo_net.py serve NAME HOST PORT [--mptcp]
      Answer every line received with "NAME: <line>"; with --mptcp the
      listener is an MPTCP socket and each reply says whether the accepted
      connection really is MPTCP.
  demo_net.py ask ADDRESS [--mptcp] [--count N]
      Connect N times (ADDRESS is HOST:PORT, [V6]:PORT or a unix path),
      send one line each time and print the reply.

Only the standard library; loopback only; every wait is bounded.
"""
import socket
import sys

SOL_MPTCP = 284
MPTCP_INFO = 1


def is_mptcp(sock):
    """True when the kernel says the connection is MPTCP (not a fallback)."""
    try:
        sock.getsockopt(SOL_MPTCP, MPTCP_INFO, 256)
        return True
    except OSError:
        return False


def parse_addr(text):
    if text.startswith("/"):
        return socket.AF_UNIX, text
    host, _, port = text.rpartition(":")
    if host.startswith("["):
        return socket.AF_INET6, (host[1:-1], int(port))
    return socket.AF_INET, (host, int(port))


def serve(name, host, port, mptcp):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    proto = socket.IPPROTO_MPTCP if mptcp else 0
    srv = socket.socket(fam, socket.SOCK_STREAM, proto)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, port))
    srv.listen(64)
    while True:
        conn, _ = srv.accept()
        with conn:
            conn.settimeout(10)
            tag = " (mptcp)" if mptcp and is_mptcp(conn) else ""
            data = b""
            while not data.endswith(b"\n"):
                chunk = conn.recv(4096)
                if not chunk:
                    break
                data += chunk
            conn.sendall(f"{name}{tag}: ".encode() + data)


def ask(address, mptcp, count):
    fam, addr = parse_addr(address)
    proto = socket.IPPROTO_MPTCP if mptcp else 0
    for i in range(count):
        with socket.socket(fam, socket.SOCK_STREAM, proto) as s:
            s.settimeout(5)
            s.connect(addr)
            via = " over MPTCP" if mptcp and is_mptcp(s) else ""
            s.sendall(f"hello #{i + 1}{via}\n".encode())
            s.shutdown(socket.SHUT_WR)
            reply = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                reply += chunk
            print(f"  {address:<24} -> {reply.decode().strip()}")


def main(argv):
    if len(argv) >= 4 and argv[0] == "serve":
        serve(argv[1], argv[2], int(argv[3]), "--mptcp" in argv)
    elif len(argv) >= 2 and argv[0] == "ask":
        count = int(argv[argv.index("--count") + 1]) if "--count" in argv else 1
        ask(argv[1], "--mptcp" in argv, count)
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
