#!/usr/bin/python3
"""http-check expect [!] string|rstring through cfgc and cfgrun, against
test servers whose answers the test changes:
 - `expect string lucene_version`: the body is judged, not the status: a
   200 whose body lacks the text takes the server DOWN with "Layer7 invalid
   response" and "HTTP content check did not match" (no code, as
   HAProxy 2.6 words it); a 503 whose body holds it brings the server
   back UP ("code: 503" and no reason, as HAProxy words a pass). The server keeps the connection open after
   a response with a Content-Length, so the body is judged at its length,
   not at the end of the connection;
 - `expect ! rstring err(or)?`: a body matching the regex takes the server
   DOWN with "HTTP check matched unwanted content", one without brings it
   back; the response without Content-Length ends with the connection."""
import os
import socket
import sys
import threading

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

state = {"s": (b"200 OK", b'{"version":{"lucene_version":"9.1"}}'),
         "r": b"all good"}
done = threading.Event()


def read_request(c):
    data = b""
    while b"\r\n\r\n" not in data:
        d = c.recv(1024)
        if not d:
            return None
        data += d
    return data


def string_handler(c):
    """Answers with a Content-Length and keeps the connection open."""
    if read_request(c) is None:
        return
    status, body = state["s"]
    c.sendall(b"HTTP/1.1 " + status + b"\r\nContent-Type: application/json"
              b"\r\ncontent-length: %d\r\n\r\n" % len(body) + body)
    done.wait(5)


def rstring_handler(c):
    """Answers without a Content-Length: the body ends with the connection."""
    if read_request(c) is None:
        return
    c.sendall(b"HTTP/1.0 200 OK\r\n\r\n" + state["r"])
    c.shutdown(socket.SHUT_WR)


p_s, p_r = T.free_ports(2)
srv_s = T.Server("s", ("127.0.0.1", p_s), handler=string_handler)
srv_r = T.Server("r", ("127.0.0.1", p_r), handler=rstring_handler)
plan = T.compile_cfg("""
defaults
    mode http
    timeout connect 1s
    timeout client 10s
    timeout server 10s
    timeout check 1s
backend es
    option httpchk GET /
    http-check expect string lucene_version
    server e1 127.0.0.1:%d check inter 100 fall 2 rise 2
backend neg
    option httpchk
    http-check expect ! rstring err(or)?
    server n1 127.0.0.1:%d check inter 100 fall 2 rise 2
""" % (p_s, p_r))
run = T.Cfgrun(plan)
T.check(T.wait_until(lambda: srv_s.accepted >= 3 and srv_r.accepted >= 3),
        "both servers are checked")
T.check("is DOWN" not in run.stderr(), "expected bodies keep both servers UP")

state["s"] = (b"200 OK", b'{"status":"red"}')
m = run.wait_for(r'Server es/e1 is DOWN, reason: Layer7 invalid response, '
                 r'info: "HTTP content check did not match"')
T.check(m is not None, "a 200 without the text: DOWN (%s)" % (m and m.group(0)))
state["s"] = (b"503 Service Unavailable", b'{"lucene_version":"9.1"}')
m = run.wait_for(r'Server es/e1 is UP, reason: Layer7 check passed, code: 503, '
                 r'check duration: \d+ms\. 1 active')
T.check(m is not None, "a 503 with the text: UP, the status is not judged")

state["r"] = b"fatal err at boot"
m = run.wait_for(r'Server neg/n1 is DOWN, reason: Layer7 invalid response, '
                 r'info: "HTTP check matched unwanted content", check '
                 r'duration: \d+ms\. 0 active and 0 backup servers left\.')
T.check(m is not None, "negated rstring matching the body: DOWN")
state["r"] = b"ready"
m = run.wait_for(r'Server neg/n1 is UP, reason: Layer7 check passed')
T.check(m is not None, "a body without a match: UP again")

done.set()
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
