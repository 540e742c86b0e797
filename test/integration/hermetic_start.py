#!/usr/bin/python3
"""cfgc --hermetic records the files a configuration names instead of
reading them; cfgrun checks them itself: it refuses to start while an
error file is missing or is not an HTTP response, starts and serves once
it is, and a reload to a plan whose file is missing is refused while the
running plan keeps serving.

The file reference is an `errorfile`, which cfgrun does not run: the plans
are compiled with --target=haproxy, where cfgc still writes a plan for the
keywords it compiles, so that the precondition reaches cfgrun."""
import os
import re
import signal
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

sp = T.free_port()
srv = T.Server("s0", ("127.0.0.1", sp))
fe = T.free_port()
page = T.tmp("503.http")
page2 = T.tmp("other-503.http")
CFG = """
defaults
    timeout connect 2s
    timeout client 30s
    timeout server 30s
listen l
    bind 127.0.0.1:%d
    errorfile 503 %s
    server s 127.0.0.1:%d
"""


def cfgc(text, name, *args):
    cfg = T.tmp(name)
    with open(cfg, "w") as f:
        f.write(text)
    r = subprocess.run([T.CFGC, "--target=haproxy"] + list(args) +
                       [cfg, "-o", cfg + ".plan"], capture_output=True,
                       text=True, timeout=T.TIMEOUT)
    return r.returncode, r.stderr, cfg + ".plan"


# 0. TLS and pattern files (lint only: cfgrun does not run TLS): each
#    missing one is an error at its word; --hermetic makes them no error.
TLS = """
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
frontend f
    bind 127.0.0.1:%d ssl crt /nonexistent/site.pem
    acl bad src -f /nonexistent/bad.lst
    http-request set-header X-B %%[req.hdr(host),map(/nonexistent/b.map)]
    default_backend b
backend b
    server s 127.0.0.1:%d
""" % (fe, sp)
cfg = T.tmp("tls.cfg")
with open(cfg, "w") as f:
    f.write(TLS)
r = subprocess.run([T.CFGC, "-c", "--target=haproxy", cfg],
                   capture_output=True, text=True, timeout=T.TIMEOUT)
T.check(r.returncode == 1, "missing TLS and pattern files refused")
lines = TLS.split("\n")
for n, word, kw in ((8, "/nonexistent/site.pem", "crt"),
                    (9, "/nonexistent/bad.lst", "-f"),
                    (10, "%[req.hdr", "map")):
    where = "tls.cfg:%d:%d: error[missing-file]: '%s'" % (
        n, lines[n - 1].index(word) + 1, kw)
    T.check(where in r.stderr, "reported at its word: " + where)
r = subprocess.run([T.CFGC, "-c", "--target=haproxy", "--hermetic", cfg],
                   capture_output=True, text=True, timeout=T.TIMEOUT)
T.check(r.returncode == 0 and r.stderr == "",
        "-c --hermetic: no error (%d: %s)" % (r.returncode, r.stderr))

# 1. Without --hermetic, the missing file is an error at its word.
rc, err, plan = cfgc(CFG % (fe, page, sp), "h.cfg")
T.check(rc == 1 and "h.cfg:8:19: error[missing-file]" in err,
        "cfgc without --hermetic: missing error file at line 8 column 19")
T.check(not os.path.exists(plan), "no plan written")

# 2. With --hermetic it compiles, and the plan names the file.
rc, err, plan = cfgc(CFG % (fe, page, sp), "h.cfg", "--hermetic")
T.check(rc == 0, "cfgc --hermetic compiles (exit %d: %s)" % (rc, err))
dump = subprocess.run([T.CFGC, "--dump", plan], capture_output=True,
                      text=True).stdout
T.check("# precondition: errorfile %s (line 8)" % page in dump,
        "--dump lists the precondition")

# 3. cfgrun refuses to start: the message names file, kind and line.
rc, out = T.run_cfgrun(plan)
T.check(rc == 1, "cfgrun exits 1 while the file is missing (got %d)" % rc)
T.check(re.search(r"precondition failed: .*h\.cfg:8:19: errorfile '%s' "
                  r"\(error file\): No such file" % re.escape(page), out),
        "the refusal names the file, kind and line:\n" + out)
rc, out = T.run_cfgrun(plan, ["-c"])
T.check(rc == 1 and "precondition failed" in out, "cfgrun -c refuses too")

# 4. A file that is not an HTTP response is refused as well.
with open(page, "w") as f:
    f.write("<html>busy</html>\n")
rc, out = T.run_cfgrun(plan)
T.check(rc == 1 and "does not start with an HTTP status line" in out,
        "a page without a status line is refused:\n" + out)

# 5. Once the file holds, cfgrun starts and serves.
with open(page, "w") as f:
    f.write("HTTP/1.0 503 Service Unavailable\r\n\r\n")
run = T.Cfgrun(plan)
reply, _ = T.exchange(("127.0.0.1", fe), b"x")
T.check(T.greeting(reply)[0] == "s0", "cfgrun started and serves")

# 6. A reload to a plan naming a missing file is refused; the old plan
#    keeps serving. cfgc replaces the plan by rename, as in production.
rc, err, _ = cfgc(CFG % (fe, page2, sp), "h.cfg", "--hermetic")
T.check(rc == 0, "second plan compiles")
run.proc.send_signal(signal.SIGHUP)
run.wait_for(r"reload refused: precondition failed: .*%s" % re.escape(page2))
run.wait_for(r"reload refused: a file the new plan names is missing.*"
             r"keeping plan generation 1")
reply, _ = T.exchange(("127.0.0.1", fe), b"x")
T.check(T.greeting(reply)[0] == "s0", "old plan still serves")

# 7. With the file in place, the same plan is taken.
with open(page2, "w") as f:
    f.write("HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n")
run.proc.send_signal(signal.SIGHUP)
run.wait_for(r"reloaded plan [0-9a-f]+ \(generation 2")
reply, _ = T.exchange(("127.0.0.1", fe), b"x")
T.check(T.greeting(reply)[0] == "s0", "new plan serves")
rc, _ = run.stop()
T.check(rc == 0, "cfgrun stops cleanly")
srv.close()
T.done()
