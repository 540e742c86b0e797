/*
 * queue.c: server slots and the queues of streams waiting for one.
 *
 * A slot is one of a server's `maxconn` connections. A stream holds one
 * from the moment it is assigned a server until it ends or leaves that
 * server (redispatch); giving it back wakes the stream that has waited
 * longest, in the server's own queue or in its backend's.
 *
 * Everything here runs under the generation's lock (thread.h). A stream
 * queued on one thread may get its slot from a stream ending on another:
 * the grant is written in the stream under the lock and its own thread
 * acts on it from its loop (queue_granted()).
 */
#include "config.h"
#include "server.h"

#include <stddef.h>

#include "balance.h"
#include "dynsrv.h"
#include "inbox.h"
#include "plan.h"
#include "queue.h"
#include "thread.h"

void queue_push(struct queue *q, struct queue_item *it, uint64_t seq)
{
	it->q = q;
	it->seq = seq;
	it->next = NULL;
	it->prev = q->tail;
	if (q->tail)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	if (++q->len > q->max)
		q->max = q->len;
}

void queue_remove(struct queue_item *it)
{
	struct queue *q = it->q;

	if (!q)
		return;
	if (it->prev)
		it->prev->next = it->next;
	else
		q->head = it->next;
	if (it->next)
		it->next->prev = it->prev;
	else
		q->tail = it->prev;
	q->len--;
	it->prev = it->next = NULL;
	it->q = NULL;
}

struct queue_item *queue_oldest(const struct queue *a, const struct queue *b)
{
	struct queue_item *x = a->head, *y = b->head;

	if (!x)
		return y;
	if (!y)
		return x;
	return x->seq <= y->seq ? x : y;
}

static struct stream *queue_stream_of(struct queue_item *it)
{
	return (struct stream *)(void *)((char *)it - offsetof(struct stream, qitem));
}

/* 1 when server `srv` may serve the streams queued on it: UP or stopping,
 * not in maintenance, with an address (a draining or stopping server, or
 * one at weight 0, still serves those the balancer gave it before). */
static int queue_srv_own_open(const struct runtime *rt, uint32_t srv)
{
	const struct rt_server *rs = &rt->servers[srv];

	return rs->op != RT_SRV_DOWN && rs->admin != RT_ADMIN_MAINT &&
	       server_has_addr(rt, srv);
}

/* 1 when server `srv` has a free slot. */
static int queue_srv_room(const struct runtime *rt, uint32_t srv)
{
	uint32_t max = balance_srv_maxconn(rt, srv);

	return max == 0 || rt->servers[srv].cur_conn < max;
}

int queue_backend_saturated(const struct runtime *rt, uint32_t be)
{
	for (uint32_t i = be_srv_first(rt, be); i != PLAN_NONE;
	     i = be_srv_next(rt, be, i)) {
		if (balance_srv_in_pool(rt, i) && rt->servers[i].maxconn &&
		    !queue_srv_room(rt, i))
			return 1;
	}
	return 0;
}

/* Now, in seconds, on the calling thread's clock. */
static double queue_now(const struct runtime *rt)
{
	return ev_now(thread_self ? thread_self->loop : rt->loop);
}

/* Make stream `s` (its own thread calling) leave its wait from the loop
 * at once, in state `wait`. */
static void queue_fire_local(struct stream *s, uint8_t wait)
{
	struct ev_loop *loop = s->thr->loop;

	s->wait = wait;
	ev_timer_stop(loop, &s->wait_timer);
	ev_timer_set(&s->wait_timer, 0., 0.);
	ev_timer_start(loop, &s->wait_timer);
}

/* Make queued stream `s` leave its wait in state `wait`: at once on its
 * own thread, through its thread's inbox from another one. */
static void queue_fire(struct runtime *rt, struct stream *s, uint8_t wait)
{
	if (!rt->mt || s->thr == thread_self) {
		queue_fire_local(s, wait);
		return;
	}
	s->grant = wait;
	inbox_post_stream(s);
}

int queue_take_grant(struct stream *s)
{
	uint8_t g = s->grant;

	if (!g)
		return 0;
	s->grant = 0;
	s->wait = g;
	return 1;
}

void queue_granted(struct stream *s)
{
	int g;

	gen_lock(s->rt);
	g = queue_take_grant(s);
	gen_unlock(s->rt);
	if (!g)
		return;
	thread_count_add(&s->thr->granted_remote, 1);
	queue_fire_local(s, s->wait);
}

static void queue_take_slot(struct runtime *rt, struct stream *s, uint32_t srv)
{
	s->server = srv;
	s->has_slot = 1;
	rt->servers[srv].cur_conn++;
	rt->servers[srv].cum_conn++;
}

/* Queue `s` on `q`, noting how many wait before it in each queue. */
static void queue_enter(struct runtime *rt, struct stream *s, struct queue *q,
                        uint32_t srv)
{
	s->srv_queue_pos = srv != PLAN_NONE ? rt->servers[srv].queue.len : 0;
	s->be_queue_pos = rt->proxies[s->backend].queue.len;
	s->t_queued = queue_now(rt);
	if (!s->was_queued)           /* read by its thread without the lock */
		s->was_queued = 1;
	queue_push(q, &s->qitem, ++rt->queue_seq);
}

enum queue_verdict queue_assign(struct runtime *rt, struct stream *s,
                                uint32_t srv)
{
	if (srv == PLAN_NONE) {
		if (!queue_backend_saturated(rt, s->backend))
			return QUEUE_NO_SERVER;
		queue_enter(rt, s, &rt->proxies[s->backend].queue, PLAN_NONE);
		return QUEUE_WAITING;
	}
	if (rt->servers[srv].maxconn &&
	    (rt->servers[srv].queue.len || !queue_srv_room(rt, srv))) {
		uint32_t maxq = rt->plan->servers[srv].maxqueue;

		if (maxq && rt->servers[srv].queue.len >= maxq) {
			s->server = srv;      /* for the log only: no slot */
			s->srv_queue_pos = rt->servers[srv].queue.len;
			return QUEUE_FULL;
		}
		queue_enter(rt, s, &rt->servers[srv].queue, srv);
		s->server = srv;              /* logged while waiting; no slot */
		return QUEUE_WAITING;
	}
	queue_take_slot(rt, s, srv);
	return QUEUE_SERVED;
}

uint32_t queue_wake(struct runtime *rt, uint32_t srv)
{
	static const struct queue none;     /* stands for a queue not served */
	struct rt_server *rs = &rt->servers[srv];
	uint32_t be = rt->plan->servers[srv].proxy;
	const struct queue *own = queue_srv_own_open(rt, srv) ? &rs->queue : &none;
	const struct queue *px = balance_srv_in_pool(rt, srv) ?
	                         &rt->proxies[be].queue : &none;
	uint32_t n = 0;

	while (queue_srv_room(rt, srv)) {
		struct queue_item *it = queue_oldest(own, px);
		struct stream *s;

		if (!it)
			break;
		s = queue_stream_of(it);
		queue_remove(it);
		s->queued_s += queue_now(rt) - s->t_queued;
		s->t_queued = -1;
		queue_take_slot(rt, s, srv);
		/* Connect from the loop, not from here: a connect failing at
		 * once would otherwise free the slot inside this loop. */
		queue_fire(rt, s, STREAM_WAIT_SLOT);
		n++;
	}
	return n;
}

uint32_t queue_redistribute(struct runtime *rt, uint32_t srv)
{
	struct queue *q = &rt->servers[srv].queue;
	uint32_t n = 0;

	while (q->head) {
		struct stream *s = queue_stream_of(q->head);

		uint32_t to;

		queue_remove(q->head);
		s->queued_s += queue_now(rt) - s->t_queued;
		s->t_queued = -1;
		s->server = PLAN_NONE;          /* it held no slot there */
		n++;
		/* Back to the balancer here, oldest first, whatever thread
		 * runs each stream: the oldest gets the first free slot. */
		to = balance_pick_key(rt, s->backend,
		                      (const struct sockaddr *)&s->cli_addr,
		                      s->cli_addrlen,
		                      s->has_lb_key ? &s->lb_key : NULL);
		if (to != srv) {
			enum queue_verdict v = queue_assign(rt, s, to);

			if (v == QUEUE_SERVED) {
				queue_fire(rt, s, STREAM_WAIT_SLOT);
				continue;
			}
			if (v == QUEUE_WAITING)
				continue;       /* its queue timeout runs on */
		}
		/* No server or a full queue: it finds out by itself. */
		s->server = PLAN_NONE;
		queue_fire(rt, s, STREAM_WAIT_RETRY);
	}
	return n;
}

void queue_release_slot(struct runtime *rt, struct stream *s)
{
	uint32_t srv = s->server;

	if (srv == PLAN_NONE || !s->has_slot)
		return;
	rt->servers[srv].cur_conn--;
	s->has_slot = 0;
	(void)queue_wake(rt, srv);
}

void queue_release(struct runtime *rt, struct stream *s)
{
	if (s->server == PLAN_NONE || !s->has_slot)
		return;
	queue_release_slot(rt, s);
	s->server = PLAN_NONE;
}

void queue_abandon(struct runtime *rt, struct stream *s)
{
	if (!s->qitem.q)
		return;
	queue_remove(&s->qitem);
	s->queued_s += queue_now(rt) - s->t_queued;
	s->t_queued = -1;
}
