/*
 * balance.h: choosing a server of a backend for a new connection.
 *
 * The algorithms are HAProxy's `balance` keywords (plan_proxy.balance);
 * they only ever choose among the backend's pool of usable servers (see
 * balance-t.h), which server.c and check.c keep current through
 * balance_update().
 */
#ifndef HAPC_BALANCE_H
#define HAPC_BALANCE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "runtime-t.h"

/*
 * Allocate the balancing state of every backend and build its pool from
 * the servers' current state (rt->servers filled, see server_init_all()).
 * The random generator is seeded from `seed` (0: from time and pid).
 * Returns 0, or -1 when out of memory (a message is printed; what was
 * allocated is freed by balance_free()).
 */
int balance_init(struct runtime *rt, uint64_t seed);

/* Free what balance_init() allocated; safe on a partial init. */
void balance_free(struct runtime *rt);

/*
 * Rebuild the pool of backend `be` after one of its servers changed state
 * or weight. O(servers of the backend + weights). Returns 0, or -1 when out
 * of memory, in which case the previous pool stays in use.
 */
int balance_update(struct runtime *rt, uint32_t be);

/*
 * The server of backend `be` the next connection from client address
 * `cli` (NULL or non-IP: `source` falls back to round robin, as HAProxy
 * does) goes to, or PLAN_NONE when no server of the pool can take it
 * (none usable, or every one at its maxconn). Servers at their maxconn are
 * skipped, except by `source`, which would rather keep a client on its
 * server.
 */
uint32_t balance_pick_for(struct runtime *rt, uint32_t be,
                          const struct sockaddr *cli, socklen_t clilen);

/*
 * balance_pick_for() with the request's balancing key hashed (`key`, NULL
 * = none: uri, url_param and hdr then take turns, as HAProxy's fallback
 * to round robin); other algorithms ignore it.
 */
uint32_t balance_pick_key(struct runtime *rt, uint32_t be,
                          const struct sockaddr *cli, socklen_t clilen,
                          const uint32_t *key);

/* balance_pick_key() avoiding server `avoid` (PLAN_NONE: none) where
 * the algorithm can: consistent hashing takes the next server along its
 * ring, as HAProxy's redispatch does; the others ignore it. */
uint32_t balance_pick_avoid(struct runtime *rt, uint32_t be,
                            const struct sockaddr *cli, socklen_t clilen,
                            const uint32_t *key, uint32_t avoid);

/* 1 for the algorithms that hash a key (source, uri, url_param, hdr):
 * HAProxy's "hash" kind, which a redispatch only leaves when it must. */
int balance_is_hash(uint32_t algo);

/* 1 for the ones that hash a part of an HTTP request. */
int balance_is_l7(uint32_t algo);

/* balance_pick_for() without a client address. */
uint32_t balance_pick(struct runtime *rt, uint32_t be);

/* Servers of backend `be` in its pool now (0: "no server available"). */
uint32_t balance_usable(const struct runtime *rt, uint32_t be);

/* 1 when backend `be`'s algorithm only takes weights fixed at start
 * (static-rr, source with map-based hashing), as HAProxy's static ones. */
int balance_is_static(const struct runtime *rt, uint32_t be);

/*
 * Set the effective weight of server `srv` (0..256), as `set weight` on the
 * stats socket does, and rebuild its backend's pool. A static algorithm
 * only takes 0 or the configured weight, like HAProxy. Returns 0, or -1
 * with a reason in `err`.
 */
int balance_set_weight(struct runtime *rt, uint32_t srv, uint32_t weight,
                       char *err, size_t errlen);

/* 1 when server `srv` is UP, READY, has weight > 0 and an address. */
int balance_srv_usable(const struct runtime *rt, uint32_t srv);

/* Server `srv`'s connection limit now, 0 = none: its maxconn, or with a
 * minconn the value between minconn and maxconn proportional to its
 * backend's connections over the backend's fullconn (HAProxy's dynamic
 * limit; at least 1). */
uint32_t balance_srv_maxconn(const struct runtime *rt, uint32_t srv);

/* 1 when server `srv` is in its backend's pool now: usable, and either
 * active or a backup standing in for the missing active servers (the
 * first usable one, or any with `option allbackups`). Queued streams of
 * the backend may only go to such a server. */
int balance_srv_in_pool(const struct runtime *rt, uint32_t srv);

#endif /* HAPC_BALANCE_H */
