/*
 * stktable.c: stick tables at run time (see stktable-t.h for the layout).
 *
 * Entries are found by a hash of their key and listed from least to most
 * recently touched; touching (tracking, counting) moves an entry to the
 * list's tail and pushes its expiry date, so the list's head is the first
 * to expire and the first to evict when the table is full. Everything
 * happens under the table's mutex; the work done under it is bounded
 * (PURGE_MAX entries purged per insertion, EVICT_SCAN looked at to find
 * one to evict).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stktable.h"

#define STK_MAX_BUCKETS (1u << 20)
#define STK_PURGE_MAX   32u        /* expired entries freed per insertion */
#define STK_EVICT_SCAN  1024u      /* entries looked at to find an unused
                                      one when the table is full */
#define STK_SHOW_SCAN   4096u      /* hash buckets one stk_show_some()
                                      looks at, at most (lock hold) */

struct stk_entry {
	struct stk_entry *hnext;    /* hash chain */
	struct stk_entry *lprev, *lnext; /* touch order, oldest first */
	uint32_t hash;
	uint32_t ref;               /* counters tracking it now */
	uint32_t expire;            /* ms clock when it goes, if the table
	                               expires entries */
	uint32_t klen;              /* key bytes in use */
	uint64_t w[];               /* key words, then the data words */
};

struct stk_table {
	struct plan_stktable def;   /* the plan's record (a copy) */
	char *name;                 /* owned: the proxy's name */
	atomic_uint gens;           /* generations holding it */
	pthread_mutex_t lock;       /* guards everything below */
	struct stk_entry **buckets;
	uint32_t mask;              /* buckets - 1 */
	struct stk_entry lru;       /* list head: lnext oldest, lprev newest */
	uint32_t used;              /* entries */
	uint32_t kwords;            /* words of a key */
	uint32_t nwords;            /* words of an entry (key + data) */
	uint32_t off[PLAN_TD_MAX];  /* word of each stored data type */
};

struct stk_gen {
	uint32_t n;                 /* = plan ntables */
	struct stk_table *t[];      /* by TABLE index */
};

/* ---- counters ---------------------------------------------------------- */

uint32_t stk_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)((uint64_t)ts.tv_sec * 1000u +
	                  (uint64_t)ts.tv_nsec / 1000000u);
}

void stk_freq_add(struct stk_freq *f, uint32_t now, uint32_t period,
                  uint32_t n)
{
	uint32_t elapsed = now - f->tick;

	if (elapsed >= period) {
		/* a new period: the one just ended becomes the previous one,
		 * unless two or more went by without events */
		f->prev = elapsed < 2 * (uint64_t)period ? f->curr : 0;
		f->curr = 0;
		f->tick = elapsed < 2 * (uint64_t)period ? f->tick + period : now;
	}
	f->curr += n;
}

uint32_t stk_freq_read(const struct stk_freq *f, uint32_t now,
                       uint32_t period)
{
	uint32_t elapsed = now - f->tick, curr = f->curr, prev = f->prev;

	if (!period)
		return curr;
	if (elapsed >= period) {
		if (elapsed >= 2 * (uint64_t)period)
			return 0;
		prev = curr;
		curr = 0;
		elapsed -= period;
	}
	/* the previous period counts for the part of it still in the
	 * window that ends now */
	return curr + (uint32_t)(((uint64_t)prev * (period - elapsed)) / period);
}

/* ---- tables ------------------------------------------------------------ */

/* Words data type d takes in an entry of t. */
static uint32_t stk_words(const struct plan_stktable *t, uint32_t d)
{
	if (d == PLAN_TD_GPT)
		return t->ngpt;
	if (d == PLAN_TD_GPC)
		return t->ngpc;
	if (d == PLAN_TD_GPC_RATE)
		return 2 * t->ngpc;
	return plan_tbl_data_is_rate(d) ? 2 : 1;
}

static struct stk_table *stk_table_new(const struct plan *p, uint32_t i)
{
	const struct plan_stktable *d = &p->tables[i];
	struct stk_table *t = calloc(1, sizeof(*t));
	uint32_t nb = 16;

	if (!t)
		return NULL;
	t->def = *d;
	t->name = strdup(plan_str_get(p, p->proxies[d->proxy].name));
	while (nb < d->size && nb < STK_MAX_BUCKETS)
		nb <<= 1;
	t->buckets = calloc(nb, sizeof(*t->buckets));
	if (!t->name || !t->buckets) {
		free(t->name);
		free(t->buckets);
		free(t);
		return NULL;
	}
	t->mask = nb - 1;
	pthread_mutex_init(&t->lock, NULL);
	t->lru.lnext = t->lru.lprev = &t->lru;
	t->kwords = (d->key_len + 7) / 8;
	t->nwords = t->kwords;
	for (uint32_t k = 0; k < PLAN_TD_MAX; k++)
		if (d->store & (1u << k)) {
			t->off[k] = t->nwords;
			t->nwords += stk_words(d, k);
		}
	atomic_init(&t->gens, 1);
	return t;
}

static void stk_table_unref(struct stk_table *t)
{
	struct stk_entry *e, *n;

	if (!t || atomic_fetch_sub(&t->gens, 1) != 1)
		return;
	for (e = t->lru.lnext; e != &t->lru; e = n) {
		n = e->lnext;
		free(e);
	}
	pthread_mutex_destroy(&t->lock);
	free(t->buckets);
	free(t->name);
	free(t);
}

int stk_gen_init(struct runtime *gen, const struct runtime *old, char *err,
                 size_t errlen)
{
	const struct plan *p = gen->plan;
	struct stk_gen *g = calloc(1, sizeof(*g) + (p->ntables ? p->ntables : 1) *
	                           sizeof(g->t[0]));

	if (!g) {
		snprintf(err, errlen, "out of memory for the stick tables");
		return -1;
	}
	gen->stk = g;
	for (uint32_t i = 0; i < p->ntables; i++) {
		const char *name = plan_str_get(p, p->proxies[p->tables[i].proxy].name);
		struct stk_table *o = old && old->stk ?
		                      stk_table_find((struct runtime *)old, name) : NULL;

		/* the same definition: the entries stay */
		if (o && !memcmp(&o->def.type, &p->tables[i].type,
		                 sizeof(o->def) - sizeof(o->def.proxy) -
		                 sizeof(o->def.line) - sizeof(o->def.period_ms) -
		                 sizeof(o->def.reserved)) &&
		    !memcmp(o->def.period_ms, p->tables[i].period_ms,
		            sizeof(o->def.period_ms))) {
			atomic_fetch_add(&o->gens, 1);
			g->t[i] = o;
		} else if (!(g->t[i] = stk_table_new(p, i))) {
			snprintf(err, errlen, "out of memory for stick table '%s'",
			         name);
			return -1;
		}
		g->n = i + 1;
	}
	return 0;
}

void stk_gen_free(struct runtime *gen)
{
	struct stk_gen *g = gen->stk;

	if (!g)
		return;
	for (uint32_t i = 0; i < g->n; i++)
		stk_table_unref(g->t[i]);
	free(g);
	gen->stk = NULL;
}

struct stk_table *stk_table_find(struct runtime *gen, const char *name)
{
	struct stk_gen *g = gen->stk;

	for (uint32_t i = 0; g && i < g->n; i++)
		if (!strcmp(g->t[i]->name, name))
			return g->t[i];
	return NULL;
}

/* ---- entries (under the table's lock) ---------------------------------- */

static uint32_t stk_hash(const unsigned char *k, uint32_t len)
{
	uint32_t h = 2166136261u;

	for (uint32_t i = 0; i < len; i++)
		h = (h ^ k[i]) * 16777619u;
	return h;
}

static void stk_unlink(struct stk_table *t, struct stk_entry *e)
{
	struct stk_entry **pp = &t->buckets[e->hash & t->mask];

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	e->lprev->lnext = e->lnext;
	e->lnext->lprev = e->lprev;
	t->used--;
	free(e);
}

/* 1 when e has expired at now (and may go when nobody tracks it). */
static int stk_expired(const struct stk_table *t, const struct stk_entry *e,
                       uint32_t now)
{
	return t->def.expire_ms && (int32_t)(now - e->expire) >= 0;
}

/* Move e to the tail (most recent) and push its expiry. */
static void stk_touch(struct stk_table *t, struct stk_entry *e, uint32_t now)
{
	e->expire = now + t->def.expire_ms;
	e->lprev->lnext = e->lnext;
	e->lnext->lprev = e->lprev;
	e->lprev = t->lru.lprev;
	e->lnext = &t->lru;
	t->lru.lprev->lnext = e;
	t->lru.lprev = e;
}

static void stk_purge(struct stk_table *t, uint32_t now, uint32_t max)
{
	struct stk_entry *e = t->lru.lnext, *n;

	for (uint32_t k = 0; e != &t->lru && k < max; e = n, k++) {
		n = e->lnext;
		if (!stk_expired(t, e, now))
			return;   /* the list is in expiry order */
		if (!e->ref)
			stk_unlink(t, e);
	}
}

static struct stk_entry *stk_lookup(struct stk_table *t,
                                    const unsigned char *key, uint32_t klen,
                                    uint32_t now)
{
	uint32_t h = stk_hash(key, klen);
	struct stk_entry *e;

	for (e = t->buckets[h & t->mask]; e; e = e->hnext)
		if (e->hash == h && e->klen == klen && !memcmp(e->w, key, klen))
			break;
	if (e && !e->ref && stk_expired(t, e, now)) {
		stk_unlink(t, e);
		return NULL;
	}
	return e;
}

/* The entry of key, created (and touched) when absent; NULL when the
 * table is full and nothing may go (nopurge, or every entry tracked). */
static struct stk_entry *stk_get(struct stk_table *t, const unsigned char *key,
                                 uint32_t klen, uint32_t now)
{
	struct stk_entry *e = stk_lookup(t, key, klen, now);
	uint32_t h;

	if (e)
		return e;
	stk_purge(t, now, STK_PURGE_MAX);
	if (t->used >= t->def.size) {
		struct stk_entry *v = t->lru.lnext;
		uint32_t k = 0;

		if (t->def.flags & PLAN_TBL_F_NOPURGE)
			return NULL;
		while (v != &t->lru && v->ref && k++ < STK_EVICT_SCAN)
			v = v->lnext;
		if (v == &t->lru || v->ref)
			return NULL;
		stk_unlink(t, v);
	}
	if (!(e = calloc(1, sizeof(*e) + t->nwords * sizeof(uint64_t))))
		return NULL;
	h = stk_hash(key, klen);
	memcpy(e->w, key, klen);
	e->klen = klen;
	e->hash = h;
	e->hnext = t->buckets[h & t->mask];
	t->buckets[h & t->mask] = e;
	e->lprev = e->lnext = e;
	stk_touch(t, e, now);
	/* the list holds it now: stk_touch() unlinked the self loop */
	t->used++;
	return e;
}

static int stk_has(const struct stk_table *t, uint32_t d)
{
	return d < PLAN_TD_MAX && (t->def.store & (1u << d));
}

static uint64_t *stk_word(struct stk_table *t, struct stk_entry *e,
                          uint32_t d, uint32_t idx)
{
	return &e->w[t->off[d] + idx];
}

static struct stk_freq *stk_freq(struct stk_table *t, struct stk_entry *e,
                                 uint32_t d, uint32_t idx)
{
	return (struct stk_freq *)(void *)&e->w[t->off[d] + 2 * idx];
}

/* Count n events of counter cnt and its rate rate, when stored. */
static void stk_count(struct stk_table *t, struct stk_entry *e, uint32_t cnt,
                      uint32_t rate, uint32_t n, uint32_t now)
{
	if (stk_has(t, cnt))
		*stk_word(t, e, cnt, 0) += n;
	if (stk_has(t, rate))
		stk_freq_add(stk_freq(t, e, rate, 0), now, t->def.period_ms[rate], n);
}

/* Read data type d (array index idx) of e; 0 when not stored. */
static int stk_read(struct stk_table *t, struct stk_entry *e, uint32_t d,
                    uint32_t idx, uint32_t now, int64_t *v)
{
	if (!stk_has(t, d))
		return -1;
	if ((d == PLAN_TD_GPT && idx >= t->def.ngpt) ||
	    ((d == PLAN_TD_GPC || d == PLAN_TD_GPC_RATE) && idx >= t->def.ngpc))
		return -1;
	if (!e) {
		*v = 0;
		return 0;
	}
	if (plan_tbl_data_is_rate(d))
		*v = stk_freq_read(stk_freq(t, e, d, idx), now,
		                   t->def.period_ms[d]);
	else if (d == PLAN_TD_SERVER_ID)
		*v = (int64_t)*stk_word(t, e, d, idx);
	else
		*v = (int64_t)(uint32_t)*stk_word(t, e, d, idx);
	return 0;
}

/* The rate type that goes with gpc counter d. */
static uint32_t stk_gpc_rate(uint32_t d)
{
	return d == PLAN_TD_GPC0 ? PLAN_TD_GPC0_RATE :
	       d == PLAN_TD_GPC1 ? PLAN_TD_GPC1_RATE : PLAN_TD_GPC_RATE;
}

/* Add n to gpc d[idx] of e and to its rate; 0, or -1 when not stored. */
static int stk_gpc_add(struct stk_table *t, struct stk_entry *e, uint32_t d,
                       uint32_t idx, uint32_t n, uint32_t now)
{
	uint32_t r = stk_gpc_rate(d);
	int done = -1;

	if (d == PLAN_TD_GPC && idx >= t->def.ngpc)
		return -1;
	if (stk_has(t, d)) {
		uint64_t *w = stk_word(t, e, d, idx);

		*w = (uint32_t)(*w + n);
		done = 0;
	}
	if (stk_has(t, r)) {
		stk_freq_add(stk_freq(t, e, r, d == PLAN_TD_GPC ? idx : 0), now,
		             t->def.period_ms[r], n);
		done = 0;
	}
	return done;
}

/* ---- keys ---------------------------------------------------------------- */

static const unsigned char stk_v4mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
};

/* The key of sample s for table t into key (PLAN_TBL_MAX_KEY bytes); 0,
 * or -1 when the sample has no key of that type. */
static int stk_key(const struct stk_table *t, const struct plan_sample *s,
                   unsigned char *key, uint32_t *len)
{
	char txt[64];
	const char *str = NULL;
	size_t sl = 0;

	switch (t->def.type) {
	case PLAN_TBL_IP:
		*len = 4;
		if (s->type == PLAN_SMP_IPV4)
			memcpy(key, s->ip, 4);
		else if (s->type == PLAN_SMP_IPV6 &&
		         !memcmp(s->ip, stk_v4mapped, 12))
			memcpy(key, s->ip + 12, 4);
		else if (s->type == PLAN_SMP_STR && s->len < sizeof(txt)) {
			memcpy(txt, s->str, s->len);
			txt[s->len] = 0;
			return inet_pton(AF_INET, txt, key) == 1 ? 0 : -1;
		} else
			return -1;
		return 0;
	case PLAN_TBL_IPV6:
		*len = 16;
		if (s->type == PLAN_SMP_IPV6)
			memcpy(key, s->ip, 16);
		else if (s->type == PLAN_SMP_IPV4) {
			memcpy(key, stk_v4mapped, 12);
			memcpy(key + 12, s->ip, 4);
		} else if (s->type == PLAN_SMP_STR && s->len < sizeof(txt)) {
			memcpy(txt, s->str, s->len);
			txt[s->len] = 0;
			return inet_pton(AF_INET6, txt, key) == 1 ? 0 : -1;
		} else
			return -1;
		return 0;
	case PLAN_TBL_INTEGER: {
		int64_t v;

		if (s->type == PLAN_SMP_INT || s->type == PLAN_SMP_BOOL)
			v = s->i;
		else if (s->type == PLAN_SMP_STR && s->len && s->len < sizeof(txt)) {
			char *end;

			memcpy(txt, s->str, s->len);
			txt[s->len] = 0;
			v = strtoll(txt, &end, 10);
			if (*end)
				return -1;
		} else
			return -1;
		{
			int32_t i32 = (int32_t)v;

			memcpy(key, &i32, 4);
			*len = 4;
		}
		return 0;
	}
	default:
		break;
	}
	/* string and binary: the sample as text */
	if (s->type == PLAN_SMP_STR) {
		str = s->str;
		sl = s->len;
	} else if (s->type == PLAN_SMP_INT || s->type == PLAN_SMP_BOOL) {
		sl = (size_t)snprintf(txt, sizeof(txt), "%lld", (long long)s->i);
		str = txt;
	} else if (s->type == PLAN_SMP_IPV4 || s->type == PLAN_SMP_IPV6) {
		inet_ntop(s->type == PLAN_SMP_IPV4 ? AF_INET : AF_INET6, s->ip,
		          txt, sizeof(txt));
		str = txt;
		sl = strlen(txt);
	} else {
		return -1;
	}
	if (sl > t->def.key_len)
		sl = t->def.key_len;
	memcpy(key, str, sl);
	if (t->def.type == PLAN_TBL_BINARY) {
		memset(key + sl, 0, t->def.key_len - sl);
		sl = t->def.key_len;
	}
	*len = (uint32_t)sl;
	return 0;
}

int stk_parse_key(const struct stk_table *t, const char *text,
                  unsigned char *key, uint32_t *len)
{
	struct plan_sample s;

	memset(&s, 0, sizeof(s));
	if (t->def.type == PLAN_TBL_BINARY) {
		size_t n = strlen(text);

		if (n % 2 || n / 2 > t->def.key_len)
			return -1;
		for (size_t i = 0; i < n / 2; i++) {
			unsigned v;

			if (sscanf(text + 2 * i, "%2x", &v) != 1)
				return -1;
			key[i] = (unsigned char)v;
		}
		memset(key + n / 2, 0, t->def.key_len - n / 2);
		*len = t->def.key_len;
		return 0;
	}
	s.type = PLAN_SMP_STR;
	s.str = text;
	s.len = strlen(text);
	return stk_key(t, &s, key, len);
}

/* ---- streams ------------------------------------------------------------- */

static struct stk_table *stk_gen_table(struct runtime *gen, uint32_t i)
{
	return gen->stk && i < gen->stk->n ? gen->stk->t[i] : NULL;
}

void stk_run(struct runtime *gen, struct stk_ctrs *c, const struct plan_track *k,
             const struct plan_sample *keysmp, int req)
{
	struct stk_ctr *ctr = &c->c[k->sc];
	uint32_t now = stk_now_ms();
	unsigned char key[PLAN_TBL_MAX_KEY];
	struct stk_table *t;
	struct stk_entry *e;
	uint32_t klen;

	if (k->op == PLAN_TRK_TRACK) {
		if (ctr->t || !(t = stk_gen_table(gen, k->table)) ||
		    stk_key(t, keysmp, key, &klen) < 0)
			return;
		pthread_mutex_lock(&t->lock);
		if ((e = stk_get(t, key, klen, now))) {
			e->ref++;
			stk_count(t, e, PLAN_TD_CONN_CNT, PLAN_TD_CONN_RATE, 1, now);
			if (stk_has(t, PLAN_TD_CONN_CUR))
				(*stk_word(t, e, PLAN_TD_CONN_CUR, 0))++;
			if (!req)
				stk_count(t, e, PLAN_TD_SESS_CNT, PLAN_TD_SESS_RATE, 1,
				          now);
			else
				stk_count(t, e, PLAN_TD_HTTP_REQ_CNT,
				          PLAN_TD_HTTP_REQ_RATE, 1, now);
			stk_touch(t, e, now);
			ctr->t = t;
			ctr->e = e;
			ctr->req = (uint8_t)(req != 0);
		}
		pthread_mutex_unlock(&t->lock);
		return;
	}
	if (!(t = ctr->t))
		return;
	e = ctr->e;
	pthread_mutex_lock(&t->lock);
	if (k->op == PLAN_TRK_SET_GPT) {
		uint32_t idx = k->data == PLAN_TD_GPT ? k->idx : 0;

		if (stk_has(t, k->data) &&
		    (k->data != PLAN_TD_GPT || idx < t->def.ngpt))
			*stk_word(t, e, k->data, idx) = (uint32_t)k->value;
	} else {
		(void)stk_gpc_add(t, e, k->data, k->idx, k->op == PLAN_TRK_INC_GPC ?
		                  1u : (uint32_t)k->value, now);
	}
	stk_touch(t, e, now);
	pthread_mutex_unlock(&t->lock);
}

void stk_rule(struct runtime *gen, struct stk_ctrs *c,
              const struct plan_track *k, plan_fetch_fn fetch, void *ctx,
              int req)
{
	struct plan_sample key;

	memset(&key, 0, sizeof(key));
	if (k->op == PLAN_TRK_TRACK)
		fetch(ctx, &gen->plan->acls[k->key], &key);
	if (c)
		stk_run(gen, c, k, &key, req);
}

/* Stick rule record k (MATCH, STORE, ON) of backend be for key sample
 * `keysmp`; see stk_persist_rules(). */
static void stk_persist(struct runtime *gen, const struct plan_track *k,
                        const struct plan_sample *keysmp, uint32_t be,
                        struct stk_stores *st, uint32_t *want)
{
	const struct plan_proxy *px = &gen->plan->proxies[be];
	unsigned char key[PLAN_TBL_MAX_KEY];
	uint32_t now = stk_now_ms(), klen;
	struct stk_table *t;
	struct stk_entry *e;
	int store = k->op == PLAN_TRK_STORE || k->op == PLAN_TRK_ON;

	if (!(t = stk_gen_table(gen, k->table)) ||
	    stk_key(t, keysmp, key, &klen) < 0)
		return;
	for (uint32_t i = 0; store && i < st->n; i++)
		if (st->s[i].t == t)
			store = 0;      /* the first store of a table wins */
	if (st->n == STK_STORES_MAX)
		store = 0;
	pthread_mutex_lock(&t->lock);
	if ((k->op == PLAN_TRK_MATCH || k->op == PLAN_TRK_ON) &&
	    *want == PLAN_NONE &&
	    stk_has(t, PLAN_TD_SERVER_ID) &&
	    (e = stk_lookup(t, key, klen, now)) != NULL) {
		uint64_t id = *stk_word(t, e, PLAN_TD_SERVER_ID, 0);

		if (id >= 1 && id <= px->nservers)
			*want = px->first_server + (uint32_t)id - 1;
	}
	if (store && (e = stk_get(t, key, klen, now)) != NULL) {
		e->ref++;
		st->s[st->n].t = t;
		st->s[st->n].e = e;
		st->n++;
	}
	pthread_mutex_unlock(&t->lock);
}

void stk_persist_rules(struct runtime *gen, uint32_t be,
                       const struct plan_regex *rx, plan_fetch_fn fetch,
                       void *ctx, struct stk_stores *st, uint32_t *want)
{
	const struct plan *p = gen->plan;
	uint32_t first, n = plan_tcp_rules_of(p, be, PLAN_TCP_STICK, &first);

	stk_stores_drop(st);
	for (uint32_t i = 0; i < n; i++) {
		const struct plan_rule *r = &p->rules[first + i];
		const struct plan_track *k = &p->tracks[r->arg];
		struct plan_sample key;

		if (k->op == PLAN_TRK_STORE_RES ||
		    !plan_cond_holds(p, rx, r->cond, r->first_term, r->nterms,
		                     fetch, ctx))
			continue;
		memset(&key, 0, sizeof(key));
		fetch(ctx, &p->acls[k->key], &key);
		stk_persist(gen, k, &key, be, st, want);
	}
}

/* The 1-based place of server srv in its backend (HAProxy's default
 * server id), 0 for no server. */
static uint32_t stk_server_id(const struct plan *p, uint32_t srv)
{
	return srv < p->nservers ?
	       srv - p->proxies[p->servers[srv].proxy].first_server + 1 : 0;
}

void stk_persist_response(struct runtime *gen, uint32_t be,
                          const struct plan_regex *rx, plan_fetch_fn fetch,
                          void *ctx, uint32_t srv)
{
	const struct plan *p = gen->plan;
	uint32_t first, n = plan_tcp_rules_of(p, be, PLAN_TCP_STICK, &first);
	uint32_t id = stk_server_id(p, srv), nseen = 0;
	struct stk_table *seen[STK_STORES_MAX];

	for (uint32_t i = 0; i < n && id; i++) {
		const struct plan_rule *r = &p->rules[first + i];
		const struct plan_track *k = &p->tracks[r->arg];
		unsigned char key[PLAN_TBL_MAX_KEY];
		uint32_t klen, now = stk_now_ms();
		struct plan_sample smp;
		struct stk_table *t;
		struct stk_entry *e;
		uint32_t j = 0;

		if (k->op != PLAN_TRK_STORE_RES ||
		    !(t = stk_gen_table(gen, k->table)))
			continue;
		while (j < nseen && seen[j] != t)
			j++;
		if (j < nseen || nseen == STK_STORES_MAX ||
		    !plan_cond_holds(p, rx, r->cond, r->first_term, r->nterms,
		                     fetch, ctx))
			continue;       /* the first store of a table wins */
		memset(&smp, 0, sizeof(smp));
		fetch(ctx, &p->acls[k->key], &smp);
		if (stk_key(t, &smp, key, &klen) < 0)
			continue;
		seen[nseen++] = t;
		pthread_mutex_lock(&t->lock);
		if ((e = stk_get(t, key, klen, now)) != NULL) {
			*stk_word(t, e, PLAN_TD_SERVER_ID, 0) = id;
			stk_touch(t, e, now);
		}
		pthread_mutex_unlock(&t->lock);
	}
}

/* Let go of held entry i of st (its table's lock taken here). */
static void stk_stores_put(struct stk_stores *st, uint32_t i, uint32_t srv_id)
{
	struct stk_table *t = st->s[i].t;
	struct stk_entry *e = st->s[i].e;

	pthread_mutex_lock(&t->lock);
	if (srv_id)
		*stk_word(t, e, PLAN_TD_SERVER_ID, 0) = srv_id;
	e->ref--;
	stk_touch(t, e, stk_now_ms());
	pthread_mutex_unlock(&t->lock);
}

void stk_stores_commit(struct runtime *gen, struct stk_stores *st,
                       uint32_t srv)
{
	uint32_t id;

	if (!st)
		return;
	id = stk_server_id(gen->plan, srv);
	for (uint32_t i = 0; i < st->n; i++)
		stk_stores_put(st, i, id);
	st->n = 0;
}

void stk_stores_drop(struct stk_stores *st)
{
	if (!st)
		return;
	for (uint32_t i = 0; i < st->n; i++)
		stk_stores_put(st, i, 0);
	st->n = 0;
}

/* Count n events of (cnt, rate) in every entry c tracks, each under its
 * table's lock. */
static void stk_each(struct stk_ctrs *c, uint32_t cnt, uint32_t rate,
                     uint64_t n)
{
	uint32_t now = stk_now_ms();

	if (!c)
		return;
	for (int i = 0; i < 3; i++) {
		struct stk_table *t = c->c[i].t;

		if (!t)
			continue;
		pthread_mutex_lock(&t->lock);
		stk_count(t, c->c[i].e, cnt, rate, (uint32_t)n, now);
		stk_touch(t, c->c[i].e, now);
		pthread_mutex_unlock(&t->lock);
	}
}

void stk_http_req(struct stk_ctrs *c)
{
	stk_each(c, PLAN_TD_HTTP_REQ_CNT, PLAN_TD_HTTP_REQ_RATE, 1);
}

void stk_http_err(struct stk_ctrs *c)
{
	stk_each(c, PLAN_TD_HTTP_ERR_CNT, PLAN_TD_HTTP_ERR_RATE, 1);
}

void stk_bytes(struct stk_ctrs *c, uint64_t in, uint64_t out)
{
	if (in)
		stk_each(c, PLAN_TD_BYTES_IN_CNT, PLAN_TD_BYTES_IN_RATE, in);
	if (out)
		stk_each(c, PLAN_TD_BYTES_OUT_CNT, PLAN_TD_BYTES_OUT_RATE, out);
}

void stk_release(struct stk_ctrs *c, int req_only)
{
	uint32_t now = stk_now_ms();

	if (!c)
		return;
	for (int i = 0; i < 3; i++) {
		struct stk_ctr *ctr = &c->c[i];
		struct stk_table *t = ctr->t;

		if (!t || (req_only && !ctr->req))
			continue;
		pthread_mutex_lock(&t->lock);
		if (stk_has(t, PLAN_TD_CONN_CUR)) {
			uint64_t *w = stk_word(t, ctr->e, PLAN_TD_CONN_CUR, 0);

			if (*w)
				(*w)--;
		}
		ctr->e->ref--;
		stk_touch(t, ctr->e, now);
		pthread_mutex_unlock(&t->lock);
		memset(ctr, 0, sizeof(*ctr));
	}
}

void stk_fetch(struct runtime *gen, struct stk_ctrs *c,
               const struct sockaddr_storage *src, socklen_t srclen,
               const struct plan_acl *a, struct plan_sample *out)
{
	uint32_t ctr = PLAN_STK_CTR(a->occ), op = PLAN_STK_OPOF(a->occ);
	uint32_t d = PLAN_STK_DATA(a->occ), idx = PLAN_STK_IDX(a->occ);
	uint32_t now = stk_now_ms(), klen = 0;
	unsigned char key[PLAN_TBL_MAX_KEY];
	struct stk_table *t;
	struct stk_entry *e = NULL;
	int64_t v = 0;
	int ok = 0;

	memset(out, 0, sizeof(*out));
	if (ctr == PLAN_STK_SRC) {
		struct plan_sample s;

		t = stk_gen_table(gen, a->arg);
		memset(&s, 0, sizeof(s));
		plan_sample_addr(src, srclen, 0, &s);
		if (!t || stk_key(t, &s, key, &klen) < 0)
			return;
	} else {
		if (!c || !c->c[ctr].t) {
			if (op == PLAN_STK_TRACKED) {
				out->type = PLAN_SMP_BOOL;
				out->i = 0;
			}
			return;
		}
		t = a->arg == PLAN_NONE ? c->c[ctr].t : stk_gen_table(gen, a->arg);
		if (!t)
			return;
		if (t != c->c[ctr].t) {
			/* the tracked key, looked up in another table */
			klen = c->c[ctr].e->klen;
			memcpy(key, c->c[ctr].e->w, klen);
		}
	}
	if (op == PLAN_STK_TRACKED) {
		out->type = PLAN_SMP_BOOL;
		out->i = 1;
		return;
	}
	pthread_mutex_lock(&t->lock);
	if (ctr != PLAN_STK_SRC && t == c->c[ctr].t)
		e = c->c[ctr].e;
	else if (op == PLAN_STK_INC || op == PLAN_STK_CLR)
		e = stk_get(t, key, klen, now);   /* HAProxy creates it */
	else
		e = stk_lookup(t, key, klen, now);
	switch (op) {
	case PLAN_STK_TRACKERS:
		v = e ? e->ref : 0;
		ok = 1;
		break;
	case PLAN_STK_GET:
		ok = stk_read(t, e, d, idx, now, &v) == 0;
		if (ok && (d == PLAN_TD_BYTES_IN_CNT || d == PLAN_TD_BYTES_OUT_CNT))
			v >>= 10;     /* kbytes_in, kbytes_out */
		break;
	case PLAN_STK_INC:
	case PLAN_STK_CLR:
		if (!e)
			break;
		if (op == PLAN_STK_INC)
			(void)stk_gpc_add(t, e, d, idx, 1, now);
		ok = stk_read(t, e, d, idx, now, &v) == 0;
		if (ok && op == PLAN_STK_CLR)
			*stk_word(t, e, d, idx) = 0;
		stk_touch(t, e, now);
		break;
	default:
		break;
	}
	pthread_mutex_unlock(&t->lock);
	if (ok) {
		out->type = PLAN_SMP_INT;
		out->i = v;
	}
}

/* ---- stats socket ---------------------------------------------------------- */

void stk_show_tables(struct runtime *gen, FILE *out)
{
	struct stk_gen *g = gen->stk;

	for (uint32_t i = 0; g && i < g->n; i++) {
		struct stk_table *t = g->t[i];

		pthread_mutex_lock(&t->lock);
		fprintf(out, "# table: %s, type: %s, size:%u, used:%u\n", t->name,
		        plan_tbl_type_name(t->def.type), (unsigned)t->def.size,
		        (unsigned)t->used);
		pthread_mutex_unlock(&t->lock);
	}
}

uint32_t stk_data_type(const struct stk_table *t, const char *name)
{
	uint32_t d = plan_tbl_data_find(name, strlen(name));

	return stk_has(t, d) ? d : PLAN_TD_MAX;
}

/* The key of e as `show table` prints it. */
static void stk_key_text(const struct stk_table *t, const struct stk_entry *e,
                         FILE *out)
{
	const unsigned char *k = (const unsigned char *)e->w;
	char txt[64];

	switch (t->def.type) {
	case PLAN_TBL_IP:
	case PLAN_TBL_IPV6:
		inet_ntop(t->def.type == PLAN_TBL_IP ? AF_INET : AF_INET6, k, txt,
		          sizeof(txt));
		fputs(txt, out);
		return;
	case PLAN_TBL_INTEGER: {
		int32_t v;

		memcpy(&v, k, 4);
		fprintf(out, "%d", (int)v);
		return;
	}
	case PLAN_TBL_STRING:
		fwrite(k, 1, e->klen, out);
		return;
	default:
		for (uint32_t i = 0; i < e->klen; i++)
			fprintf(out, "%02X", k[i]);
		return;
	}
}

static int stk_cmp(int64_t a, const char *op, int64_t b)
{
	return !strcmp(op, "eq") ? a == b : !strcmp(op, "ne") ? a != b :
	       !strcmp(op, "lt") ? a < b : !strcmp(op, "le") ? a <= b :
	       !strcmp(op, "gt") ? a > b : !strcmp(op, "ge") ? a >= b : 0;
}

static void stk_show_entry(struct stk_table *t, struct stk_entry *e,
                           uint32_t now, FILE *out)
{
	fprintf(out, "%p: key=", (void *)e);
	stk_key_text(t, e, out);
	fprintf(out, " use=%u exp=%u", (unsigned)e->ref,
	        t->def.expire_ms && !stk_expired(t, e, now) ?
	        (unsigned)(e->expire - now) : 0u);
	for (uint32_t d = 0; d < PLAN_TD_MAX; d++) {
		uint32_t n = d == PLAN_TD_GPT ? t->def.ngpt :
		             d == PLAN_TD_GPC || d == PLAN_TD_GPC_RATE ?
		             t->def.ngpc : 1;
		int64_t v;

		if (!stk_has(t, d))
			continue;
		for (uint32_t i = 0; i < n; i++) {
			(void)stk_read(t, e, d, i, now, &v);
			fprintf(out, " %s", plan_tbl_data_name(d));
			if (n > 1 || d == PLAN_TD_GPT || d == PLAN_TD_GPC ||
			    d == PLAN_TD_GPC_RATE)
				fprintf(out, "[%u]", (unsigned)i);
			if (plan_tbl_data_is_rate(d))
				fprintf(out, "(%u)", (unsigned)t->def.period_ms[d]);
			fprintf(out, "=%lld", (long long)v);
		}
	}
	fputc('\n', out);
}


void stk_show_head(struct stk_table *t, const unsigned char *key,
                   uint32_t klen, FILE *out)
{
	uint32_t now = stk_now_ms();

	pthread_mutex_lock(&t->lock);
	stk_purge(t, now, UINT32_MAX);
	fprintf(out, "# table: %s, type: %s, size:%u, used:%u\n", t->name,
	        plan_tbl_type_name(t->def.type), (unsigned)t->def.size,
	        (unsigned)t->used);
	if (key) {
		struct stk_entry *e = stk_lookup(t, key, klen, now);

		if (e)
			stk_show_entry(t, e, now, out);
	}
	pthread_mutex_unlock(&t->lock);
}

int stk_show_some(struct stk_table *t, uint32_t *bucket, uint32_t d,
                  const char *op, int64_t v, uint32_t max, FILE *out)
{
	uint32_t now = stk_now_ms(), shown = 0, scanned = 0;
	int done;

	pthread_mutex_lock(&t->lock);
	/* whole buckets, so that the cursor is a bucket number: no entry
	 * is held between two calls (traffic may free any of them) */
	for (; *bucket <= t->mask && shown < max &&
	       scanned < STK_SHOW_SCAN; (*bucket)++, scanned++) {
		for (struct stk_entry *e = t->buckets[*bucket]; e; e = e->hnext) {
			int64_t x;

			if ((stk_expired(t, e, now) && !e->ref) ||
			    (d < PLAN_TD_MAX &&
			     (stk_read(t, e, d, 0, now, &x) < 0 || !stk_cmp(x, op, v))))
				continue;
			stk_show_entry(t, e, now, out);
			shown++;
		}
	}
	done = *bucket > t->mask;
	pthread_mutex_unlock(&t->lock);
	return done;
}

void stk_show(struct stk_table *t, const unsigned char *key, uint32_t klen,
              uint32_t d, const char *op, int64_t v, FILE *out)
{
	uint32_t bucket = 0;

	stk_show_head(t, key, klen, out);
	while (!key && !stk_show_some(t, &bucket, d, op, v, UINT32_MAX, out))
		;
}

uint32_t stk_clear(struct stk_table *t, const unsigned char *key,
                   uint32_t klen)
{
	uint32_t now = stk_now_ms(), n = 0;
	struct stk_entry *e, *next;

	pthread_mutex_lock(&t->lock);
	if (key) {
		e = stk_lookup(t, key, klen, now);
		if (e && !e->ref) {
			stk_unlink(t, e);
			n = 1;
		}
	} else {
		for (e = t->lru.lnext; e != &t->lru; e = next) {
			next = e->lnext;
			if (!e->ref) {
				stk_unlink(t, e);
				n++;
			}
		}
	}
	pthread_mutex_unlock(&t->lock);
	return n;
}

int stk_set(struct stk_table *t, const unsigned char *key, uint32_t klen,
            uint32_t d, uint32_t idx, int64_t v)
{
	uint32_t now = stk_now_ms();
	struct stk_entry *e;
	int ret = 0;

	pthread_mutex_lock(&t->lock);
	if (!(e = stk_get(t, key, klen, now))) {
		ret = -1;
	} else if (plan_tbl_data_is_rate(d)) {
		struct stk_freq *f = stk_freq(t, e, d, idx);

		memset(f, 0, sizeof(*f));
		f->tick = now;
		f->curr = (uint32_t)v;
	} else {
		*stk_word(t, e, d, idx) = d == PLAN_TD_SERVER_ID ? (uint64_t)v :
		                          (uint32_t)v;
	}
	if (e)
		stk_touch(t, e, now);
	pthread_mutex_unlock(&t->lock);
	return ret;
}
