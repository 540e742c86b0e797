/*
 * acl.h: the plan's tcp-request connection and use_backend rules at run
 * time (the evaluation itself is common/plan_acl.c).
 */
#ifndef HAPC_ACL_H
#define HAPC_ACL_H

#include <stdint.h>
#include <sys/socket.h>

#include "runtime-t.h"
#include "stream-t.h"

/*
 * The tcp-request connection rules of frontend `fe` for the connection
 * just accepted on `fd` from `src`: 1 to go on (an accept rule applied,
 * or none did), 0 when a reject rule applied. Reads no byte of the
 * connection; the local address is asked of the kernel only when a rule
 * needs it. Takes the generation's lock only to read server states
 * (nbsrv), so call it without the lock. Track-sc rules fill `stk`
 * (zeroed by the caller); on a reject they are already let go.
 */
int acl_conn_accept(struct runtime *rt, uint32_t fe, int fd,
                    const struct sockaddr_storage *src, socklen_t srclen,
                    struct stk_ctrs *stk);

/* Close a rejected connection at once, with a reset as HAProxy does. */
void acl_conn_reject(int fd);

/* 1 when frontend `fe` has use_backend rules. */
int acl_has_switching(const struct runtime *rt, uint32_t fe);

/*
 * The backend stream `s` goes to: the first use_backend rule of its
 * frontend that applies, else the frontend's default route. On an
 * accept-proxy listener the rules wait for the PROXY header (they see
 * its addresses, as in HAProxy), and this gives the default route. Call
 * it without the lock, once the client's socket is in s.
 */
uint32_t acl_backend(struct stream *s);

/*
 * After the PROXY header of an accept-proxy stream: choose the backend
 * again with its addresses and move the stream's backend count when it
 * changes (takes the lock). Does nothing without use_backend rules.
 */
void acl_backend_after_proxy(struct stream *s);

/*
 * The stick rules of a TCP stream's backend (stick on, match,
 * store-request) on its connection's samples: s->want_srv from a match,
 * s->stores from a store (stk_persist_rules()). Call it once the
 * backend is known, before the first dispatch, without the lock.
 */
void acl_stick(struct stream *s);

#endif /* HAPC_ACL_H */
