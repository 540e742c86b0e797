/*
 * tls.c: the SSL contexts of a generation and the choice of a certificate.
 *
 * One SSL_CTX per TLS bind record holds everything but the certificate:
 * versions, ciphers, groups, ALPN, session cache and tickets, and the CA
 * store for client certificates. The certificate is chosen per connection
 * in BoringSSL's select-certificate callback, from the ClientHello: the
 * server name asked (exact names first, then wildcards, else the bind's
 * first certificate, or a refusal with strict-sni), and among the
 * certificates for that name an ECDSA one when the client offers ECDSA
 * signatures, else RSA. Chains are CRYPTO_BUFFERs shared by every
 * connection. A certificate whose crt-list line gives settings has them
 * set on the connection's SSL once chosen (tls_line.c).
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pool.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "conn.h"
#include "log.h"
#include "plan.h"
#include "runtime-t.h"
#include "tls.h"
#include "tls_line.h"
#include "tls_pem.h"
#include "tls_stats.h"
#include "tls_store.h"
#include "xprt_ssl.h"

#define TLS_NAME_MAX 256            /* bytes of a DNS name, with NUL */

/* One certificate ready to serve. */
struct tls_rt_cert {
	CRYPTO_BUFFER **chain;      /* leaf first; owned references */
	size_t nchain;
	EVP_PKEY *key;              /* owned reference */
	int ecdsa;                  /* 1: ECDSA key */
	char **names;               /* lower-case DNS names it serves
	                               ("*.x" wildcards), owned */
	size_t nnames;
	char **neg;                 /* crt-list '!' filters: names it must
	                               not serve, owned */
	size_t nneg;
	struct tls_line line;       /* its crt-list line's settings */
};

/* One bind ... ssl line. */
struct tls_rt_bind {
	SSL_CTX *ctx;               /* owned; its app data points here */
	struct tls_rt_cert *certs;  /* ncerts, certs[0] the default */
	uint32_t ncerts;
	uint64_t ca_ignore;         /* see struct plan_tls_bind */
	uint64_t crt_ignore;
	int strict_sni;             /* 1: unknown names are refused */
	int http;                   /* 1: the frontend speaks HTTP/1.1 only */
	const uint8_t *alpn;        /* our ALPN list, wire form, in the plan */
	size_t alpn_len;
};

struct tls_gen {
	struct tls_rt_bind *binds;  /* plan.ntls_binds */
	uint32_t nbinds;
};

/* ---- certificates ------------------------------------------------------- */

static int tls_add_name(char ***names, size_t *n, const char *name,
                        size_t len)
{
	char **nn;
	char *s;

	if (len == 0 || len >= TLS_NAME_MAX)
		return 0;
	if (!(s = malloc(len + 1)))
		return -1;
	for (size_t i = 0; i < len; i++)
		s[i] = (char)tolower((unsigned char)name[i]);
	s[len] = '\0';
	if (!(nn = realloc(*names, (*n + 1) * sizeof(*nn)))) {
		free(s);
		return -1;
	}
	nn[(*n)++] = s;
	*names = nn;
	return 0;
}

/* The DNS names of certificate x: its subjectAltName DNS entries, or its
 * common name when it has none. */
static int tls_cert_names(struct tls_rt_cert *c, X509 *x)
{
	GENERAL_NAMES *sans = X509_get_ext_d2i(x, NID_subject_alt_name, NULL,
	                                        NULL);
	char cn[TLS_NAME_MAX];
	int r = 0;

	for (size_t i = 0; sans && i < sk_GENERAL_NAME_num(sans) && r == 0; i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(sans, i);

		if (g->type == GEN_DNS)
			r = tls_add_name(&c->names, &c->nnames,
			                 (const char *)ASN1_STRING_get0_data(g->d.dNSName),
			                 (size_t)ASN1_STRING_length(g->d.dNSName));
	}
	GENERAL_NAMES_free(sans);
	if (r == 0 && c->nnames == 0 &&
	    X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName,
	                              cn, sizeof(cn)) > 0)
		r = tls_add_name(&c->names, &c->nnames, cn, strlen(cn));
	return r;
}

/* crt-list filters: "a.example *.b.example !c.b.example". */
static int tls_filter_names(struct tls_rt_cert *c, const char *sni)
{
	const char *p = sni;

	while (*p) {
		size_t len;

		while (*p == ' ' || *p == '\t')
			p++;
		len = strcspn(p, " \t");
		if (len && *p == '!') {
			if (tls_add_name(&c->neg, &c->nneg, p + 1, len - 1) < 0)
				return -1;
		} else if (len && tls_add_name(&c->names, &c->nnames, p, len) < 0) {
			return -1;
		}
		p += len;
	}
	return 0;
}

static void tls_cert_free(struct tls_rt_cert *c)
{
	for (size_t i = 0; i < c->nchain; i++)
		CRYPTO_BUFFER_free(c->chain[i]);
	free(c->chain);
	EVP_PKEY_free(c->key);
	for (size_t i = 0; i < c->nnames; i++)
		free(c->names[i]);
	free(c->names);
	for (size_t i = 0; i < c->nneg; i++)
		free(c->neg[i]);
	free(c->neg);
	tls_line_free(&c->line);
	memset(c, 0, sizeof(*c));
}

/* Certificate pc of plan p into c: from the plan's DER, or from its file
 * when the plan was compiled --hermetic. 0 or -1 with err. */
static int tls_cert_load(const struct plan *p, const struct plan_tls_cert *pc,
                         struct tls_rt_cert *c, char *err, size_t errlen)
{
	const char *path = plan_str_get(p, pc->path);
	const uint8_t *der, *kder, *q, *end;
	size_t der_len, key_len;
	struct tls_pem pem;
	X509 *leaf = NULL;
	int ret = -1;

	memset(&pem, 0, sizeof(pem));
	if (pc->der_len) {
		der = (const uint8_t *)p->blob + pc->der_off;
		der_len = pc->der_len;
		kder = (const uint8_t *)p->blob + pc->key_off;
		key_len = pc->key_len;
	} else {
		if (tls_pem_load(path, &pem, err, errlen) < 0)
			return -1;
		der = pem.der;
		der_len = pem.der_len;
		kder = pem.key;
		key_len = pem.key_len;
	}
	q = kder;
	if (!(c->key = d2i_AutoPrivateKey(NULL, &q, (long)key_len))) {
		snprintf(err, errlen, "'%s': the private key does not parse", path);
		goto end;
	}
	c->ecdsa = EVP_PKEY_id(c->key) == EVP_PKEY_EC;
	for (q = der, end = der + der_len; q < end;) {
		const uint8_t *start = q;
		X509 *x = d2i_X509(NULL, &q, end - q);
		CRYPTO_BUFFER **nc;

		if (!x) {
			snprintf(err, errlen, "'%s': a certificate does not parse",
			         path);
			goto end;
		}
		nc = realloc(c->chain, (c->nchain + 1) * sizeof(*nc));
		if (!nc || !(nc[c->nchain] = CRYPTO_BUFFER_new(start,
		                                               (size_t)(q - start),
		                                               NULL))) {
			if (nc)
				c->chain = nc;
			X509_free(x);
			snprintf(err, errlen, "out of memory");
			goto end;
		}
		c->chain = nc;
		c->nchain++;
		if (!leaf)
			leaf = x;
		else
			X509_free(x);
	}
	if (!leaf) {
		snprintf(err, errlen, "'%s': no certificate", path);
		goto end;
	}
	if (plan_str_get(p, pc->sni)[0]) {
		if (tls_filter_names(c, plan_str_get(p, pc->sni)) < 0)
			goto oom;
	}
	if (c->nnames == 0 && tls_cert_names(c, leaf) < 0)
		goto oom;
	ret = 0;
	goto end;
oom:
	snprintf(err, errlen, "out of memory");
end:
	X509_free(leaf);
	tls_pem_free(&pem);
	ERR_clear_error();
	return ret;
}

/* ---- choosing a certificate --------------------------------------------- */

static int tls_verify_cb(int ok, X509_STORE_CTX *sctx);

static int tls_name_match(const char *pattern, const char *name, int wild)
{
	if (!wild)
		return pattern[0] != '*' && !strcmp(pattern, name);
	if (pattern[0] != '*' || pattern[1] != '.')
		return 0;
	/* "*.b.example" serves "a.b.example": one label, not "b.example". */
	name = strchr(name, '.');
	return name && !strcmp(pattern + 1, name);
}

static int tls_cert_serves(const struct tls_rt_cert *c, const char *name,
                           int wild)
{
	for (size_t i = 0; i < c->nneg; i++)
		if (tls_name_match(c->neg[i], name, 0) ||
		    tls_name_match(c->neg[i], name, 1))
			return 0;
	for (size_t i = 0; i < c->nnames; i++)
		if (tls_name_match(c->names[i], name, wild))
			return 1;
	return 0;
}

/* 1 when the ClientHello offers a suite an ECDSA certificate can serve:
 * a TLS 1.3 one (any signature) or an ECDHE-ECDSA one. */
static int tls_client_ecdsa_suite(const SSL_CLIENT_HELLO *ch)
{
	for (size_t i = 0; i + 1 < ch->cipher_suites_len; i += 2) {
		uint16_t cs = (uint16_t)(ch->cipher_suites[i] << 8 |
		                         ch->cipher_suites[i + 1]);

		if ((cs >= 0x1301 && cs <= 0x1303) || cs == 0xc02b ||
		    cs == 0xc02c || cs == 0xc009 || cs == 0xc00a || cs == 0xcca9)
			return 1;
	}
	return 0;
}

/* 1 when the client takes an ECDSA certificate: it offers an ECDSA
 * signature algorithm and a suite that fits. */
static int tls_client_ecdsa(const SSL_CLIENT_HELLO *ch)
{
	const uint8_t *d;
	size_t len, list;

	if (!tls_client_ecdsa_suite(ch))
		return 0;
	if (!SSL_early_callback_ctx_extension_get(ch,
	                                          TLSEXT_TYPE_signature_algorithms,
	                                          &d, &len) || len < 2)
		return 0;
	list = (size_t)(d[0] << 8 | d[1]);
	if (list > len - 2)
		list = len - 2;
	for (size_t i = 0; i + 1 < list; i += 2) {
		uint16_t alg = (uint16_t)(d[2 + i] << 8 | d[3 + i]);

		if (alg == SSL_SIGN_ECDSA_SECP256R1_SHA256 ||
		    alg == SSL_SIGN_ECDSA_SECP384R1_SHA384 ||
		    alg == SSL_SIGN_ECDSA_SECP521R1_SHA512)
			return 1;
	}
	return 0;
}

/* The certificate for `name` (NULL: none asked), preferring the key type
 * the client takes; NULL when none serves it. */
static const struct tls_rt_cert *tls_pick(const struct tls_rt_bind *b,
                                          const char *name, int ecdsa)
{
	if (!name)
		return NULL;
	for (int wild = 0; wild < 2; wild++) {
		const struct tls_rt_cert *any = NULL;

		for (uint32_t i = 0; i < b->ncerts; i++) {
			const struct tls_rt_cert *c = &b->certs[i];

			if (!tls_cert_serves(c, name, wild))
				continue;
			if (c->ecdsa == ecdsa)
				return c;
			if (!any)
				any = c;
		}
		if (any)
			return any;
	}
	return NULL;
}

static enum ssl_select_cert_result_t tls_select_cb(const SSL_CLIENT_HELLO *ch)
{
	SSL *ssl = ch->ssl;
	const struct tls_rt_bind *b = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
	const char *sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
	char name[TLS_NAME_MAX];
	const struct tls_rt_cert *c = NULL;
	int ecdsa = tls_client_ecdsa(ch);

	if (sni && strlen(sni) < sizeof(name)) {
		size_t i;

		for (i = 0; sni[i]; i++)
			name[i] = (char)tolower((unsigned char)sni[i]);
		name[i] = '\0';
		c = tls_pick(b, name, ecdsa);
	}
	if (!c) {
		if (b->strict_sni)
			return ssl_select_cert_error;
		/* The default: the first certificate, or its twin of the
		 * other key type for the same first name. */
		c = &b->certs[0];
		if (c->ecdsa != ecdsa && c->nnames) {
			const struct tls_rt_cert *t = tls_pick(b, c->names[0], ecdsa);

			if (t && t->ecdsa == ecdsa)
				c = t;
		}
	}
	if (!SSL_set_chain_and_key(ssl, c->chain, c->nchain, c->key, NULL) ||
	    tls_line_apply(ssl, &c->line, tls_verify_cb) < 0)
		return ssl_select_cert_error;
	return ssl_select_cert_success;
}

/* ---- ALPN and client certificates --------------------------------------- */

/* Our preference order among what the client offers; an HTTP frontend
 * picks only what cfgrun speaks (HTTP/1.x). No overlap: no ALPN. */
static int tls_alpn_cb(SSL *ssl, const uint8_t **out, uint8_t *outlen,
                       const uint8_t *in, unsigned inlen, void *arg)
{
	const struct tls_rt_bind *b = arg;
	const struct tls_line *l = tls_line_of(ssl);
	const uint8_t *list = b->alpn;
	size_t len = b->alpn_len;

	if (l && (l->set & PLAN_TLS_CERT_S_ALPN)) {
		list = l->alpn;     /* its crt-list line's */
		len = l->alpn_len;
	}
	for (size_t i = 0; i < len; i += 1u + list[i]) {
		const uint8_t *ours = list + i + 1;
		uint8_t n = list[i];

		if (b->http && !((n == 8 && !memcmp(ours, "http/1.1", 8)) ||
		                 (n == 8 && !memcmp(ours, "http/1.0", 8))))
			continue;
		for (unsigned k = 0; k < inlen; k += 1u + in[k])
			if (in[k] == n && k + 1u + n <= inlen &&
			    !memcmp(in + k + 1, ours, n)) {
				*out = in + k + 1;
				*outlen = n;
				return SSL_TLSEXT_ERR_OK;
			}
	}
	return SSL_TLSEXT_ERR_NOACK;
}

/* ca-ignore-err / crt-ignore-err: a listed error does not fail the
 * handshake (ssl_c_verify still reports it). */
static int tls_verify_cb(int ok, X509_STORE_CTX *sctx)
{
	SSL *ssl;
	const struct tls_rt_bind *b;
	int err, depth;
	uint64_t mask;

	if (ok)
		return 1;
	ssl = X509_STORE_CTX_get_ex_data(sctx,
	                                 SSL_get_ex_data_X509_STORE_CTX_idx());
	b = ssl ? SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)) : NULL;
	if (!b)
		return 0;
	err = X509_STORE_CTX_get_error(sctx);
	depth = X509_STORE_CTX_get_error_depth(sctx);
	tls_note_verify_error(ssl, depth, err);
	mask = depth ? b->ca_ignore : b->crt_ignore;
	if (err >= 0 && err < 64 && (mask >> err & 1u)) {
		ERR_clear_error();
		return 1;
	}
	return 0;
}

/* ---- contexts ----------------------------------------------------------- */

static int tls_bind_init(const struct plan *p, uint32_t bi,
                         struct tls_rt_bind *b, char *err, size_t errlen)
{
	const struct plan_tls_bind *pb = &p->tls_binds[bi];
	SSL_CTX *ctx;
	char sid[32];
	const char *s;
	int alpn_lines = 0;         /* 1: a crt-list line gives ALPN */

	b->ca_ignore = pb->ca_ignore;
	b->crt_ignore = pb->crt_ignore;
	b->strict_sni = (pb->flags & PLAN_TLS_F_STRICT_SNI) != 0;
	b->alpn = (const uint8_t *)p->blob + pb->alpn.off;
	b->alpn_len = pb->alpn.len;
	for (uint32_t l = 0; l < p->nlisteners; l++)
		if (p->listeners[l].tls == bi + 1)
			b->http = p->proxies[p->listeners[l].proxy].mode ==
			          PLAN_MODE_HTTP;
	if (!(b->certs = calloc(pb->ncert, sizeof(*b->certs)))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	b->ncerts = pb->ncert;
	for (uint32_t i = 0; i < pb->ncert; i++) {
		const struct plan_tls_cert *pc = &p->tls_certs[pb->first_cert + i];

		if (tls_cert_load(p, pc, &b->certs[i], err, errlen) < 0 ||
		    tls_line_init(p, pb, pc, &b->certs[i].line, err, errlen) < 0)
			return -1;
		if (pc->set & PLAN_TLS_CERT_S_ALPN)
			alpn_lines = 1;
	}
	if (!(ctx = b->ctx = SSL_CTX_new(TLS_method()))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	SSL_CTX_set_app_data(ctx, b);
	if ((pb->min_ver && !SSL_CTX_set_min_proto_version(ctx, pb->min_ver)) ||
	    (pb->max_ver && !SSL_CTX_set_max_proto_version(ctx, pb->max_ver))) {
		snprintf(err, errlen, "TLS versions 0x%x..0x%x refused by the "
		         "library", pb->min_ver, pb->max_ver);
		return -1;
	}
	if ((s = plan_str_get(p, pb->ciphers))[0] &&
	    !SSL_CTX_set_cipher_list(ctx, s)) {
		snprintf(err, errlen, "ciphers '%s' refused by the library", s);
		return -1;
	}
	if ((s = plan_str_get(p, pb->curves))[0] &&
	    !SSL_CTX_set1_curves_list(ctx, s)) {
		snprintf(err, errlen, "curves '%s' refused by the library", s);
		return -1;
	}
	if ((s = plan_str_get(p, pb->sigalgs))[0] &&
	    !SSL_CTX_set1_sigalgs_list(ctx, s)) {
		snprintf(err, errlen, "sigalgs '%s' refused by the library", s);
		return -1;
	}
	if (!(pb->flags & PLAN_TLS_F_PREFER_CLIENT))
		SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
	if (pb->flags & PLAN_TLS_F_NO_TICKETS)
		SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	SSL_CTX_set_session_cache_mode(ctx, pb->cache_size ?
	                               SSL_SESS_CACHE_SERVER : SSL_SESS_CACHE_OFF);
	SSL_CTX_sess_set_cache_size(ctx, pb->cache_size);
	SSL_CTX_set_timeout(ctx, pb->lifetime);
	snprintf(sid, sizeof(sid), "hapc-bind-%u", (unsigned)bi);
	SSL_CTX_set_session_id_context(ctx, (const uint8_t *)sid, strlen(sid));
	SSL_CTX_set_select_certificate_cb(ctx, tls_select_cb);
	if (b->alpn_len || alpn_lines)
		SSL_CTX_set_alpn_select_cb(ctx, tls_alpn_cb, b);
	if (pb->verify != PLAN_TLS_VERIFY_NONE) {
		int r = pb->ca_len || !plan_str_get(p, pb->ca_path)[0] ?
		        tls_store_ca(ctx, (const uint8_t *)p->blob + pb->ca_off,
		                   pb->ca_len, (const uint8_t *)p->blob + pb->crl_off,
		                   pb->crl_len, err, errlen) :
		        tls_store_ca_files(ctx, plan_str_get(p, pb->ca_path),
		                         plan_str_get(p, pb->crl_path), err, errlen);

		if (r < 0 || tls_store_verify_only(ctx,
		        (const uint8_t *)p->blob + pb->ca_verify_off,
		        pb->ca_verify_len, plan_str_get(p, pb->ca_verify_path),
		        err, errlen) < 0)
			return -1;
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER |
		                   (pb->verify == PLAN_TLS_VERIFY_REQUIRED ?
		                    SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0),
		                   tls_verify_cb);
	}
	ERR_clear_error();
	return 0;
}

int tls_gen_init(struct runtime *rt, char *err, size_t errlen)
{
	const struct plan *p = rt->plan;
	struct tls_gen *g;
	char why[512];

	rt->tls = NULL;
	if (p->ntls_binds == 0)
		return 0;
	if (!(g = calloc(1, sizeof(*g))) ||
	    !(g->binds = calloc(p->ntls_binds, sizeof(*g->binds)))) {
		free(g);
		snprintf(err, errlen, "out of memory for the TLS contexts");
		return -1;
	}
	rt->tls = g;
	g->nbinds = p->ntls_binds;
	for (uint32_t i = 0; i < p->ntls_binds; i++)
		if (tls_bind_init(p, i, &g->binds[i], why, sizeof(why)) < 0) {
			snprintf(err, errlen, "TLS of the bind line %u: %s",
			         (unsigned)p->tls_binds[i].line, why);
			tls_gen_free(rt);
			return -1;
		}
	return 0;
}

void tls_gen_free(struct runtime *rt)
{
	struct tls_gen *g = rt->tls;

	if (!g)
		return;
	for (uint32_t i = 0; i < g->nbinds; i++) {
		struct tls_rt_bind *b = &g->binds[i];

		/* Connections still alive hold their own references. */
		SSL_CTX_free(b->ctx);
		for (uint32_t k = 0; b->certs && k < b->ncerts; k++)
			tls_cert_free(&b->certs[k]);
		free(b->certs);
	}
	free(g->binds);
	free(g);
	rt->tls = NULL;
}

int tls_accept(struct runtime *rt, uint32_t li, struct conn *c)
{
	uint32_t t = rt->plan->listeners[li].tls;

	if (!t || !rt->tls)
		return 0;
	return xprt_ssl_attach(c, rt->tls->binds[t - 1].ctx, 1) < 0 ? -1 : 1;
}

void tls_accept_note(struct runtime *rt, uint32_t li, const struct conn *c,
                     enum tls_outcome how)
{
	uint32_t fe = rt->plan->listeners[li].proxy;

	tls_count_conn(&rt->listeners[li].tls, &rt->proxies[fe].fe_cnt.tls, c,
	               how);
}
