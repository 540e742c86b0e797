/*
 * lint-opts.c: option lists of bind, server, default-server and
 * server-template lines, checked against the manual's sections 5.1 and 5.2
 * (names, how many words each takes, the values cfgc knows).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "kw.h"
#include "lint.h"
#include "lint-tab.h"
#include "suggest.h"
#include "units.h"

/* The option named by `w` in `tab`: exact, or "name(" for an option whose
 * name carries an argument ("set-proxy-v2-tlv-fmt(0x20)"). */
static const struct lint_opt *opt_find(const struct lint_opt *tab, size_t n,
                                       const char *w)
{
	const char *paren = strchr(w, '(');

	for (size_t i = 0; i < n; i++) {
		const char *name = tab[i].name;
		size_t len = strlen(name);

		if (!strcmp(name, w))
			return &tab[i];
		if (paren && name[len - 1] == '(' &&
		    (size_t)(paren - w) + 1 == len && !strncmp(name, w, len))
			return &tab[i];
	}
	return NULL;
}

/* Options taking one of a fixed set of values (sections 5.1, 5.2). */
static const struct {
	const char *opt;
	uint32_t sec;              /* KW_SEC_BIND and/or KW_SEC_SERVER */
	int list;                  /* a comma-separated list of them */
	const char *const *values; /* NULL-terminated; "*ip" allows an IP */
	const char *usage;
} opt_enums[] = {
	{ "init-addr", KW_SEC_SERVER, 1,
	  (const char *const[]){ "last", "libc", "none", "*ip", NULL },
	  "a list of last, libc, none or IP addresses" },
	{ "observe", KW_SEC_SERVER, 0,
	  (const char *const[]){ "none", "layer4", "layer7", NULL },
	  "none, layer4 or layer7" },
	{ "on-error", KW_SEC_SERVER, 0,
	  (const char *const[]){ "fastinter", "fail-check", "sudden-death",
	                         "mark-down", NULL },
	  "fastinter, fail-check, sudden-death or mark-down" },
	{ "on-marked-down", KW_SEC_SERVER, 0,
	  (const char *const[]){ "shutdown-sessions", NULL },
	  "shutdown-sessions" },
	{ "on-marked-up", KW_SEC_SERVER, 0,
	  (const char *const[]){ "shutdown-backup-sessions", NULL },
	  "shutdown-backup-sessions" },
	{ "ws", KW_SEC_SERVER, 0,
	  (const char *const[]){ "auto", "h1", "h2", NULL }, "auto, h1 or h2" },
	{ "init-state", KW_SEC_SERVER, 0,
	  (const char *const[]){ "fully-up", "up", "down", "fully-down",
	                         "none", NULL },
	  "fully-up, up, down, fully-down or none" },
	{ "resolve-prefer", KW_SEC_SERVER, 0,
	  (const char *const[]){ "ipv4", "ipv6", NULL }, "ipv4 or ipv6" },
	{ "log-proto", KW_SEC_SERVER, 0,
	  (const char *const[]){ "legacy", "octet-count", NULL },
	  "legacy or octet-count" },
	{ "ktls", KW_SEC_SERVER | KW_SEC_BIND, 0,
	  (const char *const[]){ "on", "off", NULL }, "on or off" },
	{ "level", KW_SEC_BIND, 0,
	  (const char *const[]){ "user", "operator", "admin", NULL },
	  "user, operator or admin" },
	{ "severity-output", KW_SEC_BIND, 0,
	  (const char *const[]){ "none", "number", "string", NULL },
	  "none, number or string" },
	{ "proto", KW_SEC_BIND, 0,
	  (const char *const[]){ "h1", "h2", "none", NULL },
	  "a multiplexer protocol for a TCP listener: h1, h2 or none" },
	{ "proto", KW_SEC_SERVER, 0,
	  (const char *const[]){ "h1", "h2", "fcgi", "spop", "none", NULL },
	  "a multiplexer protocol: h1, h2, fcgi, spop or none" },
	{ "quic-socket", KW_SEC_BIND, 0,
	  (const char *const[]){ "connection", "listener", NULL },
	  "connection or listener" },
};

/* 1 when `v` (or, for a list, each comma-separated item) is one of
 * `values`; "*ip" accepts anything starting like an address. */
static int opt_in(const char *const *values, const char *v, int list)
{
	while (*v) {
		size_t len = list ? strcspn(v, ",") : strlen(v);
		int ok = 0;

		for (size_t i = 0; values[i] && !ok; i++) {
			if (!strcmp(values[i], "*ip"))
				ok = len > 0 && (strchr("0123456789[", v[0]) ||
				                 memchr(v, ':', len));
			else
				ok = strlen(values[i]) == len && !strncmp(values[i], v, len);
		}
		if (!ok)
			return 0;
		v += len;
		if (*v == ',')
			v++;
	}
	return 1;
}

/*
 * Integer options HAProxy reads with atol() (leading digits, else 0) and
 * then checks against a range; `int32` when it stores the value in an int
 * first, so that 2147483648 wraps to a negative number as in HAProxy
 * (manual sections 5.1 and 5.2; the ranges are HAProxy's messages').
 */
static const struct {
	const char *opt;
	uint32_t sec;              /* KW_SEC_BIND and/or KW_SEC_SERVER */
	long long min, max;
	int int32;
	const char *words[3];      /* words also accepted, NULL-terminated */
} opt_ranges[] = {
	{ .opt = "nice", .sec = KW_SEC_BIND, .min = -1024, .max = 1024,
	  .int32 = 1 },
	{ .opt = "id", .sec = KW_SEC_BIND, .min = 1, .max = INT32_MAX,
	  .int32 = 1 },
	{ .opt = "id", .sec = KW_SEC_SERVER, .min = 1, .max = UINT32_MAX },
	{ .opt = "shards", .sec = KW_SEC_BIND, .min = 1, .max = INT32_MAX,
	  .int32 = 1, .words = { "by-thread", "by-group", NULL } },
};

static unsigned opt_range(struct sema *s, const char *opt,
                          const struct ast_word *v, uint32_t sec)
{
	for (size_t i = 0; i < sizeof(opt_ranges) / sizeof(opt_ranges[0]); i++) {
		long long val;

		if (strcmp(opt_ranges[i].opt, opt) || !(opt_ranges[i].sec & sec))
			continue;
		for (size_t k = 0; opt_ranges[i].words[k]; k++)
			if (!strcmp(opt_ranges[i].words[k], v->text))
				return 0;
		val = strtoll(v->text, NULL, 10);
		if (opt_ranges[i].int32)
			val = (int32_t)(uint32_t)(unsigned long long)val;
		if (val >= opt_ranges[i].min && val <= opt_ranges[i].max)
			return 0;
		diag_error(s->dc, &v->loc, "out-of-range",
		           "'%s' expects a value from %lld to %lld, found '%s' "
		           "(HAProxy reads %lld)", opt, opt_ranges[i].min,
		           opt_ranges[i].max, v->text, val);
		return 1;
	}
	return 0;
}

/* Values of the options whose domain cfgc knows. Returns errors queued. */
static unsigned opt_value(struct sema *s, const char *opt,
                          const struct ast_word *v, uint32_t sec)
{
	if (opt_range(s, opt, v, sec))
		return 1;
	static const char *const times[] = {
		"inter", "fastinter", "downinter", "agent-inter", "slowstart",
		"pool-purge-delay", "idle-ping", "tcp-ut", NULL,
	};

	if (!strcmp(opt, "rise") || !strcmp(opt, "fall")) {
		/* read with atol(): no digits gives 0, refused */
		if (atol(v->text) <= 0) {
			diag_error(s->dc, &v->loc, "out-of-range",
			           "'%s' expects a number of checks above 0, found "
			           "'%s'", opt, v->text);
			return 1;
		}
		return 0;
	}
	for (size_t i = 0; times[i]; i++) {
		uint32_t ms;

		if (strcmp(times[i], opt))
			continue;
		if (kw_time_arg(s, v, 1, opt, &ms) < 0)
			return 1;
		return 0;
	}
	if (!strcmp(opt, "ssl-min-ver") || !strcmp(opt, "ssl-max-ver")) {
		static const char *const vers[] = {
			"SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3",
		};

		for (size_t i = 0; i < sizeof(vers) / sizeof(vers[0]); i++)
			if (!strcmp(vers[i], v->text))
				return 0;
		diag_error(s->dc, &v->loc, "invalid-value",
		           "'%s': unknown SSL/TLS version '%s' (expected SSLv3, "
		           "TLSv1.0, TLSv1.1, TLSv1.2 or TLSv1.3)", opt, v->text);
		return 1;
	}
	for (size_t i = 0; i < sizeof(opt_enums) / sizeof(opt_enums[0]); i++) {
		if (strcmp(opt_enums[i].opt, opt) ||
		    !(opt_enums[i].sec & sec))
			continue;
		if (opt_in(opt_enums[i].values, v->text, opt_enums[i].list))
			return 0;
		diag_error(s->dc, &v->loc, "invalid-value",
		           "'%s' expects %s, found '%s'", opt, opt_enums[i].usage,
		           v->text);
		return 1;
	}
	if (!strcmp(opt, "verify")) {
		int bind = sec & KW_SEC_BIND;

		if (!strcmp(v->text, "none") || !strcmp(v->text, "required") ||
		    (bind && !strcmp(v->text, "optional")))
			return 0;
		diag_error(s->dc, &v->loc, "invalid-value",
		           "'verify' expects %s, found '%s'",
		           bind ? "none, optional or required" : "none or required",
		           v->text);
		return 1;
	}
	return 0;
}

/* An unknown option: the error, with a spelling hint from the table. */
static void opt_unknown(struct sema *s, const struct ast_word *w,
                        const struct lint_opt *tab, size_t n, uint32_t sec)
{
	const char *where = (sec & KW_SEC_BIND) ? "bind" : "server";
	struct suggest sg;
	const char *hint;

	diag_error(s->dc, &w->loc, "unknown-keyword",
	           "unknown %s option '%s' (expected an option of HAProxy "
	           "manual section %s)", where, w->text,
	           (sec & KW_SEC_BIND) ? "5.1" : "5.2");
	if (strchr(w->text, ':') || (w->text[0] >= '0' && w->text[0] <= '9')) {
		diag_hint(s->dc, "'%s' looks like an address; default-server "
		          "lines take options only", w->text);
		return;
	}
	suggest_init(&sg, w->text);
	for (size_t i = 0; i < n; i++)
		suggest_offer(&sg, tab[i].name);
	hint = suggest_result(&sg);
	if (hint)
		diag_hint(s->dc, "did you mean '%s'?", hint);
}

int lint_option_known(const char *name, uint32_t sec)
{
	if (sec & KW_SEC_BIND)
		return opt_find(lint_bind_opts, lint_bind_opts_count, name) != NULL;
	if (sec & KW_SEC_SERVER)
		return opt_find(lint_server_opts, lint_server_opts_count,
		                name) != NULL;
	return 0;
}

unsigned lint_options(struct sema *s, const struct ast_word *w, size_t n,
                      uint32_t sec)
{
	const struct lint_opt *tab = (sec & KW_SEC_BIND) ? lint_bind_opts :
	                             lint_server_opts;
	size_t ntab = (sec & KW_SEC_BIND) ? lint_bind_opts_count :
	              lint_server_opts_count;
	unsigned errors = 0;

	for (size_t i = 0; i < n; i++) {
		const struct lint_opt *o = opt_find(tab, ntab, w[i].text);

		if (!o) {
			opt_unknown(s, &w[i], tab, ntab, sec);
			return errors + 1;      /* what follows cannot be read */
		}
		if (o->nargs == 0)
			continue;
		if (i + 1 >= n) {
			diag_error(s->dc, &w[i].loc, "missing-argument",
			           "%s option '%s' expects a value, found nothing",
			           (sec & KW_SEC_BIND) ? "bind" : "server", w[i].text);
			return errors + 1;
		}
		errors += opt_value(s, o->name, &w[i + 1], sec);
		i++;
		/* source ADDR [usesrc ADDR] [interface NAME] */
		if (!strcmp(o->name, "source"))
			while (i + 2 < n && (!strcmp(w[i + 1].text, "usesrc") ||
			                     !strcmp(w[i + 1].text, "interface")))
				i += 2;
	}
	return errors;
}
