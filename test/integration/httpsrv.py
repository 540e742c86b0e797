"""A scriptable HTTP/1.1 origin server and raw client helpers for the HTTP
integration tests. The server parses requests itself (never trusting the
proxy), records each one as received (head bytes, body bytes, on which
connection), and answers with what the test's handler returns."""
import socket
import threading
import time

import rtlib as T


def read_head(sock, buf=b""):
    """Read until the end of a head; returns (head, rest) or (None, buf)
    when the peer closed first."""
    while b"\r\n\r\n" not in buf:
        try:
            d = sock.recv(65536)
        except OSError:
            return None, buf
        if not d:
            return None, buf
        buf += d
    i = buf.index(b"\r\n\r\n") + 4
    return buf[:i], buf[i:]


def headers(head):
    """Lower-case header name -> list of values of a head."""
    out = {}
    for line in head.split(b"\r\n")[1:]:
        if not line:
            continue
        k, _, v = line.partition(b":")
        out.setdefault(k.strip().lower().decode(), []).append(v.strip().decode())
    return out


def read_body(sock, head, rest):
    """The body of the message whose head is given: Content-Length or
    chunked (returned decoded); returns (body, rest)."""
    h = headers(head)
    if "transfer-encoding" in h and "chunked" in h["transfer-encoding"][-1]:
        body = b""
        buf = rest
        while True:
            while b"\r\n" not in buf:
                buf += sock.recv(65536)
            line, _, buf = buf.partition(b"\r\n")
            size = int(line.split(b";")[0], 16)
            if size == 0:
                while not buf.startswith(b"\r\n") and b"\r\n\r\n" not in buf:
                    buf += sock.recv(65536)
                if buf.startswith(b"\r\n"):
                    return body, buf[2:]
                return body, buf[buf.index(b"\r\n\r\n") + 4:]
            while len(buf) < size + 2:
                buf += sock.recv(65536)
            body += buf[:size]
            buf = buf[size + 2:]
    n = int(h.get("content-length", ["0"])[0])
    buf = rest
    while len(buf) < n:
        d = sock.recv(65536)
        if not d:
            break
        buf += d
    return buf[:n], buf[n:]


class Origin:
    """HTTP server on addr. handler(req) returns the raw response bytes,
    or a callable taking the connection (to script odd behaviour), or
    None to close without answering. req is a dict: head, body, conn
    (connection number), method, target, headers."""

    def __init__(self, addr, handler=None):
        self.requests = []
        self.conns = 0
        self.handler = handler or (lambda r: ok(b"hello"))
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(addr)
        self.sock.listen(128)
        self.lock = threading.Lock()
        self.stop = False
        threading.Thread(target=self._loop, daemon=True).start()

    def _loop(self):
        while not self.stop:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.conns += 1
                n = self.conns
            threading.Thread(target=self._serve, args=(c, n),
                             daemon=True).start()

    def _serve(self, c, n):
        c.settimeout(T.TIMEOUT)
        rest = b""
        try:
            while True:
                head, rest = read_head(c, rest)
                if head is None:
                    return
                body, rest = read_body(c, head, rest)
                line = head.split(b"\r\n", 1)[0].decode()
                method, target, _ = line.split(" ", 2)
                req = {"head": head, "body": body, "conn": n,
                       "method": method, "target": target,
                       "headers": headers(head)}
                with self.lock:
                    self.requests.append(req)
                r = self.handler(req)
                if r is None:
                    return
                if callable(r):
                    if r(c) is False:
                        return
                    continue
                c.sendall(r)
                if "close" in ",".join(req["headers"].get("connection", [])):
                    return
        except OSError:
            return
        finally:
            c.close()

    def close(self):
        self.stop = True
        self.sock.close()


def ok(body, extra=b""):
    return (b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n" %
            (len(body), extra)) + body


def echo_x_headers(req):
    """An Origin handler answering with the request's X- headers as its
    body, one "name=value" line each (the last value of a repeated one),
    sorted by name."""
    lines = [b"%s=%s" % (k.encode(), v[-1].encode())
             for k, v in sorted(req["headers"].items()) if k.startswith("x-")]
    return ok(b"\n".join(lines) + b"\n")


def chunked(parts, trailers=b""):
    out = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    for p in parts:
        out += b"%x\r\n%s\r\n" % (len(p), p)
    return out + b"0\r\n" + trailers + b"\r\n"


def recv_response(sock, method="GET"):
    """One response from sock: (status, headers, body); status None when
    the connection closed first."""
    head, rest = read_head(sock, getattr(sock, "_rest", b""))
    if head is None:
        return None, {}, b""
    status = int(head.split(b" ", 2)[1])
    h = headers(head)
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        sock._rest = rest
        return status, h, b""
    if "content-length" not in h and "transfer-encoding" not in h:
        body = rest
        while True:
            d = sock.recv(65536)
            if not d:
                break
            body += d
        return status, h, body
    body, sock._rest = read_body(sock, head, rest)
    return status, h, body


class Conn(socket.socket):
    """A client socket that keeps what followed a response (pipelining)."""
    _rest = b""


def connect(port, host="127.0.0.1"):
    s = Conn(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(T.TIMEOUT)
    s.connect((host, port))
    return s


def closed(sock, timeout=T.TIMEOUT):
    """True when the peer closes sock within timeout (reads what is left)."""
    end = time.time() + timeout
    while time.time() < end:
        try:
            d = sock.recv(65536)
        except socket.timeout:
            return False
        except OSError:
            return True
        if not d:
            return True
    return False
