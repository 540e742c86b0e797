/*
 * stats_srvconn.h: `show servers conn [<backend>]`, the server
 * connections in use and kept idle, in HAProxy 2.6's layout.
 */
#ifndef HAPC_STATS_SRVCONN_H
#define HAPC_STATS_SRVCONN_H

#include <stddef.h>
#include <stdint.h>

#include "ops-t.h"
#include "runtime-t.h"
#include "stats_row.h"

/* The header line, with one idle_per_thr column per thread. */
void stats_srv_conn_header(struct stats_buf *out, uint32_t nthreads);

/*
 * Lines for servers *srv .. end-1 of the current generation `rt`, until
 * out holds `low` bytes; *srv moves past those written. 1 once every one
 * is written (with the closing empty line). Thread 0, no lock held: the
 * idle connections belong to the threads, read with them parked.
 */
int stats_srv_conn_step(struct ops *ops, struct runtime *rt,
                        struct stats_buf *out, uint32_t *srv, uint32_t end,
                        size_t low);

#endif /* HAPC_STATS_SRVCONN_H */
