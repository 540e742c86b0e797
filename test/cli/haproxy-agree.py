#!/usr/bin/env python3
"""haproxy-agree.py: statements HAProxy 3.5 accepts that cfgc must accept
(issue 10's false errors) and statements it refuses that cfgc must refuse,
each run through the real cfgc binary with an empty environment.

  haproxy-agree.py CFGC

Each case is a configuration body (a defaults section with timeouts is put
in front), the target, the exit status expected, and texts the diagnostics
must contain or must not contain. Prints one line per case; exit 1 when one
fails.
"""
import os
import subprocess
import sys
import tempfile

DEFAULTS = """defaults
    mode tcp
    timeout connect 5s
    timeout client 30s
    timeout server 30s
"""

# name, configuration, target, expected exit, must contain, must not contain
CASES = [
    ("unquoted ${VAR} in bind, server and log addresses (setenv)",
     """global
    setenv PORT 18080
    setenv S1_ADDR 127.0.0.1
    setenv S1_PORT 9000
    setenv LOGHOST 127.0.0.1
    log ${LOGHOST}:514 local0
frontend fe
    bind 127.0.0.1:${PORT}
    default_backend be
backend be
    server s1 ${S1_ADDR}:${S1_PORT}
""", "haproxy", 0, [], ["error", "warning"]),
    ("unquoted ${VAR} compiles for cfgrun too",
     """global
    setenv PORT 18080
frontend fe
    bind 127.0.0.1:${PORT}
    default_backend be
backend be
    server s1 127.0.0.1:$PORT
""", "cfgrun", 0, [], ["error", "warning"]),
    ("an address whose variable is not set is empty: located error",
     """frontend fe
    bind ${NOT_SET_ANYWHERE}
    default_backend be
backend be
    server s1 127.0.0.1:9000
""", "haproxy", 1, ["t.cfg:7:10: error[invalid-address]",
                    "empty address"], []),
    ("a variable expanded to a bad address names the expansion",
     """global
    setenv P 99999
frontend fe
    bind 127.0.0.1:${P}
    default_backend be
backend be
    server s1 127.0.0.1:9000
""", "haproxy", 1, ["error[invalid-address]", "'127.0.0.1:99999'"], []),
    ("errorfile 503 /dev/null (a character device)",
     """backend be
    mode http
    errorfile 503 /dev/null
    server s1 127.0.0.1:9000
""", "haproxy", 0, [], ["error"]),
    ("has_ctl(any) and has_ctl(http): named converter arguments",
     """frontend fe
    mode http
    bind 127.0.0.1:18081
    http-request deny if { req.hdr(x),has_ctl(any) }
    http-request deny if { req.hdr(y),has_ctl(http) }
    http-request deny if { req.hdr(z),has_ctl(0x2401) }
    default_backend be
backend be
    mode http
    server s1 127.0.0.1:9000
""", "haproxy", 0, [], ["error"]),
    ("has_ctl(foo) is still refused",
     """frontend fe
    mode http
    bind 127.0.0.1:18081
    http-request deny if { req.hdr(x),has_ctl(foo) }
    default_backend be
backend be
    mode http
    server s1 127.0.0.1:9000
""", "haproxy", 1, ["error[invalid-argument]", "'foo'"], []),
    ("tcp-check expect !rstring (negation glued to the match)",
     """backend be
    option tcp-check
    tcp-check connect
    tcp-check expect !rstring ^ERR
    tcp-check expect ! string OK
    server s1 127.0.0.1:9000 check
""", "cfgrun", 0, [], ["error"]),
    ("set-proxy-v2-tlv-fmt(ID) is a known server option",
     """backend be
    server s1 127.0.0.1:9000 send-proxy-v2 set-proxy-v2-tlv-fmt(0xE1) %[fc_pp_tlv(0xE1)]
""", "haproxy", 0, [], ["error", "unknown"]),
    ("set-proxy-v2-tlv-fmt(ID) under cfgrun: unsupported, not unknown",
     """backend be
    server s1 127.0.0.1:9000 set-proxy-v2-tlv-fmt(0xE1) %[fc_pp_tlv(0xE1)]
""", "cfgrun", 1, ["error[unsupported]: 'set-proxy-v2-tlv-fmt(0xE1)'"],
     ["unknown"]),
    ("timeout client 15min: a warning, read as 15m, no missing timeout",
     """frontend fe
    timeout client 15min
    bind 127.0.0.1:18082
    default_backend be
backend be
    server s1 127.0.0.1:9000
""", "haproxy", 0, ["t.cfg:7:23: warning[lenient-time]", "as '15m'",
                    "ignores 'in'"], ["error", "missing-timeouts"]),
    ("5hr and 10sec in server and stick-table times: warnings too",
     """backend be
    stick-table type ip size 1k expire 5hr
    server s1 127.0.0.1:9000 check inter 10sec
""", "haproxy", 0, ["warning[lenient-time]: 'stick-table expire'",
                    "warning[lenient-time]: 'inter'"], ["error"]),
    ("a time with no valid unit is still an error (30M, 1.5s)",
     """backend be
    timeout server 30M
    server s1 127.0.0.1:9000
""", "haproxy", 1, ["error[invalid-time]"], []),
    ("master-worker in global: removed in 3.5",
     """global
    master-worker
backend be
    server s1 127.0.0.1:9000
""", "haproxy", 1, ["t.cfg:2:5: error[removed-keyword]: 'master-worker'"],
     []),
    ("master-worker no-exit-on-failure stays valid",
     """global
    master-worker no-exit-on-failure
backend be
    server s1 127.0.0.1:9000
""", "haproxy", 0, [], ["error"]),
    ("option httpchk with headers glued after the version",
     """backend be
    option httpchk HEAD / HTTP/1.1\\r\\nHost:\\ x
    server s1 127.0.0.1:9000 check
""", "haproxy", 1, ["t.cfg:7:27: error[invalid-value]: 'option httpchk'"],
     []),
    ("words HAProxy ignores: balance extras, a dangling if after balance "
     "and option, lenient numbers (check port, log len), a second global "
     "maxconn (HAProxy reads only the first)",
     """global
    maxconn 100
    maxconn abc
    log 127.0.0.1:514 len 2048g local0
backend be
    balance roundrobin extra
    option redispatch if
    server s1 127.0.0.1:9000 check port 99999
backend be2
    balance leastconn if
    server s1 127.0.0.1:9000
""", "haproxy", 0, ["warning[lenient-number]", "warning[ignored]"],
     ["error"]),
    ("in a log backend, balance takes only roundrobin, random, sticky, "
     "log-hash",
     """backend lb
    mode log
    balance source
    server s1 udp@127.0.0.1:514
""", "haproxy", 1, ["t.cfg:8:5: error[invalid-value]: 'balance source'"],
     []),
    ("a log backend with balance sticky is fine",
     """backend lb
    mode log
    balance sticky
    server s1 udp@127.0.0.1:514
""", "haproxy", 0, [], ["error"]),
    ('balance uri depth -1',
     'backend be\n    mode http\n    balance uri depth -1\n    server s1 127.0.0.1:9000\n',
     "haproxy", 1, ['t.cfg:8:17: error[invalid-value]'], []),
    ('balance uri foo',
     'backend be\n    mode http\n    balance uri foo\n    server s1 127.0.0.1:9000\n',
     "haproxy", 1, ['t.cfg:8:17: error[invalid-value]'], []),
    ('balance hash with an unknown fetch',
     'backend be\n    balance hash nosuch_fetch\n    server s1 127.0.0.1:9000\n',
     "haproxy", 1, ['t.cfg:7:18: error[unknown-fetch]'], []),
    ('balance hash with no expression',
     'backend be\n    balance hash\n    server s1 127.0.0.1:9000\n',
     "haproxy", 1, ['t.cfg:7:13: error[missing-argument]'], []),
    ('balance url_param with no name',
     'backend be\n    mode http\n    balance url_param\n    server s1 127.0.0.1:9000\n',
     "haproxy", 1, ['t.cfg:8:13: error[missing-argument]'], []),
    ('balance log-hash with no converters',
     'backend be\n    balance log-hash\n    server s1 127.0.0.1:9000\n',
     "haproxy", 1, ['t.cfg:7:13: error[missing-argument]'], []),
    ('balance rdp-cookie()',
     'backend be\n    balance rdp-cookie()\n    server s1 127.0.0.1:9000\n',
     "haproxy", 1, ['t.cfg:7:13: error[missing-argument]'], []),
    ('hash-type consistent xxh3',
     'backend be\n    hash-type consistent xxh3\n    server s1 127.0.0.1:9000\n',
     "haproxy", 1, ['t.cfg:7:26: error[invalid-value]'], []),
    ('hash-type map-based avalanche (a modifier where the function goes)',
     'backend be\n    hash-type map-based avalanche\n    server s1 127.0.0.1:9000\n',
     "haproxy", 1, ['t.cfg:7:25: error[invalid-value]'], []),
    ("balance and hash-type arguments HAProxy accepts",
     """backend be
    mode http
    balance uri depth 3 len 10 whole
    hash-type consistent djb2 avalanche
    server s1 127.0.0.1:9000
backend be2
    balance hash req.hdr(host),lower
    hash-type map-based none
    server s1 127.0.0.1:9000
backend be3
    mode http
    balance url_param userid check_post
    server s1 127.0.0.1:9000
backend be4
    mode http
    balance rdp-cookie(mstshash)
    server s1 127.0.0.1:9000
""", "haproxy", 0, [], ["error"]),
    ("balance hash with an unknown fetch in defaults every backend overrides",
     """defaults
    balance hash nosuch_fetch
backend be
    balance roundrobin
    server s1 127.0.0.1:9000
""", "haproxy", 0, [], ["error"]),
    ("stick-table: an unknown argument ('size 64 k')",
     'backend be\n    stick-table type ip size 64 k\n',
     "haproxy", 1, ['t.cfg:7:33: error[invalid-value]'], []),
    ('stick-table: len on an integer table',
     'backend be\n    stick-table type integer len 8 size 100k\n',
     "haproxy", 1, ['t.cfg:7:30: error[invalid-value]'], []),
    ('stick-table: size 0',
     'backend be\n    stick-table type ip size 0\n',
     "haproxy", 1, ['t.cfg:7:5: error[missing-argument]'], []),
    ('stick-table: unknown store type',
     'backend be\n    stick-table type ip size 1k store conn_cnt,nosuch\n',
     "haproxy", 1, ['t.cfg:7:39: error[invalid-value]'], []),
    ('stick-table: a rate without its period',
     'backend be\n    stick-table type ip size 1k store http_req_rate\n',
     "haproxy", 1, ["error[missing-argument]: 'stick-table store http_req_rate'"], []),
    ('stick-table: a bad period',
     'backend be\n    stick-table type ip size 1k store conn_rate(10S)\n',
     "haproxy", 1, ['error[invalid-time]'], []),
    ('stick-table: gpc(0) out of range',
     'backend be\n    stick-table type ip size 1k store gpc(0)\n',
     "haproxy", 1, ['error[out-of-range]'], []),
    ('stick-table: gpc() with gpc0',
     'backend be\n    stick-table type ip size 1k store gpc(2),gpc0\n',
     "haproxy", 1, ['error[invalid-value]'], []),
    ('stick-table: srvkey foo',
     'backend be\n    stick-table type ip size 1k srvkey foo\n',
     "haproxy", 1, ['error[invalid-value]'], []),
    ('stick-table: write-to a table nobody declares',
     'backend be\n    stick-table type ip size 1k write-to missing_tbl\n',
     "haproxy", 1, ['error[unknown-table]'], []),
    ("stick-table arguments HAProxy accepts (and a trailing 'store')",
     """backend be
    stick-table type string len 64 size 1m expire 30m nopurge srvkey addr store conn_cur,conn_rate(10s),gpc(2),gpc_rate(2,1m),gpt(3) store
backend be2
    stick-table type ipv6 size 100k store http_req_rate(10s) store gpc0,gpc1_rate(1m) write-to be
""", "haproxy", 0, [], ["error"]),
    ('bind nice -1025',
     'frontend fe\n    bind 127.0.0.1:18090 nice -1025\n    default_backend be\nbackend be\n    server s1 127.0.0.1:9000\n',
     "haproxy", 1, ['t.cfg:7:31: error[out-of-range]'], []),
    ('bind id 0',
     'frontend fe\n    bind 127.0.0.1:18090 id 0\n    default_backend be\nbackend be\n    server s1 127.0.0.1:9000\n',
     "haproxy", 1, ['t.cfg:7:29: error[out-of-range]'], []),
    ('bind shards foo',
     'frontend fe\n    bind 127.0.0.1:18090 shards foo\n    default_backend be\nbackend be\n    server s1 127.0.0.1:9000\n',
     "haproxy", 1, ['error[out-of-range]'], []),
    ('bind maxconn 2147483648 (an int in HAProxy: negative)',
     'frontend fe\n    bind 127.0.0.1:18090 maxconn 2147483648\n    default_backend be\nbackend be\n    server s1 127.0.0.1:9000\n',
     "haproxy", 1, ['error[out-of-range]'], []),
    ('server id -1',
     'backend be\n    server s1 127.0.0.1:9000 id -1\n',
     "haproxy", 1, ['error[out-of-range]'], []),
    ('spread-checks 51',
     'global\n    spread-checks 51\nbackend be\n    server s1 127.0.0.1:9000\n',
     "haproxy", 1, ['t.cfg:2:19: error[out-of-range]'], []),
    ('stats maxconn 0 in global',
     'global\n    stats maxconn 0\nbackend be\n    server s1 127.0.0.1:9000\n',
     "haproxy", 1, ['t.cfg:2:19: error[out-of-range]'], []),
    ("bind and server numbers HAProxy accepts",
     """global
    spread-checks 50
frontend fe
    bind 127.0.0.1:18091 nice -1024 id 3 shards by-thread maxconn 99999999999
    default_backend be
backend be
    server s1 127.0.0.1:9000 id 4294967295
""", "haproxy", 0, [], ["error"]),
    ("a request header read in an http-response condition: a warning "
     "(never matches), as HAProxy",
     """backend be
    mode http
    http-response deny if { req.hdr(host) -m beg /x }
    server s1 127.0.0.1:9000
""", "haproxy", 0, ["warning[fetch-context]"], ["error"]),
    ("deprecated option names and odd status codes: warnings, as HAProxy",
     """backend be
    mode http
    option accept-invalid-http-request
    option httpchk GET /
    http-check expect status 1
    server s1 127.0.0.1:9000 check
""", "haproxy", 0, ["warning[deprecated]", "warning[out-of-range]"],
     ["error"]),
    ("HAProxy's own variables are defined (HAPROXY_BRANCH); an unreadable "
     "version is older than ours",
     """global
    maxconn 100
.if !defined(HAPROXY_BRANCH) || !streq("$HAPROXY_BRANCH",3.5)
    this is not a keyword
.endif
.if version_atleast(abc)
backend be
    server s1 127.0.0.1:9000
.endif
""", "haproxy", 0, [], ["error", "warning"]),
]


def run(cfgc, text, target, args=()):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "t.cfg")
        with open(path, "w") as f:
            f.write(text)
        p = subprocess.run([cfgc, "-c", "--target=" + target, *args, "t.cfg"],
                           cwd=d, env={"PATH": "/usr/bin:/bin"},
                           capture_output=True, text=True, timeout=60)
        return p.returncode, p.stderr


def check_setenv_chain(cfgc):
    """setenv A "${A}${A}" on 40 lines doubles A each time: the line that
    would take it past 1 MiB is a located error, in bounded memory (the
    run is limited to 512 MiB of address space) and time."""
    import resource

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20))

    # AddressSanitizer reserves terabytes of address space for its shadow
    # memory and cannot start under RLIMIT_AS: a sanitized cfgc (scripts/
    # asan.sh) is bounded by the timeout only (the plain build checks the
    # memory bound).
    with open(cfgc, "rb") as f:
        if b"__asan_init" in f.read():
            limit = None

    text = "global\n    setenv A x\n" + \
        '    setenv A "${A}${A}"\n' * 40 + DEFAULTS + \
        "backend be\n    server s1 127.0.0.1:9000\n"
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "t.cfg"), "w") as f:
            f.write(text)
        p = subprocess.run([cfgc, "-c", "--target=haproxy", "t.cfg"], cwd=d,
                           env={"PATH": "/usr/bin:/bin"}, capture_output=True,
                           text=True, timeout=60, preexec_fn=limit)
    # line 2 sets 1 byte, line 2 + k makes 2^k bytes: at line 22 (k = 20)
    # the words would pass 1 MiB (2^20 plus "setenv" and "A")
    ok = p.returncode == 1 and \
        "t.cfg:22:19: error[line-too-long]" in p.stderr
    print("%s: chained setenv is bounded: an error at line 22 (exit %d)" % (
        "ok" if ok else "FAIL", p.returncode))
    if not ok:
        print("    " + p.stderr[:2000].replace("\n", "\n    "))
    return 0 if ok else 1


def check_cond(cfgc):
    """-cc: an expression starting with '-' is the condition."""
    fails = 0
    for expr, want in (("-1000 && 200", 0), ("-1 && 0", 1), ("0", 1)):
        p = subprocess.run([cfgc, "-cc", expr], capture_output=True,
                           text=True, timeout=60)
        ok = p.returncode == want
        fails += not ok
        print("%s: cfgc -cc '%s' exits %d (got %d: %s)" % (
            "ok" if ok else "FAIL", expr, want, p.returncode,
            p.stderr.strip()))
    return fails


def main():
    cfgc = os.path.abspath(sys.argv[1])
    fails = check_cond(cfgc) + check_setenv_chain(cfgc)
    for name, body, target, want, has, hasnot in CASES:
        # a global section stays first, the defaults go after it
        lines = body.split("\n")
        n = 0
        if lines[0] == "global":
            n = 1
            while lines[n].startswith("    "):
                n += 1
        text = "".join(l + "\n" for l in lines[:n]) + DEFAULTS + \
            "\n".join(lines[n:])
        rc, err = run(cfgc, text, target)
        why = []
        if rc != want:
            why.append("exit %d, expected %d" % (rc, want))
        why += ["missing %r" % h for h in has if h not in err]
        why += ["unexpected %r" % h for h in hasnot if h in err]
        print("%s: %s (--target=%s)" % ("FAIL" if why else "ok", name, target))
        if why:
            fails += 1
            print("    " + "; ".join(why))
            print("    " + err.replace("\n", "\n    "))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
