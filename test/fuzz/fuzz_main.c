/*
 * fuzz_main.c: a plain main() for the fuzz targets, so that they build
 * with any compiler and `make check` runs them over a corpus (under ASan
 * with --enable-asan). Each file named on the command line is read and
 * given to LLVMFuzzerTestOneInput() once; a broken invariant aborts.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	int i, n = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		uint8_t *buf;
		long len;

		if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0) {
			fprintf(stderr, "%s: %s: cannot read\n", argv[0], argv[i]);
			return 2;
		}
		rewind(f);
		/* an exact-size heap copy, so that ASan sees any read past it */
		buf = malloc(len ? (size_t)len : 1);
		if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
			fprintf(stderr, "%s: %s: cannot read\n", argv[0], argv[i]);
			return 2;
		}
		fclose(f);
		LLVMFuzzerTestOneInput(buf, (size_t)len);
		free(buf);
		n++;
	}
	printf("%s: %d inputs, all invariants held\n", argv[0], n);
	return 0;
}
