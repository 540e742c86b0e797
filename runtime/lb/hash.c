/*
 * hash.c: HAProxy's balancing hash functions (its src/hash.c), see hash.h.
 */
#include "config.h"

#include "hash.h"
#include "plan.h"

uint32_t hash_sdbm(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint32_t h = 0;

	while (len--)
		h = *p++ + (h << 6) + (h << 16) - h;
	return h;
}

uint32_t hash_djb2(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint32_t h = 5381;

	while (len--)
		h = ((h << 5) + h) + *p++;
	return h;
}

/* wt6: two words rotated by amounts the data itself decides. */
uint32_t hash_wt6(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint32_t h0 = 0xa53c965aU, h1 = 0x5ca6953aU;
	unsigned step0 = 6, step1 = 18;

	for (; len > 0; len--) {
		uint32_t t = *p++;

		h0 = ~(h0 ^ t);
		h1 = ~(h1 + t);
		t = (h1 << step0) | (h1 >> (32 - step0));
		h1 = (h0 << step1) | (h0 >> (32 - step1));
		h0 = t;
		t = ((h0 >> 16) ^ h1) & 0xffff;
		step0 = t & 0x1f;
		step1 = t >> 11;
	}
	return h0 ^ h1;
}

/* The reflected CRC-32 of Ethernet and gzip, bit by bit (no table: the
 * keys are short). */
uint32_t hash_crc32(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint32_t h = ~0U;

	while (len--) {
		h ^= *p++;
		for (int bit = 0; bit < 8; bit++)
			h = (h >> 1) ^ ((h & 1) ? 0xedb88320U : 0);
	}
	return ~h;
}

uint32_t hash_avalanche(uint32_t a)
{
	a = (a + 0x7ed55d16U) + (a << 12);
	a = (a ^ 0xc761c23cU) ^ (a >> 19);
	a = (a + 0x165667b1U) + (a << 5);
	a = (a + 0xd3a2646cU) ^ (a << 9);
	a = (a + 0xfd7046c5U) + (a << 3);
	a = (a ^ 0xb55a4f09U) ^ (a >> 16);
	return a * 3221225473U;
}

/* The key read as a decimal integer (HAProxy's read_int64), truncated. */
static uint32_t hash_none(const char *key, size_t len)
{
	uint64_t v = 0;
	size_t i = 0;
	int neg = 0;

	if (i < len && key[i] == '-') {
		neg = 1;
		i++;
	}
	for (; i < len && key[i] >= '0' && key[i] <= '9'; i++)
		v = v * 10 + (uint64_t)(key[i] - '0');
	return (uint32_t)(neg ? (uint64_t)0 - v : v);
}

uint32_t hash_key(uint32_t func, int avalanche, const char *key, size_t len)
{
	uint32_t h;

	switch (func) {
	case PLAN_HASH_FN_DJB2:
		h = hash_djb2(key, len);
		break;
	case PLAN_HASH_FN_WT6:
		h = hash_wt6(key, len);
		break;
	case PLAN_HASH_FN_CRC32:
		h = hash_crc32(key, len);
		break;
	case PLAN_HASH_FN_NONE:
		h = hash_none(key, len);
		break;
	case PLAN_HASH_FN_SDBM:
	default:
		h = hash_sdbm(key, len);
		break;
	}
	return avalanche ? hash_avalanche(h) : h;
}
