/*
 * stats_info.c: `show info` [typed|json]: the process's fields, once in
 * a table, laid out as "Name: value" lines or in HAProxy 2.6's typed
 * forms (stats_typed.c).
 */
#include "config.h"

#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "log.h"
#include "plan.h"
#include "ratelimit.h"
#include "reload.h"
#include "runtime-t.h"
#include "stats_info.h"
#include "stats_row.h"
#include "tls_server.h"
#include "tls_stats.h"

#define STATS_INFO_MAX 48u          /* fields of show info */

/* The fields being filled: their texts live in `num`. */
struct stats_info {
	struct stats_field f[STATS_INFO_MAX];
	char num[STATS_INFO_MAX][STATS_NUM_LEN];
	uint32_t n;
};

static void info_str(struct stats_info *in, const char *name, uint32_t pos,
                     const char *tags, const char *v)
{
	in->f[in->n++] = (struct stats_field){ .name = name, .pos = pos,
		.type = STATS_T_STR, .tags = tags, .value = v };
}

static void info_u(struct stats_info *in, const char *name, uint32_t pos,
                   enum stats_type type, const char *tags, uint64_t v)
{
	snprintf(in->num[in->n], STATS_NUM_LEN, "%llu", (unsigned long long)v);
	in->f[in->n] = (struct stats_field){ .name = name, .pos = pos,
		.type = type, .tags = tags, .value = in->num[in->n] };
	in->n++;
}

void stats_info_dump(struct stats_buf *b, struct ops *ops,
                     enum stats_form form)
{
	const struct runtime *rt = ops->cur;
	double now = ev_time();
	uint64_t up = now > ops->start_time ? (uint64_t)(now - ops->start_time) : 0;
	const char *desc = plan_str_get(rt->plan, rt->plan->global->description);
	struct stats_info in = { .n = 0 };
	struct rlimit rl;
	char hex[65], uptime[48], pid[16];
	uint64_t tls[3];
	struct tls_global tg;
	uint32_t rate[2], rate_max[2];

	rate[0] = ratelimit_rate(RATELIMIT_CONN, &rate_max[0]);
	rate[1] = ratelimit_rate(RATELIMIT_SESS, &rate_max[1]);
	plan_digest_hex(rt->plan->hdr->digest, hex);
	tls_server_counts(rt, tls);
	tls_global_read(&tg);
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		rl.rlim_cur = 0;
	snprintf(uptime, sizeof(uptime), "%llud %uh%02um%02us",
	         (unsigned long long)(up / 86400), (unsigned)(up / 3600 % 24),
	         (unsigned)(up / 60 % 60), (unsigned)(up % 60));
	snprintf(pid, sizeof(pid), "%d", (int)getpid());

	/* HAProxy 2.6's fields at its positions, tagged as it tags them */
	info_str(&in, "Name", 0, "POS", "cfgrun");
	info_str(&in, "Version", 1, "POS", PACKAGE_VERSION);
	info_u(&in, "Nbthread", 3, STATS_T_U32, "CGS", ops->nthreads);
	info_u(&in, "Nbproc", 4, STATS_T_U32, "CGS", 1);
	info_u(&in, "Process_num", 5, STATS_T_U32, "KGP", 1);
	info_str(&in, "Pid", 6, "SGP", pid);
	in.f[in.n - 1].type = STATS_T_U32;
	/* global `description` (one line, the verifier checked it); HAProxy
	 * leaves it out of the typed forms when there is none */
	if (form == STATS_FORM_PLAIN || *desc)
		info_str(&in, "description", 51, "COS", desc);
	info_str(&in, "Uptime", 7, "MDP", uptime);
	info_u(&in, "Uptime_sec", 8, STATS_T_U32, "MDP", up);
	info_u(&in, "Ulimit-n", 13, STATS_T_U32, "CLP", rl.rlim_cur);
	info_u(&in, "Maxconn", 15, STATS_T_U32, "CLP", rt->maxconn);
	info_u(&in, "Hard_maxconn", 16, STATS_T_U32, "CLP", rt->maxconn);
	info_u(&in, "CurrConns", 17, STATS_T_U32, "MGP", reload_actconn(ops));
	info_u(&in, "CumConns", 18, STATS_T_U32, "MCP", reload_cum_conn(ops));
	info_u(&in, "CurrSslConns", 21, STATS_T_U32, "MGP", tg.conns_cur);
	info_u(&in, "CumSslConns", 22, STATS_T_U32, "MCP", tg.conns_cum);
	info_u(&in, "ConnRate", 26, STATS_T_U32, "MRP", rate[0]);
	info_u(&in, "ConnRateLimit", 27, STATS_T_U32, "CLP",
	       ratelimit_limit(RATELIMIT_CONN));
	info_u(&in, "MaxConnRate", 28, STATS_T_U32, "MMP", rate_max[0]);
	info_u(&in, "SessRate", 29, STATS_T_U32, "MRP", rate[1]);
	info_u(&in, "SessRateLimit", 30, STATS_T_U32, "CLP",
	       ratelimit_limit(RATELIMIT_SESS));
	info_u(&in, "MaxSessRate", 31, STATS_T_U32, "MRP", rate_max[1]);
	info_u(&in, "SslRate", 32, STATS_T_U32, "MRP", tg.rate);
	info_u(&in, "MaxSslRate", 34, STATS_T_U32, "MMP", tg.rate_max);
	info_u(&in, "SslFrontendKeyRate", 35, STATS_T_U32, "MGP", tg.fe_key_rate);
	info_u(&in, "SslFrontendMaxKeyRate", 36, STATS_T_U32, "MMP",
	       tg.fe_key_max);
	info_u(&in, "SslFrontendSessionReuse_pct", 37, STATS_T_U32, "MGP",
	       tg.reuse_pct);
	info_u(&in, "SslBackendKeyRate", 38, STATS_T_U32, "MRP", tg.be_key_rate);
	info_u(&in, "SslBackendMaxKeyRate", 39, STATS_T_U32, "MMP",
	       tg.be_key_max);
	info_u(&in, "Stopping", 52, STATS_T_U32, "MGP", (uint64_t)ops->stopping);
	/* ours, from position 100 on */
	info_str(&in, "Plan_digest", 100, "COS", hex);
	info_u(&in, "Plan_generation", 101, STATS_T_U32, "MCP", rt->generation);
	info_u(&in, "Reloads", 102, STATS_T_U64, "MCP", ops->reloads);
	info_u(&in, "Reload_failures", 103, STATS_T_U64, "MCP",
	       ops->reload_failures);
	info_u(&in, "Log_dropped", 104, STATS_T_U64, "MCP", log_dropped());
	info_u(&in, "SslBackendFullHandshakes", 105, STATS_T_U64, "MCP", tls[0]);
	info_u(&in, "SslBackendResumedHandshakes", 106, STATS_T_U64, "MCP",
	       tls[1]);
	info_u(&in, "SslBackendFailedHandshakes", 107, STATS_T_U64, "MCP",
	       tls[2]);

	if (form == STATS_FORM_PLAIN) {
		for (uint32_t i = 0; i < in.n; i++)
			stats_buf_printf(b, "%s: %s\n", in.f[i].name, in.f[i].value);
	} else {
		stats_typed_info(b, form, in.f, in.n);
	}
	stats_buf_write(b, "\n", 1);
}
