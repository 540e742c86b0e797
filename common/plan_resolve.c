/*
 * plan_resolve.c: the verifier's checks of the DNS tables (RESOLVERS,
 * NAMESERVER, SRV_RESOLVE; plan-t.h says what is accepted). Called by
 * plan_verify() once the servers and the blob are proven.
 */
#include <stdio.h>
#include <string.h>

#include "plan.h"

#define RES_MAX_MS 0x7fffffffu
#define RES_HOST_MAX 253u

#define FAIL(e, ...) plan_detail_fail(detail, dlen, PLAN_E_##e, __VA_ARGS__)

/* A string inside the blob, NUL-terminated there, without a NUL inside. */
static int res_str_ok(const struct plan *p, struct plan_str s)
{
	return p->blob_len && (uint64_t)s.off + s.len < p->blob_len &&
	       p->blob[(size_t)s.off + s.len] == '\0' &&
	       memchr(p->blob + s.off, 0, s.len) == NULL;
}

/* A name as cfgc takes it for a section or a nameserver: non-empty,
 * letters, digits, '-', '_', '.' and ':'. */
static int res_name_ok(const struct plan *p, struct plan_str n)
{
	const char *t = p->blob + n.off;

	if (!res_str_ok(p, n) || !n.len)
		return 0;
	for (uint32_t i = 0; i < n.len; i++)
		if (!(((t[i] | 0x20) >= 'a' && (t[i] | 0x20) <= 'z') ||
		      (t[i] >= '0' && t[i] <= '9') || t[i] == '-' ||
		      t[i] == '_' || t[i] == '.' || t[i] == ':'))
			return 0;
	return 1;
}

static enum plan_err res_check_section(const struct plan *p, uint32_t i,
                                       uint32_t *next_ns, char *detail,
                                       size_t dlen)
{
	const struct plan_resolvers *r = &p->resolvers[i];
	const uint32_t times[] = { r->timeout_resolve, r->timeout_retry };
	const uint32_t holds[] = { r->hold_valid, r->hold_obsolete, r->hold_nx,
	                           r->hold_other, r->hold_refused,
	                           r->hold_timeout };

	if (!res_name_ok(p, r->name))
		return FAIL(STRING, "resolvers %u: bad or empty name", (unsigned)i);
	for (uint32_t k = 0; k < i; k++)
		if (!strcmp(plan_str_get(p, p->resolvers[k].name),
		            plan_str_get(p, r->name)))
			return FAIL(VALUE, "resolvers %u: name of resolvers %u",
			            (unsigned)i, (unsigned)k);
	if (r->flags & ~PLAN_RES_F_RESOLV_CONF)
		return FAIL(RESERVED, "resolvers %u: unknown flags 0x%x",
		            (unsigned)i, (unsigned)r->flags);
	for (size_t k = 0; k < 2; k++)
		if (times[k] > RES_MAX_MS)
			return FAIL(VALUE, "resolvers %u: timeout %u ms above %u",
			            (unsigned)i, (unsigned)times[k], RES_MAX_MS);
	for (size_t k = 0; k < 6; k++)
		if (holds[k] > RES_MAX_MS)
			return FAIL(VALUE, "resolvers %u: hold %u ms above %u",
			            (unsigned)i, (unsigned)holds[k], RES_MAX_MS);
	if (r->retries > 1000)
		return FAIL(VALUE, "resolvers %u: %u retries (0..1000)",
		            (unsigned)i, (unsigned)r->retries);
	if (r->payload < 12 || r->payload > 65535)
		return FAIL(VALUE, "resolvers %u: payload size %u (12..65535)",
		            (unsigned)i, (unsigned)r->payload);
	if (r->ns_first != *next_ns || r->ns_count > p->nnameservers - *next_ns)
		return FAIL(LAYOUT, "resolvers %u: nameservers %u+%u, expected "
		            "to start at %u of %u", (unsigned)i,
		            (unsigned)r->ns_first, (unsigned)r->ns_count,
		            (unsigned)*next_ns, (unsigned)p->nnameservers);
	if (!r->ns_count && !(r->flags & PLAN_RES_F_RESOLV_CONF))
		return FAIL(VALUE, "resolvers %u: no nameserver and no "
		            "resolv.conf", (unsigned)i);
	for (uint32_t k = r->ns_first; k < r->ns_first + r->ns_count; k++) {
		const struct plan_nameserver *ns = &p->nameservers[k];
		const struct plan_srv_addr *a = &ns->addr;
		static const uint8_t zero[12];

		if (ns->resolvers != i)
			return FAIL(INDEX, "nameserver %u: resolvers %u, expected "
			            "%u", (unsigned)k, (unsigned)ns->resolvers,
			            (unsigned)i);
		if (!res_name_ok(p, ns->id))
			return FAIL(STRING, "nameserver %u: bad or empty id",
			            (unsigned)k);
		for (uint32_t j = r->ns_first; j < k; j++)
			if (!strcmp(plan_str_get(p, p->nameservers[j].id),
			            plan_str_get(p, ns->id)))
				return FAIL(VALUE, "nameserver %u: id of nameserver %u",
				            (unsigned)k, (unsigned)j);
		if ((a->family != PLAN_FAM_INET && a->family != PLAN_FAM_INET6) ||
		    a->proto != PLAN_PROTO_TCP || !a->port || a->aux ||
		    (a->family == PLAN_FAM_INET && memcmp(a->ip + 4, zero, 12)))
			return FAIL(ADDRESS, "nameserver %u: not an IPv4 or IPv6 "
			            "address with a port", (unsigned)k);
	}
	*next_ns += r->ns_count;
	return PLAN_E_OK;
}

/* A host name as cfgc takes one: dot-separated labels of 1..63 letters,
 * digits, '-' and '_', a final dot allowed. */
static int res_host_ok(const char *h)
{
	return plan_host_name_ok(h, strlen(h));
}

int plan_host_word_ok(const char *w, size_t n)
{
	static const char *const prefixes[] = {
		"ipv4@", "ipv6@", "tcp@", "tcp4@", "tcp6@",
	};
	const char *colon;
	size_t p = 0, host;

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (n > strlen(prefixes[i]) &&
		    !strncmp(w, prefixes[i], strlen(prefixes[i])))
			p = strlen(prefixes[i]);
	colon = memchr(w + p, ':', n - p);
	host = colon ? (size_t)(colon - w) - p : n - p;
	if (!plan_host_name_ok(w + p, host))
		return 0;
	if (colon) {
		const char *d = colon + 1, *e = w + n;
		unsigned long v = 0;

		if (d < e && (*d == '+' || *d == '-'))
			d++;
		for (; d < e; d++) {
			if (*d < '0' || *d > '9' || (v = v * 10 + (unsigned)(*d - '0')) > 65535)
				return 0;
		}
	}
	return 1;
}

int plan_host_name_ok(const char *h, size_t n)
{
	size_t label = 0;

	if (n == 0)
		return 0;
	for (const char *e = h + n; h < e; h++) {
		if (*h == '.') {
			if (!label)
				return 0;
			label = 0;
		} else if (((*h | 0x20) >= 'a' && (*h | 0x20) <= 'z') ||
		           (*h >= '0' && *h <= '9') || *h == '-' || *h == '_') {
			if (++label > 63)
				return 0;
		} else
			return 0;
	}
	return 1;
}

/*
 * What makes `--dump` of a resolved server compile back to the same plan:
 * with an address, the record's port is the server's (0 without one or
 * with an offset); without (init-addr none), the server's address word
 * is the host name with that port or offset, as cfgc writes it.
 */
static enum plan_err res_check_word(const struct plan *p, uint32_t i,
                                    char *detail, size_t dlen)
{
	const struct plan_srv_resolve *r = &p->srv_resolves[i];
	const struct plan_server *s = &p->servers[r->server];
	int noport = (s->flags & (PLAN_SRV_F_NOPORT | PLAN_SRV_F_OFFSET)) != 0;
	char want[300];

	if (((r->flags & PLAN_SRES_F_MAINT_NONE) != 0) !=
	    (s->addr.family == PLAN_FAM_NONE))
		return FAIL(VALUE, "srv_resolve %u: the no-address flag does "
		            "not match server %u", (unsigned)i,
		            (unsigned)r->server);
	if (s->addr.family != PLAN_FAM_NONE) {
		if (r->port != (noport ? 0 : s->addr.port))
			return FAIL(VALUE, "srv_resolve %u: port %u, server %u "
			            "has %u", (unsigned)i, (unsigned)r->port,
			            (unsigned)r->server,
			            (unsigned)(noport ? 0 : s->addr.port));
		return PLAN_E_OK;
	}
	if (s->flags & PLAN_SRV_F_OFFSET)
		snprintf(want, sizeof(want), "%s:%+d", plan_str_get(p, r->host),
		         (int)s->port_offset);
	else if (r->port)
		snprintf(want, sizeof(want), "%s:%u", plan_str_get(p, r->host),
		         (unsigned)r->port);
	else
		snprintf(want, sizeof(want), "%s", plan_str_get(p, r->host));
	if ((r->port != 0) == noport ||
	    strcmp(plan_server_host(p, r->server), want))
		return FAIL(VALUE, "srv_resolve %u: server %u's address word "
		            "is not '%s'", (unsigned)i, (unsigned)r->server, want);
	return PLAN_E_OK;
}

enum plan_err plan_resolve_check(const struct plan *p, char *detail,
                                 size_t dlen)
{
	uint32_t next_ns = 0;
	enum plan_err e;

	for (uint32_t i = 0; i < p->nresolvers; i++)
		if ((e = res_check_section(p, i, &next_ns, detail, dlen)))
			return e;
	if (next_ns != p->nnameservers)
		return FAIL(LAYOUT, "%u nameservers belong to no resolvers "
		            "section", (unsigned)(p->nnameservers - next_ns));
	for (uint32_t i = 0; i < p->nsrv_resolves; i++) {
		const struct plan_srv_resolve *r = &p->srv_resolves[i];
		const struct plan_server *s;

		if (r->server >= p->nservers || r->resolvers >= p->nresolvers)
			return FAIL(INDEX, "srv_resolve %u: server %u of %u, "
			            "resolvers %u of %u", (unsigned)i,
			            (unsigned)r->server, (unsigned)p->nservers,
			            (unsigned)r->resolvers, (unsigned)p->nresolvers);
		if (i && r->server <= r[-1].server)
			return FAIL(LAYOUT, "srv_resolve %u: server %u after %u "
			            "(expected increasing)", (unsigned)i,
			            (unsigned)r->server, (unsigned)r[-1].server);
		s = &p->servers[r->server];
		if (s->addr.family != PLAN_FAM_NONE &&
		    s->addr.family != PLAN_FAM_INET &&
		    s->addr.family != PLAN_FAM_INET6)
			return FAIL(ADDRESS, "srv_resolve %u: server %u is not an "
			            "IP server", (unsigned)i, (unsigned)r->server);
		if (!res_str_ok(p, r->host) || !r->host.len ||
		    r->host.len > RES_HOST_MAX)
			return FAIL(STRING, "srv_resolve %u: bad host name (1..%u "
			            "bytes)", (unsigned)i, RES_HOST_MAX);
		if (!res_host_ok(plan_str_get(p, r->host)))
			return FAIL(VALUE, "srv_resolve %u: '%s' is not a host "
			            "name", (unsigned)i, plan_str_get(p, r->host));
		if (r->flags & ~(PLAN_SRES_F_PREFER_V4 | PLAN_SRES_F_ALLOW_DUP |
		                 PLAN_SRES_F_MAINT_NONE))
			return FAIL(RESERVED, "srv_resolve %u: unknown flags 0x%x",
			            (unsigned)i, (unsigned)r->flags);
		if (r->port > 65535)
			return FAIL(VALUE, "srv_resolve %u: port %u", (unsigned)i,
			            (unsigned)r->port);
		if ((e = res_check_word(p, i, detail, dlen)))
			return e;
	}
	return PLAN_E_OK;
}

const struct plan_srv_resolve *plan_srv_resolve_of(const struct plan *p,
                                                   uint32_t srv)
{
	uint32_t lo = 0, hi = p->nsrv_resolves;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (p->srv_resolves[mid].server == srv)
			return &p->srv_resolves[mid];
		if (p->srv_resolves[mid].server < srv)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
