/*
 * parse.c: cfg_parse_file() and cfg_parse_buffer(): set up the scanner,
 * run the parser, and file each statement in its section.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "diag.h"
#include "line.h"
#include "parse.h"
#include "parser.h"
#include "pctx.h"
#include "reader.h"
#include "scan.h"

/* Every section keyword of HAProxy 3.5 (manual sections 3, 4, 6, 10, 11,
 * 12). "program" was removed in 3.3 and is not a section any more. */
static const struct {
	const char *name;
	enum ast_section_kind kind;
} parse_sections[] = {
	{ .name = "global",      .kind = AST_SEC_GLOBAL },
	{ .name = "defaults",    .kind = AST_SEC_DEFAULTS },
	{ .name = "frontend",    .kind = AST_SEC_FRONTEND },
	{ .name = "backend",     .kind = AST_SEC_BACKEND },
	{ .name = "listen",      .kind = AST_SEC_LISTEN },
	{ .name = "userlist",    .kind = AST_SEC_OTHER },
	{ .name = "peers",       .kind = AST_SEC_OTHER },
	{ .name = "mailers",     .kind = AST_SEC_OTHER },
	{ .name = "resolvers",   .kind = AST_SEC_OTHER },
	{ .name = "http-errors", .kind = AST_SEC_OTHER },
	{ .name = "ring",        .kind = AST_SEC_OTHER },
	{ .name = "log-forward", .kind = AST_SEC_OTHER },
	{ .name = "log-profile", .kind = AST_SEC_OTHER },
	{ .name = "cache",       .kind = AST_SEC_OTHER },
	{ .name = "fcgi-app",    .kind = AST_SEC_OTHER },
	{ .name = "crt-store",   .kind = AST_SEC_OTHER },
	{ .name = "traces",      .kind = AST_SEC_OTHER },
	{ .name = "acme",        .kind = AST_SEC_OTHER },
	{ .name = "healthcheck", .kind = AST_SEC_OTHER },
};

int pctx_section_kind(const char *word, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(parse_sections) / sizeof(parse_sections[0]); i++)
		if (strlen(parse_sections[i].name) == len &&
		    memcmp(parse_sections[i].name, word, len) == 0)
			return (int)parse_sections[i].kind;
	return -1;
}

static struct ast_section *parse_new_section(struct pctx *pc,
                                             enum ast_section_kind kind)
{
	struct ast_section *sec = calloc(1, sizeof(*sec));

	if (!sec)
		return NULL;
	sec->kind = kind;
	if (pc->cfg->last)
		pc->cfg->last->next = sec;
	else
		pc->cfg->sections = sec;
	pc->cfg->last = sec;
	pc->sec = sec;
	return sec;
}

void pctx_add_stmt(struct pctx *pc, struct ast_stmt *st)
{
	const struct ast_word *a0;
	struct ast_section *sec;
	int kind;

	if (!st) {
		diag_error(pc->dc, NULL, "no-memory", "out of memory while parsing");
		return;
	}
	a0 = &st->args[0];
	kind = pctx_section_kind(a0->text, a0->len);
	if (kind >= 0) {
		const struct ast_word *nm = st->nargs > 1 && st->args[1].len ?
		                            &st->args[1] : a0;
		char *name = strdup(nm->text);

		sec = parse_new_section(pc, (enum ast_section_kind)kind);
		if (!sec || !name) {
			free(name);
			ast_stmt_free(st);
			diag_error(pc->dc, &a0->loc, "no-memory", "out of memory");
			return;
		}
		sec->header = st;
		free(pc->section_name);
		pc->section_name = name;
	} else {
		sec = pc->sec ? pc->sec : parse_new_section(pc, AST_SEC_NONE);
		if (!sec) {
			ast_stmt_free(st);
			diag_error(pc->dc, &a0->loc, "no-memory", "out of memory");
			return;
		}
		if (sec->last)
			sec->last->next = st;
		else
			sec->stmts = st;
		sec->last = st;
	}
	if (pc->hooks && pc->hooks->on_stmt)
		pc->hooks->on_stmt(pc->hooks->ud, sec, st);
}

int cfg_yyparse(struct pctx *pc);

int cfg_parse_buffer(struct diag_ctx *dc, const char *name, char *text,
                     size_t len, struct ast_config *cfg,
                     const struct parse_hooks *hooks)
{
	struct pctx pc;
	uint32_t file;

	file = diag_add_file(dc, name, text, len);
	if (file == UINT32_MAX) {
		diag_error(dc, NULL, "no-memory", "%s: out of memory", name);
		return -1;
	}
	memset(&pc, 0, sizeof(pc));
	pc.dc = dc;
	pc.file = file;
	pc.path = dc->files[file].path;
	pc.text = dc->files[file].text;
	pc.len = dc->files[file].len;
	pc.cfg = cfg;
	pc.hooks = hooks;
	if (scan_open(&pc) == 0) {
		ast_oom_clear();
		cfg_yyparse(&pc);
		scan_close(&pc);
	}
	reader_release(&pc);
	free(pc.toks);
	line_release(&pc);
	free(pc.section_name);
	return 0;
}

int cfg_parse_file(struct diag_ctx *dc, const char *path,
                   struct ast_config *cfg, const struct parse_hooks *hooks)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL, *p;
	size_t len = 0, cap = 0, n;

	if (!f) {
		diag_error(dc, NULL, "cannot-read", "cannot open '%s': %s", path,
		           strerror(errno));
		return -1;
	}
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			p = realloc(text, cap + 1);
			if (!p) {
				free(text);
				fclose(f);
				diag_error(dc, NULL, "no-memory", "cannot read '%s': out of "
				           "memory", path);
				return -1;
			}
			text = p;
		}
		n = fread(text + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
		if (len > CFG_FILE_MAX) {
			free(text);
			fclose(f);
			diag_error(dc, NULL, "cannot-read", "cannot read '%s': larger "
			           "than %u MiB", path, CFG_FILE_MAX >> 20);
			return -1;
		}
	}
	if (ferror(f)) {
		int e = errno;

		free(text);
		fclose(f);
		diag_error(dc, NULL, "cannot-read", "cannot read '%s': %s", path,
		           strerror(e));
		return -1;
	}
	fclose(f);
	text[len] = '\0';
	return cfg_parse_buffer(dc, path, text, len, cfg, hooks);
}
