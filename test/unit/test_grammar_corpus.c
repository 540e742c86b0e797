/*
 * test_grammar_corpus.c: the grammar over every file of the shared corpus.
 *
 * Files HAProxy accepts (valid/, warn/) must give no error from the
 * grammar (keyword checks are the compiler's). Files HAProxy rejects for a
 * lexical, conditional-block or condition-syntax reason must give an error
 * on the line HAProxy names. As HAProxy is run, each file is read with the
 * corpus root as the current directory and an empty environment, and
 * setenv/presetenv/unsetenv/resetenv in `global` apply to the next lines
 * (through the parse hook, as the compiler does).
 *
 * HAPC_CORPUS names the corpus root (default: ../shared/corpus beside the
 * source tree); without a corpus the test is skipped (exit 77).
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "parse.h"

/* Invalid files whose one error belongs to the grammar (by number). */
static const char *const corpus_grammar_errors[] = {
	"022", "023", "025", "026", "028", "029", "031", "032", "058", "059",
	"060", "062", "063", "064", "065", "092",
};

struct corpus_row {
	char path[256];
	char verdict[16];
	long line;                /* -1 when HAProxy gives none */
};

static struct corpus_row *corpus_rows;
static size_t corpus_nrows;
static const char *corpus_root;

static void corpus_load(void)
{
	char path[4096], buf[4096];
	FILE *f;

	corpus_root = getenv("HAPC_CORPUS");
	if (!corpus_root)
		corpus_root = HAPC_CORPUS_DEFAULT;
	snprintf(path, sizeof(path), "%s/expected.tsv", corpus_root);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(buf, sizeof(buf), f)) {
		char *path_f = strtok(buf, "\t\n");
		char *verdict = strtok(NULL, "\t\n");
		char *ex = strtok(NULL, "\t\n");
		char *line = strtok(NULL, "\t\n");
		struct corpus_row *r;

		if (!path_f || !verdict || !ex || !line || strcmp(path_f, "path") == 0)
			continue;
		r = realloc(corpus_rows, (corpus_nrows + 1) * sizeof(*r));
		if (!r)
			break;
		corpus_rows = r;
		r = &corpus_rows[corpus_nrows++];
		snprintf(r->path, sizeof(r->path), "%s", path_f);
		snprintf(r->verdict, sizeof(r->verdict), "%s", verdict);
		r->line = strcmp(line, "-") == 0 ? -1 : strtol(line, NULL, 10);
	}
	fclose(f);
}

static int corpus_is_grammar_error(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t i;

	base = base ? base + 1 : path;
	for (i = 0; i < sizeof(corpus_grammar_errors) / sizeof(corpus_grammar_errors[0]); i++)
		if (strncmp(base, corpus_grammar_errors[i], 3) == 0)
			return 1;
	return 0;
}

/* What the compiler does with the environment keywords of `global`. */
static void corpus_env_hook(void *ud, const struct ast_section *sec,
                            const struct ast_stmt *st)
{
	const char *kw = st->args[0].text;
	size_t i;

	(void)ud;
	if (sec->kind != AST_SEC_GLOBAL || st == sec->header)
		return;
	if ((strcmp(kw, "setenv") == 0 || strcmp(kw, "presetenv") == 0) &&
	    st->nargs == 3)
		setenv(st->args[1].text, st->args[2].text, kw[0] == 's');
	else if (strcmp(kw, "unsetenv") == 0)
		for (i = 1; i < st->nargs; i++)
			unsetenv(st->args[i].text);
	else if (strcmp(kw, "resetenv") == 0) {
		char **keep = calloc(st->nargs, sizeof(*keep));

		ck_assert_ptr_nonnull(keep);
		for (i = 1; i < st->nargs; i++) {
			const char *v = getenv(st->args[i].text);

			keep[i] = v ? strdup(v) : NULL;
		}
		clearenv();
		for (i = 1; i < st->nargs; i++) {
			if (keep[i])
				setenv(st->args[i].text, keep[i], 1);
			free(keep[i]);
		}
		free(keep);
	}
}

START_TEST(test_corpus_file)
{
	const struct corpus_row *r = &corpus_rows[_i];
	struct parse_hooks hooks = { .on_stmt = corpus_env_hook, .ud = NULL };
	struct ast_config cfg = { 0 };
	struct diag_ctx dc;
	const struct diag *d, *first_err = NULL;
	int nwarn = 0;

	ck_assert_int_eq(chdir(corpus_root), 0);
	clearenv();
	diag_init(&dc);
	ck_assert_int_eq(cfg_parse_file(&dc, r->path, &cfg, &hooks), 0);
	for (d = dc.head; d; d = d->next) {
		if (d->severity == DIAG_ERROR && !first_err)
			first_err = d;
		if (d->severity == DIAG_WARNING)
			nwarn++;
	}
	if (strcmp(r->verdict, "invalid") != 0) {
		ck_assert_msg(!first_err, "%s: unexpected error at line %u: %s",
		              r->path, first_err ? (unsigned)first_err->loc.line : 0,
		              first_err ? first_err->msg : "");
		if (strstr(r->path, "warning-directive"))
			ck_assert_msg(nwarn == 1, "%s: expected the .warning", r->path);
	} else if (corpus_is_grammar_error(r->path)) {
		ck_assert_msg(first_err, "%s: expected an error at line %ld",
		              r->path, r->line);
		ck_assert_msg((long)first_err->loc.line == r->line,
		              "%s: error at line %u, HAProxy says %ld: %s", r->path,
		              (unsigned)first_err->loc.line, r->line, first_err->msg);
	}
	ast_config_free(&cfg);
	diag_free(&dc);
}
END_TEST

/* The table of grammar errors must not rot: each listed file that exists
 * is invalid with a line. */
START_TEST(test_corpus_present)
{
	size_t i, ngram = 0;

	ck_assert_msg(corpus_nrows > 200, "corpus not found under %s", corpus_root);
	for (i = 0; i < corpus_nrows; i++) {
		if (strncmp(corpus_rows[i].path, "invalid/", 8) != 0 ||
		    !corpus_is_grammar_error(corpus_rows[i].path))
			continue;
		ngram++;
		ck_assert_int_ge(corpus_rows[i].line, 1);
	}
	ck_assert_uint_ge(ngram, 10);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("grammar-corpus");
	TCase *tc = tcase_create("files");
	SRunner *sr;
	int failed;

	corpus_load();
	if (corpus_nrows == 0) {
		/* automake's "skipped" status: no corpus beside this tree */
		fprintf(stderr, "corpus not found under %s (set HAPC_CORPUS)\n",
		        corpus_root);
		return 77;
	}
	tcase_add_test(tc, test_corpus_present);
	tcase_add_loop_test(tc, test_corpus_file, 0, (int)corpus_nrows);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	free(corpus_rows);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
