/*
 * conn.h: connections over a transport (conn-t.h). The inline wrappers
 * are what streams call.
 */
#ifndef HAPC_CONN_H
#define HAPC_CONN_H

#include <stdlib.h>
#include <sys/socket.h>

#include "conn-t.h"

/* Plain sockets. */
extern const struct xprt_ops xprt_raw;

/* Make c a connection on socket fd (owned from now on) over xprt. */
static inline void conn_init(struct conn *c, int fd, const struct xprt_ops *xprt)
{
	c->fd = fd;
	c->flags = 0;
	c->xprt = xprt;
	c->ctx = NULL;
	c->pp_tlv = NULL;
	c->pp_tlv_len = 0;
}

/* A connection with no socket. */
static inline void conn_reset(struct conn *c)
{
	c->fd = -1;
	c->flags = 0;
	c->xprt = NULL;
	c->ctx = NULL;
	c->pp_tlv = NULL;
	c->pp_tlv_len = 0;
}

/* Bring the transport up: 0 done, 1 not yet (wait for what
 * CONN_F_WANT_* says), -1 failed (conn_error() says why). */
static inline int conn_handshake(struct conn *c)
{
	return c->xprt->handshake(c);
}

/* Why the last call on c's transport failed; err is its errno. */
static inline const char *conn_error(const struct conn *c, int err)
{
	return c->xprt->error(err);
}

/*
 * The socket's bytes beneath the transport, before its handshake: a PROXY
 * header precedes the TLS handshake on the wire, so it is read from the
 * socket itself. conn_sock_peek() copies what arrived and leaves it there;
 * conn_sock_take() then removes exactly the header's bytes, so what
 * follows (a ClientHello in the same segment) stays for the transport.
 * Like recv(2), never blocking.
 */
static inline ssize_t conn_sock_peek(struct conn *c, void *buf, size_t len)
{
	return recv(c->fd, buf, len, MSG_PEEK | MSG_DONTWAIT);
}

static inline ssize_t conn_sock_take(struct conn *c, void *buf, size_t len)
{
	return recv(c->fd, buf, len, MSG_DONTWAIT);
}

static inline ssize_t conn_recv(struct conn *c, const struct iovec *iov, int n)
{
	return c->xprt->recv(c, iov, n);
}

static inline ssize_t conn_send(struct conn *c, const struct iovec *iov, int n)
{
	return c->xprt->send(c, iov, n);
}

/* Send one contiguous piece. */
static inline ssize_t conn_send1(struct conn *c, const void *p, size_t len)
{
	struct iovec iov = { (void *)p, len };

	return c->xprt->send(c, &iov, 1);
}

static inline void conn_shutw(struct conn *c)
{
	if (!(c->flags & CONN_F_SHUTW)) {
		c->flags |= CONN_F_SHUTW;
		c->xprt->shutw(c);
	}
}

/* Close c if it has a socket; c has none afterwards. */
static inline void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		c->xprt->close(c);
	free(c->pp_tlv);
	conn_reset(c);
}

static inline size_t conn_pending(const struct conn *c)
{
	return c->fd >= 0 ? c->xprt->pending(c) : 0;
}

static inline int conn_can_splice(const struct conn *c)
{
	return c->fd >= 0 && c->xprt->can_splice;
}

#endif /* HAPC_CONN_H */
