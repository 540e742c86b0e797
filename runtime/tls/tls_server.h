/*
 * tls_server.h: TLS to servers in cfgrun (plan kind PLAN_SEC_TLS_SERVER).
 *
 * One SSL_CTX per server record and generation holds the settings
 * (versions, ciphers, groups, ALPN, CA store, client certificate) and
 * the server's last session for resumption. A connection to the server,
 * for traffic or for a health check, gets the client role of the TLS
 * transport (xprt_ssl.h); its handshake is run by its owner (stream.c,
 * healthcheck.c) like any non-blocking step, bounded by its timeouts.
 */
#ifndef HAPC_TLS_SERVER_H
#define HAPC_TLS_SERVER_H

#include <stdint.h>

#include "conn-t.h"
#include "plan.h"
#include "tls_stats-t.h"

struct runtime;

/*
 * Build the contexts of every TLS server of rt's plan: CA and CRL from
 * the plan's DER (or their files for a --hermetic plan), client
 * certificate, versions, ciphers, curves, ALPN. 0, or -1 with the reason
 * (naming the server) in err; the generation is then refused.
 */
int tls_server_gen_init(struct runtime *rt, char *err, size_t errlen);

/* Release what tls_server_gen_init() built (harmless when it built
 * nothing). Connections still open keep their own references. */
void tls_server_gen_free(struct runtime *rt);

/* The TLS settings of server srv when its traffic (check 0) or its
 * health checks (check 1) go over TLS, else NULL. */
const struct plan_tls_server *tls_server_of(const struct runtime *rt,
                                            uint32_t srv, int check);

/*
 * Make c (a socket to server srv, connecting or connected, conn_init()ed
 * raw) a TLS client connection: SNI `sni` (NULL or "": none), the name
 * the certificate must carry when verifying (the SNI, else verifyhost),
 * and for traffic (check 0) the server's last session unless
 * no-ssl-reuse. 0, or -1 without memory (c left raw).
 */
int tls_server_attach(struct runtime *rt, uint32_t srv, struct conn *c,
                      const char *sni, int check);

/*
 * Count the end of the handshake of traffic connection c to server srv
 * on the server and its backend: TLS_HS_FULL when done (counted as
 * resumed when it was), TLS_HS_FAILED right after the failed handshake
 * call (its reason is the transport's), or TLS_HS_TIMEOUT. Nothing when
 * c is not TLS.
 */
void tls_server_note(struct runtime *rt, uint32_t srv, const struct conn *c,
                     enum tls_outcome how);

/* Handshakes of traffic connections to the servers of rt's generation
 * so far, all backends together: full, resumed, failed. */
void tls_server_counts(const struct runtime *rt, uint64_t out[3]);

#endif /* HAPC_TLS_SERVER_H */
