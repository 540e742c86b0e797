/*
 * sema-t.h: the state of the evaluation pass and its keyword tables.
 */
#ifndef HAPC_SEMA_T_H
#define HAPC_SEMA_T_H

#include <stddef.h>
#include <stdint.h>
#include "ast-t.h"
#include "diag-t.h"
#include "kw-t.h"
#include "model-t.h"

#define SEMA_NO_PROXY ((size_t)-1)

/* What the configuration is checked for (cfgc --target). */
enum sema_target {
	SEMA_TARGET_CFGRUN  = 0,    /* cfgrun runs it: keywords cfgrun does not
	                               run are errors (unsupported-*) */
	SEMA_TARGET_HAPROXY = 1,    /* HAProxy runs it: keywords HAProxy knows
	                               are checked as far as cfgc can, never
	                               refused for being unsupported by cfgrun */
};

/* Options of one evaluation (cfgc's command line). */
struct sema_opts {
	unsigned addr_opts;         /* ADDR_* options for server addresses */
	enum sema_target target;    /* what the configuration is linted for */
	int hermetic;               /* --hermetic: files named are recorded as
	                               preconditions, not checked */
	int plan_output;            /* a plan is written: under the HAProxy
	                               target, what cfgrun will not run is
	                               said (warning not-run), never dropped
	                               silently */
};

/* One evaluation of a whole configuration (all files). */
struct sema {
	struct diag_ctx *dc;        /* where problems are queued */
	struct model *m;            /* what is being built */
	unsigned addr_opts;         /* ADDR_* options for server addresses */
	enum sema_target target;    /* SEMA_TARGET_*, from sema_opts */
	int hermetic;               /* from sema_opts */
	int plan_output;            /* from sema_opts */
	int oom;                    /* set once memory ran out */

	/* the section being read */
	uint32_t sec;               /* one KW_SEC_* bit, 0 outside sections */
	const char *sec_label;      /* "frontend", "defaults", ... */
	const char *sec_name;       /* its name, or NULL */
	struct model_settings *set; /* settings the statements fill (proxy or
	                               defaults), NULL in global */
	size_t proxy;               /* index of the current proxy, or
	                               SEMA_NO_PROXY (global, defaults) */
	struct files *files;        /* where named files are found (errorfile
	                               bodies are read while evaluating) */
	uint32_t global_maxconn_line; /* line of the global 'maxconn' read,
	                               0 while there was none */
};

#define KW_ARGS_ANY 0xffffu  /* max_args: options may follow */

enum kw_status {
	KW_COMPILED = 0,        /* evaluated into the model */
	KW_PREPARSED = 1,       /* applied while parsing (environment);
	                           only its arguments are checked here */
};

/* A keyword cfgc compiles. Tables of these, one per section family, live in
 * kw-global.c and kw-proxy.c. */
struct kw_def {
	const char *name;          /* first word of the statement */
	uint32_t sections;         /* KW_SEC_* where it is evaluated */
	uint32_t warn_sections;    /* KW_SEC_* where HAProxy ignores it with a
	                              warning (capability missing) */
	unsigned min_args;         /* words after the keyword, at least */
	unsigned max_args;         /* at most, or KW_ARGS_ANY */
	const char *usage;         /* arguments as the manual writes them */
	int (*parse)(struct sema *s, const struct ast_stmt *st);
	                           /* 0, or -1 after queueing an error */
	enum kw_status status;
	int takes_cond;            /* 1: may end with if/unless <condition> */
};

#endif /* HAPC_SEMA_T_H */
