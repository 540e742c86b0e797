/*
 * kw-ssl-int.h: what the TLS bind option files share (kw-ssl.c, the bind
 * options; kw-ssl-crtlist.c, the crt-list files). Not for other modules:
 * they go through kw-ssl.h.
 */
#ifndef HAPC_KW_SSL_INT_H
#define HAPC_KW_SSL_INT_H

#include <stdint.h>

#include "ast-t.h"
#include "model-t.h"
#include "sema-t.h"

/* Options with one argument. */
enum tls_arg_opt {
	TLS_O_CRT = 0, TLS_O_CRT_LIST, TLS_O_ALPN, TLS_O_MIN_VER, TLS_O_MAX_VER,
	TLS_O_CIPHERS, TLS_O_CIPHERSUITES, TLS_O_CURVES, TLS_O_ECDHE,
	TLS_O_SIGALGS, TLS_O_CA_FILE, TLS_O_CRL_FILE, TLS_O_VERIFY,
	TLS_O_CA_IGNORE, TLS_O_CRT_IGNORE, TLS_O_CA_VERIFY_FILE, TLS_O_MAX
};

/* kw-ssl.c */
/* The tls_arg_opt named `name`, or -1. */
int kw_tls_arg_opt(const char *name);
/* Option `o` (enum tls_arg_opt) with its value `v` into t; `opt` is the
 * option's word. 0, or -1 after an error reported at opt or v. */
int kw_tls_apply(struct sema *s, struct model_tls_bind *t, int o,
                 const struct ast_word *opt, const struct ast_word *v);
/* The certificate(s) `name` (a file, a directory, a crt-store's) into t
 * with crt-list filters `sni` (NULL = their own names); problems are
 * reported at w. 0 or -1. */
int kw_tls_add_crt(struct sema *s, struct model_tls_bind *t,
                   const struct ast_word *w, const char *name,
                   const char *sni);
/* "TLSv1.2" for 0x0303; "?" for no version known. */
const char *kw_tls_version_name(uint16_t v);

/* kw-ssl-crtlist.c */
/* crt-list FILE (the word w): its lines' certificates, filters and
 * options into t. 0 or -1 after an error. */
int kw_tls_add_crt_list(struct sema *s, struct model_tls_bind *t,
                        const struct ast_word *w);
/* Once the bind line st is read: its crt-list lines' settings checked
 * against its own (version ranges completed). 0 or -1 after an error. */
int kw_tls_crtlist_finish(struct sema *s, const struct model_tls_bind *t,
                          const struct ast_stmt *st);

#endif /* HAPC_KW_SSL_INT_H */
