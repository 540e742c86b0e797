/*
 * http_log.c: the httplog line of one HTTP request.
 *
 *   %ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc
 *   %ac/%fc/%bc/%sc/%rc %sq/%bq %{+Q}r
 *
 * as HAProxy writes it (no capture blocks when nothing is captured), then,
 * as cfgrun's tcplog lines do, " mptcp=c/s" when a side asked for MPTCP
 * and the error detail in parentheses.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "http_cookie.h"
#include "http_log.h"
#include "http_txn-t.h"
#include "log.h"
#include "stream-t.h"
#include "thread-t.h"

/* ms from `from` to `to` (ev_now() seconds), -1 when `to` never came. */
static long http_ms(double from, double to)
{
	if (to < 0 || from < 0)
		return -1;
	if (to < from)
		return 0;
	return (long)((to - from) * 1000.0 + 0.5);
}

size_t http_log_line(const struct stream *s, const char mp_mark[2],
                     char *line, size_t size)
{
	const struct http_txn *t = s->txn;
	double now = ev_now(s->thr->loop);
	double start = t->t_req_start >= 0 ? t->t_req_start : s->t_accept;
	struct log_parts lp;
	long tr, ta, trsp = -1;
	char term[5];
	char req[HTTP_URI_LOG_MAX + 3];
	int n;

	log_stream_parts(s, mp_mark, start, &lp);
	tr = http_ms(start, t->t_req_head);
	ta = http_ms(start, now);
	if (t->t_rsp_head >= 0 && s->t_connect >= 0)
		trsp = http_ms(s->t_connect, t->t_rsp_head);
	/* Tc counts from the request's head, not from the connection. */
	if (s->t_connect >= 0 && t->t_req_head >= 0) {
		lp.tc = http_ms(t->t_req_head, s->t_connect) -
		        (lp.tw > 0 ? lp.tw : 0);
		if (lp.tc < 0)
			lp.tc = 0;
	}
	term[0] = s->term[0] ? s->term[0] : '-';
	term[1] = s->term[0] ? s->term[1] : '-';
	http_cookie_log(s, term + 2);
	term[4] = '\0';
	if (t->w && t->w->req_line_len) {
		req[0] = '"';
		memcpy(req + 1, t->w->req_line, t->w->req_line_len);
		req[t->w->req_line_len + 1] = '"';
		req[t->w->req_line_len + 2] = '\0';
	} else {
		strcpy(req, "\"<BADREQ>\"");
	}
	n = snprintf(line, size,
	             "%s [%s] %s %s/%s %ld/%ld/%ld/%ld/%ld %d %llu - - %s %s %s%s%s%s%s",
	             lp.client, lp.date, lp.fe, lp.be, lp.srv, tr, lp.tw, lp.tc,
	             trsp, ta, t->status ? (int)t->status : -1,
	             (unsigned long long)s->side[STREAM_CLI].bytes_out, term,
	             lp.counts, req, lp.mp, s->why[0] ? " (" : "", s->why,
	             s->why[0] ? ")" : "");
	if (n <= 0 || size < 2)
		return 0;
	return (size_t)n < size - 1 ? (size_t)n : size - 2;
}
