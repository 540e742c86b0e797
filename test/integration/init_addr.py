#!/usr/bin/python3
"""server `init-addr`: cfgc resolves a server's host name when it
compiles, method by method. With `default-server init-addr
last,libc,none`, `localhost` resolves (libc) and serves, while a name
that can never resolve (.invalid) leaves its server in maintenance
without an address, never chosen; `init-addr libc,127.0.0.1` falls back
to that IP with the line's port and serves; a list without `none` or an
IP that resolves nothing is refused at the address word."""
import os
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

pa, pc = T.free_ports(2)
sa = T.Server("a", ("127.0.0.1", pa))
sc = T.Server("c", ("127.0.0.1", pc))
fe1, fe2 = T.free_ports(2)
sock = T.tmp("ia.sock")
CFG = """
global
    stats socket %s level admin
defaults
    timeout connect 2s
    timeout client 5s
    timeout server 5s
    default-server init-addr last,libc,none
listen one
    bind 127.0.0.1:%d
    balance roundrobin
    server a localhost:%d
    server b nowhere.invalid:%d
listen two
    bind 127.0.0.1:%d
    server c nowhere.invalid:%d init-addr libc,127.0.0.1
"""
plan = T.compile_cfg(CFG % (sock, fe1, pa, pa, fe2, pc), "ia.cfg")
run = T.Cfgrun(plan)
rows = T.stat_rows(sock)
T.check(rows[("one", "a")]["status"] != "MAINT", "a (localhost) is not in "
        "maintenance (%s)" % rows[("one", "a")]["status"])
T.check(rows[("one", "b")]["status"] == "MAINT", "b (unresolvable, none) "
        "starts in maintenance (%s)" % rows[("one", "b")]["status"])
names = [T.greeting(T.exchange(("127.0.0.1", fe1), b"x")[0])[0] for _ in range(4)]
T.check(names == ["a"] * 4, "every connection goes to a, none to b (%s)" % names)
reply, _ = T.exchange(("127.0.0.1", fe2), b"x")
T.check(T.greeting(reply)[0] == "c", "c falls back to 127.0.0.1 with its port")
rc, _ = run.stop()
T.check(rc == 0, "exit 0")

bad = T.tmp("ia-bad.cfg")
with open(bad, "w") as f:
    f.write("listen l\n    bind 127.0.0.1:%d\n    timeout connect 1s\n"
            "    timeout client 1s\n    timeout server 1s\n"
            "    server d nowhere.invalid:80 init-addr last,libc\n" % fe1)
r = subprocess.run([T.CFGC, bad, "-o", T.tmp("ia-bad.plan")],
                   capture_output=True, text=True, timeout=T.TIMEOUT)
T.check(r.returncode != 0 and "ia-bad.cfg:6:14: error[unresolvable-address]"
        in r.stderr, "last,libc alone: refused at the address (%s)"
        % r.stderr.splitlines()[:1])
sa.close()
sc.close()
T.done()
