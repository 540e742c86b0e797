/*
 * plan_addr.c: full addresses of a verified plan's servers.
 *
 * Readers of the plan never look at how a server's address is stored;
 * they ask for a struct plan_addr here and get a private copy they may
 * adjust (a port taken from the client, a check port).
 */
#include "config.h"

#include "plan.h"

void plan_server_addr(const struct plan *p, uint32_t i, struct plan_addr *out)
{
	*out = p->servers[i].addr;
}

void plan_server_check_addr(const struct plan *p, uint32_t i,
                            struct plan_addr *out)
{
	const struct plan_server *ps = &p->servers[i];

	*out = ps->check_addr.family != PLAN_FAM_NONE ? ps->check_addr : ps->addr;
}
