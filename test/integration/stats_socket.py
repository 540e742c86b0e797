#!/usr/bin/python3
"""The stats socket: `show info` and `show stat` (HAProxy's CSV columns,
one row per frontend, server and backend, MPTCP columns at the end),
`;`-separated commands and the interactive prompt, server state and
weight changes that really move traffic, unknown commands, level checks,
the socket's mode, and a hostile client (10 MB without a newline, a client
that never reads) that cannot stall the proxy."""
import os
import socket
import stat
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

HAPROXY_COLS = ("pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,"
                "dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,"
                "chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,"
                "lbtot,tracked,type,rate,rate_lim,rate_max,check_status,"
                "check_code,check_duration").split(",")

sp = T.free_ports(2)
servers = [T.Server("s%d" % (i + 1), ("127.0.0.1", p)) for i, p in enumerate(sp)]
fe, inet_stats = T.free_ports(2)
admin_sock = T.tmp("admin.sock")
user_sock = T.tmp("user.sock")
plan = T.compile_cfg("""
global
    stats socket %s mode 600 level admin
    stats socket %s mode 666 level user
    stats socket 127.0.0.1:%d level operator
defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s
frontend front
    bind 127.0.0.1:%d
    default_backend back
backend back
    balance roundrobin
    server s1 127.0.0.1:%d
    server s2 127.0.0.1:%d
""" % (admin_sock, user_sock, inet_stats, fe, sp[0], sp[1]), "stats.cfg")
run = T.Cfgrun(plan)


def cli(cmd, path=admin_sock, family=socket.AF_UNIX):
    """Send one line, read the answer until cfgrun closes."""
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(T.TIMEOUT)
    s.connect(path)
    s.sendall(cmd.encode() + b"\n")
    out = T.recv_all(s)
    s.close()
    return out.decode()


def stat_rows():
    lines = [l for l in cli("show stat").splitlines() if l]
    head = lines[0][2:].rstrip(",").split(",")
    rows = {}
    for l in lines[1:]:
        f = l.split(",")
        rows[(f[0], f[1])] = dict(zip(head, f))
    return lines[0], rows


def served(n):
    names = []
    for i in range(n):
        reply, _ = T.exchange(("127.0.0.1", fe), b"x")
        names.append(T.greeting(reply)[0])
    return names


# -- socket mode
T.check(stat.S_IMODE(os.stat(admin_sock).st_mode) == 0o600, "admin socket has mode 600")
T.check(stat.S_IMODE(os.stat(user_sock).st_mode) == 0o666, "user socket has mode 666")

# -- show info
served(4)


def show_info():
    return dict(l.split(": ", 1) for l in cli("show info").splitlines()
                if ": " in l)


# the streams end as their clients close, maybe on another thread: wait
T.wait_until(lambda: show_info().get("CurrConns") == "0")
info = show_info()
T.check(info.get("Pid") == str(run.proc.pid), "show info: Pid %s" % info.get("Pid"))
for k in ("Name", "Version", "Uptime", "Uptime_sec", "CurrConns", "Maxconn", "CumConns"):
    T.check(k in info, "show info has %s" % k)
T.check(info.get("CumConns") == "4", "show info: CumConns 4 after 4 connections (%s)" % info.get("CumConns"))
T.check(info.get("CurrConns") == "0", "show info: CurrConns 0 when idle")

# -- show stat
header, rows = stat_rows()
cols = header[2:].rstrip(",").split(",")
T.check(header.startswith("# pxname,svname,"), "show stat header starts with '# pxname,svname,'")
T.check(cols[:len(HAPROXY_COLS)] == HAPROXY_COLS, "show stat: HAProxy's first %d columns in order" % len(HAPROXY_COLS))
T.check(cols[-2:] == ["mptcp_conn", "mptcp_fallback"], "show stat: MPTCP columns at the end")
T.check(list(rows) == [("front", "FRONTEND"), ("back", "s1"), ("back", "s2"), ("back", "BACKEND")],
        "one row per frontend, server and backend, in order (%s)" % list(rows))
T.check(rows[("front", "FRONTEND")]["stot"] == "4" and rows[("front", "FRONTEND")]["status"] == "OPEN",
        "frontend row: stot 4, OPEN")
T.check(rows[("back", "s1")]["stot"] == "2" and rows[("back", "s2")]["stot"] == "2",
        "server rows: 2 connections each")
T.check(rows[("back", "s1")]["status"] == "no check" and rows[("back", "BACKEND")]["status"] == "UP",
        "server 'no check', backend UP")
T.check(rows[("back", "s1")]["type"] == "2" and rows[("back", "BACKEND")]["type"] == "1"
        and rows[("front", "FRONTEND")]["type"] == "0", "type column 0/2/1")
T.check(int(rows[("front", "FRONTEND")]["bin"]) == 4 and int(rows[("front", "FRONTEND")]["bout"]) > 4,
        "frontend bytes in and out counted")

# -- several commands on one line; interactive prompt
out = cli("show info; show stat")
T.check("Pid: " in out and "# pxname" in out, "';'-separated commands both answered")
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(T.TIMEOUT)
s.connect(admin_sock)
s.sendall(b"prompt\n")
buf = b""
while not buf.endswith(b"> "):
    buf += s.recv(4096)
s.sendall(b"show info\n")
buf = b""
while not buf.endswith(b"> "):
    buf += s.recv(4096)
T.check(b"Pid: " in buf, "prompt mode: first command answered")
s.sendall(b"show stat\n")
buf = b""
while not buf.endswith(b"> "):
    buf += s.recv(4096)
T.check(b"# pxname" in buf, "prompt mode: second command on the same connection")
s.sendall(b"quit\n")
T.check(T.recv_all(s) == b"", "quit closes")
s.close()

# -- state and weight changes move traffic
T.check(cli("disable server back/s1").strip() == "", "disable server answers nothing")
T.check(set(served(6)) == {"s2"}, "disabled s1 gets no traffic")
T.check(stat_rows()[1][("back", "s1")]["status"] == "MAINT", "s1 shows MAINT")
cli("enable server back/s1")
T.check(set(served(6)) == {"s1", "s2"}, "enabled s1 takes traffic again")
cli("set weight back/s1 0")
T.check(set(served(6)) == {"s2"}, "weight 0: s1 gets no traffic")
T.check(stat_rows()[1][("back", "s1")]["weight"] == "0", "s1 shows weight 0")
cli("set weight back/s1 3")
names = served(8)
T.check(names.count("s1") == 6 and names.count("s2") == 2, "weight 3:1 gives 6/2 of 8 (%s)" % names)
cli("set weight back/s1 1")
cli("set server back/s2 state drain")
T.check(set(served(6)) == {"s1"}, "drained s2 gets no new traffic")
T.check(stat_rows()[1][("back", "s2")]["status"] == "DRAIN", "s2 shows DRAIN")
cli("set server back/s2 state maint")
T.check(stat_rows()[1][("back", "s2")]["status"] == "MAINT", "state maint shows MAINT")
cli("set server back/s2 state ready")
T.check(set(served(6)) == {"s1", "s2"}, "state ready: both take traffic")
T.check("No such server" in cli("disable server back/nope"), "unknown server named")
T.check("Absolute weight" in cli("set weight back/s1 300"), "weight above 256 refused")

# -- unknown command
out = cli("frobnicate now")
T.check(out.startswith("Unknown command: 'frobnicate now'"), "unknown command named (%r)" % out[:60])
T.check("show stat" in out and "set weight" in out, "unknown command: help follows")

# -- levels
T.check("Permission denied" in cli("disable server back/s1", user_sock), "user level cannot disable")
T.check("Permission denied" in cli("set weight back/s1 0", ("127.0.0.1", inet_stats), socket.AF_INET),
        "operator level (inet socket) cannot set weights")
T.check("Pid: " in cli("show info", user_sock), "user level can show info")
T.check(set(served(6)) == {"s1", "s2"}, "refused commands changed nothing")

# -- hostile clients
flood_result = {}


def flood(size=10 * 1024 * 1024, result=flood_result):
    f = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    f.settimeout(10)
    f.connect(admin_sock)
    sent = 0
    chunk = b"a" * 65536
    try:
        while sent < size:
            f.sendall(chunk)
            sent += len(chunk)
    except OSError:
        pass
    result["sent"] = sent
    try:
        f.shutdown(socket.SHUT_WR)
        result["reply"] = T.recv_all(f)
    except OSError as e:
        result["reply"] = str(e).encode()
    f.close()


sleepers = []
for i in range(3):
    # Asks for answers and never reads them.
    z = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    z.connect(admin_sock)
    z.sendall(b"prompt\n" + b"show stat\n" * 2000)
    sleepers.append(z)
t = threading.Thread(target=flood, daemon=True)
t.start()
worst = 0.0
for i in range(20):
    t0 = time.monotonic()
    served(1)
    worst = max(worst, time.monotonic() - t0)
t.join(15)
T.check(worst < 0.5, "traffic flows while stats clients misbehave (slowest %.3fs)" % worst)
T.check(flood_result.get("sent", 1 << 30) < 10 * 1024 * 1024,
        "a 10 MB line: the connection is closed before it is all sent (%s bytes taken)"
        % flood_result.get("sent"))
small = {}
flood(200 * 1024, small)
T.check(b"longer than 65535 bytes refused" in small.get("reply", b""),
        "a 200 kB line is refused with a message (%r)" % small.get("reply", b"")[:80])
T.check("Pid: " in cli("show info"), "the stats socket still answers")
for z in sleepers:
    z.close()

# -- reload: kept, changed, removed and new stats sockets
keeper = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
keeper.settimeout(T.TIMEOUT)
keeper.connect(admin_sock)
keeper.sendall(b"prompt\n")
buf = b""
while not buf.endswith(b"> "):
    buf += keeper.recv(4096)
new_sock = T.tmp("new.sock")
T.compile_cfg("""
global
    stats socket %s mode 640 level user
    stats socket %s level admin
defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s
frontend front
    bind 127.0.0.1:%d
    default_backend back
backend back
    server s1 127.0.0.1:%d
    server s2 127.0.0.1:%d
    server s3 127.0.0.1:%d
""" % (admin_sock, new_sock, fe, sp[0], sp[1], sp[1]), "stats2.cfg", out=plan)
run.proc.send_signal(1)
run.wait_for(r"reloaded plan")
T.check(stat.S_IMODE(os.stat(admin_sock).st_mode) == 0o640, "kept socket takes the new mode")
T.check("Permission denied" in cli("disable server back/s1"), "kept socket takes the new level")
T.check(not os.path.exists(user_sock), "removed socket's path is gone")
T.check("Pid: " in cli("show info", new_sock), "new socket answers")
keeper.sendall(b"show stat\n")
buf = b""
while not buf.endswith(b"> "):
    buf += keeper.recv(65536)
T.check(b"back,s3," in buf, "a client connected before the reload sees the new plan")
keeper.close()
rc, _ = run.stop()
T.check(rc == 0, "exit 0")
T.check(not os.path.exists(admin_sock) and not os.path.exists(new_sock), "stats socket paths removed at exit")
for srv in servers:
    srv.close()
T.done()
