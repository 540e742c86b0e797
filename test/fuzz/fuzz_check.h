/*
 * fuzz_check.h: the invariant check of the fuzz targets. A target defines
 * FUZZ_NAME (its name, for the message) before including this; a broken
 * invariant is printed with its place and aborts (a crash for libFuzzer,
 * a failure for fuzz_main.c).
 */
#ifndef HAPC_FUZZ_CHECK_H
#define HAPC_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define fuzz_check(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s: invariant broken: %s (%s:%d)\n", \
		        FUZZ_NAME, #cond, __FILE__, __LINE__); \
		abort(); \
	} \
} while (0)

#endif /* HAPC_FUZZ_CHECK_H */
