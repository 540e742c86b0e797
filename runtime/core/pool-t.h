/*
 * pool-t.h: free lists of fixed-size objects.
 *
 * Streams and their buffers come from pools so that a busy proxy allocates
 * only while the number of live connections grows; a closed stream's memory
 * goes back on the list for the next one.
 */
#ifndef HAPC_POOL_T_H
#define HAPC_POOL_T_H

#include <stddef.h>
#include <stdint.h>

struct pool_item {
	struct pool_item *next;     /* next free object */
};

struct pool {
	size_t size;                /* bytes per object (>= sizeof(pool_item)) */
	struct pool_item *free;     /* free objects, LIFO (cache warm) */
	uint32_t nfree;             /* objects on the free list */
	uint32_t max_free;          /* objects kept at most; beyond: free() */
	uint32_t used;              /* objects handed out and not returned */
};

#endif /* HAPC_POOL_T_H */
