/*
 * precond.h: the checks of files a configuration refers to.
 *
 * One implementation for both programs, so they cannot drift: cfgc applies
 * them when it compiles (and reports at the word naming the file), cfgrun
 * applies them to the plan's PRECOND table (what cfgc --hermetic recorded
 * instead of checking) before it starts or switches to a reloaded plan.
 *
 * The checks are the cheap and certain ones: the file exists, is a regular
 * file (or a directory where one is allowed, or a character device such
 * as /dev/null for a raw payload) and can be read, and its
 * first bytes look like its kind (a PEM block, an HTTP status line, text).
 * A file is never read beyond PRECOND_READ_MAX bytes and never opened in a
 * way that can block (FIFOs and devices are refused before reading).
 */
#ifndef HAPC_PRECOND_H
#define HAPC_PRECOND_H

#include <stddef.h>
#include "plan.h"

#define PRECOND_READ_MAX (4u << 20)  /* bytes read at most per file */

/* Outcome of a check. */
enum precond_result {
	PRECOND_OK           = 0,
	PRECOND_MISSING      = 1,   /* no such file (or a path component) */
	PRECOND_UNREADABLE   = 2,   /* exists but cannot be read, or is not a
	                               regular file (or directory when allowed) */
	PRECOND_BAD_PEM      = 3,   /* no "-----BEGIN ...-----END" block */
	PRECOND_BAD_RESPONSE = 4,   /* does not start with an HTTP status line */
	PRECOND_NOT_TEXT     = 5,   /* holds NUL bytes where text is expected */
	PRECOND_RESULT_MAX
};

/*
 * Apply the check of `kind` to `path` (as the process sees it: relative
 * paths from its current directory). On failure writes a short reason
 * ("No such file or directory", "no PEM block found") into `why` (may be
 * NULL) and returns the result.
 */
enum precond_result precond_check(enum plan_precond_kind kind,
                                  const char *path, char *why, size_t len);

/* What a kind is, for messages ("certificate", "error file"); never NULL. */
const char *precond_kind_name(uint32_t kind);

/* Kind for --dump comments ("crt", "errorfile"): the first keyword
 * HAProxy gives that kind of file; never NULL. */
const char *precond_kind_word(uint32_t kind);

/*
 * Check every precondition of a verified plan; for each failure call
 * `report` with a message naming the file, its kind, the keyword and the
 * configuration line ("a.cfg:12: crt '/etc/x.pem' (certificate): No such
 * file or directory"). Returns the number of failures.
 */
unsigned precond_check_plan(const struct plan *p,
                            void (*report)(void *arg, const char *msg),
                            void *arg);

#endif /* HAPC_PRECOND_H */
