/*
 * proxy_proto.c: PROXY protocol v1 and v2 headers (haproxy.org's spec,
 * "The PROXY protocol", versions 1 and 2).
 *
 * Parsing is strict and incremental: it is called again with more bytes
 * until the header is complete, and refuses bytes that can no longer
 * become a valid header as soon as they arrive, so a client sending
 * garbage is closed at once instead of at its timeout.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "proxy_proto.h"

static const uint8_t proxy_proto_sig[PROXY_PROTO_SIG_LEN] = {
	0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a
};

#define PP2_VERSION     0x20u   /* high nibble of byte 12 */
#define PP2_CMD_LOCAL   0x0u
#define PP2_CMD_PROXY   0x1u
#define PP2_FAM_UNSPEC  0x0u
#define PP2_FAM_INET    0x1u
#define PP2_FAM_INET6   0x2u
#define PP2_FAM_UNIX    0x3u
#define PP2_TRANS_STREAM 0x1u
#define PP2_TRANS_MAX   0x2u    /* DGRAM, the last defined transport */
#define PP2_TLV_HDR     3u      /* type, 16-bit length */
#define PP2_AUTHORITY_MAX 255u  /* bytes HAProxy accepts in these TLVs */
#define PP2_UNIQUE_ID_MAX 128u

/* Address block sizes of each v2 family (UNSPEC, INET, INET6, UNIX). */
static const uint16_t pp2_addr_len[4] = { 0, 12, 36, 216 };

/* Write up to 24 bytes of `p` into `out` with non-printables escaped. */
static void pp_quote(const uint8_t *p, size_t n, char *out, size_t outlen)
{
	size_t o = 0;

	if (n > 24)
		n = 24;
	for (size_t i = 0; i < n && o + 5 < outlen; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
			out[o++] = (char)p[i];
		else
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", p[i]);
	}
	out[o < outlen ? o : outlen - 1] = '\0';
}

static enum proxy_proto_res pp_bad(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static enum proxy_proto_res pp_bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return PROXY_PROTO_BAD;
}

/* Feed `len` bytes into a running CRC32C (reflected, poly 0x1EDC6F41). */
static uint32_t pp_crc32c_update(uint32_t crc, const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		crc ^= buf[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1u)));
	}
	return crc;
}

uint32_t proxy_proto_crc32c(const uint8_t *buf, size_t len)
{
	return ~pp_crc32c_update(0xffffffffu, buf, len);
}

/* ---- v1 ----------------------------------------------------------------- */

/* A decimal port: 1 to 5 digits, no leading zero, at most 65535. */
static int pp1_port(const char *t, size_t n, uint16_t *port)
{
	unsigned v = 0;

	if (n == 0 || n > 5 || (n > 1 && t[0] == '0'))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (t[i] < '0' || t[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(t[i] - '0');
	}
	if (v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/* Store address text `t` (n bytes) of family `af` and `port` into ss. */
static int pp1_addr(int af, const char *t, size_t n, struct sockaddr_storage *ss,
                    socklen_t *sslen)
{
	char tmp[INET6_ADDRSTRLEN];

	if (n == 0 || n >= sizeof(tmp))
		return -1;
	memcpy(tmp, t, n);
	tmp[n] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (af == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		if (inet_pton(AF_INET, tmp, &in->sin_addr) != 1)
			return -1;
		in->sin_family = AF_INET;
		*sslen = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		if (inet_pton(AF_INET6, tmp, &in6->sin6_addr) != 1)
			return -1;
		in6->sin6_family = AF_INET6;
		*sslen = sizeof(*in6);
	}
	return 0;
}

static void pp_set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

/* Parse one complete v1 line `l` of `n` bytes (CRLF excluded). */
static enum proxy_proto_res pp1_line(const char *l, size_t n,
                                     struct proxy_proto_hdr *h,
                                     char *err, size_t errlen)
{
	const char *tok[6];
	size_t tlen[6];
	unsigned nt = 0;
	size_t start = 0;
	char q[128];
	int af;
	uint16_t sport, dport;

	for (size_t i = 0; i < n; i++)
		if (l[i] == '\r' || l[i] == '\0')
			return pp_bad(err, errlen,
			              "PROXY v1: expected printable text up to CRLF, found byte \\x%02x at offset %zu",
			              (uint8_t)l[i], i);
	/* UNKNOWN: the rest of the line is ignored, as the spec says. */
	if (n >= 13 && memcmp(l + 6, "UNKNOWN", 7) == 0 && (n == 13 || l[13] == ' ')) {
		h->has_addr = 0;
		return PROXY_PROTO_OK;
	}
	for (size_t i = 0; i <= n; i++) {
		if (i < n && l[i] != ' ')
			continue;
		if (nt == 6)
			return pp_bad(err, errlen,
			              "PROXY v1: expected 6 fields separated by single spaces, found more");
		tok[nt] = l + start;
		tlen[nt] = i - start;
		if (tlen[nt] == 0)
			return pp_bad(err, errlen,
			              "PROXY v1: expected single spaces between fields, found an empty field %u",
			              nt + 1);
		nt++;
		start = i + 1;
	}
	pp_quote((const uint8_t *)tok[1], tlen[1], q, sizeof(q));
	if (tlen[1] == 4 && memcmp(tok[1], "TCP4", 4) == 0)
		af = AF_INET;
	else if (tlen[1] == 4 && memcmp(tok[1], "TCP6", 4) == 0)
		af = AF_INET6;
	else
		return pp_bad(err, errlen,
		              "PROXY v1: expected protocol TCP4, TCP6 or UNKNOWN, found '%s'", q);
	if (nt != 6)
		return pp_bad(err, errlen,
		              "PROXY v1: expected 6 fields (PROXY proto src dst sport dport), found %u",
		              nt);
	for (unsigned k = 2; k < 4; k++) {
		struct sockaddr_storage *ss = k == 2 ? &h->src : &h->dst;
		socklen_t *sl = k == 2 ? &h->srclen : &h->dstlen;

		if (pp1_addr(af, tok[k], tlen[k], ss, sl) < 0) {
			pp_quote((const uint8_t *)tok[k], tlen[k], q, sizeof(q));
			return pp_bad(err, errlen,
			              "PROXY v1: expected an %s %s address, found '%s'",
			              af == AF_INET ? "IPv4" : "IPv6",
			              k == 2 ? "source" : "destination", q);
		}
	}
	if (pp1_port(tok[4], tlen[4], &sport) < 0 ||
	    pp1_port(tok[5], tlen[5], &dport) < 0) {
		int bad = pp1_port(tok[4], tlen[4], &sport) < 0 ? 4 : 5;

		pp_quote((const uint8_t *)tok[bad], tlen[bad], q, sizeof(q));
		return pp_bad(err, errlen,
		              "PROXY v1: expected a %s port 0..65535 without leading zero, found '%s'",
		              bad == 4 ? "source" : "destination", q);
	}
	pp_set_port(&h->src, sport);
	pp_set_port(&h->dst, dport);
	h->has_addr = 1;
	return PROXY_PROTO_OK;
}

static enum proxy_proto_res pp1_parse(const uint8_t *buf, size_t len,
                                      struct proxy_proto_hdr *h,
                                      char *err, size_t errlen)
{
	size_t lim = len < PROXY_PROTO_V1_MAX ? len : PROXY_PROTO_V1_MAX;
	const uint8_t *nl = memchr(buf, '\n', lim);
	size_t n;

	if (!nl) {
		if (len >= PROXY_PROTO_V1_MAX)
			return pp_bad(err, errlen,
			              "PROXY v1: expected CRLF within %u bytes, found none",
			              PROXY_PROTO_V1_MAX);
		return PROXY_PROTO_MORE;
	}
	n = (size_t)(nl - buf);
	if (n == 0 || buf[n - 1] != '\r')
		return pp_bad(err, errlen,
		              "PROXY v1: expected CRLF at the end of the line, found a bare LF at offset %zu",
		              n);
	h->version = 1;
	h->len = (uint32_t)(n + 1);
	h->srclen = h->dstlen = 0;
	return pp1_line((const char *)buf, n - 1, h, err, errlen);
}

/* ---- v2 ----------------------------------------------------------------- */

/* Check the TLVs in buf[off .. total) and a CRC32C among them. */
static enum proxy_proto_res pp2_tlvs(const uint8_t *buf, size_t off, size_t total,
                                     char *err, size_t errlen)
{
	while (off < total) {
		size_t tl;

		if (total - off < PP2_TLV_HDR)
			return pp_bad(err, errlen,
			              "PROXY v2: expected a 3-byte TLV header at offset %zu, found %zu byte(s)",
			              off, total - off);
		tl = (size_t)buf[off + 1] << 8 | buf[off + 2];
		if (tl > total - off - PP2_TLV_HDR)
			return pp_bad(err, errlen,
			              "PROXY v2: TLV type 0x%02x at offset %zu claims %zu bytes, only %zu left in the header",
			              buf[off], off, tl, total - off - PP2_TLV_HDR);
		if (buf[off] == PP2_TYPE_CRC32C) {
			static const uint8_t zero[4];
			const uint8_t *v = buf + off + PP2_TLV_HDR;
			uint32_t want, got;

			if (tl != 4)
				return pp_bad(err, errlen,
				              "PROXY v2: expected a 4-byte CRC32C TLV, found %zu bytes", tl);
			/* The CRC covers the header with its own value zeroed. */
			want = (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 |
			       (uint32_t)v[2] << 8 | v[3];
			got = pp_crc32c_update(0xffffffffu, buf, (size_t)(v - buf));
			got = pp_crc32c_update(got, zero, 4);
			got = ~pp_crc32c_update(got, v + 4, total - (size_t)(v - buf) - 4);
			if (got != want)
				return pp_bad(err, errlen,
				              "PROXY v2: CRC32C TLV says %08x, the header's is %08x",
				              want, got);
		}
		off += PP2_TLV_HDR + tl;
	}
	return PROXY_PROTO_OK;
}

/* HAProxy refuses a header whose AUTHORITY TLV is longer than 255 bytes
 * or whose UNIQUE_ID TLV is longer than 128 (the TLVs it keeps). */
static enum proxy_proto_res pp2_tlv_limits(const uint8_t *tlv, size_t len,
                                           char *err, size_t errlen)
{
	for (size_t off = 0; len - off >= PP2_TLV_HDR;) {
		size_t tl = (size_t)tlv[off + 1] << 8 | tlv[off + 2];

		if (tlv[off] == PP2_TYPE_AUTHORITY && tl > PP2_AUTHORITY_MAX)
			return pp_bad(err, errlen,
			              "PROXY v2: AUTHORITY TLV of %zu bytes, at most %u",
			              tl, PP2_AUTHORITY_MAX);
		if (tlv[off] == PP2_TYPE_UNIQUE_ID && tl > PP2_UNIQUE_ID_MAX)
			return pp_bad(err, errlen,
			              "PROXY v2: UNIQUE_ID TLV of %zu bytes, at most %u",
			              tl, PP2_UNIQUE_ID_MAX);
		off += PP2_TLV_HDR + tl;
	}
	return PROXY_PROTO_OK;
}

static enum proxy_proto_res pp2_parse(const uint8_t *buf, size_t len, size_t max,
                                      struct proxy_proto_hdr *h,
                                      char *err, size_t errlen)
{
	unsigned cmd, fam, trans;
	size_t total, alen;

	if (len > PROXY_PROTO_SIG_LEN && (buf[12] & 0xf0u) != PP2_VERSION)
		return pp_bad(err, errlen, "PROXY v2: expected version 2, found %u",
		              buf[12] >> 4);
	if (len > PROXY_PROTO_SIG_LEN && (buf[12] & 0x0fu) > PP2_CMD_PROXY)
		return pp_bad(err, errlen,
		              "PROXY v2: expected command LOCAL (0) or PROXY (1), found %u",
		              buf[12] & 0x0fu);
	if (len > 13 && ((buf[13] >> 4) > PP2_FAM_UNIX || (buf[13] & 0x0fu) > PP2_TRANS_MAX))
		return pp_bad(err, errlen,
		              "PROXY v2: expected family 0..3 and transport 0..2, found byte 0x%02x",
		              buf[13]);
	if (len < PROXY_PROTO_V2_FIXED)
		return PROXY_PROTO_MORE;
	total = PROXY_PROTO_V2_FIXED + ((size_t)buf[14] << 8 | buf[15]);
	if (total > max)
		return pp_bad(err, errlen,
		              "PROXY v2: header of %zu bytes is longer than the %zu we accept",
		              total, max);
	if (len < total)
		return PROXY_PROTO_MORE;
	cmd = buf[12] & 0x0fu;
	fam = buf[13] >> 4;
	trans = buf[13] & 0x0fu;
	alen = pp2_addr_len[fam];
	h->version = 2;
	h->len = (uint32_t)total;
	h->has_addr = 0;
	h->srclen = h->dstlen = 0;
	if (total - PROXY_PROTO_V2_FIXED < alen) {
		if (cmd == PP2_CMD_LOCAL)
			return PROXY_PROTO_OK;   /* LOCAL: the content is ignored */
		return pp_bad(err, errlen,
		              "PROXY v2: family %u needs a %zu-byte address block, the header has %zu",
		              fam, alen, total - PROXY_PROTO_V2_FIXED);
	}
	if (pp2_tlvs(buf, PROXY_PROTO_V2_FIXED + alen, total, err, errlen) != PROXY_PROTO_OK)
		return PROXY_PROTO_BAD;
	if (cmd != PP2_CMD_PROXY || trans != PP2_TRANS_STREAM)
		return PROXY_PROTO_OK;
	memset(&h->src, 0, sizeof(h->src));
	memset(&h->dst, 0, sizeof(h->dst));
	if (fam == PP2_FAM_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)&h->src;
		struct sockaddr_in *d = (struct sockaddr_in *)&h->dst;

		s->sin_family = d->sin_family = AF_INET;
		memcpy(&s->sin_addr, buf + 16, 4);
		memcpy(&d->sin_addr, buf + 20, 4);
		memcpy(&s->sin_port, buf + 24, 2);
		memcpy(&d->sin_port, buf + 26, 2);
		h->srclen = h->dstlen = sizeof(*s);
		h->has_addr = 1;
	} else if (fam == PP2_FAM_INET6) {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&h->src;
		struct sockaddr_in6 *d = (struct sockaddr_in6 *)&h->dst;

		s->sin6_family = d->sin6_family = AF_INET6;
		memcpy(&s->sin6_addr, buf + 16, 16);
		memcpy(&d->sin6_addr, buf + 32, 16);
		memcpy(&s->sin6_port, buf + 48, 2);
		memcpy(&d->sin6_port, buf + 50, 2);
		h->srclen = h->dstlen = sizeof(*s);
		h->has_addr = 1;
	}
	/* UNSPEC and UNIX: keep the connection's own addresses. */
	if (h->has_addr) {
		/* As HAProxy, the TLVs of a PROXY command over TCP only. */
		h->tlv_off = (uint32_t)(PROXY_PROTO_V2_FIXED + alen);
		h->tlv_len = (uint32_t)(total - h->tlv_off);
		return pp2_tlv_limits(buf + h->tlv_off, h->tlv_len, err, errlen);
	}
	return PROXY_PROTO_OK;
}

enum proxy_proto_res proxy_proto_parse(const uint8_t *buf, size_t len,
                                       size_t max, struct proxy_proto_hdr *h,
                                       char *err, size_t errlen)
{
	static const char v1[] = "PROXY ";
	size_t n;
	char q[128];

	h->tlv_off = h->tlv_len = 0;
	if (len == 0)
		return PROXY_PROTO_MORE;
	n = len < PROXY_PROTO_SIG_LEN ? len : PROXY_PROTO_SIG_LEN;
	if (memcmp(buf, proxy_proto_sig, n) == 0)
		return pp2_parse(buf, len, max, h, err, errlen);
	n = len < sizeof(v1) - 1 ? len : sizeof(v1) - 1;
	if (memcmp(buf, v1, n) == 0)
		return n < sizeof(v1) - 1 ? PROXY_PROTO_MORE :
		       pp1_parse(buf, len, h, err, errlen);
	pp_quote(buf, len, q, sizeof(q));
	return pp_bad(err, errlen,
	              "expected a PROXY protocol header ('PROXY ' or the v2 signature), found '%s'",
	              q);
}

/* The `skip`th TLV of type `type` in the (checked) run tlv[0..len). */
static int pp2_tlv_walk(const uint8_t *tlv, size_t len, unsigned type,
                        unsigned *skip, const uint8_t **val, size_t *vlen)
{
	size_t off = 0;

	while (len - off >= PP2_TLV_HDR) {
		size_t tl = (size_t)tlv[off + 1] << 8 | tlv[off + 2];

		if (tl > len - off - PP2_TLV_HDR)
			break;
		if (tlv[off] == type && (*skip)-- == 0) {
			*val = tlv + off + PP2_TLV_HDR;
			*vlen = tl;
			return 1;
		}
		off += PP2_TLV_HDR + tl;
	}
	return 0;
}

int proxy_proto_tlv(const uint8_t *tlv, size_t len, unsigned type,
                    unsigned skip, const uint8_t **val, size_t *vlen)
{
	size_t off = 0;

	if (type < PP2_SUBTYPE_SSL_VERSION || type > PP2_SUBTYPE_SSL_KEY_ALG)
		return pp2_tlv_walk(tlv, len, type, &skip, val, vlen);
	/* An SSL sub-TLV: within each SSL TLV, after client and verify. */
	while (len - off >= PP2_TLV_HDR) {
		size_t tl = (size_t)tlv[off + 1] << 8 | tlv[off + 2];

		if (tl > len - off - PP2_TLV_HDR)
			break;
		if (tlv[off] == PP2_TYPE_SSL && tl >= 5 &&
		    pp2_tlv_walk(tlv + off + PP2_TLV_HDR + 5, tl - 5, type, &skip,
		                 val, vlen))
			return 1;
		off += PP2_TLV_HDR + tl;
	}
	return 0;
}

/* ---- writing ------------------------------------------------------------ */

/* The address of `sa` as an IPv6 one (IPv4 mapped), with its port. */
static void pp_as_v6(const struct sockaddr *sa, struct in6_addr *a, uint16_t *port)
{
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		*a = in6->sin6_addr;
		*port = in6->sin6_port;
	} else {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		memset(a, 0, sizeof(*a));
		a->s6_addr[10] = a->s6_addr[11] = 0xff;
		memcpy(&a->s6_addr[12], &in->sin_addr, 4);
		*port = in->sin_port;
	}
}

static int pp_is_ip(const struct sockaddr *sa)
{
	return sa && (sa->sa_family == AF_INET || sa->sa_family == AF_INET6);
}

size_t proxy_proto_v1(const struct sockaddr *src, const struct sockaddr *dst,
                      uint8_t *out)
{
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
	int n;

	if (!pp_is_ip(src) || !pp_is_ip(dst)) {
		memcpy(out, "PROXY UNKNOWN\r\n", 15);
		return 15;
	}
	if (src->sa_family == AF_INET && dst->sa_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)src;
		const struct sockaddr_in *b = (const struct sockaddr_in *)dst;

		inet_ntop(AF_INET, &a->sin_addr, s, sizeof(s));
		inet_ntop(AF_INET, &b->sin_addr, d, sizeof(d));
		n = snprintf((char *)out, PROXY_PROTO_OUT_MAX, "PROXY TCP4 %s %s %u %u\r\n",
		             s, d, ntohs(a->sin_port), ntohs(b->sin_port));
	} else {
		struct in6_addr a, b;
		uint16_t ap, bp;

		pp_as_v6(src, &a, &ap);
		pp_as_v6(dst, &b, &bp);
		inet_ntop(AF_INET6, &a, s, sizeof(s));
		inet_ntop(AF_INET6, &b, d, sizeof(d));
		n = snprintf((char *)out, PROXY_PROTO_OUT_MAX, "PROXY TCP6 %s %s %u %u\r\n",
		             s, d, ntohs(ap), ntohs(bp));
	}
	return (size_t)n;
}

size_t proxy_proto_v2(const struct sockaddr *src, const struct sockaddr *dst,
                      uint8_t *out)
{
	size_t alen;

	memcpy(out, proxy_proto_sig, PROXY_PROTO_SIG_LEN);
	if (!pp_is_ip(src) || !pp_is_ip(dst)) {
		out[12] = PP2_VERSION | PP2_CMD_LOCAL;
		out[13] = PP2_FAM_UNSPEC << 4;
		out[14] = out[15] = 0;
		return PROXY_PROTO_V2_FIXED;
	}
	out[12] = PP2_VERSION | PP2_CMD_PROXY;
	if (src->sa_family == AF_INET && dst->sa_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)src;
		const struct sockaddr_in *b = (const struct sockaddr_in *)dst;

		out[13] = PP2_FAM_INET << 4 | PP2_TRANS_STREAM;
		memcpy(out + 16, &a->sin_addr, 4);
		memcpy(out + 20, &b->sin_addr, 4);
		memcpy(out + 24, &a->sin_port, 2);
		memcpy(out + 26, &b->sin_port, 2);
		alen = 12;
	} else {
		struct in6_addr a, b;
		uint16_t ap, bp;

		pp_as_v6(src, &a, &ap);
		pp_as_v6(dst, &b, &bp);
		out[13] = PP2_FAM_INET6 << 4 | PP2_TRANS_STREAM;
		memcpy(out + 16, &a, 16);
		memcpy(out + 32, &b, 16);
		memcpy(out + 48, &ap, 2);
		memcpy(out + 50, &bp, 2);
		alen = 36;
	}
	out[14] = (uint8_t)(alen >> 8);
	out[15] = (uint8_t)alen;
	return PROXY_PROTO_V2_FIXED + alen;
}
