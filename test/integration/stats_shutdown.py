#!/usr/bin/python3
"""Stats socket `shutdown sessions server B/S` (level admin): every
connection through that server ends at once, logged with termination
state K; the other server's connections stay; a user-level socket is
refused; an unknown server is named in the answer."""
import os
import re
import socket
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

fe, pa, pb = T.free_ports(3)
srv = [T.Server("a", ("127.0.0.1", pa)), T.Server("b", ("127.0.0.1", pb))]
admin, user = T.tmp("admin.sock"), T.tmp("user.sock")
plan = T.compile_cfg("""
global
    stats socket %s level admin
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
""" % (admin, user, fe, pa, pb))
run = T.Cfgrun(plan)

held = [T.hold(("127.0.0.1", fe)) for _ in range(4)]
names = sorted(n for _, n in held)
T.check(names == ["a", "a", "b", "b"], "four connections held, two on each "
        "server (%r)" % names)
ans = T.stats_cmd(user, "shutdown sessions server be/a")
T.check("Permission denied" in ans, "a user-level socket is refused (%r)" % ans)
ans = T.stats_cmd(admin, "shutdown sessions server be/nosuch")
T.check("No such server" in ans or "nosuch" in ans,
        "an unknown server is named in the answer (%r)" % ans)
ans = T.stats_cmd(admin, "shutdown sessions server be/a")
T.check(ans.strip() == "", "the command answers with an empty line (%r)" % ans)


def closed(s):
    s.settimeout(0.05)
    try:
        return s.recv(1) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


on_a = [s for s, n in held if n == "a"]
on_b = [s for s, n in held if n == "b"]
T.check(T.wait_until(lambda: all(closed(s) for s in on_a)),
        "both connections through a were closed")
T.check(not any(closed(s) for s in on_b), "those through b stay open")
T.check(T.wait_until(lambda: len([l for l in run.log_lines()
                                  if " be/a " in l]) == 2),
        "two log lines for be/a")
lines = [l for l in run.log_lines() if " be/a " in l]
T.check(all(re.search(r" K[A-Z-] ", l) for l in lines),
        "they carry termination state K: %r" % lines)
for s, _ in held:
    s.close()
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
