/*
 * sock.h: sockets for plan addresses, and addresses as text for logs.
 */
#ifndef HAPC_SOCK_H
#define HAPC_SOCK_H

#include <stddef.h>
#include <sys/socket.h>

#include "plan-t.h"

/* The AF_* of a plan address with a sockaddr (INET, INET6, UNIX, ABNS,
 * ABNSZ), or -1 for the others (NONE, FD, SOCKPAIR). */
int sock_family(const struct plan_addr *a);

/*
 * A new non-blocking, close-on-exec stream socket for plan address `a`,
 * MPTCP when a->proto says so. On failure returns -1 and writes why into
 * `err` (for MPTCP, the reason the kernel refuses it).
 */
int sock_open(const struct plan_addr *a, char *err, size_t errlen);

/* A tcp-request rule's set-mark or set-tos (r->arg) on socket fd, best
 * effort: SO_MARK needs CAP_NET_ADMIN, and HAProxy ignores a failure
 * too. */
void sock_rule_action(int fd, const struct plan_rule *r);
/*
 * sock_open(), then bound to `src` (a server's `source`) unless its family
 * is PLAN_FAM_NONE: with port 0 the kernel picks the port at connect time
 * (IP_BIND_ADDRESS_NO_PORT), a fixed port is reused (SO_REUSEADDR). -1
 * with why in `err` (the socket closed) when the bind fails.
 */
int sock_open_from(const struct plan_addr *a, const struct plan_addr *src,
                   char *err, size_t errlen);

/* The same, `src` being a foreign address (usesrc client/clientip: the
 * client's): the socket is made transparent (IP_TRANSPARENT or
 * IPV6_TRANSPARENT, which needs CAP_NET_ADMIN) before the bind. */
int sock_open_transparent(const struct plan_addr *a,
                          const struct plan_addr *src, char *err,
                          size_t errlen);

/* Make an existing descriptor non-blocking and close-on-exec; 0 or -1. */
int sock_set_nonblock(int fd);

/*
 * Disable Nagle on an IP connection, as HAProxy does on both sides: the
 * proxy forwards what it has at once and must not add delayed-ACK stalls.
 * Best effort and silent (some kernels refuse it on MPTCP sockets: no
 * per-connection warning for that).
 */
void sock_set_nodelay(int fd, int family);

/* tfo on a server: TCP Fast Open for this connect (inet, inet6). */
void sock_set_tfo_connect(int fd, int family);

/* SO_KEEPALIVE on `fd` when `on` (option clitcpka / srvtcpka): the kernel
 * probes an idle peer with its own timings (tcp_keepalive_*). */
void sock_set_keepalive(int fd, int on);

/* "1.2.3.4:5", "[::1]:5", "unix" for a socket address; always terminated. */
void sock_addr_str(const struct sockaddr *sa, socklen_t len,
                   char *buf, size_t buflen);

/* A plan address as text for messages: "127.0.0.1:80", "mptcp6@[::1]:80",
 * "unix@/run/x.sock", "abns@name", "fd@3"; always terminated. */
void sock_plan_addr_str(const struct plan_addr *a, char *buf, size_t buflen);

#endif /* HAPC_SOCK_H */
