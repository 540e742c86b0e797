/*
 * tls_server.h: TLS to servers in cfgrun (plan kind PLAN_SEC_TLS_SERVER).
 */
#ifndef HAPC_TLS_SERVER_H
#define HAPC_TLS_SERVER_H

#include "plan.h"

/*
 * Whether this cfgrun can run the TLS settings of plan `p`: 0 when it can
 * (no server uses TLS), -1 after logging, for the first server that does,
 * why it cannot. A plan is never run with TLS servers talked to in clear.
 */
int tls_server_plan_check(const struct plan *p);

#endif /* HAPC_TLS_SERVER_H */
