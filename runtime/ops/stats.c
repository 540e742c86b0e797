/*
 * stats.c: the stats socket, its commands and the counters they show.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "balance.h"
#include "healthcheck-t.h"
#include "log.h"
#include "reload.h"
#include "runtime-t.h"
#include "server.h"
#include "sock.h"
#include "stats.h"
#include "thread.h"

#define STATS_OUT_MAX  (64u << 20)  /* bytes of answers waiting, then cut */
#define STATS_MAGIC    0x53544154u  /* "STAT" */
#define STATS_LINGER_MAX (1u << 20) /* bytes dropped after refusing a line */

struct stats;

/* One stats socket from the plan. */
struct stats_lsn {
	ev_io io;                   /* readable: clients to accept */
	struct stats *st;
	int fd;                     /* -1 = closed */
	uint32_t level;             /* enum plan_stats_level */
	struct plan_addr addr;      /* as in the plan, to match on reload */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)]; /* unix path we made, "" = none */
};

/* One client connection. */
struct stats_cli {
	ev_io rd;                   /* readable */
	ev_io wr;                   /* writable, while out has bytes */
	ev_timer idle;              /* STATS_IDLE_S without I/O */
	uint32_t magic;             /* STATS_MAGIC while open */
	int fd;
	uint32_t level;             /* enum plan_stats_level, may be lowered */
	int prompt;                 /* 1: interactive, one line after another */
	int closing;                /* 1: close once out is written */
	int eof;                    /* 1: the client sent FIN */
	size_t discard;             /* closing: bytes still read and dropped so
	                               that the last answer is not lost to a
	                               reset, 0 = close now */
	char *in;                   /* STATS_LINE_MAX bytes */
	size_t inlen;               /* bytes in `in` */
	char *out;                  /* answers not written yet */
	size_t outlen;              /* bytes in `out` */
	size_t outcap;              /* bytes allocated */
	int cut;                    /* 1: answer beyond STATS_OUT_MAX dropped */
	struct stats *st;
	struct stats_cli *prev, *next;
};

struct stats {
	struct ops *ops;
	struct stats_lsn *lsn;      /* nlsn sockets */
	uint32_t nlsn;
	struct stats_cli *clients;  /* open connections, doubly linked */
	uint32_t nclients;
};

static const char *const stats_level_name[PLAN_STATS_LEVEL_MAX] = {
	"user", "operator", "admin"
};

/* ---- output ------------------------------------------------------------- */

static void stats_printf(struct stats_cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void stats_printf(struct stats_cli *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (c->cut)
		return;
	for (;;) {
		size_t room = c->outcap - c->outlen;

		va_start(ap, fmt);
		n = vsnprintf(c->out ? c->out + c->outlen : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if ((size_t)n < room) {
			c->outlen += (size_t)n;
			return;
		}
		if (c->outlen + (size_t)n + 1 > STATS_OUT_MAX) {
			c->cut = 1;
			return;
		}
		size_t cap = c->outcap ? c->outcap : 4096;
		while (cap < c->outlen + (size_t)n + 1)
			cap *= 2;
		char *nb = realloc(c->out, cap);

		if (!nb) {
			c->cut = 1;
			return;
		}
		c->out = nb;
		c->outcap = cap;
	}
}

/* ---- commands ----------------------------------------------------------- */

/* "0d 0h00m01s" */
static void stats_uptime(struct stats_cli *c, uint64_t up)
{
	stats_printf(c, "Uptime: %llud %uh%02um%02us\n",
	             (unsigned long long)(up / 86400), (unsigned)(up / 3600 % 24),
	             (unsigned)(up / 60 % 60), (unsigned)(up % 60));
}

static void stats_show_info(struct stats_cli *c)
{
	struct ops *ops = c->st->ops;
	const struct runtime *rt = ops->cur;
	double now = ev_time();
	uint64_t up = now > ops->start_time ? (uint64_t)(now - ops->start_time) : 0;
	struct rlimit rl;
	char hex[65];

	plan_digest_hex(rt->plan->hdr->digest, hex);
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		rl.rlim_cur = 0;
	stats_printf(c, "Name: cfgrun\nVersion: %s\nNbthread: %u\nNbproc: 1\n"
	             "Process_num: 1\nPid: %d\n", PACKAGE_VERSION, ops->nthreads,
	             (int)getpid());
	stats_uptime(c, up);
	stats_printf(c, "Uptime_sec: %llu\nUlimit-n: %llu\nMaxconn: %u\n"
	             "Hard_maxconn: %u\nCurrConns: %u\nCumConns: %llu\n"
	             "Stopping: %d\nPlan_digest: %s\nPlan_generation: %u\n"
	             "Reloads: %llu\nReload_failures: %llu\nLog_dropped: %llu\n\n",
	             (unsigned long long)up, (unsigned long long)rl.rlim_cur,
	             rt->maxconn, rt->maxconn, reload_actconn(ops),
	             (unsigned long long)reload_cum_conn(ops), ops->stopping, hex,
	             rt->generation, (unsigned long long)ops->reloads,
	             (unsigned long long)ops->reload_failures,
	             (unsigned long long)log_dropped());
}

/* One line of `show activity`: the total of a per-thread counter, then
 * each thread's value in brackets, as HAProxy shows them. */
static void stats_activity_line(struct stats_cli *c, const char *name,
                                size_t offset)
{
	const struct ops *ops = c->st->ops;
	uint64_t total = 0;

	for (uint32_t i = 0; i < ops->nthreads; i++)
		total += __atomic_load_n((uint64_t *)(void *)((char *)&ops->threads[i] + offset),
		                         __ATOMIC_RELAXED);
	stats_printf(c, "%s: %llu [", name, (unsigned long long)total);
	for (uint32_t i = 0; i < ops->nthreads; i++)
		stats_printf(c, " %llu", (unsigned long long)__atomic_load_n(
		             (uint64_t *)(void *)((char *)&ops->threads[i] + offset),
		             __ATOMIC_RELAXED));
	stats_printf(c, " ]\n");
}

/* What each thread did: connections it started (accepted, or handed to
 * it), streams it runs now, queued streams another thread gave a slot to,
 * connections it accepted for another thread (HAProxy's accq_pushed). */
static void stats_show_activity(struct stats_cli *c)
{
	const struct ops *ops = c->st->ops;

	stats_printf(c, "thread_id: 0 (0..%u)\n", ops->nthreads - 1);
	stats_activity_line(c, "accepted", offsetof(struct rt_thread, accepted));
	stats_activity_line(c, "streams", offsetof(struct rt_thread, nstreams));
	stats_activity_line(c, "granted_remote",
	                    offsetof(struct rt_thread, granted_remote));
	stats_activity_line(c, "accq_pushed", offsetof(struct rt_thread, handed));
	stats_printf(c, "\n");
}

/*
 * The columns of `show stat`: HAProxy 2.6's, in its order (up to its last
 * general one, before the per-module columns), then ours for MPTCP.
 */
#define STATS_COLUMNS(X) \
	X(PXNAME, pxname) X(SVNAME, svname) X(QCUR, qcur) X(QMAX, qmax) \
	X(SCUR, scur) X(SMAX, smax) X(SLIM, slim) X(STOT, stot) X(BIN, bin) \
	X(BOUT, bout) X(DREQ, dreq) X(DRESP, dresp) X(EREQ, ereq) \
	X(ECON, econ) X(ERESP, eresp) X(WRETR, wretr) X(WREDIS, wredis) \
	X(STATUS, status) X(WEIGHT, weight) X(ACT, act) X(BCK, bck) \
	X(CHKFAIL, chkfail) X(CHKDOWN, chkdown) X(LASTCHG, lastchg) \
	X(DOWNTIME, downtime) X(QLIMIT, qlimit) X(PID, pid) X(IID, iid) \
	X(SID, sid) X(THROTTLE, throttle) X(LBTOT, lbtot) X(TRACKED, tracked) \
	X(TYPE, type) X(RATE, rate) X(RATE_LIM, rate_lim) \
	X(RATE_MAX, rate_max) X(CHECK_STATUS, check_status) \
	X(CHECK_CODE, check_code) X(CHECK_DURATION, check_duration) \
	X(HRSP_1XX, hrsp_1xx) X(HRSP_2XX, hrsp_2xx) X(HRSP_3XX, hrsp_3xx) \
	X(HRSP_4XX, hrsp_4xx) X(HRSP_5XX, hrsp_5xx) \
	X(HRSP_OTHER, hrsp_other) X(HANAFAIL, hanafail) \
	X(REQ_RATE, req_rate) X(REQ_RATE_MAX, req_rate_max) \
	X(REQ_TOT, req_tot) X(CLI_ABRT, cli_abrt) X(SRV_ABRT, srv_abrt) \
	X(COMP_IN, comp_in) X(COMP_OUT, comp_out) X(COMP_BYP, comp_byp) \
	X(COMP_RSP, comp_rsp) X(LASTSESS, lastsess) X(LAST_CHK, last_chk) \
	X(LAST_AGT, last_agt) X(QTIME, qtime) X(CTIME, ctime) \
	X(RTIME, rtime) X(TTIME, ttime) X(AGENT_STATUS, agent_status) \
	X(AGENT_CODE, agent_code) X(AGENT_DURATION, agent_duration) \
	X(CHECK_DESC, check_desc) X(AGENT_DESC, agent_desc) \
	X(CHECK_RISE, check_rise) X(CHECK_FALL, check_fall) \
	X(CHECK_HEALTH, check_health) X(AGENT_RISE, agent_rise) \
	X(AGENT_FALL, agent_fall) X(AGENT_HEALTH, agent_health) \
	X(ADDR, addr) X(COOKIE, cookie) X(MODE, mode) X(ALGO, algo) \
	X(CONN_RATE, conn_rate) X(CONN_RATE_MAX, conn_rate_max) \
	X(CONN_TOT, conn_tot) X(INTERCEPTED, intercepted) X(DCON, dcon) \
	X(DSES, dses) X(WREW, wrew) X(CONNECT, connect) X(REUSE, reuse) \
	X(CACHE_LOOKUPS, cache_lookups) X(CACHE_HITS, cache_hits) \
	X(SRV_ICUR, srv_icur) X(SRC_ILIM, src_ilim) \
	X(QTIME_MAX, qtime_max) X(CTIME_MAX, ctime_max) \
	X(RTIME_MAX, rtime_max) X(TTIME_MAX, ttime_max) X(EINT, eint) \
	X(IDLE_CONN_CUR, idle_conn_cur) X(SAFE_CONN_CUR, safe_conn_cur) \
	X(USED_CONN_CUR, used_conn_cur) X(NEED_CONN_EST, need_conn_est) \
	X(UWEIGHT, uweight) X(AGG_SERVER_STATUS, agg_server_status) \
	X(AGG_SERVER_CHECK_STATUS, agg_server_check_status) \
	X(AGG_CHECK_STATUS, agg_check_status) \
	X(MPTCP_CONN, mptcp_conn) X(MPTCP_FALLBACK, mptcp_fallback)

#define STATS_COL_ENUM(id, name) STC_##id,
#define STATS_COL_NAME(id, name) #name ",",

enum stats_col {
	STATS_COLUMNS(STATS_COL_ENUM)
	STC_MAX
};

static const char *const stats_col_name[STC_MAX] = {
	STATS_COLUMNS(STATS_COL_NAME)
};

#define STATS_NUM_LEN 24            /* bytes of a number's digits */

/* One row being filled: each column's text, NULL = empty. */
struct stats_row {
	const char *v[STC_MAX];
	char num[STC_MAX][STATS_NUM_LEN]; /* digits of numeric columns */
};

/* What every row of one dump shares. */
struct stats_dump {
	const struct runtime *rt;
	uint64_t now_ms;            /* stats clock */
	uint32_t now_s;             /* stats clock, seconds */
};

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

/* Append `len` bytes to the answer. */
static void stats_write(struct stats_cli *c, const char *data, size_t len)
{
	if (c->cut)
		return;
	if (c->outlen + len + 1 > c->outcap) {
		size_t cap = c->outcap ? c->outcap : 4096;
		char *nb;

		while (cap < c->outlen + len + 1)
			cap *= 2;
		if (cap > STATS_OUT_MAX) {
			c->cut = 1;
			return;
		}
		nb = realloc(c->out, cap);
		if (!nb) {
			c->cut = 1;
			return;
		}
		c->out = nb;
		c->outcap = cap;
	}
	memcpy(c->out + c->outlen, data, len);
	c->outlen += len;
}

/* Write row `r`, each column followed by ','; text holding a comma, a
 * quote or a line end is quoted, inner quotes doubled (CSV). */
static void stats_row_emit(struct stats_cli *c, const struct stats_row *r)
{
	for (int i = 0; i < STC_MAX; i++) {
		const char *v = r->v[i];

		if (v && strpbrk(v, ",\"\r\n")) {
			stats_write(c, "\"", 1);
			for (const char *q; (q = strchr(v, '"')); v = q + 1) {
				stats_write(c, v, (size_t)(q - v));
				stats_write(c, "\"\"", 2);
			}
			stats_write(c, v, strlen(v));
			stats_write(c, "\"", 1);
		} else if (v) {
			stats_write(c, v, strlen(v));
		}
		stats_write(c, ",", 1);
	}
	stats_write(c, "\n", 1);
}

static void stats_header(struct stats_cli *c)
{
	stats_write(c, "# ", 2);
	for (int i = 0; i < STC_MAX; i++)
		stats_write(c, stats_col_name[i], strlen(stats_col_name[i]));
	stats_write(c, "\n", 1);
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

/* The MPTCP columns: filled when MPTCP is asked for (`mp`). */
static void stats_row_mptcp(struct stats_row *r, int mp, uint64_t conn,
                            uint64_t fallback)
{
	if (!mp)
		return;
	row_u(r, STC_MPTCP_CONN, conn);
	row_u(r, STC_MPTCP_FALLBACK, fallback);
}

static void stats_row_frontend(struct stats_cli *c, struct stats_row *r,
                               const struct stats_dump *d, uint32_t i)
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
	row_str(r, STC_PXNAME, plan_str_get(rt->plan, pp->name));
	row_str(r, STC_SVNAME, "FRONTEND");
	row_u(r, STC_SCUR, px->feconn);
	row_u(r, STC_SMAX, cnt->cur_max);
	row_u(r, STC_SLIM, pp->maxconn ? pp->maxconn : rt->maxconn);
	row_u(r, STC_STOT, px->cum_conn);
	row_u(r, STC_BIN, cnt->bytes_in);
	row_u(r, STC_BOUT, cnt->bytes_out);
	row_str(r, STC_STATUS, c->st->ops->stopping ? "STOP" : "OPEN");
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
	stats_row_mptcp(r, mp, cnt->mptcp_conn, cnt->mptcp_fallback);
	stats_row_emit(c, r);
}

static void stats_row_server(struct stats_cli *c, struct stats_row *r,
                             const struct stats_dump *d, uint32_t be,
                             uint32_t s)
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
	char st[32], addr[160];
	struct plan_addr a;

	stats_row_reset(r);
	row_zeros(r, zeros);
	row_str(r, STC_PXNAME, plan_str_get(rt->plan, rt->plan->proxies[be].name));
	row_str(r, STC_SVNAME, plan_str_get(rt->plan, ps->name));
	row_u(r, STC_QCUR, rs->queue.len);
	row_u(r, STC_QMAX, rs->queue.max);
	row_u(r, STC_SCUR, rs->cur_conn);
	row_u(r, STC_SMAX, cnt->cur_max);
	if (ps->maxconn)
		row_u(r, STC_SLIM, ps->maxconn);
	row_u(r, STC_STOT, rs->cum_conn);
	row_u(r, STC_BIN, cnt->bytes_in);
	row_u(r, STC_BOUT, cnt->bytes_out);
	row_u(r, STC_ECON, cnt->econ);
	row_str(r, STC_STATUS, server_status(rt, s, st, sizeof(st)));
	row_u(r, STC_WEIGHT, rs->weight);
	row_u(r, STC_UWEIGHT, rs->weight);
	row_u(r, STC_ACT, !backup);
	row_u(r, STC_BCK, backup);
	if (ps->maxqueue)
		row_u(r, STC_QLIMIT, ps->maxqueue);
	row_str(r, STC_PID, "1");
	row_u(r, STC_IID, be + 1);
	row_u(r, STC_SID, s - rt->plan->proxies[be].first_server + 1);
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
	plan_server_addr(rt->plan, s, &a);
	if (a.family == PLAN_FAM_INET || a.family == PLAN_FAM_INET6)
		sock_addr_str((const struct sockaddr *)a.sa, a.salen, addr,
		              sizeof(addr));
	else
		sock_plan_addr_str(&a, addr, sizeof(addr));
	row_str(r, STC_ADDR, addr);
	row_str(r, STC_MODE, stats_mode_name(rt->plan->proxies[be].mode));
	stats_row_mptcp(r, ps->addr.proto == PLAN_PROTO_MPTCP,
	                cnt->mptcp_conn, cnt->mptcp_fallback);
	stats_row_emit(c, r);
}

static void stats_row_backend(struct stats_cli *c, struct stats_row *r,
                              const struct stats_dump *d, uint32_t be)
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

	for (uint32_t s = pp->first_server; s < pp->first_server + pp->nservers; s++) {
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
	stats_row_mptcp(r, mp, mpc, mpf);
	stats_row_emit(c, r);
}

/* Every row; a proxy's rows are read under the generation's lock, taken
 * once per proxy so that a large configuration never holds the other
 * threads up for the whole dump. */
static void stats_show_stat(struct stats_cli *c)
{
	struct runtime *rt = c->st->ops->cur;
	struct stats_dump d = { .rt = rt };
	struct stats_row *r = malloc(sizeof(*r));

	if (!r) {
		stats_printf(c, "Out of memory.\n\n");
		return;
	}
	stats_header(c);
	for (uint32_t i = 0; i < rt->plan->nproxies; i++) {
		const struct plan_proxy *pp = &rt->plan->proxies[i];

		gen_lock(rt);
		d.now_ms = stats_clock_ms();
		d.now_s = (uint32_t)(d.now_ms / 1000u);
		if (pp->cap & PLAN_CAP_FE)
			stats_row_frontend(c, r, &d, i);
		if (pp->cap & PLAN_CAP_BE) {
			for (uint32_t s = pp->first_server;
			     s < pp->first_server + pp->nservers; s++)
				stats_row_server(c, r, &d, i, s);
			stats_row_backend(c, r, &d, i);
		}
		gen_unlock(rt);
	}
	free(r);
	stats_printf(c, "\n");
}

static const char stats_help[] =
	"The following commands are valid at this level:\n"
	"  help                                    : this list\n"
	"  prompt                                  : toggle interactive mode with prompt\n"
	"  quit                                    : disconnect\n"
	"  show info                               : report information about the running process\n"
	"  show stat                               : report counters for each proxy and server (CSV)\n"
	"  show activity                           : report what each thread did\n"
	"  disable server <bk>/<srv>               : put a server in maintenance (admin)\n"
	"  enable server <bk>/<srv>                : take a server out of maintenance (admin)\n"
	"  set weight <bk>/<srv> <w>[%]            : change a server's weight (admin)\n"
	"  set server <bk>/<srv> state <st>        : ready, drain or maint (admin)\n";

/* The server named "backend/server" in word `w`, or PLAN_NONE after
 * answering why. */
static uint32_t stats_server_arg(struct stats_cli *c, const char *w)
{
	const struct runtime *rt = c->st->ops->cur;
	char be[256];
	const char *slash = w ? strchr(w, '/') : NULL;
	uint32_t s;

	if (!slash || slash == w || !slash[1] || (size_t)(slash - w) >= sizeof(be)) {
		stats_printf(c, "Require 'backend/server'.\n\n");
		return PLAN_NONE;
	}
	memcpy(be, w, (size_t)(slash - w));
	be[slash - w] = '\0';
	s = server_find(rt, be, slash + 1);
	if (s == PLAN_NONE)
		stats_printf(c, "No such server.\n\n");
	return s;
}

/* 1 when the client may change things; otherwise answers and returns 0. */
static int stats_admin(struct stats_cli *c)
{
	if (c->level >= PLAN_STATS_ADMIN)
		return 1;
	stats_printf(c, "Permission denied\n\n");
	return 0;
}

static void stats_set_state(struct stats_cli *c, uint32_t s, enum rt_srv_admin st)
{
	struct runtime *rt = c->st->ops->cur;
	int rc;

	gen_lock(rt);
	rc = server_set_admin_state(rt, s, st);
	gen_unlock(rt);
	if (rc < 0)
		stats_printf(c, "Invalid state.\n\n");
	else
		stats_printf(c, "\n");
}

static void stats_set_weight(struct stats_cli *c, uint32_t s, const char *arg)
{
	struct runtime *rt = c->st->ops->cur;
	char *end;
	unsigned long w;
	char err[160];
	int rc;

	errno = 0;
	w = arg ? strtoul(arg, &end, 10) : 0;
	if (!arg || end == arg || errno || (*end && strcmp(end, "%") != 0)) {
		stats_printf(c, "Require <weight> or <weight%%>, found '%s'.\n\n",
		             arg ? arg : "");
		return;
	}
	if (*end == '%')
		w = w * rt->plan->servers[s].weight / 100;
	if (w > 256) {
		stats_printf(c, "Absolute weight can only be between 0 and 256 inclusive.\n\n");
		return;
	}
	gen_lock(rt);
	rc = balance_set_weight(rt, s, (uint32_t)w, err, sizeof(err));
	stats_be_state(rt, rt->plan->servers[s].proxy);
	gen_unlock(rt);
	if (rc < 0)
		stats_printf(c, "%s\n\n", err);
	else
		stats_printf(c, "\n");
}

/* Run one command given as words; returns 1 for `quit`. */
static int stats_exec(struct stats_cli *c, char **w, int n)
{
	uint32_t s;

	if (n == 0)
		return 0;
	if (!strcmp(w[0], "quit"))
		return 1;
	if (!strcmp(w[0], "help")) {
		stats_printf(c, "%s\n", stats_help);
	} else if (!strcmp(w[0], "prompt")) {
		c->prompt = !c->prompt;
	} else if (n == 2 && !strcmp(w[0], "show") && !strcmp(w[1], "info")) {
		stats_show_info(c);
	} else if (n >= 2 && !strcmp(w[0], "show") && !strcmp(w[1], "stat")) {
		stats_show_stat(c);
	} else if (n == 2 && !strcmp(w[0], "show") && !strcmp(w[1], "activity")) {
		stats_show_activity(c);
	} else if (n == 3 && (!strcmp(w[0], "disable") || !strcmp(w[0], "enable")) &&
	           !strcmp(w[1], "server")) {
		if (stats_admin(c) && (s = stats_server_arg(c, w[2])) != PLAN_NONE)
			stats_set_state(c, s, w[0][0] == 'd' ? RT_ADMIN_MAINT :
			                RT_ADMIN_READY);
	} else if (n == 4 && !strcmp(w[0], "set") && !strcmp(w[1], "weight")) {
		if (stats_admin(c) && (s = stats_server_arg(c, w[2])) != PLAN_NONE)
			stats_set_weight(c, s, w[3]);
	} else if (n == 5 && !strcmp(w[0], "set") && !strcmp(w[1], "server") &&
	           !strcmp(w[3], "state")) {
		static const char *const names[] = { "ready", "maint", "drain" };
		int st = -1;

		for (int i = 0; i < 3; i++)
			if (!strcmp(w[4], names[i]))
				st = i;
		if (st < 0)
			stats_printf(c, "'set server <srv> state' expects 'ready', 'drain' and 'maint', found '%s'.\n\n",
			             w[4]);
		else if (stats_admin(c) && (s = stats_server_arg(c, w[2])) != PLAN_NONE)
			stats_set_state(c, s, (enum rt_srv_admin)st);
	} else {
		char cmd[128];
		size_t len = 0;

		for (int i = 0; i < n && len < sizeof(cmd) - 1; i++)
			len += (size_t)snprintf(cmd + len, sizeof(cmd) - len, "%s%s",
			                        i ? " " : "", w[i]);
		stats_printf(c, "Unknown command: '%s'\n%s\n", cmd, stats_help);
	}
	return 0;
}

/* Run the `;`-separated commands of one line (modified in place);
 * returns 1 when one was `quit`. */
static int stats_line(struct stats_cli *c, char *line)
{
	char *save = NULL;

	for (char *cmd = strtok_r(line, ";", &save); cmd;
	     cmd = strtok_r(NULL, ";", &save)) {
		char *w[16], *ws = NULL;
		int n = 0;

		for (char *t = strtok_r(cmd, " \t\r", &ws); t && n < 16;
		     t = strtok_r(NULL, " \t\r", &ws))
			w[n++] = t;
		if (stats_exec(c, w, n))
			return 1;
	}
	return 0;
}

/* ---- connections -------------------------------------------------------- */

static void stats_cli_close(struct stats_cli *c)
{
	struct stats *st = c->st;
	struct ev_loop *loop = st->ops->loop;

	ev_io_stop(loop, &c->rd);
	ev_io_stop(loop, &c->wr);
	ev_timer_stop(loop, &c->idle);
	close(c->fd);
	if (c->prev)
		c->prev->next = c->next;
	else
		st->clients = c->next;
	if (c->next)
		c->next->prev = c->prev;
	st->nclients--;
	c->magic = 0;
	free(c->in);
	free(c->out);
	free(c);
}

static struct stats_cli *stats_cli_of(void *data)
{
	struct stats_cli *c = data;

	if (c->magic != STATS_MAGIC) {
		log_error("internal error: stats watcher fired with magic %#x",
		          c->magic);
		abort();
	}
	return c;
}

/*
 * Answer complete lines held in c->in, one at a time: the next waits until
 * the previous answer is written. Returns -1 if the client was closed.
 */
static int stats_process(struct stats_cli *c)
{
	struct ev_loop *loop = c->st->ops->loop;

	while (!c->closing && c->outlen == 0) {
		char *nl = memchr(c->in, '\n', c->inlen);
		size_t len;
		int quit;

		if (!nl && !c->eof)
			break;
		if (!nl && c->inlen == 0) {
			c->closing = 1;
			break;
		}
		len = nl ? (size_t)(nl - c->in) : c->inlen;
		c->in[len] = '\0';          /* the '\n' or the spare byte */
		quit = stats_line(c, c->in);
		c->inlen -= nl ? len + 1 : len;
		memmove(c->in, c->in + (nl ? len + 1 : len), c->inlen);
		if (c->cut)
			stats_printf(c, "\n(answer cut at %u bytes)\n", STATS_OUT_MAX);
		if (quit || !c->prompt || (!nl && c->eof))
			c->closing = 1;
		else
			stats_printf(c, "\n> ");
	}
	if (c->outlen) {
		ev_io_stop(loop, &c->rd);
		ev_io_start(loop, &c->wr);
		return 0;
	}
	if (c->closing && c->discard && !c->eof) {
		/* Answer written: FIN, then drop what the client still sends
		 * (bounded) so that the kernel does not reset the answer. */
		(void)shutdown(c->fd, SHUT_WR);
		ev_io_start(loop, &c->rd);
		return 0;
	}
	if (c->closing) {
		stats_cli_close(c);
		return -1;
	}
	if (!c->eof)
		ev_io_start(loop, &c->rd);
	return 0;
}

static void stats_rd_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct stats_cli *c = stats_cli_of(w->data);
	ssize_t r;

	(void)revents;
	if (c->closing) {
		char drop[4096];

		r = read(c->fd, drop, sizeof(drop));
		if (r < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (r <= 0 || (size_t)r >= c->discard) {
			stats_cli_close(c);
			return;
		}
		c->discard -= (size_t)r;
		return;
	}
	if (c->inlen >= STATS_LINE_MAX - 1) {
		/* A full buffer without a line end: refuse and close. */
		ev_io_stop(loop, &c->rd);
		c->inlen = 0;
		stats_printf(c, "Command line longer than %u bytes refused.\n\n",
		             STATS_LINE_MAX - 1);
		c->closing = 1;
		c->discard = STATS_LINGER_MAX;
		(void)stats_process(c);
		return;
	}
	r = read(c->fd, c->in + c->inlen, STATS_LINE_MAX - 1 - c->inlen);
	if (r < 0) {
		if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		stats_cli_close(c);
		return;
	}
	ev_timer_again(loop, &c->idle);
	if (r == 0) {
		c->eof = 1;
		ev_io_stop(loop, &c->rd);
	}
	c->inlen += (size_t)r;
	(void)stats_process(c);
}

static void stats_wr_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct stats_cli *c = stats_cli_of(w->data);

	(void)revents;
	while (c->outlen) {
		ssize_t n = send(c->fd, c->out, c->outlen, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			stats_cli_close(c);
			return;
		}
		memmove(c->out, c->out + n, c->outlen - (size_t)n);
		c->outlen -= (size_t)n;
		ev_timer_again(loop, &c->idle);
	}
	c->cut = 0;
	ev_io_stop(loop, &c->wr);
	(void)stats_process(c);
}

static void stats_idle_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	stats_cli_close(stats_cli_of(w->data));
}

static void stats_accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct stats_lsn *l = w->data;
	struct stats *st = l->st;

	(void)revents;
	for (int n = 0; n < 16; n++) {
		struct stats_cli *c;
		int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		if (st->nclients >= STATS_MAX_CLIENTS) {
			static const char busy[] = "Too many stats connections, try again later.\n";

			(void)!send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
			close(fd);
			continue;
		}
		c = calloc(1, sizeof(*c));
		if (c)
			c->in = malloc(STATS_LINE_MAX);
		if (!c || !c->in) {
			if (c)
				free(c);
			close(fd);
			log_error("stats socket: out of memory for a connection");
			return;
		}
		c->magic = STATS_MAGIC;
		c->fd = fd;
		c->level = l->level;
		c->st = st;
		ev_io_init(&c->rd, stats_rd_cb, fd, EV_READ);
		ev_io_init(&c->wr, stats_wr_cb, fd, EV_WRITE);
		ev_init(&c->idle, stats_idle_cb);
		c->idle.repeat = STATS_IDLE_S;
		c->rd.data = c->wr.data = c->idle.data = c;
		c->next = st->clients;
		if (st->clients)
			st->clients->prev = c;
		st->clients = c;
		st->nclients++;
		ev_io_start(loop, &c->rd);
		ev_timer_again(loop, &c->idle);
	}
}

/* ---- sockets ------------------------------------------------------------ */

/* Bind and listen stats socket `ps` into `l`; unix paths are bound under
 * a temporary name, given their mode, then renamed into place (a stale
 * socket is replaced, a live one too, as HAProxy does). */
static int stats_bind(struct stats_lsn *l, const struct plan_stats_socket *ps)
{
	char name[160], why[200];
	struct sockaddr_un tmp;
	const struct sockaddr *sa = (const struct sockaddr *)ps->addr.sa;
	socklen_t salen = ps->addr.salen;
	int one = 1;

	sock_plan_addr_str(&ps->addr, name, sizeof(name));
	l->fd = sock_open(&ps->addr, why, sizeof(why));
	if (l->fd < 0) {
		log_error("stats socket %s (line %u): %s", name, ps->line, why);
		return -1;
	}
	if (ps->addr.family == PLAN_FAM_INET || ps->addr.family == PLAN_FAM_INET6)
		(void)setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ps->addr.family == PLAN_FAM_UNIX) {
		const struct sockaddr_un *un = (const struct sockaddr_un *)ps->addr.sa;
		int n;

		memset(&tmp, 0, sizeof(tmp));
		tmp.sun_family = AF_UNIX;
		n = snprintf(tmp.sun_path, sizeof(tmp.sun_path), "%s.%d.tmp",
		             un->sun_path, (int)getpid());
		if (n < 0 || (size_t)n >= sizeof(tmp.sun_path)) {
			log_error("stats socket %s (line %u): path too long for its temporary name",
			          name, ps->line);
			return -1;
		}
		unlink(tmp.sun_path);
		sa = (const struct sockaddr *)&tmp;
		salen = sizeof(tmp);
	}
	if (bind(l->fd, sa, salen) < 0) {
		log_error("stats socket %s (line %u): cannot bind: %s", name,
		          ps->line, strerror(errno));
		return -1;
	}
	if (ps->addr.family == PLAN_FAM_UNIX) {
		const struct sockaddr_un *un = (const struct sockaddr_un *)ps->addr.sa;

		if ((ps->mode && chmod(tmp.sun_path, ps->mode) < 0) ||
		    rename(tmp.sun_path, un->sun_path) < 0) {
			log_error("stats socket %s (line %u): %s", name, ps->line,
			          strerror(errno));
			unlink(tmp.sun_path);
			return -1;
		}
		snprintf(l->path, sizeof(l->path), "%s", un->sun_path);
	}
	if (listen(l->fd, 16) < 0) {
		log_error("stats socket %s (line %u): cannot listen: %s", name,
		          ps->line, strerror(errno));
		return -1;
	}
	return 0;
}

int stats_open(struct ops *ops, const struct plan *p)
{
	const struct plan_global *g = p->global;
	struct stats *st;

	if (g->nstats == 0)
		return 0;
	st = calloc(1, sizeof(*st));
	if (st)
		st->lsn = calloc(g->nstats, sizeof(*st->lsn));
	if (!st || !st->lsn) {
		free(st);
		log_error("out of memory for the stats sockets");
		return -1;
	}
	st->ops = ops;
	ops->stats = st;
	for (uint32_t i = 0; i < g->nstats; i++)
		st->lsn[i].fd = -1;
	st->nlsn = g->nstats;
	for (uint32_t i = 0; i < g->nstats; i++) {
		const struct plan_stats_socket *ps = &p->stats[g->first_stats + i];
		struct stats_lsn *l = &st->lsn[i];
		char name[160];

		l->st = st;
		l->level = ps->level;
		l->addr = ps->addr;
		if (stats_bind(l, ps) < 0)
			return -1;
		sock_plan_addr_str(&ps->addr, name, sizeof(name));
		log_info(ops->cur, "stats socket on %s, level %s", name,
		         stats_level_name[ps->level < PLAN_STATS_LEVEL_MAX ?
		                          ps->level : 0]);
	}
	return 0;
}

void stats_start(struct ops *ops)
{
	struct stats *st = ops->stats;

	if (!st)
		return;
	for (uint32_t i = 0; i < st->nlsn; i++) {
		ev_io_init(&st->lsn[i].io, stats_accept_cb, st->lsn[i].fd, EV_READ);
		st->lsn[i].io.data = &st->lsn[i];
		ev_io_start(ops->loop, &st->lsn[i].io);
	}
}

/* Close the listening sockets of `st` (unix paths removed). */
static void stats_close_lsn(struct stats *st, struct ev_loop *loop)
{
	for (uint32_t i = 0; i < st->nlsn; i++) {
		struct stats_lsn *l = &st->lsn[i];

		if (l->fd < 0)
			continue;
		if (loop)
			ev_io_stop(loop, &l->io);
		close(l->fd);
		l->fd = -1;
		if (l->path[0])
			unlink(l->path);
		l->path[0] = '\0';
	}
}

void stats_reload(struct ops *ops, const struct plan *p)
{
	const struct plan_global *g = p->global;
	struct stats *old = ops->stats;
	struct stats *st = calloc(1, sizeof(*st));
	uint32_t n = 0;

	if (st)
		st->lsn = calloc(g->nstats ? g->nstats : 1, sizeof(*st->lsn));
	if (!st || !st->lsn) {
		free(st);
		log_error("reload: out of memory for the stats sockets; keeping the old ones");
		return;
	}
	st->ops = ops;
	for (uint32_t i = 0; i < g->nstats; i++) {
		const struct plan_stats_socket *ps = &p->stats[g->first_stats + i];
		struct stats_lsn *l = &st->lsn[n];

		l->st = st;
		l->level = ps->level;
		l->addr = ps->addr;
		l->fd = -1;
		for (uint32_t j = 0; old && j < old->nlsn && l->fd < 0; j++) {
			struct stats_lsn *ol = &old->lsn[j];

			if (ol->fd < 0 || !reload_same_addr(&ol->addr, &ps->addr))
				continue;
			ev_io_stop(ops->loop, &ol->io);
			l->fd = ol->fd;
			memcpy(l->path, ol->path, sizeof(l->path));
			ol->fd = -1;
			ol->path[0] = '\0';
			if (l->path[0] && ps->mode && chmod(l->path, ps->mode) < 0)
				log_error("stats socket %s: cannot change its mode: %s",
				          l->path, strerror(errno));
		}
		if (l->fd < 0 && stats_bind(l, ps) < 0) {
			if (l->fd >= 0)
				close(l->fd);
			continue;       /* reported; the others still work */
		}
		n++;
	}
	st->nlsn = n;
	if (old) {
		/* Connected clients stay, now answered from the new plan. */
		st->clients = old->clients;
		st->nclients = old->nclients;
		for (struct stats_cli *c = st->clients; c; c = c->next)
			c->st = st;
		stats_close_lsn(old, ops->loop);
		free(old->lsn);
		free(old);
	}
	ops->stats = st;
	stats_start(ops);
}

void stats_close(struct ops *ops)
{
	struct stats *st = ops->stats;

	if (!st)
		return;
	while (st->clients)
		stats_cli_close(st->clients);
	stats_close_lsn(st, ops->loop);
	free(st->lsn);
	free(st);
	ops->stats = NULL;
}
