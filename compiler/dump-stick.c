/*
 * dump-stick.c: stick tables and stick counter actions and fetches back
 * to configuration text (cfgc --dump).
 */
#include <inttypes.h>
#include <stdio.h>

#include "dump.h"
#include "plan.h"

/* The name of the proxy holding table t. */
static const char *dump_table_name(const struct plan *p, uint32_t t)
{
	return plan_str_get(p, p->proxies[p->tables[t].proxy].name);
}

void dump_stick_table(const struct plan *p, uint32_t px, FILE *out)
{
	uint32_t ti = plan_table_of_proxy(p, px);
	const struct plan_stktable *t;
	const char *sep = " store ";

	if (ti == PLAN_NONE)
		return;
	t = &p->tables[ti];
	fprintf(out, "    stick-table type %s", plan_tbl_type_name(t->type));
	if (t->type == PLAN_TBL_STRING || t->type == PLAN_TBL_BINARY)
		fprintf(out, " len %" PRIu32, t->key_len);
	fprintf(out, " size %" PRIu32, t->size);
	if (t->expire_ms) {
		fprintf(out, " expire ");
		dump_ms(out, t->expire_ms);
	}
	if (t->flags & PLAN_TBL_F_NOPURGE)
		fprintf(out, " nopurge");
	for (uint32_t d = 0; d < PLAN_TD_MAX; d++) {
		if (!(t->store & (1u << d)))
			continue;
		fprintf(out, "%s%s", sep, plan_tbl_data_name(d));
		sep = ",";
		if (d == PLAN_TD_GPT)
			fprintf(out, "(%" PRIu32 ")", t->ngpt);
		else if (d == PLAN_TD_GPC)
			fprintf(out, "(%" PRIu32 ")", t->ngpc);
		else if (d == PLAN_TD_GPC_RATE)
			fprintf(out, "(%" PRIu32 ",", t->ngpc);
		if (plan_tbl_data_is_rate(d)) {
			if (d != PLAN_TD_GPC_RATE)
				fputc('(', out);
			dump_ms(out, t->period_ms[d]);
			fputc(')', out);
		}
	}
	fputc('\n', out);
}

void dump_stick_fetch(const struct plan *p, const struct plan_acl *a,
                      FILE *out)
{
	static const char *const ops[PLAN_STK_OP_MAX] = {
		"get_", "inc_", "clr_", "tracked", "trackers",
	};
	uint32_t ctr = PLAN_STK_CTR(a->occ), op = PLAN_STK_OPOF(a->occ);
	uint32_t d = PLAN_STK_DATA(a->occ);
	const char *name = plan_tbl_data_name(d);
	int arr = d == PLAN_TD_GPT || d == PLAN_TD_GPC || d == PLAN_TD_GPC_RATE;
	int paren = arr || a->arg != PLAN_NONE;

	if (ctr == PLAN_STK_SRC)
		fprintf(out, "src_");
	else
		fprintf(out, "sc%u_", (unsigned)ctr);
	if (op == PLAN_STK_TRACKED || op == PLAN_STK_TRACKERS)
		fprintf(out, "%s", ops[op]);
	else if (d == PLAN_TD_BYTES_IN_CNT || d == PLAN_TD_BYTES_OUT_CNT)
		fprintf(out, "k%s", name);
	else if (op == PLAN_STK_GET && (d == PLAN_TD_GPC0 || d == PLAN_TD_GPC1 ||
	                                d == PLAN_TD_GPC || d == PLAN_TD_GPT0 ||
	                                d == PLAN_TD_GPT))
		fprintf(out, "get_%s", name);
	else if (op != PLAN_STK_GET)
		fprintf(out, "%s%s", ops[op], name);
	else
		fprintf(out, "%s", name);
	if (paren)
		fputc('(', out);
	if (arr)
		fprintf(out, "%u", (unsigned)PLAN_STK_IDX(a->occ));
	if (a->arg != PLAN_NONE)
		fprintf(out, "%s%s", arr ? "," : "", dump_table_name(p, a->arg));
	if (paren)
		fputc(')', out);
}

void dump_track(const struct plan *p, uint32_t i, const char *prefix,
                FILE *out)
{
	const struct plan_track *k = &p->tracks[i];
	int arr = k->data == PLAN_TD_GPC || k->data == PLAN_TD_GPT;

	fprintf(out, "%s", prefix);
	switch (k->op) {
	case PLAN_TRK_TRACK:
	case PLAN_TRK_MATCH:
	case PLAN_TRK_STORE:
	case PLAN_TRK_ON:
	case PLAN_TRK_STORE_RES:
		if (k->op == PLAN_TRK_TRACK)
			fprintf(out, "track-sc%u ", (unsigned)k->sc);
		else
			fprintf(out, "stick %s ", k->op == PLAN_TRK_MATCH ? "match" :
			        k->op == PLAN_TRK_STORE ? "store-request" :
			        k->op == PLAN_TRK_STORE_RES ? "store-response" :
			        "on");
		dump_fetch_word(p, &p->acls[k->key], "", "", out);
		fprintf(out, " table %s", dump_table_name(p, k->table));
		return;
	case PLAN_TRK_INC_GPC:
	case PLAN_TRK_ADD_GPC:
		fprintf(out, "sc-%s-gpc", k->op == PLAN_TRK_INC_GPC ? "inc" : "add");
		break;
	default:
		fprintf(out, "sc-set-gpt");
		break;
	}
	if (arr)
		fprintf(out, "(%u,%u)", (unsigned)k->idx, (unsigned)k->sc);
	else
		fprintf(out, "%c(%u)", k->data == PLAN_TD_GPC1 ? '1' : '0',
		        (unsigned)k->sc);
	if (k->op != PLAN_TRK_INC_GPC)
		fprintf(out, " %" PRId64, k->value);
}
