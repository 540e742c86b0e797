/*
 * kw-http.c: the HTTP settings of a proxy (options, stats, http-reuse)
 * and the global tune.* buffer settings; they end in struct plan_http
 * and struct plan_global.
 */
#define _GNU_SOURCE             /* memmem */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "files.h"
#include "kw.h"
#include "model.h"
#include "plan.h"
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

/* Append "word\n" to the owned list *list. 0 or -1 (memory). */
static int http_list_add(struct sema *s, char **list, const char *word)
{
	size_t old = *list ? strlen(*list) : 0, n = strlen(word);
	char *l = realloc(*list, old + n + 2);

	if (!l) {
		s->oom = 1;
		return -1;
	}
	memcpy(l + old, word, n);
	l[old + n] = '\n';
	l[old + n + 1] = 0;
	*list = l;
	return 0;
}

/* A delay in seconds (seconds when no unit) of `what` ("stats refresh",
 * "cookie maxidle") in word w, into *out. 0, or -1 after an error. */
static int http_seconds(struct sema *s, const struct ast_word *w,
                        const char *what, uint32_t *out)
{
	char err[256];
	size_t col = 0;
	uint32_t ms;

	if (units_parse_time_msg(w->text, 1000, &ms, err, sizeof(err),
	                         &col) < 0) {
		struct src_loc loc = kw_word_loc_at(w, col);

		diag_error(s->dc, &loc, "invalid-time", "'%s': %s", what, err);
		return -1;
	}
	*out = ms / 1000;
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
	free(h->log_format);            /* one log format: the last wins */
	h->log_format = NULL;
	h->httpslog = 0;
	if (args < st->nargs)
		h->flags |= PLAN_HTTP_F_HTTPLOG_CLF;
	h->httplog_loc = st->args[0].loc;
	return 0;
}

/* HAProxy's definition of `option httpslog` (manual 8.2.4): the HTTP
 * format, then the TLS state of the client connection. */
static const char http_httpslog_fmt[] =
	"%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc "
	"%ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r "
	"%[fc_err]/%[ssl_fc_err,hex]/%[ssl_c_err]/%[ssl_c_ca_err]/"
	"%[ssl_fc_is_resumed] %[ssl_fc_sni]/%sslv/%sslc";

/* option httpslog: that format as the proxy's log-format, as HAProxy
 * declares it; a later log-format or option httplog replaces it. */
int kw_option_httpslog(struct sema *s, const struct ast_stmt *st, size_t args,
                       int negate)
{
	struct model_http *h = &s->set->http;

	(void)args;
	if (negate) {
		/* as HAProxy: "no option httpslog" drops the format */
		if (h->httpslog) {
			free(h->log_format);
			h->log_format = NULL;
			h->httpslog = 0;
		}
		return 0;
	}
	if (http_set_str(s, &h->log_format, http_httpslog_fmt) < 0)
		return -1;
	h->flags &= ~(PLAN_HTTP_F_HTTPLOG | PLAN_HTTP_F_HTTPLOG_CLF);
	h->httpslog = 1;
	h->log_format_loc = st->args[0].loc;
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

/* retry-on KEYWORD...: replaces the previous set (HAProxy's
 * proxy_parse_retry_on); `none` only alone. */
int kw_retry_on(struct sema *s, const struct ast_stmt *st)
{
	static const struct { const char *name; uint32_t bits; } words[] = {
		{ "none", 0 },
		{ "conn-failure", PLAN_RETRY_CONN_FAILURE },
		{ "empty-response", PLAN_RETRY_EMPTY_RESPONSE },
		{ "junk-response", PLAN_RETRY_JUNK_RESPONSE },
		{ "response-timeout", PLAN_RETRY_RESPONSE_TIMEOUT },
		{ "0rtt-rejected", PLAN_RETRY_0RTT_REJECTED },
	};
	static const unsigned codes[PLAN_RETRY_NCODES] = PLAN_RETRY_CODES;
	uint32_t bits = 0;

	for (size_t i = 1; i < st->nargs; i++) {
		const struct ast_word *w = &st->args[i];
		size_t k;

		for (k = 0; k < sizeof(words) / sizeof(words[0]); k++)
			if (!strcmp(w->text, words[k].name))
				break;
		if (k < sizeof(words) / sizeof(words[0])) {
			if (k == 0 && st->nargs != 2) {
				diag_error(s->dc, &w->loc, "invalid-value",
				           "'retry-on none' cannot be combined with "
				           "other keywords");
				return -1;
			}
			bits |= words[k].bits;
			continue;
		}
		if (!strcmp(w->text, "all-retryable-errors")) {
			bits |= PLAN_RETRY_CONN_FAILURE | PLAN_RETRY_EMPTY_RESPONSE |
			        PLAN_RETRY_JUNK_RESPONSE |
			        PLAN_RETRY_RESPONSE_TIMEOUT |
			        PLAN_RETRY_0RTT_REJECTED;
			for (k = 0; k < PLAN_RETRY_NCODES; k++)
				if (codes[k] == 500 || codes[k] == 502 ||
				    codes[k] == 503 || codes[k] == 504)
					bits |= 1u << (PLAN_RETRY_STATUS_SHIFT + k);
			continue;
		}
		for (k = 0; k < PLAN_RETRY_NCODES; k++)
			if (strlen(w->text) == 3 &&
			    (unsigned)atoi(w->text) == codes[k])
				break;
		if (k == PLAN_RETRY_NCODES) {
			diag_error(s->dc, &w->loc, "invalid-value",
			           "'retry-on' expects 'none', 'conn-failure', "
			           "'empty-response', 'junk-response', "
			           "'response-timeout', '0rtt-rejected', "
			           "'all-retryable-errors' or a status among 401 403 "
			           "404 408 421 425 429 500 501 502 503 504, found "
			           "'%s'", w->text);
			return -1;
		}
		bits |= 1u << (PLAN_RETRY_STATUS_SHIFT + k);
	}
	s->set->http.retry_on = bits;
	return 0;
}

/* stats admin if TRUE: a flag; another condition: a stats admin rule. */
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
	if (kw_stats_admin_rule(s, st) < 0)
		return -1;
	s->set->http.flags |= PLAN_HTTP_F_STATS;
	return 0;
}


/* stats auth USER:PASSWORD, appended to the list. HAProxy takes a word
 * without ':' as a user with an empty password: it is stored as "user:". */
static int stats_auth(struct sema *s, const struct ast_word *w)
{
	struct model_http *h = &s->set->http;
	char entry[1024];

	if (!w->text[0] || strchr(w->text, '\n') ||
	    strlen(w->text) + 2 > sizeof(entry)) {
		diag_error(s->dc, &w->loc, "invalid-value",
		           "'stats auth' expects 'user:password', found '%s'",
		           w->text);
		return -1;
	}
	snprintf(entry, sizeof(entry), "%s%s", w->text,
	         strchr(w->text, ':') ? "" : ":");
	return http_list_add(s, &h->stats_auth, entry);
}

/* stats scope NAME|. appended to the list: HAProxy keeps any name (one
 * that names no proxy shows nothing) and reads "." as the proxy serving
 * the page. */
static int stats_scope(struct sema *s, const struct ast_word *w)
{
	if (!w->text[0] || strchr(w->text, '\n') ||
	    strlen(w->text) != w->len) {
		diag_error(s->dc, &w->loc, "invalid-value",
		           "'stats scope' expects a proxy name or '.', found '%s'",
		           w->text);
		return -1;
	}
	return http_list_add(s, &s->set->http.stats_scope, w->text);
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

/* HAProxy refuses `stats auth` or `stats realm` together with `stats
 * http-request` rules in one proxy: 0, or -1 after the error. */
static int stats_rules_conflict(struct sema *s, const struct ast_stmt *st,
                                const char *sub)
{
	const struct model_http *h = &s->set->http;
	const struct model_proxy *px = sema_proxy(s);
	int rules = 0;

	for (size_t i = 0; px && i < px->nhttp_rules; i++)
		if (px->http_rules[i].flags & PLAN_HR_F_STATS)
			rules = 1;
	if (!strcmp(sub, "http-request") ? !h->stats_auth && !h->stats_realm :
	    !rules)
		return 0;
	diag_error(s->dc, &st->args[1].loc, "not-allowed",
	           "stats 'auth'/'realm' and 'http-request' cannot be used "
	           "together in one proxy (HAProxy refuses it)");
	return -1;
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
		{ "scope", 1, 1, 0 },
		{ "http-request", 1, KW_ARGS_ANY, 0 },
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
	if (!strcmp(sub, "http-request") ||
	    ((!strcmp(sub, "auth") || !strcmp(sub, "realm")) && sema_proxy(s)))
		if (stats_rules_conflict(s, st, sub) < 0)
			return -1;
	if (!strcmp(sub, "http-request")) {
		if (s->sec == KW_SEC_DEFAULTS) {
			kw_report_uncompiled(s, st->args, st->nargs, s->sec,
			                     s->sec_label);
			return -1;
		}
		if (kw_stats_http_rule(s, st) < 0)
			return -1;
		h->flags |= PLAN_HTTP_F_STATS;
		return 0;
	}
	if (st->cond)
		/* HAProxy reads the condition's words as extra arguments
		 * and goes on without them. */
		diag_warning(s->dc, &st->cond->loc, "extra-argument",
		             "'stats %s' takes no '%s' condition (ignored)", sub,
		             st->cond->kind == AST_COND_IF ? "if" : "unless");
	if (st->nargs - 2 < subs[i].min) {
		diag_error(s->dc, &st->args[1].loc, "missing-argument",
		           "'stats %s' expects an argument, found nothing", sub);
		return -1;
	}
	if (subs[i].max != KW_ARGS_ANY && st->nargs - 2 > subs[i].max) {
		struct src_loc loc = kw_span(st->args, 2 + subs[i].max,
		                             st->nargs - 1);

		/* HAProxy warns and goes on without them. */
		diag_warning(s->dc, &loc, "extra-argument",
		             "'stats %s' expects %s, found an extra argument '%s' "
		             "(ignored)", sub, subs[i].max ? "one argument" :
		             "no argument", st->args[2 + subs[i].max].text);
	}
	if (!strcmp(sub, "uri") &&
	    http_set_str(s, &h->stats_uri, st->args[2].text) < 0)
		return -1;
	if (!strcmp(sub, "auth") && stats_auth(s, &st->args[2]) < 0)
		return -1;
	if (!strcmp(sub, "scope") && stats_scope(s, &st->args[2]) < 0)
		return -1;
	if (!strcmp(sub, "refresh") &&
	    http_seconds(s, &st->args[2], "stats refresh", &h->stats_refresh) < 0)
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
/* The %[...] items of a frontend's log-format as anonymous lines of px,
 * in order (px->logfmt_acl: 1 + the first's index). */
static void http_logfmt_exprs(struct sema *s, struct model_proxy *px)
{
	const struct model_http *h = &px->set.http;
	struct ast_word w;
	size_t pos = 0, len;
	long at;

	memset(&w, 0, sizeof(w));
	w.text = h->log_format;
	w.len = strlen(h->log_format);
	w.loc = h->log_format_loc;
	while ((at = plan_lf_next_expr(h->log_format, &pos, &len)) >= 0) {
		if (kw_sample_line(s, px, &w, (size_t)at, h->log_format + at, len,
		                   h->log_format_loc.line) != 0) {
			/* reported; a linter's plan goes without the format */
			px->logfmt_bad = 1;
			return;
		}
		if (!px->logfmt_acl)
			px->logfmt_acl = px->nacls;
	}
}

/* balance hash EXPR of a backend: its expression as an anonymous line of
 * px (px->bal_acl: 1 + its index). */
static void http_balance_expr(struct sema *s, struct model_proxy *px)
{
	const struct model_http *h = &px->set.http;
	size_t errors = s->dc->nerrors;
	struct ast_word w;

	memset(&w, 0, sizeof(w));
	w.text = h->bal_name;
	w.len = strlen(h->bal_name);
	w.loc = h->balance_loc;
	switch (kw_sample_line(s, px, &w, 0, h->bal_name, w.len,
	                       h->balance_loc.line)) {
	case 0:
		px->bal_acl = px->nacls;
		break;
	case 1:
		/* not compiled: a fetch nobody knows is for the lint pass,
		 * which only saw the expression where it was written */
		if (!h->bal_checked && s->dc->nerrors == errors)
			diag_error(s->dc, &px->loc, "unknown-fetch",
			           "backend '%s': failed to parse the 'balance hash' "
			           "expression '%s' inherited from defaults",
			           px->name, h->bal_name);
		break;
	default:
		break;
	}
}

void kw_http_finish(struct sema *s, struct model_proxy *px)
{
	struct model_http *h = &px->set.http;
	const char *label = px->cap == PLAN_CAP_ALL ? "listen" :
	                    px->cap == PLAN_CAP_FE ? "frontend" : "backend";
	int fe = (px->cap & PLAN_CAP_FE) != 0;

	/* HAProxy refuses buffers of 256 MB or more once HTTP is used (its
	 * HTX offsets); said once, at the first HTTP proxy */
	if (px->set.mode == PLAN_MODE_HTTP && !px->set.mode_other &&
	    s->m->tune_bufsize >= (256u << 20) && !s->m->bufsize_http_said) {
		s->m->bufsize_http_said = 1;
		diag_error(s->dc, &px->loc, "out-of-range",
		           "tune.bufsize must be below 256 MB when HTTP is used "
		           "(%s '%s' is in mode http; tune.bufsize is %u bytes)",
		           label, px->name, (unsigned)s->m->tune_bufsize);
	}

	if (fe && ((h->flags & PLAN_HTTP_F_HTTPLOG) || h->log_format) &&
	    !px->set.nlogs && !(px->set.flags & PLAN_PX_F_LOG_GLOBAL))
		diag_warning(s->dc, &px->loc, "ignored",
		             "log format ignored for %s '%s' since it has no log "
		             "address", label, px->name);
	if (px->set.mode == PLAN_MODE_HTTP) {
		if (fe && h->log_format)
			http_logfmt_exprs(s, px);
		if ((px->cap & PLAN_CAP_BE) &&
		    px->set.balance == PLAN_BALANCE_HASH && h->bal_name)
			http_balance_expr(s, px);
		return;
	}
	if ((px->cap & PLAN_CAP_BE) && px->set.balance == PLAN_BALANCE_HASH)
		diag_error(s->dc, &h->balance_loc, "unsupported",
		           "'balance hash' in %s '%s' (mode tcp) is not supported "
		           "by cfgc yet: cfgrun evaluates its expression on HTTP "
		           "requests only", label, px->name);
	if (((h->flags & PLAN_HTTP_F_HTTPLOG) || h->httpslog) && fe) {
		diag_warning(s->dc, h->httplog_loc.line ? &h->httplog_loc : &px->loc,
		             "ignored",
		             "'option %s' not usable with %s '%s' (needs "
		             "'mode http'); falling back to 'option tcplog'",
		             h->httpslog ? "httpslog" : "httplog", label, px->name);
		px->set.flags |= PLAN_PX_F_LOG;
		if (h->httpslog) {      /* its format is HTTP's */
			free(h->log_format);
			h->log_format = NULL;
		}
	}
	/* cfgrun logs TCP proxies in the tcplog format only */
	if (h->log_format && fe)
		diag_error(s->dc, h->log_format_loc.line ? &h->log_format_loc
		                                         : &px->loc, "unsupported",
		           "'log-format' in %s '%s' (mode tcp) is not supported by "
		           "cfgc yet: cfgrun writes tcplog lines for TCP proxies",
		           label, px->name);
	if (h->unique_id_format)
		diag_error(s->dc, h->unique_id_loc.line ? &h->unique_id_loc
		                                        : &px->loc, "unsupported",
		           "'unique-id-format' in %s '%s' (mode tcp) is not "
		           "supported by cfgc yet", label, px->name);
}

/* tune.idle-pool.shared full|on|off: cfgrun keeps idle server
 * connections per thread, which is what "off" asks; "on" and "full"
 * (sharing them between threads) are accepted with a warning. */
int kw_global_idle_pool(struct sema *s, const struct ast_stmt *st)
{
	const struct ast_word *w = &st->args[1];

	if (strcmp(w->text, "full") && strcmp(w->text, "on") &&
	    strcmp(w->text, "off")) {
		diag_error(s->dc, &w->loc, "invalid-argument",
		           "'%s' expects 'full', 'on' or 'off', found '%s'",
		           st->args[0].text, w->text);
		return -1;
	}
	if (strcmp(w->text, "off"))
		diag_warning(s->dc, &w->loc, "ignored",
		             "'%s %s' ignored: cfgrun keeps idle server "
		             "connections per thread, as 'off' does",
		             st->args[0].text, w->text);
	return 0;
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
		if (v < PLAN_BUFSIZE_MIN) {
			/* HAProxy turns its default error pages into buffers
			 * of this size at start and stops when one does not
			 * fit (its 405 page alone needs about 330 bytes:
			 * 2.6 needs 337 or more; below 256 none passes) */
			diag_error(s->dc, &w->loc, "out-of-range",
			           "'%s %s': HAProxy cannot load its default "
			           "error pages into buffers this small and "
			           "refuses to start; give at least a few hundred "
			           "bytes (the default is 16384)", kw, w->text);
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

/* The aliases of manual section 8.2.6 (and %sslc, %sslv, still read). */
static const char *const fmt_aliases[] = {
	"B", "CC", "CS", "H", "HM", "HP", "HPO", "HQ", "HU", "HV", "ID", "OG",
	"ST", "T", "TR", "Ta", "Tc", "Td", "Th", "Ti", "Tl", "Tq", "Tr", "Ts",
	"Tt", "Tu", "Tw", "U", "ac", "b", "bc", "bi", "bp", "bq", "ci", "cp",
	"f", "fc", "fi", "fp", "ft", "hr", "hrl", "hs", "hsl", "lc", "ms", "o",
	"pid", "r", "rc", "rt", "s", "sc", "si", "sp", "sq", "sslc", "sslv",
	"t", "tr", "trg", "trl", "ts", "tsc",
};

/* Aliases cfgc accepts that cfgrun does not render (refused outside
 * --target=haproxy). */
static const char *const fmt_unrun[] = {
	"HPO", "OG", "Tl", "Tu", "bi", "bp", "trg", "trl",
};

/* Where byte `off` of a format word is: formats are usually quoted, so
 * a word in plain double quotes (nothing escaped or expanded: its span is
 * its text and the two quotes) is mapped too; otherwise as
 * kw_word_loc_at(). */
static struct src_loc fmt_loc(const struct ast_word *w, size_t off)
{
	struct src_loc loc = w->loc;

	if (w->flags == AST_W_QUOTED &&
	    w->loc.end_col == w->loc.col + w->len + 2 && off < w->len) {
		loc.col = w->loc.col + 1 + (uint32_t)off;
		loc.end_col = loc.col + 1;
		return loc;
	}
	return kw_word_loc_at(w, off);
}

/* Offset in t (from p) of the ']' closing a %[ expression, brackets and
 * parentheses inside it balanced and quoted text skipped; -1 if none. */
static long fmt_expr_end(const char *t, size_t p)
{
	return kw_expr_end(t, p);
}

/* 1 when flags f (after '{', up to '}') hold others than +-Q, +-X. */
static int fmt_flags_unrun(const char *f)
{
	for (; *f && *f != '}'; f += 2)
		if ((f[0] != '+' && f[0] != '-') || (f[1] != 'Q' && f[1] != 'X'))
			return 1;
	return 0;
}

/*
 * A problem in a log-format string: an error for cfgrun, which would run
 * it; a warning for --target=haproxy, since HAProxy only reads a format
 * when the proxy logs somewhere (a file with a broken format and no log
 * target is valid to it), and a false error is worse than a miss.
 */
static void fmt_report(struct sema *s, int strict, const struct src_loc *loc,
                       const char *code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void fmt_report(struct sema *s, int strict, const struct src_loc *loc,
                       const char *code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(s->dc, s->target == SEMA_TARGET_HAPROXY && !strict ?
	             DIAG_WARNING : DIAG_ERROR, loc, code, fmt, ap);
	va_end(ap);
}

/*
 * A custom log format (manual 8.2.6) in word `w` for keyword `kw`: text,
 * `%%`, and items `%[(name[:type])][{flags}]` followed by an alias of the
 * table or a `[sample expression]` (whose fetches xref checks). Errors
 * are located at the offending byte. 0, or -1 after an error.
 */
static int fmt_check(struct sema *s, const struct ast_word *w,
                     const char *kw, int strict)
{
	const char *t = w->text;
	size_t i = 0;
	int run = s->target != SEMA_TARGET_HAPROXY && !strict;
	const char *unrun = NULL;   /* the first item cfgrun cannot run */
	size_t unrun_at = 0;

	while ((t = strchr(w->text + i, '%'))) {
		size_t at = (size_t)(t - w->text), n;
		const char *close;
		struct src_loc loc;

		i = at + 1;
		if (w->text[i] == '%') {
			i++;
			continue;
		}
		if (run && !unrun && w->text[i] == '(') {
			unrun = "typed items '%(name)' are";
			unrun_at = i;
		}
		if (run && !unrun && w->text[i] == '{' &&
		    fmt_flags_unrun(w->text + i + 1)) {
			unrun = "flags other than Q and X are";
			unrun_at = i;
		}
		if (w->text[i] == '(' || w->text[i] == '{') {
			char open = w->text[i];

			close = strchr(w->text + i, open == '(' ? ')' : '}');
			if (!close) {
				fmt_report(s, strict, (loc = fmt_loc(w, i), &loc),
				           "invalid-format", "'%s': '%c' is not closed "
				           "by '%c'", kw, open, open == '(' ? ')' : '}');
				return -1;
			}
			i = (size_t)(close - w->text) + 1;
			if (open == '(' && w->text[i] == '{') {
				close = strchr(w->text + i, '}');
				if (!close) {
					fmt_report(s, strict, (loc = fmt_loc(w, i), &loc), "invalid-format",
					           "'%s': '{' is not closed by '}'", kw);
					return -1;
				}
				i = (size_t)(close - w->text) + 1;
			}
		}
		if (run && !unrun && w->text[i] == '[' && strcmp(kw, "log-format")) {
			unrun = "sample expressions '%[...]' are";
			unrun_at = at;
		}
		if (w->text[i] == '[') {
			long end = fmt_expr_end(w->text, i + 1);

			if (end < 0) {
				fmt_report(s, strict, (loc = fmt_loc(w, i), &loc),
				           "invalid-format", "'%s': sample expression "
				           "'%%[' is not closed by ']'", kw);
				return -1;
			}
			if ((size_t)end == i + 1) {
				fmt_report(s, strict, (loc = fmt_loc(w, i), &loc),
				           "invalid-format", "'%s': empty sample "
				           "expression '%%[]'", kw);
				return -1;
			}
			i = (size_t)end + 1;
			continue;
		}
		for (n = 0; (w->text[i + n] >= 'A' && w->text[i + n] <= 'Z') ||
		            (w->text[i + n] >= 'a' && w->text[i + n] <= 'z'); n++)
			;
		for (size_t k = 0; run && n && k < sizeof(fmt_unrun) /
		                                   sizeof(fmt_unrun[0]); k++) {
			if (!unrun && strlen(fmt_unrun[k]) == n &&
			    !strncmp(fmt_unrun[k], w->text + i, n)) {
				unrun = fmt_unrun[k];
				unrun_at = at;
			}
		}
		for (size_t k = 0; n && k < sizeof(fmt_aliases) /
		                            sizeof(fmt_aliases[0]); k++) {
			if (strlen(fmt_aliases[k]) == n &&
			    !strncmp(fmt_aliases[k], w->text + i, n)) {
				i += n;
				goto next;
			}
		}
		{
			loc = fmt_loc(w, at);
			if (n)
				fmt_report(s, strict, &loc, "invalid-format",
				           "'%s': no such format alias '%%%.*s' (to "
				           "write '%%' itself, write '%%%%')", kw, (int)n,
				           w->text + i);
			else
				fmt_report(s, strict, &loc, "invalid-format",
				           "'%s': '%%' must be followed by an alias such "
				           "as '%%ci' or by '[expression]' (to write '%%' "
				           "itself, write '%%%%')", kw);
			return -1;
		}
next:
		;
	}
	if (unrun) {
		struct src_loc loc = fmt_loc(w, unrun_at);

		if (unrun[0] != '%' && strchr(unrun, ' '))
			diag_error(s->dc, &loc, "unsupported", "'%s': %s not run "
			           "by cfgrun in log formats yet", kw, unrun);
		else
			diag_error(s->dc, &loc, "unsupported", "'%s': '%%%s' is "
			           "not rendered by cfgrun yet", kw, unrun);
		return -1;
	}
	return 0;
}

int kw_logformat_check(struct sema *s, const struct ast_word *w,
                       const char *kw)
{
	return fmt_check(s, w, kw, 0);
}

int kw_logformat_check_value(struct sema *s, const struct ast_word *w,
                             const char *kw)
{
	return fmt_check(s, w, kw, 1);
}

int kw_logformat_replaced(const struct ast_stmt *st)
{
	for (const struct ast_stmt *n = st->next; n; n = n->next) {
		const char *k = n->args[0].text;

		if (!strcmp(k, "log-format"))
			return 1;
		if (!strcmp(k, "option") && n->nargs > 1 &&
		    (!strcmp(n->args[1].text, "httplog") ||
		     !strcmp(n->args[1].text, "httpslog") ||
		     !strcmp(n->args[1].text, "tcplog")))
			return 1;
	}
	return 0;
}

/* log-format FMT, unique-id-format FMT: checked, stored as written. */
int kw_log_format(struct sema *s, const struct ast_stmt *st)
{
	struct model_http *h = &s->set->http;
	const struct ast_word *w = &st->args[st->nargs > 1];
	int uid = !strcmp(st->args[0].text, "unique-id-format");
	size_t len = 0;
	const char *line = diag_source_line(s->dc, st->loc.file, st->loc.line,
	                                    &len);

	/* HAProxy defines ${HAPROXY_HTTP_LOG_FMT} and its kin itself: here
	 * they expanded to nothing */
	if ((st->nargs < 2 || !w->text[0]) && line &&
	    memmem(line, len, "HAPROXY_", 8) && memmem(line, len, "LOG_FMT", 7)) {
		diag_error(s->dc, &st->loc, "unsupported",
		           "HAProxy's built-in log format variables "
		           "(${HAPROXY_HTTP_LOG_FMT} and the like) are not defined "
		           "by cfgc yet");
		return -1;
	}
	if (st->nargs < 2 || !w->text[0]) {
		diag_error(s->dc, &w->loc, "missing-argument",
		           "'%s' expects a format string, found an empty one",
		           st->args[0].text);
		return -1;
	}
	if (!uid && kw_logformat_replaced(st))
		return 0;       /* HAProxy never parses it: a later line wins */
	if ((kw_logformat_check(s, w, st->args[0].text) < 0 &&
	     s->target != SEMA_TARGET_HAPROXY) ||
	    http_set_str(s, uid ? &h->unique_id_format : &h->log_format,
	                 w->text) < 0)
		return -1;
	if (uid) {
		h->unique_id_loc = w->loc;
	} else {
		/* one log format: this replaces option httplog */
		h->flags &= ~(PLAN_HTTP_F_HTTPLOG | PLAN_HTTP_F_HTTPLOG_CLF);
		h->httpslog = 0;
		h->log_format_loc = w->loc;
	}
	return 0;
}

/* monitor-uri URI, unique-id-header NAME: one word, stored. */
int kw_http_word(struct sema *s, const struct ast_stmt *st)
{
	struct model_http *h = &s->set->http;
	int mon = !strcmp(st->args[0].text, "monitor-uri");

	if (!st->args[1].text[0]) {
		diag_error(s->dc, &st->args[1].loc, "missing-argument",
		           "'%s' expects %s, found an empty word", st->args[0].text,
		           mon ? "a URI" : "a header name");
		return -1;
	}
	return http_set_str(s, mon ? &h->monitor_uri : &h->unique_id_header,
	                    st->args[1].text);
}



/*
 * cookie NAME [rewrite|insert|prefix] [indirect] [nocache] [postonly]
 * [preserve] [httponly] [secure] [domain D]... [maxidle S] [maxlife S]
 * [attr V]...: each line replaces the previous setting. `dynamic` needs
 * dynamic-cookie-key, not compiled yet.
 */
int kw_cookie(struct sema *s, const struct ast_stmt *st)
{
	static const struct { const char *name; uint32_t flag; } flags[] = {
		{ "indirect", PLAN_COOKIE_F_INDIRECT },
		{ "nocache", PLAN_COOKIE_F_NOCACHE },
		{ "postonly", PLAN_COOKIE_F_POSTONLY },
		{ "preserve", PLAN_COOKIE_F_PRESERVE },
		{ "httponly", PLAN_COOKIE_F_HTTPONLY },
		{ "secure", PLAN_COOKIE_F_SECURE },
	};
	static const char *const modes[PLAN_COOKIE_MODE_MAX] = {
		NULL, "rewrite", "insert", "prefix",
	};
	struct model_http c, *h = &s->set->http;
	const struct ast_word *mode_w = NULL;

	memset(&c, 0, sizeof(c));
	if (!st->args[1].text[0]) {
		diag_error(s->dc, &st->args[1].loc, "missing-argument",
		           "'cookie' expects a cookie name, found an empty word");
		return -1;
	}
	if (http_set_str(s, &c.cookie_name, st->args[1].text) < 0)
		return -1;
	for (size_t i = 2; i < st->nargs; i++) {
		const struct ast_word *w = &st->args[i];
		size_t k;

		for (k = 1; k < PLAN_COOKIE_MODE_MAX && strcmp(w->text, modes[k]); k++)
			;
		if (k < PLAN_COOKIE_MODE_MAX) {
			if (mode_w && strcmp(mode_w->text, w->text)) {
				diag_error(s->dc, &w->loc, "invalid-value",
				           "'cookie': '%s' and '%s' cannot be used "
				           "together (one of rewrite, insert, prefix)",
				           mode_w->text, w->text);
				goto fail;
			}
			mode_w = w;
			c.cookie_mode = (uint32_t)k;
			continue;
		}
		for (k = 0; k < sizeof(flags) / sizeof(flags[0]) &&
		            strcmp(w->text, flags[k].name); k++)
			;
		if (k < sizeof(flags) / sizeof(flags[0])) {
			c.cookie_flags |= flags[k].flag;
			continue;
		}
		if (!strcmp(w->text, "dynamic")) {
			diag_error(s->dc, &w->loc, "unsupported",
			           "'cookie ... dynamic' is not supported by cfgc yet "
			           "(HAProxy manual section 4.2)");
			goto fail;
		}
		if (strcmp(w->text, "domain") && strcmp(w->text, "maxidle") &&
		    strcmp(w->text, "maxlife") && strcmp(w->text, "attr")) {
			diag_error(s->dc, &w->loc, "invalid-value",
			           "'cookie' expects 'rewrite', 'insert', 'prefix', "
			           "'indirect', 'nocache', 'postonly', 'preserve', "
			           "'httponly', 'secure', 'domain', 'maxidle', "
			           "'maxlife', 'dynamic' or 'attr', found '%s'",
			           w->text);
			goto fail;
		}
		if (i + 1 >= st->nargs || !st->args[i + 1].text[0] ||
		    strchr(st->args[i + 1].text, '\n')) {
			diag_error(s->dc, &w->loc, "missing-argument",
			           "'cookie %s' expects a value, found nothing",
			           w->text);
			goto fail;
		}
		i++;
		if ((!strcmp(w->text, "domain") &&
		     http_list_add(s, &c.cookie_domains, st->args[i].text) < 0) ||
		    (!strcmp(w->text, "attr") &&
		     http_list_add(s, &c.cookie_attrs, st->args[i].text) < 0) ||
		    (!strcmp(w->text, "maxidle") &&
		     http_seconds(s, &st->args[i], "cookie maxidle",
		                  &c.cookie_maxidle) < 0) ||
		    (!strcmp(w->text, "maxlife") &&
		     http_seconds(s, &st->args[i], "cookie maxlife",
		                  &c.cookie_maxlife) < 0))
			goto fail;
	}
	if ((c.cookie_flags & PLAN_COOKIE_F_PRESERVE) &&
	    c.cookie_mode != PLAN_COOKIE_INSERT &&
	    !(c.cookie_flags & PLAN_COOKIE_F_INDIRECT)) {
		diag_error(s->dc, &st->args[0].loc, "invalid-value",
		           "'cookie ... preserve' requires 'insert' or 'indirect'");
		goto fail;
	}
	if ((c.cookie_maxidle || c.cookie_maxlife) &&
	    c.cookie_mode != PLAN_COOKIE_INSERT) {
		diag_error(s->dc, &st->args[0].loc, "invalid-value",
		           "'cookie ... maxidle/maxlife' only work with 'insert'");
		goto fail;
	}
	free(h->cookie_name);
	free(h->cookie_domains);
	free(h->cookie_attrs);
	h->cookie_name = c.cookie_name;
	h->cookie_domains = c.cookie_domains;
	h->cookie_attrs = c.cookie_attrs;
	h->cookie_mode = c.cookie_mode;
	h->cookie_flags = c.cookie_flags;
	h->cookie_maxidle = c.cookie_maxidle;
	h->cookie_maxlife = c.cookie_maxlife;
	return 0;
fail:
	free(c.cookie_name);
	free(c.cookie_domains);
	free(c.cookie_attrs);
	return -1;
}

/* HTTP token characters (RFC 9110 5.6.2), for header names. */
static int http_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/*
 * Whether b[0..n) is a whole HTTP/1 response as HAProxy wants an error
 * file: a status line "HTTP/1.x NNN [reason]", header lines "name: value",
 * an empty line, then at least Content-Length bytes of body when one is
 * given. NULL when it is, else what is wrong, with *line its line.
 */
static const char *http_response_problem(const char *b, size_t n,
                                         unsigned *line)
{
	size_t i = 0, cl = 0;
	int have_cl = 0;

	*line = 1;
	if (n < 12 || memcmp(b, "HTTP/1.", 7) || (b[7] != '0' && b[7] != '1') ||
	    b[8] != ' ' || b[9] < '1' || b[9] > '5' || b[10] < '0' ||
	    b[10] > '9' || b[11] < '0' || b[11] > '9' ||
	    (n > 12 && b[12] != ' ' && b[12] != '\r' && b[12] != '\n'))
		return "no status line 'HTTP/1.x NNN reason'";
	for (;;) {
		const char *eol = memchr(b + i, '\n', n - i);
		size_t end, k;

		if (!eol)
			return "the headers do not end with an empty line";
		end = (size_t)(eol - b);
		if (i) {
			size_t len = end - i - (end > i && b[end - 1] == '\r');

			if (!len) {
				i = end + 1;
				break;
			}
			for (k = i; k < i + len && http_tchar((unsigned char)b[k]); k++)
				;
			if (k == i || k >= i + len || b[k] != ':')
				return "a header line is not 'name: value'";
			if (k - i == 14 && !strncasecmp(b + i, "content-length", 14)) {
				char num[24];
				size_t vl = i + len - (k + 1);

				if (vl >= sizeof(num))
					return "a Content-Length is not a number";
				memcpy(num, b + k + 1, vl);
				num[vl] = 0;
				if (sscanf(num, " %zu", &cl) != 1)
					return "a Content-Length is not a number";
				have_cl = 1;
			}
		}
		i = end + 1;
		++*line;
	}
	if (have_cl && n - i < cl)
		return "the body is shorter than its Content-Length";
	return NULL;
}

/* Read the error page of word `w` into page `idx` of `pages`. 0 or -1. */
static int http_load_page(struct sema *s, struct model_errpages *pages,
                          int idx, const struct ast_word *w)
{
	char path[4096];
	char *body;
	size_t len;
	const char *why;
	unsigned line;
	int ret;

	ret = files_read_errorfile(s->files, w, &body, &len, path);
	if (ret < 0)
		return -1;
	if (ret > 0) {          /* --hermetic: cfgrun loads it */
		if (model_errpage_set(pages, idx, NULL, 0, path) < 0) {
			s->oom = 1;
			return -1;
		}
		pages->deferred |= 1u << idx;
		return 0;
	}
	if (len && (why = http_response_problem(body, len, &line))) {
		diag_error(s->dc, &w->loc, "bad-errorfile",
		           "'errorfile': '%s' is not an HTTP response: %s (line %u "
		           "of the file)", path, why, line);
		free(body);
		return -1;
	}
	ret = model_errpage_set(pages, idx, body, len, path);
	free(body);
	if (ret < 0)
		s->oom = 1;
	return ret;
}

/* The errorfile index of status word `w`, or -1 (xref reports it). */
static int http_status_index(const struct ast_word *w)
{
	char *end;
	unsigned long v = strtoul(w->text, &end, 10);

	return *end || !w->text[0] ? -1 : plan_http_err_index((unsigned)v);
}

/* errorfile CODE FILE in a proxy or defaults section. */
int kw_errorfile(struct sema *s, const struct ast_stmt *st)
{
	int idx = http_status_index(&st->args[1]);

	if (idx < 0)
		return -1;      /* invalid-status, said by the xref pass */
	return http_load_page(s, &s->set->http.errors, idx, &st->args[2]);
}

void kw_http_errors_section(struct sema *s, const struct ast_section *sec)
{
	struct model_http_errors *he, *n;

	if (sec->header->nargs < 2)
		return;         /* lint_section says what is missing */
	n = realloc(s->m->http_errors,
	            (s->m->nhttp_errors + 1) * sizeof(*n));
	if (!n) {
		s->oom = 1;
		return;
	}
	s->m->http_errors = n;
	he = &n[s->m->nhttp_errors];
	memset(he, 0, sizeof(*he));
	if (!(he->name = sema_strdup(s, sec->header->args[1].text)))
		return;
	s->m->nhttp_errors++;
	for (const struct ast_stmt *st = sec->stmts; st; st = st->next) {
		int idx;

		if (st->nargs != 3 || strcmp(st->args[0].text, "errorfile"))
			continue;       /* lint_section reports the others */
		if ((idx = http_status_index(&st->args[1])) >= 0)
			http_load_page(s, &he->pages, idx, &st->args[2]);
	}
}

/* errorfiles NAME [CODE...]: the pages of an http-errors section (all,
 * or those of the codes listed), applied where the line is, as HAProxy
 * applies errorfile and errorfiles lines in order. */
int kw_errorfiles(struct sema *s, const struct ast_stmt *st)
{
	const struct model_http_errors *he = NULL;
	struct model_errpages *dst = &s->set->http.errors;
	uint32_t want = 0;

	for (size_t i = 0; i < s->m->nhttp_errors; i++)
		if (!strcmp(s->m->http_errors[i].name, st->args[1].text))
			he = &s->m->http_errors[i];
	if (!he)
		return -1;      /* unknown-http-errors, said by the xref pass */
	for (size_t i = 2; i < st->nargs; i++) {
		int idx = http_status_index(&st->args[i]);

		if (idx < 0) {
			diag_error(s->dc, &st->args[i].loc, "invalid-status",
			           "'errorfiles %s': '%s' is not a status errorfile "
			           "can replace", st->args[1].text, st->args[i].text);
			return -1;
		}
		want |= 1u << idx;
	}
	if (!want)
		want = he->pages.mask;
	for (int i = 0; i < PLAN_HTTP_NERRORS; i++)
		if ((want & he->pages.mask & (1u << i)) &&
		    model_errpage_set(dst, i, he->pages.body[i], he->pages.len[i],
		                      he->pages.path[i]) < 0) {
			s->oom = 1;
			return -1;
		}
	dst->deferred = (dst->deferred & ~(want & he->pages.mask)) |
	                (he->pages.deferred & want);
	return 0;
}

/*
 * capture request header NAME len N, capture response header NAME len N,
 * capture cookie NAME len N: in order; a second capture cookie replaces
 * the first (HAProxy keeps one). `len` is read with atol() as HAProxy
 * does.
 */
int kw_capture(struct sema *s, const struct ast_stmt *st)
{
	struct model_http *h = &s->set->http;
	const char *k1 = st->args[1].text;
	int cookie = !strcmp(k1, "cookie");
	size_t name = cookie ? 2 : 3, slot = h->ncaps;
	uint32_t kind;
	char *n;

	if (cookie)
		kind = PLAN_CAPTURE_COOKIE;
	else if ((!strcmp(k1, "request") || !strcmp(k1, "response")) &&
	         st->nargs > 2 && !strcmp(st->args[2].text, "header"))
		kind = k1[2] == 'q' ? PLAN_CAPTURE_REQ : PLAN_CAPTURE_RES;
	else {
		kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
		return -1;
	}
	if (st->nargs < name + 3 || !st->args[name].text[0] ||
	    strcmp(st->args[name + 1].text, "len")) {
		const struct ast_word *w = &st->args[st->nargs < name + 2 ?
		                                     st->nargs - 1 : name + 1];

		diag_error(s->dc, &w->loc, "missing-argument",
		           "'capture %s' expects %s<name> len <length>",
		           cookie ? "cookie" : k1, cookie ? "" : "header ");
		return -1;
	}
	if (st->nargs > name + 3) {
		struct src_loc loc = kw_span(st->args, name + 3, st->nargs - 1);

		diag_error(s->dc, &loc, "extra-argument",
		           "'capture' expects nothing after the length, found '%s'",
		           st->args[name + 3].text);
		return -1;
	}
	for (size_t i = 0; cookie && i < h->ncaps; i++)
		if (h->caps[i].kind == PLAN_CAPTURE_COOKIE)
			slot = i;
	if (slot == PLAN_HTTP_MAX_CAPTURES) {
		diag_error(s->dc, &st->args[0].loc, "unsupported",
		           "more than %d captures in one proxy are not supported "
		           "by cfgc yet", PLAN_HTTP_MAX_CAPTURES);
		return -1;
	}
	if (!(n = sema_strdup(s, st->args[name].text)))
		return -1;
	if (slot < h->ncaps)
		free(h->caps[slot].name);
	else
		h->ncaps++;
	h->caps[slot].kind = kind;
	h->caps[slot].name = n;
	h->caps[slot].len = kw_lenient_count(s, &st->args[name + 2], "len");
	return 0;
}
