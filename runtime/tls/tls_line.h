/*
 * tls_line.h: the settings of a crt-list line ([alpn ... verify ...]),
 * applied to a connection once its certificate is chosen.
 */
#ifndef HAPC_TLS_LINE_H
#define HAPC_TLS_LINE_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "plan.h"

/* What one certificate's crt-list line replaces of its bind's settings. */
struct tls_line {
	uint32_t set;               /* PLAN_TLS_CERT_S_*, 0 = nothing */
	uint16_t min_ver, max_ver;  /* S_VERS */
	const char *ciphers;        /* S_CIPHERS, in the plan */
	const char *curves;         /* S_CURVES, in the plan */
	const uint8_t *alpn;        /* S_ALPN: wire form, in the plan */
	size_t alpn_len;            /* 0: no-alpn */
	int verify_mode;            /* SSL_VERIFY_* when vctx is set */
	char sid[32];               /* its session id context: a session
	                               resumes only under the settings it
	                               was made with */
	SSL_CTX *vctx;              /* owned: holds the CA store and the CA
	                               names of a line giving verify, ca-file
	                               or crl-file; NULL = the bind's */
};

/* Line settings of certificate pc (of bind pb) into l. 0 or -1 with
 * err. */
int tls_line_init(const struct plan *p, const struct plan_tls_bind *pb,
                  const struct plan_tls_cert *pc, struct tls_line *l,
                  char *err, size_t errlen);
void tls_line_free(struct tls_line *l);

/* From the select-certificate callback: l's settings onto ssl (before
 * the version and everything else is negotiated), and l remembered for
 * tls_line_of(); verify_cb checks client certificates. 0 or -1. */
int tls_line_apply(SSL *ssl, const struct tls_line *l,
                   int (*verify_cb)(int, X509_STORE_CTX *));

/* The line applied to ssl, or NULL. */
const struct tls_line *tls_line_of(const SSL *ssl);

#endif /* HAPC_TLS_LINE_H */
