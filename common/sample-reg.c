/*
 * sample-reg.c: the one table of the sample fetches and matching methods
 * hapc compiles (a subset of HAProxy manual sections 7.1 and 7.3): cfgc
 * reads ACLs and rule values through it, the verifier checks an ACL
 * line's method against its fetch with it, cfgrun and `cfgc --dump` name
 * fetches with it.
 */
#include <string.h>

#include "plan-t.h"
#include "sample-reg.h"

#define HREQ (SMP_VAL_REQ | SMP_VAL_RES | SMP_VAL_AFT | SMP_VAL_HTTP)
#define HREQ_HDR (SMP_VAL_REQ | SMP_VAL_HTTP)
#define HRES (SMP_VAL_RES | SMP_VAL_AFT | SMP_VAL_HTTP)
#define CONN (SMP_VAL_CONN | SMP_VAL_REQ | SMP_VAL_RES | SMP_VAL_AFT | \
              SMP_VAL_L6REQ | SMP_VAL_L6RES)
#define L6REQ (SMP_VAL_REQ | SMP_VAL_L6REQ)

/* The first entry of each fetch id is its canonical name (dump). */
static const struct sample_fetch_def sample_fetches[] = {
	{ "always_false", PLAN_FETCH_ALWAYS_FALSE, SMP_ARG_NONE, SMP_OUT_BOOL, CONN, PLAN_MATCH_BOOL, 0, 0 },
	{ "always_true", PLAN_FETCH_ALWAYS_TRUE, SMP_ARG_NONE, SMP_OUT_BOOL, CONN, PLAN_MATCH_BOOL, 0, 0 },
	{ "src", PLAN_FETCH_SRC, SMP_ARG_NONE, SMP_OUT_IP, CONN, PLAN_MATCH_IP, 0, 0 },
	{ "dst", PLAN_FETCH_DST, SMP_ARG_NONE, SMP_OUT_IP, CONN, PLAN_MATCH_IP, 0, 0 },
	{ "src_port", PLAN_FETCH_SRC_PORT, SMP_ARG_NONE, SMP_OUT_INT, CONN, PLAN_MATCH_INT, 0, 0 },
	{ "dst_port", PLAN_FETCH_DST_PORT, SMP_ARG_NONE, SMP_OUT_INT, CONN, PLAN_MATCH_INT, 0, 0 },
	{ "nbsrv", PLAN_FETCH_NBSRV, SMP_ARG_BACKEND, SMP_OUT_INT, CONN, PLAN_MATCH_INT, 0, 0 },
	{ "method", PLAN_FETCH_METHOD, SMP_ARG_NONE, SMP_OUT_METH, HREQ, PLAN_MATCH_STR, 0, 1 },
	{ "path", PLAN_FETCH_PATH, SMP_ARG_NONE, SMP_OUT_STR, HREQ, PLAN_MATCH_STR, 1, 0 },
	{ "url", PLAN_FETCH_URL, SMP_ARG_NONE, SMP_OUT_STR, HREQ, PLAN_MATCH_STR, 1, 0 },
	{ "query", PLAN_FETCH_QUERY, SMP_ARG_NONE, SMP_OUT_STR, HREQ, PLAN_MATCH_STR, 0, 0 },
	{ "base", PLAN_FETCH_BASE, SMP_ARG_NONE, SMP_OUT_STR, HREQ_HDR, PLAN_MATCH_STR, 1, 0 },
	{ "url_param", PLAN_FETCH_URL_PARAM, SMP_ARG_NAME, SMP_OUT_STR, HREQ, PLAN_MATCH_STR, 0, 0 },
	{ "urlp", PLAN_FETCH_URL_PARAM, SMP_ARG_NAME, SMP_OUT_STR, HREQ, PLAN_MATCH_STR, 1, 0 },
	{ "req.hdr", PLAN_FETCH_REQ_HDR, SMP_ARG_NAME_OCC, SMP_OUT_STR, HREQ_HDR, PLAN_MATCH_STR, 0, 0 },
	{ "hdr", PLAN_FETCH_REQ_HDR, SMP_ARG_NAME_OCC, SMP_OUT_STR, HREQ_HDR, PLAN_MATCH_STR, 1, 0 },
	{ "req.fhdr", PLAN_FETCH_REQ_FHDR, SMP_ARG_NAME_OCC, SMP_OUT_STR, HREQ_HDR, PLAN_MATCH_STR, 0, 0 },
	{ "req.hdr_cnt", PLAN_FETCH_REQ_HDR_CNT, SMP_ARG_NAME, SMP_OUT_INT, HREQ_HDR, PLAN_MATCH_INT, 0, 0 },
	{ "hdr_cnt", PLAN_FETCH_REQ_HDR_CNT, SMP_ARG_NAME, SMP_OUT_INT, HREQ_HDR, PLAN_MATCH_INT, 0, 0 },
	{ "req.fhdr_cnt", PLAN_FETCH_REQ_FHDR_CNT, SMP_ARG_NAME, SMP_OUT_INT, HREQ_HDR, PLAN_MATCH_INT, 0, 0 },
	{ "req.cook", PLAN_FETCH_REQ_COOK, SMP_ARG_NAME, SMP_OUT_STR, HREQ_HDR, PLAN_MATCH_STR, 1, 0 },
	{ "cook", PLAN_FETCH_REQ_COOK, SMP_ARG_NAME, SMP_OUT_STR, HREQ_HDR, PLAN_MATCH_STR, 1, 0 },
	{ "res.hdr", PLAN_FETCH_RES_HDR, SMP_ARG_NAME_OCC, SMP_OUT_STR, HRES, PLAN_MATCH_STR, 1, 0 },
	{ "shdr", PLAN_FETCH_RES_HDR, SMP_ARG_NAME_OCC, SMP_OUT_STR, HRES, PLAN_MATCH_STR, 1, 0 },
	{ "res.fhdr", PLAN_FETCH_RES_FHDR, SMP_ARG_NAME_OCC, SMP_OUT_STR, HRES, PLAN_MATCH_STR, 0, 0 },
	{ "res.hdr_cnt", PLAN_FETCH_RES_HDR_CNT, SMP_ARG_NAME, SMP_OUT_INT, HRES, PLAN_MATCH_INT, 0, 0 },
	{ "shdr_cnt", PLAN_FETCH_RES_HDR_CNT, SMP_ARG_NAME, SMP_OUT_INT, HRES, PLAN_MATCH_INT, 0, 0 },
	{ "status", PLAN_FETCH_STATUS, SMP_ARG_NONE, SMP_OUT_INT, HRES, PLAN_MATCH_INT, 0, 0 },
	{ "req.ver", PLAN_FETCH_REQ_VER, SMP_ARG_NONE, SMP_OUT_STR, HREQ, PLAN_MATCH_STR, 0, 0 },
	{ "req_ver", PLAN_FETCH_REQ_VER, SMP_ARG_NONE, SMP_OUT_STR, HREQ, PLAN_MATCH_STR, 0, 0 },
	{ "res.ver", PLAN_FETCH_RES_VER, SMP_ARG_NONE, SMP_OUT_STR, HRES, PLAN_MATCH_STR, 0, 0 },
	{ "resp_ver", PLAN_FETCH_RES_VER, SMP_ARG_NONE, SMP_OUT_STR, HRES, PLAN_MATCH_STR, 0, 0 },
	/* the userlist named in parentheses: cfgc packs the section into
	   the line's sarg (PLAN_USERLIST_FORMAT) */
	{ "http_auth", PLAN_FETCH_HTTP_AUTH, SMP_ARG_NAME, SMP_OUT_BOOL, HREQ_HDR, PLAN_MATCH_BOOL, 0, 0 },
	{ "http_auth_group", PLAN_FETCH_HTTP_AUTH_GROUP, SMP_ARG_NAME, SMP_OUT_STR, HREQ_HDR, PLAN_MATCH_STR, 0, 0 },
	{ "pathq", PLAN_FETCH_PATHQ, SMP_ARG_NONE, SMP_OUT_STR, HREQ, PLAN_MATCH_STR, 0, 0 },
	/* a variable has the type it was given: matched as a string by
	   default, by any method with -m */
	{ "var", PLAN_FETCH_VAR, SMP_ARG_VAR, SMP_OUT_STR, CONN, PLAN_MATCH_STR, 0, 0 },
	/* constants, mostly for set-var */
	{ "str", PLAN_FETCH_STR, SMP_ARG_TEXT, SMP_OUT_STR, CONN, PLAN_MATCH_STR, 0, 0 },
	{ "int", PLAN_FETCH_INT, SMP_ARG_TEXT, SMP_OUT_INT, CONN, PLAN_MATCH_INT, 0, 0 },
	{ "bool", PLAN_FETCH_BOOL, SMP_ARG_TEXT, SMP_OUT_BOOL, CONN, PLAN_MATCH_BOOL, 0, 0 },
	{ "req.len", PLAN_FETCH_REQ_LEN, SMP_ARG_NONE, SMP_OUT_INT, L6REQ, PLAN_MATCH_INT, 0, 0 },
	{ "req_len", PLAN_FETCH_REQ_LEN, SMP_ARG_NONE, SMP_OUT_INT, L6REQ, PLAN_MATCH_INT, 0, 0 },
	{ "req.payload", PLAN_FETCH_REQ_PAYLOAD, SMP_ARG_PAYLOAD, SMP_OUT_BIN, L6REQ, PLAN_MATCH_BIN, 0, 0 },
	{ "payload", PLAN_FETCH_REQ_PAYLOAD, SMP_ARG_PAYLOAD, SMP_OUT_BIN, L6REQ, PLAN_MATCH_BIN, 0, 0 },
	{ "req.payload_lv", PLAN_FETCH_REQ_PAYLOAD_LV, SMP_ARG_PAYLOAD_LV, SMP_OUT_BIN, L6REQ, PLAN_MATCH_BIN, 0, 0 },
	{ "payload_lv", PLAN_FETCH_REQ_PAYLOAD_LV, SMP_ARG_PAYLOAD_LV, SMP_OUT_BIN, L6REQ, PLAN_MATCH_BIN, 0, 0 },
	{ "req.ssl_hello_type", PLAN_FETCH_SSL_HELLO_TYPE, SMP_ARG_NONE, SMP_OUT_INT, L6REQ, PLAN_MATCH_INT, 0, 0 },
	{ "req_ssl_hello_type", PLAN_FETCH_SSL_HELLO_TYPE, SMP_ARG_NONE, SMP_OUT_INT, L6REQ, PLAN_MATCH_INT, 0, 0 },
	{ "req.ssl_sni", PLAN_FETCH_SSL_SNI, SMP_ARG_NONE, SMP_OUT_STR, L6REQ, PLAN_MATCH_STR, 0, 0 },
	{ "req_ssl_sni", PLAN_FETCH_SSL_SNI, SMP_ARG_NONE, SMP_OUT_STR, L6REQ, PLAN_MATCH_STR, 0, 0 },
	{ "req.ssl_ver", PLAN_FETCH_SSL_VER, SMP_ARG_NONE, SMP_OUT_INT, L6REQ, PLAN_MATCH_INT, 0, 0 },
	{ "req_ssl_ver", PLAN_FETCH_SSL_VER, SMP_ARG_NONE, SMP_OUT_INT, L6REQ, PLAN_MATCH_INT, 0, 0 },
	{ "req.ssl_st_ext", PLAN_FETCH_SSL_ST_EXT, SMP_ARG_NONE, SMP_OUT_INT, L6REQ, PLAN_MATCH_INT, 0, 0 },
	{ "req.ssl_alpn", PLAN_FETCH_SSL_ALPN, SMP_ARG_NONE, SMP_OUT_STR, L6REQ, PLAN_MATCH_STR, 0, 0 },
	{ "req.ssl_ec_ext", PLAN_FETCH_SSL_EC_EXT, SMP_ARG_NONE, SMP_OUT_BOOL, L6REQ, PLAN_MATCH_BOOL, 0, 0 },
	{ "req.proto_http", PLAN_FETCH_PROTO_HTTP, SMP_ARG_NONE, SMP_OUT_BOOL, L6REQ, PLAN_MATCH_BOOL, 0, 0 },
	{ "req_proto_http", PLAN_FETCH_PROTO_HTTP, SMP_ARG_NONE, SMP_OUT_BOOL, L6REQ, PLAN_MATCH_BOOL, 0, 0 },
	{ "wait_end", PLAN_FETCH_WAIT_END, SMP_ARG_NONE, SMP_OUT_BOOL, L6REQ | SMP_VAL_L6RES, PLAN_MATCH_BOOL, 0, 0 },
	{ "res.len", PLAN_FETCH_RES_LEN, SMP_ARG_NONE, SMP_OUT_INT, SMP_VAL_L6RES, PLAN_MATCH_INT, 0, 0 },
	{ "res.payload", PLAN_FETCH_RES_PAYLOAD, SMP_ARG_PAYLOAD, SMP_OUT_BIN, SMP_VAL_L6RES, PLAN_MATCH_BIN, 0, 0 },
	{ "res.payload_lv", PLAN_FETCH_RES_PAYLOAD_LV, SMP_ARG_PAYLOAD_LV, SMP_OUT_BIN, SMP_VAL_L6RES, PLAN_MATCH_BIN, 0, 0 },
	/* sc0_*, sc_*, src_*: one id, the word parsed by cfgc (kw-stick.c),
	 * named in dumps from the ACL line's occ; no name matches it */
	{ "<stick counter>", PLAN_FETCH_STKCTR, SMP_ARG_NONE, SMP_OUT_INT, CONN, PLAN_MATCH_INT, 0, 0 },
	{ "fc_pp_authority", PLAN_FETCH_FC_PP_AUTHORITY, SMP_ARG_NONE, SMP_OUT_STR, CONN, PLAN_MATCH_STR, 0, 0 },
	{ "fc_pp_unique_id", PLAN_FETCH_FC_PP_UNIQUE_ID, SMP_ARG_NONE, SMP_OUT_STR, CONN, PLAN_MATCH_STR, 0, 0 },
	{ "fc_pp_tlv", PLAN_FETCH_FC_PP_TLV, SMP_ARG_PP_TLV, SMP_OUT_STR, CONN, PLAN_MATCH_STR, 0, 0 },
	{ "fc_rcvd_proxy", PLAN_FETCH_FC_RCVD_PROXY, SMP_ARG_NONE, SMP_OUT_BOOL, CONN, PLAN_MATCH_BOOL, 0, 0 },
	{ "ssl_fc", PLAN_FETCH_SSL_FC, SMP_ARG_NONE, SMP_OUT_BOOL, CONN, PLAN_MATCH_BOOL, 0, 0 },
	{ "ssl_fc_sni", PLAN_FETCH_SSL_FC_SNI, SMP_ARG_NONE, SMP_OUT_STR, CONN, PLAN_MATCH_STR, 1, 0 },
	{ "ssl_fc_protocol", PLAN_FETCH_SSL_FC_PROTOCOL, SMP_ARG_NONE, SMP_OUT_STR, CONN, PLAN_MATCH_STR, 0, 0 },
	{ "ssl_fc_cipher", PLAN_FETCH_SSL_FC_CIPHER, SMP_ARG_NONE, SMP_OUT_STR, CONN, PLAN_MATCH_STR, 0, 0 },
	{ "ssl_fc_alpn", PLAN_FETCH_SSL_FC_ALPN, SMP_ARG_NONE, SMP_OUT_STR, CONN, PLAN_MATCH_STR, 0, 0 },
	{ "ssl_c_used", PLAN_FETCH_SSL_C_USED, SMP_ARG_NONE, SMP_OUT_BOOL, CONN, PLAN_MATCH_BOOL, 0, 0 },
	{ "ssl_c_verify", PLAN_FETCH_SSL_C_VERIFY, SMP_ARG_NONE, SMP_OUT_INT, CONN, PLAN_MATCH_INT, 0, 0 },
	{ "ssl_c_s_dn", PLAN_FETCH_SSL_C_S_DN, SMP_ARG_OPT_NAME, SMP_OUT_STR, CONN, PLAN_MATCH_STR, 0, 0 },
	{ "ssl_c_i_dn", PLAN_FETCH_SSL_C_I_DN, SMP_ARG_OPT_NAME, SMP_OUT_STR, CONN, PLAN_MATCH_STR, 0, 0 },
	{ "ssl_c_serial", PLAN_FETCH_SSL_C_SERIAL, SMP_ARG_NONE, SMP_OUT_BIN, CONN, PLAN_MATCH_FOUND, 0, 0 },
	{ "ssl_c_sha1", PLAN_FETCH_SSL_C_SHA1, SMP_ARG_NONE, SMP_OUT_BIN, CONN, PLAN_MATCH_FOUND, 0, 0 },
	{ "fc_err", PLAN_FETCH_FC_ERR, SMP_ARG_NONE, SMP_OUT_INT, CONN, PLAN_MATCH_INT, 0, 0 },
	{ "ssl_fc_err", PLAN_FETCH_SSL_FC_ERR, SMP_ARG_NONE, SMP_OUT_INT, CONN, PLAN_MATCH_INT, 0, 0 },
	{ "ssl_c_err", PLAN_FETCH_SSL_C_ERR, SMP_ARG_NONE, SMP_OUT_INT, CONN, PLAN_MATCH_INT, 0, 0 },
	{ "ssl_c_ca_err", PLAN_FETCH_SSL_C_CA_ERR, SMP_ARG_NONE, SMP_OUT_INT, CONN, PLAN_MATCH_INT, 0, 0 },
	{ "ssl_fc_is_resumed", PLAN_FETCH_SSL_FC_IS_RESUMED, SMP_ARG_NONE, SMP_OUT_BOOL, CONN, PLAN_MATCH_BOOL, 0, 0 },
	{ "fe_name", PLAN_FETCH_FE_NAME, SMP_ARG_NONE, SMP_OUT_STR, CONN, PLAN_MATCH_STR, 0, 0 },
	{ "acl", PLAN_FETCH_ACL, SMP_ARG_ACLS, SMP_OUT_BOOL, CONN, PLAN_MATCH_BOOL, 0, 0 },
	{ "date", PLAN_FETCH_DATE, SMP_ARG_DATE, SMP_OUT_INT, CONN, PLAN_MATCH_INT, 0, 0 },
	/* a stream's: never a sample in tcp-request connection rules */
	{ "be_name", PLAN_FETCH_BE_NAME, SMP_ARG_NONE, SMP_OUT_STR, CONN | SMP_VAL_BKEND, PLAN_MATCH_STR, 0, 0 },
};

#define NFETCHES (sizeof(sample_fetches) / sizeof(sample_fetches[0]))

#define T(x) (1u << SMP_OUT_##x)
#define STRS (T(STR) | T(METH))
#define BINS (STRS | T(BIN))

static const struct sample_match_def sample_matches[] = {
	{ "found", PLAN_MATCH_FOUND, 0xff, SAMPLE_PAT_NONE, 0 },
	{ "bool", PLAN_MATCH_BOOL, T(BOOL) | T(INT), SAMPLE_PAT_NONE, 0 },
	{ "int", PLAN_MATCH_INT, T(BOOL) | T(INT) | STRS, PLAN_PAT_INT, 0 },
	{ "ip", PLAN_MATCH_IP, T(IP) | STRS, PLAN_PAT_IPV4, 0 },
	{ "str", PLAN_MATCH_STR, BINS, PLAN_PAT_STR, 0 },
	{ "beg", PLAN_MATCH_BEG, BINS, PLAN_PAT_STR, 0 },
	{ "end", PLAN_MATCH_END, BINS, PLAN_PAT_STR, 0 },
	{ "sub", PLAN_MATCH_SUB, BINS, PLAN_PAT_STR, 0 },
	{ "reg", PLAN_MATCH_REG, BINS, PLAN_PAT_REG, 0 },
	{ "dom", PLAN_MATCH_DOM, STRS, PLAN_PAT_STR, 0 },
	{ "dir", PLAN_MATCH_DIR, STRS, PLAN_PAT_STR, 0 },
	{ "len", PLAN_MATCH_LEN, BINS, PLAN_PAT_INT, 0 },
	{ "bin", PLAN_MATCH_BIN, BINS, PLAN_PAT_STR, 0 },
};

#define NMATCHES (sizeof(sample_matches) / sizeof(sample_matches[0]))

const struct sample_fetch_def *sample_fetch_find(const char *name, size_t len)
{
	for (size_t i = 0; i < NFETCHES; i++)
		if (strlen(sample_fetches[i].name) == len &&
		    !memcmp(sample_fetches[i].name, name, len))
			return &sample_fetches[i];
	return NULL;
}

const struct sample_fetch_def *sample_fetch_by_id(uint32_t fetch)
{
	for (size_t i = 0; i < NFETCHES; i++)
		if (sample_fetches[i].fetch == fetch)
			return &sample_fetches[i];
	return NULL;
}

const struct sample_fetch_def *sample_acl_keyword(const char *name, size_t len,
                                                  uint32_t *match)
{
	static const struct { const char *sfx; uint32_t match; } derivs[] = {
		{ "_beg", PLAN_MATCH_BEG }, { "_dir", PLAN_MATCH_DIR },
		{ "_dom", PLAN_MATCH_DOM }, { "_end", PLAN_MATCH_END },
		{ "_len", PLAN_MATCH_LEN }, { "_reg", PLAN_MATCH_REG },
		{ "_sub", PLAN_MATCH_SUB },
	};
	/* hdr_ip, hdr_val: the header read as an address, a number */
	static const struct { const char *name; const char *base;
	                      uint32_t match; } casts[] = {
		{ "hdr_ip", "req.hdr", PLAN_MATCH_IP },
		{ "req.hdr_ip", "req.hdr", PLAN_MATCH_IP },
		{ "hdr_val", "req.hdr", PLAN_MATCH_INT },
		{ "req.hdr_val", "req.hdr", PLAN_MATCH_INT },
		{ "res.hdr_ip", "res.hdr", PLAN_MATCH_IP },
		{ "shdr_ip", "res.hdr", PLAN_MATCH_IP },
		{ "res.hdr_val", "res.hdr", PLAN_MATCH_INT },
		{ "shdr_val", "res.hdr", PLAN_MATCH_INT },
	};
	const struct sample_fetch_def *f = sample_fetch_find(name, len);

	*match = PLAN_MATCH_MAX;
	if (f)
		return f;
	for (size_t i = 0; i < sizeof(casts) / sizeof(casts[0]); i++)
		if (strlen(casts[i].name) == len &&
		    !memcmp(casts[i].name, name, len)) {
			*match = casts[i].match;
			return sample_fetch_find(casts[i].base,
			                         strlen(casts[i].base));
		}
	if (len < 5)
		return NULL;
	for (size_t i = 0; i < sizeof(derivs) / sizeof(derivs[0]); i++) {
		if (memcmp(name + len - 4, derivs[i].sfx, 4))
			continue;
		f = sample_fetch_find(name, len - 4);
		if (!f || !f->derivs)
			return NULL;
		*match = derivs[i].match;
		return f;
	}
	return NULL;
}

const struct sample_match_def *sample_match_find(const char *name)
{
	for (size_t i = 0; i < NMATCHES; i++)
		if (!strcmp(sample_matches[i].name, name))
			return &sample_matches[i];
	return NULL;
}

const struct sample_match_def *sample_match_by_id(uint32_t match)
{
	for (size_t i = 0; i < NMATCHES; i++)
		if (sample_matches[i].match == match)
			return &sample_matches[i];
	return NULL;
}

int sample_match_fits(uint32_t fetch, uint32_t match)
{
	const struct sample_fetch_def *f = sample_fetch_by_id(fetch);
	const struct sample_match_def *m = sample_match_by_id(match);

	return f && m && (m->takes & (1u << f->out));
}

const char *sample_match_list(void)
{
	return "found, bool, int, ip, str, beg, end, sub, reg, dom, dir, len, "
	       "bin";
}

static const char *const sample_convs[PLAN_CONV_MAX] = {
	[PLAN_CONV_LOWER] = "lower",
	[PLAN_CONV_UPPER] = "upper",
	[PLAN_CONV_BASE64] = "base64",
	[PLAN_CONV_B64DEC] = "b64dec",
	[PLAN_CONV_HEX] = "hex",
	[PLAN_CONV_LENGTH] = "length",
	[PLAN_CONV_BYTES] = "bytes",
	[PLAN_CONV_FIELD] = "field",
	[PLAN_CONV_WORD] = "word",
	[PLAN_CONV_REGSUB] = "regsub",
	[PLAN_CONV_URL_DEC] = "url_dec",
	[PLAN_CONV_JSON] = "json",
	[PLAN_CONV_CRC32] = "crc32",
	[PLAN_CONV_SDBM] = "sdbm",
	[PLAN_CONV_DJB2] = "djb2",
	[PLAN_CONV_WT6] = "wt6",
	[PLAN_CONV_IPMASK] = "ipmask",
	[PLAN_CONV_ADD] = "add",
	[PLAN_CONV_SUB] = "sub",
	[PLAN_CONV_MUL] = "mul",
	[PLAN_CONV_DIV] = "div",
	[PLAN_CONV_MOD] = "mod",
	[PLAN_CONV_NEG] = "neg",
	[PLAN_CONV_NOT] = "not",
	[PLAN_CONV_BOOL] = "bool",
	[PLAN_CONV_AND] = "and",
	[PLAN_CONV_OR] = "or",
	[PLAN_CONV_XOR] = "xor",
	[PLAN_CONV_CONCAT] = "concat",
	[PLAN_CONV_STRCMP] = "strcmp",
	[PLAN_CONV_MAP] = "map",
	[PLAN_CONV_ODD] = "odd",
	[PLAN_CONV_EVEN] = "even",
	[PLAN_CONV_LTRIM] = "ltrim",
	[PLAN_CONV_RTRIM] = "rtrim",
	[PLAN_CONV_HOST_ONLY] = "host_only",
	[PLAN_CONV_PORT_ONLY] = "port_only",
	[PLAN_CONV_SHA1] = "sha1",
	[PLAN_CONV_SHA2] = "sha2",
	[PLAN_CONV_HEX2I] = "hex2i",
};

const char *sample_conv_name(uint32_t conv)
{
	return conv > PLAN_CONV_NONE && conv < PLAN_CONV_MAX ?
	       sample_convs[conv] : NULL;
}

uint32_t sample_conv_find(const char *name, size_t len)
{
	for (uint32_t c = PLAN_CONV_NONE + 1; c < PLAN_CONV_MAX; c++)
		if (strlen(sample_convs[c]) == len &&
		    !memcmp(sample_convs[c], name, len))
			return c;
	return PLAN_CONV_NONE;
}
