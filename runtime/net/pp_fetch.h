/*
 * pp_fetch.h: the fetches of the PROXY header a client began with
 * (fc_rcvd_proxy, fc_pp_authority, fc_pp_unique_id, fc_pp_tlv(ID)), read
 * from what stream.c kept on its connection (conn.pp_tlv).
 */
#ifndef HAPC_PP_FETCH_H
#define HAPC_PP_FETCH_H

#include "conn-t.h"
#include "plan.h"

/*
 * The sample of PROXY fetch a->fetch on client connection c (NULL: none)
 * into out: 1 when a->fetch is one of them (out->type NONE when the
 * header carried no such TLV), 0 otherwise. fc_pp_tlv gives every TLV
 * of its type in header order (out->iter, out->more); strings point
 * into the connection's copy of the TLVs.
 */
int pp_fetch(const struct conn *c, const struct plan_acl *a,
             struct plan_sample *out);

#endif /* HAPC_PP_FETCH_H */
