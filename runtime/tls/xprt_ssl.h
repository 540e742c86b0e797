/*
 * xprt_ssl.h: the TLS transport (BoringSSL) of struct conn, both roles.
 *
 * A connection over TLS keeps its SSL* in conn->ctx. Everything above the
 * transport does its I/O through conn.h and learns only what the
 * transport's functions tell it (CONN_F_WANT_* after "not yet").
 */
#ifndef HAPC_XPRT_SSL_H
#define HAPC_XPRT_SSL_H

#include <stddef.h>
#include <openssl/ssl.h>

#include "conn-t.h"
#include "tls_stats-t.h"

extern const struct xprt_ops xprt_ssl;

/*
 * Make c (a connection on its socket, conn_init()ed over any transport) a
 * TLS connection with a new SSL from ctx: server role (accept) when
 * accept is 1, client role (connect) when 0. The caller may then set the
 * SSL's options (SNI, ALPN, session) through xprt_ssl_get(). Returns 0, or
 * -1 without memory (c is left as it was; the caller closes it).
 */
int xprt_ssl_attach(struct conn *c, SSL_CTX *ctx, int accept);

/* The SSL of a TLS connection, NULL for any other transport. */
SSL *xprt_ssl_get(const struct conn *c);

/*
 * Why the last TLS operation of this thread failed, as a short text from
 * the library's error queue ("handshake failure", "no shared cipher"...)
 * or a fixed text when the queue is empty; clears the queue. Call right
 * after a handshake() or recv() that returned -1.
 */
const char *xprt_ssl_error(void);

/* Why the last handshake of this thread that returned -1 failed, as a
 * counted reason (TLS_FAIL_OTHER when nothing more precise is known). */
enum tls_fail xprt_ssl_fail_reason(void);

#endif /* HAPC_XPRT_SSL_H */
