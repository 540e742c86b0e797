/*
 * queue.h: server slots, and streams waiting for one (see queue-t.h).
 *
 * Every function here but queue_granted() expects the generation's lock
 * held (thread.h).
 */
#ifndef HAPC_QUEUE_H
#define HAPC_QUEUE_H

#include <stdint.h>

#include "queue-t.h"
#include "runtime-t.h"
#include "stream-t.h"

/* Append `it` to `q` with sequence number `seq` (it must not be queued). */
void queue_push(struct queue *q, struct queue_item *it, uint64_t seq);

/* Take `it` out of its queue; nothing when it is not queued. */
void queue_remove(struct queue_item *it);

/* The older of the heads of `a` and `b` (either may be empty), or NULL. */
struct queue_item *queue_oldest(const struct queue *a, const struct queue *b);

/* 1 when some server in backend `be`'s pool is at its maxconn, so that a
 * stream queued in the backend's queue will get a slot when one ends. */
int queue_backend_saturated(const struct runtime *rt, uint32_t be);

/*
 * Decide what happens to stream `s` now that the balancer answered `srv`
 * for its backend (PLAN_NONE: no server could take it). HAProxy's rules:
 * a chosen server with a free slot and nobody queued before us serves it
 * (the slot is taken: s->server set, counters up); a chosen server that is
 * full queues it in the server's queue unless maxqueue is reached (FULL);
 * no server while some server of the backend is at its maxconn queues it
 * in the backend's queue (no limit there); otherwise NO_SERVER. A queued
 * stream has s->qitem linked and its queue lengths noted for the log.
 */
enum queue_verdict queue_assign(struct runtime *rt, struct stream *s,
                                uint32_t srv);

/*
 * Give back the server slot stream `s` holds (s->server becomes PLAN_NONE)
 * and hand free slots of that server to the streams waiting longest in its
 * queue or its backend's. Nothing when `s` holds no slot.
 */
void queue_release(struct runtime *rt, struct stream *s);

/*
 * The same, but s->server stays set (the log line still names it): for a
 * stream whose server connection is closed before its client one, so that
 * the server stops counting before the client can see the end (HAProxy
 * drops a server's count when the server side closes).
 */
void queue_release_slot(struct runtime *rt, struct stream *s);

/*
 * Hand free slots of server `srv` to waiting streams, oldest first: those
 * in its own queue while it is UP and not in maintenance, those in its
 * backend's queue while it is in the backend's pool (balance_srv_in_pool).
 * Each one gets the slot and its wait timer fires at once (wait becomes
 * STREAM_WAIT_SLOT; for a stream of another thread, through its inbox);
 * it connects from there, never from inside this call.
 * Call it when a slot is freed or the server can take more (up again).
 * Returns how many streams got a slot.
 */
uint32_t queue_wake(struct runtime *rt, uint32_t srv);

/*
 * Send every stream waiting in server `srv`'s own queue back to the
 * balancer (the server left service; its pool already rebuilt), oldest
 * first: one that gets a slot at once is woken (STREAM_WAIT_SLOT), one
 * queued elsewhere keeps waiting (same queue timeout), any other is woken
 * with STREAM_WAIT_RETRY and no server, to be dispatched again (and
 * refused) from its loop. Returns how many were moved.
 */
uint32_t queue_redistribute(struct runtime *rt, uint32_t srv);

/* Take stream `s` out of whatever queue holds it (stream ending). */
void queue_abandon(struct runtime *rt, struct stream *s);

/*
 * If another thread gave queued stream `s` a slot (or sent it back to the
 * balancer), make it its wait state (s->wait becomes STREAM_WAIT_SLOT or
 * STREAM_WAIT_RETRY) and return 1; else 0. Lock held; s's own thread.
 */
int queue_take_grant(struct stream *s);

/* From s's own thread's inbox: act on a grant made by another thread, if
 * it still stands (the queue timeout may have taken it first). Takes the
 * lock. */
void queue_granted(struct stream *s);

#endif /* HAPC_QUEUE_H */
