/*
 * stats_cmdline.c: reading a stats socket command line (stats_cmdline.h).
 */
#include "config.h"

#include <string.h>

#include "stats_cmdline.h"

char *stats_cmd_end(char *cmd, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (cmd[i] == '\\' && i + 1 < len)
			i++;
		else if (cmd[i] == ';')
			return cmd + i;
	}
	return NULL;
}

int stats_words(char *cmd, char **w, int max)
{
	char *p = cmd;
	int n = 0;

	while (n < max) {
		char *o;

		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p)
			break;
		w[n++] = o = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r') {
			if (*p == '\\' && p[1])
				p++;
			*o++ = *p++;
		}
		if (*p)
			p++;
		*o = '\0';
	}
	return n;
}

long stats_cmd_match(const void *tab, size_t count, size_t size, char **w,
                     int n)
{
	long best = -1;
	int bestlen = 0;

	if (n == 0)
		return -1;
	for (size_t i = 0; i < count; i++) {
		const char *const *k = (const void *)((const char *)tab + i * size);
		int len = 0;

		while (len < STATS_CMD_WORDS && k[len] && len < n &&
		       !strcmp(k[len], w[len]))
			len++;
		if (len > bestlen && (len == STATS_CMD_WORDS || !k[len])) {
			best = (long)i;
			bestlen = len;
		}
	}
	return best;
}
