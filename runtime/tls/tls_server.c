/*
 * tls_server.c: TLS to servers in cfgrun, the client role.
 *
 * Each server record of the plan (one per server whose traffic or checks
 * use TLS) gets an SSL_CTX per generation with everything that does not
 * change per connection. Resumption: the library hands every session the
 * server gives us (after the handshake in TLS 1.2, in a post-handshake
 * ticket in TLS 1.3) to tls_srv_new_session(), which keeps the latest one
 * per server with the SNI it was made for; the next traffic connection
 * offers it only when it sends that same SNI (a session resumed under
 * another name would skip the certificate's name check for it). Health
 * checks never offer nor keep sessions. The session slot is shared by
 * the threads, under a mutex of its own.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "conn.h"
#include "plan.h"
#include "runtime-t.h"
#include "tls_pem.h"
#include "tls_server.h"
#include "tls_stats.h"
#include "tls_store.h"
#include "xprt_ssl.h"

/* One server's TLS. */
struct tls_srv {
	SSL_CTX *ctx;               /* owned; its app data points here */
	const struct plan_tls_server *t; /* its record in the plan */
	pthread_mutex_t lock;       /* guards sess and sess_sni */
	SSL_SESSION *sess;          /* last session the server gave, owned;
	                               NULL = none (or no-ssl-reuse) */
	char sess_sni[256];         /* the SNI it was made for, "" = none */
};

struct tls_srv_gen {
	struct tls_srv *srv;        /* plan.ntls_servers, in record order */
	uint32_t n;
};

/* The record index of server srv, or -1. */
static long tls_srv_index(const struct runtime *rt, uint32_t srv)
{
	const struct plan_tls_server *t = plan_server_tls(rt->plan, srv);

	return t && rt->tls_srv ? (long)(t - rt->plan->tls_servers) : -1;
}

const struct plan_tls_server *tls_server_of(const struct runtime *rt,
                                            uint32_t srv, int check)
{
	const struct plan_tls_server *t;

	if (!(rt->plan->servers[srv].flags & PLAN_SRV_F_TLS))
		return NULL;
	t = plan_server_tls(rt->plan, srv);
	if (!t || !(t->flags & (check ? PLAN_TLS_SRV_F_CHECK_SSL :
	                                PLAN_TLS_SRV_F_SSL)))
		return NULL;
	return t;
}

/* A session the server gave on a traffic connection: keep it (the
 * previous one goes). 1: the library's reference is ours now. */
static int tls_srv_new_session(SSL *ssl, SSL_SESSION *sess)
{
	struct tls_srv *ts = SSL_get_app_data(ssl);
	const char *sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
	SSL_SESSION *old;

	if (!ts || (ts->t->flags & PLAN_TLS_SRV_F_NO_REUSE) ||
	    (sni && strlen(sni) >= sizeof(ts->sess_sni)))
		return 0;
	pthread_mutex_lock(&ts->lock);
	old = ts->sess;
	ts->sess = sess;
	snprintf(ts->sess_sni, sizeof(ts->sess_sni), "%s", sni ? sni : "");
	pthread_mutex_unlock(&ts->lock);
	SSL_SESSION_free(old);
	return 1;
}

/* "h2,http/1.1" to the wire form; an HTTP backend offers only the
 * HTTP/1.x names (cfgrun speaks nothing else to servers). Returns the
 * bytes written to out (0: nothing to offer). */
static size_t tls_srv_alpn(const char *list, int http, uint8_t *out,
                           size_t size)
{
	size_t n = 0;

	while (*list) {
		size_t len = strcspn(list, ",");

		if (len && len < 256 && n + 1 + len <= size &&
		    (!http || (len == 8 && (!memcmp(list, "http/1.1", 8) ||
		                            !memcmp(list, "http/1.0", 8))))) {
			out[n++] = (uint8_t)len;
			memcpy(out + n, list, len);
			n += len;
		}
		list += len;
		if (*list == ',')
			list++;
	}
	return n;
}

/*
 * @system-ca: the system's CA bundle, read now (at start or reload) so
 * that nothing is looked up on disk later (chroot): $SSL_CERT_FILE when
 * set, else the first bundle found where distributions keep it.
 */
static int tls_srv_system_ca(SSL_CTX *ctx, char *err, size_t errlen)
{
	static const char *const bundles[] = {
		"/etc/ssl/certs/ca-certificates.crt",   /* Debian, Alpine */
		"/etc/pki/tls/certs/ca-bundle.crt",     /* Fedora, RHEL */
		"/etc/ssl/cert.pem",                    /* BSDs, macOS */
	};
	const char *env = getenv("SSL_CERT_FILE");

	if (env && *env)
		return tls_store_ca_files(ctx, env, "", err, errlen);
	for (size_t i = 0; i < sizeof(bundles) / sizeof(bundles[0]); i++)
		if (access(bundles[i], R_OK) == 0)
			return tls_store_ca_files(ctx, bundles[i], "", err, errlen);
	snprintf(err, errlen, "@system-ca: no CA bundle found (set "
	         "SSL_CERT_FILE)");
	return -1;
}

/* The client certificate: chain (leaf first) and key, as DER. */
static int tls_srv_client_cert(SSL_CTX *ctx, const uint8_t *der,
                               size_t der_len, const uint8_t *kder,
                               size_t key_len, char *err, size_t errlen)
{
	const uint8_t *q = kder, *end = der + der_len;
	EVP_PKEY *key = d2i_AutoPrivateKey(NULL, &q, (long)key_len);
	int first = 1, ok = key != NULL;

	for (q = der; ok && q < end; first = 0) {
		X509 *x = d2i_X509(NULL, &q, end - q);

		ok = x && (first ? SSL_CTX_use_certificate(ctx, x) :
		                   SSL_CTX_add1_chain_cert(ctx, x));
		X509_free(x);
	}
	ok = ok && !first && SSL_CTX_use_PrivateKey(ctx, key) &&
	     SSL_CTX_check_private_key(ctx);
	EVP_PKEY_free(key);
	if (!ok)
		snprintf(err, errlen, "the client certificate or its key does "
		         "not load");
	return ok ? 0 : -1;
}

static int tls_srv_init(const struct plan *p, const struct plan_tls_server *t,
                        struct tls_srv *ts, char *err, size_t errlen)
{
	const struct plan_server *ps = &p->servers[t->server];
	int http = p->proxies[ps->proxy].mode == PLAN_MODE_HTTP;
	uint8_t alpn[512];
	size_t alen;
	SSL_CTX *ctx;
	const char *s;

	ts->t = t;
	if (!(ctx = ts->ctx = SSL_CTX_new(TLS_method()))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	SSL_CTX_set_app_data(ctx, ts);
	if ((t->min_ver && !SSL_CTX_set_min_proto_version(ctx, t->min_ver)) ||
	    (t->max_ver && !SSL_CTX_set_max_proto_version(ctx, t->max_ver))) {
		snprintf(err, errlen, "TLS versions 0x%x..0x%x refused by the "
		         "library", t->min_ver, t->max_ver);
		return -1;
	}
	if ((s = plan_str_get(p, t->ciphers))[0] &&
	    !SSL_CTX_set_cipher_list(ctx, s)) {
		snprintf(err, errlen, "ciphers '%s' refused by the library", s);
		return -1;
	}
	if ((s = plan_str_get(p, t->curves))[0] &&
	    !SSL_CTX_set1_curves_list(ctx, s)) {
		snprintf(err, errlen, "curves '%s' refused by the library", s);
		return -1;
	}
	if (t->flags & PLAN_TLS_SRV_F_NO_TICKETS)
		SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	/* Sessions go to the callback only: the library keeps none. */
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT |
	                                    SSL_SESS_CACHE_NO_INTERNAL);
	SSL_CTX_sess_set_new_cb(ctx, tls_srv_new_session);
	alen = tls_srv_alpn(plan_str_get(p, t->alpn), http, alpn, sizeof(alpn));
	if (alen && SSL_CTX_set_alpn_protos(ctx, alpn, alen) != 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (t->flags & PLAN_TLS_SRV_F_VERIFY) {
		int r = 0;

		if (t->flags & PLAN_TLS_SRV_F_SYSTEM_CA)
			r = tls_srv_system_ca(ctx, err, errlen);
		else if (t->ca_len || !plan_str_get(p, t->ca_file)[0])
			r = tls_store_ca(ctx, (const uint8_t *)p->blob + t->ca_off,
			                 t->ca_len,
			                 (const uint8_t *)p->blob + t->crl_off,
			                 t->crl_len, err, errlen);
		else
			r = tls_store_ca_files(ctx, plan_str_get(p, t->ca_file),
			                       plan_str_get(p, t->crl_file), err,
			                       errlen);
		if (r < 0)
			return -1;
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	} else {
		SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	}
	if (t->crt_len) {
		if (tls_srv_client_cert(ctx, (const uint8_t *)p->blob + t->crt_off,
		                        t->crt_len,
		                        (const uint8_t *)p->blob + t->key_off,
		                        t->key_len, err, errlen) < 0)
			return -1;
	} else if ((s = plan_str_get(p, t->crt_file))[0]) {
		struct tls_pem pem;
		int r;

		memset(&pem, 0, sizeof(pem));
		if (tls_pem_load(s, &pem, err, errlen) < 0)
			return -1;
		r = tls_srv_client_cert(ctx, pem.der, pem.der_len, pem.key,
		                        pem.key_len, err, errlen);
		tls_pem_free(&pem);
		if (r < 0)
			return -1;
	}
	ERR_clear_error();
	return 0;
}

int tls_server_gen_init(struct runtime *rt, char *err, size_t errlen)
{
	const struct plan *p = rt->plan;
	struct tls_srv_gen *g;
	char why[512];

	rt->tls_srv = NULL;
	if (p->ntls_servers == 0)
		return 0;
	if (!(g = calloc(1, sizeof(*g))) ||
	    !(g->srv = calloc(p->ntls_servers, sizeof(*g->srv)))) {
		free(g);
		snprintf(err, errlen, "out of memory for the TLS contexts");
		return -1;
	}
	rt->tls_srv = g;
	for (uint32_t i = 0; i < p->ntls_servers; i++) {
		const struct plan_tls_server *t = &p->tls_servers[i];
		const struct plan_server *ps = &p->servers[t->server];

		pthread_mutex_init(&g->srv[i].lock, NULL);
		g->n++;
		if (tls_srv_init(p, t, &g->srv[i], why, sizeof(why)) < 0) {
			snprintf(err, errlen, "TLS of server %s/%s (line %u): %s",
			         plan_str_get(p, p->proxies[ps->proxy].name),
			         plan_str_get(p, ps->name), (unsigned)ps->line, why);
			ERR_clear_error();
			tls_server_gen_free(rt);
			return -1;
		}
	}
	return 0;
}

void tls_server_gen_free(struct runtime *rt)
{
	struct tls_srv_gen *g = rt->tls_srv;

	if (!g)
		return;
	for (uint32_t i = 0; i < g->n; i++) {
		SSL_CTX_free(g->srv[i].ctx);
		SSL_SESSION_free(g->srv[i].sess);
		pthread_mutex_destroy(&g->srv[i].lock);
	}
	free(g->srv);
	free(g);
	rt->tls_srv = NULL;
}

int tls_server_attach(struct runtime *rt, uint32_t srv, struct conn *c,
                      const char *sni, int check)
{
	long i = tls_srv_index(rt, srv);
	struct tls_srv *ts;
	const struct plan_tls_server *t;
	const char *host;
	SSL *ssl;

	if (i < 0)
		return -1;
	ts = &rt->tls_srv->srv[i];
	t = ts->t;
	if (xprt_ssl_attach(c, ts->ctx, 0) < 0)
		return -1;
	ssl = xprt_ssl_get(c);
	if (sni && !*sni)
		sni = NULL;
	if (sni && !SSL_set_tlsext_host_name(ssl, sni))
		goto oom;
	/* As HAProxy: the name sent as SNI, else verifyhost, else none. */
	host = sni ? sni : t->verifyhost.len ?
	       plan_str_get(rt->plan, t->verifyhost) : NULL;
	if ((t->flags & PLAN_TLS_SRV_F_VERIFY) && host &&
	    !X509_VERIFY_PARAM_set1_host(SSL_get0_param(ssl), host,
	                                 strlen(host)))
		goto oom;
	if (!check) {
		SSL_set_app_data(ssl, ts);
		if (!(t->flags & PLAN_TLS_SRV_F_NO_REUSE)) {
			pthread_mutex_lock(&ts->lock);
			if (ts->sess && !strcmp(ts->sess_sni, sni ? sni : ""))
				(void)SSL_set_session(ssl, ts->sess);
			pthread_mutex_unlock(&ts->lock);
		}
	}
	ERR_clear_error();
	return 0;
oom:
	/* Back to a raw connection on the same socket. */
	SSL_free(ssl);
	tls_conn_closed();
	c->xprt = &xprt_raw;
	c->ctx = NULL;
	ERR_clear_error();
	return -1;
}

void tls_server_note(struct runtime *rt, uint32_t srv, const struct conn *c,
                     enum tls_outcome how)
{
	uint32_t be = rt->plan->servers[srv].proxy;

	tls_count_conn(&rt->servers[srv].cnt.tls, &rt->proxies[be].be_cnt.tls, c,
	               how);
}

void tls_server_counts(const struct runtime *rt, uint64_t out[3])
{
	out[0] = out[1] = out[2] = 0;
	for (uint32_t i = 0; i < rt->plan->nproxies; i++) {
		const struct tls_counters *c = &rt->proxies[i].be_cnt.tls;

		out[0] += __atomic_load_n(&c->sess, __ATOMIC_RELAXED);
		out[1] += __atomic_load_n(&c->reused, __ATOMIC_RELAXED);
		out[2] += __atomic_load_n(&c->failed, __ATOMIC_RELAXED);
	}
}
