/*
 * route_test.c: `cfgc --route-test FILE PLAN`: a file of requests, each
 * with what should become of it, run by route_run() (route.c). The
 * format (doc/route.md):
 *
 *   # comment
 *   GET http://shop.example/cart -H 'Cookie: a=b' --src 10.0.0.1 => backend shop
 *   GET http://shop.example/old => status 301 => location https://x/new
 *   GET /a -H 'Host: api.example' \
 *       => header X-Route: api
 *
 * Words are split as a shell does for plain and quoted words; a line that
 * ends with a backslash goes on on the next one. The whole file is read
 * and checked before any entry runs, so a syntax error anywhere is found
 * first (exit 2); then entries run in order and the first mismatch stops
 * the run (exit 1) with the located message and the rule trace.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "route.h"

#define RT_MAX_WORDS  256u          /* words per entry */
#define RT_MAX_EXPECT 16u           /* `=> ...` clauses per entry */

enum rt_expect_kind {
	RT_EXP_BACKEND   = 0,       /* backend NAME */
	RT_EXP_STATUS    = 1,       /* status CODE: a local reply */
	RT_EXP_LOCATION  = 2,       /* location URL */
	RT_EXP_HEADER    = 3,       /* header NAME[: VALUE] */
	RT_EXP_NO_HEADER = 4,       /* no-header NAME */
	RT_EXP_CLOSE     = 5,       /* close: no reply at all */
	RT_EXP_SERVER    = 6,       /* server NAME: a use-server rule's */
};

struct rt_expect {
	uint32_t kind;              /* enum rt_expect_kind */
	char *arg;                  /* name, URL, header name (malloc'd) */
	char *value;                /* header value, NULL: any */
	unsigned status;
};

struct rt_entry {
	unsigned line;              /* first line of the entry */
	char *words[RT_MAX_WORDS];  /* the request's words (malloc'd) */
	uint32_t nwords;
	struct route_req req;       /* pointing into words */
	struct rt_expect exp[RT_MAX_EXPECT];
	uint32_t nexp;
	struct rt_entry *next;
};

static void rt_entry_free(struct rt_entry *e)
{
	for (uint32_t i = 0; i < e->nwords; i++)
		free(e->words[i]);
	for (uint32_t i = 0; i < e->nexp; i++) {
		free(e->exp[i].arg);
		free(e->exp[i].value);
	}
	free(e);
}

/* Split s into e->words (quotes as a shell: '...' literal, "..." with
 * \" and \\); "=>" stays a word of its own only when unquoted, marked by
 * a NULL-free sentinel: its text is "=>" and quoted[i] 0. Returns NULL or
 * an error text. */
static const char *rt_split(const char *s, struct rt_entry *e, uint8_t *quoted)
{
	while (*s) {
		char *w;
		size_t n = 0;
		int q = 0;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (e->nwords >= RT_MAX_WORDS)
			return "too many words in one entry";
		if (!(w = malloc(strlen(s) + 1)))
			return "out of memory";
		while (*s && *s != ' ' && *s != '\t') {
			if (*s == '\'') {
				const char *end = strchr(s + 1, '\'');

				if (!end) {
					free(w);
					return "unterminated single quote";
				}
				memcpy(w + n, s + 1, (size_t)(end - s - 1));
				n += (size_t)(end - s - 1);
				s = end + 1;
				q = 1;
			} else if (*s == '"') {
				for (s++; *s && *s != '"'; s++) {
					if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
						s++;
					w[n++] = *s;
				}
				if (!*s) {
					free(w);
					return "unterminated double quote";
				}
				s++;
				q = 1;
			} else {
				w[n++] = *s++;
			}
		}
		w[n] = '\0';
		quoted[e->nwords] = (uint8_t)q;
		e->words[e->nwords++] = w;
	}
	return NULL;
}

/* The expectation in words [i, j) (after a `=>`). NULL or an error. */
static const char *rt_expect(struct rt_entry *e, uint32_t i, uint32_t j)
{
	struct rt_expect *x;
	const char *k;
	size_t len = 0;
	char *text, *colon;

	if (i >= j)
		return "'=>' is followed by nothing (expected backend, server, "
		       "status, location, header, no-header or close)";
	if (e->nexp >= RT_MAX_EXPECT)
		return "too many '=>' clauses in one entry";
	x = &e->exp[e->nexp];
	memset(x, 0, sizeof(*x));
	k = e->words[i];
	for (uint32_t w = i + 1; w < j; w++)
		len += strlen(e->words[w]) + 1;
	if (!(text = calloc(1, len + 1)))
		return "out of memory";
	for (uint32_t w = i + 1; w < j; w++) {
		if (w > i + 1)
			strcat(text, " ");
		strcat(text, e->words[w]);
	}
	x->arg = text;
	e->nexp++;
	if (!strcmp(k, "close")) {
		x->kind = RT_EXP_CLOSE;
		return i + 1 == j ? NULL : "'close' takes nothing after it";
	}
	if (i + 1 == j)
		return "this expectation needs a value after its keyword";
	if (!strcmp(k, "backend") || !strcmp(k, "location") ||
	    !strcmp(k, "no-header") || !strcmp(k, "server")) {
		x->kind = !strcmp(k, "backend") ? RT_EXP_BACKEND :
		          !strcmp(k, "location") ? RT_EXP_LOCATION :
		          !strcmp(k, "server") ? RT_EXP_SERVER :
		          RT_EXP_NO_HEADER;
		return i + 2 == j ? NULL : "this expectation takes one word "
		       "(quote it if it has spaces)";
	}
	if (!strcmp(k, "status")) {
		char *end;
		long v = strtol(text, &end, 10);

		x->kind = RT_EXP_STATUS;
		x->status = (unsigned)v;
		return *end || v < 100 || v > 999 ?
		       "'status' expects a code from 100 to 999" : NULL;
	}
	if (!strcmp(k, "header")) {
		x->kind = RT_EXP_HEADER;
		if ((colon = strchr(text, ':'))) {
			char *v = colon + 1;

			*colon = '\0';
			while (*v == ' ')
				v++;
			if (!(x->value = strdup(v)))
				return "out of memory";
		}
		return text[0] ? NULL : "'header' expects 'Name: value' or 'Name'";
	}
	return "unknown expectation (expected backend, server, status, location, "
	       "header, no-header or close)";
}

/* One logical line into an entry. NULL or an error text. */
static const char *rt_parse(const char *text, struct rt_entry *e)
{
	uint8_t quoted[RT_MAX_WORDS];
	const char *err = rt_split(text, e, quoted);
	uint32_t i, arrow = e->nwords, nreq;

	if (err)
		return err;
	for (i = 0; i < e->nwords; i++)
		if (!quoted[i] && !strcmp(e->words[i], "=>")) {
			arrow = i;
			break;
		}
	if (arrow == e->nwords)
		return "an entry needs '=> EXPECTATION' (backend NAME, server NAME, "
		       "status CODE, location URL, header NAME: VALUE, "
		       "no-header NAME, close)";
	if (arrow < 2)
		return "an entry starts with 'METHOD URL'";
	/* METHOD URL [HTTP/x.y]: joined into the request text */
	nreq = arrow > 2 && !strncmp(e->words[2], "HTTP/", 5) ? 3 : 2;
	{
		size_t len = strlen(e->words[0]) + strlen(e->words[1]) + 2 +
		             (nreq == 3 ? strlen(e->words[2]) + 1 : 0);
		char *r = malloc(len);

		if (!r)
			return "out of memory";
		snprintf(r, len, "%s %s%s%s", e->words[0], e->words[1],
		         nreq == 3 ? " " : "", nreq == 3 ? e->words[2] : "");
		free(e->words[0]);
		e->words[0] = r;
		e->req.request = r;
	}
	for (i = nreq; i < arrow; i += 2) {
		const char *o = e->words[i];

		if (i + 1 >= arrow)
			return "an option is missing its value";
		if (!strcmp(o, "-H")) {
			if (e->req.nhdrs >= ROUTE_MAX_HDRS)
				return "too many -H options";
			e->req.hdrs[e->req.nhdrs++] = e->words[i + 1];
		} else if (!strcmp(o, "--src")) {
			e->req.src = e->words[i + 1];
		} else if (!strcmp(o, "--sni")) {
			e->req.sni = e->words[i + 1];
		} else if (!strcmp(o, "--frontend")) {
			e->req.frontend = e->words[i + 1];
		} else {
			return "unknown option (expected -H, --src, --sni or "
			       "--frontend)";
		}
	}
	for (i = arrow + 1; i <= e->nwords; i++) {
		uint32_t j = i;

		while (j < e->nwords && (quoted[j] || strcmp(e->words[j], "=>")))
			j++;
		if ((err = rt_expect(e, i, j)))
			return err;
		i = j;
	}
	return NULL;
}

/* Read FILE into entries (in order, *out); 0, or 2 after a located
 * message for each bad entry (all of them: the reading goes on). */
static int rt_read(const char *file, struct rt_entry **out)
{
	FILE *f = fopen(file, "r");
	struct rt_entry **tail = out;
	char *line = NULL, *acc = NULL;
	size_t cap = 0, acclen = 0;
	unsigned lineno = 0, first = 0;
	ssize_t n;
	int ret = 0;

	*out = NULL;
	if (!f) {
		fprintf(stderr, "cfgc: %s: %s\n", file, strerror(errno));
		return 2;
	}
	while (ret != 3 && ((n = getline(&line, &cap, f)) >= 0 || acclen)) {
		int cont;
		char *p = line, *grown;

		if (n < 0) {            /* a continuation at the end of file */
			n = 0;
			line[0] = '\0';
		}
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		cont = n > 0 && line[n - 1] == '\\';
		if (cont)
			line[--n] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (!acclen) {
			first = lineno;
			if (!*p || *p == '#')
				continue;
		}
		if (!(grown = realloc(acc, acclen + strlen(p) + 2))) {
			fprintf(stderr, "cfgc: out of memory\n");
			ret = 3;
			break;
		}
		acc = grown;
		if (acclen)
			acc[acclen++] = ' ';
		memcpy(acc + acclen, p, strlen(p) + 1);
		acclen += strlen(p);
		if (cont && !feof(f))
			continue;
		{
			struct rt_entry *e = calloc(1, sizeof(*e));
			const char *err = e ? rt_parse(acc, e) : "out of memory";

			if (e) {
				e->line = first;
				*tail = e;
				tail = &e->next;
			}
			if (err) {
				fprintf(stderr, "%s:%u: error: %s\n", file, first, err);
				ret = 2;
			}
		}
		acclen = 0;
	}
	if (ret == 3)
		ret = 2;
	if (!ret && ferror(f)) {
		fprintf(stderr, "cfgc: %s: read error\n", file);
		ret = 2;
	}
	free(line);
	free(acc);
	fclose(f);
	return ret;
}

/* 1 when head (CRLF lines) has a line `name` (any case) with `value`
 * (NULL: any value). */
static int rt_head_has(const char *head, const char *name, const char *value)
{
	size_t nl = strlen(name);

	for (const char *l = head ? strstr(head, "\r\n") : NULL; l && l[2];) {
		const char *e = strstr(l + 2, "\r\n"), *v;

		l += 2;
		if (!e)
			break;
		if (!strncasecmp(l, name, nl) && l[nl] == ':') {
			for (v = l + nl + 1; *v == ' ' || *v == '\t'; v++)
				;
			if (!value || ((size_t)(e - v) == strlen(value) &&
			               !strncmp(v, value, (size_t)(e - v))))
				return 1;
		}
		l = e;
	}
	return 0;
}

/* What the request got, for a mismatch message. */
static void rt_got(const struct route_result *r, char *buf, size_t len)
{
	if (r->outcome == ROUTE_FORWARD)
		snprintf(buf, len, "forwarded to backend '%s'", r->backend);
	else if (r->outcome == ROUTE_CLOSE)
		snprintf(buf, len, "closed without a reply");
	else
		snprintf(buf, len, "local reply %u", r->status);
}

/* Check expectation x against r; 0 met, or -1 after the message. */
static int rt_check(const char *file, const struct rt_entry *e,
                    const struct rt_expect *x, const struct route_result *r)
{
	char got[256];
	const char *hw = r->outcome == ROUTE_FORWARD ? "the request as it leaves" :
	                 "the reply";

	rt_got(r, got, sizeof(got));
	switch (x->kind) {
	case RT_EXP_BACKEND:
		if (r->outcome == ROUTE_FORWARD && !strcmp(r->backend, x->arg))
			return 0;
		if (r->outcome == ROUTE_FORWARD)
			fprintf(stderr, "%s:%u: expected backend '%s', got '%s'\n",
			        file, e->line, x->arg, r->backend);
		else
			fprintf(stderr, "%s:%u: expected backend '%s', got %s\n",
			        file, e->line, x->arg, got);
		return -1;
	case RT_EXP_SERVER:
		if (r->server && !strcmp(r->server, x->arg))
			return 0;
		fprintf(stderr, "%s:%u: expected server '%s' (use-server), got "
		        "%s%s%s\n", file, e->line, x->arg, r->server ? "'" : "",
		        r->server ? r->server : r->outcome == ROUTE_FORWARD ?
		        "no use-server rule" : got, r->server ? "'" : "");
		return -1;
	case RT_EXP_STATUS:
		if (r->outcome == ROUTE_REPLY && r->status == x->status)
			return 0;
		fprintf(stderr, "%s:%u: expected status %u, got %s\n", file,
		        e->line, x->status, got);
		return -1;
	case RT_EXP_LOCATION:
		if (r->location && !strcmp(r->location, x->arg))
			return 0;
		fprintf(stderr, "%s:%u: expected location '%s', got %s%s%s\n",
		        file, e->line, x->arg, r->location ? "'" : "",
		        r->location ? r->location : got, r->location ? "'" : "");
		return -1;
	case RT_EXP_HEADER:
		if (rt_head_has(r->head, x->arg, x->value))
			return 0;
		fprintf(stderr, "%s:%u: expected header '%s%s%s' in %s (%s)\n",
		        file, e->line, x->arg, x->value ? ": " : "",
		        x->value ? x->value : "", hw, got);
		return -1;
	case RT_EXP_NO_HEADER:
		if (!rt_head_has(r->head, x->arg, NULL))
			return 0;
		fprintf(stderr, "%s:%u: expected no header '%s' in %s (%s)\n",
		        file, e->line, x->arg, hw, got);
		return -1;
	default:
		if (r->outcome == ROUTE_CLOSE)
			return 0;
		fprintf(stderr, "%s:%u: expected the connection closed, got %s\n",
		        file, e->line, got);
		return -1;
	}
}

/* Run entry e: 0 met, 1 mismatch, 2 the request itself is bad. */
static int rt_run_one(const char *file, const struct plan *p,
                      const struct rt_entry *e)
{
	struct route_result res;
	char err[512], *trace = NULL;
	size_t tlen = 0;
	FILE *t = open_memstream(&trace, &tlen);
	int ret = 0;

	if (!t) {
		fprintf(stderr, "cfgc: out of memory\n");
		return 2;
	}
	if (route_run(p, &e->req, t, &res, err, sizeof(err)) < 0) {
		fclose(t);
		free(trace);
		fprintf(stderr, "%s:%u: error: %s\n", file, e->line, err);
		return 2;
	}
	fclose(t);
	for (uint32_t i = 0; i < e->nexp && !ret; i++)
		if (rt_check(file, e, &e->exp[i], &res) < 0)
			ret = 1;
	if (ret)
		fprintf(stderr, "trace of %s:%u (%s):\n%s", file, e->line,
		        e->req.request, trace ? trace : "");
	route_result_free(&res);
	free(trace);
	return ret;
}

int route_test_file(const char *file, const struct plan *p)
{
	struct rt_entry *list, *e;
	unsigned n = 0;
	int ret = rt_read(file, &list);

	if (!ret && !list) {
		fprintf(stderr, "%s: error: no entries (each line: 'METHOD URL "
		        "[options] => EXPECTATION')\n", file);
		ret = 2;
	}
	for (e = list; !ret && e; e = e->next, n++)
		ret = rt_run_one(file, p, e);
	while (list) {
		e = list->next;
		rt_entry_free(list);
		list = e;
	}
	if (!ret)
		printf("route-test: %s: %u %s met %s expectations\n", file, n,
		       n == 1 ? "entry" : "entries", n == 1 ? "its" : "their");
	return ret;
}
