/*
 * kw-ssl-server.c: TLS to servers. The TLS options of server and
 * default-server lines (ssl, verify, ca-file, sni, alpn, crt, check-ssl...)
 * and the global ssl-default-server-* and ssl-server-verify settings, read
 * into struct model_server_tls; emit.c turns them into PLAN_SEC_TLS_SERVER
 * records with kw_server_tls_resolve().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "diag.h"
#include "files.h"
#include "kw.h"
#include "model.h"
#include "sema.h"

/* Protocol version names as HAProxy writes them, by enum plan_tls_ver. */
static const char *const tls_ver_names[PLAN_TLS_VER_MAX] = {
	[PLAN_TLS_VER_ANY] = NULL, [PLAN_TLS_VER_SSL3] = "SSLv3",
	[PLAN_TLS_VER_TLS10] = "TLSv1.0", [PLAN_TLS_VER_TLS11] = "TLSv1.1",
	[PLAN_TLS_VER_TLS12] = "TLSv1.2", [PLAN_TLS_VER_TLS13] = "TLSv1.3",
};

const char *kw_tls_ver_name(unsigned v)
{
	return v < PLAN_TLS_VER_MAX && tls_ver_names[v] ? tls_ver_names[v] : "";
}

/* `w` as a version name into *out; 0, or -1 after a located error. */
static int tls_ver_arg(struct sema *s, const struct ast_word *w,
                       const char *what, uint8_t *out)
{
	for (unsigned v = PLAN_TLS_VER_SSL3; v < PLAN_TLS_VER_MAX; v++)
		if (!strcmp(w->text, tls_ver_names[v])) {
			*out = (uint8_t)v;
			return 0;
		}
	diag_error(s->dc, &w->loc, "invalid-value",
	           "'%s' expects SSLv3, TLSv1.0, TLSv1.1, TLSv1.2 or TLSv1.3, "
	           "found '%s'", what, w->text);
	return -1;
}

/* Intern `w`'s text into *out; 0 or -1 (out of memory). */
static int tls_str(struct sema *s, const struct ast_word *w, const char **out)
{
	const char *p = model_intern(s->m, w->text);

	if (!p) {
		s->oom = 1;
		return -1;
	}
	*out = p;
	return 0;
}

/* A non-empty argument without newline; 0 or -1 after an error. */
static int tls_nonempty(struct sema *s, const struct ast_word *w,
                        const char *what, const char *usage)
{
	if (w->text[0] && !strchr(w->text, '\n'))
		return 0;
	diag_error(s->dc, &w->loc, "invalid-value",
	           "'%s' expects %s, found '%s'", what, usage, w->text);
	return -1;
}

/* alpn LIST: comma-separated protocol names of 1 to 255 bytes. */
static int tls_alpn(struct sema *s, const struct ast_word *w,
                    const char *what, const char **out)
{
	const char *t = w->text;
	size_t start = 0, n = strlen(t);

	for (size_t k = 0; k <= n; k++) {
		if (k < n && t[k] != ',')
			continue;
		if (k - start > 255 ||
		    (k == start && s->target != SEMA_TARGET_HAPROXY)) {
			/* HAProxy takes an empty name and sends it; cfgrun
			 * does not send what RFC 7301 forbids */
			struct src_loc loc = kw_word_loc_at(w, start);

			diag_error(s->dc, &loc, "invalid-value",
			           "'%s' expects comma-separated protocol names of "
			           "1 to 255 characters (such as h2,http/1.1), found "
			           "'%s'", what, t);
			return -1;
		}
		start = k + 1;
	}
	return tls_str(s, w, out);
}

/*
 * sni EXPR: the forms cfgrun evaluates. HAProxy takes any sample
 * expression; the others are refused as unsupported, naming the
 * expression.
 */
static int tls_sni(struct sema *s, struct model_server_tls *t,
                   const struct ast_word *w)
{
	const char *e = w->text;
	size_t n = strlen(e);

	if (n > 5 && !strncmp(e, "str(", 4) && e[n - 1] == ')' &&
	    !memchr(e + 4, ')', n - 5) && !memchr(e + 4, ',', n - 5)) {
		char name[256];

		if (n - 5 == 0 || n - 5 >= sizeof(name)) {
			diag_error(s->dc, &w->loc, "invalid-value",
			           "'sni' expects a host name of 1 to 255 characters "
			           "in str(), found '%s'", e);
			return -1;
		}
		memcpy(name, e + 4, n - 5);
		name[n - 5] = 0;
		if (!(t->sni_name = model_intern(s->m, name))) {
			s->oom = 1;
			return -1;
		}
		t->sni = PLAN_TLS_SNI_STR;
	} else if (!strcasecmp(e, "req.hdr(host)") || !strcasecmp(e, "hdr(host)")) {
		t->sni = PLAN_TLS_SNI_HOST;
	} else if (!strcasecmp(e, "req.hdr(host),field(1,:)") ||
	           !strcasecmp(e, "hdr(host),field(1,:)")) {
		t->sni = PLAN_TLS_SNI_HOST_NOPORT;
	} else if (!strcmp(e, "ssl_fc_sni")) {
		t->sni = PLAN_TLS_SNI_FC_SNI;
	} else {
		diag_error(s->dc, &w->loc, "unsupported",
		           "'sni %s' is not supported by cfgc yet", e);
		diag_hint(s->dc, "cfgrun evaluates str(<name>), req.hdr(host) "
		          "(optionally followed by ,field(1,:)) and ssl_fc_sni");
		/* the rest of the line is still read: --target=haproxy
		 * drops this error and keeps the server without an SNI */
		t->sni = PLAN_TLS_SNI_NONE;
		t->sni_name = NULL;
		t->set |= MODEL_TLS_SET_SNI;
		return 0;
	}
	t->sni_name = t->sni == PLAN_TLS_SNI_STR ? t->sni_name : NULL;
	t->set |= MODEL_TLS_SET_SNI;
	return 0;
}

/* verify none|required. */
static int tls_verify(struct sema *s, const struct ast_word *w,
                      const char *what, uint8_t *out)
{
	if (!strcmp(w->text, "none"))
		*out = 0;
	else if (!strcmp(w->text, "required"))
		*out = 1;
	else {
		diag_error(s->dc, &w->loc, "invalid-value",
		           "'%s' expects 'none' or 'required', found '%s'", what,
		           w->text);
		return -1;
	}
	return 0;
}

/* The old per-version switches (no-tlsv10, force-tlsv12...), as bounds. */
static const struct tls_ver_switch {
	const char *name;
	uint8_t ver;               /* the version named */
	int force;                 /* force-*: exactly this version */
} tls_ver_switches[] = {
	{ "no-sslv3", PLAN_TLS_VER_SSL3, 0 },
	{ "no-tlsv10", PLAN_TLS_VER_TLS10, 0 },
	{ "no-tlsv11", PLAN_TLS_VER_TLS11, 0 },
	{ "no-tlsv12", PLAN_TLS_VER_TLS12, 0 },
	{ "no-tlsv13", PLAN_TLS_VER_TLS13, 0 },
	{ "force-sslv3", PLAN_TLS_VER_SSL3, 1 },
	{ "force-tlsv10", PLAN_TLS_VER_TLS10, 1 },
	{ "force-tlsv11", PLAN_TLS_VER_TLS11, 1 },
	{ "force-tlsv12", PLAN_TLS_VER_TLS12, 1 },
	{ "force-tlsv13", PLAN_TLS_VER_TLS13, 1 },
};

/*
 * A version switch: force-X sets both bounds; no-X for the lowest
 * versions raises the minimum past X, no-tlsv13 caps the maximum at
 * TLSv1.2. Disabling a version in the middle of the range (no-tlsv11
 * with TLSv1.0 still allowed) is a hole cfgrun cannot express: refused.
 */
static int tls_ver_switch(struct sema *s, struct model_server_tls *t,
                          const struct ast_word *w,
                          const struct tls_ver_switch *sw)
{
	if (sw->force) {
		t->min_ver = t->max_ver = sw->ver;
		t->set |= MODEL_TLS_SET_MIN | MODEL_TLS_SET_MAX;
		return 0;
	}
	if (sw->ver == PLAN_TLS_VER_TLS13) {
		if (!t->max_ver || t->max_ver > PLAN_TLS_VER_TLS12)
			t->max_ver = PLAN_TLS_VER_TLS12;
		t->set |= MODEL_TLS_SET_MAX;
		return 0;
	}
	if (sw->ver <= PLAN_TLS_VER_TLS11 ||
	    (t->min_ver && t->min_ver >= sw->ver)) {
		if (t->min_ver <= sw->ver)
			t->min_ver = (uint8_t)(sw->ver + 1);
		t->set |= MODEL_TLS_SET_MIN;
		return 0;
	}
	diag_error(s->dc, &w->loc, "unsupported",
	           "'%s' with older versions still allowed is not supported by "
	           "cfgc yet", w->text);
	diag_hint(s->dc, "give the range with 'ssl-min-ver' and 'ssl-max-ver'");
	return -1;
}

/* Flag options: set or clear `flag` and record `set`. */
static const struct tls_flag_opt {
	const char *name;
	uint32_t flag;             /* PLAN_TLS_SRV_F_* */
	int on;                    /* 1 sets it, 0 clears it */
	uint32_t set;              /* MODEL_TLS_SET_* recorded */
} tls_flag_opts[] = {
	{ "ssl", PLAN_TLS_SRV_F_SSL, 1, 0 },
	{ "no-ssl", PLAN_TLS_SRV_F_SSL, 0, 0 },
	{ "check-ssl", PLAN_TLS_SRV_F_CHECK_SSL, 1, MODEL_TLS_SET_CHECK_SSL },
	{ "no-check-ssl", PLAN_TLS_SRV_F_CHECK_SSL, 0, MODEL_TLS_SET_CHECK_SSL },
	{ "no-ssl-reuse", PLAN_TLS_SRV_F_NO_REUSE, 1, MODEL_TLS_SET_REUSE },
	{ "ssl-reuse", PLAN_TLS_SRV_F_NO_REUSE, 0, MODEL_TLS_SET_REUSE },
	{ "no-tls-tickets", PLAN_TLS_SRV_F_NO_TICKETS, 1, MODEL_TLS_SET_TICKETS },
	{ "tls-tickets", PLAN_TLS_SRV_F_NO_TICKETS, 0, MODEL_TLS_SET_TICKETS },
};

/* Options with one argument, by the field they fill. */
enum tls_arg {
	TLS_ARG_VERIFY = 0, TLS_ARG_CA, TLS_ARG_CRL, TLS_ARG_CRT, TLS_ARG_SNI,
	TLS_ARG_CHECK_SNI, TLS_ARG_ALPN, TLS_ARG_MIN, TLS_ARG_MAX,
	TLS_ARG_CIPHERS, TLS_ARG_SUITES, TLS_ARG_CURVES, TLS_ARG_VERIFYHOST,
};

static const struct tls_arg_opt {
	const char *name;
	enum tls_arg arg;
	const char *usage;
} tls_arg_opts[] = {
	{ "verify", TLS_ARG_VERIFY, "'none' or 'required'" },
	{ "ca-file", TLS_ARG_CA, "a CA file" },
	{ "crl-file", TLS_ARG_CRL, "a CRL file" },
	{ "crt", TLS_ARG_CRT, "a certificate file" },
	{ "sni", TLS_ARG_SNI, "a sample expression" },
	{ "check-sni", TLS_ARG_CHECK_SNI, "a host name" },
	{ "alpn", TLS_ARG_ALPN, "a list of protocols" },
	{ "ssl-min-ver", TLS_ARG_MIN, "a protocol version" },
	{ "ssl-max-ver", TLS_ARG_MAX, "a protocol version" },
	{ "ciphers", TLS_ARG_CIPHERS, "a cipher list" },
	{ "ciphersuites", TLS_ARG_SUITES, "a TLS 1.3 cipher suite list" },
	{ "curves", TLS_ARG_CURVES, "a list of curves" },
	{ "verifyhost", TLS_ARG_VERIFYHOST, "a host name" },
};

/*
 * The bytes of the regular PEM file `path` (already checked by the
 * cross-reference pass), owned and NUL-terminated; NULL when it is not a
 * plain PEM text file (a directory, a NUL inside, text before the first
 * block): cfgrun then reads `path` itself at start.
 */
static char *tls_read_pem(const char *path)
{
	struct stat sb;
	FILE *fp;
	char *buf;
	size_t n;

	if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > (64 << 20) || !(fp = fopen(path, "rb")))
		return NULL;
	buf = malloc((size_t)sb.st_size + 1);
	n = buf ? fread(buf, 1, (size_t)sb.st_size, fp) : 0;
	fclose(fp);
	if (!buf)
		return NULL;
	buf[n] = 0;
	if (strncmp(buf, "-----BEGIN ", 11) || strlen(buf) != n) {
		free(buf);
		return NULL;
	}
	return buf;
}

/*
 * A file option's word `w`: its absolute path (where the file was found,
 * under `base` as HAProxy looks) interned into *path and, when `pem` is
 * given and the file was found, its bytes, read once per configuration.
 * Missing files are reported by the cross-reference pass. 0 or -1.
 */
static int tls_file(struct sema *s, const struct ast_word *w, const char *what,
                    const char *base, const char **path, const char **pem)
{
	char found[4096];
	struct model_tls_file *tf = NULL;
	int r = files_find(s->files, w->text, PLAN_PRE_CA, base, found);

	if (r < 0) {
		diag_error(s->dc, &w->loc, "unreadable-file",
		           "'%s': the path '%s' is too long", what, w->text);
		return -1;
	}
	if (!(*path = model_intern(s->m, found))) {
		s->oom = 1;
		return -1;
	}
	if (!pem)
		return 0;
	*pem = NULL;
	if (r != 0)
		return 0;
	for (size_t i = 0; i < s->m->ntls_files && !tf; i++)
		if (!strcmp(s->m->tls_files[i].path, found))
			tf = &s->m->tls_files[i];
	if (!tf) {
		if (!(tf = model_add_tls_file(s->m)) ||
		    !(tf->path = strdup(found))) {
			s->oom = 1;
			return -1;
		}
		tf->pem = tls_read_pem(found);
	}
	*pem = tf->pem;
	return 0;
}

/* The argument `v` of option `o` into `t`; 0 or -1 after an error. */
static int tls_arg(struct sema *s, struct model_server_tls *t,
                   const struct tls_arg_opt *o, const struct ast_word *v)
{
	switch (o->arg) {
	case TLS_ARG_VERIFY:
		t->set |= MODEL_TLS_SET_VERIFY;
		return tls_verify(s, v, o->name, &t->verify);
	case TLS_ARG_CA:
		if (tls_nonempty(s, v, o->name, o->usage) < 0)
			return -1;
		if (!strcmp(v->text, "@system-ca")) {
			t->flags |= PLAN_TLS_SRV_F_SYSTEM_CA;
			t->ca_file = t->ca_pem = NULL;
			return 0;
		}
		t->flags &= ~PLAN_TLS_SRV_F_SYSTEM_CA;
		return tls_file(s, v, o->name, s->files->ca_base, &t->ca_file,
		                &t->ca_pem);
	case TLS_ARG_CRL:
		return tls_nonempty(s, v, o->name, o->usage) < 0 ? -1 :
		       tls_file(s, v, o->name, s->files->ca_base, &t->crl_file,
		                &t->crl_pem);
	case TLS_ARG_CRT:
		return tls_nonempty(s, v, o->name, o->usage) < 0 ? -1 :
		       tls_file(s, v, o->name, s->files->crt_base, &t->crt_file,
		                NULL);
	case TLS_ARG_SNI:
		return tls_sni(s, t, v);
	case TLS_ARG_CHECK_SNI:
		return tls_nonempty(s, v, o->name, o->usage) < 0 ? -1 :
		       tls_str(s, v, &t->check_sni);
	case TLS_ARG_VERIFYHOST:
		return tls_nonempty(s, v, o->name, o->usage) < 0 ? -1 :
		       tls_str(s, v, &t->verifyhost);
	case TLS_ARG_ALPN:
		return tls_alpn(s, v, o->name, &t->alpn);
	case TLS_ARG_MIN:
		t->set |= MODEL_TLS_SET_MIN;
		return tls_ver_arg(s, v, o->name, &t->min_ver);
	case TLS_ARG_MAX:
		t->set |= MODEL_TLS_SET_MAX;
		return tls_ver_arg(s, v, o->name, &t->max_ver);
	case TLS_ARG_CIPHERS:
		return tls_nonempty(s, v, o->name, o->usage) < 0 ? -1 :
		       tls_str(s, v, &t->ciphers);
	case TLS_ARG_SUITES:
		return tls_nonempty(s, v, o->name, o->usage) < 0 ? -1 :
		       tls_str(s, v, &t->ciphersuites);
	case TLS_ARG_CURVES:
		return tls_nonempty(s, v, o->name, o->usage) < 0 ? -1 :
		       tls_str(s, v, &t->curves);
	}
	return -1;
}

int kw_server_tls_option(struct sema *s, struct model_server_tls *t,
                         const struct ast_stmt *st, size_t i,
                         const char *label)
{
	const struct ast_word *w = &st->args[i];

	for (size_t k = 0; k < sizeof(tls_flag_opts) / sizeof(tls_flag_opts[0]); k++) {
		const struct tls_flag_opt *o = &tls_flag_opts[k];

		if (strcmp(o->name, w->text))
			continue;
		t->flags = o->on ? t->flags | o->flag : t->flags & ~o->flag;
		t->set |= o->set;
		t->line = w->loc.line;
		return 1;
	}
	if (!strcmp(w->text, "no-sni-auto") || !strcmp(w->text, "sni-auto")) {
		t->sni = w->text[0] == 'n' ? PLAN_TLS_SNI_NONE
		                           : PLAN_TLS_SNI_HOST_NOPORT;
		t->sni_name = NULL;
		t->set |= MODEL_TLS_SET_SNI;
		return 1;
	}
	if (!strcmp(w->text, "no-verifyhost")) {
		t->verifyhost = NULL;
		return 1;
	}
	for (size_t k = 0; k < sizeof(tls_ver_switches) / sizeof(tls_ver_switches[0]); k++)
		if (!strcmp(tls_ver_switches[k].name, w->text))
			return tls_ver_switch(s, t, w, &tls_ver_switches[k]) < 0 ?
			       -1 : 1;
	for (size_t k = 0; k < sizeof(tls_arg_opts) / sizeof(tls_arg_opts[0]); k++) {
		const struct tls_arg_opt *o = &tls_arg_opts[k];

		if (strcmp(o->name, w->text))
			continue;
		if (i + 1 >= st->nargs) {
			diag_error(s->dc, &w->loc, "missing-argument",
			           "%s option '%s' expects %s, found nothing",
			           label, w->text, o->usage);
			return -1;
		}
		t->line = w->loc.line;
		return tls_arg(s, t, o, &st->args[i + 1]) < 0 ? -1 : 2;
	}
	return 0;
}

/* ssl-default-server-options OPTION...: the flag and version options. */
int kw_ssl_default_server_options(struct sema *s, const struct ast_stmt *st)
{
	struct model_server_tls *t = &s->m->tls_defaults;

	for (size_t i = 1; i < st->nargs; i++) {
		const struct ast_word *w = &st->args[i];
		const char *o = w->text;
		int n;

		if (!strcmp(o, "ssl") || !strcmp(o, "no-ssl") ||
		    !strcmp(o, "check-ssl") || !strcmp(o, "no-check-ssl") ||
		    (strcmp(o, "ssl-min-ver") && strcmp(o, "ssl-max-ver") &&
		     strncmp(o, "no-", 3) && strncmp(o, "force-", 6) &&
		     strcmp(o, "ssl-reuse") && strcmp(o, "tls-tickets")) ||
		    !strcmp(o, "no-sni-auto") || !strcmp(o, "no-verifyhost")) {
			kw_report_uncompiled(s, w, st->nargs - i, KW_SEC_SERVER,
			                     "ssl-default-server-options");
			return -1;
		}
		n = kw_server_tls_option(s, t, st, i, "ssl-default-server-options");
		if (n < 0)
			return -1;
		if (n == 0) {
			kw_report_uncompiled(s, w, st->nargs - i, KW_SEC_SERVER,
			                     "ssl-default-server-options");
			return -1;
		}
		i += (size_t)n - 1;
	}
	return 0;
}

/* ssl-default-server-ciphers / -ciphersuites / -curves LIST. */
int kw_ssl_default_server_list(struct sema *s, const struct ast_stmt *st)
{
	struct model_server_tls *t = &s->m->tls_defaults;
	const char *k = st->args[0].text + strlen("ssl-default-server-");
	const char **out = !strcmp(k, "ciphers") ? &t->ciphers :
	                   !strcmp(k, "ciphersuites") ? &t->ciphersuites :
	                   &t->curves;

	if (tls_nonempty(s, &st->args[1], st->args[0].text, "a list") < 0)
		return -1;
	return tls_str(s, &st->args[1], out);
}

/* ssl-server-verify none|required. */
int kw_ssl_server_verify(struct sema *s, const struct ast_stmt *st)
{
	struct model_server_tls *t = &s->m->tls_defaults;

	t->set |= MODEL_TLS_SET_VERIFY;
	return tls_verify(s, &st->args[1], "ssl-server-verify", &t->verify);
}

/* See kw.h. */
int kw_server_tls_resolve(const struct model *m,
                          const struct model_proxy *px,
                          const struct model_server *sv,
                          struct kw_server_tls_out *out)
{
	const struct model_server_tls *t = &sv->tls, *g = &m->tls_defaults;
	uint32_t flags = t->flags | g->flags;
	int checks_elsewhere = sv->check_addr.family != PLAN_FAM_NONE;

	memset(out, 0, sizeof(*out));
	/* a line's own switches win over the global ones */
	if (t->set & MODEL_TLS_SET_TICKETS)
		flags = (flags & ~PLAN_TLS_SRV_F_NO_TICKETS) |
		        (t->flags & PLAN_TLS_SRV_F_NO_TICKETS);
	if (t->set & MODEL_TLS_SET_REUSE)
		flags = (flags & ~PLAN_TLS_SRV_F_NO_REUSE) |
		        (t->flags & PLAN_TLS_SRV_F_NO_REUSE);
	flags &= ~(PLAN_TLS_SRV_F_SSL | PLAN_TLS_SRV_F_CHECK_SSL |
	           PLAN_TLS_SRV_F_VERIFY | PLAN_TLS_SRV_F_SYSTEM_CA);
	flags |= t->flags & (PLAN_TLS_SRV_F_SSL | PLAN_TLS_SRV_F_SYSTEM_CA);
	/* checks: check-ssl, or `ssl` when they go to the server itself */
	if (t->set & MODEL_TLS_SET_CHECK_SSL)
		flags |= t->flags & PLAN_TLS_SRV_F_CHECK_SSL;
	else if ((t->flags & PLAN_TLS_SRV_F_SSL) && !checks_elsewhere)
		flags |= PLAN_TLS_SRV_F_CHECK_SSL;
	if (!(sv->flags & PLAN_SRV_F_CHECK))
		flags &= ~PLAN_TLS_SRV_F_CHECK_SSL;
	if (!(flags & (PLAN_TLS_SRV_F_SSL | PLAN_TLS_SRV_F_CHECK_SSL)))
		return 0;
	/* ssl-server-verify: required unless said otherwise */
	if ((t->set & MODEL_TLS_SET_VERIFY) ? t->verify :
	    !(g->set & MODEL_TLS_SET_VERIFY) || g->verify)
		flags |= PLAN_TLS_SRV_F_VERIFY;
	out->flags = flags;
	out->min_ver = (t->set & MODEL_TLS_SET_MIN) ? t->min_ver : g->min_ver;
	out->max_ver = (t->set & MODEL_TLS_SET_MAX) ? t->max_ver : g->max_ver;
	if (t->set & MODEL_TLS_SET_SNI)
		out->sni = t->sni;
	else if (px->set.mode == PLAN_MODE_HTTP)
		out->sni = PLAN_TLS_SNI_HOST_NOPORT;   /* sni-auto */
	out->sni_name = out->sni == PLAN_TLS_SNI_STR ? t->sni_name : NULL;
	out->check_sni = t->check_sni;
	out->verifyhost = t->verifyhost;
	out->alpn = t->alpn;
	out->ciphers = t->ciphers ? t->ciphers : g->ciphers;
	out->ciphersuites = t->ciphersuites ? t->ciphersuites : g->ciphersuites;
	out->curves = t->curves ? t->curves : g->curves;
	if (!(flags & PLAN_TLS_SRV_F_SYSTEM_CA)) {
		out->ca_file = t->ca_file;
		out->ca_pem = t->ca_pem;
	}
	out->crl_file = t->crl_file;
	out->crl_pem = t->crl_pem;
	out->crt_file = t->crt_file;
	return 1;
}
