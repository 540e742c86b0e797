/*
 * emit.c: writes the typed model through the plan builder.
 */
#include <string.h>
#include "addr.h"
#include "emit.h"
#include "plan.h"

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

static int emit_proxy(struct plan_builder *b, const struct model_proxy *px,
                      uint32_t index)
{
	uint32_t first_l = plan_builder_count(b, PLAN_SEC_LISTENER);
	uint32_t first_s = plan_builder_count(b, PLAN_SEC_SERVER);
	struct plan_str name = emit_str(b, px->name);
	struct plan_proxy *rec;
	uint32_t idx;

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
		sr->weight = sv->weight;
		sr->maxconn = sv->maxconn;
		sr->flags = sv->flags;
		sr->addr = sv->addr;
	}
	if ((idx = emit_add(b, PLAN_SEC_PROXY)) == PLAN_NONE || idx != index)
		return -1;
	rec = plan_builder_at(b, PLAN_SEC_PROXY, idx);
	rec->name = name;
	rec->cap = px->cap;
	rec->mode = px->set.mode;
	rec->balance = px->set.balance;
	rec->maxconn = (px->cap & PLAN_CAP_FE) ? px->set.maxconn : 0;
	rec->timeout_connect = (px->cap & PLAN_CAP_BE) ? px->set.timeout_connect : 0;
	rec->timeout_client = (px->cap & PLAN_CAP_FE) ? px->set.timeout_client : 0;
	rec->timeout_server = (px->cap & PLAN_CAP_BE) ? px->set.timeout_server : 0;
	rec->default_backend = px->default_backend;
	rec->first_listener = first_l;
	rec->nlisteners = (uint32_t)px->nlisteners;
	rec->first_server = first_s;
	rec->nservers = (uint32_t)px->nservers;
	rec->line = px->loc.line;
	return 0;
}

int emit_plan(const struct model *m, uint8_t **buf, size_t *len)
{
	struct plan_builder *b = plan_builder_new();
	struct plan_global *g;
	struct plan_str src;
	uint32_t idx;
	int ret = -1;

	if (!b)
		return -1;
	if (m->nproxies > PLAN_MAX_PROXIES)
		goto out;
	src = emit_str(b, m->source ? m->source : "");
	if ((idx = emit_add(b, PLAN_SEC_GLOBAL)) == PLAN_NONE)
		goto out;
	g = plan_builder_at(b, PLAN_SEC_GLOBAL, idx);
	g->maxconn = m->maxconn;
	g->nproxies = (uint32_t)m->nproxies;
	g->source = src;
	for (size_t i = 0; i < m->nproxies; i++)
		if (emit_proxy(b, &m->proxies[i], (uint32_t)i) < 0)
			goto out;
	ret = plan_builder_finish(b, buf, len);
out:
	plan_builder_free(b);
	return ret;
}
