/*
 * listener.h: opening the plan's listeners and accepting on them.
 */
#ifndef HAPC_LISTENER_H
#define HAPC_LISTENER_H

#include <stdint.h>

#include "runtime-t.h"

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

/* Watch every opened listener in rt->loop and start accepting. */
void listener_start_all(struct runtime *rt);

/* Stop and close every open listener; unix paths we created are removed. */
void listener_close_all(struct runtime *rt);

/*
 * Re-evaluate the connection limits after a stream of frontend `fe`
 * started or ended (counters already updated): listeners stop accepting
 * when the global or the frontend maxconn is reached and resume below it.
 */
void listener_limits(struct runtime *rt, uint32_t fe);

#endif /* HAPC_LISTENER_H */
