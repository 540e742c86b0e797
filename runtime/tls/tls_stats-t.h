/*
 * tls_stats-t.h: the TLS handshake counters of a frontend, a listener, a
 * backend or a server. `show stat` gives the first three as HAProxy's
 * "ssl" module columns (ssl_sess, ssl_reused_sess, ssl_failed_handshake);
 * `show ssl stats` gives them all, failures by reason (stats_tlsstat.c).
 */
#ifndef HAPC_TLS_STATS_T_H
#define HAPC_TLS_STATS_T_H

#include <stdint.h>

/*
 * Why a handshake failed, as X(ID, column name of `show ssl stats`), in
 * column order. Each failure counts under exactly one reason.
 */
#define TLS_FAIL_REASONS(X) \
	X(VERSION, fail_version)  /* no protocol version in common */ \
	X(CIPHER, fail_cipher)    /* no cipher, group or signature in common */ \
	X(CERT, fail_cert)        /* a certificate refused, or none given */ \
	X(SNI, fail_sni)          /* strict-sni: no certificate for the name */ \
	X(NOT_TLS, fail_not_tls)  /* the peer does not speak TLS */ \
	X(CLOSED, fail_closed)    /* the peer closed or reset mid-handshake */ \
	X(OTHER, fail_other)      /* any other protocol error */

#define TLS_FAIL_ENUM(id, name) TLS_FAIL_##id,

/* From 0 (TLS_FAIL_VERSION) in the list's order, as stats_row-t.h's
 * columns. */
enum tls_fail {
	TLS_FAIL_REASONS(TLS_FAIL_ENUM)
	TLS_FAIL_MAX
};

/* Handshakes of one object. Changed with atomic adds from any thread,
 * read with atomic loads: no lock. */
struct tls_counters {
	uint64_t sess;              /* full handshakes done */
	uint64_t reused;            /* resumed handshakes done */
	uint64_t failed;            /* failed: the sum of fail[] */
	uint64_t fail[TLS_FAIL_MAX]; /* failed, by reason */
	uint64_t timeout;           /* stalled until a timeout ended them
	                               (not in `failed`: HAProxy counts them
	                               as no failed handshake either) */
};

/* How a handshake ended (tls_count()). */
enum tls_outcome {
	TLS_HS_FULL    = 0,         /* done, new session */
	TLS_HS_RESUMED = 1,         /* done, session resumed */
	TLS_HS_FAILED  = 2,         /* failed (with a reason) */
	TLS_HS_TIMEOUT = 3,         /* a timeout ended it */
};

#endif /* HAPC_TLS_STATS_T_H */
