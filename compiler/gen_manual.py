"""gen_manual: reading HAProxy's configuration manual, shared by the
generators gen-keywords.py and gen-lint.py: where a chapter starts and
which keyword headings it has."""
import re


def find(lines, title_re):
    """Index of the chapter title matching title_re (a title is underlined
    by a line of dashes); exits when the manual has none."""
    for i, l in enumerate(lines):
        if re.match(title_re, l) and i + 1 < len(lines) and \
                lines[i + 1].startswith("---"):
            return i
    raise SystemExit("heading not found: " + title_re)


def headings(lines, start, end):
    """Keyword headings between lines start and end, as (index, line):
    lines at column 0 after a blank line (several may follow each other,
    listing forms of one keyword), followed by an indented line."""
    out = []
    i = start + 2
    while i < end:
        if lines[i - 1].strip() == "" and re.match(r"[a-z0-9]", lines[i]):
            j = i
            while j < end and re.match(r"[a-z0-9]", lines[j]):
                j += 1
            if j < end and lines[j].startswith("  "):
                out.extend((k, lines[k]) for k in range(i, j))
            i = j + 1
            continue
        i += 1
    return out
