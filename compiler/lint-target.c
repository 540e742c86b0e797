/*
 * lint-target.c: what changes when the configuration is linted for
 * HAProxy itself (cfgc --target=haproxy) rather than for cfgrun.
 */
#include <stdlib.h>
#include <string.h>
#include "diag.h"
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

void lint_not_run(struct sema *s, const struct ast_word *w, const char *what)
{
	diag_warning(s->dc, &w->loc, "not-run",
	             "%s '%s' is accepted for HAProxy, but cfgrun does not run "
	             "it: the plan leaves it out", what, w->text);
}

/* Turn an unsupported error into the not-run warning a written plan gets. */
static int lint_demote(struct diag_ctx *dc, struct diag *d)
{
	char *code = strdup("not-run");

	if (!code)
		return -1;
	free(d->code);
	d->code = code;
	d->severity = DIAG_WARNING;
	if (dc->nerrors > 0)
		dc->nerrors--;
	dc->nwarnings++;
	return 0;
}

void lint_drop_unsupported(struct diag_ctx *dc, int plan_output)
{
	struct diag **pp = &dc->head, *prev = NULL;

	while (*pp) {
		struct diag *d = *pp;

		if (d->severity == DIAG_ERROR && d->code &&
		    !strncmp(d->code, "unsupported", 11) &&
		    !(plan_output && lint_demote(dc, d) == 0)) {
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
