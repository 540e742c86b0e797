/*
 * kw-acl.c: content switching for TCP: `acl` lines, `use_backend` and
 * `tcp-request connection accept|reject`, with their if/unless conditions.
 * What cfgc compiles of them is in doc/configuration.md ("Content
 * switching"); everything else stays an `unsupported` diagnostic, so a
 * plan never runs a rule differently from what the configuration says.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "kw.h"
#include "kw-known.h"
#include "lint.h"
#include "model.h"
#include "sema.h"
#include "units.h"

/* The fetches cfgc compiles, with their sample type and default match. */
static const struct acl_fetch {
	const char *name;
	uint32_t fetch;             /* enum plan_fetch */
	int ip;                     /* 1: returns an address, else int/bool */
	uint32_t def_match;         /* enum plan_match without -m */
} acl_fetches[] = {
	{ "always_false", PLAN_FETCH_ALWAYS_FALSE, 0, PLAN_MATCH_BOOL },
	{ "always_true", PLAN_FETCH_ALWAYS_TRUE, 0, PLAN_MATCH_BOOL },
	{ "dst", PLAN_FETCH_DST, 1, PLAN_MATCH_IP },
	{ "dst_port", PLAN_FETCH_DST_PORT, 0, PLAN_MATCH_INT },
	{ "nbsrv", PLAN_FETCH_NBSRV, 0, PLAN_MATCH_INT },
	{ "src", PLAN_FETCH_SRC, 1, PLAN_MATCH_IP },
	{ "src_port", PLAN_FETCH_SRC_PORT, 0, PLAN_MATCH_INT },
};

#define ACL_FETCH_LIST "src, dst, src_port, dst_port, nbsrv, always_true, always_false"

static const char *const acl_methods[] = {
	[PLAN_MATCH_FOUND] = "found", [PLAN_MATCH_BOOL] = "bool",
	[PLAN_MATCH_INT] = "int", [PLAN_MATCH_IP] = "ip",
};

static const char *const acl_methods_later[] = {
	"bin", "len", "str", "sub", "reg", "beg", "end", "dir", "dom",
};

/* Parse a signed decimal integer (the whole word). 0 or -1. */
static int acl_int(const char *p, size_t len, int64_t *out)
{
	char buf[32], *end;
	long long v;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, p, len);
	buf[len] = 0;
	if (!((buf[0] >= '0' && buf[0] <= '9') ||
	      (buf[0] == '-' && buf[1] >= '0' && buf[1] <= '9')))
		return -1;
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

/*
 * An integer pattern `w` under operator `op` ("eq", "ge", ...) into `pt`:
 * a value, or with eq a range "a:b", ":b" or "a:". 0, 1 when cfgc does
 * not take that form (reported), -1 after an error.
 */
static int acl_int_pattern(struct sema *s, const struct ast_word *w,
                           const char *op, struct plan_pattern *pt)
{
	const char *colon = strchr(w->text, ':');
	int64_t v;

	memset(pt, 0, sizeof(*pt));
	pt->kind = PLAN_PAT_INT;
	pt->lo = INT64_MIN;
	pt->hi = INT64_MAX;
	if (colon && !strcmp(op, "eq")) {
		size_t a = (size_t)(colon - w->text), b = strlen(colon + 1);

		if ((a && acl_int(w->text, a, &pt->lo) < 0) ||
		    (b && acl_int(colon + 1, b, &pt->hi) < 0) || (!a && !b))
			goto bad;
		if (pt->lo > pt->hi) {
			diag_error(s->dc, &w->loc, "unsupported",
			           "integer range '%s' has its bounds inverted; cfgc "
			           "does not compile such a range", w->text);
			return 1;
		}
		return 0;
	}
	if (acl_int(w->text, strlen(w->text), &v) < 0) {
		if (colon) {
			diag_error(s->dc, &w->loc, "unsupported",
			           "a range with operator '%s' is not supported by "
			           "cfgc ('%s'); use 'eq' or no operator", op, w->text);
			return 1;
		}
		goto bad;
	}
	if (!strcmp(op, "eq"))
		pt->lo = pt->hi = v;
	else if (!strcmp(op, "ge"))
		pt->lo = v;
	else if (!strcmp(op, "gt")) {
		if (v == INT64_MAX)
			goto bad;
		pt->lo = v + 1;
	} else if (!strcmp(op, "le"))
		pt->hi = v;
	else {
		if (v == INT64_MIN)
			goto bad;
		pt->hi = v - 1;
	}
	return 0;
bad:
	diag_error(s->dc, &w->loc, "invalid-value",
	           "integer ACL expects a number or a range such as '1024:65535', "
	           "found '%s'", w->text);
	return -1;
}

/* Number of leading one bits of a contiguous IPv4 netmask, or -1. */
static int acl_mask_bits(const struct in_addr *m)
{
	uint32_t v = ntohl(m->s_addr);
	int bits = 0;

	while (bits < 32 && (v & (0x80000000u >> bits)))
		bits++;
	return (bits == 32 ? 0 : v << bits) == 0 ? bits : -1;
}

/* Keep the first `bits` bits of ip[0..n). */
static void acl_mask(uint8_t *ip, unsigned n, unsigned bits)
{
	for (unsigned b = 0; b < n; b++) {
		unsigned keep = bits >= (b + 1) * 8 ? 8 : bits > b * 8 ? bits - b * 8 : 0;

		ip[b] &= keep ? (uint8_t)(0xffu << (8 - keep)) : 0;
	}
}

/*
 * An address pattern: IPv4 as HAProxy reads it (dotted, possibly
 * abbreviated "10.12", with /bits or /dotted.mask), or IPv6 with /bits.
 * 0, 1 when cfgc does not take that form (host names), -1 after an error.
 */
static int acl_ip_pattern(struct sema *s, const struct ast_word *w,
                          struct plan_pattern *pt)
{
	char addr[64];
	const char *slash = strchr(w->text, '/');
	size_t alen = slash ? (size_t)(slash - w->text) : strlen(w->text);
	struct in_addr a4, m4;
	uint64_t bits;
	const char *err;

	memset(pt, 0, sizeof(*pt));
	if (alen >= sizeof(addr))
		goto bad;
	memcpy(addr, w->text, alen);
	addr[alen] = 0;
	if (strchr(addr, ':')) {
		pt->kind = PLAN_PAT_IPV6;
		pt->prefix = 128;
		if (inet_pton(AF_INET6, addr, pt->ip) != 1)
			goto bad;
		if (slash) {
			if (units_parse_uint(slash + 1, 0, 128, &bits, &err) < 0)
				goto bad;
			pt->prefix = (uint8_t)bits;
		}
		acl_mask(pt->ip, 16, pt->prefix);
		return 0;
	}
	if (!addr[0] || strspn(addr, "0123456789.") != alen) {
		diag_error(s->dc, &w->loc, "unsupported",
		           "host name '%s' in an address ACL is not supported by "
		           "cfgc (HAProxy resolves it once at start-up); write "
		           "the address", addr);
		return 1;
	}
	if (!inet_aton(addr, &a4))
		goto bad;
	pt->kind = PLAN_PAT_IPV4;
	pt->prefix = 32;
	if (slash) {
		if (strchr(slash + 1, '.')) {
			int b;

			if (!inet_aton(slash + 1, &m4) ||
			    strspn(slash + 1, "0123456789.") != strlen(slash + 1))
				goto bad;
			if ((b = acl_mask_bits(&m4)) < 0) {
				diag_error(s->dc, &w->loc, "unsupported",
				           "netmask '%s' is not contiguous; cfgc only "
				           "compiles prefix masks", slash + 1);
				return 1;
			}
			pt->prefix = (uint8_t)b;
		} else {
			if (units_parse_uint(slash + 1, 0, 32, &bits, &err) < 0)
				goto bad;
			pt->prefix = (uint8_t)bits;
		}
	}
	memcpy(pt->ip, &a4.s_addr, 4);
	acl_mask(pt->ip, 4, pt->prefix);
	return 0;
bad:
	diag_error(s->dc, &w->loc, "invalid-value",
	           "address ACL expects an IPv4 or IPv6 address with an "
	           "optional '/' mask, found '%s'", w->text);
	return -1;
}

/* The fetch word: name and optional (argument); converters refused. */
static int acl_fetch_word(struct sema *s, const struct ast_word *w,
                          struct model_acl *a, const struct acl_fetch **fp)
{
	size_t n = strcspn(w->text, "(,");
	const char *paren = w->text[n] == '(' ? w->text + n : NULL;
	const struct acl_fetch *f = NULL;

	for (size_t i = 0; i < sizeof(acl_fetches) / sizeof(acl_fetches[0]); i++)
		if (strlen(acl_fetches[i].name) == n &&
		    !strncmp(acl_fetches[i].name, w->text, n))
			f = &acl_fetches[i];
	if (!f) {
		diag_error(s->dc, &w->loc, "unsupported",
		           "ACL fetch '%.*s' is not supported by cfgc yet "
		           "(it compiles %s; HAProxy manual section 7.3)", (int)n,
		           w->text, ACL_FETCH_LIST);
		return 1;
	}
	if (w->text[n] == ',' || (paren && strchr(paren, ')') &&
	                          strchr(paren, ')')[1])) {
		diag_error(s->dc, &w->loc, "unsupported",
		           "converters after an ACL fetch are not supported by "
		           "cfgc yet ('%s')", w->text);
		return 1;
	}
	if (paren) {
		size_t len = strlen(paren);

		if (f->fetch != PLAN_FETCH_NBSRV || len < 2 || paren[len - 1] != ')') {
			diag_error(s->dc, &w->loc, "unsupported",
			           "fetch arguments are not supported by cfgc here "
			           "('%s'; only nbsrv(<backend>) takes one)", w->text);
			return 1;
		}
		if (len > 2) {
			a->arg = strndup(paren + 1, len - 2);
			if (!a->arg) {
				s->oom = 1;
				return -1;
			}
			a->arg_loc = w->loc;
		}
	}
	a->fetch = f->fetch;
	a->arg_idx = PLAN_NONE;
	*fp = f;
	return 0;
}

/* Is the -m method `m` compatible with fetch `f`? 1 yes, 0 not in cfgc. */
static int acl_method_fits(const struct acl_fetch *f, uint32_t m)
{
	if (m == PLAN_MATCH_FOUND)
		return 1;
	return f->ip ? m == PLAN_MATCH_IP : m != PLAN_MATCH_IP;
}

/*
 * Words w[0..n) of an ACL expression (fetch, flags, values) into `a`.
 * Returns 0, 1 when cfgc does not compile it (reported as unsupported),
 * -1 after an error.
 */
static int acl_parse_expr(struct sema *s, const struct ast_word *w, size_t n,
                          struct model_acl *a)
{
	const struct acl_fetch *f = NULL;
	const char *op = "eq";
	int r, method = -1;
	size_t i = 1;

	if ((r = acl_fetch_word(s, &w[0], a, &f)))
		return r;
	for (; i < n && w[i].text[0] == '-'; i++) {
		const char *fl = w[i].text;

		if (!strcmp(fl, "-i") || !strcmp(fl, "-n"))
			continue;
		if (!strcmp(fl, "--")) {
			i++;
			break;
		}
		if (!strcmp(fl, "-u")) {
			if (++i == n)
				goto missing;
			continue;
		}
		if (!strcmp(fl, "-f") || !strcmp(fl, "-M")) {
			diag_error(s->dc, &w[i].loc, "unsupported",
			           "ACL patterns from files ('%s') are not supported "
			           "by cfgc yet; write the values on the line", fl);
			return 1;
		}
		if (!strcmp(fl, "-m")) {
			if (++i == n)
				goto missing;
			if (method >= 0) {
				diag_error(s->dc, &w[i].loc, "invalid-value",
				           "an ACL takes one '-m' matching method, found "
				           "a second one '%s'", w[i].text);
				return -1;
			}
			for (uint32_t m = 0; m < PLAN_MATCH_MAX; m++)
				if (!strcmp(acl_methods[m], w[i].text))
					method = (int)m;
			if (method >= 0)
				continue;
			for (size_t k = 0; k < sizeof(acl_methods_later) /
			                       sizeof(acl_methods_later[0]); k++)
				if (!strcmp(acl_methods_later[k], w[i].text)) {
					diag_error(s->dc, &w[i].loc, "unsupported",
					           "matching method '%s' is not supported by "
					           "cfgc yet (it compiles found, bool, int "
					           "and ip)", w[i].text);
					return 1;
				}
			diag_error(s->dc, &w[i].loc, "invalid-value",
			           "'-m' expects a matching method such as 'int', "
			           "'ip', 'str' or 'found', found '%s'", w[i].text);
			return -1;
		}
		/* a negative integer is a value, not a flag */
		if (!f->ip && fl[1] >= '0' && fl[1] <= '9')
			break;
		diag_error(s->dc, &w[i].loc, "invalid-value",
		           "'%s' is not an ACL flag (expected -i, -f, -m, -n, -M, "
		           "-u or '--' before a value starting with '-')", fl);
		return -1;
	}
	a->match = method >= 0 ? (uint32_t)method : f->def_match;
	if (!acl_method_fits(f, a->match)) {
		diag_error(s->dc, &w[0].loc, "unsupported",
		           "matching '%s' with '-m %s' is not supported by cfgc",
		           f->name, acl_methods[a->match]);
		return 1;
	}
	if ((a->match == PLAN_MATCH_FOUND || a->match == PLAN_MATCH_BOOL) &&
	    i < n) {
		diag_error(s->dc, &w[i].loc, "unsupported",
		           "values after a '%s' match are not supported by cfgc "
		           "(the method takes none)", acl_methods[a->match]);
		return 1;
	}
	if ((a->match == PLAN_MATCH_INT || a->match == PLAN_MATCH_IP) && i == n)
		diag_warning(s->dc, &w[0].loc, "never-matches",
		             "'%s' has no value to match against, so this ACL "
		             "never matches", w[0].text);
	for (; i < n; i++) {
		struct plan_pattern pt;

		if (a->match == PLAN_MATCH_INT &&
		    (!strcmp(w[i].text, "eq") || !strcmp(w[i].text, "ge") ||
		     !strcmp(w[i].text, "gt") || !strcmp(w[i].text, "le") ||
		     !strcmp(w[i].text, "lt"))) {
			op = w[i].text;
			continue;
		}
		r = a->match == PLAN_MATCH_INT ? acl_int_pattern(s, &w[i], op, &pt)
		                               : acl_ip_pattern(s, &w[i], &pt);
		if (r)
			return r;
		struct plan_pattern *slot = model_acl_add_pattern(a);

		if (!slot) {
			s->oom = 1;
			return -1;
		}
		*slot = pt;
	}
	return 0;
missing:
	diag_error(s->dc, &w[n - 1].loc, "missing-argument",
	           "ACL flag '%s' expects an argument, found nothing",
	           w[n - 1].text);
	return -1;
}

/* acl NAME FETCH [flags] [values...] */
int kw_acl(struct sema *s, const struct ast_stmt *st)
{
	struct model_proxy *px = sema_proxy(s);
	struct model_acl *a;
	int r;

	if (!px) {
		/* defaults: not compiled (HAProxy's verdicts kept) */
		kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
		return -1;
	}
	if (st->nargs < 3) {
		diag_error(s->dc, &st->args[st->nargs - 1].loc, "missing-argument",
		           "'acl' expects a name and a fetch method such as 'src', "
		           "found %s", st->nargs < 2 ? "nothing" : "only a name");
		return -1;
	}
	if (!(a = model_proxy_add_acl(px)) ||
	    !(a->name = sema_strdup(s, st->args[1].text))) {
		s->oom = 1;
		return -1;
	}
	a->line = st->loc.line;
	r = acl_parse_expr(s, &st->args[2], st->nargs - 2, a);
	if (r)
		a->unsupported = 1;
	return r < 0 ? -1 : 0;
}

/* The condition of `st` into rule `r`; anonymous ACLs go to px. 0, or 1
 * when the rule cannot be compiled (reported), -1 after an error. */
static int acl_rule_cond(struct sema *s, struct model_proxy *px,
                         const struct ast_stmt *st, struct model_rule *r)
{
	const struct ast_cond *c = st->cond;
	size_t n = 0, k = 0;
	int ret = 0;

	r->cond = PLAN_COND_NONE;
	if (!c)
		return 0;
	for (size_t i = 0; i < c->nalts; i++)
		n += c->alts[i].nterms;
	if (n == 0) {
		diag_error(s->dc, &c->loc, "unsupported",
		           "an empty '%s' condition is not supported by cfgc",
		           c->kind == AST_COND_IF ? "if" : "unless");
		return 1;
	}
	r->cond = c->kind == AST_COND_IF ? PLAN_COND_IF : PLAN_COND_UNLESS;
	if (!(r->terms = calloc(n, sizeof(*r->terms)))) {
		s->oom = 1;
		return -1;
	}
	for (size_t i = 0; i < c->nalts; i++) {
		for (size_t t = 0; t < c->alts[i].nterms; t++) {
			const struct ast_term *at = &c->alts[i].terms[t];
			struct model_term *mt = &r->terms[k++];

			r->nterms = k;
			mt->loc = at->loc;
			mt->flags = (at->negate ? PLAN_TERM_F_NEGATE : 0) |
			            (i > 0 && t == 0 ? PLAN_TERM_F_OR : 0);
			if (at->nwords == 0) {
				diag_error(s->dc, &at->loc, "unsupported",
				           "an empty anonymous ACL is not supported by "
				           "cfgc");
				ret = 1;
				continue;
			}
			if (at->kind == AST_TERM_ACL) {
				if (!(mt->name = sema_strdup(s, at->words[0].text)))
					return -1;
				continue;
			}
			struct model_acl *a = model_proxy_add_acl(px);

			if (!a) {
				s->oom = 1;
				return -1;
			}
			a->line = st->loc.line;
			mt->anon = px->nacls - 1;
			int e = acl_parse_expr(s, at->words, at->nwords, a);

			if (e) {
				a->unsupported = 1;
				if (ret >= 0)
					ret = e;
			}
		}
	}
	return ret;
}

/* A new rule of the current proxy with st's condition; NULL when it is
 * not compiled (reported). */
static struct model_rule *acl_rule_new(struct sema *s, const struct ast_stmt *st,
                                       int conn, uint32_t action)
{
	struct model_proxy *px = sema_proxy(s);
	struct model_rule *r = model_proxy_add_rule(px, conn);

	if (!r) {
		s->oom = 1;
		return NULL;
	}
	r->action = action;
	r->backend_idx = PLAN_NONE;
	r->line = st->loc.line;
	if (acl_rule_cond(s, px, st, r)) {
		r->dropped = 1;
		return NULL;
	}
	return r;
}

/* use_backend NAME [if|unless COND] */
int kw_use_backend(struct sema *s, const struct ast_stmt *st)
{
	struct model_rule *r;

	if (!(s->sec & (KW_SEC_FRONTEND | KW_SEC_LISTEN))) {
		kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
		return -1;
	}
	if (strchr(st->args[1].text, '%')) {
		diag_error(s->dc, &st->args[1].loc, "unsupported",
		           "use_backend with a log-format name ('%s') is not "
		           "supported by cfgc yet; name the backend", st->args[1].text);
		return -1;
	}
	if (!(r = acl_rule_new(s, st, 0, PLAN_RULE_USE_BACKEND)))
		return -1;
	if (!(r->backend = sema_strdup(s, st->args[1].text)))
		return -1;
	r->backend_loc = st->args[1].loc;
	return 0;
}

/*
 * A tcp-request rule of a frontend or listen that cfgc does not compile:
 * as kw_report_uncompiled(), but for a `connection`, `content` or `session`
 * rule under the cfgrun target the error names the action (it is the
 * action that cfgc lacks, not the rule set). Returns -1.
 */
static int acl_tcp_request_uncompiled(struct sema *s,
                                      const struct ast_stmt *st)
{
	const struct ast_word *w = st->args;
	const struct kw_known *k;
	struct src_loc loc;
	char name[64];

	if (s->target == SEMA_TARGET_HAPROXY || st->nargs < 3 ||
	    (strcmp(w[1].text, "connection") && strcmp(w[1].text, "content") &&
	     strcmp(w[1].text, "session"))) {
		kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
		return -1;
	}
	if (lint_stmt(s, st->args, st->nargs, s->sec) > 0)
		return -1;
	snprintf(name, sizeof(name), "tcp-request %s", w[1].text);
	k = kw_known_find(name);
	loc = kw_span(w, 0, 2);
	diag_error(s->dc, &loc, "unsupported",
	           "'%s %s' is not supported by cfgc yet (only tcp-request "
	           "connection accept and reject are; HAProxy manual section %s)",
	           name, w[2].text, k ? kw_known_chapter(k, s->sec) : "4.2");
	return -1;
}

/* tcp-request connection accept|reject [if|unless COND]; the other
 * tcp-request rules are reported as not compiled. */
int kw_tcp_request(struct sema *s, const struct ast_stmt *st)
{
	const struct ast_word *w = st->args;
	int accept;

	if (!(s->sec & (KW_SEC_FRONTEND | KW_SEC_LISTEN))) {
		kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
		return -1;
	}
	if (st->nargs < 3 || strcmp(w[1].text, "connection") ||
	    (strcmp(w[2].text, "accept") && strcmp(w[2].text, "reject")))
		return acl_tcp_request_uncompiled(s, st);
	if (st->nargs != 3) {
		/* words between the action and the condition */
		kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
		return -1;
	}
	if (lint_stmt(s, st->args, st->nargs, s->sec) > 0)
		return -1;
	accept = !strcmp(w[2].text, "accept");
	return acl_rule_new(s, st, 1, accept ? PLAN_RULE_ACCEPT :
	                    PLAN_RULE_REJECT) ? 0 : -1;
}

/* HAProxy's predefined ACLs cfgc compiles, made on first use. 0 when
 * `name` is not one of them. */
static int acl_predefined(struct sema *s, struct model_proxy *px,
                          const char *name)
{
	struct model_acl *a;
	struct plan_pattern *pt;

	if (strcmp(name, "TRUE") && strcmp(name, "FALSE") &&
	    strcmp(name, "LOCALHOST"))
		return 0;
	if (!(a = model_proxy_add_acl(px)) || !(a->name = sema_strdup(s, name))) {
		s->oom = 1;
		return 0;
	}
	a->arg_idx = PLAN_NONE;
	if (strcmp(name, "LOCALHOST")) {
		a->fetch = name[0] == 'T' ? PLAN_FETCH_ALWAYS_TRUE :
		                            PLAN_FETCH_ALWAYS_FALSE;
		a->match = PLAN_MATCH_BOOL;
		return 1;
	}
	/* src 127.0.0.1/8 ::1 */
	a->fetch = PLAN_FETCH_SRC;
	a->match = PLAN_MATCH_IP;
	if (!(pt = model_acl_add_pattern(a))) {
		s->oom = 1;
		return 0;
	}
	pt->kind = PLAN_PAT_IPV4;
	pt->prefix = 8;
	pt->ip[0] = 127;
	if (!(pt = model_acl_add_pattern(a))) {
		s->oom = 1;
		return 0;
	}
	pt->kind = PLAN_PAT_IPV6;
	pt->prefix = 128;
	pt->ip[15] = 1;
	return 1;
}

/* Resolve the names of rule `r` of `px`: ACLs (xref reports unknown
 * ones), backend. Drops the rule when it cannot be compiled. */
static void acl_rule_finish(struct sema *s, struct model_proxy *px,
                            struct model_rule *r)
{
	const char *kw = r->action == PLAN_RULE_USE_BACKEND ? "use_backend" :
	                 "tcp-request connection";

	for (size_t t = 0; t < r->nterms && !r->dropped; t++) {
		const struct model_term *mt = &r->terms[t];
		int found = 0, bad = 0;

		if (!mt->name)
			continue;
		for (size_t i = 0; i < px->nacls; i++)
			if (px->acls[i].name && !strcmp(px->acls[i].name, mt->name)) {
				found = 1;
				bad |= px->acls[i].unsupported;
			}
		if (!found && !acl_predefined(s, px, mt->name)) {
			r->dropped = 1;       /* xref: unknown-acl */
			if (!s->oom && (!strncmp(mt->name, "HTTP", 4) ||
			    !strncmp(mt->name, "METH_", 5) ||
			    !strcmp(mt->name, "RDP_COOKIE") ||
			    !strcmp(mt->name, "REQ_CONTENT") ||
			    !strcmp(mt->name, "WAIT_END")))
				diag_error(s->dc, &mt->loc, "unsupported",
				           "predefined ACL '%s' is not supported by "
				           "cfgc yet (it compiles TRUE, FALSE and "
				           "LOCALHOST)", mt->name);
		} else if (bad) {
			r->dropped = 1;
			if (!(bad & 1))
				continue;     /* its error is already said */
			diag_error(s->dc, &mt->loc, "unsupported",
			           "'%s' rule uses ACL '%s', which has a line cfgc "
			           "does not compile, so the rule is not compiled "
			           "either", kw, mt->name);
		}
	}
	if (r->dropped || r->action != PLAN_RULE_USE_BACKEND)
		return;
	r->backend_idx = model_find_proxy(s->m, r->backend, PLAN_CAP_BE);
	if (r->backend_idx == PLAN_NONE)
		r->dropped = 1;           /* xref: unknown-backend */
}

void kw_acl_finish(struct sema *s, struct model_proxy *px)
{
	for (size_t i = 0; i < px->nacls; i++) {
		struct model_acl *a = &px->acls[i];

		a->arg_idx = PLAN_NONE;
		if (a->unsupported || a->fetch != PLAN_FETCH_NBSRV)
			continue;
		if (!a->arg) {
			/* nbsrv of the proxy itself: none in a frontend */
			if (px->cap & PLAN_CAP_BE)
				a->arg_idx = (uint32_t)(px - s->m->proxies);
			continue;
		}
		a->arg_idx = model_find_proxy(s->m, a->arg, PLAN_CAP_BE);
		if (a->arg_idx == PLAN_NONE) {
			a->unsupported = 2;   /* xref: unknown-proxy */
		}
	}
	for (size_t i = 0; i < px->nconn_rules; i++)
		acl_rule_finish(s, px, &px->conn_rules[i]);
	for (size_t i = 0; i < px->nswitch_rules; i++)
		acl_rule_finish(s, px, &px->switch_rules[i]);
}

int kw_acl_network(struct sema *s, const struct ast_word *w,
                   struct plan_pattern *pt)
{
	return acl_ip_pattern(s, w, pt);
}
