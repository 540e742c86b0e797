/*
 * scan.h: the flex scanner seen from the rest of the grammar: a handle in
 * pctx.scanner (void *) and three calls.
 */
#ifndef HAPC_SCAN_H
#define HAPC_SCAN_H

#include "pctx-t.h"

/* Set up a scanner over pc->text / pc->len. Returns 0 or -1 (no memory or
 * input too large; reported). */
int scan_open(struct pctx *pc);

/* Scan the next physical line into pc->cur (after line_begin()). Returns 1
 * when a line was read, 0 at the end of the input. */
int scan_line(struct pctx *pc);

void scan_close(struct pctx *pc);

#endif /* HAPC_SCAN_H */
