/*
 * sock.c: sockets for plan addresses.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "mptcp.h"
#include "sock.h"

int sock_family(const struct plan_addr *a)
{
	switch (a->family) {
	case PLAN_FAM_INET:
		return AF_INET;
	case PLAN_FAM_INET6:
		return AF_INET6;
	case PLAN_FAM_UNIX:
	case PLAN_FAM_ABNS:
	case PLAN_FAM_ABNSZ:
		return AF_UNIX;
	default:
		return -1;
	}
}

int sock_open(const struct plan_addr *a, char *err, size_t errlen)
{
	int family = sock_family(a);
	int proto = 0;
	int fd;

	if (family < 0) {
		snprintf(err, errlen, "address family %u has no socket of its own",
		         a->family);
		return -1;
	}
	if (a->proto == PLAN_PROTO_MPTCP)
		proto = IPPROTO_MPTCP;
	fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd < 0) {
		int e = errno;

		if (proto == IPPROTO_MPTCP)
			snprintf(err, errlen, "cannot create an MPTCP socket: %s",
			         mptcp_strerror(e));
		else
			snprintf(err, errlen, "cannot create a socket: %s",
			         strerror(e));
		errno = e;
		return -1;
	}
	return fd;
}

static int sock_open_bound(const struct plan_addr *a,
                           const struct plan_addr *src, int transparent,
                           char *err, size_t errlen)
{
	int fd = sock_open(a, err, errlen), one = 1;
	char name[160];

	if (fd < 0 || src->family == PLAN_FAM_NONE)
		return fd;
	if (transparent &&
	    (src->family == PLAN_FAM_INET6 ?
	     setsockopt(fd, IPPROTO_IPV6, IPV6_TRANSPARENT, &one, sizeof(one)) :
	     setsockopt(fd, IPPROTO_IP, IP_TRANSPARENT, &one, sizeof(one))) < 0) {
		int e = errno;

		snprintf(err, errlen, "cannot make the socket transparent "
		         "(usesrc): %s", strerror(e));
		close(fd);
		errno = e;
		return -1;
	}
	if (((const struct sockaddr_in *)src->sa)->sin_port == 0) {
#ifdef IP_BIND_ADDRESS_NO_PORT
		(void)setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one,
		                 sizeof(one));
#endif
	} else {
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	}
	if (bind(fd, (const struct sockaddr *)src->sa, src->salen) < 0) {
		int e = errno;

		sock_plan_addr_str(src, name, sizeof(name));
		snprintf(err, errlen, "cannot bind to the source address %s: %s",
		         name, strerror(e));
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int sock_open_from(const struct plan_addr *a, const struct plan_addr *src,
                   char *err, size_t errlen)
{
	return sock_open_bound(a, src, 0, err, errlen);
}

int sock_open_transparent(const struct plan_addr *a,
                          const struct plan_addr *src, char *err,
                          size_t errlen)
{
	return sock_open_bound(a, src, 1, err, errlen);
}

int sock_set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	fl = fcntl(fd, F_GETFD);
	if (fl < 0 || fcntl(fd, F_SETFD, fl | FD_CLOEXEC) < 0)
		return -1;
	return 0;
}

void sock_set_nodelay(int fd, int family)
{
	int one = 1;

	if (family == AF_INET || family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

void sock_set_tfo_connect(int fd, int family)
{
	int one = 1;

	/* the SYN waits for the first bytes and carries them when the
	 * server gave a cookie before (net.ipv4.tcp_fastopen decides) */
	if (family == AF_INET || family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_TCP, TCP_FASTOPEN_CONNECT, &one,
		                 sizeof(one));
}

void sock_set_keepalive(int fd, int on)
{
	int one = 1;

	if (on)
		(void)setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
}

void sock_addr_str(const struct sockaddr *sa, socklen_t len,
                   char *buf, size_t buflen)
{
	char ip[INET6_ADDRSTRLEN];

	if (len >= sizeof(struct sockaddr_in) && sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		inet_ntop(AF_INET, &in->sin_addr, ip, sizeof(ip));
		snprintf(buf, buflen, "%s:%u", ip, ntohs(in->sin_port));
	} else if (len >= sizeof(struct sockaddr_in6) &&
	           sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof(ip));
		snprintf(buf, buflen, "[%s]:%u", ip, ntohs(in6->sin6_port));
	} else if (len >= sizeof(sa_family_t) && sa->sa_family == AF_UNIX) {
		snprintf(buf, buflen, "unix");
	} else {
		snprintf(buf, buflen, "-");
	}
}

void sock_plan_addr_str(const struct plan_addr *a, char *buf, size_t buflen)
{
	const struct sockaddr_un *un = (const struct sockaddr_un *)a->sa;
	size_t off = offsetof(struct sockaddr_un, sun_path);
	size_t n;
	char ip[INET6_ADDRSTRLEN + 16];

	switch (a->family) {
	case PLAN_FAM_INET:
	case PLAN_FAM_INET6:
		sock_addr_str((const struct sockaddr *)a->sa, a->salen, ip,
		              sizeof(ip));
		snprintf(buf, buflen, "%s%s",
		         a->proto != PLAN_PROTO_MPTCP ? "" :
		         a->family == PLAN_FAM_INET ? "mptcp4@" : "mptcp6@", ip);
		break;
	case PLAN_FAM_UNIX:
		snprintf(buf, buflen, "unix@%.*s", (int)sizeof(un->sun_path),
		         un->sun_path);
		break;
	case PLAN_FAM_ABNS:
	case PLAN_FAM_ABNSZ:
		/* The name follows the leading NUL; ABNS pads it with NULs. */
		n = a->salen > off + 1 ? a->salen - off - 1 : 0;
		if (n > sizeof(un->sun_path) - 1)
			n = sizeof(un->sun_path) - 1;
		if (a->family == PLAN_FAM_ABNS)
			n = strnlen(un->sun_path + 1, n);
		snprintf(buf, buflen, "%s@%.*s",
		         a->family == PLAN_FAM_ABNS ? "abns" : "abnsz", (int)n,
		         un->sun_path + 1);
		break;
	case PLAN_FAM_FD:
		snprintf(buf, buflen, "fd@%u", a->fd);
		break;
	case PLAN_FAM_SOCKPAIR:
		snprintf(buf, buflen, "sockpair@%u", a->fd);
		break;
	default:
		snprintf(buf, buflen, "-");
		break;
	}
}

void sock_rule_action(int fd, const struct plan_rule *r)
{
	int v = (int)r->arg;

	if (r->action == PLAN_RULE_SET_MARK) {
#ifdef SO_MARK
		(void)setsockopt(fd, SOL_SOCKET, SO_MARK, &v, sizeof(v));
#endif
		return;
	}
	if (setsockopt(fd, IPPROTO_IP, IP_TOS, &v, sizeof(v)) < 0)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &v, sizeof(v));
}
