/*
 * plan_regex.c: the PCRE2 side of ACL regexes. cfgc checks each pattern
 * with plan_regex_check() when it compiles a configuration; cfgrun builds
 * the compiled form of a plan's REG patterns once per generation with
 * plan_regex_build(), since compiled code is process memory and never
 * belongs in a plan file. Options are the same on both sides, so what
 * cfgc accepted compiles at run time.
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

struct plan_regex {
	uint32_t npatterns;          /* plan's PATTERN count */
	pcre2_code **code;           /* per pattern: compiled REG, else NULL */
	const struct plan_live *live; /* run-time map changes, NULL = none */
};

void plan_regex_set_live(struct plan_regex *rx, const struct plan_live *lv)
{
	if (rx)
		rx->live = lv;
}

const struct plan_live *plan_regex_live(const struct plan_regex *rx)
{
	return rx ? rx->live : NULL;
}

static pcre2_code *plan_rx_compile(const char *pat, size_t len, int icase,
                                   size_t *erroff, char *err, size_t errlen)
{
	int ec;
	PCRE2_SIZE off = 0;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)pat, len,
	                              icase ? PCRE2_CASELESS : 0, &ec, &off,
	                              NULL);

	if (!c) {
		PCRE2_UCHAR msg[160];

		if (pcre2_get_error_message(ec, msg, sizeof(msg)) < 0)
			snprintf((char *)msg, sizeof(msg), "error %d", ec);
		if (err && errlen)
			snprintf(err, errlen, "%s", (const char *)msg);
		if (erroff)
			*erroff = off;
		return NULL;
	}
	(void)pcre2_jit_compile(c, PCRE2_JIT_COMPLETE); /* optional speed-up */
	return c;
}

int plan_regex_check(const char *pat, size_t len, int icase, size_t *erroff,
                     char *err, size_t errlen)
{
	pcre2_code *c = plan_rx_compile(pat, len, icase, erroff, err, errlen);

	if (!c)
		return -1;
	pcre2_code_free(c);
	return 0;
}

/* Compile pattern i of p into rx (owner `what` `idx` for the message);
 * 0, or -1 with rx freed and the reason in err. */
static int plan_rx_at(struct plan_regex *rx, const struct plan *p, uint32_t i,
                      int icase, const char *what, uint32_t idx, char *err,
                      size_t errlen)
{
	const struct plan_pattern *pt = &p->patterns[i];
	char msg[160];
	size_t off = 0;

	rx->code[i] = plan_rx_compile(plan_str_get(p, pt->str), pt->str.len,
	                              icase, &off, msg, sizeof(msg));
	if (rx->code[i])
		return 0;
	snprintf(err, errlen, "%s %u: regex '%s': %s at offset %zu", what,
	         (unsigned)idx, plan_str_get(p, pt->str), msg, off);
	plan_regex_free(rx);
	return -1;
}

struct plan_regex *plan_regex_build(const struct plan *p, char *err,
                                    size_t errlen)
{
	struct plan_regex *rx = calloc(1, sizeof(*rx));

	if (!rx || (p->npatterns &&
	            !(rx->code = calloc(p->npatterns, sizeof(*rx->code))))) {
		free(rx);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	rx->npatterns = p->npatterns;
	for (uint32_t a = 0; a < p->nacls; a++) {
		const struct plan_acl *acl = &p->acls[a];

		if (acl->match != PLAN_MATCH_REG)
			continue;
		for (uint32_t k = 0; k < acl->npatterns; k++)
			if (plan_rx_at(rx, p, acl->first_pattern + k,
			               acl->flags & PLAN_ACL_F_ICASE, "acl", a, err,
			               errlen) < 0)
				return NULL;
	}
	/* the regexes of converter steps (regsub, map_reg): after the ACL
	 * lines' patterns, shared by the steps naming the same map */
	for (uint32_t i = 0; i < p->nsteps; i++) {
		const struct plan_conv_step *st = &p->steps[i];

		if (st->conv != PLAN_CONV_REGSUB &&
		    !(st->conv == PLAN_CONV_MAP && st->match == PLAN_MATCH_REG))
			continue;
		for (uint32_t k = 0; k < st->npatterns; k++)
			if (!rx->code[st->first_pattern + k] &&
			    plan_rx_at(rx, p, st->first_pattern + k,
			               st->flags & PLAN_CS_F_ICASE, "converter", i, err,
			               errlen) < 0)
				return NULL;
	}
	return rx;
}

void plan_regex_free(struct plan_regex *rx)
{
	if (!rx)
		return;
	for (uint32_t i = 0; i < rx->npatterns; i++)
		pcre2_code_free(rx->code[i]);
	free(rx->code);
	free(rx);
}

/* 1 when code matches s[0..len). */
static int plan_rx_match(const pcre2_code *code, const char *s, size_t len)
{
	/* one per thread, made at its first match and kept: compiled code
	 * is shared by the threads of a generation, match data cannot be */
	static _Thread_local pcre2_match_data *md;

	if (!md && !(md = pcre2_match_data_create(1, NULL)))
		return 0;
	return pcre2_match(code, (PCRE2_SPTR)(s ? s : ""), len, 0, 0, md,
	                   NULL) >= 0;
}

int plan_regex_match(const struct plan_regex *rx, uint32_t pattern,
                     const char *s, size_t len)
{
	if (!rx || pattern >= rx->npatterns || !rx->code[pattern])
		return 0;
	return plan_rx_match(rx->code[pattern], s, len);
}

struct plan_regex_one *plan_regex_one_new(const char *pat, size_t len,
                                          char *err, size_t errlen)
{
	size_t off = 0;

	return plan_regex_one_new_case(pat, len, 0, &off, err, errlen);
}

struct plan_regex_one *plan_regex_one_new_case(const char *pat, size_t len,
                                               int icase, size_t *erroff,
                                               char *err, size_t errlen)
{
	return (struct plan_regex_one *)plan_rx_compile(pat, len, icase, erroff,
	                                                err, errlen);
}

int plan_regex_one_match(const struct plan_regex_one *rx, const char *s,
                         size_t len)
{
	return rx ? plan_rx_match((const pcre2_code *)rx, s, len) : 0;
}

void plan_regex_one_free(struct plan_regex_one *rx)
{
	pcre2_code_free((pcre2_code *)rx);
}

int plan_regex_groups(const struct plan_regex *rx, uint32_t pattern,
                      const char *s, size_t len, size_t *ovec,
                      uint32_t npairs)
{
	static _Thread_local pcre2_match_data *md;
	PCRE2_SIZE *ov;
	int r;

	if (!rx || pattern >= rx->npatterns || !rx->code[pattern])
		return -1;
	if (!md && !(md = pcre2_match_data_create(PLAN_REGEX_GROUPS, NULL)))
		return -1;
	r = pcre2_match(rx->code[pattern], (PCRE2_SPTR)(s ? s : ""), len, 0, 0,
	                md, NULL);
	if (r < 0)
		return -1;
	if (r == 0)
		r = PLAN_REGEX_GROUPS;
	ov = pcre2_get_ovector_pointer(md);
	for (uint32_t i = 0; i < npairs; i++) {
		int set = i < (uint32_t)r && ov[2 * i] != PCRE2_UNSET;

		ovec[2 * i] = set ? ov[2 * i] : (size_t)-1;
		ovec[2 * i + 1] = set ? ov[2 * i + 1] : (size_t)-1;
	}
	return r;
}
