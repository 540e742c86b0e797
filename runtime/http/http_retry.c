/*
 * http_retry.c: what retry-on needs to send a request again (see
 * http_retry.h): the decision and the copy of the body. HAProxy keeps
 * the request in a second buffer when it first sends it and refuses to
 * retry one that did not fit; cfgrun copies the body when it dispatches
 * a request that is already whole, and rebuilds the head from the kept
 * parse (http_req_head_again()).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "http_conf.h"
#include "http_retry.h"
#include "http_txn-t.h"
#include "plan.h"
#include "stream.h"

int http_retry_arm(struct stream *s)
{
	struct http_txn *t = s->txn;
	struct http_work *w = t->w;
	const struct stream_side *cli = &s->side[STREAM_CLI];
	uint32_t n;

	http_retry_drop(s);
	t->l7_retry = 0;
	if (!(http_conf(s->rt, s->backend)->retry_on & ~PLAN_RETRY_CONN_FAILURE) ||
	    t->req_st != HTTP_REQ_DONE)
		return 0;
	n = w->req.body == H1_BODY_NONE ? 0 :
	    cli->fwd < cli->in.len ? (uint32_t)cli->fwd : cli->in.len;
	if ((uint64_t)w->req.head_len + n > STREAM_BUFSZ)
		return 0;
	if (n) {
		uint32_t first = STREAM_BUFSZ - cli->in.head;

		if (!(w->retry_body = malloc(n)))
			return -1;
		if (first > n)
			first = n;
		memcpy(w->retry_body, cli->in.data + cli->in.head, first);
		memcpy(w->retry_body + first, cli->in.data, n - first);
		w->retry_body_len = n;
	}
	t->l7_retry = 1;
	return 0;
}

uint32_t http_retry_status_bit(unsigned status)
{
	static const unsigned codes[PLAN_RETRY_NCODES] = PLAN_RETRY_CODES;

	for (unsigned k = 0; k < PLAN_RETRY_NCODES; k++)
		if (codes[k] == status)
			return 1u << (PLAN_RETRY_STATUS_SHIFT + k);
	return 0;
}

int http_retry_allowed(const struct stream *s, uint32_t cause)
{
	const struct http_txn *t = s->txn;
	const struct stream_side *cli = &s->side[STREAM_CLI];

	return cause && t->l7_retry && s->backend != PLAN_NONE &&
	       (http_conf(s->rt, s->backend)->retry_on & cause) &&
	       s->retries < s->rt->plan->proxies[s->backend].retries &&
	       cli->bytes_out == 0 && cli->out_pre_off >= cli->out_pre_len;
}

int http_retry_body_out(struct stream *s, char *out)
{
	struct http_work *w = s->txn->w;
	struct stream_side *srv = &s->side[STREAM_SRV];

	if (!w->retry_body_len)
		return 0;
	if (w->retry_body_len > STREAM_BUFSZ - srv->out_pre_len)
		return -1;
	memcpy(out + srv->out_pre_len, w->retry_body, w->retry_body_len);
	srv->out_pre_len += w->retry_body_len;
	return 0;
}

void http_retry_drop(struct stream *s)
{
	struct http_work *w = s->txn ? s->txn->w : NULL;

	if (!w)
		return;
	free(w->retry_body);
	w->retry_body = NULL;
	w->retry_body_len = 0;
}
