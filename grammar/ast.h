/*
 * ast.h: constructors and destructors for the tree of ast-t.h.
 *
 * The parser builds statements bottom-up: a token arrives as a heap
 * `struct ast_word`, is appended (moved) into a statement or an inline ACL,
 * and terms are appended (moved) into AND-runs, AND-runs into conditions.
 * "Append" functions take ownership of their argument whatever happens;
 * on allocation failure they set the container's `oom` state so the caller
 * can report it once (see ast_oom()).
 */
#ifndef HAPC_AST_H
#define HAPC_AST_H

#include <stddef.h>
#include "ast-t.h"

/* A word owning a copy of `len` bytes of `text` (NULL on no memory). */
struct ast_word *ast_word_new(const struct src_loc *loc, const char *text,
                              size_t len, uint32_t flags);
void ast_word_free(struct ast_word *w);

/* A statement whose first argument is `first` (consumed). */
struct ast_stmt *ast_stmt_new(struct ast_word *first);
void ast_stmt_add_arg(struct ast_stmt *st, struct ast_word *w);
void ast_stmt_set_cond(struct ast_stmt *st, struct ast_cond *cond);
void ast_stmt_free(struct ast_stmt *st);

/* An empty condition of `kind` whose keyword sits at `loc`. */
struct ast_cond *ast_cond_new(const struct src_loc *loc,
                              enum ast_cond_kind kind);
void ast_cond_add_alt(struct ast_cond *c, struct ast_and *alt);
void ast_cond_free(struct ast_cond *c);

/* An AND-run starting with `first` (consumed). */
struct ast_and *ast_and_new(struct ast_term *first);
void ast_and_add(struct ast_and *a, struct ast_term *t);
void ast_and_free(struct ast_and *a);

/*
 * A named ACL term. Leading '!' characters of the name are removed and each
 * one toggles the negation, as HAProxy reads "!acl".
 */
struct ast_term *ast_term_new_acl(const struct src_loc *loc,
                                  struct ast_word *name);
/* An inline ACL term holding `first` (consumed); more words are added with
 * ast_term_add_word(). */
struct ast_term *ast_term_new_inline(struct ast_word *first);
void ast_term_add_word(struct ast_term *t, struct ast_word *w);
/* Toggle the negation and widen the location to `loc`. */
void ast_term_negate(struct ast_term *t, const struct src_loc *loc);
/* Set the whole term's location (braces included). */
void ast_term_set_loc(struct ast_term *t, const struct src_loc *loc);
void ast_term_free(struct ast_term *t);

/* 1 once any constructor failed to allocate memory (sticky, process-wide
 * per thread); cleared by ast_oom_clear(). */
int ast_oom(void);
void ast_oom_clear(void);

/* Free a section list (headers, statements, conditions). */
void ast_section_free(struct ast_section *sec);

#endif /* HAPC_AST_H */
