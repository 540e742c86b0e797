#!/usr/bin/python3
"""server-template PREFIX NUM|LO-HI FQDN:PORT [options]: cfgc makes one
server per id, named PREFIX<id>, each a server line of its own in the
plan (--dump writes them back); without resolvers they share the
address; with resolvers each takes its own address from the answer (a
name giving two addresses fills two of three slots, the third stays in
maintenance until the name gives a third), and traffic reaches every
address. cfgc refuses an SRV name and a bad count, located."""
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T          # noqa: E402
from dnssrv import Dns     # noqa: E402

port = T.free_port()
sa = T.Server("a", ("127.0.0.1", port))
sb = T.Server("b", ("127.0.0.2", port))
sc = T.Server("c", ("127.0.0.3", port))
sock = T.tmp("tpl.sock")

# 1. No resolvers: three servers on one address, every one serving.
fe = T.free_port()
plan = T.compile_cfg("""
global
    stats socket %s level admin
listen app
    bind 127.0.0.1:%d
    balance roundrobin
    timeout connect 2s
    timeout client 5s
    timeout server 5s
    server-template s 2-4 127.0.0.1:%d
""" % (sock, fe, port), "plain.cfg")
dump = subprocess.run([T.CFGC, "--dump", plan], capture_output=True,
                      text=True, timeout=60).stdout
T.check(re.findall(r"server (s\d) 127\.0\.0\.1:%d" % port, dump) ==
        ["s2", "s3", "s4"], "--dump writes s2, s3 and s4:\n" + dump)
run = T.Cfgrun(plan)
rows = T.stat_rows(sock)
T.check(all(("app", n) in rows for n in ("s2", "s3", "s4")) and
        ("app", "s1") not in rows, "show stat lists s2..s4 (%r)" %
        sorted(k for k in rows if k[0] == "app"))
T.check(T.server_names(("127.0.0.1", fe), 6) == ["a"] * 6,
        "six connections served through the three servers")
run.stop()

# 2. resolvers: app.test gives two addresses, then three.
dns = Dns()
dns.records["app.test"] = ["127.0.0.1", "127.0.0.2"]
fe = T.free_port()
plan = T.compile_cfg("""
global
    stats socket %s level admin
resolvers local
    nameserver ns1 127.0.0.1:%d
    timeout resolve 100ms
    timeout retry 200ms
    hold valid 100ms
listen app
    bind 127.0.0.1:%d
    balance roundrobin
    timeout connect 2s
    timeout client 5s
    timeout server 5s
    server-template web 3 app.test:%d resolvers local init-addr none
""" % (sock, dns.port, fe, port), "dns.cfg")
run = T.Cfgrun(plan)


def states():
    rows = T.stat_rows(sock)
    return [rows[("app", "web%d" % i)]["status"] for i in (1, 2, 3)]


T.check(T.wait_until(lambda: sorted(states()).count("no check") == 2),
        "two slots take the two addresses, one stays in maintenance (%r)"
        % states())
T.check(T.wait_until(lambda: set(T.server_names(("127.0.0.1", fe), 4)) ==
                     {"a", "b"}), "traffic reaches both addresses")
dns.records["app.test"] = ["127.0.0.1", "127.0.0.2", "127.0.0.3"]
T.check(T.wait_until(lambda: states() == ["no check"] * 3),
        "a third address fills the third slot (%r)" % states())
T.check(T.wait_until(lambda: set(T.server_names(("127.0.0.1", fe), 6)) ==
                     {"a", "b", "c"}), "traffic reaches the three addresses")
run.stop()
dns.close()


# 3. Refusals, located.
def cfgc(line):
    path = T.tmp("bad.cfg")
    with open(path, "w") as f:
        f.write("defaults\n timeout client 1s\n timeout server 1s\n"
                " timeout connect 1s\nbackend be\n %s\n" % line)
    r = subprocess.run([T.CFGC, "-c", path], capture_output=True, text=True,
                       timeout=60)
    return r.returncode, r.stdout + r.stderr


rc, out = cfgc("server-template s 3 _http._tcp.app.test")
T.check(rc != 0 and re.search(r"bad\.cfg:6:\d+: error\[unsupported\]: "
                              r"'server-template' with a DNS SRV name", out),
        "an SRV name is refused as unsupported:\n" + out)
rc, out = cfgc("server-template s 5-2 app.test:80")
T.check(rc != 0 and re.search(r"bad\.cfg:6:\d+: error\[invalid-value\]", out),
        "a reversed range is refused:\n" + out)
T.done()
