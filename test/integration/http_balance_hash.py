#!/usr/bin/python3
"""balance uri, url_param and hdr() in HTTP mode on real sockets, four
origins answering their own name. Every answer is checked against a model
of HAProxy's key derivation, sdbm hash and server map written here in
Python, and the model against Debian's haproxy 2.6 running the same
map-based sections when it is installed; the documented properties are
checked directly too: the same URI always reaches the same server,
different ones spread, `whole`, `len`, `depth` and `path-only` change the
key as documented, a missing parameter or header falls back to round
robin, `use_domain_only` keeps the main domain, `check_post` reads a POST
form, weights are respected, and with consistent hashing a server put in
maintenance only moves its own keys."""
import os
import shutil
import socket
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

NAMES = ["s1", "s2", "s3", "s4"]
ports = T.free_ports(4 + 25)
sp, fp = ports[:4], ports[4:]
origins = [H.Origin(("127.0.0.1", p), (lambda n: lambda r: H.ok(n.encode()))(n))
           for n, p in zip(NAMES, sp)]
SECTIONS = [
    ("uri", "balance uri", None),
    ("whole", "balance uri whole", None),
    ("len", "balance uri len 5", None),
    ("depth", "balance uri depth 2", None),
    ("ponly", "balance uri path-only", None),
    ("param", "balance url_param id", None),
    ("post", "balance url_param id check_post", None),
    ("hdr", "balance hdr(X-User)", None),
    ("dom", "balance hdr(Host) use_domain_only", None),
    ("weight", "balance url_param id", [3, 1, 2, 0]),
    ("cons", "balance uri\n    hash-type consistent", None),
    # the key is the target as the request rules leave it
    ("rew", "balance uri\n    http-request set-path /v2%[path]", None),
    ("hset", "balance hdr(X-Key)\n    http-request set-header X-Key fixed",
     None),
    # balance hash: a sample expression's value, hashed the same way
    ("hpath", "balance hash path", None),
    ("hcook", "balance hash req.cook(sid)", None),
    ("hlow", "balance hash req.hdr(x-user),lower", None),
    # other functions and avalanche: compared with HAProxy 2.6 directly
    ("djb2", "balance url_param id\n    hash-type map-based djb2", None),
    ("wt6", "balance url_param id\n    hash-type map-based wt6", None),
    ("crc32a", "balance url_param id\n    hash-type map-based crc32 avalanche",
     None),
    ("sdbma", "balance url_param id\n    hash-type map-based sdbm avalanche",
     [2, 3, 1, 1]),
    ("consw", "balance url_param id\n    hash-type consistent djb2 avalanche",
     [2, 1, 3, 1]),
    ("none", "balance url_param id\n    hash-type map-based none", None),
    # balance source, hashed as HAProxy hashes it (clients 127.0.0.N)
    ("src", "balance source", None),
    ("srcw", "balance source", [3, 1, 2, 1]),
    ("srcc", "balance source\n    hash-type consistent", None),
]
port_of = {name: p for (name, _, _), p in zip(SECTIONS, fp)}
sock = T.tmp("hash.sock")


def config(sections, admin):
    out = ["global"]
    if admin:
        out.append("    stats socket %s level admin" % sock)
    out += ["defaults", "    mode http", "    timeout connect 2s",
            "    timeout client 10s", "    timeout server 10s"]
    for name, bal, weights in sections:
        out += ["listen %s" % name, "    bind 127.0.0.1:%d" % port_of[name],
                "    " + bal]
        for i, (n, p) in enumerate(zip(NAMES, sp)):
            w = " weight %d" % weights[i] if weights else ""
            out.append("    server %s 127.0.0.1:%d%s" % (n, p, w))
    return "\n".join(out) + "\n"


# ---- the model: HAProxy's sdbm and map (lb_map.c) -----------------------

def sdbm(b):
    h = 0
    for c in b:
        h = (c + (h << 6) + (h << 16) - h) & 0xffffffff
    return h


def hmap(weights):
    """HAProxy's map of servers (indices) for these weights."""
    g = 0
    for w in weights:
        while w:
            g, w = w, g % w
    ew = [w // (g or 1) for w in weights]
    tot = sum(ew)
    score = [0] * len(ew)
    out = []
    for _ in range(tot):
        best, mx = None, 0
        for k, w in enumerate(ew):
            if not w:
                continue
            score[k] += w
            v = (score[k] + tot) // tot
            if best is None or v > mx:
                best, mx = k, v
        out.append(best)
        score[best] -= tot
    return out


MAP = hmap([1, 1, 1, 1])


def model(key, m=MAP):
    return NAMES[m[sdbm(key) % len(m)]]


def uri_key(target, whole=False, ln=0, depth=0):
    k = target
    if ln:
        k = k[:ln]
    out, slashes = b"", 0
    for c in k:
        ch = bytes([c])
        if ch == b"/":
            slashes += 1
            if depth and slashes == depth + 1:
                break
        elif ch == b"?" and not whole:
            break
        out += ch
    return out


def ask(port, target, headers=b"", method=b"GET", body=b""):
    host = b"x"
    if target.startswith(b"http://"):
        host = target[7:].split(b"/", 1)[0]     # as the target says
    c = H.connect(port)
    try:
        if body:
            headers += b"Content-Type: application/x-www-form-urlencoded\r\n"
            headers += b"Content-Length: %d\r\n" % len(body)
        c.sendall(b"%s %s HTTP/1.1\r\nHost: %s\r\n%s\r\n%s" %
                  (method, target, host, headers, body))
        st, _, got = H.recv_response(c, method.decode())
        return got.decode() if st == 200 else "status %s" % st
    finally:
        c.close()


# a frontend inherits these algorithms from defaults without their
# arguments (they live with the backend): the plan still verifies
T.compile_cfg("""
defaults
    mode http
    balance url_param id
    timeout connect 1s
    timeout client 1s
    timeout server 1s
frontend f
    bind 127.0.0.1:%d
    default_backend b
backend b
    server s 127.0.0.1:%d
defaults hashdefs
    mode http
    balance hash path
frontend f2
    bind 127.0.0.1:%d
    default_backend b2
backend b2
    server s 127.0.0.1:%d
""" % (port_of["uri"], sp[0], port_of["whole"], sp[1]), "inherit.cfg")
T.check(True, "defaults' url_param and hash in a frontend: the plan verifies")
plan = T.compile_cfg(config(SECTIONS, True), "hash.cfg")
run = T.Cfgrun(plan)

# ---- balance uri ----------------------------------------------------------
targets = [b"/img/%d.png?v=%d" % (i, i % 3) for i in range(40)]
seen = {}
for t in targets:
    got = [ask(port_of["uri"], t) for _ in range(3)]
    T.check(len(set(got)) == 1, "uri %s always reaches one server: %s" % (t, got))
    T.check(got[0] == model(uri_key(t)),
            "uri %s goes where HAProxy's map sends it: %s, model %s"
            % (t, got[0], model(uri_key(t))))
    seen[t] = got[0]
T.check(len(set(seen.values())) >= 3,
        "40 URIs spread over the servers: %s" % sorted(set(seen.values())))
T.check(ask(port_of["uri"], b"/img/7.png?v=1") ==
        ask(port_of["uri"], b"/img/7.png?v=999"),
        "without whole the query is not hashed")
# whole: the query counts
for t in targets[:20]:
    T.check(ask(port_of["whole"], t) == model(uri_key(t, whole=True)),
            "uri whole hashes %s with its query" % t)
whole_spread = {ask(port_of["whole"], b"/same?q=%d" % i) for i in range(20)}
T.check(len(whole_spread) >= 2,
        "uri whole: one path with different queries spreads: %s" % whole_spread)
# len 5: only the first five bytes
for i in range(15):
    a = ask(port_of["len"], b"/k%03dzz/x" % i)
    b = ask(port_of["len"], b"/k%03dyy" % i)
    T.check(a == b == model(b"/k%03d" % i),
            "uri len 5: /k%03d... keyed on its first 5 bytes: %s %s" % (i, a, b))
# depth 2: two directory levels
for i in range(15):
    a = ask(port_of["depth"], b"/d%d/e/f.html" % i)
    b = ask(port_of["depth"], b"/d%d/e/g/h.html" % i)
    T.check(a == b == model(b"/d%d/e" % i),
            "uri depth 2: /d%d/e/... keyed on /d%d/e: %s %s" % (i, i, a, b))
# path-only: the authority of an absolute target is left out
for i in range(10):
    p = b"/p%d" % i
    a = ask(port_of["ponly"], b"http://one.example" + p)
    b = ask(port_of["ponly"], b"http://two.example:8080" + p)
    c = ask(port_of["ponly"], p)
    T.check(a == b == c == model(p),
            "uri path-only: %s keyed on its path whatever the authority: %s %s %s"
            % (p, a, b, c))
for i in range(12):
    t = b"/r%d?q=1" % i
    got = ask(port_of["rew"], t)
    T.check(got == model(b"/v2/r%d" % i),
            "uri after set-path: %s keyed as /v2/r%d: %s (model %s)"
            % (t, i, got, model(b"/v2/r%d" % i)))
got = {ask(port_of["hset"], b"/", b"X-Key: client%d\r\n" % i) for i in range(8)}
T.check(got == {model(b"fixed")}, "hdr after set-header: keyed on the value "
        "the rule set: %s (model %s)" % (got, model(b"fixed")))
# balance hash
for i in range(15):
    T.check(ask(port_of["hpath"], b"/p/%d?x=%d" % (i, i)) == model(b"/p/%d" % i),
            "balance hash path: /p/%d" % i)
    T.check(ask(port_of["hcook"], b"/", b"Cookie: a=1; sid=S%d\r\n" % i) ==
            model(b"S%d" % i), "balance hash req.cook(sid): S%d" % i)
    T.check(ask(port_of["hlow"], b"/", b"X-User: BoB%d\r\n" % i) ==
            model(b"bob%d" % i), "balance hash req.hdr(x-user),lower: BoB%d" % i)
rr = [ask(port_of["hcook"], b"/", b"Cookie: other=1\r\n") for _ in range(4)]
T.check(sorted(rr) == NAMES, "balance hash without a value: round robin: %s" % rr)
abs_full = [ask(port_of["uri"], b"http://h%d.example/same" % i) for i in range(12)]
T.check(all(g == model(b"http://h%d.example/same" % i)
            for i, g in enumerate(abs_full)) and len(set(abs_full)) >= 2,
        "without path-only an absolute target's authority is hashed: %s" % abs_full)

# ---- url_param --------------------------------------------------------------
for i in range(30):
    v = b"user%d" % i
    a = ask(port_of["param"], b"/x?a=1&id=%s&b=2" % v)
    b = ask(port_of["param"], b"/y?id=%s" % v)
    T.check(a == b == model(v), "url_param id=%s: %s %s (model %s)"
            % (v, a, b, model(v)))
T.check(ask(port_of["param"], b"/x?uid=zz&id=k") == model(b"k"),
        "url_param: 'uid=' is not 'id='")
rr = [ask(port_of["param"], b"/x?other=1") for _ in range(8)]
T.check(sorted(rr[:4]) == NAMES and sorted(rr[4:]) == NAMES,
        "url_param absent: round robin over the four: %s" % rr)
rr = [ask(port_of["param"], b"/noquery") for _ in range(4)]
T.check(sorted(rr) == NAMES, "url_param without a query: round robin: %s" % rr)
# check_post: the form body of a POST
for i in range(10):
    v = b"form%d" % i
    a = ask(port_of["post"], b"/submit", method=b"POST", body=b"x=1&id=%s" % v)
    T.check(a == model(v), "check_post finds id=%s in the body: %s (model %s)"
            % (v, a, model(v)))


def ask_chunked(port, chunks):
    c = H.connect(port)
    try:
        body = b"".join(b"%x\r\n%s\r\n" % (len(k), k) for k in chunks)
        c.sendall(b"POST /submit HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: application/x-www-form-urlencoded\r\n"
                  b"Transfer-Encoding: chunked\r\n\r\n%s0\r\n\r\n" % body)
        st, _, got = H.recv_response(c)
        return got.decode() if st == 200 else "status %s" % st
    finally:
        c.close()


for i in range(10):
    v = b"chunk%d" % i
    a = ask_chunked(port_of["post"], [b"x=1&id=%s" % v, b"&y=2"])
    T.check(a == model(v), "check_post reads a chunked body's first chunk: "
            "id=%s: %s (model %s)" % (v, a, model(v)))
got = {ask(port_of["param"], b"/submit", method=b"POST", body=b"id=zz")
       for _ in range(4)}
T.check(got == {model(b"zz")}, "without check_post a POST body is read too, "
        "as HAProxy 2.6 does: %s (model %s)" % (got, model(b"zz")))
rr = [ask(port_of["param"], b"/submit", method=b"POST", body=b"idx=zz")
      for _ in range(4)]
T.check(sorted(rr) == NAMES, "a form without the parameter: round robin: %s"
        % rr)
# weights 3, 1, 2, 0: HAProxy's map over the non-zero ones
wmap = hmap([3, 1, 2, 0])
counts = {n: 0 for n in NAMES}
for i in range(120):
    v = b"w%d" % i
    got = ask(port_of["weight"], b"/?id=%s" % v)
    T.check(got == model(v, wmap), "weighted url_param id=%s: %s (model %s)"
            % (v, got, model(v, wmap)))
    counts[got] += 1
T.check(counts["s4"] == 0 and counts["s1"] > counts["s3"] > counts["s2"] > 0,
        "weights 3/1/2/0 are respected: %s" % counts)

# ---- hdr ----------------------------------------------------------------------
for i in range(20):
    u = b"alice%d" % i
    a = ask(port_of["hdr"], b"/a", b"X-User: %s\r\n" % u)
    b = ask(port_of["hdr"], b"/b", b"x-user: %s, other\r\n" % u)
    T.check(a == b == model(u), "hdr(X-User) %s: %s %s (model %s)"
            % (u, a, b, model(u)))
rr = [ask(port_of["hdr"], b"/a") for _ in range(4)]
T.check(sorted(rr) == NAMES, "hdr absent: round robin: %s" % rr)
rr = [ask(port_of["hdr"], b"/a", b"X-User:\r\n") for _ in range(4)]
T.check(sorted(rr) == NAMES, "hdr empty: round robin: %s" % rr)


def ask_host(host):
    c = H.connect(port_of["dom"])
    try:
        # HAProxy reads the byte after the value too (one past its end):
        # a header after Host makes it a name's letter, not stale data
        c.sendall(b"GET / HTTP/1.1\r\nHost: %s\r\nX-Pad: z\r\n\r\n" % host)
        st, _, got = H.recv_response(c)
        return got.decode()
    finally:
        c.close()


for i in range(15):
    d = b"site%d" % i
    got = {ask_host(b"%s.%s.com" % (w, d)) for w in (b"www", b"api", b"a.b")}
    got.add(ask_host(d + b".org"))
    T.check(got == {model(d)}, "use_domain_only keys %s.* on %s: %s (model %s)"
            % (d, d, got, model(d)))
T.check(ask_host(b"localhost") == model(b"localhost"),
        "use_domain_only without a dot hashes the whole value")

# ---- consistent hashing: a server in maintenance moves only its keys ----------
ckeys = [b"/c/%d" % i for i in range(80)]
before = {k: ask(port_of["cons"], k) for k in ckeys}
T.check(all(ask(port_of["cons"], k) == v for k, v in before.items()),
        "consistent: every URI stays on its server")
T.check(len(set(before.values())) >= 3, "consistent spreads: %s"
        % sorted(set(before.values())))
gone = max(NAMES, key=lambda n: list(before.values()).count(n))
T.check(T.stats_cmd(sock, "disable server cons/%s" % gone).strip() == "",
        "cons/%s in maintenance" % gone)
after = {k: ask(port_of["cons"], k) for k in ckeys}
moved = [k for k in ckeys if before[k] != gone and after[k] != before[k]]
T.check(not moved, "consistent: only %s's URIs moved: %s" % (gone, moved))
T.check(all(after[k] != gone for k in ckeys), "consistent: nothing goes to %s" % gone)
T.stats_cmd(sock, "enable server cons/%s" % gone)
T.check(all(ask(port_of["cons"], k) == before[k] for k in ckeys),
        "consistent: back in, %s gets its URIs again" % gone)

# balance source from 40 client addresses: cfgrun's answers, kept for
# HAProxy's
def ask_from(name, n):
    c = H.Conn(socket.AF_INET, socket.SOCK_STREAM)
    c.settimeout(T.TIMEOUT)
    try:
        c.bind(("127.0.0.%d" % n, 0))
        c.connect(("127.0.0.1", port_of[name]))
        c.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        st, _, got = H.recv_response(c)
        return got.decode() if st == 200 else "status %s" % st
    finally:
        c.close()


SRCS = ("src", "srcw", "srcc")
sgot = {(name, n): ask_from(name, n) for name in SRCS for n in range(1, 41)}
for name in SRCS:
    got = [sgot[(name, n)] for n in range(1, 41)]
    T.check(len(set(got)) >= 3, "source %s spreads: %s" % (name, sorted(set(got))))
    T.check(all(ask_from(name, n) == sgot[(name, n)] for n in range(1, 41, 7)),
            "source %s keeps a client on its server" % name)
T.check([sgot[("src", n)] for n in range(1, 9)] == [NAMES[n % 4] for n in range(1, 9)],
        "source map-based without avalanche: 127.0.0.N goes to map[N %% 4]: %s"
        % [sgot[("src", n)] for n in range(1, 9)])

# the other hash functions: cfgrun's answers, kept for HAProxy's
FUNCS = ("djb2", "wt6", "crc32a", "sdbma", "consw", "none")
fprobes = [(name, b"/?id=%s" % (b"%d" % (i * 7919) if name == "none"
                                else b"user%d" % i))
           for name in FUNCS for i in range(24)]
fgot = {pr: ask(port_of[pr[0]], pr[1]) for pr in fprobes}
HFUNCS = FUNCS[:-1]             # HAProxy 2.6 has no `none`
for name in FUNCS:
    got = {fgot[pr] for pr in fprobes if pr[0] == name}
    T.check(len(got) >= 3, "hash-type %s spreads: %s" % (name, sorted(got)))
T.check(all(fgot[pr] == ask(port_of[pr[0]], pr[1]) for pr in fprobes[::5]),
        "the other functions are stable")
run.stop()

# ---- side by side with HAProxy 2.6 (map-based sections) -----------------------
haproxy = shutil.which("haproxy")
if haproxy:
    mapped = [s for s in SECTIONS if s[0] in
              ("uri", "whole", "len", "depth", "param", "hdr", "dom",
               "weight", "cons", "rew", "hset", "post", "hpath", "hcook",
               "hlow") + SRCS +
              HFUNCS]
    cfg = T.tmp("hash-haproxy.cfg")
    with open(cfg, "w") as f:
        f.write(config(mapped, False))
    hp = subprocess.Popen([haproxy, "-db", "-f", cfg],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        def up():
            try:
                socket.create_connection(("127.0.0.1", port_of["weight"]),
                                         0.2).close()
                return True
            except OSError:
                return False
        T.check(T.wait_until(up) and hp.poll() is None, "haproxy 2.6 listens")
        diffs = []
        for i in range(30):
            for name, t, hdr in (("uri", b"/img/%d.png" % i, b""),
                                 ("whole", b"/q?v=%d" % i, b""),
                                 ("depth", b"/d%d/e/f" % i, b""),
                                 ("param", b"/?id=u%d" % i, b""),
                                 ("weight", b"/?id=w%d" % i, b""),
                                 ("hdr", b"/", b"X-User: h%d\r\n" % i)):
                exp = model(uri_key(t, whole=(name == "whole"),
                                    depth=2 if name == "depth" else 0)) \
                    if name in ("uri", "whole", "depth") else \
                    model(t.split(b"=")[1], wmap if name == "weight" else MAP) \
                    if name in ("param", "weight") else model(b"h%d" % i)
                got = ask(port_of[name], t, hdr)
                if got != exp:
                    diffs.append((name, t, got, exp))
        T.check(not diffs, "haproxy 2.6 chooses as the model (and cfgrun): %s"
                % diffs[:5])
        fdiffs = [(pr, fgot[pr], ask(port_of[pr[0]], pr[1])) for pr in fprobes
                  if pr[0] in HFUNCS]
        fdiffs = [d for d in fdiffs if d[1] != d[2]]
        T.check(not fdiffs, "haproxy 2.6 chooses as cfgrun with djb2, wt6, "
                "crc32 avalanche, sdbm avalanche (weighted) and weighted consistent "
                "djb2 avalanche: %s"
                % fdiffs[:5])
        ldiffs = [(i, ask(port_of["len"], b"/k%03dzz/x" % i),
                   model(b"/k%03d" % i)) for i in range(15)]
        T.check(all(a == b for _, a, b in ldiffs),
                "haproxy 2.6 agrees on uri len 5: %s" % ldiffs)
        sdiffs = [(pr, sgot[pr], ask_from(*pr)) for pr in sgot]
        T.check(all(a == b for _, a, b in sdiffs),
                "haproxy 2.6 agrees on balance source (map-based, weighted, "
                "consistent): %s" % [d for d in sdiffs if d[1] != d[2]][:5])
        rdiffs = [(i, ask(port_of["rew"], b"/r%d?q=1" % i), model(b"/v2/r%d" % i))
                  for i in range(12)]
        T.check(all(a == b for _, a, b in rdiffs),
                "haproxy 2.6 also keys uri after set-path: %s" % rdiffs)
        pdiffs = [(i, ask(port_of["post"], b"/submit", method=b"POST",
                          body=b"x=1&id=form%d" % i),
                   ask_chunked(port_of["post"], [b"x=1&id=form%d" % i, b"&y=2"]),
                   model(b"form%d" % i)) for i in range(10)]
        T.check(all(a == b == m for _, a, b, m in pdiffs),
                "haproxy 2.6 agrees on check_post, plain and chunked: %s"
                % [d for d in pdiffs if not d[1] == d[2] == d[3]])
        got = {ask(port_of["param"], b"/submit", method=b"POST",
                   body=b"id=zz") for _ in range(4)}
        T.check(got == {model(b"zz")},
                "haproxy 2.6 reads the POST body without check_post: %s" % got)
        got = {ask(port_of["hset"], b"/", b"X-Key: client%d\r\n" % i)
               for i in range(8)}
        T.check(got == {model(b"fixed")},
                "haproxy 2.6 also keys hdr after set-header: %s" % got)
        hdiffs = []
        for i in range(15):
            for name, t, hd, k in (
                    ("hpath", b"/p/%d?x=%d" % (i, i), b"", b"/p/%d" % i),
                    ("hcook", b"/", b"Cookie: a=1; sid=S%d\r\n" % i, b"S%d" % i),
                    ("hlow", b"/", b"X-User: BoB%d\r\n" % i, b"bob%d" % i)):
                got = ask(port_of[name], t, hd)
                if got != model(k):
                    hdiffs.append((name, i, got, model(k)))
        T.check(not hdiffs, "haproxy 2.6 agrees on balance hash: %s" % hdiffs)
        cdiffs = [(k, before[k], ask(port_of["cons"], k)) for k in ckeys]
        T.check(all(a == b for _, a, b in cdiffs),
                "haproxy 2.6 agrees on consistent hashing: %s"
                % [d for d in cdiffs if d[1] != d[2]][:5])
        ddiffs = [(h, ask_host(h), model(b"site%d" % i)) for i in range(15)
                  for h in (b"www.site%d.com" % i, b"site%d.org" % i)]
        T.check(all(a == b for _, a, b in ddiffs),
                "haproxy 2.6 agrees on use_domain_only: %s"
                % [d for d in ddiffs if d[1] != d[2]])
    finally:
        hp.terminate()
        hp.wait(T.TIMEOUT)
else:
    T.log("haproxy not installed: no side-by-side comparison")
for o in origins:
    o.close()
T.done()
