/*
 * stream-t.h: one proxied connection, client side and server side.
 *
 * Every libev watcher of a connection is embedded here and its `data`
 * points back at the stream; the magic number is checked at the top of
 * every callback so that a watcher firing on a recycled stream is caught.
 *
 * Bytes read from a side go into that side's buffer and are written to the
 * other side. A reader stops when its buffer is full (back-pressure) and
 * the peer's writer stops when the buffer is empty. When a side sends FIN,
 * the buffer is flushed, then the other side gets shutdown(SHUT_WR); the
 * opposite direction keeps flowing until it ends too.
 */
#ifndef HAPC_STREAM_T_H
#define HAPC_STREAM_T_H

#include <ev.h>
#include <stdint.h>
#include <sys/socket.h>

#define STREAM_MAGIC  0x5354524du   /* "STRM": stream alive */
#define STREAM_DEAD   0x44454144u   /* "DEAD": back in the pool */
#define STREAM_BUFSZ  16384u        /* bytes per direction buffer */

/* Index of a side in struct stream.side[]. */
enum stream_side_id {
	STREAM_CLI = 0,             /* the accepted client connection */
	STREAM_SRV = 1,             /* our connection to the server */
};

/* A ring of STREAM_BUFSZ bytes. */
struct stream_buf {
	char *data;                 /* STREAM_BUFSZ bytes from the buffer pool */
	uint32_t head;              /* offset of the oldest byte, < STREAM_BUFSZ */
	uint32_t len;               /* bytes held, <= STREAM_BUFSZ */
};

struct stream_side {
	ev_io rd;                   /* fd readable */
	ev_io wr;                   /* fd writable (server: connect done too) */
	ev_timer idle;              /* inactivity timeout of this side */
	int fd;                     /* socket, -1 = none */
	uint8_t eof_in;             /* 1: this side sent FIN (read gave 0) */
	uint8_t shut_out;           /* 1: we sent FIN to this side */
	uint8_t pad[2];
	struct stream_buf in;       /* read from this side, for the other side */
	uint64_t bytes_in;          /* bytes read from this side */
};

struct runtime;

struct stream {
	uint32_t magic;             /* STREAM_MAGIC while alive */
	uint32_t listener;          /* plan listener index */
	uint32_t frontend;          /* plan proxy index of the listener */
	uint32_t backend;           /* plan proxy index, PLAN_NONE = none */
	uint32_t server;            /* plan server index, PLAN_NONE = none */
	int connecting;             /* 1: server connect() in progress */
	struct runtime *rt;
	struct stream *prev, *next; /* runtime's list of live streams */
	struct stream_side side[2]; /* enum stream_side_id */
	double t_accept;            /* ev_now() at accept, seconds */
	double t_connect;           /* ev_now() when connected, < 0 = never */
	char term[3];               /* termination state, 2 chars + NUL */
	char why[192];              /* error detail for the log, "" = none */
	struct sockaddr_storage cli_addr; /* client's address */
	socklen_t cli_addrlen;      /* bytes of cli_addr */
};

#endif /* HAPC_STREAM_T_H */
