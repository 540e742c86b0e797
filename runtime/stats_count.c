/*
 * stats_count.c: the traffic counters `show stat` reports, fed by stream.c.
 */
#include "config.h"

#include "mptcp.h"
#include "plan.h"
#include "runtime-t.h"
#include "stats.h"
#include "stream-t.h"

static void stats_max(uint32_t *max, uint32_t cur)
{
	if (cur > *max)
		*max = cur;
}

/* Count an MPTCP side: really MPTCP, or fell back. */
static void stats_mptcp(struct rt_counters *c, unsigned proto, int fd)
{
	if (proto != PLAN_PROTO_MPTCP || fd < 0)
		return;
	if (mptcp_is_active(fd))
		c->mptcp_conn++;
	else
		c->mptcp_fallback++;
}

void stats_on_accept(const struct stream *s)
{
	struct runtime *rt = s->rt;
	struct rt_proxy *fe = &rt->proxies[s->frontend];

	stats_max(&fe->fe_cnt.cur_max, fe->feconn);
	stats_mptcp(&fe->fe_cnt, rt->plan->listeners[s->listener].addr.proto,
	            s->side[STREAM_CLI].fd);
}

void stats_on_connect(const struct stream *s)
{
	struct runtime *rt = s->rt;

	if (s->backend == PLAN_NONE || s->server == PLAN_NONE)
		return;
	rt->proxies[s->backend].be_cum_conn++;
	stats_max(&rt->proxies[s->backend].be_cnt.cur_max,
	          rt->proxies[s->backend].beconn);
	stats_max(&rt->servers[s->server].cnt.cur_max,
	          rt->servers[s->server].cur_conn);
	stats_mptcp(&rt->servers[s->server].cnt,
	            rt->plan->servers[s->server].addr.proto,
	            s->side[STREAM_SRV].fd);
}

static void stats_bytes(struct rt_counters *c, const struct stream *s)
{
	c->bytes_in += s->side[STREAM_CLI].bytes_in;
	c->bytes_out += s->side[STREAM_SRV].bytes_in;
}

void stats_on_end(const struct stream *s)
{
	struct runtime *rt = s->rt;

	stats_bytes(&rt->proxies[s->frontend].fe_cnt, s);
	if (s->backend != PLAN_NONE)
		stats_bytes(&rt->proxies[s->backend].be_cnt, s);
	if (s->server != PLAN_NONE)
		stats_bytes(&rt->servers[s->server].cnt, s);
}
