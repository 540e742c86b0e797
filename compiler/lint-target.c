/*
 * lint-target.c: what changes when the configuration is linted for
 * HAProxy itself (cfgc --target=haproxy) rather than for cfgrun.
 */
#include <stdlib.h>
#include <string.h>
#include "lint.h"

static void diag_free_one(struct diag *d)
{
	for (size_t i = 0; i < d->nhints; i++)
		free(d->hints[i]);
	free(d->hints);
	free(d->code);
	free(d->msg);
	free(d);
}

void lint_drop_unsupported(struct diag_ctx *dc)
{
	struct diag **pp = &dc->head, *prev = NULL;

	while (*pp) {
		struct diag *d = *pp;

		if (d->severity == DIAG_ERROR && d->code &&
		    !strncmp(d->code, "unsupported", 11)) {
			*pp = d->next;
			if (dc->nerrors > 0)
				dc->nerrors--;
			diag_free_one(d);
			continue;
		}
		prev = d;
		pp = &d->next;
	}
	dc->tail = prev;
}
