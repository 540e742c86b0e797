/*
 * crt_store.c: the load lines of crt-store sections, found by the names
 * bind lines give them (crt_store.h).
 */
#include <stdlib.h>
#include <string.h>

#include "crt_store.h"

/* The word after option `opt` of a load line, or NULL. */
static const char *load_opt(const struct ast_stmt *st, const char *opt)
{
	const char *v = NULL;

	for (size_t i = 1; i + 1 < st->nargs; i += 2)
		if (!strcmp(st->args[i].text, opt))
			v = st->args[i + 1].text;
	return v;
}

int crt_store_init(struct crt_store *cs, const struct ast_config *cfg)
{
	memset(cs, 0, sizeof(*cs));
	for (const struct ast_section *sec = cfg->sections; sec;
	     sec = sec->next) {
		const char *crt_base = NULL, *key_base = NULL;

		if (!sec->header || !sec->header->nargs ||
		    strcmp(sec->header->args[0].text, "crt-store"))
			continue;
		for (const struct ast_stmt *st = sec->stmts; st; st = st->next) {
			const char *k = st->nargs ? st->args[0].text : "";
			struct crt_store_load *l;

			if (!strcmp(k, "crt-base") && st->nargs > 1)
				crt_base = st->args[1].text;
			else if (!strcmp(k, "key-base") && st->nargs > 1)
				key_base = st->args[1].text;
			if (strcmp(k, "load") || !load_opt(st, "crt"))
				continue;
			l = realloc(cs->loads, (cs->n + 1) * sizeof(*l));
			if (!l)
				return -1;
			cs->loads = l;
			l = &cs->loads[cs->n++];
			l->store = sec->header->nargs > 1 ?
			           sec->header->args[1].text : NULL;
			l->crt = load_opt(st, "crt");
			l->key = load_opt(st, "key");
			l->alias = load_opt(st, "alias");
			l->crt_base = crt_base;
			l->key_base = key_base;
			l->st = st;
		}
	}
	return 0;
}

void crt_store_free(struct crt_store *cs)
{
	free(cs->loads);
	memset(cs, 0, sizeof(*cs));
}

const struct crt_store_load *crt_store_find(const struct crt_store *cs,
                                            const char *name)
{
	const char *slash, *x = name;
	size_t slen = 0;
	int at = name[0] == '@';

	if (at) {
		if (!(slash = strchr(name + 1, '/')))
			return NULL;
		slen = (size_t)(slash - (name + 1));
		x = slash + 1;
	}
	for (size_t i = 0; i < cs->n; i++) {
		const struct crt_store_load *l = &cs->loads[i];
		const char *store = l->store ? l->store : "";

		if (at ? strlen(store) != slen || strncmp(store, name + 1, slen) :
		         l->store != NULL)
			continue;
		if ((at && l->alias && !strcmp(l->alias, x)) ||
		    !strcmp(l->crt, x))
			return l;
	}
	return NULL;
}
