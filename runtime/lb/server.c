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

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "balance.h"
#include "healthcheck.h"
#include "log.h"
#include "plan.h"
#include "queue.h"
#include "server.h"
#include "stats.h"

void server_init_all(struct runtime *rt)
{
	for (uint32_t i = 0; i < rt->plan->nservers; i++) {
		const struct plan_server *ps = &rt->plan->servers[i];
		struct rt_server *rs = &rt->servers[i];

		rs->weight = ps->weight;
		rs->op = RT_SRV_UP;
		rs->admin = (ps->flags & PLAN_SRV_F_DISABLED) ? RT_ADMIN_MAINT :
		            RT_ADMIN_READY;
	}
	stats_state_init(rt);
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
		for (uint32_t k = 0; k < pp->nservers; k++) {
			uint32_t s = pp->first_server + k;

			if (strcmp(plan_str_get(p, p->servers[s].name), srv) == 0)
				return s;
		}
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
		snprintf(buf, len, "MAINT");
	else if (rs->admin == RT_ADMIN_DRAIN)
		snprintf(buf, len, "DRAIN");
	else if (!c)
		snprintf(buf, len, "no check");
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
	int n = snprintf(buf, len, "reason: %s",
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
static void server_say(const struct runtime *rt, uint32_t be,
                       enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void server_say(const struct runtime *rt, uint32_t be,
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

/* Wake every server of backend `be`: a server leaving can bring backups
 * into the pool, which then take streams from the backend's queue. */
static void server_wake_backend(struct runtime *rt, uint32_t be)
{
	const struct plan_proxy *pp = &rt->plan->proxies[be];

	for (uint32_t k = 0; k < pp->nservers; k++)
		(void)queue_wake(rt, pp->first_server + k);
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
	taken = queue_wake(rt, srv);
	server_counts(rt, be, &act, &bck);
	server_say(rt, be, LOG_LVL_NOTICE,
	           "%s. %u active and %u backup servers online. %u sessions requeued, %u total in queue.",
	           head, act, bck, taken, rt->servers[srv].queue.len);
}

void server_set_down(struct runtime *rt, uint32_t srv, const struct check *c)
{
	char label[300], words[300], head[700];

	if (rt->servers[srv].op == RT_SRV_DOWN)
		return;
	rt->servers[srv].op = RT_SRV_DOWN;
	if (rt->servers[srv].admin == RT_ADMIN_MAINT) {
		(void)balance_update(rt, rt->plan->servers[srv].proxy);
		stats_srv_state(rt, srv);
		return;
	}
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

	if (rt->servers[srv].op == RT_SRV_UP)
		return;
	rt->servers[srv].op = RT_SRV_UP;
	if (rt->servers[srv].admin == RT_ADMIN_MAINT) {
		(void)balance_update(rt, rt->plan->servers[srv].proxy);
		stats_srv_state(rt, srv);
		return;
	}
	server_label(rt, srv, label, sizeof(label));
	server_check_words(c, words, sizeof(words));
	snprintf(head, sizeof(head), "%s is UP, %s", label, words);
	server_log_gain(rt, srv, head);
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
		         rs->op == RT_SRV_UP ? "UP" : "DOWN",
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
