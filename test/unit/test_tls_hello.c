/*
 * test_tls_hello.c: the ClientHello reader (common/tls_hello.c): a hello
 * built here field by field is read back whole (SNI, ALPN list, groups,
 * session ticket, versions); every prefix of it is "need more", never
 * bad and never a wrong answer; hellos split over records, truncated or
 * overlong lengths and non-TLS bytes are refused; random corruptions of
 * a valid hello never read outside the buffer (run under ASan with
 * --enable-asan).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tls_hello.h"

struct hbuf {
	uint8_t b[4096];
	size_t n;
};

static void put(struct hbuf *h, const void *p, size_t n)
{
	ck_assert_uint_le(h->n + n, sizeof(h->b));
	memcpy(h->b + h->n, p, n);
	h->n += n;
}

static void put8(struct hbuf *h, unsigned v)
{
	uint8_t b = (uint8_t)v;

	put(h, &b, 1);
}

static void put16(struct hbuf *h, unsigned v)
{
	put8(h, v >> 8);
	put8(h, v);
}

/* Write a length of n bytes at h->b[at] (big-endian). */
static void patch(struct hbuf *h, size_t at, size_t n, size_t v)
{
	for (size_t i = 0; i < n; i++)
		h->b[at + i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

/*
 * A TLS 1.2-style ClientHello record: SNI `sni` (NULL: none), ALPN names
 * "h2" and "http/1.1" when alpn, supported_groups when groups, a session
 * ticket extension of `ticket` bytes (-1: none).
 */
static void hello(struct hbuf *h, const char *sni, int alpn, int groups,
                  int ticket)
{
	size_t rec, hs, exts, e, l;
	uint8_t random[32] = { 7 };

	h->n = 0;
	put8(h, 22);
	put16(h, 0x0301);
	rec = h->n;
	put16(h, 0);
	put8(h, 1);
	hs = h->n;
	put(h, "\0\0\0", 3);
	put16(h, 0x0303);
	put(h, random, 32);
	put8(h, 0);                      /* session id */
	put16(h, 4);
	put16(h, 0x1301);
	put16(h, 0xc02f);
	put8(h, 1);
	put8(h, 0);                      /* null compression */
	exts = h->n;
	put16(h, 0);
	if (sni) {
		put16(h, 0);
		e = h->n;
		put16(h, 0);
		put16(h, strlen(sni) + 3);
		put8(h, 0);
		put16(h, strlen(sni));
		put(h, sni, strlen(sni));
		patch(h, e, 2, h->n - e - 2);
	}
	if (groups) {
		put16(h, 10);
		put16(h, 4);
		put16(h, 2);
		put16(h, 0x001d);
	}
	if (alpn) {
		put16(h, 16);
		e = h->n;
		put16(h, 0);
		l = h->n;
		put16(h, 0);
		put8(h, 2);
		put(h, "h2", 2);
		put8(h, 8);
		put(h, "http/1.1", 8);
		patch(h, l, 2, h->n - l - 2);
		patch(h, e, 2, h->n - e - 2);
	}
	if (ticket >= 0) {
		put16(h, 35);
		put16(h, (unsigned)ticket);
		for (int i = 0; i < ticket; i++)
			put8(h, 0xaa);
	}
	patch(h, exts, 2, h->n - exts - 2);
	patch(h, hs, 3, h->n - hs - 3);
	patch(h, rec, 2, h->n - rec - 2);
}

START_TEST(whole_hello)
{
	struct hbuf h;
	struct tls_hello t;
	const uint8_t *name = NULL;
	size_t nlen = 0;

	hello(&h, "a.example", 1, 1, 0);
	ck_assert_int_eq(tls_hello_parse(h.b, h.n, &t), TLS_HELLO_OK);
	ck_assert_uint_eq(t.hs_type, 1);
	ck_assert_uint_eq(t.rec_version, 3 * 65536 + 1);
	ck_assert_uint_eq(t.sni_len, 9);
	ck_assert(!memcmp(t.sni, "a.example", 9));
	ck_assert_uint_eq(t.has_ec, 1);
	ck_assert_uint_eq(t.ticket, 1);
	ck_assert(tls_hello_alpn_next(&t, &name, &nlen));
	ck_assert(nlen == 2 && !memcmp(name, "h2", 2));
	ck_assert(tls_hello_alpn_next(&t, &name, &nlen));
	ck_assert(nlen == 8 && !memcmp(name, "http/1.1", 8));
	ck_assert(!tls_hello_alpn_next(&t, &name, &nlen));

	hello(&h, NULL, 0, 0, 16);
	ck_assert_int_eq(tls_hello_parse(h.b, h.n, &t), TLS_HELLO_OK);
	ck_assert_ptr_null(t.sni);
	ck_assert_ptr_null(t.alpn);
	ck_assert_uint_eq(t.has_ec, 0);
	ck_assert_uint_eq(t.ticket, 2);
	name = NULL;
	ck_assert(!tls_hello_alpn_next(&t, &name, &nlen));
	/* bytes after the record (early data...) change nothing */
	hello(&h, "b.example", 0, 0, -1);
	put(&h, "\x17\x03\x03", 3);
	ck_assert_int_eq(tls_hello_parse(h.b, h.n, &t), TLS_HELLO_OK);
	ck_assert(t.sni_len == 9 && !memcmp(t.sni, "b.example", 9));
}
END_TEST

START_TEST(every_prefix_needs_more)
{
	struct hbuf h;
	struct tls_hello t;

	hello(&h, "split.example", 1, 1, 4);
	for (size_t n = 0; n < h.n; n++) {
		ck_assert_msg(tls_hello_parse(h.b, n, &t) == TLS_HELLO_MORE,
		              "prefix of %zu bytes", n);
		ck_assert_ptr_null(t.sni);
		ck_assert(!(t.known & TLS_HELLO_KNOWN_TYPE));
		ck_assert(n < 5 || (t.known & TLS_HELLO_KNOWN_RECORD));
	}
	ck_assert_int_eq(tls_hello_parse(h.b, h.n, &t), TLS_HELLO_OK);
	ck_assert(t.known & TLS_HELLO_KNOWN_TYPE);
}
END_TEST

START_TEST(malformed)
{
	struct hbuf h;
	struct tls_hello t;

	/* not a handshake record, not version 3 */
	ck_assert_int_eq(tls_hello_parse((const uint8_t *)"GET / HTTP/1.0",
	                                 14, &t), TLS_HELLO_BAD);
	ck_assert_int_eq(tls_hello_parse((const uint8_t *)"\x16\x02", 2, &t),
	                 TLS_HELLO_BAD);
	/* record too short for a handshake header */
	ck_assert_int_eq(tls_hello_parse((const uint8_t *)"\x16\x03\x01\x00\x02",
	                                 5, &t), TLS_HELLO_BAD);
	/* handshake message longer than its record: split over records */
	hello(&h, "a.example", 0, 0, -1);
	patch(&h, 3, 2, h.n - 5 - 1);
	ck_assert_int_eq(tls_hello_parse(h.b, h.n, &t), TLS_HELLO_BAD);
	/* an extension running past the extension block */
	hello(&h, "a.example", 0, 0, -1);
	patch(&h, h.n - 9 - 2 - 2 - 1 - 2, 2, 200);
	ck_assert_int_eq(tls_hello_parse(h.b, h.n, &t), TLS_HELLO_BAD);
	/* a server name entry running past its list */
	hello(&h, "a.example", 0, 0, -1);
	patch(&h, h.n - 9 - 2, 2, 10);
	ck_assert_int_eq(tls_hello_parse(h.b, h.n, &t), TLS_HELLO_BAD);
	/* cipher suites longer than the message */
	hello(&h, NULL, 0, 0, -1);
	patch(&h, 5 + 4 + 2 + 32 + 1, 2, 0xfff0);
	ck_assert_int_eq(tls_hello_parse(h.b, h.n, &t), TLS_HELLO_BAD);
	/* a record beyond TLS's size limit */
	ck_assert_int_eq(tls_hello_parse((const uint8_t *)"\x16\x03\x01\xff\xff",
	                                 5, &t), TLS_HELLO_BAD);
}
END_TEST

START_TEST(other_handshake_type)
{
	struct hbuf h;
	struct tls_hello t;

	hello(&h, "a.example", 0, 0, -1);
	h.b[5] = 2;                      /* ServerHello */
	ck_assert_int_eq(tls_hello_parse(h.b, h.n, &t), TLS_HELLO_OK);
	ck_assert_uint_eq(t.hs_type, 2);
	ck_assert_ptr_null(t.sni);
}
END_TEST

START_TEST(random_corruption)
{
	struct hbuf h, m;
	struct tls_hello t;
	uint32_t seed = 12345;

	hello(&h, "fuzz.example", 1, 1, 8);
	for (int round = 0; round < 20000; round++) {
		uint8_t *copy;
		size_t cut;

		m = h;
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			m.b[(seed >> 8) % m.n] = (uint8_t)(seed >> 20);
		}
		seed = seed * 1103515245u + 12345u;
		cut = (seed >> 8) % (m.n + 1);
		/* an exact-size copy, so that ASan sees a read past it */
		copy = malloc(cut ? cut : 1);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, m.b, cut);
		if (tls_hello_parse(copy, cut, &t) == TLS_HELLO_OK && t.sni) {
			ck_assert(t.sni >= copy && t.sni + t.sni_len <= copy + cut);
		}
		free(copy);
	}
}
END_TEST

static Suite *tls_hello_suite(void)
{
	Suite *s = suite_create("tls_hello");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, whole_hello);
	tcase_add_test(tc, every_prefix_needs_more);
	tcase_add_test(tc, malformed);
	tcase_add_test(tc, other_handshake_type);
	tcase_add_test(tc, random_corruption);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(tls_hello_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
