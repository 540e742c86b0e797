/*
 * test_stktable.c: the stick tables: HAProxy's sliding-window rates, the
 * compiled TABLE/TRACK records, and the run-time table (tracking,
 * counters, fetches, show/set/clear, carrying over a reload) on plans
 * compiled from text by the real passes.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_helpers.h"
#include "plan.h"
#include "runtime-t.h"
#include "stktable.h"

START_TEST(test_freq_window)
{
	struct stk_freq f;
	uint32_t t0 = 1000000;

	memset(&f, 0, sizeof(f));
	ck_assert_uint_eq(stk_freq_read(&f, t0, 10000), 0);
	for (int i = 0; i < 7; i++)
		stk_freq_add(&f, t0 + (uint32_t)i, 10000, 1);
	ck_assert_uint_eq(stk_freq_read(&f, t0 + 10, 10000), 7);
	ck_assert_uint_eq(stk_freq_read(&f, t0 + 9999, 10000), 7);
	/* half of the next period: the previous one counts for half */
	ck_assert_uint_eq(stk_freq_read(&f, t0 + 15000, 10000), 3);
	ck_assert_uint_eq(stk_freq_read(&f, t0 + 19999, 10000), 0);
	ck_assert_uint_eq(stk_freq_read(&f, t0 + 20000, 10000), 0);
	/* events in the next period add to the prorated previous one */
	stk_freq_add(&f, t0 + 12500, 10000, 2);
	ck_assert_uint_eq(f.prev, 7);
	ck_assert_uint_eq(f.curr, 2);
	ck_assert_uint_eq(stk_freq_read(&f, t0 + 12500, 10000), 2 + 7 * 3 / 4);
	/* two idle periods: everything forgotten */
	stk_freq_add(&f, t0 + 40000, 10000, 1);
	ck_assert_uint_eq(f.prev, 0);
	ck_assert_uint_eq(stk_freq_read(&f, t0 + 40000, 10000), 1);
	/* the clock wraps: differences still hold */
	memset(&f, 0, sizeof(f));
	stk_freq_add(&f, 0xfffffff0u, 1000, 5);
	ck_assert_uint_eq(stk_freq_read(&f, 0x10u, 1000), 5);
}
END_TEST

#define HEAD "defaults\n mode http\n timeout client 1s\n timeout server 1s\n" \
             " timeout connect 1s\n"

/* A generation of plan `text` with its tables (no sockets). */
static void gen_of(struct runtime *rt, struct ch_plan *c, const char *text,
                   const struct runtime *old)
{
	char err[128];

	ch_compile_ok(c, text);
	memset(rt, 0, sizeof(*rt));
	rt->plan = &c->p;
	ck_assert_int_eq(stk_gen_init(rt, old, err, sizeof(err)), 0);
}

static const char *const cfg =
	HEAD "frontend fe\n bind :8080\n"
	" stick-table type ip size 2 expire 1m store conn_cur,conn_cnt,"
	"http_req_cnt,http_req_rate(10s),gpc0,gpt(2)\n"
	" http-request track-sc0 src\n"
	" http-request sc-inc-gpc0(0)\n"
	" http-request sc-set-gpt(1,0) 42\n"
	" http-request deny if { sc0_http_req_rate gt 5 } || { src_get_gpc0 gt 9 }\n"
	" default_backend be\nbackend be\n server s 127.0.0.1:80\n";

/* The sample of ACL line `i` of the plan through stk_fetch. */
static int64_t fetch(struct runtime *rt, struct stk_ctrs *c, uint32_t i,
                     const struct sockaddr_storage *src, int *found)
{
	struct plan_sample s;

	stk_fetch(rt, c, src, sizeof(*src), &rt->plan->acls[i], &s);
	*found = s.type != PLAN_SMP_NONE;
	return s.i;
}

START_TEST(test_plan_records)
{
	struct ch_plan c;
	const struct plan_stktable *t;

	ch_compile_ok(&c, cfg);
	ck_assert_uint_eq(c.p.ntables, 1);
	t = &c.p.tables[0];
	ck_assert_uint_eq(t->type, PLAN_TBL_IP);
	ck_assert_uint_eq(t->key_len, 4);
	ck_assert_uint_eq(t->size, 2);
	ck_assert_uint_eq(t->expire_ms, 60000);
	ck_assert_uint_eq(t->period_ms[PLAN_TD_HTTP_REQ_RATE], 10000);
	ck_assert_uint_eq(t->ngpt, 2);
	ck_assert(t->store & (1u << PLAN_TD_CONN_CUR));
	ck_assert(!(t->store & (1u << PLAN_TD_SESS_CNT)));
	ck_assert_uint_eq(c.p.ntracks, 3);
	ck_assert_uint_eq(c.p.tracks[0].op, PLAN_TRK_TRACK);
	ck_assert_uint_eq(c.p.acls[c.p.tracks[0].key].fetch, PLAN_FETCH_SRC);
	ck_assert_uint_eq(c.p.tracks[1].data, PLAN_TD_GPC0);
	ck_assert_uint_eq(c.p.tracks[2].idx, 1);
	ck_assert_int_eq(c.p.tracks[2].value, 42);
	free(c.buf);
}
END_TEST

START_TEST(test_track_and_fetch)
{
	struct ch_plan c;
	struct runtime rt;
	struct stk_ctrs a, b;
	struct sockaddr_storage src;
	struct sockaddr_in *in = (struct sockaddr_in *)&src;
	struct plan_sample key;
	uint32_t rate = PLAN_NONE, gpc = PLAN_NONE;
	int found;

	gen_of(&rt, &c, cfg, NULL);
	for (uint32_t i = 0; i < c.p.nacls; i++)
		if (c.p.acls[i].fetch == PLAN_FETCH_STKCTR) {
			if (PLAN_STK_CTR(c.p.acls[i].occ) == PLAN_STK_SRC)
				gpc = i;
			else
				rate = i;
		}
	ck_assert_uint_ne(rate, PLAN_NONE);
	ck_assert_uint_ne(gpc, PLAN_NONE);
	memset(&src, 0, sizeof(src));
	in->sin_family = AF_INET;
	in->sin_addr.s_addr = htonl(0x0a000001);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	/* not tracking: no sample; an absent src_ entry reads 0 */
	fetch(&rt, &a, rate, &src, &found);
	ck_assert(!found);
	ck_assert_int_eq(fetch(&rt, &a, gpc, &src, &found), 0);
	ck_assert(found);
	memset(&key, 0, sizeof(key));
	key.type = PLAN_SMP_IPV4;
	memcpy(key.ip, &in->sin_addr, 4);
	stk_run(&rt, &a, &c.p.tracks[0], &key, 1);
	stk_run(&rt, &a, &c.p.tracks[1], NULL, 1);
	stk_run(&rt, &a, &c.p.tracks[2], NULL, 1);
	stk_run(&rt, &b, &c.p.tracks[0], &key, 1);
	ck_assert_int_eq(fetch(&rt, &a, rate, &src, &found), 2);
	ck_assert(found);
	ck_assert_int_eq(fetch(&rt, NULL, gpc, &src, &found), 1);
	/* a second track on a busy counter is ignored */
	stk_run(&rt, &a, &c.p.tracks[0], &key, 1);
	ck_assert_int_eq(fetch(&rt, &a, rate, &src, &found), 2);
	{
		struct stk_table *t = stk_table_find(&rt, "fe");
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);

		ck_assert_ptr_nonnull(t);
		stk_show(t, NULL, 0, PLAN_TD_MAX, "eq", 0, f);
		fclose(f);
		ck_assert_ptr_nonnull(strstr(text, "# table: fe, type: ip, size:2, used:1\n"));
		ck_assert_ptr_nonnull(strstr(text, " key=10.0.0.1 use=2 exp="));
		ck_assert_ptr_nonnull(strstr(text, " gpc0=1 conn_cnt=2 conn_cur=2 "
		                                   "http_req_cnt=2 "
		                                   "http_req_rate(10000)=2 "
		                                   "gpt[0]=0 gpt[1]=42\n"));
		free(text);
		/* tracked entries survive clear table */
		ck_assert_uint_eq(stk_clear(t, NULL, 0), 0);
	}
	stk_release(&a, 1);
	stk_release(&b, 0);
	ck_assert_ptr_null(a.c[0].t);
	{
		struct stk_table *t = stk_table_find(&rt, "fe");
		unsigned char k[PLAN_TBL_MAX_KEY];
		uint32_t kl;
		struct runtime rt2;
		struct ch_plan c2;

		/* the table is full at 2: a third key evicts the oldest */
		ck_assert_int_eq(stk_parse_key(t, "10.0.0.2", k, &kl), 0);
		ck_assert_int_eq(stk_set(t, k, kl, PLAN_TD_GPC0, 0, 7), 0);
		ck_assert_int_eq(stk_parse_key(t, "10.0.0.3", k, &kl), 0);
		ck_assert_int_eq(stk_set(t, k, kl, PLAN_TD_GPC0, 0, 8), 0);
		ck_assert_int_eq(fetch(&rt, NULL, gpc, &src, &found), 0);
		ck_assert_int_eq(stk_parse_key(t, "not-an-ip", k, &kl), -1);
		/* a reload with the same definition shares the table */
		gen_of(&rt2, &c2, cfg, &rt);
		ck_assert_ptr_eq(stk_table_find(&rt2, "fe"), t);
		stk_gen_free(&rt);
		ck_assert_int_eq(stk_parse_key(t, "10.0.0.3", k, &kl), 0);
		ck_assert_uint_eq(stk_clear(t, k, kl), 1);
		stk_gen_free(&rt2);
		free(c2.buf);
	}
	free(c.buf);
}
END_TEST

START_TEST(test_changed_table_starts_empty)
{
	struct ch_plan c, c2;
	struct runtime rt, rt2;
	unsigned char k[PLAN_TBL_MAX_KEY];
	uint32_t kl;
	struct stk_table *t;
	char *big = malloc(strlen(cfg) + 8), *p;

	gen_of(&rt, &c, cfg, NULL);
	t = stk_table_find(&rt, "fe");
	ck_assert_int_eq(stk_parse_key(t, "10.0.0.2", k, &kl), 0);
	ck_assert_int_eq(stk_set(t, k, kl, PLAN_TD_GPC0, 0, 7), 0);
	strcpy(big, cfg);
	p = strstr(big, "size 2");
	memcpy(p, "size 3", 6);
	gen_of(&rt2, &c2, big, &rt);
	ck_assert_ptr_ne(stk_table_find(&rt2, "fe"), t);
	ck_assert_uint_eq(stk_clear(stk_table_find(&rt2, "fe"), NULL, 0), 0);
	stk_gen_free(&rt);
	stk_gen_free(&rt2);
	free(c.buf);
	free(c2.buf);
	free(big);
}
END_TEST

/* The client address 10.0.0.<ctx> for src, TRUE/FALSE as they are. */
static void persist_fetch(void *ctx, const struct plan_acl *a,
                          struct plan_sample *out)
{
	memset(out, 0, sizeof(*out));
	if (a->fetch == PLAN_FETCH_SRC) {
		out->type = PLAN_SMP_IPV4;
		out->ip[0] = 10;
		out->ip[3] = (uint8_t)(uintptr_t)ctx;
	} else if (a->fetch == PLAN_FETCH_ALWAYS_TRUE ||
	           a->fetch == PLAN_FETCH_ALWAYS_FALSE) {
		out->type = PLAN_SMP_BOOL;
		out->i = a->fetch == PLAN_FETCH_ALWAYS_TRUE;
	}
}

START_TEST(test_persist)
{
	static const char *const pcfg =
		HEAD "frontend fe\n bind :8080\n default_backend be\n"
		"backend be\n stick-table type ip size 10 expire 1m store gpc0\n"
		" stick match src if FALSE\n"
		" stick on src\n"
		" stick store-request src table other\n"
		" server a 127.0.0.1:80\n server b 127.0.0.1:81\n"
		"backend other\n stick-table type ip size 10\n";
	struct ch_plan c;
	struct runtime rt;
	struct stk_stores st;
	const struct plan_proxy *be;
	uint32_t want = PLAN_NONE, b;

	gen_of(&rt, &c, pcfg, NULL);
	be = &c.p.proxies[1];
	ck_assert_uint_eq(c.p.tcp[1].nstick, 3);
	ck_assert_uint_eq(be->nrules, 3);
	ck_assert_uint_eq(c.p.tracks[0].op, PLAN_TRK_MATCH);
	ck_assert_uint_eq(c.p.tracks[1].op, PLAN_TRK_ON);
	ck_assert_uint_eq(c.p.tracks[2].op, PLAN_TRK_STORE);
	ck_assert_uint_eq(c.p.tracks[2].table, 1);
	/* server_id is added to both tables the rules use */
	ck_assert(c.p.tables[0].store & (1u << PLAN_TD_SERVER_ID));
	ck_assert(c.p.tables[1].store & (1u << PLAN_TD_SERVER_ID));
	b = be->first_server + 1;
	memset(&st, 0, sizeof(st));
	/* no entry yet: no server wanted, one entry held per table */
	stk_persist_rules(&rt, 1, NULL, persist_fetch, (void *)7, &st, &want);
	ck_assert_uint_eq(want, PLAN_NONE);
	ck_assert_uint_eq(st.n, 2);
	stk_stores_commit(&rt, &st, b);
	ck_assert_uint_eq(st.n, 0);
	/* the next request of 10.0.0.7 wants server b; 10.0.0.8 none */
	stk_persist_rules(&rt, 1, NULL, persist_fetch, (void *)7, &st, &want);
	ck_assert_uint_eq(want, b);
	stk_stores_drop(&st);
	want = PLAN_NONE;
	stk_persist_rules(&rt, 1, NULL, persist_fetch, (void *)8, &st, &want);
	ck_assert_uint_eq(want, PLAN_NONE);
	/* dropped, not committed: the entry holds no server */
	stk_stores_drop(&st);
	stk_persist_rules(&rt, 1, NULL, persist_fetch, (void *)8, &st, &want);
	ck_assert_uint_eq(want, PLAN_NONE);
	/* a wanted server (a cookie's) is kept */
	want = be->first_server;
	stk_persist_rules(&rt, 1, NULL, persist_fetch, (void *)7, &st, &want);
	ck_assert_uint_eq(want, be->first_server);
	stk_stores_drop(&st);
	{
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);

		stk_show(stk_table_find(&rt, "other"), NULL, 0, PLAN_TD_MAX, "eq",
		         0, f);
		fclose(f);
		ck_assert_ptr_nonnull(strstr(text, " key=10.0.0.7 use=0 exp=0 "
		                                   "server_id=2\n"));
		ck_assert_ptr_nonnull(strstr(text, " key=10.0.0.8 use=0 exp=0 "
		                                   "server_id=0\n"));
		free(text);
	}
	stk_gen_free(&rt);
	/* the verifier: persistence ops only in stick rules, on tables
	 * storing server_id */
	{
		struct plan p2;
		char detail[160];
		size_t tk = (size_t)((const uint8_t *)c.p.tracks - c.buf);
		size_t tb = (size_t)((const uint8_t *)c.p.tables - c.buf);
		struct plan_track *k0 = (struct plan_track *)(void *)(c.buf + tk);
		struct plan_stktable *t0 =
			(struct plan_stktable *)(void *)(c.buf + tb);

		k0->op = PLAN_TRK_TRACK;
		plan_digest(c.buf, c.len, ((struct plan_header *)c.buf)->digest);
		ck_assert_int_ne(plan_verify(c.buf, c.len, &p2, detail,
		                             sizeof(detail)), PLAN_E_OK);
		ck_assert_ptr_nonnull(strstr(detail, "in a stick rule"));
		k0->op = PLAN_TRK_MATCH;
		t0->store &= ~(1u << PLAN_TD_SERVER_ID);
		plan_digest(c.buf, c.len, ((struct plan_header *)c.buf)->digest);
		ck_assert_int_ne(plan_verify(c.buf, c.len, &p2, detail,
		                             sizeof(detail)), PLAN_E_OK);
		ck_assert_ptr_nonnull(strstr(detail, "does not store server_id"));
		t0->store |= 1u << PLAN_TD_SERVER_ID;
		plan_digest(c.buf, c.len, ((struct plan_header *)c.buf)->digest);
		ck_assert_int_eq(plan_verify(c.buf, c.len, &p2, detail,
		                             sizeof(detail)), PLAN_E_OK);
	}
	free(c.buf);
}
END_TEST

START_TEST(test_diagnostics)
{
	ch_expect_diag(HEAD "frontend fe\n bind :80\n stick-table type ip size 1k"
	               " peers p\n default_backend be\nbackend be\n"
	               " server s 127.0.0.1:80\n", SEMA_TARGET_CFGRUN, DIAG_ERROR,
	               "unsupported", 8, 30, "'stick-table peers'");
	ch_expect_diag(HEAD "frontend fe\n bind :80\n default_backend be\n"
	               "backend be\n mode tcp\n stick-table type ip size 1\n"
	               " stick store-response src\n"
	               " server s 127.0.0.1:80\n", SEMA_TARGET_CFGRUN, DIAG_ERROR,
	               "unsupported", 12, 2, "'stick store-response' in a 'mode tcp'");
	ch_expect_diag(HEAD "frontend fe\n bind :80\n"
	               " http-request deny if { src_get_gpc0(nosuch) gt 0 }\n"
	               " default_backend be\nbackend be\n server s 127.0.0.1:80\n",
	               SEMA_TARGET_CFGRUN, DIAG_ERROR, "unknown-table", 8, 25,
	               "table 'nosuch'");
	ch_expect_diag(HEAD "frontend fe\n bind :80\n http-request track-sc0 src\n"
	               " default_backend be\nbackend be\n server s 127.0.0.1:80\n",
	               SEMA_TARGET_CFGRUN, DIAG_ERROR, "unknown-table", 8, 15,
	               "proxy 'fe' has no stick-table");
	ch_expect_diag(HEAD "frontend fe\n bind :80\n stick-table type ip size 1\n"
	               " stick-table type ip size 1\n"
	               " default_backend be\nbackend be\n server s 127.0.0.1:80\n",
	               SEMA_TARGET_CFGRUN, DIAG_ERROR, "duplicate-name", 9, 2,
	               "already has a stick-table");
	ch_expect_diag(HEAD "frontend fe\n bind :80\n stick-table type ip size 1\n"
	               " http-request sc-set-gpt0(0) %[src]\n"
	               " default_backend be\nbackend be\n server s 127.0.0.1:80\n",
	               SEMA_TARGET_CFGRUN, DIAG_ERROR, "unsupported", 9, 30,
	               "write an integer");
}
END_TEST

static Suite *stktable_suite(void)
{
	Suite *s = suite_create("stktable");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_freq_window);
	tcase_add_test(tc, test_plan_records);
	tcase_add_test(tc, test_track_and_fetch);
	tcase_add_test(tc, test_changed_table_starts_empty);
	tcase_add_test(tc, test_persist);
	tcase_add_test(tc, test_diagnostics);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(stktable_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
