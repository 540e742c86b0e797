/*
 * diag.c: the diagnostics queue and its printer (see diag.h for the format).
 *
 * Reporting only allocates and links a record; everything that needs the
 * source text (the line, the marker) is computed in diag_print(). When memory
 * runs out a diagnostic is counted but not queued, so the exit status stays
 * right and the "more errors not shown" note accounts for it.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static const char *diag_progname = "cfgc";

static const char *const diag_sev_names[] = {
	[DIAG_NOTE]    = "note",
	[DIAG_WARNING] = "warning",
	[DIAG_ERROR]   = "error",
};

const char *diag_severity_name(enum diag_severity sev)
{
	return (unsigned)sev <= DIAG_ERROR ? diag_sev_names[sev] : "error";
}

unsigned diag_not_shown(const struct diag_ctx *dc)
{
	const struct diag *d;
	unsigned queued = 0;

	for (d = dc->head; d; d = d->next)
		queued += d->severity == DIAG_ERROR;
	return dc->nerrors > queued ? dc->nerrors - queued : 0;
}

void diag_set_progname(const char *name)
{
	diag_progname = name ? name : "cfgc";
}

void diag_init(struct diag_ctx *dc)
{
	memset(dc, 0, sizeof(*dc));
}

static void diag_free_one(struct diag *d)
{
	size_t i;

	for (i = 0; i < d->nhints; i++)
		free(d->hints[i]);
	free(d->hints);
	free(d->code);
	free(d->msg);
	free(d);
}

void diag_free(struct diag_ctx *dc)
{
	struct diag *d, *next;
	uint32_t i;

	for (d = dc->head; d; d = next) {
		next = d->next;
		diag_free_one(d);
	}
	for (i = 0; i < dc->nfiles; i++) {
		free(dc->files[i].path);
		free(dc->files[i].text);
		free(dc->files[i].line_start);
	}
	free(dc->files);
	diag_init(dc);
}

/*
 * Index the line starts of `f` in one pass, so that printing a diagnostic
 * finds its line at once: without it, 80,000 diagnostics each rescanned the
 * file up to their line (quadratic). Out of memory leaves no index.
 */
static void diag_index_lines(struct src_file *f)
{
	const char *p = f->text, *end = f->text + f->len, *nl;
	size_t n = 1, i = 0;

	free(f->line_start);
	f->line_start = NULL;
	f->nlines = 0;
	if (!f->text)
		return;
	for (nl = p; (nl = memchr(nl, '\n', (size_t)(end - nl))); nl++)
		n++;
	f->scanned += f->len;
	if (n > UINT32_MAX)
		return;
	f->line_start = malloc(n * sizeof(*f->line_start));
	if (!f->line_start)
		return;
	f->line_start[i++] = 0;
	for (nl = p; (nl = memchr(nl, '\n', (size_t)(end - nl))); nl++)
		f->line_start[i++] = (size_t)(nl + 1 - p);
	f->nlines = (uint32_t)n;
}

void diag_replace_text(struct diag_ctx *dc, uint32_t file, char *text,
                       size_t len)
{
	if (file >= dc->nfiles) {
		free(text);
		return;
	}
	free(dc->files[file].text);
	dc->files[file].text = text;
	dc->files[file].len = len;
	diag_index_lines(&dc->files[file]);
}

uint32_t diag_add_file(struct diag_ctx *dc, const char *path, char *text,
                       size_t len)
{
	struct src_file *files;
	char *p;

	if (dc->nfiles == UINT32_MAX - 1)
		goto fail;
	p = strdup(path ? path : "");
	if (!p)
		goto fail;
	files = realloc(dc->files, (dc->nfiles + 1) * sizeof(*files));
	if (!files) {
		free(p);
		goto fail;
	}
	dc->files = files;
	files[dc->nfiles].path = p;
	files[dc->nfiles].text = text;
	files[dc->nfiles].len = len;
	files[dc->nfiles].line_start = NULL;
	files[dc->nfiles].nlines = 0;
	files[dc->nfiles].scanned = 0;
	diag_index_lines(&files[dc->nfiles]);
	return dc->nfiles++;
fail:
	free(text);
	return UINT32_MAX;
}

void diag_vreport(struct diag_ctx *dc, enum diag_severity sev,
                  const struct src_loc *loc, const char *code,
                  const char *fmt, va_list ap)
{
	struct diag *d;

	if (sev == DIAG_ERROR)
		dc->nerrors++;
	else if (sev == DIAG_WARNING)
		dc->nwarnings++;
	dc->last_dropped = 1;
	if (sev == DIAG_ERROR && dc->max_errors && dc->nerrors > dc->max_errors)
		return;

	d = calloc(1, sizeof(*d));
	if (!d)
		return;
	d->severity = sev;
	if (loc) {
		d->loc = *loc;
		d->has_loc = 1;
	}
	if (code && !(d->code = strdup(code)))
		goto fail;
	if (vasprintf(&d->msg, fmt, ap) < 0) {
		d->msg = NULL;
		goto fail;
	}
	if (dc->tail)
		dc->tail->next = d;
	else
		dc->head = d;
	dc->tail = d;
	dc->last_dropped = 0;
	return;
fail:
	diag_free_one(d);
}

void diag_report(struct diag_ctx *dc, enum diag_severity sev,
                 const struct src_loc *loc, const char *code,
                 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(dc, sev, loc, code, fmt, ap);
	va_end(ap);
}

void diag_hint(struct diag_ctx *dc, const char *fmt, ...)
{
	struct diag *d = dc->tail;
	char **hints;
	char *h;
	va_list ap;
	int r;

	if (!d || dc->last_dropped)
		return;
	hints = realloc(d->hints, (d->nhints + 1) * sizeof(*hints));
	if (!hints)
		return;
	d->hints = hints;
	va_start(ap, fmt);
	r = vasprintf(&h, fmt, ap);
	va_end(ap);
	if (r < 0)
		return;
	d->hints[d->nhints++] = h;
}

int diag_failed(const struct diag_ctx *dc)
{
	return dc->nerrors > 0 || (dc->werror && dc->nwarnings > 0);
}

const char *diag_source_line(const struct diag_ctx *dc, uint32_t file,
                             uint32_t line, size_t *len)
{
	const struct src_file *f;
	const char *p, *end, *nl;
	uint32_t n;

	if (file >= dc->nfiles || line == 0 || !dc->files[file].text)
		return NULL;
	f = &dc->files[file];
	p = f->text;
	end = f->text + f->len;
	if (f->line_start) {
		if (line > f->nlines)
			return NULL;
		p += f->line_start[line - 1];
	} else {
		for (n = 1; n < line; n++) {
			nl = memchr(p, '\n', (size_t)(end - p));
			if (!nl)
				return NULL;
			p = nl + 1;
		}
	}
	nl = memchr(p, '\n', end - p);
	*len = (nl ? nl : end) - p;
	if (*len > 0 && p[*len - 1] == '\r')
		(*len)--;
	return p;
}

/* "FILE:LINE:COL", "FILE" or the program name, as the location allows. */
static void diag_print_where(const struct diag_ctx *dc, const struct diag *d,
                             FILE *out)
{
	const char *path;

	if (!d->has_loc) {
		fputs(diag_progname, out);
		return;
	}
	path = d->loc.file < dc->nfiles ? dc->files[d->loc.file].path
	                                : "<unknown>";
	fputs(path, out);
	if (d->loc.line == 0)
		return;
	fprintf(out, ":%u", (unsigned)d->loc.line);
	if (d->loc.col)
		fprintf(out, ":%u", (unsigned)d->loc.col);
}

/*
 * The source line, then the marker: every byte before the column becomes a
 * space, except tabs which are copied so the caret lands under the same
 * character whatever the tab width. Columns past the end of the line are
 * clipped to one past its end (where "expected ... at end of line" points).
 */
static void diag_print_source(const struct diag_ctx *dc, const struct diag *d,
                              FILE *out)
{
	const char *text;
	size_t len, col, end, i;

	if (!d->has_loc || d->loc.line == 0 || d->loc.col == 0)
		return;
	text = diag_source_line(dc, d->loc.file, d->loc.line, &len);
	if (!text)
		return;
	fwrite(text, 1, len, out);
	fputc('\n', out);

	col = d->loc.col - 1;               /* 0-based */
	if (col > len)
		col = len;
	end = d->loc.end_col > d->loc.col ? d->loc.end_col - 1 : col + 1;
	if (end > len)
		end = len > col ? len : col + 1;
	for (i = 0; i < col; i++)
		fputc(text[i] == '\t' ? '\t' : ' ', out);
	fputc('^', out);
	for (i = col + 1; i < end; i++)
		fputc('~', out);
	fputc('\n', out);
}

void diag_print(const struct diag_ctx *dc, FILE *out)
{
	const struct diag *d;
	unsigned hidden = diag_not_shown(dc);
	size_t i;

	for (d = dc->head; d; d = d->next) {
		diag_print_where(dc, d, out);
		fprintf(out, ": %s", diag_sev_names[d->severity]);
		if (d->code)
			fprintf(out, "[%s]", d->code);
		fprintf(out, ": %s\n", d->msg);
		diag_print_source(dc, d, out);
		for (i = 0; i < d->nhints; i++) {
			diag_print_where(dc, d, out);
			fprintf(out, ": note: %s\n", d->hints[i]);
		}
	}
	if (hidden) {
		fprintf(out, "%s: note: %u more error%s not shown\n", diag_progname,
		        hidden, hidden == 1 ? "" : "s");
	}
}
