/*
 * fuzz_stats.c: fuzz target of the stats socket's command line reader
 * (runtime/ops/stats_cmdline.c), over the real command table
 * (runtime/ops/stats_cmds.def). Each input is what a client sends: lines
 * end at '\n' and a line's text at its first NUL byte, as stats.c reads
 * them; each line is cut into commands at unescaped `;`, each command into
 * words, and the words looked up. Invariants, any broken one aborts:
 * - a command holds no unescaped `;`, and the pieces tile the line;
 * - there are at most STATS_WORDS_MAX words, none empty, each made of
 *   bytes of its command (unescaping only shrinks);
 * - words escaped again (a backslash before space, tab, CR, backslash and
 *   `;`) and joined by spaces read back as the same words;
 * - the command found has all its words equal to the line's first ones,
 *   and no command of the table matches more of them.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats_cmdline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_NAME "fuzz_stats"
#include "fuzz_check.h"

static const char *const fuzz_cmds[][STATS_CMD_WORDS] = {
#define STATS_CMD(w1, w2, w3, level, run, usage) { w1, w2, w3 },
#include "stats_cmds.def"
#undef STATS_CMD
};
#define FUZZ_NCMDS (sizeof(fuzz_cmds) / sizeof(fuzz_cmds[0]))

/* How many leading words of w[0..n) command k has, -1 if not all of its
 * own. */
static int fuzz_cmd_len(const char *const *k, char **w, int n)
{
	int len = 0;

	while (len < STATS_CMD_WORDS && k[len]) {
		if (len >= n || strcmp(k[len], w[len]))
			return -1;
		len++;
	}
	return len;
}

static void fuzz_lookup(char **w, int n)
{
	long i = stats_cmd_match(fuzz_cmds, FUZZ_NCMDS, sizeof(fuzz_cmds[0]), w,
	                         n);
	int best = i >= 0 ? fuzz_cmd_len(fuzz_cmds[i], w, n) : 0;

	fuzz_check(i >= -1 && i < (long)FUZZ_NCMDS);
	fuzz_check(i < 0 || best > 0);
	for (size_t k = 0; k < FUZZ_NCMDS; k++)
		fuzz_check(fuzz_cmd_len(fuzz_cmds[k], w, n) <= best);
}

/* The words again, escaped and joined, must read back the same. */
static void fuzz_respell(char **w, int n, size_t len)
{
	char *text = malloc(2 * len + (size_t)n + 1), *back[STATS_WORDS_MAX];
	size_t o = 0;
	int m;

	fuzz_check(text != NULL);
	for (int i = 0; i < n; i++) {
		if (i)
			text[o++] = ' ';
		for (const char *p = w[i]; *p; p++) {
			if (strchr(" \t\r\\;", *p))
				text[o++] = '\\';
			text[o++] = *p;
		}
	}
	text[o] = '\0';
	fuzz_check(stats_cmd_end(text, o) == NULL);
	m = stats_words(text, back, STATS_WORDS_MAX);
	fuzz_check(m == n);
	for (int i = 0; i < n; i++)
		fuzz_check(strcmp(back[i], w[i]) == 0);
	free(text);
}

static void fuzz_command(char *cmd, size_t len)
{
	char *w[STATS_WORDS_MAX];
	int n;

	n = stats_words(cmd, w, STATS_WORDS_MAX);
	fuzz_check(n >= 0 && n <= STATS_WORDS_MAX);
	for (int i = 0; i < n; i++) {
		fuzz_check(w[i] >= cmd && w[i] < cmd + len);
		fuzz_check(w[i][0] != '\0');
		fuzz_check(strlen(w[i]) <= len - (size_t)(w[i] - cmd));
	}
	fuzz_respell(w, n, len);
	fuzz_lookup(w, n);
}

static void fuzz_line(char *line)
{
	size_t end = strlen(line), at = 0;

	while (at < end) {
		char *cmd = line + at, *semi = stats_cmd_end(cmd, end - at);
		size_t len = semi ? (size_t)(semi - cmd) : end - at;

		fuzz_check(!semi || (*semi == ';' && semi < line + end));
		cmd[len] = '\0';
		fuzz_check(strchr(cmd, ';') == NULL || strchr(cmd, '\\'));
		fuzz_command(cmd, len);
		at += len + (semi ? 1 : 0);
	}
	fuzz_check(at == end || at == end + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1);
	size_t at = 0;

	if (!in)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	while (at < size) {
		char *nl = memchr(in + at, '\n', size - at);
		size_t len = nl ? (size_t)(nl - (in + at)) : size - at;

		in[at + len] = '\0';
		fuzz_line(in + at);
		at += len + 1;
	}
	free(in);
	return 0;
}
