/*
 * test_diag_json.c: JSON string escaping, UTF-8 checking and the exact
 * JSON and SARIF documents for a small queue.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "diag_json.h"

/* What `fn` writes, as a malloc'd string. */
#define CAPTURE(buf, call) do {                                        \
	size_t len_ = 0;                                               \
	FILE *out = open_memstream(&(buf), &len_);                     \
	ck_assert_ptr_nonnull(out);                                    \
	call;                                                          \
	ck_assert_int_eq(fclose(out), 0);                              \
} while (0)

static char *json_of(const char *s)
{
	char *buf = NULL;

	CAPTURE(buf, diag_json_string(out, s));
	return buf;
}

static void check_json(const char *in, const char *want)
{
	char *got = json_of(in);

	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(test_escapes)
{
	check_json("plain", "\"plain\"");
	check_json("", "\"\"");
	check_json("a\"b\\c", "\"a\\\"b\\\\c\"");
	check_json("t\tn\nr\r", "\"t\\tn\\nr\\r\"");
	check_json("\x01\x1f\x7f", "\"\\u0001\\u001F\\u007F\"");
	check_json("\b\f", "\"\\u0008\\u000C\"");
	/* U+2028 LINE SEPARATOR is escaped for JavaScript readers */
	check_json("a\xe2\x80\xa8z", "\"a\\u2028z\"");
}
END_TEST

START_TEST(test_utf8_passthrough_and_invalid)
{
	/* é, €, 😀 pass through unchanged */
	check_json("\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	           "\"\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	/* lone continuation byte, truncated sequence, overlong '/',
	 * surrogate, beyond U+10FFFF, 0xff */
	check_json("\x80", "\"\\\\x80\"");
	check_json("a\xc3", "\"a\\\\xC3\"");
	check_json("\xc0\xaf", "\"\\\\xC0\\\\xAF\"");
	check_json("\xed\xa0\x80", "\"\\\\xED\\\\xA0\\\\x80\"");
	check_json("\xf4\x90\x80\x80", "\"\\\\xF4\\\\x90\\\\x80\\\\x80\"");
	check_json("\xff" "ok", "\"\\\\xFFok\"");
	/* an invalid byte does not swallow the valid text after it */
	check_json("\xe2\x82" "A\xe2\x82\xac", "\"\\\\xE2\\\\x82A\xe2\x82\xac\"");
}
END_TEST

START_TEST(test_utf8_len)
{
	ck_assert_uint_eq(diag_utf8_len((const unsigned char *)"A", 1), 1);
	ck_assert_uint_eq(diag_utf8_len((const unsigned char *)"\xc3\xa9", 2), 2);
	ck_assert_uint_eq(diag_utf8_len((const unsigned char *)"\xc3\xa9", 1), 0);
	ck_assert_uint_eq(diag_utf8_len((const unsigned char *)"\xe0\x80\x80", 3), 0);
	ck_assert_uint_eq(diag_utf8_len((const unsigned char *)"\xe0\xa0\x80", 3), 3);
	ck_assert_uint_eq(diag_utf8_len((const unsigned char *)"\xf4\x8f\xbf\xbf", 4), 4);
	ck_assert_uint_eq(diag_utf8_len((const unsigned char *)"\xf5\x80\x80\x80", 4), 0);
}
END_TEST

static void small_queue(struct diag_ctx *dc)
{
	const char *src = "frontend f\xc3\xa9\n    bind :80 x\n";
	char *t = strdup(src);
	uint32_t f;

	ck_assert_ptr_nonnull(t);
	diag_init(dc);
	f = diag_add_file(dc, "dir/a b.cfg", t, strlen(src));
	diag_error(dc, &(struct src_loc){ f, 2, 14, 15 }, "extra-argument",
	           "'bind' found \"%s\"", "x");
	diag_hint(dc, "remove it");
	diag_warning(dc, &(struct src_loc){ f, 1, 13, 14 }, "no-bind", "w");
	diag_error(dc, NULL, "io", "run-wide");
}

START_TEST(test_json_document)
{
	struct diag_ctx dc;
	char *buf = NULL;

	small_queue(&dc);
	CAPTURE(buf, ck_assert_int_eq(diag_print_json(&dc, out), 0));
	ck_assert_str_eq(buf,
		"{\"diagnostics\": [\n"
		"    {\"severity\": \"error\", \"code\": \"extra-argument\", "
		"\"message\": \"'bind' found \\\"x\\\"\",\n"
		"     \"file\": \"dir/a b.cfg\", \"line\": 2, \"column\": 14, "
		"\"end_column\": 15,\n"
		"     \"hints\": [\"remove it\"]},\n"
		"    {\"severity\": \"warning\", \"code\": \"no-bind\", "
		"\"message\": \"w\",\n"
		"     \"file\": \"dir/a b.cfg\", \"line\": 1, \"column\": 13, "
		"\"end_column\": 14,\n"
		"     \"hints\": []},\n"
		"    {\"severity\": \"error\", \"code\": \"io\", "
		"\"message\": \"run-wide\",\n"
		"     \"file\": null, \"line\": null, \"column\": null, "
		"\"end_column\": null,\n"
		"     \"hints\": []}\n"
		" ],\n"
		" \"errors\": 2, \"warnings\": 1, \"not_shown\": 0, "
		"\"werror\": false}\n");
	free(buf);
	diag_free(&dc);
}
END_TEST

START_TEST(test_json_empty_and_not_shown)
{
	struct diag_ctx dc;
	char *buf = NULL;

	diag_init(&dc);
	CAPTURE(buf, diag_print_json(&dc, out));
	ck_assert_str_eq(buf, "{\"diagnostics\": [],\n \"errors\": 0, "
	                 "\"warnings\": 0, \"not_shown\": 0, \"werror\": false}\n");
	free(buf);
	dc.max_errors = 1;
	diag_error(&dc, NULL, "a", "one");
	diag_error(&dc, NULL, "a", "two");
	diag_error(&dc, NULL, "a", "three");
	CAPTURE(buf, diag_print_json(&dc, out));
	ck_assert_ptr_nonnull(strstr(buf, "\"errors\": 3, \"warnings\": 0, "
	                             "\"not_shown\": 2"));
	ck_assert_ptr_null(strstr(buf, "two"));
	free(buf);
	CAPTURE(buf, diag_print_sarif(&dc, out, "1"));
	ck_assert_ptr_nonnull(strstr(buf, "\"2 more errors not shown\""));
	free(buf);
	diag_free(&dc);
}
END_TEST

START_TEST(test_sarif_document)
{
	struct diag_ctx dc;
	char *buf = NULL;

	small_queue(&dc);
	CAPTURE(buf, ck_assert_int_eq(diag_print_sarif(&dc, out, "9.9"), 0));
	ck_assert_ptr_nonnull(strstr(buf, "\"version\": \"2.1.0\""));
	ck_assert_ptr_nonnull(strstr(buf, "\"$schema\": "));
	ck_assert_ptr_nonnull(strstr(buf, "\"name\": \"cfgc\", \"version\": \"9.9\""));
	/* rules in order of first use, results pointing at them */
	ck_assert_ptr_nonnull(strstr(buf, "{\"id\": \"extra-argument\""));
	ck_assert_ptr_nonnull(strstr(buf, "\"ruleId\": \"no-bind\", \"ruleIndex\": 1"));
	ck_assert_ptr_nonnull(strstr(buf, "\"ruleId\": \"io\", \"ruleIndex\": 2"));
	/* hints follow the message; the path is a percent-encoded URI */
	ck_assert_ptr_nonnull(strstr(buf, "\"text\": \"'bind' found \\\"x\\\"\\nnote: remove it\""));
	ck_assert_ptr_nonnull(strstr(buf, "\"uri\": \"dir/a%20b.cfg\""));
	ck_assert_ptr_nonnull(strstr(buf, "\"region\": {\"startLine\": 2, "
	                             "\"startColumn\": 14, \"endColumn\": 15}"));
	/* "é" is two bytes but one code point: byte column 13 (the end of
	 * "frontend fé") is column 12 */
	ck_assert_ptr_nonnull(strstr(buf, "\"region\": {\"startLine\": 1, "
	                             "\"startColumn\": 12, \"endColumn\": 13}"));
	ck_assert_ptr_nonnull(strstr(buf, "\"level\": \"warning\""));
	/* the run-wide error has no location at all */
	ck_assert_ptr_nonnull(strstr(buf, "\"message\": {\"text\": \"run-wide\"}}"));
	free(buf);
	diag_free(&dc);
}
END_TEST

static Suite *diag_json_suite(void)
{
	Suite *s = suite_create("diag_json");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_escapes);
	tcase_add_test(tc, test_utf8_passthrough_and_invalid);
	tcase_add_test(tc, test_utf8_len);
	tcase_add_test(tc, test_json_document);
	tcase_add_test(tc, test_json_empty_and_not_shown);
	tcase_add_test(tc, test_sarif_document);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(diag_json_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
