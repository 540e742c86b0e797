/*
 * render_stats_page.c: write what the stats page or the Prometheus
 * exporter answers for a plan file, for tests that look at it from
 * outside (test/integration/stats_page_html.py opens it in a browser).
 *
 *   render_stats_page PLAN OUT [html|csv|metrics] [QUERY] [FLAGS]
 *
 * QUERY is what follows the stats uri (";up", "?scope=be", ...); FLAGS a
 * comma-separated list of admin, legends, node, desc, hide-version. The
 * generation is built as cfgrun builds it (its listeners are opened and
 * closed again); counters are those of a process that served nothing,
 * except that each backend's first server is put in maintenance when
 * FLAGS has "maint1" (a row of another colour).
 * Exit status 0, or 1 with a message.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "promex.h"
#include "rt_helpers.h"
#include "server.h"
#include "stats_page.h"

static int has_flag(const char *flags, const char *name)
{
	size_t n = strlen(name);

	for (const char *f = flags; f && *f; ) {
		const char *end = strchr(f, ',');
		size_t len = end ? (size_t)(end - f) : strlen(f);

		if (len == n && !strncmp(f, name, n))
			return 1;
		f += len + (end ? 1 : 0);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 3 ? argv[3] : "html";
	const char *query = argc > 4 ? argv[4] : "";
	const char *flags = argc > 5 ? argv[5] : "";
	struct stats_page_conf conf = { .uri = "/stats", .desc = "rendered by a test",
	                                .node = "test-node" };
	struct stats_page_req rq = { .query = query, .query_len = strlen(query) };
	struct stats_page_out out;
	struct plan *plan;
	struct rtfx fx;
	char detail[256];
	FILE *f;
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: %s PLAN OUT [html|csv|metrics] [QUERY] [FLAGS]\n",
		        argv[0]);
		return 1;
	}
	plan = calloc(1, sizeof(*plan));
	if (!plan || plan_open(argv[1], plan, detail, sizeof(detail)) != PLAN_E_OK) {
		fprintf(stderr, "%s: %s\n", argv[1], plan ? detail : "out of memory");
		free(plan);
		return 1;
	}
	if (rtfx_start(&fx, plan) < 0)
		return 1;
	conf.flags = (has_flag(flags, "admin") ? STATS_PAGE_F_ADMIN : 0) |
	             (has_flag(flags, "legends") ? STATS_PAGE_F_SHOW_LEGENDS : 0) |
	             (has_flag(flags, "node") ? STATS_PAGE_F_SHOW_NODE : 0) |
	             (has_flag(flags, "desc") ? STATS_PAGE_F_SHOW_DESC : 0) |
	             (has_flag(flags, "hide-version") ? STATS_PAGE_F_HIDE_VERSION : 0);
	if (has_flag(flags, "maint1"))
		for (uint32_t i = 0; i < plan->nproxies; i++)
			if (plan->proxies[i].nservers)
				(void)server_set_admin_state(fx.rt, plan->proxies[i].first_server,
				                             RT_ADMIN_MAINT);
	if (!strcmp(mode, "metrics")) {
		rc = promex_serve(&fx.ops, fx.rt, &rq, &out);
	} else {
		if (!strcmp(mode, "csv")) {
			static const char csv[] = ";csv";

			rq.query = csv;
			rq.query_len = sizeof(csv) - 1;
		}
		rc = stats_page_serve(&fx.ops, fx.rt, &conf, &rq, &out);
	}
	rtfx_stop(&fx);
	if (rc < 0 || out.status != 200) {
		fprintf(stderr, "answer %d\n", out.status);
		stats_page_out_free(&out);
		return 1;
	}
	f = fopen(argv[2], "w");
	if (!f || fwrite(out.body, 1, out.len, f) != out.len || fclose(f) != 0) {
		perror(argv[2]);
		stats_page_out_free(&out);
		return 1;
	}
	stats_page_out_free(&out);
	return 0;
}
