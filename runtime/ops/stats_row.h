/*
 * stats_row.h: the rows of `show stat` and the text buffer they are
 * written into (stats_row-t.h). The stats socket's `show stat`, the HTTP
 * stats page's CSV export, its HTML tables and the Prometheus exporter
 * all read the counters through stats_row_fill().
 */
#ifndef HAPC_STATS_ROW_H
#define HAPC_STATS_ROW_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime-t.h"
#include "stats_row-t.h"

#define STATS_STEP_VISITS 4096u     /* rows looked at per stats_rows_step() */

/* An empty buffer of at most `max` bytes. */
void stats_buf_init(struct stats_buf *b, size_t max);

/* Release the buffer's memory; it is empty again (same max). */
void stats_buf_free(struct stats_buf *b);

/* Append `len` bytes / a string / printf text; beyond b->max (or when
 * memory runs out) nothing more is added and b->cut is set. */
void stats_buf_write(struct stats_buf *b, const char *data, size_t len);
void stats_buf_puts(struct stats_buf *b, const char *s);
void stats_buf_printf(struct stats_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void stats_buf_vprintf(struct stats_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* The column's name in the CSV header ("pxname", ...). */
const char *stats_col_name(enum stats_col col);

/* Start a dump of generation `rt` now (`stopping`: soft stop under way,
 * frontends say STOP). Call under the lock, and again after retaking it:
 * it reads the clock. */
void stats_dump_init(struct stats_dump *d, const struct runtime *rt,
                     int stopping);

/*
 * Fill `r` for a row of `d`'s generation: the frontend of proxy `px`
 * (kind STATS_ROW_FRONTEND, `srv` ignored), the backend of `px`, or server
 * `srv` of backend `px`. The generation's lock must be held while the row
 * is filled and read.
 */
void stats_row_fill(struct stats_row *r, const struct stats_dump *d,
                    enum stats_row_kind kind, uint32_t px, uint32_t srv);

/* 1 when filter `f` keeps server `srv` of proxy `px` (srv PLAN_NONE: the
 * proxy's frontend or backend row). Lock held (server state). */
int stats_filter_keeps(const struct stats_filter *f, const struct runtime *rt,
                       uint32_t px, uint32_t srv);

/*
 * Call `fn` for every row `f` keeps, in `show stat` order: per proxy its
 * frontend, its servers, its backend. The lock is taken per
 * stats_rows_step() (other threads run in between) and is held while `fn`
 * runs. `stopping` as in stats_dump_init().
 */
void stats_rows_each(struct runtime *rt, int stopping,
                     const struct stats_filter *f,
                     void (*fn)(void *arg, const struct stats_row *r),
                     void *arg);

/* A cursor at the first row of a dump. */
void stats_cursor_init(struct stats_cursor *cur);

/*
 * Give the rows `f` keeps from `cur` on to `fn`, in `show stat` order
 * (per proxy: its frontend, its servers, its backend), under the
 * generation's lock, until `fn` returns non-zero (enough for now) or
 * STATS_STEP_VISITS rows were looked at; `cur` then points past the last
 * row looked at. Returns 1 when every row was given, 0 when more remain.
 * A dump resumed this way reads each row at the moment it is given.
 */
int stats_rows_step(struct runtime *rt, int stopping,
                    const struct stats_filter *f, struct stats_cursor *cur,
                    int (*fn)(void *arg, const struct stats_row *r),
                    void *arg);

/* One CSV field followed by ',': text holding a comma, a quote or a
 * line end is quoted, inner quotes doubled; NULL is empty. */
void stats_csv_field(struct stats_buf *b, const char *v);

/* The CSV header line ("# pxname,svname,...\n") and one CSV row. */
void stats_csv_header(struct stats_buf *b);
void stats_csv_row(struct stats_buf *b, const struct stats_row *r);

/*
 * `show stat`: the header and every row `f` keeps (NULL: all) as CSV,
 * the bytes of the stats socket's answer before its closing empty line.
 * Takes the generation's lock per stats_rows_step() (stats_rows_each()).
 */
void stats_csv_dump(struct stats_buf *b, struct runtime *rt, int stopping,
                    const struct stats_filter *f);

#endif /* HAPC_STATS_ROW_H */
