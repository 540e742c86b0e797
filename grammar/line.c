/*
 * line.c: the words of the line being scanned, and variable expansion.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "line.h"

/* Room for `n` more bytes. Returns 0 or -1 (out of memory, reported). */
static int line_reserve(struct pctx *pc, size_t n)
{
	struct lex_line *l = &pc->cur;
	size_t ncap;
	char *p;

	if (l->blen + n <= l->bcap)
		return 0;
	ncap = l->bcap ? l->bcap : 128;
	while (ncap < l->blen + n)
		ncap *= 2;
	p = realloc(l->buf, ncap);
	if (!p) {
		line_error(pc, 1, 1, "no-memory", "out of memory while reading the line");
		return -1;
	}
	l->buf = p;
	l->bcap = ncap;
	return 0;
}

void line_begin(struct pctx *pc)
{
	struct lex_line *l = &pc->cur;

	l->blen = 0;
	l->nwords = 0;
	l->open = 0;
	l->errored = 0;
	l->missing_lf = 0;
	l->nul_reported = 0;
	l->finished = 0;
	l->lineno = pc->line;
	l->eol_col = 1;
	l->quote_col = 0;
	l->exp_col = 0;
}

/* Make sure a word is open; opens it at `col`. Returns it or NULL. */
static struct lex_word *line_open(struct pctx *pc, uint32_t col)
{
	struct lex_line *l = &pc->cur;
	struct lex_word *w;

	if (l->open)
		return &l->words[l->nwords - 1];
	if (l->nwords == l->wcap) {
		size_t ncap = l->wcap ? l->wcap * 2 : 16;
		struct lex_word *p = realloc(l->words, ncap * sizeof(*p));

		if (!p) {
			line_error(pc, col, col + 1, "no-memory",
			           "out of memory while reading the line");
			return NULL;
		}
		l->words = p;
		l->wcap = ncap;
	}
	w = &l->words[l->nwords++];
	w->off = l->blen;
	w->len = 0;
	w->flags = 0;
	w->loc.file = pc->file;
	w->loc.line = l->lineno;
	w->loc.col = col;
	w->loc.end_col = col;
	l->open = 1;
	return w;
}

void line_touch(struct pctx *pc, uint32_t flags, uint32_t col, uint32_t end)
{
	struct lex_word *w;

	if (pc->cur.errored)
		return;
	w = line_open(pc, col);
	if (!w)
		return;
	w->flags |= flags;
	if (end > w->loc.end_col)
		w->loc.end_col = end;
}

void line_emit(struct pctx *pc, const char *s, size_t n, uint32_t flags,
               uint32_t col, uint32_t end)
{
	struct lex_word *w;

	if (pc->cur.errored)
		return;
	w = line_open(pc, col);
	if (!w || line_reserve(pc, n) < 0)
		return;
	/* line_reserve may not move words, only bytes: `w` stays valid */
	memcpy(pc->cur.buf + pc->cur.blen, s, n);
	pc->cur.blen += n;
	w->len += n;
	w->flags |= flags;
	if (end > w->loc.end_col)
		w->loc.end_col = end;
}

/* Drop the open word when it is only an empty "${VAR[*]}" expansion. */
static void line_drop_vanished(struct lex_line *l)
{
	if (l->open && l->nwords && l->words[l->nwords - 1].len == 0 &&
	    (l->words[l->nwords - 1].flags & LEX_W_VANISH))
		l->nwords--;
}

void line_separate(struct pctx *pc)
{
	line_drop_vanished(&pc->cur);
	pc->cur.open = 0;
}

const char *line_env_value(const struct pctx *pc, const char *name,
                           size_t len, char *buf, int *unknown)
{
	char tmp[256];
	char *heap = NULL;
	const char *key = tmp;
	const char *val;

	*unknown = 0;
	if (len && name[0] == '.') {
		if (len == 5 && memcmp(name, ".LINE", 5) == 0) {
			snprintf(buf, 24, "%u", (unsigned)pc->cur.lineno);
			return buf;
		}
		if (len == 5 && memcmp(name, ".FILE", 5) == 0)
			return pc->path ? pc->path : "";
		if (len == 8 && memcmp(name, ".SECTION", 8) == 0)
			return pc->section_name ? pc->section_name : "";
		*unknown = 1;
		return NULL;
	}
	if (len >= sizeof(tmp)) {
		heap = malloc(len + 1);
		if (!heap)
			return NULL;
		key = heap;
	}
	memcpy((char *)key, name, len);
	((char *)key)[len] = '\0';
	val = getenv(key);
	free(heap);
	return val;
}

int line_expand(struct pctx *pc, const char *ref, size_t n, uint32_t col)
{
	const char *p = ref + 1, *end = ref + n;
	const char *name, *value, *dflt = NULL;
	size_t name_len, dflt_len = 0;
	int brace = 0, split = 0, unknown;
	uint32_t src_end = col + (uint32_t)n;
	char num[24];

	if (p < end && *p == '{') {
		brace = 1;
		p++;
	}
	name = p;
	if (p < end && *p == '.')
		p++;
	while (p < end && (isalnum((unsigned char)*p) || *p == '_'))
		p++;
	name_len = (size_t)(p - name);
	if (brace && p + 2 < end && p[0] == '[' && p[1] == '*' && p[2] == ']') {
		split = 1;
		p += 3;
	}
	if (brace && p < end && *p == '-') {
		dflt = p + 1;
		dflt_len = (size_t)(end - 1 - dflt);   /* up to the '}' */
	}

	value = line_env_value(pc, name, name_len, num, &unknown);
	if (unknown) {
		uint32_t ncol = col + (uint32_t)(name - ref);

		line_error(pc, ncol, ncol + (uint32_t)name_len, "bad-variable",
		           "unknown pseudo-variable '%.*s' (expected .FILE, .LINE "
		           "or .SECTION)", (int)name_len, name);
		return -1;
	}
	if (!value && dflt) {
		/* the default is used as written, without any unquoting */
		value = dflt;
	} else {
		dflt_len = value ? strlen(value) : 0;
	}

	line_touch(pc, AST_W_QUOTED | AST_W_EXPANDED, col, src_end);
	/* an empty or unset "${VAR[*]}" alone makes no word at all */
	if (split && dflt_len == 0 && pc->cur.open && pc->cur.nwords &&
	    pc->cur.words[pc->cur.nwords - 1].len == 0)
		pc->cur.words[pc->cur.nwords - 1].flags |= LEX_W_VANISH;
	if (!value)
		return 0;
	if (dflt_len > PCTX_MAX_EXPANDED_LINE ||
	    pc->cur.blen > PCTX_MAX_EXPANDED_LINE - dflt_len) {
		line_error(pc, col, src_end, "line-too-long",
		           "the line is too long once '%.*s' is expanded (%zu "
		           "bytes after %zu; at most %u bytes of words per line "
		           "with variables)", (int)n, ref, dflt_len, pc->cur.blen,
		           PCTX_MAX_EXPANDED_LINE);
		return -1;
	}
	if (!split) {
		line_emit(pc, value, dflt_len, AST_W_QUOTED | AST_W_EXPANDED,
		          col, src_end);
		return 0;
	}
	/* "${VAR[*]}": every run of spaces in the value ends a word */
	{
		size_t i = 0;

		while (i < dflt_len) {
			if (isspace((unsigned char)value[i])) {
				line_separate(pc);
				line_touch(pc, AST_W_QUOTED | AST_W_EXPANDED, col, src_end);
				while (i < dflt_len && isspace((unsigned char)value[i]))
					i++;
				continue;
			}
			line_emit(pc, value + i, 1, AST_W_QUOTED | AST_W_EXPANDED,
			          col, src_end);
			i++;
		}
	}
	return 0;
}

void line_error(struct pctx *pc, uint32_t col, uint32_t end, const char *code,
                const char *fmt, ...)
{
	struct src_loc loc;
	va_list ap;

	if (pc->cur.errored)
		return;       /* one error per line, as HAProxy stops there too */
	pc->cur.errored = 1;
	loc.file = pc->file;
	loc.line = pc->cur.lineno;
	loc.col = col;
	loc.end_col = end > col ? end : col + 1;
	va_start(ap, fmt);
	diag_vreport(pc->dc, DIAG_ERROR, &loc, code, fmt, ap);
	va_end(ap);
}

void line_finish(struct pctx *pc, uint32_t eol_col)
{
	struct lex_line *l = &pc->cur;

	if (l->finished)
		return;
	l->finished = 1;
	l->eol_col = eol_col;
	line_drop_vanished(l);
	/* HAProxy does not count an empty last argument */
	if (l->open && l->words[l->nwords - 1].len == 0)
		l->nwords--;
	l->open = 0;
}

void line_release(struct pctx *pc)
{
	free(pc->cur.buf);
	free(pc->cur.words);
	pc->cur.buf = NULL;
	pc->cur.words = NULL;
	pc->cur.blen = pc->cur.bcap = 0;
	pc->cur.nwords = pc->cur.wcap = 0;
}
