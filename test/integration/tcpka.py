#!/usr/bin/python3
"""option clitcpka / srvtcpka / tcpka: cfgrun's sockets to the client and
to the server have SO_KEEPALIVE, seen from outside as the kernel's
keepalive timer (timer 2 in /proc/<pid>/net/tcp) on an idle established
connection; without the options no timer runs on them."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

sp, fe1, fe2 = T.free_ports(3)
srv = T.Server("s0", ("127.0.0.1", sp))
CFG = """
defaults
    timeout connect 2s
    timeout client 30s
    timeout server 30s
frontend ka
    bind 127.0.0.1:%d
    option clitcpka
    default_backend b_ka
backend b_ka
    option srvtcpka
    server s 127.0.0.1:%d
listen plain
    bind 127.0.0.1:%d
    option tcpka
    no option tcpka
    server s 127.0.0.1:%d
""" % (fe1, sp, fe2, sp)
plan = T.compile_cfg(CFG, "tcpka.cfg")
run = T.Cfgrun(plan)


def timers(pid):
    """(local port, remote port) -> timer kind of established IPv4 TCP
    sockets seen by process `pid`."""
    out = {}
    with open("/proc/%d/net/tcp" % pid) as f:
        next(f)
        for line in f:
            c = line.split()
            if c[3] != "01":            # ESTABLISHED
                continue
            lp = int(c[1].split(":")[1], 16)
            rp = int(c[2].split(":")[1], 16)
            out[(lp, rp)] = int(c[5].split(":")[0], 16)
    return out


def cfgrun_sides(fe, cport):
    """Timer kinds of cfgrun's client socket (local fe, remote cport) and
    of its server socket (remote sp, not the test's own client), once both
    are established."""
    got = {}

    def ready():
        t = timers(run.proc.pid)
        cli = t.get((fe, cport))
        srvs = [k for (lp, rp), k in t.items()
                if rp == sp and lp not in known_srv_ports]
        if cli is None or len(srvs) != 1:
            return False
        got["cli"], got["srv"] = cli, srvs[0]
        return True
    T.check(T.wait_until(ready), "both sides of the connection established")
    return got.get("cli"), got.get("srv")


known_srv_ports = set()
s1, name = T.hold(("127.0.0.1", fe1))
T.check(name == "s0", "connected through the keepalive proxy")
cli, srvk = cfgrun_sides(fe1, s1.getsockname()[1])
T.check(cli == 2, "clitcpka: keepalive timer on the client side (timer %s)" % cli)
T.check(srvk == 2, "srvtcpka: keepalive timer on the server side (timer %s)" % srvk)
known_srv_ports = {lp for (lp, rp) in timers(run.proc.pid) if rp == sp}
s1.close()

s2, name = T.hold(("127.0.0.1", fe2))
T.check(name == "s0", "connected through the plain proxy")
cli, srvk = cfgrun_sides(fe2, s2.getsockname()[1])
# a retransmission timer may still run a moment after the greeting; a
# keepalive timer never goes away
T.wait_until(lambda: cfgrun_sides(fe2, s2.getsockname()[1]) == (0, 0),
             timeout=5)
cli, srvk = cfgrun_sides(fe2, s2.getsockname()[1])
T.check(cli == 0 and srvk == 0,
        "no option tcpka: no timer on either side (%s, %s)" % (cli, srvk))
s2.close()
rc, _ = run.stop()
T.check(rc == 0, "cfgrun stops cleanly")
srv.close()
T.done()
