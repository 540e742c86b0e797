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

#include "conn-t.h"
#include "proxy_proto-t.h"
#include "queue-t.h"
#include "splice-t.h"
#include "stktable-t.h"

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

/* What a stream without a server connection in progress waits for. */
enum stream_wait {
	STREAM_WAIT_NONE  = 0,      /* nothing: connecting or established */
	STREAM_WAIT_PROXY = 1,      /* the client's PROXY header (accept-proxy) */
	STREAM_WAIT_QUEUE = 2,      /* a server slot, in a queue */
	STREAM_WAIT_RETRY = 3,      /* the turn-around before a new attempt */
	STREAM_WAIT_SLOT  = 4,      /* nothing more: slot given, connect next */
	STREAM_WAIT_INSPECT = 5,    /* TCP: the client's first bytes, for the
	                               tcp-request content rules (acl.c) */
};

struct stream_side {
	ev_io rd;                   /* fd readable */
	ev_io wr;                   /* fd writable (server: connect done too) */
	ev_timer idle;              /* inactivity timeout of this side */
	struct conn conn;           /* socket and transport; fd -1 = none */
	uint8_t eof_in;             /* 1: this side sent FIN (read gave 0) */
	uint8_t shut_out;           /* 1: we sent FIN to this side */
	uint8_t spl;                /* enum splice_state of what we read here */
	uint8_t pad;
	struct stream_buf in;       /* read from this side, for the other side */
	uint64_t bytes_in;          /* bytes read from this side */
	uint64_t bytes_out;         /* bytes written to this side from user
	                               space (out_pre and buffers; not splice) */
	struct splice_pipe *pipe;   /* SPLICE_ON: bytes read here, in the kernel */
	uint32_t piped;             /* bytes in pipe, <= SPLICE_PIPE_CAP */
	uint32_t out_pre_len;       /* bytes of out_pre to send, 0 = none */
	uint32_t out_pre_off;       /* bytes of out_pre already sent */
	uint32_t out_pre_heap;      /* 1: out_pre is malloc'd (a large reply
	                               of ours), else a pool buffer */
	char *out_pre;              /* bytes for this side that go before
	                               anything of the other side's buffer (an
	                               HTTP head as rewritten, a reply); a
	                               STREAM_BUFSZ buffer from the pool, a
	                               malloc'd one (out_pre_heap) or NULL */
	uint64_t fwd;               /* bytes of `in` that may go to the other
	                               side now: STREAM_FWD_ALL in TCP mode and
	                               in tunnels; the HTTP layer opens it
	                               message by message */
};

#define STREAM_FWD_ALL UINT64_MAX
#define STREAM_WHY_MAX 192          /* bytes of a log detail, NUL included */

struct stream;

/*
 * What runs on top of a stream's byte pump (HTTP mode; NULL in TCP mode,
 * where the bytes just flow and a FIN is passed on). The stream layer
 * calls these upward through this table only. Each returns -1 when it
 * ended the stream, like the stream functions.
 */
struct stream_app {
	/* Give a new stream what the application needs (its HTTP request
	 * state): 0, or -1 without memory (the stream is then refused). */
	int (*attach)(struct stream *s);
	/* The stream is set up and reads the client: start waiting. */
	void (*start)(struct stream *s);
	/* Side i gave bytes (sd->in grew) or its FIN (sd->eof_in). */
	int (*on_read)(struct stream *s, int i);
	/* Everything side j may be sent now was written (out_pre, and the
	 * other side's buffer up to its fwd). */
	int (*on_sent)(struct stream *s, int j);
	/* Side i's inactivity timer fired (not while connecting). */
	int (*on_timeout)(struct stream *s, int i);
	/* The stream ends with termination state term: a last chance to
	 * answer the client (best effort, without blocking). */
	void (*on_end)(struct stream *s, const char *term);
	/* The stream's generation started closing its clients (a soft
	 * stop, http_stop.h); NULL: nothing to do (TCP). Never ends the
	 * stream from inside. */
	void (*on_stop)(struct stream *s);
	/* The log line of what is still open, as log_stream_line(). */
	size_t (*log_line)(const struct stream *s, const char mp_mark[2],
	                   char *line, size_t size);
	/* The syslog level of that line (NULL: info). */
	unsigned (*log_level)(const struct stream *s);
	/* Give back what the application holds (the stream is freed). */
	void (*release)(struct stream *s);
	/* The Host header of the request being sent to a server (without
	 * its port when noport), into buf[size]: 1, or 0 when there is
	 * none (or it does not fit). For the SNI of a TLS server. */
	int (*req_host)(const struct stream *s, int noport, char *buf,
	                size_t size);
};

struct http_txn;

struct runtime;
struct rt_thread;

/* The stick table state of a stream (stktable.c). */
struct stream_stick {
	struct stk_ctrs ctrs;       /* stick counters sc0..sc2 it tracks */
	struct stk_stores stores;   /* stick store rules waiting for the
	                               server of this request */
};

struct stream {
	uint32_t magic;             /* STREAM_MAGIC while alive */
	uint32_t listener;          /* plan listener index */
	uint32_t frontend;          /* plan proxy index of the listener */
	uint32_t backend;           /* plan proxy index, PLAN_NONE = none */
	uint32_t server;            /* plan server index, PLAN_NONE = none */
	int connecting;             /* 1: server connect() in progress */
	struct runtime *rt;         /* plan generation, for its whole life */
	struct rt_thread *thr;      /* thread running it, for its whole life */
	struct stream_stick *stick; /* stick counters and pending stores,
	                               made at accept when the plan has a
	                               stick table; NULL: none (144 bytes a
	                               connection saves) */
	const struct stream_app *app; /* HTTP mode: its layer; NULL = TCP */
	struct http_txn *txn;       /* HTTP mode: the request in progress */
	struct stream *prev, *next; /* thread's list of live streams */
	struct stream_side side[2]; /* enum stream_side_id */
	double t_accept;            /* ev_now() at accept, seconds */
	double t_connect;           /* ev_now() when connected, < 0 = never */
	uint8_t wait;               /* enum stream_wait */
	uint8_t has_slot;           /* 1: holds a slot of `server` (queue.c) */
	uint8_t redispatched;       /* 1: a retry went to another server */
	uint8_t logged_asap;        /* 1: option logasap wrote the line when
	                               the server was connected (TCP) */
	uint8_t was_queued;         /* 1: entered a queue once (may be in
	                               the inbox of its thread) */
	uint8_t grant;              /* enum stream_wait another thread gave
	                               it while queued (SLOT or RETRY), 0 =
	                               none; under the generation's lock */
	uint8_t in_inbox;           /* 1: on thr's inbox; under its lock */
	uint8_t tcp_fin;            /* 1: with an app, bytes flow and FINs are
	                               passed on as in TCP mode (a tunnel) */
	uint8_t reuse;              /* 1: the next connect may take an idle
	                               server connection (srv_idle.c) */
	struct stream *inbox_prev, *inbox_next; /* thr's inbox */
	uint32_t retries;           /* connection attempts after the first */
	uint8_t reused;             /* 1: the server connection came from an
	                               earlier request (kept or idle) */
	uint8_t session_done;       /* 1: tcp-request session rules ran */
	uint8_t res_inspect;        /* 1: tcp-response rules still to decide
	                               (the server's bytes wait for them) */
	uint8_t handshake;          /* 1: the client's transport handshake
	                               (TLS) runs; nothing else has started */
	uint8_t srv_handshake;      /* 1: the server connection's TLS
	                               handshake runs (connecting stays 1:
	                               timeout connect bounds it) */
	uint8_t admin_kill;         /* 1: `shutdown session` asked its end
	                               (written by thread 0 with this
	                               thread parked, then THR_MSG_KILL) */
	uint8_t has_lb_key;         /* 1: lb_key holds the request's balancing
	                               hash (uri, url_param, hdr), 0: none
	                               (round robin) */
	uint8_t pad3[1];
	uint32_t lb_key;            /* that hash (http_balance.c) */
	uint64_t uniq;              /* accepted connections before it, all
	                               threads (HAProxy's uniq_id: `show
	                               sess`) */
	uint32_t kill_seq;          /* the server's kill_seq when it was
	                               connected (runtime-t.h) */
	uint32_t kept_srv;          /* HTTP: server whose connection the
	                               side[STREAM_SRV] keeps open between
	                               requests (no slot held), PLAN_NONE = none */
	uint32_t want_srv;          /* HTTP: the server a persistence cookie
	                               chose for this request (usable when
	                               chosen): a first dispatch takes it
	                               instead of the balancer's; PLAN_NONE =
	                               balance */
	ev_timer wait_timer;        /* queue timeout, turn-around, wake-up */
	struct queue_item qitem;    /* in a server's or backend's queue */
	double t_queued;            /* ev_now() entering the queue, < 0 = not */
	double queued_s;            /* seconds spent in queues so far */
	uint32_t srv_queue_pos;     /* streams queued before us on the server */
	uint32_t be_queue_pos;      /* ... on the backend */
	uint8_t *pp_out;            /* PROXY header for the server: malloc'd
	                               (PROXY_PROTO_OUT_MAX bytes) by the
	                               first connect that sends one, NULL =
	                               none yet */
	uint16_t pp_out_len;        /* bytes of pp_out to send, 0 = none */
	uint16_t pp_out_off;        /* bytes of pp_out already sent */
	char term[3];               /* termination state, 2 chars + NUL */
	char *why;                  /* error detail for the log (malloc'd,
	                               at most STREAM_WHY_MAX bytes), NULL =
	                               none; see stream_set_why() */
	struct sockaddr_storage cli_addr; /* client's address (the PROXY
	                               header's source on accept-proxy) */
	socklen_t cli_addrlen;      /* bytes of cli_addr */
	struct sockaddr_storage dst_addr; /* address the client connected to
	                               (or the PROXY header's destination) */
	socklen_t dst_addrlen;      /* bytes of dst_addr, 0 = not known yet */
};

#endif /* HAPC_STREAM_T_H */
