/*
 * ops-t.h: the process around the plan generations.
 *
 * A `struct runtime` is one plan generation: the mapped plan, its
 * listeners, its proxy and server state; its streams run on every thread
 * (thread-t.h) and count in its actconn. A reload creates a
 * new generation that takes over the listening sockets whose address did
 * not change; the old generation is "retired": it accepts nothing, its
 * streams run to their end on the old plan, and it is freed (plan
 * unmapped) when the last one ends. What outlives generations is here.
 */
#ifndef HAPC_OPS_T_H
#define HAPC_OPS_T_H

#include <ev.h>
#include <pthread.h>
#include <stdint.h>

struct runtime;
struct rt_thread;
struct stats;

struct ops {
	struct ev_loop *loop;       /* thread 0's loop (the default loop) */
	struct rt_thread *threads;  /* nthreads; [0] runs in main() */
	uint32_t nthreads;          /* 1 .. THR_MAX */
	pthread_mutex_t sync_lock;  /* guards sync_acks */
	pthread_cond_t sync_cond;   /* a thread acknowledged a switch */
	uint32_t sync_acks;         /* threads done with the last switch */
	pthread_mutex_t iso_lock;   /* guards iso_on, iso_parked (isolate.c) */
	pthread_cond_t iso_cond;    /* a thread parked or left, or release */
	uint32_t iso_parked;        /* threads parked now */
	int iso_on;                 /* 1: thread 0 wants the others parked */
	struct runtime *cur;        /* generation taking new connections */
	struct runtime *retired;    /* older generations, linked by rt->older */
	ev_prepare reaper;          /* frees retired generations without streams */
	ev_signal sig_int;          /* fast stop */
	ev_signal sig_term;         /* fast stop */
	ev_signal sig_usr1;         /* soft stop */
	ev_signal sig_hup;          /* reload */
	const char *plan_path;      /* the plan as named on the command line */
	int plan_dirfd;             /* its directory, kept to reload after chroot; -1 = none */
	const char *plan_name;      /* last path component of plan_path */
	uint32_t generation;        /* number of the newest generation */
	int stopping;               /* 1: soft stop, exit once no stream is left */
	int quiet;                  /* 1: no start-up messages */
	double start_time;          /* wall clock at start, seconds */
	uint64_t reloads;           /* reloads done */
	uint64_t reload_failures;   /* reloads refused (bad plan, bind failure) */
	uint64_t prev_cum_conn;     /* connections accepted by freed generations */
	struct stats *stats;        /* stats sockets (stats.c), NULL = none */
	ev_timer grace;             /* soft stop asked, listeners kept for
	                               `grace` (reload.c) */
	ev_timer hard_stop;         /* soft stop under way: `hard-stop-after`
	                               ends it (reload.c) */
};

#endif /* HAPC_OPS_T_H */
