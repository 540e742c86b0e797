/*
 * kw-server.c: `server NAME ADDRESS [options]`.
 */
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "diag.h"
#include "kw.h"
#include "model.h"
#include "sema.h"

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

	if (v > 256) {
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

/* Server options cfgc compiles; each takes one argument. */
static const struct {
	const char *name;
	const char *usage;
	int (*parse)(struct sema *s, struct model_server *srv,
	             const struct ast_word *arg);
} server_opts[] = {
	{ .name = "maxconn", .usage = "a number of connections",
	  .parse = opt_maxconn },
	{ .name = "weight", .usage = "a weight from 0 to 256",
	  .parse = opt_weight },
};

/* The options after the address, from args[3]. */
static int server_options(struct sema *s, struct model_server *srv,
                          const struct ast_stmt *st)
{
	for (size_t i = 3; i < st->nargs; i += 2) {
		const struct ast_word *w = &st->args[i];
		size_t k;

		for (k = 0; k < sizeof(server_opts) / sizeof(server_opts[0]); k++)
			if (!strcmp(server_opts[k].name, w->text))
				break;
		if (k == sizeof(server_opts) / sizeof(server_opts[0])) {
			/* its arguments are unknown: stop at the first one */
			kw_report_uncompiled(s, w, st->nargs - i, KW_SEC_SERVER,
			                     "server");
			return -1;
		}
		if (i + 1 >= st->nargs) {
			diag_error(s->dc, &w->loc, "missing-argument",
			           "server option '%s' expects %s, found nothing",
			           w->text, server_opts[k].usage);
			return -1;
		}
		if (server_opts[k].parse(s, srv, &st->args[i + 1]) < 0)
			return -1;
	}
	return 0;
}

int kw_server(struct sema *s, const struct ast_stmt *st)
{
	struct model_proxy *px = sema_proxy(s);
	const struct ast_word *nw = &st->args[1], *aw = &st->args[2];
	struct model_server *srv;
	struct addr_spec *specs = NULL;
	size_t n = 0, ecol = 0;
	char err[256];
	const char *bad;

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
	if (addr_parse_list(aw->text, ADDR_USE_SERVER,
	                    s->addr_opts | ADDR_DGRAM_OK, &specs, &n,
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
	if (specs[0].flags & ADDR_F_DGRAM) {
		/* only log backends (mode log) have datagram servers */
		diag_error(s->dc, &aw->loc, "unsupported",
		           "datagram server addresses (log backends) are not "
		           "supported by cfgc yet (HAProxy manual section 4.2, "
		           "'mode log')");
		free(specs);
		return -1;
	}
	if (specs[0].flags & ADDR_F_OFFSET) {
		diag_error(s->dc, &aw->loc, "unsupported",
		           "a port offset on a server address is not supported by "
		           "cfgc yet (HAProxy manual section 5.2)");
		free(specs);
		return -1;
	}
	srv = model_proxy_add_server(px);
	if (!srv || !(srv->name = sema_strdup(s, nw->text))) {
		if (srv)
			px->nservers--;
		s->oom = 1;
		free(specs);
		return -1;
	}
	srv->loc = nw->loc;
	srv->addr = specs[0].addr;
	srv->weight = 1;
	if (specs[0].flags & ADDR_F_NOPORT)
		srv->flags |= PLAN_SRV_F_NOPORT;
	free(specs);
	return server_options(s, srv, st);
}
