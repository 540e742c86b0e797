/*
 * kw-global.c: the global keywords cfgc compiles.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "kw.h"

/* maxconn N: HAProxy parses a signed integer here and takes even -5;
 * a negative value leaves the runtime default (0 in the plan). */
static int kw_global_maxconn(struct sema *s, const struct ast_stmt *st)
{
	const struct ast_word *w = &st->args[1];
	char *end;
	long long v;

	errno = 0;
	v = strtoll(w->text, &end, 10);
	if (!w->text[0] || *end || errno) {
		diag_error(s->dc, &w->loc, "invalid-number",
		           "'maxconn' expects an integer, found '%s'", w->text);
		return -1;
	}
	if (v > (long long)UINT32_MAX) {
		diag_error(s->dc, &w->loc, "out-of-range",
		           "'maxconn' expects at most %u connections, found '%s'",
		           UINT32_MAX, w->text);
		return -1;
	}
	if (v < 0) {
		diag_warning(s->dc, &w->loc, "negative-maxconn",
		             "'maxconn %s' is negative; HAProxy accepts it, cfgc "
		             "keeps the runtime default", w->text);
		v = 0;
	}
	s->m->maxconn = (uint32_t)v;
	return 0;
}

/* The environment statements were applied by the parse hook (env.c). */
static int kw_global_env(struct sema *s, const struct ast_stmt *st)
{
	for (size_t i = 1; i < st->nargs; i++) {
		if (i == 2 && st->args[0].text[0] != 'u' && st->args[0].text[0] != 'r')
			break; /* the value of setenv/presetenv may be anything */
		if (!st->args[i].text[0] || strchr(st->args[i].text, '=')) {
			diag_error(s->dc, &st->args[i].loc, "invalid-name",
			           "'%s' expects a variable name, found '%s'",
			           st->args[0].text, st->args[i].text);
			return -1;
		}
	}
	return 0;
}

const struct kw_def kw_global_table[] = {
	{ .name = "maxconn", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = 1, .usage = "<number>", .parse = kw_global_maxconn,
	  .status = KW_COMPILED },
	{ .name = "presetenv", .sections = KW_SEC_GLOBAL, .min_args = 2,
	  .max_args = 2, .usage = "<name> <value>", .parse = kw_global_env,
	  .status = KW_PREPARSED },
	{ .name = "resetenv", .sections = KW_SEC_GLOBAL, .min_args = 0,
	  .max_args = KW_ARGS_ANY, .usage = "[<name> ...]",
	  .parse = kw_global_env, .status = KW_PREPARSED },
	{ .name = "setenv", .sections = KW_SEC_GLOBAL, .min_args = 2,
	  .max_args = 2, .usage = "<name> <value>", .parse = kw_global_env,
	  .status = KW_PREPARSED },
	{ .name = "unsetenv", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = KW_ARGS_ANY, .usage = "<name> [<name> ...]",
	  .parse = kw_global_env, .status = KW_PREPARSED },
};

const size_t kw_global_count = sizeof(kw_global_table) / sizeof(kw_global_table[0]);
