/*
 * diag-t.h: source files, locations and queued diagnostics.
 *
 * Locations are cheap while lexing (four integers); the text of the line is
 * looked up in the kept source only when a diagnostic is printed.
 */
#ifndef HAPC_DIAG_T_H
#define HAPC_DIAG_T_H

#include <stddef.h>
#include <stdint.h>

struct src_loc {
	uint32_t file;      /* index into diag_ctx.files */
	uint32_t line;      /* 1-based; 0 = no location in the file */
	uint32_t col;       /* 1-based byte column of the first character */
	uint32_t end_col;   /* byte column one past the last character (>= col) */
};

struct src_file {
	char *path;         /* as given on the command line, owned */
	char *text;         /* whole file contents, owned, NUL terminated */
	size_t len;         /* bytes of text, without the terminator */
	size_t *line_start; /* owned: byte offset of line N at [N - 1], built
	                       once when the text is kept; NULL when out of
	                       memory (lines are then found by scanning) */
	uint32_t nlines;    /* entries of line_start: newlines + 1 */
	size_t scanned;     /* bytes read to find line starts, so far: the
	                       length once, whatever the diagnostics printed
	                       (tests check that printing stays linear) */
};

enum diag_severity {
	DIAG_NOTE    = 0,
	DIAG_WARNING = 1,
	DIAG_ERROR   = 2,
};

struct diag {
	enum diag_severity severity;
	struct src_loc loc;        /* loc.line == 0: no location (file-wide) */
	int has_loc;               /* 0: message about the run, no file at all */
	char *code;                /* stable code ("unknown-keyword"), owned, or NULL */
	char *msg;                 /* owned */
	char **hints;              /* owned array of owned strings */
	size_t nhints;
	struct diag *next;
};

struct diag_ctx {
	struct src_file *files;    /* owned array */
	uint32_t nfiles;
	struct diag *head, *tail;  /* queued in report order */
	unsigned nerrors;
	unsigned nwarnings;
	unsigned max_errors;       /* 0 = unlimited; after it, errors are counted, not queued */
	int werror;                /* warnings count as errors for the exit status */
	int last_dropped;          /* 1: the last report was not queued (over
	                              max_errors, or no memory), so diag_hint()
	                              drops its hints too */
};

#endif /* HAPC_DIAG_T_H */
