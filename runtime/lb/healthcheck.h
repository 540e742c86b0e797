/*
 * healthcheck.h: running the servers' health checks.
 */
#ifndef HAPC_HEALTHCHECK_H
#define HAPC_HEALTHCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "healthcheck-t.h"
#include "runtime-t.h"

/*
 * Prepare a check for every server with PLAN_SRV_F_CHECK: tcp-check
 * regexes compiled, HTTP requests built, servers given their check (UP,
 * health = rise). Needs no event loop and opens no descriptor. Returns 0,
 * or -1 after printing why (bad regex, out of memory); check_free() then
 * cleans up.
 */
int check_init_all(struct runtime *rt);

/*
 * A check for server `srv` added at run time (PLAN_SRV_F_CHECK), stopped
 * (`enable health` starts it) and idle until the server leaves
 * maintenance. A server without an address and port to check gets none
 * (warning printed), as at start. Thread 0, lock held. Returns 0, or -1
 * when out of memory.
 */
int check_add(struct runtime *rt, uint32_t srv);

/* Start the checks' timers in rt->loop (after the listeners are open),
 * the first ones spread over each server's interval like HAProxy does.
 * Servers in maintenance wait until they leave it. */
void check_start_all(struct runtime *rt);

/* Stop every check, close their sockets and free what check_init_all()
 * allocated; safe after a partial init. Servers keep their last state. */
void check_free(struct runtime *rt);

/* Server `srv` enters maintenance: abort its check, stop its timer. */
void check_suspend(struct runtime *rt, uint32_t srv);

/* Server `srv` leaves maintenance: health = rise (UP, down at the first
 * failure), next check at once. */
void check_resume(struct runtime *rt, uint32_t srv);

/*
 * Parse the status line at the start of `buf` (`len` bytes, no terminator
 * needed): "HTTP/<d>.<d> <3 digits>[ <reason>]" up to CR LF or LF. Returns
 * 1 with *code and the reason (terminated, truncated to reasonlen) when
 * the line is complete and well formed, 0 when more bytes are needed, -1
 * when it is malformed.
 */
int check_http_status(const char *buf, size_t len, int *code, char *reason,
                      size_t reasonlen);

#endif /* HAPC_HEALTHCHECK_H */
