/*
 * test_uri_norm.c: the normalizers of `http-request normalize-uri`
 * (runtime/http/uri_norm.c). Every expected result below was read from
 * HAProxy 2.6 answering the same target (a frontend with the normalizer
 * and `http-request return ... lf-string "%[url]"`), or is one of
 * HAProxy's own regression cases; NULL means HAProxy answered 400.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "plan-t.h"
#include "uri_norm.h"

#define FULL   PLAN_HR_F_NORM_FULL
#define STRICT PLAN_HR_F_NORM_STRICT

static const struct {
	uint32_t norm, flags;
	const char *in, *want;
} cases[] = {
	{ PLAN_URINORM_MERGE_SLASHES, 0, "//", "/" },
	{ PLAN_URINORM_MERGE_SLASHES, 0, "/foo//bar", "/foo/bar" },
	{ PLAN_URINORM_MERGE_SLASHES, 0, "///foo///bar///", "/foo/bar/" },
	{ PLAN_URINORM_MERGE_SLASHES, 0, "//foo?bar=///", "/foo?bar=///" },
	{ PLAN_URINORM_MERGE_SLASHES, 0, "*", "*" },
	{ PLAN_URINORM_DOT, 0, "/a/b/.", "/a/b/" },
	{ PLAN_URINORM_DOT, 0, "/.", "/" },
	{ PLAN_URINORM_DOT, 0, "//./", "//" },
	{ PLAN_URINORM_DOT, 0, "/a/./.", "/a/" },
	{ PLAN_URINORM_DOT, 0, "/a/.b/./", "/a/.b/" },
	{ PLAN_URINORM_DOT, 0, "/%2e/", "/%2e/" },
	{ PLAN_URINORM_DOT, 0, "/a/.?x=/./", "/a/?x=/./" },
	{ PLAN_URINORM_DOT, 0, "/a/../a", "/a/../a" },
	{ PLAN_URINORM_DOT, 0, "/.well-known/", "/.well-known/" },
	{ PLAN_URINORM_DOTDOT, 0, "/a/b/..", "/a/" },
	{ PLAN_URINORM_DOTDOT, 0, "/a/b/../", "/a/" },
	{ PLAN_URINORM_DOTDOT, 0, "/../..", "/../../" },
	{ PLAN_URINORM_DOTDOT, 0, "/a/../../..", "/../../" },
	{ PLAN_URINORM_DOTDOT, 0, "/..", "/../" },
	{ PLAN_URINORM_DOTDOT, 0, "/a/..b/../c", "/a/c" },
	{ PLAN_URINORM_DOTDOT, 0, "/a//..", "/a/" },
	{ PLAN_URINORM_DOTDOT, 0, "//..", "/" },
	{ PLAN_URINORM_DOTDOT, 0, "/a/b/../../c", "/c" },
	{ PLAN_URINORM_DOTDOT, 0, "/a/b/..?q=/../", "/a/?q=/../" },
	{ PLAN_URINORM_DOTDOT, 0, "/foo/../../bar/", "/../bar/" },
	{ PLAN_URINORM_DOTDOT, 0, "/foo//../../bar/", "/bar/" },
	{ PLAN_URINORM_DOTDOT, 0, "/foo/%2E%2E/", "/foo/%2E%2E/" },
	{ PLAN_URINORM_DOTDOT, FULL, "/a/b/..", "/a/" },
	{ PLAN_URINORM_DOTDOT, FULL, "/../..", "/" },
	{ PLAN_URINORM_DOTDOT, FULL, "/..", "/" },
	{ PLAN_URINORM_DOTDOT, FULL, "/a/../../..", "/" },
	{ PLAN_URINORM_DOTDOT, FULL, "/foo/../../bar/", "/bar/" },
	{ PLAN_URINORM_PCT_DECODE, 0, "/%61%2e%7E%5f%2D", "/a.~_-" },
	{ PLAN_URINORM_PCT_DECODE, 0, "/%3f%3F", "/%3f%3F" },
	{ PLAN_URINORM_PCT_DECODE, 0, "/%", "/%" },
	{ PLAN_URINORM_PCT_DECODE, 0, "/%4", "/%4" },
	{ PLAN_URINORM_PCT_DECODE, 0, "/%zz%41", "/%zzA" },
	{ PLAN_URINORM_PCT_DECODE, 0, "/%%36%36", "/%66" },
	{ PLAN_URINORM_PCT_DECODE, 0, "/?%61=%62", "/?a=b" },
	{ PLAN_URINORM_PCT_DECODE, 0, "/%41%2541", "/A%2541" },
	{ PLAN_URINORM_PCT_DECODE, STRICT, "/%61", "/a" },
	{ PLAN_URINORM_PCT_DECODE, STRICT, "/%zz", NULL },
	{ PLAN_URINORM_PCT_DECODE, STRICT, "/%", NULL },
	{ PLAN_URINORM_PCT_DECODE, STRICT, "/%4", NULL },
	{ PLAN_URINORM_PCT_DECODE, STRICT, "/%%36%36", NULL },
	{ PLAN_URINORM_PCT_DECODE, STRICT, "/?a=%zz", NULL },
	{ PLAN_URINORM_PCT_UPPER, 0, "/%aa%Bb%c", "/%AA%BB%c" },
	{ PLAN_URINORM_PCT_UPPER, 0, "/%", "/%" },
	{ PLAN_URINORM_PCT_UPPER, 0, "/%zz%ab", "/%zz%AB" },
	{ PLAN_URINORM_PCT_UPPER, 0, "/?q=%ab", "/?q=%AB" },
	{ PLAN_URINORM_PCT_UPPER, STRICT, "/%aa", "/%AA" },
	{ PLAN_URINORM_PCT_UPPER, STRICT, "/%zz", NULL },
	{ PLAN_URINORM_PCT_UPPER, STRICT, "/%", NULL },
	{ PLAN_URINORM_PCT_UPPER, STRICT, "/%a", NULL },
	{ PLAN_URINORM_QUERY_SORT, 0, "/?b&a=&a", "/?a=&a&b" },
	{ PLAN_URINORM_QUERY_SORT, 0, "/?&&b&a", "/?&&a&b" },
	{ PLAN_URINORM_QUERY_SORT, 0, "/?b=1&a", "/?a&b=1" },
	{ PLAN_URINORM_QUERY_SORT, 0, "/?", "/?" },
	{ PLAN_URINORM_QUERY_SORT, 0, "/", "/" },
	{ PLAN_URINORM_QUERY_SORT, 0, "/?B&a&_", "/?B&_&a" },
	{ PLAN_URINORM_QUERY_SORT, 0, "/?ab&a=&aa", "/?a=&aa&ab" },
	{ PLAN_URINORM_QUERY_SORT, 0, "/?a=2&a=1", "/?a=2&a=1" },
	{ PLAN_URINORM_QUERY_SORT, 0, "/?a&b&", "/?a&b" },
	{ PLAN_URINORM_QUERY_SORT, 0, "/?b&&a&", "/?&a&b" },
	{ PLAN_URINORM_QUERY_SORT, 0, "/?a=5&b=3&a=1&a=2&b=4",
	  "/?a=5&a=1&a=2&b=3&b=4" },
	{ PLAN_URINORM_QUERY_SORT, 0, "/?aaaa=&a=&aa=&aaa=",
	  "/?a=&aa=&aaa=&aaaa=" },
	{ PLAN_URINORM_FRAGMENT_STRIP, 0, "/#foo", "/" },
	{ PLAN_URINORM_FRAGMENT_STRIP, 0, "/%23foo", "/%23foo" },
	{ PLAN_URINORM_FRAGMENT_ENCODE, 0, "/#foo/#foo", "/%23foo/%23foo" },
	{ PLAN_URINORM_FRAGMENT_ENCODE, 0, "/%23foo", "/%23foo" },
};

START_TEST(t_cases)
{
	char out[256];
	long n = uri_normalize(cases[_i].norm, cases[_i].flags, cases[_i].in,
	                       strlen(cases[_i].in), out, sizeof(out));

	if (!cases[_i].want) {
		ck_assert_msg(n == URI_NORM_INVALID, "case %d '%s': %ld, want 400",
		              _i, cases[_i].in, n);
		return;
	}
	ck_assert_msg(n >= 0, "case %d '%s': %ld", _i, cases[_i].in, n);
	out[n] = '\0';
	ck_assert_msg(!strcmp(out, cases[_i].want), "case %d '%s': '%s', want '%s'",
	              _i, cases[_i].in, out, cases[_i].want);
}
END_TEST

/* The output never passes cap: every prefix size of the room either
 * fits the whole result or says NOSPACE. */
START_TEST(t_room)
{
	static const char in[] = "/a/#b/../c//d?z=%61&a=#";
	char out[128];

	for (uint32_t norm = 0; norm < PLAN_URINORM_MAX; norm++) {
		long whole = uri_normalize(norm, 0, in, sizeof(in) - 1, out,
		                           sizeof(out));

		ck_assert_int_ge(whole, 0);
		for (size_t cap = 0; cap < (size_t)whole; cap++) {
			memset(out, 'X', sizeof(out));
			ck_assert_int_eq(uri_normalize(norm, 0, in, sizeof(in) - 1,
			                               out, cap), URI_NORM_NOSPACE);
			ck_assert_int_eq(out[cap], 'X');
		}
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("uri_norm");
	TCase *tc = tcase_create("normalizers");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, t_cases, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, t_room);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
