/*
 * fuzz_compile.h: what the compiler-side fuzz targets share
 * (fuzz_compile.c): compiling configuration text as cfgc does for
 * cfgrun, dumping a plan, and checking the verifier's promise that a plan
 * that verifies dumps to text that compiles back to the same plan.
 */
#ifndef HAPC_FUZZ_COMPILE_H
#define HAPC_FUZZ_COMPILE_H

#include <stddef.h>
#include <stdint.h>

#include "plan.h"

/* How far fuzz_compile() got. */
enum fuzz_compile_res {
	FUZZ_COMPILED = 0,      /* a plan, and plan_verify() accepts it */
	FUZZ_REFUSED  = 1,      /* cfgc reports an error (located) */
	FUZZ_UNVERIFIED = 2,    /* compiled without an error, yet the
	                           verifier refuses the plan: a bug */
};

/*
 * Compile configuration text[0..len) (named `name` in diagnostics) for
 * cfgrun as `cfgc --hermetic -o` does, on a machine whose resolver knows
 * no name (numeric addresses only): lex, parse, check, emit; then
 * verify the plan. On FUZZ_COMPILED *img is the image (free()) and *p its
 * verified view; otherwise *img is NULL and `why` holds the first error.
 * The process environment is put back as it was after the compilation
 * (setenv lines change it), so that inputs do not leak into each other.
 */
enum fuzz_compile_res fuzz_compile(const char *text, size_t len,
                                   const char *name, uint8_t **img,
                                   struct plan *p, char *why, size_t wlen);

/* dump_plan() of p (what cfgc --dump prints) into a malloc'ed string of
 * *len bytes, or NULL. */
char *fuzz_dump(const struct plan *p, size_t *len);

/*
 * The promise for a verified plan p: dump(p) compiles, and the plan it
 * gives dumps to the very same text (but for precondition comments). The
 * dump is compiled for cfgrun; with `any_target`, when cfgrun's target
 * refuses it, for --target=haproxy too (a plan cfgc wrote there may keep
 * what cfgrun's checks refuse, such as a cipher list BoringSSL lacks).
 * 1 when it holds; when it does not, prints the dump, the reason and the
 * second dump to stderr, then aborts unless `noabort` (then returns 0).
 * `who` names the target.
 */
int fuzz_roundtrip(const struct plan *p, const char *who, int any_target,
                   int noabort);

#endif /* HAPC_FUZZ_COMPILE_H */
