#!/usr/bin/env python3
"""cfgc and the plan with certificates: a key that does not match its
certificate is refused with a located error naming the file; expired,
soon-expiring and incomplete-chain certificates are located warnings
(fatal under -Werror); FILE.key beside a certificate, a crt directory and
a crt-list with SNI filters load; verify without ca-file is refused;
--dump names files and shows no key; --hermetic leaves the certificates
out of the plan (cfgrun reads them at start, and then serves TLS); the
verifier refuses a plan whose TLS record was corrupted (digest fixed up)."""
import hashlib
import os
import re
import socket
import ssl
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T    # noqa: E402
import tlscerts      # noqa: E402

if not T.have_cfgc():
    T.skip("cfgc not built")

D = T.tmp("pki")
C = tlscerts.make(D)
PORT, BPORT = T.free_ports(2)


def cfgc(text, *args, name="c.cfg"):
    cfg = T.tmp(name)
    with open(cfg, "w") as f:
        f.write(text)
    r = subprocess.run([T.CFGC] + list(args) + [cfg], capture_output=True,
                       text=True, timeout=60)
    return r.returncode, r.stdout + r.stderr, cfg


def bind_cfg(opts):
    return """defaults
    mode http
    timeout connect 1s
    timeout client 2s
    timeout server 2s
frontend fe
    bind 127.0.0.1:%d ssl %s
    default_backend be
backend be
    server s1 127.0.0.1:%d
""" % (PORT, opts, BPORT)


# 1. A mismatched key: refused, located at the crt word, naming the file.
rc, out, cfg = cfgc(bind_cfg("crt " + C.mismatch), "-o", T.tmp("m.plan"))
T.check(rc != 0, "mismatched key refused (exit %d)" % rc)
T.check(re.search(r"c\.cfg:7:\d+: error\[key-mismatch\]: .*does not match.*"
                  + re.escape(C.mismatch), out) is not None,
        "located key-mismatch error naming the file:\n" + out)
T.check(not os.path.exists(T.tmp("m.plan")), "no plan written")

# 2. Expired, expiring, incomplete chain: warnings; -Werror makes them fatal.
for pem, code in ((C.expired, "expired-certificate"),
                  (C.expiring, "expiring-certificate"),
                  (C.chainless, "incomplete-chain")):
    rc, out, _ = cfgc(bind_cfg("crt " + pem), "-o", T.tmp("w.plan"))
    T.check(rc == 0, "%s: compiles (exit %d)" % (code, rc))
    T.check(re.search(r"c\.cfg:7:\d+: warning\[%s\]: .*%s" %
                      (code, re.escape(pem)), out) is not None,
            "%s: located warning naming the file:\n%s" % (code, out))
    rc, out, _ = cfgc(bind_cfg("crt " + pem), "-Werror", "-o",
                      T.tmp("w2.plan"))
    T.check(rc != 0, "%s: fatal under -Werror" % code)
rc, out, _ = cfgc(bind_cfg("crt " + C.expiring), "-o", T.tmp("w.plan"))
T.check("expires in 9 days" in out or "expires in 10 days" in out,
        "the warning says when: %s" % out.splitlines()[0:1])
rc, out, _ = cfgc(bind_cfg("crt " + C.chained), "-c")
T.check(rc == 0 and "warning" not in out,
        "a chain up to the root: no warning (%s)" % out)

# 3. FILE.key beside the certificate; a directory; a crt-list.
rc, out, _ = cfgc(bind_cfg("crt " + C.rsa_crt), "-c")
T.check(rc == 0 and "warning" not in out, "key from FILE.key: %s" % out)
certdir = T.tmp("certs")
os.mkdir(certdir)
for src in (C.rsa, C.other):
    with open(src) as f, open(os.path.join(certdir,
                                           os.path.basename(src)), "w") as g:
        g.write(f.read())
plan = T.tmp("dir.plan")
rc, out, _ = cfgc(bind_cfg("crt " + certdir), "-o", plan)
T.check(rc == 0, "crt DIRECTORY compiles: %s" % out)
dump = subprocess.run([T.CFGC, "--dump", plan], capture_output=True,
                      text=True).stdout
T.check(dump.count(" crt ") == 2 and "other.pem" in dump and "rsa.pem" in dump,
        "the directory's two certificates are in the plan: %s"
        % [l for l in dump.splitlines() if "bind" in l])
T.check("PRIVATE" not in dump and "BEGIN" not in dump,
        "--dump shows no key material")
with open(plan, "rb") as f:
    data = f.read()
T.check(oct(os.stat(plan).st_mode & 0o777) == oct(0o600), "plan mode 0600")
crtlist = T.tmp("list.txt")
with open(crtlist, "w") as f:
    f.write("# certificates\n%s\n%s [ ] *.wild.test !bad.wild.test\n"
            % (C.rsa, C.wild))
rc, out, _ = cfgc(bind_cfg("crt-list " + crtlist), "-o", T.tmp("l.plan"))
T.check(rc == 0, "crt-list compiles: %s" % out)
dump = subprocess.run([T.CFGC, "--dump", T.tmp("l.plan")],
                      capture_output=True, text=True).stdout
T.check(" crt-list %s" % crtlist in dump and " crt " not in dump,
        "--dump names the crt-list, which gives its certificates and "
        "filters back: %s" % [l for l in dump.splitlines() if "bind" in l])
rc, out, _ = cfgc(dump, "-o", T.tmp("l2.plan"), name="l-dump.cfg")
dump2 = subprocess.run([T.CFGC, "--dump", T.tmp("l2.plan")],
                       capture_output=True, text=True).stdout
T.check(rc == 0 and dump2 == dump,
        "the dump compiles back to the same certificates and filters")
with open(crtlist, "w") as f:
    f.write("%s [verify required] x.test\n" % C.rsa)
rc, out, _ = cfgc(bind_cfg("crt-list " + crtlist), "-c")
T.check(rc != 0 and re.search(re.escape(crtlist) + r":1:%d: error"
                              r"\[missing-argument\]: 'verify required'"
                              r" for '.*' line 1 needs a 'ca-file'"
                              % (len(C.rsa) + 3), out) is not None,
        "crt-list verify without a CA (line or bind): refused naming the "
        "line: %s" % out)
with open(crtlist, "w") as f:
    f.write("# x\n%s [alpn h2  ocsp-update on] x.test\n" % C.rsa)
rc, out, _ = cfgc(bind_cfg("crt-list " + crtlist), "-c")
T.check(rc != 0 and re.search(re.escape(crtlist) + r":2:\d+: error"
                              r"\[unsupported\]: crt-list option "
                              r"'ocsp-update'", out) is not None and
        (":2:%d:" % (len(C.rsa) + 12)) in out and "'on'" not in out,
        "crt-list option cfgc does not take: refused at its column in the "
        "list: %s" % out)
with open(crtlist, "w") as f:
    f.write("%s [ssl-min-ver TLSv9 verify]\n" % C.rsa)
rc, out, _ = cfgc(bind_cfg("crt-list " + crtlist), "-c")
T.check(rc != 0 and re.search(re.escape(crtlist) + r":1:\d+: error"
                              r"\[invalid-value\]: 'ssl-min-ver'", out)
        is not None and "'verify' expects a value" in out,
        "crt-list bad version and missing value: located: %s" % out)
with open(crtlist, "w") as f:
    f.write("%s [ssl-min-ver TLSv1.3 ssl-max-ver TLSv1.2] x.test\n"
            "%s [ssl-max-ver TLSv1.1] y.test\n" % (C.rsa, C.rsa))
rc, out, _ = cfgc(bind_cfg("crt-list " + crtlist), "-c")
T.check(rc != 0 and re.search(re.escape(crtlist) + r":1:%d: error"
                              r"\[invalid-value\]: crt-list line: its "
                              r"versions leave none" % (len(C.rsa) + 23),
                              out) is not None and
        re.search(re.escape(crtlist) + r":2:%d: error\[invalid-value\]: "
                  r"crt-list line: its versions leave none \(from TLSv1.2 "
                  r"to TLSv1.1" % (len(C.rsa) + 3), out) is not None,
        "crt-list line versions: an empty range refused, a maximum below "
        "the bind's minimum too (as HAProxy does): %s" % out)
with open(crtlist, "w") as f:
    f.write("%s [ocsp-update on no-ca-names alpn h2] x.test\n" % C.rsa)
rc, out, _ = cfgc(bind_cfg("crt-list " + crtlist), "-c", "--target=haproxy")
T.check(rc == 0, "the HAProxy linter lets HAProxy's other crt-list options "
        "be: %s" % out)
with open(crtlist, "w") as f:
    f.write("%s [alpn h2 bogus-opt 1] x.test\n" % C.rsa)
for target in ("--target=haproxy", "--target=cfgrun"):
    rc, out, _ = cfgc(bind_cfg("crt-list " + crtlist), "-c", target)
    T.check(rc != 0 and re.search(re.escape(crtlist) + r":1:\d+: error"
                                  r"\[unknown-keyword\]: 'bogus-opt'", out)
            is not None, "%s: an unknown crt-list option refused, located: "
            "%s" % (target, out))

# 4. verify without a CA; an unknown cipher.
rc, out, _ = cfgc(bind_cfg("crt %s verify required" % C.rsa), "-c")
T.check(rc != 0 and "ca-file" in out, "verify without ca-file refused")
rc, out, _ = cfgc(bind_cfg("crt %s ciphers NOPE-CIPHER" % C.rsa), "-c")
T.check(rc != 0 and re.search(r"c\.cfg:7:\d+: error\[invalid-value\]", out)
        is not None, "unknown cipher list refused, located: %s" % out)
rc, out, _ = cfgc(bind_cfg("crt %s ciphers NOPE-CIPHER" % C.rsa), "-c",
                  "--target=haproxy")
T.check(rc == 0, "the HAProxy linter does not judge cipher names by "
        "BoringSSL: %s" % out)
# A server default nothing can use: refused even without a TLS server,
# as HAProxy 3.5 refuses it (its own HTTPS client's servers take it).
rc, out, _ = cfgc("global\n    ssl-default-server-ciphers NOPE\n" + bind_cfg("crt " + C.rsa), "-c")
T.check(rc != 0 and re.search(r"c\.cfg:2:32: error\[invalid-value\]: "
                              r"'ssl-default-server-ciphers'", out)
        is not None, "an unusable ssl-default-server-ciphers refused, located: %s" % out)

# 5. --hermetic: no key in the plan, cfgrun loads the files and serves.
hplan = T.tmp("h.plan")
rc, out, _ = cfgc(bind_cfg("crt %s crt %s" % (C.rsa, C.ecdsa)), "--hermetic",
                  "-o", hplan)
T.check(rc == 0, "--hermetic compiles: %s" % out)
with open(hplan, "rb") as f:
    hdata = f.read()
with open(os.path.join(D, "rsa.crt")) as f:
    leaf = ssl.PEM_cert_to_DER_cert(f.read())
T.check(leaf[:64] not in hdata, "--hermetic: the certificate is not in the "
        "plan")
T.check(leaf in data, "without --hermetic the certificate (DER) is in "
        "the plan")
dump = subprocess.run([T.CFGC, "--dump", hplan], capture_output=True,
                      text=True).stdout
T.check("# precondition: crt %s" % C.rsa in dump,
        "--hermetic: the certificate is a precondition")
um = os.umask(0)
os.umask(um)
T.check(os.stat(hplan).st_mode & 0o777 == 0o666 & ~um,
        "--hermetic: no key inside, the plan has the usual mode (%o)"
        % (os.stat(hplan).st_mode & 0o777))
run = T.Cfgrun(hplan)
raw = socket.create_connection(("127.0.0.1", PORT), timeout=T.TIMEOUT)
c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
c.check_hostname = False
c.verify_mode = ssl.CERT_NONE
s = c.wrap_socket(raw, server_hostname="www.example.test")
T.check(s.getpeercert(binary_form=True) is not None,
        "--hermetic plan: cfgrun loaded the certificates and serves TLS")
s.close()
run.stop()

# 6. A corrupted TLS record (digest recomputed) is refused by the verifier.
good = T.tmp("dir.plan")
with open(good, "rb") as f:
    img = bytearray(f.read())
nsec = struct.unpack_from("<I", img, 28)[0]
for i in range(nsec):
    kind, esz, off, cnt = struct.unpack_from("<IIQQ", img, 72 + 24 * i)
    if kind == 18:
        cert_off = off
T.check(cert_off > 0, "the plan has a tls_cert section (kind 18)")


def refused_after(mutate, what):
    bad = bytearray(img)
    mutate(bad)
    bad[40:72] = b"\0" * 32
    bad[40:72] = hashlib.sha256(bytes(bad)).digest()
    path = T.tmp("bad.plan")
    with open(path, "wb") as f:
        f.write(bad)
    rc, out = T.run_cfgrun(path, ["-c"])
    T.check(rc != 0 and "tls" in out, "%s: refused (%s)" % (what, out.strip()))


# struct plan_tls_cert: bind, flags, path, sni, der_off, der_len, ...
refused_after(lambda b: struct.pack_into("<I", b, cert_off + 28, 0x7fffffff),
              "a certificate's DER length past the blob")
refused_after(lambda b: struct.pack_into("<I", b, cert_off + 28,
              struct.unpack_from("<I", b, cert_off + 28)[0] - 1),
              "a certificate's DER length one byte short")
refused_after(lambda b: struct.pack_into("<I", b, cert_off, 5),
              "a certificate owned by a bind that does not exist")
# its crt-list line settings: set at 72, verify 76, min/max 80/82
refused_after(lambda b: struct.pack_into("<I", b, cert_off + 72, 0x80),
              "a crt-list setting bit that does not exist")
refused_after(lambda b: struct.pack_into("<I", b, cert_off + 72, 0x04),
              "a crt-list ciphers bit without its cipher list")
refused_after(lambda b: struct.pack_into("<IIHH", b, cert_off + 72, 0x02, 0,
                                         0x0304, 0x0303),
              "a crt-list version range upside down")
refused_after(lambda b: struct.pack_into("<II", b, cert_off + 72, 0x10, 2),
              "a crt-list verify required without a CA on the line or bind")
T.done()
