/*
 * test_inbox.c: the inboxes threads post work to (runtime/inbox.c), with
 * real threads and a real libev loop: a stream is queued once however
 * often it is posted, a cancelled stream leaves the list wherever it is,
 * flags accumulate and are handed over once, handed-over connections come
 * out oldest first and a full ring refuses more, and a post from another
 * thread wakes the receiver's loop.
 */
#include "config.h"

#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "inbox.h"
#include "stream-t.h"
#include "thread-t.h"

struct fx {
	struct rt_thread t;
	struct stream s[4];
	int woken;                  /* wake callbacks run */
	uint32_t flags;             /* flags the callback took */
	uint32_t nstreams;          /* streams the callback took */
};

static struct fx fx;

static void fx_wake_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	struct runtime *gen;

	(void)loop;
	(void)w;
	(void)revents;
	fx.woken++;
	fx.flags |= inbox_take(&fx.t, &gen);
	while (inbox_take_stream(&fx.t))
		fx.nstreams++;
}

static void fx_setup(void)
{
	memset(&fx, 0, sizeof(fx));
	fx.t.loop = ev_loop_new(EVFLAG_AUTO);
	ck_assert_ptr_nonnull(fx.t.loop);
	pthread_mutex_init(&fx.t.inbox_lock, NULL);
	ev_async_init(&fx.t.wake, fx_wake_cb);
	ev_async_start(fx.t.loop, &fx.t.wake);
	for (int i = 0; i < 4; i++)
		fx.s[i].thr = &fx.t;
}

static void fx_teardown(void)
{
	ev_async_stop(fx.t.loop, &fx.t.wake);
	ev_loop_destroy(fx.t.loop);
	pthread_mutex_destroy(&fx.t.inbox_lock);
}

/* The streams on the inbox, newest first, as indices into fx.s. */
static int fx_list(int *idx, int max)
{
	int n = 0;

	for (struct stream *s = fx.t.inbox; s && n < max; s = s->inbox_next)
		idx[n++] = (int)(s - fx.s);
	return n;
}

START_TEST(test_post_once)
{
	int idx[8];

	inbox_post_stream(&fx.s[0]);
	inbox_post_stream(&fx.s[1]);
	inbox_post_stream(&fx.s[0]);          /* already there: no change */
	ck_assert_int_eq(fx_list(idx, 8), 2);
	ck_assert_int_eq(idx[0], 1);
	ck_assert_int_eq(idx[1], 0);
	ck_assert_int_eq(fx.s[0].in_inbox, 1);
	ck_assert_int_eq(fx.s[2].in_inbox, 0);
}
END_TEST

START_TEST(test_cancel_anywhere)
{
	int idx[8];

	for (int i = 0; i < 4; i++)
		inbox_post_stream(&fx.s[i]);  /* list: 3 2 1 0 */
	inbox_cancel(&fx.s[2]);               /* middle */
	inbox_cancel(&fx.s[3]);               /* head */
	inbox_cancel(&fx.s[0]);               /* tail */
	inbox_cancel(&fx.s[0]);               /* not there: nothing */
	ck_assert_int_eq(fx_list(idx, 8), 1);
	ck_assert_int_eq(idx[0], 1);
	ck_assert_ptr_null(fx.s[1].inbox_prev);
	ck_assert_ptr_null(fx.s[1].inbox_next);
	ck_assert_int_eq(fx.s[2].in_inbox, 0);
	inbox_cancel(&fx.s[1]);
	ck_assert_ptr_null(fx.t.inbox);
	/* posted again after a cancel: back on the list */
	inbox_post_stream(&fx.s[2]);
	ck_assert_int_eq(fx_list(idx, 8), 1);
	ck_assert_int_eq(idx[0], 2);
}
END_TEST

START_TEST(test_take_hands_over_once)
{
	struct stream *s;
	struct runtime *gen;
	uint32_t flags;

	inbox_post(&fx.t, THR_MSG_LIMITS);
	inbox_post(&fx.t, THR_MSG_LOG);
	inbox_post_switch(&fx.t, (struct runtime *)&fx);
	inbox_post_stream(&fx.s[0]);
	inbox_post_stream(&fx.s[3]);
	flags = inbox_take(&fx.t, &gen);
	ck_assert_uint_eq(flags, THR_MSG_LIMITS | THR_MSG_LOG | THR_MSG_SWITCH);
	ck_assert_ptr_eq(gen, (struct runtime *)&fx);
	s = inbox_take_stream(&fx.t);          /* newest first */
	ck_assert_ptr_eq(s, &fx.s[3]);
	ck_assert_int_eq(s->in_inbox, 0);
	/* a stream taken may be posted again at once */
	inbox_post_stream(&fx.s[3]);
	ck_assert_ptr_eq(inbox_take_stream(&fx.t), &fx.s[3]);
	ck_assert_ptr_eq(inbox_take_stream(&fx.t), &fx.s[0]);
	ck_assert_ptr_null(fx.s[0].inbox_prev);
	/* nothing the second time */
	ck_assert_uint_eq(inbox_take(&fx.t, &gen), 0);
	ck_assert_ptr_null(inbox_take_stream(&fx.t));
}
END_TEST

START_TEST(test_conn_ring)
{
	struct thr_conn c = { .rt = NULL, .listener = 0, .fd = -1 };
	struct runtime *gen;

	for (uint32_t i = 0; i < THR_RING; i++) {
		c.listener = i;
		ck_assert_int_eq(inbox_post_conn(&fx.t, &c), 0);
	}
	ck_assert_int_eq(inbox_post_conn(&fx.t, &c), -1);   /* full */
	ck_assert_uint_eq(fx.t.pending, THR_RING);
	/* flags and streams are not connections */
	ck_assert_uint_eq(inbox_take(&fx.t, &gen), 0);
	ck_assert_ptr_null(inbox_take_stream(&fx.t));
	for (uint32_t i = 0; i < THR_RING / 2; i++) {
		ck_assert_int_eq(inbox_take_conn(&fx.t, &c), 1);
		ck_assert_uint_eq(c.listener, i);           /* oldest first */
	}
	/* room again, and the ring wraps in order */
	c.listener = 1000;
	ck_assert_int_eq(inbox_post_conn(&fx.t, &c), 0);
	for (uint32_t i = THR_RING / 2; i < THR_RING; i++) {
		ck_assert_int_eq(inbox_take_conn(&fx.t, &c), 1);
		ck_assert_uint_eq(c.listener, i);
	}
	ck_assert_int_eq(inbox_take_conn(&fx.t, &c), 1);
	ck_assert_uint_eq(c.listener, 1000);
	ck_assert_int_eq(inbox_take_conn(&fx.t, &c), 0);
	ck_assert_uint_eq(fx.t.pending, 0);
}
END_TEST

/* Another thread posts a flag and two streams while the loop waits. */
static void *fx_poster(void *arg)
{
	(void)arg;
	inbox_post_stream(&fx.s[1]);
	inbox_post_stream(&fx.s[2]);
	inbox_post(&fx.t, THR_MSG_STOP);
	return NULL;
}

START_TEST(test_wakes_the_loop)
{
	pthread_t th;

	ck_assert_int_eq(pthread_create(&th, NULL, fx_poster, NULL), 0);
	/* Blocks until the async fires: the poster's wake-up is the only
	 * event there is. */
	while (fx.flags == 0 || fx.nstreams < 2)
		ev_run(fx.t.loop, EVRUN_ONCE);
	pthread_join(th, NULL);
	ck_assert_int_ge(fx.woken, 1);
	ck_assert_uint_eq(fx.flags, THR_MSG_STOP);
	ck_assert_uint_eq(fx.nstreams, 2);
	ck_assert_ptr_null(fx.t.inbox);
}
END_TEST

static Suite *inbox_suite(void)
{
	Suite *s = suite_create("inbox");
	TCase *tc = tcase_create("inbox");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_post_once);
	tcase_add_test(tc, test_cancel_anywhere);
	tcase_add_test(tc, test_take_hands_over_once);
	tcase_add_test(tc, test_conn_ring);
	tcase_add_test(tc, test_wakes_the_loop);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(inbox_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
