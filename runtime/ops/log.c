/*
 * log.c: messages, connection lines and the log targets they go to.
 *
 * The process has one logger: the datagram sockets and the descriptor
 * buffers below are shared by every plan generation (a reload keeps them)
 * and every thread. A line is appended whole to a descriptor's buffer
 * under log_lock, so lines from different threads never mix; only thread
 * 0 watches a descriptor for room (the others ask it through its inbox).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "inbox.h"
#include "log.h"
#include "plan.h"
#include "sock.h"

#define LOG_MAX_OUTS 8              /* descriptors with a buffer */

/* Buffered, non-blocking output to one descriptor (fd@N targets, stderr). */
struct log_out {
	ev_io io;                   /* writable: flush the buffer */
	int fd;                     /* -1 = slot free */
	int saved_flags;            /* F_GETFL before we set O_NONBLOCK */
	char *buf;                  /* LOG_OUTBUF_MAX bytes, NULL until needed */
	size_t len;                 /* bytes waiting in buf */
};

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER; /* log_g.outs */

static struct {
	struct ev_loop *loop;       /* NULL: write synchronously (start-up) */
	struct rt_thread *main;     /* thread 0, whose loop is `loop` */
	struct log_out outs[LOG_MAX_OUTS];
	int dgram[3];               /* sockets: [0] AF_INET, [1] AF_INET6, [2] AF_UNIX */
	uint64_t dropped;           /* lines not delivered (atomic) */
	char host[64];              /* for RFC 5424 */
} log_g = {
	.outs = { [0 ... LOG_MAX_OUTS - 1] = { .fd = -1 } },
	.dgram = { -1, -1, -1 },
};

static const char log_mon[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

/* ---- descriptor output ------------------------------------------------- */

static void log_drop(void)
{
	__atomic_add_fetch(&log_g.dropped, 1, __ATOMIC_RELAXED);
}

static struct log_out *log_out_get(int fd)
{
	struct log_out *free_slot = NULL;

	for (int i = 0; i < LOG_MAX_OUTS; i++) {
		if (log_g.outs[i].fd == fd)
			return &log_g.outs[i];
		if (log_g.outs[i].fd < 0 && !free_slot)
			free_slot = &log_g.outs[i];
	}
	if (!free_slot)
		return NULL;
	free_slot->fd = fd;
	free_slot->saved_flags = -1;
	free_slot->len = 0;
	return free_slot;
}

/* Write as much of the buffer as the descriptor takes now (log_lock
 * held); what is left waits for room, watched by thread 0. */
static void log_out_flush(struct log_out *o)
{
	while (o->len) {
		ssize_t w = write(o->fd, o->buf, o->len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				/* Gone for good (closed pipe...): drop it all. */
				log_drop();
				o->len = 0;
			}
			break;
		}
		memmove(o->buf, o->buf + w, o->len - (size_t)w);
		o->len -= (size_t)w;
	}
	if (!log_g.loop)
		return;
	if (thread_self != log_g.main) {
		if (o->len && log_g.main)
			inbox_post(log_g.main, THR_MSG_LOG);
		return;
	}
	if (o->len)
		ev_io_start(log_g.loop, &o->io);
	else
		ev_io_stop(log_g.loop, &o->io);
}

static void log_out_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	pthread_mutex_lock(&log_lock);
	log_out_flush(w->data);
	pthread_mutex_unlock(&log_lock);
}

void log_flush_async(void)
{
	pthread_mutex_lock(&log_lock);
	for (int i = 0; i < LOG_MAX_OUTS; i++)
		if (log_g.outs[i].fd >= 0 && log_g.outs[i].len)
			log_out_flush(&log_g.outs[i]);
	pthread_mutex_unlock(&log_lock);
}

/* Make descriptor output of `o` non-blocking and watched by the loop. */
static void log_out_async(struct log_out *o)
{
	int fl;

	if (!log_g.loop || o->saved_flags >= 0)
		return;
	fl = fcntl(o->fd, F_GETFL);
	if (fl < 0)
		return;
	o->saved_flags = fl;
	if (!(fl & O_NONBLOCK))
		(void)fcntl(o->fd, F_SETFL, fl | O_NONBLOCK);
	ev_io_init(&o->io, log_out_cb, o->fd, EV_WRITE);
	o->io.data = o;
}

/* Queue `len` bytes for descriptor `fd`: written at once when nothing is
 * waiting, the rest kept; dropped (and counted) when the buffer is full. */
static void log_write_fd_locked(int fd, const char *s, size_t len)
{
	struct log_out *o = log_out_get(fd);

	if (!o) {
		log_drop();
		return;
	}
	if (!log_g.loop) {
		/* Start-up: the loop does not exist yet; plain blocking write. */
		while (len) {
			ssize_t w = write(fd, s, len);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return;
			s += w;
			len -= (size_t)w;
		}
		return;
	}
	log_out_async(o);
	if (!o->buf) {
		o->buf = malloc(LOG_OUTBUF_MAX);
		if (!o->buf) {
			log_drop();
			return;
		}
	}
	if (o->len + len > LOG_OUTBUF_MAX) {
		log_drop();
		return;
	}
	memcpy(o->buf + o->len, s, len);
	o->len += len;
	log_out_flush(o);
}

static void log_write_fd(int fd, const char *s, size_t len)
{
	pthread_mutex_lock(&log_lock);
	log_write_fd_locked(fd, s, len);
	pthread_mutex_unlock(&log_lock);
}

void log_start_async(struct ev_loop *loop, struct rt_thread *main)
{
	log_g.loop = loop;
	log_g.main = main;
}

void log_finish(void)
{
	for (int i = 0; i < LOG_MAX_OUTS; i++) {
		struct log_out *o = &log_g.outs[i];

		if (o->fd < 0)
			continue;
		if (log_g.loop && o->saved_flags >= 0)
			ev_io_stop(log_g.loop, &o->io);
		if (o->saved_flags >= 0)
			(void)fcntl(o->fd, F_SETFL, o->saved_flags & ~O_NONBLOCK);
		/* Blocking now: everything left goes out. */
		while (o->len) {
			ssize_t w = write(o->fd, o->buf, o->len);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			memmove(o->buf, o->buf + w, o->len - (size_t)w);
			o->len -= (size_t)w;
		}
		if (o->saved_flags >= 0)
			(void)fcntl(o->fd, F_SETFL, o->saved_flags);
		free(o->buf);
		o->buf = NULL;
		o->len = 0;
		o->fd = -1;
	}
	log_g.loop = NULL;
	log_g.main = NULL;
	for (int i = 0; i < 3; i++) {
		if (log_g.dgram[i] >= 0)
			close(log_g.dgram[i]);
		log_g.dgram[i] = -1;
	}
}

uint64_t log_dropped(void)
{
	return __atomic_load_n(&log_g.dropped, __ATOMIC_RELAXED);
}

/* ---- messages ----------------------------------------------------------- */

static void log_vmsg(const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	int n = snprintf(line, sizeof(line), "cfgrun: ");
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	size_t len;

	if (m < 0)
		m = 0;
	len = (size_t)n + (size_t)m;
	if (len > sizeof(line) - 2)
		len = sizeof(line) - 2;
	line[len++] = '\n';
	log_write_fd(2, line, len);
}

void log_info(const struct runtime *rt, const char *fmt, ...)
{
	va_list ap;

	if (rt && rt->quiet)
		return;
	va_start(ap, fmt);
	log_vmsg(fmt, ap);
	va_end(ap);
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(fmt, ap);
	va_end(ap);
}

/* ---- targets ------------------------------------------------------------ */

/* Index into log_g.dgram for a target, or -1 (descriptor targets). */
static int log_dgram_slot(const struct plan_log *l)
{
	if (l->target == PLAN_LOGT_UNIX)
		return 2;
	if (l->target != PLAN_LOGT_UDP)
		return -1;
	return l->addr.family == PLAN_FAM_INET6 ? 1 : 0;
}

int log_open_targets(const struct plan *p)
{
	static const int fam[3] = { AF_INET, AF_INET6, AF_UNIX };

	for (uint32_t i = 0; i < p->nlogs; i++) {
		int slot = log_dgram_slot(&p->logs[i]);

		if (slot < 0 || log_g.dgram[slot] >= 0)
			continue;
		log_g.dgram[slot] = socket(fam[slot], SOCK_DGRAM | SOCK_NONBLOCK |
		                           SOCK_CLOEXEC, 0);
		if (log_g.dgram[slot] < 0) {
			log_error("cannot open a socket for the log target of line %u: %s",
			          p->logs[i].line, strerror(errno));
			return -1;
		}
	}
	if (!log_g.host[0] && gethostname(log_g.host, sizeof(log_g.host) - 1) < 0)
		strcpy(log_g.host, "-");
	return 0;
}

/* The syslog header of `format` for priority `pri`, into buf; returns its
 * length. */
static size_t log_header(uint32_t format, unsigned pri, char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	int n = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	if (format == 0) {
		/* RFC 3164: "<PRI>Mmm dd hh:mm:ss tag[pid]: " */
		n = snprintf(buf, len, "<%u>%s %2d %02d:%02d:%02d haproxy[%d]: ",
		             pri, log_mon[tm.tm_mon % 12], tm.tm_mday, tm.tm_hour,
		             tm.tm_min, tm.tm_sec, (int)getpid());
	} else if (format == 1) {
		/* RFC 5424: "<PRI>1 TIMESTAMP HOST APP PID MSGID SD " */
		long off = tm.tm_gmtoff / 60;
		char sign = off < 0 ? '-' : '+';

		if (off < 0)
			off = -off;
		n = snprintf(buf, len,
		             "<%u>1 %04d-%02d-%02dT%02d:%02d:%02d.%06ld%c%02ld:%02ld %s haproxy %d - - ",
		             pri, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		             tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000,
		             sign, off / 60, off % 60,
		             log_g.host[0] ? log_g.host : "-", (int)getpid());
	}
	if (n < 0)
		n = 0;
	if ((size_t)n >= len)
		n = (int)len - 1;
	return (size_t)n;
}

/* Send one message to one target; never blocks. */
static void log_send(const struct plan_log *l, enum log_level level,
                     const char *msg)
{
	char line[LOG_LINE_MAX + 160];
	size_t n, m = strlen(msg);
	int slot;

	if ((uint32_t)level > l->level)
		return;
	n = log_header(l->format, l->facility * 8 + (unsigned)level, line,
	               sizeof(line));
	if (m > sizeof(line) - n - 1)
		m = sizeof(line) - n - 1;
	memcpy(line + n, msg, m);
	n += m;
	line[n++] = '\n';
	slot = log_dgram_slot(l);
	if (slot < 0) {
		log_write_fd((int)l->addr.fd, line, n);
		return;
	}
	if (log_g.dgram[slot] < 0 ||
	    sendto(log_g.dgram[slot], line, n, MSG_DONTWAIT | MSG_NOSIGNAL,
	           (const struct sockaddr *)l->addr.sa, l->addr.salen) < 0)
		log_drop();
}

unsigned log_targets(const struct runtime *rt, uint32_t px)
{
	const struct plan *p = rt->plan;
	const struct plan_proxy *pp = &p->proxies[px];
	unsigned n = 0;

	for (uint32_t i = pp->first_log; i < pp->first_log + pp->nlogs; i++)
		n += p->logs[i].owner == px;
	if (pp->flags & PLAN_PX_F_LOG_GLOBAL)
		n += p->global->nlogs;
	return n;
}

unsigned log_emit(const struct runtime *rt, uint32_t px, enum log_level level,
                  const char *msg)
{
	const struct plan *p = rt->plan;
	const struct plan_global *g = p->global;
	uint32_t first = g->first_log, n = g->nlogs;
	unsigned sent = 0;

	if (px != PLAN_NONE) {
		const struct plan_proxy *pp = &p->proxies[px];

		for (uint32_t i = pp->first_log; i < pp->first_log + pp->nlogs; i++)
			if (p->logs[i].owner == px) {
				log_send(&p->logs[i], level, msg);
				sent++;
			}
		if (!(pp->flags & PLAN_PX_F_LOG_GLOBAL))
			n = 0;
	}
	for (uint32_t i = first; i < first + n; i++) {
		log_send(&p->logs[i], level, msg);
		sent++;
	}
	return sent;
}

/* ---- connection lines --------------------------------------------------- */

/* Milliseconds from `from` to `to`, or -1 when `to` never happened. */
static long log_ms(double from, double to)
{
	if (to < 0 || to < from)
		return to < 0 ? -1 : 0;
	return (long)((to - from) * 1000.0 + 0.5);
}

void log_date(double t, char *buf, size_t len)
{
	time_t sec = (time_t)t;
	int ms = (int)((t - (double)sec) * 1000.0);
	struct tm tm;

	if (ms < 0)
		ms = 0;
	if (ms > 999)
		ms = 999;
	localtime_r(&sec, &tm);
	snprintf(buf, len, "%02d/%s/%04d:%02d:%02d:%02d.%03d", tm.tm_mday,
	         log_mon[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour,
	         tm.tm_min, tm.tm_sec, ms);
}

void log_stream_parts(const struct stream *s, const char mp_mark[2],
                      double t_start, struct log_parts *lp)
{
	const struct runtime *rt = s->rt;
	const struct plan *p = rt->plan;
	uint32_t beconn = 0, srvconn = 0;
	double now = ev_now(s->thr->loop);
	double queued = s->queued_s;

	lp->fe = plan_str_get(p, p->proxies[s->frontend].name);
	lp->be = "-";
	lp->srv = "<NOSRV>";
	lp->mp[0] = '\0';
	lp->tw = lp->tc = -1;
	if (s->cli_addr.ss_family == AF_UNIX)
		snprintf(lp->client, sizeof(lp->client), "unix:%u", s->listener + 1);
	else
		sock_addr_str((const struct sockaddr *)&s->cli_addr,
		              s->cli_addrlen, lp->client, sizeof(lp->client));
	if (s->backend != PLAN_NONE) {
		lp->be = plan_str_get(p, p->proxies[s->backend].name);
		beconn = rt->proxies[s->backend].beconn;
	}
	if (s->server != PLAN_NONE) {
		lp->srv = plan_str_get(p, p->servers[s->server].name);
		srvconn = rt->servers[s->server].cur_conn;
	}
	if (mp_mark[STREAM_CLI] != '-' || mp_mark[STREAM_SRV] != '-')
		snprintf(lp->mp, sizeof(lp->mp), " mptcp=%c/%c",
		         mp_mark[STREAM_CLI], mp_mark[STREAM_SRV]);
	log_date(t_start, lp->date, sizeof(lp->date));
	/* Tw: time spent queued (-1 before reaching a server or a queue);
	 * Tc: connecting, without Tw; retries "+N" after a redispatch. */
	if (s->t_queued >= 0)
		queued += now - s->t_queued;
	if (s->server != PLAN_NONE || queued > 0)
		lp->tw = (long)(queued * 1000.0 + 0.5);
	if (s->t_connect >= 0) {
		lp->tc = log_ms(t_start, s->t_connect) - (lp->tw > 0 ? lp->tw : 0);
		if (lp->tc < 0)
			lp->tc = 0;
	}
	snprintf(lp->counts, sizeof(lp->counts), "%u/%u/%u/%u/%s%u %u/%u",
	         rt->actconn, rt->proxies[s->frontend].feconn, beconn, srvconn,
	         s->redispatched ? "+" : "", s->retries, s->srv_queue_pos,
	         s->be_queue_pos);
}

/* The line of a TCP stream; `asap`: option logasap's, written when the
 * server is connected: total time and bytes so far with a '+', no
 * termination state yet, and written even without data (as HAProxy). */
static size_t log_stream_line_at(const struct stream *s, const char mp_mark[2],
                                 char *line, size_t size, int asap)
{
	const struct plan_proxy *fpx = &s->rt->plan->proxies[s->frontend];
	struct log_parts lp;
	int n;

	if (s->logged_asap)
		return 0;
	if (!asap && (fpx->flags & PLAN_PX_F_DONTLOGNULL) &&
	    s->side[STREAM_CLI].bytes_in == 0 && s->side[STREAM_SRV].bytes_in == 0)
		return 0;
	log_stream_parts(s, mp_mark, s->t_accept, &lp);
	n = snprintf(line, size,
	             "%s [%s] %s %s/%s %ld/%ld/%s%ld %s%llu %s %s%s%s%s%s",
	             lp.client, lp.date, lp.fe, lp.be, lp.srv, lp.tw, lp.tc,
	             asap ? "+" : "", log_ms(s->t_accept, ev_now(s->thr->loop)),
	             asap ? "+" : "",
	             (unsigned long long)s->side[STREAM_SRV].bytes_in,
	             asap ? "--" : s->term, lp.counts, lp.mp,
	             s->why ? " (" : "", s->why ? s->why : "",
	             s->why ? ")" : "");
	if (n <= 0 || size < 2)
		return 0;
	return (size_t)n < size - 1 ? (size_t)n : size - 2;
}

size_t log_stream_line(const struct stream *s, const char mp_mark[2],
                       char *line, size_t size)
{
	return log_stream_line_at(s, mp_mark, line, size, 0);
}

size_t log_stream_line_asap(const struct stream *s, const char mp_mark[2],
                            char *line, size_t size)
{
	return log_stream_line_at(s, mp_mark, line, size, 1);
}

void log_stream_emit(const struct runtime *rt, uint32_t fe, char *line,
                     size_t len, enum log_level level)
{
	if (log_emit(rt, fe, level, line) == 0) {
		line[len++] = '\n';
		log_write_fd(2, line, len);
	}
}
