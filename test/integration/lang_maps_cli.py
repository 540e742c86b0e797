#!/usr/bin/python3
"""Maps and ACL files changed on the stats socket while traffic runs:
`add acl`/`del acl`/`clear acl` on -f files turn deny decisions on and
off (values written on the line stay), `show acl` as HAProxy; requests
routed by
use_backend %[req.hdr(host),lower,map(FILE,be_default)] follow `add map`,
`set map`, `del map` (by key and by #entry) and `clear map` at once;
`show map` answers in HAProxy's format; a map_ip map refuses a key that is
no address; a user-level socket is refused; two threads route requests
while entries come and go (each answer is one of the two possible
backends); a reload keeps the changes when the file did not change and
drops them when it did."""
import os
import re
import sys
import threading

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

fe, p_api, p_www, p_def = T.free_port(), T.free_port(), T.free_port(), T.free_port()
o_api = H.Origin(("127.0.0.1", p_api), lambda req: H.ok(b"api"))
o_www = H.Origin(("127.0.0.1", p_www), lambda req: H.ok(b"www"))
o_def = H.Origin(("127.0.0.1", p_def), lambda req: H.ok(b"default"))

hosts = T.tmp("hosts.map")
with open(hosts, "w") as f:
    f.write("# host to backend\napi.example.com be_api\nwww.example.com be_www\n")
nets = T.tmp("nets.map")
with open(nets, "w") as f:
    f.write("10.0.0.0/8 inside\n")
deny = T.tmp("deny.acl")
with open(deny, "w") as f:
    f.write("10.0.0.0/8\n")
paths = T.tmp("paths.lst")
with open(paths, "w") as f:
    f.write("/admin\n")
sock = T.tmp("admin.sock")
usock = T.tmp("user.sock")

CFG = r"""
global
    nbthread 2
    stats socket %(sock)s level admin
    stats socket %(usock)s level user
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:%(fe)d
    acl bad src -f %(deny)s
    acl blocked path_beg -f %(paths)s /static
    http-request deny deny_status 429 if bad
    http-request deny deny_status 403 if blocked
    http-request set-header X-Net %%[src,map_ip(%(nets)s,outside)]
    use_backend %%[req.hdr(host),lower,map(%(hosts)s,be_default)]
backend be_api
    server s 127.0.0.1:%(p_api)d
backend be_www
    server s 127.0.0.1:%(p_www)d
backend be_default
    server s 127.0.0.1:%(p_def)d
""" % locals()
plan = T.compile_cfg(CFG, "maps.cfg")
cfg_path = T.tmp("maps.cfg")
run = T.Cfgrun(plan)


def get(host, path="/"):
    c = H.connect(fe)
    c.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: " +
              host.encode() + b"\r\n\r\n")
    st, _, body = H.recv_response(c)
    c.close()
    return st, body.decode()


def cli(cmd, path=sock):
    return T.stats_cmd(path, cmd)


T.check(get("new.example.com") == (200, "default"), "unknown host: default")

# show map: the list, then one map's entries in file order.
out = cli("show map")
lines = out.split("\n")
T.check(lines[0] == "# id (file) description", "show map header (%r)" % out)
want = ("%d (%s) pattern loaded from file '%s' used by map at file '%s' "
        "line %d. curr_ver=0 next_ver=0 entry_cnt=2")
T.check(want % (3, hosts, hosts, cfg_path, 18) in lines,
        "show map line of the hosts map (%r)" % out)
T.check(want.replace("entry_cnt=2", "entry_cnt=1") % (2, nets, nets, cfg_path, 17)
        in lines, "show map line of the nets map (%r)" % out)
T.check(out.endswith("\n\n"), "show map ends with an empty line")
out = cli("show map " + hosts)
ent = re.findall(r"^(0x[0-9a-f]+) (\S+) (\S+)$", out, re.M)
T.check([(k, v) for _, k, v in ent] ==
        [("api.example.com", "be_api"), ("www.example.com", "be_www")] and
        out.endswith("\n\n"), "show map FILE: id key value lines (%r)" % out)
T.check(cli("show map #3") == out, "show map #3 names the same map")
T.check(cli("show map #0").startswith("Unknown map identifier"),
        "an ACL file's id is no map's")
T.check(cli("show map nope") ==
        "Unknown map identifier. Please use #<id> or <file>.\n\n",
        "unknown map answered as HAProxy")

# add: traffic follows at once; set: the value changes; del: default.
T.check(cli("add map %s new.example.com be_www" % hosts) == "\n", "add map")
T.check(get("NEW.example.com") == (200, "www"), "added host routed to be_www")
T.check(cli("set map %s new.example.com be_api" % hosts) == "\n", "set map")
T.check(get("new.example.com") == (200, "api"), "set map moved it to be_api")
T.check(cli("set map %s nobody be_api" % hosts) == "entry not found.\n\n",
        "set map of a missing key")
T.check(cli("del map %s new.example.com" % hosts) == "\n", "del map")
T.check(get("new.example.com") == (200, "default"), "deleted: default again")
T.check(cli("del map %s new.example.com" % hosts) == "Key not found.\n\n",
        "del map of a missing key")
T.check(cli("add map " + hosts) .startswith("'add map' expects three parameters"),
        "add map without key and value")

# Backslashes escape as in HAProxy's CLI: a space, a ';', a backslash.
T.check(cli(r"add map %s k\ with\ space v\;1 ; add map %s re\.x\\y v2"
            % (hosts, hosts)) == "\n\n", "escaped words, two commands")
out = cli("show map " + hosts)
T.check(" k with space v;1\n" in out and " re.x\\y v2\n" in out,
        "escaped key and value stored unescaped (%r)" % out)
T.check(cli(r"del map %s k\ with\ space" % hosts) == "\n" and
        cli(r"del map %s re.x\\y" % hosts) == "\n", "deleted by escaped key")

# del by the entry's id from show map.
api_id = [i for i, k, _ in ent if k == "api.example.com"][0]
T.check(cli("del map %s #%s" % (hosts, api_id)) == "\n", "del map #ID")
T.check(get("api.example.com") == (200, "default"), "api host removed by id")
T.check("api.example.com" not in cli("show map " + hosts), "gone from show map")

# map_ip: keys must be addresses; a new network applies to traffic.
T.check(cli("add map %s not-an-ip x" % nets) ==
        "'not-an-ip' is not a valid IPv4 or IPv6 address.\n\n",
        "map_ip refuses a key that is no address")
T.check(cli("add map %s 127.0.0.0/8 loopback" % nets) == "\n", "add network")
get("www.example.com")
T.check(o_www.requests[-1]["headers"].get("x-net") == ["loopback"],
        "map_ip longest prefix from the added network (%r)"
        % o_www.requests[-1]["headers"].get("x-net"))

# ACL -f files: show, then add/del/clear change deny decisions at once.
out = cli("show acl")
want = ("%d (%s) pattern loaded from file '%s' used by acl at file '%s' "
        "line %d. curr_ver=0 next_ver=0 entry_cnt=1")
T.check(out.startswith("# id (file) description\n") and
        want % (0, deny, deny, cfg_path, 13) in out.split("\n") and
        want % (1, paths, paths, cfg_path, 14) in out.split("\n") and
        hosts not in out, "show acl lists the -f files (%r)" % out)
out = cli("show acl " + paths)
T.check(re.fullmatch(r"0x[0-9a-f]+ /admin\n\n", out), "show acl FILE (%r)" % out)
T.check(get("www.example.com", "/admin/x")[0] == 403, "file value denies")
T.check(get("www.example.com")[0] == 200, "loopback not denied yet")
T.check(cli("add acl %s 127.0.0.1" % deny) == "\n", "add acl")
T.check(get("www.example.com")[0] == 429, "added address denied at once")
T.check(cli("add acl %s nope" % deny) ==
        "'nope' is not a valid IPv4 or IPv6 address.\n\n",
        "add acl refuses a non-address for src")
T.check(cli("add acl " + deny) ==
        "'add acl' expects two parameters: ACL identifier and pattern.\n\n",
        "add acl without a value")
T.check(cli("del acl %s 127.0.0.1" % deny) == "\n", "del acl")
T.check(get("www.example.com")[0] == 200, "deleted address passes again")
T.check(cli("del acl %s 9.9.9.9" % deny) == "Key not found.\n\n",
        "del acl of a missing value")
T.check(cli("del acl %s /admin" % paths) == "\n", "del acl of a path")
T.check(get("www.example.com", "/admin/x")[0] == 200, "/admin passes now")
T.check(get("www.example.com", "/static/a")[0] == 403,
        "the value written on the line still denies")
T.check(cli("clear acl " + paths) == "\n" and
        cli("add acl %s /new" % paths) == "\n", "clear acl, add acl")
T.check(get("www.example.com", "/new/a")[0] == 403, "added path denies")
T.check(cli("clear acl") == "Missing ACL identifier.\n\n", "clear acl alone")
T.check(cli("show acl nope") ==
        "Unknown ACL identifier. Please use #<id> or <file>.\n\n",
        "unknown ACL file")

# Level user may not look or change.
T.check(cli("show map", usock) == "Permission denied\n\n", "user level: show")
T.check(cli("add map %s a b" % hosts, usock) == "Permission denied\n\n",
        "user level: add")
T.check(cli("add acl %s 1.2.3.4" % deny, usock) == "Permission denied\n\n",
        "user level: add acl")

# Two threads route (and are denied) while entries come and go.
errors = []


def hammer():
    for _ in range(150):
        st, body = get("flip.example.com")
        if not ((st == 200 and body in ("www", "default")) or st == 429):
            errors.append((st, body))


ths = [threading.Thread(target=hammer) for _ in range(2)]
for t in ths:
    t.start()
for i in range(150):
    cli("add map %s flip.example.com be_www ; add acl %s 127.0.0.1"
        % (hosts, deny))
    cli("del map %s flip.example.com ; del acl %s 127.0.0.1" % (hosts, deny))
for t in ths:
    t.join()
T.check(not errors, "routing and denying while the map and the ACL file "
        "change (%r)" % errors[:3])
T.check(get("www.example.com")[0] == 200, "the address deleted last")

# clear: every host takes the default.
T.check(cli("clear map " + hosts) == "\n", "clear map")
T.check(cli("show map " + hosts) == "\n", "cleared map shows nothing")
T.check(get("www.example.com") == (200, "default"), "cleared: default")

# Reload with the files unchanged: the changes stay.
cli("add map %s kept.example.com be_api" % hosts)
T.compile_cfg(CFG, "maps.cfg", out=plan)
run.proc.send_signal(1)
run.wait_for(r"run-time changes of 4 map/ACL file\(s\) kept")
run.wait_for(r"generation 2")
T.check(get("kept.example.com") == (200, "api"), "change kept over a reload")
T.check(get("www.example.com") == (200, "default"), "clear kept too")
T.check(get("www.example.com", "/new/a")[0] == 403 and
        get("www.example.com", "/admin/x")[0] == 200,
        "ACL file changes kept over the reload")

# Reload after the file changed: the file's content rules again.
with open(hosts, "w") as f:
    f.write("www.example.com be_www\n")
T.compile_cfg(CFG, "maps.cfg", out=plan)
run.proc.send_signal(1)
run.wait_for(r"generation 3")
T.check(T.wait_until(lambda: get("www.example.com") == (200, "www")),
        "changed file: its entries again")
T.check(get("kept.example.com") == (200, "default"),
        "changes dropped with the changed file")
run.wait_for(r"run-time changes of 3 map/ACL file\(s\) kept")
T.check(o_www.requests[-1]["headers"].get("x-net") == ["loopback"],
        "the unchanged nets map kept its added network")

run.stop()

# A map too big for one piece of answer: `show map` gives every entry, as
# the client reads it, and the answer ends with its empty line.
big = T.tmp("big.map")
N = 30000
with open(big, "w") as f:
    for i in range(N):
        f.write("host%05d.example.com be_www\n" % i)
bsock = T.tmp("big.sock")
plan2 = T.compile_cfg(r"""
global
    stats socket %(bsock)s level operator
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:%(fe)d
    use_backend %%[req.hdr(host),lower,map(%(big)s,be_default)]
backend be_www
    server s 127.0.0.1:%(p_www)d
backend be_default
    server s 127.0.0.1:%(p_def)d
""" % locals(), "big.cfg")
run = T.Cfgrun(plan2)
out = cli("show map " + big, bsock)
lines = out.split("\n")
T.check(len(lines) == N + 2 and lines[-2:] == ["", ""] and
        lines[0].endswith(" host00000.example.com be_www") and
        lines[N - 1].endswith(" host%05d.example.com be_www" % (N - 1)),
        "show map of %d entries (%d bytes) complete, in order (%d lines)"
        % (N, len(out), len(lines)))
T.check(cli("add map %s host99999.example.com be_www" % big, bsock) == "\n" and
        get("host99999.example.com") == (200, "www"), "operator level may add")
out = cli("show map " + big, bsock)
T.check(out.count("\n") == N + 2 and
        out.endswith(" host99999.example.com be_www\n\n"),
        "changed big map dumped whole (%d lines)" % out.count("\n"))
run.stop()
for o in (o_api, o_www, o_def):
    o.close()
T.done()
