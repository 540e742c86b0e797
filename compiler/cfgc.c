/*
 * cfgc.c: the command line of the compiler.
 *
 *   cfgc [options] FILE... -o PLAN    compile
 *   cfgc -c FILE...                   check only
 *   cfgc --dump PLAN                  plan -> canonical configuration
 *   cfgc --digest PLAN                plan -> SHA-256 content digest
 *   cfgc -cc 'EXPR'                   evaluate one .if condition
 *   cfgc --diff OLD NEW               what changed between two plans
 *   cfgc --graph PLAN                 plan -> Graphviz dot
 *   cfgc --route PLAN 'GET URL' ...   one request through the rules
 *   cfgc --route-test FILE PLAN       a file of requests and outcomes
 *
 * Exit status: 0 clean, 1 errors (or warnings under -Werror), 2 usage or
 * I/O problem; -cc: 0 true, 1 false, 2 error; --diff: 0 same, 1 different,
 * 2 trouble (as diff(1)); --route: 0 evaluated, 2 bad request or plan;
 * --route-test: 0 all met, 1 a mismatch, 2 bad FILE or plan.
 */
#include "config.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "diag.h"
#include "diag_json.h"
#include "dump.h"
#include "emit.h"
#include "env.h"
#include "model.h"
#include "parse.h"
#include "plan.h"
#include "plan-diff.h"
#include "plan-graph.h"
#include "route.h"
#include "sema.h"

#define EXIT_ERRORS 1
#define EXIT_USAGE  2

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: cfgc [options] FILE... -o PLAN   compile to a plan\n"
	        "       cfgc -c [options] FILE...        check only\n"
	        "       cfgc --dump PLAN                 print a plan as configuration\n"
	        "       cfgc --digest PLAN               print a plan's SHA-256 digest\n"
	        "       cfgc -cc 'EXPR'                  evaluate one .if condition\n"
	        "       cfgc --diff OLD NEW              list what changed between plans\n"
	        "       cfgc --graph PLAN                print a plan as Graphviz dot\n"
	        "       cfgc --route PLAN 'METHOD URL' [-H 'Name: value']... [--src IP[:PORT]]\n"
	        "            [--sni NAME] [--frontend NAME]\n"
	        "                                        trace one request through the rules\n"
	        "       cfgc --route-test FILE PLAN      check a file of requests and outcomes\n"
	        "\n"
	        "Options:\n"
	        "  -o, --output PLAN     write the compiled plan to PLAN\n"
	        "  -c, --check           check the configuration, write nothing\n"
	        "      --max-errors N    stop reporting after N errors (0: no limit)\n"
	        "      --target=T        lint for T: cfgrun (default) or haproxy\n"
	        "      --hermetic        do not read the files the configuration\n"
	        "                        names: record them in the plan for cfgrun\n"
	        "                        to check when it starts\n"
	        "      --diagnostics-format=F\n"
	        "                        text (default, on stderr), json or sarif\n"
	        "                        (one document on stdout)\n"
	        "  -Werror               treat warnings as errors\n"
	        "      --dump PLAN       print PLAN as canonical configuration text\n"
	        "      --digest PLAN     print PLAN's content digest\n"
	        "  -H 'Name: value'      --route: a request header line (repeatable)\n"
	        "      --src IP[:PORT]   --route: the client address (127.0.0.1:50000)\n"
	        "      --sni NAME        --route: the request came over TLS with this SNI\n"
	        "      --frontend NAME   --route: the frontend (first HTTP one)\n"
	        "  -h, --help            show this help\n"
	        "  -v, --version         show the version\n"
	        "\n"
	        "Exit status: 0 clean, 1 errors, 2 usage or I/O problem.\n"
	        "-cc: 0 true, 1 false, 2 error. --diff: 0 same, 1 different, "
	        "2 trouble.\n"
	        "--route-test: 0 all met, 1 a mismatch, 2 bad file or plan.\n");
}

/* Open and verify a plan for --dump/--digest; exit status on failure. */
static int open_plan(const char *path, struct plan *p)
{
	char detail[256] = "";
	enum plan_err e = plan_open(path, p, detail, sizeof(detail));

	if (e == PLAN_E_OK)
		return 0;
	fprintf(stderr, "cfgc: %s: %s%s%s\n", path, plan_strerror(e),
	        detail[0] ? ": " : "", detail);
	return e == PLAN_E_IO ? EXIT_USAGE : EXIT_ERRORS;
}

static int cmd_dump(const char *path)
{
	struct plan p;
	int ret = open_plan(path, &p);

	if (ret)
		return ret;
	ret = dump_plan(&p, stdout) < 0 ? EXIT_USAGE : 0;
	plan_close(&p);
	if (ret)
		fprintf(stderr, "cfgc: cannot write the dump to standard output\n");
	return ret;
}

static int cmd_digest(const char *path)
{
	struct plan p;
	char hex[65];
	int ret = open_plan(path, &p);

	if (ret)
		return ret;
	plan_digest_hex(p.hdr->digest, hex);
	printf("%s\n", hex);
	plan_close(&p);
	return fflush(stdout) == 0 ? 0 : EXIT_USAGE;
}

/* --diff: both plans verified, then compared by object. */
static int cmd_diff(const char *old_path, const char *new_path)
{
	struct plan a, b;
	unsigned long n;

	if (open_plan(old_path, &a))
		return EXIT_USAGE;
	if (open_plan(new_path, &b)) {
		plan_close(&a);
		return EXIT_USAGE;
	}
	n = plan_diff(&a, &b, stdout);
	plan_close(&a);
	plan_close(&b);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "cfgc: cannot write the differences\n");
		return EXIT_USAGE;
	}
	return n ? 1 : 0;
}

static int cmd_graph(const char *path)
{
	struct plan p;
	int ret = open_plan(path, &p);

	if (ret)
		return ret;
	ret = plan_graph(&p, stdout) < 0 ? EXIT_USAGE : 0;
	plan_close(&p);
	if (ret)
		fprintf(stderr, "cfgc: cannot write the graph to standard output\n");
	return ret;
}

/* --route: one request through the plan's rules, traced on stdout. */
static int cmd_route(const char *path, const struct route_req *rq)
{
	struct route_result res;
	struct plan p;
	char err[512];
	int ret = open_plan(path, &p);

	if (ret)
		return EXIT_USAGE;
	ret = route_run(&p, rq, stdout, &res, err, sizeof(err));
	plan_close(&p);
	if (ret < 0) {
		fprintf(stderr, "cfgc: --route: %s\n", err);
		return EXIT_USAGE;
	}
	route_result_free(&res);
	return fflush(stdout) == 0 ? 0 : EXIT_USAGE;
}

/* --route-test FILE PLAN */
static int cmd_route_test(const char *file, const char *path)
{
	struct plan p;
	int ret = open_plan(path, &p);

	if (ret)
		return EXIT_USAGE;
	ret = route_test_file(file, &p);
	plan_close(&p);
	if (fflush(stdout) != 0)
		return EXIT_USAGE;
	return ret;
}

/* Parse, evaluate and (with `output`) emit and write. */
/* How diagnostics are printed (--diagnostics-format). */
enum cfgc_diag_format {
	CFGC_DIAG_TEXT  = 0,    /* GCC-like text on stderr */
	CFGC_DIAG_JSON  = 1,    /* one JSON document on stdout */
	CFGC_DIAG_SARIF = 2,    /* one SARIF 2.1.0 log on stdout */
};

/* Print the queue in `fmt`; -1 when stdout could not be written. */
static int print_diags(const struct diag_ctx *dc, enum cfgc_diag_format fmt)
{
	switch (fmt) {
	case CFGC_DIAG_JSON:
		return diag_print_json(dc, stdout);
	case CFGC_DIAG_SARIF:
		return diag_print_sarif(dc, stdout, PACKAGE_VERSION);
	case CFGC_DIAG_TEXT:
		break;
	}
	diag_print(dc, stderr);
	return 0;
}

static int cmd_compile(char **files, int nfiles, const char *output,
                       unsigned max_errors, int werror,
                       enum sema_target target, enum cfgc_diag_format fmt,
                       int hermetic)
{
	struct sema_opts opts = {
		.addr_opts = output ? ADDR_RESOLVE : 0, .target = target,
		.plan_output = output != NULL,
		.hermetic = hermetic,
	};
	struct diag_ctx dc;
	struct ast_config cfg = { 0 };
	struct model m;
	int io_error = 0, ret;

	diag_init(&dc);
	dc.max_errors = max_errors;
	dc.werror = werror;
	model_init(&m);
	for (int i = 0; i < nfiles; i++)
		if (cfg_parse_file(&dc, files[i], &cfg, &env_parse_hooks) < 0)
			io_error = 1;
	if (!io_error)
		sema_run_opts(&dc, &cfg, &opts, &m);
	ast_config_free(&cfg);

	if (!io_error && output && dc.nerrors == 0 && !diag_failed(&dc)) {
		uint8_t *buf = NULL;
		size_t len = 0;
		char err[512];

		if (emit_plan(&m, &buf, &len) < 0) {
			diag_error(&dc, NULL, "no-memory",
			           "cannot lay out the plan: out of memory or beyond "
			           "the format's limits");
		} else if ((model_has_keys(&m) ?
		            plan_write_file_private(output, buf, len, err,
		                                    sizeof(err)) :
		            plan_write_file(output, buf, len, err,
		                            sizeof(err))) < 0) {
			diag_error(&dc, NULL, "io", "cannot write plan '%s': %s",
			           output, err);
			io_error = 1;
		}
		free(buf);
	}
	if (print_diags(&dc, fmt) < 0) {
		fprintf(stderr, "cfgc: cannot write the diagnostics to standard "
		        "output\n");
		io_error = 1;
	}
	ret = io_error ? EXIT_USAGE : diag_failed(&dc) ? EXIT_ERRORS : 0;
	model_free(&m);
	diag_free(&dc);
	return ret;
}

/*
 * -cc: evaluate `expr` as the condition of a `.if` line, read by the real
 * grammar (quotes, escapes, variables) and evaluator. The expression is
 * wrapped as ".if EXPR / global / .endif": the condition held when the
 * global section was read. Exit status as HAProxy's -cc: 0 true, 1 false,
 * 2 error (diagnostics printed in `fmt`, columns counted in EXPR itself).
 */
static int cmd_cond(const char *expr, enum cfgc_diag_format fmt)
{
	static const char pre[] = ".if ", post[] = "\nglobal\n.endif\n";
	size_t n = strlen(expr), plen = sizeof(pre) - 1;
	struct ast_config cfg = { 0 };
	struct diag_ctx dc;
	char *text;
	int ret = 1;

	if (strpbrk(expr, "\n\r")) {
		fprintf(stderr, "cfgc: -cc expects a condition on one line, found "
		        "a line break\n");
		return EXIT_USAGE;
	}
	text = malloc(plen + n + sizeof(post));
	if (!text) {
		fprintf(stderr, "cfgc: out of memory\n");
		return EXIT_USAGE;
	}
	memcpy(text, pre, plen);
	memcpy(text + plen, expr, n);
	memcpy(text + plen + n, post, sizeof(post));
	diag_init(&dc);
	cfg_parse_buffer(&dc, "<condition>", text, plen + n + sizeof(post) - 1,
	                 &cfg, NULL);
	for (const struct ast_section *sec = cfg.sections; sec; sec = sec->next)
		if (sec->kind == AST_SEC_GLOBAL)
			ret = 0;
	ast_config_free(&cfg);
	if (dc.nerrors) {
		/* show the expression alone: shift line 1 by the ".if " */
		for (struct diag *d = dc.head; d; d = d->next) {
			if (!d->has_loc || d->loc.line != 1)
				continue;
			d->loc.col = d->loc.col > plen ? d->loc.col - (uint32_t)plen : 1;
			d->loc.end_col = d->loc.end_col > plen ?
			                 d->loc.end_col - (uint32_t)plen : d->loc.col + 1;
		}
		if (dc.nfiles == 1 && (text = strdup(expr)))
			diag_replace_text(&dc, 0, text, n);
		ret = EXIT_USAGE;
	}
	if (print_diags(&dc, fmt) < 0)
		ret = EXIT_USAGE;
	diag_free(&dc);
	return ret;
}

int main(int argc, char **argv)
{
	enum { OPT_DUMP = 256, OPT_DIGEST, OPT_MAX_ERRORS, OPT_TARGET,
	       OPT_DIAG_FORMAT, OPT_DIFF, OPT_GRAPH, OPT_HERMETIC, OPT_ROUTE,
	       OPT_ROUTE_TEST, OPT_SRC, OPT_SNI, OPT_FRONTEND };
	static const struct option longopts[] = {
		{ "output",     required_argument, NULL, 'o' },
		{ "check",      no_argument,       NULL, 'c' },
		{ "dump",       required_argument, NULL, OPT_DUMP },
		{ "digest",     required_argument, NULL, OPT_DIGEST },
		{ "diff",       no_argument,       NULL, OPT_DIFF },
		{ "graph",      required_argument, NULL, OPT_GRAPH },
		{ "max-errors", required_argument, NULL, OPT_MAX_ERRORS },
		{ "target",     required_argument, NULL, OPT_TARGET },
		{ "hermetic",   no_argument,       NULL, OPT_HERMETIC },
		{ "route",      required_argument, NULL, OPT_ROUTE },
		{ "route-test", no_argument,       NULL, OPT_ROUTE_TEST },
		{ "src",        required_argument, NULL, OPT_SRC },
		{ "sni",        required_argument, NULL, OPT_SNI },
		{ "frontend",   required_argument, NULL, OPT_FRONTEND },
		{ "diagnostics-format", required_argument, NULL, OPT_DIAG_FORMAT },
		{ "help",       no_argument,       NULL, 'h' },
		{ "version",    no_argument,       NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	const char *output = NULL, *dump = NULL, *digest = NULL, *graph = NULL;
	int diff = 0;
	unsigned max_errors = 0;
	enum sema_target target = SEMA_TARGET_CFGRUN;
	enum cfgc_diag_format fmt = CFGC_DIAG_TEXT;
	int check = 0, werror = 0, hermetic = 0, c;
	const char *cond = NULL, *route = NULL;
	struct route_req rq = { 0 };
	int route_test = 0, route_opts = 0;

	diag_set_progname("cfgc");
	if (env_set_haproxy_vars() < 0) {
		fprintf(stderr, "cfgc: out of memory\n");
		return EXIT_USAGE;
	}
	/* as haproxy -cc, the word after "-cc" is the condition even when it
	 * starts with '-' ("-1000 && 200"): taken out before getopt sees it */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (strcmp(argv[i], "-cc") || i + 1 >= argc)
			continue;
		cond = argv[i + 1];
		check = 2;
		for (int j = i; j + 2 <= argc; j++)
			argv[j] = argv[j + 2];     /* argv[argc] (NULL) moves too */
		argc -= 2;
		break;
	}
	while ((c = getopt_long(argc, argv, "o:chvW:H:", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'c':
			check++;                /* -cc: evaluate a condition */
			break;
		case OPT_DUMP:
			dump = optarg;
			break;
		case OPT_DIGEST:
			digest = optarg;
			break;
		case OPT_DIFF:
			diff = 1;
			break;
		case OPT_GRAPH:
			graph = optarg;
			break;
		case OPT_MAX_ERRORS: {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (!optarg[0] || *end || optarg[0] == '-' || v > UINT_MAX) {
				fprintf(stderr, "cfgc: --max-errors expects a number, "
				        "found '%s'\n", optarg);
				return EXIT_USAGE;
			}
			max_errors = (unsigned)v;
			break;
		}
		case OPT_TARGET:
			if (!strcmp(optarg, "cfgrun")) {
				target = SEMA_TARGET_CFGRUN;
			} else if (!strcmp(optarg, "haproxy")) {
				target = SEMA_TARGET_HAPROXY;
			} else {
				fprintf(stderr, "cfgc: --target expects 'cfgrun' or "
				        "'haproxy', found '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_HERMETIC:
			hermetic = 1;
			break;
		case OPT_ROUTE:
			route = optarg;
			break;
		case OPT_ROUTE_TEST:
			route_test = 1;
			break;
		case 'H':
			if (rq.nhdrs >= ROUTE_MAX_HDRS) {
				fprintf(stderr, "cfgc: at most %u -H options\n",
				        ROUTE_MAX_HDRS);
				return EXIT_USAGE;
			}
			rq.hdrs[rq.nhdrs++] = optarg;
			route_opts = 1;
			break;
		case OPT_SRC:
			rq.src = optarg;
			route_opts = 1;
			break;
		case OPT_SNI:
			rq.sni = optarg;
			route_opts = 1;
			break;
		case OPT_FRONTEND:
			rq.frontend = optarg;
			route_opts = 1;
			break;
		case OPT_DIAG_FORMAT:
			if (!strcmp(optarg, "text")) {
				fmt = CFGC_DIAG_TEXT;
			} else if (!strcmp(optarg, "json")) {
				fmt = CFGC_DIAG_JSON;
			} else if (!strcmp(optarg, "sarif")) {
				fmt = CFGC_DIAG_SARIF;
			} else {
				fprintf(stderr, "cfgc: --diagnostics-format expects "
				        "'text', 'json' or 'sarif', found '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'W':
			if (strcmp(optarg, "error")) {
				fprintf(stderr, "cfgc: unknown warning option '-W%s' "
				        "(expected -Werror)\n", optarg);
				return EXIT_USAGE;
			}
			werror = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'v':
			printf("cfgc (%s) %s, HAProxy %s configuration language\n",
			       PACKAGE_NAME, PACKAGE_VERSION, CFG_COMPAT_VERSION);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (route || route_test) {
		if ((route && route_test) || output || check || dump || digest ||
		    graph || diff || (route_test && route_opts) ||
		    optind + 1 + route_test != argc) {
			fprintf(stderr, "cfgc: --route takes a plan and one request "
			        "('METHOD URL') with -H, --src, --sni, --frontend; "
			        "--route-test a test file and a plan\n");
			return EXIT_USAGE;
		}
		if (route_test)
			return cmd_route_test(argv[optind], argv[optind + 1]);
		rq.request = argv[optind];
		return cmd_route(route, &rq);
	}
	if (route_opts) {
		fprintf(stderr, "cfgc: -H, --src, --sni and --frontend go with "
		        "--route\n");
		return EXIT_USAGE;
	}
	if (dump || digest || graph || diff) {
		if ((!!dump + !!digest + !!graph + diff) > 1 || output || check ||
		    optind + (diff ? 2 : 0) != argc) {
			fprintf(stderr, "cfgc: --dump, --digest and --graph take one "
			        "plan, --diff two, and no other mode or file\n");
			return EXIT_USAGE;
		}
		if (diff)
			return cmd_diff(argv[optind], argv[optind + 1]);
		if (graph)
			return cmd_graph(graph);
		return dump ? cmd_dump(dump) : cmd_digest(digest);
	}
	if (check >= 2) {
		if (output || optind + !cond != argc) {
			fprintf(stderr, "cfgc: -cc takes one condition and nothing "
			        "else\n");
			return EXIT_USAGE;
		}
		return cmd_cond(cond ? cond : argv[optind], fmt);
	}
	if (optind >= argc) {
		fprintf(stderr, "cfgc: no configuration file given\n");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (check == !!output) {
		fprintf(stderr, "cfgc: give either -c (check only) or -o PLAN "
		        "(compile)\n");
		usage(stderr);
		return EXIT_USAGE;
	}
	return cmd_compile(argv + optind, argc - optind, output, max_errors,
	                   werror, target, fmt, hermetic);
}
