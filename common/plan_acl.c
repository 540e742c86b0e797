/*
 * plan_acl.c: what a verified plan's ACLs and rules mean. Matching a
 * sample against an ACL line's patterns and evaluating a rule's condition
 * live here, next to the format, so that cfgrun and the unit tests run the
 * same code; where the samples come from is the caller's business.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "plan.h"
#include "plan_live.h"

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

static int plan_lc(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Bytes a and b equal over n, ignoring ASCII case when icase. */
static int plan_bytes_eq(const char *a, const char *b, size_t n, int icase)
{
	if (!icase)
		return !memcmp(a, b, n);
	for (size_t i = 0; i < n; i++)
		if (plan_lc((unsigned char)a[i]) != plan_lc((unsigned char)b[i]))
			return 0;
	return 1;
}

/* A string sample read as a decimal integer (optional sign, then
 * digits; what follows them is ignored, as HAProxy's cast does). 0 or
 * -1 when it starts with no digit. */
static int plan_str_int(const struct plan_sample *smp, int64_t *out)
{
	size_t i = 0;
	int neg = 0;
	uint64_t v = 0;

	if (i < smp->len && (smp->str[i] == '-' || smp->str[i] == '+'))
		neg = smp->str[i++] == '-';
	if (i >= smp->len || smp->str[i] < '0' || smp->str[i] > '9')
		return -1;
	for (; i < smp->len && smp->str[i] >= '0' && smp->str[i] <= '9'; i++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(smp->str[i] - '0');
	}
	if (v > (uint64_t)INT64_MAX + neg)
		return -1;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

/* A string sample read as an address into `ip` (sample types). */
static enum plan_sample_type plan_str_ip(const struct plan_sample *smp,
                                         uint8_t ip[16])
{
	char text[64];

	if (smp->len == 0 || smp->len >= sizeof(text))
		return PLAN_SMP_NONE;
	memcpy(text, smp->str, smp->len);
	text[smp->len] = 0;
	if (inet_pton(AF_INET, text, ip) == 1)
		return PLAN_SMP_IPV4;
	if (inet_pton(AF_INET6, text, ip) == 1)
		return PLAN_SMP_IPV6;
	return PLAN_SMP_NONE;
}

int plan_pattern_match(const struct plan_pattern *pt,
                       const struct plan_sample *smp)
{
	uint8_t buf[16];
	struct plan_sample cast;

	if (smp->type == PLAN_SMP_STR && pt->kind != PLAN_PAT_STR &&
	    pt->kind != PLAN_PAT_REG) {
		memset(&cast, 0, sizeof(cast));
		if (pt->kind == PLAN_PAT_INT) {
			if (plan_str_int(smp, &cast.i) < 0)
				return 0;
			cast.type = PLAN_SMP_INT;
		} else if ((cast.type = plan_str_ip(smp, cast.ip)) ==
		           PLAN_SMP_NONE) {
			return 0;
		}
		smp = &cast;
	}
	switch (pt->kind) {
	case PLAN_PAT_INT:
		return (smp->type == PLAN_SMP_INT || smp->type == PLAN_SMP_BOOL) &&
		       smp->i >= pt->lo && smp->i <= pt->hi;
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

/* 1 when d is a delimiter of a dom (4 kinds) or dir (2) match. */
static int plan_is_delim(char d, int dom)
{
	return d == '/' || d == '?' || (dom && (d == '.' || d == ':'));
}

int plan_text_match(uint32_t match, int icase, const char *pat, size_t pl,
                    const char *s, size_t sl)
{
	switch (match) {
	case PLAN_MATCH_STR:
		return sl == pl && plan_bytes_eq(s, pat, pl, icase);
	case PLAN_MATCH_BEG:
		return sl >= pl && plan_bytes_eq(s, pat, pl, icase);
	case PLAN_MATCH_END:
		return sl >= pl && plan_bytes_eq(s + sl - pl, pat, pl, icase);
	case PLAN_MATCH_SUB:
		for (size_t i = 0; i + pl <= sl; i++)
			if (plan_bytes_eq(s + i, pat, pl, icase))
				return 1;
		return 0;
	case PLAN_MATCH_DOM:
	case PLAN_MATCH_DIR:
		for (size_t i = 0; i + pl <= sl; i++) {
			int dom = match == PLAN_MATCH_DOM;

			if ((i == 0 || plan_is_delim(s[i - 1], dom)) &&
			    (i + pl == sl || plan_is_delim(s[i + pl], dom)) &&
			    plan_bytes_eq(s + i, pat, pl, icase))
				return 1;
		}
		return 0;
	default:
		return 0;
	}
}

/* String methods of one STR pattern `pt` (text of verified plan p) on a
 * string sample; ICASE patterns are stored lowercase. */
static int plan_str_match(const struct plan *p, uint32_t match, int icase,
                          const struct plan_pattern *pt,
                          const struct plan_sample *smp)
{
	return plan_text_match(match, icase, plan_str_get(p, pt->str),
	                       pt->str.len, smp->str, smp->len);
}

int plan_str_cmp(const char *a, size_t al, const char *b, size_t bl,
                 int icase)
{
	size_t n = al < bl ? al : bl;

	for (size_t i = 0; i < n; i++) {
		int ca = icase ? plan_lc((unsigned char)a[i]) : (unsigned char)a[i];
		int cb = (unsigned char)b[i];

		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	return al < bl ? -1 : al > bl;
}

int plan_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = plan_lc(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* 1 when the bytes of `smp` are those the hex digits of STR pattern `pt`
 * write (the verifier checked the digits). */
static int plan_hex_eq(const struct plan *p, const struct plan_pattern *pt,
                       const struct plan_sample *smp)
{
	const char *hex = plan_str_get(p, pt->str);

	if (smp->len * 2 != pt->str.len)
		return 0;
	for (size_t i = 0; i < smp->len; i++) {
		int b = plan_hex_digit((unsigned char)hex[2 * i]) << 4 |
		        plan_hex_digit((unsigned char)hex[2 * i + 1]);

		if ((unsigned char)smp->str[i] != b)
			return 0;
	}
	return 1;
}

/* A string sample against the sorted STR patterns of `acl`. */
static int plan_sorted_find(const struct plan *p, const struct plan_acl *acl,
                            const struct plan_sample *smp)
{
	uint32_t lo = 0, hi = acl->npatterns;
	int icase = acl->flags & PLAN_ACL_F_ICASE;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct plan_pattern *pt = &p->patterns[acl->first_pattern + mid];
		int c = plan_str_cmp(smp->str, smp->len, plan_str_get(p, pt->str),
		                     pt->str.len, icase);

		if (c == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

int plan_acl_match(const struct plan *p, const struct plan_regex *rx,
                   const struct plan_acl *acl, const struct plan_sample *smp)
{
	int icase = acl->flags & PLAN_ACL_F_ICASE;
	struct plan_sample len;
	int live;

	if (smp->type == PLAN_SMP_NONE)
		return 0;
	/* a -f file changed on the stats socket (plan_live.c) */
	if ((live = plan_live_acl_match(plan_regex_live(rx), rx, acl, smp)) >= 0)
		return live;
	switch (acl->match) {
	case PLAN_MATCH_FOUND:
		return 1;
	case PLAN_MATCH_BOOL:
		return (smp->type == PLAN_SMP_BOOL || smp->type == PLAN_SMP_INT) &&
		       smp->i != 0;
	case PLAN_MATCH_STR:
	case PLAN_MATCH_BEG:
	case PLAN_MATCH_END:
	case PLAN_MATCH_SUB:
	case PLAN_MATCH_DOM:
	case PLAN_MATCH_DIR:
		if (smp->type != PLAN_SMP_STR)
			return 0;
		if (acl->flags & PLAN_ACL_F_SORTED)
			return plan_sorted_find(p, acl, smp);
		for (uint32_t k = 0; k < acl->npatterns; k++)
			if (plan_str_match(p, acl->match, icase,
			                   &p->patterns[acl->first_pattern + k], smp))
				return 1;
		return 0;
	case PLAN_MATCH_REG:
		if (smp->type != PLAN_SMP_STR)
			return 0;
		for (uint32_t k = 0; k < acl->npatterns; k++)
			if (plan_regex_match(rx, acl->first_pattern + k, smp->str,
			                     smp->len))
				return 1;
		return 0;
	case PLAN_MATCH_BIN:
		if (smp->type != PLAN_SMP_STR)
			return 0;
		for (uint32_t k = 0; k < acl->npatterns; k++)
			if (plan_hex_eq(p, &p->patterns[acl->first_pattern + k], smp))
				return 1;
		return 0;
	case PLAN_MATCH_LEN:
		if (smp->type != PLAN_SMP_STR)
			return 0;
		memset(&len, 0, sizeof(len));
		len.type = PLAN_SMP_INT;
		len.i = (int64_t)smp->len;
		smp = &len;
		/* fall through */
	default:
		for (uint32_t k = 0; k < acl->npatterns; k++)
			if (plan_pattern_match(&p->patterns[acl->first_pattern + k],
			                       smp))
				return 1;
		return 0;
	}
}

int plan_acl_eval(const struct plan *p, const struct plan_regex *rx,
                  const struct plan_acl *acl, plan_fetch_fn fetch, void *ctx)
{
	return plan_acl_eval3(p, rx, acl, fetch, ctx) == PLAN_TEST_PASS;
}

int plan_acl_eval3(const struct plan *p, const struct plan_regex *rx,
                   const struct plan_acl *acl, plan_fetch_fn fetch, void *ctx)
{
	struct plan_sample raw, smp;
	int may_change = 0;

	memset(&raw, 0, sizeof(raw));
	do {
		raw.more = 0;
		raw.may_change = 0;
		fetch(ctx, acl, &raw);
		may_change |= raw.may_change;
		smp = raw;
		if (acl->conv && plan_conv_apply(p, rx, acl, fetch, ctx, &smp) < 0)
			continue;
		/* string methods read any sample as text, as HAProxy casts */
		if (acl->match >= PLAN_MATCH_STR && smp.type != PLAN_SMP_STR &&
		    plan_sample_cast(&smp, PLAN_SMP_STR) < 0)
			continue;
		if (plan_acl_match(p, rx, acl, &smp))
			return PLAN_TEST_PASS;
	} while (raw.more);
	return may_change ? PLAN_TEST_MISS : PLAN_TEST_FAIL;
}

/* Three-valued AND / OR of HAProxy's ACL tests: FAIL < MISS < PASS. */
static int plan_test_and(int a, int b)
{
	return a < b ? a : b;
}

static int plan_test_or(int a, int b)
{
	return a > b ? a : b;
}

int plan_acl_ref_next(const char *s, size_t len, size_t *pos, int *neg,
                      uint32_t *first, uint32_t *n)
{
	size_t i = *pos;
	uint64_t v[2] = { 0, 0 };

	if (i >= len)
		return 0;
	*neg = s[i] == '!';
	i += (size_t)*neg;
	for (int k = 0; k < 2; k++) {
		size_t d = i;

		while (i < len && s[i] >= '0' && s[i] <= '9' && v[k] <= UINT32_MAX)
			v[k] = v[k] * 10 + (uint64_t)(s[i++] - '0');
		if (i == d || v[k] > UINT32_MAX ||
		    (k == 0 ? i >= len || s[i] != ':' :
		     i < len && s[i] != ','))
			return -1;
		i++;                    /* the ':' or ',' */
	}
	*first = (uint32_t)v[0];
	*n = (uint32_t)v[1];
	*pos = i;
	return 1;
}

void plan_fetch_acl(const struct plan *p, const struct plan_regex *rx,
                    const struct plan_acl *a, plan_fetch_fn fetch, void *ctx,
                    struct plan_sample *out)
{
	const char *s = plan_str_get(p, a->sarg);
	size_t pos = 0;
	uint32_t first, n;
	int neg, all = PLAN_TEST_PASS;

	while (all != PLAN_TEST_FAIL &&
	       plan_acl_ref_next(s, a->sarg.len, &pos, &neg, &first, &n) > 0) {
		int hit = PLAN_TEST_FAIL;

		for (uint32_t k = 0; k < n && hit != PLAN_TEST_PASS; k++)
			hit = plan_test_or(hit, plan_acl_eval3(p, rx,
			                   &p->acls[first + k], fetch, ctx));
		if (neg && hit != PLAN_TEST_MISS)
			hit = hit == PLAN_TEST_PASS ? PLAN_TEST_FAIL : PLAN_TEST_PASS;
		all = plan_test_and(all, hit);
	}
	out->may_change = all == PLAN_TEST_MISS;
	if (all == PLAN_TEST_MISS)
		return;
	out->type = PLAN_SMP_BOOL;
	out->i = all == PLAN_TEST_PASS;
}

int plan_cond_eval(const struct plan *p, const struct plan_regex *rx,
                   uint32_t cond, uint32_t first_term, uint32_t nterms,
                   plan_fetch_fn fetch, void *ctx)
{
	int alt = PLAN_TEST_PASS, any = PLAN_TEST_FAIL;

	if (cond == PLAN_COND_NONE)
		return PLAN_TEST_PASS;
	for (uint32_t t = 0; t < nterms; t++) {
		const struct plan_term *tm = &p->terms[first_term + t];
		int hit = PLAN_TEST_FAIL;

		if (tm->flags & PLAN_TERM_F_OR) {
			any = plan_test_or(any, alt);
			if (any == PLAN_TEST_PASS)
				break;
			alt = PLAN_TEST_PASS;
		}
		if (alt == PLAN_TEST_FAIL)
			continue;           /* this alternative already failed */
		for (uint32_t k = 0; k < tm->nacls && hit != PLAN_TEST_PASS; k++)
			hit = plan_test_or(hit, plan_acl_eval3(p, rx,
			                   &p->acls[tm->first_acl + k], fetch, ctx));
		if (tm->flags & PLAN_TERM_F_NEGATE)
			hit = hit == PLAN_TEST_MISS ? hit :
			      hit == PLAN_TEST_PASS ? PLAN_TEST_FAIL : PLAN_TEST_PASS;
		alt = plan_test_and(alt, hit);
	}
	any = plan_test_or(any, alt);
	if (cond == PLAN_COND_UNLESS && any != PLAN_TEST_MISS)
		any = any == PLAN_TEST_PASS ? PLAN_TEST_FAIL : PLAN_TEST_PASS;
	return any;
}

int plan_cond_holds(const struct plan *p, const struct plan_regex *rx,
                    uint32_t cond, uint32_t first_term, uint32_t nterms,
                    plan_fetch_fn fetch, void *ctx)
{
	return plan_cond_eval(p, rx, cond, first_term, nterms, fetch, ctx) ==
	       PLAN_TEST_PASS;
}

int plan_rule_applies(const struct plan *p, const struct plan_rule *r,
                      plan_fetch_fn fetch, void *ctx)
{
	return plan_cond_holds(p, NULL, r->cond, r->first_term, r->nterms,
	                       fetch, ctx);
}

uint32_t plan_http_rules_of(const struct plan *p, uint32_t px, uint32_t set,
                            uint32_t *first)
{
	uint32_t lo = 0, hi = p->nhttp_rules, n = 0;

	/* first rule with (proxy, set) >= (px, set) */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct plan_http_rule *r = &p->http_rules[mid];

		if (r->proxy < px || (r->proxy == px && r->set < set))
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo + n < p->nhttp_rules && p->http_rules[lo + n].proxy == px &&
	       p->http_rules[lo + n].set == set)
		n++;
	return n;
}

uint32_t plan_tcp_rules_of(const struct plan *p, uint32_t px, uint32_t set,
                           uint32_t *first)
{
	const struct plan_proxy *pp = &p->proxies[px];
	const struct plan_tcp *t = &p->tcp[px];
	uint32_t n[PLAN_TCP_SET_MAX], at = pp->first_rule;

	n[PLAN_TCP_CONNECTION] = pp->nconn_rules;
	n[PLAN_TCP_SESSION] = t->nsession;
	n[PLAN_TCP_CONTENT] = t->ncontent;
	n[PLAN_TCP_RESPONSE] = t->nresponse;
	n[PLAN_TCP_STICK] = t->nstick;
	n[PLAN_TCP_USE_SERVER] = t->nuse_server;
	n[PLAN_TCP_SWITCH] = pp->nrules - pp->nconn_rules - t->nsession -
	                     t->ncontent - t->nresponse - t->nstick -
	                     t->nuse_server;
	for (uint32_t k = 0; k < set && k < PLAN_TCP_SET_MAX; k++)
		at += n[k];
	*first = at;
	return set < PLAN_TCP_SET_MAX ? n[set] : 0;
}

int plan_tcp_action_allowed(uint32_t set, uint32_t action)
{
	static const uint32_t common = (1u << PLAN_RULE_ACCEPT) |
	                               (1u << PLAN_RULE_REJECT);
	static const uint32_t sock = (1u << PLAN_RULE_SILENT_DROP) |
	                             (1u << PLAN_RULE_SET_MARK) |
	                             (1u << PLAN_RULE_SET_TOS);
	static const uint32_t allowed[PLAN_TCP_SET_MAX] = {
		[PLAN_TCP_CONNECTION] = common | sock |
		                        (1u << PLAN_RULE_EXPECT_PROXY) |
		                        (1u << PLAN_RULE_STICK),
		[PLAN_TCP_SESSION] = common | sock,
		[PLAN_TCP_CONTENT] = common | sock,
		[PLAN_TCP_SWITCH] = 1u << PLAN_RULE_USE_BACKEND,
		[PLAN_TCP_RESPONSE] = common | (1u << PLAN_RULE_CLOSE),
		[PLAN_TCP_STICK] = 1u << PLAN_RULE_STICK,
		[PLAN_TCP_USE_SERVER] = 1u << PLAN_RULE_USE_SERVER,
	};

	return set < PLAN_TCP_SET_MAX && action < PLAN_RULE_ACTION_MAX &&
	       (allowed[set] & (1u << action));
}

int plan_http_action_allowed(uint32_t set, uint32_t action)
{
	static const uint32_t hdr = (1u << PLAN_HA_SET_HEADER) |
	                            (1u << PLAN_HA_ADD_HEADER) |
	                            (1u << PLAN_HA_DEL_HEADER);
	static const uint32_t rep = (1u << PLAN_HA_REPLACE_HEADER) |
	                            (1u << PLAN_HA_REPLACE_VALUE);
	static const uint32_t fin = (1u << PLAN_HA_ALLOW) | (1u << PLAN_HA_DENY) |
	                            (1u << PLAN_HA_RETURN);
	static const uint32_t var = (1u << PLAN_HA_SET_VAR) |
	                            (1u << PLAN_HA_SET_VAR_FMT) |
	                            (1u << PLAN_HA_UNSET_VAR);
	static const uint32_t allowed[PLAN_HR_SET_MAX] = {
		[PLAN_HR_REQUEST] = hdr | rep | fin | var | (1u << PLAN_HA_REDIRECT) |
		                    (1u << PLAN_HA_SET_PATH) |
		                    (1u << PLAN_HA_SET_QUERY) |
		                    (1u << PLAN_HA_SET_URI) |
		                    (1u << PLAN_HA_SET_METHOD) |
		                    (1u << PLAN_HA_STICK) |
		                    (1u << PLAN_HA_USE_SERVICE) |
		                    (1u << PLAN_HA_REPLACE_PATH) |
		                    (1u << PLAN_HA_AUTH) |
		                    (1u << PLAN_HA_TARPIT) |
		                    (1u << PLAN_HA_STATS_ADMIN) |
		                    (1u << PLAN_HA_NORMALIZE_URI),
		[PLAN_HR_RESPONSE] = hdr | rep | fin | var |
		                     (1u << PLAN_HA_REDIRECT) |
		                     (1u << PLAN_HA_SET_STATUS) |
		                     (1u << PLAN_HA_STICK),
		[PLAN_HR_AFTER] = hdr | var | (1u << PLAN_HA_SET_STATUS),
	};

	return set < PLAN_HR_SET_MAX && action < PLAN_HA_ACTION_MAX &&
	       (allowed[set] & (1u << action));
}

const char *plan_uri_norm_name(uint32_t norm)
{
	static const char *const names[PLAN_URINORM_MAX] = {
		[PLAN_URINORM_FRAGMENT_ENCODE] = "fragment-encode",
		[PLAN_URINORM_FRAGMENT_STRIP] = "fragment-strip",
		[PLAN_URINORM_MERGE_SLASHES] = "path-merge-slashes",
		[PLAN_URINORM_DOT] = "path-strip-dot",
		[PLAN_URINORM_DOTDOT] = "path-strip-dotdot",
		[PLAN_URINORM_PCT_DECODE] = "percent-decode-unreserved",
		[PLAN_URINORM_PCT_UPPER] = "percent-to-uppercase",
		[PLAN_URINORM_QUERY_SORT] = "query-sort-by-name",
	};

	return norm < PLAN_URINORM_MAX ? names[norm] : NULL;
}

uint32_t plan_uri_norm_flags(uint32_t norm)
{
	return norm == PLAN_URINORM_DOTDOT ? PLAN_HR_F_NORM_FULL :
	       norm == PLAN_URINORM_PCT_DECODE || norm == PLAN_URINORM_PCT_UPPER ?
	       PLAN_HR_F_NORM_STRICT : 0u;
}

void plan_sample_addr(const struct sockaddr_storage *ss, size_t len, int port,
                      struct plan_sample *out)
{
	out->type = PLAN_SMP_NONE;
	if (!ss)
		return;
	if (ss->ss_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const void *)ss;

		out->type = port ? PLAN_SMP_INT : PLAN_SMP_IPV4;
		out->i = port ? ntohs(in->sin_port) : 0;
		memcpy(out->ip, &in->sin_addr, 4);
	} else if (ss->ss_family == AF_INET6 &&
	           len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const void *)ss;

		out->type = port ? PLAN_SMP_INT : PLAN_SMP_IPV6;
		out->i = port ? ntohs(in6->sin6_port) : 0;
		memcpy(out->ip, &in6->sin6_addr, 16);
	}
}
