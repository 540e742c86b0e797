/*
 * promex.c: the Prometheus exporter (promex.h).
 *
 * The rows of `show stat` are read once, under the generation's lock one
 * proxy at a time, into a table of numbers; the metrics are then written
 * metric after metric (the format wants every sample of a metric under
 * its HELP and TYPE lines) without holding any lock.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "promex.h"
#include "stats_page.h"
#include "stats_row.h"

#define PX_FE   0x1u                /* the metric exists for frontends */
#define PX_BE   0x2u                /* ... backends */
#define PX_SRV  0x4u                /* ... servers */

#define PX_NONE INT64_MIN           /* a value the object does not have */

enum px_unit {
	PX_UNIT_NUM = 0,            /* the column as it is */
	PX_UNIT_MS  = 1,            /* milliseconds shown as seconds */
};

/* One metric taken from a `show stat` column. */
struct px_metric {
	const char *name;           /* after "haproxy_<scope>_" */
	const char *help;
	const char *type;           /* "gauge" or "counter" */
	uint32_t scopes;            /* PX_FE | PX_BE | PX_SRV */
	enum stats_col col;
	enum px_unit unit;
};

static const struct px_metric px_metrics[] = {
	{ "current_sessions", "Sessions open now.", "gauge", PX_FE | PX_BE | PX_SRV, STC_SCUR, PX_UNIT_NUM },
	{ "max_sessions", "Most sessions open at once since start.", "gauge", PX_FE | PX_BE | PX_SRV, STC_SMAX, PX_UNIT_NUM },
	{ "limit_sessions", "Configured limit of sessions open at once (maxconn).", "gauge", PX_FE | PX_BE | PX_SRV, STC_SLIM, PX_UNIT_NUM },
	{ "sessions_total", "Sessions since start.", "counter", PX_FE | PX_BE | PX_SRV, STC_STOT, PX_UNIT_NUM },
	{ "max_session_rate", "Highest sessions per second seen since start.", "gauge", PX_FE | PX_BE | PX_SRV, STC_RATE_MAX, PX_UNIT_NUM },
	{ "bytes_in_total", "Bytes received from clients since start.", "counter", PX_FE | PX_BE | PX_SRV, STC_BIN, PX_UNIT_NUM },
	{ "bytes_out_total", "Bytes sent to clients since start.", "counter", PX_FE | PX_BE | PX_SRV, STC_BOUT, PX_UNIT_NUM },
	{ "connections_total", "Connections accepted since start.", "counter", PX_FE, STC_CONN_TOT, PX_UNIT_NUM },
	{ "connections_rate_max", "Highest connections per second seen since start.", "gauge", PX_FE, STC_CONN_RATE_MAX, PX_UNIT_NUM },
	{ "denied_connections_total", "Connections refused by tcp-request connection rules since start.", "counter", PX_FE, STC_DCON, PX_UNIT_NUM },
	{ "current_queue", "Connections waiting in the queue now.", "gauge", PX_BE | PX_SRV, STC_QCUR, PX_UNIT_NUM },
	{ "max_queue", "Most connections waiting in the queue at once since start.", "gauge", PX_BE | PX_SRV, STC_QMAX, PX_UNIT_NUM },
	{ "queue_limit", "Configured limit of the server's queue (maxqueue).", "gauge", PX_SRV, STC_QLIMIT, PX_UNIT_NUM },
	{ "connection_errors_total", "Failed connections to servers since start.", "counter", PX_BE | PX_SRV, STC_ECON, PX_UNIT_NUM },
	{ "connection_attempts_total", "Connection attempts to servers since start.", "counter", PX_BE | PX_SRV, STC_CONNECT, PX_UNIT_NUM },
	{ "retry_warnings_total", "Connection attempts retried on the same server since start.", "counter", PX_BE | PX_SRV, STC_WRETR, PX_UNIT_NUM },
	{ "redispatch_warnings_total", "Connection attempts sent back to the balancer since start.", "counter", PX_BE | PX_SRV, STC_WREDIS, PX_UNIT_NUM },
	{ "loadbalanced_total", "Times the balancer chose it since start.", "counter", PX_BE | PX_SRV, STC_LBTOT, PX_UNIT_NUM },
	{ "client_aborts_total", "Transfers the client aborted since start.", "counter", PX_BE | PX_SRV, STC_CLI_ABRT, PX_UNIT_NUM },
	{ "server_aborts_total", "Transfers the server aborted since start.", "counter", PX_BE | PX_SRV, STC_SRV_ABRT, PX_UNIT_NUM },
	{ "weight", "Effective weight (a backend: sum over its usable servers).", "gauge", PX_BE | PX_SRV, STC_WEIGHT, PX_UNIT_NUM },
	{ "active_servers", "Usable active servers.", "gauge", PX_BE, STC_ACT, PX_UNIT_NUM },
	{ "backup_servers", "Usable backup servers.", "gauge", PX_BE, STC_BCK, PX_UNIT_NUM },
	{ "check_failures_total", "Failed health checks since start.", "counter", PX_SRV, STC_CHKFAIL, PX_UNIT_NUM },
	{ "check_up_down_total", "Transitions from UP to DOWN since start.", "counter", PX_BE | PX_SRV, STC_CHKDOWN, PX_UNIT_NUM },
	{ "check_last_change_seconds", "Seconds since the last UP/DOWN change.", "gauge", PX_BE | PX_SRV, STC_LASTCHG, PX_UNIT_NUM },
	{ "downtime_seconds_total", "Seconds spent DOWN since start.", "counter", PX_BE | PX_SRV, STC_DOWNTIME, PX_UNIT_NUM },
	{ "last_session_seconds", "Seconds since the last session (-1: none yet).", "gauge", PX_BE | PX_SRV, STC_LASTSESS, PX_UNIT_NUM },
	{ "queue_time_average_seconds", "Average queue time over the last 1024 sessions.", "gauge", PX_BE | PX_SRV, STC_QTIME, PX_UNIT_MS },
	{ "connect_time_average_seconds", "Average connect time over the last 1024 sessions.", "gauge", PX_BE | PX_SRV, STC_CTIME, PX_UNIT_MS },
	{ "total_time_average_seconds", "Average total session time over the last 1024 sessions.", "gauge", PX_BE | PX_SRV, STC_TTIME, PX_UNIT_MS },
	{ "max_queue_time_seconds", "Longest queue time seen.", "gauge", PX_BE | PX_SRV, STC_QTIME_MAX, PX_UNIT_MS },
	{ "max_connect_time_seconds", "Longest connect time seen.", "gauge", PX_BE | PX_SRV, STC_CTIME_MAX, PX_UNIT_MS },
	{ "max_total_time_seconds", "Longest total session time seen.", "gauge", PX_BE | PX_SRV, STC_TTIME_MAX, PX_UNIT_MS },
	{ "check_duration_seconds", "Duration of the last health check.", "gauge", PX_SRV, STC_CHECK_DURATION, PX_UNIT_MS },
	{ "mptcp_connections_total", "Connections that asked for MPTCP and got it (cfgrun).", "counter", PX_FE | PX_BE | PX_SRV, STC_MPTCP_CONN, PX_UNIT_NUM },
	{ "mptcp_fallbacks_total", "Connections that asked for MPTCP and fell back to TCP (cfgrun).", "counter", PX_FE | PX_BE | PX_SRV, STC_MPTCP_FALLBACK, PX_UNIT_NUM },
};

#define PX_NMETRICS (sizeof(px_metrics) / sizeof(px_metrics[0]))

/* States of the status metrics, per kind of object. */
static const char *const px_fe_states[] = { "DOWN", "UP" };
static const char *const px_srv_states[] = { "DOWN", "UP", "MAINT", "DRAIN", "NOLB" };

/* One object's numbers, read from its row. */
struct px_obj {
	enum stats_row_kind kind;
	uint32_t proxy;             /* plan proxy index */
	uint32_t server;            /* plan server index, PLAN_NONE = none */
	uint32_t state;             /* index into px_fe_states / px_srv_states */
	int64_t v[PX_NMETRICS];     /* PX_NONE = not there */
};

/* What the collector fills. */
struct px_collect {
	struct px_obj *objs;
	size_t n, cap;
	int failed;                 /* 1: out of memory */
};

/* The state label of a row. */
static uint32_t px_state(const struct stats_row *r)
{
	const char *st = r->v[STC_STATUS] ? r->v[STC_STATUS] : "";

	if (r->kind != STATS_ROW_SERVER)
		return !strcmp(st, "UP") || !strcmp(st, "OPEN");
	if (!strncmp(st, "MAINT", 5))   /* "MAINT (resolution)" too */
		return 2;
	if (!strcmp(st, "DRAIN"))
		return 3;
	return strncmp(st, "DOWN", 4) != 0;     /* "UP", "UP 1/3", "no check" */
}

static void px_collect_row(void *arg, const struct stats_row *r)
{
	struct px_collect *pc = arg;
	struct px_obj *o;

	if (pc->failed)
		return;
	if (pc->n == pc->cap) {
		size_t cap = pc->cap ? pc->cap * 2 : 64;
		struct px_obj *no = realloc(pc->objs, cap * sizeof(*no));

		if (!no) {
			pc->failed = 1;
			return;
		}
		pc->objs = no;
		pc->cap = cap;
	}
	o = &pc->objs[pc->n++];
	o->kind = r->kind;
	o->proxy = r->proxy;
	o->server = r->server;
	o->state = px_state(r);
	for (size_t m = 0; m < PX_NMETRICS; m++) {
		const char *v = r->v[px_metrics[m].col];

		o->v[m] = v && v[0] ? strtoll(v, NULL, 10) : PX_NONE;
	}
}

/* A label value with backslash, double quote and line feed escaped. */
static void px_label(struct stats_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			stats_buf_puts(b, "\\\\");
		else if (*s == '"')
			stats_buf_puts(b, "\\\"");
		else if (*s == '\n')
			stats_buf_puts(b, "\\n");
		else
			stats_buf_write(b, s, 1);
	}
}

/* `name{proxy="..."[,server="..."]` without the closing brace. */
static void px_labels(struct stats_buf *b, const struct plan *p,
                      const char *name, const struct px_obj *o)
{
	stats_buf_printf(b, "%s{proxy=\"", name);
	px_label(b, plan_str_get(p, p->proxies[o->proxy].name));
	stats_buf_puts(b, "\"");
	if (o->server != PLAN_NONE) {
		stats_buf_puts(b, ",server=\"");
		px_label(b, plan_str_get(p, p->servers[o->server].name));
		stats_buf_puts(b, "\"");
	}
}

static void px_value(struct stats_buf *b, int64_t v, enum px_unit unit)
{
	if (v == PX_NONE)
		stats_buf_puts(b, " NaN\n");
	else if (unit == PX_UNIT_MS)
		stats_buf_printf(b, " %lld.%03lld\n", (long long)(v / 1000),
		                 (long long)(v % 1000 < 0 ? -(v % 1000) : v % 1000));
	else
		stats_buf_printf(b, " %lld\n", (long long)v);
}

/* Every metric of objects of `kind` ("frontend", ...). */
static void px_scope(struct stats_buf *b, const struct plan *p,
                     const struct px_collect *pc, enum stats_row_kind kind,
                     const char *scope, uint32_t bit)
{
	char name[128];
	int any = 0;
	const char *const *states = kind == STATS_ROW_SERVER ? px_srv_states :
	                            px_fe_states;
	size_t nstates = kind == STATS_ROW_SERVER ? 5 : 2;

	for (size_t i = 0; i < pc->n && !any; i++)
		any = pc->objs[i].kind == kind;
	if (!any)
		return;
	snprintf(name, sizeof(name), "haproxy_%s_status", scope);
	stats_buf_printf(b, "# HELP %s State now: 1 for the state it is in, 0 for the others.\n"
	                 "# TYPE %s gauge\n", name, name);
	for (size_t i = 0; i < pc->n; i++) {
		const struct px_obj *o = &pc->objs[i];

		if (o->kind != kind)
			continue;
		for (size_t s = 0; s < nstates; s++) {
			px_labels(b, p, name, o);
			stats_buf_printf(b, ",state=\"%s\"} %d\n", states[s],
			                 o->state == s);
		}
	}
	for (size_t m = 0; m < PX_NMETRICS; m++) {
		const struct px_metric *pm = &px_metrics[m];

		if (!(pm->scopes & bit))
			continue;
		snprintf(name, sizeof(name), "haproxy_%s_%s", scope, pm->name);
		stats_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, pm->help,
		                 name, pm->type);
		for (size_t i = 0; i < pc->n; i++) {
			const struct px_obj *o = &pc->objs[i];

			if (o->kind != kind)
				continue;
			px_labels(b, p, name, o);
			stats_buf_puts(b, "}");
			px_value(b, o->v[m], pm->unit);
		}
	}
}

/* One process metric. */
static void px_proc(struct stats_buf *b, const char *name, const char *help,
                    const char *type, unsigned long long v)
{
	stats_buf_printf(b, "# HELP haproxy_process_%s %s\n# TYPE haproxy_process_%s %s\n"
	                 "haproxy_process_%s %llu\n", name, help, name, type, name, v);
}

static void px_process(struct stats_buf *b, const struct stats_page_proc *pr)
{
	stats_buf_printf(b, "# HELP haproxy_process_build_info Version of the program serving.\n"
	                 "# TYPE haproxy_process_build_info gauge\n"
	                 "haproxy_process_build_info{version=\"%s\"} 1\n", PACKAGE_VERSION);
	px_proc(b, "nbthread", "Threads serving.", "gauge", pr->nthreads);
	px_proc(b, "nbproc", "Processes serving.", "gauge", 1);
	px_proc(b, "relative_process_id", "Number of this process.", "gauge", 1);
	px_proc(b, "uptime_seconds", "Seconds since the process started.", "gauge",
	        pr->uptime_s);
	px_proc(b, "start_time_seconds", "Wall clock time the process started, seconds since the epoch.",
	        "gauge", (unsigned long long)pr->start_time);
	px_proc(b, "max_connections", "Global maxconn.", "gauge", pr->maxconn);
	px_proc(b, "hard_max_connections", "Hard limit of connections (global maxconn).",
	        "gauge", pr->maxconn);
	px_proc(b, "current_connections", "Connections open now.", "gauge", pr->actconn);
	px_proc(b, "connections_total", "Connections accepted since start.", "counter",
	        pr->cum_conn);
	px_proc(b, "stopping", "1 while a soft stop is under way.", "gauge",
	        (unsigned long long)pr->stopping);
	px_proc(b, "dropped_logs_total", "Log lines dropped since start.", "counter",
	        pr->log_dropped);
}

int promex_serve(const struct ops *ops, struct runtime *rt,
                 const struct stats_page_req *rq, struct stats_page_out *out)
{
	static const struct {
		const char *name;
		uint32_t bit;
		enum stats_row_kind kind;
	} scopes[] = {
		{ "frontend", PX_FE, STATS_ROW_FRONTEND },
		{ "backend", PX_BE, STATS_ROW_BACKEND },
		{ "server", PX_SRV, STATS_ROW_SERVER },
	};
	const char *q = rq->query ? rq->query : "";
	size_t len = rq->query ? rq->query_len : 0, pos = 0;
	char key[64], val[64];
	uint32_t want = 0;          /* PX_* bits, 0x8 = global */
	struct stats_filter f = { .proxy = PLAN_NONE };
	int no_maint = 0;
	struct stats_page_proc pr;
	struct px_collect pc = { 0 };
	struct stats_buf b;

	memset(out, 0, sizeof(*out));
	if (len && q[0] == '?') {
		q++;
		len--;
	}
	while (stats_page_next_param(q, len, '&', &pos, key, sizeof(key), val,
	                             sizeof(val))) {
		if (!strcmp(key, "no-maint"))
			no_maint = 1;
		else if (strcmp(key, "scope") != 0)
			continue;
		else if (!strcmp(val, "global"))
			want |= 0x8u;
		else if (!strcmp(val, "*"))
			want |= 0xfu;
		for (size_t i = 0; i < 3; i++)
			if (!strcmp(key, "scope") && !strcmp(val, scopes[i].name))
				want |= scopes[i].bit;
	}
	if (!want)
		want = 0xfu;
	stats_page_proc_get(ops, rt, &pr);
	stats_rows_each(rt, pr.stopping, &f, px_collect_row, &pc);
	stats_buf_init(&b, STATS_PAGE_BODY_MAX);
	if (pc.failed)
		b.cut = 1;
	if (want & 0x8u)
		px_process(&b, &pr);
	if (no_maint) {
		/* servers in maintenance out, as HAProxy's no-maint */
		size_t k = 0;

		for (size_t i = 0; i < pc.n; i++)
			if (pc.objs[i].kind != STATS_ROW_SERVER || pc.objs[i].state != 2)
				pc.objs[k++] = pc.objs[i];
		pc.n = k;
	}
	for (size_t i = 0; i < 3; i++)
		if (want & scopes[i].bit)
			px_scope(&b, rt->plan, &pc, scopes[i].kind, scopes[i].name,
			         scopes[i].bit);
	free(pc.objs);
	return stats_page_finish(out, 200, "text/plain; version=0.0.4", &b);
}
