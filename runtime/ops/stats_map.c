/*
 * stats_map.c: the stats socket's map commands (`show map`, `add map`,
 * `del map`, `set map`, `clear map`) and `show acl`, answered as HAProxy
 * 2.6 answers them, over the current generation's plan_live set.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "plan_live.h"
#include "runtime-t.h"
#include "stats_map.h"

static const char *const stats_map_unknown[2] = {
	"Unknown map identifier. Please use #<id> or <file>.\n\n",
	"Unknown ACL identifier. Please use #<id> or <file>.\n\n",
};

/* `show map` / `show acl`: every file of that kind with its id and where
 * it is named. */
static void stats_map_list(struct stats_buf *out, const struct plan_live *lv,
                           int acl)
{
	stats_buf_puts(out, "# id (file) description\n");
	for (uint32_t i = 0; i < plan_live_count(lv); i++) {
		struct plan_live_info in;

		plan_live_info(lv, i, &in);
		if (in.acl != acl)
			continue;
		stats_buf_printf(out, "%u (%s) pattern loaded from file '%s' used by "
		                 "%s at file '%s' line %u. curr_ver=0 next_ver=0 "
		                 "entry_cnt=%zu\n", in.id, in.name, in.name,
		                 acl ? "acl" : "map", in.source, in.line, in.entries);
	}
	stats_buf_puts(out, "\n");
}

static void stats_map_entry(void *ctx, const void *id, const char *key,
                            size_t klen, const char *val, size_t vlen)
{
	if (vlen)
		stats_buf_printf(ctx, "%p %.*s %.*s\n", id, (int)klen, key,
		                 (int)vlen, val);
	else
		stats_buf_printf(ctx, "%p %.*s\n", id, (int)klen, key);
}

/* The reference word w names, or -1 after answering that there is none. */
static int stats_map_ref(struct stats_buf *out, const struct plan_live *lv,
                         const char *w, int acl)
{
	int ref = plan_live_find(lv, w, acl);

	if (ref < 0)
		stats_buf_puts(out, stats_map_unknown[acl]);
	return ref;
}

/* Answer of a change: the empty line, or the complaint. */
static void stats_map_done(struct stats_buf *out, int rc, const char *err)
{
	if (rc < 0)
		stats_buf_printf(out, "%s\n", err);
	else
		stats_buf_puts(out, "\n");
}

/* The words a change takes, or 0 after answering what they are (HAProxy
 * 2.6's words; like it, extra words after an ACL value or a map to clear
 * are ignored). */
static int stats_map_arity(struct stats_buf *out, char **w, int n, int acl)
{
	static const struct {
		char verb;
		int map_n, acl_n;           /* < 0: at least that many */
		const char *map_msg, *acl_msg;
	} ar[] = {
		{ 'a', 5, -4, "'add map' expects three parameters (map identifier, "
		  "key and value) or one parameter (map identifier) and a payload\n",
		  "'add acl' expects two parameters: ACL identifier and pattern.\n" },
		{ 's', 5, 0, "'set map' expects three parameters: map identifier, "
		  "key and value.\n", NULL },
		{ 'd', 4, 4, "This command expects two parameters: map identifier "
		  "and key.\n", "This command expects two parameters: ACL identifier "
		  "and key.\n" },
		{ 'c', -3, -3, "Missing map identifier.\n",
		  "Missing ACL identifier.\n" },
	};

	for (size_t i = 0; i < sizeof(ar) / sizeof(ar[0]); i++) {
		int want = acl ? ar[i].acl_n : ar[i].map_n;

		if (ar[i].verb != w[0][0])
			continue;
		if (want < 0 ? n >= -want : n == want)
			return 1;
		stats_buf_printf(out, "%s\n", acl ? ar[i].acl_msg : ar[i].map_msg);
		return 0;
	}
	return 0;
}

static void stats_map_change(struct stats_buf *out, struct plan_live *lv,
                             char **w, int n, int acl)
{
	char err[256] = "";
	int ref, rc;

	if (!stats_map_arity(out, w, n, acl) ||
	    (ref = stats_map_ref(out, lv, w[2], acl)) < 0)
		return;
	switch (w[0][0]) {
	case 'a':
		rc = plan_live_add(lv, (uint32_t)ref, w[3], acl ? "" : w[4], err,
		                   sizeof(err));
		break;
	case 's':
		rc = plan_live_set(lv, (uint32_t)ref, w[3], w[4], err, sizeof(err));
		break;
	case 'd':
		rc = plan_live_del(lv, (uint32_t)ref, w[3], err, sizeof(err));
		if (rc == 0) {
			snprintf(err, sizeof(err), "Key not found.\n");
			rc = -1;
		}
		break;
	default:
		rc = plan_live_clear(lv, (uint32_t)ref, err, sizeof(err));
	}
	stats_map_done(out, rc, err);
}

int stats_map_dump(struct stats_buf *out, struct runtime *rt, uint32_t ref,
                   size_t *pos, size_t max)
{
	return plan_live_walk_some(rt->live, ref, pos, max, stats_map_entry, out);
}

int stats_map_exec(struct stats_buf *out, struct runtime *rt, char **w,
                   int n, uint32_t *dump)
{
	struct plan_live *lv = rt->live;
	int ref, acl;

	*dump = UINT32_MAX;
	if (n < 2 || (strcmp(w[1], "map") && strcmp(w[1], "acl")))
		return 0;
	acl = !strcmp(w[1], "acl");
	if (strcmp(w[0], "show") && strcmp(w[0], "add") && strcmp(w[0], "del") &&
	    (acl || strcmp(w[0], "set")) && strcmp(w[0], "clear"))
		return 0;
	if (!strcmp(w[0], "show")) {
		if (n == 2)
			stats_map_list(out, lv, acl);
		else if ((ref = stats_map_ref(out, lv, w[2], acl)) >= 0)
			*dump = (uint32_t)ref;  /* stats_map_dump(), then "\n" */
		return 1;
	}
	stats_map_change(out, lv, w, n, acl);
	return 1;
}
