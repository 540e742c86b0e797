#!/usr/bin/python3
"""global `stats timeout`: a stats socket client idle that long is closed
(300 ms here, against the 10 s default), and `cfgc --dump` writes it
back."""
import os
import socket
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

sock = T.tmp("admin.sock")
fe, be = T.free_port(), T.free_port()
plan = T.compile_cfg("""
global
    stats socket %s level admin
    stats timeout 300ms
defaults
    timeout connect 2s
    timeout client 5s
    timeout server 5s
listen l
    bind 127.0.0.1:%d
    server s 127.0.0.1:%d
""" % (sock, fe, be))
dump = subprocess.run([T.CFGC, "--dump", plan], capture_output=True, text=True)
T.check("    stats timeout 300ms" in dump.stdout, "cfgc --dump writes stats timeout back")
run = T.Cfgrun(plan)
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c.settimeout(T.TIMEOUT)
c.connect(sock)
t0 = time.monotonic()
data = c.recv(100)
took = time.monotonic() - t0
T.check(data == b"" and took < 3, "an idle client is closed after stats timeout (%.2f s)" % took)
c.close()
run.stop()
T.done()
