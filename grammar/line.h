/*
 * line.h: building the words of one line, for the scanner's actions.
 *
 * Columns are 1-based byte columns of the source line. A word opens on the
 * first source byte that belongs to it (a quote counts even when nothing is
 * emitted), a separator closes it, and an empty word still open at the end
 * of the line is dropped, which is how HAProxy counts arguments.
 */
#ifndef HAPC_LINE_H
#define HAPC_LINE_H

#include <stddef.h>
#include <stdint.h>
#include "pctx-t.h"

/* Forget the previous line's words; the next line is `pc->line`. */
void line_begin(struct pctx *pc);

/* Append `n` bytes produced by source columns [col, end) to the open word,
 * opening one if needed, and add `flags` to it. */
void line_emit(struct pctx *pc, const char *s, size_t n, uint32_t flags,
               uint32_t col, uint32_t end);

/* Same with no byte (an empty pair of quotes, a variable that expands to
 * nothing). */
void line_touch(struct pctx *pc, uint32_t flags, uint32_t col, uint32_t end);

/* An unquoted separator: close the open word, if any. */
void line_separate(struct pctx *pc);

/*
 * Expand the variable reference `ref` (`n` bytes as matched by the scanner:
 * $NAME, ${NAME}, ${NAME[*]}, ${NAME-default}, ${NAME[*]-default}) found
 * at source columns [col, col + n) inside double quotes. Reports an unknown
 * pseudo-variable, or a value that would take the line's words past
 * PCTX_MAX_EXPANDED_LINE bytes (error[line-too-long]); both return -1, the
 * line is then marked errored.
 */
int line_expand(struct pctx *pc, const char *ref, size_t n, uint32_t col);

/* Report a lexical error at columns [col, end) of the current line and mark
 * the line so it is dropped. */
void line_error(struct pctx *pc, uint32_t col, uint32_t end, const char *code,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Close the line: `eol_col` is the column just past its content. */
void line_finish(struct pctx *pc, uint32_t eol_col);

/* Free the line buffers. */
void line_release(struct pctx *pc);

/* Value of variable `name` (`len` bytes, may be a .PSEUDO variable) now:
 * NULL when undefined. `buf` (>= 24 bytes) may hold the returned text.
 * Sets *unknown for an unknown pseudo-variable. */
const char *line_env_value(const struct pctx *pc, const char *name,
                           size_t len, char *buf, int *unknown);

#endif /* HAPC_LINE_H */
