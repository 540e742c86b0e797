/*
 * reload.h: plan generations, reload and soft stop (see ops-t.h).
 */
#ifndef HAPC_RELOAD_H
#define HAPC_RELOAD_H

#include "ops-t.h"
#include "plan.h"
#include "runtime-t.h"

/*
 * Build a generation around `plan` (heap-allocated, verified; owned by the
 * generation from now on, even on failure): running state, routes,
 * maxconn, pools and listeners. Listeners whose address and protocol
 * equal one of `old`'s open listeners take its socket over (old may be
 * NULL); the others are opened. Servers unchanged from `old` keep their
 * running state (server_carry_state(): its lock is taken to read it);
 * nothing of `old` changes here. Returns
 * NULL after printing why (everything opened here is closed again).
 * The listeners are not watched yet: see gen_activate().
 */
struct runtime *gen_new(struct ops *ops, struct plan *plan,
                        struct runtime *old);

/*
 * Make `gen` the generation taking connections on every thread: listeners
 * taken over from the current one are handed over without closing them,
 * the current one's other listeners are closed, and the old generation is
 * retired (freed as soon as its last stream ends). The threads must be
 * prepared (thread_init_all()). Thread 0 only.
 */
void gen_activate(struct ops *ops, struct runtime *gen);

/* Close and free a generation: its listeners, state and plan mapping. No
 * thread may watch it and none of its streams may be left. */
void gen_free(struct runtime *gen);

/*
 * SIGHUP: map the plan again (same path; through the directory kept open
 * when chrooted), verify it and activate it. A plan that cannot be read,
 * fails verification or whose listeners cannot be opened is refused with
 * a message and the current generation keeps serving. Returns 0 or -1.
 */
int reload_plan(struct ops *ops);

/* SIGUSR1: stop accepting (listeners and stats sockets closed) and stop
 * the loop once every stream of every generation has ended. With `grace`
 * the listeners stay open that long first; with `hard-stop-after` the
 * loop stops that long after the listeners closed, whatever is left. */
void reload_soft_stop(struct ops *ops);

/* A plan_open() detail without the leading "PATH: " (not said twice). */
const char *reload_detail(const char *path, const char *detail);

/* 1 when two plan addresses name the same socket (family, protocol,
 * address bytes; the descriptor number for fd@N). */
int reload_same_addr(const struct plan_addr *a, const struct plan_addr *b);

/* Streams alive in every generation. */
uint32_t reload_actconn(const struct ops *ops);

/* Connections accepted since start, over every generation. */
uint64_t reload_cum_conn(const struct ops *ops);

#endif /* HAPC_RELOAD_H */
