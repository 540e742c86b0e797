/*
 * http_conf.c: what of a plan's HTTP settings cfgrun runs.
 */
#include "config.h"

#include <stdio.h>

#include "http_conf.h"
#include "http_txn-t.h"
#include "stream-t.h"

int http_plan_runnable(const struct plan *p, char *err, size_t len)
{
	const struct plan_global *g = p->global;

	/* Buffers are STREAM_BUFSZ bytes, a request keeps HTTP_MAXREWRITE
	 * bytes for rewrites and room for HTTP_MAX_HDRS header lines. */
	if (plan_tune_bufsize(g) != STREAM_BUFSZ ||
	    plan_tune_maxrewrite(g) > HTTP_MAXREWRITE ||
	    plan_tune_http_maxhdr(g) > HTTP_MAX_HDRS) {
		snprintf(err, len, "tune.bufsize %u, tune.maxrewrite %u, "
		         "tune.http.maxhdr %u: this cfgrun runs buffers of %u bytes "
		         "with at most %u bytes for rewrites and %u header lines; "
		         "refusing the plan rather than running it with others",
		         plan_tune_bufsize(g), plan_tune_maxrewrite(g),
		         plan_tune_http_maxhdr(g), STREAM_BUFSZ, HTTP_MAXREWRITE,
		         HTTP_MAX_HDRS);
		return -1;
	}
	for (uint32_t i = 0; i < p->nproxies; i++) {
		const struct plan_http *h = &p->http[i];
		const char *what = NULL;

		if (h->flags & PLAN_HTTP_F_HTTPLOG_CLF)
			what = "option httplog clf";
		else if (h->errorfile_deferred)
			what = "errorfile read at start (--hermetic)";
		if (what) {
			snprintf(err, len, "proxy '%s': '%s' is compiled by cfgc but "
			         "not run by this cfgrun yet; refusing the plan "
			         "rather than running it without",
			         plan_str_get(p, p->proxies[i].name), what);
			return -1;
		}
	}
	return 0;
}
