/*
 * emit.h: the code generator, typed model -> plan bytes.
 */
#ifndef HAPC_EMIT_H
#define HAPC_EMIT_H

#include <stddef.h>
#include <stdint.h>
#include "model-t.h"

/*
 * Lay `m` out as a plan: global record, proxies in source order, their
 * listeners and servers grouped per proxy, strings in the blob. Takes the
 * model read-only and finds no errors of its own: it fails only when memory
 * runs out or a format limit is exceeded (returns -1). On success *buf is a
 * malloc'd image of *len bytes owned by the caller. Same model, same bytes.
 */
int emit_plan(const struct model *m, uint8_t **buf, size_t *len);

struct plan_builder;

/* emit-dns.c: the model's resolvers sections with their nameservers
 * (call once, in model order); the SRV_RESOLVE record of server `sv`,
 * plan index `server`, when it names resolvers and has a host name (call
 * in server order). 0, or -1 when out of memory. */
int emit_resolvers(struct plan_builder *b, const struct model *m);
int emit_srv_resolve(struct plan_builder *b, const struct model *m,
                     const struct model_server *sv, uint32_t server);

#endif /* HAPC_EMIT_H */
