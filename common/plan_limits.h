/*
 * plan_limits.h: the table of plan_limits-t.h and its check.
 */
#ifndef HAPC_PLAN_LIMITS_H
#define HAPC_PLAN_LIMITS_H

#include "plan_limits-t.h"

extern const struct plan_limit_def plan_limits[PLAN_LIM_MAX];

/* 1 when `v` is within limit `l`'s bounds. */
static inline int plan_limit_ok(enum plan_limit l, uint64_t v)
{
	return v >= plan_limits[l].min && v <= plan_limits[l].max;
}

#endif /* HAPC_PLAN_LIMITS_H */
