/*
 * http_head.c: the heads cfgrun sends on, built from the head received
 * (never moved) and the edit list: what the rules asked, then what the
 * proxy itself changes: hop-by-hop headers out, one Content-Length where
 * the parser merged or dropped some, X-Forwarded-For / X-Original-To,
 * and the Connection header the chosen connection modes call for.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "h1.h"
#include "http_conf.h"
#include "http_head.h"
#include "http_rules.h"
#include "http_txn-t.h"
#include "stream-t.h"

/* 1 when address a is inside the `except` network n. */
static int http_net_has(const struct plan_http_net *n,
                        const struct sockaddr_storage *a)
{
	const uint8_t *ip;
	unsigned bits, full;

	if (n->family == PLAN_FAM_INET && a->ss_family == AF_INET)
		ip = (const uint8_t *)&((const struct sockaddr_in *)a)->sin_addr;
	else if (n->family == PLAN_FAM_INET6 && a->ss_family == AF_INET6)
		ip = ((const struct sockaddr_in6 *)a)->sin6_addr.s6_addr;
	else
		return 0;
	bits = n->prefix;
	full = bits / 8;
	if (memcmp(ip, n->ip, full))
		return 0;
	if (bits % 8) {
		uint8_t mask = (uint8_t)(0xff << (8 - bits % 8));

		if ((ip[full] & mask) != n->ip[full])
			return 0;
	}
	return 1;
}

/* The IP of address a as text ("" when not IP). */
static size_t http_ip_text(const struct sockaddr_storage *a, char *out,
                           size_t len)
{
	out[0] = '\0';
	if (a->ss_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)a)->sin_addr,
		          out, (socklen_t)len);
	else if (a->ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)a)->sin6_addr,
		          out, (socklen_t)len);
	return strlen(out);
}

/* The header option (forwardfor or originalto) that applies to a request
 * through fe and be: which record's header name, or NULL when neither
 * asks (or `except` covers the address). */
static const struct plan_http *http_fwd_pick(const struct runtime *rt,
                                             uint32_t fe, uint32_t be,
                                             uint32_t flag,
                                             const struct sockaddr_storage *a,
                                             int *if_none)
{
	const struct plan_http *f = http_conf(rt, fe);
	const struct plan_http *b = be != PLAN_NONE ? http_conf(rt, be) : NULL;
	const struct plan_http *use = NULL;
	int asks_f = (f->flags & flag) != 0, asks_b = b && (b->flags & flag);

	if (asks_b)
		use = b;
	else if (asks_f)
		use = f;
	if (!use)
		return NULL;
	if (flag == PLAN_HTTP_F_FORWARDFOR)
		*if_none = (!asks_f || (f->flags & PLAN_HTTP_F_FF_IF_NONE)) &&
		           (!asks_b || (b->flags & PLAN_HTTP_F_FF_IF_NONE));
	if ((asks_f && http_net_has(flag == PLAN_HTTP_F_FORWARDFOR ?
	                            &f->ff_except : &f->ot_except, a)) ||
	    (asks_b && http_net_has(flag == PLAN_HTTP_F_FORWARDFOR ?
	                            &b->ff_except : &b->ot_except, a)))
		return NULL;
	return use;
}

/* Drop the hop-by-hop lines and settle Content-Length. */
static void http_hop_edits(struct http_edits *e, const char *buf,
                           const struct h1_msg *m)
{
	char n[24];
	int len;

	http_edits_del(e, buf, m, "connection", 10);
	http_edits_del(e, buf, m, "proxy-connection", 16);
	http_edits_del(e, buf, m, "keep-alive", 10);
	if (m->flags & (H1_F_CLEN_DROPPED | H1_F_CLEN_MULTI))
		http_edits_del(e, buf, m, "content-length", 14);
	if ((m->flags & H1_F_CLEN_MULTI) && !(m->flags & H1_F_CLEN_DROPPED)) {
		len = snprintf(n, sizeof(n), "%llu", (unsigned long long)m->clen);
		(void)http_edits_add(e, "content-length", 14, n, (size_t)len);
	}
}

/* Emit the head into side i's out_pre (appending to what is there). */
static int http_emit(struct stream *s, int i, const char *buf,
                     const struct h1_msg *m, char *out)
{
	struct stream_side *sd = &s->side[i];
	size_t n = http_edits_emit(&s->txn->w->edits, buf, m, out + sd->out_pre_len,
	                           STREAM_BUFSZ - sd->out_pre_len);

	if (!n || s->txn->w->edits.overflow)
		return -1;
	sd->out_pre_len += (uint32_t)n;
	return 0;
}

int http_req_proxy_edits(const struct runtime *rt, uint32_t fe, uint32_t be,
                         const struct sockaddr_storage *cli,
                         const struct sockaddr_storage *dst, const char *buf,
                         const struct h1_msg *m, struct http_edits *e)
{
	const struct plan_http *h;
	uint32_t mode = http_conn_mode(rt, fe, be);
	char ip[INET6_ADDRSTRLEN];
	size_t iplen;
	int if_none = 0;

	http_hop_edits(e, buf, m);
	h = http_fwd_pick(rt, fe, be, PLAN_HTTP_F_FORWARDFOR, cli, &if_none);
	if (h && (iplen = http_ip_text(cli, ip, sizeof(ip))) &&
	    !(if_none && h1_hdr_find(m, buf, plan_str_get(rt->plan, h->ff_header),
	                             h->ff_header.len, 0) >= 0))
		(void)http_edits_add(e, plan_str_get(rt->plan, h->ff_header),
		                     h->ff_header.len, ip, iplen);
	h = dst ? http_fwd_pick(rt, fe, be, PLAN_HTTP_F_ORIGINALTO, dst,
	                        &if_none) : NULL;
	if (h && (iplen = http_ip_text(dst, ip, sizeof(ip))))
		(void)http_edits_add(e, plan_str_get(rt->plan, h->ot_header),
		                     h->ot_header.len, ip, iplen);
	if ((m->flags & H1_F_CONN_UPGRADE) && (m->flags & H1_F_UPGRADE)) {
		(void)http_edits_add(e, "connection", 10, "upgrade", 7);
	} else if (m->version == 11 && m->meth != H1_M_CONNECT &&
	           mode == PLAN_HTTP_CONN_KEEPALIVE) {
		/* HTTP/1.1: kept unless told; under http-reuse never too, as
		 * HAProxy keeps it private to the client's session */
		return 1;
	} else {
		/* The server connection serves this request only. */
		(void)http_edits_add(e, "connection", 10, "close", 5);
	}
	return 0;
}

int http_req_head_out(struct stream *s, const char *buf,
                      const struct h1_msg *m, char *out)
{
	s->txn->srv_ka = (uint8_t)http_req_proxy_edits(s->rt, s->frontend,
	                                               s->backend, &s->cli_addr,
	                                               s->dst_addrlen ?
	                                               &s->dst_addr : NULL,
	                                               buf, m, &s->txn->w->edits);
	return http_emit(s, STREAM_SRV, buf, m, out);
}

int http_req_head_again(struct stream *s, char *out)
{
	return http_emit(s, STREAM_SRV, s->txn->w->req_head, &s->txn->w->req, out);
}

int http_rsp_head_out(struct stream *s, const char *buf,
                      const struct h1_msg *m, int interim, char *out)
{
	struct http_txn *t = s->txn;
	struct http_edits *e = &t->w->edits;

	http_hop_edits(e, buf, m);
	if (t->comp)    /* compressed: chunked, no length (http_comp.c) */
		http_edits_del(e, buf, m, "content-length", 14);
	if (m->status == 101)
		(void)http_edits_add(e, "connection", 10, "upgrade", 7);
	else if (!interim && t->cli_close)
		(void)http_edits_add(e, "connection", 10, "close", 5);
	else if (!interim && t->req_version == 10)
		(void)http_edits_add(e, "connection", 10, "keep-alive", 10);
	return http_emit(s, STREAM_CLI, buf, m, out);
}
