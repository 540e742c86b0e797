/*
 * plan-graph.c: Graphviz dot of a plan (plan-graph.h).
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "dump.h"
#include "plan-graph.h"

/* Longest edge label, in bytes: a longer condition is cut to it with
 * "..." at the end. */
#define GRAPH_LABEL_MAX 40

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

/*
 * One edge per use_backend rule of proxy `i`, to the backend it picks,
 * labelled with its condition as configuration text ("if ...", "unless
 * ...", shortened) or "use_backend" when it has none. Returns 0, or -1
 * out of memory.
 */
static int graph_rules(const struct plan *p, uint32_t i, FILE *out)
{
	uint32_t first, n = plan_tcp_rules_of(p, i, PLAN_TCP_SWITCH, &first);

	for (uint32_t k = 0; k < n; k++) {
		const struct plan_rule *r = &p->rules[first + k];
		char *cond = NULL;
		size_t len = 0;
		FILE *f;

		if (r->backend == PLAN_NONE)
			continue;           /* use_backend %[...]: known at run time */
		f = open_memstream(&cond, &len);

		if (!f)
			return -1;
		dump_cond(p, r, f);
		if (fclose(f)) {
			free(cond);
			return -1;
		}
		if (len > GRAPH_LABEL_MAX) {
			/* after a word, else not inside a UTF-8 sequence */
			size_t cut = GRAPH_LABEL_MAX - 4;

			while (cut && cond[cut] != ' ')
				cut--;
			if (cut)
				cut++;
			else
				cut = GRAPH_LABEL_MAX - 3;
			while (cut && ((unsigned char)cond[cut] & 0xc0) == 0x80)
				cut--;
			memcpy(cond + cut, "...", 4);
		}
		fprintf(out, "  p%" PRIu32 " -> p%" PRIu32 " [label=", i,
		        r->backend);
		graph_quote(out, len ? cond : "use_backend");
		fputs("];\n", out);
		free(cond);
	}
	return 0;
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
	for (uint32_t i = 0; i < p->nproxies; i++) {
		if (graph_rules(p, i, out))
			return -1;
		if (p->proxies[i].default_backend != PLAN_NONE)
			fprintf(out, "  p%" PRIu32 " -> p%" PRIu32
			        " [label=\"default_backend\"];\n", i,
			        p->proxies[i].default_backend);
	}
	for (uint32_t i = 0; i < p->nservers; i++)
		fprintf(out, "  p%" PRIu32 " -> s%" PRIu32 ";\n",
		        p->servers[i].proxy, i);
	fputs("}\n", out);
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
