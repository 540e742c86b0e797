/*
 * stats_page.c: the HTML statistics page, its CSV export, its admin
 * forms and Basic authentication (stats_page.h).
 *
 * Every number comes from the rows of `show stat` (stats_row.c), read
 * under the generation's lock one proxy at a time, so the page, the CSV
 * and the stats socket agree. Names from the configuration are
 * HTML-escaped wherever they appear.
 */
#include "config.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/base64.h>
#include <openssl/mem.h>

#include "healthcheck-t.h"
#include "inbox.h"
#include "log.h"
#include "plan.h"
#include "reload.h"
#include "server.h"
#include "stats_page.h"
#include "stats_row.h"
#include "thread.h"

#define SP_TOKEN_MAX   256u         /* bytes of one option, key or value */
#define SP_DEFAULT_URI "/haproxy?stats"

/* ---- helpers shared with promex.c ---------------------------------------- */

void stats_page_proc_get(const struct ops *ops, struct runtime *rt,
                         struct stats_page_proc *pr)
{
	double now = ev_time();

	memset(pr, 0, sizeof(*pr));
	pr->pid = (int)getpid();
	pr->maxconn = rt->maxconn;
	pr->generation = rt->generation;
	pr->log_dropped = log_dropped();
	if (ops) {
		pr->nthreads = ops->nthreads;
		pr->start_time = ops->start_time;
		pr->stopping = ops->stopping;
		pr->actconn = reload_actconn(ops);
		pr->cum_conn = reload_cum_conn(ops);
	} else {
		pr->nthreads = 1;
		pr->start_time = now;
		gen_lock(rt);
		pr->actconn = rt->actconn;
		for (uint32_t i = 0; i < rt->plan->nproxies; i++)
			pr->cum_conn += rt->proxies[i].cum_conn;
		gen_unlock(rt);
	}
	pr->uptime_s = now > pr->start_time ? (uint64_t)(now - pr->start_time) : 0;
}

static int sp_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decode s[0..len) into `out` (`outlen` bytes, terminated, cut
 * to fit); '+' is a space when `plus`. */
static void sp_decode(const char *s, size_t len, int plus, char *out,
                      size_t outlen)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 1 < outlen; i++) {
		int h, l;

		if (s[i] == '%' && i + 2 < len &&
		    (h = sp_hex((unsigned char)s[i + 1])) >= 0 &&
		    (l = sp_hex((unsigned char)s[i + 2])) >= 0) {
			out[o++] = (char)(h * 16 + l);
			i += 2;
		} else if (s[i] == '+' && plus) {
			out[o++] = ' ';
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
}

int stats_page_next_param(const char *s, size_t len, char sep, size_t *pos,
                          char *key, size_t keylen, char *val, size_t vallen)
{
	while (*pos < len) {
		size_t start = *pos, end = start, eq;

		while (end < len && s[end] != sep)
			end++;
		*pos = end < len ? end + 1 : len;
		if (end == start)
			continue;       /* empty piece: ";;" or "&&" */
		for (eq = start; eq < end && s[eq] != '='; eq++)
			;
		sp_decode(s + start, eq - start, sep == '&', key, keylen);
		if (eq < end)
			sp_decode(s + eq + 1, end - eq - 1, sep == '&', val, vallen);
		else if (vallen)
			val[0] = '\0';
		return 1;
	}
	return 0;
}

int stats_page_finish(struct stats_page_out *out, int status,
                      const char *type, struct stats_buf *b)
{
	if (b->cut) {
		static const char msg[] = "The answer is too large or memory ran out.\n";

		stats_buf_free(b);
		out->status = 500;
		out->content_type = "text/plain";
		out->body = strdup(msg);
		out->len = out->body ? sizeof(msg) - 1 : 0;
		out->cap = out->body ? sizeof(msg) : 0;
		return -1;
	}
	out->status = status;
	out->content_type = type;
	out->body = b->data;
	out->len = b->len;
	out->cap = b->cap;
	b->data = NULL;
	b->len = b->cap = 0;
	return 0;
}

void stats_page_out_free(struct stats_page_out *out)
{
	free(out->body);
	out->body = NULL;
	out->len = out->cap = 0;
}

/* ---- options -------------------------------------------------------------- */

/* What the request asks for, from what follows the stats uri. */
struct sp_opts {
	int csv;                    /* ";csv" */
	int norefresh;              /* ";norefresh" */
	struct stats_filter filter; /* ";up", "scope=" */
	char scope[SP_TOKEN_MAX];   /* scope asked for, "" = none */
	char st[8];                 /* ";st=" result code, "" = none */
};

/* The plan index of the proxy named `name`, or PLAN_NONE. */
static uint32_t sp_proxy_find(const struct plan *p, const char *name)
{
	for (uint32_t i = 0; i < p->nproxies; i++)
		if (!strcmp(plan_str_get(p, p->proxies[i].name), name))
			return i;
	return PLAN_NONE;
}

static void sp_opts_parse(const struct stats_page_req *rq,
                          const struct plan *p, struct sp_opts *o)
{
	const char *q = rq->query ? rq->query : "";
	size_t len = rq->query ? rq->query_len : 0, qm, pos = 0;
	char key[SP_TOKEN_MAX], val[SP_TOKEN_MAX];

	memset(o, 0, sizeof(*o));
	o->filter.proxy = PLAN_NONE;
	for (qm = 0; qm < len && q[qm] != '?'; qm++)
		;
	/* ";csv;up;norefresh;st=DONE" (HAProxy's options) */
	while (stats_page_next_param(q, qm, ';', &pos, key, sizeof(key), val,
	                             sizeof(val))) {
		if (!strcmp(key, "csv"))
			o->csv = 1;
		else if (!strcmp(key, "up"))
			o->filter.hide_down = 1;
		else if (!strcmp(key, "norefresh"))
			o->norefresh = 1;
		else if (!strcmp(key, "st"))
			snprintf(o->st, sizeof(o->st), "%.4s", val);
	}
	/* "?scope=NAME" (the page's scope form) */
	pos = 0;
	while (qm < len &&
	       stats_page_next_param(q + qm + 1, len - qm - 1, '&', &pos, key,
	                             sizeof(key), val, sizeof(val))) {
		if (!strcmp(key, "scope") && val[0]) {
			snprintf(o->scope, sizeof(o->scope), "%s", val);
			o->filter.proxy = sp_proxy_find(p, val);
			if (o->filter.proxy == PLAN_NONE)
				o->filter.proxy = p->nproxies; /* matches none */
		}
	}
}

/* ---- HTML ------------------------------------------------------------------ */

/* `s` with &, <, >, " and ' escaped. */
static void sp_esc(struct stats_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': stats_buf_puts(b, "&amp;"); break;
		case '<': stats_buf_puts(b, "&lt;"); break;
		case '>': stats_buf_puts(b, "&gt;"); break;
		case '"': stats_buf_puts(b, "&quot;"); break;
		case '\'': stats_buf_puts(b, "&#39;"); break;
		default: stats_buf_write(b, s, 1); break;
		}
	}
}

/* Seconds as HAProxy shows durations: "5s", "3m20s", "2h05m", "1d3h". */
static void sp_human(struct stats_buf *b, uint64_t s)
{
	if (s >= 86400)
		stats_buf_printf(b, "%llud%lluh", (unsigned long long)(s / 86400),
		                 (unsigned long long)(s / 3600 % 24));
	else if (s >= 3600)
		stats_buf_printf(b, "%lluh%02llum", (unsigned long long)(s / 3600),
		                 (unsigned long long)(s / 60 % 60));
	else if (s >= 60)
		stats_buf_printf(b, "%llum%02llus", (unsigned long long)(s / 60),
		                 (unsigned long long)(s % 60));
	else
		stats_buf_printf(b, "%llus", (unsigned long long)s);
}

static const char sp_style[] =
	"body{font-family:sans-serif;font-size:12px;color:#000;background:#fff}\n"
	"h1{font-size:x-large;margin-bottom:.4em}\n"
	"h2{font-size:large;color:#602090;margin:0}\n"
	"h3{font-size:14px;color:#a00040;background:#eeeed8;margin:0}\n"
	"table.px{border-collapse:collapse;margin-bottom:1em;width:100%}\n"
	"table.px td,table.px th{border:1px solid #888;padding:1px 3px;"
	"font-size:10px;white-space:nowrap}\n"
	"table.px td{text-align:right}\n"
	"table.px td.n,table.px td.s{text-align:center}\n"
	"th.pxname{background:#a00040;color:#ff4;text-align:left}\n"
	"th.desc{background:#fff;color:#000;text-align:left;font-weight:normal}\n"
	"tr.titre th{background:#20c8c8}\n"
	".frontend,.backend{background:#eeeed8}\n"
	".active_up{background:#c0ffc0}.backup_up{background:#b0d0ff}\n"
	".active_going_down{background:#ffffa0}.backup_going_down{background:#c060ff}\n"
	".active_going_up{background:#ffd020}.backup_going_up{background:#ff80ff}\n"
	".active_down,.backup_down{background:#ff9090}\n"
	".active_draining{background:#20a0ff}.backup_draining{background:#cc9900}\n"
	".active_no_check,.backup_no_check{background:#e0e0e0}\n"
	".maintain{background:#c07820}\n"
	"div.result{padding:4px;margin:6px 0;border:1px solid #888}\n"
	"table.lgd td{font-size:10px;padding:1px 4px}\n";

/* The legend of the row colours (show-legends). */
static void sp_legends(struct stats_buf *b)
{
	static const char *const lgd[][2] = {
		{ "active_up", "active UP" }, { "backup_up", "backup UP" },
		{ "active_going_down", "active UP, going down" },
		{ "backup_going_down", "backup UP, going down" },
		{ "active_going_up", "active DOWN, going up" },
		{ "backup_going_up", "backup DOWN, going up" },
		{ "active_down", "active or backup DOWN" },
		{ "active_no_check", "not checked" },
		{ "maintain", "DOWN for maintenance (MAINT)" },
		{ "active_draining", "active or backup DRAIN (no new connections)" },
	};

	stats_buf_puts(b, "<table class=\"lgd\">\n");
	for (size_t i = 0; i < sizeof(lgd) / sizeof(lgd[0]); i++)
		stats_buf_printf(b, "<tr><td class=\"%s\">&nbsp;&nbsp;</td><td>%s</td></tr>\n",
		                 lgd[i][0], lgd[i][1]);
	stats_buf_puts(b, "</table>\n");
}

/* The words of an admin result (";st=XXXX"), and its row colour. */
static void sp_result(struct stats_buf *b, const char *uri, const char *st)
{
	static const char *const res[][3] = {
		{ "DONE", "active_up", "Action processed successfully." },
		{ "PART", "active_going_down", "Action partially processed: some server names are unknown." },
		{ "NONE", "active_going_down", "Nothing has changed." },
		{ "DENY", "active_down", "Action denied." },
		{ "ERRP", "active_down", "Action not processed: invalid parameters (unknown or unsupported action, unknown backend, or no known server)." },
		{ "EXCD", "active_down", "Action not processed: the form is too large; retry with fewer servers at a time." },
	};
	const char *cls = "active_no_check", *msg = "Unexpected result.";

	if (!st[0])
		return;
	for (size_t i = 0; i < sizeof(res) / sizeof(res[0]); i++)
		if (!strcmp(st, res[i][0])) {
			cls = res[i][1];
			msg = res[i][2];
		}
	stats_buf_printf(b, "<div class=\"result %s\" id=\"result\" data-st=\"", cls);
	sp_esc(b, st);
	stats_buf_puts(b, "\"><a href=\"");
	sp_esc(b, uri);
	stats_buf_printf(b, "\" title=\"Remove this message\">[X]</a> %s</div>\n", msg);
}

/* Head, process information, options. */
static void sp_html_head(struct stats_buf *b, const struct stats_page_conf *c,
                         const struct stats_page_proc *pr,
                         const struct sp_opts *o, const char *uri,
                         const char *node)
{
	const char *nr = o->norefresh ? ";norefresh" : "";

	stats_buf_puts(b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
	               "<title>Statistics Report for cfgrun");
	if (c->flags & STATS_PAGE_F_SHOW_NODE) {
		stats_buf_puts(b, " on ");
		sp_esc(b, node);
	}
	stats_buf_printf(b, "</title>\n<style>\n%s</style>\n</head><body>\n", sp_style);
	if (c->flags & STATS_PAGE_F_HIDE_VERSION)
		stats_buf_puts(b, "<h1>cfgrun</h1>\n");
	else
		stats_buf_printf(b, "<h1>cfgrun version %s</h1>\n", PACKAGE_VERSION);
	stats_buf_printf(b, "<h2>Statistics Report for pid %d", pr->pid);
	if (c->flags & STATS_PAGE_F_SHOW_NODE) {
		stats_buf_puts(b, " on ");
		sp_esc(b, node);
	}
	if ((c->flags & STATS_PAGE_F_SHOW_DESC) && c->desc) {
		stats_buf_puts(b, ": ");
		sp_esc(b, c->desc);
	}
	stats_buf_puts(b, "</h2>\n<hr>\n<h3>&gt; General process information</h3>\n"
	               "<table><tr><td valign=\"top\"><p id=\"procinfo\">");
	stats_buf_printf(b, "<b>pid = </b>%d (nbthread = %u)<br>\n<b>uptime = </b>%llud %lluh%02llum%02llus<br>\n",
	                 pr->pid, pr->nthreads,
	                 (unsigned long long)(pr->uptime_s / 86400),
	                 (unsigned long long)(pr->uptime_s / 3600 % 24),
	                 (unsigned long long)(pr->uptime_s / 60 % 60),
	                 (unsigned long long)(pr->uptime_s % 60));
	stats_buf_printf(b, "<b>maxconn = </b>%u; <b>current conns = </b>%u; <b>total conns = </b>%llu<br>\n"
	                 "<b>plan generation = </b>%u%s</p></td>\n",
	                 pr->maxconn, pr->actconn, (unsigned long long)pr->cum_conn,
	                 pr->generation, pr->stopping ? "; <b>stopping</b>" : "");
	if (c->flags & STATS_PAGE_F_SHOW_LEGENDS) {
		stats_buf_puts(b, "<td valign=\"top\">");
		sp_legends(b);
		stats_buf_puts(b, "</td>\n");
	}
	stats_buf_puts(b, "<td valign=\"top\"><b>Display option:</b><ul>\n"
	               "<li><form method=\"GET\" action=\"");
	sp_esc(b, uri);
	stats_buf_puts(b, "\">Scope: <input name=\"scope\" size=\"8\" value=\"");
	sp_esc(b, o->scope);
	stats_buf_puts(b, "\"></form>\n");
#define SP_LINK(suffix, text) do { \
		stats_buf_puts(b, "<li><a href=\""); \
		sp_esc(b, uri); \
		stats_buf_puts(b, suffix); \
		stats_buf_puts(b, "\">" text "</a>\n"); \
	} while (0)
	if (o->filter.hide_down) {
		stats_buf_puts(b, "<li><a href=\"");
		sp_esc(b, uri);
		sp_esc(b, nr);
		stats_buf_puts(b, "\">Show all servers</a>\n");
	} else {
		stats_buf_puts(b, "<li><a href=\"");
		sp_esc(b, uri);
		stats_buf_printf(b, ";up%s\">Hide 'DOWN' servers</a>\n", nr);
	}
	if (c->refresh_s && !o->norefresh)
		SP_LINK(";norefresh", "Disable refresh");
	SP_LINK(o->norefresh ? ";norefresh" : "", "Refresh now");
	SP_LINK(";csv;norefresh", "CSV export");
#undef SP_LINK
	stats_buf_puts(b, "</ul></td></tr></table>\n");
	sp_result(b, uri, o->st);
}

/* The class of a server row from its state (HAProxy's colours). */
static const char *sp_srv_class(const struct runtime *rt, uint32_t s)
{
	const struct rt_server *rs = &rt->servers[s];
	int bck = (rt->plan->servers[s].flags & PLAN_SRV_F_BACKUP) != 0;
	const struct check *ck = rs->check;
	uint32_t full = rt->plan->servers[s].rise + rt->plan->servers[s].fall - 1;

	if (rs->admin == RT_ADMIN_MAINT)
		return "maintain";
	/* stopping (NOLB) takes no new connections either: drawn as DRAIN */
	if (rs->admin == RT_ADMIN_DRAIN || rs->op == RT_SRV_STOPPING)
		return bck ? "backup_draining" : "active_draining";
	if (!ck && rs->op == RT_SRV_DOWN)
		return bck ? "backup_down" : "active_down";
	if (!ck)
		return bck ? "backup_no_check" : "active_no_check";
	if (rs->op == RT_SRV_UP)
		return ck->health < full ? (bck ? "backup_going_down" : "active_going_down") :
		       (bck ? "backup_up" : "active_up");
	return ck->health > 0 ? (bck ? "backup_going_up" : "active_going_up") :
	       (bck ? "backup_down" : "active_down");
}

/* Rendering state of the HTML tables. */
struct sp_html {
	struct stats_buf *b;
	const struct runtime *rt;
	const char *uri;
	int admin;                  /* 1: forms and checkboxes */
	uint32_t cur;               /* proxy whose table is open, PLAN_NONE */
};

/* A cell holding column `col` of `r` ("" when empty). */
static void sp_td(struct stats_buf *b, const struct stats_row *r,
                  enum stats_col col)
{
	stats_buf_puts(b, "<td>");
	sp_esc(b, r->v[col] ? r->v[col] : "");
	stats_buf_puts(b, "</td>");
}

/* A cell with a duration in seconds from column `col` ("" when empty or
 * negative). */
static void sp_td_time(struct stats_buf *b, const struct stats_row *r,
                       enum stats_col col)
{
	const char *v = r->v[col];

	stats_buf_puts(b, "<td>");
	if (v && v[0] != '-')
		sp_human(b, strtoull(v, NULL, 10));
	stats_buf_puts(b, "</td>");
}

/* The proxy's title and the two header rows of its table. */
static void sp_table_head(struct sp_html *h, const struct runtime *rt,
                          uint32_t px)
{
	struct stats_buf *b = h->b;
	const struct plan_proxy *pp = &rt->plan->proxies[px];
	const char *name = plan_str_get(rt->plan, pp->name);
	int form = h->admin && (pp->cap & PLAN_CAP_BE) && pp->nservers;

	if (form) {
		stats_buf_puts(b, "<form method=\"post\" action=\"");
		sp_esc(b, h->uri);
		stats_buf_puts(b, "\">\n");
	}
	stats_buf_puts(b, "<table class=\"px\" data-proxy=\"");
	sp_esc(b, name);
	stats_buf_puts(b, "\">\n<tr><th class=\"pxname\" colspan=\"34\"><a name=\"");
	sp_esc(b, name);
	stats_buf_puts(b, "\"></a>");
	sp_esc(b, name);
	stats_buf_printf(b, " <small>(%s%s%s, mode %s, id %u)</small></th></tr>\n",
	                 (pp->cap & PLAN_CAP_FE) ? "frontend" : "",
	                 (pp->cap & PLAN_CAP_FE) && (pp->cap & PLAN_CAP_BE) ? "+" : "",
	                 (pp->cap & PLAN_CAP_BE) ? "backend" : "",
	                 pp->mode == PLAN_MODE_HTTP ? "http" : "tcp", px + 1);
	if (pp->description.len) {
		/* the proxy's `description`, under its name as in HAProxy */
		stats_buf_puts(b, "<tr><th class=\"desc\" colspan=\"34\">");
		sp_esc(b, plan_str_get(rt->plan, pp->description));
		stats_buf_puts(b, "</th></tr>\n");
	}
	stats_buf_puts(b, "<tr class=\"titre\"><th rowspan=\"2\">");
	if (form)
		stats_buf_puts(b, "<input type=\"checkbox\" title=\"all\" onclick=\"var c=this.form.elements['s'];"
		               "if(c){if(c.length===undefined)c=[c];for(var i=0;i<c.length;i++)c[i].checked=this.checked;}\">");
	stats_buf_puts(b, "</th><th rowspan=\"2\"></th>"
	               "<th colspan=\"3\">Queue</th><th colspan=\"3\">Session rate</th>"
	               "<th colspan=\"6\">Sessions</th><th colspan=\"2\">Bytes</th>"
	               "<th colspan=\"2\">Denied</th><th colspan=\"3\">Errors</th>"
	               "<th colspan=\"2\">Warnings</th><th colspan=\"9\">Server</th>"
	               "<th colspan=\"2\">MPTCP</th></tr>\n<tr class=\"titre\">"
	               "<th>Cur</th><th>Max</th><th>Limit</th>"
	               "<th>Cur</th><th>Max</th><th>Limit</th>"
	               "<th>Cur</th><th>Max</th><th>Limit</th><th>Total</th><th>LbTot</th><th>Last</th>"
	               "<th>In</th><th>Out</th><th>Req</th><th>Resp</th>"
	               "<th>Req</th><th>Conn</th><th>Resp</th><th>Retr</th><th>Redis</th>"
	               "<th>Status</th><th>LastChk</th><th>Wght</th><th>Act</th><th>Bck</th>"
	               "<th>Chk</th><th>Dwn</th><th>Dwntme</th><th>Thrtle</th>"
	               "<th>Conn</th><th>Fallback</th></tr>\n");
}

/* The admin form's end after backend `px`'s table. */
static void sp_table_foot(struct sp_html *h, const struct runtime *rt,
                          uint32_t px)
{
	struct stats_buf *b = h->b;
	const struct plan_proxy *pp = &rt->plan->proxies[px];

	stats_buf_puts(b, "</table>\n");
	if (!(h->admin && (pp->cap & PLAN_CAP_BE) && pp->nservers))
		return;
	stats_buf_printf(b, "Action on the checked servers: <select name=\"action\">"
	                 "<option value=\"\"></option>"
	                 "<option value=\"ready\">Set state to READY</option>"
	                 "<option value=\"drain\">Set state to DRAIN</option>"
	                 "<option value=\"maint\">Set state to MAINT</option>"
	                 "</select><input type=\"hidden\" name=\"b\" value=\"#%u\">"
	                 " <input type=\"submit\" value=\"Apply\"></form>\n", px + 1);
}

/* Open the table of proxy `px` when its first row comes, closing the one
 * before. */
static void sp_table_switch(struct sp_html *h, uint32_t px)
{
	if (h->cur == px)
		return;
	if (h->cur != PLAN_NONE)
		sp_table_foot(h, h->rt, h->cur);
	h->cur = px;
	if (px != PLAN_NONE)
		sp_table_head(h, h->rt, px);
}

/* The Server group of a frontend, backend or server row. */
static void sp_server_cells(struct stats_buf *b, const struct stats_row *r)
{
	const char *st = r->v[STC_STATUS] ? r->v[STC_STATUS] : "";

	if (r->kind == STATS_ROW_FRONTEND) {
		stats_buf_puts(b, "<td class=\"s\">");
		sp_esc(b, st);
		stats_buf_puts(b, "</td><td colspan=\"8\"></td>");
		return;
	}
	/* Status: time in this state (checked servers and backends), then
	 * the state */
	stats_buf_puts(b, "<td class=\"s\">");
	if (r->v[STC_LASTCHG] && (r->kind == STATS_ROW_BACKEND ||
	                          (r->v[STC_CHECK_STATUS] && r->v[STC_CHECK_STATUS][0]))) {
		sp_human(b, strtoull(r->v[STC_LASTCHG], NULL, 10));
		stats_buf_puts(b, " ");
	}
	sp_esc(b, st);
	stats_buf_puts(b, "</td>");
	/* LastChk: result and duration, the reason as a tooltip */
	if (r->v[STC_CHECK_STATUS] && r->v[STC_CHECK_STATUS][0]) {
		stats_buf_puts(b, "<td class=\"s\" title=\"");
		sp_esc(b, r->v[STC_CHECK_DESC]);
		if (r->v[STC_LAST_CHK] && r->v[STC_LAST_CHK][0]) {
			stats_buf_puts(b, ": ");
			sp_esc(b, r->v[STC_LAST_CHK]);
		}
		stats_buf_puts(b, "\">");
		sp_esc(b, r->v[STC_CHECK_STATUS]);
		if (r->v[STC_CHECK_CODE]) {
			stats_buf_puts(b, "/");
			sp_esc(b, r->v[STC_CHECK_CODE]);
		}
		if (r->v[STC_CHECK_DURATION]) {
			stats_buf_puts(b, " in ");
			sp_esc(b, r->v[STC_CHECK_DURATION]);
			stats_buf_puts(b, "ms");
		}
		stats_buf_puts(b, "</td>");
	} else {
		stats_buf_puts(b, "<td></td>");
	}
	sp_td(b, r, STC_WEIGHT);
	if (r->kind == STATS_ROW_SERVER) {
		stats_buf_printf(b, "<td class=\"s\">%s</td><td class=\"s\">%s</td>",
		                 r->v[STC_ACT] && !strcmp(r->v[STC_ACT], "1") ? "Y" : "-",
		                 r->v[STC_BCK] && !strcmp(r->v[STC_BCK], "1") ? "Y" : "-");
	} else {
		sp_td(b, r, STC_ACT);
		sp_td(b, r, STC_BCK);
	}
	sp_td(b, r, STC_CHKFAIL);
	sp_td(b, r, STC_CHKDOWN);
	sp_td_time(b, r, STC_DOWNTIME);
	stats_buf_puts(b, r->kind == STATS_ROW_SERVER ? "<td>-</td>" : "<td></td>");
}

/* The columns between Queue and Server, in the table's order. */
static const enum stats_col sp_cols[] = {
	STC_RATE, STC_RATE_MAX, STC_RATE_LIM,
	STC_SCUR, STC_SMAX, STC_SLIM, STC_STOT, STC_LBTOT, STC_LASTSESS,
	STC_BIN, STC_BOUT, STC_DREQ, STC_DRESP,
	STC_EREQ, STC_ECON, STC_ERESP, STC_WRETR, STC_WREDIS,
};

/* One row of the current proxy's table (under the generation's lock). */
static void sp_html_row(void *arg, const struct stats_row *r)
{
	struct sp_html *h = arg;
	struct stats_buf *b = h->b;
	const char *pxname = r->v[STC_PXNAME] ? r->v[STC_PXNAME] : "";

	sp_table_switch(h, r->proxy);
	if (r->kind == STATS_ROW_SERVER) {
		const char *sv = r->v[STC_SVNAME] ? r->v[STC_SVNAME] : "";

		stats_buf_printf(b, "<tr class=\"%s\" data-server=\"",
		                 sp_srv_class(h->rt, r->server));
		sp_esc(b, sv);
		stats_buf_puts(b, "\"><td class=\"n\">");
		if (h->admin) {
			stats_buf_puts(b, "<input type=\"checkbox\" name=\"s\" value=\"");
			sp_esc(b, sv);
			stats_buf_puts(b, "\">");
		}
		stats_buf_puts(b, "</td><td class=\"n\" title=\"");
		sp_esc(b, r->v[STC_ADDR]);
		stats_buf_puts(b, "\"><a name=\"");
		sp_esc(b, pxname);
		stats_buf_puts(b, "/");
		sp_esc(b, sv);
		stats_buf_puts(b, "\"></a>");
		sp_esc(b, sv);
		stats_buf_puts(b, "</td>");
	} else {
		const char *what = r->kind == STATS_ROW_FRONTEND ? "Frontend" : "Backend";

		stats_buf_printf(b, "<tr class=\"%s\" data-server=\"%s\"><td></td><td class=\"n\">%s</td>",
		                 r->kind == STATS_ROW_FRONTEND ? "frontend" : "backend",
		                 r->kind == STATS_ROW_FRONTEND ? "FRONTEND" : "BACKEND",
		                 what);
	}
	/* Queue */
	if (r->kind == STATS_ROW_FRONTEND) {
		stats_buf_puts(b, "<td colspan=\"3\"></td>");
	} else {
		sp_td(b, r, STC_QCUR);
		sp_td(b, r, STC_QMAX);
		sp_td(b, r, STC_QLIMIT);
	}
	/* Session rate, Sessions, Bytes, Denied, Errors, Warnings */
	for (size_t i = 0; i < sizeof(sp_cols) / sizeof(sp_cols[0]); i++) {
		if (sp_cols[i] == STC_LASTSESS)
			sp_td_time(b, r, sp_cols[i]);
		else
			sp_td(b, r, sp_cols[i]);
	}
	sp_server_cells(b, r);
	/* MPTCP */
	sp_td(b, r, STC_MPTCP_CONN);
	sp_td(b, r, STC_MPTCP_FALLBACK);
	stats_buf_puts(b, "</tr>\n");
}

/* ---- admin ----------------------------------------------------------------- */

/* Admin changes handed to thread 0 by another thread. */
struct sp_job {
	struct sp_job *next;
	uint32_t generation;        /* generation asked for */
	enum rt_srv_admin state;
	uint32_t n;                 /* servers */
	uint32_t srv[];             /* plan server indices */
};

static pthread_mutex_t sp_jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sp_job *sp_jobs;      /* oldest first */

/* Set the admin state of servers `srv` of `rt`, as the stats socket's
 * `set server ... state` does. Thread 0. */
static void sp_apply(struct runtime *rt, const uint32_t *srv, uint32_t n,
                     enum rt_srv_admin st)
{
	gen_lock(rt);
	for (uint32_t i = 0; i < n; i++)
		(void)server_set_admin_state(rt, srv[i], st);
	gen_unlock(rt);
}

void stats_page_admin_run(struct ops *ops)
{
	struct sp_job *j;

	pthread_mutex_lock(&sp_jobs_lock);
	j = sp_jobs;
	sp_jobs = NULL;
	pthread_mutex_unlock(&sp_jobs_lock);
	while (j) {
		struct sp_job *next = j->next;

		if (ops->cur && ops->cur->generation == j->generation)
			sp_apply(ops->cur, j->srv, j->n, j->state);
		else
			log_error("stats page: admin change for plan generation %u dropped: generation %u serves now",
			          j->generation, ops->cur ? ops->cur->generation : 0);
		free(j);
		j = next;
	}
}

/* Apply now on thread 0, or hand over to it. 0, or -1 out of memory. */
static int sp_admin_apply(const struct ops *ops, struct runtime *rt,
                          const uint32_t *srv, uint32_t n, enum rt_srv_admin st)
{
	struct sp_job *j, **pp;

	if (!ops || !thread_self || thread_self->id == 0) {
		sp_apply(rt, srv, n, st);
		return 0;
	}
	j = malloc(sizeof(*j) + n * sizeof(j->srv[0]));
	if (!j)
		return -1;
	j->next = NULL;
	j->generation = rt->generation;
	j->state = st;
	j->n = n;
	memcpy(j->srv, srv, n * sizeof(j->srv[0]));
	pthread_mutex_lock(&sp_jobs_lock);
	for (pp = &sp_jobs; *pp; pp = &(*pp)->next)
		;
	*pp = j;
	pthread_mutex_unlock(&sp_jobs_lock);
	inbox_post(&ops->threads[0], THR_MSG_ADMIN);
	return 0;
}

/* The backend named by the form's `b`: "#<id>" (the page's) or a name. */
static uint32_t sp_backend_arg(const struct plan *p, const char *b)
{
	uint32_t px = PLAN_NONE;

	if (b[0] == '#') {
		char *end;
		unsigned long id = strtoul(b + 1, &end, 10);

		if (end != b + 1 && !*end && id >= 1 && id <= p->nproxies)
			px = (uint32_t)id - 1;
	} else {
		px = sp_proxy_find(p, b);
	}
	return px != PLAN_NONE && (p->proxies[px].cap & PLAN_CAP_BE) ? px : PLAN_NONE;
}

/*
 * An admin form: "s=NAME" (any number), "action=ready|drain|maint",
 * "b=#IID". Returns HAProxy's result code: DONE (every server changed),
 * PART (some names unknown), NONE (no server checked), DENY (no admin
 * right), ERRP (bad action or backend, or no known server), EXCD (form
 * too large), UNKN (out of memory).
 */
static const char *sp_admin_post(const struct ops *ops, struct runtime *rt,
                                 const struct stats_page_conf *c,
                                 const struct stats_page_req *rq)
{
	static const char *const actions[] = { "ready", "maint", "drain" };
	const struct plan *p = rt->plan;
	const char *body = rq->body ? rq->body : "";
	size_t len = rq->body ? rq->body_len : 0, pos = 0;
	char key[SP_TOKEN_MAX], val[SP_TOKEN_MAX], bk[SP_TOKEN_MAX] = "";
	int st = -1, acted = 0;
	uint32_t px, given = 0, known = 0, *srv;
	const char *res;

	if (!(c->flags & STATS_PAGE_F_ADMIN))
		return "DENY";
	if (len > STATS_PAGE_POST_MAX)
		return "EXCD";
	while (stats_page_next_param(body, len, '&', &pos, key, sizeof(key), val,
	                             sizeof(val))) {
		if (!strcmp(key, "action")) {
			acted = 1;
			for (int i = 0; i < 3; i++)
				if (!strcmp(val, actions[i]))
					st = i;   /* enum rt_srv_admin order */
		} else if (!strcmp(key, "b")) {
			snprintf(bk, sizeof(bk), "%s", val);
		} else if (!strcmp(key, "s")) {
			given++;
		}
	}
	px = sp_backend_arg(p, bk);
	if (!acted || st < 0 || px == PLAN_NONE)
		return "ERRP";
	if (!given)
		return "NONE";
	srv = malloc(given * sizeof(*srv));
	if (!srv)
		return "UNKN";
	pos = 0;
	while (stats_page_next_param(body, len, '&', &pos, key, sizeof(key), val,
	                             sizeof(val))) {
		uint32_t s;

		if (strcmp(key, "s") != 0)
			continue;
		s = server_find(rt, plan_str_get(p, p->proxies[px].name), val);
		if (s != PLAN_NONE)
			srv[known++] = s;
	}
	if (!known)
		res = "ERRP";
	else if (sp_admin_apply(ops, rt, srv, known, (enum rt_srv_admin)st) < 0)
		res = "UNKN";
	else
		res = known < given ? "PART" : "DONE";
	free(srv);
	return res;
}

/* ---- the page -------------------------------------------------------------- */

int stats_page_serve(const struct ops *ops, struct runtime *rt,
                     const struct stats_page_conf *c,
                     const struct stats_page_req *rq,
                     struct stats_page_out *out)
{
	const char *uri = c->uri && c->uri[0] ? c->uri : SP_DEFAULT_URI;
	struct stats_page_proc pr;
	struct stats_buf b;
	struct sp_opts o;
	char host[256];
	const char *node = c->node;

	memset(out, 0, sizeof(*out));
	sp_opts_parse(rq, rt->plan, &o);
	o.filter.scopes = c->scopes;
	o.filter.self = c->proxy;
	if (rq->is_post) {
		const char *res = sp_admin_post(ops, rt, c, rq);
		int n = snprintf(out->extra_hdrs, sizeof(out->extra_hdrs),
		                 "Location: %s;st=%s\r\n", uri, res);

		if (n < 0 || (size_t)n >= sizeof(out->extra_hdrs) ||
		    strpbrk(uri, "\r\n"))
			snprintf(out->extra_hdrs, sizeof(out->extra_hdrs),
			         "Location: /;st=%s\r\n", res);
		out->status = 303;
		out->content_type = "text/plain";
		return 0;
	}
	stats_page_proc_get(ops, rt, &pr);
	stats_buf_init(&b, STATS_PAGE_BODY_MAX);
	if (o.csv) {
		stats_csv_dump(&b, rt, pr.stopping, &o.filter);
		return stats_page_finish(out, 200, "text/plain", &b);
	}
	if (c->refresh_s && !o.norefresh)
		snprintf(out->extra_hdrs, sizeof(out->extra_hdrs), "Refresh: %u\r\n",
		         c->refresh_s);
	if (!node) {
		if (gethostname(host, sizeof(host)) < 0)
			host[0] = '\0';
		host[sizeof(host) - 1] = '\0';
		node = host;
	}
	sp_html_head(&b, c, &pr, &o, uri, node);
	{
		struct sp_html h = {
			.b = &b, .rt = rt, .uri = uri, .cur = PLAN_NONE,
			.admin = (c->flags & STATS_PAGE_F_ADMIN) != 0,
		};

		stats_rows_each(rt, pr.stopping, &o.filter, sp_html_row, &h);
		sp_table_switch(&h, PLAN_NONE);
	}
	stats_buf_puts(&b, "</body></html>\n");
	return stats_page_finish(out, 200, "text/html; charset=utf-8", &b);
}

/* ---- authentication -------------------------------------------------------- */

int stats_page_auth_ok(const char *value, size_t len, const char *users,
                       const char **user_out, size_t *user_len)
{
	uint8_t dec[768];
	size_t declen, b64len;
	const uint8_t *colon;
	const char *line;

	while (len && (*value == ' ' || *value == '\t')) {
		value++;
		len--;
	}
	if (len < 6 || strncasecmp(value, "Basic", 5) != 0 ||
	    (value[5] != ' ' && value[5] != '\t'))
		return 0;
	value += 6;
	len -= 6;
	while (len && (*value == ' ' || *value == '\t')) {
		value++;
		len--;
	}
	for (b64len = len; b64len && (value[b64len - 1] == ' ' ||
	                              value[b64len - 1] == '\t'); b64len--)
		;
	if (!b64len || !users ||
	    !EVP_DecodeBase64(dec, &declen, sizeof(dec), (const uint8_t *)value,
	                      b64len))
		return 0;
	colon = memchr(dec, ':', declen);
	if (!colon)
		return 0;
	for (line = users; *line; ) {
		const char *end = strchr(line, '\n');
		size_t llen = end ? (size_t)(end - line) : strlen(line);
		const char *sep = memchr(line, ':', llen);
		size_t ulen = (size_t)(colon - dec);
		size_t plen = declen - ulen - 1;

		if (sep && (size_t)(sep - line) == ulen &&
		    !memcmp(line, dec, ulen) &&
		    llen - ulen - 1 == plen &&
		    !CRYPTO_memcmp(sep + 1, colon + 1, plen)) {
			if (user_out)
				*user_out = line;
			if (user_len)
				*user_len = ulen;
			return 1;
		}
		line += llen + (end ? 1 : 0);
	}
	return 0;
}

int stats_page_unauthorized(const char *realm, struct stats_page_out *out)
{
	static const char msg[] =
		"<html><body><h1>401 Unauthorized</h1>\n"
		"A valid user and password are needed to see this page.\n"
		"</body></html>\n";
	size_t n, room;

	memset(out, 0, sizeof(*out));
	out->status = 401;
	out->content_type = "text/html";
	n = (size_t)snprintf(out->extra_hdrs, sizeof(out->extra_hdrs),
	                     "WWW-Authenticate: Basic realm=\"");
	/* the realm as a quoted-string: '"' and '\' escaped, no line ends;
	 * cut to fit the header room */
	room = sizeof(out->extra_hdrs) - 4;
	for (const char *r = realm ? realm : "HAProxy Statistics"; *r && n < room; r++) {
		if (*r == '\r' || *r == '\n')
			continue;
		if ((*r == '"' || *r == '\\') && n + 1 < room)
			out->extra_hdrs[n++] = '\\';
		else if (*r == '"' || *r == '\\')
			break;
		out->extra_hdrs[n++] = *r;
	}
	memcpy(out->extra_hdrs + n, "\"\r\n", 4);
	out->body = strdup(msg);
	if (!out->body)
		return -1;
	out->len = sizeof(msg) - 1;
	out->cap = sizeof(msg);
	return 0;
}
