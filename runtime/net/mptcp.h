/*
 * mptcp.h: Multipath TCP sockets and what to say when the kernel refuses.
 */
#ifndef HAPC_MPTCP_H
#define HAPC_MPTCP_H

#include <netinet/in.h>

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262           /* older libc headers lack it */
#endif
#ifndef SOL_MPTCP
#define SOL_MPTCP 284
#endif
#ifndef MPTCP_INFO
#define MPTCP_INFO 1
#endif

/*
 * Why socket(..., IPPROTO_MPTCP) failed with `err`, in words an operator
 * can act on: ENOPROTOOPT is the sysctl switch, EPROTONOSUPPORT/EINVAL a
 * kernel without MPTCP; anything else is strerror(err). Never NULL.
 */
const char *mptcp_strerror(int err);

/* 1 if `fd` carries a real MPTCP connection (MPTCP_INFO answers). */
int mptcp_is_active(int fd);

/*
 * What a connection side is, for the log and the counters: '-' when MPTCP
 * was not `asked` for it, '1' when `fd` really runs MPTCP, '0' when it
 * fell back to TCP (or has no socket, fd < 0). One getsockopt(2): callers
 * ask before taking the generation's lock.
 */
char mptcp_mark(int asked, int fd);

#endif /* HAPC_MPTCP_H */
