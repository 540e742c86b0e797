#!/usr/bin/python3
"""Stats socket `set server B/S addr IP [port P]` (level admin): new
connections and health checks go to the new address, `show servers
state` and `show stat` show it, answers are HAProxy 2.6's words."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

fe, p, p2 = T.free_ports(3)
old = T.Server("old", ("127.0.0.2", p))
new = T.Server("new", ("127.0.0.3", p))
other = T.Server("other", ("127.0.0.3", p2))
sock = T.tmp("admin.sock")
plan = T.compile_cfg("""
global
    stats socket %s level admin
defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s
frontend fe
    bind 127.0.0.1:%d
    default_backend be
backend be
    server s 127.0.0.2:%d check inter 100ms
""" % (sock, fe, p))
run = T.Cfgrun(plan)


def cmd(c):
    return T.stats_cmd(sock, c)


T.check(T.server_names(("127.0.0.1", fe), 1) == ["old"], "first the plan's address")
by = "by 'stats socket command'"
ans = cmd("set server be/s addr 127.0.0.3")
T.check(ans == "IP changed from '127.0.0.2' to '127.0.0.3' %s\n\n" % by,
        "HAProxy's answer (%r)" % ans)
T.check(T.server_names(("127.0.0.1", fe), 2) == ["new", "new"],
        "new connections go to the new address")
checks = new.accepted
T.check(T.wait_until(lambda: new.accepted >= checks + 2),
        "health checks follow the new address")
ans = cmd("set server be/s addr 127.0.0.3")
T.check(ans == "no need to change the addr %s\n\n" % by, "the same address (%r)" % ans)
ans = cmd("set server be/s addr nope")
T.check(ans == "Invalid addr 'nope' %s\n\n" % by, "a bad address (%r)" % ans)
ans = cmd("set server be/s addr 127.0.0.3 port %d" % p2)
T.check(ans == "no need to change the addr, port changed from "
        "'%d' to '%d' %s\n\n" % (p, p2, by), "a new port (%r)" % ans)
ans = cmd("set server be/s addr 127.0.0.3 port %d" % p2)
T.check(ans == "no need to change the addr, no need to change the port "
        "%s\n\n" % by, "nothing new (%r)" % ans)
T.check(T.server_names(("127.0.0.1", fe), 1) == ["other"], "the port is used")
state = cmd("show servers state be")
T.check(" 127.0.0.3 " in state and (" %d " % p2) in state,
        "show servers state shows it (%r)" % state)
stat = cmd("show stat")
T.check("127.0.0.3:%d" % p2 in stat, "show stat's addr column shows it")
T.check(any("changed its IP from 127.0.0.2 to 127.0.0.3" in l
            for l in run.stderr().splitlines()), "the change is logged")
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
