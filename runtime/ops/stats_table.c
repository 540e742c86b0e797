/*
 * stats_table.c: the stats socket's stick table commands, as HAProxy
 * names and prints them (management guide, "show table"):
 *   show table                      one summary line per table
 *   show table NAME [data.X OP V]   entries, those whose X compares to V
 *   show table NAME key K           the entry of key K
 *   clear table NAME [key K]        entries not tracked now (or K's)
 *   set table NAME key K data.X V [data.Y W]...
 * clear needs level operator, set level admin. The entries of `show
 * table NAME` are given a few at a time as the client reads them
 * (stats_table_step()), in the order of the table's hash buckets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats_table.h"
#include "stktable.h"

/* The text a FILE* collected, appended to out. */
static void st_flush(FILE *f, char **text, size_t *len, struct stats_buf *out)
{
	fclose(f);
	if (*text)
		stats_buf_write(out, *text, *len);
	free(*text);
}

static int st_number(const char *t, int64_t *v)
{
	char *end;

	*v = strtoll(t, &end, 10);
	return end != t && !*end ? 0 : -1;
}

/* data.X[IDX] of t into *d, *idx; 0 or -1 (answered). */
static int st_data(struct stk_table *t, const char *w, uint32_t *d,
                   uint32_t *idx, struct stats_buf *out)
{
	char name[64];
	const char *br;
	size_t n;

	*idx = 0;
	if (strncmp(w, "data.", 5)) {
		stats_buf_printf(out, "Optional argument only supports \"data.<store_data_type>\" and key <key>\n\n");
		return -1;
	}
	w += 5;
	br = strchr(w, '[');
	n = br ? (size_t)(br - w) : strlen(w);
	if (n >= sizeof(name)) {
		stats_buf_printf(out, "Unknown data type\n\n");
		return -1;
	}
	memcpy(name, w, n);
	name[n] = 0;
	if (br)
		*idx = (uint32_t)strtoul(br + 1, NULL, 10);
	*d = stk_data_type(t, name);
	if (*d >= PLAN_TD_MAX) {
		stats_buf_printf(out, "Data type not stored in this table\n\n");
		return -1;
	}
	return 0;
}

int stats_table_step(struct stats_buf *out, struct stats_table_cursor *cur,
                     uint32_t max)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int done;

	if (!(f = open_memstream(&text, &len))) {
		stats_buf_printf(out, "# out of memory\n");
		return 1;
	}
	done = stk_show_some(cur->t, &cur->bucket, cur->d, cur->op, cur->v,
	                     max, f);
	st_flush(f, &text, &len, out);
	return done;
}

int stats_table_exec(struct runtime *rt, struct stats_buf *out,
                     uint32_t level, char **w, int n,
                     struct stats_table_cursor *cur)
{
	unsigned char key[PLAN_TBL_MAX_KEY];
	uint32_t klen = 0, d = PLAN_TD_MAX, idx;
	struct stk_table *t;
	char *text = NULL;
	size_t len = 0;
	int64_t v = 0;
	FILE *f;

	memset(cur, 0, sizeof(*cur));
	if (n < 2 || strcmp(w[1], "table") ||
	    (strcmp(w[0], "show") && strcmp(w[0], "clear") && strcmp(w[0], "set")))
		return 0;
	if (!rt)
		return stats_buf_printf(out, "No such table\n\n"), 1;
	if (!strcmp(w[0], "show") && n == 2) {
		if (!(f = open_memstream(&text, &len)))
			return stats_buf_printf(out, "out of memory\n\n"), 1;
		stk_show_tables(rt, f);
		st_flush(f, &text, &len, out);
		stats_buf_printf(out, "\n");
		return 1;
	}
	if (n < 3 || !(t = stk_table_find(rt, w[2]))) {
		stats_buf_printf(out, "No such table\n\n");
		return 1;
	}
	if (!strcmp(w[0], "clear") && level < PLAN_STATS_OPERATOR) {
		stats_buf_printf(out, "Permission denied\n\n");
		return 1;
	}
	if (!strcmp(w[0], "set") && level < PLAN_STATS_ADMIN) {
		stats_buf_printf(out, "Permission denied\n\n");
		return 1;
	}
	if (n >= 5 && !strcmp(w[3], "key")) {
		if (stk_parse_key(t, w[4], key, &klen) < 0) {
			stats_buf_printf(out, "Invalid key\n\n");
			return 1;
		}
	} else if (!strcmp(w[0], "set") || (n != 3 && n != 6)) {
		stats_buf_printf(out, "%s\n\n", !strcmp(w[0], "set") ?
		                 "'set table' expects key <key> and data.<type> <value>" :
		                 "Optional argument only supports \"data.<store_data_type>\" <operator> <value> and key <key>");
		return 1;
	}
	if (!strcmp(w[0], "set")) {
		if (n < 7 || (n - 5) % 2) {
			stats_buf_printf(out, "'set table' expects data.<type> <value> pairs\n\n");
			return 1;
		}
		for (int i = 5; i < n; i += 2) {
			if (st_data(t, w[i], &d, &idx, out) < 0)
				return 1;
			if (st_number(w[i + 1], &v) < 0) {
				stats_buf_printf(out, "Require a valid integer value to store\n\n");
				return 1;
			}
			if (stk_set(t, key, klen, d, idx, v) < 0) {
				stats_buf_printf(out, "Unable to allocate a new entry\n\n");
				return 1;
			}
		}
		stats_buf_printf(out, "\n");
		return 1;
	}
	if (!strcmp(w[0], "clear")) {
		(void)stk_clear(t, klen ? key : NULL, klen);
		stats_buf_printf(out, "\n");
		return 1;
	}
	if (n == 6 && !klen) {
		static const char *const ops[] = { "eq", "ne", "lt", "le", "gt", "ge" };
		int ok = 0;

		if (st_data(t, w[3], &d, &idx, out) < 0)
			return 1;
		for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
			ok |= !strcmp(w[4], ops[i]);
		if (!ok || st_number(w[5], &v) < 0) {
			stats_buf_printf(out, "Require a valid operator (eq, ne, lt, le, gt, ge) and an integer value\n\n");
			return 1;
		}
	}
	if (!(f = open_memstream(&text, &len)))
		return stats_buf_printf(out, "out of memory\n\n"), 1;
	stk_show_head(t, klen ? key : NULL, klen, f);
	st_flush(f, &text, &len, out);
	if (klen) {
		stats_buf_printf(out, "\n");
		return 1;
	}
	/* the entries as the client reads them (stats_table_step()) */
	cur->t = t;
	cur->d = d;
	snprintf(cur->op, sizeof(cur->op), "%s", n == 6 ? w[4] : "eq");
	cur->v = v;
	return 1;
}
