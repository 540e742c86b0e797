/*
 * http_balance.h: the balancing key of an HTTP request (balance uri,
 * url_param, hdr), derived as HAProxy derives it and hashed with the
 * backend's hash-type function.
 */
#ifndef HAPC_HTTP_BALANCE_H
#define HAPC_HTTP_BALANCE_H

#include <stddef.h>
#include <stdint.h>

#include "h1-t.h"
#include "http_rules-t.h"
#include "runtime-t.h"

struct plan_sample;

/* What the key is taken from: the request head as received, its target
 * as the request rules left it and, for url_param check_post, the body
 * bytes already buffered. */
struct http_lb_req {
	const char *head;           /* the head's bytes */
	const struct h1_msg *req;   /* its parse */
	const char *uri;            /* the target (set-uri, set-path... applied) */
	size_t uri_len;             /* its bytes */
	const struct http_edits *edits; /* the request rules' header edits,
	                               NULL = none */
	const char *body;           /* body bytes in hand, or NULL */
	size_t body_len;            /* their count */
};

/*
 * The hash of request `r`'s balancing key for backend `be`, into *hash:
 * 1; or 0 when the backend does not balance on the request or the key is
 * absent (no such parameter or header, an empty header), so that the
 * balancer takes turns instead, as HAProxy does. Pure: reads only the
 * plan and r.
 */
int http_lb_key(const struct runtime *rt, uint32_t be,
                const struct http_lb_req *r, uint32_t *hash);

/*
 * balance hash: the hash of the sample its expression gave (`smp`), as
 * HAProxy takes it in binary form (text and bytes as they are, an integer
 * or boolean as 8 bytes big-endian, an address as its 4 or 16 bytes),
 * into *hash: 1; 0 without a sample (round robin then).
 */
int http_lb_sample_key(const struct runtime *rt, uint32_t be,
                       const struct plan_sample *smp, uint32_t *hash);

#endif /* HAPC_HTTP_BALANCE_H */
