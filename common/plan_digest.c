/*
 * plan_digest.c: the plan's identity, SHA-256 with the digest field as zero.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <openssl/sha.h>

#include "plan.h"

_Static_assert(sizeof(SHA256_CTX) <= sizeof(((struct plan_digest_ctx *)0)->sha),
               "plan_digest_ctx too small for SHA256_CTX");

void plan_digest_init(struct plan_digest_ctx *c)
{
	c->pos = 0;
	SHA256_Init((SHA256_CTX *)(void *)c->sha);
}

/*
 * Bytes of the image at [pos, pos+len): the part inside the digest field
 * is hashed as zeros, the rest as it is.
 */
void plan_digest_update(struct plan_digest_ctx *c, const void *buf, size_t len)
{
	static const uint8_t zero[PLAN_DIGEST_LEN];
	const uint64_t at = offsetof(struct plan_header, digest);
	const uint64_t end = at + PLAN_DIGEST_LEN;
	SHA256_CTX *sha = (SHA256_CTX *)(void *)c->sha;
	const uint8_t *p = buf;
	size_t n;

	while (len) {
		if (c->pos < at)
			n = (size_t)(at - c->pos) < len ? (size_t)(at - c->pos) : len;
		else if (c->pos < end) {
			n = (size_t)(end - c->pos) < len ? (size_t)(end - c->pos) : len;
			SHA256_Update(sha, zero, n);
			goto next;
		} else
			n = len;
		SHA256_Update(sha, p, n);
next:
		p += n;
		len -= n;
		c->pos += n;
	}
}

void plan_digest_final(struct plan_digest_ctx *c, uint8_t out[PLAN_DIGEST_LEN])
{
	SHA256_Final(out, (SHA256_CTX *)(void *)c->sha);
}

/* An image shorter than the header is hashed as far as it goes, so the
 * function is safe on any input; the verifier only calls it on a full
 * header. */
void plan_digest(const void *buf, size_t len, uint8_t out[PLAN_DIGEST_LEN])
{
	struct plan_digest_ctx c;

	plan_digest_init(&c);
	plan_digest_update(&c, buf, len);
	plan_digest_final(&c, out);
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
