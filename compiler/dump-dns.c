/*
 * dump-dns.c: resolvers sections and the servers resolved at run time,
 * written back as configuration text (see dump.h).
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>

#include "addr.h"
#include "dump.h"

void dump_resolvers(const struct plan *p, FILE *out)
{
	for (uint32_t i = 0; i < p->nresolvers; i++) {
		const struct plan_resolvers *r = &p->resolvers[i];
		const struct { const char *kw; uint32_t ms; } times[] = {
			{ "timeout resolve", r->timeout_resolve },
			{ "timeout retry", r->timeout_retry },
			{ "hold valid", r->hold_valid },
			{ "hold obsolete", r->hold_obsolete },
			{ "hold nx", r->hold_nx },
			{ "hold other", r->hold_other },
			{ "hold refused", r->hold_refused },
			{ "hold timeout", r->hold_timeout },
		};

		fprintf(out, "\nresolvers %s\n", plan_str_get(p, r->name));
		for (uint32_t k = r->ns_first; k < r->ns_first + r->ns_count; k++) {
			const struct plan_nameserver *ns = &p->nameservers[k];
			struct plan_addr a;
			char text[160];

			plan_srv_addr_to(p, &ns->addr, &a);
			addr_format(&a, text, sizeof(text));
			fprintf(out, "    nameserver %s %s\n",
			        plan_str_get(p, ns->id), text);
		}
		if (r->flags & PLAN_RES_F_RESOLV_CONF)
			fputs("    parse-resolv-conf\n", out);
		fprintf(out, "    resolve_retries %" PRIu32 "\n", r->retries);
		for (size_t k = 0; k < sizeof(times) / sizeof(times[0]); k++) {
			fprintf(out, "    %s ", times[k].kw);
			dump_ms(out, times[k].ms);
			fputc('\n', out);
		}
		fprintf(out, "    accepted_payload_size %" PRIu32 "\n", r->payload);
	}
}

int dump_srv_resolve_addr(const struct plan *p, uint32_t idx, char *buf,
                          size_t len)
{
	const struct plan_srv_resolve *r = plan_srv_resolve_of(p, idx);

	if (!r || p->servers[idx].addr.family == PLAN_FAM_NONE)
		return 0;
	if (r->port)
		snprintf(buf, len, "%s:%" PRIu32, plan_str_get(p, r->host),
		         r->port);
	else
		snprintf(buf, len, "%s", plan_str_get(p, r->host));
	return 1;
}

void dump_srv_resolve(const struct plan *p, uint32_t idx,
                      const struct plan_addr *addr, FILE *out)
{
	const struct plan_srv_resolve *r = plan_srv_resolve_of(p, idx);
	char ip[INET6_ADDRSTRLEN] = "";

	if (!r)
		return;
	if (addr->family == PLAN_FAM_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)
		                     addr->sa)->sin_addr, ip, sizeof(ip));
	else if (addr->family == PLAN_FAM_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)
		                      addr->sa)->sin6_addr, ip, sizeof(ip));
	if (ip[0])
		fprintf(out, " init-addr %s", ip);
	fprintf(out, " resolvers %s",
	        plan_str_get(p, p->resolvers[r->resolvers].name));
	if (r->flags & PLAN_SRES_F_PREFER_V4)
		fputs(" resolve-prefer ipv4", out);
	if (r->flags & PLAN_SRES_F_ALLOW_DUP)
		fputs(" resolve-opts allow-dup-ip", out);
}
