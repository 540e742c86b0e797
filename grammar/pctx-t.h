/*
 * pctx-t.h: the state of one file being parsed, shared by the scanner
 * (as its extra data), the line reader, the directive evaluator and the
 * parser (as its parameter). Other stages never see it.
 */
#ifndef HAPC_PCTX_T_H
#define HAPC_PCTX_T_H

#include <stddef.h>
#include <stdint.h>
#include "ast-t.h"
#include "diag-t.h"

struct parse_hooks;

/* HAProxy refuses lines with more words than this (MAX_LINE_ARGS). */
#define PCTX_MAX_WORDS 64
/* The most bytes the words of one line may hold once variables are
 * expanded: `setenv A "${A}${A}"` repeated doubles A on every line, and
 * nothing else would stop it (HAProxy grows its line buffer until memory
 * runs out). Far above any real line, which the bound never touches: it
 * applies only to what expansions add. */
#define PCTX_MAX_EXPANDED_LINE (1u << 20)
/* HAProxy's limit of nested .if blocks (MAXNESTEDCONDS): an .if opening
 * level 100 is refused. */
#define PCTX_MAX_NESTED_IF 100

/* lex_word.flags bit beside the AST_W_* ones: the word so far is only an
 * empty "${VAR[*]}" expansion, which makes no word at all in HAProxy
 * (while "" is an empty one): dropped if it is still empty when it ends. */
#define LEX_W_VANISH 0x80000000u

/* A word of the line being scanned: bytes live in lex_line.buf. */
struct lex_word {
	size_t off;                /* byte offset of the text in lex_line.buf */
	size_t len;                /* bytes */
	struct src_loc loc;        /* span as written */
	uint32_t flags;            /* AST_W_* */
};

/* One physical line, cut into words by the scanner. */
struct lex_line {
	char *buf;                 /* word bytes, back to back, owned */
	size_t blen, bcap;         /* bytes used / allocated */
	struct lex_word *words;    /* owned; the last one is open while `open` */
	size_t nwords, wcap;       /* words used / allocated */
	int open;                  /* 1: words[nwords-1] still receives bytes */
	int errored;               /* 1: a lexical error was reported, drop it */
	int missing_lf;            /* 1: the file ended without a newline */
	int nul_reported;          /* 1: a stray NUL was already reported */
	int finished;              /* 1: the content ended (comment, CR, NUL) */
	uint32_t lineno;           /* 1-based */
	uint32_t eol_col;          /* column just after the line's content */
	uint32_t quote_col;        /* column of the open quote, 0 = none */
	uint32_t exp_col;          /* column where the current ${...} began */
};

/* State of one level of .if nesting. */
enum cond_state {
	COND_TAKE      = 0,        /* this branch is being read */
	COND_DROP      = 1,        /* false so far, a later branch may be taken */
	COND_DONE      = 2,        /* a branch was taken, skip the rest */
	COND_SKIP      = 3,        /* the whole block sits in a false branch */
};

struct cond_level {
	enum cond_state state;
	int seen_else;             /* 1 after .else */
	struct src_loc if_loc;     /* where the .if was */
};

/* A token waiting for the parser. */
struct pctx_token {
	int kind;                  /* parser token kind (WORD, IF, ..., EOL) */
	struct ast_word *word;     /* owned, NULL for EOL */
	struct src_loc loc;
};

struct pctx {
	struct diag_ctx *dc;
	uint32_t file;             /* index in dc->files */
	const char *path;          /* for .FILE */
	const char *text;          /* whole file, kept by dc */
	size_t len;                /* bytes of text */
	void *scanner;             /* flex scanner (yyscan_t) */

	/* scanner position */
	uint32_t line;             /* 1-based line being scanned */
	uint32_t col;              /* 1-based column of the next byte */
	struct lex_line cur;       /* line being built */
	int at_eof;                /* the scanner returned end of input */

	/* conditional blocks */
	struct cond_level conds[PCTX_MAX_NESTED_IF];
	unsigned nconds;           /* levels in use */
	unsigned nconds_over;      /* levels beyond the limit (all skipped) */

	/* tokens of the current line, handed out in order */
	struct pctx_token *toks;   /* owned */
	size_t ntoks, tpos, tcap;  /* count / next to hand out / allocated */
	struct src_loc lbrace_loc; /* last unquoted '{' of the line, line 0 = none */
	uint32_t last_line;        /* last line number seen (for end of file) */

	/* parser output */
	struct ast_config *cfg;
	struct ast_section *sec;   /* section receiving statements, NULL before the first */
	char *section_name;        /* for .SECTION, owned, NULL = "" */
	const struct parse_hooks *hooks;
};

#endif /* HAPC_PCTX_T_H */
