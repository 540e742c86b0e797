/*
 * tls_stats.c: TLS handshake counters. Handshakes end on every thread,
 * so the counters are bumped with relaxed atomic adds (they order
 * nothing) and read with atomic loads by the stats socket.
 *
 * The process-wide figures of `show info` (TLS connections now and in
 * all, the rates of TLS accepts and of full handshakes on each side)
 * belong to the process, not to a plan generation, as HAProxy's global
 * counters do: the rates under a mutex of their own (a TLS handshake
 * costs far more than taking it), the connection counts atomic.
 */
#include "config.h"

#include <pthread.h>

#include <openssl/ssl.h>

#include "stats.h"
#include "tls_stats.h"
#include "xprt_ssl.h"

/* The process's TLS rates (struct rt_rate is read under a lock). */
static struct {
	pthread_mutex_t lock;
	struct rt_rate accept;      /* connections accepted on TLS listeners */
	struct rt_rate fe_keys;     /* full handshakes with clients */
	struct rt_rate be_keys;     /* full handshakes with servers */
} tls_rates = { .lock = PTHREAD_MUTEX_INITIALIZER };

static uint64_t tls_conns_cur;      /* TLS connections open (atomic) */
static uint64_t tls_conns_cum;      /* TLS connections made (atomic) */

static void tls_rate_add(struct rt_rate *r)
{
	uint64_t now = stats_clock_ms();

	pthread_mutex_lock(&tls_rates.lock);
	stats_rate_add(r, now);
	pthread_mutex_unlock(&tls_rates.lock);
}

void tls_conn_opened(int accept)
{
	__atomic_add_fetch(&tls_conns_cur, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&tls_conns_cum, 1, __ATOMIC_RELAXED);
	if (accept)
		tls_rate_add(&tls_rates.accept);
}

void tls_conn_closed(void)
{
	__atomic_sub_fetch(&tls_conns_cur, 1, __ATOMIC_RELAXED);
}

void tls_global_read(struct tls_global *g)
{
	uint64_t now = stats_clock_ms();

	g->conns_cur = __atomic_load_n(&tls_conns_cur, __ATOMIC_RELAXED);
	g->conns_cum = __atomic_load_n(&tls_conns_cum, __ATOMIC_RELAXED);
	pthread_mutex_lock(&tls_rates.lock);
	g->rate = stats_rate_read(&tls_rates.accept, now);
	g->rate_max = tls_rates.accept.max;
	g->fe_key_rate = stats_rate_read(&tls_rates.fe_keys, now);
	g->fe_key_max = tls_rates.fe_keys.max;
	g->be_key_rate = stats_rate_read(&tls_rates.be_keys, now);
	g->be_key_max = tls_rates.be_keys.max;
	pthread_mutex_unlock(&tls_rates.lock);
	/* HAProxy's share of resumed handshakes among the TLS accepts of the
	 * last second, rounded down */
	g->reuse_pct = 0;
	if (g->fe_key_rate < g->rate)
		g->reuse_pct = 100 - (uint32_t)((100ull * g->fe_key_rate +
		                                 g->rate - 1) / g->rate);
}

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
	if (how == TLS_HS_FULL)
		tls_rate_add(SSL_is_server(ssl) ? &tls_rates.fe_keys :
		             &tls_rates.be_keys);
	tls_count(a, b, how,
	          how == TLS_HS_FAILED ? xprt_ssl_fail_reason() : TLS_FAIL_OTHER);
}
