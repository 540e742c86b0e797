/*
 * kw-tcp.c: the TCP rule sets: `tcp-request connection|session|content`,
 * `tcp-request inspect-delay`, `tcp-response content` and `tcp-response
 * inspect-delay`. Each action cfgc compiles is one row of tcp_actions[]
 * (which sets take it, what argument it reads); the actions another part
 * of the language owns (track-sc*, set-var*) have a row in tcp_hooks[]
 * and stay `unsupported` with a message saying so. doc/tcp-rules.md says
 * what each does at run time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "kw.h"
#include "kw-known.h"
#include "lint.h"
#include "model.h"
#include "plan.h"
#include "sema.h"
#include "units.h"

#define TCP_BIT(set) (1u << PLAN_TCP_##set)
#define TCP_REQ (TCP_BIT(CONNECTION) | TCP_BIT(SESSION) | TCP_BIT(CONTENT))

enum tcp_arg {
	TCP_ARG_NONE   = 0,         /* no word after the action */
	TCP_ARG_MARK   = 1,         /* set-mark: 0..0xffffffff (hex allowed) */
	TCP_ARG_TOS    = 2,         /* set-tos: 0..255 (hex allowed) */
	TCP_ARG_LAYER4 = 3,         /* expect-proxy: the word "layer4" */
};

static const struct tcp_action {
	const char *name;           /* as written */
	uint32_t action;            /* enum plan_rule_action */
	uint32_t sets;              /* TCP_BIT() of the sets taking it */
	uint32_t arg;               /* enum tcp_arg */
} tcp_actions[] = {
	{ "accept", PLAN_RULE_ACCEPT, TCP_REQ | TCP_BIT(RESPONSE), TCP_ARG_NONE },
	{ "reject", PLAN_RULE_REJECT, TCP_REQ | TCP_BIT(RESPONSE), TCP_ARG_NONE },
	{ "silent-drop", PLAN_RULE_SILENT_DROP, TCP_REQ, TCP_ARG_NONE },
	{ "set-mark", PLAN_RULE_SET_MARK, TCP_REQ, TCP_ARG_MARK },
	{ "set-tos", PLAN_RULE_SET_TOS, TCP_REQ, TCP_ARG_TOS },
	{ "expect-proxy", PLAN_RULE_EXPECT_PROXY, TCP_BIT(CONNECTION),
	  TCP_ARG_LAYER4 },
	{ "close", PLAN_RULE_CLOSE, TCP_BIT(RESPONSE), TCP_ARG_NONE },
};

/* Actions that belong to another part of the rule language: a prefix
 * and what they wait for. */
static const struct {
	const char *prefix;
	const char *what;
} tcp_hooks[] = {
	{ "track-sc", "stick tables" },
	{ "sc-", "stick tables" },
	{ "set-var", "variables" },
	{ "unset-var", "variables" },
};

static const char *const tcp_set_names[PLAN_TCP_SET_MAX] = {
	[PLAN_TCP_CONNECTION] = "connection", [PLAN_TCP_SESSION] = "session",
	[PLAN_TCP_CONTENT] = "content", [PLAN_TCP_RESPONSE] = "content",
};

/* The list of actions set `set` compiles, for messages. */
static void tcp_action_list(uint32_t set, char *out, size_t size)
{
	size_t used = 0;

	out[0] = 0;
	for (size_t i = 0; i < sizeof(tcp_actions) / sizeof(tcp_actions[0]); i++) {
		int n;

		if (!(tcp_actions[i].sets & (1u << set)))
			continue;
		n = snprintf(out + used, size - used, "%s%s", used ? ", " : "",
		             tcp_actions[i].name);
		if (n < 0 || (size_t)n >= size - used)
			return;
		used += (size_t)n;
	}
}

/*
 * Action word w[2] of a `kw` (tcp-request / tcp-response) rule of set
 * `set` that cfgc does not compile: a located unsupported error naming
 * the action, and what owns it for the hooks. Returns -1.
 */
static int tcp_action_unsupported(struct sema *s, const struct ast_stmt *st,
                                  const char *kw, uint32_t set)
{
	const struct ast_word *w = st->args;
	const struct kw_known *k;
	struct src_loc loc = kw_span(w, 0, 2);
	char name[64], list[160];

	snprintf(name, sizeof(name), "%s %s", kw, w[1].text);
	k = kw_known_find(name);
	for (size_t i = 0; i < sizeof(tcp_hooks) / sizeof(tcp_hooks[0]); i++)
		if (!strncmp(w[2].text, tcp_hooks[i].prefix,
		             strlen(tcp_hooks[i].prefix))) {
			diag_error(s->dc, &loc, "unsupported",
			           "'%s %s' is not supported by cfgc yet: it needs "
			           "%s, which cfgc does not compile yet (HAProxy "
			           "manual section %s)", name, w[2].text,
			           tcp_hooks[i].what,
			           k ? kw_known_chapter(k, s->sec) : "4.2");
			return -1;
		}
	tcp_action_list(set, list, sizeof(list));
	diag_error(s->dc, &loc, "unsupported",
	           "'%s %s' is not supported by cfgc yet (it compiles %s; "
	           "HAProxy manual section %s)", name, w[2].text, list,
	           k ? kw_known_chapter(k, s->sec) : "4.2");
	return -1;
}

/* The argument word of action `a` (w: after the action, n of them)
 * into *arg. 0, or -1 after an error. */
static int tcp_action_arg(struct sema *s, const struct ast_stmt *st,
                          const struct tcp_action *a, uint32_t *arg)
{
	const struct ast_word *w = st->args;
	const struct ast_word *last = &w[st->nargs - 1];
	char *end;
	unsigned long long v;

	*arg = 0;
	if (a->arg == TCP_ARG_NONE) {
		if (st->nargs == 3)
			return 0;
		diag_error(s->dc, &w[3].loc, "invalid-argument",
		           "'%s' takes no argument, found '%s' (a condition "
		           "starts with 'if' or 'unless')", a->name, w[3].text);
		return -1;
	}
	if (st->nargs < 4) {
		diag_error(s->dc, &last->loc, "missing-argument",
		           "'%s' expects %s", a->name,
		           a->arg == TCP_ARG_LAYER4 ? "'layer4'" :
		           a->arg == TCP_ARG_TOS ? "a TOS value 0..255" :
		           "a mark value");
		return -1;
	}
	if (st->nargs > 4) {
		diag_error(s->dc, &w[4].loc, "invalid-argument",
		           "'%s' takes one argument, found '%s' after it", a->name,
		           w[4].text);
		return -1;
	}
	if (a->arg == TCP_ARG_LAYER4) {
		if (!strcmp(w[3].text, "layer4"))
			return 0;
		diag_error(s->dc, &w[3].loc, "invalid-argument",
		           "'expect-proxy' expects 'layer4', found '%s'", w[3].text);
		return -1;
	}
	errno = 0;
	v = strtoull(w[3].text, &end, 0);
	if (!w[3].text[0] || *end || w[3].text[0] == '-' || errno ||
	    v > (a->arg == TCP_ARG_TOS ? 255u : 0xffffffffu)) {
		diag_error(s->dc, &w[3].loc, "invalid-value",
		           "'%s' expects a number %s, found '%s'", a->name,
		           a->arg == TCP_ARG_TOS ? "from 0 to 255" :
		           "from 0 to 0xffffffff", w[3].text);
		return -1;
	}
	*arg = (uint32_t)v;
	return 0;
}

/* `kw inspect-delay TIME` into *ms. 0 or -1. */
static int tcp_inspect_delay(struct sema *s, const struct ast_stmt *st,
                             uint32_t *ms)
{
	const struct ast_word *w = st->args;

	if (st->cond) {
		diag_error(s->dc, &st->cond->loc, "invalid-argument",
		           "'%s inspect-delay' takes no condition", w[0].text);
		return -1;
	}
	if (st->nargs != 3) {
		diag_error(s->dc, &w[st->nargs - 1].loc,
		           st->nargs < 3 ? "missing-argument" : "invalid-argument",
		           "'%s inspect-delay' expects one time such as '5s'",
		           w[0].text);
		return -1;
	}
	if (kw_time_arg(s, &w[2], 1, "inspect-delay", ms) < 0)
		return -1;
	if (*ms > PLAN_MAX_INSPECT_DELAY) {
		diag_error(s->dc, &w[2].loc, "invalid-value",
		           "'%s inspect-delay' above one day (%u ms) is not "
		           "supported by cfgc, found '%s'", w[0].text,
		           PLAN_MAX_INSPECT_DELAY, w[2].text);
		return -1;
	}
	return 0;
}

/*
 * A rule of set `set` (the statement's words: kw, set name, action...)
 * for the current proxy. 0, or -1 when it is not compiled (reported).
 */
static int tcp_rule(struct sema *s, const struct ast_stmt *st, const char *kw,
                    uint32_t set)
{
	const struct tcp_action *a = NULL;
	struct model_rule *r;
	uint32_t arg;
	size_t want;

	for (size_t i = 0; i < sizeof(tcp_actions) / sizeof(tcp_actions[0]); i++)
		if (!strcmp(tcp_actions[i].name, st->args[2].text) &&
		    (tcp_actions[i].sets & (1u << set)))
			a = &tcp_actions[i];
	if (!a && s->target == SEMA_TARGET_HAPROXY) {
		/* HAProxy's verdict only, and a not-run note for a plan */
		kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
		return -1;
	}
	if (lint_stmt(s, st->args, st->nargs, s->sec) > 0)
		return -1;
	if (!a)
		return tcp_action_unsupported(s, st, kw, set);
	want = a->arg == TCP_ARG_NONE ? 3 : 4;
	if (st->nargs > want && (s->target == SEMA_TARGET_HAPROXY ||
	                         !strcmp(st->args[want].text, "if") ||
	                         !strcmp(st->args[want].text, "unless"))) {
		/* a condition keyword the parser took as a word (quoted, or
		 * from a variable): HAProxy reads it as one, cfgc does not */
		kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
		return -1;
	}
	if (tcp_action_arg(s, st, a, &arg) < 0)
		return -1;
	if (!(r = kw_rule_new(s, st, set, a->action)))
		return -1;
	r->arg = arg;
	return 0;
}

/* The set named by word w of `tcp-request`: connection, session,
 * content; PLAN_TCP_SET_MAX when it is none of them. */
static uint32_t tcp_request_set(const char *w)
{
	for (uint32_t k = 0; k < PLAN_TCP_SET_MAX; k++)
		if (k != PLAN_TCP_RESPONSE && tcp_set_names[k] &&
		    !strcmp(tcp_set_names[k], w))
			return k;
	return PLAN_TCP_SET_MAX;
}

/* tcp-request connection track-sc*|sc-* ... [if|unless COND]: a STICK
 * rule naming its TRACK record (kw-stick.c). */
static int tcp_stick(struct sema *s, const struct ast_stmt *st)
{
	struct model_proxy *px = sema_proxy(s);
	struct model_rule *r;
	size_t track;
	int ret;

	if (lint_stmt(s, st->args, st->nargs, s->sec) > 0)
		return -1;
	if (!(r = kw_rule_new(s, st, PLAN_TCP_CONNECTION, PLAN_RULE_STICK)))
		return -1;
	ret = kw_stick_action(s, px, &st->args[2], st->nargs - 2, st->loc.line,
	                      &track);
	/* px->conn_rules may have moved: find the rule again */
	r = &px->conn_rules[px->nconn_rules - 1];
	if (ret) {
		r->dropped = 1;
		return -1;
	}
	r->track = track;
	return 0;
}

/* stick on|match|store-request|store-response SAMPLE [table NAME]
 * [if|unless COND] in a backend or listen section: a rule of set STICK
 * naming its TRACK record (kw-stick.c). */
int kw_stick(struct sema *s, const struct ast_stmt *st)
{
	struct model_proxy *px = sema_proxy(s);
	const char *sub = st->args[1].text;
	struct model_rule *r;
	size_t track;
	int ret;

	/* what is no stick rule, as before cfgc compiled any (the lint
	 * knows them) */
	if (!(s->sec & (KW_SEC_BACKEND | KW_SEC_LISTEN)) ||
	    (strcmp(sub, "on") && strcmp(sub, "match") &&
	     strcmp(sub, "store-request") && strcmp(sub, "store-response"))) {
		kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
		return -1;
	}
	if (lint_stmt(s, st->args, st->nargs, s->sec) > 0)
		return -1;
	if (!(r = kw_rule_new(s, st, PLAN_TCP_STICK, PLAN_RULE_STICK)))
		return -1;
	ret = kw_stick_persist(s, px, &st->args[1], st->nargs - 1, st->loc.line,
	                       &track);
	/* the rules may have moved: find the rule again */
	r = &px->tcp_rules[PLAN_TCP_STICK][px->ntcp_rules[PLAN_TCP_STICK] - 1];
	if (ret) {
		r->dropped = 1;
		return -1;
	}
	r->track = track;
	return 0;
}

/*
 * tcp-request inspect-delay TIME
 * tcp-request connection|session|content ACTION [ARG] [if|unless COND]
 * Connection and session rules are a frontend's (HAProxy ignores them in
 * a backend); content rules are compiled in frontends and listen
 * sections, and refused in a backend, where cfgrun does not run them.
 */
int kw_tcp_request(struct sema *s, const struct ast_stmt *st)
{
	const struct ast_word *w = st->args;
	uint32_t set;

	if (st->nargs >= 2 && !strcmp(w[1].text, "inspect-delay") &&
	    (s->sec & (KW_SEC_FRONTEND | KW_SEC_LISTEN | KW_SEC_DEFAULTS))) {
		if (lint_stmt(s, st->args, st->nargs, s->sec) > 0)
			return -1;
		return tcp_inspect_delay(s, st, &s->set->inspect_delay);
	}
	if ((s->sec & KW_SEC_BACKEND) && s->target != SEMA_TARGET_HAPROXY &&
	    st->nargs >= 2 && (!strcmp(w[1].text, "content") ||
	                       !strcmp(w[1].text, "inspect-delay"))) {
		struct src_loc loc = kw_span(w, 0, 1);

		if (lint_stmt(s, st->args, st->nargs, s->sec) > 0)
			return -1;
		diag_error(s->dc, &loc, "unsupported",
		           "'tcp-request %s' in a backend section is not "
		           "supported by cfgc yet (cfgrun runs content rules in "
		           "frontend and listen sections)", w[1].text);
		return -1;
	}
	if (!(s->sec & (KW_SEC_FRONTEND | KW_SEC_LISTEN)) || st->nargs < 3 ||
	    (set = tcp_request_set(w[1].text)) == PLAN_TCP_SET_MAX) {
		kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
		return -1;
	}
	if (set == PLAN_TCP_CONNECTION && s->target != SEMA_TARGET_HAPROXY &&
	    (!strncmp(w[2].text, "track-sc", 8) || !strncmp(w[2].text, "sc-", 3)))
		return tcp_stick(s, st);
	return tcp_rule(s, st, "tcp-request", set);
}

/*
 * tcp-response inspect-delay TIME
 * tcp-response content accept|reject|close [if|unless COND]
 * In backends and listen sections (HAProxy runs them on the backend's
 * side only).
 */
int kw_tcp_response(struct sema *s, const struct ast_stmt *st)
{
	const struct ast_word *w = st->args;

	if (st->nargs >= 2 && !strcmp(w[1].text, "inspect-delay") &&
	    (s->sec & (KW_SEC_BACKEND | KW_SEC_LISTEN | KW_SEC_DEFAULTS))) {
		if (lint_stmt(s, st->args, st->nargs, s->sec) > 0)
			return -1;
		return tcp_inspect_delay(s, st, &s->set->res_inspect_delay);
	}
	if (!(s->sec & (KW_SEC_BACKEND | KW_SEC_LISTEN)) || st->nargs < 3 ||
	    strcmp(w[1].text, "content")) {
		kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
		return -1;
	}
	return tcp_rule(s, st, "tcp-response", PLAN_TCP_RESPONSE);
}
