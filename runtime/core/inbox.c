/*
 * inbox.c: posting work to another thread's loop.
 */
#include "config.h"

#include <stddef.h>

#include "inbox.h"

__thread struct rt_thread *thread_self;

void inbox_post(struct rt_thread *t, uint32_t flags)
{
	pthread_mutex_lock(&t->inbox_lock);
	t->inbox_flags |= flags;
	pthread_mutex_unlock(&t->inbox_lock);
	ev_async_send(t->loop, &t->wake);
}

void inbox_post_switch(struct rt_thread *t, struct runtime *gen)
{
	pthread_mutex_lock(&t->inbox_lock);
	t->inbox_flags |= THR_MSG_SWITCH;
	t->switch_to = gen;
	pthread_mutex_unlock(&t->inbox_lock);
	ev_async_send(t->loop, &t->wake);
}

void inbox_post_stream(struct stream *s)
{
	struct rt_thread *t = s->thr;
	int wake = 0;

	pthread_mutex_lock(&t->inbox_lock);
	if (!s->in_inbox) {
		s->in_inbox = 1;
		s->inbox_prev = NULL;
		s->inbox_next = t->inbox;
		if (t->inbox)
			t->inbox->inbox_prev = s;
		t->inbox = s;
		wake = 1;
	}
	pthread_mutex_unlock(&t->inbox_lock);
	if (wake)
		ev_async_send(t->loop, &t->wake);
}

void inbox_cancel(struct stream *s)
{
	struct rt_thread *t = s->thr;

	pthread_mutex_lock(&t->inbox_lock);
	if (s->in_inbox) {
		if (s->inbox_prev)
			s->inbox_prev->inbox_next = s->inbox_next;
		else
			t->inbox = s->inbox_next;
		if (s->inbox_next)
			s->inbox_next->inbox_prev = s->inbox_prev;
		s->in_inbox = 0;
	}
	pthread_mutex_unlock(&t->inbox_lock);
}

int inbox_post_conn(struct rt_thread *t, const struct thr_conn *c)
{
	pthread_mutex_lock(&t->inbox_lock);
	if (t->ring_len == THR_RING) {
		pthread_mutex_unlock(&t->inbox_lock);
		return -1;
	}
	t->ring[(t->ring_head + t->ring_len) % THR_RING] = *c;
	t->ring_len++;
	__atomic_add_fetch(&t->pending, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&t->inbox_lock);
	ev_async_send(t->loop, &t->wake);
	return 0;
}

int inbox_take_conn(struct rt_thread *t, struct thr_conn *c)
{
	int got = 0;

	pthread_mutex_lock(&t->inbox_lock);
	if (t->ring_len) {
		*c = t->ring[t->ring_head];
		t->ring_head = (t->ring_head + 1) % THR_RING;
		t->ring_len--;
		__atomic_sub_fetch(&t->pending, 1, __ATOMIC_RELAXED);
		got = 1;
	}
	pthread_mutex_unlock(&t->inbox_lock);
	return got;
}

struct stream *inbox_take_stream(struct rt_thread *t)
{
	struct stream *s;

	pthread_mutex_lock(&t->inbox_lock);
	s = t->inbox;
	if (s) {
		t->inbox = s->inbox_next;
		if (t->inbox)
			t->inbox->inbox_prev = NULL;
		s->in_inbox = 0;
	}
	pthread_mutex_unlock(&t->inbox_lock);
	return s;
}

uint32_t inbox_take(struct rt_thread *t, struct runtime **switch_to)
{
	uint32_t flags;

	pthread_mutex_lock(&t->inbox_lock);
	flags = t->inbox_flags;
	t->inbox_flags = 0;
	*switch_to = t->switch_to;
	pthread_mutex_unlock(&t->inbox_lock);
	return flags;
}
