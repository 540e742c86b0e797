#!/usr/bin/env python3
"""Seed corpora of the fuzz targets, made from the project's own test inputs.

    make-seeds.py TARGET OUTDIR [SRCDIR]

TARGET is one of:
  cfg     configuration files: test/fuzz/plan-seeds, ../shared/corpus and
          ../shared/realworld (when present; $HAPC_SHARED names another
          place for ../shared), and the configurations the
          integration tests write (triple-quoted strings holding a
          frontend, backend or listen section);
  logfmt  the log-format strings of those configurations;
  proxy   PROXY protocol headers: the byte strings the integration tests
          send (their own helpers, such as v2() and tlv(), evaluated) and
          the v1 lines of the unit test;
  stats   stats socket command lines the integration tests send (string
          literals starting with a command of runtime/ops/stats_cmds.def),
          one a file, and each test's lines together in one file.
Each seed is written to OUTDIR as TARGET-<sha1 prefix> (duplicates once).
The plan target's seeds are compiled from the cfg seeds by run-fuzz.sh.
"""
import ast
import codecs
import glob
import hashlib
import os
import re
import socket
import struct
import sys

SIG = b"\r\n\r\n\x00\r\nQUIT\n"
SECTION = re.compile(r"^\s*(frontend|backend|listen|defaults|global)\b", re.M)


def read(path, mode="r"):
    with open(path, mode, **({} if "b" in mode else {"errors": "replace"})) as f:
        return f.read()


def test_pys(src):
    return sorted(glob.glob(os.path.join(src, "test/integration/*.py")))


def cfg_files(src):
    files = sorted(glob.glob(os.path.join(src, "test/fuzz/plan-seeds/*.cfg")))
    shared = os.environ.get("HAPC_SHARED") or os.path.join(src, "..", "shared")
    for sub in ("corpus/valid", "corpus/warn", "corpus/invalid", "realworld"):
        files += sorted(glob.glob(os.path.join(shared, sub, "*.cfg")))
    return files


def py_configs(src):
    """Configuration texts written by the integration tests."""
    out = []
    for py in test_pys(src):
        try:
            tree = ast.parse(read(py))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and SECTION.search(node.value) and "\n" in node.value):
                out.append(node.value.encode())
    return out


def seeds_cfg(src):
    return [read(f, "rb") for f in cfg_files(src)] + py_configs(src)


def unquote(arg):
    """A log-format argument as the format text (roughly, for a seed)."""
    arg = arg.strip()
    if len(arg) >= 2 and arg[0] == arg[-1] and arg[0] in "\"'":
        arg = arg[1:-1]
        if arg and '"' not in arg[:1]:
            arg = arg.replace('\\"', '"').replace("\\\\", "\\")
    return arg


def seeds_logfmt(src):
    out = []
    for text in seeds_cfg(src):
        for line in text.decode(errors="replace").splitlines():
            m = re.match(r"\s*log-format\s+(.*)$", line)
            if m:
                out.append(unquote(m.group(1)).replace("%%", "%").encode())
    return out


def py_namespace(tree, source):
    """The test's own helpers (functions and byte constants) defined at
    its top level, run in a namespace holding struct and socket only."""
    ns = {"struct": struct, "socket": socket, "SIG": SIG}
    for node in tree.body:
        seg = ast.get_source_segment(source, node)
        if isinstance(node, ast.FunctionDef) or (
                isinstance(node, ast.Assign) and
                isinstance(node.value, (ast.Constant, ast.BinOp))):
            try:
                exec(compile(seg, "<seed>", "exec"), ns)
            except Exception:
                pass
    return ns


def seeds_proxy(src):
    out = []
    for py in test_pys(src):
        source = read(py)
        if "PROXY" not in source:
            continue
        tree = ast.parse(source)
        ns = py_namespace(tree, source)
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Constant, ast.BinOp, ast.Call)):
                continue
            try:
                v = eval(compile(ast.Expression(node), "<seed>", "eval"),
                         dict(ns))
            except Exception:
                continue
            if isinstance(v, bytes) and (v.startswith(b"PROXY ") or
                                         v.startswith(SIG)):
                out.append(v)
    unit = os.path.join(src, "test/unit/test_proxy_proto.c")
    if os.path.exists(unit):
        for lit in re.findall(r'"(PROXY [^"\\]*(?:\\.[^"\\]*)*)"', read(unit)):
            out.append(codecs.escape_decode(lit.encode())[0])
    return out


def seeds_stats(src):
    words = set(re.findall(r'^STATS_CMD\("([a-z]+)"', read(os.path.join(
        src, "runtime/ops/stats_cmds.def")), re.M))
    lit = re.compile(r'["\']((?:%s)(?: [^"\'\\\n]*)?)["\']' %
                     "|".join(sorted(words)))
    out = []
    for py in test_pys(src):
        cmds = [c for c in lit.findall(read(py))]
        if not cmds:
            continue
        out += [(c + "\n").encode() for c in cmds]
        out.append("".join(c + "\n" for c in cmds).encode())
    return out


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    target, outdir = sys.argv[1], sys.argv[2]
    src = sys.argv[3] if len(sys.argv) == 4 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..")
    make = {"cfg": seeds_cfg, "logfmt": seeds_logfmt, "proxy": seeds_proxy,
            "stats": seeds_stats}.get(target)
    if not make:
        sys.exit("make-seeds.py: no target '%s' (cfg, logfmt, proxy, stats)"
                 % target)
    os.makedirs(outdir, exist_ok=True)
    seen = set()
    for seed in make(src):
        h = hashlib.sha1(seed).hexdigest()[:16]
        if h in seen:
            continue
        seen.add(h)
        with open(os.path.join(outdir, "%s-%s" % (target, h)), "wb") as f:
            f.write(seed)
    print("make-seeds.py: %d %s seeds in %s" % (len(seen), target, outdir))
    if not seen:
        sys.exit(1)


if __name__ == "__main__":
    main()
