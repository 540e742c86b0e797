#!/usr/bin/env python3
"""crt-list per-line options on real sockets: a bind whose crt-list gives one
line `[alpn http/1.1 ssl-min-ver TLSv1.3]`, one `[verify required ca-file
CA]`, one `[no-alpn ssl-max-ver TLSv1.2 ciphers ...]`, a plain one, and one
`[verify required ca-file CA crl-file CRL]` for the second line's
certificate. Python's ssl module, by SNI, checks that the first refuses TLS
1.2 and chooses http/1.1; the second requires a client certificate of the
CA; the third negotiates TLS 1.2 with its cipher and no ALPN, and refuses a
client without its group; the plain line keeps the bind's settings (TLS 1.2
taken, the bind's ALPN, no client certificate asked); the fifth refuses the
client its CRL revokes, whom the second still serves. A session of the
plain line does not resume on the verify line, whose own sessions do. The
dump names the list and compiles back to the same plan text."""
import os
import socket
import ssl
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import httpsrv as H  # noqa: E402
import rtlib as T    # noqa: E402
import tlscerts      # noqa: E402

if not T.have_cfgc():
    T.skip("cfgc not built")

D = T.tmp("pki")
C = tlscerts.make(D)


def ctx(**kw):
    return tlscerts.client_ctx(alpn=["http/1.1", "http/1.0"], **kw)


def request(port, sni, c=None):
    """(certificate DER, ALPN, status, body map) of one request; status
    None when the handshake or the request failed."""
    try:
        raw = socket.create_connection(("127.0.0.1", port),
                                       timeout=T.TIMEOUT)
        s = (c or ctx()).wrap_socket(raw, server_hostname=sni)
    except (ssl.SSLError, OSError):
        return None, None, None, {}
    der, alpn = s.getpeercert(binary_form=True), s.selected_alpn_protocol()
    data = b""
    try:
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        while len(data) < 1 << 20:
            d = s.recv(65536)
            if not d:
                break
            data += d
    except (ssl.SSLError, OSError):
        pass        # TLS 1.3: a refused client certificate shows here
    s.close()
    if not data.startswith(b"HTTP/1."):
        return der, alpn, None, {}
    head, _, body = data.partition(b"\r\n\r\n")
    m = dict(l.split("=", 1) for l in body.decode().splitlines() if "=" in l)
    return der, alpn, int(head.split(b" ", 2)[1]), m


origin_port, port = T.free_ports(2)
origin = H.Origin(("127.0.0.1", origin_port), H.echo_x_headers)
crl = tlscerts.revoke(D, C.client, T.tmp("alice.crl"))
crtlist = T.tmp("certs.list")
with open(crtlist, "w") as f:
    f.write("# per-line settings\n"
            "%s [alpn http/1.1 ssl-min-ver TLSv1.3] www.example.test\n"
            "%s [verify required ca-file %s] other.test\n"
            "%s [ no-alpn ssl-max-ver TLSv1.2 ciphers "
            "ECDHE-RSA-AES256-GCM-SHA384 ecdhe P-256 ] chained.test\n"
            "%s *.wild.test\n"
            "%s [verify required ca-file %s crl-file %s] crl.test\n"
            % (C.rsa, C.other, C.ca, C.chained, C.wild, C.other, C.ca, crl))

CFG = """
defaults
    mode http
    timeout connect 2s
    timeout client 5s
    timeout server 5s

frontend main
    bind 127.0.0.1:%(port)d ssl crt-list %(list)s alpn http/1.0
    http-request set-header X-Proto %%[ssl_fc_protocol]
    http-request set-header X-Cipher %%[ssl_fc_cipher]
    http-request set-header X-Client-CN %%[ssl_c_s_dn(CN)]
    default_backend origin

backend origin
    server o1 127.0.0.1:%(origin)d
""" % dict(port=port, list=crtlist, origin=origin_port)

plan = T.compile_cfg(CFG, "crtlist.cfg")
run = T.Cfgrun(plan)
RSA, OTHER, CHAINED, WILD = (tlscerts.leaf_der(D, n) for n in
                             ("rsa", "other", "chained", "wild"))
V12, V13 = ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3

# line 1: [alpn http/1.1 ssl-min-ver TLSv1.3]
der, alpn, st, m = request(port, "www.example.test", ctx(maxv=V12))
T.check(st is None, "line 1 (ssl-min-ver TLSv1.3): a TLS 1.2 client is "
        "refused (%r)" % st)
der, alpn, st, m = request(port, "www.example.test")
T.check(der == RSA and st == 200 and m.get("x-proto") == "TLSv1.3",
        "line 1: its certificate over TLS 1.3 (%r %r)" % (st, m))
T.check(alpn == "http/1.1", "line 1: its ALPN http/1.1 chosen, not the "
        "bind's http/1.0 (%r)" % alpn)

# line 2: [verify required ca-file CA]
der, alpn, st, m = request(port, "other.test")
T.check(st is None, "line 2 (verify required): no client certificate, no "
        "request (%r)" % st)
der, alpn, st, m = request(port, "other.test", ctx(cert=C.rogue_client))
T.check(st is None, "line 2: a client certificate of another CA is "
        "refused (%r)" % st)
der, alpn, st, m = request(port, "other.test", ctx(cert=C.client_pem))
T.check(der == OTHER and st == 200 and m.get("x-client-cn") == "alice",
        "line 2: the CA's client is served, its certificate checked "
        "(%r %r)" % (st, m))
T.check(alpn == "http/1.0", "line 2: the bind's ALPN (%r)" % alpn)

# line 3: [no-alpn ssl-max-ver TLSv1.2 ciphers ECDHE-RSA-AES256-GCM-SHA384]
der, alpn, st, m = request(port, "chained.test")
T.check(der == CHAINED and st == 200 and m.get("x-proto") == "TLSv1.2" and
        m.get("x-cipher") == "ECDHE-RSA-AES256-GCM-SHA384",
        "line 3: TLS 1.2 with its cipher for a client that offers 1.3 "
        "(%r %r)" % (st, m))
T.check(alpn is None, "line 3: no-alpn, no protocol chosen (%r)" % alpn)
p384 = ctx()
p384.set_ecdh_curve("secp384r1")
T.check(request(port, "chained.test", p384)[2] is None,
        "line 3 (ecdhe P-256): a client offering P-384 only is refused")
T.check(request(port, "a.wild.test", p384)[2] == 200,
        "plain line: the same client is served (the bind's groups)")

# line 4: plain, the bind's settings
der, alpn, st, m = request(port, "a.wild.test", ctx(maxv=V12))
T.check(der == WILD and st == 200 and m.get("x-proto") == "TLSv1.2",
        "plain line: TLS 1.2 taken, as the bind does (%r %r)" % (st, m))
T.check(alpn == "http/1.0", "plain line: the bind's ALPN (%r)" % alpn)
T.check(m.get("x-client-cn", "") == "", "plain line: no client certificate "
        "asked (%r)" % m.get("x-client-cn"))
der, alpn, st, m = request(port, "a.wild.test", ctx(minv=V13))
T.check(st == 200 and m.get("x-proto") == "TLSv1.3",
        "plain line: TLS 1.3 as well (%r)" % m.get("x-proto"))

# line 5: the same certificate as line 2, with a CRL revoking alice
der, alpn, st, m = request(port, "crl.test", ctx(cert=C.client_pem))
T.check(der == OTHER and st is None, "line 5 (crl-file): alice's revoked "
        "certificate is refused (%r %r)" % (st, m))
der, alpn, st, m = request(port, "other.test", ctx(cert=C.client_pem))
T.check(st == 200, "line 2 (no crl-file): alice is still served (%r)" % st)

# A session of the plain line does not open line 2 without a certificate
# (each line with settings has its own session context).
def session(c, sni, sess=None):
    """(session, resumed) of a handshake with client context c for sni,
    offering sess; (None, False) when the handshake fails."""
    try:
        raw = socket.create_connection(("127.0.0.1", port),
                                       timeout=T.TIMEOUT)
        s = c.wrap_socket(raw, server_hostname=sni, session=sess)
        # TLS 1.3: the ticket comes after the handshake, with the answer
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close"
                  b"\r\n\r\n")
        for _ in range(256):
            if not s.recv(65536):
                break
    except (ssl.SSLError, OSError):
        return None, False
    out = s.session, s.session_reused
    s.close()
    return out


c12 = ctx(maxv=V12)
sess, _ = session(c12, "a.wild.test")
T.check(session(c12, "a.wild.test", sess)[1],
        "plain line: its session resumes")
T.check(not session(c12, "other.test", sess)[1], "line 2: the plain "
        "line's session is not resumed there (its verify would be skipped)")
c13 = ctx(minv=V13)
sess, _ = session(c13, "a.wild.test")
T.check(session(c13, "a.wild.test", sess)[1],
        "plain line: its TLS 1.3 ticket resumes")
T.check(not session(c13, "other.test", sess)[1], "line 2: nor is the "
        "plain line's TLS 1.3 ticket")
cc = ctx(maxv=V12, cert=C.client_pem)
sess, _ = session(cc, "other.test")
T.check(sess is not None and session(cc, "other.test", sess)[1],
        "line 2: its own session resumes")

# --dump names the list; its options come back from it.
dump = subprocess.run([T.CFGC, "--dump", plan], capture_output=True,
                      text=True).stdout
T.check(" crt-list %s" % crtlist in dump, "--dump names the crt-list: %s"
        % [l for l in dump.splitlines() if "bind" in l])
plan2 = T.compile_cfg(dump, "crtlist-dump.cfg")
dump2 = subprocess.run([T.CFGC, "--dump", plan2], capture_output=True,
                       text=True).stdout
T.check(dump2 == dump, "the dump compiles back to the same plan text")
T.done()
