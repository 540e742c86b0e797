#!/usr/bin/python3
"""Stick persistence on real sockets. TCP: `stick on src` in a roundrobin
backend of two servers sends every connection of one source address to
the server its first connection got, while a second source is balanced to
the other; `show table` holds each source with its server_id; once that
server is put in maintenance on the stats socket, or taken DOWN by its
health check, the source moves to the other one and the entry follows
it (and stays there when the first server comes back, as HAProxy). HTTP: `stick match` / `stick
store-request` on a request header, a condition on the store; `stick
store-response` of a session id a server hands out, matched on the
cookie that carries it back; the entries and so the persistence survive
a reload. cfgc refuses what it
does not compile with a located error."""
import os
import re
import signal
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

(tcp, http, s1p, s2p, h1p, h2p, chk, c1p, c2p, sess, k1p,
 k2p) = (T.free_port() for _ in range(12))
sock = T.tmp("stats.sock")
s1 = T.Server("s1", ("127.0.0.1", s1p))
s2 = T.Server("s2", ("127.0.0.1", s2p))
h1 = H.Origin(("127.0.0.1", h1p), lambda r: H.ok(b"h1"))
h2 = H.Origin(("127.0.0.1", h2p), lambda r: H.ok(b"h2"))

def session_server(name):
    """An origin that opens a session (X-Sid: NAME-N) for a request
    without a sid cookie, and says who served it."""
    count = [0]

    def handler(r):
        if "sid=" in r["headers"].get("cookie", ""):
            return H.ok(name.encode())
        count[0] += 1
        return H.ok(name.encode(), b"X-Sid: %s-%d\r\n" % (name.encode(),
                                                         count[0]))
    return H.Origin(("127.0.0.1", {"k1": k1p, "k2": k2p}[name]), handler)


k1, k2 = session_server("k1"), session_server("k2")
checked = {"c1": T.Server("c1", ("127.0.0.1", c1p)),
           "c2": T.Server("c2", ("127.0.0.1", c2p))}

CFG = """
global
    stats socket %(sock)s level admin
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend ftcp
    mode tcp
    bind 127.0.0.1:%(tcp)d
    default_backend btcp
backend btcp
    mode tcp
    balance roundrobin
    stick-table type ip size 1k expire 10m
    stick on src
    server s1 127.0.0.1:%(s1p)d
    server s2 127.0.0.1:%(s2p)d
frontend fchk
    mode tcp
    bind 127.0.0.1:%(chk)d
    default_backend bchk
backend bchk
    mode tcp
    balance roundrobin
    stick-table type ip size 1k expire 10m
    stick on src
    server c1 127.0.0.1:%(c1p)d check inter 100ms fall 1 rise 1
    server c2 127.0.0.1:%(c2p)d check inter 100ms fall 1 rise 1
frontend fsess
    mode http
    bind 127.0.0.1:%(sess)d
    default_backend bsess
backend bsess
    mode http
    balance roundrobin
    stick-table type string len 32 size 1k expire 10m
    stick match req.cook(sid)
    stick store-response res.hdr(x-sid)
    server k1 127.0.0.1:%(k1p)d
    server k2 127.0.0.1:%(k2p)d
frontend fhttp
    mode http
    bind 127.0.0.1:%(http)d
    default_backend bhttp
backend bhttp
    mode http
    balance roundrobin
    stick-table type string len 16 size 1k expire 10m
    stick match req.hdr(x-user)
    stick store-request req.hdr(x-user) if !{ path /nostore }
    server h1 127.0.0.1:%(h1p)d
    server h2 127.0.0.1:%(h2p)d
"""
plan = T.compile_cfg(CFG % locals(), out=T.tmp("persist.plan"))
run = T.Cfgrun(plan)


def cli(cmd):
    return T.stats_cmd(sock, cmd)


def server_id(table, key):
    m = re.search(r"key=%s use=\d+ exp=\d+ server_id=(\d+)" % re.escape(key),
                  cli("show table %s" % table))
    return int(m.group(1)) if m else None


def names(src, n=6):
    return T.server_names(("127.0.0.1", tcp), n, source=src)


def body(user, path="/"):
    c = H.connect(http)
    c.sendall(b"GET %s HTTP/1.1\r\nHost: x\r\nX-User: %s\r\n"
              b"Connection: close\r\n\r\n" % (path.encode(), user.encode()))
    code, _, b = H.recv_response(c)
    c.close()
    return b if code == 200 else code


# 1. TCP: one source, one server; a second source balanced to the other
a = names("127.0.0.2")
T.check(a == [a[0]] * 6 and a[0] in ("s1", "s2"),
        "every connection of 127.0.0.2 lands on one server (%s)" % a)
b = names("127.0.0.3")
T.check(b == [b[0]] * 6 and b[0] != a[0],
        "127.0.0.3 is balanced to the other server, then sticks (%s)" % b)
ida, idb = server_id("btcp", "127.0.0.2"), server_id("btcp", "127.0.0.3")
T.check((ida, idb) == (int(a[0][1]), int(b[0][1])),
        "show table: each source's entry holds its server's id (%s, %s)"
        % (ida, idb))
T.check(cli("show table btcp").startswith(
        "# table: btcp, type: ip, size:1024, used:2\n"),
        "show table header: the two sources")

# 2. its server in maintenance: the source moves, the entry follows
cli("disable server btcp/%s" % a[0])
moved = names("127.0.0.2", 3)
T.check(moved == [b[0]] * 3,
        "with %s in maintenance 127.0.0.2 goes to %s (%s)" % (a[0], b[0], moved))
T.check(server_id("btcp", "127.0.0.2") == idb,
        "the entry now holds the new server's id")
cli("enable server btcp/%s" % a[0])
T.check(names("127.0.0.2", 3) == [b[0]] * 3,
        "the first server back: the source stays where its entry says")
T.check(names("127.0.0.3", 2) == [b[0]] * 2, "the other source never moved")

# 2b. a server DOWN by its health check: the same, without the socket
first = T.server_names(("127.0.0.1", chk), 3, source="127.0.0.5")
T.check(first == [first[0]] * 3, "127.0.0.5 sticks to %s" % first[0])
other = "c2" if first[0] == "c1" else "c1"
checked[first[0]].close()
T.check(T.wait_until(lambda: T.stat_rows(sock)[("bchk", first[0])]["status"]
                     .startswith("DOWN")),
        "%s's health check takes it DOWN" % first[0])
after = T.server_names(("127.0.0.1", chk), 3, source="127.0.0.5")
T.check(after == [other] * 3,
        "with %s DOWN 127.0.0.5 is balanced to %s (%s)" % (first[0], other, after))
T.check(server_id("bchk", "127.0.0.5") == int(other[1]),
        "and its entry names %s now" % other)

# 3. HTTP: match and store on a header, a condition on the store
T.check(body("nobody", "/nostore") in (b"h1", b"h2"), "served without storing")
T.check(server_id("bhttp", "nobody") is None,
        "the store condition was false: no entry")
alice = [body("alice") for _ in range(5)]
T.check(alice == [alice[0]] * 5, "alice's requests stick to one server (%s)" % alice)
bob = [body("bob") for _ in range(5)]
T.check(bob == [bob[0]] * 5, "bob's requests stick to one server (%s)" % bob)
T.check(alice[0] != bob[0], "alice and bob were balanced apart")
# one keep-alive client connection carrying both users: each request
# goes to its user's server
ka = H.connect(http)
mixed = []
for user in ("alice", "bob", "alice", "bob"):
    ka.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-User: %s\r\n\r\n" % user.encode())
    mixed.append(H.recv_response(ka)[2])
ka.close()
T.check(mixed == [alice[0], bob[0], alice[0], bob[0]],
        "on one keep-alive connection each request follows its own key (%s)"
        % mixed)
n1, n2 = len(h1.requests), len(h2.requests)

# 3b. store-response: the session id a server hands out leads back to it
def sess_get(cookie=None):
    c = H.connect(sess)
    c.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n%sConnection: close\r\n\r\n"
              % (b"Cookie: sid=%s\r\n" % cookie.encode() if cookie else b""))
    code, hdrs, b = H.recv_response(c)
    c.close()
    return b.decode(), (hdrs.get("x-sid") or [None])[0]


who1, sid1 = sess_get()
who2, sid2 = sess_get()
T.check(sid1 == who1 + "-1" and sid2 == who2 + "-1" and who1 != who2,
        "two new sessions, opened on both servers (%s, %s)" % (sid1, sid2))
T.check(server_id("bsess", sid1) == int(who1[1]),
        "the response's X-Sid is stored with the server that sent it")
T.check([sess_get(sid1)[0] for _ in range(4)] == [who1] * 4,
        "requests with sid=%s all go to %s" % (sid1, who1))
T.check([sess_get(sid2)[0] for _ in range(4)] == [who2] * 4,
        "requests with sid=%s all go to %s" % (sid2, who2))
T.check(server_id("bsess", "nosuch") is None, "an unknown sid stores nothing")

# 4. a reload keeps the table (same definition) and so the persistence
T.compile_cfg(CFG % locals(), out=plan)
run.proc.send_signal(signal.SIGHUP)
run.wait_for(r"reloaded plan [0-9a-f]{64} \(generation 2")
T.check([body("alice") for _ in range(3)] == [alice[0]] * 3,
        "after a reload alice still goes to %r" % alice[0])
T.check([body("bob") for _ in range(3)] == [bob[0]] * 3,
        "after a reload bob still goes to %r" % bob[0])
T.check(len(h1.requests) + len(h2.requests) == n1 + n2 + 6,
        "every request reached a server")
T.check(names("127.0.0.3", 2) == [b[0]] * 2, "TCP persistence kept too")

rc, _ = run.stop()
T.check(rc == 0, "cfgrun stops cleanly")

# 5. what cfgc refuses, located
BAD = [
    ("backend b\n    stick store-response res.hdr(x)\n"
     "    stick-table type string size 1\n    server s 127.0.0.1:1\n", r":2:5: error\[unsupported\]: 'stick store-response' in a 'mode tcp'"),
    ("backend b\n    stick-table type ip size 1\n    stick on src foo\n"
     "    server s 127.0.0.1:1\n",
     r":3:18: error\[unsupported\]: 'stick on' expects a sample"),
    ("backend b\n    stick on src\n    server s 127.0.0.1:1\n",
     r":2:11: error\[unknown-table\]: .*has no stick-table"),
    ("frontend f\n    bind 127.0.0.1:1\n    stick on src\n", r":3:5: error\[not-allowed\]: 'stick'"),
    ("backend b\n    stick-table type ip size 1\n    stick on src table nosuch\n",
     r":3:24: error\[unknown-table\]: .*'nosuch'"),
]
for i, (text, want) in enumerate(BAD):
    path = T.tmp("bad%d.cfg" % i)
    with open(path, "w") as f:
        f.write(text)
    r = subprocess.run([T.CFGC, "-c", path], capture_output=True, text=True)
    T.check(r.returncode == 1 and re.search(want, r.stderr) is not None,
            "refused with a located error (%r): %s" % (want, r.stderr.strip()))
T.done()
