/*
 * stream.h: proxied connections.
 */
#ifndef HAPC_STREAM_H
#define HAPC_STREAM_H

#include <stdarg.h>
#include <stdint.h>
#include <sys/socket.h>

#include "runtime-t.h"
#include "stream-t.h"
#include "thread-t.h"

/* The stick counters and pending stores of s; NULL when its plan has no
 * stick table (every stk_* function takes NULL as "nothing"). */
static inline struct stk_ctrs *stream_ctrs(const struct stream *s)
{
	return s->stick ? &s->stick->ctrs : NULL;
}

static inline struct stk_stores *stream_stores(const struct stream *s)
{
	return s->stick ? &s->stick->stores : NULL;
}

/*
 * Take a client connection `fd` (non-blocking) that thread `thr` accepted
 * from listener `li` of generation `rt`, the listener's counters already
 * counting it (listener.c reserves before accepting): pick the backend
 * and a server, start connecting, and proxy until both directions are
 * done, on thr's loop. Owns `fd` from now on, even on failure (the client
 * is then closed and the failure logged). `stk` (NULL: none) is what the
 * tcp-request connection rules tracked: the stream takes it over.
 */
void stream_accept(struct rt_thread *thr, struct runtime *rt, uint32_t li,
                   int fd, const struct sockaddr_storage *addr,
                   socklen_t addrlen, const struct stk_ctrs *stk);

/* End the streams of thread `thr` whose server's kill_seq moved since
 * they connected (THR_MSG_KILL); termination state the server's
 * kill_code and the phase, as HAProxy's "DD" or "UD"; and those marked
 * admin_kill by `shutdown session`, "K" and the phase. */
void stream_kill_marked(struct rt_thread *thr);

/* End every live stream of thread `thr` (termination state "K"; stop). */
void stream_close_thread(struct rt_thread *thr);

/* Let each stream of thread `thr` whose generation closes its clients
 * (gen_soft_close(), THR_MSG_SOFTCLOSE) schedule its closing
 * (stream_app.on_stop). Ends no stream. */
void stream_soft_close_thread(struct rt_thread *thr);

/* The HTTP layer (http_stream.c), registered at start-up by cfgrun.c:
 * streams of HTTP frontends run on it. NULL: HTTP proxies are refused. */
extern const struct stream_app *stream_http_app;

/*
 * For the layer above a stream (struct stream_app). Functions that may end
 * the stream return -1 when they did: the caller must not touch it any
 * more.
 */
/* Set the log detail of s unless one is set already (the first wins);
 * without memory the detail is dropped. vstream_set_why() is the same
 * with a va_list. */
void stream_set_why(struct stream *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void vstream_set_why(struct stream *s, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Forget the log detail (a new request on the same stream). */
void stream_clear_why(struct stream *s);
/* End the stream with termination state `term` (the first one set wins)
 * and an optional detail for the log. Always returns -1. */
int stream_end(struct stream *s, const char *term, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Write to side j what may go there: out_pre, then the other side's
 * buffer up to its fwd. */
int stream_flush(struct stream *s, int j);
/* Choose a server of s->backend and connect, queue or refuse. */
int stream_dispatch(struct stream *s);
/* After a failed attempt on server `prev` (the stream holds no server
 * now): with `redisp`, let the balancer choose another one; else queue or
 * connect on prev again. As stream_dispatch(). */
int stream_dispatch_retry(struct stream *s, uint32_t prev, int redisp);
/* HAProxy's choice (stream_choose_redispatch) for the retry about to be
 * made after server `prev` failed, s->retries not yet counting it: 1 to
 * go back to the balancer (option redispatch: on the last retry, when
 * prev is no longer usable, or at once when the algorithm does not hash
 * and more than one active server is usable), 0 to retry prev. Lock
 * held. */
int stream_redispatch_wanted(const struct stream *s, uint32_t prev);

/* 1 when server srv may take a request that names it (s->want_srv: a
 * persistence cookie): UP, not in maintenance (draining is fine), an
 * address. Lock held. */
int stream_srv_persist_ok(const struct runtime *rt, uint32_t srv);
/* Ends the stream when both directions are done (tunnels). */
int stream_check_done(struct stream *s);
/* Close the server side (keep: park its connection for reuse when it is
 * clean), give back its slot and backend count. */
void stream_srv_close(struct stream *s, int keep);
/* Give side i's input buffer back to the pool when it is empty (an idle
 * connection holds none; the next read takes one). */
void stream_buf_release(struct stream *s, int i);
/* Give back side i's out_pre (pool or heap) and forget what it held. */
void stream_out_pre_free(struct stream *s, int i);
/* Let go of the server connection kept between requests: parked in the
 * thread's idle list when clean, else closed. */
void stream_srv_unkeep(struct stream *s);
/* Set the backend of a stream that has none and count it there. */
void stream_set_backend(struct stream *s, uint32_t be);
/* Restart side i's inactivity timer after I/O on it. */
void stream_touch(struct stream *s, int i);
/* Side i's inactivity timeout from the stream's state (TCP rules). */
void stream_set_timeout(struct stream *s, int i);
/* HAProxy's phase letter for where the stream is (R, Q, C, D). */
char stream_phase(const struct stream *s);

#endif /* HAPC_STREAM_H */
