/*
 * stats_sslstat.c: `show ssl stats`. HAProxy's `show stat` carries only
 * three TLS counters per row (its "ssl" module: ssl_sess,
 * ssl_reused_sess, ssl_failed_handshake); tools parse that layout by
 * position, so the failures by reason, the handshake timeouts and the
 * per-listener rows (HAProxy shows listener rows only under `option
 * socket-stats`, which cfgc does not compile) come here, in a CSV of
 * their own whose first five columns are the same counters.
 */
#include "config.h"

#include "dynsrv.h"
#include "plan.h"
#include "stats_row.h"
#include "stats_sslstat.h"
#include "thread.h"
#include "tls_server.h"
#include "tls_stats.h"

static void sslstat_header(struct stats_buf *b)
{
	stats_buf_puts(b, "# pxname,svname,ssl_sess,ssl_reused_sess,"
	               "ssl_failed_handshake,");
	for (int i = 0; i < TLS_FAIL_MAX; i++)
		stats_buf_printf(b, "%s,", tls_fail_name((enum tls_fail)i));
	stats_buf_puts(b, "hs_timeout\n");
}

static void sslstat_row(struct stats_buf *b, const struct plan *p,
                        const struct plan_proxy *pp, const char *svname,
                        const struct tls_counters *tc)
{
	struct tls_counters c;

	tls_counters_load(tc, &c);
	stats_csv_field(b, plan_str_get(p, pp->name));
	stats_csv_field(b, svname);
	stats_buf_printf(b, "%llu,%llu,%llu,", (unsigned long long)c.sess,
	                 (unsigned long long)c.reused,
	                 (unsigned long long)c.failed);
	for (int i = 0; i < TLS_FAIL_MAX; i++)
		stats_buf_printf(b, "%llu,", (unsigned long long)c.fail[i]);
	stats_buf_printf(b, "%llu\n", (unsigned long long)c.timeout);
}

/* 1 when proxy px has a TLS bind. */
static int sslstat_fe_tls(const struct plan *p, uint32_t px)
{
	const struct plan_proxy *pp = &p->proxies[px];

	if (!(pp->cap & PLAN_CAP_FE))
		return 0;
	for (uint32_t l = 0; l < pp->nlisteners; l++)
		if (p->listeners[pp->first_listener + l].tls)
			return 1;
	return 0;
}

/* 1 when the k-th configured server of proxy px is shown: its traffic
 * uses TLS and it was not deleted on the socket. */
static int sslstat_srv_shown(const struct runtime *rt, uint32_t px,
                             uint32_t k)
{
	uint32_t s = rt->plan->proxies[px].first_server + k;

	return !dynsrv_gone(rt, s) && tls_server_of(rt, s, 0) != NULL;
}

/* 1 when proxy px is a backend with a TLS server shown. */
static int sslstat_be_tls(const struct runtime *rt, uint32_t px)
{
	const struct plan_proxy *pp = &rt->plan->proxies[px];

	if (!(pp->cap & PLAN_CAP_BE))
		return 0;
	for (uint32_t k = 0; k < pp->nservers; k++)
		if (sslstat_srv_shown(rt, px, k))
			return 1;
	return 0;
}

/* The row at position k of proxy px, if there is one to show there. */
static void sslstat_at(struct stats_buf *b, const struct runtime *rt,
                       uint32_t px, uint32_t k)
{
	const struct plan *p = rt->plan;
	const struct plan_proxy *pp = &p->proxies[px];
	uint32_t nl = pp->nlisteners;

	if (k == 0) {
		if (sslstat_fe_tls(p, px))
			sslstat_row(b, p, pp, "FRONTEND", &rt->proxies[px].fe_cnt.tls);
	} else if (k <= nl) {
		uint32_t l = pp->first_listener + k - 1;

		if (p->listeners[l].tls)
			sslstat_row(b, p, pp, plan_str_get(p, p->listeners[l].name),
			            &rt->listeners[l].tls);
	} else if (k <= nl + pp->nservers) {
		uint32_t s = pp->first_server + k - nl - 1;

		if (sslstat_srv_shown(rt, px, k - nl - 1))
			sslstat_row(b, p, pp, plan_str_get(p, p->servers[s].name),
			            &rt->servers[s].cnt.tls);
	} else if (sslstat_be_tls(rt, px)) {
		sslstat_row(b, p, pp, "BACKEND", &rt->proxies[px].be_cnt.tls);
	}
}

void stats_ssl_stats_start(struct stats_buf *out,
                           struct stats_sslstat_cursor *cur)
{
	sslstat_header(out);
	cur->px = 0;
	cur->k = 0;
}

int stats_ssl_stats_step(struct runtime *rt, struct stats_buf *out,
                         struct stats_sslstat_cursor *cur, size_t low)
{
	const struct plan *p = rt->plan;

	gen_lock(rt);
	for (uint32_t n = 0; n < STATS_STEP_VISITS && cur->px < p->nproxies &&
	     out->len < low && !out->cut; n++) {
		const struct plan_proxy *pp = &p->proxies[cur->px];

		sslstat_at(out, rt, cur->px, cur->k);
		if (++cur->k > pp->nlisteners + pp->nservers + 1) {
			cur->px++;
			cur->k = 0;
		}
	}
	gen_unlock(rt);
	if (cur->px < p->nproxies && !out->cut)
		return 0;
	stats_buf_write(out, "\n", 1);
	return 1;
}
