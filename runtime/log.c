/*
 * log.c: messages and per-connection log lines on stderr.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "log.h"
#include "plan.h"
#include "sock.h"

void log_info(const struct runtime *rt, const char *fmt, ...)
{
	va_list ap;

	if (rt && rt->quiet)
		return;
	va_start(ap, fmt);
	fputs("cfgrun: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("cfgrun: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* Milliseconds from `from` to `to`, or -1 when `to` never happened. */
static long log_ms(double from, double to)
{
	if (to < 0 || to < from)
		return to < 0 ? -1 : 0;
	return (long)((to - from) * 1000.0 + 0.5);
}

/* "[06/Feb/2009:12:12:51.443]" of wall-clock time `t` (local time). */
static void log_date(double t, char *buf, size_t len)
{
	static const char mon[12][4] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	time_t sec = (time_t)t;
	int ms = (int)((t - (double)sec) * 1000.0);
	struct tm tm;

	if (ms < 0)
		ms = 0;
	if (ms > 999)
		ms = 999;
	localtime_r(&sec, &tm);
	snprintf(buf, len, "%02d/%s/%04d:%02d:%02d:%02d.%03d", tm.tm_mday,
	         mon[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
	         tm.tm_sec, ms);
}

void log_stream(const struct stream *s)
{
	const struct runtime *rt = s->rt;
	const struct plan *p = rt->plan;
	const char *fe = plan_str_get(p, p->proxies[s->frontend].name);
	const char *be = "-";
	const char *srv = "<NOSRV>";
	uint32_t beconn = 0, srvconn = 0;
	double now = ev_now(rt->loop);
	char client[INET6_ADDRSTRLEN + 16];
	char date[40];

	if (s->cli_addr.ss_family == AF_UNIX)
		snprintf(client, sizeof(client), "unix:%u", s->listener + 1);
	else
		sock_addr_str((const struct sockaddr *)&s->cli_addr,
		              s->cli_addrlen, client, sizeof(client));
	if (s->backend != PLAN_NONE) {
		be = plan_str_get(p, p->proxies[s->backend].name);
		beconn = rt->proxies[s->backend].beconn;
	}
	if (s->server != PLAN_NONE) {
		srv = plan_str_get(p, p->servers[s->server].name);
		srvconn = rt->servers[s->server].cur_conn;
	}
	log_date(s->t_accept, date, sizeof(date));
	fprintf(stderr, "%s [%s] %s %s/%s %ld/%ld/%ld %llu %s %u/%u/%u/%u/0 0/0%s%s%s\n",
	        client, date, fe, be, srv,
	        s->server != PLAN_NONE ? 0L : -1L,
	        s->t_connect < 0 ? -1L : log_ms(s->t_accept, s->t_connect),
	        log_ms(s->t_accept, now),
	        (unsigned long long)s->side[STREAM_SRV].bytes_in,
	        s->term, rt->actconn, rt->proxies[s->frontend].feconn, beconn,
	        srvconn, s->why[0] ? " (" : "", s->why, s->why[0] ? ")" : "");
}
