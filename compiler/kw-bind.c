/*
 * kw-bind.c: `bind ADDRESS[,ADDRESS...] [options]`, one listener per port.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/un.h>
#include "addr.h"
#include "diag.h"
#include "kw.h"
#include "kw-ssl.h"
#include "plan_limits.h"
#include "model.h"
#include "sema.h"

/* backlog and maxconn: atol() into an int as in HAProxy, which refuses a
 * negative value only (2147483648 wraps to one; 99999999999 wraps to a
 * positive value HAProxy then uses). `what` names the option. */
static int bind_count(struct sema *s, const struct ast_word *arg,
                      const char *what, uint32_t *out)
{
	const char *p = arg->text;
	long long raw;
	int32_t wrapped;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '-' && p[1] >= '1' && p[1] <= '9') {
		diag_error(s->dc, &arg->loc, "out-of-range",
		           "bind option '%s' expects a count of at least 0, found "
		           "'%s'", what, arg->text);
		return -1;
	}
	raw = strtoll(p, NULL, 10);
	wrapped = (int32_t)(uint32_t)(unsigned long long)raw;
	if (wrapped < 0 ||
	    (uint32_t)wrapped > plan_limits[PLAN_LIM_BIND_COUNT].max) {
		diag_error(s->dc, &arg->loc, "out-of-range",
		           "bind option '%s' expects a count from 0 to 2147483647, "
		           "found '%s' (HAProxy reads it as %d)", what, arg->text,
		           (int)wrapped);
		return -1;
	}
	*out = kw_lenient_count(s, arg, what);
	if (raw > INT32_MAX)
		*out = (uint32_t)wrapped;
	return 0;
}

/* The bind options cfgc compiles, read into the template listener. */
static int bopt_backlog(struct sema *s, struct model_listener *l,
                        const struct ast_word *arg)
{
	return bind_count(s, arg, "backlog", &l->backlog);
}

static int bopt_maxconn(struct sema *s, struct model_listener *l,
                        const struct ast_word *arg)
{
	return bind_count(s, arg, "maxconn", &l->maxconn);
}

/* name NAME: HAProxy shows it only in per-listener statistics (option
 * socket-stats, which cfgc does not compile), so it changes nothing that
 * cfgrun does; checked to be a word and dropped. */
static int bopt_name(struct sema *s, struct model_listener *l,
                     const struct ast_word *arg)
{
	(void)l;
	if (!arg->text[0]) {
		diag_error(s->dc, &arg->loc, "missing-argument",
		           "bind option 'name' expects a name, found an empty word");
		return -1;
	}
	return 0;
}

/* A flag option sets `set` and takes no argument; the others take one
 * argument read by `parse`. */
static const struct bind_opt {
	const char *name;
	const char *usage;
	int (*parse)(struct sema *s, struct model_listener *l,
	             const struct ast_word *arg);
	uint32_t set;
} bind_opts[] = {
	{ .name = "accept-proxy", .set = PLAN_LSN_F_ACCEPT_PROXY },
	{ .name = "backlog", .usage = "a queue length", .parse = bopt_backlog },
	{ .name = "maxconn", .usage = "a number of connections",
	  .parse = bopt_maxconn },
	{ .name = "name", .usage = "a name", .parse = bopt_name },
	{ .name = "v4v6", .set = PLAN_LSN_F_V4V6 },
	{ .name = "tfo", .set = PLAN_LSN_F_TFO },
	{ .name = "v6only", .set = PLAN_LSN_F_V6ONLY },
};

/* The options after the address, from args[2], into `l`. */
static int bind_options(struct sema *s, struct model_listener *l,
                        const struct ast_stmt *st)
{
	struct model_tls_bind tls;
	size_t i = 2;
	int ssl = 0, ret = 0;

	memset(&tls, 0, sizeof(tls));
	while (i < st->nargs) {
		const struct ast_word *w = &st->args[i];
		const struct bind_opt *o = NULL;
		int r = kw_ssl_bind_option(s, &tls, st, &i, &ssl);

		if (r < 0) {
			ret = -1;
			/* the other TLS options are still checked */
			continue;
		}
		if (r > 0)
			continue;

		for (size_t k = 0; k < sizeof(bind_opts) / sizeof(bind_opts[0]); k++)
			if (!strcmp(bind_opts[k].name, w->text))
				o = &bind_opts[k];
		if (!o) {
			/* what follows may be its arguments: not guessed at */
			kw_report_uncompiled(s, w, st->nargs - i, KW_SEC_BIND,
			                     "bind");
			model_tls_bind_free(&tls);
			return -1;
		}
		if (!o->parse) {
			/* v4v6 and v6only: the last one given wins, as in
			 * HAProxy */
			if (o->set & (PLAN_LSN_F_V4V6 | PLAN_LSN_F_V6ONLY))
				l->flags &= ~(PLAN_LSN_F_V4V6 | PLAN_LSN_F_V6ONLY);
			l->flags |= o->set;
			i++;
			continue;
		}
		if (i + 1 >= st->nargs) {
			diag_error(s->dc, &w->loc, "missing-argument",
			           "bind option '%s' expects %s, found nothing",
			           w->text, o->usage);
			model_tls_bind_free(&tls);
			return -1;
		}
		if (o->parse(s, l, &st->args[i + 1]) < 0)
			ret = -1;
		i += 2;
	}
	if (ret < 0) {
		model_tls_bind_free(&tls);
		return -1;
	}
	return kw_ssl_bind_finish(s, &tls, st, ssl, &l->tls);
}

/* unix-bind prefix: put before the path of a unix socket address; 0, or
 * -1 after the error when the result does not fit. */
static int bind_unix_prefix(struct sema *s, const struct ast_word *w,
                            struct plan_addr *a)
{
	struct sockaddr_un *un = (struct sockaddr_un *)(void *)a->sa;
	const char *pfx = s->m->unix_prefix;
	size_t pl, l;
	char path[sizeof(un->sun_path)];

	if (!pfx || a->family != PLAN_FAM_UNIX)
		return 0;
	pl = strlen(pfx);
	l = strnlen(un->sun_path, sizeof(un->sun_path));
	if (pl + l >= sizeof(un->sun_path)) {
		diag_error(s->dc, &w->loc, "invalid-address",
		           "'bind %s': with the unix-bind prefix '%s' the path "
		           "is %zu bytes, more than a unix socket takes (%zu)",
		           w->text, pfx, pl + l, sizeof(un->sun_path) - 1);
		return -1;
	}
	memcpy(path, pfx, pl);
	memcpy(path + pl, un->sun_path, l + 1);
	memcpy(un->sun_path, path, pl + l + 1);
	a->salen = (uint16_t)(offsetof(struct sockaddr_un, sun_path) + pl + l + 1);
	return 0;
}

int kw_bind(struct sema *s, const struct ast_stmt *st)
{
	struct model_proxy *px = sema_proxy(s);
	const struct ast_word *w = &st->args[1];
	struct addr_spec *specs = NULL;
	size_t n = 0, ecol = 0;
	char err[256];
	struct model_listener tmpl;
	int ret = 0;

	/* a host name is resolved when a plan is written (HAProxy resolves
	 * it at start); the check alone (cfgc -c) touches no network */
	if (addr_parse_list(w->text, ADDR_USE_BIND, s->addr_opts & ADDR_RESOLVE,
	                    &specs, &n, err,
	                    sizeof(err), &ecol) < 0) {
		struct src_loc loc = kw_word_loc_at(w, ecol);

		diag_error(s->dc, &loc, "invalid-address", "'bind': %s", err);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (bind_unix_prefix(s, w, &specs[i].addr) < 0) {
			free(specs);
			return -1;
		}
	memset(&tmpl, 0, sizeof(tmpl));
	/* options cfgc does not compile are no error for --target=haproxy:
	 * the listeners exist all the same */
	unsigned errors = s->dc->nerrors;

	if (bind_options(s, &tmpl, st) < 0 && s->dc->nerrors > errors)
		ret = -1;
	/* the listeners exist even after a refused option, so that a
	 * frontend is not also reported as having no bind line */
	for (size_t i = 0; i < n && !s->oom; i++) {
		const struct addr_spec *a = &specs[i];
		int inet = a->addr.family == PLAN_FAM_INET ||
		           a->addr.family == PLAN_FAM_INET6;
		uint32_t lo = inet ? a->port_lo : 0, hi = inet ? a->port_hi : 0;

		for (uint32_t port = lo; port <= hi; port++) {
			struct model_listener *l = model_proxy_add_listener(px);

			if (!l) {
				s->oom = 1;
				ret = -1;
				break;
			}
			*l = tmpl;
			l->addr = a->addr;
			l->line = st->args[0].loc.line;
			if (inet)
				addr_set_port(&l->addr, (uint16_t)port);
		}
	}
	free(specs);
	return ret;
}
