#!/usr/bin/python3
"""Stick tables on real sockets: the rate-limiting recipes real
configurations use. A source above N requests per period is answered 429
from exactly the (N+1)th request, and served again once the sliding
window has let the rate fall; a gpc0 flag set by one request blocks the
next ones; tcp-request connection track-sc0 with a conn_cur limit rejects
the connection above it in TCP mode and accepts again once one closes;
`show table`, `set table` and `clear table` on the stats socket with
HAProxy's output format; entries kept across a reload when the table's
definition is unchanged, dropped when it changed."""
import os
import re
import signal
import socket
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

rl, rs, flag, tcp, app_p, echo_p = (T.free_port() for _ in range(6))
sock = T.tmp("stats.sock")
app = H.Origin(("127.0.0.1", app_p), lambda r: H.ok(b"app"))
echo = T.Server("e1", ("127.0.0.1", echo_p))

CFG = """
global
    stats socket %(sock)s level admin
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend ratelimit
    bind 127.0.0.1:%(rl)d
    stick-table type ip size 100k expire 30s store http_req_rate(10s),http_req_cnt
    http-request track-sc0 src
    http-request deny deny_status 429 if { sc0_http_req_rate gt 5 }
    default_backend app
frontend shortrate
    bind 127.0.0.1:%(rs)d
    http-request track-sc1 src table short
    http-request deny deny_status 429 if { sc1_http_req_rate(short) gt 3 }
    default_backend app
backend short
    stick-table type ip size 1k expire %(short_exp)s store http_req_rate(1s)
frontend flagging
    bind 127.0.0.1:%(flag)d
    stick-table type ip size 1k expire 1m store gpc0
    http-request track-sc0 src
    http-request sc-inc-gpc0(0) if { path /trap }
    http-request deny if { sc0_get_gpc0 gt 0 }
    default_backend app
frontend tcpconn
    mode tcp
    bind 127.0.0.1:%(tcp)d
    stick-table type ip size 1k expire 1m store conn_cur,conn_cnt,conn_rate(10s)
    tcp-request connection track-sc0 src
    tcp-request connection reject if { sc0_conn_cur gt 2 }
    default_backend echo
backend echo
    mode tcp
    server e1 127.0.0.1:%(echo_p)d
backend app
    server s1 127.0.0.1:%(app_p)d
"""
short_exp = "30s"
plan = T.compile_cfg(CFG % locals(), out=T.tmp("stick.plan"))
run = T.Cfgrun(plan)


def cli(cmd):
    return T.stats_cmd(sock, cmd)


def status(port, path="/"):
    c = H.connect(port)
    c.sendall(b"GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
              % path.encode())
    code, _, _ = H.recv_response(c)
    c.close()
    return code


def entry(table, field):
    """The value of `field` in table's entry for 127.0.0.1, or None."""
    m = re.search(r"key=127\.0\.0\.1 .*\b%s=(\d+)" % re.escape(field),
                  cli("show table %s" % table))
    return int(m.group(1)) if m else None


# 1. rate limit: the 6th request within the 10 s period is the first 429
t0 = time.monotonic()
codes = [status(rl) for _ in range(8)]
took = time.monotonic() - t0
T.check(took < 5, "eight requests well inside the 10 s period (%.1fs)" % took)
T.check(codes == [200] * 5 + [429] * 3,
        "over 5 requests per 10s: exactly the 6th and later are 429 (%s)" % codes)
T.check(len(app.requests) == 5, "denied requests never reached the server")
T.check(entry("ratelimit", "http_req_cnt") == 8,
        "every request, denied or not, counted in http_req_cnt")

# show table: HAProxy's header and entry line
out = cli("show table ratelimit")
lines = out.split("\n")
T.check(re.match(r"^# table: ratelimit, type: ip, size:102400, used:1$",
                 lines[0]) is not None, "show table header (%r)" % lines[0])
T.check(re.match(r"^0x[0-9a-f]+: key=127\.0\.0\.1 use=0 exp=\d+ "
                 r"http_req_cnt=8 http_req_rate\(10000\)=8$", lines[1])
        is not None, "show table entry line (%r)" % lines[1])
T.check(out.endswith("\n\n"), "the answer ends with an empty line")
summary = cli("show table")
T.check("# table: ratelimit, type: ip, size:102400, used:1\n" in summary and
        "# table: short, type: ip, size:1024, used:0\n" in summary,
        "show table lists every table (%r)" % summary)

# 2. a 1 s window: 4th request denied, served again once the rate fell
codes = [status(rs) for _ in range(4)]
T.check(codes == [200, 200, 200, 429], "1s window: the 4th is 429 (%s)" % codes)
t1 = time.monotonic()
T.check(T.wait_until(lambda: (entry("short", "http_req_rate(1000)") or 0) <= 2,
                     timeout=4.0),
        "the sliding window lets the rate fall below the limit")
waited = time.monotonic() - t1
T.check(0.2 < waited < 2.5, "the rate fell within about one period (%.2fs)" % waited)
T.check(status(rs) == 200, "served again below the rate")

# 3. gpc0 flag: one request sets it, the next ones are refused
T.check(status(flag, "/a") == 200, "not flagged yet")
T.check(status(flag, "/trap") == 403, "the flagging request itself is denied")
T.check(status(flag, "/b") == 403, "flagged: later requests denied")
T.check(entry("flagging", "gpc0") == 1, "gpc0 is 1 in the table")
T.check(cli("clear table flagging") == "\n", "clear table answers an empty line")
T.check(status(flag, "/c") == 200, "cleared: served again")

# set table on the stats socket, then the rule sees it
T.check(cli("set table flagging key 127.0.0.1 data.gpc0 5") == "\n",
        "set table answers an empty line")
T.check(status(flag, "/d") == 403, "a gpc0 set by the stats socket blocks")
T.check("No such table" in cli("show table nosuch"), "unknown table refused")
T.check("not stored" in cli("set table flagging key 127.0.0.1 data.conn_cur 1"),
        "a data type the table does not store is refused")

# 4. TCP: at most 2 concurrent connections per source
held = [T.hold(("127.0.0.1", tcp)) for _ in range(2)]
T.check([n for _, n in held] == ["e1", "e1"], "two connections served")
T.check(T.wait_until(lambda: entry("tcpconn", "conn_cur") == 2),
        "conn_cur counts the two held connections")
try:
    third, name = T.hold(("127.0.0.1", tcp))
except ConnectionResetError:
    name = None      # reset before connect() returned: rejected as well
T.check(name is None, "the third concurrent connection is rejected")
T.check(entry("tcpconn", "conn_cnt") == 3, "the rejected one counted in conn_cnt")
held[0][0].close()
T.check(T.wait_until(lambda: entry("tcpconn", "conn_cur") == 1),
        "conn_cur falls when a connection closes")
s, name = T.hold(("127.0.0.1", tcp))
T.check(name == "e1", "accepted again below the limit")
s.close()
held[1][0].close()

# 5. reload: same definition keeps the entries, a changed one drops them
cli("set table short key 10.9.8.7 data.http_req_rate 1")
before = entry("ratelimit", "http_req_cnt")
short_exp = "20s"
T.compile_cfg(CFG % locals(), out=plan)
run.proc.send_signal(signal.SIGHUP)
run.wait_for(r"reloaded plan [0-9a-f]{64} \(generation 2")
T.check(entry("ratelimit", "http_req_cnt") == before,
        "an unchanged table keeps its entries across a reload")
T.check("10.9.8.7" not in cli("show table short"),
        "a table whose definition changed starts empty")
T.check(status(rl) == 429, "the rate limit still applies after the reload")

rc, _ = run.stop()
T.check(rc == 0, "cfgrun stops cleanly")
T.done()
