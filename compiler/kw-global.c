/*
 * kw-global.c: the global keywords cfgc compiles.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "diag.h"
#include "addr.h"
#include "kw.h"
#include "plan_limits.h"
#include "model.h"
#include "sema.h"
#include "units.h"

/* maxconn N: HAProxy parses a signed integer here and takes even -5;
 * a negative value leaves the runtime default (0 in the plan). */
static int kw_global_maxconn(struct sema *s, const struct ast_stmt *st)
{
	const struct ast_word *w = &st->args[1];
	char *end;
	long long v;

	if (s->global_maxconn_line) {
		/* HAProxy keeps the first and does not even read this one */
		diag_warning(s->dc, &st->args[0].loc, "ignored",
		             "'maxconn' already specified at line %u: HAProxy "
		             "keeps the first and ignores this one",
		             (unsigned)s->global_maxconn_line);
		return 0;
	}
	s->global_maxconn_line = st->args[0].loc.line;
	errno = 0;
	v = strtoll(w->text, &end, 10);
	if (!w->text[0] || *end || errno) {
		diag_error(s->dc, &w->loc, "invalid-number",
		           "'maxconn' expects an integer, found '%s'", w->text);
		return -1;
	}
	if (v > (long long)UINT32_MAX) {
		diag_error(s->dc, &w->loc, "out-of-range",
		           "'maxconn' expects at most %u connections, found '%s'",
		           UINT32_MAX, w->text);
		return -1;
	}
	if (v < 0) {
		diag_warning(s->dc, &w->loc, "negative-maxconn",
		             "'maxconn %s' is negative; HAProxy accepts it, cfgc "
		             "keeps the runtime default", w->text);
		v = 0;
	}
	s->m->maxconn = (uint32_t)v;
	return 0;
}

/* The environment statements were applied by the parse hook (env.c). */
static int kw_global_env(struct sema *s, const struct ast_stmt *st)
{
	for (size_t i = 1; i < st->nargs; i++) {
		if (i == 2 && st->args[0].text[0] != 'u' && st->args[0].text[0] != 'r')
			break; /* the value of setenv/presetenv may be anything */
		if (!st->args[i].text[0] || strchr(st->args[i].text, '=')) {
			diag_error(s->dc, &st->args[i].loc, "invalid-name",
			           "'%s' expects a variable name, found '%s'",
			           st->args[0].text, st->args[i].text);
			return -1;
		}
	}
	return 0;
}

/* A count of `what` from 1 to `max` in args[1] of `st`, into *out.
 * Returns 0, or -1 after an error. */
static int kw_global_range(struct sema *s, const struct ast_stmt *st,
                           uint64_t max, const char *what, uint64_t *out)
{
	const struct ast_word *w = &st->args[1];
	char err[256];
	size_t col = 0;

	if (units_parse_uint_msg(w->text, 1, max, out, err, sizeof(err),
	                         &col) < 0) {
		struct src_loc loc = kw_word_loc_at(w, col);

		diag_error(s->dc, &loc, "invalid-number",
		           "'%s' expects a number of %s from 1 to %" PRIu64 ": %s",
		           st->args[0].text, what, max, err);
		return -1;
	}
	return 0;
}

/* nbthread N: 1..the limit HAProxy builds with (4096, plan_limits). */
static int kw_global_nbthread(struct sema *s, const struct ast_stmt *st)
{
	uint64_t v;

	if (kw_global_range(s, st, plan_limits[PLAN_LIM_NBTHREAD].max,
	                    "threads", &v) < 0)
		return -1;
	s->m->nbthread = (uint32_t)v;
	return 0;
}

/* thread-groups N: 1..16, HAProxy's default build limit. Checked and
 * accepted; the plan keeps no field, as cfgrun runs one thread group. */
static int kw_global_thread_groups(struct sema *s, const struct ast_stmt *st)
{
	uint64_t v;

	return kw_global_range(s, st, 16, "thread groups", &v);
}

/* strict-limits: cfgrun stops rather than lower maxconn. */
static int kw_global_strict_limits(struct sema *s, const struct ast_stmt *st)
{
	(void)st;
	s->m->global_flags |= PLAN_GLB_F_STRICT_LIMITS;
	return 0;
}

/* ulimit-n N: the descriptor limit cfgrun sets, instead of the one it
 * computes from maxconn. */
static int kw_global_ulimit_n(struct sema *s, const struct ast_stmt *st)
{
	/* HAProxy reads it with atol() into an int and takes anything:
	 * what is not a positive int leaves the limit computed, with a
	 * warning here. */
	uint32_t v = kw_lenient_count(s, &st->args[1], "ulimit-n");

	if (v > PLAN_MAX_ULIMIT_N || st->args[1].text[0] == '-') {
		diag_warning(s->dc, &st->args[1].loc, "ignored",
		             "'ulimit-n %s' is not a positive number of descriptors "
		             "HAProxy can use: the limit is computed from maxconn",
		             st->args[1].text);
		v = 0;
	}
	s->m->ulimit_n = v;
	return 0;
}

/* maxconnrate N | maxsessrate N: the global accept rate limits, per
 * second (cfgrun enforces them as `set rate-limit ... global` does).
 * HAProxy reads the number with atol() and, when one is set already,
 * warns and keeps it. */
static int kw_global_rate(struct sema *s, const struct ast_stmt *st)
{
	const char *kw = st->args[0].text;
	uint32_t *dst = !strcmp(kw, "maxsessrate") ? &s->m->maxsessrate :
	                &s->m->maxconnrate;
	uint32_t v;

	if (*dst) {
		diag_warning(s->dc, &st->args[0].loc, "ignored",
		             "'%s' already specified: HAProxy keeps the first "
		             "value (%u) and ignores this one", kw, (unsigned)*dst);
		return 0;
	}
	v = kw_lenient_count(s, &st->args[1], kw);
	if (v > PLAN_MAX_RATE) {
		diag_error(s->dc, &st->args[1].loc, "out-of-range",
		           "'%s' expects at most %u per second, found '%s'", kw,
		           PLAN_MAX_RATE, st->args[1].text);
		return -1;
	}
	*dst = v;
	return 0;
}

static int kw_global_daemon(struct sema *s, const struct ast_stmt *st)
{
	(void)st;
	s->m->global_flags |= PLAN_GLB_F_DAEMON;
	return 0;
}

/* default-path current|config|parent|origin DIR: where relative file
 * names start from. cfgc reads and resolves the files at compile time
 * (files.c applies it), so the plan needs nothing; the words are checked
 * here as HAProxy checks them. */
static int kw_global_default_path(struct sema *s, const struct ast_stmt *st)
{
	static const char *const modes[] = { "current", "config", "parent",
	                                     "origin" };
	const struct ast_word *m = &st->args[1];
	struct stat sb;
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(m->text, modes[i]))
			break;
	if (i == sizeof(modes) / sizeof(modes[0])) {
		diag_error(s->dc, &m->loc, "invalid-value",
		           "unsupported default-path mode '%s': expected "
		           "'current', 'config', 'parent' or 'origin <dir>'",
		           m->text);
		return -1;
	}
	if (strcmp(m->text, "origin")) {
		/* HAProxy reads past one more word without a word */
		if (st->nargs > 2 && s->target != SEMA_TARGET_HAPROXY)
			diag_warning(s->dc, &st->args[2].loc, "ignored",
			             "'default-path %s' takes no directory: '%s' "
			             "is ignored", m->text, st->args[2].text);
		return 0;
	}
	if (st->nargs < 3 || !st->args[2].text[0]) {
		diag_error(s->dc, &m->loc, "missing-argument",
		           "'default-path origin' expects a directory");
		return -1;
	}
	/* HAProxy changes to it at once and fails when it cannot */
	if (!s->hermetic && (stat(st->args[2].text, &sb) < 0 ||
	                     !S_ISDIR(sb.st_mode))) {
		diag_error(s->dc, &st->args[2].loc, "missing-file",
		           "'default-path origin': '%s' is not a directory",
		           st->args[2].text);
		return -1;
	}
	return 0;
}

/* expose-experimental-directives: it unlocks the experimental keywords,
 * which the cross-reference pass (xref.c) checks; nothing to run. */
static int kw_global_experimental(struct sema *s, const struct ast_stmt *st)
{
	(void)s;
	(void)st;
	return 0;
}

/* A second user/uid (group/gid): HAProxy alerts and keeps the first. */
static int kw_global_id_again(struct sema *s, const struct ast_stmt *st)
{
	int user = !strcmp(st->args[0].text, "user") ||
	           !strcmp(st->args[0].text, "uid");

	diag_warning(s->dc, &st->args[0].loc, "ignored",
	             "'%s' ignored: %s already specified; HAProxy keeps the "
	             "first one", st->args[0].text, user ? "user/uid" : "group/gid");
	return 0;
}

/* uid N, gid N: numeric ids cfgrun switches to (as `user`/`group` do with
 * names). HAProxy reads an int; 0 means "unchanged". */
static int kw_global_id(struct sema *s, const struct ast_stmt *st)
{
	const struct ast_word *w = &st->args[1];
	int is_uid = !strcmp(st->args[0].text, "uid");
	uint32_t *dst = is_uid ? &s->m->uid : &s->m->gid;
	const char *name = is_uid ? s->m->user : s->m->group;
	const char *p = w->text;
	uint64_t v = 0;
	int neg = *p == '-';

	if (*dst || (name && name[0]))
		return kw_global_id_again(s, st);
	if (neg)
		p++;
	if (!*p || strlen(w->text) != w->len)
		p = "x";
	for (; *p && isdigit((unsigned char)*p) && v <= INT32_MAX; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	if (*p || v > INT32_MAX) {
		/* HAProxy warns and keeps the process's id */
		diag_warning(s->dc, &w->loc, "ignored",
		             "'%s %s' ignored: not a number (use '%s' for a "
		             "name)", st->args[0].text, w->text,
		             is_uid ? "user" : "group");
		return 0;
	}
	if (neg && v) {
		/* HAProxy accepts it and fails to switch when it starts */
		diag_report(s->dc, s->target == SEMA_TARGET_HAPROXY ?
		            DIAG_WARNING : DIAG_ERROR, &w->loc, "invalid-number",
		            "'%s %s': a negative id cannot be switched to",
		            st->args[0].text, w->text);
		return s->target == SEMA_TARGET_HAPROXY ? 0 : -1;
	}
	*dst = (uint32_t)v;
	return 0;
}

/* pidfile, user, group, chroot: one word kept as written (names are
 * resolved by cfgrun when it starts). */
static int kw_global_name(struct sema *s, const struct ast_stmt *st)
{
	static const struct {
		const char *kw;
		size_t field;                 /* offset of the char * in model */
	} names[] = {
		{ "chroot", offsetof(struct model, chroot) },
		{ "group", offsetof(struct model, group) },
		{ "pidfile", offsetof(struct model, pidfile) },
		{ "user", offsetof(struct model, user) },
	};
	const struct ast_word *w = &st->args[1];
	char **dst = NULL, *p;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i].kw, st->args[0].text))
			dst = (char **)((char *)s->m + names[i].field);
	if ((!strcmp(st->args[0].text, "user") && s->m->uid) ||
	    (!strcmp(st->args[0].text, "group") && s->m->gid))
		return kw_global_id_again(s, st);
	if (!w->text[0] || strlen(w->text) != w->len) {
		diag_error(s->dc, &w->loc, "invalid-value",
		           "'%s' expects a non-empty name without NUL bytes, "
		           "found '%s'", st->args[0].text, w->text);
		return -1;
	}
	p = sema_strdup(s, w->text);
	if (!p || !dst)
		return -1;
	free(*dst);
	*dst = p;
	return 0;
}

/* hard-stop-after, grace, close-spread-time, max-spread-checks: one
 * delay (ms by default) */
static int kw_global_stop_time(struct sema *s, const struct ast_stmt *st)
{
	static const struct {
		const char *kw;
		size_t field;                 /* offset of the uint32_t in model */
	} times[] = {
		{ "close-spread-time", offsetof(struct model, close_spread) },
		{ "max-spread-checks", offsetof(struct model, max_spread_checks) },
		{ "grace", offsetof(struct model, grace) },
		{ "hard-stop-after", offsetof(struct model, hard_stop_after) },
	};
	uint32_t *dst = NULL;

	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++)
		if (!strcmp(times[i].kw, st->args[0].text))
			dst = (uint32_t *)(void *)((char *)s->m + times[i].field);
	if (!dst)
		return -1;
	s->m->close_spread_infinite = 0;
	if (dst == &s->m->close_spread && !strcmp(st->args[1].text, "infinite")) {
		/* no early close at all: idle connections wait for their
		 * timeouts, responses do not say Connection: close */
		s->m->close_spread_infinite = 1;
		*dst = 0;
		return 0;
	}
	return kw_time_arg(s, &st->args[1], 1, st->args[0].text, dst) < 0 ? -1 : 0;
}

/* server-state-file PATH: where `load-server-state-from-file global`
 * backends read their servers' state at start */
static int kw_global_state_file(struct sema *s, const struct ast_stmt *st)
{
	const struct ast_word *w = &st->args[1];
	char *p;

	if (!w->text[0] || strlen(w->text) != w->len) {
		diag_error(s->dc, &w->loc, "invalid-value",
		           "'server-state-file' expects a non-empty path without "
		           "NUL bytes, found '%s'", w->text);
		return -1;
	}
	if (!(p = sema_strdup(s, w->text)))
		return -1;
	free(s->m->server_state_file);
	s->m->server_state_file = p;
	return 0;
}

/* `user NAME` or `group NAME` at word i of a stats socket line into
 * `ms` (cfgrun looks the name up when it makes the socket); replaces a
 * `uid`/`gid` before it, as HAProxy keeps the last. */
static int kw_stats_owner_name(struct sema *s, const struct ast_stmt *st,
                               size_t i, struct model_stats *ms)
{
	const struct ast_word *v = &st->args[i + 1];
	int is_user = st->args[i].text[0] == 'u';
	char **dst = is_user ? &ms->user : &ms->group;
	char *p;

	if (!v->text[0] || strlen(v->text) != v->len) {
		diag_error(s->dc, &v->loc, "invalid-value",
		           "'stats socket ... %s' expects a name, found '%s'",
		           st->args[i].text, v->text);
		return -1;
	}
	if (!(p = sema_strdup(s, v->text)))
		return -1;
	free(*dst);
	*dst = p;
	if (is_user)
		ms->uid = PLAN_STATS_NO_ID;
	else
		ms->gid = PLAN_STATS_NO_ID;
	return 0;
}

/* `uid N`, `gid N`, `user NAME` or `group NAME` at word i of a stats
 * socket line into `ms`: for a unix socket path only. */
static int kw_stats_owner(struct sema *s, const struct ast_stmt *st,
                          size_t i, struct model_stats *ms)
{
	const struct ast_word *k = &st->args[i], *v;
	int named = !strcmp(k->text, "user") || !strcmp(k->text, "group");
	unsigned long n;
	char *end;

	if (i + 1 >= st->nargs) {
		diag_error(s->dc, &k->loc, "missing-argument",
		           "'stats socket ... %s' expects %s, found nothing",
		           k->text, named ? "a name" : "a numeric id");
		return -1;
	}
	v = &st->args[i + 1];
	if (named && ms->addr.family == PLAN_FAM_UNIX)
		return kw_stats_owner_name(s, st, i, ms);
	errno = 0;
	n = strtoul(v->text, &end, 10);
	if (!named && (!isdigit((unsigned char)v->text[0]) || *end || errno ||
	    n > (unsigned long)PLAN_MAX_ID)) {
		diag_error(s->dc, &v->loc, "invalid-value",
		           "'stats socket ... %s' expects a numeric id, found '%s'",
		           k->text, v->text);
		return -1;
	}
	if (ms->addr.family != PLAN_FAM_UNIX) {
		diag_error(s->dc, &k->loc, "invalid-value",
		           "'stats socket ... %s' gives a unix socket file its "
		           "owner: '%s' is no unix path", k->text,
		           st->args[2].text);
		return -1;
	}
	if (k->text[0] == 'u') {
		ms->uid = (uint32_t)n;
		free(ms->user);
		ms->user = NULL;
	} else {
		ms->gid = (uint32_t)n;
		free(ms->group);
		ms->group = NULL;
	}
	return 0;
}

/* stats socket ADDRESS [mode OCTAL] [uid N] [gid N] [user NAME]
 *              [group NAME] [level user|operator|admin]
 *              [expose-fd listeners]
 * uid and gid (numeric), or user and group (names cfgrun looks up), give
 * a unix path's socket file its owner. */
static int kw_global_stats(struct sema *s, const struct ast_stmt *st)
{
	static const char *const levels[PLAN_STATS_LEVEL_MAX] = {
		[PLAN_STATS_USER] = "user", [PLAN_STATS_OPERATOR] = "operator",
		[PLAN_STATS_ADMIN] = "admin",
	};
	struct addr_spec *specs = NULL;
	struct model_stats ms, *e;
	const struct ast_word *aw;
	size_t n = 0, ecol = 0;
	char err[256];

	if (!strcmp(st->args[1].text, "timeout")) {
		/* stats timeout DELAY (ms by default): every socket's clients */
		if (st->nargs < 3) {
			diag_error(s->dc, &st->args[1].loc, "missing-argument",
			           "'stats timeout' expects a delay, found nothing");
			return -1;
		}
		if (st->nargs > 3)
			diag_warning(s->dc, &st->args[3].loc, "extra-argument",
			             "'stats timeout' expects one delay, found an extra "
			             "argument '%s' (ignored)", st->args[3].text);
		if (kw_time_arg(s, &st->args[2], 1, "stats timeout",
		                &s->m->stats_timeout) < 0)
			return -1;
		if (!s->m->stats_timeout) {
			diag_error(s->dc, &st->args[2].loc, "out-of-range",
			           "'stats timeout' expects a positive delay, found '%s'",
			           st->args[2].text);
			return -1;
		}
		return 0;
	}
	if (!strcmp(st->args[1].text, "maxconn")) {
		/* stats maxconn N: clients served at once on the sockets */
		char *end;
		unsigned long v;

		if (st->nargs != 3) {
			diag_error(s->dc, &st->args[1].loc, "missing-argument",
			           "'stats maxconn' expects one number");
			return -1;
		}
		errno = 0;
		v = strtoul(st->args[2].text, &end, 10);
		if (errno || end == st->args[2].text || *end || v == 0 ||
		    v > PLAN_MAX_STATS_MAXCONN || st->args[2].text[0] == '-') {
			diag_error(s->dc, &st->args[2].loc, "out-of-range",
			           "'stats maxconn' expects a number of connections "
			           "in 1..%u, found '%s'", PLAN_MAX_STATS_MAXCONN,
			           st->args[2].text);
			return -1;
		}
		s->m->stats_maxconn = (uint32_t)v;
		return 0;
	}
	if (strcmp(st->args[1].text, "socket")) {
		kw_report_uncompiled(s, st->args, st->nargs, KW_SEC_GLOBAL,
		                     "global");
		return -1;
	}
	if (st->nargs < 3) {
		diag_error(s->dc, &st->args[1].loc, "missing-argument",
		           "'stats socket' expects a path or an address, found "
		           "nothing");
		return -1;
	}
	aw = &st->args[2];
	memset(&ms, 0, sizeof(ms));
	ms.level = PLAN_STATS_OPERATOR;
	ms.line = st->args[0].loc.line;
	ms.uid = ms.gid = PLAN_STATS_NO_ID;
	if (addr_parse_list(aw->text, ADDR_USE_BIND, 0, &specs, &n, err,
	                    sizeof(err), &ecol) < 0) {
		struct src_loc loc = kw_word_loc_at(aw, ecol);

		diag_error(s->dc, &loc, "invalid-address", "'stats socket': %s",
		           err);
		return -1;
	}
	ms.addr = specs[0].addr;
	int range = n != 1 || specs[0].port_lo != specs[0].port_hi;
	free(specs);
	if (range ||
	    (ms.addr.family != PLAN_FAM_UNIX && ms.addr.family != PLAN_FAM_ABNS &&
	     ms.addr.family != PLAN_FAM_ABNSZ && ms.addr.family != PLAN_FAM_INET &&
	     ms.addr.family != PLAN_FAM_INET6 && ms.addr.family != PLAN_FAM_FD) ||
	    ms.addr.proto != PLAN_PROTO_TCP) {
		diag_error(s->dc, &aw->loc, "unsupported",
		           "'stats socket %s': cfgc compiles one unix socket path, "
		           "one TCP address with one port or one inherited fd@N",
		           aw->text);
		return -1;
	}
	for (size_t i = 3; i < st->nargs; i += 2) {
		const struct ast_word *k = &st->args[i], *v;

		if (!strcmp(k->text, "expose-fd")) {
			/* HAProxy hands its listeners to a new process asking
			 * through this socket (seamless reload); cfgrun reloads
			 * in place and keeps its listeners, so there is nothing
			 * to hand: accepted, nothing to compile. */
			if (i + 1 >= st->nargs || strcmp(st->args[i + 1].text,
			                                 "listeners")) {
				diag_error(s->dc, i + 1 < st->nargs ?
				           &st->args[i + 1].loc : &k->loc,
				           "invalid-value", "'expose-fd' expects "
				           "'listeners', found '%s'", i + 1 < st->nargs ?
				           st->args[i + 1].text : "nothing");
				goto fail;
			}
			continue;
		}
		if (!strcmp(k->text, "uid") || !strcmp(k->text, "gid") ||
		    !strcmp(k->text, "user") || !strcmp(k->text, "group")) {
			if (kw_stats_owner(s, st, i, &ms) < 0)
				goto fail;
			continue;
		}
		if (strcmp(k->text, "mode") && strcmp(k->text, "level")) {
			kw_report_uncompiled(s, k, st->nargs - i, KW_SEC_BIND,
			                     "stats socket");
			goto fail;
		}
		if (i + 1 >= st->nargs) {
			diag_error(s->dc, &k->loc, "missing-argument",
			           "'stats socket ... %s' expects %s, found nothing",
			           k->text, k->text[0] == 'm' ? "octal permissions "
			           "such as 600" : "user, operator or admin");
			goto fail;
		}
		v = &st->args[i + 1];
		if (k->text[0] == 'm') {
			char *end;
			unsigned long mode = strtoul(v->text, &end, 8);

			if (!v->text[0] || *end || mode > 07777) {
				diag_error(s->dc, &v->loc, "invalid-value",
				           "'mode' expects octal permissions such as "
				           "600, found '%s'", v->text);
				goto fail;
			}
			ms.mode = (uint32_t)mode;
			continue;
		}
		size_t l;
		for (l = 0; l < PLAN_STATS_LEVEL_MAX; l++)
			if (!strcmp(levels[l], v->text))
				break;
		if (l == PLAN_STATS_LEVEL_MAX) {
			diag_error(s->dc, &v->loc, "invalid-value",
			           "'level' expects 'user', 'operator' or 'admin', "
			           "found '%s'", v->text);
			goto fail;
		}
		ms.level = (uint32_t)l;
	}
	e = model_add_stats(s->m);
	if (!e) {
		s->oom = 1;
		goto fail;
	}
	*e = ms;
	return 0;
fail:
	free(ms.user);
	free(ms.group);
	return -1;
}

/* unix-bind [prefix P] [mode OCTAL] [uid N] [gid N]: defaults for the unix
 * sockets of bind lines. The prefix is put before their paths by cfgc
 * (bind lines read after it, as HAProxy reads it); cfgrun gives the
 * sockets the mode and owner. `user` and `group` (names) are not compiled
 * yet. A later line replaces what it gives. */
static int kw_global_unix_bind(struct sema *s, const struct ast_stmt *st)
{
	struct model *m = s->m;

	for (size_t i = 1; i < st->nargs; i += 2) {
		const struct ast_word *k = &st->args[i], *v;
		char *end;
		unsigned long n;

		if (!strcmp(k->text, "user") || !strcmp(k->text, "group")) {
			diag_error(s->dc, &k->loc, "unsupported",
			           "'unix-bind %s' (a name) is not supported by cfgc "
			           "yet; give the numeric id with '%s'", k->text,
			           k->text[0] == 'u' ? "uid" : "gid");
			return -1;
		}
		if (strcmp(k->text, "prefix") && strcmp(k->text, "mode") &&
		    strcmp(k->text, "uid") && strcmp(k->text, "gid")) {
			diag_error(s->dc, &k->loc, "invalid-value",
			           "'unix-bind' expects prefix, mode, user, uid, "
			           "group or gid, found '%s'", k->text);
			return -1;
		}
		if (i + 1 >= st->nargs) {
			diag_error(s->dc, &k->loc, "missing-argument",
			           "'unix-bind %s' expects a value, found nothing",
			           k->text);
			return -1;
		}
		v = &st->args[i + 1];
		if (!strcmp(k->text, "prefix")) {
			char *p;

			if (!v->text[0] || strlen(v->text) != v->len) {
				diag_error(s->dc, &v->loc, "invalid-value",
				           "'unix-bind prefix' expects a non-empty "
				           "path without NUL bytes");
				return -1;
			}
			if (!(p = sema_strdup(s, v->text)))
				return -1;
			free(m->unix_prefix);
			m->unix_prefix = p;
			continue;
		}
		errno = 0;
		n = strtoul(v->text, &end, k->text[0] == 'm' ? 8 : 10);
		if (!isdigit((unsigned char)v->text[0]) || *end || errno ||
		    n > (k->text[0] == 'm' ? 07777ul : (unsigned long)PLAN_MAX_ID)) {
			diag_error(s->dc, &v->loc, "invalid-value",
			           "'unix-bind %s' expects %s, found '%s'", k->text,
			           k->text[0] == 'm' ? "octal permissions such as "
			           "660" : "a numeric id", v->text);
			return -1;
		}
		if (k->text[0] == 'm') {
			m->unix_mode = (uint32_t)n;
			m->unix_flags |= PLAN_UXB_F_MODE;
		} else if (k->text[0] == 'u') {
			m->unix_uid = (uint32_t)n;
			m->unix_flags |= PLAN_UXB_F_UID;
		} else {
			m->unix_gid = (uint32_t)n;
			m->unix_flags |= PLAN_UXB_F_GID;
		}
	}
	return 0;
}

const struct kw_def kw_global_table[] = {
	{ .name = "chroot", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = 1, .usage = "<directory>", .parse = kw_global_name,
	  .status = KW_COMPILED },
	{ .name = "daemon", .sections = KW_SEC_GLOBAL, .min_args = 0,
	  .max_args = 0, .usage = "no argument", .parse = kw_global_daemon,
	  .status = KW_COMPILED },
	{ .name = "unix-bind", .sections = KW_SEC_GLOBAL, .min_args = 2,
	  .max_args = KW_ARGS_ANY,
	  .usage = "[prefix <path>] [mode <octal>] [uid <n>] [gid <n>]",
	  .parse = kw_global_unix_bind, .status = KW_COMPILED },
	{ .name = "description", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = KW_ARGS_ANY, .usage = "<text>", .parse = kw_description,
	  .status = KW_COMPILED },
	{ .name = "default-path", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = 2,
	  .usage = "current | config | parent | origin <directory>",
	  .parse = kw_global_default_path, .status = KW_COMPILED },
	{ .name = "expose-experimental-directives", .sections = KW_SEC_GLOBAL,
	  .min_args = 0, .max_args = 0, .usage = "no argument",
	  .parse = kw_global_experimental, .status = KW_COMPILED },
	{ .name = "gid", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = 1, .usage = "<number>", .parse = kw_global_id,
	  .status = KW_COMPILED },
	{ .name = "uid", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = 1, .usage = "<number>", .parse = kw_global_id,
	  .status = KW_COMPILED },
	{ .name = "group", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = 1, .usage = "<group name>", .parse = kw_global_name,
	  .status = KW_COMPILED },
	{ .name = "ssl-default-server-ciphers", .sections = KW_SEC_GLOBAL,
	  .min_args = 1, .max_args = 1, .usage = "<ciphers>",
	  .parse = kw_ssl_default_server_list, .status = KW_COMPILED },
	{ .name = "ssl-default-server-ciphersuites", .sections = KW_SEC_GLOBAL,
	  .min_args = 1, .max_args = 1, .usage = "<ciphersuites>",
	  .parse = kw_ssl_default_server_list, .status = KW_COMPILED },
	{ .name = "ssl-default-server-curves", .sections = KW_SEC_GLOBAL,
	  .min_args = 1, .max_args = 1, .usage = "<curves>",
	  .parse = kw_ssl_default_server_list, .status = KW_COMPILED },
	{ .name = "ssl-default-server-options", .sections = KW_SEC_GLOBAL,
	  .min_args = 0, .max_args = KW_ARGS_ANY, .usage = "[<option>]...",
	  .parse = kw_ssl_default_server_options, .status = KW_COMPILED },
	{ .name = "ssl-server-verify", .sections = KW_SEC_GLOBAL,
	  .min_args = 1, .max_args = 1, .usage = "none|required",
	  .parse = kw_ssl_server_verify, .status = KW_COMPILED },
	{ .name = "strict-limits", .sections = KW_SEC_GLOBAL, .min_args = 0,
	  .max_args = 0, .usage = "no argument",
	  .parse = kw_global_strict_limits, .status = KW_COMPILED },
	{ .name = "ulimit-n", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = 1, .usage = "<number>", .parse = kw_global_ulimit_n,
	  .status = KW_COMPILED },
	{ .name = "log", .sections = KW_SEC_GLOBAL, .min_args = 2,
	  .max_args = KW_ARGS_ANY,
	  .usage = "<target> [len <n>] [format <f>] <facility> [<level> "
	           "[<minlevel>]]",
	  .parse = kw_log, .status = KW_COMPILED },
	{ .name = "nbthread", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = 1, .usage = "<number>", .parse = kw_global_nbthread,
	  .status = KW_COMPILED },
	{ .name = "thread-groups", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = 1, .usage = "<number>", .parse = kw_global_thread_groups,
	  .status = KW_COMPILED },
	{ .name = "pidfile", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = 1, .usage = "<path>", .parse = kw_global_name,
	  .status = KW_COMPILED },
	{ .name = "stats", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = KW_ARGS_ANY,
	  .usage = "socket <path|address> [mode <octal>] [level <level>] "
	           "[expose-fd listeners] | timeout <time> | maxconn <number>",
	  .parse = kw_global_stats, .status = KW_COMPILED },
	{ .name = "hard-stop-after", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = 1, .usage = "<time>", .parse = kw_global_stop_time,
	  .status = KW_COMPILED },
	{ .name = "grace", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = 1, .usage = "<time>", .parse = kw_global_stop_time,
	  .status = KW_COMPILED },
	{ .name = "max-spread-checks", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = 1, .usage = "<time>", .parse = kw_global_stop_time,
	  .status = KW_COMPILED },
	{ .name = "close-spread-time", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = 1, .usage = "<time>", .parse = kw_global_stop_time,
	  .status = KW_COMPILED },
	{ .name = "server-state-file", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = 1, .usage = "<path>", .parse = kw_global_state_file,
	  .status = KW_COMPILED },
	{ .name = "tune.bufsize", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = 1, .usage = "<size>", .parse = kw_global_tune,
	  .status = KW_COMPILED },
	{ .name = "tune.comp.maxlevel", .sections = KW_SEC_GLOBAL,
	  .min_args = 1, .max_args = 1, .usage = "<number>",
	  .parse = kw_global_comp_level, .status = KW_COMPILED },
	{ .name = "tune.zlib.memlevel", .sections = KW_SEC_GLOBAL,
	  .min_args = 1, .max_args = 1, .usage = "<number>",
	  .parse = kw_global_comp_level, .status = KW_COMPILED },
	{ .name = "tune.zlib.windowsize", .sections = KW_SEC_GLOBAL,
	  .min_args = 1, .max_args = 1, .usage = "<number>",
	  .parse = kw_global_comp_level, .status = KW_COMPILED },
	{ .name = "tune.http.maxhdr", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = 1, .usage = "<number>", .parse = kw_global_tune,
	  .status = KW_COMPILED },
	{ .name = "tune.idle-pool.shared", .sections = KW_SEC_GLOBAL,
	  .min_args = 1, .max_args = 1, .usage = "full|on|off",
	  .parse = kw_global_idle_pool, .status = KW_COMPILED },
	{ .name = "tune.maxrewrite", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = 1, .usage = "<number>", .parse = kw_global_tune,
	  .status = KW_COMPILED },
	{ .name = "user", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = 1, .usage = "<user name>", .parse = kw_global_name,
	  .status = KW_COMPILED },
	{ .name = "maxconn", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = 1, .usage = "<number>", .parse = kw_global_maxconn,
	  .status = KW_COMPILED },
	{ .name = "maxconnrate", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = 1, .usage = "<number>", .parse = kw_global_rate,
	  .status = KW_COMPILED },
	{ .name = "maxsessrate", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = 1, .usage = "<number>", .parse = kw_global_rate,
	  .status = KW_COMPILED },
	{ .name = "presetenv", .sections = KW_SEC_GLOBAL, .min_args = 2,
	  .max_args = 2, .usage = "<name> <value>", .parse = kw_global_env,
	  .status = KW_PREPARSED },
	{ .name = "resetenv", .sections = KW_SEC_GLOBAL, .min_args = 0,
	  .max_args = KW_ARGS_ANY, .usage = "[<name> ...]",
	  .parse = kw_global_env, .status = KW_PREPARSED },
	{ .name = "setenv", .sections = KW_SEC_GLOBAL, .min_args = 2,
	  .max_args = 2, .usage = "<name> <value>", .parse = kw_global_env,
	  .status = KW_PREPARSED },
	{ .name = "unsetenv", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = KW_ARGS_ANY, .usage = "<name> [<name> ...]",
	  .parse = kw_global_env, .status = KW_PREPARSED },
};

const size_t kw_global_count = sizeof(kw_global_table) / sizeof(kw_global_table[0]);
