/*
 * http_retry.h: retry-on, HAProxy's layer 7 retries: a request whose
 * server failed in one of the ways the backend lists is sent again, to the
 * same server or (option redispatch) another, at most `retries` times.
 */
#ifndef HAPC_HTTP_RETRY_H
#define HAPC_HTTP_RETRY_H

#include <stdint.h>

struct stream;

/*
 * Before a request's first dispatch: when its backend retries on more
 * than connection failures and the whole request is in hand (head and
 * body within one buffer, as HAProxy requires), keep a copy of its body
 * and mark it retryable; otherwise it is not. 0, or -1 without memory
 * (then it is just not retryable).
 */
int http_retry_arm(struct stream *s);

/* The PLAN_RETRY_* bit of response status `status`, 0 when retry-on
 * cannot list it. */
uint32_t http_retry_status_bit(unsigned status);

/*
 * 1 when the request of `s` may be sent again now for failure `cause`
 * (a PLAN_RETRY_* bit): the backend lists it, the request is retryable,
 * retries are left and the client got nothing of a response yet.
 */
int http_retry_allowed(const struct stream *s, uint32_t cause);

/* Append the kept body to the server side's out_pre `out` (after the
 * head written there again): 0, or -1 when it does not fit. */
int http_retry_body_out(struct stream *s, char *out);

/* Forget the kept body (the request is over or not retryable). */
void http_retry_drop(struct stream *s);

#endif /* HAPC_HTTP_RETRY_H */
