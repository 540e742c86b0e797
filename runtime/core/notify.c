/*
 * notify.c: sd_notify datagrams to $NOTIFY_SOCKET.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "notify.h"

static int notify_fd = -1;          /* connected datagram socket */

int notify_open(void)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un un;
	socklen_t len;
	size_t plen;

	if (!path || !path[0])
		return 0;
	plen = strlen(path);
	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	if ((path[0] != '/' && path[0] != '@') || plen >= sizeof(un.sun_path)) {
		log_error("NOTIFY_SOCKET '%s' is neither an absolute path nor an abstract '@name'; not notifying",
		          path);
		return -1;
	}
	memcpy(un.sun_path, path, plen);
	if (path[0] == '@')
		un.sun_path[0] = '\0';      /* abstract: exact length, no NUL */
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + plen +
	                  (path[0] == '@' ? 0 : 1));
	notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (notify_fd < 0 ||
	    connect(notify_fd, (const struct sockaddr *)&un, len) < 0) {
		log_error("cannot connect to NOTIFY_SOCKET '%s': %s", path,
		          strerror(errno));
		notify_close();
		return -1;
	}
	return 1;
}

int notify_send(const char *state)
{
	char msg[256];
	int n;

	if (notify_fd < 0)
		return 0;
	n = snprintf(msg, sizeof(msg), "%s\nMAINPID=%d\n", state, (int)getpid());
	if (send(notify_fd, msg, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
		log_error("cannot notify %s on NOTIFY_SOCKET: %s", state,
		          strerror(errno));
		return -1;
	}
	return 1;
}

void notify_close(void)
{
	if (notify_fd >= 0)
		close(notify_fd);
	notify_fd = -1;
}
