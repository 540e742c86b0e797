/*
 * units.h: HAProxy's time and size arguments (section 2.5 of the manual).
 */
#ifndef HAPC_UNITS_H
#define HAPC_UNITS_H

#include <stdint.h>

#define UNITS_TIME_MAX_MS 2147483647u  /* about 24.8 days, HAProxy's limit */

/*
 * A time: digits, optionally followed by us, ms, s, m, h or d; `def_unit_ms`
 * is the multiplier when no unit is given (1 for milliseconds, 1000 for
 * keywords documented in seconds). Microseconds round up to 1 ms unless 0.
 * Returns 0, or -1 with a static message in *err naming what was expected.
 */
int units_parse_time(const char *text, uint32_t def_unit_ms, uint32_t *ms,
                     const char **err);

/* A size: digits, optionally followed by k, m or g (either case, powers of
 * 1024). Returns 0, or -1 with a static message in *err. */
int units_parse_size(const char *text, uint64_t *bytes, const char **err);

/* Unsigned decimal integer within [min, max]. Returns 0 or -1 with *err. */
int units_parse_uint(const char *text, uint64_t min, uint64_t max,
                     uint64_t *out, const char **err);

#endif /* HAPC_UNITS_H */
