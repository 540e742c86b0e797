#!/usr/bin/python3
"""option logasap on real sockets.
 - HTTP (option httplog): the line is written as soon as the response head
   is forwarded, while the server still holds the body back: Ta and Tt
   carry a '+', the byte count is '+' and what HAProxy counts then (the size of
   its internal form of the response head, checked side by side); when the body comes and the request ends, no second line.
 - TCP (option tcplog): the line is written once the server is connected,
   while the client connection is still open: '+' before the total time
   and the bytes, "--" as the state; none when the connection ends.
A frontend without logasap keeps writing its line at the end."""
import os
import re
import socket
import sys
import threading

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

release = threading.Event()
HEAD = (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
        b"Connection: close\r\n\r\n")


def slow_body(c):
    data = b""
    while b"\r\n\r\n" not in data:
        d = c.recv(1024)
        if not d:
            return
        data += d
    c.sendall(HEAD)
    release.wait(T.TIMEOUT)
    c.sendall(b"hello")


s_http, s_tcp = T.free_ports(2)
srv_h = T.Server("h", ("127.0.0.1", s_http), handler=slow_body)
srv_t = T.Server("t", ("127.0.0.1", s_tcp))
fe_h, fe_t, fe_n = T.free_ports(3)
plan = T.compile_cfg("""
global
    log stderr format raw local0
defaults
    log global
    option logasap
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend web
    mode http
    option httplog
    bind 127.0.0.1:%(fe_h)d
    default_backend hb
backend hb
    mode http
    server h 127.0.0.1:%(s_http)d
frontend tcpfe
    mode tcp
    option tcplog
    bind 127.0.0.1:%(fe_t)d
    default_backend tb
frontend normal
    mode tcp
    option tcplog
    no option logasap
    bind 127.0.0.1:%(fe_n)d
    default_backend tb
backend tb
    mode tcp
    server t 127.0.0.1:%(s_tcp)d
""" % locals())
run = T.Cfgrun(plan)

# HTTP: the line comes while the body is held back.
c = socket.create_connection(("127.0.0.1", fe_h), timeout=T.TIMEOUT)
c.sendall(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
got = b""
while b"\r\n\r\n" not in got:
    got += c.recv(4096)
lines = run.wait_logs(1)
T.check(len(lines) == 1 and " web hb/h " in lines[0],
        "HTTP: one line before the body is sent: %r" % lines)
m = re.search(r" \d+/\d+/\d+/\d+/\+(\d+) 200 \+(\d+) ", lines[0])
T.check(m is not None, "Ta and bytes carry a '+': %r" % lines[0])
# HAProxy's count: the size of its internal form of the response then
# (a 20-byte start-line record, version, status, reason, each header's name
# and value, 1 for the end of the headers; no body byte had come yet).
head = got[:got.index(b"\r\n\r\n")].split(b"\r\n")
want = 20 + 1 + len(head[0]) - 2 + sum(
    len(h.split(b":", 1)[0]) + len(h.split(b":", 1)[1].strip()) for h in head[1:])
T.check(m and int(m.group(2)) == want,
        "the bytes are HAProxy's count for the head the client got, %d (%s)"
        % (want, m and m.group(2)))
T.check('"GET /slow HTTP/1.1"' in lines[0], "the request line is logged")
release.set()
while not got.endswith(b"hello"):
    d = c.recv(4096)
    if not d:
        break
    got += d
T.check(got.endswith(b"hello"), "the body follows the line")
c.close()

# TCP: the line comes while the client connection is open.
t = socket.create_connection(("127.0.0.1", fe_t), timeout=T.TIMEOUT)
T.check(T.greeted(t), "TCP: the server is reached")
lines = run.wait_logs(2)
T.check(len(lines) == 2 and " tcpfe tb/t " in lines[1],
        "TCP: the line is written while connected: %r" % lines[1:])
T.check(len(lines) == 2 and
        re.search(r" -?\d+/\d+/\+\d+ \+\d+ -- ", lines[1]) is not None,
        "'+' before the total time and bytes, state '--': %r" % lines[1:])
t.sendall(b"ping\n")
t.shutdown(socket.SHUT_WR)
T.recv_all(t)
t.close()

# Without logasap: written at the end; then no more lines than 3, so the
# HTTP and TCP streams above wrote no second line.
n = socket.create_connection(("127.0.0.1", fe_n), timeout=T.TIMEOUT)
T.check(T.greeted(n), "normal frontend: the server is reached")
n.sendall(b"x" * 10)
n.shutdown(socket.SHUT_WR)
T.recv_all(n)
n.close()
lines = run.wait_logs(3)
T.check(len(lines) == 3 and " normal tb/t " in lines[2] and
        "+" not in lines[2].split("]", 1)[1],
        "without logasap: one line at the end, no '+': %r" % lines[2:])
T.check(T.wait_until(lambda: len(run.log_lines()) == 3, timeout=0.5) and
        len(run.log_lines()) == 3, "the logasap streams wrote no second line")
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.check(len(run.log_lines()) == 3, "still three lines after the stop")
T.done()
