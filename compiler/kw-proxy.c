/*
 * kw-proxy.c: the proxy keywords cfgc compiles (defaults, frontend,
 * backend, listen), except bind and server which have their own files.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "diag.h"
#include "kw.h"
#include "plan_limits.h"
#include "lint-sample.h"
#include "sema.h"
#include "suggest.h"
#include "units.h"

uint32_t kw_lenient_count(struct sema *s, const struct ast_word *w,
                          const char *what)
{
	const char *p = w->text;
	uint64_t v = 0;
	int neg = 0;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	while (isdigit((unsigned char)*p)) {
		v = v * 10 + (uint64_t)(*p++ - '0');
		if (v > UINT32_MAX)
			v = UINT32_MAX;
	}
	if (*p || p == w->text || neg) {
		diag_warning(s->dc, &w->loc, "lenient-number",
		             "'%s' expects a number, found '%s'; HAProxy reads it "
		             "as %u", what, w->text, neg ? 0u : (unsigned)v);
		if (neg)
			return 0;
	}
	return (uint32_t)v;
}

int kw_source_addr(struct sema *s, const struct ast_word *w,
                   struct plan_addr *out)
{
	const char *colon = strrchr(w->text, ':');
	struct addr_spec *specs = NULL;
	size_t n = 0, ecol = 0;
	char err[256];
	int ok;

	if (colon && strchr(colon, '-') && !strchr(colon, ']')) {
		diag_error(s->dc, &w->loc, "unsupported",
		           "port ranges in 'source' are not supported by cfgc "
		           "yet (HAProxy manual section 5.2)");
		return -1;
	}
	if (addr_parse_list(w->text, ADDR_USE_SERVER, 0, &specs, &n, err,
	                    sizeof(err), &ecol) < 0) {
		struct src_loc loc = kw_word_loc_at(w, ecol);

		diag_error(s->dc, &loc, "invalid-address", "'source': %s", err);
		return -1;
	}
	ok = n == 1 && !(specs[0].flags & (ADDR_F_HOSTNAME | ADDR_F_OFFSET)) &&
	     (specs[0].addr.family == PLAN_FAM_INET ||
	      specs[0].addr.family == PLAN_FAM_INET6) &&
	     specs[0].addr.proto == PLAN_PROTO_TCP;
	if (ok)
		*out = specs[0].addr;
	free(specs);
	if (!ok)
		diag_error(s->dc, &w->loc, "unsupported",
		           "'source %s': cfgc compiles an IPv4 or IPv6 address "
		           "with an optional port only (HAProxy manual section "
		           "4.2)", w->text);
	return ok ? 0 : -1;
}

uint32_t kw_usesrc_arg(struct sema *s, const struct ast_word *w)
{
	if (!strcmp(w->text, "client"))
		return PLAN_SRV_F_USESRC_CLIENT;
	if (!strcmp(w->text, "clientip"))
		return PLAN_SRV_F_USESRC_CLIENTIP;
	diag_error(s->dc, &w->loc, "unsupported",
	           "'usesrc %s' is not supported by cfgc yet: it compiles "
	           "'usesrc client' and 'usesrc clientip' (HAProxy manual "
	           "section 4.2)", w->text);
	return 0;
}

/* source ADDR[:PORT] [usesrc client|clientip] in a backend: what its
 * servers bind to before they connect, unless they have their own. */
static int kw_source(struct sema *s, const struct ast_stmt *st)
{
	size_t next = 2;
	uint32_t usesrc = 0;

	if (st->nargs > 3 && !strcmp(st->args[2].text, "usesrc")) {
		usesrc = kw_usesrc_arg(s, &st->args[3]);
		if (!usesrc)
			return -1;
		next = 4;
	}
	if (st->nargs > next) {
		diag_error(s->dc, &st->args[next].loc, "unsupported",
		           "'source ... %s' (interface binding, usesrc with an "
		           "address or a header) is not supported by cfgc yet "
		           "(HAProxy manual section 4.2)", st->args[next].text);
		return -1;
	}
	if (kw_source_addr(s, &st->args[1], &s->set->source) < 0)
		return -1;
	s->set->usesrc = usesrc;
	return 0;
}

int kw_time_arg(struct sema *s, const struct ast_word *w,
                uint32_t def_unit_ms, const char *what, uint32_t *ms)
{
	char err[256];
	size_t col = 0, trail = 0;

	if (units_parse_time_lax(w->text, def_unit_ms, ms, err, sizeof(err),
	                         &col, &trail) < 0) {
		struct src_loc loc = kw_word_loc_at(w, col);

		diag_error(s->dc, &loc, "invalid-time", "'%s': %s", what, err);
		return -1;
	}
	if (trail) {
		struct src_loc loc = kw_word_loc_at(w, trail);

		diag_warning(s->dc, &loc, "lenient-time",
		             "'%s': HAProxy reads '%s' as '%.*s' and ignores '%s' "
		             "after the unit (units: us, ms, s, m, h, d; a later "
		             "HAProxy may refuse it)", what, w->text, (int)trail,
		             w->text, w->text + trail);
	}
	return 0;
}

/* Word flags under which byte offsets in the text no longer match columns. */
#ifdef AST_W_ESCAPED
#define KW_W_SHIFTED (AST_W_QUOTED | AST_W_EXPANDED | AST_W_ESCAPED)
#else
#define KW_W_SHIFTED (AST_W_QUOTED | AST_W_EXPANDED)
#endif

struct src_loc kw_word_loc_at(const struct ast_word *w, size_t off)
{
	struct src_loc loc = w->loc;

	if (!(w->flags & KW_W_SHIFTED) &&
	    w->loc.col + off < w->loc.end_col)
		loc.col = w->loc.col + (uint32_t)off;
	return loc;
}

/* mode tcp|http */
static int kw_mode(struct sema *s, const struct ast_stmt *st)
{
	static const char *const later[] = { "log", "spop" };
	const struct ast_word *w = &st->args[1];
	struct suggest sg;
	const char *hint;

	s->set->mode_other = 0;
	if (!strcmp(w->text, "tcp")) {
		s->set->mode = PLAN_MODE_TCP;
		return 0;
	}
	if (!strcmp(w->text, "http")) {
		s->set->mode = PLAN_MODE_HTTP;
		return 0;
	}
	for (size_t i = 0; i < sizeof(later) / sizeof(later[0]); i++) {
		if (!strcmp(w->text, later[i])) {
			s->set->mode_other = 1;
			diag_error(s->dc, &w->loc, "unsupported",
			           "'mode %s' is not supported by cfgc yet "
			           "(HAProxy manual section 4.2)", w->text);
			return -1;
		}
	}
	diag_error(s->dc, &w->loc, "invalid-value",
	           "'mode' expects 'tcp' or 'http', found '%s'", w->text);
	suggest_init(&sg, w->text);
	suggest_offer(&sg, "tcp");
	suggest_offer(&sg, "http");
	hint = suggest_result(&sg);
	if (hint)
		diag_hint(s->dc, "did you mean '%s'?", hint);
	return -1;
}

/* A positive integer as HAProxy's balance parameters take it (atoi > 0). */
static int balance_positive(const char *t)
{
	char *end;
	long v = strtol(t, &end, 10);

	return *t && v > 0 && v <= INT32_MAX;
}

/*
 * The arguments of the algorithms cfgc knows but does not compile, checked
 * as HAProxy's parser does (manual section 4.2, "balance"): cfgrun reports
 * them unsupported afterwards, --target=haproxy accepts them when right.
 * `base` is the algorithm without its parenthesis; 0 or -1 after an error.
 */
static int balance_later_args(struct sema *s, const struct ast_stmt *st,
                              const char *base)
{
	const struct ast_word *w = &st->args[1];
	const struct ast_word *a = st->nargs > 2 ? &st->args[2] : NULL;

	if (!strcmp(base, "log-hash") && !a) {
		diag_error(s->dc, &w->loc, "missing-argument",
		           "'balance %s' expects a list of converters, found nothing",
		           base);
		return -1;
	}
	if (!strcmp(base, "rdp-cookie") &&
	    strchr(w->text, '(') && w->text[strlen(w->text) - 1] == ')' &&
	    strlen(w->text) == strlen(base) + 2) {
		diag_error(s->dc, &w->loc, "missing-argument",
		           "'balance %s()' expects a cookie name between the "
		           "parentheses", base);
		return -1;
	}
	return 0;
}

/* balance uri [len N] [depth N] [whole] [path-only], into `h`; 0 or -1. */
static int balance_uri_args(struct sema *s, const struct ast_stmt *st,
                            struct model_http *h)
{
	for (size_t i = 2; i < st->nargs; i++) {
		const char *p = st->args[i].text;

		if (!strcmp(p, "whole") || !strcmp(p, "path-only")) {
			h->bal_flags |= p[0] == 'w' ? PLAN_BAL_F_WHOLE
			                            : PLAN_BAL_F_PATH_ONLY;
			continue;
		}
		if (strcmp(p, "len") && strcmp(p, "depth")) {
			diag_error(s->dc, &st->args[i].loc, "invalid-value",
			           "'balance uri' expects 'len', 'depth', "
			           "'whole' or 'path-only', found '%s'", p);
			return -1;
		}
		if (i + 1 >= st->nargs || !balance_positive(st->args[i + 1].text)) {
			diag_error(s->dc, &st->args[i].loc, "invalid-value",
			           "'balance uri %s' expects a positive "
			           "integer, found '%s'", p, i + 1 < st->nargs ?
			           st->args[i + 1].text : "nothing");
			return -1;
		}
		/* HAProxy reads the number with atoi() */
		if (p[0] == 'l')
			h->bal_len = (uint32_t)atoi(st->args[i + 1].text);
		else
			h->bal_depth = (uint32_t)atoi(st->args[i + 1].text);
		i++;
	}
	return 0;
}

/* balance url_param NAME [check_post [max_wait]] or balance hdr(NAME)
 * [use_domain_only], into `h`: 0 or -1. */
static int balance_named_args(struct sema *s, const struct ast_stmt *st,
                              const char *base, struct model_http *h)
{
	const struct ast_word *w = &st->args[1];
	int hdr = !strcmp(base, "hdr");
	const char *name, *mod = hdr ? "use_domain_only" : "check_post";
	size_t at = hdr ? 2 : 3, nlen;
	char *copy;

	if (hdr) {
		const char *close = strchr(w->text, ')');

		name = w->text + 4;
		if (w->text[3] != '(' || !close || close == name) {
			diag_error(s->dc, &w->loc, "missing-argument",
			           "'balance hdr()' expects a header name between "
			           "the parentheses");
			return -1;
		}
		nlen = (size_t)(close - name);
		if (close[1])
			diag_warning(s->dc, &w->loc, "ignored",
			             "'%s' after the header name of 'balance %s' is "
			             "ignored, as HAProxy does", close + 1, w->text);
	} else {
		if (st->nargs < 3) {
			diag_error(s->dc, &w->loc, "missing-argument",
			           "'balance url_param' expects a URL parameter "
			           "name, found nothing");
			return -1;
		}
		name = st->args[2].text;
		nlen = strlen(name);
	}
	if (st->nargs > at) {
		if (strcmp(st->args[at].text, mod)) {
			diag_error(s->dc, &st->args[at].loc, "invalid-value",
			           "'balance %s' only takes the modifier '%s', "
			           "found '%s'", base, mod, st->args[at].text);
			return -1;
		}
		h->bal_flags |= hdr ? PLAN_BAL_F_DOMAIN_ONLY
		                    : PLAN_BAL_F_CHECK_POST;
		if (st->nargs > at + 1)
			diag_warning(s->dc, &st->args[at + 1].loc, "ignored",
			             "'%s' and what follows are ignored after "
			             "'%s', as HAProxy does", st->args[at + 1].text,
			             mod);
	}
	if (!(copy = strndup(name, nlen))) {
		s->oom = 1;
		return -1;
	}
	free(h->bal_name);
	h->bal_name = copy;
	return 0;
}

/* balance ALGORITHM: the ones of the TCP engine; hashing algorithms on
 * HTTP or other inputs are known but not compiled. */
/* load-server-state-from-file global|none: `local` (a file per backend)
 * is not compiled. */
static int kw_load_state(struct sema *s, const struct ast_stmt *st)
{
	const struct ast_word *w = &st->args[1];

	if (!strcmp(w->text, "global")) {
		s->set->load_state = PLAN_LOAD_STATE_GLOBAL;
	} else if (!strcmp(w->text, "none")) {
		s->set->load_state = PLAN_LOAD_STATE_NONE;
	} else if (!strcmp(w->text, "local")) {
		diag_error(s->dc, &w->loc, "unsupported",
		           "'load-server-state-from-file local' is not compiled: "
		           "cfgrun reads one server-state-file (use 'global')");
		return -1;
	} else {
		diag_error(s->dc, &w->loc, "invalid-value",
		           "'load-server-state-from-file' expects 'global', "
		           "'local' or 'none', found '%s'", w->text);
		return -1;
	}
	return 0;
}

static int kw_balance(struct sema *s, const struct ast_stmt *st)
{
	static const struct {
		const char *name;
		int plan;                 /* enum plan_balance, -1 = later */
	} algos[] = {
		{ "roundrobin", PLAN_BALANCE_ROUNDROBIN },
		{ "static-rr", PLAN_BALANCE_STATIC_RR },
		{ "leastconn", PLAN_BALANCE_LEASTCONN },
		{ "first", PLAN_BALANCE_FIRST },
		{ "source", PLAN_BALANCE_SOURCE },
		{ "random", PLAN_BALANCE_RANDOM },
		{ "uri", PLAN_BALANCE_URI }, { "url_param", PLAN_BALANCE_URL_PARAM },
		{ "hdr", PLAN_BALANCE_HDR }, { "rdp-cookie", -1 },
		{ "hash", PLAN_BALANCE_HASH }, { "log-hash", -1 },
		{ "sticky", -1 },
	};
	const struct ast_word *w;
	char base[64];
	size_t len, k;
	struct suggest sg;
	const char *hint, *paren;
	const struct plan_limit_def *lim = &plan_limits[PLAN_LIM_RANDOM_DRAWS];
	uint32_t draws = 2;

	if (st->nargs < 2)
		return 0;  /* HAProxy accepts a bare `balance` and keeps its default */
	w = &st->args[1];
	len = strcspn(w->text, "(");
	if (len >= sizeof(base))
		len = sizeof(base) - 1;
	memcpy(base, w->text, len);
	base[len] = 0;
	paren = w->text[len] == '(' ? w->text + len : NULL;
	for (k = 0; k < sizeof(algos) / sizeof(algos[0]); k++)
		if (!strcmp(base, algos[k].name))
			break;
	if (k < sizeof(algos) / sizeof(algos[0]) && algos[k].plan < 0) {
		if (balance_later_args(s, st, base) < 0)
			return -1;
		diag_error(s->dc, &w->loc, "unsupported",
		           "'balance %s' is not supported by cfgc yet "
		           "(HAProxy manual section 4.2)", base);
		return -1;
	}
	if (k < sizeof(algos) / sizeof(algos[0]) &&
	    (algos[k].plan == PLAN_BALANCE_URI ||
	     algos[k].plan == PLAN_BALANCE_URL_PARAM ||
	     algos[k].plan == PLAN_BALANCE_HDR) && !paren == !(algos[k].plan ==
	                                                      PLAN_BALANCE_HDR)) {
		struct model_http *h = &s->set->http;

		h->bal_flags = h->bal_len = h->bal_depth = 0;
		free(h->bal_name);
		h->bal_name = NULL;
		if ((algos[k].plan == PLAN_BALANCE_URI ?
		     balance_uri_args(s, st, h) :
		     balance_named_args(s, st, base, h)) < 0)
			return -1;
		h->balance_loc = w->loc;
		s->set->balance = (uint32_t)algos[k].plan;
		return 0;
	}
	if (k < sizeof(algos) / sizeof(algos[0]) &&
	    algos[k].plan == PLAN_BALANCE_HASH && !paren) {
		/* the expression is compiled per backend once its mode is
		 * known (kw_http_finish); HAProxy reads only this word */
		struct model_http *h = &s->set->http;
		char *copy;

		if (st->nargs < 3) {
			diag_error(s->dc, &w->loc, "missing-argument",
			           "'balance hash' expects a sample expression, "
			           "found nothing");
			return -1;
		}
		if (s->sec != KW_SEC_DEFAULTS) {
			/* HAProxy parses it for each backend using it; one in
			 * defaults is judged by those (kw_http_finish) */
			struct lint_sample_ctx c = { .s = s };

			if (lint_sample_word(&c, &st->args[2]))
				return -1;
		}
		if (!(copy = sema_strdup(s, st->args[2].text)))
			return -1;
		h->bal_checked = s->sec != KW_SEC_DEFAULTS;
		h->bal_flags = h->bal_len = h->bal_depth = 0;
		free(h->bal_name);
		h->bal_name = copy;
		h->balance_loc = st->args[2].loc;
		s->set->balance = PLAN_BALANCE_HASH;
		if (st->nargs > 3)
			diag_warning(s->dc, &st->args[3].loc, "ignored",
			             "'%s' and what follows are ignored after the "
			             "expression of 'balance hash', as HAProxy does",
			             st->args[3].text);
		return 0;
	}
	if (k < sizeof(algos) / sizeof(algos[0]) &&
	    algos[k].plan == PLAN_BALANCE_HDR && !paren) {
		diag_error(s->dc, &w->loc, "missing-argument",
		           "'balance hdr' expects a header name in parentheses: "
		           "'hdr(<name>)'");
		return -1;
	}
	if (k == sizeof(algos) / sizeof(algos[0]) ||
	    (paren && algos[k].plan != PLAN_BALANCE_RANDOM)) {
		diag_error(s->dc, &w->loc, "invalid-value",
		           "'balance' expects an algorithm such as 'roundrobin', "
		           "'leastconn' or 'source', found '%s'", w->text);
		suggest_init(&sg, base);
		for (size_t i = 0; i < sizeof(algos) / sizeof(algos[0]); i++)
			suggest_offer(&sg, algos[i].name);
		hint = suggest_result(&sg);
		if (hint)
			diag_hint(s->dc, "did you mean '%s'?", hint);
		return -1;
	}
	if (paren) {
		char num[16];
		size_t n = strlen(paren);
		uint64_t v;
		const char *err;

		if (n < 3 || paren[n - 1] != ')' || n - 2 >= sizeof(num)) {
			diag_error(s->dc, &w->loc, "invalid-value",
			           "'balance random' expects 'random' or "
			           "'random(<draws>)', found '%s'", w->text);
			return -1;
		}
		memcpy(num, paren + 1, n - 2);
		num[n - 2] = 0;
		if (units_parse_uint(num, lim->min, lim->max, &v, &err) < 0) {
			diag_error(s->dc, &w->loc, "invalid-value",
			           "'balance random(<draws>)' expects %u to %u "
			           "draws, found '%s'", lim->min, lim->max, num);
			return -1;
		}
		draws = (uint32_t)v;
	}
	if (st->nargs > 2) {
		/* HAProxy reads no further and says nothing */
		diag_warning(s->dc, &st->args[2].loc, "ignored",
		             "'balance %s' takes no argument: '%s' and what follows "
		             "are ignored, as HAProxy does", base, st->args[2].text);
	}
	s->set->balance = (uint32_t)algos[k].plan;
	s->set->random_draws = draws;
	return 0;
}

/* hash-type map-based|consistent [FUNCTION [avalanche]]: HAProxy's
 * defaults when no function is named: sdbm, plus avalanche for consistent. */
static int kw_hash_type(struct sema *s, const struct ast_stmt *st)
{
	static const char *const funcs[PLAN_HASH_FN_MAX] = {
		"sdbm", "djb2", "wt6", "crc32", "none",
	};
	const struct ast_word *w = &st->args[1];
	uint32_t fn = PLAN_HASH_FN_SDBM;
	int aval;

	if (!strcmp(w->text, "map-based"))
		s->set->hash_type = PLAN_HASH_MAP_BASED;
	else if (!strcmp(w->text, "consistent"))
		s->set->hash_type = PLAN_HASH_CONSISTENT;
	else {
		diag_error(s->dc, &w->loc, "invalid-value",
		           "'hash-type' expects 'map-based' or 'consistent', "
		           "found '%s'", w->text);
		return -1;
	}
	if (st->nargs > 2) {
		for (fn = 0; fn < PLAN_HASH_FN_MAX; fn++)
			if (!strcmp(st->args[2].text, funcs[fn]))
				break;
		if (fn == PLAN_HASH_FN_MAX) {
			diag_error(s->dc, &st->args[2].loc, "invalid-value",
			           "'hash-type' expects a hash function 'sdbm', 'djb2', "
			           "'crc32', 'wt6' or 'none', found '%s'",
			           st->args[2].text);
			return -1;
		}
	}
	if (st->nargs > 3 && strcmp(st->args[3].text, "avalanche")) {
		diag_error(s->dc, &st->args[3].loc, "invalid-value",
		           "'hash-type' expects the modifier 'avalanche' after the "
		           "function, found '%s'", st->args[3].text);
		return -1;
	}
	aval = st->nargs > 3 ||
	       (st->nargs == 2 && s->set->hash_type == PLAN_HASH_CONSISTENT);
	s->set->hash_func = fn;
	s->set->flags = (s->set->flags & ~PLAN_PX_F_HASH_AVALANCHE) |
	                (aval ? PLAN_PX_F_HASH_AVALANCHE : 0);
	return 0;
}

/* retries N: read like atol() as HAProxy does. */
static int kw_retries(struct sema *s, const struct ast_stmt *st)
{
	s->set->retries = kw_lenient_count(s, &st->args[1], "retries");
	return 0;
}

/* fullconn N in a backend: read like atol() as HAProxy does. */
static int kw_fullconn(struct sema *s, const struct ast_stmt *st)
{
	s->set->fullconn = kw_lenient_count(s, &st->args[1], "fullconn");
	return 0;
}

/* maxconn N in a proxy: read like atol() as HAProxy does. */
static int kw_proxy_maxconn(struct sema *s, const struct ast_stmt *st)
{
	s->set->maxconn = kw_lenient_count(s, &st->args[1], "maxconn");
	return 0;
}

/* description TEXT...: the words joined by spaces, as HAProxy keeps them;
 * in global the process's, else the current proxy's (the stats page and
 * `show info` show them). A later line replaces an earlier one. */
int kw_description(struct sema *s, const struct ast_stmt *st)
{
	size_t len = 1;
	char *t, **dst;

	for (size_t i = 1; i < st->nargs; i++) {
		if (strlen(st->args[i].text) != st->args[i].len ||
		    strpbrk(st->args[i].text, "\r\n")) {
			diag_error(s->dc, &st->args[i].loc, "invalid-value",
			           "'description' expects one line of text, "
			           "without NUL, CR or LF bytes");
			return -1;
		}
		len += st->args[i].len + 1;
	}
	if (!(t = malloc(len))) {
		s->oom = 1;
		return -1;
	}
	t[0] = 0;
	for (size_t i = 1; i < st->nargs; i++) {
		if (i > 1)
			strcat(t, " ");
		strcat(t, st->args[i].text);
	}
	dst = s->proxy == SEMA_NO_PROXY ? &s->m->description
	                                : &s->m->proxies[s->proxy].description;
	free(*dst);
	*dst = t;
	return 0;
}

static int kw_default_backend(struct sema *s, const struct ast_stmt *st)
{
	char *name;

	if (s->sec == KW_SEC_BACKEND) {
		/* ignored without a frontend side, but HAProxy still refuses
		 * a backend naming itself */
		struct model_proxy *px = sema_proxy(s);

		diag_warning(s->dc, &st->args[0].loc, "ignored",
		             "'default_backend' ignored because backend '%s' has "
		             "no frontend capability", px ? px->name : "");
		if (px && !strcmp(px->name, st->args[1].text)) {
			diag_error(s->dc, &st->args[1].loc, "backend-loop",
			           "backend '%s': default_backend names the section "
			           "itself, expected another backend or listen "
			           "section", px->name);
			return -1;
		}
		return 0;
	}
	name = sema_strdup(s, st->args[1].text);

	if (!name)
		return -1;
	free(s->set->default_backend);
	s->set->default_backend = name;
	s->set->default_backend_loc = st->args[1].loc;
	return 0;
}

/* timeout connect|client|server TIME; the other timeouts are known to
 * HAProxy but not compiled yet. */
static int kw_timeout(struct sema *s, const struct ast_stmt *st)
{
	static const struct {
		const char *name;
		uint32_t cap;             /* PLAN_CAP_* that uses it */
		size_t field;             /* offset in struct model_settings */
	} timeouts[] = {
		{ "client",  PLAN_CAP_FE,
		  offsetof(struct model_settings, timeout_client) },
		{ "connect", PLAN_CAP_BE,
		  offsetof(struct model_settings, timeout_connect) },
		{ "server",  PLAN_CAP_BE,
		  offsetof(struct model_settings, timeout_server) },
		{ "queue",   PLAN_CAP_BE,
		  offsetof(struct model_settings, timeout_queue) },
		{ "tarpit",  PLAN_CAP_ALL,
		  offsetof(struct model_settings, timeout_tarpit) },
		{ "tunnel",  PLAN_CAP_BE,
		  offsetof(struct model_settings, timeout_tunnel) },
		{ "client-fin", PLAN_CAP_FE,
		  offsetof(struct model_settings, timeout_client_fin) },
		{ "server-fin", PLAN_CAP_BE,
		  offsetof(struct model_settings, timeout_server_fin) },
		{ "check",   PLAN_CAP_BE,
		  offsetof(struct model_settings, timeout_check) },
		{ "http-request", PLAN_CAP_ALL,
		  offsetof(struct model_settings, http.timeout_http_request) },
		{ "http-keep-alive", PLAN_CAP_ALL,
		  offsetof(struct model_settings, http.timeout_http_keep_alive) },
	};
	struct model_proxy *px = sema_proxy(s);
	const char *sub;
	char err[256];
	uint32_t ms;
	size_t i;

	if (st->nargs < 2) {
		diag_error(s->dc, &st->args[0].loc, "missing-argument",
		           "'timeout' expects a timeout name ('client', 'connect', "
		           "'server', ...) and a time, found nothing");
		return -1;
	}
	sub = st->args[1].text;
	for (i = 0; i < sizeof(timeouts) / sizeof(timeouts[0]); i++)
		if (!strcmp(sub, timeouts[i].name))
			break;
	if (i == sizeof(timeouts) / sizeof(timeouts[0])) {
		kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
		return -1;
	}
	if (st->nargs < 3) {
		diag_error(s->dc, &st->args[1].loc, "missing-argument",
		           "'timeout %s' expects a time such as 30s or 500ms, "
		           "found nothing", sub);
		return -1;
	}
	if (st->nargs > 3) {
		struct src_loc loc = kw_span(st->args, 3, st->nargs - 1);

		diag_error(s->dc, &loc, "extra-argument",
		           "'timeout %s' expects one time value, found an extra "
		           "argument '%s' after '%s'", sub, st->args[3].text,
		           st->args[2].text);
		return -1;
	}
	snprintf(err, sizeof(err), "timeout %s", sub);
	if (kw_time_arg(s, &st->args[2], 1, err, &ms) < 0)
		return -1;
	if (px && !(px->cap & timeouts[i].cap)) {
		struct src_loc loc = kw_span(st->args, 0, 1);

		diag_warning(s->dc, &loc, "ignored",
		             "'timeout %s' ignored because %s '%s' has no %s "
		             "capability", sub, s->sec_label, px->name,
		             timeouts[i].cap == PLAN_CAP_FE ? "frontend" : "backend");
		return 0;
	}
	*(uint32_t *)((char *)s->set + timeouts[i].field) = ms;
	return 0;
}

#define FE_SECS (KW_SEC_FRONTEND | KW_SEC_LISTEN)
#define BE_SECS (KW_SEC_BACKEND | KW_SEC_LISTEN)

const struct kw_def kw_proxy_table[] = {
	{ .name = "declare", .sections = FE_SECS, .min_args = 1,
	  .max_args = KW_ARGS_ANY,
	  .usage = "capture request|response len <length>",
	  .parse = kw_declare, .status = KW_COMPILED },
	{ .name = "compression", .sections = KW_SEC_DEFAULTS | FE_SECS | BE_SECS,
	  .min_args = 0, .max_args = KW_ARGS_ANY,
	  .usage = "algo|algo-res|type|type-res|offload|direction ...",
	  .parse = kw_compression, .status = KW_COMPILED, .takes_cond = 1 },
	{ .name = "filter", .sections = FE_SECS | BE_SECS, .min_args = 1,
	  .max_args = KW_ARGS_ANY, .usage = "<name> [<arguments>]",
	  .parse = kw_filter, .status = KW_COMPILED },
	{ .name = "acl", .sections = KW_SEC_PROXIES, .min_args = 0,
	  .max_args = KW_ARGS_ANY,
	  .usage = "a name, a fetch method, flags and values",
	  .parse = kw_acl, .status = KW_COMPILED },
	{ .name = "balance", .sections = KW_SEC_DEFAULTS | BE_SECS,
	  .warn_sections = KW_SEC_FRONTEND, .min_args = 0,
	  .max_args = KW_ARGS_ANY, .usage = "<algorithm> [<arguments>]",
	  .parse = kw_balance, .status = KW_COMPILED },
	{ .name = "load-server-state-from-file",
	  .sections = KW_SEC_DEFAULTS | BE_SECS, .min_args = 1, .max_args = 1,
	  .usage = "global|local|none", .parse = kw_load_state,
	  .status = KW_COMPILED },
	{ .name = "bind", .sections = FE_SECS, .warn_sections = KW_SEC_BACKEND,
	  .min_args = 1, .max_args = KW_ARGS_ANY,
	  .usage = "an address such as ':80', '10.0.0.1:8000-8010' or "
	           "'/run/sock', then options",
	  .parse = kw_bind, .status = KW_COMPILED },
	{ .name = "capture", .sections = FE_SECS,
	  .warn_sections = KW_SEC_BACKEND, .min_args = 1,
	  .max_args = KW_ARGS_ANY, .usage = "'request header', 'response "
	  "header' or 'cookie', a name, then 'len' and a length",
	  .parse = kw_capture, .status = KW_COMPILED },
	{ .name = "cookie", .sections = KW_SEC_DEFAULTS | BE_SECS,
	  .warn_sections = KW_SEC_FRONTEND, .min_args = 1,
	  .max_args = KW_ARGS_ANY, .usage = "a cookie name, then options",
	  .parse = kw_cookie, .status = KW_COMPILED },
	{ .name = "description", .sections = FE_SECS | BE_SECS, .min_args = 1,
	  .max_args = KW_ARGS_ANY, .usage = "<text>", .parse = kw_description,
	  .status = KW_COMPILED },
	{ .name = "default_backend", .sections = KW_SEC_DEFAULTS | FE_SECS |
	  KW_SEC_BACKEND, .min_args = 1, .max_args = 1,
	  .usage = "a backend name", .parse = kw_default_backend,
	  .status = KW_COMPILED },
	{ .name = "default-server", .sections = KW_SEC_DEFAULTS | BE_SECS,
	  .min_args = 0,
	  .max_args = KW_ARGS_ANY, .usage = "server options",
	  .parse = kw_default_server, .status = KW_COMPILED },
	{ .name = "errorfile", .sections = KW_SEC_PROXIES, .min_args = 2,
	  .max_args = 2, .usage = "a status code and a file",
	  .parse = kw_errorfile, .status = KW_COMPILED },
	{ .name = "errorfiles", .sections = KW_SEC_PROXIES, .min_args = 1,
	  .max_args = KW_ARGS_ANY,
	  .usage = "an http-errors section name, then status codes",
	  .parse = kw_errorfiles, .status = KW_COMPILED },
	{ .name = "hash-type", .sections = KW_SEC_DEFAULTS | BE_SECS,
	  .warn_sections = KW_SEC_FRONTEND, .min_args = 1,
	  .max_args = KW_ARGS_ANY,
	  .usage = "'map-based' or 'consistent' [<function>]",
	  .parse = kw_hash_type, .status = KW_COMPILED },
	{ .name = "http-after-response", .sections = KW_SEC_PROXIES,
	  .min_args = 0, .max_args = KW_ARGS_ANY,
	  .usage = "an action and its arguments", .parse = kw_http_rule,
	  .status = KW_COMPILED, .takes_cond = 1 },
	{ .name = "http-check", .sections = KW_SEC_DEFAULTS | BE_SECS,
	  .warn_sections = KW_SEC_FRONTEND, .min_args = 1,
	  .max_args = KW_ARGS_ANY, .usage = "'send' or 'expect' and their "
	  "arguments", .parse = kw_http_check, .status = KW_COMPILED },
	{ .name = "http-reuse", .sections = KW_SEC_DEFAULTS | BE_SECS,
	  .warn_sections = KW_SEC_FRONTEND, .min_args = 1, .max_args = 1,
	  .usage = "'never', 'safe', 'aggressive' or 'always'",
	  .parse = kw_http_reuse, .status = KW_COMPILED },
	{ .name = "http-request", .sections = KW_SEC_PROXIES,
	  .min_args = 0, .max_args = KW_ARGS_ANY,
	  .usage = "an action and its arguments", .parse = kw_http_rule,
	  .status = KW_COMPILED, .takes_cond = 1 },
	{ .name = "http-response", .sections = KW_SEC_PROXIES,
	  .min_args = 0, .max_args = KW_ARGS_ANY,
	  .usage = "an action and its arguments", .parse = kw_http_rule,
	  .status = KW_COMPILED, .takes_cond = 1 },
	{ .name = "log", .sections = KW_SEC_PROXIES, .min_args = 1,
	  .max_args = KW_ARGS_ANY,
	  .usage = "'global', or a target, [len <n>] [format <f>], a "
	           "facility and levels",
	  .parse = kw_log, .status = KW_COMPILED },
	{ .name = "log-format", .sections = KW_SEC_DEFAULTS | FE_SECS,
	  .warn_sections = KW_SEC_BACKEND, .min_args = 0, .max_args = 1,
	  .usage = "a format string (quoted when it has spaces)",
	  .parse = kw_log_format, .status = KW_COMPILED },
	{ .name = "maxconn", .sections = KW_SEC_DEFAULTS | FE_SECS,
	  .warn_sections = KW_SEC_BACKEND, .min_args = 1, .max_args = 1,
	  .usage = "a number of connections", .parse = kw_proxy_maxconn,
	  .status = KW_COMPILED },
	{ .name = "monitor-uri", .sections = KW_SEC_DEFAULTS | FE_SECS,
	  .warn_sections = KW_SEC_BACKEND, .min_args = 1, .max_args = 1,
	  .usage = "a URI", .parse = kw_http_word, .status = KW_COMPILED },
	{ .name = "mode", .sections = KW_SEC_PROXIES, .min_args = 1,
	  .max_args = 1, .usage = "'tcp' or 'http'", .parse = kw_mode,
	  .status = KW_COMPILED },
	{ .name = "no", .sections = KW_SEC_PROXIES, .min_args = 0,
	  .max_args = KW_ARGS_ANY, .usage = "'option <name>' or 'log'",
	  .parse = kw_no, .status = KW_COMPILED },
	{ .name = "option", .sections = KW_SEC_PROXIES, .min_args = 0,
	  .max_args = KW_ARGS_ANY, .usage = "an option name",
	  .parse = kw_option, .status = KW_COMPILED },
	{ .name = "redirect", .sections = KW_SEC_FRONTEND | KW_SEC_LISTEN |
	  KW_SEC_BACKEND, .min_args = 0, .max_args = KW_ARGS_ANY,
	  .usage = "'location', 'prefix' or 'scheme', a value, options",
	  .parse = kw_redirect, .status = KW_COMPILED, .takes_cond = 1 },
	{ .name = "source", .sections = KW_SEC_DEFAULTS | BE_SECS,
	  .warn_sections = KW_SEC_FRONTEND, .min_args = 1, .max_args = KW_ARGS_ANY,
	  .usage = "<addr>[:<port>]", .parse = kw_source,
	  .status = KW_COMPILED },
	{ .name = "fullconn", .sections = KW_SEC_DEFAULTS | BE_SECS,
	  .warn_sections = KW_SEC_FRONTEND, .min_args = 1, .max_args = 1,
	  .usage = "a number of connections", .parse = kw_fullconn,
	  .status = KW_COMPILED },
	{ .name = "retries", .sections = KW_SEC_DEFAULTS | BE_SECS,
	  .warn_sections = KW_SEC_FRONTEND, .min_args = 1, .max_args = 1,
	  .usage = "a number of retries", .parse = kw_retries,
	  .status = KW_COMPILED },
	{ .name = "retry-on", .sections = KW_SEC_DEFAULTS | BE_SECS,
	  .min_args = 1,
	  .max_args = KW_ARGS_ANY, .usage = "failure keywords or status codes",
	  .parse = kw_retry_on, .status = KW_COMPILED },
	{ .name = "server", .sections = BE_SECS, .min_args = 2,
	  .max_args = KW_ARGS_ANY,
	  .usage = "a name and an address such as '10.0.0.1:80', then options",
	  .parse = kw_server, .status = KW_COMPILED },
	{ .name = "server-template", .sections = BE_SECS, .min_args = 3,
	  .max_args = KW_ARGS_ANY,
	  .usage = "a name prefix, a number of servers or a range, and an "
	  "address such as 'app.example:80', then options",
	  .parse = kw_server_template, .status = KW_COMPILED },
	{ .name = "stats", .sections = KW_SEC_PROXIES, .min_args = 0,
	  .max_args = KW_ARGS_ANY, .usage = "a keyword such as 'enable', "
	  "'uri <prefix>' or 'auth <user>:<password>'",
	  .parse = kw_proxy_stats, .status = KW_COMPILED, .takes_cond = 1 },
	{ .name = "stick", .sections = BE_SECS, .min_args = 2,
	  .max_args = 4, .usage = "'on', 'match' or 'store-request', a "
	  "sample, optionally 'table NAME', then an optional condition",
	  .parse = kw_stick, .status = KW_COMPILED, .takes_cond = 1 },
	{ .name = "stick-table", .sections = FE_SECS | KW_SEC_BACKEND,
	  .min_args = 1, .max_args = KW_ARGS_ANY,
	  .usage = "type <type> size <size> [expire <time>] [store <types>]",
	  .parse = kw_stick_table, .status = KW_COMPILED },
	{ .name = "tcp-check", .sections = KW_SEC_DEFAULTS | BE_SECS,
	  .warn_sections = KW_SEC_FRONTEND, .min_args = 1,
	  .max_args = KW_ARGS_ANY, .usage = "'connect', 'send', 'send-binary' "
	  "or 'expect' and their arguments", .parse = kw_tcp_check,
	  .status = KW_COMPILED },
	{ .name = "tcp-request", .sections = KW_SEC_PROXIES, .min_args = 0,
	  .max_args = KW_ARGS_ANY, .usage = "'connection', 'session' or "
	  "'content' and an action, or 'inspect-delay' and a time",
	  .parse = kw_tcp_request, .status = KW_COMPILED, .takes_cond = 1 },
	{ .name = "tcp-response", .sections = KW_SEC_PROXIES, .min_args = 0,
	  .max_args = KW_ARGS_ANY, .usage = "'content' and an action, or "
	  "'inspect-delay' and a time",
	  .parse = kw_tcp_response, .status = KW_COMPILED, .takes_cond = 1 },
	{ .name = "timeout", .sections = KW_SEC_PROXIES, .min_args = 0,
	  .max_args = KW_ARGS_ANY, .usage = "<name> <time>",
	  .parse = kw_timeout, .status = KW_COMPILED },
	{ .name = "unique-id-format", .sections = KW_SEC_PROXIES, .min_args = 0,
	  .max_args = 1, .usage = "a format string (quoted when it has spaces)",
	  .parse = kw_log_format, .status = KW_COMPILED },
	{ .name = "unique-id-header", .sections = KW_SEC_DEFAULTS | FE_SECS,
	  .warn_sections = KW_SEC_BACKEND, .min_args = 1, .max_args = 1,
	  .usage = "a header name", .parse = kw_http_word,
	  .status = KW_COMPILED },
	{ .name = "use-server", .sections = BE_SECS, .min_args = 1,
	  .max_args = 1, .usage = "a server name, then 'if' or 'unless' and a "
	  "condition", .parse = kw_use_server, .status = KW_COMPILED,
	  .takes_cond = 1 },
	{ .name = "use_backend", .sections = KW_SEC_PROXIES, .min_args = 1,
	  .max_args = 1, .usage = "a backend name, then 'if' or 'unless' and a "
	  "condition", .parse = kw_use_backend, .status = KW_COMPILED,
	  .takes_cond = 1 },
};

const size_t kw_proxy_count = sizeof(kw_proxy_table) / sizeof(kw_proxy_table[0]);
