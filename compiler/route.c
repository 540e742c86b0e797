/*
 * route.c: `cfgc --route`: a request described on the command line goes
 * through a plan's HTTP rules offline, by the code cfgrun runs on every
 * request head: the head text is parsed by cfgrun's HTTP/1 parser
 * (h1_parse_head), the rules, the backend choice and the proxy's own
 * header edits are cfgrun's (http_route_request(), http_req_proxy_edits()
 * and what they call), and a tracer on the request view prints each rule
 * as its condition is evaluated. Nothing here decides a match.
 *
 * The generation around the plan is a fresh one, as cfgrun has it right
 * after it starts: every server up unless `disabled`, stick tables empty,
 * no variables from earlier requests, maps as the plan holds them.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ssl.h>

#include "balance.h"
#include "conn-t.h"
#include "dump.h"
#include "h1.h"
#include "http_conf.h"
#include "http_head.h"
#include "http_rules.h"
#include "http_txn-t.h"
#include "http_vars.h"
#include "route.h"
#include "runtime-t.h"
#include "server.h"
#include "stktable.h"
#include "stream-t.h"
#include "xprt_ssl.h"

#define ROUTE_HEAD_MAX 16384u       /* bytes of the head text built */
#define ROUTE_DEFAULT_SRC "127.0.0.1:50000"
#define ROUTE_END_MONITOR 100u     /* beside enum http_route_end: the
                                       monitor-uri answered first */

/* One run: the generation, the request and what the tracer needs. */
struct route_run {
	const struct plan *p;
	struct runtime rt;
	struct stk_ctrs ctrs;
	struct http_vars *vars;
	struct sockaddr_storage cli, dst;
	int has_dst;
	struct conn conn;           /* the client connection (TLS fetches) */
	SSL_CTX *ssl_ctx;
	char head[ROUTE_HEAD_MAX];
	struct h1_hdr hdrs[HTTP_MAX_HDRS];
	struct h1_msg m;
	char arena[HTTP_MAXREWRITE];
	uint8_t del[HTTP_MAX_HDRS];
	struct http_edits edits;
	FILE *out;
	uint32_t switch_line;       /* line of the use_backend that held last,
	                               0: none did */
	uint32_t switch_be;         /* its backend, PLAN_NONE: named at run
	                               time (%[...]) */
};

static void route_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void route_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* "IP[:PORT]" or "[IPv6]:PORT" (or a bare IPv6) into ss. 0 or -1. */
static int route_parse_addr(const char *s, struct sockaddr_storage *ss)
{
	char ip[INET6_ADDRSTRLEN + 2];
	const char *colon = strrchr(s, ':'), *port = NULL;
	size_t n;
	long pn = 0;

	memset(ss, 0, sizeof(*ss));
	if (s[0] == '[') {
		const char *end = strchr(s, ']');

		if (!end || (end[1] && end[1] != ':'))
			return -1;
		n = (size_t)(end - s - 1);
		if (n >= sizeof(ip))
			return -1;
		memcpy(ip, s + 1, n);
		ip[n] = '\0';
		port = end[1] ? end + 2 : NULL;
	} else if (colon && strchr(s, ':') == colon) {
		n = (size_t)(colon - s);
		if (n >= sizeof(ip))
			return -1;
		memcpy(ip, s, n);
		ip[n] = '\0';
		port = colon + 1;
	} else {
		if (strlen(s) >= sizeof(ip))
			return -1;
		strcpy(ip, s);
	}
	if (port) {
		char *end;

		pn = strtol(port, &end, 10);
		if (!*port || *end || pn < 0 || pn > 65535)
			return -1;
	}
	if (inet_pton(AF_INET, ip, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		ss->ss_family = AF_INET;
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)pn);
		return 0;
	}
	if (inet_pton(AF_INET6, ip, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		ss->ss_family = AF_INET6;
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)pn);
		return 0;
	}
	return -1;
}

/* 1 when header line `h` ("Name: value") is named `name` (any case). */
static int route_hdr_is(const char *h, const char *name)
{
	size_t n = strlen(name);

	return !strncasecmp(h, name, n) && h[n] == ':';
}

/* Append printf text to the head; -1 when it does not fit. */
static int route_put(struct route_run *r, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int route_put(struct route_run *r, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(r->head + *len, sizeof(r->head) - *len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(r->head) - *len)
		return -1;
	*len += (size_t)n;
	return 0;
}

/*
 * The head text of rq as a client sends it: the request line in origin
 * form, Host from the URL's authority unless a -H line gives one, the -H
 * lines, the blank line. *tls set for an https:// URL, whose host is
 * copied to sni[0..snilen). Returns the length, 0 with err set.
 */
static size_t route_build_head(struct route_run *r, const struct route_req *rq,
                               int *tls, char *sni, size_t snilen, char *err,
                               size_t errlen)
{
	char meth[32], url[8192], ver[16] = "HTTP/1.1", extra[2];
	const char *path, *auth = NULL;
	size_t alen = 0, len = 0;
	int host_given = 0;

	*tls = 0;
	if (strpbrk(rq->request, "\r\n") ||
	    sscanf(rq->request, "%31s %8191s %15s %1s", meth, url, ver, extra) < 2) {
		route_err(err, errlen, "the request must be 'METHOD URL [HTTP/1.x]' "
		          "on one line, found '%s'", rq->request);
		return 0;
	}
	url[strcspn(url, "#")] = '\0';    /* a fragment is never sent */
	path = url;
	if (!strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8)) {
		*tls = url[4] == 's' || url[4] == 'S';
		auth = url + (*tls ? 8 : 7);
		alen = strcspn(auth, "/?#");
		path = auth + alen;
		if (!alen) {
			route_err(err, errlen, "the URL '%s' has no host", url);
			return 0;
		}
		if (*tls && auth[0] != '[') {
			/* a host name is sent as SNI, an IP literal is not */
			size_t h = strcspn(auth, ":/?#");
			struct in_addr a4;

			if (h > alen)
				h = alen;
			snprintf(sni, snilen, "%.*s", (int)h, auth);
			if (inet_pton(AF_INET, sni, &a4) == 1)
				sni[0] = '\0';
		}
	} else if (url[0] != '/' && strcmp(url, "*")) {
		route_err(err, errlen, "the URL must start with http://, https:// "
		          "or '/', found '%s'", url);
		return 0;
	}
	for (uint32_t i = 0; i < rq->nhdrs; i++) {
		if (strpbrk(rq->hdrs[i], "\r\n") || !strchr(rq->hdrs[i], ':')) {
			route_err(err, errlen, "a header must be 'Name: value' on one "
			          "line, found '%s'", rq->hdrs[i]);
			return 0;
		}
		host_given |= route_hdr_is(rq->hdrs[i], "host");
	}
	if (route_put(r, &len, "%s %s%s %s\r\n", meth,
	              path[0] == '/' || !strcmp(path, "*") ? "" : "/", path,
	              ver) < 0)
		goto big;
	if (auth && !host_given &&
	    route_put(r, &len, "Host: %.*s\r\n", (int)alen, auth) < 0)
		goto big;
	for (uint32_t i = 0; i < rq->nhdrs; i++)
		if (route_put(r, &len, "%s\r\n", rq->hdrs[i]) < 0)
			goto big;
	if (route_put(r, &len, "\r\n") < 0)
		goto big;
	return len;
big:
	route_err(err, errlen, "the request head is longer than %u bytes",
	          ROUTE_HEAD_MAX);
	return 0;
}

/* The frontend rq names, else the first HTTP one; PLAN_NONE with err. */
static uint32_t route_frontend(const struct plan *p, const char *name,
                               char *err, size_t errlen)
{
	for (uint32_t i = 0; i < p->nproxies; i++) {
		const struct plan_proxy *px = &p->proxies[i];

		if (!(px->cap & PLAN_CAP_FE))
			continue;
		if (name && strcmp(plan_str_get(p, px->name), name))
			continue;
		if (px->mode == PLAN_MODE_HTTP)
			return i;
		if (name) {
			route_err(err, errlen, "frontend '%s' is not in HTTP mode",
			          name);
			return PLAN_NONE;
		}
	}
	if (name)
		route_err(err, errlen, "the plan has no frontend named '%s'", name);
	else
		route_err(err, errlen, "the plan has no HTTP frontend");
	return PLAN_NONE;
}

/* The tracer: one line per rule whose condition was evaluated. */
static void route_trace(void *arg, uint32_t list, uint32_t rule, int held)
{
	struct route_run *r = arg;
	const struct plan *p = r->p;
	uint32_t line, proxy;

	if (list == HTTP_TRACE_HTTP) {
		line = p->http_rules[rule].line;
		proxy = p->http_rules[rule].proxy;
	} else {
		line = p->rules[rule].line;
		proxy = p->rules[rule].proxy;
		if (list == HTTP_TRACE_SWITCH && held) {
			r->switch_line = line;
			r->switch_be = p->rules[rule].backend;
		}
	}
	fprintf(r->out, "  %-5s %-10s line %-4u ", held ? "match" : "no",
	        plan_str_get(p, p->proxies[proxy].name), line);
	if (list == HTTP_TRACE_HTTP)
		dump_http_rule(p, &p->http_rules[rule], r->out);
	else
		dump_rule(p, &p->rules[rule], r->out);
	fputc('\n', r->out);
}

/* The generation cfgrun would have right after starting on plan p. */
static int route_gen(struct route_run *r, char *err, size_t errlen)
{
	struct runtime *rt = &r->rt;

	rt->plan = (struct plan *)r->p;
	if (http_plan_runnable(r->p, err, errlen) < 0 ||
	    http_rules_gen_init(rt, err, errlen) < 0 ||
	    stk_gen_init(rt, NULL, err, errlen) < 0)
		return -1;
	rt->proxies = calloc(r->p->nproxies ? r->p->nproxies : 1,
	                     sizeof(*rt->proxies));
	rt->servers = calloc(r->p->nservers ? r->p->nservers : 1,
	                     sizeof(*rt->servers));
	if (!rt->proxies || !rt->servers) {
		route_err(err, errlen, "out of memory");
		return -1;
	}
	server_init_all(rt);
	if (balance_init(rt, 1) < 0) {
		route_err(err, errlen, "out of memory for the balancing state");
		return -1;
	}
	return 0;
}

static void route_gen_free(struct route_run *r)
{
	stk_release(&r->ctrs, 0);
	free(r->vars);
	if (r->rt.proxies)
		balance_free(&r->rt);
	free(r->rt.proxies);
	free(r->rt.servers);
	stk_gen_free(&r->rt);
	http_rules_gen_free(&r->rt);
	if (r->conn.ctx)
		SSL_free(r->conn.ctx);
	SSL_CTX_free(r->ssl_ctx);
}

/* A client connection whose TLS fetches see server name `sni`: an SSL
 * object that never handshakes (ssl_fc true, ssl_fc_sni the name). */
static int route_tls(struct route_run *r, const char *sni, char *err,
                     size_t errlen)
{
	SSL *ssl;

	r->ssl_ctx = SSL_CTX_new(TLS_method());
	ssl = r->ssl_ctx ? SSL_new(r->ssl_ctx) : NULL;
	if (!ssl || (sni[0] && !SSL_set_tlsext_host_name(ssl, sni))) {
		SSL_free(ssl);
		route_err(err, errlen, "cannot set up the TLS fetches for '%s'",
		          sni);
		return -1;
	}
	r->conn.fd = -1;
	r->conn.xprt = &xprt_ssl;
	r->conn.ctx = ssl;
	return 0;
}

/* The servers of backend be as its balancing would see them now. */
static void route_servers(struct route_run *r, uint32_t be)
{
	const struct plan *p = r->p;
	const struct plan_proxy *px = &p->proxies[be];
	int any = 0, active = 0;

	for (uint32_t i = px->first_server; i < px->first_server + px->nservers;
	     i++)
		active |= !(p->servers[i].flags & PLAN_SRV_F_BACKUP) &&
		          balance_srv_in_pool(&r->rt, i);

	fputs("servers:", r->out);
	for (uint32_t i = px->first_server; i < px->first_server + px->nservers;
	     i++) {
		const struct plan_server *ps = &p->servers[i];
		const char *why = NULL;

		if (balance_srv_in_pool(&r->rt, i)) {
			fprintf(r->out, " %s%s", plan_str_get(p, ps->name),
			        (ps->flags & PLAN_SRV_F_BACKUP) ? " (backup)" : "");
			any = 1;
			continue;
		}
		if (ps->flags & PLAN_SRV_F_DISABLED)
			why = "disabled";
		else if (!ps->weight)
			why = "weight 0";
		else if ((ps->flags & PLAN_SRV_F_BACKUP) && active)
			why = "backup, active servers up";
		else if (ps->flags & PLAN_SRV_F_BACKUP)
			why = "backup, only the first serves without "
			      "option allbackups";
		else
			why = "not usable";
		fprintf(r->out, " [%s: %s]", plan_str_get(p, ps->name), why);
	}
	if (!any)
		fputs(" none eligible (cfgrun answers 503)", r->out);
	fputc('\n', r->out);
}

/* Print a head's lines indented, into out; keep a copy in *copy. */
static int route_show_head(FILE *out, const char *h, size_t n, char **copy)
{
	*copy = malloc(n + 1);
	if (!*copy)
		return -1;
	memcpy(*copy, h, n);
	(*copy)[n] = '\0';
	for (const char *l = *copy; *l && strncmp(l, "\r\n", 2);) {
		const char *e = strstr(l, "\r\n");

		if (!e)
			break;
		fprintf(out, "  %.*s\n", (int)(e - l), l);
		l = e + 2;
	}
	return 0;
}

/* The status of the local reply a route end gives, and its kind. */
static unsigned route_status(uint32_t end, const struct http_verdict *v,
                             const char **what)
{
	if (end == HTTP_ROUTE_NO_BACKEND) {
		*what = "no backend";
		return 503;
	}
	if (end == ROUTE_END_MONITOR) {
		*what = "monitor-uri, before any rule";
		return 200;
	}
	switch (v->kind) {
	case HTTP_VERDICT_AUTH:
		*what = "auth";
		return 401;
	case HTTP_VERDICT_SERVICE:
		*what = "use-service";
		return 200;
	case HTTP_VERDICT_ERROR:
		*what = "rewrite overflow";
		return 500;
	default:
		*what = v->kind == HTTP_VERDICT_DENY ? "deny" :
		        v->kind == HTTP_VERDICT_TARPIT ? "tarpit" :
		        v->kind == HTTP_VERDICT_REDIRECT ? "redirect" : "return";
		return v->status;
	}
}

/* The local reply of verdict v: status line, Location, the rule's header
 * lines (a final rule leaves only the reply's lines in the edits); the
 * lines cfgrun adds to every reply of its own (Content-Length, Connection,
 * Cache-Control) are not shown. */
static int route_reply(struct route_run *r, uint32_t end,
                       const struct http_verdict *v, struct route_result *res)
{
	const struct http_edits *e = &r->edits;
	int rule = end == HTTP_ROUTE_FE_VERDICT || end == HTTP_ROUTE_BE_VERDICT;
	size_t cap = 128, n = 0;
	const char *what;
	char *h;

	res->outcome = ROUTE_REPLY;
	res->status = route_status(end, v, &what);
	fprintf(r->out, "result: local reply %u %s (%s)\n", res->status,
	        http_reason(res->status), what);
	for (uint32_t i = 0; rule && i < e->nadd; i++)
		cap += e->add[i].name_len + e->add[i].val_len + 4;
	if (rule && v->kind == HTTP_VERDICT_REDIRECT)
		cap += v->location.len + 12;
	if (rule && v->kind == HTTP_VERDICT_AUTH)
		cap += v->body.len + 48;
	if (!(h = malloc(cap)))
		return -1;
	n += (size_t)sprintf(h, "HTTP/1.1 %u %s\r\n", res->status,
	                     http_reason(res->status));
	if (rule && v->kind == HTTP_VERDICT_REDIRECT) {
		if (!(res->location = strndup(v->location.ptr ? v->location.ptr :
		                              "", v->location.len))) {
			free(h);
			return -1;
		}
		n += (size_t)sprintf(h + n, "Location: %s\r\n", res->location);
	}
	if (rule && v->kind == HTTP_VERDICT_AUTH)
		n += (size_t)sprintf(h + n, "WWW-Authenticate: Basic realm=\"%.*s\"\r\n",
		                     (int)v->body.len, v->body.ptr ? v->body.ptr : "");
	for (uint32_t i = 0; rule && i < e->nadd; i++) {
		const struct http_added *a = &e->add[i];

		if (a->dead)
			continue;
		n += (size_t)sprintf(h + n, "%.*s: %.*s\r\n", (int)a->name_len,
		                     e->arena + a->name_off, (int)a->val_len,
		                     e->arena + a->val_off);
	}
	n += (size_t)sprintf(h + n, "\r\n");
	if (route_show_head(r->out, h, n, &res->head) < 0) {
		free(h);
		return -1;
	}
	free(h);
	if (rule && v->kind != HTTP_VERDICT_REDIRECT &&
	    v->kind != HTTP_VERDICT_AUTH && v->body.len)
		fprintf(r->out, "  (body: %u bytes%s%.*s)\n", v->body.len,
		        v->content_type.len ? ", " : "",
		        (int)v->content_type.len,
		        v->content_type.ptr ? v->content_type.ptr : "");
	return 0;
}

/* The request as it leaves for backend be: the proxy's edits, emitted. */
static int route_forward(struct route_run *r,
                         const struct http_req_view *view, uint32_t fe,
                         uint32_t be, struct route_result *res)
{
	uint32_t us = http_use_server(view, be);   /* as cfgrun, after the
	                                              backend's rules */
	size_t cap, n;
	char *out;

	if (us != PLAN_NONE &&
	    !(res->server = strdup(plan_str_get(r->p, r->p->servers[us].name))))
		return -1;
	(void)http_req_proxy_edits(&r->rt, fe, be, &r->cli,
	                           r->has_dst ? &r->dst : NULL, r->head, &r->m,
	                           &r->edits);
	if (r->edits.overflow) {
		struct http_verdict v;

		memset(&v, 0, sizeof(v));
		v.kind = HTTP_VERDICT_ERROR;
		return route_reply(r, HTTP_ROUTE_PASS, &v, res);
	}
	res->outcome = ROUTE_FORWARD;
	cap = http_edits_emit_size(&r->edits, &r->m);
	if (!(out = malloc(cap + 1)))
		return -1;
	n = http_edits_emit(&r->edits, r->head, &r->m, out, cap);
	fprintf(r->out, "result: forwarded to backend %s\n",
	        plan_str_get(r->p, r->p->proxies[be].name));
	route_servers(r, be);
	if (res->server)
		fprintf(r->out, "use-server: %s (a use-server rule names it)\n",
		        res->server);
	fputs("request as it leaves:\n", r->out);
	if (route_show_head(r->out, out, n, &res->head) < 0) {
		free(out);
		return -1;
	}
	free(out);
	return 0;
}

/* The destination: the frontend's first IP listener's address. */
static void route_dst(struct route_run *r, uint32_t fe)
{
	const struct plan_proxy *px = &r->p->proxies[fe];

	for (uint32_t i = 0; i < px->nlisteners; i++) {
		struct plan_addr a = r->p->listeners[px->first_listener + i].addr;

		if ((a.family == PLAN_FAM_INET || a.family == PLAN_FAM_INET6) &&
		    a.salen <= sizeof(r->dst)) {
			memcpy(&r->dst, a.sa, a.salen);
			r->has_dst = 1;
			return;
		}
	}
}

/* "backend: NAME (why)": the use_backend that held last decided, unless
 * it names its backend at run time and that name was no backend (then the
 * next rules or the default did: said so when it cannot be told). */
static void route_backend_line(struct route_run *r, uint32_t fe, uint32_t be,
                               const char *name)
{
	if (r->switch_line && (r->switch_be == be ||
	                       be != r->p->proxies[fe].default_backend))
		fprintf(r->out, "backend: %s (use_backend, line %u)\n", name,
		        r->switch_line);
	else if (be == fe)
		fprintf(r->out, "backend: %s (the listen section itself)\n", name);
	else
		fprintf(r->out, "backend: %s (%s)\n", name, r->switch_line ?
		        "use_backend, or default_backend" : "default_backend");
}

static int route_eval(struct route_run *r, const struct route_req *rq,
                      struct route_result *res, char *err, size_t errlen)
{
	const struct plan *p = r->p;
	struct h1_limits lim;
	struct http_req_view view;
	struct http_verdict v;
	char sni[256] = "";
	uint32_t fe, be, end;
	size_t len;
	int tls;

	if (!(len = route_build_head(r, rq, &tls, sni, sizeof(sni), err, errlen)))
		return -1;
	if ((fe = route_frontend(p, rq->frontend, err, errlen)) == PLAN_NONE)
		return -1;
	if (rq->src ? route_parse_addr(rq->src, &r->cli) < 0 :
	    route_parse_addr(ROUTE_DEFAULT_SRC, &r->cli) < 0) {
		route_err(err, errlen, "--src expects IP[:PORT] or [IPv6]:PORT, "
		          "found '%s'", rq->src);
		return -1;
	}
	if (rq->sni)
		snprintf(sni, sizeof(sni), "%s", rq->sni);
	if (route_gen(r, err, errlen) < 0 ||
	    ((tls || rq->sni) && route_tls(r, sni, err, errlen) < 0))
		return -1;
	route_dst(r, fe);
	memset(&r->m, 0, sizeof(r->m));
	r->m.hdrs = r->hdrs;
	lim.max_head = STREAM_BUFSZ - plan_tune_maxrewrite(p->global);
	lim.max_hdrs = plan_tune_http_maxhdr(p->global);
	switch (h1_parse_head(r->head, len, 0, &lim, &r->m)) {
	case H1_DONE:
		break;
	case H1_BAD:
		route_err(err, errlen, "cfgrun would refuse this request with %u: "
		          "%s (at byte %u of the head)", r->m.err_status,
		          r->m.err ? r->m.err : "bad request", r->m.err_off);
		return -1;
	default:
		route_err(err, errlen, "the request head is incomplete");
		return -1;
	}
	fprintf(r->out, "frontend %s, client %s%s%s%s\n",
	        plan_str_get(p, p->proxies[fe].name),
	        rq->src ? rq->src : ROUTE_DEFAULT_SRC,
	        r->conn.ctx ? ", TLS" : "", !r->conn.ctx ? "" : sni[0] ?
	        " sni " : " without SNI", r->conn.ctx ? sni : "");
	fputs("request as received:\n", r->out);
	{
		char *copy;

		if (route_show_head(r->out, r->head, len, &copy) < 0)
			return -1;
		free(copy);
	}
	fputs("fresh state: stick tables empty, no variables from earlier "
	      "requests, servers up unless disabled\n", r->out);
	fputs("rules:\n", r->out);
	http_edits_init(&r->edits, r->arena,
	                plan_tune_maxrewrite(p->global) < sizeof(r->arena) ?
	                plan_tune_maxrewrite(p->global) : sizeof(r->arena),
	                r->del, HTTP_MAX_HDRS);
	memset(&view, 0, sizeof(view));
	view.buf = r->head;
	view.req = &r->m;
	view.cli = &r->cli;
	view.dst = r->has_dst ? &r->dst : NULL;
	view.conn = &r->conn;
	view.rt = &r->rt;
	view.stk = &r->ctrs;
	view.vars = &r->vars;
	view.frontend = fe;
	view.backend = view.server = PLAN_NONE;
	view.trace = route_trace;
	view.trace_arg = r;
	/* as cfgrun: tcp-request content rules first, on the parsed head */
	if (p->tcp[fe].ncontent) {
		uint32_t k = http_rules_tcp_content(&view, fe, -1);

		if (k != HTTP_TCP_CONTINUE) {
			res->outcome = ROUTE_CLOSE;
			fprintf(r->out, "result: connection closed without a reply "
			        "(%s)\n", k == HTTP_TCP_DROP ? "silent-drop" : "reject");
			return 0;
		}
	}
	if (http_is_monitor_uri(&r->rt, fe, r->head + r->m.uri.off,
	                        r->m.uri.len)) {
		memset(&v, 0, sizeof(v));
		return route_reply(r, ROUTE_END_MONITOR, &v, res);
	}
	http_edits_init(&r->edits, r->arena, r->edits.arena_cap, r->del,
	                HTTP_MAX_HDRS);
	end = http_route_request(&view, &r->edits, &v, &be);
	if (be != PLAN_NONE &&
	    !(res->backend = strdup(plan_str_get(p, p->proxies[be].name))))
		return -1;
	if (be != PLAN_NONE)
		route_backend_line(r, fe, be, res->backend);
	if (end != HTTP_ROUTE_PASS)
		return route_reply(r, end, &v, res);
	return route_forward(r, &view, fe, be, res);
}

int route_run(const struct plan *p, const struct route_req *rq, FILE *out,
              struct route_result *res, char *err, size_t errlen)
{
	struct route_run *r = calloc(1, sizeof(*r));
	int ret;

	memset(res, 0, sizeof(*res));
	err[0] = '\0';
	if (!r) {
		route_err(err, errlen, "out of memory");
		return -1;
	}
	r->p = p;
	r->out = out;
	r->conn.fd = -1;
	ret = route_eval(r, rq, res, err, errlen);
	if (ret == 0 && ferror(out)) {
		route_err(err, errlen, "cannot write the trace");
		ret = -1;
	}
	route_gen_free(r);
	free(r);
	if (ret < 0) {
		if (!err[0])
			route_err(err, errlen, "out of memory");
		route_result_free(res);
	}
	return ret;
}

void route_result_free(struct route_result *res)
{
	free(res->backend);
	free(res->location);
	free(res->server);
	free(res->head);
	memset(res, 0, sizeof(*res));
}
