/*
 * http_rules-t.h: types of the HTTP rule evaluator (http_rules.c): what
 * the rules see of one exchange, the verdict they reach, and the edits
 * they make to a message head.
 *
 * Rewrites never move received bytes: a message head goes out as its
 * untouched parts (slices of the receive buffer) plus the edits, whose
 * new text lives in a fixed per-message arena of tune.maxrewrite bytes.
 * When the arena (or the edit list) is full the rewrite fails and the
 * exchange is answered with a 500, as HAProxy does when its buffer's
 * rewrite reserve runs out.
 */
#ifndef HAPC_HTTP_RULES_T_H
#define HAPC_HTTP_RULES_T_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "h1-t.h"

struct runtime;
struct stk_ctrs;

#define HTTP_MAXREWRITE_DEFAULT 1024u /* bytes: tune.maxrewrite's default */
#define HTTP_EDITS_MAX_ADDS     64u   /* header lines added per message */
#define HTTP_EDITS_MAX_REPL     32u   /* received values replaced */
#define HTTP_SCRATCH            4096u /* bytes: samples built from several
                                         pieces (base); longer: no sample */

/* Which rule list a traced rule belongs to (http_rule_trace_fn). */
enum http_trace_list {
	HTTP_TRACE_TCP_CONTENT = 0,   /* p->rules: tcp-request content */
	HTTP_TRACE_HTTP        = 1,   /* p->http_rules: http-request/response */
	HTTP_TRACE_SWITCH      = 2,   /* p->rules: use_backend */
};

/* Called once per rule whose condition was evaluated: `list` (enum
 * http_trace_list) and the rule's index in it, `held` 1 when the
 * condition held (the action then runs), 0 when not. Evaluation is not
 * changed by it. */
typedef void (*http_rule_trace_fn)(void *arg, uint32_t list, uint32_t rule,
                                   int held);

/* What the rules see of one request (and of its response, later). */
struct http_req_view {
	const char *buf;              /* bytes the h1_msg offsets point into */
	const struct h1_msg *req;     /* parsed request head */
	const char *rbuf;             /* response buffer, NULL on the request side */
	const struct h1_msg *resp;    /* parsed response head, or NULL */
	const struct sockaddr_storage *cli, *dst; /* NULL: unknown */
	const struct conn *conn;      /* the client connection (TLS
	                                 fetches), NULL: unknown */
	struct runtime *rt;           /* generation (plan, regexes, nbsrv) */
	const struct http_edits *req_edits; /* the request's edits so far
	                                 (fetches see them: use_backend after
	                                 the http-request rules), or NULL */
	uint32_t frontend, backend, server; /* plan indices, PLAN_NONE = none */
	struct http_vars **vars;      /* where the request's variables are
	                                 (*vars made by the first set-var,
	                                 NULL until then); NULL: none
	                                 (set-var does nothing then) */
	struct stk_ctrs *stk;         /* the stream's stick counters, NULL =
	                                 none (track-sc*, sc_* fetches) */
	http_rule_trace_fn trace;     /* told each rule's condition as it is
	                                 evaluated (cfgc --route), NULL: none */
	void *trace_arg;              /* passed to trace */
};

/* A piece of text: in the plan's blob, the arena, or a static string. */
struct http_text {
	const char *ptr;
	uint32_t len;                 /* bytes, ptr NULL when 0 */
};

enum http_verdict_kind {
	HTTP_VERDICT_CONTINUE = 0,    /* no final rule: go on */
	HTTP_VERDICT_ALLOW    = 1,    /* allow: stop this proxy's rules */
	HTTP_VERDICT_DENY     = 2,    /* answer `status` with HAProxy's
	                                 error page for it (or the body and
	                                 lines given, as RETURN), then close */
	HTTP_VERDICT_RETURN   = 3,    /* answer status, content_type, body */
	HTTP_VERDICT_REDIRECT = 4,    /* answer status with location */
	HTTP_VERDICT_ERROR    = 5,    /* a rewrite did not fit: answer 500 */
	HTTP_VERDICT_SERVICE  = 6,    /* answer with built-in service
	                                 `service` (use-service) */
	HTTP_VERDICT_AUTH     = 7,    /* answer 401 asking for Basic
	                                 credentials of realm `body` */
	HTTP_VERDICT_TARPIT   = 8,    /* hold the request (timeout tarpit),
	                                 then answer as DENY */
};

/* How the request side of one exchange ended (http_route_request()). */
enum http_route_end {
	HTTP_ROUTE_PASS       = 0,    /* a backend, no final rule: forward */
	HTTP_ROUTE_FE_VERDICT = 1,    /* a frontend rule answered */
	HTTP_ROUTE_NO_BACKEND = 2,    /* no backend applies: 503 */
	HTTP_ROUTE_BE_VERDICT = 3,    /* a rule of the chosen backend answered */
};

/* What the tcp-request content rules of an HTTP proxy decide. */
enum http_tcp_verdict {
	HTTP_TCP_CONTINUE = 0,        /* accept, or no rule decided: go on */
	HTTP_TCP_REJECT   = 1,        /* reject: close, no answer */
	HTTP_TCP_DROP     = 2,        /* silent-drop */
};

struct http_verdict {
	uint32_t kind;                /* enum http_verdict_kind */
	uint16_t status;              /* DENY, RETURN, REDIRECT, ERROR */
	uint16_t service;             /* SERVICE: enum plan_service */
	uint32_t rule;                /* plan http rule that decided, or
	                                 PLAN_NONE (CONTINUE, ERROR) */
	struct http_text content_type;/* RETURN, DENY: empty = no body header
	                                 (DENY: HAProxy's error page then) */
	struct http_text body;        /* RETURN, DENY: the body; its extra header
	                                 lines (hdr) are the edits' added
	                                 lines (http_edits.add) */
	struct http_text location;    /* REDIRECT: Location value; a
	                                 Set-Cookie line (set-cookie,
	                                 clear-cookie) is the edits' added line */
};

/* A header line added by a rule: name and value in the arena. */
struct http_added {
	uint32_t name_off, name_len;  /* arena bytes */
	uint32_t val_off, val_len;    /* arena bytes */
	uint32_t dead;                /* 1: removed by a later rule */
};

/* A received header line whose value a rule replaced (del[hdr] is 2). */
struct http_repl {
	uint32_t hdr;                 /* index among the received lines */
	uint32_t off, len;            /* new value: arena bytes */
};

#define HTTP_EDIT_METHOD 0x1u     /* request: method replaced */
#define HTTP_EDIT_URI    0x2u     /* request: target replaced */
#define HTTP_EDIT_STATUS 0x4u     /* response: status (and reason) */

/*
 * The edits the rules made to one message head. The caller provides the
 * arena (tune.maxrewrite bytes) and one `del` byte per received header
 * line (1: the line is removed); http_edits_init() clears them.
 */
struct http_edits {
	char *arena;                  /* caller's memory for new text */
	uint32_t arena_cap;           /* bytes */
	uint32_t arena_used;          /* bytes given out */
	uint8_t *del;                 /* caller's array: per received line,
	                                 0 kept, 1 removed, 2 value replaced */
	uint32_t ndel;                /* entries of del (>= the msg's nhdrs) */
	uint32_t flags;               /* HTTP_EDIT_* */
	struct http_added add[HTTP_EDITS_MAX_ADDS];
	uint32_t nadd;                /* entries of add in use */
	struct http_repl repl[HTTP_EDITS_MAX_REPL];
	uint32_t nrepl;               /* entries of repl in use */
	uint32_t meth_off, meth_len;  /* METHOD: arena bytes */
	uint32_t uri_off, uri_len;    /* URI: arena bytes */
	uint32_t reason_off, reason_len; /* STATUS: arena bytes, 0 = standard */
	uint16_t status;              /* STATUS: new code */
	uint16_t overflow;            /* 1: a rewrite did not fit */
};

#endif /* HAPC_HTTP_RULES_T_H */
