/*
 * stats_count.c: the traffic counters `show stat` reports, fed by stream.c,
 * the balancer, health checks and server state changes, always under the
 * generation's lock (thread-t.h).
 *
 * Rates follow HAProxy's: events are counted per second of a monotonic
 * clock; reading at time t gives the events of t's second plus the part of
 * the previous second's events that the sliding second ending at t still
 * covers. A rate read only falls between two events, so the highest value
 * read at an event (rate_max) is never below a later read.
 *
 * Time averages (qtime, ctime, ttime) are HAProxy's sliding averages over
 * RT_TIME_SAMPLES sessions: a plain average for the first ones, then each
 * new sample replaces 1/RT_TIME_SAMPLES of the sum.
 */
#include "config.h"

#include <time.h>

#include "balance.h"
#include "plan.h"
#include "runtime-t.h"
#include "stats.h"
#include "stream-t.h"
#include "thread-t.h"

uint64_t stats_clock_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC_COARSE, &ts) < 0)
		(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* The stats clock in seconds. */
static uint32_t stats_clock_s(void)
{
	return (uint32_t)(stats_clock_ms() / 1000u);
}

uint32_t stats_rate_read(const struct rt_rate *r, uint64_t now_ms)
{
	uint32_t sec = (uint32_t)(now_ms / 1000u);
	uint64_t left = 1000u - now_ms % 1000u;   /* ms of the sliding second
	                                             still in the previous one */

	if (sec <= r->sec)          /* same second (or a clock read earlier) */
		return r->curr + (uint32_t)(r->prev * left / 1000u);
	if (sec == r->sec + 1)
		return (uint32_t)(r->curr * left / 1000u);
	return 0;
}

void stats_rate_add(struct rt_rate *r, uint64_t now_ms)
{
	uint32_t sec = (uint32_t)(now_ms / 1000u);
	uint32_t v;

	if (sec > r->sec) {
		r->prev = sec == r->sec + 1 ? r->curr : 0;
		r->curr = 0;
		r->sec = sec;
	}
	r->curr++;
	v = stats_rate_read(r, now_ms);
	if (v > r->max)
		r->max = v;
}

uint32_t stats_time_avg(const struct rt_counters *c, uint64_t sum)
{
	if (c->nsamples == 0)
		return 0;
	return (uint32_t)((sum + c->nsamples / 2) / c->nsamples);
}

static void stats_max(uint32_t *max, uint32_t cur)
{
	if (cur > *max)
		*max = cur;
}

/* Add a sample to a sliding sum of n samples (n counted by the caller). */
static void stats_slide(uint64_t *sum, uint32_t n, uint32_t v)
{
	if (n >= RT_TIME_SAMPLES)
		*sum -= (*sum + RT_TIME_SAMPLES - 1) / RT_TIME_SAMPLES;
	*sum += v;
}

/* One connected session's queue, connect and total times (ms). */
static void stats_times(struct rt_counters *c, uint32_t q, uint32_t cn,
                        uint32_t t)
{
	stats_slide(&c->q_sum, c->nsamples, q);
	stats_slide(&c->c_sum, c->nsamples, cn);
	stats_slide(&c->t_sum, c->nsamples, t);
	if (c->nsamples < RT_TIME_SAMPLES)
		c->nsamples++;
	stats_max(&c->q_max, q);
	stats_max(&c->c_max, cn);
	stats_max(&c->t_max, t);
}

/* Count an MPTCP side (mptcp_mark()): really MPTCP, or fell back. */
static void stats_mptcp(struct rt_counters *c, char mp)
{
	if (mp == '1')
		c->mptcp_conn++;
	else if (mp == '0')
		c->mptcp_fallback++;
}

void stats_on_accept(const struct stream *s, char mp)
{
	struct runtime *rt = s->rt;
	struct rt_proxy *fe = &rt->proxies[s->frontend];

	stats_max(&fe->fe_cnt.cur_max, fe->feconn);
	stats_rate_add(&fe->fe_cnt.rate, stats_clock_ms());
	stats_mptcp(&fe->fe_cnt, mp);
}

/* A session reached server or backend counters `c` at `now_ms`. */
static void stats_session(struct rt_counters *c, uint64_t now_ms)
{
	c->connect++;
	c->last_sess = (uint32_t)(now_ms / 1000u) + 1;
	stats_rate_add(&c->rate, now_ms);
}

void stats_on_connect(const struct stream *s, char mp)
{
	struct runtime *rt = s->rt;
	uint64_t now = stats_clock_ms();

	if (s->backend == PLAN_NONE || s->server == PLAN_NONE)
		return;
	rt->proxies[s->backend].be_cum_conn++;
	stats_session(&rt->proxies[s->backend].be_cnt, now);
	stats_session(&rt->servers[s->server].cnt, now);
	stats_max(&rt->proxies[s->backend].be_cnt.cur_max,
	          rt->proxies[s->backend].beconn);
	stats_max(&rt->servers[s->server].cnt.cur_max,
	          rt->servers[s->server].cur_conn);
	stats_mptcp(&rt->servers[s->server].cnt, mp);
}

void stats_on_retry(const struct stream *s, uint32_t prev, int redisp)
{
	struct runtime *rt = s->rt;
	struct rt_counters *be = &rt->proxies[s->backend].be_cnt;
	struct rt_counters *sv = prev != PLAN_NONE ? &rt->servers[prev].cnt : NULL;

	if (redisp) {
		be->redispatches++;
		if (sv)
			sv->redispatches++;
	} else {
		be->retries++;
		if (sv)
			sv->retries++;
	}
}

static void stats_bytes(struct rt_counters *c, const struct stream *s)
{
	c->bytes_in += s->side[STREAM_CLI].bytes_in;
	c->bytes_out += s->side[STREAM_SRV].bytes_in;
}

/* ms from `from` to `to` (seconds), 0 when negative. */
static uint32_t stats_ms(double from, double to)
{
	return to > from ? (uint32_t)((to - from) * 1000.0 + 0.5) : 0;
}

/* A connected stream ends: its times, and who aborted a transfer ("CD",
 * "cD": the client; "SD", "sD": the server), as HAProxy counts them. */
static void stats_session_end(struct runtime *rt, const struct stream *s)
{
	struct rt_counters *be = &rt->proxies[s->backend].be_cnt;
	struct rt_counters *sv = &rt->servers[s->server].cnt;
	double now = ev_now(s->thr->loop);
	uint32_t q = (uint32_t)(s->queued_s * 1000.0 + 0.5);
	uint32_t cn = stats_ms(s->t_accept, s->t_connect);
	uint32_t t = stats_ms(s->t_accept, now);

	cn = cn > q ? cn - q : 0;
	stats_times(be, q, cn, t);
	stats_times(sv, q, cn, t);
	if (s->term[1] != 'D')
		return;
	if (s->term[0] == 'C' || s->term[0] == 'c') {
		be->cli_abrt++;
		sv->cli_abrt++;
	} else if (s->term[0] == 'S' || s->term[0] == 's') {
		be->srv_abrt++;
		sv->srv_abrt++;
	}
}

void stats_on_end(const struct stream *s)
{
	struct runtime *rt = s->rt;

	stats_bytes(&rt->proxies[s->frontend].fe_cnt, s);
	if (s->backend != PLAN_NONE)
		stats_bytes(&rt->proxies[s->backend].be_cnt, s);
	if (s->server != PLAN_NONE)
		stats_bytes(&rt->servers[s->server].cnt, s);
	if (s->backend != PLAN_NONE && s->server != PLAN_NONE &&
	    s->t_connect >= 0)
		stats_session_end(rt, s);
}

static void stats_comp_add(struct rt_counters *c, uint64_t in, uint64_t out,
                           int whole)
{
	__atomic_add_fetch(&c->comp_in, in, __ATOMIC_RELAXED);
	__atomic_add_fetch(&c->comp_out, out, __ATOMIC_RELAXED);
	if (whole)
		__atomic_add_fetch(&c->comp_rsp, 1, __ATOMIC_RELAXED);
}

void stats_on_comp(struct runtime *rt, uint32_t fe, uint32_t be,
                   uint64_t in, uint64_t out, int whole)
{
	stats_comp_add(&rt->proxies[fe].fe_cnt, in, out, whole);
	if (be != PLAN_NONE)
		stats_comp_add(&rt->proxies[be].be_cnt, in, out, whole);
}

/* ---- UP/DOWN history ---------------------------------------------------- */

/* Move `c` to DOWN (1) or UP (0) at second `now`, counting the transition
 * to DOWN in chkdown when `count`. */
static void stats_updown(struct rt_counters *c, int down, uint32_t now,
                         int count)
{
	if (c->down == down)
		return;
	if (!down && now > c->last_change)
		c->down_time += now - c->last_change;
	if (down && count)
		c->chkdown++;
	c->down = (uint8_t)down;
	c->last_change = now;
}

void stats_state_init(struct runtime *rt)
{
	uint32_t now = stats_clock_s();

	for (uint32_t i = 0; i < rt->plan->nproxies; i++) {
		rt->proxies[i].be_cnt.last_change = now;
		rt->proxies[i].be_cnt.down = 1;
	}
	for (uint32_t i = 0; i < rt->plan->nservers; i++) {
		struct rt_counters *c = &rt->servers[i].cnt;

		c->last_change = now;
		c->down = rt->servers[i].admin == RT_ADMIN_MAINT ||
		          rt->servers[i].op == RT_SRV_DOWN;
		if (balance_srv_usable(rt, i))
			rt->proxies[rt->plan->servers[i].proxy].be_cnt.down = 0;
	}
}

void stats_srv_state(struct runtime *rt, uint32_t srv)
{
	const struct rt_server *rs = &rt->servers[srv];

	/* a server's chkdown counts what checks did (server.c), not this */
	stats_updown(&rt->servers[srv].cnt,
	             rs->admin == RT_ADMIN_MAINT || rs->op == RT_SRV_DOWN,
	             stats_clock_s(), 0);
	stats_be_state(rt, rt->plan->servers[srv].proxy);
}

void stats_be_state(struct runtime *rt, uint32_t be)
{
	stats_updown(&rt->proxies[be].be_cnt, balance_usable(rt, be) == 0,
	             stats_clock_s(), 1);
}

uint32_t stats_lastchg(const struct rt_counters *c, uint32_t now)
{
	return now > c->last_change ? now - c->last_change : 0;
}

uint32_t stats_downtime(const struct rt_counters *c, uint32_t now)
{
	return c->down_time + (c->down ? stats_lastchg(c, now) : 0);
}
