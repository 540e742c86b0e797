#!/usr/bin/python3
"""queuelib.py: the named test server and client the queue tests share.

Each client sends its name on a line; the server records the order in
which names reach it (`order`), greets with "served NAME", then echoes to
end of file.
"""
import socket
import threading

import rtlib as T

order = []
lock = threading.Lock()


def named(c):
    """Record the client's name (first line), greet, then echo to EOF."""
    line = b""
    while not line.endswith(b"\n"):
        d = c.recv(1)
        if not d:
            return
        line += d
    with lock:
        order.append(line.strip().decode())
    c.sendall(b"served " + line)
    while True:
        d = c.recv(65536)
        if not d:
            break
        c.sendall(d)


def client(port, name):
    s = T.connect(("127.0.0.1", port))
    s.sendall(name.encode() + b"\n")
    return s


def served(s, name, timeout=T.TIMEOUT):
    """True when s gets its greeting within timeout."""
    s.settimeout(timeout)
    want = b"served " + name.encode() + b"\n"
    got = b""
    try:
        while len(got) < len(want):
            d = s.recv(len(want) - len(got))
            if not d:
                break
            got += d
    except (socket.timeout, ConnectionResetError):
        return False
    return got == want


def closed(s, timeout=T.TIMEOUT):
    s.settimeout(timeout)
    try:
        return s.recv(100) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False
