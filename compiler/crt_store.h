/*
 * crt_store.h: the certificates `crt-store` sections load, and the names
 * a bind's `crt` finds them by. A `load` line names a certificate file
 * (under the section's crt-base), optionally its key (under the
 * section's key-base) and an alias; a bind refers to it as
 * "@STORE/ALIAS" or "@STORE/CRT" ("@/..." for the unnamed store), or by
 * its CRT word alone when the store has no name. cfgc reads the files
 * when it compiles, so the plan holds the certificate and key as for any
 * other `crt`.
 */
#ifndef HAPC_CRT_STORE_H
#define HAPC_CRT_STORE_H

#include <stddef.h>

#include "ast-t.h"

/* One `load` line. Strings point into the AST. */
struct crt_store_load {
	const char *store;          /* the section's name, NULL: unnamed */
	const char *crt;            /* the crt word, as written */
	const char *key;            /* the key word, or NULL */
	const char *alias;          /* the alias word, or NULL */
	const char *crt_base;       /* the section's crt-base, or NULL */
	const char *key_base;       /* the section's key-base, or NULL */
	const struct ast_stmt *st;  /* the line */
};

struct crt_store {
	struct crt_store_load *loads;   /* malloc'd, in file order */
	size_t n;
};

/* Collect the load lines of every crt-store section of cfg. 0, or -1
 * when out of memory. crt_store_free() after. */
int crt_store_init(struct crt_store *cs, const struct ast_config *cfg);
void crt_store_free(struct crt_store *cs);

/*
 * The load line a bind's `crt NAME` refers to: "@STORE/X" is the line
 * of the store named STORE (empty: the unnamed store) whose alias or crt
 * word is X; a NAME without '@' is the unnamed store's line whose crt
 * word is NAME. NULL when none (a NAME without '@' is then a file).
 */
const struct crt_store_load *crt_store_find(const struct crt_store *cs,
                                            const char *name);

#endif /* HAPC_CRT_STORE_H */
