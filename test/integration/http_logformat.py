#!/usr/bin/python3
"""Custom log formats on real sockets: log-format lines rendered per
request (exact text), %{+Q} quoting and %o, the separators' collapsing,
capture request/response header and capture cookie (httplog's {..}
blocks, %hr %hs %hrl %CC %CS), unique-id-format with unique-id-header
reaching the server and matching %ID in the log line, and cfgc refusing
what cfgrun does not render (sample expressions are lang_samples.py's)."""
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

fe1, fe2, fe3, be_p = T.free_port(), T.free_port(), T.free_port(), T.free_port()


def handler(req):
    return H.ok(b"hi", b"Server: originsrv-1.2.3\r\n"
                b"Set-Cookie: SESSID=abcdefghijklmnop; Path=/\r\n")


origin = H.Origin(("127.0.0.1", be_p), handler)
plan = T.compile_cfg(r"""
global
    log stderr format raw local0
defaults
    mode http
    log global
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend custom
    bind 127.0.0.1:%(fe1)d
    log-format "L1 %%ci:%%cp %%f>%%b/%%s  %%ST %%HM %%HU %%HP %%HQ %%HV %%{+Q}r %%U id=%%ID cc=%%CC cs=%%CS %%hr %%hs [%%hrl] %%ts %%tsc %%{+Q}o %%f %%{-Q}b 100%%%%"
    unique-id-format "%%ci-%%cp-%%rt"
    unique-id-header X-Req-ID
    capture request header Host len 5
    capture request header User-Agent len 20
    capture response header Server len 10
    capture cookie SESS len 9
    default_backend app
frontend plain
    bind 127.0.0.1:%(fe2)d
    option httplog
    unique-id-format "%%{+X}o %%ci:%%cp_%%rt"
    unique-id-header X-Hex-ID
    capture request header X-A len 3
    capture response header Server len 6
    default_backend app
frontend timers
    bind 127.0.0.1:%(fe3)d
    log-format "T %%Ti %%Tq %%Tt %%Ta"
    default_backend app
backend app
    server s1 127.0.0.1:%(be_p)d
""" % locals())
run = T.Cfgrun(plan)

c = H.connect(fe1)
cip, cport = c.getsockname()
req = (b"GET /a/b?x=1&y=2 HTTP/1.1\r\nHost: example.org\r\n"
       b"User-Agent: tester|one\r\nCookie: a=1; SESSID=zz123456789\r\n\r\n")
c.sendall(req)
st, h, body = H.recv_response(c)
T.check(st == 200 and body == b"hi", "answered through the custom frontend")
lines = run.wait_logs(1)
T.check(len(lines) == 1, "one log line (%r)" % lines)
srv = origin.requests[-1]["headers"]
uid = srv.get("x-req-id", [""])[0]
T.check(re.fullmatch(r"%s-%d-\d+" % (re.escape(cip), cport), uid) is not None,
        "unique-id-header reaches the server with the id (%r)" % uid)
want = ('L1 %s:%d custom>app/s1 200 GET /a/b?x=1&y=2 /a/b ?x=1&y=2 HTTP/1.1 '
        '"GET /a/b?x=1&y=2 HTTP/1.1" %d id=%s cc=SESSID=zz cs=SESSID=ab '
        '{examp|tester#7Cone} {originsrv-} [examp tester#7Cone] -- ---- '
        '"custom" app 100%%' % (cip, cport, len(req), uid))
T.check(lines[0] == want, "exact custom line:\n  got  %r\n  want %r" % (lines[0], want))

# A second request on the connection: %rt moves on, the id with it;
# nothing captured when the headers are absent.
c.sendall(b"GET /c HTTP/1.1\r\n\r\n")
st, _, _ = H.recv_response(c)
lines = run.wait_logs(2)
uid2 = origin.requests[-1]["headers"].get("x-req-id", [""])[0]
T.check(uid2 != uid and uid2.startswith("%s-%d-" % (cip, cport)),
        "a new unique id per request (%r, %r)" % (uid, uid2))
T.check(len(lines) == 2 and (" id=%s cc=- cs=SESSID=ab {|} {originsrv-} "
                             '[- -] ' % uid2) in lines[1],
        "empty captures rendered as HAProxy does (%r)" % lines[-1:])
c.close()

# httplog with captures: the blocks before the request line.
c = H.connect(fe2)
cip, cport = c.getsockname()
c.sendall(b"GET /p HTTP/1.1\r\nX-A: abcdef\r\n\r\n")
st, _, _ = H.recv_response(c)
lines = run.wait_logs(3)
pat = (r"%s:%d \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d\.\d{3}\] plain app/s1 "
       r"\d+/\d+/\d+/\d+/\d+ 200 \d+ - - ---- \d+/\d+/\d+/\d+/0 0/0 "
       r"\{abc\} \{origin\} \"GET /p HTTP/1\.1\"" % (re.escape(cip), cport))
T.check(len(lines) == 3 and re.fullmatch(pat, lines[2]) is not None,
        "httplog line with capture blocks (%r)" % lines[-1:])
hid = origin.requests[-1]["headers"].get("x-hex-id", [""])[0]
T.check(re.fullmatch("7F000001:%04X_[0-9A-F]{4}" % cport, hid) is not None,
        "%%{+X}o: address, port and counter in hexadecimal (%r)" % hid)
c.close()

# The idle and total timers count from the connection's start (or the end
# of the previous request), not from the clock's origin.
c = H.connect(fe3)
for path in (b"/t1", b"/t2"):
    c.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    H.recv_response(c)
c.close()
lines = [l for l in run.wait_logs(5) if l.startswith("T ")]
vals = [[int(x) for x in l.split()[1:]] for l in lines]
T.check(len(vals) == 2 and all(0 <= v < 5000 for row in vals for v in row),
        "%%Ti %%Tq %%Tt %%Ta are small durations in ms (%r)" % lines)
run.stop()

# cfgc refuses what cfgrun would not render, with a location.
for fmt, what in (("%[src,nosuchconv]", "nosuchconv"), ("%bi", "'%bi'"),
                  ("%{+E}ci", "flags"), ("%(x)ci", "typed")):
    cfg = T.tmp("bad.cfg")
    with open(cfg, "w") as f:
        f.write("defaults\n    mode http\nfrontend f\n    bind :%d\n"
                "    log-format \"a %s\"\n" % (fe1, fmt))
    r = subprocess.run([T.CFGC, cfg, "-o", cfg + ".plan"], capture_output=True,
                       text=True, timeout=T.TIMEOUT)
    T.check(r.returncode != 0 and ("unsupported" in r.stderr + r.stdout or
                                   "unknown-converter" in r.stderr) and
            what in r.stderr + r.stdout and "bad.cfg:5" in r.stderr + r.stdout,
            "cfgc refuses %s (%r)" % (fmt, (r.stderr + r.stdout)[:300]))

origin.close()
T.done()
