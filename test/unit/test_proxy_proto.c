/*
 * test_proxy_proto.c: PROXY protocol headers (runtime/proxy_proto.c):
 * byte-for-byte v1 and v2 encoding (the v2 references are what HAProxy
 * itself sends), parsing of valid headers whole and byte by byte, and
 * every malformed case refused with a message.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "proxy_proto.h"

#define PP_MAX 16384u

static const uint8_t sig[12] = {
	0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a
};

static struct sockaddr_in v4(const char *ip, uint16_t port)
{
	struct sockaddr_in in;

	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_port = htons(port);
	ck_assert_int_eq(inet_pton(AF_INET, ip, &in.sin_addr), 1);
	return in;
}

static struct sockaddr_in6 v6(const char *ip, uint16_t port)
{
	struct sockaddr_in6 in6;

	memset(&in6, 0, sizeof(in6));
	in6.sin6_family = AF_INET6;
	in6.sin6_port = htons(port);
	ck_assert_int_eq(inet_pton(AF_INET6, ip, &in6.sin6_addr), 1);
	return in6;
}

/* Bytes from a hex string. */
static size_t unhex(const char *hex, uint8_t *out)
{
	size_t n = 0;

	for (; hex[0] && hex[1]; hex += 2) {
		unsigned v;

		ck_assert_int_eq(sscanf(hex, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
	}
	return n;
}

static enum proxy_proto_res parse(const void *buf, size_t len,
                                  struct proxy_proto_hdr *h, char *err)
{
	err[0] = '\0';
	return proxy_proto_parse(buf, len, PP_MAX, h, err, 256);
}

/* ---- encoding ----------------------------------------------------------- */

START_TEST(v1_tcp4)
{
	struct sockaddr_in s = v4("192.168.0.1", 56324), d = v4("192.168.0.11", 443);
	uint8_t out[PROXY_PROTO_OUT_MAX];
	size_t n = proxy_proto_v1((struct sockaddr *)&s, (struct sockaddr *)&d, out);
	const char *want = "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n";

	ck_assert_uint_eq(n, strlen(want));
	ck_assert(memcmp(out, want, n) == 0);
}
END_TEST

START_TEST(v1_tcp6_and_mixed)
{
	struct sockaddr_in6 s = v6("2001:db8::1", 1), d = v6("::1", 65535);
	struct sockaddr_in d4 = v4("10.0.0.2", 80);
	uint8_t out[PROXY_PROTO_OUT_MAX];
	size_t n = proxy_proto_v1((struct sockaddr *)&s, (struct sockaddr *)&d, out);
	const char *w1 = "PROXY TCP6 2001:db8::1 ::1 1 65535\r\n";
	const char *w2 = "PROXY TCP6 2001:db8::1 ::ffff:10.0.0.2 1 80\r\n";

	ck_assert_uint_eq(n, strlen(w1));
	ck_assert(memcmp(out, w1, n) == 0);
	n = proxy_proto_v1((struct sockaddr *)&s, (struct sockaddr *)&d4, out);
	ck_assert_uint_eq(n, strlen(w2));
	ck_assert(memcmp(out, w2, n) == 0);
}
END_TEST

START_TEST(v1_unknown_for_unix)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	struct sockaddr_in d = v4("127.0.0.1", 80);
	uint8_t out[PROXY_PROTO_OUT_MAX];
	size_t n = proxy_proto_v1((struct sockaddr *)&un, (struct sockaddr *)&d, out);

	ck_assert_uint_eq(n, 15);
	ck_assert(memcmp(out, "PROXY UNKNOWN\r\n", 15) == 0);
}
END_TEST

/* HAProxy 2.6 sent exactly these bytes for the same addresses. */
START_TEST(v2_inet_matches_haproxy)
{
	struct sockaddr_in s = v4("127.0.0.1", 56324), d = v4("127.0.0.1", 17001);
	uint8_t out[PROXY_PROTO_OUT_MAX], want[64];
	size_t wn = unhex("0d0a0d0a000d0a515549540a2111000c7f0000017f000001dc044269", want);
	size_t n = proxy_proto_v2((struct sockaddr *)&s, (struct sockaddr *)&d, out);

	ck_assert_uint_eq(n, 28);
	ck_assert_uint_eq(n, wn);
	ck_assert(memcmp(out, want, n) == 0);
}
END_TEST

START_TEST(v2_inet6_matches_haproxy)
{
	struct sockaddr_in6 s = v6("::1", 39196), d = v6("::1", 17004);
	uint8_t out[PROXY_PROTO_OUT_MAX], want[64];
	size_t wn = unhex("0d0a0d0a000d0a515549540a21210024"
	                  "00000000000000000000000000000001"
	                  "00000000000000000000000000000001991c426c", want);
	size_t n = proxy_proto_v2((struct sockaddr *)&s, (struct sockaddr *)&d, out);

	ck_assert_uint_eq(n, 52);
	ck_assert_uint_eq(n, wn);
	ck_assert(memcmp(out, want, n) == 0);
}
END_TEST

START_TEST(v2_local_for_unix)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	uint8_t out[PROXY_PROTO_OUT_MAX];
	size_t n = proxy_proto_v2((struct sockaddr *)&un, (struct sockaddr *)&un, out);

	ck_assert_uint_eq(n, 16);
	ck_assert(memcmp(out, sig, 12) == 0);
	ck_assert_uint_eq(out[12], 0x20);
	ck_assert_uint_eq(out[13], 0x00);
	ck_assert_uint_eq(out[14], 0);
	ck_assert_uint_eq(out[15], 0);
}
END_TEST

START_TEST(round_trip)
{
	struct sockaddr_in6 s = v6("2001:db8::7", 4242), d = v6("fe80::1", 8443);
	uint8_t out[PROXY_PROTO_OUT_MAX + 8];
	struct proxy_proto_hdr h;
	char err[256];

	for (int ver = 1; ver <= 2; ver++) {
		size_t n = ver == 1 ?
		           proxy_proto_v1((struct sockaddr *)&s, (struct sockaddr *)&d, out) :
		           proxy_proto_v2((struct sockaddr *)&s, (struct sockaddr *)&d, out);

		memcpy(out + n, "data", 4);
		ck_assert_int_eq(parse(out, n + 4, &h, err), PROXY_PROTO_OK);
		ck_assert_uint_eq(h.len, n);
		ck_assert_uint_eq(h.version, ver);
		ck_assert_uint_eq(h.has_addr, 1);
		ck_assert_uint_eq(h.srclen, sizeof(s));
		ck_assert(memcmp(&h.src, &s, sizeof(s)) == 0);
		ck_assert(memcmp(&h.dst, &d, sizeof(d)) == 0);
	}
}
END_TEST

START_TEST(crc32c_reference)
{
	/* The check value of CRC-32C over "123456789". */
	ck_assert_uint_eq(proxy_proto_crc32c((const uint8_t *)"123456789", 9),
	                  0xe3069283u);
}
END_TEST

/* ---- parsing valid headers ---------------------------------------------- */

START_TEST(v1_valid_byte_by_byte)
{
	const char *hdr = "PROXY TCP4 10.1.2.3 10.9.8.7 0 65535\r\n";
	size_t n = strlen(hdr);
	struct proxy_proto_hdr h;
	char err[256];
	struct sockaddr_in *in = (struct sockaddr_in *)&h.src;

	for (size_t i = 0; i < n; i++)
		ck_assert_msg(parse(hdr, i, &h, err) == PROXY_PROTO_MORE,
		              "prefix of %zu bytes: %s", i, err);
	ck_assert_int_eq(parse(hdr, n, &h, err), PROXY_PROTO_OK);
	ck_assert_uint_eq(h.len, n);
	ck_assert_uint_eq(h.version, 1);
	ck_assert_uint_eq(h.has_addr, 1);
	ck_assert_uint_eq(in->sin_family, AF_INET);
	ck_assert_uint_eq(ntohl(in->sin_addr.s_addr), 0x0a010203u);
	ck_assert_uint_eq(ntohs(in->sin_port), 0);
	ck_assert_uint_eq(ntohs(((struct sockaddr_in *)&h.dst)->sin_port), 65535);
}
END_TEST

START_TEST(v1_unknown)
{
	struct proxy_proto_hdr h;
	char err[256];

	ck_assert_int_eq(parse("PROXY UNKNOWN\r\nx", 16, &h, err), PROXY_PROTO_OK);
	ck_assert_uint_eq(h.len, 15);
	ck_assert_uint_eq(h.has_addr, 0);
	ck_assert_int_eq(parse("PROXY UNKNOWN ffff::1 ::1 1 2\r\n", 31, &h, err),
	                 PROXY_PROTO_OK);
	ck_assert_uint_eq(h.len, 31);
	ck_assert_uint_eq(h.has_addr, 0);
}
END_TEST

/* A v2 header: fixed part, `body` of `blen` bytes. */
static size_t v2_hdr(uint8_t *out, uint8_t ver_cmd, uint8_t fam,
                     const uint8_t *body, size_t blen)
{
	memcpy(out, sig, 12);
	out[12] = ver_cmd;
	out[13] = fam;
	out[14] = (uint8_t)(blen >> 8);
	out[15] = (uint8_t)blen;
	memcpy(out + 16, body, blen);
	return 16 + blen;
}

static const uint8_t inet_body[12] = {
	1, 2, 3, 4, 5, 6, 7, 8, 0x12, 0x34, 0x00, 0x50
};

START_TEST(v2_valid_byte_by_byte)
{
	uint8_t buf[64];
	size_t n = v2_hdr(buf, 0x21, 0x11, inet_body, sizeof(inet_body));
	struct proxy_proto_hdr h;
	char err[256];
	struct sockaddr_in *s = (struct sockaddr_in *)&h.src;
	struct sockaddr_in *d = (struct sockaddr_in *)&h.dst;

	for (size_t i = 0; i < n; i++)
		ck_assert_msg(parse(buf, i, &h, err) == PROXY_PROTO_MORE,
		              "prefix of %zu bytes: %s", i, err);
	ck_assert_int_eq(parse(buf, n, &h, err), PROXY_PROTO_OK);
	ck_assert_uint_eq(h.len, 28);
	ck_assert_uint_eq(h.version, 2);
	ck_assert_uint_eq(h.has_addr, 1);
	ck_assert_uint_eq(ntohl(s->sin_addr.s_addr), 0x01020304u);
	ck_assert_uint_eq(ntohl(d->sin_addr.s_addr), 0x05060708u);
	ck_assert_uint_eq(ntohs(s->sin_port), 0x1234);
	ck_assert_uint_eq(ntohs(d->sin_port), 80);
}
END_TEST

START_TEST(v2_local_and_keep_address_cases)
{
	uint8_t buf[300], body[260];
	struct proxy_proto_hdr h;
	char err[256];
	size_t n;

	memset(body, 0, sizeof(body));
	/* LOCAL, UNSPEC: no address. */
	n = v2_hdr(buf, 0x20, 0x00, body, 0);
	ck_assert_int_eq(parse(buf, n, &h, err), PROXY_PROTO_OK);
	ck_assert_uint_eq(h.has_addr, 0);
	/* LOCAL with a short INET block is ignored, not refused. */
	n = v2_hdr(buf, 0x20, 0x11, body, 4);
	ck_assert_int_eq(parse(buf, n, &h, err), PROXY_PROTO_OK);
	ck_assert_uint_eq(h.len, 20);
	/* PROXY over UNSPEC, DGRAM or UNIX: the connection's addresses stay. */
	n = v2_hdr(buf, 0x21, 0x00, body, 0);
	ck_assert_int_eq(parse(buf, n, &h, err), PROXY_PROTO_OK);
	ck_assert_uint_eq(h.has_addr, 0);
	n = v2_hdr(buf, 0x21, 0x12, inet_body, 12);
	ck_assert_int_eq(parse(buf, n, &h, err), PROXY_PROTO_OK);
	ck_assert_uint_eq(h.has_addr, 0);
	n = v2_hdr(buf, 0x21, 0x31, body, 216);
	ck_assert_int_eq(parse(buf, n, &h, err), PROXY_PROTO_OK);
	ck_assert_uint_eq(h.has_addr, 0);
	ck_assert_uint_eq(h.len, 232);
}
END_TEST

START_TEST(v2_tlvs_and_crc)
{
	uint8_t buf[64], body[40];
	struct proxy_proto_hdr h;
	char err[256];
	size_t n;
	uint32_t crc;

	memcpy(body, inet_body, 12);
	/* NOOP TLV (type 4) of 2 bytes, then a CRC32C TLV. */
	memcpy(body + 12, "\x04\x00\x02xy\x03\x00\x04\x00\x00\x00\x00", 12);
	n = v2_hdr(buf, 0x21, 0x11, body, 24);
	crc = proxy_proto_crc32c(buf, n);
	buf[n - 4] = (uint8_t)(crc >> 24);
	buf[n - 3] = (uint8_t)(crc >> 16);
	buf[n - 2] = (uint8_t)(crc >> 8);
	buf[n - 1] = (uint8_t)crc;
	ck_assert_msg(parse(buf, n, &h, err) == PROXY_PROTO_OK, "%s", err);
	ck_assert_uint_eq(h.len, 40);
	ck_assert_uint_eq(h.has_addr, 1);
	buf[n - 1] ^= 1;
	ck_assert_int_eq(parse(buf, n, &h, err), PROXY_PROTO_BAD);
	ck_assert_msg(strstr(err, "CRC32C") != NULL, "%s", err);
}
END_TEST

/* The TLVs of a PROXY header over TCP are located for the fc_pp_*
 * fetches: each occurrence of a type in order, SSL sub-types inside the
 * SSL TLV; LOCAL, UNSPEC and v1 headers keep none. */
START_TEST(v2_tlv_lookup)
{
	static const uint8_t tlvs[] =
		"\x05\x00\x03" "abc"            /* UNIQUE_ID */
		"\xe1\x00\x01" "1"
		"\x20\x00\x0d" "\x01\x00\x00\x00\x00"
		"\x22\x00\x05" "cn.io"          /* SSL { SSL_CN } */
		"\xe1\x00\x01" "2";
	uint8_t buf[128], body[100];
	struct proxy_proto_hdr h;
	const uint8_t *v;
	size_t vl, n, tl = sizeof(tlvs) - 1;
	char err[256];

	memcpy(body, inet_body, 12);
	memcpy(body + 12, tlvs, tl);
	n = v2_hdr(buf, 0x21, 0x11, body, 12 + tl);
	ck_assert_msg(parse(buf, n, &h, err) == PROXY_PROTO_OK, "%s", err);
	ck_assert_uint_eq(h.tlv_off, 28);
	ck_assert_uint_eq(h.tlv_len, tl);
	ck_assert_int_eq(proxy_proto_tlv(buf + h.tlv_off, h.tlv_len, 0x05, 0,
	                                 &v, &vl), 1);
	ck_assert_uint_eq(vl, 3);
	ck_assert_int_eq(memcmp(v, "abc", 3), 0);
	ck_assert_int_eq(proxy_proto_tlv(buf + h.tlv_off, h.tlv_len, 0xe1, 1,
	                                 &v, &vl), 1);
	ck_assert_int_eq(v[0], '2');
	ck_assert_int_eq(proxy_proto_tlv(buf + h.tlv_off, h.tlv_len, 0xe1, 2,
	                                 &v, &vl), 0);
	ck_assert_int_eq(proxy_proto_tlv(buf + h.tlv_off, h.tlv_len, 0x22, 0,
	                                 &v, &vl), 1);
	ck_assert_uint_eq(vl, 5);
	ck_assert_int_eq(memcmp(v, "cn.io", 5), 0);
	ck_assert_int_eq(proxy_proto_tlv(buf + h.tlv_off, h.tlv_len, 0x02, 0,
	                                 &v, &vl), 0);
	/* HAProxy's limits: UNIQUE_ID up to 128 bytes, AUTHORITY up to 255 */
	{
		uint8_t big[300], hb[360];
		size_t bl;

		memcpy(big, inet_body, 12);
		memset(big + 12, 'u', sizeof(big) - 12);
		big[12] = 0x05;
		big[13] = 0;
		big[14] = 128;
		bl = v2_hdr(hb, 0x21, 0x11, big, 12 + 3 + 128);
		ck_assert_msg(parse(hb, bl, &h, err) == PROXY_PROTO_OK, "%s", err);
		big[14] = 129;
		bl = v2_hdr(hb, 0x21, 0x11, big, 12 + 3 + 129);
		ck_assert_int_eq(parse(hb, bl, &h, err), PROXY_PROTO_BAD);
		ck_assert_msg(strstr(err, "UNIQUE_ID TLV of 129 bytes") != NULL,
		              "%s", err);
		big[12] = 0x02;
		big[13] = 1;
		big[14] = 0;             /* 256 bytes */
		bl = v2_hdr(hb, 0x21, 0x11, big, 12 + 3 + 256);
		ck_assert_int_eq(parse(hb, bl, &h, err), PROXY_PROTO_BAD);
		ck_assert_msg(strstr(err, "AUTHORITY TLV of 256 bytes") != NULL,
		              "%s", err);
	}
	/* LOCAL: the TLVs are not kept */
	n = v2_hdr(buf, 0x20, 0x11, body, 12 + tl);
	ck_assert_int_eq(parse(buf, n, &h, err), PROXY_PROTO_OK);
	ck_assert_uint_eq(h.tlv_len, 0);
	ck_assert_int_eq(parse("PROXY TCP4 1.1.1.1 2.2.2.2 1 2\r\n", 32, &h, err),
	                 PROXY_PROTO_OK);
	ck_assert_uint_eq(h.tlv_len, 0);
}
END_TEST

/* ---- malformed headers -------------------------------------------------- */

/* Each malformed v1 line is refused once complete, naming the problem. */
START_TEST(v1_malformed)
{
	static const struct {
		const char *text;
		const char *msg;       /* expected in the error */
	} cases[] = {
		{ "GET / HTTP/1.0\r\n", "expected a PROXY protocol header" },
		{ "proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n", "expected a PROXY protocol header" },
		{ "PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n", "TCP4, TCP6 or UNKNOWN" },
		{ "PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n", "TCP4, TCP6 or UNKNOWN" },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n", "bare LF" },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\r\n", "printable" },
		{ "PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n", "empty field" },
		{ "PROXY  TCP4 1.2.3.4 5.6.7.8 1 2\r\n", "empty field" },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n", "found more" },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n", "found 5" },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n", "found more" },
		{ "PROXY TCP4\r\n", "found 2" },
		{ "PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n", "IPv4 source" },
		{ "PROXY TCP4 1.2.3.4 5.6.7.256 1 2\r\n", "IPv4 destination" },
		{ "PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n", "IPv4 source" },
		{ "PROXY TCP4 ::1 5.6.7.8 1 2\r\n", "IPv4 source" },
		{ "PROXY TCP6 1.2.3.4 ::1 1 2\r\n", "IPv6 source" },
		{ "PROXY TCP6 ::1 ::g 1 2\r\n", "IPv6 destination" },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n", "source port" },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 1 65536\r\n", "destination port" },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 -1 2\r\n", "source port" },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 1 2x\r\n", "destination port" },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 123456 2\r\n", "source port" },
		{ "PROXY UNKNOWNX\r\n", "TCP4, TCP6 or UNKNOWN" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct proxy_proto_hdr h;
		char err[256];
		enum proxy_proto_res r = parse(cases[i].text, strlen(cases[i].text),
		                               &h, err);

		ck_assert_msg(r == PROXY_PROTO_BAD, "case %zu accepted: %s", i,
		              cases[i].text);
		ck_assert_msg(strstr(err, cases[i].msg) != NULL,
		              "case %zu: '%s' lacks '%s'", i, err, cases[i].msg);
	}
}
END_TEST

START_TEST(v1_too_long_and_early)
{
	char line[200];
	struct proxy_proto_hdr h;
	char err[256];

	/* 107 bytes without a line end: refused, not waited for. */
	memset(line, 'A', sizeof(line));
	memcpy(line, "PROXY UNKNOWN ", 14);
	ck_assert_int_eq(parse(line, 106, &h, err), PROXY_PROTO_MORE);
	ck_assert_int_eq(parse(line, 107, &h, err), PROXY_PROTO_BAD);
	ck_assert_msg(strstr(err, "CRLF within 107") != NULL, "%s", err);
	/* A CRLF at byte 108 is too late as well. */
	line[106] = '\r';
	line[107] = '\n';
	ck_assert_int_eq(parse(line, 108, &h, err), PROXY_PROTO_BAD);
	/* The longest legal line (107 bytes) passes. */
	line[105] = '\r';
	line[106] = '\n';
	ck_assert_int_eq(parse(line, 107, &h, err), PROXY_PROTO_OK);
	ck_assert_uint_eq(h.len, 107);
	/* One wrong byte refuses at once. */
	ck_assert_int_eq(parse("G", 1, &h, err), PROXY_PROTO_BAD);
	ck_assert_int_eq(parse("PROXX", 5, &h, err), PROXY_PROTO_BAD);
	ck_assert_int_eq(parse("PROX", 4, &h, err), PROXY_PROTO_MORE);
	ck_assert_int_eq(parse("\r\n\r\n\x01", 5, &h, err), PROXY_PROTO_BAD);
}
END_TEST

START_TEST(v2_malformed)
{
	static const struct {
		uint8_t ver_cmd, fam;
		uint16_t blen;         /* body bytes (zeroes after the address) */
		const char *tlv;       /* bytes after a 12-byte INET block */
		size_t tlvlen;
		const char *msg;
	} cases[] = {
		{ 0x11, 0x11, 12, NULL, 0, "expected version 2" },
		{ 0x31, 0x11, 12, NULL, 0, "expected version 2" },
		{ 0x22, 0x11, 12, NULL, 0, "command LOCAL (0) or PROXY (1)" },
		{ 0x2f, 0x11, 12, NULL, 0, "command LOCAL (0) or PROXY (1)" },
		{ 0x21, 0x41, 12, NULL, 0, "family 0..3" },
		{ 0x21, 0x13, 12, NULL, 0, "transport 0..2" },
		{ 0x21, 0x11, 11, NULL, 0, "12-byte address block" },
		{ 0x21, 0x21, 35, NULL, 0, "36-byte address block" },
		{ 0x21, 0x31, 215, NULL, 0, "216-byte address block" },
		{ 0x21, 0x11, 13, "\x04", 1, "3-byte TLV header" },
		{ 0x21, 0x11, 14, "\x04\x00", 2, "3-byte TLV header" },
		{ 0x21, 0x11, 16, "\x04\x00\x02x", 4, "claims 2 bytes" },
		{ 0x21, 0x11, 18, "\x03\x00\x03\x00\x00\x00", 6, "4-byte CRC32C" },
		{ 0x21, 0x11, 19, "\x03\x00\x04\x00\x00\x00\x01", 7, "CRC32C TLV says" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t buf[300], body[260];
		struct proxy_proto_hdr h;
		char err[256];
		size_t n;

		memset(body, 0, sizeof(body));
		memcpy(body, inet_body, 12);
		if (cases[i].tlv)
			memcpy(body + 12, cases[i].tlv, cases[i].tlvlen);
		n = v2_hdr(buf, cases[i].ver_cmd, cases[i].fam, body, cases[i].blen);
		ck_assert_msg(parse(buf, n, &h, err) == PROXY_PROTO_BAD,
		              "case %zu accepted", i);
		ck_assert_msg(strstr(err, cases[i].msg) != NULL,
		              "case %zu: '%s' lacks '%s'", i, err, cases[i].msg);
	}
}
END_TEST

START_TEST(v2_too_long)
{
	uint8_t buf[16];
	struct proxy_proto_hdr h;
	char err[256];

	memcpy(buf, sig, 12);
	buf[12] = 0x21;
	buf[13] = 0x11;
	buf[14] = 0xff;
	buf[15] = 0xff;
	/* Refused from the fixed part alone, without waiting for 64 KB. */
	ck_assert_int_eq(proxy_proto_parse(buf, 16, 1024, &h, err, sizeof(err)),
	                 PROXY_PROTO_BAD);
	ck_assert_msg(strstr(err, "65551 bytes") != NULL, "%s", err);
	/* Early refusal on a wrong version byte, before the length. */
	buf[12] = 0x12;
	ck_assert_int_eq(parse(buf, 13, &h, err), PROXY_PROTO_BAD);
}
END_TEST

/* Random bytes never crash the parser and a refusal always says why. */
START_TEST(random_bytes)
{
	uint8_t buf[256];
	unsigned seed = 12345;

	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)(rand_r(&seed) % sizeof(buf));
		struct proxy_proto_hdr h;
		char err[256];
		enum proxy_proto_res r;

		for (size_t i = 0; i < n; i++)
			buf[i] = (uint8_t)rand_r(&seed);
		/* Half the rounds start with a valid prefix to go deeper. */
		if (round & 1 && n >= 12)
			memcpy(buf, sig, 12);
		else if (round % 4 == 2 && n >= 6)
			memcpy(buf, "PROXY ", 6);
		r = parse(buf, n, &h, err);
		if (r == PROXY_PROTO_BAD)
			ck_assert(err[0] != '\0');
		if (r == PROXY_PROTO_OK)
			ck_assert(h.len <= n);
	}
}
END_TEST

static Suite *proxy_proto_suite(void)
{
	Suite *s = suite_create("proxy_proto");
	TCase *enc = tcase_create("encode");
	TCase *ok = tcase_create("parse");
	TCase *bad = tcase_create("malformed");

	tcase_add_test(enc, v1_tcp4);
	tcase_add_test(enc, v1_tcp6_and_mixed);
	tcase_add_test(enc, v1_unknown_for_unix);
	tcase_add_test(enc, v2_inet_matches_haproxy);
	tcase_add_test(enc, v2_inet6_matches_haproxy);
	tcase_add_test(enc, v2_local_for_unix);
	tcase_add_test(enc, round_trip);
	tcase_add_test(enc, crc32c_reference);
	tcase_add_test(ok, v1_valid_byte_by_byte);
	tcase_add_test(ok, v1_unknown);
	tcase_add_test(ok, v2_valid_byte_by_byte);
	tcase_add_test(ok, v2_local_and_keep_address_cases);
	tcase_add_test(ok, v2_tlvs_and_crc);
	tcase_add_test(ok, v2_tlv_lookup);
	tcase_add_test(bad, v1_malformed);
	tcase_add_test(bad, v1_too_long_and_early);
	tcase_add_test(bad, v2_malformed);
	tcase_add_test(bad, v2_too_long);
	tcase_add_test(bad, random_bytes);
	suite_add_tcase(s, enc);
	suite_add_tcase(s, ok);
	suite_add_tcase(s, bad);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(proxy_proto_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
