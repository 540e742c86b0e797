#!/usr/bin/python3
"""`show stat typed|json` and `show info typed|json` on a real stats
socket: every typed line in HAProxy 2.6's "K.iid.sid.pos.name.1:tags:type:
value" layout, the json an array of rows of field objects Python parses,
both carrying the CSV's values (read in a quiet moment), the <iid> <type>
<sid> filters and `up` applying to them; side by side with the installed
haproxy 2.6 on the same configuration: the same fields on each row, the
same tags, types and json keys."""
import json
import os
import re
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

up = T.Server("up", ("127.0.0.1", T.free_port()))
dead = T.dead_port()

CFG = """
global
    stats socket %s level admin
    description say \\"hi\\" \\\\o/
defaults
    mode tcp
    timeout connect 1s
    timeout client 5s
    timeout server 5s
listen l
    bind 127.0.0.1:%d
    server s 127.0.0.1:%d check inter 300
    server t 127.0.0.1:%d
    server d 127.0.0.1:%d check inter 300
frontend f2
    bind 127.0.0.1:%d
    default_backend b2
backend b2
    server u 127.0.0.1:%d maxconn 10
    server v 127.0.0.1:%d backup
"""


def config(sock):
    lp, fp = T.free_ports(2)
    upp = up.sock.getsockname()[1]
    return CFG % (sock, lp, upp, upp, dead, fp, upp, upp), lp


sock = T.tmp("typed.sock")
text, lport = config(sock)
run = T.Cfgrun(T.compile_cfg(text, "typed.cfg"))
T.check(T.wait_until(lambda: T.stat_rows(sock)[("l", "d")]["status"] == "DOWN"),
        "server d goes DOWN by its checks")
for _ in range(3):
    T.exchange(("127.0.0.1", lport), b"x")

LINE = re.compile(r"^([FBS])\.(\d+)\.(\d+)\.(\d+)\.([a-z0-9_]+)\.1:"
                  r"([MSKCP][GLmMRCDATNOa][PSsC]):(u32|u64|s32|str):(.*)$")
KIND = {"F": "0", "B": "1", "S": "2"}
OBJ = {"Frontend": "F", "Backend": "B", "Server": "S"}


def csv():
    """The CSV's columns and rows without its "-" column (HAProxy writes
    it before the module columns in the CSV only: the typed positions do
    not count it)."""
    lines = [l for l in T.stats_cmd(sock, "show stat").splitlines() if l]
    head = lines[0][2:].rstrip(",").split(",")
    cut = head.index("-")
    rows = [l.split(",") for l in lines[1:]]
    T.check(all(f[cut] == "-" for f in rows), 'CSV: "-" in its column')
    head = head[:cut] + head[cut + 1:]
    return head, {(f[0], f[1]): dict(zip(head, (f[:cut] + f[cut + 1:])[:len(head)]))
                  for f in rows}


def typed(cmd="show stat typed", path=None):
    """{(pxname, svname): {name: (kind, iid, sid, pos, tags, type, value)}}"""
    out = T.stats_cmd(path or sock, cmd)
    T.check(out.endswith("\n\n"), "%s: ends with an empty line" % cmd)
    rows, bad = {}, []
    cur = None
    for l in out.splitlines():
        if not l:
            continue
        m = LINE.match(l)
        if not m:
            bad.append(l)
            continue
        k, iid, sid, pos, name, tags, typ, val = m.groups()
        if name == "pxname":
            cur = {}
            rows[(val, None)] = cur
        cur[name] = (k, iid, sid, int(pos), tags, typ, val)
        if name == "svname":
            rows[(cur["pxname"][6], val)] = rows.pop((cur["pxname"][6], None))
    T.check(not bad, "%s: every line in the typed layout (%s)" % (cmd, bad[:2]))
    return rows


def jstat(cmd="show stat json", path=None):
    out = T.stats_cmd(path or sock, cmd)
    T.check(out.endswith("]\n\n"), "%s: the array, a line end, an empty line" % cmd)
    data = json.loads(out)
    rows = {}
    for row in data:
        f = {o["field"]["name"]: o for o in row}
        rows[(f["pxname"]["value"]["value"], f["svname"]["value"]["value"])] = f
    return data, rows


def as_text(o):
    return str(o["value"]["value"])


# -- values: typed and json carry the CSV's, read while nothing changes
def same_values():
    head0, c0 = csv()
    t = typed()
    _, j = jstat()
    head1, c1 = csv()
    if c0 != c1:
        return False
    for key, row in c0.items():
        shown = {n: v for n, v in row.items() if v != ""}
        tv = {n: f[6] for n, f in t.get(key, {}).items() if f[3] < len(head0)}
        jv = {n: as_text(o) for n, o in j.get(key, {}).items()}
        # a column empty in the CSV is left out of both; an empty text
        # (last_chk before any check output) stays in both
        if {n: v for n, v in tv.items() if v != ""} != shown:
            return False
        if {n: v for n, v in jv.items() if v != ""} != shown or set(jv) != set(tv):
            return False
    return set(t) == set(c0) == set(j)


T.check(T.wait_until(same_values, timeout=T.TIMEOUT),
        "typed and json give the CSV's rows and values (a quiet moment)")

head, c = csv()
t = typed()
data, j = jstat()
T.check(all(f[3] == head.index(n) for r in t.values() for n, f in r.items()),
        "typed: each field's position is its CSV column")
T.check(all(f[0] == {"0": "F", "1": "B", "2": "S"}[c[key]["type"]] and
            f[1] == c[key]["iid"] and f[2] == c[key]["sid"]
            for key, r in t.items() for f in r.values()),
        "typed: F/B/S, iid and sid of the row on every line")
T.check(t[("l", "d")]["lastsess"][4:6] == ("MAP", "s32") and
        t[("l", "d")]["status"][4:] == ("SGP", "str", "DOWN") and
        t[("l", "BACKEND")]["rate"][4] == "MGP" and t[("l", "s")]["rate"][4] == "MRP",
        "typed: HAProxy's tags (lastsess MAP s32, status SGP, rate MGP on backends)")
T.check(all(isinstance(o["value"]["value"], int) == (o["value"]["type"] != "str")
            for row in data for o in row),
        "json: numbers for u32/u64/s32, strings for str")
T.check(all(OBJ[o["objType"]] == t[key][o["field"]["name"]][0] and
            str(o["proxyId"]) == c[key]["iid"] and str(o["id"]) == c[key]["sid"]
            and o["processNum"] == 1 for key, r in j.items() for o in r.values()),
        "json: objType, proxyId, id, processNum of the row")
T.check(all(j[k][n]["tags"]["origin"][0] + j[k][n]["tags"]["nature"][0]
            == t[k][n][4][:2].replace("a", "A").replace("m", "M")
            for k in t for n in t[k]),
        "json: the tags in words, the same as the typed letters")

# -- filters and options
t = typed("show stat 1 4 -1 typed")
T.check(set(t) == {("l", "s"), ("l", "t"), ("l", "d")},
        "show stat 1 4 -1 typed: the servers of proxy 1 only (%s)" % sorted(t))
_, j = jstat("show stat b2 2 -1 json")
T.check(set(j) == {("b2", "BACKEND")}, "show stat b2 2 -1 json: b2's backend row only")
t = typed("show stat -1 4 2 typed")
T.check(set(t) == {("l", "t"), ("b2", "v")}, "show stat -1 4 2 typed: sid 2 of each backend")
_, j = jstat("show stat json up")
T.check(("l", "d") not in j and ("l", "s") in j, "show stat json up: the DOWN server left out")
data, j = jstat("show stat f2 4 -1 json")
T.check(data == [] and j == {}, "json with no row: an empty array")
out = T.stats_cmd(sock, "show stat xml")
T.check("unknown or unsupported option 'xml'" in out and out.endswith("\n\n"),
        "show stat xml: refused with a message")

# -- show info
plain = dict(l.split(": ", 1) for l in T.stats_cmd(sock, "show info").splitlines() if l)
ti, bad = {}, []
out = T.stats_cmd(sock, "show info typed")
for l in out.splitlines():
    m = re.match(r"^(\d+)\.([A-Za-z_-]+)\.1:([MSKCP][GLmMRCDATNOa][PSsC]):"
                 r"(u32|u64|s32|str):(.*)$", l)
    if m:
        ti[m.group(2)] = m.groups()
    elif l:
        bad.append(l)
T.check(not bad and out.endswith("\n\n"),
        "show info typed: every line in the typed layout (%s)" % bad[:2])
ji = {o["field"]["name"]: o for o in json.loads(T.stats_cmd(sock, "show info json"))}
moving = {"Uptime", "Uptime_sec"}
T.check(set(ti) == set(ji) == set(plain) and
        all(ti[n][4] == plain[n] == as_text(ji[n]) for n in plain if n not in moving),
        "show info typed/json: the plain form's fields and values")
T.check(ji["description"]["value"]["value"] == 'say "hi" \\o/' and
        ti["Pid"][1:] == ("Pid", "SGP", "u32", str(run.proc.pid)) and
        ti["Name"][0] == "0" and ti["CurrConns"][0] == "17",
        "show info: quotes and backslashes escaped in json, HAProxy's positions and tags")
out = T.stats_cmd(sock, "show info xml")
T.check("unknown or unsupported option 'xml'" in out, "show info xml: refused")

# -- side by side with HAProxy 2.6
if shutil.which("haproxy"):
    hsock = T.tmp("hx.sock")
    hcfg = T.tmp("hx.cfg")
    with open(hcfg, "w") as f:
        # HAProxy 2.6 puts strings in its json unescaped: no quote there
        f.write(config(hsock)[0].replace('say \\"hi\\" \\\\o/', "hi"))
    hx = subprocess.Popen(["haproxy", "-f", hcfg, "-db"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        T.check(T.wait_until(lambda: os.path.exists(hsock)), "haproxy started")
        T.wait_until(lambda: T.stat_rows(hsock)[("l", "d")]["status"] == "DOWN")
        ht = typed(path=hsock)
        ours = typed()
        # HAProxy's general columns and its ssl module's (103-105);
        # need_conn_est and the agg_* columns are not filled by cfgrun
        # (doc/operations.md)
        skip = {"need_conn_est", "agg_server_status",
                "agg_server_check_status", "agg_check_status"}
        diff = []
        for key in ht:
            h = {n: f for n, f in ht[key].items() if f[3] <= 105 and n not in skip}
            o = {n: f for n, f in ours.get(key, {}).items() if f[3] <= 105}
            if set(h) != set(o):
                diff.append((key, sorted(set(h) ^ set(o))))
            diff += [(key, n, h[n][4:6], o[n][4:6]) for n in set(h) & set(o)
                     if h[n][0] != o[n][0] or h[n][3:6] != o[n][3:6]]
        T.check(set(ht) == set(ours) and not diff,
                "typed: the same fields, positions, tags and types as haproxy's "
                "on every row (%s)" % diff[:3])
        hj = json.loads(T.stats_cmd(hsock, "show stat json"))
        oj = json.loads(T.stats_cmd(sock, "show stat json"))
        keys = lambda d: {(tuple(o), tuple(o["field"]), tuple(o["tags"]),
                           tuple(o["value"])) for row in d for o in row}
        T.check(keys(hj) == keys(oj), "json: haproxy's keys in its order")
        hi = json.loads(T.stats_cmd(hsock, "show info json"))
        hi = {o["field"]["name"]: o for o in hi}
        bad = [n for n in ji if n in hi and
               (hi[n]["field"] != ji[n]["field"] or hi[n]["tags"] != ji[n]["tags"]
                or hi[n]["value"]["type"] != ji[n]["value"]["type"] or
                list(hi[n]) != list(ji[n]))]
        T.check(not bad and len(set(ji) & set(hi)) >= 20,
                "show info json: haproxy's positions, tags and types for its "
                "%d fields (%s)" % (len(set(ji) & set(hi)), bad))
    finally:
        hx.kill()
        hx.wait()
else:
    T.log("haproxy not installed: side by side comparison skipped")

rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
