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

/* silent-drop: close fd with a reset that goes no further than one hop;
 * _prepare only sets the hop limit and linger (the caller closes). */
void acl_silent_drop(int fd);
void acl_silent_drop_prepare(int fd);

/* Make the next close() of fd send a reset (SO_LINGER 0). */
void acl_conn_linger0(int fd);

/* What a TCP rule set decided. */
enum acl_verdict {
	ACL_CONTINUE = 0,           /* no accept/reject applied: go on */
	ACL_ACCEPT   = 1,           /* an accept rule applied */
	ACL_REJECT   = 2,           /* reject: close with a reset */
	ACL_DROP     = 3,           /* silent-drop */
	ACL_CLOSE    = 4,           /* tcp-response close */
	ACL_WAIT     = 5,           /* a condition needs more bytes */
};

/*
 * 1 when a connection rule `expect-proxy layer4` of s's frontend applies
 * to s (the connection rules are evaluated again, without their other
 * effects' verdict; only frontends with such a rule pay for it).
 */
int acl_conn_expect_proxy(struct stream *s);

/* 1 when TCP frontend `fe` has tcp-request session or content rules: its
 * streams wait in STREAM_WAIT_INSPECT before they get a backend. */
int acl_inspects(const struct runtime *rt, uint32_t fe);

/*
 * Run the session rules (once) then the content rules of s's frontend on
 * the bytes the client sent so far (made contiguous in its buffer).
 * `final` says the inspect delay is over; a full buffer or the client's
 * FIN also makes the bytes final. ACL_WAIT: call again when bytes come
 * or the delay ends; ACCEPT or CONTINUE: go on to use_backend
 * (acl_backend_l6()); REJECT, DROP: close.
 */
enum acl_verdict acl_inspect(struct stream *s, int final);

/* After inspection: the backend use_backend rules choose, seeing the
 * received bytes as final (HAProxy's use_backend never waits). */
uint32_t acl_backend_l6(struct stream *s);

/* The tcp-response content rules of s's backend on the server's first
 * bytes (ACL_WAIT, ACCEPT, CONTINUE, REJECT, CLOSE). */
enum acl_verdict acl_response(struct stream *s, int final);

/* 1 when frontend `fe` has use_backend rules. */
int acl_has_switching(const struct runtime *rt, uint32_t fe);

/*
 * The backend stream `s` goes to: the first use_backend rule of its
 * frontend that applies, else the frontend's default route. On an
 * accept-proxy listener the rules wait for the PROXY header (they see
 * its addresses, as in HAProxy), and until it came (on a TLS listener it
 * comes before the handshake) this gives the default route. Call
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
 * the stream's stores from a store (stk_persist_rules()). Call it once the
 * backend is known, before the first dispatch, without the lock.
 */
void acl_stick(struct stream *s);

#endif /* HAPC_ACL_H */
