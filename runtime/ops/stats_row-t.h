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
 * The columns of `show stat`: HAProxy 2.6's, in its order: its general
 * ones, then its "ssl" module's (the CSV writes HAProxy's "-" column
 * between the two: STATS_CSV_MODULES_AFTER), then ours for MPTCP. Each
 * with the value type and the origin/nature/scope letters HAProxy 2.6's
 * `typed` and `json` forms give it (stats_typed.c); "SGP,MGP" is a
 * column HAProxy tags differently on backend rows (the second).
 */
#define STATS_COLUMNS(X) \
	X(PXNAME, pxname, STR, "KNS") \
	X(SVNAME, svname, STR, "KNS") \
	X(QCUR, qcur, U32, "MGP") \
	X(QMAX, qmax, U32, "MMP") \
	X(SCUR, scur, U32, "MGP") \
	X(SMAX, smax, U32, "MMP") \
	X(SLIM, slim, U32, "CLP") \
	X(STOT, stot, U64, "MCP") \
	X(BIN, bin, U64, "MCP") \
	X(BOUT, bout, U64, "MCP") \
	X(DREQ, dreq, U64, "MCP") \
	X(DRESP, dresp, U64, "MCP") \
	X(EREQ, ereq, U64, "MCP") \
	X(ECON, econ, U64, "MCP") \
	X(ERESP, eresp, U64, "MCP") \
	X(WRETR, wretr, U64, "MCP") \
	X(WREDIS, wredis, U64, "MCP") \
	X(STATUS, status, STR, "SGP") \
	X(WEIGHT, weight, U32, "MaP") \
	X(ACT, act, U32, "SGP,MGP") \
	X(BCK, bck, U32, "SGP,MGP") \
	X(CHKFAIL, chkfail, U64, "MCP") \
	X(CHKDOWN, chkdown, U64, "MCP") \
	X(LASTCHG, lastchg, U32, "MAP") \
	X(DOWNTIME, downtime, U32, "MCP") \
	X(QLIMIT, qlimit, U32, "CGS") \
	X(PID, pid, U32, "KGP") \
	X(IID, iid, U32, "KGS") \
	X(SID, sid, U32, "KGS") \
	X(THROTTLE, throttle, U32, "MaP") \
	X(LBTOT, lbtot, U64, "MCP") \
	X(TRACKED, tracked, STR, "CNS") \
	X(TYPE, type, U32, "CGS") \
	X(RATE, rate, U32, "MRP,MGP") \
	X(RATE_LIM, rate_lim, U32, "CLP") \
	X(RATE_MAX, rate_max, U32, "MMP,MGP") \
	X(CHECK_STATUS, check_status, STR, "MOP") \
	X(CHECK_CODE, check_code, U32, "MOP") \
	X(CHECK_DURATION, check_duration, U64, "MDP") \
	X(HRSP_1XX, hrsp_1xx, U64, "MCP") \
	X(HRSP_2XX, hrsp_2xx, U64, "MCP") \
	X(HRSP_3XX, hrsp_3xx, U64, "MCP") \
	X(HRSP_4XX, hrsp_4xx, U64, "MCP") \
	X(HRSP_5XX, hrsp_5xx, U64, "MCP") \
	X(HRSP_OTHER, hrsp_other, U64, "MCP") \
	X(HANAFAIL, hanafail, U64, "MCP") \
	X(REQ_RATE, req_rate, U32, "MRP") \
	X(REQ_RATE_MAX, req_rate_max, U32, "MMP") \
	X(REQ_TOT, req_tot, U64, "MCP") \
	X(CLI_ABRT, cli_abrt, U64, "MCP") \
	X(SRV_ABRT, srv_abrt, U64, "MCP") \
	X(COMP_IN, comp_in, U64, "MCP") \
	X(COMP_OUT, comp_out, U64, "MCP") \
	X(COMP_BYP, comp_byp, U64, "MCP") \
	X(COMP_RSP, comp_rsp, U64, "MCP") \
	X(LASTSESS, lastsess, S32, "MAP") \
	X(LAST_CHK, last_chk, STR, "MOP") \
	X(LAST_AGT, last_agt, STR, "MOP") \
	X(QTIME, qtime, U32, "MaP") \
	X(CTIME, ctime, U32, "MaP") \
	X(RTIME, rtime, U32, "MaP") \
	X(TTIME, ttime, U32, "MaP") \
	X(AGENT_STATUS, agent_status, STR, "MOP") \
	X(AGENT_CODE, agent_code, U32, "MOP") \
	X(AGENT_DURATION, agent_duration, U64, "MDP") \
	X(CHECK_DESC, check_desc, STR, "MOP") \
	X(AGENT_DESC, agent_desc, STR, "MOP") \
	X(CHECK_RISE, check_rise, U32, "CGS") \
	X(CHECK_FALL, check_fall, U32, "CGS") \
	X(CHECK_HEALTH, check_health, U32, "CGS") \
	X(AGENT_RISE, agent_rise, U32, "CGS") \
	X(AGENT_FALL, agent_fall, U32, "CGS") \
	X(AGENT_HEALTH, agent_health, U32, "CGS") \
	X(ADDR, addr, STR, "CGS") \
	X(COOKIE, cookie, STR, "CNS") \
	X(MODE, mode, STR, "CGS") \
	X(ALGO, algo, STR, "CGS") \
	X(CONN_RATE, conn_rate, U32, "MRP") \
	X(CONN_RATE_MAX, conn_rate_max, U32, "MMP") \
	X(CONN_TOT, conn_tot, U64, "MCP") \
	X(INTERCEPTED, intercepted, U64, "MCP") \
	X(DCON, dcon, U64, "MCP") \
	X(DSES, dses, U64, "MCP") \
	X(WREW, wrew, U64, "MCP") \
	X(CONNECT, connect, U64, "MCP") \
	X(REUSE, reuse, U64, "MCP") \
	X(CACHE_LOOKUPS, cache_lookups, U64, "MCP") \
	X(CACHE_HITS, cache_hits, U64, "MCP") \
	X(SRV_ICUR, srv_icur, U32, "MGP") \
	X(SRC_ILIM, src_ilim, U32, "CLP") \
	X(QTIME_MAX, qtime_max, U32, "MMP") \
	X(CTIME_MAX, ctime_max, U32, "MMP") \
	X(RTIME_MAX, rtime_max, U32, "MMP") \
	X(TTIME_MAX, ttime_max, U32, "MMP") \
	X(EINT, eint, U64, "MCP") \
	X(IDLE_CONN_CUR, idle_conn_cur, U32, "MGP") \
	X(SAFE_CONN_CUR, safe_conn_cur, U32, "MGP") \
	X(USED_CONN_CUR, used_conn_cur, U32, "MGP") \
	X(NEED_CONN_EST, need_conn_est, U32, "MGP") \
	X(UWEIGHT, uweight, U32, "MaP") \
	X(AGG_SERVER_STATUS, agg_server_status, U32, "MGP") \
	X(AGG_SERVER_CHECK_STATUS, agg_server_check_status, U32, "MGP") \
	X(AGG_CHECK_STATUS, agg_check_status, U32, "MGP") \
	X(SSL_SESS, ssl_sess, U64, "MCP") \
	X(SSL_REUSED_SESS, ssl_reused_sess, U64, "MCP") \
	X(SSL_FAILED_HANDSHAKE, ssl_failed_handshake, U64, "MCP") \
	X(MPTCP_CONN, mptcp_conn, U64, "MCP") \
	X(MPTCP_FALLBACK, mptcp_fallback, U64, "MCP")

/* HAProxy's CSV (not its typed forms) has a column named "-" after its
 * last general column, before the module columns: after this one. */
#define STATS_CSV_MODULES_AFTER STC_AGG_CHECK_STATUS

#define STATS_COL_ENUM(id, name, type, tags) STC_##id,

enum stats_col {
	STATS_COLUMNS(STATS_COL_ENUM)
	STC_MAX
};

/* The value types of the typed forms (HAProxy's u32, u64, s32, str). */
enum stats_type {
	STATS_T_STR = 0,
	STATS_T_U32 = 1,
	STATS_T_U64 = 2,
	STATS_T_S32 = 3,
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
