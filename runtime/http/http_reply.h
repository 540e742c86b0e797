/*
 * http_reply.h: answers cfgrun makes itself (error pages).
 */
#ifndef HAPC_HTTP_REPLY_H
#define HAPC_HTTP_REPLY_H

#include <stddef.h>
#include <stdio.h>

/*
 * HAProxy's default error page for `status` (an unknown one: 400 or 500)
 * as a whole HTTP/1.1 response, into out[size], byte for byte as HAProxy
 * sends it: `raw` for the answers its HTTP/1 layer makes to a request it
 * could not parse or that came too slowly (400, 408...: capitalised
 * header names and "Connection: close"), else the form its streams send
 * (502, 503, 504...: lower-case names). Either way cfgrun closes the
 * connection after it. Returns its length, 0 when it does not fit.
 */
size_t http_err_default(unsigned status, int raw, char *out, size_t size);

#endif /* HAPC_HTTP_REPLY_H */
