#!/usr/bin/python3
"""global `default-path`: cfgc resolves a relative errorfile from the
directory the policy names. The same relative name `errors/503.http`
exists, with a different body, under the current directory, the
configuration's directory, its parent and an origin directory; each
policy compiled (from the same current directory) makes cfgrun answer
503 with the body of its own directory; under --hermetic the path
recorded as a precondition is the policy's."""
import os
import socket
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

root = T.tmp("dp")
dirs = {"current": os.path.join(root, "run"),
        "config": os.path.join(root, "top", "conf"),
        "parent": os.path.join(root, "top"),
        "origin": os.path.join(root, "origin")}
for name, d in dirs.items():
    os.makedirs(os.path.join(d, "errors"), exist_ok=True)
    with open(os.path.join(d, "errors", "503.http"), "wb") as f:
        f.write(b"HTTP/1.0 503 Service Unavailable\r\n"
                b"Content-Type: text/plain\r\n\r\nfrom-%s\n" % name.encode())
fe = T.free_port()
dead = T.dead_port()
CFG = """
global
    default-path %s
defaults
    mode http
    timeout connect 2s
    timeout client 5s
    timeout server 5s
    errorfile 503 errors/503.http
listen web
    bind 127.0.0.1:%d
    server dead 127.0.0.1:%d
"""
cfg = os.path.join(dirs["config"], "site.cfg")


def body_for(policy):
    arg = policy + (" " + dirs["origin"] if policy == "origin" else "")
    with open(cfg, "w") as f:
        f.write(CFG % (arg, fe, dead))
    plan = T.tmp("dp-%s.plan" % policy)
    r = subprocess.run([T.CFGC, cfg, "-o", plan], cwd=dirs["current"],
                       capture_output=True, text=True, timeout=T.TIMEOUT)
    T.check(r.returncode == 0, "cfgc accepts default-path %s (%s)"
            % (arg, r.stderr.strip()))
    run = T.Cfgrun(plan)
    c = socket.create_connection(("127.0.0.1", fe), timeout=T.TIMEOUT)
    c.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    reply = T.recv_all(c)
    c.close()
    rc, _ = run.stop()
    T.check(rc == 0, "cfgrun exits 0")
    T.check(reply.startswith(b"HTTP/1.0 503"), "503 answered (%r)" % reply[:40])
    return reply.split(b"\r\n\r\n", 1)[-1].strip().decode()


for policy in ("current", "config", "parent", "origin"):
    got = body_for(policy)
    T.check(got == "from-" + policy,
            "default-path %s: errorfile from its directory (%s)" % (policy, got))
# --hermetic reads nothing: the path recorded for cfgrun (which does not
# load errorfiles at start yet) is the one the policy names.
with open(cfg, "w") as f:
    f.write(CFG % ("config", fe, dead))
plan = T.tmp("dp-hermetic.plan")
r = subprocess.run([T.CFGC, "--hermetic", cfg, "-o", plan], cwd=dirs["current"],
                   capture_output=True, text=True, timeout=T.TIMEOUT)
T.check(r.returncode == 0, "cfgc --hermetic accepts it (%s)" % r.stderr.strip())
dump = subprocess.run([T.CFGC, "--dump", plan], capture_output=True, text=True,
                      timeout=T.TIMEOUT).stdout
want = os.path.join(dirs["config"], "errors", "503.http")
T.check("# precondition: errorfile %s (line 9)" % want in dump,
        "--hermetic records %s" % want)
T.done()
