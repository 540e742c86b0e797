#!/usr/bin/python3
"""`set server B/S health stopping` on real sockets (HAProxy's NOLB):
the server takes no new balanced connection, a connection open on it goes
on, a client stuck to it by `stick on src` still reaches it; `show stat`
says NOLB, `show servers state` 3; every server stopping leaves the
backend DOWN; `health up` brings it back; a checked server comes back UP
by its next passing check, as in HAProxy 2.6; an unchecked server takes
`health down|up` too; a bad word gets HAProxy's message."""
import os
import socket
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

a = T.Server("A", ("127.0.0.1", T.free_port()))
b = T.Server("B", ("127.0.0.1", T.free_port()))
c = T.Server("C", ("127.0.0.1", T.free_port()))
fe, sfe, cfe = T.free_ports(3)
sock = T.tmp("nolb.sock")
pa, pb, pc = (s.sock.getsockname()[1] for s in (a, b, c))

CFG = """
global
    stats socket %s level admin
defaults
    mode tcp
    timeout connect 1s
    timeout client 10s
    timeout server 10s
listen rr
    bind 127.0.0.1:%d
    server s1 127.0.0.1:%d
    server s2 127.0.0.1:%d
listen sticky
    bind 127.0.0.1:%d
    stick-table type ip size 10
    stick on src
    server s1 127.0.0.1:%d
    server s2 127.0.0.1:%d
listen checked
    bind 127.0.0.1:%d
    server c1 127.0.0.1:%d check inter 300
""" % (sock, fe, pa, pb, sfe, pa, pb, cfe, pc)
run = T.Cfgrun(T.compile_cfg(CFG, "nolb.cfg"))


def cmd(line):
    return T.stats_cmd(sock, line)


def status(px, sv):
    return T.stat_rows(sock)[(px, sv)]["status"]


def op_state(px, sv):
    for l in cmd("show servers state %s" % px).splitlines()[2:]:
        f = l.split()
        if len(f) > 5 and f[3] == sv:
            return f[5]
    return None


# -- rr: s1 stopping takes no new connection, keeps the one it has
held, name = T.hold(("127.0.0.1", fe))
T.check(name == "A", "a connection held on s1 (A)")
T.check(cmd("set server rr/s1 health stopping") == "\n",
        "set server rr/s1 health stopping: an empty answer")
T.check(status("rr", "s1") == "NOLB" and op_state("rr", "s1") == "3",
        "show stat NOLB, show servers state op 3")
T.check(set(T.server_names(("127.0.0.1", fe), 8)) == {"B"},
        "new connections all go to s2")
held.sendall(b"still\n")
held.shutdown(socket.SHUT_WR)
T.check(T.recv_all(held) == b"still\n", "the connection open on s1 goes on")
held.close()
T.check(status("rr", "BACKEND") == "UP", "the backend stays UP with s2")
T.check(cmd("set server rr/s2 health stopping") == "\n" and
        T.wait_until(lambda: status("rr", "BACKEND") == "DOWN"),
        "both servers stopping: the backend is DOWN")
T.check("is stopping, changed from CLI" in run.stderr(), "the change is logged")
T.check(cmd("set server rr/s1 health up") == "\n" and status("rr", "s1") == "no check"
        and cmd("set server rr/s2 health up") == "\n",
        "health up: s1 back to 'no check'")
T.check(set(T.server_names(("127.0.0.1", fe), 4)) == {"A", "B"},
        "both servers balanced again")

# -- an unchecked server takes health down and up, as in HAProxy 2.6
T.check(cmd("set server rr/s2 health down") == "\n" and status("rr", "s2") == "DOWN",
        "health down on an unchecked server: DOWN")
T.check(set(T.server_names(("127.0.0.1", fe), 4)) == {"A"}, "traffic avoids it")
T.check(cmd("set server rr/s2 health up") == "\n" and status("rr", "s2") == "no check",
        "health up: back")

# -- sticky: a client stuck to the stopping server still reaches it
first = T.server_names(("127.0.0.1", sfe), 1)[0]
srv = "s1" if first == "A" else "s2"
T.check(first in ("A", "B"), "sticky: the first connection learns %s" % srv)
T.check(cmd("set server sticky/%s health stopping" % srv) == "\n", "its server stopping")
T.check(set(T.server_names(("127.0.0.1", sfe), 4)) == {first},
        "the stuck client still goes to the stopping server")
T.check(set(T.server_names(("127.0.0.1", sfe), 4, source="127.0.0.2")) ==
        {"B" if first == "A" else "A"}, "a new client goes to the other server")

# -- checked: the next passing check makes it UP again (HAProxy 2.6)
T.check(T.wait_until(lambda: status("checked", "c1") == "UP"), "c1 UP by its checks")
ups = run.stderr().count("checked/c1 is UP")
T.check(cmd("set server checked/c1 health stopping") == "\n", "c1 stopping")
T.check(T.wait_until(lambda: run.stderr().count("checked/c1 is UP") > ups and
                     status("checked", "c1") == "UP"),
        "c1 UP again after its next passing check (logged as coming UP)")

T.check(cmd("set server rr/s1 health maybe") ==
        "'set server <srv> health' expects 'up', 'stopping', or 'down'.\n\n",
        "a bad word: HAProxy's message")

rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
