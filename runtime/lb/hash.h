/*
 * hash.h: HAProxy's hash functions for the balancing keys of `balance uri`,
 * `url_param` and `hdr()` (hash-type's <function> and <modifier>).
 *
 * They are HAProxy's own, bit for bit, so that a key goes to the server
 * HAProxy would choose over the same map-based server list.
 */
#ifndef HAPC_HASH_H
#define HAPC_HASH_H

#include <stddef.h>
#include <stdint.h>

uint32_t hash_sdbm(const void *key, size_t len);
uint32_t hash_djb2(const void *key, size_t len);
uint32_t hash_wt6(const void *key, size_t len);
uint32_t hash_crc32(const void *key, size_t len);

/* Bob Jenkins' 32-bit full avalanche, then a multiply by a large prime:
 * HAProxy's `avalanche` modifier. */
uint32_t hash_avalanche(uint32_t h);

/*
 * The hash of key[0..len) with function `func` (enum plan_hash_func;
 * PLAN_HASH_FN_NONE reads the key as a decimal integer, optionally
 * negative, up to its first non-digit), mixed by hash_avalanche() when
 * `avalanche` is set.
 */
uint32_t hash_key(uint32_t func, int avalanche, const char *key, size_t len);

#endif /* HAPC_HASH_H */
