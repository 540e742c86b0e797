/*
 * tls_hello.c: the ClientHello reader of tls_hello.h. A cursor walks the
 * record with every length checked against what holds it: a field that
 * runs past its container makes the hello BAD, never a read outside buf.
 */
#include <string.h>

#include "tls_hello.h"

#define TLS_REC_HANDSHAKE  22       /* ContentType handshake */
#define TLS_REC_HDR        5        /* type, version (2), length (2) */
#define TLS_HS_HDR         4        /* msg_type, length (3) */
#define TLS_REC_MAX        (16384 + 2048) /* TLSCiphertext limit */
#define TLS_EXT_SNI        0
#define TLS_EXT_GROUPS     10
#define TLS_EXT_ALPN       16
#define TLS_EXT_TICKET     35

/* A bounded view: bytes [p, end). */
struct tls_cur {
	const uint8_t *p;
	const uint8_t *end;
};

/* Take n bytes as a big-endian number into *v; 0, or -1 past the end. */
static int tls_num(struct tls_cur *c, size_t n, uint32_t *v)
{
	if ((size_t)(c->end - c->p) < n)
		return -1;
	*v = 0;
	for (size_t i = 0; i < n; i++)
		*v = *v << 8 | c->p[i];
	c->p += n;
	return 0;
}

/* A block whose length is the next n bytes: *sub is its view, c moves
 * past it. 0, or -1 when it runs past c's end. */
static int tls_block(struct tls_cur *c, size_t n, struct tls_cur *sub)
{
	uint32_t l;

	if (tls_num(c, n, &l) < 0 || (size_t)(c->end - c->p) < l)
		return -1;
	sub->p = c->p;
	sub->end = c->p + l;
	c->p += l;
	return 0;
}

/* server_name extension data: the first host_name entry. */
static int tls_ext_sni(struct tls_cur *e, struct tls_hello *h)
{
	struct tls_cur list, name;
	uint32_t type;

	if (tls_block(e, 2, &list) < 0)
		return -1;
	while (list.p < list.end) {
		if (tls_num(&list, 1, &type) < 0 || tls_block(&list, 2, &name) < 0)
			return -1;
		if (type == 0 && !h->sni && name.end > name.p) {
			h->sni = name.p;
			h->sni_len = (size_t)(name.end - name.p);
		}
	}
	return 0;
}

/* The extensions block of a ClientHello. 0, or -1 when malformed. */
static int tls_extensions(struct tls_cur *c, struct tls_hello *h)
{
	struct tls_cur exts, e;
	uint32_t type;

	if (c->p == c->end)
		return 0;               /* no extensions at all (pre-TLS 1.2) */
	if (tls_block(c, 2, &exts) < 0)
		return -1;
	while (exts.p < exts.end) {
		if (tls_num(&exts, 2, &type) < 0 || tls_block(&exts, 2, &e) < 0)
			return -1;
		switch (type) {
		case TLS_EXT_SNI:
			if (tls_ext_sni(&e, h) < 0)
				return -1;
			break;
		case TLS_EXT_GROUPS:
			h->has_ec = 1;
			break;
		case TLS_EXT_ALPN: {
			struct tls_cur list;

			if (tls_block(&e, 2, &list) < 0)
				return -1;
			h->alpn = list.p;
			h->alpn_len = (size_t)(list.end - list.p);
			break;
		}
		case TLS_EXT_TICKET:
			h->ticket = e.end > e.p ? 2 : 1;
			break;
		default:
			break;
		}
	}
	return 0;
}

enum tls_hello_res tls_hello_parse(const uint8_t *buf, size_t len,
                                   struct tls_hello *h)
{
	struct tls_cur c, body, skip;
	uint32_t rec_len, hs_len, v;

	memset(h, 0, sizeof(*h));
	if (len >= 1 && buf[0] != TLS_REC_HANDSHAKE)
		return TLS_HELLO_BAD;
	/* major version 3 for SSLv3 and every TLS */
	if (len >= 2 && buf[1] != 3)
		return TLS_HELLO_BAD;
	if (len < TLS_REC_HDR)
		return TLS_HELLO_MORE;
	h->rec_version = (uint32_t)buf[1] << 16 | buf[2];
	h->known |= TLS_HELLO_KNOWN_RECORD;
	rec_len = (uint32_t)buf[3] << 8 | buf[4];
	if (rec_len < TLS_HS_HDR || rec_len > TLS_REC_MAX)
		return TLS_HELLO_BAD;
	if (len < TLS_REC_HDR + TLS_HS_HDR)
		return TLS_HELLO_MORE;
	hs_len = (uint32_t)buf[6] << 16 | (uint32_t)buf[7] << 8 | buf[8];
	if (hs_len > rec_len - TLS_HS_HDR)
		return TLS_HELLO_BAD;   /* split over records: not read */
	/* the type counts once the whole message is there, as in HAProxy:
	 * a rule on it then sees the hello's extensions too */
	if (len < TLS_REC_HDR + TLS_HS_HDR + (size_t)hs_len)
		return TLS_HELLO_MORE;
	h->hs_type = buf[TLS_REC_HDR];
	h->known |= TLS_HELLO_KNOWN_TYPE;
	if (h->hs_type != 1)
		return TLS_HELLO_OK;    /* not a ClientHello: nothing more */
	c.p = buf + TLS_REC_HDR + TLS_HS_HDR;
	c.end = c.p + hs_len;
	body = c;
	/* legacy_version, random, session id, cipher suites, compression */
	if (tls_num(&body, 2, &v) < 0 || (size_t)(body.end - body.p) < 32)
		return TLS_HELLO_BAD;
	body.p += 32;
	if (tls_block(&body, 1, &skip) < 0 || tls_block(&body, 2, &skip) < 0 ||
	    tls_block(&body, 1, &skip) < 0 || tls_extensions(&body, h) < 0)
		return TLS_HELLO_BAD;
	return TLS_HELLO_OK;
}

int tls_hello_alpn_next(const struct tls_hello *h, const uint8_t **name,
                        size_t *name_len)
{
	const uint8_t *end, *p;

	if (!h->alpn)   /* (no arithmetic on a null pointer, even + 0) */
		return 0;
	end = h->alpn + h->alpn_len;
	p = *name ? *name + *name_len : h->alpn;
	if (p >= end || (size_t)(end - p) < 1u + p[0] || !p[0])
		return 0;
	*name = p + 1;
	*name_len = p[0];
	return 1;
}
