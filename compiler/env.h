/*
 * env.h: the global statements that change the process environment
 * (setenv, presetenv, unsetenv, resetenv). HAProxy applies them while it
 * reads, so `${VAR}` and `.if defined(VAR)` on later lines see them; cfgc
 * does the same from the parser's per-statement hook.
 */
#ifndef HAPC_ENV_H
#define HAPC_ENV_H

#include "ast-t.h"
#include "parse.h"

/*
 * The parse hook: applies `stmt` when it is one of the four environment
 * statements of a global section with well-formed arguments (malformed ones
 * are left alone; the evaluation pass reports them). Pass it as
 * parse_hooks.on_stmt; `ud` is unused.
 */
void env_on_stmt(void *ud, const struct ast_section *sec,
                 const struct ast_stmt *stmt);

/*
 * Define the variables HAProxy sets before it reads its configuration
 * (manual section 2.3: HAPROXY_BRANCH, HAPROXY_STARTUP_VERSION and the
 * default log formats HAPROXY_TCP_LOG_FMT, HAPROXY_HTTP_LOG_FMT,
 * HAPROXY_HTTP_CLF_LOG_FMT, HAPROXY_HTTPS_LOG_FMT), for the version cfgc
 * answers as (CFG_COMPAT_VERSION), overwriting what the environment had, as
 * HAProxy does. Returns 0, or -1 when out of memory.
 */
int env_set_haproxy_vars(void);

/* The hooks to hand to cfg_parse_file() / cfg_parse_buffer(). */
extern const struct parse_hooks env_parse_hooks;

#endif /* HAPC_ENV_H */
