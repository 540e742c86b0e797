/*
 * kw-ssl.h: TLS termination settings (kw-ssl.c).
 */
#ifndef HAPC_KW_SSL_H
#define HAPC_KW_SSL_H

#include <stddef.h>
#include <stdint.h>

#include "model-t.h"
#include "sema-t.h"

/* crt-base, ca-base, ssl-default-bind-*, tune.ssl.* */
extern const struct kw_def kw_ssl_global_table[];
extern const size_t kw_ssl_global_count;

/*
 * The bind option at st->args[*i] when it is a TLS one: applied to t
 * (certificates are loaded now), *i moved past it and its argument, *ssl
 * set by `ssl`. Returns 1 when taken, 0 when it is no TLS option, -1
 * after an error.
 */
int kw_ssl_bind_option(struct sema *s, struct model_tls_bind *t,
                       const struct ast_stmt *st, size_t *i, int *ssl);

/*
 * After the options of bind line `st`: with `ssl`, complete t with the
 * global defaults, check it (a certificate, a CA for verify, a version
 * left) and move it into the model; *index is then its index + 1 (0
 * without ssl: t is dropped). 0, or -1 after an error (t is freed).
 */
int kw_ssl_bind_finish(struct sema *s, struct model_tls_bind *t,
                       const struct ast_stmt *st, int ssl, uint32_t *index);

/* The session cache size and lifetime (s) the plan records. */
uint32_t kw_ssl_cachesize(const struct model *m);
uint32_t kw_ssl_lifetime(const struct model *m);

#endif /* HAPC_KW_SSL_H */
