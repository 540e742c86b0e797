/*
 * http_conf.h: the HTTP settings one request runs under, read from the
 * plan's per-proxy HTTP table (plan_http) and combined between its
 * frontend and its backend as HAProxy combines them (see plan-t.h).
 */
#ifndef HAPC_HTTP_CONF_H
#define HAPC_HTTP_CONF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "plan.h"
#include "runtime-t.h"

/* The settings record of proxy px. */
static inline const struct plan_http *http_conf(const struct runtime *rt,
                                                uint32_t px)
{
	return &rt->plan->http[px];
}

/* The connection mode of a request through frontend fe and backend be
 * (PLAN_NONE: not chosen yet): the more closing of the two. */
static inline uint32_t http_conn_mode(const struct runtime *rt, uint32_t fe,
                                      uint32_t be)
{
	uint32_t m = http_conf(rt, fe)->conn_mode;

	if (be != PLAN_NONE && http_conf(rt, be)->conn_mode > m)
		m = http_conf(rt, be)->conn_mode;
	return m;
}

/* timeout http-request of frontend fe (ms): else timeout client. */
static inline uint32_t http_tmo_request_of(const struct runtime *rt, uint32_t fe)
{
	uint32_t ms = http_conf(rt, fe)->timeout_http_request;

	return ms ? ms : rt->plan->proxies[fe].timeout_client;
}

/* timeout http-keep-alive of frontend fe (ms): else http-request. */
static inline uint32_t http_tmo_keepalive_of(const struct runtime *rt,
                                             uint32_t fe)
{
	uint32_t ms = http_conf(rt, fe)->timeout_http_keep_alive;

	return ms ? ms : http_tmo_request_of(rt, fe);
}

/* 1 when the request target (uri_len bytes at uri) is frontend fe's
 * monitor-uri: cfgrun answers it 200 itself, before any rule. */
static inline int http_is_monitor_uri(const struct runtime *rt, uint32_t fe,
                                      const char *uri, uint32_t uri_len)
{
	const struct plan_http *h = http_conf(rt, fe);

	return h->monitor_uri.len && uri_len == h->monitor_uri.len &&
	       !memcmp(uri, plan_str_get(rt->plan, h->monitor_uri), uri_len);
}

/*
 * 0 when cfgrun runs every HTTP setting of plan p; else -1 with the
 * first proxy and setting it does not run yet in err (a plan cfgc
 * compiled for a newer cfgrun, or settings whose runtime part is still
 * missing: refused, never run without them).
 */
int http_plan_runnable(const struct plan *p, char *err, size_t len);

#endif /* HAPC_HTTP_CONF_H */
