/*
 * sema.c: the evaluation pass. Walks the AST section by section, hands each
 * statement to its keyword table, applies defaults, then checks what needs
 * the whole configuration (names, references, modes, timeouts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "kw.h"
#include "kw-ssl.h"
#include "model.h"
#include "sema.h"
#include "suggest.h"
#include "lint.h"
#include "xref.h"
#include "files.h"

#define NO_DEFAULTS ((size_t)-1)

struct model_proxy *sema_proxy(struct sema *s)
{
	return s->proxy == SEMA_NO_PROXY ? NULL : &s->m->proxies[s->proxy];
}

char *sema_strdup(struct sema *s, const char *text)
{
	char *p = strdup(text);

	if (!p)
		s->oom = 1;
	return p;
}

/* "frontend, listen" for a KW_SEC_* mask, into buf. */
static const char *sections_text(uint32_t mask, char *buf, size_t len)
{
	static const struct { uint32_t bit; const char *label; } names[] = {
		{ KW_SEC_GLOBAL, "global" }, { KW_SEC_DEFAULTS, "defaults" },
		{ KW_SEC_FRONTEND, "frontend" }, { KW_SEC_LISTEN, "listen" },
		{ KW_SEC_BACKEND, "backend" },
	};
	size_t used = 0;

	buf[0] = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(mask & names[i].bit))
			continue;
		int w = snprintf(buf + used, len - used, "%s%s",
		                 used ? ", " : "", names[i].label);
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
	return buf;
}

/* One statement of a section whose keywords are in `table`. */
static void sema_stmt(struct sema *s, const struct kw_def *table, size_t n,
                      const struct ast_stmt *st)
{
	const struct kw_def *kw = kw_find(table, n, st->args[0].text);
	struct model_proxy *px = sema_proxy(s);
	char where[80];

	if (!kw && table == kw_global_table)
		kw = kw_find(kw_ssl_global_table, kw_ssl_global_count,
		             st->args[0].text);
	if (!kw) {
		kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
		return;
	}
	if (kw->warn_sections & s->sec) {
		diag_warning(s->dc, &st->args[0].loc, "ignored",
		             "'%s' ignored because %s '%s' has no %s capability",
		             kw->name, s->sec_label, px ? px->name : "",
		             s->sec == KW_SEC_BACKEND ? "frontend" : "backend");
		return;
	}
	if (!(kw->sections & s->sec)) {
		diag_error(s->dc, &st->args[0].loc, "not-allowed",
		           "'%s' is not allowed in %s section; it belongs in: %s",
		           kw->name, s->sec_label,
		           sections_text(kw->sections, where, sizeof(where)));
		return;
	}
	if (st->cond && !kw->takes_cond) {
		/* 'balance' and 'option' read their own words and leave the
		 * rest: HAProxy ignores an 'if' after them (balance sticky if) */
		if (strcmp(kw->name, "balance") && strcmp(kw->name, "option")) {
			diag_error(s->dc, &st->cond->loc, "unexpected-condition",
			           "'%s' takes no '%s' condition", kw->name,
			           st->cond->kind == AST_COND_IF ? "if" : "unless");
			return;
		}
		diag_warning(s->dc, &st->cond->loc, "ignored",
		             "'%s' takes no '%s' condition: HAProxy ignores it and "
		             "what follows", kw->name,
		             st->cond->kind == AST_COND_IF ? "if" : "unless");
	}
	if (kw_check_args(s, kw, st) < 0)
		return;
	kw->parse(s, st);
}

/* A header `KEYWORD [NAME] [from DEFAULTS]`: find the name and the `from`
 * word. Returns 0, or -1 after an error. */
static int sema_header(struct sema *s, const struct ast_stmt *h,
                       int name_required, const struct ast_word **name,
                       const struct ast_word **from)
{
	size_t i = 1;

	*name = *from = NULL;
	if (i < h->nargs && strcmp(h->args[i].text, "from"))
		*name = &h->args[i++];
	if (i < h->nargs && !strcmp(h->args[i].text, "from")) {
		if (i + 1 >= h->nargs) {
			diag_error(s->dc, &h->args[i].loc, "missing-argument",
			           "'from' expects the name of a defaults section, "
			           "found nothing");
			return -1;
		}
		*from = &h->args[i + 1];
		i += 2;
	}
	if (i < h->nargs && !name_required) {
		/* HAProxy reads a defaults header's name and `from` and
		 * ignores what follows */
		diag_warning(s->dc, &h->args[i].loc, "ignored",
		             "'%s' expects [<name>] [from <defaults>]: the extra "
		             "word '%s' and what follows are ignored",
		             h->args[0].text, h->args[i].text);
	} else if (i < h->nargs) {
		diag_error(s->dc, &h->args[i].loc, "extra-argument",
		           "'%s' expects [<name>] [from <defaults>], found an "
		           "extra word '%s'", h->args[0].text, h->args[i].text);
		return -1;
	}
	if (name_required && !*name) {
		diag_error(s->dc, &h->args[0].loc, "missing-name",
		           "'%s' expects a name, found %s", h->args[0].text,
		           *from ? "'from' right after it" : "nothing");
		return -1;
	}
	return 0;
}

/* The named defaults section `from` declared before, or NO_DEFAULTS after
 * an error. */
static size_t sema_find_defaults(struct sema *s, const struct ast_word *from)
{
	struct suggest sg;
	const char *hint;

	for (size_t i = s->m->ndefaults; i-- > 0;)
		if (s->m->defaults[i].name && !strcmp(s->m->defaults[i].name, from->text))
			return i;
	diag_error(s->dc, &from->loc, "unknown-defaults",
	           "no defaults section named '%s' is declared before this line",
	           from->text);
	suggest_init(&sg, from->text);
	for (size_t i = 0; i < s->m->ndefaults; i++)
		if (s->m->defaults[i].name)
			suggest_offer(&sg, s->m->defaults[i].name);
	hint = suggest_result(&sg);
	if (hint)
		diag_hint(s->dc, "did you mean '%s'?", hint);
	return NO_DEFAULTS;
}

static void sema_body(struct sema *s, const struct ast_section *sec,
                      const struct kw_def *table, size_t n)
{
	for (const struct ast_stmt *st = sec->stmts; st; st = st->next)
		if (st->nargs > 0)
			sema_stmt(s, table, n, st);
}

static void sema_defaults(struct sema *s, const struct ast_section *sec,
                          size_t *last)
{
	const struct ast_word *name, *from;
	struct model_defaults *d;
	size_t parent = NO_DEFAULTS, idx;

	if (sema_header(s, sec->header, 0, &name, &from) < 0)
		return;
	if (from && (parent = sema_find_defaults(s, from)) == NO_DEFAULTS)
		return;
	if (parent != NO_DEFAULTS)
		s->m->defaults[parent].used_explicitly = 1;
	d = model_add_defaults(s->m);
	if (!d) {
		s->oom = 1;
		return;
	}
	idx = s->m->ndefaults - 1;
	d->loc = sec->header->args[0].loc;
	model_settings_init(&d->set);
	if ((name && !(d->name = sema_strdup(s, name->text))) ||
	    (parent != NO_DEFAULTS &&
	     model_settings_copy(&d->set, &s->m->defaults[parent].set) < 0)) {
		s->oom = 1;
		return;
	}
	s->sec = KW_SEC_DEFAULTS;
	s->sec_label = "defaults";
	s->proxy = SEMA_NO_PROXY;
	s->set = &d->set;
	sema_body(s, sec, kw_proxy_table, kw_proxy_count);
	*last = idx;
}

static void sema_proxy_section(struct sema *s, const struct ast_section *sec,
                               size_t last_defaults)
{
	static const struct {
		enum ast_section_kind kind;
		uint32_t sec, cap;
		const char *label;
	} kinds[] = {
		{ AST_SEC_FRONTEND, KW_SEC_FRONTEND, PLAN_CAP_FE, "frontend" },
		{ AST_SEC_BACKEND, KW_SEC_BACKEND, PLAN_CAP_BE, "backend" },
		{ AST_SEC_LISTEN, KW_SEC_LISTEN, PLAN_CAP_ALL, "listen" },
	};
	const struct ast_word *name, *from;
	size_t k = 0, defs = last_defaults;
	struct model_proxy *px;
	const char *bad, *ctl;

	while (kinds[k].kind != sec->kind)
		k++;
	if (sema_header(s, sec->header, 1, &name, &from) < 0)
		return;
	if (from) {
		defs = sema_find_defaults(s, from);
		if (defs == NO_DEFAULTS)
			return;
		s->m->defaults[defs].used_explicitly = 1;
	} else if (defs != NO_DEFAULTS && !s->m->defaults[defs].used_implicitly) {
		s->m->defaults[defs].used_implicitly = 1;
		s->m->defaults[defs].implicit_loc = name->loc;
	}

	bad = kw_name_bad_char(name->text);
	/* the first control character, which may follow another bad one */
	for (ctl = bad; ctl && *ctl; ctl++)
		if ((unsigned char)*ctl < 0x20 || *ctl == 0x7f)
			break;
	if (ctl && *ctl) {
		/* A line break or escape in a name would forge lines in logs,
		 * --dump and --diff: the verifier refuses it, so cfgc does. */
		diag_error(s->dc, &name->loc, "invalid-name",
		           "%s name has the control character 0x%02x",
		           kinds[k].label, (unsigned)(unsigned char)*ctl);
		return;
	} else if (!name->text[0] || bad) {
		/* HAProxy complains but goes on; so do we */
		diag_warning(s->dc, &name->loc, "invalid-name",
		             "%s name '%s' %s; expected letters, digits, '-', "
		             "'_', '.' or ':'", kinds[k].label, name->text,
		             bad ? "has a character HAProxy does not permit" :
		                   "is empty");
	}
	for (size_t i = 0; i < s->m->nproxies; i++) {
		const struct model_proxy *o = &s->m->proxies[i];

		if (strcmp(o->name, name->text))
			continue;
		diag_error(s->dc, &name->loc, "duplicate-name",
		           "%s '%s' has the same name as %s '%s' (proxy names "
		           "must be unique since HAProxy 3.3)", kinds[k].label,
		           name->text, o->cap == PLAN_CAP_ALL ? "listen" :
		           o->cap == PLAN_CAP_FE ? "frontend" : "backend", o->name);
		diag_hint(s->dc, "'%s' is first declared at line %u", o->name,
		          (unsigned)o->loc.line);
		break;
	}

	px = model_add_proxy(s->m);
	if (!px || !(px->name = sema_strdup(s, name->text))) {
		s->oom = 1;
		return;
	}
	px->cap = kinds[k].cap;
	px->loc = name->loc;
	px->default_backend = PLAN_NONE;
	model_settings_init(&px->set);
	if (defs != NO_DEFAULTS &&
	    model_settings_copy(&px->set, &s->m->defaults[defs].set) < 0) {
		s->oom = 1;
		return;
	}
	s->sec = kinds[k].sec;
	s->sec_label = kinds[k].label;
	s->proxy = s->m->nproxies - 1;
	s->set = &px->set;
	sema_body(s, sec, kw_proxy_table, kw_proxy_count);
}

/* Chapters of the manual for sections cfgc does not compile yet. */
static const char *section_chapter(const char *kw)
{
	static const struct { const char *name, *chapter; } chapters[] = {
		{ "cache", "6.2.1" }, { "crt-store", "3.12" },
		{ "fcgi-app", "10.1.1" }, { "http-errors", "3.8" },
		{ "log-forward", "3.10" }, { "mailers", "3.6" },
		{ "peers", "3.5" }, { "program", "3.7" }, { "resolvers", "5.3.2" },
		{ "ring", "3.9" },
	};

	for (size_t i = 0; i < sizeof(chapters) / sizeof(chapters[0]); i++)
		if (!strcmp(chapters[i].name, kw))
			return chapters[i].chapter;
	return NULL;
}

/*
 * crt-store for cfgrun: its load lines are read where a bind's `crt`
 * names them (kw-ssl.c, crt_store.c); here, the options cfgrun cannot
 * honour are refused: OCSP stapling, SCT lists, ACME.
 */
static void sema_crt_store(struct sema *s, const struct ast_section *sec)
{
	for (const struct ast_stmt *st = sec->stmts; st; st = st->next) {
		if (!st->nargs || strcmp(st->args[0].text, "load"))
			continue;
		for (size_t i = 1; i + 1 < st->nargs; i += 2) {
			const char *o = st->args[i].text;

			if (!strcmp(o, "crt") || !strcmp(o, "key") ||
			    !strcmp(o, "alias") ||
			    (!strcmp(o, "ocsp-update") &&
			     !strcmp(st->args[i + 1].text, "off")))
				continue;
			diag_error(s->dc, &st->args[i].loc, "unsupported",
			           "crt-store 'load ... %s' is not supported by "
			           "cfgc yet (HAProxy manual section 12.7.1; cfgrun "
			           "takes crt, key and alias)", o);
		}
	}
}

static void sema_other(struct sema *s, const struct ast_section *sec)
{
	const char *kw = sec->header->args[0].text;
	const char *ch = section_chapter(kw);

	lint_section(s, sec);
	if (!strcmp(kw, "http-errors") || !strcmp(kw, "userlist") ||
	    (!strcmp(kw, "resolvers") && s->target != SEMA_TARGET_HAPROXY))
		return;         /* compiled first (kw_http_errors_section,
		                   kw_userlist_section, kw_resolvers_section) */
	if (!strcmp(kw, "traces") && s->target != SEMA_TARGET_HAPROXY) {
		/* a debugging aid with no effect on traffic: checked, then
		 * left out of the plan, said once */
		diag_warning(s->dc, &sec->header->args[0].loc, "ignored",
		             "'traces' section ignored: cfgrun has no traces (a "
		             "debugging aid of HAProxy with no effect on traffic)");
		return;
	}
	if (s->target == SEMA_TARGET_HAPROXY) {
		if (s->plan_output)
			lint_not_run(s, &sec->header->args[0], "section");
		return;
	}
	if (!strcmp(kw, "crt-store")) {
		sema_crt_store(s, sec);
		return;
	}
	if (ch)
		diag_error(s->dc, &sec->header->args[0].loc, "unsupported",
		           "'%s' sections are not supported by cfgc yet (HAProxy "
		           "manual section %s)", kw, ch);
	else
		diag_error(s->dc, &sec->header->args[0].loc, "unsupported",
		           "'%s' sections are not supported by cfgc yet", kw);
}

static void sema_outside(struct sema *s, const struct ast_section *sec)
{
	for (const struct ast_stmt *st = sec->stmts; st; st = st->next)
		if (st->nargs > 0)
			diag_error(s->dc, &st->args[0].loc, "out-of-section",
			           "'%s' appears before any section; expected a "
			           "section header first ('global', 'defaults', "
			           "'frontend', 'backend' or 'listen')",
			           st->args[0].text);
}

/* default_backend of a frontend: resolve, and refuse an HTTP frontend on a
 * TCP backend (the reverse is fine, as in HAProxy). */
static void sema_resolve_backend(struct sema *s, struct model_proxy *px)
{
	const struct model_settings *set = &px->set;
	const char *label = px->cap == PLAN_CAP_ALL ? "listen" : "frontend";
	uint32_t be;

	px->default_backend = PLAN_NONE;
	if (set->default_backend && !strcmp(set->default_backend, px->name) &&
	    px->cap == PLAN_CAP_ALL) {
		/* a listen section sending its traffic to itself */
		diag_error(s->dc, &set->default_backend_loc, "backend-loop",
		           "%s '%s': default_backend names the section itself, "
		           "expected another backend or listen section",
		           "listen", px->name);
		return;
	}
	if (!(px->cap & PLAN_CAP_FE) || !set->default_backend)
		return;
	be = model_find_proxy(s->m, set->default_backend, PLAN_CAP_BE);
	if (be == PLAN_NONE) {
		struct suggest sg;
		const char *hint;

		if (model_find_proxy(s->m, set->default_backend, PLAN_CAP_FE) !=
		    PLAN_NONE)
			diag_error(s->dc, &set->default_backend_loc, "not-a-backend",
			           "%s '%s': default_backend '%s' is a frontend, "
			           "expected a backend or listen section", label,
			           px->name, set->default_backend);
		else
			diag_error(s->dc, &set->default_backend_loc, "unknown-backend",
			           "%s '%s': default_backend '%s' names no backend "
			           "or listen section", label, px->name,
			           set->default_backend);
		suggest_init(&sg, set->default_backend);
		for (size_t i = 0; i < s->m->nproxies; i++)
			if (s->m->proxies[i].cap & PLAN_CAP_BE)
				suggest_offer(&sg, s->m->proxies[i].name);
		hint = suggest_result(&sg);
		if (hint)
			diag_hint(s->dc, "did you mean '%s'?", hint);
		return;
	}
	if (set->mode == PLAN_MODE_HTTP && !set->mode_other &&
	    s->m->proxies[be].set.mode == PLAN_MODE_TCP &&
	    !s->m->proxies[be].set.mode_other) {
		diag_error(s->dc, &set->default_backend_loc, "mode-mismatch",
		           "http %s '%s' cannot use tcp backend '%s' as its "
		           "default backend (expected 'mode http' in '%s')", label,
		           px->name, s->m->proxies[be].name, s->m->proxies[be].name);
		diag_hint(s->dc, "backend '%s' is declared at line %u",
		          s->m->proxies[be].name,
		          (unsigned)s->m->proxies[be].loc.line);
		return;
	}
	px->default_backend = be;
}

/* HAProxy warns when a proxy lacks the timeouts its side needs: client
 * for a frontend, connect and server for a backend that has servers. */
static void sema_check_timeouts(struct sema *s, const struct model_proxy *px,
                                const char *label)
{
	char missing[80] = "";
	int fe = px->cap & PLAN_CAP_FE, be = (px->cap & PLAN_CAP_BE) && px->nservers;

	if (fe && !px->set.timeout_client)
		strcat(missing, "'timeout client'");
	if (be && !px->set.timeout_connect)
		strcat(strcat(missing, missing[0] ? ", " : ""), "'timeout connect'");
	if (be && !px->set.timeout_server)
		strcat(strcat(missing, missing[0] ? ", " : ""), "'timeout server'");
	if (missing[0])
		diag_warning(s->dc, &px->loc, "missing-timeouts",
		             "missing timeouts for %s '%s': expected %s set to a "
		             "non-zero time, found none", label, px->name, missing);
}

/* A server with tfo wants its backend to retry what Fast Open can lose
 * (HAProxy warns, per server, when retry-on lacks one of the three). */
static void sema_check_tfo(struct sema *s, const struct model_proxy *px)
{
	const uint32_t need = PLAN_RETRY_CONN_FAILURE |
	                      PLAN_RETRY_EMPTY_RESPONSE |
	                      PLAN_RETRY_RESPONSE_TIMEOUT;

	if (!(px->cap & PLAN_CAP_BE) ||
	    (px->set.http.retry_on & need) == need)
		return;
	for (size_t i = 0; i < px->nservers; i++)
		if (px->servers[i].flags & PLAN_SRV_F_TFO)
			diag_warning(s->dc, &px->servers[i].loc, "tfo-retry",
			             "server '%s' has tfo but backend '%s' does not "
			             "retry on 'conn-failure', 'empty-response' and "
			             "'response-timeout': a request lost with the "
			             "first packet would not be sent again",
			             px->servers[i].name, px->name);
}

/* Health-check rules without the option that uses them are ignored, with
 * a warning, as HAProxy does; a checked server needs a port to check: its
 * own, `port`, or a first `tcp-check connect port`. */
static void sema_check_rules(struct sema *s, const struct model_proxy *px,
                             const char *label)
{
	const struct model_settings *set = &px->set;
	int connect_port = set->check_type == PLAN_CHECK_TCP && set->nchecks &&
	                   set->checks[0].op == PLAN_CHK_CONNECT &&
	                   set->checks[0].arg;

	if (!(px->cap & PLAN_CAP_BE))
		return;
	for (size_t i = 0; i < px->nservers && !connect_port; i++) {
		const struct model_server *sv = &px->servers[i];

		if ((sv->flags & PLAN_SRV_F_CHECK) && !sv->check_port &&
		    (sv->flags & (PLAN_SRV_F_NOPORT | PLAN_SRV_F_OFFSET)) &&
		    (sv->addr.family == PLAN_FAM_INET ||
		     sv->addr.family == PLAN_FAM_INET6))
			diag_error(s->dc, &sv->loc, "check-port",
			           "%s '%s': server '%s' has 'check' but neither a "
			           "service port, nor a check port, nor a first "
			           "'tcp-check connect port <n>'", label, px->name,
			           sv->name);
	}
	if (px->set.nchecks && px->set.check_type != PLAN_CHECK_TCP)
		diag_warning(s->dc, &px->loc, "ignored",
		             "%s '%s' has tcp-check rules without 'option "
		             "tcp-check', so the rules are ignored", label,
		             px->name);
	if (px->set.http_rules && px->set.check_type != PLAN_CHECK_HTTP)
		diag_warning(s->dc, &px->loc, "ignored",
		             "%s '%s' has http-check rules without 'option "
		             "httpchk', so the rules are ignored", label, px->name);
}

/* The checks that need every section read. */
static void sema_finish(struct sema *s)
{
	for (size_t i = 0; i < s->m->ndefaults; i++) {
		const struct model_defaults *d = &s->m->defaults[i];

		if (d->name && d->used_explicitly && d->used_implicitly)
			diag_warning(s->dc, &d->implicit_loc, "implicit-defaults",
			             "defaults section '%s' (line %u) is named with "
			             "'from' elsewhere and used implicitly here; add "
			             "'from %s' or a last defaults section for "
			             "implicit use", d->name, (unsigned)d->loc.line,
			             d->name);
	}
	for (size_t i = 0; i < s->m->nproxies; i++) {
		struct model_proxy *px = &s->m->proxies[i];
		const char *label = px->cap == PLAN_CAP_ALL ? "listen" :
		                    px->cap == PLAN_CAP_FE ? "frontend" : "backend";
		int fe = px->cap & PLAN_CAP_FE;

		sema_resolve_backend(s, px);
		kw_acl_finish(s, px);
		if (fe && px->nlisteners == 0)
			diag_warning(s->dc, &px->loc, "no-bind",
			             "%s '%s' has no 'bind' line, so it accepts no "
			             "connection", label, px->name);
		sema_check_timeouts(s, px, label);
		sema_check_rules(s, px, label);
		sema_check_tfo(s, px);
		kw_http_finish(s, px);
		kw_filter_finish(s, px);
		kw_comp_finish(s, px);
	}
}

int sema_run(struct diag_ctx *dc, const struct ast_config *cfg,
             unsigned addr_opts, struct model *m)
{
	const struct sema_opts opts = {
		.addr_opts = addr_opts, .target = SEMA_TARGET_CFGRUN,
	};

	return sema_run_opts(dc, cfg, &opts, m);
}

int sema_run_opts(struct diag_ctx *dc, const struct ast_config *cfg,
                  const struct sema_opts *opts, struct model *m)
{
	struct sema s = {
		.dc = dc, .m = m, .addr_opts = opts->addr_opts,
		.target = opts->target, .hermetic = opts->hermetic,
		.plan_output = opts->plan_output,
		.proxy = SEMA_NO_PROXY,
	};
	size_t last_defaults = NO_DEFAULTS;
	unsigned errors = dc->nerrors;
	struct files files;

	if (dc->nfiles > 0 && !(m->source = strdup(dc->files[0].path)))
		s.oom = 1;
	files_init(&files, &s, cfg);
	s.files = &files;
	/* http-errors sections first: errorfiles may name a later one */
	for (const struct ast_section *sec = cfg->sections; sec && !s.oom;
	     sec = sec->next)
		if (sec->kind == AST_SEC_OTHER &&
		    !strcmp(sec->header->args[0].text, "http-errors"))
			kw_http_errors_section(&s, sec);
		else if (sec->kind == AST_SEC_OTHER &&
		         !strcmp(sec->header->args[0].text, "userlist"))
			kw_userlist_section(&s, sec);
		else if (sec->kind == AST_SEC_OTHER && s.target != SEMA_TARGET_HAPROXY &&
		         !strcmp(sec->header->args[0].text, "resolvers"))
			kw_resolvers_section(&s, sec);
	for (const struct ast_section *sec = cfg->sections; sec && !s.oom;
	     sec = sec->next) {
		s.proxy = SEMA_NO_PROXY;
		s.set = NULL;
		switch (sec->kind) {
		case AST_SEC_NONE:
			sema_outside(&s, sec);
			break;
		case AST_SEC_GLOBAL:
			s.sec = KW_SEC_GLOBAL;
			s.sec_label = "global";
			sema_body(&s, sec, kw_global_table, kw_global_count);
			break;
		case AST_SEC_DEFAULTS:
			sema_defaults(&s, sec, &last_defaults);
			break;
		case AST_SEC_FRONTEND:
		case AST_SEC_BACKEND:
		case AST_SEC_LISTEN:
			sema_proxy_section(&s, sec, last_defaults);
			break;
		case AST_SEC_OTHER:
			sema_other(&s, sec);
			break;
		}
	}
	if (!s.oom)
		sema_finish(&s);
	if (!s.oom)
		xref_run(&s, cfg);
	files_free(&files);
	s.files = NULL;
	if (s.target == SEMA_TARGET_HAPROXY)
		lint_drop_unsupported(dc, s.plan_output);
	if (s.oom) {
		diag_error(dc, NULL, "no-memory", "out of memory while compiling");
		return -1;
	}
	return dc->nerrors > errors ? -1 : 0;
}
