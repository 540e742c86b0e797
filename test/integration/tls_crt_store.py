#!/usr/bin/env python3
"""crt-store sections on real sockets: certificates a named and an
unnamed crt-store load (crt under the store's crt-base, key from its own
file under the store's key-base) are served by a bind that names them as
@STORE/ALIAS, @STORE/FILE and, for the unnamed store, by the file word
alone; each SNI gets its own leaf. cfgc refuses a reference no store
loads, a key that is not the certificate's (naming the load line) and
load options cfgrun cannot honour, each located."""
import os
import re
import socket
import ssl
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T    # noqa: E402
import tlscerts      # noqa: E402

if not T.have_cfgc():
    T.skip("cfgc not built")

D = T.tmp("pki")
C = tlscerts.make(D)
PORT = T.free_port()


def leaf_der(name):
    with open(os.path.join(D, name + ".crt")) as f:
        return ssl.PEM_cert_to_DER_cert(f.read())


def served_leaf(sni):
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    c.check_hostname = False
    c.verify_mode = ssl.CERT_NONE
    raw = socket.create_connection(("127.0.0.1", PORT), timeout=T.TIMEOUT)
    with c.wrap_socket(raw, server_hostname=sni) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        body = T.recv_all(s)
        return s.getpeercert(binary_form=True), body


STORES = """crt-store web
    crt-base %(d)s
    key-base %(d)s
    load crt split.pem key rsa.key alias site
    load crt other.crt key other.key
crt-store
    load crt %(d)s/wild.crt key %(d)s/wild.key alias w
""" % {"d": D}


def cfg(crts, stores=STORES):
    return stores + """defaults
    mode http
    timeout connect 1s
    timeout client 2s
    timeout server 2s
frontend fe
    bind 127.0.0.1:%d ssl %s
    http-request return status 200 content-type text/plain string ok
""" % (PORT, crts)


def cfgc(text):
    path = T.tmp("bad.cfg")
    with open(path, "w") as f:
        f.write(text)
    r = subprocess.run([T.CFGC, "-c", path], capture_output=True, text=True,
                       timeout=60)
    return r.returncode, r.stdout + r.stderr


# 1. Served: each name its own leaf, the keys read from the key lines
#    (split.pem and wild.crt hold no key of their own).
plan = T.compile_cfg(cfg("crt @web/site crt @web/other.crt crt %s/wild.crt"
                         % D))
run = T.Cfgrun(plan)         # returns once cfgrun says it is ready
for sni, leaf in (("www.example.test", "rsa"), ("other.test", "other"),
                  ("a.wild.test", "wild"), (None, "rsa")):
    der, body = served_leaf(sni)
    T.check(der == leaf_der(leaf) and body.endswith(b"ok"),
            "SNI %s: the %s leaf from the crt-store, request answered"
            % (sni, leaf))
run.proc.terminate()
run.proc.wait(timeout=T.TIMEOUT)

# 1b. --dump names the key files in a crt-store of its own, so the dump
#     compiles back to a plan that dumps the same.
def dump(path):
    r = subprocess.run([T.CFGC, "--dump", path], capture_output=True,
                       text=True, timeout=60)
    return r.stdout


d1 = dump(plan)
T.check("crt-store\n    load crt %s/split.pem key %s/rsa.key\n" % (D, D) in d1,
        "the dump loads split.pem with its key file:\n" + d1)
plan2 = T.compile_cfg(d1, name="dump.cfg", out=T.tmp("dump.plan"))
T.check(dump(plan2) == d1, "the dump compiles back to the same dump")

# 2. The unnamed store's alias as @/ALIAS compiles too.
rc, out = cfgc(cfg("crt @/w"))
T.check(rc == 0, "crt @/w compiles (exit %d)\n%s" % (rc, out))

# 3. A reference no store loads: located error, no plan.
rc, out = cfgc(cfg("crt @web/nope"))
T.check(rc != 0 and re.search(r"bad\.cfg:14:\d+: error\[unknown-certificate"
                              r"\]: 'crt @web/nope'", out) is not None,
        "unknown crt-store reference refused, located:\n" + out)

# 4. A key that is not the certificate's: names the load line.
bad = STORES.replace("key other.key", "key rsa.key")
rc, out = cfgc(cfg("crt @web/other.crt", bad))
T.check(rc != 0 and re.search(r"error\[key-mismatch\]: 'crt @web/other\.crt'"
                              r" \(crt-store, line 5\): .*does not match",
                              out) is not None,
        "mismatched crt-store key refused, naming line 5:\n" + out)

# 5. OCSP stapling from a load line: unsupported, at the option.
ocsp = STORES.replace("alias site", "alias site ocsp site.ocsp")
rc, out = cfgc(cfg("crt @web/site", ocsp))
T.check(rc != 0 and re.search(r"bad\.cfg:4:\d+: error\[unsupported\]: "
                              r"crt-store 'load \.\.\. ocsp'", out) is not None,
        "load ... ocsp refused as unsupported, located:\n" + out)
T.done()
