/*
 * stats_page.h: HAProxy's statistics page (`stats uri`) as a renderer
 * the HTTP engine calls. The engine matches the request (the stats uri
 * prefix, authentication with stats_page_auth_ok()), calls
 * stats_page_serve() and sends what it fills in.
 *
 * The page shows the process, then per proxy its frontend row, a row per
 * server and its backend row, with HAProxy's column groups and ours for
 * MPTCP. ";csv" gives the stats socket's `show stat` CSV (stats_row.c),
 * ";up" hides servers DOWN or in maintenance, ";norefresh" drops the
 * Refresh header, "?scope=NAME" keeps one proxy. With STATS_PAGE_F_ADMIN
 * each backend gets a form; its POST (s=SERVER&...&action=ready|drain|maint
 * &b=#IID) changes the servers' administrative state the way the stats
 * socket's `set server ... state` does and is answered 303 See Other to
 * "<uri>;st=RESULT", whose page shows the result.
 *
 * Threads: call from any of cfgrun's threads without holding a generation
 * lock; the counters are read under the generation's lock, one proxy at a
 * time. Server state changes are thread 0's (health checks, queues): on
 * thread 0 (or outside cfgrun's threads: tests) an admin POST applies at
 * once; on another thread it is handed to thread 0 through its inbox
 * (THR_MSG_ADMIN) and applied by stats_page_admin_run() from there, to the
 * generation it was asked for if that is still the current one. The
 * answer to such a POST says what was accepted; the change follows
 * within thread 0's next loop iteration.
 */
#ifndef HAPC_STATS_PAGE_H
#define HAPC_STATS_PAGE_H

#include <stddef.h>
#include <stdint.h>

#include "ops-t.h"
#include "runtime-t.h"
#include "stats_page-t.h"

/*
 * Build the answer to request `rq` for the page configured by `c`, from
 * generation `rt` (the request's) and process `ops` (NULL: tests; the
 * process lines then come from `rt` alone). `out` is overwritten; its
 * body is malloc'd (free with stats_page_out_free()). Returns 0, or -1
 * when the page could not be built (out of memory, larger than
 * STATS_PAGE_BODY_MAX): `out` then holds a 500 answer.
 */
int stats_page_serve(const struct ops *ops, struct runtime *rt,
                     const struct stats_page_conf *c,
                     const struct stats_page_req *rq,
                     struct stats_page_out *out);

/* Free the body of `out` (harmless twice). */
void stats_page_out_free(struct stats_page_out *out);

/*
 * Basic authentication: 1 when `value` (`len` bytes of an Authorization
 * header's value, "Basic <base64 of user:password>") names one of
 * `users`, lines "user:password" separated by '\n' (`stats auth`); the
 * user name is then pointed to by *user_out (inside `users`, `*user_len`
 * bytes) when those are not NULL. 0 otherwise (no header, another
 * scheme, bad base64, unknown user or wrong password). Passwords are
 * compared in constant time.
 */
int stats_page_auth_ok(const char *value, size_t len, const char *users,
                       const char **user_out, size_t *user_len);

/* The 401 answer asking for credentials of `realm` (`stats realm`, NULL
 * = "HAProxy Statistics"). Returns 0, or -1 out of memory. */
int stats_page_unauthorized(const char *realm, struct stats_page_out *out);

/* Thread 0, from its inbox (THR_MSG_ADMIN): apply the admin changes other
 * threads handed over, in order, to ops->cur when it is still the
 * generation they were asked for. */
void stats_page_admin_run(struct ops *ops);

/* ---- shared with promex.c ------------------------------------------------ */

struct stats_buf;

/* What the page and the exporter say about the process. */
struct stats_page_proc {
	int pid;
	uint32_t nthreads;          /* threads serving */
	uint64_t uptime_s;          /* seconds since start */
	double start_time;          /* wall clock at start, seconds */
	uint32_t actconn;           /* streams alive, every generation */
	uint64_t cum_conn;          /* connections accepted since start */
	uint32_t maxconn;           /* global maxconn */
	uint32_t generation;        /* plan generation serving */
	int stopping;               /* 1: soft stop under way */
	uint64_t log_dropped;       /* log lines dropped */
};

/* Fill `pr` from `ops` (NULL: from generation `rt` only). Takes each
 * generation's lock in turn: call without holding one. */
void stats_page_proc_get(const struct ops *ops, struct runtime *rt,
                         struct stats_page_proc *pr);

/*
 * The next "key=value" pair of `s` (`len` bytes) separated by `sep`
 * ('&' for a form or a query string, ';' for the stats options) from
 * *pos on: the key and the value, percent-decoded ('+' is a space when
 * `sep` is '&'), terminated, into `key` and `val` (cut to their sizes;
 * the value is "" without '='). Returns 1, or 0 at the end.
 */
int stats_page_next_param(const char *s, size_t len, char sep, size_t *pos,
                          char *key, size_t keylen, char *val, size_t vallen);

/* Hand buffer `b` over to `out` as a `status` answer of `type`; a buffer
 * that was cut gives a 500 answer instead (returns -1). */
int stats_page_finish(struct stats_page_out *out, int status,
                      const char *type, struct stats_buf *b);

#endif /* HAPC_STATS_PAGE_H */
