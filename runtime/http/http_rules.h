/*
 * http_rules.h: the HTTP rules of a plan at run time: use_backend on
 * HTTP fetches, http-request, http-response and http-after-response
 * rules, and the edits they leave on a message head (types in
 * http_rules-t.h). Nothing here does I/O; the HTTP stream calls it once
 * a head is parsed and emits what it says.
 */
#ifndef HAPC_HTTP_RULES_H
#define HAPC_HTTP_RULES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "http_rules-t.h"
#include "plan-t.h"

struct plan_sample;
struct stk_stores;

/*
 * Per generation: compile the plan's ACL regexes (rt->regex). Call once
 * the generation's plan is set; 0, or -1 with a message in err. Free with
 * http_rules_gen_free() (harmless when init failed or never ran).
 */
int http_rules_gen_init(struct runtime *rt, char *err, size_t errlen);
void http_rules_gen_free(struct runtime *rt);

/* Start an empty edit list over `arena` (arena_len bytes, normally
 * tune.maxrewrite) and `del` (ndel bytes, one per received header). */
void http_edits_init(struct http_edits *e, char *arena, uint32_t arena_len,
                     uint8_t *del, uint32_t ndel);

/*
 * The tcp-request content rules of HTTP proxy `proxy` on a request head
 * just received (view, before any http-request rule), as HAProxy runs
 * them for each request of an HTTP connection: conditions see the
 * connection and HTTP fetches, nothing is waited for; the first accept,
 * reject or silent-drop whose condition holds decides; set-mark and
 * set-tos apply to socket fd and evaluation goes on. Returns enum
 * http_tcp_verdict.
 */
uint32_t http_rules_tcp_content(const struct http_req_view *view,
                                uint32_t proxy, int fd);

/*
 * The http-request rules of proxy `proxy` (the engine calls it for the
 * frontend, then for the backend when the frontend's gave CONTINUE or
 * ALLOW). Rules run in order; header and start-line actions add to
 * `edits`; the first deny, return or redirect that applies decides, as
 * does allow (for this proxy). Fetches see the head as `edits` leave it
 * (so pass the frontend's edits on to the backend's call). Returns
 * v->kind.
 */
uint32_t http_rules_request(const struct http_req_view *view, uint32_t proxy,
                            struct http_edits *edits, struct http_verdict *v);

/* The `stats http-request` rules of `proxy` (allow, deny, auth), for a
 * request to its stats page: the verdict of the first that applies. */
uint32_t http_rules_stats(const struct http_req_view *view, uint32_t proxy,
                          struct http_edits *edits, struct http_verdict *v);

/* 1 when a `stats admin if|unless COND` rule of `proxy` holds for the
 * request (the first one decides, as in HAProxy). */
int http_rules_stats_admin(const struct http_req_view *view, uint32_t proxy);

/* The same for the http-response rules of `proxy` (backend first, then
 * the frontend), on view->resp; `edits` apply to the response head. */
uint32_t http_rules_response(const struct http_req_view *view, uint32_t proxy,
                             struct http_edits *edits, struct http_verdict *v);

/* The same for http-after-response rules (run on every response the
 * proxy emits, its own answers included: view->resp then describes it). */
uint32_t http_rules_after_response(const struct http_req_view *view,
                                   uint32_t proxy, struct http_edits *edits,
                                   struct http_verdict *v);

/*
 * The backend of view->frontend for this request: the first use_backend
 * rule whose condition holds (HTTP fetches see the request as
 * view->req_edits leave it, when set), else the
 * frontend's default backend (or itself when it is a listen section),
 * else PLAN_NONE.
 */
uint32_t http_backend_choice(const struct http_req_view *view);

/*
 * The routing of a request head, in HAProxy's order: the frontend's
 * http-request rules, the backend choice, then the chosen backend's
 * http-request rules (when it is not the frontend itself), all on
 * `edits`. cfgrun's HTTP stream and `cfgc --route` both call it. Sets
 * *be (PLAN_NONE until chosen), view->backend, and view->req_edits to
 * `edits` (use_backend and what follows see the rules' edits, as in
 * HAProxy); `v` holds the verdict of an *_VERDICT end. Returns enum
 * http_route_end.
 */
uint32_t http_route_request(struct http_req_view *view,
                            struct http_edits *edits, struct http_verdict *v,
                            uint32_t *be);

/* The stick rules of backend `be` for this request (stk_persist_rules()
 * with the HTTP fetches): *want from a match unless a cookie set it,
 * entries to store in `st`. */
/* The server backend be's use-server rules name for the request of
 * `view` (use_server.h), PLAN_NONE when none applies. */
uint32_t http_use_server(const struct http_req_view *view, uint32_t be);

void http_stick_rules(const struct http_req_view *view, uint32_t be,
                      struct stk_stores *st, uint32_t *want);
/* The stick store-response rules of backend `be` on view->resp, from
 * server `srv` (stk_persist_response()). */
void http_stick_response(const struct http_req_view *view, uint32_t be,
                         uint32_t srv);

/*
 * The final head of message `m` (received in `buf`) with `e` applied:
 * start line (rebuilt when edited), the received header lines not
 * removed (as "name: value"), the added ones, the blank line. Written
 * to out[0..cap); returns the bytes, or 0 when cap is short (see
 * http_edits_emit_size()).
 */
size_t http_edits_emit(const struct http_edits *e, const char *buf,
                       const struct h1_msg *m, char *out, size_t cap);

/* Add header line "name: val" to e (both copied into the arena): 0, or
 * -1 when it does not fit (e->overflow set). */
int http_edits_add(struct http_edits *e, const char *name, size_t nl,
                   const char *val, size_t vl);

/* The first line named `name` (any case) of message m (in buf) as it
 * stands with edits e (NULL: none): 1 and its value in *v, *vl; 0 when
 * there is none. */
int http_edits_first(const char *buf, const struct h1_msg *m,
                     const struct http_edits *e, const char *name,
                     size_t nlen, const char **v, uint32_t *vl);

/* Remove every header line named `name` (any case), received or added. */
void http_edits_del(struct http_edits *e, const char *buf,
                    const struct h1_msg *m, const char *name, size_t nl);

/* The value of the k-th line (0-based) named `name` of message m (in
 * buf) as edits e leave it (NULL: as received): 1 with it in *v, *vl,
 * or 0 when there are not that many. */
int http_edits_line(const char *buf, const struct h1_msg *m,
                    const struct http_edits *e, const char *name,
                    size_t nlen, uint32_t k, const char **v, uint32_t *vl);

/* An upper bound of http_edits_emit()'s output. */
size_t http_edits_emit_size(const struct http_edits *e,
                            const struct h1_msg *m);

/* The standard reason phrase of a status ("Not Found"), "" when none. */
const char *http_reason(unsigned status);

/* The sample of ACL line `acl` (a %[...] item: fetch and converters)
 * for the request `view` shows, any fetch valid (a log line's items);
 * type NONE when there is none. Its text lives until the next sample. */
void http_rules_sample(const struct http_req_view *view, uint32_t acl,
                       struct plan_sample *out);

#endif /* HAPC_HTTP_RULES_H */
