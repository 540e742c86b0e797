/*
 * http_local.h: answers cfgrun makes itself in HTTP mode (http_local.c):
 * error pages, what a rule decided (deny, return, redirect), the stats
 * page and the Prometheus exporter.
 */
#ifndef HAPC_HTTP_LOCAL_H
#define HAPC_HTTP_LOCAL_H

#include <stddef.h>

#include "http_rules-t.h"
#include "stream-t.h"

/*
 * Put a whole response in the client side's out_pre (replacing anything
 * there): the status line, `hdrs` (complete lines, may be NULL), a
 * Content-Length (and Content-Type when ctype), "connection: close" when
 * close, the body. The request becomes answered locally. 0, or -1 without
 * memory.
 */
int http_local_send(struct stream *s, unsigned status, const char *hdrs,
                    size_t hlen, const char *ctype, const char *body,
                    size_t blen, int close);

/*
 * The error page for `status` the request of s gets: its backend's
 * errorfile, else its frontend's, else HAProxy's default (written into
 * out[cap], `raw` as http_err_default()). *page points to it; returns its
 * length.
 */
size_t http_err_page(const struct stream *s, unsigned status, int raw,
                     char *out, size_t cap, const char **page);

/* Put that page in the client side's out_pre; the request is answered.
 * 0 or -1 without memory. */
int http_local_error(struct stream *s, unsigned status, int raw);

/* The answer a rule's verdict v asks for (deny, return, redirect, the
 * 500 of a rewrite that did not fit). 0 or -1. */
int http_local_verdict(struct stream *s, const struct http_verdict *v);

/* The proxy whose stats page the request in buf/m asks for (its URI
 * starts with that proxy's stats uri), or PLAN_NONE. */
uint32_t http_local_stats_target(const struct stream *s, const char *buf,
                                 const struct h1_msg *m);

/*
 * When the request (head m in buf) is for the stats page of its
 * frontend or backend: 1 after putting the answer (the page, its CSV,
 * an admin action's redirect, a 401) in place; 2 when a POST body is not
 * all here yet (call again with more); 0 when it is not for the page.
 * `admin`: a stats admin rule holds (the page grants admin).
 */
int http_local_stats(struct stream *s, const char *buf,
                     const struct h1_msg *m, int admin);

#endif /* HAPC_HTTP_LOCAL_H */
