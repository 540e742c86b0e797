/*
 * plan_userlist.h: the userlist text an HTTP_AUTH / HTTP_AUTH_GROUP ACL
 * line carries in its sarg (PLAN_USERLIST_FORMAT in plan-t.h): its shape
 * checked (verifier), its users walked (cfgrun, `cfgc --dump`).
 */
#ifndef HAPC_PLAN_USERLIST_H
#define HAPC_PLAN_USERLIST_H

#include <stddef.h>

/* One user line. */
struct plan_ul_user {
	const char *name;  size_t name_len;
	const char *groups; size_t groups_len;  /* comma-separated */
	const char *pass;  size_t pass_len;
	char kind;                               /* 'I' clear, 'C' crypt(3) */
};

/* 0 when s[0..len) has the packed shape, else -1 with a short reason. */
int plan_userlist_check(const char *s, size_t len, const char **why);

/* The header line: the userlist's name and its declared groups. */
void plan_userlist_head(const char *s, size_t len, const char **name,
                        size_t *name_len, const char **groups,
                        size_t *groups_len);

/* Walk the users: *pos starts at 0; 1 with *u filled, 0 at the end. The
 * text must have passed plan_userlist_check(). */
int plan_userlist_next(const char *s, size_t len, size_t *pos,
                       struct plan_ul_user *u);

/* 1 when group g[0..gl) is in the comma-separated list l[0..ll). */
int plan_userlist_in(const char *l, size_t ll, const char *g, size_t gl);

#endif /* HAPC_PLAN_USERLIST_H */
