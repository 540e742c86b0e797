/*
 * http_head.h: the heads cfgrun sends on (http_head.c).
 */
#ifndef HAPC_HTTP_HEAD_H
#define HAPC_HTTP_HEAD_H

#include <stdint.h>
#include <sys/socket.h>

#include "h1-t.h"
#include "stream-t.h"

struct http_edits;
struct runtime;

/*
 * The proxy's own edits to a request head (buf/m) going from frontend
 * fe to backend be, added to e after the rules' ones: hop-by-hop lines
 * out, Content-Length settled, X-Forwarded-For (client cli) and
 * X-Original-To (dst, NULL: unknown) as the options ask, the Connection
 * line the modes call for. Returns 1 when the server connection may be
 * kept for another request, 0 when not. No I/O (cfgc --route uses it).
 */
int http_req_proxy_edits(const struct runtime *rt, uint32_t fe, uint32_t be,
                         const struct sockaddr_storage *cli,
                         const struct sockaddr_storage *dst, const char *buf,
                         const struct h1_msg *m, struct http_edits *e);

/*
 * The request head of stream s (received as buf/m, rules' edits already
 * in s->txn->edits) as it goes to the server, appended to out (the
 * server side's out_pre); decides whether the server connection may be
 * kept (txn srv_ka). 0, or -1 when it does not fit.
 */
int http_req_head_out(struct stream *s, const char *buf,
                      const struct h1_msg *m, char *out);

/* The request head as http_req_head_out() made it, again (for a retry on
 * a new server connection), into out. 0 or -1. */
int http_req_head_again(struct stream *s, char *out);

/* The response head as it goes to the client, appended to out (the
 * client side's out_pre: an interim response may be there). 0 or -1. */
int http_rsp_head_out(struct stream *s, const char *buf,
                      const struct h1_msg *m, int interim, char *out);

#endif /* HAPC_HTTP_HEAD_H */
