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

/* Time scanner: see units_parse_time(). *bad is the offending byte offset. */
static enum units_fault units_scan_time(const char *text, uint32_t def_unit_ms,
                                        uint32_t *ms, size_t *bad)
{
	uint64_t val = 0, mult, div = 1;
	const char *p;
	enum units_fault f;

	*bad = 0;
	if (!*text)
		return UNITS_EMPTY;
	f = units_scan_digits(text, &val, &p);
	if (f == UNITS_NO_DIGIT)
		return f;
	*bad = (size_t)(p - text);
	if (!*p)
		mult = def_unit_ms ? def_unit_ms : 1;
	else if (p[0] == 'u' && p[1] == 's')
		mult = 1, div = 1000, p += 2;
	else if (p[0] == 'm' && p[1] == 's')
		mult = 1, p += 2;
	else if (p[0] == 's')
		mult = 1000, p++;
	else if (p[0] == 'm')
		mult = 60000, p++;
	else if (p[0] == 'h')
		mult = 3600000, p++;
	else if (p[0] == 'd')
		mult = 86400000, p++;
	else
		return UNITS_BAD_UNIT;
	if (*p) {
		*bad = (size_t)(p - text);
		return UNITS_BAD_UNIT;
	}
	*bad = 0;
	if (f == UNITS_OVERFLOW || val > UINT64_MAX / mult)
		return UNITS_OVERFLOW;
	val *= mult;
	val = val / div + (val % div != 0);  /* microseconds round up */
	if (val > UNITS_TIME_MAX_MS)
		return UNITS_OVERFLOW;
	*ms = (uint32_t)val;
	return UNITS_OK;
}

/* Size scanner: see units_parse_size(). */
static enum units_fault units_scan_size(const char *text, uint64_t *bytes,
                                        size_t *bad)
{
	uint64_t val = 0, mult = 1;
	const char *p;
	enum units_fault f;

	*bad = 0;
	if (!*text)
		return UNITS_EMPTY;
	f = units_scan_digits(text, &val, &p);
	if (f == UNITS_NO_DIGIT)
		return f;
	*bad = (size_t)(p - text);
	switch (*p) {
	case '\0':           break;
	case 'k': case 'K':  mult = 1ULL << 10; p++; break;
	case 'm': case 'M':  mult = 1ULL << 20; p++; break;
	case 'g': case 'G':  mult = 1ULL << 30; p++; break;
	default:             return UNITS_BAD_UNIT;
	}
	if (*p) {
		*bad = (size_t)(p - text);
		return UNITS_BAD_UNIT;
	}
	*bad = 0;
	if (f == UNITS_OVERFLOW || val > UINT64_MAX / mult)
		return UNITS_OVERFLOW;
	*bytes = val * mult;
	return UNITS_OK;
}

/* Integer scanner: see units_parse_uint(). */
static enum units_fault units_scan_uint(const char *text, uint64_t min,
                                        uint64_t max, uint64_t *out,
                                        size_t *bad)
{
	uint64_t val = 0;
	const char *p;
	enum units_fault f;

	*bad = 0;
	if (!*text)
		return UNITS_EMPTY;
	f = units_scan_digits(text, &val, &p);
	if (f == UNITS_NO_DIGIT)
		return f;
	if (*p) {
		*bad = (size_t)(p - text);
		return UNITS_BAD_UNIT;
	}
	if (f == UNITS_OVERFLOW || val < min || val > max)
		return UNITS_RANGE;
	*out = val;
	return UNITS_OK;
}

int units_parse_time(const char *text, uint32_t def_unit_ms, uint32_t *ms,
                     const char **err)
{
	size_t bad;
	enum units_fault f = units_scan_time(text, def_unit_ms, ms, &bad);

	if (f != UNITS_OK)
		*err = units_static_msg[UNITS_KIND_TIME][f];
	return f == UNITS_OK ? 0 : -1;
}

int units_parse_size(const char *text, uint64_t *bytes, const char **err)
{
	size_t bad;
	enum units_fault f = units_scan_size(text, bytes, &bad);

	if (f != UNITS_OK)
		*err = units_static_msg[UNITS_KIND_SIZE][f];
	return f == UNITS_OK ? 0 : -1;
}

int units_parse_uint(const char *text, uint64_t min, uint64_t max,
                     uint64_t *out, const char **err)
{
	size_t bad;
	enum units_fault f = units_scan_uint(text, min, max, out, &bad);

	if (f != UNITS_OK)
		*err = units_static_msg[UNITS_KIND_UINT][f];
	return f == UNITS_OK ? 0 : -1;
}

int units_parse_time_msg(const char *text, uint32_t def_unit_ms, uint32_t *ms,
                         char *err, size_t errlen, size_t *err_col)
{
	size_t bad;
	enum units_fault f = units_scan_time(text, def_unit_ms, ms, &bad);

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
