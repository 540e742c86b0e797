/*
 * h1.c: the HTTP/1.1 message parser (RFC 9110, RFC 9112), as strict as
 * HAProxy applies those RFCs, with each refusal naming its rule.
 *
 * h1_parse_head() is one forward pass over buf[0..len) that either proves a
 * head well formed and framed, asks for more bytes, or refuses it at an
 * offset with the status to answer. It keeps no state between calls: on
 * H1_MORE the caller calls again with the longer buffer and the head is
 * parsed again from its first byte. Each call costs O(bytes given), capped
 * at lim->max_head, so a peer that trickles a head byte by byte costs at
 * most max_head^2 / 2 byte visits in all (tune.bufsize 16384: 134M for a
 * worst-case 16 KB head fed one byte per read); a caller that wants less
 * only calls again once a read added a LF.
 *
 * h1_body_scan() is resumable the other way: its few bytes of state live in
 * struct h1_body_state, so body bytes are seen exactly once.
 */
#include "config.h"

#include <string.h>

#include "h1.h"

/* Byte classes. */
#define H1_C_TCHAR  0x01  /* tchar (RFC 9110 5.6.2) */
#define H1_C_VALUE  0x02  /* field-vchar, SP or HTAB (RFC 9110 5.5) */
#define H1_C_TARGET 0x04  /* VCHAR but '#': request-target bytes */
#define H1_C_HEX    0x08  /* HEXDIG */
#define H1_C_SCHEME 0x10  /* ALPHA / DIGIT / "+" / "-" / "." (RFC 3986 3.1) */

static const unsigned char h1_cls[256] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x02, 0x07, 0x06, 0x03, 0x07, 0x07, 0x07, 0x07, 0x06, 0x06, 0x07, 0x17, 0x06, 0x17, 0x17, 0x06,
	0x1f, 0x1f, 0x1f, 0x1f, 0x1f, 0x1f, 0x1f, 0x1f, 0x1f, 0x1f, 0x06, 0x06, 0x06, 0x06, 0x06, 0x06,
	0x06, 0x1f, 0x1f, 0x1f, 0x1f, 0x1f, 0x1f, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17,
	0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x06, 0x06, 0x06, 0x07, 0x07,
	0x07, 0x1f, 0x1f, 0x1f, 0x1f, 0x1f, 0x1f, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17,
	0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x06, 0x07, 0x06, 0x07, 0x00,
	0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02,
	0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02,
	0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02,
	0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02,
	0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02,
	0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02,
	0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02,
	0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02,
};

#define H1_IS(c, cls) (h1_cls[(unsigned char)(c)] & (cls))

/* OWS, plus the CR and LF an obs-fold leaves inside a value. */
static int h1_is_lws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static unsigned char h1_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

int h1_name_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i;

	if (alen != blen)
		return 0;
	for (i = 0; i < alen; i++)
		if (h1_lower((unsigned char)a[i]) != h1_lower((unsigned char)b[i]))
			return 0;
	return 1;
}

int h1_hdr_find(const struct h1_msg *m, const char *buf, const char *name,
                size_t namelen, int from)
{
	uint32_t i;

	for (i = from < 0 ? 0 : (uint32_t)from; i < m->nhdrs; i++)
		if (h1_name_eq(buf + m->hdrs[i].name.off, m->hdrs[i].name.len,
		               name, namelen))
			return (int)i;
	return -1;
}

/*
 * Iterate the elements of a comma-separated value: *pos is where to go on
 * from (start with v.off); fills *el with the next element trimmed of LWS
 * (may be empty: "a,,b") and returns 1, or 0 at the end.
 */
static int h1_list_next(const char *buf, struct h1_slice v, uint32_t *pos,
                        struct h1_slice *el)
{
	uint32_t end = v.off + v.len, s, e;

	if (*pos > end)
		return 0;
	s = *pos;
	while (s < end && h1_is_lws((unsigned char)buf[s]))
		s++;
	e = s;
	while (e < end && buf[e] != ',')
		e++;
	*pos = e + 1;          /* past the comma, or end + 1 at the end */
	while (e > s && h1_is_lws((unsigned char)buf[e - 1]))
		e--;
	el->off = s;
	el->len = e - s;
	return 1;
}

int h1_list_has(const char *buf, struct h1_slice v, const char *tok,
                size_t toklen)
{
	uint32_t pos = v.off;
	struct h1_slice el;

	while (h1_list_next(buf, v, &pos, &el))
		if (h1_name_eq(buf + el.off, el.len, tok, toklen))
			return 1;
	return 0;
}

void h1_unfold(char *buf, const struct h1_msg *m)
{
	uint32_t i, j;

	if (!(m->flags & H1_F_OBS_FOLD))
		return;
	for (i = 0; i < m->nhdrs; i++)
		for (j = 0; j < m->hdrs[i].value.len; j++) {
			char *c = buf + m->hdrs[i].value.off + j;

			if (*c == '\r' || *c == '\n')
				*c = ' ';
		}
}

#define H1_STR_EQ(p, n, lit) h1_name_eq((p), (n), (lit), sizeof(lit) - 1)

/* ---- the head parser ---------------------------------------------------- */

/* Cursor over the bytes the head may use. */
struct h1_cur {
	const char *b;
	uint32_t p;           /* next byte to read */
	uint32_t end;         /* min(len, max_head) */
	uint8_t cut;          /* end is max_head: the head cannot grow */
};

/* What the whole-head checks need beyond struct h1_msg. */
struct h1_seen {
	int host;             /* index of the Host line, -1: none */
	uint8_t te_chunked;   /* "chunked" seen in a Transfer-Encoding */
	uint8_t te_last_chk;  /* ... and it is the last coding */
	uint8_t clen_lines;   /* Content-Length values seen */
	uint32_t te_off;      /* where the last Transfer-Encoding value is */
};

static enum h1_res h1_bad(struct h1_msg *m, uint32_t off, uint16_t status,
                          const char *why)
{
	m->err_off = off;
	m->err_status = m->is_resp ? 502 : status;
	m->err = why;
	return H1_BAD;
}

/*
 * Out of bytes at c->p. Before max_head: H1_MORE. At max_head the head can
 * never complete: a request line still unfinished is answered 414, as
 * HAProxy does for a URI too long for its buffer; a request whose header
 * block overflows gets 431 (RFC 6585 5); a response, 502.
 */
static enum h1_res h1_ood(const struct h1_cur *c, struct h1_msg *m,
                          int in_reqline)
{
	if (!c->cut)
		return H1_MORE;
	if (in_reqline)
		return h1_bad(m, c->end, 414,
		              "request line longer than the head may be (414 URI Too Long, RFC 9112 3)");
	return h1_bad(m, c->end, 431,
	              "head longer than tune.bufsize - tune.maxrewrite (RFC 6585 5)");
}

/*
 * At a CR or LF ending a line: step past the terminator. RFC 9112 2.2: a
 * lone LF ends a line too (HAProxy accepts it); a CR not followed by LF is
 * refused. Returns H1_DONE when stepped, else MORE/BAD.
 */
static enum h1_res h1_eol(struct h1_cur *c, struct h1_msg *m, int in_reqline)
{
	if (c->b[c->p] == '\n') {
		c->p++;
		return H1_DONE;
	}
	if (c->p + 1 >= c->end)
		return h1_ood(c, m, in_reqline);
	if (c->b[c->p + 1] != '\n')
		return h1_bad(m, c->p, 400,
		              "bare CR not followed by LF (RFC 9112 2.2)");
	c->p += 2;
	return H1_DONE;
}

static uint32_t h1_meth_of(const char *s, uint32_t n)
{
	static const struct { const char *name; uint32_t meth; } tab[] = {
		{ "GET", H1_M_GET }, { "HEAD", H1_M_HEAD }, { "POST", H1_M_POST },
		{ "PUT", H1_M_PUT }, { "DELETE", H1_M_DELETE },
		{ "OPTIONS", H1_M_OPTIONS }, { "CONNECT", H1_M_CONNECT },
		{ "TRACE", H1_M_TRACE }, { "PATCH", H1_M_PATCH },
	};
	size_t i;

	/* Methods are case-sensitive (RFC 9110 9.1). */
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strlen(tab[i].name) == n && !memcmp(tab[i].name, s, n))
			return tab[i].meth;
	return H1_M_OTHER;
}

/* Skip the empty lines RFC 9112 2.2 lets a recipient ignore before the
 * start line. */
static enum h1_res h1_skip_empty(struct h1_cur *c, struct h1_msg *m)
{
	enum h1_res r;

	while (c->p < c->end && (c->b[c->p] == '\r' || c->b[c->p] == '\n'))
		if ((r = h1_eol(c, m, 1)) != H1_DONE)
			return r;
	if (c->p >= c->end)
		return h1_ood(c, m, 1);
	return H1_DONE;
}

/* "HTTP/" DIGIT "." DIGIT at c->p (RFC 9112 2.3: HTTP-name is
 * case-sensitive). Sets m->version; *major gets the major digit. */
static enum h1_res h1_version(struct h1_cur *c, struct h1_msg *m,
                              int in_reqline, int *major)
{
	static const char pfx[] = "HTTP/";
	uint32_t i;

	for (i = 0; i < 8; i++) {
		char ch;

		if (c->p + i >= c->end)
			return h1_ood(c, m, in_reqline);
		ch = c->b[c->p + i];
		if ((i < 5 && ch != pfx[i]) || (i == 6 && ch != '.') ||
		    ((i == 5 || i == 7) && (ch < '0' || ch > '9')))
			return h1_bad(m, c->p + i, 400,
			              "malformed HTTP version: HTTP/DIGIT.DIGIT expected (RFC 9112 2.3)");
	}
	*major = c->b[c->p + 5] - '0';
	/* A higher minor of a major we speak is treated as the highest one we
	 * know (RFC 9110 2.5): HTTP/1.2 is handled as HTTP/1.1. */
	m->version = c->b[c->p + 7] == '0' ? 10 : 11;
	c->p += 8;
	return H1_DONE;
}

/* A non-empty run of bytes of class cls in the request line, into *w;
 * c->p is left on the byte after it (there is one). */
static enum h1_res h1_word(struct h1_cur *c, struct h1_msg *m, unsigned cls,
                           struct h1_slice *w, const char *empty)
{
	uint32_t s = c->p;

	while (c->p < c->end && H1_IS(c->b[c->p], cls))
		c->p++;
	if (c->p >= c->end)
		return h1_ood(c, m, 1);
	if (c->p == s)
		return h1_bad(m, c->p, 400, empty);
	w->off = s;
	w->len = c->p - s;
	return H1_DONE;
}

static enum h1_res h1_request_line(struct h1_cur *c, struct h1_msg *m)
{
	int major;
	enum h1_res r;

	/* method = token (RFC 9110 9.1) */
	if ((r = h1_word(c, m, H1_C_TCHAR, &m->method,
	                 "method is not a token (RFC 9110 9.1)")) != H1_DONE)
		return r;
	if (c->b[c->p] == '\r' || c->b[c->p] == '\n')
		return h1_bad(m, c->p, 400,
		              "request line without target and version: HTTP/0.9 is not supported (RFC 9112 3)");
	if (c->b[c->p] != ' ')
		return h1_bad(m, c->p, 400,
		              "method must be followed by a single SP (RFC 9112 3)");
	m->meth = h1_meth_of(c->b + m->method.off, m->method.len);
	c->p++;

	/* request-target: no CTL, SP, '#' or non-ASCII byte (RFC 9112 3.2,
	 * RFC 3986; HAProxy refuses the fragment and 8-bit bytes too). */
	if ((r = h1_word(c, m, H1_C_TARGET, &m->uri,
	                 "empty request target or more than one SP after the method (RFC 9112 3)")) != H1_DONE)
		return r;
	if (c->b[c->p] == '\r' || c->b[c->p] == '\n')
		return h1_bad(m, c->p, 400,
		              "request line without HTTP version: HTTP/0.9 is not supported (RFC 9112 3)");
	if (c->b[c->p] == '#')
		return h1_bad(m, c->p, 400,
		              "fragment ('#') in the request target (RFC 9112 3.2)");
	if (c->b[c->p] != ' ')
		return h1_bad(m, c->p, 400,
		              "byte not allowed in the request target (RFC 9112 3.2, RFC 3986)");
	c->p++;

	if ((r = h1_version(c, m, 1, &major)) != H1_DONE)
		return r;
	if (c->p >= c->end)
		return h1_ood(c, m, 0);
	if (c->b[c->p] != '\r' && c->b[c->p] != '\n')
		return h1_bad(m, c->p, 400,
		              "request line must end right after the HTTP version (RFC 9112 3)");
	/* RFC 9110 2.5 would allow a 505; HAProxy never generates one (it
	 * is not among its error codes), so this is a 400 as its other
	 * request line errors. */
	if (major != 1)
		return h1_bad(m, c->p - 8, 400,
		              "HTTP major version other than 1 on an HTTP/1 connection (RFC 9110 2.5)");
	return h1_eol(c, m, 0);
}

static enum h1_res h1_status_line(struct h1_cur *c, struct h1_msg *m)
{
	uint32_t s, i;
	int major;
	enum h1_res r;

	if ((r = h1_version(c, m, 0, &major)) != H1_DONE)
		return r;
	if (major != 1)
		return h1_bad(m, c->p - 8, 502,
		              "response HTTP major version other than 1 (RFC 9110 2.5)");
	if (c->p >= c->end)
		return h1_ood(c, m, 0);
	if (c->b[c->p] != ' ')
		return h1_bad(m, c->p, 502,
		              "HTTP version must be followed by a single SP (RFC 9112 4)");
	c->p++;
	/* status-code = 3DIGIT (RFC 9112 4), 100 and above (RFC 9110 15) */
	m->status = 0;
	for (i = 0; i < 3; i++) {
		if (c->p >= c->end)
			return h1_ood(c, m, 0);
		if (c->b[c->p] < '0' || c->b[c->p] > '9')
			return h1_bad(m, c->p, 502,
			              "status code is not 3 digits (RFC 9112 4)");
		m->status = (uint16_t)(m->status * 10 + (c->b[c->p] - '0'));
		c->p++;
	}
	if (m->status < 100)
		return h1_bad(m, c->p - 3, 502,
		              "status code below 100 (RFC 9110 15)");
	if (c->p >= c->end)
		return h1_ood(c, m, 0);
	m->reason.off = c->p;
	if (c->b[c->p] == ' ') {
		/* reason-phrase = *( HTAB / SP / VCHAR / obs-text ) */
		s = ++c->p;
		while (c->p < c->end && H1_IS(c->b[c->p], H1_C_VALUE))
			c->p++;
		if (c->p >= c->end)
			return h1_ood(c, m, 0);
		m->reason.off = s;
		m->reason.len = c->p - s;
	}
	if (c->b[c->p] != '\r' && c->b[c->p] != '\n')
		return h1_bad(m, c->p, 502,
		              "byte not allowed in the status line (RFC 9112 4)");
	return h1_eol(c, m, 0);
}

/* Content-Length: 1*DIGIT, or a list of equal values (RFC 9110 8.6, RFC
 * 9112 6.3 point 5: differing values are an unrecoverable error). */
static enum h1_res h1_hdr_clen(const struct h1_cur *c, struct h1_msg *m,
                               struct h1_seen *sn, struct h1_slice v)
{
	uint32_t pos = v.off, i;
	struct h1_slice el;

	while (h1_list_next(c->b, v, &pos, &el)) {
		uint64_t n = 0;

		if (!el.len)
			return h1_bad(m, el.off, 400,
			              "empty Content-Length value (RFC 9110 8.6)");
		for (i = 0; i < el.len; i++) {
			unsigned d = (unsigned char)c->b[el.off + i] - '0';

			if (d > 9)
				return h1_bad(m, el.off + i, 400,
				              "Content-Length is not 1*DIGIT (RFC 9110 8.6)");
			if (n > (UINT64_MAX - d) / 10)
				return h1_bad(m, el.off + i, 400,
				              "Content-Length overflows (RFC 9110 8.6)");
			n = n * 10 + d;
		}
		if (sn->clen_lines && n != m->clen)
			return h1_bad(m, el.off, 400,
			              "several different Content-Length values (RFC 9112 6.3)");
		if (sn->clen_lines)
			m->flags |= H1_F_CLEN_MULTI;
		m->clen = n;
		sn->clen_lines = 1;
	}
	m->flags |= H1_F_HAS_CLEN;
	return H1_DONE;
}

/* Transfer-Encoding (RFC 9112 6.1): chunked at most once; in a request it
 * must be the final coding. An empty value or element is refused, as
 * HAProxy does. */
static enum h1_res h1_hdr_te(const struct h1_cur *c, struct h1_msg *m,
                             struct h1_seen *sn, struct h1_slice v)
{
	uint32_t pos = v.off;
	struct h1_slice el;

	m->flags |= H1_F_HAS_TE;
	sn->te_off = v.off;
	if (!v.len)
		return h1_bad(m, v.off, 400,
		              "empty Transfer-Encoding (RFC 9112 6.1)");
	while (h1_list_next(c->b, v, &pos, &el)) {
		if (!el.len)
			return h1_bad(m, el.off, 400,
			              "empty element in Transfer-Encoding (RFC 9112 6.1)");
		if (H1_STR_EQ(c->b + el.off, el.len, "chunked")) {
			if (sn->te_chunked)
				return h1_bad(m, el.off, 400,
				              "chunked applied more than once (RFC 9112 6.1)");
			sn->te_chunked = sn->te_last_chk = 1;
			continue;
		}
		if (!m->is_resp && sn->te_chunked)
			return h1_bad(m, el.off, 400,
			              "a transfer coding after chunked in a request (RFC 9112 6.1)");
		sn->te_last_chk = 0;
	}
	return H1_DONE;
}

/* What the parser reads in a header it just stored. */
static enum h1_res h1_hdr_known(const struct h1_cur *c, struct h1_msg *m,
                                struct h1_seen *sn, const struct h1_hdr *h)
{
	const char *n = c->b + h->name.off;
	uint32_t nl = h->name.len;

	if (H1_STR_EQ(n, nl, "content-length"))
		return h1_hdr_clen(c, m, sn, h->value);
	if (H1_STR_EQ(n, nl, "transfer-encoding"))
		return h1_hdr_te(c, m, sn, h->value);
	if (H1_STR_EQ(n, nl, "connection")) {
		if (h1_list_has(c->b, h->value, "close", 5))
			m->flags |= H1_F_CONN_CLOSE;
		if (h1_list_has(c->b, h->value, "keep-alive", 10))
			m->flags |= H1_F_CONN_KEEPALIVE;
		if (h1_list_has(c->b, h->value, "upgrade", 7))
			m->flags |= H1_F_CONN_UPGRADE;
	} else if (H1_STR_EQ(n, nl, "upgrade")) {
		m->flags |= H1_F_UPGRADE;
	} else if (!m->is_resp && H1_STR_EQ(n, nl, "expect")) {
		if (H1_STR_EQ(c->b + h->value.off, h->value.len, "100-continue"))
			m->flags |= H1_F_EXPECT_100;
	} else if (!m->is_resp && H1_STR_EQ(n, nl, "host")) {
		/* RFC 9112 3.2: more than one Host line is a 400. (HAProxy
		 * lets identical copies through and drops them; we refuse.) */
		if (sn->host >= 0)
			return h1_bad(m, h->name.off, 400,
			              "more than one Host header (RFC 9112 3.2)");
		sn->host = (int)(h - m->hdrs);
		m->flags |= H1_F_HAS_HOST;
	}
	return H1_DONE;
}

/*
 * The header lines up to and including the empty line (RFC 9112 5):
 * field-name ":" OWS field-value OWS. Each stored line is read by
 * h1_hdr_known(); obs-fold continuation lines extend the value (their CR/LF
 * stay in the slice, H1_F_OBS_FOLD tells h1_unfold() to blank them).
 */
static enum h1_res h1_headers(struct h1_cur *c, struct h1_msg *m,
                              const struct h1_limits *lim, struct h1_seen *sn)
{
	enum h1_res r;

	for (;;) {
		uint32_t ns, nl, vs, ve;
		int started = 0;
		struct h1_hdr *h;

		if (c->p >= c->end)
			return h1_ood(c, m, 0);
		if (c->b[c->p] == '\r' || c->b[c->p] == '\n')
			return h1_eol(c, m, 0);      /* the empty line */
		/* Only the first line can start so: a later one is taken
		 * as the obs-fold of the line before it, below. */
		if (c->b[c->p] == ' ' || c->b[c->p] == '\t')
			return h1_bad(m, c->p, 400,
			              "whitespace between the start line and the first header (RFC 9112 2.2)");
		ns = c->p;
		while (c->p < c->end && H1_IS(c->b[c->p], H1_C_TCHAR))
			c->p++;
		if (c->p >= c->end)
			return h1_ood(c, m, 0);
		if (c->b[c->p] != ':') {
			if (c->b[c->p] == ' ' || c->b[c->p] == '\t')
				return h1_bad(m, c->p, 400,
				              "whitespace between header name and colon (RFC 9112 5.1)");
			if (c->p == ns)
				return h1_bad(m, c->p, 400,
				              "header line does not start with a field name (RFC 9112 5)");
			return h1_bad(m, c->p, 400,
			              "byte not allowed in a header name (RFC 9110 5.1: token)");
		}
		if (c->p == ns)
			return h1_bad(m, c->p, 400, "empty header name (RFC 9110 5.1)");
		nl = c->p - ns;
		c->p++;
		vs = ve = c->p;
		for (;;) {
			unsigned char ch;
			uint32_t lf;

			if (c->p >= c->end)
				return h1_ood(c, m, 0);
			ch = (unsigned char)c->b[c->p];
			if (H1_IS(ch, H1_C_VALUE)) {
				if (ch != ' ' && ch != '\t') {
					if (!started)
						vs = c->p;
					started = 1;
					ve = c->p + 1;
				}
				c->p++;
				continue;
			}
			if (ch == '\r') {
				if (c->p + 1 >= c->end)
					return h1_ood(c, m, 0);
				if (c->b[c->p + 1] != '\n')
					return h1_bad(m, c->p, 400,
					              "bare CR in a header line (RFC 9112 2.2)");
				lf = c->p + 1;
			} else if (ch == '\n') {
				lf = c->p;
			} else if (ch == 0) {
				return h1_bad(m, c->p, 400,
				              "NUL in a header value (RFC 9110 5.5)");
			} else {
				return h1_bad(m, c->p, 400,
				              "control character in a header value (RFC 9110 5.5)");
			}
			/* End of a line: is the next one a continuation? */
			if (lf + 1 >= c->end)
				return h1_ood(c, m, 0);
			c->p = lf + 1;
			if (c->b[c->p] != ' ' && c->b[c->p] != '\t')
				break;
			/* obs-fold (RFC 9112 5.2): HAProxy replaces it with
			 * spaces; the slice keeps it, h1_unfold() blanks it. */
			m->flags |= H1_F_OBS_FOLD;
		}
		if (!started)
			vs = ve = ns + nl + 1;
		if (m->nhdrs >= lim->max_hdrs)
			return h1_bad(m, ns, 431,
			              "more header lines than tune.http.maxhdr (431, RFC 6585 5)");
		h = &m->hdrs[m->nhdrs++];
		h->name.off = ns;
		h->name.len = nl;
		h->value.off = vs;
		h->value.len = ve - vs;
		if ((r = h1_hdr_known(c, m, sn, h)) != H1_DONE)
			return r;
	}
}

/* Port digits at the end of host[0..n) after a ':' (not inside an IPv6
 * literal): sets *hl to the host length and returns the port slice length
 * (0: no port). */
static uint32_t h1_split_port(const char *s, uint32_t n, uint32_t *hl)
{
	uint32_t i = n;

	while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9')
		i--;
	if (i > 0 && i < n && s[i - 1] == ':') {
		*hl = i - 1;
		return n - i;
	}
	*hl = n;
	return 0;
}

static int h1_default_port(const char *scheme, uint32_t sl, const char *port,
                           uint32_t pl)
{
	if (H1_STR_EQ(scheme, sl, "http"))
		return pl == 2 && !memcmp(port, "80", 2);
	if (H1_STR_EQ(scheme, sl, "https"))
		return pl == 3 && !memcmp(port, "443", 3);
	return 0;
}

/* Absolute form (not CONNECT): the authority must name what Host names,
 * but for an explicit default port on one side (as HAProxy's
 * h1_validate_mismatch_authority()). 1: they agree. */
static int h1_authority_matches(const char *b, struct h1_slice scheme,
                                struct h1_slice auth, struct h1_slice host)
{
	uint32_t ah, hh, ap, hp;

	if (h1_name_eq(b + auth.off, auth.len, b + host.off, host.len))
		return 1;
	ap = h1_split_port(b + auth.off, auth.len, &ah);
	hp = h1_split_port(b + host.off, host.len, &hh);
	if (!ap && !hp)
		return 0;
	if (ap && !h1_default_port(b + scheme.off, scheme.len,
	                           b + auth.off + ah + 1, ap))
		return 0;
	if (hp && !h1_default_port(b + scheme.off, scheme.len,
	                           b + host.off + hh + 1, hp))
		return 0;
	return h1_name_eq(b + auth.off, ah, b + host.off, hh);
}

/* Path and query of the target from offset s (at '/' or '?' or the end). */
static void h1_path_query(const char *b, struct h1_msg *m, uint32_t s)
{
	uint32_t end = m->uri.off + m->uri.len, q = s;

	while (q < end && b[q] != '?')
		q++;
	m->path.off = s;
	m->path.len = q - s;
	if (q < end) {
		m->flags |= H1_F_HAS_QUERY;
		m->query.off = q + 1;
		m->query.len = end - q - 1;
	} else {
		m->query.off = end;
	}
}

/*
 * The four forms of request-target (RFC 9112 3.2), each checked against
 * the method, and the authority against Host as HAProxy does.
 */
static enum h1_res h1_target(const char *b, struct h1_msg *m,
                             const struct h1_seen *sn)
{
	uint32_t s = m->uri.off, end = m->uri.off + m->uri.len, i;
	struct h1_slice scheme, host = { 0, 0 };

	if (sn->host >= 0)
		host = m->hdrs[sn->host].value;
	m->authority.off = m->path.off = m->query.off = s;
	if (b[s] == '*') {
		/* asterisk-form: OPTIONS only (RFC 9112 3.2.4); HAProxy also
		 * lets unknown methods use it ("PRI * HTTP/2.0"). */
		if (m->uri.len != 1 ||
		    (m->meth != H1_M_OPTIONS && m->meth != H1_M_OTHER))
			return h1_bad(m, s, 400,
			              "asterisk-form target other than '*' for OPTIONS (RFC 9112 3.2.4)");
		return H1_DONE;
	}
	if (b[s] == '/') {
		/* origin-form (RFC 9112 3.2.1) */
		if (m->meth == H1_M_CONNECT)
			return h1_bad(m, s, 400,
			              "CONNECT needs an authority-form target (RFC 9112 3.2.3)");
		h1_path_query(b, m, s);
		return H1_DONE;
	}
	/* scheme "://" ? (RFC 3986 3.1) */
	i = s;
	if ((b[i] >= 'a' && b[i] <= 'z') || (b[i] >= 'A' && b[i] <= 'Z'))
		while (i < end && H1_IS(b[i], H1_C_SCHEME))
			i++;
	if (i > s && end - i >= 3 && !memcmp(b + i, "://", 3)) {
		uint32_t as, ae, at;

		/* absolute-form (RFC 9112 3.2.2) */
		if (m->meth == H1_M_CONNECT)
			return h1_bad(m, s, 400,
			              "CONNECT needs an authority-form target (RFC 9112 3.2.3)");
		scheme.off = s;
		scheme.len = i - s;
		as = ae = i + 3;
		while (ae < end && b[ae] != '/' && b[ae] != '?')
			ae++;
		/* userinfo is not part of what Host is compared with */
		for (at = ae; at > as; at--)
			if (b[at - 1] == '@') {
				as = at;
				break;
			}
		if (ae == as)
			return h1_bad(m, s, 400,
			              "absolute-form target with an empty authority (RFC 9110 4.2.1)");
		m->flags |= H1_F_ABS_URI;
		m->authority.off = as;
		m->authority.len = ae - as;
		h1_path_query(b, m, ae);
		if (sn->host >= 0 &&
		    !h1_authority_matches(b, scheme, m->authority, host))
			return h1_bad(m, host.off, 400,
			              "absolute-form authority differs from Host (RFC 9112 3.2.2)");
		return H1_DONE;
	}
	/* authority-form (RFC 9112 3.2.3): CONNECT only, host ":" port */
	if (m->meth != H1_M_CONNECT)
		return h1_bad(m, s, 400,
		              "authority-form target is only for CONNECT (RFC 9112 3.2.3)");
	{
		uint32_t ah, ap, hh, hp;

		for (i = s; i < end; i++)
			if (b[i] == '@' || b[i] == '/' || b[i] == '?')
				return h1_bad(m, i, 400,
				              "CONNECT target is not uri-host \":\" port (RFC 9110 9.3.6)");
		ap = h1_split_port(b + s, m->uri.len, &ah);
		if (!ap || !ah)
			return h1_bad(m, s, 400,
			              "CONNECT target without host or port (RFC 9110 9.3.6)");
		m->authority = m->uri;
		m->path.off = m->query.off = end;
		if (sn->host < 0)
			return H1_DONE;
		/* Host names the same host and port; a missing port on
		 * Host stands for a default one (HAProxy's
		 * h1_validate_connect_authority()). */
		hp = h1_split_port(b + host.off, host.len, &hh);
		if (!h1_name_eq(b + s, ah, b + host.off, hh) ||
		    (hp && (hp != ap || memcmp(b + s + ah + 1,
		                               b + host.off + hh + 1, ap))) ||
		    (!hp && !h1_default_port("http", 4, b + s + ah + 1, ap) &&
		     !h1_default_port("https", 5, b + s + ah + 1, ap)))
			return h1_bad(m, host.off, 400,
			              "CONNECT authority differs from Host (RFC 9112 3.2.3)");
	}
	return H1_DONE;
}

/*
 * Message framing once the whole head is known (RFC 9112 6.3).
 */
static enum h1_res h1_framing(struct h1_msg *m, const struct h1_seen *sn)
{
	if (m->flags & H1_F_HAS_TE) {
		if (m->flags & H1_F_HAS_CLEN) {
			/* RFC 9112 6.3 point 3: TE overrides CL; the CL lines
			 * must not be forwarded, and (RFC 9112 6.1) such a
			 * message may be a smuggling attempt: like HAProxy,
			 * close the connection after this transaction (the
			 * engine must: H1_F_CONN_CLOSE is set). */
			m->flags |= H1_F_CLEN_DROPPED | H1_F_CONN_CLOSE;
			m->flags &= ~H1_F_CLEN_MULTI;
			m->clen = 0;
		} else if (m->version == 10) {
			/* RFC 9112 6.1: TE in an HTTP/1.0 message: framing
			 * is suspect, close after it (HAProxy does). */
			m->flags |= H1_F_CONN_CLOSE;
		}
		if (sn->te_last_chk) {
			m->body = H1_BODY_CHUNKED;
		} else if (!m->is_resp) {
			return h1_bad(m, sn->te_off, 400,
			              "Transfer-Encoding in a request whose final coding is not chunked (RFC 9112 6.3)");
		} else {
			m->body = H1_BODY_EOF;   /* RFC 9112 6.3 point 4 */
		}
	} else if (m->flags & H1_F_HAS_CLEN) {
		m->body = H1_BODY_CLEN;
	} else {
		m->body = m->is_resp ? H1_BODY_EOF : H1_BODY_NONE;
	}
	if (!m->is_resp && m->meth == H1_M_CONNECT) {
		m->body = H1_BODY_NONE;  /* the tunnel follows the head */
		m->clen = 0;
	}
	if (m->is_resp && (m->status < 200 || m->status == 204 ||
	                   m->status == 304))
		m->body = H1_BODY_NONE;  /* RFC 9112 6.3 point 1 */
	return H1_DONE;
}

enum h1_res h1_parse_head(const char *buf, size_t len, int is_resp,
                          const struct h1_limits *lim, struct h1_msg *m)
{
	struct h1_hdr *hdrs = m->hdrs;
	struct h1_cur c;
	struct h1_seen sn = { .host = -1 };
	enum h1_res r;

	memset(m, 0, sizeof(*m));
	m->hdrs = hdrs;
	m->is_resp = is_resp ? 1 : 0;
	c.b = buf;
	c.p = 0;
	c.cut = len >= lim->max_head;
	c.end = c.cut ? lim->max_head : (uint32_t)len;

	if ((r = h1_skip_empty(&c, m)) != H1_DONE)
		return r;
	r = is_resp ? h1_status_line(&c, m) : h1_request_line(&c, m);
	if (r != H1_DONE)
		return r;
	if ((r = h1_headers(&c, m, lim, &sn)) != H1_DONE)
		return r;
	m->head_len = c.p;
	if (!is_resp && (r = h1_target(buf, m, &sn)) != H1_DONE)
		return r;
	return h1_framing(m, &sn);
}

enum h1_body h1_resp_body(const struct h1_msg *resp, uint32_t req_meth)
{
	if (req_meth == H1_M_HEAD)
		return H1_BODY_NONE;     /* RFC 9112 6.3 point 1 */
	if (req_meth == H1_M_CONNECT && resp->status >= 200 &&
	    resp->status < 300)
		return H1_BODY_NONE;     /* RFC 9112 6.3 point 2: a tunnel */
	if (resp->status < 200 || resp->status == 204 || resp->status == 304)
		return H1_BODY_NONE;
	return (enum h1_body)resp->body;
}

/* ---- the body scanner --------------------------------------------------- */

/* States of the chunk machine (h1_body_state.st). H1_CK_LF waits for the LF
 * of a CRLF whose CR was seen; the state that follows it sits in the bits
 * above H1_CK_SHIFT. */
enum h1_chk {
	H1_CK_SIZE0 = 0,      /* first hex digit of a chunk size */
	H1_CK_SIZE,           /* more hex digits */
	H1_CK_BWS,            /* whitespace after the size */
	H1_CK_EXT,            /* chunk extension bytes, up to the line end */
	H1_CK_DATA,           /* chunk data, left bytes */
	H1_CK_DATA_END,       /* the CRLF after the data */
	H1_CK_TRL0,           /* start of a trailer line or of the last CRLF */
	H1_CK_TRL_NAME,       /* trailer field name */
	H1_CK_TRL_VAL,        /* trailer field value */
	H1_CK_LF,             /* CR seen: LF expected */
	H1_CK_DONE,
	H1_CK_BAD,
};

#define H1_CK_SHIFT 8
#define H1_CK_MASK  0xffu

void h1_body_init(struct h1_body_state *b, enum h1_body kind, uint64_t clen)
{
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	b->st = H1_CK_SIZE0;
	if (kind == H1_BODY_CLEN)
		b->left = clen;
}

static int h1_hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	return h1_lower(c) - 'a' + 10;
}

/* A line of the chunked coding ends at byte ch (CR or LF); next: the state
 * after it. A CR waits for its LF (RFC 9112 2.2: a lone LF ends a line
 * too, as HAProxy accepts). */
static void h1_ck_eol(struct h1_body_state *b, unsigned char ch, uint32_t next)
{
	b->st = ch == '\r' ? (H1_CK_LF | next << H1_CK_SHIFT) : next;
}

/*
 * The chunked coding (RFC 9112 7.1): chunk-size [ chunk-ext ] CRLF data
 * CRLF ... "0" [ chunk-ext ] CRLF trailer-section CRLF. A size that
 * overflows 60 bits, a bare CR, a missing CRLF after the data, a CTL in an
 * extension and a malformed trailer line are refused.
 */
static enum h1_res h1_chunked(struct h1_body_state *b, const char *buf,
                              size_t len, size_t *used)
{
	size_t p = 0;

	while (p < len && b->st != H1_CK_DONE) {
		unsigned char ch = (unsigned char)buf[p];

		switch (b->st & H1_CK_MASK) {
		case H1_CK_SIZE0:
			if (!H1_IS(ch, H1_C_HEX))
				goto bad;   /* "-1", "+5", empty size... */
			b->left = (uint64_t)h1_hexval(ch);
			b->st = H1_CK_SIZE;
			break;
		case H1_CK_SIZE:
			if (H1_IS(ch, H1_C_HEX)) {
				if (b->left >> 60)
					goto bad;   /* would overflow */
				b->left = (b->left << 4) | (uint64_t)h1_hexval(ch);
				break;
			}
			b->st = H1_CK_BWS;
			/* fall through */
		case H1_CK_BWS:
			if (ch == ';')
				b->st = H1_CK_EXT;
			else if (ch == '\r' || ch == '\n')
				h1_ck_eol(b, ch, b->left ? H1_CK_DATA : H1_CK_TRL0);
			else if (ch != ' ' && ch != '\t')
				goto bad;   /* "0x5", "5 5"... */
			break;
		case H1_CK_EXT:
			/* chunk-ext: tokens, '=', quoted strings: no CTL but
			 * HTAB (RFC 9112 7.1.1); skipped, not interpreted. */
			if (ch == '\r' || ch == '\n')
				h1_ck_eol(b, ch, b->left ? H1_CK_DATA : H1_CK_TRL0);
			else if (!H1_IS(ch, H1_C_VALUE))
				goto bad;
			break;
		case H1_CK_DATA: {
			size_t n = len - p;

			if (n > b->left)
				n = (size_t)b->left;
			b->left -= n;
			b->total += n;
			p += n;
			if (!b->left)
				b->st = H1_CK_DATA_END;
			continue;
		}
		case H1_CK_DATA_END:
			if (ch != '\r' && ch != '\n')
				goto bad;   /* data longer than its size */
			h1_ck_eol(b, ch, H1_CK_SIZE0);
			break;
		case H1_CK_TRL0:
			if (ch == '\r' || ch == '\n')
				h1_ck_eol(b, ch, H1_CK_DONE);
			else if (H1_IS(ch, H1_C_TCHAR))
				b->st = H1_CK_TRL_NAME;
			else
				goto bad;   /* obs-fold or junk (RFC 9112 7.1.2) */
			break;
		case H1_CK_TRL_NAME:
			if (ch == ':')
				b->st = H1_CK_TRL_VAL;
			else if (!H1_IS(ch, H1_C_TCHAR))
				goto bad;
			break;
		case H1_CK_TRL_VAL:
			if (ch == '\r' || ch == '\n')
				h1_ck_eol(b, ch, H1_CK_TRL0);
			else if (!H1_IS(ch, H1_C_VALUE))
				goto bad;   /* NUL, CTL (RFC 9110 5.5) */
			break;
		case H1_CK_LF:
			if (ch != '\n')
				goto bad;   /* bare CR (RFC 9112 2.2) */
			b->st >>= H1_CK_SHIFT;
			break;
		default:
			goto bad;
		}
		p++;
	}
	*used = p;
	return b->st == H1_CK_DONE ? H1_DONE : H1_MORE;
bad:
	b->st = H1_CK_BAD;
	*used = p;
	return H1_BAD;
}

enum h1_res h1_body_scan(struct h1_body_state *b, const char *buf, size_t len,
                         size_t *used)
{
	size_t n;

	*used = 0;
	switch (b->kind) {
	case H1_BODY_NONE:
		return H1_DONE;
	case H1_BODY_CLEN:
		n = len < b->left ? len : (size_t)b->left;
		b->left -= n;
		b->total += n;
		*used = n;
		return b->left ? H1_MORE : H1_DONE;
	case H1_BODY_CHUNKED:
		if (b->st == H1_CK_DONE)
			return H1_DONE;
		if (b->st == H1_CK_BAD)
			return H1_BAD;
		return h1_chunked(b, buf, len, used);
	case H1_BODY_EOF:
		b->total += len;
		*used = len;
		return H1_MORE;
	default:
		return H1_BAD;
	}
}

enum h1_res h1_body_peek(struct h1_body_state *b, const char *buf,
                         size_t len, size_t *skip, size_t *avail)
{
	size_t p = 0, used;

	*skip = *avail = 0;
	switch (b->kind) {
	case H1_BODY_NONE:
		return H1_DONE;
	case H1_BODY_CLEN:
		*avail = len < b->left ? len : (size_t)b->left;
		return b->left ? H1_MORE : H1_DONE;
	case H1_BODY_EOF:
		*avail = len;
		return H1_MORE;
	case H1_BODY_CHUNKED:
		break;
	default:
		return H1_BAD;
	}
	/* framing bytes one at a time, up to data or the end: they are few */
	while (b->st != H1_CK_DONE && b->st != H1_CK_BAD &&
	       b->st != H1_CK_DATA && p < len) {
		if (h1_chunked(b, buf + p, 1, &used) == H1_BAD)
			break;
		p += used;
	}
	*skip = p;
	if (b->st == H1_CK_BAD)
		return H1_BAD;
	if (b->st == H1_CK_DONE)
		return H1_DONE;
	if (b->st == H1_CK_DATA)
		*avail = len - p < b->left ? len - p : (size_t)b->left;
	return H1_MORE;
}

void h1_body_eat(struct h1_body_state *b, size_t n)
{
	if (b->kind == H1_BODY_CLEN || b->kind == H1_BODY_CHUNKED)
		b->left -= n;
	b->total += n;
	if (b->kind == H1_BODY_CHUNKED && b->st == H1_CK_DATA && !b->left)
		b->st = H1_CK_DATA_END;
}
