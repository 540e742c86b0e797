/*
 * stats_row-t.h: one row of `show stat` (a frontend, a server or a
 * backend) as text, shared by the stats socket, the HTTP stats page and
 * the Prometheus exporter so that all three show the same numbers.
 */
#ifndef HAPC_STATS_ROW_T_H
#define HAPC_STATS_ROW_T_H

#include <stddef.h>
#include <stdint.h>

struct runtime;

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

enum stats_col {
	STATS_COLUMNS(STATS_COL_ENUM)
	STC_MAX
};

#define STATS_NUM_LEN 24            /* bytes of a number's digits */

/* What a row stands for (HAProxy's `type` column: 0, 1, 2). */
enum stats_row_kind {
	STATS_ROW_FRONTEND = 0,
	STATS_ROW_BACKEND  = 1,
	STATS_ROW_SERVER   = 2,
};

/* One row being filled: each column's text, NULL = empty. The texts
 * point into the row itself, into the plan, or into the generation's
 * running state (check details): read a row under the generation's lock
 * it was filled under. */
struct stats_row {
	const char *v[STC_MAX];
	char num[STC_MAX][STATS_NUM_LEN]; /* digits of numeric columns */
	char status[32];            /* server status text */
	char addr[160];             /* server address text */
	enum stats_row_kind kind;
	uint32_t proxy;             /* plan proxy index */
	uint32_t server;            /* plan server index, PLAN_NONE = none */
};

/* What every row of one dump shares. */
struct stats_dump {
	const struct runtime *rt;
	uint64_t now_ms;            /* stats clock */
	uint32_t now_s;             /* stats clock, seconds */
	int stopping;               /* 1: soft stop (frontends say STOP) */
};

/* Which rows a dump keeps. All zero but `proxy` keeps every row. */
struct stats_filter {
	uint32_t proxy;             /* only this plan proxy, PLAN_NONE = all */
	int hide_down;              /* 1: no row for a server DOWN or in MAINT */
	int hide_maint;             /* 1: no row for a server in MAINT */
	uint32_t types;             /* 1 << enum stats_row_kind of the rows
	                               kept (HAProxy's 1 FE, 2 BE, 4 SRV),
	                               0 = all */
	uint32_t sid;               /* only the server at this position in its
	                               backend, 1-based; 0 = all */
	const char *scopes;         /* `stats scope`: "NAME\n" entries, the
	                               only proxies kept ("." = `self`);
	                               NULL = all */
	uint32_t self;              /* the proxy serving the page */
};

/* Where a dump resumes (stats_rows_step()). */
enum stats_cursor_at {
	STATS_AT_FRONTEND = 0,      /* the frontend row of proxy `px` */
	STATS_AT_SERVER   = 1,      /* server `srv` of proxy `px` */
	STATS_AT_BACKEND  = 2,      /* the backend row of proxy `px` */
	STATS_AT_DONE     = 3,      /* every row given */
};

struct stats_cursor {
	uint32_t px;                /* plan proxy index */
	uint32_t srv;               /* plan server index (STATS_AT_SERVER) */
	enum stats_cursor_at at;
};

/* Text growing in memory up to `max` bytes; past it (or out of memory)
 * the rest is dropped and `cut` says so. */
struct stats_buf {
	char *data;                 /* malloc'd, NULL until the first byte */
	size_t len;                 /* bytes written */
	size_t cap;                 /* bytes allocated */
	size_t max;                 /* bytes at most (terminator included) */
	int cut;                    /* 1: something was dropped */
};

#endif /* HAPC_STATS_ROW_T_H */
