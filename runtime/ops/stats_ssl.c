/*
 * stats_ssl.c: `show ssl cert` on the stats socket. The certificates come
 * from the plan (DER, leaf first, as cfgc stored them); their fields are
 * printed as HAProxy 2.6 prints them (checked side by side): serial and
 * SHA-1 in upper-case hex, dates as ASN1_TIME_print writes them, the DNS
 * names of the subject alternative name, the key's algorithm and size.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/mem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "plan.h"
#include "stats_row.h"
#include "stats_ssl.h"

/* The index of the first certificate record naming `file`, or PLAN_NONE. */
static uint32_t ssl_cert_find(const struct plan *p, const char *file)
{
	for (uint32_t i = 0; i < p->ntls_certs; i++)
		if (!strcmp(plan_str_get(p, p->tls_certs[i].path), file))
			return i;
	return PLAN_NONE;
}

/* `when` as ASN1_TIME_print writes it ("Jan  6 21:21:03 2027 GMT"). */
static void ssl_time(struct stats_buf *out, const char *label,
                     const ASN1_TIME *when)
{
	BIO *b = BIO_new(BIO_s_mem());
	const uint8_t *data;
	size_t len = 0;

	if (b && ASN1_TIME_print(b, when) && BIO_mem_contents(b, &data, &len))
		stats_buf_printf(out, "%s: %.*s\n", label, (int)len,
		                 (const char *)data);
	BIO_free(b);
}

static void ssl_name(struct stats_buf *out, const char *label,
                     const X509_NAME *n)
{
	char buf[512];

	X509_NAME_oneline(n, buf, sizeof(buf));
	stats_buf_printf(out, "%s: %s\n", label, buf);
}

/* "DNS:a, DNS:b": the DNS names of the subject alternative name. */
static void ssl_san(struct stats_buf *out, X509 *x)
{
	GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL,
	                                        NULL);
	int first = 1;

	stats_buf_printf(out, "Subject Alternative Name: ");
	for (size_t i = 0; names && i < sk_GENERAL_NAME_num(names); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
		const unsigned char *d;

		if (g->type != GEN_DNS)
			continue;
		d = ASN1_STRING_get0_data(g->d.dNSName);
		stats_buf_printf(out, "%sDNS:%.*s", first ? "" : ", ",
		                 ASN1_STRING_length(g->d.dNSName), (const char *)d);
		first = 0;
	}
	stats_buf_printf(out, "\n");
	GENERAL_NAMES_free(names);
}

static void ssl_detail(struct stats_buf *out, const char *file,
                       const uint8_t *der, size_t len)
{
	const uint8_t *q = der;
	X509 *x = d2i_X509(NULL, &q, (long)len);
	uint8_t sha[SHA_DIGEST_LENGTH];
	EVP_PKEY *k;
	BIGNUM *bn;
	char *hex;

	stats_buf_printf(out, "Filename: %s\nStatus: Used\n", file);
	if (!x) {
		stats_buf_printf(out, "\n");
		return;
	}
	bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	hex = bn ? BN_bn2hex(bn) : NULL;
	for (char *h = hex; h && *h; h++)     /* HAProxy's is upper case */
		if (*h >= 'a' && *h <= 'f')
			*h = (char)(*h - 'a' + 'A');
	stats_buf_printf(out, "Serial: %s\n", hex ? hex : "");
	OPENSSL_free(hex);
	BN_free(bn);
	ssl_time(out, "notBefore", X509_get0_notBefore(x));
	ssl_time(out, "notAfter", X509_get0_notAfter(x));
	ssl_san(out, x);
	if ((k = X509_get_pubkey(x))) {
		int type = EVP_PKEY_id(k);

		stats_buf_printf(out, "Algorithm: %s%d\n",
		                 type == EVP_PKEY_EC ? "EC" :
		                 type == EVP_PKEY_RSA ? "RSA" : "", EVP_PKEY_bits(k));
		EVP_PKEY_free(k);
	}
	SHA1(der, (size_t)(q - der), sha);
	stats_buf_printf(out, "SHA1 FingerPrint: ");
	for (size_t i = 0; i < sizeof(sha); i++)
		stats_buf_printf(out, "%02X", sha[i]);
	stats_buf_printf(out, "\n");
	ssl_name(out, "Subject", X509_get_subject_name(x));
	ssl_name(out, "Issuer", X509_get_issuer_name(x));
	stats_buf_printf(out, "OCSP Response Key: \n\n");
	X509_free(x);
}

void stats_show_ssl_cert(const struct runtime *rt, struct stats_buf *out,
                         const char *file)
{
	const struct plan *p = rt->plan;
	uint32_t i;

	if (!file) {
		stats_buf_printf(out, "# filename\n");
		for (i = 0; i < p->ntls_certs; i++) {
			const char *f = plan_str_get(p, p->tls_certs[i].path);

			if (ssl_cert_find(p, f) == i)   /* each file once */
				stats_buf_printf(out, "%s\n", f);
		}
		stats_buf_printf(out, "\n");
		return;
	}
	if ((i = ssl_cert_find(p, file)) == PLAN_NONE) {
		stats_buf_printf(out, "Can't display the certificate: Not found or "
		                 "the certificate is a bundle!\n\n");
		return;
	}
	/* --hermetic plans hold no DER: the file name and status only */
	ssl_detail(out, file, (const uint8_t *)p->blob + p->tls_certs[i].der_off,
	           p->tls_certs[i].der_len);
}
