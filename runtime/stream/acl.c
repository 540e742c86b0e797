/*
 * acl.c: the samples cfgrun gives the plan's ACLs (addresses and ports of
 * a connection, usable servers of a backend) and the places rules are
 * applied: at accept (tcp-request connection), when the stream gets its
 * backend (use_backend) and before its server is chosen (stick rules).
 * The plan is read-only and shared by the threads; nothing here
 * allocates.
 */
#include <netinet/in.h>
#include <netinet/ip.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "acl.h"
#include "pp_fetch.h"
#include "sock.h"
#include "balance.h"
#include "plan.h"
#include "stktable.h"
#include "stream.h"
#include "thread.h"
#include "tls_hello.h"
#include "tls.h"
#include "use_server.h"

/* What a fetch may read for one connection. */
struct acl_conn {
	struct runtime *rt;
	int fd;                             /* the client's socket */
	const struct sockaddr_storage *src; /* client address */
	socklen_t srclen;
	struct sockaddr_storage *dst;       /* local address, asked lazily */
	socklen_t *dstlen;                  /* 0 = not asked yet */
	const uint8_t *buf;                 /* layer 6: bytes received so far
	                                       (request or response), NULL =
	                                       none (connection rules) */
	size_t len;                         /* bytes of buf */
	int final;                          /* 1: no more bytes will count
	                                       (delay over, buffer full, FIN) */
	int res;                            /* 1: buf is the response */
	struct stk_ctrs *stk;               /* stick counters, NULL = none */
	const struct conn *conn;            /* the client connection once the
	                                       stream has it (TLS fetches) */
	uint32_t proxy;                     /* be_name: the stream's backend,
	                                       else its frontend; PLAN_NONE
	                                       before there is a stream */
	uint32_t frontend;                  /* fe_name: the listener's proxy */
	char scratch[512];                  /* string samples built here */
};

/* The block of a payload fetch in c's buffer: 1 and its bounds, 0 when
 * the buffer does not hold it (yet). */
static int acl_payload(const struct acl_conn *c, const struct plan_acl *a,
                       size_t *off, size_t *len)
{
	size_t o = a->arg, n = (size_t)a->occ;

	if (a->fetch == PLAN_FETCH_REQ_PAYLOAD ||
	    a->fetch == PLAN_FETCH_RES_PAYLOAD) {
		if (o > c->len || (n && c->len - o < n))
			return 0;
		*off = o;
		*len = n ? n : c->len - o;
		return 1;
	}
	/* payload_lv: a big-endian length of n bytes (1..4) at o */
	uint64_t l = 0;
	int64_t start;

	if (o > c->len || c->len - o < n)
		return 0;
	for (size_t i = 0; i < n; i++)
		l = l << 8 | c->buf[o + i];
	start = (int64_t)(o + n) + a->arg2;
	if (start < 0 || (uint64_t)start > c->len ||
	    c->len - (uint64_t)start < l)
		return 0;
	*off = (size_t)start;
	*len = (size_t)l;
	return 1;
}

/*
 * 1 when buf[0..len) starts an HTTP/1 request line ("METHOD SP target SP
 * HTTP/d.d" then CRLF or LF), 0 when it cannot be one, -1 when it may
 * still become one.
 */
static int acl_proto_http(const uint8_t *b, size_t len)
{
	static const char ver[] = "HTTP/";
	size_t i = 0, t;

	while (i < len && ((b[i] >= 'A' && b[i] <= 'Z') || b[i] == '-' ||
	                   b[i] == '_'))
		i++;
	if (i == len)
		return -1;
	if (i == 0 || b[i++] != ' ')
		return 0;
	for (t = i; i < len && b[i] > ' ' && b[i] < 0x7f; i++)
		;
	if (i == len)
		return -1;
	if (i == t || b[i++] != ' ')
		return 0;
	for (size_t k = 0; k < 8; k++, i++) {
		if (i == len)
			return -1;
		if (k < 5 ? b[i] != (uint8_t)ver[k] :
		    k == 6 ? b[i] != '.' : (b[i] < '0' || b[i] > '9'))
			return 0;
	}
	if (i == len)
		return -1;
	if (b[i] == '\n')
		return 1;
	if (b[i] != '\r')
		return 0;
	return i + 1 == len ? -1 : b[i + 1] == '\n';
}

/* The layer-6 fetches (request or response bytes in c). */
static void acl_fetch_l6(struct acl_conn *c, const struct plan_acl *a,
                         struct plan_sample *out)
{
	struct tls_hello h;
	enum tls_hello_res r;
	size_t off, len;
	int http;

	if (!c->buf && a->fetch != PLAN_FETCH_WAIT_END)
		return;                 /* no content here: never a sample */
	out->may_change = !c->final;
	switch (a->fetch) {
	case PLAN_FETCH_REQ_LEN:
	case PLAN_FETCH_RES_LEN:
		out->type = PLAN_SMP_INT;
		out->i = (int64_t)c->len;
		return;
	case PLAN_FETCH_REQ_PAYLOAD:
	case PLAN_FETCH_RES_PAYLOAD:
	case PLAN_FETCH_REQ_PAYLOAD_LV:
	case PLAN_FETCH_RES_PAYLOAD_LV:
		if (!acl_payload(c, a, &off, &len))
			return;
		/* a block of a fixed length is what it is; "to the end"
		 * (req.payload(N,0)) still grows */
		if (a->occ || a->fetch == PLAN_FETCH_REQ_PAYLOAD_LV ||
		    a->fetch == PLAN_FETCH_RES_PAYLOAD_LV)
			out->may_change = 0;
		out->type = PLAN_SMP_STR;
		out->str = (const char *)c->buf + off;
		out->len = len;
		return;
	case PLAN_FETCH_PROTO_HTTP:
		http = acl_proto_http(c->buf, c->len);
		if (http < 0 && !c->final)
			return;
		out->may_change = 0;
		out->type = PLAN_SMP_BOOL;
		out->i = http > 0;
		return;
	case PLAN_FETCH_WAIT_END:
		if (!c->final)
			return;
		out->type = PLAN_SMP_BOOL;
		out->i = 1;
		return;
	default:
		break;
	}
	/* the req.ssl_* family: each reads what the ClientHello gives so far */
	r = tls_hello_parse(c->buf, c->len, &h);
	if (r == TLS_HELLO_BAD) {
		out->may_change = 0;    /* not TLS: more bytes change nothing */
		return;
	}
	switch (a->fetch) {
	case PLAN_FETCH_SSL_VER:
		if (!(h.known & TLS_HELLO_KNOWN_RECORD))
			return;
		out->type = PLAN_SMP_INT;
		out->i = h.rec_version;
		out->may_change = 0;
		return;
	case PLAN_FETCH_SSL_HELLO_TYPE:
		if (!(h.known & TLS_HELLO_KNOWN_TYPE))
			return;
		out->type = PLAN_SMP_INT;
		out->i = h.hs_type;
		out->may_change = 0;
		return;
	default:
		break;
	}
	if (r != TLS_HELLO_OK)
		return;
	out->may_change = 0;
	switch (a->fetch) {
	case PLAN_FETCH_SSL_SNI:
		if (!h.sni)
			return;
		out->type = PLAN_SMP_STR;
		out->str = (const char *)h.sni;
		out->len = h.sni_len;
		return;
	case PLAN_FETCH_SSL_ST_EXT:
		out->type = PLAN_SMP_INT;
		out->i = h.ticket;
		return;
	case PLAN_FETCH_SSL_EC_EXT:
		out->type = PLAN_SMP_BOOL;
		out->i = h.has_ec;
		return;
	case PLAN_FETCH_SSL_ALPN: {
		/* one name per call: iter counts those given already */
		const uint8_t *name = NULL;
		size_t nlen = 0;
		uint32_t k = 0, iter = out->iter;

		while (tls_hello_alpn_next(&h, &name, &nlen) && k < iter)
			k++;
		if (k < iter || !name)
			return;
		out->type = PLAN_SMP_STR;
		out->str = (const char *)name;
		out->len = nlen;
		out->iter = iter + 1;
		out->more = tls_hello_alpn_next(&h, &name, &nlen);
		return;
	}
	default:
		return;
	}
}

static void acl_fetch(void *ctx, const struct plan_acl *a,
                      struct plan_sample *out)
{
	struct acl_conn *c = ctx;
	uint32_t iter = out->iter;

	memset(out, 0, sizeof(*out));
	out->iter = iter;
	switch (a->fetch) {
	case PLAN_FETCH_ALWAYS_FALSE:
	case PLAN_FETCH_ALWAYS_TRUE:
		out->type = PLAN_SMP_BOOL;
		out->i = a->fetch == PLAN_FETCH_ALWAYS_TRUE;
		return;
	case PLAN_FETCH_SRC:
	case PLAN_FETCH_SRC_PORT:
		plan_sample_addr(c->src, c->srclen, a->fetch == PLAN_FETCH_SRC_PORT,
		                 out);
		return;
	case PLAN_FETCH_DST:
	case PLAN_FETCH_DST_PORT:
		if (!*c->dstlen) {
			socklen_t len = sizeof(*c->dst);

			if (getsockname(c->fd, (struct sockaddr *)c->dst, &len) < 0)
				return;
			*c->dstlen = len;
		}
		plan_sample_addr(c->dst, *c->dstlen, a->fetch == PLAN_FETCH_DST_PORT,
		                 out);
		return;
	case PLAN_FETCH_NBSRV:
		out->type = PLAN_SMP_INT;
		if (a->arg == PLAN_NONE)
			return;
		gen_lock(c->rt);
		out->i = balance_usable(c->rt, a->arg);
		gen_unlock(c->rt);
		return;
	case PLAN_FETCH_STKCTR:
		stk_fetch(c->rt, c->stk, c->src, c->srclen, a, out);
		return;
	case PLAN_FETCH_ACL:
		plan_fetch_acl(c->rt->plan, c->rt->regex, a, acl_fetch, c, out);
		return;
	case PLAN_FETCH_BE_NAME:
	case PLAN_FETCH_FE_NAME: {
		uint32_t px = a->fetch == PLAN_FETCH_FE_NAME ? c->frontend :
		              c->proxy;

		if (px == PLAN_NONE)
			return;
		out->type = PLAN_SMP_STR;
		out->str = plan_str_get(c->rt->plan, c->rt->plan->proxies[px].name);
		out->len = c->rt->plan->proxies[px].name.len;
		return;
	}
	default:
		if (a->fetch >= PLAN_FETCH_REQ_LEN)
			acl_fetch_l6(c, a, out);        /* layer 6 family */
		else if (!pp_fetch(c->conn, a, out) &&
		         !tls_fetch(c->conn, c->rt->plan, a, out, c->scratch,
		                    sizeof(c->scratch)))
			plan_fetch_const(c->rt->plan, a, out);
		return;
	}
}

/*
 * Run rules [first, first + n) of `set` in context c as HAProxy does:
 * the first accept or reject whose condition holds decides; set-mark,
 * set-tos and expect-proxy apply and evaluation goes on. A condition
 * that cannot be decided yet (MISS, only before c->final) stops there:
 * ACL_WAIT. *expect_proxy (may be NULL) is set by expect-proxy.
 */
static enum acl_verdict acl_run(struct runtime *rt, uint32_t first,
                                uint32_t n, struct acl_conn *c,
                                int *expect_proxy)
{
	const struct plan *p = rt->plan;

	for (uint32_t i = 0; i < n; i++) {
		const struct plan_rule *r = &p->rules[first + i];
		int t = plan_cond_eval(p, NULL, r->cond, r->first_term,
		                       r->nterms, acl_fetch, c);

		if (t == PLAN_TEST_MISS)
			return ACL_WAIT;
		if (t != PLAN_TEST_PASS)
			continue;
		switch (r->action) {
		case PLAN_RULE_ACCEPT:
			return ACL_ACCEPT;
		case PLAN_RULE_REJECT:
			return ACL_REJECT;
		case PLAN_RULE_SILENT_DROP:
			return ACL_DROP;
		case PLAN_RULE_CLOSE:
			return ACL_CLOSE;
		case PLAN_RULE_EXPECT_PROXY:
			if (expect_proxy)
				*expect_proxy = 1;
			break;
		case PLAN_RULE_SET_MARK:
		case PLAN_RULE_SET_TOS:
			sock_rule_action(c->fd, r);
			break;
		case PLAN_RULE_STICK:
			stk_rule(rt, c->stk, &p->tracks[r->arg], acl_fetch, c, 0);
			break;
		default:
			break;
		}
	}
	return ACL_CONTINUE;
}

/* The connection rules of fe on a socket just accepted. */
static enum acl_verdict acl_conn_run(struct runtime *rt, uint32_t fe, int fd,
                                     const struct sockaddr_storage *src,
                                     socklen_t srclen, int *expect_proxy,
                                     struct stk_ctrs *stk)
{
	struct sockaddr_storage dst;
	socklen_t dstlen = 0;
	struct acl_conn c = { .rt = rt, .fd = fd, .src = src, .srclen = srclen,
	                      .dst = &dst, .dstlen = &dstlen, .final = 1,
	                      .stk = stk, .proxy = PLAN_NONE, .frontend = fe };

	return acl_run(rt, rt->plan->proxies[fe].first_rule,
	               rt->plan->proxies[fe].nconn_rules, &c, expect_proxy);
}

int acl_conn_accept(struct runtime *rt, uint32_t fe, int fd,
                    const struct sockaddr_storage *src, socklen_t srclen,
                    struct stk_ctrs *stk)
{
	enum acl_verdict v = acl_conn_run(rt, fe, fd, src, srclen, NULL, stk);

	if (v == ACL_REJECT || v == ACL_DROP)
		stk_release(stk, 0);
	if (v == ACL_DROP)
		acl_silent_drop(fd);
	return v != ACL_REJECT && v != ACL_DROP;
}

int acl_conn_expect_proxy(struct stream *s)
{
	const struct plan *p = s->rt->plan;
	const struct plan_proxy *px = &p->proxies[s->frontend];
	int expect = 0;

	for (uint32_t i = 0; i < px->nconn_rules; i++)
		if (p->rules[px->first_rule + i].action == PLAN_RULE_EXPECT_PROXY) {
			/* no counters: the rules tracked at accept */
			(void)acl_conn_run(s->rt, s->frontend,
			                   s->side[STREAM_CLI].conn.fd, &s->cli_addr,
			                   s->cli_addrlen, &expect, NULL);
			break;
		}
	return expect;
}

void acl_conn_linger0(int fd)
{
	const struct linger nolinger = { .l_onoff = 1, .l_linger = 0 };

	(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &nolinger, sizeof(nolinger));
}

void acl_conn_reject(int fd)
{
	acl_conn_linger0(fd);
	close(fd);
}

void acl_silent_drop_prepare(int fd)
{
	int one = 1;

	/* The reset goes out with a hop limit of 1, so past the first
	 * router the client hears nothing (HAProxy's silent-drop); on the
	 * same host it still arrives. */
	(void)setsockopt(fd, IPPROTO_IP, IP_TTL, &one, sizeof(one));
	(void)setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &one, sizeof(one));
}

void acl_silent_drop(int fd)
{
	acl_silent_drop_prepare(fd);
	acl_conn_reject(fd);
}

int acl_has_switching(const struct runtime *rt, uint32_t fe)
{
	uint32_t first;

	return plan_tcp_rules_of(rt->plan, fe, PLAN_TCP_SWITCH, &first) != 0;
}

/* A context for stream s's client (with its received bytes when
 * `l6`). */
static void acl_stream_ctx(struct stream *s, int l6, int final,
                           struct acl_conn *c)
{
	const struct stream_buf *b = &s->side[STREAM_CLI].in;

	memset(c, 0, sizeof(*c));
	c->rt = s->rt;
	c->fd = s->side[STREAM_CLI].conn.fd;
	c->src = &s->cli_addr;
	c->srclen = s->cli_addrlen;
	c->dst = &s->dst_addr;
	c->dstlen = &s->dst_addrlen;
	c->stk = stream_ctrs(s);
	c->conn = &s->side[STREAM_CLI].conn;
	c->proxy = s->backend != PLAN_NONE ? s->backend : s->frontend;
	c->frontend = s->frontend;
	c->final = final;
	if (l6) {
		/* acl_inspect() made the bytes contiguous from head */
		static const uint8_t none[1];

		c->buf = b->data ? (const uint8_t *)b->data + b->head : none;
		c->len = b->data ? b->len : 0;
	}
}

/* The first use_backend rule of s's frontend that applies, else the
 * default route; with `l6` they see the bytes received (final). */
static uint32_t acl_switch_l6(struct stream *s, int l6)
{
	struct runtime *rt = s->rt;
	const struct plan *p = rt->plan;
	struct acl_conn c;
	uint32_t first, n = plan_tcp_rules_of(p, s->frontend, PLAN_TCP_SWITCH,
	                                      &first);

	acl_stream_ctx(s, l6, 1, &c);
	for (uint32_t i = 0; i < n; i++) {
		const struct plan_rule *r = &p->rules[first + i];
		struct plan_sample smp;
		uint32_t be;

		if (!plan_rule_applies(p, r, acl_fetch, &c))
			continue;
		if (!r->arg)
			return r->backend;
		(void)plan_sample_eval(p, rt->regex, &p->acls[r->arg - 1],
		                       acl_fetch, &c, &smp);
		if ((be = plan_backend_named(p, &smp)) != PLAN_NONE)
			return be;      /* no such backend: the next rule */
	}
	return rt->proxies[s->frontend].backend;
}

static uint32_t acl_switch(struct stream *s)
{
	return acl_switch_l6(s, 0);
}

void acl_stick(struct stream *s)
{
	const struct plan_tcp *t;
	struct acl_conn c;

	if (s->backend == PLAN_NONE)
		return;
	t = &s->rt->plan->tcp[s->backend];
	if (!t->nstick && !t->nuse_server)
		return;
	acl_stream_ctx(s, 0, 1, &c);
	/* use-server first: a stick match only fills what it left empty */
	if (t->nuse_server && s->want_srv == PLAN_NONE)
		s->want_srv = use_server_rules(s->rt, s->backend, s->rt->regex,
		                               acl_fetch, &c);
	if (!t->nstick)
		return;
	stk_persist_rules(s->rt, s->backend, NULL, acl_fetch, &c, stream_stores(s),
	                  &s->want_srv);
}

int acl_inspects(const struct runtime *rt, uint32_t fe)
{
	const struct plan_tcp *t = &rt->plan->tcp[fe];

	return rt->plan->proxies[fe].mode != PLAN_MODE_HTTP &&
	       (t->nsession || t->ncontent);
}

enum acl_verdict acl_inspect(struct stream *s, int final)
{
	const struct plan *p = s->rt->plan;
	struct stream_buf *b = &s->side[STREAM_CLI].in;
	struct acl_conn c;
	uint32_t first, n;
	enum acl_verdict v;

	if (b->data && b->head) {
		/* nothing leaves during inspection: make the bytes
		 * contiguous once so fetches read them in place */
		if (b->head + b->len > STREAM_BUFSZ) {
			char tmp[STREAM_BUFSZ];
			uint32_t first_part = STREAM_BUFSZ - b->head;

			memcpy(tmp, b->data + b->head, first_part);
			memcpy(tmp + first_part, b->data, b->len - first_part);
			memcpy(b->data, tmp, b->len);
		} else {
			memmove(b->data, b->data + b->head, b->len);
		}
		b->head = 0;
	}
	if (!s->session_done) {
		n = plan_tcp_rules_of(p, s->frontend, PLAN_TCP_SESSION, &first);
		acl_stream_ctx(s, 0, 1, &c);
		v = acl_run(s->rt, first, n, &c, NULL);
		if (v == ACL_REJECT || v == ACL_DROP)
			return v;
		s->session_done = 1;
	}
	n = plan_tcp_rules_of(p, s->frontend, PLAN_TCP_CONTENT, &first);
	acl_stream_ctx(s, 1, final || (b->data && b->len == STREAM_BUFSZ) ||
	               s->side[STREAM_CLI].eof_in, &c);
	v = acl_run(s->rt, first, n, &c, NULL);
	return v == ACL_CLOSE ? ACL_CONTINUE : v;
}

uint32_t acl_backend_l6(struct stream *s)
{
	if (!acl_has_switching(s->rt, s->frontend))
		return s->rt->proxies[s->frontend].backend;
	return acl_switch_l6(s, 1);
}

enum acl_verdict acl_response(struct stream *s, int final)
{
	const struct plan *p = s->rt->plan;
	const struct stream_buf *b = &s->side[STREAM_SRV].in;
	struct acl_conn c;
	uint32_t first, n;
	static const uint8_t none[1];

	n = plan_tcp_rules_of(p, s->backend, PLAN_TCP_RESPONSE, &first);
	acl_stream_ctx(s, 0, final || s->side[STREAM_SRV].eof_in ||
	               (b->data && b->len == STREAM_BUFSZ), &c);
	c.fd = s->side[STREAM_SRV].conn.fd;
	c.res = 1;
	c.buf = b->data ? (const uint8_t *)b->data + b->head : none;
	/* the server's first bytes: the ring has not wrapped yet */
	c.len = b->data ? (b->head + b->len <= STREAM_BUFSZ ? b->len :
	                   STREAM_BUFSZ - b->head) : 0;
	return acl_run(s->rt, first, n, &c, NULL);
}

uint32_t acl_backend(struct stream *s)
{
	struct runtime *rt = s->rt;

	/* accept-proxy: switching waits for the header's addresses, unless
	 * they came already (before a TLS handshake) */
	if (!acl_has_switching(rt, s->frontend) ||
	    ((rt->plan->listeners[s->listener].flags & PLAN_LSN_F_ACCEPT_PROXY) &&
	     !(s->side[STREAM_CLI].conn.flags & CONN_F_PROXY)))
		return rt->proxies[s->frontend].backend;
	return acl_switch(s);
}

void acl_backend_after_proxy(struct stream *s)
{
	struct runtime *rt = s->rt;
	uint32_t be;

	if (!acl_has_switching(rt, s->frontend))
		return;
	be = acl_switch(s);
	if (be == s->backend)
		return;
	gen_lock(rt);
	if (s->backend != PLAN_NONE)
		rt->proxies[s->backend].beconn--;
	if (be != PLAN_NONE)
		rt->proxies[be].beconn++;
	gen_unlock(rt);
	s->backend = be;
}
