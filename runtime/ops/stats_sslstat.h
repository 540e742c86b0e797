/*
 * stats_sslstat.h: the stats socket's `show ssl stats`: TLS handshakes
 * per frontend, listener, backend and server, with the failures by
 * reason that HAProxy's layout has no column for.
 */
#ifndef HAPC_STATS_SSLSTAT_H
#define HAPC_STATS_SSLSTAT_H

#include "runtime-t.h"
#include "stats_row-t.h"

/* Where a `show ssl stats` answer resumes: proxy `px`, and in it
 * position `k`: 0 its frontend row, 1..nlisteners its listeners, then
 * its servers by plan index, then its backend row. */
struct stats_sslstat_cursor {
	uint32_t px;                /* plan proxy index */
	uint32_t k;                 /* position in the proxy */
};

/* The CSV header of `show ssl stats` into out; *cur at its first row. */
void stats_ssl_stats_start(struct stats_buf *out,
                           struct stats_sslstat_cursor *cur);

/*
 * Rows of `show ssl stats` from *cur on, for generation rt, until out
 * holds `low` bytes: per proxy in plan order its frontend row and one
 * row per TLS listener (when it has TLS binds), its TLS servers and its
 * backend row (when it has TLS servers). *cur moves past what was
 * written. 1 once every row is written (with the closing empty line).
 * Takes rt's lock.
 */
int stats_ssl_stats_step(struct runtime *rt, struct stats_buf *out,
                         struct stats_sslstat_cursor *cur, size_t low);

#endif /* HAPC_STATS_SSLSTAT_H */
