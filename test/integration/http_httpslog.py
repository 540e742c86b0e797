#!/usr/bin/python3
"""option httpslog on real sockets: a frontend with a plain and a TLS
listener logs HAProxy's HTTPS format. The lines are compared field by
field with what HAProxy 2.6 wrote for the same requests (side by side):
over plain HTTP the TLS fields are '-' (fc_err 0, ssl_fc_is_resumed 0),
over TLS the frontend name ends with '~', ssl_fc_err is 16 hex zeros, the
SNI, protocol and cipher close the line, and a resumed session logs
ssl_fc_is_resumed 1. In a TCP frontend the option falls back to tcplog
with a warning."""
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

if not shutil.which("openssl"):
    T.skip("no openssl CLI to make a test certificate")

key, crt = T.tmp("site.key"), T.tmp("site.crt")
r = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj",
                    "/CN=site.test", "-keyout", key, "-out", crt],
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)
if r.returncode:
    T.fail("openssl req: %s" % r.stderr.decode(errors="replace"))
pem = T.tmp("site.pem")
with open(pem, "w") as f:
    f.write(open(crt).read() + open(key).read())

plain, tls, tcp = T.free_port(), T.free_port(), T.free_port()
plan = T.compile_cfg(r"""
global
    log stderr format raw local0
defaults
    mode http
    log global
    option httpslog
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend web
    bind 127.0.0.1:%(plain)d
    bind 127.0.0.1:%(tls)d ssl crt %(pem)s
    http-request return status 200 content-type text/plain string ok
frontend raw
    mode tcp
    bind 127.0.0.1:%(tcp)d
    default_backend none
backend none
    mode tcp
    server s 127.0.0.1:%(dead)d
""" % dict(plain=plain, tls=tls, pem=pem, tcp=tcp, dead=T.dead_port()))
run = T.Cfgrun(plan)

# HAProxy 2.6's line, from the client address to the end
LINE = re.compile(
    r'^127\.0\.0\.1:\d+ \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d\.\d{3}\] (\S+) '
    r'\S+ 0/-1/-1/-1/\d+ 200 \d+ - - LR-- \d+/\d+/\d+/\d+/0 0/0 '
    r'"GET (\S+) HTTP/1\.1" (\S+) (\S+)$')


def ask(sock, path):
    sock.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    st, _, body = H.recv_response(sock)
    return st, body


st, body = ask(H.connect(plain), b"/plain")
T.check(st == 200 and body == b"ok", "plain request answered (%r)" % st)
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
ctx.maximum_version = ssl.TLSVersion.TLSv1_2    # a session to resume
s1 = ctx.wrap_socket(socket.create_connection(("127.0.0.1", tls),
                                              timeout=T.TIMEOUT),
                     server_hostname="site.test")
st, body = ask(s1, b"/tls")
T.check(st == 200, "TLS request answered (%r)" % st)
sess = s1.session
s1.close()
s2 = ctx.wrap_socket(socket.create_connection(("127.0.0.1", tls),
                                              timeout=T.TIMEOUT),
                     server_hostname="site.test", session=sess)
st, body = ask(s2, b"/again")
T.check(st == 200 and s2.session_reused, "TLS session resumed (%r %r)"
        % (st, s2.session_reused))
cipher = s2.cipher()[0]
s2.close()

lines = {}
for l in run.wait_logs(3):
    m = LINE.match(l)
    if m:
        lines[m.group(2)] = m.groups()
T.check(set(lines) == {"/plain", "/tls", "/again"},
        "three lines in HAProxy's HTTPS format (%r)" % run.log_lines())
if "/plain" in lines:
    T.check(lines["/plain"][0] == "web" and
            lines["/plain"][2:] == ("0/-/-/-/0", "-/-/-"),
            "plain HTTP: no TLS fields (%r)" % (lines["/plain"],))
if "/tls" in lines:
    T.check(lines["/tls"][0] == "web~" and
            lines["/tls"][2:] == ("0/0000000000000000/0/0/0",
                                  "site.test/TLSv1.2/" + cipher),
            "TLS: '~' after the frontend, errors 0, SNI, protocol and "
            "cipher (%r)" % (lines["/tls"],))
if "/again" in lines:
    T.check(lines["/again"][2] == "0/0000000000000000/0/0/1",
            "a resumed session logs ssl_fc_is_resumed 1 (%r)"
            % (lines["/again"],))
run.stop()

# In a TCP frontend the option falls back to tcplog, with a warning.
cfg = T.tmp("tcp.cfg")
with open(cfg, "w") as f:
    f.write("defaults\n    log stderr local0\nfrontend raw\n    mode tcp\n"
            "    option httpslog\n    bind 127.0.0.1:%d\n"
            "    default_backend none\nbackend none\n    mode tcp\n"
            "    server s 127.0.0.1:%d\n" % (tcp, T.dead_port()))
r = subprocess.run([T.CFGC, cfg, "-o", cfg + ".plan"], capture_output=True,
                   text=True, timeout=T.TIMEOUT)
out = r.stdout + r.stderr
T.check(r.returncode == 0 and "tcp.cfg:5:5: warning" in out and
        "falling back to 'option tcplog'" in out,
        "httpslog in a TCP frontend: tcplog and a located warning (%r)"
        % out[:300])
T.done()
