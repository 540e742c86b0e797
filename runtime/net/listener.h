/*
 * listener.h: opening the plan's listeners and accepting on them.
 */
#ifndef HAPC_LISTENER_H
#define HAPC_LISTENER_H

#include <stdint.h>

#include "runtime-t.h"
#include "thread-t.h"

/*
 * Open every listener of the plan (rt->listeners must be allocated with
 * fd = -1; a listener already holding a socket, taken over from an older
 * plan generation, is left as it is), inherited descriptors (fd@N) first. Call it before creating
 * any other descriptor (event loop included), so that fd@N can only be
 * what the parent passed. On the first failure prints a message naming the
 * address and the reason and returns -1; the caller then closes whatever
 * was opened with listener_close_all().
 */
int listener_open_all(struct runtime *rt);

/*
 * Take inherited descriptor `fd` (fd@N, named `name` in messages) as a
 * listening socket: it must be an open stream socket; it is made to
 * listen with `backlog` unless it already does, non-blocking and
 * close-on-exec. Returns 0, or -1 with the reason in `err`.
 */
int listener_adopt(int fd, const char *name, int backlog, char *err,
                   size_t errlen);

/* Prepare thread t's accept set and accept pause timer (t->loop set,
 * before watching anything). Returns 0, or -1 after printing why. */
int listener_thread_init(struct rt_thread *t);

/* Stop watching and close thread t's accept set (t not running, or t). */
void listener_thread_free(struct rt_thread *t);

/*
 * Make thread `t` (the caller, or a thread not started) watch the open
 * listeners of generation `gen` (NULL: none) instead of what it watched,
 * within the limits. Accepted connections become streams of `t`. When it
 * returns, nothing in t uses the descriptors it watched before (they may
 * be closed by another thread).
 */
void listener_watch_gen(struct rt_thread *t, struct runtime *gen);

/* Arm or disarm thread t's listeners to match its generation's limits
 * now (takes the generation's lock). */
void listener_watch_update(struct rt_thread *t);

/* Close every open listener; unix paths we created are removed. No
 * thread may watch them any more (thread_switch_all() returned). */
void listener_close_all(struct runtime *rt);

/*
 * Re-evaluate the connection limits after a stream of frontend `fe`
 * started or ended (counters already updated; rt's lock held): listeners
 * stop accepting on every thread when the global or the frontend maxconn
 * is reached and resume below it.
 */
void listener_limits(struct runtime *rt, uint32_t fe);

/*
 * Give back the slot a connection of listener `l` (frontend `fe`) took
 * at accept when it gets no stream (the accept failed, a tcp-request
 * connection rule rejected it: `denied` = 1 counts that, or no memory).
 * Another thread may have seen the reservation and stopped accepting at
 * the limit: the limits are evaluated again. Takes rt's lock.
 */
void listener_unreserve(struct runtime *rt, struct rt_listener *l,
                        uint32_t fe, int denied);

#endif /* HAPC_LISTENER_H */
