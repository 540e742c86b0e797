/*
 * balance.c: HAProxy's balancing algorithms over a backend's usable pool.
 *
 * roundrobin  smooth weighted round robin: each pick adds every candidate's
 *             weight to its credit, takes the richest and charges it the
 *             total; equal weights give plain turns in declaration order,
 *             unequal ones are interleaved, weights may change at run time.
 * static-rr   a cursor over the weighted, interleaved map (O(1)).
 * leastconn   fewest connections per unit of weight; ties go round robin
 *             (the scan starts after the previous winner).
 * first       the first server in declaration order below its maxconn.
 * source      a hash of the client's IP, HAProxy's (its 32-bit words
 *             xor'ed, mixed with `avalanche`): map-based (modulo over
 *             HAProxy's map) or consistent (HAProxy's ring, so that
 *             removing a server only moves the clients it had).
 * random      `draws` weighted random picks, the least loaded wins.
 * uri, url_param, hdr
 *             a hash of a part of the HTTP request (http_balance.c makes
 *             it), over the same map or ring; without a key, round robin.
 * With the same servers and weights, every hashing algorithm picks the
 * server HAProxy picks.
 */
#include "config.h"
#include "server.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "balance.h"
#include "dynsrv.h"
#include "hash.h"
#include "log.h"
#include "plan.h"

/* ---- helpers ------------------------------------------------------------ */

int balance_srv_usable(const struct runtime *rt, uint32_t srv)
{
	const struct rt_server *rs = &rt->servers[srv];

	return rs->op == RT_SRV_UP && rs->admin == RT_ADMIN_READY &&
	       rs->weight > 0 &&
	       server_has_addr(rt, srv);
}

int balance_srv_in_pool(const struct runtime *rt, uint32_t srv)
{
	const struct plan_server *ps = &rt->plan->servers[srv];
	const struct lb_backend *lb = rt->proxies[ps->proxy].lb;

	if (!lb || !balance_srv_usable(rt, srv))
		return 0;
	if (!(ps->flags & PLAN_SRV_F_BACKUP))
		return 1;
	return lb->nact == 0 && lb->npool > 0 &&
	       ((rt->plan->proxies[ps->proxy].flags & PLAN_PX_F_ALLBACKUPS) ||
	        lb->pool[0] == srv);
}

uint32_t balance_srv_maxconn(const struct runtime *rt, uint32_t srv)
{
	const struct plan_server *ps = &rt->plan->servers[srv];
	uint32_t be = ps->proxy, full = rt->proxies[be].fullconn;
	uint32_t maxconn = rt->servers[srv].maxconn;
	uint64_t max;

	if (!ps->minconn || !maxconn || rt->proxies[be].beconn >= full)
		return maxconn;
	if (ps->minconn >= maxconn)
		return maxconn;     /* `set maxconn server` went below minconn */
	max = (uint64_t)rt->proxies[be].beconn * maxconn / full;
	if (max < ps->minconn)
		max = ps->minconn;
	return max ? (uint32_t)max : 1;
}

/* 1 when server `srv` has reached its (dynamic) maxconn. */
static int balance_full(const struct runtime *rt, uint32_t srv)
{
	uint32_t max = balance_srv_maxconn(rt, srv);

	return max && rt->servers[srv].cur_conn >= max;
}

/* 1 when server a carries less load per weight than b (cur_conn/weight). */
static int balance_less_loaded(const struct runtime *rt, uint32_t a, uint32_t b)
{
	const struct rt_server *ra = &rt->servers[a], *rb = &rt->servers[b];

	return (uint64_t)ra->cur_conn * rb->weight <
	       (uint64_t)rb->cur_conn * ra->weight;
}

/* Murmur3's finaliser: every input bit moves every output bit. */
static uint32_t balance_mix32(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

/* xorshift64*: a fast generator, good enough to spread draws. */
static uint32_t balance_rand(struct lb_backend *lb)
{
	uint64_t x = lb->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	lb->rng = x;
	return (uint32_t)((x * 0x2545F4914F6CDD1DULL) >> 32);
}

int balance_is_hash(uint32_t algo)
{
	return algo == PLAN_BALANCE_SOURCE || balance_is_l7(algo);
}

int balance_is_l7(uint32_t algo)
{
	return algo == PLAN_BALANCE_URI || algo == PLAN_BALANCE_URL_PARAM ||
	       algo == PLAN_BALANCE_HDR || algo == PLAN_BALANCE_HASH;
}

int balance_is_static(const struct runtime *rt, uint32_t be)
{
	const struct plan_proxy *pp = &rt->plan->proxies[be];

	return pp->balance == PLAN_BALANCE_STATIC_RR ||
	       (balance_is_hash(pp->balance) &&
	        pp->hash_type == PLAN_HASH_MAP_BASED);
}

/* ---- pool, map and ring ------------------------------------------------- */

/* One slot of the map while it is being ordered: the k-th of w turns of a
 * server sits at (2k+1)/(2w) of the cycle. */
struct lb_slot {
	uint32_t num, den;          /* position num/den in [0, 1) */
	uint32_t ord;               /* pool index: breaks ties */
	uint32_t srv;
};

static int balance_slot_cmp(const void *a, const void *b)
{
	const struct lb_slot *x = a, *y = b;
	uint64_t l = (uint64_t)x->num * y->den, r = (uint64_t)y->num * x->den;

	if (l != r)
		return l < r ? -1 : 1;
	return x->ord < y->ord ? -1 : x->ord > y->ord;
}

static int balance_point_cmp(const void *a, const void *b)
{
	const struct lb_point *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->srv < y->srv ? -1 : x->srv > y->srv;
}

/* The interleaved weighted map of the pool, in `*out` (malloc'd). */
static int balance_build_map(const struct runtime *rt,
                             const struct lb_backend *lb, uint32_t **out,
                             uint32_t *nout)
{
	uint64_t total = 0;
	struct lb_slot *slots;
	uint32_t *map, n = 0;

	for (uint32_t i = 0; i < lb->npool; i++)
		total += rt->servers[lb->pool[i]].weight;
	slots = malloc((total ? total : 1) * sizeof(*slots));
	map = malloc((total ? total : 1) * sizeof(*map));
	if (!slots || !map) {
		free(slots);
		free(map);
		return -1;
	}
	for (uint32_t i = 0; i < lb->npool; i++) {
		uint32_t w = rt->servers[lb->pool[i]].weight;

		for (uint32_t k = 0; k < w; k++)
			slots[n++] = (struct lb_slot){ 2 * k + 1, 2 * w, i,
			                               lb->pool[i] };
	}
	qsort(slots, n, sizeof(*slots), balance_slot_cmp);
	for (uint32_t i = 0; i < n; i++)
		map[i] = slots[i].srv;
	free(slots);
	*out = map;
	*nout = n;
	return 0;
}

/*
 * HAProxy's map of the pool (its lb_map.c), in `*out` (malloc'd): every
 * weight is divided by the gcd of the backend's configured weights, then
 * each slot goes to the server whose accumulated score is highest, the
 * earlier one on ties. The same servers and weights give HAProxy's map,
 * so a hash picks the server HAProxy picks.
 */
static int balance_build_hmap(const struct runtime *rt,
                              const struct lb_backend *lb, uint32_t be,
                              uint32_t **out, uint32_t *nout)
{
	const struct plan_proxy *pp = &rt->plan->proxies[be];
	uint32_t gcd = 0, tot = 0, *map, *ew;
	int64_t *score;

	for (uint32_t k = 0; k < pp->nservers; k++) {
		uint32_t w = rt->plan->servers[pp->first_server + k].weight;

		while (w) {
			uint32_t t = gcd % w;

			gcd = w;
			w = t;
		}
	}
	if (!gcd)
		gcd = 1;
	ew = malloc((lb->npool ? lb->npool : 1) * sizeof(*ew));
	score = calloc(lb->npool ? lb->npool : 1, sizeof(*score));
	for (uint32_t k = 0; ew && k < lb->npool; k++) {
		ew[k] = (rt->servers[lb->pool[k]].weight + gcd - 1) / gcd;
		tot += ew[k];
	}
	map = malloc((tot ? tot : 1) * sizeof(*map));
	if (!ew || !score || !map) {
		free(ew);
		free(score);
		free(map);
		return -1;
	}
	for (uint32_t o = 0; o < tot; o++) {
		uint32_t best = 0;
		int64_t max = 0;

		for (uint32_t k = 0; k < lb->npool; k++) {
			int64_t v;

			if (tot == 1) {
				best = k;
				break;
			}
			score[k] += ew[k];
			v = (score[k] + tot) / tot;
			if (k == 0 || v > max) {
				max = v;
				best = k;
			}
		}
		map[o] = lb->pool[best];
		score[best] -= tot;
	}
	free(ew);
	free(score);
	*out = map;
	*nout = tot;
	return 0;
}

/*
 * HAProxy's ring for consistent hashing (its lb_chash.c),
 * in `*out` (malloc'd): a server of weight w has 16 * w points, the k-th
 * at avalanche(puid * 4096 + k), where puid is HAProxy's automatic server
 * id, the server's position in its backend from 1 (cfgc compiles no
 * `id`). The same servers and weights then give HAProxy's ring.
 */
static int balance_build_hring(const struct runtime *rt,
                               const struct lb_backend *lb, uint32_t be,
                               struct lb_point **out, uint32_t *nout)
{
	uint32_t first = rt->plan->proxies[be].first_server, n = 0;
	uint64_t total = 0;
	struct lb_point *ring;

	for (uint32_t i = 0; i < lb->npool; i++)
		total += (uint64_t)rt->servers[lb->pool[i]].weight * LB_CHASH_POINTS;
	ring = malloc((total ? total : 1) * sizeof(*ring));
	if (!ring)
		return -1;
	for (uint32_t i = 0; i < lb->npool; i++) {
		uint32_t srv = lb->pool[i], puid = srv - first + 1;
		uint32_t np = rt->servers[srv].weight * LB_CHASH_POINTS;

		for (uint32_t k = 0; k < np; k++)
			ring[n++] = (struct lb_point){
				hash_avalanche(puid * 4096u + k), srv };
	}
	qsort(ring, n, sizeof(*ring), balance_point_cmp);
	*out = ring;
	*nout = n;
	return 0;
}

int balance_update(struct runtime *rt, uint32_t be)
{
	const struct plan_proxy *pp = &rt->plan->proxies[be];
	struct lb_backend *lb = rt->proxies[be].lb;
	struct lb_backend next;
	uint32_t room;

	if (!lb)
		return 0;
	next = *lb;
	next.npool = next.nact = next.nbck = next.nmap = next.nring = 0;
	next.map = NULL;
	next.ring = NULL;
	next.hmap = NULL;
	next.nhmap = 0;
	room = be_srv_room(rt, be);
	next.pool = malloc((room ? room : 1) * sizeof(*next.pool));
	if (!next.pool)
		goto oom;
	for (uint32_t i = be_srv_first(rt, be); i != PLAN_NONE;
	     i = be_srv_next(rt, be, i)) {
		if (!balance_srv_usable(rt, i))
			continue;
		if (rt->plan->servers[i].flags & PLAN_SRV_F_BACKUP) {
			next.nbck++;
		} else {
			next.pool[next.npool++] = i;
			next.nact++;
		}
	}
	/* No active server: the backups step in, all or only the first. */
	for (uint32_t i = next.nact ? PLAN_NONE : be_srv_first(rt, be);
	     i != PLAN_NONE; i = be_srv_next(rt, be, i)) {
		if (!balance_srv_usable(rt, i) ||
		    !(rt->plan->servers[i].flags & PLAN_SRV_F_BACKUP))
			continue;
		next.pool[next.npool++] = i;
		if (!(pp->flags & PLAN_PX_F_ALLBACKUPS))
			break;
	}
	if (balance_build_map(rt, &next, &next.map, &next.nmap) < 0)
		goto oom;
	if (balance_is_hash(pp->balance) &&
	    pp->hash_type == PLAN_HASH_CONSISTENT &&
	    balance_build_hring(rt, &next, be, &next.ring, &next.nring) < 0)
		goto oom;
	if (balance_is_hash(pp->balance) &&
	    pp->hash_type == PLAN_HASH_MAP_BASED &&
	    balance_build_hmap(rt, &next, be, &next.hmap, &next.nhmap) < 0)
		goto oom;
	free(lb->pool);
	free(lb->map);
	free(lb->ring);
	free(lb->hmap);
	next.map_pos = 0;
	next.lc_next = 0;
	*lb = next;
	/* A fresh start for the round robin credits of the new pool. */
	for (uint32_t i = 0; i < lb->npool; i++)
		rt->servers[lb->pool[i]].cur_weight = 0;
	return 0;
oom:
	free(next.pool);
	free(next.map);
	free(next.ring);
	free(next.hmap);
	log_error("out of memory rebuilding the servers of backend '%s'",
	          plan_str_get(rt->plan, pp->name));
	return -1;
}

int balance_init(struct runtime *rt, uint64_t seed)
{
	if (!seed)
		seed = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid();
	for (uint32_t be = 0; be < rt->plan->nproxies; be++) {
		struct lb_backend *lb;

		if (!(rt->plan->proxies[be].cap & PLAN_CAP_BE))
			continue;
		lb = calloc(1, sizeof(*lb));
		if (!lb) {
			log_error("out of memory for the balancing state");
			return -1;
		}
		lb->rng = balance_mix32((uint32_t)seed ^ be) |
		          (uint64_t)balance_mix32((uint32_t)(seed >> 32) + be) << 32;
		if (!lb->rng)
			lb->rng = 1;
		rt->proxies[be].lb = lb;
		if (balance_update(rt, be) < 0)
			return -1;
	}
	return 0;
}

void balance_free(struct runtime *rt)
{
	if (!rt->proxies)
		return;
	for (uint32_t be = 0; be < rt->plan->nproxies; be++) {
		struct lb_backend *lb = rt->proxies[be].lb;

		if (!lb)
			continue;
		free(lb->pool);
		free(lb->map);
		free(lb->ring);
		free(lb->hmap);
		free(lb);
		rt->proxies[be].lb = NULL;
	}
}

uint32_t balance_usable(const struct runtime *rt, uint32_t be)
{
	const struct lb_backend *lb = rt->proxies[be].lb;

	return lb ? lb->npool : 0;
}

int balance_set_weight(struct runtime *rt, uint32_t srv, uint32_t weight,
                       char *err, size_t errlen)
{
	const struct plan_server *ps = &rt->plan->servers[srv];

	if (weight > 256) {
		snprintf(err, errlen, "weight %u is out of range: expected 0 to 256",
		         weight);
		return -1;
	}
	if (balance_is_static(rt, ps->proxy) && weight != 0 &&
	    weight != ps->weight) {
		snprintf(err, errlen,
		         "backend uses a static balancing algorithm and only accepts weight 0 or the configured %u, found %u",
		         ps->weight, weight);
		return -1;
	}
	rt->servers[srv].weight = weight;
	if (balance_update(rt, ps->proxy) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/* ---- algorithms --------------------------------------------------------- */

static uint32_t balance_roundrobin(struct runtime *rt, struct lb_backend *lb)
{
	uint32_t best = PLAN_NONE;
	int64_t total = 0;

	for (uint32_t k = 0; k < lb->npool; k++) {
		uint32_t i = lb->pool[k];
		struct rt_server *rs = &rt->servers[i];

		if (balance_full(rt, i))
			continue;
		rs->cur_weight += (int32_t)rs->weight;
		total += rs->weight;
		if (best == PLAN_NONE || rs->cur_weight > rt->servers[best].cur_weight)
			best = i;
	}
	if (best != PLAN_NONE)
		rt->servers[best].cur_weight -= (int32_t)total;
	return best;
}

static uint32_t balance_static_rr(struct runtime *rt, struct lb_backend *lb)
{
	for (uint32_t n = 0; n < lb->nmap; n++) {
		uint32_t i = lb->map[lb->map_pos];

		lb->map_pos = (lb->map_pos + 1) % lb->nmap;
		if (!balance_full(rt, i))
			return i;
	}
	return PLAN_NONE;
}

static uint32_t balance_leastconn(struct runtime *rt, struct lb_backend *lb)
{
	uint32_t best = PLAN_NONE, best_k = 0;

	for (uint32_t n = 0; n < lb->npool; n++) {
		uint32_t k = (lb->lc_next + n) % lb->npool;
		uint32_t i = lb->pool[k];

		if (balance_full(rt, i))
			continue;
		if (best == PLAN_NONE || balance_less_loaded(rt, i, best)) {
			best = i;
			best_k = k;
		}
	}
	if (best != PLAN_NONE)
		lb->lc_next = (best_k + 1) % lb->npool;
	return best;
}

static uint32_t balance_first(struct runtime *rt, struct lb_backend *lb)
{
	for (uint32_t k = 0; k < lb->npool; k++)
		if (!balance_full(rt, lb->pool[k]))
			return lb->pool[k];
	return PLAN_NONE;
}

static uint32_t balance_random(struct runtime *rt, struct lb_backend *lb,
                               uint32_t draws)
{
	uint32_t best = PLAN_NONE;

	if (lb->nmap == 0)
		return PLAN_NONE;
	for (uint32_t d = 0; d < (draws ? draws : 1); d++) {
		uint32_t i = lb->map[balance_rand(lb) % lb->nmap];

		if (balance_full(rt, i))
			continue;
		if (best == PLAN_NONE || balance_less_loaded(rt, i, best))
			best = i;
	}
	/* Every draw hit a full server: any one with room will do. */
	return best != PLAN_NONE ? best : balance_leastconn(rt, lb);
}

/*
 * HAProxy's source hash of client address `cli`, into *h: 1, or 0 when it
 * is not IP (then round robin). The address's 32-bit words (one for IPv4,
 * four for IPv6, IPv4-mapped ones included as HAProxy takes them) xor'ed
 * in host order, then mixed when `avalanche`; hash-type's function is not
 * used, as in HAProxy.
 */
static int balance_source_hash(const struct sockaddr *cli, socklen_t len,
                               int avalanche, uint32_t *h)
{
	const uint8_t *ip;
	size_t n;
	uint32_t x = 0;

	if (!cli)
		return 0;
	if (cli->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		ip = (const uint8_t *)&((const struct sockaddr_in *)cli)->sin_addr;
		n = 4;
	} else if (cli->sa_family == AF_INET6 &&
	           len >= sizeof(struct sockaddr_in6)) {
		ip = ((const struct sockaddr_in6 *)cli)->sin6_addr.s6_addr;
		n = 16;
	} else {
		return 0;
	}
	for (size_t i = 0; i < n; i += 4)
		x ^= (uint32_t)ip[i] << 24 | (uint32_t)ip[i + 1] << 16 |
		     (uint32_t)ip[i + 2] << 8 | ip[i + 3];
	*h = avalanche ? hash_avalanche(x) : x;
	return 1;
}

/* The server hash `h` designates: modulo HAProxy's map when map-based,
 * else the nearer of the ring's first point at or after h and the point
 * before it, that one on a tie, then on along the ring past `avoid`
 * (HAProxy's chash_get_server_hash). */
static uint32_t balance_hashed(const struct lb_backend *lb, uint32_t hash_type,
                               uint32_t h, uint32_t avoid)
{
	uint32_t lo = 0, hi;

	if (hash_type == PLAN_HASH_MAP_BASED)
		return lb->nhmap ? lb->hmap[h % lb->nhmap] : PLAN_NONE;
	if (lb->nring == 0)
		return PLAN_NONE;
	/* The first point at or after h, wrapping around. */
	hi = lb->nring;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (lb->ring[mid].hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == lb->nring)
		lo = 0;
	{
		uint32_t prev = lo ? lo - 1 : lb->nring - 1;

		if (h - lb->ring[prev].hash <= lb->ring[lo].hash - h)
			lo = prev;
	}
	for (uint32_t n = 0; avoid != PLAN_NONE && lb->ring[lo].srv == avoid &&
	     n < lb->nring; n++)
		lo = (lo + 1) % lb->nring;
	return lb->ring[lo].srv;
}

/* The algorithm's choice for backend `be`, PLAN_NONE = none. */
static uint32_t balance_choose(struct runtime *rt, uint32_t be,
                               const struct sockaddr *cli, socklen_t clilen,
                               const uint32_t *key, uint32_t avoid)
{
	const struct plan_proxy *pp = &rt->plan->proxies[be];
	struct lb_backend *lb = rt->proxies[be].lb;
	uint32_t h;

	if (!lb || lb->npool == 0)
		return PLAN_NONE;
	switch (pp->balance) {
	case PLAN_BALANCE_STATIC_RR:
		return balance_static_rr(rt, lb);
	case PLAN_BALANCE_LEASTCONN:
		return balance_leastconn(rt, lb);
	case PLAN_BALANCE_FIRST:
		return balance_first(rt, lb);
	case PLAN_BALANCE_SOURCE:
		if (balance_source_hash(cli, clilen,
		                        (pp->flags & PLAN_PX_F_HASH_AVALANCHE) != 0,
		                        &h))
			return balance_hashed(lb, pp->hash_type, h, avoid);
		return balance_roundrobin(rt, lb);
	case PLAN_BALANCE_URI:
	case PLAN_BALANCE_URL_PARAM:
	case PLAN_BALANCE_HDR:
	case PLAN_BALANCE_HASH:
		if (key)
			return balance_hashed(lb, pp->hash_type, *key, avoid);
		return balance_roundrobin(rt, lb);
	case PLAN_BALANCE_RANDOM:
		return balance_random(rt, lb, pp->random_draws);
	case PLAN_BALANCE_ROUNDROBIN:
	default:
		return balance_roundrobin(rt, lb);
	}
}

uint32_t balance_pick_avoid(struct runtime *rt, uint32_t be,
                            const struct sockaddr *cli, socklen_t clilen,
                            const uint32_t *key, uint32_t avoid)
{
	uint32_t srv = balance_choose(rt, be, cli, clilen, key, avoid);

	if (srv != PLAN_NONE) {         /* show stat lbtot */
		rt->servers[srv].cnt.lbtot++;
		rt->proxies[be].be_cnt.lbtot++;
	}
	return srv;
}

uint32_t balance_pick_key(struct runtime *rt, uint32_t be,
                          const struct sockaddr *cli, socklen_t clilen,
                          const uint32_t *key)
{
	return balance_pick_avoid(rt, be, cli, clilen, key, PLAN_NONE);
}

uint32_t balance_pick_for(struct runtime *rt, uint32_t be,
                          const struct sockaddr *cli, socklen_t clilen)
{
	return balance_pick_key(rt, be, cli, clilen, NULL);
}

uint32_t balance_pick(struct runtime *rt, uint32_t be)
{
	return balance_pick_for(rt, be, NULL, 0);
}
