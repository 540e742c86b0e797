/*
 * test_diag.c: exact printed text of queued diagnostics.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* diag_print() into a malloc'd string. */
static char *print_all(const struct diag_ctx *dc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	diag_print(dc, f);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

static uint32_t add_text(struct diag_ctx *dc, const char *path, const char *s)
{
	char *t = strdup(s);

	ck_assert_ptr_nonnull(t);
	return diag_add_file(dc, path, t, strlen(s));
}

static struct src_loc loc(uint32_t file, uint32_t line, uint32_t col,
                          uint32_t end_col)
{
	struct src_loc l = { .file = file, .line = line, .col = col,
	                     .end_col = end_col };
	return l;
}

START_TEST(test_error_with_code_and_hint)
{
	struct diag_ctx dc;
	struct src_loc l;
	uint32_t f;
	char *s;

	diag_init(&dc);
	f = add_text(&dc, "a.cfg", "backend be\n    balance roundrobbin\n");
	l = loc(f, 2, 13, 24);
	diag_error(&dc, &l, "unknown-algorithm", "unknown balance algorithm '%s'",
	           "roundrobbin");
	diag_hint(&dc, "did you mean '%s'?", "roundrobin");
	s = print_all(&dc);
	ck_assert_str_eq(s,
		"a.cfg:2:13: error[unknown-algorithm]: unknown balance algorithm 'roundrobbin'\n"
		"    balance roundrobbin\n"
		"            ^~~~~~~~~~~\n"
		"a.cfg:2:13: note: did you mean 'roundrobin'?\n");
	ck_assert_int_eq(diag_failed(&dc), 1);
	ck_assert_uint_eq(dc.nerrors, 1);
	free(s);
	diag_free(&dc);
}
END_TEST

START_TEST(test_tabs_are_copied)
{
	struct diag_ctx dc;
	struct src_loc l;
	uint32_t f;
	char *s;

	diag_init(&dc);
	f = add_text(&dc, "t.cfg", "frontend fe\n\tbind\t:80 foo\n");
	l = loc(f, 2, 11, 14);
	diag_warning(&dc, &l, NULL, "ignored option");
	s = print_all(&dc);
	ck_assert_str_eq(s,
		"t.cfg:2:11: warning: ignored option\n"
		"\tbind\t:80 foo\n"
		"\t    \t    ^~~\n");
	ck_assert_int_eq(diag_failed(&dc), 0);
	dc.werror = 1;
	ck_assert_int_eq(diag_failed(&dc), 1);
	free(s);
	diag_free(&dc);
}
END_TEST

START_TEST(test_crlf_line)
{
	struct diag_ctx dc;
	struct src_loc l;
	const char *line;
	size_t len;
	uint32_t f;
	char *s;

	diag_init(&dc);
	f = add_text(&dc, "w.cfg", "global\r\n  maxconn x\r\n");
	line = diag_source_line(&dc, f, 2, &len);
	ck_assert_ptr_nonnull(line);
	ck_assert_uint_eq(len, 11);
	l = loc(f, 2, 11, 12);
	diag_error(&dc, &l, NULL, "expected a number");
	s = print_all(&dc);
	ck_assert_str_eq(s,
		"w.cfg:2:11: error: expected a number\n"
		"  maxconn x\n"
		"          ^\n");
	free(s);
	diag_free(&dc);
}
END_TEST

START_TEST(test_no_location_and_file_wide)
{
	struct diag_ctx dc;
	struct src_loc l;
	uint32_t f;
	char *s;

	diag_init(&dc);
	f = add_text(&dc, "e.cfg", "");
	diag_error(&dc, NULL, NULL, "cannot open '%s': %s", "x.cfg",
	           "No such file or directory");
	l = loc(f, 0, 0, 0);
	diag_report(&dc, DIAG_NOTE, &l, "empty", "file is empty");
	diag_hint(&dc, "add a section");
	diag_set_progname("cfgrun");
	diag_report(&dc, DIAG_WARNING, NULL, NULL, "run-wide");
	s = print_all(&dc);
	diag_set_progname(NULL);
	ck_assert_str_eq(s,
		"cfgrun: error: cannot open 'x.cfg': No such file or directory\n"
		"e.cfg: note[empty]: file is empty\n"
		"e.cfg: note: add a section\n"
		"cfgrun: warning: run-wide\n");
	free(s);
	diag_free(&dc);
}
END_TEST

START_TEST(test_marker_clipped_at_end_of_line)
{
	struct diag_ctx dc;
	struct src_loc l;
	uint32_t f;
	char *s;

	diag_init(&dc);
	/* No trailing newline; the span runs past the line, and a second
	 * diagnostic points one past the end. */
	f = add_text(&dc, "c.cfg", "mode htt");
	l = loc(f, 1, 6, 40);
	diag_error(&dc, &l, NULL, "bad mode");
	l = loc(f, 1, 30, 30);
	diag_error(&dc, &l, NULL, "expected end");
	s = print_all(&dc);
	ck_assert_str_eq(s,
		"c.cfg:1:6: error: bad mode\n"
		"mode htt\n"
		"     ^~~\n"
		"c.cfg:1:30: error: expected end\n"
		"mode htt\n"
		"        ^\n");
	free(s);
	diag_free(&dc);
}
END_TEST

START_TEST(test_max_errors)
{
	struct diag_ctx dc;
	struct src_loc l;
	uint32_t f;
	char *s;
	int i;

	diag_init(&dc);
	dc.max_errors = 2;
	f = add_text(&dc, "m.cfg", "x\n");
	l = loc(f, 1, 1, 2);
	for (i = 0; i < 5; i++) {
		diag_error(&dc, &l, NULL, "error %d", i);
		diag_hint(&dc, "hint %d", i);
		diag_warning(&dc, &l, NULL, "warning %d", i);
	}
	ck_assert_uint_eq(dc.nerrors, 5);
	ck_assert_uint_eq(dc.nwarnings, 5);
	s = print_all(&dc);
	ck_assert_str_eq(s,
		"m.cfg:1:1: error: error 0\nx\n^\nm.cfg:1:1: note: hint 0\n"
		"m.cfg:1:1: warning: warning 0\nx\n^\n"
		"m.cfg:1:1: error: error 1\nx\n^\nm.cfg:1:1: note: hint 1\n"
		"m.cfg:1:1: warning: warning 1\nx\n^\n"
		"m.cfg:1:1: warning: warning 2\nx\n^\n"
		"m.cfg:1:1: warning: warning 3\nx\n^\n"
		"m.cfg:1:1: warning: warning 4\nx\n^\n"
		"cfgc: note: 3 more errors not shown\n");
	free(s);
	diag_free(&dc);
}
END_TEST

/* 80,000 diagnostics, one per line of an 80,000-line file: the line starts
 * are found once (the file's length in bytes read), not once per
 * diagnostic (which read about 80,000 * 40 * 80,000 / 2 bytes and took
 * 18.7 s in cfgc); every printed line is still the right one. */
START_TEST(test_many_diagnostics_linear)
{
	enum { N = 80000 };
	struct diag_ctx dc;
	size_t len = 0, cap = (size_t)N * 24 + 1;
	char *text = malloc(cap), *out;
	uint32_t f;

	ck_assert_ptr_nonnull(text);
	for (unsigned i = 1; i <= N; i++)
		len += (size_t)snprintf(text + len, cap - len, "    bad%u x\n", i);
	diag_init(&dc);
	f = diag_add_file(&dc, "big.cfg", text, len);
	ck_assert_uint_eq(dc.files[f].scanned, len);
	for (uint32_t i = 1; i <= N; i++) {
		struct src_loc l = loc(f, i, 5, 8);

		diag_error(&dc, &l, "unknown-keyword", "unknown");
	}
	out = print_all(&dc);
	ck_assert_uint_eq(dc.files[f].scanned, len);
	ck_assert_ptr_nonnull(strstr(out, "big.cfg:1:5: error[unknown-keyword]: "
	                             "unknown\n    bad1 x\n"));
	ck_assert_ptr_nonnull(strstr(out, "big.cfg:80000:5: error[unknown-keyword]: "
	                             "unknown\n    bad80000 x\n"));
	free(out);
	/* the last line (after the final newline) exists and is empty;
	 * one more does not */
	size_t ll = 9;
	ck_assert_ptr_nonnull(diag_source_line(&dc, f, N + 1, &ll));
	ck_assert_uint_eq(ll, 0);
	ck_assert_ptr_null(diag_source_line(&dc, f, N + 2, &ll));
	/* a replaced text is indexed again */
	diag_replace_text(&dc, f, strdup("a\nbc\n"), 5);
	ck_assert_ptr_nonnull(diag_source_line(&dc, f, 2, &ll));
	ck_assert_uint_eq(ll, 2);
	ck_assert_ptr_null(diag_source_line(&dc, f, 4, &ll));
	diag_free(&dc);
}
END_TEST

START_TEST(test_source_line_lookup)
{
	struct diag_ctx dc;
	const char *p;
	size_t len;
	uint32_t f;

	diag_init(&dc);
	f = add_text(&dc, "l.cfg", "one\ntwo\n");
	p = diag_source_line(&dc, f, 1, &len);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(len, 3);
	ck_assert_int_eq(memcmp(p, "one", 3), 0);
	p = diag_source_line(&dc, f, 2, &len);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(memcmp(p, "two", 3), 0);
	p = diag_source_line(&dc, f, 3, &len);   /* empty line after the last \n */
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(len, 0);
	ck_assert_ptr_null(diag_source_line(&dc, f, 4, &len));
	ck_assert_ptr_null(diag_source_line(&dc, f, 0, &len));
	ck_assert_ptr_null(diag_source_line(&dc, f + 1, 1, &len));
	ck_assert_uint_eq(dc.nfiles, 1);
	ck_assert_str_eq(dc.files[f].path, "l.cfg");
	diag_free(&dc);
	ck_assert_uint_eq(dc.nfiles, 0);
	ck_assert_ptr_null(dc.head);
}
END_TEST

static Suite *diag_suite(void)
{
	Suite *s = suite_create("diag");
	TCase *tc = tcase_create("print");

	tcase_add_test(tc, test_error_with_code_and_hint);
	tcase_add_test(tc, test_tabs_are_copied);
	tcase_add_test(tc, test_crlf_line);
	tcase_add_test(tc, test_no_location_and_file_wide);
	tcase_add_test(tc, test_marker_clipped_at_end_of_line);
	tcase_add_test(tc, test_max_errors);
	tcase_add_test(tc, test_source_line_lookup);
	tcase_add_test(tc, test_many_diagnostics_linear);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(diag_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
