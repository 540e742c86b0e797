/*
 * model-t.h: the typed model the evaluation pass builds from the AST.
 *
 * Everything here is already checked: addresses are socket addresses,
 * times are milliseconds, defaults are applied, names are resolved to
 * indices. The emitter reads it (const) and writes a plan; it cannot find
 * new errors.
 */
#ifndef HAPC_MODEL_T_H
#define HAPC_MODEL_T_H

#include <stddef.h>
#include <stdint.h>
#include "diag-t.h"
#include "plan-t.h"

/* The settings a defaults section hands down to the proxies using it. */
struct model_settings {
	uint32_t mode;              /* enum plan_mode */
	uint32_t balance;           /* enum plan_balance */
	uint32_t maxconn;           /* connections, 0 = none */
	uint32_t timeout_connect;   /* ms, 0 = none */
	uint32_t timeout_client;    /* ms, 0 = none */
	uint32_t timeout_server;    /* ms, 0 = none */
	char *default_backend;      /* owned backend name, or NULL */
	struct src_loc default_backend_loc; /* where that name was written */
};

struct model_defaults {
	char *name;                 /* owned; NULL for an anonymous section */
	struct src_loc loc;         /* the section keyword */
	struct model_settings set;  /* as the section leaves them */
	int used_explicitly;        /* some proxy named it with `from` */
	int used_implicitly;        /* some proxy took it as the last one */
	struct src_loc implicit_loc;/* first proxy that took it implicitly */
};

struct model_listener {
	struct plan_addr addr;      /* one port: ranges are expanded */
	uint32_t line;              /* line of the bind statement */
};

struct model_server {
	char *name;                 /* owned */
	struct src_loc loc;         /* the name word */
	struct plan_addr addr;      /* PLAN_FAM_NONE: unresolved host (check only) */
	uint32_t weight;            /* 0..256 */
	uint32_t maxconn;           /* connections, 0 = none */
	uint32_t flags;             /* PLAN_SRV_F_* */
};

struct model_proxy {
	char *name;                 /* owned */
	uint32_t cap;               /* PLAN_CAP_* */
	struct src_loc loc;         /* the name word of the header */
	struct model_settings set;  /* defaults applied, then own statements */
	uint32_t default_backend;   /* proxy index, or PLAN_NONE */
	struct model_listener *listeners; /* owned array */
	size_t nlisteners, listeners_cap;
	struct model_server *servers;     /* owned array */
	size_t nservers, servers_cap;
};

struct model {
	uint32_t maxconn;           /* global maxconn, 0 = runtime default */
	char *source;               /* owned: first configuration file */
	struct model_proxy *proxies;     /* owned array, in source order */
	size_t nproxies, proxies_cap;
	struct model_defaults *defaults; /* owned array, in source order */
	size_t ndefaults, defaults_cap;
};

#endif /* HAPC_MODEL_T_H */
