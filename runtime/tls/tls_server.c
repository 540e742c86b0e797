/*
 * tls_server.c: TLS to servers in cfgrun.
 *
 * The connect side of the TLS transport is not in this cfgrun yet: a plan
 * whose servers use TLS (for traffic or checks) is refused at start and at
 * reload, naming the server, rather than run in clear.
 */
#include "log.h"
#include "tls_server.h"

int tls_server_plan_check(const struct plan *p)
{
	const struct plan_tls_server *t;
	const struct plan_server *s;

	if (!p->ntls_servers)
		return 0;
	t = &p->tls_servers[0];
	s = &p->servers[t->server];
	log_error("server %s/%s (line %u) uses TLS%s, which this cfgrun does "
	          "not run yet", plan_str_get(p, p->proxies[s->proxy].name),
	          plan_str_get(p, s->name), (unsigned)s->line,
	          (t->flags & PLAN_TLS_SRV_F_SSL) ? "" : " for its checks");
	return -1;
}
