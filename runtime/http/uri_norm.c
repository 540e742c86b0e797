/*
 * uri_norm.c: `http-request normalize-uri` (see uri_norm.h). Results
 * follow HAProxy's, checked side by side with HAProxy 2.6 (test/
 * integration/http_normalize.py holds the cases), including where they
 * go beyond RFC 3986: a ".." that has nothing left to merge with is kept
 * as "../" (always with its slash), and query-sort-by-name drops the
 * empty parameter after a trailing '&'.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "plan-t.h"
#include "uri_norm.h"

/* The output being written: out[0..n) of cap bytes. */
struct un_out {
	char *b;
	size_t n, cap;
	int full;                   /* a write did not fit */
};

static void un_put(struct un_out *o, const char *s, size_t len)
{
	if (len > o->cap - o->n) {
		o->full = 1;
		return;
	}
	memcpy(o->b + o->n, s, len);
	o->n += len;
}

static int un_hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' :
	       c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* RFC 3986 2.3: ALPHA / DIGIT / "-" / "." / "_" / "~" */
static int un_unreserved(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~';
}

/* The segments of path p[0..plen) after its leading '/': each is given
 * with `slash` set when a '/' follows it. */
struct un_seg {
	const char *s;
	size_t len;
	int slash;
};

static int un_next_seg(const char *p, size_t plen, size_t *pos,
                       struct un_seg *seg)
{
	const char *e;

	if (*pos >= plen)
		return 0;
	e = memchr(p + *pos, '/', plen - *pos);
	seg->s = p + *pos;
	seg->len = e ? (size_t)(e - seg->s) : plen - *pos;
	seg->slash = e != NULL;
	*pos += seg->len + (e != NULL);
	return 1;
}

static int un_is(const struct un_seg *seg, const char *lit)
{
	return seg->len == strlen(lit) && !memcmp(seg->s, lit, seg->len);
}

/* path-strip-dot: "." segments go, with the slash after them. */
static void un_dot(const char *p, size_t plen, struct un_out *o)
{
	struct un_seg seg;
	size_t pos = 1;

	un_put(o, "/", 1);
	while (un_next_seg(p, plen, &pos, &seg))
		if (!un_is(&seg, ".")) {
			un_put(o, seg.s, seg.len);
			if (seg.slash)
				un_put(o, "/", 1);
		}
}

/* The output's last segment is a kept "../" (root at base). */
static int un_top_is_dotdot(const struct un_out *o, size_t base)
{
	return o->n >= base + 4 && !memcmp(o->b + o->n - 3, "../", 3) &&
	       o->b[o->n - 4] == '/';
}

/* path-strip-dotdot: a ".." segment removes the segment before it
 * (what the output holds is always whole segments ending in '/');
 * with none left it stays as "../", or goes under `full`. */
static void un_dotdot(const char *p, size_t plen, int full, struct un_out *o)
{
	struct un_seg seg;
	size_t pos = 1, base = o->n;

	un_put(o, "/", 1);
	while (!o->full && un_next_seg(p, plen, &pos, &seg)) {
		if (!un_is(&seg, "..")) {
			un_put(o, seg.s, seg.len);
			if (seg.slash)
				un_put(o, "/", 1);
			continue;
		}
		if (o->n > base + 1 && !un_top_is_dotdot(o, base)) {
			size_t k = o->n - 1;    /* the last segment's '/' */

			while (k > base && o->b[k - 1] != '/')
				k--;
			o->n = k;
		} else if (!full) {
			un_put(o, "../", 3);
		}
	}
}

/* path-merge-slashes */
static void un_merge(const char *p, size_t plen, struct un_out *o)
{
	for (size_t i = 0; i < plen; i++)
		if (p[i] != '/' || !i || p[i - 1] != '/')
			un_put(o, p + i, 1);
}

/* percent-to-uppercase and percent-decode-unreserved on the whole
 * input: -1 for an invalid sequence under strict. */
static int un_percent(const char *in, size_t len, int decode, int strict,
                      struct un_out *o)
{
	for (size_t i = 0; i < len; i++) {
		int hi, lo;

		if (in[i] != '%') {
			un_put(o, in + i, 1);
			continue;
		}
		hi = i + 1 < len ? un_hex(in[i + 1]) : -1;
		lo = i + 2 < len ? un_hex(in[i + 2]) : -1;
		if (hi < 0 || lo < 0) {
			if (strict)
				return -1;
			un_put(o, "%", 1);
			continue;
		}
		if (decode && un_unreserved(hi * 16 + lo)) {
			char c = (char)(hi * 16 + lo);

			un_put(o, &c, 1);
		} else if (decode) {
			un_put(o, in + i, 3);
		} else {
			static const char hex[] = "0123456789ABCDEF";
			char t[3] = { '%', hex[hi], hex[lo] };

			un_put(o, t, 3);
		}
		i += 2;
	}
	return 0;
}

/* A query parameter: its bytes, the length of its name, its place. */
struct un_param {
	const char *s;
	size_t len, nlen, idx;
};

static int un_param_cmp(const void *a, const void *b)
{
	const struct un_param *x = a, *y = b;
	size_t n = x->nlen < y->nlen ? x->nlen : y->nlen;
	int c = memcmp(x->s, y->s, n);

	if (c)
		return c;
	if (x->nlen != y->nlen)
		return x->nlen < y->nlen ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* query-sort-by-name on q[0..qlen) (after the '?'): parameters split at
 * '&', none after a trailing '&', sorted by name, stable. */
static void un_query_sort(const char *q, size_t qlen, struct un_out *o)
{
	struct un_param *ps;
	size_t n = 0, pos = 0, cnt = 1;

	for (size_t i = 0; i < qlen; i++)
		cnt += q[i] == '&';
	if (!qlen || !(ps = calloc(cnt, sizeof(*ps)))) {
		un_put(o, q, qlen);
		return;
	}
	while (pos < qlen) {
		const char *e = memchr(q + pos, '&', qlen - pos);
		const char *eq;

		ps[n].s = q + pos;
		ps[n].len = e ? (size_t)(e - ps[n].s) : qlen - pos;
		eq = memchr(ps[n].s, '=', ps[n].len);
		ps[n].nlen = eq ? (size_t)(eq - ps[n].s) : ps[n].len;
		ps[n].idx = n;
		pos += ps[n].len + (e != NULL);
		n++;
	}
	qsort(ps, n, sizeof(*ps), un_param_cmp);
	for (size_t i = 0; i < n; i++) {
		if (i)
			un_put(o, "&", 1);
		un_put(o, ps[i].s, ps[i].len);
	}
	free(ps);
}

long uri_normalize(uint32_t norm, uint32_t flags, const char *in, size_t len,
                   char *out, size_t cap)
{
	struct un_out o = { out, 0, cap, 0 };
	const char *qm = memchr(in, '?', len);
	size_t plen = qm ? (size_t)(qm - in) : len;
	int path_op = norm == PLAN_URINORM_MERGE_SLASHES ||
	              norm == PLAN_URINORM_DOT || norm == PLAN_URINORM_DOTDOT;

	if (path_op && (!plen || in[0] != '/'))
		path_op = 0, norm = PLAN_URINORM_MAX;  /* no path: unchanged */
	switch (norm) {
	case PLAN_URINORM_FRAGMENT_ENCODE:
		for (size_t i = 0; i < len; i++)
			un_put(&o, in[i] == '#' ? "%23" : in + i, in[i] == '#' ? 3 : 1);
		break;
	case PLAN_URINORM_FRAGMENT_STRIP: {
		const char *h = memchr(in, '#', len);

		un_put(&o, in, h ? (size_t)(h - in) : len);
		break;
	}
	case PLAN_URINORM_MERGE_SLASHES:
		un_merge(in, plen, &o);
		break;
	case PLAN_URINORM_DOT:
		un_dot(in, plen, &o);
		break;
	case PLAN_URINORM_DOTDOT:
		un_dotdot(in, plen, !!(flags & PLAN_HR_F_NORM_FULL), &o);
		break;
	case PLAN_URINORM_PCT_DECODE:
	case PLAN_URINORM_PCT_UPPER:
		if (un_percent(in, len, norm == PLAN_URINORM_PCT_DECODE,
		               !!(flags & PLAN_HR_F_NORM_STRICT), &o) < 0)
			return URI_NORM_INVALID;
		break;
	case PLAN_URINORM_QUERY_SORT:
		un_put(&o, in, plen);
		if (qm) {
			un_put(&o, "?", 1);
			un_query_sort(qm + 1, len - plen - 1, &o);
		}
		break;
	default:
		un_put(&o, in, len);
		break;
	}
	if (path_op)
		un_put(&o, in + plen, len - plen);    /* the query, unchanged */
	return o.full ? URI_NORM_NOSPACE : (long)o.n;
}
