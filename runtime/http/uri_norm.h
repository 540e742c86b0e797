/*
 * uri_norm.h: the normalizers of `http-request normalize-uri`, pure
 * functions on the path-and-query part of a request target (from its
 * first '/' to its end), with HAProxy's results.
 */
#ifndef HAPC_URI_NORM_H
#define HAPC_URI_NORM_H

#include <stddef.h>
#include <stdint.h>

#define URI_NORM_INVALID (-1)  /* strict: an invalid %-sequence (400) */
#define URI_NORM_NOSPACE (-2)  /* the result needs more than cap bytes */

/*
 * Normalizer `norm` (enum plan_uri_norm) with flags (PLAN_HR_F_NORM_*)
 * on in[0..len), written to out (at most cap bytes; it must not overlap
 * in). The result's length, or URI_NORM_INVALID / URI_NORM_NOSPACE.
 * Every normalizer but fragment-encode (up to 3 * len) writes at most
 * len bytes. query-sort-by-name allocates an index of the parameters;
 * without memory it leaves the query as it was.
 */
long uri_normalize(uint32_t norm, uint32_t flags, const char *in, size_t len,
                   char *out, size_t cap);

#endif
