#!/usr/bin/env python3
"""plan-tools.py: `cfgc --diff` and `cfgc --graph` on plans compiled here.

  plan-tools.py CFGC        exit 0 pass, 1 fail
"""
import os
import re
import subprocess
import sys
import tempfile

OLD = """global
    maxconn 100
defaults
    mode tcp
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend fe
    bind 127.0.0.1:8080
    bind 127.0.0.1:8081
    default_backend be
backend be
    server s1 10.0.0.1:80
    server s2 10.0.0.2:80 weight 2
backend old
    server o1 10.0.0.9:80
listen both
    bind 127.0.0.1:9000
    server b1 10.0.1.1:80
"""

# every kind of change, each exactly once
NEW = (OLD.replace("maxconn 100", "maxconn 200")
       .replace("127.0.0.1:8081", "127.0.0.1:8443")
       .replace("10.0.0.2:80 weight 2", "10.0.0.3:80 weight 5")
       .replace("backend old\n", "backend new\n")
       .replace("    server s1 10.0.0.1:80\n",
                "    server s1 10.0.0.1:80\n    server s3 10.0.0.4:80\n")
       .replace("listen both\n", "listen both\n    timeout server 1m\n"))

EXPECTED = [
    "global: maxconn 100 -> 200",
    "proxy 'fe': listener '127.0.0.1:8081' removed",
    "proxy 'fe': listener '127.0.0.1:8443' added",
    "proxy 'be': server 's2': address 10.0.0.2:80 -> 10.0.0.3:80",
    "proxy 'be': server 's2': weight 2 -> 5",
    "proxy 'be': server 's3' added (10.0.0.4:80)",
    "proxy 'new' added (backend)",
    "proxy 'both': timeout server 30s -> 1m",
    "proxy 'old' removed (backend)",
]

# content switching: ACLs by name, rules by their text (as --dump
# prints them) in order
RULES_OLD = """defaults
    mode tcp
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend fe
    bind 127.0.0.1:8080
    acl office src 10.1.0.0/16
    acl office src 10.2.0.0/16
    acl high src_port ge 1024
    acl ssh dst_port 22
    tcp-request connection reject if { src 192.0.2.0/24 }
    tcp-request connection accept if office
    use_backend b1 if office !high
    use_backend b2 if { dst_port 8443 }
    use_backend b3 unless high
    use_backend b2 if ssh
    default_backend b1
backend b1
    server s1 10.0.0.1:80
backend b2
    server s2 10.0.0.2:80
backend b3
    server s3 10.0.0.3:80
"""

RULES_NEW = (RULES_OLD
             .replace("src 10.2.0.0/16", "src 10.3.0.0/16")
             .replace("    acl ssh dst_port 22\n",
                      "    acl web dst 10.9.9.9\n")
             .replace("    tcp-request connection accept if office\n", "")
             .replace("dst_port 8443", "dst_port 9443")
             .replace("    use_backend b1 if office !high\n", "")
             .replace("    use_backend b2 if ssh\n",
                      "    use_backend b1 if office !high\n"
                      "    use_backend b3 if web\n"))

RULES_EXPECTED = [
    "proxy 'fe': acl 'office': src -m ip -- 10.1.0.0/16; "
    "src -m ip -- 10.2.0.0/16 -> src -m ip -- 10.1.0.0/16; "
    "src -m ip -- 10.3.0.0/16",
    "proxy 'fe': acl 'ssh' removed (dst_port -m int -- 22)",
    "proxy 'fe': acl 'web' added (dst -m ip -- 10.9.9.9)",
    "proxy 'fe': rule removed: tcp-request connection accept if office",
    # positions as --dump lists the proxy's rules
    "proxy 'fe': rule moved (3 -> 4): use_backend b1 if office !high",
    "proxy 'fe': rule changed: use_backend b2 if { dst_port -m int -- 8443 }"
    " -> use_backend b2 if { dst_port -m int -- 9443 }",
    "proxy 'fe': rule changed: use_backend b2 if ssh -> use_backend b3 if web",
]

fails = []


def check(cond, what):
    if not cond:
        fails.append(what)


def run(cfgc, *args):
    r = subprocess.run([cfgc] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=30)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


def compile_plan(cfgc, tmp, name, text):
    cfg, plan = os.path.join(tmp, name + ".cfg"), os.path.join(tmp, name)
    with open(cfg, "w") as f:
        f.write(text)
    rc, _, err = run(cfgc, cfg, "-o", plan)
    if rc != 0:
        raise SystemExit("FAIL: cannot compile %s:\n%s" % (name, err))
    return plan


def test_diff(cfgc, tmp):
    old = compile_plan(cfgc, tmp, "old.plan", OLD)
    new = compile_plan(cfgc, tmp, "new.plan", NEW)
    # the same configuration with sections moved (so other line numbers
    # and record order) and a comment is the same
    parts = re.split(r"^(?=frontend |backend |listen )", OLD, flags=re.M)
    same = compile_plan(cfgc, tmp, "same.plan",
                        "# moved\n" + parts[0] + "\n".join(parts[:0:-1]))

    rc, out, err = run(cfgc, "--diff", old, new)
    check(rc == 1, "--diff of different plans exits %d (want 1): %s" %
          (rc, err))
    got = out.splitlines()
    check(got == EXPECTED, "--diff lines:\n  got  %r\n  want %r" %
          (got, EXPECTED))
    rc, out, _ = run(cfgc, "--diff", old, old)
    check(rc == 0 and out == "", "--diff of a plan with itself: %d %r" %
          (rc, out))
    rc, out, _ = run(cfgc, "--diff", old, same)
    check(rc == 0 and out == "", "--diff ignores order and lines: %d %r" %
          (rc, out))
    rc, out, _ = run(cfgc, "--diff", new, old)
    check(rc == 1 and "proxy 'new' removed (backend)" in out and
          "global: maxconn 200 -> 100" in out, "--diff reversed: %r" % out)

    # trouble is 2, as diff(1): a missing plan, a corrupt one, bad usage
    rc, _, err = run(cfgc, "--diff", old, os.path.join(tmp, "missing"))
    check(rc == 2 and "cannot read" in err, "missing plan: %d %s" % (rc, err))
    with open(old, "rb") as f:
        data = bytearray(f.read())
    data[-1] ^= 0xff
    bad = os.path.join(tmp, "bad.plan")
    with open(bad, "wb") as f:
        f.write(data)
    rc, _, err = run(cfgc, "--diff", bad, old)
    check(rc == 2 and "digest" in err, "corrupt plan: %d %s" % (rc, err))
    rc, _, _ = run(cfgc, "--diff", old)
    check(rc == 2, "--diff with one plan exits %d" % rc)


def test_diff_rules(cfgc, tmp):
    old = compile_plan(cfgc, tmp, "r-old.plan", RULES_OLD)
    new = compile_plan(cfgc, tmp, "r-new.plan", RULES_NEW)
    rc, out, err = run(cfgc, "--diff", old, new)
    check(rc == 1, "--diff of other rules exits %d (want 1): %s" % (rc, err))
    got = out.splitlines()
    check(got == RULES_EXPECTED, "--diff rule lines:\n  got  %r\n  want %r"
          % (got, RULES_EXPECTED))
    rc, out, _ = run(cfgc, "--diff", new, old)
    check(rc == 1 and
          "proxy 'fe': rule added: tcp-request connection accept if office"
          in out.splitlines() and
          "proxy 'fe': acl 'ssh' added (dst_port -m int -- 22)"
          in out.splitlines(), "--diff rules reversed: %r" % out)
    # the same rules and ACLs on other lines, ACLs declared in another
    # order, backends moved: no change
    same = RULES_OLD.replace(
        "    acl high src_port ge 1024\n    acl ssh dst_port 22\n", "").replace(
        "    acl office src 10.1.0.0/16\n",
        "    acl ssh dst_port 22\n\n    acl high src_port ge 1024\n"
        "    acl office src 10.1.0.0/16\n")
    parts = re.split(r"^(?=frontend |backend )", same, flags=re.M)
    same = compile_plan(cfgc, tmp, "r-same.plan",
                        parts[0] + "".join(parts[:0:-1]))
    rc, out, _ = run(cfgc, "--diff", old, same)
    check(rc == 0 and out == "", "--diff of the same rules: %d %r" %
          (rc, out))
    # one pattern of an anonymous ACL is a changed rule, nothing else
    one = compile_plan(cfgc, tmp, "r-one.plan",
                       RULES_OLD.replace("192.0.2.0/24", "192.0.2.0/25"))
    rc, out, _ = run(cfgc, "--diff", old, one)
    check(rc == 1 and out.splitlines() == [
        "proxy 'fe': rule changed: tcp-request connection reject if "
        "{ src -m ip -- 192.0.2.0/24 } -> tcp-request connection reject if "
        "{ src -m ip -- 192.0.2.0/25 }"], "--diff of one pattern: %r" % out)


def test_graph_rules(cfgc, tmp):
    long_cond = "{ src 10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4 10.0.0.5 }"
    plan = compile_plan(cfgc, tmp, "r-graph.plan", RULES_OLD.replace(
        "    default_backend b1\n",
        "    use_backend b3 if %s\n    use_backend b1\n"
        "    default_backend b1\n" % long_cond))
    rc, out, err = run(cfgc, "--graph", plan)
    check(rc == 0, "--graph of rules exits %d: %s" % (rc, err))
    nodes = {k: v.split("\\n")[0] for k, v in re.findall(
        r'^  (\w+) \[label="((?:[^"\\]|\\.)*)"', out, re.M)}
    edges = [(nodes.get(a), nodes.get(b), lab) for a, b, lab in re.findall(
        r'^  (\w+) -> (\w+)(?: \[label="((?:[^"\\]|\\.)*)"\])?;$', out,
        re.M)]
    want = [
        ("frontend fe", "backend b1", "if office !high"),
        ("frontend fe", "backend b2", "if { dst_port -m int -- 8443 }"),
        ("frontend fe", "backend b3", "unless high"),
        ("frontend fe", "backend b2", "if ssh"),
        ("frontend fe", "backend b3", "if { src -m ip -- 10.0.0.1 10.0.0.2 ..."),
        ("frontend fe", "backend b1", "use_backend"),
        ("frontend fe", "backend b1", "default_backend"),
    ]
    got = [e for e in edges if e[0] == "frontend fe"]
    check(got == want, "--graph frontend edges:\n  got  %r\n  want %r" %
          (got, want))
    check(all(len(lab) <= 40 for _, _, lab in edges),
          "an edge label is longer than 40 bytes: %r" % edges)


def test_graph(cfgc, tmp):
    old = compile_plan(cfgc, tmp, "g.plan", OLD)
    rc, out, err = run(cfgc, "--graph", old)
    check(rc == 0, "--graph exits %d: %s" % (rc, err))
    check(out.startswith("digraph plan {") and out.rstrip().endswith("}"),
          "--graph is not one digraph: %r" % out[:80])
    nodes = dict(re.findall(r'^  (\w+) \[label="((?:[^"\\]|\\.)*)"', out,
                            re.M))
    edges = re.findall(r"^  (\w+) -> (\w+)", out, re.M)
    for a, b in edges:
        check(a in nodes and b in nodes, "edge %s -> %s to no node" % (a, b))
    by_label = {v.split("\\n")[0]: k for k, v in nodes.items()}

    def edge(a, b):
        check((by_label.get(a), by_label.get(b)) in edges,
              "no edge %s -> %s in:\n%s" % (a, b, out))
    edge("127.0.0.1:8080", "frontend fe")
    edge("127.0.0.1:8081", "frontend fe")
    edge("frontend fe", "backend be")
    edge("backend be", "s1 10.0.0.1:80")
    edge("backend be", "s2 10.0.0.2:80")
    edge("backend old", "o1 10.0.0.9:80")
    edge("127.0.0.1:9000", "listen both")
    edge("listen both", "b1 10.0.1.1:80")
    check(len(edges) == 8, "%d edges, want 8" % len(edges))
    # a name with a quote cannot break out of its label
    q = compile_plan(cfgc, tmp, "q.plan", OLD.replace("backend old",
                                                      'backend "o\\"ld"'))
    rc, out, _ = run(cfgc, "--graph", q)
    check(rc == 0 and 'label="backend o\\"ld\\n(mode tcp)"' in out,
          "quote in a name: %r" % out)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    cfgc = os.path.abspath(argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        test_diff(cfgc, tmp)
        test_diff_rules(cfgc, tmp)
        test_graph(cfgc, tmp)
        test_graph_rules(cfgc, tmp)
    for f in fails:
        print("FAIL: " + f)
    print("plan tools: %d failures" % len(fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
