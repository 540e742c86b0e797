/*
 * xref.c: checks over the whole syntax tree once it has been evaluated:
 * names referred to, files referred to, sample expressions, rules in
 * defaults sections, experimental actions and zero-warning. They run on
 * every target: they are what `haproxy -c` refuses after parsing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "diag.h"
#include "files.h"
#include "kw.h"
#include "lint.h"
#include "lint-sample.h"
#include "lint-tab.h"
#include "suggest.h"
#include "xref.h"

/* TLS settings seen along a server's options. */
struct tls_state {
	int ssl;                    /* ssl seen (not undone by no-ssl) */
	int verify;                 /* certificates verified */
	int ca;                     /* a ca-file given */
	int unknown;                /* 'from': inheritance cfgc does not follow */
};

/* What the walk needs to know about the whole configuration. */
struct xref {
	struct sema *s;
	const struct ast_config *cfg;
	const char *crt_base;       /* global crt-base, or NULL */
	const char *ca_base;        /* global ca-base, or NULL */
	const char *origin;         /* default-path origin DIR, or NULL */
	struct files files;         /* where named files are looked up */
	int experimental;           /* expose-experimental-directives seen */
	int no_server_verify;       /* ssl-server-verify none */
	struct tls_state tls;       /* TLS settings the next server of the
	                               section being walked inherits */
	const struct ast_stmt *zero_warning;  /* the global line, or NULL */
	const char **crts;          /* certificates loaded so far (crt words
	                               of bind/server lines, crt-store keys) */
	size_t ncrts, crts_cap;
	char **owned;               /* crt-store keys built here */
	size_t nowned;
};

static int is_proxy(const struct ast_section *sec)
{
	return sec->kind == AST_SEC_DEFAULTS || sec->kind == AST_SEC_FRONTEND ||
	       sec->kind == AST_SEC_BACKEND || sec->kind == AST_SEC_LISTEN;
}

/* The name of a section (header's second word unless it is "from"). */
static const char *sec_name(const struct ast_section *sec)
{
	const struct ast_stmt *h = sec->header;

	if (!h || h->nargs < 2 || !strcmp(h->args[1].text, "from"))
		return NULL;
	return h->args[1].text;
}

static const char *sec_from(const struct ast_section *sec)
{
	const struct ast_stmt *h = sec->header;

	for (size_t i = 1; h && i + 1 < h->nargs; i++)
		if (!strcmp(h->args[i].text, "from"))
			return h->args[i + 1].text;
	return NULL;
}

/* The first section of `keyword` ("userlist") named `name`. */
static const struct ast_section *find_other(const struct xref *x,
                                            const char *keyword,
                                            const char *name)
{
	for (const struct ast_section *sec = x->cfg->sections; sec; sec = sec->next) {
		const char *n = sec_name(sec);

		if (sec->header && n && !strcmp(sec->header->args[0].text, keyword) &&
		    !strcmp(n, name))
			return sec;
	}
	return NULL;
}

static const struct ast_section *find_proxy(const struct xref *x,
                                            const char *name, int backend)
{
	for (const struct ast_section *sec = x->cfg->sections; sec; sec = sec->next) {
		const char *n = sec_name(sec);

		if (!n || strcmp(n, name))
			continue;
		if (sec->kind == AST_SEC_LISTEN || sec->kind == AST_SEC_BACKEND ||
		    (!backend && sec->kind == AST_SEC_FRONTEND))
			return sec;
	}
	return NULL;
}

static const struct ast_stmt *sec_find_kw(const struct ast_section *sec,
                                          const char *kw, const char *arg1)
{
	for (const struct ast_stmt *st = sec->stmts; st; st = st->next)
		if (st->nargs > 0 && !strcmp(st->args[0].text, kw) &&
		    (!arg1 || (st->nargs > 1 && !strcmp(st->args[1].text, arg1))))
			return st;
	return NULL;
}

static void offer_names(struct suggest *sg, const struct xref *x,
                        int backends)
{
	for (const struct ast_section *sec = x->cfg->sections; sec; sec = sec->next)
		if (sec_name(sec) && (sec->kind == AST_SEC_BACKEND ||
		                      sec->kind == AST_SEC_LISTEN ||
		                      (!backends && sec->kind == AST_SEC_FRONTEND)))
			suggest_offer(sg, sec_name(sec));
}

/* ---- files ---- */

static int crt_loaded(const struct xref *x, const char *key)
{
	for (size_t i = 0; i < x->ncrts; i++)
		if (!strcmp(x->crts[i], key))
			return 1;
	return 0;
}

static void crt_add(struct xref *x, const char *key)
{
	if (crt_loaded(x, key))
		return;
	if (x->ncrts == x->crts_cap) {
		size_t cap = x->crts_cap ? 2 * x->crts_cap : 16;
		const char **p = realloc(x->crts, cap * sizeof(*p));

		if (!p) {
			x->s->oom = 1;
			return;
		}
		x->crts = p;
		x->crts_cap = cap;
	}
	x->crts[x->ncrts++] = key;
}

/* crt / ca-file / crl-file / crt-list / ca-verify-file arguments of a
 * bind or server option list words[0..n). */
static void check_option_files(struct xref *x, const struct ast_word *w,
                               size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		const char *o = w[i].text, *base = NULL;
		const struct ast_word *v = &w[i + 1];
		enum plan_precond_kind kind;

		if (!strcmp(o, "crt") || !strcmp(o, "default-crt")) {
			base = x->crt_base;
			kind = PLAN_PRE_CERT;
		} else if (!strcmp(o, "crt-list")) {
			base = x->crt_base;
			kind = PLAN_PRE_CRT_LIST;
		} else if (!strcmp(o, "ca-file") || !strcmp(o, "crl-file") ||
		           !strcmp(o, "ca-verify-file") ||
		           !strcmp(o, "ca-sign-file")) {
			base = x->ca_base;
			kind = PLAN_PRE_CA;
		} else if (!strcmp(o, "tls-ticket-keys")) {
			kind = PLAN_PRE_TEXT;
		} else {
			continue;
		}
		i++;
		if (!strcmp(o, "crt") && crt_loaded(x, v->text))
			continue;
		if (!strcmp(o, "crt") || !strcmp(o, "default-crt"))
			crt_add(x, v->text);
		files_ref(&x->files, v, o, kind, base);
	}
}

/* `w` names a section of `keyword` ("cache"): it must be declared. */
static void ref_other(struct xref *x, const struct ast_word *w,
                      const char *user, const char *keyword)
{
	if (find_other(x, keyword, w->text))
		return;
	diag_error(x->s->dc, &w->loc, "unknown-section",
	           "'%s' names %s section '%s', which is not declared", user,
	           keyword, w->text);
}

/* `w` names a stick table: a proxy declaring a stick-table, or a table
 * of a peers section ("peers/table"). */
static void ref_table(struct xref *x, const struct ast_word *w,
                      const char *user)
{
	const struct ast_section *p = find_proxy(x, w->text, 0);

	if ((p && sec_find_kw(p, "stick-table", NULL)) || strchr(w->text, '/'))
		return;
	diag_error(x->s->dc, &w->loc, "unknown-table",
	           "'%s' refers to table '%s', but no proxy of that name "
	           "declares a stick-table", user, w->text);
}

/* ---- per statement ---- */

/* HAProxy looks a named ACL up when it reads the condition: it must be
 * declared above `use` in the section (or, leniently, in a defaults
 * section). */
static int acl_declared(const struct xref *x, const struct ast_section *sec,
                        const struct ast_stmt *use, const char *name)
{
	for (const struct ast_stmt *st = sec->stmts; st && st != use; st = st->next)
		if (st->nargs > 1 && !strcmp(st->args[0].text, "acl") &&
		    !strcmp(st->args[1].text, name))
			return 1;
	for (const struct ast_section *d = x->cfg->sections; d; d = d->next)
		if (d->kind == AST_SEC_DEFAULTS && sec_find_kw(d, "acl", name))
			return 1;
	return 0;
}

static void check_cond(struct xref *x, const struct ast_section *sec,
                       const struct ast_stmt *st,
                       const struct lint_sample_ctx *sc)
{
	for (size_t a = 0; a < st->cond->nalts; a++) {
		const struct ast_and *and = &st->cond->alts[a];

		for (size_t t = 0; t < and->nterms; t++) {
			const struct ast_term *term = &and->terms[t];
			const char *name;

			if (term->nwords == 0)
				continue;
			if (term->kind == AST_TERM_INLINE) {
				struct lint_sample_ctx in = *sc;

				in.in_cond = 1;
				if (!lint_sample_word(&in, &term->words[0]) &&
				    x->s->target == SEMA_TARGET_HAPROXY)
					lint_acl_regexes(x->s, term->words, term->nwords);
				continue;
			}
			name = term->words[0].text;
			if (lint_name_in(lint_predef_acls, lint_predef_acls_count, name) ||
			    acl_declared(x, sec, st, name))
				continue;
			diag_error(x->s->dc, &term->words[0].loc, "unknown-acl",
			           "'%s' condition uses ACL '%s', which is not "
			           "declared in %s '%s'", st->args[0].text, name,
			           sec->header->args[0].text,
			           sec_name(sec) ? sec_name(sec) : "");
			{
				struct suggest sg;
				const char *hint;
				const struct ast_stmt *later = sec_find_kw(sec, "acl", name);

				if (later) {
					diag_hint(x->s->dc, "'%s' is declared at line %u, "
					          "below its use; move the 'acl' line up",
					          name, (unsigned)later->loc.line);
					continue;
				}
				suggest_init(&sg, name);
				for (const struct ast_stmt *o = sec->stmts; o; o = o->next)
					if (o->nargs > 1 && !strcmp(o->args[0].text, "acl"))
						suggest_offer(&sg, o->args[1].text);
				for (size_t i = 0; i < lint_predef_acls_count; i++)
					suggest_offer(&sg, lint_predef_acls[i]);
				hint = suggest_result(&sg);
				if (hint)
					diag_hint(x->s->dc, "did you mean '%s'?", hint);
			}
		}
	}
}

/* A rule: sample expressions of its action, track-sc tables,
 * experimental actions. */
static void check_rule(struct xref *x, const struct ast_stmt *st, size_t a,
                       const struct lint_sample_ctx *sc)
{
	const struct ast_word *w = st->args;
	size_t n = st->nargs;
	const char *act;

	if (a >= n)
		return;
	act = w[a].text;
	if ((!strncmp(act, "set-var(", 8) || !strncmp(act, "track-sc", 8) ||
	     !strcmp(act, "capture") || !strncmp(act, "sc-set-gpt", 10)) &&
	    a + 1 < n && strncmp(act, "sc-set-gpt", 10))
		lint_sample_word(sc, &w[a + 1]);
	if (!strncmp(act, "track-sc", 8)) {
		for (size_t i = a + 2; i + 1 < n; i++) {
			if (strcmp(w[i].text, "table"))
				continue;
			ref_table(x, &w[i + 1], act);
			break;
		}
	}
	if ((!strcmp(act, "cache-use") || !strcmp(act, "cache-store")) &&
	    a + 1 < n)
		ref_other(x, &w[a + 1], act, "cache");
	if (!strcmp(act, "normalize-uri") && !x->experimental)
		diag_error(x->s->dc, &w[a].loc, "experimental",
		           "'%s normalize-uri' is experimental: it needs "
		           "'expose-experimental-directives' in the global section",
		           w[0].text);
}

/* The defaults section a proxy section inherits from, or NULL. */
static const struct ast_section *proxy_defaults(const struct xref *x,
                                                const struct ast_section *sec)
{
	const char *from = sec_from(sec);
	const struct ast_section *defs = NULL;

	for (const struct ast_section *d = x->cfg->sections; d && d != sec;
	     d = d->next)
		if (d->kind == AST_SEC_DEFAULTS &&
		    (!from || (sec_name(d) && !strcmp(sec_name(d), from))))
			defs = d;
	return defs;
}

static void tls_apply(struct tls_state *t, const struct ast_word *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *o = w[i].text;

		if (!strcmp(o, "ssl"))
			t->ssl = 1;
		else if (!strcmp(o, "no-ssl"))
			t->ssl = 0;
		else if (!strcmp(o, "verify") && i + 1 < n)
			t->verify = strcmp(w[i + 1].text, "none") != 0;
		else if (!strcmp(o, "ca-file"))
			t->ca = 1;
		else if (!strcmp(o, "from") || !strcmp(o, "name"))
			t->unknown = 1;
	}
}

/* The default-server lines of `sec` (a defaults section). */
static void tls_defaults(struct tls_state *t, const struct ast_section *sec)
{
	for (const struct ast_stmt *st = sec->stmts; st; st = st->next)
		if (st->nargs > 1 && !strcmp(st->args[0].text, "default-server"))
			tls_apply(t, st->args + 1, st->nargs - 1);
}

/* Start walking proxy section `sec`: what its servers inherit from its
 * defaults section. */
static void tls_start(struct xref *x, const struct ast_section *sec)
{
	const struct ast_section *defs = proxy_defaults(x, sec);

	memset(&x->tls, 0, sizeof(x->tls));
	x->tls.verify = !x->no_server_verify;
	if (defs)
		tls_defaults(&x->tls, defs);
}

/* HAProxy verifies server certificates by default (ssl-server-verify
 * required): a TLS server then needs a CA to verify with. */
static void check_server_verify(struct xref *x, const struct ast_stmt *st)
{
	struct tls_state t = x->tls;

	tls_apply(&t, st->args + 3, st->nargs - 3);
	if (t.unknown || !t.ssl || !t.verify || t.ca)
		return;
	diag_error(x->s->dc, &st->args[1].loc, "missing-ca-file",
	           "server '%s' uses TLS with certificate verification (the "
	           "default) but no ca-file to verify with", st->args[1].text);
	diag_hint(x->s->dc, "add 'ca-file <file>' (or 'ca-file @system-ca'), or "
	          "'verify none' on a network you trust");
}

/* bind ... verify required|optional needs a CA (ca-file or
 * ca-verify-file, or a crt-list giving one). */
static void check_bind_verify(struct xref *x, const struct ast_stmt *st)
{
	const struct ast_word *verify = NULL;

	for (size_t i = 2; i < st->nargs; i++) {
		const char *o = st->args[i].text;

		if (!strcmp(o, "ca-file") || !strcmp(o, "crt-list") ||
		    !strcmp(o, "ca-verify-file"))
			return;
		if (!strcmp(o, "verify") && i + 1 < st->nargs &&
		    strcmp(st->args[i + 1].text, "none"))
			verify = &st->args[i + 1];
	}
	if (verify)
		diag_error(x->s->dc, &verify->loc, "missing-ca-file",
		           "'verify %s' on a bind line needs a 'ca-file' to verify "
		           "client certificates with", verify->text);
}

/* 1 when words w[0..n) set `opt` (the last of `opt` and `no-opt` wins). */
static int words_set(const struct ast_word *w, size_t n, const char *opt)
{
	int set = 0;

	for (size_t i = 0; i < n; i++)
		if (!strcmp(w[i].text, opt))
			set = 1;
		else if (!strncmp(w[i].text, "no-", 3) &&
		         !strcmp(w[i].text + 3, opt))
			set = 0;
	return set;
}

/* A default-server line of `sec` setting `opt`. */
static int defsrv_sets(const struct ast_section *sec, const char *opt)
{
	for (const struct ast_stmt *d = sec ? sec->stmts : NULL; d; d = d->next)
		if (!strcmp(d->args[0].text, "default-server") &&
		    words_set(d->args + 1, d->nargs - 1, opt))
			return 1;
	return 0;
}

/* A server with agent-check needs an agent-port (its own or a
 * default-server's, here or in its defaults): HAProxy refuses it
 * otherwise ("does not have agent port"). */
static void check_agent_port(struct xref *x, const struct ast_section *sec,
                             const struct ast_stmt *st, size_t first)
{
	const struct ast_word *w = st->args;
	const struct ast_section *defs = proxy_defaults(x, sec);
	int agent = words_set(w + first, st->nargs - first, "agent-check") ||
	            defsrv_sets(sec, "agent-check") ||
	            defsrv_sets(defs, "agent-check");

	if (!agent || words_set(w + first, st->nargs - first, "agent-port") ||
	    defsrv_sets(sec, "agent-port") || defsrv_sets(defs, "agent-port"))
		return;
	if (!words_set(w + first, st->nargs - first, "agent-check"))
		return;         /* inherited: said where it is set, if ever */
	diag_error(x->s->dc, &w[1].loc, "missing-agent-port",
	           "server '%s' has 'agent-check' but no 'agent-port': HAProxy "
	           "refuses it (expected 'agent-port <port>')", w[1].text);
}

/* A server, default-server or server-template line of `sec`. */
static void check_server(struct xref *x, const struct ast_section *sec,
                         const struct ast_stmt *st)
{
	const struct ast_word *w = st->args;
	size_t n = st->nargs, first = 1;

	if (!strcmp(w[0].text, "server"))
		first = 3;
	else if (!strcmp(w[0].text, "server-template"))
		first = 4;
	if (first > n)
		return;
	check_option_files(x, w + first, n - first);
	if (first > 1)
		check_agent_port(x, sec, st, first);
	for (size_t i = first; i + 1 < n; i++) {
		const char *v = w[i + 1].text, *slash = strchr(v, '/');
		const struct ast_section *be = sec;

		if (strcmp(w[i].text, "track"))
			continue;
		if (slash) {
			char bn[256];

			snprintf(bn, sizeof(bn), "%.*s", (int)(slash - v), v);
			be = find_proxy(x, bn, 1);
			v = slash + 1;
		}
		if (!be || !sec_find_kw(be, "server", v))
			diag_error(x->s->dc, &w[i + 1].loc, "unknown-server",
			           "'track %s' names no server (expected "
			           "[<backend>/]<server> of a declared server)",
			           w[i + 1].text);
	}
	for (size_t i = first; i + 1 < n; i++)
		if (!strcmp(w[i].text, "resolvers") &&
		    strcmp(w[i + 1].text, "default") &&  /* always exists */
		    !find_other(x, "resolvers", w[i + 1].text))
			diag_error(x->s->dc, &w[i + 1].loc, "unknown-resolvers",
			           "'%s %s' names resolvers '%s', which are not "
			           "declared", w[0].text, n > 1 ? w[1].text : "",
			           w[i + 1].text);
	/* a name under .invalid never resolves (RFC 6761); HAProxy refuses
	 * the server unless init-addr allows an unresolved address */
	if (first == 3) {
		const char *a = w[2].text, *at = strchr(a, '@');
		char host[256];
		size_t hl;

		if (at)
			a = at + 1;
		hl = strcspn(a, ":");
		if (hl >= sizeof(host))
			return;
		memcpy(host, a, hl);
		host[hl] = 0;
		if (hl >= 8 && !strcasecmp(host + hl - 8, ".invalid") &&
		    !sec_find_kw(sec, "default-server", NULL)) {
			for (size_t i = 3; i < n; i++)
				if (!strcmp(w[i].text, "init-addr"))
					return;
			for (const struct ast_section *d = x->cfg->sections; d; d = d->next)
				if (d->kind == AST_SEC_DEFAULTS &&
				    sec_find_kw(d, "default-server", NULL))
					return;
			diag_error(x->s->dc, &w[2].loc, "unresolvable-address",
			           "server '%s': host name '%s' can never resolve "
			           "(the .invalid domain is reserved by RFC 6761)",
			           w[1].text, host);
			diag_hint(x->s->dc, "add 'init-addr none' to start without "
			          "an address");
		}
	}
}

/* log ring@NAME / backend@NAME: the ring or log backend must exist. */
static void check_log_target(struct xref *x, const struct ast_stmt *st)
{
	const struct ast_word *w = &st->args[1];

	if (st->nargs < 2)
		return;
	if (!strncmp(w->text, "ring@", 5) &&
	    !find_other(x, "ring", w->text + 5))
		diag_error(x->s->dc, &w->loc, "unknown-section",
		           "'log %s' names ring '%s', which is not declared",
		           w->text, w->text + 5);
	if (!strncmp(w->text, "backend@", 8) && !find_proxy(x, w->text + 8, 1))
		diag_error(x->s->dc, &w->loc, "unknown-backend",
		           "'log %s' names backend '%s', which is not declared",
		           w->text, w->text + 8);
}

/* The status codes errorfile may replace (manual, "errorfile"). */
static void check_error_code(struct xref *x, const struct ast_word *w)
{
	static const char *const codes[] = {
		"200", "400", "401", "403", "404", "405", "407", "408", "410",
		"413", "414", "425", "429", "431", "500", "501", "502", "503",
		"504", NULL,
	};

	for (size_t i = 0; codes[i]; i++)
		if (!strcmp(codes[i], w->text))
			return;
	diag_error(x->s->dc, &w->loc, "invalid-status",
	           "'errorfile' cannot replace status '%s' (expected one of 200, "
	           "400, 401, 403, 404, 405, 407, 408, 410, 413, 414, 425, 429, "
	           "431, 500, 501, 502, 503 or 504)", w->text);
}

/*
 * A frontend in mode `fm` sending to backend `be` (named by `w`, in a
 * use_backend rule when `rule`, else as default_backend): HAProxy wants
 * the same mode on both sides, but lets a tcp frontend use an http
 * backend. (http to tcp through default_backend, which a defaults
 * section may give, is the model's check: sema.c.)
 */
static void check_mode_pair(struct xref *x, const struct ast_section *sec,
                            const struct ast_section *be,
                            const struct ast_word *w, int rule)
{
	const char *fm = xref_proxy_mode(x->cfg, sec);
	const char *bm = xref_proxy_mode(x->cfg, be);

	if (!strcmp(fm, bm) || (!strcmp(fm, "tcp") && !strcmp(bm, "http")) ||
	    (!rule && !strcmp(fm, "http") && !strcmp(bm, "tcp")))
		return;         /* the last: sema.c, inherited lines too */
	diag_error(x->s->dc, &w->loc, "mode-mismatch",
	           "%s %s '%s' cannot use %s backend '%s' %s (expected 'mode "
	           "%s' in '%s'%s)", fm, sec->header->args[0].text,
	           sec_name(sec) ? sec_name(sec) : "", bm, w->text,
	           rule ? "in a use_backend rule" : "as its default backend",
	           fm, w->text, !strcmp(fm, "tcp") ? " or 'mode http'" : "");
	diag_hint(x->s->dc, "backend '%s' is declared at line %u", w->text,
	          (unsigned)be->header->loc.line);
}

/* `mode log` and `mode spop` belong to backends: HAProxy refuses them
 * in a frontend section, where the line is. */
static void check_frontend_mode(struct xref *x, const struct ast_section *sec)
{
	if (sec->kind != AST_SEC_FRONTEND)
		return;
	for (const struct ast_stmt *st = sec->stmts; st; st = st->next)
		if (st->nargs > 1 && !strcmp(st->args[0].text, "mode") &&
		    (!strcmp(st->args[1].text, "log") ||
		     !strcmp(st->args[1].text, "spop")))
			diag_error(x->s->dc, &st->args[1].loc, "not-allowed",
			           "'mode %s' applies to backends only, not to "
			           "frontend '%s'", st->args[1].text,
			           sec_name(sec) ? sec_name(sec) : "");
}

static void check_stmt(struct xref *x, const struct ast_section *sec,
                       const struct ast_stmt *st)
{
	const struct ast_word *w = st->args;
	const char *k = w[0].text;
	size_t a = 0;
	struct lint_sample_ctx sc = {
		.s = x->s, .cfg = x->cfg, .ruleset = lint_ruleset(w, st->nargs, &a),
		.rule = k,
	};

	if (st->cond)
		check_cond(x, sec, st, &sc);
	for (size_t i = 1; i < st->nargs; i++)
		if (strstr(w[i].text, "%[") &&
		    !(!strcmp(k, "log-format") && kw_logformat_replaced(st)))
			lint_sample_logformat(&sc, &w[i]);
	if (!strcmp(k, "acl") && st->nargs > 2 &&
	    !lint_sample_word(&sc, &w[2]) && x->s->target == SEMA_TARGET_HAPROXY)
		lint_acl_regexes(x->s, &w[2], st->nargs - 2);
	if (sc.ruleset)
		check_rule(x, st, a, &sc);
	if (!strcmp(k, "use_backend") && st->nargs > 1 && !strchr(w[1].text, '%') &&
	    !find_proxy(x, w[1].text, 1)) {
		struct suggest sg;
		const char *hint;

		diag_error(x->s->dc, &w[1].loc, "unknown-backend",
		           "use_backend '%s' names no backend or listen section",
		           w[1].text);
		suggest_init(&sg, w[1].text);
		offer_names(&sg, x, 1);
		hint = suggest_result(&sg);
		if (hint)
			diag_hint(x->s->dc, "did you mean '%s'?", hint);
	}
	if ((!strcmp(k, "use_backend") || !strcmp(k, "default_backend")) &&
	    st->nargs > 1 &&
	    (sec->kind == AST_SEC_FRONTEND || sec->kind == AST_SEC_LISTEN)) {
		const struct ast_section *be = find_proxy(x, w[1].text, 1);

		if (be)
			check_mode_pair(x, sec, be, &w[1], k[0] == 'u');
	}
	if (!strcmp(k, "filter") && st->nargs > 2 && !strcmp(w[1].text, "cache"))
		ref_other(x, &w[2], "filter cache", "cache");
	if (!strcmp(k, "use-fcgi-app") && st->nargs > 1)
		ref_other(x, &w[1], k, "fcgi-app");
	if (!strcmp(k, "email-alert") && st->nargs > 2 &&
	    !strcmp(w[1].text, "mailers"))
		ref_other(x, &w[2], "email-alert mailers", "mailers");
	if (!strcmp(k, "stick-table")) {
		for (size_t i = 1; i + 1 < st->nargs; i++) {
			if (!strcmp(w[i].text, "peers"))
				ref_other(x, &w[i + 1], k, "peers");
			else if (!strcmp(w[i].text, "write-to"))
				ref_table(x, &w[i + 1], "stick-table write-to");
		}
	}
	if (!strcmp(k, "stick") && st->nargs > 1)
		for (size_t i = 2; i + 1 < st->nargs; i++)
			if (!strcmp(w[i].text, "table"))
				ref_table(x, &w[i + 1], "stick");
	if (!strcmp(k, "log"))
		check_log_target(x, st);
	if (!strcmp(k, "errorfile") && st->nargs > 1)
		check_error_code(x, &w[1]);
	if (!strcmp(k, "use-server") && st->nargs > 1 && !strchr(w[1].text, '%') &&
	    !sec_find_kw(sec, "server", w[1].text) &&
	    !sec_find_kw(sec, "server-template", NULL))
		diag_error(x->s->dc, &w[1].loc, "unknown-server",
		           "use-server '%s': %s '%s' has no server of that name",
		           w[1].text, sec->header->args[0].text,
		           sec_name(sec) ? sec_name(sec) : "");
	if (!strcmp(k, "server") || !strcmp(k, "default-server") ||
	    !strcmp(k, "server-template"))
		check_server(x, sec, st);
	if (!strcmp(k, "bind") && st->nargs > 2) {
		check_option_files(x, w + 2, st->nargs - 2);
		check_bind_verify(x, st);
	}
	if (!strcmp(k, "default-server"))
		tls_apply(&x->tls, w + 1, st->nargs - 1);
	if (!strcmp(k, "server") && st->nargs >= 3 &&
	    sec->kind != AST_SEC_DEFAULTS)
		check_server_verify(x, st);
	if (!strcmp(k, "errorfiles") && st->nargs > 1 &&
	    !find_other(x, "http-errors", w[1].text))
		diag_error(x->s->dc, &w[1].loc, "unknown-http-errors",
		           "'errorfiles %s' names no http-errors section",
		           w[1].text);
}

/* Two named sections of the same kind (userlist, cache, ...) with one
 * name. */
static void check_other_duplicates(struct xref *x)
{
	static const char *const kinds[] = {
		"userlist", "cache", "resolvers", "peers", "ring", "mailers",
		"http-errors", "fcgi-app", "log-forward", NULL,
	};

	for (const struct ast_section *sec = x->cfg->sections; sec; sec = sec->next) {
		const char *n = sec_name(sec), *k;
		const struct ast_section *first;

		if (sec->kind != AST_SEC_OTHER || !n)
			continue;
		k = sec->header->args[0].text;
		for (size_t i = 0; kinds[i]; i++) {
			if (strcmp(kinds[i], k))
				continue;
			first = find_other(x, k, n);
			if (first != sec)
				diag_error(x->s->dc, &sec->header->args[1].loc,
				           "duplicate-name",
				           "%s '%s' is already declared at line %u", k, n,
				           (unsigned)first->header->loc.line);
		}
	}
}

/* ---- defaults with rules (HAProxy 2.5+) ---- */

static const struct ast_stmt *first_rule(const struct ast_section *sec)
{
	for (const struct ast_stmt *st = sec->stmts; st; st = st->next)
		if (st->nargs > 0 && lint_ruleset(st->args, st->nargs, NULL))
			return st;
	return NULL;
}

static const struct ast_section *find_defaults(const struct xref *x,
                                               const char *name,
                                               const struct ast_section *before)
{
	const struct ast_section *found = NULL;

	for (const struct ast_section *d = x->cfg->sections; d && d != before;
	     d = d->next)
		if (d->kind == AST_SEC_DEFAULTS && sec_name(d) &&
		    !strcmp(sec_name(d), name))
			found = d;
	return found;
}

static void check_defaults_rules(struct xref *x)
{
	const struct ast_section *last = NULL;
	/* per defaults section with rules: the first frontend and the first
	 * backend that use it */
	struct use { const struct ast_section *d, *fe, *be; } *uses = NULL;
	size_t nuses = 0;

	for (const struct ast_section *sec = x->cfg->sections; sec; sec = sec->next) {
		const char *from = is_proxy(sec) ? sec_from(sec) : NULL;
		const struct ast_section *d = from ? find_defaults(x, from, sec) : last;

		if (sec->kind == AST_SEC_DEFAULTS) {
			const struct ast_stmt *r = first_rule(sec);

			if (r && !sec_name(sec))
				for (const struct ast_stmt *st = sec->stmts; st; st = st->next)
					if (st->nargs && lint_ruleset(st->args, st->nargs, NULL))
						diag_error(x->s->dc, &st->args[0].loc,
						           "rule-in-anonymous-defaults",
						           "'%s' rules are not allowed in an "
						           "anonymous defaults section (name it and "
						           "use 'from')", st->args[0].text);
			if (from && d && first_rule(d))
				diag_error(x->s->dc, &sec->header->args[0].loc,
				           "defaults-inherit-rules",
				           "a defaults section cannot inherit from defaults "
				           "'%s', which defines TCP/HTTP rules (line %u)",
				           from, (unsigned)first_rule(d)->loc.line);
			last = sec;
			continue;
		}
		if (!is_proxy(sec) || !d || !first_rule(d))
			continue;
		size_t i;

		for (i = 0; i < nuses && uses[i].d != d; i++)
			;
		if (i == nuses) {
			struct use *p = realloc(uses, (nuses + 1) * sizeof(*p));

			if (!p) {
				x->s->oom = 1;
				break;
			}
			uses = p;
			uses[nuses++] = (struct use){ .d = d };
		}
		if (sec->kind == AST_SEC_FRONTEND && !uses[i].fe)
			uses[i].fe = sec;
		if (sec->kind == AST_SEC_BACKEND && !uses[i].be)
			uses[i].be = sec;
		if (uses[i].fe && uses[i].be &&
		    (uses[i].fe == sec || uses[i].be == sec))
			diag_error(x->s->dc, &sec->header->args[0].loc,
			           "defaults-rules-shared",
			           "frontends and backends cannot inherit from the same "
			           "defaults section when it defines TCP/HTTP rules "
			           "(defaults '%s' at line %u)",
			           sec_name(d) ? sec_name(d) : "",
			           (unsigned)d->header->loc.line);
	}
	free(uses);
}

/* ---- sections and globals ---- */

static void read_global(struct xref *x)
{
	for (const struct ast_section *sec = x->cfg->sections; sec; sec = sec->next) {
		if (sec->kind != AST_SEC_GLOBAL)
			continue;
		for (const struct ast_stmt *st = sec->stmts; st; st = st->next) {
			const char *k = st->args[0].text;

			if (!strcmp(k, "crt-base") && st->nargs > 1)
				x->crt_base = st->args[1].text;
			else if (!strcmp(k, "ca-base") && st->nargs > 1)
				x->ca_base = st->args[1].text;
			else if (!strcmp(k, "default-path") && st->nargs > 2 &&
			         !strcmp(st->args[1].text, "origin"))
				x->origin = st->args[2].text;
			else if (!strcmp(k, "ssl-server-verify") && st->nargs > 1)
				x->no_server_verify = !strcmp(st->args[1].text, "none");
			else if (!strcmp(k, "expose-experimental-directives"))
				x->experimental = 1;
			else if (!strcmp(k, "zero-warning"))
				x->zero_warning = st;
		}
	}
}

/* crt-store: `load crt X` of a certificate already loaded (by a bind or
 * server line above, or another load) is refused. */
static void check_crt_store(struct xref *x, const struct ast_section *sec)
{
	const char *store = sec_name(sec), *base = x->crt_base;

	for (const struct ast_stmt *st = sec->stmts; st; st = st->next) {
		if (!strcmp(st->args[0].text, "crt-base") && st->nargs > 1)
			base = st->args[1].text;
		const char *crt = NULL, *alias = NULL;
		char *key;

		if (strcmp(st->args[0].text, "load"))
			continue;
		for (size_t i = 1; i + 1 < st->nargs; i++) {
			if (!strcmp(st->args[i].text, "crt"))
				crt = st->args[i + 1].text;
			else if (!strcmp(st->args[i].text, "alias"))
				alias = st->args[i + 1].text;
		}
		if (!crt)
			continue;
		size_t len = strlen(crt) + (alias ? strlen(alias) : 0) +
		             (store ? strlen(store) : 0) + 4;

		key = malloc(len);
		if (!key) {
			x->s->oom = 1;
			return;
		}
		if (store)
			snprintf(key, len, "@%s/%s", store, alias ? alias : crt);
		else
			snprintf(key, len, "%s", alias ? alias : crt);
		if (crt_loaded(x, key)) {
			diag_error(x->s->dc, &st->args[0].loc, "duplicate-certificate",
			           "crt-store: certificate '%s' is already loaded "
			           "(by a line above)", key);
			free(key);
			continue;
		}
		char **o = realloc(x->owned, (x->nowned + 1) * sizeof(*o));

		if (!o) {
			free(key);
			x->s->oom = 1;
			return;
		}
		x->owned = o;
		x->owned[x->nowned++] = key;
		crt_add(x, key);
		files_load(&x->files, st, base);
	}
}

/* 1 when errors already reject the configuration, so that zero-warning
 * adds nothing: any error HAProxy would give, and for cfgrun any error at
 * all (warnings may then come from what was not compiled). */
static int rejected_already(const struct sema *s)
{
	for (const struct diag *d = s->dc->head; d; d = d->next) {
		if (d->severity != DIAG_ERROR)
			continue;
		if (s->target != SEMA_TARGET_HAPROXY || !d->code ||
		    strncmp(d->code, "unsupported", 11))
			return 1;
	}
	return 0;
}

/* Warnings HAProxy gives too: cfgc's own advice (a number HAProxy reads
 * leniently without a word, what a plan leaves out) does not count for
 * zero-warning. */
static unsigned haproxy_warnings(const struct sema *s)
{
	unsigned n = 0;

	for (const struct diag *d = s->dc->head; d; d = d->next)
		if (d->severity == DIAG_WARNING &&
		    !(d->code && (!strcmp(d->code, "lenient-number") ||
		                  !strcmp(d->code, "not-run"))))
			n++;
	return n;
}

/* The last statement `kw` of `sec`, else of the defaults it inherits. */
static const struct ast_stmt *effective_kw(const struct xref *x,
                                           const struct ast_section *sec,
                                           const char *kw)
{
	const struct ast_section *defs = proxy_defaults(x, sec);
	const struct ast_stmt *found = NULL;

	for (const struct ast_section *p = sec; p && !found;
	     p = p == sec ? defs : NULL)
		for (const struct ast_stmt *st = p->stmts; st; st = st->next)
			if (st->nargs > 1 && !strcmp(st->args[0].text, kw))
				found = st;
	return found;
}

/* A backend in 'mode log' balances with roundrobin, random, sticky or
 * log-hash only (manual, "balance"); HAProxy checks it after parsing. */
static void check_log_balance(struct xref *x, const struct ast_section *sec)
{
	static const char *const ok[] = {
		"roundrobin", "random", "sticky", "log-hash",
	};
	const struct ast_stmt *mode = effective_kw(x, sec, "mode");
	const struct ast_stmt *bal = effective_kw(x, sec, "balance");
	size_t n;

	if (!mode || strcmp(mode->args[1].text, "log") || !bal ||
	    (sec->kind != AST_SEC_BACKEND && sec->kind != AST_SEC_LISTEN))
		return;
	n = strcspn(bal->args[1].text, "(");
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strlen(ok[i]) == n && !strncmp(ok[i], bal->args[1].text, n))
			return;
	diag_error(x->s->dc, &bal->args[0].loc, "invalid-value",
	           "'balance %s' in a log backend ('%s' is in mode log): "
	           "expected roundrobin, random, sticky or log-hash",
	           bal->args[1].text, sec_name(sec) ? sec_name(sec) : "");
}

/* balance uri, url_param and hdr() need HTTP mode: elsewhere HAProxy
 * warns after parsing and balances with round robin (emit.c does too). */
static void check_l7_balance(struct xref *x, const struct ast_section *sec)
{
	const struct ast_stmt *mode = effective_kw(x, sec, "mode");
	const struct ast_stmt *bal = effective_kw(x, sec, "balance");
	const char *a;

	if (!bal || (mode && strcmp(mode->args[1].text, "tcp")) ||
	    (sec->kind != AST_SEC_BACKEND && sec->kind != AST_SEC_LISTEN))
		return;
	a = bal->args[1].text;
	if (strcmp(a, "uri") && strcmp(a, "url_param") && strncmp(a, "hdr(", 4))
		return;
	diag_warning(x->s->dc, &bal->args[1].loc, "ignored",
	             "'balance %s' hashes HTTP requests but '%s' is not in mode "
	             "http: it balances with round robin, as HAProxy does", a,
	             sec_name(sec) ? sec_name(sec) : "");
}

void xref_run(struct sema *s, const struct ast_config *cfg)
{
	struct xref x = { .s = s, .cfg = cfg };

	read_global(&x);
	files_init(&x.files, s, cfg);
	for (const struct ast_section *sec = cfg->sections; sec && !s->oom;
	     sec = sec->next) {
		for (const struct ast_stmt *st = sec->stmts; st; st = st->next)
			if (st->nargs > 0)
				files_stmt(&x.files, st);
		if (is_proxy(sec)) {
			tls_start(&x, sec);
			check_log_balance(&x, sec);
			check_l7_balance(&x, sec);
			check_frontend_mode(&x, sec);
			for (const struct ast_stmt *st = sec->stmts; st; st = st->next)
				if (st->nargs > 0)
					check_stmt(&x, sec, st);
		} else if (sec->header && !strcmp(sec->header->args[0].text,
		                                  "crt-store")) {
			check_crt_store(&x, sec);
		}
		/* errorfile bodies are read by the evaluation (kw-http.c) */
	}
	check_other_duplicates(&x);
	for (const struct ast_section *sec = cfg->sections; sec; sec = sec->next)
		if (sec->kind == AST_SEC_GLOBAL)
			for (const struct ast_stmt *st = sec->stmts; st; st = st->next)
				if (st->nargs && !strcmp(st->args[0].text, "log"))
					check_log_target(&x, st);
	check_defaults_rules(&x);
	xref_warnings(s, cfg);
	unsigned nwarn = haproxy_warnings(s);

	if (x.zero_warning && nwarn > 0 && !rejected_already(s))
		diag_error(s->dc, &x.zero_warning->args[0].loc, "zero-warning",
		           "'zero-warning' is set and %u warning%s found: HAProxy "
		           "refuses to start", nwarn, nwarn > 1 ? "s were" : " was");
	for (size_t i = 0; i < x.nowned; i++)
		free(x.owned[i]);
	free(x.owned);
	free(x.crts);
	files_free(&x.files);
}
