#!/usr/bin/python3
"""`show stat` fills the columns HAProxy fills for TCP proxies, with real
values, nbthread 2: HAProxy 2.6's header in its order (the live haproxy's
when it is installed) then ours; a server taken DOWN by its checks counts
chkfail/chkdown and a growing downtime; lastchg restarts on a change;
lbtot and connect equal the connections made; rate is non-zero during a
burst and rate_max at least that; qtime/ctime/ttime follow a server that
answers after a known delay; cli_abrt/srv_abrt count resets from each side;
wretr and wredis count retries and redispatches; lastsess, check_desc,
check_rise/fall/health, addr, mode and algo."""
import csv
import io
import os
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import threads_lib as TL

# HAProxy 2.6's `show stat` columns up to its last general one; its CSV
# then has a "-" column and its modules' columns: the "ssl" module's are
# ours too (SSL_MODULE), the HTTP ones are not.
HAPROXY26 = (
    "pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,"
    "econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,"
    "downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,"
    "rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,"
    "hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,"
    "req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,"
    "last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,"
    "agent_duration,check_desc,agent_desc,check_rise,check_fall,"
    "check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,"
    "conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,"
    "reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,"
    "rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,"
    "need_conn_est,uweight,agg_server_status,agg_server_check_status,"
    "agg_check_status").split(",")
SSL_MODULE = ["-", "ssl_sess", "ssl_reused_sess", "ssl_failed_handshake"]
DELAY = 0.4                     # s: the slow server answers after this


def slow_handler(c):
    """Answer after DELAY, then close."""
    time.sleep(DELAY)
    c.sendall(b"late\n")


def reset_handler(c):
    """Read what the client sends, then reset the connection."""
    c.recv(100)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def parse(text):
    """(header columns, {(pxname, svname): {column: value}}) of CSV text."""
    lines = [l for l in text.splitlines() if l]
    if not lines or not lines[0].startswith("# "):
        T.fail("show stat does not start with '# ': %r" % text[:80])
    head = lines[0][2:].rstrip(",").split(",")
    rows, bad = {}, []
    for f in csv.reader(io.StringIO("\n".join(lines[1:]))):
        if len(f) != len(head) + 1 or f[-1] != "":
            bad.append("%s/%s: %d fields" % (f[0], f[1], len(f)))
        rows[(f[0], f[1])] = dict(zip(head, f))
    if bad:
        T.fail("rows whose fields do not match the %d columns: %s" % (len(head), bad))
    return head, rows


sock = T.tmp("cols.sock")


def stat():
    return parse(T.stats_cmd(sock, "show stat"))[1]


up = T.Server("up", ("127.0.0.1", T.free_port()))
slow = T.Server("slow", ("127.0.0.1", T.free_port()), handler=slow_handler)
rst = T.Server("rst", ("127.0.0.1", T.free_port()), handler=reset_handler)
dead, dead2 = T.dead_port(), T.dead_port()  # nothing listens there
fe, fe_slow, fe_rst, fe_redis, fe_retry = T.free_ports(5)
cfg = TL.global_section(2, stats=sock) + """
defaults
    mode tcp
    timeout connect 1s
    timeout client 10s
    timeout server 10s
frontend front
    bind 127.0.0.1:%d
    default_backend be
frontend fslow
    bind 127.0.0.1:%d
    default_backend slowbe
frontend frst
    bind 127.0.0.1:%d
    default_backend rstbe
frontend fredis
    bind 127.0.0.1:%d
    default_backend redisbe
frontend fretry
    bind 127.0.0.1:%d
    default_backend retrybe
backend be
    balance roundrobin
    server s1 127.0.0.1:%d check inter 200 rise 2 fall 2
    server s2 127.0.0.1:%d check inter 200 rise 2 fall 3
backend slowbe
    balance leastconn
    server slow 127.0.0.1:%d
backend rstbe
    server r1 127.0.0.1:%d
backend redisbe
    retries 3
    option redispatch
    server d1 127.0.0.1:%d
    server a1 127.0.0.1:%d
backend retrybe
    retries 2
    server d2 127.0.0.1:%d
""" % (fe, fe_slow, fe_rst, fe_redis, fe_retry, up.sock.getsockname()[1],
       dead, slow.sock.getsockname()[1], rst.sock.getsockname()[1], dead2,
       up.sock.getsockname()[1], dead2)
plan = T.compile_cfg(cfg, "cols.cfg")
run = T.Cfgrun(plan)
TL.check_threads(run, 2, "nbthread 2")
t_start = time.monotonic()

# -- header: HAProxy 2.6's columns in order, then ours
head, rows = parse(T.stats_cmd(sock, "show stat"))
T.check(head == HAPROXY26 + SSL_MODULE + ["mptcp_conn", "mptcp_fallback"],
        "header: HAProxy 2.6's %d columns in order, '-', its ssl module's "
        "columns, then mptcp_conn,mptcp_fallback" % len(HAPROXY26))
if shutil.which("haproxy"):
    # The live HAProxy's header on a small TCP configuration.
    hsock = T.tmp("hx.sock")
    hcfg = T.tmp("hx.cfg")
    with open(hcfg, "w") as f:
        f.write("global\n    stats socket %s level admin\ndefaults\n"
                "    mode tcp\n    timeout connect 1s\n    timeout client 1s\n"
                "    timeout server 1s\nlisten l\n    bind 127.0.0.1:%d\n"
                "    server s 127.0.0.1:%d\n" % (hsock, T.free_port(), dead))
    hx = subprocess.Popen(["haproxy", "-f", hcfg, "-db"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        T.wait_until(lambda: os.path.exists(hsock))
        hhead = T.stats_cmd(hsock, "show stat").splitlines()[0][2:].split(",")
        cut = hhead.index("-") if "-" in hhead else len(hhead)
        T.check(hhead[:cut] == head[:cut] and cut == len(HAPROXY26),
                "header: the installed haproxy's general columns, same order (%d)" % cut)
        T.check(hhead[cut:cut + len(SSL_MODULE)] == SSL_MODULE,
                "header: then its '-' and ssl module columns, as ours (%r)"
                % hhead[cut:cut + len(SSL_MODULE)])
    finally:
        hx.kill()
        hx.wait()

# -- static columns
s1, s2, b = rows[("be", "s1")], rows[("be", "s2")], rows[("be", "BACKEND")]
f = rows[("front", "FRONTEND")]
T.check(s1["addr"] == "127.0.0.1:%d" % up.sock.getsockname()[1], "addr ip:port (%s)" % s1["addr"])
T.check(s1["mode"] == b["mode"] == f["mode"] == "tcp", "mode tcp on every row")
T.check(b["algo"] == "roundrobin" and rows[("slowbe", "BACKEND")]["algo"] == "leastconn",
        "algo: the backend's balance")
T.check((s1["check_rise"], s1["check_fall"], s2["check_fall"]) == ("2", "2", "3"),
        "check_rise/check_fall from the configuration")
T.check(rows[("slowbe", "slow")]["check_rise"] == "" and rows[("slowbe", "slow")]["chkfail"] == "",
        "no check columns for a server without checks")
T.check(s1["lastsess"] == "-1" and b["lastsess"] == "-1", "lastsess -1 before any session")
T.check(f["pid"] == "1" and f["rate_lim"] == "0" and f["dcon"] == "0",
        "frontend: pid 1 (process number), rate_lim 0, dcon 0")

# -- s2 goes DOWN by its checks: chkfail, chkdown, downtime grows
T.check(T.wait_until(lambda: stat()[("be", "s2")]["status"] == "DOWN"), "s2 goes DOWN")
r = stat()
s2 = r[("be", "s2")]
T.check(int(s2["chkfail"]) >= 1 and s2["chkdown"] == "1",
        "s2: chkfail >= 1, chkdown 1 (%s, %s)" % (s2["chkfail"], s2["chkdown"]))
T.check(s2["check_status"] == "L4CON" and s2["check_desc"] == "Layer4 connection problem"
        and s2["check_health"] == "0" and "refused" in s2["last_chk"].lower(),
        "s2: L4CON, its description, health 0, last_chk '%s'" % s2["last_chk"])
T.check(r[("be", "s1")]["check_health"] == "3" and r[("be", "s1")]["chkfail"] == "0",
        "s1: fully up (health rise+fall-1 = 3), no failed check")
d0 = int(s2["downtime"])
time.sleep(2.2)
r = stat()
s2 = r[("be", "s2")]
T.check(int(s2["downtime"]) >= d0 + 2 and s2["downtime"] == s2["lastchg"],
        "s2: downtime grows while DOWN (%d -> %s), equal to lastchg %s"
        % (d0, s2["downtime"], s2["lastchg"]))
T.check(r[("be", "BACKEND")]["downtime"] == "0" and r[("be", "BACKEND")]["chkdown"] == "0"
        and r[("be", "BACKEND")]["status"] == "UP", "backend: never DOWN, downtime 0")
T.check(int(r[("be", "s1")]["lastchg"]) >= 2, "s1 lastchg counts since start (%s)" % r[("be", "s1")]["lastchg"])

# -- lbtot, connect, stot and rate in a burst of connections
N = 30
names = []
for i in range(N):
    c = T.connect(("127.0.0.1", fe))
    names.append(T.greeted(c))
    c.close()
T.check(names == ["up"] * N, "the %d connections reach s1" % N)
r = stat()
s1, b, f = r[("be", "s1")], r[("be", "BACKEND")], r[("front", "FRONTEND")]
T.check(s1["lbtot"] == str(N) and b["lbtot"] == str(N) and r[("be", "s2")]["lbtot"] == "0",
        "lbtot: %d on s1 and the backend, 0 on DOWN s2 (%s, %s)" % (N, s1["lbtot"], b["lbtot"]))
T.check(s1["connect"] == str(N) and s1["stot"] == str(N), "connect and stot: %d (%s, %s)"
        % (N, s1["connect"], s1["stot"]))
T.check(int(f["rate"]) > 0 and int(f["rate_max"]) >= int(f["rate"]) and int(f["rate_max"]) >= 5,
        "frontend rate %s > 0 during the burst, rate_max %s >= it" % (f["rate"], f["rate_max"]))
T.check(int(s1["rate"]) > 0 and int(s1["rate_max"]) >= int(s1["rate"]) and
        int(b["rate_max"]) >= int(b["rate"]) > 0,
        "server and backend rates non-zero, rate_max >= rate (%s/%s, %s/%s)"
        % (s1["rate"], s1["rate_max"], b["rate"], b["rate_max"]))
T.check(f["conn_tot"] == str(N) and f["conn_rate_max"] == f["rate_max"],
        "frontend conn_tot %s, conn_rate_max as rate_max" % f["conn_tot"])
T.check(0 <= int(s1["lastsess"]) <= 1 and s1["cli_abrt"] == "0" and s1["srv_abrt"] == "0",
        "s1: lastsess just now, no abort (%s)" % s1["lastsess"])
time.sleep(2.1)
r = stat()
T.check(r[("front", "FRONTEND")]["rate"] == "0" and r[("be", "s1")]["rate"] == "0" and
        r[("front", "FRONTEND")]["rate_max"] == f["rate_max"],
        "two seconds later: rate 0, rate_max kept")

# -- lastchg restarts on a change; downtime counts maintenance
T.stats_cmd(sock, "disable server be/s1")
r = stat()
T.check(r[("be", "s1")]["status"] == "MAINT" and int(r[("be", "s1")]["lastchg"]) <= 1,
        "disable server: s1 MAINT, lastchg restarts (%s)" % r[("be", "s1")]["lastchg"])
T.check(r[("be", "BACKEND")]["status"] == "DOWN" and r[("be", "BACKEND")]["chkdown"] == "1"
        and int(r[("be", "BACKEND")]["lastchg"]) <= 1,
        "backend without a usable server: DOWN, chkdown 1, lastchg restarts")
time.sleep(2.1)
T.stats_cmd(sock, "enable server be/s1")
T.check(T.wait_until(lambda: stat()[("be", "BACKEND")]["status"] == "UP"), "backend UP again")
r = stat()
T.check(int(r[("be", "s1")]["downtime"]) >= 2 and int(r[("be", "s1")]["lastchg"]) <= 1,
        "s1 back: downtime counts the maintenance (%s), lastchg restarts (%s)"
        % (r[("be", "s1")]["downtime"], r[("be", "s1")]["lastchg"]))
T.check(int(r[("be", "BACKEND")]["downtime"]) >= 2, "backend downtime %s >= 2"
        % r[("be", "BACKEND")]["downtime"])

# -- times: a server answering after DELAY
for _ in range(3):
    c = T.connect(("127.0.0.1", fe_slow))
    T.check(T.recv_all(c) == b"late\n", "slow server answers")
    c.close()
T.wait_until(lambda: stat()[("slowbe", "slow")]["scur"] == "0")
r = stat()
sl, sb = r[("slowbe", "slow")], r[("slowbe", "BACKEND")]
lo, hi = int(DELAY * 1000) - 20, int(DELAY * 1000) + 600
T.check(lo <= int(sl["ttime"]) <= hi and lo <= int(sb["ttime"]) <= hi,
        "ttime near %d ms (%s, backend %s)" % (DELAY * 1000, sl["ttime"], sb["ttime"]))
T.check(int(sl["ttime_max"]) >= int(sl["ttime"]) and int(sl["ctime"]) < 200 and
        sl["qtime"] == "0" and sl["rtime"] == "0",
        "ttime_max >= ttime, ctime small (%s), qtime 0, rtime 0" % sl["ctime"])

# -- aborts: the client resets, then the server resets
c = T.connect(("127.0.0.1", fe))
T.greeted(c)
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
c.close()
c = T.connect(("127.0.0.1", fe_rst))
c.sendall(b"hi")
T.recv_all(c)
c.close()
T.check(T.wait_until(lambda: stat()[("be", "s1")]["cli_abrt"] == "1"),
        "client reset during the transfer: cli_abrt 1")
r = stat()
T.check(r[("be", "BACKEND")]["cli_abrt"] == "1" and r[("be", "s1")]["srv_abrt"] == "0",
        "backend cli_abrt 1, srv_abrt 0")
T.check(r[("rstbe", "r1")]["srv_abrt"] == "1" and r[("rstbe", "BACKEND")]["srv_abrt"] == "1"
        and r[("rstbe", "r1")]["cli_abrt"] == "0", "server reset: srv_abrt 1")

# -- retries and redispatches
c = T.connect(("127.0.0.1", fe_redis))
T.check(T.greeted(c) == "up", "redispatched from a dead server to a live one")
c.close()
c = T.connect(("127.0.0.1", fe_retry))
T.check(T.recv_all(c) == b"", "a dead server's only backend closes the client")
c.close()
T.wait_until(lambda: stat()[("retrybe", "BACKEND")]["econ"] == "3")
r = stat()
d1, rb = r[("redisbe", "d1")], r[("redisbe", "BACKEND")]
T.check(d1["wredis"] == "1" and rb["wredis"] == "1" and d1["econ"] == "1" and
        r[("redisbe", "a1")]["connect"] == "1" and rb["connect"] == "2",
        "redispatch: wredis 1 on d1 and the backend, connect 1+1 (%s %s %s)"
        % (d1["wredis"], rb["wredis"], rb["connect"]))
d2, tb = r[("retrybe", "d2")], r[("retrybe", "BACKEND")]
T.check(d2["wretr"] == "2" and tb["wretr"] == "2" and d2["econ"] == "3" and
        d2["connect"] == "3" and d2["wredis"] == "0",
        "retries 2: wretr 2, econ 3, connect 3 (%s %s %s)" % (d2["wretr"], d2["econ"], d2["connect"]))

rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
