/*
 * units.h: HAProxy's time and size arguments (section 2.5 of the manual).
 */
#ifndef HAPC_UNITS_H
#define HAPC_UNITS_H

#include <stddef.h>
#include <stdint.h>

#include "plan_limits-t.h"

/* HAProxy's limit, the verifier's too (plan_limits). */
#define UNITS_TIME_MAX_MS PLAN_TIME_MAX_MS

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

/*
 * The same three with a formatted message that quotes the text found
 * ("expected a time such as 30s, 500ms or 2m, found '10x' (...)") written
 * into err[errlen], and in *err_col the 0-based byte offset in `text` of
 * the first offending character (0 when the whole text is at fault).
 * Returns 0, or -1 on error.
 */
int units_parse_time_msg(const char *text, uint32_t def_unit_ms, uint32_t *ms,
                         char *err, size_t errlen, size_t *err_col);
/*
 * units_parse_time_msg() as HAProxy 3.5 reads times: characters after a
 * complete unit ("15min", "10sec", "5hr") are ignored, the value being what
 * precedes them (HAProxy warns). With `trail` non-NULL, *trail is the
 * 0-based offset of the first ignored character, 0 when there is none; a
 * NULL `trail` is units_parse_time_msg().
 */
int units_parse_time_lax(const char *text, uint32_t def_unit_ms, uint32_t *ms,
                         char *err, size_t errlen, size_t *err_col,
                         size_t *trail);
int units_parse_size_msg(const char *text, uint64_t *bytes, char *err,
                         size_t errlen, size_t *err_col);
int units_parse_uint_msg(const char *text, uint64_t min, uint64_t max,
                         uint64_t *out, char *err, size_t errlen,
                         size_t *err_col);

#endif /* HAPC_UNITS_H */
