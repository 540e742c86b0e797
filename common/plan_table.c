/*
 * plan_table.c: the stick tables of a plan (kinds TABLE and TRACK): their
 * data type names, and the verifier's checks of the records, of the
 * stick counter fetches and of the rules naming TRACK records. Run by
 * plan_verify() after every other table is proved, so indices into them
 * can be followed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "plan.h"

static const char *const tbl_data_names[PLAN_TD_MAX] = {
	[PLAN_TD_SERVER_ID] = "server_id",   [PLAN_TD_GPT0] = "gpt0",
	[PLAN_TD_GPC0] = "gpc0",             [PLAN_TD_GPC0_RATE] = "gpc0_rate",
	[PLAN_TD_CONN_CNT] = "conn_cnt",     [PLAN_TD_CONN_RATE] = "conn_rate",
	[PLAN_TD_CONN_CUR] = "conn_cur",     [PLAN_TD_SESS_CNT] = "sess_cnt",
	[PLAN_TD_SESS_RATE] = "sess_rate",
	[PLAN_TD_HTTP_REQ_CNT] = "http_req_cnt",
	[PLAN_TD_HTTP_REQ_RATE] = "http_req_rate",
	[PLAN_TD_HTTP_ERR_CNT] = "http_err_cnt",
	[PLAN_TD_HTTP_ERR_RATE] = "http_err_rate",
	[PLAN_TD_BYTES_IN_CNT] = "bytes_in_cnt",
	[PLAN_TD_BYTES_IN_RATE] = "bytes_in_rate",
	[PLAN_TD_BYTES_OUT_CNT] = "bytes_out_cnt",
	[PLAN_TD_BYTES_OUT_RATE] = "bytes_out_rate",
	[PLAN_TD_GPC1] = "gpc1",             [PLAN_TD_GPC1_RATE] = "gpc1_rate",
	[PLAN_TD_SERVER_KEY] = "server_key",
	[PLAN_TD_HTTP_FAIL_CNT] = "http_fail_cnt",
	[PLAN_TD_HTTP_FAIL_RATE] = "http_fail_rate",
	[PLAN_TD_GPT] = "gpt",               [PLAN_TD_GPC] = "gpc",
	[PLAN_TD_GPC_RATE] = "gpc_rate",
};

const char *plan_tbl_data_name(uint32_t d)
{
	return d < PLAN_TD_MAX ? tbl_data_names[d] : NULL;
}

uint32_t plan_tbl_data_find(const char *name, size_t len)
{
	for (uint32_t d = 0; d < PLAN_TD_MAX; d++)
		if (strlen(tbl_data_names[d]) == len &&
		    !memcmp(tbl_data_names[d], name, len))
			return d;
	return PLAN_TD_MAX;
}

int plan_tbl_data_is_rate(uint32_t d)
{
	size_t n;

	if (d >= PLAN_TD_MAX)
		return 0;
	n = strlen(tbl_data_names[d]);
	return n > 5 && !strcmp(tbl_data_names[d] + n - 5, "_rate");
}

const char *plan_tbl_type_name(uint32_t type)
{
	static const char *const names[PLAN_TBL_TYPE_MAX] = {
		"ip", "ipv6", "integer", "string", "binary",
	};

	return type < PLAN_TBL_TYPE_MAX ? names[type] : NULL;
}

uint32_t plan_table_of_proxy(const struct plan *p, uint32_t px)
{
	uint32_t lo = 0, hi = p->ntables;

	/* tables are in increasing proxy order */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (p->tables[mid].proxy == px)
			return mid;
		if (p->tables[mid].proxy < px)
			lo = mid + 1;
		else
			hi = mid;
	}
	return PLAN_NONE;
}

enum plan_err plan_detail_fail(char *detail, size_t len, enum plan_err e,
                               const char *fmt, ...)
{
	va_list ap;

	if (detail && len) {
		va_start(ap, fmt);
		vsnprintf(detail, len, fmt, ap);
		va_end(ap);
	}
	return e;
}

#define FAIL(e, ...) plan_detail_fail(detail, dlen, PLAN_E_##e, __VA_ARGS__)

static enum plan_err tbl_check_table(const struct plan *p, uint32_t i,
                                     char *detail, size_t dlen)
{
	const struct plan_stktable *t = &p->tables[i];
	uint32_t want;

	if (t->proxy >= p->nproxies)
		return FAIL(INDEX, "table %u: proxy %u of %u", (unsigned)i,
		            (unsigned)t->proxy, (unsigned)p->nproxies);
	if (i && p->tables[i - 1].proxy >= t->proxy)
		return FAIL(LAYOUT, "table %u: proxy %u after proxy %u",
		            (unsigned)i, (unsigned)t->proxy,
		            (unsigned)p->tables[i - 1].proxy);
	if (t->type >= PLAN_TBL_TYPE_MAX)
		return FAIL(ENUM, "table %u: type %u", (unsigned)i,
		            (unsigned)t->type);
	want = t->type == PLAN_TBL_IPV6 ? 16 : 4;
	if (t->type == PLAN_TBL_STRING || t->type == PLAN_TBL_BINARY ?
	    t->key_len < 1 || t->key_len > PLAN_TBL_MAX_KEY : t->key_len != want)
		return FAIL(VALUE, "table %u: key_len %u for type %u",
		            (unsigned)i, (unsigned)t->key_len, (unsigned)t->type);
	if (!t->size)
		return FAIL(VALUE, "table %u: size 0", (unsigned)i);
	if (t->flags & ~PLAN_TBL_F_NOPURGE)
		return FAIL(RESERVED, "table %u: flags 0x%x", (unsigned)i,
		            (unsigned)t->flags);
	if (t->store >> PLAN_TD_MAX || (t->store & (1u << PLAN_TD_SERVER_KEY)))
		return FAIL(VALUE, "table %u: store 0x%x", (unsigned)i,
		            (unsigned)t->store);
	for (uint32_t d = 0; d < PLAN_TD_MAX; d++) {
		int rate = plan_tbl_data_is_rate(d) && (t->store & (1u << d));

		if (rate != (t->period_ms[d] != 0))
			return FAIL(VALUE, "table %u: period %u for data type %s",
			            (unsigned)i, (unsigned)t->period_ms[d],
			            plan_tbl_data_name(d));
	}
	if ((t->ngpt != 0) != !!(t->store & (1u << PLAN_TD_GPT)) ||
	    (t->ngpc != 0) != !!(t->store & ((1u << PLAN_TD_GPC) |
	                                      (1u << PLAN_TD_GPC_RATE))) ||
	    t->ngpt > PLAN_TBL_MAX_ARRAY || t->ngpc > PLAN_TBL_MAX_ARRAY)
		return FAIL(VALUE, "table %u: gpt(%u), gpc(%u) with store 0x%x",
		            (unsigned)i, (unsigned)t->ngpt, (unsigned)t->ngpc,
		            (unsigned)t->store);
	if (t->reserved)
		return FAIL(RESERVED, "table %u: reserved 0x%x", (unsigned)i,
		            (unsigned)t->reserved);
	return PLAN_E_OK;
}

/* 1 when ACL line `a` lies in proxy px's range. */
static int tbl_acl_of(const struct plan *p, uint32_t px, uint32_t a)
{
	const struct plan_proxy *x = &p->proxies[px];

	return a >= x->first_acl && a - x->first_acl < x->nacls;
}

static enum plan_err tbl_check_track(const struct plan *p, uint32_t i,
                                     char *detail, size_t dlen)
{
	const struct plan_track *k = &p->tracks[i];

	if (k->proxy >= p->nproxies)
		return FAIL(INDEX, "track %u: proxy %u of %u", (unsigned)i,
		            (unsigned)k->proxy, (unsigned)p->nproxies);
	if (k->op >= PLAN_TRK_OP_MAX || k->sc > 2)
		return FAIL(ENUM, "track %u: op %u, sc %u", (unsigned)i,
		            (unsigned)k->op, (unsigned)k->sc);
	if (k->op == PLAN_TRK_TRACK || plan_trk_is_persist(k->op)) {
		const struct plan_acl *a;

		if (k->table >= p->ntables)
			return FAIL(INDEX, "track %u: table %u of %u", (unsigned)i,
			            (unsigned)k->table, (unsigned)p->ntables);
		if (plan_trk_is_persist(k->op) &&
		    (k->sc || !(p->tables[k->table].store &
		                (1u << PLAN_TD_SERVER_ID))))
			return FAIL(VALUE, "track %u: stick rule on counter %u, or "
			            "table %u does not store server_id", (unsigned)i,
			            (unsigned)k->sc, (unsigned)k->table);
		if (!tbl_acl_of(p, k->proxy, k->key))
			return FAIL(INDEX, "track %u: key %u is not an ACL line of proxy %u",
			            (unsigned)i, (unsigned)k->key,
			            (unsigned)k->proxy);
		a = &p->acls[k->key];
		if (a->name.len || a->match != PLAN_MATCH_FOUND)
			return FAIL(VALUE, "track %u: key line %u is not an anonymous sample",
			            (unsigned)i, (unsigned)k->key);
		if (k->data || k->idx || k->value)
			return FAIL(VALUE, "track %u: data %u, idx %u on track",
			            (unsigned)i, (unsigned)k->data, (unsigned)k->idx);
		return PLAN_E_OK;
	}
	if (k->table != PLAN_NONE || k->key != PLAN_NONE)
		return FAIL(VALUE, "track %u: table %u, key %u on op %u",
		            (unsigned)i, (unsigned)k->table, (unsigned)k->key,
		            (unsigned)k->op);
	if (k->op == PLAN_TRK_SET_GPT ?
	    k->data != PLAN_TD_GPT0 && k->data != PLAN_TD_GPT :
	    k->data != PLAN_TD_GPC0 && k->data != PLAN_TD_GPC1 &&
	    k->data != PLAN_TD_GPC)
		return FAIL(VALUE, "track %u: data %u on op %u", (unsigned)i,
		            (unsigned)k->data, (unsigned)k->op);
	if (k->data == PLAN_TD_GPT || k->data == PLAN_TD_GPC ?
	    k->idx >= PLAN_TBL_MAX_ARRAY : k->idx != 0)
		return FAIL(VALUE, "track %u: index %u", (unsigned)i,
		            (unsigned)k->idx);
	if (k->op == PLAN_TRK_INC_GPC && k->value)
		return FAIL(VALUE, "track %u: value on inc", (unsigned)i);
	return PLAN_E_OK;
}

static enum plan_err tbl_check_acl(const struct plan *p, uint32_t i,
                                   char *detail, size_t dlen)
{
	const struct plan_acl *a = &p->acls[i];
	uint32_t ctr = PLAN_STK_CTR(a->occ), op = PLAN_STK_OPOF(a->occ);
	uint32_t d = PLAN_STK_DATA(a->occ), idx = PLAN_STK_IDX(a->occ);

	if ((uint32_t)a->occ >> 24 || ctr > PLAN_STK_SRC || op >= PLAN_STK_OP_MAX)
		return FAIL(VALUE, "acl %u: stick counter word 0x%x", (unsigned)i,
		            (unsigned)a->occ);
	if (a->arg != PLAN_NONE ? a->arg >= p->ntables : ctr == PLAN_STK_SRC)
		return FAIL(INDEX, "acl %u: table %u of %u", (unsigned)i,
		            (unsigned)a->arg, (unsigned)p->ntables);
	if (op == PLAN_STK_TRACKED || op == PLAN_STK_TRACKERS) {
		if (d || idx || (op == PLAN_STK_TRACKED && ctr == PLAN_STK_SRC))
			return FAIL(VALUE, "acl %u: data %u on op %u", (unsigned)i,
			            (unsigned)d, (unsigned)op);
		return PLAN_E_OK;
	}
	if (d >= PLAN_TD_MAX || d == PLAN_TD_SERVER_KEY ||
	    (op != PLAN_STK_GET && d != PLAN_TD_GPC0 && d != PLAN_TD_GPC1 &&
	     d != PLAN_TD_GPC))
		return FAIL(VALUE, "acl %u: data type %u with op %u", (unsigned)i,
		            (unsigned)d, (unsigned)op);
	if (d == PLAN_TD_GPT || d == PLAN_TD_GPC || d == PLAN_TD_GPC_RATE ?
	    idx >= PLAN_TBL_MAX_ARRAY : idx != 0)
		return FAIL(VALUE, "acl %u: index %u", (unsigned)i, (unsigned)idx);
	return PLAN_E_OK;
}

enum plan_err plan_table_check(const struct plan *p, char *detail,
                               size_t dlen)
{
	enum plan_err e;
	uint32_t used = 0;

	for (uint32_t i = 0; i < p->ntables; i++)
		if ((e = tbl_check_table(p, i, detail, dlen)))
			return e;
	for (uint32_t i = 0; i < p->ntracks; i++)
		if ((e = tbl_check_track(p, i, detail, dlen)))
			return e;
	for (uint32_t i = 0; i < p->nacls; i++)
		if (p->acls[i].fetch == PLAN_FETCH_STKCTR &&
		    (e = tbl_check_acl(p, i, detail, dlen)))
			return e;
	/* rules name TRACK records of their proxy, in table order, each
	 * once: TCP rules first (stick rules last), then http rules, by
	 * proxy */
	for (uint32_t px = 0; px < p->nproxies; px++) {
		const struct plan_proxy *x = &p->proxies[px];
		uint32_t first, n, sfirst;
		uint32_t ns = plan_tcp_rules_of(p, px, PLAN_TCP_STICK, &sfirst);

		for (uint32_t k = 0; k < x->nrules; k++) {
			const struct plan_rule *r = &p->rules[x->first_rule + k];
			int stick = x->first_rule + k - sfirst < ns;

			if (r->action != PLAN_RULE_STICK)
				continue;
			if (r->arg != used || used >= p->ntracks ||
			    p->tracks[used].proxy != px)
				return FAIL(INDEX, "rule %u: track %u, expected %u of %u",
				            (unsigned)(x->first_rule + k),
				            (unsigned)r->arg, (unsigned)used,
				            (unsigned)p->ntracks);
			if (stick != plan_trk_is_persist(p->tracks[used].op))
				return FAIL(VALUE, "rule %u: track op %u in a %s rule",
				            (unsigned)(x->first_rule + k),
				            (unsigned)p->tracks[used].op,
				            stick ? "stick" : "connection");
			used++;
		}
		for (uint32_t set = 0; set < PLAN_HR_SET_MAX; set++) {
			n = plan_http_rules_of(p, px, set, &first);
			for (uint32_t k = 0; k < n; k++) {
				const struct plan_http_rule *r =
					&p->http_rules[first + k];

				if (r->action != PLAN_HA_STICK)
					continue;
				if (r->arg != used || used >= p->ntracks ||
				    p->tracks[used].proxy != px ||
				    plan_trk_is_persist(p->tracks[used].op))
					return FAIL(INDEX, "http_rule %u: track %u, expected %u of %u",
					            (unsigned)(first + k),
					            (unsigned)r->arg, (unsigned)used,
					            (unsigned)p->ntracks);
				used++;
			}
		}
	}
	if (used != p->ntracks)
		return FAIL(LAYOUT, "%u track records, %u named by rules",
		            (unsigned)p->ntracks, (unsigned)used);
	return PLAN_E_OK;
}
