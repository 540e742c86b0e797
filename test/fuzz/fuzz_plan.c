/*
 * fuzz_plan.c: fuzz target of the plan verifier and of the promise it
 * makes: a plan that verifies is one cfgc could have written, so that
 *
 *   dump(P) compiles back (default target, cfgrun), and the plan P2 it
 *   gives dumps to the very same text: dump(P2) == dump(P).
 *
 * (P2 is "the same plan" up to what a dump cannot carry: the source file
 * names and line numbers recorded for logs and preconditions, which the
 * digest covers. dump(P2) == dump(P) is the comparison that is left.)
 *
 * Each input is a plan image. Its header's size and digest are fixed up
 * first (when the input is at least a header long), so that mutations
 * reach past the digest check into the tables. An input that does not
 * verify is fine; one that verifies and breaks the property aborts (a
 * crash for libFuzzer, a failure for fuzz_main), after printing the
 * verifier's view, the dump and the compiler's first diagnostic.
 *
 * With HAPC_FUZZ_PLAN_COUNT set in the environment the target counts
 * instead of aborting, and prints "verified N, round-trip M" at exit (the
 * measurement doc/fuzzing.md describes).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "dump.h"
#include "emit.h"
#include "env.h"
#include "model.h"
#include "parse.h"
#include "plan.h"
#include "sema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct {
	int init;                   /* environment read */
	int count;                  /* HAPC_FUZZ_PLAN_COUNT: count, no abort */
	unsigned long verified;     /* inputs that verified */
	unsigned long roundtrip;    /* of those, the ones that round-trip */
} fz;

static void fuzz_plan_report(void)
{
	fprintf(stderr, "fuzz_plan: verified %lu, round-trip %lu\n",
	        fz.verified, fz.roundtrip);
}

/* dump_plan() of `p` into a malloc'ed string (*len bytes), or NULL. */
static char *fuzz_plan_dump(const struct plan *p, size_t *len)
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

/*
 * Compile configuration `text` for cfgrun (no name resolution, files
 * recorded rather than read: nothing outside the process is touched) and
 * verify the plan. Returns the image (free()) and fills *p, or NULL with
 * the first diagnostic in `why`.
 */
static uint8_t *fuzz_plan_compile(const char *text, size_t len,
                                  struct plan *p, char *why, size_t wlen)
{
	struct sema_opts opts = { .addr_opts = 0, .target = SEMA_TARGET_CFGRUN,
	                          .hermetic = 1, .plan_output = 1 };
	struct ast_config cfg = { 0 };
	struct diag_ctx dc;
	struct model m;
	uint8_t *buf = NULL;
	size_t blen = 0;
	char *copy = malloc(len + 1);
	int ok;

	snprintf(why, wlen, "out of memory");
	if (!copy)
		return NULL;
	memcpy(copy, text, len);
	copy[len] = '\0';
	diag_init(&dc);
	model_init(&m);
	ok = cfg_parse_buffer(&dc, "dump.cfg", copy, len, &cfg,
	                      &env_parse_hooks) == 0;
	if (ok)
		sema_run_opts(&dc, &cfg, &opts, &m);
	ast_config_free(&cfg);
	ok = ok && dc.nerrors == 0 && !diag_failed(&dc);
	if (!ok) {
		for (const struct diag *d = dc.head; d; d = d->next)
			if (d->severity == DIAG_ERROR) {
				snprintf(why, wlen, "%u:%u: %s", d->loc.line,
				         d->loc.col, d->msg);
				break;
			}
	} else if (emit_plan(&m, &buf, &blen) < 0) {
		snprintf(why, wlen, "emit_plan failed");
		ok = 0;
	} else if (plan_verify(buf, blen, p, why, wlen) != PLAN_E_OK) {
		ok = 0;
	}
	model_free(&m);
	diag_free(&dc);
	if (!ok) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void fuzz_plan_fail(const char *what, const char *why,
                           const char *dump1, const char *dump2)
{
	if (fz.count)
		return;
	fprintf(stderr, "fuzz_plan: a verified plan %s: %s\n", what, why);
	fprintf(stderr, "--- its dump:\n%s", dump1 ? dump1 : "(none)\n");
	if (dump2)
		fprintf(stderr, "--- the dump of its compiled dump:\n%s", dump2);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plan p, p2;
	struct plan_header *h;
	uint8_t digest[PLAN_DIGEST_LEN];
	uint8_t *img, *img2;
	char why[512];
	char *d1, *d2;
	size_t l1, l2;

	if (!fz.init) {
		fz.init = 1;
		fz.count = getenv("HAPC_FUZZ_PLAN_COUNT") != NULL;
		if (fz.count)
			atexit(fuzz_plan_report);
	}
	/* an 8-byte aligned, exact-size copy (plan_verify wants alignment) */
	img = malloc(size ? size : 1);
	if (!img)
		return 0;
	memcpy(img, data, size);
	if (size >= sizeof(struct plan_header)) {
		h = (struct plan_header *)img;
		h->file_size = size;
		memset(h->digest, 0, sizeof(h->digest));
		plan_digest(img, size, digest);
		memcpy(h->digest, digest, sizeof(digest));
	}
	if (plan_verify(img, size, &p, NULL, 0) != PLAN_E_OK) {
		free(img);
		return 0;
	}
	fz.verified++;
	d1 = fuzz_plan_dump(&p, &l1);
	if (!d1) {
		fuzz_plan_fail("cannot be dumped", "dump_plan failed", NULL, NULL);
		goto out;
	}
	img2 = fuzz_plan_compile(d1, l1, &p2, why, sizeof(why));
	if (!img2) {
		fuzz_plan_fail("dumps to text cfgc refuses", why, d1, NULL);
		goto out_d1;
	}
	d2 = fuzz_plan_dump(&p2, &l2);
	if (!d2 || l1 != l2 || memcmp(d1, d2, l1) != 0)
		fuzz_plan_fail("dumps to text that compiles to another plan",
		               "dump(compile(dump(P))) != dump(P)", d1, d2);
	else
		fz.roundtrip++;
	free(d2);
	free(img2);
out_d1:
	free(d1);
out:
	free(img);
	return 0;
}
