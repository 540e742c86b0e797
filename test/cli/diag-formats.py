#!/usr/bin/env python3
"""diag-formats.py: cfgc's JSON and SARIF diagnostics over the whole corpus.

For every configuration of the corpus (expected.tsv), under both targets,
`cfgc -c --diagnostics-format=json` and `=sarif` must each print one
document that python's json module reads, with the members the formats
promise, exit with the same status as the text format, say nothing on
stderr, and give every diagnostic a code that doc/diagnostics.md explains.
Then -Werror and --max-errors are checked against the documents.

  diag-formats.py CFGC CORPUS PAGE     exit 0 pass, 1 fail, 77 no corpus
"""
import json
import os
import re
import subprocess
import sys

JSON_KEYS = ("severity", "code", "message", "file", "line", "column",
             "end_column", "hints")
LEVELS = ("note", "warning", "error")


def run(cfgc, corpus, args):
    r = subprocess.run([cfgc] + args, cwd=corpus, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env={"PATH": "/usr/bin:/bin"}, timeout=30)
    return r.returncode, r.stdout, r.stderr


def check_json(doc, documented):
    """Problems of a JSON document, as a list of strings."""
    bad = []
    diags = doc.get("diagnostics")
    if not isinstance(diags, list):
        return ["no 'diagnostics' array"]
    for k in ("errors", "warnings", "not_shown"):
        if not isinstance(doc.get(k), int):
            bad.append("'%s' is not an integer" % k)
    for i, d in enumerate(diags):
        missing = [k for k in JSON_KEYS if k not in d]
        if missing:
            bad.append("diagnostic %d lacks %s" % (i, ", ".join(missing)))
            continue
        if d["severity"] not in LEVELS:
            bad.append("diagnostic %d: severity %r" % (i, d["severity"]))
        if not isinstance(d["code"], str) or not d["code"]:
            bad.append("diagnostic %d has no code: %r" % (i, d["message"]))
        elif d["code"] not in documented:
            bad.append("code '%s' is not in doc/diagnostics.md" % d["code"])
        if not isinstance(d["message"], str) or not d["message"]:
            bad.append("diagnostic %d: empty message" % i)
        if not isinstance(d["hints"], list) or \
                not all(isinstance(h, str) for h in d["hints"]):
            bad.append("diagnostic %d: hints not a list of strings" % i)
        if d["line"] is not None:
            if not isinstance(d["file"], str) or d["line"] < 1:
                bad.append("diagnostic %d: bad file/line" % i)
            if d["column"] is not None and \
                    not (1 <= d["column"] < d["end_column"]):
                bad.append("diagnostic %d: column %r end %r" %
                           (i, d["column"], d["end_column"]))
    return bad


def check_sarif(doc, njson):
    bad = []
    if doc.get("version") != "2.1.0" or "$schema" not in doc:
        bad.append("no version 2.1.0 or $schema")
    try:
        run0 = doc["runs"][0]
        driver = run0["tool"]["driver"]
        results = run0["results"]
    except (KeyError, IndexError, TypeError):
        return bad + ["no runs[0].tool.driver or results"]
    if driver.get("name") != "cfgc" or not isinstance(driver.get("rules"),
                                                      list):
        bad.append("driver name or rules missing")
    ids = [r.get("id") for r in driver.get("rules", [])]
    if len(ids) != len(set(ids)):
        bad.append("rules repeat an id")
    if len(results) != njson:
        bad.append("%d results for %d JSON diagnostics" % (len(results), njson))
    for i, r in enumerate(results):
        if r.get("ruleId") not in ids:
            bad.append("result %d: ruleId %r not among the rules" %
                       (i, r.get("ruleId")))
        elif ids[r.get("ruleIndex", -1)] != r["ruleId"]:
            bad.append("result %d: ruleIndex does not match" % i)
        if r.get("level") not in LEVELS:
            bad.append("result %d: level %r" % (i, r.get("level")))
        if not isinstance(r.get("message", {}).get("text"), str):
            bad.append("result %d: no message.text" % i)
        for loc in r.get("locations", []):
            pl = loc.get("physicalLocation", {})
            if not isinstance(pl.get("artifactLocation", {}).get("uri"), str):
                bad.append("result %d: no artifactLocation.uri" % i)
            reg = pl.get("region")
            if reg is not None:
                if not isinstance(reg.get("startLine"), int) or \
                        reg["startLine"] < 1:
                    bad.append("result %d: bad startLine" % i)
                if "startColumn" in reg and \
                        not 1 <= reg["startColumn"] < reg.get("endColumn", 0):
                    bad.append("result %d: bad columns %r" % (i, reg))
    return bad


def parse_doc(out, what):
    try:
        return json.loads(out.decode("utf-8")), None
    except (UnicodeDecodeError, ValueError) as e:
        return None, "%s output does not parse: %s" % (what, e)


def main(argv):
    if len(argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    cfgc, corpus, page = os.path.abspath(argv[1]), argv[2], argv[3]
    tsv = os.path.join(corpus, "expected.tsv")
    if not os.path.isfile(tsv):
        print("SKIP: no corpus at %s" % corpus)
        return 77
    with open(page, encoding="utf-8") as f:
        documented = set(re.findall(r"^### `([^`]+)`", f.read(), re.M))
    with open(tsv, encoding="utf-8") as f:
        files = [l.split("\t")[0] for l in f.read().splitlines()[1:] if l]
    fails, ndiags, with_errors = [], 0, None
    for path in files:
        for target in ("cfgrun", "haproxy"):
            base = ["-c", "--target=" + target]
            rc_text, _, _ = run(cfgc, corpus, base + [path])
            rc, out, err = run(cfgc, corpus,
                               base + ["--diagnostics-format=json", path])
            jdoc, problem = parse_doc(out, "JSON")
            probs = [problem] if problem else check_json(jdoc, documented)
            if rc != rc_text:
                probs.append("JSON run exits %d, text run %d" % (rc, rc_text))
            if err:
                probs.append("JSON run wrote to stderr: %r" % err[:200])
            rc_s, out_s, _ = run(cfgc, corpus,
                                 base + ["--diagnostics-format=sarif", path])
            sdoc, problem = parse_doc(out_s, "SARIF")
            if problem:
                probs.append(problem)
            elif jdoc is not None:
                probs += check_sarif(sdoc, len(jdoc["diagnostics"]))
            if rc_s != rc_text:
                probs.append("SARIF run exits %d, text %d" % (rc_s, rc_text))
            if rc > 2:
                probs.append("killed (status %d)" % rc)
            for p in probs:
                fails.append("%s (--target=%s): %s" % (path, target, p))
            if jdoc and not probs:
                ndiags += len(jdoc["diagnostics"])
                if target == "cfgrun" and jdoc["errors"] >= 2 and \
                        not with_errors:
                    with_errors = path

    # --max-errors 1 keeps one error in both documents and counts the rest
    if with_errors:
        args = ["-c", "--max-errors", "1", with_errors]
        _, out, _ = run(cfgc, corpus, args + ["--diagnostics-format=json"])
        doc = json.loads(out)
        errs = [d for d in doc["diagnostics"] if d["severity"] == "error"]
        if len(errs) != 1 or doc["not_shown"] != doc["errors"] - 1:
            fails.append("--max-errors 1 on %s: %d errors shown, not_shown "
                         "%d of %d" % (with_errors, len(errs),
                                       doc["not_shown"], doc["errors"]))
        _, out, _ = run(cfgc, corpus, args + ["--diagnostics-format=sarif"])
        doc = json.loads(out)
        inv = doc["runs"][0]["invocations"][0]
        if "toolExecutionNotifications" not in inv:
            fails.append("--max-errors 1: SARIF does not say errors were "
                         "left out")
    else:
        fails.append("no corpus file with two errors to try --max-errors on")

    # -Werror turns a warning-only file into exit 1, in every format
    for path in files:
        rc, out, _ = run(cfgc, corpus, ["-c", "--diagnostics-format=json",
                                        path])
        doc = json.loads(out)
        if rc == 0 and doc["warnings"] > 0:
            for fmt in ("json", "sarif"):
                rc2, out2, _ = run(cfgc, corpus,
                                   ["-c", "-Werror",
                                    "--diagnostics-format=" + fmt, path])
                json.loads(out2)
                if rc2 != 1:
                    fails.append("-Werror with %s on %s exits %d" %
                                 (fmt, path, rc2))
            break
    else:
        fails.append("no corpus file with only warnings to try -Werror on")

    for f in fails:
        print("FAIL: " + f)
    print("%d files x 2 targets x 2 formats; %d diagnostics checked; "
          "%d failures" % (len(files), ndiags, len(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
