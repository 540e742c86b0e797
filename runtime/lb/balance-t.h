/*
 * balance-t.h: a backend's balancing state.
 *
 * The balancer never looks at servers that cannot take traffic: each
 * backend keeps the set of servers in use now (its "pool": the usable
 * active servers, or when there is none the usable backups, all of them
 * with `option allbackups`, else the first one), rebuilt only when a
 * server's state or weight changes. Picking a server then costs O(pool)
 * at worst (roundrobin, leastconn, first), O(1) (static-rr, map-based
 * hashing, random) or O(log points) (consistent hashing).
 */
#ifndef HAPC_BALANCE_T_H
#define HAPC_BALANCE_T_H

#include <stdint.h>

#define LB_CHASH_POINTS 16u         /* ring points per unit of weight */

/* One point of the consistent-hash ring. */
struct lb_point {
	uint32_t hash;              /* position on the ring */
	uint32_t srv;               /* plan server index */
};

struct lb_backend {
	uint32_t *pool;             /* plan server indices in use, plan order */
	uint32_t npool;             /* entries of pool */
	uint32_t nact;              /* usable active servers */
	uint32_t nbck;              /* usable backup servers */
	uint32_t *map;              /* pool servers, each `weight` times,
	                               interleaved (static-rr, random draws) */
	uint32_t nmap;              /* entries of map = sum of pool weights */
	uint32_t map_pos;           /* static-rr: next map entry */
	uint32_t lc_next;           /* leastconn: pool index where ties start */
	struct lb_point *ring;      /* consistent hashing: HAProxy's points,
	                               sorted by hash */
	uint32_t nring;             /* entries of ring */
	uint32_t nhmap;             /* entries of hmap */
	uint32_t *hmap;             /* map-based hashing: HAProxy's own map
	                               (weights divided by their gcd, its
	                               order), so that hash % nhmap picks the
	                               server HAProxy picks */
	uint64_t rng;               /* xorshift64* state, never 0 */
};

#endif /* HAPC_BALANCE_T_H */
