#!/usr/bin/python3
"""PROXY protocol: send-proxy (v1) and send-proxy-v2 headers byte for byte
as a server receives them; accept-proxy with valid v1 and v2 headers (the
header's source is logged and passed on to send-proxy servers, the bytes
after the header intact); malformed headers refused and logged PR; a
header that does not arrive whole (truncated, or trickled byte by byte)
refused at once and logged PR, as HAProxy refuses it; a silent client
closed at `timeout client` counted from the accept (cR), as HAProxy's
handshake deadline, and a complete header restarting the client
timeout."""
import os
import select
import socket
import struct
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

SIG = b"\r\n\r\n\x00\r\nQUIT\n"
got = {}
cv = threading.Condition()


def capture(name):
    """A handler storing everything the server receives under `name`."""
    def h(c):
        data = T.recv_all(c)
        with cv:
            got.setdefault(name, []).append(data)
            cv.notify_all()
    return h


def received(name, n=1):
    with cv:
        cv.wait_for(lambda: len(got.get(name, [])) >= n, T.TIMEOUT)
        return got.get(name, [])[n - 1] if len(got.get(name, [])) >= n else None


def v2_inet(src, sport, dst, dport):
    return (SIG + b"\x21\x11" + struct.pack("!H", 12) + socket.inet_aton(src) +
            socket.inet_aton(dst) + struct.pack("!HH", sport, dport))


def v2_inet6(src, sport, dst, dport):
    return (SIG + b"\x21\x21" + struct.pack("!H", 36) +
            socket.inet_pton(socket.AF_INET6, src) +
            socket.inet_pton(socket.AF_INET6, dst) + struct.pack("!HH", sport, dport))


fe1, fe2, fe_acc, s1, s2, s3 = (T.free_port() for _ in range(6))
T.Server("v1", ("127.0.0.1", s1), handler=capture("v1"))
T.Server("v2", ("127.0.0.1", s2), handler=capture("v2"))
T.Server("acc", ("127.0.0.1", s3), handler=capture("acc"))
plan = T.compile_cfg("""
defaults
    timeout connect 2s
    timeout client 500ms
    timeout server 10s
listen send_v1
    bind 127.0.0.1:%(fe1)d
    server v1 127.0.0.1:%(s1)d send-proxy
listen send_v2
    bind 127.0.0.1:%(fe2)d
    server v2 127.0.0.1:%(s2)d send-proxy-v2
listen accept
    bind 127.0.0.1:%(fe_acc)d accept-proxy
    server acc 127.0.0.1:%(s3)d send-proxy
""" % dict(fe1=fe1, fe2=fe2, fe_acc=fe_acc, s1=s1, s2=s2, s3=s3))
run = T.Cfgrun(plan)


def send(port, payload, shut=True):
    s = T.connect(("127.0.0.1", port))
    cport = s.getsockname()[1]
    s.sendall(payload)
    if shut:
        s.shutdown(socket.SHUT_WR)
        T.recv_all(s)
        s.close()
    return cport, s


# 1. send-proxy: the server gets the v1 line, then the client's bytes.
cport, _ = send(fe1, b"hello v1")
want = ("PROXY TCP4 127.0.0.1 127.0.0.1 %d %d\r\n" % (cport, fe1)).encode() + b"hello v1"
data = received("v1")
T.check(data == want, "send-proxy v1 byte for byte: %r" % data)

# 2. send-proxy-v2: signature, PROXY/TCP4, 12 address bytes, then data.
cport, _ = send(fe2, b"hello v2")
want = v2_inet("127.0.0.1", cport, "127.0.0.1", fe2) + b"hello v2"
data = received("v2")
T.check(data == want, "send-proxy-v2 byte for byte: %s" % (data or b"").hex())

# 3. accept-proxy v1: the header's addresses replace the connection's in
#    the log and in the header sent on; the bytes after it arrive intact.
send(fe_acc, b"PROXY TCP4 192.0.2.7 198.51.100.1 4242 443\r\nafter v1")
data = received("acc", 1)
T.check(data == b"PROXY TCP4 192.0.2.7 198.51.100.1 4242 443\r\nafter v1",
        "v1 addresses carried to send-proxy, data intact: %r" % data)
lines = run.wait_logs(3)
T.check(len(lines) >= 3 and lines[2].startswith("192.0.2.7:4242 "),
        "log shows the v1 header's source: %s" % lines[2:3])

# 4. accept-proxy v2 (IPv6, with a NOOP TLV): same.
hdr = v2_inet6("2001:db8::5", 5555, "2001:db8::1", 80)
hdr = hdr[:14] + struct.pack("!H", 36 + 5) + hdr[16:] + b"\x04\x00\x02ab"
send(fe_acc, hdr + b"after v2")
data = received("acc", 2)
T.check(data == b"PROXY TCP6 2001:db8::5 2001:db8::1 5555 80\r\nafter v2",
        "v2 addresses carried to send-proxy, data intact: %r" % data)
lines = run.wait_logs(4)
T.check(len(lines) >= 4 and lines[3].startswith("[2001:db8::5]:5555 "),
        "log shows the v2 header's source: %s" % lines[3:4])

# 5. Malformed headers: closed at once without reaching the server, PR.
bad = [
    b"GET / HTTP/1.0\r\n\r\n",
    b"PROXY TCP4 1.2.3.4 5.6.7.8 99999 80\r\n",
    b"PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n",
    SIG + b"\x11\x11\x00\x0c" + b"\x00" * 12,
    SIG + b"\x21\x11\x00\x0b" + b"\x00" * 11,
]
for i, b in enumerate(bad):
    t0 = time.monotonic()
    T.check(T.closed_without_data(("127.0.0.1", fe_acc), b),
            "malformed header %d refused" % i)
    T.check(time.monotonic() - t0 < 0.4, "refused at once, not at the timeout")
lines = run.wait_logs(4 + len(bad))
pr = [l for l in lines[4:] if " PR " in l and "bad PROXY header" in l]
T.check(len(pr) == len(bad), "each refusal logged PR with the reason: %s" % lines[4:])
T.check(len(got.get("acc", [])) == 2, "no malformed connection reached the server")

# 6. The start of a header without the rest: refused at once as HAProxy
#    refuses a truncated header (it must arrive whole), PR.
t0 = time.monotonic()
T.check(T.closed_without_data(("127.0.0.1", fe_acc), b"PROXY TCP4 1.2.3.4"),
        "truncated header refused")
T.check(time.monotonic() - t0 < 0.4, "truncated header refused at once")
lines = run.wait_logs(5 + len(bad))
T.check(len(lines) >= 5 + len(bad) and " PR " in lines[-1] and
        "truncated PROXY header" in lines[-1],
        "truncated header logged PR: %s" % lines[-1:])

# 7. A silent client is closed at its timeout (500 ms): cR.
t0 = time.monotonic()
s = T.connect(("127.0.0.1", fe_acc))
try:
    eof = s.recv(10) == b""
except ConnectionResetError:
    eof = True
took = time.monotonic() - t0
s.close()
T.check(eof and 0.4 <= took < 2.0, "silent client closed at timeout client (%.2fs)" % took)
lines = run.wait_logs(6 + len(bad))
T.check(len(lines) >= 6 + len(bad) and " cR " in lines[-1] and "PROXY" in lines[-1],
        "header timeout logged cR: %s" % lines[-1:])

# 8. A header trickled one byte per 100 ms (4.4 s in all): refused at
#    its first byte as truncated, PR (before: accepted after the 4.4 s).
hdr = b"PROXY TCP4 192.0.2.9 198.51.100.1 4243 443\r\n"
t0 = time.monotonic()
s = T.connect(("127.0.0.1", fe_acc))
closed, sent = False, 0
for b in hdr:
    try:
        s.send(bytes([b]))
        sent += 1
    except OSError:
        closed = True
        break
    # wait up to 100 ms for cfgrun to close it, then send the next byte
    if select.select([s], [], [], 0.1)[0]:
        closed = True
        break
took = time.monotonic() - t0
s.close()
T.check(closed and sent < len(hdr) and took < 0.4,
        "trickled header refused at once: %d of %d bytes, %.2fs"
        % (sent, len(hdr), took))
lines = run.wait_logs(7 + len(bad))
T.check(len(lines) >= 7 + len(bad) and " PR " in lines[-1] and
        "truncated PROXY header" in lines[-1],
        "trickled header logged PR: %s" % lines[-1:])

# 9. The header ends the deadline: sent 300 ms after the accept, then
#    data 300 ms later (600 ms after the accept, within 500 ms of the
#    header): the data goes through.
s = T.connect(("127.0.0.1", fe_acc))
T.check(not select.select([s], [], [], 0.3)[0], "open 300 ms without a header")
s.sendall(b"PROXY TCP4 192.0.2.10 198.51.100.1 4244 443\r\n")
T.check(not select.select([s], [], [], 0.3)[0], "open 300 ms after the header")
s.sendall(b"late data")
s.shutdown(socket.SHUT_WR)
T.recv_all(s)
s.close()
data = received("acc", 3)
T.check(data == b"PROXY TCP4 192.0.2.10 198.51.100.1 4244 443\r\nlate data",
        "data after the header's deadline went through: %r" % data)

rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
