/*
 * suggest.h: "did you mean" hints by edit distance.
 */
#ifndef HAPC_SUGGEST_H
#define HAPC_SUGGEST_H

#include <stddef.h>

/* Optimal string alignment distance (Damerau-Levenshtein with adjacent
 * transpositions) between two strings; saturates at 255. */
unsigned suggest_distance(const char *a, const char *b);

/* Keeps the closest candidate offered for one misspelt word. */
struct suggest {
	const char *word;      /* the misspelt word, borrowed */
	char best[64];         /* closest candidate so far ("" when none) */
	unsigned best_dist;    /* its distance */
};

void suggest_init(struct suggest *s, const char *word);

/* Offer one candidate; ties keep the first offered (tables are ordered,
 * so the result is deterministic). */
void suggest_offer(struct suggest *s, const char *candidate);

/* Same with the first `len` bytes of `candidate` only. */
void suggest_offer_n(struct suggest *s, const char *candidate, size_t len);

/* The best candidate if it is close enough to be a likely typo, else NULL;
 * it points into `s`. */
const char *suggest_result(const struct suggest *s);

#endif /* HAPC_SUGGEST_H */
