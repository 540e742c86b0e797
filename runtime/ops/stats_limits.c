/*
 * stats_limits.c: `set maxconn server` and `set rate-limit`
 * (stats_limits.h).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "queue.h"
#include "ratelimit.h"
#include "stats_limits.h"
#include "thread.h"

void stats_set_srv_maxconn(struct runtime *rt, struct stats_buf *out,
                           uint32_t srv, const char *arg)
{
	char *end;
	long v;

	if (!*arg) {
		stats_buf_printf(out, "Require <maxconn>.\n\n");
		return;
	}
	errno = 0;
	v = strtol(arg, &end, 10);
	if (end == arg) {
		stats_buf_printf(out, "maxconn string empty or preceded by garbage\n");
		return;
	}
	if (*end) {
		stats_buf_printf(out, "Trailing garbage in maxconn string\n");
		return;
	}
	if (errno || v < 0 || v > INT32_MAX) {
		/* HAProxy stores a negative value and then limits nothing
		 * sensible; cfgrun refuses it */
		stats_buf_printf(out, "Value out of range.\n\n");
		return;
	}
	gen_lock(rt);
	rt->servers[srv].maxconn = (uint32_t)v;
	/* a higher limit (or none) lets waiting streams in now */
	(void)queue_wake(rt, srv);
	gen_unlock(rt);
	stats_buf_printf(out, "\n");
}

void stats_set_rate_limit(struct stats_buf *out, char **w, int n)
{
	enum ratelimit_kind k;
	const char *a = n > 4 ? w[4] : "";
	long v;

	if (n > 3 && !strcmp(w[3], "global") && !strcmp(w[2], "connections")) {
		k = RATELIMIT_CONN;
	} else if (n > 3 && !strcmp(w[3], "global") && !strcmp(w[2], "sessions")) {
		k = RATELIMIT_SESS;
	} else if (n > 3 && !strcmp(w[3], "global") &&
	           (!strcmp(w[2], "ssl-sessions") ||
	            !strcmp(w[2], "http-compression"))) {
		stats_buf_printf(out, "'set rate-limit %s global' is not supported by cfgrun.\n\n",
		                 w[2]);
		return;
	} else {
		stats_buf_printf(out, "'set rate-limit' only supports :\n"
		                 "   - 'connections global' to set the per-process maximum connection rate\n"
		                 "   - 'sessions global' to set the per-process maximum session rate\n\n");
		return;
	}
	if (!*a) {
		stats_buf_printf(out, "Expects an integer value.\n\n");
		return;
	}
	/* atoi() as HAProxy: the leading digits, 0 without any */
	v = strtol(a, NULL, 10);
	if (v < 0 || v > INT32_MAX) {
		stats_buf_printf(out, "Value out of range.\n\n");
		return;
	}
	ratelimit_set(k, (uint32_t)v);
	stats_buf_printf(out, "\n");
}
