/*
 * http_rules.c: the HTTP rules of a plan at run time. Samples come from
 * the parsed heads (h1_msg slices of the receive buffers) and the
 * connection's addresses; conditions are the plan's terms evaluated by
 * common/plan_acl.c; actions leave edits (http_rules-t.h) and a verdict.
 * The plan is read-only and shared by the threads; nothing here
 * allocates (the regex match data aside, once per thread).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "balance.h"
#include "http_auth.h"
#include "http_rules.h"
#include "uri_norm.h"
#include "pp_fetch.h"
#include "sock.h"
#include "http_vars.h"
#include "stktable.h"
#include "plan.h"
#include "plan_live.h"
#include "runtime-t.h"
#include "sample-reg.h"
#include "thread.h"
#include "tls.h"
#include "use_server.h"

/* What a fetch may read for one evaluation. */
struct hr_ctx {
	const struct http_req_view *v;
	const struct plan *p;
	int last;                     /* 1: occurrence 0 is the last value
	                                 (a value), not every one (an ACL) */
	uint32_t where;               /* SMP_VAL_* of the rules running: a
	                                 fetch not valid there finds nothing */
	const struct http_edits *req_e; /* edits of the request so far, or */
	const struct http_edits *res_e; /* of the response: fetches see them */
	const char *gsrc;             /* replace rules: the text matched, */
	size_t gvec[2 * PLAN_REGEX_GROUPS]; /* and its groups' bounds */
	char scratch[HTTP_SCRATCH];   /* samples built from pieces */
	uint32_t auth_ul;             /* 1 + blob offset of the userlist
	                                 last checked (crypt is slow: once
	                                 per rules run), 0 none */
	int auth_ok;                  /* its answer */
	struct plan_ul_user auth_u;   /* the user, when auth_ok */
};

static int hr_lc(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* a[0..al) and b[0..bl) equal ignoring ASCII case. */
static int hr_name_eq(const char *a, size_t al, const char *b, size_t bl)
{
	if (al != bl)
		return 0;
	for (size_t i = 0; i < al; i++)
		if (hr_lc((unsigned char)a[i]) != hr_lc((unsigned char)b[i]))
			return 0;
	return 1;
}

static int hr_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* The value of received header i as it stands (replaced or not). */
static void hr_cur_value(const struct http_edits *e, const char *buf,
                         const struct h1_msg *m, uint32_t i, const char **v,
                         uint32_t *len)
{
	if (i < e->ndel && e->del[i] == 2)
		for (uint32_t k = 0; k < e->nrepl; k++)
			if (e->repl[k].hdr == i) {
				*v = e->arena + e->repl[k].off;
				*len = e->repl[k].len;
				return;
			}
	*v = buf + m->hdrs[i].value.off;
	*len = m->hdrs[i].value.len;
}

/*
 * The line of index k among the header lines named `name` of message m
 * (in buf) as they stand with edits e (NULL: none): the received lines
 * not removed, with their value as replaced, then the lines rules added.
 * 1 and its value in *v, *vl; 0 when there are not that many.
 */
static int hr_line(const char *buf, const struct h1_msg *m,
                   const struct http_edits *e, const char *name,
                   size_t nlen, uint32_t k, const char **v, uint32_t *vl)
{
	for (uint32_t i = 0; i < m->nhdrs; i++) {
		const struct h1_hdr *h = &m->hdrs[i];

		if ((e && i < e->ndel && e->del[i] == 1) ||
		    !hr_name_eq(buf + h->name.off, h->name.len, name, nlen) ||
		    k--)
			continue;
		if (e) {
			hr_cur_value(e, buf, m, i, v, vl);
		} else {
			*v = buf + h->value.off;
			*vl = h->value.len;
		}
		return 1;
	}
	for (uint32_t i = 0; e && i < e->nadd; i++) {
		const struct http_added *a = &e->add[i];

		if (a->dead || !hr_name_eq(e->arena + a->name_off, a->name_len,
		                           name, nlen) || k--)
			continue;
		*v = e->arena + a->val_off;
		*vl = a->val_len;
		return 1;
	}
	return 0;
}

int http_edits_line(const char *buf, const struct h1_msg *m,
                    const struct http_edits *e, const char *name,
                    size_t nlen, uint32_t k, const char **v, uint32_t *vl)
{
	return hr_line(buf, m, e, name, nlen, k, v, vl);
}

int http_edits_first(const char *buf, const struct h1_msg *m,
                     const struct http_edits *e, const char *name,
                     size_t nlen, const char **v, uint32_t *vl)
{
	return hr_line(buf, m, e, name, nlen, 0, v, vl);
}

/*
 * The values of header `name` of message m (in buf, with edits e):
 * whole lines, or with `split` each comma-separated element, OWS
 * trimmed, empty ones skipped. Returns how many there are; the one of
 * index k (0-based) goes to *out, *olen when k is below that.
 */
static uint32_t hr_hdr_values(const char *buf, const struct h1_msg *m,
                              const struct http_edits *e, const char *name,
                              size_t nlen, int split, uint32_t k,
                              const char **out, uint32_t *olen)
{
	const char *v;
	uint32_t n = 0, len;

	for (uint32_t j = 0; hr_line(buf, m, e, name, nlen, j, &v, &len); j++) {
		uint32_t pos = 0;

		if (!split) {
			if (n++ == k) {
				*out = v;
				*olen = len;
			}
			continue;
		}
		while (pos <= len) {
			uint32_t end = pos, a = pos, b;

			while (end < len && v[end] != ',')
				end++;
			b = end;
			while (a < b && hr_ows(v[a]))
				a++;
			while (b > a && hr_ows(v[b - 1]))
				b--;
			if (b > a && n++ == k) {
				*out = v + a;
				*olen = b - a;
			}
			pos = end + 1;
		}
	}
	return n;
}

/*
 * The values of `name` in a list of `sep`-separated "name=value"
 * elements at s[0..len) (a query string, a Cookie header): count, and
 * the one of index k into *vo / *vl (offsets in s).
 */
static uint32_t hr_param_values(const char *s, uint32_t len, char sep,
                                const char *name, size_t nlen, uint32_t k,
                                uint32_t *vo, uint32_t *vl)
{
	uint32_t n = 0, pos = 0;

	while (pos <= len) {
		uint32_t e = pos, a = pos;

		while (e < len && s[e] != sep)
			e++;
		while (sep == ';' && a < e && hr_ows(s[a]))
			a++;
		if (e - a >= nlen && !memcmp(s + a, name, nlen) &&
		    (a + nlen == e || s[a + nlen] == '=')) {
			if (n++ == k) {
				*vo = a + nlen < e ? a + (uint32_t)nlen + 1 : e;
				*vl = e - *vo;
			}
		}
		pos = e + 1;
	}
	return n;
}

/* The index to take among `count` values for occurrence `occ` at call
 * `iter`; sets smp->more when an ACL iterates. -1 when there is none. */
static int64_t hr_pick(const struct hr_ctx *c, int32_t occ, uint32_t count,
                       struct plan_sample *smp, uint32_t iter)
{
	if (occ > 0)
		return (uint32_t)occ <= count ? occ - 1 : -1;
	if (occ < 0)
		return (uint32_t)-occ <= count ? (int64_t)count + occ : -1;
	if (c->last)
		return count ? (int64_t)count - 1 : -1;
	if (iter >= count)
		return -1;
	smp->more = iter + 1 < count;
	smp->iter = iter + 1;
	return iter;
}

static void hr_str(struct plan_sample *out, const char *s, size_t len)
{
	out->type = PLAN_SMP_STR;
	out->str = s;
	out->len = len;
}

static void hr_addr(const struct sockaddr_storage *ss, int port,
                    struct plan_sample *out)
{
	plan_sample_addr(ss, sizeof(*ss), port, out);
}

/* A header-reading fetch on message m (in buf). */
static void hr_fetch_hdr(struct hr_ctx *c, const struct plan_acl *a,
                         const char *buf, const struct h1_msg *m, int split,
                         int count, struct plan_sample *out, uint32_t iter)
{
	const char *name = plan_str_get(c->p, a->sarg), *v = NULL;
	const struct http_edits *e = m == c->v->req ? c->req_e : c->res_e;
	uint32_t n, vl = 0;
	int64_t k;

	if (!m || !buf)
		return;
	n = hr_hdr_values(buf, m, e, name, a->sarg.len, split, 0, &v, &vl);
	if (count) {
		out->type = PLAN_SMP_INT;
		out->i = n;
		return;
	}
	if ((k = hr_pick(c, a->occ, n, out, iter)) < 0)
		return;
	hr_hdr_values(buf, m, e, name, a->sarg.len, split, (uint32_t)k, &v, &vl);
	hr_str(out, v, vl);
}

/* Cookie `sarg` of the request: every value (ACL) or the last. */
static void hr_fetch_cook(struct hr_ctx *c, const struct plan_acl *a,
                          struct plan_sample *out, uint32_t iter)
{
	const struct http_req_view *v = c->v;
	const char *name = plan_str_get(c->p, a->sarg), *hv;
	uint32_t seen = 0, total = 0, vo = 0, vl = 0, hl;

	for (int pass = 0; pass < 2; pass++) {
		if (pass && c->last) {
			if (!total)
				return;
			iter = total - 1;
		}
		seen = 0;
		for (uint32_t j = 0; hr_line(v->buf, v->req, c->req_e, "cookie", 6,
		                             j, &hv, &hl); j++) {
			uint32_t n = hr_param_values(hv, hl, ';', name, a->sarg.len, 0,
			                             &vo, &vl);

			if (pass && iter < seen + n) {
				hr_param_values(hv, hl, ';', name, a->sarg.len, iter - seen,
				                &vo, &vl);
				hr_str(out, hv + vo, vl);
				out->iter = iter + 1;
				out->more = !c->last && iter + 1 < total;
				return;
			}
			seen += n;
		}
		total = seen;
	}
}

/* The request target as it stands (edited or received): text and the
 * offsets of its path and query inside it (*q = len when no '?'). */
static void hr_target(const struct http_edits *e, const struct hr_ctx *c,
                      const char **t, uint32_t *len, uint32_t *path,
                      uint32_t *q)
{
	const struct h1_msg *m = c->v->req;
	const char *qm;

	if (e && (e->flags & HTTP_EDIT_URI)) {
		*t = e->arena + e->uri_off;
		*len = e->uri_len;
		*path = 0;
		if (*len && (*t)[0] != '/' && memchr(*t, ':', *len)) {
			const char *s = memchr(*t, '/', *len);

			/* absolute form: skip scheme:// and authority */
			if (s && s + 1 < *t + *len && s[1] == '/')
				s = memchr(s + 2, '/', (size_t)(*t + *len - s - 2));
			*path = s ? (uint32_t)(s - *t) : *len;
		}
	} else {
		*t = c->v->buf + m->uri.off;
		*len = m->uri.len;
		*path = m->path.len ? m->path.off - m->uri.off : *len;
	}
	qm = memchr(*t + *path, '?', *len - *path);
	*q = qm ? (uint32_t)(qm - *t) : *len;
}

/* The Host value and path of the request, into the scratch area. */
static void hr_fetch_base(struct hr_ctx *c, struct plan_sample *out)
{
	const struct http_req_view *v = c->v;
	const char *host = NULL, *t;
	uint32_t hl = 0, len, path, q;

	hr_target(c->req_e, c, &t, &len, &path, &q);
	if (q == path)
		return;
	if (!hr_hdr_values(v->buf, v->req, c->req_e, "host", 4, 0, 0, &host,
	                   &hl)) {
		hr_str(out, t + path, q - path);
		return;
	}
	if ((size_t)hl + q - path > sizeof(c->scratch))
		return;
	memcpy(c->scratch, host, hl);
	memcpy(c->scratch + hl, t + path, q - path);
	hr_str(out, c->scratch, (size_t)hl + q - path);
}

/* The table holding variable `var`: the generation's for proc. ones,
 * else the request's, made now when `make` (a request that sets no
 * variable never holds the 4 kB table). NULL: none. */
static struct http_vars *hr_vars(const struct http_req_view *v, uint32_t var,
                                 int make)
{
	if (var < PLAN_MAX_VARS && (v->rt->var_proc >> var & 1))
		return v->rt->proc_vars;
	if (!v->vars)
		return NULL;
	if (!*v->vars && make && (*v->vars = malloc(sizeof(**v->vars))))
		http_vars_clear(*v->vars);
	return *v->vars;
}

/* Variable `var` into out; a proc. variable's text is copied into the
 * caller's thread scratch under the lock (another thread may set it). */
static void hr_var_get(const struct http_req_view *v, uint32_t var,
                       struct plan_sample *out)
{
	static _Thread_local char copy[HTTP_VARS_BYTES];
	struct http_vars *vs = hr_vars(v, var, 0);

	if (!vs) {
		memset(out, 0, sizeof(*out));   /* never set: no sample */
		return;
	}
	if (vs != v->rt->proc_vars) {
		http_vars_get(vs, var, out);
		return;
	}
	gen_lock(v->rt);
	http_vars_get(vs, var, out);
	if (out->type == PLAN_SMP_STR || out->type == PLAN_SMP_BIN) {
		memcpy(copy, out->str, out->len);
		out->str = copy;
	}
	gen_unlock(v->rt);
}

/* Variable `var` := smp (NONE: unset). */
static void hr_var_set(const struct http_req_view *v, uint32_t var,
                       const struct plan_sample *smp)
{
	struct http_vars *vs = hr_vars(v, var, smp->type != PLAN_SMP_NONE);
	int proc = vs && vs == v->rt->proc_vars;

	if (!vs)
		return;
	if (proc)
		gen_lock(v->rt);
	if (smp->type == PLAN_SMP_NONE)
		http_vars_unset(vs, var);
	else
		(void)http_vars_set(vs, var, smp);
	if (proc)
		gen_unlock(v->rt);
}

/* http_auth: a boolean; http_auth_group: in an ACL the groups of the
 * user the credentials name, one per call (iter), for the ACL's groups
 * to match; as a value (c->last) the user's name, as HAProxy gives it;
 * nothing when the credentials do not match. */
static void hr_fetch_auth(struct hr_ctx *c, const struct plan_acl *a,
                          struct plan_sample *out, uint32_t iter)
{
	const struct http_req_view *v = c->v;
	const struct plan_ul_user *u = &c->auth_u;
	size_t g = 0;
	const char *hv;
	uint32_t hl;

	if (c->auth_ul != a->sarg.off + 1) {
		/* the first Authorization line, as rules left it */
		c->auth_ul = a->sarg.off + 1;
		c->auth_ok = hr_line(v->buf, v->req, c->req_e, "authorization",
		                     13, 0, &hv, &hl) &&
		             http_auth_check(plan_str_get(c->p, a->sarg),
		                             a->sarg.len, hv, hl, &c->auth_u);
	}
	if (a->fetch == PLAN_FETCH_HTTP_AUTH) {
		out->type = PLAN_SMP_BOOL;
		out->i = c->auth_ok;
		return;
	}
	if (!c->auth_ok)
		return;
	if (c->last) {
		hr_str(out, u->name, u->name_len);
		return;
	}
	for (uint32_t k = 0; k < iter && g < u->groups_len; k++) {
		const char *e = memchr(u->groups + g, ',', u->groups_len - g);

		g = e ? (size_t)(e - u->groups) + 1 : u->groups_len;
	}
	if (g >= u->groups_len)
		return;
	{
		const char *e = memchr(u->groups + g, ',', u->groups_len - g);
		size_t end = e ? (size_t)(e - u->groups) : u->groups_len;

		hr_str(out, u->groups + g, end - g);
		out->iter = iter + 1;
		out->more = end < u->groups_len;
	}
}

static const struct plan_regex *hr_regex(const struct http_req_view *v);

static void hr_fetch(void *ctx, const struct plan_acl *a,
                     struct plan_sample *out)
{
	struct hr_ctx *c = ctx;
	const struct http_req_view *v = c->v;
	const struct h1_msg *m = v->req;
	uint32_t iter = out->iter, vo = 0, vl = 0, tl, path, q;
	const struct sample_fetch_def *f = sample_fetch_by_id(a->fetch);
	const char *t;

	memset(out, 0, sizeof(*out));
	if (!f || !(f->valid & c->where))
		return;               /* as cfgc warned: never a sample here */
	switch (a->fetch) {
	case PLAN_FETCH_ALWAYS_FALSE:
	case PLAN_FETCH_ALWAYS_TRUE:
		out->type = PLAN_SMP_BOOL;
		out->i = a->fetch == PLAN_FETCH_ALWAYS_TRUE;
		return;
	case PLAN_FETCH_SRC:
	case PLAN_FETCH_SRC_PORT:
		hr_addr(v->cli, a->fetch == PLAN_FETCH_SRC_PORT, out);
		return;
	case PLAN_FETCH_DST:
	case PLAN_FETCH_DST_PORT:
		hr_addr(v->dst, a->fetch == PLAN_FETCH_DST_PORT, out);
		return;
	case PLAN_FETCH_NBSRV:
		out->type = PLAN_SMP_INT;
		if (a->arg == PLAN_NONE || !v->rt || !v->rt->proxies)
			return;
		gen_lock(v->rt);
		out->i = balance_usable(v->rt, a->arg);
		gen_unlock(v->rt);
		return;
	case PLAN_FETCH_STKCTR:
		if (v->rt)
			stk_fetch(v->rt, v->stk, v->cli,
			          v->cli ? sizeof(*v->cli) : 0, a, out);
		return;
	case PLAN_FETCH_BE_NAME:
	case PLAN_FETCH_FE_NAME: {
		/* be_name as HAProxy: the frontend until a backend is chosen */
		uint32_t px = v->backend != PLAN_NONE &&
		              a->fetch == PLAN_FETCH_BE_NAME ? v->backend :
		              v->frontend;

		if (px < c->p->nproxies)
			hr_str(out, plan_str_get(c->p, c->p->proxies[px].name),
			       c->p->proxies[px].name.len);
		return;
	}
	case PLAN_FETCH_DATE:
		plan_fetch_const(c->p, a, out);
		return;
	case PLAN_FETCH_ACL:
		plan_fetch_acl(c->p, hr_regex(v), a, hr_fetch, c, out);
		return;
	default:
		out->iter = iter;
		if (pp_fetch(v->conn, a, out) ||
		    tls_fetch(v->conn, c->p, a, out, c->scratch,
		              sizeof(c->scratch)))
			return;
		break;
	}
	if (!m || !v->buf)
		return;
	hr_target(c->req_e, c, &t, &tl, &path, &q);
	switch (a->fetch) {
	case PLAN_FETCH_PROTO_HTTP:
		/* the request was parsed as HTTP/1 (HAProxy's HTTP ACL) */
		out->type = PLAN_SMP_BOOL;
		out->i = 1;
		return;
	case PLAN_FETCH_METHOD:
		if (c->req_e && (c->req_e->flags & HTTP_EDIT_METHOD))
			hr_str(out, c->req_e->arena + c->req_e->meth_off,
			       c->req_e->meth_len);
		else
			hr_str(out, v->buf + m->method.off, m->method.len);
		return;
	case PLAN_FETCH_PATH:
		if (q > path)
			hr_str(out, t + path, q - path);
		return;
	case PLAN_FETCH_PATHQ:
		if (q > path)
			hr_str(out, t + path, tl - path);
		return;
	case PLAN_FETCH_URL:
		hr_str(out, t, tl);
		return;
	case PLAN_FETCH_QUERY:
		if (q < tl)
			hr_str(out, t + q + 1, tl - q - 1);
		return;
	case PLAN_FETCH_BASE:
		hr_fetch_base(c, out);
		return;
	case PLAN_FETCH_URL_PARAM:
		if (q >= tl || !hr_param_values(t + q + 1, tl - q - 1, '&',
		                                plan_str_get(c->p, a->sarg),
		                                a->sarg.len, 0, &vo, &vl))
			return;
		hr_str(out, t + q + 1 + vo, vl);
		return;
	case PLAN_FETCH_REQ_HDR:
	case PLAN_FETCH_REQ_FHDR:
	case PLAN_FETCH_REQ_HDR_CNT:
	case PLAN_FETCH_REQ_FHDR_CNT:
		hr_fetch_hdr(c, a, v->buf, m, a->fetch == PLAN_FETCH_REQ_HDR ||
		             a->fetch == PLAN_FETCH_REQ_HDR_CNT,
		             a->fetch == PLAN_FETCH_REQ_HDR_CNT ||
		             a->fetch == PLAN_FETCH_REQ_FHDR_CNT, out, iter);
		return;
	case PLAN_FETCH_REQ_COOK:
		hr_fetch_cook(c, a, out, iter);
		return;
	case PLAN_FETCH_RES_HDR:
	case PLAN_FETCH_RES_FHDR:
	case PLAN_FETCH_RES_HDR_CNT:
		hr_fetch_hdr(c, a, v->rbuf, v->resp, a->fetch != PLAN_FETCH_RES_FHDR,
		             a->fetch == PLAN_FETCH_RES_HDR_CNT, out, iter);
		return;
	case PLAN_FETCH_STATUS:
		if (v->resp) {
			out->type = PLAN_SMP_INT;
			out->i = c->res_e && (c->res_e->flags & HTTP_EDIT_STATUS) ?
			         c->res_e->status : v->resp->status;
		}
		return;
	case PLAN_FETCH_REQ_VER:
		hr_str(out, m->version == 10 ? "1.0" : "1.1", 3);
		return;
	case PLAN_FETCH_RES_VER:
		if (v->resp)
			hr_str(out, v->resp->version == 10 ? "1.0" : "1.1", 3);
		return;
	case PLAN_FETCH_VAR:
		hr_var_get(v, a->arg, out);
		return;
	case PLAN_FETCH_HTTP_AUTH:
	case PLAN_FETCH_HTTP_AUTH_GROUP:
		hr_fetch_auth(c, a, out, iter);
		return;
	default:
		plan_fetch_const(c->p, a, out);
		return;
	}
}

/* ---- edits -------------------------------------------------------------- */

void http_edits_init(struct http_edits *e, char *arena, uint32_t arena_len,
                     uint8_t *del, uint32_t ndel)
{
	memset(e, 0, sizeof(*e));
	e->arena = arena;
	e->arena_cap = arena_len;
	e->del = del;
	e->ndel = ndel;
	if (del && ndel)
		memset(del, 0, ndel);
}

/* Append s[0..len) to the arena: its offset, or -1 (overflow set). */
static int64_t hr_put(struct http_edits *e, const char *s, size_t len)
{
	uint32_t off = e->arena_used;

	if (len > e->arena_cap - e->arena_used) {
		e->overflow = 1;
		return -1;
	}
	if (len)
		memcpy(e->arena + off, s, len);
	e->arena_used += (uint32_t)len;
	return off;
}

static const char hr_b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Converter `conv` on the arena text [off, off + *len): in place, the
 * arena grown for base64. 0 or -1 (overflow). */
static int hr_conv(struct http_edits *e, uint32_t off, uint32_t *len,
                   uint8_t conv)
{
	char *s = e->arena + off;
	uint32_t n = *len, out;

	switch (conv) {
	case PLAN_CONV_LOWER:
	case PLAN_CONV_UPPER:
		for (uint32_t i = 0; i < n; i++)
			if (conv == PLAN_CONV_LOWER && s[i] >= 'A' && s[i] <= 'Z')
				s[i] = (char)(s[i] + 32);
			else if (conv == PLAN_CONV_UPPER && s[i] >= 'a' && s[i] <= 'z')
				s[i] = (char)(s[i] - 32);
		return 0;
	case PLAN_CONV_BASE64:
		out = (n + 2) / 3 * 4;
		if (off + out > e->arena_cap || off + n != e->arena_used) {
			e->overflow = 1;
			return -1;
		}
		/* encode backwards so the input is read before it is written
		 * over: group g reads bytes 3g.. and writes 4g.. >= 3g */
		for (uint32_t g = (n + 2) / 3; g-- > 0;) {
			uint32_t i = g * 3, rem = n - i;
			uint32_t b0 = (uint8_t)s[i];
			uint32_t b1 = rem > 1 ? (uint8_t)s[i + 1] : 0;
			uint32_t b2 = rem > 2 ? (uint8_t)s[i + 2] : 0;
			uint32_t w = b0 << 16 | b1 << 8 | b2;
			char *d = s + g * 4;

			d[0] = hr_b64[w >> 18 & 63];
			d[1] = hr_b64[w >> 12 & 63];
			d[2] = rem > 1 ? hr_b64[w >> 6 & 63] : '=';
			d[3] = rem > 2 ? hr_b64[w & 63] : '=';
		}
		e->arena_used = off + out;
		*len = out;
		return 0;
	default:
		return 0;
	}
}

/* Address or port of ss as text into buf; its length (0: none). */
static size_t hr_addr_text(const struct sockaddr_storage *ss, int port,
                           char *buf, size_t len)
{
	struct plan_sample smp;

	memset(&smp, 0, sizeof(smp));
	hr_addr(ss, port, &smp);
	if (smp.type == PLAN_SMP_INT)
		return (size_t)snprintf(buf, len, "%lld", (long long)smp.i);
	if (smp.type == PLAN_SMP_IPV4 || smp.type == PLAN_SMP_IPV6)
		return inet_ntop(smp.type == PLAN_SMP_IPV4 ? AF_INET : AF_INET6,
		                 smp.ip, buf, (socklen_t)len) ? strlen(buf) : 0;
	return 0;
}

/* The proxy or server name for %ft, %b, %s. */
static const char *hr_name(const struct plan *p, uint32_t var,
                           const struct http_req_view *v)
{
	if (var == PLAN_LFV_FT && v->frontend < p->nproxies)
		return plan_str_get(p, p->proxies[v->frontend].name);
	if (var == PLAN_LFV_B && v->backend < p->nproxies)
		return plan_str_get(p, p->proxies[v->backend].name);
	if (var == PLAN_LFV_S && v->server < p->nservers)
		return plan_str_get(p, p->servers[v->server].name);
	return var == PLAN_LFV_S ? "<NOSRV>" : "-";
}

static const struct plan_regex *hr_regex(const struct http_req_view *v)
{
	return v->rt->regex;
}

/*
 * Nodes [from, *to) of rule r's value rendered into the arena: *off,
 * *len; rendering stops before an HDR node, whose index goes to *to.
 * 0, or -1 when it does not fit (overflow set).
 */
static int hr_render(struct hr_ctx *c, const struct plan_http_rule *r,
                     uint32_t from, uint32_t *to, struct http_edits *e,
                     uint32_t *off, uint32_t *len)
{
	const struct plan *p = c->p;
	char num[INET6_ADDRSTRLEN + 8];
	uint32_t k;

	*off = e->arena_used;
	for (k = from; k < r->nlf; k++) {
		const struct plan_lf_node *nd = &p->lf[r->first_lf + k];
		struct plan_sample smp;
		const char *t = NULL;
		size_t tl = 0;
		uint32_t start = e->arena_used, n;

		if (nd->kind == PLAN_LF_HDR)
			break;
		switch (nd->kind) {
		case PLAN_LF_LIT:
			t = plan_str_get(p, nd->str);
			tl = nd->str.len;
			break;
		case PLAN_LF_GROUP:
			if (c->gsrc && c->gvec[2 * nd->ref] != (size_t)-1) {
				t = c->gsrc + c->gvec[2 * nd->ref];
				tl = c->gvec[2 * nd->ref + 1] - c->gvec[2 * nd->ref];
			}
			break;
		case PLAN_LF_VAR:
			if (nd->ref <= PLAN_LFV_FP) {
				tl = hr_addr_text(nd->ref <= PLAN_LFV_CP ? c->v->cli :
				                  c->v->dst, nd->ref & 1, num, sizeof(num));
				t = num;
			} else {
				t = hr_name(p, nd->ref, c->v);
				tl = strlen(t);
			}
			break;
		default:
			memset(&smp, 0, sizeof(smp));
			c->last = 1;
			hr_fetch(c, &p->acls[nd->ref], &smp);
			c->last = 0;
			if (p->acls[nd->ref].conv)
				(void)plan_conv_apply(p, hr_regex(c->v),
				                      &p->acls[nd->ref], hr_fetch, c,
				                      &smp);
			if (smp.type == PLAN_SMP_STR || smp.type == PLAN_SMP_BIN) {
				t = smp.str;
				tl = smp.len;
			} else if (smp.type == PLAN_SMP_INT ||
			           smp.type == PLAN_SMP_BOOL) {
				tl = (size_t)snprintf(num, sizeof(num), "%lld",
				                      (long long)smp.i);
				t = num;
			} else if (smp.type != PLAN_SMP_NONE) {
				t = inet_ntop(smp.type == PLAN_SMP_IPV4 ? AF_INET : AF_INET6,
				              smp.ip, num, sizeof(num));
				tl = t ? strlen(t) : 0;
			}
			break;
		}
		if (hr_put(e, t, tl) < 0)
			return -1;
		n = (uint32_t)tl;
		for (unsigned i = 0; nd->kind == PLAN_LF_FETCH &&
		                     i < PLAN_LF_MAX_CONV && nd->conv[i]; i++)
			if (hr_conv(e, start, &n, nd->conv[i]) < 0)
				return -1;
	}
	*to = k;
	*len = e->arena_used - *off;
	return 0;
}

/* Does header name n[0..nl) match `pat` by `how` (plan_match STR..SUB),
 * ignoring case? */
static int hr_name_match(const char *n, size_t nl, const char *pat, size_t pl,
                         uint32_t how)
{
	switch (how) {
	case PLAN_MATCH_BEG:
		return nl >= pl && hr_name_eq(n, pl, pat, pl);
	case PLAN_MATCH_END:
		return nl >= pl && hr_name_eq(n + nl - pl, pl, pat, pl);
	case PLAN_MATCH_SUB:
		for (size_t i = 0; i + pl <= nl; i++)
			if (hr_name_eq(n + i, pl, pat, pl))
				return 1;
		return 0;
	default:
		return hr_name_eq(n, nl, pat, pl);
	}
}

/* Remove every header (received or added) of msg m whose name matches. */
static void hr_del_header(struct http_edits *e, const char *buf,
                          const struct h1_msg *m, const char *name,
                          size_t nl, uint32_t how)
{
	for (uint32_t i = 0; i < m->nhdrs && i < e->ndel; i++)
		if (hr_name_match(buf + m->hdrs[i].name.off, m->hdrs[i].name.len,
		                  name, nl, how))
			e->del[i] = 1;
	for (uint32_t i = 0; i < e->nadd; i++)
		if (hr_name_match(e->arena + e->add[i].name_off, e->add[i].name_len,
		                  name, nl, how))
			e->add[i].dead = 1;
}

static int hr_add_header(struct http_edits *e, const char *name, size_t nl,
                         uint32_t voff, uint32_t vlen)
{
	struct http_added *a;
	int64_t off;

	if (e->nadd >= HTTP_EDITS_MAX_ADDS || (off = hr_put(e, name, nl)) < 0) {
		e->overflow = 1;
		return -1;
	}
	a = &e->add[e->nadd++];
	a->name_off = (uint32_t)off;
	a->name_len = (uint32_t)nl;
	a->val_off = voff;
	a->val_len = vlen;
	a->dead = 0;
	return 0;
}

int http_edits_add(struct http_edits *e, const char *name, size_t nl,
                   const char *val, size_t vl)
{
	int64_t off = hr_put(e, val, vl);

	if (off < 0) {
		e->overflow = 1;
		return -1;
	}
	return hr_add_header(e, name, nl, (uint32_t)off, (uint32_t)vl);
}

void http_edits_del(struct http_edits *e, const char *buf,
                    const struct h1_msg *m, const char *name, size_t nl)
{
	for (uint32_t i = 0; i < m->nhdrs && i < e->ndel; i++)
		if (hr_name_eq(buf + m->hdrs[i].name.off, m->hdrs[i].name.len,
		               name, nl))
			e->del[i] = 1;
	for (uint32_t i = 0; i < e->nadd; i++)
		if (hr_name_eq(e->arena + e->add[i].name_off, e->add[i].name_len,
		               name, nl))
			e->add[i].dead = 1;
}

/* set-path, set-query, set-uri with value [voff, voff + vlen). */
static int hr_set_target(struct http_edits *e, const struct hr_ctx *c,
                         uint32_t action, uint32_t voff, uint32_t vlen)
{
	const char *t;
	uint32_t len, path, q, start;

	if (action == PLAN_HA_SET_URI) {
		e->uri_off = voff;
		e->uri_len = vlen;
		e->flags |= HTTP_EDIT_URI;
		return 0;
	}
	hr_target(e, c, &t, &len, &path, &q);
	start = e->arena_used;
	if (hr_put(e, t, path) < 0)
		return -1;
	if (action == PLAN_HA_SET_PATH) {
		if (hr_put(e, e->arena + voff, vlen) < 0 ||
		    hr_put(e, t + q, len - q) < 0)
			return -1;
	} else {
		if (hr_put(e, t + path, q - path) < 0 ||
		    (vlen && (hr_put(e, "?", 1) < 0 ||
		              hr_put(e, e->arena + voff, vlen) < 0)))
			return -1;
	}
	e->uri_off = start;
	e->uri_len = e->arena_used - start;
	e->flags |= HTTP_EDIT_URI;
	return 0;
}

/* The Location of a prefix or scheme redirect, around value [off, len). */
static int hr_redirect(struct http_edits *e, struct hr_ctx *c,
                       const struct plan_http_rule *r, uint32_t *off,
                       uint32_t *len)
{
	const struct h1_msg *m = c->v->req;
	const char *t;
	uint32_t tl, path, q, start = e->arena_used, voff = *off, vlen = *len;
	const char *host = "";
	uint32_t hl = 0;
	int slash;

	if (r->arg == PLAN_REDIR_LOCATION)
		return 0;
	hr_target(e, c, &t, &tl, &path, &q);
	if (hr_put(e, e->arena + voff, vlen) < 0)
		return -1;
	if (r->arg == PLAN_REDIR_SCHEME) {
		if (!hr_hdr_values(c->v->buf, m, e, "host", 4, 0, 0, &host, &hl) &&
		    m->authority.len) {
			host = c->v->buf + m->authority.off;
			hl = m->authority.len;
		}
		if (hr_put(e, "://", 3) < 0 || hr_put(e, host, hl) < 0)
			return -1;
	}
	/* a "/" prefix adds nothing before the path (HAProxy's rule) */
	if (r->arg == PLAN_REDIR_PREFIX && vlen == 1 && e->arena[voff] == '/')
		e->arena_used--;
	/* scheme: no path (authority or asterisk form) gives "/" */
	if (r->arg == PLAN_REDIR_SCHEME && q == path) {
		if (hr_put(e, "/", 1) < 0)
			return -1;
	} else if (hr_put(e, t + path, q - path) < 0) {
		return -1;
	}
	slash = (r->flags & PLAN_HR_F_APPEND_SLASH) &&
	        (q == path || t[q - 1] != '/');
	if ((slash && hr_put(e, "/", 1) < 0) ||
	    (!(r->flags & PLAN_HR_F_DROP_QUERY) && hr_put(e, t + q, tl - q) < 0))
		return -1;
	*off = start;
	*len = e->arena_used - start;
	return 0;
}

/* The header lines of a return from node `h` on: the edits' added
 * lines become the answer's (received-header removals are void then). */
static int hr_return_hdrs(struct hr_ctx *c, const struct plan_http_rule *r,
                          uint32_t h, struct http_edits *e)
{
	e->nadd = 0;
	while (h < r->nlf) {
		const struct plan_lf_node *nd = &c->p->lf[r->first_lf + h];
		uint32_t off, len;

		if (hr_render(c, r, h + 1, &h, e, &off, &len) < 0 ||
		    hr_add_header(e, plan_str_get(c->p, nd->str), nd->str.len,
		                  off, len) < 0)
			return -1;
	}
	return 0;
}


/* Received header i's value := arena [off, off + len). 0 or -1. */
static int hr_set_value(struct http_edits *e, uint32_t i, uint32_t off,
                        uint32_t len)
{
	uint32_t k;

	for (k = 0; k < e->nrepl && e->repl[k].hdr != i; k++)
		;
	if (k == e->nrepl) {
		if (e->nrepl == HTTP_EDITS_MAX_REPL) {
			e->overflow = 1;
			return -1;
		}
		e->nrepl++;
	}
	e->repl[k] = (struct http_repl){ i, off, len };
	e->del[i] = 2;
	return 0;
}

/* Rule r's value for the text v[0..len) its regex matched, appended to
 * the arena; -1 when it did not match, -2 on overflow. */
static int hr_replace_one(struct hr_ctx *c, const struct plan_http_rule *r,
                          struct http_edits *e, const char *v, uint32_t len,
                          uint32_t *off, uint32_t *olen)
{
	uint32_t pat = c->p->acls[r->arg].first_pattern, to;

	if (plan_regex_groups(hr_regex(c->v), pat, v, len, c->gvec,
	                      PLAN_REGEX_GROUPS) < 0)
		return -1;
	int ret;

	c->gsrc = v;
	ret = hr_render(c, r, 0, &to, e, off, olen) < 0 ? -2 : 0;
	c->gsrc = NULL;
	return ret;
}

/* replace-header / replace-value of rule r on message m (in buf). */
static void hr_replace(struct hr_ctx *c, const struct plan_http_rule *r,
                       struct http_edits *e, const char *buf,
                       const struct h1_msg *m)
{
	const char *name = plan_str_get(c->p, r->name);

	for (uint32_t i = 0; i < m->nhdrs && i < e->ndel && !e->overflow; i++) {
		const char *v;
		uint32_t len, off, olen, start, pos = 0;
		int changed = 0;

		if (e->del[i] == 1 || !hr_name_eq(buf + m->hdrs[i].name.off,
		                                  m->hdrs[i].name.len, name,
		                                  r->name.len))
			continue;
		hr_cur_value(e, buf, m, i, &v, &len);
		if (r->action == PLAN_HA_REPLACE_HEADER) {
			if (!hr_replace_one(c, r, e, v, len, &off, &olen))
				hr_set_value(e, i, off, olen);
			continue;
		}
		/* each comma-separated value; separators kept as they are */
		start = e->arena_used;
		while (pos <= len && !e->overflow) {
			uint32_t end = pos, a, b;
			int rr;

			while (end < len && v[end] != ',')
				end++;
			for (a = pos; a < end && hr_ows(v[a]); a++)
				;
			for (b = end; b > a && hr_ows(v[b - 1]); b--)
				;
			if (hr_put(e, v + pos, a - pos) < 0)
				break;
			rr = b > a ? hr_replace_one(c, r, e, v + a, b - a, &off, &olen)
			           : -1;
			if (rr == -2 || (rr == -1 && hr_put(e, v + a, b - a) < 0))
				break;
			changed |= rr == 0;
			if (hr_put(e, v + b, end - b + (end < len)) < 0)
				break;
			pos = end + 1;
		}
		if (changed && !e->overflow)
			hr_set_value(e, i, start, e->arena_used - start);
		else if (!e->overflow)
			e->arena_used = start;   /* nothing replaced: give it back */
	}
}

/* replace-path of rule r: the path as it stands (edited or received),
 * when the rule's regex matches it, becomes the value with its groups. */
static void hr_replace_path(struct hr_ctx *c, const struct plan_http_rule *r,
                            struct http_edits *e)
{
	const char *t;
	uint32_t len, path, q, off, olen;

	hr_target(e, c, &t, &len, &path, &q);
	if (!hr_replace_one(c, r, e, t + path, q - path, &off, &olen))
		(void)hr_set_target(e, c, PLAN_HA_SET_PATH, off, olen);
}

/* normalize-uri of rule r on the target as it stands: -1 when strict
 * finds an invalid %-sequence (the request gets a 400). A target with
 * no path ("*", an authority alone) is left as it is. */
static int hr_normalize(struct hr_ctx *c, const struct plan_http_rule *r,
                        struct http_edits *e)
{
	const char *t;
	uint32_t len, path, q, start = e->arena_used;
	long n;

	hr_target(e, c, &t, &len, &path, &q);
	if (path == len || hr_put(e, t, path) < 0)
		return 0;
	n = uri_normalize(r->arg, r->flags, t + path, len - path,
	                  e->arena + e->arena_used,
	                  e->arena_cap - e->arena_used);
	if (n < 0) {
		e->arena_used = start;
		if (n == URI_NORM_NOSPACE)
			e->overflow = 1;
		return n == URI_NORM_INVALID ? -1 : 0;
	}
	e->arena_used += (uint32_t)n;
	e->uri_off = start;
	e->uri_len = e->arena_used - start;
	e->flags |= HTTP_EDIT_URI;
	return 0;
}

/* The body of a deny, return or tarpit rule when it is one literal
 * (string, file): sent from the plan as it is, so that a payload up to
 * a buffer needs no room among the rewrites; else NULL. */
static const struct plan_lf_node *hr_literal_body(const struct plan *p,
                                                  const struct plan_http_rule *r)
{
	const struct plan_lf_node *nd = &p->lf[r->first_lf];

	if ((r->action != PLAN_HA_DENY && r->action != PLAN_HA_RETURN &&
	     r->action != PLAN_HA_TARPIT) || !r->nlf || nd->kind != PLAN_LF_LIT)
		return NULL;
	return r->nlf == 1 || nd[1].kind == PLAN_LF_HDR ? nd : NULL;
}

/* ---- rules ----------------------------------------------------------- */

static void hr_ctx_init(struct hr_ctx *c, const struct http_req_view *v,
                        uint32_t where)
{
	c->v = v;
	c->p = v->rt->plan;
	c->last = 0;
	c->where = where;
	c->req_e = v->req_edits;
	c->res_e = NULL;
	c->gsrc = NULL;
	c->auth_ul = 0;
}

/* Whether the condition of rule `rule` of list `list` (enum
 * http_trace_list) holds, told to the view's tracer when it has one. */
static int hr_holds(const struct http_req_view *view, uint32_t list,
                    uint32_t rule, uint32_t cond, uint32_t first_term,
                    uint32_t nterms, struct hr_ctx *c)
{
	int held = plan_cond_holds(view->rt->plan, hr_regex(view), cond,
	                           first_term, nterms, hr_fetch, c);

	if (view->trace)
		view->trace(view->trace_arg, list, rule, held);
	return held;
}

/*
 * The rules of set `set` of `proxy`: edits on message m (buf) for the
 * header actions; the verdict of the first final one.
 */
static uint32_t hr_run(const struct http_req_view *view, uint32_t proxy,
                       uint32_t set, int stats, struct http_edits *e,
                       struct http_verdict *v)
{
	const struct plan *p = view->rt->plan;
	const char *mbuf = set == PLAN_HR_REQUEST ? view->buf : view->rbuf;
	const struct h1_msg *m = set == PLAN_HR_REQUEST ? view->req : view->resp;
	struct hr_ctx c;
	uint32_t first, n = plan_http_rules_of(p, proxy, set, &first);

	memset(v, 0, sizeof(*v));
	v->rule = PLAN_NONE;
	hr_ctx_init(&c, view, set == PLAN_HR_REQUEST ? SMP_VAL_REQ :
	            set == PLAN_HR_RESPONSE ? SMP_VAL_RES : SMP_VAL_AFT);
	if (set == PLAN_HR_REQUEST)
		c.req_e = e;            /* later rules see earlier rules' edits */
	else
		c.res_e = e;
	for (uint32_t i = 0; i < n && !e->overflow; i++) {
		const struct plan_http_rule *r = &p->http_rules[first + i];
		const char *name = plan_str_get(p, r->name);
		const struct plan_lf_node *lit;
		uint32_t off = 0, len = 0, next = 0;

		if (!(r->flags & PLAN_HR_F_STATS) != !stats ||
		    r->action == PLAN_HA_STATS_ADMIN)
			continue;       /* stats http-request: its own run;
			                   stats admin: http_rules_stats_admin */
		if (!hr_holds(view, HTTP_TRACE_HTTP, first + i, r->cond,
		              r->first_term, r->nterms, &c))
			continue;
		if (r->action == PLAN_HA_STICK) {
			stk_rule(view->rt, view->stk, &p->tracks[r->arg], hr_fetch,
			         &c, set == PLAN_HR_REQUEST);
			continue;
		}
		if (r->action == PLAN_HA_REPLACE_HEADER ||
		    r->action == PLAN_HA_REPLACE_VALUE) {
			if (m && mbuf)
				hr_replace(&c, r, e, mbuf, m);
			continue;
		}
		if (r->action == PLAN_HA_REPLACE_PATH) {
			hr_replace_path(&c, r, e);
			continue;
		}
		if (r->action == PLAN_HA_NORMALIZE_URI) {
			if (hr_normalize(&c, r, e) == 0)
				continue;
			/* as HAProxy: an invalid request, 400 */
			v->kind = HTTP_VERDICT_DENY;
			v->status = 400;
			v->rule = first + i;
			return v->kind;
		}
		if (r->action == PLAN_HA_SET_VAR || r->action == PLAN_HA_UNSET_VAR) {
			struct plan_sample smp;

			memset(&smp, 0, sizeof(smp));
			if (r->action == PLAN_HA_SET_VAR) {
				const struct plan_acl *a = &p->acls[p->lf[r->first_lf].ref];

				c.last = 1;
				(void)plan_sample_eval(p, hr_regex(view), a, hr_fetch, &c,
				                       &smp);
				c.last = 0;
				if (smp.type == PLAN_SMP_NONE)
					continue;   /* no sample: the variable is kept */
			}
			hr_var_set(view, r->arg, &smp);
			continue;
		}
		lit = hr_literal_body(p, r);
		if (lit)
			next = 1;       /* the body stays in the plan */
		else if (r->nlf && hr_render(&c, r, 0, &next, e, &off, &len) < 0)
			break;
		switch (r->action) {
		case PLAN_HA_ALLOW:
			v->kind = HTTP_VERDICT_ALLOW;
			v->rule = first + i;
			return v->kind;
		case PLAN_HA_USE_SERVICE:
			v->kind = HTTP_VERDICT_SERVICE;
			v->service = (uint16_t)r->arg;
			v->rule = first + i;
			return v->kind;
		case PLAN_HA_AUTH:
			v->kind = HTTP_VERDICT_AUTH;
			v->status = r->status;
			v->rule = first + i;
			/* the realm: the rule's, else the stats page's (stats
			 * http-request) or the owning proxy's name */
			if (r->name.len) {
				v->body.ptr = name;
				v->body.len = r->name.len;
			} else if (r->flags & PLAN_HR_F_STATS) {
				v->body.ptr = "HAProxy Statistics";
				v->body.len = 18;
			} else {
				v->body.ptr = plan_str_get(p, p->proxies[r->proxy].name);
				v->body.len = p->proxies[r->proxy].name.len;
			}
			return v->kind;
		case PLAN_HA_DENY:
		case PLAN_HA_RETURN:
		case PLAN_HA_TARPIT:
		case PLAN_HA_REDIRECT:
			if (r->action == PLAN_HA_REDIRECT && len == 0 &&
			    (r->flags & PLAN_HR_F_IGNORE_EMPTY))
				continue;   /* an empty location: skip the rule */
			if (r->action == PLAN_HA_REDIRECT &&
			    hr_redirect(e, &c, r, &off, &len) < 0)
				break;
			v->kind = r->action == PLAN_HA_DENY ? HTTP_VERDICT_DENY :
			          r->action == PLAN_HA_TARPIT ? HTTP_VERDICT_TARPIT :
			          r->action == PLAN_HA_RETURN ? HTTP_VERDICT_RETURN :
			          HTTP_VERDICT_REDIRECT;
			v->status = r->status;
			v->rule = first + i;
			if (r->action != PLAN_HA_REDIRECT) {
				v->content_type.ptr = r->name.len ? name : NULL;
				v->content_type.len = r->name.len;
				v->body.ptr = lit ? plan_str_get(p, lit->str) :
				              len ? e->arena + off : NULL;
				v->body.len = lit ? lit->str.len : len;
				if (hr_return_hdrs(&c, r, next, e) < 0)
					break;
			} else if (r->action == PLAN_HA_REDIRECT) {
				v->location.ptr = e->arena + off;
				v->location.len = len;
				if (hr_return_hdrs(&c, r, next, e) < 0)
					break;
			}
			return v->kind;
		case PLAN_HA_SET_HEADER:
			if (m && mbuf)
				hr_del_header(e, mbuf, m, name, r->name.len,
				              PLAN_MATCH_STR);
			/* fall through */
		case PLAN_HA_ADD_HEADER:
			hr_add_header(e, name, r->name.len, off, len);
			break;
		case PLAN_HA_DEL_HEADER:
			if (m && mbuf)
				hr_del_header(e, mbuf, m, name, r->name.len, r->arg);
			break;
		case PLAN_HA_SET_STATUS:
			e->flags |= HTTP_EDIT_STATUS;
			e->status = r->status;
			e->reason_off = off;
			e->reason_len = len;
			break;
		case PLAN_HA_SET_METHOD:
			e->flags |= HTTP_EDIT_METHOD;
			e->meth_off = off;
			e->meth_len = len;
			break;
		case PLAN_HA_SET_VAR_FMT: {
			struct plan_sample smp;

			memset(&smp, 0, sizeof(smp));
			smp.type = PLAN_SMP_STR;
			smp.str = e->arena + off;
			smp.len = len;
			hr_var_set(view, r->arg, &smp);
			e->arena_used = off;    /* the text lives in the variable */
			break;
		}
		default:
			hr_set_target(e, &c, r->action, off, len);
			break;
		}
	}
	if (e->overflow) {
		memset(v, 0, sizeof(*v));
		v->kind = HTTP_VERDICT_ERROR;
		v->status = 500;
		v->rule = PLAN_NONE;
	}
	return v->kind;
}

uint32_t http_rules_tcp_content(const struct http_req_view *view,
                                uint32_t proxy, int fd)
{
	const struct plan *p = view->rt->plan;
	struct hr_ctx c;
	uint32_t first, n = plan_tcp_rules_of(p, proxy, PLAN_TCP_CONTENT, &first);

	hr_ctx_init(&c, view, SMP_VAL_REQ);
	for (uint32_t i = 0; i < n; i++) {
		const struct plan_rule *r = &p->rules[first + i];

		if (!hr_holds(view, HTTP_TRACE_TCP_CONTENT, first + i, r->cond,
		              r->first_term, r->nterms, &c))
			continue;
		switch (r->action) {
		case PLAN_RULE_ACCEPT:
			return HTTP_TCP_CONTINUE;
		case PLAN_RULE_REJECT:
			return HTTP_TCP_REJECT;
		case PLAN_RULE_SILENT_DROP:
			return HTTP_TCP_DROP;
		case PLAN_RULE_SET_MARK:
		case PLAN_RULE_SET_TOS:
			if (fd >= 0)
				sock_rule_action(fd, r);
			break;
		default:
			break;
		}
	}
	return HTTP_TCP_CONTINUE;
}

uint32_t http_rules_request(const struct http_req_view *view, uint32_t proxy,
                            struct http_edits *edits, struct http_verdict *v)
{
	return hr_run(view, proxy, PLAN_HR_REQUEST, 0, edits, v);
}

uint32_t http_rules_stats(const struct http_req_view *view, uint32_t proxy,
                          struct http_edits *edits, struct http_verdict *v)
{
	return hr_run(view, proxy, PLAN_HR_REQUEST, 1, edits, v);
}

int http_rules_stats_admin(const struct http_req_view *view, uint32_t proxy)
{
	const struct plan *p = view->rt->plan;
	struct hr_ctx c;
	uint32_t first, n = plan_http_rules_of(p, proxy, PLAN_HR_REQUEST, &first);

	hr_ctx_init(&c, view, SMP_VAL_REQ);
	for (uint32_t i = 0; i < n; i++) {
		const struct plan_http_rule *r = &p->http_rules[first + i];

		if (r->action == PLAN_HA_STATS_ADMIN &&
		    plan_cond_holds(p, hr_regex(view), r->cond, r->first_term,
		                    r->nterms, hr_fetch, &c))
			return 1;
	}
	return 0;
}

uint32_t http_rules_response(const struct http_req_view *view, uint32_t proxy,
                             struct http_edits *edits, struct http_verdict *v)
{
	return hr_run(view, proxy, PLAN_HR_RESPONSE, 0, edits, v);
}

uint32_t http_rules_after_response(const struct http_req_view *view,
                                   uint32_t proxy, struct http_edits *edits,
                                   struct http_verdict *v)
{
	return hr_run(view, proxy, PLAN_HR_AFTER, 0, edits, v);
}

uint32_t http_backend_choice(const struct http_req_view *view)
{
	const struct plan *p = view->rt->plan;
	const struct plan_proxy *px;
	struct hr_ctx c;

	if (view->frontend >= p->nproxies)
		return PLAN_NONE;
	px = &p->proxies[view->frontend];
	hr_ctx_init(&c, view, SMP_VAL_REQ);
	uint32_t first, n = plan_tcp_rules_of(p, view->frontend, PLAN_TCP_SWITCH,
	                                      &first);

	for (uint32_t i = 0; i < n; i++) {
		const struct plan_rule *r = &p->rules[first + i];

		struct plan_sample smp;
		uint32_t be;

		if (!hr_holds(view, HTTP_TRACE_SWITCH, first + i, r->cond,
		              r->first_term, r->nterms, &c))
			continue;
		if (!r->arg)
			return r->backend;
		c.last = 1;
		(void)plan_sample_eval(p, hr_regex(view), &p->acls[r->arg - 1],
		                       hr_fetch, &c, &smp);
		c.last = 0;
		if ((be = plan_backend_named(p, &smp)) != PLAN_NONE)
			return be;      /* no such backend: the next rule */
	}
	if (px->default_backend != PLAN_NONE)
		return px->default_backend;
	return (px->cap & PLAN_CAP_BE) ? view->frontend : PLAN_NONE;
}

uint32_t http_route_request(struct http_req_view *view,
                            struct http_edits *edits, struct http_verdict *v,
                            uint32_t *be)
{
	*be = PLAN_NONE;
	if (http_rules_request(view, view->frontend, edits, v) > HTTP_VERDICT_ALLOW)
		return HTTP_ROUTE_FE_VERDICT;
	/* use_backend, like everything after, sees the request as the
	 * rules left it (HAProxy edits the message itself) */
	view->req_edits = edits;
	*be = http_backend_choice(view);
	if (*be == PLAN_NONE)
		return HTTP_ROUTE_NO_BACKEND;
	view->backend = *be;
	if (*be != view->frontend &&
	    http_rules_request(view, *be, edits, v) > HTTP_VERDICT_ALLOW)
		return HTTP_ROUTE_BE_VERDICT;
	return HTTP_ROUTE_PASS;
}

void http_stick_rules(const struct http_req_view *view, uint32_t be,
                      struct stk_stores *st, uint32_t *want)
{
	struct hr_ctx c;

	if (!view->rt->plan->tcp[be].nstick) {
		stk_stores_drop(st);
		return;
	}
	hr_ctx_init(&c, view, SMP_VAL_REQ);
	stk_persist_rules(view->rt, be, hr_regex(view), hr_fetch, &c, st, want);
}

uint32_t http_use_server(const struct http_req_view *view, uint32_t be)
{
	struct hr_ctx c;

	if (!view->rt->plan->tcp[be].nuse_server)
		return PLAN_NONE;
	hr_ctx_init(&c, view, SMP_VAL_REQ);
	return use_server_rules(view->rt, be, hr_regex(view), hr_fetch, &c);
}

void http_stick_response(const struct http_req_view *view, uint32_t be,
                         uint32_t srv)
{
	struct hr_ctx c;

	if (be == PLAN_NONE || !view->rt->plan->tcp[be].nstick)
		return;
	hr_ctx_init(&c, view, SMP_VAL_RES);
	stk_persist_response(view->rt, be, hr_regex(view), hr_fetch, &c, srv);
}

/* ---- generation ------------------------------------------------------- */

void http_rules_sample(const struct http_req_view *view, uint32_t acl,
                       struct plan_sample *out)
{
	struct hr_ctx c;
	const struct plan *p = view->rt->plan;

	memset(out, 0, sizeof(*out));
	if (acl >= p->nacls)
		return;
	hr_ctx_init(&c, view, SMP_VAL_REQ | SMP_VAL_RES | SMP_VAL_AFT);
	c.last = 1;
	(void)plan_sample_eval(p, hr_regex(view), &p->acls[acl], hr_fetch, &c,
	                       out);
}

int http_rules_gen_init(struct runtime *rt, char *err, size_t errlen)
{
	rt->var_proc = 0;
	for (uint32_t i = 0; i < PLAN_MAX_VARS; i++)
		if (http_vars_is_proc(rt->plan, i))
			rt->var_proc |= (uint64_t)1 << i;
	if (rt->var_proc) {
		if (!(rt->proc_vars = malloc(sizeof(*rt->proc_vars)))) {
			snprintf(err, errlen, "out of memory for proc. variables");
			return -1;
		}
		http_vars_clear(rt->proc_vars);
	}
	rt->regex = plan_regex_build(rt->plan, err, errlen);
	if (!rt->regex)
		return -1;
	if (!(rt->live = plan_live_build(rt->plan))) {
		snprintf(err, errlen, "out of memory for the map files");
		return -1;
	}
	plan_regex_set_live(rt->regex, rt->live);
	return 0;
}

void http_rules_gen_free(struct runtime *rt)
{
	plan_regex_free(rt->regex);
	rt->regex = NULL;
	plan_live_free(rt->live);
	rt->live = NULL;
	free(rt->proc_vars);
	rt->proc_vars = NULL;
}

/* ---- output ----------------------------------------------------------- */

const char *http_reason(unsigned status)
{
	static const struct { unsigned short code; const char *text; } r[] = {
		{ 100, "Continue" }, { 101, "Switching Protocols" },
		{ 200, "OK" }, { 201, "Created" }, { 202, "Accepted" },
		{ 204, "No Content" }, { 206, "Partial Content" },
		{ 301, "Moved Permanently" }, { 302, "Found" },
		{ 303, "See Other" }, { 304, "Not Modified" },
		{ 307, "Temporary Redirect" }, { 308, "Permanent Redirect" },
		{ 400, "Bad Request" }, { 401, "Unauthorized" },
		{ 403, "Forbidden" }, { 404, "Not Found" },
		{ 405, "Method Not Allowed" }, { 407, "Proxy Authentication Required" },
		{ 408, "Request Timeout" }, { 410, "Gone" },
		{ 413, "Payload Too Large" }, { 414, "URI Too Long" },
		{ 421, "Misdirected Request" }, { 425, "Too Early" },
		{ 429, "Too Many Requests" },
		{ 431, "Request Header Fields Too Large" },
		{ 500, "Internal Server Error" }, { 501, "Not Implemented" },
		{ 502, "Bad Gateway" }, { 503, "Service Unavailable" },
		{ 504, "Gateway Timeout" },
	};

	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		if (r[i].code == status)
			return r[i].text;
	return "";
}

size_t http_edits_emit_size(const struct http_edits *e,
                            const struct h1_msg *m)
{
	size_t n = 64 + m->method.len + m->uri.len + m->reason.len +
	           e->meth_len + e->uri_len + e->reason_len;

	for (uint32_t i = 0; i < m->nhdrs; i++)
		n += m->hdrs[i].name.len + m->hdrs[i].value.len + 4;
	for (uint32_t i = 0; i < e->nadd; i++)
		n += e->add[i].name_len + e->add[i].val_len + 4;
	for (uint32_t i = 0; i < e->nrepl; i++)
		n += e->repl[i].len;
	return n;
}

/* Appending to out[0..cap) at *pos; 0 or -1 when full. */
static int hr_out(char *out, size_t cap, size_t *pos, const char *s,
                  size_t len)
{
	if (len > cap - *pos)
		return -1;
	memcpy(out + *pos, s, len);
	*pos += len;
	return 0;
}

size_t http_edits_emit(const struct http_edits *e, const char *buf,
                       const struct h1_msg *m, char *out, size_t cap)
{
	const char *ver = m->version == 10 ? "HTTP/1.0" : "HTTP/1.1";
	size_t pos = 0;
	int bad = 0;

	if (m->is_resp) {
		char code[8];
		unsigned st = (e->flags & HTTP_EDIT_STATUS) ? e->status : m->status;

		snprintf(code, sizeof(code), " %03u ", st % 1000);
		bad |= hr_out(out, cap, &pos, ver, 8) | hr_out(out, cap, &pos, code, 5);
		if (!(e->flags & HTTP_EDIT_STATUS))
			bad |= hr_out(out, cap, &pos, buf + m->reason.off, m->reason.len);
		else if (e->reason_len)
			bad |= hr_out(out, cap, &pos, e->arena + e->reason_off,
			              e->reason_len);
		else
			bad |= hr_out(out, cap, &pos, http_reason(st),
			              strlen(http_reason(st)));
	} else {
		if (e->flags & HTTP_EDIT_METHOD)
			bad |= hr_out(out, cap, &pos, e->arena + e->meth_off, e->meth_len);
		else
			bad |= hr_out(out, cap, &pos, buf + m->method.off, m->method.len);
		bad |= hr_out(out, cap, &pos, " ", 1);
		if (e->flags & HTTP_EDIT_URI)
			bad |= hr_out(out, cap, &pos, e->arena + e->uri_off, e->uri_len);
		else
			bad |= hr_out(out, cap, &pos, buf + m->uri.off, m->uri.len);
		bad |= hr_out(out, cap, &pos, " ", 1) |
		       hr_out(out, cap, &pos, ver, 8);
	}
	bad |= hr_out(out, cap, &pos, "\r\n", 2);
	for (uint32_t i = 0; i < m->nhdrs && !bad; i++) {
		const struct h1_hdr *h = &m->hdrs[i];

		const char *v;
		uint32_t vl;

		if (i < e->ndel && e->del[i] == 1)
			continue;
		hr_cur_value(e, buf, m, i, &v, &vl);
		bad |= hr_out(out, cap, &pos, buf + h->name.off, h->name.len) |
		       hr_out(out, cap, &pos, ": ", 2) |
		       hr_out(out, cap, &pos, v, vl) |
		       hr_out(out, cap, &pos, "\r\n", 2);
	}
	for (uint32_t i = 0; i < e->nadd && !bad; i++) {
		const struct http_added *a = &e->add[i];

		if (a->dead)
			continue;
		bad |= hr_out(out, cap, &pos, e->arena + a->name_off, a->name_len) |
		       hr_out(out, cap, &pos, ": ", 2) |
		       hr_out(out, cap, &pos, e->arena + a->val_off, a->val_len) |
		       hr_out(out, cap, &pos, "\r\n", 2);
	}
	bad |= hr_out(out, cap, &pos, "\r\n", 2);
	return bad ? 0 : pos;
}
