/*
 * srv_idle.c: server connections kept between HTTP requests, per thread
 * (no lock: only the owning thread touches its list).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "conn.h"
#include "ops-t.h"
#include "runtime-t.h"
#include "log.h"
#include "srv_idle.h"

#define SRV_IDLE_MAX 1024u          /* parked connections per thread */

static void srv_idle_drop(struct srv_idle *e)
{
	struct rt_thread *thr = e->thr;

	ev_io_stop(thr->loop, &e->rd);
	ev_timer_stop(thr->loop, &e->tmo);
	if (e->prev)
		e->prev->next = e->next;
	else
		thr->idle = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		thr->idle_tail = e->prev;
	__atomic_store_n(&thr->nidle, thr->nidle - 1, __ATOMIC_RELAXED);
	conn_close(&e->conn);
	e->magic = 0;
	free(e);
}

static struct srv_idle *srv_idle_of(void *data)
{
	struct srv_idle *e = data;

	if (e->magic != SRV_IDLE_MAGIC) {
		log_error("internal error: idle connection watcher fired with magic %#x",
		          e->magic);
		abort();
	}
	return e;
}

/* An idle connection is readable: the server closed it (or sent bytes
 * nobody asked for, which makes it unusable too). Over TLS a record may
 * carry no data (the session tickets a TLS 1.3 server sends after its
 * handshake): the transport takes it, nothing is left to read, and the
 * connection stays usable. */
static void srv_idle_rd_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct srv_idle *e = srv_idle_of(w->data);
	char b[1];
	struct iovec iov = { b, sizeof(b) };

	(void)loop;
	(void)revents;
	if (e->conn.ctx && conn_recv(&e->conn, &iov, 1) < 0 &&
	    (errno == EAGAIN || errno == EWOULDBLOCK) &&
	    !(e->conn.flags & CONN_F_WANT_WRITE) && !conn_pending(&e->conn))
		return;
	srv_idle_drop(e);
}

static void srv_idle_tmo_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	srv_idle_drop(srv_idle_of(w->data));
}

int srv_idle_put(struct rt_thread *thr, uint32_t generation, uint32_t server,
                 struct conn *c)
{
	struct srv_idle *e;

	if (thr->nidle >= SRV_IDLE_MAX || !(e = calloc(1, sizeof(*e)))) {
		conn_close(c);
		return -1;
	}
	e->magic = SRV_IDLE_MAGIC;
	e->generation = generation;
	e->server = server;
	e->conn = *c;
	e->thr = thr;
	conn_reset(c);
	ev_io_init(&e->rd, srv_idle_rd_cb, e->conn.fd, EV_READ);
	ev_timer_init(&e->tmo, srv_idle_tmo_cb, SRV_IDLE_TIMEOUT, 0.);
	e->rd.data = e->tmo.data = e;
	ev_io_start(thr->loop, &e->rd);
	ev_timer_start(thr->loop, &e->tmo);
	e->next = thr->idle;
	if (thr->idle)
		thr->idle->prev = e;
	else
		thr->idle_tail = e;
	thr->idle = e;
	__atomic_store_n(&thr->nidle, thr->nidle + 1, __ATOMIC_RELAXED);
	return 0;
}

int srv_idle_take(struct rt_thread *thr, uint32_t generation, uint32_t server,
                  struct conn *c,
                  int (*fits)(const struct conn *c, const void *arg),
                  const void *arg)
{
	for (struct srv_idle *e = thr->idle; e; e = e->next) {
		if (e->generation != generation || e->server != server ||
		    (fits && !fits(&e->conn, arg)))
			continue;
		*c = e->conn;
		conn_reset(&e->conn);
		srv_idle_drop(e);
		return 0;
	}
	return -1;
}

uint32_t srv_idle_fds(const struct ops *ops)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < ops->nthreads; i++) {
		const struct rt_thread *t = &ops->threads[i];

		n += __atomic_load_n(&t->nidle, __ATOMIC_RELAXED) +
		     __atomic_load_n(&t->nkept, __ATOMIC_RELAXED);
	}
	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

void srv_idle_make_room(struct rt_thread *thr, const struct runtime *rt)
{
	if (thr->idle_tail && rt->idle_fd_high &&
	    srv_idle_fds(thr->ops) >= rt->idle_fd_high)
		srv_idle_drop(thr->idle_tail);
}

void srv_idle_close_all(struct rt_thread *thr)
{
	while (thr->idle)
		srv_idle_drop(thr->idle);
}
