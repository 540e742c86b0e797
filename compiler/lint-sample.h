/*
 * lint-sample.h: sample expressions (fetch, then converters), as written
 * in ACLs, rule arguments and log-format strings (manual section 7.3).
 */
#ifndef HAPC_LINT_SAMPLE_H
#define HAPC_LINT_SAMPLE_H

#include <stddef.h>
#include <stdint.h>
#include "ast-t.h"
#include "sema-t.h"

/* Where an expression is checked. */
struct lint_sample_ctx {
	struct sema *s;
	const struct ast_config *cfg;   /* for userlist, proxy and table
	                                   names; NULL: not checked */
	uint32_t ruleset;               /* LINT_RS_* of the rule, 0 elsewhere */
	const char *rule;               /* "http-after-response", for messages */
	int in_cond;                    /* 1: an anonymous ACL of a condition,
	                                   where HAProxy only warns that a
	                                   fetch of the wrong context never
	                                   matches */
};

/*
 * Check the expression `expr` (a whole word such as "req.hdr(host),lower")
 * written in word `w`: the fetch and converters must be known, the
 * arguments cfgc knows must be valid, the fetch must be usable in the rule
 * set. Returns the number of errors queued.
 */
unsigned lint_sample_word(const struct lint_sample_ctx *c,
                          const struct ast_word *w);

/* Check every %[expr] of the log-format string in word `w`. Returns the
 * number of errors queued. */
unsigned lint_sample_logformat(const struct lint_sample_ctx *c,
                               const struct ast_word *w);

/* The pattern in word `w` (pat[0..len)) must compile as HAProxy
 * compiles it (PCRE2; `icase`: -i): else an `invalid-regex` error naming
 * `what`. Returns the number of errors queued (0 or 1). */
unsigned lint_regex(struct sema *s, const struct ast_word *w,
                    const char *pat, size_t len, int icase, const char *what);

/* The values of the ACL words w[0..n) (a fetch, its flags, its values:
 * an `acl` line after its name, or an anonymous ACL) that HAProxy
 * compiles as regular expressions (-m reg, or a fetch of the _reg
 * family). Returns the number of errors queued. */
unsigned lint_acl_regexes(struct sema *s, const struct ast_word *w, size_t n);

#endif /* HAPC_LINT_SAMPLE_H */
