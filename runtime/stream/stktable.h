/*
 * stktable.h: stick tables at run time: per generation, sized from the
 * plan's TABLE records, carried to the next generation when its table has
 * the same name and definition; tracking, counter updates and the sc_* /
 * src_* fetches; the stats socket's view (stats_table.c).
 */
#ifndef HAPC_STKTABLE_H
#define HAPC_STKTABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "plan.h"
#include "runtime-t.h"
#include "stktable-t.h"

/* ---- sliding-window counters (exposed for the unit tests) ---- */

/* Add n events at ms clock `now` to a counter of `period` ms. */
void stk_freq_add(struct stk_freq *f, uint32_t now, uint32_t period,
                  uint32_t n);
/* The rate at `now`: events over the last period, the previous period's
 * share prorated. */
uint32_t stk_freq_read(const struct stk_freq *f, uint32_t now,
                       uint32_t period);

/* The ms clock the tables use (monotonic, wraps after 49 days). */
uint32_t stk_now_ms(void);

/* ---- generations ---- */

/*
 * The tables of gen's plan: those of `old` (may be NULL) with the same
 * proxy name and an identical record are shared (their entries kept),
 * the others are new and empty. 0, or -1 with a message in err.
 */
int stk_gen_init(struct runtime *gen, const struct runtime *old, char *err,
                 size_t errlen);
/* Drop gen's references; a table no generation holds is freed. */
void stk_gen_free(struct runtime *gen);

/* ---- streams ---- */

/*
 * Run TRACK record `k` of gen's plan for counters `c`: TRACK looks the
 * key up (`key` is the sample of its key line) and starts tracking it on
 * counter k->sc unless that counter already tracks something (as
 * HAProxy, the first track of a counter wins), counting a connection
 * (conn_cnt, conn_rate, conn_cur) and, with `req`, the request
 * (http_req_cnt, http_req_rate); the other ops change gpc/gpt of the
 * entry the counter tracks. Takes the table's lock.
 */
void stk_run(struct runtime *gen, struct stk_ctrs *c, const struct plan_track *k,
             const struct plan_sample *key, int req);

/* stk_run() for a rule's record k: a TRACK's key is the sample `fetch`
 * gives in `ctx` for the record's key line. */
void stk_rule(struct runtime *gen, struct stk_ctrs *c,
              const struct plan_track *k, plan_fetch_fn fetch, void *ctx,
              int req);

/*
 * The stick rules of backend `be` for one request (stick on, match,
 * store-request, in order; conditions and keys read through `fetch` in
 * `ctx`, regexes `rx`, NULL for TCP). A match whose entry holds the id
 * of a server of be sets *want to that server when it is PLAN_NONE (so
 * a persistence cookie wins, and the first match decides); the
 * dispatcher uses it while the server is UP. A store holds the key's
 * entry in `st` (what `st` held before is let go first). Takes the
 * tables' locks.
 */
void stk_persist_rules(struct runtime *gen, uint32_t be,
                       const struct plan_regex *rx, plan_fetch_fn fetch,
                       void *ctx, struct stk_stores *st, uint32_t *want);
/* The stick store-response rules of backend `be` on a response from
 * server `srv` (fetches through `fetch` in `ctx`): the key's entry
 * (created if needed) gets the server's id; the first store of a table
 * wins. Takes the tables' locks. */
void stk_persist_response(struct runtime *gen, uint32_t be,
                          const struct plan_regex *rx, plan_fetch_fn fetch,
                          void *ctx, uint32_t srv);
/* The request went to server `srv` of gen's plan: its id (1-based place
 * in its backend) into each entry `st` holds, then let them go. */
void stk_stores_commit(struct runtime *gen, struct stk_stores *st,
                       uint32_t srv);
/* Let go of what `st` holds, storing nothing. */
void stk_stores_drop(struct stk_stores *st);

/* A new HTTP request on a stream tracking with `c` (session-level
 * counters count it); 4xx response: an error. */
void stk_http_req(struct stk_ctrs *c);
void stk_http_err(struct stk_ctrs *c);
/* Bytes a stream moved (client to server, server to client). */
void stk_bytes(struct stk_ctrs *c, uint64_t in, uint64_t out);

/* Stop tracking: every counter, or (req_only) those a request rule set. */
void stk_release(struct stk_ctrs *c, int req_only);

/*
 * The sample of a PLAN_FETCH_STKCTR line `a`: the counter's entry (or
 * the client address `src`'s, for src_*). Integers; a counter not
 * tracking or an absent entry gives none (tracked/trackers: 0).
 */
void stk_fetch(struct runtime *gen, struct stk_ctrs *c,
               const struct sockaddr_storage *src, socklen_t srclen,
               const struct plan_acl *a, struct plan_sample *out);

/* ---- stats socket (stats_table.c) ---- */

/* The table named `name` in gen, or NULL. */
struct stk_table *stk_table_find(struct runtime *gen, const char *name);
/* `show table` without a name: one line per table. */
void stk_show_tables(struct runtime *gen, FILE *out);
/* Parse key text for table t into the table's key form; 0 or -1. */
int stk_parse_key(const struct stk_table *t, const char *text,
                  unsigned char *key, uint32_t *len);
/* Data type named name (HAProxy's names), PLAN_TD_MAX when none or not
 * stored by t. */
uint32_t stk_data_type(const struct stk_table *t, const char *name);
/*
 * `show table NAME`: the header line and every entry, or only the one
 * with `key` (NULL: all) and, when d < PLAN_TD_MAX, whose value of d
 * compares to v by op ("eq", "ne", "lt", "le", "gt", "ge"). All at
 * once: the stats socket streams with the two below.
 */
void stk_show(struct stk_table *t, const unsigned char *key, uint32_t klen,
              uint32_t d, const char *op, int64_t v, FILE *out);
/* Its header line (expired entries purged first), and with `key` that
 * key's entry. */
void stk_show_head(struct stk_table *t, const unsigned char *key,
                   uint32_t klen, FILE *out);
/*
 * The entries (filtered as stk_show()) of the hash buckets from *bucket
 * on (0 at first), in bucket order, stopping after the bucket where `max`
 * entries were reached or a few thousand buckets were looked at; *bucket
 * moves on. 1 once the last bucket was done. An entry added or removed
 * meanwhile may be shown or not; none is shown twice (an entry stays in
 * its bucket).
 */
int stk_show_some(struct stk_table *t, uint32_t *bucket, uint32_t d,
                  const char *op, int64_t v, uint32_t max, FILE *out);
/* `clear table NAME [key K]`: remove the entries not tracked now (or
 * the one with the key); the number removed. */
uint32_t stk_clear(struct stk_table *t, const unsigned char *key,
                   uint32_t klen);
/* `set table NAME key K data.X V`: create the entry if needed and set
 * X (a counter, gpt, or a rate's current count). 0, or -1 when the
 * table is full. */
int stk_set(struct stk_table *t, const unsigned char *key, uint32_t klen,
            uint32_t d, uint32_t idx, int64_t v);

#endif /* HAPC_STKTABLE_H */
