/*
 * lint.h: checks of the statements cfgc knows but does not compile.
 *
 * With --target=haproxy these checks are all cfgc says about such a
 * statement; with the default target they run first and the statement is
 * then refused as unsupported only when they found nothing wrong.
 * Cross-references (ACL names, backends, tables, files) are in xref.h.
 */
#ifndef HAPC_LINT_H
#define HAPC_LINT_H

#include <stddef.h>
#include <stdint.h>
#include "ast-t.h"
#include "diag-t.h"
#include "sema-t.h"

/*
 * Check the arguments of the known keyword statement `words[0..n)` found in
 * the place `sec` (one KW_SEC_* bit; for KW_SEC_BIND and KW_SEC_SERVER the
 * words are an option list). Returns the number of errors queued.
 */
unsigned lint_stmt(struct sema *s, const struct ast_word *words, size_t n,
                   uint32_t sec);

/* Check an option list of a bind line (sec KW_SEC_BIND) or of a server,
 * default-server or server-template line (KW_SEC_SERVER). Returns the
 * number of errors queued. */
unsigned lint_options(struct sema *s, const struct ast_word *words, size_t n,
                      uint32_t sec);

/* 1 when `name` is an option of bind lines (sec KW_SEC_BIND) or of server
 * lines (KW_SEC_SERVER) in the manual's sections 5.1 / 5.2. */
int lint_option_known(const char *name, uint32_t sec);

/*
 * --target=haproxy: remove from `dc` the errors coded unsupported* (what
 * HAProxy runs and cfgrun does not) queued by any pass, with their hints;
 * when a plan is written they become not-run warnings instead.
 */
void lint_drop_unsupported(struct diag_ctx *dc, int plan_output);

/*
 * --target=haproxy while a plan is written: warn (code not-run) that the
 * keyword or section `w` names is accepted for HAProxy but left out of the
 * plan, so a plan never runs less than its configuration says unnoticed.
 */
void lint_not_run(struct sema *s, const struct ast_word *w, const char *what);

/* Check the rule statement `words` (http-request ..., tcp-request content
 * ...): its action and the arguments cfgc knows. Returns errors queued. */
unsigned lint_rule(struct sema *s, const struct ast_word *words, size_t n);

/* Check the variable name name[0..len) written in `w` ("txn.x"): its
 * scope must be one HAProxy knows. Returns the number of errors queued. */
unsigned lint_var_word(struct sema *s, const struct ast_word *w,
                       const char *name, size_t len);

/* The LINT_RS_* rule set of a rule statement, and in *action the index of
 * its action word; 0 when `words` is not a rule with an action. */
uint32_t lint_ruleset(const struct ast_word *words, size_t n, size_t *action);

/* A section cfgc does not compile (cache, userlist, ...): its keywords are
 * checked against the manual. */
void lint_section(struct sema *s, const struct ast_section *sec);

/* 1 when `name` is in the sorted table `tab` of `n` names. */
int lint_name_in(const char *const *tab, size_t n, const char *name);

#endif /* HAPC_LINT_H */
