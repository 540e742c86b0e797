/*
 * reader.c: the steps between the scanner and the parser, in HAProxy's
 * order: lexical errors drop the line; too many words; an empty first word
 * makes the line ignored; conditional directives; lines of false branches
 * are dropped (after being scanned, so their quoting errors are still
 * reported); message directives; empty words followed by more words are
 * refused; the remaining words become tokens.
 *
 * Tokens: IF, UNLESS, OR ('||' or 'or' in any case), NOT ('!'), LBRACE and
 * RBRACE are produced only for words written plainly (no quote, escape or
 * variable) after the first word; every other word is a WORD. The grammar
 * decides what they mean where they appear.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ast.h"
#include "diag.h"
#include "directive.h"
#include "line.h"
#include "reader.h"
#include "scan.h"

static int reader_push(struct pctx *pc, int kind, struct ast_word *w,
                       const struct src_loc *loc)
{
	if (pc->ntoks == pc->tcap) {
		size_t ncap = pc->tcap ? pc->tcap * 2 : 16;
		struct pctx_token *p = realloc(pc->toks, ncap * sizeof(*p));

		if (!p) {
			ast_word_free(w);
			diag_error(pc->dc, loc, "no-memory", "out of memory");
			return -1;
		}
		pc->toks = p;
		pc->tcap = ncap;
	}
	pc->toks[pc->ntoks].kind = kind;
	pc->toks[pc->ntoks].word = w;
	pc->toks[pc->ntoks].loc = *loc;
	pc->ntoks++;
	return 0;
}

/* Queue a token carrying a new word. Returns 0 or -1 (reported; the
 * line's tokens are dropped). */
static int reader_push_word(struct pctx *pc, int kind,
                            const struct src_loc *loc, const char *text,
                            size_t len, uint32_t flags)
{
	struct ast_word *w = ast_word_new(loc, text, len, flags);

	if (!w) {
		diag_error(pc->dc, loc, "no-memory", "out of memory");
		reader_release(pc);
		return -1;
	}
	if (kind == TOK_LBRACE)
		pc->lbrace_loc = *loc;
	if (reader_push(pc, kind, w, loc) < 0) {
		reader_release(pc);
		return -1;
	}
	return 0;
}

/*
 * In a condition, HAProxy reads "!{" (any number of '!' glued to the
 * brace) as negations of an inline ACL. When word `i` is written so,
 * queue NOT tokens and an LBRACE and return 1; 0 when it is not; -1 on
 * error.
 */
static int reader_split_not(struct pctx *pc, size_t i)
{
	const struct lex_word *w = &pc->cur.words[i];
	const char *t = pc->cur.buf + w->off;
	struct src_loc loc = w->loc;
	size_t k;

	if (w->flags != 0 || w->len < 2 || t[w->len - 1] != '{')
		return 0;
	for (k = 0; k + 1 < w->len; k++)
		if (t[k] != '!')
			return 0;
	for (k = 0; k < w->len; k++) {
		loc.col = w->loc.col + (uint32_t)k;
		loc.end_col = loc.col + 1;
		if (reader_push_word(pc, k + 1 < w->len ? TOK_NOT : TOK_LBRACE,
		                     &loc, t + k, 1, 0) < 0)
			return -1;
	}
	return 1;
}

/* Token kind of word `i` of the current line. */
static int reader_kind(const struct pctx *pc, size_t i)
{
	const struct lex_word *w = &pc->cur.words[i];
	const char *t = pc->cur.buf + w->off;
	static const struct {
		const char *text;
		int kind;
	} marks[] = {
		{ "if",     TOK_IF },
		{ "unless", TOK_UNLESS },
		{ "||",     TOK_OR },
		{ "!",      TOK_NOT },
		{ "{",      TOK_LBRACE },
		{ "}",      TOK_RBRACE },
	};
	size_t k;

	if (i == 0 || w->flags != 0)
		return TOK_WORD;
	if (w->len == 2 && strncasecmp(t, "or", 2) == 0)
		return TOK_OR;
	for (k = 0; k < sizeof(marks) / sizeof(marks[0]); k++)
		if (strlen(marks[k].text) == w->len &&
		    memcmp(marks[k].text, t, w->len) == 0)
			return marks[k].kind;
	return TOK_WORD;
}

/* 1 when word `i` reads as empty to HAProxy (nothing, or a NUL first). */
static int reader_empty(const struct pctx *pc, size_t i)
{
	const struct lex_word *w = &pc->cur.words[i];

	return w->len == 0 || pc->cur.buf[w->off] == '\0';
}

/* Apply the line rules; queue tokens. Returns 1 when tokens were queued. */
static int reader_line(struct pctx *pc)
{
	struct lex_line *l = &pc->cur;
	struct src_loc eol;
	int in_cond = 0, in_braces = 0;
	size_t i;

	if (l->errored)
		return 0;
	if (l->nwords > PCTX_MAX_WORDS) {
		diag_error(pc->dc, &l->words[PCTX_MAX_WORDS].loc, "too-many-words",
		           "too many words on one line (expected at most %d, found %zu)",
		           PCTX_MAX_WORDS, l->nwords);
		return 0;
	}
	if (l->nwords == 0 || reader_empty(pc, 0))
		return 0;          /* HAProxy ignores such a line */
	if (directive_cond(pc) || directive_skipping(pc) || directive_other(pc))
		return 0;
	for (i = 0; i < l->nwords; i++) {
		if (!reader_empty(pc, i))
			continue;
		diag_error(pc->dc, &l->words[i].loc, "empty-argument",
		           "argument %zu is empty and more words follow (expected a "
		           "non-empty word: HAProxy ends the argument list at an empty "
		           "word)", i);
		if (l->words[i].flags & AST_W_EXPANDED)
			diag_hint(pc->dc, "the variable expands to nothing; give it a "
			          "default (\"${VAR-default}\") or define it");
		return 0;
	}

	pc->lbrace_loc.line = 0;
	for (i = 0; i < l->nwords; i++) {
		int kind = reader_kind(pc, i);

		if (kind == TOK_IF || kind == TOK_UNLESS)
			in_cond = 1;
		if (in_cond && !in_braces) {
			int split = reader_split_not(pc, i);

			if (split < 0)
				return 0;
			if (split > 0) {
				in_braces = 1;
				continue;
			}
		}
		if (kind == TOK_LBRACE)
			in_braces = 1;
		else if (kind == TOK_RBRACE)
			in_braces = 0;
		if (reader_push_word(pc, kind, &l->words[i].loc,
		                     l->buf + l->words[i].off, l->words[i].len,
		                     l->words[i].flags & ~LEX_W_VANISH) < 0)
			return 0;
	}
	eol.file = pc->file;
	eol.line = l->lineno;
	eol.col = l->eol_col;
	eol.end_col = l->eol_col + 1;
	if (reader_push(pc, TOK_EOL, NULL, &eol) < 0) {
		reader_release(pc);
		return 0;
	}
	return 1;
}

/* Scan lines until one gives tokens. Returns 1, or 0 at the end of file. */
static int reader_fill(struct pctx *pc)
{
	int got;

	if (!pc->scanner)
		return 0;
	for (;;) {
		line_begin(pc);
		if (!scan_line(pc)) {
			directive_finish(pc);
			scan_close(pc);
			return 0;
		}
		pc->last_line = pc->cur.lineno;
		got = reader_line(pc);
		if (pc->cur.missing_lf) {
			struct src_loc loc = { .file = pc->file,
			                       .line = pc->cur.lineno,
			                       .col = pc->cur.eol_col,
			                       .end_col = pc->cur.eol_col + 1 };

			diag_error(pc->dc, &loc, "missing-newline",
			           "missing newline at the end of the file (expected "
			           "'\\n' after the last line)");
		}
		if (got)
			return 1;
	}
}

int cfg_yylex(CFG_YYSTYPE *lval, CFG_YYLTYPE *lloc, struct pctx *pc)
{
	struct pctx_token *t;

	if (pc->tpos == pc->ntoks) {
		pc->tpos = pc->ntoks = 0;
		if (!reader_fill(pc)) {
			lloc->file = pc->file;
			lloc->line = pc->last_line + 1;
			lloc->col = lloc->end_col = 1;
			lval->word = NULL;
			return 0;
		}
	}
	t = &pc->toks[pc->tpos++];
	lval->word = t->word;
	t->word = NULL;
	*lloc = t->loc;
	return t->kind;
}

void reader_release(struct pctx *pc)
{
	size_t i;

	for (i = pc->tpos; i < pc->ntoks; i++)
		ast_word_free(pc->toks[i].word);
	pc->tpos = pc->ntoks = 0;
}
