/*
 * http_logfmt-t.h: custom log formats (log-format, unique-id-format) as
 * cfgrun runs them, and what a request captured for its log line.
 *
 * A format is pre-parsed once per plan generation into a run of items:
 * literal text (pointing into the plan's blob), separators (an unescaped
 * space: several in a row, or around an item that wrote nothing, give
 * one space) and variables with their flags.
 */
#ifndef HAPC_HTTP_LOGFMT_T_H
#define HAPC_HTTP_LOGFMT_T_H

#include <stdint.h>

#include "plan-t.h"

#define HTTP_UID_MAX     128u  /* bytes of a unique id kept */
#define HTTP_CAPT_AREA   2048u /* bytes of captured values per request */

/* What an item is. */
enum http_lf_kind {
	HTTP_LF_TEXT = 0,           /* text[0..len) as is */
	HTTP_LF_SEP  = 1,           /* one space, not repeated */
	HTTP_LF_VAR  = 2,           /* variable `var` */
	HTTP_LF_EXPR = 3,           /* %[...]: the sample of ACL line `ref` */
};

/* The variables cfgrun renders (cfgc refuses the others). */
enum http_lf_var {
	HTTP_LFV_CI = 0, HTTP_LFV_CP, HTTP_LFV_FI, HTTP_LFV_FP,
	HTTP_LFV_T_LOCAL, HTTP_LFV_TR_DATE, HTTP_LFV_T_GMT, HTTP_LFV_TS,
	HTTP_LFV_MS, HTTP_LFV_FT, HTTP_LFV_F, HTTP_LFV_B, HTTP_LFV_S,
	HTTP_LFV_SI, HTTP_LFV_SP, HTTP_LFV_TRQ, HTTP_LFV_TW, HTTP_LFV_TC,
	HTTP_LFV_TRS, HTTP_LFV_TA, HTTP_LFV_TT, HTTP_LFV_TH, HTTP_LFV_TI,
	HTTP_LFV_TQ, HTTP_LFV_TD, HTTP_LFV_ST, HTTP_LFV_BYTES, HTTP_LFV_UP,
	HTTP_LFV_CC, HTTP_LFV_CS, HTTP_LFV_TSTATE, HTTP_LFV_TSC, HTTP_LFV_AC,
	HTTP_LFV_FC, HTTP_LFV_BC, HTTP_LFV_SC, HTTP_LFV_RC, HTTP_LFV_SQ,
	HTTP_LFV_BQ, HTTP_LFV_HR, HTTP_LFV_HS, HTTP_LFV_HRL, HTTP_LFV_HSL,
	HTTP_LFV_R, HTTP_LFV_HM, HTTP_LFV_HU, HTTP_LFV_HP, HTTP_LFV_HQ,
	HTTP_LFV_HV, HTTP_LFV_ID, HTTP_LFV_PID, HTTP_LFV_H, HTTP_LFV_RT,
	HTTP_LFV_LC, HTTP_LFV_SSLV, HTTP_LFV_SSLC,
	HTTP_LFV_MAX
};

struct http_lf_item {
	uint8_t  kind;              /* enum http_lf_kind */
	uint8_t  var;               /* VAR: enum http_lf_var */
	uint8_t  quote;             /* VAR: 1 = %{+Q}: strings in quotes */
	uint8_t  hex;               /* VAR: 1 = %{+X}: numbers, addresses
	                               and ports in hexadecimal */
	uint32_t len;               /* TEXT: bytes */
	const char *text;           /* TEXT: in the plan's blob or the
	                               format's own copy */
	uint32_t ref;               /* EXPR: the plan's ACL line (the
	                               item's ordinal until the generation
	                               places it) */
};

/* One parsed format. */
struct http_lf {
	uint32_t n;                 /* items */
	struct http_lf_item *items; /* items[0..n), NULL when n = 0 */
};

/* A generation's formats, one pair per proxy (empty = none). */
struct http_lf_gen {
	uint32_t nproxies;          /* the plan's proxies: the arrays' size */
	struct http_lf *log;        /* [nproxies]: log-format */
	struct http_lf *uid;        /* [nproxies]: unique-id-format */
	uint64_t *log_count;        /* [nproxies]: lines logged (%lc),
	                               atomic */
};

/* What one request captured: slot k is the frontend's capture k (a
 * capture cookie: the request's cookie), slot PLAN_HTTP_MAX_CAPTURES + k
 * the response's cookie of capture cookie k. */
#define HTTP_CAPT_SLOTS (2 * PLAN_HTTP_MAX_CAPTURES)
struct http_capt {
	uint16_t off[HTTP_CAPT_SLOTS]; /* into area */
	uint16_t len[HTTP_CAPT_SLOTS]; /* bytes */
	uint8_t  set[HTTP_CAPT_SLOTS]; /* 1: captured */
	uint64_t req_id;            /* %rt: requests before this one */
	uint16_t used;              /* bytes of area in use */
	uint16_t uid_len;           /* bytes of uid, 0 = none */
	char uid[HTTP_UID_MAX];     /* unique id of the request */
	char area[HTTP_CAPT_AREA];  /* captured values */
};

#endif /* HAPC_HTTP_LOGFMT_T_H */
