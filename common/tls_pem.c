/*
 * tls_pem.c: PEM files to DER with BoringSSL's libcrypto (see tls_pem.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/mem.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "tls_pem.h"

/* Append DER bytes to a growing buffer; 0 or -1 without memory. */
static int der_append(uint8_t **buf, size_t *len, const uint8_t *p, size_t n)
{
	uint8_t *nb = realloc(*buf, *len + n);

	if (!nb)
		return -1;
	memcpy(nb + *len, p, n);
	*buf = nb;
	*len += n;
	return 0;
}

static int x509_append(uint8_t **buf, size_t *len, X509 *x)
{
	uint8_t *der = NULL;
	int n = i2d_X509(x, &der);
	int r;

	if (n <= 0)
		return -1;
	r = der_append(buf, len, der, (size_t)n);
	OPENSSL_free(der);
	return r;
}

/* The private key of PEM block `name` with DER `data`, or NULL when the
 * block is no key. */
static EVP_PKEY *pem_block_key(const char *name, const uint8_t *data,
                               long len)
{
	const uint8_t *p = data;

	if (strcmp(name, "PRIVATE KEY") && strcmp(name, "RSA PRIVATE KEY") &&
	    strcmp(name, "EC PRIVATE KEY"))
		return NULL;
	return d2i_AutoPrivateKey(NULL, &p, len);
}

/*
 * Read the PEM blocks of `path`: certificates appended to *certs (stack),
 * the first private key into *key (when key is not NULL and still empty).
 * Returns the number of blocks read, or -1 when the file cannot be opened.
 */
static int pem_scan(const char *path, STACK_OF(X509) *certs, EVP_PKEY **key,
                    int *bad)
{
	BIO *bio = BIO_new_file(path, "r");
	int blocks = 0;

	if (!bio)
		return -1;
	for (;;) {
		char *name = NULL, *header = NULL;
		uint8_t *data = NULL;
		long len = 0;

		if (!PEM_read_bio(bio, &name, &header, &data, &len))
			break;
		blocks++;
		if (!strcmp(name, "CERTIFICATE") || !strcmp(name, "TRUSTED CERTIFICATE")) {
			const uint8_t *p = data;
			X509 *x = d2i_X509(NULL, &p, len);

			if (!x || !sk_X509_push(certs, x)) {
				X509_free(x);
				*bad = 1;
			}
		} else if (key && !*key) {
			*key = pem_block_key(name, data, len);
		}
		OPENSSL_free(name);
		OPENSSL_free(header);
		if (data)
			OPENSSL_cleanse(data, (size_t)len);
		OPENSSL_free(data);
	}
	ERR_clear_error();
	BIO_free(bio);
	return blocks;
}

/* An ASN1 time as Unix seconds (a difference from the epoch, so the
 * result does not depend on the clock); 0 when it cannot be read. */
static int64_t tls_pem_time(const ASN1_TIME *t)
{
	ASN1_TIME *epoch = ASN1_TIME_set(NULL, 0);
	int days = 0, secs = 0, ok;

	ok = epoch && ASN1_TIME_diff(&days, &secs, epoch, t);
	ASN1_TIME_free(epoch);
	return ok ? (int64_t)days * 86400 + secs : 0;
}

void tls_pem_free(struct tls_pem *p)
{
	free(p->der);
	if (p->key)
		OPENSSL_cleanse(p->key, p->key_len);
	free(p->key);
	memset(p, 0, sizeof(*p));
}

int tls_pem_load(const char *path, struct tls_pem *out, char *why,
                 size_t why_len)
{
	return tls_pem_load_key(path, NULL, out, why, why_len);
}

int tls_pem_load_key(const char *path, const char *key_path,
                     struct tls_pem *out, char *why, size_t why_len)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	EVP_PKEY *key = NULL;
	int bad = 0, ret = -1, n;
	uint8_t *kder = NULL;
	int klen = 0;
	X509 *leaf;

	memset(out, 0, sizeof(*out));
	if (!certs) {
		snprintf(why, why_len, "out of memory");
		return -1;
	}
	n = pem_scan(path, certs, &key, &bad);
	if (n < 0) {
		snprintf(why, why_len, "cannot open '%s'", path);
		goto end;
	}
	if (bad || sk_X509_num(certs) == 0) {
		snprintf(why, why_len, bad ? "'%s' holds a malformed certificate" :
		         "no certificate in '%s'", path);
		goto end;
	}
	snprintf(out->key_path, sizeof(out->key_path), "%s", path);
	if (key_path) {
		/* a key file of its own replaces a key in the certificate's */
		STACK_OF(X509) *none = sk_X509_new_null();
		EVP_PKEY *k2 = NULL;

		snprintf(out->key_path, sizeof(out->key_path), "%s", key_path);
		n = none ? pem_scan(key_path, none, &k2, &bad) : -1;
		sk_X509_pop_free(none, X509_free);
		if (n < 0 || !k2) {
			EVP_PKEY_free(k2);
			snprintf(why, why_len, n < 0 ? "cannot open the key file "
			         "'%s'" : "no private key in '%s'", key_path);
			goto end;
		}
		EVP_PKEY_free(key);
		key = k2;
	} else if (!key) {
		/* HAProxy's layout: the key beside the certificate. */
		snprintf(out->key_path, sizeof(out->key_path), "%s.key", path);
		if (pem_scan(out->key_path, certs, &key, &bad) < 0 || !key) {
			snprintf(why, why_len, "no private key in '%s' nor in "
			         "'%s.key'", path, path);
			goto end;
		}
	}
	leaf = sk_X509_value(certs, 0);
	if (EVP_PKEY_id(key) != EVP_PKEY_RSA && EVP_PKEY_id(key) != EVP_PKEY_EC) {
		snprintf(why, why_len, "the private key in '%s' is neither RSA "
		         "nor ECDSA", out->key_path);
		goto end;
	}
	if (!X509_check_private_key(leaf, key)) {
		snprintf(why, why_len, "the private key in '%s' does not match "
		         "the certificate in '%s'", out->key_path, path);
		goto end;
	}
	for (size_t i = 0; i < sk_X509_num(certs); i++)
		if (x509_append(&out->der, &out->der_len,
		                sk_X509_value(certs, i)) < 0) {
			snprintf(why, why_len, "out of memory");
			goto end;
		}
	out->ncerts = (uint32_t)sk_X509_num(certs);
	klen = i2d_PrivateKey(key, &kder);
	if (klen <= 0 || der_append(&out->key, &out->key_len, kder,
	                            (size_t)klen) < 0) {
		snprintf(why, why_len, "cannot encode the private key of '%s'",
		         path);
		goto end;
	}
	out->ecdsa = EVP_PKEY_id(key) == EVP_PKEY_EC;
	out->not_after = tls_pem_time(X509_get0_notAfter(leaf));
	ret = 0;
end:
	if (kder) {
		OPENSSL_cleanse(kder, (size_t)klen);
		OPENSSL_free(kder);
	}
	EVP_PKEY_free(key);
	sk_X509_pop_free(certs, X509_free);
	ERR_clear_error();
	if (ret < 0)
		tls_pem_free(out);
	return ret;
}

int tls_pem_load_list(const char *path, int crl, uint8_t **der, size_t *len,
                      uint32_t *count, char *why, size_t why_len)
{
	BIO *bio = BIO_new_file(path, "r");
	int bad = 0;

	*der = NULL;
	*len = 0;
	*count = 0;
	if (!bio) {
		snprintf(why, why_len, "cannot open '%s'", path);
		return -1;
	}
	for (;;) {
		char *name = NULL, *header = NULL;
		uint8_t *data = NULL;
		long n = 0;
		const uint8_t *p;

		if (!PEM_read_bio(bio, &name, &header, &data, &n))
			break;
		p = data;
		if (!crl && !strcmp(name, "CERTIFICATE")) {
			X509 *x = d2i_X509(NULL, &p, n);

			if (!x || x509_append(der, len, x) < 0)
				bad = 1;
			X509_free(x);
			++*count;
		} else if (crl && !strcmp(name, "X509 CRL")) {
			X509_CRL *c = d2i_X509_CRL(NULL, &p, n);
			uint8_t *out = NULL;
			int k = c ? i2d_X509_CRL(c, &out) : -1;

			if (k <= 0 || der_append(der, len, out, (size_t)k) < 0)
				bad = 1;
			OPENSSL_free(out);
			X509_CRL_free(c);
			++*count;
		}
		OPENSSL_free(name);
		OPENSSL_free(header);
		OPENSSL_free(data);
	}
	ERR_clear_error();
	BIO_free(bio);
	if (bad || *count == 0) {
		snprintf(why, why_len, bad ? "'%s' holds a malformed %s" :
		         "no %s in '%s'", bad ? path : crl ? "CRL" : "certificate",
		         bad ? (crl ? "CRL" : "certificate") : path);
		free(*der);
		*der = NULL;
		*len = 0;
		return -1;
	}
	return 0;
}
