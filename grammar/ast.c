/*
 * ast.c: building and freeing the parse tree.
 *
 * Every function accepts NULL containers and arguments so that grammar
 * actions never need to test a result: after an allocation failure the
 * pieces are freed as they arrive and ast_oom() reports the failure.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "parse.h"

static _Thread_local int ast_oom_flag;

int ast_oom(void)
{
	return ast_oom_flag;
}

void ast_oom_clear(void)
{
	ast_oom_flag = 0;
}

/* Grow `*arr` (elements of `size` bytes, `*cap` allocated) to hold `n + 1`
 * elements. Returns 0, or -1 with the array untouched. */
static int ast_grow(void **arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 4;
	p = realloc(*arr, ncap * size);
	if (!p) {
		ast_oom_flag = 1;
		return -1;
	}
	*arr = p;
	*cap = ncap;
	return 0;
}

/* Capacities are not stored in ast-t.h; arrays grow to the next power of
 * two (from 4), so the capacity follows from the count. */
static size_t ast_cap_of(size_t n)
{
	size_t cap = 4;

	if (n == 0)
		return 0;
	while (cap < n)
		cap *= 2;
	return cap;
}

static void ast_loc_widen(struct src_loc *dst, const struct src_loc *add)
{
	if (dst->line == 0) {
		*dst = *add;
		return;
	}
	if (add->line != dst->line || add->file != dst->file)
		return;
	if (add->col < dst->col)
		dst->col = add->col;
	if (add->end_col > dst->end_col)
		dst->end_col = add->end_col;
}

struct ast_word *ast_word_new(const struct src_loc *loc, const char *text,
                              size_t len, uint32_t flags)
{
	struct ast_word *w = calloc(1, sizeof(*w));

	if (!w) {
		ast_oom_flag = 1;
		return NULL;
	}
	w->text = malloc(len + 1);
	if (!w->text) {
		free(w);
		ast_oom_flag = 1;
		return NULL;
	}
	if (len)
		memcpy(w->text, text, len);
	w->text[len] = '\0';
	w->len = len;
	w->loc = *loc;
	w->flags = flags;
	return w;
}

void ast_word_free(struct ast_word *w)
{
	if (!w)
		return;
	free(w->text);
	free(w);
}

/* Move `*w` into the array `*arr` of `*n` words; frees the shell. */
static int ast_words_push(struct ast_word **arr, size_t *n,
                          struct ast_word *w)
{
	size_t cap = ast_cap_of(*n);

	if (ast_grow((void **)arr, &cap, *n, sizeof(**arr)) < 0) {
		ast_word_free(w);
		return -1;
	}
	(*arr)[(*n)++] = *w;
	free(w);
	return 0;
}

static void ast_words_free(struct ast_word *arr, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(arr[i].text);
	free(arr);
}

struct ast_stmt *ast_stmt_new(struct ast_word *first)
{
	struct ast_stmt *st;

	if (!first)
		return NULL;
	st = calloc(1, sizeof(*st));
	if (!st) {
		ast_oom_flag = 1;
		ast_word_free(first);
		return NULL;
	}
	st->loc = first->loc;
	if (ast_words_push(&st->args, &st->nargs, first) < 0) {
		free(st);
		return NULL;
	}
	return st;
}

void ast_stmt_add_arg(struct ast_stmt *st, struct ast_word *w)
{
	if (!st || !w) {
		ast_word_free(w);
		return;
	}
	ast_loc_widen(&st->loc, &w->loc);
	ast_words_push(&st->args, &st->nargs, w);
}

void ast_stmt_set_cond(struct ast_stmt *st, struct ast_cond *cond)
{
	size_t i, j;

	if (!st || !cond) {
		ast_cond_free(cond);
		return;
	}
	ast_cond_free(st->cond);
	st->cond = cond;
	ast_loc_widen(&st->loc, &cond->loc);
	for (i = 0; i < cond->nalts; i++)
		for (j = 0; j < cond->alts[i].nterms; j++)
			ast_loc_widen(&st->loc, &cond->alts[i].terms[j].loc);
}

void ast_stmt_free(struct ast_stmt *st)
{
	if (!st)
		return;
	ast_words_free(st->args, st->nargs);
	ast_cond_free(st->cond);
	free(st);
}

struct ast_cond *ast_cond_new(const struct src_loc *loc,
                              enum ast_cond_kind kind)
{
	struct ast_cond *c = calloc(1, sizeof(*c));

	if (!c) {
		ast_oom_flag = 1;
		return NULL;
	}
	c->kind = kind;
	c->loc = *loc;
	return c;
}

static void ast_and_clear(struct ast_and *a)
{
	size_t i;

	for (i = 0; i < a->nterms; i++)
		ast_words_free(a->terms[i].words, a->terms[i].nwords);
	free(a->terms);
	a->terms = NULL;
	a->nterms = 0;
}

void ast_cond_add_alt(struct ast_cond *c, struct ast_and *alt)
{
	size_t cap;

	if (!c || !alt) {
		ast_and_free(alt);
		return;
	}
	cap = ast_cap_of(c->nalts);
	if (ast_grow((void **)&c->alts, &cap, c->nalts, sizeof(*c->alts)) < 0) {
		ast_and_free(alt);
		return;
	}
	c->alts[c->nalts++] = *alt;
	free(alt);
}

void ast_cond_free(struct ast_cond *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->nalts; i++)
		ast_and_clear(&c->alts[i]);
	free(c->alts);
	free(c);
}

struct ast_and *ast_and_new(struct ast_term *first)
{
	struct ast_and *a;

	if (!first)
		return NULL;
	a = calloc(1, sizeof(*a));
	if (!a) {
		ast_oom_flag = 1;
		ast_term_free(first);
		return NULL;
	}
	ast_and_add(a, first);
	if (a->nterms == 0) {
		free(a);
		return NULL;
	}
	return a;
}

void ast_and_add(struct ast_and *a, struct ast_term *t)
{
	size_t cap;

	if (!a || !t) {
		ast_term_free(t);
		return;
	}
	cap = ast_cap_of(a->nterms);
	if (ast_grow((void **)&a->terms, &cap, a->nterms, sizeof(*a->terms)) < 0) {
		ast_term_free(t);
		return;
	}
	a->terms[a->nterms++] = *t;
	free(t);
}

void ast_and_free(struct ast_and *a)
{
	if (!a)
		return;
	ast_and_clear(a);
	free(a);
}

struct ast_term *ast_term_new_acl(const struct src_loc *loc,
                                  struct ast_word *name)
{
	struct ast_term *t;
	size_t skip = 0;

	if (!name)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t) {
		ast_oom_flag = 1;
		ast_word_free(name);
		return NULL;
	}
	t->kind = AST_TERM_ACL;
	t->loc = *loc;
	while (skip < name->len && name->text[skip] == '!') {
		t->negate = !t->negate;
		skip++;
	}
	if (skip) {
		memmove(name->text, name->text + skip, name->len - skip + 1);
		name->len -= skip;
	}
	if (ast_words_push(&t->words, &t->nwords, name) < 0) {
		free(t);
		return NULL;
	}
	return t;
}

struct ast_term *ast_term_new_inline(struct ast_word *first)
{
	struct ast_term *t;

	if (!first)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t) {
		ast_oom_flag = 1;
		ast_word_free(first);
		return NULL;
	}
	t->kind = AST_TERM_INLINE;
	t->loc = first->loc;
	if (ast_words_push(&t->words, &t->nwords, first) < 0) {
		free(t);
		return NULL;
	}
	return t;
}

void ast_term_add_word(struct ast_term *t, struct ast_word *w)
{
	if (!t || !w) {
		ast_word_free(w);
		return;
	}
	ast_loc_widen(&t->loc, &w->loc);
	ast_words_push(&t->words, &t->nwords, w);
}

void ast_term_negate(struct ast_term *t, const struct src_loc *loc)
{
	if (!t)
		return;
	t->negate = !t->negate;
	ast_loc_widen(&t->loc, loc);
}

void ast_term_set_loc(struct ast_term *t, const struct src_loc *loc)
{
	if (t)
		t->loc = *loc;
}

void ast_term_free(struct ast_term *t)
{
	if (!t)
		return;
	ast_words_free(t->words, t->nwords);
	free(t);
}

void ast_section_free(struct ast_section *sec)
{
	while (sec) {
		struct ast_section *next = sec->next;
		struct ast_stmt *st = sec->stmts;

		while (st) {
			struct ast_stmt *n = st->next;

			ast_stmt_free(st);
			st = n;
		}
		ast_stmt_free(sec->header);
		free(sec);
		sec = next;
	}
}

void ast_config_free(struct ast_config *cfg)
{
	if (!cfg)
		return;
	ast_section_free(cfg->sections);
	cfg->sections = NULL;
	cfg->last = NULL;
}
