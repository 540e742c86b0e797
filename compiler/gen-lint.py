#!/usr/bin/env python3
"""Generate compiler/lint-tab.c: the names HAProxy's manual documents for
the things a statement refers to, so that cfgc can check arguments of the
keywords it does not compile (cfgc --target=haproxy) and of those it does.

Usage: compiler/gen-lint.py MANUAL > compiler/lint-tab.c

Sources in the manual (HAProxy 3.x configuration.txt):
  4.2 headings "no option X"                 -> options that may be negated
  4.3 actions keywords matrix                -> rule actions and rule sets
  5.1, 5.2 headings                          -> bind / server options and
                                                how many words they take
  7.3.1 converter table                      -> converters
  7.3.2-7.3.7 tables, headings, derivatives  -> sample fetches
  7.4 table                                  -> predefined ACLs
  headings of 5.3.2, 6.2.1, 8.3.5, 10.1.1, 11.2, 12.x
                                             -> keywords of the other sections
The output is sorted and has no timestamp, so it is reproducible.
"""
import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_manual  # noqa: E402


def next_chapter(lines, start):
    for i in range(start + 2, len(lines)):
        if re.match(r"^[0-9]+\.[0-9.]* [A-Za-z]", lines[i]) and \
                i + 1 < len(lines) and lines[i + 1].startswith("---"):
            return i
    return len(lines)


def headings(lines, start, end):
    """The lines of gen_manual.headings()."""
    return [l for _, l in gen_manual.headings(lines, start, end)]


NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*")


def options(lines, start, end):
    """Bind or server options: name -> number of words after it."""
    opts = {}
    for h in headings(lines, start, end):
        m = re.match(r"^([a-z0-9][a-z0-9._-]*(?:\(<[a-z]+>\))?)(.*)$", h)
        if not m:
            continue
        name, rest = m.group(1), m.group(2).strip()
        name = re.sub(r"\(<[a-z]+>\)$", "(", name)
        rest = re.sub(r"\[ *EXPERIMENTAL *\]", "", rest).strip()
        opts[name] = 1 if rest else 0
    return opts


def main():
    lines = open(sys.argv[1], encoding="utf-8").read().split("\n")

    # options that may be negated with "no"
    s42, s43 = gen_manual.find(lines, r"^4\.2\. "), gen_manual.find(lines, r"^4\.3\. ")
    noopts = set()
    for l in lines[s42:s43]:
        m = re.match(r"^no option ([a-z0-9-]+)", l)
        if m:
            noopts.add(m.group(1))

    # actions matrix
    s44 = gen_manual.find(lines, r"^4\.4\. ")
    sets = ["QUIC_INI", "TCP_RQCON", "TCP_RQSES", "TCP_RQCNT", "TCP_RSCNT",
            "HTTP_REQ", "HTTP_RES", "HTTP_AFT"]
    actions = {}
    for l in lines[s43:s44]:
        m = re.match(r"^([a-z][a-z0-9 -]*?)(?: \(deprecated\))?\s{2,}"
                     r"((?:[X-]\s+){7}[X-])\s*$", l)
        if m:
            cols = m.group(2).split()
            actions[m.group(1).strip()] = [s for s, v in zip(sets, cols)
                                           if v == "X"]

    # bind and server options
    s51, s52, s53 = (gen_manual.find(lines, r"^5\.%d\. " % n) for n in (1, 2, 3))
    bind = options(lines, s51, s52)
    server = options(lines, s52, s53)
    # "default-server [name <name>] ..." (4.2, default-server): a named set
    server.setdefault("name", 1)

    # converters
    s731 = gen_manual.find(lines, r"^7\.3\.1\. ")
    s732 = gen_manual.find(lines, r"^7\.3\.2\. ")
    convs = set()
    for l in lines[s731:s732]:
        m = re.match(r"^([a-z0-9][a-z0-9_.-]*)(\(.*?\))?(\s{2,}\S.*)?$", l)
        if m and (m.group(3) or re.match(r"^\S+ *(\(.*\))? *: ", l)):
            convs.add(m.group(1))
        m = re.match(r"^([a-z0-9][a-z0-9_.-]*)(\(.*\))? : ", l)
        if m:
            convs.add(m.group(1))

    # fetches: summary tables, detailed headings and ACL derivatives
    s74 = gen_manual.find(lines, r"^7\.4\. ")
    fetches = set()
    for l in lines[s732:s74]:
        m = re.match(r"^([a-z0-9][a-z0-9_.-]*)(\(.*?\))?\s{2,}[a-z]", l)
        if m:
            fetches.add(m.group(1))
        m = re.match(r"^([a-z0-9][a-z0-9_.-]*)(\(.*\))? *: *[a-z]", l)
        if m:
            fetches.add(m.group(1))
        m = re.match(r"^\s{2,}([a-z][a-z0-9_.]*)(\(.*?\))?\s*: "
                     r"[a-z ]*match\b", l)
        if m:
            fetches.add(m.group(1))
    for junk in ("see", "note", "example", "examples", "e.g"):
        fetches.discard(junk)

    # predefined ACLs
    s8 = gen_manual.find(lines, r"^8\. ")
    predef = set()
    for l in lines[s74:s8]:
        m = re.match(r"^([A-Z][A-Z0-9_.]+)\s{2,}\S", l)
        if m and m.group(1) != "ACL":
            predef.add(m.group(1))

    # keywords of the sections cfgc does not compile
    chapters = {"resolvers": r"5\.3\.2", "cache": r"6\.2\.1",
                "log-profile": r"8\.3\.5", "fcgi-app": r"10\.1\.1",
                "peers": r"11\.2", "traces": r"12\.1", "userlist": r"12\.2",
                "mailers": r"12\.3", "http-errors": r"12\.4",
                "ring": r"12\.5", "log-forward": r"12\.6",
                "crt-store": r"12\.7", "acme": r"12\.8",
                "healthcheck": r"12\.9"}
    seckws = {}
    for sec, ch in chapters.items():
        a = gen_manual.find(lines, r"^%s\. " % ch)
        b = next_chapter(lines, a)
        names = set()
        for h in headings(lines, a, b):
            m = NAME.match(h)
            if m and m.group(0) != sec:
                names.add(m.group(0))
        seckws[sec] = sorted(names)

    out = sys.stdout
    w = out.write
    w("/* Generated by compiler/gen-lint.py from HAProxy's configuration "
      "manual.\n * Do not edit: re-run the script. */\n")
    w('#include "lint-tab.h"\n\n')

    def names(var, items):
        w("const char *const %s[] = {\n" % var)
        for n in sorted(items):
            w('\t"%s",\n' % n)
        w("};\nconst size_t %s_count =\n\tsizeof(%s) / sizeof(%s[0]);\n\n"
          % (var, var, var))

    names("lint_fetches", fetches)
    names("lint_converters", convs)
    names("lint_predef_acls", predef)
    names("lint_negatable_options", noopts)

    w("const struct lint_action lint_actions[] = {\n")
    for a in sorted(actions):
        mask = "|".join("LINT_RS_" + s for s in actions[a]) or "0"
        w('\t{ .name = "%s", .rulesets = %s },\n' % (a, mask))
    w("};\nconst size_t lint_actions_count =\n"
      "\tsizeof(lint_actions) / sizeof(lint_actions[0]);\n\n")

    for var, opts in (("lint_bind_opts", bind), ("lint_server_opts", server)):
        w("const struct lint_opt %s[] = {\n" % var)
        for n in sorted(opts):
            w('\t{ .name = "%s", .nargs = %d },\n' % (n, opts[n]))
        w("};\nconst size_t %s_count =\n\tsizeof(%s) / sizeof(%s[0]);\n\n"
          % (var, var, var))

    w("const struct lint_section_kw lint_section_kws[] = {\n")
    for sec in sorted(seckws):
        for n in seckws[sec]:
            w('\t{ .section = "%s", .name = "%s" },\n' % (sec, n))
    w("};\nconst size_t lint_section_kws_count =\n"
      "\tsizeof(lint_section_kws) / sizeof(lint_section_kws[0]);\n")


main()
