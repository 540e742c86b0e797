/*
 * thread-t.h: the threads of cfgrun, each running its own libev loop.
 *
 * With `nbthread N`, cfgrun runs N threads. Every thread accepts on every
 * listening socket of the current plan generation (the losers of an accept
 * race get EAGAIN) and runs the streams it accepted from start to end, with
 * its own pools. A thread does not hand the listening sockets to its libev
 * loop: it keeps them in an epoll instance of its own (its accept set, one
 * descriptor its loop watches) that it adds them to and removes them from
 * itself, at once (listener.c says why). The plan is read-only and shared; the running state of a
 * generation (servers, queues, balancing, counters) is shared too and
 * changed under the generation's lock (runtime-t.h), held briefly at
 * accept, server choice, connect and stream end: bytes move without it.
 *
 * The thread that accepts a connection is not always the one that runs
 * it: it hands it to the thread running the fewest streams (HAProxy's
 * accept queues do the same), through that thread's ring of accepted
 * connections, so that a wave of connections woken on one thread's loop
 * spreads over all of them.
 *
 * Thread 0 runs the default loop and everything that is not a stream:
 * signals, health checks, the stats socket, reloads, log flushing. Work
 * one thread makes for another (a queued stream granted a slot, a change
 * of the listeners to watch, a stop) goes through the receiver's inbox and
 * wakes its loop with an ev_async.
 */
#ifndef HAPC_THREAD_T_H
#define HAPC_THREAD_T_H

#include <ev.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/socket.h>

#include "pool-t.h"
#include "stktable-t.h"

#define THR_MAX            64u          /* threads at most (nbthread) */
#define THR_FDS            3u           /* descriptors of each thread: its
                                           loop's epoll and eventfd, its
                                           accept set */
#define THR_LSN_MAGIC      0x544c534eu  /* "TLSN" */
#define THR_RING           64u          /* accepted connections waiting
                                           for their thread, per thread */

/* Inbox flags: what a thread is asked to do (bits of rt_thread.inbox_flags). */
#define THR_MSG_LIMITS     0x01u        /* re-check which listeners to watch */
#define THR_MSG_SWITCH     0x02u        /* watch switch_to's listeners */
#define THR_MSG_STOP       0x04u        /* close every stream, leave the loop */
#define THR_MSG_REAP       0x08u        /* thread 0: look for generations to free */
#define THR_MSG_LOG        0x10u        /* thread 0: flush buffered log output */
#define THR_MSG_ADMIN      0x20u        /* thread 0: apply the stats page's
                                           admin changes (stats_page.c) */
#define THR_MSG_KILL       0x40u        /* end the streams whose server's
                                           kill_seq moved (on-marked-down,
                                           on-marked-up, shutdown
                                           session) */
#define THR_MSG_ISOLATE    0x80u        /* park until thread 0 is done
                                           reading (isolate.c) */
#define THR_MSG_SOFTCLOSE  0x100u       /* a generation started closing
                                           its HTTP clients (http_stop.h) */

struct ops;
struct runtime;
struct stream;
struct rt_thread;

/* One thread's view of one listener of the generation it watches. */
struct thr_lsn {
	uint32_t magic;             /* THR_LSN_MAGIC */
	uint32_t index;             /* plan listener index */
	int fd;                     /* the listening socket, -1 = not open */
	int armed;                  /* 1: in the thread's accept set now */
};

/* A connection accepted by one thread for another one to run. */
struct thr_conn {
	struct runtime *rt;         /* generation; counted in its actconn */
	uint32_t listener;          /* plan listener index */
	int fd;                     /* accepted socket, owned */
	struct sockaddr_storage addr; /* client address */
	socklen_t addrlen;          /* bytes of addr */
	struct stk_ctrs stk;        /* what its tcp-request connection rules
	                               track, handed to the stream */
};

struct srv_idle;

struct rt_thread {
	struct ev_loop *loop;       /* thread 0: the default loop */
	uint32_t id;                /* 0 .. nthreads - 1 */
	int running;                /* 1: pthread created, not joined yet */
	pthread_t tid;              /* valid while running */
	struct ops *ops;
	struct stream *streams;     /* live streams of this thread, every
	                               generation, doubly linked */
	struct pool stream_pool;    /* struct stream objects */
	struct pool buf_pool;       /* STREAM_BUFSZ buffers */
	struct pool work_pool;      /* HTTP requests' work memory (struct
	                               http_work), sized by the HTTP layer
	                               at its first request (size 0 until
	                               then) */
	struct srv_idle *idle;      /* server connections kept between HTTP
	                               requests (srv_idle.c), newest first */
	struct srv_idle *idle_tail; /* oldest of idle, NULL = none */
	uint32_t nidle;             /* entries in idle (written by this
	                               thread only, read by all: atomics) */
	uint32_t nkept;             /* streams of this thread keeping their
	                               server connection for the client's
	                               next request (kept_srv; same rule) */
	struct thr_lsn *lsn;        /* lsn_gen's listeners, plan order */
	struct runtime *lsn_gen;    /* generation watched, NULL = none */
	int accept_set;             /* epoll instance holding the armed
	                               listeners (listener.c), -1 = none */
	uint32_t narmed;            /* listeners in accept_set */
	ev_io accept_io;            /* accept_set readable; active while
	                               narmed > 0 */
	uint32_t burst;             /* accepts per readable event */
	int accept_paused;          /* 1: out of descriptors, retry timer runs */
	ev_timer accept_retry;      /* resumes accepting after a pause */
	uint64_t accepted;          /* connections accepted (atomic: show activity) */
	uint64_t nstreams;          /* live streams now (atomic) */
	uint64_t granted_remote;    /* queued streams given a slot by another
	                               thread (atomic) */
	uint64_t handed;            /* connections it accepted for another
	                               thread (atomic) */
	uint64_t pending;           /* connections in `ring` (atomic) */
	ev_async wake;              /* the inbox has something */
	pthread_mutex_t inbox_lock; /* guards the fields below */
	uint32_t inbox_flags;       /* THR_MSG_* */
	struct stream *inbox;       /* streams granted a slot (or sent back
	                               to the balancer) by another thread */
	struct runtime *switch_to;  /* THR_MSG_SWITCH: generation to watch */
	uint32_t ring_head;         /* oldest entry of ring */
	uint32_t ring_len;          /* entries in ring, <= THR_RING */
	struct thr_conn ring[THR_RING]; /* connections handed to this thread */
};

#endif /* HAPC_THREAD_T_H */
