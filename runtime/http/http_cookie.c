/*
 * http_cookie.c: cookie-based server persistence, as HAProxy does it.
 *
 * Request side: the first cookie named NAME in the request's Cookie lines
 * names a server of the backend by its `cookie VALUE` (in prefix mode,
 * the part of the value before '~'). A server that is UP and not in
 * maintenance (drain is fine) gets the request (s->want_srv, honoured by
 * stream_dispatch()); any other request is balanced. Response side: the
 * server's own Set-Cookie NAME is removed (insert, or indirect on a
 * request that came by cookie, unless preserve), rewritten to the
 * server's value (rewrite) or prefixed with "VALUE~" (prefix); insert
 * adds "Set-Cookie: NAME=VALUE; path=/..." unless the request already
 * came to this server by its cookie.
 *
 * With maxidle/maxlife the inserted value carries its dates,
 * "VALUE|LAST[|FIRST]", in HAProxy's encoding; a cookie too old is
 * ignored, one seen again is refreshed.
 *
 * The log's %tsc cookie characters (HAProxy's manual 8.5): request N
 * (none), I (unknown server), D (server down), V (valid), E (idle too
 * long), O (too old); response N (none), P (server's kept), D (removed),
 * I (inserted), U (dates updated), R (rewritten).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "h1.h"
#include "http_conf.h"
#include "http_cookie.h"
#include "http_rules.h"
#include "http_txn-t.h"
#include "plan.h"
#include "server-t.h"
#include "stream-t.h"
#include "stream.h"
#include "thread-t.h"
#include "thread.h"

#define HTTP_COOKIE_LINE_MAX 1024u  /* bytes of a Cookie line we rewrite
                                       (longer ones are only read) */

/* One item "name=value" of a cookie list, offsets into the line. */
struct http_ck_item {
	size_t beg, end;            /* the item, spaces trimmed */
	size_t name_end;            /* end of the name */
	size_t val_beg;             /* value start (== end when none) */
};

static int http_ck_space(char c)
{
	return c == ' ' || c == '\t';
}

/* The item of v[0..len) starting at *pos (then moved past its ';'); 0 at
 * the end of the list. */
static int http_ck_next(const char *v, size_t len, size_t *pos,
                        struct http_ck_item *it)
{
	size_t p = *pos, e;
	const char *eq;

	while (p < len && (http_ck_space(v[p]) || v[p] == ';'))
		p++;
	if (p >= len)
		return 0;
	e = p;
	while (e < len && v[e] != ';')
		e++;
	*pos = e;
	while (e > p && http_ck_space(v[e - 1]))
		e--;
	it->beg = p;
	it->end = e;
	eq = memchr(v + p, '=', e - p);
	it->name_end = eq ? (size_t)(eq - v) : e;
	while (it->name_end > p && http_ck_space(v[it->name_end - 1]))
		it->name_end--;
	it->val_beg = eq ? (size_t)(eq - v) + 1 : e;
	while (it->val_beg < e && http_ck_space(v[it->val_beg]))
		it->val_beg++;
	return 1;
}

/* 1 when the item's name is the persistence cookie's (case matters). */
static int http_ck_is(const char *v, const struct http_ck_item *it,
                      const char *name, size_t nl)
{
	return it->name_end - it->beg == nl && memcmp(v + it->beg, name, nl) == 0;
}

/* The server of backend be whose cookie value is val[0..vl), or PLAN_NONE. */
static uint32_t http_ck_server(const struct plan *p, uint32_t be,
                               const char *val, size_t vl)
{
	const struct plan_proxy *px = &p->proxies[be];

	for (uint32_t i = 0; i < px->nservers; i++) {
		uint32_t srv = px->first_server + i;
		struct plan_str c = p->servers[srv].cookie;

		if (c.len && c.len == vl &&
		    memcmp(plan_str_get(p, c), val, vl) == 0)
			return srv;
	}
	return PLAN_NONE;
}

/* The value of header line i of m (received in buf) when it is still
 * sent (e) and named hn (any case), its length in *len; else NULL. */
static const char *http_ck_value(const char *buf, const struct h1_msg *m,
                                 const struct http_edits *e, uint32_t i,
                                 const char *hn, size_t hl, size_t *len)
{
	if (i >= e->ndel || e->del[i] ||
	    !h1_name_eq(buf + m->hdrs[i].name.off, m->hdrs[i].name.len, hn, hl))
		return NULL;
	*len = m->hdrs[i].value.len;
	return buf + m->hdrs[i].value.off;
}

/* Replace header line i of m by "name: v" (v[0..vl)), or drop it when vl
 * is 0. When the new line does not fit in the edit list, the old one
 * stays (the request or response is not refused for it). */
static void http_ck_replace(struct http_edits *e, uint32_t i,
                            const char *name, size_t nl,
                            const char *v, size_t vl)
{
	uint16_t overflow = e->overflow;

	if (vl && http_edits_add(e, name, nl, v, vl) < 0) {
		e->overflow = overflow;
		return;
	}
	e->del[i] = 1;
}

/* 1 when the backend's cookie setup shows in the log (HAProxy: a mode or
 * indirect; plain passive persistence shows '-'). */
static int http_ck_logged(const struct plan_http *h)
{
	return h->cookie_name.len &&
	       (h->cookie_mode != PLAN_COOKIE_PASSIVE ||
	        (h->cookie_flags & PLAN_COOKIE_F_INDIRECT));
}

/* Server srv may take a request by its cookie: UP, not in maintenance,
 * an address. Takes the generation lock. */
static int http_ck_srv_ok(struct runtime *rt, uint32_t srv)
{
	int ok;

	gen_lock(rt);
	ok = stream_srv_persist_ok(rt, srv);
	gen_unlock(rt);
	return ok;
}

/* The alphabet of the dates in inserted cookies (HAProxy's). */
static const char http_ck_b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "abcdefghijklmnopqrstuvwxyz0123456789+/";

/* The 30-bit value of 5 base64 characters (A-Z a-z 0-9 + /, most
 * significant first), -1 when one is out of the alphabet. */
static long http_ck_b64_30(const char *in)
{
	long v = 0;

	for (int i = 0; i < 5; i++) {
		const char *c = in[i] ? strchr(http_ck_b64, in[i]) : NULL;

		if (!c)
			return -1;
		v = (v << 6) | (long)(c - http_ck_b64);
	}
	return v;
}

/* The 5 base64 characters of the low 30 bits of v, into out. */
static void http_ck_30_b64(uint32_t v, char *out)
{
	for (int i = 0; i < 5; i++)
		out[i] = http_ck_b64[(v >> (24 - 6 * i)) & 0x3f];
}

/*
 * The dates after the server's value in an inserted cookie,
 * "VALUE|LAST[|FIRST]" (each 5 characters: seconds since the epoch / 4),
 * into t->ck_last / t->ck_first (0 = none); returns the length of VALUE.
 */
static size_t http_ck_dates(struct http_txn *t, const char *val, size_t vl)
{
	const char *bar = memchr(val, '|', vl), *end = val + vl, *bar2;
	long d;

	if (!bar)
		return vl;
	if (end - (bar + 1) >= 5 && (d = http_ck_b64_30(bar + 1)) > 0)
		t->ck_last = (uint32_t)d << 2;
	bar2 = memchr(bar + 1, '|', (size_t)(end - (bar + 1)));
	if (bar2 && end - bar2 > 5 && (d = http_ck_b64_30(bar2 + 1)) > 0)
		t->ck_first = (uint32_t)d << 2;
	return (size_t)(bar - val);
}

/*
 * The cookie item val[0..vl) of the request of s: which server it names,
 * the request's cookie state (t->ck[0]) and s->want_srv; the first of
 * the request's persistence cookies only.
 */
static void http_ck_choose(struct stream *s, const struct plan_http *h,
                           const char *val, size_t vl)
{
	struct http_txn *t = s->txn;
	uint32_t now = (uint32_t)ev_now(s->thr->loop);
	const char *tilde;
	uint32_t srv;
	size_t sl = vl;

	if (h->cookie_mode == PLAN_COOKIE_PREFIX) {
		if ((tilde = memchr(val, '~', vl)) != NULL)
			sl = (size_t)(tilde - val);
	} else {
		sl = http_ck_dates(t, val, vl);
	}
	/* Too old (maxlife) or idle too long (maxidle), or more than a day
	 * in the future: as if there were no cookie. */
	if (t->ck_first && h->cookie_maxlife &&
	    ((int32_t)(now - t->ck_first) > (int32_t)h->cookie_maxlife ||
	     (int32_t)(t->ck_first - now) > 86400)) {
		t->ck[0] = 'O';
		t->ck_first = t->ck_last = 0;
		return;
	}
	if (t->ck_last && h->cookie_maxidle &&
	    ((int32_t)(now - t->ck_last) > (int32_t)h->cookie_maxidle ||
	     (int32_t)(t->ck_last - now) > 86400)) {
		t->ck[0] = 'E';
		t->ck_first = t->ck_last = 0;
		return;
	}
	srv = sl ? http_ck_server(s->rt->plan, s->backend, val, sl) : PLAN_NONE;
	if (srv == PLAN_NONE) {
		t->ck[0] = 'I';
	} else if (http_ck_srv_ok(s->rt, srv)) {
		t->ck[0] = 'V';
		s->want_srv = srv;
	} else {
		t->ck[0] = 'D';
	}
}

void http_cookie_req(struct stream *s, const char *buf,
                     const struct h1_msg *m, struct http_edits *e)
{
	const struct plan *p = s->rt->plan;
	const struct plan_http *h = http_conf(s->rt, s->backend);
	struct http_txn *t = s->txn;
	const char *name = plan_str_get(p, h->cookie_name);
	size_t nl = h->cookie_name.len;
	int drop = h->cookie_mode == PLAN_COOKIE_INSERT &&
	           (h->cookie_flags & PLAN_COOKIE_F_INDIRECT);
	int seen = 0;

	s->want_srv = PLAN_NONE;
	t->ck[0] = t->ck[1] = 'N';
	t->ck_last = t->ck_first = 0;
	if (!nl)
		return;
	for (uint32_t i = 0; i < m->nhdrs; i++) {
		size_t len = 0, pos = 0, n = 0;
		const char *v = http_ck_value(buf, m, e, i, "cookie", 6, &len);
		struct http_ck_item it;
		char nv[2 * HTTP_COOKIE_LINE_MAX]; /* "; " after each item:
		                               at most twice the line */
		int changed = 0;

		if (!v)
			continue;
		while (http_ck_next(v, len, &pos, &it)) {
			const char *val = v + it.val_beg, *tilde;
			size_t vl = it.end - it.val_beg, from = it.beg;

			if (http_ck_is(v, &it, name, nl)) {
				if (!seen++)
					http_ck_choose(s, h, val, vl);
				if (drop) {
					/* The server never sees the cookie. */
					changed = 1;
					continue;
				}
				if (h->cookie_mode == PLAN_COOKIE_PREFIX &&
				    (tilde = memchr(val, '~', vl)) != NULL) {
					/* The application sees its own value. */
					memcpy(nv + n, v + it.beg, it.val_beg - it.beg);
					n += it.val_beg - it.beg;
					from = (size_t)(tilde + 1 - v);
					changed = 1;
				}
			}
			if (len > HTTP_COOKIE_LINE_MAX)
				continue;       /* read, not rewritten */
			memcpy(nv + n, v + from, it.end - from);
			n += it.end - from;
			nv[n++] = ';';
			nv[n++] = ' ';
		}
		if (changed && len <= HTTP_COOKIE_LINE_MAX)
			http_ck_replace(e, i, "Cookie", 6, nv, n >= 2 ? n - 2 : 0);
	}
}

/* The Set-Cookie value insert mode adds for server srv, into out (cap
 * bytes); its length, 0 when it does not fit. */
static size_t http_ck_insert_value(const struct plan *p,
                                   const struct plan_http *h, uint32_t srv,
                                   const struct http_txn *t, uint32_t now,
                                   char *out, size_t cap)
{
	struct plan_str c = p->servers[srv].cookie;
	const char *name = plan_str_get(p, h->cookie_name);
	char dates[13] = "";
	size_t n = 0;
	int k;

	if (h->cookie_maxidle || h->cookie_maxlife) {
		/* "|LAST" (now), then with maxlife "|FIRST" (kept) */
		dates[0] = '|';
		http_ck_30_b64((now + 3) >> 2, dates + 1);
		if (h->cookie_maxlife) {
			dates[6] = '|';
			http_ck_30_b64(t->ck_first ? t->ck_first >> 2 :
			               (now + 3) >> 2, dates + 7);
		}
	}
	if (c.len)
		k = snprintf(out, cap, "%s=%s%s; path=/", name,
		             plan_str_get(p, c), dates);
	else    /* a server without a value: the client drops its cookie */
		k = snprintf(out, cap, "%s=; Expires=Thu, 01-Jan-1970 00:00:01 GMT; path=/",
		             name);
	if (k < 0 || (size_t)k >= cap)
		return 0;
	n = (size_t)k;
	for (int pass = 0; pass < 2; pass++) {
		struct plan_str l = pass ? h->cookie_attrs : h->cookie_domains;
		const char *w = plan_str_get(p, l), *end = w + l.len;

		while (l.len && w < end) {
			const char *nlp = memchr(w, '\n', (size_t)(end - w));
			size_t wl = nlp ? (size_t)(nlp - w) : (size_t)(end - w);

			k = snprintf(out + n, cap - n, "; %s%.*s",
			             pass ? "" : "domain=", (int)wl, w);
			if (k < 0 || (size_t)k >= cap - n)
				return 0;
			n += (size_t)k;
			w += wl + 1;
		}
		if (pass == 0) {
			k = snprintf(out + n, cap - n, "%s%s",
			             (h->cookie_flags & PLAN_COOKIE_F_HTTPONLY) ? "; HttpOnly" : "",
			             (h->cookie_flags & PLAN_COOKIE_F_SECURE) ? "; Secure" : "");
			if (k < 0 || (size_t)k >= cap - n)
				return 0;
			n += (size_t)k;
		}
	}
	return n;
}

void http_cookie_rsp(struct stream *s, const char *buf,
                     const struct h1_msg *m, struct http_edits *e)
{
	const struct plan *p = s->rt->plan;
	const struct plan_http *h = http_conf(s->rt, s->backend);
	uint32_t srv = s->server, fl = h->cookie_flags;
	const char *name = plan_str_get(p, h->cookie_name);
	size_t nl = h->cookie_name.len;
	struct http_txn *t = s->txn;
	struct plan_str sc = { 0, 0 };
	int direct = srv != PLAN_NONE && s->want_srv == srv;
	uint32_t now = (uint32_t)ev_now(s->thr->loop);
	int found = 0;
	char nv[HTTP_COOKIE_LINE_MAX];
	size_t n;

	t->ck[1] = 'N';
	if (!nl)
		return;
	if (srv != PLAN_NONE)
		sc = p->servers[srv].cookie;
	for (uint32_t i = 0; i < m->nhdrs; i++) {
		size_t len = 0, pos = 0;
		const char *v = http_ck_value(buf, m, e, i, "set-cookie", 10, &len);
		struct http_ck_item it;

		if (!v || !http_ck_next(v, len, &pos, &it) ||
		    !http_ck_is(v, &it, name, nl))
			continue;
		found = 1;
		t->ck[1] = 'P';
		if (fl & PLAN_COOKIE_F_PRESERVE)
			continue;
		if ((srv != PLAN_NONE && h->cookie_mode == PLAN_COOKIE_INSERT) ||
		    (direct && (fl & PLAN_COOKIE_F_INDIRECT))) {
			e->del[i] = 1;
			t->ck[1] = 'D';
		} else if (sc.len && (h->cookie_mode == PLAN_COOKIE_REWRITE ||
		                      h->cookie_mode == PLAN_COOKIE_PREFIX) &&
		           len + sc.len + 1 <= sizeof(nv)) {
			size_t keep = h->cookie_mode == PLAN_COOKIE_PREFIX ?
			              it.val_beg : it.end;

			/* rewrite: NAME=VALUE + the attributes; prefix:
			 * NAME=VALUE~ + the server's value and attributes */
			memcpy(nv, v, it.val_beg);
			n = it.val_beg;
			memcpy(nv + n, plan_str_get(p, sc), sc.len);
			n += sc.len;
			if (h->cookie_mode == PLAN_COOKIE_PREFIX)
				nv[n++] = '~';
			memcpy(nv + n, v + keep, len - keep);
			n += len - keep;
			http_ck_replace(e, i, "Set-Cookie", 10, nv, n);
			t->ck[1] = 'R';
		}
	}
	/* Insert unless the client came here by a cookie whose dates
	 * need no refresh: maxidle's last date passed, maxlife's first date
	 * to set or to drop. */
	if (srv == PLAN_NONE || h->cookie_mode != PLAN_COOKIE_INSERT ||
	    (found && (fl & PLAN_COOKIE_F_PRESERVE)) ||
	    ((fl & PLAN_COOKIE_F_POSTONLY) && t->req_meth != H1_M_POST) ||
	    (direct &&
	     !((h->cookie_maxidle || t->ck_last) &&
	       (!t->ck_last || (int32_t)(t->ck_last - now) < 0)) &&
	     !(h->cookie_maxlife && !t->ck_first) &&
	     !(!h->cookie_maxlife && t->ck_first)))
		return;
	n = http_ck_insert_value(p, h, srv, t, now, nv, sizeof(nv));
	if (!n || http_edits_add(e, "Set-Cookie", 10, nv, n) < 0)
		return;
	t->ck[1] = direct && sc.len ? 'U' : 'I';
	if (fl & PLAN_COOKIE_F_NOCACHE)
		(void)http_edits_add(e, "Cache-control", 13, "private", 7);
}

void http_cookie_log(const struct stream *s, char out[2])
{
	const struct http_txn *t = s->txn;

	if (s->backend == PLAN_NONE ||
	    !http_ck_logged(http_conf(s->rt, s->backend))) {
		out[0] = out[1] = '-';
		return;
	}
	out[0] = t->ck[0] ? t->ck[0] : 'N';
	out[1] = t->ck[1] ? t->ck[1] : 'N';
}
