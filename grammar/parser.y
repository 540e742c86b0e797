/*
 * parser.y: statements, sections and conditions.
 *
 * A statement is one line of words. The first unquoted `if` or `unless`
 * after the keyword starts a condition that runs to the end of the line:
 * terms separated by '||' or 'or' (alternatives), consecutive terms ANDed,
 * '!' negating the next term, '{ ... }' an inline ACL (every word up to
 * the first '}'). Before the condition, '||', 'or', '!', '{' and '}' are
 * plain arguments.
 *
 * Each statement is handed over (pctx_add_stmt) when its end-of-line token
 * is shifted: that state only reduces, so bison does not read the next
 * token, and the next line is scanned only afterwards.
 */
%define api.pure full
%define api.prefix {cfg_yy}
%define api.token.prefix {TOK_}
%define api.location.type {struct src_loc}
%define parse.error custom
%define parse.lac full
%locations
%expect 0
%parse-param {struct pctx *pc}
%lex-param {struct pctx *pc}

%code requires {
#include "ast-t.h"
#include "diag-t.h"
struct pctx;
}

%code {
#include <stdio.h>
#include <string.h>

#include "ast.h"
#include "diag.h"
#include "pctx-t.h"
#include "pctx.h"
#include "reader.h"

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                       \
	do {                                                              \
		if (N) {                                                  \
			(Cur) = YYRHSLOC(Rhs, 1);                         \
			if (YYRHSLOC(Rhs, N).line == (Cur).line)          \
				(Cur).end_col = YYRHSLOC(Rhs, N).end_col; \
		} else {                                                  \
			(Cur) = YYRHSLOC(Rhs, 0);                         \
			(Cur).col = (Cur).end_col;                        \
		}                                                         \
	} while (0)

static void cfg_yyerror(const struct src_loc *loc, struct pctx *pc,
                        const char *msg);
}

%union {
	struct ast_word *word;
	struct ast_stmt *stmt;
	struct ast_cond *cond;
	struct ast_and *and;
	struct ast_term *term;
}

%token <word> WORD IF UNLESS OR NOT LBRACE RBRACE
%token EOL

%type <stmt> stmt args
%type <cond> cond cond_head alts
%type <and> and_run
%type <term> term inline
%type <word> plain inword

%destructor { ast_word_free($$); } <word>
%destructor { ast_stmt_free($$); } <stmt>
%destructor { ast_cond_free($$); } <cond>
%destructor { ast_and_free($$); } <and>
%destructor { ast_term_free($$); } <term>

%initial-action {
	@$.file = pc->file;
	@$.line = 1;
	@$.col = @$.end_col = 1;
}

%%

input
	: %empty
	| input line
	;

line
	: stmt EOL              { pctx_add_stmt(pc, $1); }
	| error EOL             { yyerrok; }
	;

stmt
	: args
	| args cond             { ast_stmt_set_cond($1, $2); $$ = $1; }
	;

args
	: WORD                  { $$ = ast_stmt_new($1); }
	| args plain            { ast_stmt_add_arg($1, $2); $$ = $1; }
	;

plain
	: WORD | OR | NOT | LBRACE | RBRACE
	;

cond
	: cond_head
	| alts
	| alts OR               {
				/* HAProxy ignores an `||` that ends the line */
				diag_warning(pc->dc, &@2, "ignored",
				             "'||' ends the condition: there is "
				             "no term after it (HAProxy ignores it)");
				ast_word_free($2);
				$$ = $1;
			}
	;

cond_head
	: IF                    { $$ = ast_cond_new(&@1, AST_COND_IF); ast_word_free($1); }
	| UNLESS                { $$ = ast_cond_new(&@1, AST_COND_UNLESS); ast_word_free($1); }
	;

alts
	: cond_head and_run     { ast_cond_add_alt($1, $2); $$ = $1; }
	| alts OR and_run       { ast_cond_add_alt($1, $3); ast_word_free($2); $$ = $1; }
	;

and_run
	: term                  { $$ = ast_and_new($1); }
	| and_run term          { ast_and_add($1, $2); $$ = $1; }
	;

term
	: WORD                  { $$ = ast_term_new_acl(&@$, $1); }
	| NOT term              { ast_term_negate($2, &@$); ast_word_free($1); $$ = $2; }
	| LBRACE inline RBRACE  {
				ast_term_set_loc($2, &@$);
				ast_word_free($1);
				ast_word_free($3);
				$$ = $2;
			}
	;

inline
	: inword                { $$ = ast_term_new_inline($1); }
	| inline inword         { ast_term_add_word($1, $2); $$ = $1; }
	;

inword
	: WORD | IF | UNLESS | OR | NOT | LBRACE
	;

%%

static void cfg_yyerror(const struct src_loc *loc, struct pctx *pc,
                        const char *msg)
{
	diag_error(pc->dc, loc, "syntax", "%s", msg);
}

/* How a token is named in messages. */
static const char *cfg_sym_name(yysymbol_kind_t k)
{
	switch (k) {
	case YYSYMBOL_WORD:   return "a word";
	case YYSYMBOL_IF:     return "'if'";
	case YYSYMBOL_UNLESS: return "'unless'";
	case YYSYMBOL_OR:     return "'||'";
	case YYSYMBOL_NOT:    return "'!'";
	case YYSYMBOL_LBRACE: return "'{'";
	case YYSYMBOL_RBRACE: return "'}'";
	case YYSYMBOL_EOL:    return "the end of the line";
	case YYSYMBOL_YYEOF:  return "the end of the file";
	default:              return "something else";
	}
}

/* Syntax errors name what was expected and what was found. */
static int yyreport_syntax_error(const yypcontext_t *ctx, struct pctx *pc)
{
	yysymbol_kind_t exp[YYNTOKENS];
	yysymbol_kind_t found = yypcontext_token(ctx);
	const struct src_loc *loc = yypcontext_location(ctx);
	char buf[512];
	size_t len = 0;
	int n, i, want_rbrace = 0;

	n = yypcontext_expected_tokens(ctx, exp, YYNTOKENS);
	if (n < 0)
		n = 0;
	/* 'unless' is only ever expected inside an inline ACL */
	for (i = 0; i < n; i++)
		if (exp[i] == YYSYMBOL_RBRACE || exp[i] == YYSYMBOL_UNLESS)
			want_rbrace = 1;
	if (want_rbrace && found == YYSYMBOL_EOL && pc->lbrace_loc.line) {
		diag_error(pc->dc, &pc->lbrace_loc, "unclosed-brace",
		           "unclosed '{' in condition (expected '}' before the end "
		           "of the line)");
		return 0;
	}
	buf[0] = '\0';
	for (i = 0; i < n && len < sizeof(buf) - 64; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
		                        i == 0 ? "" : i == n - 1 ? " or " : ", ",
		                        cfg_sym_name(exp[i]));
	if (found == YYSYMBOL_WORD || found == YYSYMBOL_IF ||
	    found == YYSYMBOL_UNLESS)
		diag_error(pc->dc, loc, "syntax", "unexpected word in condition "
		           "(expected %s, found %s)", n ? buf : "nothing",
		           cfg_sym_name(found));
	else
		diag_error(pc->dc, loc, "syntax", "syntax error in condition "
		           "(expected %s, found %s)", n ? buf : "nothing",
		           cfg_sym_name(found));
	return 0;
}
