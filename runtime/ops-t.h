/*
 * ops-t.h: the process around the plan generations.
 *
 * A `struct runtime` is one plan generation: the mapped plan, its
 * listeners, its proxy and server state, its streams. A reload creates a
 * new generation that takes over the listening sockets whose address did
 * not change; the old generation is "retired": it accepts nothing, its
 * streams run to their end on the old plan, and it is freed (plan
 * unmapped) when the last one ends. What outlives generations is here.
 */
#ifndef HAPC_OPS_T_H
#define HAPC_OPS_T_H

#include <ev.h>
#include <stdint.h>

struct runtime;
struct stats;

struct ops {
	struct ev_loop *loop;       /* the one event loop */
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
};

#endif /* HAPC_OPS_T_H */
