/*
 * tls_store.h: CA stores of SSL contexts (tls_store.c).
 */
#ifndef HAPC_TLS_STORE_H
#define HAPC_TLS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

/*
 * Add the DER certificates ca[0..ca_len) to ctx's CA store (and to the
 * CA names a server sends clients), and the DER CRLs crl[0..crl_len)
 * with CRL checking of the whole chain when there are any. 0, or -1
 * with the reason in err.
 */
int tls_store_ca(SSL_CTX *ctx, const uint8_t *ca, size_t ca_len,
                 const uint8_t *crl, size_t crl_len, char *err,
                 size_t errlen);

/* The same from PEM files (a --hermetic plan); "" = none. */
int tls_store_ca_files(SSL_CTX *ctx, const char *ca_path,
                       const char *crl_path, char *err, size_t errlen);

/*
 * ca-verify-file: add the DER certificates der[0..len) to ctx's CA store
 * only (they verify client certificates but are not named to clients),
 * read from the PEM file `path` instead when len is 0 and path is not ""
 * (a --hermetic plan). 0, or -1 with the reason in err.
 */
int tls_store_verify_only(SSL_CTX *ctx, const uint8_t *der, size_t len,
                          const char *path, char *err, size_t errlen);

#endif /* HAPC_TLS_STORE_H */
