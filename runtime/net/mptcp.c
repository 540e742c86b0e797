/*
 * mptcp.c: Multipath TCP specifics.
 *
 * An MPTCP socket is socket(AF_INET[6], SOCK_STREAM, IPPROTO_MPTCP) and is
 * used like a TCP one; the kernel negotiates MPTCP or falls back to TCP per
 * connection. What differs is the failure when the host cannot do it, and
 * a few TCP options (TCP_MAXSEG among them) that MPTCP sockets reject:
 * cfgrun sets none of them, so there is nothing to warn about per socket.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "mptcp.h"

const char *mptcp_strerror(int err)
{
	switch (err) {
	case ENOPROTOOPT:
		return "MPTCP is disabled on this host (sysctl net.mptcp.enabled=0)";
	case EPROTONOSUPPORT:
	case EINVAL:
		return "this kernel has no MPTCP support";
	default:
		return strerror(err);
	}
}

char mptcp_mark(int asked, int fd)
{
	if (!asked)
		return '-';
	return fd >= 0 && mptcp_is_active(fd) ? '1' : '0';
}

int mptcp_is_active(int fd)
{
	unsigned char info[256];
	socklen_t len = sizeof(info);

	return getsockopt(fd, SOL_MPTCP, MPTCP_INFO, info, &len) == 0;
}
