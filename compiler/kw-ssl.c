/*
 * kw-ssl.c: TLS termination settings. The `bind ... ssl` options, the
 * global ssl-default-bind-*, crt-base, ca-base and tune.ssl.* keywords,
 * and the loading of every certificate, key, CA and CRL file named, which
 * go into the plan as DER (common/tls_pem.h). Under --hermetic nothing is
 * read: the certificates are recorded by path and cfgrun loads them.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "diag.h"
#include "files.h"
#include "kw.h"
#include "kw-ssl.h"
#include "kw-ssl-int.h"
#include "model.h"
#include "tls_pem.h"
#include "units.h"

#define TLS_DEF_CACHESIZE  20000u   /* tune.ssl.cachesize, HAProxy's */
#define TLS_DEF_LIFETIME   300u     /* tune.ssl.lifetime, seconds */
#define TLS_DEF_MIN_VER    0x0303u  /* HAProxy's ssl-min-ver: TLSv1.2 */
#define TLS_EXPIRY_WARN    (30 * 86400) /* seconds: "expires soon" */
#define TLS_SYSTEM_ROOTS   "/etc/ssl/certs/ca-certificates.crt"

static const struct {
	const char *name;
	uint16_t ver;
} tls_versions[] = {
	{ "SSLv3", 0x0300 }, { "TLSv1.0", 0x0301 }, { "TLSv1.1", 0x0302 },
	{ "TLSv1.2", 0x0303 }, { "TLSv1.3", 0x0304 },
};

/* Flag options: bit set in flags, version disabled, or version forced. */
static const struct {
	const char *name;
	uint32_t flag;              /* PLAN_TLS_F_* set */
	uint16_t no_ver;            /* version disabled, 0 = none */
	uint16_t force_ver;         /* version forced, 0 = none */
} tls_flag_opts[] = {
	{ "strict-sni", PLAN_TLS_F_STRICT_SNI, 0, 0 },
	{ "no-tls-tickets", PLAN_TLS_F_NO_TICKETS, 0, 0 },
	{ "prefer-client-ciphers", PLAN_TLS_F_PREFER_CLIENT, 0, 0 },
	{ "no-sslv3", 0, 0x0300, 0 },
	{ "no-tlsv10", 0, 0x0301, 0 },
	{ "no-tlsv11", 0, 0x0302, 0 },
	{ "no-tlsv12", 0, 0x0303, 0 },
	{ "no-tlsv13", 0, 0x0304, 0 },
	{ "force-sslv3", 0, 0, 0x0300 },
	{ "force-tlsv10", 0, 0, 0x0301 },
	{ "force-tlsv11", 0, 0, 0x0302 },
	{ "force-tlsv12", 0, 0, 0x0303 },
	{ "force-tlsv13", 0, 0, 0x0304 },
};


static const char *const tls_arg_names[TLS_O_MAX] = {
	[TLS_O_CRT] = "crt", [TLS_O_CRT_LIST] = "crt-list",
	[TLS_O_ALPN] = "alpn", [TLS_O_MIN_VER] = "ssl-min-ver",
	[TLS_O_MAX_VER] = "ssl-max-ver", [TLS_O_CIPHERS] = "ciphers",
	[TLS_O_CIPHERSUITES] = "ciphersuites", [TLS_O_CURVES] = "curves",
	[TLS_O_ECDHE] = "ecdhe", [TLS_O_SIGALGS] = "sigalgs",
	[TLS_O_CA_FILE] = "ca-file", [TLS_O_CRL_FILE] = "crl-file",
	[TLS_O_VERIFY] = "verify", [TLS_O_CA_IGNORE] = "ca-ignore-err",
	[TLS_O_CRT_IGNORE] = "crt-ignore-err",
	[TLS_O_CA_VERIFY_FILE] = "ca-verify-file",
};

/* ---- small parsers ------------------------------------------------------ */

static int tls_version(const char *w)
{
	for (size_t i = 0; i < sizeof(tls_versions) / sizeof(tls_versions[0]); i++)
		if (!strcmp(tls_versions[i].name, w))
			return tls_versions[i].ver;
	return -1;
}

const char *kw_tls_version_name(uint16_t v)
{
	for (size_t i = 0; i < sizeof(tls_versions) / sizeof(tls_versions[0]); i++)
		if (tls_versions[i].ver == v)
			return tls_versions[i].name;
	return "?";
}

/* "h2,http/1.1" into ALPN's wire form (a length byte before each name). */
static char *tls_alpn_wire(const char *list, const char **why)
{
	size_t n = strlen(list);
	char *out = malloc(n + 2), *o = out;
	const char *p = list;

	if (!out) {
		*why = "out of memory";
		return NULL;
	}
	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == 0 || len > 255) {
			*why = len ? "a protocol name is longer than 255 bytes" :
			             "an empty protocol name";
			free(out);
			return NULL;
		}
		*o++ = (char)len;
		memcpy(o, p, len);
		o += len;
		p += len + (e ? 1 : 0);
		if (e && !*p) {
			*why = "an empty protocol name";
			free(out);
			return NULL;
		}
	}
	*o = '\0';
	if (o == out) {
		*why = "an empty list";
		free(out);
		return NULL;
	}
	return out;
}

/* X509 error names ca-ignore-err and crt-ignore-err take besides numbers
 * (HAProxy reads OpenSSL's names). */
static const struct {
	const char *name;
	int err;
} tls_x509_errs[] = {
	{ "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT", X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT },
	{ "X509_V_ERR_UNABLE_TO_GET_CRL", X509_V_ERR_UNABLE_TO_GET_CRL },
	{ "X509_V_ERR_CERT_SIGNATURE_FAILURE", X509_V_ERR_CERT_SIGNATURE_FAILURE },
	{ "X509_V_ERR_CRL_SIGNATURE_FAILURE", X509_V_ERR_CRL_SIGNATURE_FAILURE },
	{ "X509_V_ERR_CERT_NOT_YET_VALID", X509_V_ERR_CERT_NOT_YET_VALID },
	{ "X509_V_ERR_CERT_HAS_EXPIRED", X509_V_ERR_CERT_HAS_EXPIRED },
	{ "X509_V_ERR_CRL_NOT_YET_VALID", X509_V_ERR_CRL_NOT_YET_VALID },
	{ "X509_V_ERR_CRL_HAS_EXPIRED", X509_V_ERR_CRL_HAS_EXPIRED },
	{ "X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT", X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT },
	{ "X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN", X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN },
	{ "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY", X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY },
	{ "X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE", X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE },
	{ "X509_V_ERR_CERT_CHAIN_TOO_LONG", X509_V_ERR_CERT_CHAIN_TOO_LONG },
	{ "X509_V_ERR_CERT_REVOKED", X509_V_ERR_CERT_REVOKED },
	{ "X509_V_ERR_INVALID_CA", X509_V_ERR_INVALID_CA },
	{ "X509_V_ERR_PATH_LENGTH_EXCEEDED", X509_V_ERR_PATH_LENGTH_EXCEEDED },
	{ "X509_V_ERR_INVALID_PURPOSE", X509_V_ERR_INVALID_PURPOSE },
	{ "X509_V_ERR_CERT_UNTRUSTED", X509_V_ERR_CERT_UNTRUSTED },
	{ "X509_V_ERR_CERT_REJECTED", X509_V_ERR_CERT_REJECTED },
};

/* ca-ignore-err / crt-ignore-err: "all", or comma-separated X509 error
 * numbers (below 64) or names. */
static int tls_ignore_mask(const char *text, uint64_t *mask)
{
	const char *p = text;

	if (!strcmp(text, "all")) {
		*mask = UINT64_MAX;
		return 0;
	}
	*mask = 0;
	while (*p) {
		char *end;
		unsigned long v = strtoul(p, &end, 10);
		size_t len = strcspn(p, ",");

		for (size_t k = 0; end == p &&
		     k < sizeof(tls_x509_errs) / sizeof(tls_x509_errs[0]); k++)
			if (strlen(tls_x509_errs[k].name) == len &&
			    !strncmp(tls_x509_errs[k].name, p, len)) {
				v = (unsigned long)tls_x509_errs[k].err;
				end = (char *)p + len;
			}
		if (end == p || v >= 64 || (*end && *end != ','))
			return -1;
		*mask |= 1ull << v;
		p = *end ? end + 1 : end;
	}
	return 0;
}

/* A throwaway SSL_CTX to check cipher, curve and sigalg lists the way
 * cfgrun will apply them. */
static SSL_CTX *tls_probe_ctx(void)
{
	static SSL_CTX *ctx;

	if (!ctx)
		ctx = SSL_CTX_new(TLS_method());
	return ctx;
}

/* 0 when cfgrun's library takes `value` for option `o`. */
static int tls_list_ok(enum tls_arg_opt o, const char *value)
{
	SSL_CTX *ctx = tls_probe_ctx();
	int ok = 1;

	if (!ctx)
		return 0;
	switch (o) {
	case TLS_O_CIPHERS:
		ok = SSL_CTX_set_cipher_list(ctx, value);
		break;
	case TLS_O_CURVES:
	case TLS_O_ECDHE:
		ok = SSL_CTX_set1_curves_list(ctx, value);
		break;
	case TLS_O_SIGALGS:
		ok = SSL_CTX_set1_sigalgs_list(ctx, value);
		break;
	default:
		break;
	}
	ERR_clear_error();
	return ok ? 0 : -1;
}

static int set_str(struct sema *s, char **dst, const char *v)
{
	char *d = strdup(v);

	if (!d) {
		s->oom = 1;
		return -1;
	}
	free(*dst);
	*dst = d;
	return 0;
}

/* ---- certificates ------------------------------------------------------- */

/* Names of the system's trusted roots (subjects), read once. */
static STACK_OF(X509_NAME) *tls_system_roots(void)
{
	static STACK_OF(X509_NAME) *names;
	static int tried;
	BIO *bio;
	X509 *x;

	if (tried)
		return names;
	tried = 1;
	names = sk_X509_NAME_new_null();
	bio = BIO_new_file(TLS_SYSTEM_ROOTS, "r");
	while (names && bio && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL))) {
		X509_NAME *n = X509_NAME_dup(X509_get_subject_name(x));

		if (n && !sk_X509_NAME_push(names, n))
			X509_NAME_free(n);
		X509_free(x);
	}
	BIO_free(bio);
	ERR_clear_error();
	return names;
}

static int tls_name_in(STACK_OF(X509_NAME) *names, const X509_NAME *n)
{
	for (size_t i = 0; names && i < sk_X509_NAME_num(names); i++)
		if (!X509_NAME_cmp(sk_X509_NAME_value(names, i), n))
			return 1;
	return 0;
}

/* 1 when DER certificates [der, der+len) hold one whose subject is n. */
static int tls_der_has_subject(const uint8_t *der, size_t len,
                               const X509_NAME *n)
{
	const uint8_t *p = der, *end = der + len;
	int found = 0;

	while (p < end && !found) {
		X509 *x = d2i_X509(NULL, &p, end - p);

		if (!x)
			break;
		found = !X509_NAME_cmp(X509_get_subject_name(x), n);
		X509_free(x);
	}
	ERR_clear_error();
	return found;
}

/*
 * Warn (at `w`, naming the file) when the chain of `pem` does not lead to
 * a root: each certificate must be issued by the next one in the file,
 * and the last one must be self-issued, or issued by a root of the system
 * or of the bind's ca-file (`ca`). Clients may then fail to verify.
 */
static void tls_check_chain(struct sema *s, const struct ast_word *w,
                            const char *path, const struct tls_pem *pem,
                            const struct model_tls_bind *t)
{
	const uint8_t *p = pem->der, *end = pem->der + pem->der_len;
	X509 *prev = NULL, *x;
	char sub[256], iss[256];

	while (p < end && (x = d2i_X509(NULL, &p, end - p))) {
		if (prev && X509_NAME_cmp(X509_get_issuer_name(prev),
		                          X509_get_subject_name(x))) {
			X509_NAME_oneline(X509_get_subject_name(x), sub, sizeof(sub));
			X509_NAME_oneline(X509_get_issuer_name(prev), iss, sizeof(iss));
			diag_warning(s->dc, &w->loc, "incomplete-chain",
			             "'crt': in '%s', '%s' follows a certificate "
			             "issued by '%s': the chain is out of order or "
			             "misses a certificate", path, sub, iss);
			X509_free(prev);
			X509_free(x);
			ERR_clear_error();
			return;
		}
		X509_free(prev);
		prev = x;
	}
	ERR_clear_error();
	if (!prev)
		return;
	if (X509_NAME_cmp(X509_get_issuer_name(prev),
	                  X509_get_subject_name(prev)) &&
	    !tls_name_in(tls_system_roots(), X509_get_issuer_name(prev)) &&
	    !tls_der_has_subject(t->ca, t->ca_len, X509_get_issuer_name(prev))) {
		X509_NAME_oneline(X509_get_subject_name(prev), sub, sizeof(sub));
		X509_NAME_oneline(X509_get_issuer_name(prev), iss, sizeof(iss));
		diag_warning(s->dc, &w->loc, "incomplete-chain",
		             "'crt': the chain in '%s' ends at '%s', issued by "
		             "'%s', which is neither in the file nor a known root: "
		             "clients may fail to verify it", path, sub, iss);
		diag_hint(s->dc, "append the intermediate certificates to the "
		          "file, after the server's certificate");
	}
	X509_free(prev);
}

/* Warn when the leaf has expired or expires within 30 days. */
static void tls_check_expiry(struct sema *s, const struct ast_word *w,
                             const char *path, int64_t not_after)
{
	int64_t now = (int64_t)time(NULL);

	if (!not_after)
		return;
	if (not_after <= now)
		diag_warning(s->dc, &w->loc, "expired-certificate",
		             "'crt': the certificate in '%s' expired %lld days ago",
		             path, (long long)((now - not_after) / 86400));
	else if (not_after - now < TLS_EXPIRY_WARN)
		diag_warning(s->dc, &w->loc, "expiring-certificate",
		             "'crt': the certificate in '%s' expires in %lld days",
		             path, (long long)((not_after - now) / 86400));
}

/*
 * Add the certificate `pem` loaded from `path` (resolved) to t, with SNI
 * filters `sni` (NULL = its own names): t takes its DER and key, `pem` is
 * released. Problems are reported at `w`. 0 or -1.
 */
static int tls_keep_cert(struct sema *s, struct model_tls_bind *t,
                         const struct ast_word *w, const char *path,
                         const char *sni, struct tls_pem *pem)
{
	struct model_tls_cert *c;

	if (!(c = model_tls_add_cert(t)) || !(c->path = strdup(path)) ||
	    (sni && !(c->sni = strdup(sni)))) {
		s->oom = 1;
		tls_pem_free(pem);
		return -1;
	}
	/* hapc's own lints: not HAProxy's verdicts, so not under the
	 * HAProxy linter (where they would count for zero-warning). */
	if (s->target == SEMA_TARGET_CFGRUN) {
		tls_check_chain(s, w, path, pem, t);
		tls_check_expiry(s, w, path, pem->not_after);
	}
	c->der = pem->der;
	c->der_len = pem->der_len;
	c->key = pem->key;
	c->key_len = pem->key_len;
	c->flags = pem->ecdsa ? PLAN_TLS_CERT_F_ECDSA : 0;
	c->not_after = pem->not_after;
	pem->der = pem->key = NULL;  /* now owned by c */
	tls_pem_free(pem);
	return 0;
}

/*
 * Add the certificate file `path` (resolved) to t, with SNI filters
 * `sni` (NULL = its own names); `hermetic`: record the path only.
 * Problems are reported at `w`. 0 or -1.
 */
static int tls_add_cert_file(struct sema *s, struct model_tls_bind *t,
                             const struct ast_word *w, const char *path,
                             const char *sni, int hermetic)
{
	struct model_tls_cert *c;
	struct tls_pem pem;
	char why[512];

	if (!hermetic && tls_pem_load(path, &pem, why, sizeof(why)) < 0) {
		/* The HAProxy linter cannot see keys a crt-store or key-base
		 * supplies: only a key that is there and wrong is an error.
		 * The certificate is kept by path, as --hermetic does, and
		 * cfgrun says what it misses if it is ever run. */
		if (s->target == SEMA_TARGET_HAPROXY &&
		    strstr(why, "no private key"))
			return tls_add_cert_file(s, t, w, path, sni, 1);
		if (strstr(why, "does not match"))
			diag_error(s->dc, &w->loc, "key-mismatch", "'crt': %s",
			           why);
		else
			diag_error(s->dc, &w->loc, "bad-certificate", "'crt': %s",
			           why);
		return -1;
	}
	if (hermetic) {
		if (!(c = model_tls_add_cert(t)) || !(c->path = strdup(path)) ||
		    (sni && !(c->sni = strdup(sni)))) {
			s->oom = 1;
			return -1;
		}
		return 0;
	}
	return tls_keep_cert(s, t, w, path, sni, &pem);
}

/* Files of a crt directory HAProxy skips: keys and side files. */
static int tls_dir_skip(const char *name)
{
	static const char *const ext[] = { ".key", ".ocsp", ".issuer", ".sctl",
	                                   ".crt-list" };
	size_t n = strlen(name);

	if (name[0] == '.')
		return 1;
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t e = strlen(ext[i]);

		if (n > e && !strcmp(name + n - e, ext[i]))
			return 1;
	}
	return 0;
}

static int tls_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The certificate of crt-store line `l`, referred to at `w`: its crt
 * under the store's crt-base, its key (when the line names one) under the
 * store's key-base; the global bases do not apply inside a crt-store.
 */
static int tls_add_store_crt(struct sema *s, struct model_tls_bind *t,
                             const struct ast_word *w,
                             const struct crt_store_load *l, const char *sni)
{
	char path[FILES_PATH_MAX], key[FILES_PATH_MAX], why[512];
	struct tls_pem pem;
	int r = files_find(s->files, l->crt, PLAN_PRE_CERT, l->crt_base, path);

	if (r == 0 && l->key)
		r = files_find(s->files, l->key, PLAN_PRE_PEM, l->key_base, key);
	if (r < 0)
		return -1;          /* the cross-reference pass says why */
	if (r > 0) {
		diag_error(s->dc, &w->loc, "unsupported",
		           "'crt %s' under --hermetic: a crt-store certificate is "
		           "read when compiling (cfgrun would not find its key "
		           "line)", w->text);
		return -1;
	}
	if (tls_pem_load_key(path, l->key ? key : NULL, &pem, why,
	                     sizeof(why)) < 0) {
		if (strstr(why, "does not match"))
			diag_error(s->dc, &w->loc, "key-mismatch",
			           "'crt %s' (crt-store, line %u): %s", w->text,
			           l->st->args[0].loc.line, why);
		else
			diag_error(s->dc, &w->loc, "bad-certificate",
			           "'crt %s' (crt-store, line %u): %s", w->text,
			           l->st->args[0].loc.line, why);
		return -1;
	}
	if (tls_keep_cert(s, t, w, path, sni, &pem) < 0)
		return -1;
	if (l->key && !(t->certs[t->ncerts - 1].key_path = strdup(key))) {
		s->oom = 1;
		return -1;
	}
	return 0;
}

/* crt FILE|DIR: a directory adds each of its files in name order; a
 * crt-store reference or a certificate a crt-store loads, its line. */
int kw_tls_add_crt(struct sema *s, struct model_tls_bind *t,
                   const struct ast_word *w, const char *name,
                   const char *sni)
{
	char path[FILES_PATH_MAX];
	struct stat st;
	const struct crt_store_load *l = crt_store_find(&s->files->store, name);
	int r;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int ret = 0;

	if (l)
		return tls_add_store_crt(s, t, w, l, sni);
	if (name[0] == '@') {
		diag_error(s->dc, &w->loc, "unknown-certificate",
		           "'crt %s': no crt-store section above loads it "
		           "(expected '@STORE/ALIAS' or '@STORE/FILE' of a "
		           "'load' line)", name);
		return -1;
	}
	r = files_find(s->files, name, PLAN_PRE_CERT, s->files->crt_base, path);
	if (r < 0)
		return -1;          /* the cross-reference pass says why */
	if (r > 0 || stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return tls_add_cert_file(s, t, w, path, sni, r > 0);
	if (!(d = opendir(path))) {
		diag_error(s->dc, &w->loc, "unreadable-file",
		           "'crt': cannot list the directory '%s'", path);
		return -1;
	}
	while ((e = readdir(d))) {
		if (tls_dir_skip(e->d_name))
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? 2 * cap : 16) *
			                    sizeof(*names));

			if (!nn)
				break;
			names = nn;
		}
		if (!(names[n] = strdup(e->d_name)))
			break;
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), tls_cmp_names);
	for (size_t i = 0; i < n; i++) {
		char file[FILES_PATH_MAX];

		if ((size_t)snprintf(file, sizeof(file), "%s/%s", path,
		                     names[i]) < sizeof(file) &&
		    stat(file, &st) == 0 && S_ISREG(st.st_mode) &&
		    tls_add_cert_file(s, t, w, file, sni, 0) < 0)
			ret = -1;
		free(names[i]);
	}
	free(names);
	if (n == 0) {
		diag_error(s->dc, &w->loc, "bad-certificate",
		           "'crt': the directory '%s' holds no certificate", path);
		return -1;
	}
	return ret;
}

/* ca-file / crl-file / ca-verify-file (`kw`): every certificate or CRL
 * of the file, as DER. */
static int tls_load_ca(struct sema *s, const struct ast_word *w, int crl,
                       const char *kw, char **path_out, uint8_t **der,
                       size_t *len)
{
	char path[FILES_PATH_MAX], why[512];
	uint32_t count;
	int r = files_find(s->files, w->text, PLAN_PRE_CA, s->files->ca_base,
	                   path);

	if (r < 0)
		return -1;
	if (set_str(s, path_out, path) < 0)
		return -1;
	free(*der);
	*der = NULL;
	*len = 0;
	if (r > 0)
		return 0;
	if (tls_pem_load_list(path, crl, der, len, &count, why,
	                      sizeof(why)) < 0) {
		diag_error(s->dc, &w->loc, "bad-certificate", "'%s': %s", kw,
		           why);
		return -1;
	}
	return 0;
}

/* ---- options ------------------------------------------------------------ */

/* A flag option: 1 applied, 0 not one. */
static int tls_flag(struct model_tls_bind *t, const char *name)
{
	for (size_t k = 0; k < sizeof(tls_flag_opts) / sizeof(tls_flag_opts[0]); k++) {
		if (strcmp(tls_flag_opts[k].name, name))
			continue;
		t->flags |= tls_flag_opts[k].flag;
		if (tls_flag_opts[k].no_ver)
			t->no_vers |= 1u << (tls_flag_opts[k].no_ver & 0xff);
		if (tls_flag_opts[k].force_ver)
			t->min_ver = t->max_ver = tls_flag_opts[k].force_ver;
		return 1;
	}
	return 0;
}

int kw_tls_arg_opt(const char *name)
{
	for (int k = 0; k < TLS_O_MAX; k++)
		if (!strcmp(tls_arg_names[k], name))
			return k;
	return -1;
}

/* Option `o` with argument `v` into t; certificate options only when
 * `certs` (a bind line). 0 or -1 after an error. */
int kw_tls_apply(struct sema *s, struct model_tls_bind *t, int o,
                 const struct ast_word *opt, const struct ast_word *v)
{
	const char *why = NULL;
	int ver;

	switch (o) {
	case TLS_O_CRT:
		return kw_tls_add_crt(s, t, v, v->text, NULL);
	case TLS_O_CRT_LIST:
		return kw_tls_add_crt_list(s, t, v);
	case TLS_O_ALPN: {
		char *wire = tls_alpn_wire(v->text, &why);

		if (!wire) {
			diag_error(s->dc, &v->loc, "invalid-value",
			           "'alpn' expects comma-separated protocol names, "
			           "found '%s' (%s)", v->text, why);
			return -1;
		}
		free(t->alpn);
		t->alpn = wire;
		return 0;
	}
	case TLS_O_MIN_VER:
	case TLS_O_MAX_VER:
		if ((ver = tls_version(v->text)) < 0) {
			diag_error(s->dc, &v->loc, "invalid-value",
			           "'%s' expects SSLv3, TLSv1.0, TLSv1.1, TLSv1.2 or "
			           "TLSv1.3, found '%s'", opt->text, v->text);
			return -1;
		}
		if (o == TLS_O_MIN_VER)
			t->min_ver = (uint16_t)ver;
		else
			t->max_ver = (uint16_t)ver;
		return 0;
	case TLS_O_CIPHERS:
	case TLS_O_CURVES:
	case TLS_O_ECDHE:
	case TLS_O_SIGALGS:
		if (s->target == SEMA_TARGET_CFGRUN && tls_list_ok(o, v->text) < 0) {
			diag_error(s->dc, &v->loc, "invalid-value",
			           "'%s': BoringSSL knows nothing of '%s'", opt->text,
			           v->text);
			return -1;
		}
		return set_str(s, o == TLS_O_CIPHERS ? &t->ciphers :
		               o == TLS_O_SIGALGS ? &t->sigalgs : &t->curves,
		               v->text);
	case TLS_O_CIPHERSUITES:
		return set_str(s, &t->ciphersuites, v->text);
	case TLS_O_CA_FILE:
		return tls_load_ca(s, v, 0, "ca-file", &t->ca_path, &t->ca,
		                   &t->ca_len);
	case TLS_O_CRL_FILE:
		return tls_load_ca(s, v, 1, "crl-file", &t->crl_path, &t->crl,
		                   &t->crl_len);
	case TLS_O_CA_VERIFY_FILE:
		return tls_load_ca(s, v, 0, "ca-verify-file", &t->cav_path,
		                   &t->cav, &t->cav_len);
	case TLS_O_VERIFY:
		if (!strcmp(v->text, "none"))
			t->verify = PLAN_TLS_VERIFY_NONE;
		else if (!strcmp(v->text, "optional"))
			t->verify = PLAN_TLS_VERIFY_OPTIONAL;
		else if (!strcmp(v->text, "required"))
			t->verify = PLAN_TLS_VERIFY_REQUIRED;
		else {
			diag_error(s->dc, &v->loc, "invalid-value",
			           "'verify' expects none, optional or required, "
			           "found '%s'", v->text);
			return -1;
		}
		return 0;
	case TLS_O_CA_IGNORE:
	case TLS_O_CRT_IGNORE:
		if (tls_ignore_mask(v->text, o == TLS_O_CA_IGNORE ? &t->ca_ignore :
		                    &t->crt_ignore) < 0) {
			diag_error(s->dc, &v->loc, "invalid-value",
			           "'%s' expects 'all' or comma-separated X509 "
			           "error numbers below 64 or names, found '%s'", opt->text, v->text);
			return -1;
		}
		return 0;
	default:
		return 0;
	}
}

int kw_ssl_bind_option(struct sema *s, struct model_tls_bind *t,
                       const struct ast_stmt *st, size_t *i, int *ssl)
{
	const struct ast_word *w = &st->args[*i];
	int o;

	if (!strcmp(w->text, "ssl")) {
		*ssl = 1;
		++*i;
		return 1;
	}
	if (tls_flag(t, w->text)) {
		++*i;
		return 1;
	}
	if (!strcmp(w->text, "no-alpn")) {
		/* no ALPN offered (a later `alpn` on the line sets one) */
		free(t->alpn);
		t->alpn = NULL;
		++*i;
		return 1;
	}
	if ((o = kw_tls_arg_opt(w->text)) < 0)
		return 0;
	if (*i + 1 >= st->nargs) {
		diag_error(s->dc, &w->loc, "missing-argument",
		           "bind option '%s' expects a value, found nothing",
		           w->text);
		*i = st->nargs;
		return -1;
	}
	*i += 2;
	return kw_tls_apply(s, t, o, w, &st->args[*i - 1]) < 0 ? -1 : 1;
}

/* Range of versions t allows, into min/max; -1 when none is left. */
static int tls_range(const struct model_tls_bind *t, uint16_t *min,
                     uint16_t *max)
{
	uint16_t lo = t->min_ver, hi = t->max_ver ? t->max_ver : 0x0304;

	if (!lo)
		lo = t->no_vers ? 0x0301 : TLS_DEF_MIN_VER;
	if (lo < 0x0301)
		lo = 0x0301;        /* BoringSSL has no SSLv3 */
	while (lo <= hi && (t->no_vers & (1u << (lo & 0xff))))
		lo++;
	while (hi >= lo && (t->no_vers & (1u << (hi & 0xff))))
		hi--;
	if (lo > hi)
		return -1;
	*min = lo;
	*max = hi;
	return 0;
}

/* An ssl-default-bind-* list a bind takes that BoringSSL cannot apply:
 * the error is the bind's, as HAProxy reports it. 1 when it is bad. */
static int tls_bind_default_bad(struct sema *s, const struct ast_stmt *st,
                                enum tls_arg_opt o, const char *what,
                                const char *v)
{
	if (tls_list_ok(o, v) == 0)
		return 0;
	diag_error(s->dc, &st->args[0].loc, "invalid-value",
	           "'bind': BoringSSL can use nothing of the %s '%s' "
	           "(ssl-default-bind-%s)", what, v, what);
	return 1;
}

static int ssl_bind_finish(struct sema *s, struct model_tls_bind *t,
                           const struct ast_stmt *st, int ssl, uint32_t *index)
{
	const struct model_tls_bind *d = &s->m->tls_def;
	struct model_tls_bind *rec;
	uint16_t lo, hi;

	*index = 0;
	if (!ssl) {
		model_tls_bind_free(t);
		return 0;
	}
	/* ssl-default-bind-*: what the line does not set. */
	t->flags |= d->flags;
	t->no_vers |= d->no_vers;
	if (!t->min_ver)
		t->min_ver = d->min_ver;
	if (!t->max_ver)
		t->max_ver = d->max_ver;
	if (s->target == SEMA_TARGET_CFGRUN &&
	    ((!t->ciphers && d->ciphers &&
	      tls_bind_default_bad(s, st, TLS_O_CIPHERS, "ciphers", d->ciphers)) ||
	     (!t->curves && d->curves &&
	      tls_bind_default_bad(s, st, TLS_O_CURVES, "curves", d->curves)) ||
	     (!t->sigalgs && d->sigalgs &&
	      tls_bind_default_bad(s, st, TLS_O_SIGALGS, "sigalgs", d->sigalgs))))
		return -1;
	if ((!t->ciphers && d->ciphers && set_str(s, &t->ciphers, d->ciphers)) ||
	    (!t->ciphersuites && d->ciphersuites &&
	     set_str(s, &t->ciphersuites, d->ciphersuites)) ||
	    (!t->curves && d->curves && set_str(s, &t->curves, d->curves)) ||
	    (!t->sigalgs && d->sigalgs && set_str(s, &t->sigalgs, d->sigalgs)))
		return -1;
	if (!t->min_ver && t->max_ver && t->max_ver < TLS_DEF_MIN_VER) {
		/* HAProxy: ambiguous, the minimum follows the maximum down */
		diag_warning(s->dc, &st->args[0].loc, "tls-version-range",
		             "'bind': 'ssl-max-ver %s' is below the default "
		             "minimum %s and no 'ssl-min-ver' is set: the minimum "
		             "is lowered to %s", kw_tls_version_name(t->max_ver),
		             kw_tls_version_name(TLS_DEF_MIN_VER),
		             kw_tls_version_name(t->max_ver));
		t->min_ver = t->max_ver;
	}
	if (t->min_ver == 0x0300 && t->max_ver == 0x0300) {
		diag_error(s->dc, &st->args[0].loc, "unsupported",
		           "'bind': SSLv3 only is not supported (BoringSSL has no "
		           "SSLv3)");
		return -1;
	}
	if (tls_range(t, &lo, &hi) < 0) {
		diag_error(s->dc, &st->args[0].loc, "invalid-value",
		           "'bind': the TLS options leave no protocol version "
		           "(from %s to %s, minus the no-* ones)",
		           kw_tls_version_name(t->min_ver ? t->min_ver : TLS_DEF_MIN_VER),
		           kw_tls_version_name(t->max_ver ? t->max_ver : 0x0304));
		return -1;
	}
	t->min_ver = lo;
	t->max_ver = hi;
	if (t->verify != PLAN_TLS_VERIFY_NONE && !t->ca_path && !t->cav_path) {
		diag_error(s->dc, &st->args[0].loc, "missing-argument",
		           "'bind': 'verify %s' needs a 'ca-file' (or "
		           "'ca-verify-file') to check client certificates against",
		           t->verify == PLAN_TLS_VERIFY_REQUIRED ? "required" :
		           "optional");
		return -1;
	}
	if (kw_tls_crtlist_finish(s, t, st) < 0)
		return -1;
	if (t->ncerts == 0) {
		/* HAProxy starts, every handshake then fails: a warning for
		 * the linter; cfgrun does not run a TLS listener without one */
		if (s->target == SEMA_TARGET_HAPROXY) {
			diag_warning(s->dc, &st->args[0].loc, "missing-certificate",
			             "'bind ... ssl' names no certificate ('crt' or "
			             "'crt-list'): every TLS connection to it fails");
			model_tls_bind_free(t);
			return 0;
		}
		diag_error(s->dc, &st->args[0].loc, "unsupported",
		           "'bind ... ssl' without a certificate ('crt' or "
		           "'crt-list') is not supported by cfgc: HAProxy starts "
		           "and fails every TLS connection to it");
		return -1;
	}
	t->line = st->args[0].loc.line;
	if (!(rec = model_add_tls_bind(s->m))) {
		s->oom = 1;
		return -1;
	}
	*rec = *t;
	memset(t, 0, sizeof(*t));
	*index = (uint32_t)s->m->ntls_binds;
	return 0;
}

int kw_ssl_bind_finish(struct sema *s, struct model_tls_bind *t,
                       const struct ast_stmt *st, int ssl, uint32_t *index)
{
	/* refused: what the line's options allocated goes (moved into the
	 * model, t is left empty) */
	if (ssl_bind_finish(s, t, st, ssl, index) < 0) {
		model_tls_bind_free(t);
		return -1;
	}
	return 0;
}

/* ---- global keywords ---------------------------------------------------- */

/* ssl-default-bind-options: flag options and ssl-min-ver/ssl-max-ver. */
static int kw_ssl_default_options(struct sema *s, const struct ast_stmt *st)
{
	struct model_tls_bind *d = &s->m->tls_def;

	for (size_t i = 1; i < st->nargs; i++) {
		const struct ast_word *w = &st->args[i];
		int o = kw_tls_arg_opt(w->text);

		if (tls_flag(d, w->text))
			continue;
		if ((o == TLS_O_MIN_VER || o == TLS_O_MAX_VER) &&
		    i + 1 < st->nargs) {
			if (kw_tls_apply(s, d, o, w, &st->args[i + 1]) < 0)
				return -1;
			i++;
			continue;
		}
		kw_report_uncompiled(s, w, st->nargs - i, KW_SEC_BIND,
		                     "ssl-default-bind-options");
		return -1;
	}
	return 0;
}

static int kw_ssl_default_list(struct sema *s, const struct ast_stmt *st)
{
	struct model_tls_bind *d = &s->m->tls_def;
	const char *k = st->args[0].text + strlen("ssl-default-bind-");
	int o = kw_tls_arg_opt(k);

	if (o < 0)
		return 0;
	if (o == TLS_O_CIPHERS || o == TLS_O_CURVES || o == TLS_O_ECDHE ||
	    o == TLS_O_SIGALGS) {
		/* checked where a bind takes it (kw_ssl_bind_finish), as
		 * HAProxy applies a default only to the binds using it */
		char **dst = o == TLS_O_CIPHERS ? &d->ciphers :
		             o == TLS_O_SIGALGS ? &d->sigalgs : &d->curves;

		return set_str(s, dst, st->args[1].text);
	}
	return kw_tls_apply(s, d, o, &st->args[0], &st->args[1]);
}

/* crt-base, ca-base: files.c resolves names under them; each is given
 * once. */
static int kw_ssl_base(struct sema *s, const struct ast_stmt *st)
{
	int crt = !strcmp(st->args[0].text, "crt-base");
	uint32_t *seen = crt ? &s->m->crt_base_line : &s->m->ca_base_line;

	if (*seen) {
		/* HAProxy refuses a second one */
		diag_error(s->dc, &st->args[0].loc, "not-allowed",
		           "'%s' already specified at line %u", st->args[0].text,
		           (unsigned)*seen);
		return -1;
	}
	*seen = st->args[0].loc.line;
	return 0;
}

static int kw_ssl_tune(struct sema *s, const struct ast_stmt *st)
{
	const char *k = st->args[0].text;
	const struct ast_word *v = &st->args[1];
	char err[200] = "expects at least one second";
	size_t col;
	uint64_t n;
	uint32_t ms = 0;

	if (!strcmp(k, "tune.ssl.cachesize")) {
		if (units_parse_uint_msg(v->text, 0, UINT32_MAX, &n, err,
		                         sizeof(err), &col) < 0) {
			diag_error(s->dc, &v->loc, "invalid-value",
			           "'%s': %s", k, err);
			return -1;
		}
		s->m->tls_cachesize = (uint32_t)n;
		s->m->tls_cachesize_set = 1;
	} else if (!strcmp(k, "tune.ssl.lifetime")) {
		if (units_parse_time_msg(v->text, 1000, &ms, err, sizeof(err),
		                         &col) < 0 || ms < 1000) {
			diag_error(s->dc, &v->loc, "invalid-value",
			           "'%s': %s", k, err);
			return -1;
		}
		s->m->tls_lifetime = ms / 1000;
		s->m->tls_lifetime_set = 1;
	} else if (!strcmp(k, "tune.ssl.capture-buffer-size")) {
		/* read with atoi() by HAProxy: only a negative number is
		 * refused ("1.5", "1G" and huge values pass) */
		if (atol(v->text) < 0) {
			diag_error(s->dc, &v->loc, "invalid-value",
			           "'%s' expects a positive number, found '%s'", k,
			           v->text);
			return -1;
		}
	} else if (units_parse_uint_msg(v->text, 0, UINT32_MAX, &n, err,
	                                sizeof(err), &col) < 0) {
		/* tune.ssl.default-dh-param (BoringSSL has no DHE) and
		 * tune.ssl.capture-buffer-size (it sizes what the
		 * ssl_fc_cipherlist_* fetches see, which cfgc does not
		 * compile): checked, nothing to run. */
		diag_error(s->dc, &v->loc, "invalid-value", "'%s': %s", k, err);
		return -1;
	}
	return 0;
}

const struct kw_def kw_ssl_global_table[] = {
	{ .name = "crt-base", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = 1, .usage = "<directory>", .parse = kw_ssl_base,
	  .status = KW_COMPILED },
	{ .name = "ca-base", .sections = KW_SEC_GLOBAL, .min_args = 1,
	  .max_args = 1, .usage = "<directory>", .parse = kw_ssl_base,
	  .status = KW_COMPILED },
	{ .name = "ssl-default-bind-options", .sections = KW_SEC_GLOBAL,
	  .min_args = 1, .max_args = KW_ARGS_ANY, .usage = "<option>...",
	  .parse = kw_ssl_default_options, .status = KW_COMPILED },
	{ .name = "ssl-default-bind-ciphers", .sections = KW_SEC_GLOBAL,
	  .min_args = 1, .max_args = 1, .usage = "<ciphers>",
	  .parse = kw_ssl_default_list, .status = KW_COMPILED },
	{ .name = "ssl-default-bind-ciphersuites", .sections = KW_SEC_GLOBAL,
	  .min_args = 1, .max_args = 1, .usage = "<ciphersuites>",
	  .parse = kw_ssl_default_list, .status = KW_COMPILED },
	{ .name = "ssl-default-bind-curves", .sections = KW_SEC_GLOBAL,
	  .min_args = 1, .max_args = 1, .usage = "<curves>",
	  .parse = kw_ssl_default_list, .status = KW_COMPILED },
	{ .name = "ssl-default-bind-sigalgs", .sections = KW_SEC_GLOBAL,
	  .min_args = 1, .max_args = 1, .usage = "<sigalgs>",
	  .parse = kw_ssl_default_list, .status = KW_COMPILED },
	{ .name = "tune.ssl.cachesize", .sections = KW_SEC_GLOBAL,
	  .min_args = 1, .max_args = 1, .usage = "<number>",
	  .parse = kw_ssl_tune, .status = KW_COMPILED },
	{ .name = "tune.ssl.lifetime", .sections = KW_SEC_GLOBAL,
	  .min_args = 1, .max_args = 1, .usage = "<timeout>",
	  .parse = kw_ssl_tune, .status = KW_COMPILED },
	{ .name = "tune.ssl.default-dh-param", .sections = KW_SEC_GLOBAL,
	  .min_args = 1, .max_args = 1, .usage = "<number>",
	  .parse = kw_ssl_tune, .status = KW_COMPILED },
	{ .name = "tune.ssl.capture-buffer-size", .sections = KW_SEC_GLOBAL,
	  .min_args = 1, .max_args = 1, .usage = "<number>",
	  .parse = kw_ssl_tune, .status = KW_COMPILED },
};
const size_t kw_ssl_global_count =
	sizeof(kw_ssl_global_table) / sizeof(kw_ssl_global_table[0]);

uint32_t kw_ssl_cachesize(const struct model *m)
{
	return m->tls_cachesize_set ? m->tls_cachesize : TLS_DEF_CACHESIZE;
}

uint32_t kw_ssl_lifetime(const struct model *m)
{
	return m->tls_lifetime_set ? m->tls_lifetime : TLS_DEF_LIFETIME;
}
