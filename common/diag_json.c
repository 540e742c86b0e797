/*
 * diag_json.c: JSON strings and the JSON diagnostics document (diag_json.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "diag_json.h"

size_t diag_utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;   /* range of the second byte */
	size_t need, i;

	if (n == 0)
		return 0;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 2;
	else if (c >= 0xe0 && c <= 0xef)
		need = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 4;
	else
		return 0;                     /* continuation, overlong or > F4 */
	if (c == 0xe0)
		lo = 0xa0;                    /* overlong 3-byte forms */
	else if (c == 0xed)
		hi = 0x9f;                    /* UTF-16 surrogates */
	else if (c == 0xf0)
		lo = 0x90;                    /* overlong 4-byte forms */
	else if (c == 0xf4)
		hi = 0x8f;                    /* beyond U+10FFFF */
	if (n < need || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < need; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return need;
}

void diag_json_string(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), k;

	fputc('"', out);
	while (n > 0) {
		unsigned char c = *s;

		k = diag_utf8_len(s, n);
		if (k == 0) {
			fprintf(out, "\\\\x%02X", c);      /* not UTF-8: \xHH */
			k = 1;
		} else if (k > 1) {
			/* U+2028 and U+2029 are valid JSON but break JavaScript
			 * readers that eval it: escape them too */
			if (k == 3 && c == 0xe2 && s[1] == 0x80 &&
			    (s[2] == 0xa8 || s[2] == 0xa9))
				fprintf(out, "\\u%04X", s[2] == 0xa8 ? 0x2028 : 0x2029);
			else
				fwrite(s, 1, k, out);
		} else if (c == '"' || c == '\\') {
			fputc('\\', out);
			fputc(c, out);
		} else if (c == '\n') {
			fputs("\\n", out);
		} else if (c == '\t') {
			fputs("\\t", out);
		} else if (c == '\r') {
			fputs("\\r", out);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(out, "\\u%04X", c);
		} else {
			fputc(c, out);
		}
		s += k;
		n -= k;
	}
	fputc('"', out);
}

/* A string member or null. */
static void json_string_or_null(FILE *out, const char *s)
{
	if (s)
		diag_json_string(out, s);
	else
		fputs("null", out);
}

/* A positive integer member or null (0 means "none" in a src_loc). */
static void json_uint_or_null(FILE *out, uint32_t v, int present)
{
	if (present && v)
		fprintf(out, "%u", (unsigned)v);
	else
		fputs("null", out);
}

static void json_one(const struct diag_ctx *dc, const struct diag *d,
                     FILE *out)
{
	const char *path = NULL;
	int line = d->has_loc && d->loc.line;
	size_t i;

	if (d->has_loc)
		path = d->loc.file < dc->nfiles ? dc->files[d->loc.file].path
		                                : "<unknown>";
	fputs("    {\"severity\": ", out);
	diag_json_string(out, diag_severity_name(d->severity));
	fputs(", \"code\": ", out);
	json_string_or_null(out, d->code);
	fputs(", \"message\": ", out);
	json_string_or_null(out, d->msg);
	fputs(",\n     \"file\": ", out);
	json_string_or_null(out, path);
	fputs(", \"line\": ", out);
	json_uint_or_null(out, d->loc.line, line);
	fputs(", \"column\": ", out);
	json_uint_or_null(out, d->loc.col, line);
	fputs(", \"end_column\": ", out);
	json_uint_or_null(out, d->loc.end_col > d->loc.col ? d->loc.end_col
	                                                   : d->loc.col + 1,
	                  line && d->loc.col);
	fputs(",\n     \"hints\": [", out);
	for (i = 0; i < d->nhints; i++) {
		if (i)
			fputs(", ", out);
		diag_json_string(out, d->hints[i]);
	}
	fputs("]}", out);
}

int diag_print_json(const struct diag_ctx *dc, FILE *out)
{
	const struct diag *d;

	fputs("{\"diagnostics\": [", out);
	for (d = dc->head; d; d = d->next) {
		fputs(d == dc->head ? "\n" : ",\n", out);
		json_one(dc, d, out);
	}
	fprintf(out, "%s],\n \"errors\": %u, \"warnings\": %u, "
	        "\"not_shown\": %u, \"werror\": %s}\n", dc->head ? "\n " : "",
	        dc->nerrors, dc->nwarnings, diag_not_shown(dc),
	        dc->werror ? "true" : "false");
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
