/*
 * lint-action.c: rule statements (http-request, http-response,
 * http-after-response, tcp-request connection/session/content,
 * tcp-response content, quic-initial): the action must exist and be
 * allowed in that rule set (manual section 4.3); a few actions have their
 * arguments checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "kw.h"
#include "lint.h"
#include "lint-tab.h"
#include "suggest.h"

static const struct {
	const char *name;       /* "tcp-request content" */
	uint32_t rs;            /* LINT_RS_* */
} rule_sets[] = {
	{ "http-request", LINT_RS_HTTP_REQ },
	{ "http-response", LINT_RS_HTTP_RES },
	{ "http-after-response", LINT_RS_HTTP_AFT },
	{ "quic-initial", LINT_RS_QUIC_INI },
	{ "tcp-request connection", LINT_RS_TCP_RQCON },
	{ "tcp-request session", LINT_RS_TCP_RQSES },
	{ "tcp-request content", LINT_RS_TCP_RQCNT },
	{ "tcp-response content", LINT_RS_TCP_RSCNT },
};

uint32_t lint_ruleset(const struct ast_word *w, size_t n, size_t *action)
{
	for (size_t i = 0; i < sizeof(rule_sets) / sizeof(rule_sets[0]); i++) {
		const char *name = rule_sets[i].name, *sp = strchr(name, ' ');
		size_t len = sp ? (size_t)(sp - name) : strlen(name);

		if (strlen(w[0].text) != len || strncmp(w[0].text, name, len))
			continue;
		if (sp && (n < 2 || strcmp(w[1].text, sp + 1)))
			continue;
		if (action)
			*action = sp ? 2 : 1;
		return rule_sets[i].rs;
	}
	return 0;
}

/* "http-after-response" for a LINT_RS_* bit. */
static const char *ruleset_name(uint32_t rs)
{
	for (size_t i = 0; i < sizeof(rule_sets) / sizeof(rule_sets[0]); i++)
		if (rule_sets[i].rs == rs)
			return rule_sets[i].name;
	return "these";
}

/* The table name of the action word: "set-var(txn.x)" -> "set-var",
 * "track-sc5" -> "track-sc0", "expect-proxy layer4" over two words. */
static void action_name(const struct ast_word *w, size_t n, size_t a,
                        char *buf, size_t len)
{
	const char *t = w[a].text;
	size_t l = strcspn(t, "(");

	if (!strncmp(t, "track-sc", 8) && t[8] >= '0' && t[8] <= '9' &&
	    t[8 + strspn(t + 8, "0123456789")] == 0) {
		snprintf(buf, len, "track-sc0");
		return;
	}
	if (!strcmp(t, "expect-proxy") && a + 1 < n) {
		snprintf(buf, len, "%s %s", t, w[a + 1].text);
		return;
	}
	snprintf(buf, len, "%.*s", (int)l, t);
}

/* deny_status / status N of deny, tarpit, return: 200 to 599. */
static unsigned check_status(struct sema *s, const struct ast_word *w,
                             size_t n, size_t a)
{
	for (size_t i = a + 1; i + 1 < n; i++) {
		const char *k = w[i].text;
		char *end;
		long v;

		if (strcmp(k, "deny_status") && strcmp(k, "status"))
			continue;
		v = strtol(w[i + 1].text, &end, 10);
		if (!w[i + 1].text[0] || *end || v < 200 || v > 599) {
			diag_error(s->dc, &w[i + 1].loc, "invalid-status",
			           "'%s %s': '%s' expects an HTTP status code from "
			           "200 to 599, found '%s'", w[0].text, w[a].text, k,
			           w[i + 1].text);
			return 1;
		}
		return 0;       /* the first one only: later words are data */
	}
	return 0;
}

unsigned lint_rule(struct sema *s, const struct ast_word *w, size_t n)
{
	size_t a = 0;
	uint32_t rs = lint_ruleset(w, n, &a);
	const struct lint_action *act = NULL;
	char name[128];

	if (!rs)
		return 0;
	if (a >= n) {
		struct src_loc loc = kw_span(w, 0, n - 1);

		diag_error(s->dc, &loc, "missing-argument",
		           "'%s' expects an action such as 'deny' or 'set-var', "
		           "found nothing", ruleset_name(rs));
		return 1;
	}
	if (!strncmp(w[a].text, "lua.", 4))
		return 0;               /* defined by a Lua script */
	action_name(w, n, a, name, sizeof(name));
	for (size_t i = 0; i < lint_actions_count; i++)
		if (!strcmp(lint_actions[i].name, name))
			act = &lint_actions[i];
	if (!act) {
		struct suggest sg;
		const char *hint;

		diag_error(s->dc, &w[a].loc, "unknown-action",
		           "unknown '%s' action '%s' (expected an action of HAProxy "
		           "manual section 4.3 allowed in %s rules)",
		           ruleset_name(rs), w[a].text, ruleset_name(rs));
		suggest_init(&sg, name);
		for (size_t i = 0; i < lint_actions_count; i++)
			if (lint_actions[i].rulesets & rs)
				suggest_offer(&sg, lint_actions[i].name);
		hint = suggest_result(&sg);
		if (hint)
			diag_hint(s->dc, "did you mean '%s'?", hint);
		return 1;
	}
	if (!(act->rulesets & rs)) {
		diag_error(s->dc, &w[a].loc, "not-allowed",
		           "action '%s' is not allowed in %s rules", name,
		           ruleset_name(rs));
		return 1;
	}
	if (!strcmp(name, "deny") || !strcmp(name, "tarpit") ||
	    !strcmp(name, "return"))
		return check_status(s, w, n, a);
	if (!strcmp(name, "redirect")) {
		/* the type may come after other options (code 301 location X) */
		for (size_t i = a + 1; i < n; i++)
			if (!strcmp(w[i].text, "location") ||
			    !strcmp(w[i].text, "prefix") ||
			    !strcmp(w[i].text, "scheme"))
				return 0;
		diag_error(s->dc, &w[a].loc, "missing-argument",
		           "'%s redirect' expects a redirection type: 'location', "
		           "'prefix' or 'scheme', found none", w[0].text);
		return 1;
	}
	return 0;
}
