/*
 * http_local.c: answers cfgrun makes itself in HTTP mode. Each one is
 * written whole into the client side's out_pre (a pool buffer, or a
 * malloc'd one for a large stats page) and the request is then done
 * (rsp_st LOCAL).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h1.h"
#include "http_conf.h"
#include "http_local.h"
#include "http_reply.h"
#include "http_rules.h"
#include "http_stop.h"
#include "http_txn-t.h"
#include "plan.h"
#include "pool.h"
#include "promex.h"
#include "stats_page.h"
#include "stream.h"
#include "thread-t.h"

int http_local_send(struct stream *s, unsigned status, const char *hdrs,
                    size_t hlen, const char *ctype, const char *body,
                    size_t blen, int close)
{
	struct http_txn *t = s->txn;
	struct stream_side *cli = &s->side[STREAM_CLI];
	char head[512];
	size_t cap;
	char *o;
	int n;

	/* A soft stop closing the connection: said in this answer. */
	if (!close && !t->cli_close && http_stop_want_close(s))
		close = 1;
	n = snprintf(head, sizeof(head), "HTTP/1.1 %03u %s\r\n", status,
	             http_reason(status));
	if (ctype)
		n += snprintf(head + n, sizeof(head) - (size_t)n,
		              "content-type: %s\r\n", ctype);
	n += snprintf(head + n, sizeof(head) - (size_t)n,
	              "content-length: %zu\r\n%s", blen,
	              close ? "connection: close\r\n" : "");
	if (n <= 0 || (size_t)n >= sizeof(head))
		return -1;
	cap = (size_t)n + hlen + 2 + blen;
	stream_out_pre_free(s, STREAM_CLI);
	if (cap <= STREAM_BUFSZ) {
		o = pool_get(&s->thr->buf_pool);
	} else {
		o = malloc(cap);
		cli->out_pre_heap = 1;
	}
	if (!o)
		return -1;
	memcpy(o, head, (size_t)n);
	if (hlen)
		memcpy(o + n, hdrs, hlen);
	memcpy(o + n + hlen, "\r\n", 2);
	/* HEAD: the same head, no body. */
	if (t->req_meth == H1_M_HEAD)
		blen = 0;
	if (blen)
		memcpy(o + n + hlen + 2, body, blen);
	cli->out_pre = o;
	cli->out_pre_len = (uint32_t)((size_t)n + hlen + 2 + blen);
	/* Answered here, not by a server (HAProxy's "L" of redirects,
	 * returns and the stats page). */
	if (s->term[0] == '\0') {
		s->term[0] = 'L';
		s->term[1] = 'R';
	}
	cli->out_pre_off = 0;
	t->status = (uint16_t)status;
	t->rsp_st = HTTP_RSP_LOCAL;
	if (close)
		t->cli_close = 1;
	return 0;
}

/* The page of proxy px for status st (errorfile), or NULL. */
static const struct plan_str *http_err_own(const struct stream *s, uint32_t px,
                                           unsigned st)
{
	const struct plan_http *h;
	int i = plan_http_err_index(st);

	if (px == PLAN_NONE || i < 0)
		return NULL;
	h = http_conf(s->rt, px);
	if (!(h->errorfile_mask & (1u << i)))
		return NULL;
	return &h->errorfile[i];
}

size_t http_err_page(const struct stream *s, unsigned status, int raw,
                     char *out, size_t cap, const char **page)
{
	const struct plan_str *own = http_err_own(s, s->backend, status);

	if (!own)
		own = http_err_own(s, s->frontend, status);
	if (own) {
		*page = plan_str_get(s->rt->plan, *own);
		return own->len;
	}
	*page = out;
	return http_err_default(status, raw, out, cap);
}

int http_local_error(struct stream *s, unsigned status, int raw)
{
	struct stream_side *cli = &s->side[STREAM_CLI];
	char page[512];
	const char *p;
	size_t n = http_err_page(s, status, raw, page, sizeof(page), &p);
	char *o;

	stream_out_pre_free(s, STREAM_CLI);
	if (n <= STREAM_BUFSZ) {
		o = pool_get(&s->thr->buf_pool);
	} else {
		o = malloc(n);
		cli->out_pre_heap = 1;
	}
	if (!o)
		return -1;
	memcpy(o, p, n);
	cli->out_pre = o;
	cli->out_pre_len = (uint32_t)n;
	cli->out_pre_off = 0;
	s->txn->status = (uint16_t)status;
	s->txn->rsp_st = HTTP_RSP_LOCAL;
	return 0;
}

/* use-service prometheus-exporter: the metrics for the request kept in
 * the transaction, its query string choosing the scopes. */
static int http_local_promex(struct stream *s)
{
	const struct http_work *w = s->txn->w;
	const char *uri = w->req_head + w->req.uri.off;
	const char *q = memchr(uri, '?', w->req.uri.len);
	struct stats_page_req rq;
	struct stats_page_out out;
	int r;

	memset(&rq, 0, sizeof(rq));
	rq.is_head = s->txn->req_meth == H1_M_HEAD;
	if (q) {
		rq.query = q;
		rq.query_len = w->req.uri.len - (size_t)(q - uri);
	}
	if (promex_serve(s->thr->ops, s->rt, &rq, &out) < 0) {
		stats_page_out_free(&out);
		return -1;
	}
	r = http_local_send(s, (unsigned)out.status, out.extra_hdrs,
	                    strlen(out.extra_hdrs), out.content_type,
	                    out.body ? out.body : "", out.len, s->txn->cli_close);
	stats_page_out_free(&out);
	return r;
}

/* The answer of a return, or of a deny with a payload: status,
 * content-type, body and the rule's own header lines (the edits' added
 * ones). */
static int http_local_payload(struct stream *s, const struct http_verdict *v)
{
	const struct http_edits *e = &s->txn->w->edits;
	char hdrs[2048], ct[256];
	size_t hl = 0;
	int n;

	for (uint32_t i = 0; i < e->nadd; i++) {
		const struct http_added *a = &e->add[i];

		if (a->dead)
			continue;
		n = snprintf(hdrs + hl, sizeof(hdrs) - hl, "%.*s: %.*s\r\n",
		             (int)a->name_len, e->arena + a->name_off,
		             (int)a->val_len, e->arena + a->val_off);
		if (n < 0 || (size_t)n >= sizeof(hdrs) - hl)
			return -1;
		hl += (size_t)n;
	}
	n = snprintf(ct, sizeof(ct), "%.*s", (int)v->content_type.len,
	             v->content_type.ptr ? v->content_type.ptr : "");
	return http_local_send(s, v->status, hdrs, hl,
	                       v->content_type.len ? ct : NULL,
	                       v->body.ptr ? v->body.ptr : "", v->body.len,
	                       s->txn->cli_close);
}

int http_local_verdict(struct stream *s, const struct http_verdict *v)
{
	char hdrs[2048];
	size_t hl = 0;
	int n;

	switch (v->kind) {
	case HTTP_VERDICT_DENY:
	case HTTP_VERDICT_ERROR: {
		unsigned st = v->kind == HTTP_VERDICT_ERROR ? 500 : v->status;

		s->txn->cli_close = 1;
		/* a deny with its own payload answers it, else HAProxy's
		 * error page for the status */
		if (v->kind == HTTP_VERDICT_DENY && v->content_type.len ?
		    http_local_payload(s, v) < 0 : http_local_error(s, st, 0) < 0)
			return -1;
		if (s->term[0] == '\0') {
			/* Refused by a rule (PR), or a rewrite failed (PR too). */
			s->term[0] = 'P';
			s->term[1] = 'R';
		}
		return 0;
	}
	case HTTP_VERDICT_AUTH: {
		static const char page[] =
			"<html><body><h1>401 Unauthorized</h1>\n"
			"You need a valid user and password to access this "
			"content.\n</body></html>\n";

		/* as HAProxy: no-cache, the realm as written (line ends
		 * dropped), the connection kept */
		hl = (size_t)snprintf(hdrs, sizeof(hdrs), "cache-control: no-cache"
		                      "\r\nwww-authenticate: Basic realm=\"");
		for (uint32_t i = 0; i < v->body.len && hl < sizeof(hdrs) - 4; i++)
			if (v->body.ptr[i] != '\r' && v->body.ptr[i] != '\n')
				hdrs[hl++] = v->body.ptr[i];
		memcpy(hdrs + hl, "\"\r\n", 3);
		hl += 3;
		return http_local_send(s, 401, hdrs, hl, "text/html", page,
		                       sizeof(page) - 1, s->txn->cli_close);
	}
	case HTTP_VERDICT_REDIRECT:
		n = snprintf(hdrs, sizeof(hdrs), "location: %.*s\r\n",
		             (int)v->location.len,
		             v->location.ptr ? v->location.ptr : "");
		if (n < 0 || (size_t)n >= sizeof(hdrs))
			return -1;
		/* HAProxy closes after a redirect to an HTTP/1.0 client only;
		 * keep-alive otherwise. */
		return http_local_send(s, v->status, hdrs, (size_t)n, NULL, "", 0,
		                       s->txn->cli_close);
	case HTTP_VERDICT_RETURN:
		return http_local_payload(s, v);
	case HTTP_VERDICT_SERVICE:
		return http_local_promex(s);
	default:
		return 0;
	}
}

/* The proxy whose stats page a request through s would reach: the
 * backend's (HAProxy's stats live in backends and listens), else the
 * frontend's. PLAN_NONE when neither serves one. */
static uint32_t http_stats_proxy(const struct stream *s)
{
	if (s->backend != PLAN_NONE &&
	    (http_conf(s->rt, s->backend)->flags & PLAN_HTTP_F_STATS))
		return s->backend;
	if (http_conf(s->rt, s->frontend)->flags & PLAN_HTTP_F_STATS)
		return s->frontend;
	return PLAN_NONE;
}

/* Copy a plan string into a NUL-ended buffer (NULL when empty). */
static const char *http_cstr(const struct plan *p, struct plan_str ps)
{
	return ps.len ? plan_str_get(p, ps) : NULL;
}

uint32_t http_local_stats_target(const struct stream *s, const char *buf,
                                 const struct h1_msg *m)
{
	uint32_t px = http_stats_proxy(s);
	const struct plan_http *h;

	if (px == PLAN_NONE)
		return PLAN_NONE;
	h = http_conf(s->rt, px);
	if (m->uri.len < h->stats_uri.len ||
	    memcmp(buf + m->uri.off, plan_str_get(s->rt->plan, h->stats_uri),
	           h->stats_uri.len))
		return PLAN_NONE;
	return px;
}

int http_local_stats(struct stream *s, const char *buf, const struct h1_msg *m,
                     int admin)
{
	const struct plan *p = s->rt->plan;
	uint32_t px = http_local_stats_target(s, buf, m);
	const struct plan_http *h;
	struct stats_page_conf conf;
	struct stats_page_req rq;
	struct stats_page_out out;
	const char *uri;
	int r, ah;

	if (px == PLAN_NONE)
		return 0;
	h = http_conf(s->rt, px);
	uri = plan_str_get(p, h->stats_uri);
	if (m->meth == H1_M_POST && m->body == H1_BODY_CLEN &&
	    s->side[STREAM_CLI].in.len < m->head_len + m->clen) {
		if (m->head_len + m->clen > STREAM_BUFSZ)
			return http_local_send(s, 413, NULL, 0, NULL, "", 0, 1) < 0 ? -1 : 1;
		return 2;
	}
	memset(&out, 0, sizeof(out));
	if (h->stats_auth.len) {
		const char *user;
		size_t ulen;
		int ok = 0;

		ah = h1_hdr_find(m, buf, "authorization", 13, 0);
		if (ah >= 0)
			ok = stats_page_auth_ok(buf + m->hdrs[ah].value.off,
			                        m->hdrs[ah].value.len,
			                        plan_str_get(p, h->stats_auth),
			                        &user, &ulen);
		if (!ok) {
			if (stats_page_unauthorized(http_cstr(p, h->stats_realm),
			                            &out) < 0)
				return -1;
			goto send;
		}
	}
	memset(&conf, 0, sizeof(conf));
	conf.flags = ((h->flags & PLAN_HTTP_F_STATS_ADMIN) || admin ?
	              STATS_PAGE_F_ADMIN : 0) |
	             ((h->flags & PLAN_HTTP_F_STATS_HIDE_VERSION) ? STATS_PAGE_F_HIDE_VERSION : 0) |
	             ((h->flags & PLAN_HTTP_F_STATS_SHOW_NODE) ? STATS_PAGE_F_SHOW_NODE : 0) |
	             ((h->flags & PLAN_HTTP_F_STATS_SHOW_LEGENDS) ? STATS_PAGE_F_SHOW_LEGENDS : 0) |
	             ((h->flags & PLAN_HTTP_F_STATS_SHOW_DESC) ? STATS_PAGE_F_SHOW_DESC : 0);
	conf.refresh_s = h->stats_refresh;
	conf.uri = uri;
	conf.node = http_cstr(p, h->stats_node);
	conf.desc = http_cstr(p, h->stats_desc);
	if (!conf.desc && p->global->description.len)
		/* `stats show-desc` without text: the global description */
		conf.desc = plan_str_get(p, p->global->description);
	conf.proxy = px;
	conf.scopes = http_cstr(p, h->stats_scope);
	memset(&rq, 0, sizeof(rq));
	rq.is_post = m->meth == H1_M_POST;
	rq.is_head = m->meth == H1_M_HEAD;
	rq.query = buf + m->uri.off + h->stats_uri.len;
	rq.query_len = m->uri.len - h->stats_uri.len;
	if (rq.is_post && m->body == H1_BODY_CLEN) {
		rq.body = buf + m->head_len;
		rq.body_len = (size_t)m->clen;
	}
	if (stats_page_serve(s->thr->ops, s->rt, &conf, &rq, &out) < 0)
		return -1;
send:
	r = http_local_send(s, (unsigned)out.status, out.extra_hdrs,
	                    strlen(out.extra_hdrs), out.content_type,
	                    out.body ? out.body : "", out.len, 0);
	stats_page_out_free(&out);
	return r < 0 ? -1 : 1;
}
