/*
 * use_server.h: a backend's use-server rules (HAProxy manual 4.2): the
 * server the first rule that applies names, when that server can take
 * the request.
 */
#ifndef HAPC_USE_SERVER_H
#define HAPC_USE_SERVER_H

#include <stdint.h>

#include "plan.h"
#include "runtime-t.h"

/* 1 when server srv may take a request named for it (a use-server rule,
 * a persistence cookie, a stick match): UP, not in maintenance (draining
 * is fine), with an address. Lock held. */
int use_server_ok(const struct runtime *rt, uint32_t srv);

/*
 * The use-server rules of backend `be`, in order, on the samples `fetch`
 * gives from ctx (regexes from rx): the server (plan index) of the first
 * rule whose condition holds and whose server use_server_ok(), as
 * HAProxy goes on to the next rule when the named server is down;
 * PLAN_NONE when none. Takes the generation's lock to read states.
 */
uint32_t use_server_rules(struct runtime *rt, uint32_t be,
                          const struct plan_regex *rx, plan_fetch_fn fetch,
                          void *ctx);

#endif /* HAPC_USE_SERVER_H */
