/*
 * plan_limits.c: the bounds cfgc applies and the verifier proves again.
 * HAProxy's own limits where it has them: times are ints of milliseconds
 * (about 24.8 days), a bind's counts are ints (other counts are read
 * leniently up to UINT32_MAX and need no bound), a weight is at most 256, threads at
 * most 4096; random draws are capped by cfgc so that choosing a server
 * stays cheap.
 */
#include "config.h"

#include <stdint.h>

#include "plan_limits.h"

const struct plan_limit_def plan_limits[PLAN_LIM_MAX] = {
	[PLAN_LIM_TIME_MS]      = { .name = "time", .min = 0,
	                            .max = PLAN_TIME_MAX_MS, .unit = "ms" },
	[PLAN_LIM_INTER_MS]     = { .name = "inter", .min = 1,
	                            .max = PLAN_TIME_MAX_MS, .unit = "ms" },
	[PLAN_LIM_BIND_COUNT]   = { .name = "bind count", .min = 0,
	                            .max = INT32_MAX, .unit = "connections" },
	[PLAN_LIM_RISE_FALL]    = { .name = "rise/fall", .min = 1,
	                            .max = UINT32_MAX, .unit = "checks" },
	[PLAN_LIM_WEIGHT]       = { .name = "weight", .min = 0, .max = 256,
	                            .unit = "" },
	[PLAN_LIM_RANDOM_DRAWS] = { .name = "random draws", .min = 1,
	                            .max = 1000000, .unit = "draws" },
	[PLAN_LIM_NBTHREAD]     = { .name = "nbthread", .min = 1, .max = 4096,
	                            .unit = "threads" },
	[PLAN_LIM_TIME_S]       = { .name = "time in seconds", .min = 0,
	                            .max = PLAN_TIME_MAX_MS / 1000, .unit = "s" },
};
