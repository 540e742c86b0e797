/*
 * xref-warn.c: the warnings HAProxy gives about a proxy as a whole once
 * it is read: rules placed after rules that run before them, HTTP rules
 * and options in a TCP proxy, anonymous ACLs that can never match.
 */
#include <string.h>
#include "diag.h"
#include "lint.h"
#include "lint-tab.h"
#include "xref.h"

/* Order in which HAProxy runs the rule families of a proxy; a rule written
 * after one of a later family still runs before it. */
static int rule_rank(const struct ast_stmt *st, const char **label)
{
	const char *k = st->args[0].text;
	const char *k1 = st->nargs > 1 ? st->args[1].text : "";

	if (!strcmp(k, "tcp-request") && !strcmp(k1, "connection"))
		return *label = "tcp-request connection", 1;
	if (!strcmp(k, "tcp-request") && !strcmp(k1, "session"))
		return *label = "tcp-request session", 2;
	if (!strcmp(k, "tcp-request") && !strcmp(k1, "content"))
		return *label = "tcp-request content", 3;
	if (!strcmp(k, "monitor") && !strcmp(k1, "fail"))
		return *label = "monitor fail", 4;
	if (!strcmp(k, "http-request"))
		return *label = "http-request", 5;
	if (!strcmp(k, "redirect"))
		return *label = "redirect", 6;
	if (!strcmp(k, "use_backend"))
		return *label = "use_backend", 7;
	return 0;
}

static void warn_rule_order(struct sema *s, const struct ast_section *sec)
{
	const char *seen_label[8] = { 0 };

	for (const struct ast_stmt *st = sec->stmts; st; st = st->next) {
		const char *label = NULL;
		int r = st->nargs ? rule_rank(st, &label) : 0;

		if (!r)
			continue;
		for (int later = 7; later > r; later--) {
			if (!seen_label[later])
				continue;
			diag_warning(s->dc, &st->args[0].loc, "rule-order",
			             "a '%s' rule placed after a '%s' rule will still "
			             "be processed before it", label, seen_label[later]);
			break;
		}
		seen_label[r] = label;
	}
}

/* The last `mode` of a section, or NULL. */
static const char *sec_mode(const struct ast_section *sec)
{
	const char *mode = NULL;

	for (const struct ast_stmt *st = sec->stmts; st; st = st->next)
		if (st->nargs > 1 && !strcmp(st->args[0].text, "mode"))
			mode = st->args[1].text;
	return mode;
}

const char *xref_proxy_mode(const struct ast_config *cfg,
                            const struct ast_section *sec)
{
	const char *from = NULL, *mode = sec_mode(sec);
	const struct ast_section *defs = NULL;

	if (mode)
		return mode;
	for (size_t i = 1; i + 1 < sec->header->nargs; i++)
		if (!strcmp(sec->header->args[i].text, "from"))
			from = sec->header->args[i + 1].text;
	for (const struct ast_section *d = cfg->sections; d && d != sec; d = d->next) {
		if (d->kind != AST_SEC_DEFAULTS)
			continue;
		if (!from || (d->header->nargs > 1 &&
		              !strcmp(d->header->args[1].text, from)))
			defs = d;
	}
	return defs ? xref_proxy_mode(cfg, defs) : "tcp";
}

static void warn_tcp_mode(struct sema *s, const struct ast_config *cfg,
                          const struct ast_section *sec)
{
	static const char *const http_rules[] = {
		"http-request", "http-response", "http-after-response", NULL,
	};
	const char *kind = sec->header->args[0].text;
	const char *name = sec->header->nargs > 1 ? sec->header->args[1].text : "";

	if (strcmp(xref_proxy_mode(cfg, sec), "tcp"))
		return;
	/* tcp-request content switch-mode http makes the rules apply */
	for (const struct ast_stmt *st = sec->stmts; st; st = st->next)
		for (size_t i = 0; i < st->nargs; i++)
			if (!strcmp(st->args[i].text, "switch-mode"))
				return;
	for (size_t i = 0; http_rules[i]; i++) {
		for (const struct ast_stmt *st = sec->stmts; st; st = st->next) {
			if (!st->nargs || strcmp(st->args[0].text, http_rules[i]))
				continue;
			diag_warning(s->dc, &st->args[0].loc, "ignored",
			             "'%s' rules ignored for %s '%s' as they require "
			             "HTTP mode", http_rules[i], kind, name);
			break;
		}
	}
	for (const struct ast_stmt *st = sec->stmts; st; st = st->next)
		if (st->nargs > 1 && !strcmp(st->args[0].text, "option") &&
		    (!strcmp(st->args[1].text, "forwardfor") ||
		     !strcmp(st->args[1].text, "originalto")))
			diag_warning(s->dc, &st->args[0].loc, "ignored",
			             "'option %s' ignored for %s '%s' as it requires "
			             "HTTP mode", st->args[1].text, kind, name);
}

/* An anonymous ACL of a request rule reading the response never matches. */
static void warn_never_matching(struct sema *s, const struct ast_section *sec)
{
	for (const struct ast_stmt *st = sec->stmts; st; st = st->next) {
		uint32_t rs = st->nargs ? lint_ruleset(st->args, st->nargs, NULL) : 0;

		if (!st->cond || !(rs & (LINT_RS_HTTP_REQ | LINT_RS_TCP_RQCON |
		                         LINT_RS_TCP_RQSES | LINT_RS_TCP_RQCNT)))
			continue;
		for (size_t a = 0; a < st->cond->nalts; a++)
			for (size_t t = 0; t < st->cond->alts[a].nterms; t++) {
				const struct ast_term *term = &st->cond->alts[a].terms[t];
				const char *f;

				if (term->kind != AST_TERM_INLINE || !term->nwords)
					continue;
				f = term->words[0].text;
				if (strncmp(f, "res.", 4) && strncmp(f, "shdr", 4) &&
				    strncmp(f, "scook", 5) && strcmp(f, "status"))
					continue;
				diag_warning(s->dc, &term->words[0].loc, "never-matches",
				             "anonymous ACL will never match: '%s' reads "
				             "the response, which '%s' rules do not see",
				             f, st->args[0].text);
			}
	}
}

void xref_warnings(struct sema *s, const struct ast_config *cfg)
{
	for (const struct ast_section *sec = cfg->sections; sec; sec = sec->next) {
		if (sec->kind != AST_SEC_FRONTEND && sec->kind != AST_SEC_BACKEND &&
		    sec->kind != AST_SEC_LISTEN)
			continue;
		warn_rule_order(s, sec);
		warn_tcp_mode(s, cfg, sec);
		warn_never_matching(s, sec);
	}
}
