/*
 * test_http_rules.c: HTTP fetches, matchers and rules from configuration
 * text to decisions and bytes: the real cfgc passes compile a verified
 * plan, the request and response heads are filled by hand (a small
 * splitter below stands for the HTTP/1.1 parser, whose output is only an
 * h1_msg of slices), and the evaluator cfgrun runs (http_rules.c)
 * chooses backends, applies rules and emits the final heads. Also: cfgc's
 * located errors, the verifier's rejections, and the dump fixpoint.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile_helpers.h"
#include "dump.h"
#include "emit.h"
#include "http_rules.h"
#include "http_vars.h"
#include "plan.h"
#include "plan_live.h"
#include "runtime-t.h"

#define MAXH 32

/* A message head, its buffer and slices. */
struct msg {
	char buf[4096];
	struct h1_hdr hdrs[MAXH];
	struct h1_msg m;
};

/* Fill `x` from head text `t` ("GET /a?b HTTP/1.1\r\nHost: x\r\n\r\n"),
 * the way the parser describes a head: slices into the buffer. */
static void msg_set(struct msg *x, const char *t, int is_resp)
{
	size_t len = strlen(t);
	char *b = x->buf, *eol, *p, *sp1, *sp2;

	ck_assert_uint_lt(len, sizeof(x->buf));
	memcpy(b, t, len + 1);
	memset(&x->m, 0, sizeof(x->m));
	x->m.hdrs = x->hdrs;
	x->m.is_resp = (uint8_t)is_resp;
	eol = strstr(b, "\r\n");
	ck_assert_ptr_nonnull(eol);
	sp1 = memchr(b, ' ', (size_t)(eol - b));
	ck_assert_ptr_nonnull(sp1);
	sp2 = memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1));
	if (is_resp) {
		x->m.version = b[7] == '0' ? 10 : 11;
		x->m.status = (uint16_t)atoi(sp1 + 1);
		if (sp2)
			x->m.reason = (struct h1_slice){ (uint32_t)(sp2 + 1 - b),
			                                 (uint32_t)(eol - sp2 - 1) };
	} else {
		const char *u = sp1 + 1, *q, *path;

		ck_assert_ptr_nonnull(sp2);
		x->m.method = (struct h1_slice){ 0, (uint32_t)(sp1 - b) };
		x->m.uri = (struct h1_slice){ (uint32_t)(u - b),
		                              (uint32_t)(sp2 - u) };
		x->m.version = sp2[8] == '0' ? 10 : 11;
		path = u;
		if (!strncmp(u, "http://", 7)) {
			const char *a = u + 7;

			path = memchr(a, '/', (size_t)(sp2 - a));
			if (!path)
				path = sp2;
			x->m.authority = (struct h1_slice){ (uint32_t)(a - b),
			                                    (uint32_t)(path - a) };
			x->m.flags |= H1_F_ABS_URI;
		}
		q = memchr(path, '?', (size_t)(sp2 - path));
		x->m.path = (struct h1_slice){ (uint32_t)(path - b),
		                               (uint32_t)((q ? q : sp2) - path) };
		if (*path == '*')
			x->m.path.len = 0;
		if (q) {
			x->m.flags |= H1_F_HAS_QUERY;
			x->m.query = (struct h1_slice){ (uint32_t)(q + 1 - b),
			                                (uint32_t)(sp2 - q - 1) };
		}
	}
	for (p = eol + 2; strncmp(p, "\r\n", 2); p = eol + 2) {
		char *colon = strchr(p, ':'), *v, *e;

		eol = strstr(p, "\r\n");
		ck_assert(colon && colon < eol && x->m.nhdrs < MAXH);
		v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		e = eol;
		while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		x->hdrs[x->m.nhdrs++] = (struct h1_hdr){
			{ (uint32_t)(p - b), (uint32_t)(colon - p) },
			{ (uint32_t)(v - b), (uint32_t)(e - v) } };
	}
	x->m.head_len = (uint32_t)(p + 2 - b);
}

/* A compiled, verified plan of `text` and a generation around it. */
struct compiled {
	uint8_t *buf;
	size_t len;
	struct plan p;
	struct runtime rt;
};

static void compile_ok(struct compiled *c, const char *text)
{
	char detail[256];

	ch_compile_plan(text, &c->buf, &c->len, &c->p);
	memset(&c->rt, 0, sizeof(c->rt));
	c->rt.plan = &c->p;
	ck_assert_int_eq(http_rules_gen_init(&c->rt, detail, sizeof(detail)), 0);
}

static void compiled_free(struct compiled *c)
{
	http_rules_gen_free(&c->rt);
	free(c->buf);
}

static struct sockaddr_storage cli_addr, dst_addr;

static void view_init(struct http_req_view *v, struct compiled *c,
                      const struct msg *req, const struct msg *resp)
{
	struct sockaddr_in *ci = (struct sockaddr_in *)&cli_addr;
	struct sockaddr_in *di = (struct sockaddr_in *)&dst_addr;

	memset(v, 0, sizeof(*v));
	ci->sin_family = AF_INET;
	ci->sin_port = htons(40000);
	inet_pton(AF_INET, "192.0.2.10", &ci->sin_addr);
	di->sin_family = AF_INET;
	di->sin_port = htons(8080);
	inet_pton(AF_INET, "127.0.0.1", &di->sin_addr);
	v->buf = req->buf;
	v->req = &req->m;
	v->rbuf = resp ? resp->buf : NULL;
	v->resp = resp ? &resp->m : NULL;
	v->cli = &cli_addr;
	v->dst = &dst_addr;
	v->rt = &c->rt;
	v->frontend = 0;
	v->backend = PLAN_NONE;
	v->server = PLAN_NONE;
	{
		static struct http_vars *vars;  /* one request at a time */

		free(vars);             /* the previous request's, if any */
		vars = NULL;
		v->vars = &vars;
	}
}

#define HEAD \
	"defaults\n mode http\n timeout client 1s\n timeout connect 1s\n" \
	" timeout server 1s\n" \
	"frontend fe\n bind 127.0.0.1:8000\n"
#define BACKENDS \
	"backend b1\n server s 127.0.0.1:1\n" \
	"backend b2\n server s 127.0.0.1:2\n"

/* The backend request `req` goes to under the use_backend rules `rules`
 * of frontend fe ("default" when none applies). */
static const char *route(const char *rules, const char *req)
{
	static char out[64];
	char text[8192];
	struct compiled c;
	struct msg m;
	struct http_req_view v;
	uint32_t be;

	snprintf(text, sizeof(text), HEAD "%s default_backend b2\n" BACKENDS,
	         rules);
	compile_ok(&c, text);
	msg_set(&m, req, 0);
	view_init(&v, &c, &m, NULL);
	be = http_backend_choice(&v);
	snprintf(out, sizeof(out), "%s", be == c.p.proxies[0].default_backend ?
	         "default" : plan_str_get(&c.p, c.p.proxies[be].name));
	compiled_free(&c);
	return out;
}

/* 1 when ACL expression `expr` matches request `req`. */
static int hit(const char *expr, const char *req)
{
	char rules[1024];

	snprintf(rules, sizeof(rules), " use_backend b1 if { %s }\n", expr);
	return !strcmp(route(rules, req), "b1");
}

#define GET(target, hdrs) "GET " target " HTTP/1.1\r\n" hdrs "\r\n"

START_TEST(test_fetches_request_line)
{
	const char *r = GET("/api/v1/users?id=42&x=1&id=7", "Host: Example.com\r\n");

	ck_assert(hit("method GET", r));
	ck_assert(hit("method get", r));                /* method: -i */
	ck_assert(!hit("method POST", r));
	ck_assert(hit("path /api/v1/users", r));
	ck_assert(!hit("path /api/v1/users?id=42&x=1&id=7", r));
	ck_assert(hit("url /api/v1/users?id=42&x=1&id=7", r));
	ck_assert(hit("query id=42&x=1&id=7", r));
	ck_assert(hit("pathq /api/v1/users?id=42&x=1&id=7", r));
	ck_assert(hit("base Example.com/api/v1/users", r));
	ck_assert(hit("url_param(id) 42", r));          /* the first one */
	ck_assert(!hit("url_param(id) 7", r));
	ck_assert(hit("urlp(x) 1", r));
	ck_assert(!hit("url_param(nope) -m found", r));
	ck_assert(hit("req.ver 1.1", r));
	ck_assert(hit("req_ver 1.1", r));
	/* no query at all: query is not found, an empty one is */
	ck_assert(!hit("query -m found", GET("/a", "")));
	ck_assert(hit("query -m found", GET("/a?", "")));
	ck_assert(hit("query -m len 0", GET("/a?", "")));
	/* base without Host: the path alone */
	ck_assert(hit("base /a", GET("/a?q", "")));
	/* absolute form: path is the path part */
	ck_assert(hit("path /p", GET("http://h.example/p?q", "")));
	ck_assert(hit("url_beg http://h.example/", GET("http://h.example/p", "")));
	/* src, dst and ports still work in HTTP */
	ck_assert(hit("src 192.0.2.0/24", r));
	ck_assert(hit("dst_port 8080", r));
}
END_TEST

START_TEST(test_fetches_headers)
{
	const char *r = GET("/", "Host: www.example.com\r\n"
	                    "X-Multi: a, b ,c\r\n"
	                    "x-multi: d\r\n"
	                    "Cookie: sid=abc; theme=dark\r\n"
	                    "Cookie: sid=def\r\n"
	                    "X-Fwd: 10.1.2.3\r\n"
	                    "X-Num: 120\r\n");

	ck_assert(hit("hdr(host) www.example.com", r));
	ck_assert(hit("hdr(HOST) www.example.com", r)); /* names ignore case */
	ck_assert(hit("req.hdr(host) -i WWW.EXAMPLE.COM", r));
	ck_assert(!hit("req.hdr(host) WWW.EXAMPLE.COM", r));
	/* comma-separated values: an ACL tries each of every line */
	ck_assert(hit("hdr(x-multi) b", r));
	ck_assert(hit("hdr(x-multi) d", r));
	ck_assert(!hit("hdr(x-multi) \"a, b ,c\"", r));
	ck_assert(hit("req.fhdr(x-multi) \"a, b ,c\"", r));
	ck_assert(!hit("req.fhdr(x-multi) b", r));
	/* occurrences: first, last, from the end */
	ck_assert(hit("hdr(x-multi,1) a", r));
	ck_assert(!hit("hdr(x-multi,1) b", r));
	ck_assert(hit("hdr(x-multi,-1) d", r));
	ck_assert(hit("hdr(x-multi,-2) c", r));
	ck_assert(!hit("hdr(x-multi,9) -m found", r));
	ck_assert(hit("req.fhdr(x-multi,-1) d", r));
	ck_assert(hit("hdr_cnt(x-multi) 4", r));
	ck_assert(hit("req.fhdr_cnt(x-multi) 2", r));
	ck_assert(hit("hdr_cnt(absent) 0", r));
	ck_assert(hit("req.cook(sid) def", r));       /* every one, in an ACL */
	ck_assert(hit("cook(theme) dark", r));
	ck_assert(!hit("cook(the) -m found", r));
	/* derivatives that cast */
	ck_assert(hit("hdr_ip(x-fwd) 10.0.0.0/8", r));
	ck_assert(!hit("hdr_ip(x-fwd) 192.168.0.0/16", r));
	ck_assert(hit("hdr_val(x-num) gt 100", r));
	ck_assert(!hit("hdr_val(x-num) lt 100", r));
	ck_assert(hit("hdr_val(x-num) 100:200", r));
	ck_assert(!hit("hdr_val(host) 1:", r));       /* not a number */
	ck_assert(hit("hdr(absent) -m len 0", r) == 0);
	ck_assert(hit("hdr(x-multi) -m found", r));
}
END_TEST

START_TEST(test_matchers)
{
	const char *r = GET("/static/img/logo.PNG?v=2", "Host: img.cdn.example.org:8080\r\n");

	ck_assert(hit("path_beg /static/", r));
	ck_assert(!hit("path_beg /Static/", r));
	ck_assert(hit("path_beg -i /Static/", r));
	ck_assert(hit("path_end .PNG", r));
	ck_assert(!hit("path_end .png", r));
	ck_assert(hit("path_end -i .png .jpg", r));
	ck_assert(hit("path_sub img/", r));
	ck_assert(hit("path_dir img", r));
	ck_assert(!hit("path_dir im", r));
	ck_assert(hit("path_dir -i IMG", r));
	ck_assert(hit("hdr_dom(host) cdn", r));
	ck_assert(hit("hdr_dom(host) example.org", r));
	ck_assert(hit("hdr_dom(host) 8080", r));
	ck_assert(!hit("hdr_dom(host) xample", r));
	ck_assert(hit("path_len 20", r));
	ck_assert(hit("path_len gt 10", r));
	ck_assert(!hit("path_len lt 10", r));
	ck_assert(hit("path_reg ^/static/.*\\.png$ -i", r) == 0); /* -i after values is a value */
	ck_assert(hit("path_reg -i ^/static/.*\\.png$", r));
	ck_assert(!hit("path_reg ^/static/.*\\.png$", r));
	ck_assert(hit("path -m reg img/[a-z]+\\.", r));
	ck_assert(hit("url_reg v=[0-9]", r));
	ck_assert(hit("path -m beg /st", r));
	ck_assert(hit("path -m found", r));
	ck_assert(hit("url_end ?v=2", r));
	ck_assert(hit("base_beg img.cdn", r));
	ck_assert(hit("base_sub :8080/static", r));
	ck_assert(hit("urlp_beg(v) 2", r));
	ck_assert(hit("hdr_end(host) :8080", r));
	ck_assert(hit("hdr_beg(host) img.", r));
	ck_assert(hit("hdr_sub(host) cdn", r));
	ck_assert(hit("hdr_reg(host) ^img\\.", r));
	ck_assert(hit("hdr_len(host) 24", r));
	/* `--` ends the flags: a value that starts with '-' */
	ck_assert(hit("hdr(x) -- -v", GET("/", "X: -v\r\n")));
}
END_TEST

START_TEST(test_sorted_set)
{
	char rules[8192] = "", *p = rules;
	struct compiled c;
	char text[16384];
	const struct plan_acl *a;

	/* 200 names over 4 lines of 50 (a line has at most 64 words), in
	 * no order, with a duplicate on the first */
	for (int i = 0; i < 200; i++)
		p += sprintf(p, "%s Host%03d.Example.com", i % 50 ? "" :
		             i ? "\n acl known hdr(host) -i" :
		             " acl known hdr(host) -i host000.example.com",
		             (i * 37) % 200);
	p += sprintf(p, "\n use_backend b1 if known\n");
	snprintf(text, sizeof(text), HEAD "%s default_backend b2\n" BACKENDS,
	         rules);
	compile_ok(&c, text);
	a = &c.p.acls[0];
	ck_assert_uint_eq(a->match, PLAN_MATCH_STR);
	ck_assert(a->flags & PLAN_ACL_F_SORTED);
	ck_assert(a->flags & PLAN_ACL_F_ICASE);
	ck_assert_uint_eq(a->npatterns, 50);          /* duplicates once */
	ck_assert_uint_eq(c.p.nacls, 4);
	for (uint32_t k = 1; k < a->npatterns; k++)
		ck_assert_int_lt(strcmp(plan_str_get(&c.p, c.p.patterns[k - 1].str),
		                        plan_str_get(&c.p, c.p.patterns[k].str)), 0);
	compiled_free(&c);
	ck_assert_str_eq(route(rules, GET("/", "Host: HOST000.example.com\r\n")), "b1");
	ck_assert_str_eq(route(rules, GET("/", "Host: host199.example.com\r\n")), "b1");
	ck_assert_str_eq(route(rules, GET("/", "Host: host123.EXAMPLE.com\r\n")), "b1");
	ck_assert_str_eq(route(rules, GET("/", "Host: host200.example.com\r\n")), "default");
	ck_assert_str_eq(route(rules, GET("/", "Host: host12.example.com\r\n")), "default");
	ck_assert_str_eq(route(rules, GET("/", "")), "default");
}
END_TEST

START_TEST(test_use_backend_conditions)
{
	const char *rules =
		" acl api path_beg /api/\n"
		" acl admin hdr(host) -i admin.example.com\n"
		" use_backend b1 if api !admin\n"
		" use_backend b1 if { method POST } || { hdr_cnt(x-b1) gt 0 }\n";

	ck_assert_str_eq(route(rules, GET("/api/x", "Host: www\r\n")), "b1");
	ck_assert_str_eq(route(rules, GET("/api/x", "Host: Admin.example.com\r\n")), "default");
	ck_assert_str_eq(route(rules, "POST / HTTP/1.1\r\n\r\n"), "b1");
	ck_assert_str_eq(route(rules, GET("/", "X-B1: 1\r\n")), "b1");
	ck_assert_str_eq(route(rules, GET("/", "")), "default");
}
END_TEST

/* ---- cfgc diagnostics ------------------------------------------------ */

#define expect_diag ch_expect_diag

START_TEST(test_fetch_diagnostics)
{
	enum sema_target cr = SEMA_TARGET_CFGRUN;

	expect_diag(HEAD " acl a path_bgn /x\n" BACKENDS, cr, DIAG_ERROR,
	            "unsupported", 8, 8, "ACL fetch 'path_bgn' is not supported");
	expect_diag(HEAD " acl a path_reg ^/(a\n" BACKENDS, cr, DIAG_ERROR,
	            "invalid-regex", 8, 20, "invalid regular expression '^/(a'");
	expect_diag(HEAD " acl a hdr_reg(host) a[b\n" BACKENDS, cr, DIAG_ERROR,
	            "invalid-regex", 8, 24, "missing terminating ]");
	expect_diag(HEAD " acl a hdr(host,x) a\n" BACKENDS, cr, DIAG_ERROR,
	            "invalid-argument", 8, 17, "occurrence number");
	expect_diag(HEAD " acl a hdr(host,0) a\n" BACKENDS, cr, DIAG_ERROR,
	            "unsupported", 8, 8, "occurrence 0");
	expect_diag(HEAD " acl a path(x) a\n" BACKENDS, cr, DIAG_ERROR,
	            "unsupported", 8, 8, "takes no argument");
	expect_diag(HEAD " acl a hdr a\n" BACKENDS, cr, DIAG_ERROR,
	            "unsupported", 8, 8, "without a name");
	expect_diag(HEAD " acl a url_param(a,b) a\n" BACKENDS, cr, DIAG_ERROR,
	            "unsupported", 8, 8, "takes one name");
	expect_diag(HEAD " acl a path,nosuchconv /a\n" BACKENDS, cr, DIAG_ERROR,
	            "unknown-converter", 8, 13, "unknown converter 'nosuchconv'");
	expect_diag(HEAD " acl a path,xxh64(1) /a\n" BACKENDS, cr, DIAG_ERROR,
	            "unsupported", 8, 13, "converter 'xxh64' is not supported");
	expect_diag(HEAD " acl a path,sha2(100) /a\n" BACKENDS, cr, DIAG_ERROR,
	            "invalid-argument", 8, 13, "sha2 takes 224, 256, 384 or 512");
	expect_diag(HEAD " acl a status -m str 200\n" BACKENDS, cr, DIAG_ERROR,
	            "unsupported", 8, 8, "matching 'status' with '-m str'");
	expect_diag(HEAD " use_backend b1 if { res.hdr(x) y }\n" BACKENDS, cr,
	            DIAG_WARNING, "never-matches", 8, 22,
	            "'res.hdr' reads the response");
	expect_diag("defaults\n mode tcp\n timeout client 1s\n timeout connect 1s\n"
	            " timeout server 1s\nfrontend fe\n bind 127.0.0.1:8000\n"
	            " use_backend b1 if { path /a }\n" BACKENDS, cr,
	            DIAG_WARNING, "never-matches", 8, 22,
	            "HTTP sample fetch 'path' in a TCP frontend");
}
END_TEST


/* ---- verifier ---------------------------------------------------------- */

/* The plan of `text`, its ACL a's first pattern and the blob, editable. */
static enum plan_err corrupt(const char *text,
                             void (*mut)(uint8_t *buf, struct plan *p),
                             char *detail, size_t len)
{
	struct compiled c;
	struct plan p;
	enum plan_err e;

	compile_ok(&c, text);
	mut(c.buf, &c.p);
	plan_digest(c.buf, c.len, (uint8_t *)c.buf +
	            offsetof(struct plan_header, digest));
	e = plan_verify(c.buf, c.len, &p, detail, len);
	compiled_free(&c);
	return e;
}

#define W(ptr) ((void *)(uintptr_t)(ptr))

/* One corruption of a verified plan and what the verifier must say. */
struct corruption {
	void (*mut)(uint8_t *, struct plan *);
	const char *needle;
};

/* Every case of cases[0..n) applied to the plan of `text` is refused
 * with a detail saying its needle. */
static void expect_rejections(const char *text, const struct corruption *cases,
                              size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char detail[256];
		enum plan_err e = corrupt(text, cases[i].mut, detail, sizeof(detail));

		ck_assert_msg(e != PLAN_E_OK, "case %zu accepted", i);
		ck_assert_msg(strstr(detail, cases[i].needle),
		              "case %zu: '%s' lacks '%s'", i, detail, cases[i].needle);
	}
}

static void m_unsorted(uint8_t *b, struct plan *p)
{
	struct plan_pattern *pt = W(&p->patterns[0]);
	struct plan_str t = pt[0].str;

	(void)b;
	pt[0].str = pt[1].str;
	pt[1].str = t;
}

static void m_upper(uint8_t *b, struct plan *p)
{
	(void)b;
	((char *)W(p->blob))[p->patterns[0].str.off] = 'A';
}

static void m_no_name(uint8_t *b, struct plan *p)
{
	(void)b;
	((struct plan_acl *)W(&p->acls[0]))->sarg = (struct plan_str){ 0, 0 };
}

static void m_occ(uint8_t *b, struct plan *p)
{
	(void)b;
	((struct plan_acl *)W(&p->acls[1]))->occ = 2;
}

static void m_sorted_beg(uint8_t *b, struct plan *p)
{
	(void)b;
	((struct plan_acl *)W(&p->acls[0]))->match = PLAN_MATCH_BEG;
}

static void m_status_match(uint8_t *b, struct plan *p)
{
	(void)b;
	((struct plan_acl *)W(&p->acls[2]))->match = PLAN_MATCH_STR;
}

static void m_pat_kind(uint8_t *b, struct plan *p)
{
	(void)b;
	((struct plan_pattern *)W(&p->patterns[0]))->kind = PLAN_PAT_INT;
}

START_TEST(test_verifier)
{
	static const struct corruption cases[] = {
		{ m_unsorted, "sorted patterns 0 and 1 out of order" },
		{ m_upper, "uppercase in a -i pattern" },
		{ m_no_name, "acl 0: fetch 13 with a name of 0 bytes" },
		{ m_occ, "acl 1: occurrence 2 on fetch 8" },
		{ m_sorted_beg, "acl 0: sorted with match 5" },
		{ m_status_match, "acl 2: match 4 does not fit fetch 15" },
		{ m_pat_kind, "pattern 0: kind 2 under match 4" },
	};
	const char *text = HEAD " acl a hdr(host) -i b.example a.example\n"
	                   " acl p path /x\n acl n hdr_cnt(x) 3\n"
	                   " use_backend b1 if a p n\n" BACKENDS;

	expect_rejections(text, cases, sizeof(cases) / sizeof(cases[0]));
}
END_TEST

/* ---- dump ------------------------------------------------------------- */

static char *dump_text(const uint8_t *buf, size_t len)
{
	struct plan p;
	char *text = NULL, detail[256];
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);

	ck_assert_int_eq(plan_verify(buf, len, &p, detail, sizeof(detail)),
	                 PLAN_E_OK);
	ck_assert_int_eq(dump_plan(&p, f), 0);
	fclose(f);
	return text;
}

/* compile -> dump -> compile -> dump gives the same text and plan. */
static char *fixpoint(const char *text)
{
	struct compiled a, b;
	char *t1, *t2;

	compile_ok(&a, text);
	t1 = dump_text(a.buf, a.len);
	compile_ok(&b, t1);
	t2 = dump_text(b.buf, b.len);
	ck_assert_str_eq(t1, t2);
	compiled_free(&a);
	compiled_free(&b);
	free(t2);
	return t1;
}

START_TEST(test_dump_fixpoint_acls)
{
	char *t = fixpoint(HEAD
		" acl a hdr(host,-1) -i B.example a.example \"with space\"\n"
		" acl r path_reg ^/x[0-9]+$\n"
		" acl q url_param(id) -m beg -- -1\n"
		" acl n hdr_val(x-n) gt 5\n"
		" use_backend b1 if a r || q n { cook(s) -m found }\n" BACKENDS);

	ck_assert_ptr_nonnull(strstr(t, "acl a req.hdr(host,-1) -m str -i -- "
	                             "a.example b.example \"with space\"\n"));
	ck_assert_ptr_nonnull(strstr(t, "acl r path -m reg -- \"^/x[0-9]+\\$\"\n"));
	ck_assert_ptr_nonnull(strstr(t, "acl n req.hdr(x-n) -m int -- 6:\n"));
	ck_assert_ptr_nonnull(strstr(t, "{ req.cook(s) -m found }"));
	free(t);
}
END_TEST

/* ---- rules -------------------------------------------------------------- */

/* One exchange through a compiled configuration. */
struct run {
	struct compiled c;
	struct msg req, resp;
	struct http_req_view view;
	struct http_edits e;
	char arena[HTTP_MAXREWRITE_DEFAULT];
	uint8_t del[MAXH];
	struct http_verdict v;
	char out[8192];
	size_t outlen;
};

/* Compile `cfg`, then run the http-request rules of proxy `px` on
 * request `req` and emit the request head into r->out. */
static struct run *run_request(const char *cfg, const char *req, uint32_t px,
                               uint32_t arena)
{
	struct run *r = calloc(1, sizeof(*r));

	ck_assert_ptr_nonnull(r);
	compile_ok(&r->c, cfg);
	msg_set(&r->req, req, 0);
	view_init(&r->view, &r->c, &r->req, NULL);
	http_edits_init(&r->e, r->arena, arena, r->del, MAXH);
	http_rules_request(&r->view, px, &r->e, &r->v);
	if (r->v.kind == HTTP_VERDICT_CONTINUE || r->v.kind == HTTP_VERDICT_ALLOW) {
		ck_assert_uint_le(http_edits_emit_size(&r->e, &r->req.m),
		                  sizeof(r->out));
		r->outlen = http_edits_emit(&r->e, r->req.buf, &r->req.m, r->out,
		                            sizeof(r->out));
		ck_assert_uint_gt(r->outlen, 0);
		r->out[r->outlen] = 0;
	}
	return r;
}

static void run_free(struct run *r)
{
	compiled_free(&r->c);
	free(r);
}

static char *text_of(struct http_text t)
{
	static char buf[1024];

	snprintf(buf, sizeof(buf), "%.*s", (int)t.len, t.ptr ? t.ptr : "");
	return buf;
}

#define FE(rules) HEAD rules " default_backend b1\n" BACKENDS

START_TEST(test_request_header_edits)
{
	struct run *r = run_request(FE(
		" http-request set-header X-A new-a\n"
		" http-request add-header X-Add \"%[req.hdr(host),lower] via %ft\"\n"
		" http-request add-header X-Add second\n"
		" http-request del-header x-secret -m beg\n"
		" http-request set-header X-Client %ci:%cp\n"
		" http-request add-header X-B64 %[path,base64]\n"
		" http-request add-header X-Up %[method,upper]%%\n"
		" http-request del-header x-gone\n"),
		"get /a/b?q=1 HTTP/1.1\r\n"
		"Host: WWW.Example.COM\r\n"
		"X-A: old1\r\n"
		"X-Secret-Token: s\r\n"
		"x-a: old2\r\n"
		"X-Secret: t\r\n"
		"Accept:  */*  \r\n"
		"\r\n", 0, HTTP_MAXREWRITE_DEFAULT);

	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_CONTINUE);
	ck_assert_str_eq(r->out,
		"get /a/b?q=1 HTTP/1.1\r\n"
		"Host: WWW.Example.COM\r\n"
		"Accept: */*\r\n"
		"X-A: new-a\r\n"
		"X-Add: www.example.com via fe\r\n"
		"X-Add: second\r\n"
		"X-Client: 192.0.2.10:40000\r\n"
		"X-B64: L2EvYg==\r\n"
		"X-Up: GET%\r\n"
		"\r\n");
	run_free(r);
}
END_TEST

START_TEST(test_request_line_edits)
{
	struct run *r;

	r = run_request(FE(" http-request set-path /v2%[path]\n"
	                   " http-request set-method POST\n"),
	                GET("/a?x=1", ""), 0, HTTP_MAXREWRITE_DEFAULT);
	ck_assert_str_eq(r->out, "POST /v2/a?x=1 HTTP/1.1\r\n\r\n");
	run_free(r);
	r = run_request(FE(" http-request set-query y=%[url_param(x)]\n"),
	                GET("/a?x=1", ""), 0, HTTP_MAXREWRITE_DEFAULT);
	ck_assert_str_eq(r->out, "GET /a?y=1 HTTP/1.1\r\n\r\n");
	run_free(r);
	r = run_request(FE(" http-request set-query %[url_param(none)]\n"),
	                GET("/a?x=1", ""), 0, HTTP_MAXREWRITE_DEFAULT);
	ck_assert_str_eq(r->out, "GET /a HTTP/1.1\r\n\r\n");
	run_free(r);
	/* set-uri, then set-path on the new target */
	r = run_request(FE(" http-request set-uri /new?k=v\n"
	                   " http-request set-path /p\n"),
	                "GET /old HTTP/1.0\r\n\r\n", 0, HTTP_MAXREWRITE_DEFAULT);
	ck_assert_str_eq(r->out, "GET /p?k=v HTTP/1.0\r\n\r\n");
	run_free(r);
	/* absolute form keeps its scheme and authority */
	r = run_request(FE(" http-request set-path /z\n"),
	                GET("http://h.example/a?b", ""), 0,
	                HTTP_MAXREWRITE_DEFAULT);
	ck_assert_str_eq(r->out, "GET http://h.example/z?b HTTP/1.1\r\n\r\n");
	run_free(r);
}
END_TEST

START_TEST(test_replace)
{
	struct run *r;

	/* HAProxy's example: the whole value becomes the replacement */
	r = run_request(FE(
		" http-request replace-header Cookie foo=([^;]*);(.*) "
		"foo=\\1;ip=%ci;\\2\n"
		" http-request replace-value X-Fwd ^10\\.(.*)$ 172.\\1\n"
		" http-request replace-header X-Case (?i)^abc$ [\\0]\n"),
		GET("/", "Cookie: foo=foobar; expires=never\r\n"
		    "X-Fwd: 10.0.0.1, 192.0.2.1,10.9.9.9\r\n"
		    "X-Other: 10.1.1.1\r\n"
		    "X-Case: ABC\r\n"
		    "X-Case: abcd\r\n"), 0, HTTP_MAXREWRITE_DEFAULT);
	ck_assert_str_eq(r->out, "GET / HTTP/1.1\r\n"
		"Cookie: foo=foobar;ip=192.0.2.10; expires=never\r\n"
		"X-Fwd: 172.0.0.1, 192.0.2.1,172.9.9.9\r\n"
		"X-Other: 10.1.1.1\r\n"
		"X-Case: [ABC]\r\n"
		"X-Case: abcd\r\n\r\n");
	run_free(r);
	/* a second rule sees the first one's result; del-header still wins */
	r = run_request(FE(" http-request replace-header X-A (.*) \\1-1\n"
	                   " http-request replace-header X-A (.*) \\1-2\n"
	                   " http-request replace-header X-B (.*) z\n"
	                   " http-request del-header x-b\n"),
	                GET("/", "X-A: v\r\nX-B: w\r\n"), 0, 1024);
	ck_assert_str_eq(r->out, "GET / HTTP/1.1\r\nX-A: v-1-2\r\n\r\n");
	run_free(r);
}
END_TEST

/* ---- userlists ------------------------------------------------------------ */

#define USERS \
	"userlist ul\n group ops users ann\n group dev\n" \
	" user ann insecure-password 'p w'\n" \
	" user ben password '$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0Y77vwPZN.Pq.H91p5hVO1' groups dev,ops\n"
/* "ann:p w", "ben:secret", "ben:wrong" */
#define AUTH_ANN "Authorization: Basic YW5uOnAgdw==\r\n"
#define AUTH_BEN "Authorization: Basic YmVuOnNlY3JldA==\r\n"
#define AUTH_BAD "Authorization: Basic YmVuOndyb25n\r\n"

START_TEST(test_userlist_auth)
{
	const char *cfg = HEAD
		" acl ok http_auth(ul)\n"
		" acl dev http_auth_group(ul) dev\n"
		" http-request auth realm Inside if !ok\n"
		" http-request deny deny_status 402 if { path /dev } !dev\n"
		" http-request auth if { path /again }\n"
		" http-request set-header X-User %[http_auth_group(ul)]\n"
		" default_backend b1\n" BACKENDS USERS;
	struct run *r;
	char *t;

	r = run_request(cfg, GET("/", ""), 0, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_AUTH);
	ck_assert_uint_eq(r->v.status, 401);
	ck_assert_str_eq(text_of(r->v.body), "Inside");
	run_free(r);
	r = run_request(cfg, GET("/", AUTH_BAD), 0, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_AUTH);
	run_free(r);
	r = run_request(cfg, GET("/", AUTH_ANN), 0, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_CONTINUE);
	run_free(r);
	/* ann is in ops only; ben (crypt hash) in dev and ops */
	r = run_request(cfg, GET("/dev", AUTH_ANN), 0, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_DENY);
	ck_assert_uint_eq(r->v.status, 402);
	run_free(r);
	r = run_request(cfg, GET("/dev", AUTH_BEN), 0, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_CONTINUE);
	/* as a value, http_auth_group gives the user's name */
	ck_assert_ptr_nonnull(strstr(r->out, "X-User: ben\r\n"));
	run_free(r);
	/* no realm: the proxy's name */
	r = run_request(cfg, GET("/again", AUTH_BEN), 0, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_AUTH);
	ck_assert_str_eq(text_of(r->v.body), "fe");
	run_free(r);
	t = fixpoint(cfg);
	ck_assert_ptr_nonnull(strstr(t, "acl dev http_auth_group(ul) -m str -- dev\n"));
	ck_assert_ptr_nonnull(strstr(t, "http-request auth realm Inside if !ok\n"));
	ck_assert_ptr_nonnull(strstr(t, "\nuserlist ul\n    group ops\n    group dev\n"
	                             "    user ann insecure-password \"p w\" groups ops\n"
	                             "    user ben password \"\\$6\\$saltsalt\\$"));
	ck_assert_ptr_nonnull(strstr(t, " groups ops,dev\n"));
	free(t);
}
END_TEST

START_TEST(test_userlist_diagnostics)
{
	enum sema_target cr = SEMA_TARGET_CFGRUN;

	expect_diag(HEAD " acl a http_auth_group(ul) nope\n" BACKENDS USERS, cr,
	            DIAG_ERROR, "unknown-group", 8, 28, "has no group 'nope'");
	expect_diag(HEAD " acl a http_auth(none)\n" BACKENDS USERS, cr,
	            DIAG_ERROR, "unknown-userlist", 8, 8, "'none'");
	expect_diag(HEAD BACKENDS "userlist ul\n user u groups g\n", cr,
	            DIAG_ERROR, "unknown-group", 13, 16, "no such group 'g'");
	expect_diag(HEAD BACKENDS "userlist ul\n group g users a,b\n user a\n", cr,
	            DIAG_ERROR, "unknown-user", 13, 16, "no such user 'b'");
	expect_diag(HEAD BACKENDS "userlist ul\n user u secret x\n", cr,
	            DIAG_ERROR, "invalid-argument", 13, 9, "found 'secret'");
	expect_diag(HEAD BACKENDS "userlist ul\n user u\n user u\n", cr,
	            DIAG_WARNING, "duplicate-name", 14, 7, "duplicated user 'u'");
	expect_diag(HEAD " http-request auth realm\n" BACKENDS, cr,
	            DIAG_ERROR, "invalid-argument", 8, 20, "found 'realm'");
}
END_TEST

START_TEST(test_tarpit)
{
	const char *cfg = HEAD
		" timeout tarpit 2s\n"
		" http-request tarpit deny_status 429 if { path /t }\n"
		" http-request tarpit if { path /u }\n"
		" default_backend b1\n" BACKENDS;
	struct run *r;
	char *t;

	r = run_request(cfg, GET("/t", ""), 0, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_TARPIT);
	ck_assert_uint_eq(r->v.status, 429);
	ck_assert_uint_eq(r->c.p.proxies[0].timeout_tarpit, 2000);
	run_free(r);
	r = run_request(cfg, GET("/u", ""), 0, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_TARPIT);
	ck_assert_uint_eq(r->v.status, 500);
	run_free(r);
	t = fixpoint(cfg);
	ck_assert_ptr_nonnull(strstr(t, "    timeout tarpit 2s\n"));
	ck_assert_ptr_nonnull(strstr(t, "http-request tarpit deny_status 429 if"));
	free(t);
}
END_TEST

START_TEST(test_stats_rules)
{
	const char *cfg = HEAD
		" acl ok http_auth(ul)\n"
		" stats enable\n stats uri /st\n"
		" stats http-request deny if { path /st/d }\n"
		" stats http-request auth unless ok\n"
		" stats admin if { http_auth_group(ul) ops }\n"
		" http-request deny if { path /x }\n"
		" default_backend b1\n" BACKENDS USERS;
	struct run *r;
	char *t;

	/* the ordinary request rules skip the stats ones */
	r = run_request(cfg, GET("/st/d", ""), 0, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_CONTINUE);
	ck_assert_uint_eq(http_rules_stats(&r->view, 0, &r->e, &r->v),
	                  HTTP_VERDICT_DENY);
	ck_assert_uint_eq(r->v.status, 403);
	run_free(r);
	r = run_request(cfg, GET("/st", ""), 0, 1024);
	ck_assert_uint_eq(http_rules_stats(&r->view, 0, &r->e, &r->v),
	                  HTTP_VERDICT_AUTH);
	ck_assert_str_eq(text_of(r->v.body), "HAProxy Statistics");
	run_free(r);
	r = run_request(cfg, GET("/st", AUTH_ANN), 0, 1024);
	ck_assert_uint_eq(http_rules_stats(&r->view, 0, &r->e, &r->v),
	                  HTTP_VERDICT_CONTINUE);
	/* ann is in ops: stats admin holds; ben's wrong password: not */
	ck_assert_int_eq(http_rules_stats_admin(&r->view, 0), 1);
	run_free(r);
	r = run_request(cfg, GET("/st", AUTH_BAD), 0, 1024);
	ck_assert_int_eq(http_rules_stats_admin(&r->view, 0), 0);
	run_free(r);
	r = run_request(cfg, GET("/x", ""), 0, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_DENY);
	run_free(r);
	t = fixpoint(cfg);
	ck_assert_ptr_nonnull(strstr(t, "    stats http-request deny deny_status 403 if"));
	ck_assert_ptr_nonnull(strstr(t, "    stats http-request auth unless ok\n"));
	ck_assert_ptr_nonnull(strstr(t, "    stats admin if { http_auth_group(ul) -m str -- ops }\n"));
	free(t);
	expect_diag(HEAD " stats auth a:b\n stats http-request allow\n" BACKENDS,
	            SEMA_TARGET_CFGRUN, DIAG_ERROR, "not-allowed", 9, 8,
	            "cannot be used together");
	expect_diag(HEAD " stats http-request allow\n stats realm R\n" BACKENDS,
	            SEMA_TARGET_CFGRUN, DIAG_ERROR, "not-allowed", 9, 8,
	            "cannot be used together");
	expect_diag(HEAD " stats http-request set-header a b\n" BACKENDS,
	            SEMA_TARGET_CFGRUN, DIAG_ERROR, "invalid-argument", 8, 21,
	            "expects 'allow', 'deny' or 'auth'");
}
END_TEST

START_TEST(test_verdicts)
{
	const char *cfg = FE(
		" acl api path_beg /api\n"
		" http-request allow if { hdr(x-vip) yes }\n"
		" http-request deny deny_status 429 if api { hdr_cnt(x-bad) gt 0 }\n"
		" http-request return status 202 content-type text/plain "
		"hdr X-One \"1 %[path]\" lf-string \"hi %[url_param(n)]\" "
		"hdr Cache-Control no-cache if { path /hello }\n"
		" http-request redirect scheme https code 301 if { path_beg /s }\n"
		" http-request redirect prefix /new drop-query set-cookie seen=1 "
		"if { path_beg /old }\n"
		" http-request redirect prefix / append-slash if { path /dir }\n"
		" http-request deny\n");
	struct run *r;

	r = run_request(cfg, GET("/api/x", "X-Bad: 1\r\n"), 0, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_DENY);
	ck_assert_uint_eq(r->v.status, 429);
	ck_assert_uint_eq(r->c.p.http_rules[r->v.rule].line, 10);
	run_free(r);
	/* allow stops this proxy's rules: the final deny is not reached */
	r = run_request(cfg, GET("/api/x", "X-Bad: 1\r\nX-VIP: yes\r\n"), 0, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_ALLOW);
	run_free(r);
	r = run_request(cfg, GET("/hello?n=bob", ""), 0, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_RETURN);
	ck_assert_uint_eq(r->v.status, 202);
	ck_assert_str_eq(text_of(r->v.content_type), "text/plain");
	ck_assert_str_eq(text_of(r->v.body), "hi bob");
	/* its header lines, in order, are the edits' added lines */
	ck_assert_uint_eq(r->e.nadd, 2);
	ck_assert_str_eq(text_of((struct http_text){ r->e.arena +
	                 r->e.add[0].name_off, r->e.add[0].name_len }), "X-One");
	ck_assert_str_eq(text_of((struct http_text){ r->e.arena +
	                 r->e.add[0].val_off, r->e.add[0].val_len }), "1 /hello");
	ck_assert_str_eq(text_of((struct http_text){ r->e.arena +
	                 r->e.add[1].val_off, r->e.add[1].val_len }), "no-cache");
	run_free(r);
	r = run_request(cfg, GET("/s/p?q", "Host: a.example\r\n"), 0, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_REDIRECT);
	ck_assert_uint_eq(r->v.status, 301);
	ck_assert_str_eq(text_of(r->v.location), "https://a.example/s/p?q");
	run_free(r);
	r = run_request(cfg, "OPTIONS * HTTP/1.1\r\nHost: a.example\r\n"
	                "X-Bad: 1\r\n\r\n", 0, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_DENY);     /* not /api */
	run_free(r);
	r = run_request(FE(" http-request redirect scheme https\n"),
	                "OPTIONS * HTTP/1.1\r\nHost: a.example\r\n\r\n", 0,
	                1024);
	ck_assert_str_eq(text_of(r->v.location), "https://a.example/");
	run_free(r);
	r = run_request(cfg, GET("/old/p?q", ""), 0, 1024);
	ck_assert_uint_eq(r->v.status, 302);
	ck_assert_str_eq(text_of(r->v.location), "/new/old/p");
	ck_assert_uint_eq(r->e.nadd, 1);
	ck_assert_str_eq(text_of((struct http_text){ r->e.arena +
	                 r->e.add[0].val_off, r->e.add[0].val_len }),
	                 "seen=1; path=/;");
	run_free(r);
	r = run_request(cfg, GET("/dir?x", ""), 0, 1024);
	ck_assert_str_eq(text_of(r->v.location), "/dir/?x");
	run_free(r);
	r = run_request(cfg, GET("/other", ""), 0, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_DENY);
	ck_assert_uint_eq(r->v.status, 403);
	run_free(r);
	/* deny takes return's options */
	r = run_request(FE(" http-request deny deny_status 451 content-type "
	                   "text/html lf-string \"<p>%[path]</p>\" hdr X-Why "
	                   "legal\n"), GET("/x", ""), 0, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_DENY);
	ck_assert_uint_eq(r->v.status, 451);
	ck_assert_str_eq(text_of(r->v.content_type), "text/html");
	ck_assert_str_eq(text_of(r->v.body), "<p>/x</p>");
	ck_assert_uint_eq(r->e.nadd, 1);
	run_free(r);
}
END_TEST

START_TEST(test_proxy_redirect_and_backend_rules)
{
	const char *cfg = HEAD
		" http-request set-header X-Fe 1\n"
		" redirect location /moved%20here code 307 if { path /m }\n"
		" default_backend b1\n"
		"backend b1\n http-request set-header X-Be %b\n"
		" http-request deny if { hdr(x-fe) -m found }\n"
		" server s 127.0.0.1:1\n";
	struct run *r;

	r = run_request(cfg, GET("/m", ""), 0, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_REDIRECT);
	ck_assert_uint_eq(r->v.status, 307);
	/* the proxy-level keyword takes its value as it is */
	ck_assert_str_eq(text_of(r->v.location), "/moved%20here");
	run_free(r);
	/* the backend's rules alone */
	r = run_request(cfg, GET("/x", ""), 1, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_CONTINUE);
	ck_assert_str_eq(r->out, "GET /x HTTP/1.1\r\nX-Be: -\r\n\r\n");
	/* after the frontend's, on the same edits: they see its X-Fe */
	http_edits_init(&r->e, r->arena, sizeof(r->arena), r->del, MAXH);
	ck_assert_uint_eq(http_rules_request(&r->view, 0, &r->e, &r->v),
	                  HTTP_VERDICT_CONTINUE);
	ck_assert_uint_eq(http_rules_request(&r->view, 1, &r->e, &r->v),
	                  HTTP_VERDICT_DENY);
	run_free(r);
}
END_TEST

START_TEST(test_rules_see_edits)
{
	const char *cfg = HEAD
		" http-request set-header X-Proto https\n"
		" http-request del-header x-drop\n"
		" http-request set-path /v2%[path]\n"
		" http-request set-method PUT if { path_beg /v2/ }\n"
		" http-request replace-header X-R (.*) \\1!\n"
		" http-request add-header X-Seen %[hdr(x-proto)],%[hdr_cnt(x-drop)],"
		"%[url],%[method],%[hdr(x-r)],%[query]\n"
		" use_backend b2 if { path_beg /v2/ } { hdr(x-r) v! }\n"
		" default_backend b1\n" BACKENDS;
	struct run *r = run_request(cfg, GET("/a?q=1", "X-Drop: 1\r\nX-R: v\r\n"),
	                            0, 1024);

	ck_assert_str_eq(r->out, "PUT /v2/a?q=1 HTTP/1.1\r\nX-R: v!\r\n"
	                 "X-Proto: https\r\n"
	                 "X-Seen: https,0,/v2/a?q=1,PUT,v!,q=1\r\n\r\n");
	/* use_backend after the rules sees their edits through the view */
	ck_assert_str_eq(plan_str_get(&r->c.p, r->c.p.proxies[
	                 http_backend_choice(&r->view)].name), "b1");
	r->view.req_edits = &r->e;
	ck_assert_str_eq(plan_str_get(&r->c.p, r->c.p.proxies[
	                 http_backend_choice(&r->view)].name), "b2");
	run_free(r);
}
END_TEST

/* What a tracer was told: list, rule, held, in order. */
struct trace_rec {
	uint32_t n;
	uint32_t list[16], rule[16];
	int held[16];
};

static void trace_rec(void *arg, uint32_t list, uint32_t rule, int held)
{
	struct trace_rec *t = arg;

	ck_assert_uint_lt(t->n, 16);
	t->list[t->n] = list;
	t->rule[t->n] = rule;
	t->held[t->n++] = held;
}

/* http_route_request(): the frontend's rules, use_backend on the edited
 * request (HAProxy's order), the backend's rules; the tracer hears every
 * condition evaluated and nothing after the final rule. */
START_TEST(test_route_request_traced)
{
	const char *cfg = HEAD
		" http-request deny if { path /no }\n"
		" http-request set-header X-A 1\n"
		" use_backend b1 if { hdr(x-a) 2 }\n"
		" use_backend b2 if { hdr(x-a) 1 }\n"
		" default_backend b1\n"
		"backend b1\n server s 127.0.0.1:1\n"
		"backend b2\n http-request return status 202 if { path /r }\n"
		" server s 127.0.0.1:2\n";
	struct trace_rec t;
	struct run *r = run_request(cfg, GET("/x", ""), 0, 1024);
	uint32_t be, end;

	memset(&t, 0, sizeof(t));
	http_edits_init(&r->e, r->arena, sizeof(r->arena), r->del, MAXH);
	r->view.trace = trace_rec;
	r->view.trace_arg = &t;
	end = http_route_request(&r->view, &r->e, &r->v, &be);
	ck_assert_uint_eq(end, HTTP_ROUTE_PASS);
	ck_assert_str_eq(plan_str_get(&r->c.p, r->c.p.proxies[be].name), "b2");
	ck_assert_uint_eq(r->view.backend, be);
	ck_assert_ptr_eq(r->view.req_edits, &r->e);
	/* deny (no), set-header (yes), use_backend b1 (no), b2 (yes),
	 * return of b2 (no) */
	ck_assert_uint_eq(t.n, 5);
	ck_assert_uint_eq(t.list[0], HTTP_TRACE_HTTP);
	ck_assert_int_eq(t.held[0], 0);
	ck_assert_int_eq(t.held[1], 1);
	ck_assert_uint_eq(t.list[2], HTTP_TRACE_SWITCH);
	ck_assert_int_eq(t.held[2], 0);
	ck_assert_uint_eq(t.list[3], HTTP_TRACE_SWITCH);
	ck_assert_int_eq(t.held[3], 1);
	ck_assert_uint_eq(r->c.p.rules[t.rule[3]].backend, be);
	ck_assert_uint_eq(t.list[4], HTTP_TRACE_HTTP);
	ck_assert_uint_eq(r->c.p.http_rules[t.rule[4]].proxy, be);
	ck_assert_int_eq(t.held[4], 0);
	run_free(r);

	/* a frontend verdict: no backend, nothing traced after it */
	r = run_request(cfg, GET("/no", ""), 0, 1024);
	memset(&t, 0, sizeof(t));
	http_edits_init(&r->e, r->arena, sizeof(r->arena), r->del, MAXH);
	r->view.trace = trace_rec;
	r->view.trace_arg = &t;
	ck_assert_uint_eq(http_route_request(&r->view, &r->e, &r->v, &be),
	                  HTTP_ROUTE_FE_VERDICT);
	ck_assert_uint_eq(be, PLAN_NONE);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_DENY);
	ck_assert_uint_eq(t.n, 1);
	run_free(r);

	/* the backend's verdict */
	r = run_request(cfg, GET("/r", ""), 0, 1024);
	http_edits_init(&r->e, r->arena, sizeof(r->arena), r->del, MAXH);
	ck_assert_uint_eq(http_route_request(&r->view, &r->e, &r->v, &be),
	                  HTTP_ROUTE_BE_VERDICT);
	ck_assert_uint_eq(r->v.status, 202);
	run_free(r);
}
END_TEST

START_TEST(test_response_rules)
{
	const char *cfg = HEAD " default_backend b1\n"
		"backend b1\n server s 127.0.0.1:1\n"
		" http-response set-header Server hapc\n"
		" http-response del-header x-powered -m sub\n"
		" http-response set-status 404 reason \"Not Here\" if { status 403 }\n"
		" http-response set-status 503 if { res.hdr(x-down) 1 }\n"
		" http-response deny deny_status 502 if { res.hdr_cnt(x-leak) gt 0 }\n"
		" http-response redirect location /moved/%[status] code 301 "
		"if { status 410 }\n"
		" http-after-response add-header X-After %[status]\n"
		/* request headers are gone when the response is processed */
		" acl r hdr(x-r) 1\n"
		" http-response set-header X-Req yes if r\n";
	struct compiled c;
	struct msg req, resp;
	struct http_req_view v;
	struct http_edits e;
	struct http_verdict vd;
	char arena[1024], out[2048];
	uint8_t del[MAXH];
	size_t n;

	compile_ok(&c, cfg);
	msg_set(&req, GET("/", "X-R: 1\r\n"), 0);
	msg_set(&resp, "HTTP/1.1 403 Forbidden\r\nServer: nginx\r\n"
	        "X-Powered-By: php\r\nContent-Length: 0\r\n\r\n", 1);
	view_init(&v, &c, &req, &resp);
	http_edits_init(&e, arena, sizeof(arena), del, MAXH);
	ck_assert_uint_eq(http_rules_response(&v, 1, &e, &vd),
	                  HTTP_VERDICT_CONTINUE);
	ck_assert_uint_eq(http_rules_after_response(&v, 1, &e, &vd),
	                  HTTP_VERDICT_CONTINUE);
	n = http_edits_emit(&e, resp.buf, &resp.m, out, sizeof(out));
	ck_assert_uint_gt(n, 0);
	out[n] = 0;
	/* after-response rules see the status as set-status left it */
	ck_assert_str_eq(out, "HTTP/1.1 404 Not Here\r\nContent-Length: 0\r\n"
	                 "Server: hapc\r\nX-After: 404\r\n\r\n");
	/* a set-status without reason takes the standard one */
	msg_set(&resp, "HTTP/1.1 200 OK\r\nX-Down: 1\r\n\r\n", 1);
	http_edits_init(&e, arena, sizeof(arena), del, MAXH);
	http_rules_response(&v, 1, &e, &vd);
	n = http_edits_emit(&e, resp.buf, &resp.m, out, sizeof(out));
	out[n] = 0;
	ck_assert_str_eq(out, "HTTP/1.1 503 Service Unavailable\r\n"
	                 "X-Down: 1\r\nServer: hapc\r\n\r\n");
	msg_set(&resp, "HTTP/1.1 200 OK\r\nX-Leak: 1\r\n\r\n", 1);
	http_edits_init(&e, arena, sizeof(arena), del, MAXH);
	ck_assert_uint_eq(http_rules_response(&v, 1, &e, &vd), HTTP_VERDICT_DENY);
	ck_assert_uint_eq(vd.status, 502);
	/* a response redirect: the location, its fetches on the response */
	msg_set(&resp, "HTTP/1.1 410 Gone\r\nContent-Length: 0\r\n\r\n", 1);
	http_edits_init(&e, arena, sizeof(arena), del, MAXH);
	ck_assert_uint_eq(http_rules_response(&v, 1, &e, &vd),
	                  HTTP_VERDICT_REDIRECT);
	ck_assert_uint_eq(vd.status, 301);
	ck_assert_int_eq((int)vd.location.len, 10);
	ck_assert_int_eq(memcmp(vd.location.ptr, "/moved/410", 10), 0);
	/* a short output buffer: 0, nothing half written counted */
	ck_assert_uint_eq(http_edits_emit(&e, resp.buf, &resp.m, out, 10), 0);
	compiled_free(&c);
}
END_TEST

START_TEST(test_rewrite_overflow)
{
	struct run *r;

	/* 16 bytes of arena: the value does not fit, the answer is 500 */
	r = run_request(FE(" http-request set-header X-Long "
	                   "0123456789abcdefghij\n"
	                   " http-request deny\n"), GET("/", ""), 0, 16);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_ERROR);
	ck_assert_uint_eq(r->v.status, 500);
	ck_assert_uint_eq(r->v.rule, PLAN_NONE);
	run_free(r);
	/* the same rule fits the default arena */
	r = run_request(FE(" http-request set-header X-Long "
	                   "0123456789abcdefghij\n"), GET("/", ""), 0, 1024);
	ck_assert_str_eq(r->out, "GET / HTTP/1.1\r\nX-Long: 0123456789abcdefghij"
	                 "\r\n\r\n");
	run_free(r);
}
END_TEST

/* The body `http-request return ... lf-string FMT` gives for request
 * `req` (empty: the rule did not return). */
static const char *lf_body(const char *rules, const char *fmt, const char *req)
{
	static char out[2048];
	char cfg[8192];
	struct run *r;

	snprintf(cfg, sizeof(cfg), FE("%s http-request return status 200 "
	         "content-type text/plain lf-string \"%s\"\n"), rules, fmt);
	r = run_request(cfg, req, 0, 8192);
	snprintf(out, sizeof(out), "%s", r->v.kind == HTTP_VERDICT_RETURN ?
	         text_of(r->v.body) : "");
	run_free(r);
	return out;
}

#define CONV_REQ1 GET("/", "X: ab:ca:d%41e:xyz\"/\r\nY: 13\r\n" \
                           "IP: 10.20.30.40\r\n")
#define CONV_REQ2 GET("/", "X: a\r\nY: -7\r\nIP: 2001:db8::1\r\n")

/* Converters against what HAProxy 2.6 answered to the same requests with
 * the same expressions (side by side on loopback). */
START_TEST(test_converters)
{
	static const struct { const char *expr, *req, *want; } cases[] = {
		{ "req.hdr(x),crc32", CONV_REQ1, "1881019618" },
		{ "req.hdr(x),sdbm", CONV_REQ1, "2888300016" },
		{ "req.hdr(x),djb2", CONV_REQ1, "1487991785" },
		{ "req.hdr(x),wt6", CONV_REQ1, "3857705666" },
		{ "req.hdr(x),crc32", CONV_REQ2, "3904355907" },
		{ "req.hdr(x),sdbm", CONV_REQ2, "97" },
		{ "req.hdr(x),djb2", CONV_REQ2, "177670" },
		{ "req.hdr(x),wt6", CONV_REQ2, "1900802597" },
		{ "req.hdr(x),hex", CONV_REQ1, "61623A63613A64253431653A78797A222F" },
		{ "req.hdr(x),base64", CONV_REQ1, "YWI6Y2E6ZCU0MWU6eHl6Ii8=" },
		{ "req.hdr(x),base64,b64dec", CONV_REQ1, "ab:ca:d%41e:xyz\"/" },
		{ "req.hdr(x),length", CONV_REQ1, "17" },
		{ "req.hdr(x),bytes(2,3)", CONV_REQ1, ":ca" },
		{ "req.hdr(x),field(2,:)", CONV_REQ1, "ca" },
		{ "req.hdr(x),field(-2,:,2)", CONV_REQ1, "ca:d%41e" },
		{ "req.hdr(x),field(9,:)", CONV_REQ1, "" },
		{ "req.hdr(x),word(2,:)", CONV_REQ1, "ca" },
		{ "req.hdr(x),url_dec", CONV_REQ1, "ab:ca:dAe:xyz\"/" },
		{ "req.hdr(x),json", CONV_REQ1, "ab:ca:d%41e:xyz\\\"\\/" },
		{ "req.hdr(y),add(5)", CONV_REQ1, "18" },
		{ "req.hdr(y),mul(-3),neg", CONV_REQ1, "39" },
		{ "req.hdr(y),div(4)", CONV_REQ1, "3" },
		{ "req.hdr(y),mod(4)", CONV_REQ1, "1" },
		{ "req.hdr(y),and(6)", CONV_REQ1, "4" },
		{ "req.hdr(y),or(6)", CONV_REQ1, "15" },
		{ "req.hdr(y),xor(6)", CONV_REQ1, "11" },
		{ "req.hdr(y),not", CONV_REQ1, "0" },
		{ "req.hdr(y),bool", CONV_REQ1, "1" },
		{ "req.hdr(y),odd", CONV_REQ1, "1" },
		{ "req.hdr(y),even", CONV_REQ1, "0" },
		{ "req.hdr(y),div(0)", CONV_REQ1, "9223372036854775807" },
		{ "req.hdr(y),add(5)", CONV_REQ2, "-2" },
		{ "req.hdr(y),div(4)", CONV_REQ2, "-1" },
		{ "req.hdr(y),mod(4)", CONV_REQ2, "-3" },
		{ "req.hdr(y),or(6)", CONV_REQ2, "-1" },
		{ "req.hdr(x),concat(<,,>)", CONV_REQ1, "ab:ca:d%41e:xyz\"/<>" },
		{ "req.hdr(ip),ipmask(16)", CONV_REQ1, "10.20.0.0" },
		{ "req.hdr(ip),ipmask(255.255.255.0,64)", CONV_REQ1, "10.20.30.0" },
		{ "req.hdr(ip),ipmask(16)", CONV_REQ2, "" },
		{ "req.hdr(ip),ipmask(16,64)", CONV_REQ2, "2001:db8::" },
		{ "req.hdr(x),regsub(a,Z,g)", CONV_REQ1, "Zb:cZ:d%41e:xyz\"/" },
		{ "req.hdr(x),regsub(a,Z)", CONV_REQ1, "Zb:ca:d%41e:xyz\"/" },
		{ "req.hdr(x),regsub(A,<\\\\0>,ig)", CONV_REQ1,
		  "<a>b:c<a>:d%41e:xyz\"/" },
		{ "req.hdr(x),upper,lower", CONV_REQ1, "ab:ca:d%41e:xyz\"/" },
		{ "req.hdr(none),length", CONV_REQ1, "" },
		{ "str(abc),upper", CONV_REQ1, "ABC" },
		{ "int(7),sub(10)", CONV_REQ1, "-3" },
		{ "str(abbaXyzzy),ltrim(ab),rtrim(yz)", CONV_REQ1, "X" },
		{ "str(),concat(<,,>)", CONV_REQ1, "<>" },
		{ "req.hdr(x),sha1,hex", CONV_REQ1,
		  "D39462169E8C6C8D2968A436413AB7C8B3310800" },
		{ "req.hdr(x),sha2,hex", CONV_REQ1, "64ADF70ECA0C4EA212FACDF542023CB3"
		  "4BD2E821C444CA8670748370E834BA66" },
		{ "req.hdr(x),sha2(224),hex", CONV_REQ1, "41599AE340DFFCF1D6309DEE1F26"
		  "76A563F374CA717142C9C1DAC4A7" },
		{ "req.hdr(x),sha2(384),hex", CONV_REQ1, "3617796146A67E2515149DBFE917"
		  "26BF868893EA82103AA721BFC68BD0872587D22F748B4AD69C608397DC49D2913"
		  "9DF" },
		{ "req.hdr(x),sha2(512),base64", CONV_REQ1, "nuEF6+1zx1dFPxRLETeIdwNV5"
		  "pc2+QtdCD4Y1rkbGh598/zgIdBhMgnqUncbWot5ESB48NfZcibtgQchka2vlw==" },
		{ "req.hdr(x),sha1,hex", CONV_REQ2,
		  "86F7E437FAA5A7FCE15D1DDCB9EAEAEA377667B8" },
		{ "str(1aF),hex2i", CONV_REQ1, "431" },
		{ "str(1g),hex2i", CONV_REQ1, "" },
		/* integers are 8 bytes in network order as binary */
		{ "int(1),hex", CONV_REQ1, "0000000000000001" },
		{ "int(-2),hex", CONV_REQ1, "FFFFFFFFFFFFFFFE" },
		{ "bool(1),hex", CONV_REQ1, "0000000000000001" },
		{ "int(1),crc32", CONV_REQ1, "304476159" },
		{ "int(258),base64", CONV_REQ1, "AAAAAAAAAQI=" },
		{ "int(1),sha1,hex", CONV_REQ1,
		  "CB473678976F425D6EC1339838F11011007AD27D" },
		{ "int(77),length", CONV_REQ1, "2" },
		{ "req.hdr(ip),hex", CONV_REQ1, "31302E32302E33302E3430" },
		/* host_only, port_only: HAProxy 3.x (2.6 has neither) */
		{ "str(WWW.Example.com:8080),host_only", CONV_REQ1,
		  "www.example.com" },
		{ "str(WWW.Example.com:8080),port_only", CONV_REQ1, "8080" },
		{ "str(example.com),host_only", CONV_REQ1, "example.com" },
		{ "str(example.com),port_only", CONV_REQ1, "0" },
		{ "str(127.0.0.1:80),host_only", CONV_REQ1, "127.0.0.1" },
		{ "str([::1]),host_only", CONV_REQ1, "[::1]" },
		{ "str([::1]),port_only", CONV_REQ1, "0" },
		{ "str([::1]:443),host_only", CONV_REQ1, "[::1]" },
		{ "str([::1]:443),port_only", CONV_REQ1, "443" },
		{ "str(host:),host_only", CONV_REQ1, "host:" },
		{ "str(:80),port_only", CONV_REQ1, "0" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char fmt[256];

		snprintf(fmt, sizeof(fmt), "[%%[%s]]", cases[i].expr);
		char want[256];

		snprintf(want, sizeof(want), "[%s]", cases[i].want);
		ck_assert_msg(!strcmp(lf_body("", fmt, cases[i].req), want),
		              "%s: '%s', expected '%s'", cases[i].expr,
		              lf_body("", fmt, cases[i].req), want);
	}
	/* url_dec of a bad escape loses the sample */
	ck_assert_str_eq(lf_body("", "[%[req.hdr(x),url_dec]]",
	                         GET("/", "X: Aa%zz\r\n")), "[]");
	/* text without digits reads 0, as HAProxy's cast */
	ck_assert_str_eq(lf_body("", "%[req.hdr(x),add(1)]",
	                         GET("/", "X: zz\r\n")), "1");
}
END_TEST

/* A map file with these lines; its path (static). */
static const char *map_file(const char *lines)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/hapc-map-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, lines, strlen(lines)), (ssize_t)strlen(lines));
	close(fd);
	return path;
}

START_TEST(test_maps_and_vars)
{
	char map[64], ipmap[64], begmap[64], rules[512], fmt[512];

	snprintf(map, sizeof(map), "%s", map_file(
		"# hosts\nwww.example.com be_www\n\napi.example.com   be_api\n"
		"www.example.com dup_ignored\n"));
	snprintf(ipmap, sizeof(ipmap), "%s", map_file(
		"10.0.0.0/8 ten\n10.1.0.0/16 ten-one\n::1 v6\n"));
	snprintf(begmap, sizeof(begmap), "%s", map_file(
		"/a short\n/api long\n/b 7\n"));
	snprintf(fmt, sizeof(fmt), "%%[req.hdr(host),lower,map(%s,none)]", map);
	ck_assert_str_eq(lf_body("", fmt, GET("/", "Host: WWW.Example.com\r\n")),
	                 "be_www");
	ck_assert_str_eq(lf_body("", fmt, GET("/", "Host: api.example.com\r\n")),
	                 "be_api");
	ck_assert_str_eq(lf_body("", fmt, GET("/", "Host: other\r\n")), "none");
	/* longest prefix wins among IP keys; a v4 address as text */
	snprintf(fmt, sizeof(fmt), "%%[req.hdr(ip),map_ip(%s,-)]", ipmap);
	ck_assert_str_eq(lf_body("", fmt, GET("/", "IP: 10.1.2.3\r\n")), "ten-one");
	ck_assert_str_eq(lf_body("", fmt, GET("/", "IP: 10.9.2.3\r\n")), "ten");
	ck_assert_str_eq(lf_body("", fmt, GET("/", "IP: 11.0.0.1\r\n")), "-");
	/* map_beg: the longest key; map_beg_int: values as integers */
	snprintf(fmt, sizeof(fmt), "%%[path,map_beg(%s)]", begmap);
	ck_assert_str_eq(lf_body("", fmt, GET("/api/x", "")), "long");
	ck_assert_str_eq(lf_body("", fmt, GET("/ax", "")), "short");
	ck_assert_str_eq(lf_body("", fmt, GET("/zz", "")), "");
	/* variables: set in one rule, read by a later ACL and value */
	snprintf(rules, sizeof(rules),
	         " http-request set-var(txn.be) req.hdr(host),lower,map(%s)\n"
	         " http-request set-var(txn.n) req.hdr(n),add(1)\n"
	         " http-request set-var-fmt(txn.f) \"n=%%[var(txn.n)]\"\n"
	         " http-request unset-var(txn.n) if { req.hdr(u) -m found }\n"
	         " http-request deny if { var(txn.be) -m str be_api }\n", map);
	ck_assert_str_eq(lf_body(rules, "%[var(txn.f)] %[var(txn.n),mul(txn.n)]",
	                         GET("/", "Host: www.example.com\r\nN: 4\r\n")),
	                 "n=5 25");
	ck_assert_str_eq(lf_body(rules, "%[var(txn.f)]",
	                         GET("/", "Host: api.example.com\r\n")), "");
	ck_assert_str_eq(lf_body(rules, "[%[var(txn.n)]] %[var(txn.f)]",
	                         GET("/", "N: 1\r\nU: 1\r\n")), "[] n=2");
}
END_TEST

/* Run the request rules of the already compiled r again on `req`: the
 * body a return rule gives ("" when none did). */
static const char *rerun(struct run *r, const char *req)
{
	static char out[2048];

	msg_set(&r->req, req, 0);
	view_init(&r->view, &r->c, &r->req, NULL);
	http_edits_init(&r->e, r->arena, sizeof(r->arena), r->del, MAXH);
	memset(&r->v, 0, sizeof(r->v));
	http_rules_request(&r->view, 0, &r->e, &r->v);
	snprintf(out, sizeof(out), "%s", r->v.kind == HTTP_VERDICT_RETURN ?
	         text_of(r->v.body) : "");
	return out;
}

/* The identifier `show map` gives the entry with key `key`. */
struct live_id_find {
	const char *key;
	char id[40];
};

static void live_id_fn(void *ctx, const void *id, const char *key, size_t klen,
                       const char *val, size_t vlen)
{
	struct live_id_find *f = ctx;

	(void)val;
	(void)vlen;
	if (strlen(f->key) == klen && !memcmp(f->key, key, klen))
		snprintf(f->id, sizeof(f->id), "#%p", id);
}

/* A request with every header the format reads, none found in a map
 * (a header given in h comes last and wins). */
#define LGET(t, h) GET(t, "Host: z\r\nIP: 1.1.1.1\r\nN: 100\r\nK: zz\r\n" h)

#define LIVE_FMT "%%[req.hdr(host),lower,map(%s,none)] %%[path,map_beg(%s,-)] " \
	"%%[req.hdr(ip),map_ip(%s,-)] %%[req.hdr(n),map_int(%s,-)] " \
	"%%[req.hdr(k),map_str_int(%s,0)]"

/* Maps and ACL files changed through plan_live.h, as the stats socket
 * does, seen by the next request; what a reload carries over. */
START_TEST(test_live_maps)
{
	char map[64], beg[64], ip[64], in[64], si[64], acl[64], cfg[4096];
	struct plan_live *lv, *nlv;
	struct live_id_find idf = { "www.example.com", "" };
	struct compiled c2;
	char err[160];
	struct run *r;
	int m, b, i, n, k, a;

	snprintf(map, sizeof(map), "%s", map_file(
		"www.example.com be_www\napi.example.com be_api\n"));
	snprintf(beg, sizeof(beg), "%s", map_file("/a short\n/api long\n"));
	snprintf(ip, sizeof(ip), "%s", map_file("10.0.0.0/8 ten\n10.1.0.0/16 ten-one\n"));
	snprintf(in, sizeof(in), "%s", map_file("1:5 low\n6 six\n"));
	snprintf(si, sizeof(si), "%s", map_file("a 1\n"));
	snprintf(acl, sizeof(acl), "%s", map_file("silver\n"));
	snprintf(cfg, sizeof(cfg), FE(" acl vip req.hdr(u) -i -f %s admin\n"
	         " http-request return status 200 content-type text/plain lf-string vip if vip\n"
	         " http-request return status 200 content-type text/plain lf-string \"" LIVE_FMT "\"\n"),
	         acl, map, beg, ip, in, si);
	r = run_request(cfg, GET("/", ""), 0, 8192);
	lv = r->c.rt.live;
	ck_assert_ptr_nonnull(lv);
	m = plan_live_find(lv, map, 0);
	b = plan_live_find(lv, beg, 0);
	i = plan_live_find(lv, ip, 0);
	n = plan_live_find(lv, in, 0);
	k = plan_live_find(lv, si, 0);
	a = plan_live_find(lv, acl, 1);
	ck_assert(m >= 0 && b >= 0 && i >= 0 && n >= 0 && k >= 0 && a >= 0);
	ck_assert_int_eq(plan_live_find(lv, acl, 0), -1);
	ck_assert_str_eq(rerun(r, LGET("/api/x", "Host: WWW.example.com\r\n"
	                 "IP: 10.1.2.3\r\nN: 3\r\nK: a\r\n")),
	                 "be_www long ten-one low 1");

	/* str: an added key, a duplicate (the first wins), del removes both */
	ck_assert_int_eq(plan_live_add(lv, (uint32_t)m, "new.example.com", "v1",
	                               err, sizeof(err)), 0);
	ck_assert_int_eq(plan_live_add(lv, (uint32_t)m, "new.example.com", "v2",
	                               err, sizeof(err)), 0);
	ck_assert_str_eq(rerun(r, LGET("/", "Host: New.example.com\r\n")),
	                 "v1 - - - 0");
	ck_assert_str_eq(rerun(r, LGET("/", "Host: new.example.com\r\n")),
	                 "v1 - - - 0");
	ck_assert_str_eq(rerun(r, LGET("/", "Host: www.example.com\r\n")),
	                 "be_www - - - 0");
	ck_assert_int_eq(plan_live_del(lv, (uint32_t)m, "new.example.com", err,
	                               sizeof(err)), 2);
	ck_assert_str_eq(rerun(r, LGET("/", "Host: new.example.com\r\n")),
	                 "none - - - 0");
	/* set by key, del by the identifier show map printed */
	ck_assert_int_eq(plan_live_set(lv, (uint32_t)m, "api.example.com", "x2",
	                               err, sizeof(err)), 1);
	ck_assert_str_eq(rerun(r, LGET("/", "Host: api.example.com\r\n")),
	                 "x2 - - - 0");
	ck_assert_int_eq(plan_live_set(lv, (uint32_t)m, "nobody", "x", err,
	                               sizeof(err)), -1);
	ck_assert_str_eq(err, "entry not found.\n");
	plan_live_walk(lv, (uint32_t)m, live_id_fn, &idf);
	ck_assert(idf.id[0] == '#');
	ck_assert_int_eq(plan_live_del(lv, (uint32_t)m, idf.id, err, sizeof(err)), 1);
	ck_assert_str_eq(rerun(r, LGET("/", "Host: www.example.com\r\n")),
	                 "none - - - 0");

	/* beg: the longest key, added or compiled */
	ck_assert_int_eq(plan_live_add(lv, (uint32_t)b, "/apix", "longer", err,
	                               sizeof(err)), 0);
	ck_assert_str_eq(rerun(r, LGET("/apix/y", "")), "none longer - - 0");
	ck_assert_str_eq(rerun(r, LGET("/api/y", "")), "none long - - 0");
	ck_assert_str_eq(rerun(r, LGET("/ab", "")), "none short - - 0");

	/* ip: the longest prefix; a dotted mask; a key that is no address */
	ck_assert_int_eq(plan_live_add(lv, (uint32_t)i, "10.1.2.0/24", "narrow",
	                               err, sizeof(err)), 0);
	ck_assert_int_eq(plan_live_add(lv, (uint32_t)i, "172.16.0.0/255.240.0.0",
	                               "private", err, sizeof(err)), 0);
	ck_assert_int_eq(plan_live_add(lv, (uint32_t)i, "bad", "x", err,
	                               sizeof(err)), -1);
	ck_assert_str_eq(err, "'bad' is not a valid IPv4 or IPv6 address.\n");
	ck_assert_str_eq(rerun(r, LGET("/", "IP: 10.1.2.3\r\n")), "none - narrow - 0");
	ck_assert_str_eq(rerun(r, LGET("/", "IP: 10.1.3.3\r\n")), "none - ten-one - 0");
	ck_assert_str_eq(rerun(r, LGET("/", "IP: 172.31.1.1\r\n")), "none - private - 0");
	ck_assert_str_eq(rerun(r, LGET("/", "IP: 172.32.1.1\r\n")), "none - - - 0");

	/* int: ranges; map_str_int: values must be numbers */
	ck_assert_int_eq(plan_live_add(lv, (uint32_t)n, "7:9", "range", err,
	                               sizeof(err)), 0);
	ck_assert_int_eq(plan_live_add(lv, (uint32_t)n, "x", "y", err,
	                               sizeof(err)), -1);
	ck_assert_str_eq(err, "'x' is not a number.\n");
	ck_assert_str_eq(rerun(r, LGET("/", "N: 8\r\n")), "none - - range 0");
	ck_assert_str_eq(rerun(r, LGET("/", "N: 2\r\n")), "none - - low 0");
	ck_assert_int_eq(plan_live_add(lv, (uint32_t)k, "b", "many", err,
	                               sizeof(err)), -1);
	ck_assert_str_eq(err, "unable to parse 'many'.\n");
	ck_assert_int_eq(plan_live_add(lv, (uint32_t)k, "b", "42", err,
	                               sizeof(err)), 0);
	ck_assert_str_eq(rerun(r, LGET("/", "K: b\r\n")), "none - - - 42");

	/* ACL -f file under -i: a value added, the line's own value kept */
	ck_assert_str_eq(rerun(r, LGET("/", "U: Silver\r\n")), "vip");
	ck_assert_str_eq(rerun(r, LGET("/", "U: gold\r\n")), "none - - - 0");
	ck_assert_int_eq(plan_live_add(lv, (uint32_t)a, "GOLD", "", err,
	                               sizeof(err)), 0);
	ck_assert_str_eq(rerun(r, LGET("/", "U: gold\r\n")), "vip");
	ck_assert_int_eq(plan_live_del(lv, (uint32_t)a, "silver", err,
	                               sizeof(err)), 1);
	ck_assert_str_eq(rerun(r, LGET("/", "U: silver\r\n")), "none - - - 0");
	ck_assert_int_eq(plan_live_clear(lv, (uint32_t)a, err, sizeof(err)), 0);
	ck_assert_str_eq(rerun(r, LGET("/", "U: gold\r\n")), "none - - - 0");
	ck_assert_str_eq(rerun(r, LGET("/", "U: ADMIN\r\n")), "vip");

	/* clear: every key gone, the default left */
	ck_assert_int_eq(plan_live_clear(lv, (uint32_t)m, err, sizeof(err)), 0);
	ck_assert_str_eq(rerun(r, LGET("/", "Host: api.example.com\r\n")),
	                 "none - - - 0");

	/* reload: the same plan carries the 6 changed files; a plan whose
	 * host map file changed carries the other 5 */
	nlv = plan_live_build(&r->c.p);
	ck_assert_ptr_nonnull(nlv);
	ck_assert_uint_eq(plan_live_carry(nlv, lv), 6);
	plan_live_free(nlv);
	{
		FILE *fm = fopen(map, "w");

		ck_assert_ptr_nonnull(fm);
		fputs("www.example.com be_other\n", fm);
		fclose(fm);
	}
	compile_ok(&c2, cfg);
	nlv = plan_live_build(&c2.p);
	ck_assert_ptr_nonnull(nlv);
	ck_assert_uint_eq(plan_live_carry(nlv, lv), 5);
	{
		struct plan_live_info inf;

		plan_live_info(nlv, (uint32_t)plan_live_find(nlv, map, 0), &inf);
		ck_assert_int_eq(inf.changed, 0);
		ck_assert_uint_eq(inf.entries, 1);
		plan_live_info(nlv, (uint32_t)plan_live_find(nlv, beg, 0), &inf);
		ck_assert_int_eq(inf.changed, 1);
		ck_assert_uint_eq(inf.entries, 3);
	}
	plan_live_free(nlv);
	compiled_free(&c2);
	run_free(r);
	for (const char *const *f = (const char *const[]){ map, beg, ip, in, si, acl, NULL };
	     *f; f++)
		unlink(*f);
}
END_TEST

/* map_reg and -m reg ACL files changed at run time: keys compiled as
 * regexes (caseless under -i), the first in order wins, a bad one refused. */
START_TEST(test_live_regex)
{
	char rmap[64], racl[64], cfg[2048], err[160];
	struct plan_live *lv;
	struct run *r;
	int m, a;

	snprintf(rmap, sizeof(rmap), "%s", map_file("^/img/ images\n"));
	snprintf(racl, sizeof(racl), "%s", map_file("^bot\n"));
	snprintf(cfg, sizeof(cfg), FE(" acl bot req.hdr(ua) -i -m reg -f %s\n"
	         " http-request return status 200 content-type text/plain lf-string bot if bot\n"
	         " http-request return status 200 content-type text/plain lf-string "
	         "\"%%[path,map_reg(%s,none)]\"\n"), racl, rmap);
	r = run_request(cfg, GET("/", ""), 0, 8192);
	lv = r->c.rt.live;
	m = plan_live_find(lv, rmap, 0);
	a = plan_live_find(lv, racl, 1);
	ck_assert(m >= 0 && a >= 0);
	ck_assert_str_eq(rerun(r, GET("/img/a.png", "")), "images");
	ck_assert_int_eq(plan_live_add(lv, (uint32_t)m, "\\.css$", "styles", err,
	                               sizeof(err)), 0);
	ck_assert_int_eq(plan_live_add(lv, (uint32_t)m, "^/img/.*\\.css$", "late",
	                               err, sizeof(err)), 0);
	ck_assert_str_eq(rerun(r, GET("/x/site.css", "")), "styles");
	ck_assert_str_eq(rerun(r, GET("/img/a.css", "")), "images");
	ck_assert_str_eq(rerun(r, GET("/img/a.png", "")), "images");
	ck_assert_int_eq(plan_live_add(lv, (uint32_t)m, "([", "x", err,
	                               sizeof(err)), -1);
	ck_assert_str_eq(err, "regex '([' is invalid (error=missing terminating ] "
	                 "for character class, erroffset=2).\n");
	ck_assert_int_eq(plan_live_del(lv, (uint32_t)m, "^/img/", err,
	                               sizeof(err)), 1);
	ck_assert_str_eq(rerun(r, GET("/img/a.css", "")), "styles");
	ck_assert_str_eq(rerun(r, GET("/img/a.png", "")), "none");
	/* ACL: -i makes an added regex caseless */
	ck_assert_str_eq(rerun(r, GET("/", "UA: BOTX\r\n")), "bot");
	ck_assert_str_eq(rerun(r, GET("/", "UA: crawler/1\r\n")), "none");
	ck_assert_int_eq(plan_live_add(lv, (uint32_t)a, "^crawl", "", err,
	                               sizeof(err)), 0);
	ck_assert_str_eq(rerun(r, GET("/", "UA: CRAWLER/1\r\n")), "bot");
	ck_assert_int_eq(plan_live_del(lv, (uint32_t)a, "^bot", err,
	                               sizeof(err)), 1);
	ck_assert_str_eq(rerun(r, GET("/", "UA: botx\r\n")), "none");
	run_free(r);
	unlink(rmap);
	unlink(racl);
}
END_TEST

/* An exact-match ACL line (sorted patterns) with a -f file and its own
 * value: after a change, the plan's values of the changed file are gone,
 * the line's own and the added ones found by binary search. */
START_TEST(test_live_acl_exact)
{
	char f1[64], cfg[2048], err[160];
	struct plan_live *lv;
	struct run *r;
	int a;

	snprintf(f1, sizeof(f1), "%s", map_file("/a\n/c\n/e\n"));
	snprintf(cfg, sizeof(cfg), FE(" acl x path -f %s /b /c\n"
	         " http-request return status 200 content-type text/plain lf-string yes if x\n"
	         " http-request return status 200 content-type text/plain lf-string no\n"), f1);
	r = run_request(cfg, GET("/", ""), 0, 8192);
	lv = r->c.rt.live;
	a = plan_live_find(lv, f1, 1);
	ck_assert_int_ge(a, 0);
	ck_assert_str_eq(rerun(r, GET("/a", "")), "yes");
	ck_assert_int_eq(plan_live_del(lv, (uint32_t)a, "/a", err, sizeof(err)), 1);
	/* a value both in the file and on the line is the line's alone
	 * (exact strings are unique in the plan) */
	ck_assert_int_eq(plan_live_del(lv, (uint32_t)a, "/c", err, sizeof(err)), 0);
	ck_assert_int_eq(plan_live_add(lv, (uint32_t)a, "/d", "", err,
	                               sizeof(err)), 0);
	ck_assert_str_eq(rerun(r, GET("/a", "")), "no");
	ck_assert_str_eq(rerun(r, GET("/b", "")), "yes");     /* the line's */
	ck_assert_str_eq(rerun(r, GET("/c", "")), "yes");     /* the line's too */
	ck_assert_str_eq(rerun(r, GET("/d", "")), "yes");     /* added */
	ck_assert_str_eq(rerun(r, GET("/e", "")), "yes");     /* kept */
	ck_assert_str_eq(rerun(r, GET("/f", "")), "no");
	run_free(r);
	unlink(f1);
}
END_TEST

START_TEST(test_rule_diagnostics)
{
	enum sema_target cr = SEMA_TARGET_CFGRUN;

	expect_diag(HEAD " http-request capture req.hdr(x) len 8\n" BACKENDS, cr,
	            DIAG_ERROR, "unsupported", 8, 15,
	            "'http-request capture' is not supported");
	expect_diag(HEAD " http-response set-log-level err\n" BACKENDS, cr,
	            DIAG_ERROR, "unsupported", 8, 16,
	            "'http-response set-log-level' is not supported");
	expect_diag(HEAD " http-response set-path /x\n" BACKENDS, cr, DIAG_ERROR,
	            "not-allowed", 8, 16, "'set-path' is not allowed");
	expect_diag(HEAD " http-request deny deny_status 700\n" BACKENDS, cr,
	            DIAG_ERROR, "invalid-status", 8, 32, "'700'");
	expect_diag(HEAD " http-request set-header X %[path,json(utf8s)]\n"
	            BACKENDS, cr, DIAG_ERROR, "unsupported", 8, 35,
	            "converter 'json' with argument 'utf8s'");
	expect_diag(HEAD " http-request set-header X a%Tb\n" BACKENDS, cr,
	            DIAG_ERROR, "invalid-format", 8, 29,
	            "no such format alias '%Tb'");
	expect_diag(HEAD " http-request set-header X \"a %[path\"\n" BACKENDS, cr,
	            DIAG_ERROR, "invalid-format", 8, 32, "is not closed by ']'");
	expect_diag(HEAD " http-request set-header X %[path_beg]\n" BACKENDS, cr,
	            DIAG_ERROR, "unsupported", 8, 30, "ACL derivative");
	expect_diag(HEAD " http-request redirect location /x code 305\n" BACKENDS,
	            cr, DIAG_ERROR, "invalid-status", 8, 41, "found '305'");
	expect_diag(HEAD " http-request redirect prefix /x set-cookie a=b "
	            "clear-cookie c\n" BACKENDS, cr, DIAG_ERROR, "unsupported", 8,
	            49, "a second set-cookie/clear-cookie");
	expect_diag(HEAD " http-request del-header x -m reg\n" BACKENDS, cr,
	            DIAG_ERROR, "unsupported", 8, 31, "'del-header -m reg'");
	/* a named ACL reading the response in a request rule (xref-warn.c
	 * covers the anonymous ones) */
	expect_diag(HEAD " acl r res.hdr(x) 1\n http-request deny if r\n"
	            BACKENDS, cr, DIAG_WARNING, "never-matches", 8, 8,
	            "'res.hdr' reads the response, which 'http-request' rules "
	            "never see");
	expect_diag(HEAD " acl q hdr(x) /q\n http-response deny if q\n"
	            BACKENDS, cr, DIAG_WARNING, "never-matches", 8, 8,
	            "'req.hdr' reads the request, which 'http-response'");
	expect_diag("defaults\n mode http\n http-request deny\n" BACKENDS, cr,
	            DIAG_ERROR, "unsupported", 3, 2, "'http-request' rules in a "
	            "defaults section are not supported");
	/* a fetch HAProxy does not know: the lint's error alone */
	{
		struct ch_run r;
		int n = 0;

		ch_run_text(&r, HEAD " http-request set-header X %[nope]\n"
		            BACKENDS);
		for (const struct diag *d = r.dc.head; d; d = d->next)
			n += d->severity == DIAG_ERROR;
		ck_assert_int_eq(n, 1);
		ck_assert_ptr_nonnull(ch_find(&r, DIAG_ERROR, "unknown-fetch"));
		ck_assert_uint_eq(r.m.proxies[0].http_rules[0].cond.dropped, 1);
		ch_run_free(&r);
	}
	expect_diag(HEAD " http-request set-header X %[req.body]\n" BACKENDS, cr,
	            DIAG_ERROR, "unsupported", 8, 30, "sample fetch 'req.body'");
	/* options before the redirect type, as HAProxy reads them */
	{
		struct ch_run r;

		ch_run_text(&r, HEAD " http-request redirect code 301 location /x\n"
		            " default_backend b1\n" BACKENDS);
		ck_assert_int_eq(r.rc, 0);
		ck_assert_uint_eq(r.m.proxies[0].http_rules[0].status, 301);
		ch_run_free(&r);
	}
}
END_TEST

static void m_hr_action(uint8_t *b, struct plan *p)
{
	(void)b;
	((struct plan_http_rule *)W(&p->http_rules[0]))->action =
		PLAN_HA_SET_STATUS;
}

static void m_hr_status(uint8_t *b, struct plan *p)
{
	(void)b;
	((struct plan_http_rule *)W(&p->http_rules[1]))->status = 100;
}

static void m_hr_set(uint8_t *b, struct plan *p)
{
	(void)b;
	((struct plan_http_rule *)W(&p->http_rules[0]))->set = PLAN_HR_RESPONSE;
}

static void m_lf_ref(uint8_t *b, struct plan *p)
{
	(void)b;
	((struct plan_lf_node *)W(&p->lf[1]))->ref = 0;   /* named acl a */
}

static void m_lf_conv(uint8_t *b, struct plan *p)
{
	struct plan_lf_node *n = W(&p->lf[1]);

	(void)b;
	n->conv[0] = PLAN_CONV_NONE;
	n->conv[1] = PLAN_CONV_LOWER;
}

static void m_lf_empty_lit(uint8_t *b, struct plan *p)
{
	(void)b;
	((struct plan_lf_node *)W(&p->lf[0]))->str = (struct plan_str){ 0, 0 };
}

static void m_hr_terms(uint8_t *b, struct plan *p)
{
	(void)b;
	((struct plan_http_rule *)W(&p->http_rules[0]))->nterms = 0;
}

static void m_lf_group(uint8_t *b, struct plan *p)
{
	struct plan_lf_node *n = W(&p->lf[0]);

	(void)b;
	n->kind = PLAN_LF_GROUP;
	n->str = (struct plan_str){ 0, 0 };
}

static void m_replace_arg(uint8_t *b, struct plan *p)
{
	(void)b;
	/* the replace rule (index 3) pointing at named line a, not its regex */
	((struct plan_http_rule *)W(&p->http_rules[3]))->arg = 0;
}

static void m_lf_hdr(uint8_t *b, struct plan *p)
{
	(void)b;
	((struct plan_lf_node *)W(&p->lf[0]))->kind = PLAN_LF_HDR;
}

/* The userlist's last byte (a line end) made something else. */
static void m_ul_shape(uint8_t *b, struct plan *p)
{
	const struct plan_acl *a = &p->acls[0];

	(void)b;
	((char *)W(p->blob))[a->sarg.off + a->sarg.len - 1] = 'x';
}

/* A user's group that the list does not declare. */
static void m_ul_group(uint8_t *b, struct plan *p)
{
	const struct plan_acl *a = &p->acls[0];
	char *t = (char *)W(p->blob) + a->sarg.off;

	(void)b;
	t = strstr(t, "\tdev\t");
	ck_assert_ptr_nonnull(t);
	t[1] = 'x';
}

/* The stats flag on a header rule. */
static void m_stats_flag(uint8_t *b, struct plan *p)
{
	(void)b;
	((struct plan_http_rule *)W(&p->http_rules[1]))->flags = PLAN_HR_F_STATS;
}

/* A stats admin rule without its flag. */
static void m_admin_noflag(uint8_t *b, struct plan *p)
{
	(void)b;
	((struct plan_http_rule *)W(&p->http_rules[1]))->action =
		PLAN_HA_STATS_ADMIN;
}

static void m_auth_status(uint8_t *b, struct plan *p)
{
	(void)b;
	((struct plan_http_rule *)W(&p->http_rules[0]))->status = 403;
}

START_TEST(test_verifier_userlist)
{
	static const struct corruption cases[] = {
		{ m_ul_shape, "acl 0: userlist with a malformed user line" },
		{ m_ul_group, "acl 0: userlist with a malformed user line" },
		{ m_auth_status, "http_rule 0: status 403" },
		{ m_stats_flag, "http_rule 1: flags 0x4" },
		{ m_admin_noflag, "http_rule 1: flags 0x0" },
	};
	const char *text = HEAD " acl ok http_auth(ul)\n"
	                   " http-request auth if !ok\n"
	                   " http-request set-header x y\n"
	                   " default_backend b1\n" BACKENDS
	                   "userlist ul\n group dev\n"
	                   " user ann insecure-password pw groups dev\n";

	expect_rejections(text, cases, sizeof(cases) / sizeof(cases[0]));
}
END_TEST

START_TEST(test_verifier_rules)
{
	static const struct corruption cases[] = {
		{ m_hr_action, "http_rule 0: action 7 in set 0" },
		{ m_hr_status, "http_rule 1: status 100, action 4" },
		{ m_hr_set, "http_rule 1: set 0 after set 1" },
		{ m_lf_ref, "lf 1: fetch of acl 0, not an anonymous found line" },
		{ m_lf_conv, "lf 1: converter 1 at 1" },
		{ m_lf_empty_lit, "lf 0: literal of 0 bytes" },
		{ m_hr_terms, "http_rule 0: cond 1 with 0 terms" },
		{ m_lf_hdr, "lf 0: header line of 2 bytes, ref 0, outside a deny, return or redirect" },
		{ m_lf_group, "lf 0: group 0 outside a replace rule" },
		{ m_replace_arg, "http_rule 3: regex line 0 is not an anonymous "
		  "one-regex line on its header" },
	};
	const char *text = HEAD " acl a path /x\n"
	                   " http-request deny if a\n"
	                   " http-request set-header X v=%[hdr(host),lower]\n"
	                   " http-response set-header Y 1\n"
	                   " http-response replace-header Z (.*) \\1\n"
	                   " default_backend b1\n" BACKENDS;

	expect_rejections(text, cases, sizeof(cases) / sizeof(cases[0]));
}
END_TEST

START_TEST(test_dump_fixpoint_rules)
{
	char *t = fixpoint(HEAD
		" http-request deny deny_status 429 if { hdr(x-bad) -m found }\n"
		" http-request deny content-type text/plain string no hdr A b\n"
		" http-request return status 200 content-type text/plain string "
		"\"100% sure\" hdr X-A \"%[path] x\" hdr X-B b if { path /r }\n"
		" http-request redirect scheme https code 301 unless { hdr(x-p) https }\n"
		" http-request set-header X-Client \"%ci:%cp %[req.hdr(host),lower,base64]\"\n"
		" http-request del-header x-secret -m beg\n"
		" http-request set-path /v2%[path]\n"
		" redirect prefix https://example.com drop-query clear-cookie s= "
		"if { path /old }\n"
		" http-response set-status 404 reason \"100% gone\"\n"
		" http-after-response set-header X-Srv %s\n"
		" http-request replace-value X-F '^a(b+)$' \"x\\\\1 %[path]\"\n"
		" default_backend b1\n" BACKENDS);

	ck_assert_ptr_nonnull(strstr(t, "http-request return status 200 "
	                             "content-type text/plain lf-string "
	                             "\"100%% sure\" hdr X-A \"%[path] x\" "
	                             "hdr X-B b if { path -m str -- /r }\n"));
	ck_assert_ptr_nonnull(strstr(t, "http-request set-header X-Client "
	                             "\"%ci:%cp %[req.hdr(host,-1),lower,base64]\"\n"));
	ck_assert_ptr_nonnull(strstr(t, "http-request redirect prefix "
	                             "https://example.com clear-cookie s= code "
	                             "302 drop-query"));
	ck_assert_ptr_nonnull(strstr(t, "reason \"100% gone\"\n"));
	ck_assert_ptr_nonnull(strstr(t, "http-request deny deny_status 403 "
	                             "content-type text/plain lf-string no hdr "
	                             "A b\n"));
	ck_assert_ptr_nonnull(strstr(t, "http-request replace-value X-F "
	                             "\"^a(b+)\\$\" \"x\\\\1 %[path]\"\n"));
	free(t);
}
END_TEST

static void m_svc_arg(uint8_t *b, struct plan *p)
{
	(void)b;
	((struct plan_http_rule *)W(&p->http_rules[0]))->arg = PLAN_SVC_MAX;
}

static void m_svc_set(uint8_t *b, struct plan *p)
{
	(void)b;
	((struct plan_http_rule *)W(&p->http_rules[0]))->set = PLAN_HR_RESPONSE;
}

/* use-service prometheus-exporter: a final verdict naming the service,
 * located errors for the services cfgrun lacks, the verifier's checks of
 * its argument and set, and the dump. */
START_TEST(test_use_service)
{
	static const struct corruption cases[] = {
		{ m_svc_arg, "http_rule 0: arg 1, action 18" },
		{ m_svc_set, "http_rule 0: action 18 in set 1" },
	};
	const char *cfg = FE(" http-request use-service prometheus-exporter "
	                     "if { path /metrics }\n"
	                     " http-request deny if { path /metrics }\n");
	enum sema_target cr = SEMA_TARGET_CFGRUN;
	struct run *r;
	char *t;

	r = run_request(cfg, GET("/metrics?scope=backend", ""), 0, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_SERVICE);
	ck_assert_uint_eq(r->v.service, PLAN_SVC_PROMEX);
	ck_assert_uint_eq(r->c.p.http_rules[r->v.rule].line, 8);
	run_free(r);
	r = run_request(cfg, GET("/other", ""), 0, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_CONTINUE);
	run_free(r);
	expect_diag(HEAD " http-request use-service lua.hello\n" BACKENDS, cr,
	            DIAG_ERROR, "unsupported", 8, 27,
	            "'use-service lua.hello' is not supported");
	expect_diag(HEAD " http-request use-service prometheus-exporter x\n"
	            BACKENDS, cr, DIAG_ERROR, "invalid-argument", 8, 47,
	            "expects one service name");
	expect_rejections(FE(" http-request use-service prometheus-exporter\n"),
	                  cases, sizeof(cases) / sizeof(cases[0]));
	t = fixpoint(cfg);
	ck_assert_ptr_nonnull(strstr(t, "http-request use-service "
	                             "prometheus-exporter if { path -m str -- "
	                             "/metrics }\n"));
	free(t);
}
END_TEST

static void m_norm_arg(uint8_t *b, struct plan *p)
{
	(void)b;
	((struct plan_http_rule *)W(&p->http_rules[0]))->arg = PLAN_URINORM_MAX;
}

static void m_norm_flag(uint8_t *b, struct plan *p)
{
	(void)b;
	((struct plan_http_rule *)W(&p->http_rules[0]))->flags =
		PLAN_HR_F_NORM_STRICT;
}

static void m_norm_set(uint8_t *b, struct plan *p)
{
	(void)b;
	((struct plan_http_rule *)W(&p->http_rules[0]))->set = PLAN_HR_RESPONSE;
}

#define XP "global\n expose-experimental-directives\n"

/* normalize-uri: later rules and the request sent on see the rewritten
 * target; strict refuses with 400; the verifier holds normalizer and
 * flags together; the dump gives the rule back. (The normalizers' own
 * cases: test_uri_norm.c.) */
START_TEST(test_normalize_uri)
{
	static const struct corruption cases[] = {
		{ m_norm_arg, "http_rule 0: arg 8, action 23" },
		{ m_norm_flag, "http_rule 0: flags 0x10" },
		{ m_norm_set, "http_rule 0: action 23 in set 1" },
	};
	const char *cfg = XP FE(
		" http-request normalize-uri percent-decode-unreserved strict\n"
		" http-request normalize-uri path-strip-dotdot full\n"
		" http-request deny if { path_beg /admin }\n");
	struct run *r;
	char *t;

	r = run_request(cfg, GET("/a/../%61dmin/", ""), 0, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_DENY);
	ck_assert_uint_eq(r->v.status, 403);
	run_free(r);
	r = run_request(cfg, GET("/x/%7e/../../y?q=%41", ""), 0, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_CONTINUE);
	ck_assert_ptr_nonnull(strstr(r->out, "GET /y?q=A HTTP/1.1\r\n"));
	run_free(r);
	r = run_request(cfg, GET("/%zz", ""), 0, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_DENY);
	ck_assert_uint_eq(r->v.status, 400);
	ck_assert_uint_eq(r->c.p.http_rules[r->v.rule].line, 10);
	run_free(r);
	expect_rejections(XP FE(" http-request normalize-uri path-strip-dotdot full\n"),
	                  cases, sizeof(cases) / sizeof(cases[0]));
	t = fixpoint(cfg);
	ck_assert_ptr_nonnull(strstr(t, "http-request normalize-uri "
	                             "percent-decode-unreserved strict\n"));
	ck_assert_ptr_nonnull(strstr(t, "http-request normalize-uri "
	                             "path-strip-dotdot full\n"));
	free(t);
}
END_TEST

static void m_pp_tlv(uint8_t *b, struct plan *p)
{
	(void)b;
	((struct plan_acl *)W(&p->acls[0]))->arg = 256;
}

/* The PROXY header fetches: fc_pp_tlv's type by number or name (dumped
 * as a number), located errors for a bad or missing type, the
 * verifier's bound, and no sample on a request without a connection. */
START_TEST(test_pp_fetches)
{
	static const struct corruption cases[] = {
		{ m_pp_tlv, "acl 0: TLV type 256 beyond 255" },
	};
	enum sema_target cr = SEMA_TARGET_CFGRUN;
	const char *cfg = FE(" acl pp fc_pp_tlv(UNIQUE_ID) -m beg c\n"
	                     " http-request deny if pp\n"
	                     " http-request set-header X-A %[fc_pp_authority]\n"
	                     " http-request set-header X-T %[fc_pp_tlv(0xE0)]\n"
	                     " http-request set-var(txn.id) fc_pp_unique_id\n"
	                     " http-request deny if { fc_rcvd_proxy }\n");
	struct run *r;
	char *t;

	t = fixpoint(cfg);
	ck_assert_ptr_nonnull(strstr(t, "acl pp fc_pp_tlv(5) -m beg -- c\n"));
	ck_assert_ptr_nonnull(strstr(t, "%[fc_pp_tlv(224)]"));
	ck_assert_ptr_nonnull(strstr(t, "%[fc_pp_authority]"));
	ck_assert_ptr_nonnull(strstr(t, "set-var(txn.id) fc_pp_unique_id"));
	free(t);
	r = run_request(cfg, GET("/x", ""), 0, 1024);
	ck_assert_uint_eq(r->v.kind, HTTP_VERDICT_CONTINUE);
	run_free(r);
	expect_diag(HEAD " acl a fc_pp_tlv(256) -m found\n" BACKENDS, cr,
	            DIAG_ERROR, "invalid-argument", 8, 8,
	            "TLV type from 0 to 255 or a name");
	expect_diag(HEAD " acl a fc_pp_tlv(SSL_XX) -m found\n" BACKENDS, cr,
	            DIAG_ERROR, "invalid-argument", 8, 8, "found 'SSL_XX'");
	expect_diag(HEAD " acl a fc_pp_tlv -m found\n" BACKENDS, cr,
	            DIAG_ERROR, "missing-argument", 8, 8,
	            "expects a TLV type in parentheses");
	expect_rejections(FE(" acl a fc_pp_tlv(5) -m found\n"
	                     " http-request deny if a\n"),
	                  cases, sizeof(cases) / sizeof(cases[0]));
}
END_TEST

/* The verdict of fe's tcp-request content rules `rules` on request req. */
static uint32_t tcp_content(const char *rules, const char *req)
{
	char text[4096];
	struct compiled c;
	struct msg m;
	struct http_req_view v;
	uint32_t k;

	snprintf(text, sizeof(text), HEAD "%s default_backend b1\n" BACKENDS,
	         rules);
	compile_ok(&c, text);
	msg_set(&m, req, 0);
	view_init(&v, &c, &m, NULL);
	k = http_rules_tcp_content(&v, 0, -1);
	compiled_free(&c);
	return k;
}

/* tcp-request content rules of an HTTP proxy: HTTP fetches and the HTTP
 * ACL in their conditions, the first accept/reject/silent-drop decides,
 * no rule or no match goes on. */
START_TEST(test_tcp_content_in_http)
{
	const char *rules =
		" tcp-request content reject if { path_beg /no }\n"
		" tcp-request content silent-drop if { hdr(x-drop) 1 }\n"
		" tcp-request content accept if HTTP { hdr(x-ok) yes }\n"
		" tcp-request content reject\n";

	ck_assert_uint_eq(tcp_content(rules, GET("/no/x", "X-Ok: yes\r\n")),
	                  HTTP_TCP_REJECT);
	ck_assert_uint_eq(tcp_content(rules, GET("/a", "X-Drop: 1\r\n")),
	                  HTTP_TCP_DROP);
	ck_assert_uint_eq(tcp_content(rules, GET("/a", "X-Ok: yes\r\n")),
	                  HTTP_TCP_CONTINUE);
	ck_assert_uint_eq(tcp_content(rules, GET("/a", "")), HTTP_TCP_REJECT);
	ck_assert_uint_eq(tcp_content(" tcp-request content set-tos 8\n",
	                              GET("/a", "")), HTTP_TCP_CONTINUE);
}
END_TEST

static Suite *http_rules_suite(void)
{
	Suite *s = suite_create("http_rules");
	TCase *tc = tcase_create("fetches");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fetches_request_line);
	tcase_add_test(tc, test_fetches_headers);
	tcase_add_test(tc, test_matchers);
	tcase_add_test(tc, test_sorted_set);
	tcase_add_test(tc, test_use_backend_conditions);
	tcase_add_test(tc, test_fetch_diagnostics);
	tcase_add_test(tc, test_verifier);
	tcase_add_test(tc, test_dump_fixpoint_acls);
	suite_add_tcase(s, tc);
	tc = tcase_create("rules");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_request_header_edits);
	tcase_add_test(tc, test_request_line_edits);
	tcase_add_test(tc, test_verdicts);
	tcase_add_test(tc, test_use_service);
	tcase_add_test(tc, test_normalize_uri);
	tcase_add_test(tc, test_pp_fetches);
	tcase_add_test(tc, test_tcp_content_in_http);
	tcase_add_test(tc, test_userlist_auth);
	tcase_add_test(tc, test_tarpit);
	tcase_add_test(tc, test_stats_rules);
	tcase_add_test(tc, test_userlist_diagnostics);
	tcase_add_test(tc, test_replace);
	tcase_add_test(tc, test_rules_see_edits);
	tcase_add_test(tc, test_proxy_redirect_and_backend_rules);
	tcase_add_test(tc, test_route_request_traced);
	tcase_add_test(tc, test_response_rules);
	tcase_add_test(tc, test_rewrite_overflow);
	tcase_add_test(tc, test_converters);
	tcase_add_test(tc, test_maps_and_vars);
	tcase_add_test(tc, test_live_maps);
	tcase_add_test(tc, test_live_regex);
	tcase_add_test(tc, test_live_acl_exact);
	tcase_add_test(tc, test_rule_diagnostics);
	tcase_add_test(tc, test_verifier_userlist);
	tcase_add_test(tc, test_verifier_rules);
	tcase_add_test(tc, test_dump_fixpoint_rules);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(http_rules_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
