/*
 * tls_stats.h: counting TLS handshakes (tls_stats-t.h) on both sides:
 * client connections count on their listener and frontend, server
 * connections on their server and backend.
 */
#ifndef HAPC_TLS_STATS_H
#define HAPC_TLS_STATS_H

#include "conn-t.h"
#include "tls_stats-t.h"

/*
 * Count one handshake that ended as `how` (`why`: the reason of a
 * TLS_HS_FAILED, else ignored) on `a` and on `b` (either may be NULL).
 * Atomic: any thread, no lock.
 */
void tls_count(struct tls_counters *a, struct tls_counters *b,
               enum tls_outcome how, enum tls_fail why);

/*
 * Count the end of TLS connection c's handshake on `a` and `b`:
 * TLS_HS_FULL when done (counted as resumed when c resumed a session),
 * TLS_HS_FAILED right after the handshake call that failed (the reason
 * is the transport's, xprt_ssl_fail_reason()), or TLS_HS_TIMEOUT.
 * Nothing when c is not TLS.
 */
void tls_count_conn(struct tls_counters *a, struct tls_counters *b,
                    const struct conn *c, enum tls_outcome how);

/* A consistent-enough copy of `c` (each counter read atomically). */
void tls_counters_load(const struct tls_counters *c, struct tls_counters *out);

/* The process's TLS figures for `show info`. */
struct tls_global {
	uint64_t conns_cur;         /* TLS connections open, both sides */
	uint64_t conns_cum;         /* TLS connections made since start */
	uint32_t rate, rate_max;    /* /s: connections accepted on TLS binds */
	uint32_t fe_key_rate, fe_key_max; /* /s: full handshakes, clients */
	uint32_t be_key_rate, be_key_max; /* /s: full handshakes, servers */
	uint32_t reuse_pct;         /* % of the accepts of the last second
	                               that resumed a session (HAProxy's) */
};

/* A TLS connection was made (xprt_ssl_attach()): accept 1 for a client
 * accepted on a TLS bind, 0 towards a server; and one was closed. */
void tls_conn_opened(int accept);
void tls_conn_closed(void);

/* Fill g (any thread). */
void tls_global_read(struct tls_global *g);

/* The column name of failure reason `why` ("fail_version"...). */
const char *tls_fail_name(enum tls_fail why);

#endif /* HAPC_TLS_STATS_H */
