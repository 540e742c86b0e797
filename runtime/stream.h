/*
 * stream.h: proxied connections.
 */
#ifndef HAPC_STREAM_H
#define HAPC_STREAM_H

#include <stdint.h>
#include <sys/socket.h>

#include "runtime-t.h"
#include "stream-t.h"

/*
 * Take an accepted client connection `fd` (non-blocking) from listener
 * `li`: pick the backend and a server, start connecting, and proxy until
 * both directions are done. Owns `fd` from now on, even on failure (the
 * client is then closed and the failure logged).
 */
void stream_accept(struct runtime *rt, uint32_t li, int fd,
                   const struct sockaddr_storage *addr, socklen_t addrlen);

/* Close every live stream without logging (shutdown). */
void stream_close_all(struct runtime *rt);

#endif /* HAPC_STREAM_H */
