/*
 * pool.h: get and put fixed-size objects (see pool-t.h).
 */
#ifndef HAPC_POOL_H
#define HAPC_POOL_H

#include "pool-t.h"

/* Prepare an empty pool of `size`-byte objects keeping at most `max_free`. */
void pool_init(struct pool *p, size_t size, uint32_t max_free);

/* An object of p->size bytes (contents undefined), or NULL when out of
 * memory. */
void *pool_get(struct pool *p);

/* Give back an object from pool_get() of the same pool; NULL is ignored. */
void pool_put(struct pool *p, void *obj);

/* Free every object on the free list (objects in use are the caller's). */
void pool_drain(struct pool *p);

#endif /* HAPC_POOL_H */
