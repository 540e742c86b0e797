/*
 * plan_limits-t.h: the bounds of the plan's numeric fields, in one table
 * that cfgc (when it reads a keyword) and the verifier (when it reads a
 * plan) both consult, so that a plan that verifies holds only values cfgc
 * could have written. The table itself is plan_limits[] (plan_limits.h).
 */
#ifndef HAPC_PLAN_LIMITS_T_H
#define HAPC_PLAN_LIMITS_T_H

#include <stdint.h>

/* The time bound as a constant too: cfgc's unit parser needs it in
 * expressions (HAProxy keeps times in an int of milliseconds). */
#define PLAN_TIME_MAX_MS 2147483647u  /* about 24.8 days */

enum plan_limit {
	PLAN_LIM_TIME_MS      = 0,  /* any time: timeouts, fastinter, downinter */
	PLAN_LIM_INTER_MS     = 1,  /* server inter: a delay, never 0 */
	PLAN_LIM_BIND_COUNT   = 2,  /* bind maxconn and backlog: HAProxy reads
	                               them into an int */
	PLAN_LIM_RISE_FALL    = 3,  /* server rise and fall */
	PLAN_LIM_WEIGHT       = 4,  /* server weight */
	PLAN_LIM_RANDOM_DRAWS = 5,  /* balance random(N) */
	PLAN_LIM_NBTHREAD     = 6,  /* global nbthread (0 in a plan: unset) */
	PLAN_LIM_TIME_S       = 7,  /* a time kept in seconds (stats refresh,
	                               cookie maxidle/maxlife): cfgc reads it
	                               as a time in ms first */
	PLAN_LIM_MAX
};

struct plan_limit_def {
	const char *name;           /* the keyword, for messages */
	uint32_t min;               /* smallest value cfgc writes */
	uint32_t max;               /* largest value cfgc writes */
	const char *unit;           /* "ms", "connections", ... */
};

#endif /* HAPC_PLAN_LIMITS_T_H */
