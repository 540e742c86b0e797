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

#endif /* HAPC_EMIT_H */
