/*
 * test_http_cfg.c: HTTP settings from configuration text to the verified
 * HTTP table (struct plan_http) and tune.* in the global record: each
 * keyword's effect, defaults inheritance and `no option`, the TCP-mode
 * rules, located errors, and the dump reading back to the same plan.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_helpers.h"
#include "dump.h"


/* The HTTP record of the proxy named `name`. */
static const struct plan_http *http_of(const struct ch_plan *c,
                                       const char *name)
{
	for (uint32_t i = 0; i < c->p.nproxies; i++)
		if (!strcmp(plan_str_get(&c->p, c->p.proxies[i].name), name))
			return &c->p.http[i];
	ck_abort_msg("no proxy %s", name);
	return NULL;
}

static const char *str_of(const struct ch_plan *c, struct plan_str s)
{
	return plan_str_get(&c->p, s);
}

#define HDR_DEFAULTS \
	"defaults\n    mode http\n    timeout connect 5s\n" \
	"    timeout client 30s\n    timeout server 30s\n"

START_TEST(test_options_and_defaults)
{
	struct ch_plan c;
	const struct plan_http *fe, *be, *tcp;

	ch_compile_ok(&c, HDR_DEFAULTS
	           "    option httplog\n"
	           "    option http-server-close\n"
	           "    option forwardfor except 10.1.2.3/8 if-none\n"
	           "    option dontlog-normal\n"
	           "    timeout http-request 10s\n"
	           "frontend fe\n    bind :8080\n"
	           "    option httpclose\n"
	           "    no option dontlog-normal\n"
	           "    option http-buffer-request\n"
	           "    timeout http-keep-alive 2s\n"
	           "    default_backend be\n"
	           "backend be\n    server s 10.0.0.1:80\n"
	           "    no option httpclose\n"
	           "    option originalto header X-Dst except ::1\n"
	           "    http-reuse aggressive\n"
	           "    option abortonclose\n"
	           "backend tb\n    mode tcp\n    server s 10.0.0.1:80\n");
	fe = http_of(&c, "fe");
	be = http_of(&c, "be");
	tcp = http_of(&c, "tb");
	/* the frontend: httplog from defaults, its own mode and options */
	ck_assert_uint_eq(fe->flags, PLAN_HTTP_F_HTTPLOG |
	                  PLAN_HTTP_F_FORWARDFOR | PLAN_HTTP_F_FF_IF_NONE |
	                  PLAN_HTTP_F_BUFFER_REQUEST);
	ck_assert_uint_eq(fe->conn_mode, PLAN_HTTP_CONN_CLOSE);
	ck_assert_uint_eq(fe->timeout_http_request, 10000);
	ck_assert_uint_eq(fe->timeout_http_keep_alive, 2000);
	ck_assert_str_eq(str_of(&c, fe->ff_header), "X-Forwarded-For");
	ck_assert_uint_eq(fe->ff_except.family, PLAN_FAM_INET);
	ck_assert_uint_eq(fe->ff_except.prefix, 8);
	/* canonical: the bits past the prefix are cleared */
	ck_assert_uint_eq(fe->ff_except.ip[0], 10);
	ck_assert_uint_eq(fe->ff_except.ip[1], 0);
	ck_assert_uint_eq(fe->ff_except.ip[3], 0);
	ck_assert_uint_eq(fe->reuse, PLAN_HTTP_REUSE_SAFE);  /* not a backend */
	ck_assert_uint_eq(fe->ot_header.len, 0);
	/* the backend: `no option httpclose` leaves the inherited
	 * server-close alone (it is not the mode in force); httplog and
	 * dontlog-normal are frontend settings */
	ck_assert_uint_eq(be->conn_mode, PLAN_HTTP_CONN_SERVER_CLOSE);
	ck_assert_uint_eq(be->flags, PLAN_HTTP_F_FORWARDFOR |
	                  PLAN_HTTP_F_FF_IF_NONE | PLAN_HTTP_F_ORIGINALTO |
	                  PLAN_HTTP_F_ABORTONCLOSE);
	ck_assert_uint_eq(be->reuse, PLAN_HTTP_REUSE_AGGRESSIVE);
	ck_assert_str_eq(str_of(&c, be->ot_header), "X-Dst");
	ck_assert_uint_eq(be->ot_except.family, PLAN_FAM_INET6);
	ck_assert_uint_eq(be->ot_except.prefix, 128);
	ck_assert_uint_eq(be->ot_except.ip[15], 1);
	/* a TCP proxy has no HTTP settings */
	{
		static const struct plan_http zero;

		ck_assert_int_eq(memcmp(tcp, &zero, sizeof(zero)), 0);
	}
	free(c.buf);
}
END_TEST

START_TEST(test_conn_mode_precedence)
{
	static const struct {
		const char *lines;
		uint32_t want;
	} cases[] = {
		{ "", PLAN_HTTP_CONN_KEEPALIVE },
		{ "    option httpclose\n    option http-server-close\n",
		  PLAN_HTTP_CONN_SERVER_CLOSE },
		{ "    option http-server-close\n    option httpclose\n",
		  PLAN_HTTP_CONN_CLOSE },
		{ "    option httpclose\n    option http-keep-alive\n",
		  PLAN_HTTP_CONN_KEEPALIVE },
		{ "    option httpclose\n    no option httpclose\n",
		  PLAN_HTTP_CONN_KEEPALIVE },
		{ "    option httpclose\n    no option http-server-close\n",
		  PLAN_HTTP_CONN_CLOSE },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ch_plan c;
		char text[512];

		snprintf(text, sizeof(text), HDR_DEFAULTS
		         "backend be\n    server s 10.0.0.1:80\n%s", cases[i].lines);
		ch_compile_ok(&c, text);
		ck_assert_msg(http_of(&c, "be")->conn_mode == cases[i].want,
		              "case %zu: mode %u, expected %u", i,
		              (unsigned)http_of(&c, "be")->conn_mode,
		              (unsigned)cases[i].want);
		free(c.buf);
	}
}
END_TEST

START_TEST(test_stats)
{
	struct ch_plan c;
	const struct plan_http *h, *d;

	ch_compile_ok(&c, HDR_DEFAULTS
	           "listen st\n    bind :8404\n"
	           "    stats uri /monitor\n"
	           "    stats realm Private\n"
	           "    stats auth admin:s3cret\n"
	           "    stats auth guest\n"
	           "    stats scope plain\n"
	           "    stats scope .\n"
	           "    stats refresh 1m\n"
	           "    stats admin if TRUE\n"
	           "    stats hide-version\n"
	           "    stats show-legends\n"
	           "    stats show-node edge1\n"
	           "    stats show-desc primary load balancer\n"
	           "listen plain\n    bind :8405\n    stats enable\n");
	h = http_of(&c, "st");
	ck_assert_uint_eq(h->flags, PLAN_HTTP_F_STATS | PLAN_HTTP_F_STATS_ADMIN |
	                  PLAN_HTTP_F_STATS_HIDE_VERSION |
	                  PLAN_HTTP_F_STATS_SHOW_LEGENDS |
	                  PLAN_HTTP_F_STATS_SHOW_NODE |
	                  PLAN_HTTP_F_STATS_SHOW_DESC);
	ck_assert_str_eq(str_of(&c, h->stats_uri), "/monitor");
	ck_assert_str_eq(str_of(&c, h->stats_realm), "Private");
	/* a user without ':' has an empty password, as in HAProxy */
	ck_assert_str_eq(str_of(&c, h->stats_auth), "admin:s3cret\nguest:\n");
	ck_assert_str_eq(str_of(&c, h->stats_scope), "plain\n.\n");
	ck_assert_uint_eq(h->stats_refresh, 60);
	ck_assert_str_eq(str_of(&c, h->stats_node), "edge1");
	ck_assert_str_eq(str_of(&c, h->stats_desc), "primary load balancer");
	d = http_of(&c, "plain");
	ck_assert_uint_eq(d->flags, PLAN_HTTP_F_STATS);
	ck_assert_str_eq(str_of(&c, d->stats_uri), "/haproxy?stats");
	ck_assert_uint_eq(d->stats_auth.len, 0);
	ck_assert_uint_eq(d->stats_scope.len, 0);
	free(c.buf);
}
END_TEST

START_TEST(test_tune)
{
	struct ch_plan c;

	ch_compile_ok(&c, "global\n    tune.bufsize 32k\n    tune.maxrewrite 4K\n"
	           "    tune.http.maxhdr 200\n");
	ck_assert_uint_eq(c.p.global->tune_bufsize, 32768);
	ck_assert(c.p.global->flags & PLAN_GLB_F_MAXREWRITE);
	ck_assert_uint_eq(plan_tune_maxrewrite(c.p.global), 4);   /* atol("4K") */
	ck_assert_uint_eq(plan_tune_http_maxhdr(c.p.global), 200);
	free(c.buf);
	/* bufsize rounded up to 16; maxrewrite lowered to half of it */
	ch_compile_ok(&c, "global\n    tune.bufsize 1000\n    tune.maxrewrite 900\n");
	ck_assert_uint_eq(c.p.global->tune_bufsize, 1008);
	ck_assert_uint_eq(plan_tune_maxrewrite(c.p.global), 504);
	free(c.buf);
	/* defaults: 0 in the record, HAProxy's values through the helpers */
	ch_compile_ok(&c, "global\n    maxconn 10\n");
	ck_assert_uint_eq(c.p.global->tune_bufsize, 0);
	ck_assert_uint_eq(plan_tune_bufsize(c.p.global), 16384);
	ck_assert_uint_eq(plan_tune_maxrewrite(c.p.global), 1024);
	ck_assert_uint_eq(plan_tune_http_maxhdr(c.p.global), 101);
	free(c.buf);
}
END_TEST

static void expect_diag(const char *text, enum diag_severity sev,
                        const char *code, unsigned line, unsigned col,
                        const char *needle)
{
	ch_expect_diag(text, SEMA_TARGET_CFGRUN, sev, code, line, col, needle);
}

START_TEST(test_diagnostics)
{
	expect_diag("backend be\n    mode http\n    option forwardfor excep 1.2.3.4\n",
	            DIAG_ERROR, "invalid-value", 3, 23, "found 'excep'");
	expect_diag("backend be\n    mode http\n    option forwardfor except\n",
	            DIAG_ERROR, "missing-argument", 3, 23, "expects a network");
	expect_diag("backend be\n    mode http\n    option forwardfor except 1.2.3.400\n",
	            DIAG_ERROR, "invalid-value", 3, 30, "1.2.3.400");
	expect_diag("backend be\n    mode http\n    option originalto if-none\n",
	            DIAG_ERROR, "invalid-value", 3, 23, "found 'if-none'");
	expect_diag("backend be\n    mode http\n    no option forwardfor\n",
	            DIAG_ERROR, "not-negatable", 3, 5, "cannot be negated");
	expect_diag("frontend fe\n    mode http\n    option httplog common\n",
	            DIAG_ERROR, "invalid-value", 3, 20, "found 'common'");
	expect_diag("backend be\n    http-reuse sometimes\n",
	            DIAG_ERROR, "invalid-value", 2, 16, "found 'sometimes'");
	expect_diag("backend be\n    stats refresh 10x\n",
	            DIAG_ERROR, "invalid-time", 2, 21, "'stats refresh'");
	expect_diag("backend be\n    stats admin if ok\n",
	            DIAG_ERROR, "unknown-acl", 2, 20, "'ok'");
	expect_diag("backend be\n    stats admin\n",
	            DIAG_ERROR, "missing-argument", 2, 11, "'stats admin'");
	expect_diag("defaults\n    stats admin if TRUE\n",
	            DIAG_ERROR, "not-allowed", 2, 11, "defaults");
	expect_diag("backend be\n    stats uri\n",
	            DIAG_ERROR, "missing-argument", 2, 11, "'stats uri'");
	/* HAProxy warns and ignores what follows: so does cfgc */
	expect_diag("backend be\n    stats enable now\n",
	            DIAG_WARNING, "extra-argument", 2, 18, "'now'");
	expect_diag("backend be\n    stats enable if TRUE\n",
	            DIAG_WARNING, "extra-argument", 2, 18, "'stats enable'");
	expect_diag("backend be\n    stats show-modules\n",
	            DIAG_ERROR, "unsupported", 2, 5, "stats show-modules");
	expect_diag("global\n    tune.bufsize 0\n",
	            DIAG_ERROR, "out-of-range", 2, 18, "'tune.bufsize'");
	expect_diag("global\n    tune.bufsize 100\n",
	            DIAG_ERROR, "out-of-range", 2, 18, "default error pages");
	expect_diag("global\n    tune.bufsize 12q\n",
	            DIAG_ERROR, "invalid-size", 2, 20, "'tune.bufsize'");
	expect_diag("global\n    tune.http.maxhdr 40000\n",
	            DIAG_ERROR, "out-of-range", 2, 22, "between 1 and 32767");
	expect_diag("global\n    tune.maxrewrite -1\n",
	            DIAG_ERROR, "out-of-range", 2, 21, "positive");
	/* HAProxy's fallback and warnings in a TCP proxy */
	expect_diag("frontend fe\n    bind :80\n    option httplog\n",
	            DIAG_WARNING, "ignored", 3, 5, "falling back to 'option tcplog'");
	expect_diag("backend be\n    option httplog\n",
	            DIAG_WARNING, "ignored", 2, 5, "no frontend capability");
}
END_TEST

/* httplog in a TCP frontend logs as tcplog: the proxy's log flag. */
START_TEST(test_httplog_tcp_fallback)
{
	struct ch_plan c;

	ch_compile_ok(&c, "frontend fe\n    bind :80\n    option httplog\n"
	           "    timeout client 5s\n");
	ck_assert(c.p.proxies[0].flags & PLAN_PX_F_LOG);
	ck_assert_uint_eq(c.p.http[0].flags, 0);
	free(c.buf);
	/* tcplog after httplog replaces it */
	ch_compile_ok(&c, HDR_DEFAULTS "    option httplog\nfrontend fe\n"
	           "    bind :80\n    option tcplog\n");
	ck_assert_uint_eq(c.p.http[0].flags, 0);
	ck_assert(c.p.proxies[0].flags & PLAN_PX_F_LOG);
	free(c.buf);
}
END_TEST

/* Dump, compile the dump, dump again: same text, same HTTP records. */
START_TEST(test_dump_fixpoint)
{
	static const char *const text =
		"global\n    tune.bufsize 20000\n    tune.maxrewrite 0\n"
		"    tune.http.maxhdr 64\n"
		HDR_DEFAULTS
		"    option httplog clf\n    option forwardfor header X-Client\n"
		"frontend fe\n    bind :8080\n    option http-ignore-probes\n"
		"    option log-separate-errors\n    option http-no-delay\n"
		"    timeout http-request 4s\n    default_backend be\n"
		"    stats auth \"a b:c\\\"d\"\n    stats show-node\n"
		"    stats scope be\n    stats scope .\n"
		"backend be\n    server s 10.0.0.1:80 cookie \"a b\"\n"
		"    http-reuse never\n"
		"    cookie JS rewrite indirect preserve domain x.org attr \"Path=/\"\n"
		"    option originalto except 192.168.0.0/16\n"
		"    option http-server-close\n    stats show-desc\n"
		"frontend f2\n    bind :81\n    default_backend be\n"
		"    log-format \"%ci %{+Q}r %HU x\\\\y\"\n"
		"    unique-id-format %ci\n    unique-id-header X-Id\n"
		"    monitor-uri /up\n    errorfile 408 /dev/null\n"
		"    capture request header X-Id len 12\n    capture cookie c= len 9\n";
	struct ch_plan a, b;
	char *d1 = NULL, *d2 = NULL;
	size_t n1 = 0, n2 = 0;
	FILE *f;

	ch_compile_ok(&a, text);
	ck_assert_ptr_nonnull(f = open_memstream(&d1, &n1));
	ck_assert_int_eq(dump_plan(&a.p, f), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(d1, "option httplog clf\n"));
	ck_assert_ptr_nonnull(strstr(d1, "stats auth \"a b:c\\\"d\"\n"));
	ck_assert_ptr_nonnull(strstr(d1, "    stats scope be\n    stats scope .\n"));
	ch_compile_ok(&b, d1);
	ck_assert_ptr_nonnull(f = open_memstream(&d2, &n2));
	ck_assert_int_eq(dump_plan(&b.p, f), 0);
	fclose(f);
	ck_assert_str_eq(d1, d2);
	ck_assert_uint_eq(a.p.nhttp, b.p.nhttp);
	for (uint32_t i = 0; i < a.p.nhttp; i++) {
		const struct plan_http *x = &a.p.http[i], *y = &b.p.http[i];

		ck_assert_uint_eq(x->flags, y->flags);
		ck_assert_uint_eq(x->conn_mode, y->conn_mode);
		ck_assert_uint_eq(x->reuse, y->reuse);
		ck_assert_uint_eq(x->timeout_http_request, y->timeout_http_request);
		ck_assert_int_eq(memcmp(&x->ot_except, &y->ot_except,
		                        sizeof(x->ot_except)), 0);
		ck_assert_str_eq(str_of(&a, x->ff_header), str_of(&b, y->ff_header));
		ck_assert_str_eq(str_of(&a, x->stats_auth), str_of(&b, y->stats_auth));
		ck_assert_str_eq(str_of(&a, x->cookie_attrs), str_of(&b, y->cookie_attrs));
		ck_assert_uint_eq(x->cookie_flags, y->cookie_flags);
	}
	ck_assert_int_eq(memcmp(a.p.global, b.p.global,
	                        offsetof(struct plan_global, source)), 0);
	ck_assert_uint_eq(a.p.global->tune_bufsize, b.p.global->tune_bufsize);
	ck_assert_uint_eq(a.p.global->tune_maxrewrite, 0);
	ck_assert(b.p.global->flags & PLAN_GLB_F_MAXREWRITE);
	free(d1);
	free(d2);
	free(a.buf);
	free(b.buf);
}
END_TEST

START_TEST(test_log_format)
{
	struct ch_plan c;
	const struct plan_http *fe, *be;

	ch_compile_ok(&c, HDR_DEFAULTS "    option httplog\n"
	              "    log stdout local0\n"
	              "frontend fe\n    bind :8080\n"
	              "    log-format \"%ci:%cp [%tr] %{+Q}r %{+Q}HU 100%%\"\n"
	              "    unique-id-format %{+X}o\\ %ci:%cp_%Ts_%rt\n"
	              "    unique-id-header X-Unique-ID\n"
	              "    monitor-uri /health\n"
	              "    default_backend be\n"
	              "backend be\n    server s 10.0.0.1:80\n"
	              "frontend fe2\n    bind :8081\n    default_backend be\n");
	fe = http_of(&c, "fe");
	/* log-format replaces the inherited option httplog */
	ck_assert_uint_eq(fe->flags & PLAN_HTTP_F_HTTPLOG, 0);
	ck_assert_str_eq(str_of(&c, fe->log_format),
	                 "%ci:%cp [%tr] %{+Q}r %{+Q}HU 100%%");
	ck_assert_str_eq(str_of(&c, fe->unique_id_format), "%{+X}o %ci:%cp_%Ts_%rt");
	ck_assert_str_eq(str_of(&c, fe->unique_id_header), "X-Unique-ID");
	ck_assert_str_eq(str_of(&c, fe->monitor_uri), "/health");
	ck_assert(http_of(&c, "fe2")->flags & PLAN_HTTP_F_HTTPLOG);
	be = http_of(&c, "be");
	ck_assert_uint_eq(be->log_format.len, 0);
	ck_assert_uint_eq(be->monitor_uri.len, 0);
	free(c.buf);
	/* and option httplog replaces an inherited log-format */
	ch_compile_ok(&c, HDR_DEFAULTS "    log-format %ci\n    log stdout local0\n"
	              "frontend fe\n    bind :80\n    option httplog\n");
	ck_assert_uint_eq(c.p.http[0].log_format.len, 0);
	ck_assert(c.p.http[0].flags & PLAN_HTTP_F_HTTPLOG);
	free(c.buf);
}
END_TEST

START_TEST(test_log_format_errors)
{
	/* the caret under the item, inside plain double quotes */
	expect_diag("frontend fe\n    mode http\n    log-format \"%ci %cx\"\n",
	            DIAG_ERROR, "invalid-format", 3, 21, "no such format alias '%cx'");
	expect_diag("frontend fe\n    mode http\n    log-format %ci:%[src\n",
	            DIAG_ERROR, "invalid-format", 3, 21, "not closed by ']'");
	expect_diag("frontend fe\n    mode http\n    log-format %{+Q\n",
	            DIAG_ERROR, "invalid-format", 3, 17, "'{' is not closed");
	expect_diag("frontend fe\n    mode http\n    log-format %(name\n",
	            DIAG_ERROR, "invalid-format", 3, 17, "'(' is not closed");
	expect_diag("frontend fe\n    mode http\n    log-format 50%\n",
	            DIAG_ERROR, "invalid-format", 3, 18, "must be followed");
	/* cfgrun renders no typed item, +E or %bi yet; sample expressions
	 * only in log-format (not unique-id-format), checked as values are */
	expect_diag("frontend fe\n    mode http\n    unique-id-format %ci:%[src]\n",
	            DIAG_ERROR, "unsupported", 3, 26, "sample expressions");
	expect_diag("frontend fe\n    mode http\n    log-format %ci:%[src,nosuch]\n",
	            DIAG_ERROR, "unknown-converter", 3, 26, "unknown converter 'nosuch'");
	expect_diag("frontend fe\n    mode http\n    log-format x%bi\n",
	            DIAG_ERROR, "unsupported", 3, 17, "'%bi' is not rendered");
	expect_diag("frontend fe\n    mode http\n    log-format %{+E}o\n",
	            DIAG_ERROR, "unsupported", 3, 17, "flags other than");
	expect_diag("frontend fe\n    mode http\n    log-format %[]\n",
	            DIAG_ERROR, "invalid-format", 3, 17, "empty sample");
	expect_diag("frontend fe\n    mode http\n    unique-id-format %Q\n",
	            DIAG_ERROR, "invalid-format", 3, 22, "'%Q'");
	expect_diag("frontend fe\n    mode http\n    log-format %ci %cp\n",
	            DIAG_ERROR, "extra-argument", 3, 20, "");
	expect_diag("frontend fe\n    mode http\n    log-format \"\"\n",
	            DIAG_ERROR, "missing-argument", 3, 5, "format string");
	expect_diag("frontend fe\n    mode http\n    log-format \"${HAPROXY_HTTP_LOG_FMT}\"\n",
	            DIAG_ERROR, "unsupported", 3, 5, "built-in log format");
	/* in a TCP proxy cfgrun logs tcplog lines only */
	expect_diag("frontend fe\n    bind :80\n    log stdout local0\n"
	            "    log-format %ci\n",
	            DIAG_ERROR, "unsupported", 4, 16, "'log-format' in frontend 'fe' (mode tcp)");
	expect_diag("frontend fe\n    mode http\n    bind :80\n    option httplog\n",
	            DIAG_WARNING, "ignored", 1, 10, "since it has no log address");
}
END_TEST

START_TEST(test_cookie)
{
	struct ch_plan c;
	const struct plan_http *h;

	ch_compile_ok(&c, HDR_DEFAULTS
	              "    cookie OLD prefix\n"
	              "backend be\n"
	              "    cookie SRV insert indirect nocache secure domain .a.com "
	              "domain .b.com maxidle 30m maxlife 2h attr SameSite=Lax\n"
	              "    server s1 10.0.0.1:80 cookie one\n"
	              "    server s2 10.0.0.2:80\n"
	              "backend inherit\n    server s 10.0.0.3:80 cookie x\n"
	              "backend tcp\n    mode tcp\n    cookie T insert\n"
	              "    server s 10.0.0.4:80 cookie y\n");
	h = http_of(&c, "be");
	ck_assert_str_eq(str_of(&c, h->cookie_name), "SRV");
	ck_assert_uint_eq(h->cookie_mode, PLAN_COOKIE_INSERT);
	ck_assert_uint_eq(h->cookie_flags, PLAN_COOKIE_F_INDIRECT |
	                  PLAN_COOKIE_F_NOCACHE | PLAN_COOKIE_F_SECURE);
	ck_assert_str_eq(str_of(&c, h->cookie_domains), ".a.com\n.b.com\n");
	ck_assert_str_eq(str_of(&c, h->cookie_attrs), "SameSite=Lax\n");
	ck_assert_uint_eq(h->cookie_maxidle, 1800);
	ck_assert_uint_eq(h->cookie_maxlife, 7200);
	ck_assert_str_eq(str_of(&c, c.p.servers[0].cookie), "one");
	ck_assert_uint_eq(c.p.servers[1].cookie.len, 0);
	/* inherited from defaults, the whole line */
	h = http_of(&c, "inherit");
	ck_assert_str_eq(str_of(&c, h->cookie_name), "OLD");
	ck_assert_uint_eq(h->cookie_mode, PLAN_COOKIE_PREFIX);
	ck_assert_uint_eq(h->cookie_flags, 0);
	ck_assert_str_eq(str_of(&c, c.p.servers[2].cookie), "x");
	/* TCP: HAProxy ignores cookies there */
	ck_assert_uint_eq(http_of(&c, "tcp")->cookie_name.len, 0);
	ck_assert_uint_eq(c.p.servers[3].cookie.len, 0);
	free(c.buf);
}
END_TEST

START_TEST(test_cookie_errors)
{
	expect_diag("backend be\n    cookie S insert rewrite\n",
	            DIAG_ERROR, "invalid-value", 2, 21, "cannot be used together");
	expect_diag("backend be\n    cookie S preserve\n",
	            DIAG_ERROR, "invalid-value", 2, 5, "requires 'insert' or 'indirect'");
	expect_diag("backend be\n    cookie S rewrite maxidle 10\n",
	            DIAG_ERROR, "invalid-value", 2, 5, "only work with 'insert'");
	expect_diag("backend be\n    cookie S insert maxidle 10q\n",
	            DIAG_ERROR, "invalid-time", 2, 31, "'cookie maxidle'");
	expect_diag("backend be\n    cookie S insert domain\n",
	            DIAG_ERROR, "missing-argument", 2, 21, "'cookie domain'");
	expect_diag("backend be\n    cookie S insert sticky\n",
	            DIAG_ERROR, "invalid-value", 2, 21, "found 'sticky'");
	expect_diag("backend be\n    cookie S insert dynamic\n",
	            DIAG_ERROR, "unsupported", 2, 21, "dynamic");
	expect_diag("backend be\n    default-server cookie x\n",
	            DIAG_ERROR, "unsupported", 2, 20, "default-server option 'cookie'");
	expect_diag("backend be\n    server s 10.0.0.1:80 cookie\n",
	            DIAG_ERROR, "missing-argument", 2, 26, "a cookie value");
	expect_diag("frontend fe\n    cookie S insert\n",
	            DIAG_WARNING, "ignored", 2, 5, "no backend capability");
}
END_TEST

/* A file in a fresh directory holding `text`; its path in out[256]. */
static void write_page(char *out, const char *name, const char *text)
{
	static char dir[64];
	FILE *f;

	if (!dir[0]) {
		strcpy(dir, "/tmp/hapc-http-cfg-XXXXXX");
		ck_assert_ptr_nonnull(mkdtemp(dir));
	}
	snprintf(out, 256, "%s/%s", dir, name);
	ck_assert_ptr_nonnull(f = fopen(out, "w"));
	fputs(text, f);
	fclose(f);
}

START_TEST(test_errorfiles)
{
	static const char p503[] = "HTTP/1.0 503 Service Unavailable\r\n"
	                           "Content-Type: text/html\r\n"
	                           "Content-Length: 5\r\n\r\nbusy\n";
	static const char p403[] = "HTTP/1.1 403 Forbidden\n\nno\n";
	char a[256], b[256], e[256], text[2048];
	struct ch_plan c;
	const struct plan_http *h;
	int i503 = plan_http_err_index(503), i403 = plan_http_err_index(403);
	int i408 = plan_http_err_index(408), i500 = plan_http_err_index(500);

	write_page(a, "503.http", p503);
	write_page(b, "403.http", p403);
	write_page(e, "empty.http", "");
	snprintf(text, sizeof(text), HDR_DEFAULTS
	         "    errorfile 503 %s\n"
	         "http-errors site\n    errorfile 403 %s\n    errorfile 500 %s\n"
	         "frontend fe\n    bind :80\n    default_backend be\n"
	         "    errorfiles site 403\n    errorfile 408 /dev/null\n"
	         "backend be\n    server s 10.0.0.1:80\n"
	         "    errorfile 503 %s\n    errorfiles site\n"
	         "backend tb\n    mode tcp\n    server s 10.0.0.1:80\n",
	         a, b, e, e);
	ch_compile_ok(&c, text);
	h = http_of(&c, "fe");
	ck_assert_uint_eq(h->errorfile_mask, (1u << i503) | (1u << i403) |
	                  (1u << i408));
	ck_assert_uint_eq(h->errorfile_deferred, 0);
	ck_assert_str_eq(str_of(&c, h->errorfile[i503]), p503);
	ck_assert_str_eq(str_of(&c, h->errorfile_path[i503]), a);
	ck_assert_str_eq(str_of(&c, h->errorfile[i403]), p403);
	/* /dev/null: an empty reply, still a page of its own */
	ck_assert_uint_eq(h->errorfile[i408].len, 0);
	ck_assert_str_eq(str_of(&c, h->errorfile_path[i408]), "/dev/null");
	/* be: its own empty 503 page, then the whole section (403, 500) */
	h = http_of(&c, "be");
	ck_assert_uint_eq(h->errorfile_mask, (1u << i503) | (1u << i403) |
	                  (1u << i500));
	ck_assert_uint_eq(h->errorfile[i503].len, 0);
	ck_assert_str_eq(str_of(&c, h->errorfile_path[i503]), e);
	ck_assert_uint_eq(h->errorfile[i500].len, 0);
	ck_assert_uint_eq(http_of(&c, "tb")->errorfile_mask, 0);
	free(c.buf);
}
END_TEST

START_TEST(test_errorfile_errors)
{
	char bad[256], head[256], cl[256], text[512];

	write_page(bad, "bad.http", "<html>busy</html>\n");
	write_page(head, "head.http", "HTTP/1.0 503 x\r\nno colon\r\n\r\n");
	write_page(cl, "cl.http", "HTTP/1.0 503 x\r\nContent-Length: 10\r\n\r\nab");
	snprintf(text, sizeof(text), "defaults\n    errorfile 503 %s\n", bad);
	expect_diag(text, DIAG_ERROR, "bad-errorfile", 2, 19, "no status line");
	snprintf(text, sizeof(text), "defaults\n    errorfile 503 %s\n", head);
	expect_diag(text, DIAG_ERROR, "bad-errorfile", 2, 19, "(line 2 of the file)");
	snprintf(text, sizeof(text), "defaults\n    errorfile 503 %s\n", cl);
	expect_diag(text, DIAG_ERROR, "bad-errorfile", 2, 19, "shorter than its Content-Length");
	expect_diag("defaults\n    errorfile 503 /nonexistent/x.http\n",
	            DIAG_ERROR, "missing-file", 2, 19, "cannot find the error file");
	expect_diag("defaults\n    errorfile 999 /dev/null\n",
	            DIAG_ERROR, "invalid-status", 2, 15, "999");
	expect_diag("http-errors e\n    errorfile 503 /dev/null\n"
	            "defaults\n    errorfiles e 302\n",
	            DIAG_ERROR, "invalid-status", 4, 18, "'302'");
	expect_diag("defaults\n    errorfiles nope\n",
	            DIAG_ERROR, "unknown-http-errors", 2, 16, "nope");
}
END_TEST

/* --hermetic: the page is not read; the plan names it, cfgrun loads it
 * after checking the precondition. */
START_TEST(test_errorfile_hermetic)
{
	struct ast_config cfg = { 0 };
	struct sema_opts opts = { .target = SEMA_TARGET_CFGRUN, .hermetic = 1 };
	char *t = strdup("defaults\n    mode http\n    errorfile 503 /nonexistent/p.http\n"
	                 "backend be\n    server s 10.0.0.1:80\n");
	struct diag_ctx dc;
	struct model m;
	struct plan p;
	uint8_t *buf;
	size_t len;
	int i = plan_http_err_index(503);

	ck_assert_ptr_nonnull(t);
	diag_init(&dc);
	model_init(&m);
	ck_assert_int_eq(cfg_parse_buffer(&dc, "t.cfg", t, strlen(t), &cfg,
	                                  &env_parse_hooks), 0);
	ck_assert_int_eq(sema_run_opts(&dc, &cfg, &opts, &m), 0);
	ck_assert_int_eq(emit_plan(&m, &buf, &len), 0);
	ck_assert_int_eq(plan_verify(buf, len, &p, NULL, 0), PLAN_E_OK);
	ck_assert_uint_eq(p.http[0].errorfile_mask, 1u << i);
	ck_assert_uint_eq(p.http[0].errorfile_deferred, 1u << i);
	ck_assert_str_eq(plan_str_get(&p, p.http[0].errorfile_path[i]),
	                 "/nonexistent/p.http");
	ck_assert_uint_eq(p.npreconds, 1);
	ck_assert_uint_eq(p.preconds[0].kind, PLAN_PRE_ERRORFILE);
	free(buf);
	ast_config_free(&cfg);
	model_free(&m);
	diag_free(&dc);
}
END_TEST

START_TEST(test_captures)
{
	struct ch_plan c;
	const struct plan_http *h;

	ch_compile_ok(&c, HDR_DEFAULTS
	              "frontend fe\n    bind :80\n    default_backend be\n"
	              "    capture request header Host len 32\n"
	              "    capture cookie OLD len 8\n"
	              "    capture response header Content-Length len 10\n"
	              "    capture cookie SRV= len 20\n"
	              "backend be\n    server s 10.0.0.1:80\n");
	h = http_of(&c, "fe");
	ck_assert_uint_eq(h->ncaptures, 3);
	ck_assert_uint_eq(h->captures[0].kind, PLAN_CAPTURE_REQ);
	ck_assert_str_eq(str_of(&c, h->captures[0].name), "Host");
	ck_assert_uint_eq(h->captures[0].len, 32);
	/* the second capture cookie replaces the first, in its place */
	ck_assert_uint_eq(h->captures[1].kind, PLAN_CAPTURE_COOKIE);
	ck_assert_str_eq(str_of(&c, h->captures[1].name), "SRV=");
	ck_assert_uint_eq(h->captures[1].len, 20);
	ck_assert_uint_eq(h->captures[2].kind, PLAN_CAPTURE_RES);
	ck_assert_uint_eq(h->captures[2].len, 10);
	ck_assert_uint_eq(http_of(&c, "be")->ncaptures, 0);
	free(c.buf);
}
END_TEST

START_TEST(test_capture_errors)
{
	char text[2048] = "frontend fe\n    mode http\n";

	expect_diag("frontend fe\n    mode http\n    capture request header Host\n",
	            DIAG_ERROR, "missing-argument", 3, 28, "'capture request'");
	expect_diag("frontend fe\n    mode http\n    capture cookie C size 4\n",
	            DIAG_ERROR, "missing-argument", 3, 22, "'capture cookie'");
	expect_diag("frontend fe\n    mode http\n    capture request header H len 4 x\n",
	            DIAG_ERROR, "extra-argument", 3, 36, "'x'");
	expect_diag("frontend fe\n    mode http\n    capture request body len 4\n",
	            DIAG_ERROR, "unsupported", 3, 5, "capture request");
	expect_diag("backend be\n    mode http\n    capture request header H len 4\n",
	            DIAG_WARNING, "ignored", 3, 5, "no frontend capability");
	expect_diag("defaults\n    capture request header H len 4\n",
	            DIAG_ERROR, "not-allowed", 2, 5, "'capture'");
	for (int i = 0; i <= PLAN_HTTP_MAX_CAPTURES; i++)
		strcat(text, "    capture request header H len 4\n");
	expect_diag(text, DIAG_ERROR, "unsupported", 19, 5, "more than 16 captures");
}
END_TEST

/* option tcpka sets both sides; each proxy keeps the side it has. */
START_TEST(test_tcpka_flags)
{
	struct ch_plan c;

	ch_compile_ok(&c, "defaults\n    option tcpka\n    timeout client 5s\n"
	              "    timeout connect 5s\n    timeout server 5s\n"
	              "frontend fe\n    bind :80\n    default_backend be\n"
	              "backend be\n    server s 10.0.0.1:80\n"
	              "listen l\n    bind :81\n    no option srvtcpka\n"
	              "    server s 10.0.0.1:80\n");
	ck_assert_uint_eq(c.p.proxies[0].flags & (PLAN_PX_F_CLITCPKA |
	                  PLAN_PX_F_SRVTCPKA), PLAN_PX_F_CLITCPKA);
	ck_assert_uint_eq(c.p.proxies[1].flags & (PLAN_PX_F_CLITCPKA |
	                  PLAN_PX_F_SRVTCPKA), PLAN_PX_F_SRVTCPKA);
	ck_assert_uint_eq(c.p.proxies[2].flags & (PLAN_PX_F_CLITCPKA |
	                  PLAN_PX_F_SRVTCPKA), PLAN_PX_F_CLITCPKA);
	free(c.buf);
	expect_diag("backend be\n    option clitcpka\n", DIAG_WARNING, "ignored",
	            2, 5, "no frontend capability");
}
END_TEST

static Suite *http_cfg_suite(void)
{
	Suite *s = suite_create("http_cfg");
	TCase *tc = tcase_create("http_cfg");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_options_and_defaults);
	tcase_add_test(tc, test_conn_mode_precedence);
	tcase_add_test(tc, test_stats);
	tcase_add_test(tc, test_tune);
	tcase_add_test(tc, test_diagnostics);
	tcase_add_test(tc, test_httplog_tcp_fallback);
	tcase_add_test(tc, test_dump_fixpoint);
	tcase_add_test(tc, test_log_format);
	tcase_add_test(tc, test_log_format_errors);
	tcase_add_test(tc, test_cookie);
	tcase_add_test(tc, test_cookie_errors);
	tcase_add_test(tc, test_errorfiles);
	tcase_add_test(tc, test_errorfile_errors);
	tcase_add_test(tc, test_errorfile_hermetic);
	tcase_add_test(tc, test_captures);
	tcase_add_test(tc, test_capture_errors);
	tcase_add_test(tc, test_tcpka_flags);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(http_cfg_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
