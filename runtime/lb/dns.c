/*
 * dns.c: the resolver of servers' names (see dns.h).
 *
 * A server resolved at run time has one timer. A round sends an A and an
 * AAAA query (random ids, one try after another up to resolve_retries,
 * `timeout retry` apart) to every nameserver of its section, from one
 * unconnected UDP socket per address family and section; an answer is
 * taken only from a nameserver's address and port, with the id of the
 * query in flight and the question echoed. The first valid answer of a
 * family counts; an error counts once every nameserver gave one. The
 * round ends when the preferred family has addresses, or when both
 * families are settled or out of tries; the next one starts `hold valid`
 * (at least `timeout resolve`) after a success, `timeout resolve` after
 * a failure.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <ev.h>

#include "dns.h"
#include "dns_msg.h"
#include "log.h"
#include "plan.h"
#include "server.h"
#include "thread.h"

#define DNS_MAGIC       0x444e5331u
#define DNS_MAX_NS      16          /* nameservers per section, resolv.conf
                                       ones included */
#define DNS_RESOLV_CONF "/etc/resolv.conf"
#define DNS_READS_MAX   64          /* datagrams read per wake-up */
#define DNS_MIN_MS      10          /* shortest wait between tries/rounds */

enum dns_err {
	DNS_ERR_NONE    = 0,
	DNS_ERR_NX      = 1,        /* NXDOMAIN */
	DNS_ERR_REFUSED = 2,
	DNS_ERR_OTHER   = 3,        /* another rcode, truncation, no address */
	DNS_ERR_TIMEOUT = 4,        /* no answer at all */
};

static const char *const dns_err_names[] = {
	"valid", "NX", "refused", "other", "timeout",
};

struct dns_ns {
	struct sockaddr_storage sa;
	socklen_t len;
	char name[64];              /* its id, or its address (resolv.conf) */
	uint64_t cnt[DNS_CNT_MAX];  /* enum dns_cnt (show resolvers) */
};

struct dns_sec {
	uint32_t magic;
	struct dns_gen *g;
	uint32_t idx;               /* RESOLVERS record */
	struct dns_ns ns[DNS_MAX_NS];
	unsigned nns;
	int fd[2];                  /* [0] IPv4, [1] IPv6 socket, -1 = none */
	ev_io io[2];
};

struct dns_srv {
	uint32_t magic;
	struct dns_gen *g;
	const struct plan_srv_resolve *r;
	ev_timer timer;
	uint16_t qid[2];            /* [0] A, [1] AAAA: ids of this try */
	uint8_t pending;            /* bit f: family f awaits answers */
	uint8_t have[2];            /* 1: a valid answer this round */
	uint8_t err[2];             /* enum dns_err: last error this round */
	uint8_t logged;             /* enum dns_err last reported */
	unsigned nans[2];           /* answers of this try, by family */
	uint32_t answered[2];       /* bit k: nameserver k answered this try */
	int from[2];                /* nameserver of the answer kept */
	unsigned tries;             /* tries sent this round */
	ev_tstamp last_valid;       /* last success (start: the plan's
	                               address counts as one) */
	struct dns_answer ans[2];
};

struct dns_gen {
	struct runtime *rt;
	struct dns_sec *secs;       /* plan.nresolvers */
	struct dns_srv *srvs;       /* plan.nsrv_resolves */
	uint32_t nsecs, nsrvs;
};

static const uint16_t dns_qtype[2] = { DNS_TYPE_A, DNS_TYPE_AAAA };

static uint16_t dns_random_id(void)
{
	uint16_t id;

	if (getrandom(&id, sizeof(id), GRND_NONBLOCK) == (ssize_t)sizeof(id))
		return id;
	return (uint16_t)(rand() ^ (int)time(NULL));
}

static const struct plan_resolvers *dns_sec_rec(const struct dns_srv *ds)
{
	return &ds->g->rt->plan->resolvers[ds->r->resolvers];
}

const char *const dns_cnt_names[DNS_CNT_MAX] = {
	"sent", "snd_error", "valid", "update", "cname", "cname_error",
	"any_err", "nx", "timeout", "refused", "other", "invalid", "too_big",
	"truncated", "outdated",
};

/* Add a nameserver named `name` (NULL: its address) to sec. */
static void dns_ns_add(struct dns_sec *sec, const struct sockaddr *sa,
                       socklen_t len, const char *name)
{
	struct dns_ns *ns = &sec->ns[sec->nns];

	if (sec->nns >= DNS_MAX_NS)
		return;
	memset(ns, 0, sizeof(*ns));
	memcpy(&ns->sa, sa, len);
	ns->len = len;
	if (name)
		snprintf(ns->name, sizeof(ns->name), "%s", name);
	else if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
		          ns->name, sizeof(ns->name));
	else
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		          ns->name, sizeof(ns->name));
	sec->nns++;
}

void dns_each_ns(const struct runtime *rt,
                 void (*fn)(void *arg, const char *section, const char *ns,
                            const uint64_t *cnt),
                 void *arg)
{
	const struct dns_gen *g = rt->dns;
	const struct plan *p = rt->plan;

	for (uint32_t i = 0; i < p->nresolvers; i++) {
		const char *sec = plan_str_get(p, p->resolvers[i].name);

		fn(arg, sec, NULL, NULL);
		for (unsigned k = 0; g && k < g->secs[i].nns; k++)
			fn(arg, sec, g->secs[i].ns[k].name, g->secs[i].ns[k].cnt);
	}
}

/* The nameservers of /etc/resolv.conf (CFGRUN_RESOLV_CONF names another
 * file), port 53 (parse-resolv-conf). */
static void dns_read_resolv_conf(struct dns_sec *sec)
{
	const char *path = getenv("CFGRUN_RESOLV_CONF");
	FILE *f;
	char line[512];

	if (!path || !*path)
		path = DNS_RESOLV_CONF;
	if (!(f = fopen(path, "re"))) {
		log_error("resolvers: cannot read %s: %s", path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char word[64], addr[64], *pct;
		struct sockaddr_in sin = { .sin_family = AF_INET };
		struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };

		if (sscanf(line, "%63s %63s", word, addr) != 2 ||
		    strcmp(word, "nameserver"))
			continue;
		if ((pct = strchr(addr, '%')))
			*pct = '\0';
		if (inet_pton(AF_INET, addr, &sin.sin_addr) == 1) {
			sin.sin_port = htons(53);
			dns_ns_add(sec, (struct sockaddr *)&sin, sizeof(sin), NULL);
		} else if (inet_pton(AF_INET6, addr, &sin6.sin6_addr) == 1) {
			sin6.sin6_port = htons(53);
			dns_ns_add(sec, (struct sockaddr *)&sin6, sizeof(sin6), NULL);
		}
	}
	fclose(f);
}

int dns_init(struct runtime *rt)
{
	const struct plan *p = rt->plan;
	struct dns_gen *g;

	if (!p->nsrv_resolves)
		return 0;
	g = calloc(1, sizeof(*g));
	if (!g || !(g->secs = calloc(p->nresolvers, sizeof(*g->secs))) ||
	    !(g->srvs = calloc(p->nsrv_resolves, sizeof(*g->srvs)))) {
		if (g)
			free(g->secs);
		free(g);
		log_error("out of memory for the resolvers");
		return -1;
	}
	g->rt = rt;
	g->nsecs = p->nresolvers;
	g->nsrvs = p->nsrv_resolves;
	for (uint32_t i = 0; i < g->nsecs; i++) {
		const struct plan_resolvers *pr = &p->resolvers[i];
		struct dns_sec *sec = &g->secs[i];

		sec->magic = DNS_MAGIC;
		sec->g = g;
		sec->idx = i;
		sec->fd[0] = sec->fd[1] = -1;
		for (uint32_t k = pr->ns_first; k < pr->ns_first + pr->ns_count; k++) {
			struct plan_addr a;

			plan_srv_addr_to(p, &p->nameservers[k].addr, &a);
			dns_ns_add(sec, (const struct sockaddr *)a.sa, a.salen,
			           plan_str_get(p, p->nameservers[k].id));
		}
		if (pr->flags & PLAN_RES_F_RESOLV_CONF)
			dns_read_resolv_conf(sec);
		if (!sec->nns)
			log_error("resolvers %s: no nameserver: its servers keep "
			          "their address", plan_str_get(p, pr->name));
	}
	for (uint32_t i = 0; i < g->nsrvs; i++) {
		struct dns_srv *ds = &g->srvs[i];

		ds->magic = DNS_MAGIC;
		ds->g = g;
		ds->r = &p->srv_resolves[i];
		if (ds->r->flags & PLAN_SRES_F_MAINT_NONE)
			rt->servers[ds->r->server].dns_maint = 1;
	}
	rt->dns = g;
	return 0;
}

static void dns_read_cb(struct ev_loop *loop, ev_io *w, int revents);
static void dns_timer_cb(struct ev_loop *loop, ev_timer *w, int revents);

static int dns_socket(int family)
{
	int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	return fd;
}

void dns_start(struct runtime *rt)
{
	struct dns_gen *g = rt->dns;

	if (!g)
		return;
	for (uint32_t i = 0; i < g->nsecs; i++) {
		struct dns_sec *sec = &g->secs[i];

		for (unsigned k = 0; k < sec->nns; k++) {
			int f = sec->ns[k].sa.ss_family == AF_INET6;

			if (sec->fd[f] >= 0)
				continue;
			sec->fd[f] = dns_socket(f ? AF_INET6 : AF_INET);
			if (sec->fd[f] < 0) {
				log_error("resolvers %s: cannot open a UDP socket: %s",
				          plan_str_get(rt->plan,
				                       rt->plan->resolvers[i].name),
				          strerror(errno));
				continue;
			}
			ev_io_init(&sec->io[f], dns_read_cb, sec->fd[f], EV_READ);
			sec->io[f].data = sec;
			ev_io_start(rt->loop, &sec->io[f]);
		}
	}
	for (uint32_t i = 0; i < g->nsrvs; i++) {
		struct dns_srv *ds = &g->srvs[i];

		ds->last_valid = ev_now(rt->loop);
		ev_timer_init(&ds->timer, dns_timer_cb, 0., 0.);
		ds->timer.data = ds;
		/* no nameserver (an empty resolv.conf): nothing to ask, the
		 * server keeps what it has */
		if (g->secs[ds->r->resolvers].nns)
			ev_timer_start(rt->loop, &ds->timer);
	}
}

void dns_free(struct runtime *rt)
{
	struct dns_gen *g = rt->dns;

	if (!g)
		return;
	for (uint32_t i = 0; i < g->nsrvs; i++)
		if (g->srvs[i].magic == DNS_MAGIC) {
			ev_timer_stop(rt->loop, &g->srvs[i].timer);
			g->srvs[i].magic = 0;
		}
	for (uint32_t i = 0; i < g->nsecs; i++)
		for (int f = 0; f < 2; f++)
			if (g->secs[i].fd[f] >= 0) {
				ev_io_stop(rt->loop, &g->secs[i].io[f]);
				close(g->secs[i].fd[f]);
				g->secs[i].fd[f] = -1;
			}
	free(g->secs);
	free(g->srvs);
	free(g);
	rt->dns = NULL;
}

static void dns_arm(struct dns_srv *ds, uint32_t ms)
{
	struct ev_loop *loop = ds->g->rt->loop;

	if (ms < DNS_MIN_MS)
		ms = DNS_MIN_MS;        /* a time of 0: no busy loop */
	ev_timer_stop(loop, &ds->timer);
	ev_timer_set(&ds->timer, ms / 1000., 0.);
	ev_timer_start(loop, &ds->timer);
}

/* Send the queries of one try: a fresh id per family, to every
 * nameserver. */
static void dns_send_try(struct dns_srv *ds)
{
	const struct plan *p = ds->g->rt->plan;
	const struct plan_resolvers *pr = dns_sec_rec(ds);
	struct dns_sec *sec = &ds->g->secs[ds->r->resolvers];
	const char *host = plan_str_get(p, ds->r->host);

	ds->tries++;
	for (int f = 0; f < 2; f++) {
		uint8_t q[DNS_NAME_MAX + 32];
		int n;

		if (!(ds->pending & (1u << f)))
			continue;
		ds->qid[f] = dns_random_id();
		ds->nans[f] = 0;
		ds->answered[f] = 0;
		n = dns_msg_query(q, sizeof(q), ds->qid[f], host, dns_qtype[f],
		                  (uint16_t)pr->payload);
		if (n < 0) {
			ds->pending &= (uint8_t)~(1u << f);
			ds->err[f] = DNS_ERR_OTHER;
			continue;
		}
		for (unsigned k = 0; k < sec->nns; k++) {
			int fd = sec->fd[sec->ns[k].sa.ss_family == AF_INET6];

			if (fd >= 0 &&
			    sendto(fd, q, (size_t)n, 0,
			           (const struct sockaddr *)&sec->ns[k].sa,
			           sec->ns[k].len) == n)
				sec->ns[k].cnt[DNS_CNT_SENT]++;
			else
				sec->ns[k].cnt[DNS_CNT_SND_ERROR]++;
		}
	}
	dns_arm(ds, pr->timeout_retry);
}

static void dns_round_begin(struct dns_srv *ds)
{
	ds->tries = 0;
	ds->pending = 3;
	ds->have[0] = ds->have[1] = 0;
	ds->err[0] = ds->err[1] = DNS_ERR_NONE;
	dns_send_try(ds);
}

/* IP bytes of the server's current address into ip (family 4 or 16 in
 * *alen, 0 when it has none). */
static void dns_srv_ip(const struct runtime *rt, uint32_t srv, uint8_t ip[16],
                       uint8_t *alen)
{
	struct plan_addr a;

	server_addr(rt, srv, &a);
	*alen = 0;
	if (a.family == PLAN_FAM_INET) {
		memcpy(ip, &((const struct sockaddr_in *)(const void *)a.sa)->sin_addr, 4);
		*alen = 4;
	} else if (a.family == PLAN_FAM_INET6) {
		memcpy(ip, &((const struct sockaddr_in6 *)(const void *)a.sa)->sin6_addr, 16);
		*alen = 16;
	}
}

/* 1 when another server of ds's backend resolving the same name is at
 * ip now (HAProxy gives the servers of a name different addresses
 * unless resolve-opts allow-dup-ip). */
static int dns_ip_taken(const struct dns_srv *ds, const uint8_t *ip,
                        uint8_t alen)
{
	const struct runtime *rt = ds->g->rt;
	const struct plan *p = rt->plan;
	uint32_t be = p->servers[ds->r->server].proxy;
	const char *host = plan_str_get(p, ds->r->host);

	for (uint32_t i = 0; i < ds->g->nsrvs; i++) {
		const struct dns_srv *o = &ds->g->srvs[i];
		uint8_t oip[16], olen;

		if (o == ds || p->servers[o->r->server].proxy != be ||
		    rt->servers[o->r->server].dns_maint ||
		    strcasecmp(plan_str_get(p, o->r->host), host))
			continue;
		dns_srv_ip(rt, o->r->server, oip, &olen);
		if (olen == alen && !memcmp(oip, ip, alen))
			return 1;
	}
	return 0;
}

static void dns_set_maint(struct dns_srv *ds, const char *why)
{
	struct runtime *rt = ds->g->rt;
	uint32_t srv = ds->r->server;
	struct rt_server *rs = &rt->servers[srv];
	const struct plan *p = rt->plan;

	if (rs->dns_maint && rs->admin == RT_ADMIN_MAINT)
		return;
	server_say(rt, p->servers[srv].proxy, LOG_LVL_WARNING,
	           "%s/%s: DNS resolution of '%s' failed (%s): going to "
	           "maintenance", plan_str_get(p, p->proxies[p->servers[srv].proxy].name),
	           plan_str_get(p, p->servers[srv].name),
	           plan_str_get(p, ds->r->host), why);
	gen_lock(rt);
	rs->dns_maint = 1;
	if (rs->admin != RT_ADMIN_MAINT)
		(void)server_set_admin_state(rt, srv, RT_ADMIN_MAINT);
	gen_unlock(rt);
}

static uint32_t dns_next_ms(const struct plan_resolvers *pr)
{
	return pr->hold_valid > pr->timeout_resolve ? pr->hold_valid
	                                            : pr->timeout_resolve;
}

/* The round ended with addresses of family f: keep the server's address
 * when it is among them, else take the first one free. */
static void dns_success(struct dns_srv *ds, int f)
{
	struct runtime *rt = ds->g->rt;
	const struct plan_resolvers *pr = dns_sec_rec(ds);
	const struct dns_answer *a = &ds->ans[f];
	uint32_t srv = ds->r->server;
	uint8_t cur[16], clen;
	int pick = -1;

	dns_arm(ds, dns_next_ms(pr));
	dns_srv_ip(rt, srv, cur, &clen);
	for (unsigned i = 0; i < a->naddr && pick < 0; i++)
		if (a->addr[i].len == clen && !memcmp(a->addr[i].ip, cur, clen))
			pick = (int)i;
	for (unsigned i = 0; i < a->naddr && pick < 0; i++)
		if ((ds->r->flags & PLAN_SRES_F_ALLOW_DUP) ||
		    !dns_ip_taken(ds, a->addr[i].ip, a->addr[i].len))
			pick = (int)i;
	if (pick < 0) {
		dns_set_maint(ds, "no free address");
		return;
	}
	ds->last_valid = ev_now(rt->loop);
	ds->logged = DNS_ERR_NONE;
	{
		char ip[INET6_ADDRSTRLEN], port[8], msg[256];

		inet_ntop(a->addr[pick].len == 4 ? AF_INET : AF_INET6,
		          a->addr[pick].ip, ip, sizeof(ip));
		snprintf(port, sizeof(port), "%u", (unsigned)ds->r->port);
		gen_lock(rt);
		if ((clen != a->addr[pick].len ||
		     memcmp(cur, a->addr[pick].ip, clen)) &&
		    server_set_addr_by(rt, srv, ip, ds->r->port ? port : NULL,
		                       "DNS cache", msg, sizeof(msg)) == 0)
			ds->g->secs[ds->r->resolvers].ns[ds->from[f]].cnt[DNS_CNT_UPDATE]++;
		if (rt->servers[srv].dns_maint) {
			rt->servers[srv].dns_maint = 0;
			(void)server_set_admin_state(rt, srv, RT_ADMIN_READY);
		}
		gen_unlock(rt);
	}
}

/* The round ended without an address: status `e`. The server keeps its
 * address while a valid answer is younger than the hold of that status,
 * then goes to maintenance. */
static void dns_failure(struct dns_srv *ds, enum dns_err e)
{
	struct runtime *rt = ds->g->rt;
	const struct plan *p = rt->plan;
	const struct plan_resolvers *pr = dns_sec_rec(ds);
	uint32_t hold = e == DNS_ERR_NX ? pr->hold_nx :
	                e == DNS_ERR_REFUSED ? pr->hold_refused :
	                e == DNS_ERR_TIMEOUT ? pr->hold_timeout : pr->hold_other;
	uint32_t srv = ds->r->server;
	char why[32];

	dns_arm(ds, pr->timeout_resolve);
	snprintf(why, sizeof(why), "%s status", dns_err_names[e]);
	if ((ev_now(rt->loop) - ds->last_valid) * 1000. >= hold) {
		dns_set_maint(ds, why);
		return;
	}
	if (ds->logged != e && !rt->servers[srv].dns_maint)
		server_say(rt, p->servers[srv].proxy, LOG_LVL_NOTICE,
		           "%s/%s: DNS resolution of '%s' failed (%s): "
		           "keeping its address for now",
		           plan_str_get(p, p->proxies[p->servers[srv].proxy].name),
		           plan_str_get(p, p->servers[srv].name),
		           plan_str_get(p, ds->r->host), why);
	ds->logged = (uint8_t)e;
}

/* Decide whether the round is over after an answer or a timeout
 * (`timed_out`: no try left). */
static void dns_round_check(struct dns_srv *ds, int timed_out)
{
	int pref = (ds->r->flags & PLAN_SRES_F_PREFER_V4) ? 0 : 1;
	enum dns_err e;

	if (ds->have[pref] && ds->ans[pref].naddr) {
		ds->pending = 0;
		dns_success(ds, pref);
		return;
	}
	if (ds->pending && !timed_out)
		return;
	ds->pending = 0;
	if (ds->have[!pref] && ds->ans[!pref].naddr) {
		dns_success(ds, !pref);
		return;
	}
	/* the strongest reason of the two families */
	e = ds->err[pref] == DNS_ERR_NX || ds->err[!pref] == DNS_ERR_NX ?
	    DNS_ERR_NX : ds->err[pref] ? (enum dns_err)ds->err[pref] :
	    ds->err[!pref] ? (enum dns_err)ds->err[!pref] :
	    ds->have[0] || ds->have[1] ? DNS_ERR_OTHER : DNS_ERR_TIMEOUT;
	dns_failure(ds, e);
}

static void dns_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct dns_srv *ds = w->data;

	(void)loop;
	(void)revents;
	if (ds->magic != DNS_MAGIC)
		return;
	if (!ds->pending) {
		dns_round_begin(ds);
		return;
	}
	/* the try is over: the nameservers that did not answer timed out */
	for (int f = 0; f < 2; f++) {
		struct dns_sec *sec = &ds->g->secs[ds->r->resolvers];

		for (unsigned k = 0; (ds->pending & (1u << f)) && k < sec->nns; k++)
			if (!(ds->answered[f] & (1u << k)))
				sec->ns[k].cnt[DNS_CNT_TIMEOUT]++;
	}
	/* resolve_retries 0 (HAProxy accepts it): one try all the same */
	if (ds->tries < dns_sec_rec(ds)->retries) {
		dns_send_try(ds);
		return;
	}
	dns_round_check(ds, 1);
}

/* The index of the nameserver of sec `from` is (address and port), or
 * -1. */
static int dns_from_ns(const struct dns_sec *sec,
                       const struct sockaddr_storage *from, socklen_t len)
{
	for (unsigned k = 0; k < sec->nns; k++) {
		const struct sockaddr_storage *ns = &sec->ns[k].sa;

		if (ns->ss_family != from->ss_family)
			continue;
		if (ns->ss_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
			const struct sockaddr_in *a = (const void *)ns, *b = (const void *)from;

			if (a->sin_port == b->sin_port &&
			    a->sin_addr.s_addr == b->sin_addr.s_addr)
				return (int)k;
		} else if (ns->ss_family == AF_INET6 &&
		           len >= sizeof(struct sockaddr_in6)) {
			const struct sockaddr_in6 *a = (const void *)ns, *b = (const void *)from;

			if (a->sin6_port == b->sin6_port &&
			    !memcmp(&a->sin6_addr, &b->sin6_addr, 16))
				return (int)k;
		}
	}
	return -1;
}

/* One datagram from nameserver k of sec: find the query it answers. */
static void dns_answer_in(struct dns_sec *sec, unsigned k, const uint8_t *buf,
                          size_t len)
{
	struct dns_gen *g = sec->g;
	uint64_t *cnt = sec->ns[k].cnt;
	int ours = 0;
	uint16_t id;

	if (len < 2) {
		cnt[DNS_CNT_INVALID]++;
		return;
	}
	id = (uint16_t)(buf[0] << 8 | buf[1]);
	for (uint32_t i = 0; i < g->nsrvs; i++) {
		struct dns_srv *ds = &g->srvs[i];

		if (ds->r->resolvers != sec->idx)
			continue;
		for (int f = 0; f < 2; f++) {
			struct dns_answer *ans;
			enum dns_msg_result res;

			if (!(ds->pending & (1u << f)) || ds->qid[f] != id)
				continue;
			ours = 1;
			ans = &ds->ans[f];
			res = dns_msg_parse(buf, len, id,
			                    plan_str_get(g->rt->plan, ds->r->host),
			                    dns_qtype[f], ans);
			if (res == DNS_MSG_BAD)
				continue;       /* not this query's answer */
			ds->nans[f]++;
			ds->answered[f] |= 1u << k;
			if (res == DNS_MSG_OK && ans->rcode == DNS_RCODE_NOERROR) {
				cnt[DNS_CNT_VALID]++;
				ds->have[f] = 1;
				ds->from[f] = (int)k;
				ds->pending &= (uint8_t)~(1u << f);
			} else {
				enum dns_cnt c = res == DNS_MSG_TRUNCATED ?
				                 DNS_CNT_TRUNCATED :
				                 ans->rcode == DNS_RCODE_NXDOMAIN ?
				                 DNS_CNT_NX :
				                 ans->rcode == DNS_RCODE_REFUSED ?
				                 DNS_CNT_REFUSED : DNS_CNT_OTHER;

				cnt[c]++;
				ds->err[f] = c == DNS_CNT_NX ? DNS_ERR_NX :
				             c == DNS_CNT_REFUSED ? DNS_ERR_REFUSED :
				             DNS_ERR_OTHER;
				ans->naddr = 0;
				/* every nameserver said no: settled */
				if (ds->nans[f] >= sec->nns)
					ds->pending &= (uint8_t)~(1u << f);
			}
			dns_round_check(ds, 0);
			return;
		}
	}
	/* a malformed answer to a query in flight, or an answer to none
	 * (another nameserver answered first, or the try timed out) */
	cnt[ours ? DNS_CNT_INVALID : DNS_CNT_OUTDATED]++;
}

static void dns_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct dns_sec *sec = w->data;
	uint8_t buf[65536];

	(void)loop;
	(void)revents;
	if (sec->magic != DNS_MAGIC)
		return;
	for (int n = 0; n < DNS_READS_MAX; n++) {
		struct sockaddr_storage from;
		socklen_t flen = sizeof(from);
		ssize_t r = recvfrom(w->fd, buf, sizeof(buf), 0,
		                     (struct sockaddr *)&from, &flen);

		if (r < 0)
			return;         /* EAGAIN, or an ICMP error: wait on */
		int k = dns_from_ns(sec, &from, flen);

		if (k >= 0)
			dns_answer_in(sec, (unsigned)k, buf, (size_t)r);
	}
}
