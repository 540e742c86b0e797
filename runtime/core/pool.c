/*
 * pool.c: free lists of fixed-size objects.
 */
#include "config.h"

#include <stdlib.h>

#include "pool.h"

void pool_init(struct pool *p, size_t size, uint32_t max_free)
{
	if (size < sizeof(struct pool_item))
		size = sizeof(struct pool_item);
	p->size = size;
	p->free = NULL;
	p->nfree = 0;
	p->max_free = max_free;
	p->used = 0;
}

void *pool_get(struct pool *p)
{
	struct pool_item *it = p->free;

	if (it) {
		p->free = it->next;
		p->nfree--;
	} else {
		it = malloc(p->size);
		if (!it)
			return NULL;
	}
	p->used++;
	return it;
}

void pool_put(struct pool *p, void *obj)
{
	struct pool_item *it = obj;

	if (!obj)
		return;
	p->used--;
	if (p->nfree >= p->max_free) {
		free(obj);
		return;
	}
	it->next = p->free;
	p->free = it;
	p->nfree++;
}

void pool_drain(struct pool *p)
{
	while (p->free) {
		struct pool_item *it = p->free;

		p->free = it->next;
		free(it);
	}
	p->nfree = 0;
}
