/*
 * stats_map.h: map commands of the stats socket (stats_map.c).
 *
 * `show map` lists the map files of the current generation ("# id (file)
 * description" then one line each), `show map FILE|#ID` their entries
 * ("ID KEY VALUE"), `add map FILE KEY VALUE`, `set map FILE KEY|#ID
 * VALUE` (every entry with that key), `del map FILE KEY|#ID` (every
 * entry with that key) and `clear map FILE` change them (plan_live.h);
 * `show acl`, `add acl`, `del acl`, `clear acl` do the same with the ACL
 * lines' -f files (values without a value column). Changes
 * belong to the generation: a reload keeps them for a file whose content
 * did not change, and drops them otherwise.
 */
#ifndef HAPC_STATS_MAP_H
#define HAPC_STATS_MAP_H

#include "runtime-t.h"
#include "stats_row.h"

/*
 * Run words w[0..n) when they are a map or ACL command (the caller
 * checked the client's level: operator), answering into out (ending with
 * the empty line). `show map|acl FILE` answers nothing itself: *dump is
 * set to the file, whose entries the caller then asks stats_map_dump()
 * for as the client reads them, ending the answer with the empty line;
 * else *dump is UINT32_MAX. Returns 1 when the command was one of
 * these, 0 when not (nothing written).
 */
int stats_map_exec(struct stats_buf *out, struct runtime *rt, char **w,
                   int n, uint32_t *dump);

/* The next entries (at most max) of file `ref` from *pos (0 at first),
 * one "ID KEY[ VALUE]" line each; 1 when none is left. */
int stats_map_dump(struct stats_buf *out, struct runtime *rt, uint32_t ref,
                   size_t *pos, size_t max);

#endif /* HAPC_STATS_MAP_H */
