/*
 * promex.h: the Prometheus exporter (HAProxy's `http-request use-service
 * prometheus-exporter`) as a renderer the HTTP engine calls.
 *
 * The text exposition format (version 0.0.4): per metric a "# HELP" and a
 * "# TYPE" line, then one sample per object. Names are HAProxy's promex
 * ones for the counters cfgrun has: haproxy_process_*, haproxy_frontend_*,
 * haproxy_backend_*, haproxy_server_*, labelled proxy="NAME" and
 * server="NAME" (label values escaped: backslash, double quote, line
 * feed), plus ours for MPTCP (*_mptcp_connections_total,
 * *_mptcp_fallbacks_total). A value the object does not have (an
 * unchecked server's check counters) is NaN, as HAProxy prints it. The
 * numbers are those of `show stat` (stats_row.c).
 *
 * "?scope=global|frontend|backend|server" (repeatable) keeps those
 * groups (all without one); "?no-maint" leaves out servers in
 * maintenance. Threads: as stats_page_serve().
 */
#ifndef HAPC_PROMEX_H
#define HAPC_PROMEX_H

#include "ops-t.h"
#include "runtime-t.h"
#include "stats_page-t.h"

/*
 * The metrics of generation `rt` and process `ops` (NULL: tests) into
 * `out` (200, "text/plain; version=0.0.4"; body malloc'd, at most
 * STATS_PAGE_BODY_MAX bytes). `rq->query` is the request's query string
 * (after '?', or with it). Returns 0, or -1 with a 500 answer in `out`.
 */
int promex_serve(const struct ops *ops, struct runtime *rt,
                 const struct stats_page_req *rq, struct stats_page_out *out);

#endif /* HAPC_PROMEX_H */
