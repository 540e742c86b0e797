/*
 * route.h: `cfgc --route`: one request, described on the command line,
 * run offline through the HTTP rules of a plan by the evaluator cfgrun
 * runs (runtime/http/http_rules.c), on a head parsed by cfgrun's HTTP/1
 * parser (runtime/http/h1.c). See doc/route.md.
 */
#ifndef HAPC_ROUTE_H
#define HAPC_ROUTE_H

#include <stdint.h>
#include <stdio.h>

#include "plan.h"

#define ROUTE_MAX_HDRS 64u          /* -H options per request */

/* One request as the command line (or a --route-test entry) gives it. */
struct route_req {
	const char *request;        /* "METHOD URL [HTTP/1.x]" */
	const char *hdrs[ROUTE_MAX_HDRS]; /* "Name: value" lines (-H) */
	uint32_t nhdrs;
	const char *src;            /* "IP[:PORT]" ("[IPv6]:PORT"), NULL:
	                               127.0.0.1:50000 */
	const char *sni;            /* TLS server name, NULL: none (an
	                               https:// URL gives its host) */
	const char *frontend;       /* frontend name, NULL: the first HTTP one */
};

enum route_outcome {
	ROUTE_FORWARD = 0,          /* sent to `backend` */
	ROUTE_REPLY   = 1,          /* answered by cfgrun: status, location */
	ROUTE_CLOSE   = 2,          /* closed without a reply (tcp-request
	                               content reject / silent-drop) */
};

/* What became of the request (strings malloc'd; route_result_free()). */
struct route_result {
	uint32_t outcome;           /* enum route_outcome */
	char *backend;              /* FORWARD (and a backend's own reply):
	                               the backend's name, else NULL */
	char *server;               /* FORWARD: the server a use-server rule
	                               names, else NULL (balancing picks) */
	unsigned status;            /* REPLY: the status code */
	char *location;             /* REPLY: the Location value, or NULL */
	char *head;                 /* FORWARD: the request head as it leaves
	                               ("Name: value" lines, CRLF ends);
	                               REPLY: its status line and the
	                               rule's header lines */
};

/*
 * Run request `rq` through verified plan `p`: the trace (each rule
 * evaluated, the backend, the eligible servers, the head as it leaves or
 * the reply) is printed to `out`; `res` filled. Returns 0, or -1 with a
 * message in err (bad request text, unknown frontend, no HTTP frontend:
 * nothing was evaluated).
 */
int route_run(const struct plan *p, const struct route_req *rq, FILE *out,
              struct route_result *res, char *err, size_t errlen);

void route_result_free(struct route_result *res);

/* cfgc --route-test FILE PLAN (route_test.c): 0 all entries met their
 * expectations, 1 a mismatch, 2 bad syntax in FILE or an I/O problem. */
int route_test_file(const char *file, const struct plan *p);

#endif /* HAPC_ROUTE_H */
