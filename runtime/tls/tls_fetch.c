/*
 * tls_fetch.c: the ssl_fc* and ssl_c_* sample fetches, read from the SSL
 * of the client connection. Strings are built in the caller's scratch
 * area; a connection without TLS (or without a client certificate) gives
 * no sample, except the booleans and ssl_c_verify, which are then false
 * or 0 as in HAProxy.
 */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
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

/* The ex_data slot of an accepted SSL holding the first verification
 * error of the client's certificate (low 16 bits, error + 1) and of its
 * chain (high 16 bits), as HAProxy keeps them for ssl_c_err and
 * ssl_c_ca_err. */
static int tls_verr_idx = -1;
static pthread_once_t tls_verr_once = PTHREAD_ONCE_INIT;

static void tls_verr_init(void)
{
	tls_verr_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

void tls_note_verify_error(SSL *ssl, int depth, int err)
{
	uintptr_t v;
	unsigned shift = depth ? 16 : 0;

	pthread_once(&tls_verr_once, tls_verr_init);
	if (tls_verr_idx < 0 || err < 0 || err >= 0xffff)
		return;
	v = (uintptr_t)SSL_get_ex_data(ssl, tls_verr_idx);
	if ((v >> shift) & 0xffffu)
		return;                 /* the first one stays */
	(void)SSL_set_ex_data(ssl, tls_verr_idx,
	                      (void *)(v | (uintptr_t)(err + 1) << shift));
}

/* The first verification error noted at depth 0 (ca: above 0), 0 none. */
static int tls_verify_error(SSL *ssl, int ca)
{
	uintptr_t v;

	pthread_once(&tls_verr_once, tls_verr_init);
	if (tls_verr_idx < 0)
		return 0;
	v = ((uintptr_t)SSL_get_ex_data(ssl, tls_verr_idx) >> (ca ? 16 : 0)) &
	    0xffffu;
	return v ? (int)v - 1 : 0;
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
	case PLAN_FETCH_FC_ERR:
		/* a connection whose samples are read has no error */
		out->type = PLAN_SMP_INT;
		out->i = 0;
		return 1;
	case PLAN_FETCH_SSL_FC_IS_RESUMED:
		out->type = PLAN_SMP_BOOL;
		out->i = ssl && SSL_session_reused(ssl);
		return 1;
	case PLAN_FETCH_SSL_FC_ERR:
	case PLAN_FETCH_SSL_C_ERR:
	case PLAN_FETCH_SSL_C_CA_ERR:
		/* none without TLS, as HAProxy; the handshake succeeded */
		if (!ssl)
			return 1;
		out->type = PLAN_SMP_INT;
		out->i = a->fetch == PLAN_FETCH_SSL_FC_ERR ? 0 :
		         tls_verify_error(ssl, a->fetch == PLAN_FETCH_SSL_C_CA_ERR);
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
