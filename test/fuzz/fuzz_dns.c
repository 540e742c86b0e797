/*
 * fuzz_dns.c: fuzz target of the DNS answer reader (runtime/net/dns_msg.c),
 * which reads what nameservers send to cfgrun. The input is an answer,
 * checked against a query for "app.test" (the name the seeds ask for)
 * with the input's own id, of type A when that id is even, else AAAA. Invariants, any broken one aborts:
 * - the verdict is OK, BAD or TRUNCATED; with OK the rcode has 4 bits,
 *   there are at most DNS_MSG_MAX_ADDRS addresses, each of the queried
 *   type's length;
 * - reading is a function of the bytes: twice the same result;
 * - another id is never accepted (BAD);
 * - a prefix that reads OK gives the same addresses (the records read
 *   lie inside it), and a prefix shorter than the header is BAD;
 * - a query written by dns_msg_query() for the same name, with QR set,
 *   reads as OK without addresses.
 * Built with fuzz_main.c for `make check`, or with libFuzzer.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "dns_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_NAME "fuzz_dns"
#include "fuzz_check.h"

#define FUZZ_NAME_ASKED "app.test"

static void fuzz_same(const struct dns_answer *a, const struct dns_answer *b)
{
	fuzz_check(a->rcode == b->rcode && a->naddr == b->naddr);
	for (unsigned i = 0; i < a->naddr; i++)
		fuzz_check(a->addr[i].len == b->addr[i].len &&
		           !memcmp(a->addr[i].ip, b->addr[i].ip, a->addr[i].len) &&
		           a->addr[i].ttl == b->addr[i].ttl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dns_answer a, b;
	uint16_t id = size >= 2 ? (uint16_t)(data[0] << 8 | data[1]) : 0;
	uint16_t qtype = (id & 1) ? DNS_TYPE_AAAA : DNS_TYPE_A;
	enum dns_msg_result r, r2;
	uint8_t q[300];
	int n;

	r = dns_msg_parse(data, size, id, FUZZ_NAME_ASKED, qtype, &a);
	fuzz_check(r == DNS_MSG_OK || r == DNS_MSG_BAD || r == DNS_MSG_TRUNCATED);
	if (r == DNS_MSG_OK) {
		fuzz_check(a.rcode < 16 && a.naddr <= DNS_MSG_MAX_ADDRS);
		for (unsigned i = 0; i < a.naddr; i++)
			fuzz_check(a.addr[i].len == (qtype == DNS_TYPE_A ? 4 : 16));
	}
	r2 = dns_msg_parse(data, size, id, FUZZ_NAME_ASKED, qtype, &b);
	fuzz_check(r2 == r);
	if (r == DNS_MSG_OK)
		fuzz_same(&a, &b);
	fuzz_check(dns_msg_parse(data, size, (uint16_t)(id ^ 0x5a5a),
	                         FUZZ_NAME_ASKED, qtype, &b) == DNS_MSG_BAD);
	for (size_t cut = 0; cut < size && cut < 600; cut++) {
		r2 = dns_msg_parse(data, cut, id, FUZZ_NAME_ASKED, qtype, &b);
		fuzz_check(cut >= 12 || r2 == DNS_MSG_BAD);
		if (r2 == DNS_MSG_OK && r == DNS_MSG_OK)
			fuzz_same(&a, &b);
	}
	n = dns_msg_query(q, sizeof(q), id, FUZZ_NAME_ASKED, qtype, 512);
	fuzz_check(n > 12);
	q[2] |= 0x80;
	fuzz_check(dns_msg_parse(q, (size_t)n, id, FUZZ_NAME_ASKED, qtype, &b) ==
	           DNS_MSG_OK && b.naddr == 0 && b.rcode == 0);
	return 0;
}
