/*
 * diag_json.h: the queued diagnostics as machine-readable documents.
 *
 * Both writers print one document on `out` for the whole run, in report
 * order, after everything was queued (where diag_print() would print text):
 *
 *   JSON   {"diagnostics": [{"severity", "code", "message", "file", "line",
 *          "column", "end_column", "hints"}, ...], "errors": N,
 *          "warnings": N, "not_shown": N, "werror": BOOL}
 *          Columns are 1-based byte columns, end_column one past the span;
 *          "file", "line", "column" and "end_column" are null when the
 *          diagnostic has no such location.
 *   SARIF  version 2.1.0, one run, the tool "cfgc" with one rule per code
 *          met, one result per diagnostic (ruleId, level, message.text,
 *          locations[0].physicalLocation with artifactLocation.uri and a
 *          region in Unicode code points, as run.columnKind says);
 *          invocations[0] says how many errors were not shown. Findings
 *          do not make the execution unsuccessful (SARIF's meaning).
 *
 * Strings are valid JSON whatever the bytes: control characters are
 * escaped, valid UTF-8 passes through, and each byte that is not part of
 * valid UTF-8 is written as the four characters \xHH (so as "\\xHH" in the
 * JSON text).
 */
#ifndef HAPC_DIAG_JSON_H
#define HAPC_DIAG_JSON_H

#include <stddef.h>
#include <stdio.h>
#include "diag-t.h"

/* Write `s` (NUL terminated) as a JSON string literal, quotes included. */
void diag_json_string(FILE *out, const char *s);

/* Number of bytes of the valid UTF-8 sequence at `s` (1 to 4, never more
 * than `n`), or 0 when the byte at `s` does not start one. */
size_t diag_utf8_len(const unsigned char *s, size_t n);

/* The JSON document described above. Returns 0, or -1 when writing failed. */
int diag_print_json(const struct diag_ctx *dc, FILE *out);

/* The SARIF 2.1.0 log described above; `version` is the tool's version.
 * Returns 0, or -1 when writing failed. */
int diag_print_sarif(const struct diag_ctx *dc, FILE *out,
                     const char *version);

#endif /* HAPC_DIAG_JSON_H */
