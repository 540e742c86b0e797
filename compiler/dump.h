/*
 * dump.h: a verified plan back to canonical configuration text.
 */
#ifndef HAPC_DUMP_H
#define HAPC_DUMP_H

#include <stdio.h>
#include "plan.h"

/*
 * Print `p` (verified) as configuration text that cfgc compiles back to the
 * same plan content: global, then every proxy in plan order as frontend,
 * backend or listen, each setting written explicitly (no defaults
 * sections), one bind line per listener, times in their largest exact unit.
 * Returns 0, or -1 when writing to `out` failed.
 */
int dump_plan(const struct plan *p, FILE *out);

/* The named ACL lines, tcp-request connection and use_backend rules of
 * proxy `px` (anonymous ACLs inline in their conditions), in plan order. */
void dump_switching(const struct plan *p, const struct plan_proxy *px,
                    FILE *out);

/* A time in its largest exact unit ("10s", "1500ms"). */
void dump_ms(FILE *out, uint32_t ms);

/* One word as the lexer reads it back: bare when plain, else quoted. */
void dump_word(FILE *out, const char *s, size_t len);

/* ACL line `a` as "FETCH -m METHOD -- VALUES" (no name). */
void dump_acl_expr(const struct plan *p, const struct plan_acl *a, FILE *out);

/* The condition of rule `r` as "if ..." or "unless ..." (anonymous ACLs
 * inline); nothing for a rule without one. */
void dump_cond(const struct plan *p, const struct plan_rule *r, FILE *out);

/* The same for any condition: `cond` over TERM [first, first + n). */
void dump_cond_terms(const struct plan *p, uint32_t cond, uint32_t first,
                     uint32_t n, FILE *out);

/* The fetch of ACL line `a` as a sample expression ("req.hdr(host,1)"). */
void dump_fetch(const struct plan *p, const struct plan_acl *a, FILE *out);
/* pre, the fetch and converters of line a, post: one word of a line. */
void dump_fetch_word(const struct plan *p, const struct plan_acl *a,
                     const char *pre, const char *post, FILE *out);

/* Http rule `r` as one configuration line, without indent or newline. */
void dump_http_rule(const struct plan *p, const struct plan_http_rule *r,
                    FILE *out);

/* Rule `r` as one configuration line, without indent or newline:
 * "use_backend NAME [COND]" or "tcp-request connection accept|reject
 * [COND]". */
void dump_rule(const struct plan *p, const struct plan_rule *r, FILE *out);

/* Stick tables (dump-stick.c): the stick-table line of proxy px, if it
 * has one; a stick counter fetch ("sc0_http_req_rate(T)"); TRACK record
 * `i` as its action words after `prefix`. */
/* The userlist sections the ACL lines carry (dump-userlist.c). */
void dump_userlists(const struct plan *p, FILE *out);

/* dump-dns.c: the resolvers sections; for server `idx` resolved at run
 * time, its host name word (with its port) into buf (1; 0 when it has no
 * SRV_RESOLVE record or was left without an address), then its options
 * (` init-addr IP` for the address the plan holds, ` resolvers NAME`,
 * resolve-prefer and resolve-opts). */
void dump_resolvers(const struct plan *p, FILE *out);
int dump_srv_resolve_addr(const struct plan *p, uint32_t idx, char *buf,
                          size_t len);
void dump_srv_resolve(const struct plan *p, uint32_t idx,
                      const struct plan_addr *addr, FILE *out);

void dump_stick_table(const struct plan *p, uint32_t px, FILE *out);
void dump_stick_fetch(const struct plan *p, const struct plan_acl *a,
                      FILE *out);
void dump_track(const struct plan *p, uint32_t i, const char *prefix,
                FILE *out);

#endif /* HAPC_DUMP_H */
