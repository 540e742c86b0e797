/*
 * check_proto.c: judging the answers of the protocol health checks
 * (check_proto.h). Each step waits for the bytes it needs, then says
 * whether the server answered as a healthy one of its kind, with the
 * status HAProxy reports: L7RSP when the answer is not of the protocol at
 * all, L7STS when it is but says no (an error packet, a non-2xx reply).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check_proto.h"
#include "plan-t.h"
#include "server-t.h"

/* Copy rx[from..to) into info, cut at the first NUL, CR or LF, other
 * control bytes escaped so that the detail stays one printable line. */
static void proto_text(const unsigned char *rx, uint32_t from, uint32_t to,
                       char *info, size_t infolen)
{
	size_t o = 0;

	for (uint32_t i = from; i < to && o + 5 < infolen; i++) {
		unsigned char ch = rx[i];

		if (ch == 0 || ch == '\r' || ch == '\n')
			break;
		if (ch >= 0x20 && ch < 0x7f)
			info[o++] = (char)ch;
		else
			o += (size_t)snprintf(info + o, infolen - o, "\\x%02x", ch);
	}
	if (infolen)
		info[o < infolen ? o : infolen - 1] = '\0';
}

/* Set the verdict and return `rc`. */
static int proto_verdict(int rc, int *status, int st, int *code, int cd,
                         char *info, size_t infolen, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));
static int proto_verdict(int rc, int *status, int st, int *code, int cd,
                         char *info, size_t infolen, const char *fmt, ...)
{
	va_list ap;

	*status = st;
	*code = cd;
	if (fmt && infolen) {
		va_start(ap, fmt);
		vsnprintf(info, infolen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* The 3-byte little-endian length of a MySQL packet at rx[off]. */
static uint32_t mysql_len(const unsigned char *rx, uint32_t off)
{
	return (uint32_t)rx[off] | (uint32_t)rx[off + 1] << 8 |
	       (uint32_t)rx[off + 2] << 16;
}

/*
 * A MySQL packet at rx[off]: 3 bytes of length, a sequence number, the
 * payload. An error packet (payload starting 0xff) fails with its 2-byte
 * code and message; on success the detail is the server version of the
 * greeting (a NUL-terminated string at byte 5).
 */
static int mysql_packet(const unsigned char *rx, uint32_t len, uint32_t off,
                        int last, int *status, int *code, char *info,
                        size_t infolen)
{
	uint32_t plen;

	if (len < off + 4 || len < off + 4 + (plen = mysql_len(rx, off)))
		return last ? proto_verdict(-1, status, RT_CHK_L7RSP, code, 0, info,
		                            infolen, "MySQL: truncated packet")
		            : 0;
	if (plen > 0 && rx[off + 4] == 0xff) {
		int err = plen >= 3 ? rx[off + 5] | rx[off + 6] << 8 : 0;

		*status = RT_CHK_L7STS;
		*code = err;
		proto_text(rx, off + 7, off + 4 + plen, info, infolen);
		return -1;
	}
	*status = RT_CHK_L7OK;
	*code = 0;
	proto_text(rx, 5, 4 + mysql_len(rx, 0), info, infolen);
	return 1;
}

/* PostgreSQL: the answer to a startup packet is an error ('E') or an
 * authentication request ('R', length 8, 10 or 12, method 0 or 2..6). */
static int pgsql_answer(const unsigned char *rx, uint32_t len, int last,
                        int *status, int *code, char *info, size_t infolen)
{
	static const unsigned char lens[] = { 0x08, 0x0a, 0x0c };
	static const unsigned char methods[] = { 0, 2, 3, 4, 5, 6 };

	if (len < 5)
		return last ? proto_verdict(-1, status, RT_CHK_L7RSP, code, 0, info,
		                            infolen, "PostgreSQL: short answer")
		            : 0;
	if (rx[0] == 'E') {
		/* 'E', length, then fields: severity 'S' "FATAL"... */
		*status = RT_CHK_L7RSP;
		*code = 0;
		proto_text(rx, 6, len, info, infolen);
		return -1;
	}
	if (len < 9 && !last)
		return 0;
	if (len >= 9 && rx[0] == 'R' && !rx[1] && !rx[2] && !rx[3] &&
	    memchr(lens, rx[4], sizeof(lens)) && !rx[5] && !rx[6] && !rx[7] &&
	    memchr(methods, rx[8], sizeof(methods)))
		return proto_verdict(1, status, RT_CHK_L7OK, code, 0, info, infolen,
		                     "PostgreSQL server is ok");
	return proto_verdict(-1, status, RT_CHK_L7STS, code, 0, info, infolen,
	                     "PostgreSQL unknown error");
}

/* Redis: "+PONG\r\n" somewhere in the answer to PING. */
static int redis_answer(const unsigned char *rx, uint32_t len, int last,
                        int *status, int *code, char *info, size_t infolen)
{
	if (memmem(rx, len, "+PONG\r\n", 7))
		return proto_verdict(1, status, RT_CHK_L7OK, code, 0, info, infolen,
		                     "Redis server is ok");
	if (!last)
		return 0;
	*status = RT_CHK_L7STS;
	*code = 0;
	proto_text(rx, 0, len, info, infolen);
	return -1;
}

/* The 3-digit code at the start of an SMTP line, -1 when there is none. */
static int smtp_code(const unsigned char *rx, uint32_t len)
{
	if (len < 3 || rx[0] < '0' || rx[0] > '9' || rx[1] < '0' ||
	    rx[1] > '9' || rx[2] < '0' || rx[2] > '9')
		return -1;
	return (rx[0] - '0') * 100 + (rx[1] - '0') * 10 + (rx[2] - '0');
}

/* The text of an SMTP reply after its code and separator, blanks skipped,
 * up to the end of its line. */
static void smtp_text(const unsigned char *rx, uint32_t len, char *info,
                      size_t infolen)
{
	uint32_t i = 4;

	while (i < len && rx[i] == ' ')
		i++;
	proto_text(rx, i, len, info, infolen);
}

/*
 * SMTP: the greeting must be a single-line reply ("NNN " or "NNN\r",
 * else L7RSP) with a 2xx code (else L7STS); the answer to HELO may be the
 * first line of several ("NNN-") and must be 2xx too.
 */
static int smtp_answer(const unsigned char *rx, uint32_t len, int last,
                       int greeting, int *status, int *code, char *info,
                       size_t infolen)
{
	int c;
	unsigned char sep;

	if (len < 4)
		return last ? proto_verdict(-1, status, RT_CHK_L7RSP, code, 0, info,
		                            infolen, "SMTP: short answer")
		            : 0;
	c = smtp_code(rx, len);
	sep = rx[3];
	if (greeting && (c < 0 || (sep != ' ' && sep != '\r'))) {
		*status = RT_CHK_L7RSP;
		*code = 0;
		proto_text(rx, 0, len, info, infolen);
		return -1;
	}
	*code = c < 0 ? 0 : c;
	smtp_text(rx, len, info, infolen);
	if (c >= 200 && c < 300 &&
	    (sep == ' ' || sep == '\r' || (!greeting && sep == '-'))) {
		*status = RT_CHK_L7OK;
		return 1;
	}
	*status = RT_CHK_L7STS;
	return -1;
}

/*
 * LDAP: the answer to an anonymous LDAPv3 bind (RFC 4511) must be an
 * LDAPMessage (0x30) with messageID 1 and a bindResponse (0x61) whose
 * resultCode (an ENUMERATED, 0x0a 0x01) is 0, success. Lengths may be in
 * the short form or the long form over up to 2 (message) or 4 (response,
 * both counted) bytes, as HAProxy reads them. 14 bytes are enough.
 */
static int ldap_answer(const unsigned char *rx, uint32_t len, int last,
                       int *status, int *code, char *info, size_t infolen)
{
	uint32_t skip;

	if (len < 14)
		return last ? proto_verdict(-1, status, RT_CHK_L7RSP, code, 0, info,
		                            infolen, "Not LDAPv3 protocol")
		            : 0;
	skip = (rx[1] & 0x80) ? (rx[1] & 0x7fu) : 0;
	if (rx[0] != 0x30 || skip > 2 ||
	    memcmp(rx + 2 + skip, "\x02\x01\x01\x61", 4) != 0)
		return proto_verdict(-1, status, RT_CHK_L7RSP, code, 0, info,
		                     infolen, "Not LDAPv3 protocol");
	skip += (rx[skip + 6] & 0x80) ? (rx[skip + 6] & 0x7fu) : 0;
	if (skip > 4 || memcmp(rx + 7 + skip, "\x0a\x01", 2) != 0)
		return proto_verdict(-1, status, RT_CHK_L7RSP, code, 0, info,
		                     infolen, "Not LDAPv3 protocol");
	if (rx[9 + skip] != 0)
		return proto_verdict(-1, status, RT_CHK_L7STS, code, rx[9 + skip],
		                     info, infolen,
		                     "bind refused with resultCode %u (RFC 4511 "
		                     "section 4.1.9)", rx[9 + skip]);
	return proto_verdict(1, status, RT_CHK_L7OK, code, 0, info, infolen,
	                     "Success");
}

int check_proto_judge(uint32_t kind, const unsigned char *rx, uint32_t len,
                      int last, int *status, int *code, char *info,
                      size_t infolen)
{
	if (infolen)
		info[0] = '\0';
	switch (kind) {
	case PLAN_CHKP_MYSQL_HELLO:
		return mysql_packet(rx, len, 0, last, status, code, info, infolen);
	case PLAN_CHKP_MYSQL_OK:
		/* the greeting was judged: it is all there */
		return mysql_packet(rx, len, 4 + mysql_len(rx, 0), last, status,
		                    code, info, infolen);
	case PLAN_CHKP_PGSQL:
		return pgsql_answer(rx, len, last, status, code, info, infolen);
	case PLAN_CHKP_REDIS:
		return redis_answer(rx, len, last, status, code, info, infolen);
	case PLAN_CHKP_SMTP_HELLO:
	case PLAN_CHKP_SMTP_REPLY:
		return smtp_answer(rx, len, last, kind == PLAN_CHKP_SMTP_HELLO,
		                   status, code, info, infolen);
	case PLAN_CHKP_LDAP:
		return ldap_answer(rx, len, last, status, code, info, infolen);
	default:
		return proto_verdict(-1, status, RT_CHK_L7RSP, code, 0, info,
		                     infolen, "unknown protocol check %u",
		                     (unsigned)kind);
	}
}
