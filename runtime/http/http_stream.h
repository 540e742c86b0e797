/*
 * http_stream.h: HTTP/1.1 on a stream; cfgrun.c registers it as the
 * stream layer's HTTP application (stream_http_app).
 */
#ifndef HAPC_HTTP_STREAM_H
#define HAPC_HTTP_STREAM_H

#include "http_rules-t.h"
#include "stream-t.h"

extern const struct stream_app http_stream_app;

/* What the rules see of s's request in progress (and of the response
 * rbuf/resp, NULL: none); s must have its request's work memory. */
void http_stream_view(const struct stream *s, struct http_req_view *v,
                      const char *rbuf, const struct h1_msg *resp);

#endif /* HAPC_HTTP_STREAM_H */
