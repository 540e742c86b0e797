/*
 * http_comp.h: HTTP response compression (http_comp.c), as HAProxy's
 * compression filter does it: the algorithm is chosen on the request,
 * the response is judged on its head, and its payload goes through a
 * zlib stream of its own, out as chunks, piece by piece.
 */
#ifndef HAPC_HTTP_COMP_H
#define HAPC_HTTP_COMP_H

#include <stddef.h>
#include <stdint.h>

#include "h1-t.h"
#include "http_rules-t.h"
#include "stream-t.h"

struct runtime;
struct http_comp;

/*
 * The algorithm (enum plan_comp_algo) a request of frontend fe routed
 * to backend be will have its response compressed with, from its head
 * (buf, m) as edits e leave it: the backend's algorithms if it has any,
 * else the frontend's; the one the client accepts with the highest q
 * (the first in its list at equal q; "*" takes the first algorithm;
 * identity needs no header); PLAN_COMP_NONE for none. With compression
 * offload (either proxy), the Accept-Encoding lines are removed from e
 * when an algorithm was chosen.
 */
unsigned http_comp_req(const struct runtime *rt, uint32_t fe, uint32_t be,
                       const char *buf, const struct h1_msg *m,
                       struct http_edits *e);

/*
 * Whether the response (buf, m, as received: HAProxy judges it before
 * the http-response rules) to a request chosen for `algo` is
 * compressed: HTTP/1.1 both ways, not HEAD, status 200..203, a chunked
 * body or a non-zero Content-Length (HAProxy calls a body of length 0
 * none) not below minsize-res (backend's if set, else frontend's), no
 * Content-Encoding, no Cache-Control no-transform, a valid single ETag
 * or none, a Content-Type that is not multipart and matches the types
 * (backend's, else frontend's) when there are some. If so, a zlib
 * stream with the global tune.comp/tune.zlib settings is returned (the
 * caller frees it); NULL
 * otherwise (or without memory, then the response goes unchanged).
 */
struct http_comp *http_comp_rsp(const struct runtime *rt, uint32_t fe,
                                uint32_t be, unsigned algo,
                                uint32_t req_meth, unsigned req_version,
                                const char *buf, const struct h1_msg *m);

/* The head changes of a compressed response, made after the
 * http-response rules as HAProxy makes them (the rules do not see them):
 * Content-Length out, Transfer-Encoding: chunked unless there is one,
 * the ETag as the rules left it made weak, Vary: Accept-Encoding, and
 * Content-Encoding but for identity. */
void http_comp_head(const struct http_comp *c, const char *buf,
                    const struct h1_msg *m, struct http_edits *e);

/*
 * One round: payload of the body framed as b taken from ring `in` (its
 * framing passed over) and compressed into out[*out_len..cap) as long as
 * there is room for a chunk; *out_len grows by what was written. 1 when
 * the message ended (its last chunk is in out), 0 when more input or
 * room is needed, -1 with *why set (bad framing, zlib error).
 */
int http_comp_fill(struct http_comp *c, struct h1_body_state *b,
                   struct stream_buf *in, char *out, uint32_t *out_len,
                   uint32_t cap, const char **why);

/* 1 once the last chunk ("0\r\n\r\n") was written. */
int http_comp_done(const struct http_comp *c);

/* Payload bytes taken so far, and bytes made (chunk framing excluded):
 * the stats' comp_in and comp_out. */
uint64_t http_comp_in(const struct http_comp *c);
uint64_t http_comp_out(const struct http_comp *c);

/* Give the zlib stream back (NULL is fine). */
void http_comp_free(struct http_comp *c);

#endif /* HAPC_HTTP_COMP_H */
