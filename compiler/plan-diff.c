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
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "dump.h"
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
	"leastconn", "first", "source", "random", "uri", "url_param", "hdr",
	"hash" };
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
	F("description", struct plan_global, description, DIFF_STR),
	F("unix-bind flags", struct plan_global, unix_bind_flags, DIFF_FLAGS),
	F("unix-bind mode", struct plan_global, unix_bind_mode, DIFF_U32),
	F("unix-bind uid", struct plan_global, unix_bind_uid, DIFF_U32),
	F("unix-bind gid", struct plan_global, unix_bind_gid, DIFF_U32),
	F("log targets", struct plan_global, nlogs, DIFF_U32),
	F("stats sockets", struct plan_global, nstats, DIFF_U32),
	F("tune.bufsize", struct plan_global, tune_bufsize, DIFF_U32),
	F("tune.maxrewrite", struct plan_global, tune_maxrewrite, DIFF_U32),
	F("tune.http.maxhdr", struct plan_global, tune_http_maxhdr, DIFF_U32),
	F("maxconnrate", struct plan_global, maxconnrate, DIFF_U32),
	F("maxsessrate", struct plan_global, maxsessrate, DIFF_U32),
	F("tune.comp.maxlevel", struct plan_global, tune_comp_maxlevel, DIFF_U32),
	F("tune.zlib.memlevel", struct plan_global, tune_zlib_memlevel, DIFF_U32),
	F("tune.zlib.windowsize", struct plan_global, tune_zlib_windowsize,
	  DIFF_U32),
};

static const struct diff_field diff_proxy[] = {
	E("type", struct plan_proxy, cap, diff_caps),
	E("mode", struct plan_proxy, mode, diff_modes),
	E("balance", struct plan_proxy, balance, diff_balances),
	F("hash-type", struct plan_proxy, hash_type, DIFF_U32),
	F("hash function", struct plan_proxy, hash_func, DIFF_U32),
	F("random draws", struct plan_proxy, random_draws, DIFF_U32),
	F("maxconn", struct plan_proxy, maxconn, DIFF_U32),
	F("timeout connect", struct plan_proxy, timeout_connect, DIFF_MS),
	F("timeout client", struct plan_proxy, timeout_client, DIFF_MS),
	F("timeout server", struct plan_proxy, timeout_server, DIFF_MS),
	F("timeout queue", struct plan_proxy, timeout_queue, DIFF_MS),
	F("timeout tarpit", struct plan_proxy, timeout_tarpit, DIFF_MS),
	F("timeout tunnel", struct plan_proxy, timeout_tunnel, DIFF_MS),
	F("timeout client-fin", struct plan_proxy, timeout_client_fin, DIFF_MS),
	F("timeout server-fin", struct plan_proxy, timeout_server_fin, DIFF_MS),
	F("timeout check", struct plan_proxy, timeout_check, DIFF_MS),
	F("retries", struct plan_proxy, retries, DIFF_U32),
	F("fullconn", struct plan_proxy, fullconn, DIFF_U32),
	F("description", struct plan_proxy, description, DIFF_STR),
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
	F("minconn", struct plan_server, minconn, DIFF_U32),
	F("flags", struct plan_server, flags, DIFF_FLAGS16),
	F("port offset", struct plan_server, port_offset, DIFF_I32),
	F("inter", struct plan_server, inter, DIFF_MS),
	F("fastinter", struct plan_server, fastinter, DIFF_MS),
	F("downinter", struct plan_server, downinter, DIFF_MS),
	F("rise", struct plan_server, rise, DIFF_U32),
	F("fall", struct plan_server, fall, DIFF_U32),
	F("check address", struct plan_server, check_addr, DIFF_SRV_CHECK),
	F("cookie", struct plan_server, cookie, DIFF_STR),
};

static const char *const diff_conn[] = { "http-keep-alive",
                                         "http-server-close", "httpclose" };
static const char *const diff_reuse[] = { "safe", "never", "aggressive",
                                          "always" };

/* The HTTP record of a proxy; the except networks are compared as bytes
 * (diff_http_pair). */
static const struct diff_field diff_http[] = {
	F("http flags", struct plan_http, flags, DIFF_FLAGS),
	E("connection mode", struct plan_http, conn_mode, diff_conn),
	E("http-reuse", struct plan_http, reuse, diff_reuse),
	F("timeout http-request", struct plan_http, timeout_http_request, DIFF_MS),
	F("timeout http-keep-alive", struct plan_http, timeout_http_keep_alive,
	  DIFF_MS),
	F("forwardfor header", struct plan_http, ff_header, DIFF_STR),
	F("originalto header", struct plan_http, ot_header, DIFF_STR),
	F("stats uri", struct plan_http, stats_uri, DIFF_STR),
	F("stats realm", struct plan_http, stats_realm, DIFF_STR),
	F("stats auth", struct plan_http, stats_auth, DIFF_STR),
	F("stats scope", struct plan_http, stats_scope, DIFF_STR),
	F("stats refresh", struct plan_http, stats_refresh, DIFF_U32),
	F("stats show-node", struct plan_http, stats_node, DIFF_STR),
	F("stats show-desc", struct plan_http, stats_desc, DIFF_STR),
	F("monitor-uri", struct plan_http, monitor_uri, DIFF_STR),
	F("log-format", struct plan_http, log_format, DIFF_STR),
	F("unique-id-format", struct plan_http, unique_id_format, DIFF_STR),
	F("unique-id-header", struct plan_http, unique_id_header, DIFF_STR),
	F("cookie", struct plan_http, cookie_name, DIFF_STR),
	F("cookie mode", struct plan_http, cookie_mode, DIFF_U32),
	F("cookie flags", struct plan_http, cookie_flags, DIFF_FLAGS),
	F("cookie domains", struct plan_http, cookie_domains, DIFF_STR),
	F("cookie attrs", struct plan_http, cookie_attrs, DIFF_STR),
	F("cookie maxidle", struct plan_http, cookie_maxidle, DIFF_U32),
	F("cookie maxlife", struct plan_http, cookie_maxlife, DIFF_U32),
	F("errorfile statuses", struct plan_http, errorfile_mask, DIFF_FLAGS),
	F("captures", struct plan_http, ncaptures, DIFF_U32),
	F("compression algos", struct plan_http, comp_algos, DIFF_FLAGS),
	F("compression flags", struct plan_http, comp_flags, DIFF_FLAGS),
	F("compression types", struct plan_http, comp_types, DIFF_STR),
	F("compression minsize-res", struct plan_http, comp_minsize, DIFF_U32),
	F("retry-on", struct plan_http, retry_on, DIFF_FLAGS),
	F("balance uri len", struct plan_http, bal_len, DIFF_U32),
	F("balance uri depth", struct plan_http, bal_depth, DIFF_U32),
	F("balance options", struct plan_http, bal_flags, DIFF_FLAGS),
	F("balance name", struct plan_http, bal_name, DIFF_STR),
	F("balance hash line", struct plan_http, bal_acl, DIFF_U32),
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
			count += plan_diff_srv_resolve(a, (uint32_t)(sa - a->servers),
			                               b, (uint32_t)(sb - b->servers),
			                               prefix, out);
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

/*
 * ACLs and rules are compared as the configuration text --dump prints for
 * them (dump_acl_expr(), dump_rule()), which names ACLs and backends, never
 * plan indices: the same rule is the same text in both plans.
 */

/* malloc'ed text of `n` lines of p->acls from `first` ("; " between
 * them), or of rule `rule` when n is 0; NULL when out of memory. */
static char *diff_text(const struct plan *p, uint32_t first, uint32_t n,
                       uint32_t rule)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (!n)
		dump_rule(p, &p->rules[rule], f);
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			fputs("; ", f);
		dump_acl_expr(p, &p->acls[first + i], f);
	}
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The named ACL `name` of proxy `px`: its first line, and the number of
 * its (adjacent) lines into *n; PLAN_NONE when it has none. */
static uint32_t find_acl(const struct plan *p, const struct plan_proxy *px,
                         const char *name, uint32_t *n)
{
	uint32_t end = px->first_acl + px->nacls;

	for (uint32_t i = px->first_acl; i < end; i++) {
		if (!p->acls[i].name.len ||
		    strcmp(plan_str_get(p, p->acls[i].name), name))
			continue;
		*n = 1;
		while (i + *n < end && p->acls[i + *n].name.len &&
		       !strcmp(plan_str_get(p, p->acls[i + *n].name), name))
			(*n)++;
		return i;
	}
	return PLAN_NONE;
}

/* Named ACLs of `pa` against those of `pb`, by name; `added` as in
 * diff_listeners(). Returns the lines printed, or ~0UL out of memory. */
static unsigned long diff_acl_side(const struct plan *a,
                                   const struct plan_proxy *pa,
                                   const struct plan *b,
                                   const struct plan_proxy *pb,
                                   const char *prefix, int added, FILE *out)
{
	unsigned long count = 0;
	uint32_t n, nb, i = pa->first_acl, end = pa->first_acl + pa->nacls;

	for (; i < end; i += n) {
		const char *name = plan_str_get(a, a->acls[i].name);
		uint32_t j;
		char *ta, *tb = NULL;

		n = 1;
		if (!a->acls[i].name.len)
			continue;
		find_acl(a, pa, name, &n);
		j = find_acl(b, pb, name, &nb);
		if (j != PLAN_NONE && added)
			continue;
		ta = diff_text(a, i, n, 0);
		if (j != PLAN_NONE)
			tb = diff_text(b, j, nb, 0);
		if (!ta || (j != PLAN_NONE && !tb)) {
			free(ta);
			free(tb);
			return ~0UL;
		}
		if (j == PLAN_NONE) {
			fprintf(out, "%s: acl '%s' %s (%s)\n", prefix, name,
			        added ? "added" : "removed", ta);
			count++;
		} else if (strcmp(ta, tb)) {
			fprintf(out, "%s: acl '%s': %s -> %s\n", prefix, name, ta, tb);
			count++;
		}
		free(ta);
		free(tb);
	}
	return count;
}

enum diff_op_kind {
	DIFF_OP_KEEP = 0,      /* the same rule in both */
	DIFF_OP_DEL  = 1,      /* a rule of the old plan only */
	DIFF_OP_INS  = 2,      /* a rule of the new plan only */
};

struct diff_op {
	uint32_t kind;         /* enum diff_op_kind */
	uint32_t i;            /* DEL: index into the old texts */
	uint32_t j;            /* INS: index into the new texts */
	uint32_t moved;        /* DEL: 1 + index of the INS op with its text;
	                          INS: 1 when a DEL reports it; else 0 */
};

/* Largest middle (old rules x new rules) matched by a longest common
 * subsequence; a larger one is one block of changes. */
#define DIFF_LCS_MAX (1u << 20)

/* The edit script from old texts `ta` [0, n) to new `tb` [0, m) into
 * `ops` (room for n + m): rules kept, removed and added, in order, with
 * as many kept as a longest common subsequence allows. Returns the number
 * of ops, or -1 out of memory. */
static long diff_script(char **ta, uint32_t n, char **tb, uint32_t m,
                        struct diff_op *ops)
{
	uint32_t pre = 0, suf = 0, mn, mm, i, j, *lcs = NULL;
	long nops = 0;

	while (pre < n && pre < m && !strcmp(ta[pre], tb[pre]))
		pre++;
	while (suf < n - pre && suf < m - pre &&
	       !strcmp(ta[n - 1 - suf], tb[m - 1 - suf]))
		suf++;
	mn = n - pre - suf;
	mm = m - pre - suf;
	if (mn && mm && (uint64_t)(mn + 1) * (mm + 1) <= DIFF_LCS_MAX) {
		/* lcs[i * (mm + 1) + j]: LCS of the middles from i and j on */
		lcs = calloc((size_t)(mn + 1) * (mm + 1), sizeof(*lcs));
		if (!lcs)
			return -1;
		for (i = mn; i-- > 0;)
			for (j = mm; j-- > 0;)
				lcs[i * (mm + 1) + j] =
					!strcmp(ta[pre + i], tb[pre + j]) ?
					lcs[(i + 1) * (mm + 1) + j + 1] + 1 :
					lcs[(i + 1) * (mm + 1) + j] >
					lcs[i * (mm + 1) + j + 1] ?
					lcs[(i + 1) * (mm + 1) + j] :
					lcs[i * (mm + 1) + j + 1];
	}
	for (i = 0; i < pre; i++)
		ops[nops++] = (struct diff_op){ DIFF_OP_KEEP, i, i, 0 };
	for (i = 0, j = 0; i < mn || j < mm;) {
		if (lcs && i < mn && j < mm && !strcmp(ta[pre + i], tb[pre + j])) {
			ops[nops++] = (struct diff_op){ DIFF_OP_KEEP, pre + i,
			                                pre + j, 0 };
			i++, j++;
		} else if (i < mn && (j == mm || !lcs ||
		                      lcs[(i + 1) * (mm + 1) + j] >=
		                      lcs[i * (mm + 1) + j + 1])) {
			ops[nops++] = (struct diff_op){ DIFF_OP_DEL, pre + i, 0, 0 };
			i++;
		} else {
			ops[nops++] = (struct diff_op){ DIFF_OP_INS, 0, pre + j, 0 };
			j++;
		}
	}
	for (i = 0; i < suf; i++)
		ops[nops++] = (struct diff_op){ DIFF_OP_KEEP, n - suf + i,
		                                m - suf + i, 0 };
	free(lcs);
	return nops;
}

/*
 * Print the edit script: a rule found removed at one place and added at
 * another is "moved"; in each block of changes, removed and added rules
 * pair up in order as "changed", the rest stay removed or added. `oa` and
 * `ob` are the positions of ta[0] and tb[0] among their proxy's rules.
 */
static unsigned long diff_print_script(struct diff_op *ops, long nops,
                                       char **ta, uint32_t oa, char **tb,
                                       uint32_t ob, const char *prefix,
                                       FILE *out)
{
	unsigned long count = 0;

	for (long d = 0; d < nops; d++)
		for (long k = 0; ops[d].kind == DIFF_OP_DEL && k < nops; k++)
			if (ops[k].kind == DIFF_OP_INS && !ops[k].moved &&
			    !strcmp(ta[ops[d].i], tb[ops[k].j])) {
				ops[d].moved = (uint32_t)k + 1;
				ops[k].moved = 1;
				break;
			}
	for (long h = 0, e; h < nops; h = e) {
		long del = h, ins = h;

		if (ops[h].kind == DIFF_OP_KEEP) {
			e = h + 1;
			continue;
		}
		for (e = h; e < nops && ops[e].kind != DIFF_OP_KEEP; e++)
			if (ops[e].kind == DIFF_OP_DEL && ops[e].moved) {
				fprintf(out, "%s: rule moved (%" PRIu32 " -> %" PRIu32
				        "): %s\n", prefix, oa + ops[e].i + 1,
				        ob + ops[ops[e].moved - 1].j + 1, ta[ops[e].i]);
				count++;
			}
		/* del and ins walk the block's unpaired removed and added */
		for (;;) {
			while (del < e && (ops[del].kind != DIFF_OP_DEL ||
			                   ops[del].moved))
				del++;
			while (ins < e && (ops[ins].kind != DIFF_OP_INS ||
			                   ops[ins].moved))
				ins++;
			if (del == e && ins == e)
				break;
			if (del < e && ins < e)
				fprintf(out, "%s: rule changed: %s -> %s\n", prefix,
				        ta[ops[del].i], tb[ops[ins].j]);
			else if (del < e)
				fprintf(out, "%s: rule removed: %s\n", prefix,
				        ta[ops[del].i]);
			else
				fprintf(out, "%s: rule added: %s\n", prefix,
				        tb[ops[ins].j]);
			count++;
			del += del < e;
			ins += ins < e;
		}
	}
	return count;
}

/* Rules [fa, fa + n) of `a` against [fb, fb + m) of `b`, one kind
 * (tcp-request connection or use_backend) at a time. Returns the lines
 * printed, or ~0UL out of memory. */
static unsigned long diff_rule_run(const struct plan *a, uint32_t fa,
                                   uint32_t n, const struct plan *b,
                                   uint32_t fb, uint32_t m,
                                   const struct plan_proxy *pa,
                                   const struct plan_proxy *pb,
                                   const char *prefix, FILE *out)
{
	char **ta = calloc((size_t)n + 1, sizeof(*ta));
	char **tb = calloc((size_t)m + 1, sizeof(*tb));
	struct diff_op *ops = calloc((size_t)n + m + 1, sizeof(*ops));
	unsigned long count = ~0UL;
	long nops;
	uint32_t i;

	if (!ta || !tb || !ops)
		goto done;
	for (i = 0; i < n; i++)
		if (!(ta[i] = diff_text(a, 0, 0, fa + i)))
			goto done;
	for (i = 0; i < m; i++)
		if (!(tb[i] = diff_text(b, 0, 0, fb + i)))
			goto done;
	nops = diff_script(ta, n, tb, m, ops);
	if (nops >= 0)
		count = diff_print_script(ops, nops, ta, fa - pa->first_rule, tb,
		                          fb - pb->first_rule, prefix, out);
done:
	for (i = 0; ta && i < n; i++)
		free(ta[i]);
	for (i = 0; tb && i < m; i++)
		free(tb[i]);
	free(ta);
	free(tb);
	free(ops);
	return count;
}

/* Named ACLs and rules of two proxies, by their configuration text. */
static unsigned long diff_switching(const struct plan *a,
                                    const struct plan_proxy *pa,
                                    const struct plan *b,
                                    const struct plan_proxy *pb,
                                    const char *prefix, FILE *out)
{
	unsigned long parts[2 + PLAN_TCP_SET_MAX], count = 0;
	uint32_t ia = (uint32_t)(pa - a->proxies), ib = (uint32_t)(pb - b->proxies);
	const struct plan_tcp *ta = &a->tcp[ia], *tb = &b->tcp[ib];

	parts[0] = diff_acl_side(a, pa, b, pb, prefix, 0, out);
	parts[1] = diff_acl_side(b, pb, a, pa, prefix, 1, out);
	/* each rule set on its own, in the order they run */
	for (uint32_t set = 0; set < PLAN_TCP_SET_MAX; set++) {
		uint32_t fa, fb, na = plan_tcp_rules_of(a, ia, set, &fa),
		         nb = plan_tcp_rules_of(b, ib, set, &fb);

		parts[2 + set] = diff_rule_run(a, fa, na, b, fb, nb, pa, pb,
		                               prefix, out);
	}
	if (ta->inspect_delay != tb->inspect_delay) {
		fprintf(out, "%s: tcp-request inspect-delay %ums -> %ums\n",
		        prefix, (unsigned)ta->inspect_delay,
		        (unsigned)tb->inspect_delay);
		count++;
	}
	if (ta->res_inspect_delay != tb->res_inspect_delay) {
		fprintf(out, "%s: tcp-response inspect-delay %ums -> %ums\n",
		        prefix, (unsigned)ta->res_inspect_delay,
		        (unsigned)tb->res_inspect_delay);
		count++;
	}
	for (int i = 0; i < 2 + PLAN_TCP_SET_MAX; i++) {
		if (parts[i] == ~0UL) {
			fprintf(out, "%s: ACLs and rules not compared (out of "
			        "memory)\n", prefix);
			return count + 1;
		}
		count += parts[i];
	}
	return count;
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
	count += diff_fields(a, &a->http[ia], b, &b->http[ib], diff_http,
	                     NFIELDS(diff_http), prefix, out);
	if (memcmp(&a->http[ia].ff_except, &b->http[ib].ff_except,
	           sizeof(struct plan_http_net)) ||
	    memcmp(&a->http[ia].ot_except, &b->http[ib].ot_except,
	           sizeof(struct plan_http_net))) {
		fprintf(out, "%s: forwardfor/originalto except network changed\n",
		        prefix);
		count++;
	}
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
	return count + diff_switching(a, pa, b, pb, prefix, out);
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
	count += plan_diff_resolvers(old, new, out);
	return count + diff_preconds(old, new, out);
}
