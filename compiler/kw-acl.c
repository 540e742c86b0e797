/*
 * kw-acl.c: content switching for TCP: `acl` lines, `use_backend` and
 * `tcp-request connection accept|reject`, with their if/unless conditions.
 * What cfgc compiles of them is in doc/configuration.md ("Content
 * switching"); everything else stays an `unsupported` diagnostic, so a
 * plan never runs a rule differently from what the configuration says.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "kw.h"
#include "kw-known.h"
#include "lint.h"
#include "model.h"
#include "plan.h"
#include "sample-reg.h"
#include "sema.h"
#include "units.h"

#define ACL_FETCH_LIST "src, dst, src_port, dst_port, nbsrv, always_true, " \
	"always_false, method, path, url, query, base, url_param, hdr, fhdr, " \
	"hdr_cnt, cook, res.hdr, status, req.ver, req.len, req.payload, " \
	"req.payload_lv, req.ssl_sni, req.ssl_hello_type, req.ssl_ver, " \
	"req.ssl_st_ext, req.ssl_alpn, req.ssl_ec_ext, req.proto_http, " \
	"wait_end, res.len, res.payload, res.payload_lv, ssl_fc, ssl_fc_sni, " \
	"ssl_fc_protocol, ssl_fc_cipher, ssl_fc_alpn, ssl_c_used, ssl_c_verify, " \
	"ssl_c_s_dn, ssl_c_i_dn, ssl_c_serial, ssl_c_sha1, http_auth, " \
	"http_auth_group and their ACL " \
	"derivatives"

/* Parse a signed decimal integer (the whole word). 0 or -1. */
static int acl_int(const char *p, size_t len, int64_t *out)
{
	char buf[32], *end;
	long long v;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, p, len);
	buf[len] = 0;
	if (!((buf[0] >= '0' && buf[0] <= '9') ||
	      (buf[0] == '-' && buf[1] >= '0' && buf[1] <= '9')))
		return -1;
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

/*
 * An integer pattern `w` under operator `op` ("eq", "ge", ...) into `pt`:
 * a value, or with eq a range "a:b", ":b" or "a:". 0, 1 when cfgc does
 * not take that form (reported), -1 after an error.
 */
static int acl_int_pattern(struct sema *s, const struct ast_word *w,
                           const char *op, struct plan_pattern *pt)
{
	const char *colon = strchr(w->text, ':');
	int64_t v;

	memset(pt, 0, sizeof(*pt));
	pt->kind = PLAN_PAT_INT;
	pt->lo = INT64_MIN;
	pt->hi = INT64_MAX;
	if (colon && !strcmp(op, "eq")) {
		size_t a = (size_t)(colon - w->text), b = strlen(colon + 1);

		if ((a && acl_int(w->text, a, &pt->lo) < 0) ||
		    (b && acl_int(colon + 1, b, &pt->hi) < 0) || (!a && !b))
			goto bad;
		if (pt->lo > pt->hi) {
			diag_error(s->dc, &w->loc, "unsupported",
			           "integer range '%s' has its bounds inverted; cfgc "
			           "does not compile such a range", w->text);
			return 1;
		}
		return 0;
	}
	/* After an order operator HAProxy reads a value up to its first dot
	 * ("gt 1.5" is "gt 1"; dotted versions are for a few fetches only). */
	if (acl_int(w->text, strcmp(op, "eq") && strchr(w->text, '.') ?
	            (size_t)(strchr(w->text, '.') - w->text) : strlen(w->text),
	            &v) < 0) {
		if (colon) {
			diag_error(s->dc, &w->loc, "unsupported",
			           "a range with operator '%s' is not supported by "
			           "cfgc ('%s'); use 'eq' or no operator", op, w->text);
			return 1;
		}
		goto bad;
	}
	if (!strcmp(op, "eq"))
		pt->lo = pt->hi = v;
	else if (!strcmp(op, "ge"))
		pt->lo = v;
	else if (!strcmp(op, "gt")) {
		if (v == INT64_MAX)
			goto bad;
		pt->lo = v + 1;
	} else if (!strcmp(op, "le"))
		pt->hi = v;
	else {
		if (v == INT64_MIN)
			goto bad;
		pt->hi = v - 1;
	}
	return 0;
bad:
	diag_error(s->dc, &w->loc, "invalid-value",
	           "integer ACL expects a number or a range such as '1024:65535', "
	           "found '%s'", w->text);
	return -1;
}

/* Number of leading one bits of a contiguous IPv4 netmask, or -1. */
static int acl_mask_bits(const struct in_addr *m)
{
	uint32_t v = ntohl(m->s_addr);
	int bits = 0;

	while (bits < 32 && (v & (0x80000000u >> bits)))
		bits++;
	return (bits == 32 ? 0 : v << bits) == 0 ? bits : -1;
}

/* Keep the first `bits` bits of ip[0..n). */
static void acl_mask(uint8_t *ip, unsigned n, unsigned bits)
{
	for (unsigned b = 0; b < n; b++) {
		unsigned keep = bits >= (b + 1) * 8 ? 8 : bits > b * 8 ? bits - b * 8 : 0;

		ip[b] &= keep ? (uint8_t)(0xffu << (8 - keep)) : 0;
	}
}

/*
 * An address pattern: IPv4 as HAProxy reads it (dotted, possibly
 * abbreviated "10.12", with /bits or /dotted.mask), or IPv6 with /bits.
 * 0, 1 when cfgc does not take that form (host names), -1 after an error.
 */
static int acl_ip_pattern(struct sema *s, const struct ast_word *w,
                          struct plan_pattern *pt)
{
	char addr[64];
	const char *slash = strchr(w->text, '/');
	size_t alen = slash ? (size_t)(slash - w->text) : strlen(w->text);
	struct in_addr a4, m4;
	uint64_t bits;
	const char *err;

	memset(pt, 0, sizeof(*pt));
	if (alen >= sizeof(addr))
		goto bad;
	memcpy(addr, w->text, alen);
	addr[alen] = 0;
	if (strchr(addr, ':')) {
		pt->kind = PLAN_PAT_IPV6;
		pt->prefix = 128;
		if (inet_pton(AF_INET6, addr, pt->ip) != 1)
			goto bad;
		if (slash) {
			if (units_parse_uint(slash + 1, 0, 128, &bits, &err) < 0)
				goto bad;
			pt->prefix = (uint8_t)bits;
		}
		acl_mask(pt->ip, 16, pt->prefix);
		return 0;
	}
	if (!addr[0] || strspn(addr, "0123456789.") != alen) {
		diag_error(s->dc, &w->loc, "unsupported",
		           "host name '%s' in an address ACL is not supported by "
		           "cfgc (HAProxy resolves it once at start-up); write "
		           "the address", addr);
		return 1;
	}
	if (!inet_aton(addr, &a4))
		goto bad;
	pt->kind = PLAN_PAT_IPV4;
	pt->prefix = 32;
	if (slash) {
		if (strchr(slash + 1, '.')) {
			int b;

			if (!inet_aton(slash + 1, &m4) ||
			    strspn(slash + 1, "0123456789.") != strlen(slash + 1))
				goto bad;
			if ((b = acl_mask_bits(&m4)) < 0) {
				diag_error(s->dc, &w->loc, "unsupported",
				           "netmask '%s' is not contiguous; cfgc only "
				           "compiles prefix masks", slash + 1);
				return 1;
			}
			pt->prefix = (uint8_t)b;
		} else {
			if (units_parse_uint(slash + 1, 0, 32, &bits, &err) < 0)
				goto bad;
			pt->prefix = (uint8_t)bits;
		}
	}
	memcpy(pt->ip, &a4.s_addr, 4);
	acl_mask(pt->ip, 4, pt->prefix);
	return 0;
bad:
	diag_error(s->dc, &w->loc, "invalid-value",
	           "address ACL expects an IPv4 or IPv6 address with an "
	           "optional '/' mask, found '%s'", w->text);
	return -1;
}

/*
 * Arguments of req.payload(offset,length) and req.payload_lv(offset1,
 * length1[,offset2]) into `a` (off, occ, arg2). HAProxy's meaning: a
 * payload length 0 takes everything from the offset on; offset2 with a
 * sign is relative to the end of the length field, without one it is
 * from the start of the buffer. 0, or -1 after an error at word w.
 */
static int acl_payload_args(struct sema *s, const struct ast_word *w,
                            const struct sample_fetch_def *f, const char *arg,
                            size_t len, struct model_acl *a)
{
	int64_t v[3];
	int rel2 = 0;
	size_t n = 0, max = f->arg == SMP_ARG_PAYLOAD ? 2 : 3;
	const char *p = arg, *end = arg + len;

	while (p <= end && n < max) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		size_t l = c ? (size_t)(c - p) : (size_t)(end - p);

		if (n == 2 && l && (*p == '+' || *p == '-'))
			rel2 = 1;
		if (acl_int(p + (n == 2 && *p == '+'), l - (n == 2 && *p == '+'),
		            &v[n]) < 0 || (n < 2 && v[n] < 0))
			goto bad;
		n++;
		if (!c)
			break;
		p = c + 1;
		if (n == max)
			goto bad;
	}
	if (n < 2)
		goto bad;
	if (v[0] > PLAN_MAX_PAYLOAD_OFF || v[1] > PLAN_MAX_PAYLOAD_OFF)
		goto range;
	a->off = (uint32_t)v[0];
	a->occ = (int32_t)v[1];
	if (f->arg == SMP_ARG_PAYLOAD)
		return 0;
	if (v[1] < 1 || v[1] > 4) {
		diag_error(s->dc, &w->loc, "invalid-argument",
		           "'%s' reads a length field of 1 to 4 bytes, found %lld",
		           f->name, (long long)v[1]);
		return -1;
	}
	if (n == 3) {
		int64_t rel = rel2 ? v[2] : v[2] - v[0] - v[1];

		if (rel > PLAN_MAX_PAYLOAD_OFF || rel < -(int64_t)PLAN_MAX_PAYLOAD_OFF)
			goto range;
		a->arg2 = (int32_t)rel;
	}
	return 0;
range:
	diag_error(s->dc, &w->loc, "invalid-argument",
	           "'%s': offsets and lengths above %u bytes are beyond any "
	           "buffer, found '%.*s'", f->name, PLAN_MAX_PAYLOAD_OFF,
	           (int)len, arg);
	return -1;
bad:
	diag_error(s->dc, &w->loc, "invalid-argument",
	           "'%s' expects %s, found '%.*s'", f->name,
	           f->arg == SMP_ARG_PAYLOAD ? "(offset,length)" :
	           "(offset1,length1[,offset2])", (int)len, arg);
	return -1;
}

/*
 * fc_pp_tlv(ID): a TLV type 0..255 (decimal or 0x hex) or one of the
 * names HAProxy gives the PROXY v2 types, into a->off. 0, or -1 after an
 * error at word w.
 */
static int acl_pp_tlv_arg(struct sema *s, const struct ast_word *w,
                          const struct sample_fetch_def *f, const char *arg,
                          size_t len, struct model_acl *a)
{
	static const struct { const char *name; uint32_t type; } names[] = {
		{ "ALPN", 0x01 }, { "AUTHORITY", 0x02 }, { "CRC32", 0x03 },
		{ "CRC32C", 0x03 }, { "NOOP", 0x04 }, { "UNIQUE_ID", 0x05 },
		{ "SSL", 0x20 }, { "SSL_VERSION", 0x21 }, { "SSL_CN", 0x22 },
		{ "SSL_CIPHER", 0x23 }, { "SSL_SIG_ALG", 0x24 },
		{ "SSL_KEY_ALG", 0x25 }, { "NETNS", 0x30 },
	};
	char buf[32], *end;
	long v;

	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (strlen(names[k].name) == len &&
		    !strncmp(names[k].name, arg, len)) {
			a->off = names[k].type;
			return 0;
		}
	if (len && len < sizeof(buf)) {
		memcpy(buf, arg, len);
		buf[len] = '\0';
		errno = 0;
		v = strtol(buf, &end, 0);
		if (!errno && !*end && buf[0] != '-' && buf[0] != '+' &&
		    v >= 0 && v <= 255) {
			a->off = (uint32_t)v;
			return 0;
		}
	}
	diag_error(s->dc, &w->loc, "invalid-argument",
	           "'%s' expects a TLV type from 0 to 255 or a name (ALPN, "
	           "AUTHORITY, CRC32, NOOP, UNIQUE_ID, SSL, SSL_VERSION, SSL_CN, "
	           "SSL_CIPHER, SSL_SIG_ALG, SSL_KEY_ALG, NETNS), found '%.*s'",
	           f->name, (int)len, arg);
	return -1;
}

/*
 * date([offset[,unit]]): the offset (in the unit) into a->arg2, the unit
 * (s, ms or us; s when not given) into a->occ. 0, or -1 after an error at
 * word w.
 */
static int acl_date_args(struct sema *s, const struct ast_word *w,
                         const char *arg, size_t len, struct model_acl *a)
{
	static const char *const units[PLAN_DATE_MAX] = {
		[PLAN_DATE_S] = "s", [PLAN_DATE_MS] = "ms", [PLAN_DATE_US] = "us",
	};
	const char *comma = memchr(arg, ',', len);
	size_t nl = comma ? (size_t)(comma - arg) : len;
	int64_t off = 0;

	if (nl && (acl_int(arg, nl, &off) < 0 || off > INT32_MAX ||
	           off < -INT32_MAX)) {
		diag_error(s->dc, &w->loc, "invalid-argument",
		           "'date' expects an offset from %d to %d, found '%.*s'",
		           -INT32_MAX, INT32_MAX, (int)nl, arg);
		return -1;
	}
	a->arg2 = (int32_t)off;
	a->occ = PLAN_DATE_S;
	if (!comma)
		return 0;
	for (int u = 0; u < PLAN_DATE_MAX; u++)
		if (strlen(units[u]) == len - nl - 1 &&
		    !memcmp(units[u], comma + 1, len - nl - 1)) {
			a->occ = u;
			return 0;
		}
	diag_error(s->dc, &w->loc, "invalid-argument",
	           "'date' expects a unit of s, ms or us after the offset, found "
	           "'%.*s'", (int)(len - nl - 1), comma + 1);
	return -1;
}

/*
 * acl([!]NAME[,...]): 1 to 12 ACL names, kept as written in a->sarg until
 * kw_acl_finish() finds them. 0, or -1 after an error at word w.
 */
static int acl_names_arg(struct sema *s, const struct ast_word *w,
                         const char *arg, size_t len, struct model_acl *a)
{
	size_t i = 0, count = 0;

	while (i <= len) {
		size_t n = i;

		if (n < len && arg[n] == '!')
			n++;
		size_t e = n;

		while (e < len && arg[e] != ',')
			e++;
		if (e == n || ++count > 12) {
			diag_error(s->dc, &w->loc, "invalid-argument",
			           "'acl' expects 1 to 12 ACL names, each maybe after "
			           "a '!', separated by commas, found '%.*s'",
			           (int)len, arg);
			return -1;
		}
		i = e + 1;
	}
	if (!(a->sarg = strndup(arg, len))) {
		s->oom = 1;
		return -1;
	}
	return 0;
}

/*
 * The argument text arg[0..len) of fetch `f` (between its parentheses)
 * into `a`: a backend name (nbsrv), or a name and an optional occurrence.
 * 0, 1 when cfgc does not take that form (reported), -1 after an error
 * at word w.
 */
static int acl_fetch_args(struct sema *s, const struct ast_word *w,
                          const struct sample_fetch_def *f, const char *arg,
                          size_t len, struct model_acl *a)
{
	const char *comma = memchr(arg, ',', len);
	size_t nl = comma ? (size_t)(comma - arg) : len;
	int64_t occ;

	if (f->arg == SMP_ARG_NONE) {
		if (!len)
			return 0;
		diag_error(s->dc, &w->loc, "unsupported",
		           "fetch '%s' takes no argument in cfgc, found '%.*s'",
		           f->name, (int)len, arg);
		return 1;
	}
	if (f->arg == SMP_ARG_TEXT) {
		if (!(a->sarg = kw_arg_text(arg, len))) {
			diag_error(s->dc, &w->loc, "invalid-argument",
			           "fetch '%s' takes one argument, found '%.*s'",
			           f->name, (int)len, arg);
			return -1;
		}
		return 0;
	}
	if (f->arg == SMP_ARG_VAR) {
		int64_t v;

		if (comma) {
			diag_error(s->dc, &w->loc, "unsupported",
			           "'%s' with a default value is not supported by cfgc "
			           "yet; test it with -m found", f->name);
			return 1;
		}
		if (!(a->sarg = strndup(arg, len))) {
			s->oom = 1;
			return -1;
		}
		if ((v = kw_var_index(s, &w->loc, a->sarg)) < 0)
			return -1;
		a->arg_idx = (uint32_t)v;
		return 0;
	}
	if (f->arg == SMP_ARG_PAYLOAD || f->arg == SMP_ARG_PAYLOAD_LV)
		return acl_payload_args(s, w, f, arg, len, a);
	if (f->arg == SMP_ARG_PP_TLV)
		return acl_pp_tlv_arg(s, w, f, arg, len, a);
	if (f->arg == SMP_ARG_DATE)
		return acl_date_args(s, w, arg, len, a);
	if (f->arg == SMP_ARG_ACLS)
		return acl_names_arg(s, w, arg, len, a);
	if (f->arg == SMP_ARG_BACKEND) {
		if (!len)
			return 0;
		if (!(a->arg = strndup(arg, len))) {
			s->oom = 1;
			return -1;
		}
		a->arg_loc = w->loc;
		return 0;
	}
	if (nl == 0 && f->arg == SMP_ARG_OPT_NAME && !comma)
		return 0;
	if (nl == 0) {
		diag_error(s->dc, &w->loc, "unsupported",
		           "fetch '%s' without a name is not supported by cfgc "
		           "yet; name the header or parameter, as in %s(host)",
		           f->name, f->name);
		return 1;
	}
	if (comma && f->arg != SMP_ARG_NAME_OCC) {
		diag_error(s->dc, &w->loc, "unsupported",
		           "fetch '%s' takes one name in cfgc, found '%.*s'",
		           f->name, (int)len, arg);
		return 1;
	}
	if (!(a->sarg = strndup(arg, nl))) {
		s->oom = 1;
		return -1;
	}
	if (comma) {
		if (acl_int(comma + 1, len - nl - 1, &occ) == 0 && occ == 0) {
			diag_error(s->dc, &w->loc, "unsupported",
			           "fetch '%s' with occurrence 0 is not supported by "
			           "cfgc; write 1 for the first, -1 for the last",
			           f->name);
			return 1;
		}
		if (acl_int(comma + 1, len - nl - 1, &occ) < 0 ||
		    occ > INT32_MAX || occ < -INT32_MAX) {
			struct src_loc loc = kw_word_loc_at(w, (size_t)(comma + 1 -
			                                                w->text));

			diag_error(s->dc, &loc, "invalid-argument",
			           "fetch '%s' expects a non-zero occurrence number "
			           "after the name, found '%.*s'", f->name,
			           (int)(len - nl - 1), comma + 1);
			return -1;
		}
		a->occ = (int32_t)occ;
	}
	return 0;
}

/*
 * The fetch word: a fetch of the registry or an ACL derivative, with its
 * optional (arguments); converters refused. The method a derivative
 * implies goes to *implied (PLAN_MATCH_MAX: none).
 */
static int acl_fetch_word(struct sema *s, const struct ast_word *w,
                          struct model_acl *a,
                          const struct sample_fetch_def **fp,
                          uint32_t *implied)
{
	size_t n = strcspn(w->text, "(,");
	const char *paren = w->text[n] == '(' ? w->text + n : NULL;
	const char *close = paren ? strchr(paren, ')') : NULL, *conv;
	const struct sample_fetch_def *f;
	int r;

	a->arg_idx = PLAN_NONE;
	f = sample_acl_keyword(w->text, n, implied);
	if (!f && (r = kw_stick_fetch(s, w, a)) != 1) {
		if (r)
			return r < 0 ? -1 : 1;
		*fp = sample_fetch_by_id(PLAN_FETCH_STKCTR);
		return 0;
	}
	if (!f) {
		diag_error(s->dc, &w->loc, "unsupported",
		           "ACL fetch '%.*s' is not supported by cfgc yet "
		           "(it compiles %s; HAProxy manual section 7.3)", (int)n,
		           w->text, ACL_FETCH_LIST);
		return 1;
	}
	if (paren && !close) {
		diag_error(s->dc, &w->loc, "unsupported",
		           "fetch '%.*s' has an argument list without its ')'",
		           (int)n, w->text);
		return 1;
	}
	if (paren && (r = acl_fetch_args(s, w, f, paren + 1,
	                                 (size_t)(close - paren - 1), a)))
		return r;
	if (!paren && (f->arg == SMP_ARG_PAYLOAD ||
	               f->arg == SMP_ARG_PAYLOAD_LV)) {
		diag_error(s->dc, &w->loc, "missing-argument",
		           "fetch '%s' expects its arguments in parentheses, as "
		           "in %s(0,3)", f->name, f->name);
		return -1;
	}
	if (!paren && f->arg == SMP_ARG_PP_TLV) {
		diag_error(s->dc, &w->loc, "missing-argument",
		           "fetch '%s' expects a TLV type in parentheses, as in "
		           "%s(0x05) or %s(UNIQUE_ID)", f->name, f->name, f->name);
		return -1;
	}
	/* converters after the fetch (and its arguments) */
	conv = close ? close + 1 : w->text + n;
	if (*conv && (r = kw_conv_chain(s, w, (size_t)(conv - w->text), conv,
	                                strlen(conv), a)))
		return r;
	if (!a->sarg && f->arg == SMP_ARG_ACLS) {
		diag_error(s->dc, &w->loc, "missing-argument",
		           "fetch 'acl' expects ACL names in parentheses, as in "
		           "acl(is_api,!is_admin)");
		return -1;
	}
	if (!a->sarg && (f->arg == SMP_ARG_NAME || f->arg == SMP_ARG_NAME_OCC ||
	                 f->arg == SMP_ARG_VAR)) {
		diag_error(s->dc, &w->loc, "unsupported",
		           "fetch '%.*s' without a name is not supported by cfgc "
		           "yet; name the header or parameter, as in %s(host)",
		           (int)n, w->text, f->name);
		return 1;
	}
	if ((f->fetch == PLAN_FETCH_HTTP_AUTH ||
	     f->fetch == PLAN_FETCH_HTTP_AUTH_GROUP) &&
	    kw_userlist_pack(s, w, &a->sarg) < 0)
		return -1;
	a->fetch = f->fetch;
	if (f->icase)
		a->flags |= PLAN_ACL_F_ICASE;
	*fp = f;
	return 0;
}

int kw_acl_fetch_word(struct sema *s, const struct ast_word *w,
                      struct model_acl *a)
{
	const struct sample_fetch_def *f;
	uint32_t implied;
	int r = acl_fetch_word(s, w, a, &f, &implied);

	if (!r && f->arg == SMP_ARG_NAME_OCC && !a->occ)
		a->occ = -1;          /* a value takes the last occurrence */
	return r;
}

static int acl_str_pattern(struct sema *s, const struct ast_word *w,
                           struct model_acl *a, int reg);

int kw_acl_regex_line(struct sema *s, struct model_proxy *px, uint32_t fetch,
                      const char *name, const struct ast_word *re,
                      uint32_t line, size_t *idx)
{
	struct model_acl *a = model_proxy_add_acl(px);

	if (!a || !(a->sarg = strdup(name))) {
		s->oom = 1;
		return -1;
	}
	*idx = px->nacls - 1;
	a->fetch = fetch;
	a->fetch_loc = re->loc;
	a->arg_idx = PLAN_NONE;
	a->match = PLAN_MATCH_REG;
	a->line = line;
	if (acl_str_pattern(s, re, a, 1) < 0) {
		a->unsupported = 2;
		return -1;
	}
	return 0;
}

/* A `-m bin` pattern: an even number of hex digits. 0 or -1. */
static int acl_hex_check(struct sema *s, const struct ast_word *w)
{
	size_t len = strlen(w->text);

	for (size_t i = 0; i < len; i++)
		if (plan_hex_digit((unsigned char)w->text[i]) < 0) {
			struct src_loc loc = kw_word_loc_at(w, i);

			diag_error(s->dc, &loc, "invalid-value",
			           "'-m bin' expects hex digits, found '%c' in '%s'",
			           w->text[i], w->text);
			return -1;
		}
	if (len % 2) {
		diag_error(s->dc, &w->loc, "invalid-value",
		           "'-m bin' expects whole bytes (an even number of hex "
		           "digits), found %zu digits in '%s'", len, w->text);
		return -1;
	}
	return 0;
}

/* A version "major.minor" of req_ssl_ver into an INT pattern equal to
 * major * 65536 + minor. 0 or -1. */
static int acl_dotted_version(struct sema *s, const struct ast_word *w,
                              struct plan_pattern *pt)
{
	const char *dot = strchr(w->text, '.');
	int64_t maj, min;

	memset(pt, 0, sizeof(*pt));
	pt->kind = PLAN_PAT_INT;
	if (acl_int(w->text, (size_t)(dot - w->text), &maj) < 0 ||
	    acl_int(dot + 1, strlen(dot + 1), &min) < 0 || maj < 0 ||
	    maj > 255 || min < 0 || min > 255) {
		diag_error(s->dc, &w->loc, "invalid-value",
		           "a TLS version is written major.minor such as '3.1', "
		           "found '%s'", w->text);
		return -1;
	}
	pt->lo = pt->hi = maj * 65536 + min;
	return 0;
}

/* A string pattern (STR, or a REG checked with PCRE2) of word w into a
 * new pattern of `a`. 0, or -1 after an error. */
static int acl_str_pattern(struct sema *s, const struct ast_word *w,
                           struct model_acl *a, int reg)
{
	struct plan_pattern *pt;
	size_t len = strlen(w->text), off = 0;
	char *text, msg[160];

	if (reg && plan_regex_check(w->text, len, a->flags & PLAN_ACL_F_ICASE,
	                            &off, msg, sizeof(msg)) < 0) {
		/* PCRE2 gives the offset where it gave up: at the end of the
		 * pattern for an unclosed group, so point at its last byte */
		struct src_loc loc = kw_word_loc_at(w, off < len ? off :
		                                    len ? len - 1 : 0);

		diag_error(s->dc, &loc, "invalid-regex",
		           "invalid regular expression '%s': %s (at offset %zu)",
		           w->text, msg, off);
		return -1;
	}
	if (!(text = strdup(w->text)) || !(pt = model_acl_add_pattern(a))) {
		free(text);
		s->oom = 1;
		return -1;
	}
	if (!reg && (a->flags & PLAN_ACL_F_ICASE))
		for (char *c = text; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
	pt->kind = reg ? PLAN_PAT_REG : PLAN_PAT_STR;
	a->texts[a->npats - 1] = text;
	return 0;
}

/* One value word of an ACL line (a pattern, or an int operator that
 * applies to the next ones, kept in *op). 0, 1 or -1 as acl_parse_expr. */
static int acl_value(struct sema *s, const struct ast_word *w,
                     struct model_acl *a, const struct sample_match_def *md,
                     const char **op)
{
	struct plan_pattern pt, *slot;
	int r;

	if (md->match == PLAN_MATCH_BIN && acl_hex_check(s, w) < 0)
		return -1;
	if (md->pat == PLAN_PAT_STR || md->pat == PLAN_PAT_REG)
		return acl_str_pattern(s, w, a, md->pat == PLAN_PAT_REG) < 0 ?
		       -1 : 0;
	if (a->fetch == PLAN_FETCH_SSL_VER && md->pat == PLAN_PAT_INT &&
	    strchr(w->text, '.')) {
		if ((r = acl_dotted_version(s, w, &pt)))
			return r;
		goto add;
	}
	if (md->pat == PLAN_PAT_INT &&
	    (!strcmp(w->text, "eq") || !strcmp(w->text, "ge") ||
	     !strcmp(w->text, "gt") || !strcmp(w->text, "le") ||
	     !strcmp(w->text, "lt"))) {
		*op = w->text;
		return 0;
	}
	r = md->pat == PLAN_PAT_INT ? acl_int_pattern(s, w, *op, &pt)
	                            : acl_ip_pattern(s, w, &pt);
	if (r)
		return r;
add:
	if (!(slot = model_acl_add_pattern(a))) {
		s->oom = 1;
		return -1;
	}
	*slot = pt;
	return 0;
}

/* A -f pattern file being read: each line is one value, as on the line
 * (errors at the -f word, naming the file's line). */
struct acl_file_ctx {
	struct model_acl *a;
	const struct sample_match_def *md;
	const struct ast_word *fw;
	uint32_t file;              /* 1 + its index in a->files */
};

static int acl_file_line(struct sema *s, const struct src_loc *loc,
                         const char *path, unsigned lineno, char *line,
                         void *arg)
{
	struct acl_file_ctx *fc = arg;
	const char *op = "eq";
	struct ast_word w = *fc->fw;
	size_t before;
	int r;

	(void)loc;
	w.text = line;
	w.len = strlen(line);
	w.flags |= AST_W_QUOTED;
	if (fc->md->pat == SAMPLE_PAT_NONE) {
		diag_error(s->dc, &fc->fw->loc, "invalid-value",
		           "pattern file '%s': a '%s' match takes no value",
		           path, fc->md->name);
		return -1;
	}
	before = fc->a->npats;
	if ((r = acl_value(s, &w, fc->a, fc->md, &op)) < 0)
		diag_hint(s->dc, "the value is line %u of pattern file '%s'",
		          lineno, path);
	for (size_t k = before; k < fc->a->npats; k++)
		fc->a->pats[k].file_off = fc->file;   /* emit: the name */
	return r;
}

/*
 * Words w[0..n) of an ACL expression (fetch, flags, values) into `a`.
 * Returns 0, 1 when cfgc does not compile it (reported as unsupported),
 * -1 after an error.
 */
static int acl_parse_expr(struct sema *s, const struct ast_word *w, size_t n,
                          struct model_acl *a)
{
	const struct sample_fetch_def *f = NULL;
	const struct sample_match_def *md;
	const char *op = "eq";
	uint32_t implied = PLAN_MATCH_MAX;
	int r, method = -1;
	size_t i = 1, files[8], nfiles = 0;

	a->fetch_loc = w[0].loc;
	if ((r = acl_fetch_word(s, &w[0], a, &f, &implied)))
		return r;
	for (; i < n && w[i].text[0] == '-'; i++) {
		const char *fl = w[i].text;

		if (!strcmp(fl, "-i")) {
			a->flags |= PLAN_ACL_F_ICASE;
			continue;
		}
		if (!strcmp(fl, "-n"))
			continue;
		if (!strcmp(fl, "--")) {
			i++;
			break;
		}
		if (!strcmp(fl, "-u")) {
			if (++i == n)
				goto missing;
			continue;
		}
		if (!strcmp(fl, "-f")) {
			if (++i == n)
				goto missing;
			if (nfiles == sizeof(files) / sizeof(files[0])) {
				diag_error(s->dc, &w[i].loc, "unsupported",
				           "cfgc reads at most %zu pattern files per ACL "
				           "line", sizeof(files) / sizeof(files[0]));
				return 1;
			}
			files[nfiles++] = i;
			continue;
		}
		if (!strcmp(fl, "-M")) {
			diag_error(s->dc, &w[i].loc, "unsupported",
			           "ACL patterns from map files ('-M') are not "
			           "supported by cfgc yet; use -f");
			return 1;
		}
		if (!strcmp(fl, "-m")) {
			if (++i == n)
				goto missing;
			if (method >= 0) {
				diag_error(s->dc, &w[i].loc, "invalid-value",
				           "an ACL takes one '-m' matching method, found "
				           "a second one '%s'", w[i].text);
				return -1;
			}
			if ((md = sample_match_find(w[i].text))) {
				method = (int)md->match;
				continue;
			}
			diag_error(s->dc, &w[i].loc, "invalid-value",
			           "'-m' expects a matching method such as 'int', "
			           "'ip', 'str' or 'found', found '%s'", w[i].text);
			return -1;
		}
		/* a negative integer too is a flag to HAProxy: "--" first */
		diag_error(s->dc, &w[i].loc, "invalid-value",
		           "'%s' is not an ACL flag (expected -i, -f, -m, -n, -M, "
		           "-u or '--' before a value starting with '-')", fl);
		return -1;
	}
	a->match = method >= 0 ? (uint32_t)method :
	           implied != PLAN_MATCH_MAX ? implied : f->def_match;
	if (method < 0 && implied == PLAN_MATCH_MAX && a->nconvs) {
		/* the default method follows the converters' output */
		static const uint32_t by_out[SMP_OUT_MAX] = {
			[SMP_OUT_BOOL] = PLAN_MATCH_BOOL, [SMP_OUT_INT] = PLAN_MATCH_INT,
			[SMP_OUT_IP] = PLAN_MATCH_IP, [SMP_OUT_STR] = PLAN_MATCH_STR,
			[SMP_OUT_BIN] = PLAN_MATCH_STR, [SMP_OUT_METH] = PLAN_MATCH_STR,
		};
		a->match = by_out[kw_conv_out(a)];
	}
	md = sample_match_by_id(a->match);
	if (!a->nconvs && !sample_match_fits(a->fetch, a->match)) {
		diag_error(s->dc, &w[0].loc, "unsupported",
		           "matching '%s' with '-m %s' is not supported by cfgc",
		           f->name, md->name);
		return 1;
	}
	if (md->pat == SAMPLE_PAT_NONE && i < n) {
		diag_error(s->dc, &w[i].loc, "unsupported",
		           "values after a '%s' match are not supported by cfgc "
		           "(the method takes none)", md->name);
		return 1;
	}
	if (md->pat != SAMPLE_PAT_NONE && i == n && !nfiles)
		diag_warning(s->dc, &w[0].loc, "never-matches",
		             "'%s' has no value to match against, so this ACL "
		             "never matches", w[0].text);
	for (size_t k = 0; k < nfiles; k++) {
		struct acl_file_ctx fc = { a, md, &w[files[k]],
		                           (uint32_t)a->nfiles + 1 };

		if (!(a->files[a->nfiles] = strdup(w[files[k]].text))) {
			s->oom = 1;
			return -1;
		}
		a->nfiles++;
		if ((r = kw_read_lines(s, &w[files[k]].loc, w[files[k]].text,
		                       "pattern file", acl_file_line, &fc)))
			return r;
	}
	for (; i < n; i++) {
		if (a->fetch == PLAN_FETCH_HTTP_AUTH_GROUP && !a->nconvs &&
		    kw_userlist_group(s, a->sarg, &w[i]) < 0)
			return -1;
		if ((r = acl_value(s, &w[i], a, md, &op)))
			return r;
	}
	return 0;
missing:
	diag_error(s->dc, &w[n - 1].loc, "missing-argument",
	           "ACL flag '%s' expects an argument, found nothing",
	           w[n - 1].text);
	return -1;
}

/* acl NAME FETCH [flags] [values...] */
int kw_acl(struct sema *s, const struct ast_stmt *st)
{
	struct model_proxy *px = sema_proxy(s);
	struct model_acl *a;
	int r;

	if (!px) {
		/* defaults: not compiled (HAProxy's verdicts kept) */
		kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
		return -1;
	}
	if (st->nargs < 3) {
		diag_error(s->dc, &st->args[st->nargs - 1].loc, "missing-argument",
		           "'acl' expects a name and a fetch method such as 'src', "
		           "found %s", st->nargs < 2 ? "nothing" : "only a name");
		return -1;
	}
	if (!st->args[1].text[0] || kw_name_bad_char(st->args[1].text)) {
		/* HAProxy refuses such a name too (and the verifier does) */
		diag_error(s->dc, &st->args[1].loc, "invalid-name",
		           "ACL name '%s' %s; expected letters, digits, '-', '_', "
		           "'.' or ':'", st->args[1].text, st->args[1].text[0] ?
		           "has a character HAProxy does not permit" : "is empty");
		return -1;
	}
	if (!(a = model_proxy_add_acl(px)) ||
	    !(a->name = sema_strdup(s, st->args[1].text))) {
		s->oom = 1;
		return -1;
	}
	a->line = st->loc.line;
	r = acl_parse_expr(s, &st->args[2], st->nargs - 2, a);
	if (r)
		a->unsupported = 1;
	return r < 0 ? -1 : 0;
}

int kw_rule_cond(struct sema *s, struct model_proxy *px,
                 const struct ast_stmt *st, struct model_rule *r)
{
	const struct ast_cond *c = st->cond;
	size_t n = 0, k = 0;
	int ret = 0;

	r->cond = PLAN_COND_NONE;
	if (!c)
		return 0;
	for (size_t i = 0; i < c->nalts; i++)
		n += c->alts[i].nterms;
	if (n == 0) {
		diag_error(s->dc, &c->loc, "unsupported",
		           "an empty '%s' condition is not supported by cfgc",
		           c->kind == AST_COND_IF ? "if" : "unless");
		return 1;
	}
	r->cond = c->kind == AST_COND_IF ? PLAN_COND_IF : PLAN_COND_UNLESS;
	if (!(r->terms = calloc(n, sizeof(*r->terms)))) {
		s->oom = 1;
		return -1;
	}
	for (size_t i = 0; i < c->nalts; i++) {
		for (size_t t = 0; t < c->alts[i].nterms; t++) {
			const struct ast_term *at = &c->alts[i].terms[t];
			struct model_term *mt = &r->terms[k++];

			r->nterms = k;
			mt->loc = at->loc;
			mt->flags = (at->negate ? PLAN_TERM_F_NEGATE : 0) |
			            (i > 0 && t == 0 ? PLAN_TERM_F_OR : 0);
			if (at->nwords == 0) {
				diag_error(s->dc, &at->loc, "unsupported",
				           "an empty anonymous ACL is not supported by "
				           "cfgc");
				ret = 1;
				continue;
			}
			if (at->kind == AST_TERM_ACL) {
				if (!(mt->name = sema_strdup(s, at->words[0].text)))
					return -1;
				continue;
			}
			struct model_acl *a = model_proxy_add_acl(px);

			if (!a) {
				s->oom = 1;
				return -1;
			}
			a->line = st->loc.line;
			mt->anon = px->nacls - 1;
			int e = acl_parse_expr(s, at->words, at->nwords, a);

			if (e) {
				a->unsupported = 1;
				if (ret >= 0)
					ret = e;
			}
		}
	}
	return ret;
}

struct model_rule *kw_rule_new(struct sema *s, const struct ast_stmt *st,
                               uint32_t set, uint32_t action)
{
	struct model_proxy *px = sema_proxy(s);
	struct model_rule *r = model_proxy_add_tcp_rule(px, set);

	if (!r) {
		s->oom = 1;
		return NULL;
	}
	r->action = action;
	r->backend_idx = PLAN_NONE;
	r->line = st->loc.line;
	r->loc = st->loc;
	if (kw_rule_cond(s, px, st, r)) {
		r->dropped = 1;
		return NULL;
	}
	return r;
}

/* use_backend NAME [if|unless COND] */
int kw_use_backend(struct sema *s, const struct ast_stmt *st)
{
	struct model_rule *r;

	if (!(s->sec & (KW_SEC_FRONTEND | KW_SEC_LISTEN))) {
		kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
		return -1;
	}
	if (strchr(st->args[1].text, '%')) {
		const char *t = st->args[1].text;
		size_t pos = 0, len;
		long at = plan_lf_next_expr(t, &pos, &len);
		struct model_proxy *px = &s->m->proxies[s->proxy];
		size_t line;
		int ret;

		if (at != 2 || t[pos]) {
			diag_error(s->dc, &st->args[1].loc, "unsupported",
			           "use_backend with a log-format name ('%s') is not "
			           "supported by cfgc yet beyond one '%%[...]' "
			           "expression", t);
			return -1;
		}
		if ((ret = kw_sample_line(s, px, &st->args[1], 2, t + 2, len,
		                          st->loc.line)))
			return -1;
		line = px->nacls;   /* 1 + its index: the condition's come after */
		if (!(r = kw_rule_new(s, st, PLAN_TCP_SWITCH, PLAN_RULE_USE_BACKEND)))
			return -1;
		r->expr_acl = line;
		r->backend_loc = st->args[1].loc;
		return 0;
	}
	if (!(r = kw_rule_new(s, st, PLAN_TCP_SWITCH, PLAN_RULE_USE_BACKEND)))
		return -1;
	if (!(r->backend = sema_strdup(s, st->args[1].text)))
		return -1;
	r->backend_loc = st->args[1].loc;
	return 0;
}

/* use-server NAME [if|unless COND] in a backend or listen section: the
 * server is found by kw_acl_finish(), once every server is read. */
int kw_use_server(struct sema *s, const struct ast_stmt *st)
{
	struct model_rule *r;

	if (!(s->sec & (KW_SEC_BACKEND | KW_SEC_LISTEN))) {
		kw_report_uncompiled(s, st->args, st->nargs, s->sec, s->sec_label);
		return -1;
	}
	if (strchr(st->args[1].text, '%')) {
		diag_error(s->dc, &st->args[1].loc, "unsupported",
		           "use-server with a log-format name ('%s') is not "
		           "supported by cfgc yet; name the server", st->args[1].text);
		return -1;
	}
	if (!(r = kw_rule_new(s, st, PLAN_TCP_USE_SERVER, PLAN_RULE_USE_SERVER)))
		return -1;
	if (!(r->backend = sema_strdup(s, st->args[1].text)))
		return -1;
	r->backend_loc = st->args[1].loc;
	return 0;
}

/* HAProxy's predefined ACLs cfgc compiles, made on first use. 0 when
 * `name` is not one of them. */
static int acl_predefined(struct sema *s, struct model_proxy *px,
                          const char *name)
{
	struct model_acl *a;
	struct plan_pattern *pt;

	if (strcmp(name, "TRUE") && strcmp(name, "FALSE") &&
	    strcmp(name, "LOCALHOST") && strcmp(name, "HTTP") &&
	    strcmp(name, "REQ_CONTENT") && strcmp(name, "WAIT_END"))
		return 0;
	if (!(a = model_proxy_add_acl(px)) || !(a->name = sema_strdup(s, name))) {
		s->oom = 1;
		return 0;
	}
	a->arg_idx = PLAN_NONE;
	if (!strcmp(name, "HTTP") || !strcmp(name, "WAIT_END")) {
		/* req.proto_http, wait_end: booleans */
		a->fetch = name[0] == 'H' ? PLAN_FETCH_PROTO_HTTP :
		                            PLAN_FETCH_WAIT_END;
		a->match = PLAN_MATCH_BOOL;
		return 1;
	}
	if (!strcmp(name, "REQ_CONTENT")) {
		/* req.len gt 0 */
		a->fetch = PLAN_FETCH_REQ_LEN;
		a->match = PLAN_MATCH_INT;
		if (!(pt = model_acl_add_pattern(a))) {
			s->oom = 1;
			return 0;
		}
		pt->kind = PLAN_PAT_INT;
		pt->lo = 1;
		pt->hi = INT64_MAX;
		return 1;
	}
	if (strcmp(name, "LOCALHOST")) {
		a->fetch = name[0] == 'T' ? PLAN_FETCH_ALWAYS_TRUE :
		                            PLAN_FETCH_ALWAYS_FALSE;
		a->match = PLAN_MATCH_BOOL;
		return 1;
	}
	/* src 127.0.0.1/8 ::1 */
	a->fetch = PLAN_FETCH_SRC;
	a->match = PLAN_MATCH_IP;
	if (!(pt = model_acl_add_pattern(a))) {
		s->oom = 1;
		return 0;
	}
	pt->kind = PLAN_PAT_IPV4;
	pt->prefix = 8;
	pt->ip[0] = 127;
	if (!(pt = model_acl_add_pattern(a))) {
		s->oom = 1;
		return 0;
	}
	pt->kind = PLAN_PAT_IPV6;
	pt->prefix = 128;
	pt->ip[15] = 1;
	return 1;
}

/*
 * ACL line `a` used by a `kw` rule of px that runs where `where` says
 * (SMP_VAL_*): warn when its fetch can find no sample there, so the line
 * never matches (HAProxy reads such a configuration, and so do we).
 */
static void acl_check_context(struct sema *s, const struct model_proxy *px,
                              const struct model_acl *a, uint32_t where,
                              const char *kw)
{
	const struct sample_fetch_def *f = sample_fetch_by_id(a->fetch);

	if (!f || a->unsupported)
		return;
	if ((f->valid & SMP_VAL_HTTP) && px->set.mode != PLAN_MODE_HTTP)
		diag_warning(s->dc, &a->fetch_loc, "never-matches",
		             "HTTP sample fetch '%s' in a TCP %s never finds a "
		             "sample, so this ACL never matches in '%s' rules "
		             "(set 'mode http')", f->name,
		             px->cap & PLAN_CAP_FE ? "frontend" : "backend", kw);
	else if (!(f->valid & where))
		diag_warning(s->dc, &a->fetch_loc, "never-matches",
		             "'%s' reads the %s, which '%s' rules never see, so "
		             "this ACL never matches", f->name,
		             (f->valid & SMP_VAL_REQ) ? "request" : "response", kw);
}

/* Every ACL line term `mt` of px names: acl_check_context(). */
static void acl_term_context(struct sema *s, const struct model_proxy *px,
                             const struct model_term *mt, uint32_t where,
                             const char *kw)
{
	if (!mt->name) {
		/* the lint passes already judge an anonymous ACL of a rule
		 * statement (xref-warn.c, lint-sample.c); not use_backend's */
		if (strcmp(kw, "use_backend"))
			return;
		acl_check_context(s, px, &px->acls[mt->anon], where, kw);
		return;
	}
	for (size_t i = 0; i < px->nacls; i++)
		if (px->acls[i].name && !strcmp(px->acls[i].name, mt->name))
			acl_check_context(s, px, &px->acls[i], where, kw);
}

/* Resolve the names of rule `r` of `px`: ACLs (xref reports unknown
 * ones), backend. Drops the rule when it cannot be compiled. `kw` names
 * the rule set, `where` is where it runs (SMP_VAL_*). */
static void acl_rule_finish(struct sema *s, struct model_proxy *px,
                            struct model_rule *r, const char *kw,
                            uint32_t where)
{
	for (size_t t = 0; t < r->nterms && !r->dropped; t++) {
		const struct model_term *mt = &r->terms[t];
		int found = 0, bad = 0;

		if (!mt->name)
			continue;
		for (size_t i = 0; i < px->nacls; i++)
			if (px->acls[i].name && !strcmp(px->acls[i].name, mt->name)) {
				found = 1;
				bad |= px->acls[i].unsupported;
			}
		if (!found && !acl_predefined(s, px, mt->name)) {
			r->dropped = 1;       /* xref: unknown-acl */
			if (!s->oom && (!strncmp(mt->name, "HTTP_", 5) ||
			    !strncmp(mt->name, "METH_", 5) ||
			    !strcmp(mt->name, "RDP_COOKIE") ||
			    !strcmp(mt->name, "REQ_CONTENT") ||
			    !strcmp(mt->name, "WAIT_END")))
				diag_error(s->dc, &mt->loc, "unsupported",
				           "predefined ACL '%s' is not supported by "
				           "cfgc yet (it compiles TRUE, FALSE, "
				           "LOCALHOST, HTTP, REQ_CONTENT and WAIT_END)",
				           mt->name);
		} else if (bad) {
			r->dropped = 1;
			if (!(bad & 1))
				continue;     /* its error is already said */
			diag_error(s->dc, &mt->loc, "unsupported",
			           "'%s' rule uses ACL '%s', which has a line cfgc "
			           "does not compile, so the rule is not compiled "
			           "either", kw, mt->name);
		}
	}
	for (size_t t = 0; t < r->nterms && !r->dropped; t++)
		acl_term_context(s, px, &r->terms[t], where, kw);
	if (r->dropped || r->action != PLAN_RULE_USE_BACKEND || r->expr_acl)
		return;
	r->backend_idx = model_find_proxy(s->m, r->backend, PLAN_CAP_BE);
	if (r->backend_idx == PLAN_NONE)
		r->dropped = 1;           /* xref: unknown-backend */
}

/* Session and response rules of a `mode http` proxy: cfgrun runs them
 * on TCP streams only, so they are refused (and dropped). Content rules
 * run on each request head (http_rules_tcp_content()). */
static void acl_tcp_in_http(struct sema *s, struct model_proxy *px)
{
	static const char *const names[PLAN_TCP_SET_MAX] = {
		[PLAN_TCP_SESSION] = "tcp-request session",
		[PLAN_TCP_RESPONSE] = "tcp-response content",
	};

	for (uint32_t set = 0; set < PLAN_TCP_SET_MAX; set++) {
		if (!names[set])
			continue;
		for (size_t i = 0; i < px->ntcp_rules[set]; i++) {
			struct model_rule *r = &px->tcp_rules[set][i];

			if (r->dropped)
				continue;
			r->dropped = 1;
			diag_error(s->dc, &r->loc, "unsupported",
			           "'%s' rules in a 'mode http' proxy are not "
			           "supported by cfgc yet (cfgrun runs them in TCP "
			           "mode only)", names[set]);
		}
	}
}

/* The acl() lines of px: every name an ACL of px whose lines do not use
 * acl() themselves (cfgrun evaluates them without recursion). */
static void acl_names_finish(struct sema *s, struct model_proxy *px)
{
	for (size_t i = 0; i < px->nacls; i++) {
		struct model_acl *a = &px->acls[i];
		const char *t = a->sarg;

		if (a->fetch != PLAN_FETCH_ACL || a->unsupported || !t)
			continue;
		while (*t && !a->unsupported) {
			size_t n = strcspn(t + (*t == '!'), ","), k, found = 0;
			const char *nm = t + (*t == '!');

			for (k = 0; k < px->nacls; k++) {
				const struct model_acl *o = &px->acls[k];

				if (!o->name || strlen(o->name) != n ||
				    strncmp(o->name, nm, n) || o->unsupported)
					continue;
				found = 1;
				if (o->fetch == PLAN_FETCH_ACL) {
					diag_error(s->dc, &a->fetch_loc, "unsupported",
					           "acl(): ACL '%.*s' itself uses acl(), "
					           "which cfgc does not compile", (int)n,
					           nm);
					a->unsupported = 1;
					break;
				}
			}
			if (!found && !a->unsupported) {
				diag_error(s->dc, &a->fetch_loc, "unknown-acl",
				           "acl(): no ACL named '%.*s' in this section "
				           "(or not compiled)", (int)n, nm);
				a->unsupported = 1;
			}
			t = nm + n + (nm[n] == ',');
		}
	}
}

/* use-server rules of px: each server name into the rule's arg (its
 * index among px's servers); an unknown one drops the rule (xref.c
 * reports it). */
static void acl_use_server_finish(struct sema *s, struct model_proxy *px)
{
	for (size_t i = 0; i < px->ntcp_rules[PLAN_TCP_USE_SERVER]; i++) {
		struct model_rule *r = &px->tcp_rules[PLAN_TCP_USE_SERVER][i];
		size_t k;

		if (r->dropped)
			continue;
		for (k = 0; k < px->nservers; k++)
			if (px->servers[k].name &&
			    !strcmp(px->servers[k].name, r->backend))
				break;
		if (k == px->nservers) {
			r->dropped = 1;
			continue;
		}
		r->arg = (uint32_t)k;
		acl_rule_finish(s, px, r, "use-server", SMP_VAL_REQ);
	}
}

void kw_acl_finish(struct sema *s, struct model_proxy *px)
{
	kw_stick_finish(s, px);
	for (size_t i = 0; i < px->nacls; i++) {
		struct model_acl *a = &px->acls[i];

		if (a->fetch == PLAN_FETCH_VAR)
			continue;       /* its variable's index, given when read */
		if (a->fetch == PLAN_FETCH_STKCTR)
			continue;       /* resolved by kw_stick_finish() */
		a->arg_idx = PLAN_NONE;
		if (a->unsupported || a->fetch != PLAN_FETCH_NBSRV)
			continue;
		if (!a->arg) {
			/* nbsrv of the proxy itself: none in a frontend */
			if (px->cap & PLAN_CAP_BE)
				a->arg_idx = (uint32_t)(px - s->m->proxies);
			continue;
		}
		a->arg_idx = model_find_proxy(s->m, a->arg, PLAN_CAP_BE);
		if (a->arg_idx == PLAN_NONE) {
			a->unsupported = 2;   /* xref: unknown-proxy */
		}
	}
	acl_names_finish(s, px);
	for (size_t i = 0; i < px->nconn_rules; i++) {
		struct model_rule *r = &px->conn_rules[i];

		if (r->action == PLAN_RULE_STICK && !r->dropped &&
		    px->tracks[r->track].rec.op == PLAN_TRK_TRACK &&
		    px->acls[px->tracks[r->track].rec.key].unsupported)
			r->dropped = 1;
		acl_rule_finish(s, px, r, "tcp-request connection", SMP_VAL_CONN);
	}
	if (px->set.mode == PLAN_MODE_HTTP)
		acl_tcp_in_http(s, px);
	for (size_t i = 0; i < px->ntcp_rules[PLAN_TCP_SESSION]; i++)
		acl_rule_finish(s, px, &px->tcp_rules[PLAN_TCP_SESSION][i],
		                "tcp-request session", SMP_VAL_CONN);
	for (size_t i = 0; i < px->ntcp_rules[PLAN_TCP_CONTENT]; i++)
		acl_rule_finish(s, px, &px->tcp_rules[PLAN_TCP_CONTENT][i],
		                "tcp-request content",
		                px->set.mode == PLAN_MODE_HTTP ? SMP_VAL_REQ :
		                SMP_VAL_L6REQ);
	for (size_t i = 0; i < px->ntcp_rules[PLAN_TCP_RESPONSE]; i++)
		acl_rule_finish(s, px, &px->tcp_rules[PLAN_TCP_RESPONSE][i],
		                "tcp-response content", SMP_VAL_L6RES);
	for (size_t i = 0; i < px->nswitch_rules; i++)
		acl_rule_finish(s, px, &px->switch_rules[i], "use_backend",
		                SMP_VAL_REQ);
	for (size_t i = 0; i < px->ntcp_rules[PLAN_TCP_STICK]; i++) {
		struct model_rule *r = &px->tcp_rules[PLAN_TCP_STICK][i];
		int res = !r->dropped &&
		          px->tracks[r->track].rec.op == PLAN_TRK_STORE_RES;

		if (!r->dropped && px->acls[px->tracks[r->track].rec.key].unsupported)
			r->dropped = 1;
		if (!r->dropped && res && px->set.mode != PLAN_MODE_HTTP) {
			r->dropped = 1;
			diag_error(s->dc, &r->loc, "unsupported",
			           "'stick store-response' in a 'mode tcp' backend "
			           "is not supported by cfgc yet (cfgrun runs it on "
			           "HTTP responses)");
		}
		acl_rule_finish(s, px, r, "stick", res ? SMP_VAL_RES : SMP_VAL_REQ);
	}
	acl_use_server_finish(s, px);
	for (size_t i = 0; i < px->nhttp_rules; i++) {
		static const char *const sets[PLAN_HR_SET_MAX] = {
			"http-request", "http-response", "http-after-response",
		};
		static const uint32_t where[PLAN_HR_SET_MAX] = {
			SMP_VAL_REQ, SMP_VAL_RES, SMP_VAL_AFT,
		};
		struct model_http_rule *hr = &px->http_rules[i];

		if (hr->cond.dropped)
			continue;
		for (size_t k = 0; k < hr->nlf; k++) {
			const struct model_acl *a;
			const struct sample_fetch_def *f;

			if (hr->lf[k].kind != PLAN_LF_FETCH)
				continue;
			a = &px->acls[hr->lf[k].ref];
			if (a->unsupported) {
				hr->cond.dropped = 1;
				continue;
			}
			f = sample_fetch_by_id(a->fetch);
			if (f && !(f->valid & (where[hr->set] | SMP_VAL_CONN)) &&
			    px->set.mode == PLAN_MODE_HTTP) {
				/* an error in a value, where an ACL only warns */
				diag_error(s->dc, &a->fetch_loc, "fetch-context",
				           "sample fetch '%s' reads the %s, which "
				           "'%s' rules do not have", f->name,
				           (f->valid & SMP_VAL_REQ) ? "request" :
				           "response", sets[hr->set]);
				hr->cond.dropped = 1;
			} else if (f && (f->valid & SMP_VAL_BKEND) &&
			           hr->set == PLAN_HR_REQUEST &&
			           px->cap == PLAN_CAP_FE) {
				diag_error(s->dc, &a->fetch_loc, "fetch-context",
				           "sample fetch '%s' needs the backend, which "
				           "a frontend's http-request rules do not "
				           "have yet", f->name);
				hr->cond.dropped = 1;
			}
		}
		if (hr->action == PLAN_HA_STICK &&
		    px->tracks[hr->arg].rec.op == PLAN_TRK_TRACK &&
		    px->acls[px->tracks[hr->arg].rec.key].unsupported)
			hr->cond.dropped = 1;
		if (px->set.mode != PLAN_MODE_HTTP) {
			/* HAProxy ignores them (xref-warn.c says it) */
			hr->cond.dropped = 1;
			continue;
		}
		acl_rule_finish(s, px, &hr->cond, sets[hr->set], where[hr->set]);
	}
}

int kw_acl_network(struct sema *s, const struct ast_word *w,
                   struct plan_pattern *pt)
{
	return acl_ip_pattern(s, w, pt);
}
