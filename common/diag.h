/*
 * diag.h: queue diagnostics while working, print them together at the end.
 *
 * Printed form (GCC-like, one per diagnostic; shown indented here only):
 *
 *   FILE:LINE:COL: error[CODE]: MESSAGE
 *   <the source line, tabs kept, a trailing CR removed>
 *   <spaces/tabs>^~~~
 *   FILE:LINE:COL: note: HINT           (one per hint)
 *
 * `[CODE]` is left out when the code is NULL. A diagnostic whose location
 * has line 0 prints as `FILE: error: MESSAGE` (no source line); one with no
 * location at all as `PROG: error: MESSAGE`, PROG being set by
 * diag_set_progname() ("cfgc" by default). The marker puts `^` under column
 * `col` and `~` under the rest of [col, end_col), clipped to the line.
 * When errors beyond max_errors were dropped, diag_print() ends with
 * `PROG: note: N more errors not shown`.
 */
#ifndef HAPC_DIAG_H
#define HAPC_DIAG_H

#include <stdarg.h>
#include <stdio.h>
#include "diag-t.h"

void diag_init(struct diag_ctx *dc);

/* Program name used for diagnostics without a location; the string must
 * outlive every diag_print() (a literal or argv[0]). NULL restores "cfgc". */
void diag_set_progname(const char *name);

/* Frees every queued diagnostic and every kept file. */
void diag_free(struct diag_ctx *dc);

/*
 * Keep a file's text for later printing; takes ownership of `text` (malloc'd,
 * NUL terminated, `len` bytes) and copies `path`. Returns its index, or
 * UINT32_MAX when out of memory (`text` is freed then; diagnostics naming
 * that index print with the path "<unknown>").
 */
uint32_t diag_add_file(struct diag_ctx *dc, const char *path, char *text,
                       size_t len);

/* Replace the kept text of file `file` (taking ownership of `text`, as
 * diag_add_file() does; the old text is freed). */
void diag_replace_text(struct diag_ctx *dc, uint32_t file, char *text,
                       size_t len);

/* Queue a diagnostic at `loc` (NULL: no location). `code` may be NULL. */
void diag_report(struct diag_ctx *dc, enum diag_severity sev,
                 const struct src_loc *loc, const char *code,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void diag_vreport(struct diag_ctx *dc, enum diag_severity sev,
                  const struct src_loc *loc, const char *code,
                  const char *fmt, va_list ap);

/* Shorthands: diag_error(dc, loc, code, fmt, ...). Everything after `dc`
 * is passed through whole, so a compound literal with commas works as
 * `loc` (&(struct src_loc){ f, line, col, end }). */
#define diag_error(dc, ...) \
	diag_report((dc), DIAG_ERROR, __VA_ARGS__)
#define diag_warning(dc, ...) \
	diag_report((dc), DIAG_WARNING, __VA_ARGS__)

/* Attach a hint ("did you mean 'roundrobin'?") to the last reported
 * diagnostic; dropped when that one was not queued (over max_errors). */
void diag_hint(struct diag_ctx *dc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Print every queued diagnostic in order to `out`, with source and caret. */
void diag_print(const struct diag_ctx *dc, FILE *out);

/* "note", "warning" or "error". */
const char *diag_severity_name(enum diag_severity sev);

/* Errors counted but not queued (beyond max_errors, or out of memory). */
unsigned diag_not_shown(const struct diag_ctx *dc);

/* 1 when errors (or warnings under werror) were reported. */
int diag_failed(const struct diag_ctx *dc);

/* Pointer to the start of line `line` of file `file` and its length
 * without the newline (and without a CR before it); NULL if out of range.
 * A file ending in a newline has one more, empty, line after it (where an
 * "unexpected end of file" points). */
const char *diag_source_line(const struct diag_ctx *dc, uint32_t file,
                             uint32_t line, size_t *len);

#endif /* HAPC_DIAG_H */
