/*
 * http_vars.c: the tables holding variables. A table is a fixed array
 * by plan variable index plus a byte area for text values; nothing is
 * allocated per request. A text value is appended to the area; when it
 * does not fit, the live values are packed first, and a value that
 * still does not fit leaves the variable unset.
 */
#include <string.h>

#include "http_vars.h"

void http_vars_clear(struct http_vars *vs)
{
	vs->used = 0;
	for (uint32_t i = 0; i < PLAN_MAX_VARS; i++)
		vs->v[i].type = PLAN_SMP_NONE;
}

/* Pack the live text values to the start of the area. */
static void http_vars_pack(struct http_vars *vs)
{
	char tmp[HTTP_VARS_BYTES];
	uint32_t used = 0;

	for (uint32_t i = 0; i < PLAN_MAX_VARS; i++) {
		struct http_var *v = &vs->v[i];

		if (v->type != PLAN_SMP_STR && v->type != PLAN_SMP_BIN)
			continue;
		memcpy(tmp + used, vs->data + v->off, v->len);
		v->off = used;
		used += v->len;
	}
	memcpy(vs->data, tmp, used);
	vs->used = used;
}

int http_vars_set(struct http_vars *vs, uint32_t var,
                  const struct plan_sample *smp)
{
	struct http_var *v;

	if (var >= PLAN_MAX_VARS)
		return -1;
	v = &vs->v[var];
	v->type = PLAN_SMP_NONE;
	switch (smp->type) {
	case PLAN_SMP_STR:
	case PLAN_SMP_BIN:
		if (smp->len > HTTP_VARS_BYTES - vs->used)
			http_vars_pack(vs);
		if (smp->len > HTTP_VARS_BYTES - vs->used)
			return -1;
		if (smp->len)
			memcpy(vs->data + vs->used, smp->str, smp->len);
		v->off = vs->used;
		v->len = (uint16_t)smp->len;
		vs->used += (uint32_t)smp->len;
		break;
	case PLAN_SMP_BOOL:
	case PLAN_SMP_INT:
		v->i = smp->i;
		break;
	case PLAN_SMP_IPV4:
	case PLAN_SMP_IPV6:
		memcpy(v->ip, smp->ip, sizeof(v->ip));
		break;
	default:
		return -1;
	}
	v->type = (uint8_t)smp->type;
	return 0;
}

void http_vars_unset(struct http_vars *vs, uint32_t var)
{
	if (var < PLAN_MAX_VARS)
		vs->v[var].type = PLAN_SMP_NONE;
}

void http_vars_get(const struct http_vars *vs, uint32_t var,
                   struct plan_sample *out)
{
	const struct http_var *v;

	out->type = PLAN_SMP_NONE;
	if (!vs || var >= PLAN_MAX_VARS)
		return;
	v = &vs->v[var];
	switch (v->type) {
	case PLAN_SMP_STR:
	case PLAN_SMP_BIN:
		out->str = vs->data + v->off;
		out->len = v->len;
		break;
	case PLAN_SMP_BOOL:
	case PLAN_SMP_INT:
		out->i = v->i;
		break;
	case PLAN_SMP_IPV4:
	case PLAN_SMP_IPV6:
		memcpy(out->ip, v->ip, sizeof(out->ip));
		break;
	default:
		return;
	}
	out->type = (enum plan_sample_type)v->type;
}

int http_vars_is_proc(const struct plan *p, uint32_t var)
{
	const char *name = plan_var_name(p, var);

	return name && !strncmp(name, "proc.", 5);
}
