#!/usr/bin/env python3
"""TLS to servers on real sockets: cfgrun connects over TLS to servers
that Python's ssl module runs with certificates tlscerts.py builds. Each
server records, per connection, what the handshake told it (SNI, resumed
session, client certificate, ALPN, version). Checks: HTTP and TCP mode
to a TLS server; verify required against the right CA (served) and a
wrong one or a wrong name (503, the reason logged); SNI from str(), from
the request's Host and from the client's own SNI; the client certificate
seen by the server; session resumption (the server sees reused sessions)
and no-ssl-reuse (it sees none); ssl-max-ver; a server that stalls the
handshake timed out by `timeout connect`; check-ssl marking DOWN a server
that speaks plain TCP, and checks of an ssl server passing over TLS with
check-sni seen by the server, a check's stalled handshake timed out
(Layer6 timeout); keep-alive over one TLS server connection;
show info's handshake counters; a reload building new contexts."""
import os
import signal
import socket
import ssl
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import httpsrv as H  # noqa: E402
import rtlib as T    # noqa: E402
import tlscerts      # noqa: E402

if not T.have_cfgc():
    T.skip("cfgc not built")

D = T.tmp("pki")
C = tlscerts.make(D)


class TLSServer:
    """A TLS server on 127.0.0.1 (certificate www.example.test, client
    certificates asked for and checked against the test CA). mode "http"
    answers one request per connection ("Connection: close") with what
    the handshake told as its body; "echo" sends back what it reads.
    .conns lists a dict per handshake done, .failed counts failed ones."""

    def __init__(self, mode="http", maxv=None):
        self.mode = mode
        self.conns = []
        self.failed = 0
        self.lock = threading.Lock()
        c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        c.load_cert_chain(C.rsa)
        c.load_verify_locations(C.ca)
        c.verify_mode = ssl.CERT_OPTIONAL
        c.set_alpn_protocols(["h2", "http/1.1"])
        if maxv:
            c.maximum_version = maxv
        c.sni_callback = self._sni
        self.ctx = c
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._loop, daemon=True).start()

    @staticmethod
    def _sni(sock, name, ctx):
        sock.hapc_sni = name

    def _loop(self):
        while True:
            try:
                raw, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(raw,),
                             daemon=True).start()

    def _serve(self, raw):
        raw.settimeout(T.TIMEOUT)
        try:
            s = self.ctx.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError):
            with self.lock:
                self.failed += 1
            raw.close()
            return
        cert = s.getpeercert()
        cn = ""
        for rdn in (cert or {}).get("subject", ()):
            for k, v in rdn:
                if k == "commonName":
                    cn = v
        info = dict(sni=getattr(s, "hapc_sni", None),
                    reused=s.session_reused, cn=cn,
                    alpn=s.selected_alpn_protocol(), version=s.version())
        with self.lock:
            self.conns.append(info)
        try:
            while self.mode == "ka":
                head, _ = H.read_head(s)
                if head is None:
                    break
                info["requests"] = info.get("requests", 0) + 1
                s.sendall(H.ok(b"request %d\n" % info["requests"]))
            if self.mode == "echo":
                while True:
                    d = s.recv(65536)
                    if not d:
                        break
                    s.sendall(d)
            elif self.mode == "http":
                head, _ = H.read_head(s)
                if head is not None:
                    info["host"] = H.headers(head).get("host", [""])[0]
                    body = ("sni=%(sni)s reused=%(reused)s cn=%(cn)s "
                            "alpn=%(alpn)s version=%(version)s\n"
                            % info).encode()
                    s.sendall(H.ok(body, b"Connection: close\r\n"))
        except (ssl.SSLError, OSError):
            pass
        try:
            s.close()
        except OSError:
            pass

    def take(self):
        with self.lock:
            out, self.conns = self.conns, []
            return out


def hold_server():
    """Accepts and never answers: a handshake that stalls."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    held = []

    def loop():
        while True:
            try:
                held.append(s.accept()[0])
            except OSError:
                return
    threading.Thread(target=loop, daemon=True).start()
    return s.getsockname()[1]


def get(port, host="x", path="/", sni=None):
    """One request to cfgrun (TLS to cfgrun when sni is given):
    (status, body)."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=T.TIMEOUT)
    if sni:
        c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        c.check_hostname = False
        c.verify_mode = ssl.CERT_NONE
        raw = c.wrap_socket(raw, server_hostname=sni)
    raw.sendall(b"GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"
                % (path.encode(), host.encode()))
    data = b""
    while True:
        try:
            d = raw.recv(65536)
        except (ssl.SSLError, OSError):
            break
        if not d:
            break
        data += d
    raw.close()
    if not data.startswith(b"HTTP/1."):
        return None, b""
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


origin = TLSServer()
origin12 = TLSServer(maxv=ssl.TLSVersion.TLSv1_2)
echo = TLSServer(mode="echo")
chk = TLSServer(mode="echo")
ka = TLSServer(mode="ka")
plain = T.Server("plain", ("127.0.0.1", T.free_port()), greet=False)
stall = hold_server()
(p_ok, p_host, p_fcsni, p_badca, p_badname, p_noreuse, p_v12, p_tcp,
 p_stall, p_vhsni, p_ka, p_sysca, p_pool) = T.free_ports(13)

CFG = """
global
    log stderr format raw local0
    nbthread 1
    stats socket %(sock)s

defaults
    mode http
    log global
    retries 0
    timeout connect 2s
    timeout client 5s
    timeout server 5s

listen ok
    bind 127.0.0.1:%(ok)d
    server s1 127.0.0.1:%(origin)d ssl ca-file %(ca)s sni str(www.example.test) crt %(client)s alpn h2,http/1.1

listen host
    bind 127.0.0.1:%(host)d
    server s1 127.0.0.1:%(origin)d ssl ca-file %(ca)s sni req.hdr(host)

listen fcsni
    bind 127.0.0.1:%(fcsni)d ssl crt %(rsa)s
    server s1 127.0.0.1:%(origin)d ssl verify none sni ssl_fc_sni

listen badca
    bind 127.0.0.1:%(badca)d
    server wrongca 127.0.0.1:%(origin)d ssl ca-file %(rogue)s sni str(www.example.test)

listen badname
    bind 127.0.0.1:%(badname)d
    server wrongname 127.0.0.1:%(origin)d ssl ca-file %(ca)s verifyhost other.test no-sni-auto

listen vhsni
    bind 127.0.0.1:%(vhsni)d
    server s1 127.0.0.1:%(origin)d ssl ca-file %(ca)s sni str(www.example.test) verifyhost other.test

listen sysca
    bind 127.0.0.1:%(sysca)d
    server s1 127.0.0.1:%(origin)d ssl ca-file @system-ca sni str(www.example.test)

listen ka
    bind 127.0.0.1:%(ka)d
    server s1 127.0.0.1:%(kasrv)d ssl verify none

listen pool
    bind 127.0.0.1:%(pool)d
    http-reuse always
    server s1 127.0.0.1:%(kasrv)d ssl verify none

listen noreuse
    bind 127.0.0.1:%(noreuse)d
    server s1 127.0.0.1:%(origin)d ssl verify none no-ssl-reuse

listen v12
    bind 127.0.0.1:%(v12)d
    server s1 127.0.0.1:%(origin12)d ssl verify none ssl-max-ver TLSv1.2

frontend tcpfe
    mode tcp
    bind 127.0.0.1:%(tcp)d
    default_backend tcpbe
backend tcpbe
    mode tcp
    server e1 127.0.0.1:%(echo)d ssl verify none sni str(tcp.test)

listen stall
    bind 127.0.0.1:%(stall)d
    timeout connect 500ms
    server slow 127.0.0.1:%(stallsrv)d ssl verify none

backend checks
    mode tcp
    server plain 127.0.0.1:%(plain)d check check-ssl verify none inter 200ms fall 1 rise 1
    server tls 127.0.0.1:%(chk)d ssl verify none check check-sni chk.test inter 200ms fall 1 rise 1
    server hold 127.0.0.1:%(stallsrv)d check check-ssl verify none inter 300ms fall 1 rise 1

backend rule_plain
    mode tcp
    option tcp-check
    tcp-check connect
    tcp-check send ping
    tcp-check expect string ping
    server plainrule 127.0.0.1:%(plain)d check check-ssl verify none inter 200ms fall 1 rise 1

backend rule_default
    mode tcp
    option tcp-check
    tcp-check connect default
    tcp-check send ping
    tcp-check expect string ping
    server tlsrule 127.0.0.1:%(chk)d check check-ssl verify none check-sni rule.test inter 200ms fall 1 rise 1
""" % dict(ok=p_ok, host=p_host, fcsni=p_fcsni, badca=p_badca,
           badname=p_badname, noreuse=p_noreuse, v12=p_v12, tcp=p_tcp,
           stall=p_stall, vhsni=p_vhsni, ka=p_ka, kasrv=ka.port,
           sysca=p_sysca, pool=p_pool,
           origin=origin.port, origin12=origin12.port,
           echo=echo.port, chk=chk.port, plain=plain.sock.getsockname()[1],
           stallsrv=stall, ca=C.ca, client=C.client_pem, rsa=C.rsa,
           rogue=os.path.join(D, "rogue.crt"), sock=T.tmp("stats.sock"))

plan = T.compile_cfg(CFG, "tls_srv.cfg")
# @system-ca reads $SSL_CERT_FILE at start: the test CA stands for it.
run = T.Cfgrun(plan, env={"SSL_CERT_FILE": C.ca})


def fields(body):
    return dict(kv.split("=", 1) for kv in body.decode().split())


def tls_info():
    """show info's handshake counters: (full, resumed, failed)."""
    info = dict(l.split(": ", 1) for l in
                T.stats_cmd(T.tmp("stats.sock"), "show info").splitlines()
                if ": " in l)
    return tuple(int(info["SslBackend%sHandshakes" % k])
                 for k in ("Full", "Resumed", "Failed"))


# ---- HTTP to a TLS server: verify, SNI, client certificate, ALPN ---------
origin.take()
st, body = get(p_ok)
f = fields(body) if st == 200 else {}
T.check(st == 200, "HTTP over TLS to the server, verified against the CA "
        "(%r %r)" % (st, body))
T.check(f.get("sni") == "www.example.test", "sni str() seen by the server: "
        "%r" % f.get("sni"))
T.check(f.get("cn") == "alice", "the client certificate seen by the "
        "server: %r" % f.get("cn"))
T.check(f.get("alpn") == "http/1.1", "an HTTP backend offers http/1.1 "
        "only out of alpn h2,http/1.1: %r" % f.get("alpn"))
T.check(f.get("version") == "TLSv1.3", "TLS 1.3 by default: %r"
        % f.get("version"))

st, body = get(p_sysca)
T.check(st == 200, "ca-file @system-ca: the bundle read at start "
        "($SSL_CERT_FILE) verifies the server (%r %r)" % (st, body))

# ---- session resumption --------------------------------------------------
N = 20
origin.take()
before = tls_info()
codes = [get(p_ok)[0] for _ in range(N)]
conns = origin.take()
reused = sum(1 for c in conns if c["reused"])
after = tls_info()
T.log("resumption: %d of %d connections to the server resumed; show info "
      "%r -> %r" % (reused, len(conns), before, after))
T.check(after[0] - before[0] == N - reused and
        after[1] - before[1] == reused and after[2] == before[2],
        "show info counts them: full %d, resumed %d (%r -> %r)"
        % (N - reused, reused, before, after))
T.check(codes == [200] * N and len(conns) == N,
        "%d requests, %d server connections (%r)" % (N, len(conns), codes))
T.check(reused == N, "every connection after the first resumes the "
        "server's session (TLS 1.3 ticket): %d/%d" % (reused, N))
codes = [get(p_noreuse)[0] for _ in range(5)]
conns = origin.take()
T.check(codes == [200] * 5 and len(conns) == 5 and
        not any(c["reused"] for c in conns),
        "no-ssl-reuse: no connection resumed (%r)" % conns)
origin12.take()
codes = [get(p_v12)[0] for _ in range(5)]
conns = origin12.take()
T.check(codes == [200] * 5 and all(c["version"] == "TLSv1.2" for c in conns),
        "ssl-max-ver TLSv1.2 to a TLS 1.2 server: %r" % conns)
T.check(sum(1 for c in conns if c["reused"]) == 4,
        "TLS 1.2: sessions resumed after the first: %r"
        % [c["reused"] for c in conns])

# ---- SNI from the request and from the client ----------------------------
st, body = get(p_host, host="www.example.test")
T.check(st == 200 and fields(body).get("sni") == "www.example.test",
        "sni req.hdr(host): the Host header sent as SNI and verified (%r %r)"
        % (st, body))
st, body = get(p_host, host="www.example.test")
T.check(st == 200 and fields(body).get("reused") == "True",
        "the same Host again resumes the session (%r)" % body)
st, body = get(p_host, host="example.test")
T.check(st == 200 and fields(body) == dict(
    sni="example.test", reused="False", cn="", alpn="None",
    version="TLSv1.3"), "sni req.hdr(host) follows each request, and a "
    "session made for another name is not offered (%r)" % body)
st, body = get(p_host, host="nobody.test")
T.check(st == 503, "verify required: a Host the certificate does not name "
        "is refused, though sessions for other names exist (%r)" % st)
st, body = get(p_fcsni, sni="fc.example.test")
T.check(st == 200 and fields(body).get("sni") == "fc.example.test",
        "sni ssl_fc_sni: the client's SNI passed on (%r %r)" % (st, body))

# ---- verification failures -----------------------------------------------
origin.take()
failed0 = origin.failed
st, _ = get(p_badca)
T.check(st == 503, "verify required against the wrong CA: 503 (%r)" % st)
st, _ = get(p_badname)
T.check(st == 503, "verify required, verifyhost naming another host: 503 "
        "(%r)" % st)
T.check(not origin.take(), "no request reached the server")
T.check(tls_info()[2] >= 2, "show info counts failed handshakes: %r"
        % (tls_info(),))
T.wait_until(lambda: origin.failed >= failed0 + 2)
T.check(origin.failed >= failed0 + 2, "the server saw the handshakes "
        "aborted")
st, _ = get(p_vhsni)
T.check(st == 200, "with an SNI sent, the name checked is the SNI, not "
        "verifyhost (as HAProxy): %r" % st)
lines = run.log_lines()
T.check(any("wrongca" in l and "503" in l and "SC" in l and
            "CERTIFICATE_VERIFY_FAILED" in l.upper() for l in lines),
        "the failure is logged with its reason: %s"
        % [l for l in lines if "wrongca" in l])
T.check(any("wrongname" in l and "503" in l for l in lines),
        "the name mismatch is logged: %s"
        % [l for l in lines if "wrongname" in l])

# ---- keep-alive over a TLS server connection ----------------------------
s = socket.create_connection(("127.0.0.1", p_ka), timeout=T.TIMEOUT)
answers = []
for _ in range(3):
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    head, rest = H.read_head(s)
    body, _ = H.read_body(s, head, rest) if head else (b"", b"")
    answers.append(body)
s.close()
conns = ka.take()
T.check(answers == [b"request 1\n", b"request 2\n", b"request 3\n"] and
        len(conns) == 1 and conns[0].get("requests") == 3,
        "three requests of a keep-alive client over one TLS server "
        "connection: %r %r" % (answers, conns))

# idle server connections shared by clients (http-reuse always), by SNI
# (one thread: idle connections are kept per thread)
def one(port, host):
    s = socket.create_connection(("127.0.0.1", port), timeout=T.TIMEOUT)
    s.sendall(b"GET / HTTP/1.1\r\nHost: %s\r\n\r\n" % host.encode())
    head, rest = H.read_head(s)
    body, _ = H.read_body(s, head, rest) if head else (b"", b"")
    s.close()
    # its server connection is idle once cfgrun saw the client go
    T.wait_until(lambda: T.stat_rows(T.tmp("stats.sock"))
                 [("pool", "FRONTEND")]["scur"] == "0")
    return body


ka.take()
bodies = [one(p_pool, "a.test"), one(p_pool, "a.test"), one(p_pool, "b.test"),
          one(p_pool, "a.test")]
conns = ka.take()
T.check(bodies == [b"request 1\n", b"request 2\n", b"request 1\n",
                   b"request 3\n"] and
        [(c["sni"], c.get("requests")) for c in conns] ==
        [("a.test", 3), ("b.test", 1)],
        "http-reuse always: clients share the idle TLS connection made "
        "for their SNI (sni-auto), another Host gets its own: %r %r"
        % (bodies, conns))

# ---- TCP mode ------------------------------------------------------------
echo.take()
s = socket.create_connection(("127.0.0.1", p_tcp), timeout=T.TIMEOUT)
s.sendall(b"ping over tls to the server")
got = b""
deadline = time.monotonic() + T.TIMEOUT
while len(got) < 27 and time.monotonic() < deadline:
    d = s.recv(100)
    if not d:
        break
    got += d
s.close()
T.check(got == b"ping over tls to the server", "TCP mode: bytes relayed "
        "over TLS to the server (%r)" % got)
conns = echo.take()
T.check(len(conns) == 1 and conns[0]["sni"] == "tcp.test",
        "TCP mode: SNI str() seen by the server: %r" % conns)

# ---- a server stalling the handshake -------------------------------------
t0 = time.monotonic()
st, _ = get(p_stall)
took = time.monotonic() - t0
T.check(st == 503, "stalled handshake: 503 (%r)" % st)
T.check(0.4 <= took < 2.0, "ended by timeout connect 500ms (%.2fs)" % took)
T.wait_until(lambda: any("slow" in l and "sC" in l for l in run.log_lines()))
T.check(any("slow" in l and "sC" in l for l in run.log_lines()),
        "logged as a connect timeout: %s"
        % [l for l in run.log_lines() if "slow" in l])

# ---- health checks over TLS ----------------------------------------------
run.wait_for(r"Server checks/plain is DOWN, reason: Layer6 invalid response")
run.wait_for(r"Server checks/hold is DOWN, reason: Layer6 timeout")
T.wait_until(lambda: any(c["sni"] == "chk.test" for c in chk.conns))
T.check(any(c["sni"] == "chk.test" for c in chk.conns),
        "checks of an ssl server go over TLS with check-sni: %r"
        % chk.conns[:2])
T.wait_until(lambda: len(chk.conns) >= 4)  # several checks over TLS
T.check("checks/tls is DOWN" not in run.stderr(),
        "the TLS server passes its checks:\n%s" % run.stderr()[-800:])
T.wait_until(lambda: sum(1 for c in chk.conns if c["sni"] == "rule.test")
             >= 2)
rows = T.stat_rows(T.tmp("stats.sock"))
status = {k: rows[k]["check_status"] for k in
          (("checks", "plain"), ("checks", "tls"), ("checks", "hold"),
           ("rule_plain", "plainrule"), ("rule_default", "tlsrule"))}
T.check(status == {("checks", "plain"): "L6RSP", ("checks", "tls"): "L6OK",
                   ("checks", "hold"): "L6TOUT",
                   ("rule_plain", "plainrule"): "L7OK",
                   ("rule_default", "tlsrule"): "L7OK"},
        "check statuses: TLS refused L6RSP, passed L6OK, stalled L6TOUT; "
        "a `tcp-check connect` without `default` is plain despite "
        "check-ssl, with `default` it goes over TLS (check-sni seen): %r"
        % status)

# ---- reload: new contexts, sessions start again ---------------------------
run.proc.send_signal(signal.SIGHUP)
run.wait_for(r"reloaded plan [0-9a-f]+ \(generation 2")
origin.take()
codes = [get(p_ok)[0] for _ in range(3)]
conns = origin.take()
T.check(codes == [200] * 3 and [c["reused"] for c in conns] ==
        [False, True, True], "after a reload: served, a full handshake "
        "then resumption in the new generation (%r %r)" % (codes, conns))

rc, _ = run.stop()
T.check(rc == 0, "cfgrun stops cleanly")
T.done()
