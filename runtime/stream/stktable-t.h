/*
 * stktable-t.h: types of the stick tables at run time (stktable.c).
 *
 * A table is the memory a plan's TABLE record asks for: a hash of
 * entries, each with its key and the data types the table stores, in a
 * list from least to most recently touched (expiry and eviction take
 * from its head). One mutex per table guards all of it; a stream keeps
 * pointers to the entries it tracks (struct stk_ctrs), each counted in
 * the entry's `ref` so that it is never freed under it.
 */
#ifndef HAPC_STKTABLE_T_H
#define HAPC_STKTABLE_T_H

#include <pthread.h>
#include <stdint.h>

#include "plan-t.h"

struct stk_table;
struct stk_entry;

/* One stick counter of a stream: what it tracks. */
struct stk_ctr {
	struct stk_table *t;        /* NULL: not tracking */
	struct stk_entry *e;        /* the entry, ref counted */
	uint8_t req;                /* 1: tracked by a request rule: let go
	                               when the request ends */
	uint8_t pad[7];
};

/* A stream's (or an accept's) three counters, sc0..sc2. */
struct stk_ctrs {
	struct stk_ctr c[3];
};

/* Entries a backend's stick store rules (store-request, on) chose for a
 * request, held (ref counted) until its server is known: that server's
 * id goes into each (stk_stores_commit()). One per table, at most
 * STK_STORES_MAX tables. */
#define STK_STORES_MAX 4
struct stk_stores {
	struct {
		struct stk_table *t;
		struct stk_entry *e;
	} s[STK_STORES_MAX];
	uint32_t n;
	uint32_t pad;
};

/* A sliding-window event counter over `period` ms (HAProxy's freq_ctr):
 * events of the current period, of the previous one, and when the
 * current one started. The rate read is curr + prev scaled by the part
 * of the previous period still inside the window. */
struct stk_freq {
	uint32_t tick;              /* ms clock at the current period's start */
	uint32_t curr;              /* events since tick */
	uint32_t prev;              /* events in the period before */
	uint32_t pad;
};

#endif /* HAPC_STKTABLE_T_H */
