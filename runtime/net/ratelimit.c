/*
 * ratelimit.c: global accept rates and their limits (ratelimit.h).
 */
#include "config.h"

#include <pthread.h>

#include "ratelimit.h"
#include "runtime-t.h"
#include "stats.h"

struct ratelimit {
	pthread_mutex_t lock;       /* guards rate */
	uint32_t max;               /* events per second, 0 = no limit
	                               (atomic: read without the lock by
	                               every accept) */
	struct rt_rate rate;        /* events over the sliding second */
};

static struct ratelimit ratelimits[RATELIMIT_KINDS] = {
	{ .lock = PTHREAD_MUTEX_INITIALIZER },
	{ .lock = PTHREAD_MUTEX_INITIALIZER },
};

void ratelimit_set(enum ratelimit_kind k, uint32_t max)
{
	__atomic_store_n(&ratelimits[k].max, max, __ATOMIC_RELAXED);
}

void ratelimit_plan(const struct plan_global *g, const struct plan_global *old)
{
	if (!old || old->maxconnrate != g->maxconnrate)
		ratelimit_set(RATELIMIT_CONN, g->maxconnrate);
	if (!old || old->maxsessrate != g->maxsessrate)
		ratelimit_set(RATELIMIT_SESS, g->maxsessrate);
}

uint32_t ratelimit_limit(enum ratelimit_kind k)
{
	return __atomic_load_n(&ratelimits[k].max, __ATOMIC_RELAXED);
}

uint32_t ratelimit_rate(enum ratelimit_kind k, uint32_t *max_seen)
{
	uint32_t v;

	pthread_mutex_lock(&ratelimits[k].lock);
	v = stats_rate_read(&ratelimits[k].rate, stats_clock_ms());
	if (max_seen)
		*max_seen = ratelimits[k].rate.max;
	pthread_mutex_unlock(&ratelimits[k].lock);
	return v;
}

void ratelimit_count(enum ratelimit_kind k)
{
	pthread_mutex_lock(&ratelimits[k].lock);
	stats_rate_add(&ratelimits[k].rate, stats_clock_ms());
	pthread_mutex_unlock(&ratelimits[k].lock);
}

/*
 * Milliseconds from `now_ms` until the rate `r` is below `max`, 0 when it
 * is now. The rate is curr + prev * (ms left in the second) / 1000, as
 * stats_rate_read() reads it but without rounding down (a rate of 3.9
 * is not below 3): within this second it falls as the previous second's
 * share goes; once curr alone reaches max, it falls below only in the
 * next second, as this second's share goes in turn.
 */
static uint64_t ratelimit_wait_ms(const struct rt_rate *r, uint32_t max,
                                  uint64_t now_ms)
{
	uint32_t sec = (uint32_t)(now_ms / 1000u), m = (uint32_t)(now_ms % 1000u);
	uint64_t curr = 0, prev = 0, x;

	if (!max)
		return 0;
	if (sec <= r->sec) {
		curr = r->curr;
		prev = r->prev;
	} else if (sec == r->sec + 1) {
		prev = r->curr;
	}
	if (curr < max) {
		/* below when prev * (1000 - x) < (max - curr) * 1000 */
		if (prev * (1000u - m) < (max - curr) * 1000u)
			return 0;
		x = 1000u - (max - curr) * 1000u / prev + 1u;
		return x > m ? x - m : 1u;
	}
	/* next second at y: curr * (1000 - y) < max * 1000 */
	x = 1000u - (uint64_t)max * 1000u / curr + 1u;
	return 1000u - m + x;
}

double ratelimit_delay(void)
{
	uint64_t now = stats_clock_ms(), wait = 0;

	for (int k = 0; k < RATELIMIT_KINDS; k++) {
		uint32_t max = ratelimit_limit((enum ratelimit_kind)k);
		uint64_t w;

		if (!max)
			continue;       /* no limit: no lock either */
		pthread_mutex_lock(&ratelimits[k].lock);
		w = ratelimit_wait_ms(&ratelimits[k].rate, max, now);
		pthread_mutex_unlock(&ratelimits[k].lock);
		if (w > wait)
			wait = w;
	}
	return (double)wait / 1000.0;
}
