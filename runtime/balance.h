/*
 * balance.h: choosing a server of a backend for a new connection.
 */
#ifndef HAPC_BALANCE_H
#define HAPC_BALANCE_H

#include <stdint.h>

#include "runtime-t.h"

/*
 * The server of backend `be` (plan proxy index) the next connection goes
 * to, following the backend's algorithm, or PLAN_NONE when no server can
 * take it. Servers with weight 0, without an address, or at their maxconn
 * are skipped. Round robin is smooth and weighted: over any window of
 * sum(weights) picks each server gets its weight, interleaved.
 */
uint32_t balance_pick(struct runtime *rt, uint32_t be);

#endif /* HAPC_BALANCE_H */
