#!/usr/bin/python3
"""TCP rules and content inspection with the real binaries on loopback:
SNI passthrough (two TLS servers with their own certificates; the client
verifies the one it gets, so TLS really is end to end), a ClientHello
sent in two pieces, a non-TLS first byte rejected at once, content rules
waiting for bytes (req.len) and routing on req.payload, HTTP detection,
a silent client routed to the default backend when inspect-delay ends,
tcp-request session reject, tcp-response content reject on the server's
first bytes. Certificates are throwaway ones made with the openssl CLI."""
import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

if not shutil.which("openssl"):
    T.skip("no openssl CLI to make test certificates")


def make_cert(name):
    key, crt = T.tmp(name + ".key"), T.tmp(name + ".crt")
    r = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj",
         "/CN=" + name, "-addext", "subjectAltName=DNS:" + name,
         "-keyout", key, "-out", crt],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)
    if r.returncode:
        T.fail("openssl req: %s" % r.stderr.decode(errors="replace"))
    return key, crt


class TlsServer:
    """A TLS server in a thread: after the handshake it writes its name
    and a newline, then echoes. `hellos` counts the connections whose
    handshake began (a ClientHello reached it)."""

    def __init__(self, name, key, crt):
        self.name = name
        self.hellos = 0
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(crt, key)
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._loop, daemon=True).start()

    def _loop(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    def _serve(self, c):
        c.settimeout(T.TIMEOUT)
        try:
            if c.recv(1, socket.MSG_PEEK):
                self.hellos += 1
            t = self.ctx.wrap_socket(c, server_side=True)
            t.sendall(("%s\n" % self.name).encode())
            while True:
                d = t.recv(4096)
                if not d:
                    break
                t.sendall(d)
        except (OSError, ssl.SSLError):
            pass
        finally:
            c.close()


names = ["a.example", "b.example"]
certs = dict((n, make_cert(n)) for n in names)
tls = dict((n, TlsServer(n, *certs[n])) for n in names)
cafile = T.tmp("ca.pem")
with open(cafile, "w") as f:
    for n in names:
        f.write(open(certs[n][1]).read())

p_tls, p_wait, p_sess, p_res, p_pp = T.free_ports(5)
plain = dict((n, T.Server(n, ("127.0.0.1", T.free_port())))
             for n in ["dflt", "pay", "http"])


def evil_greeting(c):
    c.sendall(b"EVIL payload\n")
    time.sleep(1)


evil = T.Server("evil", ("127.0.0.1", T.free_port()), handler=evil_greeting)

cfg = """
defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe_tls
    bind 127.0.0.1:%(p_tls)d
    tcp-request inspect-delay 5s
    tcp-request content accept if { req.ssl_hello_type 1 }
    tcp-request content reject
    use_backend tls_a if { req.ssl_sni -i a.example }
    default_backend tls_b
frontend fe_wait
    bind 127.0.0.1:%(p_wait)d
    tcp-request inspect-delay 1500ms
    tcp-request content reject if { req.payload(0,4) -m str QUIT }
    tcp-request content accept if HTTP
    tcp-request content accept if { req.len ge 5 }
    use_backend http if HTTP
    use_backend pay if { req.payload(0,5) -m bin 68656c6c6f }
    default_backend dflt
frontend fe_sess
    bind 127.0.0.1:%(p_sess)d
    tcp-request session reject if { src 127.0.0.9 }
    default_backend dflt
frontend fe_pp
    bind 127.0.0.1:%(p_pp)d
    tcp-request connection expect-proxy layer4 if { src 127.0.0.3 }
    tcp-request connection silent-drop if { src 127.0.0.4 }
    tcp-request inspect-delay 2s
    tcp-request content accept if { req.len ge 2 }
    use_backend pay if { src 192.0.2.7 } { req.payload(0,2) -m str hi }
    default_backend dflt
frontend fe_res
    bind 127.0.0.1:%(p_res)d
    default_backend evil
backend tls_a
    server s 127.0.0.1:%(pa)d
backend tls_b
    server s 127.0.0.1:%(pb)d
backend dflt
    server s 127.0.0.1:%(dflt)d
backend pay
    server s 127.0.0.1:%(pay)d
backend http
    server s 127.0.0.1:%(http)d
backend evil
    tcp-response inspect-delay 2s
    tcp-response content reject if { res.payload(0,4) -m str EVIL }
    server s 127.0.0.1:%(evil)d
"""
d = dict(locals())
d.update(dict((n, s.sock.getsockname()[1]) for n, s in plain.items()))
d.update(pa=tls["a.example"].port, pb=tls["b.example"].port,
         evil=evil.sock.getsockname()[1])
plan = T.compile_cfg(cfg % d)
run = T.Cfgrun(plan)


def tls_name(sni):
    """Handshake through fe_tls with SNI `sni`, verifying the server's
    certificate for that name: the name the server then writes, or
    None when the handshake failed."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(cafile)
    s = T.connect(("127.0.0.1", p_tls))
    try:
        t = ctx.wrap_socket(s, server_hostname=sni)
        line = b""
        while not line.endswith(b"\n"):
            d = t.recv(1)
            if not d:
                break
            line += d
        t.sendall(b"ping")
        echo = t.recv(4)
        t.close()
        return line.decode().strip() if echo == b"ping" else None
    except (OSError, ssl.SSLError) as e:
        T.log("handshake for %s: %s" % (sni, e))
        s.close()
        return None


T.check(tls_name("a.example") == "a.example",
        "SNI a.example reaches the server holding a.example's certificate")
T.check(tls_name("b.example") == "b.example",
        "SNI b.example goes to the default backend, TLS end to end")
T.check(tls_name("A.EXAMPLE") == "a.example", "req.ssl_sni -i ignores case")

# A ClientHello in two writes: the content rules wait for the rest.
bio_in, bio_out = ssl.MemoryBIO(), ssl.MemoryBIO()
obj = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).wrap_bio(
    bio_in, bio_out, server_hostname="a.example")
try:
    obj.do_handshake()
except ssl.SSLWantReadError:
    pass
hello = bio_out.read()
T.check(len(hello) > 60 and hello[0] == 22, "a ClientHello to split")
before = tls["a.example"].hellos
s = T.connect(("127.0.0.1", p_tls))
s.sendall(hello[:40])
time.sleep(0.3)
s.sendall(hello[40:])
got = T.wait_until(lambda: tls["a.example"].hellos > before)
s.close()
T.check(got, "a ClientHello split over two reads still routes by its SNI")

t0 = time.monotonic()
T.check(T.closed_without_data(("127.0.0.1", p_tls), b"GET / HTTP/1.0\r\n\r\n"),
        "a non-TLS first byte is rejected (closed, nothing sent)")
T.check(time.monotonic() - t0 < 4,
        "the reject does not wait for the 5 s inspect-delay")


def wait_route(chunks, pause=0.3):
    """Send chunks through fe_wait (pausing between them), then read the
    greeting: (server name, seconds to get it)."""
    t = time.monotonic()
    s = T.connect(("127.0.0.1", p_wait))
    try:
        for i, c in enumerate(chunks):
            if i:
                time.sleep(pause)
            s.sendall(c)
        reply = b""
        while b"\n" not in reply:
            d = s.recv(4096)
            if not d:
                break
            reply += d
    except (ConnectionResetError, socket.timeout):
        reply = b""
    finally:
        s.close()
    name, _, _ = T.greeting(reply.split(b"\n")[0] + b"\n")
    return name, time.monotonic() - t


name, took = wait_route([])
T.check(name == "dflt", "a client that sends nothing goes to the default "
        "backend (%s)" % name)
T.check(took >= 1.4, "... once inspect-delay (1.5 s) is over (%.2f s)" % took)
name, _ = wait_route([b"hel", b"lo there"])
T.check(name == "pay", "req.len ge 5 waits for the second piece, then "
        "req.payload(0,5) -m bin routes (%s)" % name)
name, took = wait_route([b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"])
T.check(name == "http", "predefined ACL HTTP (req.proto_http) routes (%s)"
        % name)
T.check(took < 1.4, "... without waiting for the delay (%.2f s)" % took)
name, _ = wait_route([b"hi"])
T.check(name == "dflt", "too short for req.len ge 5: default backend after "
        "the delay (%s)" % name)
T.check(T.closed_without_data(("127.0.0.1", p_wait), b"QUIT now"),
        "tcp-request content reject on req.payload(0,4)")

s, name = T.hold(("127.0.0.1", p_sess), source="127.0.0.8")
s.close()
T.check(name == "dflt", "tcp-request session: another source passes")
def closed_from(source, port):
    """Connect from `source`: True when cfgrun closes the connection
    (reset or EOF, maybe before connect() returns) without a byte."""
    s = socket.socket()
    s.bind((source, 0))
    s.settimeout(T.TIMEOUT)
    try:
        s.connect(("127.0.0.1", port))
        got = s.recv(100)
    except ConnectionResetError:
        got = b""
    finally:
        s.close()
    return got == b""


T.check(closed_from("127.0.0.9", p_sess),
        "tcp-request session reject closes the connection")

s = socket.socket()
s.bind(("127.0.0.3", 0))
s.settimeout(T.TIMEOUT)
s.connect(("127.0.0.1", p_pp))
s.sendall(b"PROXY TCP4 192.0.2.7 127.0.0.1 4000 80\r\nhi")
reply = b""
while b"\n" not in reply:
    d = s.recv(100)
    if not d:
        break
    reply += d
s.close()
T.check(reply.startswith(b"pay "), "expect-proxy layer4: the PROXY header "
        "is read, then content rules and use_backend see its source and the "
        "bytes after it (%r)" % reply[:20])
s, name = T.hold(("127.0.0.1", p_pp), source="127.0.0.5")
s.sendall(b"hi")
s.close()
T.check(name == "dflt", "no expect-proxy for another source: the delay "
        "ends and it goes to the default backend (%s)" % name)
T.check(closed_from("127.0.0.4", p_pp),
        "silent-drop closes the connection without a byte")

T.check(T.closed_without_data(("127.0.0.1", p_res), b"hi"),
        "tcp-response content reject: the server's EVIL bytes never reach "
        "the client")
T.check(evil.accepted >= 1, "the rejected response did come from the server")

logs = run.wait_logs(1)
T.check([l for l in logs if "fe_wait" in l and "PR" in l],
        "a stream a content rule rejected is logged with PR")
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
