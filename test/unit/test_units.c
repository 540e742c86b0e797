/*
 * test_units.c: time, size and integer arguments (compiler/units.c).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

/* A time that must parse to `want` ms with default unit `def`. */
static void time_ok(const char *text, uint32_t def, uint32_t want)
{
	uint32_t ms = 0xdeadbeef;
	const char *err = NULL;
	char msg[256];
	size_t col = 99;

	ck_assert_msg(units_parse_time(text, def, &ms, &err) == 0,
	              "'%s' refused: %s", text, err);
	ck_assert_msg(ms == want, "'%s' gave %u ms, want %u", text, ms, want);
	ms = 0;
	ck_assert_int_eq(units_parse_time_msg(text, def, &ms, msg, sizeof(msg),
	                                      &col), 0);
	ck_assert_uint_eq(ms, want);
}

/* A time that must be refused; the formatted message must contain `part`
 * and point at column `col`. */
static void time_bad(const char *text, const char *part, size_t want_col)
{
	uint32_t ms = 12345;
	const char *err = NULL;
	char msg[256];
	size_t col = 99;

	ck_assert_msg(units_parse_time(text, 1, &ms, &err) == -1,
	              "'%s' accepted as %u ms", text, ms);
	ck_assert_ptr_nonnull(err);
	ck_assert_uint_eq(ms, 12345);   /* untouched on error */
	ck_assert_int_eq(units_parse_time_msg(text, 1, &ms, msg, sizeof(msg),
	                                      &col), -1);
	ck_assert_msg(strstr(msg, part) != NULL, "'%s': message '%s' lacks '%s'",
	              text, msg, part);
	ck_assert_msg(col == want_col, "'%s': column %zu, want %zu", text, col,
	              want_col);
}

static void size_ok(const char *text, uint64_t want)
{
	uint64_t b = 7;
	const char *err = NULL;
	char msg[256];
	size_t col;

	ck_assert_msg(units_parse_size(text, &b, &err) == 0, "'%s' refused: %s",
	              text, err);
	ck_assert_msg(b == want, "'%s' gave %llu, want %llu", text,
	              (unsigned long long)b, (unsigned long long)want);
	ck_assert_int_eq(units_parse_size_msg(text, &b, msg, sizeof(msg), &col), 0);
}

static void size_bad(const char *text, const char *part, size_t want_col)
{
	uint64_t b = 7;
	const char *err = NULL;
	char msg[256];
	size_t col = 99;

	ck_assert_msg(units_parse_size(text, &b, &err) == -1, "'%s' accepted",
	              text);
	ck_assert_ptr_nonnull(err);
	ck_assert_uint_eq(b, 7);
	ck_assert_int_eq(units_parse_size_msg(text, &b, msg, sizeof(msg), &col), -1);
	ck_assert_msg(strstr(msg, part) != NULL, "'%s': message '%s' lacks '%s'",
	              text, msg, part);
	ck_assert_uint_eq(col, want_col);
}

START_TEST(time_every_unit)
{
	time_ok("0", 1, 0);
	time_ok("30000", 1, 30000);
	time_ok("30000ms", 1, 30000);
	time_ok("500000us", 1, 500);
	time_ok("1us", 1, 1);          /* rounds up */
	time_ok("1500us", 1, 2);
	time_ok("0us", 1, 0);
	time_ok("999us", 1, 1);
	time_ok("1000us", 1, 1);
	time_ok("1001us", 1, 2);
	time_ok("10s", 1, 10000);
	time_ok("1m", 1, 60000);
	time_ok("30m", 1, 1800000);
	time_ok("1h", 1, 3600000);
	time_ok("2h", 1, 7200000);
	time_ok("1d", 1, 86400000);
	time_ok("24d", 1, 2073600000);
	time_ok("007s", 1, 7000);
}
END_TEST

START_TEST(time_default_unit)
{
	time_ok("30", 1000, 30000);     /* keyword documented in seconds */
	time_ok("30ms", 1000, 30);      /* an explicit unit wins */
	time_ok("2", 60000, 120000);
	time_ok("5", 0, 5);             /* 0 taken as milliseconds */
}
END_TEST

START_TEST(time_limit)
{
	time_ok("2147483647", 1, 2147483647u);
	time_ok("2147483647ms", 1, 2147483647u);
	time_ok("2147483s", 1, 2147483000u);
	time_ok("35791m", 1, 2147460000u);
	time_ok("596h", 1, 2145600000u);
	time_bad("2147483648", "maximum of 2147483647 ms", 0);
	time_bad("2147484s", "maximum of 2147483647 ms", 0);
	time_bad("25d", "about 24.8 days", 0);
	time_bad("30d", "time '30d' is above", 0);
	time_bad("2147483648000us", "maximum", 0);
	/* 64-bit overflow while multiplying and while scanning */
	time_bad("18446744073709551615d", "maximum", 0);
	time_bad("99999999999999999999999999", "maximum", 0);
}
END_TEST

START_TEST(time_default_unit_overflow)
{
	uint32_t ms;
	const char *err;

	ck_assert_int_eq(units_parse_time("2147484", 1000, &ms, &err), -1);
	ck_assert_int_eq(units_parse_time("2147483", 1000, &ms, &err), 0);
	ck_assert_uint_eq(ms, 2147483000u);
}
END_TEST

START_TEST(time_garbage)
{
	const char *exp = "expected a time such as 30s, 500ms or 2m";

	time_bad("", "found nothing", 0);
	time_bad("10x", "found '10x'", 2);
	time_bad("10x", exp, 2);
	time_bad("-5", "found '-5'", 0);
	time_bad("+5", "found '+5'", 0);
	time_bad("5 s", "found '5 s'", 1);
	time_bad(" 5s", "found ' 5s'", 0);
	time_bad("5s ", "found '5s '", 2);
	time_bad("1.5s", "found '1.5s'", 1);
	time_bad("5S", "found '5S'", 1);     /* units are case-sensitive */
	time_bad("5MS", "found '5MS'", 1);
	time_bad("5sec", "found '5sec'", 2);
	time_bad("5mss", "found '5mss'", 3);
	time_bad("5ss", "found '5ss'", 2);
	time_bad("5u", "found '5u'", 1);
	time_bad("5usx", "found '5usx'", 3);
	time_bad("s", "found 's'", 0);
	time_bad("ms", "found 'ms'", 0);
	time_bad("0x10", "found '0x10'", 1);
	time_bad("1e3", "found '1e3'", 1);
}
END_TEST

/* HAProxy 3.5: bytes after a complete unit are ignored (it warns), the
 * value is what precedes them; without a unit or with a bad one it is still
 * an error, and the strict reader still refuses them all. */
static void time_lax(const char *text, uint32_t want, size_t want_trail)
{
	uint32_t ms = 7;
	char msg[256];
	size_t col = 99, trail = 99;

	ck_assert_int_eq(units_parse_time_lax(text, 1, &ms, msg, sizeof(msg),
	                                      &col, &trail), 0);
	ck_assert_uint_eq(ms, want);
	ck_assert_uint_eq(trail, want_trail);
	if (want_trail)
		ck_assert_int_eq(units_parse_time_msg(text, 1, &ms, msg,
		                                      sizeof(msg), &col), -1);
}

START_TEST(time_trailing_after_unit)
{
	uint32_t ms;
	char msg[256];
	size_t col, trail;

	time_lax("15min", 15 * 60000u, 3);
	time_lax("10sec", 10000u, 3);
	time_lax("5hr", 5 * 3600000u, 2);
	time_lax("2s$X", 2000u, 2);
	time_lax("1h30m", 3600000u, 2);
	time_lax("100ms", 100u, 0);
	time_lax("42", 42u, 0);
	ck_assert_int_eq(units_parse_time_lax("30M", 1, &ms, msg, sizeof(msg),
	                                      &col, &trail), -1);
	ck_assert_uint_eq(col, 2);
	ck_assert_int_eq(units_parse_time_lax("1.5s", 1, &ms, msg, sizeof(msg),
	                                      &col, &trail), -1);
	ck_assert_int_eq(units_parse_time_lax("200ns", 1, &ms, msg, sizeof(msg),
	                                      &col, &trail), -1);
	ck_assert_int_eq(units_parse_time_lax("25dx", 1, &ms, msg, sizeof(msg),
	                                      &col, &trail), -1);   /* overflow */
}
END_TEST

START_TEST(time_static_messages)
{
	uint32_t ms;
	const char *err = NULL;

	ck_assert_int_eq(units_parse_time("10x", 1, &ms, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "us, ms, s, m, h, d"));
	ck_assert_int_eq(units_parse_time("", 1, &ms, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "found nothing"));
	ck_assert_int_eq(units_parse_time("30d", 1, &ms, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "2147483647 ms"));
	ck_assert_int_eq(units_parse_time("-1", 1, &ms, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "digit"));
}
END_TEST

/* Every time value of the corpus file valid/028-time-units.cfg. */
START_TEST(time_corpus_values)
{
	time_ok("500000us", 1, 500);
	time_ok("30000", 1, 30000);
	time_ok("30000ms", 1, 30000);
	time_ok("1m", 1, 60000);
	time_ok("1h", 1, 3600000);
	time_ok("10s", 1, 10000);
	time_ok("2s", 1, 2000);
	time_ok("1s", 1, 1000);
	time_ok("15s", 1, 15000);
	time_ok("24d", 1, 2073600000u);
	time_ok("2h", 1, 7200000);
	time_ok("1d", 1, 86400000);
	time_ok("500ms", 1, 500);
	time_ok("30s", 1, 30000);
	time_ok("1000", 1, 1000);
	/* valid/029: stick-table expire values */
	time_ok("30m", 1, 1800000);
	/* the invalid/ files about times */
	time_bad("1.5s", "found '1.5s'", 1);  /* 115-time-decimal */
	time_bad("", "found nothing", 0);     /* 116-time-missing-value */
	time_bad("30d", "maximum", 0);        /* 118-time-overflow */
	time_bad("5 s", "found", 1);          /* 119: as one word */
	time_bad("10x", "found '10x'", 2);    /* 121-time-unknown-unit */
	time_bad("5S", "found '5S'", 1);      /* 122-time-uppercase-unit */
}
END_TEST

START_TEST(size_every_unit)
{
	size_ok("0", 0);
	size_ok("256", 256);
	size_ok("1048576", 1048576);
	size_ok("32k", 32768);
	size_ok("4K", 4096);
	size_ok("1m", 1048576);
	size_ok("1M", 1048576);
	size_ok("100k", 102400);
	size_ok("1g", 1073741824ULL);
	size_ok("1G", 1073741824ULL);
	size_ok("20000", 20000);
	size_ok("128", 128);
	size_ok("16383g", 16383ULL << 30);
	size_ok("18446744073709551615", UINT64_MAX);
	size_ok("17179869183g", 17179869183ULL << 30);
}
END_TEST

START_TEST(size_errors)
{
	const char *exp = "expected a size such as 512, 16k, 10m or 1g";

	size_bad("", "found nothing", 0);
	size_bad("10q", "found '10q'", 2);     /* invalid/094-size-unknown-unit */
	size_bad("10q", exp, 2);
	size_bad("-1", "found '-1'", 0);
	size_bad("1.5k", "found '1.5k'", 1);
	size_bad("1kb", "found '1kb'", 2);
	size_bad("1 k", "found '1 k'", 1);
	size_bad("1t", "found '1t'", 1);
	size_bad("k", "found 'k'", 0);
	size_bad("18446744073709551616", "too large", 0);
	size_bad("17179869184g", "too large", 0);
	size_bad("99999999999999999999999k", "too large", 0);
}
END_TEST

START_TEST(uint_range)
{
	uint64_t v = 3;
	const char *err = NULL;
	char msg[128];
	size_t col = 9;

	ck_assert_int_eq(units_parse_uint("256", 0, 256, &v, &err), 0);
	ck_assert_uint_eq(v, 256);
	ck_assert_int_eq(units_parse_uint("0", 0, 256, &v, &err), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(units_parse_uint("257", 0, 256, &v, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "range"));
	ck_assert_int_eq(units_parse_uint("0", 1, 10, &v, &err), -1);
	ck_assert_int_eq(units_parse_uint("", 0, 10, &v, &err), -1);
	ck_assert_int_eq(units_parse_uint("-1", 0, 10, &v, &err), -1);
	ck_assert_int_eq(units_parse_uint("1a", 0, 10, &v, &err), -1);
	ck_assert_int_eq(units_parse_uint("18446744073709551615", 0, UINT64_MAX,
	                                  &v, &err), 0);
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert_int_eq(units_parse_uint("18446744073709551616", 0, UINT64_MAX,
	                                  &v, &err), -1);
	ck_assert_int_eq(units_parse_uint_msg("300", 0, 256, &v, msg, sizeof(msg),
	                                      &col), -1);
	ck_assert_str_eq(msg, "expected an integer between 0 and 256, found '300'");
	ck_assert_int_eq(units_parse_uint_msg("12ab", 0, 256, &v, msg,
	                                      sizeof(msg), &col), -1);
	ck_assert_uint_eq(col, 2);
}
END_TEST

START_TEST(msg_truncates_safely)
{
	char msg[8];
	uint32_t ms;
	size_t col;

	ck_assert_int_eq(units_parse_time_msg("10x", 1, &ms, msg, sizeof(msg),
	                                      &col), -1);
	ck_assert_uint_eq(strlen(msg), sizeof(msg) - 1);
}
END_TEST

/* Random text: never a crash, and an accepted value is within limits. */
START_TEST(random_text)
{
	static const char alphabet[] = "0123456789usmhdkKgG .-+x";
	uint32_t rnd = 777;
	char text[32], msg[128];

	for (int iter = 0; iter < 50000; iter++) {
		size_t len, col = 99;
		uint32_t ms = 0;
		uint64_t b = 0;

		rnd = rnd * 1103515245u + 12345u;
		len = (rnd >> 16) % 24;
		for (size_t i = 0; i < len; i++) {
			rnd = rnd * 1103515245u + 12345u;
			text[i] = alphabet[(rnd >> 16) % (sizeof(alphabet) - 1)];
		}
		text[len] = 0;
		/* ck_abort only on failure: Check's assertions are slow */
		if (units_parse_time_msg(text, 1000, &ms, msg, sizeof(msg), &col) == 0) {
			if (ms > UNITS_TIME_MAX_MS)
				ck_abort_msg("'%s' gave %u ms", text, ms);
		} else if (col > len) {
			ck_abort_msg("'%s': column %zu", text, col);
		}
		if (units_parse_size_msg(text, &b, msg, sizeof(msg), &col) != 0 &&
		    col > len)
			ck_abort_msg("'%s': column %zu", text, col);
	}
}
END_TEST

static Suite *units_suite(void)
{
	Suite *s = suite_create("units");
	TCase *t = tcase_create("time");

	tcase_add_test(t, time_every_unit);
	tcase_add_test(t, time_default_unit);
	tcase_add_test(t, time_limit);
	tcase_add_test(t, time_default_unit_overflow);
	tcase_add_test(t, time_garbage);
	tcase_add_test(t, time_static_messages);
	tcase_add_test(t, time_trailing_after_unit);
	tcase_add_test(t, time_corpus_values);
	suite_add_tcase(s, t);
	t = tcase_create("size");
	tcase_add_test(t, size_every_unit);
	tcase_add_test(t, size_errors);
	tcase_add_test(t, uint_range);
	tcase_add_test(t, msg_truncates_safely);
	tcase_add_test(t, random_text);
	tcase_set_timeout(t, 60);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(units_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
