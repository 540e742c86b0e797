/*
 * dump.c: canonical configuration text from a plan.
 */
#include <inttypes.h>
#include "addr.h"
#include "dump.h"

/* A time in ms with the largest unit that keeps it exact. */
static void dump_time(FILE *out, const char *what, uint32_t ms)
{
	static const struct { uint32_t ms; const char *unit; } units[] = {
		{ 86400000u, "d" }, { 3600000u, "h" }, { 60000u, "m" },
		{ 1000u, "s" },
	};

	if (!ms)
		return;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (ms % units[i].ms == 0) {
			fprintf(out, "    timeout %s %" PRIu32 "%s\n", what,
			        ms / units[i].ms, units[i].unit);
			return;
		}
	}
	fprintf(out, "    timeout %s %" PRIu32 "ms\n", what, ms);
}

static void dump_proxy(const struct plan *p, const struct plan_proxy *px,
                       FILE *out)
{
	static const char *const modes[PLAN_MODE_MAX] = { "tcp", "http" };
	char addr[160];

	fprintf(out, "\n%s %s\n", px->cap == PLAN_CAP_ALL ? "listen" :
	        px->cap == PLAN_CAP_FE ? "frontend" : "backend",
	        plan_str_get(p, px->name));
	fprintf(out, "    mode %s\n", modes[px->mode]);
	if (px->cap & PLAN_CAP_BE)
		fprintf(out, "    balance roundrobin\n");
	if ((px->cap & PLAN_CAP_FE) && px->maxconn)
		fprintf(out, "    maxconn %" PRIu32 "\n", px->maxconn);
	if (px->cap & PLAN_CAP_BE)
		dump_time(out, "connect", px->timeout_connect);
	if (px->cap & PLAN_CAP_FE)
		dump_time(out, "client", px->timeout_client);
	if (px->cap & PLAN_CAP_BE)
		dump_time(out, "server", px->timeout_server);
	for (uint32_t i = 0; i < px->nlisteners; i++) {
		addr_format(&p->listeners[px->first_listener + i].addr, addr,
		            sizeof(addr));
		fprintf(out, "    bind %s\n", addr);
	}
	for (uint32_t i = 0; i < px->nservers; i++) {
		const struct plan_server *s = &p->servers[px->first_server + i];

		addr_format(&s->addr, addr, sizeof(addr));
		fprintf(out, "    server %s %s", plan_str_get(p, s->name), addr);
		if (s->weight != 1)
			fprintf(out, " weight %" PRIu32, s->weight);
		if (s->maxconn)
			fprintf(out, " maxconn %" PRIu32, s->maxconn);
		fputc('\n', out);
	}
	if (px->default_backend != PLAN_NONE)
		fprintf(out, "    default_backend %s\n",
		        plan_str_get(p, p->proxies[px->default_backend].name));
}

int dump_plan(const struct plan *p, FILE *out)
{
	fprintf(out, "global\n");
	if (p->global->maxconn)
		fprintf(out, "    maxconn %" PRIu32 "\n", p->global->maxconn);
	for (uint32_t i = 0; i < p->nproxies; i++)
		dump_proxy(p, &p->proxies[i], out);
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
