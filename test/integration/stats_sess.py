#!/usr/bin/python3
"""Stats socket `show sess`, `show sess <id>|all` and `shutdown session
<id>` on two threads: every held client connection is listed once in
HAProxy 2.6's short layout (its source port, frontend, backend, server),
255 of them too (an answer given in several pieces);
`show sess <id>` gives that stream's detail; `shutdown session <id>`
closes that client and no other, logged with termination state K; a
second shutdown of the same id, a bad id and the levels get HAProxy's
answers."""
import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
from queuelib import closed

fe, pa, pb = T.free_ports(3)
srv = [T.Server("a", ("127.0.0.1", pa)), T.Server("b", ("127.0.0.1", pb))]
admin, oper, user = T.tmp("admin.sock"), T.tmp("oper.sock"), T.tmp("user.sock")
plan = T.compile_cfg("""
global
    nbthread 2
    stats socket %s level admin
    stats socket %s level operator
    stats socket %s level user
defaults
    mode tcp
    option tcplog
    timeout connect 2s
    timeout client 30s
    timeout server 30s
frontend fe
    bind 127.0.0.1:%d
    default_backend be
backend be
    balance roundrobin
    server a 127.0.0.1:%d
    server b 127.0.0.1:%d
""" % (admin, oper, user, fe, pa, pb))
run = T.Cfgrun(plan)

held = [T.hold(("127.0.0.1", fe)) for _ in range(6)]
T.check(all(n in ("a", "b") for _, n in held), "six connections held")
port_of = {s.getsockname()[1]: (s, n) for s, n in held}

SHORT = re.compile(
    r"^(0x[0-9a-f]+): proto=tcpv4 src=127\.0\.0\.1:(\d+) fe=fe be=be "
    r"srv=(\w+) ts=[0-9a-f]{2} epoch=\d+ age=\d+[smhd]\S* calls=\d+ "
    r"rate=\d+ cpu=\d+ lat=\d+ rq\[f=[0-9a-f]+h,i=\d+,an=[0-9a-f]+h,"
    r"rx=\S*,wx=\S*,ax=\S*\] rp\[f=[0-9a-f]+h,i=\d+,an=[0-9a-f]+h,"
    r"rx=\S*,wx=\S*,ax=\S*\] scf=\[8,[0-9a-f]+h,fd=\d+\] "
    r"scb=\[8,[0-9a-f]+h,fd=\d+\] exp=\S* rc=0 c_exp=$")


def listed():
    """{client port: (id, server)} from show sess, and its raw text."""
    ans = T.stats_cmd(oper, "show sess")
    out = {}
    for line in ans.splitlines():
        m = SHORT.match(line)
        if m:
            out[int(m.group(2))] = (m.group(1), m.group(3))
    return out, ans


got, ans = listed()
T.check(ans.endswith("\n\n") and len([l for l in ans.splitlines() if l]) == 6,
        "show sess: six lines and the closing empty line (%r)" % ans)
T.check(sorted(got) == sorted(port_of),
        "each held client once, by its source port (%r)" % ans)
T.check(all(got[p][1] == port_of[p][1] for p in got),
        "with the server each one greets from")
T.check(T.stats_cmd(user, "show sess").startswith("Permission denied"),
        "show sess needs level operator")

victim_port = sorted(got)[0]
vid = got[victim_port][0]
det = T.stats_cmd(oper, "show sess %s" % vid)
T.check(det.startswith("%s: [" % vid) and
        ("source=127.0.0.1:%d\n" % victim_port) in det and
        ("server=%s (id=" % got[victim_port][1]) in det and
        "frontend=fe (id=" in det and det.endswith("\n\n"),
        "show sess <id>: that stream's detail (%r)" % det)
T.check(T.stats_cmd(oper, "show sess 0x1234") == "Session not found.\n\n",
        "an unknown id: HAProxy's answer")
every = T.stats_cmd(oper, "show sess all")
T.check(len(re.findall(r"^0x[0-9a-f]+: \[", every, re.M)) == 6,
        "show sess all: the detail of all six")

T.check(T.stats_cmd(oper, "shutdown session %s" % vid)
        .startswith("Permission denied"), "shutdown session needs level admin")
T.check(T.stats_cmd(admin, "shutdown session") ==
        "Session pointer expected (use 'show sess').\n\n", "no id")
T.check(T.stats_cmd(admin, "shutdown session 0x10") ==
        "No such session (use 'show sess').\n\n", "an id of no stream")
ans = T.stats_cmd(admin, "shutdown session %s" % vid)
T.check(ans == "\n", "shutdown session answers an empty line (%r)" % ans)


victim = port_of[victim_port][0]
T.check(T.wait_until(lambda: closed(victim, 0.05)), "that client was closed")
others = [s for p, (s, _) in port_of.items() if p != victim_port]
T.check(not any(closed(s, 0.05) for s in others), "no other client was")
for s in others:
    s.settimeout(T.TIMEOUT)
    s.sendall(b"ping\n")
    T.check(s.recv(5) == b"ping\n", "the others still echo")
T.check(T.wait_until(lambda: len(run.log_lines()) == 1), "one log line")
line = run.log_lines()[0]
T.check(re.search(r" K[A-Z-] ", line) and (":%d " % victim_port) in line,
        "that client's line carries termination state K (%r)" % line)
got, ans = listed()
T.check(sorted(got) == sorted(p for p in port_of if p != victim_port),
        "show sess lists the five left (%r)" % ans)
T.check(T.stats_cmd(admin, "shutdown session %s" % vid) ==
        "No such session (use 'show sess').\n\n", "the same id again: gone")
# an answer of many pieces (about 80 lines each): every stream once
many = [T.hold(("127.0.0.1", fe))[0] for _ in range(250)]
got, ans = listed()
want = sorted([p for p in port_of if p != victim_port] +
              [s.getsockname()[1] for s in many])
T.check(sorted(got) == want and len(ans.splitlines()) == 256,
        "255 streams, listed once each over several pieces (%d lines, %d ports)"
        % (len(ans.splitlines()), len(got)))
for s in others + many:
    s.close()
T.check(T.wait_until(lambda: T.stats_cmd(oper, "show sess") == "\n"),
        "no stream left: show sess answers an empty line")
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
