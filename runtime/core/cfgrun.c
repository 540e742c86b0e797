/*
 * cfgrun.c: map a plan, open its listeners and proxy until told to stop.
 *
 *   cfgrun [-q] [-f] PLAN     run
 *   cfgrun -c [-f] PLAN       verify only, print the digest
 *
 * Signals: SIGTERM, SIGINT stop at once; SIGUSR1 stops accepting and exits
 * when the last connection ends; SIGHUP maps the plan again (reload.c).
 * They are taken by thread 0 (main()'s thread); with `nbthread N` the
 * other N - 1 threads run connections only (thread.c).
 *
 * cfgrun never parses configuration text: everything it needs is in the
 * verified plan, read straight from the read-only mapping.
 */
#include "config.h"

#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dynsrv-t.h"
#include "daemon.h"
#include "http_stream.h"
#include "listenfds.h"
#include "log.h"
#include "notify.h"
#include "ops-t.h"
#include "plan.h"
#include "precond.h"
#include "reload.h"
#include "runtime-t.h"
#include "splice.h"
#include "stats.h"
#include "stream.h"
#include "thread.h"

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

static void cfgrun_precond_report(void *arg, const char *msg)
{
	fprintf(stderr, "cfgrun: %s: precondition failed: %s\n",
	        (const char *)arg, msg);
}

/* Fast stop: close everything now. */
static void cfgrun_stop_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct ops *ops = w->data;

	(void)revents;
	log_info(ops->cur, "stopping on %s", w->signum == SIGINT ? "SIGINT" : "SIGTERM");
	notify_send("STOPPING=1");
	ev_break(loop, EVBREAK_ALL);
}

static void cfgrun_usr1_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	(void)loop;
	(void)revents;
	reload_soft_stop(w->data);
}

static void cfgrun_hup_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	(void)loop;
	(void)revents;
	(void)reload_plan(w->data);
}

/* Watch a signal with `cb`, ops as data. */
static void cfgrun_signal(struct ops *ops, ev_signal *w,
                          void (*cb)(struct ev_loop *, ev_signal *, int),
                          int signum)
{
	ev_signal_init(w, cb, signum);
	w->data = ops;
	ev_signal_start(ops->loop, w);
}

/*
 * Keep the plan's directory open when chrooting, so that a reload can
 * still read the plan (cfgc replaces it by rename in that directory).
 */
static int cfgrun_keep_plan_dir(struct ops *ops)
{
	const char *slash = strrchr(ops->plan_path, '/');
	char dir[4096];

	if (!slash) {
		snprintf(dir, sizeof(dir), ".");
		ops->plan_name = ops->plan_path;
	} else {
		size_t n = (size_t)(slash - ops->plan_path);

		if (n >= sizeof(dir)) {
			log_error("plan path too long to reload after chroot");
			return -1;
		}
		memcpy(dir, ops->plan_path, n);
		dir[n ? n : 1] = '\0';
		if (!n)
			dir[0] = '/';
		ops->plan_name = slash + 1;
	}
	ops->plan_dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (ops->plan_dirfd < 0) {
		log_error("cannot open the plan's directory %s: %s", dir,
		          strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Everything between the verified plan and the running loop, in the order
 * that matters: listeners, then the fork of `daemon` (the parent waits for
 * the rest), log, stats and notify sockets, pid file, chroot and identity,
 * then the loops of the threads (started by main() once the signals are
 * watched: no thread exists before the fork and the identity change).
 * Returns 0, or -1 after printing why.
 */
static int cfgrun_start(struct ops *ops, struct plan *plan, int *report_fd)
{
	const struct plan_global *g = plan->global;
	struct daemon_ids ids;
	struct runtime *gen;
	const char *chroot_dir = plan_str_get(plan, g->chroot);
	const char *pidfile = plan_str_get(plan, g->pidfile);

	if (daemon_resolve(plan_str_get(plan, g->user),
	                   plan_str_get(plan, g->group), g->uid, g->gid,
	                   &ids) < 0) {
		plan_close(plan);
		free(plan);
		return -1;
	}
	ops->nthreads = thread_count(g->nbthread);
	if (g->nbthread > THR_MAX)
		log_error("warning: nbthread %u: cfgrun runs at most %u threads; running %u",
		          g->nbthread, THR_MAX, ops->nthreads);
	gen = gen_new(ops, plan, NULL);
	if (!gen)
		return -1;
	ops->cur = gen;
	if (g->flags & PLAN_GLB_F_DAEMON) {
		*report_fd = daemon_fork();
		if (*report_fd < 0)
			return -1;
	}
	if (log_open_targets(plan) < 0 || stats_open(ops, plan) < 0 ||
	    notify_open() < 0)
		return -1;
	listenfds_report_unused(plan);
	if (pidfile[0] && daemon_pidfile(pidfile) < 0)
		return -1;
	if (chroot_dir[0] && cfgrun_keep_plan_dir(ops) < 0)
		return -1;
	if (daemon_drop(chroot_dir, &ids) < 0)
		return -1;
	ops->loop = ev_default_loop(EVFLAG_AUTO);
	if (!ops->loop) {
		log_error("cannot initialise the event loop (libev)");
		return -1;
	}
	ops->start_time = ev_time();
	if (thread_init_all(ops) < 0)
		return -1;
	ops->cur = NULL;
	gen_activate(ops, gen);
	stats_start(ops);
	log_start_async(ops->loop, &ops->threads[0]);
	(void)splice_mode();   /* read CFGRUN_SPLICE before any thread */
	return 0;
}

static void cfgrun_teardown(struct ops *ops)
{
	stats_close(ops);
	thread_stop_all(ops);
	while (ops->retired) {
		struct runtime *g = ops->retired;

		ops->retired = g->older;
		gen_free(g);
	}
	if (ops->cur)
		gen_free(ops->cur);
	ops->cur = NULL;
	if (ops->loop) {
		ev_prepare_stop(ops->loop, &ops->reaper);
		ev_signal_stop(ops->loop, &ops->sig_int);
		ev_signal_stop(ops->loop, &ops->sig_term);
		ev_signal_stop(ops->loop, &ops->sig_usr1);
		ev_signal_stop(ops->loop, &ops->sig_hup);
	}
	thread_free_all(ops);
	log_finish();
	if (ops->loop)
		ev_loop_destroy(ops->loop);
	ops->loop = NULL;
	notify_close();
	if (ops->plan_dirfd >= 0)
		close(ops->plan_dirfd);
	daemon_pidfile_remove();
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
	struct ops ops;
	struct plan *plan;
	const char *path = NULL;
	int quiet = 0, report_fd = -1, nfds;
	int check = 0;
	char detail[256] = "";
	char hex[65];
	enum plan_err perr;
	sigset_t sigs;
	int c;

	/* Streams of HTTP frontends run on the HTTP layer. */
	stream_http_app = &http_stream_app;

	while ((c = getopt_long(argc, argv, "f:cqvh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			path = optarg;
			break;
		case 'c':
			check = 1;
			break;
		case 'q':
			quiet = 1;
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

	plan = calloc(1, sizeof(*plan));
	if (!plan) {
		fprintf(stderr, "cfgrun: out of memory\n");
		return CFGRUN_EXIT_FAIL;
	}
	perr = plan_open_tail(path, DYNSRV_TAIL, plan, detail, sizeof(detail));
	if (perr != PLAN_E_OK) {
		const char *d = reload_detail(path, detail);

		fprintf(stderr, "cfgrun: %s: %s%s%s\n", path, plan_strerror(perr),
		        d[0] ? ": " : "", d);
		free(plan);
		return CFGRUN_EXIT_FAIL;
	}
	/* files cfgc --hermetic left for us to check (common/precond.c) */
	if (precond_check_plan(plan, cfgrun_precond_report, (void *)path)) {
		fprintf(stderr, "cfgrun: %s: not started: a file the "
		        "configuration names is missing or unusable\n", path);
		plan_close(plan);
		free(plan);
		return CFGRUN_EXIT_FAIL;
	}
	plan_digest_hex(plan->hdr->digest, hex);
	if (check) {
		printf("%s: valid plan, digest %s\n", path, hex);
		plan_close(plan);
		free(plan);
		return CFGRUN_EXIT_OK;
	}
	memset(&ops, 0, sizeof(ops));
	ops.plan_path = path;
	ops.plan_dirfd = -1;
	ops.quiet = quiet;
	if (!quiet)
		log_error("plan %s: digest %s, %u proxies, %u listeners, %u servers",
		          path, hex, plan->nproxies, plan->nlisteners,
		          plan->nservers);

	/* A signal during set-up waits until the loop can take it. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGUSR1);
	sigaddset(&sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* systemd's sockets (socket activation), before anything is opened */
	nfds = listenfds_init();
	if (nfds > 0 && !quiet)
		log_error("socket activation: systemd passed %d socket%s, fd@%d to fd@%d",
		          nfds, nfds > 1 ? "s" : "", LISTENFDS_START,
		          LISTENFDS_START + nfds - 1);
	if (cfgrun_start(&ops, plan, &report_fd) < 0) {
		cfgrun_teardown(&ops);
		return CFGRUN_EXIT_FAIL;
	}
	cfgrun_signal(&ops, &ops.sig_int, cfgrun_stop_cb, SIGINT);
	cfgrun_signal(&ops, &ops.sig_term, cfgrun_stop_cb, SIGTERM);
	cfgrun_signal(&ops, &ops.sig_usr1, cfgrun_usr1_cb, SIGUSR1);
	cfgrun_signal(&ops, &ops.sig_hup, cfgrun_hup_cb, SIGHUP);
	/* The other threads start with every signal blocked. */
	if (thread_start_all(&ops) < 0) {
		cfgrun_teardown(&ops);
		return CFGRUN_EXIT_FAIL;
	}
	/* Also undoes a mask inherited from the parent. */
	sigprocmask(SIG_UNBLOCK, &sigs, NULL);
	log_info(ops.cur, "ready: maxconn %u, %u thread%s, pid %d",
	         ops.cur->maxconn, ops.nthreads, ops.nthreads > 1 ? "s" : "",
	         (int)getpid());
	daemon_ready(report_fd);
	notify_send("READY=1");

	ev_run(ops.loop, 0);

	cfgrun_teardown(&ops);
	return CFGRUN_EXIT_OK;
}
