#!/usr/bin/env python3
"""Generate compiler/kw-known.c: every keyword HAProxy's manual documents,
per section, so cfgc can tell "known but not compiled yet" from "unknown".

Usage: compiler/gen-keywords.py MANUAL > compiler/kw-known.c

Sources in the manual (HAProxy 3.x configuration.txt):
  section 3 intro list and the headings of 3.1-3.4  -> global keywords
  4.1 "Proxy keywords matrix" and 4.2 headings       -> proxy keywords
  5.1 headings                                       -> bind options
  5.2 headings                                       -> server options
The output is sorted and has no timestamp, so it is reproducible.
"""
import re
import sys

# Families whose second word is part of the keyword name.
FAMILIES = {"option", "timeout", "stats", "capture", "tcp-request",
            "tcp-response", "http-check", "tcp-check", "email-alert",
            "external-check", "monitor", "persist", "rate-limit", "stick",
            "declare"}
WORD = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def chapter_bounds(lines, title_re):
    for i, l in enumerate(lines):
        if re.match(title_re, l) and i + 1 < len(lines) and \
                lines[i + 1].startswith("---"):
            return i
    raise SystemExit("heading not found: " + title_re)


def headings(lines, start, end):
    """Keyword headings: a block of lines at column 0 after a blank line,
    followed by an indented line (several forms may be listed together)."""
    out = []
    i = start + 2
    while i < end:
        if lines[i - 1].strip() == "" and re.match(r"[a-z0-9]", lines[i]):
            j = i
            while j < end and re.match(r"[a-z0-9]", lines[j]):
                j += 1
            if j < end and lines[j].startswith("  "):
                for k in range(i, j):
                    l = lines[k]
                    if l.startswith("no ") or l.startswith("default "):
                        l = l.split(" ", 1)[1]
                    out.append((k, l))
            i = j + 1
            continue
        i += 1
    return out


def kw_name(line):
    words = line.split()
    first = re.sub(r"\(.*$", "", words[0])
    if not WORD.match(first):
        return None
    if first in FAMILIES and len(words) > 1 and WORD.match(words[1]):
        return first + " " + words[1]
    return first


def main():
    lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
    s3 = chapter_bounds(lines, r"^3\. Global section")
    s31 = chapter_bounds(lines, r"^3\.1\. ")
    s3x = [chapter_bounds(lines, r"^3\.%d\. " % n) for n in (1, 2, 3, 4)]
    s4 = chapter_bounds(lines, r"^4\. Proxies")
    s41 = chapter_bounds(lines, r"^4\.1\. ")
    s42 = chapter_bounds(lines, r"^4\.2\. ")
    s43 = chapter_bounds(lines, r"^4\.3\. ")
    s51 = chapter_bounds(lines, r"^5\.1\. ")
    s52 = chapter_bounds(lines, r"^5\.2\. ")
    s53 = chapter_bounds(lines, r"^5\.3\. ")

    kws = {}  # name -> [mask set, manual section]

    def add(name, secs, manual):
        e = kws.setdefault(name, [set(), manual])
        e[0] |= set(secs)

    # global: the intro list, grouped by sub-chapter
    cats = {"Process management": "3.1", "Performance tuning": "3.2",
            "Debugging": "3.3", "HTTPClient": "3.4"}
    cur = "3"
    for l in lines[s3:s31]:
        m = re.match(r"^ \* (.*)$", l)
        if m:
            cur = next((v for k, v in cats.items() if m.group(1).startswith(k)), "3")
            continue
        m = re.match(r"^   - (\S+)", l)
        if m:
            add(m.group(1), ["GLOBAL"], cur)
    bounds = s3x + [s4]
    for n in range(4):
        for _, l in headings(lines, bounds[n], bounds[n + 1]):
            name = l.split()[0]
            if WORD.match(name):
                add(name, ["GLOBAL"], "3.%d" % (n + 1))

    # proxies: the matrix
    cols = ["DEFAULTS", "FRONTEND", "LISTEN", "BACKEND"]
    for l in lines[s41:s42]:
        m = re.match(r"^([a-z][a-z0-9_. -]*?)\s{2,}(\(\*\))?\s*"
                     r"(X|-)(?: \(!\))?\s+(X|-)\s+(X|-)\s+(X|-)\s*$", l)
        if not m:
            continue
        secs = [c for c, v in zip(cols, m.group(3, 4, 5, 6)) if v == "X"]
        add(m.group(1).strip(), secs, "4.2")
    # proxies: headings of 4.2 not in the matrix, with their "May be used
    # in sections" row
    for i, l in headings(lines, s42, s43):
        name = kw_name(l)
        if name is None or name in kws:
            continue
        for j in range(i + 1, min(i + 15, s43)):
            if lines[j].lstrip().startswith("May be used in sections"):
                row = lines[j + 1].split("|")
                if len(row) == 4:
                    secs = [c for c, v in zip(cols, row)
                            if v.strip().startswith("yes")]
                    add(name, secs, "4.2")
                break

    for i, l in headings(lines, s51, s52):
        name = kw_name(l)
        if name:
            add(name, ["BIND"], "5.1")
    for i, l in headings(lines, s52, s53):
        name = kw_name(l)
        if name:
            add(name, ["SERVER"], "5.2")

    out = sys.stdout
    out.write("/* Generated by compiler/gen-keywords.py from HAProxy's "
              "configuration manual.\n * Do not edit: re-run the script. */\n")
    out.write('#include "kw-known.h"\n\n')
    out.write("const struct kw_known kw_known_table[] = {\n")
    for name in sorted(kws):
        secs, manual = kws[name]
        if not secs:
            continue
        mask = "|".join("KW_SEC_" + s for s in sorted(secs))
        out.write('\t{ .name = "%s", .sections = %s, .manual = "%s" },\n'
                  % (name, mask, manual))
    out.write("};\n\nconst size_t kw_known_count =\n"
              "\tsizeof(kw_known_table) / sizeof(kw_known_table[0]);\n")


main()
