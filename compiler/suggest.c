/*
 * suggest.c: edit distance for "did you mean" hints.
 */
#include <string.h>
#include "suggest.h"

#define SUGGEST_MAX_LEN 64  /* longer words are never suggested */

unsigned suggest_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned d[SUGGEST_MAX_LEN + 1][SUGGEST_MAX_LEN + 1];

	if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN)
		return 255;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (unsigned)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			unsigned cost = a[i - 1] != b[j - 1];
			unsigned v = d[i - 1][j] + 1;

			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb] > 255 ? 255 : d[la][lb];
}

void suggest_init(struct suggest *s, const char *word)
{
	s->word = word;
	s->best[0] = 0;
	s->best_dist = 255;
}

void suggest_offer_n(struct suggest *s, const char *candidate, size_t len)
{
	char buf[SUGGEST_MAX_LEN + 1];
	unsigned d;

	if (len > SUGGEST_MAX_LEN || len >= sizeof(s->best))
		return;
	memcpy(buf, candidate, len);
	buf[len] = 0;
	d = suggest_distance(s->word, buf);
	if (d < s->best_dist) {
		memcpy(s->best, buf, len + 1);
		s->best_dist = d;
	}
}

void suggest_offer(struct suggest *s, const char *candidate)
{
	suggest_offer_n(s, candidate, strlen(candidate));
}

const char *suggest_result(const struct suggest *s)
{
	size_t len = strlen(s->word);
	/* one edit for short words, up to a third of the word for long ones */
	unsigned limit = len <= 4 ? 1 : (unsigned)(len / 3 > 1 ? len / 3 : 1);

	if (!s->best[0] || s->best_dist == 0 || s->best_dist > limit)
		return NULL;
	return s->best;
}
