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

/* The frontend row and its TLS listeners' rows, when it has some. */
static void sslstat_frontend(struct stats_buf *b, const struct runtime *rt,
                             uint32_t px)
{
	const struct plan *p = rt->plan;
	const struct plan_proxy *pp = &p->proxies[px];
	uint32_t l, end = pp->first_listener + pp->nlisteners;
	int tls = 0;

	for (l = pp->first_listener; l < end; l++)
		tls |= p->listeners[l].tls != 0;
	if (!tls)
		return;
	sslstat_row(b, p, pp, "FRONTEND", &rt->proxies[px].fe_cnt.tls);
	for (l = pp->first_listener; l < end; l++)
		if (p->listeners[l].tls)
			sslstat_row(b, p, pp, plan_str_get(p, p->listeners[l].name),
			            &rt->listeners[l].tls);
}

/* The TLS servers' rows and the backend's, when it has TLS servers. */
static void sslstat_backend(struct stats_buf *b, const struct runtime *rt,
                            uint32_t px)
{
	const struct plan *p = rt->plan;
	const struct plan_proxy *pp = &p->proxies[px];
	int tls = 0;

	for (uint32_t s = be_srv_first(rt, px); s != PLAN_NONE;
	     s = be_srv_next(rt, px, s)) {
		if (!tls_server_of(rt, s, 0))
			continue;
		sslstat_row(b, p, pp, plan_str_get(p, p->servers[s].name),
		            &rt->servers[s].cnt.tls);
		tls = 1;
	}
	if (tls)
		sslstat_row(b, p, pp, "BACKEND", &rt->proxies[px].be_cnt.tls);
}

void stats_show_ssl_stats(struct runtime *rt, struct stats_buf *out)
{
	const struct plan *p = rt->plan;

	sslstat_header(out);
	gen_lock(rt);
	for (uint32_t px = 0; px < p->nproxies; px++) {
		if (p->proxies[px].cap & PLAN_CAP_FE)
			sslstat_frontend(out, rt, px);
		if (p->proxies[px].cap & PLAN_CAP_BE)
			sslstat_backend(out, rt, px);
	}
	gen_unlock(rt);
	stats_buf_write(out, "\n", 1);
}
