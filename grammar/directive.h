/*
 * directive.h: the lines that start with a '.' word: conditional blocks
 * (.if/.elif/.else/.endif) and messages (.notice/.warning/.alert/.diag).
 */
#ifndef HAPC_DIRECTIVE_H
#define HAPC_DIRECTIVE_H

#include "pctx-t.h"

/*
 * Handle the current line (pc->cur) if it is .if, .elif, .else or .endif;
 * these are read even inside false branches. Returns 1 when the line was
 * one of them (and is consumed), 0 otherwise.
 */
int directive_cond(struct pctx *pc);

/* 1 while lines are dropped because they sit in a false branch. */
int directive_skipping(const struct pctx *pc);

/*
 * Handle the current line if its first word starts with '.' (in a branch
 * being read): messages, or an error for an unknown directive. Returns 1
 * when the line was consumed.
 */
int directive_other(struct pctx *pc);

/* At the end of a file: report every .if still open, and reset. */
void directive_finish(struct pctx *pc);

#endif /* HAPC_DIRECTIVE_H */
