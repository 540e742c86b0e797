/*
 * http_log.c: the log line of one HTTP request.
 *
 * The frontend's log-format when it has one, else HAProxy's httplog
 *
 *   %ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc
 *   %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r
 *
 * (both rendered by http_logfmt.c) followed, as cfgrun's tcplog lines
 * are, by " mptcp=c/s" when a side asked for MPTCP and the error detail
 * in parentheses.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "http_cookie.h"
#include "http_log.h"
#include "http_logfmt.h"
#include "stream-t.h"

size_t http_log_line(const struct stream *s, const char mp_mark[2],
                     char *line, size_t size)
{
	int custom, n;
	size_t len = http_logfmt_line(s, line, size, &custom);
	char mp[16] = "";

	if (custom || size < 2)
		return len;
	if (mp_mark[STREAM_CLI] != '-' || mp_mark[STREAM_SRV] != '-')
		snprintf(mp, sizeof(mp), " mptcp=%c/%c", mp_mark[STREAM_CLI],
		         mp_mark[STREAM_SRV]);
	n = snprintf(line + len, size - len, "%s%s%s%s", mp,
	             s->why ? " (" : "", s->why ? s->why : "", s->why ? ")" : "");
	if (n < 0)
		return len;
	len += (size_t)n;
	return len < size - 1 ? len : size - 2;
}
