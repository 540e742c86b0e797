/*
 * stats.c: the stats socket, its commands and the counters they show.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "balance.h"
#include "healthcheck-t.h"
#include "log.h"
#include "reload.h"
#include "runtime-t.h"
#include "server.h"
#include "sock.h"
#include "stats.h"
#include "stats_map.h"
#include "stats_row.h"
#include "thread.h"

#define STATS_OUT_MAX  (64u << 20)  /* bytes of answers waiting, then cut */
#define STATS_MAGIC    0x53544154u  /* "STAT" */
#define STATS_LINGER_MAX (1u << 20) /* bytes dropped after refusing a line */

struct stats;

/* One stats socket from the plan. */
struct stats_lsn {
	ev_io io;                   /* readable: clients to accept */
	struct stats *st;
	int fd;                     /* -1 = closed */
	uint32_t level;             /* enum plan_stats_level */
	uint32_t timeout_ms;        /* clients idle this long are closed,
	                               0 = STATS_IDLE_S */
	struct plan_addr addr;      /* as in the plan, to match on reload */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)]; /* unix path we made, "" = none */
};

/* One client connection. */
struct stats_cli {
	ev_io rd;                   /* readable */
	ev_io wr;                   /* writable, while out has bytes */
	ev_timer idle;              /* STATS_IDLE_S without I/O */
	uint32_t magic;             /* STATS_MAGIC while open */
	int fd;
	uint32_t level;             /* enum plan_stats_level, may be lowered */
	int prompt;                 /* 1: interactive, one line after another */
	int closing;                /* 1: close once out is written */
	int eof;                    /* 1: the client sent FIN */
	size_t discard;             /* closing: bytes still read and dropped so
	                               that the last answer is not lost to a
	                               reset, 0 = close now */
	char *in;                   /* STATS_LINE_MAX bytes */
	size_t inlen;               /* bytes in `in` */
	struct stats_buf out;       /* answers not written yet, at most
	                               STATS_OUT_MAX bytes (then cut) */
	struct stats *st;
	struct stats_cli *prev, *next;
};

struct stats {
	struct ops *ops;
	struct stats_lsn *lsn;      /* nlsn sockets */
	uint32_t nlsn;
	struct stats_cli *clients;  /* open connections, doubly linked */
	uint32_t nclients;
};

static const char *const stats_level_name[PLAN_STATS_LEVEL_MAX] = {
	"user", "operator", "admin"
};

/* ---- output ------------------------------------------------------------- */

static void stats_printf(struct stats_cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void stats_printf(struct stats_cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	stats_buf_vprintf(&c->out, fmt, ap);
	va_end(ap);
}

/* ---- commands ----------------------------------------------------------- */

/* "0d 0h00m01s" */
static void stats_uptime(struct stats_cli *c, uint64_t up)
{
	stats_printf(c, "Uptime: %llud %uh%02um%02us\n",
	             (unsigned long long)(up / 86400), (unsigned)(up / 3600 % 24),
	             (unsigned)(up / 60 % 60), (unsigned)(up % 60));
}

static void stats_show_info(struct stats_cli *c)
{
	struct ops *ops = c->st->ops;
	const struct runtime *rt = ops->cur;
	double now = ev_time();
	uint64_t up = now > ops->start_time ? (uint64_t)(now - ops->start_time) : 0;
	struct rlimit rl;
	char hex[65];

	plan_digest_hex(rt->plan->hdr->digest, hex);
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		rl.rlim_cur = 0;
	stats_printf(c, "Name: cfgrun\nVersion: %s\nNbthread: %u\nNbproc: 1\n"
	             "Process_num: 1\nPid: %d\n", PACKAGE_VERSION, ops->nthreads,
	             (int)getpid());
	stats_uptime(c, up);
	stats_printf(c, "Uptime_sec: %llu\nUlimit-n: %llu\nMaxconn: %u\n"
	             "Hard_maxconn: %u\nCurrConns: %u\nCumConns: %llu\n"
	             "Stopping: %d\nPlan_digest: %s\nPlan_generation: %u\n"
	             "Reloads: %llu\nReload_failures: %llu\nLog_dropped: %llu\n\n",
	             (unsigned long long)up, (unsigned long long)rl.rlim_cur,
	             rt->maxconn, rt->maxconn, reload_actconn(ops),
	             (unsigned long long)reload_cum_conn(ops), ops->stopping, hex,
	             rt->generation, (unsigned long long)ops->reloads,
	             (unsigned long long)ops->reload_failures,
	             (unsigned long long)log_dropped());
}

/* One line of `show activity`: the total of a per-thread counter, then
 * each thread's value in brackets, as HAProxy shows them. */
static void stats_activity_line(struct stats_cli *c, const char *name,
                                size_t offset)
{
	const struct ops *ops = c->st->ops;
	uint64_t total = 0;

	for (uint32_t i = 0; i < ops->nthreads; i++)
		total += __atomic_load_n((uint64_t *)(void *)((char *)&ops->threads[i] + offset),
		                         __ATOMIC_RELAXED);
	stats_printf(c, "%s: %llu [", name, (unsigned long long)total);
	for (uint32_t i = 0; i < ops->nthreads; i++)
		stats_printf(c, " %llu", (unsigned long long)__atomic_load_n(
		             (uint64_t *)(void *)((char *)&ops->threads[i] + offset),
		             __ATOMIC_RELAXED));
	stats_printf(c, " ]\n");
}

/* What each thread did: connections it started (accepted, or handed to
 * it), streams it runs now, queued streams another thread gave a slot to,
 * connections it accepted for another thread (HAProxy's accq_pushed). */
static void stats_show_activity(struct stats_cli *c)
{
	const struct ops *ops = c->st->ops;

	stats_printf(c, "thread_id: 0 (0..%u)\n", ops->nthreads - 1);
	stats_activity_line(c, "accepted", offsetof(struct rt_thread, accepted));
	stats_activity_line(c, "streams", offsetof(struct rt_thread, nstreams));
	stats_activity_line(c, "granted_remote",
	                    offsetof(struct rt_thread, granted_remote));
	stats_activity_line(c, "accq_pushed", offsetof(struct rt_thread, handed));
	stats_printf(c, "\n");
}

/* Every row as CSV (stats_row.c), then the empty line ending an
 * answer. */
static void stats_show_stat(struct stats_cli *c)
{
	stats_csv_dump(&c->out, c->st->ops->cur, c->st->ops->stopping, NULL);
	stats_printf(c, "\n");
}

static const char stats_help[] =
	"The following commands are valid at this level:\n"
	"  help                                    : this list\n"
	"  prompt                                  : toggle interactive mode with prompt\n"
	"  quit                                    : disconnect\n"
	"  show info                               : report information about the running process\n"
	"  show stat                               : report counters for each proxy and server (CSV)\n"
	"  show activity                           : report what each thread did\n"
	"  disable server <bk>/<srv>               : put a server in maintenance (admin)\n"
	"  enable server <bk>/<srv>                : take a server out of maintenance (admin)\n"
	"  set weight <bk>/<srv> <w>[%]            : change a server's weight (admin)\n"
	"  set server <bk>/<srv> state <st>        : ready, drain or maint (admin)\n"
	"  show map [<map>|#<id>]                  : list the map files, or one's entries (operator)\n"
	"  add map <map> <key> <value>             : add an entry to a map (operator)\n"
	"  set map <map> <key>|#<ref> <value>      : change the value of entries (operator)\n"
	"  del map <map> <key>|#<ref>              : remove entries from a map (operator)\n"
	"  clear map <map>                         : remove every entry of a map (operator)\n"
	"  show acl [<acl>|#<id>]                  : list the ACL -f files, or one's values (operator)\n"
	"  add acl <acl> <value>                   : add a value to an ACL file (operator)\n"
	"  del acl <acl> <value>|#<ref>            : remove a value from an ACL file (operator)\n"
	"  clear acl <acl>                         : remove every value of an ACL file (operator)\n";

/* The server named "backend/server" in word `w`, or PLAN_NONE after
 * answering why. */
static uint32_t stats_server_arg(struct stats_cli *c, const char *w)
{
	const struct runtime *rt = c->st->ops->cur;
	char be[256];
	const char *slash = w ? strchr(w, '/') : NULL;
	uint32_t s;

	if (!slash || slash == w || !slash[1] || (size_t)(slash - w) >= sizeof(be)) {
		stats_printf(c, "Require 'backend/server'.\n\n");
		return PLAN_NONE;
	}
	memcpy(be, w, (size_t)(slash - w));
	be[slash - w] = '\0';
	s = server_find(rt, be, slash + 1);
	if (s == PLAN_NONE)
		stats_printf(c, "No such server.\n\n");
	return s;
}

/* 1 when the client may change things; otherwise answers and returns 0. */
static int stats_admin(struct stats_cli *c)
{
	if (c->level >= PLAN_STATS_ADMIN)
		return 1;
	stats_printf(c, "Permission denied\n\n");
	return 0;
}

static void stats_set_state(struct stats_cli *c, uint32_t s, enum rt_srv_admin st)
{
	struct runtime *rt = c->st->ops->cur;
	int rc;

	gen_lock(rt);
	rc = server_set_admin_state(rt, s, st);
	gen_unlock(rt);
	if (rc < 0)
		stats_printf(c, "Invalid state.\n\n");
	else
		stats_printf(c, "\n");
}

static void stats_set_weight(struct stats_cli *c, uint32_t s, const char *arg)
{
	struct runtime *rt = c->st->ops->cur;
	char *end;
	unsigned long w;
	char err[160];
	int rc;

	errno = 0;
	w = arg ? strtoul(arg, &end, 10) : 0;
	if (!arg || end == arg || errno || (*end && strcmp(end, "%") != 0)) {
		stats_printf(c, "Require <weight> or <weight%%>, found '%s'.\n\n",
		             arg ? arg : "");
		return;
	}
	if (*end == '%')
		w = w * rt->plan->servers[s].weight / 100;
	if (w > 256) {
		stats_printf(c, "Absolute weight can only be between 0 and 256 inclusive.\n\n");
		return;
	}
	gen_lock(rt);
	rc = balance_set_weight(rt, s, (uint32_t)w, err, sizeof(err));
	stats_be_state(rt, rt->plan->servers[s].proxy);
	gen_unlock(rt);
	if (rc < 0)
		stats_printf(c, "%s\n\n", err);
	else
		stats_printf(c, "\n");
}

/* Run one command given as words; returns 1 for `quit`. */
static int stats_exec(struct stats_cli *c, char **w, int n)
{
	uint32_t s;

	if (n == 0)
		return 0;
	if (!strcmp(w[0], "quit"))
		return 1;
	if (!strcmp(w[0], "help")) {
		stats_printf(c, "%s\n", stats_help);
	} else if (!strcmp(w[0], "prompt")) {
		c->prompt = !c->prompt;
	} else if (n == 2 && !strcmp(w[0], "show") && !strcmp(w[1], "info")) {
		stats_show_info(c);
	} else if (n >= 2 && !strcmp(w[0], "show") && !strcmp(w[1], "stat")) {
		stats_show_stat(c);
	} else if (n == 2 && !strcmp(w[0], "show") && !strcmp(w[1], "activity")) {
		stats_show_activity(c);
	} else if (n == 3 && (!strcmp(w[0], "disable") || !strcmp(w[0], "enable")) &&
	           !strcmp(w[1], "server")) {
		if (stats_admin(c) && (s = stats_server_arg(c, w[2])) != PLAN_NONE)
			stats_set_state(c, s, w[0][0] == 'd' ? RT_ADMIN_MAINT :
			                RT_ADMIN_READY);
	} else if (n == 4 && !strcmp(w[0], "set") && !strcmp(w[1], "weight")) {
		if (stats_admin(c) && (s = stats_server_arg(c, w[2])) != PLAN_NONE)
			stats_set_weight(c, s, w[3]);
	} else if (n == 5 && !strcmp(w[0], "set") && !strcmp(w[1], "server") &&
	           !strcmp(w[3], "state")) {
		static const char *const names[] = { "ready", "maint", "drain" };
		int st = -1;

		for (int i = 0; i < 3; i++)
			if (!strcmp(w[4], names[i]))
				st = i;
		if (st < 0)
			stats_printf(c, "'set server <srv> state' expects 'ready', 'drain' and 'maint', found '%s'.\n\n",
			             w[4]);
		else if (stats_admin(c) && (s = stats_server_arg(c, w[2])) != PLAN_NONE)
			stats_set_state(c, s, (enum rt_srv_admin)st);
	} else if (stats_map_exec(&c->out, c->st->ops->cur,
	                          c->level >= PLAN_STATS_OPERATOR, w, n)) {
		/* answered there */
	} else {
		char cmd[128];
		size_t len = 0;

		for (int i = 0; i < n && len < sizeof(cmd) - 1; i++)
			len += (size_t)snprintf(cmd + len, sizeof(cmd) - len, "%s%s",
			                        i ? " " : "", w[i]);
		stats_printf(c, "Unknown command: '%s'\n%s\n", cmd, stats_help);
	}
	return 0;
}

/* Run the `;`-separated commands of one line (modified in place);
 * returns 1 when one was `quit`. */
static int stats_line(struct stats_cli *c, char *line)
{
	char *save = NULL;

	for (char *cmd = strtok_r(line, ";", &save); cmd;
	     cmd = strtok_r(NULL, ";", &save)) {
		char *w[16], *ws = NULL;
		int n = 0;

		for (char *t = strtok_r(cmd, " \t\r", &ws); t && n < 16;
		     t = strtok_r(NULL, " \t\r", &ws))
			w[n++] = t;
		if (stats_exec(c, w, n))
			return 1;
	}
	return 0;
}

/* ---- connections -------------------------------------------------------- */

static void stats_cli_close(struct stats_cli *c)
{
	struct stats *st = c->st;
	struct ev_loop *loop = st->ops->loop;

	ev_io_stop(loop, &c->rd);
	ev_io_stop(loop, &c->wr);
	ev_timer_stop(loop, &c->idle);
	close(c->fd);
	if (c->prev)
		c->prev->next = c->next;
	else
		st->clients = c->next;
	if (c->next)
		c->next->prev = c->prev;
	st->nclients--;
	c->magic = 0;
	free(c->in);
	stats_buf_free(&c->out);
	free(c);
}

static struct stats_cli *stats_cli_of(void *data)
{
	struct stats_cli *c = data;

	if (c->magic != STATS_MAGIC) {
		log_error("internal error: stats watcher fired with magic %#x",
		          c->magic);
		abort();
	}
	return c;
}

/*
 * Answer complete lines held in c->in, one at a time: the next waits until
 * the previous answer is written. Returns -1 if the client was closed.
 */
static int stats_process(struct stats_cli *c)
{
	struct ev_loop *loop = c->st->ops->loop;

	while (!c->closing && c->out.len == 0) {
		char *nl = memchr(c->in, '\n', c->inlen);
		size_t len;
		int quit;

		if (!nl && !c->eof)
			break;
		if (!nl && c->inlen == 0) {
			c->closing = 1;
			break;
		}
		len = nl ? (size_t)(nl - c->in) : c->inlen;
		c->in[len] = '\0';          /* the '\n' or the spare byte */
		quit = stats_line(c, c->in);
		c->inlen -= nl ? len + 1 : len;
		memmove(c->in, c->in + (nl ? len + 1 : len), c->inlen);
		if (c->out.cut)
			stats_printf(c, "\n(answer cut at %u bytes)\n", STATS_OUT_MAX);
		if (quit || !c->prompt || (!nl && c->eof))
			c->closing = 1;
		else
			stats_printf(c, "\n> ");
	}
	if (c->out.len) {
		ev_io_stop(loop, &c->rd);
		ev_io_start(loop, &c->wr);
		return 0;
	}
	if (c->closing && c->discard && !c->eof) {
		/* Answer written: FIN, then drop what the client still sends
		 * (bounded) so that the kernel does not reset the answer. */
		(void)shutdown(c->fd, SHUT_WR);
		ev_io_start(loop, &c->rd);
		return 0;
	}
	if (c->closing) {
		stats_cli_close(c);
		return -1;
	}
	if (!c->eof)
		ev_io_start(loop, &c->rd);
	return 0;
}

static void stats_rd_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct stats_cli *c = stats_cli_of(w->data);
	ssize_t r;

	(void)revents;
	if (c->closing) {
		char drop[4096];

		r = read(c->fd, drop, sizeof(drop));
		if (r < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (r <= 0 || (size_t)r >= c->discard) {
			stats_cli_close(c);
			return;
		}
		c->discard -= (size_t)r;
		return;
	}
	if (c->inlen >= STATS_LINE_MAX - 1) {
		/* A full buffer without a line end: refuse and close. */
		ev_io_stop(loop, &c->rd);
		c->inlen = 0;
		stats_printf(c, "Command line longer than %u bytes refused.\n\n",
		             STATS_LINE_MAX - 1);
		c->closing = 1;
		c->discard = STATS_LINGER_MAX;
		(void)stats_process(c);
		return;
	}
	r = read(c->fd, c->in + c->inlen, STATS_LINE_MAX - 1 - c->inlen);
	if (r < 0) {
		if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		stats_cli_close(c);
		return;
	}
	ev_timer_again(loop, &c->idle);
	if (r == 0) {
		c->eof = 1;
		ev_io_stop(loop, &c->rd);
	}
	c->inlen += (size_t)r;
	(void)stats_process(c);
}

static void stats_wr_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct stats_cli *c = stats_cli_of(w->data);

	(void)revents;
	while (c->out.len) {
		ssize_t n = send(c->fd, c->out.data, c->out.len, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			stats_cli_close(c);
			return;
		}
		memmove(c->out.data, c->out.data + n, c->out.len - (size_t)n);
		c->out.len -= (size_t)n;
		ev_timer_again(loop, &c->idle);
	}
	c->out.cut = 0;
	ev_io_stop(loop, &c->wr);
	(void)stats_process(c);
}

static void stats_idle_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	stats_cli_close(stats_cli_of(w->data));
}

static void stats_accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct stats_lsn *l = w->data;
	struct stats *st = l->st;

	(void)revents;
	for (int n = 0; n < 16; n++) {
		struct stats_cli *c;
		int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		if (st->nclients >= STATS_MAX_CLIENTS) {
			static const char busy[] = "Too many stats connections, try again later.\n";

			(void)!send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
			close(fd);
			continue;
		}
		c = calloc(1, sizeof(*c));
		if (c)
			c->in = malloc(STATS_LINE_MAX);
		if (!c || !c->in) {
			if (c)
				free(c);
			close(fd);
			log_error("stats socket: out of memory for a connection");
			return;
		}
		c->magic = STATS_MAGIC;
		c->fd = fd;
		stats_buf_init(&c->out, STATS_OUT_MAX);
		c->level = l->level;
		c->st = st;
		ev_io_init(&c->rd, stats_rd_cb, fd, EV_READ);
		ev_io_init(&c->wr, stats_wr_cb, fd, EV_WRITE);
		ev_init(&c->idle, stats_idle_cb);
		c->idle.repeat = l->timeout_ms ? l->timeout_ms / 1000.0 : STATS_IDLE_S;
		c->rd.data = c->wr.data = c->idle.data = c;
		c->next = st->clients;
		if (st->clients)
			st->clients->prev = c;
		st->clients = c;
		st->nclients++;
		ev_io_start(loop, &c->rd);
		ev_timer_again(loop, &c->idle);
	}
}

/* ---- sockets ------------------------------------------------------------ */

/* Bind and listen stats socket `ps` into `l`; unix paths are bound under
 * a temporary name, given their mode, then renamed into place (a stale
 * socket is replaced, a live one too, as HAProxy does). */
static int stats_bind(struct stats_lsn *l, const struct plan_stats_socket *ps)
{
	char name[160], why[200];
	struct sockaddr_un tmp;
	const struct sockaddr *sa = (const struct sockaddr *)ps->addr.sa;
	socklen_t salen = ps->addr.salen;
	int one = 1;

	sock_plan_addr_str(&ps->addr, name, sizeof(name));
	l->fd = sock_open(&ps->addr, why, sizeof(why));
	if (l->fd < 0) {
		log_error("stats socket %s (line %u): %s", name, ps->line, why);
		return -1;
	}
	if (ps->addr.family == PLAN_FAM_INET || ps->addr.family == PLAN_FAM_INET6)
		(void)setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ps->addr.family == PLAN_FAM_UNIX) {
		const struct sockaddr_un *un = (const struct sockaddr_un *)ps->addr.sa;
		int n;

		memset(&tmp, 0, sizeof(tmp));
		tmp.sun_family = AF_UNIX;
		n = snprintf(tmp.sun_path, sizeof(tmp.sun_path), "%s.%d.tmp",
		             un->sun_path, (int)getpid());
		if (n < 0 || (size_t)n >= sizeof(tmp.sun_path)) {
			log_error("stats socket %s (line %u): path too long for its temporary name",
			          name, ps->line);
			return -1;
		}
		unlink(tmp.sun_path);
		sa = (const struct sockaddr *)&tmp;
		salen = sizeof(tmp);
	}
	if (bind(l->fd, sa, salen) < 0) {
		log_error("stats socket %s (line %u): cannot bind: %s", name,
		          ps->line, strerror(errno));
		return -1;
	}
	if (ps->addr.family == PLAN_FAM_UNIX) {
		const struct sockaddr_un *un = (const struct sockaddr_un *)ps->addr.sa;

		if ((ps->mode && chmod(tmp.sun_path, ps->mode) < 0) ||
		    rename(tmp.sun_path, un->sun_path) < 0) {
			log_error("stats socket %s (line %u): %s", name, ps->line,
			          strerror(errno));
			unlink(tmp.sun_path);
			return -1;
		}
		snprintf(l->path, sizeof(l->path), "%s", un->sun_path);
	}
	if (listen(l->fd, 16) < 0) {
		log_error("stats socket %s (line %u): cannot listen: %s", name,
		          ps->line, strerror(errno));
		return -1;
	}
	return 0;
}

int stats_open(struct ops *ops, const struct plan *p)
{
	const struct plan_global *g = p->global;
	struct stats *st;

	if (g->nstats == 0)
		return 0;
	st = calloc(1, sizeof(*st));
	if (st)
		st->lsn = calloc(g->nstats, sizeof(*st->lsn));
	if (!st || !st->lsn) {
		free(st);
		log_error("out of memory for the stats sockets");
		return -1;
	}
	st->ops = ops;
	ops->stats = st;
	for (uint32_t i = 0; i < g->nstats; i++)
		st->lsn[i].fd = -1;
	st->nlsn = g->nstats;
	for (uint32_t i = 0; i < g->nstats; i++) {
		const struct plan_stats_socket *ps = &p->stats[g->first_stats + i];
		struct stats_lsn *l = &st->lsn[i];
		char name[160];

		l->st = st;
		l->level = ps->level;
		l->timeout_ms = ps->timeout_ms;
		l->addr = ps->addr;
		if (stats_bind(l, ps) < 0)
			return -1;
		sock_plan_addr_str(&ps->addr, name, sizeof(name));
		log_info(ops->cur, "stats socket on %s, level %s", name,
		         stats_level_name[ps->level < PLAN_STATS_LEVEL_MAX ?
		                          ps->level : 0]);
	}
	return 0;
}

void stats_start(struct ops *ops)
{
	struct stats *st = ops->stats;

	if (!st)
		return;
	for (uint32_t i = 0; i < st->nlsn; i++) {
		ev_io_init(&st->lsn[i].io, stats_accept_cb, st->lsn[i].fd, EV_READ);
		st->lsn[i].io.data = &st->lsn[i];
		ev_io_start(ops->loop, &st->lsn[i].io);
	}
}

/* Close the listening sockets of `st` (unix paths removed). */
static void stats_close_lsn(struct stats *st, struct ev_loop *loop)
{
	for (uint32_t i = 0; i < st->nlsn; i++) {
		struct stats_lsn *l = &st->lsn[i];

		if (l->fd < 0)
			continue;
		if (loop)
			ev_io_stop(loop, &l->io);
		close(l->fd);
		l->fd = -1;
		if (l->path[0])
			unlink(l->path);
		l->path[0] = '\0';
	}
}

void stats_reload(struct ops *ops, const struct plan *p)
{
	const struct plan_global *g = p->global;
	struct stats *old = ops->stats;
	struct stats *st = calloc(1, sizeof(*st));
	uint32_t n = 0;

	if (st)
		st->lsn = calloc(g->nstats ? g->nstats : 1, sizeof(*st->lsn));
	if (!st || !st->lsn) {
		free(st);
		log_error("reload: out of memory for the stats sockets; keeping the old ones");
		return;
	}
	st->ops = ops;
	for (uint32_t i = 0; i < g->nstats; i++) {
		const struct plan_stats_socket *ps = &p->stats[g->first_stats + i];
		struct stats_lsn *l = &st->lsn[n];

		l->st = st;
		l->level = ps->level;
		l->timeout_ms = ps->timeout_ms;
		l->addr = ps->addr;
		l->fd = -1;
		for (uint32_t j = 0; old && j < old->nlsn && l->fd < 0; j++) {
			struct stats_lsn *ol = &old->lsn[j];

			if (ol->fd < 0 || !reload_same_addr(&ol->addr, &ps->addr))
				continue;
			ev_io_stop(ops->loop, &ol->io);
			l->fd = ol->fd;
			memcpy(l->path, ol->path, sizeof(l->path));
			ol->fd = -1;
			ol->path[0] = '\0';
			if (l->path[0] && ps->mode && chmod(l->path, ps->mode) < 0)
				log_error("stats socket %s: cannot change its mode: %s",
				          l->path, strerror(errno));
		}
		if (l->fd < 0 && stats_bind(l, ps) < 0) {
			if (l->fd >= 0)
				close(l->fd);
			continue;       /* reported; the others still work */
		}
		n++;
	}
	st->nlsn = n;
	if (old) {
		/* Connected clients stay, now answered from the new plan. */
		st->clients = old->clients;
		st->nclients = old->nclients;
		for (struct stats_cli *c = st->clients; c; c = c->next)
			c->st = st;
		stats_close_lsn(old, ops->loop);
		free(old->lsn);
		free(old);
	}
	ops->stats = st;
	stats_start(ops);
}

void stats_close(struct ops *ops)
{
	struct stats *st = ops->stats;

	if (!st)
		return;
	while (st->clients)
		stats_cli_close(st->clients);
	stats_close_lsn(st, ops->loop);
	free(st->lsn);
	free(st);
	ops->stats = NULL;
}
