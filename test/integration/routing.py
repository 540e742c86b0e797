#!/usr/bin/python3
"""Where a connection goes: a frontend without a backend closes the client
and logs it, as does a server kind not supported yet; default_backend wins over a listen section's own servers (as
in HAProxy); a server without a port gets the port the client connected to."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

nobe, lst, noport, pair = (T.free_port() for _ in range(4))
own_p, def_p = T.free_port(), T.free_port()
own = T.Server("own", ("127.0.0.1", own_p))
dflt = T.Server("dflt", ("127.0.0.1", def_p))
# Listens on 127.0.0.2 at the port of the frontend below.
same = T.Server("sameport", ("127.0.0.2", noport))

plan = T.compile_cfg("""
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend nowhere
    bind 127.0.0.1:%(nobe)d
listen l
    bind 127.0.0.1:%(lst)d
    default_backend be
    server own 127.0.0.1:%(own_p)d
backend be
    server dflt 127.0.0.1:%(def_p)d
frontend keepport
    bind 127.0.0.1:%(noport)d
    default_backend portless
backend portless
    server p 127.0.0.2
listen pair
    bind 127.0.0.1:%(pair)d
    server sp sockpair@9
""" % locals())
run = T.Cfgrun(plan)

T.check(T.closed_without_data(("127.0.0.1", nobe)), "no backend: client closed")
line = [l for l in run.wait_logs(1) if " nowhere " in l]
T.check(bool(line) and " PR " in line[0] and "no backend" in line[0],
        "no backend: logged (%s)" % (line[0] if line else "no line"))

reply, _ = T.exchange(("127.0.0.1", lst), b"x")
T.check(T.greeting(reply)[0] == "dflt", "listen with default_backend goes there")
T.check(own.accepted == 0, "the listen's own server is not used")

reply, _ = T.exchange(("127.0.0.1", noport), b"portless\n")
name, _, echo = T.greeting(reply)
T.check(name == "sameport" and echo == b"portless\n",
        "server without port reached at the client's port %d" % noport)
T.check(T.closed_without_data(("127.0.0.1", pair)), "sockpair@ server: client closed")
line = [l for l in run.wait_logs(4) if " pair " in l]
T.check(bool(line) and " SC " in line[0] and "not supported yet" in line[0],
        "sockpair@ server: logged as not supported (%s)" % (line[0] if line else "no line"))
rc, _ = run.stop()
T.check(rc == 0, "exit 0 on SIGTERM")
T.done()
