/*
 * listenfds.c: systemd's socket activation variables (listenfds.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "listenfds.h"
#include "log.h"

static int listenfds_n;             /* descriptors passed, 0 = none */

/* A whole decimal number in 1..max, or -1. */
static long listenfds_num(const char *s, long max)
{
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 1 || v > max)
		return -1;
	return v;
}

int listenfds_init(void)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	long p, n;

	if (!pid || !fds)
		return 0;
	p = listenfds_num(pid, 0x7fffffffL);
	n = listenfds_num(fds, 65536);
	if (p != (long)getpid())
		return 0;           /* meant for another process: left alone */
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	if (n < 0) {
		log_error("warning: LISTEN_FDS=%s from systemd is not a number of descriptors; ignored",
		          fds);
		return -1;
	}
	for (int fd = LISTENFDS_START; fd < LISTENFDS_START + n; fd++) {
		int flags = fcntl(fd, F_GETFD);

		if (flags >= 0)
			(void)fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
	}
	listenfds_n = (int)n;
	return listenfds_n;
}

int listenfds_refuse(int fd, const char *name, char *err, size_t errlen)
{
	if (!listenfds_n ||
	    (fd >= LISTENFDS_START && fd < LISTENFDS_START + listenfds_n))
		return 0;
	if (listenfds_n == 1)
		snprintf(err, errlen, "cannot use %s: systemd passed one socket, fd@%d "
		         "(LISTEN_FDS=1: one Listen line in the .socket unit)", name,
		         LISTENFDS_START);
	else
		snprintf(err, errlen, "cannot use %s: systemd passed fd@%d to fd@%d "
		         "(LISTEN_FDS=%d: the .socket unit's Listen lines in order)",
		         name, LISTENFDS_START, LISTENFDS_START + listenfds_n - 1,
		         listenfds_n);
	return 1;
}

/* 1 when plan `p` binds or serves the stats on descriptor fd. */
static int listenfds_used(const struct plan *p, int fd)
{
	const struct plan_global *g = p->global;

	for (uint32_t i = 0; i < p->nlisteners; i++)
		if (p->listeners[i].addr.family == PLAN_FAM_FD &&
		    p->listeners[i].addr.fd == (uint32_t)fd)
			return 1;
	for (uint32_t i = 0; i < g->nstats; i++) {
		const struct plan_addr *a = &p->stats[g->first_stats + i].addr;

		if (a->family == PLAN_FAM_FD && a->fd == (uint32_t)fd)
			return 1;
	}
	return 0;
}

void listenfds_report_unused(const struct plan *p)
{
	for (int fd = LISTENFDS_START; fd < LISTENFDS_START + listenfds_n; fd++)
		if (!listenfds_used(p, fd))
			log_error("warning: systemd passed a socket as fd@%d, which no bind "
			          "and no stats socket uses: its clients are never accepted",
			          fd);
}
