/*
 * kw-http-rules.c: http-request, http-response and http-after-response rules,
 * and the proxy-level `redirect`, compiled into the plan's HTTP_RULE
 * table (their conditions as use_backend's, see kw-acl.c), with their
 * log-format values parsed here into nodes (literal, fetch, variable) so
 * that cfgrun reads no format text. What is compiled is in
 * doc/configuration.md ("HTTP rules"); other actions stay `unsupported`
 * errors naming them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "files.h"
#include "kw.h"
#include "kw-known.h"
#include "lint.h"
#include "lint-tab.h"
#include "model.h"
#include "plan.h"
#include "sample-reg.h"
#include "sema.h"

/* The %-variables cfgc compiles (manual section 8.2.6). */
static const struct { const char *name; uint32_t var; } hr_vars[] = {
	{ "ci", PLAN_LFV_CI }, { "cp", PLAN_LFV_CP }, { "fi", PLAN_LFV_FI },
	{ "fp", PLAN_LFV_FP }, { "ft", PLAN_LFV_FT }, { "b", PLAN_LFV_B },
	{ "s", PLAN_LFV_S },
};

/* Append literal t[0..len) to r's value (merged with a literal before). */
static int hr_lit(struct sema *s, struct model_http_rule *r, const char *t,
                  size_t len)
{
	struct model_lf *l = r->nlf ? &r->lf[r->nlf - 1] : NULL;
	char *n;

	if (!len)
		return 0;
	if (!l || l->kind != PLAN_LF_LIT) {
		if (!(l = model_http_rule_add_lf(r))) {
			s->oom = 1;
			return -1;
		}
		l->kind = PLAN_LF_LIT;
	}
	if (!(n = realloc(l->text, l->len + len + 1))) {
		s->oom = 1;
		return -1;
	}
	memcpy(n + l->len, t, len);
	l->len += len;
	n[l->len] = 0;
	l->text = n;
	return 0;
}

int kw_sample_line(struct sema *s, struct model_proxy *px,
                   const struct ast_word *w, size_t off, const char *e,
                   size_t len, uint32_t line)
{
	size_t n = strcspn(e, "(,]"), i;
	const struct sample_fetch_def *f = sample_fetch_find(e, n);
	struct src_loc loc = kw_word_loc_at(w, off);
	struct model_acl *a;
	char word[512];
	struct ast_word fw;
	int ret;
	uint32_t implied;

	if (n == 0) {
		/* HAProxy: "missing fetch method" */
		diag_error(s->dc, &loc, "unknown-fetch",
		           "'%%[%.*s]': a sample expression starts with a fetch, "
		           "found none", (int)len, e);
		return -1;
	}
	if (!f && sample_acl_keyword(e, n, &implied)) {
		diag_error(s->dc, &loc, "unsupported",
		           "ACL derivative '%.*s' is not a sample fetch; write the "
		           "fetch it derives from", (int)n, e);
		return 1;
	}
	if (!f) {
		char name[128];

		/* a name HAProxy does not know either: the lint pass says it
		 * (unknown-fetch, with a hint); the rule is not compiled */
		snprintf(name, sizeof(name), "%.*s", (int)n, e);
		if (n < sizeof(name) &&
		    !lint_name_in(lint_fetches, lint_fetches_count, name))
			return 1;
		diag_error(s->dc, &loc, "unsupported",
		           "sample fetch '%.*s' in a log-format value is not "
		           "supported by cfgc yet (HAProxy manual section 7.3)",
		           (int)n, e);
		return 1;
	}
	i = n;
	if (i < len && e[i] == '(') {
		const char *c = memchr(e + i, ')', len - i);

		if (!c) {
			diag_error(s->dc, &loc, "unsupported",
			           "'%%[%.*s]': the argument list has no ')'",
			           (int)len, e);
			return 1;
		}
		i = (size_t)(c - e) + 1;
	}
	/* the fetch and its argument, parsed as in an ACL */
	if (i >= sizeof(word)) {
		diag_error(s->dc, &loc, "unsupported",
		           "sample expression '%.*s' is too long for cfgc",
		           (int)len, e);
		return 1;
	}
	if (!(a = model_proxy_add_acl(px))) {
		s->oom = 1;
		return -1;
	}
	memcpy(word, e, i);
	word[i] = 0;
	fw = *w;
	fw.text = word;
	fw.loc = loc;
	fw.len = i;
	fw.flags |= AST_W_QUOTED;   /* offsets of `word` are not the line's */
	a->line = line;
	a->match = PLAN_MATCH_FOUND;
	a->fetch_loc = loc;
	if (kw_acl_fetch_word(s, &fw, a) != 0) {
		a->unsupported = 1;
		return 1;
	}
	a->flags = 0;               /* -i of method means nothing here */
	if (i < len && (ret = kw_conv_chain(s, w, off + i, e + i, len - i, a))) {
		a->unsupported = ret > 0 ? 1 : 2;
		return ret;
	}
	return 0;
}

/*
 * The sample expression e[0..len) of a %[...] at byte `off` of word w
 * into a new anonymous line of px (kw_sample_line) and a FETCH node of
 * r. 0, 1 when cfgc does not take it (reported), -1 after an error.
 */
static int hr_fetch_node(struct sema *s, struct model_proxy *px,
                         struct model_http_rule *r, const struct ast_word *w,
                         size_t off, const char *e, size_t len, uint32_t line)
{
	struct model_lf *l;
	int ret = kw_sample_line(s, px, w, off, e, len, line);

	if (ret)
		return ret;
	if (!(l = model_http_rule_add_lf(r))) {
		s->oom = 1;
		return -1;
	}
	l->kind = PLAN_LF_FETCH;
	l->ref = (uint32_t)(px->nacls - 1);
	return 0;
}

#define HR_LF_LITERAL 0x1          /* a plain string, taken as it is */
#define HR_LF_GROUPS  0x2          /* \0..\9 name the regex's groups */

/* The next '%' of p, or with HR_LF_GROUPS the next backslash before a
 * digit, whichever comes first; NULL when none. */
static const char *hr_next_special(const char *p, int flags)
{
	for (; *p; p++)
		if (*p == '%' || ((flags & HR_LF_GROUPS) && p[0] == '\\' &&
		                  p[1] >= '0' && p[1] <= '9'))
			return p;
	return NULL;
}

/*
 * Word w as a log-format string (manual section 8.2.6) into r's value:
 * literal text, %% for a '%', %[fetch,conv...] and the variables of
 * hr_vars (`flags`: HR_LF_*). 0, 1 when cfgc does not take it
 * (reported), -1 after an error.
 */
static int hr_logformat(struct sema *s, struct model_proxy *px,
                        struct model_http_rule *r, const struct ast_word *w,
                        int flags, uint32_t line)
{
	const char *t = w->text, *p = t;
	int ret;

	if (flags & HR_LF_LITERAL)
		return hr_lit(s, r, t, strlen(t));
	/* its syntax first, as HAProxy judges it (the haproxy target's
	 * linter does the same, lint-action.c); then what cfgrun runs */
	if (s->target == SEMA_TARGET_CFGRUN &&
	    kw_logformat_check_value(s, w, "log-format value") < 0)
		return -1;
	while (*p) {
		const char *pc = hr_next_special(p, flags);
		size_t off;

		if (!pc)
			return hr_lit(s, r, p, strlen(p));
		if (hr_lit(s, r, p, (size_t)(pc - p)) < 0)
			return -1;
		off = (size_t)(pc - t);
		if (pc[0] == '\\') {
			struct model_lf *g = model_http_rule_add_lf(r);

			if (!g) {
				s->oom = 1;
				return -1;
			}
			g->kind = PLAN_LF_GROUP;
			g->ref = (uint32_t)(pc[1] - '0');
			p = pc + 2;
			continue;
		}
		if (pc[1] == '%') {
			if (hr_lit(s, r, "%", 1) < 0)
				return -1;
			p = pc + 2;
			continue;
		}
		if (pc[1] == '[') {
			long eo = kw_expr_end(t, off + 2);
			const char *end = eo < 0 ? NULL : t + eo;

			if (!end) {
				struct src_loc loc = kw_word_loc_at(w, off);

				diag_error(s->dc, &loc, "unsupported",
				           "'%%[' without its closing ']' in '%s' is not "
				           "supported by cfgc", t);
				return 1;
			}
			if ((ret = hr_fetch_node(s, px, r, w, off + 2, pc + 2,
			                         (size_t)(end - pc - 2), line)))
				return ret;
			p = end + 1;
			continue;
		}
		if (pc[1] == '{') {
			struct src_loc loc = kw_word_loc_at(w, off);

			diag_error(s->dc, &loc, "unsupported",
			           "log-format flags '%%{...}' are not supported by "
			           "cfgc yet ('%s')", t);
			return 1;
		}
		size_t n = strspn(pc + 1, "abcdefghijklmnopqrstuvwxyz"
		                          "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
		size_t k;
		struct src_loc loc = kw_word_loc_at(w, off);

		for (k = 0; k < sizeof(hr_vars) / sizeof(hr_vars[0]); k++)
			if (strlen(hr_vars[k].name) == n &&
			    !strncmp(hr_vars[k].name, pc + 1, n))
				break;
		if (n == 0) {
			diag_error(s->dc, &loc, "unsupported",
			           "'%%' in '%s' is followed by neither a variable "
			           "name, '[' nor '%%', which cfgc does not compile "
			           "(write '%%%%' for a '%%')", t);
			return 1;
		}
		if (k == sizeof(hr_vars) / sizeof(hr_vars[0])) {
			diag_error(s->dc, &loc, "unsupported",
			           "log-format variable '%%%.*s' is not supported by "
			           "cfgc yet in rule values (it compiles %%ci, %%cp, "
			           "%%fi, %%fp, %%ft, %%b and %%s)", (int)n, pc + 1);
			return 1;
		}
		struct model_lf *l = model_http_rule_add_lf(r);

		if (!l) {
			s->oom = 1;
			return -1;
		}
		l->kind = PLAN_LF_VAR;
		l->ref = hr_vars[k].var;
		p = pc + 1 + n;
	}
	return 0;
}

/* A status word of `st` for `what` in [lo, hi] into *out. 0 or -1. */
static int hr_status(struct sema *s, const struct ast_word *w,
                     const char *what, unsigned lo, unsigned hi,
                     uint32_t *out)
{
	char *end;
	long v = strtol(w->text, &end, 10);

	if (!w->text[0] || *end || v < (long)lo || v > (long)hi) {
		diag_error(s->dc, &w->loc, "invalid-status",
		           "'%s' expects a status code from %u to %u, found '%s'",
		           what, lo, hi, w->text);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

/* An action word cfgc does not compile in this rule (or an option of
 * it): an unsupported error naming it. Returns 1. */
static int hr_unsupported(struct sema *s, const struct ast_word *w,
                          const char *set, const char *what)
{
	diag_error(s->dc, &w->loc, "unsupported",
	           "'%s %s' is not supported by cfgc yet (HAProxy manual "
	           "section 4.3; cfgc compiles the actions listed in "
	           "doc/configuration.md, HTTP rules)", set, what);
	return 1;
}

/* redirect location|prefix|scheme V [code C] [drop-query] [append-slash]
 * [ignore-empty]
 * from w[0] (options may come before the type, as HAProxy reads them);
 * `literal`: the proxy-level keyword's plain V. */
static int hr_redirect(struct sema *s, struct model_proxy *px,
                       struct model_http_rule *r, const struct ast_word *w,
                       size_t n, const char *set, int literal, uint32_t line)
{
	static const char *const types[] = { "location", "prefix", "scheme" };
	const struct ast_word *cookie = NULL;
	int ret, typed = 0;

	r->status = 302;
	for (size_t i = 0; i < n; i++) {
		uint32_t t;

		for (t = 0; t < PLAN_REDIR_MAX; t++)
			if (!strcmp(w[i].text, types[t]))
				break;
		if (t < PLAN_REDIR_MAX && !typed && i + 1 < n) {
			r->arg = t;
			typed = 1;
			if ((ret = hr_logformat(s, px, r, &w[++i],
			                        literal ? HR_LF_LITERAL : 0, line)))
				return ret;
		} else if (!strcmp(w[i].text, "code") && i + 1 < n) {
			i++;
			if (strcmp(w[i].text, "301") && strcmp(w[i].text, "302") &&
			    strcmp(w[i].text, "303") && strcmp(w[i].text, "307") &&
			    strcmp(w[i].text, "308")) {
				diag_error(s->dc, &w[i].loc, "invalid-status",
				           "redirect 'code' expects 301, 302, 303, 307 or "
				           "308, found '%s'", w[i].text);
				return -1;
			}
			r->status = (uint32_t)atoi(w[i].text);
		} else if (!strcmp(w[i].text, "drop-query")) {
			r->flags |= PLAN_HR_F_DROP_QUERY;
		} else if (!strcmp(w[i].text, "append-slash")) {
			r->flags |= PLAN_HR_F_APPEND_SLASH;
		} else if (!strcmp(w[i].text, "ignore-empty") && !literal) {
			/* (the proxy-level redirect's value is plain text) */
			r->flags |= PLAN_HR_F_IGNORE_EMPTY;
		} else if ((!strcmp(w[i].text, "set-cookie") ||
		            !strcmp(w[i].text, "clear-cookie")) && i + 1 < n) {
			if (cookie)
				return hr_unsupported(s, &w[i], "redirect option",
				                      "a second set-cookie/clear-cookie");
			cookie = &w[i];
			i++;
		} else {
			return hr_unsupported(s, &w[i], "redirect option", w[i].text);
		}
	}
	/* the cookie line after the location's nodes, as HAProxy writes it */
	if (cookie && typed) {
		const char *tail = cookie->text[0] == 's' ? "; path=/;" :
		                   "; path=/; Max-Age=0;";
		size_t vlen = strlen(cookie[1].text) + strlen(tail) + 1;
		char *v = malloc(vlen);
		struct model_lf *l;

		if (!v || !(l = model_http_rule_add_lf(r)) ||
		    !(l->text = strdup("Set-Cookie"))) {
			free(v);
			s->oom = 1;
			return -1;
		}
		snprintf(v, vlen, "%s%s", cookie[1].text, tail);
		l->kind = PLAN_LF_HDR;
		l->len = 10;
		ret = hr_lit(s, r, v, strlen(v));
		free(v);
		if (ret)
			return ret;
	}
	if (!typed) {
		diag_error(s->dc, n ? &w[n - 1].loc : &w[-1].loc,
		           "missing-argument", "'%s redirect' expects 'location', "
		           "'prefix' or 'scheme' and a value", set);
		return -1;
	}
	return 0;
}

/* A header line NAME: FMT of a return's answer: an HDR node, then the
 * value's nodes. */
static int hr_return_hdr(struct sema *s, struct model_proxy *px,
                         struct model_http_rule *r, const struct ast_word *w,
                         uint32_t line)
{
	struct model_lf *l = model_http_rule_add_lf(r);

	if (!l || !(l->text = strdup(w[0].text))) {
		s->oom = 1;
		return -1;
	}
	l->kind = PLAN_LF_HDR;
	l->len = strlen(w[0].text);
	return hr_logformat(s, px, r, &w[1], 0, line);
}

/* A payload without content-type: refused, as HAProxy refuses it. */
static int hr_no_type(struct sema *s, const struct ast_word *w,
                      const char *set, const char *what)
{
	diag_error(s->dc, &w->loc, "missing-argument",
	           "'%s %s': a payload needs its 'content-type'", set, what);
	return -1;
}

/* The content of the file word w names after `kw` (file, lf-file of a
 * return, deny or tarpit rule), read whole: 0, or -1 after an error
 * (a missing or unreadable file is reported by files_stmt()). Checked
 * against the buffer as HAProxy checks it: above tune.bufsize an error,
 * into the room kept for rewrites a warning. */
static int hr_read_file(struct sema *s, const struct ast_word *w,
                        const char *kw, char **body, size_t *len)
{
	char path[FILES_PATH_MAX];
	uint32_t bufsize = s->m->tune_bufsize ? s->m->tune_bufsize : 16384;
	int64_t rw = s->m->tune_maxrewrite >= 0 ? s->m->tune_maxrewrite : 1024;
	int r = files_find(s->files, w->text, PLAN_PRE_DATA, NULL, path);

	if (r < 0)
		return -1;
	if (r > 0) {
		diag_error(s->dc, &w->loc, "unsupported",
		           "'%s %s' under --hermetic: cfgc puts the file's "
		           "content in the plan, so it must be readable when "
		           "compiling", kw, w->text);
		return -1;
	}
	if (files_read_whole(s->files, w, kw, body, len, path) < 0)
		return -1;
	if (rw > bufsize / 2)
		rw = bufsize / 2;
	if (*len > bufsize) {
		diag_error(s->dc, &w->loc, "too-large",
		           "'%s': '%s' holds %zu bytes, more than a buffer "
		           "(tune.bufsize %u)", kw, path, *len, (unsigned)bufsize);
	} else if (memchr(*body ? *body : "", '\0', *len)) {
		diag_error(s->dc, &w->loc, "unsupported",
		           "'%s': '%s' holds a NUL byte: cfgc embeds text "
		           "payloads only", kw, path);
	} else {
		if (*len > bufsize - (uint64_t)rw)
			diag_warning(s->dc, &w->loc, "too-large",
			             "'%s': '%s' (%zu bytes) runs into the %u bytes "
			             "of the buffer kept for header rewrites "
			             "(tune.maxrewrite): a rewrite of this reply may "
			             "fail", kw, path, *len, (unsigned)rw);
		return 0;
	}
	free(*body);
	*body = NULL;
	return -1;
}

/* return [status N] [content-type T] [string S | lf-string S]
 * [hdr NAME FMT]...: the body's nodes first, then each header's. The
 * same options follow deny (status also written deny_status). */
static int hr_return(struct sema *s, struct model_proxy *px,
                     struct model_http_rule *r, const struct ast_word *w,
                     size_t n, const char *set, uint32_t line)
{
	int deny = r->action == PLAN_HA_DENY || r->action == PLAN_HA_TARPIT;
	const char *what = r->action == PLAN_HA_DENY ? "deny" :
	                   r->action == PLAN_HA_TARPIT ? "tarpit" : "return";
	size_t body = 0, hdrs[32], nhdrs = 0;
	int ret;

	r->status = r->action == PLAN_HA_DENY ? 403 :
	            r->action == PLAN_HA_TARPIT ? 500 : 200;
	for (size_t i = 0; i < n; i++) {
		const char *k = w[i].text;
		int two = !strcmp(k, "hdr");
		int known = two || !strcmp(k, "status") ||
		            (deny && !strcmp(k, "deny_status")) ||
		            !strcmp(k, "content-type") || !strcmp(k, "string") ||
		            !strcmp(k, "lf-string") || !strcmp(k, "file") ||
		            !strcmp(k, "lf-file");

		if (!known)
			return hr_unsupported(s, &w[i], deny ? "deny option" :
			                      "return option", k);
		if (i + 1 + (size_t)two >= n) {
			diag_error(s->dc, &w[i].loc, "missing-argument",
			           "'%s %s': '%s' expects %s", set, what, k,
			           two ? "a name and a value" : "a value");
			return -1;
		}
		if (!strcmp(k, "status") || !strcmp(k, "deny_status")) {
			if (hr_status(s, &w[++i], k, 200, 599, &r->status) < 0)
				return -1;
		} else if (!strcmp(k, "content-type")) {
			free(r->name);
			if (!(r->name = strdup(w[++i].text))) {
				s->oom = 1;
				return -1;
			}
		} else if (!strcmp(k, "string") || !strcmp(k, "lf-string") ||
		           !strcmp(k, "file") || !strcmp(k, "lf-file")) {
			if (body) {
				diag_error(s->dc, &w[i].loc, "invalid-argument",
				           "'%s %s': '%s' after '%s': one payload "
				           "only", set, what, k, w[body - 1].text);
				return -1;
			}
			body = ++i;
		} else {
			if (nhdrs == sizeof(hdrs) / sizeof(hdrs[0]))
				return hr_unsupported(s, &w[i], "return option",
				                      "hdr (more than 32)");
			hdrs[nhdrs++] = ++i;
			i++;
		}
	}
	if (body && !strcmp(w[body - 1].text + (w[body - 1].text[0] == 'l' ?
	                                           3 : 0), "file")) {
		struct ast_word fw = w[body];
		char *text;
		size_t len;

		if (hr_read_file(s, &w[body], w[body - 1].text, &text, &len) < 0)
			return -1;
		if (!len) {             /* HAProxy: no type for no payload */
			free(r->name);
			r->name = NULL;
		} else if (!r->name) {
			free(text);
			return hr_no_type(s, &w[body - 1], set, what);
		}
		fw.text = text ? text : "";
		ret = w[body - 1].text[0] == 'f' ? hr_lit(s, r, fw.text, len) :
		      hr_logformat(s, px, r, &fw, 0, line);
		free(text);
		if (ret)
			return ret;
	} else if (body) {
		if (!r->name)
			return hr_no_type(s, &w[body - 1], set, what);
		if ((ret = hr_logformat(s, px, r, &w[body],
		                        w[body - 1].text[0] == 's' ?
		                        HR_LF_LITERAL : 0, line)))
			return ret;
	}
	for (size_t h = 0; h < nhdrs; h++)
		if ((ret = hr_return_hdr(s, px, r, &w[hdrs[h]], line)))
			return ret;
	return 0;
}

/*
 * set-var(NAME) EXPR, set-var-fmt(NAME) FMT, unset-var(NAME) from
 * w[0..n): the variable's index in r->arg and its name in r->name, the
 * expression as the rule's one FETCH node (typed) or the format as its
 * value. 0, 1 when not compiled (reported), -1 after an error.
 */
static int hr_var_action(struct sema *s, struct model_proxy *px,
                         struct model_http_rule *r, const struct ast_word *w,
                         size_t n, const char *set, uint32_t line)
{
	const char *t = w[0].text, *open = strchr(t, '(');
	size_t nl = open ? strcspn(open + 1, ",)") : 0;
	int unset = !strncmp(t, "unset-var(", 10);
	int64_t v;

	r->action = unset ? PLAN_HA_UNSET_VAR :
	            !strncmp(t, "set-var-fmt(", 12) ? PLAN_HA_SET_VAR_FMT :
	            PLAN_HA_SET_VAR;
	if (!open || open[1 + nl] != ')' || open[2 + nl]) {
		if (open && open[1 + nl] == ',')
			return hr_unsupported(s, &w[0], set,
			                      "set-var with conditions");
		diag_error(s->dc, &w[0].loc, "invalid-argument",
		           "'%s' expects a variable name in parentheses, as in "
		           "set-var(txn.name)", t);
		return -1;
	}
	if (!(r->name = strndup(open + 1, nl))) {
		s->oom = 1;
		return -1;
	}
	if ((v = kw_var_index(s, &w[0].loc, r->name)) < 0)
		return -1;
	r->arg = (uint32_t)v;
	if (n != (unset ? 1u : 2u)) {
		diag_error(s->dc, &w[n > 1 ? 1 : 0].loc, "invalid-argument",
		           "'%s' expects %s", t, unset ? "no argument" :
		           r->action == PLAN_HA_SET_VAR ? "one sample expression" :
		           "one log-format string");
		return -1;
	}
	if (unset)
		return 0;
	if (r->action == PLAN_HA_SET_VAR_FMT)
		return hr_logformat(s, px, r, &w[1], 0, line);
	return hr_fetch_node(s, px, r, &w[1], 0, w[1].text, strlen(w[1].text),
	                     line);
}

/* normalize-uri NORMALIZER [full|strict]: w[0] is the action. */
static int hr_normalize_uri(struct sema *s, struct model_http_rule *r,
                            const struct ast_word *w, size_t n,
                            const char *set)
{
	uint32_t k, opt;

	if (n < 2) {
		diag_error(s->dc, &w[0].loc, "missing-argument",
		           "'%s normalize-uri' expects a normalizer: "
		           "fragment-encode, fragment-strip, path-merge-slashes, "
		           "path-strip-dot, path-strip-dotdot, "
		           "percent-decode-unreserved, percent-to-uppercase or "
		           "query-sort-by-name", set);
		return -1;
	}
	for (k = 0; k < PLAN_URINORM_MAX; k++)
		if (!strcmp(w[1].text, plan_uri_norm_name(k)))
			break;
	if (k == PLAN_URINORM_MAX) {
		diag_error(s->dc, &w[1].loc, "invalid-argument",
		           "'%s normalize-uri': unknown normalizer '%s'", set,
		           w[1].text);
		return -1;
	}
	r->arg = k;
	if (n == 2)
		return 0;
	opt = plan_uri_norm_flags(k);
	if (n == 3 && opt &&
	    !strcmp(w[2].text, opt == PLAN_HR_F_NORM_FULL ? "full" : "strict")) {
		r->flags = opt;
		return 0;
	}
	diag_error(s->dc, &w[2].loc, "invalid-argument",
	           "'%s normalize-uri %s': expected %s, found '%s'", set,
	           w[1].text, !opt ? "nothing more" :
	           opt == PLAN_HR_F_NORM_FULL ? "nothing more or 'full'" :
	           "nothing more or 'strict'", w[2].text);
	return -1;
}

/* The action words w[0..n) of rule r in set `set` (its name for
 * messages): the action and its arguments. */
static int hr_action(struct sema *s, struct model_proxy *px,
                     struct model_http_rule *r, const struct ast_word *w,
                     size_t n, const char *set, uint32_t line)
{
	static const struct { const char *name; uint32_t action; } acts[] = {
		{ "allow", PLAN_HA_ALLOW }, { "deny", PLAN_HA_DENY },
		{ "return", PLAN_HA_RETURN }, { "redirect", PLAN_HA_REDIRECT },
		{ "set-header", PLAN_HA_SET_HEADER },
		{ "add-header", PLAN_HA_ADD_HEADER },
		{ "del-header", PLAN_HA_DEL_HEADER },
		{ "set-status", PLAN_HA_SET_STATUS },
		{ "set-path", PLAN_HA_SET_PATH }, { "set-query", PLAN_HA_SET_QUERY },
		{ "set-uri", PLAN_HA_SET_URI }, { "set-method", PLAN_HA_SET_METHOD },
		{ "replace-header", PLAN_HA_REPLACE_HEADER },
		{ "replace-value", PLAN_HA_REPLACE_VALUE },
		{ "use-service", PLAN_HA_USE_SERVICE },
		{ "replace-path", PLAN_HA_REPLACE_PATH },
		{ "auth", PLAN_HA_AUTH }, { "tarpit", PLAN_HA_TARPIT },
		{ "normalize-uri", PLAN_HA_NORMALIZE_URI },
	};
	size_t k;

	if (!strncmp(w[0].text, "set-var(", 8) ||
	    !strncmp(w[0].text, "set-var-fmt(", 12) ||
	    !strncmp(w[0].text, "unset-var(", 10))
		return hr_var_action(s, px, r, w, n, set, line);
	if (!strncmp(w[0].text, "track-sc", 8) || !strncmp(w[0].text, "sc-", 3)) {
		size_t track;
		int ret;

		if (!plan_http_action_allowed(r->set, PLAN_HA_STICK))
			return hr_unsupported(s, &w[0], set, w[0].text);
		r->action = PLAN_HA_STICK;
		if ((ret = kw_stick_action(s, px, w, n, line, &track)))
			return ret;
		r->arg = (uint32_t)track;
		return 0;
	}
	for (k = 0; k < sizeof(acts) / sizeof(acts[0]); k++)
		if (!strcmp(acts[k].name, w[0].text))
			break;
	if (k == sizeof(acts) / sizeof(acts[0]) ||
	    !plan_http_action_allowed(r->set, acts[k].action))
		return hr_unsupported(s, &w[0], set, w[0].text);
	r->action = acts[k].action;
	switch (r->action) {
	case PLAN_HA_ALLOW:
		return n > 1 ? hr_unsupported(s, &w[1], set, "allow option") : 0;
	case PLAN_HA_USE_SERVICE:
		if (n != 2) {
			diag_error(s->dc, &w[n > 2 ? 2 : 0].loc, "invalid-argument",
			           "'%s use-service' expects one service name", set);
			return -1;
		}
		if (strcmp(w[1].text, "prometheus-exporter") != 0)
			return hr_unsupported(s, &w[1], "use-service", w[1].text);
		r->arg = PLAN_SVC_PROMEX;
		return 0;
	case PLAN_HA_DENY:
	case PLAN_HA_RETURN:
	case PLAN_HA_TARPIT:
		return hr_return(s, px, r, w + 1, n - 1, set, line);
	case PLAN_HA_NORMALIZE_URI:
		return hr_normalize_uri(s, r, w, n, set);
	case PLAN_HA_AUTH:
		r->status = 401;
		if (n == 1)
			return 0;
		if (n != 3 || strcmp(w[1].text, "realm")) {
			diag_error(s->dc, &w[1].loc, "invalid-argument",
			           "'%s auth' expects nothing or 'realm' and a "
			           "realm, found '%s'", set, w[1].text);
			return -1;
		}
		if (!(r->name = strdup(w[2].text))) {
			s->oom = 1;
			return -1;
		}
		return 0;
	case PLAN_HA_REDIRECT: {
		int ret = hr_redirect(s, px, r, w + 1, n - 1, set, 0, line);

		if (ret || r->set == PLAN_HR_REQUEST || r->arg == PLAN_REDIR_LOCATION)
			return ret;
		/* HAProxy: a response only knows where to send the client */
		diag_error(s->dc, &w[0].loc, "invalid-argument",
		           "'%s redirect' only takes the 'location' type", set);
		return -1;
	}
	case PLAN_HA_SET_STATUS:
		if (hr_status(s, &w[1], "set-status", 100, 999, &r->status) < 0)
			return -1;
		if (n == 2)
			return 0;
		if (n == 4 && !strcmp(w[2].text, "reason"))
			return hr_logformat(s, px, r, &w[3], HR_LF_LITERAL, line);
		return hr_unsupported(s, &w[2], "set-status option", w[2].text);
	case PLAN_HA_REPLACE_HEADER:
	case PLAN_HA_REPLACE_VALUE: {
		size_t idx;

		if (n != 4)
			return hr_unsupported(s, &w[n > 4 ? 4 : 0], set,
			                      "replace form");
		if (!(r->name = strdup(w[1].text))) {
			s->oom = 1;
			return -1;
		}
		if (kw_acl_regex_line(s, px, r->set == PLAN_HR_REQUEST ?
		                      PLAN_FETCH_REQ_FHDR : PLAN_FETCH_RES_FHDR,
		                      w[1].text, &w[2], line, &idx) < 0)
			return -1;
		r->arg = (uint32_t)idx;
		return hr_logformat(s, px, r, &w[3], HR_LF_GROUPS, line);
	}
	case PLAN_HA_REPLACE_PATH: {
		size_t idx;

		if (n != 3)
			return hr_unsupported(s, &w[n > 3 ? 3 : 0], set,
			                      "replace-path form");
		if (kw_acl_regex_line(s, px, PLAN_FETCH_PATH, "", &w[1], line,
		                      &idx) < 0)
			return -1;
		r->arg = (uint32_t)idx;
		return hr_logformat(s, px, r, &w[2], HR_LF_GROUPS, line);
	}
	case PLAN_HA_SET_HEADER:
	case PLAN_HA_ADD_HEADER:
	case PLAN_HA_DEL_HEADER:
		if (!(r->name = strdup(w[1].text))) {
			s->oom = 1;
			return -1;
		}
		if (r->action != PLAN_HA_DEL_HEADER) {
			if (n > 3)
				return hr_unsupported(s, &w[3], set, "header option");
			return hr_logformat(s, px, r, &w[2], 0, line);
		}
		r->arg = PLAN_MATCH_STR;
		if (n == 2)
			return 0;
		if (n == 4 && !strcmp(w[2].text, "-m")) {
			const struct sample_match_def *md = sample_match_find(w[3].text);

			if (md && md->match >= PLAN_MATCH_STR &&
			    md->match <= PLAN_MATCH_SUB) {
				r->arg = md->match;
				return 0;
			}
			return hr_unsupported(s, &w[3], "del-header -m", w[3].text);
		}
		return hr_unsupported(s, &w[2], "del-header option", w[2].text);
	default:
		if (n > 2)
			return hr_unsupported(s, &w[2], set, "option");
		return hr_logformat(s, px, r, &w[1], 0, line);
	}
}

/* A new http rule of the current proxy in `set` for statement st, with
 * its condition; NULL (reported) when it is not compiled. */
static struct model_http_rule *hr_new(struct sema *s, const struct ast_stmt *st,
                                      uint32_t set)
{
	struct model_proxy *px = sema_proxy(s);
	struct model_http_rule *r = model_proxy_add_http_rule(px);

	if (!r) {
		s->oom = 1;
		return NULL;
	}
	r->set = set;
	r->cond.line = st->loc.line;
	r->cond.backend_idx = PLAN_NONE;
	if (kw_rule_cond(s, px, st, &r->cond)) {
		r->cond.dropped = 1;
		return NULL;
	}
	return r;
}

/* http-request|http-response|http-after-response ACTION ... [COND] */
int kw_http_rule(struct sema *s, const struct ast_stmt *st)
{
	const char *kw = st->args[0].text;
	uint32_t set = !strcmp(kw, "http-request") ? PLAN_HR_REQUEST :
	               !strcmp(kw, "http-response") ? PLAN_HR_RESPONSE :
	               PLAN_HR_AFTER;
	struct model_http_rule *r;
	int ret;

	if (lint_stmt(s, st->args, st->nargs, s->sec) > 0)
		return -1;
	if (st->nargs < 2) {
		kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
		return -1;
	}
	if (!sema_proxy(s)) {
		/* defaults: not compiled (a rule there applies to the proxies
		 * using the section, which cfgc does not follow yet) */
		diag_error(s->dc, &st->args[0].loc, "unsupported",
		           "'%s' rules in a %s section are not supported by cfgc "
		           "yet; write them in the proxies", kw, s->sec_label);
		return -1;
	}
	if (!(r = hr_new(s, st, set)))
		return -1;
	ret = hr_action(s, sema_proxy(s), r, &st->args[1], st->nargs - 1, kw,
	                st->loc.line);
	if (ret)
		r->cond.dropped = 1;
	return ret < 0 ? -1 : 0;
}

/* stats http-request allow|deny [deny_status N]|auth [realm R] [COND]:
 * a request rule flagged STATS, run only for the stats page. */
int kw_stats_http_rule(struct sema *s, const struct ast_stmt *st)
{
	const char *a = st->nargs > 2 ? st->args[2].text : "";
	struct model_http_rule *r;
	int ret;

	if (strcmp(a, "allow") && strcmp(a, "deny") && strcmp(a, "auth")) {
		diag_error(s->dc, &st->args[st->nargs > 2 ? 2 : 1].loc,
		           st->nargs > 2 ? "invalid-argument" : "missing-argument",
		           "'stats http-request' expects 'allow', 'deny' or "
		           "'auth', found '%s'", a);
		return -1;
	}
	if (!(r = hr_new(s, st, PLAN_HR_REQUEST)))
		return -1;
	r->flags |= PLAN_HR_F_STATS;
	ret = hr_action(s, sema_proxy(s), r, &st->args[2], st->nargs - 2,
	                "stats http-request", st->loc.line);
	if (!ret && (r->nlf || (r->name && r->action == PLAN_HA_DENY)))
		ret = hr_unsupported(s, &st->args[3], "stats http-request deny",
		                     "with a body or content-type");
	if (ret)
		r->cond.dropped = 1;
	return ret < 0 ? -1 : 0;
}

/* stats admin if|unless COND (a condition other than `if TRUE`): a
 * STATS_ADMIN rule. */
int kw_stats_admin_rule(struct sema *s, const struct ast_stmt *st)
{
	struct model_http_rule *r;

	if (!(r = hr_new(s, st, PLAN_HR_REQUEST)))
		return -1;
	r->action = PLAN_HA_STATS_ADMIN;
	r->flags |= PLAN_HR_F_STATS;
	return 0;
}

/* redirect location|prefix|scheme V [code C] [OPTIONS] [COND] */
int kw_redirect(struct sema *s, const struct ast_stmt *st)
{
	struct model_http_rule *r;
	int ret;

	if (!sema_proxy(s)) {
		kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
		return -1;
	}
	if (lint_stmt(s, st->args, st->nargs, s->sec) > 0)
		return -1;
	if (!(r = hr_new(s, st, PLAN_HR_REQUEST)))
		return -1;
	r->action = PLAN_HA_REDIRECT;
	r->proxy_redirect = 1;
	ret = hr_redirect(s, sema_proxy(s), r, &st->args[1], st->nargs - 1,
	                  "redirect", 1, st->loc.line);
	if (ret)
		r->cond.dropped = 1;
	return ret < 0 ? -1 : 0;
}
