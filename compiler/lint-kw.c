/*
 * lint-kw.c: argument checks of the proxy and global keywords cfgc knows
 * but does not compile (log, stick-table, negated options, default-server,
 * rules...), dispatched by lint_stmt().
 */
#include <stdio.h>
#include <string.h>
#include "diag.h"
#include "kw.h"
#include "kw-known.h"
#include "lint.h"
#include "lint-tab.h"
#include "units.h"

int lint_name_in(const char *const *tab, size_t n, const char *name)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(tab[mid], name);

		if (!c)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int in_list(const char *const *list, const char *w)
{
	for (; *list; list++)
		if (!strcmp(*list, w))
			return 1;
	return 0;
}

static const char *const log_facilities[] = {
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
	"uucp", "cron", "auth2", "ftp", "ntp", "audit", "alert", "cron2",
	"local0", "local1", "local2", "local3", "local4", "local5", "local6",
	"local7", NULL,
};
static const char *const log_levels[] = {
	"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
	NULL,
};

/* log global | log TARGET [len N] [format F] [sample R:S] [profile P]
 *     FACILITY [LEVEL [MINLEVEL]] */
static unsigned lint_log(struct sema *s, const struct ast_word *w, size_t n)
{
	size_t i = 2;

	if (n < 2 || !strcmp(w[1].text, "global"))
		return 0;
	while (i + 1 < n && (!strcmp(w[i].text, "len") ||
	                     !strcmp(w[i].text, "format") ||
	                     !strcmp(w[i].text, "sample") ||
	                     !strcmp(w[i].text, "profile")))
		i += 2;
	if (i >= n) {
		diag_error(s->dc, &w[n - 1].loc, "missing-argument",
		           "'log %s' expects a syslog facility such as 'local0' "
		           "or 'daemon', found nothing", w[1].text);
		return 1;
	}
	if (!in_list(log_facilities, w[i].text)) {
		diag_error(s->dc, &w[i].loc, "invalid-value",
		           "'log': unknown syslog facility '%s' (expected kern, "
		           "user, mail, daemon, auth, syslog, lpr, news, uucp, "
		           "cron, auth2, ftp, ntp, audit, alert, cron2 or "
		           "local0 to local7)", w[i].text);
		return 1;
	}
	for (size_t j = i + 1; j < n && j < i + 3; j++) {
		if (!in_list(log_levels, w[j].text)) {
			diag_error(s->dc, &w[j].loc, "invalid-value",
			           "'log': unknown log level '%s' (expected emerg, "
			           "alert, crit, err, warning, notice, info or "
			           "debug)", w[j].text);
			return 1;
		}
	}
	return 0;
}

/* stick-table type T [len N] size S [expire T] ...: the type, size and
 * expiry are checked, the rest is left to HAProxy's manual. */
static unsigned lint_stick_table(struct sema *s, const struct ast_word *w,
                                 size_t n)
{
	static const char *const types[] = {
		"ip", "ipv6", "integer", "string", "binary", NULL,
	};
	char err[256];
	size_t col;

	for (size_t i = 1; i < n; i++) {
		const char *k = w[i].text;

		if (strcmp(k, "type") && strcmp(k, "size") && strcmp(k, "expire"))
			continue;
		if (i + 1 >= n) {
			diag_error(s->dc, &w[i].loc, "missing-argument",
			           "'stick-table %s' expects a value, found nothing", k);
			return 1;
		}
		const struct ast_word *v = &w[++i];

		if (!strcmp(k, "type") && !in_list(types, v->text)) {
			diag_error(s->dc, &v->loc, "invalid-value",
			           "'stick-table': unknown type '%s' (expected ip, "
			           "ipv6, integer, string or binary)", v->text);
			return 1;
		}
		if (!strcmp(k, "size")) {
			uint64_t b;

			if (units_parse_size_msg(v->text, &b, err, sizeof(err), &col) < 0) {
				struct src_loc loc = kw_word_loc_at(v, col);

				diag_error(s->dc, &loc, "invalid-size",
				           "'stick-table size': %s", err);
				return 1;
			}
		}
		if (!strcmp(k, "expire")) {
			uint32_t ms;

			if (units_parse_time_msg(v->text, 1, &ms, err, sizeof(err), &col) < 0) {
				struct src_loc loc = kw_word_loc_at(v, col);

				diag_error(s->dc, &loc, "invalid-time",
				           "'stick-table expire': %s", err);
				return 1;
			}
		}
	}
	return 0;
}

/* no option X / default option X: only some options may be negated. */
static unsigned lint_option_negation(struct sema *s, const struct ast_word *w,
                                     size_t n)
{
	/* handled apart by HAProxy, negation included */
	static const char *const special[] = {
		"httplog", "httpslog", "tcplog", "transparent", NULL,
	};
	char name[128];

	if (n < 3 || strcmp(w[1].text, "option"))
		return 0;
	if (lint_name_in(lint_negatable_options, lint_negatable_options_count,
	                 w[2].text) || in_list(special, w[2].text))
		return 0;
	snprintf(name, sizeof(name), "option %s", w[2].text);
	if (!kw_known_find(name))
		return 0;       /* unknown: reported by the caller */
	struct src_loc loc = kw_span(w, 0, 2);

	diag_error(s->dc, &loc, "invalid-negation",
	           "'%s option %s': this option cannot be negated or reset "
	           "with '%s' (expected plain 'option %s', or nothing)",
	           w[0].text, w[2].text, w[0].text, w[2].text);
	return 1;
}

unsigned lint_stmt(struct sema *s, const struct ast_word *w, size_t n,
                   uint32_t sec)
{
	const char *k = w[0].text;

	if (sec & (KW_SEC_BIND | KW_SEC_SERVER))
		return lint_options(s, w, n, sec);
	if (!strcmp(k, "log"))
		return lint_log(s, w, n);
	if (!strcmp(k, "no") || !strcmp(k, "default"))
		return lint_option_negation(s, w, n);
	if (!strcmp(k, "stick-table"))
		return lint_stick_table(s, w, n);
	if (!strcmp(k, "default-server"))
		return lint_options(s, w + 1, n - 1, KW_SEC_SERVER);
	if (!strcmp(k, "server-template"))
		return n > 4 ? lint_options(s, w + 4, n - 4, KW_SEC_SERVER) : 0;
	if (lint_ruleset(w, n, NULL))
		return lint_rule(s, w, n);
	return 0;
}
