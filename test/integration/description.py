#!/usr/bin/python3
"""description on real sockets: the global `description` is the
`description:` line of `show info` on the stats socket and, with `stats
show-desc` without text, the title of the stats page; a proxy's
`description` (words joined by spaces) is shown under its name in the
HTML stats page, HTML-escaped; a proxy without one has no such row."""
import os
import sys
import urllib.request

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

st, dead = T.free_port(), T.dead_port()
sock = T.tmp("stats.sock")
plan = T.compile_cfg("""
global
    stats socket %(sock)s level admin
    description Edge node  for <lab>
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
backend b
    description "Elasticsearch + Basic" & more
    server s1 127.0.0.1:%(dead)d
backend c
    server s2 127.0.0.1:%(dead)d
listen st
    bind 127.0.0.1:%(st)d
    stats enable
    stats uri /
    stats show-desc
""" % locals())
run = T.Cfgrun(plan)
T.wait_until(lambda: os.path.exists(sock))

info = T.stats_cmd(sock, "show info")
T.check("\ndescription: Edge node for <lab>\n" in info,
        "show info: the global description, words joined by one space")
with urllib.request.urlopen("http://127.0.0.1:%d/" % st,
                            timeout=T.TIMEOUT) as r:
    html = r.read().decode()
T.check(": Edge node for &lt;lab&gt;</h2>" in html,
        "stats show-desc without text: the global description in the title")
T.check('<th class="desc" colspan="34">Elasticsearch + Basic &amp; more</th>'
        in html, "backend b's description under its name, escaped")
T.check(html.count('class="desc"') == 1,
        "only b has a description row (c and st have none)")
run.stop()
T.done()
