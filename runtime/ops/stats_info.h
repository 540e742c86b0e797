/*
 * stats_info.h: `show info` in its three forms, kept apart from stats.c.
 */
#ifndef HAPC_STATS_INFO_H
#define HAPC_STATS_INFO_H

#include "ops-t.h"
#include "stats_row-t.h"
#include "stats_typed.h"

/* `show info` [typed|json]: the process's fields in `form`, then the
 * empty line ending the answer. Reads ops->cur (the main thread's). */
void stats_info_dump(struct stats_buf *b, struct ops *ops,
                     enum stats_form form);

#endif /* HAPC_STATS_INFO_H */
