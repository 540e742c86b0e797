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

#endif /* HAPC_TLS_H */
