/*
 * stats_srvconn.c: `show servers conn` (stats_srvconn.h).
 *
 * Per server, as HAProxy 2.6: backend/server names and ids, address and
 * port, "-", the purge delay (how long an idle connection stays, ms),
 * connections in use now and at most, the estimate of those needed, the
 * idle connections not safe and safe to reuse for any request, the limit
 * of idle ones (-1: none), the idle ones in all, then per thread.
 * A server connection a client's stream keeps between its requests
 * (stream kept_srv) is HAProxy's "not safe" idle connection, reused only
 * by that client; one parked in its thread's idle list (srv_idle.c) is
 * taken by any request to the server: safe. The maximum in use is the
 * server's highest concurrent connections (`show stat` smax), the
 * estimate the connections in use now.
 */
#include "config.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include "isolate.h"
#include "plan.h"
#include "srv_idle-t.h"
#include "stream-t.h"
#include "stats_srvconn.h"
#include "thread-t.h"
#include "thread.h"

void stats_srv_conn_header(struct stats_buf *out, uint32_t nthreads)
{
	stats_buf_printf(out, "# bkname/svname bkid/svid addr port - purge_delay "
	                 "used_cur used_max need_est unsafe_nb safe_nb idle_lim "
	                 "idle_cur idle_per_thr[%u]\n", nthreads);
}

/* Idle connections of server `srv` of generation `rt` that thread t
 * holds (t parked, or the caller): kept by a stream for its client's
 * next request (*unsafe), parked for any request (*safe). */
static void srv_conn_idle(const struct rt_thread *t, const struct runtime *rt,
                          uint32_t srv, uint32_t *unsafe, uint32_t *safe)
{
	for (const struct stream *s = t->streams; s; s = s->next)
		if (s->rt == rt && s->kept_srv == srv &&
		    s->side[STREAM_SRV].conn.fd >= 0)
			(*unsafe)++;
	for (const struct srv_idle *i = t->idle; i; i = i->next)
		if (i->generation == rt->generation && i->server == srv)
			(*safe)++;
}

static void srv_conn_line(struct ops *ops, struct runtime *rt,
                          struct stats_buf *out, uint32_t s)
{
	const struct plan *p = rt->plan;
	const struct plan_server *ps = &p->servers[s];
	const struct rt_server *rs = &rt->servers[s];
	const struct plan_srv_addr *sa = rs->addr ? &rs->addr->a : &ps->addr;
	uint32_t idle[THR_MAX], unsafe = 0, safe = 0;
	char ip[64] = "-";

	for (uint32_t t = 0; t < ops->nthreads; t++) {
		uint32_t before = unsafe + safe;

		srv_conn_idle(&ops->threads[t], rt, s, &unsafe, &safe);
		idle[t] = unsafe + safe - before;
	}
	if (sa->family == PLAN_FAM_INET || sa->family == PLAN_FAM_INET6)
		inet_ntop(sa->family == PLAN_FAM_INET ? AF_INET : AF_INET6,
		          sa->ip, ip, sizeof(ip));
	stats_buf_printf(out, "%s/%s %u/%u %s %u - %u %u %u %u %u %u -1 %u",
	                 plan_str_get(p, p->proxies[ps->proxy].name),
	                 plan_str_get(p, ps->name), ps->proxy + 1,
	                 s - p->proxies[ps->proxy].first_server + 1, ip, sa->port,
	                 (unsigned)(SRV_IDLE_TIMEOUT * 1000), rs->cur_conn,
	                 rs->cnt.cur_max, rs->cur_conn, unsafe, safe, unsafe + safe);
	for (uint32_t t = 0; t < ops->nthreads; t++)
		stats_buf_printf(out, " %u", idle[t]);
	stats_buf_printf(out, "\n");
}

int stats_srv_conn_step(struct ops *ops, struct runtime *rt,
                        struct stats_buf *out, uint32_t *srv, uint32_t end,
                        size_t low)
{
	/* the others parked first: none of them holds the lock then */
	isolate_begin(ops);
	gen_lock(rt);
	for (; *srv < end && out->len < low && !out->cut; (*srv)++)
		srv_conn_line(ops, rt, out, *srv);
	gen_unlock(rt);
	isolate_release(ops);
	if (*srv < end)
		return 0;
	stats_buf_printf(out, "\n");
	return 1;
}
