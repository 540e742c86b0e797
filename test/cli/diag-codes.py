#!/usr/bin/env python3
"""diag-codes.py: the diagnostic codes cfgc's sources can emit.

Reads the C, flex and bison sources of the compiler, the grammar and the
common library, finds every call that queues a diagnostic and takes its code
argument:

    diag_report(dc, sev, loc, CODE, ...)    diag_vreport(dc, sev, loc, CODE, ...)
    diag_error(dc, loc, CODE, ...)          diag_warning(dc, loc, CODE, ...)
    line_error(pc, col, end, CODE, ...)

A code argument may be a string literal, a conditional choosing between
literals, a field of an array element (`msgs[i].code`: every code-like
literal of that array's initializer is taken), or the name of a parameter
of a wrapper (then the wrapper's own callers carry the literal, and the
call is skipped). Everything else (NULL, a variable, a literal that is not
a code) is a defect. A code is lowercase words joined by '-'.

  diag-codes.py SRCDIR                 list "code<TAB>file:line", sorted
  diag-codes.py SRCDIR --check PAGE [CFGC]
                                       exit 1 when a code is missing from
                                       PAGE (a "### `code`" heading), when
                                       a call has no code, or when nothing
                                       was found; codes on the page that no
                                       source uses are reported as notes.
                                       With CFGC, every ```cfg block of a
                                       code the sources emit is compiled
                                       with `CFGC -c` and must produce
                                       that code.
"""
import os
import re
import subprocess
import sys
import tempfile

CALLS = {                      # function -> index of the code argument
    "diag_report": 3,
    "diag_vreport": 3,
    "diag_error": 2,
    "diag_warning": 2,
    "line_error": 3,
}
CODE_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
CALL_RE = re.compile(r"\b(" + "|".join(CALLS) + r")\s*\(")
STRING_RE = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
DIRS = ("common", "grammar", "compiler")
EXTS = (".c", ".l", ".y")


def strip_comments(text):
    """Blank out comments, keeping offsets and newlines, not strings."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def split_args(text, start):
    """Top-level arguments of the call whose '(' is at text[start - 1]."""
    args, depth, i, cur = [], 0, start, start
    while i < len(text):
        c = text[i]
        if c in "\"'":
            j = i + 1
            while j < len(text) and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                args.append(text[cur:i].strip())
                return args
            depth -= 1
        elif c == "," and depth == 0:
            args.append(text[cur:i].strip())
            cur = i + 1
        i += 1
    return None


def params_of_enclosing(text, pos):
    """Parameter names of the function definition around `pos`."""
    m = None
    for m in re.finditer(r"\n[a-z_][\w \*]*?\b(\w+)\s*\(([^;{)]*)\)\s*\{",
                         text[:pos]):
        pass
    if not m:
        return set()
    return {re.split(r"[\s\*]+", p.strip())[-1]
            for p in m.group(2).split(",") if p.strip()}


def table_literals(text, name):
    """Code-like literals of the initializer of array `name` (a code read
    from a table: msgs[i].code). None when no initializer is found."""
    m = re.search(r"\b" + name + r"\s*\[[^]]*\]\s*=\s*\{", text)
    if not m:
        return None
    depth, i = 1, m.end()
    while i < len(text) and depth:
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        i += 1
    return [lit for lit in STRING_RE.findall(text[m.end():i])
            if CODE_RE.match(lit)]


def scan(srcdir):
    """Yield (code or None, problem or None, 'file:line')."""
    for d in DIRS:
        base = os.path.join(srcdir, d)
        if not os.path.isdir(base):
            continue
        for name in sorted(os.listdir(base)):
            if not name.endswith(EXTS):
                continue
            path = os.path.join(base, name)
            with open(path, encoding="utf-8", errors="replace") as f:
                text = strip_comments(f.read())
            for m in CALL_RE.finditer(text):
                where = "%s/%s:%d" % (d, name, text.count("\n", 0, m.start()) + 1)
                args = split_args(text, m.end())
                if args is None or len(args) <= CALLS[m.group(1)]:
                    continue            # a prototype or a macro definition
                arg = args[CALLS[m.group(1)]]
                if re.fullmatch(r"(const\s+)?char\s*\*\s*\w+", arg):
                    continue            # the definition or a prototype
                if re.fullmatch(r"\w+", arg) and arg != "NULL" and \
                        arg in params_of_enclosing(text, m.start()):
                    continue            # a wrapper passing its parameter on
                table = re.fullmatch(r"(\w+)\[[^]]*\]\s*(\.|->)\s*\w+", arg)
                if table:
                    literals = table_literals(text, table.group(1))
                    if literals is None:
                        yield None, "table '%s' not found" % arg, where
                        continue
                    for lit in literals:
                        yield lit, None, where
                    continue
                literals = STRING_RE.findall(arg)
                if not literals or re.search(r"\bNULL\b", arg):
                    yield None, "no code (%s)" % arg, where
                for lit in literals:
                    if CODE_RE.match(lit):
                        yield lit, None, where
                    else:
                        yield None, "'%s' is not a code" % lit, where


def page_codes(page):
    with open(page, encoding="utf-8") as f:
        return set(re.findall(r"^### `([^`]+)`", f.read(), re.M))


def page_examples(page):
    """(code, config text) for each ```cfg block, under its heading."""
    code, out = None, []
    with open(page, encoding="utf-8") as f:
        text = f.read()
    for m in re.finditer(r"^### `([^`]+)`|^```cfg\n(.*?)^```", text,
                         re.M | re.S):
        if m.group(1):
            code = m.group(1)
        elif code:
            out.append((code, m.group(2)))
    return out


def run_examples(page, cfgc, emitted):
    """Failures of the page's examples, as messages."""
    fails = []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "example.cfg")
        for code, text in page_examples(page):
            if code not in emitted:
                continue
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            r = subprocess.run([cfgc, "-c", "example.cfg"], cwd=tmp,
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, timeout=30)
            err = r.stderr.decode("utf-8", "replace")
            if r.returncode > 2 or "[%s]" % code not in err:
                fails.append("the example of '%s' does not produce it "
                             "(exit %d):\n%s" % (code, r.returncode, err))
    return fails


def main(argv):
    if len(argv) not in (2, 4, 5) or (len(argv) > 2 and argv[2] != "--check"):
        sys.stderr.write(__doc__)
        return 2
    found, problems = {}, []
    for code, problem, where in scan(argv[1]):
        if code:
            found.setdefault(code, []).append(where)
        else:
            problems.append("%s: %s" % (where, problem))
    if len(argv) == 2:
        for code in sorted(found):
            print("%s\t%s" % (code, found[code][0]))
        for p in problems:
            sys.stderr.write("diag-codes: %s\n" % p)
        return 1 if problems else 0
    documented = page_codes(argv[3])
    missing = sorted(set(found) - documented)
    for code in missing:
        print("FAIL: code '%s' (%s) is not listed in %s" %
              (code, found[code][0], argv[3]))
    for p in problems:
        print("FAIL: %s" % p)
    for code in sorted(documented - set(found)):
        print("note: %s lists '%s', which no source emits" % (argv[3], code))
    if not found:
        print("FAIL: no diagnostic code found under %s" % argv[1])
        return 1
    if len(argv) == 5:
        fails = run_examples(argv[3], os.path.abspath(argv[4]), found)
        for f in fails:
            print("FAIL: %s" % f)
        problems += fails
    print("%d codes in the sources, %d on the page" % (len(found),
                                                      len(documented)))
    return 1 if missing or problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
