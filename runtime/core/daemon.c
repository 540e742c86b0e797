/*
 * daemon.c: background, pid file, chroot and identity change.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"

int daemon_resolve(const char *user, const char *group, uint32_t uid,
                   uint32_t gid, struct daemon_ids *ids)
{
	memset(ids, 0, sizeof(*ids));
	if (uid) {
		/* numeric `uid`: the id alone, no group change (HAProxy's) */
		ids->uid = (uid_t)uid;
		ids->has_uid = 1;
	}
	if (user && user[0]) {
		struct passwd *pw;

		errno = 0;
		pw = getpwnam(user);
		if (!pw) {
			log_error("global 'user %s': no such user on this host%s%s", user,
			          errno ? ": " : "", errno ? strerror(errno) : "");
			return -1;
		}
		ids->uid = pw->pw_uid;
		ids->has_uid = 1;
		ids->gid = pw->pw_gid;
		ids->has_gid = 1;
	}
	if (group && group[0]) {
		struct group *gr;

		errno = 0;
		gr = getgrnam(group);
		if (!gr) {
			log_error("global 'group %s': no such group on this host%s%s", group,
			          errno ? ": " : "", errno ? strerror(errno) : "");
			return -1;
		}
		ids->gid = gr->gr_gid;
		ids->has_gid = 1;
	}
	if (gid) {
		/* numeric `gid`: wins over the user's primary group */
		ids->gid = (gid_t)gid;
		ids->has_gid = 1;
	}
	/* The group database may not exist inside the chroot: read it now. */
	ids->ngroups = 1;
	ids->groups[0] = ids->gid;
	if (user && user[0]) {
		int n = (int)(sizeof(ids->groups) / sizeof(ids->groups[0]));

		if (getgrouplist(user, ids->gid, ids->groups, &n) >= 0)
			ids->ngroups = n;
		else {
			ids->ngroups = 1;
			ids->groups[0] = ids->gid;
		}
	}
	return 0;
}

int daemon_fork(void)
{
	int pfd[2];
	pid_t pid;
	char c;
	ssize_t r;
	int status;

	if (pipe2(pfd, O_CLOEXEC) < 0) {
		log_error("daemon: pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		log_error("daemon: fork: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		close(pfd[0]);
		if (setsid() < 0)
			log_error("daemon: setsid: %s", strerror(errno));
		return pfd[1];
	}
	close(pfd[1]);
	do
		r = read(pfd[0], &c, 1);
	while (r < 0 && errno == EINTR);
	if (r == 1)
		_exit(0);
	/* The child died before it was ready: its message is already out. */
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	_exit(WIFEXITED(status) && WEXITSTATUS(status) ? WEXITSTATUS(status) : 1);
}

/* The pid file written, to remove it at exit (reachable after chroot). */
static struct {
	int dirfd;                  /* its directory (O_PATH), -1 = none */
	char name[256];             /* its last path component */
	pid_t pid;                  /* the pid written in it */
} daemon_pf = { -1, "", 0 };

/* Remember the directory and name of pid file `path` for the exit. */
static void daemon_pidfile_note(const char *path, pid_t pid)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	char dir[4096];
	size_t n = slash ? (size_t)(slash - path) : 0;

	if (strlen(name) >= sizeof(daemon_pf.name) || n >= sizeof(dir))
		return;                 /* left behind, as before */
	if (!slash)
		strcpy(dir, ".");
	else if (n == 0)
		strcpy(dir, "/");
	else {
		memcpy(dir, path, n);
		dir[n] = '\0';
	}
	daemon_pf.dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	strcpy(daemon_pf.name, name);
	daemon_pf.pid = pid;
}

int daemon_pidfile(const char *path)
{
	char buf[32];
	int fd, n;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		log_error("cannot write the pid file %s: %s", path, strerror(errno));
		return -1;
	}
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (write(fd, buf, (size_t)n) != n || close(fd) < 0) {
		log_error("cannot write the pid file %s: %s", path, strerror(errno));
		return -1;
	}
	daemon_pidfile_note(path, getpid());
	return 0;
}

void daemon_pidfile_remove(void)
{
	char buf[32];
	ssize_t n;
	int fd;

	if (daemon_pf.dirfd < 0)
		return;
	fd = openat(daemon_pf.dirfd, daemon_pf.name, O_RDONLY | O_CLOEXEC |
	            O_NOFOLLOW | O_NONBLOCK);
	n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n > 0) {
		buf[n] = '\0';
		if (strtol(buf, NULL, 10) == (long)daemon_pf.pid &&
		    unlinkat(daemon_pf.dirfd, daemon_pf.name, 0) < 0)
			log_error("cannot remove the pid file %s: %s", daemon_pf.name,
			          strerror(errno));
	}
	close(daemon_pf.dirfd);
	daemon_pf.dirfd = -1;
}

int daemon_drop(const char *dir, const struct daemon_ids *ids)
{
	if (dir && dir[0]) {
		if (chroot(dir) < 0 || chdir("/") < 0) {
			log_error("cannot chroot to %s: %s", dir, strerror(errno));
			return -1;
		}
	}
	if (ids->has_gid) {
		/* Supplementary groups need root; an unprivileged process that
		 * keeps its own gid has nothing to drop. */
		if (geteuid() == 0) {
			if (setgroups((size_t)ids->ngroups, ids->groups) < 0) {
				log_error("cannot set the supplementary groups: %s",
				          strerror(errno));
				return -1;
			}
		}
		if (setgid(ids->gid) < 0) {
			log_error("cannot change to group id %u: %s",
			          (unsigned)ids->gid, strerror(errno));
			return -1;
		}
	}
	if (ids->has_uid && setuid(ids->uid) < 0) {
		log_error("cannot change to user id %u: %s", (unsigned)ids->uid,
		          strerror(errno));
		return -1;
	}
	return 0;
}

void daemon_ready(int report_fd)
{
	int null;

	if (report_fd < 0)
		return;
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
	}
	if (write(report_fd, "", 1) != 1)
		log_error("daemon: cannot tell the parent we are ready: %s",
		          strerror(errno));
	close(report_fd);
}
