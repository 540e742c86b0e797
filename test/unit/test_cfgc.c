/*
 * test_cfgc.c: the cfgc program as users run it: exit codes, plans on
 * disk, --dump, --digest, corrupt plans, -Werror, --max-errors.
 * The binary is $CFGC (set by the test harness), else ./cfgc.
 */
#include <check.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[] = "/tmp/hapc-test-cfgc-XXXXXX";
static char out_path[256], err_path[256];

/* Run cfgc with the NULL-terminated arguments; stdout and stderr go to
 * files under `dir`. Returns the exit status, or 128+signal. */
static int cfgc(const char *arg, ...)
{
	const char *bin = getenv("CFGC") ? getenv("CFGC") : "./cfgc";
	const char *argv[16];
	size_t n = 0;
	va_list ap;
	pid_t pid;
	int st;

	argv[n++] = bin;
	va_start(ap, arg);
	for (const char *a = arg; a && n < 15; a = va_arg(ap, const char *))
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(127);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Whole contents of a file (malloc'd, NUL terminated); *len if not NULL. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = 0;
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

static void spit(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

static const char *tmp(const char *name)
{
	static char paths[8][256];
	static int i;

	i = (i + 1) % 8;
	snprintf(paths[i], sizeof(paths[i]), "%s/%s", dir, name);
	return paths[i];
}

static int err_has(const char *text)
{
	char *e = slurp(err_path, NULL);
	int found = strstr(e, text) != NULL;

	if (!found)
		fprintf(stderr, "stderr was:\n%s\n", e);
	free(e);
	return found;
}

static const char good[] =
	"global\n    maxconn 100\n"
	"defaults\n    mode tcp\n    timeout connect 1s\n"
	"    timeout client 10s\n    timeout server 10s\n"
	"frontend fe\n    bind 127.0.0.1:7100-7101\n    default_backend be\n"
	"backend be\n    server s1 127.0.0.1:7200\n";

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(out_path, sizeof(out_path), "%s/stdout", dir);
	snprintf(err_path, sizeof(err_path), "%s/stderr", dir);
	spit(tmp("good.cfg"), good, strlen(good));
}

static void teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(dir, "/tmp/hapc-test-cfgc-XXXXXX");
}

START_TEST(test_compile_deterministic)
{
	char *a, *b, *da, *db;
	size_t la, lb;

	ck_assert_int_eq(cfgc(tmp("good.cfg"), "-o", tmp("a.plan"), NULL), 0);
	ck_assert_int_eq(cfgc("-o", tmp("b.plan"), tmp("good.cfg"), NULL), 0);
	a = slurp(tmp("a.plan"), &la);
	b = slurp(tmp("b.plan"), &lb);
	ck_assert_uint_eq(la, lb);
	ck_assert(memcmp(a, b, la) == 0);
	ck_assert_int_eq(cfgc("--digest", tmp("a.plan"), NULL), 0);
	da = slurp(out_path, NULL);
	ck_assert_uint_eq(strlen(da), 65);
	ck_assert_uint_eq(strspn(da, "0123456789abcdef"), 64);
	ck_assert_int_eq(cfgc("--digest", tmp("b.plan"), NULL), 0);
	db = slurp(out_path, NULL);
	ck_assert_str_eq(da, db);
	free(a);
	free(b);
	free(da);
	free(db);
}
END_TEST

START_TEST(test_dump_roundtrip)
{
	char *d1, *d2;
	size_t len;

	ck_assert_int_eq(cfgc(tmp("good.cfg"), "-o", tmp("a.plan"), NULL), 0);
	ck_assert_int_eq(cfgc("--dump", tmp("a.plan"), NULL), 0);
	d1 = slurp(out_path, &len);
	ck_assert_ptr_nonnull(strstr(d1, "    bind 127.0.0.1:7100\n"
	                                 "    bind 127.0.0.1:7101\n"));
	ck_assert_ptr_nonnull(strstr(d1, "    server s1 127.0.0.1:7200\n"));
	spit(tmp("dump.cfg"), d1, len);
	ck_assert_int_eq(cfgc(tmp("dump.cfg"), "-o", tmp("b.plan"), NULL), 0);
	ck_assert_int_eq(cfgc("--dump", tmp("b.plan"), NULL), 0);
	d2 = slurp(out_path, NULL);
	ck_assert_str_eq(d1, d2);
	free(d1);
	free(d2);
}
END_TEST

/* compression: the algorithms in HAProxy's order (a proxy's own in front
 * of its defaults', a repeated one moved to the front), printed in the
 * order that gives it back; types from defaults and proxy; offload;
 * tune.comp.maxlevel; the dump compiles to the same dump. */
START_TEST(test_dump_compression)
{
	static const char cfg[] =
		"global\n    tune.comp.maxlevel 7\n    tune.zlib.memlevel 4\n"
		"    tune.zlib.windowsize 12\n"
		"defaults\n    mode http\n    timeout connect 1s\n"
		"    timeout client 1s\n    timeout server 1s\n"
		"    compression algo gzip\n    compression type text/html\n"
		"listen l\n    bind 127.0.0.1:7300\n"
		"    compression algo-res deflate gzip identity\n"
		"    compression type-res text/plain\n    compression offload\n"
		"    compression minsize-res 1k\n"
		"    server a 127.0.0.1:80\n";
	char *d, *d2;

	spit(tmp("comp.cfg"), cfg, sizeof(cfg) - 1);
	ck_assert_int_eq(cfgc(tmp("comp.cfg"), "-o", tmp("comp.plan"), NULL), 0);
	ck_assert_int_eq(cfgc("--dump", tmp("comp.plan"), NULL), 0);
	d = slurp(out_path, NULL);
	ck_assert_ptr_nonnull(strstr(d, "    tune.comp.maxlevel 7\n"
	                                "    tune.zlib.memlevel 4\n"
	                                "    tune.zlib.windowsize 12\n"));
	ck_assert_ptr_nonnull(strstr(d, "    compression algo deflate gzip "
	                                "identity\n"
	                                "    compression type text/html\n"
	                                "    compression type text/plain\n"
	                                "    compression offload\n"
	                                "    compression minsize-res 1024\n"));
	spit(tmp("comp2.cfg"), d, strlen(d));
	ck_assert_int_eq(cfgc(tmp("comp2.cfg"), "-o", tmp("comp2.plan"), NULL), 0);
	ck_assert_int_eq(cfgc("--dump", tmp("comp2.plan"), NULL), 0);
	d2 = slurp(out_path, NULL);
	ck_assert_str_eq(d, d2);
	free(d);
	free(d2);
}
END_TEST

/* minconn folded as HAProxy does (alone or above maxconn: the maxconn;
 * equal: a fixed limit), fullconn and prefer-last-server printed back. */
START_TEST(test_dump_dynamic_limits)
{
	static const char cfg[] =
		"defaults\n    mode http\n    timeout connect 1s\n"
		"    timeout client 1s\n    timeout server 1s\n"
		"listen l\n    bind 127.0.0.1:7300\n    fullconn 30\n"
		"    option prefer-last-server\n"
		"    server a 127.0.0.1:80 minconn 50\n"
		"    server b 127.0.0.1:80 minconn 50 maxconn 50\n"
		"    server c 127.0.0.1:80 minconn 60 maxconn 50\n"
		"    server d 127.0.0.1:80 minconn 10 maxconn 50\n";
	char *d;

	spit(tmp("dyn.cfg"), cfg, sizeof(cfg) - 1);
	ck_assert_int_eq(cfgc(tmp("dyn.cfg"), "-o", tmp("dyn.plan"), NULL), 0);
	ck_assert_int_eq(cfgc("--dump", tmp("dyn.plan"), NULL), 0);
	d = slurp(out_path, NULL);
	ck_assert_ptr_nonnull(strstr(d, "    option prefer-last-server\n"));
	ck_assert_ptr_nonnull(strstr(d, "    fullconn 30\n"));
	ck_assert_ptr_nonnull(strstr(d, "server a 127.0.0.1:80 maxconn 50\n"));
	ck_assert_ptr_nonnull(strstr(d, "server b 127.0.0.1:80 maxconn 50\n"));
	ck_assert_ptr_nonnull(strstr(d, "server c 127.0.0.1:80 maxconn 60\n"));
	ck_assert_ptr_nonnull(strstr(d, "server d 127.0.0.1:80 maxconn 50 "
	                                "minconn 10\n"));
	free(d);
}
END_TEST

START_TEST(test_corrupt_plans)
{
	char *p;
	size_t len;

	ck_assert_int_eq(cfgc(tmp("good.cfg"), "-o", tmp("a.plan"), NULL), 0);
	p = slurp(tmp("a.plan"), &len);
	/* one flipped byte in the content: the digest catches it */
	p[len - 3] ^= 0x40;
	spit(tmp("flip.plan"), p, len);
	ck_assert_int_eq(cfgc("--dump", tmp("flip.plan"), NULL), 1);
	ck_assert(err_has("digest"));
	ck_assert_int_eq(cfgc("--digest", tmp("flip.plan"), NULL), 1);
	/* truncated */
	spit(tmp("short.plan"), p, len / 2);
	ck_assert_int_eq(cfgc("--dump", tmp("short.plan"), NULL), 1);
	ck_assert(err_has("truncated"));
	/* not a plan at all */
	ck_assert_int_eq(cfgc("--dump", tmp("good.cfg"), NULL), 1);
	/* missing: an I/O problem */
	ck_assert_int_eq(cfgc("--dump", tmp("none.plan"), NULL), 2);
	free(p);
}
END_TEST

START_TEST(test_exit_codes)
{
	static const char bad[] =
		"frontend fe\n    bind :80\n    timeout client 1s\n"
		"    default_backend nope\n    balanse x\n    maxconn\n";
	static const char warn[] = "frontend fe\n    bind :80\n";

	spit(tmp("bad.cfg"), bad, strlen(bad));
	spit(tmp("warn.cfg"), warn, strlen(warn));
	ck_assert_int_eq(cfgc("-c", tmp("good.cfg"), NULL), 0);
	/* every error of the file in one run, with its location */
	ck_assert_int_eq(cfgc("-c", tmp("bad.cfg"), NULL), 1);
	ck_assert(err_has("bad.cfg:4:21: error[unknown-backend]"));
	ck_assert(err_has("bad.cfg:5:5: error[unknown-keyword]"));
	ck_assert(err_has("did you mean 'balance'?"));
	ck_assert(err_has("bad.cfg:6:5: error[missing-argument]"));
	/* no plan is written when there are errors */
	ck_assert_int_eq(cfgc(tmp("bad.cfg"), "-o", tmp("bad.plan"), NULL), 1);
	ck_assert_int_ne(access(tmp("bad.plan"), F_OK), 0);
	/* errors of several files in one run */
	ck_assert_int_eq(cfgc("-c", tmp("bad.cfg"), tmp("warn.cfg"), NULL), 1);
	ck_assert(err_has("warn.cfg:1:10: warning[missing-timeouts]"));
	/* --max-errors */
	ck_assert_int_eq(cfgc("-c", "--max-errors", "1", tmp("bad.cfg"), NULL), 1);
	ck_assert(err_has("2 more errors not shown"));
	/* warnings: 0, or 1 under -Werror */
	ck_assert_int_eq(cfgc("-c", tmp("warn.cfg"), NULL), 0);
	ck_assert_int_eq(cfgc("-Werror", "-c", tmp("warn.cfg"), NULL), 1);
	/* usage and I/O problems */
	ck_assert_int_eq(cfgc(NULL), 2);
	ck_assert_int_eq(cfgc("-c", tmp("missing.cfg"), NULL), 2);
	ck_assert_int_eq(cfgc("-c", "-o", tmp("x.plan"), tmp("good.cfg"), NULL), 2);
	ck_assert_int_eq(cfgc("--bogus", NULL), 2);
	ck_assert_int_eq(cfgc(tmp("good.cfg"), "-o", tmp("no/such/dir/p"), NULL), 2);
	ck_assert_int_eq(cfgc("--help", NULL), 0);
	ck_assert_int_eq(cfgc("--version", NULL), 0);
}
END_TEST

/* -cc: HAProxy's exit codes, the real lexer (quotes, variables), and an
 * error located in the expression itself. */
START_TEST(test_cond)
{
	setenv("HAPC_TEST_CC", "yes", 1);
	ck_assert_int_eq(cfgc("-cc", "1", NULL), 0);
	ck_assert_int_eq(cfgc("-cc", "0", NULL), 1);
	ck_assert_int_eq(cfgc("-cc", "", NULL), 1);
	ck_assert_int_eq(cfgc("-cc", "version_atleast(3.5)", NULL), 0);
	ck_assert_int_eq(cfgc("-cc", "version_before(3.5)", NULL), 1);
	ck_assert_int_eq(cfgc("-cc", "feature(OPENSSL)", NULL), 0);
	ck_assert_int_eq(cfgc("-cc", "streq(\"${HAPC_TEST_CC}\",yes) && "
	                      "!defined(HAPC_TEST_CC_UNSET)", NULL), 0);
	ck_assert_int_eq(cfgc("-cc", "streq(\"${HAPC_TEST_CC}\",no)", NULL), 1);
	ck_assert_int_eq(cfgc("-cc", "1 2", NULL), 2);
	ck_assert(err_has("<condition>:1:3: error[bad-condition]: "));
	ck_assert(err_has("\n1 2\n  ^\n"));
	ck_assert_int_eq(cfgc("-cc", "nosuch(1)", NULL), 2);
	ck_assert(err_has("unknown predicate 'nosuch'"));
	ck_assert_int_eq(cfgc("-cc", "1\n", NULL), 2);
	ck_assert_int_eq(cfgc("-cc", "1", "2", NULL), 2);
	ck_assert_int_eq(cfgc("-cc", "(1", "--diagnostics-format=json", NULL), 2);
	{
		char *o = slurp(out_path, NULL);

		ck_assert_ptr_nonnull(strstr(o, "\"code\": \"bad-condition\""));
		ck_assert_ptr_nonnull(strstr(o, "\"file\": \"<condition>\", "
		                             "\"line\": 1"));
		free(o);
	}
}
END_TEST

/* --target and --diagnostics-format: accepted values, refusals, and where
 * each format goes. */
START_TEST(test_options)
{
	const char *bad = "frontend fe\n    bind :80\n    maxconnn 1\n";
	char *o;

	spit(tmp("bad.cfg"), bad, strlen(bad));
	ck_assert_int_eq(cfgc("-c", "--target=haproxy", tmp("good.cfg"), NULL), 0);
	ck_assert_int_eq(cfgc("-c", "--target=cfgrun", tmp("good.cfg"), NULL), 0);
	ck_assert_int_eq(cfgc("-c", "--target=nginx", tmp("good.cfg"), NULL), 2);
	ck_assert(err_has("--target expects 'cfgrun' or 'haproxy', found 'nginx'"));
	ck_assert_int_eq(cfgc("-c", "--diagnostics-format=xml", tmp("good.cfg"),
	                      NULL), 2);
	ck_assert(err_has("found 'xml'"));

	ck_assert_int_eq(cfgc("-c", "--diagnostics-format=json", tmp("bad.cfg"),
	                      NULL), 1);
	o = slurp(out_path, NULL);
	ck_assert_ptr_nonnull(strstr(o, "{\"diagnostics\": ["));
	ck_assert_ptr_nonnull(strstr(o, "\"code\": \"unknown-keyword\""));
	ck_assert_ptr_nonnull(strstr(o, "\"line\": 3, \"column\": 5, "
	                             "\"end_column\": 13"));
	free(o);
	o = slurp(err_path, NULL);
	ck_assert_str_eq(o, "");      /* nothing on stderr in json mode */
	free(o);

	ck_assert_int_eq(cfgc("-c", "--diagnostics-format=sarif", tmp("bad.cfg"),
	                      NULL), 1);
	o = slurp(out_path, NULL);
	ck_assert_ptr_nonnull(strstr(o, "\"version\": \"2.1.0\""));
	ck_assert_ptr_nonnull(strstr(o, "\"ruleId\": \"unknown-keyword\""));
	ck_assert_ptr_nonnull(strstr(o, "\"startLine\": 3"));
	free(o);

	ck_assert_int_eq(cfgc("-c", "--diagnostics-format=text", tmp("bad.cfg"),
	                      NULL), 1);
	ck_assert(err_has(":3:5: error[unknown-keyword]: "));
	o = slurp(out_path, NULL);
	ck_assert_str_eq(o, "");
	free(o);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cfgc");
	TCase *tc = tcase_create("cli");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_compile_deterministic);
	tcase_add_test(tc, test_dump_roundtrip);
	tcase_add_test(tc, test_dump_dynamic_limits);
	tcase_add_test(tc, test_dump_compression);
	tcase_add_test(tc, test_corrupt_plans);
	tcase_add_test(tc, test_exit_codes);
	tcase_add_test(tc, test_cond);
	tcase_add_test(tc, test_options);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
