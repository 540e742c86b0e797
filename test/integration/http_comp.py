#!/usr/bin/python3
"""HTTP response compression (compression algo/type/offload, filter
compression, tune.comp.maxlevel) on real sockets: an origin serves small
and multi-megabyte bodies with Content-Length and chunked framing and
various types, statuses and encodings; what cfgrun compresses is
decompressed with Python's zlib and compared (sha256) with what the
origin sent; what it must not compress arrives byte for byte as the
origin sent it. Keep-alive and pipelining go on after compressed
responses, a slow origin's first bytes reach the client before the rest
of the body exists (streaming), a client that reads nothing stops a 32 MB
body at the origin while cfgrun's memory stays flat (back-pressure),
the stats count it, offload hides Accept-Encoding from the
server, identity rechunks without encoding, and curl --compressed reads
the result."""
import os
import shutil
import socket
import subprocess
import sys
import threading
import zlib

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

BIG = b"".join(b"line %07d: the quick brown fox jumps over the lazy dog\n" % i
               for i in range(60000))                  # 3.4 MB
SMALL = b"<html><body>" + b"hello compression " * 40 + b"</body></html>\n"
RAND = os.urandom(300000)                              # incompressible


def clen(body, ctype=b"text/html", extra=b"", status=b"200 OK",
         ver=b"HTTP/1.1"):
    h = ver + b" " + status + b"\r\n"
    if ctype is not None:
        h += b"Content-Type: " + ctype + b"\r\n"
    return h + b"Content-Length: %d\r\n" % len(body) + extra + b"\r\n" + body


def chunked(body, ctype=b"text/plain", size=4000, extra=b""):
    out = (b"HTTP/1.1 200 OK\r\nContent-Type: " + ctype +
           b"\r\nTransfer-Encoding: chunked\r\n" + extra + b"\r\n")
    for i in range(0, len(body), size):
        p = body[i:i + size]
        out += b"%x\r\n%s\r\n" % (len(p), p)
    return out + b"0\r\n\r\n"


# path -> (response bytes, payload) for what is compressed
COMPRESSED = {
    "/html": (clen(SMALL), SMALL),
    "/htmlcs": (clen(SMALL, b"text/html; charset=utf-8"), SMALL),
    "/plainck": (chunked(SMALL * 3), SMALL * 3),
    "/big": (clen(BIG, b"text/plain"), BIG),
    "/bigck": (chunked(BIG, size=7000), BIG),
    "/rand": (clen(RAND, b"text/plain"), RAND),
    "/s201": (clen(SMALL, status=b"201 Created"), SMALL),
    "/etag": (clen(SMALL, extra=b"ETag: \"abc\"\r\n"), SMALL),
    "/emptyck": (chunked(b""), b""),
}
# path -> response bytes, never compressed (forwarded as they are)
PLAIN = {
    "/json": clen(SMALL, b"application/json"),
    "/enc": clen(SMALL, extra=b"Content-Encoding: br\r\n"),
    "/nt": clen(SMALL, extra=b"Cache-Control: public, no-transform\r\n"),
    "/badetag": clen(SMALL, extra=b"ETag: abc\r\n"),
    "/2etag": clen(SMALL, extra=b"ETag: \"a\"\r\nETag: \"b\"\r\n"),
    "/s206": clen(SMALL, status=b"206 Partial Content"),
    "/s404": clen(SMALL, status=b"404 Not Found"),
    "/s204": b"HTTP/1.1 204 No Content\r\nContent-Type: text/html\r\n\r\n",
    "/empty": clen(b""),
    "/notype": clen(SMALL, None),
    "/multi": clen(SMALL, b"multipart/mixed; boundary=x"),
}

slow_go = threading.Event()
HUGE = os.urandom(32 << 20)                            # incompressible
huge_sent = [0]


def handler(req):
    p = req["target"]
    if p in COMPRESSED:
        return COMPRESSED[p][0]
    if p in PLAIN:
        return PLAIN[p]
    if p == "/slow":
        def slow(c):
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                      b"Transfer-Encoding: chunked\r\n\r\n"
                      b"%x\r\n%s\r\n" % (len(SMALL), SMALL))
            slow_go.wait(T.TIMEOUT)
            c.sendall(b"%x\r\n%s\r\n0\r\n\r\n" % (len(SMALL), SMALL))
        return slow
    if p == "/huge":
        def huge(c):
            c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536)
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                      b"Content-Length: %d\r\n\r\n" % len(HUGE))
            for i in range(0, len(HUGE), 65536):
                c.sendall(HUGE[i:i + 65536])
                huge_sent[0] = i + 65536
        return huge
    return clen(b"?", status=b"404 Not Found")


fe, fe_off, fe_raw, fe_id, be = T.free_ports(5)
origin = H.Origin(("127.0.0.1", be), handler)
sock = T.tmp("stats.sock")
run = T.Cfgrun(T.compile_cfg("""
global
    tune.comp.maxlevel 6
    tune.zlib.memlevel 7
    tune.zlib.windowsize 14
    stats socket %(sock)s level admin
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
    compression type text/html text/plain
frontend main
    bind 127.0.0.1:%(fe)d
    compression algo gzip deflate
    # judged before these rules, its headers added after them (HAProxy)
    http-response set-header Cache-Control no-transform if { status 201 }
    http-response del-header Content-Encoding if { res.hdr(etag) -m found }
    default_backend app
frontend offload
    bind 127.0.0.1:%(fe_off)d
    compression algo gzip
    compression offload
    default_backend app
frontend raw
    bind 127.0.0.1:%(fe_raw)d
    filter compression
    compression algo-res raw-deflate
    compression direction response
    compression minsize-res 1k
    default_backend app
frontend ident
    bind 127.0.0.1:%(fe_id)d
    compression algo identity
    default_backend app
backend app
    server s 127.0.0.1:%(be)d
""" % locals()))


def raw_exchange(port, req):
    """Send req; the raw response bytes up to the end of its body."""
    s = H.connect(port)
    s.sendall(req)
    st, h, body = H.recv_response(s, req.split(b" ", 1)[0].decode())
    s.close()
    return st, h, body


def get(sock, path, ae=b"gzip", method=b"GET", ver=b"HTTP/1.1", extra=b""):
    sock.sendall(b"%s %s %s\r\nHost: x\r\n%s%s\r\n" % (
        method, path.encode(), ver,
        b"Accept-Encoding: %s\r\n" % ae if ae is not None else b"", extra))
    return H.recv_response(sock, method.decode())


def inflate(h, body):
    enc = h.get("content-encoding", [""])[0]
    if enc == "gzip":
        return zlib.decompress(body, 31)
    if enc == "deflate":
        try:
            return zlib.decompress(body)
        except zlib.error:
            return zlib.decompress(body, -15)
    return body


def check_compressed(what, st, h, body, payload, enc):
    T.check(h.get("content-encoding") == [enc],
            "%s: Content-Encoding %s (%s)" % (what, enc, h))
    T.check(h.get("transfer-encoding") == ["chunked"] and
            "content-length" not in h,
            "%s: chunked, no Content-Length" % what)
    T.check("Accept-Encoding" in h.get("vary", []), "%s: Vary" % what)
    try:
        got = inflate(h, body)
    except zlib.error as e:
        T.fail("%s: does not decompress: %s" % (what, e))
        return
    T.check(T.sha256(got) == T.sha256(payload),
            "%s: decompressed body equals the origin's (%d bytes)"
            % (what, len(payload)))


# 1. every compressed case, gzip and deflate, one connection each (the
# response rules neither stop /s201 nor take Content-Encoding off /etag)
for enc in ("gzip", "deflate"):
    for path, (_, payload) in COMPRESSED.items():
        s = H.connect(fe)
        st, h, body = get(s, path, enc.encode())
        s.close()
        check_compressed("%s %s" % (enc, path), st, h, body, payload, enc)
        if path in ("/big", "/bigck"):
            T.check(len(body) < len(payload) // 5,
                    "%s %s: %d bytes for %d" % (enc, path, len(body),
                                                len(payload)))
s = H.connect(fe)
st, h, body = get(s, "/etag")
T.check(h.get("etag") == ['W/"abc"'], "a strong ETag is made weak: %s"
        % h.get("etag"))
st, h, body = get(s, "/html", b"deflate")
T.check(body[:1] == b"\x68", "tune.zlib.windowsize 14: the zlib header "
        "says a 2^14 window (0x%02x)" % body[0])
s.close()

# 2. what is not compressed arrives byte for byte
def forwarded_as_is(what, port, path, expect, **kw):
    s = H.connect(port)
    req = b"%s %s %s\r\nHost: x\r\n%s\r\n" % (
        kw.get("method", b"GET"), path.encode(), kw.get("ver", b"HTTP/1.1"),
        kw.get("hdrs", b"Accept-Encoding: gzip\r\n"))
    s.sendall(req)
    got = bytearray()

    def more():
        got.extend(s.recv(1 << 20))
        return len(got) >= len(expect)

    T.wait_until(more)
    s.close()
    got = bytes(got)
    T.check(got == expect, "%s: forwarded unchanged (%d/%d bytes)%s"
            % (what, len(got), len(expect),
               "" if got == expect else ": %r" % got[:300]))


for path, resp in PLAIN.items():
    forwarded_as_is(path, fe, path, resp)
forwarded_as_is("no Accept-Encoding", fe, "/big", COMPRESSED["/big"][0],
                hdrs=b"")
forwarded_as_is("gzip;q=0", fe, "/html", COMPRESSED["/html"][0],
                hdrs=b"Accept-Encoding: gzip;q=0, br\r\n")
forwarded_as_is("Mozilla/4", fe, "/html", COMPRESSED["/html"][0],
                hdrs=b"Accept-Encoding: gzip\r\nUser-Agent: Mozilla/4.0 (x)\r\n")
forwarded_as_is("HEAD", fe, "/html", COMPRESSED["/html"][0][:-len(SMALL)],
                method=b"HEAD")
s = H.connect(fe)
st, h, body = get(s, "/html", ver=b"HTTP/1.0")
T.check("content-encoding" not in h and body == SMALL,
        "HTTP/1.0 request: not compressed")
s.close()

# 3. the client's preference: best q, then its order; "*" takes the
# first algorithm HAProxy tries (the last configured)
for ae, enc in ((b"deflate;q=0.5, gzip;q=0.8", "gzip"),
                (b"deflate, gzip", "deflate"), (b"*", "deflate"),
                (b"br, GZIP", "gzip")):
    s = H.connect(fe)
    st, h, body = get(s, "/html", ae)
    s.close()
    T.check(h.get("content-encoding") == [enc],
            "Accept-Encoding %s -> %s (%s)" % (ae.decode(), enc,
                                               h.get("content-encoding")))

# 4. keep-alive across compressed responses, then pipelining
s = H.connect(fe)
for path, ae in (("/big", b"gzip"), ("/json", b"gzip"), ("/bigck", b"deflate"),
                 ("/html", None), ("/plainck", b"gzip")):
    st, h, body = get(s, path, ae)
    payload = COMPRESSED[path][1] if path in COMPRESSED else None
    if ae is None or payload is None:
        T.check(st == 200 and "content-encoding" not in h,
                "keep-alive %s: plain" % path)
    else:
        check_compressed("keep-alive %s" % path, st, h, body, payload,
                         ae.decode())
T.check(len({r["conn"] for r in origin.requests[-5:]}) == 1,
        "keep-alive: the five requests shared one client connection")
s.sendall(b"GET /bigck HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n"
          b"GET /html HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n")
st, h, body = H.recv_response(s)
check_compressed("pipelined 1", st, h, body, BIG, "gzip")
st, h, body = H.recv_response(s)
check_compressed("pipelined 2", st, h, body, SMALL, "gzip")
s.close()

# 5. streaming: the first chunk is compressed and sent before the origin
# has even written the rest
s = H.connect(fe)
s.sendall(b"GET /slow HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n")
d = zlib.decompressobj(31)
buf = [b""]
out = [b""]


def first_part():
    buf[0] += s.recv(65536)
    if b"\r\n\r\n" not in buf[0]:
        return False
    body = buf[0].split(b"\r\n\r\n", 1)[1]
    # undo the chunked framing of what came so far
    data, rest = b"", body
    while b"\r\n" in rest:
        size_line, _, after = rest.partition(b"\r\n")
        n = int(size_line, 16)
        if n == 0 or len(after) < n + 2:
            break
        data += after[:n]
        rest = after[n + 2:]
    out[0] = zlib.decompressobj(31).decompress(data)
    return out[0] == SMALL


T.check(T.wait_until(first_part), "streaming: the first part arrived, "
        "decompressed, while the origin held the rest")
slow_go.set()
s.close()

# 5b. back-pressure: a client that does not read stops the server (cfgrun
# holds one buffer each way and the zlib state, never the body)
def vm(key):
    with open("/proc/%d/status" % run.proc.pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])       # kB
    return 0


rss0 = vm("VmRSS")
s = H.connect(fe)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
s.sendall(b"GET /huge HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n")
last = [-1, 0]


def stalled():
    # the origin's count unchanged over 5 polls in a row
    if huge_sent[0] == last[0]:
        last[1] += 1
    else:
        last[0], last[1] = huge_sent[0], 0
    return last[1] >= 5


T.check(T.wait_until(stalled, timeout=15, step=0.1) and
        huge_sent[0] < len(HUGE),
        "back-pressure: the origin stopped at %d of %d bytes while the "
        "client read nothing" % (huge_sent[0], len(HUGE)))
grew = vm("VmRSS") - rss0
T.check(grew < 4096, "back-pressure: cfgrun grew by %d kB (body %d kB)"
        % (grew, len(HUGE) >> 10))
# read it all now (a bytearray: the helpers' bytes concatenation is
# quadratic at this size), then undo the chunked framing
raw = bytearray()
# 32 MB through zlib: under a sanitizer on two busy cores a pause between
# two reads can pass the usual bound
s.settimeout(60 if T.sanitized() else T.TIMEOUT * 4)
while not raw.endswith(b"\r\n0\r\n\r\n"):
    d = s.recv(1 << 20)
    if not d:
        break
    raw.extend(d)
s.close()
head_end = raw.find(b"\r\n\r\n") + 4
h = H.headers(bytes(raw[:head_end]))
body, at = bytearray(), head_end
while True:
    eol = raw.index(b"\r\n", at)
    n = int(raw[at:eol], 16)
    if n == 0:
        break
    body.extend(raw[eol + 2:eol + 2 + n])
    at = eol + 2 + n + 2
check_compressed("back-pressure", 200, h, bytes(body), HUGE, "gzip")

# 6. offload: Accept-Encoding hidden from the server when compressing
s = H.connect(fe_off)
st, h, body = get(s, "/html")
check_compressed("offload", st, h, body, SMALL, "gzip")
T.check("accept-encoding" not in origin.requests[-1]["headers"],
        "offload: the server got no Accept-Encoding")
st, h, body = get(s, "/html", b"br")
T.check("content-encoding" not in h and
        origin.requests[-1]["headers"].get("accept-encoding") == ["br"],
        "offload: kept when nothing is compressed")
s.close()

# 7. filter compression + algo-res raw-deflate: "deflate" without the
# zlib wrapper
s = H.connect(fe_raw)
st, h, body = get(s, "/bigck", b"deflate")
raw_len = len(body)
s.close()
T.check(h.get("content-encoding") == ["deflate"], "raw-deflate: deflate")
try:
    T.check(zlib.decompress(body, -15) == BIG,
            "raw-deflate: a raw deflate stream of the body")
except zlib.error as e:
    T.fail("raw-deflate: %s" % e)

# 8. identity: chunked with Vary, the bytes unchanged, without any
# Accept-Encoding
s = H.connect(fe_id)
st, h, body = get(s, "/big", None)
s.close()
T.check("content-encoding" not in h and h.get("transfer-encoding") ==
        ["chunked"] and "content-length" not in h and
        "Accept-Encoding" in h.get("vary", []) and body == BIG,
        "identity: rechunked, Vary, same bytes")

# 9. the stats' compression columns: what went in, what came out (chunk
# framing excluded), responses compressed
def comp_stats(px):
    lines = T.stats_cmd(sock, "show stat").splitlines()
    names = lines[0].lstrip("# ").split(",")
    for l in lines[1:]:
        v = dict(zip(names, l.split(",")))
        if v.get("pxname") == px and v.get("svname") == "FRONTEND":
            return tuple(int(v[k] or -1) for k in
                         ("comp_in", "comp_out", "comp_byp", "comp_rsp"))
    return None


T.check(comp_stats("raw") == (len(BIG), raw_len, 0, 1),
        "stats of raw: comp_in, comp_out, comp_byp, comp_rsp %s"
        % (comp_stats("raw"),))
T.check(comp_stats("ident") == (len(BIG), len(BIG), 0, 1),
        "stats of ident: %s" % (comp_stats("ident"),))

# 10. minsize-res 1k on the raw frontend: a 747-byte Content-Length is
# left alone, a chunked body (its length unknown) is compressed
forwarded_as_is("minsize-res 1k: 747 bytes", fe_raw, "/html",
                COMPRESSED["/html"][0], hdrs=b"Accept-Encoding: deflate\r\n")
s = H.connect(fe_raw)
st, h, body = get(s, "/plainck", b"deflate")
s.close()
T.check(h.get("content-encoding") == ["deflate"],
        "minsize-res: a chunked body (length unknown) is compressed")

# 11. curl --compressed
if shutil.which("curl"):
    r = subprocess.run(["curl", "-s", "--compressed", "--max-time", "10",
                        "http://127.0.0.1:%d/bigck" % fe],
                       capture_output=True, timeout=20)
    T.check(r.returncode == 0 and T.sha256(r.stdout) == T.sha256(BIG),
            "curl --compressed reads the body (rc %d, %d bytes)"
            % (r.returncode, len(r.stdout)))

rc, _ = run.stop()
T.check(rc == 0, "cfgrun stopped cleanly")
T.done()
