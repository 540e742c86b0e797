/*
 * http_head.h: the heads cfgrun sends on (http_head.c).
 */
#ifndef HAPC_HTTP_HEAD_H
#define HAPC_HTTP_HEAD_H

#include "h1-t.h"
#include "stream-t.h"

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
