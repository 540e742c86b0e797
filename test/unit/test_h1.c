/*
 * test_h1.c: the HTTP/1.1 parser (runtime/http/h1.c).
 *
 * - every message shape, field by field (slices, flags, framing);
 * - the corpus of test/unit/h1-corpus: one file per case, expected verdict
 *   in verdicts.tsv, each fed whole, split in two at every byte and, for
 *   the body, one byte at a time: the same verdict each way;
 * - the body scanner: Content-Length counting, chunked across splits, bad
 *   framing, and what follows the message left untouched.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h1.h"

#ifndef H1_CORPUS_DIR
#define H1_CORPUS_DIR "test/unit/h1-corpus"
#endif

#define MAXH 64

static const struct h1_limits lim = { .max_head = 4096, .max_hdrs = 32 };
static struct h1_hdr hdrs[MAXH];

static enum h1_res parse(const char *s, size_t n, int resp, struct h1_msg *m)
{
	m->hdrs = hdrs;
	return h1_parse_head(s, n, resp, &lim, m);
}

static enum h1_res parse_str(const char *s, int resp, struct h1_msg *m)
{
	return parse(s, strlen(s), resp, m);
}

/* s[sl] equals the string want. */
static int slice_is(const char *s, struct h1_slice sl, const char *want)
{
	return sl.len == strlen(want) && !memcmp(s + sl.off, want, sl.len);
}

#define ck_slice(s, sl, want) \
	ck_assert_msg(slice_is((s), (sl), (want)), "slice [%u,+%u) is '%.*s', not '%s'", \
	              (sl).off, (sl).len, (int)(sl).len, (s) + (sl).off, (want))

/* ---- message shapes ------------------------------------------------------ */

START_TEST(t_origin_form)
{
	const char *s = "GET /p/a?q=1&r HTTP/1.1\r\nHost:  a.example \r\n"
	                "X-Empty:\r\nAccept:\t*/*\t\r\n\r\n";
	struct h1_msg m;

	ck_assert_int_eq(parse_str(s, 0, &m), H1_DONE);
	ck_assert_uint_eq(m.head_len, strlen(s));
	ck_assert_uint_eq(m.meth, H1_M_GET);
	ck_assert_uint_eq(m.version, 11);
	ck_slice(s, m.method, "GET");
	ck_slice(s, m.uri, "/p/a?q=1&r");
	ck_slice(s, m.path, "/p/a");
	ck_slice(s, m.query, "q=1&r");
	ck_assert_uint_eq(m.authority.len, 0);
	ck_assert(m.flags & H1_F_HAS_QUERY);
	ck_assert(m.flags & H1_F_HAS_HOST);
	ck_assert(!(m.flags & H1_F_ABS_URI));
	ck_assert_uint_eq(m.nhdrs, 3);
	ck_slice(s, m.hdrs[0].name, "Host");
	ck_slice(s, m.hdrs[0].value, "a.example");
	ck_slice(s, m.hdrs[1].name, "X-Empty");
	ck_slice(s, m.hdrs[1].value, "");
	ck_slice(s, m.hdrs[2].value, "*/*");
	ck_assert_uint_eq(m.body, H1_BODY_NONE);
	ck_assert_int_eq(h1_hdr_find(&m, s, "accept", 6, 0), 2);
	ck_assert_int_eq(h1_hdr_find(&m, s, "HOST", 4, 0), 0);
	ck_assert_int_eq(h1_hdr_find(&m, s, "host", 4, 1), -1);
	ck_assert_int_eq(h1_hdr_find(&m, s, "nope", 4, 0), -1);
}
END_TEST

START_TEST(t_query_empty_and_none)
{
	struct h1_msg m;
	const char *a = "GET /x? HTTP/1.1\r\n\r\n", *b = "GET /x HTTP/1.0\r\n\r\n";

	ck_assert_int_eq(parse_str(a, 0, &m), H1_DONE);
	ck_assert(m.flags & H1_F_HAS_QUERY);
	ck_assert_uint_eq(m.query.len, 0);
	ck_slice(a, m.path, "/x");
	ck_assert_int_eq(parse_str(b, 0, &m), H1_DONE);
	ck_assert(!(m.flags & H1_F_HAS_QUERY));
	ck_assert_uint_eq(m.version, 10);
}
END_TEST

START_TEST(t_absolute_form)
{
	const char *s = "GET http://user@a.example:80/x/y?z HTTP/1.1\r\n"
	                "Host: A.EXAMPLE\r\n\r\n";
	const char *t = "POST https://b.example HTTP/1.1\r\nContent-Length: 0\r\n\r\n";
	struct h1_msg m;

	ck_assert_int_eq(parse_str(s, 0, &m), H1_DONE);
	ck_assert(m.flags & H1_F_ABS_URI);
	ck_slice(s, m.authority, "a.example:80");
	ck_slice(s, m.path, "/x/y");
	ck_slice(s, m.query, "z");
	ck_assert_int_eq(parse_str(t, 0, &m), H1_DONE);
	ck_slice(t, m.authority, "b.example");
	ck_assert_uint_eq(m.path.len, 0);
	ck_assert_uint_eq(m.body, H1_BODY_CLEN);
	ck_assert_uint_eq(m.clen, 0);
	/* https default port against a Host naming the port */
	ck_assert_int_eq(parse_str("GET https://h/ HTTP/1.1\r\nHost: h:443\r\n\r\n",
	                           0, &m), H1_DONE);
	ck_assert_int_eq(parse_str("GET https://h/ HTTP/1.1\r\nHost: h:80\r\n\r\n",
	                           0, &m), H1_BAD);
	ck_assert_uint_eq(m.err_status, 400);
}
END_TEST

START_TEST(t_authority_asterisk)
{
	const char *s = "CONNECT a.example:8443 HTTP/1.1\r\n\r\n";
	struct h1_msg m;

	ck_assert_int_eq(parse_str(s, 0, &m), H1_DONE);
	ck_assert_uint_eq(m.meth, H1_M_CONNECT);
	ck_slice(s, m.authority, "a.example:8443");
	ck_assert_uint_eq(m.path.len, 0);
	ck_assert_uint_eq(m.body, H1_BODY_NONE);
	/* Host without a port stands for a default one only */
	ck_assert_int_eq(parse_str("CONNECT h:443 HTTP/1.1\r\nHost: h\r\n\r\n", 0, &m),
	                 H1_DONE);
	ck_assert_int_eq(parse_str("CONNECT h:8443 HTTP/1.1\r\nHost: h\r\n\r\n", 0, &m),
	                 H1_BAD);
	ck_assert_int_eq(parse_str("OPTIONS * HTTP/1.1\r\n\r\n", 0, &m), H1_DONE);
	ck_assert_uint_eq(m.path.len, 0);
	ck_assert_int_eq(parse_str("PRI * HTTP/1.1\r\n\r\n", 0, &m), H1_DONE);
	ck_assert_uint_eq(m.meth, H1_M_OTHER);
	ck_assert_int_eq(parse_str("OPTIONS *x HTTP/1.1\r\n\r\n", 0, &m), H1_BAD);
}
END_TEST

START_TEST(t_methods)
{
	static const struct { const char *line; uint32_t meth; } tab[] = {
		{ "GET / HTTP/1.1\r\n\r\n", H1_M_GET },
		{ "HEAD / HTTP/1.1\r\n\r\n", H1_M_HEAD },
		{ "POST / HTTP/1.1\r\n\r\n", H1_M_POST },
		{ "PUT / HTTP/1.1\r\n\r\n", H1_M_PUT },
		{ "DELETE / HTTP/1.1\r\n\r\n", H1_M_DELETE },
		{ "OPTIONS / HTTP/1.1\r\n\r\n", H1_M_OPTIONS },
		{ "TRACE / HTTP/1.1\r\n\r\n", H1_M_TRACE },
		{ "PATCH / HTTP/1.1\r\n\r\n", H1_M_PATCH },
		{ "get / HTTP/1.1\r\n\r\n", H1_M_OTHER },  /* case-sensitive */
		{ "PROPFIND / HTTP/1.1\r\n\r\n", H1_M_OTHER },
	};
	struct h1_msg m;
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		ck_assert_int_eq(parse_str(tab[i].line, 0, &m), H1_DONE);
		ck_assert_uint_eq(m.meth, tab[i].meth);
	}
}
END_TEST

START_TEST(t_response_shapes)
{
	const char *s = "HTTP/1.0 404 Not  Found\r\nContent-Length: 7\r\n\r\n";
	struct h1_msg m;

	ck_assert_int_eq(parse_str(s, 1, &m), H1_DONE);
	ck_assert_uint_eq(m.is_resp, 1);
	ck_assert_uint_eq(m.status, 404);
	ck_assert_uint_eq(m.version, 10);
	ck_slice(s, m.reason, "Not  Found");
	ck_assert_uint_eq(m.body, H1_BODY_CLEN);
	ck_assert_uint_eq(m.clen, 7);
	ck_assert_uint_eq(h1_resp_body(&m, H1_M_GET), H1_BODY_CLEN);
	ck_assert_uint_eq(h1_resp_body(&m, H1_M_HEAD), H1_BODY_NONE);
	/* a 2xx to CONNECT is a tunnel, a 4xx is not */
	ck_assert_uint_eq(h1_resp_body(&m, H1_M_CONNECT), H1_BODY_CLEN);
	ck_assert_int_eq(parse_str("HTTP/1.1 200 OK\r\n\r\n", 1, &m), H1_DONE);
	ck_assert_uint_eq(h1_resp_body(&m, H1_M_CONNECT), H1_BODY_NONE);
	ck_assert_uint_eq(h1_resp_body(&m, H1_M_GET), H1_BODY_EOF);
	ck_assert_int_eq(parse_str("HTTP/1.1 101 Switching Protocols\r\n"
	                           "Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
	                           1, &m), H1_DONE);
	ck_assert_uint_eq(h1_resp_body(&m, H1_M_GET), H1_BODY_NONE);
	ck_assert(m.flags & H1_F_UPGRADE);
	ck_assert(m.flags & H1_F_CONN_UPGRADE);
	ck_assert_int_eq(parse_str("HTTP/1.1 204 No Content\r\n"
	                           "Transfer-Encoding: chunked\r\n\r\n", 1, &m), H1_DONE);
	ck_assert_uint_eq(h1_resp_body(&m, H1_M_GET), H1_BODY_NONE);
	ck_assert_int_eq(parse_str("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
	                           1, &m), H1_DONE);
	ck_assert_uint_eq(h1_resp_body(&m, H1_M_POST), H1_BODY_CHUNKED);
	ck_assert_uint_eq(h1_resp_body(&m, H1_M_HEAD), H1_BODY_NONE);
	/* a response is refused with 502, whatever the rule */
	ck_assert_int_eq(parse_str("HTTP/1.1 200 OK\r\nX : y\r\n\r\n", 1, &m), H1_BAD);
	ck_assert_uint_eq(m.err_status, 502);
	/* Host in a response is just a header */
	ck_assert_int_eq(parse_str("HTTP/1.1 200 OK\r\nHost: a\r\nHost: b\r\n\r\n",
	                           1, &m), H1_DONE);
	ck_assert(!(m.flags & H1_F_HAS_HOST));
}
END_TEST

START_TEST(t_errors_located)
{
	struct h1_msg m;
	const char *s;

	s = "GET / HTTP/1.1\r\nHost : a\r\n\r\n";
	ck_assert_int_eq(parse_str(s, 0, &m), H1_BAD);
	ck_assert_uint_eq(m.err_off, 20);
	ck_assert_uint_eq(m.err_status, 400);
	ck_assert_ptr_nonnull(m.err);
	ck_assert_ptr_nonnull(strstr(m.err, "RFC 9112 5.1"));
	s = "GET /a\x7f HTTP/1.1\r\n\r\n";
	ck_assert_int_eq(parse_str(s, 0, &m), H1_BAD);
	ck_assert_uint_eq(m.err_off, 6);
	s = "GET / HTTP/1.1\r\nX: a\x00z\r\n\r\n";
	ck_assert_int_eq(parse(s, 26, 0, &m), H1_BAD);
	ck_assert_uint_eq(m.err_off, 20);
	ck_assert_ptr_nonnull(strstr(m.err, "NUL"));
	s = "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n";
	ck_assert_int_eq(parse_str(s, 0, &m), H1_BAD);
	ck_assert_uint_eq(m.err_off, 36);
	ck_assert_ptr_nonnull(strstr(m.err, "final coding"));
	/* an error is seen before the head is complete */
	ck_assert_int_eq(parse_str("GET / HTTP/1.1\r\nA\tB", 0, &m), H1_BAD);
	ck_assert_int_eq(parse_str("G@T", 0, &m), H1_BAD);
	ck_assert_uint_eq(m.err_off, 1);
}
END_TEST

START_TEST(t_more)
{
	const char *s = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
	struct h1_msg m;
	size_t i;

	for (i = 0; i < strlen(s); i++)
		ck_assert_int_eq(parse(s, i, 0, &m), H1_MORE);
	ck_assert_int_eq(parse(s, strlen(s), 0, &m), H1_DONE);
	/* the byte after a header line's LF decides on obs-fold */
	ck_assert_int_eq(parse_str("GET / HTTP/1.1\r\nX: y\r\n", 0, &m), H1_MORE);
}
END_TEST

START_TEST(t_limits)
{
	static char buf[8192];
	struct h1_limits l = { .max_head = 0, .max_hdrs = 3 };
	struct h1_msg m;
	const char *s = "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
	size_t n = strlen(s);

	m.hdrs = hdrs;
	l.max_head = (uint32_t)n;        /* exactly fits */
	ck_assert_int_eq(h1_parse_head(s, n, 0, &l, &m), H1_DONE);
	ck_assert_uint_eq(m.nhdrs, 3);
	l.max_head = (uint32_t)n - 1;    /* one byte short */
	ck_assert_int_eq(h1_parse_head(s, n, 0, &l, &m), H1_BAD);
	ck_assert_uint_eq(m.err_status, 431);
	ck_assert_int_eq(h1_parse_head(s, n - 2, 0, &l, &m), H1_MORE);
	l.max_head = 4096;
	l.max_hdrs = 2;
	ck_assert_int_eq(h1_parse_head(s, n, 0, &l, &m), H1_BAD);
	ck_assert_uint_eq(m.err_status, 431);
	ck_assert_uint_eq(m.err_off, 28);
	/* a request line that cannot end within max_head: 414 */
	memcpy(buf, "GET /", 5);
	memset(buf + 5, 'a', sizeof(buf) - 5);
	l.max_hdrs = 10;
	ck_assert_int_eq(h1_parse_head(buf, sizeof(buf), 0, &l, &m), H1_BAD);
	ck_assert_uint_eq(m.err_status, 414);
	ck_assert_int_eq(h1_parse_head(buf, 4095, 0, &l, &m), H1_MORE);
	/* a response too large: 502 */
	memcpy(buf, "HTTP/1.1 200 OK\r\nX: ", 20);
	ck_assert_int_eq(h1_parse_head(buf, sizeof(buf), 1, &l, &m), H1_BAD);
	ck_assert_uint_eq(m.err_status, 502);
}
END_TEST

START_TEST(t_flags_and_lists)
{
	const char *s = "GET / HTTP/1.1\r\nConnection: Keep-Alive , foo\r\n"
	                "connection: CLOSE\r\nExpect: 100-Continue\r\n\r\n";
	struct h1_msg m;

	ck_assert_int_eq(parse_str(s, 0, &m), H1_DONE);
	ck_assert_uint_eq(m.flags & (H1_F_CONN_CLOSE | H1_F_CONN_KEEPALIVE |
	                             H1_F_CONN_UPGRADE | H1_F_EXPECT_100),
	                  H1_F_CONN_CLOSE | H1_F_CONN_KEEPALIVE | H1_F_EXPECT_100);
	ck_assert(h1_list_has(s, m.hdrs[0].value, "foo", 3));
	ck_assert(h1_list_has(s, m.hdrs[0].value, "keep-alive", 10));
	ck_assert(!h1_list_has(s, m.hdrs[0].value, "keep", 4));
	ck_assert(!h1_list_has(s, m.hdrs[2].value, "100", 3));
	ck_assert(h1_name_eq("Content-Length", 14, "content-LENGTH", 14));
	ck_assert(!h1_name_eq("Content-Length", 14, "content-lengt", 13));
	/* Expect with something else is not 100-continue */
	ck_assert_int_eq(parse_str("PUT / HTTP/1.1\r\nExpect: 100-continue-x\r\n\r\n",
	                           0, &m), H1_DONE);
	ck_assert(!(m.flags & H1_F_EXPECT_100));
}
END_TEST

START_TEST(t_obs_fold_unfold)
{
	char s[] = "GET / HTTP/1.1\r\nX:\r\n  a\r\n\tb \r\nY: c\r\n\r\n";
	struct h1_msg m;

	ck_assert_int_eq(parse_str(s, 0, &m), H1_DONE);
	ck_assert(m.flags & H1_F_OBS_FOLD);
	ck_assert_uint_eq(m.nhdrs, 2);
	ck_slice(s, m.hdrs[0].value, "a\r\n\tb");
	ck_slice(s, m.hdrs[1].value, "c");
	h1_unfold(s, &m);
	ck_slice(s, m.hdrs[0].value, "a  \tb");
	ck_slice(s, m.hdrs[1].name, "Y");
	/* the framing headers are read through folds */
	ck_assert_int_eq(parse_str("POST / HTTP/1.1\r\nContent-Length:\r\n 4\r\n\r\n",
	                           0, &m), H1_DONE);
	ck_assert_uint_eq(m.clen, 4);
}
END_TEST

START_TEST(t_pipelined_heads)
{
	const char *s = "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\nX: y\r\n\r\nGARBAGE";
	struct h1_msg m;
	uint32_t first;

	ck_assert_int_eq(parse_str(s, 0, &m), H1_DONE);
	first = m.head_len;
	ck_assert_uint_eq(first, 19);
	ck_assert_int_eq(parse_str(s + first, 0, &m), H1_DONE);
	ck_slice(s + first, m.uri, "/2");
	ck_assert_uint_eq(m.head_len, 25);
	ck_assert_int_eq(parse_str(s + first + m.head_len, 0, &m), H1_MORE);
}
END_TEST

/* ---- the corpus ----------------------------------------------------------- */

struct verdict {
	int head;                 /* enum h1_res */
	unsigned status;
	int body;                 /* enum h1_body, -1 unless head DONE */
	unsigned long long clen;
	unsigned flags;
	int scan;                 /* enum h1_res of the body, -1: not run */
	unsigned long long total; /* payload bytes (scan DONE) */
	size_t rest;              /* bytes after the message (scan DONE) */
};

/* Invariants that hold whatever the input. */
static void check_invariants(const struct h1_msg *m, enum h1_res r, size_t len)
{
	uint32_t i;

	if (r == H1_BAD) {
		ck_assert_ptr_nonnull(m->err);
		ck_assert_uint_le(m->err_off, len);
		ck_assert(m->err_status == 400 || m->err_status == 414 ||
		          m->err_status == 431 || m->err_status == 502);
		return;
	}
	if (r != H1_DONE)
		return;
	ck_assert_uint_le(m->head_len, len);
	ck_assert_uint_le(m->nhdrs, lim.max_hdrs);
	for (i = 0; i < m->nhdrs; i++) {
		ck_assert_uint_le(m->hdrs[i].name.off + m->hdrs[i].name.len, m->head_len);
		ck_assert_uint_le(m->hdrs[i].value.off + m->hdrs[i].value.len, m->head_len);
		ck_assert_uint_gt(m->hdrs[i].name.len, 0);
	}
	ck_assert_uint_le(m->uri.off + m->uri.len, m->head_len);
	ck_assert_uint_le(m->reason.off + m->reason.len, m->head_len);
	if (!m->is_resp) {
		ck_assert_uint_gt(m->uri.len, 0);
		ck_assert_uint_ge(m->path.off, m->uri.off);
		ck_assert_uint_le(m->path.off + m->path.len, m->uri.off + m->uri.len);
		ck_assert_uint_le(m->query.off + m->query.len, m->uri.off + m->uri.len);
	}
}

/* Scan body bytes b[0..n) in pieces of at most step bytes (0: in two pieces
 * cut at split). */
static void scan_body(struct h1_body_state *bs, const char *b, size_t n,
                      size_t split, size_t step, struct verdict *v)
{
	size_t at = 0;

	v->scan = H1_MORE;
	while (at < n || v->scan == H1_MORE) {
		size_t piece = n - at, used = 0;
		enum h1_res r;

		if (step)
			piece = piece < step ? piece : step;
		else if (at < split)
			piece = split - at;
		r = h1_body_scan(bs, b + at, piece, &used);
		ck_assert_uint_le(used, piece);
		at += used;
		v->scan = r;
		if (r == H1_DONE) {
			v->total = bs->total;
			v->rest = n - at;
			return;
		}
		if (r == H1_BAD)
			return;
		ck_assert_uint_eq(used, piece);  /* MORE takes everything */
		if (at >= n)
			return;
	}
}

/* Parse buf as the corpus does: the head with split bytes first (then the
 * whole), then the rest as body, cut at split or fed step bytes at a time. */
static void run(const char *buf, size_t len, int resp, size_t split,
                size_t step, struct verdict *v)
{
	struct h1_msg m;
	struct h1_body_state bs;
	enum h1_res r = H1_MORE;

	memset(v, 0, sizeof(*v));
	v->body = v->scan = -1;
	if (split < len) {
		r = parse(buf, split, resp, &m);
		check_invariants(&m, r, split);
		if (r == H1_DONE)
			ck_assert_uint_le(m.head_len, split);
	}
	if (r == H1_MORE) {
		r = parse(buf, len, resp, &m);
		check_invariants(&m, r, len);
	}
	v->head = r;
	if (r == H1_BAD)
		v->status = m.err_status;
	if (r != H1_DONE)
		return;
	v->body = (int)(resp ? h1_resp_body(&m, H1_M_GET) : m.body);
	v->clen = m.clen;
	v->flags = m.flags;
	h1_body_init(&bs, (enum h1_body)v->body, m.clen);
	scan_body(&bs, buf + m.head_len, len - m.head_len,
	          split > m.head_len ? split - m.head_len : 0, step, v);
}

static const char *res_name(int r)
{
	return r == H1_DONE ? "DONE" : r == H1_MORE ? "MORE" : r == H1_BAD ? "BAD" : "-";
}

static const char *body_name(int b)
{
	static const char *const n[] = { "NONE", "CLEN", "CHUNKED", "EOF" };

	return b >= 0 && b <= 3 ? n[b] : "-";
}

static void verdict_eq(const struct verdict *a, const struct verdict *b,
                       const char *file, size_t split, size_t step)
{
	ck_assert_msg(a->head == b->head && a->status == b->status &&
	              a->body == b->body && a->clen == b->clen &&
	              a->flags == b->flags && a->scan == b->scan &&
	              a->total == b->total && a->rest == b->rest,
	              "%s split %zu step %zu: %s %u %s %llu 0x%x %s %llu %zu vs "
	              "%s %u %s %llu 0x%x %s %llu %zu", file, split, step,
	              res_name(a->head), a->status, body_name(a->body), a->clen,
	              a->flags, res_name(a->scan), a->total, a->rest,
	              res_name(b->head), b->status, body_name(b->body), b->clen,
	              b->flags, res_name(b->scan), b->total, b->rest);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int parse_res(const char *s)
{
	if (!strcmp(s, "DONE")) return H1_DONE;
	if (!strcmp(s, "MORE")) return H1_MORE;
	if (!strcmp(s, "BAD")) return H1_BAD;
	return -1;
}

static int parse_body(const char *s)
{
	int i;

	for (i = 0; i <= 3; i++)
		if (!strcmp(s, body_name(i)))
			return i;
	return -1;
}

START_TEST(t_corpus)
{
	char line[512], path[1024];
	FILE *f;
	int cases = 0, bad = 0;

	snprintf(path, sizeof(path), "%s/verdicts.tsv", H1_CORPUS_DIR);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	while (fgets(line, sizeof(line), f)) {
		char file[256], head[16], body[16], scan[32];
		struct verdict want, got;
		size_t len, split;
		char *buf;
		int resp;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		memset(&want, 0, sizeof(want));
		ck_assert_msg(sscanf(line, "%255s %15s %u %15s %llu %x %31s %zu", file,
		                     head, &want.status, body, &want.clen,
		                     &want.flags, scan, &want.rest) == 8,
		              "bad verdicts.tsv line: %s", line);
		want.head = parse_res(head);
		want.body = parse_body(body);
		if (!strncmp(scan, "DONE:", 5)) {
			want.scan = H1_DONE;
			want.total = strtoull(scan + 5, NULL, 10);
		} else {
			want.scan = parse_res(scan);
		}
		resp = strstr(file, ".rsp") != NULL;
		snprintf(path, sizeof(path), "%s/%s", H1_CORPUS_DIR, file);
		buf = read_file(path, &len);
		run(buf, len, resp, len, 0, &got);
		verdict_eq(&got, &want, file, len, 0);
		for (split = 0; split < len; split++) {
			run(buf, len, resp, split, 0, &got);
			verdict_eq(&got, &want, file, split, 0);
		}
		run(buf, len, resp, len, 1, &got);
		verdict_eq(&got, &want, file, len, 1);
		free(buf);
		cases++;
		bad += want.head == H1_BAD || want.scan == H1_BAD;
	}
	fclose(f);
	ck_assert_int_ge(cases, 40);
	ck_assert_int_ge(bad, 40);
}
END_TEST

/* ---- the body scanner ---------------------------------------------------- */

START_TEST(t_body_clen)
{
	struct h1_body_state b;
	size_t used;

	h1_body_init(&b, H1_BODY_CLEN, 10);
	ck_assert_int_eq(h1_body_scan(&b, "abcd", 4, &used), H1_MORE);
	ck_assert_uint_eq(used, 4);
	ck_assert_uint_eq(b.left, 6);
	ck_assert_int_eq(h1_body_scan(&b, "efghijKLM", 9, &used), H1_DONE);
	ck_assert_uint_eq(used, 6);
	ck_assert_uint_eq(b.total, 10);
	ck_assert_int_eq(h1_body_scan(&b, "KLM", 3, &used), H1_DONE);
	ck_assert_uint_eq(used, 0);
	h1_body_init(&b, H1_BODY_CLEN, 0);
	ck_assert_int_eq(h1_body_scan(&b, "x", 1, &used), H1_DONE);
	ck_assert_uint_eq(used, 0);
	h1_body_init(&b, H1_BODY_NONE, 0);
	ck_assert_int_eq(h1_body_scan(&b, "x", 1, &used), H1_DONE);
	ck_assert_uint_eq(used, 0);
	h1_body_init(&b, H1_BODY_EOF, 0);
	ck_assert_int_eq(h1_body_scan(&b, "xyz", 3, &used), H1_MORE);
	ck_assert_uint_eq(used, 3);
	ck_assert_uint_eq(b.total, 3);
	/* a huge length counts down without overflow */
	h1_body_init(&b, H1_BODY_CLEN, UINT64_MAX);
	ck_assert_int_eq(h1_body_scan(&b, "abc", 3, &used), H1_MORE);
	ck_assert_uint_eq(b.left, UINT64_MAX - 3);
}
END_TEST

static const char chunked_msg[] =
	"4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n"
	"0\r\nExpires: never\r\n\r\nNEXT";

START_TEST(t_body_chunked_splits)
{
	size_t n = sizeof(chunked_msg) - 1, i, j;

	/* every way of cutting it in three pieces */
	for (i = 0; i <= n; i++)
		for (j = i; j <= n; j++) {
			struct h1_body_state b;
			size_t cuts[4] = { 0, i, j, n }, at = 0, used, k;
			enum h1_res r = H1_MORE;

			h1_body_init(&b, H1_BODY_CHUNKED, 0);
			for (k = 0; k < 3 && r == H1_MORE; k++) {
				r = h1_body_scan(&b, chunked_msg + at,
				                 cuts[k + 1] - at, &used);
				at += used;
				if (r == H1_MORE)
					ck_assert_uint_eq(at, cuts[k + 1]);
			}
			ck_assert_int_eq(r, H1_DONE);
			ck_assert_uint_eq(at, n - 4);
			ck_assert_uint_eq(b.total, 23);
		}
}
END_TEST

/* The payload reader (h1_body_peek/eat) over every cut of the chunked
 * message in two, taking at most 3 payload bytes at a time: the payload
 * comes out whole, the framing never, and the end is where scan puts it;
 * a Content-Length body is shown and taken the same way. */
START_TEST(t_body_peek)
{
	size_t n = sizeof(chunked_msg) - 1;

	for (size_t cut = 0; cut <= n; cut++) {
		struct h1_body_state b;
		char payload[64];
		size_t plen = 0, at = 0, skip, avail;
		enum h1_res r = H1_MORE;

		h1_body_init(&b, H1_BODY_CHUNKED, 0);
		for (int guard = 0; r == H1_MORE && guard < 200; guard++) {
			size_t end = at < cut ? cut : n;

			r = h1_body_peek(&b, chunked_msg + at, end - at, &skip,
			                 &avail);
			at += skip;
			if (avail > 3)
				avail = 3;
			memcpy(payload + plen, chunked_msg + at, avail);
			plen += avail;
			at += avail;
			h1_body_eat(&b, avail);
		}
		ck_assert_int_eq(r, H1_DONE);
		ck_assert_uint_eq(at, n - 4);
		ck_assert_uint_eq(plen, 23);
		ck_assert(memcmp(payload, "Wikipedia in\r\n\r\nchunks.", 23) == 0);
	}
	{
		struct h1_body_state b;
		size_t skip, avail;

		h1_body_init(&b, H1_BODY_CLEN, 5);
		ck_assert_int_eq(h1_body_peek(&b, "abcdefg", 7, &skip, &avail),
		                 H1_MORE);
		ck_assert_uint_eq(skip, 0);
		ck_assert_uint_eq(avail, 5);
		h1_body_eat(&b, 5);
		ck_assert_int_eq(h1_body_peek(&b, "fg", 2, &skip, &avail), H1_DONE);
		ck_assert_uint_eq(avail, 0);
		h1_body_init(&b, H1_BODY_CHUNKED, 0);
		ck_assert_int_eq(h1_body_peek(&b, "5\r\nhelloX", 11, &skip,
		                              &avail), H1_MORE);
		ck_assert_uint_eq(skip, 3);
		h1_body_eat(&b, 5);
		ck_assert_int_eq(h1_body_peek(&b, "X", 1, &skip, &avail), H1_BAD);
	}
}
END_TEST

START_TEST(t_body_chunked_bad)
{
	static const char *const bad[] = {
		"x\r\n", "5\r\nhelloX", "5\r\nhello\rX", "5\nhello\n0\r\nT\r\n\r\n",
		"5;\x7f\r\n", "5 x\r\n", "0\r\n\x01", "0\r\n\r\r",
		"fffffffffffffffff\r\n", "0\r\nX: \x00\r\n\r\n",
	};
	size_t i, used;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct h1_body_state b;
		size_t n = strlen(bad[i]) + (i == 9 ? 5 : 0);

		h1_body_init(&b, H1_BODY_CHUNKED, 0);
		ck_assert_msg(h1_body_scan(&b, bad[i], n, &used) == H1_BAD,
		              "case %zu accepted", i);
		ck_assert_uint_lt(used, n);
		/* stays bad */
		ck_assert_int_eq(h1_body_scan(&b, "0\r\n\r\n", 5, &used), H1_BAD);
	}
}
END_TEST

START_TEST(t_body_chunked_big)
{
	struct h1_body_state b;
	size_t used;

	/* sizes up to 2^64 - 1, leading zeros or not; 2^64 is refused */
	h1_body_init(&b, H1_BODY_CHUNKED, 0);
	ck_assert_int_eq(h1_body_scan(&b, "fffffffffffffff\r\nab", 19, &used), H1_MORE);
	ck_assert_uint_eq(b.left, 0xfffffffffffffffULL - 2);
	ck_assert_uint_eq(b.total, 2);
	h1_body_init(&b, H1_BODY_CHUNKED, 0);
	ck_assert_int_eq(h1_body_scan(&b, "00000000000000000000FFFFFFFFFFFFFFFF\r\n", 38,
	                              &used), H1_MORE);
	ck_assert_uint_eq(b.left, UINT64_MAX);
	h1_body_init(&b, H1_BODY_CHUNKED, 0);
	ck_assert_int_eq(h1_body_scan(&b, "10000000000000000\r\n", 19, &used), H1_BAD);
	ck_assert_uint_eq(used, 16);
}
END_TEST

static Suite *h1_suite(void)
{
	Suite *s = suite_create("h1");
	TCase *tc = tcase_create("parser");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, t_origin_form);
	tcase_add_test(tc, t_query_empty_and_none);
	tcase_add_test(tc, t_absolute_form);
	tcase_add_test(tc, t_authority_asterisk);
	tcase_add_test(tc, t_methods);
	tcase_add_test(tc, t_response_shapes);
	tcase_add_test(tc, t_errors_located);
	tcase_add_test(tc, t_more);
	tcase_add_test(tc, t_limits);
	tcase_add_test(tc, t_flags_and_lists);
	tcase_add_test(tc, t_obs_fold_unfold);
	tcase_add_test(tc, t_pipelined_heads);
	tcase_add_test(tc, t_corpus);
	tcase_add_test(tc, t_body_clen);
	tcase_add_test(tc, t_body_chunked_splits);
	tcase_add_test(tc, t_body_chunked_bad);
	tcase_add_test(tc, t_body_peek);
	tcase_add_test(tc, t_body_chunked_big);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(h1_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
