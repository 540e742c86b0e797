/*
 * inbox.h: work sent to a thread by another one (see thread-t.h).
 *
 * Posting never blocks for long: the inbox lock guards a few fields and is
 * never held while taking another lock. The receiver's loop is woken with
 * ev_async_send() and drains the inbox from its own thread.
 */
#ifndef HAPC_INBOX_H
#define HAPC_INBOX_H

#include <stdint.h>

#include "stream-t.h"
#include "thread-t.h"

/* The thread running the caller; NULL outside cfgrun's threads (tests). */
extern __thread struct rt_thread *thread_self;

/* Ask thread `t` to do THR_MSG_* `flags` and wake its loop. */
void inbox_post(struct rt_thread *t, uint32_t flags);

/* Ask thread `t` to switch its accept watchers to generation `gen`
 * (NULL: watch nothing) and wake its loop. */
void inbox_post_switch(struct rt_thread *t, struct runtime *gen);

/*
 * Queue stream `s` (owned by thread s->thr, not the caller's) on its
 * thread's inbox so that it looks at s->grant from its own loop; nothing
 * when it is queued there already.
 */
void inbox_post_stream(struct stream *s);

/* Take stream `s` off its thread's inbox (it is ending). Call only from
 * s->thr, and only for a stream that was ever queued (s->was_queued). */
void inbox_cancel(struct stream *s);

/* Hand accepted connection `c` to thread `t` and wake it; -1 when its
 * ring is full (the caller keeps the connection). */
int inbox_post_conn(struct rt_thread *t, const struct thr_conn *c);

/* Take the oldest connection handed to thread `t` into `c`; 0 when none. */
int inbox_take_conn(struct rt_thread *t, struct thr_conn *c);

/* Take the newest stream posted to thread `t` off its inbox (call from
 * t); NULL when none. One at a time under the lock: a stream taken may be
 * posted again at once by another thread. */
struct stream *inbox_take_stream(struct rt_thread *t);

/* Take thread `t`'s flags (call from t), and the generation of a switch
 * into *switch_to. */
uint32_t inbox_take(struct rt_thread *t, struct runtime **switch_to);

#endif /* HAPC_INBOX_H */
