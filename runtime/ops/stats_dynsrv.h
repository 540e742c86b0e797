/*
 * stats_dynsrv.h: the stats socket's `add server` and `del server`
 * (HAProxy 2.6's dynamic servers), with HAProxy's answers.
 */
#ifndef HAPC_STATS_DYNSRV_H
#define HAPC_STATS_DYNSRV_H

#include "runtime-t.h"
#include "stats_row-t.h"

/* `add server B/S ADDR[:PORT] [options]` or `del server B/S` (w[0] says
 * which, n words): the answer into out. Thread 0. */
void stats_add_del_server(struct runtime *rt, struct stats_buf *out,
                          char **w, int n);

#endif /* HAPC_STATS_DYNSRV_H */
