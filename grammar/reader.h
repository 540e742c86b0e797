/*
 * reader.h: from scanned lines to parser tokens.
 *
 * Each line is scanned only when the parser asks for its first token, so
 * everything the parser did with the previous line (hooks included) is
 * visible while this one is read (variables, .SECTION).
 */
#ifndef HAPC_READER_H
#define HAPC_READER_H

#include "pctx-t.h"
#include "parser.h"

/* The parser's token source (bison calls it yylex). Returns a token kind,
 * or 0 at the end of the file. The word of a token belongs to the parser. */
int cfg_yylex(CFG_YYSTYPE *lval, CFG_YYLTYPE *lloc, struct pctx *pc);

/* Free tokens the parser did not take. */
void reader_release(struct pctx *pc);

#endif /* HAPC_READER_H */
