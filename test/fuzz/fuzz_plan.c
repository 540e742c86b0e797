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

#include "fuzz_compile.h"
#include "plan.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plan p;
	struct plan_header *h;
	uint8_t digest[PLAN_DIGEST_LEN];
	uint8_t *img;

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
	if (plan_verify(img, size, &p, NULL, 0) == PLAN_E_OK) {
		fz.verified++;
		fz.roundtrip += (unsigned long)fuzz_roundtrip(&p, "fuzz_plan", 1,
		                                              fz.count);
	}
	free(img);
	return 0;
}
