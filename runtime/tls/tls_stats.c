/*
 * tls_stats.c: TLS handshake counters. Handshakes end on every thread,
 * so the counters are bumped with relaxed atomic adds (they order
 * nothing) and read with atomic loads by the stats socket.
 */
#include "config.h"

#include <openssl/ssl.h>

#include "tls_stats.h"
#include "xprt_ssl.h"

#define TLS_FAIL_NAME(id, name) [TLS_FAIL_##id] = #name,

static const char *const tls_fail_names[TLS_FAIL_MAX] = {
	TLS_FAIL_REASONS(TLS_FAIL_NAME)
};

const char *tls_fail_name(enum tls_fail why)
{
	return (unsigned)why < TLS_FAIL_MAX ? tls_fail_names[why] : "";
}

static void tls_count_one(struct tls_counters *c, enum tls_outcome how,
                          enum tls_fail why)
{
	if (!c)
		return;
	switch (how) {
	case TLS_HS_FULL:
		__atomic_add_fetch(&c->sess, 1, __ATOMIC_RELAXED);
		break;
	case TLS_HS_RESUMED:
		__atomic_add_fetch(&c->reused, 1, __ATOMIC_RELAXED);
		break;
	case TLS_HS_FAILED:
		if ((unsigned)why >= TLS_FAIL_MAX)
			why = TLS_FAIL_OTHER;
		__atomic_add_fetch(&c->fail[why], 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&c->failed, 1, __ATOMIC_RELAXED);
		break;
	case TLS_HS_TIMEOUT:
		__atomic_add_fetch(&c->timeout, 1, __ATOMIC_RELAXED);
		break;
	}
}

void tls_count(struct tls_counters *a, struct tls_counters *b,
               enum tls_outcome how, enum tls_fail why)
{
	tls_count_one(a, how, why);
	tls_count_one(b, how, why);
}

void tls_counters_load(const struct tls_counters *c, struct tls_counters *out)
{
	out->sess = __atomic_load_n(&c->sess, __ATOMIC_RELAXED);
	out->reused = __atomic_load_n(&c->reused, __ATOMIC_RELAXED);
	out->failed = __atomic_load_n(&c->failed, __ATOMIC_RELAXED);
	for (int i = 0; i < TLS_FAIL_MAX; i++)
		out->fail[i] = __atomic_load_n(&c->fail[i], __ATOMIC_RELAXED);
	out->timeout = __atomic_load_n(&c->timeout, __ATOMIC_RELAXED);
}

void tls_count_conn(struct tls_counters *a, struct tls_counters *b,
                    const struct conn *c, enum tls_outcome how)
{
	SSL *ssl = xprt_ssl_get(c);

	if (!ssl)
		return;
	if (how == TLS_HS_FULL && SSL_session_reused(ssl))
		how = TLS_HS_RESUMED;
	tls_count(a, b, how,
	          how == TLS_HS_FAILED ? xprt_ssl_fail_reason() : TLS_FAIL_OTHER);
}
