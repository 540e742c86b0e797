/*
 * splice.h: pooled pipes and splice(2) moves (see splice-t.h).
 */
#ifndef HAPC_SPLICE_H
#define HAPC_SPLICE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "splice-t.h"

/* The mode chosen by CFGRUN_SPLICE ("off", "auto", "always"; read once). */
enum splice_mode splice_mode(void);

/*
 * An empty pipe, from the pool or new, or NULL when `maxconn` streams'
 * share of pipes is in use (a quarter of maxconn, as HAProxy's maxpipes,
 * and never beyond what RLIMIT_NOFILE leaves) or pipe2() fails: the caller
 * then stays buffered.
 */
struct splice_pipe *splice_pipe_get(uint32_t maxconn);

/* Give a pipe back: kept when `empty` and the pool has room, else closed. */
void splice_pipe_put(struct splice_pipe *p, int empty);

/* Close every pooled pipe (exit). */
void splice_drain(void);

/*
 * Move up to `max` bytes from socket `fd` into pipe `p` (non-blocking).
 * Returns bytes moved, 0 at end of stream, -1 with errno (EAGAIN: nothing
 * to read, or the pipe is full; EINVAL: this socket cannot splice).
 */
ssize_t splice_in(int fd, struct splice_pipe *p, size_t max);

/* Move up to `max` bytes from pipe `p` to socket `fd`; as splice_in(). */
ssize_t splice_out(struct splice_pipe *p, int fd, size_t max);

#endif /* HAPC_SPLICE_H */
