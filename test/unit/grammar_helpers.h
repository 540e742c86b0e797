/*
 * grammar_helpers.h: shared by the grammar's unit tests: parse a string,
 * render the tree and the diagnostics as short text to compare with.
 */
#ifndef HAPC_TEST_GRAMMAR_HELPERS_H
#define HAPC_TEST_GRAMMAR_HELPERS_H

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast-t.h"
#include "diag.h"
#include "parse.h"

struct gh_result {
	struct diag_ctx dc;
	struct ast_config cfg;
};

/* Parse `text` as file "t.cfg" with optional hooks. */
static inline void gh_parse_hooks(struct gh_result *r, const char *text,
                                  size_t len, const struct parse_hooks *h)
{
	char *copy = malloc(len + 1);

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, text, len);
	copy[len] = '\0';
	diag_init(&r->dc);
	memset(&r->cfg, 0, sizeof(r->cfg));
	ck_assert_int_eq(cfg_parse_buffer(&r->dc, "t.cfg", copy, len, &r->cfg, h), 0);
}

static inline void gh_parse(struct gh_result *r, const char *text)
{
	gh_parse_hooks(r, text, strlen(text), NULL);
}

static inline void gh_free(struct gh_result *r)
{
	ast_config_free(&r->cfg);
	diag_free(&r->dc);
}

/* Append printf output to a malloc'd string. */
static inline void gh_cat(char **s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline void gh_cat(char **s, const char *fmt, ...)
{
	va_list ap;
	char *add = NULL, *n;
	int len;

	va_start(ap, fmt);
	len = vasprintf(&add, fmt, ap);
	va_end(ap);
	ck_assert_int_ge(len, 0);
	n = malloc((*s ? strlen(*s) : 0) + (size_t)len + 1);
	ck_assert_ptr_nonnull(n);
	strcpy(n, *s ? *s : "");
	strcat(n, add);
	free(*s);
	free(add);
	*s = n;
}

/* A word as [text], bytes below 0x20 as \xNN. */
static inline void gh_word(char **s, const struct ast_word *w)
{
	size_t i;

	gh_cat(s, "[");
	for (i = 0; i < w->len; i++) {
		unsigned char c = (unsigned char)w->text[i];

		if (c < 0x20 || c == 0x7f)
			gh_cat(s, "\\x%02x", c);
		else
			gh_cat(s, "%c", c);
	}
	gh_cat(s, "]");
}

static inline void gh_cond(char **s, const struct ast_cond *c)
{
	size_t i, j, k;

	gh_cat(s, " %s", c->kind == AST_COND_IF ? "IF" : "UNLESS");
	for (i = 0; i < c->nalts; i++) {
		if (i)
			gh_cat(s, " OR");
		for (j = 0; j < c->alts[i].nterms; j++) {
			const struct ast_term *t = &c->alts[i].terms[j];

			gh_cat(s, " %s", t->negate ? "!" : "");
			if (t->kind == AST_TERM_ACL) {
				gh_word(s, &t->words[0]);
				continue;
			}
			gh_cat(s, "{");
			for (k = 0; k < t->nwords; k++) {
				if (k)
					gh_cat(s, " ");
				gh_word(s, &t->words[k]);
			}
			gh_cat(s, "}");
		}
	}
}

/* The words of a statement: [w1] [w2] ..., each followed by its span
 * @col-end when `spans` is set. */
static inline char *gh_words(const struct ast_stmt *st, int spans)
{
	char *s = NULL;
	size_t i;

	gh_cat(&s, "%s", "");
	for (i = 0; i < st->nargs; i++) {
		if (i)
			gh_cat(&s, " ");
		gh_word(&s, &st->args[i]);
		if (spans)
			gh_cat(&s, "@%u-%u", (unsigned)st->args[i].loc.col,
			       (unsigned)st->args[i].loc.end_col);
	}
	return s;
}

/* One statement: [w1] [w2] ... IF ... */
static inline char *gh_stmt(const struct ast_stmt *st)
{
	char *s = gh_words(st, 0);

	if (st->cond)
		gh_cond(&s, st->cond);
	return s;
}

/* Words of a statement with their spans: [text]@col-end ... */
static inline char *gh_locs(const struct ast_stmt *st)
{
	return gh_words(st, 1);
}

static const char *const gh_kinds[] = {
	"NONE", "GLOBAL", "DEFAULTS", "FRONTEND", "BACKEND", "LISTEN", "OTHER",
};

/* The whole tree, one line per section header and statement. */
static inline char *gh_tree(const struct ast_config *cfg)
{
	const struct ast_section *sec;
	const struct ast_stmt *st;
	char *s = NULL, *t;

	gh_cat(&s, "%s", "");
	for (sec = cfg->sections; sec; sec = sec->next) {
		gh_cat(&s, "%s:", gh_kinds[sec->kind]);
		if (sec->header) {
			t = gh_stmt(sec->header);
			gh_cat(&s, " %s", t);
			free(t);
		}
		gh_cat(&s, "\n");
		for (st = sec->stmts; st; st = st->next) {
			t = gh_stmt(st);
			gh_cat(&s, "  %s\n", t);
			free(t);
		}
	}
	return s;
}

/* Diagnostics as "SEV L:C-E code: message" lines. */
static inline char *gh_diags(const struct diag_ctx *dc)
{
	static const char *const sev[] = { "note", "warning", "error" };
	const struct diag *d;
	char *s = NULL;

	gh_cat(&s, "%s", "");
	for (d = dc->head; d; d = d->next)
		gh_cat(&s, "%s %u:%u-%u %s: %s\n", sev[d->severity],
		       (unsigned)d->loc.line, (unsigned)d->loc.col,
		       (unsigned)d->loc.end_col, d->code ? d->code : "-", d->msg);
	return s;
}

/* Assert the tree of `text` equals `want` and there is no diagnostic. */
#define gh_assert_tree(text, want) do {                                  \
	struct gh_result r_;                                             \
	char *t_, *d_;                                                   \
	gh_parse(&r_, (text));                                           \
	t_ = gh_tree(&r_.cfg);                                           \
	d_ = gh_diags(&r_.dc);                                           \
	ck_assert_str_eq(d_, "");                                        \
	ck_assert_str_eq(t_, (want));                                    \
	free(t_);                                                        \
	free(d_);                                                        \
	gh_free(&r_);                                                    \
} while (0)

/* Assert the diagnostics of `text`, rendered by gh_diags(), equal `want`. */
#define gh_assert_diags(text, want) do {                                 \
	struct gh_result r_;                                             \
	char *d_;                                                        \
	gh_parse(&r_, (text));                                           \
	d_ = gh_diags(&r_.dc);                                           \
	ck_assert_str_eq(d_, (want));                                    \
	free(d_);                                                        \
	gh_free(&r_);                                                    \
} while (0)

/* The only statement of `text` (no section header), checked to be alone
 * and without diagnostics, rendered by gh_locs(). */
static inline char *gh_one(const char *text)
{
	struct gh_result r;
	char *s, *d;

	gh_parse(&r, text);
	d = gh_diags(&r.dc);
	ck_assert_str_eq(d, "");
	free(d);
	ck_assert_ptr_nonnull(r.cfg.sections);
	ck_assert_ptr_null(r.cfg.sections->next);
	ck_assert_ptr_nonnull(r.cfg.sections->stmts);
	ck_assert_ptr_null(r.cfg.sections->stmts->next);
	s = gh_locs(r.cfg.sections->stmts);
	gh_free(&r);
	return s;
}

#define gh_assert_one(text, want) do {                                   \
	char *o_ = gh_one(text);                                         \
	ck_assert_str_eq(o_, (want));                                    \
	free(o_);                                                        \
} while (0)

/* Assert the tree of `text` equals `want` and `nerr` errors were queued. */
#define gh_assert_tree_errors(text, want, nerr) do {                     \
	struct gh_result r_;                                             \
	char *t_;                                                        \
	gh_parse(&r_, (text));                                           \
	t_ = gh_tree(&r_.cfg);                                           \
	ck_assert_str_eq(t_, (want));                                    \
	ck_assert_uint_eq(r_.dc.nerrors, (nerr));                        \
	free(t_);                                                        \
	gh_free(&r_);                                                    \
} while (0)

/* Assert a diagnostic queue is empty. */
static inline void gh_assert_no_diags(const struct diag_ctx *dc)
{
	char *d = gh_diags(dc);

	ck_assert_str_eq(d, "");
	free(d);
}

#endif /* HAPC_TEST_GRAMMAR_HELPERS_H */
