/*
 * ast-t.h: the tree the parser builds. It is thrown away once the compiler
 * has built its typed model from it.
 *
 * Words are final: quotes removed, escapes decoded, environment variables
 * expanded ("${VAR[*]}" already split into several words), conditional
 * blocks already resolved (words from false .if branches never appear).
 * The grammar knows nothing of keywords beyond the section names and the
 * condition syntax (if/unless, ||/or, !, { ... }).
 */
#ifndef HAPC_AST_T_H
#define HAPC_AST_T_H

#include <stddef.h>
#include <stdint.h>
#include "diag-t.h"

#define AST_W_QUOTED   0x1u  /* some part of the word was quoted */
#define AST_W_EXPANDED 0x2u  /* some part came from a variable */
#define AST_W_ESCAPED  0x4u  /* some part came from a backslash escape */

struct ast_word {
	char *text;                /* owned, NUL terminated */
	size_t len;                /* bytes, may be < strlen if \x00 was used */
	struct src_loc loc;        /* span of the word as written */
	uint32_t flags;            /* AST_W_* */
};

enum ast_term_kind {
	AST_TERM_ACL    = 0,       /* a named ACL: words[0] is the name */
	AST_TERM_INLINE = 1,       /* { fetch args... }: words are the inside */
};

struct ast_term {
	enum ast_term_kind kind;
	int negate;                /* preceded by '!' */
	struct ast_word *words;    /* owned array */
	size_t nwords;
	struct src_loc loc;        /* whole term, '!' and braces included */
};

/* A run of terms that must all match (implicit AND). */
struct ast_and {
	struct ast_term *terms;    /* owned array */
	size_t nterms;
};

enum ast_cond_kind {
	AST_COND_IF     = 0,
	AST_COND_UNLESS = 1,
};

/* if/unless followed by AND-runs separated by '||' or 'or'. An empty
 * condition (nalts == 0) is what `... if` with nothing after gives. */
struct ast_cond {
	enum ast_cond_kind kind;
	struct src_loc loc;        /* the if/unless keyword */
	struct ast_and *alts;      /* owned array */
	size_t nalts;
};

struct ast_stmt {
	struct ast_word *args;     /* owned array; args[0] is the keyword */
	size_t nargs;              /* >= 1 */
	struct ast_cond *cond;     /* owned, NULL when there is none */
	struct src_loc loc;        /* from the first word to the last */
	struct ast_stmt *next;
};

enum ast_section_kind {
	AST_SEC_NONE = 0,          /* statements before any section header */
	AST_SEC_GLOBAL,
	AST_SEC_DEFAULTS,
	AST_SEC_FRONTEND,
	AST_SEC_BACKEND,
	AST_SEC_LISTEN,
	AST_SEC_OTHER,             /* a section HAProxy knows that cfgc does not
	                              compile yet (cache, userlist, ...) */
};

struct ast_section {
	enum ast_section_kind kind;
	struct ast_stmt *header;   /* the header line: args[0] is the section
	                              keyword, args[1] the name if any; NULL for
	                              AST_SEC_NONE */
	struct ast_stmt *stmts;    /* body, in source order */
	struct ast_stmt *last;
	struct ast_section *next;
};

struct ast_config {
	struct ast_section *sections;  /* in source order, across files */
	struct ast_section *last;
};

#endif /* HAPC_AST_T_H */
