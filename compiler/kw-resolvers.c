/*
 * kw-resolvers.c: resolvers sections (manual 5.3.2) read into the model
 * for cfgrun, which resolves the names of the servers that name one. UDP
 * nameservers only; `parse-resolv-conf` is recorded and honoured by
 * cfgrun when it loads the plan (HAProxy reads the file at start too).
 */
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "diag.h"
#include "kw.h"
#include "model.h"
#include "sema.h"
#include "units.h"

/* HAProxy's defaults (manual 5.3.2). */
static const struct model_resolvers res_defaults = {
	.retries = 3, .timeout_resolve = 1000, .timeout_retry = 1000,
	.hold_valid = 10000, .hold_obsolete = 0, .hold_nx = 30000,
	.hold_other = 30000, .hold_refused = 30000, .hold_timeout = 30000,
	.payload = 512,
};

static int res_nargs(struct sema *s, const struct ast_stmt *st, size_t n,
                     const char *usage)
{
	if (st->nargs >= n)
		return 0;
	diag_error(s->dc, &st->args[st->nargs - 1].loc, "missing-argument",
	           "'%s' expects %s", st->args[0].text, usage);
	return -1;
}

/* A time; 0 is accepted, as HAProxy accepts it (cfgrun waits at least
 * DNS_MIN_MS, see dns.c). */
static int res_time(struct sema *s, const struct ast_word *w, uint32_t *ms)
{
	char err[256];
	size_t col = 0;

	if (units_parse_time_msg(w->text, 1, ms, err, sizeof(err), &col) < 0) {
		struct src_loc loc = kw_word_loc_at(w, col);

		diag_error(s->dc, &loc, "invalid-time", "%s", err);
		return -1;
	}
	return 0;
}

static int res_uint(struct sema *s, const struct ast_word *w, uint64_t min,
                    uint64_t max, uint32_t *out)
{
	char err[256];
	size_t col = 0;
	uint64_t v;

	if (units_parse_uint_msg(w->text, min, max, &v, err, sizeof(err),
	                         &col) < 0) {
		struct src_loc loc = kw_word_loc_at(w, col);

		diag_error(s->dc, &loc, "invalid-value", "%s", err);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

/* A section or nameserver name of characters HAProxy allows in names
 * (letters, digits, '-', '_', '.', ':'); -1 after an error at w. */
static int res_name_bad(struct sema *s, const struct ast_word *w,
                        const char *what)
{
	const char *bad = w->text[0] ? kw_name_bad_char(w->text) : w->text;

	if (!bad)
		return 0;
	diag_error(s->dc, &w->loc, "invalid-name",
	           "%s name '%s' %s; expected letters, digits, '-', '_', '.' "
	           "or ':'", what, w->text, *bad ? "has a character not allowed"
	           : "is empty");
	return -1;
}

/* nameserver ID ADDR: a UDP address (port 53 when none), given as an IP
 * or as a name cfgc resolves now. */
static int res_nameserver(struct sema *s, struct model_resolvers *r,
                          const struct ast_stmt *st)
{
	const struct ast_word *aw;
	struct model_nameserver *ns;
	struct addr_spec *specs = NULL;
	size_t n = 0, col = 0;
	char err[256];
	const char *a;

	if (res_nargs(s, st, 3, "a name and an address") < 0)
		return -1;
	aw = &st->args[2];
	a = aw->text;
	if (st->nargs > 3) {
		diag_error(s->dc, &st->args[3].loc, "unsupported",
		           "nameserver parameters ('%s') are not supported by "
		           "cfgc yet (HAProxy manual section 5.3.2)",
		           st->args[3].text);
		return -1;
	}
	if (res_name_bad(s, &st->args[1], "nameserver") < 0)
		return -1;
	for (size_t i = 0; i < r->nns; i++)
		if (!strcmp(r->ns[i].id, st->args[1].text)) {
			diag_error(s->dc, &st->args[1].loc, "duplicate-name",
			           "resolvers '%s' already has a nameserver named "
			           "'%s'", r->name, st->args[1].text);
			return -1;
		}
	if (!strncmp(a, "udp@", 4) || !strncmp(a, "udp4@", 5) ||
	    !strncmp(a, "udp6@", 5))
		a = strchr(a, '@') + 1;
	else if (strchr(a, '@') && strncmp(a, "ipv4@", 5) &&
	         strncmp(a, "ipv6@", 5)) {
		diag_error(s->dc, &aw->loc, "unsupported",
		           "nameserver address '%s': cfgrun queries nameservers "
		           "over UDP only (tcp@ and other families are not "
		           "supported by cfgc yet)", aw->text);
		return -1;
	}
	if (addr_parse_list(a, ADDR_USE_SERVER, s->addr_opts, &specs, &n, err,
	                    sizeof(err), &col) < 0 || n != 1 ||
	    (specs[0].addr.family != PLAN_FAM_INET &&
	     specs[0].addr.family != PLAN_FAM_INET6) ||
	    (specs[0].flags & ADDR_F_OFFSET)) {
		if (n == 1 && !err[0])
			snprintf(err, sizeof(err), "expected an IPv4 or IPv6 "
			         "address with an optional port");
		diag_error(s->dc, &aw->loc, "invalid-address",
		           "nameserver '%s': %s", st->args[1].text,
		           err[0] ? err : "expected one address");
		free(specs);
		return -1;
	}
	ns = realloc(r->ns, (r->nns + 1) * sizeof(*r->ns));
	if (!ns) {
		free(specs);
		s->oom = 1;
		return -1;
	}
	r->ns = ns;
	ns = &r->ns[r->nns];
	memset(ns, 0, sizeof(*ns));
	ns->addr = specs[0].addr;
	if (specs[0].flags & ADDR_F_NOPORT)
		addr_set_port(&ns->addr, 53);
	free(specs);
	ns->line = st->args[0].loc.line;
	if (!(ns->id = sema_strdup(s, st->args[1].text)))
		return -1;
	r->nns++;
	return 0;
}

static int res_hold(struct sema *s, struct model_resolvers *r,
                    const struct ast_stmt *st)
{
	static const char *const names[] = {
		"valid", "obsolete", "nx", "other", "refused", "timeout",
	};
	uint32_t *f[] = {
		&r->hold_valid, &r->hold_obsolete, &r->hold_nx, &r->hold_other,
		&r->hold_refused, &r->hold_timeout,
	};

	if (res_nargs(s, st, 3, "a status and a time") < 0)
		return -1;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(st->args[1].text, names[i]))
			return res_time(s, &st->args[2], f[i]);
	diag_error(s->dc, &st->args[1].loc, "invalid-value",
	           "'hold' expects valid, obsolete, nx, other, refused or "
	           "timeout, found '%s'", st->args[1].text);
	return -1;
}

static int res_stmt(struct sema *s, struct model_resolvers *r,
                    const struct ast_stmt *st)
{
	const char *kw = st->args[0].text;

	if (!strcmp(kw, "nameserver"))
		return res_nameserver(s, r, st);
	if (!strcmp(kw, "parse-resolv-conf")) {
		r->flags |= PLAN_RES_F_RESOLV_CONF;
		return 0;
	}
	if (!strcmp(kw, "hold"))
		return res_hold(s, r, st);
	if (!strcmp(kw, "resolve_retries"))
		return res_nargs(s, st, 2, "a count") < 0 ? -1 :
		       res_uint(s, &st->args[1], 0, 1000, &r->retries);
	if (!strcmp(kw, "accepted_payload_size"))
		return res_nargs(s, st, 2, "a size in bytes") < 0 ? -1 :
		       res_uint(s, &st->args[1], 12, 65535, &r->payload);
	if (!strcmp(kw, "timeout")) {
		if (res_nargs(s, st, 3, "an event and a time") < 0)
			return -1;
		if (!strcmp(st->args[1].text, "resolve"))
			return res_time(s, &st->args[2], &r->timeout_resolve);
		if (!strcmp(st->args[1].text, "retry"))
			return res_time(s, &st->args[2], &r->timeout_retry);
		diag_error(s->dc, &st->args[1].loc, "invalid-value",
		           "'timeout' in a resolvers section expects 'resolve' "
		           "or 'retry', found '%s'", st->args[1].text);
		return -1;
	}
	return 0;       /* unknown keywords: lint_section() */
}

/* Append section r (its name owned) to the model; r is freed when
 * memory runs out. */
static void res_add(struct sema *s, struct model_resolvers *r)
{
	struct model_resolvers *t = realloc(s->m->resolvers,
	                                    (s->m->nresolvers + 1) * sizeof(*t));

	if (!t) {
		for (size_t i = 0; i < r->nns; i++)
			free(r->ns[i].id);
		free(r->ns);
		free(r->name);
		s->oom = 1;
		return;
	}
	s->m->resolvers = t;
	t[s->m->nresolvers++] = *r;
}

uint32_t kw_resolvers_find(struct sema *s, const char *name)
{
	struct model_resolvers r = res_defaults;

	for (size_t i = 0; i < s->m->nresolvers; i++)
		if (!strcmp(s->m->resolvers[i].name, name))
			return (uint32_t)i + 1;
	if (strcmp(name, "default"))
		return 0;
	/* HAProxy's own section: the nameservers of resolv.conf */
	r.flags = PLAN_RES_F_RESOLV_CONF;
	if (!(r.name = sema_strdup(s, "default")))
		return 0;
	res_add(s, &r);
	return s->oom ? 0 : (uint32_t)s->m->nresolvers;
}

void kw_resolvers_section(struct sema *s, const struct ast_section *sec)
{
	struct model_resolvers r = res_defaults;
	int bad = 0;

	if (sec->header->nargs < 2)
		return;         /* lint_section says what is missing */
	for (size_t i = 0; i < s->m->nresolvers; i++)
		if (!strcmp(s->m->resolvers[i].name, sec->header->args[1].text))
			return;  /* xref reports the second one */
	if (res_name_bad(s, &sec->header->args[1], "resolvers") < 0)
		return;
	for (const struct ast_stmt *st = sec->stmts; st; st = st->next)
		if (st->nargs && res_stmt(s, &r, st) < 0)
			bad = 1;
	if (!bad && !r.nns && !(r.flags & PLAN_RES_F_RESOLV_CONF)) {
		diag_error(s->dc, &sec->header->args[1].loc, "missing-argument",
		           "resolvers '%s' has no nameserver (expected "
		           "'nameserver NAME ADDRESS' or 'parse-resolv-conf')",
		           sec->header->args[1].text);
		bad = 1;
	}
	r.line = sec->header->args[0].loc.line;
	if (bad || !(r.name = sema_strdup(s, sec->header->args[1].text))) {
		for (size_t i = 0; i < r.nns; i++)
			free(r.ns[i].id);
		free(r.ns);
		return;
	}
	res_add(s, &r);
}
