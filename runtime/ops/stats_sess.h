/*
 * stats_sess.h: the stats socket's stream commands, `show sess [<id>|all]`
 * and `shutdown session <id>`, kept apart from stats.c.
 *
 * Streams belong to the threads that run them; these commands read them
 * (and mark one to end) with the other threads parked (isolate.h), one
 * bounded piece of the answer at a time.
 */
#ifndef HAPC_STATS_SESS_H
#define HAPC_STATS_SESS_H

#include <stddef.h>
#include <stdint.h>

#include "ops-t.h"
#include "stats_row.h"

/* Where a `show sess` dump is: streams of thread `thr` with a uniq below
 * `below` are still to list (each thread's list runs newest first). */
struct stats_sess_cursor {
	int detail;                 /* 1: the long layout (`all`, or one) */
	uintptr_t one;              /* the stream asked for, 0 = every one */
	uint32_t thr;               /* thread whose list is being read */
	uint64_t below;             /* next stream: uniq below this */
	uint32_t found;             /* streams listed so far */
};

/*
 * show sess [<id>|all]: words w[0..n). 1 when the answer is to be
 * produced by stats_sess_step() from `cur` (set up here); 0 when it was
 * given whole in out (a usage message).
 */
int stats_sess_start(struct stats_buf *out, char **w, int n,
                     struct stats_sess_cursor *cur);

/*
 * Append the next streams of the dump at `cur` to out, until out holds
 * `low` bytes or more; 1 once the dump is complete (its closing empty
 * line written). Thread 0, no lock held.
 */
int stats_sess_step(struct ops *ops, struct stats_buf *out,
                    struct stats_sess_cursor *cur, size_t low);

/* shutdown session <id>: the stream whose address `show sess` gave ends
 * (termination state K), wherever it runs. Thread 0, no lock held. */
void stats_sess_shutdown(struct ops *ops, struct stats_buf *out, char **w,
                         int n);

#endif /* HAPC_STATS_SESS_H */
