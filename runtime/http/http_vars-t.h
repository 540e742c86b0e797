/*
 * http_vars-t.h: the variables of set-var / var() (http_vars.c): a
 * fixed table per request (txn., req., res. and, for now, sess.
 * variables: a request's work memory holds them) and one per generation
 * for proc. variables. Bounded: values share HTTP_VARS_BYTES bytes.
 */
#ifndef HAPC_HTTP_VARS_T_H
#define HAPC_HTTP_VARS_T_H

#include <stdint.h>

#include "plan-t.h"

#define HTTP_VARS_BYTES 2048        /* bytes of text values per table */

struct http_var {
	uint8_t  type;              /* enum plan_sample_type, NONE = unset */
	uint8_t  pad;
	uint16_t len;               /* STR, BIN: bytes at data[off] */
	uint32_t off;               /* STR, BIN: offset in the table's data */
	int64_t  i;                 /* BOOL, INT */
	uint8_t  ip[16];            /* IPV4, IPV6 */
};

struct http_vars {
	uint32_t used;              /* bytes of data taken (values set over
	                               leave their old bytes until a
	                               compaction) */
	uint32_t pad;
	struct http_var v[PLAN_MAX_VARS]; /* by plan variable index */
	char data[HTTP_VARS_BYTES];
};

#endif /* HAPC_HTTP_VARS_T_H */
