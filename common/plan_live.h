/*
 * plan_live.h: the map files and ACL pattern files of one plan
 * generation as the stats socket changes them at run time (`add map`,
 * `del map`, `set map`, `clear map`, `add acl`, `del acl`, `clear acl`).
 *
 * ACL files are the `-f` files of ACL lines: cfgc marks each pattern read
 * from one with the file's name (plan_pattern.file_off), and a changed
 * file replaces its patterns on every line naming it, the line's other
 * values staying. What follows says "map" for both.
 *
 * A plan holds each map file's keys and values, read-only. A generation
 * builds one "reference" per file its map converters name (steps naming
 * the same file share it, whatever their match kind), numbered from 0 in
 * the order the steps come. While a reference is unchanged, lookups read
 * the plan (one atomic load more); its first change copies the entries
 * into process memory, and from then on lookups read the copy under the
 * reference's read lock while the stats socket changes it under the write
 * lock. The value a lookup finds is copied out under the lock, so nothing
 * a request holds is ever freed under it.
 *
 * Entries keep the file's order (the plan's order for maps only looked up
 * exactly, whose keys cfgc sorted); an exact lookup of a changed map goes
 * through a sorted index, the other kinds scan in order as the plan's.
 */
#ifndef HAPC_PLAN_LIVE_H
#define HAPC_PLAN_LIVE_H

#include <stddef.h>
#include <stdint.h>

#include "plan.h"

struct plan_live;

/* The references of verified plan `p` (which must outlive them), none
 * changed; NULL when memory runs out. A plan without maps gives a valid
 * empty set. */
struct plan_live *plan_live_build(const struct plan *p);
void plan_live_free(struct plan_live *lv);

/*
 * Reload: every reference of `nw` whose file has a changed reference of
 * the same name in `old` with the same digest (the same keys and values
 * compiled, i.e. the file did not change) takes over the old entries.
 * Returns the number of references carried over. `old` may be NULL.
 */
uint32_t plan_live_carry(struct plan_live *nw, const struct plan_live *old);

struct plan_live_info {
	uint32_t id;                /* `show map #id` */
	const char *name;           /* the file as the configuration names it */
	const char *source;         /* configuration file naming it, "" */
	uint32_t line;              /* its line there, 0 = unknown */
	size_t entries;             /* entries now */
	int changed;                /* 1: changed at run time */
	int acl;                    /* 1: an ACL -f file, 0: a map file */
	uint64_t digest;            /* of the keys and values compiled */
};

uint32_t plan_live_count(const struct plan_live *lv);
void plan_live_info(const struct plan_live *lv, uint32_t ref,
                    struct plan_live_info *out);

/* The reference named by `word`: "#ID", the file as written in the
 * configuration, or its resolved path; among the ACL files (acl 1) or
 * the map files (0). -1 when none. */
int plan_live_find(const struct plan_live *lv, const char *word, int acl);

/* Each entry of reference `ref` in order: its identifier (stable for the
 * generation; what `del map #ID` takes), its key and value. */
typedef void (*plan_live_fn)(void *ctx, const void *id, const char *key,
                             size_t klen, const char *val, size_t vlen);
void plan_live_walk(const struct plan_live *lv, uint32_t ref,
                    plan_live_fn fn, void *ctx);

/* The same a piece at a time: the entries from position *pos (0 at
 * first; opaque) on, at most max of them, *pos moved past those given.
 * 1 when none is left. Between two calls the file may change (the stats
 * socket's thread only): a dump then may skip or repeat entries, never
 * read freed ones. */
int plan_live_walk_some(const struct plan_live *lv, uint32_t ref,
                        size_t *pos, size_t max, plan_live_fn fn, void *ctx);

/*
 * Changes (the stats socket's thread only). `key` is a key, or "#ID" for
 * one entry (del, set). 0 / the number of entries touched, or -1 with
 * HAProxy's answer in err (a key or value that the map's kinds or value
 * type do not take, a regex key that does not compile).
 */
int plan_live_add(struct plan_live *lv, uint32_t ref, const char *key,
                  const char *val, char *err, size_t errlen);
int plan_live_del(struct plan_live *lv, uint32_t ref, const char *key,
                  char *err, size_t errlen);
int plan_live_set(struct plan_live *lv, uint32_t ref, const char *key,
                  const char *val, char *err, size_t errlen);
int plan_live_clear(struct plan_live *lv, uint32_t ref, char *err,
                    size_t errlen);

/*
 * Lookup of map step `st` (index `step` in the plan's CONV) for sample
 * smp, cast by the caller to what the match takes: -2 when its reference
 * is unchanged (look up the plan), -1 when no key matches, else the
 * value's length, its bytes copied to buf (at most buflen; a longer value
 * gives -1).
 */
long plan_live_map_find(const struct plan_live *lv, uint32_t step,
                        const struct plan_conv_step *st,
                        const struct plan_sample *smp, char *buf,
                        size_t buflen);

/*
 * ACL line `acl` of the plan (a pointer into its ACL table) on sample
 * smp when one of its -f files has changed: its own patterns but those of
 * changed files, then the entries of the changed files (read lock): 1 or
 * 0. -1 when nothing of it changed (or acl is a line of its own): match
 * the plan's patterns.
 */
int plan_live_acl_match(const struct plan_live *lv,
                        const struct plan_regex *rx,
                        const struct plan_acl *acl,
                        const struct plan_sample *smp);

#endif /* HAPC_PLAN_LIVE_H */
