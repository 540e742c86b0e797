/*
 * http_cookie.h: cookie-based server persistence (`cookie NAME ...` in a
 * backend, `server ... cookie VALUE`), as HAProxy does it (http_cookie.c).
 */
#ifndef HAPC_HTTP_COOKIE_H
#define HAPC_HTTP_COOKIE_H

#include "h1-t.h"
#include "http_rules-t.h"
#include "stream-t.h"

/*
 * The request of stream s (head buf/m, edits e; backend chosen): find
 * the backend's persistence cookie in its Cookie lines; when it names a
 * server that is UP and not in maintenance, set s->want_srv for the
 * dispatcher. Edits the request sent on: the cookie removed (insert +
 * indirect), or its "VALUE~" prefix removed (prefix). Records the
 * request's cookie state for the log. Takes the generation lock.
 */
void http_cookie_req(struct stream *s, const char *buf,
                     const struct h1_msg *m, struct http_edits *e);

/*
 * The response head (buf/m, edits e) from s->server: the server's own
 * Set-Cookie of that name removed, rewritten or prefixed, a Set-Cookie
 * inserted (and Cache-control: private with nocache) as the mode says;
 * records the response's cookie state for the log.
 */
void http_cookie_rsp(struct stream *s, const char *buf,
                     const struct h1_msg *m, struct http_edits *e);

/* The last two characters of %tsc for the request of s, into out[0..2). */
void http_cookie_log(const struct stream *s, char out[2]);

#endif /* HAPC_HTTP_COOKIE_H */
