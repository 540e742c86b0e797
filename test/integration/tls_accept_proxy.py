#!/usr/bin/env python3
"""`bind ... accept-proxy ssl` (TLS behind an L4 balancer) on real sockets:
the PROXY header (v1 or v2) arrives in clear, then the TLS handshake.
Checks: v1 and v2 headers followed by a handshake, sent in two writes and
in one (the ClientHello right behind the header, in the same segment);
the header's addresses in src/dst fetches, %ci in the log line,
X-Forwarded-For, an ACL on src, set-src and the v2 TLVs (fc_pp_*); a TCP
frontend switching on the header's source; `tcp-request connection
expect-proxy layer4` on a TLS listener, with a content rule on src; malformed and truncated headers
refused at once (PR) before any handshake; a silent client and one
stalling in the handshake after its header both closed at `timeout
client` counted from the accept (cR)."""
import os
import select
import socket
import ssl
import struct
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import httpsrv as H  # noqa: E402
import rtlib as T    # noqa: E402
import tlscerts      # noqa: E402

if not T.have_cfgc():
    T.skip("cfgc not built")

C = tlscerts.make(T.tmp("pki"))
SIG = b"\r\n\r\n\x00\r\nQUIT\n"


def v1(src, sport, dst="198.51.100.1", dport=443):
    return ("PROXY TCP4 %s %s %d %d\r\n" % (src, dst, sport, dport)).encode()


def tlv(t, v):
    return struct.pack("!BH", t, len(v)) + v


def v2_inet6(src, sport, dst, dport, tlvs=b""):
    body = (socket.inet_pton(socket.AF_INET6, src) +
            socket.inet_pton(socket.AF_INET6, dst) +
            struct.pack("!HH", sport, dport) + tlvs)
    return SIG + b"\x21\x21" + struct.pack("!H", len(body)) + body


def client_ctx():
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    c.check_hostname = False
    c.verify_mode = ssl.CERT_NONE
    return c


def pp_tls(port, hdr, payload, together=False, until=None,
           sni="www.example.test"):
    """Send the PROXY header hdr, then a TLS handshake and payload over it;
    returns the decrypted bytes until the end, or until until(bytes) holds.
    together: the header and the ClientHello leave in a single write (one
    segment), so the proxy's first read sees both. Raises on a failed
    handshake."""
    raw = T.connect(("127.0.0.1", port))
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = client_ctx().wrap_bio(inc, out, server_hostname=sni)
    try:
        try:
            tls.do_handshake()
        except ssl.SSLWantReadError:
            pass
        hello = out.read()
        if together:
            raw.sendall(hdr + hello)
        else:
            raw.sendall(hdr)
            raw.sendall(hello)
        while True:                     # bounded by the socket's timeout
            try:
                tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                pending = out.read()
                if pending:
                    raw.sendall(pending)
                d = raw.recv(65536)
                if not d:
                    raise ConnectionError("closed during the handshake")
                inc.write(d)
        tls.write(payload)
        raw.sendall(out.read())
        got = b""
        while True:                     # bounded by the socket's timeout
            try:
                d = tls.read(65536)
                if not d:
                    break               # close_notify
                got += d
                if until and until(got):
                    break
            except ssl.SSLWantReadError:
                d = raw.recv(65536)
                if not d:
                    break
                inc.write(d)
            except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
                break
        return got
    finally:
        raw.close()


def get(port, hdr, path="/", together=False, extra=b""):
    """One HTTP request over pp_tls: (status, body), or (None, the error)
    when the connection failed."""
    try:
        data = pp_tls(port, hdr, b"GET %s HTTP/1.1\r\nHost: x\r\n%s"
                      b"Connection: close\r\n\r\n" % (path.encode(), extra),
                      together)
    except (ConnectionError, ssl.SSLError, OSError) as e:
        return None, repr(e)
    head, _, body = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1."):
        return None, data
    return int(head.split(b" ", 2)[1]), body


def relay(port, hdr, payload, together):
    """pp_tls to an echo server behind a TCP frontend: its greeting and
    payload echoed, or the error as text."""
    try:
        return pp_tls(port, hdr, payload, together,
                      lambda b: b.endswith(payload))
    except (ConnectionError, ssl.SSLError, OSError) as e:
        return repr(e).encode()


def closed_by_proxy(s, limit):
    """Wait up to limit seconds for the proxy to close s (EOF or reset)."""
    if not select.select([s], [], [], limit)[0]:
        return False
    try:
        return s.recv(4096) == b""
    except ConnectionResetError:
        return True


p_web, p_tcp, p_exp, p_slow, origin_port = T.free_ports(5)
origin = H.Origin(("127.0.0.1", origin_port), H.echo_x_headers)
echo = T.Server("echo", ("127.0.0.1", T.free_port()), greet=True)
echo2 = T.Server("proxied", ("127.0.0.1", T.free_port()), greet=True)

CFG = """
global
    log stderr format raw local0

defaults
    log global
    timeout connect 2s
    timeout client 5s
    timeout server 5s

frontend web
    mode http
    bind 127.0.0.1:%(web)d accept-proxy ssl crt %(rsa)s
    log-format "web %%ci:%%cp %%fi:%%fp %%ST %%tsc %%[ssl_fc_sni]"
    http-request deny deny_status 403 if { src 203.0.113.0/24 }
    http-request return status 200 content-type text/plain lf-string "src=%%[src] sport=%%[src_port] dst=%%[dst] dport=%%[dst_port] auth=%%[fc_pp_authority] uid=%%[fc_pp_unique_id] rcvd=%%[fc_rcvd_proxy] sni=%%[ssl_fc_sni]" if { path /who }
    http-request set-header X-Forwarded-For %%[src]
    default_backend origin

frontend tcpfe
    mode tcp
    bind 127.0.0.1:%(tcp)d accept-proxy ssl crt %(rsa)s
    use_backend proxied if { src 192.0.2.0/24 }
    default_backend echo

frontend expect
    mode tcp
    bind 127.0.0.1:%(exp)d ssl crt %(rsa)s
    tcp-request connection expect-proxy layer4 if { src 127.0.0.1 }
    tcp-request inspect-delay 2s
    tcp-request content reject if { src 192.0.2.66 }
    tcp-request content accept if { req.len gt 0 }
    default_backend echo

frontend slow
    mode http
    timeout client 600ms
    bind 127.0.0.1:%(slow)d accept-proxy ssl crt %(rsa)s
    log-format "slow %%ci:%%cp %%tsc"
    default_backend origin

backend origin
    mode http
    server o1 127.0.0.1:%(origin)d

backend echo
    mode tcp
    server e1 127.0.0.1:%(echo)d

backend proxied
    mode tcp
    server e2 127.0.0.1:%(echo2)d
""" % dict(web=p_web, tcp=p_tcp, exp=p_exp, slow=p_slow, origin=origin_port,
           echo=echo.sock.getsockname()[1], echo2=echo2.sock.getsockname()[1],
           rsa=C.rsa)

PLAN = T.compile_cfg(CFG, "tls_pp.cfg")
dump = subprocess.run([T.CFGC, "--dump", PLAN], capture_output=True,
                      text=True, timeout=60).stdout
T.check(sum(" accept-proxy ssl crt " in l for l in dump.splitlines()) == 3,
        "cfgc compiles accept-proxy with ssl, --dump prints it back: %s"
        % [l for l in dump.splitlines() if " bind " in l])
run = T.Cfgrun(PLAN)


def log_with(prefix, n=1):
    """The log lines starting with prefix, once there are n of them."""
    T.wait_until(lambda: len([l for l in run.log_lines()
                              if l.startswith(prefix)]) >= n)
    return [l for l in run.log_lines() if l.startswith(prefix)]


def tcp_log(fe, n=1):
    """The TCP log lines of frontend fe, once there are n of them."""
    T.wait_until(lambda: len([l for l in run.log_lines()
                              if " %s " % fe in l]) >= n)
    return [l for l in run.log_lines() if " %s " % fe in l]


def field_map(body):
    return dict(kv.split("=", 1) for kv in body.decode().split())


# ---- HTTP mode: v1 and v2, header and ClientHello apart or together ------
V1 = v1("192.0.2.7", 4242)
AUTH = b"svc.example.test"
V2 = v2_inet6("2001:db8::5", 5555, "2001:db8::1", 8443,
              tlv(0x02, AUTH) + tlv(0x05, b"conn-42") + tlv(0x04, b"pad"))
for together in (False, True):
    how = "one write" if together else "two writes"
    st, body = get(p_web, V1, "/who", together)
    m = field_map(body) if st == 200 else {}
    T.check(st == 200, "v1 + TLS (%s): answered (%r %r)" % (how, st, body))
    T.check(m.get("src") == "192.0.2.7" and m.get("sport") == "4242",
            "v1 (%s): src/src_port from the header: %r" % (how, m))
    T.check(m.get("dst") == "198.51.100.1" and m.get("dport") == "443",
            "v1 (%s): dst/dst_port from the header: %r" % (how, m))
    T.check(m.get("rcvd") == "1" and m.get("sni") == "www.example.test",
            "v1 (%s): fc_rcvd_proxy and ssl_fc_sni: %r" % (how, m))

    st, body = get(p_web, V2, "/who", together)
    m = field_map(body) if st == 200 else {}
    T.check(st == 200, "v2 + TLS (%s): answered (%r %r)" % (how, st, body))
    T.check(m.get("src") == "2001:db8::5" and m.get("sport") == "5555" and
            m.get("dst") == "2001:db8::1" and m.get("dport") == "8443",
            "v2 (%s): IPv6 addresses from the header: %r" % (how, m))
    T.check(m.get("auth") == AUTH.decode() and m.get("uid") == "conn-42",
            "v2 (%s): fc_pp_authority, fc_pp_unique_id: %r" % (how, m))

lines = log_with("web ", 4) + [""] * 4
T.check(lines[0] == "web 192.0.2.7:4242 198.51.100.1:443 200 LR-- "
        "www.example.test", "log line: %%ci:%%cp %%fi:%%fp of the v1 header: "
        "%r" % lines[0])
T.check(lines[1] == "web 2001:db8::5:5555 2001:db8::1:8443 200 LR-- "
        "www.example.test",
        "log line of the v2 header: %r" % lines[1])
T.check(lines[2] == lines[0] and lines[3] == lines[1],
        "the same lines with the ClientHello in the header's write: %r"
        % lines[2:4])

# The header's source reaches the server, the ACLs and set-src.
st, body = get(p_web, v1("192.0.2.8", 1000), "/", True)
T.check(st == 200 and b"x-forwarded-for=192.0.2.8" in body,
        "X-Forwarded-For carries the header's source: %r %r" % (st, body))
st, _ = get(p_web, v1("203.0.113.9", 1000))
T.check(st == 403, "an ACL on src sees the header's source (deny: %r)" % st)

# ---- TCP mode: use_backend on the header's source ------------------------
for together in (False, True):
    reply = relay(p_tcp, v1("192.0.2.20", 2020), b"ping", together)
    T.check(reply.startswith(b"proxied ") and reply.endswith(b"ping"),
            "TCP: a source in 192.0.2.0/24 goes to its backend: %r" % reply)
    reply = relay(p_tcp, v1("198.18.0.1", 2021), b"pong", together)
    T.check(reply.startswith(b"echo ") and reply.endswith(b"pong"),
            "TCP: another source goes to the default backend: %r" % reply)
lines = tcp_log("tcpfe", 4)
T.check(sum(l.startswith("192.0.2.20:2020 ") and " proxied/e2 " in l
            for l in lines) == 2 and
        sum(l.startswith("198.18.0.1:2021 ") and " echo/e1 " in l
            for l in lines) == 2,
        "TCP log lines carry the header's source: %r" % lines)

# ---- expect-proxy layer4 on a TLS listener --------------------------------
reply = relay(p_exp, v1("192.0.2.30", 3030), b"hi", True)
T.check(reply.startswith(b"echo ") and reply.endswith(b"hi"),
        "expect-proxy layer4 + ssl: relayed after the header: %r" % reply)
T.check(tcp_log("expect")[0].startswith("192.0.2.30:3030 "),
        "expect-proxy: the header's source logged: %r" % tcp_log("expect"))
reply = relay(p_exp, v1("192.0.2.66", 3031), b"no", False)
T.check(not reply.endswith(b"no"), "a content rule on src sees the "
        "header's source (rejected): %r" % reply)
last = tcp_log("expect", 2)[-1]
T.check(last.startswith("192.0.2.66:3031 ") and " PR " in last,
        "... and logs it: %r" % last)

# ---- refusals, at once and before any handshake ---------------------------
bad = [
    b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03",   # TLS without header
    b"PROXY TCP4 1.2.3.4 5.6.7.8 99999 80\r\n",
    SIG + b"\x21\x11\x00\x0b" + b"\x00" * 11,
    b"PROXY TCP4 1.2.3.4",                             # truncated
]
for i, b in enumerate(bad):
    t0 = time.monotonic()
    T.check(T.closed_without_data(("127.0.0.1", p_slow), b),
            "bad header %d: closed without a byte" % i)
    T.check(time.monotonic() - t0 < 0.4, "bad header %d: at once" % i)
# Refused before the handshake: logged as a failed handshake is (the TCP
# line, with the reason), PR.
lines = tcp_log("slow", len(bad))
T.check(len(lines) == len(bad) and
        all(" PR " in l and "PROXY header" in l for l in lines),
        "each refusal logged PR with its reason: %r" % lines)
T.check("truncated PROXY header" in lines[-1],
        "the truncated one says so: %r" % lines[-1:])
st, why = get(p_web, b"PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n", together=True)
T.check(st is None, "a bad header followed by a ClientHello: no handshake "
        "(%r %r)" % (st, why))
T.check(any(" PR " in l and "bare LF" in l for l in tcp_log("web")),
        "... logged PR: %r" % tcp_log("web"))

# ---- timeouts: counted from the accept, header and handshake together ----
s = T.connect(("127.0.0.1", p_slow))
t0 = time.monotonic()
T.check(closed_by_proxy(s, 3.0), "silent client closed")
took = time.monotonic() - t0
s.close()
T.check(0.5 <= took < 1.5, "silent client closed at timeout client (%.2fs)"
        % took)
last = tcp_log("slow", len(bad) + 1)[-1]
T.check(" cR " in last and "waiting for the PROXY header" in last,
        "silent client logged cR: %r" % last)

# The header 400 ms after the accept, then a ClientHello's first bytes
# and nothing more: closed 600 ms after the accept, not 600 ms after the
# header.
s = T.connect(("127.0.0.1", p_slow))
t0 = time.monotonic()
T.check(not closed_by_proxy(s, 0.4), "open 400 ms without a header")
s.sendall(v1("192.0.2.40", 4040) + b"\x16\x03\x01\x00")
T.check(closed_by_proxy(s, 3.0), "stalled handshake closed")
took = time.monotonic() - t0
s.close()
T.check(0.5 <= took < 0.95, "stalled handshake closed at timeout client "
        "from the accept (%.2fs)" % took)
last = tcp_log("slow", len(bad) + 2)[-1]
T.check(last.startswith("192.0.2.40:4040 ") and " cR " in last and
        "during the handshake" in last,
        "stalled handshake logged cR with the header's source: %r" % last)

rc, _ = run.stop()
T.check(rc == 0, "cfgrun stops cleanly")
origin.close()
T.done()
