/*
 * conn-t.h: a connection and its transport.
 *
 * Everything above this layer (streams, HTTP) does its socket I/O through
 * a struct conn and never calls recv(2)/send(2) on the descriptor itself:
 * the transport (struct xprt_ops) decides how bytes are read and written.
 * Raw sockets are the first transport; TLS is another with the same
 * interface, where "would block" may mean the library wants the other
 * direction (CONN_F_WANT_*), and where bytes may be held inside the
 * library (pending), which the layer above drains before waiting for the
 * socket again.
 */
#ifndef HAPC_CONN_T_H
#define HAPC_CONN_T_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

struct conn;

#define CONN_F_WANT_READ  0x1u  /* the transport needs the socket readable
                                   to go on (even to send) */
#define CONN_F_WANT_WRITE 0x2u  /* ... writable (even to receive) */
#define CONN_F_SHUTW      0x4u  /* we sent our end (FIN or close_notify) */
#define CONN_F_PROXY      0x8u  /* the client began with a PROXY header */

struct xprt_ops {
	const char *name;           /* "raw", "tls" */
	/* Bring the transport up (a TLS handshake): 0 done, 1 not yet (see
	 * CONN_F_WANT_*), -1 failed (errno or the transport's reason). */
	int (*handshake)(struct conn *c);
	/* Read into iov[0..n): bytes read, 0 at the peer's end, -1 with
	 * errno (EAGAIN: nothing now). */
	ssize_t (*recv)(struct conn *c, const struct iovec *iov, int n);
	/* Write iov[0..n): bytes written, -1 with errno (EAGAIN: full). */
	ssize_t (*send)(struct conn *c, const struct iovec *iov, int n);
	/* Send our end (half-close); the peer may go on sending. */
	void (*shutw)(struct conn *c);
	/* Release the transport and close the descriptor. */
	void (*close)(struct conn *c);
	/* Bytes read from the socket and held inside the transport, that a
	 * recv() gives without the socket being readable. */
	size_t (*pending)(const struct conn *c);
	/* Why the last handshake/recv/send of this thread that returned -1
	 * failed, as text for a log ("no shared cipher", strerror(errno)). */
	const char *(*error)(int err);
	uint32_t can_splice;        /* 1: splice(2) may move the bytes */
};

struct conn {
	int fd;                     /* socket, -1 = none */
	uint32_t flags;             /* CONN_F_* */
	const struct xprt_ops *xprt;/* its transport; NULL while fd < 0 */
	void *ctx;                  /* the transport's state, NULL for raw */
	uint8_t *pp_tlv;            /* client side: the TLVs of the PROXY v2
	                               header it began with (malloc'd, freed
	                               by conn_close()), NULL: none */
	uint32_t pp_tlv_len;        /* bytes at pp_tlv */
};

#endif /* HAPC_CONN_T_H */
