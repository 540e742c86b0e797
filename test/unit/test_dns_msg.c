/*
 * test_dns_msg.c: DNS queries and answers (runtime/net/dns_msg.c): the
 * query bytes, answers read (compression, CNAME chains, case, AAAA), and
 * every malformed or foreign answer refused without reading out of
 * bounds: each prefix of a valid answer, pointer loops, records running
 * past the end, wrong lengths, ids, questions and flags, random tails.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "dns_msg.h"

/* A growing message. */
struct msg {
	uint8_t b[4096];
	size_t n;
};

static void put(struct msg *m, const void *p, size_t n)
{
	ck_assert_uint_le(m->n + n, sizeof(m->b));
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void put16(struct msg *m, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(m, b, 2);
}

static void put32(struct msg *m, uint32_t v)
{
	put16(m, (uint16_t)(v >> 16));
	put16(m, (uint16_t)v);
}

/* name in wire form, no compression */
static void put_name(struct msg *m, const char *name)
{
	while (*name) {
		size_t l = strcspn(name, ".");
		uint8_t lb = (uint8_t)l;

		put(m, &lb, 1);
		put(m, name, l);
		name += l + (name[l] == '.');
	}
	put(m, "", 1);
}

static void header(struct msg *m, uint16_t id, uint16_t flags, uint16_t an)
{
	m->n = 0;
	put16(m, id);
	put16(m, flags);
	put16(m, 1);
	put16(m, an);
	put16(m, 0);
	put16(m, 0);
}

static void question(struct msg *m, const char *name, uint16_t type)
{
	put_name(m, name);
	put16(m, type);
	put16(m, DNS_CLASS_IN);
}

/* a record whose owner is a pointer to offset `ptr` */
static void rr_ptr(struct msg *m, uint16_t ptr, uint16_t type,
                   const void *data, uint16_t len)
{
	put16(m, (uint16_t)(0xc000 | ptr));
	put16(m, type);
	put16(m, DNS_CLASS_IN);
	put32(m, 60);
	put16(m, len);
	put(m, data, len);
}

static const uint8_t ip1[4] = { 127, 0, 0, 1 }, ip2[4] = { 127, 0, 0, 2 };

/* "app.test" A -> 127.0.0.1, 127.0.0.2 (owner: pointer to the question) */
static void valid_answer(struct msg *m)
{
	header(m, 0x1234, 0x8180, 2);
	question(m, "app.test", DNS_TYPE_A);
	rr_ptr(m, 12, DNS_TYPE_A, ip1, 4);
	rr_ptr(m, 12, DNS_TYPE_A, ip2, 4);
}

START_TEST(query_bytes)
{
	static const uint8_t want[] = {
		0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
		3, 'a', 'p', 'p', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1,
	};
	uint8_t b[512];
	int n = dns_msg_query(b, sizeof(b), 0x1234, "app.test.", DNS_TYPE_A, 512);

	ck_assert_int_eq(n, (int)sizeof(want));
	ck_assert_mem_eq(b, want, sizeof(want));
	/* EDNS0: ARCOUNT 1 and an OPT record announcing the size */
	n = dns_msg_query(b, sizeof(b), 0x1234, "app.test", DNS_TYPE_AAAA, 4096);
	ck_assert_int_eq(n, (int)sizeof(want) + 11);
	ck_assert_int_eq(b[11], 1);
	ck_assert_int_eq(b[sizeof(want) - 3], DNS_TYPE_AAAA);
	ck_assert_int_eq(b[sizeof(want) + 2], DNS_TYPE_OPT);
	ck_assert_int_eq(b[sizeof(want) + 3] << 8 | b[sizeof(want) + 4], 4096);
}
END_TEST

START_TEST(query_bad_names)
{
	char big[300];
	uint8_t b[600];

	ck_assert_int_eq(dns_msg_query(b, sizeof(b), 1, "", DNS_TYPE_A, 0), -1);
	ck_assert_int_eq(dns_msg_query(b, sizeof(b), 1, "a..b", DNS_TYPE_A, 0), -1);
	ck_assert_int_eq(dns_msg_query(b, sizeof(b), 1, ".a", DNS_TYPE_A, 0), -1);
	memset(big, 'x', 64);
	big[64] = 0;
	ck_assert_int_eq(dns_msg_query(b, sizeof(b), 1, big, DNS_TYPE_A, 0), -1);
	for (int i = 0; i < 299; i++)
		big[i] = i % 2 ? '.' : 'y';
	big[299] = 0;
	ck_assert_int_eq(dns_msg_query(b, sizeof(b), 1, big, DNS_TYPE_A, 0), -1);
	ck_assert_int_eq(dns_msg_query(b, 20, 1, "app.test", DNS_TYPE_A, 0), -1);
}
END_TEST

START_TEST(answer_valid)
{
	struct msg m;
	struct dns_answer a;

	valid_answer(&m);
	ck_assert_int_eq(dns_msg_parse(m.b, m.n, 0x1234, "APP.Test.", DNS_TYPE_A,
	                               &a), DNS_MSG_OK);
	ck_assert_uint_eq(a.rcode, DNS_RCODE_NOERROR);
	ck_assert_uint_eq(a.naddr, 2);
	ck_assert_mem_eq(a.addr[0].ip, ip1, 4);
	ck_assert_mem_eq(a.addr[1].ip, ip2, 4);
	ck_assert_uint_eq(a.addr[0].ttl, 60);
}
END_TEST

START_TEST(answer_cname_chain_and_others)
{
	static const uint8_t six[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct msg m, alias;
	struct dns_answer a;
	size_t target;

	/* AAAA of the final name first, then the CNAMEs in reverse order,
	 * and an AAAA of an unrelated name that must be left out */
	header(&m, 7, 0x8180, 4);
	question(&m, "web.example", DNS_TYPE_AAAA);
	target = m.n;
	put_name(&m, "real.example");
	put16(&m, DNS_TYPE_AAAA);
	put16(&m, DNS_CLASS_IN);
	put32(&m, 5);
	put16(&m, 16);
	put(&m, six, 16);
	/* mid.example CNAME real.example (pointer to it) */
	alias.n = 0;
	put_name(&alias, "mid");
	alias.n--;              /* drop the root: a pointer follows */
	put16(&alias, (uint16_t)(0xc000 | (target + 5)));  /* "example" */
	{
		size_t mid = m.n;
		uint8_t ptr[2] = { (uint8_t)(0xc0 | target >> 8), (uint8_t)target };

		put(&m, alias.b, alias.n);
		put16(&m, DNS_TYPE_CNAME);
		put16(&m, DNS_CLASS_IN);
		put32(&m, 5);
		put16(&m, 2);
		put(&m, ptr, 2);
		/* web.example CNAME mid.example */
		rr_ptr(&m, 12, DNS_TYPE_CNAME, (uint8_t[]){ (uint8_t)(0xc0 | mid >> 8),
		                                            (uint8_t)mid }, 2);
	}
	put_name(&m, "other.example");
	put16(&m, DNS_TYPE_AAAA);
	put16(&m, DNS_CLASS_IN);
	put32(&m, 5);
	put16(&m, 16);
	put(&m, six, 16);
	ck_assert_int_eq(dns_msg_parse(m.b, m.n, 7, "web.example", DNS_TYPE_AAAA,
	                               &a), DNS_MSG_OK);
	ck_assert_uint_eq(a.naddr, 1);
	ck_assert_uint_eq(a.addr[0].len, 16);
	ck_assert_mem_eq(a.addr[0].ip, six, 16);
}
END_TEST

START_TEST(answer_rcodes_and_truncation)
{
	struct msg m;
	struct dns_answer a;

	header(&m, 9, 0x8183, 0);
	question(&m, "gone.test", DNS_TYPE_A);
	ck_assert_int_eq(dns_msg_parse(m.b, m.n, 9, "gone.test", DNS_TYPE_A, &a),
	                 DNS_MSG_OK);
	ck_assert_uint_eq(a.rcode, DNS_RCODE_NXDOMAIN);
	ck_assert_uint_eq(a.naddr, 0);
	header(&m, 9, 0x8380, 0);       /* TC */
	question(&m, "gone.test", DNS_TYPE_A);
	ck_assert_int_eq(dns_msg_parse(m.b, m.n, 9, "gone.test", DNS_TYPE_A, &a),
	                 DNS_MSG_TRUNCATED);
}
END_TEST

START_TEST(answer_every_prefix_refused)
{
	struct msg m;
	struct dns_answer a;

	valid_answer(&m);
	for (size_t n = 0; n < m.n; n++) {
		uint8_t *copy = malloc(n ? n : 1);      /* exact size: ASan sees */

		memcpy(copy, m.b, n);
		ck_assert_int_eq(dns_msg_parse(copy, n, 0x1234, "app.test",
		                               DNS_TYPE_A, &a), DNS_MSG_BAD);
		free(copy);
	}
}
END_TEST

START_TEST(answer_malformed)
{
	struct msg m;
	struct dns_answer a;

	/* foreign: id, not a response, opcode, two questions, other name,
	 * other type */
	valid_answer(&m);
	ck_assert_int_eq(dns_msg_parse(m.b, m.n, 0x1235, "app.test", DNS_TYPE_A, &a), DNS_MSG_BAD);
	ck_assert_int_eq(dns_msg_parse(m.b, m.n, 0x1234, "app.tes", DNS_TYPE_A, &a), DNS_MSG_BAD);
	ck_assert_int_eq(dns_msg_parse(m.b, m.n, 0x1234, "app.test", DNS_TYPE_AAAA, &a), DNS_MSG_BAD);
	m.b[2] = 0x01;
	ck_assert_int_eq(dns_msg_parse(m.b, m.n, 0x1234, "app.test", DNS_TYPE_A, &a), DNS_MSG_BAD);
	m.b[2] = 0x81 | 0x10;           /* opcode 2 */
	ck_assert_int_eq(dns_msg_parse(m.b, m.n, 0x1234, "app.test", DNS_TYPE_A, &a), DNS_MSG_BAD);
	valid_answer(&m);
	m.b[5] = 2;
	ck_assert_int_eq(dns_msg_parse(m.b, m.n, 0x1234, "app.test", DNS_TYPE_A, &a), DNS_MSG_BAD);

	/* a pointer to itself, forward, past the end */
	header(&m, 1, 0x8180, 1);
	question(&m, "app.test", DNS_TYPE_A);
	rr_ptr(&m, (uint16_t)m.n, DNS_TYPE_A, ip1, 4);
	ck_assert_int_eq(dns_msg_parse(m.b, m.n, 1, "app.test", DNS_TYPE_A, &a), DNS_MSG_BAD);
	header(&m, 1, 0x8180, 1);
	question(&m, "app.test", DNS_TYPE_A);
	rr_ptr(&m, 0x300, DNS_TYPE_A, ip1, 4);
	ck_assert_int_eq(dns_msg_parse(m.b, m.n, 1, "app.test", DNS_TYPE_A, &a), DNS_MSG_BAD);

	/* two pointers into each other's labels: backwards only, so the
	 * second cannot jump to the first */
	header(&m, 1, 0x8180, 1);
	question(&m, "app.test", DNS_TYPE_A);
	put16(&m, 0xc000 | (uint16_t)(m.n + 2));
	put16(&m, 0xc000 | (uint16_t)(m.n - 2));
	ck_assert_int_eq(dns_msg_parse(m.b, m.n, 1, "app.test", DNS_TYPE_A, &a), DNS_MSG_BAD);

	/* rdlength past the end, an A of 5 bytes, the 0x40 label type */
	header(&m, 1, 0x8180, 1);
	question(&m, "app.test", DNS_TYPE_A);
	rr_ptr(&m, 12, DNS_TYPE_A, ip1, 4);
	m.b[m.n - 5] = 9;
	ck_assert_int_eq(dns_msg_parse(m.b, m.n, 1, "app.test", DNS_TYPE_A, &a), DNS_MSG_BAD);
	header(&m, 1, 0x8180, 1);
	question(&m, "app.test", DNS_TYPE_A);
	rr_ptr(&m, 12, DNS_TYPE_A, (uint8_t[]){ 1, 2, 3, 4, 5 }, 5);
	ck_assert_int_eq(dns_msg_parse(m.b, m.n, 1, "app.test", DNS_TYPE_A, &a), DNS_MSG_BAD);
	valid_answer(&m);
	m.b[12] = 0x43;
	ck_assert_int_eq(dns_msg_parse(m.b, m.n, 0x1234, "app.test", DNS_TYPE_A, &a), DNS_MSG_BAD);

	/* a label holding a dot or a NUL cannot match a text name */
	header(&m, 1, 0x8180, 0);
	put(&m, "\x08" "app.test\0", 10);
	put16(&m, DNS_TYPE_A);
	put16(&m, DNS_CLASS_IN);
	ck_assert_int_eq(dns_msg_parse(m.b, m.n, 1, "app.test", DNS_TYPE_A, &a), DNS_MSG_BAD);

	/* a name of more than 255 bytes */
	header(&m, 1, 0x8180, 0);
	for (int i = 0; i < 5; i++)
		put(&m, "\x3f" "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 64);
	put(&m, "", 1);
	put16(&m, DNS_TYPE_A);
	put16(&m, DNS_CLASS_IN);
	ck_assert_int_eq(dns_msg_parse(m.b, m.n, 1, "app.test", DNS_TYPE_A, &a), DNS_MSG_BAD);
}
END_TEST

START_TEST(answer_random_tails)
{
	struct msg m;
	struct dns_answer a;
	unsigned seed = 12345;

	/* a valid header and question, then random records: never out of
	 * bounds (ASan and the exact-size copies check it) */
	for (int round = 0; round < 20000; round++) {
		size_t tail = (size_t)(rand_r(&seed) % 200);
		uint8_t *copy;

		header(&m, 3, 0x8180, (uint16_t)(rand_r(&seed) % 6));
		question(&m, "app.test", DNS_TYPE_A);
		for (size_t i = 0; i < tail; i++) {
			uint8_t c = (uint8_t)rand_r(&seed);

			put(&m, &c, 1);
		}
		copy = malloc(m.n);
		memcpy(copy, m.b, m.n);
		(void)dns_msg_parse(copy, m.n, 3, "app.test", DNS_TYPE_A, &a);
		ck_assert_uint_le(a.naddr, DNS_MSG_MAX_ADDRS);
		free(copy);
	}
}
END_TEST

static Suite *dns_msg_suite(void)
{
	Suite *s = suite_create("dns_msg");
	TCase *q = tcase_create("query");
	TCase *ok = tcase_create("answer");
	TCase *bad = tcase_create("malformed");

	tcase_add_test(q, query_bytes);
	tcase_add_test(q, query_bad_names);
	tcase_add_test(ok, answer_valid);
	tcase_add_test(ok, answer_cname_chain_and_others);
	tcase_add_test(ok, answer_rcodes_and_truncation);
	tcase_add_test(bad, answer_every_prefix_refused);
	tcase_add_test(bad, answer_malformed);
	tcase_add_test(bad, answer_random_tails);
	/* 20,000 answers: seconds under ASan on a busy machine (Check's
	 * default is 4 s a test) */
	tcase_set_timeout(bad, 120);
	suite_add_tcase(s, q);
	suite_add_tcase(s, ok);
	suite_add_tcase(s, bad);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(dns_msg_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
