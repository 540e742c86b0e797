/*
 * balance.c: smooth weighted round robin.
 *
 * Each pick adds every eligible server's weight to its credit, takes the
 * server with the most credit and charges it the total weight. With equal
 * weights it is plain round robin in declaration order; with unequal ones
 * the heavier servers are spread out instead of served in bursts.
 */
#include "config.h"

#include "balance.h"
#include "plan.h"

/* 1 when server `i` can take one more connection now. */
static int balance_eligible(const struct runtime *rt, uint32_t i)
{
	const struct plan_server *ps = &rt->plan->servers[i];

	if (ps->weight == 0 || ps->addr.family == PLAN_FAM_NONE)
		return 0;
	if (ps->maxconn && rt->servers[i].cur_conn >= ps->maxconn)
		return 0;
	return 1;
}

uint32_t balance_pick(struct runtime *rt, uint32_t be)
{
	const struct plan_proxy *pp = &rt->plan->proxies[be];
	uint32_t best = PLAN_NONE;
	int64_t total = 0;

	/* One algorithm today; plan_verify() refuses any other value. */
	for (uint32_t k = 0; k < pp->nservers; k++) {
		uint32_t i = pp->first_server + k;
		struct rt_server *rs = &rt->servers[i];

		if (!balance_eligible(rt, i))
			continue;
		rs->cur_weight += (int32_t)rt->plan->servers[i].weight;
		total += rt->plan->servers[i].weight;
		if (best == PLAN_NONE || rs->cur_weight > rt->servers[best].cur_weight)
			best = i;
	}
	if (best != PLAN_NONE)
		rt->servers[best].cur_weight -= (int32_t)total;
	return best;
}
