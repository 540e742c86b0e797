/*
 * model.h: owning and growing the typed model.
 */
#ifndef HAPC_MODEL_H
#define HAPC_MODEL_H

#include "model-t.h"

void model_init(struct model *m);
void model_free(struct model *m);

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

/* Index of the proxy named `name` with any of the capabilities `cap`
 * (the first declared), or PLAN_NONE. */
uint32_t model_find_proxy(const struct model *m, const char *name,
                          uint32_t cap);

#endif /* HAPC_MODEL_H */
