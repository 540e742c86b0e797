/*
 * dynsrv-t.h: servers added and deleted through the stats socket
 * (`add server B/S ADDR [options]`, `del server B/S`).
 *
 * The plan is read-only, so each generation keeps room for them at run
 * time: its server table is a copy of the plan's followed by DYNSRV_MAX
 * free records (rt->plan->servers points to the copy, rt->servers has as
 * many entries), and the plan's mapping ends with a writable tail holding
 * their names, so that every reader of a server (balancer, checks,
 * streams, logs, show stat) treats an added one as any other. An added
 * server takes the next free record and keeps it until its generation
 * ends: a deleted one is only marked gone, never reused, since streams,
 * idle connections and log lines may still name its index.
 *
 * Each backend chains its added servers after its configured ones
 * (rt_proxy.dyn_first, rt_server.dyn_next); walkers skip gone servers.
 */
#ifndef HAPC_DYNSRV_T_H
#define HAPC_DYNSRV_T_H

#include <stdint.h>

#define DYNSRV_MAX       1024u  /* servers a generation can add */
#define DYNSRV_NAME_MAX  63u    /* bytes of an added server's name */
#define DYNSRV_NAME_SLOT (DYNSRV_NAME_MAX + 1u)
#define DYNSRV_TAIL      (DYNSRV_MAX * DYNSRV_NAME_SLOT) /* plan tail bytes */

/* rt_server.dyn */
enum rt_srv_dyn {
	RT_SRV_PLAN  = 0,           /* live, from the plan */
	RT_SRV_ADDED = 1,           /* live, added through the stats socket */
	RT_SRV_GONE  = 2,           /* deleted: in maintenance for good,
	                               skipped by every walker */
};

struct plan_server;

struct dynsrv_gen {
	struct plan_server *recs;   /* plan servers then `cap` free records;
	                               rt->plan->servers points here */
	uint32_t base;              /* the plan's server count: first free */
	uint32_t cap;               /* records after base */
	uint32_t used;              /* records taken (thread 0, lock) */
	uint32_t names_off;         /* blob offset of the names in the tail */
};

#endif /* HAPC_DYNSRV_T_H */
