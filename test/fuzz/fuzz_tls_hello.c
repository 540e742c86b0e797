/*
 * fuzz_tls_hello.c: fuzz target of the ClientHello reader
 * (common/tls_hello.c). Invariants, any broken one aborts:
 * - what it returns points inside the bytes it was given;
 * - a prefix of the input gives TLS_HELLO_MORE or the same verdict as the
 *   whole (the reader keeps no state, so bytes split over reads are read
 *   as if they came at once), and never finds more than the whole does;
 * - the ALPN walk stays inside the list and ends.
 * Built with fuzz_main.c for `make check`, or with libFuzzer.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "tls_hello.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_NAME "fuzz_tls_hello"
#include "fuzz_check.h"

static void fuzz_inside(const uint8_t *p, size_t n, const uint8_t *data,
                        size_t size)
{
	if (!p)
		return;
	fuzz_check(p >= data && n <= size && p - data <= (long)(size - n));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tls_hello whole, part;
	enum tls_hello_res r = tls_hello_parse(data, size, &whole), rp;
	const uint8_t *name = NULL;
	size_t nlen = 0, steps = 0;

	fuzz_check(r == TLS_HELLO_OK || r == TLS_HELLO_MORE ||
	           r == TLS_HELLO_BAD);
	fuzz_inside(whole.sni, whole.sni_len, data, size);
	fuzz_inside(whole.alpn, whole.alpn_len, data, size);
	while (tls_hello_alpn_next(&whole, &name, &nlen)) {
		fuzz_inside(name, nlen, data, size);
		fuzz_check(name >= whole.alpn &&
		           name + nlen <= whole.alpn + whole.alpn_len);
		fuzz_check(++steps <= whole.alpn_len);
	}
	for (size_t cut = 0; cut < size && cut < 4096; cut++) {
		rp = tls_hello_parse(data, cut, &part);
		fuzz_check(rp == TLS_HELLO_MORE || rp == r);
		fuzz_check(!part.sni || (whole.sni && part.sni == whole.sni));
	}
	return 0;
}
