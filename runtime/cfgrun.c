/*
 * cfgrun.c: map a plan, open its listeners and proxy until told to stop.
 *
 *   cfgrun [-q] [-f] PLAN     run
 *   cfgrun -c [-f] PLAN       verify only, print the digest
 *
 * cfgrun never parses configuration text: everything it needs is in the
 * verified plan, read straight from the read-only mapping.
 */
#include "config.h"

#include <ev.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "balance.h"
#include "healthcheck.h"
#include "listener.h"
#include "log.h"
#include "plan.h"
#include "pool.h"
#include "runtime-t.h"
#include "server.h"
#include "stream.h"

#define CFGRUN_EXIT_OK     0
#define CFGRUN_EXIT_FAIL   1   /* bad plan, cannot listen */
#define CFGRUN_EXIT_USAGE  2   /* bad command line */

static void cfgrun_usage(FILE *out)
{
	fputs("usage: cfgrun [-q] [-f] PLAN    run the proxy described by PLAN\n"
	      "       cfgrun -c [-f] PLAN       verify PLAN and print its digest\n"
	      "options:\n"
	      "  -f, --file PLAN   the plan to run (as made by cfgc -o)\n"
	      "  -c, --check       verify only, then exit\n"
	      "  -q, --quiet       no start-up messages (connection logs stay)\n"
	      "  -v, --version     print the version\n"
	      "  -h, --help        this help\n", out);
}

/*
 * Where the traffic of each frontend goes: its default_backend when it has
 * one, otherwise the proxy itself when it is also a backend (a listen
 * section), otherwise nowhere. This is HAProxy's order.
 */
static void cfgrun_route(struct runtime *rt)
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
 * Raise RLIMIT_NOFILE to hold maxconn streams (two sockets each) plus the
 * listeners; when the hard limit forbids it, lower maxconn instead and say
 * so.
 */
static void cfgrun_fd_limit(struct runtime *rt)
{
	rlim_t want = 2 * (rlim_t)rt->maxconn + rt->plan->nlisteners + RT_FD_MARGIN;
	struct rlimit rl, nrl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= want)
		return;
	nrl.rlim_cur = want;
	nrl.rlim_max = rl.rlim_max >= want ? rl.rlim_max : want;
	if (setrlimit(RLIMIT_NOFILE, &nrl) == 0)
		return;
	nrl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
	nrl.rlim_max = rl.rlim_max;
	(void)setrlimit(RLIMIT_NOFILE, &nrl);
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= want)
		return;
	if (rl.rlim_cur > rt->plan->nlisteners + RT_FD_MARGIN + 2) {
		uint32_t m = (uint32_t)((rl.rlim_cur - rt->plan->nlisteners -
		                         RT_FD_MARGIN) / 2);

		log_error("warning: maxconn %u lowered to %u: only %llu file descriptors allowed (RLIMIT_NOFILE)",
		          rt->maxconn, m, (unsigned long long)rl.rlim_cur);
		rt->maxconn = m;
	} else {
		log_error("warning: only %llu file descriptors allowed (RLIMIT_NOFILE); maxconn %u kept",
		          (unsigned long long)rl.rlim_cur, rt->maxconn);
	}
}

static void cfgrun_signal_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	(void)revents;
	log_info(w->data, "stopping on %s", w->signum == SIGINT ? "SIGINT" : "SIGTERM");
	ev_break(loop, EVBREAK_ALL);
}

/* Allocate the running state around the verified plan. 0 or -1. */
static int cfgrun_setup(struct runtime *rt)
{
	const struct plan *p = rt->plan;

	rt->listeners = calloc(p->nlisteners ? p->nlisteners : 1,
	                       sizeof(*rt->listeners));
	rt->proxies = calloc(p->nproxies ? p->nproxies : 1, sizeof(*rt->proxies));
	rt->servers = calloc(p->nservers ? p->nservers : 1, sizeof(*rt->servers));
	if (!rt->listeners || !rt->proxies || !rt->servers) {
		log_error("out of memory");
		return -1;
	}
	for (uint32_t i = 0; i < p->nlisteners; i++)
		rt->listeners[i].fd = -1;
	cfgrun_route(rt);
	server_init_all(rt);
	if (balance_init(rt, 0) < 0 || check_init_all(rt) < 0)
		return -1;
	rt->maxconn = p->global->maxconn ? p->global->maxconn : RT_DEFAULT_MAXCONN;
	cfgrun_fd_limit(rt);
	pool_init(&rt->stream_pool, sizeof(struct stream), 1024);
	pool_init(&rt->buf_pool, STREAM_BUFSZ, 2048);
	/* Listeners before the loop: see listener_open_all(). */
	if (listener_open_all(rt) < 0)
		return -1;
	rt->loop = ev_default_loop(EVFLAG_AUTO);
	if (!rt->loop) {
		log_error("cannot initialise the event loop (libev)");
		return -1;
	}
	listener_start_all(rt);
	check_start_all(rt);
	return 0;
}

static void cfgrun_teardown(struct runtime *rt)
{
	listener_close_all(rt);
	if (rt->loop) {
		check_free(rt);
		stream_close_all(rt);
		ev_signal_stop(rt->loop, &rt->sig_int);
		ev_signal_stop(rt->loop, &rt->sig_term);
		ev_loop_destroy(rt->loop);
		rt->loop = NULL;
	}
	check_free(rt);
	balance_free(rt);
	pool_drain(&rt->stream_pool);
	pool_drain(&rt->buf_pool);
	free(rt->listeners);
	free(rt->proxies);
	free(rt->servers);
	plan_close(rt->plan);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "file",    required_argument, NULL, 'f' },
		{ "check",   no_argument,       NULL, 'c' },
		{ "quiet",   no_argument,       NULL, 'q' },
		{ "version", no_argument,       NULL, 'v' },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct runtime rt;
	struct plan plan;
	const char *path = NULL;
	int check = 0;
	char detail[256] = "";
	char hex[65];
	enum plan_err perr;
	sigset_t stopsigs;
	int c;

	memset(&rt, 0, sizeof(rt));
	memset(&plan, 0, sizeof(plan));
	rt.plan = &plan;
	while ((c = getopt_long(argc, argv, "f:cqvh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			path = optarg;
			break;
		case 'c':
			check = 1;
			break;
		case 'q':
			rt.quiet = 1;
			break;
		case 'v':
			printf("cfgrun (%s) %s, plan format %d.%d\n", PACKAGE_NAME,
			       PACKAGE_VERSION, PLAN_VERSION_MAJOR, PLAN_VERSION_MINOR);
			return CFGRUN_EXIT_OK;
		case 'h':
			cfgrun_usage(stdout);
			return CFGRUN_EXIT_OK;
		default:
			cfgrun_usage(stderr);
			return CFGRUN_EXIT_USAGE;
		}
	}
	if (!path && optind < argc)
		path = argv[optind++];
	if (!path || optind != argc) {
		fprintf(stderr, "cfgrun: %s\n", path ? "more than one plan given" :
		        "no plan given");
		cfgrun_usage(stderr);
		return CFGRUN_EXIT_USAGE;
	}

	perr = plan_open(path, rt.plan, detail, sizeof(detail));
	if (perr != PLAN_E_OK) {
		const char *d = detail;
		size_t plen = strlen(path);

		/* I/O details start with the path: do not say it twice. */
		if (strncmp(d, path, plen) == 0 && d[plen] == ':' && d[plen + 1] == ' ')
			d += plen + 2;
		fprintf(stderr, "cfgrun: %s: %s%s%s\n", path, plan_strerror(perr),
		        d[0] ? ": " : "", d);
		return CFGRUN_EXIT_FAIL;
	}
	plan_digest_hex(rt.plan->hdr->digest, hex);
	if (check) {
		printf("%s: valid plan, digest %s\n", path, hex);
		plan_close(rt.plan);
		return CFGRUN_EXIT_OK;
	}
	log_info(&rt, "plan %s: digest %s, %u proxies, %u listeners, %u servers",
	         path, hex, rt.plan->nproxies, rt.plan->nlisteners,
	         rt.plan->nservers);

	/* A stop request during set-up waits until the loop can take it. */
	sigemptyset(&stopsigs);
	sigaddset(&stopsigs, SIGINT);
	sigaddset(&stopsigs, SIGTERM);
	sigprocmask(SIG_BLOCK, &stopsigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (cfgrun_setup(&rt) < 0) {
		cfgrun_teardown(&rt);
		return CFGRUN_EXIT_FAIL;
	}
	ev_signal_init(&rt.sig_int, cfgrun_signal_cb, SIGINT);
	ev_signal_init(&rt.sig_term, cfgrun_signal_cb, SIGTERM);
	rt.sig_int.data = rt.sig_term.data = &rt;
	ev_signal_start(rt.loop, &rt.sig_int);
	ev_signal_start(rt.loop, &rt.sig_term);
	/* Also undoes a mask inherited from the parent. */
	sigprocmask(SIG_UNBLOCK, &stopsigs, NULL);
	log_info(&rt, "ready: maxconn %u", rt.maxconn);

	ev_run(rt.loop, 0);

	cfgrun_teardown(&rt);
	return CFGRUN_EXIT_OK;
}
