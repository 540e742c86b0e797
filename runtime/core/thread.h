/*
 * thread.h: cfgrun's threads and the lock of a generation (thread-t.h).
 */
#ifndef HAPC_THREAD_H
#define HAPC_THREAD_H

#include <pthread.h>
#include <stdint.h>

#include "ops-t.h"
#include "runtime-t.h"
#include "thread-t.h"

/* Take and release generation `rt`'s lock (nothing with one thread). Never
 * held across a blocking call; never two generations' locks at once. */
static inline void gen_lock(struct runtime *rt)
{
	if (rt->mt)
		pthread_mutex_lock(&rt->lock);
}

static inline void gen_unlock(struct runtime *rt)
{
	if (rt->mt)
		pthread_mutex_unlock(&rt->lock);
}

/* Add `d` to a counter of the calling thread that thread 0 reads (show
 * activity): only its thread writes it. */
static inline void thread_count_add(uint64_t *counter, int64_t d)
{
	__atomic_store_n(counter, *counter + (uint64_t)d, __ATOMIC_RELAXED);
}

/*
 * The number of threads to run for a plan's `nbthread` (0: unset): the
 * value itself, or when unset the CPUs this process may run on, at most
 * THR_MAX.
 */
uint32_t thread_count(uint32_t nbthread);

/*
 * Prepare ops->nthreads threads (ops->loop is thread 0's loop; the others
 * get a loop each), their pools and inboxes. Nothing runs yet. Returns 0,
 * or -1 after printing why.
 */
int thread_init_all(struct ops *ops);

/* Start threads 1..n-1, every signal blocked in them (thread 0 takes
 * the signals). Returns 0, or -1 after printing why (those started are
 * stopped again). */
int thread_start_all(struct ops *ops);

/*
 * Make every thread watch the listeners of generation `gen` (NULL: none)
 * instead of what it watched; returns once every thread did, so that the
 * caller may then close or hand over the old listeners. Thread 0 only.
 */
void thread_switch_all(struct ops *ops, struct runtime *gen);

/* Stop accepting on every thread, close every stream (not logged as
 * normal ends), stop and join threads 1..n-1. Thread 0 only. */
void thread_stop_all(struct ops *ops);

/* Free the threads' loops (not thread 0's), pools and inboxes. */
void thread_free_all(struct ops *ops);

/* The thread that should run a connection thread `self` just accepted:
 * the one running the fewest streams (connections handed over but not
 * started yet included), unless `self` runs at most an eighth more (a
 * hand-over costs the other thread a wake-up). */
struct rt_thread *thread_target(struct rt_thread *self);

/* A stream of generation `rt` ended on the calling thread and it was the
 * last one of a draining generation: let thread 0 free it or stop. */
void thread_note_drained(struct ops *ops);

#endif /* HAPC_THREAD_H */
