/*
 * env.c: setenv/presetenv/unsetenv/resetenv applied as they are read.
 */
#include <stdlib.h>
#include <string.h>
#include "env.h"

extern char **environ;

/* resetenv NAME...: remove every variable not named. The names to remove
 * are collected first: unsetenv() may reshuffle environ while we walk it. */
static void env_reset(const struct ast_stmt *st)
{
	size_t n = 0, cap = 0;
	char **drop = NULL;

	for (char **e = environ; e && *e; e++) {
		const char *eq = strchr(*e, '=');
		size_t len = eq ? (size_t)(eq - *e) : strlen(*e);
		int keep = 0;

		for (size_t i = 1; i < st->nargs && !keep; i++)
			keep = strlen(st->args[i].text) == len &&
			       !strncmp(st->args[i].text, *e, len);
		if (keep)
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			char **p = realloc(drop, ncap * sizeof(*p));

			if (!p)
				break;
			drop = p;
			cap = ncap;
		}
		drop[n] = strndup(*e, len);
		if (drop[n])
			n++;
	}
	for (size_t i = 0; i < n; i++) {
		unsetenv(drop[i]);
		free(drop[i]);
	}
	free(drop);
}

void env_on_stmt(void *ud, const struct ast_section *sec,
                 const struct ast_stmt *st)
{
	const char *kw = st->args[0].text;

	(void)ud;
	if (!sec || sec->kind != AST_SEC_GLOBAL || st->nargs < 1)
		return;
	if (!strcmp(kw, "setenv") && st->nargs == 3) {
		if (st->args[1].text[0] && !strchr(st->args[1].text, '='))
			setenv(st->args[1].text, st->args[2].text, 1);
	} else if (!strcmp(kw, "presetenv") && st->nargs == 3) {
		if (st->args[1].text[0] && !strchr(st->args[1].text, '='))
			setenv(st->args[1].text, st->args[2].text, 0);
	} else if (!strcmp(kw, "unsetenv")) {
		for (size_t i = 1; i < st->nargs; i++)
			if (st->args[i].text[0] && !strchr(st->args[i].text, '='))
				unsetenv(st->args[i].text);
	} else if (!strcmp(kw, "resetenv")) {
		env_reset(st);
	}
}

const struct parse_hooks env_parse_hooks = {
	.on_stmt = env_on_stmt,
	.ud = NULL,
};
