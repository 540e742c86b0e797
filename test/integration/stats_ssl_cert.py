#!/usr/bin/python3
"""Stats socket `show ssl cert [FILE]` (level operator): the certificate
files of the TLS binds, each once, and one in detail in HAProxy 2.6's
layout (serial, dates, DNS names, algorithm, SHA-1 fingerprint, subject
and issuer), the fields compared with what `openssl x509` reads in the
same file; an unknown file gets HAProxy's answer."""
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import tlscerts

certs = tlscerts.make(T.tmp("pki"))
f1, f2, ps = T.free_ports(3)
srv = T.Server("app", ("127.0.0.1", ps))
sock = T.tmp("stats.sock")
plan = T.compile_cfg("""
global
    stats socket %s level operator
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend a
    bind 127.0.0.1:%d ssl crt %s crt %s
    default_backend be
frontend b
    bind 127.0.0.1:%d ssl crt %s
    default_backend be
backend be
    server s 127.0.0.1:%d
""" % (sock, f1, certs.ecdsa, certs.rsa, f2, certs.ecdsa, ps))
run = T.Cfgrun(plan)

ans = T.stats_cmd(sock, "show ssl cert")
T.check(ans == "# filename\n%s\n%s\n\n" % (certs.ecdsa, certs.rsa),
        "each file once, in the order of the binds (%r)" % ans)


def openssl(*args):
    return subprocess.run(["openssl", "x509", "-noout", "-in", certs.ecdsa]
                          + list(args), capture_output=True, text=True,
                          check=True).stdout.strip()


ans = T.stats_cmd(sock, "show ssl cert " + certs.ecdsa)
lines = ans.split("\n")
T.check(lines[0] == "Filename: " + certs.ecdsa and lines[1] == "Status: Used",
        "file and status first (%r)" % lines[:2])
fields = dict(l.split(": ", 1) for l in lines if ": " in l)
serial = openssl("-serial").split("=", 1)[1]
T.check(fields.get("Serial") == serial.upper(), "serial (%r vs %r)"
        % (fields.get("Serial"), serial))
fp = openssl("-fingerprint", "-sha1").split("=", 1)[1].replace(":", "")
T.check(fields.get("SHA1 FingerPrint") == fp, "SHA-1 fingerprint")
end = openssl("-enddate").split("=", 1)[1]
T.check(fields.get("notAfter") == end, "notAfter as openssl prints it (%r vs %r)"
        % (fields.get("notAfter"), end))
T.check(fields.get("Algorithm") == "EC256", "algorithm EC256 (%r)" % fields.get("Algorithm"))
T.check(fields.get("Subject Alternative Name") ==
        "DNS:www.example.test, DNS:example.test", "DNS names (%r)"
        % fields.get("Subject Alternative Name"))
T.check(re.search(r"CN ?= ?www\.example\.test", fields.get("Subject", "").replace("/", ", ")) is not None
        or "/CN=www.example.test" in fields.get("Subject", ""),
        "subject (%r)" % fields.get("Subject"))
T.check(ans.endswith("OCSP Response Key: \n\n"), "ends as HAProxy's")
ans = T.stats_cmd(sock, "show ssl cert /nope.pem")
T.check(ans == "Can't display the certificate: Not found or the certificate "
        "is a bundle!\n\n", "unknown file (%r)" % ans)
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
