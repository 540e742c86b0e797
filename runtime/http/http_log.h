/*
 * http_log.h: the log line of an HTTP request (option httplog).
 */
#ifndef HAPC_HTTP_LOG_H
#define HAPC_HTTP_LOG_H

#include <stddef.h>

#include "stream-t.h"

/*
 * The line of the request stream s is ending now, in HAProxy's httplog
 * format, into line[size] (no newline; at most size - 2 bytes): client,
 * date of the request's first byte, frontend, backend/server, the timers
 * TR/Tw/Tc/Tr/Ta, status, bytes sent to the client, cookies, termination
 * state, connection counts, queues and the request line in quotes. Lock
 * held, as log_stream_line(). Returns its length.
 */
size_t http_log_line(const struct stream *s, const char mp_mark[2],
                     char *line, size_t size);

#endif /* HAPC_HTTP_LOG_H */
