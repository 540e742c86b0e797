#!/usr/bin/python3
"""The fetches of the PROXY header on accept-proxy listeners, on real
sockets: fc_pp_unique_id, fc_pp_authority, fc_pp_tlv(ID) (a number, a
name, an SSL sub-type, every occurrence of a repeated type) and
fc_rcvd_proxy in http-request rules (set-var, set-header, deny, track-sc0
keyed by the unique id, seen in `show table`), in a custom log-format
line, and in tcp-request content rules of a TCP frontend. The values
stay for every request of a keep-alive connection; a v1 header has no
TLV; a header without the TLV gives no sample."""
import os
import re
import socket
import struct
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

SIG = b"\r\n\r\n\x00\r\nQUIT\n"


def tlv(t, v):
    return struct.pack("!BH", t, len(v)) + v


def v2(tlvs=b"", src="10.1.2.3", sport=4000):
    body = (socket.inet_aton(src) + socket.inet_aton("10.9.9.9") +
            struct.pack("!HH", sport, 80) + tlvs)
    return SIG + b"\x21\x11" + struct.pack("!H", len(body)) + body


fe, tcp_fe, app_p, echo_p = (T.free_port() for _ in range(4))
sock = T.tmp("pp.sock")
app = H.Origin(("127.0.0.1", app_p), lambda r: H.ok(b"app"))


def echo(c):
    data = c.recv(4096)
    c.sendall(b"echo:" + data)


T.Server("echo", ("127.0.0.1", echo_p), handler=echo)
plan = T.compile_cfg("""
global
    stats socket %(sock)s level admin
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
backend circuits
    stick-table type string len 64 size 1k expire 1m store http_req_cnt
frontend web
    bind 127.0.0.1:%(fe)d accept-proxy
    log stderr format raw local0
    log-format "pp id=%%[fc_pp_unique_id] auth=%%[fc_pp_authority] ci=%%ci"
    http-request deny deny_status 429 if { fc_pp_unique_id -m str banned }
    http-request set-var(req.circuit_id) fc_pp_unique_id
    http-request track-sc0 fc_pp_unique_id table circuits
    http-request set-header X-Circuit %%[var(req.circuit_id)]
    http-request set-header X-Authority %%[fc_pp_authority]
    http-request set-header X-E0 %%[fc_pp_tlv(0xE0)]
    http-request set-header X-Alpn %%[fc_pp_tlv(ALPN)]
    http-request set-header X-Cn %%[fc_pp_tlv(SSL_CN)]
    http-request set-header X-Rcvd %%[fc_rcvd_proxy]
    http-request set-header X-Two yes if { fc_pp_tlv(0xE1) -m str second }
    default_backend app
backend app
    server s1 127.0.0.1:%(app_p)d
frontend tcpin
    mode tcp
    bind 127.0.0.1:%(tcp_fe)d accept-proxy
    tcp-request inspect-delay 2s
    tcp-request content reject if { fc_pp_unique_id -m beg evil }
    tcp-request content accept if { fc_pp_tlv(5) -m found }
    tcp-request content reject
    default_backend echo
backend echo
    mode tcp
    server e1 127.0.0.1:%(echo_p)d
""" % locals())
run = T.Cfgrun(plan)


def req(c, path):
    c.sendall(b"GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path.encode())
    return H.recv_response(c)


def last(path):
    return [r for r in app.requests if r["target"] == path][-1]["headers"]


ssl = tlv(0x20, b"\x01\x00\x00\x00\x00" + tlv(0x21, b"TLSv1.3") +
          tlv(0x22, b"client.example"))
hdr = v2(tlv(0x02, b"svc.example") + tlv(0x05, b"circuit-42") +
         tlv(0x01, b"h2") + tlv(0xE1, b"first") + tlv(0xE1, b"second") + ssl +
         tlv(0xE0, b"custom"))
c = H.connect(fe)
c.sendall(hdr)
code, h, body = req(c, "/one")
T.check(code == 200 and body == b"app", "a request after a PROXY v2 header with TLVs (%s)" % code)
hd = last("/one")
T.check(hd.get("x-circuit") == ["circuit-42"],
        "fc_pp_unique_id through set-var reaches the server (%s)" % hd.get("x-circuit"))
T.check(hd.get("x-authority") == ["svc.example"], "fc_pp_authority (%s)" % hd.get("x-authority"))
T.check(hd.get("x-e0") == ["custom"], "fc_pp_tlv(0xE0) (%s)" % hd.get("x-e0"))
T.check(hd.get("x-alpn") == ["h2"], "fc_pp_tlv(ALPN) (%s)" % hd.get("x-alpn"))
T.check(hd.get("x-cn") == ["client.example"],
        "fc_pp_tlv(SSL_CN) inside the SSL TLV (%s)" % hd.get("x-cn"))
T.check(hd.get("x-rcvd") == ["1"], "fc_rcvd_proxy (%s)" % hd.get("x-rcvd"))
T.check(hd.get("x-two") == ["yes"], "an ACL on fc_pp_tlv sees every occurrence of a repeated type")
code, h, body = req(c, "/two")
T.check(code == 200 and last("/two").get("x-circuit") == ["circuit-42"],
        "the second request of the connection sees the same TLVs")
c.close()

# The header without the TLVs: no sample, empty values.
c = H.connect(fe)
c.sendall(v2(tlv(0x04, b"")))
code, h, body = req(c, "/bare")
hd = last("/bare")
T.check(code == 200 and hd.get("x-circuit") == [""] and hd.get("x-authority") == [""],
        "no UNIQUE_ID or AUTHORITY TLV: empty values (%s %s)" %
        (hd.get("x-circuit"), hd.get("x-authority")))
c.close()

# v1: a PROXY header, no TLV.
c = H.connect(fe)
c.sendall(b"PROXY TCP4 10.0.0.1 10.0.0.2 1111 80\r\n")
code, h, body = req(c, "/v1")
hd = last("/v1")
T.check(code == 200 and hd.get("x-rcvd") == ["1"] and hd.get("x-circuit") == [""],
        "v1: fc_rcvd_proxy true, no unique id")
c.close()

c = H.connect(fe)
c.sendall(v2(tlv(0x05, b"banned")))
code, h, body = req(c, "/b")
T.check(code == 429, "an ACL on fc_pp_unique_id denies (%s)" % code)
c.close()
T.check(not any(r["target"] == "/b" for r in app.requests), "the denied request never reached the server")

# track-sc0 fc_pp_unique_id: one entry per circuit, counting its requests.
out = T.stats_cmd(sock, "show table circuits")
m = re.search(r"key=circuit-42 .*http_req_cnt=(\d+)", out)
T.check(m is not None and m.group(1) == "2",
        "track-sc0 fc_pp_unique_id: circuit-42 counted 2 requests (%r)" % out)

# The custom log line.
lines = run.wait_logs(5)
T.check(any("pp id=circuit-42 auth=svc.example ci=10.1.2.3" in l for l in lines),
        "log-format %%[fc_pp_unique_id] %%[fc_pp_authority] (%r)" % lines[:3])

# tcp-request content in a TCP frontend.
c = T.connect(("127.0.0.1", tcp_fe))
c.sendall(v2(tlv(0x05, b"good-1")) + b"hello")
T.check(T.recv_all(c) == b"echo:hello", "tcp-request content accept on fc_pp_tlv(5) -m found")
c.close()
T.check(T.closed_without_data(("127.0.0.1", tcp_fe), v2(tlv(0x05, b"evil-2")) + b"hello"),
        "tcp-request content reject on fc_pp_unique_id -m beg evil")
T.check(T.closed_without_data(("127.0.0.1", tcp_fe), v2() + b"hello"),
        "no UNIQUE_ID: the final reject")

run.stop()
T.done()
