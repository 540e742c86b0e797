#!/usr/bin/python3
"""Stats socket `show servers conn [<backend>]` on two threads, in HAProxy
2.6's layout: the header with one idle_per_thr column per thread, one
line per server; connections held through a TCP backend count in
used_cur; an HTTP server connection kept for its client's next request
is an unsafe idle one, and once the client has gone and it is parked for
any request a safe one, the per-thread columns adding up to idle_cur."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

f_tcp, f_http, p1, p2, p3 = T.free_ports(5)
tsrv = [T.Server("a", ("127.0.0.1", p1)), T.Server("b", ("127.0.0.1", p2))]
origin = H.Origin(("127.0.0.1", p3), lambda req: H.ok(b"hello"))
sock = T.tmp("user.sock")
plan = T.compile_cfg("""
global
    nbthread 2
    stats socket %(sock)s level user
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend tcpfe
    mode tcp
    bind 127.0.0.1:%(f_tcp)d
    default_backend tcpbe
backend tcpbe
    mode tcp
    balance roundrobin
    server a 127.0.0.1:%(p1)d
    server b 127.0.0.1:%(p2)d
listen web
    mode http
    bind 127.0.0.1:%(f_http)d
    server w 127.0.0.1:%(p3)d
""" % locals())
run = T.Cfgrun(plan)

HEAD = ("# bkname/svname bkid/svid addr port - purge_delay used_cur used_max "
        "need_est unsafe_nb safe_nb idle_lim idle_cur idle_per_thr[2]")
COLS = ["name", "ids", "addr", "port", "dash", "purge", "used_cur",
        "used_max", "need_est", "unsafe", "safe", "idle_lim", "idle_cur",
        "thr0", "thr1"]


def conn(backend=""):
    """{server: {column: value}} of show servers conn, and the text."""
    ans = T.stats_cmd(sock, ("show servers conn " + backend).strip())
    lines = ans.split("\n")
    rows = {}
    for l in lines[1:]:
        if l:
            f = l.split(" ")
            if len(f) != len(COLS):
                raise AssertionError("a line of %d fields: %r" % (len(f), l))
            rows[f[0]] = dict(zip(COLS, f))
    return rows, ans


rows, ans = conn()
T.check(ans.split("\n")[0] == HEAD, "HAProxy 2.6's header (%r)" % ans.split("\n")[0])
T.check(ans.endswith("\n\n"), "the answer ends with an empty line")
T.check(sorted(rows) == ["tcpbe/a", "tcpbe/b", "web/w"], "one line per server")
a = rows["tcpbe/a"]
T.check(a["ids"] == "2/1" and a["addr"] == "127.0.0.1" and a["port"] == str(p1)
        and a["dash"] == "-" and a["purge"] == "5000" and a["idle_lim"] == "-1",
        "ids, address, port, purge delay, no idle limit (%r)" % a)
T.check(all(r["used_cur"] == "0" and r["idle_cur"] == "0" for r in rows.values()),
        "nothing in use or idle at first")

held = [T.hold(("127.0.0.1", f_tcp))[0] for _ in range(4)]
rows, _ = conn("tcpbe")
T.check(sorted(rows) == ["tcpbe/a", "tcpbe/b"], "a backend's servers only")
T.check(rows["tcpbe/a"]["used_cur"] == "2" and rows["tcpbe/b"]["used_cur"] == "2",
        "two connections in use on each TCP server (%r)" % rows)
for s in held:
    s.close()
T.check(T.wait_until(lambda: conn("tcpbe")[0]["tcpbe/a"]["used_cur"] == "0"),
        "none once the clients left")


def web():
    w = conn("web")[0]["web/w"]
    per = int(w["thr0"]) + int(w["thr1"])
    return (int(w["unsafe"]), int(w["safe"]), int(w["idle_cur"]), per)


c = H.connect(f_http)
c.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
st, _, body = H.recv_response(c)
T.check(st == 200 and body == b"hello", "an HTTP request answered")
T.check(T.wait_until(lambda: web() == (1, 0, 1, 1)),
        "kept for the client's next request: one unsafe idle (%r)" % (web(),))
c.close()
T.check(T.wait_until(lambda: web() == (0, 1, 1, 1)),
        "the client gone, parked for any request: one safe idle (%r)" % (web(),))
T.check(T.stats_cmd(sock, "show servers conn nosuch") == "Can't find backend.\n\n",
        "an unknown backend: HAProxy's answer")
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
