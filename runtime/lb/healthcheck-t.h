/*
 * healthcheck-t.h: health checks of servers.
 *
 * Each server with `check` has one struct check: a timer that starts the
 * next check (every inter, fastinter or downinter) and bounds a running
 * one (the timeout), and a socket watcher while a check runs. A check is a
 * connect, then for `option tcp-check` the backend's rules in order, for
 * `option httpchk` one request and its status line.
 *
 * Health follows HAProxy: a counter in [0, rise + fall - 1]; the server is
 * UP from `rise` on and jumps to rise + fall - 1 ("fully up") on a success
 * while UP; a failure while above `rise` only lowers it ("going down"); a
 * failure at `rise` or below marks the server DOWN with health 0. Servers
 * start UP with health = rise: the first failure takes them down.
 */
#ifndef HAPC_HEALTHCHECK_T_H
#define HAPC_HEALTHCHECK_T_H

#include <ev.h>
struct plan_regex_one;
#include <stdint.h>

#include "conn-t.h"

#define CHECK_MAGIC   0x43484b53u   /* "CHKS" */
#define CHECK_INFO    160           /* bytes of the last result's detail */

/* Phase of a running check. */
enum check_phase {
	CHECK_IDLE       = 0,       /* waiting for the next check */
	CHECK_CONNECTING = 1,       /* connect() in progress */
	CHECK_RUNNING    = 2,       /* connected: rules or HTTP exchange */
	CHECK_HANDSHAKE  = 3,       /* connected, TLS handshake (check-ssl) */
};

struct runtime;

struct check {
	ev_io io;                   /* socket readable or writable */
	ev_timer timer;             /* idle: next start; running: timeout */
	uint32_t magic;             /* CHECK_MAGIC */
	uint32_t srv;               /* plan server index */
	struct runtime *rt;
	struct conn conn;           /* check connection; fd -1 = none */
	uint8_t phase;              /* enum check_phase */
	uint8_t eof;                /* 1: the server closed its side */
	uint8_t expected;           /* 1: an expect rule or status line passed */
	uint8_t status;             /* enum rt_chk_status of the last check */
	uint8_t tls;                /* 1: the connection being made uses the
	                               server's check settings (TLS with
	                               check-ssl): the implicit connect, or a
	                               `tcp-check connect default` */
	uint8_t stopped;            /* 1: `disable health`: no check starts,
	                               the server keeps the state it had */
	uint32_t health;            /* 0 .. rise + fall - 1, see above */
	uint32_t step;              /* next rule: 0 .. ncheck (HTTP: 0 send,
	                               1 status line) */
	uint32_t txoff;             /* bytes of the current send written */
	uint32_t rxlen;             /* bytes in rx */
	char *rx;                   /* STREAM_BUFSZ bytes from the buffer pool
	                               while running, else NULL */
	double t_start;             /* ev_now() at start, seconds */
	uint32_t duration;          /* ms, last check */
	int code;                   /* HTTP status of the last check, 0 = none */
	char info[CHECK_INFO];      /* detail of the last result, "" = none */
};

/* An HTTP check request of a backend, built once at start. */
struct check_req {
	char *data;                 /* "METHOD URI VERSION\r\n...\r\n", or NULL */
	uint32_t len;               /* bytes */
};

struct check_set {
	struct check *checks;       /* one per checked server */
	uint32_t nchecks;
	struct plan_regex_one **re; /* plan CHECK table: compiled regexes,
	                               NULL for other rules */
	struct check_req *req;      /* per proxy: HTTP request, data NULL = none */
};

#endif /* HAPC_HEALTHCHECK_T_H */
