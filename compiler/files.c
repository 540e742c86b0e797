/*
 * files.c: the one door for files a configuration names. Each reference
 * is resolved as HAProxy resolves it, then checked with the checks cfgrun
 * applies to a plan's preconditions (common/precond.c), or recorded as a
 * precondition under --hermetic.
 */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "files.h"
#include "model.h"
#include "precond.h"


/* The diagnostic code of each failed check (codes only: diag-codes.py
 * reads this table). */
static const struct {
	const char *code;
} files_codes[PRECOND_RESULT_MAX] = {
	[PRECOND_OK]           = { "missing-file" },
	[PRECOND_MISSING]      = { "missing-file" },
	[PRECOND_UNREADABLE]   = { "unreadable-file" },
	[PRECOND_BAD_PEM]      = { "bad-pem" },
	[PRECOND_BAD_RESPONSE] = { "bad-errorfile" },
	[PRECOND_NOT_TEXT]     = { "not-text-file" },
};

void files_init(struct files *f, struct sema *s, const struct ast_config *cfg)
{
	memset(f, 0, sizeof(*f));
	f->s = s;
	f->default_path = "current";
	if (s->dc->nfiles > 0 && (f->cfg_dir = strdup(s->dc->files[0].path))) {
		char *slash = strrchr(f->cfg_dir, '/');

		if (slash == f->cfg_dir)
			slash[1] = 0;
		else if (slash)
			*slash = 0;
		else
			strcpy(f->cfg_dir, ".");
	}
	if (!f->cfg_dir && !(f->cfg_dir = strdup(".")))
		s->oom = 1;
	if (crt_store_init(&f->store, cfg) < 0)
		s->oom = 1;
	for (const struct ast_section *sec = cfg->sections; sec; sec = sec->next) {
		if (sec->kind == AST_SEC_OTHER && sec->header->nargs &&
		    !strcmp(sec->header->args[0].text, "crt-store"))
			f->crt_store = 1;
		if (sec->kind != AST_SEC_GLOBAL)
			continue;
		for (const struct ast_stmt *st = sec->stmts; st; st = st->next) {
			const char *k = st->nargs ? st->args[0].text : "";

			if (!strcmp(k, "crt-base") && st->nargs > 1)
				f->crt_base = st->args[1].text;
			else if (!strcmp(k, "ca-base") && st->nargs > 1)
				f->ca_base = st->args[1].text;
			else if (!strcmp(k, "key-base") && st->nargs > 1)
				f->key_base = st->args[1].text;
			else if (!strcmp(k, "default-path") && st->nargs > 1) {
				f->default_path = st->args[1].text;
				f->origin = st->nargs > 2 &&
				            !strcmp(f->default_path, "origin") ?
				            st->args[2].text : NULL;
			}
		}
	}
}

void files_free(struct files *f)
{
	crt_store_free(&f->store);
	free(f->cfg_dir);
	f->cfg_dir = NULL;
}

/* dir/p into out (p alone when dir is NULL or p is absolute); 0 or -1
 * when too long. */
static int files_join(char *out, const char *dir, const char *p)
{
	int n;

	if (!dir || !dir[0] || p[0] == '/')
		n = snprintf(out, FILES_PATH_MAX, "%s", p);
	else
		n = snprintf(out, FILES_PATH_MAX, "%s/%s", dir, p);
	return n < 0 || n >= FILES_PATH_MAX ? -1 : 0;
}

/* The directory default-path makes relative names start from: NULL for
 * the current directory. */
static const char *files_start_dir(const struct files *f, char *buf)
{
	if (!strcmp(f->default_path, "config"))
		return f->cfg_dir;
	if (!strcmp(f->default_path, "parent") &&
	    files_join(buf, f->cfg_dir, "..") == 0)
		return buf;
	if (!strcmp(f->default_path, "origin"))
		return f->origin;
	return NULL;
}

/* HAProxy's one resolution of `p`: under `base` when relative and a base
 * is set, from the default-path directory when still relative; then made
 * absolute from cfgc's current directory. 0, or -1 when too long. */
static int files_resolve(const struct files *f, const char *base,
                         const char *p, char *out)
{
	char start[FILES_PATH_MAX], rel[FILES_PATH_MAX], tmp[FILES_PATH_MAX];
	const char *dir = files_start_dir(f, start);

	if (base && p[0] != '/') {
		if (files_join(tmp, base, p) < 0)
			return -1;
		p = tmp;
	}
	if (files_join(rel, dir, p) < 0)
		return -1;
	if (rel[0] == '/')
		return files_join(out, NULL, rel);
	if (!getcwd(tmp, sizeof(tmp)))
		return -1;
	return files_join(out, tmp, rel[0] == '.' && rel[1] == '/' ? rel + 2
	                                                          : rel);
}

/*
 * Check `p` where HAProxy may find it: the resolution above first, then
 * (leniently, as configurations are often checked from elsewhere than
 * where they run) from the current directory, the configuration's
 * directory, its parent and the origin, with and without the base. The
 * first place where the file exists decides; `found` gets that path.
 */
static enum precond_result files_check(const struct files *f,
                                       enum plan_precond_kind kind,
                                       const char *base, const char *p,
                                       char *found, char *why, size_t len)
{
	char parent[FILES_PATH_MAX], bdir[FILES_PATH_MAX];
	const char *dirs[4];
	size_t nd = 0;
	enum precond_result r;

	if (files_resolve(f, base, p, found) == 0 &&
	    (r = precond_check(kind, found, why, len)) != PRECOND_MISSING)
		return r;
	dirs[nd++] = NULL;
	dirs[nd++] = f->cfg_dir;
	if (files_join(parent, f->cfg_dir, "..") == 0)
		dirs[nd++] = parent;
	if (f->origin)
		dirs[nd++] = f->origin;
	for (size_t i = 0; i < nd; i++) {
		for (int with_base = base ? 1 : 0; with_base >= 0; with_base--) {
			if (with_base) {
				if (files_join(bdir, dirs[i], base) < 0 ||
				    files_join(found, bdir, p) < 0)
					continue;
			} else if (files_join(found, dirs[i], p) < 0) {
				continue;
			}
			r = precond_check(kind, found, why, len);
			if (r != PRECOND_MISSING)
				return r;
		}
	}
	return PRECOND_MISSING;
}

/* Record `p` for cfgrun. */
static void files_record(struct files *f, const struct ast_word *w,
                         const char *p, const char *keyword,
                         enum plan_precond_kind kind, const char *base)
{
	struct sema *s = f->s;
	struct model_precond *mp;
	char path[FILES_PATH_MAX];
	const char *src = w->loc.file < s->dc->nfiles ?
	                  s->dc->files[w->loc.file].path : "";

	if (files_resolve(f, base, p, path) < 0) {
		diag_error(s->dc, &w->loc, "unreadable-file",
		           "'%s': the path '%s' is too long to record (at most %d "
		           "bytes once resolved)", keyword, p, FILES_PATH_MAX - 1);
		return;
	}
	for (size_t i = 0; i < s->m->npreconds; i++)
		if (s->m->preconds[i].kind == (uint32_t)kind &&
		    !strcmp(s->m->preconds[i].path, path))
			return;         /* checked once is enough */
	mp = model_add_precond(s->m);
	if (!mp) {
		s->oom = 1;
		return;
	}
	mp->kind = (uint32_t)kind;
	mp->line = w->loc.line ? w->loc.line : 1;
	mp->col = w->loc.col ? w->loc.col : 1;
	mp->path = strdup(path);
	mp->source = strdup(src);
	mp->keyword = strdup(keyword);
	if (!mp->path || !mp->source || !mp->keyword)
		s->oom = 1;
}

void files_ref_in(struct files *f, const struct ast_word *w,
                  const char *name, const char *keyword,
                  enum plan_precond_kind kind, const char *base)
{
	char found[FILES_PATH_MAX], why[256];
	enum precond_result r;

	if (!name[0] || name[0] == '@' || f->s->oom)
		return;
	if (f->s->hermetic) {
		files_record(f, w, name, keyword, kind, base);
		return;
	}
	r = files_check(f, kind, base, name, found, why, sizeof(why));
	if (r == PRECOND_OK)
		return;
	if (r == PRECOND_MISSING)
		diag_error(f->s->dc, &w->loc, files_codes[r].code,
		           "'%s': cannot find the %s '%s'%s%s%s", keyword,
		           precond_kind_name(kind), name,
		           base ? " (looked under '" : "", base ? base : "",
		           base ? "' too)" : "");
	else
		diag_error(f->s->dc, &w->loc, files_codes[r].code,
		           "'%s': %s '%s': %s", keyword, precond_kind_name(kind),
		           found, why);
	if (r == PRECOND_MISSING && !f->s->hermetic)
		diag_hint(f->s->dc, "to check a configuration without its "
		          "files, use --hermetic: cfgrun then checks them when it "
		          "starts");
}

/*
 * Open `path` for reading only when it is a regular file, without ever
 * blocking: the check before can be raced by a FIFO swapped in, and
 * opening a FIFO with no writer would hang cfgc. NULL on failure.
 */
FILE *files_open_regular(const char *path)
{
	struct stat st;
	FILE *fp;
	int fd, fl;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (fl = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0 ||
	    !(fp = fdopen(fd, "rb"))) {
		close(fd);
		return NULL;
	}
	return fp;
}

int files_find_data(struct files *f, const char *name,
                    enum plan_precond_kind kind, char *found)
{
	if (f->s->hermetic || !name[0] || name[0] == '@')
		return -1;
	return files_find(f, name, kind, NULL, found) == 0 ? 0 : -1;
}

int files_read_errorfile(struct files *f, const struct ast_word *w,
                         char **body, size_t *len, char *path)
{
	return files_read_whole(f, w, "errorfile", body, len, path);
}

int files_read_whole(struct files *f, const struct ast_word *w,
                     const char *keyword, char **body, size_t *len,
                     char *path)
{
	const char *what = strcmp(keyword, "errorfile") ? "file" : "error file";
	char why[256];
	enum precond_result r;
	FILE *fp;
	char *buf;
	size_t n;

	*body = NULL;
	*len = 0;
	if (!strcmp(w->text, "/dev/null")) {
		strcpy(path, "/dev/null");
		return 0;
	}
	if (f->s->hermetic) {
		files_record(f, w, w->text, keyword, PLAN_PRE_ERRORFILE, NULL);
		if (files_resolve(f, NULL, w->text, path) < 0)
			return -1;      /* files_record said it */
		return 1;
	}
	r = files_check(f, PLAN_PRE_DATA, NULL, w->text, path, why, sizeof(why));
	if (r == PRECOND_MISSING) {
		diag_error(f->s->dc, &w->loc, files_codes[r].code,
		           "'%s': cannot find the %s '%s'", keyword, what,
		           w->text);
		return -1;
	}
	if (r != PRECOND_OK || !(fp = files_open_regular(path))) {
		diag_error(f->s->dc, &w->loc, "unreadable-file",
		           "'%s': %s '%s': %s", keyword, what, path,
		           r != PRECOND_OK ? why :
		           "cannot be opened as a regular file");
		return -1;
	}
	buf = malloc(FILES_ERRORFILE_MAX + 1);
	n = buf ? fread(buf, 1, FILES_ERRORFILE_MAX + 1, fp) : 0;
	if (!buf || ferror(fp) || n > FILES_ERRORFILE_MAX) {
		diag_error(f->s->dc, &w->loc, "unreadable-file",
		           "'%s': %s '%s': %s", keyword, what, path,
		           !buf ? "out of memory" : ferror(fp) ? "read error" :
		           "larger than 1 MiB");
		fclose(fp);
		free(buf);
		return -1;
	}
	fclose(fp);
	if (!n) {
		free(buf);
		buf = NULL;
	} else {
		buf[n] = '\0'; /* n <= MAX: callers may read it as a string */
	}
	*body = buf;
	*len = n;
	return 0;
}

int files_find(struct files *f, const char *name,
               enum plan_precond_kind kind, const char *base, char *path)
{
	char why[256];

	if (f->s->hermetic)
		return files_resolve(f, base, name, path) < 0 ? -1 : 1;
	return files_check(f, kind, base, name, path, why, sizeof(why)) ==
	       PRECOND_OK ? 0 : -1;
}

void files_ref(struct files *f, const struct ast_word *w, const char *keyword,
               enum plan_precond_kind kind, const char *base)
{
	files_ref_in(f, w, w->text, keyword, kind, base);
}

/* Global keywords naming a file as their first argument. */
static const struct files_kw {
	const char *name;
	enum plan_precond_kind kind;
} files_global[] = {
	{ "51degrees-data-file",   PLAN_PRE_DATA },
	{ "deviceatlas-json-file", PLAN_PRE_DATA },
	{ "h1-case-adjust-file",   PLAN_PRE_TEXT },
	{ "lua-load",              PLAN_PRE_TEXT },
	{ "lua-load-per-thread",   PLAN_PRE_TEXT },
	{ "ssl-dh-param-file",     PLAN_PRE_PEM },
	{ "wurfl-data-file",       PLAN_PRE_DATA },
};

/* -f FILE pattern files among words[from..n) of an ACL. */
static void files_acl_words(struct files *f, const struct ast_word *w,
                            size_t from, size_t n)
{
	/* flags come first; the first word that is not one starts the
	 * patterns */
	for (size_t i = from; i < n && w[i].text[0] == '-'; i++) {
		const char *o = w[i].text;

		if (!strcmp(o, "--"))
			return;
		if (!strcmp(o, "-f") && i + 1 < n)
			files_ref(f, &w[i + 1], "-f", PLAN_PRE_PATTERNS, NULL);
		if (!strcmp(o, "-f") || !strcmp(o, "-m") || !strcmp(o, "-u"))
			i++;
	}
}

/* map(FILE...), map_str(FILE...), map_ip_int(...) ... inside `w`: a
 * converter name after ',' or at the start, then its first argument. */
static void files_map_word(struct files *f, const struct ast_word *w)
{
	const char *t = w->text;

	for (const char *p = strstr(t, "map"); p; p = strstr(p + 1, "map")) {
		const char *q = p + 3, *end;
		char name[FILES_PATH_MAX];
		size_t len;

		if (p != t && p[-1] != ',' && p[-1] != '[')
			continue;
		while ((*q >= 'a' && *q <= 'z') || *q == '_')
			q++;
		if (*q != '(' || (q != p + 3 && p[3] != '_'))
			continue;
		q++;
		end = q + strcspn(q, ",)");
		len = (size_t)(end - q);
		if (!len || len >= sizeof(name) || *end == '\0')
			continue;
		memcpy(name, q, len);
		name[len] = 0;
		if (strchr(name, '%') || strchr(name, '$'))
			continue;           /* built at run time */
		files_ref_in(f, w, name, "map", PLAN_PRE_PATTERNS, NULL);
	}
}

void files_stmt(struct files *f, const struct ast_stmt *st)
{
	const struct ast_word *w = st->args;
	const char *k = w[0].text;

	for (size_t i = 0; i < sizeof(files_global) / sizeof(files_global[0]); i++)
		if (!strcmp(k, files_global[i].name) && st->nargs > 1)
			files_ref(f, &w[1], k, files_global[i].kind, NULL);
	if (!strcmp(k, "key-base") && st->nargs > 1)
		f->key_base = w[1].text;
	if (!strcmp(k, "acl") && st->nargs > 3)
		files_acl_words(f, w, 3, st->nargs);
	if (st->cond)
		for (size_t a = 0; a < st->cond->nalts; a++)
			for (size_t t = 0; t < st->cond->alts[a].nterms; t++) {
				const struct ast_term *term = &st->cond->alts[a].terms[t];

				if (term->kind == AST_TERM_INLINE)
					files_acl_words(f, term->words, 1, term->nwords);
				for (size_t i = 0; i < term->nwords; i++)
					files_map_word(f, &term->words[i]);
			}
	for (size_t i = 1; i < st->nargs; i++)
		files_map_word(f, &w[i]);
	/* http-request return|deny|tarpit ... errorfile|file|lf-file NAME,
	 * http-error */
	if (!strcmp(k, "http-error") || (st->nargs > 2 &&
	    (!strcmp(w[1].text, "return") || !strcmp(w[1].text, "deny") ||
	     !strcmp(w[1].text, "tarpit")) && (!strcmp(k, "http-request") ||
	                                     !strcmp(k, "http-response") ||
	                                     !strcmp(k, "http-after-response"))))
		for (size_t i = 2; i + 1 < st->nargs; i++) {
			const char *o = w[i].text;

			if (!strcmp(o, "errorfile"))
				files_ref(f, &w[i + 1], o, PLAN_PRE_ERRORFILE, NULL);
			else if (!strcmp(o, "file") || !strcmp(o, "lf-file"))
				files_ref(f, &w[i + 1], o, PLAN_PRE_DATA, NULL);
			else
				continue;
			i++;
		}
}

void files_load(struct files *f, const struct ast_stmt *st,
                const char *crt_base)
{
	for (size_t i = 1; i + 1 < st->nargs; i++) {
		const char *o = st->args[i].text;
		const struct ast_word *v = &st->args[i + 1];

		if (!strcmp(o, "crt"))
			files_ref(f, v, o, PLAN_PRE_CERT, crt_base);
		else if (!strcmp(o, "key"))
			files_ref(f, v, o, PLAN_PRE_PEM, f->key_base);
		else if (!strcmp(o, "issuer"))
			files_ref(f, v, o, PLAN_PRE_PEM, NULL);
		else if (!strcmp(o, "ocsp") || !strcmp(o, "sctl"))
			files_ref(f, v, o, PLAN_PRE_DATA, NULL);
		else
			continue;
		i++;
	}
}
