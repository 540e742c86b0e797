/*
 * stats_ssl.h: the stats socket's `show ssl cert [FILE]`: the certificate
 * files the plan's TLS binds hold, or one of them in detail, in HAProxy's
 * layout.
 */
#ifndef HAPC_STATS_SSL_H
#define HAPC_STATS_SSL_H

#include "runtime-t.h"
#include "stats_row-t.h"

/* The answer to `show ssl cert` (file NULL) or `show ssl cert FILE`,
 * ending with an empty line, into out. */
void stats_show_ssl_cert(const struct runtime *rt, struct stats_buf *out,
                         const char *file);

#endif /* HAPC_STATS_SSL_H */
