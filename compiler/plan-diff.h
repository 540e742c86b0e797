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
 *
 * Named ACLs are matched by name and rules compared in order, both as the
 * configuration text --dump prints (an ACL's lines joined by "; "); each
 * kind of rule (tcp-request connection, use_backend) on its own. Rules
 * kept in both plans are the longest common run; a rule found removed at
 * one place and added at another is moved (positions as --dump lists the
 * proxy's rules); removed and added rules next to each other pair up as
 * changed:
 *
 *   proxy 'fe': acl 'lan': src -m ip -- 10.0.0.0/8 -> src -m ip -- 10.0.0.0/16
 *   proxy 'fe': acl 'ssh' added (dst_port -m int -- 22)
 *   proxy 'fe': rule added: tcp-request connection reject if ssh
 *   proxy 'fe': rule moved (3 -> 4): use_backend b1 if lan
 *   proxy 'fe': rule changed: use_backend b2 if ssh -> use_backend b3 if ssh
 */
#ifndef HAPC_PLAN_DIFF_H
#define HAPC_PLAN_DIFF_H

#include <stdio.h>
#include "plan.h"

/* Print the differences from `old` to `new` on `out`; returns how many
 * lines were printed (0: same content). */
unsigned long plan_diff(const struct plan *old, const struct plan *new,
                        FILE *out);

/* plan-diff-dns.c: resolvers sections matched by name (settings and
 * nameserver lists), and the run-time resolution of server sa of a and
 * sb of b (a line under `prefix` when it changed). Each returns the
 * lines printed. */
unsigned long plan_diff_resolvers(const struct plan *old,
                                  const struct plan *new, FILE *out);
unsigned long plan_diff_srv_resolve(const struct plan *a, uint32_t sa,
                                    const struct plan *b, uint32_t sb,
                                    const char *prefix, FILE *out);

#endif /* HAPC_PLAN_DIFF_H */
