/*
 * directive.c: conditional blocks and message directives.
 *
 * HAProxy keeps a stack of .if levels (at most PCTX_MAX_NESTED_IF - 1 deep)
 * and reads .if/.elif/.else/.endif even in false branches, without
 * evaluating conditions there. Where HAProxy aborts the whole parse (a bad
 * condition, a lone .endif), we report the error and go on so that later
 * errors are reported too: a condition that cannot be evaluated counts as
 * false.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "diag.h"
#include "directive.h"

static const char *dir_text(const struct pctx *pc, size_t i)
{
	return pc->cur.buf + pc->cur.words[i].off;
}

/* 1 when word `i` of the line is exactly `s`. */
static int dir_is(const struct pctx *pc, size_t i, const char *s)
{
	size_t n = strlen(s);

	return i < pc->cur.nwords && pc->cur.words[i].len == n &&
	       memcmp(dir_text(pc, i), s, n) == 0;
}

static const struct src_loc *dir_loc(const struct pctx *pc, size_t i)
{
	return &pc->cur.words[i].loc;
}

int directive_skipping(const struct pctx *pc)
{
	return pc->nconds_over > 0 ||
	       (pc->nconds > 0 && pc->conds[pc->nconds - 1].state != COND_TAKE);
}

/*
 * Evaluate the words after the directive, joined by single spaces.
 * Returns 0 or 1; on error reports it (located on the offending word) and
 * returns 0.
 */
static int dir_eval(struct pctx *pc)
{
	size_t i, len = 0, pos = 0, errpos = 0;
	size_t *starts;
	char *expr;
	char msg[256];
	int result = 0;

	for (i = 1; i < pc->cur.nwords; i++)
		len += pc->cur.words[i].len + 1;
	expr = malloc(len + 1);
	starts = malloc((pc->cur.nwords + 1) * sizeof(*starts));
	if (!expr || !starts) {
		free(expr);
		free(starts);
		diag_error(pc->dc, dir_loc(pc, 0), "no-memory", "out of memory");
		return 0;
	}
	for (i = 1; i < pc->cur.nwords; i++) {
		if (i > 1)
			expr[pos++] = ' ';
		starts[i] = pos;
		memcpy(expr + pos, dir_text(pc, i), pc->cur.words[i].len);
		pos += pc->cur.words[i].len;
	}
	expr[pos] = '\0';
	starts[pc->cur.nwords] = pos + 1;

	if (cond_eval(expr, &result, &errpos, msg, sizeof(msg)) < 0) {
		struct src_loc loc = *dir_loc(pc, 0);
		const struct lex_word *w;

		/* find the word holding the error; a word written plainly
		 * maps byte for byte to its columns */
		for (i = 1; i + 1 < pc->cur.nwords && starts[i + 1] <= errpos; i++)
			;
		if (i < pc->cur.nwords) {
			w = &pc->cur.words[i];
			loc = w->loc;
			if (w->flags == 0 && errpos >= starts[i] &&
			    errpos - starts[i] < w->len) {
				loc.col = w->loc.col + (uint32_t)(errpos - starts[i]);
			}
		} else {
			loc.col = loc.end_col = pc->cur.eol_col;
		}
		diag_error(pc->dc, &loc, "bad-condition", "%s in '%.*s'", msg,
		           (int)pc->cur.words[0].len, dir_text(pc, 0));
		result = 0;
	}
	free(expr);
	free(starts);
	return result;
}

/* .else and .endif take no argument. Returns -1 after reporting one. */
static int dir_no_args(struct pctx *pc)
{
	if (pc->cur.nwords < 2)
		return 0;
	diag_error(pc->dc, dir_loc(pc, 1), "unexpected-argument",
	           "unexpected argument after '%.*s' (expected the end of the line)",
	           (int)pc->cur.words[0].len, dir_text(pc, 0));
	return -1;
}

static void dir_lone(struct pctx *pc)
{
	diag_error(pc->dc, dir_loc(pc, 0), "lone-directive",
	           "'%.*s' without a matching '.if' (expected '.if' before it)",
	           (int)pc->cur.words[0].len, dir_text(pc, 0));
}

static void dir_if(struct pctx *pc)
{
	struct cond_level *lv;
	int parent_off = directive_skipping(pc);

	if (pc->nconds_over > 0 || pc->nconds + 1 >= PCTX_MAX_NESTED_IF) {
		if (pc->nconds_over++ == 0)
			diag_error(pc->dc, dir_loc(pc, 0), "nesting-too-deep",
			           "too many nested '.if' blocks (at most %d levels)",
			           PCTX_MAX_NESTED_IF - 1);
		return;
	}
	lv = &pc->conds[pc->nconds++];
	lv->seen_else = 0;
	lv->if_loc = *dir_loc(pc, 0);
	if (parent_off)
		lv->state = COND_SKIP;
	else
		lv->state = dir_eval(pc) ? COND_TAKE : COND_DROP;
}

/*
 * The innermost open block, for '.elif' and '.else' to move on to their
 * branch; NULL after reporting the directive as lone, or as coming after
 * the block's '.else' (the error `code` with message `msg`).
 */
static struct cond_level *dir_branch_level(struct pctx *pc, const char *code,
                                           const char *msg)
{
	struct cond_level *lv;

	if (pc->nconds == 0) {
		dir_lone(pc);
		return NULL;
	}
	lv = &pc->conds[pc->nconds - 1];
	if (lv->seen_else) {
		diag_error(pc->dc, dir_loc(pc, 0), code, "%s", msg);
		return NULL;
	}
	return lv;
}

static void dir_elif(struct pctx *pc)
{
	struct cond_level *lv;

	if (pc->nconds_over > 0)
		return;
	lv = dir_branch_level(pc, "elif-after-else", "'.elif' after '.else' "
	                      "(expected '.endif' to close the block)");
	if (!lv)
		return;
	if (lv->state == COND_TAKE)
		lv->state = COND_DONE;
	else if (lv->state == COND_DROP)
		lv->state = dir_eval(pc) ? COND_TAKE : COND_DROP;
}

static void dir_else(struct pctx *pc)
{
	struct cond_level *lv;

	if (dir_no_args(pc) < 0 || pc->nconds_over > 0)
		return;
	lv = dir_branch_level(pc, "else-after-else", "second '.else' in the "
	                      "same block (expected '.endif')");
	if (!lv)
		return;
	lv->seen_else = 1;
	if (lv->state == COND_TAKE)
		lv->state = COND_DONE;
	else if (lv->state == COND_DROP)
		lv->state = COND_TAKE;
}

static void dir_endif(struct pctx *pc)
{
	if (dir_no_args(pc) < 0)
		return;
	if (pc->nconds_over > 0) {
		pc->nconds_over--;
		return;
	}
	if (pc->nconds == 0) {
		dir_lone(pc);
		return;
	}
	pc->nconds--;
}

int directive_cond(struct pctx *pc)
{
	if (dir_is(pc, 0, ".if"))
		dir_if(pc);
	else if (dir_is(pc, 0, ".elif"))
		dir_elif(pc);
	else if (dir_is(pc, 0, ".else"))
		dir_else(pc);
	else if (dir_is(pc, 0, ".endif"))
		dir_endif(pc);
	else
		return 0;
	return 1;
}

int directive_other(struct pctx *pc)
{
	static const struct {
		const char *name;
		int sev;               /* enum diag_severity, -1: not shown */
		const char *code;      /* diagnostic code */
	} msgs[] = {
		{ ".notice",  DIAG_NOTE,    "notice-directive" },
		{ ".warning", DIAG_WARNING, "warning-directive" },
		{ ".alert",   DIAG_ERROR,   "alert-directive" },
		{ ".diag",    -1,           NULL },  /* shown by HAProxy only
		                                        with -dD */
	};
	size_t i;

	if (pc->cur.nwords == 0 || pc->cur.words[0].len == 0 ||
	    dir_text(pc, 0)[0] != '.')
		return 0;
	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		if (!dir_is(pc, 0, msgs[i].name))
			continue;
		if (pc->cur.nwords > 2) {
			diag_error(pc->dc, dir_loc(pc, 2), "unexpected-argument",
			           "unexpected argument after the message of '%s' "
			           "(expected the end of the line; quote a message "
			           "that contains spaces)", msgs[i].name);
			return 1;
		}
		if (msgs[i].sev >= 0)
			diag_report(pc->dc, (enum diag_severity)msgs[i].sev,
			            dir_loc(pc, 0), msgs[i].code,
			            "%.*s",
			            pc->cur.nwords > 1 ? (int)pc->cur.words[1].len : 0,
			            pc->cur.nwords > 1 ? dir_text(pc, 1) : "");
		return 1;
	}
	diag_error(pc->dc, dir_loc(pc, 0), "unknown-directive",
	           "unknown directive '%.*s' (expected .if, .elif, .else, .endif, "
	           ".notice, .warning, .alert or .diag)",
	           (int)pc->cur.words[0].len, dir_text(pc, 0));
	return 1;
}

void directive_finish(struct pctx *pc)
{
	struct src_loc eof = { .file = pc->file, .line = pc->last_line,
	                       .col = 1, .end_col = 1 };
	unsigned i;

	if (pc->nconds > 0 || pc->nconds_over > 0) {
		diag_error(pc->dc, &eof, "unterminated-if",
		           "%u '.if' block%s not closed (expected '.endif' before the "
		           "end of the file)", pc->nconds + pc->nconds_over,
		           pc->nconds + pc->nconds_over > 1 ? "s" : "");
		for (i = pc->nconds; i > 0; i--)
			diag_hint(pc->dc, "'.if' opened at line %u, column %u",
			          (unsigned)pc->conds[i - 1].if_loc.line,
			          (unsigned)pc->conds[i - 1].if_loc.col);
	}
	pc->nconds = 0;
	pc->nconds_over = 0;
}
