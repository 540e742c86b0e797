/*
 * stats_typed.h: the `typed` and `json` forms of `show stat` and `show
 * info`, in HAProxy 2.6's layout. The values are the same texts the CSV
 * and plain forms show (stats_row.c, stats_info.c); only the layout, the
 * value type and the origin/nature/scope tags are added.
 */
#ifndef HAPC_STATS_TYPED_H
#define HAPC_STATS_TYPED_H

#include <stdint.h>

#include "stats_row-t.h"

/* How an answer is laid out. */
enum stats_form {
	STATS_FORM_PLAIN = 0,       /* CSV (show stat), "Name: value" (info) */
	STATS_FORM_TYPED = 1,       /* one "...:tags:type:value" line a field */
	STATS_FORM_JSON  = 2,       /* an array of field objects */
};

/* One field of `show info` in the typed forms. */
struct stats_field {
	const char *name;           /* "Pid" */
	uint32_t pos;               /* HAProxy 2.6's position; ours from 100 */
	enum stats_type type;
	const char *tags;           /* origin, nature, scope letters: "SGP" */
	const char *value;          /* its text */
};

/* The form named by word `w` ("typed", "json"), or -1. */
int stats_form_word(const char *w);

/*
 * One `show stat` row in `form` (TYPED or JSON): a line per non-empty
 * column, or one JSON array of field objects, preceded by a comma unless
 * `first`. Columns without a value (NULL) are left out, as HAProxy does.
 */
void stats_typed_row(struct stats_buf *b, enum stats_form form,
                     const struct stats_row *r, int first);

/* `show info` fields `f[0..n)` in `form` (TYPED or JSON; JSON: the whole
 * array, then a line end). */
void stats_typed_info(struct stats_buf *b, enum stats_form form,
                      const struct stats_field *f, uint32_t n);

#endif /* HAPC_STATS_TYPED_H */
