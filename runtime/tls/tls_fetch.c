/*
 * tls_fetch.c: the ssl_fc* and ssl_c_* sample fetches, read from the SSL
 * of the client connection. Strings are built in the caller's scratch
 * area; a connection without TLS (or without a client certificate) gives
 * no sample, except the booleans and ssl_c_verify, which are then false
 * or 0 as in HAProxy.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/obj.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "plan.h"
#include "tls.h"
#include "xprt_ssl.h"

static void tls_str(struct plan_sample *out, const char *s, size_t len)
{
	if (!s)
		return;
	out->type = PLAN_SMP_STR;
	out->str = s;
	out->len = len;
}

/* Bytes as upper-case hex into scratch. */
static void tls_hex(struct plan_sample *out, const uint8_t *b, size_t n,
                    char *scratch, size_t size)
{
	static const char digits[] = "0123456789ABCDEF";
	size_t k;

	for (k = 0; k < n && 2 * k + 2 < size; k++) {
		scratch[2 * k] = digits[b[k] >> 4];
		scratch[2 * k + 1] = digits[b[k] & 15];
	}
	tls_str(out, scratch, 2 * k);
}

/* A DN as "/O=Example/CN=alice", or the first value of entry `field`
 * ("CN", "O"...) when one is asked. */
static void tls_dn(struct plan_sample *out, const X509_NAME *n,
                   const char *field, size_t flen, char *scratch, size_t size)
{
	char f[64];
	int nid, idx;
	uint8_t *utf8 = NULL;
	int len;

	if (!flen) {
		if (X509_NAME_oneline(n, scratch, (int)size))
			tls_str(out, scratch, strlen(scratch));
		return;
	}
	if (flen >= sizeof(f))
		return;
	memcpy(f, field, flen);
	f[flen] = '\0';
	if ((nid = OBJ_txt2nid(f)) == NID_undef ||
	    (idx = X509_NAME_get_index_by_NID(n, nid, -1)) < 0) {
		ERR_clear_error();
		return;
	}
	len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(
	                          X509_NAME_get_entry(n, idx)));
	if (len >= 0 && (size_t)len < size) {
		memcpy(scratch, utf8, (size_t)len);
		tls_str(out, scratch, (size_t)len);
	}
	OPENSSL_free(utf8);
	ERR_clear_error();
}

/* The fetches that need the client's certificate. */
static void tls_fetch_cert(SSL *ssl, const struct plan *p,
                           const struct plan_acl *a, struct plan_sample *out,
                           char *scratch, size_t size)
{
	X509 *x = SSL_get_peer_certificate(ssl);
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;

	if (a->fetch == PLAN_FETCH_SSL_C_USED) {
		out->type = PLAN_SMP_BOOL;
		out->i = x != NULL;
	} else if (!x) {
		/* no certificate: no sample */
	} else if (a->fetch == PLAN_FETCH_SSL_C_S_DN ||
	           a->fetch == PLAN_FETCH_SSL_C_I_DN) {
		tls_dn(out, a->fetch == PLAN_FETCH_SSL_C_S_DN ?
		       X509_get_subject_name(x) : X509_get_issuer_name(x),
		       plan_str_get(p, a->sarg), a->sarg.len, scratch, size);
	} else if (a->fetch == PLAN_FETCH_SSL_C_SERIAL) {
		const ASN1_INTEGER *sn = X509_get0_serialNumber(x);

		tls_hex(out, ASN1_STRING_get0_data(sn),
		        (size_t)ASN1_STRING_length(sn), scratch, size);
	} else if (a->fetch == PLAN_FETCH_SSL_C_SHA1 &&
	           X509_digest(x, EVP_sha1(), md, &mdlen)) {
		tls_hex(out, md, mdlen, scratch, size);
	}
	X509_free(x);
}

const char *tls_conn_text(const struct conn *c, int cipher)
{
	SSL *ssl = xprt_ssl_get(c);

	if (!ssl)
		return NULL;
	if (!cipher)
		return SSL_get_version(ssl);
	return SSL_get_current_cipher(ssl) ?
	       SSL_CIPHER_get_name(SSL_get_current_cipher(ssl)) : NULL;
}

int tls_fetch(const struct conn *c, const struct plan *p,
              const struct plan_acl *a, struct plan_sample *out,
              char *scratch, size_t size)
{
	SSL *ssl = c ? xprt_ssl_get(c) : NULL;
	const uint8_t *alpn;
	unsigned alen;

	switch (a->fetch) {
	case PLAN_FETCH_SSL_FC:
		out->type = PLAN_SMP_BOOL;
		out->i = ssl != NULL;
		return 1;
	case PLAN_FETCH_SSL_C_VERIFY:
		out->type = PLAN_SMP_INT;
		out->i = ssl ? SSL_get_verify_result(ssl) : 0;
		return 1;
	case PLAN_FETCH_SSL_C_USED:
		if (!ssl) {
			out->type = PLAN_SMP_BOOL;
			return 1;
		}
		/* fall through */
	case PLAN_FETCH_SSL_C_S_DN:
	case PLAN_FETCH_SSL_C_I_DN:
	case PLAN_FETCH_SSL_C_SERIAL:
	case PLAN_FETCH_SSL_C_SHA1:
		if (ssl)
			tls_fetch_cert(ssl, p, a, out, scratch, size);
		return 1;
	case PLAN_FETCH_SSL_FC_SNI:
		if (ssl) {
			const char *n = SSL_get_servername(ssl,
			                                   TLSEXT_NAMETYPE_host_name);

			tls_str(out, n, n ? strlen(n) : 0);
		}
		return 1;
	case PLAN_FETCH_SSL_FC_PROTOCOL:
		if (ssl)
			tls_str(out, SSL_get_version(ssl),
			        strlen(SSL_get_version(ssl)));
		return 1;
	case PLAN_FETCH_SSL_FC_CIPHER:
		if (ssl && SSL_get_current_cipher(ssl)) {
			const char *n = SSL_CIPHER_get_name(SSL_get_current_cipher(ssl));

			tls_str(out, n, strlen(n));
		}
		return 1;
	case PLAN_FETCH_SSL_FC_ALPN:
		if (ssl) {
			SSL_get0_alpn_selected(ssl, &alpn, &alen);
			if (alen)
				tls_str(out, (const char *)alpn, alen);
		}
		return 1;
	default:
		return 0;
	}
}
