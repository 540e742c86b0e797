/*
 * sema.h: the evaluation pass, AST -> typed model.
 *
 * One pass does every semantic check: keywords against their tables,
 * arguments, addresses, defaults inheritance, names and references. Every
 * problem is queued in the diag context; nothing stops at the first one.
 */
#ifndef HAPC_SEMA_H
#define HAPC_SEMA_H

#include "ast-t.h"
#include "diag-t.h"
#include "model-t.h"
#include "sema-t.h"

/*
 * Evaluate `cfg` into `m` (initialised by the caller, freed by the caller
 * with model_free() whatever the result). `addr_opts` are the ADDR_*
 * options for server addresses (ADDR_RESOLVE when a plan is written).
 * Returns 0 when no error was queued, -1 otherwise.
 */
int sema_run(struct diag_ctx *dc, const struct ast_config *cfg,
             unsigned addr_opts, struct model *m);

/* sema_run() with every option of the command line (target included). */
int sema_run_opts(struct diag_ctx *dc, const struct ast_config *cfg,
                  const struct sema_opts *opts, struct model *m);

/* The proxy being read, or NULL in global and defaults sections. */
struct model_proxy *sema_proxy(struct sema *s);

/* Copy a string or note that memory ran out (then returns NULL). */
char *sema_strdup(struct sema *s, const char *text);

#endif /* HAPC_SEMA_H */
