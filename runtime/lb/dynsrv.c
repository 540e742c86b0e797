/*
 * dynsrv.c: room for servers added at run time, walking a backend's
 * servers, adding and deleting them (see dynsrv-t.h).
 *
 * Threads: everything here that changes state runs on thread 0 under the
 * generation's lock. A record and its name are written before the link
 * that leads to them is stored (release); walkers on other threads load
 * links and states with acquire, so they never see a half-made server.
 * Records are never reused within a generation, so an index a stream,
 * an idle connection or a log line holds always names the same server.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "balance.h"
#include "dynsrv.h"
#include "healthcheck.h"
#include "log.h"
#include "server.h"
#include "stats.h"
#include "thread.h"

/* Records of room after the plan's servers: DYNSRV_MAX when the plan has
 * a tail for their names within reach of a blob offset, else 0. */
static uint32_t dynsrv_room(const struct plan *p)
{
	uint64_t off;

	if (!p->tail || p->tail_len < DYNSRV_TAIL || !p->blob)
		return 0;
	off = (uint64_t)(p->tail - (const uint8_t *)p->blob);
	return off + DYNSRV_TAIL <= UINT32_MAX ? DYNSRV_MAX : 0;
}

uint32_t dynsrv_nrecords(const struct plan *p)
{
	return p->nservers + dynsrv_room(p);
}

uint32_t dynsrv_used(const struct runtime *rt)
{
	return rt->dyn ? rt->dyn->used : 0;
}

int dynsrv_gen_init(struct runtime *rt)
{
	struct plan *p = rt->plan;
	uint32_t room = dynsrv_room(p);
	struct dynsrv_gen *d;

	if (!room)
		return 0;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -1;
	d->base = p->nservers;
	d->cap = room;
	d->names_off = (uint32_t)(p->tail - (const uint8_t *)p->blob);
	d->recs = plan_mem_alloc((size_t)(d->base + room) * sizeof(*d->recs));
	if (!d->recs) {
		free(d);
		return -1;
	}
	if (p->nservers)
		memcpy(d->recs, p->servers, (size_t)p->nservers * sizeof(*d->recs));
	p->servers = d->recs;
	rt->dyn = d;
	return 0;
}

void dynsrv_gen_free(struct runtime *rt)
{
	struct dynsrv_gen *d = rt->dyn;

	if (!d)
		return;
	plan_mem_free(d->recs, (size_t)(d->base + d->cap) * sizeof(*d->recs));
	free(d);
	rt->dyn = NULL;
}

uint32_t be_srv_room(const struct runtime *rt, uint32_t be)
{
	return rt->plan->proxies[be].nservers + rt->proxies[be].dyn_total;
}

uint32_t server_sid(const struct runtime *rt, uint32_t s)
{
	const struct plan *p = rt->plan;

	if (s >= p->nservers)
		return rt->servers[s].dyn_sid;
	return s - p->proxies[p->servers[s].proxy].first_server + 1;
}

uint32_t srv_walk(const struct runtime *rt, uint32_t s, uint32_t only)
{
	uint32_t be = only != PLAN_NONE ? only :
	              s != PLAN_NONE ? rt->plan->servers[s].proxy : 0;

	for (;;) {
		uint32_t n = PLAN_NONE;

		if (rt->plan->proxies[be].cap & PLAN_CAP_BE)
			n = be_srv_next(rt, be, s);
		if (n != PLAN_NONE || only != PLAN_NONE ||
		    ++be >= rt->plan->nproxies)
			return n;
		s = PLAN_NONE;
	}
}

/*
 * Put server `name` configured as `rec` in the next free record of rt,
 * in maintenance, and chain it to backend `be` (lock held, or rt not yet
 * published; room checked by the caller). Its index, or PLAN_NONE when
 * out of memory for its check.
 */
static uint32_t dynsrv_place(struct runtime *rt, uint32_t be, const char *name,
                             const struct plan_server *rec)
{
	struct dynsrv_gen *d = rt->dyn;
	struct rt_proxy *px = &rt->proxies[be];
	size_t nlen = strlen(name);
	uint32_t s = d->base + d->used;
	struct plan_server *ps = &d->recs[s];
	struct rt_server *rs = &rt->servers[s];

	memcpy((char *)rt->plan->tail + (size_t)d->used * DYNSRV_NAME_SLOT, name,
	       nlen + 1);
	*ps = *rec;
	ps->proxy = be;
	ps->name.off = d->names_off + d->used * DYNSRV_NAME_SLOT;
	ps->name.len = (uint32_t)nlen;
	ps->cookie.off = ps->name.off + (uint32_t)nlen;     /* "" */
	ps->cookie.len = 0;
	ps->check_addr = PLAN_NONE;
	rs->weight = ps->weight;
	rs->maxconn = ps->maxconn;      /* `set maxconn server` may change it */
	rs->op = RT_SRV_UP;
	rs->admin = RT_ADMIN_MAINT;
	rs->cnt.last_change = (uint32_t)(stats_clock_ms() / 1000u);
	rs->cnt.down = 1;
	if ((ps->flags & PLAN_SRV_F_CHECK) && check_add(rt, s) < 0)
		return PLAN_NONE;
	d->used++;
	rs->dyn_sid = rt->plan->proxies[be].nservers + ++px->dyn_sid;
	__atomic_store_n(&rs->dyn, RT_SRV_ADDED, __ATOMIC_RELEASE);
	if (px->dyn_last)
		__atomic_store_n(&rt->servers[px->dyn_last - 1].dyn_next, s + 1,
		                 __ATOMIC_RELEASE);
	else
		__atomic_store_n(&px->dyn_first, s + 1, __ATOMIC_RELEASE);
	px->dyn_last = s + 1;
	px->dyn_total++;
	return s;
}

uint32_t dynsrv_insert(struct runtime *rt, uint32_t be, const char *name,
                       const struct plan_server *rec, char *msg, size_t len)
{
	const char *bname = plan_str_get(rt->plan, rt->plan->proxies[be].name);
	uint32_t s;

	gen_lock(rt);
	if (server_find(rt, bname, name) != PLAN_NONE) {
		gen_unlock(rt);
		snprintf(msg, len, "Already exists a server with the same name in backend.\n\n");
		return PLAN_NONE;
	}
	if (!rt->dyn || rt->dyn->used >= rt->dyn->cap) {
		gen_unlock(rt);
		snprintf(msg, len, "No room for another server: cfgrun adds at most %u servers per plan generation (deleted ones included); a reload makes room again.\n\n",
		         DYNSRV_MAX);
		return PLAN_NONE;
	}
	if ((s = dynsrv_place(rt, be, name, rec)) == PLAN_NONE) {
		gen_unlock(rt);
		snprintf(msg, len, "Out of memory.\n\n");
		return PLAN_NONE;
	}
	(void)balance_update(rt, be);
	stats_be_state(rt, be);
	gen_unlock(rt);
	log_info(rt, "server %s/%s added through the stats socket (in maintenance)",
	         bname, name);
	snprintf(msg, len, "New server registered.\n\n");
	return s;
}

/* The backend of gen named like old backend `obe`, when it may take
 * added servers (a dynamic algorithm), else PLAN_NONE. */
static uint32_t dynsrv_same_backend(const struct runtime *gen,
                                    const struct runtime *old, uint32_t obe)
{
	const struct plan *np = gen->plan, *op = old->plan;
	const char *name = plan_str_get(op, op->proxies[obe].name);

	for (uint32_t b = 0; b < np->nproxies; b++)
		if ((np->proxies[b].cap & PLAN_CAP_BE) &&
		    !strcmp(plan_str_get(np, np->proxies[b].name), name))
			return balance_is_static(gen, b) ? PLAN_NONE : b;
	return PLAN_NONE;
}

void dynsrv_carry(struct runtime *gen, struct runtime *old)
{
	const struct plan *op;
	uint32_t carried = 0, lost = 0;

	if (!old || !old->dyn || !old->dyn->used)
		return;
	op = old->plan;
	gen_lock(old);
	for (uint32_t s = old->dyn->base; s < old->dyn->base + old->dyn->used; s++) {
		const struct plan_server *ps = &op->servers[s];
		const char *name = plan_str_get(op, ps->name);
		uint32_t be, n;

		if (dynsrv_gone(old, s))
			continue;
		be = dynsrv_same_backend(gen, old, ps->proxy);
		/* a server of that name in the new plan wins */
		if (be == PLAN_NONE || !gen->dyn ||
		    gen->dyn->used >= gen->dyn->cap ||
		    server_find(gen, plan_str_get(gen->plan,
		                                  gen->plan->proxies[be].name),
		                name) != PLAN_NONE ||
		    (n = dynsrv_place(gen, be, name, ps)) == PLAN_NONE) {
			lost++;
			continue;
		}
		server_copy_state(&gen->servers[n], &old->servers[s]);
		gen->servers[n].maxconn = old->servers[s].maxconn;
		carried++;
	}
	gen_unlock(old);
	if (carried)
		log_info(gen, "reload: %u server%s added on the stats socket kept, with their state and counters",
		         carried, carried > 1 ? "s" : "");
	if (lost)
		log_info(gen, "reload: %u server%s added on the stats socket dropped (backend gone or static, or a server of that name in the new plan)",
		         lost, lost > 1 ? "s" : "");
}

int dynsrv_remove(struct runtime *rt, uint32_t s, char *msg, size_t len)
{
	struct rt_server *rs = &rt->servers[s];
	uint32_t be = rt->plan->servers[s].proxy;

	gen_lock(rt);
	if (rs->admin != RT_ADMIN_MAINT) {
		gen_unlock(rt);
		snprintf(msg, len, "Only servers in maintenance mode can be deleted.\n");
		return -1;
	}
	if (rs->cur_conn || rs->queue.len) {
		gen_unlock(rt);
		snprintf(msg, len, "Server still has connections attached to it, cannot remove it.\n");
		return -1;
	}
	check_suspend(rt, s);
	if (rs->check)
		rs->check->stopped = 1;
	__atomic_store_n(&rs->dyn, RT_SRV_GONE, __ATOMIC_RELEASE);
	(void)balance_update(rt, be);
	stats_be_state(rt, be);
	gen_unlock(rt);
	log_info(rt, "server %s/%s deleted through the stats socket",
	         plan_str_get(rt->plan, rt->plan->proxies[be].name),
	         plan_str_get(rt->plan, rt->plan->servers[s].name));
	snprintf(msg, len, "Server deleted.\n");
	return 0;
}
