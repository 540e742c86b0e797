/*
 * kw-conv.c: converter chains after a fetch (`req.hdr(host),lower,
 * map(hosts.map,www)`), in ACL lines, rule values and %[...] items, into
 * an ACL line's converters; map files and regsub regexes read and checked
 * here, at compile time, into the model's pattern sets; variable names
 * (`txn.x`) given their plan index. What each converter does at run time
 * is common/plan_conv.c; doc/samples.md lists them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "files.h"
#include "kw.h"
#include "lint-tab.h"
#include "lint.h"
#include "model.h"
#include "plan.h"
#include "sample-reg.h"
#include "sema.h"

#define CONV_MAX_ARGS 4
#define CONV_ARG_MAX  1024          /* bytes of one argument */

/* The converters cfgc compiles (named by sample-reg.c, but the map
 * family), with their argument counts and output type. */
static const struct conv_def {
	uint32_t conv;              /* enum plan_conv */
	uint8_t min, max;           /* arguments */
	uint8_t out;                /* enum smp_out of its output */
} conv_defs[] = {
	{ PLAN_CONV_LOWER, 0, 0, SMP_OUT_STR },
	{ PLAN_CONV_UPPER, 0, 0, SMP_OUT_STR },
	{ PLAN_CONV_BASE64, 0, 0, SMP_OUT_STR },
	{ PLAN_CONV_B64DEC, 0, 0, SMP_OUT_BIN },
	{ PLAN_CONV_HEX, 0, 0, SMP_OUT_STR },
	{ PLAN_CONV_LENGTH, 0, 0, SMP_OUT_INT },
	{ PLAN_CONV_BYTES, 1, 2, SMP_OUT_BIN },
	{ PLAN_CONV_FIELD, 2, 3, SMP_OUT_STR },
	{ PLAN_CONV_WORD, 2, 3, SMP_OUT_STR },
	{ PLAN_CONV_REGSUB, 2, 3, SMP_OUT_STR },
	{ PLAN_CONV_URL_DEC, 0, 1, SMP_OUT_STR },
	{ PLAN_CONV_JSON, 0, 1, SMP_OUT_STR },
	{ PLAN_CONV_CRC32, 0, 1, SMP_OUT_INT },
	{ PLAN_CONV_SDBM, 0, 1, SMP_OUT_INT },
	{ PLAN_CONV_DJB2, 0, 1, SMP_OUT_INT },
	{ PLAN_CONV_WT6, 0, 1, SMP_OUT_INT },
	{ PLAN_CONV_IPMASK, 1, 2, SMP_OUT_IP },
	{ PLAN_CONV_ADD, 1, 1, SMP_OUT_INT },
	{ PLAN_CONV_SUB, 1, 1, SMP_OUT_INT },
	{ PLAN_CONV_MUL, 1, 1, SMP_OUT_INT },
	{ PLAN_CONV_DIV, 1, 1, SMP_OUT_INT },
	{ PLAN_CONV_MOD, 1, 1, SMP_OUT_INT },
	{ PLAN_CONV_NEG, 0, 0, SMP_OUT_INT },
	{ PLAN_CONV_NOT, 0, 0, SMP_OUT_BOOL },
	{ PLAN_CONV_BOOL, 0, 0, SMP_OUT_BOOL },
	{ PLAN_CONV_AND, 1, 1, SMP_OUT_INT },
	{ PLAN_CONV_OR, 1, 1, SMP_OUT_INT },
	{ PLAN_CONV_XOR, 1, 1, SMP_OUT_INT },
	{ PLAN_CONV_CONCAT, 0, 3, SMP_OUT_STR },
	{ PLAN_CONV_STRCMP, 1, 1, SMP_OUT_INT },
	{ PLAN_CONV_ODD, 0, 0, SMP_OUT_BOOL },
	{ PLAN_CONV_EVEN, 0, 0, SMP_OUT_BOOL },
	{ PLAN_CONV_LTRIM, 1, 1, SMP_OUT_STR },
	{ PLAN_CONV_RTRIM, 1, 1, SMP_OUT_STR },
	{ PLAN_CONV_HOST_ONLY, 0, 0, SMP_OUT_STR },
	{ PLAN_CONV_PORT_ONLY, 0, 0, SMP_OUT_INT },
	{ PLAN_CONV_SHA1, 0, 0, SMP_OUT_BIN },
	{ PLAN_CONV_SHA2, 0, 1, SMP_OUT_BIN },
	{ PLAN_CONV_HEX2I, 0, 0, SMP_OUT_INT },
};

#define NCONV_DEFS (sizeof(conv_defs) / sizeof(conv_defs[0]))

/* map_<match>[_<out>] names: the match of each middle word. */
static const struct { const char *name; uint32_t match; } conv_map_kinds[] = {
	{ "str", PLAN_MATCH_STR }, { "beg", PLAN_MATCH_BEG },
	{ "end", PLAN_MATCH_END }, { "sub", PLAN_MATCH_SUB },
	{ "reg", PLAN_MATCH_REG }, { "dom", PLAN_MATCH_DOM },
	{ "dir", PLAN_MATCH_DIR }, { "ip", PLAN_MATCH_IP },
	{ "int", PLAN_MATCH_INT },
};

long kw_expr_end(const char *t, size_t p)
{
	return plan_expr_end(t, p);
}

/*
 * The arguments of a converter, e[0..len) between its parentheses: split
 * at ',' outside quotes; quotes grouping and removed; a backslash before
 * a quote, ',', ')' or a backslash gives that byte, elsewhere it is kept
 * (regexes keep their escapes). Up to CONV_MAX_ARGS into args (each
 * CONV_ARG_MAX bytes). The count, or -1 when too many or too long.
 */
static int conv_split_args(const char *e, size_t len,
                           char args[CONV_MAX_ARGS][CONV_ARG_MAX])
{
	size_t o = 0;
	int n = 0;
	char quote = 0;

	if (!len)
		return 0;
	for (size_t i = 0; i <= len; i++) {
		char c = i < len ? e[i] : ',';

		if (!quote && c == ',') {
			if (n == CONV_MAX_ARGS)
				return -1;
			args[n++][o] = 0;
			o = 0;
			continue;
		}
		if (n == CONV_MAX_ARGS || o + 1 >= CONV_ARG_MAX)
			return -1;
		if (c == '\\' && i + 1 < len &&
		    strchr("\"',)\\", e[i + 1])) {
			args[n][o++] = e[++i];
			continue;
		}
		if (!quote && (c == '"' || c == '\'')) {
			quote = c;
			continue;
		}
		if (quote && c == quote) {
			quote = 0;
			continue;
		}
		args[n][o++] = c;
	}
	return quote ? -1 : n;
}

char *kw_arg_text(const char *e, size_t len)
{
	static char args[CONV_MAX_ARGS][CONV_ARG_MAX];

	if (conv_split_args(e, len, args) > 1)
		return NULL;            /* more than one argument */
	return strdup(len ? args[0] : "");
}

/* 1 when `name` has a variable scope prefix ("txn.", "req."...). */
static int conv_is_var(const char *name)
{
	static const char *const scopes[] = { "proc.", "sess.", "txn.",
	                                      "req.", "res." };

	for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++)
		if (!strncmp(name, scopes[i], strlen(scopes[i])) &&
		    name[strlen(scopes[i])])
			return 1;
	return 0;
}

int64_t kw_var_index(struct sema *s, const struct src_loc *loc,
                     const char *name)
{
	int64_t v;

	if (!conv_is_var(name)) {
		diag_error(s->dc, loc, "invalid-argument",
		           "variable name '%s' needs a scope: proc., sess., txn., "
		           "req. or res. before the name", name);
		return -1;
	}
	v = model_var_index(s->m, name);
	if (v == -2)
		s->oom = 1;
	else if (v == -1)
		diag_error(s->dc, loc, "unsupported",
		           "variable '%s': cfgc compiles at most %u distinct "
		           "variable names", name, PLAN_MAX_VARS);
	return v;
}

/* An integer argument; 0, or -1 (reported at loc). */
static int conv_int(struct sema *s, const struct src_loc *loc,
                    const char *conv, const char *t, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(t, &end, 10);
	if (!t[0] || *end || errno) {
		diag_error(s->dc, loc, "invalid-argument",
		           "converter '%s' expects an integer, found '%s'", conv, t);
		return -1;
	}
	*out = v;
	return 0;
}

/* A number or a variable as argument `a` of c. 0 or -1. */
static int conv_int_or_var(struct sema *s, const struct src_loc *loc,
                           const char *conv, const char *t,
                           struct model_conv *c)
{
	int64_t v;

	if (conv_is_var(t)) {
		if ((v = kw_var_index(s, loc, t)) < 0)
			return -1;
		c->a = v;
		c->flags |= PLAN_CS_F_A_VAR;
		return 0;
	}
	return conv_int(s, loc, conv, t, &c->a);
}

/* A netmask argument of ipmask: bits, or a dotted IPv4 mask. */
static int conv_mask(struct sema *s, const struct src_loc *loc,
                     const char *t, int max, int64_t *out)
{
	unsigned b[4];
	char tail, *end;
	long v = strtol(t, &end, 10);

	if (t[0] && !*end && v >= 0 && v <= max) {
		*out = v;
		return 0;
	}
	if (max == 32 &&
	    sscanf(t, "%u.%u.%u.%u%c", &b[0], &b[1], &b[2], &b[3], &tail) == 4) {
		uint32_t m = b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
		int bits = 0;

		while (bits < 32 && (m & (0x80000000u >> bits)))
			bits++;
		if (b[0] < 256 && b[1] < 256 && b[2] < 256 && b[3] < 256 &&
		    (bits == 32 || !(m << bits))) {
			*out = bits;
			return 0;
		}
	}
	diag_error(s->dc, loc, "invalid-argument",
	           "ipmask expects a mask of 0 to %d bits%s, found '%s'", max,
	           max == 32 ? " or a dotted netmask" : "", t);
	return -1;
}

static char *conv_dup(struct sema *s, const char *t)
{
	char *d = strdup(t);

	if (!d)
		s->oom = 1;
	return d;
}

/* The regex set of a regsub: one REG pattern, checked now. */
static int conv_regsub(struct sema *s, const struct src_loc *loc,
                       char args[CONV_MAX_ARGS][CONV_ARG_MAX], int nargs,
                       struct model_conv *c)
{
	struct model_patset *ps;
	struct plan_pattern pt;
	char msg[160];
	size_t off = 0;
	char *key;

	for (const char *f = nargs > 2 ? args[2] : ""; *f; f++) {
		if (*f == 'i')
			c->flags |= PLAN_CS_F_ICASE;
		else if (*f == 'g')
			c->flags |= PLAN_CS_F_GLOBAL;
		else {
			diag_error(s->dc, loc, "invalid-argument",
			           "regsub flags are 'i' and 'g', found '%s'", args[2]);
			return -1;
		}
	}
	if (plan_regex_check(args[0], strlen(args[0]),
	                     (c->flags & PLAN_CS_F_ICASE) != 0, &off, msg,
	                     sizeof(msg)) < 0) {
		diag_error(s->dc, loc, "invalid-regex",
		           "regsub: invalid regular expression '%s': %s (at offset "
		           "%zu)", args[0], msg, off);
		return -1;
	}
	if (!(c->s1 = conv_dup(s, args[1])) || !(ps = model_add_patset(s->m)) ||
	    !(key = conv_dup(s, args[0]))) {
		s->oom = 1;
		return -1;
	}
	ps->match = PLAN_MATCH_REG;
	ps->icase = (c->flags & PLAN_CS_F_ICASE) != 0;
	memset(&pt, 0, sizeof(pt));
	pt.kind = PLAN_PAT_REG;
	if (model_patset_add(ps, &pt, key, NULL) < 0) {
		s->oom = 1;
		return -1;
	}
	c->set = s->m->npatsets - 1;
	return 0;
}

/* One key of a map file line into pt and *key (STR, REG: text). 0, or
 * -1 with a reason in why. */
static int conv_map_key(struct sema *s, const struct src_loc *loc,
                        uint32_t match, int icase, const char *k,
                        struct plan_pattern *pt, char *why, size_t wl)
{
	memset(pt, 0, sizeof(*pt));
	if (match == PLAN_MATCH_IP) {
		struct ast_word w;
		int r;

		memset(&w, 0, sizeof(w));
		w.text = (char *)k;
		w.len = strlen(k);
		w.loc = *loc;
		w.flags = AST_W_QUOTED;
		if ((r = kw_acl_network(s, &w, pt)) != 0) {
			snprintf(why, wl, "'%s' is not an address or network", k);
			return -1;
		}
		return 0;
	}
	if (match == PLAN_MATCH_INT) {
		char *end;
		long long lo, hi;

		errno = 0;
		lo = strtoll(k, &end, 10);
		hi = lo;
		if (*end == ':' && end != k) {
			hi = strtoll(end + 1, &end, 10);
		}
		if (end == k || *end || errno || lo > hi) {
			snprintf(why, wl, "'%s' is not an integer or range", k);
			return -1;
		}
		pt->kind = PLAN_PAT_INT;
		pt->lo = lo;
		pt->hi = hi;
		return 0;
	}
	if (match == PLAN_MATCH_REG) {
		char msg[160];
		size_t off = 0;

		if (plan_regex_check(k, strlen(k), icase, &off, msg,
		                     sizeof(msg)) < 0) {
			snprintf(why, wl, "invalid regular expression '%s': %s", k,
			         msg);
			return -1;
		}
		pt->kind = PLAN_PAT_REG;
		return 0;
	}
	pt->kind = PLAN_PAT_STR;
	return 0;
}

/* A value of a map whose output is `out`, checked as HAProxy checks it
 * when it loads the file. */
static int conv_map_value_ok(uint32_t out, const char *v)
{
	struct plan_sample smp;

	memset(&smp, 0, sizeof(smp));
	smp.type = PLAN_SMP_STR;
	smp.str = v;
	smp.len = strlen(v);
	if (out == SMP_OUT_INT)
		return plan_sample_cast(&smp, PLAN_SMP_INT) == 0;
	if (out == SMP_OUT_IP)
		return plan_sample_cast(&smp, PLAN_SMP_IPV4) == 0;
	return 1;
}

/* qsort of a map's STR keys with their values (index pairs). */
static const struct model_patset *conv_sort_set;

static int conv_key_cmp(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	int c = strcmp(conv_sort_set->keys[a], conv_sort_set->keys[b]);

	return c ? c : (a > b) - (a < b);   /* stable: the first one wins */
}

/* Sort a MATCH_STR set by key and keep the first of equal keys, as the
 * lookup finds one. 0 or -1 (memory). */
static int conv_sort_keys(struct model_patset *ps)
{
	size_t *ix = malloc((ps->n ? ps->n : 1) * sizeof(*ix)), k = 0;
	char **keys = malloc((ps->n ? ps->n : 1) * sizeof(*keys));
	char **vals = malloc((ps->n ? ps->n : 1) * sizeof(*vals));

	if (!ix || !keys || !vals) {
		free(ix);
		free(keys);
		free(vals);
		return -1;
	}
	for (size_t i = 0; i < ps->n; i++)
		ix[i] = i;
	conv_sort_set = ps;
	qsort(ix, ps->n, sizeof(*ix), conv_key_cmp);
	for (size_t i = 0; i < ps->n; i++) {
		if (k && !strcmp(keys[k - 1], ps->keys[ix[i]])) {
			free(ps->keys[ix[i]]);
			free(ps->values[ix[i]]);
			continue;
		}
		keys[k] = ps->keys[ix[i]];
		vals[k++] = ps->values[ix[i]];
	}
	memcpy(ps->keys, keys, k * sizeof(*keys));
	memcpy(ps->values, vals, k * sizeof(*vals));
	ps->n = k;
	free(ix);
	free(keys);
	free(vals);
	return 0;
}

/* Lowercase t in place. */
static void conv_lower(char *t)
{
	for (; *t; t++)
		if (*t >= 'A' && *t <= 'Z')
			*t = (char)(*t - 'A' + 'a');
}

int kw_read_lines(struct sema *s, const struct src_loc *loc, const char *name,
                  const char *what, kw_line_fn fn, void *arg)
{
	char path[FILES_PATH_MAX], line[4096];
	unsigned lineno = 0;
	FILE *fp;
	int r = 0;

	if (s->target == SEMA_TARGET_HAPROXY)
		return 0;               /* the linter does not read them */
	if (s->hermetic) {
		diag_error(s->dc, loc, "unsupported",
		           "%s '%s' is read by cfgc when it compiles; it cannot "
		           "be left to cfgrun with --hermetic", what, name);
		return 1;
	}
	if (files_find_data(s->files, name, PLAN_PRE_PATTERNS, path) < 0 ||
	    !(fp = files_open_regular(path)))
		return 1;               /* files_stmt() reports it */
	while (fgets(line, sizeof(line), fp)) {
		size_t n = strlen(line);
		char *p = line;

		lineno++;
		if (n == sizeof(line) - 1 && line[n - 1] != '\n') {
			diag_error(s->dc, loc, "invalid-value",
			           "%s '%s', line %u: longer than %zu bytes", what,
			           path, lineno, sizeof(line) - 2);
			r = -1;
			break;
		}
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' ||
		             line[n - 1] == ' ' || line[n - 1] == '\t'))
			line[--n] = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		if ((r = fn(s, loc, path, lineno, p, arg)) != 0)
			break;
	}
	if (!r && ferror(fp)) {
		diag_error(s->dc, loc, "unreadable-file", "%s '%s': read error",
		           what, path);
		r = -1;
	}
	fclose(fp);
	return r;
}

/* One line of a map file into the set `arg`. */
static int conv_map_line(struct sema *s, const struct src_loc *loc,
                         const char *path, unsigned lineno, char *line,
                         void *arg)
{
	struct model_patset *ps = arg;
	struct plan_pattern pt;
	char *v = line + strcspn(line, " \t"), why[256], *key, *val;
	uint32_t out = ps->out;

	if (*v)
		*v++ = 0;
	v += strspn(v, " \t");
	if (conv_map_key(s, loc, ps->match, ps->icase, line, &pt, why,
	                 sizeof(why)) < 0 ||
	    (!conv_map_value_ok(out, v) &&
	     snprintf(why, sizeof(why), "value '%s' is not %s", v,
	              out == SMP_OUT_INT ? "an integer" : "an address"))) {
		diag_error(s->dc, loc, "invalid-value", "map file '%s', line %u: %s",
		           path, lineno, why);
		return -1;
	}
	if (!(key = strdup(line)) || !(val = strdup(v))) {
		free(key);
		s->oom = 1;
		return -1;
	}
	if ((ps->icase) && pt.kind == PLAN_PAT_STR)
		conv_lower(key);
	if (pt.kind != PLAN_PAT_STR && pt.kind != PLAN_PAT_REG) {
		free(key);
		key = NULL;
	}
	if (model_patset_add(ps, &pt, key, val) < 0) {
		s->oom = 1;
		return -1;
	}
	return 0;
}

/*
 * map*(FILE[,default]) of kind `match`, output `out`: the set of that
 * file and kind, read once and shared. 0, 1 (not compiled, reported or
 * left to the file check), -1 after an error.
 */
static int conv_map(struct sema *s, const struct src_loc *loc,
                    char args[CONV_MAX_ARGS][CONV_ARG_MAX], int nargs,
                    struct model_conv *c)
{
	struct model_patset *ps;
	size_t i;
	int r;

	c->conv = PLAN_CONV_MAP;
	if (!(c->s2 = conv_dup(s, args[0])))   /* for dumps and messages */
		return -1;
	if (nargs > 1) {
		if (!conv_map_value_ok(c->out, args[1])) {
			diag_error(s->dc, loc, "invalid-argument",
			           "the default value '%s' of a map giving %s is not "
			           "one", args[1],
			           c->out == SMP_OUT_INT ? "integers" : "addresses");
			return -1;
		}
		if (!(c->s1 = conv_dup(s, args[1])))
			return -1;
		c->flags |= PLAN_CS_F_DEFAULT;
	}
	for (i = 0; i < s->m->npatsets; i++) {
		ps = &s->m->patsets[i];
		if (ps->path && !strcmp(ps->path, args[0]) &&
		    ps->match == c->match && ps->out == c->out) {
			c->set = i;
			return 0;
		}
	}
	if (!(ps = model_add_patset(s->m)) || !(ps->path = strdup(args[0]))) {
		s->oom = 1;
		return -1;
	}
	ps->match = c->match;
	ps->out = c->out;
	if ((r = kw_read_lines(s, loc, args[0], "map file", conv_map_line, ps)))
		return r;
	if (c->match == PLAN_MATCH_STR && conv_sort_keys(ps) < 0) {
		s->oom = 1;
		return -1;
	}
	c->set = s->m->npatsets - 1;
	return 0;
}

/* A map converter name: its match and output into c; 1 when it is one. */
static int conv_map_name(const char *n, size_t len, struct model_conv *c)
{
	static const struct { const char *name; uint32_t out; } outs[] = {
		{ "_str", SMP_OUT_STR }, { "_int", SMP_OUT_INT },
		{ "_ip", SMP_OUT_IP },
	};

	if (len < 3 || memcmp(n, "map", 3))
		return 0;
	c->match = PLAN_MATCH_STR;
	c->out = SMP_OUT_STR;
	n += 3;
	len -= 3;
	if (!len)
		return 1;
	if (*n != '_')
		return 0;
	for (size_t k = 0; k < sizeof(conv_map_kinds) / sizeof(conv_map_kinds[0]);
	     k++) {
		size_t kl = strlen(conv_map_kinds[k].name);

		if (len - 1 < kl || memcmp(n + 1, conv_map_kinds[k].name, kl) ||
		    (len - 1 > kl && n[1 + kl] != '_'))
			continue;
		c->match = conv_map_kinds[k].match;
		n += 1 + kl;
		len -= 1 + kl;
		if (!len)
			return 1;
		for (size_t o = 0; o < sizeof(outs) / sizeof(outs[0]); o++)
			if (strlen(outs[o].name) == len && !memcmp(n, outs[o].name, len)) {
				c->out = outs[o].out;
				return 1;
			}
		return 0;
	}
	return 0;
}

/* The arguments of converter d into c. 0, 1 (not compiled, reported),
 * -1 after an error. */
static int conv_args(struct sema *s, const struct src_loc *loc,
                     const struct conv_def *d,
                     char args[CONV_MAX_ARGS][CONV_ARG_MAX], int nargs,
                     struct model_conv *c)
{
	const char *name = sample_conv_name(d->conv);

	switch (d->conv) {
	case PLAN_CONV_BYTES:
		c->b = -1;
		if (conv_int(s, loc, name, args[0], &c->a) < 0 ||
		    (nargs > 1 && conv_int(s, loc, name, args[1], &c->b) < 0))
			return -1;
		if (c->a < 0 || (nargs > 1 && c->b < 0)) {
			diag_error(s->dc, loc, "invalid-argument",
			           "bytes expects a non-negative offset and length");
			return -1;
		}
		return 0;
	case PLAN_CONV_FIELD:
	case PLAN_CONV_WORD:
		c->b = 1;
		if (conv_int(s, loc, name, args[0], &c->a) < 0 ||
		    (nargs > 2 && conv_int(s, loc, name, args[2], &c->b) < 0))
			return -1;
		if (c->a == 0 || c->b < 0 || !args[1][0]) {
			diag_error(s->dc, loc, "invalid-argument",
			           "%s expects a non-zero index, delimiters and a "
			           "count >= 0", name);
			return -1;
		}
		return (c->s1 = conv_dup(s, args[1])) ? 0 : -1;
	case PLAN_CONV_REGSUB:
		return conv_regsub(s, loc, args, nargs, c);
	case PLAN_CONV_URL_DEC:
	case PLAN_CONV_CRC32:
	case PLAN_CONV_SDBM:
	case PLAN_CONV_DJB2:
	case PLAN_CONV_WT6:
	case PLAN_CONV_JSON:
		if (nargs && strcmp(args[0], "0") && strcmp(args[0], "")) {
			diag_error(s->dc, loc, "unsupported",
			           "converter '%s' with argument '%s' is not supported "
			           "by cfgc yet", name, args[0]);
			return 1;
		}
		return 0;
	case PLAN_CONV_IPMASK:
		c->b = -1;
		return conv_mask(s, loc, args[0], 32, &c->a) < 0 ||
		       (nargs > 1 && conv_mask(s, loc, args[1], 128, &c->b) < 0) ?
		       -1 : 0;
	case PLAN_CONV_CONCAT:
		if (nargs > 0 && !(c->s1 = conv_dup(s, args[0])))
			return -1;
		if (nargs > 1 && args[1][0]) {
			int64_t v = kw_var_index(s, loc, args[1]);

			if (v < 0)
				return -1;
			c->a = v;
			c->flags |= PLAN_CS_F_A_VAR;
		}
		if (nargs > 2 && !(c->s2 = conv_dup(s, args[2])))
			return -1;
		return 0;
	case PLAN_CONV_LTRIM:
	case PLAN_CONV_RTRIM:
		return (c->s1 = conv_dup(s, args[0])) ? 0 : -1;
	case PLAN_CONV_SHA2:
		/* HAProxy: 256 when not given; only the four SHA-2 sizes */
		c->a = 256;
		if (nargs && conv_int(s, loc, name, args[0], &c->a) < 0)
			return -1;
		if (c->a != 224 && c->a != 256 && c->a != 384 && c->a != 512) {
			diag_error(s->dc, loc, "invalid-argument",
			           "sha2 takes 224, 256, 384 or 512 bits, found '%s'",
			           args[0]);
			return -1;
		}
		return 0;
	case PLAN_CONV_STRCMP: {
		int64_t v = kw_var_index(s, loc, args[0]);

		if (v < 0)
			return -1;
		c->a = v;
		c->flags |= PLAN_CS_F_A_VAR;
		return 0;
	}
	default:
		if (d->max == 1)
			return conv_int_or_var(s, loc, name, args[0], c);
		return 0;
	}
}

/* Offset in t[0..len) (t[0] is '(') of the first ')' outside quotes, not
 * escaped; -1 if none. */
static long conv_close_paren(const char *t, size_t len)
{
	char q = 0;

	for (size_t k = 0; k < len; k++) {
		if (q) {
			if (t[k] == '\\' && k + 1 < len)
				k++;
			else if (t[k] == q)
				q = 0;
		} else if (t[k] == '\\' && k + 1 < len) {
			k++;
		} else if (t[k] == '"' || t[k] == '\'') {
			q = t[k];
		} else if (t[k] == ')' && k > 0) {
			/* as HAProxy's argument parser: the first ')' outside
			 * quotes ends the list, a regex's own is escaped */
			return (long)k;
		}
	}
	return -1;
}

int kw_conv_out(const struct model_acl *a)
{
	const struct model_conv *c;

	if (!a->nconvs)
		return -1;
	c = &a->convs[a->nconvs - 1];
	if (c->conv == PLAN_CONV_MAP)
		return (int)c->out;
	for (size_t k = 0; k < NCONV_DEFS; k++)
		if (conv_defs[k].conv == c->conv)
			return conv_defs[k].out;
	return -1;
}

int kw_conv_chain(struct sema *s, const struct ast_word *w, size_t off,
                  const char *e, size_t len, struct model_acl *a)
{
	static char args[CONV_MAX_ARGS][CONV_ARG_MAX];
	struct src_loc loc = kw_word_loc_at(w, off);
	size_t i = 0;

	/* the linter's verdicts are the lint pass's (lint-sample.c) */
	if (s->target == SEMA_TARGET_HAPROXY)
		return 0;
	while (i < len) {
		size_t cn, alen = 0;
		const char *ap = NULL;
		const struct conv_def *d = NULL;
		struct model_conv *c;
		int nargs = 0, r, is_map;
		char name[64];

		loc = kw_word_loc_at(w, off + i);
		if (e[i] != ',') {
			diag_error(s->dc, &loc, "invalid-argument",
			           "expected ',' and a converter after the sample, "
			           "found '%.*s'", (int)(len - i), e + i);
			return -1;
		}
		i++;
		loc = kw_word_loc_at(w, off + i);
		cn = strcspn(e + i, ",(");
		if (cn > len - i)
			cn = len - i;
		if (i + cn < len && e[i + cn] == '(') {
			long end = conv_close_paren(e + i + cn, len - i - cn);

			if (end < 0) {
				diag_error(s->dc, &loc, "invalid-argument",
				           "converter '%.*s': its argument list has no "
				           "')'", (int)cn, e + i);
				return -1;
			}
			ap = e + i + cn + 1;
			alen = (size_t)end - 1;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(cn < 63 ? cn : 63),
		         e + i);
		for (size_t k = 0; k < NCONV_DEFS; k++)
			if (conv_defs[k].conv != PLAN_CONV_MAP &&
			    conv_defs[k].conv == sample_conv_find(e + i, cn))
				d = &conv_defs[k];
		if (!(c = model_acl_add_conv(a))) {
			s->oom = 1;
			return -1;
		}
		is_map = !d && conv_map_name(e + i, cn, c);
		if (!d && !is_map) {
			if (cn < 63 && strncmp(name, "lua.", 4) &&
			    !lint_name_in(lint_converters, lint_converters_count,
			                  name)) {
				diag_error(s->dc, &loc, "unknown-converter",
				           "unknown converter '%s'", name);
				return -1;
			}
			diag_error(s->dc, &loc, "unsupported",
			           "converter '%s' is not supported by cfgc yet "
			           "(doc/samples.md lists those it compiles)", name);
			return 1;
		}
		if ((nargs = conv_split_args(ap ? ap : "", alen, args)) < 0) {
			diag_error(s->dc, &loc, "invalid-argument",
			           "converter '%s': arguments too many, too long or "
			           "with an unclosed quote", name);
			return -1;
		}
		if (is_map ? nargs < 1 || nargs > 2 :
		    nargs < d->min || nargs > d->max) {
			diag_error(s->dc, &loc, "invalid-argument",
			           "converter '%s' takes %d to %d arguments, found %d",
			           name, is_map ? 1 : d->min, is_map ? 2 : d->max,
			           nargs);
			return -1;
		}
		if (is_map)
			r = conv_map(s, &loc, args, nargs, c);
		else {
			c->conv = d->conv;
			r = conv_args(s, &loc, d, args, nargs, c);
		}
		if (r)
			return r;
		i += cn + (ap ? alen + 2 : 0);
	}
	return 0;
}
