#!/usr/bin/python3
"""Stats socket commands with HAProxy 2.6's layouts (compared by hand with
Debian's haproxy 2.6.12 on the same configuration): show servers state
[backend] (the server-state-file format: op state, admin bits for drain,
maintenance and `disabled`, weights, check status/result/health/state),
show backend, show version, show env (operator level), set server ...
health up|down moving traffic, interactive prompt with chained commands."""
import os
import socket
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

p1, p2, p3 = T.free_ports(3)
servers = [T.Server(n, ("127.0.0.1", p)) for n, p in (("A", p1), ("B", p2))]
fe = T.free_port()
admin = T.tmp("cmds.sock")
user = T.tmp("cmds-user.sock")
plan = T.compile_cfg("""
global
    stats socket %s level admin
    stats socket %s level user
defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend front
    bind 127.0.0.1:%d
    default_backend back
backend back
    server s1 127.0.0.1:%d weight 10
    server s2 127.0.0.1:%d check inter 200
    server s3 127.0.0.1:%d disabled
""" % (admin, user, fe, p1, p2, p3), "cmds.cfg")
run = T.Cfgrun(plan, env={"HAPC_CMDS_VAR": "hello world"})


def cmd(c, path=admin):
    return T.stats_cmd(path, c)


HEAD = ("1\n# be_id be_name srv_id srv_name srv_addr srv_op_state "
        "srv_admin_state srv_uweight srv_iweight srv_time_since_last_change "
        "srv_check_status srv_check_result srv_check_health srv_check_state "
        "srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port "
        "srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr "
        "srv_agent_port\n")


def state():
    out = cmd("show servers state")
    T.check(out.startswith(HEAD) and out.endswith("\n\n"),
            "show servers state: version line, header, empty line at the end")
    lines = out[len(HEAD):].strip("\n").split("\n")
    # srv_time_since_last_change (field 9) varies: left out
    return {l.split()[3]: l.split()[:9] + l.split()[10:] for l in lines}


T.check(T.wait_until(lambda: state()["s2"][9] == "6"), "s2's check passed (L4OK)")
cmd("set server back/s1 state drain")
st = state()
T.check(st["s1"] == ("2 back 1 s1 127.0.0.1 2 8 10 10 1 0 2 0 0 0 0 - %d - 0 0 - - 0" % p1).split(),
        "drained unchecked s1 as HAProxy shows it: %s" % st["s1"])
T.check(st["s2"] == ("2 back 2 s2 127.0.0.1 2 0 1 1 6 3 4 6 0 0 0 - %d - 0 0 - - 0" % p2).split(),
        "checked s2, UP after a passed check: %s" % st["s2"])
T.check(st["s3"] == ("2 back 3 s3 127.0.0.1 0 5 1 1 1 0 2 8 0 0 0 - %d - 0 0 - - 0" % p3).split(),
        "s3 disabled in the configuration: %s" % st["s3"])
T.check(cmd("show servers state back").count("\n2 back ") == 3, "one backend by name")
T.check(cmd("show servers state nope") == "Can't find backend.\n\n", "unknown backend")
cmd("set server back/s1 state ready")

T.check(cmd("show backend") == "# name\nback\n\n", "show backend: backends only")
v = cmd("show version")
T.check(v.endswith("\n\n") and len(v.split("\n")[0]) > 0, "show version: one line (%r)" % v)
T.check(cmd("show env HAPC_CMDS_VAR") == "HAPC_CMDS_VAR=hello world\n\n", "show env <var>")
T.check(cmd("show env HAPC_NOPE") == "Variable not found\n\n", "show env: unknown variable")
T.check("HAPC_CMDS_VAR=hello world\n" in cmd("show env"), "show env: every variable")
T.check(cmd("show env", user).startswith("Permission denied"), "show env needs operator")
T.check(cmd("show servers state", user).startswith("1\n"), "show servers state at user level")


def served(n):
    return [T.greeting(T.exchange(("127.0.0.1", fe), b"x")[0])[0] for _ in range(n)]


T.check(cmd("set server back/s2 health down") == "\n", "set server health down")
T.check(T.stat_rows(admin)[("back", "s2")]["status"].startswith("DOWN"), "s2 is DOWN")
T.check(set(served(4)) == {"A"}, "traffic avoids s2")
T.check("is DOWN" in run.stderr(), "the change is logged")
T.check(cmd("set server back/s2 health up") == "\n", "set server health up")
T.check(T.stat_rows(admin)[("back", "s2")]["status"] == "UP", "s2 is UP again")
T.check(set(served(22)) == {"A", "B"}, "traffic back on s2 (weights 10 and 1)")
T.check(cmd("set server back/s1 health up") == "\n",
        "health on an unchecked server is taken, as HAProxy 2.6 does (stats_nolb.py)")
T.check(cmd("set server back/s2 health maybe").startswith("'set server <srv> health' expects"),
        "a bad health word is named")
T.check(cmd("set server back/s2 health down", user).startswith("Permission denied"),
        "user level cannot set health")

# -- interactive: prompt, chained commands, quit
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(T.TIMEOUT)
s.connect(admin)
s.sendall(b"prompt\nshow backend;show version\nquit\n")
out = T.recv_all(s).decode()
s.close()
T.check(out == "\n> # name\nback\n\n" + v + "\n> ",
        "prompt: an answer per line, each followed by '> ' (%r)" % out)
run.stop()
for x in servers:
    x.close()
T.done()
