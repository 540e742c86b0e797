/*
 * http_stop.c: when HTTP client connections close during a soft stop
 * (http_stop.h). The generation's window is set by gen_soft_close()
 * (reload.c) and read here with atomic loads: streams of any thread ask.
 */
#include "config.h"

#include <ev.h>
#include <stdint.h>

#include "http_stop.h"
#include "runtime-t.h"
#include "stream-t.h"
#include "thread-t.h"

/* A draw in [0, n), n > 0: xorshift64*, one state per thread, seeded
 * from the clock and the state's address the first time. */
static uint32_t http_stop_rand(uint32_t n)
{
	static __thread uint64_t x;

	if (!x)
		x = ((uint64_t)(ev_time() * 1e6) ^ (uint64_t)(uintptr_t)&x) | 1;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	return (uint32_t)(((x * 0x2545F4914F6CDD1DULL) >> 32) % n);
}

/* What is left of s's generation's closing window, in ms (0: past it or
 * no window); -1 when the generation is not closing. */
static int64_t http_stop_left_ms(const struct stream *s, uint32_t *window)
{
	uint64_t end = __atomic_load_n(&s->rt->close_end_ms, __ATOMIC_ACQUIRE);
	uint64_t now;

	if (!end)
		return -1;
	*window = s->rt->close_window_ms;
	now = (uint64_t)(ev_now(s->thr->loop) * 1000.0);
	return end > now ? (int64_t)(end - now) : 0;
}

int http_stop_want_close(const struct stream *s)
{
	uint32_t window = 0;
	int64_t left = http_stop_left_ms(s, &window);

	if (left < 0)
		return 0;
	if (left == 0 || window == 0)
		return 1;
	/* HAProxy's draw: close when what is left is under a uniform draw
	 * over the window, so ever more likely as the window runs out. */
	return (uint64_t)left <= http_stop_rand(window);
}

uint32_t http_stop_idle_ms(const struct stream *s, uint32_t ms)
{
	uint32_t window = 0, at;
	int64_t left = http_stop_left_ms(s, &window);

	if (left < 0)
		return ms;
	/* 1 ms at least: 0 would stop the idle timer instead. */
	at = 1 + (left > 1 ? http_stop_rand((uint32_t)left) : 0);
	return ms && ms < at ? ms : at;
}
