/*
 * emit-dns.c: resolvers sections and the servers resolved at run time,
 * model -> RESOLVERS, NAMESERVER and SRV_RESOLVE records (plan-t.h).
 */
#include <string.h>

#include "emit.h"
#include "plan.h"

int emit_resolvers(struct plan_builder *b, const struct model *m)
{
	for (size_t i = 0; i < m->nresolvers; i++) {
		const struct model_resolvers *r = &m->resolvers[i];
		struct plan_resolvers *rec;
		uint32_t idx = plan_builder_add(b, PLAN_SEC_RESOLVERS);
		uint32_t first = plan_builder_count(b, PLAN_SEC_NAMESERVER);

		if (idx != i || plan_builder_count(b, PLAN_SEC_RESOLVERS) != i + 1)
			return -1;
		for (size_t k = 0; k < r->nns; k++) {
			uint32_t n = plan_builder_add(b, PLAN_SEC_NAMESERVER);
			struct plan_nameserver *ns;

			if (plan_builder_count(b, PLAN_SEC_NAMESERVER) != first + k + 1)
				return -1;
			ns = plan_builder_at(b, PLAN_SEC_NAMESERVER, n);
			ns->resolvers = (uint32_t)i;
			ns->line = r->ns[k].line;
			ns->id = plan_builder_str(b, r->ns[k].id,
			                          strlen(r->ns[k].id));
			/* re-fetch: adding a string may not move the records,
			 * but packing the address writes through ns */
			ns = plan_builder_at(b, PLAN_SEC_NAMESERVER, n);
			if (plan_srv_addr_pack(b, &r->ns[k].addr, NULL,
			                       &ns->addr) < 0)
				return -1;
		}
		rec = plan_builder_at(b, PLAN_SEC_RESOLVERS, idx);
		rec->name = plan_builder_str(b, r->name, strlen(r->name));
		rec = plan_builder_at(b, PLAN_SEC_RESOLVERS, idx);
		rec->flags = r->flags;
		rec->retries = r->retries;
		rec->timeout_resolve = r->timeout_resolve;
		rec->timeout_retry = r->timeout_retry;
		rec->hold_valid = r->hold_valid;
		rec->hold_obsolete = r->hold_obsolete;
		rec->hold_nx = r->hold_nx;
		rec->hold_other = r->hold_other;
		rec->hold_refused = r->hold_refused;
		rec->hold_timeout = r->hold_timeout;
		rec->payload = r->payload;
		rec->ns_first = first;
		rec->ns_count = (uint32_t)r->nns;
		rec->line = r->line;
	}
	return 0;
}

int emit_srv_resolve(struct plan_builder *b, const struct model *m,
                     const struct model_server *sv, uint32_t server)
{
	struct plan_srv_resolve *rec;
	uint32_t idx;

	if (!sv->resolvers || !sv->res_host || sv->resolvers > m->nresolvers)
		return 0;
	idx = plan_builder_add(b, PLAN_SEC_SRV_RESOLVE);
	if (plan_builder_count(b, PLAN_SEC_SRV_RESOLVE) != idx + 1)
		return -1;
	rec = plan_builder_at(b, PLAN_SEC_SRV_RESOLVE, idx);
	rec->host = plan_builder_str(b, sv->res_host, strlen(sv->res_host));
	rec = plan_builder_at(b, PLAN_SEC_SRV_RESOLVE, idx);
	rec->server = server;
	rec->resolvers = sv->resolvers - 1;
	rec->flags = sv->res_flags;
	rec->port = sv->res_port;
	return 0;
}
