/*
 * tls_line.c: the settings of a crt-list line. A connection's SSL starts
 * with its bind's SSL_CTX settings; once the select-certificate callback
 * has chosen a certificate whose line gives options, they are set on the
 * SSL itself (BoringSSL runs that callback before it negotiates the
 * version, the cipher, the groups, ALPN or asks for a client
 * certificate, so they all apply to this handshake). The CA store and CA
 * names of a line live in an SSL_CTX of its own, shared by the
 * connections. Each such line has its session id context: a session made
 * under other settings (say without a client certificate) does not
 * resume under its own, nor one of its own elsewhere.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "tls_line.h"
#include "tls_store.h"

static int tls_line_idx = -1;
static pthread_once_t tls_line_once = PTHREAD_ONCE_INIT;

static void tls_line_idx_init(void)
{
	tls_line_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

/* The CA store of a line: its CA and CRL, or the bind's for what it does
 * not give, and the bind's ca-verify-file. */
static int tls_line_store(const struct plan *p, const struct plan_tls_bind *pb,
                          const struct plan_tls_cert *pc, struct tls_line *l,
                          char *err, size_t errlen)
{
	const char *blob = p->blob;
	int own_ca = (pc->set & PLAN_TLS_CERT_S_CA) != 0;
	int own_crl = (pc->set & PLAN_TLS_CERT_S_CRL) != 0;
	uint32_t verify = pc->set & PLAN_TLS_CERT_S_VERIFY ? pc->verify :
	                  pb->verify;
	int r;

	if (!(l->vctx = SSL_CTX_new(TLS_method()))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (!own_ca && !pb->ca_len && plan_str_get(p, pb->ca_path)[0])
		/* the bind's CA from its file (--hermetic) */
		r = tls_store_ca_files(l->vctx, plan_str_get(p, pb->ca_path),
		                       own_crl ? "" : plan_str_get(p, pb->crl_path),
		                       err, errlen);
	else
		r = tls_store_ca(l->vctx,
		                 (const uint8_t *)blob + (own_ca ? pc->ca_off :
		                                          pb->ca_off),
		                 own_ca ? pc->ca_len : pb->ca_len,
		                 (const uint8_t *)blob + (own_crl ? pc->crl_off :
		                                          pb->crl_off),
		                 own_crl ? pc->crl_len : pb->crl_len, err, errlen);
	if (r < 0 || tls_store_verify_only(l->vctx,
	        (const uint8_t *)blob + pb->ca_verify_off, pb->ca_verify_len,
	        plan_str_get(p, pb->ca_verify_path), err, errlen) < 0)
		return -1;
	l->verify_mode = verify == PLAN_TLS_VERIFY_NONE ? SSL_VERIFY_NONE :
	                 SSL_VERIFY_PEER |
	                 (verify == PLAN_TLS_VERIFY_REQUIRED ?
	                  SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0);
	return 0;
}

int tls_line_init(const struct plan *p, const struct plan_tls_bind *pb,
                  const struct plan_tls_cert *pc, struct tls_line *l,
                  char *err, size_t errlen)
{
	SSL_CTX *probe;
	int ok;

	memset(l, 0, sizeof(*l));
	if (!(l->set = pc->set))
		return 0;
	snprintf(l->sid, sizeof(l->sid), "hapc-cert-%u",
	         (unsigned)(pc - p->tls_certs));
	l->min_ver = pc->min_ver;
	l->max_ver = pc->max_ver;
	l->ciphers = plan_str_get(p, pc->ciphers);
	l->curves = plan_str_get(p, pc->curves);
	l->alpn = (const uint8_t *)p->blob + pc->alpn.off;
	l->alpn_len = pc->alpn.len;
	/* the lists as the library will take them on each connection */
	if (!(probe = SSL_CTX_new(TLS_method()))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ok = (!(l->set & PLAN_TLS_CERT_S_CIPHERS) ||
	      SSL_CTX_set_cipher_list(probe, l->ciphers)) &&
	     (!(l->set & PLAN_TLS_CERT_S_CURVES) ||
	      SSL_CTX_set1_curves_list(probe, l->curves));
	SSL_CTX_free(probe);
	ERR_clear_error();
	if (!ok) {
		snprintf(err, errlen, "crt-list ciphers or curves of '%s' "
		         "refused by the library", plan_str_get(p, pc->path));
		return -1;
	}
	if ((l->set & (PLAN_TLS_CERT_S_VERIFY | PLAN_TLS_CERT_S_CA |
	               PLAN_TLS_CERT_S_CRL)) &&
	    tls_line_store(p, pb, pc, l, err, errlen) < 0)
		return -1;
	ERR_clear_error();
	return 0;
}

void tls_line_free(struct tls_line *l)
{
	SSL_CTX_free(l->vctx);
	memset(l, 0, sizeof(*l));
}

int tls_line_apply(SSL *ssl, const struct tls_line *l,
                   int (*verify_cb)(int, X509_STORE_CTX *))
{
	if (!l->set)
		return 0;
	pthread_once(&tls_line_once, tls_line_idx_init);
	if (tls_line_idx < 0 ||
	    !SSL_set_ex_data(ssl, tls_line_idx, (void *)l))
		return -1;
	if (!SSL_set_session_id_context(ssl, (const uint8_t *)l->sid,
	                                strlen(l->sid)))
		return -1;
	if ((l->set & PLAN_TLS_CERT_S_VERS) &&
	    (!SSL_set_min_proto_version(ssl, l->min_ver) ||
	     !SSL_set_max_proto_version(ssl, l->max_ver)))
		return -1;
	if ((l->set & PLAN_TLS_CERT_S_CIPHERS) &&
	    !SSL_set_cipher_list(ssl, l->ciphers))
		return -1;
	if ((l->set & PLAN_TLS_CERT_S_CURVES) &&
	    !SSL_set1_curves_list(ssl, l->curves))
		return -1;
	if (l->vctx) {
		STACK_OF(X509_NAME) *names =
			SSL_dup_CA_list(SSL_CTX_get_client_CA_list(l->vctx));

		if (!SSL_set1_verify_cert_store(ssl,
		                                SSL_CTX_get_cert_store(l->vctx)) ||
		    (l->verify_mode != SSL_VERIFY_NONE && !names)) {
			sk_X509_NAME_pop_free(names, X509_NAME_free);
			return -1;
		}
		SSL_set_client_CA_list(ssl, names);
		SSL_set_verify(ssl, l->verify_mode,
		               l->verify_mode == SSL_VERIFY_NONE ? NULL :
		               verify_cb);
	}
	return 0;
}

const struct tls_line *tls_line_of(const SSL *ssl)
{
	pthread_once(&tls_line_once, tls_line_idx_init);
	if (tls_line_idx < 0)
		return NULL;
	return SSL_get_ex_data(ssl, tls_line_idx);
}
