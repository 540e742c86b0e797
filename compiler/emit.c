/*
 * emit.c: writes the typed model through the plan builder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "emit.h"
#include "kw-ssl.h"
#include "kw.h"
#include "model.h"
#include "plan.h"
#include "sample-reg.h"

static struct plan_str emit_str(struct plan_builder *b, const char *s)
{
	return plan_builder_str(b, s, strlen(s));
}

/* Add one record of `kind`, returning its index or PLAN_NONE. */
static uint32_t emit_add(struct plan_builder *b, enum plan_section_kind kind)
{
	uint32_t before = plan_builder_count(b, kind);
	uint32_t idx = plan_builder_add(b, kind);

	return plan_builder_count(b, kind) == before + 1 ? idx : PLAN_NONE;
}

/* Log targets in order, owned by `owner` (PLAN_NONE: global). Returns
 * the index of the first one, or PLAN_NONE when out of memory. */
static uint32_t emit_logs(struct plan_builder *b, const struct model_log *logs,
                          size_t n, uint32_t owner)
{
	uint32_t first = plan_builder_count(b, PLAN_SEC_LOG), idx;

	for (size_t i = 0; i < n; i++) {
		struct plan_log *lr;

		if ((idx = emit_add(b, PLAN_SEC_LOG)) == PLAN_NONE)
			return PLAN_NONE;
		lr = plan_builder_at(b, PLAN_SEC_LOG, idx);
		lr->owner = owner;
		lr->target = logs[i].target;
		lr->facility = logs[i].facility;
		lr->level = logs[i].level;
		lr->format = logs[i].format;
		lr->line = logs[i].line;
		lr->addr = logs[i].addr;
	}
	return first;
}

/* CHECK records for `n` rules: the tcp-check rules of a backend, or the
 * one body rule (http-check expect string|rstring) of an HTTP check. */
static int emit_checks(struct plan_builder *b, const struct model_check_rule *rules,
                       size_t n, uint32_t owner)
{
	for (size_t i = 0; i < n; i++) {
		const struct model_check_rule *r = &rules[i];
		struct plan_str data = { 0, 0 };
		struct plan_check_rule *cr;
		uint32_t idx;

		if (r->data)
			data = plan_builder_str(b, r->data, r->len);
		if ((idx = emit_add(b, PLAN_SEC_CHECK)) == PLAN_NONE)
			return -1;
		cr = plan_builder_at(b, PLAN_SEC_CHECK, idx);
		cr->proxy = owner;
		cr->op = r->op;
		cr->flags = r->flags;
		cr->arg = r->arg;
		cr->data = data;
		cr->line = r->line;
	}
	return 0;
}

/* The check settings of a backend: HAProxy's defaults filled in. */
static void emit_httpchk(struct plan_builder *b, const struct model_settings *set,
                         struct plan_proxy *rec)
{
	const char *m = set->httpchk_method ? set->httpchk_method : "OPTIONS";
	const char *u = set->httpchk_uri ? set->httpchk_uri : "/";
	const char *v = set->httpchk_version ? set->httpchk_version : "HTTP/1.0";

	rec->httpchk_method = emit_str(b, m);
	rec->httpchk_uri = emit_str(b, u);
	rec->httpchk_version = emit_str(b, v);
	if (set->httpchk_host)
		rec->httpchk_host = emit_str(b, set->httpchk_host);
	rec->httpchk_status_lo = set->status_lo ? set->status_lo : 200;
	rec->httpchk_status_hi = set->status_lo ? set->status_hi : 399;
}

/* The first index and count in the ACL table of each ACL line's group
 * (all lines of its name, or itself when anonymous), filled by
 * emit_acls(); PLAN_NONE for a line not compiled. */
struct emit_acl_ref {
	uint32_t first;             /* the group of lines of its name */
	uint32_t n;
	uint32_t self;              /* the line itself */
};

/* qsort of STR pattern texts, bytewise (they hold no NUL). */
/* An exact-match value and where it came from (0: the line, k + 1: the
 * ACL's -f file k). */
struct emit_text {
	const char *text;
	uint32_t file;
};

static int emit_text_cmp(const void *x, const void *y)
{
	const struct emit_text *a = x, *b = y;
	int c = strcmp(a->text, b->text);

	return c ? c : (a->file > b->file) - (a->file < b->file);
}

/* 1 when `fetch` takes payload arguments (offset in arg) or a TLV type
 * (in arg too). */
static int emit_fetch_has_payload(uint32_t fetch)
{
	const struct sample_fetch_def *f = sample_fetch_by_id(fetch);

	return f && (f->arg == SMP_ARG_PAYLOAD || f->arg == SMP_ARG_PAYLOAD_LV ||
	             f->arg == SMP_ARG_PP_TLV);
}

/* The converters of a into CONV, the last flagged; a map or regsub step
 * holds its set's index in first_pattern until emit_patsets(). The
 * line's `conv` value: 0 without converters, else 1 + the first step. */
static int emit_convs(struct plan_builder *b, const struct model_acl *a,
                      const struct model *m, uint32_t *conv)
{
	*conv = a->nconvs ? plan_builder_count(b, PLAN_SEC_CONV) + 1 : 0;
	for (size_t k = 0; k < a->nconvs; k++) {
		const struct model_conv *c = &a->convs[k];
		struct plan_str s1 = c->s1 ? emit_str(b, c->s1) :
		                     (struct plan_str){ 0, 0 };
		struct plan_str s2 = c->s2 ? emit_str(b, c->s2) :
		                     (struct plan_str){ 0, 0 };
		uint32_t idx = emit_add(b, PLAN_SEC_CONV);
		struct plan_conv_step *st;

		if (idx == PLAN_NONE)
			return -1;
		st = plan_builder_at(b, PLAN_SEC_CONV, idx);
		st->conv = c->conv;
		st->flags = c->flags | (k + 1 == a->nconvs ? PLAN_CS_F_LAST : 0);
		st->a = c->a;
		st->b = c->b;
		st->s1 = s1;
		st->s2 = s2;
		if (c->set != SIZE_MAX) {
			st->first_pattern = (uint32_t)c->set;
			st->npatterns = (uint32_t)m->patsets[c->set].n;
		}
		if (c->conv == PLAN_CONV_MAP) {
			st->match = c->match;
			st->out = c->out;
		}
	}
	return 0;
}

/* The pattern sets after every ACL line's patterns, each map's values as
 * an array of blob strings; then the steps naming them point at them. */
static int emit_patsets(struct plan_builder *b, const struct model *m)
{
	struct plan_str *vals = NULL;
	uint32_t nsteps = plan_builder_count(b, PLAN_SEC_CONV);
	uint32_t *first = calloc(m->npatsets ? m->npatsets : 1, sizeof(*first));
	int ret = -1;

	if (!first)
		return -1;
	/* only the sets a compiled line's step names: a line left out
	 * (unsupported) leaves its map out too */
	for (uint32_t i = 0; i < nsteps; i++) {
		const struct plan_conv_step *st = plan_builder_at(b, PLAN_SEC_CONV,
		                                                  i);

		if (st->conv == PLAN_CONV_MAP || st->conv == PLAN_CONV_REGSUB)
			first[st->first_pattern] = 1;
	}
	for (size_t i = 0; i < m->npatsets; i++) {
		const struct model_patset *ps = &m->patsets[i];

		if (!first[i])
			continue;
		first[i] = plan_builder_count(b, PLAN_SEC_PATTERN);
		for (size_t k = 0; k < ps->n; k++) {
			struct plan_str st = ps->keys[k] ? emit_str(b, ps->keys[k]) :
			                     (struct plan_str){ 0, 0 };
			uint32_t idx = emit_add(b, PLAN_SEC_PATTERN);
			struct plan_pattern *pt;

			if (idx == PLAN_NONE)
				goto out;
			pt = plan_builder_at(b, PLAN_SEC_PATTERN, idx);
			*pt = ps->pats[k];
			pt->str = st;
		}
	}
	for (uint32_t i = 0; i < nsteps; i++) {
		struct plan_conv_step *st = plan_builder_at(b, PLAN_SEC_CONV, i);
		const struct model_patset *ps;
		struct plan_str arr;

		if (st->conv != PLAN_CONV_MAP && st->conv != PLAN_CONV_REGSUB)
			continue;
		ps = &m->patsets[st->first_pattern];
		st->first_pattern = first[st->first_pattern];
		if (st->conv != PLAN_CONV_MAP || !ps->n)
			continue;
		if (!(vals = calloc(ps->n, sizeof(*vals))))
			goto out;
		for (size_t k = 0; k < ps->n; k++)
			vals[k] = emit_str(b, ps->values[k]);
		arr = plan_builder_str(b, (const char *)vals,
		                       ps->n * sizeof(*vals));
		free(vals);
		st = plan_builder_at(b, PLAN_SEC_CONV, i);
		st->values = arr;
	}
	ret = 0;
out:
	free(first);
	return ret;
}

static int emit_acl_line(struct plan_builder *b, const struct model_acl *a,
                         const struct model *m, uint32_t owner)
{
	uint32_t conv;

	uint32_t idx, first_p = plan_builder_count(b, PLAN_SEC_PATTERN);
	struct plan_str name = a->name ? emit_str(b, a->name) :
	                       (struct plan_str){ 0, 0 };
	/* acl(): its list is written once every line has its place */
	struct plan_str sarg = a->sarg && a->fetch != PLAN_FETCH_ACL ?
	                       emit_str(b, a->sarg) : (struct plan_str){ 0, 0 };
	uint32_t flags = a->flags & PLAN_ACL_F_ICASE;
	struct emit_text *sorted = NULL;
	struct plan_acl *r;
	size_t n = a->npats;

	/* exact strings: sorted and unique, for a binary search (of equal
	 * values, one written on the line is kept before one from a file) */
	if (a->match == PLAN_MATCH_STR && n) {
		size_t k = 0;

		if (!(sorted = malloc(n * sizeof(*sorted))))
			return -1;
		for (size_t j = 0; j < n; j++) {
			sorted[j].text = a->texts[j];
			sorted[j].file = a->pats[j].file_off;
		}
		qsort(sorted, n, sizeof(*sorted), emit_text_cmp);
		for (size_t j = 0; j < n; j++)
			if (!k || strcmp(sorted[k - 1].text, sorted[j].text))
				sorted[k++] = sorted[j];
		n = k;
		flags |= PLAN_ACL_F_SORTED;
	}
	for (size_t k = 0; k < n; k++) {
		struct plan_pattern *pt;
		const char *text = sorted ? sorted[k].text : a->texts[k];
		uint32_t file = sorted ? sorted[k].file : a->pats[k].file_off;
		struct plan_str fs = { 0, 0 };

		if ((idx = emit_add(b, PLAN_SEC_PATTERN)) == PLAN_NONE) {
			free(sorted);
			return -1;
		}
		pt = plan_builder_at(b, PLAN_SEC_PATTERN, idx);
		if (sorted) {
			pt->kind = PLAN_PAT_STR;
		} else {
			memcpy(pt, &a->pats[k], sizeof(a->pats[k]));
		}
		if (file && file <= a->nfiles)
			fs = emit_str(b, a->files[file - 1]);
		if (text) {
			struct plan_str st = emit_str(b, text);

			pt = plan_builder_at(b, PLAN_SEC_PATTERN, idx);
			pt->str = st;
		}
		pt = plan_builder_at(b, PLAN_SEC_PATTERN, idx);
		pt->file_off = fs.len <= UINT16_MAX ? fs.off : 0;
		pt->file_len = fs.len <= UINT16_MAX ? (uint16_t)fs.len : 0;
	}
	free(sorted);
	if (emit_convs(b, a, m, &conv) < 0 ||
	    (idx = emit_add(b, PLAN_SEC_ACL)) == PLAN_NONE)
		return -1;
	r = plan_builder_at(b, PLAN_SEC_ACL, idx);
	r->proxy = owner;
	r->fetch = a->fetch;
	r->conv = conv;
	r->arg = a->fetch == PLAN_FETCH_NBSRV || a->fetch == PLAN_FETCH_VAR ||
	         a->fetch == PLAN_FETCH_STKCTR ? a->arg_idx : PLAN_NONE;
	if (emit_fetch_has_payload(a->fetch)) {
		r->arg = a->off;
		r->arg2 = a->arg2;
	}
	if (a->fetch == PLAN_FETCH_DATE)
		r->arg2 = a->arg2;
	r->match = a->match;
	r->first_pattern = first_p;
	r->npatterns = (uint32_t)n;
	r->line = a->line;
	r->flags = flags;
	r->name = name;
	r->sarg = sarg;
	r->occ = a->occ;
	return 0;
}

/* The compiled ACL lines of px, the lines of one name together in the
 * order of their first line; refs[i] gets line i's group. */
/* The group of lines of the ACL named n[0..len) in px, or first NONE. */
static struct emit_acl_ref emit_named_ref(const struct model_proxy *px,
                                          const struct emit_acl_ref *refs,
                                          const char *n, size_t len)
{
	struct emit_acl_ref none = { PLAN_NONE, 0, PLAN_NONE };

	for (size_t i = 0; i < px->nacls; i++)
		if (px->acls[i].name && strlen(px->acls[i].name) == len &&
		    !strncmp(px->acls[i].name, n, len) &&
		    refs[i].first != PLAN_NONE)
			return refs[i];
	return none;
}

/* The acl(NAME,...) lines of px, once every line has its place: their
 * names become "[!]FIRST:N" ranges in sarg (plan-t.h, PLAN_FETCH_ACL).
 * kw_acl_finish() made sure each name is there. */
static int emit_acl_lists(struct plan_builder *b, const struct model_proxy *px,
                          const struct emit_acl_ref *refs)
{
	for (size_t i = 0; i < px->nacls; i++) {
		const struct model_acl *a = &px->acls[i];
		char list[12 * 24 + 1];
		struct plan_str sarg;
		size_t o = 0;

		if (a->fetch != PLAN_FETCH_ACL || !a->sarg ||
		    refs[i].first == PLAN_NONE)
			continue;
		for (const char *t = a->sarg; *t && o < sizeof(list) - 24; ) {
			int neg = *t == '!';
			size_t n = strcspn(t + neg, ",");
			struct emit_acl_ref r = emit_named_ref(px, refs, t + neg, n);

			if (r.first == PLAN_NONE)
				return -1;      /* kw_acl_finish() let it through */
			o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s%u:%u",
			                      o ? "," : "", neg ? "!" : "",
			                      (unsigned)r.first, (unsigned)r.n);
			t += neg + n + (t[neg + n] == ',');
		}
		sarg = emit_str(b, list);
		((struct plan_acl *)plan_builder_at(b, PLAN_SEC_ACL,
		                                    refs[i].self))->sarg = sarg;
	}
	return 0;
}

static int emit_acls(struct plan_builder *b, const struct model *m,
                     const struct model_proxy *px,
                     uint32_t owner, struct emit_acl_ref *refs)
{
	for (size_t i = 0; i < px->nacls; i++)
		refs[i].first = PLAN_NONE, refs[i].n = 0;
	for (size_t i = 0; i < px->nacls; i++) {
		const struct model_acl *a = &px->acls[i];
		uint32_t first = plan_builder_count(b, PLAN_SEC_ACL);

		if (a->unsupported || refs[i].first != PLAN_NONE)
			continue;
		for (size_t j = i; j < px->nacls; j++) {
			const struct model_acl *o = &px->acls[j];

			if (o->unsupported || (j != i && (!a->name || !o->name ||
			                                  strcmp(a->name, o->name))))
				continue;
			refs[j].self = plan_builder_count(b, PLAN_SEC_ACL);
			if (emit_acl_line(b, o, m, owner) < 0)
				return -1;
			refs[j].first = first;
			if (!a->name)
				break;
		}
		refs[i].n = plan_builder_count(b, PLAN_SEC_ACL) - first;
		for (size_t j = i + 1; j < px->nacls; j++)
			if (refs[j].first == first)
				refs[j].n = refs[i].n;
	}
	return emit_acl_lists(b, px, refs);
}

/* The group of the ACL term `t` names in px. */
static struct emit_acl_ref emit_term_ref(const struct model_proxy *px,
                                         const struct emit_acl_ref *refs,
                                         const struct model_term *t)
{
	struct emit_acl_ref none = { PLAN_NONE, 0, PLAN_NONE };

	if (!t->name)
		return refs[t->anon];
	for (size_t i = 0; i < px->nacls; i++)
		if (px->acls[i].name && !strcmp(px->acls[i].name, t->name))
			return refs[i];
	return none;
}

/* The terms of rule condition `mr`, appended to TERM. */
static int emit_terms(struct plan_builder *b, const struct model_proxy *px,
                      const struct emit_acl_ref *refs,
                      const struct model_rule *mr)
{
	for (size_t t = 0; t < mr->nterms; t++) {
		struct emit_acl_ref ref = emit_term_ref(px, refs, &mr->terms[t]);
		struct plan_term *pt;
		uint32_t idx;

		if (ref.first == PLAN_NONE ||
		    (idx = emit_add(b, PLAN_SEC_TERM)) == PLAN_NONE)
			return -1;
		pt = plan_builder_at(b, PLAN_SEC_TERM, idx);
		pt->first_acl = ref.first;
		pt->nacls = ref.n;
		pt->flags = mr->terms[t].flags;
	}
	return 0;
}

/* Stick counter action k of px into TRACK (its key ACL line resolved);
 * its index, or PLAN_NONE when out of memory. */
static uint32_t emit_track(struct plan_builder *b, const struct model_proxy *px,
                           uint32_t owner, size_t k,
                           const struct emit_acl_ref *refs)
{
	const struct model_track *mt = &px->tracks[k];
	struct plan_track *t;
	uint32_t idx = emit_add(b, PLAN_SEC_TRACK);

	if (idx == PLAN_NONE)
		return PLAN_NONE;
	t = plan_builder_at(b, PLAN_SEC_TRACK, idx);
	*t = mt->rec;
	t->proxy = owner;
	if (t->op == PLAN_TRK_TRACK || plan_trk_is_persist(t->op))
		t->key = refs[mt->rec.key].first;
	return idx;
}

/* The compiled http rules of px, by set, with their terms and values;
 * the `redirect` keyword's after the http-request rules (pass 1), where
 * HAProxy runs them. */
static int emit_http_rules(struct plan_builder *b,
                           const struct model_proxy *px, uint32_t owner,
                           const struct emit_acl_ref *refs)
{
	for (uint32_t pass = 0; pass < PLAN_HR_SET_MAX + 1; pass++)
		for (size_t i = 0; i < px->nhttp_rules; i++) {
			const struct model_http_rule *mr = &px->http_rules[i];
			uint32_t idx, first_t = plan_builder_count(b, PLAN_SEC_TERM);
			uint32_t first_lf = plan_builder_count(b, PLAN_SEC_LF);
			struct plan_http_rule *r;
			struct plan_str name = { 0, 0 };
			uint32_t set = pass > PLAN_HR_REQUEST ? pass - 1 : pass;

			if (mr->set != set || mr->cond.dropped ||
			    (set == PLAN_HR_REQUEST &&
			     mr->proxy_redirect != (pass == 1)))
				continue;
			if (emit_terms(b, px, refs, &mr->cond) < 0)
				return -1;
			for (size_t k = 0; k < mr->nlf; k++) {
				const struct model_lf *ml = &mr->lf[k];
				struct plan_lf_node *nd;
				struct plan_str st = { 0, 0 };

				if (ml->kind == PLAN_LF_LIT || ml->kind == PLAN_LF_HDR)
					st = plan_builder_str(b, ml->text, ml->len);
				if ((idx = emit_add(b, PLAN_SEC_LF)) == PLAN_NONE)
					return -1;
				nd = plan_builder_at(b, PLAN_SEC_LF, idx);
				nd->kind = ml->kind;
				nd->ref = ml->kind == PLAN_LF_FETCH ?
				          refs[ml->ref].first : ml->ref;
				memcpy(nd->conv, ml->conv, sizeof(nd->conv));
				nd->str = st;
			}
			if (mr->name)
				name = emit_str(b, mr->name);
			if ((idx = emit_add(b, PLAN_SEC_HTTP_RULE)) == PLAN_NONE)
				return -1;
			r = plan_builder_at(b, PLAN_SEC_HTTP_RULE, idx);
			r->proxy = owner;
			r->set = (uint8_t)mr->set;
			r->action = (uint8_t)mr->action;
			r->status = (uint16_t)mr->status;
			r->cond = mr->cond.cond;
			r->first_term = first_t;
			r->nterms = (uint32_t)mr->cond.nterms;
			r->line = mr->cond.line;
			r->arg = mr->action == PLAN_HA_REPLACE_HEADER ||
			         mr->action == PLAN_HA_REPLACE_VALUE ||
			         mr->action == PLAN_HA_REPLACE_PATH ?
			         refs[mr->arg].first : mr->arg;
			if (mr->action == PLAN_HA_STICK) {
				uint32_t t = emit_track(b, px, owner, mr->arg, refs);

				if (t == PLAN_NONE)
					return -1;
				r = plan_builder_at(b, PLAN_SEC_HTTP_RULE, idx);
				r->arg = t;
			}
			r->flags = mr->flags;
			r->name = name;
			r->first_lf = first_lf;
			r->nlf = plan_builder_count(b, PLAN_SEC_LF) - first_lf;
		}
	return 0;
}

/* Rules `rules[0..n)` of px that were compiled, with their terms. */
static int emit_rules(struct plan_builder *b, const struct model_proxy *px,
                      uint32_t owner, const struct model_rule *rules,
                      size_t n, const struct emit_acl_ref *refs)
{
	for (size_t i = 0; i < n; i++) {
		const struct model_rule *mr = &rules[i];
		uint32_t idx, first_t = plan_builder_count(b, PLAN_SEC_TERM);
		struct plan_rule *r;

		if (mr->dropped)
			continue;
		if (emit_terms(b, px, refs, mr) < 0)
			return -1;
		if ((idx = emit_add(b, PLAN_SEC_RULE)) == PLAN_NONE)
			return -1;
		r = plan_builder_at(b, PLAN_SEC_RULE, idx);
		r->proxy = owner;
		r->action = mr->action;
		r->backend = mr->action == PLAN_RULE_USE_BACKEND ?
		             mr->backend_idx : PLAN_NONE;
		/* use_backend %[...]: its line; set-mark, set-tos: the value */
		r->arg = mr->expr_acl ? refs[mr->expr_acl - 1].first + 1 : mr->arg;
		r->cond = mr->cond;
		r->first_term = first_t;
		r->nterms = (uint32_t)mr->nterms;
		r->line = mr->line;
		if (mr->action == PLAN_RULE_STICK) {
			uint32_t t = emit_track(b, px, owner, mr->track, refs);

			if (t == PLAN_NONE)
				return -1;
			r = plan_builder_at(b, PLAN_SEC_RULE, idx);
			r->arg = t;
		}
	}
	return 0;
}

/* The rules of set `set` of px into the RULE table; their count, or
 * PLAN_NONE. */
static uint32_t emit_tcp_set(struct plan_builder *b,
                             const struct model_proxy *px, uint32_t owner,
                             uint32_t set, const struct emit_acl_ref *refs)
{
	uint32_t first = plan_builder_count(b, PLAN_SEC_RULE);

	if (emit_rules(b, px, owner, px->tcp_rules[set], px->ntcp_rules[set],
	               refs) < 0)
		return PLAN_NONE;
	return plan_builder_count(b, PLAN_SEC_RULE) - first;
}

/* ACL lines and rules of px into `rec`'s ranges, the TCP rule counts
 * into `tcp`, the log-format's first ACL line (1 + index, 0: none) into
 * `lf_acl[0]`, balance hash's line into `lf_acl[1]`. */
static int emit_switching(struct plan_builder *b, const struct model *m,
                          uint32_t lf_acl[2], const struct model_proxy *px,
                          uint32_t owner, struct plan_proxy *rec,
                          struct plan_tcp *tcp)
{
	struct emit_acl_ref *refs = NULL;
	int fe = (px->cap & PLAN_CAP_FE) != 0, ret = -1;

	rec->first_acl = plan_builder_count(b, PLAN_SEC_ACL);
	rec->first_rule = plan_builder_count(b, PLAN_SEC_RULE);
	if (px->nacls && !(refs = calloc(px->nacls, sizeof(*refs))))
		return -1;
	if (emit_acls(b, m, px, owner, refs) < 0 ||
	    (fe && emit_rules(b, px, owner, px->conn_rules, px->nconn_rules,
	                      refs) < 0))
		goto out;
	rec->nconn_rules = plan_builder_count(b, PLAN_SEC_RULE) - rec->first_rule;
	if ((tcp->nsession = emit_tcp_set(b, px, owner, PLAN_TCP_SESSION,
	                                  refs)) == PLAN_NONE ||
	    (tcp->ncontent = emit_tcp_set(b, px, owner, PLAN_TCP_CONTENT,
	                                  refs)) == PLAN_NONE)
		goto out;
	if (fe && emit_rules(b, px, owner, px->switch_rules, px->nswitch_rules,
	                     refs) < 0)
		goto out;
	if ((tcp->nresponse = emit_tcp_set(b, px, owner, PLAN_TCP_RESPONSE,
	                                   refs)) == PLAN_NONE ||
	    (tcp->nstick = emit_tcp_set(b, px, owner, PLAN_TCP_STICK,
	                                refs)) == PLAN_NONE ||
	    (tcp->nuse_server = emit_tcp_set(b, px, owner, PLAN_TCP_USE_SERVER,
	                                     refs)) == PLAN_NONE)
		goto out;
	if (emit_http_rules(b, px, owner, refs) < 0)
		goto out;
	lf_acl[0] = px->logfmt_acl ? refs[px->logfmt_acl - 1].first + 1 : 0;
	lf_acl[1] = px->bal_acl ? refs[px->bal_acl - 1].first + 1 : 0;
	rec->nacls = plan_builder_count(b, PLAN_SEC_ACL) - rec->first_acl;
	rec->nrules = plan_builder_count(b, PLAN_SEC_RULE) - rec->first_rule;
	ret = 0;
out:
	free(refs);
	return ret;
}

/* The algorithm proxy `px` balances with: the layer 7 ones fall back to
 * round robin outside HTTP mode, as HAProxy does (xref.c warns), and
 * mean nothing in a frontend (their arguments live in the backend's HTTP
 * record). */
static uint32_t emit_balance(const struct model_proxy *px)
{
	uint32_t b = px->set.balance;

	if ((b == PLAN_BALANCE_URI || b == PLAN_BALANCE_URL_PARAM ||
	     b == PLAN_BALANCE_HDR) &&
	    (px->set.mode != PLAN_MODE_HTTP || !(px->cap & PLAN_CAP_BE)))
		return PLAN_BALANCE_ROUNDROBIN;
	if (b == PLAN_BALANCE_HASH && !px->bal_acl)
		return PLAN_BALANCE_ROUNDROBIN;     /* refused (reported) */
	return b;
}

/* The HTTP record of proxy `index`: HAProxy's defaults filled in, all
 * zero for a proxy not in mode http. */
static int emit_http(struct plan_builder *b, const struct model_proxy *px,
                     uint32_t index, const uint32_t lf_acl[2])
{
	const struct model_http *h = &px->set.http;
	int fe = (px->cap & PLAN_CAP_FE) != 0;
	struct plan_http r;
	uint32_t idx;

	memset(&r, 0, sizeof(r));
	if (px->set.mode == PLAN_MODE_HTTP) {
		r.flags = h->flags;
		if (!fe)
			r.flags &= ~(PLAN_HTTP_F_HTTPLOG | PLAN_HTTP_F_HTTPLOG_CLF |
			             PLAN_HTTP_F_DONTLOG_NORMAL |
			             PLAN_HTTP_F_LOG_SEPARATE_ERRORS |
			             PLAN_HTTP_F_IGNORE_PROBES);
		r.conn_mode = h->conn_mode;
		r.reuse = (px->cap & PLAN_CAP_BE) ? h->reuse : 0;
		r.timeout_http_request = h->timeout_http_request;
		r.timeout_http_keep_alive = h->timeout_http_keep_alive;
		if (r.flags & PLAN_HTTP_F_FORWARDFOR) {
			r.ff_header = emit_str(b, h->ff_header ? h->ff_header
			                                       : "X-Forwarded-For");
			r.ff_except = h->ff_except;
		}
		if (r.flags & PLAN_HTTP_F_ORIGINALTO) {
			r.ot_header = emit_str(b, h->ot_header ? h->ot_header
			                                       : "X-Original-To");
			r.ot_except = h->ot_except;
		}
		if (h->log_format && fe && !px->logfmt_bad) {
			r.log_format = emit_str(b, h->log_format);
			r.log_format_acl = lf_acl[0];
		}
		if (h->monitor_uri && fe)
			r.monitor_uri = emit_str(b, h->monitor_uri);
		memcpy(r.comp_algos, h->comp_algos, sizeof(r.comp_algos));
		r.comp_flags = h->comp_flags;
		r.comp_minsize = h->comp_minsize;
		if (h->comp_types)
			r.comp_types = emit_str(b, h->comp_types);
		if (h->unique_id_format)
			r.unique_id_format = emit_str(b, h->unique_id_format);
		if (h->unique_id_header && fe)
			r.unique_id_header = emit_str(b, h->unique_id_header);
		if (h->cookie_name && (px->cap & PLAN_CAP_BE)) {
			r.cookie_name = emit_str(b, h->cookie_name);
			if (h->cookie_domains)
				r.cookie_domains = emit_str(b, h->cookie_domains);
			if (h->cookie_attrs)
				r.cookie_attrs = emit_str(b, h->cookie_attrs);
			r.cookie_mode = h->cookie_mode;
			r.cookie_flags = h->cookie_flags;
			r.cookie_maxidle = h->cookie_maxidle;
			r.cookie_maxlife = h->cookie_maxlife;
		}
		for (size_t i = 0; fe && i < h->ncaps; i++) {
			r.captures[i].kind = (uint8_t)h->caps[i].kind;
			r.captures[i].len = h->caps[i].len;
			r.captures[i].name = emit_str(b, h->caps[i].name);
			r.ncaptures++;
		}
		if (px->cap & PLAN_CAP_BE) {
			r.retry_on = h->retry_on;
			if (px->set.balance == PLAN_BALANCE_HASH && lf_acl[1]) {
				r.bal_name = emit_str(b, h->bal_name);
				r.bal_acl = lf_acl[1];
			} else if (px->set.balance == PLAN_BALANCE_URI ||
			    px->set.balance == PLAN_BALANCE_URL_PARAM ||
			    px->set.balance == PLAN_BALANCE_HDR) {
				r.bal_len = h->bal_len;
				r.bal_depth = h->bal_depth;
				r.bal_flags = h->bal_flags;
				if (h->bal_name)
					r.bal_name = emit_str(b, h->bal_name);
			}
		}
		r.errorfile_mask = h->errors.mask;
		r.errorfile_deferred = h->errors.deferred;
		for (int i = 0; i < PLAN_HTTP_NERRORS; i++) {
			if (!(h->errors.mask & (1u << i)))
				continue;
			if (h->errors.len[i])
				r.errorfile[i] = plan_builder_str(b, h->errors.body[i],
				                                  h->errors.len[i]);
			r.errorfile_path[i] = emit_str(b, h->errors.path[i]);
		}
		if (r.flags & PLAN_HTTP_F_STATS) {
			r.stats_refresh = h->stats_refresh;
			r.stats_uri = emit_str(b, h->stats_uri ? h->stats_uri
			                                       : "/haproxy?stats");
			if (h->stats_realm)
				r.stats_realm = emit_str(b, h->stats_realm);
			if (h->stats_auth)
				r.stats_auth = emit_str(b, h->stats_auth);
			if (h->stats_scope)
				r.stats_scope = emit_str(b, h->stats_scope);
			if (h->stats_node)
				r.stats_node = emit_str(b, h->stats_node);
			if (h->stats_desc)
				r.stats_desc = emit_str(b, h->stats_desc);
		}
	}
	if ((idx = emit_add(b, PLAN_SEC_HTTP)) == PLAN_NONE || idx != index)
		return -1;
	memcpy(plan_builder_at(b, PLAN_SEC_HTTP, idx), &r, sizeof(r));
	return 0;
}

/* Bytes into the blob: a range (off, len), {0, 0} when empty. */
static void emit_bytes(struct plan_builder *b, const void *p, size_t n,
                       uint32_t *off, uint32_t *len)
{
	struct plan_str r = plan_builder_str(b, p, n);

	*off = r.off;
	*len = r.len;
}

static struct plan_str emit_opt_str(struct plan_builder *b, const char *s)
{
	return emit_str(b, s ? s : "");
}

/* The TLS_SERVER record of server `sv` (plan index `idx`) when it uses
 * TLS, setting its PLAN_SRV_F_TLS flag. 0 or -1 (memory). */
static int emit_server_tls(struct plan_builder *b, const struct model *m,
                           const struct model_proxy *px,
                           const struct model_server *sv, uint32_t idx)
{
	struct kw_server_tls_out o;
	struct plan_tls_server r;
	uint32_t ti;

	if (!kw_server_tls_resolve(m, px, sv, &o))
		return 0;
	memset(&r, 0, sizeof(r));
	r.server = idx;
	r.flags = o.flags;
	r.min_ver = o.min_ver;
	r.max_ver = o.max_ver;
	r.sni = o.sni;
	r.sni_name = emit_opt_str(b, o.sni_name);
	r.check_sni = emit_opt_str(b, o.check_sni);
	r.verifyhost = emit_opt_str(b, o.verifyhost);
	r.alpn = emit_opt_str(b, o.alpn);
	r.ciphers = emit_opt_str(b, o.ciphers);
	r.ciphersuites = emit_opt_str(b, o.ciphersuites);
	r.curves = emit_opt_str(b, o.curves);
	if (o.ca) {
		r.ca_file = emit_str(b, o.ca->path);
		emit_bytes(b, o.ca->der, o.ca->der_len, &r.ca_off, &r.ca_len);
	}
	if (o.crl) {
		r.crl_file = emit_str(b, o.crl->path);
		emit_bytes(b, o.crl->der, o.crl->der_len, &r.crl_off, &r.crl_len);
	}
	if (o.crt) {
		r.crt_file = emit_str(b, o.crt->path);
		emit_bytes(b, o.crt->der, o.crt->der_len, &r.crt_off, &r.crt_len);
		emit_bytes(b, o.crt->key, o.crt->key_len, &r.key_off, &r.key_len);
	}
	if ((ti = emit_add(b, PLAN_SEC_TLS_SERVER)) == PLAN_NONE)
		return -1;
	memcpy(plan_builder_at(b, PLAN_SEC_TLS_SERVER, ti), &r, sizeof(r));
	((struct plan_server *)plan_builder_at(b, PLAN_SEC_SERVER, idx))->flags |=
		PLAN_SRV_F_TLS;
	return 0;
}

static int emit_proxy(struct plan_builder *b, const struct model *m,
                      const struct model_proxy *px, uint32_t index)
{
	uint32_t first_l = plan_builder_count(b, PLAN_SEC_LISTENER);
	uint32_t first_s = plan_builder_count(b, PLAN_SEC_SERVER);
	uint32_t first_c = plan_builder_count(b, PLAN_SEC_CHECK);
	struct plan_str name = emit_str(b, px->name);
	struct plan_str desc = emit_str(b, px->description ? px->description : "");
	const struct model_settings *set = &px->set;
	int be = (px->cap & PLAN_CAP_BE) != 0, fe = (px->cap & PLAN_CAP_FE) != 0;
	struct plan_proxy *rec, hc;
	struct plan_tcp tcp;
	uint32_t idx, first_log, lf_acl[2] = { 0, 0 };

	for (size_t i = 0; i < px->nlisteners; i++) {
		const struct model_listener *l = &px->listeners[i];
		char text[160];
		struct plan_str s;
		struct plan_listener *lr;

		addr_format(&l->addr, text, sizeof(text));
		s = emit_str(b, text);
		if ((idx = emit_add(b, PLAN_SEC_LISTENER)) == PLAN_NONE)
			return -1;
		lr = plan_builder_at(b, PLAN_SEC_LISTENER, idx);
		lr->proxy = index;
		lr->line = l->line;
		lr->name = s;
		lr->addr = l->addr;
		lr->flags = l->flags;
		lr->backlog = l->backlog;
		lr->maxconn = l->maxconn;
		lr->tls = l->tls;
	}
	for (size_t i = 0; i < px->nservers; i++) {
		const struct model_server *sv = &px->servers[i];
		struct plan_str s = emit_str(b, sv->name);
		struct plan_server *sr;

		if ((idx = emit_add(b, PLAN_SEC_SERVER)) == PLAN_NONE)
			return -1;
		sr = plan_builder_at(b, PLAN_SEC_SERVER, idx);
		sr->proxy = index;
		sr->line = sv->loc.line;
		sr->name = s;
		sr->weight = (uint16_t)sv->weight;
		sr->maxconn = sv->maxconn;
		/* HAProxy: a minconn alone or above maxconn becomes the
		 * maxconn, one equal to it a fixed limit */
		if (sv->minconn > sv->maxconn)
			sr->maxconn = sv->minconn;
		else if (sv->minconn < sv->maxconn)
			sr->minconn = sv->minconn;
		sr->flags = (uint16_t)(sv->flags & ~PLAN_SRV_F_TLS);
		if (sv->source.family == PLAN_FAM_NONE)
			sr->flags |= (uint16_t)set->usesrc;
		sr->maxqueue = sv->maxqueue;
		sr->inter = sv->inter;
		sr->fastinter = sv->fastinter;
		sr->downinter = sv->downinter;
		sr->rise = sv->rise;
		sr->fall = sv->fall;
		sr->port_offset = sv->port_offset;
		if (sv->cookie && px->set.http.cookie_name &&
		    px->set.mode == PLAN_MODE_HTTP && (px->cap & PLAN_CAP_BE))
			sr->cookie = emit_str(b, sv->cookie);
		if (plan_srv_addr_pack(b, sv->source.family != PLAN_FAM_NONE ?
		                       &sv->source : &set->source, NULL,
		                       &sr->source) < 0 ||
		    plan_builder_server_addrs(b, idx, &sv->addr, sv->host,
		                              &sv->check_addr) < 0 ||
		    emit_srv_resolve(b, m, sv, idx) < 0 ||
		    ((px->cap & PLAN_CAP_BE) &&
		     emit_server_tls(b, m, px, sv, idx) < 0))
			return -1;
	}
	if (be && set->check_type == PLAN_CHECK_TCP &&
	    emit_checks(b, set->checks, set->nchecks, index) < 0)
		return -1;
	if (be && set->check_type == PLAN_CHECK_HTTP && set->http_body.op &&
	    emit_checks(b, &set->http_body, 1, index) < 0)
		return -1;
	first_log = emit_logs(b, set->logs, set->nlogs, index);
	if (first_log == PLAN_NONE)
		return -1;
	memset(&hc, 0, sizeof(hc));
	if (be && set->check_type == PLAN_CHECK_HTTP)
		emit_httpchk(b, set, &hc);
	memset(&tcp, 0, sizeof(tcp));
	if (emit_switching(b, m, lf_acl, px, index, &hc, &tcp) < 0)
		return -1;
	/* a delay matters only to the content rules compiled */
	tcp.inspect_delay = fe && tcp.ncontent ? set->inspect_delay : 0;
	tcp.res_inspect_delay = be && tcp.nresponse ? set->res_inspect_delay : 0;
	if (px->table) {
		struct plan_stktable *t;

		if ((idx = emit_add(b, PLAN_SEC_TABLE)) == PLAN_NONE)
			return -1;
		t = plan_builder_at(b, PLAN_SEC_TABLE, idx);
		*t = px->table->rec;
		t->proxy = index;
	}
	if ((idx = emit_add(b, PLAN_SEC_PROXY)) == PLAN_NONE || idx != index)
		return -1;
	rec = plan_builder_at(b, PLAN_SEC_PROXY, idx);
	rec->name = name;
	rec->description = desc;
	rec->cap = px->cap;
	rec->mode = px->set.mode;
	rec->balance = emit_balance(px);
	rec->maxconn = (px->cap & PLAN_CAP_FE) ? px->set.maxconn : 0;
	rec->timeout_connect = (px->cap & PLAN_CAP_BE) ? px->set.timeout_connect : 0;
	rec->timeout_client = (px->cap & PLAN_CAP_FE) ? px->set.timeout_client : 0;
	rec->timeout_server = (px->cap & PLAN_CAP_BE) ? px->set.timeout_server : 0;
	for (size_t k = 0; k < px->nhttp_rules; k++)
		if (px->http_rules[k].action == PLAN_HA_TARPIT)
			rec->timeout_tarpit = px->set.timeout_tarpit ?
			                      px->set.timeout_tarpit :
			                      (px->cap & PLAN_CAP_BE) ?
			                      px->set.timeout_connect : 0;
	rec->default_backend = px->default_backend;
	rec->first_listener = first_l;
	rec->nlisteners = (uint32_t)px->nlisteners;
	rec->first_server = first_s;
	rec->nservers = (uint32_t)px->nservers;
	rec->line = px->loc.line;
	rec->flags = set->flags & (PLAN_PX_F_LOG_GLOBAL |
	             (be ? PLAN_PX_F_REDISPATCH | PLAN_PX_F_ALLBACKUPS |
	                   PLAN_PX_F_LOG_HEALTH_CHECKS | PLAN_PX_F_SRVTCPKA : 0) |
	             (be && set->mode == PLAN_MODE_HTTP ?
	              PLAN_PX_F_PREFER_LAST : 0) |
	             (be ? PLAN_PX_F_HASH_AVALANCHE : 0) |
	             (fe ? PLAN_PX_F_DONTLOGNULL | PLAN_PX_F_LOG |
	                   PLAN_PX_F_CLITCPKA | PLAN_PX_F_LOGASAP : 0));
	if (fe && (set->nlogs || (set->flags & PLAN_PX_F_LOG_GLOBAL)))
		rec->flags |= PLAN_PX_F_LOG;
	if (be && !(set->http.retry_on & PLAN_RETRY_CONN_FAILURE))
		rec->flags |= PLAN_PX_F_NO_CONN_RETRY;
	rec->hash_type = be ? set->hash_type : 0;
	rec->hash_func = be ? set->hash_func : 0;
	rec->random_draws = be && set->balance == PLAN_BALANCE_RANDOM ?
	                    set->random_draws : 0;
	rec->timeout_queue = be ? set->timeout_queue : 0;
	rec->timeout_tunnel = be ? set->timeout_tunnel : 0;
	rec->timeout_client_fin = fe ? set->timeout_client_fin : 0;
	rec->timeout_server_fin = be ? set->timeout_server_fin : 0;
	rec->timeout_check = be ? set->timeout_check : 0;
	rec->retries = be ? set->retries : 0;
	rec->fullconn = be ? set->fullconn : 0;
	rec->check_type = be ? set->check_type : 0;
	rec->first_check = first_c;
	rec->ncheck = plan_builder_count(b, PLAN_SEC_CHECK) - first_c;
	rec->httpchk_method = hc.httpchk_method;
	rec->httpchk_uri = hc.httpchk_uri;
	rec->httpchk_version = hc.httpchk_version;
	rec->httpchk_host = hc.httpchk_host;
	rec->httpchk_status_lo = hc.httpchk_status_lo;
	rec->httpchk_status_hi = hc.httpchk_status_hi;
	rec->log_format = PLAN_LOGFMT_TCPLOG;
	rec->first_log = first_log;
	rec->nlogs = (uint32_t)set->nlogs;
	rec->first_acl = hc.first_acl;
	rec->nacls = hc.nacls;
	rec->first_rule = hc.first_rule;
	rec->nrules = hc.nrules;
	rec->nconn_rules = hc.nconn_rules;
	if ((idx = emit_add(b, PLAN_SEC_TCP)) == PLAN_NONE || idx != index)
		return -1;
	memcpy(plan_builder_at(b, PLAN_SEC_TCP, idx), &tcp, sizeof(tcp));
	return emit_http(b, px, index, lf_acl);
}

/* The OPS record: one, even when every field is 0. */
static int emit_ops(struct plan_builder *b, const struct model *m)
{
	struct plan_ops *o;
	struct plan_str file, load = { 0, 0 };
	uint32_t idx;
	int any = 0;

	for (size_t i = 0; i < m->nproxies; i++)
		any |= m->proxies[i].set.load_state == PLAN_LOAD_STATE_GLOBAL &&
		       (m->proxies[i].cap & PLAN_CAP_BE);
	file = emit_str(b, m->server_state_file ? m->server_state_file : "");
	if (any && m->server_state_file) {
		char *ls = malloc(m->nproxies + 1);

		if (!ls)
			return -1;
		for (size_t i = 0; i < m->nproxies; i++)
			ls[i] = m->proxies[i].set.load_state == PLAN_LOAD_STATE_GLOBAL &&
			        (m->proxies[i].cap & PLAN_CAP_BE) ?
			        PLAN_LOAD_STATE_GLOBAL : PLAN_LOAD_STATE_NONE;
		ls[m->nproxies] = '\0';
		load = emit_str(b, ls);
		free(ls);
	}
	if ((idx = emit_add(b, PLAN_SEC_OPS)) == PLAN_NONE)
		return -1;
	o = plan_builder_at(b, PLAN_SEC_OPS, idx);
	o->hard_stop_after_ms = m->hard_stop_after;
	o->grace_ms = m->grace;
	o->close_spread_ms = m->close_spread;
	o->flags = m->close_spread_infinite ? PLAN_OPS_F_SPREAD_INFINITE : 0;
	o->max_spread_checks_ms = m->max_spread_checks;
	o->stats_maxconn = m->stats_maxconn;
	o->server_state_file = file;
	o->load_state = load;
	return 0;
}

/* The TLS bind records in model order (listeners name them by index + 1)
 * and their certificates. 0, or -1 without memory. */
static int emit_tls(struct plan_builder *b, const struct model *m)
{
	for (size_t i = 0; i < m->ntls_binds; i++) {
		const struct model_tls_bind *t = &m->tls_binds[i];
		uint32_t first = plan_builder_count(b, PLAN_SEC_TLS_CERT), idx;
		struct plan_tls_bind r;

		for (size_t k = 0; k < t->ncerts; k++) {
			const struct model_tls_cert *c = &t->certs[k];
			struct plan_tls_cert cr;

			memset(&cr, 0, sizeof(cr));
			cr.bind = (uint32_t)i;
			cr.flags = c->flags;
			cr.path = emit_str(b, c->path);
			cr.sni = emit_opt_str(b, c->sni);
			emit_bytes(b, c->der, c->der_len, &cr.der_off, &cr.der_len);
			emit_bytes(b, c->key, c->key_len, &cr.key_off, &cr.key_len);
			cr.not_after = c->not_after;
			cr.list = emit_opt_str(b, c->list);
			cr.base = emit_opt_str(b, c->base);
			cr.key_path = emit_opt_str(b, c->key_path);
			cr.set = c->set;
			cr.verify = c->set & PLAN_TLS_CERT_S_VERIFY ? c->verify : 0;
			if (c->set & PLAN_TLS_CERT_S_VERS) {
				cr.min_ver = c->min_ver;
				cr.max_ver = c->max_ver;
			}
			cr.alpn = emit_opt_str(b, c->alpn);
			cr.ciphers = emit_opt_str(b, c->ciphers);
			cr.curves = emit_opt_str(b, c->curves);
			cr.ca_path = emit_opt_str(b, c->ca_path);
			cr.crl_path = emit_opt_str(b, c->crl_path);
			emit_bytes(b, c->ca, c->ca_len, &cr.ca_off, &cr.ca_len);
			emit_bytes(b, c->crl, c->crl_len, &cr.crl_off, &cr.crl_len);
			if ((idx = emit_add(b, PLAN_SEC_TLS_CERT)) == PLAN_NONE)
				return -1;
			memcpy(plan_builder_at(b, PLAN_SEC_TLS_CERT, idx), &cr,
			       sizeof(cr));
		}
		memset(&r, 0, sizeof(r));
		r.ca_ignore = t->ca_ignore;
		r.crt_ignore = t->crt_ignore;
		r.first_cert = first;
		r.ncert = (uint32_t)t->ncerts;
		r.flags = t->flags;
		r.verify = t->verify;
		r.min_ver = t->min_ver;
		r.max_ver = t->max_ver;
		r.cache_size = kw_ssl_cachesize(m);
		r.lifetime = kw_ssl_lifetime(m);
		r.line = t->line;
		r.alpn = emit_opt_str(b, t->alpn);
		r.ciphers = emit_opt_str(b, t->ciphers);
		r.ciphersuites = emit_opt_str(b, t->ciphersuites);
		r.curves = emit_opt_str(b, t->curves);
		r.sigalgs = emit_opt_str(b, t->sigalgs);
		r.ca_path = emit_opt_str(b, t->ca_path);
		emit_bytes(b, t->ca, t->ca_len, &r.ca_off, &r.ca_len);
		r.crl_path = emit_opt_str(b, t->crl_path);
		emit_bytes(b, t->crl, t->crl_len, &r.crl_off, &r.crl_len);
		r.ca_verify_path = emit_opt_str(b, t->cav_path);
		emit_bytes(b, t->cav, t->cav_len, &r.ca_verify_off,
		           &r.ca_verify_len);
		if ((idx = emit_add(b, PLAN_SEC_TLS_BIND)) == PLAN_NONE)
			return -1;
		memcpy(plan_builder_at(b, PLAN_SEC_TLS_BIND, idx), &r, sizeof(r));
	}
	return 0;
}

int emit_plan(const struct model *m, uint8_t **buf, size_t *len)
{
	struct plan_builder *b = plan_builder_new();
	struct plan_global *g;
	struct plan_str src, pid, user, group, chroot, desc;
	uint32_t idx, first_log, first_stats;
	int ret = -1;

	if (!b)
		return -1;
	if (m->nproxies > PLAN_MAX_PROXIES)
		goto out;
	src = emit_str(b, m->source ? m->source : "");
	pid = emit_str(b, m->pidfile ? m->pidfile : "");
	user = emit_str(b, m->user ? m->user : "");
	group = emit_str(b, m->group ? m->group : "");
	chroot = emit_str(b, m->chroot ? m->chroot : "");
	desc = emit_str(b, m->description ? m->description : "");
	if ((first_log = emit_logs(b, m->logs, m->nlogs, PLAN_NONE)) == PLAN_NONE)
		goto out;
	first_stats = plan_builder_count(b, PLAN_SEC_STATS);
	for (size_t i = 0; i < m->nstats; i++) {
		struct plan_stats_socket *st;

		if ((idx = emit_add(b, PLAN_SEC_STATS)) == PLAN_NONE)
			goto out;
		st = plan_builder_at(b, PLAN_SEC_STATS, idx);
		st->level = m->stats[i].level;
		st->mode = m->stats[i].mode;
		st->line = m->stats[i].line;
		st->timeout_ms = m->stats_timeout;
		st->uid = m->stats[i].uid;
		st->gid = m->stats[i].gid;
		st->addr = m->stats[i].addr;
		st->user = emit_str(b, m->stats[i].user ? m->stats[i].user : "");
		st->group = emit_str(b, m->stats[i].group ? m->stats[i].group : "");
	}
	if (emit_ops(b, m) < 0 || emit_resolvers(b, m) < 0)
		goto out;
	if ((idx = emit_add(b, PLAN_SEC_GLOBAL)) == PLAN_NONE)
		goto out;
	g = plan_builder_at(b, PLAN_SEC_GLOBAL, idx);
	g->maxconn = m->maxconn;
	g->nproxies = (uint32_t)m->nproxies;
	g->source = src;
	g->flags = m->global_flags;
	g->ulimit_n = m->ulimit_n;
	g->maxconnrate = m->maxconnrate;
	g->maxsessrate = m->maxsessrate;
	g->uid = m->uid;
	g->gid = m->gid;
	g->nbthread = m->nbthread;
	g->pidfile = pid;
	g->user = user;
	g->group = group;
	g->chroot = chroot;
	g->description = desc;
	g->unix_bind_flags = m->unix_flags;
	g->unix_bind_mode = m->unix_mode;
	g->unix_bind_uid = m->unix_uid;
	g->unix_bind_gid = m->unix_gid;
	g->first_log = first_log;
	g->nlogs = (uint32_t)m->nlogs;
	g->first_stats = first_stats;
	g->nstats = (uint32_t)m->nstats;
	g->tune_bufsize = m->tune_bufsize;
	g->tune_http_maxhdr = m->tune_http_maxhdr;
	g->tune_comp_maxlevel = m->tune_comp_maxlevel;
	g->tune_zlib_memlevel = m->tune_zlib_memlevel;
	g->tune_zlib_windowsize = m->tune_zlib_windowsize;
	if (m->tune_maxrewrite >= 0) {
		g->flags |= PLAN_GLB_F_MAXREWRITE;
		g->tune_maxrewrite = plan_tune_bufsize(g) / 2;
		if (m->tune_maxrewrite < g->tune_maxrewrite)
			g->tune_maxrewrite = (uint32_t)m->tune_maxrewrite;
	}
	if (emit_tls(b, m) < 0)
		goto out;
	for (size_t i = 0; i < m->nproxies; i++)
		if (emit_proxy(b, m, &m->proxies[i], (uint32_t)i) < 0)
			goto out;
	if (emit_patsets(b, m) < 0)
		goto out;
	for (size_t i = 0; i < m->npreconds; i++) {
		const struct model_precond *mp = &m->preconds[i];
		struct plan_precond *pc;

		if ((idx = emit_add(b, PLAN_SEC_PRECOND)) == PLAN_NONE)
			goto out;
		pc = plan_builder_at(b, PLAN_SEC_PRECOND, idx);
		pc->kind = mp->kind;
		pc->line = mp->line;
		pc->col = mp->col;
		pc->path = emit_str(b, mp->path);
		pc->source = emit_str(b, mp->source);
		pc->keyword = emit_str(b, mp->keyword);
	}
	ret = plan_builder_finish(b, buf, len);
out:
	plan_builder_free(b);
	return ret;
}
