/*
 * test_lexer.c: words as HAProxy cuts them (quotes, escapes, comments,
 * variables), conditional blocks, and the lexical errors, each with its
 * exact location.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "grammar_helpers.h"
#include "pctx-t.h"

/* ---- words, spaces, comments, line ends ------------------------------ */

START_TEST(test_words_and_spaces)
{
	gh_assert_one("  foo\tbar   baz\n", "[foo]@3-6 [bar]@7-10 [baz]@13-16");
	gh_assert_one("a\v\fb\n", "[a]@1-2 [b]@4-5");
	gh_assert_one("a b   \n", "[a]@1-2 [b]@3-4");
}
END_TEST

START_TEST(test_comments)
{
	gh_assert_one("foo#c\n", "[foo]@1-4");
	gh_assert_one("foo \"#x\" '#y' \\#z # done\n",
	              "[foo]@1-4 [#x]@5-9 [#y]@10-14 [#z]@15-18");
	gh_assert_tree("# only a comment\n\n   \t\n#\n", "");
}
END_TEST

START_TEST(test_crlf_and_cr)
{
	gh_assert_one("foo bar\r\n", "[foo]@1-4 [bar]@5-8");
	/* a CR after leading spaces is skipped like them */
	gh_assert_one(" \r foo\r\n", "[foo]@4-7");
	/* a CR later in the line ends its content, as in HAProxy */
	gh_assert_one("foo \rbar baz\n", "[foo]@1-4");
}
END_TEST

START_TEST(test_missing_newline)
{
	struct gh_result r;
	char *t, *d;

	gh_parse(&r, "foo bar");
	t = gh_tree(&r.cfg);
	d = gh_diags(&r.dc);
	/* the line is still read, then the missing newline is an error */
	ck_assert_str_eq(t, "NONE:\n  [foo] [bar]\n");
	ck_assert_str_eq(d, "error 1:8-9 missing-newline: missing newline at the "
	                 "end of the file (expected '\\n' after the last line)\n");
	free(t);
	free(d);
	gh_free(&r);
	gh_assert_diags("a\n   ", "error 2:4-5 missing-newline: missing newline at "
	                "the end of the file (expected '\\n' after the last line)\n");
	/* an empty file is fine */
	gh_assert_tree("", "");
}
END_TEST

START_TEST(test_stray_nul)
{
	struct gh_result r;
	char *t, *d;
	static const char text[] = "a\0b c\nd\n";

	gh_parse_hooks(&r, text, sizeof(text) - 1, NULL);
	t = gh_tree(&r.cfg);
	d = gh_diags(&r.dc);
	ck_assert_str_eq(t, "NONE:\n  [a]\n  [d]\n");
	ck_assert_str_eq(d, "error 1:2-3 stray-nul: stray NUL byte (expected text "
	                 "or the end of the line)\n");
	free(t);
	free(d);
	gh_free(&r);
}
END_TEST

/* ---- quotes ---------------------------------------------------------- */

START_TEST(test_double_quotes)
{
	struct gh_result r;

	gh_assert_one("a \"b c\" d\n", "[a]@1-2 [b c]@3-8 [d]@9-10");
	gh_assert_one("a \"it's # not\"\n", "[a]@1-2 [it's # not]@3-15");
	gh_parse(&r, "a \"b\"\n");
	ck_assert_uint_eq(r.cfg.sections->stmts->args[1].flags, AST_W_QUOTED);
	ck_assert_uint_eq(r.cfg.sections->stmts->args[0].flags, 0);
	gh_free(&r);
}
END_TEST

START_TEST(test_single_quotes)
{
	gh_assert_one("a 'b $HOME \\n \"x\"'\n", "[a]@1-2 [b $HOME \\n \"x\"]@3-19");
	gh_assert_one("a '\\'\n", "[a]@1-2 [\\]@3-6");
}
END_TEST

START_TEST(test_concatenation)
{
	gh_assert_one("x \"a\"'b'c\n", "[x]@1-2 [abc]@3-10");
	gh_assert_one("x \"%{+Q}o %t\"' %s'\\ %{-Q}r\n",
	              "[x]@1-2 [%{+Q}o %t %s %{-Q}r]@3-27");
}
END_TEST

START_TEST(test_empty_quotes)
{
	/* an empty last word is not an argument */
	gh_assert_one("x y \"\"\n", "[x]@1-2 [y]@3-4");
	gh_assert_one("x y ''#c\n", "[x]@1-2 [y]@3-4");
	/* an empty first word makes HAProxy ignore the line */
	gh_assert_tree("\"\" foo bar\n", "");
	/* an empty word followed by more (HAProxy: "is empty and marks the end
	 * of the argument list") */
	gh_assert_diags("set-header X \"\" if TRUE\n",
	                "error 1:14-16 empty-argument: argument 2 is empty and more "
	                "words follow (expected a non-empty word: HAProxy ends the "
	                "argument list at an empty word)\n");
	/* even when only spaces follow, HAProxy counts it */
	gh_assert_diags("x '' \n",
	                "error 1:3-5 empty-argument: argument 1 is empty and more "
	                "words follow (expected a non-empty word: HAProxy ends the "
	                "argument list at an empty word)\n");
}
END_TEST

START_TEST(test_unterminated_quotes)
{
	gh_assert_diags("a \"bc\nnext\n",
	                "error 1:3-4 unterminated-quote: unterminated double quote "
	                "(expected '\"' before end of line)\n");
	gh_assert_diags("a 'b\"c\n",
	                "error 1:3-4 unterminated-quote: unterminated single quote "
	                "(expected ''' before end of line)\n");
	/* the last quote opened is the one named */
	gh_assert_diags("a \"x\" \"y\r\n",
	                "error 1:7-8 unterminated-quote: unterminated double quote "
	                "(expected '\"' before end of line)\n");
	/* at the end of the file, both errors */
	gh_assert_diags("a 'b",
	                "error 1:3-4 unterminated-quote: unterminated single quote "
	                "(expected ''' before end of line)\n"
	                "error 1:5-6 missing-newline: missing newline at the end of "
	                "the file (expected '\\n' after the last line)\n");
}
END_TEST

/* ---- escapes --------------------------------------------------------- */

START_TEST(test_escapes)
{
	gh_assert_one("x a\\ b\n", "[x]@1-2 [a b]@3-7");
	gh_assert_one("x \\#\\\\\\'\\\"\n", "[x]@1-2 [#\\'\"]@3-11");
	gh_assert_one("x \\r\\n\\t\n", "[x]@1-2 [\\x0d\\x0a\\x09]@3-9");
	gh_assert_one("x \\x41\\x7a \"\\x20\"\n", "[x]@1-2 [Az]@3-11 [ ]@12-18");
	gh_assert_one("x \"a\\\"b\\'c\\\\\"\n", "[x]@1-2 [a\"b'c\\]@3-14");
}
END_TEST

START_TEST(test_escape_nul_byte)
{
	struct gh_result r;
	const struct ast_word *w;

	gh_parse(&r, "x a\\x00b\n");
	gh_assert_no_diags(&r.dc);
	w = &r.cfg.sections->stmts->args[1];
	ck_assert_uint_eq(w->len, 3);
	ck_assert_int_eq(memcmp(w->text, "a\0b", 3), 0);
	ck_assert_uint_eq(w->flags, AST_W_ESCAPED);
	gh_free(&r);
}
END_TEST

START_TEST(test_escape_quirks)
{
	/* unknown escapes and a trailing backslash keep the backslash */
	gh_assert_one("x a\\qb abc\\\n", "[x]@1-2 [a\\qb]@3-7 [abc\\]@8-12");
	/* \$ is an escape only inside double quotes */
	gh_assert_one("x \\$y \"\\$y\"\n", "[x]@1-2 [\\$y]@3-6 [$y]@7-12");
	/* a backslash before a tab is not an escape: the tab separates */
	gh_assert_one("x a\\\tb\n", "[x]@1-2 [a\\]@3-5 [b]@6-7");
	gh_assert_one("x \"a\\\tb\"\n", "[x]@1-2 [a\\\\x09b]@3-9");
}
END_TEST

START_TEST(test_bad_hex)
{
	gh_assert_diags("x \\xZZ\n",
	                "error 1:3-5 bad-escape: invalid '\\x' escape (expected two "
	                "hexadecimal digits after '\\x')\n");
	gh_assert_diags("x \"ab\\x4\"\n",
	                "error 1:6-8 bad-escape: invalid '\\x' escape (expected two "
	                "hexadecimal digits after '\\x')\n");
	/* the line is dropped, the next one is read */
	gh_assert_tree_errors("x \\xg1\ny\n", "NONE:\n  [y]\n", 1);
}
END_TEST

/* ---- environment ----------------------------------------------------- */

static void env_setup(void)
{
	setenv("HGT_A", "v1", 1);
	setenv("HGT_EMPTY", "", 1);
	setenv("HGT_LIST", "  a  b\tc ", 1);
	setenv("HGT_SP", "x y", 1);
	unsetenv("HGT_UNSET");
}

START_TEST(test_env_quoted_only)
{
	struct gh_result r;

	gh_assert_one("x \"$HGT_A\" \"${HGT_A}z\"\n", "[x]@1-2 [v1]@3-11 [v1z]@12-23");
	/* not expanded outside double quotes (HAProxy: only within them) */
	gh_assert_one("x $HGT_A ${HGT_A} '$HGT_A'\n",
	              "[x]@1-2 [$HGT_A]@3-9 [${HGT_A}]@10-18 [$HGT_A]@19-27");
	gh_assert_one("x \"a $HGT_SP b\"\n", "[x]@1-2 [a x y b]@3-16");
	gh_parse(&r, "x \"$HGT_A\"\n");
	ck_assert_uint_eq(r.cfg.sections->stmts->args[1].flags,
	                  AST_W_QUOTED | AST_W_EXPANDED);
	gh_free(&r);
}
END_TEST

/* What expansions add to a line is bounded (PCTX_MAX_EXPANDED_LINE): a
 * value that would pass it is a located error and the line is dropped,
 * without copying the value; up to the bound it is expanded. */
START_TEST(test_env_expanded_size_bounded)
{
	size_t half = PCTX_MAX_EXPANDED_LINE / 2 + 1;
	char *big = malloc(half + 1);
	struct gh_result r;
	const struct diag *d;

	ck_assert_ptr_nonnull(big);
	memset(big, 'a', half);
	big[half] = 0;
	setenv("HGT_BIG", big, 1);
	gh_parse(&r, "x \"${HGT_BIG}\"\ny \"${HGT_BIG}${HGT_BIG}\"\nz\n");
	d = r.dc.head;
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->code, "line-too-long");
	ck_assert_uint_eq(d->loc.line, 2);
	ck_assert_uint_eq(d->loc.col, 14);
	ck_assert_uint_eq(d->loc.end_col, 24);
	ck_assert_ptr_null(d->next);
	/* x keeps its value, y is dropped, z is read */
	ck_assert_uint_eq(r.cfg.sections->stmts->args[1].len, half);
	ck_assert_str_eq(r.cfg.sections->stmts->next->args[0].text, "z");
	gh_free(&r);
	unsetenv("HGT_BIG");
	free(big);
}
END_TEST

START_TEST(test_env_defaults)
{
	gh_assert_one("x \"${HGT_UNSET-def ault}\"\n", "[x]@1-2 [def ault]@3-26");
	gh_assert_one("x \"${HGT_A-def}\"\n", "[x]@1-2 [v1]@3-17");
	/* the default is taken as written */
	gh_assert_one("x \"${HGT_UNSET-a'b\\n}\"\n", "[x]@1-2 [a'b\\n]@3-23");
	/* an empty variable exists: no default */
	gh_assert_diags("x \"${HGT_EMPTY-d}\" y\n",
	                "error 1:3-19 empty-argument: argument 1 is empty and more "
	                "words follow (expected a non-empty word: HAProxy ends the "
	                "argument list at an empty word)\n");
}
END_TEST

START_TEST(test_env_undefined)
{
	/* undefined: nothing; at the end of the line the word disappears */
	gh_assert_one("x \"$HGT_UNSET\"\n", "[x]@1-2");
	gh_assert_one("x \"[${HGT_UNSET}]\"\n", "[x]@1-2 [[]]@3-19");
	/* in the middle of a line it is an empty argument (corpus 060) */
	{
		struct gh_result r;
		const struct diag *d;

		gh_parse(&r, "x \"$HGT_UNSET\" y\n");
		d = r.dc.head;
		ck_assert_ptr_nonnull(d);
		ck_assert_str_eq(d->code, "empty-argument");
		ck_assert_uint_eq(d->loc.col, 3);
		ck_assert_uint_eq(d->loc.end_col, 15);
		ck_assert_uint_eq(d->nhints, 1);
		gh_free(&r);
	}
}
END_TEST

START_TEST(test_env_split)
{
	gh_assert_one("x \"${HGT_A[*]}\"\n", "[x]@1-2 [v1]@3-16");
	/* leading spaces of the value make an empty word, as in HAProxy */
	gh_assert_diags("x \"${HGT_LIST[*]}\" y\n",
	                "error 1:3-18 empty-argument: argument 1 is empty and more "
	                "words follow (expected a non-empty word: HAProxy ends the "
	                "argument list at an empty word)\n");
	gh_assert_one("x \"${HGT_SP[*]}\" y\n", "[x]@1-2 [x]@3-16 [y]@4-17 [y]@18-19");
	gh_assert_one("x \"${HGT_UNSET[*]-p q}\"\n", "[x]@1-2 [p]@3-23 [q]@4-24");
	/* an unset or empty "${VAR[*]}" alone makes no word at all (mutant
	 * valid/0656 of ../shared/corpus-mutants), unlike "" or "$VAR" */
	gh_assert_one("x \"${HGT_UNSET[*]}\" y\n", "[x]@1-2 [y]@21-22");
	gh_assert_one("x \"${HGT_EMPTY[*]}\"  # c\n", "[x]@1-2");
	gh_assert_one("x \"${HGT_EMPTY[*]}\"z\n", "[x]@1-2 [z]@3-21");
}
END_TEST

START_TEST(test_env_pseudo)
{
	struct gh_result r;
	char *t;

	gh_parse(&r, "a \"${.LINE}\"\nfrontend fe\n  b \"$.LINE:${.FILE}:${.SECTION}\"\n"
	         "global\n  c \"${.SECTION}\"\n");
	t = gh_tree(&r.cfg);
	ck_assert_str_eq(t, "NONE:\n  [a] [1]\nFRONTEND: [frontend] [fe]\n"
	                 "  [b] [3:t.cfg:fe]\nGLOBAL: [global]\n  [c] [global]\n");
	free(t);
	gh_free(&r);
	gh_assert_diags("x \"${.NOPE}\"\n",
	                "error 1:6-11 bad-variable: unknown pseudo-variable '.NOPE' "
	                "(expected .FILE, .LINE or .SECTION)\n");
}
END_TEST

START_TEST(test_env_bad_names)
{
	gh_assert_diags("x \"$5\"\n",
	                "error 1:5-6 bad-variable: invalid variable name after '$' "
	                "(expected a letter, '_' or '.'; write '\\$' for a literal "
	                "dollar)\n");
	gh_assert_diags("x \"cost $\"\n",
	                "error 1:10-11 bad-variable: invalid variable name after '$' "
	                "(expected a letter, '_' or '.'; write '\\$' for a literal "
	                "dollar)\n");
	gh_assert_diags("bind \"${BIND_ADDR:8080\"\n",
	                "error 1:8-9 bad-variable: unterminated '${' (expected '}' or "
	                "'-default}' after the variable name)\n");
	gh_assert_diags("x \"${A[x]}\"\n",
	                "error 1:7-8 bad-variable: invalid word expansion (expected "
	                "'[*]' after the variable name)\n");
	gh_assert_diags("x \"${-a}\"\n",
	                "error 1:6-7 bad-variable: invalid variable name after '${' "
	                "(expected a letter, '_' or '.')\n");
}
END_TEST

/* The value is looked up when the line is read, not cached. */
START_TEST(test_env_read_late)
{
	struct gh_result r;
	char *t;

	setenv("HGT_LATE", "one", 1);
	gh_parse(&r, "x \"$HGT_LATE\"\n");
	setenv("HGT_LATE", "two", 1);
	gh_free(&r);
	gh_parse(&r, "x \"$HGT_LATE\"\n");
	t = gh_tree(&r.cfg);
	ck_assert_str_eq(t, "NONE:\n  [x] [two]\n");
	free(t);
	gh_free(&r);
}
END_TEST

/* ---- line limits ----------------------------------------------------- */

START_TEST(test_too_many_words)
{
	char buf[512];
	size_t i, n = 0;
	struct gh_result r;
	char *d;

	for (i = 0; i < 64; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "w%zu ", i);
	buf[n - 1] = '\n';
	buf[n] = '\0';
	gh_parse(&r, buf);
	gh_assert_no_diags(&r.dc);
	ck_assert_uint_eq(r.cfg.sections->stmts->nargs, 64);
	gh_free(&r);

	snprintf(buf + n - 1, sizeof(buf) - n + 1, " w64\n");
	gh_parse(&r, buf);
	d = gh_diags(&r.dc);
	ck_assert_str_eq(d, "error 1:247-250 too-many-words: too many words on one "
	                 "line (expected at most 64, found 65)\n");
	ck_assert_ptr_null(r.cfg.sections);
	free(d);
	gh_free(&r);
}
END_TEST

/* ---- conditional blocks ---------------------------------------------- */

START_TEST(test_if_branches)
{
	gh_assert_tree(".if 1\na\n.else\nb\n.endif\n", "NONE:\n  [a]\n");
	gh_assert_tree(".if 0\na\n.else\nb\n.endif\n", "NONE:\n  [b]\n");
	gh_assert_tree(".if 0\na\n.elif 0\nb\n.elif 1\nc\n.elif 1\nd\n.else\ne\n.endif\n",
	               "NONE:\n  [c]\n");
	gh_assert_tree(".if\na\n.endif\nz\n", "NONE:\n  [z]\n");
	gh_assert_tree(".if 1\n  .if 0\n  a\n  .else\n  b\n  .endif\n.else\n"
	               "  .if 1\n  c\n  .endif\n.endif\n", "NONE:\n  [b]\n");
	/* comments after directives, quoted directive names */
	gh_assert_tree(".if 1 # yes\na\n\".endif\"\n", "NONE:\n  [a]\n");
}
END_TEST

START_TEST(test_if_false_blocks)
{
	/* false blocks: nothing checked but the words themselves, and
	 * nested conditions are not evaluated */
	gh_assert_tree(".if 0\nfoo if { ||\n\"\" x\n.if bogus(\n.elif nope\n.endif\n"
	               ".warning a b c\n.endif\nz\n", "NONE:\n  [z]\n");
	/* but quoting errors are still found (corpus 064) */
	gh_assert_diags(".if 0\n  set-header X-A \"abc\n.endif\n",
	                "error 2:18-19 unterminated-quote: unterminated double quote "
	                "(expected '\"' before end of line)\n");
}
END_TEST

START_TEST(test_if_expressions)
{
	setenv("HGT_MODE", "prod", 1);
	unsetenv("HGT_UNSET");
	gh_assert_tree(".if defined(HGT_MODE) && !defined(HGT_UNSET)\na\n.endif\n",
	               "NONE:\n  [a]\n");
	gh_assert_tree(".if streq(\"$HGT_MODE\",prod) && strneq(a,b) && strstr(abc,b)\n"
	               "a\n.endif\n", "NONE:\n  [a]\n");
	gh_assert_tree(".if 1 || 0 && 0\na\n.endif\n.if (1 || 0) && 0\nb\n.endif\n",
	               "NONE:\n  [a]\n");
	gh_assert_tree(".if ! ! 1\na\n.endif\n.if !(0)\nb\n.endif\n",
	               "NONE:\n  [a]\n  [b]\n");
	gh_assert_tree(".if \"${HGT_UNSET}\"\na\n.endif\n.if 0x10\nb\n.endif\n",
	               "NONE:\n  [b]\n");
	/* words are joined by one space: " 1" differs from "1" */
	gh_assert_tree(".if streq(1, 1)\na\n.endif\n", "");
}
END_TEST

START_TEST(test_if_predicates)
{
	gh_assert_tree(".if feature(OPENSSL) && feature(THREAD) && !feature(LUA) "
	               "&& !feature(QUIC) && !feature(NOPE)\na\n.endif\n",
	               "NONE:\n  [a]\n");
	gh_assert_tree(".if version_atleast(2.4) && version_atleast(3.5) && "
	               "!version_atleast(3.5.1) && version_before(3.6) && "
	               "version_before(3.5.1-dev2) && !version_before(3.5-dev5) && "
	               "version_atleast(2.4-dev19)\na\n.endif\n", "NONE:\n  [a]\n");
	gh_assert_tree(".if openssl_version_atleast(1.1.1) && "
	               "openssl_version_before(3.0.0) && ssllib_name_startswith(BoringSSL) "
	               "&& !ssllib_name_startswith(AWS-LC) && !fips_mode() && "
	               "!awslc_api_atleast(1) && enabled(EPOLL) && !enabled(KQUEUE)\n"
	               "a\n.endif\n", "NONE:\n  [a]\n");
	gh_assert_tree(".if streq(\\\"a,b\\\",'\"a,b\"') && streq(\\\\),\\\\))\na\n.endif\n",
	               "NONE:\n  [a]\n");
}
END_TEST

START_TEST(test_if_errors)
{
	gh_assert_diags(".if bogus(1)\n.endif\n",
	                "error 1:5-13 bad-condition: unknown predicate 'bogus' (expected "
	                "defined, feature, streq, strneq, strstr, version_atleast, "
	                "version_before, openssl_version_atleast, openssl_version_before, "
	                "ssllib_name_startswith, awslc_api_atleast, awslc_api_before, "
	                "enabled or fips_mode) in '.if'\n");
	gh_assert_diags(".if (defined(HAPROXY_BRANCH)\n.endif\n",
	                "error 1:5-29 bad-condition: missing ')' (expected ')' to close "
	                "the '(' at position 1, found the end of the expression) in '.if'\n");
	gh_assert_diags(".if 1 &&\n.endif\n",
	                "error 1:7-9 bad-condition: expected a number, a predicate or '(', "
	                "found the end of the expression in '.if'\n");
	gh_assert_diags(".if 1 2\n.endif\n",
	                "error 1:7-8 bad-condition: unexpected text at the end of the "
	                "condition (expected '&&', '||' or the end, found '2') in '.if'\n");
	gh_assert_diags(".if strstr(a,b,c)\n.endif\n",
	                "error 1:15-18 bad-condition: too many arguments for predicate "
	                "'strstr' (expected ')' after 2 arguments, found ',c)') in '.if'\n");
	gh_assert_diags(".if defined\n.endif\n",
	                "error 1:5-12 bad-condition: predicate 'defined' needs 1 argument "
	                "(expected '(' right after its name, found the end of the "
	                "expression) in '.if'\n");
	gh_assert_diags(".if openssl_version_atleast(abc)\n.endif\n",
	                "error 1:5-33 bad-condition: invalid version 'abc' in predicate "
	                "'openssl_version_atleast' (expected a version such as 2.4 or "
	                "2.4-dev19) in '.if'\n");
	/* HAProxy reads an unreadable version of its own as older than it:
	 * version_atleast(abc) is true, version_before(abc) false, no error */
	gh_assert_tree_errors(".if version_atleast(abc)\na\n.else\nb\n.endif\n",
	                      "NONE:\n  [a]\n", 0);
	gh_assert_tree_errors(".if version_before(abc)\na\n.else\nb\n.endif\n",
	                      "NONE:\n  [b]\n", 0);
	/* a bad condition counts as false, the parse goes on */
	gh_assert_tree_errors(".if nope\na\n.else\nb\n.endif\n", "NONE:\n  [b]\n",
	                      1);
}
END_TEST

START_TEST(test_if_structure_errors)
{
	gh_assert_diags("a\n.elif 1\n",
	                "error 2:1-6 lone-directive: '.elif' without a matching '.if' "
	                "(expected '.if' before it)\n");
	gh_assert_diags(".else\n.endif\n",
	                "error 1:1-6 lone-directive: '.else' without a matching '.if' "
	                "(expected '.if' before it)\n"
	                "error 2:1-7 lone-directive: '.endif' without a matching '.if' "
	                "(expected '.if' before it)\n");
	gh_assert_diags(".if 0\n.else\n.elif 1\n.endif\n",
	                "error 3:1-6 elif-after-else: '.elif' after '.else' (expected "
	                "'.endif' to close the block)\n");
	gh_assert_diags(".if 0\n.else\n.else\n.endif\n",
	                "error 3:1-6 else-after-else: second '.else' in the same block "
	                "(expected '.endif')\n");
	gh_assert_diags(".if 1\n.else x\n.endif y\n.endif\n",
	                "error 2:7-8 unexpected-argument: unexpected argument after "
	                "'.else' (expected the end of the line)\n"
	                "error 3:8-9 unexpected-argument: unexpected argument after "
	                "'.endif' (expected the end of the line)\n");
	gh_assert_diags("a\n.if 1\nb\n\n",
	                "error 4:1-1 unterminated-if: 1 '.if' block not closed (expected "
	                "'.endif' before the end of the file)\n");
}
END_TEST

START_TEST(test_if_unterminated_hint)
{
	struct gh_result r;

	gh_parse(&r, "  .if 1\n.if 0\n");
	ck_assert_ptr_nonnull(r.dc.head);
	ck_assert_uint_eq(r.dc.head->loc.line, 2);
	ck_assert_uint_eq(r.dc.head->nhints, 2);
	ck_assert_str_eq(r.dc.head->hints[0], "'.if' opened at line 2, column 1");
	ck_assert_str_eq(r.dc.head->hints[1], "'.if' opened at line 1, column 3");
	gh_free(&r);
}
END_TEST

START_TEST(test_if_nesting_limit)
{
	size_t i, n = 0, cap = 4096;
	char *buf = malloc(cap);
	struct gh_result r;
	char *d;

	ck_assert_ptr_nonnull(buf);
	/* 99 levels are fine */
	for (i = 0; i < 99; i++)
		n += (size_t)snprintf(buf + n, cap - n, ".if 1\n");
	n += (size_t)snprintf(buf + n, cap - n, "deep\n");
	for (i = 0; i < 99; i++)
		n += (size_t)snprintf(buf + n, cap - n, ".endif\n");
	gh_parse(&r, buf);
	d = gh_tree(&r.cfg);
	ck_assert_str_eq(d, "NONE:\n  [deep]\n");
	ck_assert_ptr_null(r.dc.head);
	free(d);
	gh_free(&r);
	/* the 100th is refused, once; the block structure is still followed */
	n = 0;
	for (i = 0; i < 150; i++)
		n += (size_t)snprintf(buf + n, cap - n, ".if 1\n");
	for (i = 0; i < 150; i++)
		n += (size_t)snprintf(buf + n, cap - n, ".endif\n");
	n += (size_t)snprintf(buf + n, cap - n, "after\n");
	gh_parse(&r, buf);
	d = gh_diags(&r.dc);
	ck_assert_str_eq(d, "error 100:1-4 nesting-too-deep: too many nested '.if' "
	                 "blocks (at most 99 levels)\n");
	free(d);
	d = gh_tree(&r.cfg);
	ck_assert_str_eq(d, "NONE:\n  [after]\n");
	free(d);
	gh_free(&r);
	free(buf);
}
END_TEST

START_TEST(test_message_directives)
{
	struct gh_result r;
	const struct diag *d;

	gh_parse(&r, ".notice \"hello there\"\n.warning deprecated\n.diag x\n"
	         ".alert \"stop\"\n.if 0\n.alert no\n.endif\n");
	d = r.dc.head;
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(d->severity, DIAG_NOTE);
	ck_assert_str_eq(d->msg, "hello there");
	d = d->next;
	ck_assert_int_eq(d->severity, DIAG_WARNING);
	ck_assert_str_eq(d->msg, "deprecated");
	ck_assert_uint_eq(d->loc.line, 2);
	d = d->next;
	ck_assert_int_eq(d->severity, DIAG_ERROR);
	ck_assert_str_eq(d->msg, "stop");
	ck_assert_uint_eq(d->loc.line, 4);
	ck_assert_ptr_null(d->next);
	ck_assert_ptr_null(r.cfg.sections);
	gh_free(&r);
	gh_assert_diags(".warning a b\n.bogus\n",
	                "error 1:12-13 unexpected-argument: unexpected argument after "
	                "the message of '.warning' (expected the end of the line; quote "
	                "a message that contains spaces)\n"
	                "error 2:1-7 unknown-directive: unknown directive '.bogus' "
	                "(expected .if, .elif, .else, .endif, .notice, .warning, .alert "
	                "or .diag)\n");
}
END_TEST

START_TEST(test_cond_eval_direct)
{
	int res = -1;
	size_t pos = 0;
	char err[256];
	int cmp = 9;

	ck_assert_int_eq(cond_eval("   ", &res, &pos, err, sizeof(err)), 0);
	ck_assert_int_eq(res, 0);
	ck_assert_int_eq(cond_eval("0 || (1 && !0)", &res, &pos, err, sizeof(err)), 0);
	ck_assert_int_eq(res, 1);
	ck_assert_int_eq(cond_eval("1 && (0 || foo(1))", &res, &pos, err, sizeof(err)), -1);
	ck_assert_uint_eq(pos, 11);
	ck_assert_int_eq(cond_version_cmp("2.4-dev19", "2.4", &cmp), 0);
	ck_assert_int_lt(cmp, 0);
	ck_assert_int_eq(cond_version_cmp("2.4-rc1", "2.4-dev9", &cmp), 0);
	ck_assert_int_gt(cmp, 0);
	ck_assert_int_eq(cond_version_cmp("3.5", "3.5.0", &cmp), 0);
	ck_assert_int_eq(cmp, 0);
	ck_assert_int_eq(cond_version_cmp("x", "3.5.0", &cmp), -1);
}
END_TEST

START_TEST(test_cond_eval_deep)
{
	char buf[600];
	int res = 0;
	size_t pos = 0;
	char err[256];

	memset(buf, '(', 300);
	buf[300] = '1';
	memset(buf + 301, ')', 298);
	buf[599] = '\0';
	ck_assert_int_eq(cond_eval(buf, &res, &pos, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "nested too deeply"));
}
END_TEST

static Suite *lexer_suite(void)
{
	Suite *s = suite_create("lexer");
	TCase *tc = tcase_create("words");

	tcase_add_checked_fixture(tc, env_setup, NULL);
	tcase_add_test(tc, test_words_and_spaces);
	tcase_add_test(tc, test_comments);
	tcase_add_test(tc, test_crlf_and_cr);
	tcase_add_test(tc, test_missing_newline);
	tcase_add_test(tc, test_stray_nul);
	tcase_add_test(tc, test_double_quotes);
	tcase_add_test(tc, test_single_quotes);
	tcase_add_test(tc, test_concatenation);
	tcase_add_test(tc, test_empty_quotes);
	tcase_add_test(tc, test_unterminated_quotes);
	tcase_add_test(tc, test_escapes);
	tcase_add_test(tc, test_escape_nul_byte);
	tcase_add_test(tc, test_escape_quirks);
	tcase_add_test(tc, test_bad_hex);
	tcase_add_test(tc, test_env_quoted_only);
	tcase_add_test(tc, test_env_defaults);
	tcase_add_test(tc, test_env_expanded_size_bounded);
	tcase_add_test(tc, test_env_undefined);
	tcase_add_test(tc, test_env_split);
	tcase_add_test(tc, test_env_pseudo);
	tcase_add_test(tc, test_env_bad_names);
	tcase_add_test(tc, test_env_read_late);
	tcase_add_test(tc, test_too_many_words);
	suite_add_tcase(s, tc);

	tc = tcase_create("conditional");
	tcase_add_test(tc, test_if_branches);
	tcase_add_test(tc, test_if_false_blocks);
	tcase_add_test(tc, test_if_expressions);
	tcase_add_test(tc, test_if_predicates);
	tcase_add_test(tc, test_if_errors);
	tcase_add_test(tc, test_if_structure_errors);
	tcase_add_test(tc, test_if_unterminated_hint);
	tcase_add_test(tc, test_if_nesting_limit);
	tcase_add_test(tc, test_message_directives);
	tcase_add_test(tc, test_cond_eval_direct);
	tcase_add_test(tc, test_cond_eval_deep);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(lexer_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
