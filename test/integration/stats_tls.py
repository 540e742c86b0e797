#!/usr/bin/env python3
"""TLS handshake counters on the stats socket, on real sockets with two
threads: `show stat`'s ssl_sess, ssl_reused_sess and ssl_failed_handshake
(HAProxy 2.6's "ssl" module columns, after its "-" column in the CSV, at
typed positions 103-105) and `show ssl stats` (the same per listener, with
failures by reason and handshake timeouts).

Client side: full handshakes, a resumed TLS 1.2 session (Python's ssl
session reuse), a client offering only TLS 1.0 to a TLS 1.2+ bind, a
plain-text HTTP request on the TLS port, a client closing before its
ClientHello, a name strict-sni refuses, a client silent until `timeout
client`: each counted under its reason on the frontend and listener it
reached, nothing on the other frontend. Server side: TLS to a Python TLS
server (first handshake full, then resumed ones), and a server that does
not speak TLS (failures counted on the server and its backend).
show info's SslBackend*Handshakes agree, its CurrSslConns, CumSslConns,
TLS rates and SslFrontendSessionReuse_pct follow; a reload keeps an
unchanged server's counters, as its other counters; 160 handshakes
from 8 clients at once are all counted; a `show ssl stats`
answer larger than the socket's output buffer comes whole."""
import json
import os
import socket
import ssl
import sys
import threading
import warnings

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T    # noqa: E402
import tlscerts      # noqa: E402

if not T.have_cfgc():
    T.skip("cfgc not built")

C = tlscerts.make(T.tmp("pki"))


ORIGIN_CTX = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ORIGIN_CTX.load_cert_chain(C.rsa)


def tls_echo(raw):
    """The TLS origin (www.example.test): echoes over TLS (a T.Server
    handler)."""
    try:
        with ORIGIN_CTX.wrap_socket(raw, server_side=True) as s:
            while True:
                d = s.recv(65536)
                if not d:
                    break
                s.sendall(d)
    except (ssl.SSLError, OSError):
        pass


f_main, f_strict, f_other, f_bad, f_badcert, p_plain, p_origin = \
    T.free_ports(7)
origin = T.Server("origin", ("127.0.0.1", p_origin), handler=tls_echo)
plain = T.Server("plain", ("127.0.0.1", p_plain))   # greets in clear text
sock = T.tmp("stats.sock")
cfg = """
global
    nbthread 2
    stats socket %(sock)s level admin
defaults
    mode tcp
    timeout connect 2s
    timeout client 800ms
    timeout server 5s
frontend fe
    bind 127.0.0.1:%(f_main)d ssl crt %(rsa)s
    bind 127.0.0.1:%(f_strict)d ssl crt %(rsa)s strict-sni ciphers ECDHE-RSA-AES128-GCM-SHA256
    default_backend be
frontend fe_other
    bind 127.0.0.1:%(f_other)d ssl crt %(rsa)s
    default_backend be
frontend fe_bad
    bind 127.0.0.1:%(f_bad)d
    default_backend be_bad
frontend fe_badcert
    bind 127.0.0.1:%(f_badcert)d
    default_backend be_badcert
backend be
    server s1 127.0.0.1:%(origin)d ssl verify required ca-file %(ca)s sni str(www.example.test)
backend be_bad
    retries 0
    server nottls 127.0.0.1:%(plain)d ssl verify none
backend be_badcert
    retries 0
    server wrongname 127.0.0.1:%(origin)d ssl verify required ca-file %(ca)s sni str(wrong.test)
""" % dict(sock=sock, f_main=f_main, f_strict=f_strict, f_other=f_other,
           f_bad=f_bad, f_badcert=f_badcert, rsa=C.rsa, origin=p_origin, ca=C.ca,
           plain=p_plain)
plan = T.compile_cfg(cfg, "stats_tls.cfg")
run = T.Cfgrun(plan)

REASONS = ["fail_version", "fail_cipher", "fail_cert", "fail_sni",
           "fail_not_tls", "fail_closed", "fail_other"]


def client_ctx(maxv=ssl.TLSVersion.TLSv1_2):
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    c.load_verify_locations(C.ca)
    c.maximum_version = maxv
    return c


def echo_once(port, ctx, session=None, sni="www.example.test"):
    """One TLS client connection: a line through cfgrun to the origin and
    back; returns (session, reused)."""
    with socket.create_connection(("127.0.0.1", port), T.TIMEOUT) as raw:
        with ctx.wrap_socket(raw, server_hostname=sni,
                             session=session) as s:
            s.sendall(b"ping\n")
            got = b""
            while not got.endswith(b"\n"):
                d = s.recv(100)
                if not d:
                    break
                got += d
            T.check(got == b"ping\n", "echo through the TLS frontend")
            return s.session, s.session_reused


def refused(port, ctx, sni="www.example.test"):
    """A TLS client the frontend refuses: True when the handshake failed."""
    with socket.create_connection(("127.0.0.1", port), T.TIMEOUT) as raw:
        try:
            with ctx.wrap_socket(raw, server_hostname=sni):
                return False
        except (ssl.SSLError, OSError):
            return True


def ends(s):
    """Read s until cfgrun closes or resets it (a TLS alert may come
    first): True then; a socket timeout raises."""
    try:
        T.recv_all(s)
    except ConnectionResetError:
        pass
    return True


def ssl_stats():
    """`show ssl stats` as {(pxname, svname): {column: int}}, checking
    its header."""
    lines = [l for l in T.stats_cmd(sock, "show ssl stats").splitlines() if l]
    head = lines[0][2:].split(",")
    T.check(head == ["pxname", "svname", "ssl_sess", "ssl_reused_sess",
                     "ssl_failed_handshake"] + REASONS + ["hs_timeout"],
            "show ssl stats header (%r)" % head)
    out = {}
    for l in lines[1:]:
        f = l.split(",")
        out[(f[0], f[1])] = {k: int(v) for k, v in zip(head[2:], f[2:])}
    return out


def want(row, **expect):
    """row's counters: those named equal, every other one 0."""
    full = dict({k: 0 for k in ["ssl_sess", "ssl_reused_sess",
                                "ssl_failed_handshake", "hs_timeout"]
                 + REASONS}, **expect)
    return row == full


L_MAIN, L_STRICT = "127.0.0.1:%d" % f_main, "127.0.0.1:%d" % f_strict

# -- rows before any traffic: TLS frontends, their listeners, TLS servers
st = ssl_stats()
T.check(sorted(st) == sorted([("fe", "FRONTEND"), ("fe", L_MAIN),
                              ("fe", L_STRICT), ("fe_other", "FRONTEND"),
                              ("fe_other", "127.0.0.1:%d" % f_other),
                              ("be", "s1"), ("be", "BACKEND"),
                              ("be_bad", "nottls"), ("be_bad", "BACKEND"),
                              ("be_badcert", "wrongname"),
                              ("be_badcert", "BACKEND")]),
        "rows: TLS frontends and listeners, TLS servers and backends, "
        "not fe_bad (%r)" % sorted(st))
T.check(all(want(r) for r in st.values()), "all counters 0 at start")

# -- full handshakes, then a resumed TLS 1.2 session
ctx = client_ctx()
sess = None
for i in range(3):
    sess, reused = echo_once(f_main, ctx)
    T.check(not reused, "handshake %d is a full one" % (i + 1))
_, reused = echo_once(f_main, ctx, session=sess)
T.check(reused, "the client resumed its TLS 1.2 session")

# -- failures, each with its reason
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    old.check_hostname = False
    old.verify_mode = ssl.CERT_NONE
    old.set_ciphers("DEFAULT:@SECLEVEL=0")
    old.minimum_version = ssl.TLSVersion.TLSv1
    old.maximum_version = ssl.TLSVersion.TLSv1
T.check(refused(f_main, old), "a TLS 1.0-only client is refused")
with socket.create_connection(("127.0.0.1", f_main), T.TIMEOUT) as s:
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    T.check(ends(s), "plain HTTP on the TLS port: closed")
with socket.create_connection(("127.0.0.1", f_main), T.TIMEOUT) as s:
    pass                                   # closed before its ClientHello
T.check(refused(f_strict, client_ctx(), sni="unknown.test"),
        "strict-sni refuses a name no certificate serves")
_, reused = echo_once(f_strict, ctx)
T.check(not reused, "strict-sni serves its own name")
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    weak = client_ctx()
    weak.set_ciphers("AES256-SHA:@SECLEVEL=0")
T.check(refused(f_strict, weak), "a client without the bind's cipher is "
        "refused")
with socket.create_connection(("127.0.0.1", f_strict), T.TIMEOUT) as s:
    T.check(ends(s), "a silent client is closed at its timeout")

exp_main = dict(ssl_sess=3, ssl_reused_sess=1, ssl_failed_handshake=3,
                fail_version=1, fail_not_tls=1, fail_closed=1)
exp_strict = dict(ssl_sess=1, ssl_failed_handshake=2, fail_sni=1,
                  fail_cipher=1, hs_timeout=1)
exp_fe = {k: exp_main.get(k, 0) + exp_strict.get(k, 0)
          for k in set(exp_main) | set(exp_strict)}
T.check(T.wait_until(lambda: want(ssl_stats()[("fe", L_STRICT)],
                                  **exp_strict)),
        "strict listener: 1 full, 1 refused name, 1 without a common "
        "cipher, 1 timeout (%r)"
        % ssl_stats()[("fe", L_STRICT)])
st = ssl_stats()
T.check(want(st[("fe", L_MAIN)], **exp_main),
        "main listener: 3 full, 1 resumed, failures by reason (%r)"
        % st[("fe", L_MAIN)])
T.check(want(st[("fe", "FRONTEND")], **exp_fe),
        "the frontend sums its listeners (%r)" % st[("fe", "FRONTEND")])
T.check(want(st[("fe_other", "FRONTEND")]), "the other frontend counts "
        "nothing (%r)" % st[("fe_other", "FRONTEND")])

# -- server side: 5 connections reached s1, resumed after the first
s1 = st[("be", "s1")]
T.check(s1["ssl_sess"] >= 1 and s1["ssl_reused_sess"] >= 1
        and s1["ssl_sess"] + s1["ssl_reused_sess"] == 5
        and s1["ssl_failed_handshake"] == 0,
        "s1: 5 handshakes, full then resumed (%r)" % s1)
T.check(st[("be", "BACKEND")] == s1, "the backend counts as its server")

# -- a server that does not speak TLS
for _ in range(2):
    with socket.create_connection(("127.0.0.1", f_bad), T.TIMEOUT) as s:
        T.recv_all(s)
st = ssl_stats()
bad = st[("be_bad", "nottls")]
T.check(bad["ssl_failed_handshake"] == 2 and bad["fail_not_tls"] +
        bad["fail_closed"] + bad["fail_other"] == 2 and bad["ssl_sess"] == 0,
        "2 failed handshakes with a server that speaks no TLS (%r)" % bad)
T.check(bad["fail_not_tls"] == 2, "counted as not TLS (%r)" % bad)
T.check(st[("be_bad", "BACKEND")] == bad, "its backend counts them too")
with socket.create_connection(("127.0.0.1", f_badcert), T.TIMEOUT) as s:
    T.recv_all(s)
T.check(want(ssl_stats()[("be_badcert", "wrongname")], ssl_failed_handshake=1,
             fail_cert=1),
        "a server certificate refused (wrong name): fail_cert (%r)"
        % ssl_stats()[("be_badcert", "wrongname")])

# -- show stat: HAProxy 2.6's layout, "-" then the ssl columns
lines = T.stats_cmd(sock, "show stat").splitlines()
head = lines[0][2:].rstrip(",").split(",")
i = head.index("agg_check_status")
T.check(head[i + 1:i + 5] == ["-", "ssl_sess", "ssl_reused_sess",
                              "ssl_failed_handshake"] and i == 102,
        "CSV: '-' at 103, then the ssl module's columns (%r)"
        % head[i:i + 5])
rows = T.stat_rows(sock)
for key, exp in [(("fe", "FRONTEND"), st[("fe", "FRONTEND")]),
                 (("be", "s1"), s1), (("be", "BACKEND"), s1),
                 (("be_bad", "nottls"), bad)]:
    r = rows[key]
    T.check(r["-"] == "-" and
            (r["ssl_sess"], r["ssl_reused_sess"], r["ssl_failed_handshake"])
            == (str(exp["ssl_sess"]), str(exp["ssl_reused_sess"]),
                str(exp["ssl_failed_handshake"])),
            "show stat %s/%s agrees with show ssl stats" % key)
T.check(rows[("fe_bad", "FRONTEND")]["ssl_sess"] == "0",
        "a plain frontend shows 0, as HAProxy does")
typed = T.stats_cmd(sock, "show stat typed")
T.check("F.1.0.103.ssl_sess.1:MCP:u64:%d\n" % exp_fe["ssl_sess"] in typed
        and "F.1.0.104.ssl_reused_sess.1:MCP:u64:1\n" in typed
        and "F.1.0.105.ssl_failed_handshake.1:MCP:u64:%d\n"
        % exp_fe["ssl_failed_handshake"] in typed,
        "typed: positions 103-105 as HAProxy 2.6 numbers them")
js = json.loads(T.stats_cmd(sock, "show stat json"))
got = {(f["objType"], f["proxyId"], f["id"]): f["value"]["value"]
       for row in js for f in row if f["field"]["name"] == "ssl_sess"
       and f["field"]["pos"] == 103}
T.check(got.get(("Server", int(rows[("be", "s1")]["iid"]), 1))
        == s1["ssl_sess"],
        "json: ssl_sess of s1 at position 103 (%r)" % got)

info = dict(l.split(": ", 1) for l in
            T.stats_cmd(sock, "show info").splitlines() if ": " in l)
T.check((info["SslBackendFullHandshakes"],
         info["SslBackendResumedHandshakes"],
         info["SslBackendFailedHandshakes"])
        == (str(s1["ssl_sess"]), str(s1["ssl_reused_sess"]), "3"),
        "show info's backend handshakes are the backends' sums")

# -- show info's process-wide figures, HAProxy's names: 11 client TLS
# connections on fe, 8 to TLS servers, none open once all ended
def info():
    return dict(l.split(": ", 1) for l in
                T.stats_cmd(sock, "show info").splitlines() if ": " in l)


T.check(T.wait_until(lambda: info()["CurrSslConns"] == "0"),
        "CurrSslConns back to 0 (%s)" % info()["CurrSslConns"])
i = info()
T.check(i["CumSslConns"] == "19", "CumSslConns: 11 accepted, 8 to servers "
        "(%s)" % i["CumSslConns"])
T.check(int(i["MaxSslRate"]) >= 1 and int(i["SslFrontendMaxKeyRate"]) >= 1
        and int(i["SslBackendMaxKeyRate"]) >= 1,
        "max TLS accept and key rates seen (%s/%s/%s)"
        % (i["MaxSslRate"], i["SslFrontendMaxKeyRate"],
           i["SslBackendMaxKeyRate"]))


def resumed_share():
    """One more resumed client, then the reuse share of the last second."""
    _, reused = echo_once(f_main, ctx, session=sess)
    return reused and int(info()["SslFrontendSessionReuse_pct"]) > 0


T.check(T.wait_until(resumed_share), "SslFrontendSessionReuse_pct above 0 "
        "after resumed sessions")
s1 = ssl_stats()[("be", "s1")]

# -- a reload keeps the unchanged server's counters
T.check(run.reload(), "reload")
T.check(ssl_stats()[("be", "s1")] == s1, "s1 keeps its TLS counters")
echo_once(f_main, ctx)
s1b = ssl_stats()[("be", "s1")]
T.check(s1b["ssl_sess"] + s1b["ssl_reused_sess"]
        == s1["ssl_sess"] + s1["ssl_reused_sess"] + 1,
        "and counts on (%r)" % s1b)

# -- many handshakes at once on both threads: none lost
NCLI, NEACH = 8, 20
errors = []


def burst():
    try:
        for _ in range(NEACH):
            echo_once(f_other, client_ctx())
    except (OSError, ssl.SSLError) as e:
        errors.append(e)


workers = [threading.Thread(target=burst) for _ in range(NCLI)]
for w in workers:
    w.start()
for w in workers:
    w.join(4 * T.TIMEOUT)
T.check(not errors and not any(w.is_alive() for w in workers),
        "%d clients x %d TLS connections done (%r)" % (NCLI, NEACH, errors[:1]))
st = ssl_stats()
T.check(want(st[("fe_other", "FRONTEND")], ssl_sess=NCLI * NEACH) and
        want(st[("fe_other", "127.0.0.1:%d" % f_other)],
             ssl_sess=NCLI * NEACH),
        "%d full handshakes counted, none lost (%r)"
        % (NCLI * NEACH, st[("fe_other", "FRONTEND")]))

T.check("show ssl stats" in T.stats_cmd(sock, "help"), "listed by help")
rc, _ = run.stop()
T.check(rc == 0, "cfgrun exits cleanly")

# -- an answer larger than the socket's 64 kB of output is streamed whole
NBIG = 2500
sock2 = T.tmp("big.sock")
big = ("global\n    stats socket %s\ndefaults\n    mode tcp\n"
       "    timeout connect 1s\n    timeout client 1s\n"
       "    timeout server 1s\nbackend many\n" % sock2
       + "".join("    server tls-server-number-%05d 127.0.0.1:%d ssl verify "
                 "none\n" % (k, p_plain) for k in range(NBIG)))
run2 = T.Cfgrun(T.compile_cfg(big, "big.cfg"))
ans = T.stats_cmd(sock2, "show ssl stats")
rows = [l for l in ans.split("\n")[1:] if l]
T.check(len(ans) > 64 << 10 and ans.endswith("0\n\n") and
        len(rows) == NBIG + 1 and rows[-1].startswith("many,BACKEND,")
        and rows[NBIG // 2].startswith("many,tls-server-number-%05d,"
                                       % (NBIG // 2)),
        "%d TLS servers: %d bytes, every row, in order (%d rows)"
        % (NBIG, len(ans), len(rows)))
run2.stop()
T.done()
