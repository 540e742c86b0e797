/*
 * ratelimit.h: the process-wide accept rates and their limits (HAProxy's
 * global maxconnrate and maxsessrate, set with `set rate-limit
 * connections|sessions global N` on the stats socket).
 *
 * Every connection accepted counts in the connection rate, every one
 * that its `tcp-request connection` rules let through in the session
 * rate (per second, over a sliding second). While a rate is at its limit
 * a thread takes no new connection: it stops watching its listeners for
 * the time the rate needs to fall below the limit (connections wait in
 * the kernel's backlog meanwhile), as HAProxy does. The state outlives
 * plan generations; the limits start from the plan's global `maxconnrate`
 * and `maxsessrate`.
 */
#ifndef HAPC_RATELIMIT_H
#define HAPC_RATELIMIT_H

#include <stdint.h>

#include "plan.h"

enum ratelimit_kind {
	RATELIMIT_CONN = 0,         /* connections accepted */
	RATELIMIT_SESS = 1,         /* sessions: accepted and kept */
	RATELIMIT_KINDS
};

/* Set the limit of `k`, events per second; 0 = none. */
void ratelimit_set(enum ratelimit_kind k, uint32_t max);

/* A plan generation starts (`old`: the plan it replaces, NULL at start):
 * its `maxconnrate` and `maxsessrate` become the limits, each unless it
 * is the same as the old plan's (a limit set on the stats socket then
 * stays, as a server's state does across a reload). */
void ratelimit_plan(const struct plan_global *g, const struct plan_global *old);

/* The limit of `k` (0 = none), its rate now and the highest rate seen. */
uint32_t ratelimit_limit(enum ratelimit_kind k);
uint32_t ratelimit_rate(enum ratelimit_kind k, uint32_t *max_seen);

/* Count one event of `k` now. Any thread. */
void ratelimit_count(enum ratelimit_kind k);

/* Seconds before a new connection may be accepted under both limits; 0
 * when it may be now. Any thread. */
double ratelimit_delay(void);

#endif /* HAPC_RATELIMIT_H */
