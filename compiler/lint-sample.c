/*
 * lint-sample.c: sample expressions `fetch[(args)][,conv[(args)]]...`
 * checked against the fetches and converters of manual section 7.3.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "lint.h"
#include "lint-sample.h"
#include "plan.h"
#include "sample-reg.h"
#include "lint-tab.h"
#include "suggest.h"

/* Converters whose arguments are all integers (decimal or 0x hex), or one
 * of the converter's named values (manual section 7.3.1). */
static const struct {
	const char *name;
	const char *const words[3];   /* named arguments, NULL-terminated */
} int_arg_convs[] = {
	{ .name = "crc32" }, { .name = "crc32c" }, { .name = "djb2" },
	{ .name = "sdbm" }, { .name = "wt6" }, { .name = "xxh32" },
	{ .name = "xxh64" },
	{ .name = "has_ctl", .words = { "any", "http", NULL } },
	{ .name = NULL },
};

/* Whether argument a[0..len) is one of `words`. */
static int is_named_arg(const char *const *words, const char *a, size_t len)
{
	for (size_t i = 0; words[i]; i++)
		if (strlen(words[i]) == len && !memcmp(words[i], a, len))
			return 1;
	return 0;
}

/* Fetches that read the request headers: unusable once the response is
 * being processed. */
static int reads_request_headers(const char *f)
{
	static const char *const prefixes[] = {
		"req.hdr", "req.fhdr", "req.cook", "hdr", "fhdr", "cook", NULL,
	};

	for (size_t i = 0; prefixes[i]; i++) {
		size_t l = strlen(prefixes[i]);

		if (!strncmp(f, prefixes[i], l) && (f[l] == 0 || f[l] == '_'))
			return 1;
	}
	return 0;
}

static int fetch_known(const char *f)
{
	char buf[128];

	if (!strncmp(f, "lua.", 4) || lint_name_in(lint_fetches,
	                                          lint_fetches_count, f))
		return 1;
	/* sc1_conn_cnt, sc9_... are documented as sc0_..., sc_..., src_... */
	if (f[0] == 's' && f[1] == 'c' && f[2] >= '0' && f[2] <= '9') {
		const char *p = f + 2 + strspn(f + 2, "0123456789");

		snprintf(buf, sizeof(buf), "sc0%s", p);
		if (lint_name_in(lint_fetches, lint_fetches_count, buf))
			return 1;
		snprintf(buf, sizeof(buf), "sc%s", p);
		return lint_name_in(lint_fetches, lint_fetches_count, buf);
	}
	return 0;
}

static int is_int_arg(const char *a, size_t len)
{
	size_t i = 0;

	while (i < len && (a[i] == ' ' || a[i] == '\t'))
		i++;
	if (i < len && (a[i] == '-' || a[i] == '+'))
		i++;
	if (i + 1 < len && a[i] == '0' && (a[i + 1] == 'x' || a[i + 1] == 'X')) {
		i += 2;
		if (i >= len)
			return 0;
		for (; i < len; i++)
			if (!strchr("0123456789abcdefABCDEF", a[i]))
				return 0;
		return 1;
	}
	if (i >= len)
		return 0;
	for (; i < len; i++)
		if (a[i] < '0' || a[i] > '9')
			return 0;
	return 1;
}

/* Length of a name at p. */
static size_t name_len(const char *p, size_t len)
{
	size_t i = 0;

	while (i < len && (strchr("abcdefghijklmnopqrstuvwxyz"
	                          "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-",
	                          p[i]) && p[i]))
		i++;
	return i;
}

/*
 * The offset in p[0..len) of the first `stop` outside quotes (backslashes
 * honoured) and outside the pairs opened after p: parentheses, and square
 * brackets too when `squares` is set. `len` when there is none.
 */
static size_t scan_to(const char *p, size_t len, char stop, int squares)
{
	int depth = 0;
	char q = 0;

	for (size_t i = 0; i < len; i++) {
		char ch = p[i];

		if (ch == '\\' && i + 1 < len) {
			i++;
			continue;
		}
		if (q) {
			if (ch == q)
				q = 0;
			continue;
		}
		if (ch == '"' || ch == '\'')
			q = ch;
		else if (ch == stop && depth == 0)
			return i;
		else if (ch == '(' || (squares && ch == '['))
			depth++;
		else if ((ch == ')' || (squares && ch == ']')) && depth > 0)
			depth--;
	}
	return len;
}

/* From p[0] == '(', the offset just after the matching ')' (quotes and
 * backslashes honoured), or `len` when there is none. */
static size_t args_end(const char *p, size_t len)
{
	size_t close = scan_to(p + 1, len - 1, ')', 0);

	return close < len - 1 ? close + 2 : len;
}

static void hint_from(struct diag_ctx *dc, const char *word,
                      const char *const *tab, size_t n)
{
	struct suggest sg;
	const char *hint;

	suggest_init(&sg, word);
	for (size_t i = 0; i < n; i++)
		suggest_offer(&sg, tab[i]);
	hint = suggest_result(&sg);
	if (hint)
		diag_hint(dc, "did you mean '%s'?", hint);
}

static int userlist_exists(const struct ast_config *cfg, const char *name,
                           size_t len)
{
	for (const struct ast_section *sec = cfg->sections; sec; sec = sec->next)
		if (sec->header && sec->header->nargs > 1 &&
		    !strcmp(sec->header->args[0].text, "userlist") &&
		    strlen(sec->header->args[1].text) == len &&
		    !strncmp(sec->header->args[1].text, name, len))
			return 1;
	return 0;
}

/* A proxy section named name[0..len) of one of the AST_SEC_* kinds in
 * `kinds` (bit 1 << kind), or NULL. */
static const struct ast_section *find_named(const struct ast_config *cfg,
                                            unsigned kinds, const char *name,
                                            size_t len)
{
	for (const struct ast_section *sec = cfg->sections; sec; sec = sec->next)
		if ((kinds & (1u << sec->kind)) && sec->header &&
		    sec->header->nargs > 1 &&
		    strlen(sec->header->args[1].text) == len &&
		    !strncmp(sec->header->args[1].text, name, len))
			return sec;
	return NULL;
}

#define BE_KINDS ((1u << AST_SEC_BACKEND) | (1u << AST_SEC_LISTEN))
#define FE_KINDS ((1u << AST_SEC_FRONTEND) | (1u << AST_SEC_LISTEN))
#define PX_KINDS (BE_KINDS | FE_KINDS)

/* Fetches and converters whose first argument names a proxy or a table:
 * HAProxy resolves it while reading the configuration. */
static const struct {
	const char *name;
	unsigned kinds;            /* where the name is looked up */
	const char *what;          /* "backend", "frontend", "table" */
} ref_args[] = {
	{ "avg_queue", BE_KINDS, "backend" }, { "be_conn", BE_KINDS, "backend" },
	{ "be_conn_free", BE_KINDS, "backend" },
	{ "be_sess_rate", BE_KINDS, "backend" },
	{ "connslots", BE_KINDS, "backend" }, { "nbsrv", BE_KINDS, "backend" },
	{ "queue", BE_KINDS, "backend" },
	{ "fe_conn", FE_KINDS, "frontend" }, { "fe_req_rate", FE_KINDS, "frontend" },
	{ "fe_sess_rate", FE_KINDS, "frontend" },
	{ "table_avl", PX_KINDS, "table" }, { "table_cnt", PX_KINDS, "table" },
};

/* The first argument of `name` (args at expr[a0..a1), parentheses
 * included) when it names a proxy or table: it must exist. */
static unsigned check_ref_arg(const struct lint_sample_ctx *c,
                              const struct ast_word *w, const char *name,
                              const char *expr, size_t a0, size_t a1)
{
	const char *arg = expr + a0 + 1;
	size_t len;

	if (a1 <= a0 + 2 || !c->cfg)
		return 0;
	len = strcspn(arg, ",)");
	if (arg + len > expr + a1 - 1 || memchr(arg, '%', len) ||
	    memchr(arg, '"', len) || memchr(arg, '\'', len))
		return 0;
	for (size_t i = 0; i < sizeof(ref_args) / sizeof(ref_args[0]); i++) {
		const struct ast_section *sec;

		if (strcmp(ref_args[i].name, name))
			continue;
		if (!strcmp(ref_args[i].what, "table") && memchr(arg, '/', len))
			return 0;       /* a table of a peers section */
		sec = find_named(c->cfg, ref_args[i].kinds, arg, len);
		if (sec)
			return 0;
		diag_error(c->s->dc, &w->loc, "unknown-proxy",
		           "'%s' refers to %s '%.*s', which is not declared",
		           name, ref_args[i].what, (int)len, arg);
		return 1;
	}
	/* srv_*(backend/server) */
	if (!strncmp(name, "srv_", 4) && memchr(arg, '/', len)) {
		size_t bl = (size_t)((const char *)memchr(arg, '/', len) - arg);

		if (!find_named(c->cfg, BE_KINDS, arg, bl)) {
			diag_error(c->s->dc, &w->loc, "unknown-proxy",
			           "'%s' refers to backend '%.*s', which is not "
			           "declared", name, (int)bl, arg);
			return 1;
		}
	}
	return 0;
}

/* Check expr[0..len) of word w. */
unsigned lint_regex(struct sema *s, const struct ast_word *w,
                    const char *pat, size_t len, int icase, const char *what)
{
	char msg[160];
	size_t off = 0;

	if (plan_regex_check(pat, len, icase, &off, msg, sizeof(msg)) == 0)
		return 0;
	diag_error(s->dc, &w->loc, "invalid-regex",
	           "%s: invalid regular expression '%.*s': %s (at offset %zu)",
	           what, (int)len, pat, msg, off);
	return 1;
}

unsigned lint_acl_regexes(struct sema *s, const struct ast_word *w, size_t n)
{
	size_t fl = strcspn(w[0].text, "(,");
	int reg = fl > 4 && !strncmp(w[0].text + fl - 4, "_reg", 4);
	int icase = 0, file = 0;
	size_t i = 1;

	/* flags, as HAProxy reads them, until "--" or a value */
	for (; i < n && w[i].text[0] == '-' && w[i].text[1]; i++) {
		const char *f = w[i].text;

		if (!strcmp(f, "--")) {
			i++;
			break;
		}
		if (!strcmp(f, "-i"))
			icase = 1;
		else if (!strcmp(f, "-f"))
			file = 1;
		if ((!strcmp(f, "-m") || !strcmp(f, "-f") || !strcmp(f, "-M")) &&
		    i + 1 < n) {
			if (!strcmp(f, "-m"))
				reg = !strcmp(w[i + 1].text, "reg");
			i++;
		}
	}
	if (!reg || file)
		return 0;       /* pattern files: read by the files pass */
	for (unsigned errs = 0; i < n; i++)
		if ((errs = lint_regex(s, &w[i], w[i].text, w[i].len, icase,
		                       "ACL pattern")))
			return errs;
	return 0;
}

/* regsub(REGEX,SUBST[,FLAGS]) as HAProxy splits its arguments (at
 * commas; the list ends at the first ')'): two or three arguments, flags
 * 'i' and 'g', a regex that compiles. `args` is what the parentheses
 * hold. Quoted arguments are left alone. Returns errors queued. */
static unsigned check_regsub(const struct lint_sample_ctx *c,
                             const struct ast_word *w, const char *args,
                             size_t len)
{
	const char *a[4];
	size_t l[4], n = 0, p = 0;
	int icase = 0;

	if (memchr(args, '"', len) || memchr(args, '\'', len))
		return 0;
	while (n < 4) {
		size_t k = p;

		while (k < len && args[k] != ',')
			k++;
		a[n] = args + p;
		l[n++] = k - p;
		if (k >= len)
			break;
		p = k + 1;
	}
	if (n < 2 || n > 3) {
		diag_error(c->s->dc, &w->loc, "invalid-argument",
		           "converter 'regsub' expects a regular expression, a "
		           "replacement and optional flags, found %s", n < 2 ?
		           "one argument" : "more than three");
		return 1;
	}
	for (size_t i = 0; n == 3 && i < l[2]; i++) {
		if (a[2][i] == 'i')
			icase = 1;
		else if (a[2][i] != 'g') {
			diag_error(c->s->dc, &w->loc, "invalid-argument",
			           "regsub flags are 'i' and 'g', found '%.*s'",
			           (int)l[2], a[2]);
			return 1;
		}
	}
	return lint_regex(c->s, w, a[0], l[0], icase, "converter 'regsub'");
}

static unsigned check_expr(const struct lint_sample_ctx *c,
                           const struct ast_word *w, const char *expr,
                           size_t len)
{
	struct diag_ctx *dc = c->s->dc;
	size_t i = 0;
	int first = 1;
	char name[128];

	while (i < len) {
		size_t nl = name_len(expr + i, len - i), a0, a1;

		if (nl == 0 || nl >= sizeof(name))
			return 0;       /* not a plain expression: left alone */
		memcpy(name, expr + i, nl);
		name[nl] = 0;
		i += nl;
		a0 = a1 = i;
		if (i < len && expr[i] == '(') {
			a1 = i + args_end(expr + i, len - i);
			i = a1;
		}
		if (first) {
			if (!fetch_known(name)) {
				diag_error(dc, &w->loc, "unknown-fetch",
				           "unknown sample fetch '%s' in '%s' (expected "
				           "a fetch of HAProxy manual section 7.3)",
				           name, w->text);
				hint_from(dc, name, lint_fetches, lint_fetches_count);
				return 1;
			}
			if ((c->ruleset & (LINT_RS_HTTP_RES | LINT_RS_HTTP_AFT)) &&
			    reads_request_headers(name)) {
				diag_report(dc, c->in_cond ? DIAG_WARNING : DIAG_ERROR,
				            &w->loc, "fetch-context",
				            "sample fetch '%s' reads the HTTP request "
				            "headers, which are not available in %s "
				            "rules%s", name, c->rule, c->in_cond ?
				            ": the condition never matches (HAProxy "
				            "warns)" : "");
				diag_hint(dc, "capture the value in a variable during "
				          "the request (http-request set-var) and read "
				          "it with var()");
				return c->in_cond ? 0 : 1;
			}
			if (check_ref_arg(c, w, name, expr, a0, a1))
				return 1;
			if (a1 > a0 + 2 && c->s->target == SEMA_TARGET_HAPROXY) {
				/* a fetch that takes no argument was given one */
				const struct sample_fetch_def *d =
					sample_fetch_find(name, strlen(name));

				if (d && d->arg == SMP_ARG_NONE) {
					diag_error(dc, &w->loc, "invalid-argument",
					           "sample fetch '%s' takes no argument, "
					           "found '%.*s'", name,
					           (int)(a1 - a0 - 2), expr + a0 + 1);
					return 1;
				}
			}
			if (!strcmp(name, "var") && a1 > a0 + 2 &&
			    lint_var_word(c->s, w, expr + a0 + 1,
			                  strcspn(expr + a0 + 1, ",)")))
				return 1;
			if ((!strcmp(name, "http_auth") ||
			     !strcmp(name, "http_auth_group")) && a1 > a0 + 2) {
				const char *u = expr + a0 + 1;
				size_t ul = strcspn(u, ",)");

				if (c->cfg && !userlist_exists(c->cfg, u, ul)) {
					diag_error(dc, &w->loc, "unknown-userlist",
					           "'%s' names userlist '%.*s', which is not "
					           "declared", name, (int)ul, u);
					return 1;
				}
			}
		} else {
			/* map_<match>[_<output>] is documented as a family */
			if (strncmp(name, "map_", 4) && strncmp(name, "lua.", 4) &&
			    !lint_name_in(lint_converters, lint_converters_count,
			                  name)) {
				diag_error(dc, &w->loc, "unknown-converter",
				           "unknown converter '%s' in '%s' (expected a "
				           "converter of HAProxy manual section 7.3.1)",
				           name, w->text);
				hint_from(dc, name, lint_converters,
				          lint_converters_count);
				return 1;
			}
			/* (for cfgrun the converter's compilation checks it) */
			if (!strcmp(name, "regsub") &&
			    c->s->target == SEMA_TARGET_HAPROXY &&
			    check_regsub(c, w, expr + a0 + 1,
			                 a1 > a0 + 1 ? a1 - a0 - 2 : 0))
				return 1;
			for (size_t k = 0; int_arg_convs[k].name; k++) {
				if (strcmp(int_arg_convs[k].name, name) || a1 <= a0 + 2)
					continue;
				for (size_t p = a0 + 1; p < a1 - 1;) {
					size_t l = strcspn(expr + p, ",)");

					if (p + l > a1 - 1)
						l = a1 - 1 - p;
					if (!is_int_arg(expr + p, l) &&
					    !is_named_arg(int_arg_convs[k].words,
					                  expr + p, l)) {
						diag_error(dc, &w->loc, "invalid-argument",
						           "converter '%s' expects integer "
						           "arguments (decimal or 0x hex), found "
						           "'%.*s'", name, (int)l, expr + p);
						return 1;
					}
					p += l + 1;
				}
			}
		}
		first = 0;
		while (i < len && (expr[i] == ' ' || expr[i] == '\t'))
			i++;
		if (i >= len)
			break;
		if (expr[i] != ',')
			return 0;       /* something cfgc does not read: left alone */
		i++;
		while (i < len && (expr[i] == ' ' || expr[i] == '\t'))
			i++;
	}
	return 0;
}

unsigned lint_sample_word(const struct lint_sample_ctx *c,
                          const struct ast_word *w)
{
	return check_expr(c, w, w->text, strlen(w->text));
}

unsigned lint_sample_logformat(const struct lint_sample_ctx *c,
                               const struct ast_word *w)
{
	const char *t = w->text;
	unsigned errors = 0;

	for (const char *p = strchr(t, '%'); p; p = strchr(p, '%')) {
		p++;
		if (*p == '%') {
			p++;
			continue;
		}
		if (*p == '{') {
			const char *e = strchr(p, '}');

			if (!e)
				break;
			p = e + 1;
		}
		if (*p != '[')
			continue;
		p++;
		/* up to the ']' closing it, brackets inside arguments kept */
		size_t len = strlen(p), end = scan_to(p, len, ']', 1);

		if (end >= len)
			break;          /* unterminated: HAProxy's message is its own */
		errors += check_expr(c, w, p, end);
		p += end;
	}
	return errors;
}
