/*
 * parse.h: the grammar's one entry point.
 */
#ifndef HAPC_PARSE_H
#define HAPC_PARSE_H

#include "ast-t.h"
#include "diag-t.h"

/*
 * Called by the parser for each statement as soon as its line is complete,
 * before the next line is read. The compiler uses it for statements that
 * change how later lines read (setenv, presetenv, unsetenv, resetenv in
 * global). It must not keep `stmt` beyond the AST's life.
 */
struct parse_hooks {
	void (*on_stmt)(void *ud, const struct ast_section *sec,
	                const struct ast_stmt *stmt);
	void *ud;
};

/*
 * Read `path` (kept in `dc` for diagnostics), lex and parse it, and append
 * its sections to `cfg`. Each file starts outside any section. Errors are
 * queued in `dc`; the parser resynchronises at the next line and keeps going.
 * Returns 0 when the file was read (even with errors queued), -1 when it
 * could not be read at all (also queued). A FIFO is read as HAProxy reads
 * one (so `-f <(...)` works); any input is read to CFG_FILE_MAX bytes at
 * most, so a device such as /dev/zero is refused instead of exhausting
 * memory.
 */
#define CFG_FILE_MAX (64u << 20)     /* bytes of one configuration file */

int cfg_parse_file(struct diag_ctx *dc, const char *path,
                   struct ast_config *cfg, const struct parse_hooks *hooks);

/* Same, on text already in memory; takes ownership of `text` (malloc'd, NUL
 * terminated). `name` is used in diagnostics. */
int cfg_parse_buffer(struct diag_ctx *dc, const char *name, char *text,
                     size_t len, struct ast_config *cfg,
                     const struct parse_hooks *hooks);

/* Free everything the parser built in `cfg` (not `cfg` itself). */
void ast_config_free(struct ast_config *cfg);

/* The version cfgc claims for .if version_atleast/version_before. */
#define CFG_COMPAT_VERSION "3.5.0"

#endif /* HAPC_PARSE_H */
