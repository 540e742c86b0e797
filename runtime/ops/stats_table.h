/*
 * stats_table.h: the stats socket's stick table commands (show table,
 * clear table, set table), kept apart from stats.c.
 */
#ifndef HAPC_STATS_TABLE_H
#define HAPC_STATS_TABLE_H

#include <stdint.h>

#include "runtime-t.h"
#include "stats_row.h"

/*
 * Command words w[0..n) of a client at `level` (enum plan_stats_level)
 * on the current generation rt: 0 when they are not a table command;
 * else the answer (ending with an empty line) is appended to out and 1
 * returned.
 */
int stats_table_exec(struct runtime *rt, struct stats_buf *out,
                     uint32_t level, char **w, int n);

#endif /* HAPC_STATS_TABLE_H */
