/*
 * kw-stick.c: stick tables and stick counters (HAProxy manual 11.1 and
 * 7.3.3): the `stick-table` line into the plan's TABLE record, the
 * tracking actions (track-sc*, sc-inc-gpc*, sc-add-gpc, sc-set-gpt*) into
 * TRACK records, and the sc*_ / src_* fetches into PLAN_FETCH_STKCTR ACL
 * lines. The lint pass has checked the words' syntax before; what is
 * refused here is what cfgrun cannot run (peers, write-to, ...).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "kw.h"
#include "lint.h"
#include "model.h"
#include "plan.h"
#include "sema.h"
#include "units.h"

/* An option of a stick-table line cfgc does not run. */
static int stk_unsupported(struct sema *s, const struct ast_word *w,
                           const char *what)
{
	diag_error(s->dc, &w->loc, "unsupported",
	           "'stick-table %s' is not supported by cfgc (HAProxy manual "
	           "section 11.1)", what);
	return -1;
}

/* A store item text[0..len): its type and argument into t. 0, or -1
 * after an error. */
static int stk_store_item(struct sema *s, const struct ast_word *w,
                          const char *item, size_t len, struct plan_stktable *t)
{
	size_t nl = strcspn(item, "(,");
	uint32_t d, nb = 0, ms = 0;
	char buf[64];

	if (nl > len)
		nl = len;
	d = plan_tbl_data_find(item, nl);
	if (d >= PLAN_TD_MAX || d == PLAN_TD_SERVER_KEY) {
		diag_error(s->dc, &w->loc, "unsupported",
		           "'stick-table store %.*s' is not supported by cfgc",
		           (int)nl, item);
		return -1;
	}
	if (nl < len) {
		const char *a = item + nl + 1;
		size_t al = len - nl - 2;     /* without the parentheses */
		const char *per = a;
		size_t err_col, trail;
		char err[128];

		if (al >= sizeof(buf))
			return stk_unsupported(s, w, "store argument");
		if (d == PLAN_TD_GPT || d == PLAN_TD_GPC || d == PLAN_TD_GPC_RATE) {
			nb = (uint32_t)strtoul(a, NULL, 10);
			per = memchr(a, ',', al);
			per = per ? per + 1 : a + al;
		}
		al -= (size_t)(per - a);
		memcpy(buf, per, al);
		buf[al] = 0;
		if (al && units_parse_time_lax(buf, 1, &ms, err, sizeof(err),
		                               &err_col, &trail) < 0)
			return stk_unsupported(s, w, "store period");
		if (plan_tbl_data_is_rate(d) && !ms)
			ms = 1;        /* a zero period: HAProxy's smallest */
	}
	t->store |= 1u << d;
	if (plan_tbl_data_is_rate(d))
		t->period_ms[d] = ms;
	if (d == PLAN_TD_GPT)
		t->ngpt = nb;
	if (d == PLAN_TD_GPC || d == PLAN_TD_GPC_RATE) {
		if (t->ngpc && t->ngpc != nb) {
			diag_error(s->dc, &w->loc, "unsupported",
			           "'stick-table store': gpc and gpc_rate with "
			           "different sizes (%u, %u) are not supported by cfgc",
			           (unsigned)t->ngpc, (unsigned)nb);
			return -1;
		}
		t->ngpc = nb;
	}
	return 0;
}

/* stick-table type T [len N] size S [expire T] [nopurge] [store L]... */
int kw_stick_table(struct sema *s, const struct ast_stmt *st)
{
	const struct ast_word *w = st->args;
	struct model_proxy *px = sema_proxy(s);
	struct model_table *mt;
	struct plan_stktable *t;
	size_t n = st->nargs;

	if (lint_stmt(s, st->args, st->nargs, s->sec) > 0)
		return -1;
	if (!px) {
		kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
		return -1;
	}
	if (px->table) {
		diag_error(s->dc, &w[0].loc, "duplicate-name",
		           "proxy '%s' already has a stick-table (line %u)",
		           px->name, (unsigned)px->table->loc.line);
		return -1;
	}
	if (!(mt = calloc(1, sizeof(*mt)))) {
		s->oom = 1;
		return -1;
	}
	t = &mt->rec;
	mt->loc = w[0].loc;
	t->line = st->loc.line;
	t->key_len = 32;
	for (size_t i = 1; i < n; i++) {
		const char *k = w[i].text;
		const char *v = i + 1 < n ? w[i + 1].text : "";

		if (!strcmp(k, "nopurge")) {
			t->flags |= PLAN_TBL_F_NOPURGE;
			continue;
		}
		if (!strcmp(k, "recv-only") || !strcmp(k, "peers") ||
		    !strcmp(k, "write-to") || !strcmp(k, "srvkey") ||
		    !strcmp(k, "brates-factor")) {
			free(mt);
			return stk_unsupported(s, &w[i], k);
		}
		i++;
		if (!strcmp(k, "type")) {
			t->type = !strcmp(v, "ip") || !strcmp(v, "ipv4") ?
			          PLAN_TBL_IP : !strcmp(v, "ipv6") ? PLAN_TBL_IPV6 :
			          !strcmp(v, "integer") ? PLAN_TBL_INTEGER :
			          !strcmp(v, "string") ? PLAN_TBL_STRING :
			          PLAN_TBL_BINARY;
		} else if (!strcmp(k, "len")) {
			long l = atol(v);

			if (l > (long)PLAN_TBL_MAX_KEY) {
				diag_error(s->dc, &w[i].loc, "unsupported",
				           "'stick-table len %ld': cfgc takes keys of at "
				           "most %u bytes", l, PLAN_TBL_MAX_KEY);
				free(mt);
				return -1;
			}
			t->key_len = (uint32_t)l;
		} else if (!strcmp(k, "size")) {
			uint64_t b = 0;
			const char *err;

			(void)units_parse_size(v, &b, &err);
			t->size = b > UINT32_MAX ? UINT32_MAX : (uint32_t)b;
		} else if (!strcmp(k, "expire")) {
			uint32_t ms = 0;

			(void)kw_time_arg(s, &w[i], 1, "stick-table expire", &ms);
			t->expire_ms = ms;
		} else if (!strcmp(k, "store")) {
			const char *p = v;

			while (*p) {
				size_t len = 0;
				int depth = 0;

				while (p[len] && (depth || p[len] != ',')) {
					depth += p[len] == '(' ? 1 : p[len] == ')' ? -1 : 0;
					len++;
				}
				if (stk_store_item(s, &w[i], p, len, t) < 0) {
					free(mt);
					return -1;
				}
				p += len + (p[len] == ',');
			}
		}
	}
	if (t->type == PLAN_TBL_IP || t->type == PLAN_TBL_INTEGER)
		t->key_len = 4;
	else if (t->type == PLAN_TBL_IPV6)
		t->key_len = 16;
	px->table = mt;
	return 0;
}

/* "(a,b,c)" after an action or fetch name: up to 3 words into out, each
 * NUL-terminated in buf. Returns the count, or -1 when malformed. */
static int stk_args(const char *p, char buf[3][128], size_t max)
{
	int n = 0;

	if (*p != '(')
		return *p ? -1 : 0;
	p++;
	for (;;) {
		size_t l = strcspn(p, ",)");

		if (n == (int)max || l >= sizeof(buf[0]) || !p[l])
			return -1;
		memcpy(buf[n], p, l);
		buf[n++][l] = 0;
		p += l;
		if (*p == ')')
			return p[1] ? -1 : n;
		p++;
	}
}

/* A small non-negative decimal, or -1. */
static long stk_num(const char *t, long max)
{
	char *end;
	long v = strtol(t, &end, 10);

	return end == t || *end || v < 0 || v > max ? -1 : v;
}

static int stk_action_bad(struct sema *s, const struct ast_word *w,
                          const char *why)
{
	diag_error(s->dc, &w->loc, "unsupported",
	           "'%s': %s (cfgc compiles track-sc0..2, sc-inc-gpc0/1, "
	           "sc-inc-gpc, sc-add-gpc, sc-set-gpt0 and sc-set-gpt with a "
	           "number)", w->text, why);
	return 1;
}

/* The data type an sc-inc-gpc / sc-set-gpt suffix names: "0" d0, "1" d1
 * (PLAN_TD_MAX: none), else the array type. */
static uint32_t stk_counted(const char *sfx, uint32_t d0, uint32_t d1,
                            uint32_t arr)
{
	if (sfx[0] == '0')
		return d0;
	if (sfx[0] == '1' && d1 != PLAN_TD_MAX)
		return d1;
	return arr;
}

/*
 * A record `r` whose key is the sample w[1] and whose table is w[3]
 * (n == 4) or the proxy's own: its key line and TRACK record added to
 * px, *track its index. 0, 1 (reported) or -1 (out of memory).
 */
static int stk_keyed(struct sema *s, struct model_proxy *px,
                     const struct ast_word *w, size_t n,
                     struct plan_track *r, size_t *track)
{
	struct model_acl *ka;
	struct model_track *k;

	if (!(ka = model_proxy_add_acl(px))) {
		s->oom = 1;
		return -1;
	}
	ka->line = r->line;
	ka->match = PLAN_MATCH_FOUND;
	ka->fetch_loc = w[1].loc;
	if (kw_acl_fetch_word(s, &w[1], ka) != 0) {
		ka->unsupported = 1;
		return 1;
	}
	r->key = (uint32_t)(px->nacls - 1);
	if (!(k = model_proxy_add_track(px))) {
		s->oom = 1;
		return -1;
	}
	k->rec = *r;
	k->table_loc = n == 4 ? w[3].loc : w[0].loc;
	if (n == 4 && !(k->table = strdup(w[3].text))) {
		s->oom = 1;
		return -1;
	}
	*track = px->ntracks - 1;
	return 0;
}

int kw_stick_persist(struct sema *s, struct model_proxy *px,
                     const struct ast_word *w, size_t n, uint32_t line,
                     size_t *track)
{
	struct plan_track r;

	memset(&r, 0, sizeof(r));
	r.table = r.key = PLAN_NONE;
	r.line = line;
	r.op = !strcmp(w[0].text, "on") ? PLAN_TRK_ON :
	       !strcmp(w[0].text, "match") ? PLAN_TRK_MATCH :
	       !strcmp(w[0].text, "store-request") ? PLAN_TRK_STORE :
	       PLAN_TRK_STORE_RES;
	if (n != 2 && !(n == 4 && !strcmp(w[2].text, "table"))) {
		diag_error(s->dc, &w[n > 2 ? 2 : 0].loc, "unsupported",
		           "'stick %s' expects a sample, then optionally "
		           "'table NAME'", w[0].text);
		return 1;
	}
	return stk_keyed(s, px, w, n, &r, track);
}

int kw_stick_action(struct sema *s, struct model_proxy *px,
                    const struct ast_word *w, size_t n, uint32_t line,
                    size_t *track)
{
	const char *a = w[0].text;
	char args[3][128];
	struct model_track *k;
	struct plan_track r;
	int na;

	memset(&r, 0, sizeof(r));
	r.table = r.key = PLAN_NONE;
	r.line = line;
	if (!strncmp(a, "track-sc", 8) && a[8] >= '0' && a[8] <= '2' && !a[9]) {
		r.op = PLAN_TRK_TRACK;
		r.sc = (uint32_t)(a[8] - '0');
		if (n != 2 && !(n == 4 && !strcmp(w[2].text, "table")))
			return stk_action_bad(s, &w[n > 2 ? 2 : 0],
			                      "expects a sample, then optionally "
			                      "'table NAME'");
		return stk_keyed(s, px, w, n, &r, track);
	}
	if (!strncmp(a, "sc-inc-gpc", 10) || !strncmp(a, "sc-add-gpc", 10)) {
		const char *sfx = a + 10;
		int add = a[3] == 'a';

		r.op = add ? PLAN_TRK_ADD_GPC : PLAN_TRK_INC_GPC;
		r.data = add ? PLAN_TD_GPC : stk_counted(sfx, PLAN_TD_GPC0,
		                                         PLAN_TD_GPC1, PLAN_TD_GPC);
	} else if (!strncmp(a, "sc-set-gpt", 10)) {
		r.op = PLAN_TRK_SET_GPT;
		r.data = stk_counted(a + 10, PLAN_TD_GPT0, PLAN_TD_MAX, PLAN_TD_GPT);
	} else {
		return stk_action_bad(s, &w[0], "unknown stick counter action");
	}
	/* gpc0(N), gpc1(N): one argument; gpc(I,N), gpt(I,N): two */
	if (r.data == PLAN_TD_GPC || r.data == PLAN_TD_GPT) {
		if ((na = stk_args(a + 10, args, 2)) != 2)
			return stk_action_bad(s, &w[0], "expects (IDX,N)");
	} else if ((na = stk_args(a + 11, args, 1)) != 1) {
		return stk_action_bad(s, &w[0], "expects (N)");
	}
	if (na == 2) {
		long idx = stk_num(args[0], PLAN_TBL_MAX_ARRAY - 1);

		if (idx < 0)
			return stk_action_bad(s, &w[0], "the index is not a number "
			                      "below 100");
		r.idx = (uint32_t)idx;
		memmove(args[0], args[1], sizeof(args[0]));
	}
	{
		long sc = stk_num(args[0], 2);

		if (sc < 0)
			return stk_action_bad(s, &w[0], "the counter is not 0, 1 or 2");
		r.sc = (uint32_t)sc;
	}
	if (r.op == PLAN_TRK_INC_GPC) {
		if (n != 1)
			return stk_action_bad(s, &w[1], "takes no value");
	} else {
		char *end;
		long long v;

		if (n != 2)
			return stk_action_bad(s, &w[n > 2 ? 2 : 0],
			                      "expects one value");
		v = strtoll(w[1].text, &end, 10);
		if (end == w[1].text || *end)
			return stk_action_bad(s, &w[1], "a sample expression as the "
			                      "value is not supported; write an "
			                      "integer");
		r.value = v;
	}
	if (!(k = model_proxy_add_track(px))) {
		s->oom = 1;
		return -1;
	}
	k->rec = r;
	k->table_loc = w[0].loc;
	*track = px->ntracks - 1;
	return 0;
}

/* The counter fetches: name (without the scN_/sc_/src_ prefix) -> op and
 * data type. */
static const struct {
	const char *name;
	uint8_t op, data, arr;      /* arr: takes an array index first */
} stk_fetches[] = {
	{ "get_gpc0", PLAN_STK_GET, PLAN_TD_GPC0, 0 },
	{ "get_gpc1", PLAN_STK_GET, PLAN_TD_GPC1, 0 },
	{ "get_gpc", PLAN_STK_GET, PLAN_TD_GPC, 1 },
	{ "gpc0_rate", PLAN_STK_GET, PLAN_TD_GPC0_RATE, 0 },
	{ "gpc1_rate", PLAN_STK_GET, PLAN_TD_GPC1_RATE, 0 },
	{ "gpc_rate", PLAN_STK_GET, PLAN_TD_GPC_RATE, 1 },
	{ "inc_gpc0", PLAN_STK_INC, PLAN_TD_GPC0, 0 },
	{ "inc_gpc1", PLAN_STK_INC, PLAN_TD_GPC1, 0 },
	{ "inc_gpc", PLAN_STK_INC, PLAN_TD_GPC, 1 },
	{ "clr_gpc0", PLAN_STK_CLR, PLAN_TD_GPC0, 0 },
	{ "clr_gpc1", PLAN_STK_CLR, PLAN_TD_GPC1, 0 },
	{ "clr_gpc", PLAN_STK_CLR, PLAN_TD_GPC, 1 },
	{ "get_gpt0", PLAN_STK_GET, PLAN_TD_GPT0, 0 },
	{ "get_gpt", PLAN_STK_GET, PLAN_TD_GPT, 1 },
	{ "conn_cnt", PLAN_STK_GET, PLAN_TD_CONN_CNT, 0 },
	{ "conn_cur", PLAN_STK_GET, PLAN_TD_CONN_CUR, 0 },
	{ "conn_rate", PLAN_STK_GET, PLAN_TD_CONN_RATE, 0 },
	{ "sess_cnt", PLAN_STK_GET, PLAN_TD_SESS_CNT, 0 },
	{ "sess_rate", PLAN_STK_GET, PLAN_TD_SESS_RATE, 0 },
	{ "http_req_cnt", PLAN_STK_GET, PLAN_TD_HTTP_REQ_CNT, 0 },
	{ "http_req_rate", PLAN_STK_GET, PLAN_TD_HTTP_REQ_RATE, 0 },
	{ "http_err_cnt", PLAN_STK_GET, PLAN_TD_HTTP_ERR_CNT, 0 },
	{ "http_err_rate", PLAN_STK_GET, PLAN_TD_HTTP_ERR_RATE, 0 },
	{ "http_fail_cnt", PLAN_STK_GET, PLAN_TD_HTTP_FAIL_CNT, 0 },
	{ "http_fail_rate", PLAN_STK_GET, PLAN_TD_HTTP_FAIL_RATE, 0 },
	{ "bytes_in_rate", PLAN_STK_GET, PLAN_TD_BYTES_IN_RATE, 0 },
	{ "bytes_out_rate", PLAN_STK_GET, PLAN_TD_BYTES_OUT_RATE, 0 },
	{ "kbytes_in", PLAN_STK_GET, PLAN_TD_BYTES_IN_CNT, 0 },
	{ "kbytes_out", PLAN_STK_GET, PLAN_TD_BYTES_OUT_CNT, 0 },
	{ "server_id", PLAN_STK_GET, PLAN_TD_SERVER_ID, 0 },
	{ "tracked", PLAN_STK_TRACKED, 0, 0 },
	{ "trackers", PLAN_STK_TRACKERS, 0, 0 },
};

int kw_stick_fetch(struct sema *s, const struct ast_word *w,
                   struct model_acl *a)
{
	const char *t = w->text, *rest;
	size_t nl = strcspn(t, "(,");
	char args[3][128];
	uint32_t ctr;
	int na, want, k, nk = (int)(sizeof(stk_fetches) / sizeof(stk_fetches[0]));
	int generic = 0;

	/* the linter keeps reading these ACLs as it did before cfgc ran
	 * them (its verdicts stay HAProxy's: `gt 1.5` is accepted there) */
	if (s->target == SEMA_TARGET_HAPROXY)
		return 1;
	if (!strncmp(t, "src_", 4)) {
		ctr = PLAN_STK_SRC;
		rest = t + 4;
	} else if (!strncmp(t, "sc_", 3)) {
		ctr = 0;
		generic = 1;
		rest = t + 3;
	} else if (!strncmp(t, "sc", 2) && t[2] >= '0' && t[2] <= '2' &&
	           t[3] == '_') {
		ctr = (uint32_t)(t[2] - '0');
		rest = t + 4;
	} else {
		return 1;
	}
	for (k = 0; k < nk; k++)
		if (strlen(stk_fetches[k].name) == nl - (size_t)(rest - t) &&
		    !memcmp(stk_fetches[k].name, rest, nl - (size_t)(rest - t)))
			break;
	if (k == nk || (ctr == PLAN_STK_SRC &&
	                stk_fetches[k].op == PLAN_STK_TRACKED))
		return 1;
	if (t[nl] == ',') {
		diag_error(s->dc, &w->loc, "unsupported",
		           "converters after '%.*s' are not supported by cfgc yet",
		           (int)nl, t);
		return 2;
	}
	na = stk_args(t + nl, args, 3);
	want = stk_fetches[k].arr + generic;
	if (na < want || na > want + 1) {
		diag_error(s->dc, &w->loc, "invalid-value",
		           "'%.*s' expects %s%s%s", (int)nl, t,
		           stk_fetches[k].arr ? "an array index, " : "",
		           generic ? "a counter number, " : "",
		           "then optionally a table name in parentheses");
		return 2;
	}
	{
		long idx = 0, sc;

		if (stk_fetches[k].arr &&
		    (idx = stk_num(args[0], PLAN_TBL_MAX_ARRAY - 1)) < 0) {
			diag_error(s->dc, &w->loc, "invalid-value",
			           "'%.*s': array index '%s' is not a number below 100",
			           (int)nl, t, args[0]);
			return 2;
		}
		if (generic) {
			sc = stk_num(args[stk_fetches[k].arr], 2);
			if (sc < 0) {
				diag_error(s->dc, &w->loc, "unsupported",
				           "'%.*s': counter '%s' is not 0, 1 or 2",
				           (int)nl, t, args[stk_fetches[k].arr]);
				return 2;
			}
			ctr = (uint32_t)sc;
		}
		a->occ = PLAN_STK_OCC(ctr, stk_fetches[k].op, stk_fetches[k].data,
		                      (uint32_t)idx);
	}
	a->fetch = PLAN_FETCH_STKCTR;
	a->arg_idx = PLAN_NONE;
	if (na == want + 1 && !(a->arg = strdup(args[want]))) {
		s->oom = 1;
		return -1;
	}
	a->arg_loc = w->loc;
	return 0;
}

/* The TABLE index of the table proxy `name` holds, or PLAN_NONE. */
static uint32_t stk_table_index(const struct model *m, const char *name,
                                size_t self)
{
	uint32_t idx = 0;

	for (size_t i = 0; i < m->nproxies; i++) {
		if (name ? !strcmp(m->proxies[i].name, name) : i == self)
			return m->proxies[i].table ? idx : PLAN_NONE;
		idx += m->proxies[i].table != NULL;
	}
	return PLAN_NONE;
}

/* The proxy holding table number idx (a stk_table_index() result). */
static struct model_proxy *stk_table_proxy(struct model *m, uint32_t idx)
{
	for (size_t i = 0; i < m->nproxies; i++)
		if (m->proxies[i].table && idx-- == 0)
			return &m->proxies[i];
	return NULL;
}

/* A table name that names no table: the cross-reference pass says it
 * (unknown-table); a counter without a name in a proxy without a table
 * is said here. */
static void stk_no_table(struct sema *s, const struct src_loc *loc,
                         const char *name, const char *self)
{
	if (!name)
		diag_error(s->dc, loc, "unknown-table",
		           "proxy '%s' has no stick-table; name one with "
		           "'table NAME' or a fetch argument", self);
}

void kw_stick_finish(struct sema *s, struct model_proxy *px)
{
	size_t self = (size_t)(px - s->m->proxies);

	for (size_t i = 0; i < px->nacls; i++) {
		struct model_acl *a = &px->acls[i];

		if (a->unsupported || a->fetch != PLAN_FETCH_STKCTR)
			continue;
		if (!a->arg && PLAN_STK_CTR(a->occ) != PLAN_STK_SRC)
			continue;       /* the counter's own tracked table */
		a->arg_idx = stk_table_index(s->m, a->arg, self);
		if (a->arg_idx == PLAN_NONE) {
			/* the cross-reference pass does not read fetch
			 * arguments: a table named there is checked here */
			if (a->arg)
				diag_error(s->dc, &a->arg_loc, "unknown-table",
				           "a stick counter fetch refers to table "
				           "'%s', but no proxy of that name declares "
				           "a stick-table", a->arg);
			else
				stk_no_table(s, &a->arg_loc, NULL, px->name);
			a->unsupported = 2;
		}
	}
	for (size_t i = 0; i < px->ntracks; i++) {
		struct model_track *k = &px->tracks[i];

		if (k->rec.op != PLAN_TRK_TRACK && !plan_trk_is_persist(k->rec.op))
			continue;
		k->rec.table = stk_table_index(s->m, k->table, self);
		if (k->rec.table == PLAN_NONE) {
			stk_no_table(s, &k->table_loc, k->table, px->name);
			px->acls[k->rec.key].unsupported = 2;
		} else if (plan_trk_is_persist(k->rec.op)) {
			/* persistence keeps the server in the entry, as
			 * HAProxy adds server_id to a table stick rules use */
			stk_table_proxy(s->m, k->rec.table)->table->rec.store |=
				1u << PLAN_TD_SERVER_ID;
		}
	}
}
