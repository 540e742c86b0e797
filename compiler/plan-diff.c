/*
 * plan-diff.c: object-level differences between two plans (plan-diff.h).
 *
 * Each record type has a table of the fields that mean something to a
 * user (not line numbers, not the indices that only place records), with
 * how to print them; one generic loop compares two records through it.
 */
#include "config.h"

#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include "addr.h"
#include "plan-diff.h"

enum diff_kind {
	DIFF_U32   = 0,     /* uint32_t, printed as a number */
	DIFF_MS    = 1,     /* uint32_t milliseconds, printed as a time */
	DIFF_I32   = 2,     /* int32_t */
	DIFF_STR   = 3,     /* struct plan_str */
	DIFF_ADDR  = 4,     /* struct plan_addr */
	DIFF_FLAGS = 5,     /* uint32_t bit set, printed in hex */
	DIFF_ENUM  = 6,     /* uint32_t index into `names` */
	DIFF_U16   = 7,     /* uint16_t, printed as a number */
	DIFF_FLAGS16 = 8,   /* uint16_t bit set, printed in hex */
	DIFF_SRV_ADDR = 9,  /* a server's address (record in p->servers) */
	DIFF_SRV_CHECK = 10,/* where a server's checks go, "none" = addr */
};

struct diff_field {
	const char *name;            /* as a user reads it ("timeout server") */
	size_t off;                  /* offsetof in the record */
	enum diff_kind kind;
	const char *const *names;    /* DIFF_ENUM: value names */
	uint32_t nnames;             /* DIFF_ENUM: entries of names */
};

static const char *const diff_caps[] = { "none", "frontend", "backend",
                                         "listen" };
static const char *const diff_modes[] = { "tcp", "http" };
static const char *const diff_balances[] = { "roundrobin", "static-rr",
	"leastconn", "first", "source", "random" };
static const char *const diff_checks[] = { "connect", "tcp-check",
                                           "httpchk" };

#define F(n, type, field, kind) { n, offsetof(type, field), kind, NULL, 0 }
#define E(n, type, field, names) \
	{ n, offsetof(type, field), DIFF_ENUM, names, \
	  sizeof(names) / sizeof(names[0]) }

static const struct diff_field diff_global[] = {
	F("maxconn", struct plan_global, maxconn, DIFF_U32),
	F("flags", struct plan_global, flags, DIFF_FLAGS),
	F("nbthread", struct plan_global, nbthread, DIFF_U32),
	F("pidfile", struct plan_global, pidfile, DIFF_STR),
	F("user", struct plan_global, user, DIFF_STR),
	F("group", struct plan_global, group, DIFF_STR),
	F("chroot", struct plan_global, chroot, DIFF_STR),
	F("log targets", struct plan_global, nlogs, DIFF_U32),
	F("stats sockets", struct plan_global, nstats, DIFF_U32),
};

static const struct diff_field diff_proxy[] = {
	E("type", struct plan_proxy, cap, diff_caps),
	E("mode", struct plan_proxy, mode, diff_modes),
	E("balance", struct plan_proxy, balance, diff_balances),
	F("hash-type", struct plan_proxy, hash_type, DIFF_U32),
	F("random draws", struct plan_proxy, random_draws, DIFF_U32),
	F("maxconn", struct plan_proxy, maxconn, DIFF_U32),
	F("timeout connect", struct plan_proxy, timeout_connect, DIFF_MS),
	F("timeout client", struct plan_proxy, timeout_client, DIFF_MS),
	F("timeout server", struct plan_proxy, timeout_server, DIFF_MS),
	F("timeout queue", struct plan_proxy, timeout_queue, DIFF_MS),
	F("timeout tunnel", struct plan_proxy, timeout_tunnel, DIFF_MS),
	F("timeout client-fin", struct plan_proxy, timeout_client_fin, DIFF_MS),
	F("timeout server-fin", struct plan_proxy, timeout_server_fin, DIFF_MS),
	F("timeout check", struct plan_proxy, timeout_check, DIFF_MS),
	F("retries", struct plan_proxy, retries, DIFF_U32),
	F("flags", struct plan_proxy, flags, DIFF_FLAGS),
	E("check type", struct plan_proxy, check_type, diff_checks),
	F("httpchk method", struct plan_proxy, httpchk_method, DIFF_STR),
	F("httpchk uri", struct plan_proxy, httpchk_uri, DIFF_STR),
	F("httpchk version", struct plan_proxy, httpchk_version, DIFF_STR),
	F("httpchk host", struct plan_proxy, httpchk_host, DIFF_STR),
	F("http-check expect status from", struct plan_proxy, httpchk_status_lo,
	  DIFF_U32),
	F("http-check expect status to", struct plan_proxy, httpchk_status_hi,
	  DIFF_U32),
	F("log format", struct plan_proxy, log_format, DIFF_U32),
	F("log targets", struct plan_proxy, nlogs, DIFF_U32),
};

static const struct diff_field diff_listener[] = {
	F("flags", struct plan_listener, flags, DIFF_FLAGS),
	F("backlog", struct plan_listener, backlog, DIFF_U32),
	F("maxconn", struct plan_listener, maxconn, DIFF_U32),
};

static const struct diff_field diff_server[] = {
	F("address", struct plan_server, addr, DIFF_SRV_ADDR),
	F("weight", struct plan_server, weight, DIFF_U16),
	F("maxconn", struct plan_server, maxconn, DIFF_U32),
	F("maxqueue", struct plan_server, maxqueue, DIFF_U32),
	F("flags", struct plan_server, flags, DIFF_FLAGS16),
	F("port offset", struct plan_server, port_offset, DIFF_I32),
	F("inter", struct plan_server, inter, DIFF_MS),
	F("fastinter", struct plan_server, fastinter, DIFF_MS),
	F("downinter", struct plan_server, downinter, DIFF_MS),
	F("rise", struct plan_server, rise, DIFF_U32),
	F("fall", struct plan_server, fall, DIFF_U32),
	F("check address", struct plan_server, check_addr, DIFF_SRV_CHECK),
};

#undef F
#undef E

/* A time in ms with the largest unit that keeps it exact; 0 is "none". */
static void diff_time(uint32_t ms, char *buf, size_t len)
{
	static const struct { uint32_t ms; const char *unit; } units[] = {
		{ 86400000u, "d" }, { 3600000u, "h" }, { 60000u, "m" },
		{ 1000u, "s" }, { 1u, "ms" },
	};
	size_t i = 0;

	if (ms == 0) {
		snprintf(buf, len, "none");
		return;
	}
	while (ms % units[i].ms)
		i++;
	snprintf(buf, len, "%" PRIu32 "%s", ms / units[i].ms, units[i].unit);
}

/* An address as text, "none" for no address. */
static void diff_addr(const struct plan_addr *a, char *buf, size_t len)
{
	if (a->family == PLAN_FAM_NONE)
		snprintf(buf, len, "none");
	else
		addr_format(a, buf, len);
}

/* A field's value as text into buf. */
static void diff_value(const struct plan *p, const void *rec,
                       const struct diff_field *f, char *buf, size_t len)
{
	const unsigned char *at = (const unsigned char *)rec + f->off;
	struct plan_addr a;
	uint32_t u, srv;
	uint16_t h;
	int32_t i;
	struct plan_str s;

	switch (f->kind) {
	case DIFF_U32:
	case DIFF_MS:
	case DIFF_FLAGS:
	case DIFF_ENUM:
		memcpy(&u, at, sizeof(u));
		if (f->kind == DIFF_MS)
			diff_time(u, buf, len);
		else if (f->kind == DIFF_FLAGS)
			snprintf(buf, len, "0x%" PRIx32, u);
		else if (f->kind == DIFF_ENUM && u < f->nnames)
			snprintf(buf, len, "%s", f->names[u]);
		else
			snprintf(buf, len, "%" PRIu32, u);
		break;
	case DIFF_I32:
		memcpy(&i, at, sizeof(i));
		snprintf(buf, len, "%" PRId32, i);
		break;
	case DIFF_STR:
		memcpy(&s, at, sizeof(s));
		snprintf(buf, len, "'%s'", plan_str_get(p, s));
		break;
	case DIFF_U16:
	case DIFF_FLAGS16:
		memcpy(&h, at, sizeof(h));
		snprintf(buf, len, f->kind == DIFF_U16 ? "%u" : "0x%x",
		         (unsigned)h);
		break;
	case DIFF_ADDR:
		diff_addr((const struct plan_addr *)at, buf, len);
		break;
	case DIFF_SRV_ADDR:
	case DIFF_SRV_CHECK:
		/* rec is a record of p->servers: its index rebuilds the address */
		srv = (uint32_t)((const struct plan_server *)rec - p->servers);
		if (f->kind == DIFF_SRV_CHECK && !plan_server_has_check_addr(p, srv)) {
			snprintf(buf, len, "none");
			break;
		}
		if (f->kind == DIFF_SRV_ADDR)
			plan_server_addr(p, srv, &a);
		else
			plan_server_check_addr(p, srv, &a);
		diff_addr(&a, buf, len);
		break;
	}
}

/* Compare two records field by field; print "PREFIX: field A -> B". */
static unsigned long diff_fields(const struct plan *pa, const void *a,
                                 const struct plan *pb, const void *b,
                                 const struct diff_field *fields, size_t n,
                                 const char *prefix, FILE *out)
{
	char va[192], vb[192];
	unsigned long count = 0;

	for (size_t i = 0; i < n; i++) {
		diff_value(pa, a, &fields[i], va, sizeof(va));
		diff_value(pb, b, &fields[i], vb, sizeof(vb));
		if (!strcmp(va, vb))
			continue;
		fprintf(out, "%s: %s %s -> %s\n", prefix, fields[i].name, va, vb);
		count++;
	}
	return count;
}

#define NFIELDS(t) (sizeof(t) / sizeof(t[0]))

static const char *proxy_name(const struct plan *p, uint32_t i)
{
	return i < p->nproxies ? plan_str_get(p, p->proxies[i].name) : "";
}

/* Index of the proxy named `name` in `p`, or PLAN_NONE. */
static uint32_t find_proxy(const struct plan *p, const char *name)
{
	for (uint32_t i = 0; i < p->nproxies; i++)
		if (!strcmp(proxy_name(p, i), name))
			return i;
	return PLAN_NONE;
}

static void listener_key(const struct plan *p, uint32_t i, char *buf,
                         size_t len)
{
	addr_format(&p->listeners[i].addr, buf, len);
}

/* Listeners of proxy `ia` in `a` against those of `ib` in `b`, by address;
 * `added` 1 prints those of `b` missing from `a` as added, 0 those of
 * `a` missing from `b` as removed (with their changes). */
static unsigned long diff_listeners(const struct plan *a, uint32_t ia,
                                    const struct plan *b, uint32_t ib,
                                    const char *pname, int added, FILE *out)
{
	const struct plan_proxy *pa = &a->proxies[ia], *pb = &b->proxies[ib];
	char ka[192], kb[192], prefix[512];
	unsigned long count = 0;

	for (uint32_t i = 0; i < pa->nlisteners; i++) {
		uint32_t la = pa->first_listener + i, found = PLAN_NONE;

		listener_key(a, la, ka, sizeof(ka));
		for (uint32_t j = 0; j < pb->nlisteners && found == PLAN_NONE; j++) {
			listener_key(b, pb->first_listener + j, kb, sizeof(kb));
			if (!strcmp(ka, kb))
				found = pb->first_listener + j;
		}
		if (found == PLAN_NONE) {
			fprintf(out, "proxy '%s': listener '%s' %s\n", pname, ka,
			        added ? "added" : "removed");
			count++;
		} else if (!added) {
			snprintf(prefix, sizeof(prefix), "proxy '%s': listener '%s'",
			         pname, ka);
			count += diff_fields(a, &a->listeners[la], b,
			                     &b->listeners[found], diff_listener,
			                     NFIELDS(diff_listener), prefix, out);
		}
	}
	return count;
}

/* Servers, by name; same convention as diff_listeners(). */
static unsigned long diff_servers(const struct plan *a, uint32_t ia,
                                  const struct plan *b, uint32_t ib,
                                  const char *pname, int added, FILE *out)
{
	const struct plan_proxy *pa = &a->proxies[ia], *pb = &b->proxies[ib];
	char addr[192], prefix[512];
	unsigned long count = 0;

	for (uint32_t i = 0; i < pa->nservers; i++) {
		const struct plan_server *sa = &a->servers[pa->first_server + i];
		const char *name = plan_str_get(a, sa->name);
		const struct plan_server *sb = NULL;

		for (uint32_t j = 0; j < pb->nservers && !sb; j++)
			if (!strcmp(name, plan_str_get(b, b->servers[pb->first_server +
			                                            j].name)))
				sb = &b->servers[pb->first_server + j];
		if (!sb) {
			struct plan_addr full;

			plan_server_addr(a, pa->first_server + i, &full);
			if (full.family == PLAN_FAM_NONE)
				snprintf(addr, sizeof(addr), "no address");
			else
				addr_format(&full, addr, sizeof(addr));
			fprintf(out, "proxy '%s': server '%s' %s (%s)\n", pname, name,
			        added ? "added" : "removed", addr);
			count++;
		} else if (!added) {
			snprintf(prefix, sizeof(prefix), "proxy '%s': server '%s'",
			         pname, name);
			count += diff_fields(a, sa, b, sb, diff_server,
			                     NFIELDS(diff_server), prefix, out);
		}
	}
	return count;
}

/* 1 when the tcp-check rules of the two proxies differ. */
static int checks_differ(const struct plan *a, const struct plan_proxy *pa,
                         const struct plan *b, const struct plan_proxy *pb)
{
	if (pa->ncheck != pb->ncheck)
		return 1;
	for (uint32_t i = 0; i < pa->ncheck; i++) {
		const struct plan_check_rule *ra = &a->checks[pa->first_check + i];
		const struct plan_check_rule *rb = &b->checks[pb->first_check + i];

		if (ra->op != rb->op || ra->flags != rb->flags ||
		    ra->arg != rb->arg || ra->data.len != rb->data.len ||
		    memcmp(plan_str_get(a, ra->data), plan_str_get(b, rb->data),
		           ra->data.len))
			return 1;
	}
	return 0;
}

static unsigned long diff_proxy_pair(const struct plan *a, uint32_t ia,
                                     const struct plan *b, uint32_t ib,
                                     FILE *out)
{
	const struct plan_proxy *pa = &a->proxies[ia], *pb = &b->proxies[ib];
	const char *name = proxy_name(b, ib);
	const char *da = pa->default_backend == PLAN_NONE ? "none" :
	                 proxy_name(a, pa->default_backend);
	const char *db = pb->default_backend == PLAN_NONE ? "none" :
	                 proxy_name(b, pb->default_backend);
	char prefix[300];
	unsigned long count;

	snprintf(prefix, sizeof(prefix), "proxy '%s'", name);
	count = diff_fields(a, pa, b, pb, diff_proxy, NFIELDS(diff_proxy),
	                    prefix, out);
	if (strcmp(da, db)) {
		fprintf(out, "%s: default_backend %s -> %s\n", prefix, da, db);
		count++;
	}
	count += diff_listeners(a, ia, b, ib, name, 0, out);
	count += diff_listeners(b, ib, a, ia, name, 1, out);
	count += diff_servers(a, ia, b, ib, name, 0, out);
	count += diff_servers(b, ib, a, ia, name, 1, out);
	if (checks_differ(a, pa, b, pb)) {
		fprintf(out, "%s: tcp-check rules changed (%" PRIu32 " -> %" PRIu32
		        " rules)\n", prefix, pa->ncheck, pb->ncheck);
		count++;
	}
	return count;
}

/* 1 when `a` has a precondition of the kind and path of `b`'s i-th. */
static int has_precond(const struct plan *a, const struct plan *b, uint32_t i)
{
	const struct plan_precond *pb = &b->preconds[i];

	for (uint32_t j = 0; j < a->npreconds; j++)
		if (a->preconds[j].kind == pb->kind &&
		    !strcmp(plan_str_get(a, a->preconds[j].path),
		            plan_str_get(b, pb->path)))
			return 1;
	return 0;
}

/* Preconditions (files cfgrun checks at start) added and removed. */
static unsigned long diff_preconds(const struct plan *old,
                                   const struct plan *new, FILE *out)
{
	unsigned long count = 0;

	for (uint32_t i = 0; i < new->npreconds; i++)
		if (!has_precond(old, new, i)) {
			fprintf(out, "precondition added: %s %s\n",
			        plan_str_get(new, new->preconds[i].keyword),
			        plan_str_get(new, new->preconds[i].path));
			count++;
		}
	for (uint32_t i = 0; i < old->npreconds; i++)
		if (!has_precond(new, old, i)) {
			fprintf(out, "precondition removed: %s %s\n",
			        plan_str_get(old, old->preconds[i].keyword),
			        plan_str_get(old, old->preconds[i].path));
			count++;
		}
	return count;
}

unsigned long plan_diff(const struct plan *old, const struct plan *new,
                        FILE *out)
{
	unsigned long count;

	count = diff_fields(old, old->global, new, new->global, diff_global,
	                    NFIELDS(diff_global), "global", out);
	for (uint32_t i = 0; i < new->nproxies; i++) {
		const char *name = proxy_name(new, i);
		uint32_t j = find_proxy(old, name);

		if (j == PLAN_NONE) {
			fprintf(out, "proxy '%s' added (%s)\n", name,
			        diff_caps[new->proxies[i].cap & PLAN_CAP_ALL]);
			count++;
		} else {
			count += diff_proxy_pair(old, j, new, i, out);
		}
	}
	for (uint32_t i = 0; i < old->nproxies; i++) {
		const char *name = proxy_name(old, i);

		if (find_proxy(new, name) == PLAN_NONE) {
			fprintf(out, "proxy '%s' removed (%s)\n", name,
			        diff_caps[old->proxies[i].cap & PLAN_CAP_ALL]);
			count++;
		}
	}
	return count + diff_preconds(old, new, out);
}
