/*
 * test_stats_page.c: the HTTP stats page, its CSV export, its admin forms,
 * Basic authentication and the Prometheus exporter (runtime/http/), on a
 * generation cfgrun's own code builds from a plan the real compiler made
 * (rt_helpers.h), with counters set as traffic would have set them.
 *
 * Server names cannot hold '<' or '"' in a configuration (cfgc refuses
 * them) nor in a plan (the verifier refuses them too); as defence in
 * depth, one server's name is rewritten in the plan bytes after they
 * were verified, to prove that every output escapes what it prints.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile_helpers.h"
#include "emit.h"
#include "healthcheck-t.h"
#include "inbox.h"
#include "plan.h"
#include "promex.h"
#include "rt_helpers.h"
#include "server.h"
#include "stats_page.h"
#include "stats_row.h"

#define HOSTILE "<i>&\"'x"          /* as long as "hostile" */

static const char cfg_fmt[] =
	"global\n maxconn 500\n"
	"defaults\n mode tcp\n timeout client 1s\n timeout connect 1s\n"
	" timeout server 1s\n"
	"frontend fe\n bind abns@stats-page-test-%d\n default_backend be\n"
	"backend be\n"
	" server s1 127.0.0.1:1 check\n"
	" server hostile 127.0.0.1:2 maxconn 7\n"
	" server s3 127.0.0.1:3 backup\n"
	"backend other\n server o1 127.0.0.1:4\n";

static uint8_t *fx_buf;             /* the plan's bytes (unmapped plan) */
static struct rtfx fx;
static uint32_t S1, HOST, S3, O1;   /* plan server indices */
static struct stats_page_out out;

/* Compile, verify, rename server "hostile", build the generation; then
 * counters as if some traffic went through. */
static void setup(void)
{
	struct ch_run r;
	char text[sizeof(cfg_fmt) + 32], detail[256];
	size_t len;
	struct plan *plan = calloc(1, sizeof(*plan));

	ck_assert_ptr_nonnull(plan);
	snprintf(text, sizeof(text), cfg_fmt, (int)getpid());
	ch_run_text(&r, text);
	ck_assert_msg(r.rc == 0, "compile failed: %s", r.dc.head ? r.dc.head->msg : "?");
	ck_assert_int_eq(emit_plan(&r.m, &fx_buf, &len), 0);
	ch_run_free(&r);
	ck_assert_msg(plan_verify(fx_buf, len, plan, detail, sizeof(detail)) == PLAN_E_OK,
	              "%s", detail);
	for (uint32_t i = 0; i < plan->nservers; i++) {
		const char *n = plan_str_get(plan, plan->servers[i].name);

		if (!strcmp(n, "hostile"))
			memcpy((char *)n, HOSTILE, strlen(HOSTILE));
	}
	ck_assert_int_eq(rtfx_start(&fx, plan), 0);
	S1 = server_find(fx.rt, "be", "s1");
	HOST = server_find(fx.rt, "be", HOSTILE);
	S3 = server_find(fx.rt, "be", "s3");
	O1 = server_find(fx.rt, "other", "o1");
	ck_assert_uint_ne(HOST, PLAN_NONE);
	ck_assert_uint_ne(O1, PLAN_NONE);
	/* s1 passed its checks: full health */
	ck_assert_ptr_nonnull(fx.rt->servers[S1].check);
	fx.rt->servers[S1].check->health = plan->servers[S1].rise +
	                                   plan->servers[S1].fall - 1;
	fx.rt->servers[S1].check->status = RT_CHK_L4OK;
	fx.rt->servers[S1].check->duration = 3;
	fx.rt->proxies[0].feconn = 3;
	fx.rt->proxies[0].cum_conn = 42;
	fx.rt->proxies[0].fe_cnt.bytes_in = 12345;
	fx.rt->servers[S1].cur_conn = 2;
	fx.rt->servers[S1].cum_conn = 17;
	fx.rt->servers[S1].cnt.bytes_out = 987654;
	fx.rt->servers[S1].cnt.econ = 5;
	fx.rt->servers[S1].cnt.q_max = 1500;       /* ms */
	memset(&out, 0, sizeof(out));
}

static void teardown(void)
{
	stats_page_out_free(&out);
	rtfx_stop(&fx);
	free(fx_buf);
	fx_buf = NULL;
}

static unsigned count(const char *hay, const char *needle)
{
	unsigned n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* GET with `query` (after the stats uri) and `flags`; the body in `out`,
 * terminated. */
static const char *get(const char *query, uint32_t flags, uint32_t refresh)
{
	struct stats_page_conf c = { .flags = flags, .uri = "/stats",
	                             .refresh_s = refresh, .desc = "<desc>",
	                             .node = "n&1" };
	struct stats_page_req rq = { .query = query, .query_len = strlen(query) };
	static char *copy;

	stats_page_out_free(&out);
	ck_assert_int_eq(stats_page_serve(&fx.ops, fx.rt, &c, &rq, &out), 0);
	ck_assert_int_eq(out.status, 200);
	free(copy);
	copy = strndup(out.body, out.len);
	ck_assert_ptr_nonnull(copy);
	ck_assert_uint_eq(strlen(copy), out.len);
	return copy;
}

/* POST `body` with `flags`; returns the Location header line. */
static const char *post(const char *body, uint32_t flags)
{
	struct stats_page_conf c = { .flags = flags, .uri = "/stats" };
	struct stats_page_req rq = { .is_post = 1, .body = body,
	                             .body_len = strlen(body) };

	stats_page_out_free(&out);
	ck_assert_int_eq(stats_page_serve(&fx.ops, fx.rt, &c, &rq, &out), 0);
	ck_assert_int_eq(out.status, 303);
	ck_assert_uint_eq(out.len, 0);
	return out.extra_hdrs;
}

START_TEST(html_has_a_table_per_proxy_and_a_row_per_server)
{
	const char *b = get("", 0, 0);

	ck_assert_str_eq(out.content_type, "text/html; charset=utf-8");
	ck_assert_uint_eq(count(b, "<table class=\"px\""), 3);
	ck_assert_ptr_nonnull(strstr(b, "data-proxy=\"fe\""));
	ck_assert_ptr_nonnull(strstr(b, "data-proxy=\"be\""));
	ck_assert_ptr_nonnull(strstr(b, "data-proxy=\"other\""));
	/* fe: frontend; be: 3 servers + backend; other: 1 server + backend */
	ck_assert_uint_eq(count(b, "<tr class=\"frontend\""), 1);
	ck_assert_uint_eq(count(b, "<tr class=\"backend\""), 2);
	ck_assert_uint_eq(count(b, " data-server="), 7);
	ck_assert_ptr_nonnull(strstr(b, "data-server=\"s1\""));
	ck_assert_ptr_nonnull(strstr(b, "data-server=\"o1\""));
	/* the column groups, ours included */
	ck_assert_ptr_nonnull(strstr(b, ">Session rate</th>"));
	ck_assert_ptr_nonnull(strstr(b, ">Warnings</th>"));
	ck_assert_ptr_nonnull(strstr(b, ">MPTCP</th>"));
	ck_assert_ptr_nonnull(strstr(b, "<th>Dwntme</th>"));
	/* the counters */
	ck_assert_ptr_nonnull(strstr(b, "<td>12345</td>"));
	ck_assert_ptr_nonnull(strstr(b, "<td>987654</td>"));
	ck_assert_ptr_nonnull(strstr(b, "<td>42</td>"));
	ck_assert_ptr_nonnull(strstr(b, "<td>500</td>"));    /* frontend slim */
	ck_assert_ptr_nonnull(strstr(b, "<td>7</td>"));      /* server maxconn */
	/* process, version; no node/desc without their flags */
	ck_assert_ptr_nonnull(strstr(b, "cfgrun version " PACKAGE_VERSION));
	ck_assert_ptr_nonnull(strstr(b, "<b>maxconn = </b>500"));
	ck_assert_ptr_null(strstr(b, "n&amp;1"));
	ck_assert_ptr_null(strstr(b, "&lt;desc&gt;"));
	/* colours: checked server UP, unchecked ones "no check" */
	ck_assert_ptr_nonnull(strstr(b, "<tr class=\"active_up\" data-server=\"s1\""));
	ck_assert_ptr_nonnull(strstr(b, "<tr class=\"backup_no_check\" data-server=\"s3\""));
	ck_assert_ptr_nonnull(strstr(b, ">L4OK in 3ms</td>"));
	ck_assert_ptr_nonnull(strstr(b, " UP</td>"));
	ck_assert_ptr_nonnull(strstr(b, ">no check</td>"));
	ck_assert_str_eq(out.extra_hdrs, "");
}
END_TEST

START_TEST(html_escapes_names_and_what_the_client_sends)
{
	const char *b = get("?scope=%3Cscript%3Ealert(1)%3C/script%3E", 0, 0);

	ck_assert_ptr_null(strstr(b, "<script>"));
	ck_assert_ptr_nonnull(strstr(b, "value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""));
	b = get("", STATS_PAGE_F_SHOW_NODE | STATS_PAGE_F_SHOW_DESC, 0);
	ck_assert_ptr_null(strstr(b, HOSTILE));
	ck_assert_ptr_nonnull(strstr(b, "data-server=\"&lt;i&gt;&amp;&quot;&#39;x\""));
	ck_assert_ptr_nonnull(strstr(b, "</a>&lt;i&gt;&amp;&quot;&#39;x</td>"));
	ck_assert_ptr_nonnull(strstr(b, "on n&amp;1: &lt;desc&gt;</h2>"));
	ck_assert_ptr_null(strstr(b, "<desc>"));
}
END_TEST

START_TEST(html_up_hides_down_and_maint_servers)
{
	const char *b;

	fx.rt->servers[S1].op = RT_SRV_DOWN;
	fx.rt->servers[S1].check->health = 0;
	fx.rt->servers[S1].check->status = RT_CHK_L4CON;
	ck_assert_int_eq(server_set_admin_state(fx.rt, S3, RT_ADMIN_MAINT), 0);
	b = get("", 0, 0);
	ck_assert_ptr_nonnull(strstr(b, "<tr class=\"active_down\" data-server=\"s1\""));
	ck_assert_ptr_nonnull(strstr(b, "<tr class=\"maintain\" data-server=\"s3\""));
	ck_assert_ptr_nonnull(strstr(b, ">L4CON in 3ms</td>"));
	ck_assert_ptr_nonnull(strstr(b, " DOWN</td>"));
	b = get(";up", 0, 0);
	ck_assert_ptr_null(strstr(b, "data-server=\"s1\""));
	ck_assert_ptr_null(strstr(b, "data-server=\"s3\""));
	ck_assert_ptr_nonnull(strstr(b, "data-server=\"o1\""));
	ck_assert_ptr_nonnull(strstr(b, "data-server=\"&lt;i&gt;"));
	ck_assert_uint_eq(count(b, " data-server="), 5);
	ck_assert_ptr_nonnull(strstr(b, ">Show all servers</a>"));
	/* the CSV follows ;up too */
	b = get(";csv;up", 0, 0);
	ck_assert_ptr_null(strstr(b, "\nbe,s1,"));
	ck_assert_ptr_nonnull(strstr(b, "\nother,o1,"));
}
END_TEST

START_TEST(html_scope_keeps_one_proxy)
{
	const char *b = get("?scope=other", 0, 0);

	ck_assert_uint_eq(count(b, "<table class=\"px\""), 1);
	ck_assert_ptr_nonnull(strstr(b, "data-proxy=\"other\""));
	ck_assert_ptr_null(strstr(b, "data-proxy=\"be\""));
	ck_assert_uint_eq(count(b, " data-server="), 2);
	b = get(";norefresh?scope=nosuch", 0, 0);
	ck_assert_uint_eq(count(b, "<table class=\"px\""), 0);
	b = get(";csv?scope=be", 0, 0);
	ck_assert_ptr_null(strstr(b, "\nfe,"));
	ck_assert_uint_eq(count(b, "\nbe,"), 4);
}
END_TEST

START_TEST(csv_is_show_stat)
{
	const char *b = get(";csv", 0, 0);
	struct stats_buf ref;

	ck_assert_str_eq(out.content_type, "text/plain");
	ck_assert_int_eq(strncmp(b, "# pxname,svname,qcur,qmax,scur,", 31), 0);
	ck_assert_ptr_nonnull(strstr(b, ",mptcp_conn,mptcp_fallback,\n"));
	/* header + fe + 3 servers + be + o1 + other */
	ck_assert_uint_eq(count(b, "\n"), 8);
	ck_assert_ptr_nonnull(strstr(b, "\nfe,FRONTEND,,,3,0,500,42,12345,"));
	ck_assert_ptr_nonnull(strstr(b, "\nbe,s1,0,0,2,0,,17,0,987654,"));
	/* a name holding a quote is quoted, the quote doubled */
	ck_assert_ptr_nonnull(strstr(b, "\nbe,\"<i>&\"\"'x\",0,0,0,0,7,"));
	/* the stats socket's writer gives the same bytes (the stats socket
	 * adds the empty line that ends each of its answers) */
	stats_buf_init(&ref, 1u << 20);
	stats_csv_dump(&ref, fx.rt, 0, NULL);
	ck_assert_uint_eq(ref.len, out.len);
	ck_assert_int_eq(memcmp(ref.data, out.body, out.len), 0);
	stats_buf_free(&ref);
}
END_TEST

START_TEST(refresh_header_unless_norefresh)
{
	(void)get("", 0, 5);
	ck_assert_str_eq(out.extra_hdrs, "Refresh: 5\r\n");
	(void)get(";norefresh", 0, 5);
	ck_assert_str_eq(out.extra_hdrs, "");
	(void)get(";csv", 0, 5);
	ck_assert_str_eq(out.extra_hdrs, "");
}
END_TEST

START_TEST(admin_forms_only_with_admin)
{
	const char *b = get("", 0, 0);

	ck_assert_ptr_null(strstr(b, "name=\"action\""));
	ck_assert_ptr_null(strstr(b, "name=\"s\""));
	b = get("", STATS_PAGE_F_ADMIN, 0);
	/* one form per backend with servers, a checkbox per server */
	ck_assert_uint_eq(count(b, "<form method=\"post\" action=\"/stats\">"), 2);
	ck_assert_uint_eq(count(b, "type=\"checkbox\" name=\"s\""), 4);
	ck_assert_ptr_nonnull(strstr(b, "name=\"s\" value=\"s1\""));
	ck_assert_ptr_nonnull(strstr(b, "<option value=\"maint\">"));
	ck_assert_ptr_nonnull(strstr(b, "name=\"b\" value=\"#2\""));
	ck_assert_ptr_nonnull(strstr(b, "name=\"b\" value=\"#3\""));
}
END_TEST

START_TEST(admin_post_changes_state_and_redirects)
{
	const char *b;

	ck_assert_str_eq(post("s=s1&action=maint&b=%232", STATS_PAGE_F_ADMIN),
	                 "Location: /stats;st=DONE\r\n");
	ck_assert_uint_eq(fx.rt->servers[S1].admin, RT_ADMIN_MAINT);
	b = get(";st=DONE", STATS_PAGE_F_ADMIN, 0);
	ck_assert_ptr_nonnull(strstr(b, "data-st=\"DONE\""));
	ck_assert_ptr_nonnull(strstr(b, "Action processed successfully."));
	ck_assert_ptr_nonnull(strstr(b, "<tr class=\"maintain\" data-server=\"s1\""));
	/* the CSV says so too */
	b = get(";csv", 0, 0);
	ck_assert_ptr_nonnull(strstr(b, "\nbe,s1,0,0,2,0,,17,0,987654,,0,,5,0,0,0,MAINT,"));
	/* two servers, one escaped name, backend by name */
	ck_assert_str_eq(post("s=s1&s=%3Ci%3E%26%22%27x&action=drain&b=be",
	                      STATS_PAGE_F_ADMIN), "Location: /stats;st=DONE\r\n");
	ck_assert_uint_eq(fx.rt->servers[S1].admin, RT_ADMIN_DRAIN);
	ck_assert_uint_eq(fx.rt->servers[HOST].admin, RT_ADMIN_DRAIN);
	/* one unknown name: the others still change */
	ck_assert_str_eq(post("s=nosuch&s=s1&action=ready&b=%232", STATS_PAGE_F_ADMIN),
	                 "Location: /stats;st=PART\r\n");
	ck_assert_uint_eq(fx.rt->servers[S1].admin, RT_ADMIN_READY);
	ck_assert_uint_eq(fx.rt->servers[HOST].admin, RT_ADMIN_DRAIN);
	/* a server of another backend is not found through this one */
	ck_assert_str_eq(post("s=o1&action=maint&b=%232", STATS_PAGE_F_ADMIN),
	                 "Location: /stats;st=ERRP\r\n");
	ck_assert_uint_eq(fx.rt->servers[O1].admin, RT_ADMIN_READY);
	ck_assert_str_eq(post("action=maint&b=%232", STATS_PAGE_F_ADMIN),
	                 "Location: /stats;st=NONE\r\n");
	ck_assert_str_eq(post("s=s1&action=shutdown&b=%232", STATS_PAGE_F_ADMIN),
	                 "Location: /stats;st=ERRP\r\n");
	ck_assert_str_eq(post("s=s1&action=maint&b=%2399", STATS_PAGE_F_ADMIN),
	                 "Location: /stats;st=ERRP\r\n");
	ck_assert_str_eq(post("s=s1&action=maint&b=%231", STATS_PAGE_F_ADMIN),
	                 "Location: /stats;st=ERRP\r\n");   /* #1 is frontend fe */
	/* no admin right: refused, nothing changes */
	ck_assert_str_eq(post("s=s1&action=maint&b=%232", 0),
	                 "Location: /stats;st=DENY\r\n");
	ck_assert_uint_eq(fx.rt->servers[S1].admin, RT_ADMIN_READY);
	b = get(";st=DENY", 0, 0);
	ck_assert_ptr_nonnull(strstr(b, "Action denied."));
}
END_TEST

/* A POST served on another thread than thread 0 hands the change to
 * thread 0's inbox; thread 0 applies it from there, to the generation it
 * was asked for only. */
START_TEST(admin_post_on_another_thread_goes_through_thread_0)
{
	struct rt_thread thr[2];

	memset(thr, 0, sizeof(thr));
	thr[0].id = 0;
	thr[1].id = 1;
	thr[0].loop = fx.ops.loop;
	thr[0].ops = thr[1].ops = &fx.ops;
	pthread_mutex_init(&thr[0].inbox_lock, NULL);
	ev_async_init(&thr[0].wake, NULL);
	fx.ops.threads = thr;
	fx.ops.nthreads = 2;
	thread_self = &thr[1];
	ck_assert_str_eq(post("s=s1&action=maint&b=%232", STATS_PAGE_F_ADMIN),
	                 "Location: /stats;st=DONE\r\n");
	/* not yet: thread 0 was asked */
	ck_assert_uint_eq(fx.rt->servers[S1].admin, RT_ADMIN_READY);
	ck_assert_uint_eq(thr[0].inbox_flags & THR_MSG_ADMIN, THR_MSG_ADMIN);
	thread_self = &thr[0];
	stats_page_admin_run(&fx.ops);
	ck_assert_uint_eq(fx.rt->servers[S1].admin, RT_ADMIN_MAINT);
	/* a change asked of a generation that is no longer the current one
	 * is dropped */
	thread_self = &thr[1];
	ck_assert_str_eq(post("s=s1&action=ready&b=%232", STATS_PAGE_F_ADMIN),
	                 "Location: /stats;st=DONE\r\n");
	fx.rt->generation++;
	stats_page_admin_run(&fx.ops);
	ck_assert_uint_eq(fx.rt->servers[S1].admin, RT_ADMIN_MAINT);
	/* on thread 0 itself: at once */
	thread_self = &thr[0];
	ck_assert_str_eq(post("s=s1&action=ready&b=%232", STATS_PAGE_F_ADMIN),
	                 "Location: /stats;st=DONE\r\n");
	ck_assert_uint_eq(fx.rt->servers[S1].admin, RT_ADMIN_READY);
	thread_self = NULL;
	fx.ops.threads = NULL;
	fx.ops.nthreads = 1;
	pthread_mutex_destroy(&thr[0].inbox_lock);
}
END_TEST

START_TEST(admin_post_too_large_is_refused)
{
	size_t n = STATS_PAGE_POST_MAX + 100;
	char *big = malloc(n + 1);

	ck_assert_ptr_nonnull(big);
	memcpy(big, "action=maint&b=%232&s=s1", 24);
	memset(big + 24, '&', n - 24);
	big[n] = '\0';
	ck_assert_str_eq(post(big, STATS_PAGE_F_ADMIN), "Location: /stats;st=EXCD\r\n");
	ck_assert_uint_eq(fx.rt->servers[S1].admin, RT_ADMIN_READY);
	free(big);
}
END_TEST

START_TEST(promex_metrics_labels_and_scopes)
{
	struct stats_page_req rq = { 0 };
	char *b;

	ck_assert_int_eq(server_set_admin_state(fx.rt, S3, RT_ADMIN_MAINT), 0);
	ck_assert_int_eq(promex_serve(&fx.ops, fx.rt, &rq, &out), 0);
	ck_assert_int_eq(out.status, 200);
	ck_assert_str_eq(out.content_type, "text/plain; version=0.0.4");
	b = strndup(out.body, out.len);
	ck_assert_ptr_nonnull(strstr(b, "haproxy_process_nbthread 1\n"));
	ck_assert_ptr_nonnull(strstr(b, "haproxy_process_max_connections 500\n"));
	ck_assert_ptr_nonnull(strstr(b, "haproxy_process_build_info{version=\"" PACKAGE_VERSION "\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(b, "# TYPE haproxy_frontend_current_sessions gauge\n"));
	ck_assert_ptr_nonnull(strstr(b, "\nhaproxy_frontend_current_sessions{proxy=\"fe\"} 3\n"));
	ck_assert_ptr_nonnull(strstr(b, "\nhaproxy_frontend_bytes_in_total{proxy=\"fe\"} 12345\n"));
	ck_assert_ptr_nonnull(strstr(b, "# TYPE haproxy_server_bytes_out_total counter\n"));
	ck_assert_ptr_nonnull(strstr(b, "\nhaproxy_server_bytes_out_total{proxy=\"be\",server=\"s1\"} 987654\n"));
	ck_assert_ptr_nonnull(strstr(b, "\nhaproxy_server_connection_errors_total{proxy=\"be\",server=\"s1\"} 5\n"));
	ck_assert_ptr_nonnull(strstr(b, "\nhaproxy_server_max_queue_time_seconds{proxy=\"be\",server=\"s1\"} 1.500\n"));
	ck_assert_ptr_nonnull(strstr(b, "\nhaproxy_server_limit_sessions{proxy=\"be\",server=\"<i>&\\\"'x\"} 7\n"));
	/* an unchecked server has no check counters */
	ck_assert_ptr_nonnull(strstr(b, "\nhaproxy_server_check_failures_total{proxy=\"be\",server=\"s3\"} NaN\n"));
	ck_assert_ptr_nonnull(strstr(b, "\nhaproxy_server_check_failures_total{proxy=\"be\",server=\"s1\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(b, "\nhaproxy_server_status{proxy=\"be\",server=\"s3\",state=\"MAINT\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(b, "\nhaproxy_server_status{proxy=\"be\",server=\"s3\",state=\"UP\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(b, "\nhaproxy_server_status{proxy=\"be\",server=\"s1\",state=\"UP\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(b, "\nhaproxy_backend_status{proxy=\"be\",state=\"UP\"} 1\n"));
	/* HELP and TYPE once per metric, before its samples */
	ck_assert_uint_eq(count(b, "# HELP haproxy_server_weight "), 1);
	ck_assert_uint_eq(count(b, "haproxy_server_weight{"), 4);
	ck_assert_ptr_null(strstr(b, "haproxy_frontend_weight"));
	free(b);
	/* scopes and no-maint */
	rq.query = "?scope=server&no-maint";
	rq.query_len = strlen(rq.query);
	stats_page_out_free(&out);
	ck_assert_int_eq(promex_serve(&fx.ops, fx.rt, &rq, &out), 0);
	b = strndup(out.body, out.len);
	ck_assert_ptr_null(strstr(b, "haproxy_process_"));
	ck_assert_ptr_null(strstr(b, "haproxy_frontend_"));
	ck_assert_ptr_null(strstr(b, "haproxy_backend_"));
	ck_assert_ptr_nonnull(strstr(b, "server=\"s1\""));
	ck_assert_ptr_null(strstr(b, "server=\"s3\""));
	free(b);
}
END_TEST

START_TEST(basic_auth)
{
	static const char users[] = "ops:pw\nnocolon\nadmin:secret";
	const char *u = NULL;
	size_t ulen = 0;
	struct stats_page_out o;

#define AUTH(v) stats_page_auth_ok(v, strlen(v), users, &u, &ulen)
	ck_assert_int_eq(AUTH("Basic YWRtaW46c2VjcmV0"), 1);       /* admin:secret */
	ck_assert_uint_eq(ulen, 5);
	ck_assert_int_eq(strncmp(u, "admin", 5), 0);
	ck_assert_int_eq(AUTH("  basic   b3BzOnB3  "), 1);         /* ops:pw */
	ck_assert_int_eq(strncmp(u, "ops", ulen), 0);
	ck_assert_int_eq(AUTH("Basic YWRtaW46c2VjcmVU"), 0);       /* admin:secreT */
	ck_assert_int_eq(AUTH("Basic YWRtaW46c2VjcmU="), 0);       /* admin:secre */
	ck_assert_int_eq(AUTH("Basic bm9jb2xvbjo="), 0);           /* nocolon: */
	ck_assert_int_eq(AUTH("Basic"), 0);
	ck_assert_int_eq(AUTH("Basic !!!!"), 0);
	ck_assert_int_eq(AUTH("Bearer YWRtaW46c2VjcmV0"), 0);
	ck_assert_int_eq(AUTH("BasicYWRtaW46c2VjcmV0"), 0);
#undef AUTH
	ck_assert_int_eq(stats_page_unauthorized("My \"R\"", &o), 0);
	ck_assert_int_eq(o.status, 401);
	ck_assert_str_eq(o.extra_hdrs, "WWW-Authenticate: Basic realm=\"My \\\"R\\\"\"\r\n");
	ck_assert_ptr_nonnull(strstr(o.body, "401 Unauthorized"));
	stats_page_out_free(&o);
}
END_TEST

START_TEST(a_body_past_its_bound_is_a_500_not_a_cut_page)
{
	struct stats_buf b;

	stats_buf_init(&b, 64);
	stats_buf_puts(&b, "0123456789012345678901234567890123456789");
	ck_assert_int_eq(b.cut, 0);
	stats_buf_printf(&b, "%040d", 7);   /* 80 bytes: past 64 */
	ck_assert_int_eq(b.cut, 1);
	ck_assert_uint_eq(b.len, 40);
	stats_buf_puts(&b, "x");            /* nothing more once cut */
	ck_assert_uint_eq(b.len, 40);
	ck_assert_int_eq(stats_page_finish(&out, 200, "text/html", &b), -1);
	ck_assert_int_eq(out.status, 500);
	ck_assert_str_eq(out.content_type, "text/plain");
	ck_assert_ptr_nonnull(strstr(out.body, "too large"));
	ck_assert_ptr_null(b.data);
}
END_TEST

static Suite *stats_page_suite(void)
{
	Suite *s = suite_create("stats_page");
	TCase *tc = tcase_create("page");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, html_has_a_table_per_proxy_and_a_row_per_server);
	tcase_add_test(tc, html_escapes_names_and_what_the_client_sends);
	tcase_add_test(tc, html_up_hides_down_and_maint_servers);
	tcase_add_test(tc, html_scope_keeps_one_proxy);
	tcase_add_test(tc, csv_is_show_stat);
	tcase_add_test(tc, refresh_header_unless_norefresh);
	tcase_add_test(tc, admin_forms_only_with_admin);
	tcase_add_test(tc, admin_post_changes_state_and_redirects);
	tcase_add_test(tc, admin_post_on_another_thread_goes_through_thread_0);
	tcase_add_test(tc, admin_post_too_large_is_refused);
	tcase_add_test(tc, promex_metrics_labels_and_scopes);
	tcase_add_test(tc, basic_auth);
	tcase_add_test(tc, a_body_past_its_bound_is_a_500_not_a_cut_page);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(stats_page_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
