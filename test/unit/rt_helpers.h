/*
 * rt_helpers.h: a real plan generation for the runtime's unit tests and
 * test programs, built by the code cfgrun runs (gen_new(): server states,
 * balancing, health checks prepared, listeners opened) around a verified
 * plan, with a process (`struct ops`) of one thread whose loop never runs.
 * The tests link every cfgrun object but main() (runtime/Makemodule.am,
 * CFGRUN_OBJS).
 */
#ifndef HAPC_TEST_RT_HELPERS_H
#define HAPC_TEST_RT_HELPERS_H

#include <ev.h>
#include <string.h>

#include "ops-t.h"
#include "plan.h"
#include "reload.h"
#include "runtime-t.h"

struct rtfx {
	struct ops ops;             /* one thread, default loop, not running */
	struct runtime *rt;         /* the generation, ops.cur */
};

/* Build the generation of `plan` (heap-allocated, verified; owned by the
 * generation from now on, even on failure; an unmapped plan's bytes stay
 * the caller's and must outlive rtfx_stop()). Returns 0, or -1 after
 * gen_new() printed why. */
static inline int rtfx_start(struct rtfx *fx, struct plan *plan)
{
	memset(fx, 0, sizeof(*fx));
	fx->ops.nthreads = 1;
	fx->ops.quiet = 1;
	fx->ops.plan_dirfd = -1;
	fx->ops.loop = ev_default_loop(0);
	fx->ops.start_time = ev_time();
	fx->rt = gen_new(&fx->ops, plan, NULL);
	if (!fx->rt)
		return -1;
	fx->ops.cur = fx->rt;
	fx->ops.generation = fx->rt->generation;
	return 0;
}

/* Close the generation's listeners and free it (and its plan). */
static inline void rtfx_stop(struct rtfx *fx)
{
	if (fx->rt)
		gen_free(fx->rt);
	fx->rt = fx->ops.cur = NULL;
}

#endif /* HAPC_TEST_RT_HELPERS_H */
