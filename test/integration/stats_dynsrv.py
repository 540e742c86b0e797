#!/usr/bin/python3
"""Dynamic servers on the stats socket: `add server B/S ADDR [options]`
and `del server B/S`, as HAProxy 2.6 answers them. An added server starts
in maintenance; once enabled it takes its share of the traffic, shows in
show stat, show servers state, the stats page and the Prometheus
exporter, and its checks (started with `enable health`) take it DOWN when
its server dies. del refuses a server in use or not in maintenance; the
room per generation is bounded; a reload keeps added servers, with their
state, in backends still dynamic, unless the configuration names one."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

fe, pa, pb, pc, st, p1, p2, p3, p4, wf, wo = T.free_ports(11)
ALGOS = {"leastconn": p1, "first": p2, "random": p3, "source\n    hash-type consistent": p4}
srv_a = T.Server("A", ("127.0.0.1", pa))
srv_b = T.Server("B", ("127.0.0.1", pb))
srv_c = T.Server("C", ("127.0.0.1", pc))
origin = H.Origin(("127.0.0.1", wo), lambda r: H.ok(b"origin"))
sock = T.tmp("admin.sock")
CFG = """
global
    stats socket %(sock)s level admin
defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:%(fe)d
    default_backend be
backend be
    balance roundrobin
    server s1 127.0.0.1:%(pa)d
backend st
    balance static-rr
    server s1 127.0.0.1:%(pa)d
%(algos)s
frontend webfe
    mode http
    bind 127.0.0.1:%(wf)d
    default_backend web
backend web
    mode http
    cookie SRV insert indirect
    server s1 127.0.0.1:%(pa)d cookie s1 disabled
backend hs
    balance source
    server s1 127.0.0.1:%(pa)d
listen stats
    mode http
    bind 127.0.0.1:%(st)d
    stats enable
    stats uri /stats
    http-request use-service prometheus-exporter if { path /metrics }
"""
algos = "".join("""listen a%d
    bind 127.0.0.1:%d
    balance %s
    server s1 127.0.0.1:%d disabled
""" % (i, port, algo, pa) for i, (algo, port) in enumerate(ALGOS.items()))
CFG = CFG % locals()
plan = T.compile_cfg(CFG, "dynsrv.cfg")
run = T.Cfgrun(plan)


def cmd(c):
    return T.stats_cmd(sock, c)


def rows():
    return T.stat_rows(sock)


def state_lines(be="be"):
    return [l.split() for l in cmd("show servers state %s" % be).splitlines()[2:]
            if l]


def served(n):
    return T.server_names(("127.0.0.1", fe), n)


def http_get(path):
    c = H.connect(st)
    c.sendall(b"GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path.encode())
    code, _, body = H.recv_response(c, "GET")
    c.close()
    return code, body.decode()


# -- bad arguments: HAProxy 2.6's answers (cfgrun's words for its limits)
for line, want in [
        ("add server be", "Require 'backend/server'.\n"),
        ("add server be/", "Require 'backend/server'.\n"),
        ("del server be", "Require 'backend/server'.\n"),
        ("add server nob/x 127.0.0.1:1", "No such backend.\n"),
        ("del server nob/x", "No such backend.\n"),
        ("del server be/nope", "No such server.\n"),
        ("add server st/x 127.0.0.1:1",
         "Backend must use a dynamic load balancing to support dynamic servers.\n"),
        ("add server be/x",
         "'server' expects <name> and <addr>[:<port>] as arguments.\n\n"),
        ("add server be/s1 127.0.0.1:1",
         "Already exists a server with the same name in backend.\n\n"),
        ("add server be/x 127.0.0.1:1 bogus", "unknown keyword 'bogus'.\n\n"),
        ("add server be/x 127.0.0.1:1 weight 300",
         "weight of server x is not within 0 and 256 (300)..\n\n"),
        ("add server be/x 127.0.0.1:1 fall 0", "'fall' has to be > 0..\n\n"),
        ("add server be/x 127.0.0.1:1 rise", "'rise' expects an integer argument..\n\n"),
        ("add server be/x 127.0.0.1:1 inter", "'inter' expects a delay as argument..\n\n"),
        ("add server be/x 127.0.0.1:1 inter 10x",
         "unexpected character 'x' in 'inter' argument of server x..\n\n"),
        ("add server be/x 127.0.0.1:1 inter 0",
         "invalid value 0 for argument 'inter' of server x..\n\n"),
        ("add server be/x 127.0.0.1:1 cookie c",
         "'cookie' option is not accepted for dynamic server\n\n"),
        ("add server be/x 127.0.0.1:99999", "invalid port '99999'\n\n"),
        ("add server be/x 127.0.0.1:abc",
         "invalid character 'a' in port number 'abc' in '127.0.0.1:abc'\n\n"),
        ("add server be/x 127.0.0.1:1 ssl",
         "'ssl' is not supported by cfgrun on 'add server'.\n\n"),
        ("add server be/x 127.0.0.1 check",
         "a health-checked server needs a fixed port: give <addr>:<port>.\n\n"),
        ("add server be/x example.com:80",
         "'example.com' is not an IPv4 or IPv6 address: cfgrun resolves no names at run time and adds no unix socket servers.\n\n"),
        ("add server be/%s 127.0.0.1:1" % ("n" * 64),
         "server name '%s...' is too long: cfgrun takes at most 63 bytes.\n\n" % ("n" * 20)),
        ("add server be/a,b 127.0.0.1:1",
         "invalid character ',' in server name 'a,b'.\n\n"),
]:
    got = cmd(line)
    T.check(got == want, "%r answers %r (got %r)" % (line, want, got))
T.check(set(r[1] for r in rows() if r[0] == "be") == {"s1", "BACKEND"},
        "no server was added by the refused commands")
T.check("add server <bk>/<srv>" in cmd("help") and
        "del server <bk>/<srv>" in cmd("help"), "help lists add and del server")

T.check(cmd("add server hs/x 127.0.0.1:1") ==
        "Backend must use a dynamic load balancing to support dynamic servers.\n",
        "map-based hashing is a static algorithm too")

# -- every dynamic algorithm balances an added server (its only usable one)
for i, (algo, port) in enumerate(ALGOS.items()):
    T.check(cmd("add server a%d/d 127.0.0.1:%d" % (i, pc)) ==
            "New server registered.\n\n" and
            cmd("enable server a%d/d" % i) == "\n", "added to a%d" % i)
    got = T.server_names(("127.0.0.1", port), 3)
    T.check(got == ["C"] * 3, "balance %s sends to the added server (%r)"
            % (algo.split()[0] + (" consistent" if "consistent" in algo else ""),
               got))

# -- HTTP: requests on a keep-alive connection to an added server
T.check(cmd("add server web/w 127.0.0.1:%d" % wo) ==
        "New server registered.\n\n" and cmd("enable server web/w") == "\n",
        "w added to the HTTP backend web")
kc = H.connect(wf)
for i in range(3):
    kc.sendall(b"GET /%d HTTP/1.1\r\nHost: x\r\n\r\n" % i)
    code, h, body = H.recv_response(kc, "GET")
    # a server without a cookie value: the client's is cleared (HAProxy)
    T.check(code == 200 and body == b"origin" and
            h.get("set-cookie", [""])[0].startswith("SRV=;"),
            "request %d served by w, no persistence cookie (%r)" % (i, h))
kc.close()
T.check(rows()[("web", "w")]["stot"] != "0", "show stat counts w's sessions")
T.check(cmd("disable server web/w") == "\n", "w in maintenance")
T.check(T.wait_until(lambda: cmd("del server web/w") == "Server deleted.\n"),
        "w deleted once its client left")

# -- add: in maintenance, shown everywhere, no traffic yet
T.check(cmd("add server be/d1 127.0.0.1:%d check inter 100ms fall 2 rise 1" % pb)
        == "New server registered.\n\n", "add server be/d1")
r = rows()
T.check(("be", "d1") in r and r[("be", "d1")]["status"] == "MAINT" and
        r[("be", "d1")]["sid"] == "2" and r[("be", "d1")]["addr"] ==
        "127.0.0.1:%d" % pb, "show stat: d1, MAINT, sid 2 (%r)" % r.get(("be", "d1")))
sl = [l for l in state_lines() if l[3] == "d1"]
T.check(sl and sl[0][2] == "2" and sl[0][5] == "0" and sl[0][6] == "1" and
        sl[0][13] == "10" and sl[0][18] == str(pb),
        "show servers state: sid 2, stopped, maintenance, checks configured "
        "not enabled (%r)" % sl)
T.check(set(served(4)) == {"A"}, "a server in maintenance takes no traffic")
code, page = http_get("/stats;csv")
T.check(code == 200 and "\nbe,d1," in page, "the stats page lists d1")
code, text = http_get("/metrics")
T.check(code == 200 and 'proxy="be",server="d1"' in text,
        "the Prometheus exporter lists d1")

# -- enable: balanced with the others; checks only after enable health
T.check(cmd("enable server be/d1") == "\n", "enable server be/d1")
got = served(6)
T.check(sorted(got) == ["A"] * 3 + ["B"] * 3,
        "round robin over s1 and d1 (%r)" % got)
nb = srv_b.accepted
T.check(not T.wait_until(lambda: srv_b.accepted > nb, timeout=0.5),
        "no check before enable health")
T.check(cmd("enable health be/d1") == "\n", "enable health be/d1")
T.check(T.wait_until(lambda: srv_b.accepted >= nb + 3),
        "d1 is health-checked every 100 ms")
T.check(T.wait_until(lambda: rows()[("be", "d1")]["check_status"] == "L4OK"),
        "show stat shows d1's check result")
sl = [l for l in state_lines() if l[3] == "d1"]
T.check(sl and sl[0][5] == "2" and sl[0][6] == "0" and sl[0][13] == "6",
        "show servers state: running, ready, checks enabled (%r)" % sl)

# -- its server dies: checks take it DOWN, traffic goes to s1 only
srv_b.close()
T.check(T.wait_until(lambda: rows()[("be", "d1")]["status"] == "DOWN"),
        "d1 goes DOWN when nothing listens any more")
T.check(set(served(4)) == {"A"}, "a DOWN added server takes no traffic")
T.check(run.wait_for("Server be/d1 is DOWN"), "the DOWN line is logged")
T.check(cmd("del server be/d1") ==
        "Only servers in maintenance mode can be deleted.\n",
        "del refuses a server not in maintenance")

# -- del refuses while a connection uses the server, succeeds after
T.check(cmd("add server be/d2 127.0.0.1:%d weight 5" % pc)
        == "New server registered.\n\n", "add server be/d2")
T.check(cmd("enable server be/d2") == "\n" and
        cmd("disable server be/s1") == "\n", "only d2 serves")
held, name = T.hold(("127.0.0.1", fe))
T.check(name == "C", "a held connection on d2 (%r)" % name)
T.check(cmd("disable server be/d2") == "\n", "d2 in maintenance")
T.check(cmd("del server be/d2") ==
        "Server still has connections attached to it, cannot remove it.\n",
        "del refuses a server with a connection")
held.close()
T.check(T.wait_until(lambda: cmd("del server be/d2") == "Server deleted.\n"),
        "del succeeds once the connection ended")
T.check(("be", "d2") not in rows(), "show stat forgot d2")
T.check(not [l for l in state_lines() if l[3] == "d2"],
        "show servers state forgot d2")
T.check(cmd("disable server be/d2") == "No such server.\n\n",
        "d2 is no longer known")
T.check(cmd("del server be/d2") == "No such server.\n", "nor to del")
T.check(cmd("enable server be/s1") == "\n", "s1 back")
T.check(cmd("add server be/d2 127.0.0.1:%d" % pc) ==
        "New server registered.\n\n", "the name may be used again")
T.check(rows()[("be", "d2")]["sid"] == "4", "with a new sid")
T.check(cmd("disable server be/s1") == "\n" and
        cmd("del server be/s1") == "Server deleted.\n",
        "a configured server in maintenance may be deleted too")
T.check(cmd("enable server be/d2") == "\n" and set(served(4)) == {"C"},
        "the added server serves alone")

# -- under traffic on every thread: servers come and go, none is lost
import threading
stop = threading.Event()
seen, errors = [], []


def traffic():
    while not stop.is_set():
        try:
            seen.extend(served(1))
            http_get("/stats;csv")
        except OSError as e:
            errors.append(e)


workers = [threading.Thread(target=traffic, daemon=True) for _ in range(3)]
for w in workers:
    w.start()
for i in range(10):
    T.check(cmd("add server be/t%d 127.0.0.1:%d" % (i, pa)) ==
            "New server registered.\n\n" and
            cmd("enable server be/t%d" % i) == "\n", "t%d added and enabled" % i)
    T.check(T.wait_until(lambda: "A" in seen[-4:]), "t%d serves" % i)
    T.check(cmd("disable server be/t%d" % i) == "\n", "t%d in maintenance" % i)
    T.check(T.wait_until(lambda: cmd("del server be/t%d" % i) ==
                         "Server deleted.\n"), "t%d deleted" % i)
stop.set()
for w in workers:
    w.join(T.TIMEOUT)
T.check(not errors and None not in seen and len(seen) > 10,
        "%d connections served while servers came and went, none refused "
        "(%r)" % (len(seen), errors[:3]))
T.check(T.wait_until(lambda: rows()[("be", "BACKEND")]["scur"] == "0"),
        "the connections ended")

# -- the room of a generation is bounded: 1024 adds, deleted ones included
used = 14 + len(ALGOS)     # adds so far, deleted ones included
line = ";".join("add server be/f%d 127.0.0.1:%d" % (i, pc)
                for i in range(1024 - used))
ans = cmd(line)
T.check(ans.count("New server registered.") == 1024 - used,
        "the room filled up (%d added)" % ans.count("New server registered."))
T.check(cmd("add server be/g 127.0.0.1:%d" % pc) ==
        "No room for another server: cfgrun adds at most 1024 servers per "
        "plan generation (deleted ones included); a reload makes room again.\n\n",
        "the 1025th is refused with the limit")
T.check(len([l for l in state_lines() if l[3].startswith("f")]) == 1024 - used,
        "show servers state lists them all")
T.check(set(served(3)) == {"C"}, "traffic still flows")

# -- a reload keeps the servers added, with their state, where it can
def reload(text):
    T.compile_cfg(text, "dynsrv.cfg", out=plan)
    T.check(run.reload(), "reloaded")


live = 1024 - 12            # web/w, the first d2, t0..t9 were deleted
reload(CFG)
r = rows()
T.check(len([k for k in r if k[0] == "be" and k[1][0] == "f"]) == 1024 - used,
        "the added servers are kept")
T.check(r[("be", "s1")]["status"] == "no check",
        "s1, deleted before, is back in service from the plan")
T.check(r[("be", "d2")]["status"] == "no check" and
        r[("be", "d1")]["status"] == "DOWN" and
        r[("be", "f0")]["status"] == "MAINT",
        "each with its state (d2 in service, d1 DOWN, f0 in maintenance)")
T.check(r[("be", "d1")]["chkdown"] == "1" and r[("be", "d2")]["stot"] != "0",
        "and its counters")
T.check(run.wait_for("reload: %d servers added on the stats socket kept" % live),
        "the log counts them")
T.check(sorted(served(4)) == ["A", "A", "C", "C"],
        "s1 and d2 share the traffic after the reload")
T.check(cmd("add server be/g 127.0.0.1:%d" % pc) ==
        "New server registered.\n\n", "a reload makes room (only live ones kept)")
T.check(cmd("del server be/g") == "Server deleted.\n", "g deleted")
# the configuration wins over an added server of the same name
reload(CFG.replace("    server s1 127.0.0.1:%d\n" % pa,
                   "    server s1 127.0.0.1:%d\n    server f0 127.0.0.1:%d\n"
                   % (pa, pa), 1))
r = rows()
T.check(r[("be", "f0")]["sid"] == "2" and
        r[("be", "f0")]["addr"] == "127.0.0.1:%d" % pa,
        "f0 is the configured one now (%r)" % r[("be", "f0")]["addr"])
T.check(run.wait_for("reload: 1 server added on the stats socket dropped"),
        "the added f0 is dropped, and said so")
# a backend turned static loses them
reload(CFG.replace("balance roundrobin", "balance static-rr", 1))
T.check(set(k[1] for k in rows() if k[0] == "be") == {"s1", "BACKEND"},
        "be, now static-rr, has its configured server only")
T.check(("a0", "d") in rows(), "the other backends keep theirs")
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
