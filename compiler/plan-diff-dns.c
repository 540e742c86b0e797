/*
 * plan-diff-dns.c: what changed in the resolvers sections and in how
 * servers are resolved at run time (see plan-diff.h):
 *
 *   resolvers 'dns' added
 *   resolvers 'dns': hold valid 10s -> 5s
 *   resolvers 'dns': nameservers ns1 10.0.0.1:53 -> ns1 10.0.0.2:53, ns2 ...
 *   proxy 'app': server 's1': resolution none -> app.svc:80 via dns
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "addr.h"
#include "dump.h"
#include "plan-diff.h"

/* Setting i of section r: its keyword in *kw and its value as text in
 * buf; 0 when i is past the last (the nameserver list). */
static int res_setting(const struct plan *p, const struct plan_resolvers *r,
                       unsigned i, const char **kw, char *buf, size_t len)
{
	const struct { const char *kw; uint32_t v; int ms; } s[] = {
		{ "parse-resolv-conf", r->flags & PLAN_RES_F_RESOLV_CONF, 0 },
		{ "resolve_retries", r->retries, 0 },
		{ "timeout resolve", r->timeout_resolve, 1 },
		{ "timeout retry", r->timeout_retry, 1 },
		{ "hold valid", r->hold_valid, 1 },
		{ "hold obsolete", r->hold_obsolete, 1 },
		{ "hold nx", r->hold_nx, 1 },
		{ "hold other", r->hold_other, 1 },
		{ "hold refused", r->hold_refused, 1 },
		{ "hold timeout", r->hold_timeout, 1 },
		{ "accepted_payload_size", r->payload, 0 },
	};
	const size_t n = sizeof(s) / sizeof(s[0]);
	size_t o = 0;

	buf[0] = '\0';
	if (i < n) {
		FILE *f = fmemopen(buf, len, "w");

		*kw = s[i].kw;
		if (!f)
			return 1;
		if (s[i].ms)
			dump_ms(f, s[i].v);
		else
			fprintf(f, "%" PRIu32, s[i].v);
		fclose(f);
		return 1;
	}
	if (i > n)
		return 0;
	*kw = "nameservers";
	for (uint32_t k = r->ns_first; k < r->ns_first + r->ns_count && o < len; k++) {
		struct plan_addr a;
		char text[160];

		plan_srv_addr_to(p, &p->nameservers[k].addr, &a);
		addr_format(&a, text, sizeof(text));
		o += (size_t)snprintf(buf + o, len - o, "%s%s %s", o ? ", " : "",
		                      plan_str_get(p, p->nameservers[k].id), text);
	}
	return 1;
}

static const struct plan_resolvers *res_find(const struct plan *p,
                                             const char *name)
{
	for (uint32_t i = 0; i < p->nresolvers; i++)
		if (!strcmp(plan_str_get(p, p->resolvers[i].name), name))
			return &p->resolvers[i];
	return NULL;
}

unsigned long plan_diff_resolvers(const struct plan *old,
                                  const struct plan *new, FILE *out)
{
	unsigned long count = 0;
	char va[1024], vb[1024];
	const char *kw = "";

	for (uint32_t i = 0; i < new->nresolvers; i++) {
		const struct plan_resolvers *rb = &new->resolvers[i];
		const char *name = plan_str_get(new, rb->name);
		const struct plan_resolvers *ra = res_find(old, name);

		if (!ra) {
			fprintf(out, "resolvers '%s' added\n", name);
			count++;
			continue;
		}
		for (unsigned k = 0; res_setting(old, ra, k, &kw, va, sizeof(va)); k++) {
			(void)res_setting(new, rb, k, &kw, vb, sizeof(vb));
			if (!strcmp(va, vb))
				continue;
			fprintf(out, "resolvers '%s': %s %s -> %s\n", name, kw,
			        va[0] ? va : "none", vb[0] ? vb : "none");
			count++;
		}
	}
	for (uint32_t i = 0; i < old->nresolvers; i++) {
		const char *name = plan_str_get(old, old->resolvers[i].name);

		if (!res_find(new, name)) {
			fprintf(out, "resolvers '%s' removed\n", name);
			count++;
		}
	}
	return count;
}

/* How server `srv` of p is resolved at run time, as text. */
static void srv_resolution(const struct plan *p, uint32_t srv, char *buf,
                           size_t len)
{
	const struct plan_srv_resolve *r = plan_srv_resolve_of(p, srv);

	if (!r) {
		snprintf(buf, len, "none");
		return;
	}
	snprintf(buf, len, "%s:%" PRIu32 " via %s%s%s", plan_str_get(p, r->host),
	         r->port, plan_str_get(p, p->resolvers[r->resolvers].name),
	         (r->flags & PLAN_SRES_F_PREFER_V4) ? ", prefer ipv4" : "",
	         (r->flags & PLAN_SRES_F_ALLOW_DUP) ? ", allow-dup-ip" : "");
}

unsigned long plan_diff_srv_resolve(const struct plan *a, uint32_t sa,
                                    const struct plan *b, uint32_t sb,
                                    const char *prefix, FILE *out)
{
	char va[512], vb[512];

	srv_resolution(a, sa, va, sizeof(va));
	srv_resolution(b, sb, vb, sizeof(vb));
	if (!strcmp(va, vb))
		return 0;
	fprintf(out, "%s: resolution %s -> %s\n", prefix, va, vb);
	return 1;
}
