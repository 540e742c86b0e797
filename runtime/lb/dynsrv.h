/*
 * dynsrv.h: servers added through the stats socket (dynsrv-t.h), and
 * walking a backend's servers, configured and added alike.
 */
#ifndef HAPC_DYNSRV_H
#define HAPC_DYNSRV_H

#include <stddef.h>
#include <stdint.h>

#include "dynsrv-t.h"
#include "plan.h"
#include "runtime-t.h"

/*
 * Give generation `rt` (plan mapped, rt->servers not yet allocated) room
 * for DYNSRV_MAX added servers when its plan has a tail of DYNSRV_TAIL
 * bytes (plan_open_tail()): rt->plan->servers becomes a writable copy.
 * Returns 0 (no tail: no room, nothing changed), or -1 out of memory.
 */
int dynsrv_gen_init(struct runtime *rt);
/* Free what dynsrv_gen_init() allocated (before plan_close()). */
void dynsrv_gen_free(struct runtime *rt);

/* Server records of rt: the plan's plus the room for added ones. */
uint32_t dynsrv_nrecords(const struct plan *p);
/* Records taken by added servers so far (thread 0). */
uint32_t dynsrv_used(const struct runtime *rt);

/* 1 when server `s` was deleted with `del server`. */
static inline int dynsrv_gone(const struct runtime *rt, uint32_t s)
{
	return __atomic_load_n(&rt->servers[s].dyn, __ATOMIC_ACQUIRE) ==
	       RT_SRV_GONE;
}

/* A chain link (index + 1, 0 = none) as an index, PLAN_NONE = none. */
static inline uint32_t dynsrv_link(const uint32_t *link)
{
	uint32_t l = __atomic_load_n(link, __ATOMIC_ACQUIRE);

	return l ? l - 1 : PLAN_NONE;
}

/* The server after `s` in backend `be`, gone or not (PLAN_NONE: the
 * first): the plan's in order, then the added ones, oldest first. */
static inline uint32_t be_srv_raw_next(const struct runtime *rt, uint32_t be,
                                       uint32_t s)
{
	const struct plan_proxy *pp = &rt->plan->proxies[be];

	if (s == PLAN_NONE && pp->nservers)
		return pp->first_server;
	if (s != PLAN_NONE && s >= rt->plan->nservers)
		return dynsrv_link(&rt->servers[s].dyn_next);
	if (s != PLAN_NONE && s + 1 < pp->first_server + pp->nservers)
		return s + 1;
	return dynsrv_link(&rt->proxies[be].dyn_first);
}

/*
 * Walk backend `be`'s live servers: the plan's in order, then those
 * added, oldest first; deleted ones are skipped. `s` PLAN_NONE gives the
 * first; PLAN_NONE at the end. Any thread: the links and states read are
 * written with release stores, after the records they lead to.
 */
static inline uint32_t be_srv_next(const struct runtime *rt, uint32_t be,
                                   uint32_t s)
{
	do
		s = be_srv_raw_next(rt, be, s);
	while (s != PLAN_NONE && dynsrv_gone(rt, s));
	return s;
}

static inline uint32_t be_srv_first(const struct runtime *rt, uint32_t be)
{
	return be_srv_next(rt, be, PLAN_NONE);
}

/* Servers of backend `be` there can be at most now (pool sizes). */
uint32_t be_srv_room(const struct runtime *rt, uint32_t be);

/* The `sid` of show stat of server `s`: its position in its backend for
 * the plan's, the next number after them for added ones. */
uint32_t server_sid(const struct runtime *rt, uint32_t s);

/*
 * The server after `s` (PLAN_NONE: the first) among the live servers of
 * every backend in plan order, or of backend `only` when not PLAN_NONE;
 * PLAN_NONE at the end (show servers state).
 */
uint32_t srv_walk(const struct runtime *rt, uint32_t s, uint32_t only);

/*
 * Add server `name` (at most DYNSRV_NAME_MAX bytes, checked by the caller)
 * to backend `be`, configured as `rec` (its name, proxy and check address
 * are filled here): it starts in maintenance, its checks (PLAN_SRV_F_CHECK)
 * stopped until `enable health`, as HAProxy's added servers do. Thread 0;
 * takes the lock. Returns its index, or PLAN_NONE with HAProxy's answer
 * (or cfgrun's, for its limits) in msg.
 */
uint32_t dynsrv_insert(struct runtime *rt, uint32_t be, const char *name,
                       const struct plan_server *rec, char *msg, size_t len);

/*
 * Reload: the live servers added to generation `old` are added to `gen`
 * too, with their state and counters (server_copy_state()), in each
 * backend of the same name that still balances dynamically, unless the
 * new plan has a server of that name there (the configuration wins).
 * Call after server_carry_state(), before balance_init(); takes old's
 * lock.
 */
void dynsrv_carry(struct runtime *gen, struct runtime *old);

/*
 * Delete server `s` (configured or added): refused unless it is in
 * maintenance with no connection and nothing queued. It is then gone for
 * good from this generation (a reload brings a configured one back).
 * Thread 0; takes the lock. 0, or -1 with HAProxy's answer in msg.
 */
int dynsrv_remove(struct runtime *rt, uint32_t s, char *msg, size_t len);

#endif /* HAPC_DYNSRV_H */
