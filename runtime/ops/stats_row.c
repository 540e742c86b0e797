/*
 * stats_row.c: the rows of `show stat` as text, and the CSV they make.
 *
 * One function fills a row from the plan and the generation's running
 * state; the stats socket, the HTTP stats page (CSV and HTML) and the
 * Prometheus exporter read rows, so they never disagree.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "balance.h"
#include "dynsrv.h"
#include "healthcheck-t.h"
#include "plan.h"
#include "server.h"
#include "sock.h"
#include "stats.h"
#include "stats_row.h"
#include "thread.h"

#define STATS_COL_NAME(id, name, type, tags) #name,

static const char *const stats_col_names[STC_MAX] = {
	STATS_COLUMNS(STATS_COL_NAME)
};

/* ---- buffer ------------------------------------------------------------- */

void stats_buf_init(struct stats_buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void stats_buf_free(struct stats_buf *b)
{
	free(b->data);
	stats_buf_init(b, b->max);
}

/* Room for `more` bytes and a terminator; 0, or -1 (cut) past the
 * maximum or out of memory. */
static int stats_buf_room(struct stats_buf *b, size_t more)
{
	size_t need = b->len + more + 1, cap;
	char *nb;

	if (b->cut)
		return -1;
	if (need <= b->cap)
		return 0;
	if (need > b->max) {
		b->cut = 1;
		return -1;
	}
	cap = b->cap ? b->cap : 4096;
	while (cap < need)
		cap *= 2;
	if (cap > b->max)
		cap = b->max;
	nb = realloc(b->data, cap);
	if (!nb) {
		b->cut = 1;
		return -1;
	}
	b->data = nb;
	b->cap = cap;
	return 0;
}

void stats_buf_write(struct stats_buf *b, const char *data, size_t len)
{
	if (stats_buf_room(b, len) < 0)
		return;
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void stats_buf_puts(struct stats_buf *b, const char *s)
{
	stats_buf_write(b, s, strlen(s));
}

void stats_buf_vprintf(struct stats_buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	if (b->cut)
		return;
	va_copy(aq, ap);
	n = vsnprintf(b->data ? b->data + b->len : NULL,
	              b->data ? b->cap - b->len : 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	if (b->data && (size_t)n < b->cap - b->len) {
		b->len += (size_t)n;
		return;
	}
	if (stats_buf_room(b, (size_t)n) < 0)
		return;
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	if (n > 0)
		b->len += (size_t)n;
}

void stats_buf_printf(struct stats_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	stats_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/* ---- rows --------------------------------------------------------------- */

const char *stats_col_name(enum stats_col col)
{
	return (unsigned)col < STC_MAX ? stats_col_names[col] : "";
}

static void stats_row_reset(struct stats_row *r)
{
	memset(r->v, 0, sizeof(r->v));
}

static void row_str(struct stats_row *r, enum stats_col col, const char *s)
{
	r->v[col] = s;
}

static void row_u(struct stats_row *r, enum stats_col col, uint64_t v)
{
	snprintf(r->num[col], STATS_NUM_LEN, "%llu", (unsigned long long)v);
	r->v[col] = r->num[col];
}

static void row_i(struct stats_row *r, enum stats_col col, int64_t v)
{
	snprintf(r->num[col], STATS_NUM_LEN, "%lld", (long long)v);
	r->v[col] = r->num[col];
}

/* Zeros in the columns `cols` (ended by STC_MAX): what we never do
 * (HTTP, compression, rewrites, idle connection pools) but HAProxy shows
 * as 0 for TCP proxies. */
static void row_zeros(struct stats_row *r, const enum stats_col *cols)
{
	for (; *cols != STC_MAX; cols++)
		row_str(r, *cols, "0");
}

static const char *stats_mode_name(uint32_t mode)
{
	return mode == PLAN_MODE_HTTP ? "http" : "tcp";
}

/* HAProxy's names of the balancing algorithms. */
static const char *stats_algo_name(uint32_t balance)
{
	static const char *const name[PLAN_BALANCE_MAX] = {
		[PLAN_BALANCE_ROUNDROBIN] = "roundrobin",
		[PLAN_BALANCE_STATIC_RR]  = "static-rr",
		[PLAN_BALANCE_LEASTCONN]  = "leastconn",
		[PLAN_BALANCE_FIRST]      = "first",
		[PLAN_BALANCE_SOURCE]     = "source",
		[PLAN_BALANCE_RANDOM]     = "random",
	};

	return balance < PLAN_BALANCE_MAX && name[balance] ? name[balance] : "";
}

/* The columns frontends, backends and servers fill alike from their
 * counters: rate, session times, aborts, retries. */
static void stats_row_counters(struct stats_row *r, const struct stats_dump *d,
                               const struct rt_counters *cnt)
{
	row_u(r, STC_RATE, stats_rate_read(&cnt->rate, d->now_ms));
	row_u(r, STC_RATE_MAX, cnt->rate.max);
	row_u(r, STC_WRETR, cnt->retries);
	row_u(r, STC_WREDIS, cnt->redispatches);
	row_u(r, STC_LBTOT, cnt->lbtot);
	row_u(r, STC_CLI_ABRT, cnt->cli_abrt);
	row_u(r, STC_SRV_ABRT, cnt->srv_abrt);
	row_i(r, STC_LASTSESS, cnt->last_sess ?
	      (int64_t)d->now_s - (int64_t)(cnt->last_sess - 1) : -1);
	row_u(r, STC_QTIME, stats_time_avg(cnt, cnt->q_sum));
	row_u(r, STC_CTIME, stats_time_avg(cnt, cnt->c_sum));
	row_str(r, STC_RTIME, "0");     /* response time: HTTP only */
	row_u(r, STC_TTIME, stats_time_avg(cnt, cnt->t_sum));
	row_u(r, STC_QTIME_MAX, cnt->q_max);
	row_u(r, STC_CTIME_MAX, cnt->c_max);
	row_str(r, STC_RTIME_MAX, "0");
	row_u(r, STC_TTIME_MAX, cnt->t_max);
	row_u(r, STC_CONNECT, cnt->connect);
	row_u(r, STC_LASTCHG, stats_lastchg(cnt, d->now_s));
	row_u(r, STC_DOWNTIME, stats_downtime(cnt, d->now_s));
	row_u(r, STC_CHKDOWN, cnt->chkdown);
}

/* HAProxy's "ssl" module columns: on every row, as HAProxy gives them
 * (0 where nothing speaks TLS). */
static void stats_row_ssl(struct stats_row *r, const struct tls_counters *c)
{
	row_u(r, STC_SSL_SESS, __atomic_load_n(&c->sess, __ATOMIC_RELAXED));
	row_u(r, STC_SSL_REUSED_SESS,
	      __atomic_load_n(&c->reused, __ATOMIC_RELAXED));
	row_u(r, STC_SSL_FAILED_HANDSHAKE,
	      __atomic_load_n(&c->failed, __ATOMIC_RELAXED));
}

/* The MPTCP columns: filled when MPTCP is asked for (`mp`). */
static void stats_row_mptcp(struct stats_row *r, int mp, uint64_t conn,
                            uint64_t fallback)
{
	if (!mp)
		return;
	row_u(r, STC_MPTCP_CONN, conn);
	row_u(r, STC_MPTCP_FALLBACK, fallback);
}

/* The compression columns of a frontend or backend (comp_byp stays 0:
 * cfgrun never bypasses compression for CPU or bandwidth limits). */
static void stats_row_comp(struct stats_row *r, const struct rt_counters *c)
{
	row_u(r, STC_COMP_IN, __atomic_load_n(&c->comp_in, __ATOMIC_RELAXED));
	row_u(r, STC_COMP_OUT, __atomic_load_n(&c->comp_out, __ATOMIC_RELAXED));
	row_u(r, STC_COMP_RSP, __atomic_load_n(&c->comp_rsp, __ATOMIC_RELAXED));
}

static void stats_row_frontend(struct stats_row *r, const struct stats_dump *d,
                               uint32_t i)
{
	static const enum stats_col zeros[] = {
		STC_DREQ, STC_DRESP, STC_EREQ, STC_SID, STC_TYPE, STC_RATE_LIM,
		STC_REQ_RATE, STC_REQ_RATE_MAX, STC_REQ_TOT, STC_COMP_IN,
		STC_COMP_OUT, STC_COMP_BYP, STC_COMP_RSP, STC_DSES,
		STC_WREW, STC_EINT, STC_MAX
	};
	const struct runtime *rt = d->rt;
	const struct plan_proxy *pp = &rt->plan->proxies[i];
	const struct rt_proxy *px = &rt->proxies[i];
	const struct rt_counters *cnt = &px->fe_cnt;
	int mp = 0;

	for (uint32_t l = pp->first_listener; l < pp->first_listener + pp->nlisteners; l++)
		mp |= rt->plan->listeners[l].addr.proto == PLAN_PROTO_MPTCP;
	stats_row_reset(r);
	row_zeros(r, zeros);
	stats_row_comp(r, cnt);
	row_str(r, STC_PXNAME, plan_str_get(rt->plan, pp->name));
	row_str(r, STC_SVNAME, "FRONTEND");
	row_u(r, STC_SCUR, px->feconn);
	row_u(r, STC_SMAX, cnt->cur_max);
	row_u(r, STC_SLIM, px->maxconn ? px->maxconn : rt->maxconn);
	row_u(r, STC_STOT, px->cum_conn);
	row_u(r, STC_BIN, cnt->bytes_in);
	row_u(r, STC_BOUT, cnt->bytes_out);
	row_str(r, STC_STATUS, d->stopping || px->stopped ? "STOP" : "OPEN");
	row_str(r, STC_PID, "1");
	row_u(r, STC_IID, i + 1);
	row_u(r, STC_RATE, stats_rate_read(&cnt->rate, d->now_ms));
	row_u(r, STC_RATE_MAX, cnt->rate.max);
	/* every accepted connection is a session here */
	row_u(r, STC_CONN_RATE, stats_rate_read(&cnt->rate, d->now_ms));
	row_u(r, STC_CONN_RATE_MAX, cnt->rate.max);
	row_u(r, STC_CONN_TOT, px->cum_conn);
	row_u(r, STC_DCON, px->denied_conn);
	row_str(r, STC_MODE, stats_mode_name(pp->mode));
	stats_row_ssl(r, &cnt->tls);
	stats_row_mptcp(r, mp, cnt->mptcp_conn, cnt->mptcp_fallback);
}

static void stats_row_server(struct stats_row *r, const struct stats_dump *d,
                             uint32_t be, uint32_t s)
{
	static const enum stats_col zeros[] = {
		STC_DRESP, STC_ERESP, STC_WREW, STC_REUSE, STC_SRV_ICUR,
		STC_EINT, STC_IDLE_CONN_CUR, STC_SAFE_CONN_CUR, STC_MAX
	};
	const struct runtime *rt = d->rt;
	const struct plan_server *ps = &rt->plan->servers[s];
	const struct rt_server *rs = &rt->servers[s];
	const struct rt_counters *cnt = &rs->cnt;
	int backup = (ps->flags & PLAN_SRV_F_BACKUP) != 0;
	int code = 0;
	uint32_t dur = 0;
	const char *info = "";
	const char *chk = server_check_status(rt, s, &code, &dur, &info);
	struct plan_addr a;

	stats_row_reset(r);
	row_zeros(r, zeros);
	row_str(r, STC_PXNAME, plan_str_get(rt->plan, rt->plan->proxies[be].name));
	row_str(r, STC_SVNAME, plan_str_get(rt->plan, ps->name));
	row_u(r, STC_QCUR, rs->queue.len);
	row_u(r, STC_QMAX, rs->queue.max);
	row_u(r, STC_SCUR, rs->cur_conn);
	row_u(r, STC_SMAX, cnt->cur_max);
	if (rs->maxconn)
		row_u(r, STC_SLIM, rs->maxconn);
	row_u(r, STC_STOT, rs->cum_conn);
	row_u(r, STC_BIN, cnt->bytes_in);
	row_u(r, STC_BOUT, cnt->bytes_out);
	row_u(r, STC_ECON, cnt->econ);
	row_str(r, STC_STATUS, server_status(rt, s, r->status, sizeof(r->status)));
	row_u(r, STC_WEIGHT, rs->weight);
	row_u(r, STC_UWEIGHT, rs->weight);
	row_u(r, STC_ACT, !backup);
	row_u(r, STC_BCK, backup);
	if (ps->maxqueue)
		row_u(r, STC_QLIMIT, ps->maxqueue);
	row_str(r, STC_PID, "1");
	row_u(r, STC_IID, be + 1);
	row_u(r, STC_SID, server_sid(rt, s));
	row_u(r, STC_TYPE, 2);
	stats_row_counters(r, d, cnt);
	row_u(r, STC_USED_CONN_CUR, rs->cur_conn);
	if (rs->check) {
		/* HAProxy shows the check columns of checked servers only */
		row_u(r, STC_CHKFAIL, cnt->chkfail);
		row_str(r, STC_CHECK_STATUS, chk);
		if (code)
			row_u(r, STC_CHECK_CODE, (uint64_t)code);
		if (rs->check->status != RT_CHK_NONE)
			row_u(r, STC_CHECK_DURATION, dur);
		row_str(r, STC_LAST_CHK, info);
		row_str(r, STC_CHECK_DESC, rs->check->status == RT_CHK_NONE ?
		        "Initializing" :
		        server_check_reason((enum rt_chk_status)rs->check->status));
		row_u(r, STC_CHECK_RISE, ps->rise);
		row_u(r, STC_CHECK_FALL, ps->fall);
		row_u(r, STC_CHECK_HEALTH, rs->check->health);
	} else {
		r->v[STC_CHKDOWN] = r->v[STC_DOWNTIME] = NULL;
	}
	server_addr(rt, s, &a);
	if (a.family == PLAN_FAM_INET || a.family == PLAN_FAM_INET6)
		sock_addr_str((const struct sockaddr *)a.sa, a.salen, r->addr,
		              sizeof(r->addr));
	else
		sock_plan_addr_str(&a, r->addr, sizeof(r->addr));
	row_str(r, STC_ADDR, r->addr);
	row_str(r, STC_MODE, stats_mode_name(rt->plan->proxies[be].mode));
	stats_row_ssl(r, &cnt->tls);
	stats_row_mptcp(r, ps->addr.proto == PLAN_PROTO_MPTCP,
	                cnt->mptcp_conn, cnt->mptcp_fallback);
}

static void stats_row_backend(struct stats_row *r, const struct stats_dump *d,
                              uint32_t be)
{
	static const enum stats_col zeros[] = {
		STC_DREQ, STC_DRESP, STC_ERESP, STC_SID, STC_COMP_IN,
		STC_COMP_OUT, STC_COMP_BYP, STC_COMP_RSP, STC_WREW, STC_REUSE,
		STC_EINT, STC_MAX
	};
	const struct runtime *rt = d->rt;
	const struct plan_proxy *pp = &rt->plan->proxies[be];
	const struct rt_proxy *px = &rt->proxies[be];
	uint64_t mpc = 0, mpf = 0;
	uint32_t weight = 0, act = 0, bck = 0;
	int mp = 0;

	for (uint32_t s = be_srv_first(rt, be); s != PLAN_NONE;
	     s = be_srv_next(rt, be, s)) {
		const struct rt_server *rs = &rt->servers[s];

		mpc += rs->cnt.mptcp_conn;
		mpf += rs->cnt.mptcp_fallback;
		mp |= rt->plan->servers[s].addr.proto == PLAN_PROTO_MPTCP;
		if (!balance_srv_usable(rt, s))
			continue;
		weight += rs->weight;
		if (rt->plan->servers[s].flags & PLAN_SRV_F_BACKUP)
			bck++;
		else
			act++;
	}
	stats_row_reset(r);
	row_zeros(r, zeros);
	stats_row_comp(r, &px->be_cnt);
	row_str(r, STC_PXNAME, plan_str_get(rt->plan, pp->name));
	row_str(r, STC_SVNAME, "BACKEND");
	row_u(r, STC_QCUR, px->queue.len);
	row_u(r, STC_QMAX, px->queue.max);
	row_u(r, STC_SCUR, px->beconn);
	row_u(r, STC_SMAX, px->be_cnt.cur_max);
	row_u(r, STC_SLIM, pp->maxconn ? pp->maxconn : rt->maxconn);
	row_u(r, STC_STOT, px->be_cum_conn);
	row_u(r, STC_BIN, px->be_cnt.bytes_in);
	row_u(r, STC_BOUT, px->be_cnt.bytes_out);
	row_u(r, STC_ECON, px->be_cnt.econ);
	row_str(r, STC_STATUS, balance_usable(rt, be) ? "UP" : "DOWN");
	row_u(r, STC_WEIGHT, weight);
	row_u(r, STC_UWEIGHT, weight);
	row_u(r, STC_ACT, act);
	row_u(r, STC_BCK, bck);
	row_str(r, STC_PID, "1");
	row_u(r, STC_IID, be + 1);
	row_u(r, STC_TYPE, 1);
	stats_row_counters(r, d, &px->be_cnt);
	row_str(r, STC_MODE, stats_mode_name(pp->mode));
	row_str(r, STC_ALGO, stats_algo_name(pp->balance));
	stats_row_ssl(r, &px->be_cnt.tls);
	stats_row_mptcp(r, mp, mpc, mpf);
}


void stats_dump_init(struct stats_dump *d, const struct runtime *rt,
                     int stopping)
{
	d->rt = rt;
	d->stopping = stopping;
	d->now_ms = stats_clock_ms();
	d->now_s = (uint32_t)(d->now_ms / 1000u);
}

void stats_row_fill(struct stats_row *r, const struct stats_dump *d,
                    enum stats_row_kind kind, uint32_t px, uint32_t srv)
{
	r->kind = kind;
	r->proxy = px;
	r->server = kind == STATS_ROW_SERVER ? srv : PLAN_NONE;
	if (kind == STATS_ROW_FRONTEND)
		stats_row_frontend(r, d, px);
	else if (kind == STATS_ROW_SERVER)
		stats_row_server(r, d, px, srv);
	else
		stats_row_backend(r, d, px);
}

/* 1 when proxy px is in the `stats scope` list (by name, or "." for the
 * proxy serving the page). */
static int stats_scope_has(const char *l, const struct plan *p, uint32_t px,
                           uint32_t self)
{
	const struct plan_str *name = &p->proxies[px].name;

	while (*l) {
		size_t n = strcspn(l, "\n");

		if ((n == 1 && l[0] == '.' && px == self) ||
		    (n == name->len && !memcmp(l, plan_str_get(p, *name), n)))
			return 1;
		l += n + (l[n] != 0);
	}
	return 0;
}

int stats_filter_keeps(const struct stats_filter *f, const struct runtime *rt,
                       uint32_t px, uint32_t srv)
{
	if (srv != PLAN_NONE && dynsrv_gone(rt, srv))
		return 0;               /* deleted since the cursor reached it */
	if (!f)
		return 1;
	if (f->proxy != PLAN_NONE && f->proxy != px)
		return 0;
	if (f->scopes && !stats_scope_has(f->scopes, rt->plan, px, f->self))
		return 0;
	if (srv == PLAN_NONE)
		return 1;
	if (f->hide_down && (rt->servers[srv].admin == RT_ADMIN_MAINT ||
	                     rt->servers[srv].op == RT_SRV_DOWN))
		return 0;
	if (f->hide_maint && rt->servers[srv].admin == RT_ADMIN_MAINT)
		return 0;
	if (f->sid && server_sid(rt, srv) != f->sid)
		return 0;
	return 1;
}

void stats_cursor_init(struct stats_cursor *cur)
{
	cur->px = 0;
	cur->srv = 0;
	cur->at = STATS_AT_FRONTEND;
}

/* Move `cur` to the next row position after the one it is at. */
static void stats_cursor_next(const struct runtime *rt,
                              struct stats_cursor *cur)
{
	const struct plan *p = rt->plan;
	const struct plan_proxy *pp = &p->proxies[cur->px];

	switch (cur->at) {
	case STATS_AT_FRONTEND:
		cur->at = STATS_AT_SERVER;
		cur->srv = (pp->cap & PLAN_CAP_BE) ? be_srv_first(rt, cur->px) :
		           PLAN_NONE;
		break;
	case STATS_AT_SERVER:
		cur->srv = be_srv_next(rt, cur->px, cur->srv);
		break;
	case STATS_AT_BACKEND:
		cur->px++;
		cur->at = cur->px < p->nproxies ? STATS_AT_FRONTEND : STATS_AT_DONE;
		break;
	case STATS_AT_DONE:
		break;
	}
	if (cur->at == STATS_AT_SERVER && cur->srv == PLAN_NONE)
		cur->at = STATS_AT_BACKEND;
}

int stats_rows_step(struct runtime *rt, int stopping,
                    const struct stats_filter *f, struct stats_cursor *cur,
                    int (*fn)(void *arg, const struct stats_row *r),
                    void *arg)
{
	static const enum stats_row_kind kinds[] = {
		[STATS_AT_FRONTEND] = STATS_ROW_FRONTEND,
		[STATS_AT_SERVER] = STATS_ROW_SERVER,
		[STATS_AT_BACKEND] = STATS_ROW_BACKEND,
	};
	const struct plan *p = rt->plan;
	struct stats_row r;
	struct stats_dump d;
	int enough = 0;

	if (cur->px >= p->nproxies)
		cur->at = STATS_AT_DONE;
	gen_lock(rt);
	stats_dump_init(&d, rt, stopping);
	for (uint32_t n = 0; n < STATS_STEP_VISITS && !enough &&
	     cur->at != STATS_AT_DONE; n++, stats_cursor_next(rt, cur)) {
		const struct plan_proxy *pp = &p->proxies[cur->px];
		enum stats_row_kind k = kinds[cur->at];
		uint32_t srv = cur->at == STATS_AT_SERVER ? cur->srv : PLAN_NONE;

		if ((f && f->types && !(f->types & (1u << k))) ||
		    (k == STATS_ROW_FRONTEND && !(pp->cap & PLAN_CAP_FE)) ||
		    (k == STATS_ROW_BACKEND && !(pp->cap & PLAN_CAP_BE)) ||
		    !stats_filter_keeps(f, rt, cur->px, srv))
			continue;
		stats_row_fill(&r, &d, k, cur->px, srv);
		enough = fn(arg, &r);
	}
	gen_unlock(rt);
	return cur->at == STATS_AT_DONE;
}

/* stats_rows_each()'s callback and argument, run through stats_rows_step() */
struct stats_each {
	void (*fn)(void *arg, const struct stats_row *r);
	void *arg;
};

static int stats_each_row(void *arg, const struct stats_row *r)
{
	struct stats_each *e = arg;

	e->fn(e->arg, r);
	return 0;
}

void stats_rows_each(struct runtime *rt, int stopping,
                     const struct stats_filter *f,
                     void (*fn)(void *arg, const struct stats_row *r),
                     void *arg)
{
	struct stats_each e = { .fn = fn, .arg = arg };
	struct stats_cursor cur;

	stats_cursor_init(&cur);
	while (!stats_rows_step(rt, stopping, f, &cur, stats_each_row, &e))
		;
}

/* ---- CSV ---------------------------------------------------------------- */

void stats_csv_header(struct stats_buf *b)
{
	stats_buf_write(b, "# ", 2);
	for (int i = 0; i < STC_MAX; i++) {
		stats_buf_puts(b, stats_col_names[i]);
		stats_buf_write(b, ",", 1);
		if (i == STATS_CSV_MODULES_AFTER)
			stats_buf_write(b, "-,", 2);
	}
	stats_buf_write(b, "\n", 1);
}

void stats_csv_field(struct stats_buf *b, const char *v)
{
	if (v && strpbrk(v, ",\"\r\n")) {
		stats_buf_write(b, "\"", 1);
		for (const char *q; (q = strchr(v, '"')); v = q + 1) {
			stats_buf_write(b, v, (size_t)(q - v));
			stats_buf_write(b, "\"\"", 2);
		}
		stats_buf_puts(b, v);
		stats_buf_write(b, "\"", 1);
	} else if (v) {
		stats_buf_puts(b, v);
	}
	stats_buf_write(b, ",", 1);
}

/* Each column as stats_csv_field() writes it, and HAProxy's "-" before
 * the module columns. */
void stats_csv_row(struct stats_buf *b, const struct stats_row *r)
{
	for (int i = 0; i < STC_MAX; i++) {
		stats_csv_field(b, r->v[i]);
		if (i == STATS_CSV_MODULES_AFTER)
			stats_buf_write(b, "-,", 2);
	}
	stats_buf_write(b, "\n", 1);
}

static void stats_csv_each(void *arg, const struct stats_row *r)
{
	stats_csv_row(arg, r);
}

void stats_csv_dump(struct stats_buf *b, struct runtime *rt, int stopping,
                    const struct stats_filter *f)
{
	stats_csv_header(b);
	stats_rows_each(rt, stopping, f, stats_csv_each, b);
}
