/*
 * fuzz_h1.c: fuzz target of the HTTP/1.1 parser (runtime/http/h1.c).
 *
 * Each input is parsed as a request and as a response, with a roomy and a
 * tight head limit; what follows a complete head is scanned as its body,
 * whole and one byte at a time. Any broken invariant aborts (a crash for
 * libFuzzer, a failure for fuzz_main):
 * - every offset the parser returns lies inside the bytes it was given,
 *   head_len <= len, a refusal carries a reason, an offset and a status;
 * - a prefix of the input gives H1_MORE or the very same verdict (the
 *   parser needs no state between calls);
 * - the body scanner takes at most what it is given, takes everything when
 *   it answers H1_MORE, and ends at the same byte with the same payload
 *   count however the bytes are cut;
 * - h1_unfold() leaves no CR or LF inside a header value.
 * Built by libFuzzer (clang -fsanitize=fuzzer, configure --enable-fuzzing)
 * or by fuzz_main.c, which feeds it files.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h1.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAXHDRS 32

#define FUZZ_NAME "fuzz_h1"
#include "fuzz_check.h"

static void fuzz_slice(struct h1_slice s, size_t end)
{
	fuzz_check((uint64_t)s.off + s.len <= end);
}

static void fuzz_msg(const struct h1_msg *m, enum h1_res r, size_t len,
                     const struct h1_limits *lim)
{
	uint32_t i;

	fuzz_check(r == H1_DONE || r == H1_MORE || r == H1_BAD);
	if (r == H1_BAD) {
		fuzz_check(m->err != NULL);
		fuzz_check(m->err_off <= len);
		fuzz_check(m->err_status == 400 || m->err_status == 414 ||
		           m->err_status == 431 || m->err_status == 502);
		fuzz_check(!m->is_resp || m->err_status == 502);
		return;
	}
	if (r == H1_MORE) {
		fuzz_check(len < lim->max_head);
		return;
	}
	fuzz_check(m->head_len <= len && m->head_len <= lim->max_head);
	fuzz_check(m->nhdrs <= lim->max_hdrs);
	fuzz_check(m->version == 10 || m->version == 11);
	fuzz_check(m->body <= H1_BODY_EOF);
	for (i = 0; i < m->nhdrs; i++) {
		fuzz_slice(m->hdrs[i].name, m->head_len);
		fuzz_slice(m->hdrs[i].value, m->head_len);
		fuzz_check(m->hdrs[i].name.len > 0);
	}
	if (m->is_resp) {
		fuzz_check(m->status >= 100 && m->status <= 999);
		fuzz_slice(m->reason, m->head_len);
		return;
	}
	fuzz_check(m->body != H1_BODY_EOF);
	fuzz_check(m->method.len > 0 && m->uri.len > 0);
	fuzz_slice(m->method, m->head_len);
	fuzz_slice(m->uri, m->head_len);
	fuzz_slice(m->path, m->uri.off + m->uri.len);
	fuzz_slice(m->query, m->uri.off + m->uri.len);
	fuzz_slice(m->authority, m->uri.off + m->uri.len);
	fuzz_check(m->path.off >= m->uri.off && m->query.off >= m->uri.off &&
	           m->authority.off >= m->uri.off);
	if (m->flags & H1_F_CLEN_DROPPED)
		fuzz_check(m->body == H1_BODY_CHUNKED || m->meth == H1_M_CONNECT);
}

/* Scan body bytes b[0..n) in pieces of step bytes (0: all at once);
 * *end: bytes of the message, -1 if it did not end. */
static enum h1_res fuzz_body(enum h1_body kind, uint64_t clen, const char *b,
                             size_t n, size_t step, int64_t *end,
                             uint64_t *total)
{
	struct h1_body_state bs;
	size_t at = 0;
	enum h1_res r = H1_MORE;

	h1_body_init(&bs, kind, clen);
	*end = -1;
	do {
		size_t piece = n - at, used = 0;

		if (step && piece > step)
			piece = step;
		r = h1_body_scan(&bs, b + at, piece, &used);
		fuzz_check(used <= piece);
		fuzz_check(r != H1_MORE || used == piece);
		at += used;
		if (r == H1_DONE)
			*end = (int64_t)at;
	} while (r == H1_MORE && at < n);
	*total = bs.total;
	return r;
}

static void fuzz_one(const char *buf, size_t len, int resp,
                     const struct h1_limits *lim)
{
	static struct h1_hdr hdrs[FUZZ_MAXHDRS], hdrs2[FUZZ_MAXHDRS];
	struct h1_msg m, p;
	enum h1_res r, rp;
	int64_t end1, end2;
	uint64_t tot1, tot2;
	enum h1_body kind;

	m.hdrs = hdrs;
	r = h1_parse_head(buf, len, resp, lim, &m);
	fuzz_msg(&m, r, len, lim);

	/* a prefix: MORE, or the same verdict */
	p.hdrs = hdrs2;
	rp = h1_parse_head(buf, len / 2, resp, lim, &p);
	fuzz_msg(&p, rp, len / 2, lim);
	if (rp != H1_MORE) {
		fuzz_check(rp == r);
		if (r == H1_BAD)
			fuzz_check(p.err_off == m.err_off &&
			           p.err_status == m.err_status);
		else
			fuzz_check(p.head_len == m.head_len && p.flags == m.flags &&
			           p.nhdrs == m.nhdrs && p.body == m.body);
	}
	if (r != H1_DONE)
		return;

	if (m.flags & H1_F_OBS_FOLD) {
		char *copy = malloc(m.head_len ? m.head_len : 1);
		uint32_t i, j;

		fuzz_check(copy != NULL);
		memcpy(copy, buf, m.head_len);
		h1_unfold(copy, &m);
		for (i = 0; i < m.nhdrs; i++)
			for (j = 0; j < m.hdrs[i].value.len; j++) {
				char c = copy[m.hdrs[i].value.off + j];

				fuzz_check(c != '\r' && c != '\n');
			}
		free(copy);
	}

	kind = resp ? h1_resp_body(&m, (uint32_t)(len % 10)) :
	              (enum h1_body)m.body;
	r = fuzz_body(kind, m.clen, buf + m.head_len, len - m.head_len, 0,
	              &end1, &tot1);
	rp = fuzz_body(kind, m.clen, buf + m.head_len, len - m.head_len, 1,
	               &end2, &tot2);
	fuzz_check(r == rp && end1 == end2 && tot1 == tot2);
	if (kind == H1_BODY_CLEN && r == H1_DONE)
		fuzz_check(tot1 == m.clen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct h1_limits roomy = { .max_head = 16384,
	                                        .max_hdrs = FUZZ_MAXHDRS };
	static const struct h1_limits tight = { .max_head = 48, .max_hdrs = 3 };
	const char *buf = (const char *)data;

	fuzz_one(buf, size, 0, &roomy);
	fuzz_one(buf, size, 1, &roomy);
	fuzz_one(buf, size, 0, &tight);
	fuzz_one(buf, size, 1, &tight);
	return 0;
}
