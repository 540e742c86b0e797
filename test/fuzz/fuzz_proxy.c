/*
 * fuzz_proxy.c: fuzz target of the PROXY protocol v1/v2 header parser
 * (runtime/net/proxy_proto.c). Invariants, any broken one aborts:
 * - the verdict is OK, MORE or BAD; a refusal says why;
 * - a header found lies inside the input and within the size allowed
 *   (107 bytes for v1, `max` for v2), its TLVs inside it, its addresses
 *   of a family and length that match;
 * - a prefix of the input gives MORE or the verdict of the whole: the
 *   parser keeps no state, so bytes split over reads are read as if they
 *   came at once (a prefix holding the whole header gives the same one);
 * - the TLV lookups stay inside the TLVs;
 * - a v1 header with addresses, written again by proxy_proto_v1() from
 *   what was parsed, reads back as the same addresses; for TCP4 it is the
 *   very same bytes (IPv6 groups may carry leading zeros, which
 *   inet_pton() takes as HAProxy does, and the writer leaves out).
 * Each input is parsed with the runtime's buffer size as the limit and
 * with a tight one. Built with fuzz_main.c for `make check`, or with
 * libFuzzer.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxy_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_NAME "fuzz_proxy"
#include "fuzz_check.h"

static void fuzz_addr(const struct sockaddr_storage *sa, socklen_t len)
{
	if (sa->ss_family == AF_INET)
		fuzz_check(len == sizeof(struct sockaddr_in));
	else
		fuzz_check(sa->ss_family == AF_INET6 &&
		           len == sizeof(struct sockaddr_in6));
}

/* What a header found in data[0..size) must be. */
static void fuzz_header(const uint8_t *data, size_t size, size_t max,
                        const struct proxy_proto_hdr *h)
{
	uint8_t out[PROXY_PROTO_OUT_MAX];
	const uint8_t *val;
	size_t vlen;

	fuzz_check(h->len > 0 && h->len <= size);
	fuzz_check(h->version == 1 || h->version == 2);
	if (h->version == 1) {
		fuzz_check(h->len <= PROXY_PROTO_V1_MAX && h->tlv_len == 0);
		fuzz_check(data[h->len - 2] == '\r' && data[h->len - 1] == '\n');
	} else {
		fuzz_check(h->len >= PROXY_PROTO_V2_FIXED && h->len <= max);
		fuzz_check(h->tlv_off <= h->len &&
		           h->tlv_len <= h->len - h->tlv_off);
	}
	if (h->has_addr) {
		fuzz_addr(&h->src, h->srclen);
		fuzz_addr(&h->dst, h->dstlen);
		fuzz_check(h->src.ss_family == h->dst.ss_family);
	} else {
		fuzz_check(h->srclen == 0 && h->dstlen == 0);
	}
	for (unsigned type = 0; type <= 0x30; type++)
		for (unsigned skip = 0; skip < 3; skip++) {
			const uint8_t *tlv = data + h->tlv_off;

			if (!proxy_proto_tlv(tlv, h->tlv_len, type, skip, &val,
			                     &vlen))
				break;
			fuzz_check(val >= tlv && vlen <= h->tlv_len &&
			           (size_t)(val - tlv) <= h->tlv_len - vlen);
		}
	if (h->version == 1 && h->has_addr) {
		size_t n = proxy_proto_v1((const struct sockaddr *)&h->src,
		                          (const struct sockaddr *)&h->dst, out);

		struct proxy_proto_hdr back;
		char err[256];

		fuzz_check(proxy_proto_parse(out, n, 4096, &back, err,
		                             sizeof(err)) == PROXY_PROTO_OK);
		fuzz_check(back.len == n && back.srclen == h->srclen &&
		           back.dstlen == h->dstlen);
		fuzz_check(memcmp(&back.src, &h->src, h->srclen) == 0 &&
		           memcmp(&back.dst, &h->dst, h->dstlen) == 0);
		if (h->src.ss_family == AF_INET)
			fuzz_check(n == h->len && memcmp(out, data, n) == 0);
	}
}

static void fuzz_one(const uint8_t *data, size_t size, size_t max)
{
	struct proxy_proto_hdr whole, part;
	enum proxy_proto_res r, rp;
	char err[256];

	err[0] = '\0';
	r = proxy_proto_parse(data, size, max, &whole, err, sizeof(err));
	fuzz_check(r == PROXY_PROTO_OK || r == PROXY_PROTO_MORE ||
	           r == PROXY_PROTO_BAD);
	if (r == PROXY_PROTO_BAD)
		fuzz_check(err[0] != '\0');
	if (r == PROXY_PROTO_OK)
		fuzz_header(data, size, max, &whole);
	for (size_t cut = 0; cut < size && cut < 1024; cut++) {
		rp = proxy_proto_parse(data, cut, max, &part, err, sizeof(err));
		fuzz_check(rp == PROXY_PROTO_MORE || rp == r);
		if (rp == PROXY_PROTO_OK) {
			fuzz_check(part.len == whole.len);
			fuzz_check(part.tlv_off == whole.tlv_off &&
			           part.tlv_len == whole.tlv_len);
		}
		if (r == PROXY_PROTO_OK && cut < whole.len)
			fuzz_check(rp == PROXY_PROTO_MORE);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_one(data, size, 16384);    /* the runtime's stream buffer */
	fuzz_one(data, size, 64);       /* a tight limit */
	return 0;
}
