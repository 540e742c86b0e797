/*
 * daemon.h: going to the background and giving up privileges.
 *
 * Order in cfgrun: daemon_resolve() first (unknown names stop the start
 * before anything is opened), then daemon_fork() when the plan says
 * `daemon`, then listeners, log and stats sockets, then daemon_pidfile(),
 * daemon_drop() (chroot, groups, gid, uid) and finally daemon_ready(),
 * which lets the waiting parent exit 0. Until then start-up errors still
 * reach the terminal, and the parent exits with the child's failure.
 */
#ifndef HAPC_DAEMON_H
#define HAPC_DAEMON_H

#include <stdint.h>
#include <sys/types.h>

/* Who to become, resolved from the plan's `user` and `group` names or
 * its numeric `uid` and `gid`. */
struct daemon_ids {
	uid_t uid;                  /* valid when has_uid */
	gid_t gid;                  /* valid when has_gid */
	int has_uid;                /* 1: `user` or `uid` given */
	int has_gid;                /* 1: `group` or `gid` given, or the
	                               user's primary group */
	int ngroups;                /* entries of groups[] in use */
	gid_t groups[64];           /* supplementary groups, looked up before chroot */
};

/*
 * Look `user` and `group` up (either may be empty) and take the numeric
 * `uid` and `gid` (0 = none; a numeric gid wins over the user's primary
 * group). Returns 0, or -1 after printing which name does not exist.
 */
int daemon_resolve(const char *user, const char *group, uint32_t uid,
                   uint32_t gid, struct daemon_ids *ids);

/*
 * Fork into the background: the parent waits until the child reports
 * ready (exit 0) or dies (exit with its status, 1 when killed); the child
 * starts a new session and gets the descriptor to report on. Returns that
 * descriptor in the child, -1 when fork or pipe failed (message printed,
 * the caller exits). Never returns in the parent.
 */
int daemon_fork(void);

/* Write our pid to `path` (mode 0644) and remember where it is (its
 * directory is kept open, for chroot). Returns 0, or -1 after printing why. */
int daemon_pidfile(const char *path);

/* At exit: remove the pid file daemon_pidfile() wrote if it still holds
 * our pid (another process may have taken it over since). Harmless when
 * none was written; a failure is printed, never fatal. */
void daemon_pidfile_remove(void);

/*
 * chroot into `dir` (when not empty), then set groups, gid and uid from
 * `ids`. Returns 0, or -1 after printing the step that failed.
 */
int daemon_drop(const char *dir, const struct daemon_ids *ids);

/*
 * Start-up went well: in a daemon (report_fd >= 0) point stdin, stdout and
 * stderr at /dev/null and tell the parent to exit 0. Harmless with -1.
 */
void daemon_ready(int report_fd);

#endif /* HAPC_DAEMON_H */
