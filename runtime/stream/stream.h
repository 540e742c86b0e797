/*
 * stream.h: proxied connections.
 */
#ifndef HAPC_STREAM_H
#define HAPC_STREAM_H

#include <stdint.h>
#include <sys/socket.h>

#include "runtime-t.h"
#include "stream-t.h"
#include "thread-t.h"

/*
 * Take a client connection `fd` (non-blocking) that thread `thr` accepted
 * from listener `li` of generation `rt`, the listener's counters already
 * counting it (listener.c reserves before accepting): pick the backend
 * and a server, start connecting, and proxy until both directions are
 * done, on thr's loop. Owns `fd` from now on, even on failure (the client
 * is then closed and the failure logged).
 */
void stream_accept(struct rt_thread *thr, struct runtime *rt, uint32_t li,
                   int fd, const struct sockaddr_storage *addr,
                   socklen_t addrlen);

/* End every live stream of thread `thr` (termination state "K"; stop). */
void stream_close_thread(struct rt_thread *thr);

#endif /* HAPC_STREAM_H */
