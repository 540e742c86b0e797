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
struct model_server *model_proxy_add_server(struct model_proxy *px);
struct model_acl *model_proxy_add_acl(struct model_proxy *px);
/* A new zeroed pattern; its text slot (a->texts) is NULL. */
struct plan_pattern *model_acl_add_pattern(struct model_acl *a);
struct model_http_rule *model_proxy_add_http_rule(struct model_proxy *px);
struct model_lf *model_http_rule_add_lf(struct model_http_rule *r);
struct model_track *model_proxy_add_track(struct model_proxy *px);
/* A tcp-request connection rule (`conn` 1), a use_backend rule (0) or a
 * stick persistence rule (MODEL_RULES_STICK). */
#define MODEL_RULES_STICK 2
struct model_rule *model_proxy_add_rule(struct model_proxy *px, int conn);

/* Drop every tcp-check rule of `s`. */
void model_checks_clear(struct model_settings *s);
/* Append a zeroed rule / log target / stats socket, NULL when out of
 * memory. */
struct model_check_rule *model_add_check(struct model_settings *s);
struct model_log *model_add_log(struct model_log **logs, size_t *n,
                                size_t *cap);
struct model_stats *model_add_stats(struct model *m);
struct model_precond *model_add_precond(struct model *m);

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

#endif /* HAPC_MODEL_H */
