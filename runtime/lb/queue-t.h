/*
 * queue-t.h: streams waiting for a server slot.
 *
 * A server at its maxconn makes new streams wait in its own queue (when
 * the balancer chose it, e.g. by hashing) or in its backend's queue (when
 * every server was full). A freed slot goes to the oldest of the two heads
 * (FIFO across both, by sequence number), as HAProxy does. Items are
 * embedded in the streams: queueing never allocates.
 */
#ifndef HAPC_QUEUE_T_H
#define HAPC_QUEUE_T_H

#include <stdint.h>

struct queue;

struct queue_item {
	struct queue_item *prev, *next; /* neighbours in the queue, FIFO order */
	struct queue *q;            /* the queue holding it, NULL = not queued */
	uint64_t seq;               /* enqueue order across all queues */
};

struct queue {
	struct queue_item *head;    /* oldest, served first */
	struct queue_item *tail;    /* newest */
	uint32_t len;               /* items queued */
	uint32_t max;               /* highest len seen (show stat qmax) */
};

/* What queue_assign() did with a stream. */
enum queue_verdict {
	QUEUE_SERVED = 0,           /* a slot of the chosen server is taken */
	QUEUE_WAITING = 1,          /* queued: a freed slot will wake it */
	QUEUE_NO_SERVER = 2,        /* no usable server at all */
	QUEUE_FULL = 3,             /* the server's queue is at maxqueue */
};

#endif /* HAPC_QUEUE_T_H */
