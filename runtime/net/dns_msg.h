/*
 * dns_msg.h: DNS messages (RFC 1035) as cfgrun's resolver sends and reads
 * them: an A or AAAA query, and the checks and reading of its answer.
 * Pure functions over bytes: no I/O, no allocation; the answer comes from
 * the network and is distrusted (every offset is bounds-checked, name
 * compression may only point backwards, a name is at most 255 bytes).
 */
#ifndef HAPC_DNS_MSG_H
#define HAPC_DNS_MSG_H

#include <stddef.h>
#include <stdint.h>

#define DNS_TYPE_A      1
#define DNS_TYPE_CNAME  5
#define DNS_TYPE_AAAA   28
#define DNS_TYPE_OPT    41
#define DNS_CLASS_IN    1

#define DNS_RCODE_NOERROR  0
#define DNS_RCODE_FORMERR  1
#define DNS_RCODE_SERVFAIL 2
#define DNS_RCODE_NXDOMAIN 3
#define DNS_RCODE_REFUSED  5

#define DNS_NAME_MAX    255     /* bytes of a name in text form, dots
                                   included, no trailing dot */
#define DNS_MSG_MAX_ADDRS 32    /* addresses kept from one answer */
#define DNS_MSG_MAX_CNAMES 8    /* aliases followed */

enum dns_msg_result {
	DNS_MSG_OK        = 0,  /* an answer to the query: see rcode */
	DNS_MSG_BAD       = 1,  /* malformed, or not an answer to it: ignore */
	DNS_MSG_TRUNCATED = 2,  /* TC set: the answer did not fit */
};

/* What an answer says (DNS_MSG_OK). */
struct dns_answer {
	unsigned rcode;         /* DNS_RCODE_* (4 bits) */
	unsigned naddr;         /* addresses of the queried type, in order */
	struct {
		uint8_t len;    /* 4 (A) or 16 (AAAA) */
		uint8_t ip[16];
		uint32_t ttl;   /* seconds */
	} addr[DNS_MSG_MAX_ADDRS];
};

/*
 * Write into buf[cap] a recursive query with id `id` for `name` (text,
 * with or without a final dot), type `qtype`, class IN; with `payload`
 * above 512, an EDNS0 OPT record announcing it. Returns the length, or
 * -1 when the name is not a valid one (empty label, label above 63 bytes,
 * name above 255) or cap is too small.
 */
int dns_msg_query(uint8_t *buf, size_t cap, uint16_t id, const char *name,
                  uint16_t qtype, uint16_t payload);

/*
 * Check msg[len] as the answer to the query (id, name, qtype) and read it
 * into *out: the header must be a response (QR) to a standard query with
 * that id and exactly the question asked echoed (name compared without
 * regard to ASCII case); the addresses kept are the records of type
 * qtype and class IN whose owner is the name asked or an alias reached
 * from it through CNAME records of the answer. Any record running past
 * the end, any bad name, a wrong address length makes the whole message
 * DNS_MSG_BAD.
 */
enum dns_msg_result dns_msg_parse(const uint8_t *msg, size_t len,
                                  uint16_t id, const char *name,
                                  uint16_t qtype, struct dns_answer *out);

#endif /* HAPC_DNS_MSG_H */
