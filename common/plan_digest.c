/*
 * plan_digest.c: the plan's identity, SHA-256 with the digest field as zero.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <openssl/sha.h>

#include "plan.h"

/*
 * Hashes the bytes before the digest field, 32 zero bytes, then the bytes
 * after it. An image shorter than the header is hashed as far as it goes
 * (the zeros replace whatever part of the field it has), so the function is
 * safe on any input; the verifier only calls it on a full header.
 */
void plan_digest(const void *buf, size_t len, uint8_t out[PLAN_DIGEST_LEN])
{
	static const uint8_t zero[PLAN_DIGEST_LEN];
	const size_t at = offsetof(struct plan_header, digest);
	const uint8_t *p = buf;
	SHA256_CTX c;

	SHA256_Init(&c);
	if (len <= at) {
		SHA256_Update(&c, p, len);
	} else if (len <= at + PLAN_DIGEST_LEN) {
		SHA256_Update(&c, p, at);
		SHA256_Update(&c, zero, len - at);
	} else {
		SHA256_Update(&c, p, at);
		SHA256_Update(&c, zero, PLAN_DIGEST_LEN);
		SHA256_Update(&c, p + at + PLAN_DIGEST_LEN,
		              len - at - PLAN_DIGEST_LEN);
	}
	SHA256_Final(out, &c);
}

void plan_digest_hex(const uint8_t d[PLAN_DIGEST_LEN], char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < PLAN_DIGEST_LEN; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 0xf];
	}
	hex[2 * PLAN_DIGEST_LEN] = '\0';
}
