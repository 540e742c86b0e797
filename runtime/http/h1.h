/*
 * h1.h: the HTTP/1.1 message parser (RFC 9110/9112, as HAProxy applies
 * them). Pure functions over bytes; types in h1-t.h.
 */
#ifndef HAPC_H1_H
#define HAPC_H1_H

#include <stddef.h>

#include "h1-t.h"

/*
 * Parse a request (is_resp 0) or response (is_resp 1) head from
 * buf[0..len). H1_MORE: not complete yet (call again with more bytes, same
 * buffer start); H1_BAD: refused (m->err, m->err_off, m->err_status);
 * H1_DONE: m filled, the head is m->head_len bytes. m->hdrs must point to
 * lim->max_hdrs entries. Empty lines before a request line are skipped as
 * RFC 9112 2.2 allows (head_len counts them).
 */
enum h1_res h1_parse_head(const char *buf, size_t len, int is_resp,
                          const struct h1_limits *lim, struct h1_msg *m);

/* Body framing of a parsed response to a request of method req_meth:
 * NONE for HEAD, 1xx, 204, 304 and 2xx to CONNECT; else CLEN, CHUNKED or
 * EOF. */
enum h1_body h1_resp_body(const struct h1_msg *resp, uint32_t req_meth);

void h1_body_init(struct h1_body_state *b, enum h1_body kind, uint64_t clen);

/*
 * Scan body bytes buf[0..len); *used = bytes that belong to this message.
 * H1_MORE: all of them did and more are needed; H1_DONE: the message ended
 * after *used bytes (what follows is the next message); H1_BAD: bad chunk
 * framing (nothing of it may be forwarded as valid), *used is the offset
 * of the offending byte and every later call answers H1_BAD again.
 */
enum h1_res h1_body_scan(struct h1_body_state *b, const char *buf, size_t len,
                         size_t *used);

/*
 * The payload of a body, for a reader that takes it piece by piece (the
 * compressor): the framing bytes at the start of buf[0..len) are passed
 * (*skip of them) and the payload bytes right after them that belong to
 * the message are shown (*avail), not taken: h1_body_eat() takes them.
 * H1_DONE: the message ended within the skipped bytes; H1_MORE: more is
 * needed after the payload shown; H1_BAD: bad chunk framing.
 */
enum h1_res h1_body_peek(struct h1_body_state *b, const char *buf,
                         size_t len, size_t *skip, size_t *avail);

/* Take n payload bytes that h1_body_peek() showed. */
void h1_body_eat(struct h1_body_state *b, size_t n);

/* Index of the first header named name (case-insensitive) at or after
 * index from, or -1. */
int h1_hdr_find(const struct h1_msg *m, const char *buf, const char *name,
                size_t namelen, int from);

/* 1 when a[0..alen) and b[0..blen) are equal ignoring ASCII case. */
int h1_name_eq(const char *a, size_t alen, const char *b, size_t blen);

/* 1 when the comma-separated list in buf[v) holds the token tok (ASCII case
 * ignored, OWS around elements ignored): "close" in a Connection value. */
int h1_list_has(const char *buf, struct h1_slice v, const char *tok,
                size_t toklen);

/* With H1_F_OBS_FOLD: turn the CR and LF bytes inside every header value of
 * m into spaces, in the caller's (writable) copy of the head, as HAProxy
 * unfolds obs-fold (RFC 9112 5.2). Offsets do not change. */
void h1_unfold(char *buf, const struct h1_msg *m);

#endif /* HAPC_H1_H */
