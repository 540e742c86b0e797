/*
 * kw-lookup.c: finding keywords in the tables and reporting the ones cfgc
 * does not compile (not yet supported, removed from HAProxy, or unknown).
 */
#include <stdio.h>
#include <string.h>
#include "diag.h"
#include "kw.h"
#include "kw-known.h"
#include "lint.h"
#include "suggest.h"

const struct kw_known *kw_known_find(const char *name)
{
	for (size_t i = 0; i < kw_known_count; i++)
		if (!strcmp(kw_known_table[i].name, name))
			return &kw_known_table[i];
	return NULL;
}

int kw_known_is_family(const char *first)
{
	size_t len = strlen(first);

	for (size_t i = 0; i < kw_known_count; i++) {
		const char *n = kw_known_table[i].name;

		if (!strncmp(n, first, len) && n[len] == ' ')
			return 1;
	}
	return 0;
}

const char *kw_known_chapter(const struct kw_known *k, uint32_t sec)
{
	if (sec & KW_SEC_GLOBAL)
		return k->manual;
	if (sec & KW_SEC_BIND)
		return "5.1";
	if (sec & KW_SEC_SERVER)
		return "5.2";
	return "4.2";
}

const struct kw_def *kw_find(const struct kw_def *table, size_t n,
                             const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(table[i].name, name))
			return &table[i];
	return NULL;
}

struct src_loc kw_span(const struct ast_word *words, size_t a, size_t b)
{
	struct src_loc loc = words[a].loc;

	if (words[b].loc.line == loc.line && words[b].loc.file == loc.file &&
	    words[b].loc.end_col > loc.col)
		loc.end_col = words[b].loc.end_col;
	return loc;
}

/* Keywords HAProxy used to accept and now refuses by name. */
static const struct {
	const char *name;
	const char *since;      /* HAProxy version that removed it */
	const char *instead;    /* what to write now */
} kw_removed[] = {
	{ .name = "block",      .since = "2.1", .instead = "http-request deny" },
	{ .name = "dispatch",   .since = "3.5", .instead = "a server line" },
	{ .name = "monitor-net", .since = "2.4", .instead = "http-request return" },
	{ .name = "redispatch", .since = "2.1", .instead = "option redispatch" },
	{ .name = "reqadd",     .since = "2.1", .instead = "http-request add-header" },
	{ .name = "reqallow",   .since = "2.1", .instead = "http-request allow" },
	{ .name = "reqdel",     .since = "2.1", .instead = "http-request del-header" },
	{ .name = "reqdeny",    .since = "2.1", .instead = "http-request deny" },
	{ .name = "reqiallow",  .since = "2.1", .instead = "http-request allow" },
	{ .name = "reqidel",    .since = "2.1", .instead = "http-request del-header" },
	{ .name = "reqideny",   .since = "2.1", .instead = "http-request deny" },
	{ .name = "reqipass",   .since = "2.1", .instead = "http-request" },
	{ .name = "reqirep",    .since = "2.1", .instead = "http-request replace-header" },
	{ .name = "reqisetbe",  .since = "2.1", .instead = "use_backend" },
	{ .name = "reqitarpit", .since = "2.1", .instead = "http-request tarpit" },
	{ .name = "reqpass",    .since = "2.1", .instead = "http-request" },
	{ .name = "reqrep",     .since = "2.1", .instead = "http-request replace-header" },
	{ .name = "reqsetbe",   .since = "2.1", .instead = "use_backend" },
	{ .name = "reqtarpit",  .since = "2.1", .instead = "http-request tarpit" },
	{ .name = "rspadd",     .since = "2.1", .instead = "http-response add-header" },
	{ .name = "rspdel",     .since = "2.1", .instead = "http-response del-header" },
	{ .name = "rspdeny",    .since = "2.1", .instead = "http-response deny" },
	{ .name = "rspidel",    .since = "2.1", .instead = "http-response del-header" },
	{ .name = "rspideny",   .since = "2.1", .instead = "http-response deny" },
	{ .name = "rspirep",    .since = "2.1", .instead = "http-response replace-header" },
	{ .name = "rsprep",     .since = "2.1", .instead = "http-response replace-header" },
};

/* Keywords HAProxy 3.5 still accepts under an old name, with a warning. */
static const struct {
	const char *name;
	const char *instead;
} kw_deprecated[] = {
	{ "option accept-invalid-http-request",
	  "option accept-unsafe-violations-in-http-request" },
	{ "option accept-invalid-http-response",
	  "option accept-unsafe-violations-in-http-response" },
};

/* Is a known keyword acceptable in `sec`? Proxy keywords count in any proxy
 * section: cfgc refuses them all for now, so the finer HAProxy verdict
 * (warning or error for a missing capability) can wait for their support. */
static int known_here(const struct kw_known *k, uint32_t sec)
{
	if (k->sections & sec)
		return 1;
	if (lint_option_known(k->name, sec))
		return 1;
	return (sec & KW_SEC_PROXIES) && (k->sections & KW_SEC_PROXIES);
}

/* Offer every known keyword of `sec` whose family is `family` (NULL: the
 * first word of every keyword) to `sg`. Candidates stay valid (static). */
static void offer_known(struct suggest *sg, uint32_t sec, const char *family)
{
	size_t flen = family ? strlen(family) : 0;

	/* in a proxy, a keyword of another proxy kind is a fine suggestion:
	 * the diagnostic that follows will say where it belongs */
	if (sec & KW_SEC_PROXIES)
		sec = KW_SEC_PROXIES;
	for (size_t i = 0; i < kw_known_count; i++) {
		const struct kw_known *k = &kw_known_table[i];

		if (!(k->sections & sec))
			continue;
		if (family) {
			if (!strncmp(k->name, family, flen) && k->name[flen] == ' ')
				suggest_offer(sg, k->name + flen + 1);
		} else {
			/* "option httplog" offers "option" */
			const char *sp = strchr(k->name, ' ');

			suggest_offer_n(sg, k->name,
			                sp ? (size_t)(sp - k->name) : strlen(k->name));
		}
	}
}

/*
 * A known keyword cfgc does not compile: check what can be checked of its
 * arguments. Returns 1 when nothing more is to be said (errors were found,
 * or the target is HAProxy, which runs it), 0 when the caller reports it
 * as unsupported by cfgrun. For HAProxy, a proxy keyword of another proxy
 * kind is ignored with a warning, as HAProxy does for most of them.
 */
static int uncompiled_checked(struct sema *s, const struct kw_known *k,
                              const struct ast_word *words, size_t nwords,
                              uint32_t sec, const char *where)
{
	if (lint_stmt(s, words, nwords, sec) > 0)
		return 1;
	if (s->target != SEMA_TARGET_HAPROXY)
		return 0;
	if (!(k->sections & sec) && !lint_option_known(k->name, sec))
		diag_warning(s->dc, &words[0].loc, "ignored",
		             "'%s' is ignored in a %s section (HAProxy manual "
		             "section %s lists where it applies)", k->name, where,
		             kw_known_chapter(k, sec));
	else if (s->plan_output)
		lint_not_run(s, &words[0], "keyword");
	return 1;
}

void kw_report_uncompiled(struct sema *s, const struct ast_word *words,
                          size_t nwords, uint32_t sec, const char *where)
{
	size_t base = 0;
	char name[256];
	const struct kw_known *k;
	struct src_loc loc;

	/* "no option x" / "default option x" */
	if (nwords > 2 && (!strcmp(words[0].text, "no") ||
	                   !strcmp(words[0].text, "default")) &&
	    (sec & KW_SEC_PROXIES))
		base = 1;

	const char *w = words[base].text;

	if (kw_known_is_family(w) && nwords > base + 1) {
		snprintf(name, sizeof(name), "%s %s", w, words[base + 1].text);
		loc = kw_span(words, 0, base + 1);
		for (size_t i = 0; i < sizeof(kw_deprecated) /
		                       sizeof(kw_deprecated[0]); i++) {
			if (strcmp(kw_deprecated[i].name, name))
				continue;
			diag_warning(s->dc, &loc, "deprecated",
			             "'%s' is deprecated; write '%s' (HAProxy 3.5 "
			             "still accepts it)", name, kw_deprecated[i].instead);
			snprintf(name, sizeof(name), "%s", kw_deprecated[i].instead);
			break;
		}
		k = kw_known_find(name);
		if (k && known_here(k, sec)) {
			if (uncompiled_checked(s, k, words, nwords, sec, where))
				return;
			diag_error(s->dc, &loc, "unsupported",
			           "'%s%s%s' is not supported by cfgc yet "
			           "(HAProxy manual section %s)",
			           base ? words[0].text : "", base ? " " : "",
			           name, kw_known_chapter(k, sec));
			return;
		}
		if (!k && !kw_known_find(w)) {
			struct suggest sg;
			const char *hint;

			suggest_init(&sg, words[base + 1].text);
			offer_known(&sg, sec, w);
			loc = words[base + 1].loc;
			diag_error(s->dc, &loc, "unknown-keyword",
			           "unknown '%s' keyword '%s' in %s section "
			           "(expected one of the documented '%s ...' keywords)",
			           w, words[base + 1].text, where, w);
			hint = suggest_result(&sg);
			if (hint)
				diag_hint(s->dc, "did you mean '%s %s'?", w, hint);
			return;
		}
	}

	loc = words[base].loc;
	k = kw_known_find(w);
	if (!k && (sec & (KW_SEC_BIND | KW_SEC_SERVER)) && strchr(w, '(')) {
		/* an option whose name carries an argument:
		 * "set-proxy-v2-tlv-fmt(0x20)" */
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(w, "("), w);
		k = kw_known_find(name);
	}
	if (k && known_here(k, sec)) {
		if (uncompiled_checked(s, k, words, nwords, sec, where))
			return;
		diag_error(s->dc, &words[0].loc, "unsupported",
		           "'%s' is not supported by cfgc yet "
		           "(HAProxy manual section %s)", w,
		           kw_known_chapter(k, sec));
		return;
	}
	for (size_t i = 0; i < sizeof(kw_removed) / sizeof(kw_removed[0]); i++) {
		if (!strcmp(kw_removed[i].name, w)) {
			diag_error(s->dc, &loc, "removed-keyword",
			           "'%s' was removed in HAProxy %s; use %s instead",
			           w, kw_removed[i].since, kw_removed[i].instead);
			return;
		}
	}

	struct suggest sg;
	const char *hint;

	suggest_init(&sg, w);
	offer_known(&sg, sec, NULL);
	if (k) {
		/* a real keyword, in the wrong place */
		diag_error(s->dc, &loc, "unknown-keyword",
		           "'%s' is not allowed in %s section (it is valid in %s)",
		           w, where, (k->sections & KW_SEC_GLOBAL) ? "the global section" :
		           (k->sections & KW_SEC_PROXIES) ? "proxy sections" :
		           (k->sections & KW_SEC_SERVER) ? "server lines" : "bind lines");
		return;
	}
	if (sec & (KW_SEC_BIND | KW_SEC_SERVER))
		diag_error(s->dc, &loc, "unknown-keyword",
		           "unknown %s option '%s' (expected an option of HAProxy "
		           "manual section %s)", where, w,
		           (sec & KW_SEC_BIND) ? "5.1" : "5.2");
	else
		diag_error(s->dc, &loc, "unknown-keyword",
		           "unknown keyword '%s' in %s section", w, where);
	hint = suggest_result(&sg);
	if (hint)
		diag_hint(s->dc, "did you mean '%s'?", hint);
}

int kw_check_args(struct sema *s, const struct kw_def *kw,
                  const struct ast_stmt *st)
{
	size_t n = st->nargs - 1;

	if (n < kw->min_args) {
		diag_error(s->dc, &st->args[st->nargs - 1].loc, "missing-argument",
		           "'%s' expects %s, found %s", kw->name, kw->usage,
		           n ? "too few arguments" : "nothing after it");
		return -1;
	}
	if (kw->max_args != KW_ARGS_ANY && n > kw->max_args) {
		const struct ast_word *extra = &st->args[kw->max_args + 1];
		struct src_loc loc = kw_span(st->args, kw->max_args + 1,
		                             st->nargs - 1);

		diag_error(s->dc, &loc, "extra-argument",
		           "'%s' expects %s, found an extra argument '%s'",
		           kw->name, kw->usage, extra->text);
		return -1;
	}
	return 0;
}
