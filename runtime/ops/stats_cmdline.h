/*
 * stats_cmdline.h: how the stats socket reads a command line
 * (stats_cmdline.c): `;` between commands, words split as HAProxy's CLI
 * splits them, the command a line's words name. Kept apart from the
 * socket (stats.c) so that test/fuzz/fuzz_stats.c reaches it without a
 * running process.
 */
#ifndef HAPC_STATS_CMDLINE_H
#define HAPC_STATS_CMDLINE_H

#include <stddef.h>

#define STATS_CMD_WORDS 3       /* leading words naming a command, at most */
#define STATS_WORDS_MAX 16      /* words of one command, at most (more are
                                   dropped) */

/* The first `;` of cmd[0..len) that no backslash escapes, or NULL. */
char *stats_cmd_end(char *cmd, size_t len);

/* Split NUL-terminated cmd in place into at most max words at spaces,
 * tabs and CRs, as HAProxy's CLI does: a backslash makes the byte after
 * it part of the word (`k\ v` is one word "k v", `\\` one backslash).
 * Returns the number of words. */
int stats_words(char *cmd, char **w, int max);

/*
 * The command that words w[0..n) name in a table of `count` entries of
 * `size` bytes each, every entry starting with `const char
 * *words[STATS_CMD_WORDS]` (NULL after its last word): the entry with the
 * most leading words equal to w's. Its index, or -1 when none matches.
 */
long stats_cmd_match(const void *tab, size_t count, size_t size, char **w,
                     int n);

#endif /* HAPC_STATS_CMDLINE_H */
