#!/usr/bin/python3
"""stats scope on real sockets: the stats page (CSV and HTML) of a listen
section with `stats scope b` and `stats scope .` shows backend b and the
listen itself only; a name that is no proxy shows nothing and is not an
error (as in HAProxy); the page's own ?scope= narrows within the scope;
a stats page without scope shows every proxy."""
import os
import sys
import urllib.request

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

fe, st, st2, dead = T.free_port(), T.free_port(), T.free_port(), T.dead_port()
plan = T.compile_cfg("""
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend f
    bind 127.0.0.1:%(fe)d
    default_backend b
backend b
    server s1 127.0.0.1:%(dead)d
backend c
    server s2 127.0.0.1:%(dead)d
listen st
    bind 127.0.0.1:%(st)d
    stats enable
    stats uri /
    stats scope b
    stats scope .
    stats scope nosuchproxy
listen all
    bind 127.0.0.1:%(st2)d
    stats enable
    stats uri /
""" % locals())
run = T.Cfgrun(plan)


def page(port, q):
    with urllib.request.urlopen("http://127.0.0.1:%d/%s" % (port, q),
                                timeout=T.TIMEOUT) as r:
        return r.read().decode()


def pxnames(port, q=";csv"):
    return {l.split(",")[0] for l in page(port, q).splitlines()
            if l and not l.startswith("#")}


got = pxnames(st)
T.check(got == {"b", "st"}, "stats scope b and '.': only b and st in the CSV (%s)" % sorted(got))
html = page(st, "")
T.check('name="b"' in html or ">b<" in html, "the HTML page shows backend b")
T.check(">c<" not in html and ">f<" not in html and ">all<" not in html,
        "the HTML page leaves out c, f and all")
got = pxnames(st, ";csv?scope=c")
T.check(got == set(), "?scope=c outside the configured scope: nothing (%s)" % sorted(got))
got = pxnames(st, ";csv?scope=b")
T.check(got == {"b"}, "?scope=b within it: b only (%s)" % sorted(got))
got = pxnames(st2)
T.check(got == {"f", "b", "c", "st", "all"}, "no stats scope: every proxy (%s)" % sorted(got))
run.stop()
T.done()
