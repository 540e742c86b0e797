/*
 * listener.c: listening sockets.
 *
 * Every listener of the plan becomes one non-blocking listening socket that
 * every thread accepts on, through its accept set (thread-t.h; why below,
 * at listener_arm()). Its address is already a ready sockaddr in the plan;
 * the only decisions left here are the socket options, stale unix sockets
 * and inherited descriptors (fd@N, socket activation).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "acl.h"
#include "inbox.h"
#include "listener.h"
#include "listenfds.h"
#include "log.h"
#include "plan.h"
#include "ratelimit.h"
#include "sock.h"
#include "stream.h"
#include "thread.h"

/* 1 when thread `t` should watch listener `i` of generation `rt` now
 * (rt's lock held). */
static int listener_wanted(const struct rt_thread *t, const struct runtime *rt,
                           uint32_t i)
{
	uint32_t owner = rt->plan->listeners[i].proxy;

	return rt->listeners[i].fd >= 0 && !rt->full && !t->accept_paused &&
	       !rt->proxies[owner].full && !rt->listeners[i].full;
}

/*
 * Put listener `w` into thread t's accept set (on = 1) or take it out
 * (on = 0). Called only by t itself, or for a thread not running.
 *
 * Why an epoll set of our own instead of an ev_io per listener: several
 * threads watch the same listening descriptor, and thread 0 closes it
 * (soft stop, or a reload dropping its address) once every thread said it
 * stopped watching. libev's epoll backend does not remove a descriptor
 * from the kernel when its watcher stops; it calls epoll_ctl() on that
 * number later, when an event still arrives for it. That can be after
 * thread 0 closed the number and it was handed out again (a new
 * connection, a server socket of any thread): a thread would then call
 * epoll_ctl() on a descriptor another thread owns (a data race on the
 * number, which ThreadSanitizer reports). Watching a dup() per thread
 * does not cure it: the kernel keeps an epoll registration while any
 * descriptor of the socket stays open, so a thread that closed its own
 * dup could still be told about it, and call epoll_ctl() on a number it
 * gave up. Here, taking a listener out is an EPOLL_CTL_DEL done before
 * this returns: once t has acknowledged a switch (thread.c), its loop and
 * its accept set know nothing of the old descriptors, and nothing in t
 * uses them again, so thread 0 may close them. The accept set itself is
 * t's own descriptor for t's whole life. Returns 0, or -1 after logging
 * why (the listener stays as it was).
 */
static int listener_arm(struct rt_thread *t, struct thr_lsn *w, int on)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = w->index };

	if (w->armed == on)
		return 0;
	if (epoll_ctl(t->accept_set, on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL,
	              w->fd, &ev) < 0) {
		log_error("%s: thread %u cannot %s listener %u (descriptor %d): %s",
		          on ? "accept" : "internal error", t->id,
		          on ? "accept on" : "stop watching", w->index, w->fd,
		          strerror(errno));
		return -1;
	}
	w->armed = on;
	t->narmed = on ? t->narmed + 1 : t->narmed - 1;
	/* The loop holds a reference only while there is something to accept
	 * on, as it did with one ev_io per listener. */
	if (t->narmed && !ev_is_active(&t->accept_io))
		ev_io_start(t->loop, &t->accept_io);
	else if (!t->narmed && ev_is_active(&t->accept_io))
		ev_io_stop(t->loop, &t->accept_io);
	return 0;
}

/* Arm or disarm thread t's listeners to match the limits and its accept
 * pause (the lock of t->lsn_gen held). */
static void listener_watch_locked(struct rt_thread *t)
{
	struct runtime *rt = t->lsn_gen;

	if (!rt)
		return;
	for (uint32_t i = 0; i < rt->plan->nlisteners; i++) {
		struct thr_lsn *w = &t->lsn[i];

		if (w->magic != THR_LSN_MAGIC)
			continue;
		(void)listener_arm(t, w, listener_wanted(t, rt, i));
	}
}

void listener_watch_update(struct rt_thread *t)
{
	struct runtime *rt = t->lsn_gen;

	if (!rt)
		return;
	gen_lock(rt);
	listener_watch_locked(t);
	gen_unlock(rt);
}

/* The limits of generation `rt` changed: every thread watching it updates
 * its watchers, this one at once, the others from their loops. */
static void listener_limits_changed(struct runtime *rt)
{
	struct rt_thread *self = thread_self;

	if (self && self->lsn_gen == rt)
		listener_watch_locked(self);
	if (!rt->mt || !self)
		return;
	for (uint32_t i = 0; i < self->ops->nthreads; i++) {
		struct rt_thread *t = &self->ops->threads[i];

		if (t != self)
			inbox_post(t, THR_MSG_LIMITS);
	}
}

void listener_limits(struct runtime *rt, uint32_t fe)
{
	struct rt_proxy *px = &rt->proxies[fe];
	uint32_t femax = px->maxconn;
	int gfull = rt->actconn >= rt->maxconn;
	int ffull = px->stopped || (femax != 0 && px->feconn >= femax);
	int changed = 0;

	if (gfull != rt->full) {
		rt->full = gfull;
		changed = 1;
	}
	if (ffull != px->full) {
		px->full = ffull;
		changed = 1;
	}
	/* A bind maxconn stops that listener only (its proxy's are contiguous). */
	for (uint32_t k = 0; k < rt->plan->proxies[fe].nlisteners; k++) {
		uint32_t i = rt->plan->proxies[fe].first_listener + k;
		struct rt_listener *l = &rt->listeners[i];
		uint32_t lmax = rt->plan->listeners[i].maxconn;
		int lfull = lmax != 0 && l->nconn >= lmax;

		if (lfull != l->full) {
			l->full = lfull;
			changed = 1;
		}
	}
	if (changed)
		listener_limits_changed(rt);
}

static void listener_retry_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct rt_thread *t = w->data;

	(void)loop;
	(void)revents;
	t->accept_paused = 0;
	listener_watch_update(t);
}

/*
 * Take one of the connections listener `l` (of frontend `fe`) may still
 * have under every maxconn, before accepting it: the counters go up now
 * so that no other thread can take it too (lock taken here). 0 when full.
 */
static int listener_reserve(struct runtime *rt, struct rt_listener *l,
                            uint32_t fe)
{
	struct rt_proxy *px = &rt->proxies[fe];
	uint32_t lmax = rt->plan->listeners[l->index].maxconn;
	uint32_t femax;
	int ok;

	gen_lock(rt);
	femax = px->maxconn;
	ok = rt->actconn < rt->maxconn && !px->stopped &&
	     (!femax || px->feconn < femax) &&
	     (!lmax || l->nconn < lmax);
	if (ok) {
		rt->actconn++;
		px->feconn++;
		l->nconn++;
	}
	gen_unlock(rt);
	return ok;
}

void listener_unreserve(struct runtime *rt, struct rt_listener *l,
                        uint32_t fe, int denied)
{
	gen_lock(rt);
	rt->proxies[fe].denied_conn += (uint64_t)denied;
	rt->actconn--;
	rt->proxies[fe].feconn--;
	l->nconn--;
	listener_limits(rt, fe);
	gen_unlock(rt);
}

/* The global connection or session rate is at its limit: thread t stops
 * accepting until it falls below (its accept retry timer), 1 returned. */
static int listener_rate_pause(struct rt_thread *t)
{
	double wait = ratelimit_delay();

	if (wait <= 0)
		return 0;
	t->accept_paused = 1;
	listener_watch_update(t);
	if (!ev_is_active(&t->accept_retry)) {
		ev_timer_set(&t->accept_retry, wait, 0.);
		ev_timer_start(t->loop, &t->accept_retry);
	}
	return 1;
}

/* Accept up to the thread's burst of connections on armed listener `tl`
 * of t's generation and hand each to a stream of this thread, or of the
 * thread running the fewest streams. */
static void listener_accept(struct rt_thread *t, struct thr_lsn *tl)
{
	struct runtime *rt = t->lsn_gen;
	struct rt_listener *l = &rt->listeners[tl->index];
	uint32_t fe = rt->plan->listeners[tl->index].proxy;

	for (unsigned n = 0; n < t->burst; n++) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		int fd;

		/* a limit reached by the last accept disarmed it */
		if (t->accept_paused || !tl->armed)
			return;
		if (listener_rate_pause(t))
			return;
		if (!listener_reserve(rt, l, fe))
			return;
		fd = accept4(tl->fd, (struct sockaddr *)&ss, &len,
		             SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			int e = errno;

			listener_unreserve(rt, l, fe, 0);
			switch (e) {
			case EAGAIN:
#if EWOULDBLOCK != EAGAIN
			case EWOULDBLOCK:
#endif
				return;
			case EINTR:
			case ECONNABORTED:
			case EPROTO:
				continue;
			case EMFILE:
			case ENFILE:
			case ENOBUFS:
			case ENOMEM:
				/* Level-triggered: retrying now would spin. */
				log_error("accept: %s; pausing listeners for %gs",
				          strerror(e), RT_ACCEPT_RETRY_S);
				t->accept_paused = 1;
				listener_watch_update(t);
				ev_timer_set(&t->accept_retry, RT_ACCEPT_RETRY_S, 0.);
				ev_timer_start(t->loop, &t->accept_retry);
				return;
			default:
				log_error("accept: %s", strerror(e));
				return;
			}
		}
		struct stk_ctrs stk;

		ratelimit_count(RATELIMIT_CONN);
		memset(&stk, 0, sizeof(stk));
		if (!acl_conn_accept(rt, fe, fd, &ss, len, &stk)) {
			/* tcp-request connection reject: no log, as HAProxy */
			acl_conn_reject(fd);
			listener_unreserve(rt, l, fe, 1);
			continue;
		}
		ratelimit_count(RATELIMIT_SESS);
		if (rt->mt) {
			struct rt_thread *to = thread_target(t);
			struct thr_conn c = { .rt = rt, .listener = tl->index,
			                      .fd = fd, .addr = ss, .addrlen = len,
			                      .stk = stk };

			if (to != t && inbox_post_conn(to, &c) == 0) {
				thread_count_add(&t->handed, 1);
				continue;
			}
		}
		stream_accept(t, rt, tl->index, fd, &ss, len, &stk);
	}
}

#define LISTENER_READY_MAX 16   /* ready listeners taken per wake-up; the
                                   kernel rotates the others to the front */

/* Thread t's accept set is readable: accept on its ready listeners. */
static void listener_ready_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct rt_thread *t = w->data;
	struct epoll_event ev[LISTENER_READY_MAX];
	int n;

	(void)loop;
	(void)revents;
	n = epoll_wait(t->accept_set, ev, LISTENER_READY_MAX, 0);
	for (int k = 0; k < n && t->lsn_gen; k++) {
		uint32_t i = ev[k].data.u32;
		struct thr_lsn *tl;

		if (i >= t->lsn_gen->plan->nlisteners ||
		    t->lsn[i].magic != THR_LSN_MAGIC) {
			log_error("internal error: thread %u: accept set names listener %u, not one of its generation's",
			          t->id, i);
			continue;
		}
		tl = &t->lsn[i];
		/* disarmed by an earlier accept of this batch: skip it */
		if (tl->armed)
			listener_accept(t, tl);
	}
}

int listener_thread_init(struct rt_thread *t)
{
	ev_init(&t->accept_retry, listener_retry_cb);
	t->accept_retry.data = t;
	t->narmed = 0;
	t->accept_set = epoll_create1(EPOLL_CLOEXEC);
	if (t->accept_set < 0) {
		log_error("thread %u: cannot create its accept set (epoll_create1): %s",
		          t->id, strerror(errno));
		return -1;
	}
	ev_io_init(&t->accept_io, listener_ready_cb, t->accept_set, EV_READ);
	t->accept_io.data = t;
	return 0;
}

void listener_thread_free(struct rt_thread *t)
{
	listener_watch_gen(t, NULL);
	ev_timer_stop(t->loop, &t->accept_retry);
	ev_io_stop(t->loop, &t->accept_io);
	if (t->accept_set >= 0)
		close(t->accept_set);
	t->accept_set = -1;
}

void listener_watch_gen(struct rt_thread *t, struct runtime *gen)
{
	if (t->lsn_gen) {
		for (uint32_t i = 0; i < t->lsn_gen->plan->nlisteners; i++) {
			/* A DEL cannot fail for a descriptor we added and
			 * still hold; if it did, the message says so. */
			if (t->lsn[i].magic == THR_LSN_MAGIC)
				(void)listener_arm(t, &t->lsn[i], 0);
			t->lsn[i].magic = 0;
		}
		free(t->lsn);
		t->lsn = NULL;
		t->lsn_gen = NULL;
	}
	if (!gen || !gen->plan->nlisteners || t->accept_set < 0)
		return;
	t->lsn = calloc(gen->plan->nlisteners, sizeof(*t->lsn));
	if (!t->lsn) {
		log_error("out of memory: thread %u cannot accept connections",
		          t->id);
		return;
	}
	t->lsn_gen = gen;
	for (uint32_t i = 0; i < gen->plan->nlisteners; i++) {
		struct thr_lsn *w = &t->lsn[i];

		if (gen->listeners[i].fd < 0)
			continue;
		w->magic = THR_LSN_MAGIC;
		w->index = i;
		w->fd = gen->listeners[i].fd;
		w->armed = 0;
	}
	listener_watch_update(t);
}

/*
 * A unix socket path left behind by a dead process is removed so that bind
 * can succeed; a path where something still accepts is left alone (bind
 * then reports it in use), as is anything that is not a socket.
 */
static void listener_unlink_stale(const struct sockaddr_un *un)
{
	struct stat st;
	int fd;

	if (un->sun_path[0] == '\0' || lstat(un->sun_path, &st) < 0 ||
	    !S_ISSOCK(st.st_mode))
		return;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (connect(fd, (const struct sockaddr *)un, sizeof(*un)) < 0 &&
	    errno == ECONNREFUSED)
		unlink(un->sun_path);
	close(fd);
}

/* Take over an inherited descriptor (fd@N): it must be an open stream
 * socket; listen() is called if the parent did not. Returns 0 or -1 with
 * a message naming `name` in err. */
int listener_adopt(int fd, const char *name, int backlog, char *err,
                   size_t errlen)
{
	int type = 0, acc = 0;
	socklen_t len = sizeof(type);

	if (listenfds_refuse(fd, name, err, errlen))
		return -1;
	if (fcntl(fd, F_GETFD) < 0) {
		snprintf(err, errlen, "cannot use %s: descriptor %d is not open", name, fd);
		return -1;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0) {
		snprintf(err, errlen, "cannot use %s: descriptor %d is not a socket (%s)", name, fd,
		         strerror(errno));
		return -1;
	}
	if (type != SOCK_STREAM) {
		snprintf(err, errlen,
		         "cannot use %s: descriptor %d is not a stream socket (SO_TYPE %d)", name, fd,
		         type);
		return -1;
	}
	len = sizeof(acc);
	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &len) < 0)
		acc = 0;
	if (!acc && listen(fd, backlog) < 0) {
		snprintf(err, errlen, "cannot use %s: listen() on descriptor %d failed: %s", name, fd,
		         strerror(errno));
		return -1;
	}
	if (sock_set_nonblock(fd) < 0) {
		snprintf(err, errlen, "cannot use %s: cannot make descriptor %d non-blocking: %s",
		         name, fd, strerror(errno));
		return -1;
	}
	return 0;
}

/* unix-bind mode, uid and gid on a unix socket just bound: 0, or -1 with
 * a message in err. */
static int listener_unix_owner(const struct plan_global *g,
                               const struct sockaddr_un *un, const char *name,
                               char *err, size_t errlen)
{
	uint32_t f = g->unix_bind_flags;

	if ((f & PLAN_UXB_F_MODE) &&
	    chmod(un->sun_path, (mode_t)g->unix_bind_mode) < 0) {
		snprintf(err, errlen, "cannot change the mode of %s to %o: %s",
		         name, (unsigned)g->unix_bind_mode, strerror(errno));
		return -1;
	}
	if ((f & (PLAN_UXB_F_UID | PLAN_UXB_F_GID)) &&
	    chown(un->sun_path,
	          (f & PLAN_UXB_F_UID) ? (uid_t)g->unix_bind_uid : (uid_t)-1,
	          (f & PLAN_UXB_F_GID) ? (gid_t)g->unix_bind_gid : (gid_t)-1) < 0) {
		snprintf(err, errlen, "cannot change the owner of %s: %s", name,
		         strerror(errno));
		return -1;
	}
	return 0;
}

/* Create, bind and listen a socket for a plan address (a unix one gets
 * the global unix-bind settings). Returns the fd or -1 with a message in
 * err. */
static int listener_bind(struct rt_listener *l, const struct plan_global *g,
                         const struct plan_addr *a,
                         const char *name, int backlog, uint32_t flags,
                         char *err, size_t errlen)
{
	int one = 1;
	int fd;
	char why[200];

	fd = sock_open(a, why, sizeof(why));
	if (fd < 0) {
		snprintf(err, errlen, "cannot listen on %s: %s", name, why);
		return -1;
	}
	if (a->family == PLAN_FAM_INET || a->family == PLAN_FAM_INET6)
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (a->family == PLAN_FAM_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)a->sa;

		int v6only = 1;

		/* v4v6 / v6only say; else a wildcard keeps the host's
		 * default (dual stack or not), as HAProxy does, and a
		 * specific address is IPv6 only. */
		if (flags & PLAN_LSN_F_V4V6)
			v6only = 0;
		if ((flags & (PLAN_LSN_F_V4V6 | PLAN_LSN_F_V6ONLY)) ||
		    !IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr))
			(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only,
			                 sizeof(v6only));
	}
	if ((flags & PLAN_LSN_F_TFO) &&
	    (a->family == PLAN_FAM_INET || a->family == PLAN_FAM_INET6)) {
		/* tfo: a queue of pending TFO requests as long as the
		 * backlog (the kernel's net.ipv4.tcp_fastopen decides) */
		int qlen = backlog > 0 ? backlog : 128;

		(void)setsockopt(fd, IPPROTO_TCP, TCP_FASTOPEN, &qlen,
		                 sizeof(qlen));
	}
	if (a->family == PLAN_FAM_UNIX)
		listener_unlink_stale((const struct sockaddr_un *)a->sa);
	if (bind(fd, (const struct sockaddr *)a->sa, a->salen) < 0) {
		snprintf(err, errlen, "cannot bind to %s: %s", name,
		         strerror(errno));
		close(fd);
		return -1;
	}
	if (a->family == PLAN_FAM_UNIX &&
	    listener_unix_owner(g, (const struct sockaddr_un *)a->sa, name,
	                        err, errlen) < 0) {
		close(fd);
		unlink(((const struct sockaddr_un *)a->sa)->sun_path);
		return -1;
	}
	if (listen(fd, backlog) < 0) {
		snprintf(err, errlen, "cannot listen on %s: %s", name,
		         strerror(errno));
		close(fd);
		if (a->family == PLAN_FAM_UNIX)
			unlink(((const struct sockaddr_un *)a->sa)->sun_path);
		return -1;
	}
	if (a->family == PLAN_FAM_UNIX)
		l->unlink_path = 1;
	return fd;
}

/* Open listener `i` (inherited or new socket); 0, or -1 after printing
 * the reason. */
static int listener_open(struct runtime *rt, uint32_t i)
{
	const struct plan *p = rt->plan;
	const struct plan_listener *pl = &p->listeners[i];
	const struct plan_proxy *px = &p->proxies[pl->proxy];
	struct rt_listener *l = &rt->listeners[i];
	/* HAProxy's order: bind backlog, bind maxconn, frontend maxconn. */
	int backlog = pl->backlog ? (int)pl->backlog :
	              pl->maxconn ? (int)pl->maxconn :
	              px->maxconn ? (int)px->maxconn : RT_DEFAULT_BACKLOG;
	char name[160], err[512];
	int fd;

	if (backlog < 0 || backlog > 65535)
		backlog = 65535;
	sock_plan_addr_str(&pl->addr, name, sizeof(name));
	switch (pl->addr.family) {
	case PLAN_FAM_FD:
		fd = (int)pl->addr.fd;
		if (listener_adopt(fd, name, backlog, err, sizeof(err)) < 0)
			fd = -1;
		break;
	case PLAN_FAM_SOCKPAIR:
		snprintf(err, sizeof(err),
		         "cannot listen on %s: sockpair@ listeners are not supported yet",
		         name);
		fd = -1;
		break;
	default:
		fd = listener_bind(l, p->global, &pl->addr, name, backlog, pl->flags, err,
		                   sizeof(err));
		break;
	}
	if (fd < 0) {
		log_error("%s (proxy '%s', line %u)", err, plan_str_get(p, px->name),
		          pl->line);
		return -1;
	}
	l->fd = fd;
	l->index = i;
	l->rt = rt;
	l->magic = RT_LISTENER_MAGIC;
	log_info(rt, "proxy '%s': listening on %s", plan_str_get(p, px->name),
	         name);
	return 0;
}

int listener_open_all(struct runtime *rt)
{
	const struct plan *p = rt->plan;

	/* Inherited descriptors first: a socket we create could otherwise
	 * take the number of one the parent did not pass, and be adopted. */
	for (uint32_t i = 0; i < p->nlisteners; i++)
		if (p->listeners[i].addr.family == PLAN_FAM_FD &&
		    rt->listeners[i].fd < 0 && listener_open(rt, i) < 0)
			return -1;
	for (uint32_t i = 0; i < p->nlisteners; i++)
		if (p->listeners[i].addr.family != PLAN_FAM_FD &&
		    rt->listeners[i].fd < 0 && listener_open(rt, i) < 0)
			return -1;
	return 0;
}

void listener_close_all(struct runtime *rt)
{
	if (!rt->listeners)
		return;
	for (uint32_t i = 0; i < rt->plan->nlisteners; i++) {
		struct rt_listener *l = &rt->listeners[i];
		const struct plan_addr *a = &rt->plan->listeners[i].addr;

		if (l->fd < 0)
			continue;
		close(l->fd);
		l->fd = -1;
		l->magic = 0;
		if (l->unlink_path) {
			const struct sockaddr_un *un = (const struct sockaddr_un *)a->sa;

			unlink(un->sun_path);
			l->unlink_path = 0;
		}
	}
}
