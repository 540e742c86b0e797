/*
 * lint-section.c: the sections cfgc does not compile (cache, userlist,
 * ring, http-errors, peers, mailers, log-forward, crt-store, resolvers,
 * fcgi-app, traces, acme, healthcheck, log-profile): each statement's
 * keyword must be one the manual documents for that section.
 */
#include <string.h>
#include "diag.h"
#include "lint.h"
#include "lint-tab.h"
#include "suggest.h"

/* 1 when the manual lists keywords for `section`. */
static int section_listed(const char *section)
{
	for (size_t i = 0; i < lint_section_kws_count; i++)
		if (!strcmp(lint_section_kws[i].section, section))
			return 1;
	return 0;
}

static int section_has(const char *section, const char *kw)
{
	for (size_t i = 0; i < lint_section_kws_count; i++)
		if (!strcmp(lint_section_kws[i].section, section) &&
		    !strcmp(lint_section_kws[i].name, kw))
			return 1;
	return 0;
}

void lint_section(struct sema *s, const struct ast_section *sec)
{
	const char *name = sec->header->args[0].text;

	if (!section_listed(name))
		return;
	for (const struct ast_stmt *st = sec->stmts; st; st = st->next) {
		const struct ast_word *w = st->args;
		size_t k = 0;
		struct suggest sg;
		const char *hint;

		if (st->nargs == 0)
			continue;
		if (st->nargs > 1 && (!strcmp(w[0].text, "no") ||
		                      !strcmp(w[0].text, "default")))
			k = 1;
		if (section_has(name, w[k].text))
			continue;
		diag_error(s->dc, &w[k].loc, "unknown-keyword",
		           "unknown keyword '%s' in %s section", w[k].text, name);
		suggest_init(&sg, w[k].text);
		for (size_t i = 0; i < lint_section_kws_count; i++)
			if (!strcmp(lint_section_kws[i].section, name))
				suggest_offer(&sg, lint_section_kws[i].name);
		hint = suggest_result(&sg);
		if (hint)
			diag_hint(s->dc, "did you mean '%s'?", hint);
	}
}
