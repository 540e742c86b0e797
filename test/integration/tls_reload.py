#!/usr/bin/env python3
"""Certificate rotation on reload, under load: cfgrun serves TLS with one
certificate while client threads open new TLS connections in a loop (each
a full handshake and one request); the plan is recompiled with another
certificate and cfgrun gets SIGHUP. Not one connection may fail, new
connections get the new certificate, and a keep-alive connection opened
before the reload goes on with its session after it."""
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
PORT, OPORT = T.free_ports(2)
origin = H.Origin(("127.0.0.1", OPORT))


def leaf(name):
    with open(os.path.join(D, name + ".crt")) as f:
        return ssl.PEM_cert_to_DER_cert(f.read())


OLD, NEW = leaf("rsa"), leaf("other")

CFG = """defaults
    mode http
    timeout connect 2s
    timeout client 5s
    timeout server 5s
frontend fe
    bind 127.0.0.1:%d ssl crt %%s
    default_backend be
backend be
    server o1 127.0.0.1:%d
""" % (PORT, OPORT)

plan = T.tmp("r.plan")
T.compile_cfg(CFG % C.rsa, "r.cfg", out=plan)
run = T.Cfgrun(plan)

CTX = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
CTX.check_hostname = False
CTX.verify_mode = ssl.CERT_NONE


def request(s, close):
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n%s\r\n"
              % (b"Connection: close\r\n" if close else b""))
    st, _, body = H.recv_response(s)
    return st == 200 and body == b"hello"


def one():
    """A new connection, one request: (ok, certificate served)."""
    raw = socket.create_connection(("127.0.0.1", PORT), timeout=T.TIMEOUT)
    try:
        s = CTX.wrap_socket(raw, server_hostname="www.example.test")
        der = s.getpeercert(binary_form=True)
        ok = request(s, True)
        s.close()
        return ok, der
    except (OSError, ssl.SSLError) as e:
        raw.close()
        return False, repr(e)


# A keep-alive connection from before the reload.
raw = socket.create_connection(("127.0.0.1", PORT), timeout=T.TIMEOUT)
kept = CTX.wrap_socket(raw, server_hostname="www.example.test")
T.check(kept.getpeercert(binary_form=True) == OLD, "first certificate served")
T.check(request(kept, False), "keep-alive request before the reload")

stop = threading.Event()
results = []
lock = threading.Lock()


def load():
    # bounded: at most 2000 connections per thread, and until stopped
    for _ in range(2000):
        if stop.is_set():
            return
        t = time.monotonic()
        r = one()
        with lock:
            results.append((t, r))


threads = [threading.Thread(target=load, daemon=True) for _ in range(3)]
for t in threads:
    t.start()
T.wait_until(lambda: len(results) >= 20, timeout=10)
T.compile_cfg(CFG % C.other, "r.cfg", out=plan)
run.proc.send_signal(signal.SIGHUP)
run.wait_for(r"reloaded plan [0-9a-f]+ \(generation 2")
t_done = time.monotonic()
T.wait_until(lambda: sum(1 for t, r in list(results) if t > t_done)
             >= 20, timeout=10)
stop.set()
for t in threads:
    t.join(timeout=T.TIMEOUT)

failed = [r for _, r in results if not r[0]]
T.check(len(results) >= 40, "load ran (%d connections)" % len(results))
T.check(not failed, "no connection failed across the reload (%d of %d: %s)"
        % (len(failed), len(results), failed[:3]))
late = [r[1] for t, r in results if t > t_done]
T.check(late and all(d == NEW for d in late),
        "after the reload new connections get the new certificate")
T.check(any(r[1] == OLD for _, r in results),
        "before it they got the old one")
T.check(request(kept, False), "the connection from before the reload goes on")
kept.close()
rc, _ = run.stop()
T.check(rc == 0, "cfgrun stops cleanly")
origin.close()
T.done()
