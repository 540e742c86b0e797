/*
 * lint-kw.c: argument checks of the proxy and global keywords cfgc knows
 * but does not compile (log, stick-table, negated options, default-server,
 * rules...), dispatched by lint_stmt().
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
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
/* Data types a stick-table may store (manual section 11.1): `arg` 0 none,
 * 1 a period (name_rate(<period>)), 2 an array size (gpt(<nb>)), 3 both
 * (gpc_rate(<nb>,<period>)). */
static const struct {
	const char *name;
	int arg;
} st_store_types[] = {
	{ "bytes_in_cnt", 0 }, { "bytes_in_rate", 1 }, { "bytes_out_cnt", 0 },
	{ "bytes_out_rate", 1 }, { "conn_cnt", 0 }, { "conn_cur", 0 },
	{ "conn_rate", 1 }, { "glitch_cnt", 0 }, { "glitch_rate", 1 },
	{ "gpc", 2 }, { "gpc_rate", 3 }, { "gpc0", 0 }, { "gpc0_rate", 1 },
	{ "gpc1", 0 }, { "gpc1_rate", 1 }, { "gpt", 2 }, { "gpt0", 0 },
	{ "http_req_cnt", 0 }, { "http_req_rate", 1 }, { "http_err_cnt", 0 },
	{ "http_err_rate", 1 }, { "http_fail_cnt", 0 }, { "http_fail_rate", 1 },
	{ "server_id", 0 }, { "server_key", 0 }, { "server_name", 0 },
	{ "sess_cnt", 0 }, { "sess_rate", 1 },
};

/* One comma-separated item of a 'store' list, w->text[off..off+len).
 * `*gpc` collects 1 for gpc()/gpc_rate(), 2 for gpc0/gpc1 and their
 * rates: both in one table are refused. 1 after an error. */
static unsigned st_store_item(struct sema *s, const struct ast_word *w,
                              const char *item, size_t len, unsigned *gpc)
{
	size_t nl = strcspn(item, "(,");
	const char *arg = item[nl] == '(' ? item + nl + 1 : NULL;
	size_t alen = 0;
	char buf[64];
	int kind = -1;

	if (nl > len)
		nl = len;
	for (size_t i = 0; i < sizeof(st_store_types) / sizeof(st_store_types[0]);
	     i++)
		if (strlen(st_store_types[i].name) == nl &&
		    !strncmp(st_store_types[i].name, item, nl))
			kind = st_store_types[i].arg;
	if (kind < 0) {
		diag_error(s->dc, &w->loc, "invalid-value",
		           "'stick-table store': unknown data type '%.*s' (manual "
		           "section 11.1 lists them)", (int)nl, item);
		return 1;
	}
	*gpc |= !strncmp(item, "gpc", 3) ? (item[3] == '0' || item[3] == '1' ?
	                                    2u : 1u) : 0u;
	if (arg) {
		const char *close = memchr(arg, ')', len - (size_t)(arg - item));

		alen = close ? (size_t)(close - arg) : len;
	}
	if (kind == 0 && arg) {
		diag_error(s->dc, &w->loc, "invalid-value",
		           "'stick-table store %.*s' takes no argument", (int)nl,
		           item);
		return 1;
	}
	if (kind > 0 && (!arg || alen == 0 || alen >= sizeof(buf) ||
	                 arg + alen >= item + len + 1)) {
		diag_error(s->dc, &w->loc, "missing-argument",
		           "'stick-table store %.*s' expects %s in parentheses",
		           (int)nl, item, kind == 1 ? "a period such as (10s)" :
		           kind == 2 ? "a number of elements such as (2)" :
		           "a number of elements and a period such as (2,10s)");
		return 1;
	}
	if (kind == 0)
		return 0;
	memcpy(buf, arg, alen);
	buf[alen] = 0;
	if (kind >= 2) {
		char *end;
		long nb = strtol(buf, &end, 10);

		if (end == buf || nb < 1 || nb > 100 ||
		    (kind == 2 ? *end != 0 : *end != ',')) {
			diag_error(s->dc, &w->loc, "out-of-range",
			           "'stick-table store %.*s' expects a number of "
			           "elements from 1 to 100, found '%s'", (int)nl, item,
			           buf);
			return 1;
		}
		if (kind == 2)
			return 0;
		memmove(buf, end + 1, strlen(end + 1) + 1);
	}
	char err[256];
	size_t col, trail;
	uint32_t ms;

	if (units_parse_time_lax(buf, 1, &ms, err, sizeof(err), &col,
	                         &trail) < 0 || trail) {
		diag_error(s->dc, &w->loc, "invalid-time",
		           "'stick-table store %.*s': the period %s", (int)nl, item,
		           trail ? "has characters after its unit" : err);
		return 1;
	}
	return 0;
}

/*
 * stick-table type <type> [len <n>] size <size> [expire <time>] [nopurge]
 * [recv-only] [write-to <table>] [srvkey name|addr] [store <types>]*
 * [brates-factor <n>] [peers <name>] (manual section 11.1): every word
 * known, each value of its kind, size above zero, len only for string and
 * binary types.
 */
static unsigned lint_stick_table(struct sema *s, const struct ast_word *w,
                                 size_t n)
{
	static const char *const types[] = {
		"ip", "ipv4", "ipv6", "integer", "string", "binary", NULL,
	};
	static const char *const valued[] = {
		"type", "len", "size", "expire", "write-to", "srvkey", "store",
		"brates-factor", "peers", NULL,
	};
	static const char *const flags[] = { "nopurge", "recv-only", NULL };
	static const char *const srvkeys[] = { "name", "addr", NULL };
	const char *type = NULL;
	unsigned gpc = 0;
	int sized = 0;
	char err[256];
	size_t col;

	for (size_t i = 1; i < n; i++) {
		const char *k = w[i].text;

		if (in_list(flags, k))
			continue;
		if (!in_list(valued, k)) {
			diag_error(s->dc, &w[i].loc, "invalid-value",
			           "'stick-table': unknown argument '%s' (expected "
			           "type, size, expire, store, ... of manual section "
			           "11.1)", k);
			return 1;
		}
		if (i + 1 >= n && !strcmp(k, "store"))
			break;          /* HAProxy stores nothing more, silently */
		if (i + 1 >= n) {
			diag_error(s->dc, &w[i].loc, "missing-argument",
			           "'stick-table %s' expects a value, found nothing", k);
			return 1;
		}
		const struct ast_word *v = &w[++i];

		if (!strcmp(k, "type")) {
			if (!in_list(types, v->text)) {
				diag_error(s->dc, &v->loc, "invalid-value",
				           "'stick-table': unknown type '%s' (expected ip, "
				           "ipv4, ipv6, integer, string or binary)", v->text);
				return 1;
			}
			type = v->text;
		} else if (!strcmp(k, "len")) {
			if (!type || (strcmp(type, "string") && strcmp(type, "binary"))) {
				diag_error(s->dc, &w[i - 1].loc, "invalid-value",
				           "'stick-table': 'len' applies to types string "
				           "and binary only, after 'type'");
				return 1;
			}
			if (atol(v->text) <= 0) {
				diag_error(s->dc, &v->loc, "out-of-range",
				           "'stick-table len' expects a positive integer, "
				           "found '%s'", v->text);
				return 1;
			}
		} else if (!strcmp(k, "size")) {
			uint64_t b;

			if (units_parse_size_msg(v->text, &b, err, sizeof(err), &col) < 0) {
				struct src_loc loc = kw_word_loc_at(v, col);

				diag_error(s->dc, &loc, "invalid-size",
				           "'stick-table size': %s", err);
				return 1;
			}
			sized = b > 0;
		} else if (!strcmp(k, "expire")) {
			uint32_t ms;

			if (kw_time_arg(s, v, 1, "stick-table expire", &ms) < 0)
				return 1;
		} else if (!strcmp(k, "srvkey") && !in_list(srvkeys, v->text)) {
			diag_error(s->dc, &v->loc, "invalid-value",
			           "'stick-table srvkey' expects 'name' or 'addr', "
			           "found '%s'", v->text);
			return 1;
		} else if (!strcmp(k, "store")) {
			const char *p = v->text;

			while (*p) {
				/* items end at a comma outside parentheses */
				size_t len = 0;
				int depth = 0;

				while (p[len] && (depth || p[len] != ',')) {
					depth += p[len] == '(' ? 1 : p[len] == ')' ? -1 : 0;
					len++;
				}
				if (st_store_item(s, v, p, len, &gpc))
					return 1;
				p += len + (p[len] == ',');
			}
		}
	}
	if (!type || !sized) {
		diag_error(s->dc, &w[0].loc, "missing-argument",
		           "'stick-table' expects %s", !type ? "a 'type'" :
		           "a 'size' above zero");
		return 1;
	}
	if (gpc == 3) {
		diag_error(s->dc, &w[0].loc, "invalid-value",
		           "'stick-table' stores both gpc()/gpc_rate() and "
		           "gpc0/gpc1: HAProxy refuses them in one table");
		return 1;
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

static const char *const v_reuse[] = {
	"never", "safe", "aggressive", "always", NULL,
};
static const char *const v_algo[] = {
	"identity", "gzip", "deflate", "raw-deflate", NULL,
};
static const char *const v_direction[] = {
	"request", "response", "both", NULL,
};
static const char *const v_httplog[] = { "clf", NULL };
static const char *const v_verify[] = { "none", "required", NULL };
static const char *const v_retry_on[] = {
	"none", "conn-failure", "empty-response", "junk-response",
	"response-timeout", "0rtt-rejected", "all-retryable-errors", "all",
	"401", "403", "404", "408", "421", "425", "429", "500", "501", "502",
	"503", "504", NULL,
};
static const char *const v_ssl_opts[] = {
	"no-sslv3", "no-tlsv10", "no-tlsv11", "no-tlsv12", "no-tlsv13",
	"no-tls-tickets", "force-sslv3", "force-tlsv10", "force-tlsv11",
	"force-tlsv12", "force-tlsv13", "prefer-client-ciphers", "ssl-min-ver",
	"ssl-max-ver", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3",
	"no-alpn", "allow-0rtt", "strict-sni", "no-ca-names", "ktls", "on",
	"off", "renegotiate", "no-renegotiate", "no-ssl-reuse", NULL,
};

/* Keywords whose words from `pos` on (`all`) or at `pos` only take one of
 * a fixed set of values (manual section 4.2 or 3.x for each). */
static const struct kw_enum {
	const char *kw;             /* first word */
	const char *sub;            /* second word required, or NULL */
	unsigned pos;               /* first word checked */
	int all;                    /* every word from pos on */
	const char *const *values;
} kw_enums[] = {
	{ "http-reuse", NULL, 1, 0, v_reuse },
	{ "compression", "algo", 2, 1, v_algo },
	{ "compression", "algo-req", 2, 0, v_algo },
	{ "compression", "algo-res", 2, 1, v_algo },
	{ "compression", "direction", 2, 0, v_direction },
	{ "option", "httplog", 2, 0, v_httplog },
	{ "retry-on", NULL, 1, 1, v_retry_on },
	{ "ssl-server-verify", NULL, 1, 0, v_verify },
	{ "ssl-default-bind-options", NULL, 1, 1, v_ssl_opts },
	{ "ssl-default-server-options", NULL, 1, 1, v_ssl_opts },
};

/* Keywords whose word at `pos` is an integer HAProxy reads with atol() and
 * checks against a range (manual sections 3.x and 4.2). */
static const struct kw_range {
	const char *kw;             /* first word */
	const char *sub;            /* second word required, or NULL */
	unsigned pos;               /* the word checked */
	long long min, max;
} kw_ranges[] = {
	{ "spread-checks", NULL, 1, 0, 50 },
	{ "stats", "maxconn", 2, 1, INT32_MAX },
};

static unsigned lint_ranges(struct sema *s, const struct ast_word *w, size_t n)
{
	for (size_t i = 0; i < sizeof(kw_ranges) / sizeof(kw_ranges[0]); i++) {
		const struct kw_range *r = &kw_ranges[i];
		long long v;

		if (strcmp(r->kw, w[0].text) || n <= r->pos ||
		    (r->sub && strcmp(r->sub, w[1].text)))
			continue;
		v = strtoll(w[r->pos].text, NULL, 10);
		if (v >= r->min && v <= r->max)
			return 0;
		diag_error(s->dc, &w[r->pos].loc, "out-of-range",
		           "'%s%s%s' expects a value from %lld to %lld, found '%s'",
		           w[0].text, r->sub ? " " : "", r->sub ? r->sub : "",
		           r->min, r->max, w[r->pos].text);
		return 1;
	}
	return 0;
}

static unsigned lint_enums(struct sema *s, const struct ast_word *w, size_t n)
{
	for (size_t i = 0; i < sizeof(kw_enums) / sizeof(kw_enums[0]); i++) {
		const struct kw_enum *e = &kw_enums[i];

		if (strcmp(e->kw, w[0].text) ||
		    (e->sub && (n < 2 || strcmp(e->sub, w[1].text))))
			continue;
		for (size_t j = e->pos; j < n && (e->all || j == e->pos); j++) {
			char expected[512] = "";
			size_t used = 0;

			if (in_list(e->values, w[j].text))
				continue;
			for (size_t v = 0; e->values[v] && used < sizeof(expected); v++)
				used += (size_t)snprintf(expected + used,
				                         sizeof(expected) - used, "%s'%s'",
				                         v ? ", " : "", e->values[v]);
			diag_error(s->dc, &w[j].loc, "invalid-value",
			           "'%s%s%s' expects one of %s, found '%s'", w[0].text,
			           e->sub ? " " : "", e->sub ? e->sub : "", expected,
			           w[j].text);
			return 1;
		}
		return 0;
	}
	return 0;
}

/* capture request|response header NAME len N: the length is required. */
static unsigned lint_capture(struct sema *s, const struct ast_word *w,
                             size_t n)
{
	if (n < 3 || strcmp(w[2].text, "header"))
		return 0;
	if (n < 6 || strcmp(w[4].text, "len") || atol(w[5].text) <= 0) {
		struct src_loc loc = kw_span(w, 0, n - 1);

		diag_error(s->dc, &loc, "missing-argument",
		           "'capture %s header' expects a header name and 'len' "
		           "with a length above 0", w[1].text);
		return 1;
	}
	return 0;
}

/* Forms of a keyword HAProxy removed while keeping others: the keyword
 * is valid only followed by one of `kept` (manual section 3.x). */
static const struct {
	const char *kw;
	const char *const *kept;    /* NULL-terminated */
	const char *since;
	const char *instead;
} kw_removed_forms[] = {
	{ "master-worker", (const char *const[]){ "no-exit-on-failure", NULL },
	  "3.5", "-W or -Ws on the command line" },
};

static unsigned lint_removed_form(struct sema *s, const struct ast_word *w,
                                  size_t n)
{
	for (size_t i = 0; i < sizeof(kw_removed_forms) /
	                       sizeof(kw_removed_forms[0]); i++) {
		if (strcmp(kw_removed_forms[i].kw, w[0].text))
			continue;
		if (n > 1 && in_list(kw_removed_forms[i].kept, w[1].text))
			return 0;
		diag_error(s->dc, &w[0].loc, "removed-keyword",
		           "'%s' was removed in HAProxy %s; use %s instead "
		           "(only '%s %s' remains)", w[0].text,
		           kw_removed_forms[i].since, kw_removed_forms[i].instead,
		           w[0].text, kw_removed_forms[i].kept[0]);
		return 1;
	}
	return 0;
}

unsigned lint_stmt(struct sema *s, const struct ast_word *w, size_t n,
                   uint32_t sec)
{
	const char *k = w[0].text;

	if ((sec & KW_SEC_GLOBAL) && lint_removed_form(s, w, n))
		return 1;

	if (!(sec & (KW_SEC_BIND | KW_SEC_SERVER)) &&
	    (lint_enums(s, w, n) || lint_ranges(s, w, n)))
		return 1;
	if (!strcmp(k, "capture"))
		return lint_capture(s, w, n);

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
