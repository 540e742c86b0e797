#!/usr/bin/python3
"""cfgrun refuses what it cannot run, with exit status 1 and a message:
truncated, bit-flipped, foreign and missing plans (never a crash or a
hang), an address in use, a unix path another process listens on; bad
command lines exit 2. -c verifies and prints the digest cfgc prints."""
import hashlib
import os
import socket
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

fe = T.free_port()
good = T.compile_cfg("""
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:%d
    default_backend be
backend be
    server s1 127.0.0.1:1
""" % fe)
data = open(good, "rb").read()

# -c: verify only, digest equal to cfgc's.
rc, out = T.run_cfgrun(good, ["-c"])
T.check(rc == 0 and "valid plan" in out, "-c accepts a good plan: " + out.strip())
r = subprocess.run([T.CFGC, "--digest", good], capture_output=True, text=True,
                   timeout=T.TIMEOUT)
dig = r.stdout.split()[0] if r.stdout.split() else "?"
T.check(len(dig) == 64 and dig in out, "cfgrun -c prints cfgc's digest %s" % dig)


def refused(blob, label, want=None):
    path = T.tmp("bad.plan")
    with open(path, "wb") as f:
        f.write(blob)
    try:
        rc, out = T.run_cfgrun(path, timeout=5)
    except subprocess.TimeoutExpired:
        return "%s: hung" % label
    if rc != 1:
        return "%s: exit %d, output %r" % (label, rc, out)
    if not out.startswith("cfgrun: %s: " % path):
        return "%s: message does not name the plan: %r" % (label, out)
    if want and want not in out:
        return "%s: message lacks %r: %r" % (label, want, out)
    return None


# A plan that verifies must dump to text cfgc compiles: a variable name
# without its scope (txn. made tnn., digest fixed up: found by fuzz_plan)
# is refused by the verifier.
vplan = T.compile_cfg("""
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:%d
    http-request set-var(txn.baz) str(x)
    http-request set-header X %%[var(txn.baz)]
    default_backend be
backend be
    server s1 127.0.0.1:1
""" % fe, "vars.cfg")
vdata = bytearray(open(vplan, "rb").read())
at = vdata.find(b"txn.baz")
T.check(at > 0, "the variable name is in the plan's strings")
vdata[at:at + 7] = b"tnn.baz"
vdata[40:72] = bytes(32)                 # the digest: SHA-256 of the file
vdata[40:72] = hashlib.sha256(bytes(vdata)).digest()   # with it zeroed
e = refused(bytes(vdata), "variable without scope", "variable name without a scope")
T.check(e is None, "a variable name without its scope is refused %s" % (e or ""))

# The same for an unresolved server name (init-addr none): the word is
# written back by --dump, so it must be a host name cfgc takes.
hplan = T.compile_cfg("""
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
backend be
    server s1 app.example:80 init-addr none
""", "host.cfg")
hdata = bytearray(open(hplan, "rb").read())
at = hdata.find(b"app.example:80")
T.check(at > 0, "the server's host word is in the plan's strings")
hdata[at + 3] = ord("/")
hdata[40:72] = bytes(32)
hdata[40:72] = hashlib.sha256(bytes(hdata)).digest()
e = refused(bytes(hdata), "bad host word", "is not a host name")
T.check(e is None, "a server host word that is no host name is refused %s"
        % (e or ""))


errs = []
for cut in sorted(set([0, 1, 8, 16, 40, len(data) // 2, len(data) - 8, len(data) - 1])):
    e = refused(data[:cut], "truncated at %d" % cut)
    if e:
        errs.append(e)
T.check(not errs, "truncated plans refused with exit 1 and a message %s" % errs[:3])

errs = []
for pos in range(0, len(data), max(1, len(data) // 97)):
    flipped = bytearray(data)
    flipped[pos] ^= 0x40
    e = refused(bytes(flipped), "flip at %d" % pos)
    if e:
        errs.append(e)
T.check(not errs, "bit flips across the plan refused (%d tried) %s"
        % (len(range(0, len(data), max(1, len(data) // 97))), errs[:3]))

e = refused(bytes(data[:-1]) + bytes([data[-1] ^ 1]), "last byte", "digest")
T.check(e is None, "a flipped byte is reported as a digest mismatch %s" % (e or ""))
e = refused(b"global\n    maxconn 10\n" * 10, "text", "not a hapc plan")
T.check(e is None, "configuration text is refused as not a plan %s" % (e or ""))
rc, out = T.run_cfgrun(T.tmp("missing.plan"))
T.check(rc == 1 and "cannot read" in out and "No such file" in out,
        "missing plan: exit 1, " + out.strip())

# Usage errors.
for args in ([], ["-x", good], [good, good]):
    r = subprocess.run([T.CFGRUN] + args, capture_output=True, text=True,
                       timeout=T.TIMEOUT)
    T.check(r.returncode == 2 and "usage" in r.stderr,
            "usage error %s: exit 2 (got %d)" % (args, r.returncode))

# The address is taken.
squat = socket.socket()
squat.bind(("127.0.0.1", fe))
squat.listen(1)
rc, out = T.run_cfgrun(good)
T.check(rc == 1 and "cannot bind to 127.0.0.1:%d: Address already in use" % fe in out,
        "address in use: exit 1, " + out.strip().splitlines()[-1])
squat.close()

# A listener kind the runtime does not do yet is refused by name.
spplan = T.compile_cfg("""
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
listen l
    bind sockpair@5
    server s1 127.0.0.1:1
""", "sockpair.cfg")
rc, out = T.run_cfgrun(spplan)
T.check(rc == 1 and "sockpair@5" in out and "not supported yet" in out,
        "sockpair@ listener: exit 1, " + out.strip().splitlines()[-1])

# A unix path where a live process listens is not stolen; a stale one is.
upath = T.tmp("live.sock")
live = socket.socket(socket.AF_UNIX)
live.bind(upath)
live.listen(1)
uplan = T.compile_cfg("""
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
listen l
    bind unix@%s
    server s1 127.0.0.1:1
""" % upath, "unix.cfg")
rc, out = T.run_cfgrun(uplan)
T.check(rc == 1 and "Address already in use" in out and upath in out,
        "unix path in use: exit 1, " + out.strip().splitlines()[-1])
live.close()                     # leaves a stale socket file behind
T.check(os.path.exists(upath), "stale socket file left by the dead listener")
run = T.Cfgrun(uplan)
T.check(True, "stale unix socket replaced, cfgrun started")
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
