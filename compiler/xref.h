/*
 * xref.h: the checks that need the whole configuration, made on the
 * syntax tree after the evaluation pass, whatever cfgc compiles: names
 * referred to (ACLs, backends, servers, tables, userlists, resolvers,
 * http-errors), files referred to, sample expressions, rules in defaults
 * sections, experimental actions, zero-warning.
 */
#ifndef HAPC_XREF_H
#define HAPC_XREF_H

#include "ast-t.h"
#include "sema-t.h"

/* Run every check on `cfg`; problems are queued in s->dc. Call it last:
 * zero-warning turns the warnings already queued into an error. */
void xref_run(struct sema *s, const struct ast_config *cfg);

/* The warnings about whole proxies (rule order, HTTP rules or options in
 * a TCP proxy, anonymous ACLs that never match); xref_run() calls it. */
void xref_warnings(struct sema *s, const struct ast_config *cfg);

/* The mode of a proxy section ("http", "tcp", "log"...): its own, else
 * that of the defaults section it inherits from (`from NAME`, or the last
 * one above it), else "tcp". */
const char *xref_proxy_mode(const struct ast_config *cfg,
                            const struct ast_section *sec);

#endif /* HAPC_XREF_H */
