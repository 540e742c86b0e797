/*
 * http_stream.c: HTTP/1.1 on a stream (struct stream_app).
 *
 * The stream below pumps bytes; this layer decides which of them may go
 * and what goes in front of them. For each request: its head is parsed
 * (h1.c) in the client's buffer, checked, rewritten into the server
 * side's out_pre (hop-by-hop headers out, X-Forwarded-For in), a backend
 * and a server are chosen and connected, and the body is let through
 * exactly as far as its framing says (fwd), so a pipelined request behind
 * it waits in the buffer. The response is handled the same way in the
 * other direction. When the response has been sent, the request is
 * logged and counted, the server connection is closed, and the client
 * connection waits for its next request (keep-alive) or is closed.
 *
 * Anything that does not parse is refused with HAProxy's status and page
 * and never forwarded; see doc/http.md.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "acl.h"
#include "conn.h"
#include "h1.h"
#include "http_comp.h"
#include "http_balance.h"
#include "http_logfmt.h"
#include "http_conf.h"
#include "http_cookie.h"
#include "http_head.h"
#include "http_local.h"
#include "http_log.h"
#include "stktable.h"
#include "http_reply.h"
#include "http_retry.h"
#include "http_rules.h"
#include "http_stop.h"
#include "http_stream.h"
#include "http_txn-t.h"
#include "http_vars.h"
#include "log.h"
#include "plan.h"
#include "pool.h"
#include "pool.h"
#include "stats.h"
#include "stream.h"
#include "thread.h"

/* ---- buffers ------------------------------------------------------------ */

/* Make the bytes of ring `b` contiguous from data[0]; returns data. */
static char *http_linear(struct stream_buf *b)
{
	char tmp[STREAM_BUFSZ];
	uint32_t first;

	if (b->head == 0)
		return b->data;
	if (b->head + b->len <= STREAM_BUFSZ) {
		memmove(b->data, b->data + b->head, b->len);
	} else {
		first = STREAM_BUFSZ - b->head;
		memcpy(tmp, b->data + b->head, first);
		memmove(b->data + first, b->data, b->len - first);
		memcpy(b->data, tmp, first);
	}
	b->head = 0;
	return b->data;
}

/* Drop the first n bytes of ring `b`. */
static void http_consume(struct stream_buf *b, uint32_t n)
{
	b->len -= n;
	b->head = b->len ? (b->head + n) % STREAM_BUFSZ : 0;
}

/* Room for side i's out_pre: the buffer, or NULL without memory. */
static char *http_out_pre(struct stream *s, int i)
{
	struct stream_side *sd = &s->side[i];

	if (!sd->out_pre) {
		sd->out_pre = pool_get(&s->thr->buf_pool);
		sd->out_pre_len = sd->out_pre_off = 0;
	}
	return sd->out_pre;
}

/* ---- settings ----------------------------------------------------------- */

/* The timeouts a request of stream s runs under, in ms (0 = none). */
static uint32_t http_tmo_request(const struct stream *s)
{
	return http_tmo_request_of(s->rt, s->frontend);
}

static uint32_t http_tmo_keepalive(const struct stream *s)
{
	return http_tmo_keepalive_of(s->rt, s->frontend);
}

/* 1 when the request about to be sent may take an idle server
 * connection: http-reuse safe (the default) lets only a client's later
 * requests do it, so that a first request never meets a connection the
 * server is closing at that moment; aggressive and always let every
 * request do it; never, none. */
static int http_may_reuse(const struct stream *s)
{
	uint32_t reuse = http_conf(s->rt, s->backend)->reuse;

	if (reuse == PLAN_HTTP_REUSE_NEVER)
		return 0;
	if (reuse == PLAN_HTTP_REUSE_SAFE)
		return s->txn->nreq > 0;
	return 1;
}

/* Limits of a head: buffer minus the room kept for rewrites. */
static void http_limits(const struct stream *s, struct h1_limits *lim)
{
	const struct plan_global *g = s->rt->plan->global;

	/* tune.bufsize is STREAM_BUFSZ, tune.maxrewrite and tune.http.maxhdr
	 * at most what cfgrun holds (http_plan_runnable() refuses more) */
	lim->max_head = STREAM_BUFSZ - plan_tune_maxrewrite(g);
	lim->max_hdrs = plan_tune_http_maxhdr(g);
}

/* ---- timers ------------------------------------------------------------- */

/* Side i's inactivity timer: ms (0 stops it). */
static void http_set_idle(struct stream *s, int i, uint32_t ms)
{
	struct stream_side *sd = &s->side[i];

	sd->idle.repeat = ms / 1000.0;
	if (ms)
		ev_timer_again(s->thr->loop, &sd->idle);
	else
		ev_timer_stop(s->thr->loop, &sd->idle);
}

/* The request's deadline (timeout http-request, from its first byte). */
static void http_req_timer_cb(struct ev_loop *loop, ev_timer *w, int revents);
static void http_on_stop(struct stream *s);

static void http_req_timer_start(struct stream *s, uint32_t ms)
{
	struct http_txn *t = s->txn;

	ev_timer_stop(s->thr->loop, &t->req_timer);
	if (!ms)
		return;
	ev_timer_set(&t->req_timer, ms / 1000.0, 0.);
	ev_timer_start(s->thr->loop, &t->req_timer);
}

/* ---- replies ------------------------------------------------------------ */

/*
 * Answer the client ourselves with `status` (HAProxy's page) and close
 * after it is sent; the request's termination state is term, its detail
 * why. The server side, if any, is dropped. Returns 0 or -1 (ended).
 */
static int http_reply_close(struct stream *s, unsigned status,
                            const char *term, const char *why)
{
	struct http_txn *t = s->txn;
	struct stream_side *cli = &s->side[STREAM_CLI];

	if (s->term[0] == '\0') {
		s->term[0] = term[0];
		s->term[1] = term[1];
	}
	if (why)
		stream_set_why(s, "%s", why);
	if (http_local_error(s, status, status == 400 || status == 408 ||
	                     status == 413 || status == 414 || status == 431 ||
	                     status == 501) < 0)
		return stream_end(s, term, "out of memory for a reply");
	t->cli_close = 1;
	cli->fwd = 0;
	ev_timer_stop(s->thr->loop, &t->req_timer);
	if (s->side[STREAM_SRV].conn.fd >= 0 || s->backend != PLAN_NONE)
		s->side[STREAM_SRV].fwd = 0;
	http_set_idle(s, STREAM_CLI, s->rt->plan->proxies[s->frontend].timeout_client);
	return stream_flush(s, STREAM_CLI);
}

/* http_work objects a thread keeps for its next requests (about 10 kB
 * each): enough for the requests a busy thread has in flight at once,
 * few enough that a burst of requests leaves little memory behind
 * (bench/http.sh measures the idle memory after a burst of 500). */
#define HTTP_WORK_POOL_FREE 16u

/* ---- heads -------------------------------------------------------------- */

/* What a request in progress needs (struct http_work): 0, or -1 without
 * memory. */
static int http_work_get(struct stream *s)
{
	struct pool *p = &s->thr->work_pool;
	struct http_work *w;

	/* from the thread's pool: a busy keep-alive connection allocates
	 * nothing per request (bench/rules.sh counts it) */
	if (!p->size)
		pool_init(p, sizeof(*w), HTTP_WORK_POOL_FREE);
	if (!(w = pool_get(p)))
		return -1;
	w->req_line_len = 0;
	w->req_head = NULL;
	w->req_head_heap = 0;
	http_capt_reset(&w->capt);
	w->vars = NULL;             /* made by the first set-var */
	w->retry_body = NULL;       /* made by http_retry_arm() */
	w->retry_body_len = 0;
	s->txn->w = w;
	return 0;
}

/* Give the request head copy back. */
static void http_req_head_free(struct stream *s, struct http_work *w)
{
	if (w->req_head_heap)
		free(w->req_head);
	else
		pool_put(&s->thr->buf_pool, w->req_head);
	w->req_head = NULL;
	w->req_head_heap = 0;
}

/* Give a finished request's work memory back. */
static void http_work_put(struct stream *s)
{
	struct http_work *w = s->txn->w;

	if (!w)
		return;
	http_req_head_free(s, w);
	free(w->vars);
	free(w->retry_body);
	pool_put(&s->thr->work_pool, w);
	s->txn->w = NULL;
}

/* Keep the request line for the log line (cut at HTTP_URI_LOG_MAX). */
static void http_keep_req_line(struct http_txn *t, const char *buf,
                               const struct h1_msg *m)
{
	uint32_t end = m->uri.off + m->uri.len;
	uint32_t start = m->method.off;
	uint32_t n;

	/* method SP target SP version, as received */
	while (end < m->head_len && buf[end] != '\r' && buf[end] != '\n')
		end++;
	n = end - start;
	if (n > sizeof(t->w->req_line))
		n = sizeof(t->w->req_line);
	memcpy(t->w->req_line, buf + start, n);
	t->w->req_line_len = (uint16_t)n;
}

void http_stream_view(const struct stream *s, struct http_req_view *v,
                      const char *rbuf, const struct h1_msg *resp)
{
	const struct http_txn *t = s->txn;

	memset(v, 0, sizeof(*v));
	v->buf = t->w->req_head;
	v->req = &t->w->req;
	v->rbuf = rbuf;
	v->resp = resp;
	v->cli = &s->cli_addr;
	v->conn = &s->side[STREAM_CLI].conn;
	v->dst = s->dst_addrlen ? &s->dst_addr : NULL;
	v->rt = s->rt;
	v->stk = stream_ctrs(s);
	v->frontend = s->frontend;
	v->backend = s->backend;
	v->server = s->server;
	v->vars = &t->w->vars;
}

/* Keep the parsed request head (its bytes and description) for the rest
 * of the request: the client's buffer moves on to the next one. */
static int http_keep_req(struct stream *s, const char *buf,
                         const struct h1_msg *m)
{
	struct http_txn *t = s->txn;

	http_req_head_free(s, t->w);
	t->w->req_head_heap = m->head_len > STREAM_BUFSZ;
	t->w->req_head = t->w->req_head_heap ? malloc(m->head_len) :
	                 pool_get(&s->thr->buf_pool);
	if (!t->w->req_head)
		return -1;
	memcpy(t->w->req_head, buf, m->head_len);
	t->w->req = *m;
	memcpy(t->w->req_hdrs, m->hdrs, m->nhdrs * sizeof(m->hdrs[0]));
	t->w->req.hdrs = t->w->req_hdrs;
	return 0;
}

/* Start the edit list of a head: tune.maxrewrite bytes for new text. */
static void http_edits_start(struct stream *s)
{
	struct http_txn *t = s->txn;
	uint32_t room = plan_tune_maxrewrite(s->rt->plan->global);

	if (room > sizeof(t->w->arena))
		room = sizeof(t->w->arena);
	http_edits_init(&t->w->edits, t->w->arena, room, t->w->del,
	                HTTP_MAX_HDRS);
}

/* ---- bodies ------------------------------------------------------------- */

/*
 * Let through side i's body bytes that belong to the message whose
 * framing is b: scan what arrived beyond fwd. Returns 1 when the message
 * is complete, 0 when more is needed, -1 on bad framing.
 */
static int http_body_scan(struct stream *s, int i, struct h1_body_state *b)
{
	struct stream_side *sd = &s->side[i];
	struct stream_buf *in = &sd->in;

	if (b->kind == H1_BODY_NONE ||
	    (b->kind == H1_BODY_CLEN && b->left == 0))
		return 1;   /* nothing (more) to wait for: Content-Length: 0 */
	if (b->kind == H1_BODY_EOF) {
		sd->fwd = in->len;
		return sd->eof_in ? 1 : 0;
	}
	while (sd->fwd < in->len) {
		uint32_t start = (in->head + (uint32_t)sd->fwd) % STREAM_BUFSZ;
		uint32_t n = in->len - (uint32_t)sd->fwd;
		size_t used = 0;
		enum h1_res r;

		if (start + n > STREAM_BUFSZ)
			n = STREAM_BUFSZ - start;
		r = h1_body_scan(b, in->data + start, n, &used);
		sd->fwd += used;
		if (r == H1_BAD)
			return -1;
		if (r == H1_DONE)
			return 1;
	}
	return 0;
}

/* ---- requests ----------------------------------------------------------- */

static int http_rsp_analyse(struct stream *s);
static int http_txn_end(struct stream *s);
static int http_dispatch(struct stream *s);
static int http_resend(struct stream *s, uint32_t cause);

/* The request body: let through what its framing covers. */
static int http_req_body(struct stream *s)
{
	struct http_txn *t = s->txn;
	int r = http_body_scan(s, STREAM_CLI, &t->req_body);

	if (r < 0)
		return http_reply_close(s, 400, "PD", "bad request body framing");
	if (r > 0) {
		t->req_st = HTTP_REQ_DONE;
		/* whole before any byte of it left: retry-on may resend it,
		 * as HAProxy judges at its first send */
		if (!t->wait_body && s->side[STREAM_SRV].bytes_out == 0)
			(void)http_retry_arm(s);
	} else if (s->side[STREAM_CLI].eof_in && s->side[STREAM_CLI].fwd == 0) {
		return stream_end(s, "CD", "client closed in the request body");
	}
	if (t->wait_body && (t->req_st == HTTP_REQ_DONE ||
	                     s->side[STREAM_CLI].in.len == STREAM_BUFSZ)) {
		t->wait_body = 0;
		ev_timer_stop(s->thr->loop, &t->req_timer);
		return http_dispatch(s);
	}
	if (t->wait_body)
		return 0;
	return stream_flush(s, STREAM_SRV);
}

/* The request's balancing key (uri, url_param, hdr) for the balancer,
 * from its head and the body bytes at hand; then a server. */
static int http_dispatch(struct stream *s)
{
	struct http_txn *t = s->txn;
	struct stream_side *cli = &s->side[STREAM_CLI];
	const struct http_edits *e = &t->w->edits;
	struct http_lb_req r = {
		.head = t->w->req_head, .req = &t->w->req,
		.uri = t->w->req_head + t->w->req.uri.off,
		.uri_len = t->w->req.uri.len, .edits = e,
	};

	if (e->flags & HTTP_EDIT_URI) {      /* as the rules left it */
		r.uri = e->arena + e->uri_off;
		r.uri_len = e->uri_len;
	}

	if (t->w->req.body != H1_BODY_NONE && cli->fwd && cli->in.len) {
		r.body = http_linear(&cli->in);
		r.body_len = cli->fwd < cli->in.len ? (size_t)cli->fwd : cli->in.len;
	}
	if (s->rt->plan->proxies[s->backend].balance == PLAN_BALANCE_HASH) {
		struct http_req_view view;
		struct plan_sample smp;

		http_stream_view(s, &view, NULL, NULL);
		http_rules_sample(&view, http_conf(s->rt, s->backend)->bal_acl - 1,
		                  &smp);
		s->has_lb_key = (uint8_t)http_lb_sample_key(s->rt, s->backend, &smp,
		                                            &s->lb_key);
	} else {
		s->has_lb_key = (uint8_t)http_lb_key(s->rt, s->backend, &r,
		                                     &s->lb_key);
	}
	(void)http_retry_arm(s);    /* without memory: not retryable */
	return stream_dispatch(s);
}

/* 1 when the backend's balancing wants the request body first: a POST
 * under url_param, unless persistence already chose its server (HAProxy
 * waits so whether or not `check_post` is given). */
static int http_lb_wants_body(const struct stream *s)
{
	const struct runtime *rt = s->rt;

	return rt->plan->proxies[s->backend].balance == PLAN_BALANCE_URL_PARAM &&
	       s->txn->req_meth == H1_M_POST && s->want_srv == PLAN_NONE;
}

/* The request's own answer is in place: drop what is left of it. */
static void http_req_consume(struct stream *s, const struct h1_msg *m)
{
	struct stream_side *cli = &s->side[STREAM_CLI];
	struct http_txn *t = s->txn;

	if (m->body == H1_BODY_NONE) {
		http_consume(&cli->in, m->head_len);
	} else if (m->body == H1_BODY_CLEN &&
	           cli->in.len >= m->head_len + m->clen) {
		http_consume(&cli->in, (uint32_t)(m->head_len + m->clen));
	} else {
		/* A body still on its way: no next request can be found. */
		t->cli_close = 1;
		http_consume(&cli->in, cli->in.len);
	}
	cli->fwd = 0;
	t->req_st = HTTP_REQ_DONE;
}

static int http_req_local(struct stream *s, const struct h1_msg *m)
{
	http_req_consume(s, m);
	http_set_idle(s, STREAM_CLI, s->rt->plan->proxies[s->frontend].timeout_client);
	return stream_flush(s, STREAM_CLI);
}

static int http_req_verdict(struct stream *s, const struct h1_msg *m,
                            const struct http_verdict *v);

/* http-request tarpit: the request is read and held, the client's own
 * timeout stopped, for the owning proxy's tarpit time; then the deny
 * answer is sent (http_req_timer_cb). No time: answered at once, as
 * HAProxy does. HAProxy logs such a request "PT". */
static int http_tarpit(struct stream *s, const struct h1_msg *m,
                       const struct http_verdict *v)
{
	const struct plan *p = s->rt->plan;
	struct http_txn *t = s->txn;
	uint32_t ms = p->proxies[p->http_rules[v->rule].proxy].timeout_tarpit;

	if (!ms) {
		struct http_verdict d = *v;

		d.kind = HTTP_VERDICT_DENY;
		s->term[0] = 'P';
		s->term[1] = 'T';
		return http_req_verdict(s, m, &d);
	}
	http_req_consume(s, m);
	t->w->held = *v;
	t->w->held.kind = HTTP_VERDICT_DENY;
	t->tarpit = 1;
	if (s->term[0] == '\0') {
		s->term[0] = 'P';
		s->term[1] = 'T';
	}
	http_set_idle(s, STREAM_CLI, 0);
	http_req_timer_start(s, ms);
	return 0;
}

/* A final verdict of request rules: answered now, or held (tarpit). */
static int http_req_verdict(struct stream *s, const struct h1_msg *m,
                            const struct http_verdict *v)
{
	if (v->kind == HTTP_VERDICT_TARPIT)
		return http_tarpit(s, m, v);
	return http_req_local(s, m) < 0 ? -1 :
	       http_local_verdict(s, v) < 0 ?
	       http_reply_close(s, 500, "PR", "out of memory") :
	       stream_flush(s, STREAM_CLI);
}

/* A complete, valid request head: rules, route, and send it on. */
static int http_req_head_done(struct stream *s, char *buf, struct h1_msg *m)
{
	struct http_txn *t = s->txn;
	struct stream_side *cli = &s->side[STREAM_CLI];
	struct http_req_view view;
	struct http_verdict v;
	uint32_t be;
	char *out;
	int r;

	if (m->flags & H1_F_OBS_FOLD)
		h1_unfold(buf, m);
	if (http_keep_req(s, buf, m) < 0)
		return http_reply_close(s, 500, "PR", "out of memory for the request");
	t->t_req_head = ev_now(s->thr->loop);
	t->req_meth = m->meth;
	t->req_version = m->version;
	http_keep_req_line(t, buf, m);
	http_logfmt_req(s, buf, m);
	if ((m->flags & H1_F_CONN_CLOSE) ||
	    (m->version == 10 && !(m->flags & H1_F_CONN_KEEPALIVE)) ||
	    http_conn_mode(s->rt, s->frontend, PLAN_NONE) == PLAN_HTTP_CONN_CLOSE)
		t->cli_close = 1;
	ev_timer_stop(s->thr->loop, &t->req_timer);

	/* tcp-request content rules come first, on every request (HAProxy
	 * runs them per stream, the head already parsed). */
	if (s->rt->plan->tcp[s->frontend].ncontent) {
		uint32_t k;

		http_edits_start(s);
		http_stream_view(s, &view, NULL, NULL);
		k = http_rules_tcp_content(&view, s->frontend, cli->conn.fd);
		if (k == HTTP_TCP_DROP)
			acl_silent_drop_prepare(cli->conn.fd);
		if (k != HTTP_TCP_CONTINUE) {
			acl_conn_linger0(cli->conn.fd);
			return stream_end(s, "PR", k == HTTP_TCP_DROP ?
			                  "silent-drop by a tcp-request content rule" :
			                  "rejected by a tcp-request content rule");
		}
	}
	/* monitor-uri: answered before any rule, as HAProxy does. */
	if (http_is_monitor_uri(s->rt, s->frontend, buf + m->uri.off,
	                        m->uri.len)) {
		if (http_local_error(s, 200, 0) < 0)
			return http_reply_close(s, 500, "PR", "out of memory");
		s->term[0] = 'L';
		s->term[1] = 'R';
		return http_req_local(s, m);
	}
	/* The frontend's rules, the backend's choice, the backend's rules;
	 * what the connection tracks counts the request first. */
	stk_http_req(stream_ctrs(s));
	http_edits_start(s);
	http_stream_view(s, &view, NULL, NULL);
	r = (int)http_route_request(&view, &t->w->edits, &v, &be);
	if (r == HTTP_ROUTE_FE_VERDICT)
		return http_req_verdict(s, m, &v);
	if (r == HTTP_ROUTE_NO_BACKEND)
		return http_reply_close(s, 503, "PR", "no backend for this request");
	stream_set_backend(s, be);
	if (http_conn_mode(s->rt, s->frontend, be) == PLAN_HTTP_CONN_CLOSE)
		t->cli_close = 1;
	if (r == HTTP_ROUTE_BE_VERDICT)
		return http_req_verdict(s, m, &v);
	http_cookie_req(s, t->w->req_head, &t->w->req, &t->w->edits);
	/* use-server wins over a persistence cookie (HAProxy: the cookie is
	 * still read, stripped and logged, but does not assign) */
	{
		uint32_t us = http_use_server(&view, be);

		if (us != PLAN_NONE)
			s->want_srv = us;
	}
	http_stick_rules(&view, be, stream_stores(s), &s->want_srv);
	/* stats http-request rules, for a request to the stats page, and
	 * whether a stats admin rule grants it admin */
	{
		uint32_t spx = http_local_stats_target(s, t->w->req_head, &t->w->req);

		if (spx != PLAN_NONE &&
		    http_rules_stats(&view, spx, &t->w->edits, &v) > HTTP_VERDICT_ALLOW)
			return http_req_verdict(s, m, &v);
		r = http_local_stats(s, t->w->req_head, &t->w->req,
		                     spx != PLAN_NONE &&
		                     http_rules_stats_admin(&view, spx));
	}
	if (r == 2) {
		/* A stats POST whose form is still coming: parse again. */
		t->req_st = HTTP_REQ_HEAD;
		stream_srv_close(s, 0);
		return 0;
	}
	if (r != 0) {
		if (r < 0)
			return http_reply_close(s, 500, "PR", "out of memory for the stats page");
		return http_req_local(s, m);
	}
	t->comp_algo = (uint8_t)http_comp_req(s->rt, s->frontend, be,
	                                      t->w->req_head, &t->w->req,
	                                      &t->w->edits);
	out = http_out_pre(s, STREAM_SRV);
	if (!out || http_logfmt_uid_header(s, &t->w->edits) < 0 ||
	    http_req_head_out(s, t->w->req_head, &t->w->req, out) < 0)
		return http_reply_close(s, t->w->edits.overflow ? 500 : 400, "PR",
		                        "request head too large once rewritten");
	if (m->flags & H1_F_CLEN_DROPPED)
		t->cli_close = 1;       /* the usual shape of smuggling */
	http_consume(&cli->in, m->head_len);
	cli->fwd = 0;
	h1_body_init(&t->req_body, (enum h1_body)m->body, m->clen);
	t->req_st = m->body == H1_BODY_NONE ? HTTP_REQ_DONE : HTTP_REQ_BODY;
	t->rsp_st = HTTP_RSP_HEAD;
	/* While the server works, the client's timeout is its own. */
	http_set_idle(s, STREAM_CLI, s->rt->plan->proxies[s->frontend].timeout_client);
	if (t->req_st == HTTP_REQ_BODY) {
		r = http_body_scan(s, STREAM_CLI, &t->req_body);
		if (r < 0)
			return http_reply_close(s, 400, "PD", "bad request body framing");
		if (r > 0)
			t->req_st = HTTP_REQ_DONE;
	}
	s->reuse = (uint8_t)http_may_reuse(s);
	if (t->req_st == HTTP_REQ_BODY && cli->in.len < STREAM_BUFSZ &&
	    ((http_conf(s->rt, s->frontend)->flags & PLAN_HTTP_F_BUFFER_REQUEST) ||
	     http_lb_wants_body(s))) {
		/* option http-buffer-request (or a POST under url_param):
		 * the body first (as much as the buffer holds), under
		 * timeout http-request, then a server. */
		t->wait_body = 1;
		http_req_timer_start(s, http_tmo_request(s));
		return 0;
	}
	return http_dispatch(s);
}

/* Bytes (or FIN) from the client. */
static int http_req_analyse(struct stream *s)
{
	struct http_txn *t = s->txn;
	struct stream_side *cli = &s->side[STREAM_CLI];
	struct h1_limits lim;
	struct h1_msg m;
	char *buf;

	switch (t->req_st) {
	case HTTP_REQ_IDLE:
		if (cli->in.len == 0) {
			if (!cli->eof_in)
				return 0;
			/* Closed between requests: nothing to log after one;
			 * before any: a probe, unless logged on purpose. */
			if (t->nreq > 0 || (http_conf(s->rt, s->frontend)->flags &
			                    PLAN_HTTP_F_IGNORE_PROBES))
				t->logged = 1;
			return stream_end(s, "CR", t->nreq ? NULL :
			                  "client closed before sending a request");
		}
		t->req_st = HTTP_REQ_HEAD;
		t->t_req_start = ev_now(s->thr->loop);
		http_req_timer_start(s, http_tmo_request(s));
		if (t->stop_close) {
			/* a request came before the soft stop closed the
			 * connection: its own timeouts again */
			t->stop_close = 0;
			http_set_idle(s, STREAM_CLI, t->nreq ? http_tmo_keepalive(s) :
			              s->rt->plan->proxies[s->frontend].timeout_client);
		}
		/* fall through */
	case HTTP_REQ_HEAD:
		if (!t->w && http_work_get(s) < 0)
			return stream_end(s, "PR", "out of memory for a request");
		http_limits(s, &lim);
		memset(&m, 0, sizeof(m));
		m.hdrs = t->w->hdrs;
		buf = http_linear(&cli->in);
		switch (h1_parse_head(buf, cli->in.len, 0, &lim, &m)) {
		case H1_DONE:
			return http_req_head_done(s, buf, &m);
		case H1_BAD:
			return http_reply_close(s, m.err_status ? m.err_status : 400,
			                        "PR", m.err);
		default:
			if (cli->eof_in)
				return stream_end(s, "CR", "client closed in the request head");
			return 0;
		}
	case HTTP_REQ_BODY:
		return http_req_body(s);
	default:
		/* A request waits behind this one, or the client is done. */
		if (cli->eof_in) {
			t->cli_close = 1;
			/* option abortonclose: a client gone before the
			 * response started is not served any more. */
			if (t->rsp_st == HTTP_RSP_HEAD && s->side[STREAM_SRV].in.len == 0 &&
			    (http_conf(s->rt, s->backend != PLAN_NONE ? s->backend :
			               s->frontend)->flags & PLAN_HTTP_F_ABORTONCLOSE)) {
				t->no_page = 1; /* nobody to answer */
				return stream_end(s, s->wait == STREAM_WAIT_QUEUE ? "CQ" :
				                  "CC", "client closed (abortonclose)");
			}
		}
		return stream_flush(s, STREAM_SRV);
	}
}

/* ---- responses ---------------------------------------------------------- */

/* The compressor is done with (or the response ends): count what it did
 * (stats comp_in, comp_out, comp_rsp) and give it back. */
static void http_comp_end(struct stream *s)
{
	struct http_txn *t = s->txn;

	if (!t->comp)
		return;
	stats_on_comp(s->rt, s->frontend, s->backend, http_comp_in(t->comp),
	              http_comp_out(t->comp), http_comp_done(t->comp));
	http_comp_free(t->comp);
	t->comp = NULL;
}

/*
 * One round of compression into the client side's out_pre (made
 * contiguous from its start first): see http_comp_fill(). 1 when the
 * message ended, 0 when waiting for bytes or room, -1 on an error.
 */
static int http_rsp_comp_fill(struct stream *s, const char **why)
{
	struct http_txn *t = s->txn;
	struct stream_side *cli = &s->side[STREAM_CLI];
	char *out = http_out_pre(s, STREAM_CLI);

	if (!out) {
		*why = "out of memory for a buffer";
		return -1;
	}
	if (cli->out_pre_off) {
		memmove(out, out + cli->out_pre_off,
		        cli->out_pre_len - cli->out_pre_off);
		cli->out_pre_len -= cli->out_pre_off;
		cli->out_pre_off = 0;
	}
	return http_comp_fill(t->comp, &t->rsp_body, &s->side[STREAM_SRV].in,
	                      out, &cli->out_pre_len, STREAM_BUFSZ, why);
}

/*
 * The response body through the compressor (t->comp), then on to the
 * client. The server is read again as its buffer empties; the client
 * side's out_pre is the only output buffer.
 */
static int http_rsp_comp(struct stream *s)
{
	struct http_txn *t = s->txn;
	struct stream_side *srv = &s->side[STREAM_SRV];
	const char *why = NULL;
	int r;

	if (t->comp_busy)
		return 0;
	for (;;) {
		r = http_rsp_comp_fill(s, &why);
		if (r < 0)
			return stream_end(s, why[0] == 'b' ? "SD" : "PD", "%s", why);
		if (!srv->eof_in && srv->in.len < STREAM_BUFSZ &&
		    srv->conn.fd >= 0)
			ev_io_start(s->thr->loop, &srv->rd);
		if (r > 0) {
			http_comp_end(s);
			t->rsp_st = HTTP_RSP_DONE;
			return stream_flush(s, STREAM_CLI);
		}
		if (srv->eof_in && !srv->in.len)
			return stream_end(s, "SD", "server closed in the response body");
		t->comp_busy = 1;
		if (stream_flush(s, STREAM_CLI) < 0)
			return -1;
		t->comp_busy = 0;
		/* everything went and more input waits: another round */
		if (s->side[STREAM_CLI].out_pre_off < s->side[STREAM_CLI].out_pre_len ||
		    !srv->in.len)
			return 0;
	}
}

/* The response body: let through what its framing covers. */
static int http_rsp_body(struct stream *s)
{
	struct http_txn *t = s->txn;
	struct stream_side *srv = &s->side[STREAM_SRV];
	int r;

	if (t->comp)
		return http_rsp_comp(s);
	r = http_body_scan(s, STREAM_SRV, &t->rsp_body);

	if (r < 0)
		return stream_end(s, "SD", "bad response body framing");
	if (r > 0)
		t->rsp_st = HTTP_RSP_DONE;
	else if (srv->eof_in)
		return stream_end(s, "SD", "server closed in the response body");
	return stream_flush(s, STREAM_CLI);
}

static void http_log_asap(struct stream *s, uint64_t bytes);

/*
 * The byte count HAProxy logs with option logasap: the size of its
 * internal form of the response at that moment (htx->data): a 20-byte
 * start-line record with the version, status and reason, each header's
 * name and value (trimmed; Connection headers are not kept), 1 for the
 * end of headers, and the body bytes already received. `head` is the head as forwarded (len bytes).
 */
static uint64_t http_asap_bytes(const char *head, size_t len, uint64_t body)
{
	const char *p = head, *end = head + len, *eol;
	uint64_t n = 20 + 1 + body;
	int first = 1;

	for (; p < end && (eol = memchr(p, '\n', (size_t)(end - p))); p = eol + 1) {
		const char *e = eol > p && eol[-1] == '\r' ? eol - 1 : eol;
		const char *c, *v;

		if (e == p)
			break;                      /* the empty line */
		if (first) {
			/* version SP status [SP reason] */
			const char *sp1 = memchr(p, ' ', (size_t)(e - p));
			const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(e - sp1 - 1)) : NULL;

			n += (uint64_t)(e - p) - (sp1 != NULL) - (sp2 != NULL);
			first = 0;
			continue;
		}
		if (!(c = memchr(p, ':', (size_t)(e - p))) ||
		    (c - p == 10 && !strncasecmp(p, "connection", 10)))
			continue;       /* HAProxy keeps no Connection header */
		for (v = c + 1; v < e && (*v == ' ' || *v == '\t'); v++)
			;
		while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		n += (uint64_t)(c - p) + (uint64_t)(e - v);
	}
	return n;
}

/* A complete, valid response head. */
static int http_rsp_head_done(struct stream *s, char *buf, struct h1_msg *m)
{
	struct http_txn *t = s->txn;
	struct stream_side *srv = &s->side[STREAM_SRV];
	struct stream_side *cli = &s->side[STREAM_CLI];
	enum h1_body kind;
	int interim = m->status < 200 && m->status != 101;
	char *out;
	uint32_t head_at;

	if (m->flags & H1_F_OBS_FOLD)
		h1_unfold(buf, m);
	/* retry-on STATUS: the response is dropped before anything of it
	 * is looked at; a request past an interim response is not retried
	 * (its head's edits are gone and the client may have seen it) */
	if (!interim && http_retry_allowed(s, http_retry_status_bit(m->status)))
		return http_resend(s, http_retry_status_bit(m->status));
	if (interim)
		t->l7_retry = 0;

	if (!interim) {
		if ((m->flags & H1_F_CONN_CLOSE) ||
		    (m->version == 10 && !(m->flags & H1_F_CONN_KEEPALIVE)))
			t->srv_ka = 0;
		t->t_rsp_head = ev_now(s->thr->loop);
		t->status = m->status;
		http_logfmt_rsp(s, buf, m);
	}
	kind = h1_resp_body(m, t->req_meth);
	if (kind == H1_BODY_EOF) {
		t->cli_close = 1;
		t->srv_ka = 0;
	}
	if (m->status == 101 ||
	    (t->req_meth == H1_M_CONNECT && m->status >= 200 && m->status < 300))
		t->tunnel = 1;
	if (t->req_st != HTTP_REQ_DONE && !t->tunnel && !interim)
		/* The server answered before the whole request came: the
		 * rest of it cannot be told from a next request. */
		t->cli_close = 1;
	if (!interim && !t->tunnel && !t->cli_close && http_stop_want_close(s))
		t->cli_close = 1;       /* a soft stop closes it (http_stop.h) */
	http_edits_start(s);
	if (!interim) {
		struct http_req_view view;
		struct http_verdict v;
		uint32_t k;

		/* compression is judged on the head as received, its header
		 * changes made after the rules (below), as in HAProxy */
		if (!t->tunnel)
			t->comp = http_comp_rsp(s->rt, s->frontend, s->backend,
			                        t->comp_algo, t->req_meth,
			                        t->req_version, buf, m);
		http_stream_view(s, &view, buf, m);
		/* as HAProxy, store rules see the response as received */
		http_stick_response(&view, s->backend, s->server);
		k = http_rules_response(&view, s->backend, &t->w->edits, &v);
		if (k <= HTTP_VERDICT_ALLOW && s->frontend != s->backend)
			k = http_rules_response(&view, s->frontend, &t->w->edits, &v);
		if (k > HTTP_VERDICT_ALLOW) {
			/* The server's response is replaced by ours. */
			http_comp_end(s);
			t->srv_ka = 0;
			t->cli_close = 1;
			srv->fwd = 0;
			http_consume(&srv->in, srv->in.len);
			t->rsp_st = HTTP_RSP_LOCAL;
			if (http_local_verdict(s, &v) < 0)
				return stream_end(s, "PH", "out of memory");
			return stream_flush(s, STREAM_CLI);
		}
		http_cookie_rsp(s, buf, m, &t->w->edits);
		if (t->comp)
			http_comp_head(t->comp, buf, m, &t->w->edits);
	}
	out = http_out_pre(s, STREAM_CLI);
	head_at = cli->out_pre_len;
	if (!out || http_rsp_head_out(s, buf, m, interim, out) < 0)
		return stream_end(s, "PH", "response head too large once rewritten");
	http_consume(&srv->in, m->head_len);
	srv->fwd = 0;
	if (!interim)
		http_log_asap(s, http_asap_bytes(out + head_at,
		                                 cli->out_pre_len - head_at,
		                                 kind == H1_BODY_CLEN &&
		                                 m->clen < srv->in.len ?
		                                 m->clen : srv->in.len));
	if (interim)
		return stream_flush(s, STREAM_CLI) < 0 ? -1 :
		       (srv->in.len ? http_rsp_analyse(s) : 0);
	if (t->tunnel) {
		/* From now on bytes flow both ways as in TCP mode. */
		s->tcp_fin = 1;
		srv->fwd = cli->fwd = STREAM_FWD_ALL;
		t->rsp_st = HTTP_RSP_DONE;
		t->req_st = HTTP_REQ_DONE;
		if (stream_flush(s, STREAM_CLI) < 0)
			return -1;
		return stream_flush(s, STREAM_SRV);
	}
	h1_body_init(&t->rsp_body, kind, m->clen);
	t->rsp_st = HTTP_RSP_BODY;
	return http_rsp_body(s);
}

/*
 * Send the request again on a new server connection. `cause` 0: a
 * connection kept from an earlier request was closed by the server before
 * any byte of the response (it closed it as idle while the request was on
 * its way): once, for a request without a body, to the same balancing.
 * Otherwise a retry-on failure (a PLAN_RETRY_* bit, http_retry_allowed()
 * said yes): counted in the retries, to the same server or, as HAProxy's
 * option redispatch decides, back to the balancer, with the kept body.
 */
static int http_resend(struct stream *s, uint32_t cause)
{
	struct http_txn *t = s->txn;
	uint32_t be = s->backend, prev = s->server, retries = s->retries;
	uint8_t redispatched = s->redispatched;
	int redisp = 0;
	char *out;

	if (cause) {
		gen_lock(s->rt);
		redisp = prev == PLAN_NONE || stream_redispatch_wanted(s, prev);
		stats_on_retry(s, prev, redisp);
		gen_unlock(s->rt);
	}
	stream_srv_close(s, 0);
	stream_set_backend(s, be);
	if (cause) {
		/* body bytes the failed attempt had not sent yet go with
		 * the kept copy, not after it */
		struct stream_side *cli = &s->side[STREAM_CLI];

		http_consume(&cli->in, cli->fwd < cli->in.len ?
		                       (uint32_t)cli->fwd : cli->in.len);
		cli->fwd = 0;
	}
	out = http_out_pre(s, STREAM_SRV);
	if (!out || http_req_head_again(s, out) < 0 ||
	    (cause && http_retry_body_out(s, out) < 0))
		return http_reply_close(s, 500, "PR", "out of memory");
	s->reuse = 0;
	if (!cause) {
		t->retried = 1;
		return stream_dispatch(s);
	}
	s->retries = retries + 1;
	s->redispatched = (uint8_t)(redispatched | redisp);
	if (redisp)
		s->want_srv = PLAN_NONE;    /* the balancer decides now */
	return stream_dispatch_retry(s, prev, redisp);
}

/* Bytes (or FIN) from the server. */
static int http_rsp_analyse(struct stream *s)
{
	struct http_txn *t = s->txn;
	struct stream_side *srv = &s->side[STREAM_SRV];
	struct h1_limits lim;
	struct h1_msg m;
	char *buf;

	switch (t->rsp_st) {
	case HTTP_RSP_HEAD:
		if (srv->in.len == 0) {
			if (srv->eof_in && s->reused && !t->retried &&
			    t->req_st == HTTP_REQ_DONE && t->w->req.body == H1_BODY_NONE)
				return http_resend(s, 0);
			if (srv->eof_in &&
			    http_retry_allowed(s, PLAN_RETRY_EMPTY_RESPONSE))
				return http_resend(s, PLAN_RETRY_EMPTY_RESPONSE);
			if (srv->eof_in)
				return http_reply_close(s, 502, "SH",
				                        "server closed before its response");
			return 0;
		}
		http_limits(s, &lim);
		memset(&m, 0, sizeof(m));
		m.hdrs = t->w->hdrs;
		buf = http_linear(&srv->in);
		switch (h1_parse_head(buf, srv->in.len, 1, &lim, &m)) {
		case H1_DONE:
			return http_rsp_head_done(s, buf, &m);
		case H1_BAD:
			if (http_retry_allowed(s, PLAN_RETRY_JUNK_RESPONSE))
				return http_resend(s, PLAN_RETRY_JUNK_RESPONSE);
			return http_reply_close(s, 502, "PH", m.err);
		default:
			if (srv->eof_in &&
			    http_retry_allowed(s, PLAN_RETRY_JUNK_RESPONSE))
				return http_resend(s, PLAN_RETRY_JUNK_RESPONSE);
			if (srv->eof_in)
				return http_reply_close(s, 502, "SH",
				                        "server closed in its response head");
			return 0;
		}
	case HTTP_RSP_BODY:
		return http_rsp_body(s);
	case HTTP_RSP_DONE:
		/* Bytes after the response: the server connection is not
		 * reused, drop them. */
		return stream_flush(s, STREAM_CLI);
	case HTTP_RSP_NONE:
		/* The connection kept between requests spoke or closed:
		 * it can serve no request any more. */
		if (s->kept_srv != PLAN_NONE)
			stream_srv_unkeep(s);
		return 0;
	default:
		return 0;
	}
}

/* ---- the request's end -------------------------------------------------- */

/* Log and count the request that just ended, under the lock. */
/* 1 when the request of s ended in an error (a status of 500 or more, or
 * a termination state other than a normal end or a local answer). */
static int http_txn_error(const struct stream *s)
{
	return s->txn->status >= 500 ||
	       (s->term[0] && s->term[0] != '-' && s->term[0] != 'L');
}

/* The syslog level of the request's line: err for errors with option
 * log-separate-errors, else info. */
static unsigned http_log_level(const struct stream *s)
{
	if ((http_conf(s->rt, s->frontend)->flags & PLAN_HTTP_F_LOG_SEPARATE_ERRORS) &&
	    http_txn_error(s))
		return LOG_LVL_ERR;
	return LOG_LVL_INFO;
}

/* 1 when option dontlog-normal keeps the request of s out of the log. */
static int http_log_skip(const struct stream *s)
{
	return (http_conf(s->rt, s->frontend)->flags & PLAN_HTTP_F_DONTLOG_NORMAL) &&
	       !http_txn_error(s);
}

/* The request is over for the stick counters: its bytes, a 4xx status
 * as an error, and what its rules tracked let go. */
static void http_stk_end(struct stream *s)
{
	if (s->txn->status >= 400 && s->txn->status < 500)
		stk_http_err(stream_ctrs(s));
	stk_bytes(stream_ctrs(s), s->side[STREAM_CLI].bytes_in,
	          s->side[STREAM_CLI].bytes_out);
	s->side[STREAM_CLI].bytes_in = 0;
	s->side[STREAM_CLI].bytes_out = 0;
	stk_release(stream_ctrs(s), 1);
	stk_stores_drop(stream_stores(s));
}

/* option logasap: the request's line is written once the response head
 * is forwarded (total time and bytes so far with a '+'), not at its end. */
static void http_log_asap(struct stream *s, uint64_t bytes)
{
	struct runtime *rt = s->rt;
	char mp[2] = { '-', '-' };
	char line[LOG_LINE_MAX];
	size_t n = 0;

	if (!(rt->plan->proxies[s->frontend].flags & PLAN_PX_F_LOGASAP) ||
	    s->txn->logged)
		return;
	gen_lock(rt);
	if (!http_log_skip(s) && log_targets(rt, s->frontend)) {
		s->txn->asap = 1;
		s->txn->asap_bytes = bytes;
		n = http_log_line(s, mp, line, sizeof(line));
		s->txn->asap = 0;
	}
	s->txn->logged = 1;
	gen_unlock(rt);
	if (n)
		(void)log_emit(rt, s->frontend, (enum log_level)http_log_level(s), line);
}

static void http_txn_account(struct stream *s)
{
	struct runtime *rt = s->rt;
	char mp[2] = { '-', '-' };
	char line[LOG_LINE_MAX];
	size_t n = 0;

	gen_lock(rt);
	if (!s->txn->logged && !http_log_skip(s) && log_targets(rt, s->frontend))
		n = http_log_line(s, mp, line, sizeof(line));
	s->txn->logged = 1;
	stats_on_end(s);
	gen_unlock(rt);
	/* HTTP lines go to the proxy's log targets only, as HAProxy's: a
	 * proxy without `log` logs nothing (no stderr fallback). */
	if (n)
		(void)log_emit(rt, s->frontend, (enum log_level)http_log_level(s), line);
	http_stk_end(s);
	/* What the next request counts starts from zero. */
	s->side[STREAM_CLI].bytes_in = 0;
	s->side[STREAM_CLI].bytes_out = 0;
	s->side[STREAM_SRV].bytes_in = 0;
}

/* The response was sent whole: next request, or close. */
static int http_txn_end(struct stream *s)
{
	struct http_txn *t = s->txn;
	struct stream_side *cli = &s->side[STREAM_CLI];
	uint32_t ka, idle;

	if (t->cli_close || cli->eof_in) {
		if (s->term[0] == '\0') {
			s->term[0] = '-';
			s->term[1] = '-';
		}
		return stream_end(s, s->term, NULL);
	}
	http_txn_account(s);
	http_work_put(s);
	stream_srv_close(s, t->srv_ka && !t->tunnel && t->req_st == HTTP_REQ_DONE);
	t->nreq++;
	t->req_st = HTTP_REQ_IDLE;
	t->rsp_st = HTTP_RSP_NONE;
	t->status = 0;
	t->tunnel = 0;
	t->logged = 0;
	t->retried = 0;
	t->comp_algo = 0;
	http_comp_end(s);
	t->l7_retry = 0;
	t->ck[0] = t->ck[1] = 0;
	t->t_req_head = t->t_rsp_head = -1;
	t->t_req_start = t->t_idle_start = ev_now(s->thr->loop);
	s->term[0] = '\0';
	stream_clear_why(s);
	cli->fwd = 0;
	/* During a soft stop an idle connection closes at a moment of the
	 * closing window (http_stop.h), if before its keep-alive timeout. */
	ka = http_tmo_keepalive(s);
	idle = http_stop_idle_ms(s, ka);
	t->stop_close = idle != ka;
	http_set_idle(s, STREAM_CLI, idle);
	stream_buf_release(s, STREAM_CLI);
	if (!cli->eof_in)
		ev_io_start(s->thr->loop, &cli->rd);
	/* A pipelined request is already here: run it at the next loop
	 * pass rather than from inside this call chain. */
	if (cli->in.len)
		ev_feed_event(s->thr->loop, &t->resume, EV_CUSTOM);
	return 0;
}

/* ---- stream_app --------------------------------------------------------- */

static void http_req_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct stream *s = w->data;
	struct http_txn *t;

	(void)loop;
	(void)revents;
	if (s->magic != STREAM_MAGIC || !s->txn) {
		log_error("internal error: request timer of a dead stream");
		abort();
	}
	t = s->txn;
	if (t->tarpit) {
		/* the hold is over: the deny answer, then close */
		t->tarpit = 0;
		http_set_idle(s, STREAM_CLI,
		              s->rt->plan->proxies[s->frontend].timeout_client);
		if (http_local_verdict(s, &t->w->held) < 0)
			(void)stream_end(s, "PT", "out of memory for a reply");
		else
			(void)stream_flush(s, STREAM_CLI);
		return;
	}
	if (t->req_st == HTTP_REQ_IDLE && t->nreq == 0 &&
	    (http_conf(s->rt, s->frontend)->flags & PLAN_HTTP_F_IGNORE_PROBES)) {
		/* option http-ignore-probes: an empty connection is closed
		 * without a 408 and without a log line. */
		t->logged = 1;
		t->no_page = 1;
		(void)stream_end(s, "cR", NULL);
		return;
	}
	if (t->req_st == HTTP_REQ_HEAD || t->wait_body ||
	    (t->req_st == HTTP_REQ_IDLE && t->nreq == 0))
		(void)http_reply_close(s, 408, "cR", "timeout http-request");
}

/* A request was already buffered when the previous one ended. */
static void http_resume_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct stream *s = w->data;

	(void)loop;
	(void)revents;
	if (s->magic != STREAM_MAGIC || !s->txn) {
		log_error("internal error: resumed a dead stream");
		abort();
	}
	if (s->txn->req_st == HTTP_REQ_IDLE && s->side[STREAM_CLI].in.len)
		(void)http_req_analyse(s);
}

static int http_attach(struct stream *s)
{
	struct http_txn *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	t->magic = HTTP_TXN_MAGIC;
	t->t_req_head = t->t_rsp_head = -1;
	ev_init(&t->req_timer, http_req_timer_cb);
	t->req_timer.data = s;
	ev_init(&t->resume, http_resume_cb);
	t->resume.data = s;
	s->txn = t;
	return 0;
}

static void http_start(struct stream *s)
{
	struct http_txn *t = s->txn;

	t->t_req_start = t->t_idle_start = s->t_accept;
	http_set_idle(s, STREAM_CLI, s->rt->plan->proxies[s->frontend].timeout_client);
	http_req_timer_start(s, http_tmo_request(s));
	/* accepted just before its generation started closing, started
	 * after: closed as the others (nothing when it is not closing) */
	http_on_stop(s);
}

static int http_on_read(struct stream *s, int i)
{
	if (i == STREAM_CLI)
		return http_req_analyse(s);
	return http_rsp_analyse(s);
}

static int http_on_sent(struct stream *s, int j)
{
	struct http_txn *t = s->txn;

	if (j != STREAM_CLI)
		return 0;
	if (t->rsp_st == HTTP_RSP_LOCAL && t->cli_close)
		return stream_end(s, s->term[0] ? s->term : "--", NULL);
	if (t->rsp_st == HTTP_RSP_LOCAL && t->req_st == HTTP_REQ_DONE)
		return http_txn_end(s);
	if (t->rsp_st == HTTP_RSP_DONE && s->side[STREAM_SRV].fwd == 0)
		return http_txn_end(s);
	if (t->rsp_st == HTTP_RSP_BODY && t->comp)
		return http_rsp_comp(s);
	return 0;
}

static int http_on_timeout(struct stream *s, int i)
{
	struct http_txn *t = s->txn;

	if (i == STREAM_CLI) {
		if (t->req_st == HTTP_REQ_IDLE &&
		    (t->nreq > 0 || (t->stop_close && !s->side[i].in.len))) {
			/* keep-alive timeout, or closed by a soft stop while
			 * idle: no line */
			t->logged = 1;
			return stream_end(s, "cR", NULL);
		}
		if (t->req_st <= HTTP_REQ_HEAD)
			return http_reply_close(s, 408, "cR", "client timeout");
		if (t->rsp_st == HTTP_RSP_HEAD && t->req_st == HTTP_REQ_DONE) {
			/* Waiting for the server: its timeout rules. */
			stream_touch(s, STREAM_CLI);
			return 0;
		}
		return stream_end(s, "cD", "client timeout");
	}
	if (t->rsp_st == HTTP_RSP_HEAD &&
	    http_retry_allowed(s, PLAN_RETRY_RESPONSE_TIMEOUT))
		return http_resend(s, PLAN_RETRY_RESPONSE_TIMEOUT);
	if (t->rsp_st == HTTP_RSP_HEAD)
		return http_reply_close(s, 504, "sH", "server timeout");
	return stream_end(s, "sD", "server timeout");
}

/*
 * The stream ends: when the client got nothing of a response yet, give
 * it the error page HAProxy gives for that ending (one non-blocking
 * write: a page is small; the socket closes right after).
 */
static void http_on_end(struct stream *s, const char *term)
{
	struct http_txn *t = s->txn;
	struct stream_side *cli = &s->side[STREAM_CLI];
	unsigned status = 0;
	char page[512];
	const char *p;
	size_t n;

	if (t->status || t->no_page || cli->conn.fd < 0 || t->req_st == HTTP_REQ_IDLE ||
	    cli->bytes_out > 0)
		return;
	if ((term[0] == 'S' || term[0] == 's') && term[1] == 'D' &&
	    t->rsp_st == HTTP_RSP_HEAD)
		term = term[0] == 'S' ? "SH" : "sH";
	switch (term[0]) {
	case 'S':
	case 's':
		if (term[1] == 'C' || term[1] == 'Q')
			status = 503;
		else if (term[1] == 'H')
			status = term[0] == 's' ? 504 : 502;
		break;
	case 'P':
		status = term[1] == 'H' ? 502 : 0;
		break;
	case 'c':
		status = term[1] == 'R' ? 408 : 0;
		break;
	default:
		break;
	}
	if (!status)
		return;
	n = http_err_page(s, status, status == 408, page, sizeof(page), &p);
	t->status = (uint16_t)status;
	if (n && conn_send1(&cli->conn, p, n) > 0)
		cli->bytes_out += n;
}

/*
 * s's generation started closing (gen_soft_close()): a connection idle
 * between requests or still waiting for its first one gets a moment of
 * the window to close at (http_on_timeout() ends it then, silently), if
 * that comes before its idle timer; the others are left to their
 * response, which will say close (http_stop_want_close()).
 */
static void http_on_stop(struct stream *s)
{
	struct http_txn *t = s->txn;
	struct stream_side *cli = &s->side[STREAM_CLI];
	uint32_t ms = 0, at;

	if (!__atomic_load_n(&s->rt->close_end_ms, __ATOMIC_ACQUIRE))
		return;         /* the usual case, at every http_start() */
	if (!t || t->req_st != HTTP_REQ_IDLE || t->rsp_st != HTTP_RSP_NONE ||
	    cli->in.len || s->handshake || s->wait == STREAM_WAIT_PROXY)
		return;
	if (ev_is_active(&cli->idle))
		ms = 1 + (uint32_t)(ev_timer_remaining(s->thr->loop, &cli->idle) * 1000.0);
	at = http_stop_idle_ms(s, ms);
	if (ms && at >= ms)
		return;
	t->stop_close = 1;
	http_set_idle(s, STREAM_CLI, at);
}

static size_t http_app_log_line(const struct stream *s, const char mp_mark[2],
                                char *line, size_t size)
{
	if (s->txn->logged || http_log_skip(s) || !log_targets(s->rt, s->frontend))
		return 0;
	return http_log_line(s, mp_mark, line, size);
}

static void http_release(struct stream *s)
{
	struct http_txn *t = s->txn;

	if (t && !t->logged)
		http_stk_end(s);
	if (!t)
		return;
	ev_timer_stop(s->thr->loop, &t->req_timer);
	ev_clear_pending(s->thr->loop, &t->resume);
	ev_clear_pending(s->thr->loop, &t->req_timer);
	http_work_put(s);
	http_comp_end(s);
	t->magic = 0;
	free(t);
	s->txn = NULL;
}

static int http_req_host(const struct stream *s, int noport, char *buf,
                         size_t size)
{
	const struct http_work *w = s->txn ? s->txn->w : NULL;
	const char *v;
	size_t len;
	int h;

	if (!w || !w->req_head ||
	    (h = h1_hdr_find(&w->req, w->req_head, "host", 4, 0)) < 0)
		return 0;
	v = w->req_head + w->req.hdrs[h].value.off;
	len = w->req.hdrs[h].value.len;
	if (noport) {
		/* field(1,:) as HAProxy's sni-auto: up to the first ':' */
		const char *colon = memchr(v, ':', len);

		if (colon)
			len = (size_t)(colon - v);
	}
	if (len == 0 || len >= size)
		return 0;
	memcpy(buf, v, len);
	buf[len] = '\0';
	return 1;
}

const struct stream_app http_stream_app = {
	.attach = http_attach,
	.start = http_start,
	.on_read = http_on_read,
	.on_sent = http_on_sent,
	.on_timeout = http_on_timeout,
	.on_end = http_on_end,
	.on_stop = http_on_stop,
	.log_line = http_app_log_line,
	.log_level = http_log_level,
	.release = http_release,
	.req_host = http_req_host,
};
