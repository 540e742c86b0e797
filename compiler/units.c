/*
 * units.c: time and size arguments (manual sections 2.5 and 2.6).
 *
 * One scanner per kind reports a fault code and the byte where the text went
 * wrong; the public functions turn that into either a static message (the
 * original contract) or a formatted one that quotes what was found.
 */
#include <stdio.h>
#include <string.h>

#include "units.h"

enum units_fault {
	UNITS_OK       = 0,
	UNITS_EMPTY    = 1,  /* nothing at all */
	UNITS_NO_DIGIT = 2,  /* does not start with a digit (sign, space, ...) */
	UNITS_BAD_UNIT = 3,  /* unknown unit or trailing characters */
	UNITS_OVERFLOW = 4,  /* above the kind's maximum */
	UNITS_RANGE    = 5,  /* integer outside [min, max] */
};

enum units_kind {
	UNITS_KIND_TIME = 0,
	UNITS_KIND_SIZE = 1,
	UNITS_KIND_UINT = 2,
};

/* Static messages, indexed by kind then fault (UNITS_OK unused). */
static const char *const units_static_msg[][6] = {
	[UNITS_KIND_TIME] = {
		[UNITS_EMPTY]    = "expected a time such as 30s, 500ms or 2m, found nothing",
		[UNITS_NO_DIGIT] = "expected a time such as 30s, 500ms or 2m: "
		                   "it must start with a digit",
		[UNITS_BAD_UNIT] = "expected a time such as 30s, 500ms or 2m: an integer "
		                   "followed by one of the units us, ms, s, m, h, d",
		[UNITS_OVERFLOW] = "time is above the maximum of 2147483647 ms "
		                   "(about 24.8 days)",
	},
	[UNITS_KIND_SIZE] = {
		[UNITS_EMPTY]    = "expected a size such as 512, 16k, 10m or 1g, found nothing",
		[UNITS_NO_DIGIT] = "expected a size such as 512, 16k, 10m or 1g: "
		                   "it must start with a digit",
		[UNITS_BAD_UNIT] = "expected a size such as 512, 16k, 10m or 1g: an "
		                   "integer followed by one of the units k, m, g",
		[UNITS_OVERFLOW] = "size is too large (above 2^64-1 bytes)",
	},
	[UNITS_KIND_UINT] = {
		[UNITS_EMPTY]    = "expected an integer, found nothing",
		[UNITS_NO_DIGIT] = "expected an unsigned decimal integer",
		[UNITS_BAD_UNIT] = "expected an unsigned decimal integer, "
		                   "found trailing characters",
		[UNITS_OVERFLOW] = "integer is too large",
		[UNITS_RANGE]    = "integer is out of the allowed range",
	},
};

static int units_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Leading decimal digits of `text` into *val; *end is set past them.
 * Returns UNITS_OVERFLOW when they do not fit in 64 bits (all digits are
 * still consumed), UNITS_NO_DIGIT when there is none, else UNITS_OK.
 */
static enum units_fault units_scan_digits(const char *text, uint64_t *val,
                                          const char **end)
{
	enum units_fault f = UNITS_OK;
	uint64_t v = 0;
	const char *p = text;

	if (!units_is_digit(*p)) {
		*end = p;
		return UNITS_NO_DIGIT;
	}
	for (; units_is_digit(*p); p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			f = UNITS_OVERFLOW;
		else
			v = v * 10 + d;
	}
	*val = v;
	*end = p;
	return f;
}

/* A unit word after the digits: the value is multiplied by `mult`, then
 * divided by `div`, rounding up (microseconds become whole milliseconds). */
struct units_suffix {
	const char *name;
	uint64_t mult;
	uint64_t div;
};

static const struct units_suffix units_time_suffixes[] = {
	{ .name = "us", .mult = 1,        .div = 1000 },
	{ .name = "ms", .mult = 1,        .div = 1 },
	{ .name = "s",  .mult = 1000,     .div = 1 },
	{ .name = "m",  .mult = 60000,    .div = 1 },
	{ .name = "h",  .mult = 3600000,  .div = 1 },
	{ .name = "d",  .mult = 86400000, .div = 1 },
	{ .name = NULL },
};

static const struct units_suffix units_size_suffixes[] = {
	{ .name = "k", .mult = 1ULL << 10, .div = 1 },
	{ .name = "K", .mult = 1ULL << 10, .div = 1 },
	{ .name = "m", .mult = 1ULL << 20, .div = 1 },
	{ .name = "M", .mult = 1ULL << 20, .div = 1 },
	{ .name = "g", .mult = 1ULL << 30, .div = 1 },
	{ .name = "G", .mult = 1ULL << 30, .div = 1 },
	{ .name = NULL },
};

/*
 * Digits, then nothing (the value times `def_mult`) or the longest unit of
 * `units` that starts there, then nothing more. *bad is the offending byte
 * offset: the unit when none matches, the byte after a matched unit when
 * more follows. With `trail` non-NULL, bytes after a matched unit are no
 * fault: *trail is set to the offset of the first (0 when there is none).
 */
static enum units_fault units_scan_scaled(const char *text,
                                          const struct units_suffix *units,
                                          uint64_t def_mult, uint64_t *out,
                                          size_t *bad, size_t *trail)
{
	const struct units_suffix *u, *best = NULL;
	uint64_t val = 0, mult = def_mult, div = 1;
	const char *p;
	enum units_fault f;

	*bad = 0;
	if (trail)
		*trail = 0;
	if (!*text)
		return UNITS_EMPTY;
	f = units_scan_digits(text, &val, &p);
	if (f == UNITS_NO_DIGIT)
		return f;
	*bad = (size_t)(p - text);
	if (*p) {
		for (u = units; u->name; u++)
			if (!strncmp(p, u->name, strlen(u->name)) &&
			    (!best || strlen(u->name) > strlen(best->name)))
				best = u;
		if (!best)
			return UNITS_BAD_UNIT;
		mult = best->mult;
		div = best->div;
		p += strlen(best->name);
		if (*p && trail) {
			*trail = (size_t)(p - text);
		} else if (*p) {
			*bad = (size_t)(p - text);
			return UNITS_BAD_UNIT;
		}
	}
	*bad = 0;
	if (f == UNITS_OVERFLOW || val > UINT64_MAX / mult)
		return UNITS_OVERFLOW;
	val *= mult;
	*out = val / div + (val % div != 0);
	return UNITS_OK;
}

/* Time scanner: see units_parse_time(). */
static enum units_fault units_scan_time(const char *text, uint32_t def_unit_ms,
                                        uint32_t *ms, size_t *bad,
                                        size_t *trail)
{
	uint64_t val;
	enum units_fault f = units_scan_scaled(text, units_time_suffixes,
	                                       def_unit_ms ? def_unit_ms : 1,
	                                       &val, bad, trail);

	if (f != UNITS_OK)
		return f;
	if (val > UNITS_TIME_MAX_MS)
		return UNITS_OVERFLOW;
	*ms = (uint32_t)val;
	return UNITS_OK;
}

/* Size scanner: see units_parse_size(). */
static enum units_fault units_scan_size(const char *text, uint64_t *bytes,
                                        size_t *bad)
{
	return units_scan_scaled(text, units_size_suffixes, 1, bytes, bad, NULL);
}

/* Integer scanner: see units_parse_uint(). The scaled scanner with no unit
 * at all; too many digits for 64 bits is out of range too. */
static enum units_fault units_scan_uint(const char *text, uint64_t min,
                                        uint64_t max, uint64_t *out,
                                        size_t *bad)
{
	static const struct units_suffix no_units[] = { { .name = NULL } };
	uint64_t val;
	enum units_fault f = units_scan_scaled(text, no_units, 1, &val, bad,
	                                       NULL);

	if (f == UNITS_OVERFLOW || (f == UNITS_OK && (val < min || val > max)))
		return UNITS_RANGE;
	if (f == UNITS_OK)
		*out = val;
	return f;
}

/* 0 when `f` is UNITS_OK, else -1 with *err the static message of `kind`. */
static int units_static_result(enum units_kind kind, enum units_fault f,
                               const char **err)
{
	if (f != UNITS_OK)
		*err = units_static_msg[kind][f];
	return f == UNITS_OK ? 0 : -1;
}

int units_parse_time(const char *text, uint32_t def_unit_ms, uint32_t *ms,
                     const char **err)
{
	size_t bad;
	enum units_fault f = units_scan_time(text, def_unit_ms, ms, &bad, NULL);

	return units_static_result(UNITS_KIND_TIME, f, err);
}

int units_parse_size(const char *text, uint64_t *bytes, const char **err)
{
	size_t bad;
	enum units_fault f = units_scan_size(text, bytes, &bad);

	return units_static_result(UNITS_KIND_SIZE, f, err);
}

int units_parse_uint(const char *text, uint64_t min, uint64_t max,
                     uint64_t *out, const char **err)
{
	size_t bad;
	enum units_fault f = units_scan_uint(text, min, max, out, &bad);

	return units_static_result(UNITS_KIND_UINT, f, err);
}

int units_parse_time_msg(const char *text, uint32_t def_unit_ms, uint32_t *ms,
                         char *err, size_t errlen, size_t *err_col)
{
	return units_parse_time_lax(text, def_unit_ms, ms, err, errlen, err_col,
	                            NULL);
}

int units_parse_time_lax(const char *text, uint32_t def_unit_ms, uint32_t *ms,
                         char *err, size_t errlen, size_t *err_col,
                         size_t *trail)
{
	size_t bad;
	enum units_fault f = units_scan_time(text, def_unit_ms, ms, &bad, trail);

	*err_col = bad;
	switch (f) {
	case UNITS_OK:
		return 0;
	case UNITS_OVERFLOW:
		snprintf(err, errlen, "time '%s' is above the maximum of "
		         "2147483647 ms (about 24.8 days)", text);
		break;
	case UNITS_EMPTY:
		snprintf(err, errlen, "%s", units_static_msg[UNITS_KIND_TIME][f]);
		break;
	default:
		snprintf(err, errlen, "expected a time such as 30s, 500ms or 2m, "
		         "found '%s' (an integer, then one of the units us, ms, "
		         "s, m, h, d)", text);
		break;
	}
	return -1;
}

int units_parse_size_msg(const char *text, uint64_t *bytes, char *err,
                         size_t errlen, size_t *err_col)
{
	size_t bad;
	enum units_fault f = units_scan_size(text, bytes, &bad);

	*err_col = bad;
	switch (f) {
	case UNITS_OK:
		return 0;
	case UNITS_OVERFLOW:
		snprintf(err, errlen, "size '%s' is too large (above 2^64-1 bytes)",
		         text);
		break;
	case UNITS_EMPTY:
		snprintf(err, errlen, "%s", units_static_msg[UNITS_KIND_SIZE][f]);
		break;
	default:
		snprintf(err, errlen, "expected a size such as 512, 16k, 10m or 1g, "
		         "found '%s' (an integer, then an optional unit k, m "
		         "or g)", text);
		break;
	}
	return -1;
}

int units_parse_uint_msg(const char *text, uint64_t min, uint64_t max,
                         uint64_t *out, char *err, size_t errlen,
                         size_t *err_col)
{
	size_t bad;
	enum units_fault f = units_scan_uint(text, min, max, out, &bad);

	*err_col = bad;
	switch (f) {
	case UNITS_OK:
		return 0;
	case UNITS_EMPTY:
		snprintf(err, errlen, "expected an integer between %llu and %llu, "
		         "found nothing", (unsigned long long)min,
		         (unsigned long long)max);
		break;
	default:
		snprintf(err, errlen, "expected an integer between %llu and %llu, "
		         "found '%s'", (unsigned long long)min,
		         (unsigned long long)max, text);
		break;
	}
	return -1;
}
