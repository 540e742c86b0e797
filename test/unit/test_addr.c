/*
 * test_addr.c: address words (compiler/addr.c): every family, the exact
 * sockaddr bytes, ports and ranges, every error with its column, the text
 * form round trip, and every bind/server address of the corpus.
 */
#include <arpa/inet.h>
#include <check.h>
#include <dirent.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "addr.h"

#ifndef CORPUS_DIR
#define CORPUS_DIR "../shared/corpus"
#endif

#define SUN_OFF offsetof(struct sockaddr_un, sun_path)

/* Parse `word`, which must give exactly one address; returns a copy. */
static struct addr_spec one_opts(const char *word, enum addr_use use,
                                 unsigned opts)
{
	struct addr_spec *list = NULL, s;
	size_t n = 0, col = 0;
	char err[256] = "";

	ck_assert_msg(addr_parse_list(word, use, opts, &list, &n, err,
	                              sizeof(err), &col) == 0,
	              "'%s' refused at %zu: %s", word, col, err);
	ck_assert_msg(n == 1, "'%s' gave %zu addresses", word, n);
	s = list[0];
	free(list);
	return s;
}

static struct addr_spec one(const char *word, enum addr_use use)
{
	return one_opts(word, use, 0);
}

/* `word` must be refused with a message containing `part` at `want_col`. */
static void bad_opts(const char *word, enum addr_use use, unsigned opts,
                     const char *part, size_t want_col)
{
	struct addr_spec *list = (struct addr_spec *)1;
	size_t n = 77, col = 999;
	char err[512] = "";

	ck_assert_msg(addr_parse_list(word, use, opts, &list, &n, err,
	                              sizeof(err), &col) == -1,
	              "'%s' accepted", word);
	ck_assert_ptr_null(list);
	ck_assert_uint_eq(n, 0);
	ck_assert_msg(strstr(err, part) != NULL, "'%s': message '%s' lacks '%s'",
	              word, err, part);
	ck_assert_msg(col == want_col, "'%s': column %zu, want %zu (%s)", word,
	              col, want_col, err);
}

static void bad(const char *word, enum addr_use use, const char *part,
                size_t want_col)
{
	bad_opts(word, use, 0, part, want_col);
}

/* Bytes of sa[] past salen must be zero. */
static void assert_tail_zero(const struct plan_addr *a)
{
	for (size_t i = a->salen; i < sizeof(a->sa); i++)
		ck_assert_msg(a->sa[i] == 0, "sa[%zu] = %u past salen %u", i,
		              a->sa[i], a->salen);
}

/* The address must be exactly the sockaddr_in the kernel wants. */
static void assert_in4(const struct plan_addr *a, const char *ip,
                       uint16_t port, unsigned proto)
{
	struct sockaddr_in want;

	memset(&want, 0, sizeof(want));
	want.sin_family = AF_INET;
	want.sin_port = htons(port);
	ck_assert_int_eq(inet_pton(AF_INET, ip, &want.sin_addr), 1);
	ck_assert_uint_eq(a->family, PLAN_FAM_INET);
	ck_assert_uint_eq(a->proto, proto);
	ck_assert_uint_eq(a->salen, sizeof(struct sockaddr_in));
	ck_assert_uint_eq(a->fd, 0);
	ck_assert_msg(!memcmp(a->sa, &want, sizeof(want)), "sockaddr_in of %s",
	              ip);
	/* and the raw bytes: port in network order right after the family */
	ck_assert_uint_eq(a->sa[2], port >> 8);
	ck_assert_uint_eq(a->sa[3], port & 0xff);
	assert_tail_zero(a);
}

static void assert_in6(const struct plan_addr *a, const char *ip,
                       uint16_t port, unsigned proto)
{
	struct sockaddr_in6 want;

	memset(&want, 0, sizeof(want));
	want.sin6_family = AF_INET6;
	want.sin6_port = htons(port);
	ck_assert_int_eq(inet_pton(AF_INET6, ip, &want.sin6_addr), 1);
	ck_assert_uint_eq(a->family, PLAN_FAM_INET6);
	ck_assert_uint_eq(a->proto, proto);
	ck_assert_uint_eq(a->salen, sizeof(struct sockaddr_in6));
	ck_assert_msg(!memcmp(a->sa, &want, sizeof(want)), "sockaddr_in6 of %s",
	              ip);
	ck_assert_uint_eq(a->sa[2], port >> 8);
	ck_assert_uint_eq(a->sa[3], port & 0xff);
	assert_tail_zero(a);
}

/* A unix family address: sun_family, then `lead` NULs, then `name`. */
static void assert_un(const struct plan_addr *a, unsigned family,
                      const char *name, size_t lead, size_t salen)
{
	struct sockaddr_un want;

	memset(&want, 0, sizeof(want));
	want.sun_family = AF_UNIX;
	memcpy(want.sun_path + lead, name, strlen(name));
	ck_assert_uint_eq(a->family, family);
	ck_assert_uint_eq(a->proto, PLAN_PROTO_TCP);
	ck_assert_uint_eq(a->salen, salen);
	ck_assert_msg(!memcmp(a->sa, &want, sizeof(want)), "sockaddr_un of %s",
	              name);
	for (size_t i = sizeof(want); i < sizeof(a->sa); i++)
		ck_assert_uint_eq(a->sa[i], 0);
}

START_TEST(ipv4_bind)
{
	struct addr_spec s = one("127.0.0.1:80", ADDR_USE_BIND);

	assert_in4(&s.addr, "127.0.0.1", 80, PLAN_PROTO_TCP);
	ck_assert_uint_eq(s.port_lo, 80);
	ck_assert_uint_eq(s.port_hi, 80);
	ck_assert_uint_eq(s.flags, 0);
	ck_assert_uint_eq(s.col, 0);
	ck_assert_str_eq(s.host, "");
	/* raw bytes, independent of the libc structs */
	ck_assert_uint_eq(s.addr.sa[4], 127);
	ck_assert_uint_eq(s.addr.sa[5], 0);
	ck_assert_uint_eq(s.addr.sa[6], 0);
	ck_assert_uint_eq(s.addr.sa[7], 1);

	s = one("192.168.200.10:8080", ADDR_USE_BIND);
	assert_in4(&s.addr, "192.168.200.10", 8080, PLAN_PROTO_TCP);
	s = one(":65535", ADDR_USE_BIND);
	assert_in4(&s.addr, "0.0.0.0", 65535, PLAN_PROTO_TCP);
	s = one(":1", ADDR_USE_BIND);
	assert_in4(&s.addr, "0.0.0.0", 1, PLAN_PROTO_TCP);
}
END_TEST

START_TEST(any_address)
{
	struct addr_spec s;

	s = one(":8080", ADDR_USE_BIND);
	assert_in4(&s.addr, "0.0.0.0", 8080, PLAN_PROTO_TCP);
	s = one("*:7009", ADDR_USE_BIND);
	assert_in4(&s.addr, "0.0.0.0", 7009, PLAN_PROTO_TCP);
	s = one("0.0.0.0:7010", ADDR_USE_BIND);
	assert_in4(&s.addr, "0.0.0.0", 7010, PLAN_PROTO_TCP);
	s = one("ipv4@:7002", ADDR_USE_BIND);
	assert_in4(&s.addr, "0.0.0.0", 7002, PLAN_PROTO_TCP);
	s = one("ipv6@:7001", ADDR_USE_BIND);
	assert_in6(&s.addr, "::", 7001, PLAN_PROTO_TCP);
	s = one("ipv6@*:7001", ADDR_USE_BIND);
	assert_in6(&s.addr, "::", 7001, PLAN_PROTO_TCP);
	s = one("mptcp@:5000", ADDR_USE_BIND);
	assert_in4(&s.addr, "0.0.0.0", 5000, PLAN_PROTO_MPTCP);
	s = one("mptcp6@:5000", ADDR_USE_BIND);
	assert_in6(&s.addr, "::", 5000, PLAN_PROTO_MPTCP);
	/* the manual's transparent server: "ipv4@" alone */
	s = one("ipv4@", ADDR_USE_SERVER);
	assert_in4(&s.addr, "0.0.0.0", 0, PLAN_PROTO_TCP);
	ck_assert_uint_eq(s.flags, ADDR_F_NOPORT);
	s = one("0.0.0.0", ADDR_USE_SERVER);
	assert_in4(&s.addr, "0.0.0.0", 0, PLAN_PROTO_TCP);
}
END_TEST

START_TEST(ipv6_forms)
{
	struct addr_spec s;

	s = one("[::1]:8080", ADDR_USE_BIND);
	assert_in6(&s.addr, "::1", 8080, PLAN_PROTO_TCP);
	ck_assert_uint_eq(s.addr.sa[2], 0x1f);
	ck_assert_uint_eq(s.addr.sa[3], 0x90);
	ck_assert_uint_eq(s.addr.sa[8 + 15], 1);     /* last byte of ::1 */
	s = one("[::]:443", ADDR_USE_BIND);
	assert_in6(&s.addr, "::", 443, PLAN_PROTO_TCP);
	/* bare: the port is after the last colon */
	s = one(":::80", ADDR_USE_BIND);
	assert_in6(&s.addr, "::", 80, PLAN_PROTO_TCP);
	s = one("::1:80", ADDR_USE_BIND);
	assert_in6(&s.addr, "::1", 80, PLAN_PROTO_TCP);
	s = one("2001:db8::5:7000", ADDR_USE_SERVER);
	assert_in6(&s.addr, "2001:db8::5", 7000, PLAN_PROTO_TCP);
	s = one("[2001:db8::5]:7000", ADDR_USE_SERVER);
	assert_in6(&s.addr, "2001:db8::5", 7000, PLAN_PROTO_TCP);
	s = one("[::ffff:10.17.0.7]:7000", ADDR_USE_SERVER);
	assert_in6(&s.addr, "::ffff:10.17.0.7", 7000, PLAN_PROTO_TCP);
	s = one("[2001:db8::1]", ADDR_USE_SERVER);
	assert_in6(&s.addr, "2001:db8::1", 0, PLAN_PROTO_TCP);
	ck_assert_uint_eq(s.flags, ADDR_F_NOPORT);
	s = one("[::1]:7000-7002", ADDR_USE_BIND);
	assert_in6(&s.addr, "::1", 7000, PLAN_PROTO_TCP);
	ck_assert_uint_eq(s.port_hi, 7002);
}
END_TEST

START_TEST(inet_prefixes)
{
	struct {
		const char *word;
		int v6;
		unsigned proto;
	} t[] = {
		{ "ipv4@10.0.0.1:80",          0, PLAN_PROTO_TCP },
		{ "ipv6@[2001:db8::1]:80",     1, PLAN_PROTO_TCP },
		{ "ip@10.0.0.1:80",            0, PLAN_PROTO_TCP },
		{ "ip@[2001:db8::1]:80",       1, PLAN_PROTO_TCP },
		{ "tcp@10.0.0.1:80",           0, PLAN_PROTO_TCP },
		{ "tcp@[2001:db8::1]:80",      1, PLAN_PROTO_TCP },
		{ "tcp4@10.0.0.1:80",          0, PLAN_PROTO_TCP },
		{ "tcp6@[2001:db8::1]:80",     1, PLAN_PROTO_TCP },
		{ "stream+ipv4@10.0.0.1:80",   0, PLAN_PROTO_TCP },
		{ "stream+ipv6@[2001:db8::1]:80", 1, PLAN_PROTO_TCP },
		{ "stream+ip@10.0.0.1:80",     0, PLAN_PROTO_TCP },
		{ "stream+10.0.0.1:80",        0, PLAN_PROTO_TCP },
		{ "stream+tcp6@[2001:db8::1]:80", 1, PLAN_PROTO_TCP },
		{ "stream+mptcp4@10.0.0.1:80", 0, PLAN_PROTO_MPTCP },
		{ "[10.0.0.1]:80",             0, PLAN_PROTO_TCP },
		{ "ipv4@[10.0.0.1]:80",        0, PLAN_PROTO_TCP },
		{ "mptcp@10.0.0.1:80",         0, PLAN_PROTO_MPTCP },
		{ "mptcp@[2001:db8::1]:80",    1, PLAN_PROTO_MPTCP },
		{ "mptcp4@10.0.0.1:80",        0, PLAN_PROTO_MPTCP },
		{ "mptcp6@[2001:db8::1]:80",   1, PLAN_PROTO_MPTCP },
		{ "mptcp6@2001:db8::1:80",     1, PLAN_PROTO_MPTCP },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		for (int use = ADDR_USE_BIND; use <= ADDR_USE_SERVER; use++) {
			struct addr_spec s = one(t[i].word, (enum addr_use)use);

			if (t[i].v6)
				assert_in6(&s.addr, "2001:db8::1", 80, t[i].proto);
			else
				assert_in4(&s.addr, "10.0.0.1", 80, t[i].proto);
			ck_assert_uint_eq(s.flags, 0);
		}
	}
}
END_TEST

START_TEST(ipv4_shorthands)
{
	struct addr_spec s;

	/* inet_aton forms HAProxy accepts through its resolver */
	s = one("10.1:80", ADDR_USE_BIND);
	assert_in4(&s.addr, "10.0.0.1", 80, PLAN_PROTO_TCP);
	s = one("010.0.0.1:80", ADDR_USE_BIND);
	assert_in4(&s.addr, "8.0.0.1", 80, PLAN_PROTO_TCP);
	s = one("0x7f.1:80", ADDR_USE_SERVER);
	assert_in4(&s.addr, "127.0.0.1", 80, PLAN_PROTO_TCP);
	s = one("10.0.300:80", ADDR_USE_SERVER);
	assert_in4(&s.addr, "10.0.1.44", 80, PLAN_PROTO_TCP);
	s = one("2130706433:80", ADDR_USE_SERVER);
	assert_in4(&s.addr, "127.0.0.1", 80, PLAN_PROTO_TCP);
	s = one("0:80", ADDR_USE_BIND);
	assert_in4(&s.addr, "0.0.0.0", 80, PLAN_PROTO_TCP);
	s = one("255.255.255.255:1", ADDR_USE_BIND);
	assert_in4(&s.addr, "255.255.255.255", 1, PLAN_PROTO_TCP);
	bad("1.2.3.256:80", ADDR_USE_BIND, "invalid IPv4 address '1.2.3.256'", 0);
	bad("09.1.1.1:80", ADDR_USE_BIND, "invalid IPv4 address", 0);
	bad("4294967296:80", ADDR_USE_BIND, "invalid IPv4 address", 0);
	bad("1.2.3.:80", ADDR_USE_BIND, "invalid IPv4 address", 0);
	bad("1..3:80", ADDR_USE_BIND, "invalid IPv4 address", 0);
	bad("1.16777216:80", ADDR_USE_BIND, "invalid IPv4 address", 0);
}
END_TEST

START_TEST(unix_paths)
{
	struct addr_spec s;

	s = one("/run/haproxy-corpus/ssl.sock", ADDR_USE_BIND);
	assert_un(&s.addr, PLAN_FAM_UNIX, "/run/haproxy-corpus/ssl.sock", 0,
	          SUN_OFF + strlen("/run/haproxy-corpus/ssl.sock") + 1);
	ck_assert_uint_eq(s.port_lo, 0);
	ck_assert_uint_eq(s.flags, 0);
	s = one("unix@./rel.sock", ADDR_USE_SERVER);
	assert_un(&s.addr, PLAN_FAM_UNIX, "./rel.sock", 0, SUN_OFF + 11);
	s = one("stream+/x", ADDR_USE_BIND);
	assert_un(&s.addr, PLAN_FAM_UNIX, "/x", 0, SUN_OFF + 3);
	s = one("/", ADDR_USE_SERVER);
	assert_un(&s.addr, PLAN_FAM_UNIX, "/", 0, SUN_OFF + 2);
	/* HAProxy reads "./x" as a host: only '/' starts a bare path */
	bad("./rel.sock", ADDR_USE_SERVER, "needs the unix@ prefix, as in "
	    "unix@./rel.sock", 0);
	bad("./rel.sock", ADDR_USE_BIND, "needs the unix@ prefix", 0);
	s = one("unix@rel.sock", ADDR_USE_BIND);
	assert_un(&s.addr, PLAN_FAM_UNIX, "rel.sock", 0, SUN_OFF + 9);
	s = one("unix@/run/x:80", ADDR_USE_BIND);     /* colons are path */
	assert_un(&s.addr, PLAN_FAM_UNIX, "/run/x:80", 0, SUN_OFF + 10);
	s = one("uxst@/x", ADDR_USE_BIND);
	assert_un(&s.addr, PLAN_FAM_UNIX, "/x", 0, SUN_OFF + 3);
	s = one("stream+unix@/x", ADDR_USE_SERVER);
	assert_un(&s.addr, PLAN_FAM_UNIX, "/x", 0, SUN_OFF + 3);
	s = one("unix@/a@b", ADDR_USE_SERVER);
	assert_un(&s.addr, PLAN_FAM_UNIX, "/a@b", 0, SUN_OFF + 5);
}
END_TEST

START_TEST(unix_path_limit)
{
	char word[200];
	struct addr_spec s;

	/* 107 bytes fit with the terminator in the 108 of sun_path */
	memset(word, 'p', sizeof(word));
	word[0] = '/';
	word[107] = 0;
	s = one(word, ADDR_USE_BIND);
	assert_un(&s.addr, PLAN_FAM_UNIX, word, 0, SUN_OFF + 108);
	ck_assert_uint_eq(s.addr.salen, sizeof(struct sockaddr_un));
	word[107] = 'p';
	word[108] = 0;
	bad(word, ADDR_USE_BIND, "is 108 bytes long; the limit is 107 bytes", 0);
	memcpy(word, "unix@", 5);
	memset(word + 5, 'p', 108);
	word[5 + 108] = 0;
	bad(word, ADDR_USE_BIND, "socket path 'ppp", 5);
	word[5 + 107] = 0;
	ck_assert_uint_eq(one(word, ADDR_USE_BIND).addr.salen, SUN_OFF + 108);
}
END_TEST

START_TEST(abstract_sockets)
{
	char word[200];
	struct addr_spec s;

	s = one("abns@haproxy-internal", ADDR_USE_BIND);
	assert_un(&s.addr, PLAN_FAM_ABNS, "haproxy-internal", 1,
	          sizeof(struct sockaddr_un));
	ck_assert_uint_eq(s.addr.sa[SUN_OFF], 0);
	ck_assert_uint_eq(s.addr.salen, 110);
	s = one("abnsz@haproxy-internal2", ADDR_USE_SERVER);
	assert_un(&s.addr, PLAN_FAM_ABNSZ, "haproxy-internal2", 1,
	          SUN_OFF + 1 + 17);
	s = one("stream+abns@x", ADDR_USE_BIND);
	assert_un(&s.addr, PLAN_FAM_ABNS, "x", 1, 110);
	/* name limit: 107 after the leading NUL */
	memcpy(word, "abns@", 5);
	memset(word + 5, 'n', 108);
	word[5 + 107] = 0;
	s = one(word, ADDR_USE_BIND);
	assert_un(&s.addr, PLAN_FAM_ABNS, word + 5, 1, 110);
	word[5 + 107] = 'n';
	word[5 + 108] = 0;
	bad(word, ADDR_USE_BIND, "abstract socket name", 5);
	bad(word, ADDR_USE_BIND, "the limit is 107", 5);
	memcpy(word, "abnsz@", 6);  /* the z form has the same limit */
	memset(word + 6, 'n', 108);
	word[6 + 108] = 0;
	bad(word, ADDR_USE_SERVER, "is 108 bytes long; the limit is 107", 6);
	word[6 + 107] = 0;
	s = one(word, ADDR_USE_SERVER);
	assert_un(&s.addr, PLAN_FAM_ABNSZ, word + 6, 1, SUN_OFF + 1 + 107);
}
END_TEST

START_TEST(descriptors)
{
	struct addr_spec s;

	s = one("fd@3", ADDR_USE_BIND);
	ck_assert_uint_eq(s.addr.family, PLAN_FAM_FD);
	ck_assert_uint_eq(s.addr.fd, 3);
	ck_assert_uint_eq(s.addr.salen, 0);
	assert_tail_zero(&s.addr);
	s = one("sockpair@4", ADDR_USE_SERVER);
	ck_assert_uint_eq(s.addr.family, PLAN_FAM_SOCKPAIR);
	ck_assert_uint_eq(s.addr.fd, 4);
	ck_assert_uint_eq(s.addr.salen, 0);
	s = one("stream+fd@5", ADDR_USE_BIND);
	ck_assert_uint_eq(s.addr.family, PLAN_FAM_FD);
	ck_assert_uint_eq(s.addr.fd, 5);
	s = one("fd@2147483647", ADDR_USE_BIND);
	ck_assert_uint_eq(s.addr.fd, 2147483647u);
	bad("fd@", ADDR_USE_BIND, "expected a file descriptor number after "
	    "'fd@', found ''", 3);
	bad("fd@x", ADDR_USE_BIND, "found 'x'", 3);
	bad("fd@3x", ADDR_USE_BIND, "found '3x'", 4);
	bad("fd@-1", ADDR_USE_BIND, "found '-1'", 3);
	bad("fd@2147483648", ADDR_USE_BIND, "file descriptor", 3);
	bad("fd@99999999999999999999999", ADDR_USE_BIND, "file descriptor", 3);
	bad("sockpair@", ADDR_USE_SERVER, "after 'sockpair@'", 9);
}
END_TEST

START_TEST(port_ranges)
{
	struct addr_spec s;

	s = one("127.0.0.1:9000-9005", ADDR_USE_BIND);
	assert_in4(&s.addr, "127.0.0.1", 9000, PLAN_PROTO_TCP);
	ck_assert_uint_eq(s.port_lo, 9000);
	ck_assert_uint_eq(s.port_hi, 9005);
	s = one("127.0.0.1:1-65535", ADDR_USE_BIND);
	ck_assert_uint_eq(s.port_lo, 1);
	ck_assert_uint_eq(s.port_hi, 65535);
	s = one("127.0.0.2:8000-8000", ADDR_USE_BIND);
	ck_assert_uint_eq(s.port_lo, 8000);
	ck_assert_uint_eq(s.port_hi, 8000);
	s = one("mptcp6@[::]:9200-9210", ADDR_USE_BIND);
	assert_in6(&s.addr, "::", 9200, PLAN_PROTO_MPTCP);
	ck_assert_uint_eq(s.port_hi, 9210);
}
END_TEST

START_TEST(server_ports)
{
	struct addr_spec s;

	s = one("10.18.3.1", ADDR_USE_SERVER);
	assert_in4(&s.addr, "10.18.3.1", 0, PLAN_PROTO_TCP);
	ck_assert_uint_eq(s.flags, ADDR_F_NOPORT);
	ck_assert_uint_eq(s.port_lo, 0);
	s = one("10.18.3.2:0", ADDR_USE_SERVER);     /* quirk: like no port */
	assert_in4(&s.addr, "10.18.3.2", 0, PLAN_PROTO_TCP);
	ck_assert_uint_eq(s.flags, ADDR_F_NOPORT);
	s = one("10.18.3.2:", ADDR_USE_SERVER);      /* <address>:[port] */
	ck_assert_uint_eq(s.flags, ADDR_F_NOPORT);
	s = one("10.18.3.3:+1000", ADDR_USE_SERVER);
	assert_in4(&s.addr, "10.18.3.3", 0, PLAN_PROTO_TCP);
	ck_assert_uint_eq(s.flags, ADDR_F_OFFSET);
	ck_assert_int_eq(s.port_offset, 1000);
	s = one("10.18.3.4:-10", ADDR_USE_SERVER);
	ck_assert_uint_eq(s.flags, ADDR_F_OFFSET);
	ck_assert_int_eq(s.port_offset, -10);
	s = one("mptcp4@10.13.2.6:+10", ADDR_USE_SERVER);
	assert_in4(&s.addr, "10.13.2.6", 0, PLAN_PROTO_MPTCP);
	ck_assert_int_eq(s.port_offset, 10);
	s = one("mptcp@10.18.3.5", ADDR_USE_SERVER);
	assert_in4(&s.addr, "10.18.3.5", 0, PLAN_PROTO_MPTCP);
	ck_assert_uint_eq(s.flags, ADDR_F_NOPORT);
	s = one("[2001:db8::1]:-65535", ADDR_USE_SERVER);
	ck_assert_int_eq(s.port_offset, -65535);
	s = one("127.0.0.1:65535", ADDR_USE_SERVER);
	assert_in4(&s.addr, "127.0.0.1", 65535, PLAN_PROTO_TCP);
	ck_assert_uint_eq(s.flags, 0);
}
END_TEST

START_TEST(lists)
{
	struct addr_spec *l = NULL;
	size_t n = 0, col = 0;
	char err[256];

	ck_assert_int_eq(addr_parse_list("192.0.2.10:80,192.0.2.11:80,"
	                                 "192.0.2.12:8080-8081", ADDR_USE_BIND,
	                                 0, &l, &n, err, sizeof(err), &col), 0);
	ck_assert_uint_eq(n, 3);
	assert_in4(&l[0].addr, "192.0.2.10", 80, PLAN_PROTO_TCP);
	assert_in4(&l[1].addr, "192.0.2.11", 80, PLAN_PROTO_TCP);
	assert_in4(&l[2].addr, "192.0.2.12", 8080, PLAN_PROTO_TCP);
	ck_assert_uint_eq(l[0].col, 0);
	ck_assert_uint_eq(l[1].col, 14);
	ck_assert_uint_eq(l[2].col, 28);
	ck_assert_uint_eq(l[2].port_hi, 8081);
	free(l);

	ck_assert_int_eq(addr_parse_list("mptcp4@192.0.2.1:9400-9401,"
	                                 "mptcp6@[::1]:9500-9501,/x.sock,fd@3",
	                                 ADDR_USE_BIND, 0, &l, &n, err,
	                                 sizeof(err), &col), 0);
	ck_assert_uint_eq(n, 4);
	assert_in4(&l[0].addr, "192.0.2.1", 9400, PLAN_PROTO_MPTCP);
	assert_in6(&l[1].addr, "::1", 9500, PLAN_PROTO_MPTCP);
	ck_assert_uint_eq(l[1].col, 27);
	ck_assert_uint_eq(l[2].addr.family, PLAN_FAM_UNIX);
	ck_assert_uint_eq(l[3].addr.family, PLAN_FAM_FD);
	free(l);

	/* a single trailing comma ends the list, as in HAProxy */
	ck_assert_int_eq(addr_parse_list(":80,:81,", ADDR_USE_BIND, 0, &l, &n,
	                                 err, sizeof(err), &col), 0);
	ck_assert_uint_eq(n, 2);
	assert_in4(&l[1].addr, "0.0.0.0", 81, PLAN_PROTO_TCP);
	free(l);
	bad(":80,:70000", ADDR_USE_BIND, "invalid port '70000'", 5);
	bad(":80,,", ADDR_USE_BIND, "found nothing", 4);
	bad(",", ADDR_USE_BIND, "found nothing", 0);
	bad(",:80", ADDR_USE_BIND, "found nothing", 0);
	bad(":80,,:81", ADDR_USE_BIND, "found nothing", 4);
	bad("10.0.0.1:80,10.0.0.2:80", ADDR_USE_SERVER, "a server takes one "
	    "address", 11);
}
END_TEST

/* The invalid/ corpus files about addresses, one by one. */
START_TEST(errors_bind)
{
	bad("10.0.0.1.5:80", ADDR_USE_BIND, "invalid IPv4 address '10.0.0.1.5'", 0);
	bad("10.0.0.300:80", ADDR_USE_BIND, "invalid IPv4 address '10.0.0.300'", 0);
	bad("mptcp6@[::1:80", ADDR_USE_BIND, "missing ']'", 7);
	bad("127.0.0.1", ADDR_USE_BIND, "missing port", 9);
	bad("127.0.0.1:", ADDR_USE_BIND, "missing port", 10);
	bad("[::1]", ADDR_USE_BIND, "missing port", 5);
	bad("mptcp@127.0.0.1:0", ADDR_USE_BIND, "invalid port '0': expected a "
	    "number from 1 to 65535", 16);
	bad("mptcp@:9000-8000", ADDR_USE_BIND, "reversed port range "
	    "'9000-8000'", 7);
	bad("MPTCP@127.0.0.1:80", ADDR_USE_BIND, "did you mean 'mptcp@'", 0);
	bad("Unix@/x", ADDR_USE_BIND, "unknown address prefix 'Unix@'", 0);
	bad("foo@1.2.3.4:80", ADDR_USE_BIND, "unknown address prefix 'foo@'", 0);
	bad("mptcp4@[2001:db8::1]:80", ADDR_USE_BIND, "invalid address: mptcp4@ "
	    "expects an IPv4 address, found an IPv6 literal '[2001:db8::1]'", 8);
	bad("tcp4@::1:80", ADDR_USE_BIND, "tcp4@ expects an IPv4 address", 5);
	bad("mptcp6@10.0.0.1:80", ADDR_USE_BIND, "mptcp6@ expects an IPv6 "
	    "address, found an IPv4 literal '10.0.0.1'", 7);
	bad("ipv6@10.0.0.1:80", ADDR_USE_BIND, "ipv6@ expects an IPv6", 5);
	bad("stream+ipv4@[::1]:80", ADDR_USE_BIND, "stream+ipv4@ expects", 13);
	bad("", ADDR_USE_BIND, "expected an address such as 127.0.0.1:80", 0);
	bad(":http", ADDR_USE_BIND, "invalid character 'h' in port 'http'", 1);
	bad(":8o", ADDR_USE_BIND, "invalid character 'o' in port '8o'", 2);
	bad(":65530-65540", ADDR_USE_BIND, "invalid port '65540'", 7);
	bad(":70000", ADDR_USE_BIND, "invalid port '70000'", 1);
	bad(":99999999999999999999", ADDR_USE_BIND, "invalid port", 1);
	bad(":0-5", ADDR_USE_BIND, "invalid port '0'", 1);
	bad(":80-", ADDR_USE_BIND, "expected the last port", 4);
	bad(":80-8x", ADDR_USE_BIND, "invalid character 'x' in port range", 5);
	bad(":+80", ADDR_USE_BIND, "only allowed on server lines", 1);
	bad(":-80", ADDR_USE_BIND, "only allowed on server lines", 1);
	bad("[]:80", ADDR_USE_BIND, "expected an address inside the brackets", 1);
	bad("[]", ADDR_USE_SERVER, "inside the brackets", 1);
	bad("[::1]x", ADDR_USE_BIND, "expected ':' and a port after ']'", 5);
	bad("[::g]:80", ADDR_USE_BIND, "invalid IPv6 address '[::g]'", 1);
	bad("exa mple:80", ADDR_USE_BIND, "unexpected character ' '", 3);
	bad("a..b:80", ADDR_USE_BIND, "unexpected character '.'", 2);
	bad("user@host:80", ADDR_USE_BIND, "unknown address prefix 'user@'", 0);
	bad("unix@", ADDR_USE_BIND, "expected a socket path after 'unix@', "
	    "found nothing", 5);
	bad("abns@", ADDR_USE_BIND, "expected an abstract socket name", 5);
	bad("abnsz@", ADDR_USE_BIND, "expected an abstract socket name", 6);
	bad("fd@3", ADDR_USE_SERVER, "cannot be a server address", 0);
	bad("rhttp@be/srv", ADDR_USE_BIND, "rhttp@", 0);
}
END_TEST

START_TEST(errors_host_length)
{
	char word[600];

	memset(word, 'a', sizeof(word));
	word[254] = ':';
	word[255] = '8';
	word[256] = 0;
	bad(word, ADDR_USE_SERVER, "is 254 bytes long; the limit is 253", 0);
	/* a label above 63 bytes */
	memset(word, 'b', 100);
	strcpy(word + 100, ":80");
	bad(word, ADDR_USE_SERVER, "unexpected character 'b'", 63);
	memset(word, 'c', 63);
	strcpy(word + 63, ".x:80");
	ck_assert(one(word, ADDR_USE_SERVER).flags & ADDR_F_HOSTNAME);
}
END_TEST

START_TEST(errors_datagram)
{
	struct addr_spec s;

	bad("udp@:80", ADDR_USE_BIND, "datagram addresses are not supported on "
	    "bind lines, found 'udp@'", 0);
	bad("udp@127.0.0.1:20002", ADDR_USE_SERVER, "datagram addresses are not "
	    "supported on server lines", 0);
	bad("quic4@:443", ADDR_USE_BIND, "found 'quic4@'", 0);
	bad("quic6@[::]:443", ADDR_USE_BIND, "datagram", 0);
	bad("udp4@:514", ADDR_USE_BIND, "datagram", 0);
	bad("udp6@[::1]:53", ADDR_USE_SERVER, "datagram", 0);
	bad("dgram+ipv4@:80", ADDR_USE_BIND, "found 'dgram+ipv4@'", 0);
	bad("quic+ipv6@[::1]:443", ADDR_USE_BIND, "datagram", 0);
	bad("uxdg@/dev/log", ADDR_USE_SERVER, "datagram", 0);
	bad(":80,udp@:81", ADDR_USE_BIND, "datagram", 4);
	/* a family with its own socket type overrides stream+/dgram+ */
	bad("stream+udp@:80", ADDR_USE_BIND, "found 'stream+udp@'", 0);
	bad("quic+:443", ADDR_USE_BIND, "found 'quic+'", 0);
	s = one("dgram+tcp@:80", ADDR_USE_BIND);
	assert_in4(&s.addr, "0.0.0.0", 80, PLAN_PROTO_TCP);
	s = one("dgram+mptcp@:80", ADDR_USE_BIND);
	assert_in4(&s.addr, "0.0.0.0", 80, PLAN_PROTO_MPTCP);
	/* allowed where the caller says so (log backends, nameservers) */
	s = one_opts("udp@127.0.0.1:20002", ADDR_USE_SERVER, ADDR_DGRAM_OK);
	assert_in4(&s.addr, "127.0.0.1", 20002, PLAN_PROTO_TCP);
	ck_assert_uint_eq(s.flags, ADDR_F_DGRAM);
	s = one_opts("uxdg@/dev/log", ADDR_USE_SERVER, ADDR_DGRAM_OK);
	ck_assert_uint_eq(s.addr.family, PLAN_FAM_UNIX);
	ck_assert_uint_eq(s.flags, ADDR_F_DGRAM);
	s = one_opts("tcp@127.0.0.1:1514", ADDR_USE_SERVER, ADDR_DGRAM_OK);
	ck_assert_uint_eq(s.flags, 0);
}
END_TEST

START_TEST(errors_server)
{
	bad("10.0.0.300:80", ADDR_USE_SERVER, "invalid IPv4 address", 0);
	bad("ipv6@2001:db8::1", ADDR_USE_SERVER, "invalid IPv6 address "
	    "'2001:db8:'", 5);
	bad("ipv6@2001:db8::1", ADDR_USE_SERVER, "write an IPv6 address in "
	    "brackets", 5);
	bad("mptcp@10.0.0.1:80-88", ADDR_USE_SERVER, "port ranges are not "
	    "allowed on server lines, found '80-88'", 15);
	bad("mptcp4@[2001:db8::1]:80", ADDR_USE_SERVER, "mptcp4@ expects an IPv4 "
	    "address, found an IPv6 literal", 8);
	bad("10.0.0.1:http", ADDR_USE_SERVER, "invalid character 'h' in port "
	    "'http': expected a number from 0 to 65535", 9);
	bad("10.0.0.1:80-81", ADDR_USE_SERVER, "port ranges are not allowed", 9);
	bad("10.0.0.1:70000", ADDR_USE_SERVER, "invalid port '70000'", 9);
	bad("10.0.0.1:+", ADDR_USE_SERVER, "expected a port offset", 9);
	bad("10.0.0.1:+70000", ADDR_USE_SERVER, "expected a port offset", 9);
	bad("10.0.0.1:+1x", ADDR_USE_SERVER, "found '+1x'", 9);
	bad("10.0.0.1:--1", ADDR_USE_SERVER, "expected a port offset", 9);
	bad("app.invalid:80,b:80", ADDR_USE_SERVER, "a server takes one", 14);
}
END_TEST

START_TEST(hostnames)
{
	struct addr_spec s;

	/* without ADDR_RESOLVE: kept by name */
	s = one("localhost:7000", ADDR_USE_SERVER);
	ck_assert_uint_eq(s.addr.family, PLAN_FAM_NONE);
	ck_assert_uint_eq(s.addr.salen, 0);
	ck_assert_uint_eq(s.flags, ADDR_F_HOSTNAME);
	ck_assert_str_eq(s.host, "localhost");
	ck_assert_uint_eq(s.port_lo, 7000);
	assert_tail_zero(&s.addr);
	s = one("_http._tcp.frontend.shop.svc.cluster.local", ADDR_USE_SERVER);
	ck_assert_str_eq(s.host, "_http._tcp.frontend.shop.svc.cluster.local");
	ck_assert_uint_eq(s.flags, ADDR_F_HOSTNAME | ADDR_F_NOPORT);
	s = one("mptcp4@app.example.:80", ADDR_USE_SERVER);
	ck_assert_str_eq(s.host, "app.example.");
	ck_assert_uint_eq(s.addr.proto, PLAN_PROTO_MPTCP);
	s = one("app.invalid:80", ADDR_USE_SERVER);
	ck_assert_str_eq(s.host, "app.invalid");
	s = one("localhost:80-90", ADDR_USE_BIND);
	ck_assert_str_eq(s.host, "localhost");
	ck_assert_uint_eq(s.port_hi, 90);
	s = one("[localhost]:80", ADDR_USE_SERVER);
	ck_assert_str_eq(s.host, "localhost");
	ck_assert_uint_eq(s.port_lo, 80);
	bad("ipv6@[10.0.0.1]:80", ADDR_USE_SERVER, "found an IPv4 literal "
	    "'[10.0.0.1]'", 6);
	bad("localhost", ADDR_USE_BIND, "missing port", 9);
	bad("localhost:0", ADDR_USE_BIND, "invalid port '0'", 10);
}
END_TEST

START_TEST(resolve)
{
	struct addr_spec s;

	/* the corpus's own assumption (valid/055): localhost is 127.0.0.1 */
	s = one_opts("localhost:7000", ADDR_USE_SERVER, ADDR_RESOLVE);
	assert_in4(&s.addr, "127.0.0.1", 7000, PLAN_PROTO_TCP);
	ck_assert_uint_eq(s.flags, ADDR_F_HOSTNAME);
	ck_assert_str_eq(s.host, "localhost");
	s = one_opts("mptcp4@localhost:80", ADDR_USE_BIND, ADDR_RESOLVE);
	assert_in4(&s.addr, "127.0.0.1", 80, PLAN_PROTO_MPTCP);
	s = one_opts("localhost", ADDR_USE_SERVER, ADDR_RESOLVE);
	assert_in4(&s.addr, "127.0.0.1", 0, PLAN_PROTO_TCP);
	ck_assert_uint_eq(s.flags, ADDR_F_HOSTNAME | ADDR_F_NOPORT);
	/* literals need no resolver */
	s = one_opts("10.0.0.1:80", ADDR_USE_SERVER, ADDR_RESOLVE);
	assert_in4(&s.addr, "10.0.0.1", 80, PLAN_PROTO_TCP);
	ck_assert_uint_eq(s.flags, 0);
	/* .invalid never resolves (RFC 6761): invalid/113 */
	bad_opts("app.invalid:80", ADDR_USE_SERVER, ADDR_RESOLVE,
	         "could not resolve address 'app.invalid'", 0);
	bad_opts("mptcp@app.invalid:80", ADDR_USE_SERVER, ADDR_RESOLVE,
	         "could not resolve", 6);
}
END_TEST

START_TEST(set_port)
{
	struct addr_spec s = one("10.0.0.1", ADDR_USE_SERVER);

	addr_set_port(&s.addr, 0x1234);
	assert_in4(&s.addr, "10.0.0.1", 0x1234, PLAN_PROTO_TCP);
	s = one("[::1]", ADDR_USE_SERVER);
	addr_set_port(&s.addr, 443);
	assert_in6(&s.addr, "::1", 443, PLAN_PROTO_TCP);
	s = one("/x", ADDR_USE_SERVER);
	addr_set_port(&s.addr, 443);       /* no effect on a unix address */
	assert_un(&s.addr, PLAN_FAM_UNIX, "/x", 0, SUN_OFF + 3);
}
END_TEST

/*
 * Every family: format gives the canonical text, and parsing that text
 * gives back the same plan_addr, byte for byte.
 */
START_TEST(format_round_trip)
{
	static const struct {
		const char *in;       /* as written */
		enum addr_use use;
		const char *text;     /* canonical */
	} t[] = {
		{ "127.0.0.1:80",              ADDR_USE_BIND,   "127.0.0.1:80" },
		{ "*:80",                      ADDR_USE_BIND,   "0.0.0.0:80" },
		{ "10.1:80",                   ADDR_USE_BIND,   "10.0.0.1:80" },
		{ "tcp4@10.0.0.1:1",           ADDR_USE_BIND,   "10.0.0.1:1" },
		{ "ipv4@10.0.0.1",             ADDR_USE_SERVER, "10.0.0.1" },
		{ "[::1]:8080",                ADDR_USE_BIND,   "[::1]:8080" },
		{ "::1:8080",                  ADDR_USE_BIND,   "[::1]:8080" },
		{ "ipv6@:80",                  ADDR_USE_BIND,   "[::]:80" },
		{ "[2001:db8::1]",             ADDR_USE_SERVER, "[2001:db8::1]" },
		{ "[::ffff:10.0.0.7]:7",       ADDR_USE_SERVER, "[::ffff:10.0.0.7]:7" },
		{ "mptcp4@10.0.0.1:80",        ADDR_USE_BIND,   "mptcp4@10.0.0.1:80" },
		{ "mptcp@10.0.0.1:80",         ADDR_USE_BIND,   "mptcp4@10.0.0.1:80" },
		{ "mptcp4@10.0.0.1",           ADDR_USE_SERVER, "mptcp4@10.0.0.1" },
		{ "mptcp6@[::1]:80",           ADDR_USE_BIND,   "mptcp6@[::1]:80" },
		{ "mptcp@[::]:443",            ADDR_USE_BIND,   "mptcp6@[::]:443" },
		{ "mptcp6@[::1]",              ADDR_USE_SERVER, "mptcp6@[::1]" },
		{ "/run/x.sock",               ADDR_USE_BIND,   "unix@/run/x.sock" },
		{ "unix@rel.sock",             ADDR_USE_BIND,   "unix@rel.sock" },
		{ "uxst@/a:b",                 ADDR_USE_SERVER, "unix@/a:b" },
		{ "abns@name",                 ADDR_USE_BIND,   "abns@name" },
		{ "abnsz@name",                ADDR_USE_SERVER, "abnsz@name" },
		{ "fd@3",                      ADDR_USE_BIND,   "fd@3" },
		{ "sockpair@4",                ADDR_USE_SERVER, "sockpair@4" },
	};
	char buf[256];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct addr_spec a = one(t[i].in, t[i].use), b;
		int r = addr_format(&a.addr, buf, sizeof(buf));

		ck_assert_int_eq(r, (int)strlen(t[i].text));
		ck_assert_str_eq(buf, t[i].text);
		b = one(buf, t[i].use);
		ck_assert_msg(!memcmp(&a.addr, &b.addr, sizeof(a.addr)),
		              "'%s' -> '%s' does not give the same address",
		              t[i].in, buf);
	}
}
END_TEST

START_TEST(format_edges)
{
	struct plan_addr a;
	char buf[8];
	char longname[120];

	memset(&a, 0, sizeof(a));
	ck_assert_int_eq(addr_format(&a, buf, sizeof(buf)), 4);
	ck_assert_str_eq(buf, "none");
	a.family = 200;
	addr_format(&a, buf, sizeof(buf));
	ck_assert_uint_eq(strlen(buf), 7);     /* truncated, terminated */
	/* a full-length abstract name (no NUL inside sun_path) stays bounded */
	memcpy(longname, "abns@", 5);
	memset(longname + 5, 'q', 107);
	longname[112] = 0;
	{
		struct addr_spec s = one(longname, ADDR_USE_BIND);
		char big[256];

		ck_assert_int_eq(addr_format(&s.addr, big, sizeof(big)), 112);
		ck_assert_str_eq(big, longname);
	}
	/* a hostile salen is clamped */
	memset(&a, 'z', sizeof(a));
	a.family = PLAN_FAM_ABNSZ;
	a.salen = 0xffff;
	{
		char big[256];

		ck_assert_int_le(addr_format(&a, big, sizeof(big)), 120);
	}
}
END_TEST

/*
 * Random words made of the characters that matter: never a crash, and
 * whatever is accepted is well formed and survives the text round trip.
 */
START_TEST(random_words)
{
	static const char alphabet[] = "0123456789.:[]@/+-,*% "
		"abfdimnpqrstuvxz46_";
	static const char *const seeds[] = {
		"mptcp6@", "ipv4@", "unix@", "abns@", "fd@", "stream+", "[::",
		"10.0.0.1", ":80-90", "::1", "udp@", "sockpair@", "",
	};
	uint32_t rnd = 12345;
	char word[64], buf[256];
	unsigned accepted = 0;

	for (int iter = 0; iter < 40000; iter++) {
		struct addr_spec *l = NULL;
		size_t n = 0, col = 0, len, wlen;
		enum addr_use use = (enum addr_use)(iter & 1);
		unsigned opts = (iter & 2) ? ADDR_DGRAM_OK : 0;
		char err[256];

		rnd = rnd * 1103515245u + 12345u;
		strcpy(word, seeds[(rnd >> 16) % (sizeof(seeds) / sizeof(seeds[0]))]);
		wlen = strlen(word);
		rnd = rnd * 1103515245u + 12345u;
		len = (rnd >> 16) % 24;
		for (size_t i = 0; i < len; i++) {
			rnd = rnd * 1103515245u + 12345u;
			word[wlen + i] = alphabet[(rnd >> 16) % (sizeof(alphabet) - 1)];
		}
		word[wlen + len] = 0;
		/* plain tests, ck_abort only on failure: Check's assertions
		 * talk to the parent process and would dominate the run time */
		if (addr_parse_list(word, use, opts, &l, &n, err, sizeof(err),
		                    &col) < 0) {
			if (col > strlen(word) || !err[0] || l)
				ck_abort_msg("'%s': column %zu, message '%s'", word,
				             col, err);
			continue;
		}
		if (n < 1)
			ck_abort_msg("'%s': empty list", word);
		accepted++;
		for (size_t i = 0; i < n; i++) {
			const struct plan_addr *a = &l[i].addr;
			struct addr_spec *back = NULL;
			size_t bn = 0, bcol;
			char berr[256];

			if (a->family >= PLAN_FAM_MAX || a->salen > sizeof(a->sa) ||
			    l[i].col > strlen(word))
				ck_abort_msg("'%s': malformed result", word);
			for (size_t j = a->salen; j < sizeof(a->sa); j++)
				if (a->sa[j])
					ck_abort_msg("'%s': sa[%zu] set", word, j);
			if (a->family == PLAN_FAM_NONE)
				continue;    /* a host name, kept by name */
			if (addr_format(a, buf, sizeof(buf)) >= (int)sizeof(buf))
				ck_abort_msg("'%s': text form too long", word);
			if (addr_parse_list(buf, use, opts, &back, &bn, berr,
			                    sizeof(berr), &bcol) < 0 || bn != 1 ||
			    memcmp(a, &back[0].addr, sizeof(*a)))
				ck_abort_msg("'%s' -> '%s' does not come back (%s)",
				             word, buf, berr);
			free(back);
		}
		free(l);
	}
	printf("random: %u of 40000 words accepted\n", accepted);
	/* the generator must keep producing valid words too */
	ck_assert_uint_gt(accepted, 2000);
}
END_TEST

/* ---- corpus: every bind/server address of valid/ and warn/ ---------- */

/*
 * Word `k` (0-based) of a configuration line, with quotes removed and
 * backslash escapes taken literally; "" when absent. Good enough for
 * address words, which hold no variables here (lines with '$' are skipped).
 */
static void cfg_word(const char *line, int k, char *out, size_t len)
{
	const char *p = line;
	size_t o = 0;

	out[0] = 0;
	for (int i = 0; ; i++) {
		char q = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#' || *p == '\n' || *p == '\r')
			return;
		o = 0;
		for (; *p && (q || (*p != ' ' && *p != '\t' && *p != '\n' &&
		                    *p != '\r')); p++) {
			if (!q && *p == '#')
				break;
			if (*p == '\\' && p[1]) {
				p++;
			} else if (q ? *p == q : (*p == '"' || *p == '\'')) {
				q = q ? 0 : *p;
				continue;
			}
			if (o + 1 < len)
				out[o++] = *p;
		}
		out[o] = 0;
		if (i == k)
			return;
		out[0] = 0;
	}
}

struct corpus_stats {
	unsigned total;      /* address words tried */
	unsigned ok;         /* parsed */
	unsigned skipped;    /* with '$' or inside a conditional block */
	char first_fail[512];
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)len + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = 0;
	fclose(f);
	return buf;
}

/* Which keyword takes an address, and which word it is. */
static int addr_word_index(const char *kw, enum addr_use *use)
{
	*use = ADDR_USE_SERVER;
	if (!strcmp(kw, "bind")) {
		*use = ADDR_USE_BIND;
		return 1;
	}
	if (!strcmp(kw, "server"))
		return 2;
	if (!strcmp(kw, "server-template"))
		return 3;
	return -1;
}

/* 1 when `kw` opens a section. */
static int cfg_is_section(const char *kw)
{
	static const char *const sections[] = {
		"global", "defaults", "frontend", "backend", "listen", "ring",
		"peers", "resolvers", "log-forward", "cache", "userlist",
		"http-errors", "mailers", "crt-store", "program", "traces",
		"healthcheck", "acme", "log-profile",
	};

	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (!strcmp(kw, sections[i]))
			return 1;
	return 0;
}

/* Try the address word of each bind/server line of one file. Servers of a
 * "mode log" section may be datagram (log backends). */
static void corpus_file(const char *path, struct corpus_stats *st)
{
	char *text = slurp(path), **lines, *save = NULL, *l;
	size_t nlines = 0, cap = 16;
	int *section, sec = 0, depth = 0;
	int mode_log[1024] = { 0 };

	ck_assert_ptr_nonnull(text);
	lines = malloc(cap * sizeof(*lines));
	ck_assert_ptr_nonnull(lines);
	for (l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (nlines == cap) {
			cap *= 2;
			lines = realloc(lines, cap * sizeof(*lines));
			ck_assert_ptr_nonnull(lines);
		}
		lines[nlines++] = l;
	}
	section = calloc(nlines + 1, sizeof(*section));
	ck_assert_ptr_nonnull(section);
	/* pass 1: number the sections, note which say "mode log" */
	for (size_t i = 0; i < nlines; i++) {
		char w0[64], w1[64];

		cfg_word(lines[i], 0, w0, sizeof(w0));
		cfg_word(lines[i], 1, w1, sizeof(w1));
		if (cfg_is_section(w0) && sec < 1023)
			sec++;
		section[i] = sec;
		if (!strcmp(w0, "mode") && !strcmp(w1, "log"))
			mode_log[sec] = 1;
	}
	/* pass 2: the address words */
	for (size_t i = 0; i < nlines; i++) {
		char kw[64], arg[512], err[256];
		struct addr_spec *out = NULL;
		enum addr_use use;
		size_t n, col;
		int k;

		cfg_word(lines[i], 0, kw, sizeof(kw));
		if (!strcmp(kw, ".if"))
			depth++;
		else if (!strcmp(kw, ".endif"))
			depth--;
		k = addr_word_index(kw, &use);
		if (k < 0)
			continue;
		if (depth > 0 || strchr(lines[i], '$')) {
			st->skipped++;
			continue;
		}
		cfg_word(lines[i], k, arg, sizeof(arg));
		st->total++;
		if (addr_parse_list(arg, use, mode_log[section[i]] ?
		                    ADDR_DGRAM_OK : 0, &out, &n, err, sizeof(err),
		                    &col) == 0)
			st->ok++;
		else if (!st->first_fail[0])
			snprintf(st->first_fail, sizeof(st->first_fail),
			         "%.200s: '%.100s': %.200s", path, arg, err);
		free(out);
	}
	free(section);
	free(lines);
	free(text);
}

static const char *corpus_dir(void)
{
	const char *env = getenv("HAPC_CORPUS");
	struct stat sb;

	if (env && *env)
		return env;
	if (stat(CORPUS_DIR "/expected.tsv", &sb) == 0)
		return CORPUS_DIR;
	return NULL;
}

static void corpus_dir_walk(const char *sub, struct corpus_stats *st)
{
	char path[1024];
	struct dirent **names;
	int n;

	snprintf(path, sizeof(path), "%s/%s", corpus_dir(), sub);
	n = scandir(path, &names, NULL, alphasort);
	ck_assert_msg(n > 0, "no files in %s", path);
	for (int i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);

		if (len > 4 && !strcmp(names[i]->d_name + len - 4, ".cfg")) {
			snprintf(path, sizeof(path), "%s/%s/%s", corpus_dir(), sub,
			         names[i]->d_name);
			corpus_file(path, st);
		}
		free(names[i]);
	}
	free(names);
}

START_TEST(corpus_valid_addresses_parse)
{
	struct corpus_stats st;

	memset(&st, 0, sizeof(st));
	corpus_dir_walk("valid", &st);
	corpus_dir_walk("warn", &st);
	printf("corpus: %u of %u bind/server addresses of valid/ and warn/ "
	       "parse (%u skipped: variables or conditional blocks)\n",
	       st.ok, st.total, st.skipped);
	ck_assert_uint_gt(st.total, 400);
	ck_assert_msg(st.ok == st.total, "%u of %u parse; first failure: %s",
	              st.ok, st.total, st.first_fail);
}
END_TEST

/*
 * Every invalid/ file whose expected message is about an address: the
 * address word on the line HAProxy names must be refused.
 */
START_TEST(corpus_invalid_addresses_refused)
{
	char path[1024], *tsv, *row, *save = NULL;
	unsigned tried = 0, refused = 0;
	char missed[1024] = "";

	snprintf(path, sizeof(path), "%s/expected.tsv", corpus_dir());
	tsv = slurp(path);
	ck_assert_ptr_nonnull(tsv);
	for (row = strtok_r(tsv, "\n", &save); row;
	     row = strtok_r(NULL, "\n", &save)) {
		char file[256], verdict[32], msg[2048], *text, *l;
		int exitc, line;

		if (sscanf(row, "%255[^\t]\t%31[^\t]\t%d\t%d\t%2047[^\n]", file,
		           verdict, &exitc, &line, msg) != 5)
			continue;
		if (strcmp(verdict, "invalid") ||
		    !(strstr(msg, "address") || strstr(msg, "port") ||
		      strstr(msg, "mptcp") || strstr(msg, "'bind' expects")))
			continue;
		snprintf(path, sizeof(path), "%s/%s", corpus_dir(), file);
		text = slurp(path);
		ck_assert_ptr_nonnull(text);
		l = text;
		for (int i = 1; i < line && l; i++) {
			l = strchr(l, '\n');
			if (l)
				l++;
		}
		if (l) {
			char kw[64], arg[512];
			enum addr_use use;
			int k;

			cfg_word(l, 0, kw, sizeof(kw));
			k = addr_word_index(kw, &use);
			/* variables are the lexer's business (invalid/061) */
			if (k >= 0 && memchr(l, '$', strcspn(l, "\n")) == NULL) {
				struct addr_spec *out = NULL;
				size_t n, col;
				char err[256];

				cfg_word(l, k, arg, sizeof(arg));
				tried++;
				if (addr_parse_list(arg, use, ADDR_RESOLVE, &out, &n,
				                    err, sizeof(err), &col) == -1)
					refused++;
				else
					snprintf(missed + strlen(missed),
					         sizeof(missed) - strlen(missed),
					         " %.60s('%.60s')", file, arg);
				free(out);
			}
		}
		free(text);
	}
	free(tsv);
	printf("corpus: %u of %u invalid/ address words refused\n", refused,
	       tried);
	ck_assert_uint_ge(tried, 19);
	ck_assert_msg(refused == tried, "accepted:%s", missed);
}
END_TEST

static Suite *addr_suite(void)
{
	Suite *s = suite_create("addr");
	TCase *t = tcase_create("families");

	tcase_add_test(t, ipv4_bind);
	tcase_add_test(t, any_address);
	tcase_add_test(t, ipv6_forms);
	tcase_add_test(t, inet_prefixes);
	tcase_add_test(t, ipv4_shorthands);
	tcase_add_test(t, unix_paths);
	tcase_add_test(t, unix_path_limit);
	tcase_add_test(t, abstract_sockets);
	tcase_add_test(t, descriptors);
	tcase_add_test(t, hostnames);
	tcase_add_test(t, resolve);
	tcase_set_timeout(t, 60);    /* name resolution */
	suite_add_tcase(s, t);

	t = tcase_create("ports");
	tcase_add_test(t, port_ranges);
	tcase_add_test(t, server_ports);
	tcase_add_test(t, lists);
	tcase_add_test(t, set_port);
	suite_add_tcase(s, t);

	t = tcase_create("errors");
	tcase_add_test(t, errors_bind);
	tcase_add_test(t, errors_host_length);
	tcase_add_test(t, errors_datagram);
	tcase_add_test(t, errors_server);
	suite_add_tcase(s, t);

	t = tcase_create("format");
	tcase_add_test(t, format_round_trip);
	tcase_add_test(t, format_edges);
	tcase_add_test(t, random_words);
	tcase_set_timeout(t, 60);
	suite_add_tcase(s, t);

	if (corpus_dir()) {
		t = tcase_create("corpus");
		tcase_add_test(t, corpus_valid_addresses_parse);
		tcase_add_test(t, corpus_invalid_addresses_refused);
		tcase_set_timeout(t, 60);
		suite_add_tcase(s, t);
	} else {
		printf("corpus not found (set HAPC_CORPUS): corpus cases not run\n");
	}
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(addr_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
