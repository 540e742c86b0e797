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
#include "lint-sample.h"
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

/* Words an action needs after it (its name's own argument aside), from
 * the forms in manual section 4.4. */
static const struct {
	const char *name;
	unsigned min;
	const char *usage;
} action_args[] = {
	{ "add-header", 2, "a header name and a log-format value" },
	{ "set-header", 2, "a header name and a log-format value" },
	{ "del-header", 1, "a header name" },
	{ "replace-header", 3, "a header name, a regex and a replacement" },
	{ "replace-value", 3, "a header name, a regex and a replacement" },
	{ "replace-path", 2, "a regex and a replacement" },
	{ "replace-pathq", 2, "a regex and a replacement" },
	{ "replace-uri", 2, "a regex and a replacement" },
	{ "set-path", 1, "a log-format value" },
	{ "set-pathq", 1, "a log-format value" },
	{ "set-query", 1, "a log-format value" },
	{ "set-uri", 1, "a log-format value" },
	{ "set-method", 1, "a log-format value" },
	{ "set-status", 1, "a status code" },
	{ "set-var", 1, "a sample expression" },
	{ "set-var-fmt", 1, "a log-format value" },
	{ "set-log-level", 1, "a log level" },
	{ "set-nice", 1, "a nice value" },
	{ "set-map", 2, "a key and a value" },
	{ "del-map", 1, "a key" },
	{ "add-acl", 1, "a key" },
	{ "del-acl", 1, "a key" },
	{ "track-sc0", 1, "a sample expression as the key" },
	{ "use-service", 1, "a service name" },
	{ "set-timeout", 2, "a timeout name and a time" },
	{ "early-hint", 2, "a header name and a log-format value" },
	{ "set-dst", 1, "a sample expression" },
	{ "set-src", 1, "a sample expression" },
	{ "set-dst-port", 1, "a sample expression" },
	{ "set-src-port", 1, "a sample expression" },
	{ "set-priority-class", 1, "a sample expression" },
	{ "set-priority-offset", 1, "a sample expression" },
	{ "cache-use", 1, "a cache name" },
	{ "cache-store", 1, "a cache name" },
	{ "capture", 1, "a sample expression and 'len' or 'id'" },
	{ "do-resolve", 1, "a sample expression" },
	{ "set-retries", 1, "a sample expression" },
	{ "switch-mode", 1, "'http'" },
};

/* A variable name "scope.name": HAProxy knows these scopes only. */
static unsigned check_var_name(struct sema *s, const struct ast_word *w,
                               const char *name, size_t len)
{
	static const char *const scopes[] = {
		"proc.", "sess.", "txn.", "req.", "res.", "check.", NULL,
	};

	for (size_t i = 0; scopes[i]; i++) {
		size_t l = strlen(scopes[i]);

		if (len > l && !strncmp(name, scopes[i], l))
			return 0;
	}
	diag_error(s->dc, &w->loc, "invalid-variable",
	           "invalid variable name '%.*s' (expected a scope proc., sess., "
	           "txn., req., res. or check. before the name)", (int)len, name);
	return 1;
}

unsigned lint_var_word(struct sema *s, const struct ast_word *w,
                       const char *name, size_t len)
{
	return check_var_name(s, w, name, len);
}

/* Where the log-format value of action `name` is, counted from the
 * action's word; 0: it has none. */
static size_t fmt_value_arg(const char *name)
{
	static const struct { const char *name; size_t at; } fmt_args[] = {
		{ "add-header", 2 }, { "set-header", 2 }, { "early-hint", 2 },
		{ "replace-header", 3 }, { "replace-value", 3 },
		{ "replace-path", 2 }, { "replace-pathq", 2 },
		{ "replace-uri", 2 }, { "set-path", 1 }, { "set-pathq", 1 },
		{ "set-query", 1 }, { "set-uri", 1 }, { "set-method", 1 },
		{ "set-var-fmt", 1 },
	};

	for (size_t i = 0; i < sizeof(fmt_args) / sizeof(fmt_args[0]); i++)
		if (!strcmp(fmt_args[i].name, name))
			return fmt_args[i].at;
	return 0;
}

/* Arguments of the action at w[a]: how many, and the few values known. */
static unsigned check_action_args(struct sema *s, const struct ast_word *w,
                                  size_t n, size_t a, const char *name)
{
	size_t have = n - a - 1;

	for (size_t i = 0; i < sizeof(action_args) / sizeof(action_args[0]); i++) {
		if (strcmp(action_args[i].name, name) || have >= action_args[i].min)
			continue;
		diag_error(s->dc, &w[n - 1].loc, "missing-argument",
		           "'%s %s' expects %s, found %s", w[0].text, w[a].text,
		           action_args[i].usage,
		           have ? "too few arguments" : "nothing after it");
		return 1;
	}
	if (s->target == SEMA_TARGET_HAPROXY) {
		/* HAProxy parses a rule's format when it reads the rule (for
		 * cfgrun the rule's compilation checks it) */
		size_t v = fmt_value_arg(name);

		if (v && a + v < n &&
		    kw_logformat_check_value(s, &w[a + v], w[a].text) < 0)
			return 1;
		/* the regex of a replace-* action (after the header name
		 * for replace-header and replace-value) */
		if (!strncmp(name, "replace-", 8)) {
			size_t r = a + 1 + (!strcmp(name, "replace-header") ||
			                    !strcmp(name, "replace-value"));

			if (r + 1 < n && lint_regex(s, &w[r], w[r].text, w[r].len,
			                            0, w[a].text))
				return 1;
		}
		/* return, deny, tarpit: lf-string FMT and hdr NAME FMT */
		for (size_t i = a + 1; !v && i + 1 < n &&
		     strcmp(w[i].text, "if") && strcmp(w[i].text, "unless"); i++) {
			if (!strcmp(w[i].text, "hdr") && i + 2 < n)
				i++;
			else if (strcmp(w[i].text, "lf-string"))
				continue;
			if (kw_logformat_check_value(s, &w[i + 1], w[a].text) < 0)
				return 1;
			i++;
		}
	}
	if (!strcmp(name, "set-var") || !strcmp(name, "set-var-fmt") ||
	    !strcmp(name, "unset-var")) {
		const char *p = strchr(w[a].text, '(');
		size_t len = p ? strcspn(p + 1, ",)") : 0;

		if (!p || !len) {
			diag_error(s->dc, &w[a].loc, "missing-argument",
			           "'%s' expects a variable name in parentheses, such "
			           "as %s(txn.name)", name, name);
			return 1;
		}
		return check_var_name(s, &w[a], p + 1, len);
	}
	if (!strcmp(name, "set-status")) {
		char *end;
		long v = strtol(w[a + 1].text, &end, 10);

		if (*end || v < 100 || v > 999) {
			diag_error(s->dc, &w[a + 1].loc, "invalid-status",
			           "'set-status' expects a status code from 100 to 999, "
			           "found '%s'", w[a + 1].text);
			return 1;
		}
	}
	if (!strcmp(name, "capture")) {
		for (size_t i = a + 2; i + 1 < n; i++)
			if (!strcmp(w[i].text, "len") || !strcmp(w[i].text, "id"))
				return 0;
		diag_error(s->dc, &w[a].loc, "missing-argument",
		           "'%s capture' expects 'len <length>' or 'id <slot>' after "
		           "the sample expression", w[0].text);
		return 1;
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
	if (check_action_args(s, w, n, a, name))
		return 1;
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
