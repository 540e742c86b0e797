/*
 * stats.h: the stats socket (HAProxy's CLI) and the traffic counters it
 * shows.
 *
 * `stats socket PATH|ADDR [mode M] [level L]` gives a stream socket taking
 * text commands. Without `prompt`, a connection carries one line, whose
 * `;`-separated commands are answered before the connection is closed
 * (HAProxy's behaviour, what socat scripts expect); after `prompt` each line
 * is answered followed by "\n> ". The commands are a table in stats.c
 * (words, level needed, function); doc/operations.md lists them. A command
 * above the client's level is answered "Permission denied".
 *
 * A client cannot stall the proxy nor make cfgrun hold its answers:
 * sockets are non-blocking; a line is at most STATS_LINE_MAX bytes (a
 * longer one is refused and the connection closed), read into a buffer
 * that starts small and grows; answers are produced as the client reads
 * them, a bounded piece at a time (`show stat` resumes from a row cursor),
 * so at most a few tens of kB wait per client, and an idle client's
 * buffers are freed; at most STATS_MAX_CLIENTS connections are served at
 * once, and a connection idle for `stats timeout` is closed.
 */
#ifndef HAPC_STATS_H
#define HAPC_STATS_H

#include "ops-t.h"
#include "plan.h"
#include "runtime-t.h"
#include "stream-t.h"

#define STATS_LINE_MAX    65536u  /* bytes of one command line */
#define STATS_MAX_CLIENTS 64u     /* connections served at once */
#define STATS_IDLE_S      10.0    /* seconds without I/O before closing */

/*
 * Open (bind, listen) the stats sockets of plan `p`; unix paths get their
 * `mode`. Call before chroot. Returns 0, or -1 after printing why.
 */
int stats_open(struct ops *ops, const struct plan *p);

/* Start accepting on the sockets of stats_open() in ops->loop. */
void stats_start(struct ops *ops);

/*
 * Reload: follow the stats sockets of the new plan `p`. A socket whose
 * address stays is kept open (level and mode from the new plan), new ones
 * are opened, removed ones closed; connected clients stay. A socket that
 * cannot be opened (e.g. a new unix path outside the chroot) is reported
 * and left out.
 */
void stats_reload(struct ops *ops, const struct plan *p);

/* Close the sockets (unix paths removed) and every client connection. */
void stats_close(struct ops *ops);

/* Counters of a stream: accepted, connected to its server, ended. Called
 * by stream.c at those moments, generation lock held; `mp` is mptcp_mark()
 * of the side just connected (taken before the lock). */
void stats_on_accept(const struct stream *s, char mp);
void stats_on_connect(const struct stream *s, char mp);
void stats_on_end(const struct stream *s);

/* A compressed response of frontend fe and backend be (PLAN_NONE: none)
 * is over: `in` payload bytes went in, `out` came out, `whole` 1 when
 * its last chunk was made. Atomic adds: no lock needed. */
void stats_on_comp(struct runtime *rt, uint32_t fe, uint32_t be,
                   uint64_t in, uint64_t out, int whole);

/* The failed connection attempt of stream `s` on server `prev` is tried
 * again: on the same server, or (redisp 1) through the balancer. Lock
 * held. */
void stats_on_retry(const struct stream *s, uint32_t prev, int redisp);

/* The stats clock: monotonic milliseconds (coarse: cheap to read). */
uint64_t stats_clock_ms(void);

/* Count one event of rate `r` at `now_ms` (lock held). */
void stats_rate_add(struct rt_rate *r, uint64_t now_ms);

/* Events per second of `r` over the second before `now_ms`: the events of
 * the current second plus the share of the previous second's that the
 * sliding second still covers (HAProxy's reading). */
uint32_t stats_rate_read(const struct rt_rate *r, uint64_t now_ms);

/* Average in ms of a sliding sum of `c` (0 without samples). */
uint32_t stats_time_avg(const struct rt_counters *c, uint64_t sum);

/* A new generation (server states set, before balance_init()): the
 * UP/DOWN clocks (lastchg, downtime) of every server and backend start
 * now; a server in MAINT starts DOWN, a backend without a usable server
 * too. */
void stats_state_init(struct runtime *rt);

/* Server `srv` may have moved between UP and DOWN (DOWN or MAINT): note
 * when and for how long, then look at its backend. Lock held. */
void stats_srv_state(struct runtime *rt, uint32_t srv);

/* Backend `be` may have lost its last usable server or got one back:
 * count the transition and note when. Lock held. */
void stats_be_state(struct runtime *rt, uint32_t be);

/* Seconds since the last UP/DOWN change of `c`, and seconds DOWN in all,
 * at stats clock second `now`. */
uint32_t stats_lastchg(const struct rt_counters *c, uint32_t now);
uint32_t stats_downtime(const struct rt_counters *c, uint32_t now);

#endif /* HAPC_STATS_H */
