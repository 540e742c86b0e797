/*
 * test_precond.c: the file checks cfgc and cfgrun share, on real files in
 * a temporary directory, and precond_check_plan() over a plan built with
 * the public builder.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plan.h"
#include "precond.h"

static char dir[] = "/tmp/hapc-precond-XXXXXX";

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(dir, "/tmp/hapc-precond-XXXXXX");
}

/* Write `len` bytes into dir/name; the path goes to `path`. */
static void put(const char *name, const char *data, size_t len, char *path)
{
	FILE *f;

	sprintf(path, "%s/%s", dir, name);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

static const char pem[] = "subject=CN x\n-----BEGIN CERTIFICATE-----\n"
                          "MIIB\n-----END CERTIFICATE-----\n";

START_TEST(test_pem)
{
	char p[256], why[256];

	put("ok.pem", pem, sizeof(pem) - 1, p);
	ck_assert_int_eq(precond_check(PLAN_PRE_CERT, p, why, sizeof(why)), PRECOND_OK);
	ck_assert_int_eq(precond_check(PLAN_PRE_PEM, p, why, sizeof(why)), PRECOND_OK);
	ck_assert_int_eq(precond_check(PLAN_PRE_CA, p, why, sizeof(why)), PRECOND_OK);
	put("half.pem", pem, 40, p);   /* BEGIN without END */
	ck_assert_int_eq(precond_check(PLAN_PRE_CERT, p, why, sizeof(why)), PRECOND_BAD_PEM);
	ck_assert_ptr_nonnull(strstr(why, "no PEM block"));
	put("empty.pem", "", 0, p);
	ck_assert_int_eq(precond_check(PLAN_PRE_PEM, p, why, sizeof(why)), PRECOND_BAD_PEM);
	ck_assert_str_eq(why, "the file is empty");
	/* a directory of certificates is fine for crt and ca-file only */
	ck_assert_int_eq(precond_check(PLAN_PRE_CERT, dir, why, sizeof(why)), PRECOND_OK);
	ck_assert_int_eq(precond_check(PLAN_PRE_CA, dir, why, sizeof(why)), PRECOND_OK);
	ck_assert_int_eq(precond_check(PLAN_PRE_PEM, dir, why, sizeof(why)), PRECOND_UNREADABLE);
	ck_assert_ptr_nonnull(strstr(why, "directory"));
}
END_TEST

START_TEST(test_missing_and_unreadable)
{
	char p[256], why[256];

	sprintf(p, "%s/none.pem", dir);
	ck_assert_int_eq(precond_check(PLAN_PRE_CERT, p, why, sizeof(why)), PRECOND_MISSING);
	ck_assert_str_eq(why, "No such file or directory");
	sprintf(p, "%s/none/x.pem", dir);
	ck_assert_int_eq(precond_check(PLAN_PRE_TEXT, p, NULL, 0), PRECOND_MISSING);
	/* a FIFO is refused without blocking */
	sprintf(p, "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(p, 0600), 0);
	ck_assert_int_eq(precond_check(PLAN_PRE_PATTERNS, p, why, sizeof(why)), PRECOND_UNREADABLE);
	ck_assert_str_eq(why, "is not a regular file");
	/* unreadable by permissions (root reads anything: then skip) */
	put("secret.pem", pem, sizeof(pem) - 1, p);
	ck_assert_int_eq(chmod(p, 0), 0);
	if (geteuid() != 0)
		ck_assert_int_eq(precond_check(PLAN_PRE_PEM, p, why, sizeof(why)), PRECOND_UNREADABLE);
}
END_TEST

START_TEST(test_errorfile_and_text)
{
	char p[256], why[256];
	static const char bin[] = "10.0.0.0/8 a\n\0\1\2";

	put("503.http", "HTTP/1.0 503 Service Unavailable\r\n\r\n", 37, p);
	ck_assert_int_eq(precond_check(PLAN_PRE_ERRORFILE, p, why, sizeof(why)), PRECOND_OK);
	put("bare.http", "HTTP/1.1 200", 12, p);
	ck_assert_int_eq(precond_check(PLAN_PRE_ERRORFILE, p, why, sizeof(why)), PRECOND_OK);
	put("html.http", "<html>oops</html>\n", 18, p);
	ck_assert_int_eq(precond_check(PLAN_PRE_ERRORFILE, p, why, sizeof(why)), PRECOND_BAD_RESPONSE);
	ck_assert_ptr_nonnull(strstr(why, "HTTP status line"));
	put("code.http", "HTTP/1.0 50x\r\n", 14, p);
	ck_assert_int_eq(precond_check(PLAN_PRE_ERRORFILE, p, why, sizeof(why)), PRECOND_BAD_RESPONSE);
	put("acl.lst", "10.0.0.0/8\n192.168.0.0/16\n", 26, p);
	ck_assert_int_eq(precond_check(PLAN_PRE_PATTERNS, p, why, sizeof(why)), PRECOND_OK);
	ck_assert_int_eq(precond_check(PLAN_PRE_CRT_LIST, p, why, sizeof(why)), PRECOND_OK);
	put("bin.map", bin, sizeof(bin) - 1, p);
	ck_assert_int_eq(precond_check(PLAN_PRE_PATTERNS, p, why, sizeof(why)), PRECOND_NOT_TEXT);
	ck_assert_int_eq(precond_check(PLAN_PRE_DATA, p, why, sizeof(why)), PRECOND_OK);
	ck_assert_int_eq(precond_check(PLAN_PRE_DATA, dir, why, sizeof(why)), PRECOND_UNREADABLE);
}
END_TEST

static void collect(void *arg, const char *msg)
{
	char *out = arg;

	strncat(out, msg, 1023 - strlen(out));
	strncat(out, "\n", 1023 - strlen(out));
}

/* A plan with two preconditions, one holding and one not. */
START_TEST(test_check_plan)
{
	struct plan_builder *b = plan_builder_new();
	char ok[256], bad[256], out[1024] = "";
	struct plan p;
	uint8_t *buf;
	size_t len;

	put("ok.pem", pem, sizeof(pem) - 1, ok);
	sprintf(bad, "%s/gone.http", dir);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_GLOBAL), 0);
	for (uint32_t i = 0; i < 2; i++) {
		struct plan_precond *pc;

		ck_assert_uint_eq(plan_builder_add(b, PLAN_SEC_PRECOND), i);
		pc = plan_builder_at(b, PLAN_SEC_PRECOND, i);
		pc->kind = i ? PLAN_PRE_ERRORFILE : PLAN_PRE_CERT;
		pc->line = 7 + i;
		pc->col = 19;
		pc->path = plan_builder_str(b, i ? bad : ok, strlen(i ? bad : ok));
		pc->source = plan_builder_str(b, "site.cfg", 8);
		pc->keyword = plan_builder_str(b, i ? "errorfile" : "crt",
		                               i ? 9 : 3);
	}
	ck_assert_int_eq(plan_builder_finish(b, &buf, &len), 0);
	plan_builder_free(b);
	ck_assert_int_eq(plan_verify(buf, len, &p, NULL, 0), PLAN_E_OK);
	ck_assert_uint_eq(precond_check_plan(&p, collect, out), 1);
	ck_assert_ptr_nonnull(strstr(out, "site.cfg:8:19: errorfile '"));
	ck_assert_ptr_nonnull(strstr(out, "gone.http' (error file): No such file"));
	ck_assert_ptr_null(strstr(out, "ok.pem"));
	/* once the file is there, nothing fails */
	put("gone.http", "HTTP/1.1 503 x\r\n\r\n", 18, bad);
	out[0] = 0;
	ck_assert_uint_eq(precond_check_plan(&p, collect, out), 0);
	ck_assert_str_eq(out, "");
	free(buf);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(precond_kind_name(PLAN_PRE_ERRORFILE), "error file");
	ck_assert_str_eq(precond_kind_name(PLAN_PRE_KIND_MAX), "file");
	ck_assert_str_eq(precond_kind_word(PLAN_PRE_CERT), "crt");
	for (uint32_t k = 0; k < PLAN_PRE_KIND_MAX; k++) {
		ck_assert_ptr_nonnull(precond_kind_name(k));
		ck_assert_ptr_nonnull(precond_kind_word(k));
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("precond");
	TCase *tc = tcase_create("checks");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_pem);
	tcase_add_test(tc, test_missing_and_unreadable);
	tcase_add_test(tc, test_errorfile_and_text);
	tcase_add_test(tc, test_check_plan);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
