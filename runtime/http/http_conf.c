/*
 * http_conf.c: what of a plan's HTTP settings cfgrun runs.
 */
#include "config.h"

#include <stdio.h>

#include "http_conf.h"

int http_plan_runnable(const struct plan *p, char *err, size_t len)
{
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
