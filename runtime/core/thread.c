/*
 * thread.c: starting, feeding and stopping cfgrun's threads.
 *
 * Thread 0 is main()'s own thread with the default loop; threads 1..n-1
 * each run a loop of their own until told to stop through their inbox.
 * With one thread nothing here costs anything on the data path: no lock
 * is taken (runtime.mt is 0) and no message is ever sent.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inbox.h"
#include "isolate.h"
#include "listener.h"
#include "log.h"
#include "ops-t.h"
#include "pool.h"
#include "queue.h"
#include "stats_page.h"
#include "stream.h"
#include "thread.h"

uint32_t thread_count(uint32_t nbthread)
{
	cpu_set_t set;
	int n;

	if (nbthread)
		return nbthread > THR_MAX ? THR_MAX : nbthread;
	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return 1;
	n = CPU_COUNT(&set);
	if (n < 1)
		return 1;
	return (uint32_t)n > THR_MAX ? THR_MAX : (uint32_t)n;
}

/* Streams a thread runs or will run soon. */
static uint64_t thread_load(const struct rt_thread *t)
{
	return __atomic_load_n(&t->nstreams, __ATOMIC_RELAXED) +
	       __atomic_load_n(&t->pending, __ATOMIC_RELAXED);
}

struct rt_thread *thread_target(struct rt_thread *self)
{
	struct rt_thread *best = self;
	uint64_t least, mine;

	if (self->ops->nthreads == 1)
		return self;
	least = mine = thread_load(self);
	for (uint32_t i = 0; i < self->ops->nthreads && least; i++) {
		struct rt_thread *t = &self->ops->threads[i];
		uint64_t l = thread_load(t);

		if (l < least) {
			best = t;
			least = l;
		}
	}
	/* A hand-over costs the other thread a wake-up: worth it only when
	 * this one runs clearly more (by an eighth), not for the jitter of
	 * threads that are about even. */
	if (least + mine / 8 >= mine)
		return self;
	return best;
}

/* Start the connections other threads handed to thread t. */
static void thread_take_conns(struct rt_thread *t)
{
	struct thr_conn c;

	while (inbox_take_conn(t, &c))
		stream_accept(t, c.rt, c.listener, c.fd, &c.addr, c.addrlen, &c.stk);
}

/* Tell thread 0 that this thread finished a switch. */
static void thread_ack(struct ops *ops)
{
	pthread_mutex_lock(&ops->sync_lock);
	ops->sync_acks++;
	pthread_cond_signal(&ops->sync_cond);
	pthread_mutex_unlock(&ops->sync_lock);
}

/* The inbox has something: do it, from this thread. */
static void thread_wake_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	struct rt_thread *t = w->data;
	struct stream *s;
	struct runtime *gen;
	uint32_t flags;

	(void)revents;
	thread_take_conns(t);
	while ((s = inbox_take_stream(t)))
		queue_granted(s);
	flags = inbox_take(t, &gen);
	if (flags & THR_MSG_SWITCH) {
		/* Acknowledged only once t's accept set dropped the old
		 * listeners: thread 0 may close them then (listener.c). */
		listener_watch_gen(t, gen);
		thread_ack(t->ops);
	}
	if (flags & THR_MSG_LIMITS)
		listener_watch_update(t);
	if (flags & THR_MSG_LOG)
		log_flush_async();
	if (flags & THR_MSG_ADMIN)
		stats_page_admin_run(t->ops);
	if (flags & THR_MSG_KILL)
		stream_kill_marked(t);
	if (flags & THR_MSG_SOFTCLOSE)
		stream_soft_close_thread(t);
	if (flags & THR_MSG_ISOLATE)
		isolate_park(t);
	if (flags & THR_MSG_STOP) {
		listener_watch_gen(t, NULL);
		stream_close_thread(t);
		ev_break(loop, EVBREAK_ALL);
	}
	/* THR_MSG_REAP: waking thread 0 is all; its reaper runs next. */
}

int thread_init_all(struct ops *ops)
{
	uint32_t n = ops->nthreads;

	ops->threads = calloc(n, sizeof(*ops->threads));
	if (!ops->threads) {
		log_error("out of memory for %u threads", n);
		return -1;
	}
	pthread_mutex_init(&ops->sync_lock, NULL);
	pthread_cond_init(&ops->sync_cond, NULL);
	isolate_init(ops);
	for (uint32_t i = 0; i < n; i++) {
		struct rt_thread *t = &ops->threads[i];

		t->id = i;
		t->ops = ops;
		t->loop = i == 0 ? ops->loop : ev_loop_new(EVFLAG_AUTO);
		if (!t->loop) {
			log_error("cannot create the event loop of thread %u", i);
			return -1;
		}
		/* Shared listeners: a smaller burst per thread spreads a
		 * wave of new connections over the threads. */
		t->burst = n == 1 ? RT_ACCEPT_BURST : RT_ACCEPT_BURST / (2 * n);
		if (t->burst < 4)
			t->burst = 4;
		pool_init(&t->stream_pool, sizeof(struct stream), 1024);
		pool_init(&t->buf_pool, STREAM_BUFSZ, 2048);
		pthread_mutex_init(&t->inbox_lock, NULL);
		ev_async_init(&t->wake, thread_wake_cb);
		t->wake.data = t;
		ev_async_start(t->loop, &t->wake);
		if (i == 0)
			ev_unref(t->loop);  /* thread 0 ends by ev_break only */
		if (listener_thread_init(t) < 0)
			return -1;
	}
	thread_self = &ops->threads[0];
	return 0;
}

static void *thread_main(void *arg)
{
	struct rt_thread *t = arg;
	char name[16];

	/* "cfgrun/N" in ps -L, top -H and /proc/PID/task/TID/comm */
	snprintf(name, sizeof(name), "cfgrun/%u", t->id);
	(void)pthread_setname_np(pthread_self(), name);
	thread_self = t;
	ev_run(t->loop, 0);
	return NULL;
}

int thread_start_all(struct ops *ops)
{
	sigset_t all, old;
	int err = 0;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (uint32_t i = 1; i < ops->nthreads && !err; i++) {
		struct rt_thread *t = &ops->threads[i];

		err = pthread_create(&t->tid, NULL, thread_main, t);
		if (err)
			log_error("cannot start thread %u: %s", i, strerror(err));
		else
			t->running = 1;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		thread_stop_all(ops);
		return -1;
	}
	return 0;
}

void thread_switch_all(struct ops *ops, struct runtime *gen)
{
	uint32_t waiting = 0;

	for (uint32_t i = 1; i < ops->nthreads; i++) {
		struct rt_thread *t = &ops->threads[i];

		if (t->running) {
			inbox_post_switch(t, gen);
			waiting++;
		} else {
			listener_watch_gen(t, gen);   /* not started yet */
		}
	}
	listener_watch_gen(&ops->threads[0], gen);
	/* Thread 0 holds no lock here: the others never wait for it. */
	pthread_mutex_lock(&ops->sync_lock);
	while (ops->sync_acks < waiting)
		pthread_cond_wait(&ops->sync_cond, &ops->sync_lock);
	ops->sync_acks = 0;
	pthread_mutex_unlock(&ops->sync_lock);
}

void thread_stop_all(struct ops *ops)
{
	if (!ops->threads)
		return;
	for (uint32_t i = 1; i < ops->nthreads; i++)
		if (ops->threads[i].running)
			inbox_post(&ops->threads[i], THR_MSG_STOP);
	for (uint32_t i = 1; i < ops->nthreads; i++) {
		struct rt_thread *t = &ops->threads[i];

		if (!t->running)
			continue;
		pthread_join(t->tid, NULL);
		t->running = 0;
	}
	listener_watch_gen(&ops->threads[0], NULL);
	/* Connections handed to a thread after it stopped: run by thread 0
	 * just to be closed with the others. */
	for (uint32_t i = 0; i < ops->nthreads; i++) {
		struct thr_conn c;

		while (inbox_take_conn(&ops->threads[i], &c))
			stream_accept(&ops->threads[0], c.rt, c.listener, c.fd,
			              &c.addr, c.addrlen, &c.stk);
	}
	stream_close_thread(&ops->threads[0]);
}

void thread_free_all(struct ops *ops)
{
	if (!ops->threads)
		return;
	for (uint32_t i = 0; i < ops->nthreads; i++) {
		struct rt_thread *t = &ops->threads[i];

		if (!t->loop)
			continue;
		listener_thread_free(t);
		if (i == 0)
			ev_ref(t->loop);
		ev_async_stop(t->loop, &t->wake);
		pool_drain(&t->stream_pool);
		pool_drain(&t->buf_pool);
		pool_drain(&t->work_pool);
		pthread_mutex_destroy(&t->inbox_lock);
		if (i != 0)
			ev_loop_destroy(t->loop);
		t->loop = NULL;
	}
	pthread_mutex_destroy(&ops->sync_lock);
	pthread_cond_destroy(&ops->sync_cond);
	isolate_free(ops);
	free(ops->threads);
	ops->threads = NULL;
	thread_self = NULL;
}

void thread_note_drained(struct ops *ops)
{
	if (thread_self != &ops->threads[0])
		inbox_post(&ops->threads[0], THR_MSG_REAP);
}
