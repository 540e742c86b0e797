/*
 * xprt_ssl.c: the TLS transport over a BoringSSL SSL*, both roles.
 *
 * Non-blocking throughout: the socket is the SSL's file descriptor, and a
 * call that cannot go on says which readiness it waits for by setting
 * CONN_F_WANT_READ or CONN_F_WANT_WRITE (during a handshake the library
 * may need to write to read, or read to write). recv/send then fail with
 * EAGAIN like a raw socket would. Bytes the library decrypted and holds
 * are reported by pending(), which the stream layer drains before waiting
 * for the socket again. Never spliced: the kernel sees only records.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "conn.h"
#include "tls_stats.h"
#include "xprt_ssl.h"

static _Thread_local char xprt_ssl_why[128];   /* last failure, this thread */
static _Thread_local enum tls_fail xprt_ssl_fail; /* its counted reason */

/* The counted reason of the library's error `e` (a packed error code). */
static enum tls_fail ssl_fail_of(uint32_t e)
{
	if (!e || ERR_GET_LIB(e) != ERR_LIB_SSL)
		return TLS_FAIL_OTHER;
	switch (ERR_GET_REASON(e)) {
	case SSL_R_UNSUPPORTED_PROTOCOL:
	case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
		return TLS_FAIL_VERSION;
	case SSL_R_NO_SHARED_CIPHER:
	case SSL_R_NO_SHARED_GROUP:
	case SSL_R_NO_COMMON_SIGNATURE_ALGORITHMS:
	case SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE:
	case SSL_R_TLSV1_ALERT_INSUFFICIENT_SECURITY:
		return TLS_FAIL_CIPHER;
	case SSL_R_CERTIFICATE_VERIFY_FAILED:
	case SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE:
	case SSL_R_SSLV3_ALERT_BAD_CERTIFICATE:
	case SSL_R_SSLV3_ALERT_CERTIFICATE_REVOKED:
	case SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED:
	case SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN:
	case SSL_R_TLSV1_ALERT_UNKNOWN_CA:
	case SSL_R_TLSV1_ALERT_ACCESS_DENIED:
	case SSL_R_TLSV1_ALERT_CERTIFICATE_REQUIRED:
		return TLS_FAIL_CERT;
	case SSL_R_CONNECTION_REJECTED:     /* our select-certificate callback:
	                                       strict-sni found no certificate */
	case SSL_R_TLSV1_ALERT_UNRECOGNIZED_NAME:
		return TLS_FAIL_SNI;
	case SSL_R_HTTP_REQUEST:
	case SSL_R_HTTPS_PROXY_REQUEST:
	case SSL_R_WRONG_VERSION_NUMBER:    /* a record header that is no TLS */
		return TLS_FAIL_NOT_TLS;
	default:
		return TLS_FAIL_OTHER;
	}
}

/* Keep the library's first reason for a failure (its queue is per
 * thread), then empty the queue. */
static void ssl_note_error(const char *fallback)
{
	uint32_t e = ERR_get_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;

	snprintf(xprt_ssl_why, sizeof(xprt_ssl_why), "%s", r ? r : fallback);
	xprt_ssl_fail = ssl_fail_of(e);
	ERR_clear_error();
}

enum tls_fail xprt_ssl_fail_reason(void)
{
	return xprt_ssl_fail;
}

const char *xprt_ssl_error(void)
{
	if (xprt_ssl_why[0] == '\0')
		ssl_note_error("TLS error");
	return xprt_ssl_why;
}

/* The transport's error(): errno's text unless TLS itself failed. */
static const char *ssl_error(int err)
{
	if (err != EPROTO && err != ECONNRESET && xprt_ssl_why[0] == '\0')
		return strerror(err);
	return xprt_ssl_error();
}

SSL *xprt_ssl_get(const struct conn *c)
{
	return c->xprt == &xprt_ssl ? c->ctx : NULL;
}

int xprt_ssl_attach(struct conn *c, SSL_CTX *ctx, int accept)
{
	SSL *ssl = SSL_new(ctx);

	if (!ssl || !SSL_set_fd(ssl, c->fd)) {
		SSL_free(ssl);
		ERR_clear_error();
		return -1;
	}
	/* The stream layer retries a write with the same bytes from a
	 * buffer that may have been compacted meanwhile, and takes partial
	 * writes like send(2). */
	SSL_set_mode(ssl, SSL_MODE_ENABLE_PARTIAL_WRITE |
	                  SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (accept)
		SSL_set_accept_state(ssl);
	else
		SSL_set_connect_state(ssl);
	tls_conn_opened(accept);
	c->xprt = &xprt_ssl;
	c->ctx = ssl;
	c->flags &= ~(CONN_F_WANT_READ | CONN_F_WANT_WRITE);
	return 0;
}

/*
 * Map an SSL call's result r (<= 0) to the transport's answer: -1 with
 * errno EAGAIN and a CONN_F_WANT_* flag when it must wait, 0 when the
 * peer ended the connection (close_notify or a plain EOF), -1 with errno
 * EPROTO (reason in xprt_ssl_error()) or the socket's errno otherwise.
 */
static int ssl_result(struct conn *c, int r)
{
	int err = SSL_get_error(c->ctx, r);

	switch (err) {
	case SSL_ERROR_WANT_READ:
		c->flags |= CONN_F_WANT_READ;
		errno = EAGAIN;
		return -1;
	case SSL_ERROR_WANT_WRITE:
		c->flags |= CONN_F_WANT_WRITE;
		errno = EAGAIN;
		return -1;
	case SSL_ERROR_ZERO_RETURN:
		ERR_clear_error();
		return 0;
	case SSL_ERROR_SYSCALL:
		if (errno == 0 || r == 0) {
			/* EOF without close_notify: HAProxy reads it as an
			 * end, not an error, and so do we. */
			ERR_clear_error();
			return 0;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
			c->flags |= CONN_F_WANT_READ;
			return -1;
		}
		snprintf(xprt_ssl_why, sizeof(xprt_ssl_why), "%s",
		         strerror(errno));
		xprt_ssl_fail = TLS_FAIL_CLOSED;  /* reset, broken pipe */
		ERR_clear_error();
		return -1;
	default:
		ssl_note_error("TLS protocol error");
		errno = EPROTO;
		return -1;
	}
}

static int ssl_handshake(struct conn *c)
{
	int r;

	c->flags &= ~(CONN_F_WANT_READ | CONN_F_WANT_WRITE);
	xprt_ssl_why[0] = '\0';
	xprt_ssl_fail = TLS_FAIL_OTHER;
	errno = 0;
	r = SSL_do_handshake(c->ctx);
	if (r == 1)
		return 0;
	if (ssl_result(c, r) == 0) {
		snprintf(xprt_ssl_why, sizeof(xprt_ssl_why),
		         "connection closed during the handshake");
		xprt_ssl_fail = TLS_FAIL_CLOSED;
		errno = ECONNRESET;
		return -1;
	}
	if (errno == EAGAIN)
		return 1;
	return -1;
}

static ssize_t ssl_recv(struct conn *c, const struct iovec *iov, int n)
{
	ssize_t got = 0;

	c->flags &= ~(CONN_F_WANT_READ | CONN_F_WANT_WRITE);
	xprt_ssl_why[0] = '\0';
	for (int k = 0; k < n; k++) {
		int want = iov[k].iov_len > INT_MAX ? INT_MAX : (int)iov[k].iov_len;
		int r;

		errno = 0;
		r = SSL_read(c->ctx, iov[k].iov_base, want);
		if (r <= 0) {
			int e = ssl_result(c, r);

			if (got)
				return got;    /* the end or error comes next */
			return e;
		}
		got += r;
		if (r < want)
			break;
	}
	return got;
}

#define SSL_GATHER_MAX 16384       /* bytes gathered into one record */

static ssize_t ssl_send(struct conn *c, const struct iovec *iov, int n)
{
	ssize_t put = 0;
	size_t total = 0;

	for (int k = 0; k < n; k++)
		total += iov[k].iov_len;
	if (n > 1 && total <= SSL_GATHER_MAX) {
		/* A head and its body in one record, one packet: pieces in
		 * records of their own would each cost a TCP segment. A
		 * retry after EAGAIN gathers the same bytes again, as the
		 * library asks. */
		char buf[SSL_GATHER_MAX];
		struct iovec one = { buf, total };
		size_t off = 0;

		for (int k = 0; k < n; k++) {
			memcpy(buf + off, iov[k].iov_base, iov[k].iov_len);
			off += iov[k].iov_len;
		}
		return ssl_send(c, &one, 1);
	}

	c->flags &= ~(CONN_F_WANT_READ | CONN_F_WANT_WRITE);
	xprt_ssl_why[0] = '\0';
	for (int k = 0; k < n; k++) {
		int len = iov[k].iov_len > INT_MAX ? INT_MAX : (int)iov[k].iov_len;
		int r;

		if (len == 0)
			continue;
		errno = 0;
		r = SSL_write(c->ctx, iov[k].iov_base, len);
		if (r <= 0) {
			int e = ssl_result(c, r);

			if (put)
				return put;
			if (e == 0) {
				errno = EPIPE;
				return -1;
			}
			return e;
		}
		put += r;
		if (r < len)
			break;
	}
	return put;
}

/* close_notify, then the TCP FIN: the peer may still send to us. */
static void ssl_shutw(struct conn *c)
{
	if (SSL_is_init_finished(c->ctx))
		(void)SSL_shutdown(c->ctx);
	ERR_clear_error();
	(void)shutdown(c->fd, SHUT_WR);
}

static void ssl_close(struct conn *c)
{
	/* A clean end says so (close_notify) unless shutw() did already;
	 * best effort, the socket does not wait for it. */
	if (!(c->flags & CONN_F_SHUTW) && SSL_is_init_finished(c->ctx))
		(void)SSL_shutdown(c->ctx);
	ERR_clear_error();
	SSL_free(c->ctx);
	c->ctx = NULL;
	tls_conn_closed();
	close(c->fd);
}

static size_t ssl_pending(const struct conn *c)
{
	int n = SSL_pending(c->ctx);

	if (n > 0)
		return (size_t)n;
	/* A whole record may sit undecrypted in the library's buffer. */
	return SSL_has_pending(c->ctx) ? 1 : 0;
}

const struct xprt_ops xprt_ssl = {
	.name = "tls",
	.handshake = ssl_handshake,
	.recv = ssl_recv,
	.send = ssl_send,
	.shutw = ssl_shutw,
	.close = ssl_close,
	.pending = ssl_pending,
	.error = ssl_error,
	.can_splice = 0,
};
