/*
 * cond.c: the expression language of .if/.elif.
 *
 * What cfgc claims about itself lives in the tables below:
 *  - version_atleast/version_before compare with CFG_COMPAT_VERSION;
 *  - the SSL library is BoringSSL, which presents itself as OpenSSL 1.1.1
 *    (OPENSSL_VERSION_NUMBER 0x1010107f), so openssl_version_* compare with
 *    "1.1.1" and ssllib_name_startswith matches a prefix of "BoringSSL"
 *    (case-insensitively); it is not AWS-LC (awslc_api_* are false) and
 *    never runs in FIPS mode;
 *  - feature() is true only for the build features listed as present in
 *    cond_features[] (what cfgc and cfgrun implement); any other name,
 *    listed or not, is false, as for a HAProxy built without it;
 *  - enabled() answers for the run-time options of cond_enabled[].
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cond.h"
#include "parse.h"

#define COND_SSL_LIB_NAME     "BoringSSL"
#define COND_OPENSSL_COMPAT   "1.1.1"
#define COND_MAX_ARGS         2

struct cond_flag {
	const char *name;
	int present;              /* 1: true, 0: known and false */
};

/* Build features, as "haproxy -vv" would list them with '+' or '-'. */
static const struct cond_flag cond_features[] = {
	{ .name = "OPENSSL",        .present = 1 },
	{ .name = "THREAD",         .present = 1 },
	{ .name = "EPOLL",          .present = 1 },
	{ .name = "POLL",           .present = 1 },
	{ .name = "LINUX_SPLICE",   .present = 1 },
	{ .name = "ACCEPT4",        .present = 1 },
	{ .name = "GETADDRINFO",    .present = 1 },
	{ .name = "LIBCRYPT",       .present = 0 },
	{ .name = "LUA",            .present = 0 },
	{ .name = "QUIC",           .present = 0 },
	{ .name = "PCRE",           .present = 0 },
	{ .name = "PCRE2",          .present = 0 },
	{ .name = "ZLIB",           .present = 0 },
	{ .name = "SLZ",            .present = 0 },
	{ .name = "PROMEX",         .present = 0 },
	{ .name = "TPROXY",         .present = 0 },
	{ .name = "LINUX_TPROXY",   .present = 0 },
	{ .name = "NETFILTER",      .present = 0 },
	{ .name = "NS",             .present = 0 },
	{ .name = "SYSTEMD",        .present = 0 },
	{ .name = "KQUEUE",         .present = 0 },
	{ .name = "EVPORTS",        .present = 0 },
	{ .name = "OT",             .present = 0 },
	{ .name = "DEVICEATLAS",    .present = 0 },
	{ .name = "51DEGREES",      .present = 0 },
	{ .name = "WURFL",          .present = 0 },
	{ .name = "MEMORY_PROFILING", .present = 0 },
};

/* Run-time options of enabled(). */
static const struct cond_flag cond_enabled[] = {
	{ .name = "POLL",                   .present = 1 },
	{ .name = "EPOLL",                  .present = 1 },
	{ .name = "KQUEUE",                 .present = 0 },
	{ .name = "EVPORTS",                .present = 0 },
	{ .name = "SPLICE",                 .present = 1 },
	{ .name = "GETADDRINFO",            .present = 0 },
	{ .name = "REUSEPORT",              .present = 1 },
	{ .name = "FAST-FORWARD",           .present = 1 },
	{ .name = "SERVER-SSL-VERIFY-NONE", .present = 0 },
};

enum cond_pred_id {
	COND_P_DEFINED = 0,
	COND_P_FEATURE,
	COND_P_STREQ,
	COND_P_STRNEQ,
	COND_P_STRSTR,
	COND_P_VERSION_ATLEAST,
	COND_P_VERSION_BEFORE,
	COND_P_OPENSSL_ATLEAST,
	COND_P_OPENSSL_BEFORE,
	COND_P_SSLLIB_STARTSWITH,
	COND_P_AWSLC_ATLEAST,
	COND_P_AWSLC_BEFORE,
	COND_P_ENABLED,
	COND_P_FIPS_MODE,
};

struct cond_pred {
	const char *name;
	enum cond_pred_id id;
	int nargs;                /* exact number of arguments */
};

static const struct cond_pred cond_preds[] = {
	{ .name = "defined",                 .id = COND_P_DEFINED,           .nargs = 1 },
	{ .name = "feature",                 .id = COND_P_FEATURE,           .nargs = 1 },
	{ .name = "streq",                   .id = COND_P_STREQ,             .nargs = 2 },
	{ .name = "strneq",                  .id = COND_P_STRNEQ,            .nargs = 2 },
	{ .name = "strstr",                  .id = COND_P_STRSTR,            .nargs = 2 },
	{ .name = "version_atleast",         .id = COND_P_VERSION_ATLEAST,   .nargs = 1 },
	{ .name = "version_before",          .id = COND_P_VERSION_BEFORE,    .nargs = 1 },
	{ .name = "openssl_version_atleast", .id = COND_P_OPENSSL_ATLEAST,   .nargs = 1 },
	{ .name = "openssl_version_before",  .id = COND_P_OPENSSL_BEFORE,    .nargs = 1 },
	{ .name = "ssllib_name_startswith",  .id = COND_P_SSLLIB_STARTSWITH, .nargs = 1 },
	{ .name = "awslc_api_atleast",       .id = COND_P_AWSLC_ATLEAST,     .nargs = 1 },
	{ .name = "awslc_api_before",        .id = COND_P_AWSLC_BEFORE,      .nargs = 1 },
	{ .name = "enabled",                 .id = COND_P_ENABLED,           .nargs = 1 },
	{ .name = "fips_mode",               .id = COND_P_FIPS_MODE,         .nargs = 0 },
};

#define COND_N(a) (sizeof(a) / sizeof((a)[0]))

/* Parser state over one expression. */
struct cond_parser {
	const char *s;            /* whole expression */
	const char *p;            /* next byte */
	char *err;                /* message buffer */
	size_t errlen;
	size_t errpos;            /* offset of the error */
	int failed;
};

static void cond_fail(struct cond_parser *cp, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void cond_fail(struct cond_parser *cp, const char *at, const char *fmt, ...)
{
	va_list ap;

	if (cp->failed)
		return;
	cp->failed = 1;
	cp->errpos = (size_t)(at - cp->s);
	va_start(ap, fmt);
	vsnprintf(cp->err, cp->errlen, fmt, ap);
	va_end(ap);
}

static void cond_skip_blanks(struct cond_parser *cp)
{
	while (*cp->p == ' ' || *cp->p == '\t')
		cp->p++;
}

/* A printable description of what starts at `p`, for messages. */
static const char *cond_found(const char *p, char *buf, size_t len)
{
	if (!*p)
		return "the end of the expression";
	snprintf(buf, len, "'%.20s%s'", p, strlen(p) > 20 ? "..." : "");
	return buf;
}

static int cond_flag_lookup(const struct cond_flag *tab, size_t n,
                            const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(tab[i].name, name) == 0)
			return tab[i].present;
	return 0;
}

/* One version number: up to three dotted numbers and an optional
 * pre-release suffix (-devN < -preN < -rcN < release). */
struct cond_version {
	long part[3];
	int rank;                 /* 0 dev, 1 pre, 2 rc, 3 release */
	long sub;                 /* N of the suffix */
};

static int cond_version_parse(const char *s, struct cond_version *v)
{
	const char *p = s;
	char *end;
	int i;

	memset(v, 0, sizeof(*v));
	v->rank = 3;
	for (i = 0; i < 3; i++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		v->part[i] = strtol(p, &end, 10);
		p = end;
		if (*p != '.')
			break;
		p++;
	}
	/* letters right after the numbers (OpenSSL's "1.1.1k") are ignored */
	while (isalpha((unsigned char)*p))
		p++;
	if (*p == '-') {
		static const char *const sfx[] = { "dev", "pre", "rc" };
		int k;

		p++;
		for (k = 0; k < 3; k++) {
			size_t l = strlen(sfx[k]);

			if (strncmp(p, sfx[k], l) == 0) {
				v->rank = k;
				p += l;
				v->sub = strtol(p, &end, 10);
				p = end;
				break;
			}
		}
		if (k == 3)
			return -1;
	}
	return *p == '\0' ? 0 : -1;
}

int cond_version_cmp(const char *a, const char *b, int *cmp)
{
	struct cond_version va, vb;
	int i;

	if (cond_version_parse(a, &va) < 0 || cond_version_parse(b, &vb) < 0)
		return -1;
	for (i = 0; i < 3; i++)
		if (va.part[i] != vb.part[i]) {
			*cmp = va.part[i] < vb.part[i] ? -1 : 1;
			return 0;
		}
	if (va.rank != vb.rank)
		*cmp = va.rank < vb.rank ? -1 : 1;
	else
		*cmp = va.sub < vb.sub ? -1 : va.sub > vb.sub;
	return 0;
}

/*
 * Arguments of a predicate after its name, HAProxy style: '(' then
 * comma-separated values up to ')'; inside a value, quotes protect commas
 * and parentheses and are removed, a backslash protects the next byte.
 * Fills args[] (malloc'd) and returns their count, or -1 (error set).
 */
static int cond_parse_args(struct cond_parser *cp, const struct cond_pred *pr,
                           const char *name, char *args[COND_MAX_ARGS])
{
	const char *p = cp->p;
	int n = 0;
	char fb[32];

	if (*p != '(') {
		if (pr->nargs == 0)
			return 0;
		cond_fail(cp, p, "predicate '%s' needs %d argument%s (expected '(' "
		          "right after its name, found %s)", pr->name, pr->nargs,
		          pr->nargs > 1 ? "s" : "", cond_found(p, fb, sizeof(fb)));
		return -1;
	}
	p++;
	if (*p == ')' && pr->nargs == 0) {
		cp->p = p + 1;
		return 0;
	}
	for (;;) {
		size_t cap = strlen(p) + 1, len = 0;
		char quote = 0;
		char *v;

		if (n == pr->nargs) {
			cond_fail(cp, p - 1, "too many arguments for predicate '%s' "
			          "(expected ')' after %d argument%s, found %s)",
			          pr->name, pr->nargs, pr->nargs > 1 ? "s" : "",
			          cond_found(p - 1, fb, sizeof(fb)));
			return -1;
		}
		v = malloc(cap);
		if (!v) {
			cond_fail(cp, p, "out of memory");
			return -1;
		}
		args[n++] = v;
		while (*p) {
			if (quote) {
				if (*p == quote) {
					quote = 0;
					p++;
					continue;
				}
				if (*p == '\\' && quote == '"' && p[1]) {
					v[len++] = p[1];
					p += 2;
					continue;
				}
				v[len++] = *p++;
				continue;
			}
			if (*p == '"' || *p == '\'') {
				quote = *p++;
				continue;
			}
			if (*p == '\\' && p[1]) {
				v[len++] = p[1];
				p += 2;
				continue;
			}
			if (*p == ',' || *p == ')')
				break;
			v[len++] = *p++;
		}
		v[len] = '\0';
		if (quote) {
			cond_fail(cp, p, "unterminated quote in argument %d of "
			          "predicate '%s' (expected %c before the end of the "
			          "expression)", n, pr->name, quote);
			return -1;
		}
		if (*p == ')')
			break;
		if (*p != ',') {
			cond_fail(cp, p, "missing ')' after the arguments of predicate "
			          "'%s' (expected ',' or ')', found %s)", pr->name,
			          cond_found(p, fb, sizeof(fb)));
			return -1;
		}
		p++;
	}
	if (n < pr->nargs) {
		cond_fail(cp, name, "predicate '%s' takes %d argument%s (found %d)",
		          pr->name, pr->nargs, pr->nargs > 1 ? "s" : "", n);
		return -1;
	}
	cp->p = p + 1;
	return n;
}

/* Evaluate predicate `pr` on its arguments. Returns 0/1 or -1 (error set
 * at `at`). */
static int cond_apply(struct cond_parser *cp, const struct cond_pred *pr,
                      char **a, const char *at)
{
	int cmp;

	switch (pr->id) {
	case COND_P_DEFINED:
		return getenv(a[0]) != NULL;
	case COND_P_FEATURE:
		return cond_flag_lookup(cond_features, COND_N(cond_features), a[0]);
	case COND_P_ENABLED:
		return cond_flag_lookup(cond_enabled, COND_N(cond_enabled), a[0]);
	case COND_P_STREQ:
		return strcmp(a[0], a[1]) == 0;
	case COND_P_STRNEQ:
		return strcmp(a[0], a[1]) != 0;
	case COND_P_STRSTR:
		return strstr(a[0], a[1]) != NULL;
	case COND_P_SSLLIB_STARTSWITH:
		return strncasecmp(COND_SSL_LIB_NAME, a[0], strlen(a[0])) == 0;
	case COND_P_AWSLC_ATLEAST:
	case COND_P_AWSLC_BEFORE:
	case COND_P_FIPS_MODE:
		return 0;
	case COND_P_VERSION_ATLEAST:
	case COND_P_VERSION_BEFORE:
	case COND_P_OPENSSL_ATLEAST:
	case COND_P_OPENSSL_BEFORE: {
		int ssl = pr->id == COND_P_OPENSSL_ATLEAST ||
		          pr->id == COND_P_OPENSSL_BEFORE;
		const char *ours = ssl ? COND_OPENSSL_COMPAT : CFG_COMPAT_VERSION;

		if (cond_version_cmp(ours, a[0], &cmp) < 0 && !ssl) {
			/* HAProxy compares an unreadable version as older than
			 * its own: version_atleast(abc) is true, version_before
			 * false, and nothing is said */
			return pr->id == COND_P_VERSION_ATLEAST;
		}
		if (ssl && cond_version_cmp(ours, a[0], &cmp) < 0) {
			cond_fail(cp, at, "invalid version '%s' in predicate '%s' "
			          "(expected a version such as 2.4 or 2.4-dev19)",
			          a[0], pr->name);
			return -1;
		}
		if (pr->id == COND_P_VERSION_ATLEAST || pr->id == COND_P_OPENSSL_ATLEAST)
			return cmp >= 0;
		return cmp < 0;
	}
	}
	return 0;
}

static int cond_expr(struct cond_parser *cp, int depth);

/* term: '!'* (integer | '(' expr ')' | predicate) */
static int cond_term(struct cond_parser *cp, int depth)
{
	int neg = 0, val = -1;
	const char *start;
	char fb[32];
	char *end;
	long num;
	size_t i, nlen;

	cond_skip_blanks(cp);
	if (depth > COND_MAX_DEPTH) {
		cond_fail(cp, cp->p, "conditional expression nested too deeply "
		          "(more than %d levels)", COND_MAX_DEPTH);
		return -1;
	}
	while (*cp->p == '!') {
		neg = !neg;
		cp->p++;
		cond_skip_blanks(cp);
	}
	start = cp->p;
	if (!*start) {
		cond_fail(cp, start, "expected a number, a predicate or '(', found "
		          "the end of the expression");
		return -1;
	}
	if (isdigit((unsigned char)*start) || *start == '-' || *start == '+') {
		num = strtol(start, &end, 0);
		if (end != start) {
			cp->p = end;
			return neg ? !num : !!num;
		}
	}
	if (*start == '(') {
		cp->p++;
		val = cond_expr(cp, depth + 1);
		if (val < 0)
			return -1;
		cond_skip_blanks(cp);
		if (*cp->p != ')') {
			cond_fail(cp, cp->p, "missing ')' (expected ')' to close the '(' "
			          "at position %zu, found %s)", (size_t)(start - cp->s) + 1,
			          cond_found(cp->p, fb, sizeof(fb)));
			return -1;
		}
		cp->p++;
		return neg ? !val : val;
	}
	nlen = strcspn(start, " \t(),&|!");
	for (i = 0; i < COND_N(cond_preds); i++) {
		const struct cond_pred *pr = &cond_preds[i];
		char *args[COND_MAX_ARGS] = { NULL, NULL };
		int n, k;

		if (strlen(pr->name) != nlen || strncmp(pr->name, start, nlen) != 0)
			continue;
		cp->p = start + nlen;
		n = cond_parse_args(cp, pr, start, args);
		if (n >= 0)
			val = cond_apply(cp, pr, args, start);
		for (k = 0; k < COND_MAX_ARGS; k++)
			free(args[k]);
		if (val < 0)
			return -1;
		return neg ? !val : val;
	}
	if (nlen == 0)
		cond_fail(cp, start, "expected a number, a predicate or '(', found %s",
		          cond_found(start, fb, sizeof(fb)));
	else
		cond_fail(cp, start, "unknown predicate '%.*s' (expected defined, "
		          "feature, streq, strneq, strstr, version_atleast, "
		          "version_before, openssl_version_atleast, "
		          "openssl_version_before, ssllib_name_startswith, "
		          "awslc_api_atleast, awslc_api_before, enabled or fips_mode)",
		          (int)nlen, start);
	return -1;
}

/* and: term ('&&' term)* */
static int cond_and(struct cond_parser *cp, int depth)
{
	int val = cond_term(cp, depth), rhs;

	while (val >= 0) {
		cond_skip_blanks(cp);
		if (cp->p[0] != '&' || cp->p[1] != '&')
			break;
		cp->p += 2;
		rhs = cond_term(cp, depth);
		if (rhs < 0)
			return -1;
		val = val && rhs;
	}
	return val;
}

/* expr: and ('||' and)* */
static int cond_expr(struct cond_parser *cp, int depth)
{
	int val = cond_and(cp, depth), rhs;

	while (val >= 0) {
		cond_skip_blanks(cp);
		if (cp->p[0] != '|' || cp->p[1] != '|')
			break;
		cp->p += 2;
		rhs = cond_and(cp, depth);
		if (rhs < 0)
			return -1;
		val = val || rhs;
	}
	return val;
}

int cond_eval(const char *expr, int *result, size_t *errpos, char *err,
              size_t errlen)
{
	struct cond_parser cp = { .s = expr, .p = expr, .err = err,
	                          .errlen = errlen };
	char fb[32];
	int val;

	cond_skip_blanks(&cp);
	if (!*cp.p) {
		*result = 0;      /* an empty condition is false */
		return 0;
	}
	val = cond_expr(&cp, 0);
	if (val >= 0) {
		cond_skip_blanks(&cp);
		if (*cp.p) {
			cond_fail(&cp, cp.p, "unexpected text at the end of the condition "
			          "(expected '&&', '||' or the end, found %s)",
			          cond_found(cp.p, fb, sizeof(fb)));
			val = -1;
		}
	}
	if (val < 0) {
		*errpos = cp.errpos;
		return -1;
	}
	*result = val;
	return 0;
}
