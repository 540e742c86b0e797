/*
 * use_server.c: a backend's use-server rules. cfgc puts them after the
 * backend's stick rules (set PLAN_TCP_USE_SERVER), each naming one of
 * the backend's servers; the stream asks here before its server is
 * chosen: what a rule names wins over a persistence cookie, and a stick
 * match only applies when no rule named a server.
 */
#include "server.h"
#include "server-t.h"
#include "thread.h"
#include "use_server.h"

int use_server_ok(const struct runtime *rt, uint32_t srv)
{
	return rt->servers[srv].op != RT_SRV_DOWN &&
	       rt->servers[srv].admin != RT_ADMIN_MAINT &&
	       server_has_addr(rt, srv);
}

uint32_t use_server_rules(struct runtime *rt, uint32_t be,
                          const struct plan_regex *rx, plan_fetch_fn fetch,
                          void *ctx)
{
	const struct plan *p = rt->plan;
	uint32_t first, n = plan_tcp_rules_of(p, be, PLAN_TCP_USE_SERVER, &first);

	for (uint32_t i = 0; i < n; i++) {
		const struct plan_rule *r = &p->rules[first + i];
		uint32_t srv = p->proxies[be].first_server + r->arg;
		int ok;

		if (!plan_cond_holds(p, rx, r->cond, r->first_term, r->nterms,
		                     fetch, ctx))
			continue;
		gen_lock(rt);
		ok = use_server_ok(rt, srv);
		gen_unlock(rt);
		if (ok)
			return srv;
	}
	return PLAN_NONE;
}
