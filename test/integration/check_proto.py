#!/usr/bin/python3
"""Protocol health checks through cfgc and cfgrun: option mysql-check
(with and without a user, post-41 and pre-41), pgsql-check, redis-check,
smtpchk and ldap-check, each against a small fake server that speaks the
protocol and against one that answers with the protocol's refusal (or
not the protocol at all). The fakes check the bytes cfgrun sends; the
healthy servers stay UP with check status L7OK and HAProxy's detail, the
others go DOWN with HAProxy's reason, code and detail."""
import os
import socket
import struct
import subprocess
import sys
import threading

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

seen = {}          # fake name -> list of request byte strings received
lock = threading.Lock()


def recv_some(c, n, timeout=3.0):
    """Up to n bytes, as they come, within timeout."""
    c.settimeout(timeout)
    data = b""
    try:
        while len(data) < n:
            d = c.recv(n - len(data))
            if not d:
                break
            data += d
    except (socket.timeout, OSError):
        pass
    return data


def note(name, data):
    with lock:
        seen.setdefault(name, []).append(data)


def mysql_packet(seq, payload):
    return struct.pack("<I", len(payload))[:3] + bytes([seq]) + payload


GREETING = mysql_packet(0, b"\x0a" + b"8.0.99-fake\x00" + b"\x01\x00\x00\x00"
                        + b"abcdefgh\x00" + b"\xff\xf7\x21\x02\x00")


def mysql(reply_login, greet=GREETING):
    def serve(c):
        c.sendall(greet)
        data = recv_some(c, 200, 0.5)
        note("mysql", data)
        if reply_login:
            c.sendall(reply_login)
        recv_some(c, 10, 0.5)
    return serve


OK_PKT = mysql_packet(2, b"\x00\x00\x00\x02\x00\x00\x00")
DENIED = mysql_packet(2, b"\xff\x15\x04#28000Access denied for user 'hc'")
HOSTNO = mysql_packet(0, b"\xff\x6a\x04Host '127.0.0.1' is not allowed")


def pgsql(answer):
    return request_reply("pgsql",
                         4 + len(b"\x00\x03\x00\x00user\x00pg\x00\x00"),
                         answer)


def request_reply(kind, n, answer):
    """A fake reading the client's n-byte request, then answering."""
    def serve(c):
        note(kind, recv_some(c, n))
        c.sendall(answer)
        recv_some(c, 10, 0.5)
    return serve


def redis(answer):
    return request_reply("redis", 14, answer)


def smtp(greet, answer):
    def serve(c):
        c.sendall(greet)
        if greet.startswith(b"2"):
            note("smtp", recv_some(c, len(b"EHLO check.example\r\n")))
            c.sendall(answer)
        recv_some(c, 10, 0.5)
    return serve


def ldap(answer):
    return request_reply("ldap", 14, answer)


LDAP_OK = bytes.fromhex("300c02010161070a010004000400")
LDAP_BAD = bytes.fromhex("300c02010161070a013104000400")   # 49: bad creds

fakes = {
    "my_ok": mysql(OK_PKT), "my_denied": mysql(DENIED),
    "my_hello": mysql(None), "my_host": mysql(None, HOSTNO),
    "my_pre": mysql(OK_PKT),
    "pg_ok": pgsql(b"R\x00\x00\x00\x08\x00\x00\x00\x00"),
    "pg_md5": pgsql(b"R\x00\x00\x00\x0c\x00\x00\x00\x05salt"),
    "pg_err": pgsql(b"E\x00\x00\x00\x30SFATAL\x00C28000\x00Mno pg_hba.conf entry\x00\x00"),
    "rd_ok": redis(b"+PONG\r\n"),
    "rd_auth": redis(b"-NOAUTH Authentication required.\r\n"),
    "sm_ok": smtp(b"220 fake.example ESMTP\r\n", b"250-fake.example\r\n250 8BITMIME\r\n"),
    "sm_busy": smtp(b"554 no service here\r\n", b""),
    "sm_nosmtp": smtp(b"HTTP/1.0 400 Bad\r\n", b""),
    "ld_ok": ldap(LDAP_OK), "ld_bad": ldap(LDAP_BAD),
    "ld_http": ldap(b"HTTP/1.0 400 Bad Request\r\n\r\n"),
}
ports = dict(zip(fakes, T.free_ports(len(fakes))))
servers = [T.Server(n, ("127.0.0.1", ports[n]), handler=h)
           for n, h in fakes.items()]
sock = T.tmp("proto.sock")


def srv(name):
    return "    server %s 127.0.0.1:%d check inter 200 fall 1 rise 1\n" % (
        name, ports[name])


cfg = """
global
    stats socket %s level admin
defaults
    timeout connect 1s
    timeout client 5s
    timeout server 5s
    timeout check 2s
backend my
    option mysql-check user hc
%s%s
backend myhello
    option mysql-check
%s%s
backend mypre
    option mysql-check user old pre-41
%s
backend pg
    option pgsql-check user pg
%s%s%s
backend rd
    option redis-check
%s%s
backend sm
    option smtpchk EHLO check.example
%s%s%s
backend ld
    option ldap-check
%s%s%s
""" % (sock, srv("my_ok"), srv("my_denied"), srv("my_hello"),
       srv("my_host"), srv("my_pre"), srv("pg_ok"), srv("pg_md5"),
       srv("pg_err"), srv("rd_ok"), srv("rd_auth"), srv("sm_ok"),
       srv("sm_busy"), srv("sm_nosmtp"), srv("ld_ok"), srv("ld_bad"),
       srv("ld_http"))
plan = T.compile_cfg(cfg)
run = T.Cfgrun(plan)

down = {
    "my/my_denied": r'Layer7 wrong status, code: 1045, info: "#28000Access '
                    r'denied for user \'hc\'"',
    "myhello/my_host": r'Layer7 wrong status, code: 1130, info: "Host '
                       r'\'127.0.0.1\' is not allowed"',
    "pg/pg_err": r'Layer7 invalid response, info: "FATAL"',
    "rd/rd_auth": r'Layer7 wrong status, info: "-NOAUTH Authentication '
                  r'required\."',
    "sm/sm_busy": r'Layer7 wrong status, code: 554, info: "no service here"',
    "sm/sm_nosmtp": r'Layer7 invalid response, info: "HTTP/1\.0 400 Bad"',
    "ld/ld_bad": r'Layer7 wrong status, code: 49, info: "bind refused with '
                 r'resultCode 49',
    "ld/ld_http": r'Layer7 invalid response, info: "Not LDAPv3 protocol"',
}
for name, why in down.items():
    m = run.wait_for(r"Server %s is DOWN, reason: %s" % (name, why))
    T.check(m is not None, "%s goes DOWN: %s" % (name, m.group(0)))


def passed(be, sv):
    row = T.stat_rows(sock).get((be, sv), {})
    return row.get("check_status") == "L7OK" and row.get("status") == "UP"


ups = [("my", "my_ok"), ("myhello", "my_hello"), ("mypre", "my_pre"),
       ("pg", "pg_ok"), ("pg", "pg_md5"), ("rd", "rd_ok"), ("sm", "sm_ok"),
       ("ld", "ld_ok")]
for be, sv in ups:
    T.check(T.wait_until(lambda: passed(be, sv)),
            "%s/%s is UP after a Layer7 check passed" % (be, sv))
T.check("Server my/my_ok is DOWN" not in run.stderr(),
        "the healthy servers never went down")

# What the fakes received is what HAProxy sends.
user41 = (b"\x00\x82\x00\x00\x00\x80\x00\x01\x21" + b"\x00" * 23 +
          b"hc\x00\x00")
login41 = struct.pack("<I", len(user41))[:3] + b"\x01" + user41
quit_ = b"\x01\x00\x00\x00\x01"
pre = b"\x00\x80\x00\x00\x01old\x00\x00"
login40 = struct.pack("<I", len(pre))[:3] + b"\x01" + pre
T.check(login41 + quit_ in seen.get("mysql", []),
        "mysql-check user hc sends a 4.1 login for hc and COM_QUIT")
T.check(login40 + quit_ in seen.get("mysql", []),
        "mysql-check user old pre-41 sends the old login form")
T.check(b"" in seen.get("mysql", []),
        "mysql-check without a user sends nothing")
startup = b"\x00\x03\x00\x00user\x00pg\x00\x00"
T.check(struct.pack(">I", len(startup) + 4) + startup in seen.get("pgsql", []),
        "pgsql-check sends a 3.0 startup message for user pg")
T.check(seen.get("redis", [b""])[0] == b"*1\r\n$4\r\nPING\r\n",
        "redis-check sends PING")
T.check(b"EHLO check.example\r\n" in seen.get("smtp", []),
        "smtpchk sends the command given")
T.check(seen.get("ldap", [b""])[0] == bytes.fromhex("300c020101600702010304008000"),
        "ldap-check sends an anonymous LDAPv3 bind")

# The dump prints the options back.
d = subprocess.run([T.CFGC, "--dump", plan], capture_output=True, text=True)
for line in ("option mysql-check user hc", "option mysql-check\n",
             "option mysql-check user old pre-41", "option pgsql-check user pg",
             "option redis-check", "option smtpchk EHLO check.example",
             "option ldap-check"):
    T.check(line in d.stdout, "dump has '%s'" % line.strip())

rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
