/*
 * kw-userlist.c: userlist sections (manual 12.2) read into the model,
 * packed as the http_auth and http_auth_group ACL lines carry them
 * (PLAN_USERLIST_FORMAT in plan-t.h).
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "kw.h"
#include "model.h"
#include "plan_userlist.h"
#include "sema.h"

/* A growing text. */
struct ul_buf {
	char *p;
	size_t len, cap;
	int oom;
};

static void ul_put(struct ul_buf *b, const char *s, size_t n)
{
	char *q;

	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;

		if (!(q = realloc(b->p, cap))) {
			b->oom = 1;
			return;
		}
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* A user or group name: no byte the packed form uses. 0, or -1 after a
 * located error. */
static int ul_name(struct sema *s, const struct ast_word *w, const char *what,
                   const char *name, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (name[i] == '\t' || name[i] == '\n' || name[i] == ',' ||
		    name[i] == '\0') {
			diag_error(s->dc, &w->loc, "invalid-argument",
			           "%s name '%.*s' holds a tab, a comma or a line "
			           "end, which cfgc cannot store", what, (int)len,
			           name);
			return -1;
		}
	if (!len) {
		diag_error(s->dc, &w->loc, "invalid-argument",
		           "empty %s name", what);
		return -1;
	}
	return 0;
}

/* Each name of the comma-separated list word w: checked; with `in`, each
 * must be the name of one of `in`'s n statements (args[1]). 0 or -1. */
static int ul_list(struct sema *s, const char *ul, const struct ast_word *w,
                   const char *what, const char *owner_kind,
                   const char *owner, const struct ast_stmt *const *in,
                   size_t n, const char *in_kind)
{
	const char *t = w->text;
	size_t i = 0, len = strlen(t);

	while (len && i <= len) {
		const char *c = memchr(t + i, ',', len - i);
		size_t e = c ? (size_t)(c - t) : len, k;

		if (ul_name(s, w, what, t + i, e - i) < 0)
			return -1;
		for (k = 0; k < n; k++)
			if (strlen(in[k]->args[1].text) == e - i &&
			    !memcmp(in[k]->args[1].text, t + i, e - i))
				break;
		if (k < n) {
			i = e + 1;
			continue;
		}
		if (!strcmp(in_kind, "user"))
			diag_error(s->dc, &w->loc, "unknown-user",
			           "userlist '%s': no such user '%.*s' specified in "
			           "%s '%s'", ul, (int)(e - i), t + i, owner_kind,
			           owner);
		else
			diag_error(s->dc, &w->loc, "unknown-group",
			           "userlist '%s': no such group '%.*s' specified in "
			           "%s '%s'", ul, (int)(e - i), t + i, owner_kind,
			           owner);
		return -1;
	}
	return 0;
}

/* 1 when name is in the comma-separated list word (NULL: none). */
static int ul_listed(const struct ast_word *w, const char *name)
{
	return w && plan_userlist_in(w->text, strlen(w->text), name,
	                             strlen(name));
}

/* The value word of option `opt` of statement st, or NULL; an empty
 * word when the option ends the line (HAProxy reads an empty value). */
static const struct ast_word *ul_opt(const struct ast_stmt *st,
                                     const char *opt)
{
	static const struct ast_word empty = { .text = (char *)"" };

	for (size_t i = 2; i < st->nargs; i += 2)
		if (!strcmp(st->args[i].text, opt))
			return i + 1 < st->nargs ? &st->args[i + 1] : &empty;
	return NULL;
}

/* The statements of one keyword, first of each name (later ones are
 * warned about and left out, as HAProxy does). */
static size_t ul_collect(struct sema *s, const struct ast_section *sec,
                         const char *kw, const struct ast_stmt **out,
                         size_t cap)
{
	size_t n = 0;

	for (const struct ast_stmt *st = sec->stmts; st; st = st->next) {
		size_t k;

		if (strcmp(st->args[0].text, kw) || st->nargs < 2)
			continue;
		for (k = 0; k < n; k++)
			if (!strcmp(out[k]->args[1].text, st->args[1].text))
				break;
		if (k < n) {
			diag_warning(s->dc, &st->args[1].loc, "duplicate-name",
			             "ignoring duplicated %s '%s' in userlist '%s'",
			             kw, st->args[1].text, sec->header->args[1].text);
			continue;
		}
		if (n == cap) {
			diag_error(s->dc, &st->args[0].loc, "unsupported",
			           "cfgc reads at most %zu %ss per userlist", cap, kw);
			return n;
		}
		out[n++] = st;
	}
	return n;
}

/* The statements' own syntax: user NAME [password H | insecure-password
 * P] [groups G,...]; group NAME [users U,...]. 0 or -1. */
static int ul_syntax(struct sema *s, const struct ast_stmt *st)
{
	int user = !strcmp(st->args[0].text, "user");
	size_t i;

	if (st->nargs < 2) {
		diag_error(s->dc, &st->args[0].loc, "missing-argument",
		           "'%s' expects a name", st->args[0].text);
		return -1;
	}
	if (ul_name(s, &st->args[1], st->args[0].text, st->args[1].text,
	            st->args[1].len) < 0)
		return -1;
	for (i = 2; i < st->nargs; i += 2) {
		const char *o = st->args[i].text;
		int ok = user ? !strcmp(o, "password") ||
		                !strcmp(o, "insecure-password") ||
		                !strcmp(o, "groups") : !strcmp(o, "users");

		if (!ok) {
			diag_error(s->dc, &st->args[i].loc, "invalid-argument",
			           "'%s' expects %s, found '%s'", st->args[0].text,
			           user ? "'password', 'insecure-password' or "
			           "'groups'" : "'users'", o);
			return -1;
		}
		if (i + 1 == st->nargs) {
			diag_warning(s->dc, &st->args[i].loc, "missing-argument",
			             "'%s %s' without a value: HAProxy takes an "
			             "empty one", st->args[0].text, o);
			break;
		}
		if (strstr(o, "password") && (memchr(st->args[i + 1].text, '\n',
		                              st->args[i + 1].len) ||
		                       strlen(st->args[i + 1].text) !=
		                       st->args[i + 1].len)) {
			diag_error(s->dc, &st->args[i + 1].loc, "invalid-argument",
			           "a password with a line end or a NUL byte "
			           "cannot be stored by cfgc");
			return -1;
		}
	}
	return 0;
}

#define UL_MAX 4096

void kw_userlist_section(struct sema *s, const struct ast_section *sec)
{
	static const struct ast_stmt *users[UL_MAX], *groups[UL_MAX];
	const char *ul;
	struct model_userlist *n;
	struct ul_buf b = { 0 };
	size_t nu, ng;
	int bad = 0;

	if (sec->header->nargs < 2)
		return;         /* lint_section says what is missing */
	ul = sec->header->args[1].text;
	for (size_t i = 0; i < s->m->nuserlists; i++)
		if (!strcmp(s->m->userlists[i].name, ul))
			return;  /* xref reports the second one */
	for (const struct ast_stmt *st = sec->stmts; st; st = st->next)
		if ((!strcmp(st->args[0].text, "user") ||
		     !strcmp(st->args[0].text, "group")) && ul_syntax(s, st) < 0)
			bad = 1;
	if (bad)
		return;
	nu = ul_collect(s, sec, "user", users, UL_MAX);
	ng = ul_collect(s, sec, "group", groups, UL_MAX);
	for (size_t i = 0; i < nu; i++) {
		const struct ast_word *g = ul_opt(users[i], "groups");

		if (g && ul_list(s, ul, g, "group", "user", users[i]->args[1].text,
		                 groups, ng, "group") < 0)
			bad = 1;
	}
	for (size_t i = 0; i < ng; i++) {
		const struct ast_word *u = ul_opt(groups[i], "users");

		if (u && ul_list(s, ul, u, "user", "group",
		                 groups[i]->args[1].text, users, nu, "user") < 0)
			bad = 1;
	}
	if (bad)
		return;
	/* NAME<TAB>GROUPS, then one line per user */
	ul_put(&b, ul, strlen(ul));
	ul_put(&b, "\t", 1);
	for (size_t i = 0; i < ng; i++) {
		if (i)
			ul_put(&b, ",", 1);
		ul_put(&b, groups[i]->args[1].text, groups[i]->args[1].len);
	}
	ul_put(&b, "\n", 1);
	for (size_t i = 0; i < nu; i++) {
		const char *un = users[i]->args[1].text;
		const struct ast_word *ins = ul_opt(users[i], "insecure-password");
		const struct ast_word *pw = ul_opt(users[i], "password");
		const struct ast_word *ug = ul_opt(users[i], "groups");
		int first = 1;

		/* HAProxy keeps the last password option given */
		for (size_t k = 2; k < users[i]->nargs; k += 2)
			if (!strcmp(users[i]->args[k].text, "password"))
				ins = NULL;
			else if (!strcmp(users[i]->args[k].text, "insecure-password"))
				pw = NULL;
		ul_put(&b, ins ? "I" : "C", 1);
		ul_put(&b, un, strlen(un));
		ul_put(&b, "\t", 1);
		for (size_t k = 0; k < ng; k++) {
			const char *gn = groups[k]->args[1].text;

			if (!ul_listed(ug, gn) &&
			    !ul_listed(ul_opt(groups[k], "users"), un))
				continue;
			if (!first)
				ul_put(&b, ",", 1);
			ul_put(&b, gn, strlen(gn));
			first = 0;
		}
		ul_put(&b, "\t", 1);
		if (ins || pw)
			ul_put(&b, (ins ? ins : pw)->text, (ins ? ins : pw)->len);
		ul_put(&b, "\n", 1);
	}
	n = realloc(s->m->userlists, (s->m->nuserlists + 1) * sizeof(*n));
	if (b.oom || !n) {
		free(b.p);
		s->oom = 1;
		return;
	}
	s->m->userlists = n;
	n += s->m->nuserlists;
	n->packed = b.p;
	if (!(n->name = sema_strdup(s, ul))) {
		free(b.p);
		return;
	}
	s->m->nuserlists++;
}

int kw_userlist_pack(struct sema *s, const struct ast_word *w, char **sarg)
{
	char *t;

	for (size_t i = 0; i < s->m->nuserlists; i++) {
		if (strcmp(s->m->userlists[i].name, *sarg))
			continue;
		if (!(t = strdup(s->m->userlists[i].packed))) {
			s->oom = 1;
			return -1;
		}
		free(*sarg);
		*sarg = t;
		return 0;
	}
	/* Not packed: the section is missing (the cross-reference pass
	 * names it, for every sample word) or invalid (reported). */
	(void)w;
	return s->target == SEMA_TARGET_HAPROXY ? 0 : -1;
}

int kw_userlist_group(struct sema *s, const char *sarg,
                      const struct ast_word *w)
{
	const char *name, *groups;
	size_t nl, gl;

	if (!strchr(sarg, '\n'))
		return 0;       /* not packed: the linter's target */
	plan_userlist_head(sarg, strlen(sarg), &name, &nl, &groups, &gl);
	if (plan_userlist_in(groups, gl, w->text, strlen(w->text)))
		return 0;
	diag_error(s->dc, &w->loc, "unknown-group",
	           "http_auth_group(): userlist '%.*s' has no group '%s'",
	           (int)nl, name, w->text);
	return -1;
}
