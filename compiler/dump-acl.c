/*
 * dump-acl.c: a proxy's ACL lines and rules back to configuration text
 * (acl, tcp-request connection, use_backend), for dump.c.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>
#include "dump.h"

static const char *const dump_fetches[PLAN_FETCH_MAX] = {
	[PLAN_FETCH_ALWAYS_FALSE] = "always_false",
	[PLAN_FETCH_ALWAYS_TRUE] = "always_true",
	[PLAN_FETCH_SRC] = "src", [PLAN_FETCH_DST] = "dst",
	[PLAN_FETCH_SRC_PORT] = "src_port", [PLAN_FETCH_DST_PORT] = "dst_port",
	[PLAN_FETCH_NBSRV] = "nbsrv",
};

static const char *const dump_matches[PLAN_MATCH_MAX] = {
	[PLAN_MATCH_FOUND] = "found", [PLAN_MATCH_BOOL] = "bool",
	[PLAN_MATCH_INT] = "int", [PLAN_MATCH_IP] = "ip",
};

static void dump_pattern(FILE *out, const struct plan_pattern *pt)
{
	char text[INET6_ADDRSTRLEN];

	switch (pt->kind) {
	case PLAN_PAT_INT:
		if (pt->lo == pt->hi)
			fprintf(out, " %" PRId64, pt->lo);
		else if (pt->lo == INT64_MIN && pt->hi != INT64_MAX)
			fprintf(out, " :%" PRId64, pt->hi);
		else if (pt->hi == INT64_MAX)
			fprintf(out, " %" PRId64 ":", pt->lo);
		else
			fprintf(out, " %" PRId64 ":%" PRId64, pt->lo, pt->hi);
		break;
	default:
		inet_ntop(pt->kind == PLAN_PAT_IPV4 ? AF_INET : AF_INET6, pt->ip,
		          text, sizeof(text));
		fprintf(out, " %s", text);
		if (pt->prefix != (pt->kind == PLAN_PAT_IPV4 ? 32 : 128))
			fprintf(out, "/%u", (unsigned)pt->prefix);
		break;
	}
}

void dump_acl_expr(const struct plan *p, const struct plan_acl *a, FILE *out)
{
	fprintf(out, "%s", dump_fetches[a->fetch]);
	if (a->fetch == PLAN_FETCH_NBSRV && a->arg != PLAN_NONE)
		fprintf(out, "(%s)", plan_str_get(p, p->proxies[a->arg].name));
	fprintf(out, " -m %s", dump_matches[a->match]);
	if (a->npatterns)
		fprintf(out, " --");
	for (uint32_t k = 0; k < a->npatterns; k++)
		dump_pattern(out, &p->patterns[a->first_pattern + k]);
}

void dump_cond(const struct plan *p, const struct plan_rule *r, FILE *out)
{
	if (r->cond == PLAN_COND_NONE)
		return;
	fprintf(out, "%s", r->cond == PLAN_COND_IF ? "if" : "unless");
	for (uint32_t t = 0; t < r->nterms; t++) {
		const struct plan_term *tm = &p->terms[r->first_term + t];
		const struct plan_acl *a = &p->acls[tm->first_acl];

		if (tm->flags & PLAN_TERM_F_OR)
			fprintf(out, " ||");
		fprintf(out, " %s", (tm->flags & PLAN_TERM_F_NEGATE) ? "!" : "");
		if (a->name.len) {
			fprintf(out, "%s", plan_str_get(p, a->name));
			continue;
		}
		fprintf(out, "{ ");
		dump_acl_expr(p, a, out);
		fprintf(out, " }");
	}
}

void dump_rule(const struct plan *p, const struct plan_rule *r, FILE *out)
{
	if (r->action == PLAN_RULE_USE_BACKEND)
		fprintf(out, "use_backend %s",
		        plan_str_get(p, p->proxies[r->backend].name));
	else
		fprintf(out, "tcp-request connection %s",
		        r->action == PLAN_RULE_ACCEPT ? "accept" : "reject");
	if (r->cond != PLAN_COND_NONE)
		fputc(' ', out);
	dump_cond(p, r, out);
}

void dump_switching(const struct plan *p, const struct plan_proxy *px,
                    FILE *out)
{
	for (uint32_t i = 0; i < px->nacls; i++) {
		const struct plan_acl *a = &p->acls[px->first_acl + i];

		if (!a->name.len)
			continue;
		fprintf(out, "    acl %s ", plan_str_get(p, a->name));
		dump_acl_expr(p, a, out);
		fputc('\n', out);
	}
	for (uint32_t i = 0; i < px->nrules; i++) {
		fprintf(out, "    ");
		dump_rule(p, &p->rules[px->first_rule + i], out);
		fputc('\n', out);
	}
}
