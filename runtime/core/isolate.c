/*
 * isolate.c: parking the other threads while thread 0 reads their state
 * (isolate.h).
 */
#include "config.h"

#include "inbox.h"
#include "isolate.h"

void isolate_init(struct ops *ops)
{
	pthread_mutex_init(&ops->iso_lock, NULL);
	pthread_cond_init(&ops->iso_cond, NULL);
	ops->iso_parked = 0;
	ops->iso_on = 0;
}

void isolate_free(struct ops *ops)
{
	pthread_mutex_destroy(&ops->iso_lock);
	pthread_cond_destroy(&ops->iso_cond);
}

void isolate_begin(struct ops *ops)
{
	uint32_t want = 0;

	if (ops->nthreads < 2)
		return;
	pthread_mutex_lock(&ops->iso_lock);
	ops->iso_on = 1;
	pthread_mutex_unlock(&ops->iso_lock);
	for (uint32_t i = 1; i < ops->nthreads; i++)
		if (ops->threads[i].running) {
			inbox_post(&ops->threads[i], THR_MSG_ISOLATE);
			want++;
		}
	/* The others never wait for thread 0 while running: each comes to
	 * its inbox soon. */
	pthread_mutex_lock(&ops->iso_lock);
	while (ops->iso_parked < want)
		pthread_cond_wait(&ops->iso_cond, &ops->iso_lock);
	pthread_mutex_unlock(&ops->iso_lock);
}

void isolate_release(struct ops *ops)
{
	if (ops->nthreads < 2)
		return;
	pthread_mutex_lock(&ops->iso_lock);
	ops->iso_on = 0;
	pthread_cond_broadcast(&ops->iso_cond);
	/* all gone before a next isolate_begin() counts them again */
	while (ops->iso_parked > 0)
		pthread_cond_wait(&ops->iso_cond, &ops->iso_lock);
	pthread_mutex_unlock(&ops->iso_lock);
}

void isolate_park(struct rt_thread *t)
{
	struct ops *ops = t->ops;

	pthread_mutex_lock(&ops->iso_lock);
	if (ops->iso_on) {
		ops->iso_parked++;
		pthread_cond_broadcast(&ops->iso_cond);
		while (ops->iso_on)
			pthread_cond_wait(&ops->iso_cond, &ops->iso_lock);
		ops->iso_parked--;
		pthread_cond_broadcast(&ops->iso_cond);
	}
	pthread_mutex_unlock(&ops->iso_lock);
}
