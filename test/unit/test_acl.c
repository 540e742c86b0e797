/*
 * test_acl.c: content switching from configuration text to decisions:
 * pattern matching (IPv4/IPv6 networks, v4/v6 mapping, integer ranges
 * and operators), conditions (AND, ||, !, unless, named ACLs of several
 * lines) compiled by the real passes into a verified plan and evaluated
 * by the code cfgrun runs (common/plan_acl.c), and cfgc's diagnostics for
 * what it does not compile.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "compile_helpers.h"
#include "emit.h"
#include "plan.h"

/* The samples a test connection gives. */
struct conn {
	const char *src;             /* textual IPv4 or IPv6, NULL = none */
	int src_port;
	int dst_port;
	int nbsrv;                   /* for every nbsrv() */
	int fetched;                 /* fetches made */
};

static void sample_ip(const char *text, struct plan_sample *out)
{
	if (!text)
		return;
	if (inet_pton(AF_INET, text, out->ip) == 1)
		out->type = PLAN_SMP_IPV4;
	else if (inet_pton(AF_INET6, text, out->ip) == 1)
		out->type = PLAN_SMP_IPV6;
}

static void conn_fetch(void *ctx, const struct plan_acl *a,
                       struct plan_sample *out)
{
	struct conn *c = ctx;

	memset(out, 0, sizeof(*out));
	c->fetched++;
	switch (a->fetch) {
	case PLAN_FETCH_SRC:
		sample_ip(c->src, out);
		break;
	case PLAN_FETCH_DST:
		sample_ip("127.0.0.1", out);
		break;
	case PLAN_FETCH_SRC_PORT:
		out->type = PLAN_SMP_INT;
		out->i = c->src_port;
		break;
	case PLAN_FETCH_DST_PORT:
		out->type = PLAN_SMP_INT;
		out->i = c->dst_port;
		break;
	case PLAN_FETCH_NBSRV:
		out->type = PLAN_SMP_INT;
		out->i = c->nbsrv;
		break;
	default:
		out->type = PLAN_SMP_BOOL;
		out->i = a->fetch == PLAN_FETCH_ALWAYS_TRUE;
		break;
	}
}


/* The backend name connection `k` goes to through the use_backend rules
 * of proxy 0, or "default"; "reject" when a connection rule rejects. */
static const char *route(const struct plan *p, struct conn *k)
{
	const struct plan_proxy *px = &p->proxies[0];

	for (uint32_t i = 0; i < px->nconn_rules; i++) {
		const struct plan_rule *r = &p->rules[px->first_rule + i];

		if (plan_rule_applies(p, r, conn_fetch, k)) {
			if (r->action == PLAN_RULE_REJECT)
				return "reject";
			break;
		}
	}
	for (uint32_t i = px->nconn_rules; i < px->nrules; i++) {
		const struct plan_rule *r = &p->rules[px->first_rule + i];

		if (plan_rule_applies(p, r, conn_fetch, k))
			return plan_str_get(p, p->proxies[r->backend].name);
	}
	return "default";
}

#define HEAD \
	"defaults\n mode tcp\n timeout client 1s\n timeout connect 1s\n" \
	" timeout server 1s\n" \
	"frontend fe\n bind 127.0.0.1:8000\n"
#define BACKENDS \
	"backend b1\n server s 127.0.0.1:1\n" \
	"backend b2\n server s 127.0.0.1:2\n" \
	"backend b3\n server s 127.0.0.1:3\n"

static const char *route_of(const char *text, const char *src, int sport,
                            int dport, int nbsrv)
{
	static char out[64];
	struct ch_plan c;
	struct conn k = { .src = src, .src_port = sport, .dst_port = dport,
	                  .nbsrv = nbsrv };

	ch_compile_ok(&c, text);
	snprintf(out, sizeof(out), "%s", route(&c.p, &k));
	free(c.buf);
	return out;
}

/* One pattern word matched against one client address. */
static int ip_match(const char *pattern, const char *src)
{
	char text[512];

	snprintf(text, sizeof(text), HEAD
	         " use_backend b1 if { src %s }\n" BACKENDS, pattern);
	return !strcmp(route_of(text, src, 1, 1, 0), "b1");
}

START_TEST(test_ip_networks)
{
	ck_assert(ip_match("10.1.2.3", "10.1.2.3"));
	ck_assert(!ip_match("10.1.2.3", "10.1.2.4"));
	ck_assert(ip_match("10.1.2.0/24", "10.1.2.200"));
	ck_assert(!ip_match("10.1.2.0/24", "10.1.3.1"));
	ck_assert(ip_match("10.1.2.99/24", "10.1.2.1"));     /* host bits masked */
	ck_assert(ip_match("10.1.0.0/255.255.0.0", "10.1.77.1"));
	ck_assert(ip_match("0.0.0.0/0", "192.0.2.1"));
	ck_assert(ip_match("10.12", "10.0.0.12"));           /* short form */
	ck_assert(ip_match("192.168.1/22", "192.168.0.1"));
	ck_assert(ip_match("10.0.0.0/7", "11.255.0.1"));
	ck_assert(!ip_match("10.0.0.0/7", "12.0.0.1"));
	ck_assert(ip_match("2001:db8::/32", "2001:db8:1::5"));
	ck_assert(!ip_match("2001:db8::/32", "2001:db9::5"));
	ck_assert(ip_match("2001:db8::/33", "2001:db8:7fff::1"));
	ck_assert(!ip_match("2001:db8::/33", "2001:db8:8000::1"));
	ck_assert(ip_match("::1", "::1"));
	ck_assert(!ip_match("::1", "127.0.0.1"));
}
END_TEST

START_TEST(test_ip_v4_v6_mapping)
{
	/* IPv4 pattern, IPv6 client: mapped, compatible and 6to4 forms */
	ck_assert(ip_match("192.0.2.0/24", "::ffff:192.0.2.7"));
	ck_assert(ip_match("192.0.2.0/24", "::192.0.2.7"));
	ck_assert(ip_match("192.0.2.0/24", "2002:c000:0207::1"));
	ck_assert(!ip_match("192.0.2.0/24", "2001:db8::c000:207"));
	ck_assert(!ip_match("192.0.2.0/24", "::1:192.0.2.7"));
	/* IPv6 pattern, IPv4 client: compared as ::ffff:a.b.c.d */
	ck_assert(ip_match("::ffff:192.0.2.7", "192.0.2.7"));
	ck_assert(ip_match("::ffff:0:0/96", "198.51.100.1"));
	ck_assert(!ip_match("::192.0.2.7", "192.0.2.7"));
	/* a client without an address matches nothing */
	ck_assert(!ip_match("0.0.0.0/0", NULL));
}
END_TEST

/* One src_port ACL expression against one port. */
static int port_match(const char *expr, int port)
{
	char text[512];

	snprintf(text, sizeof(text), HEAD
	         " acl a src_port %s\n use_backend b1 if a\n" BACKENDS, expr);
	return !strcmp(route_of(text, "127.0.0.1", port, 1, 0), "b1");
}

START_TEST(test_int_ranges_and_operators)
{
	ck_assert(port_match("80 443", 443));
	ck_assert(!port_match("80 443", 444));
	ck_assert(port_match("1024:65535", 1024));
	ck_assert(port_match("1024:65535", 65535));
	ck_assert(!port_match("1024:65535", 1023));
	ck_assert(port_match("1024:", 60000));
	ck_assert(port_match(":1023", 0));
	ck_assert(!port_match(":1023", 1024));
	ck_assert(port_match("ge 1024", 1024));
	ck_assert(!port_match("gt 1024", 1024));
	ck_assert(port_match("gt 1024", 1025));
	ck_assert(port_match("le 10", 10));
	ck_assert(!port_match("lt 10", 10));
	ck_assert(port_match("lt 10", 9));
	ck_assert(port_match("eq 7", 7));
	/* after an order operator HAProxy reads up to the first dot */
	ck_assert(port_match("gt 1.5", 2));
	ck_assert(!port_match("gt 1.5", 1));
	ck_assert(port_match("le 3.9", 3));
	ck_assert(!port_match("le 3.9", 4));
	/* an operator applies to the values after it */
	ck_assert(port_match("5 gt 100", 5));
	ck_assert(port_match("5 gt 100", 101));
	ck_assert(!port_match("5 gt 100", 50));
	ck_assert(port_match("-m int 22", 22));
	ck_assert(port_match("-m bool", 1));
	ck_assert(!port_match("-m bool", 0));
	ck_assert(port_match("-m found", 0));
}
END_TEST

START_TEST(test_conditions)
{
	const char *cfg = HEAD
		" acl a src 10.0.0.1\n"
		" acl a src 10.0.0.2\n"          /* second line of a: OR */
		" acl hi src_port ge 1024\n"
		" tcp-request connection accept if { src 10.9.9.9 }\n"
		" tcp-request connection reject if { src 10.9.0.0/16 }\n"
		" use_backend b1 if a !hi\n"
		" use_backend b2 if { nbsrv(b1) lt 1 } || { src 10.0.0.3 }\n"
		" use_backend b3 unless { dst_port 8000 }\n"
		" use_backend b3 if TRUE FALSE || !LOCALHOST FALSE\n"
		" default_backend b2\n" BACKENDS;

	ck_assert_str_eq(route_of(cfg, "10.0.0.1", 80, 8000, 1), "b1");
	ck_assert_str_eq(route_of(cfg, "10.0.0.2", 80, 8000, 1), "b1");
	ck_assert_str_eq(route_of(cfg, "10.0.0.2", 2000, 8000, 1), "default");
	ck_assert_str_eq(route_of(cfg, "10.0.0.3", 2000, 8000, 1), "b2");
	ck_assert_str_eq(route_of(cfg, "10.0.0.4", 2000, 8000, 0), "b2");
	ck_assert_str_eq(route_of(cfg, "10.0.0.4", 2000, 8001, 1), "b3");
	ck_assert_str_eq(route_of(cfg, "10.9.9.9", 80, 8000, 1), "default");
	ck_assert_str_eq(route_of(cfg, "10.9.9.8", 80, 8000, 1), "reject");
}
END_TEST

START_TEST(test_short_circuit)
{
	struct ch_plan c;
	struct conn k = { .src = "10.0.0.1", .src_port = 1, .dst_port = 1 };

	/* the first alternative holds: the second is never fetched */
	ch_compile_ok(&c, HEAD " use_backend b1 if { src 10.0.0.1 } || "
	           "{ src_port 5 } { dst_port 5 }\n" BACKENDS);
	ck_assert_str_eq(route(&c.p, &k), "b1");
	ck_assert_int_eq(k.fetched, 1);
	/* a false term ends its alternative */
	k.fetched = 0;
	k.src = "10.0.0.2";
	ck_assert_str_eq(route(&c.p, &k), "default");
	ck_assert_int_eq(k.fetched, 2);
	free(c.buf);
}
END_TEST

#define expect_diag ch_expect_diag

START_TEST(test_diagnostics)
{
	enum sema_target cr = SEMA_TARGET_CFGRUN;

	expect_diag(HEAD " acl a req.rdp_cookie -i foo\n use_backend b1 if a\n"
	            BACKENDS, cr, DIAG_ERROR, "unsupported", 8, 8,
	            "ACL fetch 'req.rdp_cookie' is not supported");
	expect_diag(HEAD " acl a req.rdp_cookie -i foo\n use_backend b1 if a\n"
	            BACKENDS, cr, DIAG_ERROR, "unsupported", 9, 20,
	            "uses ACL 'a', which has a line cfgc does not compile");
	expect_diag(HEAD " acl a src -M /etc/hosts.lst\n" BACKENDS, cr,
	            DIAG_ERROR, "unsupported", 8, 12, "map files ('-M')");
	expect_diag(HEAD " acl a src www.example.com\n" BACKENDS, cr,
	            DIAG_ERROR, "unsupported", 8, 12, "host name");
	expect_diag(HEAD " acl a src 10.0.0.1/33\n" BACKENDS, cr,
	            DIAG_ERROR, "invalid-value", 8, 12, "10.0.0.1/33");
	expect_diag(HEAD " acl a src ::1/129\n" BACKENDS, cr,
	            DIAG_ERROR, "invalid-value", 8, 12, "::1/129");
	expect_diag(HEAD " acl a src_port 1x\n" BACKENDS, cr,
	            DIAG_ERROR, "invalid-value", 8, 17, "found '1x'");
	expect_diag(HEAD " acl a src -x 1.2.3.4\n" BACKENDS, cr,
	            DIAG_ERROR, "invalid-value", 8, 12, "not an ACL flag");
	expect_diag(HEAD " acl a src -m bin foo\n" BACKENDS, cr,
	            DIAG_ERROR, "unsupported", 8, 8, "matching 'src' with '-m bin'");
	expect_diag(HEAD " acl a src -m sub foo\n" BACKENDS, cr,
	            DIAG_ERROR, "unsupported", 8, 8,
	            "matching 'src' with '-m sub' is not supported");
	expect_diag(HEAD " acl a src -m nope foo\n" BACKENDS, cr,
	            DIAG_ERROR, "invalid-value", 8, 15, "found 'nope'");
	expect_diag(HEAD " acl a src,ipmask(33) 10.0.0.0\n" BACKENDS, cr,
	            DIAG_ERROR, "invalid-argument", 8, 12,
	            "ipmask expects a mask of 0 to 32 bits");
	expect_diag(HEAD " acl a src\n" BACKENDS, cr,
	            DIAG_WARNING, "never-matches", 8, 8, "never matches");
	expect_diag(HEAD " use_backend b1 if { req.rdp_cookie_cnt gt 0 }\n" BACKENDS, cr,
	            DIAG_ERROR, "unsupported", 8, 22, "ACL fetch 'req.rdp_cookie_cnt'");
	expect_diag(HEAD " use_backend b1 if METH_GET\n" BACKENDS, cr,
	            DIAG_ERROR, "unsupported", 8, 20, "predefined ACL 'METH_GET'");
	expect_diag(HEAD " use_backend be_%[src] \n" BACKENDS, cr,
	            DIAG_ERROR, "unsupported", 8, 14, "log-format name");
	/* the action cfgc lacks is named, and what it has instead */
	expect_diag(HEAD " tcp-request content switch-mode http\n" BACKENDS,
	            cr, DIAG_ERROR, "unsupported", 8, 2,
	            "'tcp-request content switch-mode' is not supported by cfgc "
	            "yet (it compiles accept, reject, silent-drop, set-mark, "
	            "set-tos;");
	expect_diag(HEAD " tcp-request connection track-sc0 src table nosuch\n"
	            BACKENDS, cr, DIAG_ERROR, "unknown-table", 8, 45,
	            "refers to table 'nosuch'");
	expect_diag(HEAD " tcp-request content set-var(txn.x) int(1)\n"
	            BACKENDS, cr, DIAG_ERROR, "unsupported", 8, 2,
	            "it needs variables");
	expect_diag(HEAD " tcp-response content close\n" BACKENDS, cr,
	            DIAG_ERROR, "unsupported", 8, 2, "tcp-response content");
	expect_diag("defaults\n mode http\n timeout client 1s\n"
	            " timeout connect 1s\n timeout server 1s\n"
	            "frontend fe\n bind 127.0.0.1:8000\n"
	            " tcp-request session accept if HTTP\n" BACKENDS, cr,
	            DIAG_ERROR, "unsupported", 8, 2, "in a 'mode http' proxy");
	expect_diag(HEAD " tcp-request content set-tos 256\n" BACKENDS, cr,
	            DIAG_ERROR, "invalid-value", 8, 30, "from 0 to 255");
	expect_diag(HEAD " tcp-request connection expect-proxy layer7\n"
	            BACKENDS, cr, DIAG_ERROR, "unknown-action", 8, 25,
	            "'expect-proxy'");
	expect_diag(HEAD " tcp-request inspect-delay 5x\n" BACKENDS, cr,
	            DIAG_ERROR, "invalid-time", 8, 29, "inspect-delay");
	expect_diag(HEAD " acl a req.payload(0) -m bin 00\n" BACKENDS, cr,
	            DIAG_ERROR, "invalid-argument", 8, 8, "(offset,length)");
	expect_diag(HEAD " acl a req.payload_lv(0,5) -m bin 00\n" BACKENDS, cr,
	            DIAG_ERROR, "invalid-argument", 8, 8, "1 to 4 bytes");
	expect_diag(HEAD " acl a req.payload(0,1) -m bin 0g\n" BACKENDS, cr,
	            DIAG_ERROR, "invalid-value", 8, 33, "hex digits");
	expect_diag(HEAD " acl a req.payload(0,1) -m bin 012\n" BACKENDS, cr,
	            DIAG_ERROR, "invalid-value", 8, 32, "even number");
	expect_diag(HEAD " acl a req_ssl_ver 3.x\n" BACKENDS, cr,
	            DIAG_ERROR, "invalid-value", 8, 20, "major.minor");
	expect_diag(HEAD " use_backend nope\n" BACKENDS, cr,
	            DIAG_ERROR, "unknown-backend", 8, 14, "nope");
	expect_diag(HEAD " use_backend b1 if nope\n" BACKENDS, cr,
	            DIAG_ERROR, "unknown-acl", 8, 20, "nope");
}
END_TEST

START_TEST(test_haproxy_target)
{
	struct ch_run r;

	/* HAProxy runs what cfgrun does not: no error, on either side */
	ch_run_target(&r, HEAD " acl a req.rdp_cookie -i foo\n"
	              " use_backend b1 if a\n" BACKENDS, SEMA_TARGET_HAPROXY);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_ptr_null(ch_find(&r, DIAG_ERROR, "unsupported"));
	ck_assert_uint_eq(r.m.proxies[0].nswitch_rules, 1);
	ck_assert_int_eq(r.m.proxies[0].switch_rules[0].dropped, 1);
	ch_run_free(&r);
}
END_TEST

/* Three-valued conditions: ACL line `a` (src_port) and `b` (dst_port)
 * give the values and may_change flags below. */
static struct { int64_t va, vb; int ma, mb; } tri;

static void tri_fetch(void *ctx, const struct plan_acl *a,
                      struct plan_sample *out)
{
	int src = a->fetch == PLAN_FETCH_SRC_PORT;

	(void)ctx;
	memset(out, 0, sizeof(*out));
	out->type = PLAN_SMP_INT;
	out->i = src ? tri.va : tri.vb;
	out->may_change = src ? tri.ma : tri.mb;
}

/* The outcome of the first use_backend rule with condition `cond` when
 * a = (va, ma), b = (vb, mb); an ACL matches value 1. */
static int tri_eval(const char *cond, int64_t va, int ma, int64_t vb, int mb)
{
	char text[512];
	struct ch_plan c;
	const struct plan_rule *r;
	int t;

	snprintf(text, sizeof(text), HEAD " acl a src_port 1\n"
	         " acl b dst_port 1\n use_backend b1 %s\n" BACKENDS, cond);
	ch_compile_ok(&c, text);
	tri.va = va, tri.ma = ma, tri.vb = vb, tri.mb = mb;
	r = &c.p.rules[c.p.proxies[0].first_rule];
	t = plan_cond_eval(&c.p, NULL, r->cond, r->first_term, r->nterms,
	                   tri_fetch, NULL);
	free(c.buf);
	return t;
}

START_TEST(test_three_valued)
{
	enum { F = PLAN_TEST_FAIL, M = PLAN_TEST_MISS, P = PLAN_TEST_PASS };

	/* a match is a match even if bytes may still come */
	ck_assert_int_eq(tri_eval("if a", 1, 1, 0, 0), P);
	/* no match yet, but more bytes may change it: undecided */
	ck_assert_int_eq(tri_eval("if a", 0, 1, 0, 0), M);
	ck_assert_int_eq(tri_eval("if a", 0, 0, 0, 0), F);
	/* '!' and unless keep MISS, flip the others */
	ck_assert_int_eq(tri_eval("if !a", 0, 1, 0, 0), M);
	ck_assert_int_eq(tri_eval("if !a", 0, 0, 0, 0), P);
	ck_assert_int_eq(tri_eval("unless a", 0, 1, 0, 0), M);
	ck_assert_int_eq(tri_eval("unless a", 1, 1, 0, 0), F);
	/* AND: a FAIL anywhere decides; OR: a PASS anywhere decides */
	ck_assert_int_eq(tri_eval("if a b", 0, 1, 0, 0), F);
	ck_assert_int_eq(tri_eval("if b a", 1, 0, 0, 1), M);
	ck_assert_int_eq(tri_eval("if a || b", 0, 1, 1, 0), P);
	ck_assert_int_eq(tri_eval("if a || b", 0, 1, 0, 0), M);
	ck_assert_int_eq(tri_eval("if a || b", 0, 0, 0, 0), F);
	/* both undecided */
	ck_assert_int_eq(tri_eval("if a || b", 0, 1, 0, 1), M);
}
END_TEST

static Suite *acl_suite(void)
{
	Suite *s = suite_create("acl");
	TCase *tc = tcase_create("acl");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_ip_networks);
	tcase_add_test(tc, test_three_valued);
	tcase_add_test(tc, test_ip_v4_v6_mapping);
	tcase_add_test(tc, test_int_ranges_and_operators);
	tcase_add_test(tc, test_conditions);
	tcase_add_test(tc, test_short_circuit);
	tcase_add_test(tc, test_diagnostics);
	tcase_add_test(tc, test_haproxy_target);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(acl_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
