/*
 * kw-bind.c: `bind ADDRESS[,ADDRESS...] [options]`, one listener per port.
 */
#include <stdlib.h>
#include "addr.h"
#include "diag.h"
#include "kw.h"
#include "model.h"
#include "sema.h"

int kw_bind(struct sema *s, const struct ast_stmt *st)
{
	struct model_proxy *px = sema_proxy(s);
	const struct ast_word *w = &st->args[1];
	struct addr_spec *specs = NULL;
	size_t n = 0, ecol = 0;
	char err[256];
	int ret = 0;

	if (addr_parse_list(w->text, ADDR_USE_BIND, 0, &specs, &n, err,
	                    sizeof(err), &ecol) < 0) {
		struct src_loc loc = kw_word_loc_at(w, ecol);

		diag_error(s->dc, &loc, "invalid-address", "'bind': %s", err);
		return -1;
	}
	if (st->nargs > 2) {
		/* no bind option is compiled yet: report the first one; what
		 * follows may be its arguments, so the rest is not guessed at */
		kw_report_uncompiled(s, &st->args[2], st->nargs - 2, KW_SEC_BIND,
		                     "bind");
		ret = -1;
	}
	for (size_t i = 0; i < n && ret == 0; i++) {
		const struct addr_spec *a = &specs[i];
		int inet = a->addr.family == PLAN_FAM_INET ||
		           a->addr.family == PLAN_FAM_INET6;
		uint32_t lo = inet ? a->port_lo : 0, hi = inet ? a->port_hi : 0;

		for (uint32_t port = lo; port <= hi; port++) {
			struct model_listener *l = model_proxy_add_listener(px);

			if (!l) {
				s->oom = 1;
				ret = -1;
				break;
			}
			l->addr = a->addr;
			l->line = st->args[0].loc.line;
			if (inet)
				addr_set_port(&l->addr, (uint16_t)port);
		}
	}
	free(specs);
	return ret;
}
