/*
 * server.h: a running server's state, for checks and the stats socket.
 *
 * Every change of a server's state goes through here: the balancer's pool
 * is rebuilt and the change is logged the way HAProxy logs it.
 */
#ifndef HAPC_SERVER_H
#define HAPC_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"
#include "plan.h"
#include "runtime-t.h"

struct check;

/* Fill every server's running state from the plan: configured weight,
 * UP, READY (MAINT for `disabled`); start the UP/DOWN clocks of show stat.
 * Call before balance_init(). */
void server_init_all(struct runtime *rt);

/*
 * Reload: each server of `gen` that is unchanged from one of generation
 * `old` (same backend and server names, address, configured weight,
 * flags, rise and fall) takes over its running state: administrative
 * state and weight set through the stats socket, UP/DOWN, check health
 * and last result, counters. Changed and new servers keep the plan's
 * state. Call after server_init_all() and check_init_all(), before
 * balance_init(); takes `old`'s lock while reading it.
 */
void server_carry_state(struct runtime *gen, struct runtime *old);

/* What server_carry_state() carries from old server `o` to new `n`:
 * weight, UP/DOWN, administrative state, counters, the address `set
 * server addr` gave (a copy: each generation frees its own), and between
 * two checks their health, last result and `disable health`. */
void server_copy_state(struct rt_server *n, const struct rt_server *o);

/*
 * First start: the backends marked `load-server-state-from-file global`
 * take their servers' state from the plan's server-state-file (the
 * layout of `show servers state`, version 1). A line naming one of their
 * servers (backend and server names) gives its maintenance or drain
 * state, its weight, and for a checked server DOWN with its health. A
 * file that is missing or not a regular file is reported and ignored, as
 * HAProxy does; malformed lines are skipped. Call where
 * server_carry_state() is called, before balance_init().
 */
void server_load_state_file(struct runtime *rt);

/* The plan index of server `srv` of backend `be` (names), or PLAN_NONE. */
uint32_t server_find(const struct runtime *rt, const char *be,
                     const char *srv);

/*
 * Set the administrative state of server `srv` (stats socket: `disable
 * server`, `enable server`, `set server ... state`): MAINT stops its
 * traffic and its checks, DRAIN stops new connections from the balancer,
 * READY restores it (a checked server leaving MAINT is UP until its next
 * check says otherwise). Logs the change; no-op when unchanged. Returns 0,
 * or -1 for an unknown state.
 */
int server_set_admin_state(struct runtime *rt, uint32_t srv,
                           enum rt_srv_admin st);

/* 1 when server `srv` has an address: the plan's, or one `set server
 * addr` or a resolver gave it (any thread). */
static inline int server_has_addr(const struct runtime *rt, uint32_t srv)
{
	return rt->plan->servers[srv].addr.family != PLAN_FAM_NONE ||
	       __atomic_load_n(&rt->servers[srv].addr, __ATOMIC_ACQUIRE) != NULL;
}

/* The address server `srv` is reached at now: what `set server addr`
 * said last, else the plan's (any thread). */
void server_addr(const struct runtime *rt, uint32_t srv, struct plan_addr *out);
/* Where its checks connect: the plan's check address (`addr`), else
 * server_addr() with the check port when one is set. */
void server_check_target(const struct runtime *rt, uint32_t srv,
                         struct plan_addr *out);
/*
 * Stats socket `set server B/S addr IP [port P]`: the server's address
 * from now on (new connections and checks; a server without port or with
 * a port offset keeps taking the port from the client unless P is
 * given). HAProxy's answer into msg. Thread 0, lock held. 0, or -1 when
 * nothing changed (an error or the same address: msg says which).
 */
int server_set_addr(struct runtime *rt, uint32_t srv, const char *ip,
                    const char *port, char *msg, size_t msglen);
/* The same for another updater: `updater` ends HAProxy's log line
 * ("... changed its IP from A to B by <updater>"), e.g. "DNS cache". */
int server_set_addr_by(struct runtime *rt, uint32_t srv, const char *ip,
                       const char *port, const char *updater, char *msg,
                       size_t msglen);
/* Print a state line on stderr and send it to the log targets of
 * backend `be` (the global ones with `log global`) at `level`. */
void server_say(const struct runtime *rt, uint32_t be, enum log_level level,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Free what set_addr made (generation end). */
void server_addr_free(struct runtime *rt);

/* Stats socket `shutdown sessions server`: every stream connected to
 * server `srv` ends, logged with termination state K. Thread 0. */
void server_shutdown_sessions(struct runtime *rt, uint32_t srv);

/* Health checks moved server `srv` UP or DOWN with result `c` (NULL: the
 * stats socket did, "changed from CLI"): rebuild
 * the pool, log the HAProxy line (and "backend X has no server available!"
 * when the last one went). */
void server_set_up(struct runtime *rt, uint32_t srv, const struct check *c);
void server_set_down(struct runtime *rt, uint32_t srv, const struct check *c);

/* Server `srv` goes to the stopping (NOLB) state, from the stats socket:
 * out of the balancing pool, still serving persistent streams and its
 * queue; the pool rebuilt and the change logged as HAProxy logs it. */
void server_set_stopping(struct runtime *rt, uint32_t srv);

/* With `option log-health-checks` on its backend, log the result `c` of a
 * health check of server `srv` whose health or status changed, as
 * HAProxy does ("Health check for server be/s1 failed, reason: ...,
 * status: 0/2 DOWN."): on stderr and to the backend's log targets. Call
 * with c->health already moved, before the server's state changes. */
void server_log_check(const struct runtime *rt, uint32_t srv,
                      const struct check *c, int passed);

/* A stream failed to connect to server `srv` (show stat: econ and
 * connect of the server and its backend). */
void server_note_connect_error(struct runtime *rt, uint32_t srv);

/*
 * The `status` column of show stat for server `srv` into buf: "MAINT",
 * "DRAIN", "no check" (UP without checks), "UP", "DOWN", or while a check
 * is moving it "UP 1/3" (going down) / "DOWN 1/2" (going up), as HAProxy.
 * Returns buf.
 */
const char *server_status(const struct runtime *rt, uint32_t srv, char *buf,
                          size_t len);

/* The last check result of `srv` as HAProxy's check_status ("L4OK",
 * "L7STS", ...; "" when not checked), its HTTP code (0 = none), its
 * duration in ms and detail via the pointers when not NULL. */
const char *server_check_status(const struct runtime *rt, uint32_t srv,
                                int *code, uint32_t *duration,
                                const char **info);

/* HAProxy's words for a check status ("Layer4 connection problem"). */
const char *server_check_reason(enum rt_chk_status st);

#endif /* HAPC_SERVER_H */
