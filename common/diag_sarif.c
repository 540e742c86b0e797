/*
 * diag_sarif.c: the queued diagnostics as a SARIF 2.1.0 log (diag_json.h),
 * for code-scanning services.
 *
 * Rules are the distinct codes in order of first use; a result points at
 * its rule by id and index. Regions count Unicode code points (a byte that
 * is not UTF-8 counts as one), as run.columnKind declares, so a caret under
 * "é" lands where a viewer puts it; endColumn is one past the span.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "diag_json.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

/* Code-point column of byte column `col` (1-based) of `text` (`len` bytes);
 * bytes past the end of the line count one each. */
static uint32_t sarif_column(const char *text, size_t len, uint32_t col)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t pos = 0, target = col ? col - 1 : 0, k;
	uint32_t n = 1;

	while (pos < target && pos < len) {
		k = diag_utf8_len(s + pos, len - pos);
		pos += k ? k : 1;
		n++;
	}
	if (target > pos)
		n += (uint32_t)(target - pos);
	return n;
}

/* A path as a URI reference: absolute paths become file:// URIs, relative
 * ones stay relative; bytes outside RFC 3986's unreserved set (and '/')
 * are percent-encoded. Returns a malloc'd string or NULL. */
static char *sarif_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(path);
	char *uri = malloc(3 * n + sizeof("file://")), *o = uri;

	if (!uri)
		return NULL;
	if (path[0] == '/')
		o += sprintf(o, "file://");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return uri;
}

/* Distinct codes of the queue in order of first use (borrowed strings). */
struct sarif_rules {
	const char **ids;
	size_t n;
};

static long sarif_rule_index(const struct sarif_rules *r, const char *code)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->ids[i], code))
			return (long)i;
	return -1;
}

static int sarif_collect(const struct diag_ctx *dc, struct sarif_rules *r)
{
	size_t cap = 0;

	for (const struct diag *d = dc->head; d; d = d->next) {
		if (!d->code || sarif_rule_index(r, d->code) >= 0)
			continue;
		if (r->n == cap) {
			const char **ids;

			cap = cap ? 2 * cap : 16;
			ids = realloc(r->ids, cap * sizeof(*ids));
			if (!ids)
				return -1;
			r->ids = ids;
		}
		r->ids[r->n++] = d->code;
	}
	return 0;
}

/* A rule's help text, pointing at the page that explains every code. */
static void sarif_help(FILE *out, const char *code)
{
	char text[256];

	snprintf(text, sizeof(text), "Diagnostic '%s' of cfgc: its meaning and "
	         "an example are in doc/diagnostics.md (section %s).", code, code);
	diag_json_string(out, text);
}

static void sarif_location(const struct diag_ctx *dc, const struct diag *d,
                           FILE *out)
{
	const char *path = d->loc.file < dc->nfiles ? dc->files[d->loc.file].path
	                                            : "<unknown>";
	char *uri = sarif_uri(path);
	const char *text;
	size_t len = 0;

	fputs(",\n     \"locations\": [{\"physicalLocation\": "
	      "{\"artifactLocation\": {\"uri\": ", out);
	diag_json_string(out, uri ? uri : "");
	free(uri);
	fputc('}', out);
	if (d->loc.line) {
		fprintf(out, ", \"region\": {\"startLine\": %u",
		        (unsigned)d->loc.line);
		if (d->loc.col) {
			uint32_t end = d->loc.end_col > d->loc.col ? d->loc.end_col
			                                           : d->loc.col + 1;

			text = diag_source_line(dc, d->loc.file, d->loc.line, &len);
			if (!text)
				text = "", len = 0;
			fprintf(out, ", \"startColumn\": %u, \"endColumn\": %u",
			        (unsigned)sarif_column(text, len, d->loc.col),
			        (unsigned)sarif_column(text, len, end));
		}
		fputc('}', out);
	}
	fputs("}}]", out);
}

/* message.text: the message, then each hint on its own line. */
static void sarif_message(const struct diag *d, FILE *out)
{
	size_t len = strlen(d->msg) + 1;
	char *text, *o;

	for (size_t i = 0; i < d->nhints; i++)
		len += strlen(d->hints[i]) + sizeof("\nnote: ");
	text = malloc(len);
	if (!text) {
		diag_json_string(out, d->msg);
		return;
	}
	o = text + sprintf(text, "%s", d->msg);
	for (size_t i = 0; i < d->nhints; i++)
		o += sprintf(o, "\nnote: %s", d->hints[i]);
	diag_json_string(out, text);
	free(text);
}

static void sarif_result(const struct diag_ctx *dc, const struct diag *d,
                         const struct sarif_rules *r, FILE *out)
{
	fputs("    {", out);
	if (d->code) {
		fputs("\"ruleId\": ", out);
		diag_json_string(out, d->code);
		fprintf(out, ", \"ruleIndex\": %ld, ", sarif_rule_index(r, d->code));
	}
	/* SARIF's levels have the names of our severities */
	fprintf(out, "\"level\": \"%s\",\n     \"message\": {\"text\": ",
	        diag_severity_name(d->severity));
	sarif_message(d, out);
	fputc('}', out);
	if (d->has_loc)
		sarif_location(dc, d, out);
	fputc('}', out);
}

int diag_print_sarif(const struct diag_ctx *dc, FILE *out,
                     const char *version)
{
	struct sarif_rules rules = { NULL, 0 };
	unsigned hidden = diag_not_shown(dc);

	if (sarif_collect(dc, &rules) < 0) {
		free(rules.ids);
		return -1;
	}
	fputs("{\"$schema\": \"" SARIF_SCHEMA "\",\n \"version\": \"2.1.0\",\n"
	      " \"runs\": [{\n  \"tool\": {\"driver\": {\"name\": \"cfgc\", "
	      "\"version\": ", out);
	diag_json_string(out, version ? version : "");
	fputs(",\n   \"rules\": [", out);
	for (size_t i = 0; i < rules.n; i++) {
		fputs(i ? ",\n    " : "\n    ", out);
		fputs("{\"id\": ", out);
		diag_json_string(out, rules.ids[i]);
		fputs(", \"help\": {\"text\": ", out);
		sarif_help(out, rules.ids[i]);
		fputs("}}", out);
	}
	fputs("]}},\n  \"columnKind\": \"unicodeCodePoints\",\n"
	      "  \"invocations\": [{\"executionSuccessful\": true", out);
	if (hidden)
		fprintf(out, ", \"toolExecutionNotifications\": [{\"level\": "
		        "\"note\", \"message\": {\"text\": \"%u more error%s not "
		        "shown\"}}]", hidden, hidden == 1 ? "" : "s");
	fputs("}],\n  \"results\": [", out);
	for (const struct diag *d = dc->head; d; d = d->next) {
		fputs(d == dc->head ? "\n" : ",\n", out);
		sarif_result(dc, d, &rules, out);
	}
	fputs("]\n }]\n}\n", out);
	free(rules.ids);
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
