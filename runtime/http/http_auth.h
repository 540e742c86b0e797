/*
 * http_auth.h: Basic credentials of a request checked against a packed
 * userlist (PLAN_USERLIST_FORMAT): the http_auth and http_auth_group
 * fetches.
 */
#ifndef HAPC_HTTP_AUTH_H
#define HAPC_HTTP_AUTH_H

#include <stddef.h>

#include "plan_userlist.h"

/*
 * The Authorization value hv[0..hl) read as "Basic base64(user:pass)":
 * 1 with *u the userlist's entry when the user is in ul[0..ull) and the
 * password matches it (insecure-password: the same bytes; password:
 * crypt(3) of the password given with the stored hash as its setting
 * gives the stored hash again), else 0.
 */
int http_auth_check(const char *ul, size_t ull, const char *hv, size_t hl,
                    struct plan_ul_user *u);

#endif /* HAPC_HTTP_AUTH_H */
