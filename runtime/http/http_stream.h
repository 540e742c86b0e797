/*
 * http_stream.h: HTTP/1.1 on a stream; cfgrun.c registers it as the
 * stream layer's HTTP application (stream_http_app).
 */
#ifndef HAPC_HTTP_STREAM_H
#define HAPC_HTTP_STREAM_H

#include "stream-t.h"

extern const struct stream_app http_stream_app;

#endif /* HAPC_HTTP_STREAM_H */
