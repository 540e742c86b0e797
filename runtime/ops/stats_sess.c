/*
 * stats_sess.c: `show sess` and `shutdown session` (stats_sess.h).
 *
 * The short line follows HAProxy 2.6's layout field by field; fields
 * about HAProxy's internals that cfgrun does not have (task calls, CPU
 * time, channel and stream connector flags) are written as 0 so that
 * tools that parse the line keep working. doc/operations.md lists them.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "inbox.h"
#include "isolate.h"
#include "plan.h"
#include "runtime-t.h"
#include "sock.h"
#include "stats_sess.h"
#include "stream-t.h"
#include "thread-t.h"

/* HAProxy's stream connector states (SC_ST_*), for scf= and scb=. */
enum { SESS_ST_INI = 0, SESS_ST_QUE = 2, SESS_ST_TAR = 3, SESS_ST_ASS = 4,
       SESS_ST_CON = 5, SESS_ST_EST = 8, SESS_ST_CLO = 10 };

static const char *const sess_st_name[] = {
	"INI", "REQ", "QUE", "TAR", "ASS", "CON", "CER", "RDY", "EST", "DIS",
	"CLO"
};

/* HAProxy's human_time(): at most two units, "0s" for zero. */
static void sess_human_time(char *buf, size_t len, long t)
{
	int cnt = 2;
	size_t o = 0;

	buf[0] = '\0';
	if (t < 0) {
		snprintf(buf, len, "?");
		return;
	}
	if (t >= 86400) {
		o += (size_t)snprintf(buf + o, len - o, "%ldd", t / 86400);
		cnt--;
	}
	if (cnt && t % 86400 / 3600 && o < len) {
		o += (size_t)snprintf(buf + o, len - o, "%ldh", t % 86400 / 3600);
		cnt--;
	}
	if (cnt && t % 3600 / 60 && o < len) {
		o += (size_t)snprintf(buf + o, len - o, "%ldm", t % 3600 / 60);
		cnt--;
	}
	if (((cnt && t % 60) || !t) && o < len)
		snprintf(buf + o, len - o, "%lds", t % 60);
}

/* Seconds left on timer `w` of loop `loop` as HAProxy writes an expiry,
 * or "" when it does not run. */
static void sess_timer(char *buf, size_t len, struct ev_loop *loop,
                       ev_timer *w)
{
	double left;

	buf[0] = '\0';
	if (!ev_is_active(w))
		return;
	left = ev_timer_remaining(loop, w);
	sess_human_time(buf, len, left > 0 ? (long)left : 0);
}

/* The state of the server side of `s`, as a stream connector's. */
static int sess_srv_state(const struct stream *s)
{
	switch (s->wait) {
	case STREAM_WAIT_QUEUE:
		return SESS_ST_QUE;
	case STREAM_WAIT_RETRY:
		return SESS_ST_TAR;
	case STREAM_WAIT_SLOT:
		return SESS_ST_ASS;
	default:
		break;
	}
	if (s->connecting)
		return SESS_ST_CON;
	if (s->side[STREAM_SRV].conn.fd >= 0)
		return SESS_ST_EST;
	return s->t_connect >= 0 ? SESS_ST_CLO : SESS_ST_INI;
}

/* "tcpv4", "tcpv6", "unix_stream": the client's protocol. */
static const char *sess_proto(const struct stream *s)
{
	switch (s->cli_addr.ss_family) {
	case AF_INET:
		return "tcpv4";
	case AF_INET6:
		return "tcpv6";
	default:
		return "unix_stream";
	}
}

/* An address as HAProxy writes one in `show sess`: "IP:port" (IPv6
 * without brackets), "unix:<listener id>" for a unix socket. */
static void sess_addr(char *buf, size_t len, const struct sockaddr_storage *ss,
                      socklen_t sslen, uint32_t listener)
{
	char tmp[80];

	if (ss->ss_family != AF_INET && ss->ss_family != AF_INET6) {
		snprintf(buf, len, "unix:%u", listener + 1);
		return;
	}
	sock_addr_str((const struct sockaddr *)ss, sslen, tmp, sizeof(tmp));
	if (tmp[0] == '[') {
		/* "[::1]:5" -> "::1:5" */
		char *close = strchr(tmp, ']');

		if (close) {
			*close = '\0';
			snprintf(buf, len, "%s%s", tmp + 1, close + 1);
			return;
		}
	}
	snprintf(buf, len, "%s", tmp);
}

static const char *sess_name(const struct plan *p, uint32_t px, const char *none)
{
	return px == PLAN_NONE ? none : plan_str_get(p, p->proxies[px].name);
}

/* One stream in HAProxy's short layout (one line). */
static void sess_short(struct stats_buf *out, const struct stream *s,
                       double now)
{
	const struct plan *p = s->rt->plan;
	struct ev_loop *loop = s->thr->loop;
	char src[96], age[32], rx_c[32], rx_s[32], cexp[32];
	const char *srv = s->server == PLAN_NONE ? "<none>" :
	                  plan_str_get(p, p->servers[s->server].name);
	const char *exp;

	sess_addr(src, sizeof(src), &s->cli_addr, s->cli_addrlen, s->listener);
	sess_human_time(age, sizeof(age), now > s->t_accept ?
	                (long)(now - s->t_accept) : 0);
	sess_timer(rx_c, sizeof(rx_c), loop, (ev_timer *)&s->side[STREAM_CLI].idle);
	sess_timer(rx_s, sizeof(rx_s), loop, (ev_timer *)&s->side[STREAM_SRV].idle);
	cexp[0] = '\0';
	if (s->connecting)
		snprintf(cexp, sizeof(cexp), "%s", rx_s);
	exp = s->connecting ? cexp : rx_c[0] ? rx_c : rx_s;
	stats_buf_printf(out, "%p: proto=%s src=%s fe=%s be=%s srv=%s ts=00 "
	                 "epoch=0 age=%s calls=0 rate=0 cpu=0 lat=0 "
	                 "rq[f=0h,i=%u,an=00h,rx=%s,wx=,ax=] "
	                 "rp[f=0h,i=%u,an=00h,rx=%s,wx=,ax=] "
	                 "scf=[%d,0h,fd=%d] scb=[%d,0h,fd=%d] exp=%s rc=%u c_exp=%s\n",
	                 (const void *)s, sess_proto(s), src,
	                 sess_name(p, s->frontend, "<NONE>"),
	                 sess_name(p, s->backend, "<NONE>"), srv,
	                 age, s->side[STREAM_CLI].in.len,
	                 s->connecting ? "" : rx_c, s->side[STREAM_SRV].in.len,
	                 s->connecting ? "" : rx_s,
	                 s->handshake ? 7 : SESS_ST_EST, s->side[STREAM_CLI].conn.fd,
	                 sess_srv_state(s), s->side[STREAM_SRV].conn.fd,
	                 exp, s->retries, cexp);
}

/* The req= (bytes from the client) or res= lines of the long layout:
 * what side `sd` read in all, and what waits in its buffer. */
static void sess_channel(struct stats_buf *out, const char *name,
                         const struct stream_side *sd)
{
	stats_buf_printf(out, "  %s=%p (f=0x0 an=0x0 pipe=%u tofwd=-1 total=%llu)\n"
	                 "      buf=%p i=%u size=%u\n", name, (const void *)&sd->in,
	                 sd->piped, (unsigned long long)sd->bytes_in,
	                 (const void *)sd->in.data, sd->in.len,
	                 sd->in.data ? STREAM_BUFSZ : 0);
}

/* One stream in a shortened form of HAProxy's long layout. */
static void sess_detail(struct stats_buf *out, const struct stream *s,
                        double now)
{
	const struct plan *p = s->rt->plan;
	char src[96], dst[96] = "?", local[96] = "", peer[96] = "", age[32],
	     when[64], cexp[32] = "<NEVER>";
	struct sockaddr_storage ss;
	socklen_t sslen;
	time_t sec = (time_t)s->t_accept;
	struct tm tm;
	int srvfd = s->side[STREAM_SRV].conn.fd;
	int st = sess_srv_state(s);
	static const char *const mode[] = { "tcp", "http" };
	uint32_t fm = p->proxies[s->frontend].mode;

	sess_addr(src, sizeof(src), &s->cli_addr, s->cli_addrlen, s->listener);
	sslen = sizeof(ss);
	if (s->dst_addrlen)
		sess_addr(dst, sizeof(dst), &s->dst_addr, s->dst_addrlen, s->listener);
	else if (s->side[STREAM_CLI].conn.fd >= 0 &&
	         getsockname(s->side[STREAM_CLI].conn.fd, (struct sockaddr *)&ss,
	                     &sslen) == 0)
		sess_addr(dst, sizeof(dst), &ss, sslen, s->listener);
	sess_human_time(age, sizeof(age), now > s->t_accept ?
	                (long)(now - s->t_accept) : 0);
	localtime_r(&sec, &tm);
	strftime(when, sizeof(when), "%d/%b/%Y:%H:%M:%S", &tm);
	if (s->connecting)
		sess_timer(cexp, sizeof(cexp), s->thr->loop,
		           (ev_timer *)&s->side[STREAM_SRV].idle);
	if (srvfd >= 0) {
		sslen = sizeof(ss);
		if (getsockname(srvfd, (struct sockaddr *)&ss, &sslen) == 0)
			sess_addr(local, sizeof(local), &ss, sslen, s->listener);
		sslen = sizeof(ss);
		if (!s->connecting &&
		    getpeername(srvfd, (struct sockaddr *)&ss, &sslen) == 0)
			sess_addr(peer, sizeof(peer), &ss, sslen, s->listener);
	}
	stats_buf_printf(out, "%p: [%s.%06d] id=%llu proto=%s source=%s\n",
	                 (const void *)s, when,
	                 (int)((s->t_accept - (double)sec) * 1e6),
	                 (unsigned long long)s->uniq, sess_proto(s), src);
	stats_buf_printf(out, "  flags=0x0, conn_retries=%u, conn_exp=%s "
	                 "conn_et=0x000 srv_conn=%s, pend_pos=%s waiting=%d epoch=0\n",
	                 s->retries, cexp, s->has_slot ? "held" : "(nil)",
	                 s->wait == STREAM_WAIT_QUEUE ? "queued" : "(nil)",
	                 s->wait == STREAM_WAIT_QUEUE);
	stats_buf_printf(out, "  frontend=%s (id=%u mode=%s), listener=? (id=%u) addr=%s\n",
	                 sess_name(p, s->frontend, "<NONE>"), s->frontend + 1,
	                 mode[fm == PLAN_MODE_HTTP], s->listener + 1, dst);
	if (s->backend == PLAN_NONE)
		stats_buf_printf(out, "  backend=<NONE> (id=-1 mode=-)\n");
	else
		stats_buf_printf(out, "  backend=%s (id=%u mode=%s)%s%s\n",
		                 sess_name(p, s->backend, "<NONE>"), s->backend + 1,
		                 mode[p->proxies[s->backend].mode == PLAN_MODE_HTTP],
		                 local[0] ? " addr=" : "", local);
	if (s->server == PLAN_NONE)
		stats_buf_printf(out, "  server=<NONE> (id=-1)\n");
	else
		stats_buf_printf(out, "  server=%s (id=%u)%s%s\n",
		                 plan_str_get(p, p->servers[s->server].name),
		                 s->server - p->proxies[p->servers[s->server].proxy].first_server + 1,
		                 peer[0] ? " addr=" : "", peer);
	stats_buf_printf(out, "  task=%p (state=0x00 nice=0 calls=0 rate=0 exp=%s tmask=0x%llx age=%s)\n",
	                 (const void *)s, "<NEVER>", 1ull << (s->thr->id & 63), age);
	stats_buf_printf(out, "  scf=%p flags=0x00000000 state=%s fd=%d\n",
	                 (const void *)&s->side[STREAM_CLI],
	                 s->handshake ? "RDY" : "EST", s->side[STREAM_CLI].conn.fd);
	stats_buf_printf(out, "  scb=%p flags=0x00000000 state=%s fd=%d\n",
	                 (const void *)&s->side[STREAM_SRV], sess_st_name[st], srvfd);
	sess_channel(out, "req", &s->side[STREAM_CLI]);
	sess_channel(out, "res", &s->side[STREAM_SRV]);
}

/* A stream address word ("0x55..." or decimal, as HAProxy reads it with
 * strtoul base 0); 0 when it is not a number. */
static uintptr_t sess_ptr_arg(const char *w)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(w, &end, 0);
	if (errno || end == w || *end)
		return 0;
	return (uintptr_t)v;
}

int stats_sess_start(struct stats_buf *out, char **w, int n,
                     struct stats_sess_cursor *cur)
{
	(void)out;
	memset(cur, 0, sizeof(*cur));
	cur->below = UINT64_MAX;
	if (n > 2 && !strcmp(w[2], "all")) {
		cur->detail = 1;
	} else if (n > 2) {
		cur->detail = 1;
		/* an id that is no number matches no stream */
		cur->one = sess_ptr_arg(w[2]);
		if (!cur->one)
			cur->one = UINTPTR_MAX;
	}
	return 1;
}

int stats_sess_step(struct ops *ops, struct stats_buf *out,
                    struct stats_sess_cursor *cur, size_t low)
{
	double now = ev_time();
	int full = 0;

	isolate_begin(ops);
	for (; cur->thr < ops->nthreads && !full; cur->thr++, cur->below = UINT64_MAX) {
		const struct stream *s = ops->threads[cur->thr].streams;

		for (; s; s = s->next) {
			if (s->uniq >= cur->below)
				continue;
			if (out->len >= low || out->cut) {
				full = 1;
				break;
			}
			cur->below = s->uniq;
			if (cur->one && (uintptr_t)s != cur->one)
				continue;
			cur->found++;
			if (cur->detail)
				sess_detail(out, s, now);
			else
				sess_short(out, s, now);
		}
		if (full)
			break;
	}
	isolate_release(ops);
	if (full)
		return 0;
	if (cur->one && !cur->found)
		stats_buf_printf(out, "Session not found.\n");
	stats_buf_printf(out, "\n");
	return 1;
}

void stats_sess_shutdown(struct ops *ops, struct stats_buf *out, char **w,
                         int n)
{
	uintptr_t id = n > 2 ? sess_ptr_arg(w[2]) : 0;
	struct rt_thread *owner = NULL;

	if (!id) {
		stats_buf_printf(out, "Session pointer expected (use 'show sess').\n\n");
		return;
	}
	isolate_begin(ops);
	for (uint32_t t = 0; t < ops->nthreads && !owner; t++)
		for (struct stream *s = ops->threads[t].streams; s; s = s->next)
			if ((uintptr_t)s == id) {
				s->admin_kill = 1;
				owner = s->thr;
				break;
			}
	isolate_release(ops);
	if (!owner) {
		stats_buf_printf(out, "No such session (use 'show sess').\n\n");
		return;
	}
	/* its own thread ends it, from its loop (this one's too) */
	inbox_post(owner, THR_MSG_KILL);
	stats_buf_printf(out, "\n");
}
