/*
 * http_comp.c: HTTP response compression with zlib (gzip, deflate,
 * raw-deflate; identity passes the bytes through), as HAProxy's
 * compression filter decides it; see http_comp.h and doc/http.md.
 *
 * Memory: a response being compressed holds one deflate state, made
 * with HAProxy's zlib settings (window 2^15, memLevel 8): about 256 KB
 * for zlib's window and hash tables plus its 6 KB state, taken when the
 * response head is judged and given back when its last chunk is written
 * (or the stream ends). Nothing else is buffered: the payload is taken
 * from the server's buffer only as fast as the compressed chunks find
 * room in the client side's output buffer.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "h1.h"
#include "http_comp.h"
#include "http_conf.h"
#include "http_rules.h"
#include "plan.h"

/* Bytes of out room below which a chunk is not worth starting: its
 * framing and some data. */
#define COMP_MIN_ROOM 64u

/* How comp_put() ends what it wrote. */
enum comp_flush {
	COMP_MORE   = 0,            /* more input follows at once */
	COMP_SYNC   = 1,            /* input paused: everything so far out */
	COMP_FINISH = 2,            /* the body ended: the last chunk too */
};

struct http_comp {
	z_stream z;                 /* the deflate state (not identity) */
	uint8_t algo;               /* enum plan_comp_algo */
	uint8_t pending;            /* 1: the last call filled out: zlib may
	                               hold more output of that flush */
	uint8_t fed;                /* 1: input went in since the last
	                               completed flush */
	uint8_t done;               /* 1: the last chunk was written */
	uint64_t in;                /* payload bytes taken so far */
	uint64_t out;               /* bytes made, chunk framing excluded */
};

/* The name a client asks for in Accept-Encoding. */
static const char *comp_token(unsigned algo)
{
	switch (algo) {
	case PLAN_COMP_GZIP:        return "gzip";
	case PLAN_COMP_DEFLATE:
	case PLAN_COMP_RAW_DEFLATE: return "deflate";
	default:                    return "identity";
	}
}

/* 1 when a[0..al) equals the NUL-ended b, any case. */
static int comp_eq(const char *a, size_t al, const char *b)
{
	return h1_name_eq(a, al, b, strlen(b));
}

static int comp_lws(char c)
{
	return c == ' ' || c == '\t';
}

/* An RFC 9110 token byte. */
static int comp_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* HAProxy's q-value reading: "1", "0.5", "0.125" -> 0..1000 (a value it
 * cannot read counts as 1000). */
static int comp_qvalue(const char *q, const char *end)
{
	int v, scale = 100;

	if (q >= end || *q < '0' || *q > '9')
		return 1000;
	v = (*q++ - '0') * 1000;
	if (q < end && *q == '.')
		for (q++; q < end && scale && *q >= '0' && *q <= '9'; scale /= 10)
			v += (*q++ - '0') * scale;
	return v > 1000 ? 1000 : v;
}

/* The q of element el[0..len): its first ";q=" parameter, 1000 without. */
static int comp_elem_q(const char *el, size_t len, size_t toklen)
{
	const char *p = el + toklen, *end = el + len;

	for (;;) {
		while (p < end && comp_lws(*p))
			p++;
		if (p >= end || *p != ';')
			return 1000;
		p++;
		while (p < end && comp_lws(*p))
			p++;
		if (p >= end)
			return 1000;
		if (end - p >= 2 && p[0] == 'q' && p[1] == '=')
			return comp_qvalue(p + 2, end);
		while (p < end && *p != ';')
			p++;
	}
}

/* Calls fn on each comma-separated element (trimmed, non-empty) of every
 * line named `name`; stops when fn returns non-zero and returns that. */
typedef int (*comp_elem_fn)(const char *el, size_t len, void *arg);

static int comp_each(const char *buf, const struct h1_msg *m,
                     const struct http_edits *e, const char *name,
                     comp_elem_fn fn, void *arg)
{
	const char *v;
	uint32_t vl;
	int r;

	for (uint32_t k = 0; http_edits_line(buf, m, e, name, strlen(name), k,
	                                     &v, &vl); k++) {
		const char *p = v, *end = v + vl;

		while (p < end) {
			const char *s = p, *t;

			while (p < end && *p != ',')
				p++;
			t = p++;
			while (s < t && comp_lws(*s))
				s++;
			while (t > s && comp_lws(t[-1]))
				t--;
			if (t > s && (r = fn(s, (size_t)(t - s), arg)))
				return r;
		}
	}
	return 0;
}

struct comp_pick {
	const uint8_t *algos;       /* the proxy's list */
	unsigned best;              /* algorithm chosen so far */
	int best_q;                 /* its q (0: none, and q=0 is refused) */
};

static int comp_pick_elem(const char *el, size_t len, void *arg)
{
	struct comp_pick *p = arg;
	size_t toklen = 0;
	int q;

	while (toklen < len && comp_tchar((unsigned char)el[toklen]))
		toklen++;
	q = comp_elem_q(el, len, toklen);
	if (q <= p->best_q)
		return 0;
	for (int k = 0; k < PLAN_COMP_MAX_ALGOS && p->algos[k]; k++)
		if (el[0] == '*' || comp_eq(el, toklen, comp_token(p->algos[k]))) {
			p->best = p->algos[k];
			p->best_q = q;
			break;
		}
	return 0;
}

/* HAProxy leaves out old browsers: a User-Agent starting "Mozilla/4"
 * but MSIE 6 with SP2 ("SV1") and MSIE 7 and later. */
static int comp_old_browser(const char *ua, size_t n)
{
	if (n < 9 || memcmp(ua, "Mozilla/4", 9))
		return 0;
	if (n < 31 || memcmp(ua + 25, "MSIE ", 5) || ua[30] < '6')
		return 1;
	return ua[30] == '6' && (n < 54 || memcmp(ua + 51, "SV1", 3));
}

unsigned http_comp_req(const struct runtime *rt, uint32_t fe, uint32_t be,
                       const char *buf, const struct h1_msg *m,
                       struct http_edits *e)
{
	const struct plan_http *f = http_conf(rt, fe);
	const struct plan_http *b = be != PLAN_NONE ? http_conf(rt, be) : NULL;
	struct comp_pick p = { NULL, PLAN_COMP_NONE, 0 };
	const char *ua;
	uint32_t ual;

	if (b && b->comp_algos[0])
		p.algos = b->comp_algos;
	else if (f->comp_algos[0])
		p.algos = f->comp_algos;
	else
		return PLAN_COMP_NONE;
	if (http_edits_line(buf, m, e, "user-agent", 10, 0, &ua, &ual) &&
	    comp_old_browser(ua, ual))
		return PLAN_COMP_NONE;
	(void)comp_each(buf, m, e, "accept-encoding", comp_pick_elem, &p);
	if (p.best) {
		if ((f->comp_flags & PLAN_COMP_F_OFFLOAD) ||
		    (b && (b->comp_flags & PLAN_COMP_F_OFFLOAD)))
			http_edits_del(e, buf, m, "accept-encoding", 15);
		return p.best;
	}
	/* identity needs no header */
	for (int k = 0; k < PLAN_COMP_MAX_ALGOS && p.algos[k]; k++)
		if (p.algos[k] == PLAN_COMP_IDENTITY)
			return PLAN_COMP_IDENTITY;
	return PLAN_COMP_NONE;
}

static int comp_no_transform(const char *el, size_t len, void *arg)
{
	(void)arg;
	return comp_eq(el, len, "no-transform");
}

/* 1 when the Content-Type value v[0..n) starts with one of the types
 * ("t\n" entries) of the list, any case. */
static int comp_type_listed(const char *types, const char *v, size_t n)
{
	while (*types) {
		size_t k = strcspn(types, "\n");

		if (n >= k && h1_name_eq(v, k, types, k))
			return 1;
		types += k + (types[k] != 0);
	}
	return 0;
}

/* HAProxy's ETag check: 0 invalid, 1 strong ("..."), 2 weak (W/"..."). */
static int comp_etag_kind(const char *v, size_t n)
{
	if (n < 2 || v[n - 1] != '"')
		return 0;
	if (v[0] == '"')
		return 1;
	return n >= 3 && !memcmp(v, "W/\"", 3) ? 2 : 0;
}

/* A compressor for algo with the global tune.comp.maxlevel and
 * tune.zlib.* settings (HAProxy's defaults when unset: level 1, window
 * 2^15, memLevel 8); NULL without memory or when zlib refuses them (raw
 * deflate takes no window of 2^8): the response then goes unchanged, as
 * in HAProxy. */
static struct http_comp *comp_new(const struct plan_global *g, unsigned algo)
{
	struct http_comp *c = calloc(1, sizeof(*c));
	int level = g->tune_comp_maxlevel ? (int)g->tune_comp_maxlevel : 1;
	int mem = g->tune_zlib_memlevel ? (int)g->tune_zlib_memlevel : 8;
	int win = g->tune_zlib_windowsize ? (int)g->tune_zlib_windowsize :
	          MAX_WBITS;
	int bits = algo == PLAN_COMP_GZIP ? win + 16 :
	           algo == PLAN_COMP_RAW_DEFLATE ? -win : win;

	if (!c)
		return NULL;
	c->algo = (uint8_t)algo;
	if (algo != PLAN_COMP_IDENTITY &&
	    deflateInit2(&c->z, level, Z_DEFLATED, bits, mem,
	                 Z_DEFAULT_STRATEGY) != Z_OK) {
		free(c);
		return NULL;
	}
	return c;
}

struct http_comp *http_comp_rsp(const struct runtime *rt, uint32_t fe,
                                uint32_t be, unsigned algo,
                                uint32_t req_meth, unsigned req_version,
                                const char *buf, const struct h1_msg *m)
{
	const struct plan_http *f = http_conf(rt, fe);
	const struct plan_http *b = be != PLAN_NONE ? http_conf(rt, be) : NULL;
	const struct plan_str *types = b && b->comp_types.len ? &b->comp_types :
	                               f->comp_types.len ? &f->comp_types : NULL;
	uint32_t minsize = b && b->comp_minsize ? b->comp_minsize :
	                   f->comp_minsize;
	const char *v;
	uint32_t vl;

	if (algo == PLAN_COMP_NONE || req_version != 11 || m->version != 11 ||
	    req_meth == H1_M_HEAD || m->status < 200 || m->status > 203 ||
	    !(m->body == H1_BODY_CHUNKED ||
	      (m->body == H1_BODY_CLEN && m->clen && m->clen >= minsize)))
		return NULL;
	if (http_edits_line(buf, m, NULL, "content-encoding", 16, 0, &v, &vl) ||
	    comp_each(buf, m, NULL, "cache-control", comp_no_transform, NULL))
		return NULL;
	if (http_edits_line(buf, m, NULL, "etag", 4, 0, &v, &vl) &&
	    (!comp_etag_kind(v, vl) ||
	     http_edits_line(buf, m, NULL, "etag", 4, 1, &v, &vl)))
		return NULL;
	if (http_edits_line(buf, m, NULL, "content-type", 12, 0, &v, &vl)) {
		if (vl >= 9 && comp_eq(v, 9, "multipart"))
			return NULL;
		if (types && !comp_type_listed(plan_str_get(rt->plan, *types),
		                               v, vl))
			return NULL;
	} else if (types) {
		return NULL;    /* a type is required and there is none */
	}
	return comp_new(rt->plan->global, algo);
}

void http_comp_head(const struct http_comp *c, const char *buf,
                    const struct h1_msg *m, struct http_edits *e)
{
	const char *v;
	uint32_t vl;
	char tag[256];

	http_edits_del(e, buf, m, "content-length", 14);
	if (http_edits_line(buf, m, e, "etag", 4, 0, &v, &vl) &&
	    comp_etag_kind(v, vl) == 1 && vl + 2 < sizeof(tag)) {
		tag[0] = 'W';
		tag[1] = '/';
		memcpy(tag + 2, v, vl);
		http_edits_del(e, buf, m, "etag", 4);
		(void)http_edits_add(e, "etag", 4, tag, vl + 2);
	}
	if (!(m->flags & H1_F_HAS_TE))
		(void)http_edits_add(e, "transfer-encoding", 17, "chunked", 7);
	(void)http_edits_add(e, "vary", 4, "Accept-Encoding", 15);
	if (c->algo != PLAN_COMP_IDENTITY)
		(void)http_edits_add(e, "content-encoding", 16,
		                     comp_token(c->algo),
		                     strlen(comp_token(c->algo)));
}

/* The chunk-size line written in front of the data: 4 hex digits (the
 * data of one call is below 64 KB) and CRLF. */
#define COMP_HDR 6u

/*
 * Compress in[0..n) into out[0..cap) (cap >= COMP_MIN_ROOM) as chunked
 * framing; *used = input bytes taken. Returns the bytes written, or -1
 * on a zlib error. Called again (with the same flush and what is left)
 * while comp_owes() says output is waiting.
 */
static long comp_put(struct http_comp *c, const char *in, size_t n,
                     size_t *used, enum comp_flush flush, char *out,
                     size_t cap)
{
	size_t tail = 2 + (flush == COMP_FINISH ? 5 : 0);
	size_t room, data = 0;
	char hdr[24];

	*used = 0;
	if (c->done || cap < COMP_MIN_ROOM)
		return 0;
	room = cap - COMP_HDR - tail;
	if (room > 0xffff)
		room = 0xffff;
	if (c->algo == PLAN_COMP_IDENTITY) {
		data = n < room ? n : room;
		memcpy(out + COMP_HDR, in, data);
		*used = data;
		c->pending = 0;
		if (flush == COMP_FINISH && data < n)
			flush = COMP_MORE;     /* the end is not in yet */
	} else {
		int zf = flush == COMP_FINISH ? Z_FINISH :
		         flush == COMP_SYNC ? Z_SYNC_FLUSH : Z_NO_FLUSH;
		int r;

		c->z.next_in = (Bytef *)(uintptr_t)in;
		c->z.avail_in = (uInt)n;
		c->z.next_out = (Bytef *)out + COMP_HDR;
		c->z.avail_out = (uInt)room;
		r = deflate(&c->z, zf);
		if (r != Z_OK && r != Z_STREAM_END && r != Z_BUF_ERROR)
			return -1;
		*used = n - c->z.avail_in;
		data = room - c->z.avail_out;
		c->pending = c->z.avail_out == 0;
		if (*used)
			c->fed = 1;
		if (zf != Z_NO_FLUSH && !c->pending)
			c->fed = 0;
		if (flush == COMP_FINISH && r != Z_STREAM_END)
			flush = COMP_MORE;     /* zlib has more to give */
	}
	c->in += *used;
	c->out += data;
	if (!data && flush != COMP_FINISH)
		return 0;
	if (data) {
		snprintf(hdr, sizeof(hdr), "%04zx\r\n", data);
		memcpy(out, hdr, COMP_HDR);
		memcpy(out + COMP_HDR + data, "\r\n", 2);
		data += COMP_HDR + 2;
	}
	if (flush == COMP_FINISH) {
		memcpy(out + data, "0\r\n\r\n", 5);
		data += 5;
		c->done = 1;
		c->pending = 0;
	}
	return (long)data;
}

/* 1 while zlib holds output: of a flush that found no room, or of input
 * taken without a flush since (call again with COMP_SYNC). */
static int comp_owes(const struct http_comp *c)
{
	return c->pending || c->fed;
}

/* Drop the first n bytes of ring b (as http_stream.c's http_consume). */
static void comp_take(struct stream_buf *b, uint32_t n)
{
	b->len -= n;
	b->head = b->len ? (b->head + n) % STREAM_BUFSZ : 0;
}

int http_comp_fill(struct http_comp *c, struct h1_body_state *b,
                   struct stream_buf *in, char *out, uint32_t *out_len,
                   uint32_t cap, const char **why)
{
	for (;;) {
		size_t skip, avail, used = 0, n = 0;
		const char *seg = NULL;
		enum comp_flush fl;
		enum h1_res r;
		long k;

		if (cap - *out_len < COMP_MIN_ROOM)
			return 0;
		if (in->len) {
			seg = in->data + in->head;
			n = in->len;
			if (in->head + n > STREAM_BUFSZ)
				n = STREAM_BUFSZ - in->head;
		}
		r = h1_body_peek(b, seg, n, &skip, &avail);
		if (r == H1_BAD) {
			*why = "bad response body framing";
			return -1;
		}
		comp_take(in, (uint32_t)skip);
		seg = avail ? in->data + in->head : "";
		fl = r == H1_DONE ? COMP_FINISH :
		     avail && avail == in->len ? COMP_SYNC : COMP_MORE;
		if (!avail && r != H1_DONE) {
			if (skip)
				continue;   /* framing only: look further */
			if (!comp_owes(c))
				return 0;
			fl = COMP_SYNC;  /* the input paused: send it all */
		}
		k = comp_put(c, seg, avail, &used, fl, out + *out_len,
		                  cap - *out_len);
		if (k < 0) {
			*why = "compression failed";
			return -1;
		}
		h1_body_eat(b, used);
		comp_take(in, (uint32_t)used);
		*out_len += (uint32_t)k;
		if (c->done)
			return 1;
		if (!k && !used && !skip)
			return 0;
	}
}


int http_comp_done(const struct http_comp *c)
{
	return c->done;
}

uint64_t http_comp_in(const struct http_comp *c)
{
	return c->in;
}

uint64_t http_comp_out(const struct http_comp *c)
{
	return c->out;
}

void http_comp_free(struct http_comp *c)
{
	if (!c)
		return;
	if (c->algo != PLAN_COMP_IDENTITY)
		deflateEnd(&c->z);
	free(c);
}
