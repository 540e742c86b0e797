/*
 * kw-ssl-crtlist.c: crt-list files. Each line names a certificate, may
 * give settings between brackets (alpn, no-alpn, ssl-min-ver,
 * ssl-max-ver, ciphers, curves or ecdhe, verify, ca-file, crl-file) that
 * replace the bind's for the connections it serves, and SNI filters.
 * Diagnostics about a line point into the list file itself.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "files.h"
#include "kw-ssl-int.h"
#include "model.h"

/* A crt-list file being read: diagnostics point into it (its text is
 * handed to the diagnostics the first time one is needed). */
struct crtlist_src {
	const char *path;
	uint32_t file;              /* diag file index, UINT32_MAX = none yet */
	unsigned lineno;
	const char *line;           /* the current line's start */
};

/* The location of [p, p+len) on the current line of the crt-list. */
static struct src_loc crtlist_loc(struct sema *s, struct crtlist_src *cs,
                                  const char *p, size_t len)
{
	struct src_loc loc = { UINT32_MAX, cs->lineno,
	                       (uint32_t)(p - cs->line) + 1,
	                       (uint32_t)(p - cs->line + len) + 1 };
	FILE *fp;

	if (cs->file == UINT32_MAX && (fp = files_open_regular(cs->path))) {
		size_t cap = 4096, n = 0, got;
		char *text = malloc(cap);

		while (text && (got = fread(text + n, 1, cap - n - 1, fp)) > 0) {
			char *nt;

			if ((n += got) < cap - 1)
				continue;
			if (!(nt = realloc(text, cap *= 2)))
				free(text);
			text = nt;
		}
		fclose(fp);
		if (text) {
			text[n] = '\0';
			cs->file = diag_add_file(s->dc, cs->path, text, n);
		}
	}
	loc.file = cs->file;
	return loc;
}

/* The options cfgc takes between a crt-list line's brackets: their
 * kw_tls_arg_opt, -1 for any other. */
static int crtlist_opt(const char *name)
{
	static const enum tls_arg_opt ok[] = { TLS_O_ALPN, TLS_O_MIN_VER,
	        TLS_O_MAX_VER, TLS_O_CIPHERS, TLS_O_CURVES, TLS_O_ECDHE,
	        TLS_O_VERIFY, TLS_O_CA_FILE, TLS_O_CRL_FILE };
	int o = kw_tls_arg_opt(name);

	for (size_t k = 0; o >= 0 && k < sizeof(ok) / sizeof(ok[0]); k++)
		if ((int)ok[k] == o)
			return o;
	return -1;
}

/* HAProxy's other crt-list line options: 1 a flag, 2 one taking a
 * value, 0 none of HAProxy's. */
static int crtlist_other(const char *name)
{
	static const char *const flags[] = { "allow-0rtt", "no-ca-names" };
	static const char *const args[] = { "ca-verify-file", "ciphersuites",
	        "client-sigalgs", "npn", "sigalgs", "crt", "key",
	        "ocsp", "issuer", "sctl", "ocsp-update" };

	for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]); k++)
		if (!strcmp(flags[k], name))
			return 1;
	for (size_t k = 0; k < sizeof(args) / sizeof(args[0]); k++)
		if (!strcmp(args[k], name))
			return 2;
	return 0;
}

static uint32_t crtlist_bit(int o)
{
	switch (o) {
	case TLS_O_ALPN: return PLAN_TLS_CERT_S_ALPN;
	case TLS_O_MIN_VER:
	case TLS_O_MAX_VER: return PLAN_TLS_CERT_S_VERS;
	case TLS_O_CIPHERS: return PLAN_TLS_CERT_S_CIPHERS;
	case TLS_O_CURVES:
	case TLS_O_ECDHE: return PLAN_TLS_CERT_S_CURVES;
	case TLS_O_VERIFY: return PLAN_TLS_CERT_S_VERIFY;
	case TLS_O_CA_FILE: return PLAN_TLS_CERT_S_CA;
	default: return PLAN_TLS_CERT_S_CRL;
	}
}

/* What a crt-list line gives between its brackets. */
struct crtlist_line {
	uint32_t set;               /* PLAN_TLS_CERT_S_* */
	struct model_tls_bind lt;   /* scratch record holding the values */
	uint16_t min, max;          /* versions as written, 0 = not */
	struct src_loc vers_loc;    /* the last version option */
	struct src_loc verify_loc;  /* its verify option */
};

/*
 * The options of a crt-list line, [p, end) (inside the brackets), into
 * ln. 0 or -1 after an error (reported in the crt-list file).
 */
static int crtlist_opts(struct sema *s, struct crtlist_src *cs, char *p,
                        char *end, struct crtlist_line *ln)
{
	struct model_tls_bind *lt = &ln->lt;
	struct ast_word ow, vw;
	int ret = 0;

	*end = '\0';
	while (*p) {
		char *name, *val;
		int o;

		p += strspn(p, " \t");
		if (!*p)
			break;
		name = p;
		p += strcspn(p, " \t");
		if (*p)
			*p++ = '\0';
		memset(&ow, 0, sizeof(ow));
		ow.text = name;
		ow.loc = crtlist_loc(s, cs, name, strlen(name));
		if (!strcmp(name, "no-alpn")) {
			free(lt->alpn);
			lt->alpn = NULL;
			ln->set |= PLAN_TLS_CERT_S_ALPN;
			continue;
		}
		if ((o = crtlist_opt(name)) < 0) {
			int other = crtlist_other(name);

			if (other > 0 && s->target == SEMA_TARGET_HAPROXY) {
				/* HAProxy's: the linter lets it be */
				if (other == 2) {
					p += strspn(p, " \t");
					p += strcspn(p, " \t");
				}
				continue;
			}
			if (other > 0)
				diag_error(s->dc, &ow.loc, "unsupported",
				           "crt-list option '%s' is not supported by "
				           "cfgc (it takes alpn, no-alpn, ssl-min-ver, "
				           "ssl-max-ver, ciphers, curves, ecdhe, verify, "
				           "ca-file and crl-file)", name);
			else
				diag_error(s->dc, &ow.loc, "unknown-keyword",
				           "'%s' is not a crt-list option", name);
			return -1;  /* its arguments are not known: stop */
		}
		p += strspn(p, " \t");
		if (!*p) {
			diag_error(s->dc, &ow.loc, "missing-argument",
			           "crt-list option '%s' expects a value, found "
			           "nothing", name);
			return -1;
		}
		val = p;
		p += strcspn(p, " \t");
		if (*p)
			*p++ = '\0';
		vw = ow;
		vw.text = val;
		vw.loc = crtlist_loc(s, cs, val, strlen(val));
		if (o == TLS_O_CA_FILE || o == TLS_O_CRL_FILE) {
			char chk[FILES_PATH_MAX];

			if (files_find(s->files, val, PLAN_PRE_CA,
			               s->files->ca_base, chk) < 0) {
				diag_error(s->dc, &vw.loc, "missing-file",
				           "crt-list option '%s': cannot find or read "
				           "'%s'", name, val);
				ret = -1;
				continue;
			}
		}
		lt->min_ver = lt->max_ver = 0;
		if (kw_tls_apply(s, lt, o, &ow, &vw) < 0) {
			ret = -1;
			continue;
		}
		ln->set |= crtlist_bit(o);
		if (o == TLS_O_MIN_VER)
			ln->min = lt->min_ver;
		else if (o == TLS_O_MAX_VER)
			ln->max = lt->max_ver;
		if (o == TLS_O_MIN_VER || o == TLS_O_MAX_VER)
			ln->vers_loc = ow.loc;
		else if (o == TLS_O_VERIFY)
			ln->verify_loc = ow.loc;
	}
	return ret;
}

static int dup_bytes(const uint8_t *src, size_t len, uint8_t **dst)
{
	if (!src || !len)
		return 0;
	if (!(*dst = malloc(len)))
		return -1;
	memcpy(*dst, src, len);
	return 0;
}

/* The line's settings into certificate c. 0 or -1 without memory. */
static int crtlist_give(struct model_tls_cert *c,
                        const struct crtlist_line *ln, unsigned lineno)
{
	const struct model_tls_bind *lt = &ln->lt;

	c->set = ln->set;
	c->verify = lt->verify;
	c->line_min = ln->min;
	c->line_max = ln->max;
	c->vers_loc = ln->vers_loc;
	c->verify_loc = ln->verify_loc;
	c->list_line = lineno;
	c->ca_len = lt->ca_len;
	c->crl_len = lt->crl_len;
	return (lt->alpn && !(c->alpn = strdup(lt->alpn))) ||
	       (lt->ciphers && !(c->ciphers = strdup(lt->ciphers))) ||
	       (lt->curves && !(c->curves = strdup(lt->curves))) ||
	       (lt->ca_path && !(c->ca_path = strdup(lt->ca_path))) ||
	       (lt->crl_path && !(c->crl_path = strdup(lt->crl_path))) ||
	       dup_bytes(lt->ca, lt->ca_len, &c->ca) < 0 ||
	       dup_bytes(lt->crl, lt->crl_len, &c->crl) < 0 ? -1 : 0;
}

/*
 * crt-list FILE: one certificate per line, "FILE [options] [sni...]",
 * '#' comments; SNI filters may be wildcards and '!'-negated. The
 * options in brackets (crtlist_opt) replace the bind's for the line's
 * certificates; any other is refused, located in the file.
 */
int kw_tls_add_crt_list(struct sema *s, struct model_tls_bind *t,
                        const struct ast_word *w)
{
	char path[FILES_PATH_MAX], line[4096];
	int r = files_find(s->files, w->text, PLAN_PRE_CRT_LIST,
	                   s->files->crt_base, path);
	unsigned lineno = 0;
	struct crtlist_src cs = { path, UINT32_MAX, 0, line };
	FILE *fp;
	int ret = 0;

	if (r < 0)
		return -1;
	if (r > 0) {
		diag_error(s->dc, &w->loc, "unsupported",
		           "'crt-list' cannot be compiled with --hermetic: its "
		           "certificates are only known by reading it");
		return -1;
	}
	if (!(fp = fopen(path, "r"))) {
		diag_error(s->dc, &w->loc, "unreadable-file",
		           "'crt-list': cannot open '%s'", path);
		return -1;
	}
	while (fgets(line, sizeof(line), fp)) {
		char *p = line, *file, *sni = NULL, *q;
		struct crtlist_line ln;

		memset(&ln, 0, sizeof(ln));
		cs.lineno = ++lineno;
		p[strcspn(p, "\r\n")] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		file = p;
		p += strcspn(p, " \t");
		if (*p)
			*p++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '[') {
			q = strchr(p, ']');
			if (!q) {
				diag_error(s->dc, &w->loc, "bad-crt-list",
				           "'crt-list': '%s' line %u: '[' without "
				           "']'", path, lineno);
				ret = -1;
				continue;
			}
			if (crtlist_opts(s, &cs, p + 1, q, &ln) < 0)
				ret = -1;
			p = q + 1;
			while (*p == ' ' || *p == '\t')
				p++;
		}
		if (*p) {
			/* filters, space-separated, as written */
			sni = p;
			for (q = p + strlen(p); q > p && (q[-1] == ' ' ||
			                                  q[-1] == '\t'); q--)
				q[-1] = '\0';
		}
		{
			struct ast_word fw = *w;
			size_t before = t->ncerts;
			int added;

			fw.text = file;
			added = kw_tls_add_crt(s, t, &fw, file, sni);
			for (size_t k = before; k < t->ncerts; k++) {
				struct model_tls_cert *c = &t->certs[k];
				size_t pl = strlen(c->path), fl = strlen(file);

				if (!(c->list = strdup(path)) ||
				    crtlist_give(c, &ln, lineno) < 0)
					s->oom = 1;
				/* Found as BASE/file: --dump gives BASE back
				 * as crt-base for the list's lines. */
				if (file[0] != '/' && pl > fl + 1 &&
				    !strcmp(c->path + pl - fl, file) &&
				    c->path[pl - fl - 1] == '/' &&
				    !(c->base = strndup(c->path, pl - fl - 1)))
					s->oom = 1;
			}
			if (added < 0) {
				char chk[FILES_PATH_MAX];

				if (files_find(s->files, file, PLAN_PRE_CERT,
				               s->files->crt_base, chk) < 0)
					diag_error(s->dc, &w->loc, "missing-file",
					           "'crt-list': '%s' line %u: cannot "
					           "find the certificate '%s'", path,
					           lineno, file);
				ret = -1;
			}
		}
		model_tls_bind_free(&ln.lt);
	}
	fclose(fp);
	if (t->ncerts == 0 && ret == 0) {
		diag_error(s->dc, &w->loc, "bad-crt-list",
		           "'crt-list': '%s' names no certificate", path);
		ret = -1;
	}
	return ret;
}

/* The crt-list lines' settings against the bind's, now known: a line's
 * version range (the bind's bounds where it gives none) must hold a
 * version, a line's verify needs a CA. -1 after an error. */
int kw_tls_crtlist_finish(struct sema *s, const struct model_tls_bind *t,
                          const struct ast_stmt *st)
{
	int ret = 0;

	for (size_t i = 0; i < t->ncerts; i++) {
		struct model_tls_cert *c = &t->certs[i];
		uint32_t verify = c->set & PLAN_TLS_CERT_S_VERIFY ? c->verify :
		                  t->verify;

		if (c->set & PLAN_TLS_CERT_S_VERS) {
			c->min_ver = c->line_min ? c->line_min : t->min_ver;
			c->max_ver = c->line_max ? c->line_max : t->max_ver;
			if (c->min_ver < 0x0301)
				c->min_ver = 0x0301;   /* BoringSSL has no SSLv3 */
			if (c->min_ver > c->max_ver) {
				diag_error(s->dc, &c->vers_loc, "invalid-value",
				           "crt-list line: its versions leave none "
				           "(from %s to %s, the bind's where the line "
				           "gives none)", kw_tls_version_name(c->min_ver),
				           kw_tls_version_name(c->max_ver));
				ret = -1;
			}
		}
		if (verify != PLAN_TLS_VERIFY_NONE &&
		    !(c->set & PLAN_TLS_CERT_S_CA) && !t->ca_path &&
		    !t->cav_path) {
			diag_error(s->dc, c->set & PLAN_TLS_CERT_S_VERIFY ?
			           &c->verify_loc : &st->args[0].loc,
			           "missing-argument", "'verify %s' for '%s' line %u "
			           "needs a 'ca-file' (on the line or the bind) to "
			           "check client certificates against",
			           verify == PLAN_TLS_VERIFY_REQUIRED ? "required" :
			           "optional", c->list, c->list_line);
			ret = -1;
		}
	}
	return ret;
}
