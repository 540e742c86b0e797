/*
 * tls.h: TLS termination for a plan generation. The SSL contexts of the
 * plan's `bind ... ssl` lines are built when a generation is made (start
 * and reload: a reload rotates certificates, connections of the older
 * generation keep its contexts), and an accepted connection on such a
 * listener gets the TLS transport (xprt_ssl.h).
 */
#ifndef HAPC_TLS_H
#define HAPC_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "conn-t.h"

struct runtime;

/*
 * Build the contexts of every TLS bind of rt's plan: certificates and
 * keys from the plan's DER (or from their files for a --hermetic plan),
 * CA and CRL stores, versions, ciphers, ALPN, session cache and tickets.
 * 0, or -1 with the reason in err (the generation is then refused).
 */
int tls_gen_init(struct runtime *rt, char *err, size_t errlen);

/* Release what tls_gen_init() built (harmless when it built nothing). */
void tls_gen_free(struct runtime *rt);

/*
 * Give connection c, accepted on plan listener li, the TLS transport when
 * the listener has TLS: 1 done (the handshake is still to run), 0 plain
 * listener (c unchanged), -1 without memory.
 */
int tls_accept(struct runtime *rt, uint32_t li, struct conn *c);

struct plan;
struct plan_acl;
struct plan_sample;

/*
 * The TLS fetch a->fetch (ssl_fc, ssl_c_s_dn...) of client connection c
 * (NULL: none yet): 1 when it is one (out filled, or empty when there is
 * no such sample), 0 when a->fetch is no TLS fetch. Strings are built in
 * scratch[size] or point into the library, valid until the next call.
 */
int tls_fetch(const struct conn *c, const struct plan *p,
              const struct plan_acl *a, struct plan_sample *out,
              char *scratch, size_t size);

/* %sslv / %sslc: the TLS version ("TLSv1.3") or cipher of connection c,
 * NULL when it is not TLS. */
const char *tls_conn_text(const struct conn *c, int cipher);

/* Keep the first certificate verification error `err` at `depth` of the
 * client's chain on its SSL (ssl_c_err, ssl_c_ca_err). */
struct ssl_st;
void tls_note_verify_error(struct ssl_st *ssl, int depth, int err);

#endif /* HAPC_TLS_H */
