/*
 * http_vars.h: variables at run time (types in http_vars-t.h).
 */
#ifndef HAPC_HTTP_VARS_H
#define HAPC_HTTP_VARS_H

#include "http_vars-t.h"
#include "plan.h"

/* Every variable of vs unset. */
void http_vars_clear(struct http_vars *vs);

/* Variable `var` := smp (its text copied in). 0, or -1 when the table's
 * bytes cannot hold it (the variable is then unset, as HAProxy leaves a
 * variable it could not set). */
int http_vars_set(struct http_vars *vs, uint32_t var,
                  const struct plan_sample *smp);

/* Variable `var` unset. */
void http_vars_unset(struct http_vars *vs, uint32_t var);

/* The sample of variable `var` into out (type NONE when unset); its text
 * stays valid until vs changes. */
void http_vars_get(const struct http_vars *vs, uint32_t var,
                   struct plan_sample *out);

/* 1 when variable `var` of plan p is a proc. one (a rule or line names
 * it "proc.x"). */
int http_vars_is_proc(const struct plan *p, uint32_t var);

#endif /* HAPC_HTTP_VARS_H */
