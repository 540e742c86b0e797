/*
 * dump-userlist.c: the userlist sections the http_auth and
 * http_auth_group ACL lines carry (PLAN_USERLIST_FORMAT), printed back
 * once each, after the proxies. A userlist no ACL names is not in the
 * plan and is not printed.
 */
#include <stdio.h>
#include <string.h>

#include "dump.h"
#include "plan.h"
#include "plan_userlist.h"

static int ul_is_auth(const struct plan_acl *a)
{
	return a->fetch == PLAN_FETCH_HTTP_AUTH ||
	       a->fetch == PLAN_FETCH_HTTP_AUTH_GROUP;
}

/* 1 when an ACL line before `i` carries the userlist name n[0..nl). */
static int ul_seen(const struct plan *p, uint32_t i, const char *n, size_t nl)
{
	for (uint32_t k = 0; k < i; k++) {
		const struct plan_acl *a = &p->acls[k];
		const char *o = plan_str_get(p, a->sarg);
		size_t ol = strcspn(o, "\t\n");

		if (ul_is_auth(a) && ol == nl && !memcmp(o, n, nl))
			return 1;
	}
	return 0;
}

/* A comma-separated list, word by word as one word. */
static void ul_list(FILE *out, const char *kw, const char *l, size_t ll)
{
	if (!ll)
		return;
	fprintf(out, " %s ", kw);
	dump_word(out, l, ll);
}

void dump_userlists(const struct plan *p, FILE *out)
{
	for (uint32_t i = 0; i < p->nacls; i++) {
		const struct plan_acl *a = &p->acls[i];
		const char *s = plan_str_get(p, a->sarg), *name, *groups;
		size_t len = a->sarg.len, nl, gl, pos = 0, g = 0;
		struct plan_ul_user u;

		if (!ul_is_auth(a))
			continue;
		plan_userlist_head(s, len, &name, &nl, &groups, &gl);
		if (ul_seen(p, i, name, nl))
			continue;
		fputs("\nuserlist ", out);
		dump_word(out, name, nl);
		fputc('\n', out);
		while (g < gl) {
			const char *c = memchr(groups + g, ',', gl - g);
			size_t e = c ? (size_t)(c - groups) : gl;

			fputs("    group ", out);
			dump_word(out, groups + g, e - g);
			fputc('\n', out);
			g = e + 1;
		}
		while (plan_userlist_next(s, len, &pos, &u)) {
			fputs("    user ", out);
			dump_word(out, u.name, u.name_len);
			if (u.kind == 'I' || u.pass_len) {
				fputs(u.kind == 'I' ? " insecure-password " :
				      " password ", out);
				dump_word(out, u.pass, u.pass_len);
			}
			ul_list(out, "groups", u.groups, u.groups_len);
			fputc('\n', out);
		}
	}
}
