/*
 * http_logfmt.c: log-format and unique-id-format at run time, and the
 * captures (capture request/response header, capture cookie).
 *
 * cfgc stores a format as written after checking it (and refusing what
 * cfgrun does not render); each plan generation parses it once here into
 * items (http_logfmt-t.h). The httplog line itself is HAProxy's httplog
 * format run through the same renderer.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http_cookie.h"
#include "http_logfmt.h"
#include "http_rules.h"
#include "http_stream.h"
#include "http_txn-t.h"
#include "log.h"
#include "plan.h"
#include "runtime-t.h"
#include "stream-t.h"
#include "thread.h"
#include "tls.h"

/* Alias names, in enum http_lf_var order. */
static const char *const lf_names[HTTP_LFV_MAX] = {
	"ci", "cp", "fi", "fp", "t", "tr", "T", "Ts", "ms", "ft", "f", "b",
	"s", "si", "sp", "TR", "Tw", "Tc", "Tr", "Ta", "Tt", "Th", "Ti", "Tq",
	"Td", "ST", "B", "U", "CC", "CS", "ts", "tsc", "ac", "fc", "bc", "sc",
	"rc", "sq", "bq", "hr", "hs", "hrl", "hsl", "r", "HM", "HU", "HP",
	"HQ", "HV", "ID", "pid", "H", "rt", "lc", "sslv", "sslc",
};

/* HAProxy's httplog format: cfgrun's default HTTP line. */
static const char httplog_fmt[] =
	"%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc "
	"%ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r";

static uint64_t lf_req_counter;       /* %rt: requests seen (atomic) */

int http_lf_var_known(const char *name, size_t len)
{
	for (int v = 0; v < HTTP_LFV_MAX; v++)
		if (strlen(lf_names[v]) == len && !strncmp(lf_names[v], name, len))
			return v;
	return -1;
}

/* ---- parsing ------------------------------------------------------------ */

static int lf_push(struct http_lf *f, size_t *cap, struct http_lf_item it)
{
	if (f->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct http_lf_item *n = realloc(f->items, ncap * sizeof(*n));

		if (!n)
			return -1;
		f->items = n;
		*cap = ncap;
	}
	f->items[f->n++] = it;
	return 0;
}

int http_lf_parse(const char *text, struct http_lf *f, char *err,
                  size_t errlen)
{
	size_t cap = 0, i = 0;
	int dquote = 0, dhex = 0;   /* %o's flags: the default of later items */
	uint32_t nexpr = 0;

	f->n = 0;
	f->items = NULL;
	while (text[i]) {
		struct http_lf_item it = { 0 };
		int quote = dquote, hex = dhex;
		size_t n;

		if (text[i] == ' ') {
			it.kind = HTTP_LF_SEP;
			while (text[i] == ' ')
				i++;
		} else if (text[i] != '%' || text[i + 1] == '%') {
			it.kind = HTTP_LF_TEXT;
			it.text = text + i;
			if (text[i] == '%') {   /* "%%": one '%' */
				it.text++;
				it.len = 1;
				i += 2;
			} else {
				for (n = 0; text[i + n] && text[i + n] != ' ' &&
				            text[i + n] != '%'; n++)
					;
				it.len = (uint32_t)n;
				i += n;
			}
		} else {
			i++;
			if (text[i] == '{') {
				const char *end = strchr(text + i, '}');

				if (!end)
					goto bad;
				for (const char *o = text + i + 1; o < end; o += 2) {
					if ((o[0] != '+' && o[0] != '-') || o + 1 >= end ||
					    (o[1] != 'Q' && o[1] != 'X'))
						goto bad;
					if (o[1] == 'Q')
						quote = o[0] == '+';
					else
						hex = o[0] == '+';
				}
				i = (size_t)(end - text) + 1;
			}
			if (text[i] == '[') {
				long end = plan_expr_end(text, i + 1);

				if (end < 0)
					goto bad;
				it.kind = HTTP_LF_EXPR;
				it.ref = nexpr++;
				it.quote = (uint8_t)quote;
				it.hex = (uint8_t)hex;
				i = (size_t)end + 1;
				if (lf_push(f, &cap, it) < 0) {
					snprintf(err, errlen, "out of memory");
					goto fail;
				}
				continue;
			}
			for (n = 0; (text[i + n] >= 'A' && text[i + n] <= 'Z') ||
			            (text[i + n] >= 'a' && text[i + n] <= 'z'); n++)
				;
			if (n == 1 && text[i] == 'o') {
				dquote = quote;
				dhex = hex;
				i++;
				continue;
			}
			int v = http_lf_var_known(text + i, n);

			if (v < 0)
				goto bad;
			it.kind = HTTP_LF_VAR;
			it.var = (uint8_t)v;
			it.quote = (uint8_t)quote;
			it.hex = (uint8_t)hex;
			i += n;
		}
		if (lf_push(f, &cap, it) < 0) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
	}
	return 0;
bad:
	snprintf(err, errlen, "cannot run log format '%s' at byte %zu", text, i);
fail:
	free(f->items);
	f->items = NULL;
	f->n = 0;
	return -1;
}

/* ---- generation --------------------------------------------------------- */

static struct http_lf lf_httplog;   /* parsed once, never freed */

/* The %[...] items of f given their ACL lines from `first` (1 + the
 * first's index, plan_http.log_format_acl; 0: the format may have none). */
static int lf_place_exprs(struct http_lf *f, uint32_t first, char *err,
                          size_t errlen)
{
	for (uint32_t k = 0; k < f->n; k++) {
		if (f->items[k].kind != HTTP_LF_EXPR)
			continue;
		if (!first) {
			snprintf(err, errlen, "a format's sample expression has no "
			         "compiled line");
			return -1;
		}
		f->items[k].ref += first - 1;
	}
	return 0;
}

int http_logfmt_gen_init(struct runtime *rt, char *err, size_t errlen)
{
	const struct plan *p = rt->plan;
	struct http_lf_gen *g = calloc(1, sizeof(*g));

	if (!lf_httplog.n && http_lf_parse(httplog_fmt, &lf_httplog, err,
	                                   errlen) < 0)
		return free(g), -1;
	rt->logfmt = g;
	if (!g)
		return snprintf(err, errlen, "out of memory"), -1;
	g->nproxies = p->nproxies;
	g->log = calloc(p->nproxies + 1, sizeof(*g->log));
	g->uid = calloc(p->nproxies + 1, sizeof(*g->uid));
	g->log_count = calloc(p->nproxies + 1, sizeof(*g->log_count));
	if (!g->log || !g->uid || !g->log_count)
		return snprintf(err, errlen, "out of memory"), -1;
	for (uint32_t i = 0; i < p->nproxies; i++) {
		const struct plan_http *h = &p->http[i];

		if (h->log_format.len &&
		    (http_lf_parse(plan_str_get(p, h->log_format), &g->log[i], err,
		                   errlen) < 0 ||
		     lf_place_exprs(&g->log[i], h->log_format_acl, err, errlen) < 0))
			return -1;
		if (h->unique_id_format.len &&
		    (http_lf_parse(plan_str_get(p, h->unique_id_format), &g->uid[i],
		                   err, errlen) < 0 ||
		     lf_place_exprs(&g->uid[i], 0, err, errlen) < 0))
			return -1;
	}
	return 0;
}

void http_logfmt_gen_free(struct runtime *rt)
{
	struct http_lf_gen *g = rt->logfmt;

	if (!g)
		return;
	for (uint32_t i = 0; g->log && g->uid && i < g->nproxies; i++) {
		free(g->log[i].items);
		free(g->uid[i].items);
	}
	free(g->log);
	free(g->uid);
	free(g->log_count);
	free(g);
	rt->logfmt = NULL;
}

/* ---- captures ----------------------------------------------------------- */

void http_capt_reset(struct http_capt *c)
{
	memset(c->set, 0, sizeof(c->set));
	c->used = 0;
	c->uid_len = 0;
	c->req_id = 0;
}

/* Keep v[0..len) (cut at `max`) as capture `slot`. */
static void capt_keep(struct http_capt *c, unsigned slot, const char *v,
                      size_t len, uint32_t max)
{
	if (len > max)
		len = max;
	if (len > HTTP_CAPT_AREA - c->used)
		len = HTTP_CAPT_AREA - c->used;
	memcpy(c->area + c->used, v, len);
	c->off[slot] = c->used;
	c->len[slot] = (uint16_t)len;
	c->set[slot] = 1;
	c->used += (uint16_t)len;
}

static int hdr_is(const char *buf, const struct h1_hdr *h, const char *name,
                  size_t nl)
{
	return h->name.len == nl && !strncasecmp(buf + h->name.off, name, nl);
}

/* The first cookie of a Cookie (or Set-Cookie, `one` = 1: only its first
 * pair counts) value v[0..len) whose name starts with `pfx`: its
 * "name=value" in out and olen. 1 when found. */
static int cookie_find(const char *v, size_t len, const char *pfx, size_t pl,
                       int one, const char **out, size_t *olen)
{
	size_t i = 0;

	while (i < len) {
		size_t b, e;

		while (i < len && (v[i] == ' ' || v[i] == '\t' || v[i] == ';'))
			i++;
		b = i;
		while (i < len && v[i] != ';')
			i++;
		e = i;
		while (e > b && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (e - b >= pl && !strncmp(v + b, pfx, pl)) {
			*out = v + b;
			*olen = e - b;
			return 1;
		}
		if (one)
			break;
	}
	return 0;
}

/* Captures of kind `kind` from head m (in buf): headers (the last line of
 * that name wins, as HAProxy overwrites), the cookie (the first match). */
static void capt_head(struct http_capt *c, const struct plan *p,
                      const struct plan_http *h, unsigned kind,
                      const char *buf, const struct h1_msg *m)
{
	const char *ck = kind == PLAN_CAPTURE_REQ ? "Cookie" : "Set-Cookie";

	for (unsigned k = 0; k < h->ncaptures; k++) {
		const struct plan_http_capture *cp = &h->captures[k];
		const char *name = plan_str_get(p, cp->name);
		const char *v = NULL;
		size_t vl = 0;

		if (cp->kind == kind) {
			for (uint32_t j = 0; j < m->nhdrs; j++)
				if (hdr_is(buf, &m->hdrs[j], name, cp->name.len)) {
					v = buf + m->hdrs[j].value.off;
					vl = m->hdrs[j].value.len;
				}
			if (v)
				capt_keep(c, k, v, vl, cp->len);
		} else if (cp->kind == PLAN_CAPTURE_COOKIE) {
			for (uint32_t j = 0; j < m->nhdrs && !v; j++)
				if (hdr_is(buf, &m->hdrs[j], ck, strlen(ck)) &&
				    cookie_find(buf + m->hdrs[j].value.off,
				                m->hdrs[j].value.len, name,
				                cp->name.len, kind != PLAN_CAPTURE_REQ,
				                &v, &vl))
					capt_keep(c, k + (kind == PLAN_CAPTURE_REQ ? 0 :
					          PLAN_HTTP_MAX_CAPTURES), v, vl, cp->len);
		}
	}
}

/* ---- rendering ---------------------------------------------------------- */

struct lf_out {
	char *buf;                  /* the line, cap + 1 bytes */
	size_t cap, pos;            /* pos may pass cap: then cut */
	int space;                  /* 1: last written byte is a separator */
};

static void out_raw(struct lf_out *o, const char *s, size_t len)
{
	if (o->pos < o->cap) {
		size_t n = len < o->cap - o->pos ? len : o->cap - o->pos;

		memcpy(o->buf + o->pos, s, n);
	}
	o->pos += len;
}

/* A string item: "-" when empty (`""` quoted). */
static void out_str(struct lf_out *o, const char *s, size_t len, int quote)
{
	if (quote)
		out_raw(o, "\"", 1);
	if (len)
		out_raw(o, s, len);
	else if (!quote)
		out_raw(o, "-", 1);
	if (quote)
		out_raw(o, "\"", 1);
}

/* A number, in hexadecimal on `hex` digits at least (0: decimal). */
static void out_num(struct lf_out *o, long long v, int hex)
{
	char n[24];

	if (hex)
		out_raw(o, n, (size_t)snprintf(n, sizeof(n), "%0*llX", hex,
		                               (unsigned long long)v));
	else
		out_raw(o, n, (size_t)snprintf(n, sizeof(n), "%lld", v));
}

/* A captured value, with the bytes HAProxy encodes as #XX encoded. */
static void out_capt(struct lf_out *o, const char *v, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)v[i];

		if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '#' ||
		    ch == '{' || ch == '|' || ch == '}') {
			char e[4];

			snprintf(e, sizeof(e), "#%02X", ch);
			out_raw(o, e, 3);
		} else {
			out_raw(o, v + i, 1);
		}
	}
}

/* %hr %hs (braces) or %hrl %hsl (CLF: spaces) of captures of `kind`. */
static void out_capts(struct lf_out *o, const struct plan_http *h,
                      const struct http_capt *c, unsigned kind, int clf,
                      int quote)
{
	int first = 1;

	for (unsigned k = 0; k < h->ncaptures; k++) {
		if (h->captures[k].kind != kind)
			continue;
		out_raw(o, first ? (clf ? "" : "{") : (clf ? " " : "|"),
		        first && clf ? 0 : 1);
		first = 0;
		if (clf && (!c || !c->set[k] || !c->len[k])) {
			out_str(o, "", 0, quote);
			continue;
		}
		if (quote)
			out_raw(o, "\"", 1);
		if (c && c->set[k])
			out_capt(o, c->area + c->off[k], c->len[k]);
		if (quote)
			out_raw(o, "\"", 1);
	}
	if (!first && !clf)
		out_raw(o, "}", 1);
}

/* ms from `from` to `to` (ev_now() seconds), -1 when either never came. */
static long lf_ms(double from, double to)
{
	if (to < 0 || from < 0)
		return -1;
	if (to < from)
		return 0;
	return (long)((to - from) * 1000.0 + 0.5);
}

/* The request's timers (HAProxy's 8.4), ms, -1 = never. */
struct lf_times {
	long TR, Tw, Tc, Tr, Ta, Tt, Ti, Tq, Td; /* ms, -1 = never */
	double start;               /* the request's start (ev_now()) */
};

static void lf_times(const struct stream *s, double now, struct lf_times *tm)
{
	const struct http_txn *t = s->txn;
	double base = t->t_idle_start >= 0 ? t->t_idle_start : s->t_accept;
	struct log_parts lp;

	tm->start = t->t_req_start >= 0 ? t->t_req_start : s->t_accept;
	log_stream_parts(s, "--", tm->start, &lp);
	tm->Tw = lp.tw;
	tm->TR = lf_ms(tm->start, t->t_req_head);
	tm->Ta = lf_ms(tm->start, now);
	tm->Ti = lf_ms(base, tm->start);
	tm->Tr = (t->t_rsp_head >= 0 && s->t_connect >= 0) ?
	         lf_ms(s->t_connect, t->t_rsp_head) : -1;
	/* Tc counts from the request's head, not from the connection. */
	tm->Tc = -1;
	if (s->t_connect >= 0 && t->t_req_head >= 0) {
		tm->Tc = lf_ms(t->t_req_head, s->t_connect) -
		         (tm->Tw > 0 ? tm->Tw : 0);
		if (tm->Tc < 0)
			tm->Tc = 0;
	}
	tm->Tq = tm->TR < 0 ? -1 : tm->Ti + tm->TR;
	tm->Tt = tm->Ti + tm->Ta;
	tm->Td = tm->Tt - ((tm->Tq > 0 ? tm->Tq : 0) + (tm->Tw > 0 ? tm->Tw : 0) +
	                   (tm->Tc > 0 ? tm->Tc : 0) + (tm->Tr > 0 ? tm->Tr : 0));
}

/* Address and port of sa as text ("-" when none); the port 0 for unix. */
static void lf_addr(const struct sockaddr *sa, socklen_t len, char *host,
                    size_t hl, char *port, size_t pl)
{
	strcpy(host, "-");
	strcpy(port, "-");
	if (!len)
		return;
	if (sa->sa_family == AF_UNIX) {
		snprintf(host, hl, "unix");
		return;
	}
	if (getnameinfo(sa, len, host, (socklen_t)hl, port, (socklen_t)pl,
	                NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		strcpy(host, "-");
		strcpy(port, "-");
	}
}

/* The address (`ip`) or port of sa; with `hex`, IPv4 as 8 hexadecimal
 * digits, IPv6 as 32, ports as 4, as HAProxy's %{+X}. */
static void out_addr(struct lf_out *o, const struct sockaddr *sa,
                     socklen_t len, int ip, int hex)
{
	char host[INET6_ADDRSTRLEN + 8], port[16];

	if (hex && len && sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		out_num(o, ip ? ntohl(in->sin_addr.s_addr) : ntohs(in->sin_port),
		        ip ? 8 : 4);
		return;
	}
	if (hex && len && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		if (!ip) {
			out_num(o, ntohs(in6->sin6_port), 4);
			return;
		}
		for (int i = 0; i < 16; i++)
			out_num(o, in6->sin6_addr.s6_addr[i], 2);
		return;
	}
	lf_addr(sa, len, host, sizeof(host), port, sizeof(port));
	out_raw(o, ip ? host : port, strlen(ip ? host : port));
}

/* Wall-clock date t as "%d/%b/%Y:%H:%M:%S +0000" (UTC). */
static size_t lf_gmt(double t, char *buf, size_t len)
{
	time_t sec = (time_t)t;
	struct tm tm;

	gmtime_r(&sec, &tm);
	return strftime(buf, len, "%d/%b/%Y:%H:%M:%S +0000", &tm);
}

/* Everything an item may need, gathered once per rendering. */
struct lf_ctx {
	const struct stream *s;       /* the request's stream */
	const struct plan *p;         /* its generation's plan */
	const struct plan_http *fh;   /* the frontend's HTTP settings */
	const struct http_capt *c;    /* NULL before any request */
	const struct h1_msg *req;     /* NULL before a parsed head */
	const char *rbuf;             /* req's bytes */
	struct lf_times tm;           /* timers, ms */
	double now;                   /* ev_now(), s */
};

static void lf_uri_parts(const struct lf_ctx *x, const char **u, size_t *ul,
                         size_t *pl)
{
	*u = x->req ? x->rbuf + x->req->uri.off : "";
	*ul = x->req ? x->req->uri.len : 0;
	for (*pl = 0; *pl < *ul && (*u)[*pl] != '?'; (*pl)++)
		;
}

static void lf_var(struct lf_out *o, const struct lf_ctx *x, unsigned v,
                   int quote, int hex)
{
	int hx = hex ? 1 : 0;       /* %{+X}: numbers in hexadecimal */
	const struct stream *s = x->s;
	const struct http_txn *t = s->txn;
	const struct runtime *rt = s->rt;
	char d[48];
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	const char *u;
	size_t ul, pl;

	switch (v) {
	case HTTP_LFV_CI: case HTTP_LFV_CP:
		if (s->cli_addr.ss_family == AF_UNIX && v == HTTP_LFV_CP) {
			out_num(o, s->listener + 1, hx);
			return;
		}
		out_addr(o, (const struct sockaddr *)&s->cli_addr, s->cli_addrlen,
		         v == HTTP_LFV_CI, hex);
		return;
	case HTTP_LFV_FI: case HTTP_LFV_FP:
	case HTTP_LFV_SI: case HTTP_LFV_SP: {
		int cli = v == HTTP_LFV_FI || v == HTTP_LFV_FP;
		int fd = s->side[cli ? STREAM_CLI : STREAM_SRV].conn.fd;
		int ip = v == HTTP_LFV_FI || v == HTTP_LFV_SI;

		if (cli && s->dst_addrlen) {
			/* the destination a PROXY header gave, as HAProxy's
			 * %fi reads it */
			sl = s->dst_addrlen;
			memcpy(&ss, &s->dst_addr, sl);
		} else if (fd < 0 ||
		           (cli ? getsockname(fd, (struct sockaddr *)&ss, &sl)
		                : getpeername(fd, (struct sockaddr *)&ss, &sl)) < 0) {
			sl = 0;
			if (!cli && s->server != PLAN_NONE) {
				struct plan_addr pa;

				plan_server_addr(x->p, s->server, &pa);
				sl = pa.salen <= sizeof(ss) ? pa.salen : 0;
				memcpy(&ss, pa.sa, sl);
			}
		}
		out_addr(o, (struct sockaddr *)&ss, sl, ip, hex);
		return;
	}
	case HTTP_LFV_T_LOCAL: case HTTP_LFV_TR_DATE:
		log_date(v == HTTP_LFV_T_LOCAL ? s->t_accept : x->tm.start, d,
		         sizeof(d));
		out_raw(o, d, strlen(d));
		return;
	case HTTP_LFV_T_GMT:
		out_raw(o, d, lf_gmt(s->t_accept, d, sizeof(d)));
		return;
	case HTTP_LFV_TS:
		out_num(o, (long long)s->t_accept, hex ? 8 : 0);
		return;
	case HTTP_LFV_MS:
		snprintf(d, sizeof(d), "%03d",
		         (int)((s->t_accept - (double)(long long)s->t_accept) * 1000.0));
		out_raw(o, d, 3);
		return;
	case HTTP_LFV_FT: case HTTP_LFV_F: {
		char nm[256];

		u = plan_str_get(x->p, x->p->proxies[s->frontend].name);
		ul = strlen(u);
		/* %ft: a '~' after the name when the client came over TLS,
		 * as HAProxy writes it */
		if (v == HTTP_LFV_FT && ul + 1 < sizeof(nm) &&
		    tls_conn_text(&s->side[STREAM_CLI].conn, 0)) {
			memcpy(nm, u, ul);
			nm[ul++] = '~';
			u = nm;
		}
		out_str(o, u, ul, quote);
		return;
	}
	case HTTP_LFV_B:
		u = s->backend == PLAN_NONE ? "" :
		    plan_str_get(x->p, x->p->proxies[s->backend].name);
		out_str(o, u, strlen(u), quote);
		return;
	case HTTP_LFV_S:
		u = s->server == PLAN_NONE ? "<NOSRV>" :
		    plan_str_get(x->p, x->p->servers[s->server].name);
		out_str(o, u, strlen(u), quote);
		return;
	case HTTP_LFV_TRQ: out_num(o, x->tm.TR, hx); return;
	case HTTP_LFV_TW:  out_num(o, x->tm.Tw, hx); return;
	case HTTP_LFV_TC:  out_num(o, x->tm.Tc, hx); return;
	case HTTP_LFV_TRS: out_num(o, x->tm.Tr, hx); return;
	case HTTP_LFV_TA: case HTTP_LFV_TT:
		if (t->asap)        /* option logasap: still running */
			out_raw(o, "+", 1);
		out_num(o, v == HTTP_LFV_TA ? x->tm.Ta : x->tm.Tt, hx);
		return;
	case HTTP_LFV_TH:  out_num(o, 0, hx); return;
	case HTTP_LFV_TI:  out_num(o, x->tm.Ti, hx); return;
	case HTTP_LFV_TQ:  out_num(o, x->tm.Tq, hx); return;
	case HTTP_LFV_TD:  out_num(o, x->tm.Td, hx); return;
	case HTTP_LFV_ST:  out_num(o, t->status ? (int)t->status : -1, hx); return;
	case HTTP_LFV_BYTES:
		if (t->asap) {
			/* option logasap: what HAProxy holds of the response
			 * then (http_stream.c) */
			out_raw(o, "+", 1);
			out_num(o, (long long)t->asap_bytes, hx);
			return;
		}
		out_num(o, (long long)s->side[STREAM_CLI].bytes_out, hx);
		return;
	case HTTP_LFV_UP:
		out_num(o, (long long)s->side[STREAM_CLI].bytes_in, hx);
		return;
	case HTTP_LFV_CC: case HTTP_LFV_CS:
		for (unsigned k = 0; k < x->fh->ncaptures; k++) {
			unsigned slot = k + (v == HTTP_LFV_CS ? PLAN_HTTP_MAX_CAPTURES : 0);

			if (x->fh->captures[k].kind == PLAN_CAPTURE_COOKIE && x->c &&
			    slot < 2 * PLAN_HTTP_MAX_CAPTURES && x->c->set[slot]) {
				out_str(o, x->c->area + x->c->off[slot], x->c->len[slot],
				        quote);
				return;
			}
		}
		out_str(o, "", 0, quote);
		return;
	case HTTP_LFV_TSTATE: case HTTP_LFV_TSC:
		d[0] = s->term[0] ? s->term[0] : '-';
		d[1] = s->term[0] ? s->term[1] : '-';
		http_cookie_log(s, d + 2);
		out_raw(o, d, v == HTTP_LFV_TSC ? 4 : 2);
		return;
	case HTTP_LFV_AC: out_num(o, rt->actconn, hx); return;
	case HTTP_LFV_FC: out_num(o, rt->proxies[s->frontend].feconn, hx); return;
	case HTTP_LFV_BC:
		out_num(o, s->backend == PLAN_NONE ? 0 : rt->proxies[s->backend].beconn, hx);
		return;
	case HTTP_LFV_SC:
		out_num(o, s->server == PLAN_NONE ? 0 : rt->servers[s->server].cur_conn, hx);
		return;
	case HTTP_LFV_RC:
		if (s->redispatched)
			out_raw(o, "+", 1);
		out_num(o, s->retries, hx);
		return;
	case HTTP_LFV_SQ: out_num(o, s->srv_queue_pos, hx); return;
	case HTTP_LFV_BQ: out_num(o, s->be_queue_pos, hx); return;
	case HTTP_LFV_HR: case HTTP_LFV_HRL:
		out_capts(o, x->fh, x->c, PLAN_CAPTURE_REQ, v == HTTP_LFV_HRL, quote);
		return;
	case HTTP_LFV_HS: case HTTP_LFV_HSL:
		out_capts(o, x->fh, x->c, PLAN_CAPTURE_RES, v == HTTP_LFV_HSL, quote);
		return;
	case HTTP_LFV_R:
		if (t->w && t->w->req_line_len)
			out_str(o, t->w->req_line, t->w->req_line_len, quote);
		else
			out_str(o, "<BADREQ>", 8, quote);
		return;
	case HTTP_LFV_HM:
		out_str(o, x->req ? x->rbuf + x->req->method.off : "",
		        x->req ? x->req->method.len : 0, quote);
		return;
	case HTTP_LFV_HU: case HTTP_LFV_HP: case HTTP_LFV_HQ:
		lf_uri_parts(x, &u, &ul, &pl);
		if (v == HTTP_LFV_HU)
			out_str(o, u, ul, quote);
		else if (v == HTTP_LFV_HP)
			out_str(o, u, pl, quote);
		else
			out_str(o, u + pl, ul - pl, quote);
		return;
	case HTTP_LFV_HV:
		out_str(o, !x->req ? "" : x->req->version == 10 ? "HTTP/1.0" :
		        "HTTP/1.1", x->req ? 8 : 0, quote);
		return;
	case HTTP_LFV_ID:
		out_str(o, x->c ? x->c->uid : "", x->c ? x->c->uid_len : 0, quote);
		return;
	case HTTP_LFV_PID: out_num(o, getpid(), hex ? 4 : 0); return;
	case HTTP_LFV_H:
		if (gethostname(d, sizeof(d) - 1) < 0)
			d[0] = '\0';
		d[sizeof(d) - 1] = '\0';
		out_str(o, d, strlen(d), quote);
		return;
	case HTTP_LFV_RT:
		out_num(o, x->c ? x->c->req_id : 0, hex ? 4 : 0);
		return;
	case HTTP_LFV_LC:
		out_num(o, (long long)rt->logfmt->log_count[s->frontend], hx);
		return;
	case HTTP_LFV_SSLV: case HTTP_LFV_SSLC: {
		const char *p = tls_conn_text(&s->side[STREAM_CLI].conn,
		                              v == HTTP_LFV_SSLC);

		out_str(o, p ? p : "", p ? strlen(p) : 0, quote);
		return;
	}
	default:
		return;
	}
}

/* Render f for stream s into out[0..size) (NUL-terminated, cut);
 * returns the bytes written. */
/* A %[...] item: its sample as text, "-" when there is none. */
static void lf_expr(struct lf_out *o, const struct lf_ctx *x,
                    const struct http_lf_item *it)
{
	struct http_req_view view;
	struct plan_sample smp;
	char a[64];

	if (!x->req) {
		out_raw(o, "-", 1);
		return;
	}
	http_stream_view(x->s, &view, NULL, NULL);
	http_rules_sample(&view, it->ref, &smp);
	switch (smp.type) {
	case PLAN_SMP_STR:
	case PLAN_SMP_BIN:
		out_str(o, smp.str, smp.len, it->quote);
		return;
	case PLAN_SMP_BOOL:
	case PLAN_SMP_INT:
		out_num(o, (long long)smp.i, it->hex);
		return;
	case PLAN_SMP_IPV4:
	case PLAN_SMP_IPV6:
		if (inet_ntop(smp.type == PLAN_SMP_IPV4 ? AF_INET : AF_INET6, smp.ip,
		              a, sizeof(a))) {
			out_str(o, a, strlen(a), it->quote);
			return;
		}
		/* fall through */
	default:
		out_raw(o, "-", 1);
		return;
	}
}

static size_t lf_render(const struct http_lf *f, const struct stream *s,
                        char *out, size_t size)
{
	const struct http_txn *t = s->txn;
	struct lf_out o = { out, size ? size - 1 : 0, 0, 1 };
	struct lf_ctx x;

	x.s = s;
	x.p = s->rt->plan;
	x.fh = &x.p->http[s->frontend];
	x.c = t->w ? &t->w->capt : NULL;
	x.req = t->w && t->t_req_head >= 0 && t->w->req_head ? &t->w->req : NULL;
	x.rbuf = x.req ? t->w->req_head : NULL;
	x.now = ev_now(s->thr->loop);
	lf_times(s, x.now, &x.tm);
	for (uint32_t i = 0; i < f->n; i++) {
		const struct http_lf_item *it = &f->items[i];
		size_t at = o.pos;

		if (it->kind == HTTP_LF_SEP) {
			if (!o.space)
				out_raw(&o, " ", 1);
			o.space = 1;
		} else if (it->kind == HTTP_LF_TEXT) {
			out_raw(&o, it->text, it->len);
			o.space = 0;
		} else {
			if (it->kind == HTTP_LF_EXPR)
				lf_expr(&o, &x, it);
			else
				lf_var(&o, &x, it->var, it->quote, it->hex);
			if (o.pos != at)
				o.space = 0;
		}
	}
	if (o.pos > o.cap)
		o.pos = o.cap;
	if (size)
		out[o.pos] = '\0';
	return o.pos;
}

size_t http_logfmt_line(const struct stream *s, char *line, size_t size,
                        int *custom)
{
	struct http_lf_gen *g = s->rt->logfmt;
	const struct http_lf *f = &lf_httplog;
	size_t n;

	*custom = 0;
	if (g && s->frontend < g->nproxies && g->log[s->frontend].n) {
		f = &g->log[s->frontend];
		*custom = 1;
	}
	n = lf_render(f, s, line, size);
	if (*custom)
		g->log_count[s->frontend]++;
	return n;
}

void http_logfmt_req(struct stream *s, const char *buf,
                     const struct h1_msg *m)
{
	struct runtime *rt = s->rt;
	struct http_capt *c = &s->txn->w->capt;
	const struct http_lf_gen *g = rt->logfmt;

	http_capt_reset(c);
	c->req_id = __atomic_fetch_add(&lf_req_counter, 1, __ATOMIC_RELAXED);
	capt_head(c, rt->plan, &rt->plan->http[s->frontend], PLAN_CAPTURE_REQ,
	          buf, m);
	if (g && s->frontend < g->nproxies && g->uid[s->frontend].n) {
		gen_lock(rt);
		c->uid_len = (uint16_t)lf_render(&g->uid[s->frontend], s, c->uid,
		                                 sizeof(c->uid));
		gen_unlock(rt);
	}
}

void http_logfmt_rsp(struct stream *s, const char *buf,
                     const struct h1_msg *m)
{
	const struct plan *p = s->rt->plan;

	if (s->txn->w)
		capt_head(&s->txn->w->capt, p, &p->http[s->frontend],
		          PLAN_CAPTURE_RES, buf, m);
}

int http_logfmt_uid_header(struct stream *s, struct http_edits *e)
{
	const struct plan *p = s->rt->plan;
	const struct plan_http *h = &p->http[s->frontend];
	const struct http_capt *c = &s->txn->w->capt;

	if (!h->unique_id_header.len || !h->unique_id_format.len)
		return 0;
	return http_edits_add(e, plan_str_get(p, h->unique_id_header),
	                      h->unique_id_header.len, c->uid, c->uid_len);
}
