/*
 * plan_conv.c: typed samples and the converter chains of a verified plan
 * (section CONV): HAProxy's casts between sample types, every converter
 * cfgc compiles, and map lookups over the keys and values cfgc stored.
 * cfgrun and the unit tests run this code; nothing here allocates: a
 * converter's output goes to one of two per-thread buffers, so a sample
 * a chain gives stays valid until the next chain runs on that thread.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "plan.h"
#include "plan_live.h"
#include "sample-reg-t.h"

#define PLAN_CONV_BUF 16384         /* bytes a converter may produce */

/* Two buffers: a step writes into the one its input is not in. */
static _Thread_local char plan_conv_mem[2][PLAN_CONV_BUF];

/* The scratch buffer a step may write: not the one holding smp. */
static char *plan_conv_out(const struct plan_sample *smp)
{
	const char *s = smp->str;

	if (s >= plan_conv_mem[0] && s < plan_conv_mem[0] + PLAN_CONV_BUF)
		return plan_conv_mem[1];
	return plan_conv_mem[0];
}

static void plan_smp_int(struct plan_sample *smp, enum plan_sample_type t,
                         int64_t v)
{
	smp->type = t;
	smp->i = v;
	smp->str = NULL;
	smp->len = 0;
}

static void plan_smp_str(struct plan_sample *smp, enum plan_sample_type t,
                         const char *s, size_t len)
{
	smp->type = t;
	smp->str = s;
	smp->len = len;
}

/* Integer from text as HAProxy's cast reads it: optional sign, digits;
 * what follows is ignored. 0, or -1 without a digit. */
static int plan_text_int(const char *s, size_t len, int64_t *out)
{
	size_t i = 0;
	int neg = 0;
	uint64_t v = 0;

	if (i < len && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	if (i >= len || s[i] < '0' || s[i] > '9')
		return -1;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > (uint64_t)INT64_MAX + neg)
		return -1;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

int plan_sample_cast(struct plan_sample *smp, enum plan_sample_type to)
{
	char *out, text[64];
	int n;

	if (smp->type == PLAN_SMP_NONE)
		return -1;
	if (smp->type == to)
		return 0;
	switch (to) {
	case PLAN_SMP_STR:
	case PLAN_SMP_BIN:
		if (smp->type == PLAN_SMP_STR || smp->type == PLAN_SMP_BIN) {
			smp->type = to;
			return 0;
		}
		out = plan_conv_out(smp);
		if (to == PLAN_SMP_BIN) {
			/* as HAProxy's binary casts: an integer is its 8 bytes
			 * in network order, an address its 4 or 16 bytes */
			if (smp->type == PLAN_SMP_BOOL || smp->type == PLAN_SMP_INT) {
				uint64_t v = (uint64_t)smp->i;

				for (int k = 7; k >= 0; k--, v >>= 8)
					out[k] = (char)(v & 0xff);
				n = 8;
			} else {
				n = smp->type == PLAN_SMP_IPV4 ? 4 : 16;
				memcpy(out, smp->ip, (size_t)n);
			}
		} else if (smp->type == PLAN_SMP_BOOL || smp->type == PLAN_SMP_INT) {
			n = snprintf(out, PLAN_CONV_BUF, "%lld", (long long)smp->i);
		} else {
			if (!inet_ntop(smp->type == PLAN_SMP_IPV4 ? AF_INET : AF_INET6,
			               smp->ip, out, PLAN_CONV_BUF))
				return -1;
			n = (int)strlen(out);
		}
		plan_smp_str(smp, to, out, (size_t)n);
		return 0;
	case PLAN_SMP_BOOL:
	case PLAN_SMP_INT:
		if (smp->type == PLAN_SMP_BOOL || smp->type == PLAN_SMP_INT) {
			smp->type = to;
			if (to == PLAN_SMP_BOOL)
				smp->i = smp->i != 0;
			return 0;
		}
		if (smp->type == PLAN_SMP_IPV4) {
			/* the address as a host-order number */
			plan_smp_int(smp, to, (int64_t)((uint32_t)smp->ip[0] << 24 |
			                                (uint32_t)smp->ip[1] << 16 |
			                                (uint32_t)smp->ip[2] << 8 |
			                                smp->ip[3]));
			return 0;
		}
		if (smp->type == PLAN_SMP_IPV6 || !smp->len)
			return -1;
		/* as HAProxy's cast: text without leading digits reads 0 */
		if (plan_text_int(smp->str, smp->len, &smp->i) < 0)
			smp->i = 0;
		plan_smp_int(smp, to, to == PLAN_SMP_BOOL ? smp->i != 0 : smp->i);
		return 0;
	case PLAN_SMP_IPV4:
	case PLAN_SMP_IPV6:
		if (smp->type == PLAN_SMP_IPV4 || smp->type == PLAN_SMP_IPV6)
			return 0;           /* an address stays what it is */
		if (smp->type == PLAN_SMP_INT) {
			uint32_t v = (uint32_t)smp->i;

			smp->type = PLAN_SMP_IPV4;
			memset(smp->ip, 0, sizeof(smp->ip));
			smp->ip[0] = (uint8_t)(v >> 24);
			smp->ip[1] = (uint8_t)(v >> 16);
			smp->ip[2] = (uint8_t)(v >> 8);
			smp->ip[3] = (uint8_t)v;
			return 0;
		}
		if (smp->type == PLAN_SMP_BOOL || smp->len == 0 ||
		    smp->len >= sizeof(text))
			return -1;
		memcpy(text, smp->str, smp->len);
		text[smp->len] = 0;
		memset(smp->ip, 0, sizeof(smp->ip));
		if (inet_pton(AF_INET, text, smp->ip) == 1)
			smp->type = PLAN_SMP_IPV4;
		else if (inet_pton(AF_INET6, text, smp->ip) == 1)
			smp->type = PLAN_SMP_IPV6;
		else
			return -1;
		smp->str = NULL;
		smp->len = 0;
		return 0;
	default:
		return -1;
	}
}

/* ---- hashes (HAProxy's definitions, 32 bits) --------------------------- */

static uint32_t plan_crc32(const uint8_t *s, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		c ^= s[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
	}
	return ~c;
}

static uint32_t plan_sdbm(const uint8_t *s, size_t n)
{
	uint32_t h = 0;

	for (size_t i = 0; i < n; i++)
		h = s[i] + (h << 6) + (h << 16) - h;
	return h;
}

static uint32_t plan_djb2(const uint8_t *s, size_t n)
{
	uint32_t h = 5381;

	for (size_t i = 0; i < n; i++)
		h = (h << 5) + h + s[i];
	return h;
}

static uint32_t plan_rotl(uint32_t x, unsigned r)
{
	r &= 31;
	return r ? (x << r) | (x >> (32 - r)) : x;
}

static uint32_t plan_wt6(const uint8_t *s, size_t n)
{
	uint32_t h0 = 0xa53c965au, h1 = 0x5ca6953au, t;
	unsigned s0 = 6, s1 = 18;

	for (size_t i = 0; i < n; i++) {
		h0 = ~(h0 ^ s[i]);
		h1 = ~(h1 + s[i]);
		t = plan_rotl(h1, s0);
		h1 = plan_rotl(h0, s1);
		h0 = t;
		t = ((h0 >> 16) ^ h1) & 0xffff;
		s0 = t & 0x1f;
		s1 = t >> 11;
	}
	return h0 ^ h1;
}

/* ---- text converters --------------------------------------------------- */

static const char plan_b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int plan_b64_val(char c)
{
	const char *p = c ? strchr(plan_b64, c) : NULL;

	return p ? (int)(p - plan_b64) : -1;
}

/* base64 of in[0..n) into out: its length, or -1 when it does not fit. */
static long plan_b64_enc(const uint8_t *in, size_t n, char *out)
{
	size_t o = 0;

	if ((n + 2) / 3 * 4 > PLAN_CONV_BUF)
		return -1;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t rem = (uint32_t)(n - i);
		uint32_t w = (uint32_t)in[i] << 16 |
		             (rem > 1 ? (uint32_t)in[i + 1] << 8 : 0) |
		             (rem > 2 ? in[i + 2] : 0);

		out[o++] = plan_b64[w >> 18 & 63];
		out[o++] = plan_b64[w >> 12 & 63];
		out[o++] = rem > 1 ? plan_b64[w >> 6 & 63] : '=';
		out[o++] = rem > 2 ? plan_b64[w & 63] : '=';
	}
	return (long)o;
}

/* base64 text s[0..n) decoded into out: its length, or -1 when it is not
 * base64 (length a multiple of 4, '=' only at the end). */
static long plan_b64_dec(const char *s, size_t n, uint8_t *out)
{
	size_t o = 0;

	if (n % 4)
		return -1;
	for (size_t i = 0; i < n; i += 4) {
		int v[4], pad = 0;
		uint32_t w;

		for (int k = 0; k < 4; k++) {
			if (s[i + k] == '=' && i + 4 == n && k >= 2) {
				v[k] = 0;
				pad++;
				continue;
			}
			if (pad || (v[k] = plan_b64_val(s[i + k])) < 0)
				return -1;
		}
		w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 |
		    (uint32_t)v[2] << 6 | (uint32_t)v[3];
		out[o++] = (uint8_t)(w >> 16);
		if (pad < 2)
			out[o++] = (uint8_t)(w >> 8);
		if (pad < 1)
			out[o++] = (uint8_t)w;
	}
	return (long)o;
}

static int plan_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* 1 when c is one of the delimiter bytes d[0..dl). */
static int plan_is_sep(char c, const char *d, size_t dl)
{
	return dl && memchr(d, c, dl) != NULL;
}

/*
 * field(n,delims[,count]) / word(...): the n-th field (1-based; < 0 from
 * the end) of s split at any byte of d, `count` fields from there, towards
 * the end for n > 0 and the start for n < 0 (0: every one that
 * way), delimiters kept between them. `words`: runs of
 * delimiters count as one and empty fields at the ends are skipped.
 * 0 with *o and *ol set, or -1: no such field.
 */
static int plan_field(const char *s, size_t n, const char *d, size_t dl,
                      int64_t idx, int64_t count, int words, size_t *o,
                      size_t *ol)
{
	size_t start[512], end[512], nf = 0, i = 0;
	int64_t first, last;

	/* split into at most 512 fields; more are not addressable */
	while (i <= n && nf < 512) {
		size_t b;

		if (words)
			while (i < n && plan_is_sep(s[i], d, dl))
				i++;
		if (words && i >= n)
			break;
		b = i;
		while (i < n && !plan_is_sep(s[i], d, dl))
			i++;
		start[nf] = b;
		end[nf++] = i;
		i++;
	}
	if (!nf || idx == 0 || count < 0)
		return -1;
	if (idx > 0) {
		first = idx - 1;
		if (first >= (int64_t)nf)
			return -1;
		last = count == 0 || count > (int64_t)nf - first ?
		       (int64_t)nf - 1 : first + count - 1;
	} else {
		last = (int64_t)nf + idx;
		if (last < 0)
			return -1;
		first = count == 0 || count > last + 1 ? 0 : last - count + 1;
	}
	*o = start[first];
	*ol = end[last] - start[first];
	return 0;
}

/* JSON string escape of s[0..n) into out: length or -1 (too long). */
static long plan_json(const char *s, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc = c == '"' ? '"' : c == '\\' ? '\\' : c == '/' ? '/' :
		           c == '\b' ? 'b' : c == '\f' ? 'f' : c == '\n' ? 'n' :
		           c == '\r' ? 'r' : c == '\t' ? 't' : 0;

		if (o + 6 > PLAN_CONV_BUF)
			return -1;
		if (esc) {
			out[o++] = '\\';
			out[o++] = esc;
		} else if (c < 0x20) {
			out[o++] = '\\';
			out[o++] = 'u';
			out[o++] = '0';
			out[o++] = '0';
			out[o++] = hx[c >> 4];
			out[o++] = hx[c & 15];
		} else {
			out[o++] = (char)c;
		}
	}
	return (long)o;
}

/* regsub: s with the regex of pattern `pat` replaced by `sub` (\0..\9
 * name groups), every match with `global`. Length or -1. */
static long plan_regsub(const struct plan_regex *rx, uint32_t pat,
                        const char *s, size_t n, const char *sub, size_t sl,
                        int global, char *out)
{
	size_t ov[2 * PLAN_REGEX_GROUPS], pos = 0, o = 0;
	int done = 0;

	while (pos <= n) {
		int g = done ? -1 : plan_regex_groups(rx, pat, s + pos, n - pos, ov,
		                                      PLAN_REGEX_GROUPS);
		size_t mb, me;

		if (g < 0)
			break;
		mb = pos + ov[0];
		me = pos + ov[1];
		if (o + (mb - pos) > PLAN_CONV_BUF)
			return -1;
		memcpy(out + o, s + pos, mb - pos);
		o += mb - pos;
		for (size_t k = 0; k < sl; k++) {
			if (sub[k] == '\\' && k + 1 < sl && sub[k + 1] >= '0' &&
			    sub[k + 1] <= '9') {
				unsigned gi = (unsigned)(sub[k + 1] - '0');

				k++;
				if (gi < PLAN_REGEX_GROUPS && ov[2 * gi] != (size_t)-1) {
					size_t gl = ov[2 * gi + 1] - ov[2 * gi];

					if (o + gl > PLAN_CONV_BUF)
						return -1;
					memcpy(out + o, s + pos + ov[2 * gi], gl);
					o += gl;
				}
				continue;
			}
			if (o + 1 > PLAN_CONV_BUF)
				return -1;
			out[o++] = sub[k];
		}
		if (me == mb) {             /* empty match: step one byte */
			if (me < n) {
				if (o + 1 > PLAN_CONV_BUF)
					return -1;
				out[o++] = s[me];
			}
			pos = me + 1;
		} else {
			pos = me;
		}
		done = !global;
	}
	if (pos < n) {
		if (o + (n - pos) > PLAN_CONV_BUF)
			return -1;
		memcpy(out + o, s + pos, n - pos);
		o += n - pos;
	}
	return (long)o;
}

/*
 * The port of a Host value h[0..n) as HAProxy finds it: the digits after
 * the last ':' that only digits follow, when that ':' is neither first
 * nor last ("[::1]" has none, "[::1]:80" has 80). Offset of that ':',
 * or n when there is no port.
 */
static size_t plan_host_port_at(const char *h, size_t n)
{
	size_t i = n;

	while (i > 0 && h[i - 1] >= '0' && h[i - 1] <= '9')
		i--;
	if (i == 0 || i == n || h[i - 1] != ':' || i - 1 == 0)
		return n;
	return i - 1;
}

/* SHA-1 or SHA-2 of `bits` of s[0..n) into out (64 bytes): its length,
 * or -1 for a size the plan verifier would have refused. */
static long plan_sha(uint32_t conv, int64_t bits, const uint8_t *s,
                     size_t n, uint8_t *out)
{
	if (conv == PLAN_CONV_SHA1) {
		SHA1(s, n, out);
		return SHA_DIGEST_LENGTH;
	}
	switch (bits) {
	case 224: SHA224(s, n, out); return SHA224_DIGEST_LENGTH;
	case 256: SHA256(s, n, out); return SHA256_DIGEST_LENGTH;
	case 384: SHA384(s, n, out); return SHA384_DIGEST_LENGTH;
	case 512: SHA512(s, n, out); return SHA512_DIGEST_LENGTH;
	default: return -1;
	}
}

/* ---- maps --------------------------------------------------------------- */

/* The number of network bits the IP key `pt` matches smp with, or -1. */
static int plan_ip_hit(const struct plan_pattern *pt,
                       const struct plan_sample *smp)
{
	return plan_pattern_match(pt, smp) ? pt->prefix : -1;
}

/*
 * Index (0-based among the map's keys) of the key step `st` finds for
 * smp, or -1. One pattern is one ACL line's worth of matching, so the
 * ACL code decides each key; the map adds its choice among hits.
 */
static int64_t plan_map_find(const struct plan *p, const struct plan_regex *rx,
                             const struct plan_conv_step *st,
                             const struct plan_sample *smp)
{
	int icase = (st->flags & PLAN_CS_F_ICASE) != 0;
	int64_t best = -1;
	size_t best_len = 0;
	int best_bits = -1;

	if (st->match == PLAN_MATCH_STR) {
		uint32_t lo = 0, hi = st->npatterns;

		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;
			const struct plan_pattern *pt =
				&p->patterns[st->first_pattern + mid];
			int c = plan_str_cmp(smp->str, smp->len,
			                     plan_str_get(p, pt->str), pt->str.len,
			                     icase);

			if (!c)
				return mid;
			if (c < 0)
				hi = mid;
			else
				lo = mid + 1;
		}
		return -1;
	}
	for (uint32_t k = 0; k < st->npatterns; k++) {
		uint32_t pi = st->first_pattern + k;
		const struct plan_pattern *pt = &p->patterns[pi];
		struct plan_acl one;
		int bits;

		if (st->match == PLAN_MATCH_IP) {
			if ((bits = plan_ip_hit(pt, smp)) > best_bits) {
				best_bits = bits;
				best = k;
			}
			continue;
		}
		if (st->match == PLAN_MATCH_INT) {
			if (plan_pattern_match(pt, smp))
				return k;
			continue;
		}
		if (st->match == PLAN_MATCH_REG) {
			if (plan_regex_match(rx, pi, smp->str, smp->len))
				return k;
			continue;
		}
		memset(&one, 0, sizeof(one));
		one.match = st->match;
		one.first_pattern = pi;
		one.npatterns = 1;
		one.flags = icase ? PLAN_ACL_F_ICASE : 0;
		if (!plan_acl_match(p, rx, &one, smp))
			continue;
		if (st->match != PLAN_MATCH_BEG)
			return k;
		if (best < 0 || pt->str.len > best_len) {
			best = k;
			best_len = pt->str.len;
		}
	}
	return best;
}

/* The value text v[0..vl) of a map as a sample of type `out`. */
static int plan_map_value(const char *v, size_t vl, uint32_t out,
                          struct plan_sample *smp)
{
	plan_smp_str(smp, PLAN_SMP_STR, v, vl);
	if (out == SMP_OUT_INT)
		return plan_sample_cast(smp, PLAN_SMP_INT);
	if (out == SMP_OUT_IP)
		return plan_sample_cast(smp, PLAN_SMP_IPV4);
	return 0;
}

static int plan_conv_map(const struct plan *p, const struct plan_regex *rx,
                         const struct plan_conv_step *st,
                         struct plan_sample *smp)
{
	int64_t k;
	long vl;
	struct plan_str vs;
	char *out;

	if (st->match == PLAN_MATCH_IP) {
		if (plan_sample_cast(smp, PLAN_SMP_IPV4) < 0)
			goto miss;
	} else if (st->match == PLAN_MATCH_INT) {
		if (plan_sample_cast(smp, PLAN_SMP_INT) < 0)
			goto miss;
	} else if (plan_sample_cast(smp, PLAN_SMP_STR) < 0) {
		goto miss;
	}
	/* changed at run time: the generation's copy (plan_live.c) */
	out = plan_conv_out(smp);
	vl = plan_live_map_find(plan_regex_live(rx), (uint32_t)(st - p->steps),
	                        st, smp, out, PLAN_CONV_BUF);
	if (vl >= 0)
		return plan_map_value(out, (size_t)vl, st->out, smp);
	if (vl == -1)
		goto miss;
	if ((k = plan_map_find(p, rx, st, smp)) < 0)
		goto miss;
	memcpy(&vs, p->blob + st->values.off + 8u * (uint64_t)k, sizeof(vs));
	return plan_map_value(plan_str_get(p, vs), vs.len, st->out, smp);
miss:
	if (!(st->flags & PLAN_CS_F_DEFAULT))
		return -1;
	return plan_map_value(plan_str_get(p, st->s1), st->s1.len, st->out, smp);
}

/* ---- the chain ---------------------------------------------------------- */

/* Number argument `a` of st: its value, or the variable's as an int. */
static int plan_conv_arg(const struct plan_conv_step *st, plan_fetch_fn fetch,
                         void *ctx, int64_t *v)
{
	struct plan_sample var;
	struct plan_acl a;

	if (!(st->flags & PLAN_CS_F_A_VAR)) {
		*v = st->a;
		return 0;
	}
	memset(&a, 0, sizeof(a));
	memset(&var, 0, sizeof(var));
	a.fetch = PLAN_FETCH_VAR;
	a.arg = (uint32_t)st->a;
	fetch(ctx, &a, &var);
	if (plan_sample_cast(&var, PLAN_SMP_INT) < 0)
		return -1;
	*v = var.i;
	return 0;
}

/* The variable named by st's a, as a string sample into *out. */
static int plan_conv_var_str(const struct plan_conv_step *st,
                             plan_fetch_fn fetch, void *ctx,
                             struct plan_sample *out)
{
	struct plan_acl a;

	memset(&a, 0, sizeof(a));
	memset(out, 0, sizeof(*out));
	a.fetch = PLAN_FETCH_VAR;
	a.arg = (uint32_t)st->a;
	fetch(ctx, &a, out);
	if (out->type == PLAN_SMP_NONE)
		return -1;
	if (out->type != PLAN_SMP_STR && out->type != PLAN_SMP_BIN) {
		/* the cast writes a scratch buffer: keep it apart from ours */
		return -1;
	}
	return 0;
}

/* Arithmetic step on an int sample; -1 loses it (division by 0). */
static int plan_conv_arith(const struct plan_conv_step *st, plan_fetch_fn fetch,
                           void *ctx, struct plan_sample *smp)
{
	int64_t a = 0, x;

	if (plan_sample_cast(smp, PLAN_SMP_INT) < 0)
		return -1;
	x = smp->i;
	if (st->conv != PLAN_CONV_NEG && st->conv != PLAN_CONV_NOT &&
	    st->conv != PLAN_CONV_BOOL && st->conv != PLAN_CONV_ODD &&
	    st->conv != PLAN_CONV_EVEN && plan_conv_arg(st, fetch, ctx, &a) < 0)
		return -1;
	switch (st->conv) {
	case PLAN_CONV_ADD: x = (int64_t)((uint64_t)x + (uint64_t)a); break;
	case PLAN_CONV_SUB: x = (int64_t)((uint64_t)x - (uint64_t)a); break;
	case PLAN_CONV_MUL: x = (int64_t)((uint64_t)x * (uint64_t)a); break;
	case PLAN_CONV_DIV:
	case PLAN_CONV_MOD:
		/* as HAProxy: x / 0 is the largest integer, x % 0 is 0 */
		if (a == 0 || (a == -1 && x == INT64_MIN))
			x = st->conv == PLAN_CONV_DIV ? INT64_MAX : 0;
		else
			x = st->conv == PLAN_CONV_DIV ? x / a : x % a;
		break;
	case PLAN_CONV_NEG: x = (int64_t)(0 - (uint64_t)x); break;
	case PLAN_CONV_AND: x &= a; break;
	case PLAN_CONV_OR:  x |= a; break;
	case PLAN_CONV_XOR: x ^= a; break;
	case PLAN_CONV_NOT:
		plan_smp_int(smp, PLAN_SMP_BOOL, x == 0);
		return 0;
	case PLAN_CONV_BOOL:
		plan_smp_int(smp, PLAN_SMP_BOOL, x != 0);
		return 0;
	case PLAN_CONV_ODD:
		plan_smp_int(smp, PLAN_SMP_BOOL, x & 1);
		return 0;
	case PLAN_CONV_EVEN:
		plan_smp_int(smp, PLAN_SMP_BOOL, !(x & 1));
		return 0;
	default:
		return -1;
	}
	plan_smp_int(smp, PLAN_SMP_INT, x);
	return 0;
}

/* ipmask(v4 bits, v6 bits) on an address sample. */
static int plan_conv_ipmask(const struct plan_conv_step *st,
                            struct plan_sample *smp)
{
	unsigned bits, bytes;

	if (plan_sample_cast(smp, PLAN_SMP_IPV4) < 0)
		return -1;
	if (smp->type == PLAN_SMP_IPV6 && st->b < 0)
		return -1;              /* no IPv6 mask given: as HAProxy */
	bits = (unsigned)(smp->type == PLAN_SMP_IPV4 ? st->a : st->b);
	bytes = smp->type == PLAN_SMP_IPV4 ? 4 : 16;
	for (unsigned i = 0; i < bytes; i++) {
		unsigned keep = bits > i * 8 ? bits - i * 8 : 0;

		if (keep < 8)
			smp->ip[i] &= (uint8_t)(0xffu << (8 - keep));
	}
	return 0;
}

/* One step on smp; 0, or -1 when the sample is lost. */
static int plan_conv_step_run(const struct plan *p, const struct plan_regex *rx,
                              const struct plan_conv_step *st,
                              plan_fetch_fn fetch, void *ctx,
                              struct plan_sample *smp)
{
	char *out;
	long n;
	size_t o, ol;
	uint32_t h;

	switch (st->conv) {
	case PLAN_CONV_LOWER:
	case PLAN_CONV_UPPER:
		if (plan_sample_cast(smp, PLAN_SMP_STR) < 0 ||
		    smp->len > PLAN_CONV_BUF)
			return -1;
		out = plan_conv_out(smp);
		for (size_t i = 0; i < smp->len; i++) {
			char c = smp->str[i];

			if (st->conv == PLAN_CONV_LOWER && c >= 'A' && c <= 'Z')
				c = (char)(c + 32);
			else if (st->conv == PLAN_CONV_UPPER && c >= 'a' && c <= 'z')
				c = (char)(c - 32);
			out[i] = c;
		}
		plan_smp_str(smp, PLAN_SMP_STR, out, smp->len);
		return 0;
	case PLAN_CONV_BASE64:
		if (plan_sample_cast(smp, PLAN_SMP_BIN) < 0)
			return -1;
		out = plan_conv_out(smp);
		if ((n = plan_b64_enc((const uint8_t *)smp->str, smp->len, out)) < 0)
			return -1;
		plan_smp_str(smp, PLAN_SMP_STR, out, (size_t)n);
		return 0;
	case PLAN_CONV_B64DEC:
		if (plan_sample_cast(smp, PLAN_SMP_STR) < 0 ||
		    smp->len > PLAN_CONV_BUF)
			return -1;
		out = plan_conv_out(smp);
		if ((n = plan_b64_dec(smp->str, smp->len, (uint8_t *)out)) < 0)
			return -1;
		plan_smp_str(smp, PLAN_SMP_BIN, out, (size_t)n);
		return 0;
	case PLAN_CONV_HEX:
		if (plan_sample_cast(smp, PLAN_SMP_BIN) < 0 ||
		    smp->len * 2 > PLAN_CONV_BUF)
			return -1;
		out = plan_conv_out(smp);
		for (size_t i = 0; i < smp->len; i++) {
			static const char hx[] = "0123456789ABCDEF";
			uint8_t c = (uint8_t)smp->str[i];

			out[2 * i] = hx[c >> 4];
			out[2 * i + 1] = hx[c & 15];
		}
		plan_smp_str(smp, PLAN_SMP_STR, out, smp->len * 2);
		return 0;
	case PLAN_CONV_LENGTH:
		if (plan_sample_cast(smp, PLAN_SMP_STR) < 0)
			return -1;
		plan_smp_int(smp, PLAN_SMP_INT, (int64_t)smp->len);
		return 0;
	case PLAN_CONV_BYTES:
		if (plan_sample_cast(smp, PLAN_SMP_BIN) < 0)
			return -1;
		if ((uint64_t)st->a >= smp->len) {
			plan_smp_str(smp, PLAN_SMP_BIN, smp->str, 0);
			return 0;
		}
		o = (size_t)st->a;
		ol = smp->len - o;
		if (st->b >= 0 && (uint64_t)st->b < ol)
			ol = (size_t)st->b;
		plan_smp_str(smp, PLAN_SMP_BIN, smp->str + o, ol);
		return 0;
	case PLAN_CONV_FIELD:
	case PLAN_CONV_WORD:
		if (plan_sample_cast(smp, PLAN_SMP_STR) < 0)
			return -1;
		if (plan_field(smp->str, smp->len, plan_str_get(p, st->s1),
		               st->s1.len, st->a, st->b, st->conv == PLAN_CONV_WORD,
		               &o, &ol) < 0) {
			plan_smp_str(smp, PLAN_SMP_STR, smp->str, 0);
			return 0;
		}
		plan_smp_str(smp, PLAN_SMP_STR, smp->str + o, ol);
		return 0;
	case PLAN_CONV_REGSUB:
		if (plan_sample_cast(smp, PLAN_SMP_STR) < 0)
			return -1;
		out = plan_conv_out(smp);
		if ((n = plan_regsub(rx, st->first_pattern, smp->str, smp->len,
		                     plan_str_get(p, st->s1), st->s1.len,
		                     (st->flags & PLAN_CS_F_GLOBAL) != 0, out)) < 0)
			return -1;
		plan_smp_str(smp, PLAN_SMP_STR, out, (size_t)n);
		return 0;
	case PLAN_CONV_URL_DEC:
		if (plan_sample_cast(smp, PLAN_SMP_STR) < 0 ||
		    smp->len > PLAN_CONV_BUF)
			return -1;
		out = plan_conv_out(smp);
		o = 0;
		for (size_t i = 0; i < smp->len; i++) {
			if (smp->str[i] == '%') {
				int hi, lo;

				if (i + 2 >= smp->len ||
				    (hi = plan_hexval(smp->str[i + 1])) < 0 ||
				    (lo = plan_hexval(smp->str[i + 2])) < 0)
					return -1;
				out[o++] = (char)(hi << 4 | lo);
				i += 2;
			} else {
				out[o++] = smp->str[i];
			}
		}
		plan_smp_str(smp, PLAN_SMP_STR, out, o);
		return 0;
	case PLAN_CONV_JSON:
		if (plan_sample_cast(smp, PLAN_SMP_STR) < 0)
			return -1;
		out = plan_conv_out(smp);
		if ((n = plan_json(smp->str, smp->len, out)) < 0)
			return -1;
		plan_smp_str(smp, PLAN_SMP_STR, out, (size_t)n);
		return 0;
	case PLAN_CONV_CRC32:
	case PLAN_CONV_SDBM:
	case PLAN_CONV_DJB2:
	case PLAN_CONV_WT6:
		if (plan_sample_cast(smp, PLAN_SMP_BIN) < 0)
			return -1;
		h = st->conv == PLAN_CONV_CRC32 ? plan_crc32((const void *)smp->str,
		                                             smp->len) :
		    st->conv == PLAN_CONV_SDBM ? plan_sdbm((const void *)smp->str,
		                                           smp->len) :
		    st->conv == PLAN_CONV_DJB2 ? plan_djb2((const void *)smp->str,
		                                           smp->len) :
		    plan_wt6((const void *)smp->str, smp->len);
		plan_smp_int(smp, PLAN_SMP_INT, (int64_t)h);
		return 0;
	case PLAN_CONV_IPMASK:
		return plan_conv_ipmask(st, smp);
	case PLAN_CONV_HOST_ONLY:
		if (plan_sample_cast(smp, PLAN_SMP_STR) < 0 ||
		    smp->len > PLAN_CONV_BUF)
			return -1;
		out = plan_conv_out(smp);
		ol = plan_host_port_at(smp->str, smp->len);
		for (size_t i = 0; i < ol; i++) {
			char c = smp->str[i];

			out[i] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
		}
		plan_smp_str(smp, PLAN_SMP_STR, out, ol);
		return 0;
	case PLAN_CONV_PORT_ONLY: {
		int64_t port = 0;

		if (plan_sample_cast(smp, PLAN_SMP_STR) < 0)
			return -1;
		o = plan_host_port_at(smp->str, smp->len);
		if (o < smp->len &&
		    plan_text_int(smp->str + o + 1, smp->len - o - 1, &port) < 0)
			port = 0;
		plan_smp_int(smp, PLAN_SMP_INT, port);
		return 0;
	}
	case PLAN_CONV_SHA1:
	case PLAN_CONV_SHA2:
		if (plan_sample_cast(smp, PLAN_SMP_BIN) < 0)
			return -1;
		out = plan_conv_out(smp);
		if ((n = plan_sha(st->conv, st->a, (const uint8_t *)smp->str,
		                  smp->len, (uint8_t *)out)) < 0)
			return -1;
		plan_smp_str(smp, PLAN_SMP_BIN, out, (size_t)n);
		return 0;
	case PLAN_CONV_HEX2I: {
		/* as HAProxy does (not as its manual says): a byte that is no
		 * hex digit loses the sample */
		uint64_t v = 0;

		if (plan_sample_cast(smp, PLAN_SMP_STR) < 0)
			return -1;
		for (size_t i = 0; i < smp->len; i++) {
			int d = plan_hexval(smp->str[i]);

			if (d < 0)
				return -1;
			v = v << 4 | (uint64_t)d;
		}
		plan_smp_int(smp, PLAN_SMP_INT, (int64_t)v);
		return 0;
	}
	case PLAN_CONV_CONCAT: {
		struct plan_sample var;
		size_t vl = 0;
		const char *vs = NULL;

		if (plan_sample_cast(smp, PLAN_SMP_STR) < 0)
			return -1;
		if ((st->flags & PLAN_CS_F_A_VAR) &&
		    plan_conv_var_str(st, fetch, ctx, &var) == 0) {
			vs = var.str;
			vl = var.len;
		}
		if (smp->len + st->s1.len + vl + st->s2.len > PLAN_CONV_BUF)
			return -1;
		out = plan_conv_out(smp);
		memmove(out, smp->str, smp->len);
		o = smp->len;
		memcpy(out + o, plan_str_get(p, st->s1), st->s1.len);
		o += st->s1.len;
		if (vl)
			memcpy(out + o, vs, vl);
		o += vl;
		memcpy(out + o, plan_str_get(p, st->s2), st->s2.len);
		o += st->s2.len;
		plan_smp_str(smp, PLAN_SMP_STR, out, o);
		return 0;
	}
	case PLAN_CONV_STRCMP: {
		struct plan_sample var;
		int c;

		if (plan_sample_cast(smp, PLAN_SMP_STR) < 0 ||
		    plan_conv_var_str(st, fetch, ctx, &var) < 0)
			return -1;
		c = memcmp(smp->str, var.str, smp->len < var.len ? smp->len
		                                                 : var.len);
		if (!c)
			c = smp->len < var.len ? -1 : smp->len > var.len;
		plan_smp_int(smp, PLAN_SMP_INT, c < 0 ? -1 : c > 0);
		return 0;
	}
	case PLAN_CONV_MAP:
		return plan_conv_map(p, rx, st, smp);
	case PLAN_CONV_LTRIM:
	case PLAN_CONV_RTRIM: {
		const char *set = plan_str_get(p, st->s1);

		if (plan_sample_cast(smp, PLAN_SMP_STR) < 0)
			return -1;
		while (smp->len && plan_is_sep(st->conv == PLAN_CONV_LTRIM ?
		                               smp->str[0] :
		                               smp->str[smp->len - 1], set,
		                               st->s1.len)) {
			if (st->conv == PLAN_CONV_LTRIM)
				smp->str++;
			smp->len--;
		}
		return 0;
	}
	default:
		return plan_conv_arith(st, fetch, ctx, smp);
	}
}

int plan_conv_apply(const struct plan *p, const struct plan_regex *rx,
                    const struct plan_acl *acl, plan_fetch_fn fetch,
                    void *ctx, struct plan_sample *smp)
{
	if (!acl->conv)
		return smp->type == PLAN_SMP_NONE ? -1 : 0;
	for (uint32_t i = acl->conv - 1; i < p->nsteps; i++) {
		const struct plan_conv_step *st = &p->steps[i];

		if (smp->type == PLAN_SMP_NONE ||
		    plan_conv_step_run(p, rx, st, fetch, ctx, smp) < 0) {
			smp->type = PLAN_SMP_NONE;
			return -1;
		}
		if (st->flags & PLAN_CS_F_LAST)
			break;
	}
	return 0;
}

int plan_sample_eval(const struct plan *p, const struct plan_regex *rx,
                     const struct plan_acl *acl, plan_fetch_fn fetch,
                     void *ctx, struct plan_sample *smp)
{
	memset(smp, 0, sizeof(*smp));
	fetch(ctx, acl, smp);
	smp->more = 0;
	return plan_conv_apply(p, rx, acl, fetch, ctx, smp);
}

const char *plan_var_name(const struct plan *p, uint32_t var)
{
	for (uint32_t i = 0; i < p->nacls; i++)
		if (p->acls[i].fetch == PLAN_FETCH_VAR && p->acls[i].arg == var)
			return plan_str_get(p, p->acls[i].sarg);
	for (uint32_t i = 0; i < p->nhttp_rules; i++) {
		const struct plan_http_rule *r = &p->http_rules[i];

		if ((r->action == PLAN_HA_SET_VAR || r->action == PLAN_HA_UNSET_VAR ||
		     r->action == PLAN_HA_SET_VAR_FMT) && r->arg == var)
			return plan_str_get(p, r->name);
	}
	return NULL;
}

/* date(offset,unit): the real-time clock in the line's unit, plus its
 * offset. */
static void plan_fetch_date(const struct plan_acl *a, struct plan_sample *out)
{
	struct timespec ts;
	int64_t v;

	clock_gettime(CLOCK_REALTIME, &ts);
	v = (int64_t)ts.tv_sec;
	if (a->occ == PLAN_DATE_MS)
		v = v * 1000 + ts.tv_nsec / 1000000;
	else if (a->occ == PLAN_DATE_US)
		v = v * 1000000 + ts.tv_nsec / 1000;
	plan_smp_int(out, PLAN_SMP_INT, v + a->arg2);
}

void plan_fetch_const(const struct plan *p, const struct plan_acl *a,
                      struct plan_sample *out)
{
	if (a->fetch == PLAN_FETCH_DATE) {
		plan_fetch_date(a, out);
		return;
	}
	if (a->fetch != PLAN_FETCH_STR && a->fetch != PLAN_FETCH_INT &&
	    a->fetch != PLAN_FETCH_BOOL)
		return;
	plan_smp_str(out, PLAN_SMP_STR, plan_str_get(p, a->sarg), a->sarg.len);
	if (a->fetch != PLAN_FETCH_STR &&
	    plan_sample_cast(out, a->fetch == PLAN_FETCH_INT ? PLAN_SMP_INT :
	                     PLAN_SMP_BOOL) < 0)
		out->type = PLAN_SMP_NONE;
}

long plan_expr_end(const char *t, size_t p)
{
	int depth = 0;
	char quote = 0;

	for (size_t i = p; t[i]; i++) {
		if (quote) {
			if (t[i] == '\\' && t[i + 1])
				i++;
			else if (t[i] == quote)
				quote = 0;
		} else if (t[i] == '\\' && t[i + 1]) {
			i++;
		} else if (t[i] == '"' || t[i] == '\'') {
			quote = t[i];
		} else if (t[i] == '(' || t[i] == '[') {
			depth++;
		} else if (t[i] == ')' || (t[i] == ']' && depth)) {
			depth--;
		} else if (t[i] == ']') {
			return (long)i;
		}
	}
	return -1;
}

long plan_lf_next_expr(const char *t, size_t *pos, size_t *len)
{
	for (size_t i = *pos; t[i]; i++) {
		size_t j;
		long end;

		if (t[i] != '%')
			continue;
		if (t[i + 1] == '%') {
			i++;
			continue;
		}
		j = i + 1;
		if (t[j] == '{') {
			const char *c = strchr(t + j, '}');

			if (!c)
				return -1;
			j = (size_t)(c - t) + 1;
		}
		if (t[j] != '[')
			continue;
		if ((end = plan_expr_end(t, j + 1)) < 0)
			return -1;
		*pos = (size_t)end + 1;
		*len = (size_t)end - j - 1;
		return (long)(j + 1);
	}
	return -1;
}

uint32_t plan_backend_named(const struct plan *p, const struct plan_sample *smp)
{
	struct plan_sample t = *smp;

	if (plan_sample_cast(&t, PLAN_SMP_STR) < 0 || !t.len)
		return PLAN_NONE;
	for (uint32_t i = 0; i < p->nproxies; i++)
		if ((p->proxies[i].cap & PLAN_CAP_BE) &&
		    p->proxies[i].name.len == t.len &&
		    !memcmp(plan_str_get(p, p->proxies[i].name), t.str, t.len))
			return i;
	return PLAN_NONE;
}
