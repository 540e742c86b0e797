/*
 * stats_sslstat.h: the stats socket's `show ssl stats`: TLS handshakes
 * per frontend, listener, backend and server, with the failures by
 * reason that HAProxy's layout has no column for.
 */
#ifndef HAPC_STATS_SSLSTAT_H
#define HAPC_STATS_SSLSTAT_H

#include "runtime-t.h"
#include "stats_row-t.h"

/*
 * The answer to `show ssl stats`, ending with an empty line, into out:
 * a CSV header, then per proxy in plan order its frontend row and one
 * row per TLS listener (when it has TLS binds), its TLS servers and its
 * backend row (when it has TLS servers). Takes rt's lock.
 */
void stats_show_ssl_stats(struct runtime *rt, struct stats_buf *out);

#endif /* HAPC_STATS_SSLSTAT_H */
