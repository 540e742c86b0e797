/*
 * listener.c: listening sockets.
 *
 * Every listener of the plan becomes one non-blocking listening socket
 * watched by an ev_io. Its address is already a ready sockaddr in the plan;
 * the only decisions left here are the socket options, stale unix sockets
 * and inherited descriptors (fd@N, socket activation).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "listener.h"
#include "log.h"
#include "plan.h"
#include "sock.h"
#include "stream.h"

/* Start or stop the watchers of the listeners of proxy `px` (PLAN_NONE:
 * every listener) to match the limits and the accept pause. */
static void listener_update(struct runtime *rt, uint32_t px)
{
	for (uint32_t i = 0; i < rt->plan->nlisteners; i++) {
		struct rt_listener *l = &rt->listeners[i];
		uint32_t owner = rt->plan->listeners[i].proxy;
		int want;

		if (l->fd < 0 || (px != PLAN_NONE && owner != px))
			continue;
		want = !rt->full && !rt->accept_paused && !rt->proxies[owner].full &&
		       !l->full;
		if (want)
			ev_io_start(rt->loop, &l->io);
		else
			ev_io_stop(rt->loop, &l->io);
	}
}

void listener_limits(struct runtime *rt, uint32_t fe)
{
	struct rt_proxy *px = &rt->proxies[fe];
	uint32_t femax = rt->plan->proxies[fe].maxconn;
	int gfull = rt->actconn >= rt->maxconn;
	int ffull = femax != 0 && px->feconn >= femax;

	if (gfull != rt->full) {
		rt->full = gfull;
		listener_update(rt, PLAN_NONE);
	}
	if (ffull != px->full) {
		px->full = ffull;
		listener_update(rt, fe);
	}
	/* A bind maxconn stops that listener only (its proxy's are contiguous). */
	for (uint32_t k = 0; k < rt->plan->proxies[fe].nlisteners; k++) {
		uint32_t i = rt->plan->proxies[fe].first_listener + k;
		struct rt_listener *l = &rt->listeners[i];
		uint32_t lmax = rt->plan->listeners[i].maxconn;
		int lfull = lmax != 0 && l->nconn >= lmax;

		if (lfull != l->full) {
			l->full = lfull;
			listener_update(rt, fe);
		}
	}
}

static void listener_retry_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct runtime *rt = w->data;

	(void)loop;
	(void)revents;
	rt->accept_paused = 0;
	listener_update(rt, PLAN_NONE);
}

/* Accept up to RT_ACCEPT_BURST connections and hand each to a stream. */
static void listener_accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct rt_listener *l = w->data;
	struct runtime *rt = l->rt;
	uint32_t fe;

	(void)loop;
	(void)revents;
	if (l->magic != RT_LISTENER_MAGIC) {
		log_error("internal error: listener watcher with bad magic %#x",
		          l->magic);
		return;
	}
	fe = rt->plan->listeners[l->index].proxy;
	for (unsigned n = 0; n < RT_ACCEPT_BURST; n++) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		int fd;

		if (rt->full || rt->proxies[fe].full || l->full ||
		    rt->accept_paused)
			return;
		fd = accept4(l->fd, (struct sockaddr *)&ss, &len,
		             SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			switch (errno) {
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
				          strerror(errno), RT_ACCEPT_RETRY_S);
				rt->accept_paused = 1;
				listener_update(rt, PLAN_NONE);
				ev_timer_set(&rt->accept_retry, RT_ACCEPT_RETRY_S, 0.);
				ev_timer_start(rt->loop, &rt->accept_retry);
				return;
			default:
				log_error("accept: %s", strerror(errno));
				return;
			}
		}
		stream_accept(rt, l->index, fd, &ss, len);
	}
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
static int listener_adopt(int fd, const char *name, int backlog,
                          char *err, size_t errlen)
{
	int type = 0, acc = 0;
	socklen_t len = sizeof(type);

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

/* Create, bind and listen a socket for a plan address. Returns the fd or
 * -1 with a message in err. */
static int listener_bind(struct rt_listener *l, const struct plan_addr *a,
                         const char *name, int backlog,
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

		/* A wildcard keeps the host's default (dual stack or not),
		 * as HAProxy does; a specific address is IPv6 only. */
		if (!IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr))
			(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
			                 sizeof(one));
	}
	if (a->family == PLAN_FAM_UNIX)
		listener_unlink_stale((const struct sockaddr_un *)a->sa);
	if (bind(fd, (const struct sockaddr *)a->sa, a->salen) < 0) {
		snprintf(err, errlen, "cannot bind to %s: %s", name,
		         strerror(errno));
		close(fd);
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
		fd = listener_bind(l, &pl->addr, name, backlog, err, sizeof(err));
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

void listener_start_all(struct runtime *rt)
{
	ev_init(&rt->accept_retry, listener_retry_cb);
	rt->accept_retry.data = rt;
	for (uint32_t i = 0; i < rt->plan->nlisteners; i++) {
		struct rt_listener *l = &rt->listeners[i];

		ev_io_init(&l->io, listener_accept_cb, l->fd, EV_READ);
		l->io.data = l;
		ev_io_start(rt->loop, &l->io);
	}
}

void listener_close_all(struct runtime *rt)
{
	if (!rt->listeners)
		return;
	if (rt->loop)
		ev_timer_stop(rt->loop, &rt->accept_retry);
	for (uint32_t i = 0; i < rt->plan->nlisteners; i++) {
		struct rt_listener *l = &rt->listeners[i];
		const struct plan_addr *a = &rt->plan->listeners[i].addr;

		if (l->fd < 0)
			continue;
		if (rt->loop)
			ev_io_stop(rt->loop, &l->io);
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
