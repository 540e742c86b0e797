/*
 * test_parser.c: sections, statements, condition trees, error recovery,
 * the order of hook calls, and robustness on hostile input.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grammar_helpers.h"

/* ---- sections ---------------------------------------------------------- */

START_TEST(test_sections)
{
	gh_assert_tree("global\n  daemon\ndefaults\n  mode http\nfrontend fe\n"
	               "  bind :80\nbackend be\n  server s 1.2.3.4:80\nlisten li\n"
	               "cache c\nuserlist u\ncrt-store\nhealthcheck h\nlog-profile p\n",
	               "GLOBAL: [global]\n  [daemon]\nDEFAULTS: [defaults]\n"
	               "  [mode] [http]\nFRONTEND: [frontend] [fe]\n  [bind] [:80]\n"
	               "BACKEND: [backend] [be]\n  [server] [s] [1.2.3.4:80]\n"
	               "LISTEN: [listen] [li]\nOTHER: [cache] [c]\nOTHER: [userlist] [u]\n"
	               "OTHER: [crt-store]\nOTHER: [healthcheck] [h]\n"
	               "OTHER: [log-profile] [p]\n");
	/* before any header; section keywords are exact and case-sensitive */
	gh_assert_tree("maxconn 10\nGlobal\nglobals\nprogram p\n",
	               "NONE:\n  [maxconn] [10]\n  [Global]\n  [globals]\n  [program] [p]\n");
	/* a section keyword is a header wherever it appears */
	gh_assert_tree("frontend a\n    backend b\n", "FRONTEND: [frontend] [a]\n"
	               "BACKEND: [backend] [b]\n");
}
END_TEST

START_TEST(test_section_header_loc)
{
	struct gh_result r;
	const struct ast_section *s;

	gh_parse(&r, "# c\n  frontend  fe  # x\n  bind :80\n");
	s = r.cfg.sections;
	ck_assert_int_eq(s->kind, AST_SEC_FRONTEND);
	ck_assert_uint_eq(s->header->loc.line, 2);
	ck_assert_uint_eq(s->header->loc.col, 3);
	ck_assert_uint_eq(s->header->loc.end_col, 15);
	ck_assert_uint_eq(s->stmts->loc.line, 3);
	ck_assert_ptr_eq(s->last, s->stmts);
	gh_free(&r);
}
END_TEST

/* Each file starts outside any section. */
START_TEST(test_two_files)
{
	struct diag_ctx dc;
	struct ast_config cfg = { 0 };
	char *t;

	diag_init(&dc);
	ck_assert_int_eq(cfg_parse_buffer(&dc, "a.cfg", strdup("global\n  a 1\n"),
	                                  13, &cfg, NULL), 0);
	ck_assert_int_eq(cfg_parse_buffer(&dc, "b.cfg", strdup("b 2\nbackend x\n"),
	                                  14, &cfg, NULL), 0);
	t = gh_tree(&cfg);
	ck_assert_str_eq(t, "GLOBAL: [global]\n  [a] [1]\nNONE:\n  [b] [2]\n"
	                 "BACKEND: [backend] [x]\n");
	ck_assert_uint_eq(cfg.sections->next->stmts->args[0].loc.file, 1);
	free(t);
	ast_config_free(&cfg);
	diag_free(&dc);
}
END_TEST

START_TEST(test_file_errors)
{
	struct diag_ctx dc;
	struct ast_config cfg = { 0 };

	diag_init(&dc);
	ck_assert_int_eq(cfg_parse_file(&dc, "/nonexistent/hapc.cfg", &cfg, NULL), -1);
	ck_assert_uint_eq(dc.nerrors, 1);
	ck_assert_ptr_nonnull(strstr(dc.head->msg, "/nonexistent/hapc.cfg"));
	ck_assert_int_eq(cfg_parse_file(&dc, "/", &cfg, NULL), -1);
	ck_assert_uint_eq(dc.nerrors, 2);
	ck_assert_ptr_null(cfg.sections);
	diag_free(&dc);
}
END_TEST

/* ---- conditions -------------------------------------------------------- */

START_TEST(test_cond_shapes)
{
	gh_assert_tree("http-request deny if a\n",
	               "NONE:\n  [http-request] [deny] IF [a]\n");
	gh_assert_tree("use_backend b unless a b || !c or d OR e\n",
	               "NONE:\n  [use_backend] [b] UNLESS [a] [b] OR ![c] OR [d] OR [e]\n");
	gh_assert_tree("x if { path /a /b } !{ src 10.0.0.0/8 } ! { always_true }\n",
	               "NONE:\n  [x] IF {[path] [/a] [/b]} !{[src] [10.0.0.0/8]} "
	               "!{[always_true]}\n");
	/* "!acl" glued, double negation */
	gh_assert_tree("x if !a ! !b !!c\n", "NONE:\n  [x] IF ![a] [b] [c]\n");
	/* inside braces every word up to the first '}' belongs to the ACL */
	gh_assert_tree("x if { a if unless || or ! { } b\n",
	               "NONE:\n  [x] IF {[a] [if] [unless] [||] [or] [!] [{]} [b]\n");
	/* `... if` with nothing after is an empty condition (corpus 079) */
	gh_assert_tree("set-header X y if\n", "NONE:\n  [set-header] [X] [y] IF\n");
}
END_TEST

START_TEST(test_cond_plain_words)
{
	/* quoted words, first words and words holding a backslash (\! is no
	 * escape: the backslash stays) are plain arguments */
	gh_assert_tree("x \"if\" 'unless' \\! y\n",
	               "NONE:\n  [x] [if] [unless] [\\!] [y]\n");
	gh_assert_tree("if a\n", "NONE:\n  [if] [a]\n");
	/* before the condition, the marks are arguments */
	gh_assert_tree("acl a or ! { } ||\n", "NONE:\n  [acl] [a] [or] [!] [{] [}] [||]\n");
	gh_assert_tree("x a!{ if b\n", "NONE:\n  [x] [a!{] IF [b]\n");
	/* a quoted "if" does not start a condition, a later plain one does */
	gh_assert_tree("x \"if\" a if b\n", "NONE:\n  [x] [if] [a] IF [b]\n");
}
END_TEST

START_TEST(test_cond_locations)
{
	struct gh_result r;
	const struct ast_stmt *st;
	const struct ast_cond *c;

	gh_parse(&r, "x if !{ a b } || c\n");
	st = r.cfg.sections->stmts;
	c = st->cond;
	ck_assert_uint_eq(c->loc.col, 3);
	ck_assert_uint_eq(c->loc.end_col, 5);
	ck_assert_uint_eq(c->nalts, 2);
	/* the whole term: from '!' to '}' */
	ck_assert_uint_eq(c->alts[0].terms[0].loc.col, 6);
	ck_assert_uint_eq(c->alts[0].terms[0].loc.end_col, 14);
	ck_assert_uint_eq(c->alts[0].terms[0].words[1].loc.col, 11);
	ck_assert_uint_eq(c->alts[1].terms[0].loc.col, 18);
	ck_assert_uint_eq(c->alts[1].terms[0].loc.end_col, 19);
	/* the statement spans its words and its condition */
	ck_assert_uint_eq(st->loc.col, 1);
	ck_assert_uint_eq(st->loc.end_col, 19);
	gh_free(&r);
}
END_TEST

START_TEST(test_cond_errors)
{
	gh_assert_diags("x if { path /x\n",
	                "error 1:6-7 unclosed-brace: unclosed '{' in condition "
	                "(expected '}' before the end of the line)\n");
	/* HAProxy (2.6 and 3.5) ignores a trailing `||`: a warning */
	gh_assert_diags("x if a ||\n",
	                "warning 1:8-10 ignored: '||' ends the condition: there is "
	                "no term after it (HAProxy ignores it)\n");
	gh_assert_diags("x if a !\n",
	                "error 1:9-10 syntax: syntax error in condition (expected a "
	                "word, '!' or '{', found the end of the line)\n");
	gh_assert_diags("x unless || a\n",
	                "error 1:10-12 syntax: syntax error in condition (expected a "
	                "word, '!', '{' or the end of the line, found '||')\n");
	gh_assert_diags("x if a }\n",
	                "error 1:8-9 syntax: syntax error in condition (expected a "
	                "word, '||', '!', '{' or the end of the line, found '}')\n");
	gh_assert_diags("x if { }\n",
	                "error 1:8-9 syntax: syntax error in condition (expected a "
	                "word, 'if', 'unless', '||', '!' or '{', found '}')\n");
	gh_assert_diags("x if a if b\n",
	                "error 1:8-10 syntax: unexpected word in condition (expected "
	                "a word, '||', '!', '{' or the end of the line, found 'if')\n");
}
END_TEST

/* Every error of a file is reported, and the good lines are kept. */
START_TEST(test_recovery)
{
	struct gh_result r;
	char *t, *d;

	gh_parse(&r, "frontend f\n  a if {\n  b ok\n  c \"x\n  d if || e\n"
	         "  f \\xZZ\n  g \"\" h\n  i last\n");
	t = gh_tree(&r.cfg);
	d = gh_diags(&r.dc);
	ck_assert_str_eq(t, "FRONTEND: [frontend] [f]\n  [b] [ok]\n  [i] [last]\n");
	ck_assert_str_eq(d,
	    "error 2:8-9 unclosed-brace: unclosed '{' in condition (expected '}' "
	    "before the end of the line)\n"
	    "error 4:5-6 unterminated-quote: unterminated double quote (expected "
	    "'\"' before end of line)\n"
	    "error 5:8-10 syntax: syntax error in condition (expected a word, '!', "
	    "'{' or the end of the line, found '||')\n"
	    "error 6:5-7 bad-escape: invalid '\\x' escape (expected two hexadecimal "
	    "digits after '\\x')\n"
	    "error 7:5-7 empty-argument: argument 1 is empty and more words follow "
	    "(expected a non-empty word: HAProxy ends the argument list at an empty "
	    "word)\n");
	ck_assert_uint_eq(r.dc.nerrors, 5);
	free(t);
	free(d);
	gh_free(&r);
}
END_TEST

/* ---- hooks ------------------------------------------------------------- */

struct hook_log {
	char *text;
};

static void hook_record(void *ud, const struct ast_section *sec,
                        const struct ast_stmt *st)
{
	struct hook_log *log = ud;
	char *s = gh_stmt(st);

	gh_cat(&log->text, "%s%s|%s\n", gh_kinds[sec->kind],
	       st == sec->header ? "*" : "", s);
	free(s);
	/* what the compiler does for `setenv` */
	if (st->nargs == 3 && strcmp(st->args[0].text, "setenv") == 0)
		setenv(st->args[1].text, st->args[2].text, 1);
}

START_TEST(test_hook_order_and_env)
{
	struct hook_log log = { .text = NULL };
	struct parse_hooks h = { .on_stmt = hook_record, .ud = &log };
	struct gh_result r;
	static const char text[] =
		"global\n"
		"  setenv HGT_HOOK v1\n"
		"  a \"$HGT_HOOK\"\n"
		".if defined(HGT_HOOK2)\n"
		"  never\n"
		".endif\n"
		"  setenv HGT_HOOK2 yes\n"
		".if defined(HGT_HOOK2)\n"
		"  b \"${HGT_HOOK2}\"\n"
		".endif\n"
		"  setenv HGT_HOOK v2\n"
		"  c \"$HGT_HOOK\" if x\n";
	char *t;

	unsetenv("HGT_HOOK");
	unsetenv("HGT_HOOK2");
	gh_cat(&log.text, "%s", "");
	gh_parse_hooks(&r, text, sizeof(text) - 1, &h);
	gh_assert_no_diags(&r.dc);
	ck_assert_str_eq(log.text,
	                 "GLOBAL*|[global]\n"
	                 "GLOBAL|[setenv] [HGT_HOOK] [v1]\n"
	                 "GLOBAL|[a] [v1]\n"
	                 "GLOBAL|[setenv] [HGT_HOOK2] [yes]\n"
	                 "GLOBAL|[b] [yes]\n"
	                 "GLOBAL|[setenv] [HGT_HOOK] [v2]\n"
	                 "GLOBAL|[c] [v2] IF [x]\n");
	t = gh_tree(&r.cfg);
	ck_assert_ptr_nonnull(strstr(t, "  [c] [v2] IF [x]\n"));
	free(t);
	free(log.text);
	gh_free(&r);
}
END_TEST

/* ---- robustness -------------------------------------------------------- */

/* A small deterministic generator (xorshift). */
static uint32_t rnd_state;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

START_TEST(test_random_bytes)
{
	static const char alphabet[] = "ab \t\n\r\"'\\#${}[]*-!|.x0(),&\0";
	char buf[512];
	int iter;

	rnd_state = 0x9e3779b9u;
	for (iter = 0; iter < 3000; iter++) {
		size_t len = rnd() % sizeof(buf), i;
		struct gh_result r;

		for (i = 0; i < len; i++)
			buf[i] = (iter & 1) ? (char)(rnd() & 0xff)
			                    : alphabet[rnd() % (sizeof(alphabet) - 1)];
		gh_parse_hooks(&r, buf, len, NULL);
		gh_free(&r);
	}
}
END_TEST

/* Structured noise: valid-looking lines with random marks and directives. */
START_TEST(test_random_lines)
{
	static const char *const pieces[] = {
		"if", "unless", "||", "or", "!", "{", "}", "a", "\"q\"", "'s'",
		".if 1", ".if 0", ".elif 1", ".else", ".endif", "\"$X\"", "\"${.LINE}\"",
		"frontend f", "global", "\\x41", "\"\"", "#c", "!{", ".notice m",
	};
	char buf[2048];
	int iter;

	rnd_state = 12345;
	for (iter = 0; iter < 2000; iter++) {
		size_t n = 0;
		int lines = (int)(rnd() % 8), l, w;
		struct gh_result r;

		for (l = 0; l < lines; l++) {
			int words = (int)(rnd() % 7);

			for (w = 0; w < words; w++)
				n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s ",
				                      pieces[rnd() % (sizeof(pieces) / sizeof(pieces[0]))]);
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\n");
		}
		gh_parse_hooks(&r, buf, n, NULL);
		gh_free(&r);
	}
}
END_TEST

START_TEST(test_long_line)
{
	size_t len = 1u << 20, i;
	char *buf = malloc(len + 16);
	struct gh_result r;

	ck_assert_ptr_nonnull(buf);
	memcpy(buf, "x ", 2);
	for (i = 2; i < len; i++)
		buf[i] = 'a' + (char)(i % 26);
	memcpy(buf + len, " \"q\" if {\n", 10);
	gh_parse_hooks(&r, buf, len + 10, NULL);
	ck_assert_uint_eq(r.dc.nerrors, 1);
	ck_assert_uint_eq(r.dc.head->loc.col, (uint32_t)len + 9);
	gh_free(&r);
	/* many long words and many lines */
	for (i = 0; i < len; i++)
		buf[i] = (i % 100 == 99) ? '\n' : (i % 10 == 9) ? ' ' : 'w';
	buf[len - 1] = '\n';
	gh_parse_hooks(&r, buf, len, NULL);
	gh_assert_no_diags(&r.dc);
	gh_free(&r);
	free(buf);
}
END_TEST

START_TEST(test_deep_nesting)
{
	size_t n = 0, cap = 1 << 16, i;
	char *buf = malloc(cap);
	struct gh_result r;

	ck_assert_ptr_nonnull(buf);
	/* thousands of unclosed .if, and a condition with thousands of '(' */
	for (i = 0; i < 2000; i++)
		n += (size_t)snprintf(buf + n, cap - n, ".if 1\n");
	n += (size_t)snprintf(buf + n, cap - n, ".if ");
	for (i = 0; i < 5000; i++)
		buf[n++] = '(';
	buf[n++] = '\n';
	for (i = 0; i < 2000; i++)
		n += (size_t)snprintf(buf + n, cap - n, "x if !!!! { { { a\n");
	gh_parse_hooks(&r, buf, n, NULL);
	ck_assert_uint_ge(r.dc.nerrors, 2);
	gh_free(&r);
	free(buf);
}
END_TEST

static Suite *parser_suite(void)
{
	Suite *s = suite_create("parser");
	TCase *tc = tcase_create("sections");

	tcase_add_test(tc, test_sections);
	tcase_add_test(tc, test_section_header_loc);
	tcase_add_test(tc, test_two_files);
	tcase_add_test(tc, test_file_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("conditions");
	tcase_add_test(tc, test_cond_shapes);
	tcase_add_test(tc, test_cond_plain_words);
	tcase_add_test(tc, test_cond_locations);
	tcase_add_test(tc, test_cond_errors);
	tcase_add_test(tc, test_recovery);
	suite_add_tcase(s, tc);

	tc = tcase_create("hooks");
	tcase_add_test(tc, test_hook_order_and_env);
	suite_add_tcase(s, tc);

	tc = tcase_create("robustness");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_random_bytes);
	tcase_add_test(tc, test_random_lines);
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_deep_nesting);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(parser_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
