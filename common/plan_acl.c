/*
 * plan_acl.c: what a verified plan's ACLs and rules mean. Matching a
 * sample against an ACL line's patterns and evaluating a rule's condition
 * live here, next to the format, so that cfgrun and the unit tests run the
 * same code; where the samples come from is the caller's business.
 */
#include "config.h"

#include <string.h>

#include "plan.h"

/* 1 when the first `bits` bits of a and b are equal. */
static int plan_prefix_eq(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;

	if (memcmp(a, b, full))
		return 0;
	if (!rest)
		return 1;
	return ((a[full] ^ b[full]) & (uint8_t)(0xffu << (8 - rest))) == 0;
}

/*
 * The IPv4 address an IPv6 one carries, as HAProxy's ip matching reads it:
 * ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible) or 2002:AABB:CCDD::
 * (6to4). 1 and the four bytes in v4, or 0.
 */
static int plan_ip6_v4(const uint8_t ip6[16], uint8_t v4[4])
{
	static const uint8_t zero[10];

	if (!memcmp(ip6, zero, 10) &&
	    ((ip6[10] == 0 && ip6[11] == 0) ||
	     (ip6[10] == 0xff && ip6[11] == 0xff))) {
		memcpy(v4, ip6 + 12, 4);
		return 1;
	}
	if (ip6[0] == 0x20 && ip6[1] == 0x02) {
		memcpy(v4, ip6 + 2, 4);
		return 1;
	}
	return 0;
}

int plan_pattern_match(const struct plan_pattern *pt,
                       const struct plan_sample *smp)
{
	uint8_t buf[16];

	switch (pt->kind) {
	case PLAN_PAT_INT:
		return smp->type == PLAN_SMP_INT && smp->i >= pt->lo &&
		       smp->i <= pt->hi;
	case PLAN_PAT_IPV4:
		if (smp->type == PLAN_SMP_IPV4)
			return plan_prefix_eq(smp->ip, pt->ip, pt->prefix);
		if (smp->type == PLAN_SMP_IPV6 && plan_ip6_v4(smp->ip, buf))
			return plan_prefix_eq(buf, pt->ip, pt->prefix);
		return 0;
	case PLAN_PAT_IPV6:
		if (smp->type == PLAN_SMP_IPV6)
			return plan_prefix_eq(smp->ip, pt->ip, pt->prefix);
		if (smp->type == PLAN_SMP_IPV4) {
			/* ::ffff:a.b.c.d */
			memset(buf, 0, 10);
			buf[10] = buf[11] = 0xff;
			memcpy(buf + 12, smp->ip, 4);
			return plan_prefix_eq(buf, pt->ip, pt->prefix);
		}
		return 0;
	default:
		return 0;
	}
}

int plan_acl_match(const struct plan *p, const struct plan_acl *acl,
                   const struct plan_sample *smp)
{
	if (smp->type == PLAN_SMP_NONE)
		return 0;
	switch (acl->match) {
	case PLAN_MATCH_FOUND:
		return 1;
	case PLAN_MATCH_BOOL:
		return (smp->type == PLAN_SMP_BOOL || smp->type == PLAN_SMP_INT) &&
		       smp->i != 0;
	default:
		for (uint32_t k = 0; k < acl->npatterns; k++)
			if (plan_pattern_match(&p->patterns[acl->first_pattern + k],
			                       smp))
				return 1;
		return 0;
	}
}

int plan_rule_applies(const struct plan *p, const struct plan_rule *r,
                      plan_fetch_fn fetch, void *ctx)
{
	int alt = 1, any = 0;

	if (r->cond == PLAN_COND_NONE)
		return 1;
	for (uint32_t t = 0; t < r->nterms; t++) {
		const struct plan_term *tm = &p->terms[r->first_term + t];
		int hit = 0;

		if (tm->flags & PLAN_TERM_F_OR) {
			if (alt) {
				any = 1;
				break;
			}
			alt = 1;
		}
		if (!alt)
			continue;           /* this alternative already failed */
		for (uint32_t k = 0; k < tm->nacls && !hit; k++) {
			const struct plan_acl *a = &p->acls[tm->first_acl + k];
			struct plan_sample smp;

			fetch(ctx, a, &smp);
			hit = plan_acl_match(p, a, &smp);
		}
		if (tm->flags & PLAN_TERM_F_NEGATE)
			hit = !hit;
		alt = hit;
	}
	if (alt)
		any = 1;
	return r->cond == PLAN_COND_UNLESS ? !any : any;
}
