/*
 * files.h: every file a configuration names goes through files_ref(),
 * which checks it now (common/precond.h) or, under --hermetic, records it
 * in the model as a precondition that cfgrun checks when it starts.
 */
#ifndef HAPC_FILES_H
#define HAPC_FILES_H

#include <stdio.h>

#include "ast-t.h"
#include "crt_store.h"
#include "plan-t.h"
#include "sema-t.h"

#define FILES_PATH_MAX 4096         /* bytes of a resolved path */

/* Where relative file names are looked up, from the global section. */
struct files {
	struct sema *s;
	const char *crt_base;       /* global crt-base, or NULL */
	const char *ca_base;        /* global ca-base, or NULL */
	const char *key_base;       /* the last key-base seen (global, then
	                               crt-store), or NULL */
	const char *default_path;   /* "current" (default), "config",
	                               "parent" or "origin" */
	const char *origin;         /* default-path origin DIR, or NULL */
	char *cfg_dir;              /* directory of the first file, owned */
	int crt_store;              /* 1: a crt-store section exists (it may
	                               give the keys of certificates) */
	struct crt_store store;     /* its load lines */
};

/* Read crt-base, ca-base and default-path of `cfg`. files_free() after. */
void files_init(struct files *f, struct sema *s, const struct ast_config *cfg);
void files_free(struct files *f);

/*
 * The file named by `w`, written after `keyword` ("crt", "errorfile",
 * "-f"), is a file of `kind`; `base` is the crt-base or ca-base that
 * applies, or NULL. Paths starting with '@' (crt-store references, named
 * defaults such as @system-ca) are not files and are skipped.
 * Without --hermetic: the file is found as HAProxy may find it (from the
 * current directory, under `base`, under the directories default-path may
 * choose) and checked; a problem is an error at `w` (missing-file,
 * unreadable-file, bad-pem, bad-errorfile, not-text-file).
 * With --hermetic: nothing is read; the resolved absolute path is recorded
 * in the model's preconditions.
 */
void files_ref(struct files *f, const struct ast_word *w, const char *keyword,
               enum plan_precond_kind kind, const char *base);

/*
 * Where the file `name` of `kind` (under `base` when relative) is, as
 * files_ref() finds it, into `path` (FILES_PATH_MAX bytes): 0 found and
 * checked, 1 under --hermetic (path resolved, not read: the caller must
 * not read it), -1 not found or unusable. Reports nothing: files_ref(),
 * called on the same word by the cross-reference pass, says why.
 */
int files_find(struct files *f, const char *name,
               enum plan_precond_kind kind, const char *base, char *path);

/* The same for the file name `name` written inside the word `w`
 * (an argument of a converter such as map(FILE)): the diagnostic points at
 * `w`. */
void files_ref_in(struct files *f, const struct ast_word *w,
                  const char *name, const char *keyword,
                  enum plan_precond_kind kind, const char *base);

/*
 * The files statement `st` names outside bind and server options,
 * errorfile and crt-store (which the cross-reference pass hands to
 * files_ref itself): global lua-load, lua-load-per-thread,
 * ssl-dh-param-file, h1-case-adjust-file and data files of device
 * detection; ACL pattern files (-f, in acl lines and anonymous ACLs);
 * map files of map*() converters in any word; files of return and
 * http-error rules (errorfile, file, lf-file).
 */
void files_stmt(struct files *f, const struct ast_stmt *st);

/* Open `path` for reading only if it is a regular file, never blocking
 * (a FIFO or device swapped in is refused): NULL otherwise. */
FILE *files_open_regular(const char *path);

/*
 * Where the file `name` of `kind` is, found as files_ref() finds it, into
 * `found` (FILES_PATH_MAX bytes), for a caller that reads it at compile
 * time (map and pattern files). 0, or -1 when it is missing or unreadable
 * (files_stmt() says why) or under --hermetic (nothing is read then).
 */
int files_find_data(struct files *f, const char *name,
                    enum plan_precond_kind kind, char *found);

/*
 * Read the error page file named by `w` (errorfile): found as files_ref()
 * finds files, read whole (at most FILES_ERRORFILE_MAX bytes), to be
 * embedded in the plan. /dev/null and empty files give an empty body.
 * On success *body (malloc'd, NULL when empty), *len and `path`
 * (FILES_PATH_MAX bytes: where it was found) are set and 0 is returned.
 * Under --hermetic nothing is read: the file is recorded as a
 * precondition, `path` gets its resolved name and 1 is returned (cfgrun
 * loads it). Otherwise an error is queued at `w` and -1 returned.
 */
#define FILES_ERRORFILE_MAX (1u << 20)
int files_read_errorfile(struct files *f, const struct ast_word *w,
                         char **body, size_t *len, char *path);

/* The same for any file read whole into the plan, named by `w` after
 * `keyword` ("file", "lf-file" of a return rule), whose messages name
 * `keyword`. A non-empty *body is NUL-terminated after its *len bytes
 * (an lf-file is parsed as a string). */
int files_read_whole(struct files *f, const struct ast_word *w,
                     const char *keyword, char **body, size_t *len,
                     char *path);

/* A crt-store `load` line: crt (under `crt_base`), key (under the
 * key-base), issuer, ocsp, sctl. */
void files_load(struct files *f, const struct ast_stmt *st,
                const char *crt_base);

#endif /* HAPC_FILES_H */
