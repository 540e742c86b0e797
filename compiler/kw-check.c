/*
 * kw-check.c: health-check settings of proxies: `option tcp-check` with
 * its `tcp-check` rules, `option httpchk` with `http-check send|expect`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "diag.h"
#include "kw.h"
#include "model.h"
#include "plan.h"
#include "sema.h"
#include "units.h"

int kw_option_tcp_check(struct sema *s, const struct ast_stmt *st,
                        size_t args, int negate)
{
	(void)st;
	(void)args;
	(void)negate;
	s->set->check_type = PLAN_CHECK_TCP;
	return 0;
}

/* Replace *dst by a copy of `w`'s text. */
static int set_text(struct sema *s, char **dst, const struct ast_word *w)
{
	char *p = sema_strdup(s, w->text);

	if (!p)
		return -1;
	free(*dst);
	*dst = p;
	return 0;
}

/* option httpchk [[METHOD] URI [VERSION [HOST]]] */
int kw_option_httpchk(struct sema *s, const struct ast_stmt *st, size_t args,
                      int negate)
{
	size_t n = st->nargs - args;
	struct model_settings *set = s->set;

	(void)negate;
	if (n >= 3 && strpbrk(st->args[args + 2].text, "\r\n")) {
		/* the old trick "HTTP/1.1\r\nHost:\ x": refused since 3.0 */
		diag_error(s->dc, &st->args[args + 2].loc, "invalid-value",
		           "'option httpchk' expects an HTTP version, found "
		           "headers or a body glued after it (a CR or LF in the "
		           "version; write them with 'http-check send hdr ...' "
		           "instead)");
		return -1;
	}
	set->check_type = PLAN_CHECK_HTTP;
	if (n == 1)
		return set_text(s, &set->httpchk_uri, &st->args[args]);
	if (n >= 2 && (set_text(s, &set->httpchk_method, &st->args[args]) < 0 ||
	               set_text(s, &set->httpchk_uri, &st->args[args + 1]) < 0))
		return -1;
	if (n >= 3 && set_text(s, &set->httpchk_version, &st->args[args + 2]) < 0)
		return -1;
	if (n >= 4 && set_text(s, &set->httpchk_host, &st->args[args + 3]) < 0)
		return -1;
	return 0;
}

/* The proxy's own rule list: the first rule of a section replaces the
 * rules it inherited from defaults. Returns a new zeroed rule or NULL. */
static struct model_check_rule *new_rule(struct sema *s,
                                         const struct ast_stmt *st)
{
	struct model_check_rule *r;

	if (s->set->checks_inherited) {
		model_checks_clear(s->set);
		s->set->checks_inherited = 0;
	}
	r = model_add_check(s->set);
	if (!r) {
		s->oom = 1;
		return NULL;
	}
	r->line = st->args[0].loc.line;
	return r;
}

static int rule_data(struct sema *s, struct model_check_rule *r,
                     const char *p, size_t len)
{
	r->data = malloc(len + 1);
	if (!r->data) {
		s->oom = 1;
		return -1;
	}
	memcpy(r->data, p, len);
	r->data[len] = 0;
	r->len = len;
	return 0;
}

/* Hex digits of `w` into bytes (malloc'd in *out). -1 after an error. */
static int decode_hex(struct sema *s, const struct ast_word *w, char **out,
                      size_t *len)
{
	size_t n = strlen(w->text);
	char *b;

	if (n == 0 || n % 2) {
		diag_error(s->dc, &w->loc, "invalid-value",
		           "expected an even number of hexadecimal digits, found "
		           "'%s'", w->text);
		return -1;
	}
	b = malloc(n / 2 + 1);
	if (!b) {
		s->oom = 1;
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const char *digits = "0123456789abcdef0123456789ABCDEF";
		const char *d = strchr(digits, w->text[i]);
		unsigned v;

		if (!d || !*d) {
			struct src_loc loc = kw_word_loc_at(w, i);

			diag_error(s->dc, &loc, "invalid-value",
			           "expected hexadecimal digits, found '%c' in '%s'",
			           w->text[i], w->text);
			free(b);
			return -1;
		}
		v = (unsigned)((d - digits) % 16);
		if (i % 2)
			b[i / 2] = (char)(b[i / 2] | (char)v);
		else
			b[i / 2] = (char)(v << 4);
	}
	b[n / 2] = 0;
	*out = b;
	*len = n / 2;
	return 0;
}

/* Refuse the words from args[i] as options cfgc does not compile. */
static int rule_unsupported(struct sema *s, const struct ast_stmt *st,
                            size_t i, const char *what)
{
	diag_error(s->dc, &st->args[i].loc, "unsupported",
	           "'%s' option '%s' is not supported by cfgc yet (HAProxy "
	           "manual section 4.2)", what, st->args[i].text);
	return -1;
}

static int tcp_check_connect(struct sema *s, const struct ast_stmt *st)
{
	uint32_t port = 0, flags = 0;
	size_t i = 2;

	while (i < st->nargs) {
		char err[256];
		size_t col = 0;
		uint64_t v;

		if (!strcmp(st->args[i].text, "default")) {
			/* The server's check settings; without it, HAProxy
			 * opens a plain connection even with check-ssl. */
			flags |= PLAN_CHK_F_DEFAULT;
			i++;
			continue;
		}
		if (strcmp(st->args[i].text, "port"))
			return rule_unsupported(s, st, i, "tcp-check connect");
		if (i + 1 >= st->nargs) {
			diag_error(s->dc, &st->args[i].loc, "missing-argument",
			           "'tcp-check connect port' expects a port from 1 "
			           "to 65535, found nothing");
			return -1;
		}
		if (units_parse_uint_msg(st->args[i + 1].text, 1, 65535, &v, err,
		                         sizeof(err), &col) < 0) {
			struct src_loc loc = kw_word_loc_at(&st->args[i + 1], col);

			diag_error(s->dc, &loc, "invalid-port",
			           "'tcp-check connect port': %s", err);
			return -1;
		}
		port = (uint32_t)v;
		i += 2;
	}
	if (!s->set->checks_inherited && s->set->nchecks &&
	    s->set->checks[0].op != PLAN_CHK_CONNECT) {
		diag_error(s->dc, &st->args[1].loc, "connect-not-first",
		           "'tcp-check connect' after a '%s' rule (line %u): the "
		           "first rule must be a 'connect' when the rule list has "
		           "one", s->set->checks[0].op == PLAN_CHK_SEND ? "send" :
		           "expect", (unsigned)s->set->checks[0].line);
		return -1;
	}
	struct model_check_rule *r = new_rule(s, st);
	if (!r)
		return -1;
	r->op = PLAN_CHK_CONNECT;
	r->flags = flags;
	r->arg = port;
	return 0;
}

static int tcp_check_send(struct sema *s, const struct ast_stmt *st, int bin)
{
	const char *what = bin ? "tcp-check send-binary" : "tcp-check send";
	struct model_check_rule *r;
	char *data = NULL;
	size_t len;

	if (st->nargs < 3) {
		diag_error(s->dc, &st->args[1].loc, "missing-argument",
		           "'%s' expects %s, found nothing", what,
		           bin ? "hexadecimal data" : "a string to send");
		return -1;
	}
	if (st->nargs > 3)
		return rule_unsupported(s, st, 3, what);
	if (bin && decode_hex(s, &st->args[2], &data, &len) < 0)
		return -1;
	r = new_rule(s, st);
	if (!r) {
		free(data);
		return -1;
	}
	r->op = PLAN_CHK_SEND;
	if (bin) {
		r->data = data;
		r->len = len;
		return 0;
	}
	return rule_data(s, r, st->args[2].text, st->args[2].len);
}

static int tcp_check_expect(struct sema *s, const struct ast_stmt *st)
{
	static const char *const later[] = {
		"rbinary", "string-lf", "binary-lf",
	};
	size_t i = 2;
	uint32_t flags = 0, op;
	const struct ast_word *kind, *pat;
	const char *ktext;              /* the match, after a glued '!' */
	struct model_check_rule *r;
	char *data = NULL;
	size_t len = 0;

	if (i < st->nargs && !strcmp(st->args[i].text, "!")) {
		flags |= PLAN_CHK_F_NEGATE;
		i++;
	}
	if (i >= st->nargs) {
		diag_error(s->dc, &st->args[st->nargs - 1].loc, "missing-argument",
		           "'tcp-check expect' expects [!] string|binary|rstring "
		           "<pattern>, found nothing");
		return -1;
	}
	kind = &st->args[i];
	ktext = kind->text;
	/* as in HAProxy, the '!' may be glued to the match: "!rstring" */
	if (ktext[0] == '!' && ktext[1] && !(flags & PLAN_CHK_F_NEGATE)) {
		flags |= PLAN_CHK_F_NEGATE;
		ktext++;
	}
	if (!strcmp(ktext, "string"))
		op = PLAN_CHK_EXPECT_STRING;
	else if (!strcmp(ktext, "binary"))
		op = PLAN_CHK_EXPECT_BINARY;
	else if (!strcmp(ktext, "rstring"))
		op = PLAN_CHK_EXPECT_REGEX;
	else {
		for (size_t k = 0; k < sizeof(later) / sizeof(later[0]); k++)
			if (!strcmp(ktext, later[k]))
				return rule_unsupported(s, st, i, "tcp-check expect");
		if (!strcmp(ktext, "min-recv") ||
		    !strcmp(ktext, "comment") ||
		    !strncmp(ktext, "on-", 3) ||
		    strstr(ktext, "-status"))
			return rule_unsupported(s, st, i, "tcp-check expect");
		diag_error(s->dc, &kind->loc, "invalid-value",
		           "'tcp-check expect' expects a match such as 'string', "
		           "'binary' or 'rstring', found '%s'", kind->text);
		return -1;
	}
	if (i + 1 >= st->nargs) {
		diag_error(s->dc, &kind->loc, "missing-argument",
		           "'tcp-check expect %s' expects a pattern, found nothing",
		           ktext);
		return -1;
	}
	pat = &st->args[i + 1];
	if (i + 2 < st->nargs)
		return rule_unsupported(s, st, i + 2, "tcp-check expect");
	if (op == PLAN_CHK_EXPECT_BINARY &&
	    decode_hex(s, pat, &data, &len) < 0)
		return -1;
	if (op == PLAN_CHK_EXPECT_REGEX) {
		char msg[160];
		size_t off = 0;

		if (plan_regex_check(pat->text, strlen(pat->text), 0, &off, msg,
		                     sizeof(msg)) < 0) {
			diag_error(s->dc, &pat->loc, "invalid-regex",
			           "'tcp-check expect rstring' expects a regular "
			           "expression, found '%s' (%s at offset %zu)",
			           pat->text, msg, off);
			return -1;
		}
	}
	r = new_rule(s, st);
	if (!r) {
		free(data);
		return -1;
	}
	r->op = op;
	r->flags = flags;
	if (data) {
		r->data = data;
		r->len = len;
		return 0;
	}
	return rule_data(s, r, pat->text, pat->len);
}

int kw_tcp_check(struct sema *s, const struct ast_stmt *st)
{
	const char *sub = st->args[1].text;

	if (!strcmp(sub, "connect"))
		return tcp_check_connect(s, st);
	if (!strcmp(sub, "send"))
		return tcp_check_send(s, st, 0);
	if (!strcmp(sub, "send-binary"))
		return tcp_check_send(s, st, 1);
	if (!strcmp(sub, "expect"))
		return tcp_check_expect(s, st);
	kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
	return -1;
}

/* http-check send [meth M] [uri U] [ver V] [hdr host H] */
static int http_check_send(struct sema *s, const struct ast_stmt *st)
{
	struct model_settings *set = s->set;

	for (size_t i = 2; i < st->nargs; i += 2) {
		const char *k = st->args[i].text;
		char **dst = NULL;
		size_t val = i + 1;

		if (!strcmp(k, "meth"))
			dst = &set->httpchk_method;
		else if (!strcmp(k, "uri"))
			dst = &set->httpchk_uri;
		else if (!strcmp(k, "ver"))
			dst = &set->httpchk_version;
		else if (!strcmp(k, "hdr") && i + 1 < st->nargs &&
		         !strcasecmp(st->args[i + 1].text, "host")) {
			dst = &set->httpchk_host;
			val = i + 2;
			i++;
		} else
			return rule_unsupported(s, st, i, "http-check send");
		if (val >= st->nargs) {
			diag_error(s->dc, &st->args[val - 1].loc, "missing-argument",
			           "'http-check send %s' expects a value, found "
			           "nothing", k);
			return -1;
		}
		if (set_text(s, dst, &st->args[val]) < 0)
			return -1;
	}
	return 0;
}

/* "N" or "N-M": a status range 100..599. */
static int parse_status(struct sema *s, const struct ast_word *w,
                        uint32_t *lo, uint32_t *hi)
{
	const char *dash = strchr(w->text, '-');
	char buf[16];
	uint64_t a, b;
	const char *err;

	if (strchr(w->text, ',')) {
		diag_error(s->dc, &w->loc, "unsupported",
		           "a list of status codes ('%s') is not supported by cfgc "
		           "yet: expected one code or one range such as 200-399",
		           w->text);
		return -1;
	}
	if (dash && (size_t)(dash - w->text) < sizeof(buf)) {
		memcpy(buf, w->text, (size_t)(dash - w->text));
		buf[dash - w->text] = 0;
	} else {
		snprintf(buf, sizeof(buf), "%s", dash ? "" : w->text);
	}
	if (units_parse_uint(buf, 0, 65535, &a, &err) < 0 ||
	    units_parse_uint(dash ? dash + 1 : buf, 0, 65535, &b, &err) < 0 ||
	    a > b) {
		diag_error(s->dc, &w->loc, "invalid-value",
		           "'http-check expect status' expects a status code from "
		           "100 to 599 or a range such as 200-399, found '%s'",
		           w->text);
		return -1;
	}
	if (a < 100 || b > 599)
		/* HAProxy takes any number; no response carries it */
		diag_warning(s->dc, &w->loc, "out-of-range",
		             "'http-check expect status %s': no HTTP status is "
		             "outside 100 to 599, this never matches", w->text);
	*lo = (uint32_t)a;
	*hi = (uint32_t)b;
	return 0;
}

/* http-check expect [!] string TEXT | rstring REGEX: the response body
 * must (or, negated, must not) hold TEXT or match REGEX; the status is
 * then not judged, as in HAProxy. */
static int http_check_body(struct sema *s, const struct ast_stmt *st,
                           size_t i, uint32_t flags)
{
	const char *k = st->args[i].text;
	const struct ast_word *pat;
	struct model_check_rule *r = &s->set->http_body;

	if (k[0] == '!')
		k++;
	if (i + 1 >= st->nargs) {
		diag_error(s->dc, &st->args[i].loc, "missing-argument",
		           "'http-check expect %s' expects a pattern, found "
		           "nothing", k);
		return -1;
	}
	pat = &st->args[i + 1];
	if (i + 2 < st->nargs)
		return rule_unsupported(s, st, i + 2, "http-check expect");
	if (!strcmp(k, "rstring")) {
		char msg[160];
		size_t off = 0;

		if (strlen(pat->text) != pat->len ||
		    plan_regex_check(pat->text, pat->len, 0, &off, msg,
		                     sizeof(msg)) < 0) {
			diag_error(s->dc, &pat->loc, "invalid-regex",
			           "'http-check expect rstring' expects a regular "
			           "expression, found '%s' (%s at offset %zu)",
			           pat->text, strlen(pat->text) != pat->len ?
			           "a NUL byte" : msg, off);
			return -1;
		}
	} else if (!pat->len || strlen(pat->text) != pat->len) {
		diag_error(s->dc, &pat->loc, "invalid-value",
		           "'http-check expect string' expects a non-empty "
		           "text without NUL bytes");
		return -1;
	}
	free(r->data);
	memset(r, 0, sizeof(*r));
	r->op = !strcmp(k, "rstring") ? PLAN_CHK_EXPECT_REGEX
	                              : PLAN_CHK_EXPECT_STRING;
	r->flags = flags;
	r->line = st->args[0].loc.line;
	return rule_data(s, r, pat->text, pat->len);
}

static int http_check_expect(struct sema *s, const struct ast_stmt *st)
{
	size_t i = 2;
	uint32_t flags = 0;
	const char *k;

	if (i < st->nargs && !strcmp(st->args[i].text, "!")) {
		flags = PLAN_CHK_F_NEGATE;
		i++;
	}
	if (i >= st->nargs) {
		diag_error(s->dc, &st->args[st->nargs - 1].loc, "missing-argument",
		           "'http-check expect' expects a match such as 'status "
		           "200', found nothing");
		return -1;
	}
	k = st->args[i].text;
	if (k[0] == '!' && !flags) {
		/* as in HAProxy, the '!' may be glued: "!string" */
		flags = PLAN_CHK_F_NEGATE;
		k++;
	}
	if (s->set->http_expect) {
		diag_error(s->dc, &st->args[1].loc, "unsupported",
		           "a second 'http-check expect' rule in one section is "
		           "not supported by cfgc yet (one expect rule per "
		           "backend)");
		return -1;
	}
	if (!strcmp(k, "string") || !strcmp(k, "rstring")) {
		if (http_check_body(s, st, i, flags) < 0)
			return -1;
		s->set->http_expect = 1;
		return 0;
	}
	if (!strcmp(k, "rstatus") && i + 1 < st->nargs) {
		/* not run by cfgrun, but its regex is compiled by HAProxy
		 * when it reads the line: a bad one is an error anyway */
		const struct ast_word *rw = &st->args[i + 1];
		char msg[160];
		size_t off;

		if (plan_regex_check(rw->text, rw->len, 0, &off, msg,
		                     sizeof(msg)) < 0) {
			diag_error(s->dc, &rw->loc, "invalid-regex",
			           "'http-check expect rstatus': invalid regular "
			           "expression '%s': %s (at offset %zu)", rw->text,
			           msg, off);
			return -1;
		}
	}
	if (flags && !strcmp(st->args[i - 1].text, "!"))
		return rule_unsupported(s, st, i - 1, "http-check expect");
	if (flags || strcmp(k, "status"))
		return rule_unsupported(s, st, i, "http-check expect");
	if (i + 1 >= st->nargs) {
		diag_error(s->dc, &st->args[i].loc, "missing-argument",
		           "'http-check expect status' expects a status code or "
		           "a range, found nothing");
		return -1;
	}
	if (i + 2 < st->nargs)
		return rule_unsupported(s, st, i + 2, "http-check expect");
	if (parse_status(s, &st->args[i + 1], &s->set->status_lo,
	                 &s->set->status_hi) < 0)
		return -1;
	s->set->http_expect = 1;
	return 0;
}

int kw_http_check(struct sema *s, const struct ast_stmt *st)
{
	const char *sub = st->args[1].text;

	if (s->set->http_rules == 1) {
		/* the section's own rules replace the inherited expect rule */
		s->set->status_lo = s->set->status_hi = 0;
		free(s->set->http_body.data);
		memset(&s->set->http_body, 0, sizeof(s->set->http_body));
	}
	s->set->http_rules = 2;

	if (!strcmp(sub, "send"))
		return http_check_send(s, st);
	if (!strcmp(sub, "expect"))
		return http_check_expect(s, st);
	kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
	return -1;
}
