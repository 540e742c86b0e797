/*
 * plan_userlist.c: the packed userlist of HTTP_AUTH ACL lines
 * (plan_userlist.h).
 */
#include <string.h>

#include "plan_userlist.h"

/* A name: non-empty, without TAB, ',' or NUL (the line end is cut off). */
static int ul_name_ok(const char *s, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\t' || s[i] == ',' || s[i] == '\0')
			return 0;
	return 1;
}

/* A comma-separated list of names, maybe empty; each in `decl` (the
 * declared groups) when decl is given, none twice. */
static int ul_list_ok(const char *s, size_t n, const char *decl, size_t dl)
{
	size_t i = 0;

	if (!n)
		return 1;
	while (i <= n) {
		const char *c = memchr(s + i, ',', n - i);
		size_t e = c ? (size_t)(c - s) : n;

		if (!ul_name_ok(s + i, e - i) ||
		    plan_userlist_in(s, i ? i - 1 : 0, s + i, e - i) ||
		    (decl && !plan_userlist_in(decl, dl, s + i, e - i)))
			return 0;
		i = e + 1;
	}
	return 1;
}

int plan_userlist_in(const char *l, size_t ll, const char *g, size_t gl)
{
	size_t i = 0;

	while (i < ll) {
		const char *c = memchr(l + i, ',', ll - i);
		size_t e = c ? (size_t)(c - l) : ll;

		if (e - i == gl && !memcmp(l + i, g, gl))
			return 1;
		i = e + 1;
	}
	return 0;
}

void plan_userlist_head(const char *s, size_t len, const char **name,
                        size_t *name_len, const char **groups,
                        size_t *groups_len)
{
	const char *nl = memchr(s, '\n', len);
	size_t hl = nl ? (size_t)(nl - s) : len;
	const char *tab = memchr(s, '\t', hl);

	*name = s;
	*name_len = tab ? (size_t)(tab - s) : hl;
	*groups = tab ? tab + 1 : s + hl;
	*groups_len = tab ? hl - (size_t)(tab + 1 - s) : 0;
}

/* The user line at s[pos..) without its '\n': fields split, or -1. */
static int ul_line(const char *s, size_t len, size_t pos, size_t *end,
                   struct plan_ul_user *u)
{
	const char *nl = memchr(s + pos, '\n', len - pos);
	const char *l = s + pos, *t1, *t2;
	size_t ll;

	if (!nl)
		return -1;
	ll = (size_t)(nl - l);
	*end = (size_t)(nl - s) + 1;
	if (ll < 1 || (l[0] != 'I' && l[0] != 'C'))
		return -1;
	if (!(t1 = memchr(l + 1, '\t', ll - 1)) ||
	    !(t2 = memchr(t1 + 1, '\t', (size_t)(nl - t1 - 1))))
		return -1;
	u->kind = l[0];
	u->name = l + 1;
	u->name_len = (size_t)(t1 - l - 1);
	u->groups = t1 + 1;
	u->groups_len = (size_t)(t2 - t1 - 1);
	u->pass = t2 + 1;
	u->pass_len = (size_t)(nl - t2 - 1);
	return 0;
}

int plan_userlist_check(const char *s, size_t len, const char **why)
{
	const char *name, *groups, *nl = memchr(s, '\n', len);
	size_t nlen, glen, pos;

	if (!nl) {
		*why = "no header line";
		return -1;
	}
	if (memchr(s, '\0', len)) {
		*why = "a NUL byte";
		return -1;
	}
	plan_userlist_head(s, len, &name, &nlen, &groups, &glen);
	if (!ul_name_ok(name, nlen) || !ul_list_ok(groups, glen, NULL, 0)) {
		*why = "a bad name or group list in the header";
		return -1;
	}
	for (pos = (size_t)(nl - s) + 1; pos < len;) {
		struct plan_ul_user u;
		size_t end, p2 = (size_t)(nl - s) + 1;

		if (ul_line(s, len, pos, &end, &u) < 0 ||
		    !ul_name_ok(u.name, u.name_len) ||
		    !ul_list_ok(u.groups, u.groups_len, groups, glen)) {
			*why = "a malformed user line";
			return -1;
		}
		while (p2 < pos) {     /* names once */
			struct plan_ul_user o;
			size_t e2;

			(void)ul_line(s, len, p2, &e2, &o);
			if (o.name_len == u.name_len &&
			    !memcmp(o.name, u.name, u.name_len)) {
				*why = "a user given twice";
				return -1;
			}
			p2 = e2;
		}
		pos = end;
	}
	return 0;
}

int plan_userlist_next(const char *s, size_t len, size_t *pos,
                       struct plan_ul_user *u)
{
	size_t end;

	if (!*pos) {
		const char *nl = memchr(s, '\n', len);

		if (!nl)
			return 0;
		*pos = (size_t)(nl - s) + 1;
	}
	if (*pos >= len || ul_line(s, len, *pos, &end, u) < 0)
		return 0;
	*pos = end;
	return 1;
}
