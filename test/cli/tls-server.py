"""tls-server.py: what cfgc makes of TLS towards servers.

Compiles configurations with `server ... ssl` options using the test PKI
(test/integration/tlscerts.py) and checks, on the real cfgc and cfgrun:
the settings in the plan as --dump prints them (globals and HAProxy's
defaults applied: ssl-server-verify, sni-auto in HTTP mode, checks over
TLS unless port/addr send them elsewhere), the dump's fixpoint, the plan
written 0600 when a client key is inside, HAProxy's verdicts (no CA with
verification, unknown suites) and cfgc's own (located errors), the
default target compiling the same configuration as --target=haproxy,
and cfgrun -c accepting the plan (tls_srv.py runs such plans).
"""
import os
import stat
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import tlscerts  # noqa: E402

CFGC, CFGRUN = sys.argv[1], sys.argv[2]
failures = []


def run(*args):
    p = subprocess.run(list(args), capture_output=True, text=True,
                       timeout=60)
    return p.returncode, p.stdout + p.stderr


def check(cond, what, detail=""):
    if not cond:
        failures.append("%s%s" % (what, (": " + detail) if detail else ""))


HEAD = """defaults
    mode %s
    timeout connect 1s
    timeout client 1s
    timeout server 1s
"""


def compile_cfg(d, name, text, *opts):
    cfg = os.path.join(d, name + ".cfg")
    plan = os.path.join(d, name + ".plan")
    with open(cfg, "w") as f:
        f.write(text)
    rc, out = run(CFGC, *opts, cfg, "-o", plan)
    return rc, out, plan


def dump(plan):
    rc, out = run(CFGC, "--dump", plan)
    check(rc == 0, "--dump", out)
    return {l.split()[1]: l for l in out.splitlines()
            if l.startswith("    server ")}, out


def main():
    with tempfile.TemporaryDirectory() as d:
        c = tlscerts.make(d)
        ok_cfg = ("global\n"
                  "    ssl-default-server-ciphers ECDHE+AESGCM\n"
                  "    ssl-default-server-options ssl-min-ver TLSv1.2 "
                  "no-tls-tickets\n" + HEAD % "http" +
                  "backend b\n"
                  "    default-server ssl ca-file %s check\n"
                  "    server s1 127.0.0.1:8443 sni str(www.example.test) "
                  "alpn h2,http/1.1\n"
                  "    server s2 127.0.0.1:8444 port 9000 verify none "
                  "ssl-max-ver TLSv1.2 no-ssl-reuse\n"
                  "    server s3 127.0.0.1:8445 no-ssl no-check\n"
                  "    server s4 127.0.0.1:8446 sni req.hdr(host) crt %s "
                  "verifyhost www.example.test ciphersuites "
                  "TLS_AES_128_GCM_SHA256\n"
                  "    server s5 127.0.0.1:8447 no-ssl check-ssl "
                  "check-sni chk.test verify none no-sni-auto\n"
                  % (c.ca, c.client_pem))

        # the cfgrun target compiles it as --target=haproxy does
        rc, out, defplan = compile_cfg(d, "def", ok_cfg)
        check(rc == 0, "default target compiles server ssl", out)

        # --target=haproxy compiles it, settings as HAProxy applies them
        rc, out, plan = compile_cfg(d, "ok", ok_cfg, "--target=haproxy")
        check(rc == 0, "--target=haproxy compiles", out)
        srv, text = dump(plan)
        s1 = srv.get("s1", "")
        check(" ssl check-ssl verify required ca-file %s" % c.ca in s1 and
              " sni str(www.example.test) alpn h2,http/1.1" in s1 and
              " ssl-min-ver TLSv1.2 ciphers ECDHE+AESGCM no-tls-tickets"
              in s1, "s1: globals and defaults applied", s1)
        s2 = srv.get("s2", "")
        check(" no-check-ssl verify none" in s2 and "no-ssl-reuse" in s2 and
              "ssl-max-ver TLSv1.2" in s2,
              "s2: checks elsewhere (port) are plain", s2)
        check("ssl" not in srv.get("s3", "x ssl"), "s3: no TLS",
              srv.get("s3"))
        s4 = srv.get("s4", "")
        check(" crt %s" % c.client_pem in s4 and " sni req.hdr(host)" in s4
              and "verifyhost www.example.test" in s4 and
              "ciphersuites TLS_AES_128_GCM_SHA256" in s4, "s4", s4)
        s5 = srv.get("s5", "")
        check(" ssl " not in s5 and " check-ssl verify none" in s5 and
              "check-sni chk.test" in s5 and "no-sni-auto" in s5,
              "s5: checks only over TLS", s5)
        # sni-auto: an HTTP server without sni dumps none (the default)
        check("sni" not in s2, "s2: sni-auto left implicit", s2)
        check("PRIVATE" not in text and "BEGIN" not in text,
              "the dump prints no key material")
        mode = stat.S_IMODE(os.stat(plan).st_mode)
        check(mode == 0o600, "plan with a client key is 0600", oct(mode))

        # the dump compiles back to the same dump
        d1 = os.path.join(d, "d1.cfg")
        with open(d1, "w") as f:
            f.write(text)
        rc, out = run(CFGC, "--target=haproxy", d1, "-o",
                      os.path.join(d, "d1.plan"))
        check(rc == 0, "dump compiles", out)
        _, text2 = dump(os.path.join(d, "d1.plan"))
        check(text2 == text, "dump fixpoint", text2)
        check(dump(defplan)[1] == text, "same plan for both targets")

        # cfgrun no longer refuses TLS servers
        rc, out = run("timeout", "10", CFGRUN, "-c", defplan)
        check(rc == 0 and "valid plan" in out, "cfgrun -c accepts TLS servers",
              out)

        # HAProxy's verdicts and cfgc's own, located
        cases = [
            ("server s 127.0.0.1:443 ssl", "haproxy",
             "7:12: error[missing-ca-file]"),
            ("server s 127.0.0.1:443 ssl verify none ciphersuites "
             "TLS_NOPE", "haproxy", "error[invalid-value]: 'ciphersuites':"
             " unknown TLS 1.3 cipher suite 'TLS_NOPE'"),
            ("server s 127.0.0.1:443 ssl verify none ciphers NOPE",
             "cfgrun", "7:52: error[invalid-value]: 'ciphers': BoringSSL"),
            ("server s 127.0.0.1:443 ssl verify none curves NOPE",
             "cfgrun", "error[invalid-value]: 'curves': BoringSSL"),
            ("server s 127.0.0.1:443 ssl verify maybe", "haproxy",
             "7:39: error[invalid-value]: 'verify' expects 'none' or "
             "'required'"),
            ("server s 127.0.0.1:443 ssl verify none ssl-min-ver TLSv9",
             "haproxy", "error[invalid-value]: 'ssl-min-ver' expects"),
            ("server s 127.0.0.1:443 ssl verify none alpn h2,%s" %
             ("x" * 256), "haproxy", "error[invalid-value]: 'alpn'"),
            ("server s 127.0.0.1:443 ssl verify none sni "
             "req.hdr(host),lower", "cfgrun",
             "7:48: error[unsupported]: 'sni req.hdr(host),lower'"),
            ("server s 127.0.0.1:443 ssl verify none crt %s" % c.mismatch,
             "haproxy", "error[bad-certificate]: 'crt'"),
            ("server s 127.0.0.1:443 ssl ca-file %s/none.pem" % d,
             "haproxy", "error[missing-file]"),
        ]
        for i, (line, target, want) in enumerate(cases):
            rc, out, _ = compile_cfg(d, "e%d" % i, HEAD % "tcp" +
                                     "backend b\n    " + line + "\n",
                                     "--target=" + target)
            check(rc != 0 and want in out, "refused: " + line,
                  out.strip().splitlines()[0] if out.strip() else "")
        # what HAProxy accepts, the linter accepts
        for i, line in enumerate([
                "server s 127.0.0.1:443 ssl verify none sni "
                "req.hdr(host),lower",
                "server s 127.0.0.1:443 ssl ca-file @system-ca",
                "server s 127.0.0.1:443 ssl verify none no-tlsv12"]):
            rc, out, _ = compile_cfg(d, "a%d" % i, HEAD % "tcp" +
                                     "backend b\n    " + line + "\n",
                                     "--target=haproxy")
            check(rc == 0, "accepted by --target=haproxy: " + line, out)
        rc, out, _ = compile_cfg(d, "g", "global\n    ssl-server-verify "
                                 "none\n" + HEAD % "tcp" + "backend b\n"
                                 "    server s 127.0.0.1:443 ssl\n",
                                 "--target=haproxy")
        check(rc == 0, "ssl-server-verify none needs no CA", out)
    for f in failures:
        print("FAIL:", f)
    print("tls-server: %d failures" % len(failures))
    return 1 if failures else 0


sys.exit(main())
