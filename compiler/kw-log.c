/*
 * kw-log.c: `log` lines (global and proxies), `no log`, `option tcplog`.
 *
 *   log global
 *   log TARGET [len N] [format F] FACILITY [LEVEL [MINLEVEL]]
 *
 * TARGET: stdout, stderr, fd@N, an IPv4/IPv6 address (udp@ or none;
 * port 514 when not given) or a unix datagram socket path.
 */
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "diag.h"
#include "kw.h"
#include "model.h"
#include "sema.h"
#include "suggest.h"
#include "units.h"

/* Indexed by facility number, as syslog numbers them. */
const char *const kw_log_facilities[KW_LOG_NFACILITIES] = {
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
	"uucp", "cron", "auth2", "ftp", "ntp", "audit", "alert", "cron2",
	"local0", "local1", "local2", "local3", "local4", "local5", "local6",
	"local7",
};

/* Indexed by level number. */
const char *const kw_log_levels[KW_LOG_NLEVELS] = {
	"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
};

/* Formats HAProxy knows: the plan's number, or -1 when cfgc does not
 * compile it. `local` (the default) and rfc3164 share number 0. */
static const struct {
	const char *name;
	int plan;
} log_formats[] = {
	{ "local", 0 }, { "rfc3164", 0 }, { "rfc5424", 1 }, { "raw", 2 },
	{ "priority", -1 }, { "short", -1 }, { "timed", -1 }, { "iso", -1 },
};

/* Index of `w` in `names[n]`, or -1 after an error naming `what` with
 * `example` as an example. */
static int log_lookup(struct sema *s, const struct ast_word *w,
                      const char *const *names, size_t n, const char *what,
                      const char *example)
{
	struct suggest sg;
	const char *hint;

	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], w->text))
			return (int)i;
	diag_error(s->dc, &w->loc, "invalid-value",
	           "'log' expects a syslog %s such as '%s', found '%s'", what,
	           example, w->text);
	suggest_init(&sg, w->text);
	for (size_t i = 0; i < n; i++)
		suggest_offer(&sg, names[i]);
	hint = suggest_result(&sg);
	if (hint)
		diag_hint(s->dc, "did you mean '%s'?", hint);
	return -1;
}

/* The target word into `l`. Returns 0 or -1 after an error. */
static int log_target(struct sema *s, const struct ast_word *w,
                      struct model_log *l)
{
	static const char *const later[] = {
		"ring@", "backend@", "tcp@", "tcp4@", "tcp6@", "uxst@",
		"stream+", "mptcp", "sockpair@",
	};
	struct addr_spec *specs = NULL;
	size_t n = 0, ecol = 0;
	char err[256];
	int ret = 0;

	if (!strcmp(w->text, "stdout") || !strcmp(w->text, "stderr") ||
	    !strncmp(w->text, "fd@", 3)) {
		uint64_t fd = w->text[3] == 'o' ? 1 : 2;

		if (w->text[2] == '@' &&
		    units_parse_uint_msg(w->text + 3, 0, INT32_MAX, &fd, err,
		                         sizeof(err), &ecol) < 0) {
			struct src_loc loc = kw_word_loc_at(w, 3 + ecol);

			diag_error(s->dc, &loc, "invalid-address",
			           "'log fd@': expected a descriptor number: %s", err);
			return -1;
		}
		l->target = PLAN_LOGT_FD;
		l->addr.family = PLAN_FAM_FD;
		l->addr.fd = (uint32_t)fd;
		return 0;
	}
	for (size_t i = 0; i < sizeof(later) / sizeof(later[0]); i++) {
		if (!strncmp(w->text, later[i], strlen(later[i]))) {
			diag_error(s->dc, &w->loc, "unsupported",
			           "log targets '%s...' (rings, log backends, stream "
			           "syslog) are not supported by cfgc yet (HAProxy "
			           "manual section 4.2, 'log')", later[i]);
			return -1;
		}
	}
	if (addr_parse_list(w->text, ADDR_USE_SERVER, s->addr_opts | ADDR_DGRAM_OK,
	                    &specs, &n, err, sizeof(err), &ecol) < 0) {
		struct src_loc loc = kw_word_loc_at(w, ecol);

		diag_error(s->dc, &loc, "invalid-address", "'log': %s", err);
		return -1;
	}
	l->addr = specs[0].addr;
	l->addr.proto = PLAN_PROTO_TCP;
	switch (l->addr.family) {
	case PLAN_FAM_INET:
	case PLAN_FAM_INET6:
	case PLAN_FAM_NONE:      /* an unresolved host name (check only) */
		if (specs[0].flags & ADDR_F_OFFSET) {
			diag_error(s->dc, &w->loc, "invalid-address",
			           "'log' expects a syslog address with a port, "
			           "found the port offset in '%s'", w->text);
			ret = -1;
			break;
		}
		l->target = PLAN_LOGT_UDP;
		if ((specs[0].flags & ADDR_F_NOPORT) &&
		    l->addr.family != PLAN_FAM_NONE)
			addr_set_port(&l->addr, 514);
		break;
	default:
		l->target = PLAN_LOGT_UNIX;
		break;
	}
	free(specs);
	return ret;
}

/* `log TARGET ...` from args[1] into a new entry of `logs`. */
static int log_line(struct sema *s, const struct ast_stmt *st,
                    struct model_log **logs, size_t *n, size_t *cap)
{
	struct model_log l;
	size_t i = 2;
	int v;

	memset(&l, 0, sizeof(l));
	l.line = st->args[0].loc.line;
	l.level = 7;
	if (log_target(s, &st->args[1], &l) < 0)
		return -1;
	while (i + 1 < st->nargs) {
		const struct ast_word *w = &st->args[i], *a = &st->args[i + 1];

		if (!strcmp(w->text, "len")) {
			/* read with atoi() by HAProxy: "2048g" is 2048 */
			uint32_t len = kw_lenient_count(s, a, "log ... len");

			if (len < 80 || len > 65535) {
				diag_error(s->dc, &a->loc, "out-of-range",
				           "'log ... len' expects a length from 80 to "
				           "65535, found '%s'", a->text);
				return -1;
			}
		} else if (!strcmp(w->text, "format")) {
			size_t k;

			for (k = 0; k < sizeof(log_formats) / sizeof(log_formats[0]); k++)
				if (!strcmp(log_formats[k].name, a->text))
					break;
			if (k == sizeof(log_formats) / sizeof(log_formats[0])) {
				diag_error(s->dc, &a->loc, "invalid-value",
				           "'log ... format' expects local, rfc3164, "
				           "rfc5424, priority, short, timed, iso or raw, "
				           "found '%s'", a->text);
				return -1;
			}
			if (log_formats[k].plan < 0) {
				diag_error(s->dc, &a->loc, "unsupported",
				           "log format '%s' is not supported by cfgc "
				           "yet (HAProxy manual section 4.2, 'log')",
				           a->text);
				return -1;
			}
			l.format = (uint32_t)log_formats[k].plan;
		} else if (!strcmp(w->text, "sample") ||
		           !strcmp(w->text, "profile")) {
			diag_error(s->dc, &w->loc, "unsupported",
			           "'log ... %s' is not supported by cfgc yet "
			           "(HAProxy manual section 4.2, 'log')", w->text);
			return -1;
		} else {
			break;
		}
		i += 2;
	}
	if (i >= st->nargs) {
		diag_error(s->dc, &st->args[st->nargs - 1].loc, "missing-argument",
		           "'log' expects a facility such as 'local0' or 'daemon' "
		           "after the target, found nothing");
		return -1;
	}
	if ((v = log_lookup(s, &st->args[i], kw_log_facilities,
	                    KW_LOG_NFACILITIES, "facility", "local0")) < 0)
		return -1;
	l.facility = (uint32_t)v;
	if (++i < st->nargs) {
		if ((v = log_lookup(s, &st->args[i], kw_log_levels,
		                    KW_LOG_NLEVELS, "level", "info")) < 0)
			return -1;
		l.level = (uint32_t)v;
	}
	if (++i < st->nargs &&
	    log_lookup(s, &st->args[i], kw_log_levels, KW_LOG_NLEVELS,
	               "minimum level", "emerg") < 0)
		return -1;
	if (++i < st->nargs) {
		struct src_loc loc = kw_span(st->args, i, st->nargs - 1);

		diag_error(s->dc, &loc, "extra-argument",
		           "'log' expects at most a facility, a level and a "
		           "minimum level after the target, found an extra "
		           "argument '%s'", st->args[i].text);
		return -1;
	}
	struct model_log *e = model_add_log(logs, n, cap);
	if (!e) {
		s->oom = 1;
		return -1;
	}
	*e = l;
	return 0;
}

int kw_log(struct sema *s, const struct ast_stmt *st)
{
	if (!s->set && !strcmp(st->args[1].text, "global")) {
		diag_error(s->dc, &st->args[1].loc, "not-allowed",
		           "'log global' belongs in proxy sections; the global "
		           "section expects 'log <target> ... <facility>'");
		return -1;
	}
	if (!s->set)
		return log_line(s, st, &s->m->logs, &s->m->nlogs, &s->m->logs_cap);
	if (!strcmp(st->args[1].text, "global")) {
		if (st->nargs > 2) {
			struct src_loc loc = kw_span(st->args, 2, st->nargs - 1);

			diag_error(s->dc, &loc, "extra-argument",
			           "'log global' takes no other argument, found '%s'",
			           st->args[2].text);
			return -1;
		}
		s->set->flags |= PLAN_PX_F_LOG_GLOBAL;
		return 0;
	}
	return log_line(s, st, &s->set->logs, &s->set->nlogs,
	                &s->set->logs_cap);
}

int kw_no_log(struct sema *s, const struct ast_stmt *st)
{
	if (st->nargs > 2) {
		struct src_loc loc = kw_span(st->args, 2, st->nargs - 1);

		diag_error(s->dc, &loc, "extra-argument",
		           "'no log' takes no argument, found '%s'",
		           st->args[2].text);
		return -1;
	}
	free(s->set->logs);
	s->set->logs = NULL;
	s->set->nlogs = s->set->logs_cap = 0;
	s->set->flags &= ~PLAN_PX_F_LOG_GLOBAL;
	return 0;
}

/* option tcplog [clf]: the clf variant is not compiled. */
int kw_option_tcplog(struct sema *s, const struct ast_stmt *st, size_t args,
                     int negate)
{
	(void)negate;
	if (args < st->nargs && strcmp(st->args[args].text, "clf")) {
		diag_error(s->dc, &st->args[args].loc, "invalid-value",
		           "'option tcplog' takes only 'clf' after it, found '%s'",
		           st->args[args].text);
		return -1;
	}
	if (args < st->nargs) {
		diag_error(s->dc, &st->args[args].loc, "unsupported",
		           "'option tcplog %s' is not supported by cfgc yet "
		           "(HAProxy manual section 4.2)", st->args[args].text);
		return -1;
	}
	s->set->flags |= PLAN_PX_F_LOG;
	/* one log format: tcplog replaces httplog, as in HAProxy */
	s->set->http.flags &= ~(PLAN_HTTP_F_HTTPLOG | PLAN_HTTP_F_HTTPLOG_CLF);
	free(s->set->http.log_format);
	s->set->http.log_format = NULL;
	s->set->http.httpslog = 0;
	return 0;
}
