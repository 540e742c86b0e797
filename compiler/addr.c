/*
 * addr.c: HAProxy address words (manual section 2.9, and the address
 * arguments of "bind" and "server") to ready socket address bytes.
 *
 * A word is a comma-separated list of elements (bind only). Each element is
 *
 *   [stream+|dgram+|quic+][family@]<body>
 *
 * where <body> is a host and port for the inet families, a path or an
 * abstract name for the unix ones and a number for fd@/sockpair@. The port
 * is whatever follows the last colon, as HAProxy reads it (an IPv6 address
 * with a port is therefore written in brackets). Without a family prefix a
 * body starting with '/' is a unix path; anything else is inet.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "addr.h"
#include "plan.h"

/* What an element's body is, once the prefixes are read. */
enum addr_kind {
	ADDR_K_INET_ANY = 0,  /* IPv4 or IPv6, decided by the syntax */
	ADDR_K_INET4    = 1,  /* IPv4 only */
	ADDR_K_INET6    = 2,  /* IPv6 only */
	ADDR_K_UNIX     = 3,  /* filesystem path */
	ADDR_K_ABNS     = 4,  /* abstract name, padded */
	ADDR_K_ABNSZ    = 5,  /* abstract name, exact length */
	ADDR_K_FD       = 6,  /* inherited descriptor number */
	ADDR_K_SOCKPAIR = 7,  /* socketpair descriptor number */
	ADDR_K_RHTTP    = 8,  /* reverse HTTP: not supported */
};

struct addr_prefix {
	const char *name;     /* as written, without the '@' */
	enum addr_kind kind;
	uint8_t proto;        /* enum plan_proto */
	uint8_t dgram;        /* 1: a datagram socket type */
	uint8_t base;         /* 1: no socket type of its own, so a stream+,
	                         dgram+ or quic+ before it decides */
};

static const struct addr_prefix addr_prefixes[] = {
	{ .name = "ip",       .kind = ADDR_K_INET_ANY, .base = 1 },
	{ .name = "ipv4",     .kind = ADDR_K_INET4,    .base = 1 },
	{ .name = "ipv6",     .kind = ADDR_K_INET6,    .base = 1 },
	{ .name = "tcp",      .kind = ADDR_K_INET_ANY },
	{ .name = "tcp4",     .kind = ADDR_K_INET4 },
	{ .name = "tcp6",     .kind = ADDR_K_INET6 },
	{ .name = "mptcp",    .kind = ADDR_K_INET_ANY, .proto = PLAN_PROTO_MPTCP },
	{ .name = "mptcp4",   .kind = ADDR_K_INET4,    .proto = PLAN_PROTO_MPTCP },
	{ .name = "mptcp6",   .kind = ADDR_K_INET6,    .proto = PLAN_PROTO_MPTCP },
	{ .name = "udp",      .kind = ADDR_K_INET_ANY, .dgram = 1 },
	{ .name = "udp4",     .kind = ADDR_K_INET4,    .dgram = 1 },
	{ .name = "udp6",     .kind = ADDR_K_INET6,    .dgram = 1 },
	{ .name = "quic4",    .kind = ADDR_K_INET4,    .dgram = 1 },
	{ .name = "quic6",    .kind = ADDR_K_INET6,    .dgram = 1 },
	{ .name = "unix",     .kind = ADDR_K_UNIX,     .base = 1 },
	{ .name = "uxst",     .kind = ADDR_K_UNIX },
	{ .name = "uxdg",     .kind = ADDR_K_UNIX,     .dgram = 1 },
	{ .name = "abns",     .kind = ADDR_K_ABNS,     .base = 1 },
	{ .name = "abnsz",    .kind = ADDR_K_ABNSZ,    .base = 1 },
	{ .name = "fd",       .kind = ADDR_K_FD,       .base = 1 },
	{ .name = "sockpair", .kind = ADDR_K_SOCKPAIR, .base = 1 },
	{ .name = "rhttp",    .kind = ADDR_K_RHTTP },
};

/* Socket type prefixes: "stream+" and the datagram ones. */
static const struct {
	const char *name;     /* with the '+' */
	uint8_t dgram;        /* 1: datagram */
} addr_socktypes[] = {
	{ "stream+", 0 },
	{ "dgram+",  1 },
	{ "quic+",   1 },
};

#define ADDR_SUN_PATH_LEN  sizeof(((struct sockaddr_un *)0)->sun_path)
#define ADDR_SUN_OFF       offsetof(struct sockaddr_un, sun_path)
#define ADDR_PORT_BIG      100000u  /* saturation value while scanning */

/* Where to write an error, and what the word is used for. */
struct addr_ctx {
	enum addr_use use;
	unsigned opts;        /* ADDR_RESOLVE, ADDR_DGRAM_OK */
	char *err;
	size_t errlen;
	size_t *err_col;
};

static int addr_parse_words(const char *word, enum addr_use use, unsigned opts,
                            struct addr_spec **out, size_t *n,
                            char *err, size_t errlen, size_t *err_col);

static const char *addr_use_name(const struct addr_ctx *c)
{
	return c->use == ADDR_USE_BIND ? "bind" : "server";
}

/* Write the message and column of an error; returns -1 for tail calls. */
__attribute__((format(printf, 3, 4)))
static int addr_fail(struct addr_ctx *c, size_t col, const char *fmt, ...)
{
	va_list ap;

	if (c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
	*c->err_col = col;
	return -1;
}

static int addr_is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/*
 * One number of a dotted IPv4 address as inet_aton reads it: "0x" then hex,
 * a leading 0 then octal, else decimal. Stops at '.' or the end.
 * Returns the number of characters used, 0 when malformed or above 2^32-1.
 */
static size_t addr_ipv4_part(const char *s, uint64_t *val)
{
	unsigned base = 10;
	size_t i = 0, start;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, i = 2;
	else if (s[0] == '0' && s[1] && s[1] != '.')
		base = 8, i = 1;
	start = i;
	for (; s[i] && s[i] != '.'; i++) {
		unsigned d;
		char ch = s[i];

		if (addr_is_digit(ch))
			d = (unsigned)(ch - '0');
		else if (base == 16 && ch >= 'a' && ch <= 'f')
			d = (unsigned)(ch - 'a' + 10);
		else if (base == 16 && ch >= 'A' && ch <= 'F')
			d = (unsigned)(ch - 'A' + 10);
		else
			return 0;
		if (d >= base)
			return 0;
		v = v * base + d;
		if (v > 0xffffffffu)
			return 0;
	}
	if (i == start && base != 8)
		return 0;
	*val = v;
	return i;
}

/*
 * An IPv4 address with the shorthands inet_aton (and so HAProxy's resolver)
 * accepts: 1 to 4 parts, the last one filling the remaining bytes ("10.1" is
 * 10.0.0.1), octal and hex parts ("010.0.0.1" is 8.0.0.1). Returns 1 and the
 * address in network order, or 0.
 */
static int addr_ipv4_aton(const char *s, struct in_addr *out)
{
	uint64_t part[4];
	size_t n = 0, used;
	uint32_t v;

	for (;;) {
		if (n == 4)
			return 0;
		used = addr_ipv4_part(s, &part[n]);
		if (!used)
			return 0;
		n++;
		s += used;
		if (!*s)
			break;
		s++;        /* the '.' */
		if (!*s)
			return 0;
	}
	for (size_t i = 0; i + 1 < n; i++)
		if (part[i] > 255)
			return 0;
	if (part[n - 1] > (0xffffffffu >> (8 * (n - 1))))
		return 0;
	v = (uint32_t)part[n - 1];
	for (size_t i = 0; i + 1 < n; i++)
		v |= (uint32_t)part[i] << (24 - 8 * i);
	out->s_addr = htonl(v);
	return 1;
}

/*
 * A host name: dot-separated labels of letters, digits, '-' and '_' (SRV
 * style names), a trailing dot allowed. Returns -1 when fine, else the
 * offset of the first offending byte.
 */
static long addr_hostname_bad(const char *h)
{
	size_t i, label = 0;

	for (i = 0; h[i]; i++) {
		char ch = h[i];

		if (ch == '.') {
			if (!label)
				return (long)i;
			label = 0;
			continue;
		}
		if (!(addr_is_digit(ch) || (ch >= 'a' && ch <= 'z') ||
		      (ch >= 'A' && ch <= 'Z') || ch == '-' || ch == '_'))
			return (long)i;
		if (++label > 63)
			return (long)i;
	}
	return -1;
}

/* 1 when `h` is made of digits and dots only (an IPv4 attempt). */
static int addr_looks_numeric(const char *h)
{
	for (; *h; h++)
		if (!addr_is_digit(*h) && *h != '.')
			return 0;
	return 1;
}

/*
 * Set `a` to the address `ip`, port 0: a struct in_addr when `af` is
 * AF_INET, a struct in6_addr when it is AF_INET6.
 */
static void addr_set_inet(struct plan_addr *a, int af, const void *ip)
{
	union {
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} u;

	memset(&u, 0, sizeof(u));
	if (af == AF_INET6) {
		u.in6.sin6_family = AF_INET6;
		memcpy(&u.in6.sin6_addr, ip, sizeof(u.in6.sin6_addr));
		a->family = PLAN_FAM_INET6;
		a->salen = sizeof(u.in6);
	} else {
		u.in.sin_family = AF_INET;
		memcpy(&u.in.sin_addr, ip, sizeof(u.in.sin_addr));
		a->family = PLAN_FAM_INET;
		a->salen = sizeof(u.in);
	}
	memcpy(a->sa, &u, a->salen);
}

void addr_set_port(struct plan_addr *a, uint16_t port)
{
	uint16_t net = htons(port);

	/* sin_port and sin6_port sit at the same offset, right after the
	 * family; written bytewise so the sa[] array needs no alignment */
	if (a->family == PLAN_FAM_INET)
		memcpy(a->sa + offsetof(struct sockaddr_in, sin_port), &net, 2);
	else if (a->family == PLAN_FAM_INET6)
		memcpy(a->sa + offsetof(struct sockaddr_in6, sin6_port), &net, 2);
}

/*
 * Resolve host name `h` with getaddrinfo for `kind`'s family; with either
 * family allowed an IPv4 result is preferred, as HAProxy does.
 */
static int addr_resolve(struct addr_ctx *c, const char *h, size_t col,
                        enum addr_kind kind, struct plan_addr *a)
{
	struct addrinfo hints, *res = NULL, *r, *pick = NULL;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = kind == ADDR_K_INET4 ? AF_INET :
	                  kind == ADDR_K_INET6 ? AF_INET6 : AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(h, NULL, &hints, &res) != 0 || !res)
		return addr_fail(c, col, "could not resolve address '%s'", h);
	for (r = res; r && !pick; r = r->ai_next)
		if (r->ai_family == AF_INET)
			pick = r;
	for (r = res; r && !pick; r = r->ai_next)
		if (r->ai_family == AF_INET6)
			pick = r;
	if (!pick) {
		freeaddrinfo(res);
		return addr_fail(c, col, "could not resolve address '%s' to an "
		                 "IPv4 or IPv6 address", h);
	}
	if (pick->ai_family == AF_INET)
		addr_set_inet(a, AF_INET,
		              &((struct sockaddr_in *)pick->ai_addr)->sin_addr);
	else
		addr_set_inet(a, AF_INET6,
		              &((struct sockaddr_in6 *)pick->ai_addr)->sin6_addr);
	freeaddrinfo(res);
	return 0;
}

/*
 * The host part of an inet element, `h` (brackets removed, `bracket` says
 * whether there were some), at column `col`; `pfx` is the prefix as
 * written, for messages. Fills out->addr (port 0) or out->host.
 */
static int addr_parse_host(struct addr_ctx *c, const char *h, int bracket,
                           size_t col, enum addr_kind kind, const char *pfx,
                           struct addr_spec *out)
{
	struct in_addr in4;
	struct in6_addr in6;
	const char *lb = bracket ? "[" : "", *rb = bracket ? "]" : "";
	long bad;

	if (bracket && !*h)
		return addr_fail(c, col, "expected an address inside the "
		                 "brackets, found nothing");
	if (!*h || (h[0] == '*' && !h[1])) {
		/* any address: IPv6 only when the prefix says so */
		if (kind == ADDR_K_INET6)
			addr_set_inet(&out->addr, AF_INET6, &in6addr_any);
		else {
			in4.s_addr = htonl(INADDR_ANY);
			addr_set_inet(&out->addr, AF_INET, &in4);
		}
		return 0;
	}
	if (strchr(h, ':')) {
		if (inet_pton(AF_INET6, h, &in6) != 1)
			return addr_fail(c, col, "invalid IPv6 address '%s%s%s'%s",
			                 lb, h, rb, bracket ? "" :
			                 " (the port is what follows the last colon: "
			                 "write an IPv6 address in brackets, as in "
			                 "[2001:db8::1]:80)");
		if (kind == ADDR_K_INET4)
			return addr_fail(c, col, "invalid address: %s expects an "
			                 "IPv4 address, found an IPv6 literal '%s%s%s'",
			                 pfx, lb, h, rb);
		addr_set_inet(&out->addr, AF_INET6, &in6);
		return 0;
	}
	if (addr_ipv4_aton(h, &in4)) {
		if (kind == ADDR_K_INET6)
			return addr_fail(c, col, "invalid address: %s expects an "
			                 "IPv6 address, found an IPv4 literal "
			                 "'%s%s%s'", pfx, lb, h, rb);
		addr_set_inet(&out->addr, AF_INET, &in4);
		return 0;
	}
	if (addr_looks_numeric(h))
		return addr_fail(c, col, "invalid IPv4 address '%s': expected four "
		                 "numbers from 0 to 255 separated by dots", h);
	bad = addr_hostname_bad(h);
	if (bad >= 0 && h[0] == '.' && strchr(h, '/'))
		return addr_fail(c, col, "invalid address '%s': a relative unix "
		                 "socket path needs the unix@ prefix, as in "
		                 "unix@%s", h, h);
	if (bad >= 0)
		return addr_fail(c, col + (size_t)bad, "invalid address '%s': "
		                 "unexpected character '%c' (expected an IPv4 "
		                 "address, an IPv6 address in brackets, a host name "
		                 "or a /path)", h, h[bad]);
	out->flags |= ADDR_F_HOSTNAME;
	strcpy(out->host, h);   /* length checked by the caller */
	if (c->opts & ADDR_RESOLVE)
		return addr_resolve(c, h, col, kind, &out->addr);
	return 0;
}

/*
 * Leading decimal digits of `s` into *v, saturating at ADDR_PORT_BIG.
 * Returns the number of digits.
 */
static size_t addr_scan_port(const char *s, uint32_t *v)
{
	size_t i;

	*v = 0;
	for (i = 0; addr_is_digit(s[i]); i++)
		if (*v < ADDR_PORT_BIG)
			*v = *v * 10 + (uint32_t)(s[i] - '0');
	if (*v > ADDR_PORT_BIG)
		*v = ADDR_PORT_BIG;
	return i;
}

/*
 * The port part `p` (NULL: no colon at all) at column `col` of an inet
 * element `el`: a port, a range (bind), an offset or nothing (server).
 */
static int addr_parse_port(struct addr_ctx *c, const char *el, const char *p,
                           size_t col, struct addr_spec *out)
{
	int bind = c->use == ADDR_USE_BIND;
	uint32_t lo, hi, min = bind ? 1 : 0;
	size_t n, m;

	if (!p || !*p) {
		if (bind)
			return addr_fail(c, col, "missing port: a bind address "
			                 "needs ':port' or ':first-last', found '%s'",
			                 el);
		out->flags |= ADDR_F_NOPORT;
		return 0;
	}
	if (*p == '+' || *p == '-') {
		if (bind)
			return addr_fail(c, col, "port offsets such as '%s' are "
			                 "only allowed on server lines", p);
		n = addr_scan_port(p + 1, &lo);
		if (!n || p[1 + n] || lo > 65535)
			return addr_fail(c, col, "expected a port offset such as "
			                 "+1000 or -10 (0 to 65535), found '%s'", p);
		out->flags |= ADDR_F_OFFSET;
		out->port_offset = *p == '-' ? -(int32_t)lo : (int32_t)lo;
		return 0;
	}
	n = addr_scan_port(p, &lo);
	if (!n || (p[n] && p[n] != '-'))
		return addr_fail(c, col + n, "invalid character '%c' in port '%s': "
		                 "expected a number from %u to 65535", p[n], p, min);
	hi = lo;
	if (p[n] == '-') {
		m = addr_scan_port(p + n + 1, &hi);
		if (!m)
			return addr_fail(c, col + n + 1, "expected the last port of "
			                 "the range after '-' in '%s'", p);
		if (p[n + 1 + m])
			return addr_fail(c, col + n + 1 + m, "invalid character '%c' "
			                 "in port range '%s'", p[n + 1 + m], p);
		if (!bind)
			return addr_fail(c, col, "port ranges are not allowed on "
			                 "server lines, found '%s'", p);
	}
	if (lo > 65535 || lo < min)
		return addr_fail(c, col, "invalid port '%.*s': expected a number "
		                 "from %u to 65535", (int)n, p, min);
	if (hi > 65535 || hi < min)
		return addr_fail(c, col + n + 1, "invalid port '%s': expected a "
		                 "number from %u to 65535", p + n + 1, min);
	if (lo > hi)
		return addr_fail(c, col, "reversed port range '%s': the first "
		                 "port is above the last", p);
	if (!lo) {
		/* server port 0: the client's port, like no port at all */
		out->flags |= ADDR_F_NOPORT;
		return 0;
	}
	out->port_lo = lo;
	out->port_hi = hi;
	addr_set_port(&out->addr, (uint16_t)lo);
	return 0;
}

/* An inet element's body `b` at column `col`. */
static int addr_parse_inet(struct addr_ctx *c, const char *b, size_t col,
                           enum addr_kind kind, const char *pfx,
                           struct addr_spec *out)
{
	const char *host = b, *port = NULL, *end;
	char h[ADDR_HOST_MAX + 1];
	size_t hlen;
	int bracket = b[0] == '[';

	if (bracket) {
		end = strchr(b, ']');
		if (!end)
			return addr_fail(c, col, "missing ']' after the IPv6 "
			                 "address in '%s'", b);
		host = b + 1;
		if (end[1] == ':')
			port = end + 2;
		else if (end[1])
			return addr_fail(c, col + (size_t)(end + 1 - b),
			                 "expected ':' and a port after ']', "
			                 "found '%s'", end + 1);
	} else {
		end = strrchr(b, ':');
		if (end)
			port = end + 1;
		else
			end = b + strlen(b);
	}
	hlen = (size_t)(end - host);
	if (hlen > ADDR_HOST_MAX)
		return addr_fail(c, col, "address is %zu bytes long; the limit is "
		                 "%u bytes", hlen, ADDR_HOST_MAX);
	memcpy(h, host, hlen);
	h[hlen] = 0;
	if (addr_parse_host(c, h, bracket, col + (size_t)(host - b), kind, pfx,
	                    out) < 0)
		return -1;
	return addr_parse_port(c, b, port,
	                       port ? col + (size_t)(port - b) : col + strlen(b),
	                       out);
}

/* A unix path or abstract name `b` at column `col`. */
static int addr_parse_path(struct addr_ctx *c, const char *b, size_t col,
                           enum addr_kind kind, const char *pfx,
                           struct addr_spec *out)
{
	struct sockaddr_un sun;
	size_t len = strlen(b);
	int abstract = kind != ADDR_K_UNIX;
	const char *what = abstract ? "abstract socket name" : "socket path";

	if (!len)
		return addr_fail(c, col, "expected %s %s after '%s', found nothing",
		                 abstract ? "an" : "a", what, pfx);
	/* a path needs its terminator, a name its leading NUL */
	if (len > ADDR_SUN_PATH_LEN - 1)
		return addr_fail(c, col, "%s '%s' is %zu bytes long; the limit is "
		                 "%zu bytes (sun_path)", what, b, len,
		                 ADDR_SUN_PATH_LEN - 1);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path + abstract, b, len);
	out->addr.family = kind == ADDR_K_UNIX ? PLAN_FAM_UNIX :
	                   kind == ADDR_K_ABNS ? PLAN_FAM_ABNS : PLAN_FAM_ABNSZ;
	out->addr.salen = plan_sun_len(out->addr.family, len);
	memcpy(out->addr.sa, &sun, sizeof(sun));
	return 0;
}

/* A descriptor number `b` at column `col` (fd@, sockpair@). */
static int addr_parse_fd(struct addr_ctx *c, const char *b, size_t col,
                         enum addr_kind kind, const char *pfx,
                         struct addr_spec *out)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; addr_is_digit(b[i]) && v <= INT_MAX; i++)
		v = v * 10 + (uint64_t)(b[i] - '0');
	if (!i || b[i] || v > INT_MAX)
		return addr_fail(c, col + (v > INT_MAX ? 0 : i), "expected a file "
		                 "descriptor number after '%s', found '%s'", pfx, b);
	out->addr.family = kind == ADDR_K_FD ? PLAN_FAM_FD : PLAN_FAM_SOCKPAIR;
	out->addr.fd = (uint32_t)v;
	return 0;
}

static const struct addr_prefix *addr_find_prefix(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(addr_prefixes) / sizeof(addr_prefixes[0]); i++)
		if (strlen(addr_prefixes[i].name) == len &&
		    !memcmp(addr_prefixes[i].name, name, len))
			return &addr_prefixes[i];
	return NULL;
}

/* Length of a family prefix candidate at `s` (letters, digits, '+', '_'
 * or '-' up to an '@'), 0 when `s` does not start with one. */
static size_t addr_prefix_len(const char *s)
{
	size_t i;

	for (i = 0; s[i] && s[i] != '@'; i++)
		if (!(addr_is_digit(s[i]) || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '+' ||
		      s[i] == '_' || s[i] == '-'))
			return 0;
	return s[i] == '@' ? i : 0;
}

/* Lower-case copy of a prefix, for a "did you mean" hint. */
static const struct addr_prefix *addr_find_prefix_nocase(const char *s,
                                                         size_t len)
{
	char low[16];

	if (len >= sizeof(low))
		return NULL;
	for (size_t i = 0; i < len; i++)
		low[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
	return addr_find_prefix(low, len);
}

/*
 * One element `el` (NUL terminated copy) found at column `col` of the word.
 */
static int addr_parse_one(struct addr_ctx *c, const char *el, size_t col,
                          struct addr_spec *out)
{
	const struct addr_prefix *fam = NULL;
	enum addr_kind kind = ADDR_K_INET_ANY;
	size_t pos = 0, plen;
	int socktype = -1, dgram = 0;
	char pfx[40];

	memset(out, 0, sizeof(*out));
	out->col = (uint32_t)col;
	if (!*el)
		return addr_fail(c, col, "expected an address such as "
		                 "127.0.0.1:80, [::1]:80 or /path/to.sock, "
		                 "found nothing");
	for (size_t i = 0; i < sizeof(addr_socktypes) / sizeof(addr_socktypes[0]); i++) {
		size_t n = strlen(addr_socktypes[i].name);

		if (!strncmp(el, addr_socktypes[i].name, n)) {
			socktype = (int)i;
			dgram = addr_socktypes[i].dgram;
			pos = n;
			break;
		}
	}
	plen = el[pos] == '/' ? 0 : addr_prefix_len(el + pos);
	if (plen) {
		fam = addr_find_prefix(el + pos, plen);
		if (!fam) {
			const struct addr_prefix *near =
				addr_find_prefix_nocase(el + pos, plen);

			if (near)
				return addr_fail(c, col + pos, "unknown address "
				                 "prefix '%.*s@' (prefixes are lower "
				                 "case: did you mean '%s@'?)",
				                 (int)plen, el + pos, near->name);
			return addr_fail(c, col + pos, "unknown address prefix "
			                 "'%.*s@' (expected one such as ipv4@, ipv6@, "
			                 "tcp@, mptcp@, unix@, abns@ or fd@)",
			                 (int)plen, el + pos);
		}
		pos += plen + 1;
	}
	snprintf(pfx, sizeof(pfx), "%.*s", (int)pos, el);
	if (fam) {
		kind = fam->kind;
		out->addr.proto = fam->proto;
		/* a family with a socket type of its own overrides stream+ &co */
		if (!fam->base || socktype < 0)
			dgram = fam->dgram;
	} else if (el[pos] == '/') {
		kind = ADDR_K_UNIX;
		if (!pos)
			snprintf(pfx, sizeof(pfx), "a unix socket path");
	}
	if (kind == ADDR_K_RHTTP)
		return addr_fail(c, col, "reverse HTTP addresses (rhttp@) are "
		                 "not supported");
	if (kind == ADDR_K_FD && c->use == ADDR_USE_SERVER)
		return addr_fail(c, col, "an inherited file descriptor (%s) "
		                 "cannot be a server address; sockpair@ can", pfx);
	if (dgram) {
		if (!(c->opts & ADDR_DGRAM_OK))
			return addr_fail(c, col, "datagram addresses are not "
			                 "supported on %s lines, found '%s' (use a "
			                 "stream family such as tcp@, ipv4@ or mptcp@)",
			                 addr_use_name(c), pfx);
		out->flags |= ADDR_F_DGRAM;
	}
	switch (kind) {
	case ADDR_K_UNIX:
	case ADDR_K_ABNS:
	case ADDR_K_ABNSZ:
		return addr_parse_path(c, el + pos, col + pos, kind, pfx, out);
	case ADDR_K_FD:
	case ADDR_K_SOCKPAIR:
		return addr_parse_fd(c, el + pos, col + pos, kind, pfx, out);
	default:
		return addr_parse_inet(c, el + pos, col + pos, kind, pfx, out);
	}
}

/*
 * HAProxy expands environment variables in every address word a second
 * time, quoted or not (its str2sa_range() runs env_expand()): each '$',
 * an optional '{', then a name of letters, digits and '_' (maybe empty) is
 * replaced by the variable's value or nothing, and the '}' is consumed
 * only after a '{' and a name ending right before it ("${X-d}" leaves
 * "-d}" behind: no defaults here). Returns a malloc'd copy, or NULL when
 * out of memory.
 */
static char *addr_env_expand(const char *word)
{
	size_t cap = strlen(word) + 1, len = 0;
	char *out = malloc(cap);
	const char *p = word;

	while (out && *p) {
		const char *val = NULL, *name, *next;
		char key[256];
		size_t vlen, nlen;

		if (*p != '$') {
			val = p;
			vlen = 1;
			next = p + 1;
		} else {
			name = p + 1 + (p[1] == '{');
			next = name;
			while (isalnum((unsigned char)*next) || *next == '_')
				next++;
			nlen = (size_t)(next - name);
			if (nlen < sizeof(key)) {
				memcpy(key, name, nlen);
				key[nlen] = 0;
				val = getenv(key);
			}
			vlen = val ? strlen(val) : 0;
			if (*next == '}' && name > p + 1)
				next++;
		}
		if (len + vlen + 1 > cap) {
			char *grown;

			cap = (len + vlen + 1) * 2;
			grown = realloc(out, cap);
			if (!grown) {
				free(out);
				return NULL;
			}
			out = grown;
		}
		if (vlen)
			memcpy(out + len, val, vlen);
		len += vlen;
		p = next;
	}
	if (out)
		out[len] = 0;
	return out;
}

int addr_parse_list(const char *word, enum addr_use use, unsigned opts,
                    struct addr_spec **out, size_t *n,
                    char *err, size_t errlen, size_t *err_col)
{
	char *expanded;
	int ret;

	if (!strchr(word, '$'))
		return addr_parse_words(word, use, opts, out, n, err, errlen,
		                        err_col);
	expanded = addr_env_expand(word);
	if (!expanded) {
		snprintf(err, errlen, "out of memory while expanding '%s'", word);
		*err_col = 0;
		return -1;
	}
	if (!*expanded) {
		snprintf(err, errlen, "'%s' is an empty address once its "
		         "environment variables are expanded (a variable not "
		         "set?)", word);
		*err_col = 0;
		free(expanded);
		return -1;
	}
	ret = addr_parse_words(expanded, use, opts, out, n, err, errlen,
	                       err_col);
	if (ret < 0) {
		/* the column is in the expanded text: point at the word */
		size_t used = strlen(err);

		if (used + 1 < errlen)
			snprintf(err + used, errlen - used, " (in '%s', the "
			         "expansion of '%s')", expanded, word);
		*err_col = 0;
	}
	free(expanded);
	return ret;
}

static int addr_parse_words(const char *word, enum addr_use use, unsigned opts,
                            struct addr_spec **out, size_t *n,
                            char *err, size_t errlen, size_t *err_col)
{
	struct addr_ctx c = {
		.use = use, .opts = opts,
		.err = err, .errlen = errlen, .err_col = err_col,
	};
	struct addr_spec *list;
	size_t count = 1, len = strlen(word), start = 0, i = 0;
	char *copy;
	const char *comma;

	*out = NULL;
	*n = 0;
	if (use != ADDR_USE_BIND && use != ADDR_USE_SERVER)
		return addr_fail(&c, 0, "internal error: unknown address use %d",
		                 (int)use);
	comma = strchr(word, ',');
	if (comma && use == ADDR_USE_SERVER)
		return addr_fail(&c, (size_t)(comma - word), "a server takes one "
		                 "address, found a comma-separated list in '%s'",
		                 word);
	for (; comma; comma = strchr(comma + 1, ','))
		count++;
	/* like HAProxy, a single trailing comma ends the list */
	if (count > 1 && word[len - 1] == ',')
		count--, len--;
	list = calloc(count, sizeof(*list));
	copy = malloc(len + 1);
	if (!list || !copy) {
		free(list);
		free(copy);
		return addr_fail(&c, 0, "out of memory while parsing an address");
	}
	memcpy(copy, word, len);
	copy[len] = 0;
	for (size_t k = 0; k <= len; k++) {
		if (copy[k] != ',' && copy[k])
			continue;
		copy[k] = 0;
		if (addr_parse_one(&c, copy + start, start, &list[i]) < 0) {
			free(list);
			free(copy);
			return -1;
		}
		i++;
		start = k + 1;
	}
	free(copy);
	*out = list;
	*n = count;
	return 0;
}

int addr_format(const struct plan_addr *a, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];
	const char *mp = "";
	uint16_t port = 0;
	size_t salen = a->salen < sizeof(a->sa) ? a->salen : sizeof(a->sa);
	const char *path = (const char *)a->sa + ADDR_SUN_OFF;

	switch (a->family) {
	case PLAN_FAM_INET:
	case PLAN_FAM_INET6: {
		int v6 = a->family == PLAN_FAM_INET6;
		const char *lb = v6 ? "[" : "", *rb = v6 ? "]" : "";
		union {
			struct sockaddr_in in;
			struct sockaddr_in6 in6;
		} u;

		memcpy(&u, a->sa, v6 ? sizeof(u.in6) : sizeof(u.in));
		port = ntohs(v6 ? u.in6.sin6_port : u.in.sin_port);
		if (v6)
			inet_ntop(AF_INET6, &u.in6.sin6_addr, ip, sizeof(ip));
		else
			inet_ntop(AF_INET, &u.in.sin_addr, ip, sizeof(ip));
		if (a->proto == PLAN_PROTO_MPTCP)
			mp = v6 ? "mptcp6@" : "mptcp4@";
		return port ? snprintf(buf, len, "%s%s%s%s:%u", mp, lb, ip, rb, port)
		            : snprintf(buf, len, "%s%s%s%s", mp, lb, ip, rb);
	}
	case PLAN_FAM_UNIX:
		return snprintf(buf, len, "unix@%.*s",
		                (int)strnlen(path, ADDR_SUN_PATH_LEN), path);
	case PLAN_FAM_ABNS:
		return snprintf(buf, len, "abns@%.*s",
		                (int)strnlen(path + 1, ADDR_SUN_PATH_LEN - 1),
		                path + 1);
	case PLAN_FAM_ABNSZ:
		return snprintf(buf, len, "abnsz@%.*s",
		                salen > ADDR_SUN_OFF + 1 ?
		                (int)(salen - ADDR_SUN_OFF - 1) : 0, path + 1);
	case PLAN_FAM_FD:
		return snprintf(buf, len, "fd@%u", a->fd);
	case PLAN_FAM_SOCKPAIR:
		return snprintf(buf, len, "sockpair@%u", a->fd);
	case PLAN_FAM_NONE:
		return snprintf(buf, len, "none");
	default:
		return snprintf(buf, len, "invalid-family-%u", a->family);
	}
}
