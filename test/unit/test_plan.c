/*
 * test_plan.c: plan builder, digest, writer, reader and verifier.
 *
 * A sample plan is built through the public builder, then verified whole,
 * truncated at every length, flipped at every byte, and corrupted in
 * targeted ways with the digest recomputed so that the structural checks
 * (not the digest) must catch each one with its own reason.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "plan.h"

/* ---- the sample plan --------------------------------------------------- */

enum { NLIS = 8, NSRV = 9, NCHK = 3, NLOG = 2 };

/* Records as the builder got them, to compare after verification. */
struct sample {
	struct plan_global global;
	struct plan_proxy proxies[2];
	struct plan_listener listeners[NLIS];
	struct plan_server servers[NSRV];
	struct plan_addr srv_addr[NSRV];    /* full addresses given */
	struct plan_addr srv_check[NSRV];   /* check addresses, NONE = none */
	const char *srv_host[NSRV];         /* unresolved address words */
	struct plan_check_rule checks[NCHK];
	struct plan_log logs[NLOG];
	struct plan_stats_socket stats[1];
	struct plan_precond preconds[2];
	struct plan_http http[2];           /* fe (tcp): zero; be (http) */
	const char *lis_names[NLIS];
};

static void addr_in(struct plan_addr *a, int proto, const char *ip,
                    uint16_t port)
{
	struct sockaddr_in sin;

	memset(a, 0, sizeof(*a));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	ck_assert_int_eq(inet_pton(AF_INET, ip, &sin.sin_addr), 1);
	a->family = PLAN_FAM_INET;
	a->proto = (uint8_t)proto;
	a->salen = sizeof(sin);
	memcpy(a->sa, &sin, sizeof(sin));
}

static void addr_in6(struct plan_addr *a, int proto, const char *ip,
                     uint16_t port)
{
	struct sockaddr_in6 sin6;

	memset(a, 0, sizeof(*a));
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_port = htons(port);
	ck_assert_int_eq(inet_pton(AF_INET6, ip, &sin6.sin6_addr), 1);
	a->family = PLAN_FAM_INET6;
	a->proto = (uint8_t)proto;
	a->salen = sizeof(sin6);
	memcpy(a->sa, &sin6, sizeof(sin6));
}

/* UNIX: path; ABNS/ABNSZ: abstract name (leading NUL added here). */
static void addr_un(struct plan_addr *a, int family, const char *name)
{
	struct sockaddr_un sun;
	size_t off = offsetof(struct sockaddr_un, sun_path), n = strlen(name);

	memset(a, 0, sizeof(*a));
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	a->family = (uint8_t)family;
	if (family == PLAN_FAM_UNIX) {
		memcpy(sun.sun_path, name, n);
		a->salen = (uint16_t)(off + n + 1);
	} else {
		memcpy(sun.sun_path + 1, name, n);
		a->salen = family == PLAN_FAM_ABNS ? sizeof(sun)
		                                   : (uint16_t)(off + 1 + n);
	}
	memcpy(a->sa, &sun, a->salen);
}

static void addr_fd(struct plan_addr *a, int family, uint32_t fd)
{
	memset(a, 0, sizeof(*a));
	a->family = (uint8_t)family;
	a->fd = fd;
}


/*
 * The frontend's (proxy 0) ACL lines and rules: "a" is two lines (src in
 * 10.1.2.0/24 or 2001:db8::/32; src_port 1024:65535), line 2 is
 * anonymous (nbsrv(be) lt 1):
 *   rule 0  tcp-request connection reject if !a
 *   rule 1  use_backend be if { nbsrv(be) lt 1 } || a
 */
static void sample_switching(struct plan_builder *b)
{
	static const uint8_t v4[4] = { 10, 1, 2, 0 };
	static const uint8_t v6[4] = { 0x20, 0x01, 0x0d, 0xb8 };
	struct plan_pattern *pt;
	struct plan_acl *a;
	struct plan_rule *r;
	struct plan_term *t;
	uint32_t i;

	for (i = 0; i < 4; i++)
		ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_PATTERN), i);
	pt = plan_builder_at(b, PLAN_SEC_PATTERN, 0);
	pt->kind = PLAN_PAT_IPV4;
	pt->prefix = 24;
	memcpy(pt->ip, v4, 4);
	pt = plan_builder_at(b, PLAN_SEC_PATTERN, 1);
	pt->kind = PLAN_PAT_IPV6;
	pt->prefix = 32;
	memcpy(pt->ip, v6, 4);
	pt = plan_builder_at(b, PLAN_SEC_PATTERN, 2);
	pt->kind = PLAN_PAT_INT;
	pt->lo = 1024;
	pt->hi = 65535;
	pt = plan_builder_at(b, PLAN_SEC_PATTERN, 3);
	pt->kind = PLAN_PAT_INT;
	pt->lo = INT64_MIN;
	pt->hi = 0;
	for (i = 0; i < 3; i++) {
		ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_ACL), i);
		a = plan_builder_at(b, PLAN_SEC_ACL, i);
		a->proxy = 0;
		a->arg = PLAN_NONE;
		a->line = 20 + i;
		a->match = i == 0 ? PLAN_MATCH_IP : PLAN_MATCH_INT;
		a->fetch = i == 0 ? PLAN_FETCH_SRC : i == 1 ? PLAN_FETCH_SRC_PORT :
		           PLAN_FETCH_NBSRV;
		a->first_pattern = i == 0 ? 0 : i + 1;
		a->npatterns = i == 0 ? 2 : 1;
		if (i < 2)
			a->name = plan_builder_str(b, "a", 1);
		else
			a->arg = 1;
	}
	for (i = 0; i < 3; i++)
		ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_TERM), i);
	t = plan_builder_at(b, PLAN_SEC_TERM, 0);
	t->first_acl = 0;
	t->nacls = 2;
	t->flags = PLAN_TERM_F_NEGATE;
	t = plan_builder_at(b, PLAN_SEC_TERM, 1);
	t->first_acl = 2;
	t->nacls = 1;
	t = plan_builder_at(b, PLAN_SEC_TERM, 2);
	t->first_acl = 0;
	t->nacls = 2;
	t->flags = PLAN_TERM_F_OR;
	for (i = 0; i < 2; i++) {
		ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_RULE), i);
		r = plan_builder_at(b, PLAN_SEC_RULE, i);
		r->proxy = 0;
		r->action = i == 0 ? PLAN_RULE_REJECT : PLAN_RULE_USE_BACKEND;
		r->backend = i == 0 ? PLAN_NONE : 1;
		r->cond = PLAN_COND_IF;
		r->first_term = i == 0 ? 0 : 1;
		r->nterms = i == 0 ? 1 : 2;
		r->line = 30 + i;
	}
}

/* The HTTP records: none for the TCP frontend, most fields for "be". */
static void sample_http(struct plan_builder *b, struct sample *s)
{
	struct plan_http *h;

	ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_HTTP), 0);
	ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_TCP), 0);
	ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_HTTP), 1);
	ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_TCP), 1);
	h = plan_builder_at(b, PLAN_SEC_HTTP, 1);
	h->flags = PLAN_HTTP_F_FORWARDFOR | PLAN_HTTP_F_FF_IF_NONE |
	           PLAN_HTTP_F_ABORTONCLOSE | PLAN_HTTP_F_STATS |
	           PLAN_HTTP_F_STATS_ADMIN;
	h->conn_mode = PLAN_HTTP_CONN_SERVER_CLOSE;
	h->reuse = PLAN_HTTP_REUSE_ALWAYS;
	h->timeout_http_request = 5000;
	h->timeout_http_keep_alive = 1000;
	h->stats_refresh = 10;
	h->ff_header = plan_builder_str(b, "X-Forwarded-For", 15);
	h->ff_except.family = PLAN_FAM_INET;
	h->ff_except.prefix = 8;
	h->ff_except.ip[0] = 10;
	h->stats_uri = plan_builder_str(b, "/haproxy?stats", 14);
	h->stats_auth = plan_builder_str(b, "admin:pw\nu2:\n", 13);
	s->http[1] = *h;
}

/* A resolvers section "dns" with one nameserver (127.0.0.1:53); server 0
 * ("s1", 10.0.0.1:80) resolves "app.example" through it. */
static void sample_dns(struct plan_builder *b)
{
	struct plan_resolvers *r;
	struct plan_nameserver *ns;
	struct plan_srv_resolve *sr;

	ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_RESOLVERS), 0);
	ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_NAMESERVER), 0);
	ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_SRV_RESOLVE), 0);
	r = plan_builder_at(b, PLAN_SEC_RESOLVERS, 0);
	r->name = plan_builder_str(b, "dns", 3);
	r = plan_builder_at(b, PLAN_SEC_RESOLVERS, 0);
	r->retries = 3;
	r->timeout_resolve = r->timeout_retry = 1000;
	r->hold_valid = 10000;
	r->hold_nx = r->hold_other = r->hold_refused = r->hold_timeout = 30000;
	r->payload = 512;
	r->ns_count = 1;
	ns = plan_builder_at(b, PLAN_SEC_NAMESERVER, 0);
	ns->id = plan_builder_str(b, "ns1", 3);
	ns = plan_builder_at(b, PLAN_SEC_NAMESERVER, 0);
	ns->addr.family = PLAN_FAM_INET;
	ns->addr.port = 53;
	ns->addr.ip[0] = 127;
	ns->addr.ip[3] = 1;
	sr = plan_builder_at(b, PLAN_SEC_SRV_RESOLVE, 0);
	sr->host = plan_builder_str(b, "app.example", 11);
	sr = plan_builder_at(b, PLAN_SEC_SRV_RESOLVE, 0);
	sr->port = 80;
	sr->flags = PLAN_SRES_F_PREFER_V4;
}

/*
 * Build the sample through the builder, filling `s` with the records as
 * they were written. Proxy 0 "fe" (frontend, 8 listeners of every family,
 * default_backend 1), proxy 1 "be" (backend, 3 servers).
 */
/* Server 1 ("s2") talks TLS: one TLS_SERVER record. */
static void sample_tls_server(struct plan_builder *b)
{
	static const uint8_t der[] = { 0x30, 0x03, 0x02, 0x01, 0x05 };
	struct plan_str d;
	struct plan_tls_server *t;

	ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_TLS_SERVER), 0);
	t = plan_builder_at(b, PLAN_SEC_TLS_SERVER, 0);
	t->server = 1;
	t->flags = PLAN_TLS_SRV_F_SSL | PLAN_TLS_SRV_F_VERIFY;
	t->min_ver = 0x0303;
	t->max_ver = 0x0304;
	t->sni = PLAN_TLS_SNI_STR;
	t->sni_name = plan_builder_str(b, "app.example", 11);
	t->alpn = plan_builder_str(b, "h2,http/1.1", 11);
	t->ca_file = plan_builder_str(b, "/etc/ca.pem", 11);
	d = plan_builder_str(b, (const char *)der, sizeof(der));
	t = plan_builder_at(b, PLAN_SEC_TLS_SERVER, 0);
	t->ca_off = d.off;
	t->ca_len = d.len;
	((struct plan_server *)plan_builder_at(b, PLAN_SEC_SERVER, 1))->flags |=
		PLAN_SRV_F_TLS;
}

static void build_sample(struct sample *s, uint8_t **buf, size_t *len)
{
	struct plan_builder *b = plan_builder_new();
	struct plan_global *g;
	struct plan_proxy *px;
	struct plan_listener *l;
	struct plan_server *sv;
	uint32_t i;

	ck_assert_ptr_nonnull(b);
	memset(s, 0, sizeof(*s));

	ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_GLOBAL), 0);
	g = plan_builder_at(b, PLAN_SEC_GLOBAL, 0);
	g->maxconn = 4096;
	g->source = plan_builder_str(b, "demo.cfg", 8);
	g->tune_bufsize = 32768;
	g->tune_maxrewrite = 0;            /* tune.maxrewrite 0 */
	g->flags = PLAN_GLB_F_MAXREWRITE;
	s->global = *g;
	s->global.nproxies = 2;       /* filled by finish */

	ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_PROXY), 0);
	ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_PROXY), 1);
	px = plan_builder_at(b, PLAN_SEC_PROXY, 0);
	px->name = plan_builder_str(b, "fe", 2);
	px->cap = PLAN_CAP_FE;
	px->mode = PLAN_MODE_TCP;
	px->maxconn = 1000;
	px->timeout_client = 30000;
	px->default_backend = 1;
	px->first_listener = 0;
	px->nlisteners = NLIS;
	px->line = 7;
	s->proxies[0] = *px;
	px = plan_builder_at(b, PLAN_SEC_PROXY, 1);
	px->name = plan_builder_str(b, "be", 2);
	px->cap = PLAN_CAP_BE;
	px->mode = PLAN_MODE_HTTP;
	px->balance = PLAN_BALANCE_ROUNDROBIN;
	px->timeout_connect = 5000;
	px->timeout_server = 30000;
	px->default_backend = PLAN_NONE;
	px->first_server = 0;
	px->nservers = NSRV;
	px->line = 12;
	s->proxies[1] = *px;

	s->lis_names[0] = "127.0.0.1:8080";
	s->lis_names[1] = "mptcp4@127.0.0.1:8081";
	s->lis_names[2] = "ipv6@[::1]:8443";
	s->lis_names[3] = "mptcp6@[::1]:8444";
	s->lis_names[4] = "unix@/run/hapc.sock";
	s->lis_names[5] = "abns@hapc";
	s->lis_names[6] = "abnsz@hapc";
	s->lis_names[7] = "fd@3";
	for (i = 0; i < NLIS; i++) {
		ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_LISTENER), i);
		l = plan_builder_at(b, PLAN_SEC_LISTENER, i);
		l->proxy = 0;
		l->line = 8 + i;
		l->name = plan_builder_str(b, s->lis_names[i],
		                           strlen(s->lis_names[i]));
		switch (i) {
		case 0: addr_in(&l->addr, PLAN_PROTO_TCP, "127.0.0.1", 8080); break;
		case 1: addr_in(&l->addr, PLAN_PROTO_MPTCP, "127.0.0.1", 8081); break;
		case 2: addr_in6(&l->addr, PLAN_PROTO_TCP, "::1", 8443); break;
		case 3: addr_in6(&l->addr, PLAN_PROTO_MPTCP, "::1", 8444); break;
		case 4: addr_un(&l->addr, PLAN_FAM_UNIX, "/run/hapc.sock"); break;
		case 5: addr_un(&l->addr, PLAN_FAM_ABNS, "hapc"); break;
		case 6: addr_un(&l->addr, PLAN_FAM_ABNSZ, "hapc"); break;
		default: addr_fd(&l->addr, PLAN_FAM_FD, 3); break;
		}
		s->listeners[i] = *l;
	}

	/*
	 * Servers of every address family: 0 inet with a check address of
	 * its own, 1 inet6 MPTCP, 2 inet without port, 3 unix, 4 abns,
	 * 5 abnsz, 6 sockpair, 7 unresolved (a host word), 8 inet6 whose
	 * checks go to another port. Their addresses are stored last (see
	 * the end of this function), so the blob ends with server 7's word.
	 */
	for (i = 0; i < NSRV; i++) {
		static const char *const names[NSRV] = {
			"s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9" };

		ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_SERVER), i);
		sv = plan_builder_at(b, PLAN_SEC_SERVER, i);
		sv->proxy = 1;
		sv->line = 13 + i;
		sv->name = plan_builder_str(b, names[i], 2);
		sv->weight = i == 1 ? 256 : 1;
		sv->maxconn = 100 * i;
		sv->inter = 2000;
		sv->rise = 2;
		sv->fall = 3;
		switch (i) {
		case 0:
			addr_in(&s->srv_addr[i], PLAN_PROTO_TCP, "10.0.0.1", 80);
			addr_in(&s->srv_check[i], PLAN_PROTO_TCP, "10.0.0.9", 9999);
			sv->flags = PLAN_SRV_F_CHECK | PLAN_SRV_F_SEND_PROXY2;
			break;
		case 1:
			addr_in6(&s->srv_addr[i], PLAN_PROTO_MPTCP, "2001:db8::1", 443);
			break;
		case 2:
			addr_in(&s->srv_addr[i], PLAN_PROTO_TCP, "10.0.0.3", 0);
			sv->flags = PLAN_SRV_F_NOPORT;
			break;
		case 3: addr_un(&s->srv_addr[i], PLAN_FAM_UNIX, "/run/app.sock"); break;
		case 4: addr_un(&s->srv_addr[i], PLAN_FAM_ABNS, "app"); break;
		case 5: addr_un(&s->srv_addr[i], PLAN_FAM_ABNSZ, "app2"); break;
		case 6: addr_fd(&s->srv_addr[i], PLAN_FAM_SOCKPAIR, 4); break;
		case 7: s->srv_host[i] = "app.example:8080"; break;
		default:
			addr_in6(&s->srv_addr[i], PLAN_PROTO_TCP, "2001:db8::9", 80);
			addr_in6(&s->srv_check[i], PLAN_PROTO_TCP, "2001:db8::9", 81);
			sv->flags = PLAN_SRV_F_CHECK;
			break;
		}
	}

	/* The engine tables: three tcp-check rules of "be", a global log
	 * target (stderr) and one of "fe" (UDP), a stats socket. */
	for (i = 0; i < NCHK; i++) {
		static const char *const data[NCHK] = { "", "PING", "PONG" };
		struct plan_check_rule *r;

		ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_CHECK), i);
		r = plan_builder_at(b, PLAN_SEC_CHECK, i);
		r->proxy = 1;
		r->op = i == 0 ? PLAN_CHK_CONNECT : i == 1 ? PLAN_CHK_SEND
		                                           : PLAN_CHK_EXPECT_STRING;
		r->flags = i == 2 ? PLAN_CHK_F_NEGATE : 0;
		r->arg = i == 0 ? 8081 : 0;
		r->data = plan_builder_str(b, data[i], strlen(data[i]));
		r->line = 20 + i;
		s->checks[i] = *r;
	}
	for (i = 0; i < NLOG; i++) {
		struct plan_log *lg;

		ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_LOG), i);
		lg = plan_builder_at(b, PLAN_SEC_LOG, i);
		lg->owner = i == 0 ? PLAN_NONE : 0;
		lg->target = i == 0 ? PLAN_LOGT_FD : PLAN_LOGT_UDP;
		lg->facility = 16;
		lg->level = 6;
		lg->format = i == 0 ? 2 : 0;
		lg->line = 3 + i;
		if (i == 0)
			addr_fd(&lg->addr, PLAN_FAM_FD, 2);
		else
			addr_in(&lg->addr, PLAN_PROTO_TCP, "127.0.0.1", 514);
		s->logs[i] = *lg;
	}
	ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_STATS), 0);
	{
		struct plan_stats_socket *st = plan_builder_at(b, PLAN_SEC_STATS, 0);

		st->level = PLAN_STATS_ADMIN;
		st->mode = 0600;
		st->line = 5;
		st->uid = 1000;
		st->gid = PLAN_STATS_NO_ID;
		addr_un(&st->addr, PLAN_FAM_UNIX, "/run/hapc-stats.sock");
		s->stats[0] = *st;
	}
	for (i = 0; i < 2; i++) {
		struct plan_precond *pc;

		ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_PRECOND), i);
		pc = plan_builder_at(b, PLAN_SEC_PRECOND, i);
		pc->kind = i == 0 ? PLAN_PRE_CERT : PLAN_PRE_ERRORFILE;
		pc->line = 30 + i;
		pc->col = 9;
		pc->path = plan_builder_str(b, i == 0 ? "/etc/ssl/site.pem" :
		                            "/etc/haproxy/503.http",
		                            i == 0 ? 17 : 21);
		pc->source = plan_builder_str(b, "demo.cfg", 8);
		pc->keyword = plan_builder_str(b, i == 0 ? "crt" : "errorfile",
		                               i == 0 ? 3 : 9);
		s->preconds[i] = *pc;
	}
	g = plan_builder_at(b, PLAN_SEC_GLOBAL, 0);
	g->flags = PLAN_GLB_F_DAEMON | PLAN_GLB_F_MAXREWRITE;
	g->nbthread = 2;
	g->pidfile = plan_builder_str(b, "/run/hapc.pid", 13);
	g->user = plan_builder_str(b, "nobody", 6);
	g->first_log = 0;
	g->nlogs = 1;
	g->first_stats = 0;
	g->nstats = 1;
	s->global = *g;
	s->global.nproxies = 2;
	sample_switching(b);
	px = plan_builder_at(b, PLAN_SEC_PROXY, 0);
	px->flags = PLAN_PX_F_LOG | PLAN_PX_F_LOG_GLOBAL;
	px->first_log = 1;
	px->nlogs = 1;
	px->nacls = 3;
	px->nrules = 2;
	px->nconn_rules = 1;
	s->proxies[0] = *px;
	px = plan_builder_at(b, PLAN_SEC_PROXY, 1);
	px->flags = PLAN_PX_F_REDISPATCH;
	px->retries = 3;
	px->check_type = PLAN_CHECK_TCP;
	px->first_check = 0;
	px->ncheck = NCHK;
	px->first_log = 2;
	px->first_acl = 3;
	px->first_rule = 2;
	s->proxies[1] = *px;

	sample_http(b, s);      /* before the servers: their text ends the blob */
	sample_dns(b);
	sample_tls_server(b);
	for (i = 0; i < NSRV; i++) {
		ck_assert_int_eq(plan_builder_server_addrs(b, i, &s->srv_addr[i],
		                                           s->srv_host[i],
		                                           &s->srv_check[i]), 0);
		s->servers[i] = *(struct plan_server *)plan_builder_at(
			b, PLAN_SEC_SERVER, i);
	}

	ck_assert_int_eq(plan_builder_finish(b, buf, len), 0);
	plan_builder_free(b);
}

/* ---- helpers ------------------------------------------------------------ */

/* Section `kind`'s directory entry in an image built by the builder. */
static struct plan_section *dir_of(uint8_t *buf, enum plan_section_kind kind)
{
	struct plan_header *h = (struct plan_header *)buf;
	struct plan_section *d = (struct plan_section *)(buf + PLAN_HEADER_SIZE);
	uint32_t i;

	for (i = 0; i < h->nsections; i++)
		if (d[i].kind == (uint32_t)kind)
			return &d[i];
	ck_abort_msg("no section of kind %d", (int)kind);
	return NULL;
}

static void *rec(uint8_t *buf, enum plan_section_kind kind, uint32_t i)
{
	struct plan_section *d = dir_of(buf, kind);

	return buf + d->offset + (size_t)i * d->elem_size;
}

static void redigest(uint8_t *buf, size_t len)
{
	struct plan_header *h = (struct plan_header *)buf;

	plan_digest(buf, len, h->digest);
}

/* ---- whole plan --------------------------------------------------------- */

START_TEST(test_build_and_verify_round_trip)
{
	struct sample s;
	struct plan p;
	uint8_t *buf;
	size_t len;
	char detail[256];
	uint32_t i;

	build_sample(&s, &buf, &len);
	ck_assert_uint_eq(len % 8, 0);
	ck_assert_int_eq(plan_verify(buf, len, &p, detail, sizeof(detail)),
	                 PLAN_E_OK);
	ck_assert_str_eq(detail, "");
	ck_assert_ptr_eq(p.base, buf);
	ck_assert_uint_eq(p.size, len);
	ck_assert_int_eq(p.mapped, 0);
	ck_assert_int_eq(memcmp(p.hdr->magic, "HAPCPLAN", 8), 0);
	ck_assert_uint_eq(p.hdr->major, PLAN_VERSION_MAJOR);
	ck_assert_uint_eq(p.hdr->minor, PLAN_VERSION_MINOR);
	ck_assert_uint_eq(p.hdr->file_size, len);
	ck_assert_uint_eq(p.hdr->header_size, 72);
	/* every kind this writer knows: 1..25 */
	ck_assert_uint_eq(p.hdr->nsections, PLAN_SEC_KIND_MAX - 1);

	/* Every field of every record comes back as it was built. */
	ck_assert_int_eq(memcmp(p.global, &s.global, sizeof(s.global)), 0);
	ck_assert_uint_eq(p.global->maxconn, 4096);
	ck_assert_uint_eq(p.global->nproxies, 2);
	ck_assert_str_eq(plan_str_get(&p, p.global->source), "demo.cfg");
	ck_assert_uint_eq(p.nproxies, 2);
	ck_assert_int_eq(memcmp(p.proxies, s.proxies, sizeof(s.proxies)), 0);
	ck_assert_str_eq(plan_str_get(&p, p.proxies[0].name), "fe");
	ck_assert_str_eq(plan_str_get(&p, p.proxies[1].name), "be");
	ck_assert_uint_eq(p.proxies[0].default_backend, 1);
	ck_assert_uint_eq(p.proxies[1].default_backend, PLAN_NONE);
	ck_assert_uint_eq(p.proxies[1].mode, PLAN_MODE_HTTP);
	ck_assert_uint_eq(p.nhttp, 2);
	ck_assert_int_eq(memcmp(p.http, s.http, sizeof(s.http)), 0);
	ck_assert_str_eq(plan_str_get(&p, p.http[1].stats_auth), "admin:pw\nu2:\n");
	ck_assert_uint_eq(plan_tune_bufsize(p.global), 32768);
	ck_assert_uint_eq(plan_tune_maxrewrite(p.global), 0);
	ck_assert_uint_eq(plan_tune_http_maxhdr(p.global), 101);
	ck_assert_uint_eq(p.nlisteners, NLIS);
	ck_assert_int_eq(memcmp(p.listeners, s.listeners, sizeof(s.listeners)), 0);
	for (i = 0; i < NLIS; i++)
		ck_assert_str_eq(plan_str_get(&p, p.listeners[i].name),
		                 s.lis_names[i]);
	ck_assert_uint_eq(p.listeners[1].addr.proto, PLAN_PROTO_MPTCP);
	ck_assert_uint_eq(p.listeners[3].addr.family, PLAN_FAM_INET6);
	ck_assert_uint_eq(p.listeners[7].addr.fd, 3);
	ck_assert_uint_eq(p.nservers, NSRV);
	ck_assert_int_eq(memcmp(p.servers, s.servers, sizeof(s.servers)), 0);
	ck_assert_str_eq(plan_str_get(&p, p.servers[2].name), "s3");
	ck_assert_uint_eq(p.servers[1].weight, 256);
	ck_assert_uint_eq(p.servers[2].flags, PLAN_SRV_F_NOPORT);
	/* Compact addresses come back as the full ones given. */
	for (i = 0; i < NSRV; i++) {
		struct plan_addr a;

		plan_server_addr(&p, i, &a);
		ck_assert_msg(memcmp(&a, &s.srv_addr[i], sizeof(a)) == 0,
		              "server %u: address differs", (unsigned)i);
		plan_server_check_addr(&p, i, &a);
		ck_assert_msg(memcmp(&a, s.srv_check[i].family ? &s.srv_check[i]
		                                              : &s.srv_addr[i],
		                     sizeof(a)) == 0,
		              "server %u: check address differs", (unsigned)i);
		ck_assert_int_eq(plan_server_has_check_addr(&p, i),
		                 s.srv_check[i].family != PLAN_FAM_NONE);
		ck_assert_str_eq(plan_server_host(&p, i),
		                 s.srv_host[i] ? s.srv_host[i] : "");
	}
	ck_assert_uint_eq(p.ncheck_addrs, 2);
	ck_assert_uint_eq(p.servers[0].check_addr, 0);
	ck_assert_uint_eq(p.servers[8].check_addr, 1);
	ck_assert_uint_eq(p.servers[1].check_addr, PLAN_NONE);
	ck_assert_uint_eq(p.servers[1].addr.port, 443);
	ck_assert_uint_eq(p.servers[1].addr.proto, PLAN_PROTO_MPTCP);
	ck_assert_uint_eq(p.servers[6].addr.aux, 4);
	ck_assert_str_eq(p.blob + p.servers[3].addr.aux, "/run/app.sock");
	ck_assert_uint_eq(p.nchecks, NCHK);
	ck_assert_int_eq(memcmp(p.checks, s.checks, sizeof(s.checks)), 0);
	ck_assert_str_eq(plan_str_get(&p, p.checks[1].data), "PING");
	ck_assert_uint_eq(p.nlogs, NLOG);
	ck_assert_int_eq(memcmp(p.logs, s.logs, sizeof(s.logs)), 0);
	ck_assert_uint_eq(p.nstats, 1);
	ck_assert_int_eq(memcmp(p.stats, s.stats, sizeof(s.stats)), 0);
	ck_assert_str_eq(plan_str_get(&p, p.global->user), "nobody");
	ck_assert_uint_eq(p.npreconds, 2);
	ck_assert_int_eq(memcmp(p.preconds, s.preconds, sizeof(s.preconds)), 0);
	ck_assert_str_eq(plan_str_get(&p, p.preconds[1].path),
	                 "/etc/haproxy/503.http");
	ck_assert_str_eq(plan_str_get(&p, p.preconds[0].keyword), "crt");
	/* Blob: byte 0 is the empty string, then strings in first-use order. */
	ck_assert_uint_eq((unsigned char)p.blob[0], 0);
	ck_assert_uint_eq(p.global->source.off, 1);
	ck_assert_uint_eq(p.proxies[0].name.off, 1 + 9);

	/* Detail and out are optional. */
	ck_assert_int_eq(plan_verify(buf, len, NULL, NULL, 0), PLAN_E_OK);
	free(buf);
}
END_TEST

/* Addresses the compact server record cannot hold are refused by the
 * builder (and then by finish), never stored approximately. */
START_TEST(test_server_addr_refused)
{
	struct plan_addr a, ck;
	struct plan_builder *b;
	uint8_t *buf;
	size_t len;
	int i;

	for (i = 0; i < 8; i++) {
		b = plan_builder_new();
		ck_assert_ptr_nonnull(b);
		ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_GLOBAL), 0);
		ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_SERVER), 0);
		addr_in(&a, PLAN_PROTO_TCP, "10.0.0.1", 80);
		memset(&ck, 0, sizeof(ck));
		switch (i) {
		case 0: a.sa[8] = 1; break;                      /* sin_zero */
		case 1: addr_un(&a, PLAN_FAM_UNIX, "/x"); a.salen++; break;
		case 2: addr_un(&a, PLAN_FAM_ABNS, "x"); a.sa[5] = 'y'; break;
		case 3: addr_un(&a, PLAN_FAM_UNIX, "/x"); a.proto = PLAN_PROTO_MPTCP; break;
		case 4: addr_un(&ck, PLAN_FAM_UNIX, "/x"); break; /* check on unix */
		case 5: a.fd = 3; break;
		case 6: addr_in6(&a, PLAN_PROTO_TCP, "::1", 80); a.sa[4] = 1; break; /* flowinfo */
		default: break;                                  /* host beside addr */
		}
		ck_assert_msg(plan_builder_server_addrs(b, 0, &a, i == 7 ? "h:1" : NULL,
		                                        &ck) == -1, "case %d stored", i);
		ck_assert_int_eq(plan_builder_finish(b, &buf, &len), -1);
		plan_builder_free(b);
	}
	/* No such server record. */
	b = plan_builder_new();
	ck_assert_ptr_nonnull(b);
	addr_in(&a, PLAN_PROTO_TCP, "10.0.0.1", 80);
	ck_assert_int_eq(plan_builder_server_addrs(b, 0, &a, NULL, NULL), -1);
	plan_builder_free(b);
}
END_TEST

START_TEST(test_deterministic)
{
	struct sample s;
	uint8_t *a, *b, da[PLAN_DIGEST_LEN], db[PLAN_DIGEST_LEN];
	size_t alen, blen;
	char hex[65];

	build_sample(&s, &a, &alen);
	build_sample(&s, &b, &blen);
	ck_assert_uint_eq(alen, blen);
	ck_assert_int_eq(memcmp(a, b, alen), 0);
	plan_digest(a, alen, da);
	plan_digest(b, blen, db);
	ck_assert_int_eq(memcmp(da, db, sizeof(da)), 0);
	/* The stored digest is the digest of the image. */
	ck_assert_int_eq(memcmp(da, ((struct plan_header *)a)->digest,
	                        PLAN_DIGEST_LEN), 0);
	plan_digest_hex(da, hex);
	ck_assert_uint_eq(strlen(hex), 64);
	ck_assert_uint_eq(strspn(hex, "0123456789abcdef"), 64);
	free(a);
	free(b);
}
END_TEST

START_TEST(test_digest_known_vectors)
{
	uint8_t d[PLAN_DIGEST_LEN], img[200];
	char hex[65];

	/* Shorter than the digest field: plain SHA-256. */
	plan_digest("", 0, d);
	plan_digest_hex(d, hex);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	plan_digest("abc", 3, d);
	plan_digest_hex(d, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	/* The digest field does not count: any content there, same digest. */
	memset(img, 0, sizeof(img));
	plan_digest(img, sizeof(img), d);
	memset(img + offsetof(struct plan_header, digest), 0xab, PLAN_DIGEST_LEN);
	{
		uint8_t d2[PLAN_DIGEST_LEN];

		plan_digest(img, sizeof(img), d2);
		ck_assert_int_eq(memcmp(d, d2, sizeof(d)), 0);
		img[199] = 1;
		plan_digest(img, sizeof(img), d2);
		ck_assert_int_ne(memcmp(d, d2, sizeof(d)), 0);
	}
}
END_TEST

/* The streaming digest gives the same bytes however the image is cut,
 * cuts inside and around the digest field included. */
START_TEST(test_digest_in_pieces)
{
	static const size_t steps[] = { 1, 3, 7, 32, 40, 64, 71, 72, 73, 199 };
	uint8_t img[200], whole[PLAN_DIGEST_LEN], d[PLAN_DIGEST_LEN];
	struct plan_digest_ctx c;
	size_t i, at, n;

	for (i = 0; i < sizeof(img); i++)
		img[i] = (uint8_t)(i * 7 + 1);
	plan_digest(img, sizeof(img), whole);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		plan_digest_init(&c);
		for (at = 0; at < sizeof(img); at += n) {
			n = sizeof(img) - at < steps[i] ? sizeof(img) - at : steps[i];
			plan_digest_update(&c, img + at, n);
		}
		plan_digest_final(&c, d);
		ck_assert_msg(memcmp(d, whole, sizeof(d)) == 0, "pieces of %zu",
		              steps[i]);
	}
}
END_TEST

/* ---- builder ------------------------------------------------------------ */

START_TEST(test_builder_strings_and_limits)
{
	struct plan_builder *b = plan_builder_new();
	struct plan_str a, c, e;
	uint8_t *buf;
	size_t len;
	uint32_t blob0;
	int i;

	ck_assert_ptr_nonnull(b);
	blob0 = plan_builder_count(b, PLAN_SEC_BLOB);
	ck_assert_uint_eq(blob0, 1);
	a = plan_builder_str(b, "alpha", 5);
	c = plan_builder_str(b, "alpha!", 5);  /* only 5 bytes: same string */
	ck_assert_uint_eq(a.off, c.off);
	ck_assert_uint_eq(a.len, 5);
	e = plan_builder_str(b, "", 0);
	ck_assert_uint_eq(e.off, 0);
	ck_assert_uint_eq(e.len, 0);
	c = plan_builder_str(b, "alph", 4);    /* a prefix is its own string */
	ck_assert_uint_ne(a.off, c.off);
	ck_assert_uint_eq(plan_builder_count(b, PLAN_SEC_BLOB), 1 + 6 + 5);
	/* Many strings force rehashing; duplicates still found. */
	for (i = 0; i < 2000; i++) {
		char name[32];
		int n = snprintf(name, sizeof(name), "srv%d", i);
		struct plan_str x = plan_builder_str(b, name, (size_t)n);
		struct plan_str y = plan_builder_str(b, name, (size_t)n);

		ck_assert_uint_eq(x.off, y.off);
	}
	ck_assert_uint_eq(plan_builder_str(b, "alpha", 5).off, a.off);

	ck_assert_ptr_null(plan_builder_at(b, PLAN_SEC_PROXY, 0));
	ck_assert_ptr_null(plan_builder_at(b, PLAN_SEC_BLOB, 0));
	/* No global record: finish refuses. */
	ck_assert_int_eq(plan_builder_finish(b, &buf, &len), -1);
	ck_assert_ptr_null(buf);
	ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_GLOBAL), 0);
	ck_assert_int_eq(plan_builder_finish(b, &buf, &len), 0);
	ck_assert_int_eq(plan_verify(buf, len, NULL, NULL, 0), PLAN_E_OK);
	free(buf);
	/* A second global is beyond the format: the builder fails for good. */
	ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_GLOBAL), PLAN_NONE);
	ck_assert_int_eq(plan_builder_finish(b, &buf, &len), -1);
	plan_builder_free(b);

	b = plan_builder_new();
	ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_BLOB), PLAN_NONE);
	ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_GLOBAL), 0);
	ck_assert_int_eq(plan_builder_finish(b, &buf, &len), -1);
	plan_builder_free(b);
	b = plan_builder_new();
	ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_KIND_MAX), PLAN_NONE);
	plan_builder_free(b);
	plan_builder_free(NULL);
}
END_TEST

/* ---- writing and mapping ------------------------------------------------- */

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* The opened plan is a private copy: writing the file in place or
 * truncating it (instead of renaming a new one over it) changes nothing in
 * what was verified and touching every byte cannot fault. */
START_TEST(test_open_survives_file_changes)
{
	char dir[] = "/tmp/hapc-test-plan-XXXXXX", path[256], err[512];
	struct sample s;
	struct plan p, again;
	uint8_t *buf, sum = 0;
	size_t len, i;
	int fd;

	build_sample(&s, &buf, &len);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/plan.bin", dir);
	ck_assert_int_eq(plan_write_file(path, buf, len, err, sizeof(err)), 0);
	ck_assert_int_eq(plan_open(path, &p, err, sizeof(err)), PLAN_E_OK);

	fd = open(path, O_WRONLY | O_TRUNC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "garbage", 7), 7);
	ck_assert_int_eq(close(fd), 0);

	for (i = 0; i < p.size; i++)
		sum ^= p.base[i];
	(void)sum;
	ck_assert_int_eq(memcmp(p.base, buf, len), 0);
	ck_assert_int_eq(plan_verify(p.base, p.size, &again, err, sizeof(err)),
	                 PLAN_E_OK);
	ck_assert_str_eq(plan_str_get(&p, p.proxies[1].name), "be");
	plan_close(&p);
	unlink(path);
	ck_assert_int_eq(rmdir(dir), 0);
	free(buf);
}
END_TEST

START_TEST(test_write_and_open)
{
	char dir[] = "/tmp/hapc-test-plan-XXXXXX", path[256], err[512];
	struct sample s;
	struct plan p;
	uint8_t *buf;
	size_t len;
	FILE *f;

	build_sample(&s, &buf, &len);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/plan.bin", dir);
	ck_assert_int_eq(plan_write_file(path, buf, len, err, sizeof(err)), 0);
	ck_assert_int_eq(count_entries(dir), 1);   /* no temporary left */
	/* Overwrite in place (rename over the old file). */
	ck_assert_int_eq(plan_write_file(path, buf, len, err, sizeof(err)), 0);
	ck_assert_int_eq(count_entries(dir), 1);

	ck_assert_int_eq(plan_open(path, &p, err, sizeof(err)), PLAN_E_OK);
	ck_assert_int_eq(p.mapped, 1);
	ck_assert_uint_eq(p.size, len);
	ck_assert_int_eq(memcmp(p.base, buf, len), 0);
	ck_assert_str_eq(plan_str_get(&p, p.proxies[1].name), "be");
	plan_close(&p);
	ck_assert_ptr_null(p.base);
	plan_close(&p);                            /* harmless twice */

	/* A corrupted file is refused and nothing stays mapped. */
	buf[len - 1] ^= 0xff;
	ck_assert_int_eq(plan_write_file(path, buf, len, err, sizeof(err)), 0);
	ck_assert_int_eq(plan_open(path, &p, err, sizeof(err)), PLAN_E_DIGEST);
	ck_assert_ptr_null(p.base);

	/* Not a regular file, missing, empty. */
	ck_assert_int_eq(plan_open(dir, &p, err, sizeof(err)), PLAN_E_IO);
	ck_assert_ptr_nonnull(strstr(err, "not a regular file"));
	snprintf(path, sizeof(path), "%s/missing.bin", dir);
	ck_assert_int_eq(plan_open(path, &p, err, sizeof(err)), PLAN_E_IO);
	ck_assert_ptr_nonnull(strstr(err, strerror(ENOENT)));
	snprintf(path, sizeof(path), "%s/empty.bin", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	ck_assert_int_eq(plan_open(path, &p, err, sizeof(err)), PLAN_E_TOO_SMALL);
	unlink(path);

	/* Writing fails: directory missing, and rename onto a directory
	 * (the temporary is removed). */
	snprintf(path, sizeof(path), "%s/no/such/dir/plan.bin", dir);
	ck_assert_int_eq(plan_write_file(path, buf, len, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, strerror(ENOENT)));
	snprintf(path, sizeof(path), "%s/sub", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(count_entries(dir), 2);
	ck_assert_int_eq(plan_write_file(path, buf, len, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "cannot write"));
	ck_assert_int_eq(count_entries(dir), 2);   /* plan.bin and sub */
	rmdir(path);
	snprintf(path, sizeof(path), "%s/plan.bin", dir);
	unlink(path);
	ck_assert_int_eq(rmdir(dir), 0);
	free(buf);
}
END_TEST

/*
 * A plan of several megabytes (many chunks of plan_open's read, mapped on
 * huge pages) opens, and a change in its last byte is still seen by the
 * digest computed piece by piece.
 */
START_TEST(test_open_big)
{
	enum { NBIG = 60000 };                  /* 88 bytes each: 5.3 MB */
	char dir[] = "/tmp/hapc-test-plan-XXXXXX", path[256], err[512];
	struct plan_builder *b = plan_builder_new();
	struct plan_proxy *px;
	struct plan_server *sv;
	struct plan_addr a;
	struct plan p;
	uint8_t *buf;
	size_t len;
	uint32_t i;

	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_GLOBAL), 0);
	ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_PROXY), 0);
	px = plan_builder_at(b, PLAN_SEC_PROXY, 0);
	px->name = plan_builder_str(b, "be", 2);
	px->cap = PLAN_CAP_BE;
	px->default_backend = PLAN_NONE;
	px->nservers = NBIG;
	ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_HTTP), 0);
	ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_TCP), 0);
	for (i = 0; i < NBIG; i++) {
		ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_SERVER), i);
		char name[16];

		sv = plan_builder_at(b, PLAN_SEC_SERVER, i);
		/* unique, as the verifier requires within a backend */
		snprintf(name, sizeof(name), "s%u", (unsigned)i);
		sv->name = plan_builder_str(b, name, strlen(name));
		sv->weight = 1;
		sv->inter = 2000;
		sv->rise = 2;
		sv->fall = 3;
		addr_in(&a, PLAN_PROTO_TCP, "10.0.0.1", (uint16_t)(1 + i % 60000));
		ck_assert_int_eq(plan_builder_server_addrs(b, i, &a, NULL, NULL), 0);
	}
	ck_assert_int_eq(plan_builder_finish(b, &buf, &len), 0);
	plan_builder_free(b);
	ck_assert_uint_gt(len, 4u << 20);

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/big.bin", dir);
	ck_assert_int_eq(plan_write_file(path, buf, len, err, sizeof(err)), 0);
	ck_assert_int_eq(plan_open(path, &p, err, sizeof(err)), PLAN_E_OK);
	ck_assert_uint_eq(p.nservers, NBIG);
	ck_assert_int_eq(memcmp(p.base, buf, len), 0);
	plan_server_addr(&p, NBIG - 1, &a);
	ck_assert_uint_eq(a.sa[2] << 8 | a.sa[3], 1 + (NBIG - 1) % 60000);
	plan_close(&p);

	buf[len - 9] ^= 1;                      /* inside the last record */
	ck_assert_int_eq(plan_write_file(path, buf, len, err, sizeof(err)), 0);
	ck_assert_int_eq(plan_open(path, &p, err, sizeof(err)), PLAN_E_DIGEST);
	ck_assert_ptr_null(p.base);
	unlink(path);
	ck_assert_int_eq(rmdir(dir), 0);
	free(buf);
}
END_TEST

/* Memory from plan_mem_alloc(): zeroed, writable to its last byte, big
 * blocks on a huge-page boundary; length 0 refused. */
START_TEST(test_mem_alloc)
{
	static const size_t sizes[] = { 1, 100, 4096, 5000, (2u << 20) + 1,
	                                5u << 20 };
	size_t i, j;
	uint8_t *m;

	errno = 0;
	ck_assert_ptr_null(plan_mem_alloc(0));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(plan_mem_alloc(SIZE_MAX));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		m = plan_mem_alloc(sizes[i]);
		ck_assert_ptr_nonnull(m);
		for (j = 0; j < sizes[i]; j += 4093)
			ck_assert_uint_eq(m[j], 0);
		ck_assert_uint_eq(m[sizes[i] - 1], 0);
		m[0] = 1;
		m[sizes[i] - 1] = 2;
		if (sizes[i] >= (2u << 20))
			ck_assert_uint_eq((uintptr_t)m % (2u << 20), 0);
		plan_mem_free(m, sizes[i]);
	}
	plan_mem_free(NULL, 0);                  /* harmless */
}
END_TEST

/* ---- every truncation, every byte flip ----------------------------------- */

START_TEST(test_every_truncation_refused)
{
	struct sample s;
	uint8_t *buf, *cut;
	size_t len, n;
	enum plan_err e;

	build_sample(&s, &buf, &len);
	for (n = 0; n < len; n++) {
		/* Exactly n bytes, so a sanitizer sees any read past them. */
		cut = malloc(n ? n : 1);
		ck_assert_ptr_nonnull(cut);
		memcpy(cut, buf, n);
		e = plan_verify(cut, n, NULL, NULL, 0);
		if (n < PLAN_HEADER_SIZE)
			ck_assert_msg(e == PLAN_E_TOO_SMALL, "length %zu: %s", n,
			              plan_strerror(e));
		else
			ck_assert_msg(e == PLAN_E_FILE_SIZE, "length %zu: %s", n,
			              plan_strerror(e));
		free(cut);
	}
	free(buf);
}
END_TEST

START_TEST(test_every_byte_flip_refused)
{
	static const uint8_t masks[] = { 0x01, 0xff };
	struct sample s;
	uint8_t *buf;
	size_t len, i, m;
	enum plan_err e;

	build_sample(&s, &buf, &len);
	for (m = 0; m < sizeof(masks); m++) {
		for (i = 0; i < len; i++) {
			buf[i] ^= masks[m];
			e = plan_verify(buf, len, NULL, NULL, 0);
			buf[i] ^= masks[m];
			ck_assert_msg(e != PLAN_E_OK, "offset %zu ^ 0x%02x accepted",
			              i, masks[m]);
		}
	}
	ck_assert_int_eq(plan_verify(buf, len, NULL, NULL, 0), PLAN_E_OK);
	free(buf);
}
END_TEST

/* ---- targeted corruptions, digest recomputed ---------------------------- */

struct corruption {
	const char *what;
	void (*mutate)(uint8_t *buf, size_t len);
	enum plan_err want;
	const char *detail;          /* substring the detail must contain */
};

#define PX(buf, i)  ((struct plan_proxy *)rec((buf), PLAN_SEC_PROXY, (i)))
#define LIS(buf, i) ((struct plan_listener *)rec((buf), PLAN_SEC_LISTENER, (i)))
#define SRV(buf, i) ((struct plan_server *)rec((buf), PLAN_SEC_SERVER, (i)))
#define GLB(buf)    ((struct plan_global *)rec((buf), PLAN_SEC_GLOBAL, 0))
#define HTP(buf, i) ((struct plan_http *)rec((buf), PLAN_SEC_HTTP, (i)))
#define HDR(buf)    ((struct plan_header *)(buf))
#define MUT(name) static void name(uint8_t *buf, size_t len)

MUT(m_magic) { (void)len; buf[0] = 'X'; }
MUT(m_bom) { (void)len; HDR(buf)->bom = 0x04030201u; }
MUT(m_major) { (void)len; HDR(buf)->major = 6; HDR(buf)->minor = 0; }
MUT(m_major_4) { (void)len; HDR(buf)->major = 4; HDR(buf)->minor = 0; }
MUT(m_major_3) { (void)len; HDR(buf)->major = 3; HDR(buf)->minor = 0; }
MUT(m_major_2) { (void)len; HDR(buf)->major = 2; HDR(buf)->minor = 0; }
MUT(m_major_old) { (void)len; HDR(buf)->major = 1; HDR(buf)->minor = 0; }
MUT(m_header_size) { (void)len; HDR(buf)->header_size = 80; }
MUT(m_file_size) { (void)len; HDR(buf)->file_size += 8; }
MUT(m_hdr_flags) { (void)len; HDR(buf)->flags = 1; }
MUT(m_hdr_reserved) { (void)len; HDR(buf)->reserved = 1; }
MUT(m_nsections_many) { (void)len; HDR(buf)->nsections = PLAN_MAX_SECTIONS + 1; }
MUT(m_nsections_huge) { (void)len; HDR(buf)->nsections = 0xffffffffu; }
MUT(m_unknown_kind) { (void)len; dir_of(buf, PLAN_SEC_SERVER)->kind = PLAN_SEC_KIND_MAX; }
MUT(m_kind_none) { (void)len; dir_of(buf, PLAN_SEC_SERVER)->kind = 0; }
MUT(m_repeated_kind) { (void)len; dir_of(buf, PLAN_SEC_SERVER)->kind = PLAN_SEC_PROXY; }
MUT(m_elem_size) { (void)len; dir_of(buf, PLAN_SEC_PROXY)->elem_size = 72; }
MUT(m_misaligned) { (void)len; dir_of(buf, PLAN_SEC_PROXY)->offset += 4; }
MUT(m_past_end) { (void)len; dir_of(buf, PLAN_SEC_HTTP)->count += 1; }
MUT(m_count_overflow) { (void)len; dir_of(buf, PLAN_SEC_SERVER)->count = 0x0200000000000001ULL; }
MUT(m_offset_huge) { (void)len; dir_of(buf, PLAN_SEC_SERVER)->offset = 0xfffffffffffffff8ULL; }
MUT(m_into_directory) { (void)len; dir_of(buf, PLAN_SEC_BLOB)->offset = PLAN_HEADER_SIZE + 8; }
MUT(m_overlap)
{
	(void)len;
	dir_of(buf, PLAN_SEC_PROXY)->offset = dir_of(buf, PLAN_SEC_GLOBAL)->offset;
}
MUT(m_missing)
{
	(void)len;
	memset(dir_of(buf, PLAN_SEC_SERVER), 0, sizeof(struct plan_section));
	HDR(buf)->nsections = 4;
}
MUT(m_global_count)
{
	(void)len;
	/* The global table claims 0 records; its bytes become "padding"
	 * but the count is checked first. */
	dir_of(buf, PLAN_SEC_GLOBAL)->count = 0;
}
MUT(m_padding)
{
	struct plan_section *b = dir_of(buf, PLAN_SEC_BLOB);
	size_t end = b->offset + b->count;

	(void)len;
	ck_assert_uint_ne(end % 8, 0);      /* the sample has padding there */
	buf[end] = 1;
}
MUT(m_str_off) { (void)len; PX(buf, 0)->name.off = 100000; }
MUT(m_str_len) { (void)len; PX(buf, 1)->name.len = 0xffffffffu; }
MUT(m_str_unterminated) { (void)len; PX(buf, 0)->name.len = 3; }
MUT(m_str_empty_blob)
{
	(void)len;
	/* An empty blob at the same place: strings have nowhere to point. */
	dir_of(buf, PLAN_SEC_BLOB)->count = 0;
	memset(buf + dir_of(buf, PLAN_SEC_BLOB)->offset, 0,
	       dir_of(buf, PLAN_SEC_GLOBAL)->offset - dir_of(buf, PLAN_SEC_BLOB)->offset);
}
MUT(m_global_reserved) { (void)len; GLB(buf)->flags = 0x80000000u; }
MUT(m_global_flags) { (void)len; GLB(buf)->flags = 8; }
MUT(m_global_nproxies) { (void)len; GLB(buf)->nproxies = 3; }
MUT(m_cap_zero) { (void)len; PX(buf, 0)->cap = 0; }
MUT(m_cap_unknown) { (void)len; PX(buf, 0)->cap = 4 | PLAN_CAP_FE; }
MUT(m_mode) { (void)len; PX(buf, 1)->mode = PLAN_MODE_MAX; }
MUT(m_balance) { (void)len; PX(buf, 1)->balance = PLAN_BALANCE_MAX; }
MUT(m_default_backend_range) { (void)len; PX(buf, 0)->default_backend = 9; }
MUT(m_default_backend_not_be) { (void)len; PX(buf, 1)->default_backend = 0; }
MUT(m_listener_range) { (void)len; PX(buf, 0)->first_listener = 1; }
MUT(m_server_range) { (void)len; PX(buf, 1)->nservers = 0xffffffffu; }
MUT(m_ranges_short) { (void)len; PX(buf, 0)->nlisteners -= 1; }
MUT(m_listener_owner_range) { (void)len; LIS(buf, 2)->proxy = 2; }
MUT(m_listener_owner_not_fe) { (void)len; LIS(buf, 2)->proxy = 1; }
MUT(m_server_owner_not_be) { (void)len; SRV(buf, 0)->proxy = 0; }
MUT(m_ranges_crossed)
{
	/* Counts still add up, but listener 7 sits in nobody's range and
	 * the backend's range claims a frontend's listener. */
	(void)len;
	PX(buf, 0)->nlisteners -= 1;
	PX(buf, 1)->cap = PLAN_CAP_ALL;
	PX(buf, 1)->first_listener = 0;
	PX(buf, 1)->nlisteners = 1;
}
MUT(m_family_enum) { (void)len; LIS(buf, 0)->addr.family = PLAN_FAM_MAX; }
MUT(m_proto_enum) { (void)len; LIS(buf, 0)->addr.proto = 2; }
MUT(m_sa_family)
{
	uint16_t f = AF_INET6;

	(void)len;
	memcpy(LIS(buf, 0)->addr.sa, &f, sizeof(f));
}
MUT(m_inet_salen) { (void)len; LIS(buf, 0)->addr.salen = sizeof(struct sockaddr_in6); }
MUT(m_inet6_salen) { (void)len; LIS(buf, 2)->addr.salen = 26; }
MUT(m_salen_max) { (void)len; LIS(buf, 4)->addr.salen = PLAN_SOCKADDR_MAX + 1; }
MUT(m_sa_tail) { (void)len; LIS(buf, 0)->addr.sa[100] = 1; }
MUT(m_mptcp_unix) { (void)len; LIS(buf, 4)->addr.proto = PLAN_PROTO_MPTCP; }
MUT(m_mptcp_fd) { (void)len; LIS(buf, 7)->addr.proto = PLAN_PROTO_MPTCP; }
MUT(m_fd_on_inet) { (void)len; LIS(buf, 0)->addr.fd = 5; }
MUT(m_fd_salen) { (void)len; LIS(buf, 7)->addr.salen = 2; LIS(buf, 7)->addr.sa[0] = 1; }
MUT(m_unix_family)
{
	uint16_t f = AF_INET;

	(void)len;
	memcpy(LIS(buf, 4)->addr.sa, &f, sizeof(f));
}
MUT(m_unix_unterminated)
{
	struct plan_addr *a = &LIS(buf, 4)->addr;

	(void)len;
	a->salen -= 1;                /* drop the NUL from salen */
	a->sa[a->salen] = 0;          /* (it was zero already) */
}
MUT(m_unix_empty)
{
	struct plan_addr *a = &LIS(buf, 4)->addr;
	size_t off = offsetof(struct sockaddr_un, sun_path);

	(void)len;
	memset(a->sa + off, 0, PLAN_SOCKADDR_MAX - off);
	a->salen = (uint16_t)(off + 1);
}
MUT(m_abns_salen) { (void)len; LIS(buf, 5)->addr.salen = 20; memset(LIS(buf, 5)->addr.sa + 20, 0, PLAN_SOCKADDR_MAX - 20); }
MUT(m_abns_not_abstract) { (void)len; LIS(buf, 6)->addr.sa[offsetof(struct sockaddr_un, sun_path)] = 'x'; }
MUT(m_abnsz_short) { (void)len; LIS(buf, 6)->addr.salen = 2; memset(LIS(buf, 6)->addr.sa + 2, 0, PLAN_SOCKADDR_MAX - 2); }
MUT(m_listener_no_addr) { (void)len; memset(&LIS(buf, 0)->addr, 0, sizeof(struct plan_addr)); }
MUT(m_weight) { (void)len; SRV(buf, 0)->weight = 300; }
MUT(m_source_unix) { (void)len; SRV(buf, 0)->source.family = PLAN_FAM_UNIX; }
MUT(m_source_none_aux) { (void)len; SRV(buf, 0)->source.aux = 1; }
MUT(m_usesrc_nosrc) { (void)len; SRV(buf, 0)->flags |= PLAN_SRV_F_USESRC_CLIENT; }
MUT(m_source_mptcp)
{
	(void)len;
	SRV(buf, 0)->source.family = PLAN_FAM_INET;
	SRV(buf, 0)->source.proto = PLAN_PROTO_MPTCP;
}
MUT(m_server_flags) { (void)len; SRV(buf, 0)->flags = 0x1000; }
MUT(m_server_reserved) { (void)len; SRV(buf, 2)->flags = 0x2000u; }
#define CA(buf, i)  ((struct plan_srv_addr *)rec((buf), PLAN_SEC_CHECKADDR, (i)))
MUT(m_srv_family) { (void)len; SRV(buf, 0)->addr.family = PLAN_FAM_MAX; }
MUT(m_srv_proto) { (void)len; SRV(buf, 0)->addr.proto = PLAN_PROTO_MAX; }
MUT(m_srv_mptcp_unix) { (void)len; SRV(buf, 3)->addr.proto = PLAN_PROTO_MPTCP; }
MUT(m_srv_port_unix) { (void)len; SRV(buf, 3)->addr.port = 1; }
MUT(m_srv_port_none) { (void)len; SRV(buf, 7)->addr.port = 80; }
MUT(m_srv_ip_tail) { (void)len; SRV(buf, 0)->addr.ip[4] = 1; }
MUT(m_srv_ip_fd) { (void)len; SRV(buf, 6)->addr.ip[15] = 1; }
MUT(m_srv_inet_aux) { (void)len; SRV(buf, 2)->addr.aux = 1; }
MUT(m_srv_fd_big) { (void)len; SRV(buf, 6)->addr.aux = 0x80000000u; }
MUT(m_srv_path_off) { (void)len; SRV(buf, 3)->addr.aux = 100000; }
MUT(m_srv_host_off) { (void)len; SRV(buf, 7)->addr.aux = 0xffffffffu; }
MUT(m_srv_path_empty) { (void)len; SRV(buf, 3)->addr.aux = 0; }
MUT(m_srv_text_unterminated)
{
	/* The blob's last byte, the NUL of server 7's host word, becomes
	 * padding: the word runs to the end of the blob. */
	(void)len;
	dir_of(buf, PLAN_SEC_BLOB)->count -= 1;
}
MUT(m_srv_check_index) { (void)len; SRV(buf, 0)->check_addr = 1; }
MUT(m_srv_check_unused) { (void)len; SRV(buf, 8)->check_addr = PLAN_NONE; }
MUT(m_srv_check_past) { (void)len; SRV(buf, 2)->check_addr = 1; SRV(buf, 8)->check_addr = 2; }
MUT(m_srv_check_ip_tail) { (void)len; CA(buf, 0)->ip[5] = 1; }
MUT(m_srv_check_enum) { (void)len; CA(buf, 1)->proto = 7; }

#define CHK(buf, i) ((struct plan_check_rule *)rec((buf), PLAN_SEC_CHECK, (i)))
#define LOG(buf, i) ((struct plan_log *)rec((buf), PLAN_SEC_LOG, (i)))
#define STA(buf, i) ((struct plan_stats_socket *)rec((buf), PLAN_SEC_STATS, (i)))

MUT(m_px_flags) { (void)len; PX(buf, 1)->flags = 0x1000; }
MUT(m_prefer_last_tcp)
{
	(void)len;
	PX(buf, 1)->mode = PLAN_MODE_TCP;
	PX(buf, 1)->flags = PLAN_PX_F_PREFER_LAST;
}
MUT(m_fullconn_fe) { (void)len; PX(buf, 0)->fullconn = 10; }
MUT(m_px_hash_func) { (void)len; PX(buf, 1)->hash_func = PLAN_HASH_FN_MAX; }
MUT(m_minconn_max) { (void)len; SRV(buf, 1)->minconn = 100; }
MUT(m_minconn_nomax) { (void)len; SRV(buf, 0)->minconn = 1; }
MUT(m_srv_reserved_word) { (void)len; SRV(buf, 0)->reserved = 1; }
MUT(m_hash_type) { (void)len; PX(buf, 1)->hash_type = PLAN_HASH_MAX; }
MUT(m_check_type) { (void)len; PX(buf, 1)->check_type = PLAN_CHECK_MAX; }
MUT(m_log_format_px) { (void)len; PX(buf, 0)->log_format = 1; }
MUT(m_random_draws) { (void)len; PX(buf, 1)->balance = PLAN_BALANCE_RANDOM; }
MUT(m_random_draws_huge)
{
	(void)len;
	PX(buf, 1)->balance = PLAN_BALANCE_RANDOM;
	PX(buf, 1)->random_draws = 0xffffffffu;
}
MUT(m_random_draws_unused) { (void)len; PX(buf, 1)->random_draws = 2; }
MUT(m_time_huge) { (void)len; PX(buf, 1)->timeout_server = 0x80000000u; }
MUT(m_nbthread_huge) { (void)len; GLB(buf)->nbthread = 5000; }
/* The first byte of proxy 0's name "fe" in the blob. */
static char *px0_name(uint8_t *buf)
{
	return (char *)rec(buf, PLAN_SEC_BLOB, 0) + PX(buf, 0)->name.off;
}
MUT(m_px_name_nl) { (void)len; px0_name(buf)[1] = '\n'; }
MUT(m_px_name_empty) { (void)len; PX(buf, 0)->name.len = 0; PX(buf, 0)->name.off = 0; }
MUT(m_px_name_dup) { (void)len; PX(buf, 1)->name = PX(buf, 0)->name; }
MUT(m_srv_name_dup) { (void)len; SRV(buf, 1)->name = SRV(buf, 0)->name; }
MUT(m_srv_name_space)
{
	(void)len;
	((char *)rec(buf, PLAN_SEC_BLOB, 0))[SRV(buf, 0)->name.off] = ' ';
}
MUT(m_px_flag_side) { (void)len; PX(buf, 1)->flags |= PLAN_PX_F_CLITCPKA; }
MUT(m_fe_log_flag)
{
	(void)len;
	PX(buf, 0)->flags = (PX(buf, 0)->flags | PLAN_PX_F_LOG_GLOBAL) &
	                    ~PLAN_PX_F_LOG;
}
MUT(m_httpchk_version_lf)
{
	(void)len;
	PX(buf, 1)->httpchk_version = HTP(buf, 1)->stats_auth; /* has '\n' */
}
MUT(m_px_desc_lf)
{
	(void)len;
	PX(buf, 1)->description = HTP(buf, 1)->stats_auth; /* has '\n' */
}
MUT(m_glb_desc_lf)
{
	(void)len;
	GLB(buf)->description = HTP(buf, 1)->stats_auth;
}
MUT(m_glb_uxb_flags) { (void)len; GLB(buf)->unix_bind_flags = 0x8; }
MUT(m_glb_uxb_mode) { (void)len; GLB(buf)->unix_bind_flags = PLAN_UXB_F_MODE; GLB(buf)->unix_bind_mode = 010000; }
MUT(m_glb_uxb_noflag) { (void)len; GLB(buf)->unix_bind_uid = 5; }
MUT(m_px_logasap_be) { (void)len; PX(buf, 1)->flags |= PLAN_PX_F_LOGASAP; }
MUT(m_srv_port0) { (void)len; SRV(buf, 1)->addr.port = 0; }
MUT(m_srv_noport_checked)
{
	struct plan_check_rule *first = rec(buf, PLAN_SEC_CHECK, 0);

	(void)len;
	SRV(buf, 2)->flags |= PLAN_SRV_F_CHECK;
	first->arg = 0;     /* "tcp-check connect" without a port */
}
MUT(m_lis_port0)
{
	(void)len;
	LIS(buf, 0)->addr.sa[2] = 0;
	LIS(buf, 0)->addr.sa[3] = 0;
}
MUT(m_stats_refresh_huge) { (void)len; HTP(buf, 1)->stats_refresh = 2147484; }
MUT(m_cookie_maxlife_huge)
{
	(void)len;
	HTP(buf, 1)->cookie_name = HTP(buf, 1)->ff_header;
	HTP(buf, 1)->cookie_mode = PLAN_COOKIE_INSERT;
	HTP(buf, 1)->cookie_maxlife = 0xffffffffu;
}
MUT(m_cookie_name_nul)
{
	(void)len;
	HTP(buf, 1)->cookie_name = HTP(buf, 1)->ff_header;
	HTP(buf, 1)->cookie_mode = PLAN_COOKIE_INSERT;
	/* the NUL ending the string before, then "X-Forwarded-For" */
	HTP(buf, 1)->cookie_name.off -= 1;
	HTP(buf, 1)->cookie_name.len += 1;
}
MUT(m_status_order) { (void)len; PX(buf, 1)->httpchk_status_lo = 400; PX(buf, 1)->httpchk_status_hi = 300; }
MUT(m_status_high) { (void)len; PX(buf, 1)->httpchk_status_hi = 600; }
MUT(m_httpchk_str) { (void)len; PX(buf, 1)->httpchk_uri.off = 100000; }
MUT(m_check_range) { (void)len; PX(buf, 1)->ncheck = NCHK + 1; }
MUT(m_checks_short) { (void)len; PX(buf, 1)->ncheck = NCHK - 1; }
MUT(m_check_on_fe) { (void)len; PX(buf, 0)->ncheck = NCHK; PX(buf, 1)->ncheck = 0; }
MUT(m_check_owner) { (void)len; PX(buf, 1)->first_check = 1; PX(buf, 1)->ncheck = 2; PX(buf, 0)->ncheck = 0; PX(buf, 0)->cap = PLAN_CAP_ALL; PX(buf, 0)->ncheck = 1; PX(buf, 0)->check_type = PLAN_CHECK_TCP; }
MUT(m_check_not_tcp) { (void)len; PX(buf, 1)->check_type = PLAN_CHECK_CONNECT; }
MUT(m_http_body_op) { (void)len; PX(buf, 1)->check_type = PLAN_CHECK_HTTP; PX(buf, 1)->ncheck = 1; }
MUT(m_http_body_status) { (void)len; PX(buf, 1)->check_type = PLAN_CHECK_HTTP; PX(buf, 1)->first_check = 2; PX(buf, 1)->ncheck = 1; }
MUT(m_http_no_request) { (void)len; PX(buf, 1)->check_type = PLAN_CHECK_HTTP; PX(buf, 1)->ncheck = 0; }
MUT(m_check_owner_range) { (void)len; CHK(buf, 0)->proxy = 5; }
MUT(m_check_op) { (void)len; CHK(buf, 1)->op = PLAN_CHK_OP_MAX; }
MUT(m_check_flags) { (void)len; CHK(buf, 2)->flags = 4; }
MUT(m_check_default_send) { (void)len; CHK(buf, 1)->flags = PLAN_CHK_F_DEFAULT; }
MUT(m_check_negate_send) { (void)len; CHK(buf, 1)->flags = PLAN_CHK_F_NEGATE; }
MUT(m_check_port) { (void)len; CHK(buf, 0)->arg = 70000; }
MUT(m_check_arg_send) { (void)len; CHK(buf, 1)->arg = 1; }
MUT(m_check_data) { (void)len; CHK(buf, 1)->data.len = 100000; }
MUT(m_check_empty) { (void)len; CHK(buf, 1)->data.off = 0; CHK(buf, 1)->data.len = 0; }
MUT(m_check_connect_data) { (void)len; CHK(buf, 0)->data = CHK(buf, 1)->data; }
MUT(m_check_reserved) { (void)len; CHK(buf, 0)->reserved = 1; }
MUT(m_global_str) { (void)len; GLB(buf)->pidfile.off = 100000; }
MUT(m_global_log_range) { (void)len; GLB(buf)->nlogs = 5; }
MUT(m_logs_short) { (void)len; GLB(buf)->nlogs = 0; }
MUT(m_log_owner) { (void)len; LOG(buf, 1)->owner = PLAN_NONE; }
MUT(m_log_owner_range) { (void)len; LOG(buf, 1)->owner = 7; }
MUT(m_log_target) { (void)len; LOG(buf, 0)->target = PLAN_LOGT_MAX; }
MUT(m_log_facility) { (void)len; LOG(buf, 0)->facility = 24; }
MUT(m_log_level) { (void)len; LOG(buf, 0)->level = 8; }
MUT(m_log_format) { (void)len; LOG(buf, 0)->format = 3; }
MUT(m_log_port0)
{
	(void)len;
	LOG(buf, 1)->addr.sa[2] = 0;    /* sin_port */
	LOG(buf, 1)->addr.sa[3] = 0;
}
MUT(m_http_fe_tcp_be)
{
	(void)len;
	PX(buf, 0)->mode = PLAN_MODE_HTTP;
	PX(buf, 1)->mode = PLAN_MODE_TCP;
}
MUT(m_inspect_unused)
{
	(void)len;
	((struct plan_tcp *)rec(buf, PLAN_SEC_TCP, 0))->inspect_delay = 5;
}
MUT(m_log_family) { (void)len; LOG(buf, 0)->target = PLAN_LOGT_UDP; }
MUT(m_log_unix_target) { (void)len; LOG(buf, 1)->target = PLAN_LOGT_UNIX; }
MUT(m_log_addr) { (void)len; LOG(buf, 1)->addr.salen = 20; }
MUT(m_stats_range) { (void)len; GLB(buf)->nstats = 2; }
MUT(m_stats_short) { (void)len; GLB(buf)->nstats = 0; }
MUT(m_stats_level) { (void)len; STA(buf, 0)->level = PLAN_STATS_LEVEL_MAX; }
MUT(m_stats_mode) { (void)len; STA(buf, 0)->mode = 010000; }
MUT(m_stats_timeout) { (void)len; STA(buf, 0)->timeout_ms = 0x80000000u; }
MUT(m_stats_family) { (void)len; addr_fd(&STA(buf, 0)->addr, PLAN_FAM_SOCKPAIR, 3); }
MUT(m_stats_owner) { (void)len; addr_fd(&STA(buf, 0)->addr, PLAN_FAM_FD, 3); STA(buf, 0)->uid = 5; }
MUT(m_stats_name_id) { (void)len; STA(buf, 0)->user = GLB(buf)->user; }
MUT(m_stats_name_str) { (void)len; STA(buf, 0)->group.off = 0x7fffffffu; STA(buf, 0)->group.len = 1; }
MUT(m_lsn_flags) { (void)len; LIS(buf, 0)->flags = 0x10; }
MUT(m_lsn_v6both) { (void)len; LIS(buf, 0)->flags = 6; }
MUT(m_lsn_tls) { (void)len; LIS(buf, 0)->tls = 1; }
MUT(m_srv_noport_offset) { (void)len; SRV(buf, 2)->flags |= PLAN_SRV_F_OFFSET; }
MUT(m_srv_offset_unflagged) { (void)len; SRV(buf, 1)->port_offset = 5; }
MUT(m_srv_offset_big)
{
	(void)len;
	SRV(buf, 1)->flags |= PLAN_SRV_F_OFFSET;
	SRV(buf, 1)->addr.port = 0;     /* as cfgc writes an offset */
	SRV(buf, 1)->port_offset = 70000;
}
MUT(m_srv_port_offset)
{
	(void)len;
	SRV(buf, 1)->flags |= PLAN_SRV_F_OFFSET;
	SRV(buf, 1)->port_offset = 5;
}
MUT(m_srv_rise) { (void)len; SRV(buf, 0)->rise = 0; }
MUT(m_srv_fall) { (void)len; SRV(buf, 0)->fall = 0; }
MUT(m_srv_inter) { (void)len; SRV(buf, 0)->inter = 0; }
MUT(m_srv_check_addr) { (void)len; CA(buf, 0)->aux = 5; }
#define PRE(buf, i) ((struct plan_precond *)rec((buf), PLAN_SEC_PRECOND, (i)))

MUT(m_pre_kind) { (void)len; PRE(buf, 1)->kind = PLAN_PRE_KIND_MAX; }
MUT(m_pre_reserved) { (void)len; PRE(buf, 0)->reserved = 4; }
MUT(m_pre_line) { (void)len; PRE(buf, 1)->line = 0; }
MUT(m_pre_col) { (void)len; PRE(buf, 0)->col = 0; }
MUT(m_pre_path_str) { (void)len; PRE(buf, 0)->path.off = 100000; }
MUT(m_pre_source_str) { (void)len; PRE(buf, 1)->source.len += 1; }
MUT(m_pre_keyword_str) { (void)len; PRE(buf, 1)->keyword.len = 100000; }
MUT(m_pre_path_empty) { (void)len; PRE(buf, 0)->path.off = 0; PRE(buf, 0)->path.len = 0; }
MUT(m_pre_path_relative) { (void)len; PRE(buf, 1)->path = PRE(buf, 1)->source; }
MUT(m_pre_missing)
{
	struct plan_section *d = (struct plan_section *)(buf + PLAN_HEADER_SIZE);

	/* The last entry takes the precond entry's place; its table stays
	 * where it is, precond's becomes padding (zeroed). */
	(void)len;
	memset(buf + dir_of(buf, PLAN_SEC_PRECOND)->offset, 0,
	       dir_of(buf, PLAN_SEC_PRECOND)->count * sizeof(struct plan_precond));
	*dir_of(buf, PLAN_SEC_PRECOND) = d[HDR(buf)->nsections - 1];
	HDR(buf)->nsections -= 1;
}
MUT(m_pre_count) { (void)len; dir_of(buf, PLAN_SEC_PRECOND)->count = PLAN_MAX_PRECONDS + 1ULL; }
MUT(m_srv_check_family)
{
	(void)len;
	memset(CA(buf, 0), 0, sizeof(struct plan_srv_addr));
	CA(buf, 0)->family = PLAN_FAM_FD;
	CA(buf, 0)->aux = 3;
}

#define ACLR(buf, i) ((struct plan_acl *)rec((buf), PLAN_SEC_ACL, (i)))
#define PAT(buf, i) ((struct plan_pattern *)rec((buf), PLAN_SEC_PATTERN, (i)))
#define RUL(buf, i) ((struct plan_rule *)rec((buf), PLAN_SEC_RULE, (i)))
#define TRM(buf, i) ((struct plan_term *)rec((buf), PLAN_SEC_TERM, (i)))
MUT(m_px_tarpit) { (void)len; PX(buf, 1)->timeout_tarpit = 0x80000000u; }
MUT(m_px_tarpit_norule) { (void)len; PX(buf, 1)->timeout_tarpit = 5; }
MUT(m_tcp_nstick_over)
{
	(void)len;
	((struct plan_tcp *)rec(buf, PLAN_SEC_TCP, 1))->nstick = 1;
}
MUT(m_px_acl_first) { (void)len; PX(buf, 1)->first_acl = 2; }
MUT(m_px_acls_past) { (void)len; PX(buf, 1)->nacls = 1; }
MUT(m_px_nacls_huge) { (void)len; PX(buf, 0)->nacls = 0xffffffffu; }
MUT(m_px_rules_huge) { (void)len; PX(buf, 0)->nrules = 0xfffffffeu; }
MUT(m_px_nconn) { (void)len; PX(buf, 0)->nconn_rules = 3; }
MUT(m_px_conn_order) { (void)len; PX(buf, 0)->nconn_rules = 2; }
MUT(m_rules_on_be)
{
	(void)len;
	PX(buf, 0)->nrules = 0;
	PX(buf, 0)->nconn_rules = 0;
	PX(buf, 1)->first_rule = 0;
	PX(buf, 1)->nrules = 2;
	PX(buf, 1)->cap = PLAN_CAP_BE;
}
MUT(m_acl_owner) { (void)len; ACLR(buf, 1)->proxy = 1; }
MUT(m_acl_fetch) { (void)len; ACLR(buf, 0)->fetch = PLAN_FETCH_MAX; }
MUT(m_acl_match) { (void)len; ACLR(buf, 0)->match = PLAN_MATCH_MAX; }
MUT(m_acl_match_fit) { (void)len; ACLR(buf, 1)->match = PLAN_MATCH_IP; }
MUT(m_acl_ip_int) { (void)len; ACLR(buf, 0)->match = PLAN_MATCH_INT; }
MUT(m_acl_arg_range) { (void)len; ACLR(buf, 2)->arg = 7; }
MUT(m_acl_arg_not_be) { (void)len; ACLR(buf, 2)->arg = 0; }
MUT(m_acl_arg_other) { (void)len; ACLR(buf, 0)->arg = 1; }
MUT(m_acl_conv) { (void)len; ACLR(buf, 2)->conv = 4; }
MUT(m_acl_reserved) { (void)len; ACLR(buf, 2)->arg2 = 4; }
MUT(m_acl_name) { (void)len; ACLR(buf, 0)->name.off = 0x7fffffffu; }
MUT(m_acl_pat_first) { (void)len; ACLR(buf, 1)->first_pattern = 0; }
MUT(m_acl_pat_huge) { (void)len; ACLR(buf, 2)->npatterns = 0xffffffffu; }
MUT(m_acl_found_pats) { (void)len; ACLR(buf, 2)->match = PLAN_MATCH_FOUND; }
MUT(m_pats_short) { (void)len; ACLR(buf, 2)->npatterns = 0; }
MUT(m_pat_kind) { (void)len; PAT(buf, 0)->kind = PLAN_PAT_KIND_MAX; }
MUT(m_pat_kind_fit) { (void)len; PAT(buf, 2)->kind = PLAN_PAT_IPV4; }
MUT(m_pat_prefix) { (void)len; PAT(buf, 0)->prefix = 33; }
MUT(m_pat_host_bits) { (void)len; PAT(buf, 0)->ip[3] = 1; }
MUT(m_pat_v4_tail) { (void)len; PAT(buf, 0)->ip[4] = 0x80; }
MUT(m_pat_v6_bits) { (void)len; PAT(buf, 1)->ip[4] = 0x40; }
MUT(m_pat_range) { (void)len; PAT(buf, 2)->lo = 70000; }
MUT(m_pat_int_ip) { (void)len; PAT(buf, 3)->ip[0] = 1; }
MUT(m_pat_reserved) { (void)len; PAT(buf, 1)->file_off = 9; }
MUT(m_pat_file_out) { (void)len; PAT(buf, 1)->file_off = 0x7ffffff0u; PAT(buf, 1)->file_len = 3; }
MUT(m_pat_ip_lo) { (void)len; PAT(buf, 1)->lo = 1; }
MUT(m_rule_owner) { (void)len; RUL(buf, 1)->proxy = 1; }
MUT(m_rule_action) { (void)len; RUL(buf, 0)->action = PLAN_RULE_ACTION_MAX; }
MUT(m_rule_backend) { (void)len; RUL(buf, 1)->backend = 0; }
MUT(m_rule_backend_range) { (void)len; RUL(buf, 1)->backend = PLAN_NONE; }
MUT(m_rule_conn_backend) { (void)len; RUL(buf, 0)->backend = 1; }
MUT(m_rule_cond) { (void)len; RUL(buf, 0)->cond = PLAN_COND_MAX; }
MUT(m_rule_cond_none) { (void)len; RUL(buf, 0)->cond = PLAN_COND_NONE; }
MUT(m_rule_reserved) { (void)len; RUL(buf, 1)->arg = 1; }
MUT(m_rule_terms) { (void)len; RUL(buf, 1)->first_term = 0; }
MUT(m_rule_terms_huge) { (void)len; RUL(buf, 1)->nterms = 0xffffffffu; }
MUT(m_terms_short) { (void)len; RUL(buf, 1)->nterms = 1; }
MUT(m_term_flags) { (void)len; TRM(buf, 0)->flags = 4; }
MUT(m_term_first_or) { (void)len; TRM(buf, 1)->flags = PLAN_TERM_F_OR; }
MUT(m_term_reserved) { (void)len; TRM(buf, 2)->reserved = 1; }
MUT(m_term_none) { (void)len; TRM(buf, 0)->nacls = 0; }
MUT(m_term_past) { (void)len; TRM(buf, 1)->nacls = 2; }
MUT(m_term_wrap) { (void)len; TRM(buf, 1)->first_acl = 0xffffffffu; }

MUT(m_tune_bufsize_odd) { (void)len; GLB(buf)->tune_bufsize = 16385; }
MUT(m_tune_bufsize_small) { (void)len; GLB(buf)->tune_bufsize = 128; }
MUT(m_tune_maxrewrite) { (void)len; GLB(buf)->tune_maxrewrite = 16385; }
MUT(m_tune_maxrewrite_flag)
{
	(void)len;
	GLB(buf)->flags &= ~PLAN_GLB_F_MAXREWRITE;
	GLB(buf)->tune_maxrewrite = 1;
}
MUT(m_tune_maxhdr_big) { (void)len; GLB(buf)->tune_http_maxhdr = 32768; }
MUT(m_maxconnrate_big) { (void)len; GLB(buf)->maxconnrate = 0x80000000u; }
MUT(m_maxsessrate_big) { (void)len; GLB(buf)->maxsessrate = 0xffffffffu; }
MUT(m_global_tail) { (void)len; GLB(buf)->ulimit_n = 0x80000000u; }
MUT(m_global_uid) { (void)len; GLB(buf)->uid = 0xffffffffu; }
MUT(m_global_uid_user)
{
	(void)len;
	GLB(buf)->uid = 5;
	GLB(buf)->user = GLB(buf)->source;
}
MUT(m_http_on_tcp) { (void)len; HTP(buf, 0)->timeout_http_request = 1; }
MUT(m_http_flags) { (void)len; HTP(buf, 1)->flags |= 0x80000000u; }
MUT(m_http_clf) { (void)len; HTP(buf, 1)->flags |= PLAN_HTTP_F_HTTPLOG_CLF; }
MUT(m_http_if_none)
{
	(void)len;
	HTP(buf, 1)->flags &= ~PLAN_HTTP_F_FORWARDFOR;
}
MUT(m_http_stats_sub) { (void)len; HTP(buf, 1)->flags &= ~PLAN_HTTP_F_STATS; }
MUT(m_http_conn) { (void)len; HTP(buf, 1)->conn_mode = PLAN_HTTP_CONN_MAX; }
MUT(m_http_reuse) { (void)len; HTP(buf, 1)->reuse = PLAN_HTTP_REUSE_MAX; }
MUT(m_http_ff_str) { (void)len; HTP(buf, 1)->ff_header.off = 100000; }
MUT(m_http_ff_empty) { (void)len; memset(&HTP(buf, 1)->ff_header, 0, 8); }
MUT(m_http_ot_header) { (void)len; HTP(buf, 1)->ot_header = HTP(buf, 1)->ff_header; }
MUT(m_http_net_bits) { (void)len; HTP(buf, 1)->ff_except.ip[1] = 1; }
MUT(m_http_net_v4_tail) { (void)len; HTP(buf, 1)->ff_except.ip[4] = 1; }
MUT(m_http_net_family) { (void)len; HTP(buf, 1)->ff_except.family = PLAN_FAM_UNIX; }
MUT(m_http_net_prefix) { (void)len; HTP(buf, 1)->ff_except.prefix = 33; }
MUT(m_http_net_reserved) { (void)len; HTP(buf, 1)->ff_except.reserved2 = 1; }
MUT(m_http_net_none) { (void)len; HTP(buf, 1)->ff_except.family = PLAN_FAM_NONE; }
MUT(m_http_ot_net) { (void)len; HTP(buf, 1)->ot_except.prefix = 1; }
MUT(m_http_stats_uri) { (void)len; memset(&HTP(buf, 1)->stats_uri, 0, 8); }
MUT(m_http_stats_off)
{
	(void)len;
	HTP(buf, 1)->flags &= ~(PLAN_HTTP_F_STATS | PLAN_HTTP_F_STATS_ADMIN);
	memset(&HTP(buf, 1)->stats_uri, 0, 8);
}
MUT(m_http_log_both)
{
	(void)len;
	PX(buf, 1)->cap = PLAN_CAP_ALL;     /* httplog is for frontends */
	HTP(buf, 1)->flags |= PLAN_HTTP_F_HTTPLOG;
	HTP(buf, 1)->log_format = HTP(buf, 1)->stats_uri;
}
MUT(m_http_monitor_str) { (void)len; HTP(buf, 1)->monitor_uri.len = 70000; }
MUT(m_cookie_no_name) { (void)len; HTP(buf, 1)->cookie_flags = PLAN_COOKIE_F_SECURE; }
MUT(m_cookie_mode)
{
	(void)len;
	HTP(buf, 1)->cookie_name = HTP(buf, 1)->ff_header;
	HTP(buf, 1)->cookie_mode = PLAN_COOKIE_MODE_MAX;
}
MUT(m_cookie_flags)
{
	(void)len;
	HTP(buf, 1)->cookie_name = HTP(buf, 1)->ff_header;
	HTP(buf, 1)->cookie_flags = 0x40;
}
MUT(m_cookie_preserve)
{
	(void)len;
	HTP(buf, 1)->cookie_name = HTP(buf, 1)->ff_header;
	HTP(buf, 1)->cookie_flags = PLAN_COOKIE_F_PRESERVE;
}
MUT(m_cookie_maxidle)
{
	(void)len;
	HTP(buf, 1)->cookie_name = HTP(buf, 1)->ff_header;
	HTP(buf, 1)->cookie_maxidle = 10;
}
MUT(m_cookie_list)
{
	(void)len;
	HTP(buf, 1)->cookie_name = HTP(buf, 1)->ff_header;
	HTP(buf, 1)->cookie_domains = HTP(buf, 1)->stats_uri;
}
MUT(m_srv_cookie) { (void)len; SRV(buf, 0)->cookie = HTP(buf, 1)->ff_header; }
MUT(m_err_bits) { (void)len; HTP(buf, 1)->errorfile_mask = 1u << 19; }
MUT(m_err_no_path) { (void)len; HTP(buf, 1)->errorfile_mask = 1; }
MUT(m_err_page_alone) { (void)len; HTP(buf, 1)->errorfile[3] = HTP(buf, 1)->ff_header; }
MUT(m_err_deferred) { (void)len; HTP(buf, 1)->errorfile_deferred = 2; }
MUT(m_cap_on_be) { (void)len; HTP(buf, 1)->ncaptures = 1; }
MUT(m_cap_past) { (void)len; HTP(buf, 1)->captures[2].len = 1; }
MUT(m_cap_kind)
{
	(void)len;
	PX(buf, 1)->cap = PLAN_CAP_ALL;
	HTP(buf, 1)->ncaptures = 1;
	HTP(buf, 1)->captures[0].kind = PLAN_CAPTURE_KIND_MAX;
}
MUT(m_cap_two_cookies)
{
	(void)len;
	PX(buf, 1)->cap = PLAN_CAP_ALL;
	HTP(buf, 1)->ncaptures = 2;
	for (int k = 0; k < 2; k++) {
		HTP(buf, 1)->captures[k].kind = PLAN_CAPTURE_COOKIE;
		HTP(buf, 1)->captures[k].name = HTP(buf, 1)->ff_header;
	}
}
MUT(m_http_auth_nl) { (void)len; HTP(buf, 1)->stats_auth = HTP(buf, 1)->stats_uri; }

static const struct corruption corruptions[] = {
	{ "magic", m_magic, PLAN_E_MAGIC, "HAPCPLAN" },
	{ "byte order", m_bom, PLAN_E_BYTE_ORDER, "0x04030201" },
	{ "foreign major", m_major, PLAN_E_MAJOR, "plan format 6.0, this reader knows 5.x: compile the configuration again" },
	{ "version 1 plan", m_major_old, PLAN_E_MAJOR, "plan format 1.0, this reader knows 5.x" },
	{ "version 2 plan", m_major_2, PLAN_E_MAJOR, "plan format 2.0, this reader knows 5.x" },
	{ "version 3 plan", m_major_3, PLAN_E_MAJOR, "plan format 3.0, this reader knows 5.x" },
	{ "version 4 plan", m_major_4, PLAN_E_MAJOR, "plan format 4.0, this reader knows 5.x" },
	{ "header size", m_header_size, PLAN_E_HEADER_SIZE, "header_size 80" },
	{ "file size", m_file_size, PLAN_E_FILE_SIZE, "header says" },
	{ "header flags", m_hdr_flags, PLAN_E_FLAGS, "flags 0x1" },
	{ "header reserved", m_hdr_reserved, PLAN_E_FLAGS, "reserved 0x1" },
	{ "too many sections", m_nsections_many, PLAN_E_SECTIONS, "65 sections" },
	{ "directory past end", m_nsections_huge, PLAN_E_SECTIONS, "sections" },
	{ "unknown kind", m_unknown_kind, PLAN_E_SECTION_KIND, "section 4: unknown kind 29" },
	{ "kind none", m_kind_none, PLAN_E_SECTION_KIND, "unknown kind 0" },
	{ "repeated kind", m_repeated_kind, PLAN_E_SECTION_KIND, "kind 3 (proxy) repeated" },
	{ "elem size", m_elem_size, PLAN_E_SECTION_ELEM, "elem_size 72, this reader's is 200" },
	{ "misaligned", m_misaligned, PLAN_E_SECTION_RANGE, "not 8-byte aligned" },
	{ "past end", m_past_end, PLAN_E_SECTION_RANGE, "run past the end" },
	{ "count overflow", m_count_overflow, PLAN_E_SECTION_RANGE, "run past the end" },
	{ "offset huge", m_offset_huge, PLAN_E_SECTION_RANGE, "run past the end" },
	{ "into directory", m_into_directory, PLAN_E_SECTION_RANGE, "overlaps the header or directory" },
	{ "overlap", m_overlap, PLAN_E_SECTION_RANGE, "overlaps data" },
	{ "missing", m_missing, PLAN_E_MISSING, "no server section" },
	{ "global count", m_global_count, PLAN_E_COUNT, "global section has 0 records" },
	{ "padding", m_padding, PLAN_E_RESERVED, "padding byte" },
	{ "string offset", m_str_off, PLAN_E_STRING, "proxy 0: name at 100000+2 is past the blob" },
	{ "string length", m_str_len, PLAN_E_STRING, "proxy 1: name" },
	{ "unterminated", m_str_unterminated, PLAN_E_STRING, "proxy 0: name at 10+3 is not NUL-terminated" },
	{ "empty blob", m_str_empty_blob, PLAN_E_STRING, "the blob is empty" },
	{ "global unknown flag", m_global_reserved, PLAN_E_RESERVED, "global: unknown flags 0x80000000" },
	{ "global flags", m_global_flags, PLAN_E_RESERVED, "global: unknown flags 0x8" },
	{ "global nproxies", m_global_nproxies, PLAN_E_COUNT, "global: nproxies 3" },
	{ "cap zero", m_cap_zero, PLAN_E_ENUM, "proxy 0: cap 0x0" },
	{ "cap unknown", m_cap_unknown, PLAN_E_ENUM, "proxy 0: cap 0x5" },
	{ "mode", m_mode, PLAN_E_ENUM, "proxy 1: mode 2" },
	{ "balance", m_balance, PLAN_E_ENUM, "proxy 1: balance 10" },
	{ "default backend range", m_default_backend_range, PLAN_E_INDEX, "proxy 0: default_backend 9 >= 2" },
	{ "default backend not be", m_default_backend_not_be, PLAN_E_INDEX, "proxy 1: default_backend 0 is not a backend" },
	{ "listener range", m_listener_range, PLAN_E_INDEX, "proxy 0: listeners [1, 9)" },
	{ "server range", m_server_range, PLAN_E_INDEX, "proxy 1: servers" },
	{ "ranges short", m_ranges_short, PLAN_E_LAYOUT, "cover 7 records, the table has 8" },
	{ "listener owner range", m_listener_owner_range, PLAN_E_INDEX, "listener 2: proxy 2 >= 2" },
	{ "listener owner not fe", m_listener_owner_not_fe, PLAN_E_INDEX, "listener 2: proxy 1 is not a frontend" },
	{ "server owner not be", m_server_owner_not_be, PLAN_E_INDEX, "server 0: proxy 0 is not a backend" },
	{ "ranges crossed", m_ranges_crossed, PLAN_E_LAYOUT, "listener 7: owned by proxy 0, whose listeners are [0, 7)" },
	{ "family enum", m_family_enum, PLAN_E_ENUM, "listener 0: address family 8" },
	{ "proto enum", m_proto_enum, PLAN_E_ENUM, "listener 0: protocol 2" },
	{ "sa_family", m_sa_family, PLAN_E_ADDRESS, "listener 0: inet address" },
	{ "inet salen", m_inet_salen, PLAN_E_ADDRESS, "listener 0: inet address with salen 28" },
	{ "inet6 salen", m_inet6_salen, PLAN_E_ADDRESS, "listener 2: inet6 address with salen 26" },
	{ "salen max", m_salen_max, PLAN_E_ADDRESS, "salen 113 > 112" },
	{ "sa tail", m_sa_tail, PLAN_E_ADDRESS, "listener 0: sa[100] beyond salen 16" },
	{ "mptcp on unix", m_mptcp_unix, PLAN_E_ADDRESS, "listener 4: MPTCP on family 3" },
	{ "mptcp on fd", m_mptcp_fd, PLAN_E_ADDRESS, "listener 7: MPTCP on family 6" },
	{ "fd on inet", m_fd_on_inet, PLAN_E_ADDRESS, "listener 0: fd 5" },
	{ "fd salen", m_fd_salen, PLAN_E_ADDRESS, "listener 7: salen 2, expected 0" },
	{ "unix family", m_unix_family, PLAN_E_ADDRESS, "listener 4: unix address" },
	{ "unix unterminated", m_unix_unterminated, PLAN_E_ADDRESS, "listener 4: unix path not NUL-terminated" },
	{ "unix empty", m_unix_empty, PLAN_E_ADDRESS, "listener 4: unix address with an empty path" },
	{ "abns salen", m_abns_salen, PLAN_E_ADDRESS, "listener 5: abns address with salen 20" },
	{ "abnsz not abstract", m_abns_not_abstract, PLAN_E_ADDRESS, "listener 6: abstract address" },
	{ "abnsz short", m_abnsz_short, PLAN_E_ADDRESS, "listener 6: unix address with salen 2" },
	{ "listener without address", m_listener_no_addr, PLAN_E_ADDRESS, "listener 0: no address" },
	{ "weight", m_weight, PLAN_E_VALUE, "server 0: weight 300 outside 0..256" },
	{ "source unix", m_source_unix, PLAN_E_VALUE, "server 0: source family 3 proto 0" },
	{ "source none with aux", m_source_none_aux, PLAN_E_VALUE, "server 0: source family 0 proto 0" },
	{ "source mptcp", m_source_mptcp, PLAN_E_VALUE, "server 0: source family 1 proto 1" },
	{ "usesrc without source", m_usesrc_nosrc, PLAN_E_VALUE, "(one of client/clientip, with a source)" },
	{ "server flags", m_server_flags, PLAN_E_RESERVED, "server 0: unknown flags 0x1000" },
	{ "server unknown flag", m_server_reserved, PLAN_E_RESERVED, "server 2: unknown flags 0x2000" },
	{ "server family", m_srv_family, PLAN_E_ENUM, "server 0: address family 8 unknown" },
	{ "server protocol", m_srv_proto, PLAN_E_ENUM, "server 0: protocol 2 unknown" },
	{ "server mptcp on unix", m_srv_mptcp_unix, PLAN_E_ADDRESS, "server 3: MPTCP on family 3" },
	{ "server port on unix", m_srv_port_unix, PLAN_E_ADDRESS, "server 3: port 1 on family 3" },
	{ "server port without address", m_srv_port_none, PLAN_E_ADDRESS, "server 7: port 80 on family 0" },
	{ "server inet ip tail", m_srv_ip_tail, PLAN_E_ADDRESS, "server 0: ip[4] is not zero for family 1" },
	{ "server ip on a descriptor", m_srv_ip_fd, PLAN_E_ADDRESS, "server 6: ip[15] is not zero for family 7" },
	{ "server inet aux", m_srv_inet_aux, PLAN_E_ADDRESS, "server 2: aux 0x1 on an inet address" },
	{ "server descriptor", m_srv_fd_big, PLAN_E_ADDRESS, "server 6: descriptor 2147483648 > 2147483647" },
	{ "server path offset", m_srv_path_off, PLAN_E_STRING, "server 3: address text at 100000 is past the blob" },
	{ "server host offset", m_srv_host_off, PLAN_E_STRING, "server 7: address text at 4294967295 is past the blob" },
	{ "server empty path", m_srv_path_empty, PLAN_E_ADDRESS, "server 3: unix path of 0 bytes (expected 1..107)" },
	{ "server text unterminated", m_srv_text_unterminated, PLAN_E_STRING, "server 7: address text at 365 is not NUL-terminated" },
	{ "server check index", m_srv_check_index, PLAN_E_LAYOUT, "server 0: check_addr 1, expected 0" },
	{ "check address unused", m_srv_check_unused, PLAN_E_LAYOUT, "servers use 1 check addresses, the table has 2" },
	{ "check address past the table", m_srv_check_past, PLAN_E_LAYOUT, "server 8: check_addr 2, expected 2 (the next of 2" },
	{ "check address ip tail", m_srv_check_ip_tail, PLAN_E_ADDRESS, "checkaddr 0: ip[5] is not zero for family 1" },
	{ "check address protocol", m_srv_check_enum, PLAN_E_ENUM, "checkaddr 1: protocol 7 unknown" },
	{ "proxy flags", m_px_flags, PLAN_E_RESERVED, "proxy 1: unknown flags 0x1000" },
	{ "prefer-last-server in tcp", m_prefer_last_tcp, PLAN_E_VALUE, "proxy 1: prefer-last-server outside HTTP mode" },
	{ "fullconn on a frontend", m_fullconn_fe, PLAN_E_VALUE, "proxy 0: fullconn 10 without a backend side" },
	{ "proxy hash_func", m_px_hash_func, PLAN_E_ENUM, "proxy 1: hash_func 5 unknown" },
	{ "minconn at maxconn", m_minconn_max, PLAN_E_VALUE, "server 1: minconn 100 with maxconn 100" },
	{ "minconn without maxconn", m_minconn_nomax, PLAN_E_VALUE, "server 0: minconn 1 with maxconn 0" },
	{ "server reserved", m_srv_reserved_word, PLAN_E_RESERVED, "server 0: reserved 1" },
	{ "hash type", m_hash_type, PLAN_E_ENUM, "proxy 1: hash_type 2 unknown" },
	{ "check type", m_check_type, PLAN_E_ENUM, "proxy 1: check_type 3 unknown" },
	{ "proxy log format", m_log_format_px, PLAN_E_ENUM, "proxy 0: log_format 1 unknown" },
	{ "random draws", m_random_draws, PLAN_E_VALUE, "proxy 1: random_draws 0 outside 1..1000000" },
	{ "random draws huge", m_random_draws_huge, PLAN_E_VALUE, "proxy 1: random_draws 4294967295 outside 1..1000000" },
	{ "random draws unused", m_random_draws_unused, PLAN_E_VALUE, "proxy 1: random_draws 2 without balance random" },
	{ "time above INT_MAX", m_time_huge, PLAN_E_VALUE, "proxy 1: timeout_server 2147483648 outside 0..2147483647 ms" },
	{ "nbthread 5000", m_nbthread_huge, PLAN_E_VALUE, "global 0: nbthread 5000 outside 1..4096" },
	{ "proxy name newline", m_px_name_nl, PLAN_E_VALUE, "proxy 0: name has the byte 0x0a at 1" },
	{ "proxy name empty", m_px_name_empty, PLAN_E_VALUE, "proxy 0: empty name" },
	{ "proxy name twice", m_px_name_dup, PLAN_E_VALUE, "proxy 1: same name as proxy 0" },
	{ "server name twice", m_srv_name_dup, PLAN_E_VALUE, "server 1: same name as server 0" },
	{ "server name space", m_srv_name_space, PLAN_E_VALUE, "server 0: name has the byte 0x20" },
	{ "backend flag on a frontend only", m_px_flag_side, PLAN_E_VALUE, "proxy 1: flags 0x" },
	{ "frontend logs without LOG", m_fe_log_flag, PLAN_E_VALUE, "proxy 0: a frontend with logs but without the LOG flag" },
	{ "httpchk version with LF", m_httpchk_version_lf, PLAN_E_VALUE, "proxy 1: httpchk_version holds a CR or LF" },
	{ "proxy description with LF", m_px_desc_lf, PLAN_E_VALUE, "proxy 1: description holds a CR or LF" },
	{ "logasap on a backend", m_px_logasap_be, PLAN_E_VALUE, "proxy 1: flags 0x201 on a proxy without their side" },
	{ "unix-bind unknown flag", m_glb_uxb_flags, PLAN_E_RESERVED, "global: unknown unix_bind_flags 0x8" },
	{ "unix-bind mode too large", m_glb_uxb_mode, PLAN_E_VALUE, "global: unix-bind mode 10000 uid 0 gid 0 with flags 0x1" },
	{ "unix-bind uid without flag", m_glb_uxb_noflag, PLAN_E_VALUE, "global: unix-bind mode 0 uid 5 gid 0 with flags 0x0" },
	{ "global description with LF", m_glb_desc_lf, PLAN_E_VALUE, "global 0: description holds a CR or LF" },
	{ "log port 0", m_log_port0, PLAN_E_ADDRESS, "log 1: inet address without a port" },
	{ "http frontend, tcp backend", m_http_fe_tcp_be, PLAN_E_VALUE, "proxy 0: http, sends to tcp backend 1" },
	{ "inspect delay without rules", m_inspect_unused, PLAN_E_VALUE, "tcp 0: an inspect delay without the rules it delays" },
	{ "server port 0", m_srv_port0, PLAN_E_VALUE, "server 1: port 0 without NOPORT or OFFSET" },
	{ "server port and offset", m_srv_port_offset, PLAN_E_VALUE, "server 1: port 443 with NOPORT or OFFSET" },
	{ "checked server without port", m_srv_noport_checked, PLAN_E_VALUE, "server 2: checked with no port to check" },
	{ "listener port 0", m_lis_port0, PLAN_E_ADDRESS, "listener 0: inet address without a port" },
	{ "stats refresh huge", m_stats_refresh_huge, PLAN_E_VALUE, "http 1: stats_refresh 2147484 outside 0..2147483 s" },
	{ "cookie maxlife huge", m_cookie_maxlife_huge, PLAN_E_VALUE, "http 1: cookie_maxlife 4294967295 outside 0..2147483 s" },
	{ "cookie name with NUL", m_cookie_name_nul, PLAN_E_STRING, "http 1: cookie_name holds a NUL byte" },
	{ "status order", m_status_order, PLAN_E_VALUE, "proxy 1: httpchk status range 400..300" },
	{ "status high", m_status_high, PLAN_E_VALUE, "proxy 1: httpchk status range 0..600" },
	{ "httpchk string", m_httpchk_str, PLAN_E_STRING, "proxy 1: httpchk_uri" },
	{ "check range", m_check_range, PLAN_E_INDEX, "proxy 1: check rules [0, 4) past the table (3)" },
	{ "checks short", m_checks_short, PLAN_E_LAYOUT, "check rule ranges cover 2 records, the table has 3" },
	{ "checks on frontend", m_check_on_fe, PLAN_E_INDEX, "proxy 0: check rules on a proxy that is not a backend" },
	{ "check owner", m_check_owner, PLAN_E_LAYOUT, "check 0: owned by proxy 1, whose checks are [1, 3)" },
	{ "rules without tcp-check", m_check_not_tcp, PLAN_E_VALUE, "proxy 1: 3 check rules with check_type 0" },
	{ "http check body rule not an expect", m_http_body_op, PLAN_E_VALUE, "proxy 1: http check body rule op 0 (0 bytes)" },
	{ "http check body rule with a status", m_http_body_status, PLAN_E_VALUE, "proxy 1: http check body rule op 2 (4 bytes) with statuses 0..0" },
	{ "http check without request", m_http_no_request, PLAN_E_VALUE, "proxy 1: http check needs a method" },
	{ "check owner range", m_check_owner_range, PLAN_E_INDEX, "check 0: proxy 5 >= 2" },
	{ "check op", m_check_op, PLAN_E_ENUM, "check 1: op 6 unknown" },
	{ "check flags", m_check_flags, PLAN_E_RESERVED, "check 2: unknown flags 0x4" },
	{ "default send", m_check_default_send, PLAN_E_VALUE, "check 1: 'default' on a rule that is not a connect" },
	{ "negated send", m_check_negate_send, PLAN_E_VALUE, "check 1: negation on a connect or send rule" },
	{ "connect port", m_check_port, PLAN_E_VALUE, "check 0: arg 70000" },
	{ "send arg", m_check_arg_send, PLAN_E_VALUE, "check 1: arg 1" },
	{ "check data", m_check_data, PLAN_E_STRING, "check 1: data" },
	{ "check empty data", m_check_empty, PLAN_E_VALUE, "check 1: empty data" },
	{ "connect data", m_check_connect_data, PLAN_E_VALUE, "check 0: data on a connect rule" },
	{ "check reserved", m_check_reserved, PLAN_E_RESERVED, "check 0: reserved 0x1" },
	{ "global string", m_global_str, PLAN_E_STRING, "global 0: pidfile" },
	{ "global log range", m_global_log_range, PLAN_E_INDEX, "global: logs [0, 5) past the table (2)" },
	{ "logs short", m_logs_short, PLAN_E_LAYOUT, "log ranges cover 1 records, the table has 2" },
	{ "log owner", m_log_owner, PLAN_E_LAYOUT, "log 1: owned by global, whose logs are [0, 1)" },
	{ "log owner range", m_log_owner_range, PLAN_E_INDEX, "log 1: proxy 7 >= 2" },
	{ "log target", m_log_target, PLAN_E_ENUM, "log 0: target 3 unknown" },
	{ "log facility", m_log_facility, PLAN_E_ENUM, "log 0: facility 24 > 23" },
	{ "log level", m_log_level, PLAN_E_ENUM, "log 0: level 8 > 7" },
	{ "log format", m_log_format, PLAN_E_ENUM, "log 0: format 3 > 2" },
	{ "log family", m_log_family, PLAN_E_ADDRESS, "log 0: address family 6, protocol 0 do not fit target 1" },
	{ "log unix target", m_log_unix_target, PLAN_E_ADDRESS, "log 1: address family 1, protocol 0 do not fit target 2" },
	{ "log address", m_log_addr, PLAN_E_ADDRESS, "log 1: inet address with salen 20" },
	{ "stats range", m_stats_range, PLAN_E_INDEX, "global: stats sockets [0, 2) past the table (1)" },
	{ "stats short", m_stats_short, PLAN_E_LAYOUT, "global: stats range covers 0 records, the table has 1" },
	{ "stats level", m_stats_level, PLAN_E_ENUM, "stats 0: level 3 unknown" },
	{ "stats mode", m_stats_mode, PLAN_E_VALUE, "stats 0: mode 010000" },
	{ "stats timeout", m_stats_timeout, PLAN_E_VALUE, "stats 0: timeout 2147483648 ms" },
	{ "stats family", m_stats_family, PLAN_E_ADDRESS, "stats 0: address family 7" },
	{ "stats owner", m_stats_owner, PLAN_E_VALUE, "stats 0: an owner (uid 5" },
	{ "stats name and id", m_stats_name_id, PLAN_E_VALUE, "stats 0: both a numeric id and a name" },
	{ "stats group string", m_stats_name_str, PLAN_E_STRING, "stats 0: group at" },
	{ "listener flags", m_lsn_flags, PLAN_E_RESERVED, "listener 0: unknown flags 0x10" },
	{ "listener v4v6 and v6only", m_lsn_v6both, PLAN_E_VALUE, "listener 0: both v4v6 and v6only" },
	{ "listener tls bind out of range", m_lsn_tls, PLAN_E_INDEX, "listener 0: tls bind 1 > 0 records" },
	{ "noport and offset", m_srv_noport_offset, PLAN_E_VALUE, "server 2: both NOPORT and OFFSET" },
	{ "offset unflagged", m_srv_offset_unflagged, PLAN_E_VALUE, "server 1: port_offset 5 without the OFFSET flag" },
	{ "offset big", m_srv_offset_big, PLAN_E_VALUE, "server 1: port_offset 70000 beyond" },
	{ "rise zero", m_srv_rise, PLAN_E_VALUE, "server 0: rise 0 outside 1..4294967295" },
	{ "fall zero", m_srv_fall, PLAN_E_VALUE, "server 0: fall 0 outside 1..4294967295" },
	{ "inter zero", m_srv_inter, PLAN_E_VALUE, "server 0: inter 0 outside 1..2147483647 ms" },
	{ "check address", m_srv_check_addr, PLAN_E_ADDRESS, "checkaddr 0: aux 0x5 on an inet address" },
	{ "check address family", m_srv_check_family, PLAN_E_ADDRESS, "checkaddr 0: family 6 (expected inet or inet6)" },
	{ "precond kind", m_pre_kind, PLAN_E_ENUM, "precond 1: kind 8 unknown" },
	{ "precond reserved", m_pre_reserved, PLAN_E_RESERVED, "precond 0: reserved 0x4" },
	{ "precond line", m_pre_line, PLAN_E_VALUE, "precond 1: line 0, column 9" },
	{ "precond column", m_pre_col, PLAN_E_VALUE, "precond 0: line 30, column 0" },
	{ "precond path string", m_pre_path_str, PLAN_E_STRING, "precond 0: path at 100000" },
	{ "precond source string", m_pre_source_str, PLAN_E_STRING, "precond 1: source" },
	{ "precond keyword string", m_pre_keyword_str, PLAN_E_STRING, "precond 1: keyword" },
	{ "precond empty path", m_pre_path_empty, PLAN_E_VALUE, "precond 0: path is not a non-empty absolute path" },
	{ "precond relative path", m_pre_path_relative, PLAN_E_VALUE, "precond 1: path is not a non-empty absolute path" },
	{ "precond table missing", m_pre_missing, PLAN_E_MISSING, "no precond section" },
	{ "precond count", m_pre_count, PLAN_E_SECTION_RANGE, "precond" },
	{ "proxy tarpit time", m_px_tarpit, PLAN_E_VALUE, "proxy 1: timeout_tarpit 2147483648" },
	{ "proxy tarpit time without rule", m_px_tarpit_norule, PLAN_E_VALUE, "proxy 1: timeout_tarpit 5 without a tarpit rule" },
	{ "stick rules past the rules", m_tcp_nstick_over, PLAN_E_VALUE, "proxy 1: 1 connection, session, content, response, stick and use-server rules of 0 rules" },
	{ "acl range start", m_px_acl_first, PLAN_E_LAYOUT, "proxy 1: acls [2, +0), expected to start at 3 of 3" },
	{ "acl range past the table", m_px_acls_past, PLAN_E_LAYOUT, "proxy 1: acls [3, +1), expected to start at 3 of 3" },
	{ "acl range huge", m_px_nacls_huge, PLAN_E_LAYOUT, "proxy 0: acls [0, +4294967295)" },
	{ "rule range huge", m_px_rules_huge, PLAN_E_LAYOUT, "proxy 0: rules [0, +4294967294)" },
	{ "connection rules beyond", m_px_nconn, PLAN_E_VALUE, "proxy 0: 3 connection rules of 2 rules" },
	{ "connection rules order", m_px_conn_order, PLAN_E_LAYOUT, "rule 1: action 2 at position 1 of a proxy with 2 connection rules" },
	{ "rules on a backend", m_rules_on_be, PLAN_E_INDEX, "proxy 1: rules on a proxy that is not a frontend" },
	{ "acl owner", m_acl_owner, PLAN_E_LAYOUT, "acl 1: proxy 1, but it lies in proxy 0's range" },
	{ "acl fetch", m_acl_fetch, PLAN_E_ENUM, "acl 0: fetch 112 unknown" },
	{ "acl match", m_acl_match, PLAN_E_ENUM, "acl 0: match 13 unknown" },
	{ "acl ip match on a port", m_acl_match_fit, PLAN_E_VALUE, "acl 1: match 3 does not fit fetch 4" },
	{ "acl int match on an address", m_acl_ip_int, PLAN_E_VALUE, "acl 0: match 2 does not fit fetch 2" },
	{ "nbsrv range", m_acl_arg_range, PLAN_E_INDEX, "acl 2: nbsrv of proxy 7" },
	{ "nbsrv not a backend", m_acl_arg_not_be, PLAN_E_INDEX, "acl 2: nbsrv of proxy 0" },
	{ "arg on src", m_acl_arg_other, PLAN_E_VALUE, "acl 0: arg 1 on fetch 2" },
	{ "acl conv past the table", m_acl_conv, PLAN_E_LAYOUT, "acl 2: converters at 3, expected 0 of 0" },
	{ "acl reserved", m_acl_reserved, PLAN_E_RESERVED, "acl 2: arg2 0x4" },
	{ "acl name", m_acl_name, PLAN_E_STRING, "acl 0: name" },
	{ "pattern range start", m_acl_pat_first, PLAN_E_LAYOUT, "acl 1: patterns [0, +1), expected to start at 2 of 4" },
	{ "pattern range huge", m_acl_pat_huge, PLAN_E_LAYOUT, "acl 2: patterns [3, +4294967295)" },
	{ "patterns on found", m_acl_found_pats, PLAN_E_VALUE, "acl 2: 1 patterns with a match taking none" },
	{ "patterns left over", m_pats_short, PLAN_E_LAYOUT, "pattern 3 belongs to no ACL line nor converter" },
	{ "pattern kind", m_pat_kind, PLAN_E_ENUM, "pattern 0: kind 5 unknown" },
	{ "pattern kind fit", m_pat_kind_fit, PLAN_E_VALUE, "pattern 2: kind 0 under match 2" },
	{ "pattern prefix", m_pat_prefix, PLAN_E_VALUE, "pattern 0: prefix 33 of 32 bits" },
	{ "pattern host bits", m_pat_host_bits, PLAN_E_VALUE, "pattern 0: ip byte 3 has bits past prefix 24" },
	{ "pattern v4 tail", m_pat_v4_tail, PLAN_E_VALUE, "pattern 0: ip byte 4 has bits past prefix 24" },
	{ "pattern v6 bits", m_pat_v6_bits, PLAN_E_VALUE, "pattern 1: ip byte 4 has bits past prefix 32" },
	{ "pattern range", m_pat_range, PLAN_E_VALUE, "pattern 2: integer range 70000..65535" },
	{ "pattern int with ip", m_pat_int_ip, PLAN_E_VALUE, "pattern 3: ip byte 0 has bits past prefix 0" },
	{ "pattern file half set", m_pat_reserved, PLAN_E_RESERVED, "pattern 1: file name at 9 of 0 bytes" },
	{ "pattern file past the blob", m_pat_file_out, PLAN_E_STRING, "pattern 1: file at" },
	{ "pattern ip with lo", m_pat_ip_lo, PLAN_E_VALUE, "pattern 1: prefix 32 of 128 bits, lo/hi 1/0" },
	{ "rule owner", m_rule_owner, PLAN_E_LAYOUT, "rule 1: proxy 1, but it lies in proxy 0's range" },
	{ "rule action", m_rule_action, PLAN_E_ENUM, "rule 0: action 11 unknown" },
	{ "use_backend not a backend", m_rule_backend, PLAN_E_INDEX, "rule 1: use_backend 0 is not a backend" },
	{ "use_backend none", m_rule_backend_range, PLAN_E_INDEX, "rule 1: backend expression on acl 4294967295" },
	{ "backend on a connection rule", m_rule_conn_backend, PLAN_E_VALUE, "rule 0: backend 1 on a connection rule" },
	{ "rule cond", m_rule_cond, PLAN_E_ENUM, "rule 0: cond 3 unknown" },
	{ "terms without cond", m_rule_cond_none, PLAN_E_VALUE, "rule 0: cond 0 with 1 terms" },
	{ "rule reserved", m_rule_reserved, PLAN_E_RESERVED, "rule 1: arg 0x1 on action 2" },
	{ "term range start", m_rule_terms, PLAN_E_LAYOUT, "rule 1: terms [0, +2), expected to start at 1 of 3" },
	{ "term range huge", m_rule_terms_huge, PLAN_E_LAYOUT, "rule 1: terms [1, +4294967295)" },
	{ "terms left over", m_terms_short, PLAN_E_LAYOUT, "owners use 3 acls, 2 rules, 4 patterns, 2 terms" },
	{ "term flags", m_term_flags, PLAN_E_RESERVED, "term 0: unknown flags 0x4" },
	{ "first term or", m_term_first_or, PLAN_E_VALUE, "term 1: a rule's first term starts an alternative" },
	{ "term reserved", m_term_reserved, PLAN_E_RESERVED, "term 2: reserved 0x1" },
	{ "term without acl", m_term_none, PLAN_E_INDEX, "term 0: acls [0, +0) outside proxy 0's [0, +3)" },
	{ "term past the proxy's acls", m_term_past, PLAN_E_INDEX, "term 1: acls [2, +2) outside" },
	{ "term wraps", m_term_wrap, PLAN_E_INDEX, "term 1: acls [4294967295, +1)" },
	{ "tune.bufsize odd", m_tune_bufsize_odd, PLAN_E_VALUE, "global: tune_bufsize 16385 (expected 0 or a multiple of 16" },
	{ "tune.bufsize small", m_tune_bufsize_small, PLAN_E_VALUE, "global: tune_bufsize 128" },
	{ "tune.maxrewrite", m_tune_maxrewrite, PLAN_E_VALUE, "global: tune_maxrewrite 16385 is more than half of the buffer size 32768" },
	{ "tune.maxrewrite flag", m_tune_maxrewrite_flag, PLAN_E_VALUE, "global: tune_maxrewrite 1 without its flag" },
	{ "tune.http.maxhdr big", m_tune_maxhdr_big, PLAN_E_VALUE, "global: tune_http_maxhdr 32768" },
	{ "maxconnrate big", m_maxconnrate_big, PLAN_E_VALUE, "global: maxconnrate 2147483648" },
	{ "maxsessrate big", m_maxsessrate_big, PLAN_E_VALUE, "maxsessrate 4294967295" },
	{ "global ulimit-n", m_global_tail, PLAN_E_VALUE, "global: ulimit-n 2147483648 above 2147483647" },
	{ "global uid", m_global_uid, PLAN_E_VALUE, "global: uid 4294967295 / gid 0 above 4294967294" },
	{ "global uid and user", m_global_uid_user, PLAN_E_VALUE, "global: both a numeric uid/gid and a user/group name" },
	{ "http on tcp proxy", m_http_on_tcp, PLAN_E_VALUE, "http 0: settings on a proxy not in mode http" },
	{ "http flags", m_http_flags, PLAN_E_RESERVED, "http 1: unknown flags 0x80000000" },
	{ "http clf alone", m_http_clf, PLAN_E_VALUE, "a sub-flag without its option" },
	{ "http if-none alone", m_http_if_none, PLAN_E_VALUE, "a sub-flag without its option" },
	{ "http stats sub-flag alone", m_http_stats_sub, PLAN_E_VALUE, "a sub-flag without its option" },
	{ "http conn mode", m_http_conn, PLAN_E_ENUM, "http 1: conn_mode 3 unknown" },
	{ "http reuse", m_http_reuse, PLAN_E_ENUM, "http 1: reuse 4 unknown" },
	{ "http ff header string", m_http_ff_str, PLAN_E_STRING, "http 1: ff_header" },
	{ "http ff header empty", m_http_ff_empty, PLAN_E_VALUE, "header name goes with its flag" },
	{ "http ot header alone", m_http_ot_header, PLAN_E_VALUE, "header name goes with its flag" },
	{ "http except bits", m_http_net_bits, PLAN_E_VALUE, "http 1: ff_except has bits set past its /8 prefix (byte 1)" },
	{ "http except v4 tail", m_http_net_v4_tail, PLAN_E_VALUE, "ff_except has bits set past its /8 prefix (byte 4)" },
	{ "http except family", m_http_net_family, PLAN_E_ENUM, "http 1: ff_except family 3" },
	{ "http except prefix", m_http_net_prefix, PLAN_E_VALUE, "http 1: ff_except prefix 33 > 32" },
	{ "http except reserved", m_http_net_reserved, PLAN_E_RESERVED, "http 1: ff_except reserved" },
	{ "http except no family", m_http_net_none, PLAN_E_VALUE, "http 1: ff_except is set without a family" },
	{ "http ot except alone", m_http_ot_net, PLAN_E_VALUE, "http 1: ot_except is set without its option" },
	{ "http stats without uri", m_http_stats_uri, PLAN_E_VALUE, "stats without a uri" },
	{ "http stats fields alone", m_http_stats_off, PLAN_E_VALUE, "stats settings without stats" },
	{ "http log format and httplog", m_http_log_both, PLAN_E_VALUE, "http 1: both a log_format and httplog" },
	{ "http monitor-uri string", m_http_monitor_str, PLAN_E_STRING, "http 1: monitor_uri" },
	{ "cookie fields without a name", m_cookie_no_name, PLAN_E_VALUE, "http 1: cookie settings without a cookie name" },
	{ "cookie mode", m_cookie_mode, PLAN_E_ENUM, "http 1: cookie_mode 4 unknown" },
	{ "cookie flags", m_cookie_flags, PLAN_E_RESERVED, "http 1: unknown cookie flags 0x40" },
	{ "cookie preserve", m_cookie_preserve, PLAN_E_VALUE, "http 1: cookie preserve without insert or indirect" },
	{ "cookie maxidle", m_cookie_maxidle, PLAN_E_VALUE, "http 1: cookie maxidle/maxlife without insert" },
	{ "cookie domains list", m_cookie_list, PLAN_E_VALUE, "http 1: cookie_domains does not end with a newline" },
	{ "server cookie without cookie", m_srv_cookie, PLAN_E_VALUE, "server 0: a cookie value in a proxy without a cookie" },
	{ "errorfile bits", m_err_bits, PLAN_E_RESERVED, "http 1: unknown errorfile bits 0x80000" },
	{ "errorfile without path", m_err_no_path, PLAN_E_VALUE, "http 1: errorfile 200: a page or path without its bit" },
	{ "errorfile page alone", m_err_page_alone, PLAN_E_VALUE, "http 1: errorfile 403: a page or path without its bit" },
	{ "errorfile deferred alone", m_err_deferred, PLAN_E_VALUE, "http 1: deferred errorfile bits 0x2 without a page" },
	{ "capture on a backend", m_cap_on_be, PLAN_E_VALUE, "http 1: 1 captures (at most 16, frontends only)" },
	{ "capture past ncaptures", m_cap_past, PLAN_E_VALUE, "http 1: capture 2 is set past ncaptures" },
	{ "capture kind", m_cap_kind, PLAN_E_ENUM, "http 1: capture 0 kind 4 unknown" },
	{ "two cookie captures", m_cap_two_cookies, PLAN_E_VALUE, "http 1: capture 1: empty name or a second cookie capture" },
	{ "http auth newline", m_http_auth_nl, PLAN_E_VALUE, "http 1: stats_auth does not end with a newline" },
};

/* TLS to servers: the record of server 1 is TLS record 0. */
#define TLS(buf) ((struct plan_tls_server *)rec((buf), PLAN_SEC_TLS_SERVER, 0))
MUT(m_tls_server_index) { (void)len; TLS(buf)->server = 0; }
MUT(m_tls_server_range) { (void)len; TLS(buf)->server = NSRV; }
MUT(m_tls_flag_missing) { (void)len; SRV(buf, 1)->flags &= (uint16_t)~PLAN_SRV_F_TLS; }
MUT(m_tls_flags) { (void)len; TLS(buf)->flags |= 0x40; }
MUT(m_tls_neither) { (void)len; TLS(buf)->flags = PLAN_TLS_SRV_F_VERIFY; }
MUT(m_tls_ver_order) { (void)len; TLS(buf)->min_ver = 0x0304; TLS(buf)->max_ver = 0x0303; }
MUT(m_tls_ver_enum) { (void)len; TLS(buf)->max_ver = 0x0305; }
MUT(m_tls_sni_enum) { (void)len; TLS(buf)->sni = PLAN_TLS_SNI_MAX; }
MUT(m_tls_sni_name) { (void)len; TLS(buf)->sni = PLAN_TLS_SNI_FC_SNI; }
MUT(m_tls_reserved) { (void)len; TLS(buf)->reserved2 = 1; }
MUT(m_tls_der) { (void)len; TLS(buf)->ca_off = TLS(buf)->ca_file.off; TLS(buf)->ca_len = TLS(buf)->ca_file.len; }
MUT(m_tls_der_alone) { (void)len; TLS(buf)->ca_file = TLS(buf)->check_sni; }
MUT(m_tls_key_alone) { (void)len; TLS(buf)->crt_file = TLS(buf)->alpn; TLS(buf)->crt_off = TLS(buf)->ca_off; TLS(buf)->crt_len = TLS(buf)->ca_len; }
MUT(m_tls_system_ca) { (void)len; TLS(buf)->flags |= PLAN_TLS_SRV_F_SYSTEM_CA; }
MUT(m_tls_alpn) { (void)len; TLS(buf)->alpn.off += 2; TLS(buf)->alpn.len -= 2; }
MUT(m_tls_string) { (void)len; TLS(buf)->verifyhost.len = 0xffff; }

static const struct corruption tls_corruptions[] = {
	{ "tls server without the flag", m_tls_server_index, PLAN_E_INDEX, "tls_server 0: server 0 is not a TLS server" },
	{ "tls server out of range", m_tls_server_range, PLAN_E_INDEX, "tls_server 0: server 9 is not a TLS server" },
	{ "tls flag without record", m_tls_flag_missing, PLAN_E_LAYOUT, "0 servers use TLS, the tls_server table has 1" },
	{ "tls unknown flags", m_tls_flags, PLAN_E_RESERVED, "tls_server 0: unknown flags 0x40" },
	{ "tls for nothing", m_tls_neither, PLAN_E_VALUE, "tls_server 0: neither traffic nor checks use TLS" },
	{ "tls versions reversed", m_tls_ver_order, PLAN_E_VALUE, "tls_server 0: min version 0x0304 above max 0x0303" },
	{ "tls version unknown", m_tls_ver_enum, PLAN_E_ENUM, "tls_server 0: version 0x0303..0x0305" },
	{ "tls sni kind unknown", m_tls_sni_enum, PLAN_E_ENUM, "sni kind 5 unknown" },
	{ "tls sni name on ssl_fc_sni", m_tls_sni_name, PLAN_E_VALUE, "tls_server 0: sni kind 4 with a name of 11 bytes" },
	{ "tls reserved", m_tls_reserved, PLAN_E_RESERVED, "tls_server 0: reserved fields not zero" },
	{ "tls ca bytes not DER", m_tls_der, PLAN_E_VALUE, "tls_server 0" },
	{ "tls ca bytes without file", m_tls_der_alone, PLAN_E_VALUE, "tls_server 0: DER bytes without their file name" },
	{ "tls crt without key", m_tls_key_alone, PLAN_E_VALUE, "tls_server 0: crt of 5 bytes with a key of 0" },
	{ "tls system CA and a file", m_tls_system_ca, PLAN_E_VALUE, "both the system CA and a ca_file" },
	{ "tls empty alpn name", m_tls_alpn, PLAN_E_VALUE, "tls_server 0: alpn name of 0 bytes at 0" },
	{ "tls string past the blob", m_tls_string, PLAN_E_STRING, "tls_server 0: verifyhost" },
};

/* Apply corruption c to the sample plan buf[len] (freed here): the
 * verifier refuses it with c's reason and detail. */
static void check_corruption(const struct corruption *c, uint8_t *buf,
                             size_t len)
{
	char detail[256];
	enum plan_err e;

	c->mutate(buf, len);
	redigest(buf, len);
	e = plan_verify(buf, len, NULL, detail, sizeof(detail));
	ck_assert_msg(e == c->want, "%s: got %s (%s), want %s", c->what,
	              plan_strerror(e), detail, plan_strerror(c->want));
	ck_assert_msg(strstr(detail, c->detail) != NULL,
	              "%s: detail \"%s\" lacks \"%s\"", c->what, detail,
	              c->detail);
	free(buf);
}

/* DNS tables: resolvers 0 with nameserver 0, srv_resolve 0 of server 0. */
#define RES(buf) ((struct plan_resolvers *)rec((buf), PLAN_SEC_RESOLVERS, 0))
#define NS(buf) ((struct plan_nameserver *)rec((buf), PLAN_SEC_NAMESERVER, 0))
#define SRES(buf) ((struct plan_srv_resolve *)rec((buf), PLAN_SEC_SRV_RESOLVE, 0))
MUT(m_res_retries) { (void)len; RES(buf)->retries = 1001; }
MUT(m_res_payload) { (void)len; RES(buf)->payload = 11; }
MUT(m_res_flags) { (void)len; RES(buf)->flags = 0x2; }
MUT(m_res_time) { (void)len; RES(buf)->hold_nx = 0x80000000u; }
MUT(m_res_name) { (void)len; RES(buf)->name.len = 0; }
MUT(m_res_ns_first) { (void)len; RES(buf)->ns_first = 1; }
MUT(m_res_no_ns) { (void)len; RES(buf)->ns_count = 0; }
MUT(m_res_left_over) { (void)len; RES(buf)->ns_count = 0; RES(buf)->flags = PLAN_RES_F_RESOLV_CONF; }
MUT(m_ns_owner) { (void)len; NS(buf)->resolvers = 1; }
MUT(m_ns_port) { (void)len; NS(buf)->addr.port = 0; }
MUT(m_ns_family) { (void)len; NS(buf)->addr.family = PLAN_FAM_UNIX; }
MUT(m_sres_server) { (void)len; SRES(buf)->server = NSRV; }
MUT(m_sres_section) { (void)len; SRES(buf)->resolvers = 1; }
MUT(m_sres_unix) { (void)len; SRES(buf)->server = 3; }
MUT(m_sres_host) { (void)len; SRES(buf)->host.len = 0; }
MUT(m_sres_flags) { (void)len; SRES(buf)->flags = 0x8; }
MUT(m_sres_port) { (void)len; SRES(buf)->port = 70000; }
MUT(m_sres_port_other) { (void)len; SRES(buf)->port = 81; }
MUT(m_sres_none_flag) { (void)len; SRES(buf)->flags |= PLAN_SRES_F_MAINT_NONE; }
MUT(m_sres_not_host) { (void)len; SRES(buf)->host = TLS(buf)->alpn; }
MUT(m_res_name_chars) { (void)len; RES(buf)->name = TLS(buf)->alpn; }
MUT(m_ns_id_chars) { (void)len; NS(buf)->id = TLS(buf)->ca_file; }
static const struct corruption dns_corruptions[] = {
	{ "resolvers retries", m_res_retries, PLAN_E_VALUE, "resolvers 0: 1001 retries (0..1000)" },
	{ "resolvers payload", m_res_payload, PLAN_E_VALUE, "resolvers 0: payload size 11 (12..65535)" },
	{ "resolvers flags", m_res_flags, PLAN_E_RESERVED, "resolvers 0: unknown flags 0x2" },
	{ "resolvers hold", m_res_time, PLAN_E_VALUE, "resolvers 0: hold 2147483648 ms above" },
	{ "resolvers name", m_res_name, PLAN_E_STRING, "resolvers 0: bad or empty name" },
	{ "resolvers first nameserver", m_res_ns_first, PLAN_E_LAYOUT, "resolvers 0: nameservers 1+1, expected to start at 0 of 1" },
	{ "resolvers without nameserver", m_res_no_ns, PLAN_E_VALUE, "resolvers 0: no nameserver and no resolv.conf" },
	{ "nameserver of no section", m_res_left_over, PLAN_E_LAYOUT, "1 nameservers belong to no resolvers section" },
	{ "nameserver owner", m_ns_owner, PLAN_E_INDEX, "nameserver 0: resolvers 1, expected 0" },
	{ "nameserver port", m_ns_port, PLAN_E_ADDRESS, "nameserver 0: not an IPv4 or IPv6 address with a port" },
	{ "nameserver family", m_ns_family, PLAN_E_ADDRESS, "nameserver 0" },
	{ "srv_resolve server", m_sres_server, PLAN_E_INDEX, "srv_resolve 0: server 9 of 9" },
	{ "srv_resolve section", m_sres_section, PLAN_E_INDEX, "resolvers 1 of 1" },
	{ "srv_resolve unix server", m_sres_unix, PLAN_E_ADDRESS, "srv_resolve 0: server 3 is not an IP server" },
	{ "srv_resolve host", m_sres_host, PLAN_E_STRING, "srv_resolve 0: bad host name" },
	{ "srv_resolve flags", m_sres_flags, PLAN_E_RESERVED, "srv_resolve 0: unknown flags 0x8" },
	{ "srv_resolve port", m_sres_port, PLAN_E_VALUE, "srv_resolve 0: port 70000" },
	{ "srv_resolve port not the server's", m_sres_port_other, PLAN_E_VALUE, "srv_resolve 0: port 81, server 0 has 80" },
	{ "srv_resolve no-address flag", m_sres_none_flag, PLAN_E_VALUE, "srv_resolve 0: the no-address flag does not match server 0" },
	{ "srv_resolve not a host name", m_sres_not_host, PLAN_E_VALUE, "srv_resolve 0: 'h2,http/1.1' is not a host name" },
	{ "resolvers name characters", m_res_name_chars, PLAN_E_STRING, "resolvers 0: bad or empty name" },
	{ "nameserver id characters", m_ns_id_chars, PLAN_E_STRING, "nameserver 0: bad or empty id" },
};

START_TEST(test_dns_corruption)
{
	const struct corruption *c = &dns_corruptions[_i];
	struct sample s;
	uint8_t *buf;
	size_t len;
	struct plan p;

	build_sample(&s, &buf, &len);
	ck_assert_int_eq(plan_verify(buf, len, &p, NULL, 0), PLAN_E_OK);
	ck_assert_uint_eq(p.nresolvers, 1);
	ck_assert_ptr_eq(plan_srv_resolve_of(&p, 0), &p.srv_resolves[0]);
	ck_assert_ptr_null(plan_srv_resolve_of(&p, 1));
	ck_assert_str_eq(plan_str_get(&p, p.srv_resolves[0].host), "app.example");
	check_corruption(c, buf, len);
}
END_TEST

START_TEST(test_tls_server_corruption)
{
	const struct corruption *c = &tls_corruptions[_i];
	struct sample s;
	uint8_t *buf;
	size_t len;
	struct plan p;

	build_sample(&s, &buf, &len);
	ck_assert_int_eq(plan_verify(buf, len, &p, NULL, 0), PLAN_E_OK);
	ck_assert_uint_eq(p.ntls_servers, 1);
	ck_assert_ptr_eq(plan_server_tls(&p, 1), &p.tls_servers[0]);
	ck_assert_ptr_null(plan_server_tls(&p, 0));
	ck_assert_ptr_null(plan_server_tls(&p, NSRV));
	check_corruption(c, buf, len);
}
END_TEST

START_TEST(test_targeted_corruption)
{
	const struct corruption *c = &corruptions[_i];
	struct sample s;
	uint8_t *buf, *copy;
	size_t len;
	char detail[256];
	enum plan_err e;
	struct plan p;

	build_sample(&s, &buf, &len);
	c->mutate(buf, len);
	redigest(buf, len);
	memset(&p, 0x5a, sizeof(p));
	e = plan_verify(buf, len, &p, detail, sizeof(detail));
	ck_assert_msg(e == c->want, "%s: got %s (%s), want %s", c->what,
	              plan_strerror(e), detail, plan_strerror(c->want));
	ck_assert_msg(strstr(detail, c->detail) != NULL,
	              "%s: detail \"%s\" lacks \"%s\"", c->what, detail,
	              c->detail);
	ck_assert_uint_eq(p.size, 0x5a5a5a5a5a5a5a5aULL);   /* out untouched */

	/* Same verdict on an exact-size copy (sanitizers watch the end). */
	copy = malloc(len);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, buf, len);
	ck_assert_int_eq(plan_verify(copy, len, NULL, NULL, 0), c->want);
	free(copy);
	free(buf);
}
END_TEST

START_TEST(test_digest_and_alignment)
{
	struct sample s;
	uint8_t *buf, *wide;
	size_t len;
	char detail[256];

	build_sample(&s, &buf, &len);
	/* A change without a new digest is caught by the digest. */
	PX(buf, 0)->maxconn = 1;
	ck_assert_int_eq(plan_verify(buf, len, NULL, detail, sizeof(detail)),
	                 PLAN_E_DIGEST);
	ck_assert_ptr_nonnull(strstr(detail, "recorded"));
	/* With the digest recomputed it is a valid (different) plan. */
	redigest(buf, len);
	ck_assert_int_eq(plan_verify(buf, len, NULL, NULL, 0), PLAN_E_OK);

	/* An unaligned buffer is the caller's mistake, not the file's. */
	wide = malloc(len + 8);
	ck_assert_ptr_nonnull(wide);
	memcpy(wide + 4, buf, len);
	ck_assert_int_eq(plan_verify(wide + 4, len, NULL, detail, sizeof(detail)),
	                 PLAN_E_IO);
	ck_assert_ptr_nonnull(strstr(detail, "aligned"));
	free(wide);

	/* Tiny detail buffers are truncated, never overrun. */
	HDR(buf)->major = 7;
	redigest(buf, len);
	ck_assert_int_eq(plan_verify(buf, len, NULL, detail, 5), PLAN_E_MAJOR);
	ck_assert_str_eq(detail, "plan");
	free(buf);
}
END_TEST

START_TEST(test_strerror)
{
	int i;

	for (i = 0; i < PLAN_E_MAX; i++) {
		ck_assert_ptr_nonnull(plan_strerror((enum plan_err)i));
		ck_assert_uint_gt(strlen(plan_strerror((enum plan_err)i)), 0);
	}
	ck_assert_str_eq(plan_strerror(PLAN_E_OK), "valid plan");
	ck_assert_str_eq(plan_strerror(PLAN_E_VALUE),
	                 "a numeric field is outside its allowed range");
	ck_assert_str_eq(plan_strerror(PLAN_E_MAX), "unknown plan error");
}
END_TEST

static Suite *plan_suite(void)
{
	Suite *s = suite_create("plan");
	TCase *tc = tcase_create("build");
	TCase *tv = tcase_create("verify");

	tcase_add_test(tc, test_build_and_verify_round_trip);
	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_server_addr_refused);
	tcase_add_test(tc, test_digest_known_vectors);
	tcase_add_test(tc, test_digest_in_pieces);
	tcase_add_test(tc, test_builder_strings_and_limits);
	tcase_add_test(tc, test_write_and_open);
	tcase_add_test(tc, test_open_survives_file_changes);
	tcase_add_test(tc, test_open_big);
	tcase_add_test(tc, test_mem_alloc);
	suite_add_tcase(s, tc);

	tcase_set_timeout(tv, 60);
	/* test_open_big writes and reads a plan of several MB: on a loaded
	 * 2-core machine that took longer than Check's 4 s default. */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tv, test_every_truncation_refused);
	tcase_add_test(tv, test_every_byte_flip_refused);
	tcase_add_loop_test(tv, test_targeted_corruption, 0,
	                    (int)(sizeof(corruptions) / sizeof(corruptions[0])));
	tcase_add_loop_test(tv, test_tls_server_corruption, 0,
	                    (int)(sizeof(tls_corruptions) /
	                          sizeof(tls_corruptions[0])));
	tcase_add_loop_test(tv, test_dns_corruption, 0,
	                    (int)(sizeof(dns_corruptions) /
	                          sizeof(dns_corruptions[0])));
	tcase_add_test(tv, test_digest_and_alignment);
	tcase_add_test(tv, test_strerror);
	suite_add_tcase(s, tv);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(plan_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
