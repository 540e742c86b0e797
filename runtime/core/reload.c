/*
 * reload.c: plan generations, reload and soft stop.
 *
 * No connection is refused by a reload: a listening socket whose address
 * stays is never closed, only handed from one generation to the next
 * while every thread moves its watcher from the old generation's listener
 * to the new one's, so connections waiting in its accept queue are taken
 * by the new plan. Streams keep their generation (s->rt) and with it the
 * old plan's mapping and counters until they end, on whatever thread runs
 * them; thread 0 frees a retired generation once its actconn is 0.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "balance.h"
#include "dns.h"
#include "dynsrv.h"
#include "healthcheck.h"
#include "inbox.h"
#include "http_conf.h"
#include "http_rules.h"
#include "http_logfmt.h"
#include "listener.h"
#include "log.h"
#include "notify.h"
#include "pool.h"
#include "precond.h"
#include "plan_live.h"
#include "ratelimit.h"
#include "reload.h"
#include "stktable.h"
#include "server.h"
#include "stats.h"
#include "stream.h"
#include "thread.h"
#include "tls.h"
#include "tls_server.h"

/*
 * Where the traffic of each frontend goes: its default_backend when it has
 * one, otherwise the proxy itself when it is also a backend (a listen
 * section), otherwise nowhere. This is HAProxy's order.
 */
static void gen_route(struct runtime *rt)
{
	for (uint32_t i = 0; i < rt->plan->nproxies; i++) {
		const struct plan_proxy *px = &rt->plan->proxies[i];

		if (px->default_backend != PLAN_NONE)
			rt->proxies[i].backend = px->default_backend;
		else if (px->cap & PLAN_CAP_BE)
			rt->proxies[i].backend = i;
		else
			rt->proxies[i].backend = PLAN_NONE;
	}
}

/*
 * Each backend's fullconn: the plan's, else HAProxy's default, a tenth
 * (rounded up, at least 1) of the sum of the maxconn of the frontends
 * that may send it traffic: through their default backend (a listen
 * section without one: itself) or a use_backend rule naming it (each
 * frontend counted once per backend; use_backend with a dynamic name
 * counts for nothing). A frontend without maxconn counts the global one,
 * as cfgrun runs it (rt->maxconn, after the descriptor limit).
 */
static void gen_fullconn(struct runtime *rt)
{
	const struct plan *p = rt->plan;
	uint64_t *sum = calloc(p->nproxies ? p->nproxies : 1, sizeof(*sum));

	for (uint32_t i = 0; sum && i < p->nproxies; i++) {
		const struct plan_proxy *fe = &p->proxies[i];
		uint32_t max = fe->maxconn ? fe->maxconn : rt->maxconn;
		uint32_t def = fe->default_backend != PLAN_NONE ?
		               fe->default_backend :
		               (fe->cap & PLAN_CAP_BE) ? i : PLAN_NONE;

		if (!(fe->cap & PLAN_CAP_FE))
			continue;
		if (def != PLAN_NONE)
			sum[def] += max;
		for (uint32_t r = 0; r < p->nrules; r++) {
			const struct plan_rule *ru = &p->rules[r];
			uint32_t k = 0;

			if (ru->proxy != i || ru->action != PLAN_RULE_USE_BACKEND ||
			    ru->backend == PLAN_NONE ||
			    ru->backend == fe->default_backend)
				continue;
			/* only the first rule naming a backend counts it */
			while (k < r && !(p->rules[k].proxy == i &&
			                  p->rules[k].action == PLAN_RULE_USE_BACKEND &&
			                  p->rules[k].backend == ru->backend))
				k++;
			if (k == r)
				sum[ru->backend] += max;
		}
	}
	for (uint32_t i = 0; i < p->nproxies; i++) {
		uint64_t f = p->proxies[i].fullconn;

		if (!(p->proxies[i].cap & PLAN_CAP_BE))
			continue;
		if (!f)
			f = sum ? (sum[i] + 9) / 10 : 1;
		rt->proxies[i].fullconn = f ? (f > UINT32_MAX ? UINT32_MAX :
		                               (uint32_t)f) : 1;
	}
	free(sum);
}

/* How many idle server connections the descriptor limit `nofile` allows
 * (HAProxy's default pool-low-fd-ratio 20 and pool-high-fd-ratio 25). */
static void gen_idle_limits(struct runtime *rt, rlim_t nofile)
{
	if (nofile == RLIM_INFINITY || nofile > UINT32_MAX)
		nofile = UINT32_MAX;
	rt->idle_fd_low = (uint32_t)(nofile / 5);
	rt->idle_fd_high = (uint32_t)(nofile / 4);
}

/*
 * Descriptors a generation holds besides its streams' two sockets each,
 * counted as HAProxy counts its maxsock: the listeners, each thread's
 * own (THR_FDS), one socket per health-checked server (a check in flight),
 * each stats socket and the clients it serves at once, two UDP sockets
 * per resolvers section (IPv4 and IPv6 nameservers), and a margin for
 * stdio, logs and the plan file. Left out, a burst at maxconn takes the
 * checks' descriptors: streams then fail to reach their server ("cannot
 * create a socket") and checks mark live servers down.
 */
static rlim_t gen_fd_fixed(const struct plan *p, unsigned nthreads)
{
	rlim_t n = p->nlisteners + RT_FD_MARGIN + (rlim_t)THR_FDS * nthreads;

	for (uint32_t i = 0; i < p->nservers; i++)
		if (p->servers[i].flags & PLAN_SRV_F_CHECK)
			n++;
	n += (rlim_t)p->global->nstats * (1 + STATS_MAX_CLIENTS);
	n += (rlim_t)p->nresolvers * 2;
	return n;
}

/*
 * Raise RLIMIT_NOFILE to hold maxconn streams (two sockets each) plus the
 * descriptors of gen_fd_fixed(), or set it to
 * `ulimit-n` when the plan gives one; when the hard limit forbids enough
 * for maxconn, lower maxconn instead and say so, or, with strict-limits,
 * return -1 (the generation is refused). A listener is one descriptor
 * whatever the threads (they share it, thread-t.h).
 */
static int gen_fd_limit(struct runtime *rt, unsigned nthreads)
{
	const struct plan_global *g = rt->plan->global;
	const rlim_t fixed = gen_fd_fixed(rt->plan, nthreads);
	rlim_t want = 2 * (rlim_t)rt->maxconn + fixed;
	rlim_t set = g->ulimit_n ? (rlim_t)g->ulimit_n : want;
	int strict = (g->flags & PLAN_GLB_F_STRICT_LIMITS) != 0;
	struct rlimit rl, nrl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 0;
	gen_idle_limits(rt, rl.rlim_cur);
	if (rl.rlim_cur < set || (g->ulimit_n && rl.rlim_cur != set)) {
		nrl.rlim_cur = set;
		nrl.rlim_max = rl.rlim_max >= set ? rl.rlim_max : set;
		if (setrlimit(RLIMIT_NOFILE, &nrl) < 0) {
			nrl.rlim_cur = rl.rlim_max < set ? rl.rlim_max : set;
			nrl.rlim_max = rl.rlim_max;
			(void)setrlimit(RLIMIT_NOFILE, &nrl);
		}
		if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
			return 0;
		gen_idle_limits(rt, rl.rlim_cur);
	}
	if (g->ulimit_n && rl.rlim_cur < set && strict) {
		log_error("strict-limits: cannot set the descriptor limit to ulimit-n %u (%llu allowed)",
		          g->ulimit_n, (unsigned long long)rl.rlim_cur);
		return -1;
	}
	if (rl.rlim_cur >= want)
		return 0;
	if (strict) {
		log_error("strict-limits: maxconn %u needs %llu file descriptors, only %llu allowed (RLIMIT_NOFILE)",
		          rt->maxconn, (unsigned long long)want,
		          (unsigned long long)rl.rlim_cur);
		return -1;
	}
	if (rl.rlim_cur > fixed + 2) {
		uint32_t m = (uint32_t)((rl.rlim_cur - fixed) / 2);

		log_error("warning: maxconn %u lowered to %u: only %llu file descriptors allowed (RLIMIT_NOFILE)",
		          rt->maxconn, m, (unsigned long long)rl.rlim_cur);
		rt->maxconn = m;
	} else {
		log_error("warning: only %llu file descriptors allowed (RLIMIT_NOFILE); maxconn %u kept",
		          (unsigned long long)rl.rlim_cur, rt->maxconn);
	}
	return 0;
}

int reload_same_addr(const struct plan_addr *a, const struct plan_addr *b)
{
	return a->family == b->family && a->proto == b->proto &&
	       a->salen == b->salen && a->fd == b->fd &&
	       memcmp(a->sa, b->sa, a->salen) == 0;
}

/* The open listener of `old` with the address of new listener `pl` that
 * no listener of `gen` took yet, or NULL. */
static const struct rt_listener *gen_find_old(const struct runtime *old,
                                              const struct runtime *gen,
                                              const struct plan_listener *pl)
{
	if (!old)
		return NULL;
	for (uint32_t j = 0; j < old->plan->nlisteners; j++) {
		const struct rt_listener *ol = &old->listeners[j];
		int taken = 0;

		if (ol->fd < 0 || !reload_same_addr(&old->plan->listeners[j].addr,
		                                 &pl->addr))
			continue;
		for (uint32_t i = 0; i < gen->plan->nlisteners && !taken; i++)
			taken = gen->listeners[i].fd == ol->fd;
		if (!taken)
			return ol;
	}
	return NULL;
}

/* 1 when listener `i` of gen holds a socket of `old` (taken over). */
static int gen_is_taken(const struct runtime *gen, uint32_t i,
                        const struct runtime *old)
{
	if (!old || gen->listeners[i].fd < 0)
		return 0;
	for (uint32_t j = 0; j < old->plan->nlisteners; j++)
		if (old->listeners[j].fd == gen->listeners[i].fd)
			return 1;
	return 0;
}

/* Bytes of a generation's server array (one entry at least). */
static size_t gen_servers_len(const struct plan *p)
{
	uint32_t n = dynsrv_nrecords(p);

	return (n ? n : 1) * sizeof(struct rt_server);
}

/* Free the state of a generation that has no watcher running. */
static void gen_release(struct runtime *gen)
{
	check_free(gen);
	dns_free(gen);
	server_addr_free(gen);
	balance_free(gen);
	http_rules_gen_free(gen);
	http_logfmt_gen_free(gen);
	stk_gen_free(gen);
	tls_gen_free(gen);
	tls_server_gen_free(gen);
	pool_drain(&gen->buf_pool);
	pthread_mutex_destroy(&gen->lock);
	free(gen->listeners);
	free(gen->proxies);
	if (gen->servers)
		plan_mem_free(gen->servers, gen_servers_len(gen->plan));
	dynsrv_gen_free(gen);
	plan_close(gen->plan);
	free(gen->plan);
	free(gen);
}

struct runtime *gen_new(struct ops *ops, struct plan *plan,
                        struct runtime *old)
{
	struct runtime *gen = calloc(1, sizeof(*gen));
	const struct plan *p = plan;

	if (!gen) {
		log_error("out of memory for a new plan generation");
		plan_close(plan);
		free(plan);
		return NULL;
	}
	pthread_mutex_init(&gen->lock, NULL);
	gen->mt = ops->nthreads > 1;
	gen->plan = plan;
	gen->loop = ops->loop;
	gen->quiet = ops->quiet;
	gen->generation = ops->generation + 1;
	/* room for servers added on the stats socket: first, as it moves
	 * the plan's server table to a writable copy */
	if (dynsrv_gen_init(gen) < 0) {
		log_error("out of memory for a new plan generation");
		gen_release(gen);
		return NULL;
	}
	gen->listeners = calloc(p->nlisteners ? p->nlisteners : 1,
	                        sizeof(*gen->listeners));
	gen->proxies = calloc(p->nproxies ? p->nproxies : 1, sizeof(*gen->proxies));
	/* a big array: populated at once, not one page fault per 4 KiB */
	gen->servers = plan_mem_alloc(gen_servers_len(p));
	pool_init(&gen->buf_pool, STREAM_BUFSZ, 64);
	if (!gen->listeners || !gen->proxies || !gen->servers) {
		log_error("out of memory for a new plan generation");
		gen_release(gen);
		return NULL;
	}
	gen_route(gen);
	/* Per-generation state of the other modules: servers' state and
	 * weights, balancing pools, health checks (started in
	 * gen_activate(), once the loop exists). */
	server_init_all(gen);
	if (check_init_all(gen) < 0 || dns_init(gen) < 0) {
		gen_release(gen);
		return NULL;
	}
	if (old) {
		server_carry_state(gen, old);
		dynsrv_carry(gen, old);
	} else
		server_load_state_file(gen);
	if (balance_init(gen, 0) < 0) {
		gen_release(gen);
		return NULL;
	}
	{
		char err[256];

		if (http_rules_gen_init(gen, err, sizeof(err)) < 0) {
			log_error("cannot compile the plan's regexes: %s", err);
			gen_release(gen);
			return NULL;
		}
		if (old && old->live) {
			/* map and ACL files changed on the stats socket whose
			 * content in the plan did not */
			uint32_t kept = plan_live_carry(gen->live, old->live);

			if (kept)
				log_info(gen, "reload: run-time changes of %u map/ACL file(s) kept (files unchanged)",
				         kept);
		}
		if (http_logfmt_gen_init(gen, err, sizeof(err)) < 0) {
			log_error("cannot set up the plan's log formats: %s", err);
			gen_release(gen);
			return NULL;
		}
		if (stk_gen_init(gen, old, err, sizeof(err)) < 0) {
			log_error("%s", err);
			gen_release(gen);
			return NULL;
		}
		if (tls_gen_init(gen, err, sizeof(err)) < 0 ||
		    tls_server_gen_init(gen, err, sizeof(err)) < 0) {
			log_error("cannot set up TLS: %s", err);
			gen_release(gen);
			return NULL;
		}
		if (http_plan_runnable(p, err, sizeof(err)) < 0) {
			log_error("%s", err);
			gen_release(gen);
			return NULL;
		}
	}
	gen->maxconn = p->global->maxconn ? p->global->maxconn : RT_DEFAULT_MAXCONN;
	if (gen_fd_limit(gen, ops->nthreads) < 0) {
		gen_release(gen);
		return NULL;
	}
	gen->hard_maxconn = gen->maxconn;
	for (uint32_t i = 0; i < p->nproxies; i++)
		gen->proxies[i].maxconn = p->proxies[i].maxconn;
	gen_fullconn(gen);
	for (uint32_t i = 0; i < p->nlisteners; i++) {
		const struct rt_listener *ol = gen_find_old(old, gen, &p->listeners[i]);
		struct rt_listener *l = &gen->listeners[i];

		l->fd = -1;
		if (!ol)
			continue;
		l->fd = ol->fd;
		l->unlink_path = ol->unlink_path;
		l->index = i;
		l->rt = gen;
		l->magic = RT_LISTENER_MAGIC;
	}
	/* Listeners before the loop: see listener_open_all(). Those taken
	 * over are skipped there. */
	if (listener_open_all(gen) < 0) {
		for (uint32_t i = 0; i < p->nlisteners; i++)
			if (gen_is_taken(gen, i, old))
				gen->listeners[i].fd = -1;
		listener_close_all(gen);
		gen_release(gen);
		return NULL;
	}
	return gen;
}

/* Total connections accepted by a generation (takes its lock). */
static uint64_t gen_cum_conn(struct runtime *gen)
{
	uint64_t n = 0;

	gen_lock(gen);
	for (uint32_t i = 0; i < gen->plan->nproxies; i++)
		n += gen->proxies[i].cum_conn;
	gen_unlock(gen);
	return n;
}

/* Streams alive in generation `gen` (takes its lock). */
static uint32_t gen_actconn(struct runtime *gen)
{
	uint32_t n;

	gen_lock(gen);
	n = gen->actconn;
	gen_unlock(gen);
	return n;
}

/* From now on the thread ending gen's last stream wakes thread 0. */
static void gen_drain(struct runtime *gen)
{
	gen_lock(gen);
	gen->draining = 1;
	gen_unlock(gen);
}

static void reload_reaper_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct ops *ops = w->data;
	struct runtime **pp = &ops->retired;

	(void)revents;
	while (*pp) {
		struct runtime *gen = *pp;

		if (gen_actconn(gen)) {
			pp = &gen->older;
			continue;
		}
		*pp = gen->older;
		log_info(ops->cur, "plan generation %u released: its last connection ended",
		         gen->generation);
		gen_free(gen);
	}
	if (ops->stopping && !ops->retired && (!ops->cur || !gen_actconn(ops->cur))) {
		log_info(ops->cur, "soft stop: every connection ended");
		ev_break(loop, EVBREAK_ALL);
	}
	if (!ops->retired && !ops->stopping)
		ev_prepare_stop(loop, w);
}

/* Watch for retired generations to free (and the end of a soft stop). */
static void reload_reaper_start(struct ops *ops)
{
	if (!ev_is_active(&ops->reaper)) {
		ev_prepare_init(&ops->reaper, reload_reaper_cb);
		ops->reaper.data = ops;
		ev_prepare_start(ops->loop, &ops->reaper);
	}
}

/*
 * Start closing gen's HTTP client connections over window_ms from now
 * (http_stop.h); a generation already closing keeps its window. The
 * threads learn it from reload_soft_close_post(). Thread 0.
 */
static void gen_soft_close(struct ops *ops, struct runtime *gen,
                           uint32_t window_ms)
{
	uint64_t end;

	if (__atomic_load_n(&gen->close_end_ms, __ATOMIC_RELAXED))
		return;
	gen->close_window_ms = window_ms;
	end = (uint64_t)(ev_now(ops->loop) * 1000.0) + window_ms;
	__atomic_store_n(&gen->close_end_ms, end, __ATOMIC_RELEASE);
}

/* Every thread looks at its streams of closing generations. */
static void reload_soft_close_post(struct ops *ops)
{
	for (uint32_t i = 0; i < ops->nthreads; i++)
		inbox_post(&ops->threads[i], THR_MSG_SOFTCLOSE);
}

void gen_activate(struct ops *ops, struct runtime *gen)
{
	struct runtime *old = ops->cur;

	gen->loop = ops->loop;
	ops->generation = gen->generation;
	ratelimit_plan(gen->plan->global, old ? old->plan->global : NULL);
	/* Every thread watches the new listeners now, none the old ones. */
	thread_switch_all(ops, gen);
	if (old) {
		/* Hand the shared sockets over: the fd stays open, its accept
		 * queue is served by the new generation. */
		for (uint32_t j = 0; j < old->plan->nlisteners; j++) {
			struct rt_listener *ol = &old->listeners[j];

			for (uint32_t i = 0; ol->fd >= 0 && i < gen->plan->nlisteners; i++) {
				if (gen->listeners[i].fd != ol->fd)
					continue;
				ol->fd = -1;
				ol->unlink_path = 0;
				ol->magic = 0;
			}
		}
	}
	check_start_all(gen);
	dns_start(gen);
	ops->cur = gen;
	if (!old)
		return;
	/* Addresses gone from the new plan. The old servers are no longer
	 * checked: the new plan's checks decide from now on. */
	listener_close_all(old);
	check_free(old);
	dns_free(old);
	gen_drain(old);
	ops->prev_cum_conn += gen_cum_conn(old);
	old->older = ops->retired;
	ops->retired = old;
	reload_reaper_start(ops);
	/* close-spread-time in the old plan: its keep-alive clients are
	 * moved to the new plan over that window, as HAProxy's old process
	 * closes them; without it they go on until they end. */
	if (old->plan->ops && old->plan->ops->close_spread_ms) {
		log_error("plan generation %u: closing its HTTP client connections over %u ms (close-spread-time)",
		          old->generation, (unsigned)old->plan->ops->close_spread_ms);
		gen_soft_close(ops, old, old->plan->ops->close_spread_ms);
		reload_soft_close_post(ops);
	}
}

void gen_free(struct runtime *gen)
{
	listener_close_all(gen);
	gen_release(gen);
}

const char *reload_detail(const char *path, const char *detail)
{
	size_t plen = strlen(path);

	if (strncmp(detail, path, plen) == 0 && detail[plen] == ':' &&
	    detail[plen + 1] == ' ')
		return detail + plen + 2;
	return detail;
}

static void reload_precond_report(void *arg, const char *msg)
{
	(void)arg;
	log_error("reload refused: precondition failed: %s", msg);
}

/* Map the plan again into a new heap struct; NULL after printing why. */
static struct plan *reload_open(struct ops *ops)
{
	struct plan *p = calloc(1, sizeof(*p));
	char detail[256] = "";
	enum plan_err e;
	int cwd = -1;

	if (!p) {
		log_error("reload refused: out of memory");
		return NULL;
	}
	if (ops->plan_dirfd >= 0) {
		/* Chrooted: the plan's directory is outside; go through the
		 * descriptor kept from before the chroot. */
		cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (cwd < 0 || fchdir(ops->plan_dirfd) < 0) {
			log_error("reload refused: cannot reach the plan's directory: %s; keeping plan generation %u",
			          strerror(errno), ops->generation);
			if (cwd >= 0)
				close(cwd);
			free(p);
			return NULL;
		}
		e = plan_open_tail(ops->plan_name, DYNSRV_TAIL, p, detail, sizeof(detail));
		if (fchdir(cwd) < 0)
			(void)chdir("/");
		close(cwd);
	} else {
		e = plan_open_tail(ops->plan_path, DYNSRV_TAIL, p, detail, sizeof(detail));
	}
	if (e != PLAN_E_OK) {
		log_error("reload refused: %s: %s%s%s; keeping plan generation %u",
		          ops->plan_path, plan_strerror(e), detail[0] ? ": " : "",
		          reload_detail(ops->plan_path, detail), ops->generation);
		free(p);
		return NULL;
	}
	/* the files the new plan needs, checked before anything switches */
	if (precond_check_plan(p, reload_precond_report, NULL)) {
		log_error("reload refused: a file the new plan names is missing "
		          "or unusable; keeping plan generation %u",
		          ops->generation);
		plan_close(p);
		free(p);
		return NULL;
	}
	return p;
}

int reload_plan(struct ops *ops)
{
	struct plan *p;
	struct runtime *gen;
	struct timespec ts;
	char msg[96], hex[65];

	if (ops->stopping) {
		log_error("reload ignored: soft stop in progress");
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%llu",
	         (unsigned long long)ts.tv_sec * 1000000ULL +
	         (unsigned long long)ts.tv_nsec / 1000ULL);
	notify_send(msg);
	p = reload_open(ops);
	if (p && log_open_targets(p) < 0) {
		plan_close(p);
		free(p);
		p = NULL;
	}
	gen = p ? gen_new(ops, p, ops->cur) : NULL;
	if (!gen) {
		if (p)
			log_error("reload refused: the new plan's listeners cannot be opened; keeping plan generation %u",
			          ops->generation);
		ops->reload_failures++;
		notify_send("READY=1");
		return -1;
	}
	gen_activate(ops, gen);
	if (thread_count(gen->plan->global->nbthread) != ops->nthreads)
		log_error("warning: the new plan's nbthread takes effect at the next start; still running %u thread%s",
		          ops->nthreads, ops->nthreads > 1 ? "s" : "");
	if (ops->stats || gen->plan->global->nstats)
		stats_reload(ops, gen->plan);
	ops->reloads++;
	plan_digest_hex(gen->plan->hdr->digest, hex);
	log_error("reloaded plan %s (generation %u: %u proxies, %u listeners, %u servers)",
	          hex, gen->generation, gen->plan->nproxies,
	          gen->plan->nlisteners, gen->plan->nservers);
	notify_send("READY=1");
	return 0;
}

/* hard-stop-after: the soft stop lasted too long; what is left is
 * closed as a fast stop would. */
static void reload_hard_stop_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ops *ops = w->data;

	(void)revents;
	log_error("hard-stop-after: soft stop still waiting for %u connection(s); closing them",
	          reload_actconn(ops));
	ev_break(loop, EVBREAK_ALL);
}

/* The soft stop proper: listeners closed, streams left to end (at most
 * `hard-stop-after` more). */
static void reload_stop_now(struct ops *ops)
{
	const struct plan_ops *po = ops->cur ? ops->cur->plan->ops : NULL;
	uint32_t spread = 0;

	if (ops->stopping)
		return;
	ops->stopping = 1;
	notify_send("STOPPING=1");
	if (ops->cur) {
		thread_switch_all(ops, NULL);
		listener_close_all(ops->cur);
		gen_drain(ops->cur);
	}
	/* Said once it is true: a client that connects after reading it is
	 * refused, not taken into a backlog about to be reset. */
	log_error("soft stop: listeners closed, waiting for %u connection(s) to end",
	          reload_actconn(ops));
	stats_close(ops);
	reload_reaper_start(ops);
	/* HTTP clients: idle ones closed, busy ones told to close with
	 * their next response; over close-spread-time, else over
	 * hard-stop-after, else at once (as HAProxy). */
	if (po)
		spread = po->close_spread_ms ? po->close_spread_ms :
		         po->hard_stop_after_ms;
	if (po && (po->flags & PLAN_OPS_F_SPREAD_INFINITE)) {
		log_error("soft stop: close-spread-time infinite: HTTP client connections end by themselves");
	} else {
		if (spread)
			log_error("soft stop: closing HTTP client connections over %u ms",
			          (unsigned)spread);
		if (ops->cur)
			gen_soft_close(ops, ops->cur, spread);
		for (struct runtime *g = ops->retired; g; g = g->older)
			gen_soft_close(ops, g, spread);
		reload_soft_close_post(ops);
	}
	if (po && po->hard_stop_after_ms) {
		ev_timer_init(&ops->hard_stop, reload_hard_stop_cb,
		              po->hard_stop_after_ms / 1000.0, 0.);
		ops->hard_stop.data = ops;
		ev_timer_start(ops->loop, &ops->hard_stop);
	}
}

static void reload_grace_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	reload_stop_now(w->data);
}

void reload_soft_stop(struct ops *ops)
{
	const struct plan_ops *po = ops->cur ? ops->cur->plan->ops : NULL;

	if (ops->stopping || ev_is_active(&ops->grace))
		return;
	if (po && po->grace_ms) {
		/* HAProxy's grace: keep accepting a while, so that a load
		 * balancer in front notices the stop before the refusals. */
		log_error("soft stop: still accepting for grace %u ms",
		          (unsigned)po->grace_ms);
		ev_timer_init(&ops->grace, reload_grace_cb, po->grace_ms / 1000.0, 0.);
		ops->grace.data = ops;
		ev_timer_start(ops->loop, &ops->grace);
		return;
	}
	reload_stop_now(ops);
}

uint32_t reload_actconn(const struct ops *ops)
{
	uint32_t n = ops->cur ? gen_actconn(ops->cur) : 0;

	for (struct runtime *g = ops->retired; g; g = g->older)
		n += gen_actconn(g);
	return n;
}

uint64_t reload_cum_conn(const struct ops *ops)
{
	return ops->prev_cum_conn + (ops->cur ? gen_cum_conn(ops->cur) : 0);
}
