/*
 * tls_store.c: CA stores of SSL contexts, both roles: the CAs a bind
 * checks client certificates against and those a server's certificate is
 * verified with, from the plan's DER or (a --hermetic plan) their files.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "tls_pem.h"
#include "tls_store.h"

/* The CA store (and the CA names sent to clients) from DER certificates,
 * with the CRLs. 0 or -1 with err. */
int tls_store_ca(SSL_CTX *ctx, const uint8_t *ca, size_t ca_len,
                 const uint8_t *crl, size_t crl_len, char *err,
                 size_t errlen)
{
	X509_STORE *store = SSL_CTX_get_cert_store(ctx);
	STACK_OF(X509_NAME) *names = sk_X509_NAME_new_null();
	const uint8_t *q, *end;

	if (!names)
		goto oom;
	for (q = ca, end = ca + ca_len; q < end;) {
		X509 *x = d2i_X509(NULL, &q, end - q);
		X509_NAME *n;

		if (!x) {
			snprintf(err, errlen, "a CA certificate does not parse");
			sk_X509_NAME_pop_free(names, X509_NAME_free);
			return -1;
		}
		X509_STORE_add_cert(store, x);
		n = X509_NAME_dup(X509_get_subject_name(x));
		if (!n || !sk_X509_NAME_push(names, n))
			X509_NAME_free(n);
		X509_free(x);
	}
	SSL_CTX_set_client_CA_list(ctx, names);
	for (q = crl, end = crl + crl_len; q < end;) {
		X509_CRL *c = d2i_X509_CRL(NULL, &q, end - q);

		if (!c) {
			snprintf(err, errlen, "a CRL does not parse");
			return -1;
		}
		X509_STORE_add_crl(store, c);
		X509_CRL_free(c);
	}
	if (crl_len)
		X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK |
		                            X509_V_FLAG_CRL_CHECK_ALL);
	ERR_clear_error();
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
	return -1;
}

/* The CA and CRL of a --hermetic plan, from their files. */
int tls_store_ca_files(SSL_CTX *ctx, const char *ca_path,
                       const char *crl_path, char *err, size_t errlen)
{
	uint8_t *ca = NULL, *crl = NULL;
	size_t ca_len = 0, crl_len = 0;
	uint32_t n;
	int r = -1;

	if (ca_path[0] && tls_pem_load_list(ca_path, 0, &ca, &ca_len, &n, err,
	                                    errlen) < 0)
		goto end;
	if (crl_path[0] && tls_pem_load_list(crl_path, 1, &crl, &crl_len, &n,
	                                     err, errlen) < 0)
		goto end;
	r = tls_store_ca(ctx, ca, ca_len, crl, crl_len, err, errlen);
end:
	free(ca);
	free(crl);
	return r;
}

int tls_store_verify_only(SSL_CTX *ctx, const uint8_t *der, size_t len,
                          const char *path, char *err, size_t errlen)
{
	X509_STORE *store = SSL_CTX_get_cert_store(ctx);
	uint8_t *owned = NULL;
	const uint8_t *q, *end;
	uint32_t n;

	if (!len && path[0]) {
		if (tls_pem_load_list(path, 0, &owned, &len, &n, err, errlen) < 0)
			return -1;
		der = owned;
	}
	for (q = der, end = der + len; q < end;) {
		X509 *x = d2i_X509(NULL, &q, end - q);

		if (!x) {
			snprintf(err, errlen, "a ca-verify-file certificate does "
			         "not parse");
			free(owned);
			return -1;
		}
		X509_STORE_add_cert(store, x);
		X509_free(x);
	}
	free(owned);
	ERR_clear_error();
	return 0;
}
