/*
 * http_txn-t.h: the state of one HTTP request on a stream (HTTP mode).
 *
 * A client connection carries requests one after the other (keep-alive,
 * pipelining); what belongs to one request lives here and is reset when
 * it ends: its parsed head, the framing of both messages, timers, the
 * status sent, what the log line says. The stream below keeps the
 * connections, the server slot and the byte pump; the backend and the
 * server are chosen again for every request.
 */
#ifndef HAPC_HTTP_TXN_T_H
#define HAPC_HTTP_TXN_T_H

#include <ev.h>
#include <stdint.h>

#include "h1-t.h"
#include "http_logfmt-t.h"
#include "http_rules-t.h"
#include "http_vars-t.h"

#define HTTP_TXN_MAGIC   0x48545458u  /* "HTTX" */
#define HTTP_MAX_HDRS    101u         /* header lines (tune.http.maxhdr) */
#define HTTP_MAXREWRITE  1024u        /* bytes kept free for rewrites
                                         (tune.maxrewrite) */
#define HTTP_URI_LOG_MAX 1024u        /* bytes of the request line logged */

/* Where the request of a transaction is. */
enum http_req_state {
	HTTP_REQ_IDLE = 0,          /* keep-alive: no byte of a request yet */
	HTTP_REQ_HEAD = 1,          /* receiving the head */
	HTTP_REQ_BODY = 2,          /* head sent on, body flowing */
	HTTP_REQ_DONE = 3,          /* the whole request was read */
};

/* Where the response of a transaction is. */
enum http_rsp_state {
	HTTP_RSP_NONE = 0,          /* no server answer expected yet */
	HTTP_RSP_HEAD = 1,          /* waiting for / receiving the head */
	HTTP_RSP_BODY = 2,          /* head sent on, body flowing */
	HTTP_RSP_DONE = 3,          /* the whole response was read */
	HTTP_RSP_LOCAL = 4,         /* we answer ourselves (error page,
	                               stats page, redirect...): the client
	                               side's out_pre holds it */
};

struct http_work;
struct http_comp;

struct http_txn {
	uint32_t magic;             /* HTTP_TXN_MAGIC */
	uint8_t  req_st;            /* enum http_req_state */
	uint8_t  rsp_st;            /* enum http_rsp_state */
	uint8_t  cli_close;         /* 1: close the client after this
	                               response (no keep-alive) */
	uint8_t  tunnel;            /* 1: switched to a tunnel (101, CONNECT) */
	uint16_t status;            /* status sent to the client, 0 = none */
	uint32_t req_meth;          /* enum h1_meth */
	uint8_t  req_version;       /* 10 or 11 */
	uint8_t  logged;            /* 1: this request's line was written */
	uint64_t asap_bytes;        /* option logasap: %B of its line */
	uint8_t  asap;              /* 1 while option logasap's line is built
	                               (response head forwarded): total
	                               time and bytes get a '+' */
	uint8_t  stop_close;        /* 1: idle, its idle timer set by a soft
	                               stop: when it fires the connection
	                               closes silently (http_stop.h) */
	uint8_t  no_page;           /* 1: the stream ends without an error
	                               page (ignore-probes, abortonclose) */
	uint8_t  tarpit;            /* 1: a tarpit rule holds the request:
	                               req_timer sends w->held */
	uint8_t  wait_body;         /* 1: option http-buffer-request: the
	                               body is awaited before connecting */
	uint8_t  retried;           /* 1: sent again on a new connection
	                               after a reused one closed */
	uint8_t  l7_retry;          /* 1: retry-on may send the request again:
	                               it was whole in hand (head and body
	                               within one buffer) when dispatched and
	                               nothing of a response went out yet */
	uint8_t  srv_ka;            /* 1: the server connection may be kept
	                               after this request: we asked for it and
	                               the response allowed it */
	char ck[2];                 /* %tsc cookie characters (request,
	                               response; http_cookie.c), 0 = not
	                               looked at */
	uint32_t ck_last;           /* s since the epoch: the last date the
	                               request's cookie carries (maxidle),
	                               0 = none */
	uint32_t ck_first;          /* s since the epoch: its first date
	                               (maxlife), 0 = none */
	uint32_t nreq;              /* requests on this connection so far */
	uint8_t  comp_algo;         /* enum plan_comp_algo the request chose
	                               for its response (http_comp.c), 0 */
	uint8_t  comp_busy;         /* 1 while http_rsp_comp() runs (the
	                               flush it calls must not re-enter it) */
	struct http_comp *comp;     /* the response body's compressor while
	                               it is compressed, NULL */
	ev_timer req_timer;         /* timeout http-request: from the first
	                               byte of a request to its whole head */
	ev_timer resume;            /* never started: fed to the loop to run
	                               a request already buffered (the
	                               thread's run queue) */
	struct h1_body_state req_body;  /* request body framing */
	struct h1_body_state rsp_body;  /* response body framing */
	double t_req_start;         /* ev_now() at the request's first byte
	                               (or when the connection was idle) */
	double t_req_head;          /* ev_now() when its head was complete */
	double t_rsp_head;          /* ev_now() when the response head came */
	double t_idle_start;        /* ev_now() when the connection went idle
	                               (start of keep-alive wait) */
	struct http_work *w;        /* what a request in progress needs;
	                               NULL while the connection is idle */
};


/*
 * What one request in progress needs beyond its state: the heads, the
 * edit list, the request line for the log. Taken from a pool when a
 * request's first byte arrives and given back when it is logged, so that
 * an idle keep-alive connection holds none of it.
 */
struct http_work {
	uint16_t req_line_len;      /* bytes in req_line */
	uint16_t pad2[3];
	char req_line[HTTP_URI_LOG_MAX]; /* request line as received, for
	                               the log (cut) */
	struct h1_hdr hdrs[HTTP_MAX_HDRS]; /* headers of the head being parsed */
	struct h1_msg req;          /* the request head, once parsed; its
	                               offsets point into req_head */
	struct h1_hdr req_hdrs[HTTP_MAX_HDRS]; /* req's header lines */
	char *req_head;             /* a copy of the request head for the
	                               response's rules: a STREAM_BUFSZ
	                               buffer of the thread's pool, or (a
	                               larger head) malloc'd */
	uint32_t req_head_heap;     /* 1: req_head is malloc'd */
	struct http_verdict held;   /* tarpit: the answer sent when the hold
	                               ends (a DENY) */
	struct http_edits edits;    /* the head being sent: rules' edits and
	                               ours */
	uint8_t del[HTTP_MAX_HDRS]; /* edits.del */
	char arena[HTTP_MAXREWRITE];/* edits.arena */
	struct http_capt capt;      /* captures, unique id (http_logfmt.c) */
	struct http_vars *vars;     /* set-var's txn., req., res. and sess.
	                               variables (sess. live as long as the
	                               request here, not the connection),
	                               made by the first set-var; NULL */
	char *retry_body;           /* retry-on: a copy of the request body
	                               (malloc'd), NULL = none or empty */
	uint32_t retry_body_len;    /* its bytes */
};

#endif /* HAPC_HTTP_TXN_T_H */
