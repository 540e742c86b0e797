/*
 * plan-diff.h: what changed between two verified plans, by object.
 *
 * Proxies are matched by name, their listeners by address, their servers
 * by name; source line numbers are not compared (moving a section is not a
 * change). One line per difference, in plan order of NEW then the removed
 * ones of OLD:
 *
 *   global: maxconn 100 -> 200
 *   proxy 'web' added (frontend)
 *   proxy 'old' removed (backend)
 *   proxy 'app': timeout server 30s -> 1m
 *   proxy 'app': server 's2' added (10.0.0.2:80)
 *   proxy 'app': server 's1': weight 1 -> 5
 *   proxy 'fe': listener '0.0.0.0:443' removed
 *   proxy 'app': tcp-check rules changed (2 -> 3 rules)
 */
#ifndef HAPC_PLAN_DIFF_H
#define HAPC_PLAN_DIFF_H

#include <stdio.h>
#include "plan.h"

/* Print the differences from `old` to `new` on `out`; returns how many
 * lines were printed (0: same content). */
unsigned long plan_diff(const struct plan *old, const struct plan *new,
                        FILE *out);

#endif /* HAPC_PLAN_DIFF_H */
