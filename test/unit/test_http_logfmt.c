/*
 * test_http_logfmt.c: parsing a log format into items (http_logfmt.c):
 * text, separators collapsed, %%, variables with %{+Q}/%{+X} and %o's
 * defaults, and refusal of what cfgrun does not render.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_logfmt.h"

/* The items of f as a string: T'text' S V(name,q,x). */
static const char *shape(const char *fmt)
{
	static char out[512];
	struct http_lf f;
	char err[128];
	size_t n = 0;

	ck_assert_msg(http_lf_parse(fmt, &f, err, sizeof(err)) == 0, "%s", err);
	out[0] = '\0';
	for (uint32_t i = 0; i < f.n; i++) {
		const struct http_lf_item *it = &f.items[i];

		if (it->kind == HTTP_LF_TEXT)
			n += (size_t)snprintf(out + n, sizeof(out) - n, "T'%.*s'",
			                      (int)it->len, it->text);
		else if (it->kind == HTTP_LF_SEP)
			n += (size_t)snprintf(out + n, sizeof(out) - n, "S");
		else
			n += (size_t)snprintf(out + n, sizeof(out) - n, "V%u%s%s",
			                      it->var, it->quote ? "q" : "",
			                      it->hex ? "x" : "");
	}
	free(f.items);
	return out;
}

START_TEST(test_items)
{
	char want[256];

	/* runs of spaces are one separator; "%%" is a '%' of its own */
	snprintf(want, sizeof(want), "T'a'SV%dT':'V%dST'100'T'%%'T'x'",
	         HTTP_LFV_CI, HTTP_LFV_CP);
	ck_assert_str_eq(shape("a   %ci:%cp 100%%x"), want);
	/* flags on one item; %o sets them for the items after it */
	snprintf(want, sizeof(want), "V%dqSV%dSV%dqxSV%dx", HTTP_LFV_R,
	         HTTP_LFV_HU, HTTP_LFV_TS, HTTP_LFV_RT);
	ck_assert_str_eq(shape("%{+Q}r %HU %{+X}o%{+Q}Ts %rt"), want);
	snprintf(want, sizeof(want), "V%dxT'_'V%d", HTTP_LFV_CI, HTTP_LFV_PID);
	ck_assert_str_eq(shape("%{+X}o%ci_%{-X}pid"), want);
	/* the longest run of letters names the variable */
	snprintf(want, sizeof(want), "V%dV%dT'/'V%d", HTTP_LFV_HRL, HTTP_LFV_TSC,
	         HTTP_LFV_TQ);
	ck_assert_str_eq(shape("%hrl%tsc/%Tq"), want);
	ck_assert_str_eq(shape(""), "");
}
END_TEST

START_TEST(test_refused)
{
	static const char *const bad[] = {
		"%[src", "%bi", "%{+E}ci", "%(n)ci", "%", "%{+Q", "%zz",
	};
	struct http_lf f;
	char err[128];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(http_lf_parse(bad[i], &f, err, sizeof(err)) < 0,
		              "'%s' parsed", bad[i]);
		ck_assert_ptr_null(f.items);
		ck_assert_ptr_nonnull(strstr(err, "cannot run log format"));
	}
	ck_assert_int_eq(http_lf_var_known("ID", 2), HTTP_LFV_ID);
	ck_assert_int_eq(http_lf_var_known("IDx", 3), -1);
}
END_TEST

static Suite *logfmt_suite(void)
{
	Suite *s = suite_create("http_logfmt");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_items);
	tcase_add_test(tc, test_refused);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(logfmt_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
