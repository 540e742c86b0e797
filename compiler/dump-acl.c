/*
 * dump-acl.c: a proxy's ACL lines and rules back to configuration text
 * (acl, tcp-request connection, use_backend), for dump.c.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dump.h"
#include "sample-reg.h"

static void dump_pattern(FILE *out, const struct plan *p,
                         const struct plan_pattern *pt)
{
	char text[INET6_ADDRSTRLEN];

	switch (pt->kind) {
	case PLAN_PAT_STR:
	case PLAN_PAT_REG:
		fputc(' ', out);
		dump_word(out, plan_str_get(p, pt->str), pt->str.len);
		break;
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

void dump_fetch(const struct plan *p, const struct plan_acl *a, FILE *out)
{
	fprintf(out, "%s", sample_fetch_by_id(a->fetch)->name);
	if (a->fetch == PLAN_FETCH_NBSRV && a->arg != PLAN_NONE)
		fprintf(out, "(%s)", plan_str_get(p, p->proxies[a->arg].name));
	if (a->sarg.len) {
		fprintf(out, "(%s", plan_str_get(p, a->sarg));
		if (a->occ)
			fprintf(out, ",%d", (int)a->occ);
		fputc(')', out);
	}
}

void dump_acl_expr(const struct plan *p, const struct plan_acl *a, FILE *out)
{
	dump_fetch(p, a, out);
	fprintf(out, " -m %s", sample_match_by_id(a->match)->name);
	if (a->flags & PLAN_ACL_F_ICASE)
		fprintf(out, " -i");
	if (a->npatterns)
		fprintf(out, " --");
	for (uint32_t k = 0; k < a->npatterns; k++)
		dump_pattern(out, p, &p->patterns[a->first_pattern + k]);
}

void dump_cond(const struct plan *p, const struct plan_rule *r, FILE *out)
{
	dump_cond_terms(p, r->cond, r->first_term, r->nterms, out);
}

void dump_cond_terms(const struct plan *p, uint32_t cond, uint32_t first,
                     uint32_t n, FILE *out)
{
	if (cond == PLAN_COND_NONE)
		return;
	fprintf(out, "%s", cond == PLAN_COND_IF ? "if" : "unless");
	for (uint32_t t = 0; t < n; t++) {
		const struct plan_term *tm = &p->terms[first + t];
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
	if (r->action == PLAN_RULE_USE_BACKEND) {
		const struct plan_str *n = &p->proxies[r->backend].name;

		fputs("use_backend ", out);
		dump_word(out, plan_str_get(p, *n), n->len);
	} else
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
	for (uint32_t set = 0; set < PLAN_HR_SET_MAX; set++) {
		uint32_t first, n = plan_http_rules_of(p, (uint32_t)(px - p->proxies),
		                                       set, &first);

		for (uint32_t i = 0; i < n; i++) {
			fprintf(out, "    ");
			dump_http_rule(p, &p->http_rules[first + i], out);
			fputc('\n', out);
		}
	}
}

/* Nodes [from, to) of http rule `r` as log-format text (literal '%'
 * doubled when `lf`, else the plain text of a literal-only value), as
 * one word. */
static void dump_lf_range(const struct plan *p, const struct plan_http_rule *r,
                          uint32_t from, uint32_t to, int lf, FILE *out)
{
	static const char *const vars[PLAN_LFV_MAX] = {
		[PLAN_LFV_CI] = "ci", [PLAN_LFV_CP] = "cp", [PLAN_LFV_FI] = "fi",
		[PLAN_LFV_FP] = "fp", [PLAN_LFV_FT] = "ft", [PLAN_LFV_B] = "b",
		[PLAN_LFV_S] = "s",
	};
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	if (!m)
		return;
	for (uint32_t k = from; k < to; k++) {
		const struct plan_lf_node *nd = &p->lf[r->first_lf + k];

		if (nd->kind == PLAN_LF_LIT) {
			const char *t = plan_str_get(p, nd->str);

			for (uint32_t i = 0; i < nd->str.len; i++) {
				if (t[i] == '%' && lf)
					fputc('%', m);
				fputc(t[i], m);
			}
		} else if (nd->kind == PLAN_LF_VAR) {
			fprintf(m, "%%%s", vars[nd->ref]);
		} else if (nd->kind == PLAN_LF_GROUP) {
			fprintf(m, "\\%u", (unsigned)nd->ref);
		} else {
			fputs("%[", m);
			dump_fetch(p, &p->acls[nd->ref], m);
			for (unsigned c = 0; c < PLAN_LF_MAX_CONV && nd->conv[c]; c++)
				fprintf(m, ",%s", sample_conv_name(nd->conv[c]));
			fputc(']', m);
		}
	}
	fclose(m);
	dump_word(out, text, len);
	free(text);
}

/* The first HDR node of r's value (index in it), or nlf. */
static uint32_t dump_first_hdr(const struct plan *p,
                               const struct plan_http_rule *r, uint32_t from)
{
	while (from < r->nlf && p->lf[r->first_lf + from].kind != PLAN_LF_HDR)
		from++;
	return from;
}

static void dump_lf(const struct plan *p, const struct plan_http_rule *r,
                    int lf, FILE *out)
{
	dump_lf_range(p, r, 0, r->nlf, lf, out);
}

void dump_http_rule(const struct plan *p, const struct plan_http_rule *r,
                    FILE *out)
{
	uint32_t h;

	static const char *const sets[PLAN_HR_SET_MAX] = {
		"http-request", "http-response", "http-after-response",
	};
	static const char *const redirs[PLAN_REDIR_MAX] = {
		"location", "prefix", "scheme",
	};
	static const char *const acts[PLAN_HA_ACTION_MAX] = {
		[PLAN_HA_ALLOW] = "allow", [PLAN_HA_DENY] = "deny",
		[PLAN_HA_RETURN] = "return", [PLAN_HA_REDIRECT] = "redirect",
		[PLAN_HA_SET_HEADER] = "set-header",
		[PLAN_HA_ADD_HEADER] = "add-header",
		[PLAN_HA_DEL_HEADER] = "del-header",
		[PLAN_HA_SET_STATUS] = "set-status",
		[PLAN_HA_SET_PATH] = "set-path", [PLAN_HA_SET_QUERY] = "set-query",
		[PLAN_HA_SET_URI] = "set-uri", [PLAN_HA_SET_METHOD] = "set-method",
		[PLAN_HA_REPLACE_HEADER] = "replace-header",
		[PLAN_HA_REPLACE_VALUE] = "replace-value",
	};

	fprintf(out, "%s %s", sets[r->set], acts[r->action]);
	switch (r->action) {
	case PLAN_HA_DENY:
	case PLAN_HA_RETURN:
		fprintf(out, " %sstatus %u", r->action == PLAN_HA_DENY ? "deny_" : "",
		        (unsigned)r->status);
		if (r->name.len) {
			fprintf(out, " content-type ");
			dump_word(out, plan_str_get(p, r->name), r->name.len);
		}
		h = dump_first_hdr(p, r, 0);
		if (h) {
			fprintf(out, " lf-string ");
			dump_lf_range(p, r, 0, h, 1, out);
		}
		while (h < r->nlf) {
			const struct plan_lf_node *nd = &p->lf[r->first_lf + h];
			uint32_t e = dump_first_hdr(p, r, h + 1);

			fprintf(out, " hdr ");
			dump_word(out, plan_str_get(p, nd->str), nd->str.len);
			fputc(' ', out);
			dump_lf_range(p, r, h + 1, e, 1, out);
			h = e;
		}
		break;
	case PLAN_HA_REDIRECT:
		fprintf(out, " %s ", redirs[r->arg]);
		h = dump_first_hdr(p, r, 0);
		dump_lf_range(p, r, 0, h, 1, out);
		if (h + 1 < r->nlf) {
			/* the Set-Cookie line cfgc made of set-cookie/clear-cookie */
			const struct plan_lf_node *nd = &p->lf[r->first_lf + h + 1];
			const char *t = plan_str_get(p, nd->str);
			size_t l = nd->str.len, cl = strlen("; path=/; Max-Age=0;");
			size_t sl = strlen("; path=/;");
			int clear = l >= cl && !strcmp(t + l - cl, "; path=/; Max-Age=0;");
			size_t cut = clear ? cl : l >= sl &&
			             !strcmp(t + l - sl, "; path=/;") ? sl : 0;

			fprintf(out, " %s-cookie ", clear ? "clear" : "set");
			dump_word(out, t, l - cut);
		}
		fprintf(out, " code %u", (unsigned)r->status);
		if (r->flags & PLAN_HR_F_DROP_QUERY)
			fprintf(out, " drop-query");
		if (r->flags & PLAN_HR_F_APPEND_SLASH)
			fprintf(out, " append-slash");
		break;
	case PLAN_HA_SET_HEADER:
	case PLAN_HA_ADD_HEADER:
		fputc(' ', out);
		dump_word(out, plan_str_get(p, r->name), r->name.len);
		fputc(' ', out);
		dump_lf(p, r, 1, out);
		break;
	case PLAN_HA_DEL_HEADER:
		fputc(' ', out);
		dump_word(out, plan_str_get(p, r->name), r->name.len);
		fprintf(out, " -m %s", sample_match_by_id(r->arg)->name);
		break;
	case PLAN_HA_SET_STATUS:
		fprintf(out, " %u", (unsigned)r->status);
		if (r->nlf) {
			fprintf(out, " reason ");
			dump_lf(p, r, 0, out);
		}
		break;
	case PLAN_HA_REPLACE_HEADER:
	case PLAN_HA_REPLACE_VALUE: {
		const struct plan_pattern *pt =
			&p->patterns[p->acls[r->arg].first_pattern];

		fputc(' ', out);
		dump_word(out, plan_str_get(p, r->name), r->name.len);
		fputc(' ', out);
		dump_word(out, plan_str_get(p, pt->str), pt->str.len);
		fputc(' ', out);
		dump_lf(p, r, 1, out);
		break;
	}
	case PLAN_HA_ALLOW:
		break;
	default:
		fputc(' ', out);
		dump_lf(p, r, 1, out);
		break;
	}
	if (r->cond != PLAN_COND_NONE)
		fputc(' ', out);
	dump_cond_terms(p, r->cond, r->first_term, r->nterms, out);
}
