/*
 * xprt_raw.c: the plain-socket transport. recv(2)/send(2) for one piece
 * (they skip the VFS and the iovec copy of readv/writev), readv/writev
 * for two; never SIGPIPE.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "conn.h"

static int raw_handshake(struct conn *c)
{
	(void)c;
	return 0;
}

static ssize_t raw_recv(struct conn *c, const struct iovec *iov, int n)
{
	if (n == 1)
		return recv(c->fd, iov[0].iov_base, iov[0].iov_len, MSG_DONTWAIT);
	return readv(c->fd, iov, n);
}

static ssize_t raw_send(struct conn *c, const struct iovec *iov, int n)
{
	struct msghdr mh = { 0 };

	if (n == 1)
		return send(c->fd, iov[0].iov_base, iov[0].iov_len,
		            MSG_NOSIGNAL | MSG_DONTWAIT);
	mh.msg_iov = (struct iovec *)iov;
	mh.msg_iovlen = (size_t)n;
	return sendmsg(c->fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
}

static void raw_shutw(struct conn *c)
{
	/* ENOTCONN after a reset is harmless: the read side says so. */
	(void)shutdown(c->fd, SHUT_WR);
}

static void raw_close(struct conn *c)
{
	close(c->fd);
}

static size_t raw_pending(const struct conn *c)
{
	(void)c;
	return 0;
}

static const char *raw_error(int err)
{
	return strerror(err);
}

const struct xprt_ops xprt_raw = {
	.name = "raw",
	.handshake = raw_handshake,
	.recv = raw_recv,
	.send = raw_send,
	.shutw = raw_shutw,
	.close = raw_close,
	.pending = raw_pending,
	.error = raw_error,
	.can_splice = 1,
};
