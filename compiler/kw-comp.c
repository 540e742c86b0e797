/*
 * kw-comp.c: HTTP response compression, `compression ...` in proxies and
 * defaults, and `tune.comp.maxlevel`, `tune.zlib.memlevel` and
 * `tune.zlib.windowsize` in global (runtime: http_comp.c).
 *
 *   compression algo|algo-res ALGO...   identity gzip deflate raw-deflate;
 *                                       each line adds to the list
 *   compression type|type-res TYPE...   Content-Type prefixes to compress
 *   compression offload                 Accept-Encoding removed from a
 *                                       request whose response will be
 *                                       compressed (ignored in defaults,
 *                                       with a warning, as HAProxy does)
 *   compression direction response      the default; request and both
 *                                       are not supported
 *   compression minsize-res SIZE        a response whose Content-Length is
 *                                       below SIZE is not compressed
 *
 * HAProxy keeps the algorithms in a list it grows at the front (a proxy
 * adds its own in front of the ones its defaults section gave) and tries
 * them in that order: the model keeps them in that order too, each
 * algorithm once (a repeated one is moved to the front, which selects
 * the same). Request compression (algo-req, type-req, minsize-req,
 * direction request|both) is refused as unsupported.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "kw.h"
#include "lint.h"
#include "model-t.h"
#include "sema.h"
#include "units.h"

static const char *const comp_algo_names[PLAN_COMP_ALGO_MAX] = {
	[PLAN_COMP_IDENTITY] = "identity",
	[PLAN_COMP_GZIP] = "gzip",
	[PLAN_COMP_DEFLATE] = "deflate",
	[PLAN_COMP_RAW_DEFLATE] = "raw-deflate",
};

const char *kw_comp_algo_name(unsigned algo)
{
	return algo > PLAN_COMP_NONE && algo < PLAN_COMP_ALGO_MAX ?
	       comp_algo_names[algo] : "?";
}

/* Put algorithm a at the front of list l (PLAN_COMP_MAX_ALGOS entries,
 * 0-ended), taking it out of where it was. */
static void comp_algo_push(uint8_t *l, uint8_t a)
{
	int k = 0;

	while (k < PLAN_COMP_MAX_ALGOS - 1 && l[k] && l[k] != a)
		k++;
	memmove(l + 1, l, (size_t)k);
	l[0] = a;
}

/* Append "type\n" to the owned list *list: 0, or -1 without memory. */
static int comp_type_add(char **list, const char *type)
{
	size_t old = *list ? strlen(*list) : 0, n = strlen(type);
	char *l = realloc(*list, old + n + 2);

	if (!l)
		return -1;
	memcpy(l + old, type, n);
	l[old + n] = '\n';
	l[old + n + 1] = '\0';
	*list = l;
	return 0;
}

static int comp_unsupported(struct sema *s, const struct ast_word *w,
                            const char *what)
{
	diag_error(s->dc, &w->loc, "unsupported",
	           "'compression %s' is not supported by cfgc: %s", w->text, what);
	return -1;
}

/*
 * HAProxy reads no condition on a compression line: an `if` or `unless`
 * there is one more word. The parser took it as a condition; a lone one
 * at the end of a type list is the type HAProxy would add (kw_compression
 * adds it); words after it cannot be given back: refused. 0 or -1.
 */
static int comp_cond_words(struct sema *s, const struct ast_stmt *st)
{
	const char *sub = st->nargs > 1 ? st->args[1].text : "";

	if (st->cond->nalts == 0 &&
	    (!strcmp(sub, "type") || !strcmp(sub, "type-res")))
		return 0;
	diag_error(s->dc, &st->cond->loc, "unexpected-condition",
	           "'compression' takes no '%s' condition (HAProxy would read "
	           "the words from here as arguments: quote them)",
	           st->cond->kind == AST_COND_IF ? "if" : "unless");
	return -1;
}

/* compression minsize-res SIZE: bytes (k, m, g suffixes), below 4 GB. */
static int comp_minsize(struct sema *s, const struct ast_stmt *st,
                        struct model_http *h)
{
	const struct ast_word *w = &st->args[2];
	char err[256];
	size_t col = 0;
	uint64_t v;

	if (st->nargs != 3) {
		diag_error(s->dc, &st->args[1].loc, "missing-argument",
		           "'compression minsize-res' expects one size");
		return -1;
	}
	if (units_parse_size_msg(w->text, &v, err, sizeof(err), &col) < 0) {
		struct src_loc loc = kw_word_loc_at(w, col);

		diag_error(s->dc, &loc, "invalid-size",
		           "'compression minsize-res': %s", err);
		return -1;
	}
	if (v > UINT32_MAX) {
		diag_error(s->dc, &w->loc, "out-of-range",
		           "'compression minsize-res' expects a size below 4 GB, "
		           "found '%s'", w->text);
		return -1;
	}
	h->comp_minsize = (uint32_t)v;
	return 0;
}

int kw_compression(struct sema *s, const struct ast_stmt *st)
{
	struct model_http *h = &s->set->http;
	struct model_proxy *px = sema_proxy(s);
	const struct ast_word *w = st->args;
	const char *sub;

	if (lint_stmt(s, st->args, st->nargs, s->sec) > 0)
		return -1;
	if (st->cond && comp_cond_words(s, st) < 0)
		return -1;
	if (px && !px->comp_loc.line)
		px->comp_loc = w[0].loc;
	if (st->nargs < 2) {
		diag_error(s->dc, &w[0].loc, "missing-argument",
		           "'compression' expects 'algo', 'algo-res', 'type', "
		           "'type-res', 'offload' or 'direction'");
		return -1;
	}
	sub = w[1].text;
	if (!strcmp(sub, "algo") || !strcmp(sub, "algo-res")) {
		if (st->nargs < 3) {
			diag_error(s->dc, &w[1].loc, "missing-argument",
			           "'compression %s' expects one or more algorithms "
			           "(identity, gzip, deflate, raw-deflate)", sub);
			return -1;
		}
		for (size_t i = 2; i < st->nargs; i++) {
			uint8_t a = PLAN_COMP_NONE;

			for (unsigned k = 1; k < PLAN_COMP_ALGO_MAX; k++)
				if (!strcmp(w[i].text, comp_algo_names[k]))
					a = (uint8_t)k;
			if (a == PLAN_COMP_NONE) {
				diag_error(s->dc, &w[i].loc, "invalid-value",
				           "'compression %s': '%s' is not a supported "
				           "algorithm (identity, gzip, deflate, "
				           "raw-deflate)", sub, w[i].text);
				return -1;
			}
			comp_algo_push(h->comp_algos, a);
		}
		return 0;
	}
	if (!strcmp(sub, "type") || !strcmp(sub, "type-res")) {
		if (st->nargs < 3) {
			diag_error(s->dc, &w[1].loc, "missing-argument",
			           "'compression %s' expects one or more MIME types",
			           sub);
			return -1;
		}
		if (st->cond && comp_type_add(&h->comp_types,
		                              st->cond->kind == AST_COND_IF ?
		                              "if" : "unless") < 0) {
			s->oom = 1;
			return -1;
		}
		for (size_t i = 2; i < st->nargs; i++) {
			if (!w[i].text[0] || strchr(w[i].text, '\n')) {
				diag_error(s->dc, &w[i].loc, "invalid-value",
				           "'compression %s' expects a MIME type, found "
				           "an empty or multi-line word", sub);
				return -1;
			}
			if (comp_type_add(&h->comp_types, w[i].text) < 0) {
				s->oom = 1;
				return -1;
			}
		}
		return 0;
	}
	if (!strcmp(sub, "offload")) {
		if (st->nargs > 2) {
			diag_error(s->dc, &w[2].loc, "extra-argument",
			           "'compression offload' takes no argument");
			return -1;
		}
		if (!px) {
			diag_warning(s->dc, &w[1].loc, "ignored",
			             "'compression offload' ignored in a defaults "
			             "section, as HAProxy ignores it there");
			return 0;
		}
		h->comp_flags |= PLAN_COMP_F_OFFLOAD;
		return 0;
	}
	if (!strcmp(sub, "direction")) {
		if (st->nargs != 3) {
			diag_error(s->dc, &w[1].loc, "missing-argument",
			           "'compression direction' expects one of "
			           "'request', 'response' or 'both'");
			return -1;
		}
		if (strcmp(w[2].text, "response"))
			return comp_unsupported(s, &w[1],
			                        "cfgrun compresses responses only");
		return 0;
	}
	if (!strcmp(sub, "algo-req") || !strcmp(sub, "type-req") ||
	    !strcmp(sub, "minsize-req"))
		return comp_unsupported(s, &w[1],
		                        "cfgrun compresses responses only");
	if (!strcmp(sub, "minsize-res"))
		return comp_minsize(s, st, h);
	diag_error(s->dc, &w[1].loc, "invalid-value",
	           "'compression' expects 'algo', 'algo-res', 'type', "
	           "'type-res', 'offload' or 'direction', found '%s'", sub);
	return -1;
}

/* tune.comp.maxlevel N (the zlib level, 1..9), tune.zlib.memlevel N
 * (1..9), tune.zlib.windowsize N (8..15), ranges as HAProxy takes them,
 * read with atoi as it does: "5x" is 5, with a lenient-number warning. */
int kw_global_comp_level(struct sema *s, const struct ast_stmt *st)
{
	static const struct {
		const char *kw;
		long min, max;
		size_t off;
	} tune[] = {
		{ "tune.comp.maxlevel", 1, 9,
		  offsetof(struct model, tune_comp_maxlevel) },
		{ "tune.zlib.memlevel", 1, 9,
		  offsetof(struct model, tune_zlib_memlevel) },
		{ "tune.zlib.windowsize", 8, 15,
		  offsetof(struct model, tune_zlib_windowsize) },
	};
	const struct ast_word *w = &st->args[1];
	long v = strtol(w->text, NULL, 10);
	size_t i = 0;

	while (strcmp(tune[i].kw, st->args[0].text))
		i++;
	if (v < tune[i].min || v > tune[i].max) {
		diag_error(s->dc, &w->loc, "out-of-range",
		           "'%s' expects a number from %ld to %ld, found '%s'",
		           tune[i].kw, tune[i].min, tune[i].max, w->text);
		return -1;
	}
	*(uint32_t *)(void *)((char *)s->m + tune[i].off) =
		kw_lenient_count(s, w, tune[i].kw);
	return 0;
}

void kw_comp_finish(struct sema *s, struct model_proxy *px)
{
	const struct model_http *h = &px->set.http;
	int configured = px->comp_loc.line || h->comp_algos[0] ||
	                 h->comp_types;

	if (!configured)
		return;
	if (px->set.mode != PLAN_MODE_HTTP) {
		if (px->comp_loc.line)
			diag_warning(s->dc, &px->comp_loc, "ignored",
			             "'compression' ignored in a 'mode tcp' proxy: "
			             "compression applies to HTTP messages only");
		return;
	}
	/* HAProxy adds the compression filter itself only to a proxy
	 * without filter lines; with another filter, it wants its own. */
	if (px->trace_loc.line && !px->compression_loc.line)
		diag_error(s->dc, &px->trace_loc, "missing-filter",
		           "%s '%s' uses compression and declares another "
		           "filter: HAProxy then requires an explicit 'filter "
		           "compression' line too",
		           px->cap == PLAN_CAP_FE ? "frontend" :
		           px->cap == PLAN_CAP_BE ? "backend" : "listen", px->name);
}
