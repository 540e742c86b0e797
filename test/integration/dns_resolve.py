#!/usr/bin/python3
"""resolvers: cfgrun resolves a server's name at run time through a
nameserver (here a small UDP DNS server in this script, answering from a
dict the test changes). The server starts without an address (init-addr
none) in maintenance, serves once the name resolves to 127.0.0.1, follows
the name to 127.0.0.2 ("changed its IP ... by DNS cache"), ignores
malformed answers and keeps serving, goes to "MAINT (resolution)" when
the name gives NXDOMAIN for longer than `hold nx`, and comes back when it
resolves again, two threads serving and across a reload; a section with
parse-resolv-conf takes its nameserver from the file CFGRUN_RESOLV_CONF
names. cfgc refuses what cfgrun does not do (a tcp@ nameserver,
resolve-net) and an unknown resolvers name."""
import os
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T


from dnssrv import Dns  # noqa: E402


dns = Dns()
dns.records["app.test"] = "127.0.0.1"
port = T.free_port()
sa = T.Server("a", ("127.0.0.1", port))
sb = T.Server("b", ("127.0.0.2", port))
fe = T.free_port()
sock = T.tmp("dns.sock")
CFG = """
global
    stats socket %s level admin
    nbthread 2
resolvers local
    nameserver ns1 127.0.0.1:%d
    resolve_retries 2
    timeout resolve 100ms
    timeout retry 200ms
    hold valid 100ms
    hold nx 300ms
listen app
    bind 127.0.0.1:%d
    timeout connect 2s
    timeout client 5s
    timeout server 5s
    server s app.test:%d resolvers local init-addr none resolve-prefer ipv4
"""
plan = T.compile_cfg(CFG % (sock, dns.port, fe, port), "dns.cfg")
run = T.Cfgrun(plan)


def status():
    return T.stat_rows(sock)[("app", "s")]["status"]


def served_by(name):
    return T.wait_until(lambda: T.server_names(("127.0.0.1", fe), 1) == [name])


T.check(served_by("a"), "the name resolves to 127.0.0.1: a serves (%s)"
        % status())
T.check(status() == "no check", "s left maintenance (%s)" % status())

dns.records["app.test"] = "127.0.0.2"
T.check(served_by("b"), "the name now gives 127.0.0.2: b serves")
T.check("app/s changed its IP from 127.0.0.1 to 127.0.0.2 by DNS cache"
        in run.stderr(), "the change is logged")

dns.records["app.test"] = "BAD"
seen = dns.queries
T.check(T.wait_until(lambda: dns.queries >= seen + 6),
        "cfgrun keeps asking while the answers are malformed")
T.check(run.proc.poll() is None, "malformed answers: cfgrun still runs")
T.check(T.server_names(("127.0.0.1", fe), 2) == ["b", "b"],
        "malformed answers are ignored: s keeps 127.0.0.2")

dns.records["app.test"] = "NX"
T.check(T.wait_until(lambda: status() == "MAINT (resolution)"),
        "NXDOMAIN beyond hold nx: s in maintenance (%s)" % status())
T.check(T.server_names(("127.0.0.1", fe), 1) == [None],
        "no server while the name does not resolve")
state = [l for l in T.stats_cmd(sock, "show servers state app").splitlines()
         if l.strip() and not l.startswith("#")][-1].split()
T.check(state[3] == "s" and state[6] == "32",
        "show servers state: srv_admin_state 32 (RMAINT) (%s)" % state)

went = run.stderr().count("going to maintenance")
T.stats_cmd(sock, "enable server app/s")
T.check(T.wait_until(lambda: run.stderr().count("going to maintenance")
                     > went and status() == "MAINT (resolution)"),
        "enabled by hand while the name gives NXDOMAIN: back in maintenance "
        "at the next round (%s)" % status())

dns.records["app.test"] = "127.0.0.1"
T.check(served_by("a"), "resolving again: s back on 127.0.0.1")
T.check(status() == "no check", "s left maintenance again (%s)" % status())

# show resolvers: HAProxy's counters per nameserver
out = T.stats_cmd(sock, "show resolvers")
cnt = {}
for line in out.splitlines():
    k, _, v = line.strip().partition(":")
    if v.strip().isdigit():
        cnt[k] = int(v)
T.check(out.startswith("Resolvers section local\n nameserver ns1:\n  sent:")
        and len(cnt) == 15, "show resolvers layout (%s)" % out.splitlines()[:3])
T.check(cnt.get("sent", 0) > 0 and cnt.get("valid", 0) > 0 and
        cnt.get("update", 0) >= 2 and cnt.get("nx", 0) > 0 and
        cnt.get("invalid", 0) > 0 and cnt.get("truncated", 0) > 0 and
        cnt.get("outdated", 0) > 0, "show resolvers counts (%s)" % cnt)
T.check(T.stats_cmd(sock, "show resolvers nope").startswith(
        "Can't find that resolvers section"), "show resolvers of no section")

# a reload: the new generation resolves on its own
T.check(run.reload(), "reloaded")
dns.records["app.test"] = "127.0.0.2"
T.check(served_by("b"), "after the reload the name is followed to 127.0.0.2")
rc, _ = run.stop()
T.check(rc == 0, "exit 0")

# parse-resolv-conf: the nameservers of the file CFGRUN_RESOLV_CONF names
# (port 53: the test nameserver listens on 127.0.0.3:53 as well, root only)
try:
    dns53 = Dns(("127.0.0.3", 53))
except OSError:
    dns53 = None
if dns53:
    dns53.records["conf.test"] = "127.0.0.1"
    conf = T.tmp("resolv.conf")
    with open(conf, "w") as f:
        f.write("# test\nsearch example\nnameserver 127.0.0.3\n")
    fe2 = T.free_port()
    plan2 = T.compile_cfg("""
resolvers sys
    parse-resolv-conf
    hold valid 100ms
    timeout resolve 100ms
listen conf
    bind 127.0.0.1:%d
    timeout connect 2s
    timeout client 5s
    timeout server 5s
    server s conf.test:%d resolvers sys init-addr none resolve-prefer ipv4
""" % (fe2, port), "dns-conf.cfg")
    run2 = T.Cfgrun(plan2, env={"CFGRUN_RESOLV_CONF": conf})
    T.check(T.wait_until(lambda: T.server_names(("127.0.0.1", fe2), 1)
                         == ["a"]),
            "parse-resolv-conf: the file's nameserver resolves the name")
    rc, _ = run2.stop()
    T.check(rc == 0, "exit 0 (resolv.conf)")
    dns53.close()
else:
    T.log("skipped parse-resolv-conf: cannot listen on 127.0.0.3:53")

# what cfgc refuses
BAD = [
    ("    nameserver ns1 tcp@127.0.0.1:53\n", "", "error[unsupported]"),
    ("    nameserver ns1 127.0.0.1:53\n", " resolve-net 10.0.0.0/8",
     "error[unsupported]"),
    ("    nameserver ns1 127.0.0.1:53\n", " resolvers nope",
     "error[unknown-resolvers]"),
    ("    hold nx soon\n", "", "error[invalid-time]"),
]
for i, (res, opt, want) in enumerate(BAD):
    path = T.tmp("dns-bad%d.cfg" % i)
    with open(path, "w") as f:
        f.write("resolvers local\n%s"
                "backend b\n    timeout connect 1s\n    timeout server 1s\n"
                "    server s localhost:80 resolvers local%s\n" % (res, opt))
    r = subprocess.run([T.CFGC, path, "-o", T.tmp("dns-bad.plan")],
                       capture_output=True, text=True, timeout=T.TIMEOUT)
    T.check(r.returncode != 0 and want in r.stderr,
            "refused with %s (%s)" % (want, r.stderr.splitlines()[:1]))

# `resolvers default` needs no section: HAProxy's reads resolv.conf
plan3 = T.compile_cfg("backend b\n    timeout connect 1s\n"
                      "    timeout server 1s\n    server s localhost:80 "
                      "resolvers default\n", "dns-default.cfg")
r = subprocess.run([T.CFGC, "--dump", plan3], capture_output=True, text=True,
                   timeout=T.TIMEOUT)
T.check("resolvers default\n    parse-resolv-conf\n" in r.stdout and
        "resolvers default" in r.stdout.split("server s ")[1],
        "an undeclared 'resolvers default' reads resolv.conf (%s)"
        % r.stdout.splitlines()[:4])

# cfgc --diff names what changed in a section and in a server's resolution
plans = []
for hold, opt in (("30s", ""), ("2s", " resolve-prefer ipv4")):
    path = T.tmp("dns-diff-%s.cfg" % hold)
    with open(path, "w") as f:
        f.write("resolvers local\n    nameserver ns1 127.0.0.1:53\n"
                "    hold nx %s\nbackend b\n    timeout connect 1s\n"
                "    timeout server 1s\n    server s localhost:80 "
                "resolvers local%s\n" % (hold, opt))
    plans.append(T.compile_cfg(open(path).read(), "dns-diff-%s.cfg" % hold))
r = subprocess.run([T.CFGC, "--diff"] + plans, capture_output=True, text=True,
                   timeout=T.TIMEOUT)
T.check(r.returncode == 1 and "resolvers 'local': hold nx 30s -> 2s" in r.stdout
        and "server 's': resolution localhost:80 via local -> "
        "localhost:80 via local, prefer ipv4" in r.stdout,
        "cfgc --diff (%s)" % r.stdout.splitlines())
sa.close()
sb.close()
dns.close()
T.done()
