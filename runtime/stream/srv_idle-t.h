/*
 * srv_idle-t.h: server connections kept open between HTTP requests.
 *
 * When a response is done and both the request and the response allowed
 * it, the server connection is not closed but parked in its thread's
 * idle list, keyed by plan generation and server; a later request of the
 * same generation sent to the same server takes it instead of
 * connecting. A parked connection is watched: any byte or close from the
 * server, or its idle timeout, closes it.
 */
#ifndef HAPC_SRV_IDLE_T_H
#define HAPC_SRV_IDLE_T_H

#include <ev.h>
#include <stdint.h>

#include "conn-t.h"

#define SRV_IDLE_MAGIC    0x49444c45u  /* "IDLE" */
#define SRV_IDLE_TIMEOUT  5.0          /* seconds parked at most
                                          (HAProxy's pool-purge-delay) */

struct rt_thread;

struct srv_idle {
	uint32_t magic;             /* SRV_IDLE_MAGIC while parked */
	uint32_t generation;        /* struct runtime.generation it belongs to */
	uint32_t server;            /* plan server index in that generation */
	uint32_t pad;
	struct conn conn;           /* the open connection */
	ev_io rd;                   /* the server spoke or closed: drop it */
	ev_timer tmo;               /* parked too long: drop it */
	struct rt_thread *thr;      /* owning thread */
	struct srv_idle *prev, *next; /* thread's idle list, newest first */
};

#endif /* HAPC_SRV_IDLE_T_H */
