/*
 * plan_live.c: map files changed at run time (see plan_live.h).
 */
#include "config.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "plan_live.h"
#include "sample-reg-t.h"

/* One entry of a changed map: its key as text (and lowercase, for -i
 * lookups), parsed for the kinds that need it, and its value. */
struct live_ent {
	char *key, *lkey, *val;     /* NUL-terminated */
	size_t klen, vlen;
	struct plan_pattern net;    /* key as a network (ok_net) */
	int64_t lo, hi;             /* key as a number or range (ok_int) */
	uint8_t ok_net, ok_int;
	uint8_t dead;               /* del: about to be freed */
	struct plan_regex_one *re[2]; /* key compiled as a regex: [0] as it
	                               is, [1] caseless; those r->rx_modes asks */
	uint64_t seq;               /* order of creation: first wins */
	const void *id;             /* shown by `show map`: the plan's
	                               pattern it came from, or itself */
};

struct live_ref {
	int acl;                    /* 1: an ACL -f file; 0: a map file */
	char *name;                 /* file as written (steps' s2, -f word) */
	const char *path;           /* resolved path from the preconds, "" */
	const char *source;         /* configuration file, "" */
	uint32_t line;
	uint32_t kinds;             /* bit per enum plan_match using it */
	uint32_t outs;              /* bit per SMP_OUT of the values */
	uint32_t rx_modes;          /* regex users: bit 0 case-sensitive,
	                               bit 1 caseless */
	uint32_t src;               /* step (map) or ACL line (acl) whose
	                               keys are shown */
	uint64_t digest;            /* keys and values compiled */
	pthread_rwlock_t lock;      /* readers: lookups; writer: the socket */
	int changed;                /* atomic; 1: entries below rule */
	struct live_ent **ent;      /* n in order */
	struct live_ent **sorted;   /* n by key bytes, then seq */
	size_t n, cap;
	uint64_t seq;
};

#define LIVE_ACL_FILES 8            /* -f files per ACL line (cfgc's bound) */

/* The -f files of one ACL line. */
struct live_acl {
	uint32_t n;
	uint32_t ref[LIVE_ACL_FILES];
};

struct plan_live {
	const struct plan *p;
	struct live_ref *refs;
	uint32_t nrefs;
	uint32_t *ref_of_step;      /* nsteps; UINT32_MAX: no map */
	struct live_acl *acl_refs;  /* nacls */
};

/* ---- keys and values -------------------------------------------------- */

static int live_parse_net(const char *k, struct plan_pattern *pt)
{
	char addr[64];
	const char *slash = strchr(k, '/');
	size_t al = slash ? (size_t)(slash - k) : strlen(k);
	unsigned long bits;
	char *end;
	int v6;

	if (al >= sizeof(addr))
		return -1;
	memcpy(addr, k, al);
	addr[al] = '\0';
	memset(pt, 0, sizeof(*pt));
	if (inet_pton(AF_INET, addr, pt->ip) == 1)
		v6 = 0;
	else if (inet_pton(AF_INET6, addr, pt->ip) == 1)
		v6 = 1;
	else
		return -1;
	bits = v6 ? 128 : 32;
	if (slash) {
		uint8_t mask[4];

		bits = strtoul(slash + 1, &end, 10);
		if (!v6 && inet_pton(AF_INET, slash + 1, mask) == 1) {
			uint32_t m = (uint32_t)mask[0] << 24 | (uint32_t)mask[1] << 16 |
			             (uint32_t)mask[2] << 8 | mask[3];

			bits = 0;
			while (bits < 32 && (m & (0x80000000u >> bits)))
				bits++;
			if (bits < 32 && (m << bits))
				return -1;      /* not contiguous */
		} else if (end == slash + 1 || *end || bits > (v6 ? 128u : 32u)) {
			return -1;
		}
	}
	pt->kind = v6 ? PLAN_PAT_IPV6 : PLAN_PAT_IPV4;
	pt->prefix = (uint8_t)bits;
	for (unsigned b = (unsigned)bits; b < (v6 ? 128u : 32u); b++)
		pt->ip[b / 8] &= (uint8_t)~(0x80u >> (b % 8));
	return 0;
}

static int live_parse_num(const char *s, size_t len, int64_t *v)
{
	char buf[32], *end;

	if (!len || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	*v = strtoll(buf, &end, 10);
	return *end ? -1 : 0;
}

/* "N", "A:B", ":B", "A:" as HAProxy's integer patterns. */
static int live_parse_int(const char *k, int64_t *lo, int64_t *hi)
{
	const char *colon = strchr(k, ':');
	size_t kl = strlen(k);

	if (!colon)
		return live_parse_num(k, kl, lo) < 0 ? -1 : (*hi = *lo, 0);
	*lo = INT64_MIN;
	*hi = INT64_MAX;
	if (colon > k && live_parse_num(k, (size_t)(colon - k), lo) < 0)
		return -1;
	if (colon[1] && live_parse_num(colon + 1, strlen(colon + 1), hi) < 0)
		return -1;
	return colon == k && !colon[1] ? -1 : (*lo <= *hi ? 0 : -1);
}

/* 0 when value val fits every output type of r's steps, else -1 with
 * the complaint in err. */
static int live_check_value(const struct live_ref *r, const char *val,
                            char *err, size_t errlen)
{
	uint8_t ip[16];
	int64_t v;

	if ((r->outs & (1u << SMP_OUT_INT)) &&
	    live_parse_num(val, strlen(val), &v) < 0) {
		snprintf(err, errlen, "unable to parse '%s'.\n", val);
		return -1;
	}
	if ((r->outs & (1u << SMP_OUT_IP)) && inet_pton(AF_INET, val, ip) != 1 &&
	    inet_pton(AF_INET6, val, ip) != 1) {
		snprintf(err, errlen, "unable to parse '%s'.\n", val);
		return -1;
	}
	return 0;
}

/* Compile key e as the regexes r's users need; 0, or -1 with the
 * complaint in err. */
static int live_ent_regex(const struct live_ref *r, struct live_ent *e,
                          char *err, size_t errlen)
{
	for (int m = 0; m < 2; m++) {
		char why[160];
		size_t off = 0;

		if (!(r->rx_modes & (1u << m)))
			continue;
		e->re[m] = plan_regex_one_new_case(e->key, e->klen, m, &off, why,
		                                   sizeof(why));
		if (!e->re[m]) {
			snprintf(err, errlen, "regex '%s' is invalid (error=%s, "
			         "erroffset=%zu).\n", e->key, why, off);
			return -1;
		}
	}
	return 0;
}

/* A new entry for ref r, or NULL with HAProxy's complaint in err. */
static struct live_ent *live_ent_new(struct live_ref *r, const char *key,
                                     size_t klen, const char *val,
                                     size_t vlen, char *err, size_t errlen)
{
	struct live_ent *e = calloc(1, sizeof(*e));

	if (!e || !(e->key = strndup(key, klen)) ||
	    !(e->lkey = strndup(key, klen)) || !(e->val = strndup(val, vlen))) {
		snprintf(err, errlen, "Out of memory error.\n");
		goto fail;
	}
	e->klen = klen;
	e->vlen = vlen;
	for (size_t i = 0; i < klen; i++)
		if (e->lkey[i] >= 'A' && e->lkey[i] <= 'Z')
			e->lkey[i] = (char)(e->lkey[i] + ('a' - 'A'));
	e->ok_net = live_parse_net(e->key, &e->net) == 0;
	e->ok_int = live_parse_int(e->key, &e->lo, &e->hi) == 0;
	if ((r->kinds & (1u << PLAN_MATCH_IP)) && !e->ok_net) {
		snprintf(err, errlen, "'%s' is not a valid IPv4 or IPv6 address.\n",
		         e->key);
		goto fail;
	}
	if ((r->kinds & (1u << PLAN_MATCH_INT)) && !e->ok_int) {
		snprintf(err, errlen, "'%s' is not a number.\n", e->key);
		goto fail;
	}
	if (live_check_value(r, e->val, err, errlen) < 0 ||
	    live_ent_regex(r, e, err, errlen) < 0)
		goto fail;
	e->id = e;
	return e;
fail:
	if (e) {
		plan_regex_one_free(e->re[0]);
		plan_regex_one_free(e->re[1]);
		free(e->key);
		free(e->lkey);
		free(e->val);
		free(e);
	}
	return NULL;
}

static void live_ent_free(struct live_ent *e)
{
	plan_regex_one_free(e->re[0]);
	plan_regex_one_free(e->re[1]);
	free(e->key);
	free(e->lkey);
	free(e->val);
	free(e);
}

/* ---- references ------------------------------------------------------- */

/* Key text of plan pattern pt into buf. */
static size_t live_pat_text(const struct plan *p, const struct plan_pattern *pt,
                            char *buf, size_t len, const char **out)
{
	char a[INET6_ADDRSTRLEN];
	int n;

	switch (pt->kind) {
	case PLAN_PAT_STR:
	case PLAN_PAT_REG:
		*out = plan_str_get(p, pt->str);
		return pt->str.len;
	case PLAN_PAT_INT:
		n = pt->lo == pt->hi ?
		    snprintf(buf, len, "%" PRId64, pt->lo) :
		    snprintf(buf, len, "%" PRId64 ":%" PRId64, pt->lo, pt->hi);
		break;
	default:
		inet_ntop(pt->kind == PLAN_PAT_IPV4 ? AF_INET : AF_INET6, pt->ip,
		          a, sizeof(a));
		n = pt->prefix == (pt->kind == PLAN_PAT_IPV4 ? 32 : 128) ?
		    snprintf(buf, len, "%s", a) :
		    snprintf(buf, len, "%s/%u", a, pt->prefix);
	}
	*out = buf;
	return n < 0 ? 0 : (size_t)n;
}

static struct plan_str live_value(const struct plan *p,
                                  const struct plan_conv_step *st, uint32_t k)
{
	struct plan_str vs;

	memcpy(&vs, p->blob + st->values.off + 8u * (uint64_t)k, sizeof(vs));
	return vs;
}

/* The -f file name of pattern pt, or NULL. */
static const char *live_pat_file(const struct plan *p,
                                 const struct plan_pattern *pt)
{
	return pt->file_off ? p->blob + pt->file_off : NULL;
}

/* The keys and values of the plan's copy of r in order, from position
 * *pos (a pattern index of its step or ACL line) on, at most max given;
 * *pos moves past them. 1 when none is left. */
static int live_plan_walk_some(const struct plan *p, const struct live_ref *r,
                               size_t *pos, size_t max, plan_live_fn fn,
                               void *ctx)
{
	const struct plan_conv_step *st = &p->steps[r->src];
	const struct plan_acl *a = &p->acls[r->src];
	uint32_t first = r->acl ? a->first_pattern : st->first_pattern;
	uint32_t n = r->acl ? a->npatterns : st->npatterns;
	size_t given = 0;

	for (; *pos < n && given < max; (*pos)++) {
		const struct plan_pattern *pt = &p->patterns[first + *pos];
		const char *file = live_pat_file(p, pt);
		struct plan_str vs = { 0, 0 };
		char buf[96];
		const char *key;
		size_t kl;

		if (r->acl && (!file || strcmp(file, r->name)))
			continue;
		if (!r->acl)
			vs = live_value(p, st, (uint32_t)*pos);
		kl = live_pat_text(p, pt, buf, sizeof(buf), &key);
		fn(ctx, pt, key, kl, plan_str_get(p, vs), vs.len);
		given++;
	}
	return *pos >= n;
}

/* Each key and value of the plan's copy of r, in order. */
static void live_plan_walk(const struct plan *p, const struct live_ref *r,
                           plan_live_fn fn, void *ctx)
{
	size_t pos = 0;

	(void)live_plan_walk_some(p, r, &pos, SIZE_MAX, fn, ctx);
}

static void live_digest_fn(void *ctx, const void *id, const char *key,
                           size_t klen, const char *val, size_t vlen)
{
	uint64_t *h = ctx;

	(void)id;
	for (size_t i = 0; i <= klen + vlen; i++) {
		unsigned char c = i < klen ? (unsigned char)key[i] :
		                  i == klen ? 0 : (unsigned char)val[i - klen - 1];

		*h = (*h ^ c) * 0x100000001b3ull;
	}
	*h = (*h ^ 0xff) * 0x100000001b3ull;
}

/* Preference of a step as the one whose keys are shown: the file's text
 * in its order first. */
static int live_src_rank(uint32_t match)
{
	return match == PLAN_MATCH_IP || match == PLAN_MATCH_INT ? 0 :
	       match == PLAN_MATCH_STR ? 1 : 2;
}

/* Where the map of step i is named: the ACL line whose chain holds it,
 * in the first configuration file unless a precondition (--hermetic
 * plans) names the file holding it and the map's resolved path. */
static void live_locate(const struct plan *p, uint32_t i, struct live_ref *r)
{
	for (uint32_t a = 0; a < p->nacls && !r->line; a++) {
		const struct plan_acl *acl = &p->acls[a];

		if (!acl->conv)
			continue;
		for (uint32_t s = acl->conv - 1; s < p->nsteps; s++) {
			if (s == i)
				r->line = acl->line;
			if (p->steps[s].flags & PLAN_CS_F_LAST)
				break;
		}
	}
	for (uint32_t k = 0; k < p->npreconds; k++) {
		const struct plan_precond *pc = &p->preconds[k];

		if (pc->kind != PLAN_PRE_PATTERNS || pc->line != r->line ||
		    strcmp(plan_str_get(p, pc->keyword), "map"))
			continue;
		r->source = plan_str_get(p, pc->source);
		r->path = plan_str_get(p, pc->path);
		break;
	}
}

/* The reference of file `name` (acl or map), made when new with source
 * `src`; UINT32_MAX when memory runs out. */
static uint32_t live_ref_get(struct plan_live *lv, const char *name, int acl,
                             uint32_t src)
{
	struct live_ref *nr;
	uint32_t j;

	for (j = 0; j < lv->nrefs; j++)
		if (lv->refs[j].acl == acl && !strcmp(lv->refs[j].name, name))
			return j;
	if (!(nr = realloc(lv->refs, (lv->nrefs + 1) * sizeof(*nr))))
		return UINT32_MAX;
	lv->refs = nr;
	memset(&nr[j], 0, sizeof(nr[j]));
	if (!(nr[j].name = strdup(name)))
		return UINT32_MAX;
	nr[j].acl = acl;
	nr[j].path = "";
	nr[j].source = plan_str_get(lv->p, lv->p->global->source);
	nr[j].src = src;
	pthread_rwlock_init(&nr[j].lock, NULL);
	lv->nrefs++;
	return j;
}

/* The -f files of ACL line a as references. */
static int live_acl_refs(struct plan_live *lv, uint32_t a)
{
	const struct plan *p = lv->p;
	const struct plan_acl *acl = &p->acls[a];
	struct live_acl *la = &lv->acl_refs[a];

	for (uint32_t k = 0; k < acl->npatterns; k++) {
		const char *file = live_pat_file(p, &p->patterns[acl->first_pattern + k]);
		uint32_t j, i;

		if (!file)
			continue;
		if ((j = live_ref_get(lv, file, 1, a)) == UINT32_MAX)
			return -1;
		for (i = 0; i < la->n && la->ref[i] != j; i++)
			;
		if (i == la->n && la->n < LIVE_ACL_FILES) {
			la->ref[la->n++] = j;
			lv->refs[j].kinds |= 1u << acl->match;
			if (acl->match == PLAN_MATCH_REG)
				lv->refs[j].rx_modes |= (acl->flags & PLAN_ACL_F_ICASE) ?
				                        2u : 1u;
			if (!lv->refs[j].line)
				lv->refs[j].line = acl->line;
		}
	}
	return 0;
}

struct plan_live *plan_live_build(const struct plan *p)
{
	struct plan_live *lv = calloc(1, sizeof(*lv));

	if (!lv)
		return NULL;
	lv->p = p;
	if (p->nsteps && !(lv->ref_of_step = malloc(p->nsteps * sizeof(uint32_t))))
		goto oom;
	if (p->nacls && !(lv->acl_refs = calloc(p->nacls, sizeof(*lv->acl_refs))))
		goto oom;
	for (uint32_t a = 0; a < p->nacls; a++)
		if (live_acl_refs(lv, a) < 0)
			goto oom;
	for (uint32_t i = 0; i < p->nsteps; i++) {
		const struct plan_conv_step *st = &p->steps[i];
		const char *name = plan_str_get(p, st->s2);
		uint32_t j;

		lv->ref_of_step[i] = UINT32_MAX;
		if (st->conv != PLAN_CONV_MAP)
			continue;
		if ((j = live_ref_get(lv, name, 0, i)) == UINT32_MAX)
			goto oom;
		if (j == lv->nrefs - 1 && !lv->refs[j].line)
			live_locate(p, i, &lv->refs[j]);
		lv->ref_of_step[i] = j;
		lv->refs[j].kinds |= 1u << st->match;
		lv->refs[j].outs |= 1u << st->out;
		if (st->match == PLAN_MATCH_REG)
			lv->refs[j].rx_modes |= (st->flags & PLAN_CS_F_ICASE) ? 2u : 1u;
		if (live_src_rank(st->match) >
		    live_src_rank(p->steps[lv->refs[j].src].match))
			lv->refs[j].src = i;
	}
	for (uint32_t j = 0; j < lv->nrefs; j++) {
		lv->refs[j].digest = 0xcbf29ce484222325ull;
		live_plan_walk(p, &lv->refs[j], live_digest_fn, &lv->refs[j].digest);
	}
	return lv;
oom:
	plan_live_free(lv);
	return NULL;
}

static void live_drop_entries(struct live_ref *r)
{
	for (size_t k = 0; k < r->n; k++)
		live_ent_free(r->ent[k]);
	r->n = 0;
}

void plan_live_free(struct plan_live *lv)
{
	if (!lv)
		return;
	for (uint32_t j = 0; j < lv->nrefs; j++) {
		struct live_ref *r = &lv->refs[j];

		live_drop_entries(r);
		free(r->ent);
		free(r->sorted);
		free(r->name);
		pthread_rwlock_destroy(&r->lock);
	}
	free(lv->refs);
	free(lv->ref_of_step);
	free(lv->acl_refs);
	free(lv);
}

static int live_ent_cmp(const void *a, const void *b)
{
	const struct live_ent *x = *(struct live_ent *const *)a;
	const struct live_ent *y = *(struct live_ent *const *)b;
	int c = plan_str_cmp(x->key, x->klen, y->key, y->klen, 0);

	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Room for one more entry in r's arrays; -1 when memory runs out. */
static int live_reserve(struct live_ref *r)
{
	struct live_ent **e, **s;
	size_t cap;

	if (r->n < r->cap)
		return 0;
	cap = r->cap ? r->cap * 2 : 64;
	if (!(e = realloc(r->ent, cap * sizeof(*e))))
		return -1;
	r->ent = e;
	if (!(s = realloc(r->sorted, cap * sizeof(*s))))
		return -1;
	r->sorted = s;
	r->cap = cap;
	return 0;
}

/* Rebuild the sorted index (write lock held). */
static void live_index(struct live_ref *r)
{
	if (!r->n)
		return;         /* an empty file: nothing (maybe no array) */
	memcpy(r->sorted, r->ent, r->n * sizeof(*r->sorted));
	qsort(r->sorted, r->n, sizeof(*r->sorted), live_ent_cmp);
}

struct live_copy {
	struct live_ref *r;
	int failed;
};

static void live_copy_fn(void *ctx, const void *id, const char *key,
                         size_t klen, const char *val, size_t vlen)
{
	struct live_copy *c = ctx;
	struct live_ent *e;
	char err[160];

	if (c->failed || live_reserve(c->r) < 0 ||
	    !(e = live_ent_new(c->r, key, klen, val, vlen, err, sizeof(err)))) {
		c->failed = 1;
		return;
	}
	e->seq = c->r->seq++;
	e->id = id;
	c->r->ent[c->r->n++] = e;
}

/*
 * Make r changeable: its entries copied from the plan, once (write lock
 * held; readers still read the plan until `changed` is published).
 */
static int live_materialize(const struct plan *p, struct live_ref *r)
{
	struct live_copy c = { r, 0 };

	if (r->changed)
		return 0;
	live_plan_walk(p, r, live_copy_fn, &c);
	if (c.failed) {
		live_drop_entries(r);
		return -1;
	}
	live_index(r);
	__atomic_store_n(&r->changed, 1, __ATOMIC_RELEASE);
	return 0;
}

uint32_t plan_live_carry(struct plan_live *nw, const struct plan_live *old)
{
	uint32_t carried = 0;

	for (uint32_t j = 0; old && j < nw->nrefs; j++) {
		struct live_ref *r = &nw->refs[j];
		int o = plan_live_find(old, r->name, r->acl);
		struct live_ref *orf;
		int ok = 1;

		if (o < 0)
			continue;
		orf = &old->refs[o];
		if (!__atomic_load_n(&orf->changed, __ATOMIC_ACQUIRE) ||
		    orf->digest != r->digest)
			continue;
		pthread_rwlock_rdlock(&orf->lock);
		for (size_t k = 0; k < orf->n && ok; k++) {
			const struct live_ent *oe = orf->ent[k];
			struct live_ent *e;
			char err[160];

			if (live_reserve(r) < 0 ||
			    !(e = live_ent_new(r, oe->key, oe->klen, oe->val, oe->vlen,
			                       err, sizeof(err)))) {
				ok = 0;
				break;
			}
			e->seq = r->seq++;
			r->ent[r->n++] = e;
		}
		pthread_rwlock_unlock(&orf->lock);
		if (!ok) {
			live_drop_entries(r);   /* the plan's entries, then */
			continue;
		}
		live_index(r);
		r->changed = 1;                 /* not published yet */
		carried++;
	}
	return carried;
}

uint32_t plan_live_count(const struct plan_live *lv)
{
	return lv ? lv->nrefs : 0;
}

static void live_count_fn(void *ctx, const void *id, const char *key,
                          size_t klen, const char *val, size_t vlen)
{
	(void)id;
	(void)key;
	(void)klen;
	(void)val;
	(void)vlen;
	(*(size_t *)ctx)++;
}

static size_t live_plan_count(const struct plan *p, const struct live_ref *r)
{
	size_t n = 0;

	live_plan_walk(p, r, live_count_fn, &n);
	return n;
}

void plan_live_info(const struct plan_live *lv, uint32_t ref,
                    struct plan_live_info *out)
{
	struct live_ref *r = &lv->refs[ref];

	out->id = ref;
	out->name = r->name;
	out->source = r->source;
	out->line = r->line;
	out->changed = __atomic_load_n(&r->changed, __ATOMIC_ACQUIRE);
	out->acl = r->acl;
	if (out->changed || r->acl)
		out->entries = out->changed ? r->n : live_plan_count(lv->p, r);
	else
		out->entries = lv->p->steps[r->src].npatterns;
	out->digest = r->digest;
}

int plan_live_find(const struct plan_live *lv, const char *word, int acl)
{
	if (!lv || !word)
		return -1;
	if (word[0] == '#') {
		char *end;
		unsigned long id = strtoul(word + 1, &end, 10);

		return end == word + 1 || *end || id >= lv->nrefs ||
		       lv->refs[id].acl != acl ? -1 : (int)id;
	}
	for (uint32_t j = 0; j < lv->nrefs; j++)
		if (lv->refs[j].acl == acl &&
		    (!strcmp(lv->refs[j].name, word) ||
		     (lv->refs[j].path[0] && !strcmp(lv->refs[j].path, word))))
			return (int)j;
	return -1;
}

int plan_live_walk_some(const struct plan_live *lv, uint32_t ref,
                        size_t *pos, size_t max, plan_live_fn fn, void *ctx)
{
	struct live_ref *r = &lv->refs[ref];
	size_t given = 0;
	int done;

	if (!__atomic_load_n(&r->changed, __ATOMIC_ACQUIRE))
		return live_plan_walk_some(lv->p, r, pos, max, fn, ctx);
	pthread_rwlock_rdlock(&r->lock);
	for (; *pos < r->n && given < max; (*pos)++, given++)
		fn(ctx, r->ent[*pos]->id, r->ent[*pos]->key, r->ent[*pos]->klen,
		   r->ent[*pos]->val, r->ent[*pos]->vlen);
	done = *pos >= r->n;
	pthread_rwlock_unlock(&r->lock);
	return done;
}

void plan_live_walk(const struct plan_live *lv, uint32_t ref,
                    plan_live_fn fn, void *ctx)
{
	size_t pos = 0;

	(void)plan_live_walk_some(lv, ref, &pos, SIZE_MAX, fn, ctx);
}

/* What a "#ID" or key word names: an identifier (id != NULL) or a key. */
struct live_name {
	const void *id;
	const char *key;
	size_t klen;
};

static void live_name_of(const char *word, struct live_name *nm)
{
	char *end;
	unsigned long long v;

	nm->id = NULL;
	nm->key = word;
	nm->klen = strlen(word);
	if (word[0] != '#' || word[1] != '0' || word[2] != 'x')
		return;
	v = strtoull(word + 3, &end, 16);
	if (end != word + 3 && !*end && v)
		nm->id = (const void *)(uintptr_t)v;
}

/* 1 when entry e is what nm names: by identifier, or by key (a word
 * starting with '#' that is no identifier of this file is a key). */
static int live_names(const struct live_ent *e, const struct live_name *nm)
{
	if (nm->id && e->id == nm->id)
		return 1;
	return nm->klen == e->klen && !memcmp(e->key, nm->key, e->klen);
}

/* Where a new entry e goes in r's sorted index: after every key below or
 * equal to its own (entries are added with increasing seq). */
static size_t live_sorted_slot(const struct live_ref *r,
                               const struct live_ent *e)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (live_ent_cmp(&r->sorted[mid], &e) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int plan_live_add(struct plan_live *lv, uint32_t ref, const char *key,
                  const char *val, char *err, size_t errlen)
{
	struct live_ref *r = &lv->refs[ref];
	struct live_ent *e;
	int rc = -1;

	if (!(e = live_ent_new(r, key, strlen(key), val, strlen(val), err,
	                       errlen)))
		return -1;
	pthread_rwlock_wrlock(&r->lock);
	if (live_materialize(lv->p, r) == 0 && live_reserve(r) == 0) {
		size_t at;

		e->seq = r->seq++;
		at = live_sorted_slot(r, e);
		memmove(&r->sorted[at + 1], &r->sorted[at],
		        (r->n - at) * sizeof(*r->sorted));
		r->sorted[at] = e;
		r->ent[r->n++] = e;
		rc = 0;
	}
	pthread_rwlock_unlock(&r->lock);
	if (rc < 0) {
		snprintf(err, errlen, "Out of memory error.\n");
		live_ent_free(e);
	}
	return rc;
}

int plan_live_del(struct plan_live *lv, uint32_t ref, const char *key,
                  char *err, size_t errlen)
{
	struct live_ref *r = &lv->refs[ref];
	struct live_name nm;
	size_t o = 0, before;

	pthread_rwlock_wrlock(&r->lock);
	if (live_materialize(lv->p, r) < 0) {
		pthread_rwlock_unlock(&r->lock);
		snprintf(err, errlen, "Out of memory error.\n");
		return -1;
	}
	before = r->n;
	live_name_of(key, &nm);
	for (size_t k = 0; k < r->n; k++)
		r->ent[k]->dead = (uint8_t)live_names(r->ent[k], &nm);
	for (size_t k = 0; k < r->n; k++)
		if (!r->sorted[k]->dead)
			r->sorted[o++] = r->sorted[k];
	o = 0;
	for (size_t k = 0; k < r->n; k++) {
		if (r->ent[k]->dead)
			live_ent_free(r->ent[k]);
		else
			r->ent[o++] = r->ent[k];
	}
	r->n = o;
	pthread_rwlock_unlock(&r->lock);
	return (int)(before - o);
}

int plan_live_set(struct plan_live *lv, uint32_t ref, const char *key,
                  const char *val, char *err, size_t errlen)
{
	struct live_ref *r = &lv->refs[ref];
	int hits = 0;
	struct live_name nm;
	char *nv;

	err[0] = '\0';
	if (live_check_value(r, val, err, errlen) < 0)
		return -1;
	pthread_rwlock_wrlock(&r->lock);
	if (live_materialize(lv->p, r) < 0) {
		pthread_rwlock_unlock(&r->lock);
		snprintf(err, errlen, "Out of memory error.\n");
		return -1;
	}
	live_name_of(key, &nm);
	for (size_t k = 0; k < r->n; k++) {
		if (!live_names(r->ent[k], &nm))
			continue;
		if (!(nv = strdup(val))) {
			snprintf(err, errlen, "Out of memory error.\n");
			break;
		}
		free(r->ent[k]->val);
		r->ent[k]->val = nv;
		r->ent[k]->vlen = strlen(nv);
		hits++;
	}
	pthread_rwlock_unlock(&r->lock);
	if (!hits && !err[0])
		snprintf(err, errlen, "entry not found.\n");
	return hits ? hits : -1;
}

int plan_live_clear(struct plan_live *lv, uint32_t ref, char *err,
                    size_t errlen)
{
	struct live_ref *r = &lv->refs[ref];

	(void)err;
	(void)errlen;
	pthread_rwlock_wrlock(&r->lock);
	live_drop_entries(r);
	__atomic_store_n(&r->changed, 1, __ATOMIC_RELEASE);
	pthread_rwlock_unlock(&r->lock);
	return 0;
}

/* ---- lookups ---------------------------------------------------------- */

/* 1 when the key of e matches smp for step st. *bits: the prefix length
 * of a network key; *len: the key's length. */
static int live_ent_match(const struct live_ent *e,
                          const struct plan_conv_step *st,
                          const struct plan_sample *smp)
{
	int icase = (st->flags & PLAN_CS_F_ICASE) != 0;
	struct plan_pattern in;

	switch (st->match) {
	case PLAN_MATCH_IP:
		return e->ok_net && plan_pattern_match(&e->net, smp);
	case PLAN_MATCH_REG:
		return plan_regex_one_match(e->re[icase], smp->str, smp->len);
	case PLAN_MATCH_INT:
		memset(&in, 0, sizeof(in));
		in.kind = PLAN_PAT_INT;
		in.lo = e->lo;
		in.hi = e->hi;
		return e->ok_int && plan_pattern_match(&in, smp);
	default:
		return plan_text_match(st->match, icase, icase ? e->lkey : e->key,
		                       e->klen, smp->str, smp->len);
	}
}

/* The first entry of changed r whose key is s[0..len) exactly, by its
 * sorted index (read lock held), or NULL. */
static const struct live_ent *live_exact(const struct live_ref *r,
                                         const char *s, size_t len)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {                  /* the first of equal keys */
		size_t mid = lo + (hi - lo) / 2;
		const struct live_ent *e = r->sorted[mid];

		if (plan_str_cmp(e->key, e->klen, s, len, 0) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < r->n && r->sorted[lo]->klen == len &&
	    !memcmp(r->sorted[lo]->key, s, len))
		return r->sorted[lo];
	return NULL;
}

/* The entry of changed r that step st finds for smp (read lock held). */
static const struct live_ent *live_find(const struct live_ref *r,
                                        const struct plan_conv_step *st,
                                        const struct plan_sample *smp)
{
	const struct live_ent *best = NULL;

	if (st->match == PLAN_MATCH_STR && !(st->flags & PLAN_CS_F_ICASE))
		return live_exact(r, smp->str, smp->len);
	for (size_t k = 0; k < r->n; k++) {
		const struct live_ent *e = r->ent[k];

		if (!live_ent_match(e, st, smp))
			continue;
		if (st->match == PLAN_MATCH_IP) {
			if (!best || e->net.prefix > best->net.prefix)
				best = e;
		} else if (st->match == PLAN_MATCH_BEG) {
			if (!best || e->klen > best->klen)
				best = e;
		} else {
			return e;
		}
	}
	return best;
}

long plan_live_map_find(const struct plan_live *lv, uint32_t step,
                        const struct plan_conv_step *st,
                        const struct plan_sample *smp, char *buf,
                        size_t buflen)
{
	struct live_ref *r;
	const struct live_ent *e;
	long len = -1;

	if (!lv || step >= lv->p->nsteps || lv->ref_of_step[step] == UINT32_MAX)
		return -2;
	r = &lv->refs[lv->ref_of_step[step]];
	if (!__atomic_load_n(&r->changed, __ATOMIC_ACQUIRE))
		return -2;
	pthread_rwlock_rdlock(&r->lock);
	if ((e = live_find(r, st, smp)) && e->vlen <= buflen) {
		memcpy(buf, e->val, e->vlen);
		len = (long)e->vlen;
	}
	pthread_rwlock_unlock(&r->lock);
	return len;
}

/* 1 when entry e of an ACL file matches smp by ACL line acl's method. */
static int live_acl_ent_match(const struct live_ent *e,
                              const struct plan_acl *acl,
                              const struct plan_sample *smp)
{
	struct plan_pattern in;
	struct plan_sample len;

	switch (acl->match) {
	case PLAN_MATCH_IP:
		return e->ok_net && plan_pattern_match(&e->net, smp);
	case PLAN_MATCH_REG:
		return smp->type == PLAN_SMP_STR &&
		       plan_regex_one_match(e->re[(acl->flags & PLAN_ACL_F_ICASE) != 0],
		                            smp->str, smp->len);
	case PLAN_MATCH_LEN:
		if (smp->type != PLAN_SMP_STR)
			return 0;
		memset(&len, 0, sizeof(len));
		len.type = PLAN_SMP_INT;
		len.i = (int64_t)smp->len;
		smp = &len;
		/* fall through */
	case PLAN_MATCH_INT:
		memset(&in, 0, sizeof(in));
		in.kind = PLAN_PAT_INT;
		in.lo = e->lo;
		in.hi = e->hi;
		return e->ok_int && plan_pattern_match(&in, smp);
	default:
		return smp->type == PLAN_SMP_STR &&
		       plan_text_match(acl->match, (acl->flags & PLAN_ACL_F_ICASE) != 0,
		                       e->key, e->klen, smp->str, smp->len);
	}
}

/* 1 when plan pattern pt of a line with files la comes from one of them
 * that changed. */
static int live_pat_changed(const struct plan_live *lv,
                            const struct live_acl *la,
                            const struct plan_pattern *pt)
{
	const char *file = live_pat_file(lv->p, pt);

	for (uint32_t i = 0; file && i < la->n; i++) {
		const struct live_ref *r = &lv->refs[la->ref[i]];

		if (!strcmp(r->name, file) &&
		    __atomic_load_n(&r->changed, __ATOMIC_ACQUIRE))
			return 1;
	}
	return 0;
}

/* PATTERN index of the sorted exact string of `acl` equal to smp, or -1. */
static int64_t live_sorted_hit(const struct plan *p, const struct plan_acl *acl,
                               const struct plan_sample *smp)
{
	uint32_t lo = 0, hi = acl->npatterns;
	int icase = (acl->flags & PLAN_ACL_F_ICASE) != 0;

	if (smp->type != PLAN_SMP_STR)
		return -1;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct plan_pattern *pt = &p->patterns[acl->first_pattern + mid];
		int c = plan_str_cmp(smp->str, smp->len, plan_str_get(p, pt->str),
		                     pt->str.len, icase);

		if (!c)
			return (int64_t)acl->first_pattern + mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

int plan_live_acl_match(const struct plan_live *lv,
                        const struct plan_regex *rx,
                        const struct plan_acl *acl,
                        const struct plan_sample *smp)
{
	const struct plan *p;
	const struct live_acl *la;
	uintptr_t at = (uintptr_t)acl, base;
	int any = 0;

	if (!lv || smp->type == PLAN_SMP_NONE)
		return -1;
	p = lv->p;
	base = (uintptr_t)p->acls;
	if (at < base || at >= base + (uintptr_t)p->nacls * sizeof(*acl))
		return -1;              /* a line of its own (map lookups) */
	la = &lv->acl_refs[(at - base) / sizeof(*acl)];
	for (uint32_t i = 0; i < la->n; i++)
		any |= __atomic_load_n(&lv->refs[la->ref[i]].changed, __ATOMIC_ACQUIRE);
	if (!any)
		return -1;
	if (acl->flags & PLAN_ACL_F_SORTED) {
		/* exact strings: one binary search in the plan, one per
		 * changed file (-i: its entries in order) */
		int64_t k = live_sorted_hit(p, acl, smp);

		if (k >= 0 && !live_pat_changed(lv, la, &p->patterns[k]))
			return 1;
	} else {
		/* the plan's patterns but those of changed files, one at a time */
		for (uint32_t k = 0; k < acl->npatterns; k++) {
			const struct plan_pattern *pt = &p->patterns[acl->first_pattern + k];
			struct plan_acl one = *acl;

			if (live_pat_changed(lv, la, pt))
				continue;
			one.first_pattern = acl->first_pattern + k;
			one.npatterns = 1;
			if (plan_acl_match(p, rx, &one, smp))
				return 1;
		}
	}
	for (uint32_t i = 0; i < la->n; i++) {
		struct live_ref *r = &lv->refs[la->ref[i]];
		int hit = 0;

		if (!__atomic_load_n(&r->changed, __ATOMIC_ACQUIRE))
			continue;
		pthread_rwlock_rdlock(&r->lock);
		if ((acl->flags & PLAN_ACL_F_SORTED) && !(acl->flags & PLAN_ACL_F_ICASE))
			hit = smp->type == PLAN_SMP_STR &&
			      live_exact(r, smp->str, smp->len) != NULL;
		else
			for (size_t k = 0; k < r->n && !hit; k++)
				hit = live_acl_ent_match(r->ent[k], acl, smp);
		pthread_rwlock_unlock(&r->lock);
		if (hit)
			return 1;
	}
	return 0;
}
