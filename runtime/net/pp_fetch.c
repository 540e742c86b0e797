/*
 * pp_fetch.c: the fetches of the PROXY header (pp_fetch.h).
 */
#include <string.h>

#include "pp_fetch.h"
#include "proxy_proto.h"

int pp_fetch(const struct conn *c, const struct plan_acl *a,
             struct plan_sample *out)
{
	uint32_t iter = out->iter;
	unsigned type;
	const uint8_t *v, *next;
	size_t vl, nl;

	switch (a->fetch) {
	case PLAN_FETCH_FC_RCVD_PROXY:
		memset(out, 0, sizeof(*out));
		out->type = PLAN_SMP_BOOL;
		out->i = c && (c->flags & CONN_F_PROXY);
		return 1;
	case PLAN_FETCH_FC_PP_AUTHORITY:
		type = PP2_TYPE_AUTHORITY;
		iter = 0;
		break;
	case PLAN_FETCH_FC_PP_UNIQUE_ID:
		type = PP2_TYPE_UNIQUE_ID;
		iter = 0;
		break;
	case PLAN_FETCH_FC_PP_TLV:
		type = a->arg;
		break;
	default:
		return 0;
	}
	memset(out, 0, sizeof(*out));
	if (!c || !c->pp_tlv ||
	    !proxy_proto_tlv(c->pp_tlv, c->pp_tlv_len, type, iter, &v, &vl))
		return 1;
	out->type = PLAN_SMP_STR;
	out->str = (const char *)v;
	out->len = vl;
	if (a->fetch == PLAN_FETCH_FC_PP_TLV) {
		out->iter = iter + 1;
		out->more = proxy_proto_tlv(c->pp_tlv, c->pp_tlv_len, type,
		                            iter + 1, &next, &nl);
	}
	return 1;
}
