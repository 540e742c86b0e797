/*
 * sample-reg-t.h: types of the sample registry (sample-reg.c): the sample
 * fetches and matching methods cfgc compiles and cfgrun evaluates, with
 * what each takes, gives and where it is valid. One table used by cfgc's
 * ACL and rule compiler, by the plan verifier and by cfgrun.
 */
#ifndef HAPC_SAMPLE_REG_T_H
#define HAPC_SAMPLE_REG_T_H

#include <stdint.h>

/* Output type of a fetch (manual section 7.3). */
enum smp_out {
	SMP_OUT_BOOL = 0,
	SMP_OUT_INT  = 1,
	SMP_OUT_IP   = 2,
	SMP_OUT_STR  = 3,
	SMP_OUT_BIN  = 4,
	SMP_OUT_METH = 5,           /* a method: matched as a string */
	SMP_OUT_MAX
};

/* Where a fetch finds its sample. */
#define SMP_VAL_CONN 0x1u           /* the connection: everywhere */
#define SMP_VAL_REQ  0x2u           /* request rules, use_backend */
#define SMP_VAL_RES  0x4u           /* http-response rules */
#define SMP_VAL_AFT  0x8u           /* http-after-response rules */
#define SMP_VAL_HTTP 0x10u          /* needs an HTTP message: never a
                                       sample in a TCP proxy */
#define SMP_VAL_L6REQ 0x20u         /* the request's first bytes: tcp-request
                                       content rules and use_backend */
#define SMP_VAL_L6RES 0x40u         /* the response's first bytes:
                                       tcp-response content rules */
#define SMP_VAL_BKEND 0x80u         /* needs the backend: HAProxy refuses
                                       it in a value of a frontend's
                                       http-request rules */

/* The argument a fetch takes in parentheses. */
enum smp_arg {
	SMP_ARG_NONE     = 0,       /* none */
	SMP_ARG_BACKEND  = 1,       /* optional backend name (nbsrv) */
	SMP_ARG_NAME     = 2,       /* a name (url_param, cookie, count) */
	SMP_ARG_NAME_OCC = 3,       /* a name, then an optional occurrence */
	SMP_ARG_VAR      = 4,       /* a variable name with its scope */
	SMP_ARG_TEXT     = 5,       /* optional text, kept as written (str) */
	SMP_ARG_PAYLOAD  = 6,       /* offset, length (req.payload) */
	SMP_ARG_PAYLOAD_LV = 7,     /* offset, length bytes[, offset2]
	                               (req.payload_lv) */
	SMP_ARG_OPT_NAME = 8,       /* an optional name (ssl_c_s_dn(CN)) */
	SMP_ARG_PP_TLV   = 9,       /* a PROXY v2 TLV type: 0..255 or a name
	                               (fc_pp_tlv(UNIQUE_ID)), kept in arg */
	SMP_ARG_ACLS     = 11,      /* [!]name[,...]: named ACLs (acl) */
	SMP_ARG_DATE     = 10,      /* [offset[,unit]]: offset in arg2, unit
	                               (s, ms, us) in occ (date) */
};

struct sample_fetch_def {
	const char *name;           /* as written: "req.hdr" */
	uint8_t fetch;              /* enum plan_fetch */
	uint8_t arg;                /* enum smp_arg */
	uint8_t out;                /* enum smp_out */
	uint8_t valid;              /* SMP_VAL_* */
	uint8_t def_match;          /* enum plan_match in an ACL without -m */
	uint8_t derivs;             /* 1: the ACL derivatives name_beg,
	                               name_end... exist (manual 7.3.6) */
	uint8_t icase;              /* 1: ACLs compare ignoring case (method) */
};

/* A matching method (-m NAME, manual section 7.1). */
struct sample_match_def {
	const char *name;           /* "beg" */
	uint8_t match;              /* enum plan_match */
	uint8_t takes;              /* bit (1 << SMP_OUT_x) per output type
	                               it applies to */
	uint8_t pat;                /* enum plan_pat_kind of its patterns,
	                               SAMPLE_PAT_NONE: it takes none */
	uint8_t pad;
};

#define SAMPLE_PAT_NONE 0xffu

#endif /* HAPC_SAMPLE_REG_T_H */
