/*
 * pctx.h: what the grammar's actions hand back to the parse driver.
 */
#ifndef HAPC_PCTX_H
#define HAPC_PCTX_H

#include "ast-t.h"
#include "pctx-t.h"

/*
 * A complete statement (its line is over): a section header opens a new
 * section, anything else joins the current one (an AST_SEC_NONE section
 * before the first header). Calls the on_stmt hook. Takes ownership of `st`;
 * NULL means a constructor ran out of memory (reported here).
 */
void pctx_add_stmt(struct pctx *pc, struct ast_stmt *st);

/* The kind of section `word` opens, or -1 when it is no section keyword. */
int pctx_section_kind(const char *word, size_t len);

#endif /* HAPC_PCTX_H */
