/*
 * kw-option.c: `option NAME [args]` and `no option NAME` in proxy
 * sections, with the options cfgc compiles in one table.
 */
#include <string.h>
#include "diag.h"
#include "kw.h"
#include "sema.h"

#define FE_SECS (KW_SEC_DEFAULTS | KW_SEC_FRONTEND | KW_SEC_LISTEN)
#define BE_SECS (KW_SEC_DEFAULTS | KW_SEC_BACKEND | KW_SEC_LISTEN)
#define ALL_SECS KW_SEC_PROXIES

/* An option: a flag of the proxy (`flag`), or a handler for the ones with
 * arguments. `args` is the words after the option name. */
struct opt_def {
	const char *name;          /* word after `option` */
	uint32_t sections;         /* KW_SEC_* where it applies */
	uint32_t warn_sections;    /* KW_SEC_* where HAProxy ignores it */
	int negatable;             /* `no option NAME` allowed */
	unsigned max_args;         /* words after the name, at most */
	uint32_t flag;             /* PLAN_PX_F_* for a flag option */
	uint32_t http_flag;        /* PLAN_HTTP_F_* for an HTTP flag option */
	int (*parse)(struct sema *s, const struct ast_stmt *st, size_t args,
	             int negate);  /* 0, or -1 after an error */
};

/* option redispatch [<interval>]: the plan knows HAProxy's default, a
 * redispatch on the last retry (-1), and 0, which disables it. */
static int opt_redispatch(struct sema *s, const struct ast_stmt *st,
                          size_t args, int negate)
{
	const char *v = args < st->nargs ? st->args[args].text : "-1";

	if (negate || !strcmp(v, "0")) {
		s->set->flags &= ~PLAN_PX_F_REDISPATCH;
		return 0;
	}
	if (strcmp(v, "-1")) {
		diag_error(s->dc, &st->args[args].loc, "unsupported",
		           "'option redispatch %s' is not supported by cfgc yet: "
		           "expected no interval, -1 (the last retry) or 0 (never)",
		           v);
		return -1;
	}
	s->set->flags |= PLAN_PX_F_REDISPATCH;
	return 0;
}

static const struct opt_def opt_table[] = {
	{ .name = "abortonclose", .sections = ALL_SECS, .negatable = 1,
	  .http_flag = PLAN_HTTP_F_ABORTONCLOSE },
	{ .name = "allbackups", .sections = BE_SECS,
	  .warn_sections = KW_SEC_FRONTEND, .negatable = 1,
	  .flag = PLAN_PX_F_ALLBACKUPS },
	{ .name = "logasap", .sections = FE_SECS,
	  .warn_sections = KW_SEC_BACKEND, .negatable = 1,
	  .flag = PLAN_PX_F_LOGASAP },
	{ .name = "dontlognull", .sections = FE_SECS,
	  .warn_sections = KW_SEC_BACKEND, .negatable = 1,
	  .flag = PLAN_PX_F_DONTLOGNULL },
	{ .name = "clitcpka", .sections = FE_SECS,
	  .warn_sections = KW_SEC_BACKEND, .negatable = 1,
	  .flag = PLAN_PX_F_CLITCPKA },
	{ .name = "dontlog-normal", .sections = FE_SECS,
	  .warn_sections = KW_SEC_BACKEND, .negatable = 1,
	  .http_flag = PLAN_HTTP_F_DONTLOG_NORMAL },
	{ .name = "forwardfor", .sections = ALL_SECS,
	  .max_args = 5, .parse = kw_option_forwardfor },
	{ .name = "http-buffer-request", .sections = ALL_SECS, .negatable = 1,
	  .http_flag = PLAN_HTTP_F_BUFFER_REQUEST },
	{ .name = "http-ignore-probes", .sections = FE_SECS,
	  .warn_sections = KW_SEC_BACKEND, .negatable = 1,
	  .http_flag = PLAN_HTTP_F_IGNORE_PROBES },
	{ .name = "http-keep-alive", .sections = ALL_SECS, .negatable = 1,
	  .parse = kw_option_conn_mode },
	{ .name = "http-no-delay", .sections = ALL_SECS, .negatable = 1,
	  .http_flag = PLAN_HTTP_F_NO_DELAY },
	{ .name = "http-server-close", .sections = ALL_SECS, .negatable = 1,
	  .parse = kw_option_conn_mode },
	{ .name = "httpclose", .sections = ALL_SECS, .negatable = 1,
	  .parse = kw_option_conn_mode },
	{ .name = "httplog", .sections = FE_SECS,
	  .warn_sections = KW_SEC_BACKEND, .negatable = 1, .max_args = 1,
	  .parse = kw_option_httplog },
	{ .name = "httpslog", .sections = FE_SECS,
	  .warn_sections = KW_SEC_BACKEND, .negatable = 1,
	  .parse = kw_option_httpslog },
	{ .name = "httpchk", .sections = BE_SECS,
	  .warn_sections = KW_SEC_FRONTEND, .max_args = 4,
	  .parse = kw_option_httpchk },
	{ .name = "ldap-check", .sections = BE_SECS,
	  .warn_sections = KW_SEC_FRONTEND, .parse = kw_option_ldap_check },
	{ .name = "log-health-checks", .sections = BE_SECS,
	  .warn_sections = KW_SEC_FRONTEND, .negatable = 1,
	  .flag = PLAN_PX_F_LOG_HEALTH_CHECKS },
	{ .name = "log-separate-errors", .sections = FE_SECS,
	  .warn_sections = KW_SEC_BACKEND, .negatable = 1,
	  .http_flag = PLAN_HTTP_F_LOG_SEPARATE_ERRORS },
	{ .name = "mysql-check", .sections = BE_SECS,
	  .warn_sections = KW_SEC_FRONTEND, .max_args = 3,
	  .parse = kw_option_mysql_check },
	{ .name = "originalto", .sections = ALL_SECS,
	  .max_args = 4, .parse = kw_option_originalto },
	{ .name = "pgsql-check", .sections = BE_SECS,
	  .warn_sections = KW_SEC_FRONTEND, .max_args = 2,
	  .parse = kw_option_pgsql_check },
	{ .name = "prefer-last-server", .sections = BE_SECS,
	  .warn_sections = KW_SEC_FRONTEND, .negatable = 1,
	  .flag = PLAN_PX_F_PREFER_LAST },
	{ .name = "redis-check", .sections = BE_SECS,
	  .warn_sections = KW_SEC_FRONTEND, .parse = kw_option_redis_check },
	{ .name = "redispatch", .sections = BE_SECS,
	  .warn_sections = KW_SEC_FRONTEND, .negatable = 1, .max_args = 1,
	  .parse = opt_redispatch },
	{ .name = "smtpchk", .sections = BE_SECS,
	  .warn_sections = KW_SEC_FRONTEND, .max_args = 2,
	  .parse = kw_option_smtpchk },
	{ .name = "srvtcpka", .sections = BE_SECS,
	  .warn_sections = KW_SEC_FRONTEND, .negatable = 1,
	  .flag = PLAN_PX_F_SRVTCPKA },
	{ .name = "tcp-check", .sections = BE_SECS,
	  .warn_sections = KW_SEC_FRONTEND, .parse = kw_option_tcp_check },
	{ .name = "tcpka", .sections = ALL_SECS, .negatable = 1,
	  .flag = PLAN_PX_F_CLITCPKA | PLAN_PX_F_SRVTCPKA },
	{ .name = "tcplog", .sections = FE_SECS,
	  .warn_sections = KW_SEC_BACKEND, .max_args = 1,
	  .parse = kw_option_tcplog },
};

/* `[no] option NAME ...` with NAME at args[base]. */
static int option_run(struct sema *s, const struct ast_stmt *st, size_t base,
                      int negate)
{
	const struct ast_word *nw = &st->args[base];
	const struct opt_def *o = NULL;
	struct model_proxy *px = sema_proxy(s);

	for (size_t i = 0; i < sizeof(opt_table) / sizeof(opt_table[0]); i++)
		if (!strcmp(opt_table[i].name, nw->text))
			o = &opt_table[i];
	if (!o) {
		kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
		return -1;
	}
	if (negate && !o->negatable) {
		struct src_loc loc = kw_span(st->args, 0, base);

		diag_error(s->dc, &loc, "not-negatable",
		           "'no option %s' is not possible: option '%s' cannot "
		           "be negated", o->name, o->name);
		return -1;
	}
	/* a condition after an option: HAProxy ignores it (sema warned) */
	if (st->nargs - base - 1 > o->max_args) {
		struct src_loc loc = kw_span(st->args, base + 1 + o->max_args,
		                             st->nargs - 1);

		diag_error(s->dc, &loc, "extra-argument",
		           "'option %s' expects %s, found an extra argument '%s'",
		           o->name, o->max_args ? "fewer arguments" : "no argument",
		           st->args[base + 1 + o->max_args].text);
		return -1;
	}
	if (negate && (o->warn_sections & s->sec)) {
		/* HAProxy refuses it where it would only warn of `option` */
		struct src_loc loc = kw_span(st->args, 0, base);

		diag_error(s->dc, &loc, "not-negatable",
		           "'no option %s' in %s '%s': HAProxy refuses to negate "
		           "an option this section cannot use (it has no %s "
		           "capability)", o->name, s->sec_label, px ? px->name : "",
		           s->sec == KW_SEC_BACKEND ? "frontend" : "backend");
		return -1;
	}
	if (o->warn_sections & s->sec) {
		struct src_loc loc = kw_span(st->args, 0, base);

		diag_warning(s->dc, &loc, "ignored",
		             "'option %s' ignored because %s '%s' has no %s "
		             "capability", o->name, s->sec_label,
		             px ? px->name : "",
		             s->sec == KW_SEC_BACKEND ? "frontend" : "backend");
		return 0;
	}
	if (o->parse)
		return o->parse(s, st, base + 1, negate);
	if (negate) {
		s->set->flags &= ~o->flag;
		s->set->http.flags &= ~o->http_flag;
	} else {
		s->set->flags |= o->flag;
		s->set->http.flags |= o->http_flag;
	}
	return 0;
}

int kw_option(struct sema *s, const struct ast_stmt *st)
{
	if (st->nargs < 2) {
		diag_error(s->dc, &st->args[0].loc, "missing-argument",
		           "'option' expects an option name such as 'redispatch' "
		           "or 'httpchk', found nothing");
		return -1;
	}
	return option_run(s, st, 1, 0);
}

int kw_no(struct sema *s, const struct ast_stmt *st)
{
	if (st->nargs >= 3 && !strcmp(st->args[1].text, "option"))
		return option_run(s, st, 2, 1);
	if (st->nargs >= 2 && !strcmp(st->args[1].text, "log"))
		return kw_no_log(s, st);
	if (st->nargs == 2 && !strcmp(st->args[1].text, "option")) {
		diag_error(s->dc, &st->args[1].loc, "missing-argument",
		           "'no option' expects an option name such as "
		           "'redispatch', found nothing");
		return -1;
	}
	if (st->nargs < 2) {
		diag_error(s->dc, &st->args[0].loc, "missing-argument",
		           "'no' expects 'option <name>' or 'log', found nothing");
		return -1;
	}
	kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
	return -1;
}
