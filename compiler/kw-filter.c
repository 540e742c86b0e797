/*
 * kw-filter.c: `filter` and `declare capture` lines that have no effect
 * on what cfgrun runs, accepted with a located warning saying so, as
 * cfgc accepts a `traces` section; the others are refused as
 * unsupported.
 *
 *   filter trace [...]          a debugging aid of HAProxy (it logs what
 *                               flows through its filters): ignored
 *   filter compression          the compression filter, declared (it
 *                               is added by itself to a proxy without
 *                               filter lines): HTTP only, ignored in a
 *                               `mode tcp` proxy (checked once the
 *                               section is read: kw_filter_finish);
 *                               `compression` configures it (kw-comp.c)
 *   declare capture request|response len N
 *                               capture slots for `http-request capture
 *                               ... id`, which cfgc does not compile:
 *                               ignored (nothing can fill them)
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "kw.h"
#include "lint.h"
#include "model-t.h"
#include "sema.h"

int kw_filter(struct sema *s, const struct ast_stmt *st)
{
	struct model_proxy *px = sema_proxy(s);
	const struct ast_word *w = st->args;

	if (lint_stmt(s, st->args, st->nargs, s->sec) > 0)
		return -1;
	if (!px || st->nargs < 2 ||
	    (strcmp(w[1].text, "trace") && strcmp(w[1].text, "compression"))) {
		kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
		return -1;
	}
	if (!strcmp(w[1].text, "trace")) {
		if (!px->trace_loc.line)
			px->trace_loc = w[0].loc;
		diag_warning(s->dc, &w[0].loc, "ignored",
		             "'filter trace' ignored: cfgrun has no trace filter "
		             "(a debugging aid of HAProxy with no effect on "
		             "traffic)");
		return 0;
	}
	if (st->nargs > 2) {
		kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
		return -1;
	}
	if (!px->compression_loc.line)
		px->compression_loc = w[0].loc;
	return 0;
}

void kw_filter_finish(struct sema *s, struct model_proxy *px)
{
	if (!px->compression_loc.line)
		return;
	if (px->set.mode == PLAN_MODE_HTTP)
		return;     /* what `compression` configures (kw-comp.c) */
	diag_warning(s->dc, &px->compression_loc, "ignored",
	             "'filter compression' ignored in a 'mode tcp' proxy: "
	             "compression applies to HTTP messages only");
}

int kw_declare(struct sema *s, const struct ast_stmt *st)
{
	const struct ast_word *w = st->args;
	char *end;

	if (lint_stmt(s, st->args, st->nargs, s->sec) > 0)
		return -1;
	if (st->nargs != 5 || strcmp(w[1].text, "capture") ||
	    (strcmp(w[2].text, "request") && strcmp(w[2].text, "response")) ||
	    strcmp(w[3].text, "len") || !w[4].text[0] ||
	    (strtol(w[4].text, &end, 10), *end)) {
		kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
		return -1;
	}
	diag_warning(s->dc, &w[0].loc, "ignored",
	             "'declare capture' ignored: its slots are for "
	             "'http-request capture ... id', which cfgc does not "
	             "compile, so nothing can fill them");
	return 0;
}
