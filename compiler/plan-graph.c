/*
 * plan-graph.c: Graphviz dot of a plan (plan-graph.h).
 */
#include "config.h"

#include <inttypes.h>

#include "addr.h"
#include "plan-graph.h"

/* A dot string literal: quotes and backslashes escaped, a newline as
 * dot's line break, other control bytes dropped (names and addresses come
 * from the configuration). */
static void graph_quote(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '\n')
			fputs("\\n", out);
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		if ((unsigned char)*s >= 0x20 && *s != 0x7f)
			fputc(*s, out);
	}
	fputc('"', out);
}

static void graph_node(FILE *out, char kind, uint32_t i, const char *label,
                       const char *attrs)
{
	fprintf(out, "  %c%" PRIu32 " [label=", kind, i);
	graph_quote(out, label);
	fprintf(out, ", %s];\n", attrs);
}

int plan_graph(const struct plan *p, FILE *out)
{
	static const char *const kinds[] = { "", "frontend", "backend", "listen" };
	static const char *const modes[] = { "tcp", "http" };
	char buf[400], addr[192];

	fputs("digraph plan {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n",
	      out);
	for (uint32_t i = 0; i < p->nlisteners; i++) {
		addr_format(&p->listeners[i].addr, addr, sizeof(addr));
		graph_node(out, 'l', i, addr, "shape=cds");
	}
	for (uint32_t i = 0; i < p->nproxies; i++) {
		const struct plan_proxy *px = &p->proxies[i];

		snprintf(buf, sizeof(buf), "%s %s\n(mode %s)",
		         kinds[px->cap & PLAN_CAP_ALL], plan_str_get(p, px->name),
		         px->mode < PLAN_MODE_MAX ? modes[px->mode] : "?");
		graph_node(out, 'p', i, buf,
		           px->cap == PLAN_CAP_FE ? "shape=box" :
		           px->cap == PLAN_CAP_BE ? "shape=box3d" : "shape=component");
	}
	for (uint32_t i = 0; i < p->nservers; i++) {
		const struct plan_server *s = &p->servers[i];
		struct plan_addr a;

		plan_server_addr(p, i, &a);
		if (a.family == PLAN_FAM_NONE)
			snprintf(addr, sizeof(addr), "no address");
		else
			addr_format(&a, addr, sizeof(addr));
		snprintf(buf, sizeof(buf), "%s %s", plan_str_get(p, s->name), addr);
		graph_node(out, 's', i, buf, "shape=ellipse");
	}
	for (uint32_t i = 0; i < p->nlisteners; i++)
		fprintf(out, "  l%" PRIu32 " -> p%" PRIu32 ";\n", i,
		        p->listeners[i].proxy);
	for (uint32_t i = 0; i < p->nproxies; i++)
		if (p->proxies[i].default_backend != PLAN_NONE)
			fprintf(out, "  p%" PRIu32 " -> p%" PRIu32
			        " [label=\"default_backend\"];\n", i,
			        p->proxies[i].default_backend);
	for (uint32_t i = 0; i < p->nservers; i++)
		fprintf(out, "  p%" PRIu32 " -> s%" PRIu32 ";\n",
		        p->servers[i].proxy, i);
	fputs("}\n", out);
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
