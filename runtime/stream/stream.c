/*
 * stream.c: proxying one connection between a client and a server.
 *
 * Life of a stream: accepted -> backend and server chosen -> non-blocking
 * connect (client bytes are already buffered meanwhile) -> data both ways
 * with back-pressure and half-close -> both directions done, an error or a
 * timeout -> one log line -> sockets closed and memory back to the pools.
 *
 * Functions that may end the stream return -1 when they did: the caller
 * must not touch it any more.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <unistd.h>

#include "acl.h"
#include "conn.h"
#include "http_conf.h"
#include "balance.h"
#include "inbox.h"
#include "listener.h"
#include "log.h"
#include "mptcp.h"
#include "plan.h"
#include "pool.h"
#include "proxy_proto.h"
#include "queue.h"
#include "server.h"
#include "sock.h"
#include "splice.h"
#include "srv_idle.h"
#include "stats.h"
#include "stream.h"
#include "stktable.h"
#include "thread.h"
#include "tls.h"
#include "tls_server.h"
#include "xprt_ssl.h"
#include "use_server.h"

/* ---- ring buffers ------------------------------------------------------- */

/* Free space of `b` as up to two iovecs; returns how many (0 = full). */
static int buf_space_iov(struct stream_buf *b, struct iovec iov[2])
{
	uint32_t tail = (b->head + b->len) % STREAM_BUFSZ;

	if (b->len == STREAM_BUFSZ)
		return 0;
	if (tail >= b->head) {
		iov[0].iov_base = b->data + tail;
		iov[0].iov_len = STREAM_BUFSZ - tail;
		if (b->head == 0)
			return 1;
		iov[1].iov_base = b->data;
		iov[1].iov_len = b->head;
		return 2;
	}
	iov[0].iov_base = b->data + tail;
	iov[0].iov_len = b->head - tail;
	return 1;
}

/* Held bytes of `b` as up to two iovecs; returns how many (0 = empty). */
static int buf_data_iov(struct stream_buf *b, struct iovec iov[2])
{
	uint32_t end = b->head + b->len;

	if (b->len == 0)
		return 0;
	iov[0].iov_base = b->data + b->head;
	if (end <= STREAM_BUFSZ) {
		iov[0].iov_len = b->len;
		return 1;
	}
	iov[0].iov_len = STREAM_BUFSZ - b->head;
	iov[1].iov_base = b->data;
	iov[1].iov_len = end - STREAM_BUFSZ;
	return 2;
}

static void buf_consume(struct stream_buf *b, uint32_t n)
{
	b->len -= n;
	b->head = b->len ? (b->head + n) % STREAM_BUFSZ : 0;
}

/* ---- ending ------------------------------------------------------------- */

void stream_buf_release(struct stream *s, int i)
{
	struct stream_side *sd = &s->side[i];

	if (sd->in.len == 0 && sd->in.data) {
		pool_put(&s->thr->buf_pool, sd->in.data);
		sd->in.data = NULL;
		sd->in.head = 0;
	}
}

void stream_out_pre_free(struct stream *s, int i)
{
	struct stream_side *sd = &s->side[i];

	if (sd->out_pre_heap)
		free(sd->out_pre);
	else
		pool_put(&s->thr->buf_pool, sd->out_pre);
	sd->out_pre = NULL;
	sd->out_pre_heap = 0;
	sd->out_pre_len = sd->out_pre_off = 0;
}

static const char *const stream_side_name[2] = { "client", "server" };

/* mptcp_mark() of side `i` as it is now: a server side still connecting
 * (or never started) counts as no socket. */
static char stream_mptcp_mark(const struct stream *s, int i)
{
	const struct plan *p = s->rt->plan;
	unsigned proto;

	if (i == STREAM_CLI)
		proto = p->listeners[s->listener].addr.proto;
	else if (s->server != PLAN_NONE)
		proto = p->servers[s->server].addr.proto;
	else
		return '-';
	return mptcp_mark(proto == PLAN_PROTO_MPTCP,
	                  i == STREAM_SRV && s->connecting ? -1 : s->side[i].conn.fd);
}

/*
 * Release everything a stream holds and update the counters; logs first.
 * Under the lock, twice: the log line (counters as they are before the
 * stream goes) and its queue; then, once its sockets are closed (a server
 * at maxconn 1 never sees the next connection before this one's end), its
 * slot and counters. The generation may be freed by thread 0 as soon as
 * actconn drops, so nothing of it is touched after that.
 */
static void stream_free(struct stream *s)
{
	struct runtime *rt = s->rt;
	struct rt_thread *thr = s->thr;
	struct ev_loop *loop = thr->loop;
	uint32_t fe = s->frontend;
	char line[LOG_LINE_MAX];
	char mp[2] = { stream_mptcp_mark(s, STREAM_CLI),
	               stream_mptcp_mark(s, STREAM_SRV) };
	size_t n;
	int drained;

	ev_timer_stop(loop, &s->wait_timer);
	gen_lock(rt);
	queue_abandon(rt, s);
	s->grant = 0;
	n = s->app ? s->app->log_line(s, mp, line, sizeof(line)) :
	             log_stream_line(s, mp, line, sizeof(line));
	stats_on_end(s);
	gen_unlock(rt);
	/* Out of every queue now: no thread can post it any more. */
	if (s->was_queued && rt->mt)
		inbox_cancel(s);
	if (n)
		log_stream_emit(rt, fe, line, n, s->app && s->app->log_level ?
		                s->app->log_level(s) : LOG_LVL_INFO);
	if (s->kept_srv != PLAN_NONE)
		stream_srv_unkeep(s);
	/* The server side first, then its slot, then the client side: the
	 * client sees the end (its FIN or reset comes from this close) only
	 * once the server no longer counts, so a client that reconnects at
	 * once is balanced as HAProxy would (leastconn, maxconn). */
	for (int i = STREAM_SRV; i >= STREAM_CLI; i--) {
		struct stream_side *sd = &s->side[i];

		if (i == STREAM_CLI && s->has_slot) {
			gen_lock(rt);
			queue_release_slot(rt, s);
			gen_unlock(rt);
		}

		ev_io_stop(loop, &sd->rd);
		ev_io_stop(loop, &sd->wr);
		ev_timer_stop(loop, &sd->idle);
		conn_close(&sd->conn);
		pool_put(&thr->buf_pool, sd->in.data);
		sd->in.data = NULL;
		splice_pipe_put(sd->pipe, sd->piped == 0);
		sd->pipe = NULL;
		stream_out_pre_free(s, i);
	}
	if (s->app)
		s->app->release(s);
	/* the stick counters let go while the generation surely lives */
	stk_bytes(stream_ctrs(s), s->side[STREAM_CLI].bytes_in,
	          s->side[STREAM_CLI].bytes_out);
	stk_release(stream_ctrs(s), 0);
	stk_stores_drop(stream_stores(s));
	free(s->stick);
	s->stick = NULL;
	if (s->prev)
		s->prev->next = s->next;
	else
		thr->streams = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->magic = STREAM_DEAD;
	thread_count_add(&thr->nstreams, -1);
	gen_lock(rt);
	queue_release(rt, s);
	rt->listeners[s->listener].nconn--;
	if (s->backend != PLAN_NONE)
		rt->proxies[s->backend].beconn--;
	rt->proxies[fe].feconn--;
	rt->actconn--;
	drained = rt->actconn == 0 && rt->draining;
	listener_limits(rt, fe);
	gen_unlock(rt);
	stream_clear_why(s);
	free(s->pp_out);
	pool_put(&thr->stream_pool, s);
	if (drained)
		thread_note_drained(thr->ops);
}

/* Set which server's connection s keeps between requests (PLAN_NONE:
 * none), counting the thread's kept connections (srv_idle_fds()). */
static void stream_set_kept(struct stream *s, uint32_t srv)
{
	struct rt_thread *thr = s->thr;
	int d = (srv != PLAN_NONE) - (s->kept_srv != PLAN_NONE);

	if (d)
		__atomic_store_n(&thr->nkept, thr->nkept + d, __ATOMIC_RELAXED);
	s->kept_srv = srv;
}

void vstream_set_why(struct stream *s, const char *fmt, va_list ap)
{
	if (s->why || !(s->why = malloc(STREAM_WHY_MAX)))
		return;
	vsnprintf(s->why, STREAM_WHY_MAX, fmt, ap);
}

void stream_set_why(struct stream *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vstream_set_why(s, fmt, ap);
	va_end(ap);
}

void stream_clear_why(struct stream *s)
{
	free(s->why);
	s->why = NULL;
}

/* End the stream with termination state `term` (the first one set wins)
 * and an optional detail for the log. Always returns -1. */
int stream_end(struct stream *s, const char *term, const char *fmt, ...)
{
	if (s->term[0] == '\0') {
		s->term[0] = term[0];
		s->term[1] = term[1];
		s->term[2] = '\0';
	}
	if (fmt) {
		va_list ap;

		va_start(ap, fmt);
		vstream_set_why(s, fmt, ap);
		va_end(ap);
	}
	if (s->app)
		s->app->on_end(s, s->term);
	stream_free(s);
	return -1;
}

/*
 * The phase letter of HAProxy's termination state for where stream `s` is
 * now: R waiting for the PROXY header, Q queued, C connecting to a server
 * (retries and turn-around included), D exchanging data.
 */
char stream_phase(const struct stream *s)
{
	if (s->wait == STREAM_WAIT_PROXY)
		return 'R';
	if (s->wait == STREAM_WAIT_QUEUE)
		return 'Q';
	if (s->wait != STREAM_WAIT_NONE || s->connecting || s->t_connect < 0)
		return 'C';
	return 'D';
}

/* An I/O error on side `i` ends the stream ("CD", "SD", "CQ"...). */
static int stream_io_error(struct stream *s, int i, const char *what, int err)
{
	char term[3] = { i == STREAM_CLI ? 'C' : 'S', stream_phase(s), '\0' };

	return stream_end(s, term, "%s %s: %s", what, stream_side_name[i],
	                  strerror(err));
}

/* 1 when everything side `i` sent has been delivered and FIN passed on. */
static int stream_dir_done(const struct stream *s, int i)
{
	return s->side[i].eof_in && s->side[i].in.len == 0 &&
	       s->side[i].piped == 0 && s->side[!i].shut_out;
}

/* Ends the stream normally when both directions are done. */
int stream_check_done(struct stream *s)
{
	if (stream_dir_done(s, STREAM_CLI) && stream_dir_done(s, STREAM_SRV))
		return stream_end(s, "--", NULL);
	return 0;
}

/* Restart side `i`'s inactivity timer after I/O on it. */
void stream_touch(struct stream *s, int i)
{
	/* Waiting for the PROXY header, the client's timer runs from the
	 * accept and bytes do not restart it: a header trickled byte by byte
	 * gets `timeout client` in all, as HAProxy's handshake deadline. */
	if (i == STREAM_CLI && s->wait == STREAM_WAIT_PROXY)
		return;
	if (s->side[i].idle.repeat > 0.)
		ev_timer_again(s->thr->loop, &s->side[i].idle);
}

/*
 * Set side `i`'s inactivity timeout from the stream's state, as HAProxy
 * does in TCP mode: connect timeout while connecting; client or server
 * timeout, replaced by `timeout tunnel` once the server is connected; the
 * client-fin / server-fin timeout once that side is half-closed (it sent
 * FIN or we did). A change restarts the timer (0 stops it).
 */
void stream_set_timeout(struct stream *s, int i)
{
	const struct plan *p = s->rt->plan;
	const struct plan_proxy *fe = &p->proxies[s->frontend];
	const struct plan_proxy *be = s->backend != PLAN_NONE ?
	                              &p->proxies[s->backend] : fe;
	struct stream_side *sd = &s->side[i];
	uint32_t ms, fin;
	double rep;

	if (sd->conn.fd < 0)
		return;
	if (i == STREAM_SRV && s->connecting) {
		ms = be->timeout_connect;
	} else {
		ms = i == STREAM_CLI ? fe->timeout_client : be->timeout_server;
		if (s->t_connect >= 0 && be->timeout_tunnel)
			ms = be->timeout_tunnel;
		fin = i == STREAM_CLI ? fe->timeout_client_fin : be->timeout_server_fin;
		if ((sd->eof_in || sd->shut_out) && fin)
			ms = fin;
	}
	rep = ms / 1000.0;
	if (rep != sd->idle.repeat || !ev_is_active(&sd->idle)) {
		sd->idle.repeat = rep;
		ev_timer_again(s->thr->loop, &sd->idle);
	}
}

/* 1 when side `i` has a connected socket to do I/O on. */
static int stream_side_ready(const struct stream *s, int i)
{
	return s->side[i].conn.fd >= 0 && !(i == STREAM_SRV && s->connecting);
}

/* ---- data --------------------------------------------------------------- */

static int stream_proxy_header(struct stream *s);
static int stream_read_once(struct stream *s, int i);
static int stream_inspect(struct stream *s, int final);
static int stream_inspect_start(struct stream *s);
static int stream_res_inspect(struct stream *s, int final);

/*
 * Switch what side `i` sends to splice(2) if nothing needs the bytes in
 * user space: TCP mode on both proxies, both sides connected, no PROXY
 * header pending either way, side `i`'s buffer drained. Without a free
 * pipe the direction stays buffered (and may try again later).
 */
static void stream_splice_start(struct stream *s, int i)
{
	const struct plan *p = s->rt->plan;
	struct stream_side *sd = &s->side[i];

	if (sd->in.len || sd->eof_in || s->wait != STREAM_WAIT_NONE || s->app ||
	    !conn_can_splice(&s->side[STREAM_CLI].conn) ||
	    !conn_can_splice(&s->side[STREAM_SRV].conn) ||
	    !stream_side_ready(s, STREAM_CLI) || !stream_side_ready(s, STREAM_SRV) ||
	    s->pp_out_off < s->pp_out_len ||
	    p->proxies[s->frontend].mode != PLAN_MODE_TCP ||
	    p->proxies[s->backend].mode != PLAN_MODE_TCP)
		return;
	sd->pipe = splice_pipe_get(s->rt->maxconn);
	sd->spl = sd->pipe ? SPLICE_ON : SPLICE_NO;
}

/* Read from side `i` straight into its pipe, then push to the other side.
 * A socket that cannot splice sends this direction back to the buffer. */
static int stream_splice_read(struct stream *s, int i)
{
	struct stream_side *sd = &s->side[i];
	ssize_t r;

	if (sd->piped >= SPLICE_PIPE_CAP) {
		ev_io_stop(s->thr->loop, &sd->rd);
		return 0;
	}
	r = splice_in(sd->conn.fd, sd->pipe, SPLICE_PIPE_CAP - sd->piped);
	if (r < 0) {
		if (errno == EINTR)
			return 0;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			/* Empty socket, or a full pipe: wait for the writer. */
			if (sd->piped)
				ev_io_stop(s->thr->loop, &sd->rd);
			return 0;
		}
		if ((errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP) &&
		    sd->piped == 0) {
			splice_pipe_put(sd->pipe, 1);
			sd->pipe = NULL;
			sd->spl = SPLICE_NEVER;
			return stream_read_once(s, i);
		}
		return stream_io_error(s, i, "read from", errno);
	}
	stream_touch(s, i);
	if (r == 0) {
		sd->eof_in = 1;
		ev_io_stop(s->thr->loop, &sd->rd);
		stream_set_timeout(s, i);
	} else {
		sd->piped += (uint32_t)r;
		sd->bytes_in += (uint64_t)r;
	}
	return stream_flush(s, !i);
}

/*
 * Write what side !j read to side j, as far as the socket takes it. Resumes
 * the reader of !j when room appears, passes FIN on once the buffer is
 * drained after !j's EOF. Returns -1 if the stream ended.
 */
int stream_flush(struct stream *s, int j)
{
	struct ev_loop *loop = s->thr->loop;
	struct stream_side *dst = &s->side[j];
	struct stream_side *src = &s->side[!j];
	struct stream_buf *b = &src->in;
	struct iovec iov[2];

	if (!stream_side_ready(s, j))
		return 0;
	while (j == STREAM_SRV && s->pp_out_off < s->pp_out_len) {
		ssize_t w = conn_send1(&dst->conn, s->pp_out + s->pp_out_off,
		                       s->pp_out_len - s->pp_out_off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				ev_io_start(loop, &dst->wr);
				return 0;
			}
			return stream_io_error(s, j, "PROXY header to", errno);
		}
		s->pp_out_off += (uint16_t)w;
		stream_touch(s, j);
	}
	/*
	 * out_pre first, then this message's bytes of the other side's
	 * buffer, gathered in one write: an HTTP head and the body behind it
	 * leave in one system call (and one packet when they fit).
	 */
	while (dst->out_pre_off < dst->out_pre_len || (b->len && src->fwd)) {
		struct iovec v[3];
		uint32_t pre = dst->out_pre_len - dst->out_pre_off;
		int n = 0, nb = b->len && src->fwd ? buf_data_iov(b, iov) : 0;
		ssize_t w;

		if (pre) {
			v[n].iov_base = dst->out_pre + dst->out_pre_off;
			v[n++].iov_len = pre;
		}
		if (nb && src->fwd < b->len) {
			/* Only this message's bytes: cut the iovecs. */
			uint64_t room = src->fwd;

			if (iov[0].iov_len >= room) {
				iov[0].iov_len = (size_t)room;
				nb = 1;
			} else {
				iov[1].iov_len = (size_t)(room - iov[0].iov_len);
			}
		}
		for (int k = 0; k < nb; k++)
			v[n++] = iov[k];
		w = conn_send(&dst->conn, v, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				ev_io_start(loop, &dst->wr);
				return 0;
			}
			return stream_io_error(s, j, "write to", errno);
		}
		dst->bytes_out += (uint64_t)w;
		stream_touch(s, j);
		if (pre) {
			uint32_t k = (uint64_t)w < pre ? (uint32_t)w : pre;

			dst->out_pre_off += k;
			w -= k;
			if (dst->out_pre_off == dst->out_pre_len)
				stream_out_pre_free(s, j);
		}
		if (w > 0) {
			buf_consume(b, (uint32_t)w);
			if (src->fwd != STREAM_FWD_ALL)
				src->fwd -= (uint64_t)w;
			if (!src->eof_in && stream_side_ready(s, !j))
				ev_io_start(loop, &src->rd);
		}
	}
	if (src->spl == SPLICE_WANT)
		stream_splice_start(s, !j);
	while (src->piped) {
		ssize_t w = splice_out(src->pipe, dst->conn.fd, src->piped);

		if (w <= 0) {
			if (w < 0 && errno == EINTR)
				continue;
			if (w == 0 || errno == EAGAIN || errno == EWOULDBLOCK) {
				ev_io_start(loop, &dst->wr);
				return 0;
			}
			return stream_io_error(s, j, "write to", errno);
		}
		src->piped -= (uint32_t)w;
		stream_touch(s, j);
		if (!src->eof_in && stream_side_ready(s, !j))
			ev_io_start(loop, &src->rd);
	}
	ev_io_stop(loop, &dst->wr);
	if (s->app && !s->tcp_fin)
		return s->app->on_sent(s, j);
	if (src->eof_in && !dst->shut_out) {
		dst->shut_out = 1;
		/* With the other direction done too the stream ends now, and
		 * close() sends the FIN (dst read up to its own FIN: nothing
		 * unread makes it a reset): one system call less per stream. */
		if (stream_dir_done(s, j))
			return stream_check_done(s);
		conn_shutw(&dst->conn);
		stream_set_timeout(s, j);
	}
	return stream_check_done(s);
}

/* Read from side `i` into its buffer and push to the other side. */
static int stream_read_once(struct stream *s, int i)
{
	struct stream_side *sd = &s->side[i];
	struct iovec iov[2];
	int n;
	ssize_t r;

	if (sd->spl == SPLICE_ON)
		return stream_splice_read(s, i);
	if (!sd->in.data) {
		sd->in.data = pool_get(&s->thr->buf_pool);
		if (!sd->in.data)
			return stream_end(s, i == STREAM_CLI ? "CR" : "SD",
			                  "out of memory for a buffer");
		sd->in.head = sd->in.len = 0;
	}
	n = buf_space_iov(&sd->in, iov);
	if (n == 0) {
		ev_io_stop(s->thr->loop, &sd->rd);
		return 0;
	}
	r = conn_recv(&sd->conn, iov, n);
	if (r < 0) {
		if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		return stream_io_error(s, i, "read from", errno);
	}
	stream_touch(s, i);
	if (r == 0) {
		sd->eof_in = 1;
		ev_io_stop(s->thr->loop, &sd->rd);
		stream_set_timeout(s, i);
	} else {
		sd->in.len += (uint32_t)r;
		sd->bytes_in += (uint64_t)r;
		if (sd->in.len == STREAM_BUFSZ) {
			ev_io_stop(s->thr->loop, &sd->rd);
			/* A full buffer means bulk: splice once it drains. */
			if (sd->spl == SPLICE_NO && splice_mode() == SPLICE_AUTO)
				sd->spl = SPLICE_WANT;
		}
	}
	if (s->wait == STREAM_WAIT_PROXY)
		return stream_proxy_header(s);
	if (s->wait == STREAM_WAIT_INSPECT)
		return stream_inspect(s, 0);
	if (s->app && !s->tcp_fin)
		return s->app->on_read(s, i);
	if (i == STREAM_SRV && s->res_inspect)
		return stream_res_inspect(s, 0);
	return stream_flush(s, !i);
}

#define STREAM_READ_ROUNDS 4        /* reads per readiness event, at most */

/*
 * Read side `i` and push to the other side; when a read filled the whole
 * buffer (or pipe) and the other side took all of it, more is most likely
 * waiting: read again now rather than after another epoll_wait, up to
 * STREAM_READ_ROUNDS times so one busy stream cannot starve the others.
 */
static int stream_read(struct stream *s, int i)
{
	struct stream_side *sd = &s->side[i];

	for (int round = 1;; round++) {
		uint64_t before = sd->bytes_in;
		uint32_t room = sd->spl == SPLICE_ON ? SPLICE_PIPE_CAP : STREAM_BUFSZ;

		if (stream_read_once(s, i) < 0)
			return -1;
		if (sd->bytes_in - before < room || round == STREAM_READ_ROUNDS ||
		    sd->eof_in || sd->in.len || sd->piped || s->wait != STREAM_WAIT_NONE ||
		    !ev_is_active(&sd->rd)) {
			/* Bytes the transport holds make no epoll event: run
			 * this side again at the loop's next pass. */
			if (!sd->eof_in && ev_is_active(&sd->rd) &&
			    conn_pending(&sd->conn))
				ev_feed_event(s->thr->loop, &sd->rd, EV_READ);
			return 0;
		}
	}
}

/* ---- server connection -------------------------------------------------- */

static int stream_connect(struct stream *s);

/* option logasap in TCP mode: the line is written now that the server is
 * connected, and not again when the stream ends. */
static void stream_log_asap(struct stream *s)
{
	struct runtime *rt = s->rt;
	char line[LOG_LINE_MAX];
	char mp[2] = { stream_mptcp_mark(s, STREAM_CLI),
	               stream_mptcp_mark(s, STREAM_SRV) };
	size_t n;

	if (!(rt->plan->proxies[s->frontend].flags & PLAN_PX_F_LOGASAP) ||
	    s->logged_asap)
		return;
	gen_lock(rt);
	n = log_stream_line_asap(s, mp, line, sizeof(line));
	gen_unlock(rt);
	if (n)
		log_stream_emit(rt, s->frontend, line, n, LOG_LVL_INFO);
	s->logged_asap = 1;
}

/* The server side is connected: start reading it and send what the client
 * already sent (after the PROXY header, when the server wants one). */
static int stream_connected(struct stream *s)
{
	struct ev_loop *loop = s->thr->loop;
	struct stream_side *srv = &s->side[STREAM_SRV];
	char mp;

	s->connecting = 0;
	if (s->stick && s->stick->stores.n)
		stk_stores_commit(s->rt, &s->stick->stores, s->server);
	mp = stream_mptcp_mark(s, STREAM_SRV);
	s->t_connect = ev_now(loop);
	gen_lock(s->rt);
	stats_on_connect(s, mp);
	gen_unlock(s->rt);
	if (!s->app)
		stream_log_asap(s);
	stream_set_timeout(s, STREAM_SRV);
	stream_set_timeout(s, STREAM_CLI);
	ev_io_start(loop, &srv->rd);
	if (!s->app && s->backend != PLAN_NONE &&
	    s->rt->plan->tcp[s->backend].nresponse) {
		/* the server's first bytes wait for tcp-response rules */
		uint32_t ms = s->rt->plan->tcp[s->backend].res_inspect_delay;

		s->res_inspect = 1;
		ev_timer_stop(loop, &s->wait_timer);
		ev_timer_set(&s->wait_timer, ms / 1000.0, 0.);
		ev_timer_start(loop, &s->wait_timer);
	}
	return stream_flush(s, STREAM_SRV);
}

/* The balancer's choice of a server for stream `s` (PLAN_NONE: none),
 * other than `avoid` where the algorithm can (consistent hashing walks
 * on along its ring, as HAProxy does on a redispatch); lock held. */
static uint32_t stream_pick(struct stream *s, uint32_t avoid)
{
	return balance_pick_avoid(s->rt, s->backend,
	                          (const struct sockaddr *)&s->cli_addr,
	                          s->cli_addrlen,
	                          s->has_lb_key ? &s->lb_key : NULL, avoid);
}

/*
 * option prefer-last-server: the server of the connection an earlier
 * request of this client connection left kept, when that server is
 * usable now (UP, ready, a weight) and the backend balances without
 * hashing (HAProxy skips source, uri, url_param, hdr and random, whose
 * choice is the hash's);
 * its room is not looked at: a full server queues the request, as in
 * HAProxy. HAProxy looks only at the connections its session owns, the
 * private ones: with `http-reuse never`; under the other modes a
 * finished server connection goes to the server's idle list and the
 * option changes nothing (HAProxy 2.6 checked side by side), so cfgrun
 * prefers only under `never`. PLAN_NONE otherwise. Lock held.
 */
static uint32_t stream_prefer_last(const struct stream *s)
{
	const struct runtime *rt = s->rt;
	const struct plan_proxy *be = &rt->plan->proxies[s->backend];

	if (!(be->flags & PLAN_PX_F_PREFER_LAST) || s->kept_srv == PLAN_NONE ||
	    http_conf(rt, s->backend)->reuse != PLAN_HTTP_REUSE_NEVER ||
	    balance_is_hash(be->balance) ||
	    be->balance == PLAN_BALANCE_RANDOM ||
	    rt->plan->servers[s->kept_srv].proxy != s->backend ||
	    s->side[STREAM_SRV].conn.fd < 0 ||
	    !balance_srv_usable(rt, s->kept_srv))
		return PLAN_NONE;
	return s->kept_srv;
}

int stream_srv_persist_ok(const struct runtime *rt, uint32_t srv)
{
	return use_server_ok(rt, srv);
}

/*
 * Choose a server for stream `s` (on a first dispatch, s->want_srv when
 * set: then it queues on that server when it is full) and connect, queue
 * (up to `timeout queue`, default `timeout connect`) or refuse it as
 * HAProxy does: "SQ"
 * when the server's queue is at maxqueue, "SC" when no server is usable
 * at all. After a failed attempt on server `prev` (PLAN_NONE: first
 * dispatch), as HAProxy: to another server than prev when the pool has
 * one; when prev is the only one with a free slot while others are full,
 * wait in the backend's queue for them rather than trying prev again.
 * `force` (PLAN_NONE: none) is the server to use whatever the balancer
 * says: a request sent again to the server that failed it.
 */
static int stream_dispatch_from(struct stream *s, uint32_t prev, uint32_t force)
{
	struct runtime *rt = s->rt;
	const struct plan_proxy *be = &rt->plan->proxies[s->backend];
	enum queue_verdict v;
	uint32_t srv, tmo;

	gen_lock(rt);
	if (force != PLAN_NONE)
		srv = force;
	else if (prev == PLAN_NONE && s->want_srv != PLAN_NONE &&
	    stream_srv_persist_ok(rt, s->want_srv))
		srv = s->want_srv;
	else if (prev != PLAN_NONE ||
	         (srv = stream_prefer_last(s)) == PLAN_NONE)
		srv = stream_pick(s, prev);
	if (prev != PLAN_NONE && srv == prev &&
	    balance_usable(rt, s->backend) > 1) {
		srv = stream_pick(s, prev);
		if (srv == prev && queue_backend_saturated(rt, s->backend))
			srv = PLAN_NONE;
	}
	v = queue_assign(rt, s, srv);
	gen_unlock(rt);
	switch (v) {
	case QUEUE_SERVED:
		return stream_connect(s);
	case QUEUE_WAITING:
		/* A slot freed by another thread from now on reaches us
		 * through our inbox, after this. */
		s->wait = STREAM_WAIT_QUEUE;
		tmo = be->timeout_queue ? be->timeout_queue : be->timeout_connect;
		if (tmo) {
			ev_timer_set(&s->wait_timer, tmo / 1000.0, 0.);
			ev_timer_start(s->thr->loop, &s->wait_timer);
		}
		return 0;
	case QUEUE_FULL:
		return stream_end(s, "SQ", "server queue full (maxqueue %u)",
		                  rt->plan->servers[srv].maxqueue);
	default:
		return stream_end(s, "SC", "no server available");
	}
}

/* Choose a server for stream `s` and connect, queue or refuse it. */
int stream_dispatch(struct stream *s)
{
	return stream_dispatch_from(s, PLAN_NONE, PLAN_NONE);
}

int stream_dispatch_retry(struct stream *s, uint32_t prev, int redisp)
{
	if (redisp)
		return stream_dispatch_from(s, prev, PLAN_NONE);
	return stream_dispatch_from(s, PLAN_NONE, prev);
}

/* Active (not backup) servers of backend `be` usable now; lock held. */
static uint32_t stream_active_servers(const struct runtime *rt, uint32_t be)
{
	const struct lb_backend *lb = rt->proxies[be].lb;

	return lb ? lb->nact : 0;
}

int stream_redispatch_wanted(const struct stream *s, uint32_t prev)
{
	const struct runtime *rt = s->rt;
	const struct plan_proxy *be = &rt->plan->proxies[s->backend];

	return (be->flags & PLAN_PX_F_REDISPATCH) &&
	       (s->retries + 1 == be->retries || !balance_srv_usable(rt, prev) ||
	        (!balance_is_hash(be->balance) &&
	         stream_active_servers(rt, s->backend) > 1));
}

/*
 * A connection attempt failed (`timeout`: it timed out). With retries
 * left, HAProxy's policy: retry the same server after a turn-around of
 * min(timeout connect, 1s) (none after a timeout); with `option
 * redispatch`, go back to the balancer instead on the last retry, when the
 * server is no longer usable (DOWN, maintenance), or on every retry when
 * the algorithm is not a hash and more than one server is active.
 * Without retries left, the stream ends ("SC", "sC" on timeout).
 */
static int stream_connect_failed(struct stream *s, int timeout, const char *why)
{
	struct runtime *rt = s->rt;
	struct ev_loop *loop = s->thr->loop;
	const struct plan_proxy *be = &rt->plan->proxies[s->backend];
	struct stream_side *srv = &s->side[STREAM_SRV];
	uint32_t active;
	uint32_t prev = s->server;
	int redisp, last;

	ev_io_stop(loop, &srv->rd);
	ev_io_stop(loop, &srv->wr);
	ev_timer_stop(loop, &srv->idle);
	conn_close(&srv->conn);
	s->connecting = 0;
	s->srv_handshake = 0;
	/* retry-on without conn-failure retries no connection (in TCP
	 * mode too: HAProxy 2.6 checked) */
	last = s->retries >= be->retries ||
	       (be->flags & PLAN_PX_F_NO_CONN_RETRY);
	gen_lock(rt);
	server_note_connect_error(rt, prev);
	active = stream_active_servers(rt, s->backend);
	redisp = !last && stream_redispatch_wanted(s, prev);
	if (redisp)
		queue_release(rt, s);
	if (!last)
		stats_on_retry(s, prev, redisp);
	gen_unlock(rt);
	if (last)
		return stream_end(s, timeout ? "sC" : "SC", "%s", why);
	s->retries++;
	if (redisp) {
		s->redispatched = 1;
		s->want_srv = PLAN_NONE;    /* the balancer decides now */
	}
	if (!timeout && (!redisp || active <= 1)) {
		uint32_t ms = be->timeout_connect && be->timeout_connect < 1000 ?
		              be->timeout_connect : 1000;

		s->wait = STREAM_WAIT_RETRY;
		ev_timer_set(&s->wait_timer, ms / 1000.0, 0.);
		ev_timer_start(loop, &s->wait_timer);
		return 0;
	}
	return redisp ? stream_dispatch_from(s, prev, PLAN_NONE) : stream_connect(s);
}

/* The address the client connected to (the PROXY header's destination on
 * accept-proxy, else our local address), into s->dst_addr. 0 or -1. */
static int stream_dst(struct stream *s)
{
	socklen_t len = sizeof(s->dst_addr);

	if (s->dst_addrlen)
		return 0;
	if (getsockname(s->side[STREAM_CLI].conn.fd, (struct sockaddr *)&s->dst_addr,
	                &len) < 0)
		return -1;
	s->dst_addrlen = len;
	return 0;
}

/*
 * The server address to connect to: the plan's, with the port the client
 * connected to for a server without port, or that port plus the offset
 * for a "+N"/"-N" port. -1 when that port is unknown (client not on IP).
 */
static int stream_srv_addr(struct stream *s, const struct plan_server *ps,
                           struct plan_addr *a)
{
	in_port_t *port;
	uint16_t cport;

	server_addr(s->rt, s->server, a);
	if (!(ps->flags & (PLAN_SRV_F_NOPORT | PLAN_SRV_F_OFFSET)))
		return 0;
	if (stream_dst(s) < 0 || (s->dst_addr.ss_family != AF_INET &&
	                          s->dst_addr.ss_family != AF_INET6))
		return -1;
	cport = ntohs(s->dst_addr.ss_family == AF_INET ?
	              ((struct sockaddr_in *)&s->dst_addr)->sin_port :
	              ((struct sockaddr_in6 *)&s->dst_addr)->sin6_port);
	if (ps->flags & PLAN_SRV_F_OFFSET)
		cport = (uint16_t)(cport + ps->port_offset);
	if (a->family == PLAN_FAM_INET)
		port = &((struct sockaddr_in *)a->sa)->sin_port;
	else if (a->family == PLAN_FAM_INET6)
		port = &((struct sockaddr_in6 *)a->sa)->sin6_port;
	else
		return 0;
	*port = htons(cport);
	return 0;
}

/* Prepare the PROXY header server `ps` wants before any data, if any:
 * 0, or -1 without memory for it. */
static int stream_pp_prepare(struct stream *s, const struct plan_server *ps)
{
	const struct sockaddr *dst = NULL;

	s->pp_out_len = s->pp_out_off = 0;
	if (!(ps->flags & (PLAN_SRV_F_SEND_PROXY | PLAN_SRV_F_SEND_PROXY2)))
		return 0;
	if (!s->pp_out && !(s->pp_out = malloc(PROXY_PROTO_OUT_MAX)))
		return -1;
	if (stream_dst(s) == 0)
		dst = (const struct sockaddr *)&s->dst_addr;
	if (ps->flags & PLAN_SRV_F_SEND_PROXY2)
		s->pp_out_len = (uint16_t)proxy_proto_v2(
			(const struct sockaddr *)&s->cli_addr, dst, s->pp_out);
	else
		s->pp_out_len = (uint16_t)proxy_proto_v1(
			(const struct sockaddr *)&s->cli_addr, dst, s->pp_out);
	return 0;
}

/*
 * The SNI a TLS server gets for this stream, as its `sni` says: a fixed
 * name, the request's Host header (HTTP), or the client's own SNI. NULL
 * when none is sent.
 */
static const char *stream_srv_sni(const struct stream *s,
                                  const struct plan_tls_server *t,
                                  char *buf, size_t size)
{
	const struct plan *p = s->rt->plan;
	SSL *cli;

	switch (t->sni) {
	case PLAN_TLS_SNI_STR:
		return plan_str_get(p, t->sni_name);
	case PLAN_TLS_SNI_HOST:
	case PLAN_TLS_SNI_HOST_NOPORT:
		if (s->app && s->app->req_host &&
		    s->app->req_host(s, t->sni == PLAN_TLS_SNI_HOST_NOPORT, buf,
		                     size))
			return buf;
		return NULL;
	case PLAN_TLS_SNI_FC_SNI:
		cli = xprt_ssl_get(&s->side[STREAM_CLI].conn);
		return cli ? SSL_get_servername(cli, TLSEXT_NAMETYPE_host_name) :
		             NULL;
	default:
		return NULL;
	}
}

/*
 * 1 when server connection c, made for another request (kept by this
 * client or parked idle) may carry this one: always over plain TCP; over
 * TLS when it was made with the SNI the request of stream `arg` sends.
 */
static int stream_srv_conn_fits(const struct conn *c, const void *arg)
{
	const struct stream *s = arg;
	const struct plan_tls_server *t = tls_server_of(s->rt, s->server, 0);
	SSL *ssl = xprt_ssl_get(c);
	const char *had, *want;
	char host[256];

	if (!t || !ssl || t->sni == PLAN_TLS_SNI_NONE ||
	    t->sni == PLAN_TLS_SNI_STR)
		return 1;
	had = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
	want = stream_srv_sni(s, t, host, sizeof(host));
	if (!had || !want)
		return !had && !want;
	return !strcmp(had, want);
}

/* A transport handshake under way on side sd waits on the watcher the
 * transport asks for: writable, else readable. */
static void stream_handshake_wait(struct ev_loop *loop, struct stream_side *sd)
{
	if (sd->conn.flags & CONN_F_WANT_WRITE) {
		ev_io_stop(loop, &sd->rd);
		ev_io_start(loop, &sd->wr);
	} else {
		ev_io_stop(loop, &sd->wr);
		ev_io_start(loop, &sd->rd);
	}
}

static int stream_srv_handshake(struct stream *s);

/*
 * The TCP connection to the server is up: over TLS, the handshake comes
 * first (still in the connect phase); else the stream is connected.
 */
static int stream_srv_up(struct stream *s)
{
	if (xprt_ssl_get(&s->side[STREAM_SRV].conn)) {
		s->srv_handshake = 1;
		return stream_srv_handshake(s);
	}
	return stream_connected(s);
}

/*
 * Run the server connection's TLS handshake as far as the socket allows.
 * A failure is a failed connection attempt (retried as one, logged with
 * the library's reason); a stall ends with `timeout connect`.
 */
static int stream_srv_handshake(struct stream *s)
{
	struct stream_side *srv = &s->side[STREAM_SRV];
	struct ev_loop *loop = s->thr->loop;
	char why[300];
	int r = conn_handshake(&srv->conn);

	if (r < 0) {
		int e = errno;

		snprintf(why, sizeof(why), "TLS handshake with server %s: %s",
		         plan_str_get(s->rt->plan,
		                      s->rt->plan->servers[s->server].name),
		         conn_error(&srv->conn, e));
		tls_server_note(s->rt, s->server, &srv->conn, TLS_HS_FAILED);
		return stream_connect_failed(s, 0, why);
	}
	if (r > 0) {
		stream_handshake_wait(loop, srv);
		return 0;
	}
	s->srv_handshake = 0;
	ev_io_stop(loop, &srv->wr);
	tls_server_note(s->rt, s->server, &srv->conn, TLS_HS_FULL);
	if (stream_connected(s) < 0)
		return -1;
	/* Bytes the server sent with its last handshake flight. */
	if (conn_pending(&srv->conn) && ev_is_active(&srv->rd))
		ev_feed_event(loop, &srv->rd, EV_READ);
	return 0;
}

/*
 * Start connecting to the stream's server (its slot is held) with the
 * server's own family and protocol.
 */
/* usesrc client/clientip: the client's address (its port only for
 * `client`) into *src when the client came over the server's IP family;
 * 0 otherwise (the server's source applies). */
static int stream_usesrc(const struct stream *s, const struct plan_server *ps,
                         const struct plan_addr *a, struct plan_addr *src)
{
	int fam = s->cli_addr.ss_family;

	if (!(ps->flags & (PLAN_SRV_F_USESRC_CLIENT | PLAN_SRV_F_USESRC_CLIENTIP)) ||
	    (fam != AF_INET && fam != AF_INET6) ||
	    (fam == AF_INET) != (a->family == PLAN_FAM_INET) ||
	    s->cli_addrlen > sizeof(src->sa))
		return 0;
	memset(src, 0, sizeof(*src));
	src->family = fam == AF_INET ? PLAN_FAM_INET : PLAN_FAM_INET6;
	memcpy(src->sa, &s->cli_addr, s->cli_addrlen);
	src->salen = s->cli_addrlen;
	if (ps->flags & PLAN_SRV_F_USESRC_CLIENTIP)
		((struct sockaddr_in *)(void *)src->sa)->sin_port = 0;
	return 1;
}

static int stream_connect(struct stream *s)
{
	struct runtime *rt = s->rt;
	const struct plan_server *ps = &rt->plan->servers[s->server];
	struct stream_side *srv = &s->side[STREAM_SRV];
	const struct plan_tls_server *tls;
	struct plan_addr a;
	char name[160], err[256], why[300];
	int fd, port_known;

	/* names are formatted only for a message: not on every connect */
	s->wait = STREAM_WAIT_NONE;
	s->kill_seq = __atomic_load_n(&rt->servers[s->server].kill_seq,
	                              __ATOMIC_ACQUIRE);
	port_known = stream_srv_addr(s, ps, &a) == 0;
	if (sock_family(&a) < 0) {
		sock_plan_addr_str(&a, name, sizeof(name));
		return stream_end(s, "SC",
		                  "servers on %s addresses are not supported yet",
		                  name);
	}
	if (!port_known) {
		sock_plan_addr_str(&a, name, sizeof(name));
		return stream_end(s, "SC",
		                  "server %s takes its port from the client's, and the client did not connect over IP",
		                  name);
	}
	if (srv->conn.fd >= 0) {
		/* A connection this client's earlier request left. */
		if (s->kept_srv == s->server &&
		    stream_srv_conn_fits(&srv->conn, s)) {
			stream_set_kept(s, PLAN_NONE);
			s->pp_out_len = s->pp_out_off = 0;
			s->reused = 1;
			return stream_connected(s);
		}
		stream_srv_unkeep(s);
	}
	if (s->reuse && !(ps->flags & (PLAN_SRV_F_SEND_PROXY | PLAN_SRV_F_SEND_PROXY2)) &&
	    srv_idle_take(s->thr, rt->generation, s->server, &srv->conn,
	                  stream_srv_conn_fits, s) == 0) {
		/* A connection kept from an earlier request: no connect. */
		ev_io_set(&srv->rd, srv->conn.fd, EV_READ);
		ev_io_set(&srv->wr, srv->conn.fd, EV_WRITE);
		s->pp_out_len = s->pp_out_off = 0;
		s->reused = 1;
		return stream_connected(s);
	}
	s->reused = 0;
	srv_idle_make_room(s->thr, rt);
	if (stream_pp_prepare(s, ps) < 0)
		return stream_end(s, "SC", "out of memory for a PROXY header");
	{
		struct plan_addr src;

		if (stream_usesrc(s, ps, &a, &src))
			fd = sock_open_transparent(&a, &src, err, sizeof(err));
		else {
			plan_server_source(rt->plan, s->server, &src);
			fd = sock_open_from(&a, &src, err, sizeof(err));
		}
	}
	if (fd < 0) {
		sock_plan_addr_str(&a, name, sizeof(name));
		return stream_end(s, "SC", "server %s: %s", name, err);
	}
	conn_init(&srv->conn, fd, &xprt_raw);
	if ((tls = tls_server_of(rt, s->server, 0)) != NULL) {
		char host[256];

		if (tls_server_attach(rt, s->server, &srv->conn,
		                      stream_srv_sni(s, tls, host, sizeof(host)),
		                      0) < 0)
			return stream_end(s, "SC", "out of memory for a TLS "
			                  "connection");
	}
	sock_set_nodelay(fd, sock_family(&a));
	sock_set_keepalive(fd, (rt->plan->proxies[ps->proxy].flags &
	                        PLAN_PX_F_SRVTCPKA) != 0);
	if (rt->plan->servers[s->server].flags & PLAN_SRV_F_TFO)
		sock_set_tfo_connect(fd, sock_family(&a));
	ev_io_set(&srv->rd, fd, EV_READ);
	ev_io_set(&srv->wr, fd, EV_WRITE);
	if (connect(fd, (const struct sockaddr *)a.sa, a.salen) == 0) {
		s->connecting = 1;
		stream_set_timeout(s, STREAM_SRV);
		return stream_srv_up(s);
	}
	if (errno != EINPROGRESS) {
		int e = errno;

		sock_plan_addr_str(&a, name, sizeof(name));
		snprintf(why, sizeof(why), "connect to %s: %s", name, strerror(e));
		return stream_connect_failed(s, 0, why);
	}
	s->connecting = 1;
	stream_set_timeout(s, STREAM_SRV);
	ev_io_start(s->thr->loop, &srv->wr);
	return 0;
}

/* The non-blocking connect finished: did it succeed? */
static int stream_connect_done(struct stream *s)
{
	int err = 0;
	socklen_t len = sizeof(err);
	char name[160], why[300];
	struct plan_addr a;

	if (getsockopt(s->side[STREAM_SRV].conn.fd, SOL_SOCKET, SO_ERROR, &err,
	               &len) < 0)
		err = errno;
	if (err == EINPROGRESS || err == EALREADY)
		return 0;
	if (err) {
		server_addr(s->rt, s->server, &a);
		sock_plan_addr_str(&a, name, sizeof(name));
		snprintf(why, sizeof(why), "connect to %s: %s", name, strerror(err));
		return stream_connect_failed(s, 0, why);
	}
	return stream_srv_up(s);
}

/*
 * TCP content inspection (tcp-request session and content rules, then
 * use_backend on the bytes received): the stream waits in
 * STREAM_WAIT_INSPECT, its client's bytes stay in its buffer, and
 * acl_inspect() runs at every read and once more, final, when the
 * inspect delay ends (wait_timer). Then the backend is chosen and the
 * buffered bytes go to the server first.
 */
static int stream_inspect(struct stream *s, int final)
{
	struct runtime *rt = s->rt;
	uint32_t be;

	switch (acl_inspect(s, final)) {
	case ACL_WAIT:
		return 0;
	case ACL_REJECT:
		acl_conn_linger0(s->side[STREAM_CLI].conn.fd);
		return stream_end(s, "PR", "rejected by a tcp-request rule");
	case ACL_DROP:
		acl_silent_drop_prepare(s->side[STREAM_CLI].conn.fd);
		acl_conn_linger0(s->side[STREAM_CLI].conn.fd);
		return stream_end(s, "PR", "silent-drop by a tcp-request rule");
	default:
		break;
	}
	ev_timer_stop(s->thr->loop, &s->wait_timer);
	s->wait = STREAM_WAIT_NONE;
	be = acl_backend_l6(s);
	if (be == PLAN_NONE)
		return stream_end(s, "PR", "proxy '%s' has no backend",
		                  plan_str_get(rt->plan,
		                               rt->plan->proxies[s->frontend].name));
	stream_set_backend(s, be);
	acl_stick(s);
	return stream_dispatch(s);
}

/* Enter inspection (after accept, or after the PROXY header). */
static int stream_inspect_start(struct stream *s)
{
	uint32_t ms = s->rt->plan->tcp[s->frontend].inspect_delay;

	s->wait = STREAM_WAIT_INSPECT;
	if (ms) {
		ev_timer_set(&s->wait_timer, ms / 1000.0, 0.);
		ev_timer_start(s->thr->loop, &s->wait_timer);
	}
	return stream_inspect(s, ms == 0);
}

/* tcp-response content rules on the server's first bytes (see
 * stream_connected()): the bytes go to the client once they decide. */
static int stream_res_inspect(struct stream *s, int final)
{
	switch (acl_response(s, final)) {
	case ACL_WAIT:
		return 0;
	case ACL_REJECT:
		acl_conn_linger0(s->side[STREAM_CLI].conn.fd);
		return stream_end(s, "PD", "rejected by a tcp-response rule");
	case ACL_CLOSE:
		/* what came is sent; the server's side reads its end next */
		(void)shutdown(s->side[STREAM_SRV].conn.fd, SHUT_RDWR);
		break;
	default:
		break;
	}
	s->res_inspect = 0;
	ev_timer_stop(s->thr->loop, &s->wait_timer);
	return stream_flush(s, STREAM_CLI);
}

/*
 * Judge the first `len` bytes a client sent on a connection that must
 * begin with a PROXY header (eof: it closed after them): 1 with *h filled
 * when the header is whole, 0 to wait for bytes (none came yet), -1 with
 * term and why[size] set when the client is refused: a malformed header
 * ("PR"), one that does not arrive whole ("PR"), or a client closing
 * before the end of it ("CR").
 */
static int stream_proxy_judge(const uint8_t *buf, uint32_t len, int eof,
                              struct proxy_proto_hdr *h, char term[3],
                              char *why, size_t size)
{
	char err[200];

	memcpy(term, "PR", 3);
	switch (proxy_proto_parse(buf, len, STREAM_BUFSZ, h, err, sizeof(err))) {
	case PROXY_PROTO_BAD:
		snprintf(why, size, "bad PROXY header: %s", err);
		return -1;
	case PROXY_PROTO_MORE:
		if (eof) {
			memcpy(term, "CR", 3);
			snprintf(why, size, "client closed after %u bytes of a "
			         "PROXY header", len);
			return -1;
		}
		/* HAProxy peeks the header and refuses it when the first bytes
		 * that arrive are not all of it (truncated): a header is sent
		 * in one write, and none can be trickled in. */
		if (len) {
			snprintf(why, size, "truncated PROXY header: %u bytes "
			         "arrived without the rest", len);
			return -1;
		}
		return 0;
	default:
		return 1;
	}
}

/*
 * A whole PROXY header h, read into buf, replaces the connection's
 * addresses (for the log, the fetches, the balancer and send-proxy) and
 * keeps its TLVs for the fc_pp_* fetches. 0, or -1 after ending the
 * stream through end().
 */
static int stream_proxy_apply(struct stream *s, const struct proxy_proto_hdr *h,
                              const uint8_t *buf,
                              int (*end)(struct stream *, const char *,
                                         const char *))
{
	struct conn *c = &s->side[STREAM_CLI].conn;

	c->flags |= CONN_F_PROXY;
	if (h->tlv_len && !c->pp_tlv) {
		/* kept for the fc_pp_* fetches while the connection lives */
		c->pp_tlv = malloc(h->tlv_len);
		if (!c->pp_tlv)
			return end(s, "PR", "out of memory for PROXY TLVs");
		memcpy(c->pp_tlv, buf + h->tlv_off, h->tlv_len);
		c->pp_tlv_len = h->tlv_len;
	}
	if (h->has_addr) {
		memcpy(&s->cli_addr, &h->src, h->srclen);
		s->cli_addrlen = h->srclen;
		memcpy(&s->dst_addr, &h->dst, h->dstlen);
		s->dst_addrlen = h->dstlen;
	}
	return 0;
}

/* stream_end() with a fixed reason, as stream_proxy_apply() calls it. */
static int stream_end_why(struct stream *s, const char *term, const char *why)
{
	return stream_end(s, term, "%s", why);
}

/*
 * Bytes arrived on an accept-proxy connection over a raw transport (read
 * into the client's buffer): once the PROXY header is complete it is
 * applied and consumed, and the stream goes on with whatever followed it.
 */
static int stream_proxy_header(struct stream *s)
{
	struct stream_side *cli = &s->side[STREAM_CLI];
	struct proxy_proto_hdr h;
	char term[3], why[240];

	switch (stream_proxy_judge((const uint8_t *)cli->in.data, cli->in.len,
	                           cli->eof_in, &h, term, why, sizeof(why))) {
	case -1:
		return stream_end(s, term, "%s", why);
	case 0:
		return 0;
	default:
		break;
	}
	if (stream_proxy_apply(s, &h, (const uint8_t *)cli->in.data,
	                       stream_end_why) < 0)
		return -1;
	buf_consume(&cli->in, h.len);
	s->wait = STREAM_WAIT_NONE;
	stream_touch(s, STREAM_CLI);        /* the header's deadline is over */
	if (s->app)
		return s->app->on_read(s, STREAM_CLI);
	if (acl_inspects(s->rt, s->frontend))
		return stream_inspect_start(s);
	acl_backend_after_proxy(s);
	if (s->backend == PLAN_NONE)
		return stream_end(s, "PR", "proxy '%s' has no backend",
		                  plan_str_get(s->rt->plan,
		                               s->rt->plan->proxies[s->frontend].name));
	acl_stick(s);
	return stream_dispatch(s);
}

/*
 * Close the server side of stream `s` and give its server slot and
 * backend back (HTTP mode: the request is over, the client stays). The
 * server's bytes not yet forwarded are dropped. The caller logged and
 * counted the request first.
 */
void stream_srv_close(struct stream *s, int keep)
{
	struct runtime *rt = s->rt;
	struct ev_loop *loop = s->thr->loop;
	struct stream_side *srv = &s->side[STREAM_SRV];
	const struct plan_server *ps = s->server != PLAN_NONE ?
	                               &rt->plan->servers[s->server] : NULL;

	ev_timer_stop(loop, &s->wait_timer);
	ev_io_stop(loop, &srv->wr);
	ev_timer_stop(loop, &srv->idle);
	stream_set_kept(s, PLAN_NONE);
	if (keep && ps && srv->conn.fd >= 0 && !s->connecting &&
	    srv->in.len == 0 && srv->out_pre_off >= srv->out_pre_len &&
	    !(ps->flags & (PLAN_SRV_F_SEND_PROXY | PLAN_SRV_F_SEND_PROXY2)) &&
	    (!rt->idle_fd_low ||
	     srv_idle_fds(s->thr->ops) < rt->idle_fd_low)) {
		/* The connection stays with this client (HAProxy keeps it
		 * attached to the session): its read watcher stays on, so a
		 * server closing it is seen (the app drops it), and the next
		 * request to that server takes it without an epoll change. */
		stream_set_kept(s, s->server);
	} else {
		ev_io_stop(loop, &srv->rd);
		conn_close(&srv->conn);
	}
	srv->in.head = srv->in.len = 0;
	stream_buf_release(s, STREAM_SRV);
	srv->eof_in = srv->shut_out = 0;
	srv->fwd = STREAM_FWD_ALL;
	srv->bytes_in = srv->bytes_out = 0;
	stream_out_pre_free(s, STREAM_SRV);
	s->connecting = 0;
	s->srv_handshake = 0;
	gen_lock(rt);
	queue_abandon(rt, s);
	s->grant = 0;
	queue_release(rt, s);
	if (s->backend != PLAN_NONE)
		rt->proxies[s->backend].beconn--;
	gen_unlock(rt);
	if (s->was_queued && rt->mt)
		inbox_cancel(s);
	s->was_queued = 0;
	s->backend = s->server = PLAN_NONE;
	s->wait = STREAM_WAIT_NONE;
	s->t_connect = -1;
	s->t_queued = -1;
	s->queued_s = 0;
	s->retries = 0;
	s->redispatched = 0;
	s->srv_queue_pos = s->be_queue_pos = 0;
	s->pp_out_len = s->pp_out_off = 0;
}

void stream_srv_unkeep(struct stream *s)
{
	struct stream_side *srv = &s->side[STREAM_SRV];

	ev_io_stop(s->thr->loop, &srv->rd);
	/* http-reuse never: the connection was this client's own (private
	 * to its session in HAProxy), never shared: closed, not parked */
	if (s->kept_srv != PLAN_NONE && srv->conn.fd >= 0 && srv->in.len == 0 &&
	    http_conf(s->rt, s->rt->plan->servers[s->kept_srv].proxy)->reuse !=
	    PLAN_HTTP_REUSE_NEVER)
		(void)srv_idle_put(s->thr, s->rt->generation, s->kept_srv,
		                   &srv->conn);
	else
		conn_close(&srv->conn);
	srv->in.len = srv->in.head = 0;
	stream_buf_release(s, STREAM_SRV);
	srv->eof_in = 0;
	stream_set_kept(s, PLAN_NONE);
}

/* Set the backend of stream `s` (PLAN_NONE before) and count it there. */
void stream_set_backend(struct stream *s, uint32_t be)
{
	s->backend = be;
	gen_lock(s->rt);
	s->rt->proxies[be].beconn++;
	gen_unlock(s->rt);
}

/* ---- callbacks ---------------------------------------------------------- */

/* The stream behind a watcher; a dead one means a watcher outlived its
 * stream, which is a bug worth stopping on. */
static struct stream *stream_of(void *data)
{
	struct stream *s = data;

	if (s->magic != STREAM_MAGIC) {
		log_error("internal error: stream watcher fired with magic %#x",
		          s->magic);
		abort();
	}
	return s;
}

static int stream_begin(struct stream *s, int proxy_first);

/*
 * A handshake that failed or stalled ends the stream before any request:
 * the application layer is released first, so that it answers nothing
 * over a transport that is not up (the log line is the TCP one).
 */
static int stream_handshake_end(struct stream *s, const char *term,
                                const char *why)
{
	if (s->app) {
		s->app->release(s);
		s->app = NULL;
	}
	return stream_end(s, term, "%s", why);
}

/*
 * The PROXY header that precedes a transport's handshake (accept-proxy or
 * expect-proxy on a TLS listener), read off the socket beneath the
 * transport: peeked whole, judged as on a raw listener, then exactly its
 * bytes are taken, so that the ClientHello that may have come in the
 * same segment stays on the socket for the handshake. 1 when the header
 * is in (s->wait is then NONE), 0 to wait, -1 when the stream ended. The
 * client's deadline is not restarted: `timeout client` from the accept
 * bounds the header and the handshake together, as HAProxy bounds its
 * connection handshakes.
 */
static int stream_proxy_peek(struct stream *s)
{
	struct stream_side *cli = &s->side[STREAM_CLI];
	struct proxy_proto_hdr h;
	char term[3], why[240];
	ssize_t n;

	if (!cli->in.data) {
		cli->in.data = pool_get(&s->thr->buf_pool);
		if (!cli->in.data)
			return stream_handshake_end(s, "CR", "out of memory for "
			                            "a buffer");
		cli->in.head = cli->in.len = 0;
	}
	n = conn_sock_peek(&cli->conn, cli->in.data, STREAM_BUFSZ);
	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		snprintf(why, sizeof(why), "read from client: %s",
		         strerror(errno));
		return stream_handshake_end(s, "CR", why);
	}
	switch (stream_proxy_judge((const uint8_t *)cli->in.data, (uint32_t)n,
	                           n == 0, &h, term, why, sizeof(why))) {
	case -1:
		return stream_handshake_end(s, term, why);
	case 0:
		return 0;
	default:
		break;
	}
	n = conn_sock_take(&cli->conn, cli->in.data, h.len);
	if (n != (ssize_t)h.len) {
		snprintf(why, sizeof(why), "read from client: %s", n < 0 ?
		         strerror(errno) : "the PROXY header went missing");
		return stream_handshake_end(s, "CR", why);
	}
	if (stream_proxy_apply(s, &h, (const uint8_t *)cli->in.data,
	                       stream_handshake_end) < 0)
		return -1;
	s->wait = STREAM_WAIT_NONE;
	return 1;
}

/*
 * Run the client's transport handshake (TLS) as far as the socket allows,
 * waiting on the watcher the transport asks for, after the PROXY header
 * when one comes first. Once it is done the stream starts as a plain one
 * would at accept (backend, dispatch or the HTTP layer), and bytes the
 * transport already holds are read at once.
 */
static int stream_handshake(struct stream *s)
{
	struct stream_side *cli = &s->side[STREAM_CLI];
	struct ev_loop *loop = s->thr->loop;
	char why[160];
	int r;

	if (s->wait == STREAM_WAIT_PROXY) {
		r = stream_proxy_peek(s);
		if (r <= 0)
			return r;
	}
	r = conn_handshake(&cli->conn);
	if (r < 0) {
		int e = errno;

		snprintf(why, sizeof(why), "handshake: %s",
		         conn_error(&cli->conn, e));
		tls_accept_note(s->rt, s->listener, &cli->conn, TLS_HS_FAILED);
		return stream_handshake_end(s, "CR", why);
	}
	if (r > 0) {
		stream_handshake_wait(loop, cli);
		return 0;
	}
	s->handshake = 0;
	tls_accept_note(s->rt, s->listener, &cli->conn, TLS_HS_FULL);
	ev_io_stop(loop, &cli->wr);
	stream_touch(s, STREAM_CLI);
	if (!s->app && !acl_inspects(s->rt, s->frontend)) {
		/* TCP mode: the rules may read what the handshake told. */
		uint32_t be = acl_backend(s);

		if (be != PLAN_NONE)
			stream_set_backend(s, be);
	}
	if (stream_begin(s, 0) < 0)
		return -1;
	if (conn_pending(&cli->conn) && ev_is_active(&cli->rd))
		ev_feed_event(loop, &cli->rd, EV_READ);
	return 0;
}

static void stream_rd_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct stream *s = stream_of(w->data);

	(void)loop;
	(void)revents;
	if (s->handshake)
		(void)stream_handshake(s);
	else if (s->srv_handshake && w == &s->side[STREAM_SRV].rd)
		(void)stream_srv_handshake(s);
	else
		(void)stream_read(s, w == &s->side[STREAM_SRV].rd);
}

static void stream_wr_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct stream *s = stream_of(w->data);
	int i = w == &s->side[STREAM_SRV].wr;

	(void)loop;
	(void)revents;
	if (s->handshake && i == STREAM_CLI)
		(void)stream_handshake(s);
	else if (i == STREAM_SRV && s->srv_handshake)
		(void)stream_srv_handshake(s);
	else if (i == STREAM_SRV && s->connecting)
		(void)stream_connect_done(s);
	else
		(void)stream_flush(s, i);
}

static void stream_idle_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct stream *s = stream_of(w->data);
	int i = w == &s->side[STREAM_SRV].idle;

	(void)loop;
	(void)revents;
	if (s->handshake) {
		if (s->wait != STREAM_WAIT_PROXY)
			tls_accept_note(s->rt, s->listener,
			                &s->side[STREAM_CLI].conn, TLS_HS_TIMEOUT);
		(void)stream_handshake_end(s, "cR", s->wait == STREAM_WAIT_PROXY ?
		                           "client timeout waiting for the PROXY "
		                           "header" :
		                           "client timeout during the handshake");
	} else if (i == STREAM_SRV && s->connecting) {
		if (s->srv_handshake)
			tls_server_note(s->rt, s->server, &s->side[STREAM_SRV].conn,
			                TLS_HS_TIMEOUT);
		(void)stream_connect_failed(s, 1, "connect timeout");
	} else if (s->app && !s->tcp_fin && s->wait != STREAM_WAIT_PROXY) {
		(void)s->app->on_timeout(s, i);
	} else {
		char term[3] = { i == STREAM_CLI ? 'c' : 's', stream_phase(s), '\0' };

		(void)stream_end(s, term, "%s timeout%s", stream_side_name[i],
		                 s->wait == STREAM_WAIT_PROXY ?
		                 " waiting for the PROXY header" : "");
	}
}

/* The stream's wait is over: queue timeout, turn-around or slot given. */
static void stream_wait_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct stream *s = stream_of(w->data);

	(void)loop;
	(void)revents;
	if (s->wait == STREAM_WAIT_QUEUE) {
		int granted;

		/* Another thread may have given it a slot in the meantime:
		 * then the slot wins, and its inbox message finds nothing. */
		gen_lock(s->rt);
		granted = queue_take_grant(s);
		if (!granted)
			queue_abandon(s->rt, s);
		gen_unlock(s->rt);
		if (!granted) {
			(void)stream_end(s, "sQ", "queue timeout");
			return;
		}
	}
	if (s->wait == STREAM_WAIT_INSPECT) {
		(void)stream_inspect(s, 1);
		return;
	}
	if (s->wait == STREAM_WAIT_NONE && s->res_inspect) {
		(void)stream_res_inspect(s, 1);
		return;
	}
	switch (s->wait) {
	case STREAM_WAIT_RETRY:
		s->wait = STREAM_WAIT_NONE;
		if (s->has_slot)
			(void)stream_connect(s);
		else
			(void)stream_dispatch(s);
		break;
	case STREAM_WAIT_SLOT:
		(void)stream_connect(s);
		break;
	default:
		break;
	}
}

/* ---- creation ----------------------------------------------------------- */

const struct stream_app *stream_http_app;

/* A zeroed stream of thread `thr` with its buffers and watchers ready,
 * or NULL. */
static struct stream *stream_new(struct rt_thread *thr)
{
	struct stream *s = pool_get(&thr->stream_pool);

	if (!s)
		return NULL;
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < 2; i++) {
		struct stream_side *sd = &s->side[i];

		/* Buffers are taken when bytes come (stream_read_once()). */
		conn_reset(&sd->conn);
		ev_init(&sd->rd, stream_rd_cb);
		ev_init(&sd->wr, stream_wr_cb);
		ev_init(&sd->idle, stream_idle_cb);
		sd->rd.data = sd->wr.data = sd->idle.data = s;
	}
	ev_init(&s->wait_timer, stream_wait_cb);
	s->wait_timer.data = s;
	s->t_queued = -1;
	s->kept_srv = PLAN_NONE;
	s->want_srv = PLAN_NONE;
	return s;
}

/* The next stream's uniq. */
static uint64_t stream_uniq_next;

void stream_accept(struct rt_thread *thr, struct runtime *rt, uint32_t li,
                   int fd, const struct sockaddr_storage *addr,
                   socklen_t addrlen, const struct stk_ctrs *stk)
{
	uint32_t fe = rt->plan->listeners[li].proxy;
	struct stream *s = stream_new(thr);
	struct stream_side *cli;
	char mp;
	int no_app = 0, tls, proxy_first;

	if (!s) {
		struct stk_ctrs lost;

		log_error("out of memory for a new connection on proxy '%s'",
		          plan_str_get(rt->plan, rt->plan->proxies[fe].name));
		if (stk) {
			lost = *stk;
			stk_release(&lost, 0);
		}
		close(fd);
		listener_unreserve(rt, &rt->listeners[li], fe, 0);
		return;
	}
	if (rt->plan->ntables && !(s->stick = calloc(1, sizeof(*s->stick)))) {
		struct stk_ctrs lost;

		log_error("out of memory for a new connection on proxy '%s'",
		          plan_str_get(rt->plan, rt->plan->proxies[fe].name));
		if (stk) {
			lost = *stk;
			stk_release(&lost, 0);
		}
		pool_put(&thr->stream_pool, s);
		close(fd);
		listener_unreserve(rt, &rt->listeners[li], fe, 0);
		return;
	}
	s->magic = STREAM_MAGIC;
	s->rt = rt;
	s->thr = thr;
	if (stk && s->stick)
		s->stick->ctrs = *stk;
	s->listener = li;
	s->frontend = fe;
	s->server = PLAN_NONE;
	s->t_accept = ev_now(thr->loop);
	s->t_connect = -1;
	s->uniq = __atomic_fetch_add(&stream_uniq_next, 1, __ATOMIC_RELAXED);
	memcpy(&s->cli_addr, addr, sizeof(s->cli_addr));
	s->cli_addrlen = addrlen;
	s->next = thr->streams;
	if (thr->streams)
		thr->streams->prev = s;
	thr->streams = s;
	thread_count_add(&thr->accepted, 1);
	thread_count_add(&thr->nstreams, 1);

	cli = &s->side[STREAM_CLI];
	conn_init(&cli->conn, fd, &xprt_raw);
	tls = tls_accept(rt, li, &cli->conn);
	s->handshake = tls > 0;
	cli->fwd = s->side[STREAM_SRV].fwd = STREAM_FWD_ALL;
	if (rt->plan->proxies[fe].mode == PLAN_MODE_HTTP) {
		/* Never run an HTTP proxy as TCP: without its layer the
		 * connection is refused below. */
		if (stream_http_app && stream_http_app->attach(s) == 0)
			s->app = stream_http_app;
		else
			no_app = 1;
	}
	/* HTTP: the backend is chosen for each request; TCP with content
	 * rules: after them (stream_inspect()); TLS: once the handshake is
	 * done (stream_handshake()). */
	s->backend = s->app || s->handshake || acl_inspects(rt, fe) ?
	             PLAN_NONE : acl_backend(s);
	if (splice_mode() == SPLICE_ALWAYS)
		cli->spl = s->side[STREAM_SRV].spl = SPLICE_WANT;
	mp = stream_mptcp_mark(s, STREAM_CLI);
	gen_lock(rt);
	rt->proxies[fe].cum_conn++;
	if (s->backend != PLAN_NONE)
		rt->proxies[s->backend].beconn++;
	stats_on_accept(s, mp);
	listener_limits(rt, fe);
	gen_unlock(rt);
	sock_set_nodelay(fd, addr->ss_family);
	sock_set_keepalive(fd, (rt->plan->proxies[fe].flags &
	                        PLAN_PX_F_CLITCPKA) != 0);
	ev_io_set(&cli->rd, fd, EV_READ);
	ev_io_set(&cli->wr, fd, EV_WRITE);
	cli->idle.repeat = rt->plan->proxies[fe].timeout_client / 1000.0;
	if (no_app || tls < 0) {
		(void)stream_end(s, "PR", no_app ?
		                 "out of memory for HTTP request state" :
		                 "out of memory for a TLS connection");
		return;
	}
	/* accept-proxy, or an expect-proxy connection rule: the PROXY
	 * header comes first, before the transport's handshake too. */
	proxy_first = (rt->plan->listeners[li].flags &
	               PLAN_LSN_F_ACCEPT_PROXY) || acl_conn_expect_proxy(s);
	if (s->handshake) {
		/* Nothing happens before it: stream_handshake() goes on,
		 * reading the PROXY header off the socket first. */
		stream_touch(s, STREAM_CLI);
		if (proxy_first)
			s->wait = STREAM_WAIT_PROXY;
		ev_io_start(thr->loop, &cli->rd);
		return;
	}
	(void)stream_begin(s, proxy_first);
}

/* What follows accept once the client's transport is up: refuse a proxy
 * without a backend, or wait for the PROXY header (proxy_first: one is
 * still to come on a raw transport), or hand over to the HTTP layer, or
 * dispatch. -1 when the stream ended. */
static int stream_begin(struct stream *s, int proxy_first)
{
	struct runtime *rt = s->rt;
	struct rt_thread *thr = s->thr;
	struct stream_side *cli = &s->side[STREAM_CLI];
	uint32_t fe = s->frontend;

	if (s->backend == PLAN_NONE && !s->app && !acl_inspects(rt, fe) &&
	    !(proxy_first && acl_has_switching(rt, fe)))
		return stream_end(s, "PR", "proxy '%s' has no backend",
		                  plan_str_get(rt->plan, rt->plan->proxies[fe].name));
	stream_touch(s, STREAM_CLI);
	ev_io_start(thr->loop, &cli->rd);
	if (proxy_first) {
		/* Nothing happens before the header: stream_read() parses it. */
		s->wait = STREAM_WAIT_PROXY;
		return 0;
	}
	if (s->app) {
		/* The request comes first: stream_read() hands it over. */
		s->app->start(s);
		return 0;
	}
	if (acl_inspects(rt, fe))
		return stream_inspect_start(s);
	acl_stick(s);
	return stream_dispatch(s);
}

/* The first stream of thr connected (or connecting) to a server whose
 * kill_seq moved since, or NULL. */
static struct stream *stream_next_killed(struct rt_thread *thr)
{
	for (struct stream *s = thr->streams; s; s = s->next) {
		const struct rt_server *rs;

		if (s->admin_kill)
			return s;
		if (s->server == PLAN_NONE || s->wait != STREAM_WAIT_NONE)
			continue;
		rs = &s->rt->servers[s->server];
		if (__atomic_load_n(&rs->kill_seq, __ATOMIC_ACQUIRE) != s->kill_seq)
			return s;
	}
	return NULL;
}

void stream_kill_marked(struct rt_thread *thr)
{
	/* Ending a stream may end others (a slot given to a queued stream
	 * that fails at once): look again from the head each time. Each
	 * pass ends one stream, so at most as many passes as there were
	 * streams. */
	uint64_t left = thr->nstreams + 1;
	struct stream *s;

	while (left-- > 0 && (s = stream_next_killed(thr))) {
		const struct rt_server *rs;
		char term[3] = { 'K', stream_phase(s), '\0' };

		if (s->admin_kill) {
			(void)stream_end(s, term, "killed: shutdown session (stats socket)");
			continue;
		}
		rs = &s->rt->servers[s->server];
		if (rs->kill_code)
			term[0] = rs->kill_code;
		(void)stream_end(s, term, "killed: server %s/%s %s",
		                 plan_str_get(s->rt->plan, s->rt->plan->proxies[s->backend].name),
		                 plan_str_get(s->rt->plan, s->rt->plan->servers[s->server].name),
		                 term[0] == 'U' ? "is a backup and an active server came up" :
		                 term[0] == 'K' ? "had its sessions shut down (stats socket)" :
		                                  "went down");
	}
}

void stream_soft_close_thread(struct rt_thread *thr)
{
	for (struct stream *s = thr->streams; s; s = s->next)
		if (s->app && s->app->on_stop && !s->tcp_fin &&
		    __atomic_load_n(&s->rt->close_end_ms, __ATOMIC_ACQUIRE))
			s->app->on_stop(s);
}

void stream_close_thread(struct rt_thread *thr)
{
	while (thr->streams) {
		struct stream *s = thr->streams;
		char term[3] = { 'K', stream_phase(s), '\0' };

		(void)stream_end(s, term, "stopping");
	}
	srv_idle_close_all(thr);
	/* Pooled pipes are process-wide; those of live streams stay. */
	splice_drain();
}
