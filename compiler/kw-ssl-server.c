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
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "diag.h"
#include "files.h"
#include "tls_pem.h"
#include "kw.h"
#include "model.h"
#include "sema.h"

/* Protocol version names as HAProxy writes them, with their words. */
static const struct { const char *name; uint16_t ver; } tls_vers[] = {
	{ "SSLv3", 0x0300 }, { "TLSv1.0", 0x0301 }, { "TLSv1.1", 0x0302 },
	{ "TLSv1.2", 0x0303 }, { "TLSv1.3", 0x0304 },
};

#define TLS_V12 0x0303u
#define TLS_V13 0x0304u

const char *kw_tls_ver_name(unsigned v)
{
	for (size_t i = 0; i < sizeof(tls_vers) / sizeof(tls_vers[0]); i++)
		if (tls_vers[i].ver == v)
			return tls_vers[i].name;
	return "";
}

/* `w` as a version name into *out; 0, or -1 after a located error. */
static int tls_ver_arg(struct sema *s, const struct ast_word *w,
                       const char *what, uint16_t *out)
{
	for (size_t i = 0; i < sizeof(tls_vers) / sizeof(tls_vers[0]); i++)
		if (!strcmp(w->text, tls_vers[i].name)) {
			*out = tls_vers[i].ver;
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

/* The TLS 1.3 suite names OpenSSL (HAProxy's library) knows; BoringSSL,
 * cfgrun's, always offers its own fixed set of the first three. */
static const char *const tls13_suites[] = {
	"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
	"TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_CCM_SHA256",
	"TLS_AES_128_CCM_8_SHA256",
};

/*
 * A ciphers, ciphersuites or curves list `w` of setting `what`: suites
 * must be known names (HAProxy refuses a list with an unknown one); for
 * the cfgrun target the other two must be lists BoringSSL applies, as
 * cfgrun will apply them to the server's context (names it lacks are
 * skipped). 0, or -1 after a located error.
 */
static int tls_check_list(struct sema *s, const struct ast_word *w,
                          const char *what)
{
	const char *t = w->text;
	SSL_CTX *ctx;
	int ok;

	if (strstr(what, "ciphersuites")) {
		for (const char *p = t; *p;) {
			size_t n = strcspn(p, ":"), k;

			for (k = 0; k < sizeof(tls13_suites) / sizeof(tls13_suites[0]); k++)
				if (strlen(tls13_suites[k]) == n &&
				    !strncmp(tls13_suites[k], p, n))
					break;
			if (k == sizeof(tls13_suites) / sizeof(tls13_suites[0])) {
				struct src_loc loc = kw_word_loc_at(w, (size_t)(p - t));

				diag_error(s->dc, &loc, "invalid-value",
				           "'%s': unknown TLS 1.3 cipher suite '%.*s'",
				           what, (int)n, p);
				return -1;
			}
			p += n + (p[n] == ':');
		}
		return 0;
	}
	if (s->target != SEMA_TARGET_CFGRUN)
		return 0;               /* OpenSSL's names are not all ours */
	if (!(ctx = SSL_CTX_new(TLS_method()))) {
		s->oom = 1;
		return -1;
	}
	/* Judged as cfgrun will apply it (and as the bind lines' lists):
	 * names BoringSSL does not have are skipped, as OpenSSL skips them
	 * for HAProxy; a list left with no cipher is refused. */
	ok = strstr(what, "curves") ? SSL_CTX_set1_curves_list(ctx, t)
	                            : SSL_CTX_set_cipher_list(ctx, t);
	SSL_CTX_free(ctx);
	ERR_clear_error();
	if (ok)
		return 0;
	/* A server default too: HAProxy 3.5 applies it at once to the
	 * servers of its own HTTPS client and refuses a list it cannot set,
	 * even when no configured server uses TLS. */
	diag_error(s->dc, &w->loc, "invalid-value",
	           "'%s': BoringSSL knows nothing of '%s'", what, t);
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
	uint16_t ver;              /* the version word named */
	int force;                 /* force-*: exactly this version */
} tls_ver_switches[] = {
	{ "no-sslv3", 0x0300, 0 },
	{ "no-tlsv10", 0x0301, 0 },
	{ "no-tlsv11", 0x0302, 0 },
	{ "no-tlsv12", 0x0303, 0 },
	{ "no-tlsv13", 0x0304, 0 },
	{ "force-sslv3", 0x0300, 1 },
	{ "force-tlsv10", 0x0301, 1 },
	{ "force-tlsv11", 0x0302, 1 },
	{ "force-tlsv12", 0x0303, 1 },
	{ "force-tlsv13", 0x0304, 1 },
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
	if (sw->force && sw->ver < 0x0301) {
		diag_error(s->dc, &w->loc, "unsupported",
		           "'%s' is not supported by cfgc: BoringSSL has no SSLv3",
		           w->text);
		return -1;
	}
	if (sw->force) {
		t->min_ver = t->max_ver = sw->ver;
		t->set |= MODEL_TLS_SET_MIN | MODEL_TLS_SET_MAX;
		return 0;
	}
	if (sw->ver == TLS_V13) {
		if (!t->max_ver || t->max_ver > TLS_V12)
			t->max_ver = TLS_V12;
		t->set |= MODEL_TLS_SET_MAX;
		return 0;
	}
	if (sw->ver < TLS_V12 ||
	    (t->min_ver && t->min_ver >= sw->ver)) {
		if (t->min_ver <= sw->ver)
			t->min_ver = (uint16_t)(sw->ver + 1);
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
 * A file option's word `w` (kind 0 CA, 1 CRL, 2 client certificate and
 * key), under `base` as HAProxy looks: read once per configuration with
 * the shared loader (common/tls_pem.c) into the model's tls_files, its
 * index + 1 into *idx. A missing file is reported by the cross-reference
 * pass (*idx stays 0); under --hermetic only the path is kept. 0, or -1
 * after an error (a file that is no certificate, CRL or key pair).
 */
static int tls_file(struct sema *s, const struct ast_word *w, int kind,
                    const char *base, uint32_t *idx)
{
	static const char *const what[] = { "ca-file", "crl-file", "crt" };
	char found[FILES_PATH_MAX], why[512];
	struct model_tls_file *tf;
	int r = files_find(s->files, w->text, kind == 2 ? PLAN_PRE_CERT :
	                   PLAN_PRE_CA, base, found);

	*idx = 0;
	if (r < 0)
		return 0;
	for (size_t i = 0; i < s->m->ntls_files; i++)
		if (s->m->tls_files[i].kind == kind &&
		    !strcmp(s->m->tls_files[i].path, found)) {
			*idx = (uint32_t)i + 1;
			return 0;
		}
	if (!(tf = model_add_tls_file(s->m)) || !(tf->path = strdup(found))) {
		s->oom = 1;
		return -1;
	}
	tf->kind = kind;
	*idx = (uint32_t)s->m->ntls_files;
	if (r > 0)
		return 0;               /* --hermetic: cfgrun reads it */
	if (kind == 2) {
		struct tls_pem pem;

		if (tls_pem_load(found, &pem, why, sizeof(why)) == 0) {
			tf->der = pem.der;
			tf->der_len = pem.der_len;
			tf->key = pem.key;
			tf->key_len = pem.key_len;
			return 0;
		}
	} else {
		uint32_t count;

		if (tls_pem_load_list(found, kind, &tf->der, &tf->der_len,
		                      &count, why, sizeof(why)) == 0)
			return 0;
	}
	diag_error(s->dc, &w->loc, "bad-certificate", "'%s': %s", what[kind],
	           why);
	return -1;
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
			t->ca = 0;
			return 0;
		}
		t->flags &= ~PLAN_TLS_SRV_F_SYSTEM_CA;
		return tls_file(s, v, 0, s->files->ca_base, &t->ca);
	case TLS_ARG_CRL:
		return tls_nonempty(s, v, o->name, o->usage) < 0 ? -1 :
		       tls_file(s, v, 1, s->files->ca_base, &t->crl);
	case TLS_ARG_CRT:
		return tls_nonempty(s, v, o->name, o->usage) < 0 ? -1 :
		       tls_file(s, v, 2, s->files->crt_base, &t->crt);
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
		if (tls_ver_arg(s, v, o->name, &t->max_ver) < 0)
			return -1;
		if (t->max_ver < 0x0301)
			diag_error(s->dc, &v->loc, "unsupported",
			           "'ssl-max-ver SSLv3' is not supported by cfgc: "
			           "BoringSSL has no SSLv3");
		return 0;
	case TLS_ARG_CIPHERS:
	case TLS_ARG_SUITES:
	case TLS_ARG_CURVES:
		if (tls_nonempty(s, v, o->name, o->usage) < 0 ||
		    tls_check_list(s, v, o->name) < 0)
			return -1;
		return tls_str(s, v, o->arg == TLS_ARG_CIPHERS ? &t->ciphers :
		               o->arg == TLS_ARG_SUITES ? &t->ciphersuites :
		               &t->curves);
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

	if (tls_nonempty(s, &st->args[1], st->args[0].text, "a list") < 0 ||
	    tls_check_list(s, &st->args[1], st->args[0].text) < 0)
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
	if (t->ca && !(flags & PLAN_TLS_SRV_F_SYSTEM_CA))
		out->ca = &m->tls_files[t->ca - 1];
	if (t->crl)
		out->crl = &m->tls_files[t->crl - 1];
	if (t->crt)
		out->crt = &m->tls_files[t->crt - 1];
	return 1;
}
