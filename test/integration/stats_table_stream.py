#!/usr/bin/python3
"""`show table NAME` is streamed as the client reads it, as show stat and
show map are: a table of 20,000 entries (about 1 MB of answer, where the
answer used to be cut at 64 kB) comes whole, each entry once; a filter
keeps only its entries; a reload during the dump ends it with the
comment line; clients asking for it without reading keep cfgrun's
memory bounded."""
import os
import re
import signal
import socket
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

N = 20000
PER_LINE = 1000        # commands per line, well under the 64 kB line limit
sock = T.tmp("tbl.sock")
fe, sp = T.free_ports(2)
CFG = """
global
    stats socket %s level admin
defaults
    mode tcp
    timeout connect 1s
    timeout client 5s
    timeout server 5s
listen l
    bind 127.0.0.1:%d
    server s 127.0.0.1:%d
backend big
    stick-table type ip size 50k store gpc0
""" % (sock, fe, sp)
plan = T.compile_cfg(CFG, "tbl.cfg")
run = T.Cfgrun(plan)


def key(i):
    return "10.%d.%d.%d" % (i >> 16, (i >> 8) & 255, i & 255)


# fill the table: N entries, every 100th with gpc0 7, the others 1
errors = []
for start in range(0, N, PER_LINE):
    line = ";".join("set table big key %s data.gpc0 %d" % (key(i), 7 if i % 100 == 0 else 1)
                    for i in range(start, min(N, start + PER_LINE)))
    out = T.stats_cmd(sock, line)
    if out.strip():
        errors.append(out.strip()[:80])
T.check(not errors, "%d set table commands answered without error (%r)" % (N, errors[:2]))

out = T.stats_cmd(sock, "show table big")
lines = out.split("\n")
T.check(lines[0] == "# table: big, type: ip, size:51200, used:%d" % N,
        "the header line first (%r)" % lines[0])
keys = re.findall(r"^0x[0-9a-f]+: key=(\S+) use=0 exp=0 gpc0=(\d+)$", out, re.M)
T.check(len(out) > 4 * 65536, "the answer is far above 64 kB (%d bytes)" % len(out))
T.check(len(keys) == N and len({k for k, _ in keys}) == N,
        "every entry once (%d lines, %d keys)" % (len(keys), len({k for k, _ in keys})))
T.check({k for k, _ in keys} == {key(i) for i in range(N)}, "the keys set")
T.check("answer cut" not in out and out.endswith("\n\n"),
        "not cut, ends with the empty line (%r)" % out[-60:])

out = T.stats_cmd(sock, "show table big data.gpc0 gt 5")
keys = re.findall(r"key=(\S+) use=0 exp=0 gpc0=7$", out, re.M)
T.check(sorted(keys) == sorted(key(i) for i in range(0, N, 100)) and
        out.count("key=") == N // 100,
        "the filter keeps the %d entries with gpc0 7 (%d)" % (N // 100, out.count("key=")))
out = T.stats_cmd(sock, "show table big key %s" % key(300))
T.check(out.count("key=") == 1 and "key=%s use=0 exp=0 gpc0=7" % key(300) in out
        and out.endswith("\n\n"), "one key: its entry alone (%r)" % out)

# a reload while the client holds the rest: the dump ends early
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
c.settimeout(T.TIMEOUT)
c.connect(sock)
c.sendall(b"show table big\n")
first = c.recv(4096)
T.check(first.startswith(b"# table: big"), "the dump started (%r)" % first[:40])
T.check(run.reload(), "reloaded while the dump waits")
rest = T.recv_all(c)
c.close()
whole = (first + rest).decode()
T.check(whole.endswith("# dump ended early: the plan was reloaded\n\n"),
        "a reload ends the dump with the comment line (%r)" % whole[-60:])
T.check(whole.count("key=") < N, "before every entry was given (%d)" % whole.count("key="))


def rss_kb():
    with open("/proc/%d/status" % run.proc.pid) as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


# clients asking without reading: memory stays bounded (fill again: the
# reload kept the table, but be sure it is full)
T.check("used:%d" % N in T.stats_cmd(sock, "show table"), "the table is still full")
before = rss_kb()
idle = []
for _ in range(40):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(sock)
    s.sendall(b"show table big\n")
    s.settimeout(T.TIMEOUT)
    started = s.recv(64)        # its dump is under way; then not read
    idle.append(s)
T.check(len(idle) == 40 and started.startswith(b"# table: big"),
        "40 dumps started")
T.check("Pid: %d" % run.proc.pid in T.stats_cmd(sock, "show info"),
        "another client is still answered")
grew = rss_kb() - before
if T.sanitized():
    T.log("memory bound not judged: cfgrun is an ASan build (%d kB)" % grew)
else:
    T.check(grew < 16 * 1024,
            "40 clients not reading a 1 MB answer cost %d kB (under 16 MB)" % grew)
for s in idle:
    s.close()
rc, _ = run.stop(signal.SIGTERM)
T.check(rc == 0, "exit 0")
T.done()
