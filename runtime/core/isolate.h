/*
 * isolate.h: thread 0 alone, the other threads parked (HAProxy's
 * thread_isolate()).
 *
 * The stats socket reads what other threads own without their locks (the
 * list of their streams, the streams' fields) only while those threads
 * wait at a safe point: in their inbox handler, between two callbacks of
 * their loop, holding no lock. The mutex and condition that park them
 * order every write they made before with thread 0's reads.
 */
#ifndef HAPC_ISOLATE_H
#define HAPC_ISOLATE_H

#include "ops-t.h"
#include "thread-t.h"

/* Prepare (thread_init_all()) and free (thread_free_all()) what parking
 * uses. */
void isolate_init(struct ops *ops);
void isolate_free(struct ops *ops);

/*
 * Thread 0, holding no lock: ask every other running thread to park and
 * return once all of them are parked. Nothing with one thread. Every call
 * is followed by isolate_release() before the loop runs again.
 */
void isolate_begin(struct ops *ops);

/* Thread 0: let the parked threads go on; returns once all left. */
void isolate_release(struct ops *ops);

/* Thread t's inbox said THR_MSG_ISOLATE: wait until released. */
void isolate_park(struct rt_thread *t);

#endif /* HAPC_ISOLATE_H */
