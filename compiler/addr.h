/*
 * addr.h: HAProxy address words (section 2.9 of the manual) to ready
 * socket addresses.
 *
 *   [family@]<address>[:port1[-port2]]  and comma-separated lists of them
 *
 * Families: ipv4@ ipv6@ ip@ tcp@ tcp4@ tcp6@ mptcp@ mptcp4@ mptcp6@
 * unix@ uxst@ abns@ abnsz@ fd@ sockpair@ and the stream+ forms
 * (stream+ipv4@ ...). A word starting with '/' is a unix path (as in
 * HAProxy, "./x" is not: it needs unix@).
 * Pure functions: no sockets are opened; hostnames are resolved only when
 * the caller asks for it (ADDR_RESOLVE).
 */
#ifndef HAPC_ADDR_H
#define HAPC_ADDR_H

#include <stddef.h>
#include <stdint.h>
#include "plan-t.h"

enum addr_use {
	ADDR_USE_BIND   = 0,   /* bind line: port or range required for inet */
	ADDR_USE_SERVER = 1,   /* server line: no range; port optional, +N/-N */
};

#define ADDR_RESOLVE  0x1u     /* resolve host names (getaddrinfo) */
#define ADDR_DGRAM_OK 0x2u     /* accept datagram families (udp@, quic4@,
                                  dgram+..., uxdg@), flagged ADDR_F_DGRAM;
                                  without it they are an error */

#define ADDR_F_NOPORT   0x1u   /* server: no port given */
#define ADDR_F_OFFSET   0x2u   /* server: +N / -N port offset */
#define ADDR_F_DGRAM    0x4u   /* datagram family (only with ADDR_DGRAM_OK) */
#define ADDR_F_HOSTNAME 0x8u   /* given as a host name, kept in host[]; the
                                  family stays PLAN_FAM_NONE unless it was
                                  resolved (ADDR_RESOLVE) */
#define ADDR_HOST_MAX   253    /* longest host name, bytes */

struct addr_spec {
	struct plan_addr addr;     /* port of the first port of the range set */
	uint32_t port_lo;          /* first port (0 when none) */
	uint32_t port_hi;          /* last port, == port_lo for a single port */
	int32_t port_offset;       /* ADDR_F_OFFSET: signed offset */
	uint32_t flags;            /* ADDR_F_* */
	uint32_t col;              /* 0-based byte offset of this address in
	                              the word (for lists) */
	char host[ADDR_HOST_MAX + 1]; /* ADDR_F_HOSTNAME: the name, NUL
	                              terminated; empty otherwise */
};

/*
 * Parse one address word into `*out` (a malloc'd array of `*n` entries, one
 * per comma-separated element; the caller frees it). On error returns -1,
 * writes a message saying what was expected and what was found into `err`,
 * and the 0-based byte offset of the offending part into `*err_col`.
 * On a server, port 0 is taken as "no port" (ADDR_F_NOPORT), as HAProxy maps
 * it to the client's port, and the word may not be a list.
 * Environment variables ('$NAME', '${NAME}') are expanded first, quoted or
 * not, as HAProxy expands address words (an unset one is empty); an error
 * in an expanded word is then at column 0 and names both texts.
 */
int addr_parse_list(const char *word, enum addr_use use, unsigned opts,
                    struct addr_spec **out, size_t *n,
                    char *err, size_t errlen, size_t *err_col);

/* Set the port of an INET/INET6 plan_addr (host order in, network stored). */
void addr_set_port(struct plan_addr *a, uint16_t port);

/* Text form of a plan address ("127.0.0.1:80", "[::1]:80", "unix@/path",
 * "mptcp4@1.2.3.4:80", "fd@3") as cfgc writes it in dumps; returns
 * snprintf's result. */
int addr_format(const struct plan_addr *a, char *buf, size_t len);

#endif /* HAPC_ADDR_H */
