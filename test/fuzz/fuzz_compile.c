/*
 * fuzz_compile.c: compile, dump and round-trip helpers of the compiler-side
 * fuzz targets (fuzz_plan.c, fuzz_cfg.c, fuzz_logfmt.c); fuzz_compile.h.
 */
#include "config.h"

#include <dlfcn.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "diag.h"
#include "dump.h"
#include "emit.h"
#include "env.h"
#include "fuzz_compile.h"
#include "model.h"
#include "parse.h"
#include "sema.h"

extern char **environ;

/*
 * The resolver of the compiler-side targets: cfgc -o resolves host names
 * (ADDR_RESOLVE) and fuzz_compile() does too, but the fuzzer must not
 * send DNS queries, be slowed or steered by them: names are looked up as
 * on a machine that knows none (numeric addresses only, any other name
 * fails as unresolvable). This definition takes the place of the C
 * library's in the fuzz programs (which then calls it with
 * AI_NUMERICHOST).
 */
int getaddrinfo(const char *node, const char *service,
                const struct addrinfo *hints, struct addrinfo **res)
{
	static int (*real)(const char *, const char *, const struct addrinfo *,
	                   struct addrinfo **);
	struct addrinfo h;

	if (!real) {
		*(void **)&real = dlsym(RTLD_NEXT, "getaddrinfo");
		if (!real)
			abort();
	}
	if (hints)
		h = *hints;
	else
		memset(&h, 0, sizeof(h));
	h.ai_flags |= AI_NUMERICHOST;
	return real(node, service, &h, res);
}

/* The environment as the process started ("NAME=value" copies). */
static char **fuzz_env;
static size_t fuzz_nenv;

static void fuzz_env_save(void)
{
	size_t n = 0;

	if (fuzz_env)
		return;
	while (environ && environ[n])
		n++;
	fuzz_env = calloc(n + 1, sizeof(*fuzz_env));
	if (!fuzz_env)
		abort();
	for (size_t i = 0; i < n; i++)
		if (!(fuzz_env[i] = strdup(environ[i])))
			abort();
	fuzz_nenv = n;
}

/* Undo what setenv, presetenv, unsetenv and resetenv lines did. */
static void fuzz_env_restore(void)
{
	clearenv();
	for (size_t i = 0; i < fuzz_nenv; i++) {
		char *eq = strchr(fuzz_env[i], '=');

		if (!eq)
			continue;
		*eq = '\0';
		setenv(fuzz_env[i], eq + 1, 1);
		*eq = '=';
	}
}

/* The first error of dc into why. */
static void fuzz_first_error(const struct diag_ctx *dc, char *why, size_t wlen)
{
	snprintf(why, wlen, "refused without an error message");
	for (const struct diag *d = dc->head; d; d = d->next)
		if (d->severity == DIAG_ERROR) {
			snprintf(why, wlen, "%u:%u: %s", d->loc.line, d->loc.col,
			         d->msg);
			return;
		}
}

/* fuzz_compile() for target `target`. */
static enum fuzz_compile_res fuzz_compile_for(const char *text, size_t len,
                                              const char *name,
                                              enum sema_target target,
                                              uint8_t **img, struct plan *p,
                                              char *why, size_t wlen)
{
	struct sema_opts opts = { .addr_opts = ADDR_RESOLVE, .target = target,
	                          .hermetic = 1, .plan_output = 1 };
	struct ast_config cfg = { 0 };
	enum fuzz_compile_res res = FUZZ_REFUSED;
	struct diag_ctx dc;
	struct model m;
	uint8_t *buf = NULL;
	size_t blen = 0;
	char *copy = malloc(len + 1);

	*img = NULL;
	snprintf(why, wlen, "out of memory");
	if (!copy)
		return FUZZ_REFUSED;
	fuzz_env_save();
	memcpy(copy, text, len);
	copy[len] = '\0';
	diag_init(&dc);
	model_init(&m);
	/* (the parser takes copy: the diagnostics show its lines) */
	if (cfg_parse_buffer(&dc, name, copy, len, &cfg, &env_parse_hooks) == 0)
		sema_run_opts(&dc, &cfg, &opts, &m);
	ast_config_free(&cfg);
	if (dc.nerrors || diag_failed(&dc)) {
		fuzz_first_error(&dc, why, wlen);
	} else if (emit_plan(&m, &buf, &blen) < 0) {
		/* cfgc reports it as an error too (out of memory or beyond
		 * the format's limits) */
		snprintf(why, wlen, "emit_plan failed");
	} else if (plan_verify(buf, blen, p, why, wlen) != PLAN_E_OK) {
		res = FUZZ_UNVERIFIED;
	} else {
		res = FUZZ_COMPILED;
		*img = buf;
		buf = NULL;
	}
	free(buf);
	model_free(&m);
	diag_free(&dc);
	fuzz_env_restore();
	return res;
}

enum fuzz_compile_res fuzz_compile(const char *text, size_t len,
                                   const char *name, uint8_t **img,
                                   struct plan *p, char *why, size_t wlen)
{
	return fuzz_compile_for(text, len, name, SEMA_TARGET_CFGRUN, img, p,
	                        why, wlen);
}

char *fuzz_dump(const struct plan *p, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (!f)
		return NULL;
	if (dump_plan(p, f) < 0) {
		fclose(f);
		free(text);
		return NULL;
	}
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* The next line of dump *t (*len bytes left) that is not a precondition
 * comment, *n bytes without its '\n', or NULL at the end. Preconditions
 * (files cfgc --hermetic recorded rather than read) are comments a dump
 * cannot carry: the text names no file where a defaults section no proxy
 * uses held one, and the line they give is the configuration's. */
static const char *fuzz_next_line(const char **t, size_t *len, size_t *n)
{
	static const char pre[] = "# precondition: ";

	while (*len) {
		const char *l = *t, *e = memchr(l, '\n', *len);
		size_t ln = e ? (size_t)(e - l) : *len, step = ln + (e ? 1 : 0);

		*t += step;
		*len -= step;
		if (ln >= sizeof(pre) - 1 && !memcmp(l, pre, sizeof(pre) - 1))
			continue;
		*n = ln;
		return l;
	}
	return NULL;
}

/* 1 when dumps a[0..al) and b[0..bl) are the same but for precondition
 * comments. */
static int fuzz_same_dump(const char *a, size_t al, const char *b, size_t bl)
{
	const char *la, *lb;
	size_t na, nb;

	for (;;) {
		la = fuzz_next_line(&a, &al, &na);
		lb = fuzz_next_line(&b, &bl, &nb);
		if (!la || !lb)
			return !la && !lb;
		if (na != nb || memcmp(la, lb, na) != 0)
			return 0;
	}
}

static int fuzz_broken(const char *who, int noabort, const char *what,
                       const char *why, const char *dump1, const char *dump2)
{
	if (noabort)
		return 0;
	fprintf(stderr, "%s: a verified plan %s: %s\n", who, what, why);
	fprintf(stderr, "--- its dump:\n%s", dump1 ? dump1 : "(none)\n");
	if (dump2)
		fprintf(stderr, "--- the dump of its compiled dump:\n%s", dump2);
	abort();
}

int fuzz_roundtrip(const struct plan *p, const char *who, int any_target,
                   int noabort)
{
	struct plan p2;
	uint8_t *img2;
	char why[512];
	char *d1, *d2;
	size_t l1, l2;
	int ok;

	d1 = fuzz_dump(p, &l1);
	if (!d1)
		return fuzz_broken(who, noabort, "cannot be dumped",
		                   "dump_plan failed", NULL, NULL);
	if (fuzz_compile(d1, l1, "dump.cfg", &img2, &p2, why, sizeof(why)) !=
	    FUZZ_COMPILED &&
	    (!any_target ||
	     fuzz_compile_for(d1, l1, "dump.cfg", SEMA_TARGET_HAPROXY, &img2, &p2,
	                      why, sizeof(why)) != FUZZ_COMPILED)) {
		ok = fuzz_broken(who, noabort, "dumps to text cfgc refuses", why,
		                 d1, NULL);
		free(d1);
		return ok;
	}
	d2 = fuzz_dump(&p2, &l2);
	ok = d2 && fuzz_same_dump(d1, l1, d2, l2);
	if (!ok)
		ok = fuzz_broken(who, noabort,
		                 "dumps to text that compiles to another plan",
		                 "dump(compile(dump(P))) != dump(P)", d1, d2);
	free(d2);
	free(img2);
	free(d1);
	return ok;
}
