#!/usr/bin/python3
"""tcp-check and httpchk through cfgc and cfgrun, against test servers
whose answers the test changes:
 - `option tcp-check` with connect port, send, expect string, rstring
   (PCRE2, as HAProxy: a `(?i)` prefix is a caseless match)
   (regex), binary and a negated expect: the server is UP while it answers
   as expected, DOWN with "Layer7 invalid response" and the step that did
   not match when it does not, UP again ("Layer7 check passed") when it is
   back;
 - `option httpchk` with `http-check send` and `expect status 200`: the
   request bytes are the ones configured; a 503 takes the server DOWN with
   HAProxy's "Layer7 wrong status, code: 503" line, a 200 brings it back."""
import os
import re
import socket
import sys
import threading

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

state = {"tcp": b"+PONG role:master\r\n", "http": b"200 OK"}
requests = []
lock = threading.Lock()


def tcp_handler(c):
    """A redis-like checker target: answers PING with state["tcp"]."""
    data = b""
    while b"\n" not in data:
        d = c.recv(1024)
        if not d:
            return
        data += d
    if data.startswith(b"PING"):
        c.sendall(state["tcp"])
    c.shutdown(socket.SHUT_WR)


def http_handler(c):
    data = b""
    while b"\r\n\r\n" not in data:
        d = c.recv(1024)
        if not d:
            return
        data += d
    with lock:
        requests.append(data)
    c.sendall(b"HTTP/1.1 " + state["http"] + b"\r\nContent-Length: 0\r\n\r\n")
    c.shutdown(socket.SHUT_WR)


p_data, p_tcp, p_http = T.free_ports(3)
data_srv = T.Server("data", ("127.0.0.1", p_data))
tcp_srv = T.Server("tcp", ("127.0.0.1", p_tcp), handler=tcp_handler)
http_srv = T.Server("http", ("127.0.0.1", p_http), handler=http_handler)
fe_t, fe_h = T.free_port(), T.free_port()
plan = T.compile_cfg("""
defaults
    timeout connect 1s
    timeout client 10s
    timeout server 10s
    timeout check 1s
listen tc
    bind 127.0.0.1:%d
    option tcp-check
    tcp-check connect port %d
    tcp-check send PING\\r\\n
    tcp-check expect string +PONG
    tcp-check expect rstring (?i)ROLE:(master|primary)
    tcp-check expect binary 0d0a
    tcp-check expect ! string ERR
    server r1 127.0.0.1:%d check inter 100 fall 2 rise 2
listen hc
    bind 127.0.0.1:%d
    option httpchk
    http-check send meth GET uri /health ver HTTP/1.1 hdr Host example.org
    http-check expect status 200
    server h1 127.0.0.1:%d check inter 100 fall 2 rise 2
""" % (fe_t, p_tcp, p_data, fe_h, p_http))
run = T.Cfgrun(plan)

# tcp-check: healthy, traffic flows to the data port (checks go elsewhere).
seq = T.server_names(("127.0.0.1", fe_t), 3)
T.check(seq == ["data"] * 3, "tcp-check target serves: %s" % seq)
T.check(T.wait_until(lambda: tcp_srv.accepted >= 3),
        "tcp-check connects to its own port (%d checks)" % tcp_srv.accepted)

state["tcp"] = b"-ERR not ready\r\n"
m = run.wait_for(r'Server tc/r1 is DOWN, reason: Layer7 invalid response, '
                 r'info: "TCPCHK did not match content \'\+PONG\' at step 3"')
T.check(m is not None, "a wrong answer takes the server DOWN: %s" % m.group(0))
run.wait_for(r"backend tc has no server available!")
T.check(T.closed_without_data(("127.0.0.1", fe_t)), "no traffic while DOWN")


def cycle(answer, down_re, what):
    """From UP: a bad answer takes r1 DOWN with down_re, then a good one
    brings it back UP."""
    n_up = run.stderr().count("Server tc/r1 is UP")
    n_down = run.stderr().count("Server tc/r1 is DOWN")
    state["tcp"] = answer
    T.check(T.wait_until(lambda: run.stderr().count("Server tc/r1 is DOWN") > n_down),
            what + ": DOWN")
    last = run.stderr().split("Server tc/r1 is DOWN")[-1].splitlines()[0]
    T.check(re.search(down_re, last) is not None, what + ": %s" % last)
    state["tcp"] = b"+PONG role:primary\r\n"
    T.check(T.wait_until(lambda: run.stderr().count("Server tc/r1 is UP") > n_up),
            what + ": UP again")


state["tcp"] = b"+PONG role:primary\r\n"
m = run.wait_for(r"Server tc/r1 is UP, reason: Layer7 check passed, check "
                 r"duration: \d+ms\. 1 active and 0 backup servers online")
T.check(m is not None, "back UP once every expect passes")
seq = T.server_names(("127.0.0.1", fe_t), 2)
T.check(seq == ["data"] * 2, "traffic again: %s" % seq)
cycle(b"+PONG role:replica\r\n",
      r"did not match content '\(\?i\)ROLE:\(master\|primary\)' at step 4",
      "rstring that does not match")
cycle(b"+PONG role:master\n",
      r"did not match content '\\x0d\\x0a' at step 5",
      "binary that does not match")
cycle(b"+PONG role:primary ERR\r\n",
      r"matched unwanted content 'ERR' at step 6", "negated expect")

# httpchk: the request as configured, then status codes.
T.wait_until(lambda: requests)
with lock:
    req = requests[0]
T.check(req == b"GET /health HTTP/1.1\r\nHost: example.org\r\n\r\n",
        "httpchk request bytes: %r" % req)
state["http"] = b"503 Service Unavailable"
m = run.wait_for(r'Server hc/h1 is DOWN, reason: Layer7 wrong status, '
                 r'code: 503, info: "Service Unavailable", check duration: '
                 r'\d+ms\. 0 active and 0 backup servers left\.')
T.check(m is not None, "503 takes the server DOWN: %s" % m.group(0))
state["http"] = b"200 OK"
m = run.wait_for(r'Server hc/h1 is UP, reason: Layer7 check passed, code: '
                 r'200, info: "OK", check duration: \d+ms\. 1 active and 0 '
                 r'backup servers online\.')
T.check(m is not None, "200 brings it back UP")

rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
