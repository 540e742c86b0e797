/*
 * stats_limits.h: the stats socket's limit commands kept apart from
 * stats.c: `set maxconn server` and `set rate-limit`.
 */
#ifndef HAPC_STATS_LIMITS_H
#define HAPC_STATS_LIMITS_H

#include <stdint.h>

#include "runtime-t.h"
#include "stats_row.h"

/*
 * set maxconn server B/S N, server `srv` found by the caller, `arg` the
 * value word ("" when missing): the server's limit from now on (0 = none),
 * for new connections and its queue; streams waiting for it take the
 * slots a higher limit frees at once. HAProxy's answers.
 */
void stats_set_srv_maxconn(struct runtime *rt, struct stats_buf *out,
                           uint32_t srv, const char *arg);

/* set rate-limit connections|sessions global N (words w[0..n)):
 * ratelimit.h; HAProxy's answers. */
void stats_set_rate_limit(struct stats_buf *out, char **w, int n);

#endif /* HAPC_STATS_LIMITS_H */
