/*
 * kw-server.c: `server NAME ADDRESS [options]`.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "diag.h"
#include "kw.h"
#include "plan_limits.h"
#include "model.h"
#include "sema.h"
#include "units.h"

/* See kw.h. */
const char *kw_name_bad_char(const char *name)
{
	for (const char *p = name; *p; p++) {
		char c = *p;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		      c == '.' || c == ':'))
			return p;
	}
	return NULL;
}

/* weight N: 0..256, read like atol() as HAProxy does. */
static int opt_weight(struct sema *s, struct model_server *srv,
                      const struct ast_word *arg)
{
	uint32_t v = kw_lenient_count(s, arg, "weight");

	if (v > plan_limits[PLAN_LIM_WEIGHT].max ||
	    (arg->text[0] == '-' && arg->text[1] >= '1' &&
	     arg->text[1] <= '9')) {
		diag_error(s->dc, &arg->loc, "out-of-range",
		           "'weight' expects a value from 0 to 256, found '%s'",
		           arg->text);
		return -1;
	}
	srv->weight = v;
	return 0;
}

static int opt_maxconn(struct sema *s, struct model_server *srv,
                       const struct ast_word *arg)
{
	srv->maxconn = kw_lenient_count(s, arg, "maxconn");
	return 0;
}

static int opt_minconn(struct sema *s, struct model_server *srv,
                       const struct ast_word *arg)
{
	srv->minconn = kw_lenient_count(s, arg, "minconn");
	return 0;
}

static int opt_maxqueue(struct sema *s, struct model_server *srv,
                        const struct ast_word *arg)
{
	srv->maxqueue = kw_lenient_count(s, arg, "maxqueue");
	return 0;
}

/* A check delay (inter, fastinter, downinter): a time, ms by default,
 * strictly positive. `what` names the option. */
static int check_delay(struct sema *s, const struct ast_word *arg,
                       const char *what, uint32_t *out)
{
	uint32_t ms;

	if (kw_time_arg(s, arg, 1, what, &ms) < 0)
		return -1;
	if (ms == 0) {
		diag_error(s->dc, &arg->loc, "out-of-range",
		           "'%s' expects a delay greater than zero, found '%s'",
		           what, arg->text);
		return -1;
	}
	*out = ms;
	return 0;
}

static int opt_inter(struct sema *s, struct model_server *srv,
                     const struct ast_word *arg)
{
	return check_delay(s, arg, "inter", &srv->inter);
}

static int opt_fastinter(struct sema *s, struct model_server *srv,
                         const struct ast_word *arg)
{
	return check_delay(s, arg, "fastinter", &srv->fastinter);
}

static int opt_downinter(struct sema *s, struct model_server *srv,
                         const struct ast_word *arg)
{
	return check_delay(s, arg, "downinter", &srv->downinter);
}

/* rise/fall N: atol() as in HAProxy, then at least 1. */
static int check_count(struct sema *s, const struct ast_word *arg,
                       const char *what, uint32_t *out)
{
	uint32_t v = kw_lenient_count(s, arg, what);

	if (v == 0) {
		diag_error(s->dc, &arg->loc, "out-of-range",
		           "'%s' expects a count of at least 1, found '%s'",
		           what, arg->text);
		return -1;
	}
	*out = v;
	return 0;
}

static int opt_rise(struct sema *s, struct model_server *srv,
                    const struct ast_word *arg)
{
	return check_count(s, arg, "rise", &srv->rise);
}

static int opt_fall(struct sema *s, struct model_server *srv,
                    const struct ast_word *arg)
{
	return check_count(s, arg, "fall", &srv->fall);
}

/* port N: the health-check port, 0..65535 (0: the server's own). */
static int opt_port(struct sema *s, struct model_server *srv,
                    const struct ast_word *arg)
{
	/* HAProxy reads it with atol() and keeps the low 16 bits */
	uint32_t v = kw_lenient_count(s, arg, "port");

	if (v > 65535) {
		diag_warning(s->dc, &arg->loc, "lenient-number",
		             "'port' expects a check port from 0 to 65535, found "
		             "'%s'; HAProxy uses %u", arg->text, v & 0xffffu);
		v &= 0xffffu;
	}
	srv->check_port = v;
	return 0;
}

/* addr IP: where health checks go instead of the server's address. */
static int opt_addr(struct sema *s, struct model_server *srv,
                    const struct ast_word *arg)
{
	struct addr_spec *specs = NULL;
	size_t n = 0, ecol = 0;
	char err[256];
	int ret = 0;

	if (addr_parse_list(arg->text, ADDR_USE_SERVER, s->addr_opts, &specs,
	                    &n, err, sizeof(err), &ecol) < 0) {
		struct src_loc loc = kw_word_loc_at(arg, ecol);

		diag_error(s->dc, &loc, "invalid-address", "'addr': %s", err);
		return -1;
	}
	if (specs[0].addr.family != PLAN_FAM_INET &&
	    specs[0].addr.family != PLAN_FAM_INET6 &&
	    !(specs[0].flags & ADDR_F_HOSTNAME)) {
		diag_error(s->dc, &arg->loc, "invalid-address",
		           "'addr' expects an IPv4 or IPv6 address, found '%s'",
		           arg->text);
		ret = -1;
	} else if (specs[0].flags & ADDR_F_OFFSET) {
		diag_error(s->dc, &arg->loc, "invalid-address",
		           "'addr' expects an address without a port offset, "
		           "found '%s'", arg->text);
		ret = -1;
	} else {
		srv->check_ip = specs[0].addr;
		if (specs[0].port_lo && !srv->check_port)
			srv->check_port = specs[0].port_lo;
		if (srv->check_ip.family != PLAN_FAM_NONE)
			addr_set_port(&srv->check_ip, 0);
	}
	free(specs);
	return ret;
}

/* cookie VALUE: the server's persistence cookie (server lines only). */
static int opt_cookie(struct sema *s, struct model_server *srv,
                      const struct ast_word *arg)
{
	char *v;

	if (!arg->text[0] || strchr(arg->text, '\n')) {
		diag_error(s->dc, &arg->loc, "invalid-value",
		           "server option 'cookie' expects a cookie value, found "
		           "'%s'", arg->text);
		return -1;
	}
	if (!(v = sema_strdup(s, arg->text)))
		return -1;
	free(srv->cookie);
	srv->cookie = v;
	return 0;
}

/* init-addr: a comma-separated list of last, libc, none and IP addresses
 * (applied by server_init_resolve() when the line's address is a name). */
static int opt_init_addr(struct sema *s, struct model_server *srv,
                         const struct ast_word *arg)
{
	const char *p = arg->text;

	while (1) {
		size_t len = strcspn(p, ",");
		char m[64];
		unsigned char ip[16];

		if (len == 0 || len >= sizeof(m))
			goto bad;
		memcpy(m, p, len);
		m[len] = 0;
		if (strcmp(m, "last") && strcmp(m, "libc") && strcmp(m, "none") &&
		    inet_pton(AF_INET, m, ip) != 1 && inet_pton(AF_INET6, m, ip) != 1)
			goto bad;
		p += len;
		if (!*p++)
			break;
	}
	srv->init_addr = arg->text;
	return 0;
bad:
	diag_error(s->dc, &arg->loc, "invalid-value",
	           "'init-addr' expects a comma-separated list of last, libc, "
	           "none or IP addresses, found '%s'", arg->text);
	return -1;
}

/* resolvers NAME: the server's name is resolved at run time through that
 * section, read before the proxies (an unknown name is reported by
 * xref.c once everything is read). */
static int opt_resolvers(struct sema *s, struct model_server *srv,
                         const struct ast_word *arg)
{
	srv->resolvers = kw_resolvers_find(s, arg->text);
	return 0;
}

/* resolve-prefer ipv4|ipv6: which family wins when a name has both. */
static int opt_resolve_prefer(struct sema *s, struct model_server *srv,
                              const struct ast_word *arg)
{
	if (!strcmp(arg->text, "ipv4"))
		srv->res_flags |= PLAN_SRES_F_PREFER_V4;
	else if (!strcmp(arg->text, "ipv6"))
		srv->res_flags &= ~PLAN_SRES_F_PREFER_V4;
	else {
		diag_error(s->dc, &arg->loc, "invalid-value",
		           "'resolve-prefer' expects 'ipv4' or 'ipv6', found '%s'",
		           arg->text);
		return -1;
	}
	return 0;
}

/* resolve-opts: a comma-separated list; cfgrun does what allow-dup-ip
 * asks (several servers may take the same address) and nothing else. */
static int opt_resolve_opts(struct sema *s, struct model_server *srv,
                            const struct ast_word *arg)
{
	const char *p = arg->text;

	while (1) {
		size_t len = strcspn(p, ",");

		if (len == 12 && !strncmp(p, "allow-dup-ip", len))
			srv->res_flags |= PLAN_SRES_F_ALLOW_DUP;
		else if ((len == 14 && !strncmp(p, "prevent-dup-ip", len)) ||
		         (len == 13 && !strncmp(p, "ignore-weight", len))) {
			diag_error(s->dc, &arg->loc, "unsupported",
			           "'resolve-opts %.*s' is not supported by cfgc "
			           "yet (HAProxy manual section 5.2; cfgrun takes "
			           "allow-dup-ip)", (int)len, p);
			return -1;
		} else {
			diag_error(s->dc, &arg->loc, "invalid-value",
			           "'resolve-opts' expects a comma-separated list "
			           "of allow-dup-ip, ignore-weight and "
			           "prevent-dup-ip, found '%s'", arg->text);
			return -1;
		}
		p += len;
		if (!*p++)
			break;
	}
	return 0;
}

/* source ADDR[:PORT]: this server's own source address (a usesrc
 * inherited with another source is dropped). */
static int opt_source(struct sema *s, struct model_server *srv,
                      const struct ast_word *arg)
{
	srv->flags &= ~(PLAN_SRV_F_USESRC_CLIENT | PLAN_SRV_F_USESRC_CLIENTIP);
	return kw_source_addr(s, arg, &srv->source);
}

/* usesrc client|clientip after a server's own source. */
static int opt_usesrc(struct sema *s, struct model_server *srv,
                      const struct ast_word *arg)
{
	uint32_t f;

	if (srv->source.family == PLAN_FAM_NONE) {
		diag_error(s->dc, &arg->loc, "missing-argument",
		           "'usesrc' follows a 'source' address on the line");
		return -1;
	}
	if (!(f = kw_usesrc_arg(s, arg)))
		return -1;
	srv->flags = (srv->flags & ~(PLAN_SRV_F_USESRC_CLIENT |
	                             PLAN_SRV_F_USESRC_CLIENTIP)) | f;
	return 0;
}

/* on-marked-down / on-marked-up: each takes its one action word. */
static int opt_on_marked(struct sema *s, struct model_server *srv,
                         const struct ast_word *arg, const char *what,
                         const char *action, uint32_t flag)
{
	if (strcmp(arg->text, action)) {
		diag_error(s->dc, &arg->loc, "invalid-value",
		           "'%s' expects '%s', found '%s'", what, action,
		           arg->text);
		return -1;
	}
	srv->flags |= flag;
	return 0;
}

static int opt_on_marked_down(struct sema *s, struct model_server *srv,
                              const struct ast_word *arg)
{
	return opt_on_marked(s, srv, arg, "on-marked-down",
	                     "shutdown-sessions", PLAN_SRV_F_SHUT_DOWN);
}

static int opt_on_marked_up(struct sema *s, struct model_server *srv,
                            const struct ast_word *arg)
{
	return opt_on_marked(s, srv, arg, "on-marked-up",
	                     "shutdown-backup-sessions", PLAN_SRV_F_SHUT_BACKUP);
}

/* Server options cfgc compiles. A flag option sets `set` and clears
 * `clear` in the server's flags and takes no argument; the others take one
 * argument read by `parse`. `defsrv`: also valid on default-server. */
static const struct server_opt {
	const char *name;
	const char *usage;
	int (*parse)(struct sema *s, struct model_server *srv,
	             const struct ast_word *arg);
	uint32_t set, clear;
	int defsrv;
	int empty_zero;     /* 1: nothing after it reads as 0 (atol("") in
	                       HAProxy): a warning, not an error */
} server_opts[] = {
	{ .name = "addr", .usage = "an IPv4 or IPv6 address", .parse = opt_addr,
	  .defsrv = 1 },
	{ .name = "backup", .set = PLAN_SRV_F_BACKUP, .defsrv = 1 },
	{ .name = "check", .set = PLAN_SRV_F_CHECK, .defsrv = 1 },
	{ .name = "cookie", .usage = "a cookie value", .parse = opt_cookie },
	{ .name = "disabled", .set = PLAN_SRV_F_DISABLED, .defsrv = 1 },
	{ .name = "downinter", .usage = "a delay such as 5s",
	  .parse = opt_downinter, .defsrv = 1 },
	{ .name = "enabled", .clear = PLAN_SRV_F_DISABLED, .defsrv = 1 },
	{ .name = "fall", .usage = "a count of at least 1", .parse = opt_fall,
	  .defsrv = 1 },
	{ .name = "fastinter", .usage = "a delay such as 500ms",
	  .parse = opt_fastinter, .defsrv = 1 },
	{ .name = "init-addr", .usage = "a list of last, libc, none or IP "
	  "addresses", .parse = opt_init_addr, .defsrv = 1 },
	{ .name = "inter", .usage = "a delay such as 2s", .parse = opt_inter,
	  .defsrv = 1 },
	{ .name = "maxconn", .usage = "a number of connections",
	  .parse = opt_maxconn, .defsrv = 1, .empty_zero = 1 },
	{ .name = "maxqueue", .usage = "a number of queued connections",
	  .parse = opt_maxqueue, .defsrv = 1, .empty_zero = 1 },
	{ .name = "minconn", .usage = "a number of connections",
	  .parse = opt_minconn, .defsrv = 1, .empty_zero = 1 },
	{ .name = "no-backup", .clear = PLAN_SRV_F_BACKUP, .defsrv = 1 },
	{ .name = "no-check", .clear = PLAN_SRV_F_CHECK, .defsrv = 1 },
	{ .name = "no-send-proxy", .clear = PLAN_SRV_F_SEND_PROXY, .defsrv = 1 },
	{ .name = "no-send-proxy-v2", .clear = PLAN_SRV_F_SEND_PROXY2,
	  .defsrv = 1 },
	{ .name = "on-marked-down", .usage = "'shutdown-sessions'",
	  .parse = opt_on_marked_down, .defsrv = 1 },
	{ .name = "on-marked-up", .usage = "'shutdown-backup-sessions'",
	  .parse = opt_on_marked_up, .defsrv = 1 },
	{ .name = "port", .usage = "a check port from 0 to 65535",
	  .parse = opt_port, .defsrv = 1 },
	{ .name = "resolve-opts", .usage = "a list of resolution options",
	  .parse = opt_resolve_opts, .defsrv = 1 },
	{ .name = "resolve-prefer", .usage = "'ipv4' or 'ipv6'",
	  .parse = opt_resolve_prefer, .defsrv = 1 },
	{ .name = "resolvers", .usage = "the name of a resolvers section",
	  .parse = opt_resolvers, .defsrv = 1 },
	{ .name = "rise", .usage = "a count of at least 1", .parse = opt_rise,
	  .defsrv = 1 },
	{ .name = "send-proxy", .set = PLAN_SRV_F_SEND_PROXY, .defsrv = 1 },
	{ .name = "source", .usage = "an IPv4 or IPv6 address with an optional "
	  "port", .parse = opt_source, .defsrv = 1 },
	{ .name = "send-proxy-v2", .set = PLAN_SRV_F_SEND_PROXY2, .defsrv = 1 },
	{ .name = "tfo", .set = PLAN_SRV_F_TFO, .defsrv = 1 },
	{ .name = "usesrc", .usage = "client or clientip", .parse = opt_usesrc,
	  .defsrv = 1 },
	{ .name = "weight", .usage = "a weight from 0 to 256",
	  .parse = opt_weight, .defsrv = 1, .empty_zero = 1 },
};

/* The options of a server or default-server line, from args[first].
 * `label` is "server" or "default-server". */
static int server_options(struct sema *s, struct model_server *srv,
                          const struct ast_stmt *st, size_t first,
                          const char *label)
{
	size_t i = first;

	while (i < st->nargs) {
		const struct ast_word *w = &st->args[i];
		const struct server_opt *o = NULL;

		for (size_t k = 0; k < sizeof(server_opts) / sizeof(server_opts[0]); k++)
			if (!strcmp(server_opts[k].name, w->text))
				o = &server_opts[k];
		if (o && !o->defsrv && srv == &s->set->defsrv) {
			diag_error(s->dc, &w->loc, "unsupported",
			           "default-server option '%s' is not supported by "
			           "cfgc yet: write it on each server line", w->text);
			return -1;
		}
		if (!o) {
			int n = kw_server_tls_option(s, &srv->tls, st, i, label);

			if (n < 0)
				return -1;
			if (n > 0) {
				i += (size_t)n;
				continue;
			}
		}
		if (!o) {
			/* its arguments are unknown: stop at the first one */
			kw_report_uncompiled(s, w, st->nargs - i, KW_SEC_SERVER,
			                     label);
			return -1;
		}
		if (!o->parse) {
			srv->flags = (srv->flags | o->set) & ~o->clear;
			i++;
			continue;
		}
		if (i + 1 >= st->nargs && o->empty_zero) {
			struct ast_word zero = { .text = (char *)"0", .len = 1,
			                         .loc = w->loc };

			diag_warning(s->dc, &w->loc, "missing-argument",
			             "%s option '%s' expects %s, found nothing: "
			             "HAProxy reads it as 0", label, w->text,
			             o->usage);
			if (o->parse(s, srv, &zero) < 0)
				return -1;
			i++;
			continue;
		}
		if (i + 1 >= st->nargs) {
			diag_error(s->dc, &w->loc, "missing-argument",
			           "%s option '%s' expects %s, found nothing",
			           label, w->text, o->usage);
			return -1;
		}
		if (o->parse(s, srv, &st->args[i + 1]) < 0)
			return -1;
		i += 2;
	}
	return 0;
}

/* Where the checks of `srv` go: its address with `addr` and `port`
 * applied, or NONE when neither is given. (A check with no port at all is
 * refused once the whole section is read, see sema.c.) */

/* The init-addr list that applies to a server line: its own (the last
 * one written), else its default-server's, else NULL. */
static const char *server_init_addr(const struct sema *s,
                                    const struct ast_stmt *st)
{
	const char *v = s->set->defsrv.init_addr;

	for (size_t i = 3; i + 1 < st->nargs; i++)
		if (!strcmp(st->args[i].text, "init-addr"))
			v = st->args[i + 1].text;
	return v;
}

/*
 * A host name of a server line with an init-addr list, resolved as
 * HAProxy does when it starts, method by method: `libc` resolves now (the
 * first success wins), `last` (the server-state file, read by cfgrun
 * later) gives nothing at compile time, `none` leaves the server without
 * an address, an IP is taken with the line's port. 0, or -1 after an error
 * at the address word when every method failed.
 */
static int server_init_resolve(struct sema *s, const struct ast_word *aw,
                               const char *list, struct addr_spec *spec)
{
	char m[64], err[256] = "";
	const char *p = list;

	while (*p) {
		size_t len = strcspn(p, ",");
		struct addr_spec *r = NULL;
		size_t n = 0, ecol = 0;

		if (len >= sizeof(m))
			len = sizeof(m) - 1;
		memcpy(m, p, len);
		m[len] = 0;
		p += strcspn(p, ",");
		if (*p)
			p++;
		if (!strcmp(m, "libc")) {
			if (addr_parse_list(aw->text, ADDR_USE_SERVER,
			                    s->addr_opts | ADDR_DGRAM_OK, &r, &n, err,
			                    sizeof(err), &ecol) == 0 && n == 1) {
				spec->addr = r[0].addr;
				free(r);
				return 0;
			}
			free(r);
		} else if (!strcmp(m, "none")) {
			return 0;       /* left unresolved: the caller records it */
		} else if (strcmp(m, "last")) {
			/* an IP address (checked by the option), the line's port */
			if (addr_parse_list(m, ADDR_USE_SERVER, 0, &r, &n, err,
			                    sizeof(err), &ecol) == 0 && n == 1) {
				spec->addr = r[0].addr;
				if (spec->port_lo)
					addr_set_port(&spec->addr,
					              (uint16_t)spec->port_lo);
				free(r);
				return 0;
			}
			free(r);
		}
	}
	diag_error(s->dc, &aw->loc, "unresolvable-address",
	           "server address '%s': no method of 'init-addr %s' gave an "
	           "address%s%s", aw->text, list, err[0] ? ": " : "", err);
	diag_hint(s->dc, "add 'none' to the list to start the server in "
	          "maintenance without an address, or an IP address to fall "
	          "back to");
	return -1;
}

static void server_check_addr(struct model_server *srv)
{
	const struct plan_addr *base = srv->check_ip.family != PLAN_FAM_NONE ?
	                               &srv->check_ip : &srv->addr;
	int inet = base->family == PLAN_FAM_INET ||
	           base->family == PLAN_FAM_INET6;

	memset(&srv->check_addr, 0, sizeof(srv->check_addr));
	if (!inet || (srv->check_ip.family == PLAN_FAM_NONE && !srv->check_port))
		return;
	srv->check_addr = *base;
	srv->check_addr.proto = srv->addr.proto == PLAN_PROTO_MPTCP &&
	                        base == &srv->addr ? PLAN_PROTO_MPTCP
	                                           : PLAN_PROTO_TCP;
	if (srv->check_port)
		addr_set_port(&srv->check_addr, (uint16_t)srv->check_port);
	else if (base != &srv->addr) {
		/* `addr` alone: the server's own port, when it has one */
		uint16_t port = 0;

		if (!(srv->flags & (PLAN_SRV_F_NOPORT | PLAN_SRV_F_OFFSET))) {
			const uint8_t *pp = srv->addr.sa + 2; /* sin(6)_port */

			port = (uint16_t)(pp[0] << 8 | pp[1]);
		}
		addr_set_port(&srv->check_addr, port);
	}
}

/* default-server OPTIONS: the template of the servers that follow. */
int kw_default_server(struct sema *s, const struct ast_stmt *st)
{
	return server_options(s, &s->set->defsrv, st, 1, "default-server");
}

int kw_server(struct sema *s, const struct ast_stmt *st)
{
	struct model_proxy *px = sema_proxy(s);
	const struct ast_word *nw = &st->args[1], *aw = &st->args[2];
	struct model_server *srv;
	struct addr_spec *specs = NULL;
	size_t n = 0, ecol = 0;
	char err[256];
	const char *bad, *init_addr;
	char *name;

	if (!nw->text[0]) {
		diag_error(s->dc, &nw->loc, "invalid-name",
		           "'server' expects a name, found an empty word");
		return -1;
	}
	bad = kw_name_bad_char(nw->text);
	if (bad) {
		struct src_loc loc = kw_word_loc_at(nw, (size_t)(bad - nw->text));

		loc.end_col = loc.col + 1 <= nw->loc.end_col ? loc.col + 1 : loc.end_col;
		diag_error(s->dc, &loc, "invalid-name",
		           "server name '%s' has the character '%c'; expected "
		           "letters, digits, '-', '_', '.' or ':'", nw->text, *bad);
		return -1;
	}
	for (size_t i = 0; i < px->nservers; i++) {
		if (!strcmp(px->servers[i].name, nw->text)) {
			diag_error(s->dc, &nw->loc, "duplicate-server",
			           "%s '%s' already has a server named '%s'",
			           s->sec_label, px->name, nw->text);
			diag_hint(s->dc, "the first one is at line %u",
			          (unsigned)px->servers[i].loc.line);
			return -1;
		}
	}
	init_addr = server_init_addr(s, st);
	if (addr_parse_list(aw->text, ADDR_USE_SERVER,
	                    (init_addr ? s->addr_opts & ~ADDR_RESOLVE :
	                     s->addr_opts) | ADDR_DGRAM_OK, &specs, &n,
	                    err, sizeof(err), &ecol) < 0) {
		struct src_loc loc = kw_word_loc_at(aw, ecol);

		diag_error(s->dc, &loc, "invalid-address", "'server %s': %s",
		           nw->text, err);
		return -1;
	}
	if (n != 1) {
		diag_error(s->dc, &aw->loc, "invalid-address",
		           "'server %s' expects one address, found a list of %zu",
		           nw->text, n);
		free(specs);
		return -1;
	}
	if (init_addr && (specs[0].flags & ADDR_F_HOSTNAME) &&
	    (s->addr_opts & ADDR_RESOLVE) &&
	    server_init_resolve(s, aw, init_addr, &specs[0]) < 0) {
		free(specs);
		return -1;
	}
	if (specs[0].flags & ADDR_F_DGRAM) {
		/* only log backends (mode log) have datagram servers */
		diag_error(s->dc, &aw->loc, "unsupported",
		           "datagram server addresses (log backends) are not "
		           "supported by cfgc yet (HAProxy manual section 4.2, "
		           "'mode log')");
		free(specs);
		return -1;
	}
	name = sema_strdup(s, nw->text);
	srv = name ? model_proxy_add_server(px) : NULL;
	if (!srv) {
		free(name);
		s->oom = 1;
		free(specs);
		return -1;
	}
	*srv = s->set->defsrv;
	srv->name = name;
	srv->loc = nw->loc;
	srv->addr = specs[0].addr;
	if (srv->addr.family == PLAN_FAM_NONE &&
	    (specs[0].flags & ADDR_F_HOSTNAME) &&
	    (s->addr_opts & ADDR_RESOLVE) && !(srv->host = sema_strdup(s, aw->text))) {
		free(specs);
		return -1;
	}
	srv->flags &= ~(PLAN_SRV_F_NOPORT | PLAN_SRV_F_OFFSET);
	if (specs[0].flags & ADDR_F_NOPORT)
		srv->flags |= PLAN_SRV_F_NOPORT;
	if (specs[0].flags & ADDR_F_OFFSET) {
		srv->flags |= PLAN_SRV_F_OFFSET;
		srv->port_offset = specs[0].port_offset;
	}
	if (server_options(s, srv, st, 3, "server") < 0) {
		free(specs);
		return -1;
	}
	if (srv->resolvers && (specs[0].flags & ADDR_F_HOSTNAME) &&
	    (srv->addr.family == PLAN_FAM_NONE ||
	     srv->addr.family == PLAN_FAM_INET ||
	     srv->addr.family == PLAN_FAM_INET6)) {
		/* resolved again at run time (an IP address never is) */
		if (!(srv->res_host = sema_strdup(s, specs[0].host))) {
			free(specs);
			return -1;
		}
		srv->res_port = (specs[0].flags & (ADDR_F_NOPORT | ADDR_F_OFFSET)) ?
		                0 : specs[0].port_lo;
		if (srv->addr.family == PLAN_FAM_NONE) {
			/* the word kept is the name with its port, expanded
			 * and without a family prefix: what --dump writes */
			char word[ADDR_HOST_MAX + 16];

			srv->res_flags |= PLAN_SRES_F_MAINT_NONE;
			if (!srv->host)
				;       /* no plan is written (no resolution) */
			else if (specs[0].flags & ADDR_F_OFFSET)
				snprintf(word, sizeof(word), "%s:%+d", specs[0].host,
				         (int)specs[0].port_offset);
			else if (srv->res_port)
				snprintf(word, sizeof(word), "%s:%u", specs[0].host,
				         (unsigned)srv->res_port);
			else
				snprintf(word, sizeof(word), "%s", specs[0].host);
			free(srv->host);
			if (!(srv->host = sema_strdup(s, word))) {
				free(specs);
				return -1;
			}
		}
	}
	free(specs);
	if (srv->host)
		srv->flags |= PLAN_SRV_F_DISABLED;  /* HAProxy's resolution MAINT */
	server_check_addr(srv);
	return 0;
}

/* Servers one server-template line may create (HAProxy has no limit; a
 * backend's ids and the plan's server table have theirs). */
#define KW_TEMPLATE_MAX 4096

/*
 * server-template PREFIX NUM|LO-HI FQDN[:PORT] [options]: the servers
 * PREFIX<id> for id 1..NUM (or LO..HI), each a `server` line with that
 * name and the rest of this one, as HAProxy makes them. With `resolvers`
 * each takes its own address from the answers at run time (dns.c gives
 * servers of one name different addresses); without, all share FQDN's.
 */
int kw_server_template(struct sema *s, const struct ast_stmt *st)
{
	const struct ast_word *rw = &st->args[2];
	struct ast_stmt one = *st;
	struct ast_word *args;
	char *end, name[256];
	long lo = 1, hi;
	int ret = 0;

	hi = strtol(rw->text, &end, 10);
	if (*end == '-' && end > rw->text) {
		lo = hi;
		hi = strtol(end + 1, &end, 10);
	}
	if (!rw->text[0] || *end || rw->text[0] == '-' || lo < 1 || hi < lo ||
	    hi - lo >= KW_TEMPLATE_MAX) {
		diag_error(s->dc, &rw->loc, "invalid-value",
		           "'server-template' expects a number of servers or a "
		           "range LOW-HIGH (from 1, at most %d servers), found "
		           "'%s'", KW_TEMPLATE_MAX, rw->text);
		return -1;
	}
	if (st->args[3].text[0] == '_' && s->target != SEMA_TARGET_HAPROXY) {
		/* (the HAProxy linter goes on: the options are checked) */
		diag_error(s->dc, &st->args[3].loc, "unsupported",
		           "'server-template' with a DNS SRV name ('%s') is not "
		           "supported by cfgc yet: cfgrun resolves A and AAAA "
		           "records only (HAProxy manual section 5.3)",
		           st->args[3].text);
		return -1;
	}
	if (!(args = malloc((st->nargs - 1) * sizeof(*args)))) {
		s->oom = 1;
		return -1;
	}
	/* server NAME FQDN[:PORT] options... */
	args[0] = st->args[0];
	args[1] = st->args[1];
	for (size_t i = 3; i < st->nargs; i++)
		args[i - 1] = st->args[i];
	one.args = args;
	one.nargs = st->nargs - 1;
	for (long id = lo; id <= hi && ret == 0; id++) {
		int n = snprintf(name, sizeof(name), "%s%ld", st->args[1].text, id);

		if (n < 0 || (size_t)n >= sizeof(name)) {
			diag_error(s->dc, &st->args[1].loc, "invalid-name",
			           "'server-template': the name prefix '%s' is too "
			           "long", st->args[1].text);
			ret = -1;
			break;
		}
		args[1].text = name;
		args[1].len = (size_t)n;
		ret = kw_server(s, &one);
	}
	free(args);
	return ret;
}
