/*
 * test_balance.c: smooth weighted round robin (runtime/balance.c) over a
 * real verified plan, and the object pool (runtime/pool.c).
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "balance.h"
#include "plan.h"
#include "pool.h"

static struct plan bal_view;          /* the plan of the current test */

/* A backend of n servers with the given weights (a family of NONE for
 * weights given as -1), mapped into `rt` with zeroed running state. */
static uint8_t *bal_plan(struct runtime *rt, const int *weights, unsigned n)
{
	struct plan_builder *b = plan_builder_new();
	struct plan_global *g;
	struct plan_proxy *px;
	uint8_t *buf;
	size_t len;
	char detail[200] = "";

	ck_assert_ptr_nonnull(b);
	plan_builder_add(b, PLAN_SEC_GLOBAL);
	for (unsigned i = 0; i < n; i++) {
		char name[8];
		struct plan_str s;
		struct plan_server *sv;
		struct sockaddr_in *in;

		snprintf(name, sizeof(name), "s%u", i);
		s = plan_builder_str(b, name, strlen(name));
		sv = plan_builder_at(b, PLAN_SEC_SERVER,
		                     plan_builder_add(b, PLAN_SEC_SERVER));
		sv->proxy = 0;
		sv->line = 1 + i;
		sv->name = s;
		sv->weight = weights[i] < 0 ? 1 : (uint32_t)weights[i];
		if (weights[i] >= 0) {
			in = (struct sockaddr_in *)sv->addr.sa;
			in->sin_family = AF_INET;
			in->sin_port = htons((uint16_t)(9000 + i));
			in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			sv->addr.family = PLAN_FAM_INET;
			sv->addr.salen = sizeof(*in);
		}
	}
	{
		struct plan_str s = plan_builder_str(b, "be", 2);

		px = plan_builder_at(b, PLAN_SEC_PROXY,
		                     plan_builder_add(b, PLAN_SEC_PROXY));
		px->name = s;
	}
	px->cap = PLAN_CAP_BE;
	px->default_backend = PLAN_NONE;
	px->nservers = n;
	px->line = 1;
	g = plan_builder_at(b, PLAN_SEC_GLOBAL, 0);
	g->nproxies = 1;
	g->source = plan_builder_str(b, "t.cfg", 5);
	ck_assert_int_eq(plan_builder_finish(b, &buf, &len), 0);
	plan_builder_free(b);
	memset(rt, 0, sizeof(*rt));
	rt->plan = &bal_view;
	ck_assert_msg(plan_verify(buf, len, rt->plan, detail, sizeof(detail)) ==
	              PLAN_E_OK, "sample plan refused: %s", detail);
	rt->servers = calloc(n, sizeof(*rt->servers));
	ck_assert_ptr_nonnull(rt->servers);
	return buf;
}

/* `n` picks as a string of server digits, '-' for PLAN_NONE. */
static void bal_run(struct runtime *rt, unsigned n, char *out)
{
	for (unsigned i = 0; i < n; i++) {
		uint32_t s = balance_pick(rt, 0);

		out[i] = s == PLAN_NONE ? '-' : (char)('0' + s);
	}
	out[n] = '\0';
}

START_TEST(equal_weights_take_turns)
{
	static const int w[] = { 1, 1, 1 };
	struct runtime rt;
	uint8_t *buf = bal_plan(&rt, w, 3);
	char seq[16];

	bal_run(&rt, 9, seq);
	ck_assert_str_eq(seq, "012012012");
	free(rt.servers);
	free(buf);
}
END_TEST

START_TEST(weights_are_proportional_and_interleaved)
{
	static const int w[] = { 5, 1, 1 };
	struct runtime rt;
	uint8_t *buf = bal_plan(&rt, w, 3);
	char seq[16];

	bal_run(&rt, 7, seq);
	/* nginx's classic example: a a b a c a a */
	ck_assert_str_eq(seq, "0010200");
	bal_run(&rt, 7, seq);
	ck_assert_str_eq(seq, "0010200");
	free(rt.servers);
	free(buf);
}
END_TEST

START_TEST(weight_zero_and_no_address_are_skipped)
{
	static const int w[] = { 0, 2, -1, 1 };
	struct runtime rt;
	uint8_t *buf = bal_plan(&rt, w, 4);
	char seq[16];

	bal_run(&rt, 6, seq);
	ck_assert_ptr_null(strchr(seq, '0'));
	ck_assert_ptr_null(strchr(seq, '2'));
	ck_assert_str_eq(seq, "131131");
	free(rt.servers);
	free(buf);
}
END_TEST

START_TEST(no_eligible_server_gives_none)
{
	static const int w[] = { 0, 0 };
	struct runtime rt;
	uint8_t *buf = bal_plan(&rt, w, 2);

	ck_assert_uint_eq(balance_pick(&rt, 0), PLAN_NONE);
	free(rt.servers);
	free(buf);
}
END_TEST

START_TEST(pool_reuses_and_bounds_its_free_list)
{
	struct pool p;
	void *a, *b, *c;

	pool_init(&p, 64, 1);
	a = pool_get(&p);
	b = pool_get(&p);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(p.used, 2);
	pool_put(&p, a);
	pool_put(&p, b);           /* beyond max_free: freed */
	ck_assert_uint_eq(p.nfree, 1);
	ck_assert_uint_eq(p.used, 0);
	c = pool_get(&p);
	ck_assert_ptr_eq(c, a);    /* the kept object comes back */
	pool_put(&p, c);
	pool_put(&p, NULL);
	pool_drain(&p);
	ck_assert_uint_eq(p.nfree, 0);
	ck_assert_ptr_null(p.free);
}
END_TEST

static Suite *balance_suite(void)
{
	Suite *s = suite_create("balance");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, equal_weights_take_turns);
	tcase_add_test(tc, weights_are_proportional_and_interleaved);
	tcase_add_test(tc, weight_zero_and_no_address_are_skipped);
	tcase_add_test(tc, no_eligible_server_gives_none);
	tcase_add_test(tc, pool_reuses_and_bounds_its_free_list);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(balance_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
