/*
 * kw-http.c: the HTTP settings of a proxy (options, stats, http-reuse)
 * and the global tune.* buffer settings; they end in struct plan_http
 * and struct plan_global.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "kw.h"
#include "sema.h"
#include "units.h"

/* Replace the owned string *dst by a copy of `text`. 0 or -1 (memory). */
static int http_set_str(struct sema *s, char **dst, const char *text)
{
	char *d = sema_strdup(s, text);

	if (!d)
		return -1;
	free(*dst);
	*dst = d;
	return 0;
}

/* option httplog [clf]: replaces the log format (tcplog clears it). */
int kw_option_httplog(struct sema *s, const struct ast_stmt *st, size_t args,
                      int negate)
{
	struct model_http *h = &s->set->http;

	if (negate) {
		h->flags &= ~(PLAN_HTTP_F_HTTPLOG | PLAN_HTTP_F_HTTPLOG_CLF);
		return 0;
	}
	if (args < st->nargs && strcmp(st->args[args].text, "clf")) {
		diag_error(s->dc, &st->args[args].loc, "invalid-value",
		           "'option httplog' expects nothing or 'clf', found '%s'",
		           st->args[args].text);
		return -1;
	}
	h->flags |= PLAN_HTTP_F_HTTPLOG;
	h->flags &= ~PLAN_HTTP_F_HTTPLOG_CLF;
	if (args < st->nargs)
		h->flags |= PLAN_HTTP_F_HTTPLOG_CLF;
	h->httplog_loc = st->args[0].loc;
	return 0;
}

/* The `except NET` of forwardfor/originalto into *net. 0 or -1. */
static int http_except(struct sema *s, const struct ast_word *w,
                       struct plan_http_net *net)
{
	struct plan_pattern pt;

	if (kw_acl_network(s, w, &pt) != 0)
		return -1;
	memset(net, 0, sizeof(*net));
	net->family = pt.kind == PLAN_PAT_IPV4 ? PLAN_FAM_INET : PLAN_FAM_INET6;
	net->prefix = pt.prefix;
	memcpy(net->ip, pt.ip, sizeof(net->ip));
	return 0;
}

/*
 * option forwardfor [except NET] [header NAME] [if-none] and option
 * originalto [except NET] [header NAME]: the words in any order, as
 * HAProxy reads them; each use starts from the defaults (no except, the
 * standard header), as HAProxy resets them too.
 */
static int http_fwd_option(struct sema *s, const struct ast_stmt *st,
                           size_t args, int ff)
{
	struct model_http *h = &s->set->http;
	const char *opt = ff ? "forwardfor" : "originalto";
	struct plan_http_net net;
	char *header = NULL;
	int if_none = 0;

	memset(&net, 0, sizeof(net));
	for (size_t i = args; i < st->nargs; i++) {
		const struct ast_word *w = &st->args[i];

		if (ff && !strcmp(w->text, "if-none")) {
			if_none = 1;
			continue;
		}
		if (strcmp(w->text, "except") && strcmp(w->text, "header")) {
			diag_error(s->dc, &w->loc, "invalid-value",
			           "'option %s' expects 'except <network>', "
			           "'header <name>'%s, found '%s'", opt,
			           ff ? " or 'if-none'" : "", w->text);
			goto fail;
		}
		if (i + 1 >= st->nargs || !st->args[i + 1].text[0]) {
			diag_error(s->dc, &w->loc, "missing-argument",
			           "'option %s %s' expects %s, found nothing", opt,
			           w->text, w->text[0] == 'e' ? "a network such as "
			           "'10.0.0.0/8'" : "a header name");
			goto fail;
		}
		i++;
		if (w->text[0] == 'e') {
			if (http_except(s, &st->args[i], &net) < 0)
				goto fail;
		} else if (http_set_str(s, &header, st->args[i].text) < 0) {
			goto fail;
		}
	}
	if (ff) {
		free(h->ff_header);
		h->ff_header = header;
		h->ff_except = net;
		h->flags |= PLAN_HTTP_F_FORWARDFOR;
		h->flags &= ~PLAN_HTTP_F_FF_IF_NONE;
		if (if_none)
			h->flags |= PLAN_HTTP_F_FF_IF_NONE;
	} else {
		free(h->ot_header);
		h->ot_header = header;
		h->ot_except = net;
		h->flags |= PLAN_HTTP_F_ORIGINALTO;
	}
	return 0;
fail:
	free(header);
	return -1;
}

int kw_option_forwardfor(struct sema *s, const struct ast_stmt *st,
                         size_t args, int negate)
{
	(void)negate;           /* not negatable (kw-option.c's table) */
	return http_fwd_option(s, st, args, 1);
}

int kw_option_originalto(struct sema *s, const struct ast_stmt *st,
                         size_t args, int negate)
{
	(void)negate;           /* not negatable (kw-option.c's table) */
	return http_fwd_option(s, st, args, 0);
}

/*
 * option httpclose | http-server-close | http-keep-alive: one mode, the
 * last one set wins; `no option X` goes back to keep-alive only when X is
 * the mode in force (HAProxy clears the mode bits only then).
 */
int kw_option_conn_mode(struct sema *s, const struct ast_stmt *st, size_t args,
                        int negate)
{
	const char *name = st->args[args - 1].text;
	uint32_t mode = !strcmp(name, "httpclose") ? PLAN_HTTP_CONN_CLOSE :
	                !strcmp(name, "http-server-close") ?
	                PLAN_HTTP_CONN_SERVER_CLOSE : PLAN_HTTP_CONN_KEEPALIVE;

	if (!negate)
		s->set->http.conn_mode = mode;
	else if (s->set->http.conn_mode == mode)
		s->set->http.conn_mode = PLAN_HTTP_CONN_KEEPALIVE;
	return 0;
}

/* http-reuse never|safe|aggressive|always */
int kw_http_reuse(struct sema *s, const struct ast_stmt *st)
{
	static const char *const names[PLAN_HTTP_REUSE_MAX] = {
		"safe", "never", "aggressive", "always",
	};
	const struct ast_word *w = &st->args[1];

	for (uint32_t i = 0; i < PLAN_HTTP_REUSE_MAX; i++) {
		if (!strcmp(w->text, names[i])) {
			s->set->http.reuse = i;
			return 0;
		}
	}
	diag_error(s->dc, &w->loc, "invalid-value",
	           "'http-reuse' expects 'never', 'safe', 'aggressive' or "
	           "'always', found '%s'", w->text);
	return -1;
}

/* stats admin if TRUE: the only condition compiled without rules. */
static int stats_admin(struct sema *s, const struct ast_stmt *st)
{
	const struct ast_cond *c = st->cond;
	const struct ast_term *t;

	if (!c) {
		diag_error(s->dc, &st->args[1].loc, "missing-argument",
		           "'stats admin' expects 'if' or 'unless' and a "
		           "condition, found nothing");
		return -1;
	}
	t = c->nalts == 1 && c->alts[0].nterms == 1 ? &c->alts[0].terms[0]
	                                            : NULL;
	if (c->kind == AST_COND_IF && t && t->kind == AST_TERM_ACL &&
	    !t->negate && t->nwords == 1 && !strcmp(t->words[0].text, "TRUE")) {
		s->set->http.flags |= PLAN_HTTP_F_STATS | PLAN_HTTP_F_STATS_ADMIN;
		return 0;
	}
	diag_error(s->dc, &c->loc, "unsupported",
	           "'stats admin' with a condition other than 'if TRUE' is "
	           "not supported by cfgc yet (HAProxy manual section 4.2)");
	return -1;
}

/* stats refresh DELAY: seconds by default, stored in seconds. */
static int stats_refresh(struct sema *s, const struct ast_word *w)
{
	char err[256];
	size_t col = 0;
	uint32_t ms;

	if (units_parse_time_msg(w->text, 1000, &ms, err, sizeof(err),
	                         &col) < 0) {
		struct src_loc loc = kw_word_loc_at(w, col);

		diag_error(s->dc, &loc, "invalid-time", "'stats refresh': %s",
		           err);
		return -1;
	}
	s->set->http.stats_refresh = ms / 1000;
	return 0;
}

/* stats auth USER:PASSWORD, appended to the list. HAProxy takes a word
 * without ':' as a user with an empty password: it is stored as "user:". */
static int stats_auth(struct sema *s, const struct ast_word *w)
{
	struct model_http *h = &s->set->http;
	size_t old = h->stats_auth ? strlen(h->stats_auth) : 0;
	size_t len = strlen(w->text);
	int colon = strchr(w->text, ':') != NULL;
	char *n;

	if (!len || strchr(w->text, '\n')) {
		diag_error(s->dc, &w->loc, "invalid-value",
		           "'stats auth' expects 'user:password', found '%s'",
		           w->text);
		return -1;
	}
	n = realloc(h->stats_auth, old + len + 3);
	if (!n) {
		s->oom = 1;
		return -1;
	}
	memcpy(n + old, w->text, len);
	if (!colon)
		n[old + len++] = ':';
	n[old + len] = '\n';
	n[old + len + 1] = 0;
	h->stats_auth = n;
	return 0;
}

/* The words after `stats show-desc` joined by spaces, or
 * NULL with none. Owned by the caller. */
static char *stats_join(struct sema *s, const struct ast_stmt *st)
{
	size_t len = 0;
	char *t;

	if (st->nargs < 3)
		return NULL;
	for (size_t i = 2; i < st->nargs; i++)
		len += strlen(st->args[i].text) + 1;
	if (!(t = malloc(len))) {
		s->oom = 1;
		return NULL;
	}
	t[0] = 0;
	for (size_t i = 2; i < st->nargs; i++) {
		if (i > 2)
			strcat(t, " ");
		strcat(t, st->args[i].text);
	}
	return t;
}

/* stats SUB ... in a proxy: every one of them enables the page, as in
 * HAProxy; those cfgc does not compile are reported. */
int kw_proxy_stats(struct sema *s, const struct ast_stmt *st)
{
	static const struct {
		const char *name;
		unsigned min, max;       /* words after the sub-keyword */
		uint32_t flag;           /* PLAN_HTTP_F_* set, besides STATS */
	} subs[] = {
		{ "enable", 0, 0, 0 },
		{ "uri", 1, 1, 0 },
		{ "realm", 1, 1, 0 },
		{ "auth", 1, 1, 0 },
		{ "refresh", 1, 1, 0 },
		{ "admin", 0, 0, 0 },
		{ "hide-version", 0, 0, PLAN_HTTP_F_STATS_HIDE_VERSION },
		{ "show-legends", 0, 0, PLAN_HTTP_F_STATS_SHOW_LEGENDS },
		{ "show-node", 0, 1, PLAN_HTTP_F_STATS_SHOW_NODE },
		{ "show-desc", 0, KW_ARGS_ANY, PLAN_HTTP_F_STATS_SHOW_DESC },
	};
	struct model_http *h = &s->set->http;
	const char *sub;
	size_t i, n = sizeof(subs) / sizeof(subs[0]);

	if (st->nargs < 2) {
		diag_error(s->dc, &st->args[0].loc, "missing-argument",
		           "'stats' expects a keyword such as 'enable', 'uri' or "
		           "'auth', found nothing");
		return -1;
	}
	sub = st->args[1].text;
	for (i = 0; i < n && strcmp(sub, subs[i].name); i++)
		;
	if (i == n) {
		kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
		return -1;
	}
	if (!strcmp(sub, "admin")) {
		if (s->sec == KW_SEC_DEFAULTS) {
			diag_error(s->dc, &st->args[1].loc, "not-allowed",
			           "'stats admin' is not allowed in a defaults "
			           "section; it belongs in frontend, listen or backend");
			return -1;
		}
		return stats_admin(s, st);
	}
	if (st->cond) {
		diag_error(s->dc, &st->cond->loc, "unexpected-condition",
		           "'stats %s' takes no '%s' condition", sub,
		           st->cond->kind == AST_COND_IF ? "if" : "unless");
		return -1;
	}
	if (st->nargs - 2 < subs[i].min) {
		diag_error(s->dc, &st->args[1].loc, "missing-argument",
		           "'stats %s' expects an argument, found nothing", sub);
		return -1;
	}
	if (subs[i].max != KW_ARGS_ANY && st->nargs - 2 > subs[i].max) {
		struct src_loc loc = kw_span(st->args, 2 + subs[i].max,
		                             st->nargs - 1);

		diag_error(s->dc, &loc, "extra-argument",
		           "'stats %s' expects %s, found an extra argument '%s'",
		           sub, subs[i].max ? "one argument" : "no argument",
		           st->args[2 + subs[i].max].text);
		return -1;
	}
	if (!strcmp(sub, "uri") &&
	    http_set_str(s, &h->stats_uri, st->args[2].text) < 0)
		return -1;
	if (!strcmp(sub, "auth") && stats_auth(s, &st->args[2]) < 0)
		return -1;
	if (!strcmp(sub, "refresh") && stats_refresh(s, &st->args[2]) < 0)
		return -1;
	if (!strcmp(sub, "show-node") && st->nargs > 2 &&
	    http_set_str(s, &h->stats_node, st->args[2].text) < 0)
		return -1;
	if (!strcmp(sub, "realm") &&
	    http_set_str(s, &h->stats_realm, st->args[2].text) < 0)
		return -1;
	if (!strcmp(sub, "show-desc")) {
		char *t = stats_join(s, st);

		if (s->oom)
			return -1;
		free(h->stats_desc);
		h->stats_desc = t;
	}
	h->flags |= PLAN_HTTP_F_STATS | subs[i].flag;
	return 0;
}

/* After every section: HTTP settings in a proxy that is not in mode http
 * are ignored by HAProxy; option httplog falls back to tcplog with a
 * warning, and the settings are cleared so the plan holds none. */
void kw_http_finish(struct sema *s, struct model_proxy *px)
{
	struct model_http *h = &px->set.http;
	const char *label = px->cap == PLAN_CAP_ALL ? "listen" :
	                    px->cap == PLAN_CAP_FE ? "frontend" : "backend";

	if (px->set.mode == PLAN_MODE_HTTP)
		return;
	if ((h->flags & PLAN_HTTP_F_HTTPLOG) && (px->cap & PLAN_CAP_FE)) {
		diag_warning(s->dc, h->httplog_loc.line ? &h->httplog_loc : &px->loc,
		             "ignored",
		             "'option httplog' not usable with %s '%s' (needs "
		             "'mode http'); falling back to 'option tcplog'",
		             label, px->name);
		px->set.flags |= PLAN_PX_F_LOG;
	}
}

/* tune.bufsize SIZE: rounded up to 16 bytes as HAProxy does on 64-bit
 * hosts; tune.maxrewrite N; tune.http.maxhdr N (1..32767). */
int kw_global_tune(struct sema *s, const struct ast_stmt *st)
{
	const char *kw = st->args[0].text;
	const struct ast_word *w = &st->args[1];
	char err[256];
	size_t col = 0;
	uint64_t v;

	if (!strcmp(kw, "tune.bufsize")) {
		if (units_parse_size_msg(w->text, &v, err, sizeof(err), &col) < 0) {
			struct src_loc loc = kw_word_loc_at(w, col);

			diag_error(s->dc, &loc, "invalid-size", "'%s': %s", kw, err);
			return -1;
		}
		if (v == 0 || v > INT32_MAX - 16) {
			diag_error(s->dc, &w->loc, "out-of-range",
			           "'%s' expects a size in bytes from 1 to %d, "
			           "found '%s'", kw, INT32_MAX - 16, w->text);
			return -1;
		}
		s->m->tune_bufsize = (uint32_t)((v + 15) & ~(uint64_t)15);
		return 0;
	}
	/* HAProxy reads both with atol(): "4K" is 4 */
	v = kw_lenient_count(s, w, kw);
	if (strchr(w->text, '-') && strpbrk(w->text, "123456789") &&
	    strchr(w->text, '-') < strpbrk(w->text, "123456789")) {
		diag_error(s->dc, &w->loc, "out-of-range",
		           "'%s' expects a positive integer, found '%s'", kw,
		           w->text);
		return -1;
	}
	if (!strcmp(kw, "tune.http.maxhdr") && (v < 1 || v > 32767)) {
		diag_error(s->dc, &w->loc, "out-of-range",
		           "'%s' expects a number between 1 and 32767, found '%s'",
		           kw, w->text);
		return -1;
	}
	if (!strcmp(kw, "tune.maxrewrite"))
		s->m->tune_maxrewrite = (uint32_t)v;
	else
		s->m->tune_http_maxhdr = (uint32_t)v;
	return 0;
}
