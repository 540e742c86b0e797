#!/usr/bin/python3
"""The HTTP rules' per-generation state in the real cfgrun: a plan with
ACL regexes and http rules starts and serves (cfgrun compiles the
regexes once per generation), a reload to another such plan is taken,
and a plan whose regex PCRE2 refuses (cfgc never writes one: the test
forges it, digest included) is refused at start and at reload with the
regex named, the running generation serving on."""
import hashlib
import os
import signal
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T
import httpsrv as H

sp = T.free_ports(2)
servers = [H.Origin(("127.0.0.1", p), (lambda n: lambda r: H.ok(n))(b"s%d" % i))
           for i, p in enumerate(sp)]
fe = T.free_port()
CFG = """
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
frontend fe
    bind 127.0.0.1:%(fe)d
    acl api path_reg -i ^/api/v[0-9]+/
    http-request replace-header X-Fwd ^(%(re)s)$ \\1
    http-request set-header X-Client %%ci
    use_backend other if api
    default_backend main
backend main
    server s 127.0.0.1:%(s)d
backend other
    server o 127.0.0.1:%(o)d
"""


def cfg(re, s, o):
    return CFG % dict(fe=fe, re=re, s=s, o=o)


def served_by():
    c = H.connect(fe)
    c.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    _, _, body = H.recv_response(c)
    c.close()
    return body.decode()


def forge(src, dst, old, new):
    """Copy plan src to dst with bytes `old` of its blob replaced by `new`
    (same length) and the digest recomputed, so that it verifies."""
    data = bytearray(open(src, "rb").read())
    at = data.find(old)
    T.check(at > 0, "found %r in the plan" % old)
    data[at:at + len(old)] = new
    data[40:72] = bytes(32)
    data[40:72] = hashlib.sha256(bytes(data)).digest()
    with open(dst + ".tmp", "wb") as f:
        f.write(data)
    os.rename(dst + ".tmp", dst)


plan = T.compile_cfg(cfg("abc(d)", sp[0], sp[1]), "gen.cfg")
good = T.tmp("good.plan")
with open(good, "wb") as f:
    f.write(open(plan, "rb").read())

# A regex PCRE2 refuses at start: cfgrun says which and does not run.
bad = T.tmp("bad.plan")
forge(good, bad, b"abc(d)", b"abc(d(")
rc, out = T.run_cfgrun(bad)
T.check(rc != 0, "a plan with a broken regex is refused at start (rc %d)" % rc)
T.check("cannot compile the plan's regexes" in out and "abc(d(" in out,
        "the refusal names the regex:\n" + out)

run = T.Cfgrun(plan)
# mode http is still relayed as TCP by this cfgrun: the default backend
T.check(served_by() == "s0", "first generation serves")

# Reload to a plan with other regexes (and servers swapped).
T.compile_cfg(cfg("x+y", sp[1], sp[0]), "gen.cfg", out=plan)
run.proc.send_signal(signal.SIGHUP)
run.wait_for(r"reloaded plan .*generation 2")
T.check(T.wait_until(lambda: served_by() == "s1"), "second generation serves")

# Reload to a forged plan with a broken regex: refused, generation 2 serves.
forge(plan, plan, b"x+y", b"x+(")
run.proc.send_signal(signal.SIGHUP)
run.wait_for(r"cannot compile the plan's regexes: .*x\+\(.*\n.*reload refused")
T.check(served_by() == "s1", "broken regex refused at reload, old plan serves")
rc, _ = run.stop()
T.check(rc == 0, "cfgrun stops cleanly (rc %s)" % rc)
T.done()
