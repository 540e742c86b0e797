/*
 * fuzz_cfg.c: fuzz target of the configuration front end. Each input is
 * a configuration file; it goes through what `cfgc --hermetic -o` does
 * (lexer, conditional blocks, parser, semantic checks, emitter), then:
 *
 *   - an input cfgc refuses (a located error) is fine;
 *   - a plan cfgc writes must verify (plan_verify());
 *   - that plan must dump to text that compiles back to the same plan
 *     (fuzz_roundtrip(), the promise fuzz_plan.c checks from the plan
 *     side).
 *
 * Nothing outside the process is touched: names are not resolved and
 * files named by the configuration are recorded, not read; what setenv
 * lines do to the environment is undone after each input. A broken
 * promise aborts (a crash for libFuzzer, a failure for fuzz_main).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_compile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plan p;
	uint8_t *img;
	char why[512];

	switch (fuzz_compile((const char *)data, size, "fuzz.cfg", &img, &p,
	                     why, sizeof(why))) {
	case FUZZ_REFUSED:
		return 0;
	case FUZZ_UNVERIFIED:
		fprintf(stderr, "fuzz_cfg: cfgc wrote a plan the verifier "
		        "refuses: %s\n", why);
		abort();
	case FUZZ_COMPILED:
		break;
	}
	fuzz_roundtrip(&p, "fuzz_cfg", 0, 0);
	free(img);
	return 0;
}
