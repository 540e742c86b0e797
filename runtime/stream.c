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

#include "balance.h"
#include "listener.h"
#include "log.h"
#include "plan.h"
#include "pool.h"
#include "server.h"
#include "sock.h"
#include "stats.h"
#include "stream.h"

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

static const char *const stream_side_name[2] = { "client", "server" };

/* Release everything a stream holds and update the counters; logs first. */
static void stream_free(struct stream *s)
{
	struct runtime *rt = s->rt;
	uint32_t fe = s->frontend;

	log_stream(s);
	stats_on_end(s);
	for (int i = 0; i < 2; i++) {
		struct stream_side *sd = &s->side[i];

		ev_io_stop(rt->loop, &sd->rd);
		ev_io_stop(rt->loop, &sd->wr);
		ev_timer_stop(rt->loop, &sd->idle);
		if (sd->fd >= 0)
			close(sd->fd);
		sd->fd = -1;
		pool_put(&rt->buf_pool, sd->in.data);
		sd->in.data = NULL;
	}
	if (s->server != PLAN_NONE)
		rt->servers[s->server].cur_conn--;
	if (s->backend != PLAN_NONE)
		rt->proxies[s->backend].beconn--;
	rt->proxies[fe].feconn--;
	rt->actconn--;
	if (s->prev)
		s->prev->next = s->next;
	else
		rt->streams = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->magic = STREAM_DEAD;
	pool_put(&rt->stream_pool, s);
	listener_limits(rt, fe);
}

/* End the stream with termination state `term` (the first one set wins)
 * and an optional detail for the log. Always returns -1. */
static int stream_end(struct stream *s, const char *term, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int stream_end(struct stream *s, const char *term, const char *fmt, ...)
{
	if (s->term[0] == '\0') {
		s->term[0] = term[0];
		s->term[1] = term[1];
		s->term[2] = '\0';
	}
	if (fmt && s->why[0] == '\0') {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(s->why, sizeof(s->why), fmt, ap);
		va_end(ap);
	}
	stream_free(s);
	return -1;
}

/* An I/O error on side `i` ends the stream ("CD" or "SD"). */
static int stream_io_error(struct stream *s, int i, const char *what, int err)
{
	return stream_end(s, i == STREAM_CLI ? "CD" : "SD", "%s %s: %s", what,
	                  stream_side_name[i], strerror(err));
}

/* 1 when everything side `i` sent has been delivered and FIN passed on. */
static int stream_dir_done(const struct stream *s, int i)
{
	return s->side[i].eof_in && s->side[i].in.len == 0 &&
	       s->side[!i].shut_out;
}

/* Ends the stream normally when both directions are done. */
static int stream_check_done(struct stream *s)
{
	if (stream_dir_done(s, STREAM_CLI) && stream_dir_done(s, STREAM_SRV))
		return stream_end(s, "--", NULL);
	return 0;
}

/* Restart side `i`'s inactivity timer after I/O on it. */
static void stream_touch(struct stream *s, int i)
{
	if (s->side[i].idle.repeat > 0.)
		ev_timer_again(s->rt->loop, &s->side[i].idle);
}

/* 1 when side `i` has a connected socket to do I/O on. */
static int stream_side_ready(const struct stream *s, int i)
{
	return s->side[i].fd >= 0 && !(i == STREAM_SRV && s->connecting);
}

/* ---- data --------------------------------------------------------------- */

/*
 * Write what side !j read to side j, as far as the socket takes it. Resumes
 * the reader of !j when room appears, passes FIN on once the buffer is
 * drained after !j's EOF. Returns -1 if the stream ended.
 */
static int stream_flush(struct stream *s, int j)
{
	struct ev_loop *loop = s->rt->loop;
	struct stream_side *dst = &s->side[j];
	struct stream_side *src = &s->side[!j];
	struct stream_buf *b = &src->in;
	struct iovec iov[2];

	if (!stream_side_ready(s, j))
		return 0;
	while (b->len) {
		int n = buf_data_iov(b, iov);
		ssize_t w = writev(dst->fd, iov, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				ev_io_start(loop, &dst->wr);
				return 0;
			}
			return stream_io_error(s, j, "write to", errno);
		}
		buf_consume(b, (uint32_t)w);
		stream_touch(s, j);
		if (!src->eof_in && stream_side_ready(s, !j))
			ev_io_start(loop, &src->rd);
	}
	ev_io_stop(loop, &dst->wr);
	if (src->eof_in && !dst->shut_out) {
		/* ENOTCONN after a reset is harmless: the read side says so. */
		(void)shutdown(dst->fd, SHUT_WR);
		dst->shut_out = 1;
	}
	return stream_check_done(s);
}

/* Read from side `i` into its buffer and push to the other side. */
static int stream_read(struct stream *s, int i)
{
	struct stream_side *sd = &s->side[i];
	struct iovec iov[2];
	int n = buf_space_iov(&sd->in, iov);
	ssize_t r;

	if (n == 0) {
		ev_io_stop(s->rt->loop, &sd->rd);
		return 0;
	}
	r = readv(sd->fd, iov, n);
	if (r < 0) {
		if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		return stream_io_error(s, i, "read from", errno);
	}
	stream_touch(s, i);
	if (r == 0) {
		sd->eof_in = 1;
		ev_io_stop(s->rt->loop, &sd->rd);
	} else {
		sd->in.len += (uint32_t)r;
		sd->bytes_in += (uint64_t)r;
		if (sd->in.len == STREAM_BUFSZ)
			ev_io_stop(s->rt->loop, &sd->rd);
	}
	return stream_flush(s, !i);
}

/* ---- server connection -------------------------------------------------- */

/* The server side is connected: start reading it and send what the client
 * already sent. */
static int stream_connected(struct stream *s)
{
	struct ev_loop *loop = s->rt->loop;
	struct stream_side *srv = &s->side[STREAM_SRV];
	uint32_t tmo = s->rt->plan->proxies[s->backend].timeout_server;

	s->connecting = 0;
	s->t_connect = ev_now(loop);
	stats_on_connect(s);
	ev_timer_stop(loop, &srv->idle);
	srv->idle.repeat = tmo / 1000.0;
	stream_touch(s, STREAM_SRV);
	ev_io_start(loop, &srv->rd);
	return stream_flush(s, STREAM_SRV);
}

/*
 * Start connecting to the chosen server with its own family and protocol.
 * A server without a port gets the port the client connected to.
 */
static int stream_connect(struct stream *s)
{
	struct runtime *rt = s->rt;
	const struct plan_server *ps = &rt->plan->servers[s->server];
	struct stream_side *srv = &s->side[STREAM_SRV];
	struct plan_addr a = ps->addr;
	char name[160], err[256];
	int fd;

	sock_plan_addr_str(&ps->addr, name, sizeof(name));
	if (sock_family(&a) < 0)
		return stream_end(s, "SC",
		                  "servers on %s addresses are not supported yet",
		                  name);
	if (ps->flags & PLAN_SRV_F_NOPORT) {
		struct sockaddr_storage local;
		socklen_t len = sizeof(local);
		in_port_t port;

		if (getsockname(s->side[STREAM_CLI].fd, (struct sockaddr *)&local,
		                &len) < 0 ||
		    (local.ss_family != AF_INET && local.ss_family != AF_INET6))
			return stream_end(s, "SC",
			                  "server %s has no port and the client did not connect over IP",
			                  name);
		port = local.ss_family == AF_INET ?
		       ((struct sockaddr_in *)&local)->sin_port :
		       ((struct sockaddr_in6 *)&local)->sin6_port;
		if (a.family == PLAN_FAM_INET)
			((struct sockaddr_in *)a.sa)->sin_port = port;
		else if (a.family == PLAN_FAM_INET6)
			((struct sockaddr_in6 *)a.sa)->sin6_port = port;
		sock_plan_addr_str(&a, name, sizeof(name));
	}
	fd = sock_open(&a, err, sizeof(err));
	if (fd < 0)
		return stream_end(s, "SC", "server %s: %s", name, err);
	srv->fd = fd;
	sock_set_nodelay(fd, sock_family(&a));
	ev_io_set(&srv->rd, fd, EV_READ);
	ev_io_set(&srv->wr, fd, EV_WRITE);
	if (connect(fd, (const struct sockaddr *)a.sa, a.salen) == 0)
		return stream_connected(s);
	if (errno != EINPROGRESS) {
		server_note_connect_error(rt, s->server);
		return stream_end(s, "SC", "connect to %s: %s", name,
		                  strerror(errno));
	}
	s->connecting = 1;
	srv->idle.repeat = rt->plan->proxies[s->backend].timeout_connect / 1000.0;
	stream_touch(s, STREAM_SRV);
	ev_io_start(rt->loop, &srv->wr);
	return 0;
}

/* The non-blocking connect finished: did it succeed? */
static int stream_connect_done(struct stream *s)
{
	int err = 0;
	socklen_t len = sizeof(err);
	char name[160];

	if (getsockopt(s->side[STREAM_SRV].fd, SOL_SOCKET, SO_ERROR, &err,
	               &len) < 0)
		err = errno;
	if (err == EINPROGRESS || err == EALREADY)
		return 0;
	if (err) {
		server_note_connect_error(s->rt, s->server);
		sock_plan_addr_str(&s->rt->plan->servers[s->server].addr, name,
		                   sizeof(name));
		return stream_end(s, "SC", "connect to %s: %s", name,
		                  strerror(err));
	}
	return stream_connected(s);
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

static void stream_rd_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct stream *s = stream_of(w->data);

	(void)loop;
	(void)revents;
	(void)stream_read(s, w == &s->side[STREAM_SRV].rd);
}

static void stream_wr_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct stream *s = stream_of(w->data);
	int i = w == &s->side[STREAM_SRV].wr;

	(void)loop;
	(void)revents;
	if (i == STREAM_SRV && s->connecting)
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
	if (i == STREAM_SRV && s->connecting) {
		server_note_connect_error(s->rt, s->server);
		(void)stream_end(s, "sC", "connect timeout");
	}
	else
		(void)stream_end(s, i == STREAM_CLI ? "cD" : "sD", "%s timeout",
		                 stream_side_name[i]);
}

/* ---- creation ----------------------------------------------------------- */

/* A zeroed stream with its buffers and watchers ready, or NULL. */
static struct stream *stream_new(struct runtime *rt)
{
	struct stream *s = pool_get(&rt->stream_pool);

	if (!s)
		return NULL;
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < 2; i++) {
		struct stream_side *sd = &s->side[i];

		sd->fd = -1;
		sd->in.data = pool_get(&rt->buf_pool);
		if (!sd->in.data) {
			pool_put(&rt->buf_pool, s->side[0].in.data);
			pool_put(&rt->stream_pool, s);
			return NULL;
		}
		ev_init(&sd->rd, stream_rd_cb);
		ev_init(&sd->wr, stream_wr_cb);
		ev_init(&sd->idle, stream_idle_cb);
		sd->rd.data = sd->wr.data = sd->idle.data = s;
	}
	return s;
}

void stream_accept(struct runtime *rt, uint32_t li, int fd,
                   const struct sockaddr_storage *addr, socklen_t addrlen)
{
	uint32_t fe = rt->plan->listeners[li].proxy;
	struct stream *s = stream_new(rt);
	struct stream_side *cli;

	if (!s) {
		log_error("out of memory for a new connection on proxy '%s'",
		          plan_str_get(rt->plan, rt->plan->proxies[fe].name));
		close(fd);
		return;
	}
	s->magic = STREAM_MAGIC;
	s->rt = rt;
	s->listener = li;
	s->frontend = fe;
	s->backend = rt->proxies[fe].backend;
	s->server = PLAN_NONE;
	s->t_accept = ev_now(rt->loop);
	s->t_connect = -1;
	memcpy(&s->cli_addr, addr, sizeof(s->cli_addr));
	s->cli_addrlen = addrlen;
	s->next = rt->streams;
	if (rt->streams)
		rt->streams->prev = s;
	rt->streams = s;
	rt->actconn++;
	rt->proxies[fe].feconn++;
	rt->proxies[fe].cum_conn++;
	listener_limits(rt, fe);

	cli = &s->side[STREAM_CLI];
	cli->fd = fd;
	stats_on_accept(s);
	sock_set_nodelay(fd, addr->ss_family);
	ev_io_set(&cli->rd, fd, EV_READ);
	ev_io_set(&cli->wr, fd, EV_WRITE);
	cli->idle.repeat = rt->plan->proxies[fe].timeout_client / 1000.0;

	if (s->backend == PLAN_NONE) {
		(void)stream_end(s, "PR", "proxy '%s' has no backend",
		                 plan_str_get(rt->plan, rt->plan->proxies[fe].name));
		return;
	}
	rt->proxies[s->backend].beconn++;
	s->server = balance_pick_for(rt, s->backend,
	                             (const struct sockaddr *)&s->cli_addr,
	                             s->cli_addrlen);
	if (s->server == PLAN_NONE) {
		(void)stream_end(s, "SC", "no server available");
		return;
	}
	rt->servers[s->server].cur_conn++;
	rt->servers[s->server].cum_conn++;
	stream_touch(s, STREAM_CLI);
	ev_io_start(rt->loop, &cli->rd);
	(void)stream_connect(s);
}

void stream_close_all(struct runtime *rt)
{
	while (rt->streams) {
		struct stream *s = rt->streams;

		(void)stream_end(s, s->connecting ? "KC" : "KD", "stopping");
	}
}
