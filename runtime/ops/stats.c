/*
 * stats.c: the stats socket, its commands and the counters they show.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#ifdef __GLIBC__
#include <malloc.h>
#include <pwd.h>
#endif
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
#include "dns.h"
#include "dynsrv.h"
#include "healthcheck-t.h"
#include "listener.h"
#include "log.h"
#include "ratelimit.h"
#include "reload.h"
#include "runtime-t.h"
#include "server.h"
#include "sock.h"
#include "stats.h"
#include "stats_cmdline.h"
#include "stats_dynsrv.h"
#include "stats_info.h"
#include "stats_limits.h"
#include "stats_map.h"
#include "stats_row.h"
#include "stats_sess.h"
#include "stats_srvconn.h"
#include "stats_ssl.h"
#include "stats_table.h"
#include "stats_typed.h"
#include "thread.h"
#include "tls_server.h"

#define STATS_OUT_LOW  (16u << 10)  /* answers are produced while fewer
                                       bytes than this wait to be sent */
#define STATS_OUT_MAX  (64u << 10)  /* bytes of answers waiting, at most:
                                       one command adds what STATS_OUT_MAX -
                                       STATS_OUT_LOW holds, the rest is cut */
#define STATS_SEND_TURN (32u << 10)  /* bytes sent to one client per
                                       writable event, then other events */
#define STATS_IN_MIN   4096u        /* bytes of a client's line buffer at
                                       first; doubled up to STATS_LINE_MAX */
#define STATS_MAGIC    0x53544154u  /* "STAT" */
#define STATS_MAP_STEP 16u          /* map entries per stats_map_dump(),
                                       table entries per stats_table_step() */
#define STATS_LINGER_MAX (1u << 20) /* bytes dropped after refusing a line */

/* What a command still has to produce, a bit at a time. */
enum stats_job_kind {
	STATS_JOB_NONE = 0,
	STATS_JOB_STAT = 1,         /* show stat: rows from `cur` */
	STATS_JOB_SRV_STATE = 2,    /* show servers state: servers from
	                               cur.srv, of f.proxy or all */
	STATS_JOB_MAP = 3,          /* show map|acl FILE: entries of map_ref
	                               from map_pos (stats_map.c) */
	STATS_JOB_SESS = 4,         /* show sess: streams from `sess`
	                               (stats_sess.c) */
	STATS_JOB_SRV_CONN = 5,     /* show servers conn: servers from
	                               cur.srv, of f.proxy or all
	                               (stats_srvconn.c) */
	STATS_JOB_TABLE = 6,        /* show table NAME: entries from tbl
	                               (stats_table.c) */
};

struct stats_job {
	enum stats_job_kind kind;
	const struct runtime *rt;   /* the generation dumped: compared with
	                               ops->cur only, never read once replaced */
	uint32_t gen;               /* its generation number */
	struct stats_filter f;      /* rows kept */
	enum stats_form form;       /* STAT: CSV, typed or json */
	uint32_t rows;              /* STAT: rows given so far */
	struct stats_cursor cur;    /* next row */
	uint32_t map_ref;           /* MAP: the file */
	size_t map_pos;             /* MAP: its next entry */
	struct stats_sess_cursor sess; /* SESS: the next streams */
	struct stats_table_cursor tbl; /* TABLE: the next entries */
};

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
	char *in;                   /* insz bytes: lines received */
	size_t insz;                /* STATS_IN_MIN .. STATS_LINE_MAX */
	size_t inlen;               /* bytes in `in` */
	size_t line_len;            /* the line being run: its bytes at the
	                               start of `in`, with its '\n'; 0 = none */
	size_t line_end;            /* its text ends here (NUL written) */
	size_t cmd;                 /* offset of its next command */
	int line_nl;                /* 1: it ended with '\n' */
	int quit;                   /* 1: `quit` was run */
	struct stats_job job;       /* command still producing */
	struct stats_buf out;       /* answers, from `sent` on not written
	                               yet, at most STATS_OUT_MAX bytes */
	size_t sent;                /* bytes of `out` written */
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

/* ---- show stat ---------------------------------------------------------- */

static size_t stats_pending(const struct stats_cli *c)
{
	return c->out.len - c->sent;
}

/* stats_rows_step()'s callback: one row in the job's form; enough once
 * STATS_OUT_LOW bytes wait. */
static int stats_row_emit(void *arg, const struct stats_row *r)
{
	struct stats_cli *c = arg;

	if (c->job.form == STATS_FORM_PLAIN)
		stats_csv_row(&c->out, r);
	else
		stats_typed_row(&c->out, c->job.form, r, !c->job.rows);
	c->job.rows++;
	return stats_pending(c) >= STATS_OUT_LOW || c->out.cut;
}

/* HAProxy's numbers in `show servers state` (its 2.6 enums): check
 * status by enum rt_chk_status, and a checked server's state bits. */
static const unsigned stats_hchk_status[RT_CHK_MAX] = {
	[RT_CHK_NONE] = 1,          /* INI */
	[RT_CHK_L4OK] = 6, [RT_CHK_L4TOUT] = 7, [RT_CHK_L4CON] = 8,
	[RT_CHK_L7OK] = 15, [RT_CHK_L7TOUT] = 12, [RT_CHK_L7RSP] = 13,
	[RT_CHK_L7STS] = 17, [RT_CHK_SOCKERR] = 5,
};
#define STATS_CHK_ST_CONFIGURED 0x2u
#define STATS_CHK_ST_ENABLED    0x4u
#define STATS_CHK_ST_PAUSED     0x8u

/* One line of `show servers state` for server `s` (lock held). */
static void stats_srv_state_line(struct stats_cli *c, const struct runtime *rt,
                                 uint32_t s, uint32_t now_s)
{
	const struct plan *p = rt->plan;
	const struct plan_server *ps = &p->servers[s];
	const struct plan_proxy *px = &p->proxies[ps->proxy];
	const struct rt_server *rs = &rt->servers[s];
	const struct check *ck = rs->check;
	const struct plan_srv_addr *sa = rs->addr ? &rs->addr->a : &ps->addr;
	char ip[64] = "-";
	unsigned op, admin = 0, status = 1, result = 0, health = ps->rise;
	unsigned cstate = rs->admin == RT_ADMIN_MAINT ? STATS_CHK_ST_PAUSED : 0;

	if (sa->family == PLAN_FAM_INET || sa->family == PLAN_FAM_INET6)
		inet_ntop(sa->family == PLAN_FAM_INET ? AF_INET : AF_INET6,
		          sa->ip, ip, sizeof(ip));
	/* 0 stopped, 2 running, 3 stopping (HAProxy's SRV_ST_*) */
	op = rs->op == RT_SRV_DOWN || rs->admin == RT_ADMIN_MAINT ? 0 :
	     rs->op == RT_SRV_STOPPING ? 3 : 2;
	if (rs->admin == RT_ADMIN_MAINT && rs->dns_maint)
		admin = 0x20;           /* RMAINT: its name does not resolve */
	else if (rs->admin == RT_ADMIN_MAINT)
		admin = (ps->flags & PLAN_SRV_F_DISABLED) ? 0x05 : 0x01; /* C/FMAINT */
	else if (rs->admin == RT_ADMIN_DRAIN)
		admin = 0x08;           /* FDRAIN */
	if (ck) {
		status = ck->status < RT_CHK_MAX ? stats_hchk_status[ck->status] : 0;
		result = ck->status == RT_CHK_NONE ? 0 :
		         rs->op != RT_SRV_DOWN ? 3 : 2;  /* PASSED, FAILED */
		health = ck->health;
		cstate |= STATS_CHK_ST_CONFIGURED |
		          (ck->stopped ? 0 : STATS_CHK_ST_ENABLED);
	}
	stats_printf(c, "%u %s %u %s %s %u %u %u %u %u %u %u %u %u 0 0 0 - %u - 0 0 - - 0\n",
	             ps->proxy + 1, plan_str_get(p, px->name),
	             server_sid(rt, s), plan_str_get(p, ps->name), ip, op,
	             admin, rs->weight, ps->weight, stats_lastchg(&rs->cnt, now_s),
	             status, result, health, cstate, sa->port);
}

/* The next servers of the `show servers state` under way. */
static void stats_srv_state_step(struct stats_cli *c)
{
	struct runtime *rt = c->st->ops->cur;
	struct stats_job *j = &c->job;
	uint32_t n = 0;
	uint32_t now_s = (uint32_t)(stats_clock_ms() / 1000u);

	gen_lock(rt);
	for (; j->cur.srv != PLAN_NONE && n < STATS_STEP_VISITS &&
	     stats_pending(c) < STATS_OUT_LOW;
	     j->cur.srv = srv_walk(rt, j->cur.srv, j->f.proxy), n++)
		if (!dynsrv_gone(rt, j->cur.srv))
			stats_srv_state_line(c, rt, j->cur.srv, now_s);
	gen_unlock(rt);
	if (j->cur.srv == PLAN_NONE) {
		stats_printf(c, "\n");
		j->kind = STATS_JOB_NONE;
	}
}

/* The job of `show servers state|conn [<backend>]`: its servers from the
 * first; -1 after answering that the backend is unknown. */
static int stats_servers_job(struct stats_cli *c, char **w, int n,
                             enum stats_job_kind kind)
{
	const struct runtime *rt = c->st->ops->cur;
	struct stats_job *j = &c->job;

	memset(j, 0, sizeof(*j));
	j->f.proxy = PLAN_NONE;
	if (n > 3) {
		for (uint32_t p = 0; p < rt->plan->nproxies; p++)
			if ((rt->plan->proxies[p].cap & PLAN_CAP_BE) &&
			    !strcmp(plan_str_get(rt->plan, rt->plan->proxies[p].name), w[3]))
				j->f.proxy = p;
		if (j->f.proxy == PLAN_NONE) {
			stats_printf(c, "Can't find backend.\n\n");
			return -1;
		}
	}
	j->kind = kind;
	j->rt = rt;
	j->gen = rt->generation;
	/* show servers state walks added servers too (srv_walk); show
	 * servers conn the configured ones by index */
	j->cur.srv = kind == STATS_JOB_SRV_STATE ?
	             srv_walk(rt, PLAN_NONE, j->f.proxy) :
	             j->f.proxy == PLAN_NONE ? 0 :
	             rt->plan->proxies[j->f.proxy].first_server;
	return 0;
}

/* show servers conn [<backend>]: stats_srvconn.c */
static void stats_show_servers_conn(struct stats_cli *c, char **w, int n)
{
	if (stats_servers_job(c, w, n, STATS_JOB_SRV_CONN) == 0)
		stats_srv_conn_header(&c->out, c->st->ops->nthreads);
}

/* show servers state [<backend>]: HAProxy's version 1 layout, the format
 * of a server-state-file. */
static void stats_show_servers_state(struct stats_cli *c, char **w, int n)
{
	if (stats_servers_job(c, w, n, STATS_JOB_SRV_STATE) < 0)
		return;
	stats_printf(c, "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state "
	             "srv_admin_state srv_uweight srv_iweight "
	             "srv_time_since_last_change srv_check_status srv_check_result "
	             "srv_check_health srv_check_state srv_agent_state "
	             "bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord "
	             "srv_use_ssl srv_check_port srv_check_addr srv_agent_addr "
	             "srv_agent_port\n");
}

/* show backend: the backends' names */
static void stats_show_backend(struct stats_cli *c, char **w, int n)
{
	const struct plan *p = c->st->ops->cur->plan;

	(void)w;
	(void)n;
	stats_printf(c, "# name\n");
	for (uint32_t i = 0; i < p->nproxies; i++)
		if (p->proxies[i].cap & PLAN_CAP_BE)
			stats_printf(c, "%s\n", plan_str_get(p, p->proxies[i].name));
	stats_printf(c, "\n");
}

/* show resolvers [<id>]: the counters of each nameserver, in HAProxy's
 * layout (dns.h says which ones cfgrun counts). */
struct stats_res_walk {
	struct stats_cli *c;
	const char *only;           /* a section's name, or NULL for all */
	int found;
};

static void stats_res_line(void *arg, const char *section, const char *ns,
                           const uint64_t *cnt)
{
	struct stats_res_walk *rw = arg;

	if (rw->only && strcmp(rw->only, section))
		return;
	if (!ns) {
		rw->found = 1;
		stats_printf(rw->c, "Resolvers section %s\n", section);
		return;
	}
	stats_printf(rw->c, " nameserver %s:\n", ns);
	for (int k = 0; k < DNS_CNT_MAX; k++) {
		char label[24];

		snprintf(label, sizeof(label), "%s:", dns_cnt_names[k]);
		stats_printf(rw->c, "  %-13s%" PRIu64 "\n", label, cnt[k]);
	}
}

static void stats_show_resolvers(struct stats_cli *c, char **w, int n)
{
	struct stats_res_walk rw = { .c = c, .only = n > 2 ? w[2] : NULL };

	dns_each_ns(c->st->ops->cur, stats_res_line, &rw);
	if (rw.only && !rw.found)
		stats_printf(c, "Can't find that resolvers section\n");
	stats_printf(c, "\n");
}

static void stats_show_version(struct stats_cli *c, char **w, int n)
{
	(void)w;
	(void)n;
	stats_printf(c, "%s\n\n", PACKAGE_VERSION);
}

/* show env [<name>]: the process's environment, or one variable. */
static void stats_show_env(struct stats_cli *c, char **w, int n)
{
	extern char **environ;
	size_t len = n > 2 ? strlen(w[2]) : 0;
	int found = 0;

	for (char **e = environ; e && *e; e++) {
		if (len && (strncmp(*e, w[2], len) || (*e)[len] != '='))
			continue;
		stats_printf(c, "%s\n", *e);
		found = 1;
	}
	if (len && !found)
		stats_printf(c, "Variable not found\n");
	stats_printf(c, "\n");
}

/* The next rows of the `show stat` under way; the empty line ending the
 * answer once every row is given. A reload ends the dump early, said in
 * the answer: its rows are the old generation's. */
static void stats_job_step(struct stats_cli *c)
{
	struct ops *ops = c->st->ops;
	struct stats_job *j = &c->job;

	/* streams of every generation: a reload changes nothing to the list */
	if (j->kind == STATS_JOB_SESS) {
		if (stats_sess_step(ops, &c->out, &j->sess, STATS_OUT_LOW))
			j->kind = STATS_JOB_NONE;
		return;
	}
	if (ops->cur != j->rt || !ops->cur || ops->cur->generation != j->gen) {
		stats_printf(c, "# dump ended early: the plan was reloaded\n\n");
		j->kind = STATS_JOB_NONE;
		return;
	}
	if (j->kind == STATS_JOB_SRV_STATE) {
		stats_srv_state_step(c);
		return;
	}
	if (j->kind == STATS_JOB_SRV_CONN) {
		const struct plan *p = ops->cur->plan;
		uint32_t end = j->f.proxy == PLAN_NONE ? p->nservers :
		               p->proxies[j->f.proxy].first_server +
		               p->proxies[j->f.proxy].nservers;

		if (stats_srv_conn_step(ops, ops->cur, &c->out, &j->cur.srv, end,
		                        STATS_OUT_LOW))
			j->kind = STATS_JOB_NONE;
		return;
	}
	if (j->kind == STATS_JOB_MAP || j->kind == STATS_JOB_TABLE) {
		/* a few entries at a time, so that one step stays far below
		 * STATS_OUT_MAX; cut (entries of huge lines): the end, as for
		 * show stat */
		int done = 0;

		while (!done && stats_pending(c) < STATS_OUT_LOW && !c->out.cut)
			done = j->kind == STATS_JOB_MAP ?
			       stats_map_dump(&c->out, ops->cur, j->map_ref,
			                      &j->map_pos, STATS_MAP_STEP) :
			       stats_table_step(&c->out, &j->tbl, STATS_MAP_STEP);
		if (done || c->out.cut) {
			stats_printf(c, "\n");
			j->kind = STATS_JOB_NONE;
		}
		return;
	}
	if (stats_rows_step(ops->cur, ops->stopping, &j->f, &j->cur,
	                    stats_row_emit, c) || c->out.cut) {
		stats_printf(c, j->form == STATS_FORM_JSON ? "]\n\n" : "\n");
		j->kind = STATS_JOB_NONE;
	}
}

/* A number word of `show stat`'s filters: -1 = any (0 returned), else a
 * positive number; -1 returned when `w` is neither. */
static long stats_filter_num(const char *w)
{
	char *end;
	long v;

	if (!strcmp(w, "-1"))
		return 0;
	errno = 0;
	v = strtol(w, &end, 10);
	if (errno || end == w || *end || v <= 0 || v > (long)UINT32_MAX)
		return -1;
	return v;
}

/* 1 when word `w` is one of show stat's options rather than a filter */
static int stats_stat_option(const char *w)
{
	return !strcmp(w, "up") || !strcmp(w, "no-maint") ||
	       stats_form_word(w) >= 0;
}

/*
 * show stat [{<iid>|<proxy>} <type> <sid>] [typed|json] [up|no-maint]:
 * the CSV header (json: the array's opening) now, the rows as the client
 * reads them (stats_job_step()). iid is the
 * proxy's position (`iid` column) or its name, type a mask of 1 frontend,
 * 2 backend, 4 server, sid the server's position (`sid` column); -1 is
 * "any" for each.
 */
static void stats_show_stat(struct stats_cli *c, char **w, int n)
{
	struct stats_job *j = &c->job;
	const struct runtime *rt = c->st->ops->cur;
	int i = 2;

	memset(j, 0, sizeof(*j));
	j->f.proxy = PLAN_NONE;
	if (n - i >= 3 && !stats_stat_option(w[i])) {
		long iid = stats_filter_num(w[i]), type = stats_filter_num(w[i + 1]),
		     sid = stats_filter_num(w[i + 2]);

		if (iid < 0) {
			for (uint32_t p = 0; p < rt->plan->nproxies; p++)
				if (!strcmp(plan_str_get(rt->plan, rt->plan->proxies[p].name),
				            w[i]))
					iid = (long)p + 1;
			if (iid < 0) {
				stats_printf(c, "No such proxy.\n\n");
				return;
			}
		}
		if (type < 0 || sid < 0 || (type && type > 7) ||
		    (uint32_t)iid > rt->plan->nproxies) {
			stats_printf(c, "Invalid <iid> <type> <sid> filter: expects numbers, -1 for any.\n\n");
			return;
		}
		j->f.proxy = iid ? (uint32_t)iid - 1 : PLAN_NONE;
		j->f.types = (uint32_t)type;
		j->f.sid = (uint32_t)sid;
		i += 3;
	}
	for (; i < n; i++) {
		if (!strcmp(w[i], "up")) {
			j->f.hide_down = 1;
		} else if (!strcmp(w[i], "no-maint")) {
			j->f.hide_maint = 1;
		} else if (stats_form_word(w[i]) >= 0) {
			j->form = (enum stats_form)stats_form_word(w[i]);
		} else {
			stats_printf(c, "show stat: unknown or unsupported option '%s' "
			             "(expects <iid> <type> <sid>, typed, json, up, "
			             "no-maint).\n\n", w[i]);
			return;
		}
	}
	if (j->form == STATS_FORM_PLAIN)
		stats_csv_header(&c->out);
	else if (j->form == STATS_FORM_JSON)
		stats_printf(c, "[");
	j->kind = STATS_JOB_STAT;
	j->rt = rt;
	j->gen = rt->generation;
	stats_cursor_init(&j->cur);
}

/* ---- changing servers --------------------------------------------------- */

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

/* set server B/S health up|stopping|down: as if the checks had said so
 * (full health, or none; stopping: full health, HAProxy's NOLB), the next
 * checks going on from there. As HAProxy 2.6, a server without checks
 * takes it too and stays so until told otherwise. */
static void stats_set_health(struct stats_cli *c, uint32_t s, const char *arg)
{
	struct runtime *rt = c->st->ops->cur;
	struct check *ck = rt->servers[s].check;
	uint32_t full = rt->plan->servers[s].rise + rt->plan->servers[s].fall - 1;

	if (strcmp(arg, "up") && strcmp(arg, "stopping") && strcmp(arg, "down")) {
		stats_printf(c, "'set server <srv> health' expects 'up', 'stopping', or 'down'.\n\n");
		return;
	}
	gen_lock(rt);
	if (ck)
		ck->health = arg[0] == 'd' ? 0 : full;
	if (arg[0] == 'u')
		server_set_up(rt, s, NULL);
	else if (arg[0] == 's')
		server_set_stopping(rt, s);
	else
		server_set_down(rt, s, NULL);
	gen_unlock(rt);
	stats_printf(c, "\n");
}

/* enable|disable server B/S */
static void stats_cmd_able_server(struct stats_cli *c, char **w, int n)
{
	uint32_t s;

	if (n != 3) {
		stats_printf(c, "Require 'backend/server'.\n\n");
		return;
	}
	if ((s = stats_server_arg(c, w[2])) != PLAN_NONE)
		stats_set_state(c, s, w[0][0] == 'd' ? RT_ADMIN_MAINT : RT_ADMIN_READY);
}

/* The frontend named w (a proxy that accepts connections), or PLAN_NONE
 * with HAProxy's answer written. */
static uint32_t stats_frontend_arg(struct stats_cli *c, const char *w)
{
	const struct plan *p = c->st->ops->cur->plan;

	if (!w) {
		stats_printf(c, "A frontend name is expected.\n\n");
		return PLAN_NONE;
	}
	for (uint32_t i = 0; i < p->nproxies; i++)
		if ((p->proxies[i].cap & PLAN_CAP_FE) &&
		    !strcmp(plan_str_get(p, p->proxies[i].name), w))
			return i;
	stats_printf(c, "No such frontend.\n\n");
	return PLAN_NONE;
}

/* A count for set maxconn read as HAProxy reads it (atoi: the leading
 * digits, 0 without any); *ok = 0 when negative or too large. */
static uint32_t stats_count_arg(const char *w, int *ok)
{
	uint64_t v = 0;

	*ok = 0;
	if (w && *w == '-')
		return 0;
	for (; w && *w >= '0' && *w <= '9'; w++)
		if ((v = v * 10 + (uint64_t)(*w - '0')) > INT32_MAX)
			return 0;
	*ok = 1;
	return (uint32_t)v;
}

/* set maxconn frontend F N | set maxconn global N */
static void stats_cmd_set_maxconn(struct stats_cli *c, char **w, int n)
{
	struct runtime *rt = c->st->ops->cur;
	int global = n > 2 && !strcmp(w[2], "global"), ok;
	uint32_t fe = PLAN_NONE, v;

	if (n > 2 && !strcmp(w[2], "server")) {
		if ((v = stats_server_arg(c, n > 3 ? w[3] : NULL)) != PLAN_NONE)
			stats_set_srv_maxconn(rt, &c->out, v, n > 4 ? w[4] : "");
		return;
	}
	if (n < 3 || (!global && strcmp(w[2], "frontend"))) {
		stats_printf(c, "'set maxconn' only supports 'frontend', 'server', and 'global'.\n\n");
		return;
	}
	if (!global && (fe = stats_frontend_arg(c, n > 3 ? w[3] : NULL)) == PLAN_NONE)
		return;
	v = stats_count_arg(n > (global ? 3 : 4) ? w[global ? 3 : 4] : NULL, &ok);
	if (!ok) {
		stats_printf(c, "Value out of range.\n\n");
		return;
	}
	gen_lock(rt);
	if (global) {
		/* never above what the descriptors allow (set at start);
		 * 0 goes back to that */
		if (v > rt->hard_maxconn) {
			gen_unlock(rt);
			stats_printf(c, "Value out of range.\n\n");
			return;
		}
		rt->maxconn = v ? v : rt->hard_maxconn;
		for (uint32_t i = 0; i < rt->plan->nproxies; i++)
			if (rt->plan->proxies[i].cap & PLAN_CAP_FE)
				listener_limits(rt, i);
	} else {
		rt->proxies[fe].maxconn = v;
		listener_limits(rt, fe);
	}
	gen_unlock(rt);
	stats_printf(c, "\n");
}

/* disable|enable frontend F: its listeners stop or resume accepting
 * (connections wait in the kernel's backlog meanwhile) */
static void stats_cmd_able_frontend(struct stats_cli *c, char **w, int n)
{
	struct runtime *rt = c->st->ops->cur;
	int stop = w[0][0] == 'd';
	uint32_t fe = stats_frontend_arg(c, n > 2 ? w[2] : NULL);

	if (fe == PLAN_NONE)
		return;
	gen_lock(rt);
	if (rt->proxies[fe].stopped == stop) {
		gen_unlock(rt);
		stats_printf(c, stop ? "All sockets are already disabled.\n\n" :
		             "All sockets are already enabled.\n\n");
		return;
	}
	rt->proxies[fe].stopped = stop;
	listener_limits(rt, fe);
	gen_unlock(rt);
	stats_printf(c, "\n");
}

/* shutdown sessions server B/S: its connected streams end (K) */
static void stats_cmd_shutdown_sessions(struct stats_cli *c, char **w, int n)
{
	uint32_t s;

	if (n != 4) {
		stats_printf(c, "Require 'backend/server'.\n\n");
		return;
	}
	if ((s = stats_server_arg(c, w[3])) == PLAN_NONE)
		return;
	gen_lock(c->st->ops->cur);
	server_shutdown_sessions(c->st->ops->cur, s);
	gen_unlock(c->st->ops->cur);
	stats_printf(c, "\n");
}

/* set weight B/S W[%] */
static void stats_cmd_set_weight(struct stats_cli *c, char **w, int n)
{
	uint32_t s;

	if ((s = stats_server_arg(c, n > 2 ? w[2] : NULL)) != PLAN_NONE)
		stats_set_weight(c, s, n > 3 ? w[3] : NULL);
}

/* set server B/S addr IP [port P] */
static void stats_set_addr(struct stats_cli *c, uint32_t s, char **w, int n)
{
	struct runtime *rt = c->st->ops->cur;
	char msg[512];

	if (n < 5) {
		stats_printf(c, "set server <b>/<s> addr requires an address and optionally a port.\n\n");
		return;
	}
	if (n > 5 && (n != 7 || strcmp(w[5], "port"))) {
		stats_printf(c, "'set server <srv> addr' expects <addr>[:<port>] or <addr> port <port>.\n\n");
		return;
	}
	gen_lock(rt);
	(void)server_set_addr(rt, s, w[4], n == 7 ? w[6] : NULL, msg, sizeof(msg));
	gen_unlock(rt);
	stats_printf(c, "%s", msg);
}

/* set server B/S state ready|drain|maint | weight W[%] */
static void stats_cmd_set_server(struct stats_cli *c, char **w, int n)
{
	static const char *const names[] = {
		[RT_ADMIN_READY] = "ready", [RT_ADMIN_MAINT] = "maint",
		[RT_ADMIN_DRAIN] = "drain",
	};
	uint32_t s;

	if (n < 4) {
		stats_printf(c, "'set server <srv>' only supports 'state', 'weight', 'health' and 'addr'.\n\n");
		return;
	}
	if ((s = stats_server_arg(c, w[2])) == PLAN_NONE)
		return;
	if (!strcmp(w[3], "weight")) {
		stats_set_weight(c, s, n > 4 ? w[4] : NULL);
		return;
	}
	if (!strcmp(w[3], "health")) {
		stats_set_health(c, s, n > 4 ? w[4] : "");
		return;
	}
	if (!strcmp(w[3], "addr")) {
		stats_set_addr(c, s, w, n);
		return;
	}
	if (!strcmp(w[3], "agent")) {
		/* HAProxy's answer for a server without an agent check */
		stats_printf(c, "agent checks are not enabled on this server.\n\n");
		return;
	}
	if (strcmp(w[3], "state")) {
		stats_printf(c, "'set server <srv>' only supports 'state', 'weight', 'health' and 'addr'.\n\n");
		return;
	}
	for (int i = 0; i < 3; i++)
		if (n > 4 && !strcmp(w[4], names[i])) {
			stats_set_state(c, s, (enum rt_srv_admin)i);
			return;
		}
	stats_printf(c, "'set server <srv> state' expects 'ready', 'drain' and 'maint', found '%s'.\n\n",
	             n > 4 ? w[4] : "");
}

/* ---- the command table -------------------------------------------------- */

static void stats_cmd_help(struct stats_cli *c, char **w, int n);

static void stats_cmd_prompt(struct stats_cli *c, char **w, int n)
{
	(void)w;
	(void)n;
	c->prompt = !c->prompt;
}

static void stats_cmd_quit(struct stats_cli *c, char **w, int n)
{
	(void)w;
	(void)n;
	c->quit = 1;
}

/* show info [typed|json] */
static void stats_cmd_show_info(struct stats_cli *c, char **w, int n)
{
	int form = n > 2 ? stats_form_word(w[2]) : STATS_FORM_PLAIN;

	if (form < 0 || n > 3) {
		stats_printf(c, "show info: unknown or unsupported option '%s' "
		             "(expects typed or json).\n\n", w[form < 0 ? 2 : 3]);
		return;
	}
	stats_info_dump(&c->out, c->st->ops, (enum stats_form)form);
}

static void stats_cmd_show_activity(struct stats_cli *c, char **w, int n)
{
	(void)w;
	(void)n;
	stats_show_activity(c);
}

/* show|clear|set table: stats_table.c checks the level it needs */
static void stats_cmd_table(struct stats_cli *c, char **w, int n)
{
	struct runtime *rt = c->st->ops->cur;
	struct stats_job *j = &c->job;
	struct stats_table_cursor cur;

	(void)stats_table_exec(rt, &c->out, c->level, w, n, &cur);
	if (cur.t) {
		/* the entries as the client reads them */
		memset(j, 0, sizeof(*j));
		j->kind = STATS_JOB_TABLE;
		j->rt = rt;
		j->gen = rt->generation;
		j->tbl = cur;
	}
}

/* show|add|set|del|clear map, show|add|del|clear acl: stats_map.c */
static void stats_cmd_map(struct stats_cli *c, char **w, int n)
{
	const struct runtime *rt = c->st->ops->cur;
	struct stats_job *j = &c->job;
	uint32_t ref;

	if (stats_map_exec(&c->out, c->st->ops->cur, w, n, &ref) &&
	    ref != UINT32_MAX) {
		/* the entries as the client reads them */
		memset(j, 0, sizeof(*j));
		j->kind = STATS_JOB_MAP;
		j->rt = rt;
		j->gen = rt->generation;
		j->map_ref = ref;
	}
}

/* disable|enable health B/S: the server's checks stop (its state stays as
 * it is, as in HAProxy 2.6) or resume; nothing for an unchecked server */
static void stats_cmd_able_health(struct stats_cli *c, char **w, int n)
{
	struct runtime *rt = c->st->ops->cur;
	uint32_t s;

	if ((s = stats_server_arg(c, n > 2 ? w[2] : NULL)) == PLAN_NONE)
		return;
	gen_lock(rt);
	if (rt->servers[s].check)
		rt->servers[s].check->stopped = w[0][0] == 'd';
	gen_unlock(rt);
	stats_printf(c, "\n");
}

/* show sess [<id>|all]: stats_sess.c, as the client reads it */
static void stats_cmd_show_sess(struct stats_cli *c, char **w, int n)
{
	struct stats_job *j = &c->job;

	memset(j, 0, sizeof(*j));
	if (!stats_sess_start(&c->out, w, n, &j->sess))
		return;
	j->kind = STATS_JOB_SESS;
	j->rt = c->st->ops->cur;
	j->gen = j->rt->generation;
	j->f.proxy = PLAN_NONE;
}

/* shutdown session <id>: stats_sess.c */
static void stats_cmd_shutdown_session(struct stats_cli *c, char **w, int n)
{
	stats_sess_shutdown(c->st->ops, &c->out, w, n);
}

/* set rate-limit connections|sessions global N: stats_limits.c */
static void stats_cmd_set_rate_limit(struct stats_cli *c, char **w, int n)
{
	stats_set_rate_limit(&c->out, w, n);
}

/* enable|disable agent B/S: cfgrun has no agent checks; HAProxy 2.6
 * answers a server without an agent with an empty line, so does this */
static void stats_cmd_able_agent(struct stats_cli *c, char **w, int n)
{
	if (stats_server_arg(c, n > 2 ? w[2] : NULL) != PLAN_NONE)
		stats_printf(c, "\n");
}

/* show ssl cert [FILE] */
static void stats_cmd_ssl_cert(struct stats_cli *c, char **w, int n)
{
	stats_show_ssl_cert(c->st->ops->cur, &c->out, n > 3 ? w[3] : NULL);
}

/* add server B/S ADDR [options] | del server B/S (stats_dynsrv.c) */
static void stats_cmd_add_del_server(struct stats_cli *c, char **w, int n)
{
	stats_add_del_server(c->st->ops->cur, &c->out, w, n);
}

/* One command: the words it starts with, the level it needs, what runs
 * it (with every word of the command). Listed by `help` in this order,
 * to clients of its level or above. */
struct stats_cmd {
	const char *words[STATS_CMD_WORDS]; /* leading words, NULL after the
	                               last (first: stats_cmd_match()) */
	uint32_t level;             /* enum plan_stats_level needed */
	void (*run)(struct stats_cli *c, char **w, int n);
	const char *usage;          /* `help` line: arguments, then ':' text */
};

static const struct stats_cmd stats_cmds[] = {
#define STATS_CMD(w1, w2, w3, level, run, usage) \
	{ { w1, w2, w3 }, level, run, usage },
#include "stats_cmds.def"
#undef STATS_CMD
};

#define STATS_NCMDS (sizeof(stats_cmds) / sizeof(stats_cmds[0]))

static void stats_help_list(struct stats_cli *c)
{
	stats_printf(c, "The following commands are valid at this level:\n");
	for (size_t i = 0; i < STATS_NCMDS; i++)
		if (c->level >= stats_cmds[i].level)
			stats_printf(c, "  %s\n", stats_cmds[i].usage);
}

static void stats_cmd_help(struct stats_cli *c, char **w, int n)
{
	(void)w;
	(void)n;
	stats_help_list(c);
	stats_printf(c, "\n");
}

/* Run one command given as words (the table's entry with the most
 * leading words matching). */
static void stats_exec(struct stats_cli *c, char **w, int n)
{
	const struct stats_cmd *best = NULL;
	long i;

	if (n == 0)
		return;
	i = stats_cmd_match(stats_cmds, STATS_NCMDS, sizeof(stats_cmds[0]), w, n);
	if (i >= 0)
		best = &stats_cmds[i];
	if (best && c->level >= best->level) {
		best->run(c, w, n);
	} else if (best) {
		stats_printf(c, "Permission denied\n\n");
	} else {
		char cmd[128];
		size_t len = 0;

		for (int k = 0; k < n && len < sizeof(cmd) - 1; k++)
			len += (size_t)snprintf(cmd + len, sizeof(cmd) - len, "%s%s",
			                        k ? " " : "", w[k]);
		stats_printf(c, "Unknown command: '%s'\n", cmd);
		stats_help_list(c);
		stats_printf(c, "\n");
	}
}

/* Run the next `;`-separated command of the line being run (an escaped
 * `\;` does not separate). */
static void stats_next_cmd(struct stats_cli *c)
{
	char *cmd = c->in + c->cmd, *semi, *w[STATS_WORDS_MAX];
	int n;

	semi = stats_cmd_end(cmd, c->line_end - c->cmd);
	if (semi) {
		*semi = '\0';
		c->cmd = (size_t)(semi - c->in) + 1;
	} else {
		c->cmd = c->line_end;
	}
	n = stats_words(cmd, w, STATS_WORDS_MAX);
	stats_exec(c, w, n);
}

/* ---- connections -------------------------------------------------------- */

static void stats_cli_close(struct stats_cli *c)
{
	struct stats *st = c->st;
	struct ev_loop *loop = st->ops->loop;
	int big;

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
	big = c->insz > STATS_IN_MIN || c->out.cap > STATS_IN_MIN;
	free(c->in);
	stats_buf_free(&c->out);
	free(c);
#ifdef __GLIBC__
	/* Buffers grown by a long line or answer leave holes in the heap
	 * that glibc keeps; hand them back to the system. */
	if (big)
		(void)malloc_trim(0);
#endif
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

/* The line being run is done: drop it from `in`, then close or prompt. */
static void stats_line_done(struct stats_cli *c)
{
	c->inlen -= c->line_len;
	memmove(c->in, c->in + c->line_len, c->inlen);
	if (c->out.cut)
		stats_printf(c, "\n(answer cut at %u bytes)\n", STATS_OUT_MAX);
	if (c->quit || !c->prompt || !c->line_nl)
		c->closing = 1;
	else
		stats_printf(c, "\n> ");
	c->line_len = 0;
}

/* Start running the first complete line of `in`; 0 when there is none
 * yet (or the connection is to close: nothing more will come). */
static int stats_line_start(struct stats_cli *c)
{
	char *nl = memchr(c->in, '\n', c->inlen);

	if (!nl && !c->eof)
		return 0;
	if (!nl && c->inlen == 0) {
		c->closing = 1;
		return 0;
	}
	c->line_nl = nl != NULL;
	c->line_end = nl ? (size_t)(nl - c->in) : c->inlen;
	c->line_len = c->line_end + (nl ? 1 : 0);
	c->in[c->line_end] = '\0';  /* the '\n' or the spare byte */
	c->line_end = strlen(c->in); /* a NUL byte ends the line's text */
	c->cmd = 0;
	return 1;
}

/*
 * Produce answers while fewer than STATS_OUT_LOW bytes wait: the command
 * under way continues, then the line's next command, then the next line.
 * Each step adds a bounded amount, so a client that does not read holds
 * at most STATS_OUT_MAX bytes and costs nothing until it reads.
 */
static void stats_produce(struct stats_cli *c)
{
	if (c->sent) {
		memmove(c->out.data, c->out.data + c->sent, stats_pending(c));
		c->out.len -= c->sent;
		c->sent = 0;
	}
	while (!c->closing && stats_pending(c) < STATS_OUT_LOW) {
		if (c->job.kind != STATS_JOB_NONE)
			stats_job_step(c);
		else if (c->line_len && !c->quit && c->cmd < c->line_end)
			stats_next_cmd(c);
		else if (c->line_len)
			stats_line_done(c);
		else if (!stats_line_start(c))
			break;
	}
}

/*
 * Answer what `in` holds as far as the buffer allows, then wait for the
 * right event: writable while bytes wait, readable when every line is
 * answered. Returns -1 if the client was closed.
 */
static int stats_process(struct stats_cli *c)
{
	struct ev_loop *loop = c->st->ops->loop;

	stats_produce(c);
	if (stats_pending(c)) {
		ev_io_stop(loop, &c->rd);
		ev_io_start(loop, &c->wr);
		return 0;
	}
	ev_io_stop(loop, &c->wr);
	/* nothing waits: give the answer's memory back */
	c->sent = 0;
	c->out.cut = 0;
	stats_buf_free(&c->out);
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
	if (c->inlen == 0 && c->insz > STATS_IN_MIN) {
		char *small = malloc(STATS_IN_MIN);

		if (small) {
			free(c->in);
			c->in = small;
			c->insz = STATS_IN_MIN;
		}
	}
	if (!c->eof)
		ev_io_start(loop, &c->rd);
	return 0;
}

/* Room to read more of a line: `in` doubled up to STATS_LINE_MAX; -1 when
 * the line is longer than that (or memory is short). */
static int stats_in_grow(struct stats_cli *c)
{
	size_t sz = c->insz * 2 > STATS_LINE_MAX ? STATS_LINE_MAX : c->insz * 2;
	char *in;

	if (c->inlen < c->insz - 1)
		return 0;
	if (c->insz >= STATS_LINE_MAX || !(in = realloc(c->in, sz)))
		return -1;
	c->in = in;
	c->insz = sz;
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
	if (stats_in_grow(c) < 0) {
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
	r = read(c->fd, c->in + c->inlen, c->insz - 1 - c->inlen);
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

/* Send what waits, producing more as it goes, up to STATS_SEND_TURN
 * bytes: a client reading fast does not keep the loop from the others. */
static void stats_wr_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct stats_cli *c = stats_cli_of(w->data);
	size_t turn = 0;

	(void)revents;
	while (stats_pending(c) && turn < STATS_SEND_TURN) {
		ssize_t n = send(c->fd, c->out.data + c->sent, stats_pending(c),
		                 MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			stats_cli_close(c);
			return;
		}
		c->sent += (size_t)n;
		turn += (size_t)n;
		ev_timer_again(loop, &c->idle);
		if (stats_pending(c) < STATS_OUT_LOW)
			stats_produce(c);
	}
	if (stats_pending(c))
		return;                 /* the rest at the next turn */
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
	uint32_t max = st->ops->cur->plan->ops->stats_maxconn ?
	               st->ops->cur->plan->ops->stats_maxconn : STATS_MAX_CLIENTS;

	(void)revents;
	for (int n = 0; n < 16; n++) {
		struct stats_cli *c;
		int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		if (st->nclients >= max) {
			static const char busy[] = "Too many stats connections, try again later.\n";

			(void)!send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
			close(fd);
			continue;
		}
		c = calloc(1, sizeof(*c));
		if (c)
			c->in = malloc(STATS_IN_MIN);
		if (!c || !c->in) {
			if (c)
				free(c);
			close(fd);
			log_error("stats socket: out of memory for a connection");
			return;
		}
		c->magic = STATS_MAGIC;
		c->fd = fd;
		c->insz = STATS_IN_MIN;
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

/*
 * Give the socket file at `path` the owner `ps` asks for: `uid`/`gid`,
 * or `user`/`group` names looked up now in the host's databases (inside
 * the chroot at a reload after one). 0, or -1 with why[len] saying why
 * (an unknown name, or chown's error).
 */
static int stats_chown(const struct plan *p, const struct plan_stats_socket *ps,
                       const char *path, char *why, size_t len)
{
	const char *user = plan_str_get(p, ps->user);
	const char *group = plan_str_get(p, ps->group);
	uid_t uid = ps->uid == PLAN_STATS_NO_ID ? (uid_t)-1 : (uid_t)ps->uid;
	gid_t gid = ps->gid == PLAN_STATS_NO_ID ? (gid_t)-1 : (gid_t)ps->gid;

	if (ps->user.len) {
		struct passwd *pw;

		errno = 0;
		if (!(pw = getpwnam(user))) {
			snprintf(why, len, "user '%s': no such user on this host%s%s",
			         user, errno ? ": " : "", errno ? strerror(errno) : "");
			return -1;
		}
		uid = pw->pw_uid;
	}
	if (ps->group.len) {
		struct group *gr;

		errno = 0;
		if (!(gr = getgrnam(group))) {
			snprintf(why, len, "group '%s': no such group on this host%s%s",
			         group, errno ? ": " : "", errno ? strerror(errno) : "");
			return -1;
		}
		gid = gr->gr_gid;
	}
	if (uid == (uid_t)-1 && gid == (gid_t)-1)
		return 0;
	if (chown(path, uid, gid) < 0) {
		snprintf(why, len, "cannot give it its owner: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Bind and listen stats socket `ps` into `l`; unix paths are bound under
 * a temporary name, given their mode and owner, then renamed into place
 * before they listen (a stale socket is replaced, a live one too, as
 * HAProxy does). */
static int stats_bind(struct stats_lsn *l, const struct plan *p,
                      const struct plan_stats_socket *ps)
{
	char name[160], why[200];
	struct sockaddr_un tmp;
	const struct sockaddr *sa = (const struct sockaddr *)ps->addr.sa;
	socklen_t salen = ps->addr.salen;
	int one = 1;

	sock_plan_addr_str(&ps->addr, name, sizeof(name));
	if (ps->addr.family == PLAN_FAM_FD) {
		/* inherited from the parent (systemd, a test harness) */
		if (listener_adopt((int)ps->addr.fd, name, 16, why, sizeof(why)) < 0) {
			log_error("stats socket (line %u): %s", ps->line, why);
			return -1;
		}
		l->fd = (int)ps->addr.fd;
		return 0;
	}
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

		if (stats_chown(p, ps, tmp.sun_path, why, sizeof(why)) < 0) {
			log_error("stats socket %s (line %u): %s", name, ps->line,
			          why);
			unlink(tmp.sun_path);
			return -1;
		}
		if ((ps->mode && chmod(tmp.sun_path, ps->mode) < 0) ||
		    rename(tmp.sun_path, un->sun_path) < 0) {
			log_error("stats socket %s (line %u): cannot give it its "
			          "mode or owner, or put it in place: %s", name,
			          ps->line, strerror(errno));
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
		if (stats_bind(l, p, ps) < 0)
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
	char why[200];

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
			if (l->path[0] && stats_chown(p, ps, l->path, why, sizeof(why)) < 0)
				log_error("stats socket %s: owner left as it was: %s",
				          l->path, why);
		}
		if (l->fd < 0 && stats_bind(l, p, ps) < 0) {
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
