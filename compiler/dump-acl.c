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

/* The name of variable `var`, or a made-up one when the plan keeps
 * none. */
static const char *dump_var_name(const struct plan *p, uint32_t var)
{
	static char fallback[32];
	const char *n = plan_var_name(p, var);

	if (n)
		return n;
	snprintf(fallback, sizeof(fallback), "txn.var%u", (unsigned)var);
	return fallback;
}

/* A converter argument, quoted when it holds a byte the argument parser
 * reads as syntax. */
static void dump_conv_arg(FILE *out, const char *sep, const char *t)
{
	fputs(sep, out);
	if (!t[strcspn(t, ",)\"' \\")]) {
		fputs(t, out);
		return;
	}
	fputc('"', out);
	for (; *t; t++) {
		if (*t == '"' || *t == '\\')
			fputc('\\', out);
		fputc(*t, out);
	}
	fputc('"', out);
}

/* The converters of line a as they are written after a fetch. */
static void dump_convs(const struct plan *p, const struct plan_acl *a,
                       FILE *out)
{
	static const char *const maps[PLAN_MATCH_MAX] = {
		[PLAN_MATCH_STR] = "str", [PLAN_MATCH_BEG] = "beg",
		[PLAN_MATCH_END] = "end", [PLAN_MATCH_SUB] = "sub",
		[PLAN_MATCH_REG] = "reg", [PLAN_MATCH_DOM] = "dom",
		[PLAN_MATCH_DIR] = "dir", [PLAN_MATCH_IP] = "ip",
		[PLAN_MATCH_INT] = "int",
	};
	static const char *const outs[SMP_OUT_MAX] = {
		[SMP_OUT_STR] = "str", [SMP_OUT_INT] = "int", [SMP_OUT_IP] = "ip",
	};
	char num[32];

	for (uint32_t i = a->conv ? a->conv - 1 : p->nsteps; i < p->nsteps; i++) {
		const struct plan_conv_step *st = &p->steps[i];
		const char *s1 = plan_str_get(p, st->s1);
		const char *s2 = plan_str_get(p, st->s2);
		const char *var = st->flags & PLAN_CS_F_A_VAR ?
		                  dump_var_name(p, (uint32_t)st->a) : NULL;

		switch (st->conv) {
		case PLAN_CONV_MAP:
			fprintf(out, ",map_%s_%s", maps[st->match], outs[st->out]);
			dump_conv_arg(out, "(", s2);
			if (st->flags & PLAN_CS_F_DEFAULT)
				dump_conv_arg(out, ",", s1);
			fputc(')', out);
			break;
		case PLAN_CONV_REGSUB:
			fputs(",regsub", out);
			dump_conv_arg(out, "(", plan_str_get(p,
			              p->patterns[st->first_pattern].str));
			dump_conv_arg(out, ",", s1);
			if (st->flags & (PLAN_CS_F_ICASE | PLAN_CS_F_GLOBAL))
				fprintf(out, ",%s%s", st->flags & PLAN_CS_F_ICASE ? "i" : "",
				        st->flags & PLAN_CS_F_GLOBAL ? "g" : "");
			fputc(')', out);
			break;
		case PLAN_CONV_LTRIM:
		case PLAN_CONV_RTRIM:
			fprintf(out, ",%s", sample_conv_name(st->conv));
			dump_conv_arg(out, "(", s1);
			fputc(')', out);
			break;
		case PLAN_CONV_FIELD:
		case PLAN_CONV_WORD:
			fprintf(out, ",%s(%lld", sample_conv_name(st->conv),
			        (long long)st->a);
			dump_conv_arg(out, ",", s1);
			fprintf(out, ",%lld)", (long long)st->b);
			break;
		case PLAN_CONV_BYTES:
			fprintf(out, ",bytes(%lld", (long long)st->a);
			if (st->b >= 0)
				fprintf(out, ",%lld", (long long)st->b);
			fputc(')', out);
			break;
		case PLAN_CONV_IPMASK:
			fprintf(out, ",ipmask(%lld", (long long)st->a);
			if (st->b >= 0)
				fprintf(out, ",%lld", (long long)st->b);
			fputc(')', out);
			break;
		case PLAN_CONV_SHA2:
			fprintf(out, ",sha2(%lld)", (long long)st->a);
			break;
		case PLAN_CONV_CONCAT:
			fputs(",concat", out);
			dump_conv_arg(out, "(", s1);
			fprintf(out, ",%s", var ? var : "");
			dump_conv_arg(out, ",", s2);
			fputc(')', out);
			break;
		case PLAN_CONV_STRCMP:
		case PLAN_CONV_ADD: case PLAN_CONV_SUB: case PLAN_CONV_MUL:
		case PLAN_CONV_DIV: case PLAN_CONV_MOD: case PLAN_CONV_AND:
		case PLAN_CONV_OR: case PLAN_CONV_XOR:
			snprintf(num, sizeof(num), "%lld", (long long)st->a);
			fprintf(out, ",%s(%s)", sample_conv_name(st->conv),
			        var ? var : num);
			break;
		default:
			fprintf(out, ",%s", sample_conv_name(st->conv));
			break;
		}
		if (st->flags & PLAN_CS_F_LAST)
			break;
	}
}

void dump_fetch(const struct plan *p, const struct plan_acl *a, FILE *out)
{
	if (a->fetch == PLAN_FETCH_STKCTR) {
		dump_stick_fetch(p, a, out);
		return;
	}
	fprintf(out, "%s", sample_fetch_by_id(a->fetch)->name);
	if (a->fetch == PLAN_FETCH_NBSRV && a->arg != PLAN_NONE)
		fprintf(out, "(%s)", plan_str_get(p, p->proxies[a->arg].name));
	if (a->fetch == PLAN_FETCH_FC_PP_TLV)
		fprintf(out, "(%u)", (unsigned)a->arg);
	if (a->fetch == PLAN_FETCH_ACL) {
		const char *l = plan_str_get(p, a->sarg);
		size_t pos = 0;
		uint32_t first, n;
		const char *sep = "(";
		int neg;

		while (plan_acl_ref_next(l, a->sarg.len, &pos, &neg, &first,
		                         &n) > 0) {
			fprintf(out, "%s%s%s", sep, neg ? "!" : "",
			        plan_str_get(p, p->acls[first].name));
			sep = ",";
		}
		fputc(')', out);
		dump_convs(p, a, out);
		return;
	}
	if (a->fetch == PLAN_FETCH_DATE && (a->arg2 || a->occ))
		fprintf(out, "(%d,%s)", (int)a->arg2,
		        a->occ == PLAN_DATE_US ? "us" :
		        a->occ == PLAN_DATE_MS ? "ms" : "s");
	if (a->fetch == PLAN_FETCH_REQ_PAYLOAD ||
	    a->fetch == PLAN_FETCH_RES_PAYLOAD)
		fprintf(out, "(%u,%d)", (unsigned)a->arg, (int)a->occ);
	if (a->fetch == PLAN_FETCH_REQ_PAYLOAD_LV ||
	    a->fetch == PLAN_FETCH_RES_PAYLOAD_LV)
		fprintf(out, "(%u,%d,%+d)", (unsigned)a->arg, (int)a->occ,
		        (int)a->arg2);
	if (a->fetch == PLAN_FETCH_HTTP_AUTH ||
	    a->fetch == PLAN_FETCH_HTTP_AUTH_GROUP) {
		const char *ul = plan_str_get(p, a->sarg);

		fprintf(out, "(%.*s)", (int)strcspn(ul, "\t\n"), ul);
	} else if (sample_fetch_by_id(a->fetch)->arg == SMP_ARG_TEXT) {
		if (a->sarg.len) {
			dump_conv_arg(out, "(", plan_str_get(p, a->sarg));
			fputc(')', out);
		}
	} else if (a->sarg.len) {
		fprintf(out, "(%s", plan_str_get(p, a->sarg));
		if (a->occ)
			fprintf(out, ",%d", (int)a->occ);
		fputc(')', out);
	}
	dump_convs(p, a, out);
}

/* `pre`, the sample expression of line a, then `post`, as one word of a
 * configuration line (quoted and escaped when it must be). */
void dump_fetch_word(const struct plan *p, const struct plan_acl *a,
                     const char *pre, const char *post, FILE *out)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	if (!m)
		return;
	fputs(pre, m);
	dump_fetch(p, a, m);
	fputs(post, m);
	fclose(m);
	dump_word(out, text, len);
	free(text);
}

void dump_acl_expr(const struct plan *p, const struct plan_acl *a, FILE *out)
{
	dump_fetch_word(p, a, "", "", out);
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

/* The set (enum plan_tcp_set) rule `r` of verified plan p is in. */
static uint32_t dump_rule_set(const struct plan *p, const struct plan_rule *r)
{
	uint32_t i = (uint32_t)(r - p->rules), first, n;

	for (uint32_t set = 0; set < PLAN_TCP_SET_MAX; set++) {
		n = plan_tcp_rules_of(p, r->proxy, set, &first);
		if (i >= first && i - first < n)
			return set;
	}
	return PLAN_TCP_SWITCH;
}

void dump_rule(const struct plan *p, const struct plan_rule *r, FILE *out)
{
	static const char *const sets[PLAN_TCP_SET_MAX] = {
		[PLAN_TCP_CONNECTION] = "tcp-request connection",
		[PLAN_TCP_SESSION] = "tcp-request session",
		[PLAN_TCP_CONTENT] = "tcp-request content",
		[PLAN_TCP_RESPONSE] = "tcp-response content",
	};
	static const char *const actions[PLAN_RULE_ACTION_MAX] = {
		[PLAN_RULE_ACCEPT] = "accept", [PLAN_RULE_REJECT] = "reject",
		[PLAN_RULE_SILENT_DROP] = "silent-drop",
		[PLAN_RULE_SET_MARK] = "set-mark", [PLAN_RULE_SET_TOS] = "set-tos",
		[PLAN_RULE_EXPECT_PROXY] = "expect-proxy layer4",
		[PLAN_RULE_CLOSE] = "close",
		[PLAN_RULE_SET_VAR] = "set-var",
	};
	uint32_t set = dump_rule_set(p, r);

	if (r->action == PLAN_RULE_USE_BACKEND && r->backend == PLAN_NONE) {
		fputs("use_backend ", out);
		dump_fetch_word(p, &p->acls[r->arg - 1], "%[", "]", out);
	} else if (r->action == PLAN_RULE_USE_BACKEND) {
		const struct plan_str *n = &p->proxies[r->backend].name;

		fputs("use_backend ", out);
		dump_word(out, plan_str_get(p, *n), n->len);
	} else if (r->action == PLAN_RULE_USE_SERVER) {
		const struct plan_str *n =
			&p->servers[p->proxies[r->proxy].first_server + r->arg].name;

		fputs("use-server ", out);
		dump_word(out, plan_str_get(p, *n), n->len);
	} else if (r->action == PLAN_RULE_STICK)
		dump_track(p, r->arg, set == PLAN_TCP_STICK ? "" :
		           "tcp-request connection ", out);
	else
		fprintf(out, "%s %s", sets[set] ? sets[set] : "tcp-request",
		        actions[r->action]);
	if (r->action == PLAN_RULE_SET_MARK)
		fprintf(out, " 0x%x", (unsigned)r->arg);
	if (r->action == PLAN_RULE_SET_TOS)
		fprintf(out, " %u", (unsigned)r->arg);
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
	const struct plan_tcp *t = &p->tcp[px - p->proxies];

	if (t->inspect_delay)
		fprintf(out, "    tcp-request inspect-delay %ums\n",
		        (unsigned)t->inspect_delay);
	if (t->res_inspect_delay)
		fprintf(out, "    tcp-response inspect-delay %ums\n",
		        (unsigned)t->res_inspect_delay);
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
		[PLAN_HA_SET_VAR] = "set-var", [PLAN_HA_SET_VAR_FMT] = "set-var-fmt",
		[PLAN_HA_UNSET_VAR] = "unset-var",
		[PLAN_HA_USE_SERVICE] = "use-service",
		[PLAN_HA_REPLACE_PATH] = "replace-path",
		[PLAN_HA_AUTH] = "auth", [PLAN_HA_TARPIT] = "tarpit",
		[PLAN_HA_NORMALIZE_URI] = "normalize-uri",
	};
	static const char *const services[PLAN_SVC_MAX] = {
		[PLAN_SVC_PROMEX] = "prometheus-exporter",
	};

	if (r->action == PLAN_HA_STICK) {
		fprintf(out, "%s ", sets[r->set]);
		dump_track(p, r->arg, "", out);
	} else if (r->action == PLAN_HA_STATS_ADMIN) {
		fputs("stats admin", out);
	} else {
		fprintf(out, "%s%s %s", r->flags & PLAN_HR_F_STATS ? "stats " : "",
		        sets[r->set], acts[r->action]);
	}
	switch (r->action) {
	case PLAN_HA_SET_VAR:
		fprintf(out, "(%s) ", plan_str_get(p, r->name));
		dump_fetch_word(p, &p->acls[p->lf[r->first_lf].ref], "", "", out);
		break;
	case PLAN_HA_SET_VAR_FMT:
		fprintf(out, "(%s) ", plan_str_get(p, r->name));
		dump_lf(p, r, 1, out);
		break;
	case PLAN_HA_UNSET_VAR:
		fprintf(out, "(%s)", plan_str_get(p, r->name));
		break;
	case PLAN_HA_NORMALIZE_URI:
		fprintf(out, " %s%s%s", plan_uri_norm_name(r->arg),
		        r->flags & PLAN_HR_F_NORM_FULL ? " full" : "",
		        r->flags & PLAN_HR_F_NORM_STRICT ? " strict" : "");
		break;
	case PLAN_HA_AUTH:
		if (r->name.len) {
			fprintf(out, " realm ");
			dump_word(out, plan_str_get(p, r->name), r->name.len);
		}
		break;
	case PLAN_HA_DENY:
	case PLAN_HA_RETURN:
	case PLAN_HA_TARPIT:
		fprintf(out, " %sstatus %u", r->action != PLAN_HA_RETURN ? "deny_" : "",
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
		if (r->flags & PLAN_HR_F_IGNORE_EMPTY)
			fprintf(out, " ignore-empty");
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
	case PLAN_HA_USE_SERVICE:
		fprintf(out, " %s", services[r->arg]);
		break;
	case PLAN_HA_REPLACE_PATH: {
		const struct plan_pattern *pt =
			&p->patterns[p->acls[r->arg].first_pattern];

		fputc(' ', out);
		dump_word(out, plan_str_get(p, pt->str), pt->str.len);
		fputc(' ', out);
		dump_lf(p, r, 1, out);
		break;
	}
	case PLAN_HA_ALLOW:
	case PLAN_HA_STICK:
	case PLAN_HA_STATS_ADMIN:
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
