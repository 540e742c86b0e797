/*
 * cond.h: evaluation of .if/.elif expressions (HAProxy's "conditional
 * blocks"): 0 / non-zero integers, predicates with arguments, '!', '&&',
 * '||' (AND binds tighter) and parentheses.
 */
#ifndef HAPC_COND_H
#define HAPC_COND_H

#include <stddef.h>

/* Deepest parenthesis/operator nesting accepted in one expression. */
#define COND_MAX_DEPTH 64

/*
 * Evaluate `expr` (NUL terminated: the words after the directive joined by
 * single spaces, as HAProxy does). An expression of only spaces is false.
 * Returns 0 and sets *result to 0 or 1, or -1 with a message naming what was
 * expected and what was found in `err` (`errlen` bytes) and the byte offset
 * of the offending text in *errpos. Environment variables are read now.
 */
int cond_eval(const char *expr, int *result, size_t *errpos, char *err,
              size_t errlen);

/* Compare dotted versions ("2.4", "2.4-dev19", "3.5.0"): sets *cmp to <0, 0
 * or >0 as `a` is older, equal or newer than `b`; -1 when one does not
 * parse. */
int cond_version_cmp(const char *a, const char *b, int *cmp);

#endif /* HAPC_COND_H */
