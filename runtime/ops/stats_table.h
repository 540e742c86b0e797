/*
 * stats_table.h: the stats socket's stick table commands (show table,
 * clear table, set table), kept apart from stats.c.
 */
#ifndef HAPC_STATS_TABLE_H
#define HAPC_STATS_TABLE_H

#include <stdint.h>

#include "runtime-t.h"
#include "stats_row.h"

struct stk_table;

/* Where a `show table NAME` answer is, between two stats_table_step(). */
struct stats_table_cursor {
	struct stk_table *t;        /* the table; NULL = no entries to give.
	                               Valid while its generation is the
	                               current one (the caller checks) */
	uint32_t bucket;            /* next hash bucket */
	uint32_t d;                 /* data type filtered on, PLAN_TD_MAX =
	                               none */
	char op[3];                 /* its operator: eq, ne, lt, le, gt, ge */
	int64_t v;                  /* the value compared to */
};

/*
 * Command words w[0..n) of a client at `level` (enum plan_stats_level)
 * on the current generation rt: 0 when they are not a table command;
 * else 1, the answer appended to out, ending with an empty line, except
 * for `show table NAME` (all entries or a filter): out then has its
 * header line and cur->t is set; the caller asks stats_table_step() for
 * the entries as the client reads them, then ends the answer with the
 * empty line. cur->t is NULL otherwise.
 */
int stats_table_exec(struct runtime *rt, struct stats_buf *out,
                     uint32_t level, char **w, int n,
                     struct stats_table_cursor *cur);

/* The next entries of the `show table NAME` at cur (a few buckets' worth,
 * at most `max` entries give or take a bucket) into out; 1 when none is
 * left. */
int stats_table_step(struct stats_buf *out, struct stats_table_cursor *cur,
                     uint32_t max);

#endif /* HAPC_STATS_TABLE_H */
