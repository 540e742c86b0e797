/*
 * dns_msg.c: DNS queries and answers (see dns_msg.h).
 */
#include <string.h>

#include "dns_msg.h"

#define DNS_HDR 12

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

int dns_msg_query(uint8_t *buf, size_t cap, uint16_t id, const char *name,
                  uint16_t qtype, uint16_t payload)
{
	size_t nlen = strlen(name), pos = DNS_HDR, need;
	const char *p = name;

	if (nlen && name[nlen - 1] == '.')
		nlen--;
	if (!nlen || nlen > DNS_NAME_MAX)
		return -1;
	/* labels, their lengths, the root, type and class, an OPT record */
	need = DNS_HDR + nlen + 2 + 4 + (payload > 512 ? 11 : 0);
	if (cap < need)
		return -1;
	memset(buf, 0, DNS_HDR);
	wr16(buf, id);
	buf[2] = 0x01;                  /* RD: recursion desired */
	wr16(buf + 4, 1);               /* QDCOUNT */
	if (payload > 512)
		wr16(buf + 10, 1);      /* ARCOUNT: the OPT record */
	while (p < name + nlen) {
		size_t l = strcspn(p, ".");

		if (p + l > name + nlen)
			l = (size_t)(name + nlen - p);
		if (l == 0 || l > 63)
			return -1;
		buf[pos++] = (uint8_t)l;
		memcpy(buf + pos, p, l);
		pos += l;
		p += l + 1;
	}
	buf[pos++] = 0;
	wr16(buf + pos, qtype);
	wr16(buf + pos + 2, DNS_CLASS_IN);
	pos += 4;
	if (payload > 512) {
		/* RFC 6891: root name, type OPT, class = payload size, TTL 0,
		 * no options */
		buf[pos++] = 0;
		wr16(buf + pos, DNS_TYPE_OPT);
		wr16(buf + pos + 2, payload);
		memset(buf + pos + 4, 0, 6);
		pos += 10;
	}
	return (int)pos;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/*
 * Read the name at *off in msg[len] into out (text, lower case, no final
 * dot; "" for the root) and move *off past it. A compression pointer must
 * point before the label that holds it, so following them always ends.
 * 0, or -1 when the name is malformed.
 */
static int dns_name_read(const uint8_t *msg, size_t len, size_t *off,
                         char out[DNS_NAME_MAX + 1])
{
	size_t pos = *off, o = 0, end = 0;
	int jumped = 0, hops = 0;

	for (;;) {
		uint8_t l;

		if (pos >= len)
			return -1;
		l = msg[pos];
		if ((l & 0xc0) == 0xc0) {
			size_t target;

			if (pos + 1 >= len)
				return -1;
			target = (size_t)(l & 0x3f) << 8 | msg[pos + 1];
			/* backwards only, and a bounded number of times:
			 * labels read between two jumps make the name grow,
			 * so this ends anyway */
			if (target >= pos || ++hops > 128)
				return -1;
			if (!jumped)
				end = pos + 2;
			jumped = 1;
			pos = target;
			continue;
		}
		if (l & 0xc0)
			return -1;              /* 0x40, 0x80: not in use */
		if (l == 0) {
			pos++;
			break;
		}
		if (pos + 1 + l > len || o + l + (o ? 1 : 0) > DNS_NAME_MAX)
			return -1;
		if (o)
			out[o++] = '.';
		for (size_t i = 0; i < l; i++) {
			char c = (char)msg[pos + 1 + i];

			if (c == '.' || c == '\0')
				return -1;      /* not representable as text */
			out[o++] = lower(c);
		}
		pos += 1 + l;
	}
	out[o] = '\0';
	*off = jumped ? end : pos;
	return 0;
}

/* name, lower-cased, without a final dot, into out; -1 when too long. */
static int dns_name_text(const char *name, char out[DNS_NAME_MAX + 1])
{
	size_t n = strlen(name);

	if (n && name[n - 1] == '.')
		n--;
	if (n > DNS_NAME_MAX)
		return -1;
	for (size_t i = 0; i < n; i++)
		out[i] = lower(name[i]);
	out[n] = '\0';
	return 0;
}

/* One resource record of the answer section, its name read. */
struct dns_rr {
	char owner[DNS_NAME_MAX + 1];
	uint16_t type, klass;
	uint32_t ttl;
	size_t rdata, rdlen;    /* offset and length of its data in msg */
};

static int dns_rr_read(const uint8_t *msg, size_t len, size_t *off,
                       struct dns_rr *rr)
{
	if (dns_name_read(msg, len, off, rr->owner) < 0 || len - *off < 10)
		return -1;
	rr->type = rd16(msg + *off);
	rr->klass = rd16(msg + *off + 2);
	rr->ttl = rd32(msg + *off + 4);
	rr->rdlen = rd16(msg + *off + 8);
	rr->rdata = *off + 10;
	if (rr->rdlen > len - rr->rdata)
		return -1;
	*off = rr->rdata + rr->rdlen;
	return 0;
}

enum dns_msg_result dns_msg_parse(const uint8_t *msg, size_t len,
                                  uint16_t id, const char *name,
                                  uint16_t qtype, struct dns_answer *out)
{
	char want[DNS_MSG_MAX_CNAMES + 1][DNS_NAME_MAX + 1], qname[DNS_NAME_MAX + 1];
	unsigned nwant = 1, ancount;
	size_t off = DNS_HDR, first_rr;
	struct dns_rr rr;

	memset(out, 0, sizeof(*out));
	if (len < DNS_HDR || rd16(msg) != id || !(msg[2] & 0x80) ||
	    (msg[2] & 0x78) != 0 || rd16(msg + 4) != 1 ||
	    dns_name_text(name, want[0]) < 0)
		return DNS_MSG_BAD;             /* not QR, not QUERY, not ours */
	if (msg[2] & 0x02)
		return DNS_MSG_TRUNCATED;
	out->rcode = msg[3] & 0x0f;
	ancount = rd16(msg + 6);
	/* the question, echoed */
	if (dns_name_read(msg, len, &off, qname) < 0 || len - off < 4 ||
	    strcmp(qname, want[0]) || rd16(msg + off) != qtype ||
	    rd16(msg + off + 2) != DNS_CLASS_IN)
		return DNS_MSG_BAD;
	off += 4;
	first_rr = off;
	/* pass 1: every record well formed; aliases of the name, in chain
	 * order whatever the records' order (at most MAX_CNAMES hops) */
	for (unsigned hop = 0; hop <= DNS_MSG_MAX_CNAMES; hop++) {
		int grew = 0;

		off = first_rr;
		for (unsigned i = 0; i < ancount; i++) {
			size_t p;

			if (dns_rr_read(msg, len, &off, &rr) < 0)
				return DNS_MSG_BAD;
			if (rr.type != DNS_TYPE_CNAME || rr.klass != DNS_CLASS_IN ||
			    strcmp(rr.owner, want[nwant - 1]))
				continue;
			if (nwant > DNS_MSG_MAX_CNAMES)
				break;          /* too long a chain: stop there */
			p = rr.rdata;
			if (dns_name_read(msg, rr.rdata + rr.rdlen, &p,
			                  want[nwant]) < 0 ||
			    p != rr.rdata + rr.rdlen)
				return DNS_MSG_BAD;
			nwant++;
			grew = 1;
			break;
		}
		if (!grew)
			break;
	}
	/* pass 2: the addresses */
	off = first_rr;
	for (unsigned i = 0; i < ancount; i++) {
		size_t alen = qtype == DNS_TYPE_A ? 4 : 16;
		int ours = 0;

		if (dns_rr_read(msg, len, &off, &rr) < 0)
			return DNS_MSG_BAD;
		if (rr.type != qtype || rr.klass != DNS_CLASS_IN)
			continue;
		for (unsigned k = 0; k < nwant && !ours; k++)
			ours = !strcmp(rr.owner, want[k]);
		if (!ours)
			continue;
		if (rr.rdlen != alen)
			return DNS_MSG_BAD;
		if (out->naddr < DNS_MSG_MAX_ADDRS) {
			out->addr[out->naddr].len = (uint8_t)alen;
			memcpy(out->addr[out->naddr].ip, msg + rr.rdata, alen);
			out->addr[out->naddr].ttl = rr.ttl;
			out->naddr++;
		}
	}
	return DNS_MSG_OK;
}
