/*
 * http_stop.h: HTTP client connections during a soft stop
 * (close-spread-time).
 *
 * Once a generation is told to close (gen_soft_close(): SIGUSR1 after its
 * grace, or a reload retiring it when it sets close-spread-time), its
 * HTTP client connections are ended the way HAProxy's soft stop ends
 * them: an idle keep-alive connection (or one still waiting for its
 * first request) is closed, a response about to go out says
 * `Connection: close` and its connection closes after it. With a window
 * (close-spread-time, else hard-stop-after), each of these happens at a
 * random moment of the window instead of all at once: an idle connection
 * is closed at a point drawn uniformly in what is left of the window, a
 * response says `close` with a chance that grows from 0 at the window's
 * start to 1 at its end. Past the window everything closes at once.
 */
#ifndef HAPC_HTTP_STOP_H
#define HAPC_HTTP_STOP_H

#include <stdint.h>

#include "stream-t.h"

/* 1 when the response about to be sent to s's client should close its
 * connection because its generation is closing (a random draw inside the
 * window, always past it); 0 otherwise. */
int http_stop_want_close(const struct stream *s);

/* s's client connection just became idle (or was idle when the closing
 * began) and its idle timer would end it in `ms` (0 = never): the delay
 * after which to close it, at most `ms`; `ms` itself when s's generation
 * is not closing. */
uint32_t http_stop_idle_ms(const struct stream *s, uint32_t ms);

#endif /* HAPC_HTTP_STOP_H */
