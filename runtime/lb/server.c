/*
 * server.c: server state changes, their log lines, and state as text.
 *
 * The log lines follow HAProxy's wording so that operators' log watchers
 * keep working:
 *   Server be/s1 is DOWN, reason: Layer4 connection problem, info:
 *   "Connection refused", check duration: 0ms. 1 active and 0 backup
 *   servers left. 0 sessions active, 0 requeued, 0 remaining in queue.
 * (one line), "Backup Server ..." for backups, and "backend be has no
 * server available!" when the last server of a backend goes.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "balance.h"
#include "dynsrv.h"
#include "healthcheck.h"
#include "inbox.h"
#include "log.h"
#include "plan.h"
#include "queue.h"
#include "server.h"
#include "stats.h"
#include "thread.h"

void server_init_all(struct runtime *rt)
{
	for (uint32_t i = 0; i < rt->plan->nservers; i++) {
		const struct plan_server *ps = &rt->plan->servers[i];
		struct rt_server *rs = &rt->servers[i];

		rs->weight = ps->weight;
		rs->maxconn = ps->maxconn;
		rs->op = RT_SRV_UP;
		rs->admin = (ps->flags & PLAN_SRV_F_DISABLED) ? RT_ADMIN_MAINT :
		            RT_ADMIN_READY;
	}
	stats_state_init(rt);
}

/* The backend of plan `p` named `name`, or PLAN_NONE. */
static uint32_t server_backend_find(const struct plan *p, const char *name)
{
	for (uint32_t i = 0; i < p->nproxies; i++)
		if ((p->proxies[i].cap & PLAN_CAP_BE) &&
		    !strcmp(plan_str_get(p, p->proxies[i].name), name))
			return i;
	return PLAN_NONE;
}

/* 1 when server `a` of plan `pa` and `b` of `pb` are configured alike
 * (names compared by the caller's lookup, plus the server's own). */
static int server_same(const struct plan *pa, const struct plan_server *a,
                       const struct plan *pb, const struct plan_server *b)
{
	return a->weight == b->weight && a->flags == b->flags &&
	       a->rise == b->rise && a->fall == b->fall &&
	       !memcmp(&a->addr, &b->addr, sizeof(a->addr)) &&
	       !strcmp(plan_str_get(pa, a->name), plan_str_get(pb, b->name));
}

/* Server `k`-th of old backend `obe` alike to new server `ns`, trying the
 * same position first; PLAN_NONE when none is. */
static uint32_t server_match(const struct runtime *gen, uint32_t ns,
                             const struct runtime *old, uint32_t obe,
                             uint32_t k)
{
	const struct plan *np = gen->plan, *op = old->plan;
	const struct plan_proxy *opx = &op->proxies[obe];
	const struct plan_server *n = &np->servers[ns];

	/* a server deleted on the socket comes back from the new plan */
	if (k < opx->nservers && !dynsrv_gone(old, opx->first_server + k) &&
	    server_same(np, n, op, &op->servers[opx->first_server + k]))
		return opx->first_server + k;
	for (uint32_t j = 0; j < opx->nservers; j++)
		if (!dynsrv_gone(old, opx->first_server + j) &&
		    server_same(np, n, op, &op->servers[opx->first_server + j]))
			return opx->first_server + j;
	return PLAN_NONE;
}

void server_copy_state(struct rt_server *n, const struct rt_server *o)
{
	n->weight = o->weight;
	n->op = o->op;
	n->admin = o->admin;
	n->dns_maint = o->dns_maint;
	n->cum_conn = o->cum_conn;
	n->cnt = o->cnt;
	if (n->check && o->check) {
		n->check->health = o->check->health;
		n->check->status = o->check->status;
		n->check->code = o->check->code;
		n->check->duration = o->check->duration;
		n->check->stopped = o->check->stopped;
		memcpy(n->check->info, o->check->info, sizeof(n->check->info));
	}
	/* `set server addr`: the address now, not its history (the plan's
	 * address is the same, the server being unchanged) */
	if (o->addr && !n->addr) {
		struct rt_srv_addr *a = calloc(1, sizeof(*a));

		if (a) {
			a->a = o->addr->a;
			__atomic_store_n(&n->addr, a, __ATOMIC_RELEASE);
		} else {
			log_error("reload: out of memory for an address set on the stats socket: the server takes its configured one");
		}
	}
}

void server_carry_state(struct runtime *gen, struct runtime *old)
{
	const struct plan *np = gen->plan;
	uint32_t carried = 0;

	if (!old)
		return;
	gen_lock(old);
	for (uint32_t b = 0; b < np->nproxies; b++) {
		const struct plan_proxy *px = &np->proxies[b];
		uint32_t obe;

		if (!(px->cap & PLAN_CAP_BE) || !px->nservers)
			continue;
		obe = server_backend_find(old->plan, plan_str_get(np, px->name));
		for (uint32_t k = 0; obe != PLAN_NONE && k < px->nservers; k++) {
			uint32_t ns = px->first_server + k;
			uint32_t os = server_match(gen, ns, old, obe, k);
			struct rt_server *n = &gen->servers[ns];
			const struct rt_server *o;

			if (os == PLAN_NONE)
				continue;
			o = &old->servers[os];
			server_copy_state(n, o);
			/* `set maxconn server` stays while the file's is
			 * the same */
			if (np->servers[ns].maxconn == old->plan->servers[os].maxconn)
				n->maxconn = o->maxconn;
			carried++;
		}
	}
	gen_unlock(old);
	for (uint32_t b = 0; b < np->nproxies; b++)
		if (np->proxies[b].cap & PLAN_CAP_BE)
			stats_be_state(gen, b);
	if (carried)
		log_info(gen, "reload: %u unchanged server%s keep their state and counters",
		         carried, carried > 1 ? "s" : "");
}

#define SERVER_STATE_LINE_MAX 4096  /* bytes of a server-state-file line */
#define SERVER_STATE_FIELDS   14    /* fields read, of the 25 of version 1 */

/* Apply one line of a server-state-file, split into `f`; 1 when it
 * named a server of a backend that loads state. */
static int server_state_apply(struct runtime *rt, char **f)
{
	const struct plan *p = rt->plan;
	const char *ls = plan_str_get(p, p->ops->load_state);
	uint32_t be = server_backend_find(p, f[1]), s;
	unsigned long admin, weight, op, health;
	struct rt_server *rs;
	char *e1, *e2, *e3, *e4;

	if (be == PLAN_NONE || !p->ops->load_state.len ||
	    ls[be] != PLAN_LOAD_STATE_GLOBAL)
		return 0;
	s = server_find(rt, f[1], f[3]);
	if (s == PLAN_NONE)
		return 0;
	op = strtoul(f[5], &e1, 10);
	admin = strtoul(f[6], &e2, 10);
	weight = strtoul(f[7], &e3, 10);
	health = strtoul(f[12], &e4, 10);
	if (*e1 || *e2 || *e3 || *e4 || weight > 256)
		return 0;
	rs = &rt->servers[s];
	rs->weight = (uint32_t)weight;
	if (admin & 0x01)               /* HAProxy's SRV_ADMF_FMAINT */
		rs->admin = RT_ADMIN_MAINT;
	else if (admin & 0x08)          /* SRV_ADMF_FDRAIN */
		rs->admin = RT_ADMIN_DRAIN;
	if (rs->check) {
		uint32_t full = p->servers[s].rise + p->servers[s].fall - 1;

		rs->check->health = health > full ? full : (uint32_t)health;
		if (op == 0 && rs->admin != RT_ADMIN_MAINT) {
			rs->op = RT_SRV_DOWN;
			rs->check->health = rs->check->health < p->servers[s].rise ?
			                    rs->check->health : 0;
		}
	}
	if (op == 3 && rs->admin != RT_ADMIN_MAINT)  /* SRV_ST_STOPPING */
		rs->op = RT_SRV_STOPPING;
	return 1;
}

void server_load_state_file(struct runtime *rt)
{
	const struct plan *p = rt->plan;
	const char *path = plan_str_get(p, p->ops->server_state_file);
	char line[SERVER_STATE_LINE_MAX];
	uint32_t loaded = 0, lineno = 0;
	struct stat sb;
	FILE *f;
	int fd;

	if (!p->ops->load_state.len)
		return;
	/* never block on a FIFO or a device: a regular file or nothing */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) ||
	    !(f = fdopen(fd, "r"))) {
		log_error("warning: server-state-file %s: %s; servers start from the configuration",
		          path, fd < 0 ? strerror(errno) : "not a regular file");
		if (fd >= 0)
			close(fd);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char *fld[SERVER_STATE_FIELDS], *save = NULL;
		int n = 0;

		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			int ch;         /* too long: skip the rest of it */

			while ((ch = getc(f)) != EOF && ch != '\n')
				;
			continue;
		}
		if (lineno == 1) {
			if (strcmp(line, "1\n") && strcmp(line, "1")) {
				log_error("warning: server-state-file %s: version '%.8s' unknown (expected 1); ignored",
				          path, line);
				break;
			}
			continue;
		}
		if (line[0] == '#')
			continue;
		for (char *t = strtok_r(line, " \t\r\n", &save);
		     t && n < SERVER_STATE_FIELDS; t = strtok_r(NULL, " \t\r\n", &save))
			fld[n++] = t;
		if (n == SERVER_STATE_FIELDS)
			loaded += (uint32_t)server_state_apply(rt, fld);
	}
	fclose(f);
	stats_state_init(rt);           /* DOWN and MAINT as loaded */
	log_info(rt, "server-state-file %s: state of %u server%s loaded", path,
	         loaded, loaded == 1 ? "" : "s");
}

uint32_t server_find(const struct runtime *rt, const char *be,
                     const char *srv)
{
	const struct plan *p = rt->plan;

	for (uint32_t i = 0; i < p->nproxies; i++) {
		const struct plan_proxy *pp = &p->proxies[i];

		if (!(pp->cap & PLAN_CAP_BE) ||
		    strcmp(plan_str_get(p, pp->name), be) != 0)
			continue;
		for (uint32_t s = be_srv_first(rt, i); s != PLAN_NONE;
		     s = be_srv_next(rt, i, s))
			if (strcmp(plan_str_get(p, p->servers[s].name), srv) == 0)
				return s;
	}
	return PLAN_NONE;
}

const char *server_check_reason(enum rt_chk_status st)
{
	static const char *const reason[RT_CHK_MAX] = {
		[RT_CHK_NONE]    = "Not checked yet",
		[RT_CHK_L4OK]    = "Layer4 check passed",
		[RT_CHK_L4TOUT]  = "Layer4 timeout",
		[RT_CHK_L4CON]   = "Layer4 connection problem",
		[RT_CHK_L7OK]    = "Layer7 check passed",
		[RT_CHK_L7TOUT]  = "Layer7 timeout",
		[RT_CHK_L7RSP]   = "Layer7 invalid response",
		[RT_CHK_L7STS]   = "Layer7 wrong status",
		[RT_CHK_SOCKERR] = "Socket error",
		[RT_CHK_L6OK]    = "Layer6 check passed",
		[RT_CHK_L6TOUT]  = "Layer6 timeout",
		[RT_CHK_L6RSP]   = "Layer6 invalid response",
	};

	return (unsigned)st < RT_CHK_MAX ? reason[st] : "unknown";
}

const char *server_check_status(const struct runtime *rt, uint32_t srv,
                                int *code, uint32_t *duration,
                                const char **info)
{
	static const char *const name[RT_CHK_MAX] = {
		[RT_CHK_NONE]    = "INI",
		[RT_CHK_L4OK]    = "L4OK",
		[RT_CHK_L4TOUT]  = "L4TOUT",
		[RT_CHK_L4CON]   = "L4CON",
		[RT_CHK_L7OK]    = "L7OK",
		[RT_CHK_L7TOUT]  = "L7TOUT",
		[RT_CHK_L7RSP]   = "L7RSP",
		[RT_CHK_L7STS]   = "L7STS",
		[RT_CHK_SOCKERR] = "SOCKERR",
		[RT_CHK_L6OK]    = "L6OK",
		[RT_CHK_L6TOUT]  = "L6TOUT",
		[RT_CHK_L6RSP]   = "L6RSP",
	};
	const struct check *c = rt->servers[srv].check;

	if (code)
		*code = c ? c->code : 0;
	if (duration)
		*duration = c ? c->duration : 0;
	if (info)
		*info = c ? c->info : "";
	if (!c)
		return "";
	return c->status < RT_CHK_MAX ? name[c->status] : "UNK";
}

const char *server_status(const struct runtime *rt, uint32_t srv, char *buf,
                          size_t len)
{
	const struct rt_server *rs = &rt->servers[srv];
	const struct plan_server *ps = &rt->plan->servers[srv];
	const struct check *c = rs->check;
	uint32_t full = ps->rise + ps->fall - 1;

	if (rs->admin == RT_ADMIN_MAINT)
		snprintf(buf, len, rs->dns_maint ? "MAINT (resolution)" : "MAINT");
	else if (rs->admin == RT_ADMIN_DRAIN)
		snprintf(buf, len, "DRAIN");
	else if (rs->op == RT_SRV_STOPPING && c && c->health < full)
		snprintf(buf, len, "NOLB %u/%u", full - c->health, ps->fall);
	else if (rs->op == RT_SRV_STOPPING)
		snprintf(buf, len, "NOLB");
	else if (!c)
		/* unchecked: only the stats socket puts it DOWN */
		snprintf(buf, len, "%s", rs->op == RT_SRV_DOWN ? "DOWN" : "no check");
	else if (rs->op == RT_SRV_UP && c->health < full)
		/* going down: failures so far out of fall */
		snprintf(buf, len, "UP %u/%u", full - c->health, ps->fall);
	else if (rs->op == RT_SRV_DOWN && c->health > 0)
		/* going up: successes so far out of rise */
		snprintf(buf, len, "DOWN %u/%u", c->health, ps->rise);
	else
		snprintf(buf, len, "%s", rs->op == RT_SRV_UP ? "UP" : "DOWN");
	return buf;
}

/* "Server be/s1" or "Backup Server be/s1" into buf. */
static void server_label(const struct runtime *rt, uint32_t srv, char *buf,
                         size_t len)
{
	const struct plan_server *ps = &rt->plan->servers[srv];

	snprintf(buf, len, "%sServer %s/%s",
	         (ps->flags & PLAN_SRV_F_BACKUP) ? "Backup " : "",
	         plan_str_get(rt->plan, rt->plan->proxies[ps->proxy].name),
	         plan_str_get(rt->plan, ps->name));
}

/* "reason: ..., code: N, info: "...", check duration: Nms" of a result. */
static void server_check_words(const struct check *c, char *buf, size_t len)
{
	int n;

	if (!c) {
		snprintf(buf, len, "changed from CLI");
		return;
	}
	n = snprintf(buf, len, "reason: %s",
	                 server_check_reason((enum rt_chk_status)c->status));

	if (n > 0 && (size_t)n < len && c->code)
		n += snprintf(buf + n, len - (size_t)n, ", code: %d", c->code);
	if (n > 0 && (size_t)n < len && c->info[0])
		n += snprintf(buf + n, len - (size_t)n, ", info: \"%s\"", c->info);
	if (n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, ", check duration: %ums",
		         c->duration);
}

/* Usable active and backup servers of backend `be` (not only the pool). */
static void server_counts(const struct runtime *rt, uint32_t be,
                          uint32_t *act, uint32_t *bck)
{
	const struct lb_backend *lb = rt->proxies[be].lb;

	*act = lb ? lb->nact : 0;
	*bck = lb ? lb->nbck : 0;
}

/* Print a state line on stderr, as always, and send it to the log targets
 * of backend `be` (the global ones with `log global`) at `level`, as
 * HAProxy does. */
void server_say(const struct runtime *rt, uint32_t be,
                       enum log_level level, const char *fmt, ...)
{
	char msg[LOG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_error("%s", msg);
	(void)log_emit(rt, be, level, msg);
}

/* Mark the streams connected to `srv` for killing (termination state
 * `code` first) by bumping its kill_seq; server_kill_post() then tells the
 * threads. Thread 0. */
static void server_kill_mark(struct runtime *rt, uint32_t srv, char code)
{
	struct rt_server *rs = &rt->servers[srv];

	rs->kill_code = code;
	__atomic_store_n(&rs->kill_seq, rs->kill_seq + 1, __ATOMIC_RELEASE);
}

/* Every thread looks for streams to kill (stream_kill_marked()); none to
 * tell outside cfgrun's threads (unit tests). */
static void server_kill_post(void)
{
	struct ops *ops = thread_self ? thread_self->ops : NULL;

	for (uint32_t i = 0; ops && i < ops->nthreads; i++)
		inbox_post(&ops->threads[i], THR_MSG_KILL);
}

void server_addr(const struct runtime *rt, uint32_t srv, struct plan_addr *out)
{
	const struct rt_srv_addr *a =
		__atomic_load_n(&rt->servers[srv].addr, __ATOMIC_ACQUIRE);

	if (a)
		plan_srv_addr_to(rt->plan, &a->a, out);
	else
		plan_server_addr(rt->plan, srv, out);
}

void server_check_target(const struct runtime *rt, uint32_t srv,
                         struct plan_addr *out)
{
	const struct plan_server *ps = &rt->plan->servers[srv];
	struct plan_addr plan;
	in_port_t port;

	plan_server_check_addr(rt->plan, srv, out);
	if (ps->check_addr != PLAN_NONE || !rt->servers[srv].addr)
		return;
	/* no `addr` of its own: the checks follow the new address, on the
	 * port the plan gave them (the check port, or the server's) */
	port = out->family == PLAN_FAM_INET ?
	       ((struct sockaddr_in *)out->sa)->sin_port :
	       out->family == PLAN_FAM_INET6 ?
	       ((struct sockaddr_in6 *)out->sa)->sin6_port : 0;
	plan_server_addr(rt->plan, srv, &plan);
	server_addr(rt, srv, out);
	if (plan.family == out->family && out->family == PLAN_FAM_INET &&
	    port != ((struct sockaddr_in *)plan.sa)->sin_port)
		((struct sockaddr_in *)out->sa)->sin_port = port;
	else if (plan.family == out->family && out->family == PLAN_FAM_INET6 &&
	         port != ((struct sockaddr_in6 *)plan.sa)->sin6_port)
		((struct sockaddr_in6 *)out->sa)->sin6_port = port;
}

/* The IP and port of compact address c as text ("" when not IP). */
static void server_addr_text(const struct plan_srv_addr *c, char *ip,
                             size_t iplen, char *port, size_t portlen)
{
	ip[0] = port[0] = '\0';
	if (c->family == PLAN_FAM_INET)
		(void)inet_ntop(AF_INET, c->ip, ip, (socklen_t)iplen);
	else if (c->family == PLAN_FAM_INET6)
		(void)inet_ntop(AF_INET6, c->ip, ip, (socklen_t)iplen);
	else
		return;
	snprintf(port, portlen, "%u", (unsigned)c->port);
}

int server_set_addr(struct runtime *rt, uint32_t srv, const char *ip,
                    const char *port, char *msg, size_t msglen)
{
	return server_set_addr_by(rt, srv, ip, port, "'stats socket command'",
	                          msg, msglen);
}

int server_set_addr_by(struct runtime *rt, uint32_t srv, const char *ip,
                       const char *port, const char *updater, char *msg,
                       size_t msglen)
{
	struct rt_server *rs = &rt->servers[srv];
	const struct plan_server *ps = &rt->plan->servers[srv];
	struct plan_srv_addr cur = rs->addr ? rs->addr->a : ps->addr, next = cur;
	char oip[64], oport[16], nip[64], nport[16], portmsg[128] = "";
	char ipmsg[192], by[64];
	struct rt_srv_addr *na;
	unsigned long pv = 0;
	char *end;
	int port_ok = 1;

	snprintf(by, sizeof(by), "by %s", updater);
	if (inet_pton(AF_INET, ip, next.ip) == 1) {
		memset(next.ip + 4, 0, sizeof(next.ip) - 4);
		next.family = PLAN_FAM_INET;
		next.aux = 0;
	} else if (inet_pton(AF_INET6, ip, next.ip) == 1) {
		next.family = PLAN_FAM_INET6;
		next.aux = 0;
	} else {
		snprintf(msg, msglen, "Invalid addr '%s' %s\n\n", ip, by);
		return -1;
	}
	if (cur.family != PLAN_FAM_INET && cur.family != PLAN_FAM_INET6)
		next.proto = PLAN_PROTO_TCP;    /* was a unix socket */
	if (port) {
		errno = 0;
		pv = strtoul(port, &end, 10);
		port_ok = *port && !*end && !errno && pv <= 65535;
		if (port_ok)
			next.port = (uint16_t)pv;
	}
	server_addr_text(&cur, oip, sizeof(oip), oport, sizeof(oport));
	server_addr_text(&next, nip, sizeof(nip), nport, sizeof(nport));
	/* HAProxy's answer: the address part, then the port's */
	if (cur.family == next.family && !memcmp(cur.ip, next.ip, sizeof(cur.ip)))
		snprintf(ipmsg, sizeof(ipmsg), "no need to change the addr");
	else
		snprintf(ipmsg, sizeof(ipmsg), "IP changed from '%s' to '%s'", oip,
		         nip);
	if (port && !port_ok)
		snprintf(portmsg, sizeof(portmsg),
		         ", problem converting port '%s' to an int", port);
	else if (port && cur.port != next.port)
		snprintf(portmsg, sizeof(portmsg),
		         ", port changed from '%s' to '%s'", oport, nport);
	else if (port)
		snprintf(portmsg, sizeof(portmsg), ", no need to change the port");
	snprintf(msg, msglen, "%s%s %s\n\n", ipmsg, portmsg, by);
	if (!memcmp(&cur, &next, sizeof(cur)))
		return -1;
	if (!(na = calloc(1, sizeof(*na)))) {
		snprintf(msg, msglen, "Out of memory.\n\n");
		return -1;
	}
	na->a = next;
	na->prev = rs->addr;
	__atomic_store_n(&rs->addr, na, __ATOMIC_RELEASE);
	if (cur.family == PLAN_FAM_NONE)
		/* it had no address: the balancer may choose it now */
		(void)balance_update(rt, ps->proxy);
	server_say(rt, ps->proxy, LOG_LVL_WARNING,
	           "%s/%s changed its IP from %s to %s %s",
	           plan_str_get(rt->plan, rt->plan->proxies[ps->proxy].name),
	           plan_str_get(rt->plan, ps->name), oip, nip, by);
	return 0;
}

void server_addr_free(struct runtime *rt)
{
	for (uint32_t i = 0; rt->servers &&
	     i < rt->plan->nservers + dynsrv_used(rt); i++) {
		struct rt_srv_addr *a = rt->servers[i].addr;

		while (a) {
			struct rt_srv_addr *prev = a->prev;

			free(a);
			a = prev;
		}
		rt->servers[i].addr = NULL;
	}
}

void server_shutdown_sessions(struct runtime *rt, uint32_t srv)
{
	server_kill_mark(rt, srv, 'K');
	server_kill_post();
}

/* on-marked-down shutdown-sessions: `srv` left service, its streams end. */
static void server_kill_on_down(struct runtime *rt, uint32_t srv)
{
	if (!(rt->plan->servers[srv].flags & PLAN_SRV_F_SHUT_DOWN))
		return;
	server_kill_mark(rt, srv, 'D');
	server_kill_post();
}

/* on-marked-up shutdown-backup-sessions: active server `srv` with a
 * weight came into service, the streams of its backend's backups end. */
static void server_kill_on_up(struct runtime *rt, uint32_t srv)
{
	const struct plan_server *ps = &rt->plan->servers[srv];

	if (!(ps->flags & PLAN_SRV_F_SHUT_BACKUP) ||
	    (ps->flags & PLAN_SRV_F_BACKUP) || rt->servers[srv].weight == 0)
		return;
	for (uint32_t s = be_srv_first(rt, ps->proxy); s != PLAN_NONE;
	     s = be_srv_next(rt, ps->proxy, s))
		if (rt->plan->servers[s].flags & PLAN_SRV_F_BACKUP)
			server_kill_mark(rt, s, 'U');
	server_kill_post();
}

/* Wake every server of backend `be`: a server leaving can bring backups
 * into the pool, which then take streams from the backend's queue. */
static void server_wake_backend(struct runtime *rt, uint32_t be)
{
	for (uint32_t s = be_srv_first(rt, be); s != PLAN_NONE;
	     s = be_srv_next(rt, be, s))
		(void)queue_wake(rt, s);
}

/*
 * Server `srv` left service: rebuild its backend's pool, hand the streams
 * queued on it back to the balancer when HAProxy does (maintenance, or
 * DOWN with `option redispatch`; a draining server keeps serving its own
 * queue), and log the line at `level` (`head` is its first part) with the
 * "left" part.
 */
static void server_log_loss(struct runtime *rt, uint32_t srv,
                            enum log_level level, const char *head)
{
	const struct rt_server *rs = &rt->servers[srv];
	uint32_t be = rt->plan->servers[srv].proxy;
	uint32_t act, bck, moved = 0;

	(void)balance_update(rt, be);
	if (rs->admin == RT_ADMIN_MAINT || rs->op == RT_SRV_DOWN)
		server_kill_on_down(rt, srv);
	if (rs->admin == RT_ADMIN_MAINT ||
	    (rs->op == RT_SRV_DOWN &&
	     (rt->plan->proxies[be].flags & PLAN_PX_F_REDISPATCH)))
		moved = queue_redistribute(rt, srv);
	server_wake_backend(rt, be);
	server_counts(rt, be, &act, &bck);
	server_say(rt, be, level,
	           "%s. %u active and %u backup servers left. %u sessions active, %u requeued, %u remaining in queue.",
	           head, act, bck, rs->cur_conn, moved, rs->queue.len);
	if (balance_usable(rt, be) == 0)
		server_say(rt, be, LOG_LVL_EMERG, "backend %s has no server available!",
		           plan_str_get(rt->plan, rt->plan->proxies[be].name));
}

/* Rebuild the pool, let srv take the streams waiting for it, and print the
 * "online" part of a line coming up. */
static void server_log_gain(struct runtime *rt, uint32_t srv, const char *head)
{
	uint32_t be = rt->plan->servers[srv].proxy;
	uint32_t act, bck, taken;

	(void)balance_update(rt, be);
	if (rt->servers[srv].op == RT_SRV_UP)
		server_kill_on_up(rt, srv);
	taken = queue_wake(rt, srv);
	server_counts(rt, be, &act, &bck);
	server_say(rt, be, LOG_LVL_NOTICE,
	           "%s. %u active and %u backup servers online. %u sessions requeued, %u total in queue.",
	           head, act, bck, taken, rt->servers[srv].queue.len);
}

/* Move server `srv` to operational state `op`; 1 when the change is to be
 * logged (it moved, out of maintenance), 0 when nothing more is to be
 * done (same state, or in maintenance: the pool rebuilt only). */
static int server_op_move(struct runtime *rt, uint32_t srv, enum rt_srv_op op)
{
	if (rt->servers[srv].op == op)
		return 0;
	rt->servers[srv].op = (uint8_t)op;
	if (rt->servers[srv].admin == RT_ADMIN_MAINT) {
		(void)balance_update(rt, rt->plan->servers[srv].proxy);
		stats_srv_state(rt, srv);
		return 0;
	}
	return 1;
}

void server_set_down(struct runtime *rt, uint32_t srv, const struct check *c)
{
	char label[300], words[300], head[700];

	if (!server_op_move(rt, srv, RT_SRV_DOWN))
		return;
	rt->servers[srv].cnt.chkdown++;
	server_label(rt, srv, label, sizeof(label));
	server_check_words(c, words, sizeof(words));
	snprintf(head, sizeof(head), "%s is DOWN, %s", label, words);
	server_log_loss(rt, srv, LOG_LVL_ALERT, head);
	stats_srv_state(rt, srv);
}

void server_set_up(struct runtime *rt, uint32_t srv, const struct check *c)
{
	char label[300], words[300], head[700];

	if (!server_op_move(rt, srv, RT_SRV_UP))
		return;
	server_label(rt, srv, label, sizeof(label));
	server_check_words(c, words, sizeof(words));
	snprintf(head, sizeof(head), "%s is UP, %s", label, words);
	server_log_gain(rt, srv, head);
	stats_srv_state(rt, srv);
}

void server_set_stopping(struct runtime *rt, uint32_t srv)
{
	char label[300], head[400];

	if (!server_op_move(rt, srv, RT_SRV_STOPPING))
		return;
	server_label(rt, srv, label, sizeof(label));
	snprintf(head, sizeof(head), "%s is stopping, changed from CLI", label);
	server_log_loss(rt, srv, LOG_LVL_WARNING, head);
	stats_srv_state(rt, srv);
}

void server_log_check(const struct runtime *rt, uint32_t srv,
                      const struct check *c, int passed)
{
	const struct plan_server *ps = &rt->plan->servers[srv];
	int up = c->health >= ps->rise;
	char words[300];

	if (!(rt->plan->proxies[ps->proxy].flags & PLAN_PX_F_LOG_HEALTH_CHECKS))
		return;
	server_check_words(c, words, sizeof(words));
	server_say(rt, ps->proxy, LOG_LVL_NOTICE,
	           "Health check for %sserver %s/%s %s, %s, status: %u/%u %s.",
	           (ps->flags & PLAN_SRV_F_BACKUP) ? "backup " : "",
	           plan_str_get(rt->plan, rt->plan->proxies[ps->proxy].name),
	           plan_str_get(rt->plan, ps->name),
	           passed ? "succeeded" : "failed", words,
	           up ? c->health - ps->rise + 1 : c->health,
	           up ? ps->fall : ps->rise, up ? "UP" : "DOWN");
}

int server_set_admin_state(struct runtime *rt, uint32_t srv,
                           enum rt_srv_admin st)
{
	struct rt_server *rs = &rt->servers[srv];
	enum rt_srv_admin old = (enum rt_srv_admin)rs->admin;
	char label[300], head[400];

	if (st != RT_ADMIN_READY && st != RT_ADMIN_MAINT && st != RT_ADMIN_DRAIN)
		return -1;
	if (st == old)
		return 0;
	server_label(rt, srv, label, sizeof(label));
	rs->admin = (uint8_t)st;
	if (st != RT_ADMIN_MAINT)
		rs->dns_maint = 0;      /* leaving it: whoever asked */
	if (old == RT_ADMIN_MAINT) {
		/* Back from maintenance: as at start, UP until a check fails. */
		if (rs->check) {
			rs->op = RT_SRV_UP;
			check_resume(rt, srv);
		}
	}
	if (st == RT_ADMIN_MAINT) {
		if (rs->check)
			check_suspend(rt, srv);
		snprintf(head, sizeof(head), "%s is going DOWN for maintenance",
		         label);
		server_log_loss(rt, srv, LOG_LVL_ALERT, head);
	} else if (st == RT_ADMIN_DRAIN) {
		snprintf(head, sizeof(head), "%s enters drain state", label);
		server_log_loss(rt, srv, LOG_LVL_NOTICE, head);
	} else {
		snprintf(head, sizeof(head), "%s is %s (leaving %s)", label,
		         rs->op == RT_SRV_DOWN ? "DOWN" : "UP",
		         old == RT_ADMIN_MAINT ? "forced maintenance" : "forced drain");
		server_log_gain(rt, srv, head);
	}
	stats_srv_state(rt, srv);
	return 0;
}

void server_note_connect_error(struct runtime *rt, uint32_t srv)
{
	struct rt_counters *be = &rt->proxies[rt->plan->servers[srv].proxy].be_cnt;

	rt->servers[srv].cnt.econ++;
	rt->servers[srv].cnt.connect++;
	be->econ++;
	be->connect++;
}
