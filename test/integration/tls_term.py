#!/usr/bin/env python3
"""TLS termination on real sockets: cfgc compiles `bind ... ssl` lines with
certificates tlscerts.py builds, cfgrun terminates TLS in front of an HTTP
origin, and Python's ssl module is the client. Checks: certificate choice
by SNI (exact, wildcard, default without SNI or for an unknown name),
strict-sni, ALPN (http/1.1 chosen out of h2,http/1.1; nothing for h2
alone), protocol versions, ECDSA or RSA by what the client offers, mutual
TLS required and optional with the client's DN passed to the server,
session resumption, a stalled handshake closed on the client timeout,
the same over a TCP-mode frontend, and curl as a verifying client (with
and without a client certificate)."""
import os
import re
import socket
import ssl
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import httpsrv as H  # noqa: E402
import rtlib as T    # noqa: E402
import tlscerts      # noqa: E402

if not T.have_cfgc():
    T.skip("cfgc not built")

D = T.tmp("pki")
C = tlscerts.make(D)


def leaf_der(name):
    return tlscerts.leaf_der(D, name)


ctx = tlscerts.client_ctx


def tls_connect(port, sni=None, c=None, session=None):
    """A TLS connection to the proxy, handshake done; raises on failure."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=T.TIMEOUT)
    s = (c or ctx()).wrap_socket(raw, server_hostname=sni, session=session)
    return s


def get(s, path="/"):
    """One request on TLS socket s: (status, headers, body) of the echo."""
    try:
        s.sendall(b"GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                  % path.encode())
    except (ssl.SSLError, OSError):
        return None, {}, b""
    data = b""
    while True:
        try:
            d = s.recv(65536)
        except (ssl.SSLError, OSError):
            break
        if not d:
            break
        data += d
    if not data.startswith(b"HTTP/1."):
        return None, {}, b""
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), H.headers(head + b"\r\n\r\n"), body


def handshake_fails(port, sni=None, c=None):
    try:
        s = tls_connect(port, sni, c)
    except (ssl.SSLError, OSError):
        return True
    # TLS 1.3: a refused client certificate shows at the first read.
    st, _, _ = get(s)
    s.close()
    return st is None


def body_map(body):
    return dict(l.split("=", 1) for l in body.decode().splitlines() if l)


origin_port, p_main, p_strict, p_mtls, p_opt, p_v12, p_slow, p_tcp, \
    p_noalpn = T.free_ports(9)
origin = H.Origin(("127.0.0.1", origin_port), H.echo_x_headers)
echo = T.Server("echo", ("127.0.0.1", T.free_port()), greet=False)

CFG = """
global
    log stderr format raw local0

defaults
    mode http
    timeout connect 2s
    timeout client 5s
    timeout server 5s

frontend main
    bind 127.0.0.1:%(main)d ssl crt %(rsa)s crt %(ecdsa)s crt %(other)s crt %(wild)s alpn h2,http/1.1
    http-request set-header X-SNI %%[ssl_fc_sni]
    http-request set-header X-Proto %%[ssl_fc_protocol]
    http-request set-header X-ALPN %%[ssl_fc_alpn]
    http-request set-header X-Cipher %%[ssl_fc_cipher]
    default_backend origin

frontend strict
    bind 127.0.0.1:%(strict)d ssl strict-sni crt %(other)s
    default_backend origin

frontend noalpn
    bind 127.0.0.1:%(noalpn)d ssl crt %(rsa)s alpn h2,http/1.1 no-alpn
    default_backend origin

frontend mtls
    bind 127.0.0.1:%(mtls)d ssl crt %(rsa)s ca-file %(ca)s verify required
    http-request set-header X-SSL-Client-DN %%[ssl_c_s_dn]
    http-request set-header X-SSL-Client-CN %%[ssl_c_s_dn(CN)]
    http-request set-header X-SSL-Issuer %%[ssl_c_i_dn]
    http-request set-header X-SSL-Serial %%[ssl_c_serial]
    http-request set-header X-SSL-Verify %%[ssl_c_verify]
    default_backend origin

frontend optional
    bind 127.0.0.1:%(opt)d ssl crt %(rsa)s ca-file %(ca)s verify optional
    acl has_cert ssl_c_used
    http-request set-header X-Has-Cert yes if has_cert
    http-request set-header X-Has-Cert no unless has_cert
    default_backend origin

frontend v12
    bind 127.0.0.1:%(v12)d ssl crt %(rsa)s ssl-min-ver TLSv1.2 ssl-max-ver TLSv1.2
    log global
    log-format "tlslog %%sslv %%sslc %%ST"
    http-request set-header X-Proto %%[ssl_fc_protocol]
    default_backend origin

frontend slow
    timeout client 400ms
    log global
    bind 127.0.0.1:%(slow)d ssl crt %(rsa)s
    default_backend origin

frontend tcpfe
    mode tcp
    bind 127.0.0.1:%(tcp)d ssl crt %(rsa)s
    default_backend echo

backend origin
    server o1 127.0.0.1:%(origin)d

backend echo
    mode tcp
    server e1 127.0.0.1:%(echo)d
""" % dict(main=p_main, strict=p_strict, mtls=p_mtls, opt=p_opt, v12=p_v12, noalpn=p_noalpn,
           slow=p_slow, tcp=p_tcp, origin=origin_port, echo=echo.sock.getsockname()[1],
           rsa=C.rsa, ecdsa=C.ecdsa, other=C.other, wild=C.wild, ca=C.ca)

plan = T.compile_cfg(CFG, "tls.cfg")
T.check(oct(os.stat(plan).st_mode & 0o777) == oct(0o600),
        "a plan holding private keys is written 0600 (%o)"
        % (os.stat(plan).st_mode & 0o777))
run = T.Cfgrun(plan)

# ---- certificate choice ---------------------------------------------------
RSA, ECDSA, OTHER, WILD = (leaf_der(n) for n in ("rsa", "ecdsa", "other",
                                                 "wild"))
rsa_only = dict(maxv=ssl.TLSVersion.TLSv1_2,
                ciphers="ECDHE-RSA-AES128-GCM-SHA256")


def served(port, sni, **kw):
    s = tls_connect(port, sni, ctx(**kw))
    der = s.getpeercert(binary_form=True)
    s.close()
    return der


T.check(served(p_main, "www.example.test") == ECDSA,
        "www.example.test, client offering ECDSA: the ECDSA certificate")
T.check(served(p_main, "www.example.test", **rsa_only) == RSA,
        "www.example.test, client with RSA suites only: the RSA certificate")
T.check(served(p_main, "other.test") == OTHER, "other.test: its certificate")
T.check(served(p_main, "EXAMPLE.test", **rsa_only) == RSA,
        "names match ignoring case (a SAN of the RSA certificate)")
T.check(served(p_main, "a.wild.test") == WILD, "a.wild.test: the wildcard")
T.check(served(p_main, "a.b.wild.test", **rsa_only) == RSA,
        "a wildcard covers one label only: a.b.wild.test gets the default")
T.check(served(p_main, None, **rsa_only) == RSA,
        "no SNI: the first certificate (default)")
T.check(served(p_main, "unknown.test", **rsa_only) == RSA,
        "unknown name: the first certificate (default)")

# strict-sni
T.check(served(p_strict, "other.test") == OTHER,
        "strict-sni: a known name is served")
T.check(handshake_fails(p_strict, "unknown.test"),
        "strict-sni: an unknown name is refused")
T.check(handshake_fails(p_strict, None), "strict-sni: no SNI is refused")

# ---- the request over TLS, ALPN, versions --------------------------------
s = tls_connect(p_main, "www.example.test", ctx(alpn=["h2", "http/1.1"]))
T.check(s.selected_alpn_protocol() == "http/1.1",
        "ALPN h2,http/1.1 offered: http/1.1 chosen (cfgrun speaks HTTP/1.1), "
        "got %r" % s.selected_alpn_protocol())
st, _, body = get(s)
s.close()
m = body_map(body)
T.check(st == 200, "request over TLS answered (%r)" % st)
T.check(m.get("x-sni") == "www.example.test", "ssl_fc_sni %r" % m.get("x-sni"))
T.check(m.get("x-proto") == "TLSv1.3", "ssl_fc_protocol %r" % m.get("x-proto"))
T.check(m.get("x-alpn") == "http/1.1", "ssl_fc_alpn %r" % m.get("x-alpn"))
T.check(m.get("x-cipher", "").startswith("TLS_"), "ssl_fc_cipher %r"
        % m.get("x-cipher"))

s = tls_connect(p_main, "www.example.test", ctx(alpn=["h2"]))
T.check(s.selected_alpn_protocol() is None,
        "ALPN h2 only: no protocol chosen (%r)" % s.selected_alpn_protocol())
s.close()
s = tls_connect(p_noalpn, "www.example.test", ctx(alpn=["http/1.1"]))
T.check(s.selected_alpn_protocol() is None and get(s)[0] == 200,
        "no-alpn after alpn: no protocol offered, the request served (%r)"
        % s.selected_alpn_protocol())
s.close()

T.check(handshake_fails(p_v12, None, ctx(minv=ssl.TLSVersion.TLSv1_3)),
        "ssl-max-ver TLSv1.2: a TLS 1.3-only client is refused")
s = tls_connect(p_v12, None)
st, _, body = get(s)
T.check(st == 200 and body_map(body).get("x-proto") == "TLSv1.2",
        "ssl-max-ver TLSv1.2: TLS 1.2 negotiated (%r)" % body)
T.wait_until(lambda: any("tlslog" in l for l in run.log_lines()))
T.check(any(re.match(r"tlslog TLSv1\.2 ECDHE-[A-Z0-9-]+ 200$", l)
            for l in run.log_lines()),
        "log-format %%sslv %%sslc: %s" % [l for l in run.log_lines()
                                          if "tlslog" in l])

# ---- mutual TLS -----------------------------------------------------------
T.check(handshake_fails(p_mtls, None), "verify required: no certificate, "
        "no request")
T.check(handshake_fails(p_mtls, None, ctx(cert=C.rogue_client)),
        "verify required: a certificate from another CA is refused")
s = tls_connect(p_mtls, None, ctx(cert=C.client_pem))
st, _, body = get(s)
m = body_map(body)
T.check(st == 200, "verify required: the CA's client is served (%r)" % st)
T.check(m.get("x-ssl-client-dn") == "/O=Example/CN=alice",
        "client DN passed to the server: %r" % m.get("x-ssl-client-dn"))
T.check(m.get("x-ssl-client-cn") == "alice", "ssl_c_s_dn(CN) %r"
        % m.get("x-ssl-client-cn"))
T.check(m.get("x-ssl-issuer") == "/O=hapc tests/CN=hapc test root",
        "ssl_c_i_dn %r" % m.get("x-ssl-issuer"))
T.check(m.get("x-ssl-serial") == "1001", "ssl_c_serial %r"
        % m.get("x-ssl-serial"))
T.check(m.get("x-ssl-verify") == "0", "ssl_c_verify %r"
        % m.get("x-ssl-verify"))

# The same with curl as the client: it verifies our chain against the CA
# for the name it asked (SNI), and presents alice's certificate.
curl = ["curl", "-sS", "--max-time", "10", "--cacert", C.ca, "-o", "-",
        "-w", "\n%{http_code} %{ssl_verify_result}"]
r = subprocess.run(curl + ["--resolve", "www.example.test:%d:127.0.0.1" % p_main,
                           "https://www.example.test:%d/c" % p_main],
                   capture_output=True, text=True, timeout=30)
T.check(r.returncode == 0 and r.stdout.endswith("\n200 0") and
        "x-sni=www.example.test" in r.stdout.lower(),
        "curl verifies the chain for www.example.test and is served (%r %r)"
        % (r.stdout[-200:], r.stderr))
r = subprocess.run(curl + ["--cert", C.client_pem, "--resolve",
                           "www.example.test:%d:127.0.0.1" % p_mtls,
                           "https://www.example.test:%d/m" % p_mtls],
                   capture_output=True, text=True, timeout=30)
T.check(r.returncode == 0 and r.stdout.endswith("\n200 0") and
        "/o=example/cn=alice" in r.stdout.lower(),
        "curl with a client certificate through verify required (%r %r)"
        % (r.stdout[-200:], r.stderr))

s = tls_connect(p_opt, None)
st, _, body = get(s)
T.check(st == 200 and body_map(body).get("x-has-cert") == "no",
        "verify optional without a certificate: served, ssl_c_used false")
s = tls_connect(p_opt, None, ctx(cert=C.client_pem))
st, _, body = get(s)
T.check(st == 200 and body_map(body).get("x-has-cert") == "yes",
        "verify optional with a certificate: ssl_c_used true")

# ---- session resumption (TLS 1.2 cache and TLS 1.3 tickets) --------------
for label, kw in (("TLS 1.2", dict(maxv=ssl.TLSVersion.TLSv1_2)),
                  ("TLS 1.3", {})):
    c = ctx(**kw)
    s = tls_connect(p_main, "www.example.test", c)
    get(s)              # TLS 1.3: the ticket arrives after the handshake
    sess = s.session
    s.close()
    s = tls_connect(p_main, "www.example.test", c, session=sess)
    T.check(s.session_reused, "%s: the session is resumed" % label)
    s.close()

# ---- TCP mode -------------------------------------------------------------
s = tls_connect(p_tcp, "www.example.test")
s.sendall(b"ping over tls")
got = b""
deadline = time.monotonic() + T.TIMEOUT
while len(got) < 13 and time.monotonic() < deadline:
    got += s.recv(100)
T.check(got == b"ping over tls", "TCP mode: bytes relayed after TLS (%r)"
        % got)
s.close()

# ---- a stalled handshake --------------------------------------------------
raw = socket.create_connection(("127.0.0.1", p_slow), timeout=T.TIMEOUT)
t0 = time.monotonic()
raw.sendall(b"\x16\x03\x01\x00")          # a record header, then nothing
T.check(H.closed(raw, timeout=3.0), "stalled handshake: connection closed")
took = time.monotonic() - t0
T.check(0.3 <= took < 2.5, "closed after the client timeout (%.2fs)" % took)
raw.close()
lines = run.wait_logs(1)
T.check(any("cR" in l and "handshake" in l for l in run.log_lines()),
        "the stall is logged with cR: %s" % run.log_lines()[-3:])

rc, _ = run.stop()
T.check(rc == 0, "cfgrun stops cleanly")
origin.close()
T.done()
