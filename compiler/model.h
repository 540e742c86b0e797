/*
 * model.h: owning and growing the typed model.
 */
#ifndef HAPC_MODEL_H
#define HAPC_MODEL_H

#include "model-t.h"

void model_init(struct model *m);
void model_free(struct model *m);

/* HAProxy's settings before any statement: retries 3, random draws 2,
 * servers of weight 1 checked every 2 s, rise 2, fall 3. */
void model_settings_init(struct model_settings *s);

/* Copy settings (duplicating owned strings) into a zeroed or freed `dst`.
 * Returns 0, or -1 when out of memory. */
int model_settings_copy(struct model_settings *dst,
                        const struct model_settings *src);
void model_settings_free(struct model_settings *s);

/* Append a zeroed element and return it, or NULL when out of memory. */
struct model_proxy *model_add_proxy(struct model *m);
struct model_defaults *model_add_defaults(struct model *m);
struct model_listener *model_proxy_add_listener(struct model_proxy *px);
/* A new zeroed TLS bind record of m / certificate of t, or NULL. */
struct model_tls_bind *model_add_tls_bind(struct model *m);
struct model_tls_cert *model_tls_add_cert(struct model_tls_bind *t);
/* 1 when a certificate's private key is in m (the plan is private). */
int model_has_keys(const struct model *m);
/* Free what t owns (keys are wiped first) and zero it. */
void model_tls_bind_free(struct model_tls_bind *t);
struct model_server *model_proxy_add_server(struct model_proxy *px);
struct model_acl *model_proxy_add_acl(struct model_proxy *px);
/* A new zeroed pattern; its text slot (a->texts) is NULL. */
struct plan_pattern *model_acl_add_pattern(struct model_acl *a);
struct model_http_rule *model_proxy_add_http_rule(struct model_proxy *px);
struct model_lf *model_http_rule_add_lf(struct model_http_rule *r);
struct model_track *model_proxy_add_track(struct model_proxy *px);
/* A tcp-request connection rule (`conn`) or a use_backend rule. */
struct model_rule *model_proxy_add_rule(struct model_proxy *px, int conn);

/* A new zeroed rule of set `set` (enum plan_tcp_set) of px; NULL
 * without memory. */
struct model_rule *model_proxy_add_tcp_rule(struct model_proxy *px,
                                            uint32_t set);

/* Drop every tcp-check rule of `s`. */
void model_checks_clear(struct model_settings *s);
/* Append a zeroed rule / log target / stats socket, NULL when out of
 * memory. */
struct model_check_rule *model_add_check(struct model_settings *s);
struct model_log *model_add_log(struct model_log **logs, size_t *n,
                                size_t *cap);
struct model_stats *model_add_stats(struct model *m);
struct model_precond *model_add_precond(struct model *m);
struct model_tls_file *model_add_tls_file(struct model *m);
/* A copy of `text` that lives as long as `m` (the same pointer for the
 * same text), or NULL when out of memory. */
const char *model_intern(struct model *m, const char *text);

/* Index of the proxy named `name` with any of the capabilities `cap`
 * (the first declared), or PLAN_NONE. */
uint32_t model_find_proxy(const struct model *m, const char *name,
                          uint32_t cap);

/* Free / deep-copy error pages (copy: 0, or -1 out of memory). */
void model_errpages_free(struct model_errpages *p);
int model_errpages_copy(struct model_errpages *dst,
                        const struct model_errpages *src);
/* Set page i to a copy of body[0..len) read from `path`. 0 or -1. */
int model_errpage_set(struct model_errpages *p, int i, const char *body,
                      size_t len, const char *path);

/* A new converter of ACL line a (set = SIZE_MAX), a new pattern set of
 * m, zeroed; NULL when memory runs out. */
struct model_conv *model_acl_add_conv(struct model_acl *a);
struct model_patset *model_add_patset(struct model *m);

/* Append key pattern pt with its texts (owned from now on, even when it
 * fails) to ps. 0, or -1 when memory runs out. */
int model_patset_add(struct model_patset *ps, const struct plan_pattern *pt,
                     char *key, char *value);

/* The index of variable `name` ("txn.x"), made when new: -1 past
 * PLAN_MAX_VARS names, -2 when memory runs out. */
int64_t model_var_index(struct model *m, const char *name);

#endif /* HAPC_MODEL_H */
